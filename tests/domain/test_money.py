"""Money parsing, rounding and 万元 display."""

from decimal import Decimal

import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import (
    CENT,
    format_wan,
    format_yuan,
    money_sum,
    parse_money,
    to_money,
    to_wan,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.005"), "1.01"),  # half up, not banker's rounding
        (Decimal("2.345"), "2.35"),
        (Decimal("-1.005"), "-1.01"),
        (12, "12.00"),
        ("1,234.5", "1234.50"),
        ("１２３４．５", "1234.50"),
        ("12.3元", "12.30"),
        ("￥ 8", "8.00"),
        ("28万元", "280000.00"),
        (" 0.125 ", "0.13"),
        ("-0.001", "0.00"),
    ],
)
def test_to_money(value, expected):
    result = to_money(value)
    assert result == Decimal(expected)
    assert str(result) == expected
    assert result.as_tuple().exponent == CENT.as_tuple().exponent


def test_float_is_rejected():
    with pytest.raises(TypeError):
        to_money(1.5)
    with pytest.raises(TypeError):
        to_money(True)


@pytest.mark.parametrize("text", ["abc", "1.2.3", "12,34", "", "元", "1e5", "NaN"])
def test_bad_text(text):
    with pytest.raises(ValidationError) as info:
        to_money(text)
    assert info.value.field == "amount"
    assert info.value.message.startswith("金额格式不对：")


def test_parse_money_names_field_and_limits():
    with pytest.raises(ValidationError) as info:
        parse_money("十元", "wages")
    assert info.value.field == "wages"
    with pytest.raises(ValidationError, match="金额太大"):
        parse_money("1000000000000", "wages")
    with pytest.raises(ValidationError):
        parse_money(Decimal("Infinity"), "wages")


def test_to_wan_rounds_half_up():
    assert to_wan(18450) == Decimal("1.85")
    assert to_wan(18449) == Decimal("1.84")
    assert to_wan(123456, places=1) == Decimal("12.3")
    assert to_wan(125000, places=1) == Decimal("12.5")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (280000, "28万元"),
        (167000, "16.7万元"),
        (18400, "1.84万元"),
        (18450, "1.85万元"),
        (0, "0万元"),
        (Decimal("49.99"), "0万元"),
        (100000000, "10000万元"),
    ],
)
def test_format_wan(amount, text):
    assert format_wan(amount) == text


def test_format_yuan():
    assert format_yuan(Decimal("1234.5")) == "1,234.50"
    assert format_yuan(0) == "0.00"
    assert format_yuan("-1234567.891") == "-1,234,567.89"


def test_money_sum():
    assert money_sum([Decimal("0.1"), Decimal("0.2"), None, "1,000"]) == Decimal("1000.30")
    assert money_sum([]) == Decimal("0.00")
    with pytest.raises(TypeError):
        money_sum([0.1])
