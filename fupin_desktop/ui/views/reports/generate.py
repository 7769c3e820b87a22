"""What the 台账报表 page runs in the background: gather a document's data through the services and render it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fupin_desktop.reports.public import has_public_form
from fupin_desktop.services.reporting import KINDS, ReportFilter

DOCUMENTS: tuple[str, ...] = KINDS + ("handbook", "diary_book", "summary")
PUBLIC_CAPABLE: frozenset[str] = frozenset(d for d in DOCUMENTS if has_public_form(d))  # with a 公示 version


@dataclass(frozen=True)
class Request:
    document: str  # a ledger kind, "handbook", "diary_book" or "summary"
    filter: ReportFilter
    household_ids: tuple[str, ...] = ()
    public: bool = False  # 公示 version: no health, disability or income columns (ledgers, handbook)


def draft_summary(services, flt: ReportFilter):
    """(figures, draft text) for the editor."""
    from fupin_desktop.reports.summary import draft_text

    fig = services.reporting.summary_figures(flt)
    return fig, draft_text(fig)


def generate(services, request: Request, path: str | Path, *, progress=None, cancel=None) -> Path:
    """Write the document of ``request`` to ``path`` (temp-then-rename) and return the path."""
    doc = request.document
    if progress is not None:
        progress(0, 0, "正在读取数据…")
    if doc in KINDS:
        from fupin_desktop.reports.ledgers import write_ledger_pdf

        ledger = services.reporting.ledger(doc, request.filter)
        return write_ledger_pdf(path, ledger, public=request.public, progress=progress, cancel=cancel)
    if doc == "handbook":
        from fupin_desktop.reports.handbook import write_handbook

        book = services.reporting.handbook(request.filter, list(request.household_ids) or None)
        return write_handbook(path, book, public=request.public, progress=progress, cancel=cancel)
    if doc == "diary_book":
        from fupin_desktop.reports.diary_book import write_diary_book

        return write_diary_book(path, services.reporting.diary_book(request.filter), progress=progress,
                                cancel=cancel)
    if doc == "summary":
        from fupin_desktop.reports.summary import draft_text, write_summary_pdf

        fig = services.reporting.summary_figures(request.filter)
        return write_summary_pdf(path, draft_text(fig), fig, progress=progress, cancel=cancel)
    raise ValueError(f"unknown document {doc!r}")


def print_summary(services, flt: ReportFilter, text: str, path: str | Path, *, progress=None, cancel=None) -> Path:
    """The (edited) summary text plus the figures appendix."""
    from fupin_desktop.reports.summary import write_summary_pdf

    fig = services.reporting.summary_figures(flt)
    return write_summary_pdf(path, text, fig, progress=progress, cancel=cancel)
