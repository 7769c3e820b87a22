"""Export and print as she meets them (issue 18 §3.4): Ctrl+E / Ctrl+P on every page with something to export or
print, files offered in a folder she can find (USB stick or Documents, then the one she chose, remembered), and a
finished message with 打开文件 / 打开所在文件夹."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

from fupin_desktop import paths
from fupin_desktop.app import build_main_window
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.settings import MachineSettings
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.output_actions import LEDGERS
from fupin_desktop.ui.views.exchange.dialogs import ExportDialog
from fupin_desktop.ui.widgets import save_path


@pytest.fixture
def opened(monkeypatch):
    """QDesktopServices.openUrl records instead of starting a program."""
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: urls.append(url) or True))
    return urls


@pytest.fixture
def boxes(monkeypatch):
    """messages.file_saved shows the real box, without blocking (open() instead of exec())."""
    shown: list[messages.FileSavedBox] = []

    def file_saved(parent, path, text=None, title=None):
        box = messages.FileSavedBox(parent, path, text, title)
        shown.append(box)
        box.open()

    monkeypatch.setattr(messages, "file_saved", file_saved)
    return shown


@pytest.fixture
def window(qtbot, services, village):
    w = build_main_window(services)
    qtbot.addWidget(w)
    w.setWindowState(Qt.WindowState.WindowNoState)
    w.resize(1366, 768)
    with qtbot.waitExposed(w):
        w.show()
    w.raise_()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def test_the_saved_message_opens_the_file_or_its_folder(qtbot, tmp_path, opened):
    target = tmp_path / "东兴村-上报-20240628.xlsx"
    target.write_bytes(b"x")
    box = messages.FileSavedBox(None, target, "已导出 3 条记录。")
    qtbot.addWidget(box)
    assert [b.text() for b in (box.open_file_button, box.open_folder_button, box.close_button)] == [
        "打开文件", "打开所在文件夹", "关闭"]
    assert str(target) in box.text() and box.windowTitle() == "文件已保存"
    box.open()
    qtbot.mouseClick(box.open_folder_button, Qt.MouseButton.LeftButton)
    assert not box.isVisible()
    box.open()
    qtbot.mouseClick(box.open_file_button, Qt.MouseButton.LeftButton)
    assert [Path(u.toLocalFile()) for u in opened] == [tmp_path, target]


def test_ctrl_e_exports_to_a_folder_she_chose_and_remembers_it(qtbot, window, services, tmp_path, monkeypatch,
                                                               opened, boxes):
    services.households.create(HouseholdInput(head_name="王大山"))
    usb = tmp_path / "U盘"
    usb.mkdir()
    monkeypatch.setattr(paths, "removable_drives", lambda: [usb])
    window.set_page("households")
    assert window.output.export_button.isEnabled() and window.output.print_button.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dlg = window.findChild(ExportDialog)
    assert dlg is not None and dlg.isVisible()
    assert Path(dlg.path.text()).parent == usb  # a USB stick is plugged in: offered there, not in the data folder
    chosen = tmp_path / "文档" / "给乡里"
    chosen.mkdir(parents=True)
    dlg.path.setText(str(chosen / "东兴村.xlsx"))
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(boxes) == 1, timeout=30_000)
    assert boxes[0].path == chosen / "东兴村.xlsx" and boxes[0].path.exists()
    qtbot.mouseClick(boxes[0].open_folder_button, Qt.MouseButton.LeftButton)
    assert [Path(u.toLocalFile()) for u in opened] == [chosen]
    assert MachineSettings().get("export.folder") == str(chosen)
    again = ExportDialog(services, window)
    qtbot.addWidget(again)
    assert Path(again.path.text()).parent == chosen  # remembered


def test_ctrl_p_on_a_record_page_prints_its_ledger(qtbot, window):
    window.set_page("visits")
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page_key() == "reports"
    reports = window.page_widget("reports")
    assert reports.document() == LEDGERS["visits"] == "visits"
    qtbot.waitUntil(lambda: reports.current_pdf is not None, timeout=30_000)  # the preview, ready to print
    assert tasks.wait_for_tasks(30_000)


def test_nothing_to_print_or_export_on_the_home_page(window):
    window.set_page("home")
    assert not window.output.print_button.isEnabled() and not window.output.export_button.isEnabled()
    assert window.output.export_current() is None


def test_the_offered_folder_is_a_usb_stick_then_documents(monkeypatch, tmp_path):
    usb = tmp_path / "STICK"
    usb.mkdir()
    monkeypatch.setattr(paths, "removable_drives", lambda: [usb])
    assert save_path.save_folder() == usb
    monkeypatch.setattr(paths, "removable_drives", lambda: [])
    assert save_path.save_folder() == paths.documents_dir()
    assert paths.data_dir() not in save_path.save_folder().parents
    gone = tmp_path / "拔掉的U盘"
    MachineSettings().set("export.folder", str(gone))  # a stick that is not plugged in any more
    assert save_path.save_folder() == paths.documents_dir()


def test_the_audit_trail_export_ends_with_the_same_message(qtbot, services, village, tmp_path, monkeypatch, dialogs):
    from PySide6.QtWidgets import QFileDialog

    from fupin_desktop.ui.views.security.audit_view import AuditDialog

    offered = []

    def save_dialog(parent, title, suggested, file_filter):
        offered.append(Path(suggested))
        return str(tmp_path / "操作记录"), file_filter  # typed without .csv

    monkeypatch.setattr(paths, "removable_drives", lambda: [])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    dlg = AuditDialog(services)
    qtbot.addWidget(dlg)
    dlg._export()
    assert tasks.wait_for_tasks(30_000)
    assert offered == [paths.documents_dir() / "操作记录.csv"]
    assert dialogs.calls[-1] == ("file_saved", str(tmp_path / "操作记录.csv"))
    assert (tmp_path / "操作记录.csv").exists()
