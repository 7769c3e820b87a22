"""What the 台账报表 page runs in the background: gather a document's data through the services and render it.

The documents themselves are listed once, in reports.registry (the command line's ``report`` verb reads the same
list); this module only adds what the page needs on top (the summary's draft-and-edit step).
"""
from __future__ import annotations

from pathlib import Path

from fupin_desktop.reports import registry
from fupin_desktop.reports.registry import Request, generate
from fupin_desktop.services.reporting import ReportFilter

__all__ = ["DOCUMENTS", "PUBLIC_CAPABLE", "Request", "generate", "draft_summary", "print_summary"]

DOCUMENTS: tuple[str, ...] = registry.keys()
PUBLIC_CAPABLE: frozenset[str] = frozenset(d.key for d in registry.DOCUMENTS if d.public)  # with a 公示 form


def draft_summary(services, flt: ReportFilter):
    """(figures, draft text) for the editor."""
    from fupin_desktop.reports.summary import draft_text

    fig = services.reporting.summary_figures(flt)
    return fig, draft_text(fig)


def print_summary(services, flt: ReportFilter, text: str, path: str | Path, *, progress=None, cancel=None) -> Path:
    """The (edited) summary text plus the figures appendix."""
    from fupin_desktop.reports.summary import write_summary_pdf

    fig = services.reporting.summary_figures(flt)
    return write_summary_pdf(path, text, fig, progress=progress, cancel=cancel)
