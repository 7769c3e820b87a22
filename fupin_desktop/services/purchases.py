"""消费帮扶: purchases of farm products from households or village enterprises, and the households they help.

``households_benefiting`` (带动农户数) is what the ledger reports; when households are picked from the registry
and no number is given, it is their count.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import to_money
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to, require_code, require_text
from fupin_desktop.services.donations import household_category
from fupin_desktop.storage.models import Household, Purchase, PurchaseHousehold
from fupin_desktop.storage.queries import purchases as uq
from fupin_desktop.storage.queries.purchases import PurchaseQuery  # re-exported for the UI

__all__ = ["PurchaseService", "PurchaseQuery", "PurchaseInput", "PurchaseDTO", "PurchaseHouseholdDTO",
           "ChannelTotal", "PurchaseTotals"]

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PurchaseInput:
    purchase_date: date
    buyer_unit: str
    product: str
    amount: Decimal
    channel: str = "direct"
    supplier: str | None = None
    origin: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    households_benefiting: int | None = None
    household_ids: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class PurchaseHouseholdDTO:
    household_id: str
    number: str
    head_name: str
    category: str


@dataclass(frozen=True)
class PurchaseDTO:
    id: str
    purchase_date: date
    buyer_unit: str
    product: str
    supplier: str | None
    origin: str | None
    quantity: Decimal | None
    unit: str | None
    amount: Decimal
    channel: str
    households_benefiting: int | None
    note: str | None
    households: tuple[PurchaseHouseholdDTO, ...] = ()


@dataclass(frozen=True)
class ChannelTotal:
    channel: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class PurchaseTotals:
    by_channel: tuple[ChannelTotal, ...]
    count: int
    amount: Decimal
    households_benefiting: int  # sum of 带动农户数
    distinct_households: int  # households picked from the registry, each counted once

    def amount_of(self, channel: str) -> Decimal:
        return next((c.amount for c in self.by_channel if c.channel == channel), ZERO)


ORDER_CHANNELS = frozenset({"order"})  # 订单: a standing order (e.g. a year's brooms), not a one-off purchase


@dataclass(frozen=True)
class PurchaseFigures:
    """消费帮扶 of a period: one-off purchases and standing orders (订单) apart; 带动农户 counted once each."""

    purchase_count: int
    purchase_amount: Decimal
    order_count: int
    order_amount: Decimal
    households: int  # distinct households on the purchases' lists
    unlisted_count: int  # purchases with 带动农户 entered as a number only
    unlisted_household_times: int  # the sum of those numbers (户次)

    @property
    def amount(self) -> Decimal:
        return self.purchase_amount + self.order_amount


def purchase_figures(lines) -> PurchaseFigures:
    """Of ``services.report_lines.PurchaseLine`` rows."""
    orders = [p for p in lines if p.channel in ORDER_CHANNELS]
    buys = [p for p in lines if p.channel not in ORDER_CHANNELS]
    unlisted = [p for p in lines if not p.household_ids and p.households_benefiting]
    return PurchaseFigures(
        purchase_count=len(buys), purchase_amount=sum((p.amount for p in buys), ZERO),
        order_count=len(orders), order_amount=sum((p.amount for p in orders), ZERO),
        households=len({h for p in lines for h in p.household_ids}), unlisted_count=len(unlisted),
        unlisted_household_times=sum(p.households_benefiting for p in unlisted))


class PurchaseService(Service):
    def validate(self, data: PurchaseInput) -> None:
        if data.purchase_date is None:
            raise ValidationError("purchase_date", "请填写采购日期")
        require_text(data.buyer_unit, "buyer_unit", "采购单位", 128)
        require_text(data.product, "product", "产品", 128)
        require_code("purchase_channel", data.channel, "channel", "采购渠道")
        if data.amount is None:
            raise ValidationError("amount", "请填写金额")
        if to_money(data.amount) <= 0:
            raise ValidationError("amount", "金额应大于 0")
        if data.quantity is not None and Decimal(data.quantity) < 0:
            raise ValidationError("quantity", "数量不能为负数")
        if data.households_benefiting is not None and data.households_benefiting < 0:
            raise ValidationError("households_benefiting", "带动农户数不能为负数")

    def create(self, data: PurchaseInput) -> Outcome[PurchaseDTO]:
        """Record a purchase. Raises ValidationError (purchase_date, buyer_unit, product, amount, channel)."""
        self.validate(data)
        with self.write() as s:
            row = Purchase()
            self._apply(row, data)
            s.add(row)
            s.flush()
            self._set_households(s, row, data)
            pid = row.id
        return Outcome(self.get(pid), Changes.of_session(s))

    def update(self, purchase_id: str, data: PurchaseInput) -> Outcome[PurchaseDTO]:
        self.validate(data)
        with self.write() as s:
            row = self.get_live(s, Purchase, purchase_id, "采购记录")
            self._apply(row, data)
            self._set_households(s, row, data)
        return Outcome(self.get(purchase_id), Changes.of_session(s))

    def delete(self, purchase_id: str) -> Outcome[None]:
        with self.write() as s:
            row = self.get_live(s, Purchase, purchase_id, "采购记录")
            for link in uq.household_links(s, [purchase_id]):
                self.soft_delete(link)
            self.soft_delete(row)
        return Outcome(None, Changes.of_session(s))

    def get(self, purchase_id: str) -> PurchaseDTO:
        with self.read() as s:
            row = self.get_live(s, Purchase, purchase_id, "采购记录")
            return self._dtos(s, [row])[0]

    def list(self, query: PurchaseQuery = PurchaseQuery()) -> list[PurchaseDTO]:
        with self.read() as s:
            return self._dtos(s, uq.purchases(s, query))

    def totals(self, query: PurchaseQuery = PurchaseQuery()) -> PurchaseTotals:
        """Totals by channel (in code-list order), overall, and households benefiting."""
        with self.read() as s:
            raw = {ch: (n, Decimal(a)) for ch, n, a in uq.totals_by_channel(s, query)}
            benefiting = sum(r.households_benefiting or 0 for r in uq.purchases(s, query))
            distinct = uq.distinct_households(s, query)
        order = codes.get("purchase_channel").codes()
        by = tuple(ChannelTotal(ch, raw[ch][0], raw[ch][1].quantize(Decimal("0.01")))
                   for ch in order + sorted(set(raw) - set(order)) if ch in raw)
        return PurchaseTotals(by, sum(c.count for c in by), sum((c.amount for c in by), ZERO),
                              benefiting, distinct)

    # -- helpers --------------------------------------------------------------------------------------------------
    @staticmethod
    def _apply(row: Purchase, data: PurchaseInput) -> None:
        row.purchase_date = data.purchase_date
        row.buyer_unit = data.buyer_unit.strip()
        row.product = data.product.strip()
        row.channel = data.channel
        row.amount = to_money(data.amount)
        row.quantity = Decimal(data.quantity) if data.quantity is not None else None
        for name in ("supplier", "origin", "unit", "note"):
            setattr(row, name, (getattr(data, name) or "").strip() or None)
        hids = list(dict.fromkeys(data.household_ids))
        row.households_benefiting = (data.households_benefiting if data.households_benefiting is not None
                                     else (len(hids) or None))

    def _set_households(self, s, row: Purchase, data: PurchaseInput) -> None:
        wanted = list(dict.fromkeys(data.household_ids))
        for hid in wanted:
            self.get_live(s, Household, hid, "农户")
        links = {l.household_id: l for l in uq.household_links(s, [row.id], live_only=False)}
        for hid in wanted:
            link = links.pop(hid, None)
            if link is None:
                s.add(PurchaseHousehold(purchase_id=row.id, household_id=hid))
            elif link.deleted_at is not None:
                link.deleted_at = None
        for link in links.values():
            if link.deleted_at is None:
                self.soft_delete(link)

    @staticmethod
    def _dtos(s, rows: list[Purchase]) -> list[PurchaseDTO]:
        hh = uq.households_of(s, [r.id for r in rows])
        return [copy_to(PurchaseDTO, r, households=tuple(
            PurchaseHouseholdDTO(h.id, h.number, h.head_name, household_category(h)) for h in hh.get(r.id, [])))
            for r in rows]
