"""services.demo (demo village) and services.checks (全面检查) on it."""
from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.idcard import IdCardNumber
from fupin_desktop.domain.text import search_keys
from fupin_desktop.services.checks import CheckFinding, run_checks
from fupin_desktop.services.demo import DemoSummary, generate_demo, monitoring_line_for
from fupin_desktop.storage.db import Database
from fupin_desktop.storage.models import Base

YEAR = 2024
REF = date(YEAR, 12, 31)
# Tables the demo leaves alone: logins, photos, settings, local code items, merge bookkeeping.
NOT_FILLED = {"app_user", "attachment", "setting", "code_extension", "sync_state",
              "field_version", "sync_conflict", "sender_key",  # sync bookkeeping: filled by edits and merges
              "period_close"}  # 结账 is the team's own act after printing, never pre-made in a demo village


def _fresh(template_db, folder) -> Database:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fupin.sqlite3"
    shutil.copyfile(template_db, path)
    return Database(f"sqlite:///{path}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, template_db):
    """60 households for YEAR, generated once for the read-only tests of this module."""
    db = _fresh(template_db, tmp_path_factory.mktemp("demo"))
    calls = []
    summary = generate_demo(db, 60, seed=7, year=YEAR, progress=lambda d, t, s: calls.append((d, t, s)))
    yield db, summary, calls
    db.dispose()


def _rows(db, sql: str, **params):
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def _scalar(db, sql: str, **params):
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# --- the contract -------------------------------------------------------------------------------------------------


def test_demo_passes_every_check(demo):
    db, summary, _ = demo
    assert isinstance(summary, DemoSummary)
    assert run_checks(db, today=REF) == []
    assert run_checks(db, today=date(YEAR + 2, 6, 1)) == []  # still clean when looked at later
    assert run_checks(db) == []


def test_every_table_is_filled(demo):
    db, summary, _ = demo
    empty = [t.name for t in Base.metadata.sorted_tables
             if t.name not in NOT_FILLED and not _scalar(db, f'SELECT count(*) FROM "{t.name}"')]
    assert empty == []
    assert summary["household"] == 60 == _scalar(db, "SELECT count(*) FROM household")
    assert summary.members == summary["member"] == _scalar(db, "SELECT count(*) FROM member")
    for table, count in summary.counts.items():
        assert _scalar(db, f'SELECT count(*) FROM "{table}"') == count, table


def test_progress_reaches_the_end(demo):
    _, _, calls = demo
    assert calls and calls[-1][0] == calls[-1][1]
    assert [d for d, _, _ in calls] == sorted(d for d, _, _ in calls)


def test_same_seed_same_people_other_seed_other_people(template_db, tmp_path):
    def people(seed: int, folder: str):
        db = _fresh(template_db, tmp_path / folder)
        generate_demo(db, 25, seed=seed, year=YEAR)
        rows = _rows(db, "SELECT h.number, h.head_name, m.name, m.id_number, m.relation, m.birth_date "
                         "FROM member m JOIN household h ON h.id = m.household_id ORDER BY h.number, m.sort_order")
        visits = _rows(db, "SELECT h.number, v.visit_date FROM visit v JOIN household h ON h.id = v.household_id "
                           "ORDER BY 1, 2")
        ids = {r[0] for r in _rows(db, "SELECT id FROM household")}
        db.dispose()
        return rows, visits, ids

    first, first_visits, first_ids = people(3, "a")
    again, again_visits, again_ids = people(3, "b")
    other, _, _ = people(4, "c")
    assert first == again and first_visits == again_visits
    assert first != other
    assert not first_ids & again_ids  # UUID keys differ: two demo files can still be merged


def test_bad_arguments(db):
    with pytest.raises(ValidationError):
        generate_demo(db, 0)
    with pytest.raises(ValidationError):
        generate_demo(db, 5, year=date.today().year + 1)
    assert _scalar(db, "SELECT count(*) FROM household") == 0


def test_cancel_rolls_everything_back(db):
    class Cancelled(Exception):
        pass

    class Token:
        def raise_if_cancelled(self):
            raise Cancelled

    with pytest.raises(Cancelled):
        generate_demo(db, 30, year=YEAR, cancel=Token(), batch=10)
    assert _scalar(db, "SELECT count(*) FROM household") == 0
    assert _scalar(db, "SELECT count(*) FROM village") == 0


def test_default_year_is_this_year_up_to_today(db):
    """Issue 18 item 14: without a year the demo village is dated this year, up to today."""
    summary = generate_demo(db, 8, seed=3)
    today = date.today()
    assert summary.year == today.year
    latest = _scalar(db, "SELECT max(visit_date) FROM visit")
    if today.timetuple().tm_yday > 14:  # the first days of January may have no visit yet
        assert latest is not None and _day(latest).year == today.year and _day(latest) <= today


def test_current_year_stays_in_the_past(db):
    today = date.today()
    generate_demo(db, 20, seed=2, year=today.year)
    for table, column in (("visit", "visit_date"), ("attendance", "day"), ("diary_entry", "entry_date"),
                          ("problem_event", "event_date"), ("member", "birth_date"), ("measure", "measure_date")):
        latest = _scalar(db, f"SELECT max({column}) FROM {table}")
        assert latest is None or _day(latest) <= today, table
    assert run_checks(db) == []


# --- realism: the invariants the services keep ----------------------------------------------------------------------


def test_households_and_members_are_consistent(demo):
    db, _, _ = demo
    members = defaultdict(list)
    for row in _rows(db, "SELECT * FROM member ORDER BY sort_order"):
        members[row.household_id].append(row)
    area = "130204"
    for h in _rows(db, "SELECT * FROM household"):
        ms = members[h.id]
        assert h.member_count == len(ms) and 1 <= len(ms) <= 7
        heads = [m for m in ms if m.relation == "head"]
        assert len(heads) == 1 and heads[0].sort_order == 0
        assert h.head_name == heads[0].name and h.head_id_number == heads[0].id_number
        assert (h.name_pinyin, h.name_initials) == search_keys(h.head_name)
        spouses = [m for m in ms if m.relation == "spouse"]
        assert len(spouses) <= 1 and all(s.sex != heads[0].sex for s in spouses)
        assert h.number.startswith("130204203213") and h.group_name.startswith("第")
        for m in ms:
            card = IdCardNumber.parse(m.id_number)
            assert card.area_code == area and card.sex == m.sex and card.birth_date == _day(m.birth_date)
            assert (m.education is None) != (m.schooling is None)
            assert bool(m.resident_medical) != bool(m.employee_medical)
            assert bool(m.work_place) == bool(m.work_months)
            assert m.name_pinyin == search_keys(m.name)[0]
            age = card.age_on(REF)
            if m.relation in ("son", "daughter"):
                assert age <= card_age(heads[0], REF) - 18
    assert len({m.id_number for ms in members.values() for m in ms}) == sum(len(ms) for ms in members.values())


def card_age(member, on: date) -> int:
    return IdCardNumber.parse(member.id_number).age_on(on)


def test_codes_are_from_the_code_lists(demo):
    db, _, _ = demo
    columns = {
        ("household", "household_type"): "household_type", ("household", "monitoring_category"): "monitoring_category",
        ("household", "monitoring_stage"): "monitoring_stage", ("household", "elimination_way"): "elimination_way",
        ("household", "housing_grade"): "housing_grade", ("member", "relation"): "relation", ("member", "sex"): "sex",
        ("member", "education"): "education", ("member", "schooling"): "schooling",
        ("member", "labour_skill"): "labour_skill", ("member", "political_status"): "political_status",
        ("member", "ethnicity"): "ethnicity", ("member", "id_type"): "id_type",
        ("member", "disability_category"): "disability_category", ("member", "disability_level"): "disability_level",
        ("cadre", "role"): "cadre_role", ("cadre", "sex"): "sex", ("visit", "method"): "visit_method",
        ("visit", "satisfaction"): "satisfaction", ("visit_purpose", "purpose"): "visit_purpose",
        ("visit_check", "item"): "guarantee_item", ("problem", "status"): "problem_status",
        ("problem", "source"): "problem_source", ("problem", "satisfaction"): "satisfaction",
        ("problem_event", "to_status"): "problem_status", ("attendance", "status"): "attendance_status",
        ("diary_entry", "weather"): "weather", ("work_log", "kind"): "worklog_kind",
        ("project", "category"): "project_category", ("project", "nature"): "project_nature",
        ("project", "status"): "project_status", ("project", "action_type"): "action_type",
        ("project", "asset_type"): "asset_type", ("funding_line", "source"): "funding_source",
        ("donor", "kind"): "donor_kind", ("donation", "kind"): "donation_kind",
        ("distribution", "target_kind"): "distribution_target_kind", ("purchase", "channel"): "purchase_channel",
        ("monitoring_step", "stage"): "monitoring_stage", ("monitoring_step", "source"): "clue_source",
        ("monitoring_step", "category"): "monitoring_category", ("measure", "category"): "measure_category",
    }
    for (table, column), list_name in columns.items():
        values = {r[0] for r in _rows(db, f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL")}
        assert values <= set(codes.get(list_name).codes()), (table, column, values)
    for column, list_name in (("risk_types", "risk_type"), ("poverty_causes", "poverty_cause")):
        for (value,) in _rows(db, f"SELECT {column} FROM household WHERE {column} != ''"):
            parts = value.split(",")
            assert 1 <= len(parts) <= 5 and set(parts) <= set(codes.get(list_name).codes())
    for (value,) in _rows(db, "SELECT DISTINCT health FROM member"):
        assert set(value.split(",")) <= set(codes.get("health").codes())


def test_household_types_and_monitoring(tmp_path, template_db):
    db = _fresh(template_db, tmp_path / "big")
    generate_demo(db, 1500, seed=11, year=YEAR)
    types = Counter(r[0] for r in _rows(db, "SELECT household_type FROM household"))
    alleviated = sum(v for k, v in types.items() if k in codes.ALLEVIATED_HOUSEHOLD_TYPES)
    assert 0.13 < alleviated / 1500 < 0.23
    assert types["dibao"] + types["tekun"] > 0 and types["ordinary"] / 1500 > 0.7
    monitored = _rows(db, "SELECT * FROM household WHERE monitoring_category IS NOT NULL")
    assert 0.015 < len(monitored) / 1500 < 0.05
    assert any(h.risk_eliminated for h in monitored) and not all(h.risk_eliminated for h in monitored)
    line = monitoring_line_for(YEAR)
    for h in monitored:
        assert h.identified_on is not None and _day(h.identified_on).day == 1 and h.risk_types
        steps = _rows(db, "SELECT stage, step_date FROM monitoring_step WHERE household_id = :h "
                          "ORDER BY step_date, rowid", h=h.id)
        stages = [s for s, _ in steps]
        assert stages[:8] == ["clue", "application", "verification", "village_review", "publicity",
                              "township_review", "county_approval", "identified"]
        assert (_day(steps[7][1]) - _day(steps[0][1])).days <= 15
        assert _day(steps[7][1]).replace(day=1) == _day(h.identified_on)
        assert h.monitoring_stage == stages[-1] == ("eliminated" if h.risk_eliminated else "assisting")
        if h.risk_eliminated:
            assert _day(h.eliminated_on) >= _day(h.identified_on).replace(month=1) and h.elimination_way
            income = _rows(db, "SELECT * FROM household_income WHERE household_id = :h AND year = :y",
                           h=h.id, y=YEAR)[0]
            net = (Decimal(str(income.wages)) + Decimal(str(income.business)) + Decimal(str(income.property_income))
                   + Decimal(str(income.transfer)) - Decimal(str(income.production_cost)))
            assert net / income.size >= line
        # monthly visits while monitored during the year
        months = {_day(v[0]).month for v in _rows(db, "SELECT visit_date FROM visit WHERE household_id = :h", h=h.id)}
        if _day(h.identified_on).year < YEAR and not h.risk_eliminated:
            assert months == set(range(1, 13))
    assert run_checks(db, today=REF) == []
    db.dispose()


def test_visits_problems_and_counters(demo):
    db, _, _ = demo
    for h in _rows(db, "SELECT * FROM household"):
        last = _scalar(db, "SELECT max(visit_date) FROM visit WHERE household_id = :h", h=h.id)
        assert (None if last is None else _day(last)) == (None if h.last_visit_on is None else _day(h.last_visit_on))
        open_count = _scalar(db, "SELECT count(*) FROM problem WHERE household_id = :h "
                                 "AND status IN ('pending', 'in_progress')", h=h.id)
        assert h.open_problems == open_count
    per_visit = Counter(r[0] for r in _rows(db, "SELECT visit_id FROM visit_cadre"))
    assert set(per_visit.values()) <= {1, 2}
    assert _scalar(db, "SELECT count(*) FROM visit v WHERE NOT EXISTS "
                       "(SELECT 1 FROM visit_purpose p WHERE p.visit_id = v.id)") == 0
    assert _scalar(db, "SELECT count(*) FROM visit WHERE present = 0") > 0
    statuses = {r[0] for r in _rows(db, "SELECT DISTINCT status FROM problem")}
    assert statuses == set(codes.get("problem_status").codes())
    for p in _rows(db, "SELECT * FROM problem"):
        events = _rows(db, "SELECT from_status, to_status, event_date FROM problem_event WHERE problem_id = :p "
                           "ORDER BY event_date, rowid", p=p.id)
        assert events[0][:2] == (None, "pending") and events[-1][1] == p.status
        assert all(a[1] == b[0] for a, b in zip(events, events[1:]))  # each step starts where the last ended
        assert [_day(e[2]) for e in events] == sorted(_day(e[2]) for e in events)
        assert _day(events[0][2]) == _day(p.raised_on) and _day(events[-1][2]) <= REF
        if p.status in ("resolved", "unsolvable", "revisited"):
            assert p.resolution and p.closed_on
        if p.status == "revisited":
            assert p.revisited_on and p.satisfaction
        if p.source == "visit":
            assert _day(_scalar(db, "SELECT visit_date FROM visit WHERE id = :v", v=p.visit_id)) == _day(p.raised_on)


def test_team_pairings_diaries_attendance_and_worklogs(demo):
    db, _, _ = demo
    team = _rows(db, "SELECT * FROM cadre WHERE in_team = 1")
    assert sorted(c.role for c in team) == ["member", "member", "secretary"]
    per_helper = Counter(r[0] for r in _rows(db, "SELECT cadre_id FROM pairing"))
    assert per_helper and max(per_helper.values()) <= 5
    helpers = _rows(db, "SELECT role, in_team FROM cadre WHERE id IN (SELECT cadre_id FROM pairing)")
    assert {(r[0], r[1]) for r in helpers} == {("helper", 0)}
    paired_types = {r[0] for r in _rows(db, "SELECT DISTINCT h.household_type FROM pairing p "
                                            "JOIN household h ON h.id = p.household_id")}
    assert "alleviated_general" in paired_types
    assert _scalar(db, "SELECT count(*) FROM (SELECT author_id, entry_date FROM diary_entry "
                       "GROUP BY 1, 2 HAVING count(*) > 1)") == 0
    for c in team:
        days = Counter(_day(r[0]).month for r in _rows(db, "SELECT day FROM attendance WHERE cadre_id = :c AND "
                                                           "status = 'in_village'", c=c.id))
        assert sorted(days) == list(range(1, 13)) and all(20 <= n <= 24 for n in days.values())
        assert _scalar(db, "SELECT count(*) FROM attendance WHERE cadre_id = :c", c=c.id) == 366  # 2024: leap
    kinds = Counter(r[0] for r in _rows(db, "SELECT kind FROM work_log"))
    assert set(kinds) == set(codes.get("worklog_kind").codes())
    for lo, hi in (("2024-01-01", "2024-06-30"), ("2024-07-01", "2024-12-31")):
        n = _scalar(db, "SELECT count(*) FROM work_log WHERE kind = 'committee' AND log_date BETWEEN :a AND :b",
                    a=lo, b=hi)
        assert 8 <= n <= 10


def test_projects_donations_and_purchases(demo):
    db, _, _ = demo
    projects = _rows(db, "SELECT * FROM project")
    assert 6 <= len(projects) <= 10
    for p in projects:
        lines = _rows(db, "SELECT planned_amount, received_amount FROM funding_line WHERE project_id = :p", p=p.id)
        assert len(lines) >= 2
        assert sum(Decimal(str(a)) for a, _ in lines) == Decimal(str(p.total_investment))
        assert all(Decimal(str(r)) <= Decimal(str(a)) for a, r in lines)
        assert _scalar(db, "SELECT count(*) FROM project_event WHERE project_id = :p", p=p.id) > 0
    assert _scalar(db, "SELECT count(*) FROM project_event WHERE kind = 'progress'") > 0
    kinds = {r[0] for r in _rows(db, "SELECT DISTINCT kind FROM donation")}
    assert kinds == {"cash", "goods"}
    for item in _rows(db, "SELECT * FROM donation_item"):
        given = _scalar(db, "SELECT coalesce(sum(quantity), 0) FROM distribution WHERE item_id = :i", i=item.id)
        assert Decimal(str(given)) <= Decimal(str(item.quantity))
    for d in _rows(db, "SELECT * FROM donation WHERE kind = 'cash'"):
        given = _scalar(db, "SELECT coalesce(sum(amount), 0) FROM distribution WHERE donation_id = :d", d=d.id)
        assert Decimal(str(given)) <= Decimal(str(d.amount))
    for d in _rows(db, "SELECT * FROM donation WHERE kind = 'goods'"):
        total = _scalar(db, "SELECT sum(amount) FROM donation_item WHERE donation_id = :d", d=d.id)
        assert Decimal(str(total)) == Decimal(str(d.amount))
    for p in _rows(db, "SELECT * FROM purchase"):
        links = _scalar(db, "SELECT count(*) FROM purchase_household WHERE purchase_id = :p", p=p.id)
        assert links == p.households_benefiting >= 1


# --- run_checks finds what is wrong ---------------------------------------------------------------------------------


def test_checks_find_rule_breaks_duplicates_and_audit_edits(tmp_path, template_db):
    db = _fresh(template_db, tmp_path / "broken")
    generate_demo(db, 30, seed=5, year=YEAR)
    with db.engine.begin() as conn:
        two = conn.execute(text("SELECT household_id FROM member GROUP BY household_id HAVING count(*) >= 2 "
                                "LIMIT 2")).scalars().all()
        first = conn.execute(text("SELECT id, id_number FROM member WHERE household_id = :h AND relation = 'head'"),
                             {"h": two[0]}).one()
        # a second 户主 in one household, and the first head's ID number copied into another household
        conn.execute(text("UPDATE member SET relation = 'head' WHERE household_id = :h AND relation != 'head'"),
                     {"h": two[0]})
        conn.execute(text("UPDATE member SET id_number = :n WHERE household_id = :h AND relation != 'head'"),
                     {"n": first.id_number, "h": two[1]})
        conn.execute(text("UPDATE audit_entry SET detail = 'edited'"))
    found = run_checks(db, today=REF)
    assert all(isinstance(f, CheckFinding) for f in found)
    rules = Counter(f.rule for f in found)
    assert rules["head_count"] == 1
    assert rules["duplicate_id"] >= 2
    assert rules["audit"] == 1
    assert all(f.message and f.title for f in found)
    head = next(f for f in found if f.rule == "head_count")
    assert head.household_id == two[0] and "户主" in str(head) and head.severity == "error"
    db.dispose()
