"""Chinese date formats, lenient parsing and report periods."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from fupin_desktop.domain.dates import (
    add_months,
    format_cn_date,
    half_year_range,
    month_range,
    parse_date,
    quarter_range,
    weekday_cn,
    year_range,
)
from fupin_desktop.domain.errors import ValidationError

MAY_3 = date(2019, 5, 3)


def test_format_and_weekday():
    assert format_cn_date(date(2023, 5, 3)) == "2023年5月3日"
    assert weekday_cn(date(2023, 5, 3)) == "星期三"
    assert weekday_cn(date(2023, 5, 7)) == "星期日"


@pytest.mark.parametrize(
    "value",
    [
        "2019.5.3",
        "2019-05-03",
        "2019/05/03",
        "2019年5月3日",
        "2019 年 5 月 3 日",
        "２０１９年５月３日",
        "20190503",
        "2019-05-03 00:00:00",
        43588,
        43588.75,
        "43588",
        Decimal("43588"),
        datetime(2019, 5, 3, 14, 30),
        MAY_3,
    ],
)
def test_parse_date_accepts(value):
    assert parse_date(value, "visit_date") == MAY_3


def test_excel_serials_around_the_1900_leap_bug():
    assert parse_date(1) == date(1900, 1, 1)
    assert parse_date(59) == date(1900, 2, 28)
    assert parse_date(61) == date(1900, 3, 1)
    with pytest.raises(ValidationError):
        parse_date(60)


@pytest.mark.parametrize("value", ["2019-02-30", "2019年13月1日", "明天", "", None, "2019-5", True, 0, -3])
def test_parse_date_rejects(value):
    with pytest.raises(ValidationError) as info:
        parse_date(value, "visit_date")
    assert info.value.field == "visit_date"


def test_nonexistent_date_message():
    with pytest.raises(ValidationError, match="日期 2019-02-30 不存在"):
        parse_date("2019-02-30")


def test_ranges():
    assert half_year_range(2023, 1) == (date(2023, 1, 1), date(2023, 6, 30))
    assert half_year_range(2023, 2) == (date(2023, 7, 1), date(2023, 12, 31))
    assert quarter_range(2024, 1) == (date(2024, 1, 1), date(2024, 3, 31))
    assert quarter_range(2024, 4) == (date(2024, 10, 1), date(2024, 12, 31))
    assert year_range(2024) == (date(2024, 1, 1), date(2024, 12, 31))
    assert month_range(2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert month_range(2023, 2)[1] == date(2023, 2, 28)
    for bad in (lambda: half_year_range(2023, 3), lambda: quarter_range(2023, 0), lambda: month_range(2023, 13)):
        with pytest.raises(ValueError):
            bad()


def test_add_months_clamps():
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 15), 12) == date(2024, 1, 15)
    assert add_months(date(2023, 3, 31), -1) == date(2023, 2, 28)
