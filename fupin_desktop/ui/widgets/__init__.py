"""Shared inputs. Import from here: ``from fupin_desktop.ui.widgets import MoneyEdit, DateEdit, …``.

Each name is imported when first asked for (PEP 562): the sign-in window needs only FieldError, and importing every
widget (code lists, pinyin type-ahead…) cost start-up time. Add a widget: one entry in ``_WHERE`` (name → module).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "CodeCombo": "code_combo",
    "DateEdit": "date_edit",
    "FieldError": "field_error", "FormErrors": "field_error", "mark_invalid": "field_error",
    "IdNumberEdit": "idcard",
    "MoneyEdit": "money",
    "SearchBox": "search",
    "remember_splitter": "state", "restore_geometry": "state", "save_geometry": "state", "ui_settings": "state",
}

__all__ = sorted(_WHERE)

if TYPE_CHECKING:  # for readers and IDEs
    from fupin_desktop.ui.widgets.code_combo import CodeCombo
    from fupin_desktop.ui.widgets.date_edit import DateEdit
    from fupin_desktop.ui.widgets.field_error import FieldError, FormErrors, mark_invalid
    from fupin_desktop.ui.widgets.idcard import IdNumberEdit
    from fupin_desktop.ui.widgets.money import MoneyEdit
    from fupin_desktop.ui.widgets.search import SearchBox
    from fupin_desktop.ui.widgets.state import remember_splitter, restore_geometry, save_geometry, ui_settings


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
