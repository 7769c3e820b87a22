"""The one global search: every kind of record, grouped; pinyin of any reading; never removed records."""
from __future__ import annotations

from datetime import date

from fupin_desktop.services.diary import DiaryInput
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.problems import ProblemInput
from fupin_desktop.services.visits import VisitInput


def _kinds(groups):
    return {g.kind: [h.title for h in g.hits] for g in groups}


def test_search_finds_each_kind_grouped(services, village):
    from fupin_desktop.domain.idcard import make_id

    liu_id = make_id("130204", date(1966, 2, 3), 31)
    liu = services.households.create(
        HouseholdInput(head_name="刘长海", group_name="第2组"),
        [MemberInput("刘长海", "head", id_number=liu_id), MemberInput("赵小燕", "daughter")]).value.id
    services.households.create(HouseholdInput(head_name="李四"), [MemberInput("李四", "head")])
    cadre = services.cadres.list()[0].id
    services.visits.log_visit(VisitInput(household_id=liu, visit_date=date(2024, 6, 1), cadre_ids=(cadre,),
                                      findings="屋顶漏雨，需要维修"))
    services.problems.raise_problem(ProblemInput(description="自来水管冻裂", household_id=liu))
    services.diary.create(DiaryInput(author_id=cadre, entry_date=date(2024, 6, 2), title="入户",
                                     content="和刘长海谈了养牛的打算"))

    got = _kinds(services.search.search("lch"))  # 长 read as chang
    assert got["household"] == ["刘长海"]
    assert got["visit"] == ["2024年6月1日 走访 刘长海"] and len(got["problem"]) == 1
    assert list(got) == [k for k in ("household", "member", "visit", "diary", "problem", "project") if k in got]

    got = _kinds(services.search.search("赵小燕"))
    assert got["member"] == ["赵小燕"] and got["household"] == ["刘长海"]  # the household of a member too
    assert _kinds(services.search.search(liu_id[-4:]))["household"] == ["刘长海"]  # 身份证号 tail
    assert _kinds(services.search.search("漏雨"))["visit"] == ["2024年6月1日 走访 刘长海"]
    assert _kinds(services.search.search("冻裂"))["problem"] == ["自来水管冻裂"]
    assert _kinds(services.search.search("养牛"))["diary"] == ["2024年6月2日 入户"]
    assert services.search.search("  ") == [] and services.search.search("没有这个词") == []

    services.households.delete(liu)
    assert "household" not in _kinds(services.search.search("lch"))


def test_search_says_when_a_group_has_more(services, village):
    for i in range(7):
        services.households.create(HouseholdInput(head_name=f"张{'一二三四五六七'[i]}"),
                                   [MemberInput(f"张{'一二三四五六七'[i]}", "head")])
    (group,) = [g for g in services.search.search("张", per_group=5) if g.kind == "household"]
    assert len(group.hits) == 5 and group.more
