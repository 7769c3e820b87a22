"""意见建议: the form of one suggestion (date, who made it, to whom, content, adopted and how) and the list of a
year's suggestions with 新增/修改/删除. Every write goes through the write pool (FormDialog, ui.tasks)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from fupin_desktop.services.suggestions import SuggestionDTO, SuggestionInput
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.events import bus
from fupin_desktop.ui.widgets import CodeCombo, DateEdit
from fupin_desktop.ui.widgets.form_dialog import FormDialog
from fupin_desktop.ui.widgets.state import restore_geometry, save_geometry
from fupin_desktop.ui.widgets.tables import setup_table


class SuggestionDialog(FormDialog):
    state_key = "dialogs/suggestion"

    def __init__(self, services, parent: QWidget | None = None, suggestion: SuggestionDTO | None = None,
                 cadre_id: str | None = None):
        super().__init__(parent)
        self.services = services
        self.suggestion = suggestion
        self.setWindowTitle(self.tr("Edit suggestion") if suggestion else self.tr("Record a suggestion"))
        self.made_on = DateEdit(self, value=services.ctx.today())
        self.cadre = CodeCombo(parent=self)
        self.cadre.set_items([(c.id, c.name) for c in services.cadres.list()])
        if cadre_id:
            self.cadre.set_code(cadre_id)
        self.addressee = QLineEdit(self)
        self.addressee.setPlaceholderText(self.tr("e.g. the township Party committee, the village committee"))
        self.content = QPlainTextEdit(self)
        self.content.setMinimumHeight(90)
        self.adopted = QCheckBox(self.tr("Adopted"), self)
        self.adopted_note = QLineEdit(self)
        self.adopted_note.setPlaceholderText(self.tr("How it was adopted, or why not yet"))

        self.add_row(self.tr("Date"), self.made_on, "made_on")
        self.add_row(self.tr("Made by *"), self.cadre, "cadre_id")
        self.add_row(self.tr("To whom *"), self.addressee, "addressee")
        self.add_row(self.tr("Suggestion *"), self.content, "content")
        self.add_row(None, self.adopted, "adopted")
        self.add_row(self.tr("Adoption"), self.adopted_note, "adopted_note")
        if suggestion:
            self.made_on.setValue(suggestion.made_on)
            self.cadre.set_code(suggestion.cadre_id)
            self.addressee.setText(suggestion.addressee)
            self.content.setPlainText(suggestion.content)
            self.adopted.setChecked(suggestion.adopted)
            self.adopted_note.setText(suggestion.adopted_note or "")
        self.finish(560, 420)

    def submit(self):
        data = SuggestionInput(cadre_id=self.cadre.code() or "", addressee=self.addressee.text(),
                               content=self.content.toPlainText(), made_on=self.made_on.value(),
                               adopted=self.adopted.isChecked(), adopted_note=self.adopted_note.text())
        if self.suggestion:
            return self.services.suggestions.update, self.suggestion.id, data
        return self.services.suggestions.create, data


class SuggestionsDialog(QDialog):
    """The year's 意见建议 (newest first) with 新增, 修改 (or double-click) and 删除."""

    STATE = "dialogs/suggestions"

    def __init__(self, services, parent: QWidget | None = None, cadre_id: str | None = None):
        super().__init__(parent)
        self.services = services
        self.cadre_id = cadre_id  # the cadre a new suggestion starts with (the diary's author)
        self.rows: list[SuggestionDTO] = []
        self.setWindowTitle(self.tr("Suggestions (意见建议)"))
        self.year = QComboBox(self)
        this_year = services.ctx.today().year
        for y in range(this_year, this_year - 6, -1):
            self.year.addItem(self.tr("{year}").format(year=y), y)
        self.count = QLabel(self)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Made by"), self.tr("To whom"),
                                              self.tr("Suggestion"), self.tr("Adopted")])
        setup_table(self.table)
        self.table.setColumnWidth(0, 96)
        self.table.setColumnWidth(1, 70)
        self.table.setColumnWidth(2, 130)
        self.table.setColumnWidth(3, 320)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty = QLabel(self.tr("No suggestions recorded this year yet. Record one with “New suggestion”."), self)
        self.empty.setObjectName("Hint")
        self.new_button = QPushButton(self.tr("New suggestion"), self)
        self.new_button.setObjectName("new_suggestion")
        self.edit_button = QPushButton(self.tr("Edit"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Year"), self))
        top.addWidget(self.year)
        top.addWidget(self.count, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.empty)
        lay.addWidget(buttons)

        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.new_button.clicked.connect(self.new_suggestion)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.itemDoubleClicked.connect(lambda _i: self.edit_selected())
        self.table.itemSelectionChanged.connect(self._selection)
        bus().data_changed.connect(self._changed)
        self.resize(860, 460)
        restore_geometry(self, self.STATE)
        self.reload()

    def reload(self) -> None:
        from datetime import date

        y = self.year.currentData()
        self.rows = self.services.suggestions.list(date(y, 1, 1), date(y, 12, 31))
        self.table.setRowCount(len(self.rows))
        for r, s in enumerate(self.rows):
            values = (s.made_on.isoformat(), s.cadre_name, s.addressee, s.content.replace("\n", " "),
                      (self.tr("Yes") + (f"：{s.adopted_note}" if s.adopted_note else "")) if s.adopted
                      else (self.tr("Not yet") + (f"：{s.adopted_note}" if s.adopted_note else "")))
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                self.table.setItem(r, c, item)
        adopted = sum(1 for s in self.rows if s.adopted)
        self.count.setText(self.tr("{n} suggestions, {a} adopted").format(n=len(self.rows), a=adopted))
        self.table.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)
        self._selection()

    def _selection(self) -> None:
        has = self.selected() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def selected(self) -> SuggestionDTO | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) and self.table.selectionModel().hasSelection() else None

    def new_suggestion(self) -> None:
        self.form = SuggestionDialog(self.services, self, cadre_id=self.cadre_id)
        self.form.open()

    def edit_selected(self) -> None:
        s = self.selected()
        if s is not None:
            self.form = SuggestionDialog(self.services, self, suggestion=s)
            self.form.open()

    def delete_selected(self) -> None:
        s = self.selected()
        if s is None or not messages.confirm(self, self.tr("Delete this suggestion?"), self.tr("Delete"),
                                             destructive=True):
            return
        self.task = tasks.run_in_background(self.services.suggestions.delete, s.id, parent=self, writes=True)

    def _changed(self, changes, _initiator) -> None:
        if changes.touches("suggestion", "cadre"):
            self.reload()

    def done(self, r: int) -> None:
        save_geometry(self, self.STATE)
        super().done(r)
