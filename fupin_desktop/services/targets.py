"""Targets per cadre and per team (驻村天数, 走访户数, 民情日记天数, 破解难题件数, 意见建议条数: ``codes.target_metric``)
and the progress against them — one definition for the home page and the 工作总结.

A target is set per cadre and year. **The team's target is the sum of its cadres' targets** (a campaign assigns
targets to people; a team total set apart from them would drift from the people's): it is not stored. The team's
figure done is the team's own: days, diary days, problems and suggestions add up over the cadres, but a household
visited by two cadres is one household of the team.

The 民情日记 target counts the days a cadre wrote (two entries on one day are one day), not entries.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import year_range
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.attendance import VILLAGE_STATUSES
from fupin_desktop.services.base import Changes, Outcome, Service
from fupin_desktop.storage.models import Cadre, CadreTarget, utcnow
from fupin_desktop.storage.queries import targets as tq

__all__ = ["TargetService", "MetricProgress", "CadreProgress", "TeamProgress", "METRICS", "target_id"]

METRICS: tuple[str, ...] = tuple(codes.get("target_metric").codes())
MAX_TARGET = 100000
# uuid5 namespace of target ids (never change it: laptops must agree on the id of a cadre's target of a year)
TARGETS = uuid.UUID("3b0e6f0a-0007-4d2c-8f61-5a9c0e7b0007")


def target_id(cadre_id: str, year: int, metric: str) -> str:
    """The id of a cadre's target of a metric in a year: the same on every laptop, so a target set on two laptops is
    one record in the 同步包 (its value merged by field version) instead of two that break the unique rule."""
    return str(uuid.uuid5(TARGETS, f"{cadre_id}/{year}/{metric}"))


@dataclass(frozen=True)
class MetricProgress:
    metric: str
    done: int
    target: int | None  # None: no target set

    @property
    def title(self) -> str:
        return codes.label("target_metric", self.metric)

    @property
    def unit(self) -> str:
        return codes.TARGET_UNITS.get(self.metric, "")

    @property
    def percent(self) -> int | None:
        """Share of the target reached (None without a target; 100 for a target of 0)."""
        if self.target is None:
            return None
        return 100 if self.target <= 0 else round(100 * self.done / self.target)

    @property
    def met(self) -> bool:
        return self.target is not None and self.done >= self.target


@dataclass(frozen=True)
class CadreProgress:
    cadre_id: str
    name: str
    metrics: tuple[MetricProgress, ...]  # in METRICS order

    def of(self, metric: str) -> MetricProgress:
        return next(m for m in self.metrics if m.metric == metric)

    def target(self, metric: str) -> int | None:
        return self.of(metric).target

    def actual(self, metric: str) -> int:
        return self.of(metric).done

    @property
    def has_targets(self) -> bool:
        return any(m.target is not None for m in self.metrics)


@dataclass(frozen=True)
class TeamProgress:
    year: int
    as_of: date  # counted up to this day (the year's end, or today in the year under way)
    cadres: tuple[CadreProgress, ...]
    team: CadreProgress  # the team: targets summed, figures of the team (cadre_id "")

    @property
    def has_targets(self) -> bool:
        return self.team.has_targets


class TargetService(Service):
    def targets(self, cadre_id: str, year: int) -> dict[str, int]:
        """The targets set for a cadre in a year {metric: value} (metrics without a target are absent)."""
        with self.read() as s:
            return {m: v for c, _, m, v in tq.targets(s, year) if c == cadre_id}

    def set_targets(self, cadre_id: str, year: int, values: dict[str, int | None]) -> Outcome[dict[str, int]]:
        """Set a cadre's targets of ``year``: {metric: value}; None removes a target; metrics not named stay as they
        are. Raises ValidationError (metric, value, year), NotFoundError (the cadre)."""
        if not 2000 <= year <= 2100:
            raise ValidationError("year", "年度不对")
        for metric, value in values.items():
            if metric not in METRICS:
                raise ValidationError(metric, f"没有这种目标：{metric}")
            if value is not None and not 0 <= int(value) <= MAX_TARGET:
                raise ValidationError(metric, f"{codes.label('target_metric', metric)}目标应在0到{MAX_TARGET}之间")
        with self.write() as s:
            cadre = self.get_live(s, Cadre, cadre_id, "干部")
            for metric, value in values.items():
                row = s.get(CadreTarget, target_id(cadre_id, year, metric))
                if value is None:
                    if row is not None and row.deleted_at is None:
                        row.deleted_at = utcnow()
                    continue
                if row is None:
                    row = CadreTarget(id=target_id(cadre_id, year, metric), cadre_id=cadre_id, year=year,
                                      metric=metric, village_id=cadre.village_id)
                    s.add(row)
                row.deleted_at = None
                if row.value != int(value):
                    row.value = int(value)
            s.flush()
        return Outcome(self.targets(cadre_id, year), Changes.of_session(s))

    def progress(self, year: int | None = None, as_of: date | None = None,
                 village_id: str | None = None) -> TeamProgress:
        """Each team cadre's figures of ``year`` (up to ``as_of``, default the year's end or today) against the
        targets, and the team's (targets summed). Cadres with a target but no longer in the team are listed too.
        ``village_id``: the team of one village of a township database."""
        year = year or self.today().year
        start, end = year_range(year)
        as_of = min(as_of or self.today(), end)
        with self.read() as s:
            people = dict(tq.team_cadres(s, start, end, village_id))
            set_targets: dict[str, dict[str, int]] = {}
            for cid, name, metric, value in tq.targets(s, year, village_id):
                people.setdefault(cid, name)
                set_targets.setdefault(cid, {})[metric] = value
            done = {
                "village_days": tq.village_days(s, start, as_of, tuple(VILLAGE_STATUSES)),
                "households_visited": tq.households_visited(s, start, as_of),
                "diary_days": tq.diary_days(s, start, as_of),
                "problems_solved": tq.problems_solved(s, start, as_of),
                "suggestions": tq.suggestion_counts(s, start, as_of),
            }
            team_households = tq.households_visited_by(s, start, as_of, list(people))
        rows = tuple(CadreProgress(cid, name, tuple(
            MetricProgress(m, done[m].get(cid, 0), set_targets.get(cid, {}).get(m)) for m in METRICS))
            for cid, name in people.items())
        team_metrics = []
        for m in METRICS:
            targets = [r.target(m) for r in rows if r.target(m) is not None]
            total = team_households if m == "households_visited" else sum(r.actual(m) for r in rows)
            team_metrics.append(MetricProgress(m, total, sum(targets) if targets else None))
        return TeamProgress(year, as_of, rows, CadreProgress("", "工作队合计", tuple(team_metrics)))
