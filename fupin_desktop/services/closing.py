"""结账: close a month, quarter, half-year or year; an administrator reopens it with a reason. Both audited.

The refusal of writes inside a closed period is not here but in ``storage.period_lock`` (every flush passes it).
At closing, each ledger of the period is fingerprinted as it would print (sha256 of its rows); a re-print of a
closed period compares (:meth:`ClosingService.reprint_warning`) and warns when household data changed since.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fupin_desktop.domain import dates
from fupin_desktop.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from fupin_desktop.services.base import ADMIN_ROLES, Outcome, Service, require_text
from fupin_desktop.services.reporting import KINDS, Ledger, Period, ReportFilter
from fupin_desktop.storage import audit
from fupin_desktop.storage.models import PeriodClose, utcnow
from fupin_desktop.storage.period_lock import closure_of, closures, covering, local_day, period_label
from fupin_desktop.storage.sync_closed import SEEN_KEY, seen_now

PERIOD_KINDS = ("month", "quarter", "half", "year")
_RANGES = {"month": dates.month_range, "quarter": dates.quarter_range, "half": dates.half_year_range}


@dataclass(frozen=True)
class PeriodKey:
    """Which period: kind (month/quarter/half/year), year, number (month 1–12, quarter 1–4, half 1–2, year 1)."""

    kind: str
    year: int
    number: int = 1

    @classmethod
    def of(cls, year: int, half: int | None = None, quarter: int | None = None,
           month: int | None = None) -> "PeriodKey":
        given = [(k, v) for k, v in (("half", half), ("quarter", quarter), ("month", month)) if v is not None]
        if len(given) > 1:
            raise ValidationError("period", "半年、季度、月份只能选一个")
        key = cls(given[0][0], year, given[0][1]) if given else cls("year", year, 1)
        key.range()  # validates
        return key

    def range(self) -> tuple[date, date]:
        if self.kind not in PERIOD_KINDS:
            raise ValidationError("period", f"没有这种结账期间：{self.kind}")
        if not 1900 <= self.year <= 2999:
            raise ValidationError("year", f"年份不对：{self.year}")
        if self.kind == "year":
            return dates.year_range(self.year)
        try:
            return _RANGES[self.kind](self.year, self.number)
        except ValueError:
            raise ValidationError("period", f"{self.year}年没有这个{'月份' if self.kind == 'month' else '期间'}："
                                            f"{self.number}") from None

    @property
    def label(self) -> str:
        return period_label(self.kind, self.year, 1 if self.kind == "year" else self.number)

    @property
    def period(self) -> Period:
        start, end = self.range()
        return Period(start, end, self.label)


@dataclass(frozen=True)
class ClosedPeriod:
    id: str
    kind: str
    year: int
    number: int
    label: str
    start_date: date
    end_date: date
    closed_at: datetime
    closed_by: str
    closed_on: date  # local day of closed_at
    reopened_at: datetime | None
    reopened_by: str | None
    reopen_reason: str | None

    @property
    def key(self) -> PeriodKey:
        return PeriodKey(self.kind, self.year, self.number)

    @property
    def is_closed(self) -> bool:
        return self.reopened_at is None


def _dto(row: PeriodClose) -> ClosedPeriod:
    return ClosedPeriod(row.id, row.kind, row.year, row.number, period_label(row.kind, row.year, row.number),
                        row.start_date, row.end_date, row.closed_at, row.closed_by, local_day(row.closed_at),
                        row.reopened_at, row.reopened_by, row.reopen_reason)


def _plain(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_plain(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted(str(v) for v in value)
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


def ledger_digest(ledger: Ledger) -> str:
    """sha256 of a ledger's rows as printed (the head's print date left out: it is the day of printing)."""
    body = json.dumps([ledger.kind, _plain(ledger.rows), list(ledger.sources)], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class ClosingService(Service):
    def _require_admin(self, what: str) -> None:
        if self.actor.role not in ADMIN_ROLES:
            raise PermissionDeniedError(f"只有管理员可以{what}（当前账号“{self.actor.name}”不是管理员）")

    @staticmethod
    def _row(s, key: PeriodKey) -> PeriodClose | None:
        return closure_of(s, key.kind, key.year, key.number)

    def _snapshot(self, key: PeriodKey) -> dict[str, str]:
        from fupin_desktop.services.reporting import ReportingService

        reporting = ReportingService(self.ctx)
        flt = ReportFilter(key.period)
        return {kind: ledger_digest(reporting.ledger(kind, flt)) for kind in KINDS}

    def close(self, key: PeriodKey) -> Outcome[ClosedPeriod]:
        """Close the period (administrator): its records become read-only; the ledgers' fingerprints are kept."""
        self._require_admin("结账")
        start, end = key.range()
        with self.read() as s:
            existing = self._row(s, key)
            if existing is not None and existing.reopened_at is None:
                raise ConflictError(f"{key.label}已于{local_day(existing.closed_at):%Y-%m-%d}由"
                                    f"{existing.closed_by}结账")
        snapshot = json.dumps(self._snapshot(key), sort_keys=True)
        with self.write() as s:
            row = self._row(s, key)
            if row is None:
                row = PeriodClose(kind=key.kind, year=key.year, number=key.number, start_date=start, end_date=end)
                s.add(row)
            row.closed_at = utcnow()
            row.closed_by = self.actor.name or "管理员"
            row.reopened_at = row.reopened_by = row.reopen_reason = None
            # what this copy had seen: an edit made elsewhere that it had not is not in the closing (sync_closed)
            row.snapshot = json.dumps({**json.loads(snapshot), SEEN_KEY: seen_now(s.connection())}, sort_keys=True)
            s.flush()
            audit.record(s, "close_period", "period_close", row.id, detail=f"结账：{key.label}")
            dto = _dto(row)
        return Outcome(dto, self._changes(s))

    def reopen(self, key: PeriodKey, reason: str) -> Outcome[ClosedPeriod]:
        """反结账 (administrator, with a reason): the period's records can be changed again; audited."""
        self._require_admin("反结账")
        reason = require_text(reason, "reason", "反结账的原因", 500)
        with self.write() as s:
            row = self._row(s, key)
            if row is None or row.reopened_at is not None:
                raise ValidationError("period", f"{key.label}没有结账，不需要反结账")
            row.reopened_at = utcnow()
            row.reopened_by = self.actor.name or "管理员"
            row.reopen_reason = reason
            s.flush()
            audit.record(s, "reopen_period", "period_close", row.id, detail=f"反结账：{key.label}；原因：{reason}")
            dto = _dto(row)
        return Outcome(dto, self._changes(s))

    @staticmethod
    def _changes(s):
        from fupin_desktop.services.base import Changes

        return Changes.of_session(s)

    def closed_periods(self, include_reopened: bool = False) -> list[ClosedPeriod]:
        """The closures, newest period first (``include_reopened``: also those reopened since)."""
        with self.read() as s:
            return [_dto(r) for r in closures(s, include_reopened)]

    def coverage(self, start: date, end: date) -> tuple[list[ClosedPeriod], list[tuple[date, date]]]:
        """What of ``start``–``end`` is closed: the closures in force overlapping it (oldest period first), and the
        parts of it that no closure covers (the open ones, in order)."""
        found = sorted((c for c in self.closed_periods() if c.start_date <= end and c.end_date >= start),
                       key=lambda c: (c.start_date, -c.end_date.toordinal()))
        gaps: list[tuple[date, date]] = []
        day = start
        for c in found:
            if c.start_date > day:
                gaps.append((day, c.start_date - timedelta(days=1)))
            if c.end_date >= day:
                day = c.end_date + timedelta(days=1)
        if day <= end:
            gaps.append((day, end))
        return found, gaps

    def closure_on(self, day: date | None) -> ClosedPeriod | None:
        """The closure that makes a record dated ``day`` read-only (None: it can be changed)."""
        if day is None:
            return None
        return covering(self.closed_periods(), day, None)

    def reprint_check(self, kind: str, flt: ReportFilter) -> str | None:
        """:meth:`reprint_warning` for a ledger kind, reading the ledger only when the period is a closed one (the
        reports page calls this after printing a ledger)."""
        if kind not in KINDS or flt.group_name or flt.cadre_id:
            return None
        with self.read() as s:
            if not any((r.start_date, r.end_date) == (flt.period.start, flt.period.end) for r in closures(s)):
                return None
        from fupin_desktop.services.reporting import ReportingService

        return self.reprint_warning(ReportingService(self.ctx).ledger(kind, flt), flt)

    def reprint_warning(self, ledger: Ledger, flt: ReportFilter) -> str | None:
        """A Chinese warning when ``ledger`` (of a closed period, unfiltered) would print differently than at its
        closing — household data changed since; None when it prints the same, or the period is not closed."""
        if flt.group_name or flt.cadre_id:
            return None
        with self.read() as s:
            rows = [r for r in closures(s) if (r.start_date, r.end_date) == (flt.period.start, flt.period.end)]
            for row in rows:
                kept = json.loads(row.snapshot or "{}").get(ledger.kind)
                if kept and kept != ledger_digest(ledger):
                    label = period_label(row.kind, row.year, row.number)
                    return (f"注意：{label}已于{local_day(row.closed_at):%Y-%m-%d}由{row.closed_by}结账，"
                            f"此后农户信息有改动，本次打印的内容与结账时不同")
        return None
