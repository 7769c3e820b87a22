"""台账报表 page: the 发放签收表 is printed per 发放批次 — she chooses the batch (issue 17)."""
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


def test_sign_sheet_of_the_chosen_batch(qtbot, page, services, tmp_path):
    from fupin_desktop.reports.sign_sheet import sheet_title

    page.period_kind.setCurrentIndex(page.period_kind.findData("year"))
    page.year.setValue(2023)
    assert not page.batch.isVisible()  # only the 发放签收表 has batches
    page.select_document("sign_sheet")
    assert page.batch.isVisible() and page.batch.count() > 1
    batches = services.reporting.sign_sheet_batches(page.report_filter())
    assert [page.batch.itemData(i) for i in range(page.batch.count())] == [b.donation_id for b in batches]
    chosen = batches[1]
    page.batch.setCurrentIndex(1)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None, timeout=30000)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(page.current_pdf), "-"], capture_output=True, text=True).stdout
        assert sheet_title(chosen) in text and "领取人签字（手印）" in text
    page.grab().save(str(tmp_path / "sign_sheet_page.png"))
