"""The printed layout of a 上报表 sheet: columns in Excel's character units, the print scale they give on A4
landscape, and the writer of one sheet (title, 填报单位 line, one- or two-row header, data, total, 填报人 line).

A clerk prints these sheets: every sheet's columns must fit the printable width of A4 landscape so that the
fit-to-width scale leaves the data font at ≥ 8 pt (:func:`print_font`). Column widths are in Excel's units (the
width of a digit of the workbook's default font, Calibri 11: 7 px at 96 dpi); a column of width ``w`` is
``w·7 + 5`` px = ``(w·7 + 5)·0.75`` pt wide.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from fupin_desktop.exchange.ledgers import looks_like_formula

# A4 landscape: 297 mm wide; margins 0.4 in left and right.
PAGE_WIDTH_PT = 297 / 25.4 * 72
MARGIN_IN = 0.4
PRINTABLE_PT = PAGE_WIDTH_PT - 2 * MARGIN_IN * 72
DATA_FONT_PT = 10
MIN_PRINT_PT = 8
FIRST_HEADER_ROW = 3  # row 1: title, row 2: 填报单位 and period


def column_points(width: float) -> float:
    """Printed width in points of a column ``width`` characters wide (default font Calibri 11)."""
    return (width * 7 + 5) * 0.75


def print_scale(widths: Iterable[float]) -> float:
    """The fit-to-width scale of A4 landscape for these column widths (1 when they fit unscaled)."""
    total = sum(column_points(w) for w in widths)
    return min(1.0, PRINTABLE_PT / total) if total else 1.0


def print_font(widths: Iterable[float], font: float = DATA_FONT_PT) -> float:
    """The data font size in points after fit-to-width."""
    return font * print_scale(widths)


@dataclass(frozen=True)
class Col:
    """One printed column. ``get(row)`` gives the masked (normal) value, ``full(row)`` the unmasked one (None: the
    same); ``forms`` the forms that show it: m(asked), f(ull), p(ublic 公示)."""

    title: str
    width: float
    get: Callable[[Any], Any]
    kind: str = "text"  # text | wrap | number_text (IDs, phones) | date | money | int | center
    group: str = ""  # upper header of a two-row header
    full: Callable[[Any], Any] | None = None
    forms: str = "mfp"


def cut(columns: Iterable[Col], form: str) -> tuple[Col, ...]:
    return tuple(c for c in columns if form[0] in c.forms)


def fill_page(columns: tuple[Col, ...]) -> tuple[Col, ...]:
    """Columns that leave part of the A4 landscape width unused give it to the free-text columns: fewer wrapped
    lines, the same 10 pt. A sheet without free text keeps its widths (printed centred: a 户主 column three times
    too wide reads worse than a margin)."""
    spare = PRINTABLE_PT - sum(column_points(c.width) for c in columns)
    takers = [i for i, c in enumerate(columns) if c.kind == "wrap"]
    if spare < 10 or not takers:
        return columns
    weight = sum(columns[i].width for i in takers)
    extra = spare / 5.25 - 0.5  # points → width units, a little room for rounding
    out = list(columns)
    for i in takers:
        out[i] = replace(out[i], width=round(out[i].width + extra * out[i].width / weight, 1))
    return tuple(out)


@dataclass(frozen=True)
class SheetHead:
    title: str  # 农户花名册 → printed as 东兴村农户花名册
    village: str
    unit: str  # 填报单位
    period: str
    printed_on: date
    note: str = ""


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


class _Styles:
    def __init__(self, ws):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color="000000")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)

        def proto(**kw):
            c = WriteOnlyCell(ws)
            for k, v in kw.items():
                setattr(c, k, v)
            return c

        font = Font(name="宋体", size=DATA_FONT_PT)
        self.title = proto(font=Font(name="宋体", size=16, bold=True),
                           alignment=Alignment(horizontal="center", vertical="center"))
        self.line = proto(font=font, alignment=Alignment(horizontal="left", vertical="center", wrap_text=True))
        self.header = proto(font=Font(name="宋体", size=DATA_FONT_PT, bold=True), border=box,
                            fill=PatternFill("solid", fgColor="E8EEF4"),
                            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
        left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        right = Alignment(horizontal="right", vertical="center")
        self.kinds = {
            "text": proto(font=font, border=box, alignment=left),
            "wrap": proto(font=font, border=box, alignment=left),
            "number_text": proto(font=font, border=box, alignment=Alignment(horizontal="left", vertical="center"),
                                 number_format="@"),
            "date": proto(font=font, border=box, alignment=center, number_format="yyyy-mm-dd"),
            "month": proto(font=font, border=box, alignment=center, number_format="yyyy-mm"),
            "money": proto(font=font, border=box, alignment=right, number_format="#,##0.00"),
            "wan": proto(font=font, border=box, alignment=right, number_format="#,##0.0000"),
            "int": proto(font=font, border=box, alignment=center, number_format="0"),
            "center": proto(font=font, border=box, alignment=center),
        }
        self.total = {k: copy.copy(v) for k, v in self.kinds.items()}
        bold = Font(name="宋体", size=DATA_FONT_PT, bold=True)
        for c in self.total.values():
            c.font = bold


LINE_PT = 13.0  # one line of the 10 pt data font
_WRAPPING = frozenset({"text", "wrap", "center"})


def text_units(text: str) -> float:
    """Width of ``text`` at the data font in Excel's character units (a CJK character ≈ two digits)."""
    return sum(1.75 if ord(ch) >= 0x2E80 else 0.95 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped ``text`` takes in a column ``width`` units wide (readers do not grow rows by themselves)."""
    room = max(1.0, width - 0.3)
    return sum(max(1, -(-int(text_units(part) * 100) // int(room * 100))) for part in text.split("\n"))


def _cell(ws, proto, value):
    from openpyxl.cell import WriteOnlyCell

    c = WriteOnlyCell(ws)
    c._style = copy.copy(proto._style)
    if value.__class__ is str and looks_like_formula(value):
        c.value = value
        c.data_type = "s"  # the same protection as exchange.ledgers.inert_row
        c.quotePrefix = True
    else:
        c.value = value
    return c


def write_sheet(wb, name: str, head: SheetHead, columns: tuple[Col, ...], rows: Iterable[Any], form: str,
                total: tuple | None = None, cancel: Callable[[], None] | None = None) -> int:
    """Append one sheet to the write-only workbook ``wb``; returns the number of data rows."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.properties import PageSetupProperties

    ws = wb.create_sheet(name)
    st = _Styles(ws)
    n = len(columns)
    last = get_column_letter(n)
    for i, col in enumerate(columns, start=1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = col.width
    two = any(c.group for c in columns)
    h1 = FIRST_HEADER_ROW
    h2 = h1 + 1 if two else h1
    first_data = h2 + 1

    # page set-up: A4 landscape, fit to one page wide, header rows on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = MARGIN_IN
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{h1}:{h2}"
    ws.freeze_panes = f"A{first_data}"
    ws.oddHeader.left.text = f"{head.village}{head.title}".replace("&", "&&")
    ws.oddHeader.left.size = 9
    ws.oddHeader.right.text = head.period.replace("&", "&&")
    ws.oddHeader.right.size = 9
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9

    merges = [f"A1:{last}1", f"A2:{last}2"]
    ws.row_dimensions[1].height = 30
    ws.append([_cell(ws, st.title, f"{head.village}{head.title}")])
    ws.append([_cell(ws, st.line, f"填报单位：{head.unit}　　　　所属期间：{head.period}")])
    # header: a grouped column sits under its group in row h1 and shows its own title in row h2
    if two:
        top, bottom = [], []
        i = 0
        while i < n:
            g = columns[i].group
            if not g:
                top.append(columns[i].title)
                bottom.append(None)
                merges.append(f"{get_column_letter(i + 1)}{h1}:{get_column_letter(i + 1)}{h2}")
                i += 1
                continue
            j = i
            while j < n and columns[j].group == g:
                top.append(g if j == i else None)
                bottom.append(columns[j].title)
                j += 1
            if j - i > 1:
                merges.append(f"{get_column_letter(i + 1)}{h1}:{get_column_letter(j)}{h1}")
            i = j
        group_width = {g: sum(c.width for c in columns if c.group == g) for g in {c.group for c in columns}}
        top_h = max(20, LINE_PT * max(lines_needed(c.group, group_width[c.group]) for c in columns if c.group) + 4)
        low_h = max(20, LINE_PT * max(lines_needed(c.title, c.width) for c in columns if c.group) + 4,
                    LINE_PT * max((lines_needed(c.title, c.width) for c in columns if not c.group), default=1) + 4
                    - top_h)
        ws.row_dimensions[h1].height = top_h
        ws.row_dimensions[h2].height = low_h
        ws.append([_cell(ws, st.header, v) for v in top])
        ws.append([_cell(ws, st.header, v) for v in bottom])
    else:
        ws.row_dimensions[h1].height = max(30, LINE_PT * max(lines_needed(c.title, c.width) for c in columns) + 4)
        ws.append([_cell(ws, st.header, c.title) for c in columns])

    protos = [st.kinds[c.kind] for c in columns]
    getters = [(c.full or c.get) if form == "full" else c.get for c in columns]
    wrapping = [(i, c.width) for i, c in enumerate(columns) if c.kind in _WRAPPING]
    count = 0
    for r in rows:
        values = [g(r) for g in getters]
        lines = 1
        for i, width in wrapping:
            v = values[i]
            if v.__class__ is str and (len(v) * 1.75 > width - 0.3 or "\n" in v):
                lines = max(lines, lines_needed(v, width))
        if lines > 1:
            ws.row_dimensions[first_data + count].height = LINE_PT * lines + 2
        ws.append([_cell(ws, p, v) for p, v in zip(protos, values)])
        count += 1
        if cancel is not None and not count % 2000:
            cancel()
    end = first_data + count - 1
    if count:
        ws.auto_filter.ref = f"A{h2}:{last}{end}"
    if total is not None and count:
        ws.append([_cell(ws, st.total[c.kind], v) for c, v in zip(columns, total)])
        end += 1
    if not count:
        ws.append([_cell(ws, st.kinds["center"], "（本期无记录）")] + [_cell(ws, st.kinds["center"], None)
                                                                for _ in range(n - 1)])
        end += 1
        merges.append(f"A{end}:{last}{end}")
    ws.append([])
    ws.append([_cell(ws, st.line, f"填报人：　　　　　　　　审核人：　　　　　　　　填报日期：{_cn_date(head.printed_on)}")])
    merges.append(f"A{end + 2}:{last}{end + 2}")
    if head.note:
        ws.row_dimensions[end + 3].height = LINE_PT * lines_needed(f"说明：{head.note}", sum(c.width for c in columns)) + 2
        ws.append([_cell(ws, st.line, f"说明：{head.note}")])
        merges.append(f"A{end + 3}:{last}{end + 3}")
    for ref in merges:
        ws.merged_cells.add(CellRange(ref))
    return count
