"""Code lists: complete, unique, round-trip between codes and labels, aliases, local additions."""

import re

import pytest

from fupin_desktop.domain import codes
from fupin_desktop.domain.codes import CODE_LISTS, CodeList, relation_from_numeric
from fupin_desktop.domain.errors import ValidationError

REQUIRED = """sex relation political_status education schooling health disability_category disability_level
labour_skill ethnicity household_type monitoring_category risk_type disaster_subtype poverty_cause
measure_category monitoring_stage clue_source elimination_way visit_purpose visit_method problem_status
satisfaction problem_source project_category project_nature project_status action_type funding_source
asset_type worklog_kind attendance_status donor_kind donation_kind distribution_target_kind purchase_channel
weather housing_grade guarantee_item role cadre_role""".split()


def test_required_lists_exist():
    missing = [name for name in REQUIRED if name not in CODE_LISTS]
    assert not missing


@pytest.mark.parametrize("name", sorted(CODE_LISTS))
def test_list_is_well_formed(name):
    code_list = codes.get(name)
    assert code_list.name == name
    assert code_list.title
    items = code_list.items()
    assert items
    assert len({i.code for i in items}) == len(items)
    assert len({i.label for i in items}) == len(items)
    for item in items:
        # Stable codes are short ASCII slugs (digits for the disability lists).
        assert re.fullmatch(r"[a-z0-9_]{1,32}", item.code), item.code
        assert code_list.label(item.code) == item.label
        assert codes.label(name, item.code) == item.label
        assert code_list.code_for_label(item.label) == item.code
        assert code_list.code_for_label(f"  {item.label} ") == item.code
        assert code_list.code_for_label(item.code) == item.code
        assert item.code in code_list
    # An alias must not shadow another item's label.
    labels = {i.label: i.code for i in items}
    for alias, code in code_list.aliases.items():
        assert labels.get(alias, code) == code


def test_exact_codes_from_the_brief():
    assert codes.label("relation", "head") == "户主"
    assert codes.label("relation", "daughter_in_law") == "之儿媳"
    assert len(codes.get("relation")) == 28
    assert codes.get("monitoring_stage").codes() == [
        "clue", "application", "verification", "village_review", "publicity", "township_review",
        "county_approval", "identified", "assisting", "eliminated",
    ]  # fmt: skip
    assert codes.get("project_status").codes()[0] == "planning"
    assert codes.get("project_status").codes()[-2:] == ["operating", "cancelled"]
    assert codes.DEVELOPMENT_MEASURES == {"industry", "employment", "finance", "public_job"}
    assert codes.DEVELOPMENT_MEASURES <= set(codes.get("measure_category").codes())
    assert codes.label("disability_level", "1") == "一级"
    assert codes.label("risk_type", "housing") == "因安全住房"


def test_unknown_code_shows_itself():
    assert codes.label("sex", "xyz") == "xyz"
    assert codes.label("sex", None) == ""
    assert codes.get("sex").code_for_label("不知道") is None
    with pytest.raises(KeyError):
        codes.get("nope")


def test_funding_source_aliases_from_reports():
    funding = codes.get("funding_source")
    assert funding.code_for_label("省") == "province"
    assert funding.code_for_label("市") == "city"
    assert funding.code_for_label("区") == "county"
    assert funding.code_for_label("县") == "county"
    assert funding.code_for_label("村自筹") == "village"
    assert funding.code_for_label("省级") == "province"


def test_other_spellings_and_inner_spaces():
    assert codes.get("poverty_cause").code_for_label("其他") == "other"
    assert codes.get("risk_type").code_for_label("其它") == "other"
    assert codes.get("relation").code_for_label("户 主") == "head"
    assert codes.get("housing_grade").code_for_label("C") == "c"


def test_parse_multi():
    health = codes.get("health")
    assert health.parse_multi("残疾,长期慢性病") == ["disabled", "chronic"]
    assert health.parse_multi("") == []
    with pytest.raises(ValidationError, match="健康状况"):
        health.parse_multi("残疾，感冒", field="health")


def test_add_local():
    purpose = CodeList("visit_purpose_copy", "走访事由", codes.get("visit_purpose").items())
    item = purpose.add_local("harvest", "秋收帮忙")
    assert item.local
    assert purpose.codes()[-1] == "harvest"
    assert purpose.code_for_label("秋收帮忙") == "harvest"
    with pytest.raises(ValidationError) as info:
        purpose.add_local("harvest", "别的")
    assert info.value.field == "code"
    with pytest.raises(ValidationError):
        purpose.add_local("policy2", "政策宣传")
    purpose.clear_local()
    assert "harvest" not in purpose
    assert "harvest" not in codes.get("visit_purpose")


@pytest.mark.parametrize(
    ("numeric", "expected"),
    [
        ("01", "head"), ("10", "spouse"), ("20", "son"), ("30", "daughter"), ("40", "grandson"),
        ("50", "father"), ("60", "grandfather"), ("70", "sibling"), ("99", "other"), ("1", "head"),
        (10, "spouse"), ("22", "son"), ("28", "son_in_law"), ("38", "daughter_in_law"), ("52", "mother"),
        ("", None), ("ab", None), (None, None),
    ],
)  # fmt: skip
def test_relation_from_numeric(numeric, expected):
    assert relation_from_numeric(numeric) == expected
