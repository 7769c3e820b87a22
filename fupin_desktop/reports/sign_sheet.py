"""发放签收表: one sheet per 发放批次 (``services.sign_sheets``), signed on paper where the goods are handed out.

* The title says what was given: ``化肥发放签收表``, ``大米、食用油发放签收表``, ``慰问金发放签收表`` — 慰问金 only for
  慰问 cash; cash of an ordinary donation is 资金 (``助学资金`` when the donation's purpose is a short name).
* One row per household (or other recipient) with everything it received in the batch; rows at least
  :data:`ROW_HEIGHT` (12 mm) tall for a signature or a thumbprint; the signature column is left empty.
* Footer: 发放人 / 监督人 / 村委会（盖章） instead of the ledgers' 单位负责人 line.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm

from fupin_desktop.reports.cells import qty, table_date, yuan
from fupin_desktop.reports.common import Column, PageInfo, Progress, write_ledger

__all__ = ["ROW_HEIGHT", "sheet_title", "gift_name", "batch_label", "write_sign_sheet"]

ROW_HEIGHT = 12 * mm
SIGNERS = ("发放人", "监督人", "村委会（盖章）")
MAX_NAMES = 3  # more kinds of goods: "化肥、地膜、种子等物资"

COLUMNS = (Column("户主（领取人）", 1.0), Column("村民小组", 0.8), Column("户编号", 1.5),
           Column("发放物资/资金", 3.0), Column("金额（元）", 1.0, "RIGHT"), Column("发放日期", 1.0, "CENTER"),
           Column("领取人签字（手印）", 2.2, min_width=40 * mm), Column("备注", 1.2))


def gift_name(name: str, is_condolence: bool, purpose: str | None = None) -> str:
    """An item's name; cash (no item) is 慰问金 when the batch is 慰问, else 资金 (助学资金 from a short purpose)."""
    if name:
        return name
    if is_condolence:
        return "慰问金"
    p = (purpose or "").strip().removesuffix("资金").removesuffix("金")
    return f"{p}资金" if p and len(p) <= 4 and p.isalnum() else "资金"


def _what(batch) -> str:
    names = [gift_name(n, batch.is_condolence, batch.purpose) for n in batch.gifts]
    names = list(dict.fromkeys(names))
    if len(names) > MAX_NAMES:
        return "、".join(names[:MAX_NAMES]) + "等物资"
    return "、".join(names) or "物资"


def sheet_title(batch) -> str:
    """What was given, then 发放签收表."""
    return f"{_what(batch)}发放签收表"


def batch_label(batch) -> str:
    """One line naming a batch in a chooser: 2023.03.05 唐山市财政局 化肥、地膜（12次发放）."""
    dates = table_date(batch.first_on) + (f"—{table_date(batch.last_on)}" if batch.last_on != batch.first_on else "")
    return f"{dates}　{batch.donor}　{_what(batch)}（{batch.distributions}次发放）"


def _gifts_text(line, batch) -> str:
    parts = []
    for g in line.gifts:
        name = gift_name(g.name, batch.is_condolence, batch.purpose)
        if g.cash or g.unit == "元":  # the amount column says how much; beside goods it is named here too
            parts.append(f"{name}{yuan(g.amount)}元" if len(line.gifts) > 1 else name)
        else:
            parts.append(f"{name}{qty(g.quantity)}{g.unit or ''}")
    return "；".join(parts)


def write_sign_sheet(path: str | Path, sheet, *, progress: Progress | None = None, cancel: Any = None) -> Path:
    """Render a ``services.sign_sheets.SignSheet``."""
    b = sheet.batch
    dates = table_date(b.first_on) + (f"—{table_date(b.last_on)}" if b.last_on != b.first_on else "")
    source = f"{b.donor}（{table_date(b.received_on)}接收）"
    info = PageInfo(sheet_title(b), unit=sheet.head.unit, period=dates,
                    period_label="发放日期", money_unit="元", print_date=sheet.head.printed_on,
                    signers=SIGNERS)
    rows = [(x.recipient, x.group_name, x.number, _gifts_text(x, b), yuan(x.amount),
             "、".join(table_date(dt) for dt in x.dates), "", x.proxy_note) for x in sheet.lines]
    households = sum(1 for x in sheet.lines if x.number)
    others = len(sheet.lines) - households
    count = f"{households}户" + (f"，其他{others}个" if others else "")
    total = (count, "", "", "", yuan(sum((x.amount for x in sheet.lines), 0)), "", "", "")
    note = f"物资来源：{source}。领取人本人签字或按手印；代领的，代领人签字并在备注中写明与户主的关系。"
    return write_ledger(path, info, COLUMNS, rows, total=total, row_count=len(rows), progress=progress,
                        cancel=cancel, note=note, min_row_height=ROW_HEIGHT)


def choose_batch(services, flt, text: str | None) -> str:
    """The donation id of the 发放批次 named on the command line: its number in the period's list (1, 2 …) or its id
    (or the id's first characters). ValidationError("batch") listing the batches otherwise."""
    from fupin_desktop.domain.errors import ValidationError

    found = services.reporting.sign_sheet_batches(flt)
    if not found:
        raise ValidationError("batch", f"{flt.period.label}没有发放记录，无法生成发放签收表。")
    if text:
        text = text.strip()
        if text.isdigit() and 1 <= int(text) <= len(found):
            return found[int(text) - 1].donation_id
        hits = [b for b in found if b.donation_id.startswith(text)]
        if len(hits) == 1:
            return hits[0].donation_id
    listed = "\n".join(f"  {i}. {batch_label(b)}　编号 {b.donation_id[:8]}" for i, b in enumerate(found, 1))
    head = f"没有这个发放批次：{text}" if text else "请用 --batch 选择发放批次（序号或编号）"
    raise ValidationError("batch", f"{head}。{flt.period.label}的发放批次：\n{listed}")
