"""Reporting service: the figures of the 工作总结 and the ledgers' rows, built from records made through the services.

The seed-002 test rebuilds the half-year of seeds/002 (晋中市财政局驻梭罗峪村工作队 2017年上半年): 86 poor households,
53 reached, 33 long absent, 80+ visits, 9 两委 meetings, 1 座谈会, 1 党员大会 and the five projects with their
investments, then checks that the drafted summary states those same figures."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fupin_desktop.domain.money import format_wan
from fupin_desktop.reports.summary import draft_text, figure_rows
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.projects import FundingInput, ProjectInput
from fupin_desktop.services.reporting import Period, ReportFilter
from fupin_desktop.services.visits import VisitInput
from fupin_desktop.storage.models import WorkLog

H1_2017 = Period.half(2017, 1)

SEED_PROJECTS = [
    # name, total (元), content, funding
    ("梭罗峪村肉牛养殖场", "600000", "新建存栏百头中型肉牛养殖场，平整牛场地基",
     [("unit", "400000"), ("villagers", "200000")]),
    ("农牧合作社办公及农产品展销室", "70000", "合作社办公地址和农产品展销室", [("unit", "70000")]),
    ("填沟改水及储粮打谷场", "1100000", "填沟造地、筑路改水，新建储粮打谷场2200平米",
     [("county", "800000"), ("integrated", "300000")]),
    ("村容村貌综合整治", "200000", "硬化街巷1200平米，植树3200株，新建公厕2个", [("unit", "200000")]),
    ("村民文化活动广场", "1100000", "文体活动室、舞台、健身器材，占地2600平米",
     [("city", "600000"), ("county", "500000")]),
]


def build_seed_002(services, village) -> dict:
    _, team = village
    secretary, member = team[0], team[1]
    hh = []
    for i in range(86):
        kind = "wubao" if i < 3 else "dibao" if i < 5 else "poor_general"
        out = services.households.create(HouseholdInput(
            head_name=f"户主{i:02d}", household_type=kind, group_name=f"第{i % 4 + 1}组",
            long_absent=i >= 53)).value
        hh.append(out)
    for i in range(5):  # ordinary households are not counted as poor households
        services.households.create(HouseholdInput(head_name=f"一般户{i}"))
    for i, h in enumerate(hh):
        services.pairings.pair((secretary if i % 2 else member).id, h.id, start_date=date(2017, 1, 3))
    day = date(2017, 1, 5)
    visits = 0
    for i, h in enumerate(hh[:53]):  # every household in the village is reached once …
        services.visits.log_visit(VisitInput(h.id, day + timedelta(days=i % 150), (secretary.id,),
                                             ("condolence",) if i < 20 else ("policy",)))
        visits += 1
    for i, h in enumerate(hh[:29]):  # … and 29 of them a second time: 82 visits
        services.visits.log_visit(VisitInput(h.id, date(2017, 4, 1) + timedelta(days=i), (member.id,),
                                             ("screening",)))
        visits += 1
    services.visits.log_visit(VisitInput(hh[0].id, date(2017, 7, 3), (member.id,)))  # outside the half-year
    with services.db.unit_of_work() as s:
        for n in range(9):
            s.add(WorkLog(log_date=date(2017, 1 + n % 6, 10 + n), kind="committee", topic="村两委会议"))
        s.add(WorkLog(log_date=date(2017, 3, 2), kind="symposium", topic="老党员老干部座谈会"))
        s.add(WorkLog(log_date=date(2017, 4, 6), kind="party_congress", topic="党员支部大会"))
        s.add(WorkLog(log_date=date(2017, 5, 9), kind="party_lesson", topic="基层党组织建设会议"))
        s.add(WorkLog(log_date=date(2016, 12, 20), kind="committee", topic="对接会"))  # before the period
    for name, total, content, funding in SEED_PROJECTS:
        services.projects.create(ProjectInput(
            name=name, total_investment=Decimal(total), year=2017, content_scale=content, category="industry",
            planned_start=date(2017, 3, 1), status="in_progress",
            funding=tuple(FundingInput(src, Decimal(a)) for src, a in funding)))
    return {"households": hh, "visits": visits}


def test_seed_002_half_year_summary_states_the_seed_figures(services, village):
    built = build_seed_002(services, village)
    fig = services.reporting.summary_figures(ReportFilter(H1_2017))
    assert fig.target_households == 86
    assert fig.reached_households == 53
    assert fig.long_absent_households == 33
    assert fig.visits == built["visits"] == 82
    assert fig.meeting_count("committee") == 9
    assert fig.meeting_count("symposium") == 1
    assert fig.meeting_count("party_congress") == 1
    assert fig.pairing_covered == 86 and fig.pairing_coverage_percent == 100
    assert fig.investment_total == Decimal("3070000")
    assert len(fig.projects) == 5

    text = draft_text(fig)
    assert text.splitlines()[0] == "唐山市交通运输局驻大庄坨乡东兴村工作队2017年上半年工作总结"
    for phrase in ("共86户", "实际对接53户", "有33户长期不在村", "共入户走访82户次", "召开村两委会议9次",
                   "召开座谈会1次", "组织召开党员大会1次", "五保（特困）户3户", "低保户2户",
                   "帮扶项目5个，总投资307万元", "结对覆盖率100%"):
        assert phrase in text, phrase
    for name, total, _, _ in SEED_PROJECTS:
        assert f"{name}。" in text and f"总投资{format_wan(total, 4)}" in text
    assert "县级130万元" in text and "帮扶单位67万元" in text
    appendix = dict(figure_rows(fig))
    assert appendix["帮扶对象户数"].startswith("86户")
    assert appendix["两委会议"] == "9次"


def test_period_labels_and_validation():
    assert Period.half(2017, 1).label == "2017年上半年"
    assert Period.quarter(2024, 3).label == "2024年第三季度"
    assert Period.year(2024).start == date(2024, 1, 1)
    from fupin_desktop.domain.errors import ValidationError

    with pytest.raises(ValidationError):
        Period.custom(date(2024, 2, 1), date(2024, 1, 1))


def test_visit_ledger_filters_by_cadre_and_group(services, village):
    build_seed_002(services, village)
    _, team = village
    all_rows = services.reporting.ledger("visits", ReportFilter(H1_2017)).rows
    assert len(all_rows) == 82
    by_member = services.reporting.ledger("visits", ReportFilter(H1_2017, cadre_id=team[1].id))
    assert len(by_member.rows) == 29 and all(team[1].name in r.cadres for r in by_member.rows)
    assert team[1].name in by_member.head.period
    group = services.reporting.ledger("visits", ReportFilter(H1_2017, group_name="第1组")).rows
    assert group and all(r.group_name == "第1组" for r in group)
    roster = services.reporting.ledger("roster", ReportFilter(H1_2017)).rows
    assert len(roster) == 91
    projects = services.reporting.ledger("projects", ReportFilter(H1_2017))
    assert projects.sources == ("city", "county", "integrated", "unit", "villagers")


def test_unknown_ledger_is_refused(services, village):
    from fupin_desktop.domain.errors import ValidationError

    with pytest.raises(ValidationError):
        services.reporting.ledger("nope", ReportFilter(H1_2017))
