"""结对帮扶 走访 rule ("visit your paired household at least N times a year", 穷亲): one definition for the
帮扶责任人结对台账, the home page and the 上报表.

Only visits by the paired cadre, made while the pairing ran, count. The rule for a stretch of time is the yearly
minimum (setting ``pairing.min_visits_per_year``) prorated by the days the pairing ran in it over the days of the
year, rounded half up: a whole year owes N, a pairing that started on 1 October owes N × 92/366 → 1 (N = 4), one
that started a week before the end owes nothing. A document for a period that has not ended (this year's ledger, the
home page) counts up to today, so a pairing is flagged when it is behind the pace, not for visits still to come.
"""
from __future__ import annotations

from datetime import date

from fupin_desktop.domain.dates import year_range


def ran_days(start: date, end: date, pairing_start: date, pairing_end: date | None) -> int:
    """Days of [start, end] on which the pairing ran."""
    lo = max(start, pairing_start)
    hi = min(end, pairing_end) if pairing_end else end
    return max(0, (hi - lo).days + 1)


def required_visits(per_year: int, start: date, end: date, pairing_start: date, pairing_end: date | None) -> int:
    """Visits a pairing owes in [start, end] (see the module's rule)."""
    y0, y1 = year_range(start.year)
    year_days = (y1 - y0).days + 1
    days = ran_days(start, end, pairing_start, pairing_end)
    return (2 * per_year * days + year_days) // (2 * year_days)
