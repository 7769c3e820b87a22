"""The 工作总结 as an editable Word file (.docx, python-docx): the same text as the PDF (reports/summary_parse.py),
laid out loosely after GB/T 9704 (党政机关公文格式) so that it opens in WPS, Word and LibreOffice looking like the
summaries secretaries hand in:

* A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28 characters (fixed 28 pt spacing).
* Title 二号 宋体 bold, centred; 正文 三号 仿宋, first line indented two characters; headings "一、" 三号 黑体,
  "（一）" 三号 楷体 (built-in Heading 1 / Heading 2 styles, so Word's navigation pane lists them).
* Chinese fonts named in ``w:eastAsia`` of every style's ``rFonts`` (Latin letters and digits in Times New Roman);
  a reader without 仿宋/楷体/黑体 substitutes its own Chinese font, it never shows boxes.
* 落款 (the drafting unit, the date) right-aligned after the text; page number "— 1 —" centred in the footer.
* Optionally the figures table as an appendix on a page of its own.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fupin_desktop.reports.summary_parse import HEAD, SUB, parse

FANGSONG, HEITI, KAITI, SONGTI, LATIN = "仿宋", "黑体", "楷体", "宋体", "Times New Roman"
SIZE_2, SIZE_3, SIZE_4 = 22, 16, 14  # 二号, 三号, 四号 in points
LINE = 28  # fixed line spacing (pt): 22 lines on the GB/T 9704 type area
APPENDIX_TITLE = "附表：主要工作数据"


# elements that follow w:lang in w:rPr, and w:autoSpaceDN in w:pPr (WordprocessingML fixes the order; Word reports
# a file with children out of order as damaged)
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_PPR_AFTER_AUTOSPACE = ("w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                        "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
                        "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
                        "w:sectPr", "w:pPrChange")


def _child(parent, tag: str, successors: tuple[str, ...]):
    """``parent``'s child ``tag``, inserted in schema order when missing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.insert_element_before(found, *successors)
    return found


def _fonts(rpr_owner, east_asia: str, size: float, bold: bool = False) -> None:
    """Fonts of a style or run: Latin in Times New Roman, Chinese in ``east_asia`` (w:eastAsia)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = rpr_owner.font
    font.name = LATIN
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    from docx.shared import RGBColor

    font.color.rgb = RGBColor(0, 0, 0)
    rpr = rpr_owner._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)  # a theme font would override the names above


def _chars_indent(paragraph_format_owner, first_line_chars: int = 0, right_chars: int = 0) -> None:
    """Indents counted in characters (w:firstLineChars / w:rightChars: WPS and Word keep two characters whatever
    the font size), with the point values as a fallback for readers that ignore them."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    pf = paragraph_format_owner.paragraph_format
    if first_line_chars:
        pf.first_line_indent = Pt(SIZE_3 * first_line_chars)
    if right_chars:
        pf.right_indent = Pt(SIZE_3 * right_chars)
    ind = paragraph_format_owner._element.get_or_add_pPr().get_or_add_ind()
    if first_line_chars:
        ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    if right_chars:
        ind.set(qn("w:rightChars"), str(right_chars * 100))


def _paragraph_style(style, east_asia: str, size: float, bold: bool = False, *, align=None, before: float = 0,
                     after: float = 0, line: float = LINE, indent_chars: int = 0) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    _fonts(style, east_asia, size, bold)
    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line)
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.keep_with_next = style.name.startswith("Heading")
    if align is not None:
        pf.alignment = align
    if indent_chars:
        _chars_indent(style, first_line_chars=indent_chars)


def _set_up(document) -> None:
    """Page and styles."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm

    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(18)
    styles = document.styles
    normal = styles["Normal"]
    _paragraph_style(normal, FANGSONG, SIZE_3, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
    lang = _child(normal.element.get_or_add_rPr(), "w:lang", _RPR_AFTER_LANG)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = normal.element.get_or_add_pPr()
    # "2023年", not "2023 年": no extra space where Chinese meets digits or Latin letters
    _child(ppr, "w:autoSpaceDE", _PPR_AFTER_AUTOSPACE).set(qn("w:val"), "0")
    _child(ppr, "w:autoSpaceDN", _PPR_AFTER_AUTOSPACE[1:]).set(qn("w:val"), "0")
    title = styles["Title"]
    _paragraph_style(title, SONGTI, SIZE_2, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=LINE, line=36)
    ppr = title.element.get_or_add_pPr()
    for child in list(ppr):
        if child.tag == qn("w:pBdr"):  # the default template underlines its Title
            ppr.remove(child)
    # 黑体 and bold: the headings stand out even where a reader substitutes its own font for 黑体 (LibreOffice
    # without Chinese fonts showed them exactly like the body)
    _paragraph_style(styles["Heading 1"], HEITI, SIZE_3, bold=True, indent_chars=2)
    _paragraph_style(styles["Heading 2"], KAITI, SIZE_3, indent_chars=2)
    for name in ("Heading 1", "Heading 2"):
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _page_number(section) -> None:
    """Footer: "— 1 —" centred (a PAGE field: every reader fills in its own count)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _plain(p)
    _fonts(p.add_run("— "), SONGTI, SIZE_4)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = p.add_run("1")
    _fonts(run, SONGTI, SIZE_4)
    run._r.addprevious(field)
    field.append(run._r)
    _fonts(p.add_run(" —"), SONGTI, SIZE_4)


def _plain(paragraph, indent: bool = True) -> None:
    """A paragraph without the body's first-line indent (落款, appendix cells)."""
    from docx.oxml.ns import qn

    paragraph.paragraph_format.first_line_indent = 0
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "0")
    ind.set(qn("w:firstLine"), "0")


def _appendix(document, rows: list[tuple[str, str]]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    head = document.add_paragraph(APPENDIX_TITLE, style="Heading 1")
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _plain(head)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(56), Mm(100))
    for cell, text, width in zip(table.rows[0].cells, ("项目", "数据"), widths):
        cell.width = width
        cell.text = text
    for item, value in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, (item, value), widths):
            cell.width = width
            cell.text = text
    for r, row in enumerate(table.rows):
        for cell in row.cells:
            for p in cell.paragraphs:
                _plain(p)
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(2)
                if r == 0:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in p.runs:
                    _fonts(run, HEITI if r == 0 else FANGSONG, 12)


def write_summary_docx(path: str | Path, text: str, fig=None, *, appendix: bool = True, progress=None,
                       cancel: Any = None) -> Path:
    """Write summary ``text`` (first line = title, last two lines = 落款) as a Word file; with ``fig`` and
    ``appendix`` the figures table follows on a page of its own. Written atomically."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from fupin_desktop.fileio import atomic_path

    if progress is not None:
        progress(0, 1, "正在生成 Word 文档…")
    parsed = parse(text)
    document = Document()
    _set_up(document)
    _page_number(document.sections[0])
    props = document.core_properties
    props.title = parsed.title
    props.author = parsed.sign_unit or (fig.head.unit if fig is not None else "")
    props.comments = ""
    document.add_paragraph(parsed.title, style="Title")
    for block in parsed.blocks:
        style = "Heading 1" if block.kind == HEAD else "Heading 2" if block.kind == SUB else None
        document.add_paragraph(block.text, style=style)
    if parsed.sign_unit or parsed.sign_date:
        # the 落款 never stands alone on a page: the last paragraph, a blank line and the unit keep with the next
        if document.paragraphs:
            document.paragraphs[-1].paragraph_format.keep_with_next = True
        document.add_paragraph("").paragraph_format.keep_with_next = True
        lines = [t for t in (parsed.sign_unit, parsed.sign_date) if t]
        for i, line in enumerate(lines):
            p = document.add_paragraph(line)
            _plain(p)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _chars_indent(p, right_chars=2)
            p.paragraph_format.keep_with_next = i < len(lines) - 1
    if fig is not None and appendix:
        from fupin_desktop.reports.summary import figure_rows

        _appendix(document, figure_rows(fig))
    if cancel is not None:
        cancel.raise_if_cancelled()
    target = Path(path)
    with atomic_path(target) as tmp:
        document.save(str(tmp))
    if progress is not None:
        progress(1, 1, "已生成")
    return target
