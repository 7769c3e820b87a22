"""Figures for the home page (首页): what needs doing this week and the year's figures against the targets.

Everything is counted in SQL; lists shown on the home page are short (``limit``), so the page stays fast with
100,000 households. ``village_id`` (every method): one village of a township database; None: every village.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from fupin_desktop.services.attendance import VILLAGE_STATUSES, served_days, share
from fupin_desktop.services.base import Service
from fupin_desktop.services.problems import ProblemDTO, ProblemQuery, ProblemService
from fupin_desktop.services.settings import SettingsService
from fupin_desktop.services.targets import TargetService, TeamProgress
from fupin_desktop.services.visits import CoverageRow, VisitService
from fupin_desktop.storage.queries import records as records_q
from fupin_desktop.storage.queries import stats as sq

__all__ = ["StatsService", "HomeFigures", "YearFigure", "AttendanceFigure", "ProjectBehind", "DUE_SOON_DAYS"]

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class YearFigure:
    key: str  # visits | households_covered | diary_days | problems_solved
    title: str
    actual: int
    target: int

    @property
    def percent(self) -> int:
        """Share of the target reached, 0…100+ (100 when the target is 0)."""
        return 100 if self.target <= 0 else round(100 * self.actual / self.target)


@dataclass(frozen=True)
class AttendanceFigure:
    cadre_id: str
    name: str
    days: int  # days in the village (在村 + 因公外出) this month so far
    required: int  # attendance.min_days_per_month (its share when the cadre joined during the month)
    days_left: int = 0  # days of the month after today

    @property
    def short(self) -> bool:
        """The month can no longer meet the rule (a month under way is not judged before that)."""
        return self.days + self.days_left < self.required


@dataclass(frozen=True)
class ProjectBehind:
    id: str
    name: str
    planned_end: date
    status: str
    progress_percent: int


@dataclass(frozen=True)
class HomeFigures:
    today: date
    overdue_visits: int
    overdue_visit_rows: tuple[CoverageRow, ...]  # the most overdue first (at most ``limit``)
    problems_overdue: int
    problems_due_soon: int  # open, due today … today + 7 days
    problem_rows: tuple[ProblemDTO, ...]  # overdue and due soon, earliest due first (at most ``limit``)
    projects_behind: int
    project_rows: tuple[ProjectBehind, ...]
    attendance: tuple[AttendanceFigure, ...]
    month_days_left: int  # days of this month after today
    year: int
    year_figures: tuple[YearFigure, ...]
    visits_per_month: tuple[int, ...]  # 12 values, January first
    households: int = 0  # live households: with none, "all visited on time" would be an empty promise
    targets: TeamProgress | None = None  # each cadre's figures of the year against the targets (services.targets)
    pairings_below: int = 0  # pairings of this year behind the 结对帮扶 visit rule (services.pairing_visits)
    pairing_rows: tuple = ()  # those pairings (services.report_lines.PairingLine), at most ``limit``
    projects: int = 0  # live projects: likewise "all on schedule"


class StatsService(Service):
    def household_count(self, village_id: str | None = None) -> int:
        """Live households (the status bar's "共 N 户")."""
        with self.read() as s:
            return sq.household_count(s, village_id)

    def project_count(self, village_id: str | None = None) -> int:
        """Live projects."""
        with self.read() as s:
            return sq.project_count(s, village_id)

    def overdue_visit_count(self, today: date | None = None, village_id: str | None = None) -> int:
        """How many households ``services.visits.coverage()`` lists (counted without loading them)."""
        today = today or self.today()
        cfg = SettingsService(self.ctx)
        with self.read() as s:
            return sq.coverage_count(s, today, cfg.get("visit_interval.monitored"),
                                     cfg.get("visit_interval.alleviated"), cfg.get("visit_interval.ordinary"),
                                     village_id)

    def problems_due(self, today: date | None = None, village_id: str | None = None) -> tuple[int, int]:
        """(overdue, due within 7 days) among open problems."""
        today = today or self.today()
        with self.read() as s:
            overdue = sq.open_problems_due(s, None, today - timedelta(days=1), village_id)
            soon = sq.open_problems_due(s, today, today + timedelta(days=DUE_SOON_DAYS), village_id)
        return overdue, soon

    def projects_behind(self, today: date | None = None, limit: int = 20,
                        village_id: str | None = None) -> tuple[int, list[ProjectBehind]]:
        """Projects whose planned end has passed and that are not accepted/handed over/evaluated/operating/cancelled."""
        today = today or self.today()
        with self.read() as s:
            n, rows = sq.projects_behind(s, today, limit, village_id)
        return n, [ProjectBehind(*r) for r in rows]

    def attendance_this_month(self, today: date | None = None,
                              village_id: str | None = None) -> list[AttendanceFigure]:
        """Days in the village (在村 + 因公外出) of each work-team cadre from the 1st of this month to today, against
        the monthly rule (its share for a cadre who joined this month); ``short`` only once it cannot be met."""
        today = today or self.today()
        required = SettingsService(self.ctx).get("attendance.min_days_per_month")
        with self.read() as s:
            rows = sq.team_days_in_village(s, today.replace(day=1), today, tuple(VILLAGE_STATUSES), village_id)
        first = today.replace(day=1)
        last = first.replace(day=calendar.monthrange(today.year, today.month)[1])
        return [AttendanceFigure(cid, name, n, share(required, served_days(first, last, joined, left), last.day),
                                 (last - today).days)
                for cid, name, n, joined, left in rows]

    def year_figures(self, year: int | None = None, village_id: str | None = None) -> list[YearFigure]:
        year = year or self.today().year
        start, end = date(year, 1, 1), date(year, 12, 31)
        cfg = SettingsService(self.ctx)
        v = village_id
        with self.read() as s:
            values = (
                ("visits", "走访户次", sq.visits_between(s, start, end, v), cfg.get("target.visits_per_year")),
                ("households_covered", "走访覆盖户数", sq.households_visited_between(s, start, end, v),
                 cfg.get("target.households_covered")),
                # the target counts days written (two entries on one day are one day): DiaryService.progress's rule
                ("diary_days", "民情日记天数", records_q.diary_days(s, start, end, village_id=v)[0],
                 cfg.get("target.diary_days")),
                ("problems_solved", "解决问题", sq.problems_solved_between(s, start, end, v),
                 cfg.get("target.problems_solved")),
            )
        return [YearFigure(*v) for v in values]

    def pairings_below(self, today: date | None = None, village_id: str | None = None) -> list:
        """This year's pairings behind the 结对帮扶 visit rule as of ``today`` (fewest visits owed first)."""
        from fupin_desktop.services.reporting import Period, ReportFilter, ReportingService

        today = today or self.today()
        rows = ReportingService(self.ctx).pairings_below(
            ReportFilter(Period.custom(date(today.year, 1, 1), today), village_id=village_id))
        return sorted(rows, key=lambda p: (p.visits_in_period - p.required_visits, p.cadre_name, p.number))

    def visits_per_month(self, year: int | None = None, village_id: str | None = None) -> list[int]:
        with self.read() as s:
            return sq.visits_per_month(s, year or self.today().year, village_id)

    def home(self, today: date | None = None, limit: int = 8, village_id: str | None = None) -> HomeFigures:
        """Everything the home page shows, in one call (several short read transactions); of one village of a
        township database when ``village_id`` is given."""
        today = today or self.today()
        v = village_id
        overdue_problems, soon_problems = self.problems_due(today, v)
        problems = ProblemService(self.ctx).list(
            ProblemQuery(status="open", due_before=today + timedelta(days=DUE_SOON_DAYS), village_id=v), 0, limit)
        n_projects, projects = self.projects_behind(today, limit, v)
        behind = self.pairings_below(today, v)
        return HomeFigures(
            today=today,
            overdue_visits=self.overdue_visit_count(today, v),
            overdue_visit_rows=tuple(VisitService(self.ctx).coverage(today, limit, v)),
            problems_overdue=overdue_problems,
            problems_due_soon=soon_problems,
            problem_rows=tuple(problems),
            projects_behind=n_projects,
            project_rows=tuple(projects),
            attendance=tuple(self.attendance_this_month(today, v)),
            month_days_left=calendar.monthrange(today.year, today.month)[1] - today.day,
            year=today.year,
            year_figures=tuple(self.year_figures(today.year, v)),
            visits_per_month=tuple(self.visits_per_month(today.year, v)),
            households=self.household_count(v),
            targets=TargetService(self.ctx).progress(today.year, today, v),
            projects=self.project_count(v),
            pairings_below=len(behind),
            pairing_rows=tuple(behind[:limit]),
        )
