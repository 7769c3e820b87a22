"""操作记录 (audit trail viewer): who did what when, filterable, exportable; the chain check on demand."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QVBoxLayout,
    QWidget,
)

from fupin_desktop.exchange.audit_text import export_audit_csv, render_value
from fupin_desktop.services.audit import ACTION_LABELS, AuditQuery
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.widgets.save_path import ask_save_path
from fupin_desktop.ui.widgets.tables import cell, plain_table

PAGE = 500


class AuditDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Audit trail"))
        self.resize(1100, 640)
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.user = QComboBox()
        self.user.addItem(self.tr("All users"), None)
        for name in services.audit.user_names():
            self.user.addItem(name, name)
        self.action = QComboBox()
        self.action.addItem(self.tr("All actions"), None)
        for code, label in ACTION_LABELS.items():
            self.action.addItem(label, code)
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Search in changes"))
        for w in (self.user, self.action, self.text):
            filters.addWidget(w)
        self.user.currentIndexChanged.connect(self.refresh)
        self.action.currentIndexChanged.connect(self.refresh)
        self.text.returnPressed.connect(self.refresh)
        filters.addStretch(1)
        verify = QPushButton(self.tr("Check integrity"))
        verify.clicked.connect(self._verify)
        export = QPushButton(self.tr("Export…"))
        export.clicked.connect(self._export)
        # Numbers are masked in the list and the CSV; a full export is a deliberate, audited choice.
        self.full_export = QCheckBox(self.tr("Export full ID and phone numbers"))
        filters.addWidget(verify)
        filters.addWidget(self.full_export)
        filters.addWidget(export)
        layout.addLayout(filters)
        self.count = QLabel()
        layout.addWidget(self.count)
        self.table = plain_table(self, [self.tr("Time"), self.tr("User"), self.tr("Action"), self.tr("Record"),
                                        self.tr("Changes")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.refresh()

    def query(self) -> AuditQuery:
        return AuditQuery(user_name=self.user.currentData(), action=self.action.currentData(),
                          text=self.text.text())

    def refresh(self) -> None:
        q = self.query()
        rows = self.services.audit.list(q, 0, PAGE)
        total = self.services.audit.count(q)
        self.count.setText(self.tr("{n} entries (newest {shown} shown)").format(n=total, shown=len(rows)))
        self.table.setRowCount(len(rows))
        names = self.services.audit.record_names(rows)
        for i, e in enumerate(rows):
            record = self.services.audit.record_text(e, names)
            for j, text in enumerate((f"{e.at:%Y-%m-%d %H:%M:%S}", e.user_name or "", e.action_label, record,
                                      e.detail_text() or e.changes_text(False, render_value, names))):
                # the whole change in the tooltip, one field a line
                self.table.setItem(i, j, cell(text, tip=text.replace("；", "\n") if j == 4 else None))

    def _verify(self) -> None:
        findings = self.services.audit.verify()
        if findings:
            messages.error(self, "\n".join(findings[:20]))
        else:
            messages.info(self, self.tr("The audit trail is complete and unchanged."))

    def _export(self) -> None:
        path = ask_save_path(self, self.tr("Export audit trail"), "操作记录.csv", "CSV (*.csv)")
        if path is not None:
            full = self.full_export.isChecked()
            if full and not messages.confirm(self, self.tr(
                    "The file will hold full ID and phone numbers. This export is recorded in the audit trail. "
                    "Continue?")):
                return
            tasks.run_in_background(export_audit_csv, self.services, str(path), self.query(), full, parent=self,
                                    on_success=lambda n: messages.file_saved(
                                        self, path, self.tr("{n} entries exported.").format(n=n)))
