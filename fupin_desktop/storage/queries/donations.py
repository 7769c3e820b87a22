"""Queries for donors, donations, their item lines and distributions (发放), and stock on hand."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import Distribution, Donation, DonationItem, Donor, Household


@dataclass(frozen=True)
class DonationQuery:
    start: date | None = None
    end: date | None = None
    kind: str | None = None
    condolence: bool | None = None
    donor_id: str | None = None
    text: str = ""
    village_id: str | None = None  # a township database: one village (None: all)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def conditions(q: DonationQuery) -> list[Any]:
    cond: list[Any] = [Donation.deleted_at.is_(None)]
    if q.start:
        cond.append(Donation.received_on >= q.start)
    if q.end:
        cond.append(Donation.received_on <= q.end)
    if q.kind:
        cond.append(Donation.kind == q.kind)
    if q.condolence is not None:
        cond.append(Donation.is_condolence.is_(q.condolence))
    if q.donor_id:
        cond.append(Donation.donor_id == q.donor_id)
    if q.village_id:
        cond.append(Donation.village_id == q.village_id)
    text = q.text.strip()
    if text:
        t = _like(text)
        cond.append(or_(Donor.name.like(t, escape="\\"), Donation.purpose.like(t, escape="\\"),
                        Donation.receipt_number.like(t, escape="\\"),
                        Donation.designated_target.like(t, escape="\\")))
    return cond


def donors(session: Session) -> list[Donor]:
    stmt = select(Donor).where(Donor.deleted_at.is_(None)).order_by(Donor.name)
    return list(session.execute(stmt).scalars())


def donor_by_name(session: Session, name: str) -> Donor | None:
    stmt = select(Donor).where(Donor.deleted_at.is_(None), Donor.name == name).limit(1)
    return session.execute(stmt).scalar_one_or_none()


def donation_rows(session: Session, q: DonationQuery) -> list[tuple[Donation, Donor]]:
    stmt = (select(Donation, Donor).join(Donor, Donation.donor_id == Donor.id).where(*conditions(q))
            .order_by(Donation.received_on.desc(), Donation.created_at.desc(), Donation.id.desc()))
    return [(d, o) for d, o in session.execute(stmt).all()]


def items_of(session: Session, donation_ids: list[str]) -> dict[str, list[DonationItem]]:
    out: dict[str, list[DonationItem]] = {d: [] for d in donation_ids}
    if not donation_ids:
        return out
    stmt = (select(DonationItem).where(DonationItem.donation_id.in_(donation_ids), DonationItem.deleted_at.is_(None))
            .order_by(DonationItem.created_at, DonationItem.id))
    for item in session.execute(stmt).scalars():
        out.setdefault(item.donation_id, []).append(item)
    return out


def distributed_by_item(session: Session, item_ids: list[str],
                        until: date | None = None) -> dict[str, tuple[Decimal, Decimal]]:
    """item id → (quantity given out, amount given out) over live distributions (given out by ``until``)."""
    if not item_ids:
        return {}
    stmt = (select(Distribution.item_id, func.coalesce(func.sum(Distribution.quantity), 0),
                   func.coalesce(func.sum(Distribution.amount), 0))
            .where(Distribution.item_id.in_(item_ids), Distribution.deleted_at.is_(None))
            .group_by(Distribution.item_id))
    if until is not None:
        stmt = stmt.where(Distribution.distributed_on <= until)
    return {iid: (Decimal(q), Decimal(a)) for iid, q, a in session.execute(stmt).all()}


def cash_distributed(session: Session, donation_ids: list[str]) -> dict[str, Decimal]:
    """donation id → cash given out (distributions without an item)."""
    if not donation_ids:
        return {}
    stmt = (select(Distribution.donation_id, func.coalesce(func.sum(Distribution.amount), 0))
            .where(Distribution.donation_id.in_(donation_ids), Distribution.item_id.is_(None),
                   Distribution.deleted_at.is_(None))
            .group_by(Distribution.donation_id))
    return {did: Decimal(a) for did, a in session.execute(stmt).all()}


def distribution_rows(session: Session, donation_id: str | None = None, household_id: str | None = None,
                      start: date | None = None, end: date | None = None
                      ) -> list[tuple[Distribution, Household | None, DonationItem | None]]:
    stmt = (select(Distribution, Household, DonationItem)
            .outerjoin(Household, Distribution.household_id == Household.id)
            .outerjoin(DonationItem, Distribution.item_id == DonationItem.id)
            .where(Distribution.deleted_at.is_(None)))
    if donation_id:
        stmt = stmt.where(Distribution.donation_id == donation_id)
    if household_id:
        stmt = stmt.where(Distribution.household_id == household_id)
    if start:
        stmt = stmt.where(Distribution.distributed_on >= start)
    if end:
        stmt = stmt.where(Distribution.distributed_on <= end)
    stmt = stmt.order_by(Distribution.distributed_on, Distribution.created_at)
    return [(d, h, i) for d, h, i in session.execute(stmt).all()]


def count_distributions(session: Session, donation_id: str) -> int:
    stmt = select(func.count()).select_from(Distribution).where(
        Distribution.donation_id == donation_id, Distribution.deleted_at.is_(None))
    return session.execute(stmt).scalar_one()


def distribution_counts(session: Session, donation_ids: list[str]) -> dict[str, int]:
    if not donation_ids:
        return {}
    stmt = (select(Distribution.donation_id, func.count()).where(Distribution.donation_id.in_(donation_ids),
                                                                 Distribution.deleted_at.is_(None))
            .group_by(Distribution.donation_id))
    return {did: n for did, n in session.execute(stmt).all()}


def live_items(session: Session, until: date | None = None,
               village_id: str | None = None) -> list[tuple[DonationItem, Donation, Donor]]:
    """Live goods lines with their donation and donor (received by ``until``; of one village when given)."""
    stmt = (select(DonationItem, Donation, Donor).join(Donation, DonationItem.donation_id == Donation.id)
            .join(Donor, Donation.donor_id == Donor.id)
            .where(DonationItem.deleted_at.is_(None), Donation.deleted_at.is_(None))
            .order_by(Donation.received_on, DonationItem.created_at))
    if until is not None:
        stmt = stmt.where(Donation.received_on <= until)
    if village_id:
        stmt = stmt.where(Donation.village_id == village_id)
    return [(i, d, o) for i, d, o in session.execute(stmt).all()]


def cash_donations(session: Session, village_id: str | None = None) -> list[tuple[Donation, Donor]]:
    stmt = (select(Donation, Donor).join(Donor, Donation.donor_id == Donor.id)
            .where(Donation.deleted_at.is_(None), Donation.kind == "cash").order_by(Donation.received_on))
    if village_id:
        stmt = stmt.where(Donation.village_id == village_id)
    return [(d, o) for d, o in session.execute(stmt).all()]


def batches(session: Session, start: date, end: date) -> list[tuple[Donation, Donor, date, date, int]]:
    """发放批次: each donation with distributions between ``start`` and ``end`` (inclusive), with the first and last
    distribution date and the number of distributions, by first date."""
    first = func.min(Distribution.distributed_on)
    stmt = (select(Donation, Donor, first, func.max(Distribution.distributed_on), func.count(Distribution.id))
            .join(Donor, Donation.donor_id == Donor.id)
            .join(Distribution, Distribution.donation_id == Donation.id)
            .where(Donation.deleted_at.is_(None), Distribution.deleted_at.is_(None),
                   Distribution.distributed_on >= start, Distribution.distributed_on <= end)
            .group_by(Donation.id, Donor.id)
            .order_by(first, Donation.received_on, Donation.id))
    return [(d, o, f, last, n) for d, o, f, last, n in session.execute(stmt).all()]


def donation_with_donor(session: Session, donation_id: str) -> tuple[Donation, Donor] | None:
    stmt = (select(Donation, Donor).join(Donor, Donation.donor_id == Donor.id)
            .where(Donation.id == donation_id, Donation.deleted_at.is_(None)))
    row = session.execute(stmt).first()
    return (row[0], row[1]) if row else None
