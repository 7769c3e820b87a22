"""``SensitiveField``: a 身份证号, phone or bank account shown masked; the full number only on an audited action.

A stored number is shown masked and read-only (the form never receives the full value). "Show / edit" calls the
``reveal`` callback — normally ``services.audit.reveal(entity, id, field)``, which checks the role and writes a
"view_full" audit entry — and puts the full value into an editable field. An empty field is typed into directly
(a new number needs no reveal). ``value()`` returns the typed or revealed-and-changed number, None when emptied,
or ``KEEP`` ("unchanged"), which the services resolve to the stored value.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fupin_desktop.domain.errors import FupinError
from fupin_desktop.domain.privacy import mask_bank, mask_id, mask_phone
from fupin_desktop.services.base import KEEP
from fupin_desktop.ui.widgets.field_error import FieldError
from fupin_desktop.ui.widgets.idcard import IdNumberEdit

MASKS = {"id": mask_id, "phone": mask_phone, "bank": mask_bank}


class SensitiveField(QWidget):
    """``kind`` is "id", "phone" or "bank". Signals: ``parsed(birth, sex)`` (ID kind, as IdNumberEdit),
    ``revealed()`` after a successful reveal, ``changed()`` when the value may have changed."""

    parsed = Signal(object, str)
    revealed = Signal()
    changed = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None, *, field: str = "", editable: bool = True):
        super().__init__(parent)
        self.kind = kind
        self._editable = editable
        self._read_only = False
        self._stored = False        # a number is stored and has not been revealed
        self._revealed: str | None = None  # the full value as revealed (to tell "unchanged" from an edit)
        self._reveal: Callable[[], str] | None = None
        self.revealing = False  # a reveal is running in the write pool
        if kind == "id":
            self.id_edit: IdNumberEdit | None = IdNumberEdit(self, field=field or "id_number")
            self.id_edit.parsed.connect(self.parsed)
            self.edit = self.id_edit.edit
            self.error_label = self.id_edit.error_label
            editor: QWidget = self.id_edit
        else:
            self.id_edit = None
            self.edit = QLineEdit(self)
            self.edit.setMaxLength(32)
            self.error_label = FieldError(self)
            editor = self.edit
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.masked = QLineEdit(self)
        self.masked.setObjectName("MaskedValue")
        self.masked.setReadOnly(True)
        self.masked.setToolTip(self.tr("Masked. Showing the full number is recorded in the audit trail."))
        self.reveal_button = QPushButton(self.tr("Show / edit"), self)
        self.reveal_button.setObjectName("RevealButton")
        self.reveal_button.clicked.connect(self.reveal)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.masked, 1)
        row.addWidget(editor, 1)
        row.addWidget(self.reveal_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(row)
        if self.id_edit is not None:  # one message line under the whole field, visible while masked too
            self.id_edit.layout().removeWidget(self.error_label)
        lay.addWidget(self.error_label)
        self.set_masked("")

    # -- API --------------------------------------------------------------------------------------------------
    def set_reveal(self, callback: Callable[[], str] | None) -> None:
        """``callback()`` → the full value (audited by the service); raises FupinError when not allowed."""
        self._reveal = callback

    def set_stored(self, value: str | None) -> None:
        """Show a stored number masked. Prefer ``set_masked`` with an already masked text where possible."""
        self.set_masked(MASKS[self.kind](value) if value else "")

    def set_masked(self, masked: str) -> None:
        """Show the masked text of the stored number ("" when nothing is stored: the field is typed into)."""
        self._stored = bool(masked)
        self._revealed = None
        self.error_label.clear_error()
        self.masked.setText(masked)
        self.edit.blockSignals(True)
        self.edit.clear()
        self.edit.blockSignals(False)
        if self.id_edit is not None:
            self.id_edit.setText("")
        self._update()
        self.changed.emit()

    def reveal(self) -> None:
        """Ask for the full value. The callback writes an audit entry, so it runs in the write pool (never on the
        GUI thread); ``revealing`` is True meanwhile, then ``revealed`` is emitted — or, on refusal, the Chinese
        reason is shown under the field."""
        if not self._stored or self.revealing:
            return
        self.error_label.clear_error()
        if self._reveal is None:
            return
        from fupin_desktop.ui import tasks

        self.revealing = True
        self.reveal_button.setEnabled(False)
        tasks.run_in_background(self._reveal, parent=self, writes=True, on_success=self._show_full,
                                on_failure=self._refused)

    def _refused(self, exc: BaseException) -> None:
        from fupin_desktop.ui import tasks

        self.revealing = False
        self.reveal_button.setEnabled(True)
        if isinstance(exc, FupinError):
            self.error_label.show_error(str(exc))
        else:
            tasks.report_error(self, exc)

    def _show_full(self, value: str | None) -> None:
        self.revealing = False
        self.reveal_button.setEnabled(True)
        value = value or ""
        self._stored = False
        self._revealed = value.strip()
        if self.id_edit is not None:
            self.id_edit.setText(value)
        else:
            self.edit.setText(value)
        self._update()
        self.revealed.emit()

    def is_masked(self) -> bool:
        return self._stored

    def value(self):
        """``KEEP`` while the stored number is unchanged (masked, or revealed and not edited); else the text
        (None when empty)."""
        if self._stored:
            return KEEP
        text = self.edit.text().strip()
        if self._revealed is not None and (text == self._revealed or not self._editable):
            return KEEP
        return text or None

    def text(self) -> str:
        """What the editor holds ("" while masked)."""
        return self.edit.text()

    def is_valid(self) -> bool:
        return self._stored or self.id_edit is None or self.id_edit.is_valid()

    def error_message(self) -> str:
        return self.error_label.text()

    def set_plain(self, value: str | None) -> None:
        """An unsaved number the user typed in this session (e.g. a member of a household not saved yet)."""
        self.set_masked("")
        self.edit.setText(value or "")

    def set_editable(self, on: bool) -> None:
        """False: a revealed number is shown but cannot be changed here (e.g. the head's ID, kept by the member)."""
        self._editable = on
        self._update()

    def setReadOnly(self, on: bool) -> None:
        """Read-only: the number can still be revealed (the service decides), not changed."""
        self._read_only = on
        self._update()

    def setFocus(self) -> None:  # noqa: N802 - Qt naming
        (self.reveal_button if self._stored else self.edit).setFocus()

    # -- internals --------------------------------------------------------------------------------------------
    def _update(self) -> None:
        self.masked.setVisible(self._stored)
        (self.id_edit or self.edit).setVisible(not self._stored)
        self.reveal_button.setVisible(self._stored)
        self.edit.setReadOnly(self._read_only or (self._revealed is not None and not self._editable))
