"""Ledgers that fit (issue 17): every ledger of the document registry, rendered from a demo village, keeps each
date, amount, count and number on one line inside its column — measured twice: the text's width at the font size
used is at most the column width minus the padding, and the PDF holds each such value as one unbroken word."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest
from reportlab.pdfbase import pdfmetrics

from fupin_desktop.reports import common, registry
from fupin_desktop.reports.common import Column, PageInfo, write_ledger
from fupin_desktop.reports.fit import FLOOR_SIZE, PAD
from fupin_desktop.services.reporting import Period, ReportFilter

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

# the test's own idea of a value that must not break: dates, amounts, plain and counted numbers, 户编号
NUMERIC = re.compile(r"^(\d{4}[-.]\d{1,2}([-.]\d{1,2})?|\d{4}年\d{1,2}月(\d{1,2}日)?"
                     r"|-?[\d,]+(\.\d+)?(%|[\u4e00-\u9fff]{1,2})?)$")


def request(services, key: str) -> registry.Request:
    """The year 2023 of the demo; a document printed per 发放批次 (the 发放签收表) takes the biggest batch."""
    flt = ReportFilter(Period.year(2023))
    if registry.BATCH in registry.get(key).options:
        batch = max(services.reporting.sign_sheet_batches(flt), key=lambda b: b.distributions)
        return registry.Request(key, flt, donation_id=batch.donation_id)
    return registry.Request(key, flt)


NOT_LEDGERS = {"handbook", "diary_book", "summary"}  # flowing documents, not tables built by write_ledger


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from fupin_desktop.services import Services
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.migrate import open_database

    folder = tmp_path_factory.mktemp("fit")
    db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    generate_demo(db, 30, seed=5, year=2023)
    yield Services(db, actor=Actor(None, "测试", "admin"), data_dir=folder, today=lambda: date(2024, 1, 10))
    db.dispose()


def words_of(path) -> set[str]:
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"<word [^>]*>([^<]*)</word>", out))


def _spy(monkeypatch) -> list:
    seen = []
    real = common.fit_table

    def spy(columns, rows, available, totals=(), header=True):
        fit = real(columns, rows, available, totals, header)
        seen.append((list(rows) + ([list(totals)] if totals else []), fit))
        return fit
    monkeypatch.setattr(common, "fit_table", spy)
    return seen


def assert_fits(seen, words) -> int:
    font = pdfmetrics.getFont(common.register_font())
    checked = 0
    for rows, fit in seen:
        assert fit.size >= FLOOR_SIZE
        for row in rows:
            for i, text in enumerate(row):
                if not NUMERIC.match(text):
                    continue
                room = fit.widths[i] - 2 * PAD
                assert font.stringWidth(text, fit.size) <= room, (text, i, fit)
                if words is not None:
                    assert text in words, f"{text!r} is broken across lines in the PDF"
                checked += 1
    return checked


@pytest.mark.parametrize("key", [d.key for d in registry.DOCUMENTS if d.key not in NOT_LEDGERS])
def test_every_numeric_and_date_cell_fits_its_column(demo, key, tmp_path, monkeypatch):
    seen = _spy(monkeypatch)
    path = registry.generate(demo, request(demo, key), tmp_path / f"{key}.pdf")
    assert seen, f"{key} was not laid out by reports.common"
    checked = assert_fits(seen, words_of(path))
    assert checked > 0 or not any(rows for rows, _fit in seen)  # an empty notice has nothing to measure


def test_font_shrinks_before_text_wraps_and_never_below_the_floor(tmp_path, monkeypatch):
    """A row one line too wide at 9 pt is set smaller, not wrapped; a table whose text cannot fit even at the floor
    wraps its text at a size ≥ 7.5 pt, and its amounts still fit."""
    seen = _spy(monkeypatch)
    info = PageInfo("测试台账", unit="测试单位", period="2024年", money_unit="元")
    cols = [Column("日期", 1), Column("说明", 3), Column("金额", 1, "RIGHT")]
    font = pdfmetrics.getFont(common.register_font())
    em = font.stringWidth("长", 1)
    text = "长" * int((common.frame_width(info) - 100) / (8.5 * em))  # too wide at 9 pt, fits at 8 pt
    write_ledger(tmp_path / "a.pdf", info, cols, [("2024.01.05", text, "256,900.00")])
    fit = seen[-1][1]
    assert fit.size < 9 and not fit.wraps
    write_ledger(tmp_path / "b.pdf", info, cols, [("2024.01.05", text * 3, "256,900.00")] * 3,
                 total=("", "", "770,700.00"))
    rows, fit = seen[-1]
    assert fit.wraps and fit.size >= FLOOR_SIZE
    assert assert_fits([(rows, fit)], words_of(tmp_path / "b.pdf")) >= 3
