"""Targets per cadre and per team (issue 17 item 8): 驻村天数, 走访户数, 民情日记天数 (days written, not entries),
破解难题件数, 意见建议条数; the team's target is the sum of its cadres'; the 意见建议 record kind."""
from __future__ import annotations

from datetime import date

import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.idcard import make_id
from fupin_desktop.services.diary import DiaryInput
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.problems import ProblemInput
from fupin_desktop.services.suggestions import SuggestionInput
from fupin_desktop.services.visits import VisitInput

YEAR = 2024


def _household(services, name, seq):
    head = MemberInput(name=name, relation="head", id_number=make_id("130204", date(1970, 1, 1), seq))
    return services.households.create(HouseholdInput(head_name=name), [head]).value.id


@pytest.fixture
def team(services, village):
    _v, cadres = village
    secretary, member = cadres[0].id, cadres[1].id
    a, b = _household(services, "张三", 11), _household(services, "李四", 13)
    visit = services.visits.log_visit
    visit(VisitInput(household_id=a, visit_date=date(2024, 3, 1), cadre_ids=(secretary, member), purposes=("policy",)))
    visit(VisitInput(household_id=a, visit_date=date(2024, 4, 1), cadre_ids=(secretary,), purposes=("policy",)))
    visit(VisitInput(household_id=b, visit_date=date(2024, 4, 2), cadre_ids=(secretary,), purposes=("policy",)))
    visit(VisitInput(household_id=b, visit_date=date(2023, 12, 2), cadre_ids=(member,), purposes=("policy",)))
    for day, content in ((date(2024, 5, 6), "上午走访"), (date(2024, 5, 7), "入户")):
        services.diary.create(DiaryInput(author_id=secretary, entry_date=day, content=content))
    services.diary.create(DiaryInput(author_id=member, entry_date=date(2024, 5, 6), content="走访"))
    for day in (date(2024, 6, 3), date(2024, 6, 4)):
        services.attendance.set_day(secretary, day, "in_village")
    services.attendance.set_day(member, date(2024, 6, 3), "official_trip")
    services.attendance.set_day(member, date(2024, 6, 4), "leave")
    p = services.problems.raise_problem(ProblemInput("路灯坏了", a, member, raised_on=date(2024, 5, 1))).value
    services.problems.move(p.id, "resolved", resolution="已修好")
    services.suggestions.create(SuggestionInput(member, "乡党委", "建议设立村级就业信息栏", made_on=date(2024, 2, 1),
                                                adopted=True, adopted_note="乡里已在各村推广"))
    return services, secretary, member


def test_the_home_page_diary_figure_counts_days_written_not_entries(team):
    services, _s, _m = team
    diary = next(y for y in services.stats.year_figures(YEAR) if y.key == "diary_days")
    # the team wrote on two days (5月6日 by both, 5月7日): three entries; the yearly target (≤ 366) is in days
    assert diary.actual == 2


def test_progress_per_cadre_and_team_against_targets(team):
    services, secretary, member = team
    services.targets.set_targets(secretary, YEAR, {"village_days": 200, "households_visited": 100,
                                                   "diary_days": 100})
    services.targets.set_targets(member, YEAR, {"village_days": 200, "households_visited": 50, "suggestions": 4})
    progress = services.targets.progress(YEAR)
    sec = next(r for r in progress.cadres if r.cadre_id == secretary)
    mem = next(r for r in progress.cadres if r.cadre_id == member)
    assert [sec.actual(m) for m in ("village_days", "households_visited", "diary_days", "problems_solved",
                                    "suggestions")] == [2, 2, 2, 0, 0]
    assert [mem.actual(m) for m in ("village_days", "households_visited", "diary_days", "problems_solved",
                                    "suggestions")] == [1, 1, 1, 1, 1]
    assert sec.target("suggestions") is None and mem.target("suggestions") == 4
    assert sec.of("diary_days").percent == 2
    team_ = progress.team
    assert team_.target("village_days") == 400 and team_.target("households_visited") == 150
    assert team_.target("diary_days") == 100 and team_.target("problems_solved") is None
    assert team_.actual("households_visited") == 2  # 张三 visited by both is one household of the team
    assert team_.actual("diary_days") == 3 and team_.actual("village_days") == 3


def test_targets_can_be_changed_and_removed_and_are_one_record_per_cadre_year_metric(team, db):
    from fupin_desktop.services.targets import target_id
    from fupin_desktop.storage.models import CadreTarget

    services, secretary, _m = team
    services.targets.set_targets(secretary, YEAR, {"diary_days": 100})
    services.targets.set_targets(secretary, YEAR, {"diary_days": 120, "suggestions": 5})
    assert services.targets.targets(secretary, YEAR) == {"diary_days": 120, "suggestions": 5}
    services.targets.set_targets(secretary, YEAR, {"suggestions": None})
    services.targets.set_targets(secretary, YEAR, {"suggestions": 6})
    assert services.targets.targets(secretary, YEAR) == {"diary_days": 120, "suggestions": 6}
    with db.read() as s:
        assert s.get(CadreTarget, target_id(secretary, YEAR, "diary_days")).value == 120
        assert s.query(CadreTarget).count() == 2
    with pytest.raises(ValidationError) as err:
        services.targets.set_targets(secretary, YEAR, {"diary_days": -1})
    assert err.value.field == "diary_days"


def test_suggestions_are_listed_validated_audited_and_travel(team):
    from fupin_desktop.services.audit import AuditQuery
    from fupin_desktop.storage.versions import synced_tables

    services, _s, member = team
    rows = services.suggestions.list(date(2024, 1, 1), date(2024, 12, 31))
    assert [(r.cadre_name, r.addressee, r.adopted, r.adopted_note) for r in rows] == [
        ("李队员", "乡党委", True, "乡里已在各村推广")]
    with pytest.raises(ValidationError) as err:
        services.suggestions.create(SuggestionInput(member, "  ", "内容"))
    assert err.value.field == "addressee"
    with pytest.raises(ValidationError) as err:
        services.suggestions.create(SuggestionInput(member, "乡党委", "内容", made_on=date(2024, 7, 1)))
    assert err.value.field == "made_on"
    entries = services.audit.list(AuditQuery())
    assert any(e.entity == "suggestion" and e.action == "insert" for e in entries)
    from fupin_desktop.exchange.audit_text import render_value

    assert render_value("suggestion", "addressee", "乡党委") == ("提出对象", "乡党委")  # the 操作记录 reads Chinese
    assert render_value("cadre_target", "metric", "diary_days") == ("目标项目", "民情日记天数")
    assert "suggestion" in synced_tables() and "cadre_target" in synced_tables()


def test_the_summary_states_each_cadres_progress_against_the_targets(team):
    from fupin_desktop.reports.summary import draft_text
    from fupin_desktop.services.report_lines import Period, ReportFilter

    services, secretary, member = team
    services.targets.set_targets(secretary, YEAR, {"village_days": 200, "diary_days": 100})
    services.targets.set_targets(member, YEAR, {"suggestions": 4})
    fig = services.reporting.summary_figures(ReportFilter(Period.half(YEAR, 1)))
    assert fig.targets.team.target("village_days") == 200
    text = draft_text(fig)
    assert ("对照2024年个人目标（截至2024年6月28日，完成数/目标数）：张书记驻村2/200天、走访2户、写民情日记2/100天、"
            "破解难题0件、提出意见建议0条；李队员驻村1天、走访1户、写民情日记1天、破解难题1件、提出意见建议1/4条；"
            "工作队合计驻村3/200天、走访2户、写民情日记3/100天、破解难题1件、提出意见建议1/4条。") in text
