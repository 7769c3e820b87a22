"""Window geometry and splitter positions, remembered across starts under fixed keys.

Stored with QSettings in an INI file in the data folder (``ui-state.ini``: it travels with a portable copy and
never touches the Windows registry). Keys are fixed strings chosen by the caller, e.g. ``"households/splitter"``
or ``"dialogs/household_edit"``; never derive them from translated text.

    remember_splitter(self.splitter, "households/splitter")   # restores now, saves on every move
    restore_geometry(dialog, "dialogs/household_edit")          # in __init__
    save_geometry(dialog, "dialogs/household_edit")             # in done()/closeEvent
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter, QWidget

from fupin_desktop import paths

STATE_FILE = "ui-state.ini"


def ui_settings() -> QSettings:
    """A QSettings on ``<data folder>/ui-state.ini`` (cheap to create; create one per use)."""
    return QSettings(str(paths.data_dir() / STATE_FILE), QSettings.Format.IniFormat)


def _bytes(value) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, (bytes, bytearray)) and value:
        return QByteArray(bytes(value))
    return None


def restore_geometry(widget: QWidget, key: str) -> bool:
    data = _bytes(ui_settings().value(f"{key}/geometry"))
    return bool(data) and widget.restoreGeometry(data)


def save_geometry(widget: QWidget, key: str) -> None:
    s = ui_settings()
    s.setValue(f"{key}/geometry", widget.saveGeometry())
    s.sync()


def restore_splitter(splitter: QSplitter, key: str) -> bool:
    data = _bytes(ui_settings().value(f"{key}/state"))
    return bool(data) and splitter.restoreState(data)


def save_splitter(splitter: QSplitter, key: str) -> None:
    s = ui_settings()
    s.setValue(f"{key}/state", splitter.saveState())


def remember_splitter(splitter: QSplitter, key: str) -> None:
    """Restore the splitter's position now and save it whenever the user moves it."""
    restore_splitter(splitter, key)
    splitter.splitterMoved.connect(lambda *_: save_splitter(splitter, key))


def value(key: str, default=None):
    return ui_settings().value(key, default)


def set_value(key: str, v) -> None:
    ui_settings().setValue(key, v)
