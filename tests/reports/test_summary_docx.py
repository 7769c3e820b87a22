"""The 工作总结 as an editable Word file (issue 17): python-docx reads back the title, the headings, the sections she
wrote in the program, the 落款 and the page set-up; the PDF lays out the same text."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest

from fupin_desktop.reports.summary import draft_text
from fupin_desktop.reports.summary_docx import APPENDIX_TITLE, write_summary_docx
from fupin_desktop.reports.summary_parse import parse
from fupin_desktop.reports.summary_pdf import write_summary_pdf
from fupin_desktop.services.reporting import Period, ReportFilter
from fupin_desktop.services.summary_sections import BUREAU, SummarySections

docx = pytest.importorskip("docx")

HALF = Period.half(2023, 2)
HERS = SummarySections(
    experience="一是依托派出单位优势争取项目资金。二是坚持每月走访监测户。",
    problems="（一）产业基础薄弱，全村以种植玉米为主，抗风险能力弱。\n（二）部分脱贫户内生动力不足。",
    plans="（一）继续抓好防返贫动态监测。\n（二）推动扫帚加工产业扩大规模，带动更多群众就业。",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from fupin_desktop.services import Services
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.migrate import open_database

    folder = tmp_path_factory.mktemp("demo")
    db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    generate_demo(db, 20, seed=5, year=2023)
    yield Services(db, actor=Actor(None, "测试", "admin"), data_dir=folder, today=lambda: date(2024, 1, 10))
    db.dispose()


def _body(document) -> list:
    return [p for p in document.paragraphs if p.text.strip()]


def test_the_word_file_has_title_headings_her_sections_and_the_signature(demo, tmp_path):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    fig = demo.reporting.summary_figures(ReportFilter(HALF))
    text = draft_text(fig, HERS)
    path = write_summary_docx(tmp_path / "总结.docx", text, fig, appendix=False)
    document = docx.Document(str(path))
    body = _body(document)

    assert body[0].style.name == "Title"
    assert body[0].text == "唐山市财政局驻大庄坨乡东兴村工作队2023年下半年工作总结"
    headings = [p.text for p in body if p.style.name == "Heading 1"]
    assert headings == ["一、入户走访，摸清底数", "二、抓党建促帮扶", "三、落实帮扶项目", "四、社会帮扶和消费帮扶",
                        "五、民情日记和问题办理", "六、驻村坚守", "七、典型经验和特色做法", "八、存在的问题和困难",
                        "九、下一步工作打算"]
    texts = [p.text for p in body]
    i = texts.index("八、存在的问题和困难")
    assert texts[i + 1:i + 3] == ["（一）产业基础薄弱，全村以种植玉米为主，抗风险能力弱。", "（二）部分脱贫户内生动力不足。"]
    j = texts.index("九、下一步工作打算")
    assert texts[j + 1] == "（一）继续抓好防返贫动态监测。"
    assert f"共入户走访{fig.visits}户次" in "".join(texts)  # the figures in prose

    sign_unit, sign_date = body[-2], body[-1]
    assert (sign_unit.text, sign_date.text) == ("唐山市财政局驻东兴村工作队", "2024年1月10日")
    assert sign_unit.alignment == sign_date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert not document.tables  # no appendix asked for

    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    fonts = {name: document.styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))
             for name in ("Normal", "Title", "Heading 1", "Heading 2")}
    assert fonts == {"Normal": "仿宋", "Title": "宋体", "Heading 1": "黑体", "Heading 2": "楷体"}
    assert document.styles["Normal"].font.size.pt == 16  # 三号
    assert document.styles["Title"].font.size.pt == 22  # 二号


def test_the_appendix_is_optional_and_the_pdf_says_the_same(demo, tmp_path):
    fig = demo.reporting.summary_figures(ReportFilter(HALF), as_of=date(2023, 11, 30))
    text = draft_text(fig, HERS, BUREAU)
    document = docx.Document(str(write_summary_docx(tmp_path / "s.docx", text, fig)))
    assert APPENDIX_TITLE in [p.text for p in document.paragraphs]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["项目", "数据"]
    assert any(r.cells[0].text == "入户走访" and r.cells[1].text.startswith(f"{fig.visits}户次") for r in table.rows)

    words = [p.text for p in _body(document)]
    assert words[0] == "唐山市财政局2023年下半年帮扶工作总结"
    assert "截至2023年11月30日" in words[1] and words[1].startswith("2023年下半年以来")
    assert words[words.index(APPENDIX_TITLE) - 2:words.index(APPENDIX_TITLE)] == ["唐山市财政局", "2024年1月10日"]

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    pdf = write_summary_pdf(tmp_path / "s.pdf", text, fig)
    printed = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    # the page footers (第X页 共Y页, 打印日期, the 装订线 letters on lines of their own) fall between the lines of a
    # paragraph that crosses a page
    printed = "".join(ln for ln in printed.splitlines() if ln.strip() not in ("装", "订", "线"))
    flat = re.sub(r"第\d+页共\d+页|打印日期：\d+年\d+月\d+日", "", "".join(printed.split()))
    parsed = parse(text)
    for line in (parsed.title, *(b.text for b in parsed.blocks), parsed.sign_unit, parsed.sign_date):
        assert "".join(line.split()) in flat, line
    assert "单位负责人" not in printed and "填报单位" not in printed  # signed by its 落款, not a form's lines


# ECMA-376 fixes the order of w:pPr's and w:rPr's children; Word calls a file with them out of order damaged
# (LibreOffice and python-docx do not mind, so only this test would notice)
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
             "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
             "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def test_paragraph_and_run_properties_are_in_the_order_word_requires(demo, tmp_path):
    import zipfile

    from lxml import etree

    fig = demo.reporting.summary_figures(ReportFilter(HALF))
    path = write_summary_docx(tmp_path / "s.docx", draft_text(fig, HERS, BUREAU), fig)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    checked = 0
    with zipfile.ZipFile(path) as z:
        for part in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
            root = etree.fromstring(z.read(part))
            for tag, order in (("pPr", PPR_ORDER), ("rPr", RPR_ORDER)):
                for props in root.iter(w + tag):
                    names = [etree.QName(c).localname for c in props]
                    known = [n for n in names if n in order]
                    assert known == sorted(known, key=order.index), (part, tag, names)
                    checked += 1
    assert checked > 50
