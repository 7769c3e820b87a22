"""The 工作总结 as a PDF for printing: the same text as the Word file (reports/summary_parse.py reads it), A4
portrait, the title, the 正文, the 落款 right-aligned at the end (no form header, no per-page signature lines: a
summary is signed once, by its 落款), and optionally the figures table as an appendix."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

from fupin_desktop.reports.common import Column, PageInfo, Progress, build, frame_width, para, simple_table, style
from fupin_desktop.reports.summary_parse import HEAD, SUB, parse

APPENDIX_TITLE = "附表：主要工作数据"


def text_story(text: str) -> tuple[str, list]:
    """Turn summary text (first line the title) into flowables, the 落款 included; returns (title, story)."""
    doc = parse(text)
    body = style("body", 12, 21, first_indent=24, space_after=2)
    h1 = style("h1", 13, 22, space_before=6, space_after=2)
    h2 = style("h2", 12, 21, first_indent=24, space_after=1)
    h1.keepWithNext = h2.keepWithNext = 1  # a heading never ends a page (it did: 九、 alone at the foot of page 2)
    story: list = []
    for block in doc.blocks:
        story.append(para(block.text, h1 if block.kind == HEAD else h2 if block.kind == SUB else body))
    if doc.sign_unit or doc.sign_date:
        # the 落款 never stands alone on a page: it keeps the last paragraph with it (GB/T 9704 asks the same)
        sign = style("sign", 12, 21, "RIGHT")
        last = story[-1:]
        del story[-1:]
        story.append(KeepTogether(last + [Spacer(1, 24)] + [para(t, sign) for t in (doc.sign_unit, doc.sign_date)
                                                             if t]))
    return doc.title, story


def write_summary_pdf(path: str | Path, text: str, fig=None, *, appendix: bool = True, unit: str = "",
                      period: str = "", print_date=None, progress: Progress | None = None,
                      cancel: Any = None) -> Path:
    """Print summary ``text`` (first line = title, last lines = 落款) and, with ``fig`` and ``appendix``, the
    figures table; A4 portrait."""
    from fupin_desktop.reports.summary import figure_rows

    title, story = text_story(text)
    kw = {"print_date": print_date} if print_date else {}
    if fig is not None:
        unit = unit or fig.head.unit
        period = period or fig.period.label
        kw.setdefault("print_date", fig.head.printed_on)
    info = PageInfo(title or "工作总结", unit=unit, period=period, landscape=False, signatures=False, **kw)
    head = [Paragraph(title or "工作总结", style("title", 18, 28, "CENTER", space_after=12))]
    if fig is not None and appendix:
        story.append(PageBreak())  # the appendix on a page of its own, as in the Word file
        story.append(Paragraph(APPENDIX_TITLE, style("apx", 13, 20, "CENTER", space_before=8, space_after=6)))
        story.append(simple_table(figure_rows(fig), (Column("项目", 1.2), Column("数据", 2.6)), frame_width(info)))
    return build(path, info, head + story, progress=progress, cancel=cancel)
