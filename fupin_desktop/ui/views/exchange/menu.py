"""The 数据交换 button of the top bar: a menu opening the exchange dialogs (one line in ui/main_window.py)."""
from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.icons import icon
from fupin_desktop.ui.widgets.save_path import ask_save_path

XLSX_FILTER = "Excel (*.xlsx)"


class ExchangeButton(QToolButton):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setObjectName("ExchangeButton")
        self.setText(self.tr("Data exchange"))
        self.setIcon(icon("file-export"))
        self.setToolButtonStyle(self.toolButtonStyle().ToolButtonTextBesideIcon)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.export_action = menu.addAction(self.tr("Export upward package…"), self.open_export)
        self.import_action = menu.addAction(self.tr("Import household roster…"), self.open_import)
        menu.addSeparator()
        self.summary_action = menu.addAction(self.tr("Township summary of packages…"), self.township_summary)
        self.setMenu(menu)

    def _window(self) -> QWidget:
        return self.window()

    def open_export(self):
        from fupin_desktop.ui.views.exchange.dialogs import ExportDialog

        dlg = ExportDialog(self.services, self._window())
        dlg.open()
        return dlg

    def open_import(self):
        from fupin_desktop.ui.views.exchange.dialogs import RosterImportWizard

        dlg = RosterImportWizard(self.services, self._window())
        dlg.open()
        return dlg

    def township_summary(self) -> None:
        from fupin_desktop.exchange.township import write_summary

        files, _ = QFileDialog.getOpenFileNames(self._window(), self.tr("Choose the villages' packages"), "",
                                                XLSX_FILTER)
        if not files:
            return
        target = ask_save_path(self._window(), self.tr("Save township summary"),
                               f"乡镇汇总-{datetime.now():%Y%m%d}.xlsx", XLSX_FILTER)
        if target is None:
            return

        def work(*, progress, cancel):
            return write_summary(files, target, progress=progress, cancel=cancel.raise_if_cancelled)

        tasks.run_in_background(
            work, on_success=lambda p: messages.file_saved(self._window(), p),
            progress_title=self.tr("Summarising"), cancellable=True, parent=self)
