"""Sign-in before the database opens: the first administrator (with the recovery key shown once), login, and
recovery with the key printed at set-up."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.errors import FupinError, ValidationError
from fupin_desktop.services.access import AccessManager, OpenedStore
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.widgets.field_error import FieldError
from fupin_desktop.ui.widgets.password import state_password_rule


class LoginDialog(QDialog):
    """``mode`` "setup" creates the administrator; "login" signs in. ``store`` holds the result when accepted."""

    def __init__(self, access: AccessManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.access = access
        self.setup_mode = access.needs_setup()
        self.store: OpenedStore | None = None
        self.failure: BaseException | None = None  # an unexpected error while opening the data
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Set up the administrator") if self.setup_mode else self.tr("Sign in"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Village Assistance Workbench"))
        f = QFont(title.font())
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        title.setFont(f)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        if self.setup_mode:
            hint = QLabel(self.tr("First start: create the administrator account (usually the first secretary). "
                                  "The data on this computer will be encrypted with this password."))
            hint.setWordWrap(True)
            layout.addWidget(hint)
            if not self.access.on_server:
                taking_over = QLabel(self.tr("Taking over from the previous work team? Click “Receive a handover "
                                             "package…” and open their data with the code on the handover list."))
                taking_over.setObjectName("Hint")
                taking_over.setWordWrap(True)
                layout.addWidget(taking_over)
        form = QFormLayout()
        if self.setup_mode:
            self.username = QLineEdit()
            self.username.setPlaceholderText(self.tr("e.g. zhang"))
            self.display_name = QLineEdit()
            self.display_name.setPlaceholderText(self.tr("e.g. 张书记"))
            form.addRow(self.tr("User name"), self.username)
            form.addRow(self.tr("Your name"), self.display_name)
        else:
            self.username = QComboBox()
            self.username.setEditable(True)
            self.username.addItems(self.access.usernames())
            form.addRow(self.tr("User name"), self.username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Password"), self.password)
        if self.setup_mode:
            state_password_rule(self.password)
            self.password2 = QLineEdit()
            self.password2.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(self.tr("Password again"), self.password2)
        layout.addLayout(form)
        self.error = FieldError()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(self.tr("Create and open") if self.setup_mode else self.tr("Sign in"),
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        # Set-up on a laptop that has only backup files (the old one died): the recovery key opens a backup.
        self.recover_button = QPushButton(self.tr("Restore from a backup…") if self.setup_mode
                                          else self.tr("Forgot password…"))
        self.recover_button.clicked.connect(self._recover)
        buttons.addButton(self.recover_button, QDialogButtonBox.ButtonRole.ResetRole)
        # Set-up on the next team's laptop: the previous team's handover package becomes this folder's data.
        self.receive_button = QPushButton(self.tr("Receive a handover package…"))
        self.receive_button.setVisible(self.setup_mode and not self.access.on_server)
        self.receive_button.clicked.connect(self._receive)
        buttons.addButton(self.receive_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ok.setDefault(True)
        self.password.setFocus()

    def _user(self) -> str:
        w = self.username
        return (w.currentText() if isinstance(w, QComboBox) else w.text()).strip()

    def accept(self) -> None:
        """Enter / the OK button: the password becomes the key (scrypt, ~0.1–0.3 s) and the data opens, off the
        GUI thread; the window shows that it is busy meanwhile."""
        self.error.clear_error()
        user, password = self._user(), self.password.text()
        if self.setup_mode:
            if password != self.password2.text():
                self._failed(ValidationError("password2", self.tr("The two passwords differ")))
                return
            name = self.display_name.text()
            work = lambda: self.access.create_admin(user, name, password)  # noqa: E731
        else:
            work = lambda: self.access.login(user, password)  # noqa: E731
        self._set_busy(True)
        tasks.run_in_background(work, on_success=self._opened, on_failure=self._failed, parent=self, writes=True)

    def _set_busy(self, busy: bool) -> None:
        for w in self.findChildren(QWidget):
            if isinstance(w, (QLineEdit, QComboBox, QPushButton)):
                w.setEnabled(not busy)
        if busy:
            self._ok_text = self.ok.text()
            self.ok.setText(self.tr("Opening…"))
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.ok.setText(getattr(self, "_ok_text", self.ok.text()))
            self.unsetCursor()

    def _opened(self, store: OpenedStore) -> None:
        self._set_busy(False)
        self.store = store
        if self.setup_mode and store.recovery_code:  # none on a PostgreSQL server (no key wrappings there)
            show_recovery_code(store.recovery_code, self)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(exc, FupinError):  # not her typing: the data cannot be opened (start-up explains it)
            self.failure = exc
            self.reject()
            return
        self.error.show_error(exc.message)
        self.password.selectAll()
        self.password.setFocus()

    def _receive(self) -> None:
        from fupin_desktop.ui.views.security.receive_handover import ReceiveHandoverDialog

        dlg = ReceiveHandoverDialog(self.access, self)
        self.last_dialog = dlg
        dlg.accepted.connect(lambda: self._handover_received(dlg))
        dlg.open()  # window-modal over the set-up window

    def _handover_received(self, dlg) -> None:
        if dlg.store is not None:
            self.store = dlg.store
            super().accept()

    def _recover(self) -> None:
        dlg = RecoveryDialog(self.access, self._user(), self, with_backup=self.setup_mode)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.store is not None:
            self.store = dlg.store
            super().accept()


def show_recovery_code(code: str, parent: QWidget | None) -> None:
    """Module-level so tests can replace the modal window."""
    RecoveryCodeDialog(code, parent).exec()


class RecoveryCodeDialog(QDialog):
    """Shown once at set-up: the recovery key for the township to keep."""

    def __init__(self, code: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Recovery key"))
        layout = QVBoxLayout(self)
        text = QLabel(self.tr("Write this recovery key down (or print this window) and give it to the township "
                              "to keep. If every password is forgotten, only this key can open the data. "
                              "It is shown only now."))
        text.setWordWrap(True)
        layout.addWidget(text)
        self.code_label = QLabel(code)
        f = QFont("monospace")
        f.setPointSize(16)
        f.setBold(True)
        self.code_label.setFont(f)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.code_label)
        self._code = code
        # the text says "write it down (or print this window)": both within reach here
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.clicked.connect(self.copy)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.clicked.connect(self.print_dialog)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.copy_button)
        row.addWidget(self.print_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.copied = QLabel()
        self.copied.setObjectName("Hint")
        self.copied.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.copied)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("I have written it down"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self._code)
        self.copied.setText(self.tr("Copied. Paste it into a document to print, and do not keep it on this laptop."))

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer) -> None:
        """One page: what the key is for, and the key in large letters."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setDefaultFont(QFont(self.font().family(), 12))
        doc.setHtml("<h2>{title}</h2><p>{text}</p><p style='font-size:20pt; font-family:monospace'><b>{code}</b></p>"
                    .format(title=self.tr("Recovery key"), text=self.tr(
                        "If every password is forgotten, only this key can open the data. Keep it at the township, "
                        "away from the laptop."), code=self._code))
        doc.print_(printer)


class RecoveryDialog(QDialog):
    """The recovery key opens the data with a new password; with a backup file chosen, it restores that backup
    (keys.json lost, or a new laptop with only the backup files: AccessManager.restore_with_recovery)."""

    def __init__(self, access: AccessManager, username: str, parent: QWidget | None = None,
                 with_backup: bool = False):
        super().__init__(parent)
        self.access = access
        self.store: OpenedStore | None = None
        self.setWindowTitle(self.tr("Open with the recovery key"))
        self.setMinimumWidth(520)  # the 29-character key and the backup's file name show whole
        form = QFormLayout(self)
        self.username = QLineEdit(username)
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.new_password = QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Recovery key"), self.code)
        form.addRow(self.tr("New password"), self.new_password)
        state_password_rule(self.new_password)
        self.backup = QLineEdit()
        self.backup.setPlaceholderText(self.tr("fupin-….sqlite3 (only to restore a backup)"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_backup)
        row = QHBoxLayout()
        row.addWidget(self.backup, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Backup file"), row)
        if not with_backup:
            self.backup.hide()
            browse.hide()
            form.labelForField(row).hide()
        self.error = FieldError()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _choose_backup(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a backup"), "",
                                              self.tr("Backups (*.sqlite3)"))
        if path:
            self.backup.setText(path)

    busy = False

    def accept(self) -> None:
        """OK: the key check, the new password's key wrapping (scrypt) and a restore write the store: they run in
        the write pool while the dialog shows that it is busy; a refusal shows under the fields."""
        if self.busy:
            return
        self.error.clear_error()
        backup = self.backup.text().strip()
        code, user, password = self.code.text(), self.username.text().strip(), self.new_password.text()
        if backup:
            work = lambda: self.access.restore_with_recovery(Path(backup), code, user, password)  # noqa: E731
        else:
            work = lambda: self.access.recover(code, user, password)  # noqa: E731
        self._set_busy(True)
        tasks.run_in_background(work, on_success=lambda store: self._recovered(store, bool(backup)),
                                on_failure=self._failed, parent=self, writes=True)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in self.findChildren(QWidget):
            if isinstance(w, (QLineEdit, QPushButton)):
                w.setEnabled(not busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def reject(self) -> None:
        if not self.busy:  # Esc while the key is being checked would leave the store half-opened
            super().reject()

    def _recovered(self, store: OpenedStore, restored: bool) -> None:
        self._set_busy(False)
        self.store = store
        messages.info(self, self.tr("The backup has been restored and the password set.") if restored
                      else self.tr("The password has been reset."))
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, FupinError):
            self.error.show_error(exc.message)
        else:
            self.error.show_error(self.tr("The data could not be opened: {reason}").format(reason=exc))
