"""domain/fields.py: the field rules the household form and the roster import share."""
from __future__ import annotations

from datetime import date

import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.fields import (
    check_education_schooling, health_codes, household_number, read_id, work_months,
)
from fupin_desktop.domain.idcard import IdCardNumber, check_char, make_id


def test_read_id_fast_path_agrees_with_idcard_parse_messages_included():
    good = make_id("130204", date(1980, 5, 6), 7)
    assert read_id(good) == (good, "male", date(1980, 5, 6))
    assert read_id(" " + good.lower() + " ")[0] == good  # slow path: spaces
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    no_day = "13020419990230007"
    future = make_id("130204", date(2099, 1, 1), 7)
    for bad in (wrong, no_day + check_char(no_day), future, "12345"):
        with pytest.raises(ValidationError) as fast:
            read_id(bad)
        with pytest.raises(ValidationError) as slow:
            IdCardNumber.parse(bad)
        assert fast.value.message == slow.value.message


@pytest.mark.parametrize("value, months", [(None, None), ("", None), (6, 6), ("6", 6), (6.0, 6), ("６个月", 6),
                                           ("12月", 12), ("0", 0)])
def test_work_months_accepted(value, months):
    assert work_months(value) == months


@pytest.mark.parametrize("value", [13, -1, "13", "半年", "6.5", "abc", True])
def test_work_months_refused_with_one_message(value):
    with pytest.raises(ValidationError, match="0到12"):
        work_months(value)


def test_education_schooling_health_and_number():
    check_education_schooling("junior", None)
    with pytest.raises(ValidationError, match="只能填一项"):
        check_education_schooling("junior", "grade7")
    assert health_codes("残疾，慢性病") == ("disabled", "chronic")
    assert health_codes(("healthy",)) == ("healthy",)
    with pytest.raises(ValidationError, match="“很好”不是健康状况里的选项"):
        health_codes("很好")
    assert household_number(" A1 ") == "A1"
    with pytest.raises(ValidationError, match="户编号最多32位"):
        household_number("1" * 33)
