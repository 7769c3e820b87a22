"""First start: 本村信息 → 工作队 → 演示数据, then ``services.village.set_up(village, team)`` (one transaction)."""
from __future__ import annotations

import importlib
import importlib.util
import logging
import re
import sys
import unicodedata

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QCheckBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from fupin_desktop.domain.division import DivisionCode
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.icons import icon
from fupin_desktop.ui.widgets.code_combo import CodeCombo
from fupin_desktop.ui.widgets.field_error import FieldError, FormErrors, mark_invalid

log = logging.getLogger(__name__)

PAGE_VILLAGE, PAGE_TEAM, PAGE_DEMO = 0, 1, 2
DEMO_MODULE = "fupin_desktop.services.demo"
DEMO_HOUSEHOLDS = 200
TEAM_ROLES = ["secretary", "member"]
COL_NAME, COL_ROLE, COL_UNIT, COL_PHONE = range(4)


def demo_available() -> bool:
    """True when the demo-data generator (a colleague's services/demo.py) is part of this build."""
    if DEMO_MODULE in sys.modules:
        return True
    try:
        return importlib.util.find_spec(DEMO_MODULE) is not None
    except (ImportError, ValueError):
        return False


def _required(label: str) -> str:
    return f"{label} *"


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setHorizontalSpacing(14)
    form.setVerticalSpacing(8)
    return form


def _with_error(widget: QWidget, error: FieldError, hint: QLabel | None = None) -> QWidget:
    box = QWidget()
    v = QVBoxLayout(box)
    v.setContentsMargins(0, 0, 0, 0)
    v.setSpacing(2)
    v.addWidget(widget)
    v.addWidget(error)
    if hint is not None:
        v.addWidget(hint)
    return box


class VillagePage(QWizardPage):
    """本村信息: 村名, 12-digit 区划代码 (checked as typed), 乡镇, 县, 派出单位."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Your village"))
        self.setSubTitle(self.tr("These details head every ledger and report. You can change them later."))

        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(64)
        self.name_edit.setPlaceholderText(self.tr("e.g. Dongxing Village"))
        self.name_error = FieldError(self)

        self.code_edit = QLineEdit(self)
        self.code_edit.setMaxLength(16)
        self.code_edit.setPlaceholderText(self.tr("12 digits, e.g. 220581102200"))
        self.code_error = FieldError(self)
        self.code_hint = QLabel(self.tr("The statistical division code of the village (统计用区划代码). "
                                        "The township office knows it."), self)
        self.code_hint.setObjectName("Hint")
        self.code_hint.setWordWrap(True)

        self.township_edit = QLineEdit(self)
        self.township_edit.setMaxLength(32)
        self.county_edit = QLineEdit(self)
        self.county_edit.setMaxLength(32)
        self.unit_edit = QLineEdit(self)
        self.unit_edit.setMaxLength(128)
        self.unit_edit.setPlaceholderText(self.tr("The unit that sent the work team"))

        form = _form()
        form.addRow(_required(self.tr("Village name")), _with_error(self.name_edit, self.name_error))
        form.addRow(_required(self.tr("Division code")), _with_error(self.code_edit, self.code_error,
                                                                       self.code_hint))
        form.addRow(self.tr("Township"), self.township_edit)
        form.addRow(self.tr("County"), self.county_edit)
        form.addRow(self.tr("Dispatching unit"), self.unit_edit)
        note = QLabel(self.tr("* required"), self)
        note.setObjectName("Hint")
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(note)

        self.errors = FormErrors()
        self.errors.add("name", self.name_edit, self.name_error)
        self.errors.add("division_code", self.code_edit, self.code_error)

        # The fields were re-parented into their error boxes: state the visual order for Tab explicitly.
        chain = [self.name_edit, self.code_edit, self.township_edit, self.county_edit, self.unit_edit]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

        self.name_edit.textChanged.connect(self._name_changed)
        self.code_edit.textChanged.connect(self._code_changed)
        self.code_edit.editingFinished.connect(self._code_finished)

    def initializePage(self) -> None:
        self.name_edit.setFocus()

    # -- live checks ------------------------------------------------------------------------------------------
    def _name_changed(self, text: str) -> None:
        if text.strip():
            self.name_error.clear_error()
            mark_invalid(self.name_edit, False)
        self.completeChanged.emit()

    def _code_text(self) -> str:
        return "".join(unicodedata.normalize("NFKC", self.code_edit.text()).split())

    def _show_code_error(self, message: str) -> None:
        self.code_error.show_error(message)
        mark_invalid(self.code_edit, bool(message))

    def _code_changed(self, _text: str) -> None:
        value = self._code_text()
        if not value:
            self._show_code_error("")
        elif not (value.isascii() and value.isdigit()):
            self._show_code_error(self.tr("The division code may contain digits only"))
        elif len(value) > 12:
            self._show_code_error(self.tr("The division code has 12 digits; {n} were typed").format(n=len(value)))
        elif len(value) < 12:
            self._show_code_error("")  # still typing: do not scold yet
        else:
            self._code_finished()
        self.completeChanged.emit()

    def _code_finished(self) -> None:
        value = self._code_text()
        if not value:
            return
        try:
            DivisionCode.parse(value)
        except ValidationError as exc:
            self._show_code_error(str(exc))
        else:
            self._show_code_error("")

    def code_is_valid(self) -> bool:
        try:
            DivisionCode.parse(self._code_text())
        except ValidationError:
            return False
        return True

    def isComplete(self) -> bool:
        return bool(self.name_edit.text().strip()) and self.code_is_valid()

    def village_input(self) -> VillageInput:
        def opt(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        return VillageInput(
            name=self.name_edit.text().strip(),
            division_code=self._code_text(),
            township=opt(self.township_edit),
            county=opt(self.county_edit),
            dispatch_unit=opt(self.unit_edit),
        )


class TeamPage(QWizardPage):
    """工作队: one row per member (姓名, 身份, 派出单位, 电话); at least one."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Work team"))
        self.setSubTitle(self.tr("Who is stationed in the village? Add at least one person; the first secretary "
                                 "first. Helpers can be added later."))
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([
            _required(self.tr("Name")), self.tr("Role"), self.tr("Dispatching unit"), self.tr("Phone")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_ROLE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_UNIT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_PHONE, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(COL_NAME, 130)
        self.table.setColumnWidth(COL_ROLE, 130)
        self.table.setColumnWidth(COL_PHONE, 140)
        self.table.verticalHeader().setDefaultSectionSize(max(34, self.fontMetrics().height() + 16))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.itemChanged.connect(self._item_changed)

        self.add_button = QPushButton(icon("user-plus"), self.tr("Add member"), self)
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button = QPushButton(icon("trash"), self.tr("Remove selected"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.team_error = FieldError(self)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.team_error)
        lay.addLayout(buttons)
        self.default_unit: str | None = None

    def initializePage(self) -> None:
        wizard = self.wizard()
        unit = wizard.village_page.unit_edit.text().strip() if isinstance(wizard, SetupWizard) else ""
        # A unit typed on the first page fills empty unit cells (most of a team comes from one unit).
        if unit and unit != self.default_unit:
            for row in range(self.table.rowCount()):
                item = self.table.item(row, COL_UNIT)
                if item is not None and item.text().strip() in ("", self.default_unit or ""):
                    item.setText(unit)
        self.default_unit = unit or None
        if self.table.rowCount() == 0:
            self.add_row(role="secretary")

    def _add_clicked(self) -> None:
        self.add_row()

    def add_row(self, name: str = "", role: str | None = None, unit: str | None = None, phone: str = "") -> int:
        row = self.table.rowCount()
        if role is None:
            role = "secretary" if row == 0 else "member"
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, COL_NAME, QTableWidgetItem(name))
        combo = CodeCombo("cadre_role", self.table, only=TEAM_ROLES)
        combo.set_code(role)
        self.table.setCellWidget(row, COL_ROLE, combo)
        self.table.setItem(row, COL_UNIT, QTableWidgetItem(unit if unit is not None else (self.default_unit or "")))
        self.table.setItem(row, COL_PHONE, QTableWidgetItem(phone))
        self.table.blockSignals(False)
        self.table.setCurrentCell(row, COL_NAME)
        self.completeChanged.emit()
        return row

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()} | {self.table.currentRow()}, reverse=True)
        for row in rows:
            if 0 <= row < self.table.rowCount():
                self.table.removeRow(row)
        self.team_error.clear_error()
        self.completeChanged.emit()

    def _item_changed(self, _item: QTableWidgetItem) -> None:
        self.team_error.clear_error()
        self.completeChanged.emit()

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item is not None else ""

    def commit_editor(self) -> None:
        """Make the cell being edited commit its text (the user may press 完成 while still in a cell)."""
        focus = QApplication.focusWidget()
        if focus is not None and self.table.isAncestorOf(focus) and not isinstance(focus, CodeCombo):
            self.table.setFocus()

    def filled_rows(self) -> list[int]:
        return [r for r in range(self.table.rowCount()) if self._text(r, COL_NAME)]

    def team_inputs(self) -> list[CadreInput]:
        out = []
        for row in self.filled_rows():
            combo = self.table.cellWidget(row, COL_ROLE)
            out.append(CadreInput(
                name=self._text(row, COL_NAME),
                role=(combo.code() if isinstance(combo, CodeCombo) else None) or "member",
                unit=self._text(row, COL_UNIT) or None,
                phone=self._text(row, COL_PHONE) or None,
            ))
        return out

    def isComplete(self) -> bool:
        return bool(self.filled_rows())

    def validatePage(self) -> bool:
        self.commit_editor()
        if not self.filled_rows():
            self.team_error.show_error(self.tr("Please enter at least one team member"))
            return False
        return True

    def show_error(self, exc: ValidationError) -> None:
        """``team`` or ``team[i].field`` from the service: message under the table, the cell selected."""
        self.team_error.show_error(str(exc))
        m = re.match(r"team\[(\d+)\]\.?(\w+)?", exc.field)
        if m:
            rows = self.filled_rows()
            index = int(m.group(1))
            col = {"name": COL_NAME, "role": COL_ROLE, "unit": COL_UNIT, "phone": COL_PHONE}.get(m.group(2) or "",
                                                                                              COL_NAME)
            if index < len(rows):
                self.table.setCurrentCell(rows[index], col)
                self.table.setFocus()


class DemoPage(QWizardPage):
    """演示数据: optionally start with a made-up village for training instead of the one typed in."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Demo data"))
        self.setSubTitle(self.tr("Almost done. Choose whether to start with practice data."))
        self.demo_check = QCheckBox(self.tr("Load demo data for training"), self)
        # The generator builds a complete village of its own (name, code, team), so it replaces what was typed.
        self.demo_note = QLabel(self.tr(
            "Creates a made-up village with {n} households, its work team and a year of visits, problems and "
            "projects, so that the team can practise. The village and team typed on the previous pages are then "
            "not saved. For real work, start without demo data.").format(n=DEMO_HOUSEHOLDS), self)
        self.demo_note.setObjectName("Hint")
        self.demo_note.setWordWrap(True)
        self.available = demo_available()
        if not self.available:
            self.demo_check.setEnabled(False)
            self.demo_note.setText(self.tr("Demo data is not available in this version."))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        lay = QVBoxLayout(self)
        lay.addWidget(self.demo_check)
        lay.addWidget(self.demo_note)
        lay.addSpacing(18)
        lay.addWidget(self.summary)
        lay.addStretch(1)
        self.demo_check.toggled.connect(lambda _on: self._update_summary())

    def initializePage(self) -> None:
        self._update_summary()

    def _update_summary(self) -> None:
        wizard = self.wizard()
        if not isinstance(wizard, SetupWizard):
            return
        if self.load_demo:
            self.summary.setText(self.tr("Click Finish to load the demo village. This takes a few seconds."))
            return
        v = wizard.village_page.village_input()
        team = wizard.team_page.team_inputs()
        self.summary.setText(self.tr("Click Finish to save:\nVillage: {name} ({code})\nWork team: {names}").format(
            name=v.name, code=v.division_code, names="、".join(c.name for c in team)))

    @property
    def load_demo(self) -> bool:
        return self.available and self.demo_check.isChecked()


class SetupWizard(QWizard):
    """Signals ``setup_done(village)`` after the village was saved (and demo data loaded, if chosen)."""

    setup_done = Signal(object)

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.village = None
        self._busy = False
        self.setWindowTitle(self.tr("First start: set up your village"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))
        self.setMinimumSize(720, 540)
        self.resize(780, 580)

        self.village_page = VillagePage(self)
        self.team_page = TeamPage(self)
        self.demo_page = DemoPage(self)
        self.setPage(PAGE_VILLAGE, self.village_page)
        self.setPage(PAGE_TEAM, self.team_page)
        self.setPage(PAGE_DEMO, self.demo_page)
        self.setStartId(PAGE_VILLAGE)

    # -- finishing --------------------------------------------------------------------------------------------
    def accept(self) -> None:
        if self._busy:
            return
        self.team_page.commit_editor()
        if self.demo_page.load_demo:
            self._load_demo()
            return
        self._set_busy(True)
        tasks.run_in_background(
            self.services.village.set_up, self.village_page.village_input(), self.team_page.team_inputs(),
            on_success=self._saved, on_failure=self._save_failed, parent=self, writes=True)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for which in (QWizard.WizardButton.FinishButton, QWizard.WizardButton.BackButton,
                      QWizard.WizardButton.CancelButton):
            self.button(which).setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()

    def _saved(self, outcome) -> None:
        self.village = outcome.value
        self._done()

    def _load_demo(self) -> None:
        try:
            generate = importlib.import_module(DEMO_MODULE).generate_demo
        except (ImportError, AttributeError) as exc:
            log.exception("demo data unavailable")
            messages.error(self, exc)
            return
        self._set_busy(True)
        tasks.run_in_background(
            generate, self.services.db, households=DEMO_HOUSEHOLDS,
            progress_title=self.tr("Loading demo data…"), writes=True, parent=self,
            on_success=self._demo_loaded, on_failure=self._demo_failed)

    def _demo_loaded(self, _summary) -> None:
        self.village = self.services.village.get()
        self._done()

    def _demo_failed(self, exc: BaseException) -> None:
        # generate_demo writes in one transaction: nothing was kept, the user may try again or untick the box.
        self._set_busy(False)
        tasks.report_error(self, exc)

    def _done(self) -> None:
        if self._busy:
            self._set_busy(False)
        self.setup_done.emit(self.village)
        super().accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(exc, ValidationError):
            tasks.report_error(self, exc)
            return
        if self.village_page.errors.widget_for(exc.field) is not None:
            self._go_to(PAGE_VILLAGE)
            self.village_page.errors.show(exc)
        elif exc.field.startswith("team"):
            self._go_to(PAGE_TEAM)
            self.team_page.show_error(exc)
        else:
            messages.error(self, exc)

    def _go_to(self, page_id: int) -> None:
        while self.currentId() > page_id:
            self.back()

    def reject(self) -> None:
        if self._busy:
            return
        typed = self.village_page.name_edit.text().strip() or self.village_page.code_edit.text().strip()
        if typed and not messages.confirm(
                self, self.tr("Leave the set-up? Nothing has been saved yet; the program will close."),
                self.tr("Leave")):
            return
        super().reject()
