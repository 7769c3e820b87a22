"""Problems raised by households (群众诉求/问题) and their workflow until they are ticked off (销号).

待处理 → 办理中 → 已办结 / 无法解决 → 已回访. Closing needs a resolution text; a closed problem may be reopened.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to, require_code, require_text
from fupin_desktop.storage.models import Cadre, Household, Problem, ProblemEvent
from fupin_desktop.storage.queries import visits as vq
from fupin_desktop.storage.queries.visits import OPEN_STATUSES, ProblemQuery

__all__ = ["ProblemService", "ProblemInput", "ProblemDTO", "ProblemEventDTO", "ProblemQuery", "TRANSITIONS"]

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "pending": ("in_progress", "resolved", "unsolvable"),
    "in_progress": ("resolved", "unsolvable"),
    "resolved": ("revisited", "in_progress"),
    "unsolvable": ("revisited", "in_progress"),
    "revisited": (),
}
CLOSING = ("resolved", "unsolvable")
RESOLVED = ("resolved", "revisited")  # 办结 (a revisit follows a resolution)


@dataclass(frozen=True)
class ProblemFigures:
    """问题 of a period, one definition for the summary, the 问题清单及销号台账 and the upward workbook:
    raised in the period + carried over (raised earlier, still open at its start) = closed by its end (办结,
    无法解决 and any other status an administrator added, each counted apart) + still open (在办) at its end."""

    raised: int
    carried_over: int
    resolved: int  # 已办结 / 已回访
    unsolvable: int  # 无法解决 (explained to the household)
    other_closed: tuple[tuple[str, int], ...]  # (status code, count) of other closing statuses
    open: int  # 待处理 / 办理中 at the end of the period

    @property
    def total(self) -> int:
        return self.raised + self.carried_over

    @property
    def closed(self) -> int:
        """已销号."""
        return self.resolved + self.unsolvable + sum(n for _, n in self.other_closed)


def is_closed(line) -> bool:
    """销号: a ledger line (as it stood at the end of its period) with a closing date."""
    return line.closed_on is not None


def problem_figures(lines, start: date) -> ProblemFigures:
    """The figures of the 问题清单及销号台账's lines (``ReportingService`` gives them as they stood at the end of the
    period): raised on or after ``start`` or carried over."""
    raised = sum(1 for x in lines if x.raised_on >= start)
    closed = [x for x in lines if is_closed(x)]
    others: dict[str, int] = {}
    for x in closed:
        if x.status not in RESOLVED and x.status != "unsolvable":
            others[x.status] = others.get(x.status, 0) + 1
    return ProblemFigures(
        raised=raised, carried_over=len(lines) - raised,
        resolved=sum(1 for x in closed if x.status in RESOLVED),
        unsolvable=sum(1 for x in closed if x.status == "unsolvable"),
        other_closed=tuple(sorted(others.items())), open=len(lines) - len(closed))


@dataclass(frozen=True)
class ProblemInput:
    description: str
    household_id: str | None = None
    responsible_id: str | None = None
    due_date: date | None = None
    raised_on: date | None = None
    category: str | None = None
    source: str = "visit"


@dataclass(frozen=True)
class ProblemDTO:
    id: str
    description: str
    household_id: str | None
    household_name: str | None
    household_number: str | None
    visit_id: str | None
    diary_id: str | None
    source: str
    category: str | None
    raised_on: date
    responsible_id: str | None
    responsible_name: str | None
    due_date: date | None
    status: str
    resolution: str | None
    closed_on: date | None
    revisited_on: date | None
    satisfaction: str | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_on(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today


@dataclass(frozen=True)
class ProblemEventDTO:
    id: str
    event_date: date
    from_status: str | None
    to_status: str
    note: str | None


def problem_dto(p: Problem, household_name=None, household_number=None, responsible_name=None) -> ProblemDTO:
    return copy_to(ProblemDTO, p, household_name=household_name, household_number=household_number,
                   responsible_name=responsible_name)


class ProblemService(Service):
    def default_due_days(self) -> int:
        from fupin_desktop.services.settings import SettingsService

        return SettingsService(self.ctx).get("problem.default_due_days")

    def validate(self, data: ProblemInput) -> None:
        require_text(data.description, "description", "问题内容", 2000)
        require_code("problem_source", data.source, "source", "问题来源")
        raised = data.raised_on or self.today()
        if data.due_date and data.due_date < raised:
            raise ValidationError("due_date", "办理期限不能早于提出日期")

    def add_row(self, s, data: ProblemInput, visit_id: str | None = None, diary_id: str | None = None,
                default_due_days: int | None = None) -> Problem:
        """Insert a problem inside an open transaction (used by visits and diary entries too)."""
        self.validate(data)
        raised = data.raised_on or self.today()
        if data.household_id:
            self.get_live(s, Household, data.household_id, "农户")
        if data.responsible_id:
            self.get_live(s, Cadre, data.responsible_id, "责任人")
        due = data.due_date or (raised + timedelta(days=default_due_days) if default_due_days else None)
        row = Problem(description=data.description.strip(), household_id=data.household_id,
                      responsible_id=data.responsible_id, due_date=due, raised_on=raised,
                      category=data.category, source=data.source, visit_id=visit_id, diary_id=diary_id,
                      status="pending")
        s.add(row)
        s.flush()
        s.add(ProblemEvent(problem_id=row.id, event_date=raised, from_status=None, to_status="pending",
                           note="登记问题"))
        if data.household_id:
            vq.refresh_open_problems(s, data.household_id)
        return row

    def raise_problem(self, data: ProblemInput) -> Outcome[ProblemDTO]:
        """Record a problem. Raises ValidationError (description, due_date, source), NotFoundError."""
        self.validate(data)
        due_days = self.default_due_days()
        with self.write() as s:
            row = self.add_row(s, data, default_due_days=due_days)
        return Outcome(self.get(row.id), Changes.of_session(s))

    def move(self, problem_id: str, to_status: str, note: str | None = None, on: date | None = None,
             resolution: str | None = None, satisfaction: str | None = None) -> Outcome[ProblemDTO]:
        """Move a problem along its workflow. Closing (已办结/无法解决) requires a resolution text.

        Raises ValidationError (status, resolution, satisfaction), NotFoundError."""
        require_code("problem_status", to_status, "status", "状态")
        if satisfaction:
            require_code("satisfaction", satisfaction, "satisfaction", "满意度")
        when = on or self.today()
        with self.write() as s:
            row = self.get_live(s, Problem, problem_id, "问题")
            if to_status not in TRANSITIONS[row.status]:
                raise ValidationError("status", f"问题当前为“{codes.label('problem_status', row.status)}”，"
                                                f"不能改为“{codes.label('problem_status', to_status)}”")
            if when < row.raised_on:
                raise ValidationError("on", "日期不能早于问题提出日期")
            if to_status in CLOSING:
                text = (resolution or "").strip()
                if not text:
                    raise ValidationError("resolution", "办结或无法解决时，请填写处理结果（向群众的解释）")
                row.resolution = text
                row.closed_on = when
            elif to_status == "revisited":
                row.revisited_on = when
                row.satisfaction = satisfaction or row.satisfaction
            elif to_status == "in_progress" and row.status in CLOSING:
                row.closed_on = None  # reopened
            s.add(ProblemEvent(problem_id=row.id, event_date=when, from_status=row.status, to_status=to_status,
                               note=(note or "").strip() or None))
            row.status = to_status
            s.flush()
            if row.household_id:
                vq.refresh_open_problems(s, row.household_id)
        return Outcome(self.get(problem_id), Changes.of_session(s))

    def update(self, problem_id: str, data: ProblemInput) -> Outcome[ProblemDTO]:
        self.validate(data)
        with self.write() as s:
            row = self.get_live(s, Problem, problem_id, "问题")
            row.description = data.description.strip()
            row.responsible_id = data.responsible_id
            row.due_date = data.due_date
            row.category = data.category
        return Outcome(self.get(problem_id), Changes.of_session(s))

    def delete(self, problem_id: str) -> Outcome[None]:
        with self.write() as s:
            row = self.get_live(s, Problem, problem_id, "问题")
            self.soft_delete(row)
            s.flush()
            if row.household_id:
                vq.refresh_open_problems(s, row.household_id)
        return Outcome(None, Changes.of_session(s))

    def get(self, problem_id: str) -> ProblemDTO:
        with self.read() as s:
            row = self.get_live(s, Problem, problem_id, "问题")
            h = s.get(Household, row.household_id) if row.household_id else None
            c = s.get(Cadre, row.responsible_id) if row.responsible_id else None
            return problem_dto(row, h.head_name if h else None, h.number if h else None, c.name if c else None)

    def list(self, query: ProblemQuery = ProblemQuery(), offset: int = 0, limit: int = 1000) -> list[ProblemDTO]:
        with self.read() as s:
            return [problem_dto(p, hn, num, cn) for p, hn, num, cn in vq.problem_rows(s, query, offset, limit)]

    def count(self, query: ProblemQuery = ProblemQuery()) -> int:
        with self.read() as s:
            return vq.count_problems(s, query)

    def history(self, problem_id: str) -> list[ProblemEventDTO]:
        with self.read() as s:
            return [copy_to(ProblemEventDTO, e) for e in vq.problem_events(s, problem_id)]
