"""Queries behind the home page: counts for "what needs doing this week" and the year's figures.

Every query is one aggregate (no rows loaded), so the home page stays fast at 100,000 households. ``village_id``
narrows each to one village of a township database (None: every village).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, exists, extract, func, or_, select
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import (
    Attendance, Cadre, DiaryEntry, Household, Problem, ProblemEvent, Project, Visit,
)
from fupin_desktop.storage.queries.visits import OPEN_STATUSES, alleviated_condition, monitored_condition

# Project statuses at which a project is no longer "behind schedule" (finished, handed over or dropped).
FINISHED_PROJECT_STATUSES = ("accepted", "handed_over", "evaluated", "operating", "cancelled")
TEAM_ROLES = ("secretary", "member")


def _village(cond: list, column, village_id: str | None) -> list:
    if village_id:
        cond.append(column == village_id)
    return cond


def _household_village(village_id: str | None):
    """Visits (joined to their household) of one village: a condition on the household's village."""
    return Visit.household_id.in_(select(Household.id).where(Household.village_id == village_id))


def household_count(session: Session, village_id: str | None = None) -> int:
    cond = _village([Household.deleted_at.is_(None)], Household.village_id, village_id)
    return session.execute(select(func.count()).select_from(Household).where(*cond)).scalar_one()


def project_count(session: Session, village_id: str | None = None) -> int:
    cond = _village([Project.deleted_at.is_(None)], Project.village_id, village_id)
    return session.execute(select(func.count()).select_from(Project).where(*cond)).scalar_one()


def coverage_count(session: Session, today: date, monitored_days: int, alleviated_days: int,
                   ordinary_days: int | None, village_id: str | None = None) -> int:
    """How many households :func:`visits.coverage_rows` would list (same conditions, counted in SQL)."""
    overdue = []
    for cond, days in ((monitored_condition(), monitored_days), (alleviated_condition(), alleviated_days),
                       (and_(~monitored_condition(), ~alleviated_condition()), ordinary_days)):
        if days is None:
            continue
        cutoff = today - timedelta(days=days)
        overdue.append(and_(cond, or_(Household.last_visit_on.is_(None), Household.last_visit_on < cutoff)))
    if not overdue:
        return 0
    cond = _village([Household.deleted_at.is_(None), or_(*overdue)], Household.village_id, village_id)
    stmt = select(func.count()).select_from(Household).where(*cond)
    return session.execute(stmt).scalar_one()


def open_problems_due(session: Session, start: date | None, end: date | None, village_id: str | None = None) -> int:
    """Open problems whose due date lies in [start, end] (None: open-ended)."""
    cond = [Problem.deleted_at.is_(None), Problem.status.in_(OPEN_STATUSES), Problem.due_date.is_not(None)]
    _village(cond, Problem.village_id, village_id)
    if start is not None:
        cond.append(Problem.due_date >= start)
    if end is not None:
        cond.append(Problem.due_date <= end)
    return session.execute(select(func.count()).select_from(Problem).where(*cond)).scalar_one()


def projects_behind(session: Session, today: date, limit: int = 20,
                    village_id: str | None = None) -> tuple[int, list[tuple]]:
    """(count, rows of (id, name, planned_end, status, progress_percent)) of projects past their planned end."""
    cond = [Project.deleted_at.is_(None), Project.planned_end.is_not(None), Project.planned_end < today,
            Project.status.not_in(FINISHED_PROJECT_STATUSES)]
    _village(cond, Project.village_id, village_id)
    n = session.execute(select(func.count()).select_from(Project).where(*cond)).scalar_one()
    rows = session.execute(
        select(Project.id, Project.name, Project.planned_end, Project.status, Project.progress_percent)
        .where(*cond).order_by(Project.planned_end, Project.name).limit(limit)).all()
    return n, [tuple(r) for r in rows]


def team_days_in_village(session: Session, start: date, end: date,
                         statuses: tuple[str, ...] = ("in_village", "official_trip"),
                         village_id: str | None = None) -> list[tuple]:
    """(cadre id, name, days in the village in [start, end], start date, end date) for every work-team cadre
    active in that period; a day counts when its status is one of ``statuses`` (在村 + 因公外出, domain.md §5.3)."""
    days = (select(func.count()).select_from(Attendance)
            .where(Attendance.cadre_id == Cadre.id, Attendance.deleted_at.is_(None),
                   Attendance.status.in_(statuses), Attendance.day >= start, Attendance.day <= end)
            .scalar_subquery())
    cond = _village([Cadre.deleted_at.is_(None), Cadre.in_team.is_(True), Cadre.role.in_(TEAM_ROLES),
                     or_(Cadre.end_date.is_(None), Cadre.end_date >= start),
                     or_(Cadre.start_date.is_(None), Cadre.start_date <= end)], Cadre.village_id, village_id)
    stmt = (select(Cadre.id, Cadre.name, days, Cadre.start_date, Cadre.end_date).where(*cond)
            .order_by(Cadre.role.desc(), Cadre.name))  # secretary before member
    return [(cid, name, int(n), joined, left) for cid, name, n, joined, left in session.execute(stmt).all()]


def visits_between(session: Session, start: date, end: date, village_id: str | None = None) -> int:
    cond = [Visit.deleted_at.is_(None), Visit.visit_date >= start, Visit.visit_date <= end]
    if village_id:
        cond.append(_household_village(village_id))
    return session.execute(select(func.count()).select_from(Visit).where(*cond)).scalar_one()


def households_visited_between(session: Session, start: date, end: date, village_id: str | None = None) -> int:
    cond = _village([Visit.deleted_at.is_(None), Household.deleted_at.is_(None),
                     Visit.visit_date >= start, Visit.visit_date <= end], Household.village_id, village_id)
    stmt = (select(func.count(func.distinct(Visit.household_id))).select_from(Visit)
            .join(Household, Visit.household_id == Household.id).where(*cond))
    return session.execute(stmt).scalar_one()


def problems_solved_between(session: Session, start: date, end: date, village_id: str | None = None) -> int:
    """Live problems that reached 已办结 within [start, end] and were not reopened afterwards."""
    resolved = exists().where(and_(ProblemEvent.problem_id == Problem.id, ProblemEvent.deleted_at.is_(None),
                                   ProblemEvent.to_status == "resolved",
                                   ProblemEvent.event_date >= start, ProblemEvent.event_date <= end))
    cond = _village([Problem.deleted_at.is_(None), Problem.status.in_(("resolved", "revisited")), resolved],
                    Problem.village_id, village_id)
    stmt = select(func.count()).select_from(Problem).where(*cond)
    return session.execute(stmt).scalar_one()


def visits_per_month(session: Session, year: int, village_id: str | None = None) -> list[int]:
    """Twelve counts, January first."""
    month = extract("month", Visit.visit_date)
    cond = [Visit.deleted_at.is_(None), Visit.visit_date >= date(year, 1, 1), Visit.visit_date <= date(year, 12, 31)]
    if village_id:
        cond.append(_household_village(village_id))
    stmt = select(month, func.count()).where(*cond).group_by(month)
    out = [0] * 12
    for m, n in session.execute(stmt).all():
        out[int(m) - 1] = int(n)
    return out
