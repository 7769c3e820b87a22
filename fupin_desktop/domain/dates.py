"""Dates as Chinese paperwork writes them, and the periods reports cover (all ranges inclusive)."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

from fupin_desktop.domain.errors import ValidationError

__all__ = [
    "WEEKDAYS_CN",
    "format_cn_date",
    "weekday_cn",
    "parse_date",
    "excel_serial_to_date",
    "add_months",
    "half_year_range",
    "quarter_range",
    "year_range",
    "month_range",
]

WEEKDAYS_CN = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# Y-M-D with . - / or 年月日 separators; an Excel "2019-05-03 00:00:00" text keeps its time part, ignored here.
_YMD = re.compile(
    r"(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?"
    r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?")
_MAX_SERIAL = 2958465  # 9999-12-31 in Excel


def format_cn_date(d: date) -> str:
    """ "2023年5月3日" (no leading zeros, as in handwritten forms)."""
    return f"{d.year}年{d.month}月{d.day}日"


def weekday_cn(d: date) -> str:
    """ "星期三"."""
    return WEEKDAYS_CN[d.weekday()]


def excel_serial_to_date(serial: float | int | Decimal, field: str = "date") -> date:
    """Excel 1900-system serial number → date (the time fraction is dropped).

    Excel counts a fictitious 1900-02-29 (serial 60), so serials from 61 on are offset by one day.
    """
    try:
        days = int(serial)
    except (ValueError, OverflowError, ArithmeticError):  # NaN, infinity
        raise ValidationError(field, f"日期格式不对：{serial}") from None
    if days < 1 or days > _MAX_SERIAL or days == 60:
        raise ValidationError(field, f"日期格式不对：{serial} 不是有效的Excel日期")
    base = date(1899, 12, 30) if days > 60 else date(1899, 12, 31)
    return base + timedelta(days=days)


def _make(year: str, month: str, day: str, field: str, raw: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(field, f"日期 {raw} 不存在") from None


def parse_date(value: object, field: str = "date") -> date:
    """Read a date the way users and spreadsheets write it.

    Accepts date/datetime objects, "2019.5.3", "2019-05-03", "2019/05/03", "2019年5月3日", "20190503" and Excel
    serial numbers (int, float or numeric text). Raises ValidationError(field, …) otherwise.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or value is None:
        raise ValidationError(field, "日期不能为空" if value is None else f"日期格式不对：{value}")
    if isinstance(value, (int, float, Decimal)):
        return excel_serial_to_date(value, field)
    if not isinstance(value, str):
        raise ValidationError(field, f"日期格式不对：{value}")
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        raise ValidationError(field, "日期不能为空")
    if match := _YMD.fullmatch(text):
        return _make(*match.groups(), field=field, raw=text)
    if match := _COMPACT.fullmatch(text):
        return _make(*match.groups(), field=field, raw=text)
    if _SERIAL.fullmatch(text):
        return excel_serial_to_date(Decimal(text), field)
    raise ValidationError(field, f"日期格式不对：“{value.strip()}”，请写成 2019-05-03 或 2019年5月3日")


def add_months(d: date, months: int) -> date:
    """Same day ``months`` later; clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def month_range(year: int, month: int) -> tuple[date, date]:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def quarter_range(year: int, q: int) -> tuple[date, date]:
    if not 1 <= q <= 4:
        raise ValueError(f"quarter must be 1..4, got {q}")
    return date(year, 3 * q - 2, 1), month_range(year, 3 * q)[1]


def half_year_range(year: int, half: int) -> tuple[date, date]:
    """half 1 = 1 Jan–30 Jun, half 2 = 1 Jul–31 Dec."""
    if half not in (1, 2):
        raise ValueError(f"half must be 1 or 2, got {half}")
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)
