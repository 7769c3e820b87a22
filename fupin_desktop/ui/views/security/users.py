"""用户管理 (administrators): add users with a role, reset a password, disable an account; change own password."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import FupinError
from fupin_desktop.ui import messages
from fupin_desktop.ui.widgets.code_combo import CodeCombo
from fupin_desktop.ui.widgets.field_error import FieldError
from fupin_desktop.ui.widgets.password import state_password_rule


class UserFormDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Add user"))
        form = QFormLayout(self)
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = CodeCombo("role")
        self.role.set_code("member")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Name"), self.display_name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Password"), self.password)
        state_password_rule(self.password)
        self.error = FieldError()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        try:
            self.services.users.create(self.username.text(), self.display_name.text(), self.role.code(),
                                       self.password.text())
        except FupinError as exc:
            self.error.show_error(exc.message)
            return
        super().accept()


class UsersDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Users"))
        self.resize(640, 400)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Name"), self.tr("Role"),
                                              self.tr("Status")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        for text, slot in ((self.tr("Add user…"), self._add), (self.tr("Reset password…"), self._reset),
                           (self.tr("Disable / enable"), self._toggle)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.users = self.services.users.list()
        self.table.setRowCount(len(self.users))
        for i, u in enumerate(self.users):
            for j, text in enumerate((u.username, u.display_name, codes.label("role", u.role),
                                      self.tr("Active") if u.active else self.tr("Disabled"))):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def _selected(self):
        r = self.table.currentRow()
        return self.users[r] if 0 <= r < len(self.users) else None

    def _add(self) -> None:
        if UserFormDialog(self.services, self).exec():
            self.refresh()

    def _reset(self) -> None:
        u = self._selected()
        if u is None:
            return
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("Reset password"))
        form = QFormLayout(dlg)
        pw = QLineEdit()
        pw.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("New password"), pw)
        state_password_rule(pw)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dlg.accept)
        buttons.rejected.connect(dlg.reject)
        form.addRow(buttons)
        if dlg.exec():
            try:
                self.services.users.reset_password(u.id, pw.text())
            except FupinError as exc:
                messages.error(self, exc)
                return
            messages.info(self, self.tr("The password of {name} has been reset.").format(name=u.display_name))

    def _toggle(self) -> None:
        u = self._selected()
        if u is None:
            return
        if u.active and not messages.confirm(
                self, self.tr("Disable the account of {name}? Its password will no longer open the data.")
                .format(name=u.display_name), self.tr("Disable"), destructive=True):
            return
        try:
            self.services.users.set_active(u.id, not u.active)
        except FupinError as exc:
            messages.error(self, exc)
        self.refresh()
