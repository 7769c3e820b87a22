"""Auto-lock after idle minutes and on demand (Ctrl+L).

The lock is a separate full-screen window on top of everything: the main window and any open dialog stay alive
underneath, so unsaved form input survives, but nothing of the data is visible until the password is entered.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fupin_desktop.domain.errors import FupinError
from fupin_desktop.ui.widgets.field_error import FieldError

INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
                QEvent.Type.TouchBegin}


class LockScreen(QWidget):
    unlocked = Signal()

    def __init__(self, user_label: str, verify: Callable[[str], None]):
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.verify = verify
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setObjectName("lockScreen")
        self.setStyleSheet("#lockScreen { background: #2f3b4a; } QLabel { color: white; }")
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        title = QLabel(self.tr("Locked"))
        title.setStyleSheet("font-size: 22pt; font-weight: bold;")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        who = QLabel(self.tr("{user}, enter your password to continue").format(user=user_label))
        who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(who)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setFixedWidth(280)
        self.password.returnPressed.connect(self.try_unlock)
        layout.addWidget(self.password, alignment=Qt.AlignmentFlag.AlignCenter)
        self.error = FieldError()
        self.error.setStyleSheet("color: #ffb4a8;")
        # A word-wrapped label placed with an alignment gets its one-line size hint: a two-line message was
        # squeezed into one line. A fixed width in a row of stretches lets the layout ask heightForWidth.
        self.error.setFixedWidth(420)
        self.error.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.error)
        row.addStretch(1)
        layout.addLayout(row)
        button = QPushButton(self.tr("Unlock"))
        button.clicked.connect(self.try_unlock)
        layout.addWidget(button, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(3)

    def try_unlock(self) -> None:
        try:
            self.verify(self.password.text())
        except FupinError as exc:
            self.error.show_error(exc.message)
            self.password.clear()
            return
        self.password.clear()
        self.hide()
        self.unlocked.emit()

    def keyPressEvent(self, event) -> None:  # Esc must not dismiss the lock
        if event.key() != Qt.Key.Key_Escape:
            super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # neither may Alt+F4
        event.ignore()


class IdleLocker(QObject):
    """Watches input application-wide and shows the lock screen after ``minutes`` without any."""

    locked_changed = Signal(int)  # 1 locked / 0 unlocked (int: see ui.tasks NO_BOOL_THROUGH_SIGNALS)

    def __init__(self, user_label: str, verify: Callable[[str], None], minutes: int, parent=None):
        super().__init__(parent)
        self.screen = LockScreen(user_label, verify)
        self.screen.unlocked.connect(lambda: self.locked_changed.emit(0))
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        QApplication.instance().installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.screen.isVisible()

    def lock(self) -> None:
        if self.is_locked:
            return
        self.screen.showFullScreen()
        self.screen.raise_()
        self.screen.activateWindow()
        self.screen.password.setFocus()
        self.locked_changed.emit(1)

    def stop(self) -> None:
        """End the watch (the session is over): no timer, no filter, no lock window left behind."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.screen.hide()
        self.screen.deleteLater()

    def eventFilter(self, obj, event) -> bool:
        if event.type() in INPUT_EVENTS and not self.is_locked:
            self.timer.start()
        return False
