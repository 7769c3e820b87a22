"""遮盖 / 公示 / 完整: the personal-data form of a file that leaves the laptop (上报表, county template…), one row of
three radio buttons for every dialog that writes such a file. ``form()`` gives the word the exchange functions take
("masked", "public", "full"); masked is the default (domain/privacy.py)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QButtonGroup, QHBoxLayout, QRadioButton, QVBoxLayout, QWidget

__all__ = ["PrivacyChoice"]


class PrivacyChoice(QWidget):
    """``masked`` / ``public`` / ``full`` radio buttons (attributes); ``changed(form)`` when the choice changes."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None, public_text: str, *, vertical: bool = True):
        super().__init__(parent)
        self.masked = QRadioButton(self.tr("Masked personal data (recommended)"), self)
        self.public = QRadioButton(public_text, self)
        self.full = QRadioButton(self.tr("Full ID numbers and phones"), self)
        self.masked.setChecked(True)
        group = QButtonGroup(self)
        box: QBoxLayout = QVBoxLayout(self) if vertical else QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        for b in (self.masked, self.public, self.full):
            group.addButton(b)
            box.addWidget(b)
            b.toggled.connect(lambda on: on and self.changed.emit(self.form()))
        if not vertical:
            box.addStretch(1)

    def form(self) -> str:
        return "public" if self.public.isChecked() else "full" if self.full.isChecked() else "masked"
