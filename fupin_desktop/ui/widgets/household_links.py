"""``HouseholdLinks``: the households a record is about, typed in place (a name, pinyin initials or 户编号; Enter or a
click adds the household) — used by the diary editor. Choosing in a dialog with ticks: ``household_chooser``; one
household: ``household_field``."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from fupin_desktop.ui.widgets.search import SearchBox

MAX_RESULTS = 12


class HouseholdLinks(QWidget):
    """``ids()`` → chosen household ids; ``set_households([(id, name, number)])``; ``changed()``."""

    changed = Signal()

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.search = SearchBox(self, self.tr("Type a name, pinyin initials or household number"))
        self.results = QListWidget(self)
        self.results.setMaximumHeight(96)
        self.results.hide()
        self.chosen = QListWidget(self)
        self.chosen.setMaximumHeight(72)
        self.chosen.setToolTip(self.tr("Double-click to remove"))
        self.remove_button = QPushButton(self.tr("Remove"), self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.search)
        lay.addWidget(self.results)
        row = QHBoxLayout()
        row.addWidget(self.chosen, 1)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(row)
        self.search.searchChanged.connect(self._find)
        self.search.submitted.connect(self._add_first)
        self.results.itemClicked.connect(self._add_item)
        self.results.itemActivated.connect(self._add_item)
        self.chosen.itemDoubleClicked.connect(lambda _i: self._remove())
        self.remove_button.clicked.connect(self._remove)

    def ids(self) -> tuple[str, ...]:
        return tuple(self.chosen.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.chosen.count()))

    def set_households(self, households) -> None:
        self.chosen.clear()
        for h in households:
            self._append(h.id if hasattr(h, "id") else h[0], *(
                (h.head_name, h.number) if hasattr(h, "head_name") else (h[1], h[2])))
        self.search.clear()
        self.results.clear()
        self.results.hide()

    def _append(self, hid: str, name: str, number: str) -> None:
        if hid in self.ids():
            return
        item = QListWidgetItem(f"{name}（{number}）")
        item.setData(Qt.ItemDataRole.UserRole, hid)
        self.chosen.addItem(item)
        self.changed.emit()

    def _find(self, text: str) -> None:
        from fupin_desktop.services.households import HouseholdQuery

        self.results.clear()
        if not text:
            self.results.hide()
            return
        for row in self.services.households.page(HouseholdQuery(text=text), 0, MAX_RESULTS):
            item = QListWidgetItem(f"{row.head_name}（{row.number}）{row.group_name or ''}")
            item.setData(Qt.ItemDataRole.UserRole, (row.id, row.head_name, row.number))
            self.results.addItem(item)
        if not self.results.count():
            self.results.addItem(QListWidgetItem(self.tr("No household found")))
        self.results.show()

    def _add_item(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            self._append(*data)
            self.search.clear()
            self.results.hide()

    def _add_first(self, _text: str) -> None:
        if self.results.count():
            self._add_item(self.results.item(0))

    def _remove(self) -> None:
        row = self.chosen.currentRow()
        if row >= 0:
            self.chosen.takeItem(row)
            self.changed.emit()
