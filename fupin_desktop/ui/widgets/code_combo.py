"""``CodeCombo``: choose from a code list of ``domain/codes.py`` by label, with type-ahead.

Type the first characters of the label or its pinyin initials ("dy" → 第一书记) to jump to an item; the typed
letters are collected for a second, as in a file manager.
"""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QWidget

from fupin_desktop.domain import codes
from fupin_desktop.domain.text import matches_pinyin

_TYPEAHEAD_SECONDS = 1.0


def _initials(label: str) -> str:
    """Initials of every reading, space-separated (重点 → "zd cd td"): a heteronym matches either way."""
    try:
        from fupin_desktop.domain.text import initials_variants
    except ImportError:  # pragma: no cover - pypinyin is a dependency; keep the combo usable without it
        return ""
    return " ".join(initials_variants(label))


class CodeCombo(QComboBox):
    """``code()`` → the selected code (None for the empty entry); ``set_code(code)``; ``codeChanged(object)``.

    ``CodeCombo("cadre_role", only=["secretary", "member"], empty_text="")`` — ``only`` restricts and orders the
    items; ``empty_text`` (not None) adds a first "no choice" entry. An unknown code given to ``set_code`` is kept
    and shown as itself (data is never hidden).
    """

    codeChanged = Signal(object)

    def __init__(self, list_name: str | None = None, parent: QWidget | None = None, *,
                 only: list[str] | None = None, empty_text: str | None = None):
        super().__init__(parent)
        self._typed = ""
        self._typed_at = 0.0
        self._search_keys: list[tuple[str, str]] = []
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(6)
        self.currentIndexChanged.connect(lambda _i: self.codeChanged.emit(self.code()))
        if list_name:
            self.set_code_list(list_name, only=only, empty_text=empty_text)

    def set_code_list(self, list_name: str, *, only: list[str] | None = None, empty_text: str | None = None) -> None:
        code_list = codes.get(list_name)
        items = code_list.items()
        if only is not None:
            by_code = {i.code: i for i in items}
            items = [by_code[c] for c in only if c in by_code]
        self.set_items([(i.code, i.label) for i in items], empty_text=empty_text)

    def set_items(self, items: list[tuple[str, str]], *, empty_text: str | None = None) -> None:
        """Plain (code, label) pairs, for lists that are not in domain/codes.py (cadres, households…)."""
        self.blockSignals(True)
        self.clear()
        self._search_keys = []
        if empty_text is not None:
            self.addItem(empty_text, None)
            self._search_keys.append(("", ""))
        for code, label in items:
            self.addItem(label, code)
            self._search_keys.append((label.lower(), ""))  # initials computed on first type-ahead
        self.blockSignals(False)
        self.codeChanged.emit(self.code())

    def code(self) -> str | None:
        return self.currentData()

    def set_code(self, code: str | None) -> None:
        index = self.findData(code)
        if index < 0 and code is not None:
            self.addItem(code, code)
            self._search_keys.append((code.lower(), ""))
            index = self.count() - 1
        if index < 0:
            index = 0 if self.count() else -1
        self.setCurrentIndex(index)

    def _keys(self, i: int) -> tuple[str, str]:
        label, initials = self._search_keys[i]
        if label and not initials:
            initials = _initials(self.itemText(i)) or "\0"
            self._search_keys[i] = (label, initials)
        return label, initials

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if (self.isEditable() or not text or not text.isprintable() or text.isspace()
                or event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            super().keyPressEvent(event)
            return
        now = time.monotonic()
        self._typed = (self._typed if now - self._typed_at < _TYPEAHEAD_SECONDS else "") + text.lower()
        self._typed_at = now
        for i in range(len(self._search_keys)):
            label, initials = self._keys(i)
            if label.startswith(self._typed) or matches_pinyin(self._typed, initials):
                self.setCurrentIndex(i)
                break
        event.accept()
