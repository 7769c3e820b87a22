"""Helpers for UI tests of forms built on ui.widgets.form_dialog.FormDialog."""
from __future__ import annotations

import pytest


@pytest.fixture
def save_form(qtbot):
    """``save_form(dialog)``: click 保存 as a user would and wait until the save in the write pool has finished.
    Returns True when the dialog closed accepted (saved), False when it stayed open (an error was shown)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    def save(dialog) -> bool:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
        return dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()

    return save
