"""Queries for visits, problems and visit coverage."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import (
    Cadre, Household, Problem, ProblemEvent, Visit, VisitCadre, VisitCheck, VisitPurpose,
)

OPEN_STATUSES = ("pending", "in_progress")


@dataclass(frozen=True)
class VisitQuery:
    start: date | None = None
    end: date | None = None
    cadre_id: str | None = None
    purpose: str | None = None
    household_id: str | None = None
    text: str = ""
    village_id: str | None = None  # a township database: the households of one village (None: all)


def visit_conditions(q: VisitQuery) -> list[Any]:
    cond: list[Any] = [Visit.deleted_at.is_(None)]
    if q.start:
        cond.append(Visit.visit_date >= q.start)
    if q.end:
        cond.append(Visit.visit_date <= q.end)
    if q.household_id:
        cond.append(Visit.household_id == q.household_id)
    if q.cadre_id:
        cond.append(exists().where(and_(VisitCadre.visit_id == Visit.id, VisitCadre.cadre_id == q.cadre_id,
                                        VisitCadre.deleted_at.is_(None))))
    if q.purpose:
        cond.append(exists().where(and_(VisitPurpose.visit_id == Visit.id, VisitPurpose.purpose == q.purpose,
                                        VisitPurpose.deleted_at.is_(None))))
    if q.text.strip():
        t = f"%{q.text.strip()}%"
        cond.append(or_(Household.head_name.like(t), Visit.findings.like(t), Household.number.like(t)))
    if q.village_id:  # (every caller joins Household)
        cond.append(Household.village_id == q.village_id)
    return cond


def count_visits(session: Session, q: VisitQuery) -> int:
    stmt = (select(func.count()).select_from(Visit).join(Household, Visit.household_id == Household.id)
            .where(*visit_conditions(q)))
    return session.execute(stmt).scalar_one()


def visit_rows(session: Session, q: VisitQuery, offset: int = 0, limit: int = 500) -> list[tuple[Visit, Household]]:
    stmt = (select(Visit, Household).join(Household, Visit.household_id == Household.id)
            .where(*visit_conditions(q)).order_by(Visit.visit_date.desc(), Visit.created_at.desc())
            .offset(offset).limit(limit))
    return [(v, h) for v, h in session.execute(stmt).all()]


def cadres_of_visits(session: Session, visit_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    if not visit_ids:
        return out
    stmt = (select(VisitCadre.visit_id, Cadre.id, Cadre.name).join(Cadre, VisitCadre.cadre_id == Cadre.id)
            .where(VisitCadre.visit_id.in_(visit_ids), VisitCadre.deleted_at.is_(None)).order_by(Cadre.name))
    for vid, cid, name in session.execute(stmt):
        out.setdefault(vid, []).append((cid, name))
    return out


def purposes_of_visits(session: Session, visit_ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if not visit_ids:
        return out
    stmt = select(VisitPurpose.visit_id, VisitPurpose.purpose).where(
        VisitPurpose.visit_id.in_(visit_ids), VisitPurpose.deleted_at.is_(None)).order_by(
        VisitPurpose.created_at, VisitPurpose.id)
    for vid, p in session.execute(stmt):
        out.setdefault(vid, []).append(p)
    return out


def checks_of_visits(session: Session, visit_ids: list[str]) -> dict[str, list[VisitCheck]]:
    out: dict[str, list[VisitCheck]] = {}
    if not visit_ids:
        return out
    stmt = select(VisitCheck).where(VisitCheck.visit_id.in_(visit_ids), VisitCheck.deleted_at.is_(None))
    for c in session.execute(stmt).scalars():
        out.setdefault(c.visit_id, []).append(c)
    return out


def refresh_last_visit(session: Session, household_id: str) -> None:
    latest = select(func.max(Visit.visit_date)).where(Visit.household_id == household_id,
                                                       Visit.deleted_at.is_(None)).scalar_subquery()
    session.execute(update(Household).where(Household.id == household_id).values(last_visit_on=latest)
                    .execution_options(synchronize_session="fetch"))


def refresh_open_problems(session: Session, household_id: str) -> None:
    n = select(func.count()).select_from(Problem).where(
        Problem.household_id == household_id, Problem.deleted_at.is_(None),
        Problem.status.in_(OPEN_STATUSES)).scalar_subquery()
    session.execute(update(Household).where(Household.id == household_id).values(open_problems=n)
                    .execution_options(synchronize_session="fetch"))


def monitored_condition():
    return and_(Household.monitoring_category.is_not(None), Household.risk_eliminated.is_(False))


def alleviated_condition():
    return Household.household_type.like("alleviated%")


def coverage_rows(session: Session, today: date, monitored_days: int, alleviated_days: int,
                  ordinary_days: int | None, limit: int | None = None,
                  village_id: str | None = None) -> list[tuple[Household, int]]:
    """Households whose last visit is older than their interval, most overdue first: (household, interval)."""
    interval = case(
        (monitored_condition(), monitored_days),
        (alleviated_condition(), alleviated_days),
        else_=ordinary_days if ordinary_days is not None else 100000,
    )
    cutoffs = []
    for cond, days in ((monitored_condition(), monitored_days), (alleviated_condition(), alleviated_days),
                       (None, ordinary_days)):
        if days is None:
            continue
        cutoff = today - timedelta(days=days)
        overdue = or_(Household.last_visit_on.is_(None), Household.last_visit_on < cutoff)
        cutoffs.append(and_(cond, overdue) if cond is not None else and_(
            ~monitored_condition(), ~alleviated_condition(), overdue))
    cond = [Household.deleted_at.is_(None), or_(*cutoffs)]
    if village_id:
        cond.append(Household.village_id == village_id)
    stmt = (select(Household, interval).where(*cond)
            .order_by(Household.last_visit_on.asc().nulls_first(), Household.number))
    if limit:
        stmt = stmt.limit(limit)
    return [(h, i) for h, i in session.execute(stmt).all()]


# --- problems ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemQuery:
    status: str | None = None  # a code, or "open" / "closed"
    responsible_id: str | None = None
    household_id: str | None = None
    overdue_on: date | None = None  # only open problems past due on this date
    due_before: date | None = None  # only open problems due on or before this date
    start: date | None = None
    end: date | None = None
    text: str = ""
    village_id: str | None = None  # a township database: one village (None: all)


def problem_conditions(q: ProblemQuery) -> list[Any]:
    cond: list[Any] = [Problem.deleted_at.is_(None)]
    if q.status == "open":
        cond.append(Problem.status.in_(OPEN_STATUSES))
    elif q.status == "closed":
        cond.append(~Problem.status.in_(OPEN_STATUSES))
    elif q.status:
        cond.append(Problem.status == q.status)
    if q.responsible_id:
        cond.append(Problem.responsible_id == q.responsible_id)
    if q.household_id:
        cond.append(Problem.household_id == q.household_id)
    if q.overdue_on:
        cond.append(and_(Problem.status.in_(OPEN_STATUSES), Problem.due_date < q.overdue_on))
    if q.due_before:
        cond.append(and_(Problem.status.in_(OPEN_STATUSES), Problem.due_date <= q.due_before))
    if q.start:
        cond.append(Problem.raised_on >= q.start)
    if q.end:
        cond.append(Problem.raised_on <= q.end)
    if q.text.strip():
        cond.append(Problem.description.like(f"%{q.text.strip()}%"))
    if q.village_id:
        cond.append(Problem.village_id == q.village_id)
    return cond


def problem_rows(session: Session, q: ProblemQuery, offset: int = 0, limit: int = 1000):
    stmt = (select(Problem, Household.head_name, Household.number, Cadre.name)
            .outerjoin(Household, Problem.household_id == Household.id)
            .outerjoin(Cadre, Problem.responsible_id == Cadre.id)
            .where(*problem_conditions(q))
            .order_by(case((Problem.status.in_(OPEN_STATUSES), 0), else_=1), Problem.due_date.asc().nulls_last(),
                      Problem.raised_on.desc())
            .offset(offset).limit(limit))
    return list(session.execute(stmt).all())


def count_problems(session: Session, q: ProblemQuery) -> int:
    return session.execute(select(func.count()).select_from(Problem).where(*problem_conditions(q))).scalar_one()


def problem_events(session: Session, problem_id: str) -> list[ProblemEvent]:
    stmt = (select(ProblemEvent).where(ProblemEvent.problem_id == problem_id, ProblemEvent.deleted_at.is_(None))
            .order_by(ProblemEvent.event_date, ProblemEvent.created_at))
    return list(session.execute(stmt).scalars())
