"""The 数据交换 button of the top bar: a menu opening the exchange dialogs (one line in ui/main_window.py)."""
from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton, QWidget

from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.icons import icon

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
        self.fill_action = menu.addAction(self.tr("Fill the county's template…"), self.fill_template)
        menu.addSeparator()
        # 同步包 (ui/views/exchange/sync_dialogs.py, conflicts.py)
        self.pack_action = menu.addAction(self.tr("Make sync package…"), self.make_sync_package)
        self.merge_action = menu.addAction(self.tr("Merge sync packages…"), self.open_merge)
        self.conflicts_action = menu.addAction(self.tr("Conflicts…"), self.open_conflicts)
        menu.aboutToShow.connect(self.refresh_conflict_count)
        menu.addSeparator()
        self.summary_action = menu.addAction(self.tr("Township summary of the merged villages…"), self.township_summary)
        menu.addSeparator()
        self.handover_action = menu.addAction(self.tr("Hand over to the next team…"), self.open_handover)
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

    # -- 同步包 --------------------------------------------------------------------------------------------------
    def make_sync_package(self):
        from fupin_desktop.ui.views.exchange.sync_dialogs import pack_to_file

        return pack_to_file(self.services, self._window())

    def open_handover(self):
        from fupin_desktop.ui.views.exchange.handover_dialog import HandoverDialog

        dlg = HandoverDialog(self.services, self._window())
        dlg.open()
        return dlg

    def open_merge(self):
        from fupin_desktop.ui.views.exchange.sync_dialogs import MergeDialog

        dlg = MergeDialog(self.services, self._window())
        dlg.merged.connect(lambda _report: self.refresh_conflict_count())
        dlg.open()
        return dlg

    def open_conflicts(self):
        from fupin_desktop.ui.views.exchange.conflicts import ConflictsDialog

        dlg = ConflictsDialog(self.services, self._window())
        dlg.finished.connect(lambda _code: self.refresh_conflict_count())
        dlg.open()
        return dlg

    def refresh_conflict_count(self):
        """The open-conflict count on the menu entry (冲突（3）…), read in the background when the menu opens."""
        return tasks.run_in_background(self.services.sync.conflicts, on_success=self._show_conflict_count,
                                       on_failure=lambda _exc: None, parent=self)

    def _show_conflict_count(self, conflicts) -> None:
        n = len(conflicts)
        self.conflicts_action.setText(self.tr("Conflicts ({n})…").format(n=n) if n else self.tr("Conflicts…"))

    def township_summary(self) -> None:
        """乡镇汇总表 of every village in this database (villages merged from their 同步包), this year so far."""
        from fupin_desktop.exchange.report_book import period_of
        from fupin_desktop.exchange.township import write_township_summary
        from fupin_desktop.services.reporting import ReportFilter

        from fupin_desktop.ui.widgets.save_path import ask_save_path

        target = ask_save_path(self._window(), self.tr("Save township summary"),
                               f"乡镇汇总-{datetime.now():%Y%m%d}.xlsx", XLSX_FILTER)
        if target is None:
            return
        today = self.services.ctx.today()
        flt = ReportFilter(period_of(date(today.year, 1, 1), date(today.year, 12, 31), today))

        def work(*, progress, cancel):
            return write_township_summary(self.services, target, flt, progress=progress,
                                          cancel=cancel.raise_if_cancelled)

        tasks.run_in_background(
            work, on_success=lambda p: messages.file_saved(self._window(), p),
            progress_title=self.tr("Summarising"), cancellable=True, parent=self)

    def fill_template(self):
        """县级模板: the county's own .xlsx, its columns mapped in a dialog (remembered per template), then filled."""
        from fupin_desktop.ui.views.exchange.template_dialog import TemplateFillDialog

        source, _ = QFileDialog.getOpenFileName(self._window(), self.tr("Choose the county's template"), "",
                                                XLSX_FILTER)
        if not source:
            return None
        dlg = TemplateFillDialog(self.services, self._window(), path=source)
        dlg.open()
        return dlg
