"""防返贫监测 figures: the one definition of "monitored at the start / identified / eliminated (by way) / remaining"
used by the monitoring page, the 工作总结, the 监测户花名册's totals, the 上报表 and the township summary.

A household is a 监测对象 for the time between its identification and the elimination of its risk (a *cycle*).
Cycles come from the recorded steps (纳入监测 … 风险消除) and, for a household marked as monitored in the registry
(the household form, a roster import, an earlier record entered in one go) whose steps do not start with a 风险线索,
from the registry: the cycle starts on its 识别监测时间 (before the records when the form gave none) and ends at its
first 风险消除 step, or at the registry's elimination when no step was recorded. Recording a 帮扶 step (or any other
step) for such a household never drops it from the figures.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Collection

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import year_range
from fupin_desktop.storage.queries import monitoring as mq

__all__ = ["Cycle", "WayFigure", "YearFigures", "cycles", "period_figures"]


@dataclass(frozen=True)
class Cycle:
    household_id: str
    identified_on: date  # date.min: identified before the records (marked in the registry without a date)
    people: int
    eliminated_on: date | None
    way: str | None

    def open_on(self, d: date) -> bool:
        """A 监测对象 whose risk is not eliminated on day ``d``."""
        return self.identified_on <= d and (self.eliminated_on is None or self.eliminated_on > d)


@dataclass(frozen=True)
class WayFigure:
    way: str
    households: int
    people: int


@dataclass(frozen=True)
class YearFigures:
    """The monitoring figures of a period as of a date (work summaries: "2023年新纳入监测户2户5人…"); for a year
    unless ``start`` says otherwise."""

    year: int
    as_of: date
    monitored_at_start_households: int
    monitored_at_start_people: int
    identified_households: int
    identified_people: int
    eliminated_households: int
    eliminated_people: int
    eliminated_by_way: tuple[WayFigure, ...]
    remaining_households: int
    remaining_people: int
    identified_by_month: tuple[tuple[int, int, int], ...] = field(default_factory=tuple)  # (month, hh, people)
    start: date | None = None  # first day of the period (None: 1 January of ``year``)


def cycles(s, household_ids: Collection[str] | None = None) -> list[Cycle]:
    """Every identification cycle of the live households (of ``household_ids`` when given)."""
    by_household: dict[str, list] = defaultdict(list)
    for step in mq.steps_of_stages(s, ("clue", "identified", "eliminated")):
        by_household[step.household_id].append(step)
    with_steps = mq.households_with_steps(s)
    current: dict[str, list] = {}
    out: list[Cycle] = []
    for h in mq.marked_monitored(s):
        steps = by_household.get(h.id, [])
        if steps and steps[0].stage == "clue":
            continue  # its cycles are all in its steps
        start = h.identified_on or date.min
        first_elimination = next((x.step_date for x in steps if x.stage == "eliminated"), None)
        if first_elimination is not None and start > first_elimination:
            start = date.min  # 识别监测时间 was overwritten by a later cycle
        if h.id not in with_steps and h.risk_eliminated:
            out.append(Cycle(h.id, start, h.member_count or 0, h.eliminated_on or start, h.elimination_way))
        else:
            current[h.id] = [h.id, start, h.member_count or 0, None, None]
    for hid, steps in by_household.items():
        for step in steps:
            if step.stage == "identified":
                if hid in current:
                    out.append(Cycle(*current.pop(hid)))
                current[hid] = [hid, step.step_date, step.people or 0, None, None]
            elif step.stage == "eliminated" and hid in current:
                c = current.pop(hid)
                c[3], c[4] = step.step_date, step.elimination_way
                out.append(Cycle(*c))
    out.extend(Cycle(*c) for c in current.values())
    if household_ids is not None:
        wanted = set(household_ids)
        out = [c for c in out if c.household_id in wanted]
    return out


def period_figures(all_cycles: list[Cycle], start: date, as_of: date, year: int | None = None) -> YearFigures:
    """Monitored on the eve of ``start``, identified and eliminated (by way) from ``start`` to ``as_of``, remaining
    on ``as_of``."""
    before = start - timedelta(days=1)
    at_start = [c for c in all_cycles if c.open_on(before)]
    identified = [c for c in all_cycles if start <= c.identified_on <= as_of]
    eliminated = [c for c in all_cycles if c.eliminated_on is not None and start <= c.eliminated_on <= as_of]
    remaining = [c for c in all_cycles if c.open_on(as_of)]
    ways = []
    for way in codes.get("elimination_way").codes():
        sel = [c for c in eliminated if c.way == way]
        ways.append(WayFigure(way, len(sel), sum(c.people for c in sel)))
    months: dict[int, tuple[int, int]] = {}
    for c in identified:
        hh, pp = months.get(c.identified_on.month, (0, 0))
        months[c.identified_on.month] = (hh + 1, pp + c.people)
    y = year if year is not None else as_of.year
    return YearFigures(
        year=y, as_of=as_of,
        monitored_at_start_households=len(at_start), monitored_at_start_people=sum(c.people for c in at_start),
        identified_households=len(identified), identified_people=sum(c.people for c in identified),
        eliminated_households=len(eliminated), eliminated_people=sum(c.people for c in eliminated),
        eliminated_by_way=tuple(ways),
        remaining_households=len(remaining), remaining_people=sum(c.people for c in remaining),
        identified_by_month=tuple((m, hh, pp) for m, (hh, pp) in sorted(months.items())),
        start=None if start == year_range(y)[0] else start)
