"""Shared inputs. Import from here: ``from fupin_desktop.ui.widgets import MoneyEdit, DateEdit, …``."""
from fupin_desktop.ui.widgets.code_combo import CodeCombo
from fupin_desktop.ui.widgets.date_edit import DateEdit
from fupin_desktop.ui.widgets.field_error import FieldError, FormErrors, mark_invalid
from fupin_desktop.ui.widgets.idcard import IdNumberEdit
from fupin_desktop.ui.widgets.money import MoneyEdit
from fupin_desktop.ui.widgets.search import SearchBox
from fupin_desktop.ui.widgets.state import remember_splitter, restore_geometry, save_geometry, ui_settings

__all__ = [
    "CodeCombo", "DateEdit", "FieldError", "FormErrors", "IdNumberEdit", "MoneyEdit", "SearchBox",
    "mark_invalid", "remember_splitter", "restore_geometry", "save_geometry", "ui_settings",
]
