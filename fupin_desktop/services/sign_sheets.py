"""发放签收表 (sign sheets): one sheet per 发放批次 — a donation (捐赠/慰问 received once) and what was given out of it
— with one line per household (or other recipient) holding everything it received in that batch, for a signature
or thumbprint on paper. Not one year-long list: a sheet is signed where and when the goods are handed out.

Read-only; values keep their meaning (``reports.sign_sheet`` words the title and the cells)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.report_lines import ReportFilter, ReportHead
from fupin_desktop.storage.queries import donations as dq

__all__ = ["Gift", "SignLine", "Batch", "SignSheet", "batches", "sign_sheet"]

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Gift:
    name: str  # the item's name; "" for cash given out of a cash donation
    quantity: Decimal
    unit: str | None
    amount: Decimal  # 元: the cash, or the value of the goods

    @property
    def cash(self) -> bool:
        return not self.name


@dataclass(frozen=True)
class SignLine:
    recipient: str  # 户主, or the other recipient's name
    number: str | None  # 户编号
    group_name: str | None
    gifts: tuple[Gift, ...]  # every item the recipient received in this batch, summed per item
    amount: Decimal
    dates: tuple[date, ...]
    proxy_note: str | None  # 代领说明


@dataclass(frozen=True)
class Batch:
    donation_id: str
    donor: str
    received_on: date
    kind: str  # cash / goods
    is_condolence: bool  # 慰问
    purpose: str | None
    first_on: date  # first and last distribution date
    last_on: date
    distributions: int
    gifts: tuple[str, ...]  # item names given ("" = cash), in the order of the donation's lines


@dataclass(frozen=True)
class SignSheet:
    head: ReportHead
    batch: Batch
    lines: tuple[SignLine, ...]
    handlers: tuple[str, ...]  # 发放人


def _gift_names(items: list, has_cash: bool) -> tuple[str, ...]:
    names = [i.name for i in items]
    return tuple(dict.fromkeys(names + ([""] if has_cash else [])))


def batches(session, flt: ReportFilter) -> list[Batch]:
    """The 发放批次 with distributions in the filter's period, by first distribution date."""
    rows = [r for r in dq.batches(session, flt.period.start, flt.period.end)
            if not flt.village_id or r[0].village_id == flt.village_id]  # a township database: the chosen village's
    items = dq.items_of(session, [d.id for d, *_ in rows])
    out = []
    for d, donor, first, last, n in rows:
        given = dq.distribution_rows(session, donation_id=d.id, start=flt.period.start, end=flt.period.end)
        names = [i.name for _d, _h, i in given if i is not None]
        order = [i.name for i in items.get(d.id, [])]
        gifts = tuple(sorted(set(names), key=lambda x: order.index(x) if x in order else len(order)))
        if any(i is None for _d, _h, i in given):
            gifts += ("",)
        out.append(Batch(d.id, donor.name, d.received_on, d.kind, bool(d.is_condolence), d.purpose, first, last, n,
                         gifts))
    return out


def sign_sheet(session, donation_id: str, flt: ReportFilter, head: ReportHead) -> SignSheet:
    """The sheet of one batch: its distributions in the filter's period (and 村民小组), one line per recipient.

    Raises ValidationError("donation") when the donation does not exist or gave nothing in the period."""
    found = dq.donation_with_donor(session, donation_id)
    if found is None:
        raise ValidationError("donation", "找不到这批捐赠（慰问）记录，可能已被删除。")
    d, donor = found
    rows = dq.distribution_rows(session, donation_id=donation_id, start=flt.period.start, end=flt.period.end)
    if flt.group_name:
        rows = [r for r in rows if r[1] is not None and r[1].group_name == flt.group_name]
    if not rows:
        raise ValidationError("donation", f"这批物资（{donor.name}，{d.received_on:%Y.%m.%d}接收）在{flt.period.label}"
                                          "没有发放记录，无法生成签收表。")
    lines: dict[tuple, dict] = {}
    handlers: dict[str, None] = {}
    for dist, h, item in rows:
        key = ("h", h.id) if h is not None else ("t", dist.target_name or "")
        line = lines.setdefault(key, {"h": h, "name": dist.target_name or "", "gifts": {}, "dates": {},
                                      "proxy": []})
        name = item.name if item is not None else ""
        unit = item.unit if item is not None else "元"
        q, a = line["gifts"].get(name, (Decimal("0"), ZERO))[:2]
        line["gifts"][name] = (q + (dist.quantity or 0), a + (dist.amount or ZERO), unit)
        line["dates"][dist.distributed_on] = None
        if dist.proxy_note:
            line["proxy"].append(dist.proxy_note)
        if dist.handler:
            handlers[dist.handler] = None
    out = []
    for line in lines.values():
        h = line["h"]
        gifts = tuple(Gift(n, q, u, a) for n, (q, a, u) in line["gifts"].items())
        out.append(SignLine(h.head_name if h is not None else line["name"], h.number if h is not None else None,
                            h.group_name if h is not None else None, gifts, sum((g.amount for g in gifts), ZERO),
                            tuple(sorted(line["dates"])), "；".join(dict.fromkeys(line["proxy"])) or None))
    out.sort(key=lambda x: (x.group_name or "~", x.number or "~", x.recipient))
    all_dates = [dt for x in out for dt in x.dates]
    gifts = _gift_names(sorted({i for _d, _h, i in rows if i is not None}, key=lambda i: (i.created_at, i.id)),
                        any(i is None for _d, _h, i in rows))
    batch = Batch(d.id, donor.name, d.received_on, d.kind, bool(d.is_condolence), d.purpose, min(all_dates),
                  max(all_dates), len(rows), gifts)
    return SignSheet(head, batch, tuple(out), tuple(handlers))
