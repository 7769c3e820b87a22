"""What every printed document shares (domain.md §7.1): data in, PDF file out; no Qt, no database. The page itself
(font, footer, page numbers, document template) is in :mod:`reports.page`, re-exported here; tables and styles here.

* The bundled WenQuanYi Micro Hei (TrueType) is registered once and embedded as a subset in every PDF.
* A4 landscape for ledgers, portrait for documents; a binding margin (装订线) on the left.
* Every ledger page carries the title, 填报单位 / period / 金额单位 and the column header (drawn by the page
  callback, so the header repeats on each page without splitting one long table); the body is a run of small
  tables of :data:`CHUNK_ROWS` rows each (one long platypus table splits in quadratic time).
* Footer on every page: signature line 单位负责人 / 审核人 / 填表人, 第X页 共Y页, print date.
* Column widths and the font size come from the texts (:mod:`reports.fit`): dates, amounts, counts and numbers
  never wrap, the font shrinks to a 7.5 pt floor before text columns wrap. Text wider than its column becomes a
  ``Paragraph`` with ``wordWrap='CJK'``; short cells stay plain strings (3× faster).
* Files are written temp-then-rename through :func:`fupin_desktop.fileio.atomic_path`.

Long work accepts ``progress(done, total, text)`` and ``cancel`` (anything with ``raise_if_cancelled()``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from fupin_desktop.domain.dates import format_cn_date  # noqa: F401  (re-exported: older callers)
from fupin_desktop.reports.fit import PAD, Fit, fit_columns
from fupin_desktop.reports.page import (  # noqa: F401  (re-exported: documents import the page from here)
    BINDING, FONT, FONT_SIZE, FOOTER_HEIGHT, MARGIN, SIGNATURES, PageInfo, Progress, SectionMark, build, draw_footer,
    draw_section, header_line, numbered_canvas, register_font, section_pages, text_width,
)

CHUNK_ROWS = 30
MAX_CELL_CHARS = 600  # longer cell text is cut (a row taller than a page cannot be laid out); full text elsewhere


# --- styles --------------------------------------------------------------------------------------------------------

_ALIGN = {"LEFT": TA_LEFT, "CENTER": TA_CENTER, "RIGHT": TA_RIGHT}


def style(name: str = "body", size: float = 10.5, leading: float | None = None, align: str = "LEFT",
          first_indent: float = 0, space_before: float = 0, space_after: float = 0) -> ParagraphStyle:
    register_font()
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=leading or size * 1.45,
                          alignment=_ALIGN[align], wordWrap="CJK", firstLineIndent=first_indent,
                          spaceBefore=space_before, spaceAfter=space_after)


def para(text: str | None, st: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; newlines kept)."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), st)


# --- columns ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # relative weight; the widths are scaled to the frame
    align: str = "LEFT"  # LEFT / CENTER / RIGHT
    wrap: bool = True
    min_width: float = 0  # points: room for what is written by hand (signatures), whatever the printed values


# --- ledgers: one table in small chunks, header on every page -------------------------------------------------------


def cell_text(value: Any) -> str:
    """The text a table cell shows (None → empty; very long text cut)."""
    text = "" if value is None else str(value)
    return text[:MAX_CELL_CHARS] + "……" if len(text) > MAX_CELL_CHARS else text


class _CellMaker:
    """Turns cell text into a plain string or, when it is too wide for its column, a wrapping Paragraph."""

    def __init__(self, columns: Sequence[Column], widths: Sequence[float], size: float = FONT_SIZE):
        self.pad = PAD
        self.size = size
        self.limits = [w - 2 * self.pad - 0.5 for w in widths]
        self.styles = [style(f"cell{i}", size, size * 1.25, c.align) for i, c in enumerate(columns)]
        self.width = pdfmetrics.getFont(register_font()).stringWidth

    def __call__(self, i: int, value: Any):
        text = cell_text(value)
        if not text:
            return ""
        limit = self.limits[i]
        # cheap test first: a CJK glyph is at most one em wide
        if len(text) * self.size <= limit and "\n" not in text:
            return text
        widest = max(self.width(line, self.size) for line in text.split("\n"))
        if widest <= limit:
            return text
        return Paragraph(escape(text).replace("\n", "<br/>"), self.styles[i])


def fit_table(columns: Sequence[Column], rows: Sequence[Sequence[str]], available: float,
              totals: Sequence[str] = (), header: bool = True) -> Fit:
    """Widths and font size of a table from its texts (``reports.fit``: atomic values never wrap, the font shrinks
    to 7.5 pt before text columns wrap)."""
    register_font()
    font = pdfmetrics.getFont(FONT)
    return fit_columns([c.title if header else "" for c in columns], [c.width for c in columns],
                       [c.wrap for c in columns], rows, available, lambda t: font.stringWidth(t, 1),
                       totals=totals, minimums=[c.min_width for c in columns])


def _table_style(columns: Sequence[Column], header: bool = False, total: bool = False,
                 size: float = FONT_SIZE) -> TableStyle:
    cmds: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, size),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for i, c in enumerate(columns):
        cmds.append(("ALIGN", (i, 0), (i, -1), "CENTER" if header else c.align))
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.9, 0.9, 0.9)))
    if total:
        cmds.append(("ALIGN", (0, 0), (0, -1), "CENTER"))
    return TableStyle(cmds)


def write_ledger(path: str | Path, info: PageInfo, columns: Sequence[Column], rows: Iterable[Sequence[Any]], *,
                 total: Sequence[Any] | None = None, number_rows: bool = True, row_count: int | None = None,
                 progress: Progress | None = None, cancel: Any = None, note: str | None = None,
                 min_row_height: float = 0) -> Path:
    """Write a ledger: title block and column header repeated on every page, body in chunks of 30 rows.

    ``rows`` hold one value per column of ``columns`` (text, numbers already formatted). With ``number_rows`` a
    序号 column is put first. ``total`` (same length as ``columns``) is printed as the 合计 row.
    ``min_row_height`` (points) makes every body row at least that tall (room to sign or press a thumbprint): the
    first empty hand-written column (``Column.min_width``), else the first empty cell, holds a spacer."""
    register_font()
    cols = list(columns)
    width, height = info.pagesize
    available = width - BINDING - MARGIN
    if number_rows:
        cols = [Column("序号", 1, "CENTER", wrap=False)] + cols
    texts: list[list[str]] = []
    for row in rows:
        texts.append(([str(len(texts) + 1)] if number_rows else []) + [cell_text(v) for v in row])
        if cancel is not None and len(texts) % 500 == 0:
            cancel.raise_if_cancelled()
    total_texts: list[str] = []
    if total is not None:
        total_texts = (["合计"] if number_rows else []) + [cell_text(v) for v in total]
        if not number_rows:
            total_texts[0] = total_texts[0] or "合计"
    fit = fit_table(cols, texts, available, total_texts)
    widths, size = list(fit.widths), fit.size
    make = _CellMaker(cols, widths, size)

    # header table (drawn by the page callback)
    head_style = style("head", size, size * 1.25, "CENTER")
    header = Table([[Paragraph(escape(c.title), head_style) for c in cols]], colWidths=widths)
    header.setStyle(_table_style(cols, header=True, size=size))
    _, header_h = header.wrap(available, height)
    title_h = 10 * mm
    meta_h = 7 * mm
    top_space = title_h + meta_h + header_h
    left_t, mid_t, right_t = header_line(info)

    def on_page(c: Canvas, doc) -> None:
        c.saveState()
        top = height - MARGIN
        c.setFont(FONT, 16)
        c.drawCentredString(BINDING + available / 2, top - 7 * mm, info.title)
        c.setFont(FONT, 9.5)
        y = top - title_h - 4.5 * mm
        c.drawString(BINDING, y, left_t)
        # the middle text centred, unless it would run into the unit's name: then right after it
        mid_w, left_end = text_width(mid_t, 9.5), BINDING + text_width(left_t, 9.5) + 6 * mm
        c.drawString(max(BINDING + (available - mid_w) / 2, left_end), y, mid_t)
        c.drawRightString(width - MARGIN, y, right_t)
        header.drawOn(c, BINDING, top - top_space)
        c.restoreState()

    body_style = _table_style(cols, size=size)
    story: list = []
    n = len(texts)
    expected = row_count or n
    for start in range(0, n, CHUNK_ROWS):
        chunk = [_tall([make(i, v) for i, v in enumerate(row)], cols, min_row_height)
                 for row in texts[start:start + CHUNK_ROWS]]
        story.append(_chunk_table(chunk, widths, body_style))
        if cancel is not None:
            cancel.raise_if_cancelled()
        if progress is not None:
            progress(start + len(chunk), max(expected, n) * 2, "正在整理数据…")
    if n == 0:  # one cell across the whole row: in a narrow first column the words ran past its border
        empty = ["（本期无记录）"] + [""] * (len(cols) - 1)
        t = Table([empty], colWidths=widths)
        t.setStyle(body_style)
        t.setStyle(TableStyle([("SPAN", (0, 0), (-1, 0)), ("ALIGN", (0, 0), (-1, 0), "CENTER")]))
        story.append(t)
    if total is not None:
        t = Table([[make(i, v) for i, v in enumerate(total_texts)]], colWidths=widths)
        t.setStyle(_table_style(cols, total=True, size=size))
        story.append(t)
    if note:
        story.append(Paragraph(escape(note), style("note", 9, 13, space_before=4)))

    def build_progress(done: int, total_: int, text: str) -> None:
        if progress is not None:
            progress(n + done * max(n, 1) // max(total_, 1), 2 * max(n, 1), "正在排版…")

    return build(path, info, story, top_space=top_space, on_page=on_page,
                 progress=build_progress if progress else None, cancel=cancel)


def _tall(cells: list, cols: Sequence[Column], height: float) -> list:
    if height <= 0:
        return cells
    empty = [i for i, c in enumerate(cells) if c == ""]
    if empty:
        hand = [i for i in empty if cols[i].min_width]
        cells[(hand or empty)[0]] = Spacer(1, height - 4)  # 2 pt padding above and below
    return cells


def _chunk_table(data: list[list[Any]], widths: list[float], st: TableStyle) -> Table:
    t = Table(data, colWidths=widths)
    t.setStyle(st)
    return t


# --- documents (portrait): title + flowing text ----------------------------------------------------------------------


def document_title(info: PageInfo) -> list:
    """Title paragraph and the 填报单位/period line for a portrait document."""
    out: list = [Paragraph(escape(info.title), style("title", 18, 26, "CENTER", space_after=4))]
    left, mid, right = header_line(info)
    line = "　　".join(t for t in (left if info.unit else "", mid, right) if t)
    if line:
        out.append(Paragraph(escape(line), style("meta", 10, 14, "CENTER", space_after=10)))
    return out


def simple_table(data: Sequence[Sequence[Any]], columns: Sequence[Column], available: float,
                 header: bool = True) -> Table:
    """A small table for documents (header row repeated if it splits); cells wrap."""
    texts = [[cell_text(v) for v in r] for r in data]
    fit = fit_table(columns, texts, available, header=header)
    widths, size = list(fit.widths), fit.size
    make = _CellMaker(columns, widths, size)
    head_style = style("shead", size, size * 1.25, "CENTER")
    rows = []
    if header:
        rows.append([Paragraph(escape(c.title), head_style) for c in columns])
    rows += [[make(i, v) for i, v in enumerate(r)] for r in texts]
    if len(rows) == (1 if header else 0):
        rows.append(["（无）"] + [""] * (len(columns) - 1))
    t = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    st = _table_style(columns, size=size)
    if header:
        st.add("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9))
        st.add("ALIGN", (0, 0), (-1, 0), "CENTER")
    t.setStyle(st)
    return t


def frame_width(info: PageInfo) -> float:
    return info.pagesize[0] - BINDING - MARGIN
