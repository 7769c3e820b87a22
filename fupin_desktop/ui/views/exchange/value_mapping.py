"""The roster wizard's value table: values no code list knows (column, value, rows), each with a combo of the codes
it may stand for. The choices are remembered beside the column mapping (exchange.roster.save_value_mapping), so the
next roster with the same words imports without asking."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fupin_desktop.ui.widgets.tables import plain_table


class ValueMappingTable(QWidget):
    """Shows ``plan.unknown_values()``; ``apply_requested`` when the user has chosen codes and asks to check again."""

    apply_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        from fupin_desktop.exchange import roster

        self.roster = roster
        self.hint = QLabel(self.tr("Some values are not in the code lists. Choose what each one means: your choice "
                                   "is remembered for the next roster."), self)
        self.hint.setWordWrap(True)
        self.table = plain_table(self, [self.tr("Column"), self.tr("Value in the file"), self.tr("Rows"),
                                        self.tr("Means")])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.apply_button = QPushButton(self.tr("Use these choices and check again"), self)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply_requested)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.apply_button)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.hint)
        v.addWidget(self.table, 1)
        v.addLayout(row)
        self._combos: list[tuple[str, str, QComboBox]] = []

    def show_unknown(self, unknown: list[tuple[str, str, str, int]]) -> None:
        """Rows of (column header, field, value, count); hides itself when there are none."""
        from PySide6.QtWidgets import QTableWidgetItem

        self.table.setRowCount(len(unknown))
        self._combos = []
        for r, (column, fieldname, text, n) in enumerate(unknown):
            for c, value in enumerate((column, text, str(n))):
                item = QTableWidgetItem(value)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
            combo = QComboBox(self.table)
            combo.addItem(self.tr("(choose)"), "")
            for code, label in self.roster.value_choices(fieldname):
                combo.addItem(label, code)
            combo.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(r, 3, combo)
            self._combos.append((fieldname, text, combo))
        self.table.resizeColumnsToContents()
        for c, least in ((0, 110), (1, 160), (2, 60)):
            self.table.setColumnWidth(c, max(least, self.table.columnWidth(c)))
        self.table.setColumnWidth(3, 280)
        self.setVisible(bool(unknown))
        self._changed()

    def _changed(self) -> None:
        self.apply_button.setEnabled(any(combo.currentData() for _, _, combo in self._combos))

    def combo(self, fieldname: str, text: str) -> QComboBox | None:
        for f, t, combo in self._combos:
            if (f, t) == (fieldname, text):
                return combo
        return None

    def choices(self) -> dict[str, dict[str, str]]:
        """field → {value → code} of the rows the user has chosen a code for."""
        out: dict[str, dict[str, str]] = {}
        for fieldname, text, combo in self._combos:
            if combo.currentData():
                out.setdefault(fieldname, {})[text] = combo.currentData()
        return out
