"""民情日记: one entry per author and day, derived weekday, linked households, problems, search, diary days."""
from __future__ import annotations

from datetime import date

import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.diary import DiaryInput, DiaryQuery
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.problems import ProblemInput, ProblemQuery


def _household(services, name):
    return services.households.create(HouseholdInput(head_name=name, household_type="alleviated")).value


def test_one_entry_per_author_and_day_and_find(services, village):
    _, (sec, member) = village
    day = date(2024, 6, 3)
    first = services.diary.create(DiaryInput(author_id=sec.id, entry_date=day, weather="sunny",
                                             content="到三组了解春耕情况")).value
    assert first.weekday == "星期一"
    assert first.header == "2024年6月3日 星期一 晴"
    with pytest.raises(ValidationError) as err:
        services.diary.create(DiaryInput(author_id=sec.id, entry_date=day, content="第二篇"))
    assert err.value.field == "entry_date" and "已有一篇日记" in err.value.message
    assert services.diary.count() == 1  # nothing written
    assert services.diary.find(sec.id, day).id == first.id
    assert services.diary.find(sec.id, date(2024, 6, 4)) is None
    # another author may write on the same day
    services.diary.create(DiaryInput(author_id=member.id, entry_date=day, content="另一位队员的日记"))
    # moving an entry onto a day that has one is refused too
    other = services.diary.create(DiaryInput(author_id=sec.id, entry_date=date(2024, 6, 4), content="x")).value
    with pytest.raises(ValidationError) as err:
        services.diary.update(other.id, DiaryInput(author_id=sec.id, entry_date=day, content="x"))
    assert err.value.field == "entry_date"
    # after deleting, the day is free again
    services.diary.delete(first.id)
    assert services.diary.find(sec.id, day) is None
    services.diary.create(DiaryInput(author_id=sec.id, entry_date=day, content="重新写"))


def test_validation(services, village):
    _, (sec, _m) = village
    with pytest.raises(ValidationError) as err:
        services.diary.create(DiaryInput(author_id=sec.id, entry_date=date(2024, 6, 29), content="明天"))
    assert err.value.field == "entry_date"
    with pytest.raises(ValidationError) as err:
        services.diary.create(DiaryInput(author_id=sec.id, content="  "))
    assert err.value.field == "content"
    with pytest.raises(ValidationError) as err:
        services.diary.create(DiaryInput(author_id=sec.id, content="x", weather="hail"))
    assert err.value.field == "weather"


def test_households_and_problems(services, village):
    _, (sec, _m) = village
    h1, h2 = _household(services, "王秀英"), _household(services, "赵大海")
    d = services.diary.create(DiaryInput(
        author_id=sec.id, entry_date=date(2024, 6, 10), content="王秀英家屋顶漏雨", household_ids=(h1.id,),
        problems_found="屋顶漏雨", problems=(ProblemInput(description="屋顶漏雨，需要维修"),))).value
    assert d.household_ids == (h1.id,)
    (p,) = services.problems.list(ProblemQuery())
    assert p.source == "diary" and p.diary_id == d.id and p.household_id == h1.id
    assert p.responsible_id == sec.id and p.raised_on == date(2024, 6, 10)
    assert d.problem_ids == (p.id,)
    # editing: households replaced, the same problem is not raised twice, a new one is
    d2 = services.diary.update(d.id, DiaryInput(
        author_id=sec.id, entry_date=date(2024, 6, 10), content="改过", household_ids=(h2.id, h1.id),
        problems=(ProblemInput(description="屋顶漏雨，需要维修"), ProblemInput(description="孩子上学路远")))).value
    assert set(d2.household_ids) == {h1.id, h2.id}
    assert services.problems.count(ProblemQuery()) == 2
    d3 = services.diary.update(d.id, DiaryInput(author_id=sec.id, entry_date=date(2024, 6, 10), content="改过",
                                                household_ids=(h2.id,))).value
    assert d3.household_ids == (h2.id,)
    d4 = services.diary.update(d.id, DiaryInput(author_id=sec.id, entry_date=date(2024, 6, 10), content="改过",
                                                household_ids=(h1.id,))).value  # revives the old link
    assert d4.household_ids == (h1.id,)
    assert [x.id for x in services.diary.list(DiaryQuery(household_id=h1.id))] == [d.id]


def test_full_text_search_long_and_short_terms(services, village):
    _, (sec, member) = village
    services.diary.create(DiaryInput(author_id=sec.id, entry_date=date(2024, 6, 1), people_met="王秀英",
                                     content="了解到合作社香菇大棚今年收成不错"))
    services.diary.create(DiaryInput(author_id=member.id, entry_date=date(2024, 6, 2), place="村委会",
                                     content="组织召开产业发展座谈会", follow_up="下周回访王秀英"))
    services.diary.create(DiaryInput(author_id=sec.id, entry_date=date(2024, 6, 5), content="100% 完成摸排"))

    def hits(text):
        return sorted(d.entry_date.day for d in services.diary.search(text))

    assert hits("香菇大棚") == [1]      # FTS trigram (4 characters)
    assert hits("合作社") == [1]        # exactly 3
    assert hits("秀英") == [1, 2]       # 2 characters: LIKE (trigram cannot match it)
    assert hits("王秀英") == [1, 2]     # people_met and follow_up are both searched
    assert hits("座谈") == [2]
    assert hits("村委会 座谈") == [2]   # FTS and LIKE terms combined
    assert hits("香菇 座谈会") == []
    assert hits('"大棚') == []          # quotes in the query do not break FTS syntax
    assert hits("100%") == [5] and hits("0%") == [5] and hits("%") == [5]  # LIKE wildcards are escaped
    assert services.diary.count(DiaryQuery(text="秀英", author_id=sec.id)) == 1
    # an edit keeps the index in step; a deleted entry is not found
    d = services.diary.find(sec.id, date(2024, 6, 1))
    services.diary.update(d.id, DiaryInput(author_id=sec.id, entry_date=d.entry_date, content="木耳种植"))
    assert hits("香菇大棚") == [] and hits("木耳种植") == [1]
    services.diary.delete(d.id)
    assert hits("木耳种植") == []


def test_diary_days_against_target(services, village):
    _, (sec, member) = village
    services.settings.set("target.diary_days", 4)
    for day in (date(2024, 1, 5), date(2024, 3, 8), date(2024, 6, 1)):
        services.diary.create(DiaryInput(author_id=sec.id, entry_date=day, content="记录"))
    services.diary.create(DiaryInput(author_id=member.id, entry_date=date(2024, 6, 1), content="同一天"))
    services.diary.create(DiaryInput(author_id=member.id, entry_date=date(2024, 6, 2), content="另一天"))
    services.diary.create(DiaryInput(author_id=sec.id, entry_date=date(2023, 12, 31), content="去年"))
    team = services.diary.progress(2024)
    assert (team.days, team.entries, team.target) == (4, 5, 4) and team.met and team.percent == 100
    mine = services.diary.progress(2024, sec.id)
    assert (mine.days, mine.entries, mine.met, mine.percent) == (3, 3, False, 75)
    assert services.diary.days_with_entries(date(2024, 6, 1), date(2024, 6, 30)) == {
        date(2024, 6, 1): 2, date(2024, 6, 2): 1}
