"""Queries over the audit trail."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import AuditEntry


@dataclass(frozen=True)
class AuditQuery:
    user_name: str | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    start: date | None = None
    end: date | None = None
    text: str = ""


def _conditions(q: AuditQuery) -> list[Any]:
    cond: list[Any] = []
    if q.user_name:
        cond.append(AuditEntry.user_name == q.user_name)
    if q.action:
        cond.append(AuditEntry.action == q.action)
    if q.entity:
        cond.append(AuditEntry.entity == q.entity)
    if q.entity_id:
        cond.append(AuditEntry.entity_id == q.entity_id)
    if q.start:
        cond.append(AuditEntry.at >= datetime.combine(q.start, time.min))
    if q.end:
        cond.append(AuditEntry.at < datetime.combine(q.end + timedelta(days=1), time.min))
    if q.text.strip():
        t = f"%{q.text.strip()}%"
        cond.append(or_(AuditEntry.changes.like(t), AuditEntry.detail.like(t)))
    return cond


def entries(session: Session, q: AuditQuery, offset: int = 0, limit: int = 500) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(*_conditions(q)).order_by(AuditEntry.seq.desc()).offset(offset).limit(limit)
    return list(session.execute(stmt).scalars())


def count(session: Session, q: AuditQuery) -> int:
    return session.execute(select(func.count()).select_from(AuditEntry).where(*_conditions(q))).scalar_one()


def user_names(session: Session) -> list[str]:
    stmt = select(AuditEntry.user_name).where(AuditEntry.user_name.is_not(None)).distinct()
    return sorted(n for (n,) in session.execute(stmt))


def field_value(session: Session, model: type, ident: str, field: str) -> Any:
    return session.execute(select(getattr(model, field)).where(model.id == ident)).scalar_one_or_none()


_NAME_COLUMNS = ("head_name", "display_name", "name", "topic", "title", "label")


def record_names(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """A readable name for each (table, id) an audit entry points at: the household's 户主 and 户编号, a member's
    name and household, a user's or cadre's name… (one query per table and per 500 ids; deleted rows too)."""
    from collections import defaultdict

    from fupin_desktop.storage.models import Base

    wanted: dict[str, set[str]] = defaultdict(set)
    for table, ident in keys:
        if table and ident:
            wanted[table].add(ident)
    names: dict[tuple[str, str], str] = {}
    household_of: dict[tuple[str, str], str] = {}
    for table, ids in wanted.items():
        t = Base.metadata.tables.get(table)
        if t is None or "id" not in t.c:
            continue
        name_col = next((t.c[c] for c in _NAME_COLUMNS if c in t.c), None)
        cols = [t.c.id, name_col if name_col is not None else t.c.id,
                t.c.number if table == "household" else t.c.id,
                t.c.household_id if "household_id" in t.c else t.c.id]
        ordered = sorted(ids)
        for i in range(0, len(ordered), 500):
            for ident, name, number, household_id in session.execute(select(*cols).where(
                    t.c.id.in_(ordered[i:i + 500]))):
                if table == "household":
                    names[(table, ident)] = f"{name}户" + (f"（{number}）" if number else "")
                else:
                    if name_col is not None and name:
                        names[(table, ident)] = str(name)
                    if "household_id" in t.c and household_id:
                        household_of[(table, ident)] = household_id
    if household_of:
        households = record_names(session, {("household", h) for h in household_of.values()})
        for key, household_id in household_of.items():
            home = households.get(("household", household_id))
            if home:
                names[key] = f"{names[key]} · {home}" if key in names else home
    return names
