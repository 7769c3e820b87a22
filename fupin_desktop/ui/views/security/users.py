"""用户管理 (administrators): add users with a role, reset a password, disable an account; change own password.
Every write runs in the write pool: the two forms are FormDialogs (errors under their field), disabling goes
through ``tasks.run_in_background(..., writes=True)``."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fupin_desktop.domain import codes
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.widgets.code_combo import CodeCombo
from fupin_desktop.ui.widgets.form_dialog import FormDialog
from fupin_desktop.ui.widgets.password import state_password_rule
from fupin_desktop.ui.widgets.state import restore_geometry, save_geometry
from fupin_desktop.ui.widgets.tables import fill_rows, plain_table


class UserFormDialog(FormDialog):
    state_key = "dialogs/user_add"

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Add user"))
        self.username = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.role = CodeCombo("role", self)
        self.role.set_code("member")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        state_password_rule(self.password)
        self.add_row(self.tr("User name"), self.username, "username")
        self.add_row(self.tr("Name"), self.display_name, "display_name")
        self.add_row(self.tr("Role"), self.role, "role")
        self.add_row(self.tr("Password"), self.password, "password")
        self.finish(420)

    def submit(self):
        return (self.services.users.create, self.username.text(), self.display_name.text(), self.role.code(),
                self.password.text())


class ResetPasswordDialog(FormDialog):
    """An administrator sets a new password for ``user`` (a UserDTO)."""

    state_key = "dialogs/user_reset"

    def __init__(self, services, user, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.user = user
        self.setWindowTitle(self.tr("Reset password"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        state_password_rule(self.password)
        self.add_row(self.tr("New password"), self.password, "new_password")
        self.finish(420)

    def submit(self):
        return self.services.users.reset_password, self.user.id, self.password.text()

    def after_save(self, outcome) -> None:
        messages.info(self.parentWidget() or self, self.tr("The password of {name} has been reset.").format(
            name=self.user.display_name))
        super().after_save(outcome)


class UsersDialog(QDialog):
    STATE = "dialogs/users"

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.task: tasks.Task | None = None
        self.setWindowTitle(self.tr("Users"))
        self.resize(640, 400)
        layout = QVBoxLayout(self)
        self.table = plain_table(self, [self.tr("User name"), self.tr("Name"), self.tr("Role"), self.tr("Status")])
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add user…"), self)
        self.add_button.clicked.connect(self.add_user)
        self.reset_button = QPushButton(self.tr("Reset password…"), self)
        self.reset_button.clicked.connect(self.reset_password)
        self.toggle_button = QPushButton(self.tr("Disable / enable"), self)
        self.toggle_button.clicked.connect(self.toggle_active)
        for b in (self.add_button, self.reset_button, self.toggle_button):
            row.addWidget(b)
        row.addStretch(1)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        restore_geometry(self, self.STATE)
        self.refresh()

    def refresh(self) -> None:
        self.users = self.services.users.list()
        fill_rows(self.table, [(u.username, u.display_name, codes.label("role", u.role),
                                self.tr("Active") if u.active else self.tr("Disabled")) for u in self.users])

    def _selected(self):
        r = self.table.currentRow()
        return self.users[r] if 0 <= r < len(self.users) else None

    def add_user(self) -> UserFormDialog:
        dlg = UserFormDialog(self.services, self)
        dlg.saved_outcome.connect(lambda _o: self.refresh())
        dlg.open()
        return dlg

    def reset_password(self) -> ResetPasswordDialog | None:
        u = self._selected()
        if u is None:
            return None
        dlg = ResetPasswordDialog(self.services, u, self)
        dlg.open()
        return dlg

    def toggle_active(self) -> None:
        u = self._selected()
        if u is None:
            return
        if u.active and not messages.confirm(
                self, self.tr("Disable the account of {name}? Its password will no longer open the data.")
                .format(name=u.display_name), self.tr("Disable"), destructive=True):
            return
        self.task = tasks.run_in_background(self.services.users.set_active, u.id, not u.active, parent=self,
                                            writes=True, on_success=lambda _o: self.refresh(),
                                            on_failure=lambda exc: messages.error(self, exc))

    def done(self, r: int) -> None:
        save_geometry(self, self.STATE)
        super().done(r)
