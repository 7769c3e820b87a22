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


def draft_summary(services, flt: ReportFilter, as_of=None, drafter: str = "team"):
    """(figures, draft text) for the editor: as of a day (None: the whole period), by the 工作队 or the 派出单位,
    with the sections she saved for the period."""
    from fupin_desktop.reports.summary import draft_text

    fig = services.reporting.summary_figures(flt, as_of)
    sections = services.summary_sections.get(flt.period, drafter, flt.village_id)
    return fig, draft_text(fig, sections, drafter)


def print_summary(services, flt: ReportFilter, text: str, path: str | Path, *, as_of=None, appendix: bool = True,
                  progress=None, cancel=None) -> Path:
    """The (edited) summary text, optionally with the figures appendix, as PDF or Word by ``path``'s suffix."""
    fig = services.reporting.summary_figures(flt, as_of)
    return registry.write_summary(path, text, fig, appendix=appendix, progress=progress, cancel=cancel)
