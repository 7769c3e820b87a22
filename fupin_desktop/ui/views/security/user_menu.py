"""The menu under the user's name in the top bar: change password, users, audit trail, backups, lock, about."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMenu, QVBoxLayout, QWidget,
)

from fupin_desktop import __version__, paths
from fupin_desktop.domain.errors import FupinError
from fupin_desktop.ui import messages
from fupin_desktop.ui.widgets.field_error import FieldError
from fupin_desktop.ui.widgets.password import state_password_rule


# lupdate reads the literal context of every translate("Context", "text") call.
translate = QCoreApplication.translate


class ChangePasswordDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Change password"))
        form = QFormLayout(self)
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.again = QLineEdit()
        for w in (self.old, self.new, self.again):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Current password"), self.old)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("New password again"), self.again)
        state_password_rule(self.new)
        self.error = FieldError()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        if self.new.text() != self.again.text():
            self.error.show_error(self.tr("The two new passwords differ"))
            return
        from fupin_desktop.ui import tasks

        self.error.clear_error()
        self.busy = True  # the password is changed (a write) in the write pool, never on the GUI thread
        self.setEnabled(False)
        tasks.run_in_background(self.services.users.change_own_password, self.old.text(), self.new.text(),
                                parent=self, writes=True, on_success=self._changed, on_failure=self._refused)

    busy = False

    def _changed(self, _outcome) -> None:
        self.busy = False
        self.setEnabled(True)
        super().accept()

    def _refused(self, exc: BaseException) -> None:
        from fupin_desktop.ui import tasks

        self.busy = False
        self.setEnabled(True)
        if isinstance(exc, FupinError):
            self.error.show_error(exc.message)
        else:
            tasks.report_error(self, exc)


class AboutDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("About"))
        layout = QVBoxLayout(self)
        encrypted = services.db.key is not None
        enc = (self.tr("The data is stored encrypted: it cannot be read without a password.") if encrypted
               else self.tr("The data is not encrypted."))
        text = QLabel(self.tr("Village Assistance Workbench\nVersion {version}\n\nData folder: {folder}\n{enc}")
                      .format(version=__version__, folder=paths.data_dir(), enc=enc))
        text.setWordWrap(True)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


def build_user_menu(window, services) -> QMenu:
    menu = QMenu(window)
    is_admin = services.ctx.actor.role == "admin"

    def open_dialog(factory):
        return lambda: factory(services, window).exec()

    menu.addAction(translate("UserMenu", "Change password…"), open_dialog(ChangePasswordDialog))
    if is_admin:  # the dialogs' modules (audit export, code lists…) are imported on the first click: start-up
        def users_dialog(services, parent):
            from fupin_desktop.ui.views.security.users import UsersDialog
            return UsersDialog(services, parent)

        def audit_dialog(services, parent):
            from fupin_desktop.ui.views.security.audit_view import AuditDialog
            return AuditDialog(services, parent)

        menu.addAction(translate("UserMenu", "Users…"), open_dialog(users_dialog))
        menu.addAction(translate("UserMenu", "Audit trail…"), open_dialog(audit_dialog))

    def backups():
        from fupin_desktop.ui import navigation

        dlg = navigation.backup_dialog(services, window)
        dlg.restored.connect(lambda: messages.info(window, translate("UserMenu", 
            "The data has been restored. Pages show the restored data after you switch to them.")))
        dlg.exec()
        if hasattr(window, "refresh_current_page"):
            window.refresh_current_page()

    menu.addAction(translate("UserMenu", "Backup and restore…"), backups)
    menu.addSeparator()
    menu.addAction(translate("UserMenu", "Lock (Ctrl+L)"), window.lock_requested.emit)
    menu.addAction(translate("UserMenu", "About…"), open_dialog(AboutDialog))
    return menu
