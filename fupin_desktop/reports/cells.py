"""How values are written in the cells of printed tables — one place for every ledger, sheet and book.

**Dates in tables: ``2023.05.03``** (year, zero-padded month and day, separated by dots). Chosen over
``2023年5月3日`` and over the ISO ``2023-05-03`` the ledgers used before, because:

* it is a form Chinese forms and 台账 commonly use in date columns (2023.05.03), and reads the same on paper
  and in WPS/Excel;
* it has one width: every date is ten characters, so a date column is narrow, its dates line up under each other
  and it never wraps (``2023年12月25日`` is up to 11 characters, of which 3 are full-width: about 60 % wider, which a
  13-column landscape ledger cannot spare);
* it sorts as text and cannot be misread as a range or a minus sign.

Prose keeps ``2023年5月3日`` (``domain.dates.format_cn_date``): titles, 落款, 打印日期, sentences of the summary.
Months in tables: ``2023.05``.

**Money in tables: 元 with two decimals** (``1,234.50``), thousands separated; a 万元 column says 万元 in its header
and keeps two decimals (``25.69``), half-up rounded (``domain.money.to_wan``).
"""
from __future__ import annotations

from datetime import date

from fupin_desktop.domain.money import format_quantity, format_yuan, to_wan

__all__ = ["table_date", "table_month", "yuan", "wan", "qty"]


def table_date(value: date | None) -> str:
    """``2023.05.03`` (empty for no date)."""
    return f"{value.year}.{value.month:02d}.{value.day:02d}" if value else ""


def table_month(value: date | None) -> str:
    """``2023.05`` (empty for no date)."""
    return f"{value.year}.{value.month:02d}" if value else ""


def yuan(value) -> str:
    """``1,234.50`` (元, two decimals; empty for None)."""
    return format_yuan(value) if value is not None else ""


def wan(value) -> str:
    """元 → 万元 with two decimals: 256,900 → ``25.69`` (empty for None)."""
    return f"{to_wan(value, 2):,.2f}" if value is not None else ""


qty = format_quantity  # a quantity without trailing zeros (domain.money)
