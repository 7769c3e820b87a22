"""Every printed document rendered from a demo village: titles, headers, figures, page footers, masking and the
embedded CJK font, checked with poppler's pdftotext / pdffonts."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from fupin_desktop.reports.common import Column, PageInfo, write_ledger
from fupin_desktop.reports.diary_book import write_diary_book
from fupin_desktop.reports.handbook import write_handbook
from fupin_desktop.reports.ledgers import SPECS, TITLES, write_ledger_pdf
from fupin_desktop.reports.summary import draft_text, write_summary_pdf
from fupin_desktop.services.reporting import KINDS, Period, ReportFilter

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

UNMASKED_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
YEAR = Period.year(2023)


def text_of(path, layout: bool = False) -> str:
    args = ["pdftotext"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pages_of(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def assert_font_embedded(path) -> None:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    lines = [ln for ln in out.splitlines()[2:] if ln.strip()]
    assert lines, out
    for ln in lines:
        assert "WenQuanYiMicroHei" in ln and " yes yes " in ln, out  # every font is the embedded subset


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from fupin_desktop.services import Services
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.migrate import open_database

    folder = tmp_path_factory.mktemp("demo")
    db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    generate_demo(db, 30, seed=3, year=2023)
    yield Services(db, actor=Actor(None, "测试", "admin"), data_dir=folder, today=lambda: date(2024, 1, 10))
    db.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_each_ledger_prints_title_header_footer_and_masks(demo, kind, tmp_path):
    ledger = demo.reporting.ledger(kind, ReportFilter(YEAR))
    path = write_ledger_pdf(tmp_path / f"{kind}.pdf", ledger)
    text = text_of(path)
    n = pages_of(path)
    assert TITLES[kind] in text
    assert "填报单位（盖章）：" in text and ledger.head.unit in text and "所属期间：2023年" in text
    assert "第1页 共%d页" % n in text and f"第{n}页 共{n}页" in text
    assert "单位负责人" in text and "审核人" in text and "填表人" in text and "打印日期：2024年1月10日" in text
    assert text.count("序号") == n  # the column header repeats on every page
    if ledger.rows and kind not in ("funds",):
        assert "合计" in text
    if kind in SPECS:
        for col in SPECS[kind].columns[:3]:
            assert col.title in text.replace("\n", "")
    assert not UNMASKED_ID.search(text)
    assert_font_embedded(path)


def test_roster_masks_ids_and_phones(demo, tmp_path):
    ledger = demo.reporting.ledger("roster", ReportFilter(YEAR))
    assert any(r.head_id_number for r in ledger.rows)
    text = text_of(write_ledger_pdf(tmp_path / "r.pdf", ledger))
    assert re.search(r"\d{6}\*{12}(?![\dX*])", text)
    assert re.search(r"1\d\d\*{4}\d{4}", text)
    for r in ledger.rows:
        if r.head_id_number:
            assert r.head_id_number not in text


def test_distribution_register_states_who_signed(demo, tmp_path):
    """The year's 发放台账 is a register (signed on the 发放签收表 of each batch, tests/reports/test_sign_sheet.py):
    it says whether each line was signed instead of carrying a year-long signature column (issue 17)."""
    ledger = demo.reporting.ledger("distributions", ReportFilter(YEAR))
    text = text_of(write_ledger_pdf(tmp_path / "d.pdf", ledger))
    assert "物资（资金）发放台账" in text and "签收表" not in text and "金额单位：元" in text
    assert "签收" in text and ("已签收" in text or "未签收" in text or any(r.signed_by for r in ledger.rows))


def test_project_ledger_has_a_column_per_funding_source_and_totals(demo, tmp_path):
    ledger = demo.reporting.ledger("projects", ReportFilter(YEAR))
    assert ledger.sources
    text = text_of(write_ledger_pdf(tmp_path / "p.pdf", ledger)).replace("\n", "")
    from fupin_desktop.domain import codes

    for src in ledger.sources:
        assert codes.get("funding_source").label(src)[:2] in text
    assert "金额单位：万元" in text


def test_long_ledger_is_split_into_pages_with_totals(tmp_path):
    cols = [Column("日期", 1), Column("户主", 1), Column("内容", 4), Column("金额", 1, "RIGHT")]
    rows = [(f"2024-01-{i % 28 + 1:02d}", "王秀英", "长文本会在单元格内换行，" * (i % 9), "10.00") for i in range(700)]
    path = write_ledger(tmp_path / "long.pdf", PageInfo("测试台账", unit="测试单位", period="2024年", money_unit="元"),
                        cols, rows, total=["", "", "", "7,000.00"])
    n = pages_of(path)
    text = text_of(path)
    assert n > 10 and f"第{n}页 共{n}页" in text and "7,000.00" in text and "700" in text


def test_empty_ledger_says_so(demo, tmp_path):
    ledger = demo.reporting.ledger("visits", ReportFilter(Period.year(2015)))
    text = text_of(write_ledger_pdf(tmp_path / "e.pdf", ledger))
    assert "本期无记录" in text and "第1页 共1页" in text


def test_summary_pdf_states_the_figures_and_the_appendix(demo, tmp_path):
    fig = demo.reporting.summary_figures(ReportFilter(Period.half(2023, 1)))
    draft = draft_text(fig)
    edited = draft.replace("（一）（请补充）", "（一）集体经济基础薄弱。", 1)
    path = write_summary_pdf(tmp_path / "s.pdf", edited, fig)
    text = text_of(path).replace("\n", "")
    assert "2023年上半年工作总结" in text
    assert f"共入户走访{fig.visits}户次" in text
    assert f"实际对接{fig.reached_households}户" in text
    assert "集体经济基础薄弱" in text
    assert "附表：主要工作数据" in text and f"{fig.visits}户次" in text
    assert_font_embedded(path)


def test_diary_book_has_date_weekday_weather_headings(demo, tmp_path):
    book = demo.reporting.diary_book(ReportFilter(Period.month(2023, 3)))
    assert book.entries
    path = write_diary_book(tmp_path / "diary.pdf", book)
    text = text_of(path)
    first = book.entries[0]
    assert f"{first.entry_date.year}年{first.entry_date.month}月{first.entry_date.day}日" in text
    assert "星期" in text and "记录人" in text and "民情日记" in text
    assert_font_embedded(path)


def test_handbook_has_a_table_of_contents_and_one_section_per_household(demo, tmp_path):
    hb = demo.reporting.handbook(ReportFilter(YEAR, group_name="第1组"))
    assert hb.books
    path = write_handbook(tmp_path / "hb.pdf", hb)
    text = text_of(path)
    assert "目录" in text.replace("\u3000", "").replace(" ", "")
    for b in hb.books:
        assert f"{b.household.head_name}户" in text
    assert "家庭成员" in text and "走访记录" in text and "收入情况" in text
    assert not UNMASKED_ID.search(text)
    assert_font_embedded(path)


def test_handbook_of_one_household(demo, tmp_path):
    some = demo.reporting.ledger("roster", ReportFilter(YEAR)).rows[0]
    hid = next(h.id for h in demo.households.page(__import__(
        "fupin_desktop.storage.queries.households", fromlist=["HouseholdQuery"]).HouseholdQuery(), 0, 100)
        if h.number == some.number)
    hb = demo.reporting.handbook(ReportFilter(YEAR), [hid])
    assert len(hb.books) == 1
    text = text_of(write_handbook(tmp_path / "one.pdf", hb))
    assert some.head_name in text


def test_cancel_stops_the_layout(tmp_path):
    class Cancel:
        def raise_if_cancelled(self):
            raise RuntimeError("cancelled")

    cols = [Column("a", 1)]
    with pytest.raises(RuntimeError):
        write_ledger(tmp_path / "c.pdf", PageInfo("x"), cols, [("x",)] * 200, cancel=Cancel())
    assert not (tmp_path / "c.pdf").exists()  # nothing half written
    assert Decimal("1")  # keep import used


def test_no_records_line_spans_the_row(tmp_path):
    """（本期无记录） sits in one cell across the table, centred — in the narrow 序号/日期 column it ran past the
    cell's border (issue 18, item 16)."""
    cols = [Column("日期", 1), Column("户主", 1), Column("内容", 6), Column("金额", 1, "RIGHT")]
    path = write_ledger(tmp_path / "empty.pdf", PageInfo("测试台账", unit="测试单位", period="2024年"), cols, [])
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', out)
    (x0, x1) = next((float(a), float(b)) for a, b, w in words if "本期无记录" in w)
    page_width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    assert abs((x0 + x1) / 2 - page_width / 2) < 30  # centred across the whole table
