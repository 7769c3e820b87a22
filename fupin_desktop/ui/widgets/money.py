"""``MoneyEdit``: an amount in 元 (Decimal, two places) with its 万元 equivalent shown beside large sums."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import WAN, format_wan, format_yuan, parse_money
from fupin_desktop.ui.widgets.field_error import mark_invalid


class MoneyEdit(QWidget):
    """Accepts what people type: "1234.5", "1,234.50", "１２３４", "2.8万" (= 28,000.00 元).

    ``value()`` is a ``Decimal`` rounded to cents or None when empty; it raises ``ValidationError(field, …)`` for
    text that is not an amount. ``valueChanged(object)`` fires with the Decimal (or None) whenever a valid value
    changes; ``errorChanged(str)`` with the Chinese message ("" when fine), for a FieldError under the field.
    """

    valueChanged = Signal(object)
    errorChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, field: str = "amount", allow_negative: bool = False):
        super().__init__(parent)
        self.field = field
        self.allow_negative = allow_negative
        self._last: Decimal | None = None
        self._error = ""

        self.edit = QLineEdit(self)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.edit.setPlaceholderText("0.00")
        self.unit = QLabel(self.tr("yuan"), self)
        self.wan = QLabel(self)
        self.wan.setObjectName("Hint")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.unit)
        lay.addWidget(self.wan)
        self.setFocusProxy(self.edit)

        self.edit.textChanged.connect(self._on_text)
        self.edit.editingFinished.connect(self._reformat)

    # -- API --------------------------------------------------------------------------------------------------
    def value(self) -> Decimal | None:
        text = self.edit.text().strip()
        if not text:
            return None
        v = parse_money(text, self.field)
        if v < 0 and not self.allow_negative:
            raise ValidationError(self.field, self.tr("The amount cannot be negative"))
        return v

    def setValue(self, value: Decimal | int | str | None) -> None:
        self.edit.setText("" if value is None else format_yuan(value))

    def error_message(self) -> str:
        return self._error

    def is_valid(self) -> bool:
        return not self._error

    def lineEdit(self) -> QLineEdit:
        return self.edit

    # -- internals --------------------------------------------------------------------------------------------
    def _on_text(self, _text: str) -> None:
        try:
            v = self.value()
            error = ""
        except ValidationError as exc:
            v, error = None, str(exc)
        mark_invalid(self.edit, bool(error))
        if error != self._error:
            self._error = error
            self.errorChanged.emit(error)
        self.wan.setText(self.tr("(= {amount})").format(amount=format_wan(v)) if v is not None and abs(v) >= WAN
                         else "")
        if not error and v != self._last:
            self._last = v
            self.valueChanged.emit(v)

    def _reformat(self) -> None:
        if self._error or not self.edit.text().strip():
            return
        formatted = format_yuan(self.value())
        if formatted != self.edit.text():
            self.edit.setText(formatted)
