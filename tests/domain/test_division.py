"""12-digit 统计用区划代码."""

import pytest

from fupin_desktop.domain.division import LEVEL_LABELS, LEVELS, DivisionCode
from fupin_desktop.domain.errors import ValidationError


def test_levels_and_prefixes():
    community = DivisionCode.parse("320508019044")
    assert community.level == "village"
    assert community.is_village
    assert community.prefix("province") == "32"
    assert community.prefix("city") == "3205"
    assert community.prefix("county") == "320508"
    assert community.prefix("township") == "320508019"
    assert community.prefix("village") == "320508019044"
    assert set(LEVEL_LABELS) == set(LEVELS)


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("320000000000", "province"),
        ("320500000000", "city"),
        ("320508000000", "county"),
        ("220581102000", "township"),
        ("220581102200", "village"),
    ],
)
def test_level(code, level):
    assert DivisionCode.parse(code).level == level
    assert DivisionCode.parse(code).is_village == (level == "village")


def test_parent_chain():
    chain = []
    code = DivisionCode.parse("220581102200")
    while code is not None:
        chain.append(code.value)
        code = code.parent()
    assert chain == ["220581102200", "220581102000", "220581000000", "220500000000", "220000000000"]


def test_contains_and_from_prefix():
    county = DivisionCode.from_prefix("220581")
    assert county.value == "220581000000"
    assert county.contains(DivisionCode.parse("220581102200"))
    assert not county.contains(DivisionCode.parse("220582102200"))


def test_full_width_and_spaces_accepted():
    assert DivisionCode.parse(" ２２０５８１１０２２００ ").value == "220581102200"


@pytest.mark.parametrize("text", ["22058110220", "2205811022001", "22058110220a", "", None, "000000000000"])
def test_invalid(text):
    with pytest.raises(ValidationError) as info:
        DivisionCode.parse(text, field="village_code")
    assert info.value.field == "village_code"
    assert "区划代码应为12位数字" in info.value.message
