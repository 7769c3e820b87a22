"""storage.bulk (Core bulk inserts, clearing) and storage.integrity (pragmas, the household fact stream)."""
from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from fupin_desktop.domain.idcard import make_id
from fupin_desktop.storage.audit import verify_chain
from fupin_desktop.storage.bulk import bulk_connection, bulk_insert, delete_all, record_audit
from fupin_desktop.storage.integrity import (
    foreign_key_check,
    household_facts,
    is_empty,
    quick_check,
    row_counts,
)
from fupin_desktop.storage.models import (
    AuditEntry,
    Cadre,
    Household,
    HouseholdIncome,
    Measure,
    Member,
    MonitoringLine,
    User,
    Village,
    utcnow,
)

VILLAGE_ID = "00000000-0000-4000-8000-000000000001"


def _count(db, model) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def _village(db) -> str:
    bulk_insert(db, Village, [{"id": VILLAGE_ID, "name": "东兴村", "division_code": "130204203213"}])
    return VILLAGE_ID


def _households(n: int, **extra) -> list[dict]:
    return [{"village_id": VILLAGE_ID, "number": f"130204203213{i:04d}", "head_name": f"张{i}", **extra}
            for i in range(1, n + 1)]


# --- bulk_insert ----------------------------------------------------------------------------------------------------


def test_fills_ids_timestamps_and_column_defaults(db):
    _village(db)
    before = utcnow()
    assert bulk_insert(db, Household, _households(3)) == 3
    with db.engine.connect() as conn:
        rows = conn.execute(select(Household)).all()
    assert len({r.id for r in rows}) == 3 and all(len(r.id) == 36 for r in rows)
    assert all(r.created_at == r.updated_at and r.created_at >= before.replace(microsecond=0) for r in rows)
    assert all(r.deleted_at is None for r in rows)
    # Python-side defaults of the model apply to columns no row mentions.
    assert {r.household_type for r in rows} == {"ordinary"}
    assert {r.member_count for r in rows} == {0}
    assert {r.risk_eliminated for r in rows} == {False}


def test_rows_with_different_keys_get_defaults_for_the_missing_ones(db):
    _village(db)
    rows = _households(4)
    rows[1]["household_type"] = "alleviated_general"
    rows[2]["phone"] = "13812345678"
    bulk_insert(db, Household, rows, chunk=2)
    with db.engine.connect() as conn:
        got = {r.head_name: r for r in conn.execute(select(Household))}
    assert got["张2"].household_type == "alleviated_general"
    assert got["张1"].household_type == "ordinary" and got["张3"].household_type == "ordinary"
    assert got["张3"].phone == "13812345678" and got["张4"].phone is None


def test_the_callers_dicts_are_not_changed(db):
    _village(db)
    rows = _households(2)
    copies = [dict(r) for r in rows]
    bulk_insert(db, Household, rows)
    assert rows == copies


def test_chunks_share_one_transaction_all_or_nothing(db):
    _village(db)
    rows = _households(12)
    rows[-1]["village_id"] = "no-such-village"  # a foreign key violation in the last chunk
    with pytest.raises(IntegrityError):
        bulk_insert(db, Household, rows, chunk=5)
    assert _count(db, Household) == 0
    assert bulk_insert(db, Household, _households(12), chunk=5) == 12
    assert _count(db, Household) == 12


def test_accepts_generators_and_empty_input(db):
    _village(db)
    assert bulk_insert(db, Household, iter([])) == 0
    assert bulk_insert(db, Household, (row for row in _households(7)), chunk=3) == 7


def test_unknown_column_is_refused(db):
    _village(db)
    with pytest.raises(KeyError, match="no_such_column"):
        bulk_insert(db, Household, [{**_households(1)[0], "no_such_column": 1}])
    assert _count(db, Household) == 0


def test_bad_chunk_size(db):
    with pytest.raises(ValueError):
        bulk_insert(db, Village, [], chunk=0)


def test_a_connection_keeps_the_callers_transaction(db):
    _village(db)
    with db.engine.connect() as conn:
        trans = conn.begin()
        bulk_insert(conn, Household, _households(3))
        assert conn.execute(select(func.count()).select_from(Household.__table__)).scalar_one() == 3
        trans.rollback()
    assert _count(db, Household) == 0
    with db.engine.connect() as conn:  # no transaction open: one is opened and committed
        bulk_insert(conn, Household, _households(2))
    assert _count(db, Household) == 2


def test_a_session_writes_inside_its_unit_of_work(db):
    _village(db)
    with db.unit_of_work() as session:
        bulk_insert(session, Household, _households(2))
    assert _count(db, Household) == 2
    with pytest.raises(RuntimeError):
        with db.unit_of_work() as session:
            bulk_insert(session, Household, _households(2))
            raise RuntimeError("rolled back")
    assert _count(db, Household) == 2


def test_bulk_connection_is_one_transaction_and_restores_the_cache(db):
    _village(db)
    with pytest.raises(RuntimeError):
        with bulk_connection(db) as conn:
            bulk_insert(conn, Household, _households(3))
            raise RuntimeError("interrupted")
    assert _count(db, Household) == 0
    with bulk_connection(db, cache_mb=32) as conn:
        if db.is_sqlite:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -32 * 1024
        bulk_insert(conn, Household, _households(3))
        record_audit(conn, "demo", detail="测试")
    assert _count(db, Household) == 3
    with db.read() as session:
        assert verify_chain(session) == []
        assert session.execute(select(AuditEntry.action)).scalars().all() == ["demo"]


def test_delete_all_keeps_users_settings_and_the_audit_trail(db):
    _village(db)
    bulk_insert(db, Cadre, [{"id": "c1", "village_id": VILLAGE_ID, "name": "李书记", "role": "secretary"}])
    bulk_insert(db, User, [{"username": "admin", "display_name": "管理员", "cadre_id": "c1"}])
    bulk_insert(db, Household, _households(3))
    with db.unit_of_work() as session:  # an audited ORM write before the clearing
        session.add(Village(name="西村", division_code="130204203214"))
    assert not is_empty(db)
    removed = delete_all(db, "测试清空")
    assert removed["household"] == 3 and removed["village"] == 2 and removed["cadre"] == 1
    assert is_empty(db)
    counts = row_counts(db, ["app_user", "household", "village"])
    assert counts == {"app_user": 1, "household": 0, "village": 0}
    with db.read() as session:
        assert session.execute(select(User.cadre_id)).scalar_one() is None
        entries = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
        assert entries[-1].action == "purge" and "测试清空" in entries[-1].detail
        assert verify_chain(session) == []


# --- integrity ------------------------------------------------------------------------------------------------------


def test_quick_and_foreign_key_checks_pass_on_sound_data(db):
    _village(db)
    bulk_insert(db, Household, _households(2))
    assert quick_check(db) == []
    assert foreign_key_check(db) == []


def test_foreign_key_check_names_the_tables(db):
    if not db.is_sqlite:
        pytest.skip("PostgreSQL enforces foreign keys on every write")
    _village(db)
    db.dispose()
    # Another program (or an old version) wrote with foreign keys off.
    raw = sqlite3.connect(db.path)
    raw.execute("PRAGMA foreign_keys=OFF")
    for n in range(5):
        raw.execute("INSERT INTO member (id, household_id, name, name_pinyin, name_initials, id_type, relation, "
                    "dibao, tekun, sort_order, created_at, updated_at) VALUES (?, 'gone', '孤儿', '', '', "
                    "'resident_id', 'head', 0, 0, 0, '2024-01-01', '2024-01-01')", (f"m{n}",))
    raw.commit()
    raw.close()
    messages = foreign_key_check(db)
    assert len(messages) == 1
    assert "家庭成员表有5条记录引用的户不存在" in messages[0] and "m0" in messages[0]


def _member(hid: str, name: str, relation: str, born: date, seq: int, order: int, **extra) -> dict:
    return {"household_id": hid, "name": name, "relation": relation, "birth_date": born,
            "sex": "male" if seq % 2 else "female", "id_number": make_id("130204", born, seq),
            "sort_order": order, "education": "junior", "health": "healthy", "labour_skill": "ordinary",
            "resident_medical": True, "employee_medical": False, **extra}


def test_household_facts_streams_members_measures_and_income(db):
    _village(db)
    ids = ["h-c", "h-a", "h-b", "h-deleted"]
    rows = _households(4)
    for row, hid in zip(rows, ids):
        row["id"] = hid
    rows[0].update(monitoring_category="marginal", risk_types="illness,unstable_work",
                   identified_on=date(2024, 3, 1))
    rows[3]["deleted_at"] = utcnow()
    bulk_insert(db, Household, rows)
    members = [
        _member("h-c", "郑二", "spouse", date(1982, 5, 1), 2, 1),
        _member("h-c", "郑一", "head", date(1980, 1, 1), 1, 0, work_place="北京市", work_months=10),
        _member("h-c", "郑删", "son", date(2010, 1, 1), 3, 2, deleted_at=utcnow()),
        _member("h-a", "王一", "head", date(1950, 1, 1), 5, 0),
        _member("h-deleted", "赵一", "head", date(1960, 1, 1), 7, 0),
    ]
    bulk_insert(db, Member, members)
    bulk_insert(db, Measure, [
        {"household_id": "h-c", "category": "industry", "measure_date": date(2024, 4, 2), "content": "产业奖补"},
        {"household_id": "h-c", "category": "health", "measure_date": date(2024, 3, 9), "content": "医疗救助"},
        {"household_id": "h-c", "category": "employment", "measure_date": date(2024, 3, 20), "content": "就业"},
    ])
    bulk_insert(db, MonitoringLine, [{"year": 2023, "area": "", "amount": Decimal("7200")},
                                     {"year": 2024, "area": "", "amount": Decimal("7600")}])
    bulk_insert(db, HouseholdIncome, [
        {"household_id": "h-c", "year": 2023, "wages": Decimal("10000"), "transfer": Decimal("2000"), "size": 2},
        {"household_id": "h-c", "year": 2024, "wages": Decimal("20000"), "business": Decimal("5000"),
         "production_cost": Decimal("3000"), "size": 2},
        {"household_id": "h-c", "year": 2025, "wages": Decimal("1"), "size": 2},  # after "today": ignored
    ])
    facts = list(household_facts(db, date(2024, 12, 31)))
    assert [f.id for f in facts] == ["h-a", "h-b", "h-c"]  # deleted household left out, ordered by id
    a, b, c = facts
    assert [m.name for m in c.members] == ["郑一", "郑二"]  # sort order, deleted member left out
    assert c.members[0].work_place == "北京市" and c.members[0].work_months == 10
    assert c.members[0].birth_date == date(1980, 1, 1) and c.members[1].sex == "female"
    assert c.risk_types == ("illness", "unstable_work") and c.monitoring_category == "marginal"
    assert c.identified_on == date(2024, 3, 1) and not c.risk_eliminated
    assert c.development_measure_dates == (date(2024, 3, 20), date(2024, 4, 2))
    assert c.per_capita_income == Decimal("11000.00") and c.monitoring_line == Decimal("7600")
    assert b.members == () and b.per_capita_income is None and b.monitoring_line is None
    assert [m.name for m in a.members] == ["王一"] and a.risk_types == ()
    # An earlier "today" reads the income of that year against that year's line.
    earlier = {f.id: f for f in household_facts(db, date(2023, 6, 1))}
    assert earlier["h-c"].per_capita_income == Decimal("6000.00")
    assert earlier["h-c"].monitoring_line == Decimal("7200")


def test_household_facts_in_a_session_and_at_scale(db):
    _village(db)
    n = 3000
    rows = _households(n)
    for i, row in enumerate(rows):
        row["id"] = f"h{i:05d}"
    bulk_insert(db, Household, rows)
    born = date(1970, 1, 1)
    bulk_insert(db, Member, (
        _member(f"h{i:05d}", f"人{i}-{k}", "head" if k == 0 else "son", born + timedelta(days=i), 2 * k + 1, k)
        for i in range(n) for k in range(3)
    ))
    with db.read() as session:
        facts = list(household_facts(session, date(2024, 1, 1)))
    assert len(facts) == n
    assert all(len(f.members) == 3 and f.members[0].relation == "head" for f in facts)
    assert facts[1234].members[2].name == "人1234-2"
