"""驻村考勤: a month grid per cadre (在村 / 因公外出 / 请假 / 其他) and the days in the village against the rule.

The rule (domain.md §5.3)
    驻村天数 (days in the village) = days marked 在村 (in_village) + days marked 因公外出 (official_trip).
    Reported trips for meetings, training or projects count as village time (乐都 rule); 请假 (leave), 其他 and
    days with no mark do not count. A month meets the rule when its days in the village reach the setting
    ``attendance.min_days_per_month`` (e.g. 20, 关岭); a year when its total reaches
    ``target.village_days_per_year`` (e.g. 200, 乐都). A month not over yet is judged only once it has ended
    (``MonthCount.finished``), so a half month is not shown as a failure. Each cadre is judged from the day the
    cadre joined the team (``Cadre.start_date``) to the day they left (``end_date``): months outside are not
    judged at all, a month joined part-way needs its share of the rule (rounded down), and so does the year.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from fupin_desktop.domain.dates import month_range, year_range
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.base import Changes, Outcome, Service, require_code
from fupin_desktop.services.settings import SettingsService
from fupin_desktop.storage.models import Attendance, Cadre
from fupin_desktop.storage.queries import records as rq

__all__ = ["AttendanceService", "MonthGrid", "MonthCount", "YearAttendance", "VILLAGE_STATUSES",
           "village_days"]

# Statuses that count as time in the village (domain.md §5.3).
VILLAGE_STATUSES = frozenset({"in_village", "official_trip"})


def village_days(statuses) -> int:
    """Days in the village among the given statuses (在村 + 因公外出)."""
    return sum(1 for s in statuses if s in VILLAGE_STATUSES)


@dataclass(frozen=True)
class MonthCount:
    year: int
    month: int
    by_status: dict[str, int]
    required: int  # attendance.min_days_per_month (its share, for a month served only in part)
    finished: bool  # the month is over (today is after its last day)
    applies: bool = True  # the cadre was in the team during the month (months before joining are not judged)

    @property
    def village_days(self) -> int:
        return sum(n for s, n in self.by_status.items() if s in VILLAGE_STATUSES)

    @property
    def marked_days(self) -> int:
        return sum(self.by_status.values())

    @property
    def meets(self) -> bool:
        return self.village_days >= self.required

    @property
    def short_by(self) -> int:
        return max(0, self.required - self.village_days)


@dataclass(frozen=True)
class MonthGrid:
    cadre_id: str
    cadre_name: str
    year: int
    month: int
    days: dict[date, str]  # marked days only: day → codes.attendance_status
    notes: dict[date, str] = field(default_factory=dict)
    count: MonthCount | None = None

    @property
    def length(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]


@dataclass(frozen=True)
class YearAttendance:
    cadre_id: str
    cadre_name: str
    year: int
    months: tuple[MonthCount, ...]
    required_year: int  # target.village_days_per_year

    @property
    def village_days(self) -> int:
        return sum(m.village_days for m in self.months)

    @property
    def meets(self) -> bool:
        return self.village_days >= self.required_year

    @property
    def months_short(self) -> int:
        """Finished months of service below the monthly rule."""
        return sum(1 for m in self.months if m.finished and m.applies and not m.meets)


def served_days(start: date, end: date, joined: date | None, left: date | None) -> int:
    """Days of [start, end] within the cadre's time in the team [joined, left] (open ends: no limit)."""
    lo = max(start, joined) if joined else start
    hi = min(end, left) if left else end
    return max(0, (hi - lo).days + 1)


def share(required: int, served: int, length: int) -> int:
    """The part of a rule for ``length`` days that applies to ``served`` of them (rounded down)."""
    return required if served >= length else required * served // length


class AttendanceService(Service):
    def _rules(self) -> tuple[int, int]:
        cfg = SettingsService(self.ctx)
        return cfg.get("attendance.min_days_per_month"), cfg.get("target.village_days_per_year")

    def _check_day(self, day: date) -> None:
        if day > self.today():
            raise ValidationError("day", "不能登记今天以后的考勤")

    # -- writing ----------------------------------------------------------------------------------------------------
    def set_day(self, cadre_id: str, day: date, status: str | None, note: str | None = None) -> Outcome[None]:
        """Mark one day (``status`` None clears it). Raises ValidationError (status, day), NotFoundError."""
        if status is not None:
            require_code("attendance_status", status, "status", "考勤状态")
        self._check_day(day)
        with self.write() as s:
            self.get_live(s, Cadre, cadre_id, "干部")
            self._set(s, cadre_id, day, status, note)
        return Outcome(None, Changes.of_session(s))

    def set_days(self, cadre_id: str, marks: dict[date, str | None]) -> Outcome[None]:
        """Mark several days at once (one transaction). Raises as :meth:`set_day`."""
        for day, status in marks.items():
            if status is not None:
                require_code("attendance_status", status, "status", "考勤状态")
            self._check_day(day)
        with self.write() as s:
            self.get_live(s, Cadre, cadre_id, "干部")
            for day, status in sorted(marks.items()):
                self._set(s, cadre_id, day, status, None)
        return Outcome(None, Changes.of_session(s))

    def fill_month(self, cadre_id: str, year: int, month: int, status: str = "in_village",
                   overwrite: bool = False, skip_weekends: bool = False) -> Outcome[int]:
        """Set a whole month quickly: every day of the month up to today gets ``status``; days already marked keep
        their mark unless ``overwrite``. Returns how many days were set. Raises ValidationError, NotFoundError."""
        require_code("attendance_status", status, "status", "考勤状态")
        start, end = month_range(year, month)
        end = min(end, self.today())
        if start > end:
            raise ValidationError("month", "这个月还没到，不能登记考勤")
        with self.write() as s:
            self.get_live(s, Cadre, cadre_id, "干部")
            marked = {r.day for r in rq.attendance_rows(s, cadre_id, start, end)}
            n = 0
            for d in range(start.toordinal(), end.toordinal() + 1):
                day = date.fromordinal(d)
                if skip_weekends and day.weekday() >= 5:
                    continue
                if day in marked and not overwrite:
                    continue
                self._set(s, cadre_id, day, status, None)
                n += 1
        return Outcome(n, Changes.of_session(s))

    def _set(self, s, cadre_id: str, day: date, status: str | None, note: str | None) -> None:
        row = rq.attendance_row(s, cadre_id, day)
        if status is None:
            if row is not None and row.deleted_at is None:
                self.soft_delete(row)
            return
        if row is None:
            s.add(Attendance(cadre_id=cadre_id, day=day, status=status, note=(note or "").strip() or None))
            return
        row.deleted_at = None  # (cadre, day) is unique: a cleared day is revived
        row.status = status
        if note is not None:
            row.note = note.strip() or None

    # -- reading ----------------------------------------------------------------------------------------------------
    def month(self, cadre_id: str, year: int, month: int) -> MonthGrid:
        """The month grid of one cadre with its count against the monthly rule."""
        required, _ = self._rules()
        start, end = month_range(year, month)
        with self.read() as s:
            cadre = self.get_live(s, Cadre, cadre_id, "干部")
            name = cadre.name
            served = served_days(start, end, cadre.start_date, cadre.end_date)
            rows = [(r.day, r.status, r.note) for r in rq.attendance_rows(s, cadre_id, start, end)]
        days = {d: st for d, st, _n in rows}
        by_status: dict[str, int] = {}
        for st in days.values():
            by_status[st] = by_status.get(st, 0) + 1
        count = MonthCount(year, month, by_status, share(required, served, (end - start).days + 1),
                           self.today() > end, served > 0)
        return MonthGrid(cadre_id, name, year, month, days, {d: n for d, _st, n in rows if n}, count)

    def year(self, cadre_id: str, year: int) -> YearAttendance:
        """Days in the village per month and for the year, against both rules."""
        return self._years([cadre_id], year)[0]

    def team_year(self, year: int, village_id: str | None = None) -> list[YearAttendance]:
        """Every work-team member (cadres marked in_team; of one village when given) for ``year``."""
        from fupin_desktop.services.village import CadreService

        ids = [c.id for c in CadreService(self.ctx).list(include_inactive=True, village_id=village_id) if c.in_team]
        return self._years(ids, year)

    def _years(self, cadre_ids: list[str], year: int) -> list[YearAttendance]:
        required_month, required_year = self._rules()
        start, end = year_range(year)
        today = self.today()
        out = []
        with self.read() as s:
            for cid in cadre_ids:
                cadre = self.get_live(s, Cadre, cid, "干部")
                acc: dict[int, dict[str, int]] = {m: {} for m in range(1, 13)}
                for _c, _y, m, status, n in rq.attendance_counts(s, start, end, cid):
                    acc[m][status] = acc[m].get(status, 0) + n
                months = []
                for m in range(1, 13):
                    m_start, m_end = month_range(year, m)
                    served = served_days(m_start, m_end, cadre.start_date, cadre.end_date)
                    months.append(MonthCount(year, m, acc[m], share(required_month, served, m_end.day), today > m_end,
                                             served > 0))
                served_year = served_days(start, end, cadre.start_date, cadre.end_date)
                out.append(YearAttendance(cid, cadre.name, year, tuple(months),
                                          share(required_year, served_year, (end - start).days + 1)))
        return out
