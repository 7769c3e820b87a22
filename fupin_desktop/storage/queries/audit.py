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
