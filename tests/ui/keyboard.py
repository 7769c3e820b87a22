"""Typing as a user does, for UI tests: ASCII as key presses, Chinese as an input method commits it (QTest's
keyClicks cannot send CJK text: Qt asserts)."""
from __future__ import annotations

import re

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    for chunk in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        if chunk.isascii():
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)
