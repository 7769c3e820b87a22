"""The team's registers and notices (services.registers): their rows counted against the database of a demo
village (issue 17, "missing ledgers")."""
from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pytest

from fupin_desktop.services.reporting import Period, ReportFilter

YEAR = 2023
FLT = ReportFilter(Period.year(YEAR))


BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("FUPIN_TEST_POSTGRES_URL") else [])


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request, tmp_path_factory):
    """A 30-household demo village, on SQLite and (when a URL is given) on PostgreSQL like the other service
    tests: the registers' queries must run on both."""
    from fupin_desktop.services import Services
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.migrate import open_database

    folder = tmp_path_factory.mktemp("registers")
    if request.param == "postgres":
        from tests.conftest import _fresh_postgres

        db = _fresh_postgres()
    else:
        db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    generate_demo(db, 30, seed=3, year=YEAR)
    yield Services(db, actor=Actor(None, "测试", "admin"), data_dir=folder, today=lambda: date(YEAR + 1, 1, 10)), db
    db.dispose()


def sql(db, text: str, *args):
    """``?`` placeholders, dates as ISO text (both backends)."""
    from sqlalchemy import text as sql_text

    names = {}
    while "?" in text:
        key = f"p{len(names)}"
        text = text.replace("?", f":{key}", 1)
        value = args[len(names)]
        names[key] = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 and value[4] == "-" \
            else value
    with db.engine.connect() as conn:
        return conn.execute(sql_text(text), names).all()


def test_team_roster_lists_every_team_member_with_days_from_attendance(demo):
    services, db = demo
    rows = services.registers.team_roster(FLT).rows
    assert len(rows) == sql(db, "SELECT count(*) FROM cadre WHERE in_team AND deleted_at IS NULL")[0][0] > 0
    assert rows[0].role == "secretary"  # 第一书记 first
    for r in rows:
        (cid,), = sql(db, "SELECT id FROM cadre WHERE name = ? AND in_team", r.name)
        year = services.attendance.year(cid, YEAR)
        assert r.village_days == year.village_days > 0  # one definition: 在村 + 因公外出


def test_sign_in_sheets_are_a_month_each_with_every_mark(demo):
    services, db = demo
    _, months = services.registers.sign_in_sheets(FLT)
    assert [(m.year, m.month) for m in months] == [(YEAR, n) for n in range(1, 13)]
    for m in months:
        first, last = date(m.year, m.month, 1), date(m.year, m.month, m.length)
        (n,), = sql(db, "SELECT count(*) FROM attendance WHERE deleted_at IS NULL AND day BETWEEN ? AND ?",
                    first.isoformat(), last.isoformat())
        assert sum(len(r.days) for r in m.rows) == n
        assert m.length == (31 if m.month in (1, 3, 5, 7, 8, 10, 12) else 30 if m.month != 2 else 28)


def test_meetings_are_the_work_log_without_door_to_door_publicity(demo):
    services, db = demo
    rows = services.registers.meetings(FLT).rows
    (n,), = sql(db, "SELECT count(*) FROM work_log WHERE deleted_at IS NULL AND kind != 'publicity' "
                    "AND log_date BETWEEN ? AND ?", f"{YEAR}-01-01", f"{YEAR}-12-31")
    assert len(rows) == n > 0
    assert [r.log_date for r in rows] == sorted(r.log_date for r in rows)


def test_fund_book_balances_add_up_and_agree_with_the_donation_cash(demo):
    services, db = demo
    _, book = services.registers.fund_book(FLT)
    assert book.entries and "捐赠资金" in book.funds()
    for fund in book.funds():
        entries = [e for e in book.entries if e.fund == fund]
        balance = Decimal("0")
        for e in entries:
            balance = e.balance if e.on is None else balance + e.income - e.expense
            assert e.balance == balance, (fund, e)
    # the cash donations fund ends where the donations service's cash balances end (everything up to today is
    # within the demo year)
    last = [e for e in book.entries if e.fund == "捐赠资金"][-1]
    assert last.balance == sum(r.balance for r in services.donations.cash_balances())
    received = sum(e.income for e in book.entries if e.fund != "捐赠资金")
    (total,), = sql(db, "SELECT sum(f.received_amount) FROM funding_line f JOIN project p ON p.id = f.project_id "
                        "WHERE f.deleted_at IS NULL AND p.deleted_at IS NULL AND p.status != 'cancelled'")
    assert received == Decimal(str(total))


def test_goods_stock_derives_from_the_donations_stock(demo):
    services, db = demo
    rows = services.registers.goods_stock(FLT).rows
    stock = services.donations.stock()
    assert sum(r.closing for r in rows) == sum(s.on_hand for s in stock)
    assert sum(r.received for r in rows) == sum(s.received for s in stock)
    assert sum(r.given for r in rows) == sum(s.distributed for s in stock) > 0
    assert len(rows) == len({(s.name, s.spec or "", s.unit or "") for s in stock})
    for r in rows:
        assert r.opening + r.received - r.given == r.closing


def test_guarantee_checks_print_every_checked_visit(demo):
    services, db = demo
    rows = services.registers.guarantee_checks(FLT).rows
    (n,), = sql(db, "SELECT count(DISTINCT v.id) FROM visit v JOIN visit_check c ON c.visit_id = v.id "
                    "WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL AND v.visit_date BETWEEN ? AND ?",
                f"{YEAR}-01-01", f"{YEAR}-12-31")
    assert len(rows) == n > 0
    (items,), = sql(db, "SELECT count(*) FROM visit v JOIN visit_check c ON c.visit_id = v.id "
                        "WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL AND v.visit_date BETWEEN ? AND ?",
                    f"{YEAR}-01-01", f"{YEAR}-12-31")
    assert sum(len(r.items) for r in rows) == items


def test_project_assets_are_the_projects_with_an_asset_class(demo):
    services, db = demo
    rows = services.registers.project_assets(FLT).rows
    formed = ("accepted", "handed_over", "evaluated", "operating")  # from 竣工验收/报账 on
    (n,), = sql(db, "SELECT count(*) FROM project WHERE deleted_at IS NULL AND asset_type IS NOT NULL "
                    f"AND status IN {formed}")
    (building,), = sql(db, "SELECT count(*) FROM project WHERE deleted_at IS NULL AND asset_type IS NOT NULL "
                           f"AND status NOT IN {formed} AND status != 'cancelled'")
    assert len(rows) == n > 0 and building > 0  # the demo has projects still being built: left out
    assert {r.asset_type for r in rows} <= {"operating", "public", "household"}


def test_sign_in_sheet_marks_the_days_before_a_member_joined(demo):
    """A member who joined mid-month is in that month's grid from the day she joined, not in earlier months."""
    services, db = demo
    (name, start), = sql(db, "SELECT name, start_date FROM cadre WHERE in_team AND deleted_at IS NULL "
                             "ORDER BY start_date DESC LIMIT 1")
    joined = date.fromisoformat(str(start)[:10])
    assert joined.day > 1  # the demo team arrives mid-month
    _, months = services.registers.sign_in_sheets(ReportFilter(Period.year(joined.year)))
    by_month = {m.month: {r.name: r for r in m.rows} for m in months}
    assert all(name not in by_month[m] for m in range(1, joined.month))
    row = by_month[joined.month][name]
    assert row.serving[0] == joined.day and all(day >= joined.day for day in row.days)
