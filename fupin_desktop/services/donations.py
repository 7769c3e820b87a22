"""Donations (捐赠) of cash or goods, their distribution (发放/签收), stock on hand, and condolence visits (慰问).

Stock on hand per item = received − distributed; cash balance of a cash donation = amount − cash given out.
Neither may go negative: a distribution that would is refused with a ValidationError naming the item (or the
donation) and what remains. A condolence visit is one call: a Donation marked ``is_condolence`` plus one
distribution per household and gift.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import format_quantity, format_yuan, to_money  # noqa: F401 (format_quantity: callers import it from here)
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to, require_code, require_text
from fupin_desktop.storage.models import Distribution, Donation, DonationItem, Donor, Household, Village
from fupin_desktop.storage.queries import common
from fupin_desktop.storage.queries import donations as dq
from fupin_desktop.storage.queries.donations import DonationQuery  # re-exported for the UI

__all__ = ["DonationService", "DonationQuery", "DonorInput", "DonorDTO", "ItemInput", "DonationInput",
           "DonationDTO", "DonationItemDTO", "DistributionInput", "DistributionDTO", "StockRow", "CashRow",
           "CondolenceInput", "household_category", "format_quantity"]

ZERO = Decimal("0.00")
QZERO = Decimal("0")
QUANT = Decimal("0.001")
CASH_ITEM_NAME = "慰问金"




def household_category(h: Household) -> str:
    """What a 发放登记 shows as 类别: the monitoring category while monitored, else the household type."""
    if h.monitoring_category and not h.risk_eliminated:
        return codes.label("monitoring_category", h.monitoring_category)
    return codes.label("household_type", h.household_type)


def _qty(value, field: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("quantity must not be a float")
    try:
        q = Decimal(str(value if value is not None else 0)).quantize(QUANT, rounding=ROUND_HALF_UP)
    except Exception:  # noqa: BLE001 - decimal raises several kinds
        raise ValidationError(field, "数量格式不对") from None
    if q < 0:
        raise ValidationError(field, "数量不能为负数")
    return q


# --- inputs and outputs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DonorInput:
    name: str
    kind: str = "unit"
    contact: str | None = None
    phone: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DonorDTO:
    id: str
    name: str
    kind: str
    contact: str | None
    phone: str | None
    note: str | None


@dataclass(frozen=True)
class ItemInput:
    name: str
    quantity: Decimal = QZERO
    unit: str | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None  # None: quantity × unit price
    spec: str | None = None
    id: str | None = None  # an existing line (update)


@dataclass(frozen=True)
class DonationInput:
    received_on: date
    kind: str  # cash / goods
    donor_id: str | None = None
    donor_name: str = ""  # used when donor_id is empty: found by name or added
    donor_kind: str = "unit"
    amount: Decimal | None = None  # cash; for goods the sum of the item lines
    purpose: str | None = None
    designated_target: str | None = None
    handler: str | None = None
    receipt_number: str | None = None
    note: str | None = None
    items: tuple[ItemInput, ...] = ()


@dataclass(frozen=True)
class DonationItemDTO:
    id: str
    name: str
    spec: str | None
    quantity: Decimal
    unit: str | None
    unit_price: Decimal | None
    amount: Decimal
    distributed: Decimal
    on_hand: Decimal

    @property
    def title(self) -> str:
        return f"{self.name}（{self.spec}）" if self.spec else self.name


@dataclass(frozen=True)
class DonationDTO:
    id: str
    donor_id: str
    donor_name: str
    donor_kind: str
    received_on: date
    kind: str
    amount: Decimal
    purpose: str | None
    designated_target: str | None
    handler: str | None
    receipt_number: str | None
    is_condolence: bool
    note: str | None
    items: tuple[DonationItemDTO, ...]
    cash_distributed: Decimal
    distribution_count: int = 0

    @property
    def cash_balance(self) -> Decimal:
        return self.amount - self.cash_distributed if self.kind == "cash" else ZERO


@dataclass(frozen=True)
class DistributionInput:
    donation_id: str
    item_id: str | None = None  # None: cash
    target_kind: str = "household"
    household_id: str | None = None
    target_name: str | None = None
    quantity: Decimal = QZERO
    amount: Decimal | None = None  # cash given, or the value of the goods (default quantity × unit price)
    distributed_on: date | None = None
    handler: str | None = None
    signed: bool = False
    signed_by: str | None = None
    proxy_note: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DistributionDTO:
    id: str
    donation_id: str
    item_id: str | None
    item_name: str | None
    item_unit: str | None
    target_kind: str
    household_id: str | None
    household_number: str | None
    household_name: str | None
    household_category: str | None
    target_name: str | None
    quantity: Decimal
    amount: Decimal
    distributed_on: date
    handler: str | None
    signed: bool
    signed_by: str | None
    proxy_note: str | None
    note: str | None

    @property
    def target(self) -> str:
        return self.household_name or self.target_name or ""


@dataclass(frozen=True)
class StockRow:
    item_id: str
    donation_id: str
    donor_name: str
    received_on: date
    name: str
    spec: str | None
    unit: str | None
    unit_price: Decimal | None
    received: Decimal
    distributed: Decimal
    on_hand: Decimal

    @property
    def title(self) -> str:
        return f"{self.name}（{self.spec}）" if self.spec else self.name


@dataclass(frozen=True)
class CashRow:
    donation_id: str
    donor_name: str
    received_on: date
    amount: Decimal
    distributed: Decimal
    balance: Decimal


@dataclass(frozen=True)
class CondolenceInput:
    on: date
    household_ids: tuple[str, ...]
    amount_each: Decimal | None = None  # 慰问金 per household
    goods_each: tuple[ItemInput, ...] = ()  # quantity = per household
    donor_id: str | None = None
    donor_name: str = ""  # default: the work team's 派出单位
    donor_kind: str = "unit"
    purpose: str = "走访慰问"
    handler: str | None = None
    signed: bool = False
    note: str | None = None


# --- figures (the summary, the 捐赠及慰问登记台账, the 上报表) -----------------------------------------------------------

AID_WORDS = ("助学", "奖学", "救济", "救助", "济困", "助困", "救灾")  # in the purpose: a 救济/助学 fund


def donation_category(line) -> str:
    """"condolence" (慰问: marked ``is_condolence``), "aid" (救济/助学: its purpose names it) or "donation" (a
    donation received for other uses). ``line``: a ``DonationLine`` or anything with ``is_condolence``/``purpose``."""
    if line.is_condolence:
        return "condolence"
    if any(w in (line.purpose or "") for w in AID_WORDS):
        return "aid"
    return "donation"


@dataclass(frozen=True)
class GivingFigures:
    """Donations received, the team's 慰问 and 救济/助学 funds of a period, each apart (never added)."""

    donation_count: int
    donation_cash: Decimal
    donation_goods: Decimal  # value of the goods
    condolence_count: int
    condolence_cash: Decimal
    condolence_goods: Decimal
    condolence_households: int  # households given 慰问 (not goods of other donations)
    aid_count: int
    aid_amount: Decimal  # cash and goods


def giving_figures(lines, condolence_households: int) -> GivingFigures:
    def of(cat, kind=None):
        return [x for x in lines if donation_category(x) == cat and (kind is None or (x.kind == "cash") == kind)]

    def total(rows):
        return sum((x.amount or ZERO for x in rows), ZERO)

    return GivingFigures(
        donation_count=len(of("donation")), donation_cash=total(of("donation", True)),
        donation_goods=total(of("donation", False)), condolence_count=len(of("condolence")),
        condolence_cash=total(of("condolence", True)), condolence_goods=total(of("condolence", False)),
        condolence_households=condolence_households, aid_count=len(of("aid")), aid_amount=total(of("aid")))


# --- the service ------------------------------------------------------------------------------------------------


class DonationService(Service):
    # -- donors ---------------------------------------------------------------------------------------------------
    def donors(self) -> list[DonorDTO]:
        with self.read() as s:
            return [copy_to(DonorDTO, d) for d in dq.donors(s)]

    def save_donor(self, data: DonorInput, donor_id: str | None = None) -> Outcome[DonorDTO]:
        name = require_text(data.name, "name", "捐赠方名称", 128)
        require_code("donor_kind", data.kind, "kind", "捐赠方类型")
        with self.write() as s:
            other = dq.donor_by_name(s, name)
            if other is not None and other.id != donor_id:
                raise ValidationError("name", f"捐赠方“{name}”已经登记过")
            row = self.get_live(s, Donor, donor_id, "捐赠方") if donor_id else Donor()
            row.name, row.kind = name, data.kind
            row.contact, row.phone, row.note = data.contact, data.phone, data.note
            if not donor_id:
                s.add(row)
            s.flush()
            dto = copy_to(DonorDTO, row)
        return Outcome(dto, Changes.of_session(s))

    # -- donations ------------------------------------------------------------------------------------------------
    def create(self, data: DonationInput) -> Outcome[DonationDTO]:
        """Register a donation. Raises ValidationError (donor_name, kind, amount, items[i].…, receipt_number)."""
        items = self._validate(data)
        with self.write() as s:
            donor = self._donor(s, data.donor_id, data.donor_name, data.donor_kind)
            self._check_receipt(s, data.receipt_number, None)
            row = Donation(donor_id=donor.id, is_condolence=False)
            self._apply(row, data)
            s.add(row)
            s.flush()
            for item in items:
                s.add(self._item_row(row.id, item))
            row.amount = self._amount(data, items)
            s.flush()
            did = row.id
        return Outcome(self.get(did), Changes.of_session(s))

    def update(self, donation_id: str, data: DonationInput) -> Outcome[DonationDTO]:
        items = self._validate(data)
        with self.write() as s:
            row = self.get_live(s, Donation, donation_id, "捐赠")
            donor = self._donor(s, data.donor_id, data.donor_name, data.donor_kind)
            self._check_receipt(s, data.receipt_number, donation_id)
            has_distributions = dq.count_distributions(s, donation_id) > 0
            if row.kind != data.kind and has_distributions:
                raise ValidationError("kind", "这笔捐赠已有发放记录，不能改变捐赠类型")
            existing = {i.id: i for i in dq.items_of(s, [donation_id])[donation_id]}
            given = dq.distributed_by_item(s, list(existing))
            for idx, item in enumerate(items):
                if item.id and item.id in existing:
                    line = existing.pop(item.id)
                    out = given.get(line.id, (QZERO, ZERO))[0]
                    if item.quantity < out:
                        raise ValidationError(f"items[{idx}].quantity",
                                              f"“{item.name}”已发放 {format_quantity(out)}{line.unit or ''}，"
                                              f"数量不能少于已发放的数量")
                    new = self._item_row(donation_id, item)
                    for name in ("name", "spec", "quantity", "unit", "unit_price", "amount"):
                        if getattr(line, name) != getattr(new, name):
                            setattr(line, name, getattr(new, name))
                else:
                    s.add(self._item_row(donation_id, item))
            for line in existing.values():
                if given.get(line.id, (QZERO, ZERO))[0] > 0:
                    raise ValidationError("items", f"“{line.name}”已有发放记录，不能删除这一行")
                self.soft_delete(line)
            row.donor_id = donor.id
            self._apply(row, data)
            row.amount = self._amount(data, items)
            if row.kind == "cash":
                out = dq.cash_distributed(s, [donation_id]).get(donation_id, ZERO)
                if row.amount < out:
                    raise ValidationError("amount", f"这笔捐款已发放 {format_yuan(out)}元，金额不能少于已发放的金额")
        return Outcome(self.get(donation_id), Changes.of_session(s))

    def delete(self, donation_id: str) -> Outcome[None]:
        """Delete a donation with its item lines and its distributions."""
        with self.write() as s:
            row = self.get_live(s, Donation, donation_id, "捐赠")
            for d, _h, _i in dq.distribution_rows(s, donation_id=donation_id):
                self.soft_delete(d)
            for item in dq.items_of(s, [donation_id])[donation_id]:
                self.soft_delete(item)
            self.soft_delete(row)
        return Outcome(None, Changes.of_session(s))

    def get(self, donation_id: str) -> DonationDTO:
        with self.read() as s:
            row = self.get_live(s, Donation, donation_id, "捐赠")
            donor = s.get(Donor, row.donor_id)
            return self._dtos(s, [(row, donor)])[0]

    def list(self, query: DonationQuery = DonationQuery()) -> list[DonationDTO]:
        with self.read() as s:
            return self._dtos(s, dq.donation_rows(s, query))

    # -- distributions --------------------------------------------------------------------------------------------
    def distribute(self, lines: list[DistributionInput] | tuple[DistributionInput, ...] | DistributionInput
                   ) -> Outcome[list[DistributionDTO]]:
        """Record one or more distributions in one step. Stock and cash balance may never go negative.

        Raises ValidationError (quantity / amount naming the item and what remains, household_id, target_name)."""
        if isinstance(lines, DistributionInput):
            lines = [lines]
        if not lines:
            raise ValidationError("household_id", "请选择发放对象")
        with self.write() as s:
            rows = [self._distribution_row(s, line) for line in lines]
            self._check_stock(s, rows)
            for r in rows:
                s.add(r)
            s.flush()
            ids = [r.id for r in rows]
        return Outcome(self.distributions(ids=ids), Changes.of_session(s))

    def set_signed(self, distribution_id: str, signed: bool, signed_by: str | None = None,
                   proxy_note: str | None = None) -> Outcome[DistributionDTO]:
        """签收: mark a distribution as signed (or not), with who signed and a 代领 note."""
        with self.write() as s:
            row = self.get_live(s, Distribution, distribution_id, "发放记录")
            row.signed = signed
            row.signed_by = (signed_by or "").strip() or None if signed else None
            if proxy_note is not None:
                row.proxy_note = proxy_note.strip() or None
        return Outcome(self.distributions(ids=[distribution_id])[0], Changes.of_session(s))

    def remove_distribution(self, distribution_id: str) -> Outcome[None]:
        with self.write() as s:
            self.soft_delete(self.get_live(s, Distribution, distribution_id, "发放记录"))
        return Outcome(None, Changes.of_session(s))

    def distributions(self, donation_id: str | None = None, household_id: str | None = None,
                      ids: list[str] | None = None) -> list[DistributionDTO]:
        with self.read() as s:
            rows = dq.distribution_rows(s, donation_id=donation_id, household_id=household_id)
            out = [self._distribution_dto(d, h, i) for d, h, i in rows]
        if ids is not None:
            wanted = set(ids)
            out = [d for d in out if d.id in wanted]
        return out

    # -- stock ----------------------------------------------------------------------------------------------------
    def stock(self, only_on_hand: bool = False, as_of: date | None = None,
              village_id: str | None = None) -> list[StockRow]:
        """Stock on hand per item line = received − distributed (the one definition; the 收发存 register derives
        its figures from it). ``as_of``: counting only what was received and given out by that day; ``village_id``:
        one village of a township database."""
        with self.read() as s:
            rows = dq.live_items(s, as_of, village_id)
            given = dq.distributed_by_item(s, [i.id for i, _d, _o in rows], as_of)
            out = []
            for item, donation, donor in rows:
                out_q = given.get(item.id, (QZERO, ZERO))[0]
                out.append(StockRow(item.id, donation.id, donor.name, donation.received_on, item.name, item.spec,
                                    item.unit, item.unit_price, item.quantity, out_q, item.quantity - out_q))
        return [r for r in out if r.on_hand > 0] if only_on_hand else out

    def cash_balances(self, village_id: str | None = None) -> list[CashRow]:
        with self.read() as s:
            rows = dq.cash_donations(s, village_id)
            given = dq.cash_distributed(s, [d.id for d, _o in rows])
            return [CashRow(d.id, o.name, d.received_on, d.amount, given.get(d.id, ZERO),
                            d.amount - given.get(d.id, ZERO)) for d, o in rows]

    # -- condolence -----------------------------------------------------------------------------------------------
    def condolence(self, data: CondolenceInput) -> Outcome[DonationDTO]:
        """慰问 in one step: a Donation(is_condolence) with what was given and one distribution per household
        and gift. Cash only → a cash donation; goods (with or without cash) → a goods donation whose lines are
        the goods and, if any, a 慰问金 line in 元."""
        hids = list(dict.fromkeys(data.household_ids))
        if not hids:
            raise ValidationError("household_ids", "请选择慰问的农户")
        each = to_money(data.amount_each) if data.amount_each is not None else ZERO
        if each < 0:
            raise ValidationError("amount_each", "慰问金不能为负数")
        goods = []
        for i, g in enumerate(data.goods_each):
            name = require_text(g.name, f"goods_each[{i}].name", "物品名称", 128)
            q = _qty(g.quantity, f"goods_each[{i}].quantity")
            if q <= 0:
                raise ValidationError(f"goods_each[{i}].quantity", f"请填写每户发放“{name}”的数量")
            goods.append((name, g, q))
        if each == 0 and not goods:
            raise ValidationError("amount_each", "请填写每户慰问金额或慰问物品")
        n = len(hids)
        with self.write() as s:
            for hid in hids:
                self.get_live(s, Household, hid, "农户")
            donor = self._donor(s, data.donor_id, data.donor_name or self._default_donor(s), data.donor_kind)
            kind = "goods" if goods else "cash"
            row = Donation(donor_id=donor.id, received_on=data.on, kind=kind, is_condolence=True,
                           purpose=(data.purpose or "").strip() or "走访慰问", handler=data.handler,
                           note=data.note, amount=ZERO)
            s.add(row)
            s.flush()
            gifts: list[tuple[DonationItem | None, Decimal, Decimal]] = []  # (item, quantity each, amount each)
            total = ZERO
            for name, g, q in goods:
                price = to_money(g.unit_price) if g.unit_price is not None else None
                amount_each = (to_money(g.amount) if g.amount is not None
                               else (price * q).quantize(Decimal("0.01")) if price is not None else ZERO)
                item = DonationItem(donation_id=row.id, name=name, spec=g.spec, quantity=q * n, unit=g.unit,
                                    unit_price=price, amount=amount_each * n)
                s.add(item)
                gifts.append((item, q, amount_each))
                total += amount_each * n
            if each > 0:
                if goods:
                    item = DonationItem(donation_id=row.id, name=CASH_ITEM_NAME, quantity=each * n, unit="元",
                                        unit_price=Decimal("1.00"), amount=each * n)
                    s.add(item)
                    gifts.append((item, each, each))
                else:
                    gifts.append((None, QZERO, each))
                total += each * n
            row.amount = total
            s.flush()
            for hid in hids:
                for item, q, amount in gifts:
                    s.add(Distribution(donation_id=row.id, item_id=item.id if item else None, target_kind="household",
                                       household_id=hid, quantity=q, amount=amount, distributed_on=data.on,
                                       handler=data.handler, signed=data.signed))
            s.flush()
            did = row.id
        return Outcome(self.get(did), Changes.of_session(s))

    # -- helpers --------------------------------------------------------------------------------------------------
    def _validate(self, data: DonationInput) -> list[ItemInput]:
        require_code("donation_kind", data.kind, "kind", "捐赠类型")
        if not data.donor_id:
            require_text(data.donor_name, "donor_name", "捐赠方", 128)
            require_code("donor_kind", data.donor_kind, "donor_kind", "捐赠方类型")
        if data.received_on is None:
            raise ValidationError("received_on", "请填写接收日期")
        items: list[ItemInput] = []
        for i, it in enumerate(data.items):
            if not (it.name or "").strip() and not it.quantity and it.amount is None and it.unit_price is None:
                continue  # an empty row of the editor
            name = require_text(it.name, f"items[{i}].name", "物品名称", 128)
            q = _qty(it.quantity, f"items[{i}].quantity")
            price = to_money(it.unit_price) if it.unit_price is not None else None
            if price is not None and price < 0:
                raise ValidationError(f"items[{i}].unit_price", "单价不能为负数")
            if it.amount is not None:
                amount = to_money(it.amount)
            elif price is not None:
                amount = (price * q).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            else:
                amount = ZERO
            if amount < 0:
                raise ValidationError(f"items[{i}].amount", "金额不能为负数")
            if data.kind == "goods" and q <= 0:
                raise ValidationError(f"items[{i}].quantity", f"请填写“{name}”的数量")
            items.append(ItemInput(name, q, (it.unit or "").strip() or None, price, amount,
                                   (it.spec or "").strip() or None, it.id))
        if data.kind == "goods" and not items:
            raise ValidationError("items", "物资捐赠请至少填写一行物品")
        if data.kind == "cash":
            if data.amount is None or to_money(data.amount) <= 0:
                raise ValidationError("amount", "请填写捐款金额")
            if items:
                raise ValidationError("items", "捐款不需要填写物品明细；捐物请把类型选为“物”")
        return items

    @staticmethod
    def _amount(data: DonationInput, items: list[ItemInput]) -> Decimal:
        if data.kind == "cash":
            return to_money(data.amount)
        return sum((i.amount for i in items), ZERO)

    @staticmethod
    def _apply(row: Donation, data: DonationInput) -> None:
        row.received_on = data.received_on
        row.kind = data.kind
        for name in ("purpose", "designated_target", "handler", "receipt_number", "note"):
            value = getattr(data, name)
            setattr(row, name, (value or "").strip() or None)

    @staticmethod
    def _item_row(donation_id: str, item: ItemInput) -> DonationItem:
        return DonationItem(donation_id=donation_id, name=item.name.strip(), spec=item.spec, quantity=item.quantity,
                            unit=item.unit, unit_price=item.unit_price, amount=item.amount)

    def _donor(self, s, donor_id: str | None, name: str, kind: str) -> Donor:
        if donor_id:
            return self.get_live(s, Donor, donor_id, "捐赠方")
        name = require_text(name, "donor_name", "捐赠方", 128)
        donor = dq.donor_by_name(s, name)
        if donor is None:
            require_code("donor_kind", kind, "donor_kind", "捐赠方类型")
            donor = Donor(name=name, kind=kind)
            s.add(donor)
            s.flush()
        return donor

    @staticmethod
    def _default_donor(s) -> str:
        village = common.first_live(s, Village)
        return (village.dispatch_unit if village and village.dispatch_unit else None) or "驻村工作队"

    @staticmethod
    def _check_receipt(s, number: str | None, donation_id: str | None) -> None:
        number = (number or "").strip()
        if not number:
            return
        other = common.find_live(s, Donation, receipt_number=number)
        if other is not None and other.id != donation_id:
            raise ValidationError("receipt_number", f"收据号“{number}”已用于 {other.received_on:%Y-%m-%d} 的另一笔捐赠")

    def _distribution_row(self, s, line: DistributionInput) -> Distribution:
        donation = self.get_live(s, Donation, line.donation_id, "捐赠")
        require_code("distribution_target_kind", line.target_kind, "target_kind", "发放对象类型")
        target_name = (line.target_name or "").strip() or None
        if line.target_kind == "household":
            if not line.household_id:
                raise ValidationError("household_id", "请选择领取的农户")
            self.get_live(s, Household, line.household_id, "农户")
        elif not target_name:
            raise ValidationError("target_name", "请填写发放对象（如学校、村集体的名称）")
        row = Distribution(donation_id=donation.id, target_kind=line.target_kind,
                           household_id=line.household_id if line.target_kind == "household" else None,
                           target_name=target_name, distributed_on=line.distributed_on or self.today(),
                           handler=(line.handler or "").strip() or None, signed=line.signed,
                           signed_by=(line.signed_by or "").strip() or None,
                           proxy_note=(line.proxy_note or "").strip() or None, note=(line.note or "").strip() or None)
        if row.distributed_on < donation.received_on:
            raise ValidationError("distributed_on", "发放日期不能早于接收日期")
        if line.item_id:
            item = self.get_live(s, DonationItem, line.item_id, "捐赠物品")
            if item.donation_id != donation.id:
                raise ValidationError("item_id", "所选物品不属于这笔捐赠")
            q = _qty(line.quantity, "quantity")
            if q <= 0:
                raise ValidationError("quantity", f"请填写发放“{item.name}”的数量")
            row.item_id = item.id
            row.quantity = q
            if line.amount is not None:
                row.amount = to_money(line.amount)
            elif item.unit_price is not None:
                row.amount = (item.unit_price * q).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            elif item.quantity:
                row.amount = (item.amount * q / item.quantity).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            else:
                row.amount = ZERO
        else:
            if donation.kind != "cash":
                raise ValidationError("item_id", "物资捐赠请选择要发放的物品")
            amount = to_money(line.amount) if line.amount is not None else ZERO
            if amount <= 0:
                raise ValidationError("amount", "请填写发放金额")
            row.amount = amount
            row.quantity = QZERO
        return row

    def _check_stock(self, s, rows: list[Distribution]) -> None:
        want_items: dict[str, Decimal] = {}
        want_cash: dict[str, Decimal] = {}
        for r in rows:
            if r.item_id:
                want_items[r.item_id] = want_items.get(r.item_id, QZERO) + r.quantity
            else:
                want_cash[r.donation_id] = want_cash.get(r.donation_id, ZERO) + r.amount
        given = dq.distributed_by_item(s, list(want_items))
        for item_id, want in want_items.items():
            item = s.get(DonationItem, item_id)
            on_hand = item.quantity - given.get(item_id, (QZERO, ZERO))[0]
            if want > on_hand:
                unit = item.unit or ""
                title = f"{item.name}（{item.spec}）" if item.spec else item.name
                left = (f"现有库存 {format_quantity(on_hand)}{unit}" if on_hand > 0 else "已经全部发完，库存为 0")
                raise ValidationError("quantity", f"“{title}”库存不足：{left}，本次要发放 {format_quantity(want)}{unit}。"
                                                  f"发放数量不能超过库存。")
        cash_given = dq.cash_distributed(s, list(want_cash))
        for donation_id, want in want_cash.items():
            donation = s.get(Donation, donation_id)
            donor = s.get(Donor, donation.donor_id)
            balance = donation.amount - cash_given.get(donation_id, ZERO)
            if want > balance:
                raise ValidationError("amount", f"“{donor.name}”{donation.received_on:%Y-%m-%d} 的捐款余额不足："
                                                f"剩余 {format_yuan(balance)}元，本次要发放 {format_yuan(want)}元。")

    def _dtos(self, s, rows: list[tuple[Donation, Donor]]) -> list[DonationDTO]:
        ids = [d.id for d, _o in rows]
        items = dq.items_of(s, ids)
        all_items = [i.id for lst in items.values() for i in lst]
        given = dq.distributed_by_item(s, all_items)
        cash = dq.cash_distributed(s, ids)
        counts = dq.distribution_counts(s, ids)
        out = []
        for d, o in rows:
            lines = tuple(
                DonationItemDTO(i.id, i.name, i.spec, i.quantity, i.unit, i.unit_price, i.amount,
                                given.get(i.id, (QZERO, ZERO))[0], i.quantity - given.get(i.id, (QZERO, ZERO))[0])
                for i in items.get(d.id, []))
            out.append(DonationDTO(d.id, o.id, o.name, o.kind, d.received_on, d.kind, d.amount, d.purpose,
                                   d.designated_target, d.handler, d.receipt_number, d.is_condolence, d.note, lines,
                                   cash.get(d.id, ZERO), counts.get(d.id, 0)))
        return out

    @staticmethod
    def _distribution_dto(d: Distribution, h: Household | None, i: DonationItem | None) -> DistributionDTO:
        return DistributionDTO(
            d.id, d.donation_id, d.item_id, i.name if i else None, i.unit if i else None, d.target_kind,
            d.household_id, h.number if h else None, h.head_name if h else None,
            household_category(h) if h else None, d.target_name, d.quantity, d.amount, d.distributed_on, d.handler,
            d.signed, d.signed_by, d.proxy_note, d.note)
