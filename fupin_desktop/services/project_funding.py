"""Funding lines of a project and the dated receipts (资金到位) behind their received amounts.

A line (one per 资金来源) holds the planned amount and the total received. Every change of the total is kept as a
receipt dated when the money arrived (``FundingInput.received_on``, today when not given): the receipts are the
period records that 结账 locks (storage/period_lock.DATED), so money recorded as received inside a closed period
can be neither added, changed nor removed, while money arriving later is recorded as usual. A correction is a
receipt of its own (a negative amount on the day it is made).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fupin_desktop.storage.models import FundingLine, FundingReceipt
from fupin_desktop.storage.queries import projects as pq


@dataclass(frozen=True)
class ReceiptDTO:
    id: str
    source: str
    received_on: date | None  # None: recorded before receipts were dated (not in any period)
    amount: Decimal
    note: str | None


def _receive(s, line: FundingLine, amount: Decimal, on: date) -> None:
    if amount:
        s.add(FundingReceipt(funding_line_id=line.id, received_on=on, amount=amount))


def replace_lines(service, s, project_id: str, lines) -> None:
    """Make the project's funding lines those of ``lines`` (FundingInput), recording each change of a received
    amount as a receipt; a removed line takes its receipts with it."""
    existing = {l.source: l for l in pq.funding_lines(s, [project_id])[project_id]}
    for line in lines:
        on = line.received_on or service.today()
        row = existing.pop(line.source, None)
        if row is None:
            row = FundingLine(project_id=project_id, source=line.source, planned_amount=line.planned_amount,
                              received_amount=line.received_amount, note=line.note)
            s.add(row)
            s.flush()
            _receive(s, row, line.received_amount, on)
            continue
        if row.planned_amount != line.planned_amount:
            row.planned_amount = line.planned_amount
        if row.received_amount != line.received_amount:
            _receive(s, row, line.received_amount - row.received_amount, on)
            row.received_amount = line.received_amount
        if row.note != line.note:
            row.note = line.note
    for row in existing.values():
        remove_line(service, s, row)


def remove_line(service, s, line: FundingLine) -> None:
    for receipt in pq.receipts(s, [line.id])[line.id]:
        service.soft_delete(receipt)
    service.soft_delete(line)


def receipts_of(s, project_id: str) -> list[ReceiptDTO]:
    lines = {l.id: l for l in pq.funding_lines(s, [project_id])[project_id]}
    found = pq.receipts(s, list(lines))
    out = [ReceiptDTO(r.id, lines[lid].source, r.received_on, r.amount, r.note)
           for lid, rows in found.items() for r in rows]
    return sorted(out, key=lambda r: (r.received_on is not None, r.received_on or date.min))


def last_received_on(s, line_ids: list[str]) -> dict[str, date | None]:
    """The newest receipt's date of each line (None: nothing dated)."""
    found = pq.receipts(s, line_ids)
    return {lid: max((r.received_on for r in rows if r.received_on), default=None) for lid, rows in found.items()}
