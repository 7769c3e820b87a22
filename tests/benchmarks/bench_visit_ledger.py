"""Benchmark: a 10,000-row 入户走访台账 through fupin_desktop.reports against bare reportlab writing the same rows with
the same font and the same small-table layout (30-row tables, Paragraph only for cells wider than their column),
in the same run. Target: ours ≤ 1.5 × bare.

    python tests/benchmarks/bench_visit_ledger.py [rows]
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
TARGET = 1.5


def visit_lines(n: int):
    from fupin_desktop.services.reporting import VisitLine

    findings = ["家中无人，户主外出，已电话联系，约定下次入户", "家庭收入稳定，未发现返贫致贫风险",
                "享受政策落实到位，医保已缴费，孩子正常上学", "老人身体尚可，冬季取暖已落实，叮嘱家属注意用火用电安全"]
    actions = ["宣传小额信贷和产业奖补政策", "讲解了城乡居民医保和养老保险缴费政策", "", "提醒注意用电用火安全"]
    start = date(2023, 1, 1)
    return [VisitLine(start + timedelta(days=i % 365), f"13020420321300{i % 500:02d}", f"王秀{'英兰芳'[i % 3]}",
                      f"第{i % 6 + 1}组", ("郑晓东",) if i % 3 else ("郑晓东", "王立新"), "in_person",
                      ("policy",) if i % 2 else ("policy", "screening"), i % 7 != 0, findings[i % 4],
                      actions[i % 4], "satisfied") for i in range(n)]


def ours(lines, path: Path) -> float:
    from fupin_desktop.reports.ledgers import write_ledger_pdf
    from fupin_desktop.services.reporting import Ledger, ReportHead

    head = ReportHead("唐山市财政局驻东兴村工作队", "东兴村", "2023年", date(2024, 1, 10))
    t = time.perf_counter()
    write_ledger_pdf(path, Ledger("visits", head, tuple(lines)))
    return time.perf_counter() - t


def bare(lines, path: Path) -> float:
    """Plain reportlab: same font, columns, cell policy and 30-row tables; header drawn per page; page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from fupin_desktop import paths

    t = time.perf_counter()
    if "BareFont" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BareFont", str(paths.font_path()), subfontIndex=0))
    size = (landscape(A4))
    avail = size[0] - 37 * mm
    weights = [1.0, 1.75, 0.7, 0.7, 1.0, 0.5, 1.3, 0.5, 3.0, 2.2, 0.7]
    widths = [11 * mm] + [(avail - 11 * mm) * w / sum(weights) for w in weights]
    cell = ParagraphStyle("c", fontName="BareFont", fontSize=9, leading=11.25, wordWrap="CJK")
    head = ["序号", "走访日期", "户编号", "户主", "村民小组", "走访人", "方式", "走访事由", "见到户", "家庭变化及发现",
            "处理措施", "满意度"]
    st = TableStyle([("FONT", (0, 0), (-1, -1), "BareFont", 9), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    purposes = {"policy": "政策宣传", "screening": "防返贫摸底排查"}

    def c(i, text):
        if pdfmetrics.stringWidth(text, "BareFont", 9) <= widths[i] - 6.5:
            return text
        return Paragraph(escape(text), cell)

    header = Table([[Paragraph(h, cell) for h in head]], colWidths=widths)
    header.setStyle(st)
    hh = header.wrap(avail, size[1])[1]

    def on_page(canvas, doc):
        canvas.setFont("BareFont", 16)
        canvas.drawCentredString(size[0] / 2, size[1] - 19 * mm, "入户走访台账")
        header.drawOn(canvas, 25 * mm, size[1] - 29 * mm - hh)
        canvas.setFont("BareFont", 9)
        canvas.drawCentredString(size[0] / 2, 13 * mm, f"第{doc.page}页")

    story, chunk = [], []
    for n, v in enumerate(lines, 1):
        row = [str(n), v.visit_date.isoformat(), v.number, v.head_name, v.group_name, "、".join(v.cadres), "入户",
               "、".join(purposes[p] for p in v.purposes), "是" if v.present else "否", v.findings or "",
               v.actions or "", "满意"]
        chunk.append([c(i, x) for i, x in enumerate(row)])
        if len(chunk) == 30:
            story.append(Table(chunk, colWidths=widths, style=st))
            chunk = []
    if chunk:
        story.append(Table(chunk, colWidths=widths, style=st))
    doc = SimpleDocTemplate(str(path), pagesize=size, leftMargin=25 * mm, rightMargin=12 * mm,
                            topMargin=29 * mm + hh, bottomMargin=26 * mm)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return time.perf_counter() - t


def main() -> int:
    lines = visit_lines(ROWS)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bare(lines[:300], folder / "warm.pdf")  # font parsing and imports out of the measurement
        ours(lines[:300], folder / "warm2.pdf")
        b = bare(lines, folder / "bare.pdf")
        o = ours(lines, folder / "ours.pdf")
        pages = lambda p: p.read_bytes().count(b"/Type /Page\n") or p.read_bytes().count(b"/Type /Page ")  # noqa
        print(f"rows: {ROWS}")
        print(f"bare reportlab: {b:.2f} s, {(folder / 'bare.pdf').stat().st_size / 1e6:.1f} MB")
        print(f"fupin reports:  {o:.2f} s, {(folder / 'ours.pdf').stat().st_size / 1e6:.1f} MB")
        ratio = o / b
        print(f"ratio: {ratio:.2f} (target ≤ {TARGET})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main())
