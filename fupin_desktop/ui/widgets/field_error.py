"""Inline error messages under a field (UI.md: the message sits under the field, in plain Chinese).

``FieldError`` is the red label; ``FormErrors`` routes a service's ``ValidationError(field, message)`` to the
label of that field::

    self.errors = FormErrors()
    self.errors.add("division_code", self.code_edit, self.code_error)
    ...
    def _save_failed(self, exc):
        if not self.errors.show(exc):      # False: not a field of this form
            tasks.report_error(self, exc)
"""
from __future__ import annotations

import re

from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QWidget

from fupin_desktop.domain.errors import ValidationError


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Red border on an input (style sheet property ``invalid``)."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    st = widget.style()
    st.unpolish(widget)
    st.polish(widget)


class FieldError(QLabel):
    """A red, word-wrapped label, hidden while there is no error."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("FieldError")
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_error(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))

    def clear_error(self) -> None:
        self.setText("")
        self.hide()

    @property
    def has_error(self) -> bool:
        return bool(self.text())


def add_error_row(form: QFormLayout, label: str, widget: QWidget, errors: "FormErrors", field: str) -> FieldError:
    """One row of a form inside a page (record dialogs use ``FormDialog.add_row``): the label and the input, the
    error on the line under it, routed by ``field`` (the service's name)."""
    err = FieldError(widget.parentWidget())
    errors.add(field, widget, err)
    form.addRow(label, widget)
    form.addRow("", err)
    return err


def _candidates(field: str) -> list[str]:
    """"team[0].name" → ["team[0].name", "team[0]", "team"]: the most specific registered field wins."""
    out = [field]
    while True:
        m = re.match(r"^(.*)(\.[^.\[\]]+|\[\d+\])$", field)
        if not m:
            return out
        field = m.group(1)
        out.append(field)


class FormErrors:
    """Field name → (input widget, FieldError label)."""

    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget | None, FieldError]] = {}

    def add(self, field: str, widget: QWidget | None, label: FieldError) -> None:
        self._fields[field] = (widget, label)

    def clear(self) -> None:
        for widget, label in self._fields.values():
            label.clear_error()
            if widget is not None:
                mark_invalid(widget, False)

    def show(self, exc: BaseException, focus: bool = True) -> bool:
        """Show ``exc`` under its field; False when it is not a ValidationError of a known field."""
        if not isinstance(exc, ValidationError):
            return False
        for name in _candidates(exc.field):
            if name in self._fields:
                widget, label = self._fields[name]
                label.show_error(str(exc))
                if widget is not None:
                    mark_invalid(widget, True)
                    if focus:
                        widget.setFocus()
                return True
        return False

    def widget_for(self, field: str) -> QWidget | None:
        for name in _candidates(field):
            if name in self._fields:
                return self._fields[name][0]
        return None
