"""The printed page every document shares (domain.md §7.1): A4 with a binding margin (装订线), the embedded font, the
footer with signatures, 第X页 共Y页 and the print date, per-section page numbers (一户一册: 本户第2页 共3页, the
household named on its continuation pages), and the document template with progress and cancel.

Split from ``reports.common`` (which re-exports every name here); tables and styles stay there.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape as to_landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from fupin_desktop import paths
from fupin_desktop.domain.dates import format_cn_date
from fupin_desktop.fileio import atomic_path

FONT = "WQYMicroHei"
FONT_SIZE = 9
BINDING = 25 * mm  # left margin incl. binding
MARGIN = 12 * mm
FOOTER_HEIGHT = 14 * mm
SIGNATURES = ("单位负责人", "审核人", "填表人")

Progress = Callable[[int, int, str], None]

_font_lock = threading.Lock()
_font_registered = False


def register_font() -> str:
    """Register the bundled CJK font (idempotent, thread-safe) and return its name."""
    global _font_registered
    with _font_lock:
        if not _font_registered:
            path = paths.font_path()
            if not path.exists():
                raise FileNotFoundError(f"找不到字体文件：{path}")
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
            pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
            _font_registered = True
    return FONT


def text_width(text: str, size: float = FONT_SIZE) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)



@dataclass(frozen=True)
class PageInfo:
    title: str
    unit: str = ""  # 填报单位
    period: str = ""  # 所属期间, e.g. 2024年上半年
    money_unit: str | None = None  # 元 / 万元, stated once in the header
    landscape: bool = True
    print_date: date = field(default_factory=date.today)
    signatures: bool = True
    signers: tuple[str, ...] = SIGNATURES  # the footer's signature line (sign sheets: 发放人, 监督人 …)
    period_label: str = "所属期间"  # what ``period`` is (a sign sheet: 发放日期)
    section_label: str = "本节"  # the per-section page number's word (一户一册: 本户第2页 共3页)
    table_no: str | None = None  # 表号
    author: str = ""

    @property
    def pagesize(self) -> tuple[float, float]:
        return to_landscape(A4) if self.landscape else A4


def header_line(info: PageInfo) -> tuple[str, str, str]:
    """(left, middle, right) texts of the line under the title."""
    left = f"填报单位（盖章）：{info.unit}" if info.unit else "填报单位（盖章）："
    middle = f"{info.period_label}：{info.period}" if info.period else ""
    right_parts = []
    if info.money_unit:
        right_parts.append(f"金额单位：{info.money_unit}")
    if info.table_no:
        right_parts.append(f"表号：{info.table_no}")
    return left, middle, "　".join(right_parts)


# --- canvas with 第X页 共Y页 -----------------------------------------------------------------------------------------


def numbered_canvas(info: PageInfo) -> type[Canvas]:
    """A canvas class that holds pages back until the end, then draws every footer with the page count."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = FONT  # otherwise an unembedded Helvetica is listed
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

            self._sections: dict[int, str] = {}  # page → title of the section (household) starting there

        def mark_section(self, title: str) -> None:
            self._sections[self._pageNumber] = title

        def showPage(self):  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            where = section_pages(self._sections, total)
            for state in self._pages:
                self.__dict__.update(state)
                draw_footer(self, info, self._pageNumber, total)
                if self._pageNumber in where:
                    draw_section(self, info, *where[self._pageNumber])
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


class SectionMark(Flowable):
    """Invisible: the page it lands on starts a section (one household of the 一户一册) named ``title``; the canvas
    then numbers the section's own pages and names it at the top of its continuation pages."""

    def __init__(self, title: str):
        super().__init__()
        self.title = title
        self.width = self.height = 0

    def wrap(self, aw, ah):  # noqa: D401 - reportlab API
        return 0, 0

    def draw(self):
        mark = getattr(self.canv, "mark_section", None)
        if mark is not None:
            mark(self.title)


def section_pages(starts: dict[int, str], total: int) -> dict[int, tuple[str, int, int]]:
    """page → (section title, page within the section, pages of the section), for pages inside a section."""
    out: dict[int, tuple[str, int, int]] = {}
    firsts = sorted(starts)
    for i, first in enumerate(firsts):
        last = (firsts[i + 1] - 1) if i + 1 < len(firsts) else total
        for page in range(first, last + 1):
            out[page] = (starts[first], page - first + 1, last - first + 1)
    return out


def draw_section(c: Canvas, info: PageInfo, title: str, page: int, pages: int) -> None:
    """Per-section page number at the bottom left (本户第2页 共3页) and the section's name on its continuation pages."""
    width, height = info.pagesize
    c.saveState()
    c.setFont(FONT, 9)
    c.drawString(BINDING, MARGIN + 1 * mm, f"{info.section_label}第{page}页 共{pages}页")
    if page > 1:
        y = height - MARGIN + 3 * mm
        c.drawString(BINDING, y, f"{title}（续）")
        c.setLineWidth(0.4)
        c.line(BINDING, y - 1.5 * mm, width - MARGIN, y - 1.5 * mm)
    c.restoreState()


def draw_footer(c: Canvas, info: PageInfo, page: int, total: int) -> None:
    width, _ = info.pagesize
    left = BINDING
    right = width - MARGIN
    c.saveState()
    c.setFont(FONT, 9)
    y = MARGIN + 1 * mm
    c.drawCentredString((left + right) / 2, y, f"第{page}页 共{total}页")
    c.drawRightString(right, y, f"打印日期：{format_cn_date(info.print_date)}")
    if info.signatures:
        sig = "　　".join(f"{s}：__________" for s in info.signers)
        c.drawString(left, y + 5.5 * mm, sig)
    # binding line (装订线)
    c.setDash(2, 2)
    c.setLineWidth(0.3)
    c.setStrokeColor(colors.grey)
    x = BINDING / 2
    _, height = info.pagesize
    c.line(x, MARGIN, x, height - MARGIN)
    c.setFont(FONT, 7)
    c.setFillColor(colors.grey)
    for i, ch in enumerate("装订线"):
        c.drawCentredString(x - 3 * mm, height / 2 + (1 - i) * 9 * mm, ch)
    c.restoreState()


# --- document template with progress / cancel -----------------------------------------------------------------------


class _Doc(BaseDocTemplate):
    def __init__(self, filename, *, progress: Progress | None = None, cancel: Any = None, total: int = 0,
                 text: str = "", **kw):
        super().__init__(filename, **kw)
        self._progress = progress
        self._cancel = cancel
        self._total = total
        self._done = 0
        self._text = text
        self.toc_entries: list[tuple[int, str, int, str | None]] = []

    def afterFlowable(self, flowable):  # noqa: N802 - reportlab API
        self._done += 1
        if self._cancel is not None and self._done % 10 == 0:
            self._cancel.raise_if_cancelled()
        if self._progress is not None and self._done % 10 == 0:
            self._progress(min(self._done, self._total), self._total, self._text)
        toc = getattr(flowable, "toc_entry", None)
        if toc is not None:
            level, text, key = toc
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level)
            self.notify("TOCEntry", (level, text, self.page, key))


def build(path: str | Path, info: PageInfo, story: list, *, top_space: float = 0,
          on_page: Callable[[Canvas, Any], None] | None = None, progress: Progress | None = None,
          cancel: Any = None, multi: bool = False, text: str = "正在排版…") -> Path:
    """Lay ``story`` out on pages of ``info`` and write the PDF atomically to ``path``.

    ``top_space`` is reserved under the top margin for what ``on_page`` draws (e.g. the repeated ledger header).
    ``multi`` builds in several passes (for a table of contents)."""
    register_font()
    width, height = info.pagesize
    frame_top = height - MARGIN - top_space
    frame = Frame(BINDING, MARGIN + FOOTER_HEIGHT, width - BINDING - MARGIN,
                  frame_top - MARGIN - FOOTER_HEIGHT, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="body")

    def page_callback(c, doc):
        if on_page is not None:
            on_page(c, doc)

    target = Path(path)
    with atomic_path(target) as tmp:
        doc = _Doc(str(tmp), pagesize=info.pagesize, leftMargin=BINDING, rightMargin=MARGIN,
                   topMargin=MARGIN, bottomMargin=MARGIN, title=info.title, author=info.author or info.unit,
                   creator="fupin_desktop", progress=progress, cancel=cancel, total=len(story), text=text,
                   invariant=1)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=page_callback)])
        maker = numbered_canvas(info)
        if multi:
            doc.multiBuild(story, canvasmaker=maker)
        else:
            doc.build(story, canvasmaker=maker)
    if progress is not None:
        progress(len(story), len(story), "完成")
    return target
