"""``HouseholdField``: one household chosen inside a form — type a name, pinyin initials, 户编号 or ID tail and the
matching households fill the list beside it (the first one chosen). ``ChooseHouseholdDialog`` is the same field in a
small dialog (choose one household, then do something with it). For choosing several households at once see
``household_chooser``."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from fupin_desktop.services.households import HouseholdQuery
from fupin_desktop.ui.widgets.search import SearchBox


class HouseholdField(QWidget):
    changed = Signal()

    def __init__(self, services, parent: QWidget | None = None, object_name: str = "HouseholdField"):
        super().__init__(parent)
        self.services = services
        self.setObjectName(object_name)
        self.search = SearchBox(self, self.tr("Find household: name, zs, number…"))
        self.search.setObjectName(f"{object_name}Search")
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"{object_name}Combo")
        self.combo.setMinimumWidth(260)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.search, 1)
        lay.addWidget(self.combo, 1)  # half each: the search hint reads in full
        self.search.searchChanged.connect(self.find)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.setFocusProxy(self.search)

    def find(self, text: str) -> None:
        self.combo.clear()
        if not text.strip():
            return
        for r in self.services.households.page(HouseholdQuery(text=text, sort="head_name"), 0, 30):
            self.combo.addItem(f"{r.head_name} · {r.group_name or ''} · {r.number}", r.id)

    def household_id(self) -> str | None:
        return self.combo.currentData()

    def set_household(self, household_id: str | None, fixed: bool = False) -> None:
        """Show this household (``fixed``: the search is hidden, the form is about this one household)."""
        self.combo.clear()
        if household_id:
            h = self.services.households.get(household_id)
            self.combo.addItem(f"{h.head_name} · {h.group_name or ''} · {h.number}", h.id)
        self.search.setVisible(not fixed)


class ChooseHouseholdDialog(QDialog):
    """Choose one household by name, pinyin initials, 户编号 or ID tail; Enter or 选择 emits ``chosen(id)``."""

    chosen = Signal(str)

    def __init__(self, services, parent: QWidget | None = None, title: str | None = None,
                 prompt: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("Choose a household"))
        self.setMinimumWidth(560)
        self.field = HouseholdField(services, self, "ChooseHousehold")
        self.search = self.field.search
        self.search.submitted.connect(lambda _t: self._accept_current())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Choose"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self._accept_current)
        buttons.rejected.connect(self.reject)
        self.field.changed.connect(lambda: self.ok_button.setEnabled(self.field.household_id() is not None))
        self.ok_button.setEnabled(False)
        lay = QVBoxLayout(self)
        if prompt:
            lay.addWidget(QLabel(prompt, self))
        lay.addWidget(self.field)
        lay.addWidget(buttons)
        self.field.setFocus()

    def _accept_current(self) -> None:
        household_id = self.field.household_id()
        if household_id is None:
            return
        self.chosen.emit(household_id)
        self.accept()
