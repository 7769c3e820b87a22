"""Queries for the team's registers (services.registers): visits with 两不愁三保障 checks, attendance marks of a
date range, cash handed out. Live rows only; periods are inclusive ``[start, end]`` dates."""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import Attendance, Distribution, Household, Visit, VisitCheck
from fupin_desktop.storage.queries.reporting import Scope, _visit_cond


def checked_visits(session: Session, scope: Scope) -> list[tuple[Visit, Household, list[VisitCheck]]]:
    """Visits of the scope that recorded at least one 两不愁三保障/饮水 check, with their checks."""
    has_check = exists().where(VisitCheck.visit_id == Visit.id, VisitCheck.deleted_at.is_(None))
    stmt = (select(Visit, Household).join(Household, Visit.household_id == Household.id)
            .where(*_visit_cond(scope), has_check).order_by(Visit.visit_date, Household.number, Visit.id))
    rows = [(v, h) for v, h in session.execute(stmt).all()]
    checks: dict[str, list[VisitCheck]] = {}
    ids = [v.id for v, _ in rows]
    for i in range(0, len(ids), 500):  # IN lists of bounded size (SQLite's variable limit)
        part = ids[i:i + 500]
        stmt = select(VisitCheck).where(VisitCheck.visit_id.in_(part), VisitCheck.deleted_at.is_(None))
        for c in session.execute(stmt).scalars():
            checks.setdefault(c.visit_id, []).append(c)
    return [(v, h, checks.get(v.id, [])) for v, h in rows]


def attendance_marks(session: Session, start: date, end: date) -> list[tuple[str, date, str]]:
    """(cadre id, day, status) of every live attendance mark in [start, end]."""
    stmt = (select(Attendance.cadre_id, Attendance.day, Attendance.status)
            .where(Attendance.deleted_at.is_(None), Attendance.day >= start, Attendance.day <= end)
            .order_by(Attendance.day))
    return [(c, d, s) for c, d, s in session.execute(stmt).all()]


def cash_given(session: Session, until: date) -> list[tuple[Distribution, str | None]]:
    """Cash handed out up to ``until`` (distributions without an item), with the household head's name (None for
    another target), by day."""
    stmt = (select(Distribution, Household.head_name)
            .outerjoin(Household, Distribution.household_id == Household.id)
            .where(Distribution.deleted_at.is_(None), Distribution.item_id.is_(None),
                   Distribution.distributed_on <= until)
            .order_by(Distribution.distributed_on, Distribution.created_at))
    return [(d, name) for d, name in session.execute(stmt).all()]
