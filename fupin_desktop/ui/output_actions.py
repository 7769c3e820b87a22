"""打印 (Ctrl+P) and 导出 (Ctrl+E) on every page with something to print or export (UI.md: the header buttons).

The main window owns one pair of shortcuts and top-bar buttons; what they do depends on the page shown:

* a page with ``print_document()`` / ``export_document()`` does it itself (台账报表: print the document shown, save
  it as PDF);
* a record page prints its ledger: 台账报表 opens with that ledger chosen and generates its preview (:data:`LEDGERS`),
  where Ctrl+P then prints it;
* a record page exports the 上报 package (the Excel workbook for the township, ``exchange/dialogs.ExportDialog``);
* pages with nothing to print or export (首页, 设置) grey the buttons out and the keys do nothing.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QToolButton, QWidget

from fupin_desktop.ui.icons import icon

# page key → the ledger of 台账报表 that prints what the page lists
LEDGERS = {
    "households": "roster", "visits": "visits", "problems": "problems", "monitoring": "monitored",
    "diary": "diary", "worklog": "worklog", "projects": "projects", "donations": "donations",
    "purchases": "purchases",
}
REPORTS_PAGE = "reports"


class OutputActions(QObject):
    """Ctrl+P / Ctrl+E and the 打印 / 导出 buttons of ``window`` (a MainWindow)."""

    def __init__(self, window, bar: QWidget):
        super().__init__(window)
        self.window = window
        self.print_button = self._button(bar, "printer", self.tr("Print"), self.tr("Print (Ctrl+P)"))
        self.export_button = self._button(bar, "file-export", self.tr("Export"), self.tr("Export (Ctrl+E)"))
        self.print_button.clicked.connect(self.print_current)
        self.export_button.clicked.connect(self.export_current)
        for keys, slot in (("Ctrl+P", self.print_current), ("Ctrl+E", self.export_current)):
            shortcut = QShortcut(QKeySequence(keys), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        window.page_changed.connect(lambda _key: self.update_buttons())

    @staticmethod
    def _button(bar: QWidget, icon_name: str, text: str, tip: str) -> QToolButton:
        b = QToolButton(bar)
        b.setIcon(icon(icon_name))
        b.setText(text)
        b.setToolTip(tip)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return b

    def _page(self) -> tuple[str | None, QWidget | None]:
        key = self.window.current_page_key()
        return key, (self.window.page_widget(key) if key else None)

    def can_print(self) -> bool:
        key, page = self._page()
        return callable(getattr(page, "print_document", None)) or key in LEDGERS

    def can_export(self) -> bool:
        key, page = self._page()
        return callable(getattr(page, "export_document", None)) or key in LEDGERS

    def update_buttons(self) -> None:
        self.print_button.setEnabled(self.can_print())
        self.export_button.setEnabled(self.can_export())

    def print_current(self) -> None:
        key, page = self._page()
        if callable(getattr(page, "print_document", None)):
            if getattr(page, "current_pdf", True) is None:  # 台账报表 with nothing generated yet: preview first
                page.generate()
            else:
                page.print_document()
        elif key in LEDGERS:
            reports = self.window.set_page(REPORTS_PAGE)
            reports.select_document(LEDGERS[key])
            reports.generate()

    def export_current(self):
        key, page = self._page()
        if callable(getattr(page, "export_document", None)):
            if getattr(page, "current_pdf", True) is None:
                page.generate()
                return None
            return page.export_document()
        if key in LEDGERS:
            from fupin_desktop.ui.views.exchange.dialogs import ExportDialog

            dlg = ExportDialog(self.window.services, self.window)
            dlg.open()
            return dlg
        return None
