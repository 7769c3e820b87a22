"""Choosing households for a record (donation, distribution, condolence, purchase, project beneficiaries): the
chooser beside a form and the picker dialog it opens; number formatting of those pages."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import format_yuan, to_wan
from fupin_desktop.services.donations import format_quantity, household_category
from fupin_desktop.services.households import HouseholdQuery
from fupin_desktop.ui.widgets import CodeCombo, SearchBox, restore_geometry, save_geometry
from fupin_desktop.ui.widgets.tables import RIGHT, cell, plain_table  # noqa: F401 (re-exported)

PICK_LIMIT = 300


def wan_text(amount: Decimal | None, blank_zero: bool = False) -> str:
    """280000 → "28", 18400 → "1.84" (万元, up to 4 places, trailing zeros dropped)."""
    if amount is None or (blank_zero and not amount):
        return ""
    text = f"{to_wan(amount, 4):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def yuan_text(amount: Decimal | None) -> str:
    return "" if amount is None else format_yuan(amount)


def qty_text(q: Decimal | None) -> str:
    return format_quantity(q)


def parse_quantity(text: str, field: str = "quantity") -> Decimal:
    t = (text or "").strip().replace(",", "")
    if not t:
        return Decimal("0")
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValidationError(field, f"数量格式不对：“{text.strip()}”") from None
    if not value.is_finite() or value < 0:
        raise ValidationError(field, f"数量格式不对：“{text.strip()}”")
    return value


# --- households --------------------------------------------------------------------------------------------------


class HouseholdPicker(QDialog):
    """Tick households of the registry (search by name, pinyin initials or 户编号); their category is shown."""

    def __init__(self, services, parent: QWidget | None = None, chosen: list[tuple] = (), title: str | None = None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(title or self.tr("Choose households"))
        self._chosen: dict[str, tuple[str, str, str, str]] = {c[0]: tuple(c) for c in chosen}
        self.search = SearchBox(self, self.tr("Name, pinyin initials or household number"))
        self.type_combo = CodeCombo("household_type", self, empty_text=self.tr("All household types"))
        self.table = plain_table(self, [self.tr("Head of household"), self.tr("Household no."), self.tr("Group"),
                                        self.tr("Category")])
        self.table.setColumnWidth(0, 150)
        self.table.setColumnWidth(1, 150)
        self.table.setColumnWidth(2, 80)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("Hint")
        self.all_button = QPushButton(self.tr("Tick all shown"), self)
        self.none_button = QPushButton(self.tr("Clear ticks"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("OK"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # Enter after 全选 confirms the choice: the tick buttons never become the default button
        for b in (self.all_button, self.none_button):
            b.setAutoDefault(False)
            b.setDefault(False)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.type_combo)
        bottom = QHBoxLayout()
        bottom.addWidget(self.all_button)
        bottom.addWidget(self.none_button)
        bottom.addStretch(1)
        bottom.addWidget(self.count_label)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        lay.addWidget(buttons)
        self.search.searchChanged.connect(lambda _t: self.reload())
        self.type_combo.codeChanged.connect(lambda _c: self.reload())
        self.table.itemChanged.connect(self._ticked)
        self.all_button.clicked.connect(lambda: self._tick_all(True))
        self.none_button.clicked.connect(lambda: self._tick_all(False))
        self.resize(640, 520)
        restore_geometry(self, "dialogs/household_picker")
        self.reload()

    def done(self, r: int) -> None:
        save_geometry(self, "dialogs/household_picker")
        super().done(r)

    def reload(self) -> None:
        rows = self.services.households.page(HouseholdQuery(text=self.search.query(),
                                                            household_type=self.type_combo.code()), 0, PICK_LIMIT)
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, h in enumerate(rows):
            info = (h.id, h.head_name, h.number, household_category(h))
            first = cell(h.head_name, data=info)
            first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            first.setCheckState(Qt.CheckState.Checked if h.id in self._chosen else Qt.CheckState.Unchecked)
            self.table.setItem(r, 0, first)
            self.table.setItem(r, 1, cell(h.number))
            self.table.setItem(r, 2, cell(h.group_name or ""))
            self.table.setItem(r, 3, cell(info[3]))
        self.table.blockSignals(False)
        self._update_count()

    def _ticked(self, item: QTableWidgetItem) -> None:
        if item.column() != 0:
            return
        info = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            self._chosen[info[0]] = info
        else:
            self._chosen.pop(info[0], None)
        self._update_count()

    def _tick_all(self, on: bool) -> None:
        for r in range(self.table.rowCount()):
            self.table.item(r, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("{shown} shown · {chosen} ticked").format(
            shown=self.table.rowCount(), chosen=len(self._chosen)))

    def tick(self, household_id: str) -> None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item.data(Qt.ItemDataRole.UserRole)[0] == household_id:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[tuple[str, str, str, str]]:
        """(id, head name, 户编号, category) of the ticked households."""
        return list(self._chosen.values())


class HouseholdChooser(QWidget):
    """The households of a record: a list showing name, 户编号 and category, a "choose" and a "remove" button."""

    changed = Signal()

    def __init__(self, services, parent: QWidget | None = None, max_height: int = 120):
        super().__init__(parent)
        self.services = services
        self.list = QListWidget(self)
        self.list.setMaximumHeight(max_height)
        self.choose_button = QPushButton(self.tr("Choose households…"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("Hint")
        side = QVBoxLayout()
        side.addWidget(self.choose_button)
        side.addWidget(self.remove_button)
        side.addWidget(self.count_label)
        side.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.list, 1)
        lay.addLayout(side)
        self.choose_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(self._remove)
        self._update()

    def households(self) -> list[tuple[str, str, str, str]]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def ids(self) -> tuple[str, ...]:
        return tuple(h[0] for h in self.households())

    def set_households(self, households) -> None:
        self.list.clear()
        for h in households:
            self._append(tuple(h))
        self._update()
        self.changed.emit()

    def add(self, household_id: str, name: str, number: str, category: str) -> None:
        self._append((household_id, name, number, category))
        self._update()
        self.changed.emit()

    def _append(self, info: tuple) -> None:
        if info[0] in self.ids():
            return
        item = QListWidgetItem(f"{info[1]}（{info[2]}）· {info[3]}")
        item.setData(Qt.ItemDataRole.UserRole, tuple(info))
        self.list.addItem(item)

    def choose(self) -> None:
        dlg = HouseholdPicker(self.services, self, self.households())
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.set_households(dlg.chosen())

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._update()
            self.changed.emit()

    def _update(self) -> None:
        self.count_label.setText(self.tr("{n} households").format(n=self.list.count()))
