"""``DateEdit``: a QDateEdit with a calendar pop-up that speaks ``datetime.date`` (and may be left empty)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject
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
