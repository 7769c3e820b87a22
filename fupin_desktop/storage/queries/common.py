"""Small generic queries every service uses (live rows only: tombstoned rows are never shown)."""
from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

M = TypeVar("M")


def live_select(model: type[M], **equals: Any):
    stmt = select(model).where(model.deleted_at.is_(None))
    for name, value in equals.items():
        stmt = stmt.where(getattr(model, name) == value)
    return stmt


def first_live(session: Session, model: type[M], order_by: str = "created_at") -> M | None:
    return session.execute(live_select(model).order_by(getattr(model, order_by)).limit(1)).scalar_one_or_none()


def find_live(session: Session, model: type[M], **equals: Any) -> M | None:
    return session.execute(live_select(model, **equals).limit(1)).scalar_one_or_none()


def all_live(session: Session, model: type[M], order_by: str | None = None, **equals: Any) -> list[M]:
    stmt = live_select(model, **equals)
    if order_by:
        stmt = stmt.order_by(getattr(model, order_by))
    return list(session.execute(stmt).scalars())


def in_ids(session: Session, model: type[M], ids: list[str]) -> list[M]:
    if not ids:
        return []
    return list(session.execute(live_select(model).where(model.id.in_(ids))).scalars())


def count_live(session: Session, model: type[M], **equals: Any) -> int:
    stmt = select(func.count()).select_from(model).where(model.deleted_at.is_(None))
    for name, value in equals.items():
        stmt = stmt.where(getattr(model, name) == value)
    return session.execute(stmt).scalar_one()
