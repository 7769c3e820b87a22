"""What the 1366×768 screenshots of issue 18 showed, each fixed after looking: status and household-type words
cut to "资产确权登…" / "特困供养脱…" while the name column had room to spare, and a backup list that was only an
empty table."""
from __future__ import annotations

from PySide6.QtCore import Qt

from fupin_desktop.domain import codes
from fupin_desktop.ui.models.households import COLUMNS, monitoring_text
from fupin_desktop.ui.views.backups.dialog import BackupDialog
from fupin_desktop.ui.views.households.page import HouseholdsPage
from fupin_desktop.ui.views.projects.page import ProjectsPage


def _column(view, title: str) -> int:
    model = view.model()
    return next(i for i in range(model.columnCount()) if model.headerData(i, Qt.Orientation.Horizontal) == title)


def _fits(view, col: int, texts) -> bool:
    fm = view.fontMetrics()
    return view.columnWidth(col) >= max(fm.horizontalAdvance(t) for t in texts) + 12


def test_project_status_words_show_whole(qtbot, services, village):
    page = ProjectsPage(services)
    qtbot.addWidget(page)
    page.resize(1366 - 200, 700)
    page.show()
    statuses = [codes.label("project_status", c) for c in codes.get("project_status").codes()]
    assert _fits(page.table, _column(page.table, "状态"), statuses)


def test_household_type_and_monitoring_words_show_whole(qtbot, services, village):
    page = HouseholdsPage(services)
    qtbot.addWidget(page)
    page.show()
    types = [codes.label("household_type", c) for c in codes.get("household_type").codes()]
    monitored = [monitoring_text(c, e) for c in codes.get("monitoring_category").codes() for e in (False, True)]
    assert len(COLUMNS) == page.table.model().columnCount()
    assert _fits(page.table, _column(page.table, "户类型"), types)
    assert _fits(page.table, _column(page.table, "监测类别"), monitored)


def test_no_backups_yet_says_so_and_what_to_do(qtbot, services, village):
    dlg = BackupDialog(services)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 0
    assert "还没有备份" in dlg.note.text() and "立即备份" in dlg.note.text()


def test_both_monitoring_forms_allow_at_most_five_risk_types(qtbot, services, records):
    """监测步骤 and 补录监测 built the 风险类型 boxes twice (duplicates listed them); 补录 said "最多5项" without
    holding to it. Both use the one CheckGrid with a limit now."""
    from PySide6.QtCore import QPoint

    from fupin_desktop.ui.views.monitoring.dialogs import EarlierRecordDialog, MonitoringStepDialog

    for make in (lambda: EarlierRecordDialog(services, records["status"]),
                 lambda: MonitoringStepDialog(services, records["status"], stage="identified")):
        dlg = make()
        qtbot.addWidget(dlg)
        dlg.show()
        boxes = list(dlg.risk_boxes.values())
        for box in boxes[:5]:
            qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
        assert all(b.isChecked() for b in boxes[:5])
        assert not boxes[5].isEnabled()
        qtbot.mouseClick(boxes[0], Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
        assert boxes[5].isEnabled()


def test_project_date_ranges_read_as_one_range(qtbot, services, village):
    """项目 editor at 1366×768: "计划开工 — 完工" showed the end date far to the right of the dash."""
    from fupin_desktop.ui.views.projects.editor import ProjectEditor

    dlg = ProjectEditor(services)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    for start, end in ((dlg.planned_start, dlg.planned_end), (dlg.actual_start, dlg.actual_end)):
        gap = end.mapTo(dlg, end.rect().topLeft()).x() - start.mapTo(dlg, start.rect().topRight()).x()
        assert gap < 40, gap
