"""Each consistency rule fires on a bad household and stays quiet on a good one."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from fupin_desktop.domain.idcard import make_id
from fupin_desktop.domain.rules import (
    RULE_TITLES,
    HouseholdFacts,
    MemberFacts,
    check_duplicate_ids,
    check_household,
    has_labour,
    needs_development_measure,
)

TODAY = date(2024, 6, 1)
AREA = "520102"


def person(mid, name, relation, birth, seq, **kw):
    """A consistent adult by default: sex from the ID, 初中, resident medical insurance, ordinary labour."""
    facts = dict(
        id=mid,
        name=name,
        id_number=make_id(AREA, birth, seq),
        relation=relation,
        sex="male" if seq % 2 else "female",
        birth_date=birth,
        education="junior",
        schooling=None,
        health="healthy",
        labour_skill="ordinary",
        work_place=None,
        work_months=0,
        resident_medical=True,
        employee_medical=False,
    )
    facts.update(kw)
    return MemberFacts(**facts)


HEAD = person("m1", "张三", "head", date(1975, 3, 1), 11, work_place="浙江宁波", work_months=10)
WIFE = person("m2", "李秀英", "spouse", date(1977, 8, 9), 22)
SON = person("m3", "张小明", "son", date(2010, 9, 1), 31, education=None, schooling="grade7", labour_skill=None)
GOOD = HouseholdFacts(
    id="h1",
    number="5201020010001",
    head_name="张三",
    members=(HEAD, WIFE, SON),
    risk_types=("unstable_work",),
    monitoring_category="marginal",
    identified_on=date(2023, 3, 10),
    development_measure_dates=(date(2023, 5, 20),),
)


def rules_of(h, today=TODAY):
    return sorted({f.rule for f in check_household(h, today)})


def with_member(h, index, **changes):
    members = list(h.members)
    members[index] = replace(members[index], **changes)
    return replace(h, members=tuple(members))


def test_good_household_is_clean():
    assert check_household(GOOD, TODAY) == []
    assert check_duplicate_ids([GOOD]) == []
    assert has_labour(GOOD)


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"id_number": "520102197508090221"}, "id_invalid"),
        ({"sex": "male"}, "id_sex_mismatch"),
        ({"birth_date": date(1977, 8, 10)}, "id_birth_mismatch"),
        ({"education": None}, "education_schooling"),
        ({"schooling": "high1"}, "education_schooling"),
        ({"work_place": "广东东莞"}, "work_place_months"),
        ({"work_months": 3}, "work_place_months"),
        ({"resident_medical": False}, "medical_insurance"),
        ({"employee_medical": True}, "medical_insurance"),
        ({"labour_skill": "none"}, "labour_skill_healthy"),
        ({"labour_skill": "weak"}, "labour_skill_healthy"),
    ],
)
def test_member_rules(changes, rule):
    bad = with_member(GOOD, 1, **changes)  # the wife
    findings = [f for f in check_household(bad, TODAY) if f.rule == rule]
    assert findings, rule
    assert findings[0].member_id == "m2"
    assert "李秀英" in findings[0].message and "张三户" in findings[0].message
    assert rule in RULE_TITLES


def test_labour_rule_spares_the_ill_the_young_and_students():
    assert "labour_skill_healthy" not in rules_of(with_member(GOOD, 1, labour_skill="none", health="chronic"))
    assert "labour_skill_healthy" not in rules_of(with_member(GOOD, 1, labour_skill="none", health="healthy,disabled"))
    old = make_id(AREA, date(1964, 5, 1), 22)  # 60 on TODAY
    assert "labour_skill_healthy" not in rules_of(
        with_member(GOOD, 1, labour_skill="none", id_number=old, birth_date=date(1964, 5, 1))
    )
    assert "labour_skill_healthy" in rules_of(
        with_member(GOOD, 1, labour_skill="none", id_number=make_id(AREA, date(1964, 6, 2), 22),
                    birth_date=date(1964, 6, 2))
    )  # fmt: skip


def test_labels_are_tolerated():
    labelled = with_member(GOOD, 1, relation="配偶", sex="女", labour_skill="普通劳动力", health="健康")
    assert check_household(replace(labelled, risk_types=("因务工就业不稳",)), TODAY) == []
    no_migrant = with_member(replace(GOOD, risk_types=("因务工就业不稳",)), 0, work_place=None, work_months=0)
    assert rules_of(no_migrant) == ["unstable_work_no_migrant"]


def test_head_count():
    no_head = with_member(GOOD, 0, relation="son")
    two_heads = with_member(GOOD, 1, relation="head")
    for bad in (no_head, two_heads):
        finding = next(f for f in check_household(bad, TODAY) if f.rule == "head_count")
        assert finding.severity == "error"
        assert finding.household_id == "h1"


def test_spouse_count_and_sex():
    second = person("m4", "王芳", "spouse", date(1979, 1, 1), 42)
    assert "spouse_count" in rules_of(replace(GOOD, members=(*GOOD.members, second)))
    male_wife = with_member(GOOD, 1, id_number=make_id(AREA, date(1977, 8, 9), 21), sex="male")
    assert "spouse_same_sex" in rules_of(male_wife)


def test_unstable_work_rules():
    no_migrant = with_member(GOOD, 0, work_place=None, work_months=0)
    assert rules_of(no_migrant) == ["unstable_work_no_migrant"]
    nobody_works = replace(
        GOOD,
        members=tuple(replace(m, labour_skill="lost" if m.schooling is None else None) for m in GOOD.members),
    )
    assert "unstable_work_no_labour" in rules_of(nobody_works)
    assert not has_labour(nobody_works)
    # Without that risk the same household is not asked for migrant work.
    assert rules_of(replace(no_migrant, risk_types=("illness",))) == []


def test_development_measure_deadline():
    none_yet = replace(GOOD, development_measure_dates=())
    # Deadline 2023-09-10: not judged before it, flagged after it.
    assert needs_development_measure(none_yet, date(2023, 9, 10)) is None
    finding = needs_development_measure(none_yet, date(2023, 9, 11))
    assert finding is not None and finding.rule == "development_measure" and "张三户" in finding.message
    late = replace(GOOD, development_measure_dates=(date(2023, 12, 1),))
    assert needs_development_measure(late, date(2023, 12, 1)) is not None
    # Measures in time, eliminated risk, or no labour: nothing to say.
    assert needs_development_measure(GOOD, TODAY) is None
    assert needs_development_measure(replace(none_yet, risk_eliminated=True), TODAY) is None
    no_labour = replace(none_yet, members=tuple(replace(m, labour_skill="none") for m in GOOD.members))
    assert needs_development_measure(no_labour, TODAY) is None
    assert needs_development_measure(replace(none_yet, monitoring_category=None, risk_types=()), TODAY) is None
    assert "development_measure" in rules_of(none_yet)


def test_income_after_assisted_elimination():
    eliminated = replace(
        GOOD,
        risk_eliminated=True,
        elimination_way="assisted",
        per_capita_income=Decimal("9800.00"),
        monitoring_line=Decimal("10560.00"),
    )
    assert "income_below_line" in rules_of(eliminated)
    assert rules_of(replace(eliminated, per_capita_income=Decimal("10560.00"))) == []
    assert rules_of(replace(eliminated, elimination_way="natural")) == []
    assert "income_below_line" in rules_of(replace(eliminated, per_capita_income=None))


def test_duplicate_ids_across_households():
    other = HouseholdFacts(
        id="h2",
        number="5201020010002",
        head_name="王五",
        members=(person("m9", "王五", "head", date(1977, 8, 9), 22, id_number=WIFE.id_number.lower()),),
    )
    findings = check_duplicate_ids([GOOD, other])
    assert {(f.household_id, f.member_id) for f in findings} == {("h1", "m2"), ("h2", "m9")}
    assert all(f.rule == "duplicate_id" and f.severity == "error" for f in findings)
    # The message masks the ID and names both people.
    message = next(f.message for f in findings if f.member_id == "m2")
    assert WIFE.id_number not in message and "王五" in message and "李秀英" in message
