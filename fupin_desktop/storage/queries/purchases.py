"""Queries for 消费帮扶 purchases and the households they benefit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import Household, Purchase, PurchaseHousehold


@dataclass(frozen=True)
class PurchaseQuery:
    start: date | None = None
    end: date | None = None
    channel: str | None = None
    text: str = ""
    village_id: str | None = None  # a township database: one village (None: all)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def conditions(q: PurchaseQuery) -> list[Any]:
    cond: list[Any] = [Purchase.deleted_at.is_(None)]
    if q.start:
        cond.append(Purchase.purchase_date >= q.start)
    if q.end:
        cond.append(Purchase.purchase_date <= q.end)
    if q.channel:
        cond.append(Purchase.channel == q.channel)
    if q.village_id:
        cond.append(Purchase.village_id == q.village_id)
    text = q.text.strip()
    if text:
        t = _like(text)
        cond.append(or_(Purchase.buyer_unit.like(t, escape="\\"), Purchase.product.like(t, escape="\\"),
                        Purchase.supplier.like(t, escape="\\")))
    return cond


def purchases(session: Session, q: PurchaseQuery) -> list[Purchase]:
    stmt = select(Purchase).where(*conditions(q)).order_by(Purchase.purchase_date.desc(), Purchase.created_at.desc(),
                                                          Purchase.id.desc())
    return list(session.execute(stmt).scalars())


def totals_by_channel(session: Session, q: PurchaseQuery) -> list[tuple[str, int, Any]]:
    stmt = (select(Purchase.channel, func.count(), func.coalesce(func.sum(Purchase.amount), 0))
            .where(*conditions(q)).group_by(Purchase.channel))
    return list(session.execute(stmt).all())


def household_links(session: Session, purchase_ids: list[str], live_only: bool = True) -> list[PurchaseHousehold]:
    if not purchase_ids:
        return []
    stmt = (select(PurchaseHousehold).where(PurchaseHousehold.purchase_id.in_(purchase_ids))
            .order_by(PurchaseHousehold.created_at, PurchaseHousehold.id))
    if live_only:
        stmt = stmt.where(PurchaseHousehold.deleted_at.is_(None))
    return list(session.execute(stmt).scalars())


def households_of(session: Session, purchase_ids: list[str]) -> dict[str, list[Household]]:
    out: dict[str, list[Household]] = {p: [] for p in purchase_ids}
    if not purchase_ids:
        return out
    stmt = (select(PurchaseHousehold.purchase_id, Household)
            .join(Household, PurchaseHousehold.household_id == Household.id)
            .where(PurchaseHousehold.purchase_id.in_(purchase_ids), PurchaseHousehold.deleted_at.is_(None),
                   Household.deleted_at.is_(None))
            .order_by(Household.number))
    for pid, h in session.execute(stmt).all():
        out.setdefault(pid, []).append(h)
    return out


def distinct_households(session: Session, q: PurchaseQuery) -> int:
    stmt = (select(func.count(func.distinct(PurchaseHousehold.household_id)))
            .join(Purchase, PurchaseHousehold.purchase_id == Purchase.id)
            .where(*conditions(q), PurchaseHousehold.deleted_at.is_(None)))
    return session.execute(stmt).scalar_one()
