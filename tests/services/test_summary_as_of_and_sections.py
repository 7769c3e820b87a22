"""Issue 17 figure 6: the 工作总结 drafted as of a day (figures up to that day, the text says 截至X年X月X日) and by
the 派出单位 itself (title, 落款 and voice change); her own sections saved per period and drafting unit."""
from __future__ import annotations

from datetime import date

import pytest

from fupin_desktop.domain.errors import PermissionDeniedError, ValidationError
from fupin_desktop.reports.summary import draft_text
from fupin_desktop.reports.summary_parse import parse
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.reporting import Period, ReportFilter
from fupin_desktop.services.summary_sections import BUREAU, TEAM, SummarySections
from fupin_desktop.services.visits import VisitInput

H1 = Period.half(2024, 1)


@pytest.fixture
def visited(services, village):
    """Two poor households; visits on 3月1日 (both) and 5月20日 (one)."""
    _, team = village
    a = services.households.create(HouseholdInput(head_name="王大山", household_type="poor_general")).value
    b = services.households.create(HouseholdInput(head_name="赵小河", household_type="dibao")).value
    for h in (a, b):
        services.visits.log_visit(VisitInput(h.id, date(2024, 3, 1), (team[0].id,), ("policy",)))
    services.visits.log_visit(VisitInput(a.id, date(2024, 5, 20), (team[1].id,), ("policy",)))
    return services


def test_a_visit_after_the_as_of_day_is_not_counted(visited):
    whole = visited.reporting.summary_figures(ReportFilter(H1))
    assert whole.visits == 3 and whole.as_of is None
    fig = visited.reporting.summary_figures(ReportFilter(H1), as_of=date(2024, 4, 30))
    assert fig.visits == 2 and fig.visited_households == 2 and fig.as_of == date(2024, 4, 30)
    text = draft_text(fig)
    assert "2024年上半年以来（截至2024年4月30日）" in text
    assert "共入户走访2户次" in text
    assert text.splitlines()[0] == "唐山市交通运输局驻大庄坨乡东兴村工作队2024年上半年工作总结"
    on_the_day = visited.reporting.summary_figures(ReportFilter(H1), as_of=date(2024, 5, 20))
    assert on_the_day.visits == 3  # the as-of day itself counts


def test_an_as_of_day_outside_the_period_is_refused_in_chinese(visited):
    with pytest.raises(ValidationError) as err:
        visited.reporting.summary_figures(ReportFilter(H1), as_of=date(2024, 7, 1))
    assert "截至日期应在2024年上半年之内" in str(err.value.message)


def test_the_bureau_drafts_its_own_summary(visited):
    fig = visited.reporting.summary_figures(ReportFilter(H1))
    team = parse(draft_text(fig, drafter=TEAM))
    bureau = parse(draft_text(fig, drafter=BUREAU))
    assert team.title == "唐山市交通运输局驻大庄坨乡东兴村工作队2024年上半年工作总结"
    assert team.sign_unit == "唐山市交通运输局驻东兴村工作队" and team.sign_date == "2024年6月28日"
    assert bureau.title == "唐山市交通运输局2024年上半年帮扶工作总结"
    assert bureau.sign_unit == "唐山市交通运输局" and bureau.sign_date == "2024年6月28日"
    text = "\n".join(b.text for b in bureau.blocks)
    assert text.startswith("2024年上半年，我局按照上级统一安排部署，把定点帮扶东兴村作为重要政治任务")
    headings = [b.text for b in bureau.blocks if b.kind == "heading"]
    assert headings[:3] == ["一、我局帮扶东兴村情况", "二、驻村情况", "三、帮扶工作开展情况"]
    assert "共入户走访3户次" in text  # the same figures, in the bureau's voice


def test_her_sections_are_kept_per_period_and_drafting_unit(visited):
    mine = SummarySections(problems="（一）产业单一，抗风险能力弱。\n（二）部分群众内生动力不足。",
                           plans="继续抓好防返贫动态监测。", suggestions="建议加大对村集体经济的支持。")
    saved = visited.summary_sections.save(H1, mine).value
    assert saved == mine
    assert visited.summary_sections.get(H1) == mine
    assert visited.summary_sections.get(H1, BUREAU).is_empty()
    assert visited.summary_sections.get(Period.year(2024)).is_empty()
    visited.summary_sections.save(H1, SummarySections(plans="局党组继续定期研究帮扶工作。"), BUREAU)
    assert visited.summary_sections.get(H1, BUREAU).plans == "局党组继续定期研究帮扶工作。"
    assert visited.summary_sections.get(H1).plans == "继续抓好防返贫动态监测。"

    fig = visited.reporting.summary_figures(ReportFilter(H1))
    doc = parse(draft_text(fig, visited.summary_sections.get(H1)))
    blocks = [b.text for b in doc.blocks]
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert headings[-3:] == ["七、存在的问题和困难", "八、下一步工作打算", "九、意见建议"]
    i = blocks.index("七、存在的问题和困难")
    assert blocks[i + 1:i + 3] == ["（一）产业单一，抗风险能力弱。", "（二）部分群众内生动力不足。"]
    assert "（请补充）" not in "".join(blocks[i:])


def test_a_viewer_cannot_save_sections(db, tmp_path, services, village):
    from fupin_desktop.services import Services
    from fupin_desktop.storage.db import Actor

    viewer = Services(db, actor=Actor(user_id=None, name="王查看", role="viewer"), data_dir=tmp_path)
    with pytest.raises(PermissionDeniedError):
        viewer.summary_sections.save(H1, SummarySections(plans="x"))
    with pytest.raises(ValidationError):
        services.summary_sections.save(H1, SummarySections(plans="x" * 20001))
