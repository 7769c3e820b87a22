"""``IdNumberEdit``: 身份证号 checked as it is typed, with the reason in Chinese right under the field."""
from __future__ import annotations

import unicodedata

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.idcard import IdCardNumber
from fupin_desktop.ui.widgets.field_error import FieldError, mark_invalid


def _normalize(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


class IdNumberEdit(QWidget):
    """While typing, only sure mistakes are shown (a letter among the digits); at 18 characters, or when the field
    is left, the number is fully checked (length, birth date, check character: "身份证号校验位不对，应为 X").

    Signals: ``parsed(birth_date: datetime.date, sex: str)`` when a valid number is complete (sex is a code of the
    ``sex`` list, for filling 出生日期 and 性别); ``validityChanged(int)``.
    ``value()`` → ``IdCardNumber`` or None when empty; raises ``ValidationError`` when invalid.
    """

    parsed = Signal(object, str)
    validityChanged = Signal(int)  # 1 valid / 0 not (int: see ui.tasks NO_BOOL_THROUGH_SIGNALS)

    def __init__(self, parent: QWidget | None = None, *, field: str = "id_number"):
        super().__init__(parent)
        self.field = field
        self.edit = QLineEdit(self)
        self.edit.setMaxLength(24)
        self.edit.setPlaceholderText(self.tr("18 digits; the last may be X"))
        self.error_label = FieldError(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.edit)
        lay.addWidget(self.error_label)
        self.setFocusProxy(self.edit)
        self._valid = True
        self._last_parsed: str | None = None
        self.edit.textChanged.connect(self._on_text)
        self.edit.editingFinished.connect(self._on_finished)

    # -- API --------------------------------------------------------------------------------------------------
    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str | None) -> None:
        self.edit.setText(text or "")
        self._on_finished()

    def value(self) -> IdCardNumber | None:
        if not _normalize(self.edit.text()):
            return None
        return IdCardNumber.parse(self.edit.text(), self.field)

    def is_valid(self) -> bool:
        return self._valid

    def error_message(self) -> str:
        return self.error_label.text()

    def lineEdit(self) -> QLineEdit:
        return self.edit

    # -- internals --------------------------------------------------------------------------------------------
    def _set_error(self, message: str) -> None:
        self.error_label.show_error(message)
        mark_invalid(self.edit, bool(message))
        valid = not message
        if valid != self._valid:
            self._valid = valid
            self.validityChanged.emit(int(valid))

    def _check_partial(self, value: str) -> str:
        for position, char in enumerate(value[:17], start=1):
            if not "0" <= char <= "9":
                return self.tr("Character {position} of the ID number (“{char}”) is not a digit").format(
                    position=position, char=char)
        return ""

    def _full_check(self, value: str) -> None:
        try:
            number = IdCardNumber.parse(value, self.field)
        except ValidationError as exc:
            self._set_error(str(exc))
            return
        self._set_error("")
        if number.value != self._last_parsed:
            self._last_parsed = number.value
            self.parsed.emit(number.birth_date, number.sex)

    def _on_text(self, text: str) -> None:
        value = _normalize(text)
        if len(value) >= 18:
            self._full_check(value)
        else:
            self._last_parsed = None
            self._set_error(self._check_partial(value))

    def _on_finished(self) -> None:
        value = _normalize(self.edit.text())
        if not value:
            self._last_parsed = None
            self._set_error("")
        else:
            self._full_check(value)
