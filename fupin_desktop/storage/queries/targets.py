"""Queries behind targets per cadre (驻村天数, 走访户数, 民情日记天数, 破解难题件数, 意见建议条数) and the 意见建议 list.

Every count is one grouped aggregate over [start, end] (inclusive), keyed by cadre id."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import (
    Attendance, Cadre, CadreTarget, DiaryEntry, Household, Problem, ProblemEvent, Suggestion, Visit, VisitCadre,
)

TEAM_ROLES = ("secretary", "member")


def team_cadres(session: Session, start: date, end: date, village_id: str | None = None) -> list[tuple[str, str]]:
    """(id, name) of the work-team cadres (of one village when given) serving at some time in [start, end],
    secretary first."""
    cond = [Cadre.deleted_at.is_(None), Cadre.in_team.is_(True), Cadre.role.in_(TEAM_ROLES),
            or_(Cadre.end_date.is_(None), Cadre.end_date >= start),
            or_(Cadre.start_date.is_(None), Cadre.start_date <= end)]
    if village_id:
        cond.append(Cadre.village_id == village_id)
    stmt = select(Cadre.id, Cadre.name).where(*cond).order_by(Cadre.role.desc(), Cadre.name)
    return [tuple(r) for r in session.execute(stmt)]


def targets(session: Session, year: int, village_id: str | None = None) -> list[tuple[str, str, str, int]]:
    """(cadre id, cadre name, metric, value) of every live target of ``year`` (of one village's cadres when
    given)."""
    cond = [CadreTarget.deleted_at.is_(None), CadreTarget.year == year, Cadre.deleted_at.is_(None)]
    if village_id:
        cond.append(Cadre.village_id == village_id)
    stmt = (select(CadreTarget.cadre_id, Cadre.name, CadreTarget.metric, CadreTarget.value)
            .join(Cadre, CadreTarget.cadre_id == Cadre.id).where(*cond))
    return [tuple(r) for r in session.execute(stmt)]


def village_days(session: Session, start: date, end: date, statuses: tuple[str, ...]) -> dict[str, int]:
    stmt = (select(Attendance.cadre_id, func.count())
            .where(Attendance.deleted_at.is_(None), Attendance.status.in_(statuses), Attendance.day >= start,
                   Attendance.day <= end).group_by(Attendance.cadre_id))
    return {c: int(n) for c, n in session.execute(stmt)}


def _visit_cond(start: date, end: date) -> list[Any]:
    return [Visit.deleted_at.is_(None), VisitCadre.deleted_at.is_(None), Household.deleted_at.is_(None),
            Visit.visit_date >= start, Visit.visit_date <= end]


def households_visited(session: Session, start: date, end: date) -> dict[str, int]:
    """Distinct households each cadre visited (a visit counts for every cadre on it)."""
    stmt = (select(VisitCadre.cadre_id, func.count(distinct(Visit.household_id)))
            .join(Visit, VisitCadre.visit_id == Visit.id).join(Household, Visit.household_id == Household.id)
            .where(*_visit_cond(start, end)).group_by(VisitCadre.cadre_id))
    return {c: int(n) for c, n in session.execute(stmt)}


def households_visited_by(session: Session, start: date, end: date, cadre_ids: list[str]) -> int:
    """Distinct households visited by any of ``cadre_ids`` (the team's figure: a household two cadres visited is
    one household)."""
    if not cadre_ids:
        return 0
    stmt = (select(func.count(distinct(Visit.household_id)))
            .select_from(VisitCadre).join(Visit, VisitCadre.visit_id == Visit.id)
            .join(Household, Visit.household_id == Household.id)
            .where(*_visit_cond(start, end), VisitCadre.cadre_id.in_(cadre_ids)))
    return int(session.execute(stmt).scalar_one())


def diary_days(session: Session, start: date, end: date) -> dict[str, int]:
    """Days each author wrote at least one 民情日记 entry (two entries on one day are one day)."""
    stmt = (select(DiaryEntry.author_id, func.count(distinct(DiaryEntry.entry_date)))
            .where(DiaryEntry.deleted_at.is_(None), DiaryEntry.entry_date >= start, DiaryEntry.entry_date <= end)
            .group_by(DiaryEntry.author_id))
    return {c: int(n) for c, n in session.execute(stmt)}


def problems_solved(session: Session, start: date, end: date) -> dict[str, int]:
    """Problems each responsible cadre brought to 已办结 within [start, end] and that stayed solved (the home page's
    解决问题 rule, per cadre)."""
    resolved = exists().where(and_(ProblemEvent.problem_id == Problem.id, ProblemEvent.deleted_at.is_(None),
                                   ProblemEvent.to_status == "resolved",
                                   ProblemEvent.event_date >= start, ProblemEvent.event_date <= end))
    stmt = (select(Problem.responsible_id, func.count())
            .where(Problem.deleted_at.is_(None), Problem.responsible_id.is_not(None),
                   Problem.status.in_(("resolved", "revisited")), resolved)
            .group_by(Problem.responsible_id))
    return {c: int(n) for c, n in session.execute(stmt)}


def suggestion_counts(session: Session, start: date, end: date) -> dict[str, int]:
    stmt = (select(Suggestion.cadre_id, func.count())
            .where(Suggestion.deleted_at.is_(None), Suggestion.made_on >= start, Suggestion.made_on <= end)
            .group_by(Suggestion.cadre_id))
    return {c: int(n) for c, n in session.execute(stmt)}


def suggestions(session: Session, start: date | None = None, end: date | None = None,
                cadre_id: str | None = None) -> list[tuple[Suggestion, str]]:
    """(suggestion, cadre name), newest first."""
    cond: list[Any] = [Suggestion.deleted_at.is_(None)]
    if start is not None:
        cond.append(Suggestion.made_on >= start)
    if end is not None:
        cond.append(Suggestion.made_on <= end)
    if cadre_id:
        cond.append(Suggestion.cadre_id == cadre_id)
    stmt = (select(Suggestion, Cadre.name).join(Cadre, Suggestion.cadre_id == Cadre.id).where(*cond)
            .order_by(Suggestion.made_on.desc(), Suggestion.created_at.desc()))
    return [(s, n) for s, n in session.execute(stmt)]
