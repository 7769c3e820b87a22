"""接收交接包 from the set-up window (first start on the successor's laptop): choose the package, type the 交接码
printed on the 交接清单, then the new administrator; the package is opened into the empty data folder in the
write pool with progress (exchange.handover_receive, the same steps as ``fupin-desktop receive``).

The code is checked first (nothing is written when it is wrong); the data folder's key comes from the new
administrator's password, so she is asked before the package is opened into the folder.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from fupin_desktop.domain.errors import FupinError, ValidationError
from fupin_desktop.services.access import AccessManager, OpenedStore
from fupin_desktop.ui import tasks
from fupin_desktop.ui.widgets.field_error import FieldError
from fupin_desktop.ui.widgets.password import state_password_rule


class ReceiveHandoverDialog(QDialog):
    """``store`` holds the new administrator's opened data when accepted; ``received`` the result."""

    def __init__(self, access: AccessManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.access = access
        self.store: OpenedStore | None = None
        self.received = None
        self.info = None  # HandoverInfo once the code opened the package
        self.busy = False
        self.setWindowTitle(self.tr("Receive a handover package"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "The previous work team handed the village over with a handover package (.fupin-handover) and a "
            "handover list (交接清单) on which the handover code is printed. The package is opened into this "
            "computer's new, empty data folder; you become its administrator."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.file = QLineEdit(self)
        self.file.setPlaceholderText(self.tr("…/村名-交接-日期.fupin-handover"))
        self.browse = QPushButton(self.tr("Choose…"), self)
        self.browse.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(self.browse)
        form.addRow(self.tr("Handover package"), row)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX")
        form.addRow(self.tr("Handover code"), self.code)
        layout.addLayout(form)
        self.check_button = QPushButton(self.tr("Check the code"), self)
        self.check_button.clicked.connect(self.check)
        check_row = QHBoxLayout()
        check_row.addStretch(1)
        check_row.addWidget(self.check_button)
        layout.addLayout(check_row)
        self.error = FieldError(self)
        layout.addWidget(self.error)
        self.summary = QLabel(self)
        self.summary.setObjectName("HandoverSummary")
        self.summary.setWordWrap(True)
        self.summary.setVisible(False)
        layout.addWidget(self.summary)

        self.admin_box = QGroupBox(self.tr("The new administrator (you, the receiving team)"), self)
        admin = QFormLayout(self.admin_box)
        self.username = QLineEdit(self.admin_box)
        self.username.setPlaceholderText(self.tr("e.g. zhang"))
        self.display_name = QLineEdit(self.admin_box)
        self.display_name.setPlaceholderText(self.tr("e.g. 张书记"))
        self.password = QLineEdit(self.admin_box)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        state_password_rule(self.password)
        self.password2 = QLineEdit(self.admin_box)
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        admin.addRow(self.tr("User name"), self.username)
        admin.addRow(self.tr("Your name"), self.display_name)
        admin.addRow(self.tr("Password"), self.password)
        admin.addRow(self.tr("Password again"), self.password2)
        self.admin_box.setEnabled(False)
        layout.addWidget(self.admin_box)

        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("Receive and open"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setEnabled(False)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.file.textChanged.connect(self._input_changed)
        self.code.textChanged.connect(self._input_changed)

    # -- step 1: the package and its code ----------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the handover package"), "",
                                              self.tr("Handover packages (*.fupin-handover)"))
        if path:
            self.file.setText(path)
            self.code.setFocus()

    def _input_changed(self) -> None:
        """Another file or code: it has to be checked again."""
        self.info = None
        self.summary.setVisible(False)
        self.admin_box.setEnabled(False)
        self.ok.setEnabled(False)

    def check(self) -> None:
        from fupin_desktop.exchange.handover_receive import check_handover, folder_problem

        self.error.clear_error()
        path, code = self.file.text().strip(), self.code.text().strip()
        if not path or not code:
            self.error.show_error(self.tr("Choose the handover package and type the handover code printed on the "
                                          "handover list."))
            return
        problem = folder_problem(self.access.data_dir)
        if problem:
            self.error.show_error(self.tr("A handover can only be received into an empty data folder: {folder} "
                                          "holds {what}.").format(folder=self.access.data_dir, what=problem))
            return
        self._set_busy(True)
        tasks.run_in_background(check_handover, path, code, on_success=self._checked, on_failure=self._failed,
                                parent=self)

    def _checked(self, info) -> None:
        self._set_busy(False)
        self.info = info
        self.summary.setText(self.tr("Code correct. Package of {village}: {records} records, handed over by "
                                     "{by} on {created}. Now set up yourself as the administrator.").format(
            village=info.village, records=info.records, by=info.handed_by or self.tr("unknown"),
            created=info.created[:10]))
        self.summary.setVisible(True)
        self.admin_box.setEnabled(True)
        self.ok.setEnabled(True)
        self.username.setFocus()

    # -- step 2: the new administrator, then the package into the folder ---------------------------------------
    def accept(self) -> None:
        from fupin_desktop.exchange.handover_receive import receive_handover

        if self.busy or self.info is None:
            return
        self.error.clear_error()
        if self.password.text() != self.password2.text():
            self._failed(ValidationError("password2", self.tr("The two passwords differ")))
            return
        self._set_busy(True)
        tasks.run_in_background(
            receive_handover, self.access, self.file.text().strip(), self.code.text().strip(),
            self.username.text().strip(), self.display_name.text().strip() or None, self.password.text(),
            on_success=self._received, on_failure=self._failed, parent=self, writes=True,
            progress_title=self.tr("Receiving the handover package"))

    def _received(self, received) -> None:
        from fupin_desktop.ui.views.security.login import show_recovery_code

        self._set_busy(False)
        self.received = received
        self.store = received.store
        if received.store.recovery_code:
            show_recovery_code(received.store.recovery_code, self)
        super().accept()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in (self.file, self.browse, self.code, self.check_button, self.admin_box, self.ok):
            w.setEnabled(not busy and (w not in (self.admin_box, self.ok) or self.info is not None))
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def reject(self) -> None:
        if not self.busy:
            super().reject()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, FupinError):
            self.error.show_error(exc.message)
        else:
            self.error.show_error(self.tr("The package could not be received: {reason}").format(reason=exc))
