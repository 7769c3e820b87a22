"""数据交换 dialogs driven like a user: export with a period, roster wizard with its report."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt

from fupin_desktop.exchange.package import export_package
from fupin_desktop.services import Services
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.storage.db import Actor, Database
from fupin_desktop.ui import tasks
from fupin_desktop.ui.views.exchange.dialogs import ExportDialog, RosterImportWizard

SHOTS = Path("/tmp/shots")


def _shot(widget, name):
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"exchange_{name}.png"))


def _wait(qtbot):
    qtbot.waitUntil(lambda: tasks.active_count() == 0, timeout=30000)


def test_exchange_menu_in_the_top_bar(qtbot, services, village):
    from fupin_desktop.app import build_main_window
    from fupin_desktop.ui.views.exchange.menu import ExchangeButton

    w = build_main_window(services)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    button = w.findChild(ExchangeButton)
    assert button is not None and button.text() == "数据交换"
    assert [a.text() for a in button.menu().actions() if a.text()] == [
        "导出上报表…", "导入农户花名册…", "按县级模板填报…", "生成同步包…", "合并同步包…", "处理冲突…", "生成乡镇汇总表（本库各村）…",
        "交接给下一任工作队…"]
    dlg = button.open_export()
    qtbot.addWidget(dlg)
    assert isinstance(dlg, ExportDialog)
    dlg.close()
    _shot(w, "main_window")


def test_export_dialog_quarter_masked(qtbot, services, village, tmp_path, dialogs):
    services.households.create(HouseholdInput(head_name="王大山", head_id_number="110105194912310038"))
    dlg = ExportDialog(services)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.period.setCurrentIndex(dlg.period.findData("quarter"))
    dlg.year.setValue(2024)
    dlg.part.setCurrentIndex(1)
    assert dlg.period_range() == (__import__("datetime").date(2024, 4, 1), __import__("datetime").date(2024, 6, 30))
    dlg.path.setText(str(tmp_path / "out.xlsx"))
    dlg.full.setChecked(True)
    assert dlg.full_warning.isVisible()
    _shot(dlg, "export_dialog")
    dlg.masked.setChecked(True)
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    assert (tmp_path / "out.xlsx").exists()
    assert dlg.result.form == "masked" and dlg.result.counts["农户花名册"] == 1
    assert dialogs.calls[-1] == ("file_saved", str(tmp_path / "out.xlsx"))  # 打开文件 / 打开所在文件夹


def test_roster_wizard_reports_problems_then_imports(qtbot, services, village, tmp_path, kit, dialogs):
    rows = kit.roster_rows(3)
    bad = [list(r) for r in rows]
    bad[4][4] = bad[4][4][:17] + ("0" if bad[4][4][17] != "0" else "1")
    path = kit.write_roster(tmp_path / "bad.xlsx", bad)
    wiz = RosterImportWizard(services, path=str(path))
    qtbot.addWidget(wiz)
    wiz.resize(900, 600)
    wiz.show()
    qtbot.mouseClick(wiz.next, Qt.MouseButton.LeftButton)
    assert wiz.pages.currentIndex() == 1 and wiz.mapping.rowCount() == len(kit.headers)
    # the column that will not be imported (序号) stands out; the mapped ones do not
    assert [wiz.mapping.item(r, 0).font().bold() for r in range(wiz.mapping.rowCount())] == [True] + [False] * (
        len(kit.headers) - 1)
    _shot(wiz, "roster_mapping")
    qtbot.mouseClick(wiz.next, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    assert wiz.pages.currentIndex() == 2
    assert wiz.problems.rowCount() == 1 and wiz.problems.item(0, 1).text() == "8"
    assert wiz.problems.item(0, 0).text() == "花名册" and wiz.problems.item(0, 2).text() == "证件号码"
    assert not wiz.next.isEnabled()
    _shot(wiz, "roster_report")
    assert services.households.count() == 0
    # fixed file: imports
    wiz2 = RosterImportWizard(services, path=str(kit.write_roster(tmp_path / "good.xlsx", rows)))
    qtbot.addWidget(wiz2)
    qtbot.mouseClick(wiz2.next, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wiz2.next, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    assert wiz2.next.isEnabled()
    qtbot.mouseClick(wiz2.next, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    assert services.households.count() == 3


