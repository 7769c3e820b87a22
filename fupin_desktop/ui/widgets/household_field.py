"""``HouseholdField``: one household chosen inside a form — type a name, pinyin initials, 户编号 or ID tail and the
matching households fill the list beside it (the first one chosen). For choosing several households at once see
the household chooser of the donations/purchases forms."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

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
