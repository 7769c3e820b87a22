"""``DateEdit``: a QDateEdit with a calendar pop-up that speaks ``datetime.date`` (and may be left empty)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtWidgets import QDateEdit, QWidget

_EMPTY = QDate(1900, 1, 1)


class DateEdit(QDateEdit):
    """``value()`` → ``datetime.date`` (None when ``allow_empty`` and nothing chosen); ``setValue(date | None)``.

    Defaults to today, as forms should (UI.md: sensible defaults). Display format 2024-05-03.
    """

    def __init__(self, parent: QWidget | None = None, *, allow_empty: bool = False, value: date | None = None):
        super().__init__(parent)
        self.allow_empty = allow_empty
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        if allow_empty:
            # The minimum date, shown as blank, stands for "no date".
            self.setMinimumDate(_EMPTY)
            self.setSpecialValueText(" ")
        else:
            self.setMinimumDate(QDate(1900, 1, 2))
        self.setMaximumDate(QDate(2100, 12, 31))
        self.setValue(value if value is not None or allow_empty else date.today())
        self.calendarWidget().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # An empty field would open the calendar in January 1900: open it on this month instead.
        if obj is self.calendarWidget() and event.type() == QEvent.Type.Show and self.value() is None:
            today = QDate.currentDate()
            obj.setCurrentPage(today.year(), today.month())
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        # Tab leaves the date in one press (QDateEdit would walk year → month → day first: "the date takes 3 Tabs");
        # the parts are still reached by typing (a "-" moves on) or with the arrow keys.
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not (
                event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)):
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            QWidget.focusNextPrevChild(self, forward)
            event.accept()
            return
        super().keyPressEvent(event)

    def value(self) -> date | None:
        d = self.date()
        if self.allow_empty and d == _EMPTY:
            return None
        return date(d.year(), d.month(), d.day())

    def setValue(self, value: date | None) -> None:
        if value is None:
            self.setDate(_EMPTY if self.allow_empty else QDate.currentDate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))

    def clear_value(self) -> None:
        self.setValue(None)
