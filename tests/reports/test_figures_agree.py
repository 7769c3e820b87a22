"""Issue 17 Done-when: the 工作总结, the printed ledgers and the 上报表 (exchange/report_book.py) agree on every figure
that more than one of them states, drawn from one demo village (figures computed once in services/; each document
is read here as its reader gets it: the summary's figures, the ledger lines and 合计 rows, the workbook's cells)."""
from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from fupin_desktop.domain import codes
from fupin_desktop.reports.ledgers import SPECS, _project_spec
from fupin_desktop.reports.summary import draft_text
from fupin_desktop.services.figures import monitored_now
from fupin_desktop.services.reporting import Period, ReportFilter

YEAR = Period.year(2024)


@pytest.fixture(scope="module")
def village(template_db, tmp_path_factory):
    from fupin_desktop.exchange.report_book import export_report_book
    from fupin_desktop.services import Services
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Actor, Database

    folder = tmp_path_factory.mktemp("agree")
    shutil.copyfile(template_db, folder / "fupin.sqlite3")
    db = Database(f"sqlite:///{folder / 'fupin.sqlite3'}")
    generate_demo(db, households=40, seed=11, year=2024)
    services = Services(db, actor=Actor(None, "王管理员", "admin"), data_dir=folder, today=lambda: date(2024, 12, 20))
    flt = ReportFilter(YEAR)
    fig = services.reporting.summary_figures(flt)
    ledgers = {k: services.reporting.ledger(k, flt) for k in SPECS.keys() | {"projects"}}
    export_report_book(services, folder / "book.xlsx", flt, form="masked")
    book = openpyxl.load_workbook(folder / "book.xlsx")
    yield fig, ledgers, book
    db.dispose()


def sheet(book, name) -> list[dict]:
    """The data rows of a 上报表 sheet as {column title: value} (header = the print-title rows)."""
    ws = book[name]
    a, b = (int(x) for x in ws.print_title_rows.replace("$", "").split(":"))
    titles = [ws.cell(b, c).value or ws.cell(a, c).value for c in range(1, ws.max_column + 1)]
    rows = []
    for r in range(b + 1, ws.max_row + 1):
        first = ws.cell(r, 1).value
        if first is None or str(first).startswith(("合计", "（本期无记录）", "说明")):
            break
        rows.append({t: ws.cell(r, c + 1).value for c, t in enumerate(titles)})
    return rows


def village_facts(book) -> dict:
    ws = book["村基本情况"]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def money(v) -> Decimal:
    return Decimal(str(v or 0)).quantize(Decimal("0.01"))


def test_the_demo_village_has_something_of_every_kind(village):
    """Guards the comparisons below against comparing zeros."""
    fig, ledgers, _ = village
    assert fig.visits and fig.paired_households and fig.problems.total and fig.projects and fig.giving.donation_count
    assert fig.giving.condolence_count and fig.purchases.purchase_count and fig.purchases.order_count
    assert fig.monitoring.remaining_households
    assert fig.diary_entries and fig.meetings and fig.village_days


def test_households_visits_and_pairings_agree(village):
    fig, ledgers, book = village
    facts = village_facts(book)
    roster = ledgers["roster"].rows
    from fupin_desktop.services.figures import is_target
    assert fig.target_households == sum(1 for h in roster if is_target(h)) == facts["帮扶对象户（户）"]
    assert len(roster) == len(sheet(book, "农户花名册"))
    visits = ledgers["visits"].rows
    total = SPECS["visits"].total(visits)
    assert fig.visits == len(visits) == len(sheet(book, "走访台账")) and total[0] == f"{fig.visits}户次"
    assert fig.visited_households == len({v.number for v in visits}) and total[2] == f"{fig.visited_households}户"
    assert fig.visited_households == len({r["户编号"] for r in sheet(book, "走访台账")})
    pairings = ledgers["pairings"].rows
    total = SPECS["pairings"].total(pairings)
    workbook = sheet(book, "结对帮扶")
    assert fig.paired_households == len({p.household_id for p in pairings}) == len({r["户编号"] for r in workbook})
    assert total[4] == f"{fig.paired_households}户" and total[0] == f"{fig.helpers}人"
    assert fig.helpers == len({r["帮扶责任人"] for r in workbook})
    below = sum(1 for p in pairings if p.below_minimum)
    assert total[-1] == f"未达标{below}对" and below == sum(1 for r in workbook if r["达标"] == "未达标")
    assert sum(p.visits_in_period for p in pairings) == sum(r["本人走访（次）"] or 0 for r in workbook)


def test_problems_diary_meetings_and_attendance_agree(village):
    fig, ledgers, book = village
    p = fig.problems
    rows = ledgers["problems"].rows
    workbook = sheet(book, "问题清单（销号台账）")
    assert p.total == len(rows) == len(workbook)
    assert p.raised + p.carried_over == p.resolved + p.unsolvable + sum(n for _, n in p.other_closed) + p.open
    assert f"已销号{p.closed}件" in SPECS["problems"].total(rows)
    assert p.closed == sum(1 for r in workbook if r["销号日期"])
    states = Counter(r["状态"] for r in workbook)
    assert p.unsolvable == states[codes.label("problem_status", "unsolvable")]
    text = draft_text(fig)
    assert f"收集群众诉求和问题{p.raised}件" in text and f"合计销号{p.closed}件" in text and f"在办{p.open}件" in text
    diary = ledgers["diary"].rows
    assert fig.diary_entries == len(diary) == len(sheet(book, "民情日记"))
    assert fig.diary_days == len({d.entry_date for d in diary})
    assert sum(n for _, n in fig.meetings) == len(ledgers["worklog"].rows) == len(sheet(book, "工作日志（会议）"))
    days = Counter()
    for a in ledgers["attendance"].rows:
        days[a.cadre_name] += a.village_days
    assert dict(fig.village_days) == dict(days)


def test_projects_agree(village):
    fig, ledgers, book = village
    ledger = ledgers["projects"]
    workbook = sheet(book, "项目台账")
    assert len(fig.projects) == len(ledger.rows) == len(workbook)
    assert fig.investment_total == sum((p.total_investment for p in ledger.rows), Decimal("0"))
    assert fig.investment_total == money(sum(Decimal(str(r["总投资"] or 0)) for r in workbook) * 10000)
    spec = _project_spec(ledger.sources)
    from fupin_desktop.services.projects import beneficiary_figures
    b = beneficiary_figures(ledger.rows)
    assert f"{b.household_times}户次" in spec.total(ledger.rows)
    assert b.household_times == sum(r["受益户"] or 0 for r in workbook)
    assert f"不重复{b.distinct_households}户" in spec.breakdown(ledger.rows)


def test_donations_condolences_and_purchases_agree(village):
    fig, ledgers, book = village
    g = fig.giving
    rows = ledgers["donations"].rows
    workbook = sheet(book, "捐赠台账")
    assert len(rows) == len(workbook) == g.donation_count + g.condolence_count + g.aid_count
    condolence = [r for r in workbook if r["慰问"] == "是"]
    assert g.condolence_count == len(condolence)
    assert g.condolence_cash + g.condolence_goods == sum(money(r["金额/价值（元）"]) for r in condolence)
    assert g.donation_cash + g.donation_goods + g.aid_amount == sum(
        money(r["金额/价值（元）"]) for r in workbook if r["慰问"] != "是")
    line = SPECS["donations"].breakdown(rows)
    assert f"慰问{g.condolence_count}笔" in line and f"社会捐赠{g.donation_count}笔" in line
    text = draft_text(fig)
    assert f"慰问{g.condolence_households}户" in text
    b = fig.purchases
    prow = ledgers["purchases"].rows
    pbook = sheet(book, "消费帮扶")
    assert b.purchase_count + b.order_count == len(prow) == len(pbook)
    assert b.amount == fig.purchase_amount == sum(money(r["金额（元）"]) for r in pbook)
    order = codes.label("purchase_channel", "order")
    assert b.order_amount == sum(money(r["金额（元）"]) for r in pbook if r["渠道"] == order)
    assert SPECS["purchases"].total(prow)[-1] == f"{b.households}户"
    assert f"带动农户不重复{b.households}户" in SPECS["purchases"].breakdown(prow)


def test_monitoring_agrees(village):
    fig, ledgers, book = village
    m = fig.monitoring
    rows = ledgers["monitored"].rows
    assert fig.monitored_now == m.remaining_households == monitored_now(rows)
    assert village_facts(book)["其中风险未消除（户）"] == fig.monitored_now
    assert village_facts(book)["监测户花名册（户）"] == len(rows) == len(sheet(book, "监测对象"))
    workbook = sheet(book, "监测对象")
    assert m.remaining_households == sum(1 for r in workbook if r["监测对象类别"] and r["是否消除"] == "否")
    assert m.eliminated_households == sum(1 for r in rows if r.risk_eliminated and r.eliminated_on
                                          and r.eliminated_on.year == 2024)
    assert m.identified_households == sum(1 for r in rows if r.identified_on and r.identified_on.year == 2024)
    text = draft_text(fig)
    assert f"未消除风险监测户{m.remaining_households}户" in text
