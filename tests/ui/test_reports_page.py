"""台账报表 page: generate a ledger and the summary draft through the page, like a user."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt

from fupin_desktop.ui import tasks


@pytest.fixture
def page(qtbot, services, db):
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.ui.views.reports.page import ReportsPage

    generate_demo(db, 12, seed=2, year=2023)
    w = ReportsPage(services)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def _choose_year(page, year: int) -> None:
    page.period_kind.setCurrentIndex(page.period_kind.findData("year"))
    page.year.setValue(year)


def test_generate_visit_ledger_through_the_page(qtbot, page, tmp_path):
    page.select_document("visits")
    _choose_year(page, 2023)
    assert not page.save_button.isEnabled()
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None, timeout=30000)
    assert page.current_pdf.exists() and page.save_button.isEnabled()
    saved = page.save_as(str(tmp_path / "走访台账.pdf"))
    assert saved.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True).stdout
        assert "入户走访台账" in text and "所属期间：2023年" in text and "第1页 共" in text
    page.grab().save(str(tmp_path / "reports_page.png"))


def test_summary_draft_is_editable_then_printed(qtbot, page):
    page.select_document("summary")
    assert page.editor_bar.isVisible()
    page.period_kind.setCurrentIndex(page.period_kind.findData("half"))
    page.year.setValue(2023)
    page.part.setCurrentIndex(0)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None, timeout=30000)
    text = page.editor.toPlainText()
    assert text.splitlines()[0].endswith("2023年上半年工作总结") and "户次" in text
    page.editor.setPlainText(text.replace("（一）（请补充）", "（一）村集体经济薄弱。", 1))
    first = page.current_pdf
    page.current_pdf = None
    qtbot.mouseClick(page.summary_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None, timeout=30000)
    assert page.current_pdf == first
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(page.current_pdf), "-"], capture_output=True, text=True).stdout
        assert "村集体经济薄弱" in out.replace("\n", "")


def test_custom_period_with_end_before_start_shows_an_error(qtbot, page, monkeypatch):
    from datetime import date

    from fupin_desktop.ui import messages

    shown = []
    monkeypatch.setattr(messages, "error", lambda parent, exc, title=None: shown.append(str(exc)))
    page.period_kind.setCurrentIndex(page.period_kind.findData("custom"))
    page.start.setDate(date(2024, 3, 1))
    page.end.setDate(date(2024, 1, 1))
    assert page.generate() is None and shown
