"""``SearchBox``: a line edit with a search icon, a clear button and a debounced ``searchChanged`` signal."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from fupin_desktop.ui.icons import icon

DEBOUNCE_MS = 250


class SearchBox(QLineEdit):
    """``searchChanged(str)`` fires 250 ms after typing stops (and at once on Enter); ``submitted(str)`` on Enter.
    Esc clears the box."""

    searchChanged = Signal(str)
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None, placeholder: str | None = None):
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        if placeholder:
            self.setPlaceholderText(placeholder)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self.textChanged.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self._submit)
        self._last: str | None = None

    def query(self) -> str:
        return self.text().strip()

    def set_query(self, text: str) -> None:
        """Put ``text`` in the box without emitting ``searchChanged`` (the caller applies it itself)."""
        self.setText(text)
        self._timer.stop()
        self._last = self.query()

    def _emit(self) -> None:
        q = self.query()
        if q != self._last:
            self._last = q
            self.searchChanged.emit(q)

    def _submit(self) -> None:
        self._timer.stop()
        self._emit()
        self.submitted.emit(self.query())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)
