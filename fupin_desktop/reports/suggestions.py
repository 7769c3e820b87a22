"""意见建议台账: the suggestions the cadres made in the period (date, who, to whom, content, adopted or not and how),
one A4 landscape ledger; built from ``services.suggestions`` (no figure of its own)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fupin_desktop.reports.cells import table_date
from fupin_desktop.reports.common import Column, PageInfo, Progress, write_ledger

TITLE = "意见建议台账"
COLUMNS = (Column("日期", 1.0, "CENTER", wrap=False), Column("提出人", 0.8, "CENTER"), Column("提出对象", 1.4),
           Column("建议内容", 4.0), Column("是否采纳", 0.8, "CENTER"), Column("采纳情况", 2.2))


def rows_of(suggestions) -> list[tuple[str, ...]]:
    """Oldest first (a ledger reads forward in time)."""
    return [(table_date(s.made_on), s.cadre_name, s.addressee, s.content, "是" if s.adopted else "否",
             s.adopted_note or "") for s in sorted(suggestions, key=lambda s: (s.made_on, s.cadre_name))]


def write_suggestions_pdf(path: str | Path, head, suggestions, *, progress: Progress | None = None,
                          cancel: Any = None) -> Path:
    """``head``: ``services.reporting.ReportHead``; ``suggestions``: ``services.suggestions.SuggestionDTO`` list."""
    rows = rows_of(suggestions)
    adopted = sum(1 for s in suggestions if s.adopted)
    info = PageInfo(TITLE, unit=head.unit, period=head.period, landscape=True, print_date=head.printed_on)
    total = (f"{len(rows)}条", "", "", "", f"采纳{adopted}条", "") if rows else None
    return write_ledger(path, info, COLUMNS, rows, total=total, row_count=len(rows), progress=progress,
                        cancel=cancel)


def build(services, request, path, *, progress=None, cancel=None) -> Path:
    """The registry's builder: the period's suggestions (of the chosen cadre)."""
    flt = request.filter
    found = services.suggestions.list(flt.period.start, flt.period.end, flt.cadre_id)
    return write_suggestions_pdf(path, services.reporting.head(flt), found, progress=progress, cancel=cancel)
