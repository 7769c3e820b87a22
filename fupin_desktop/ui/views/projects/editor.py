"""The project editor: all fields of a project and its funding lines, with the difference to the total shown live.

Saving lines that do not add up to the total asks for confirmation first (the service refuses without it).
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QScrollArea, QSpinBox, QTableWidget, QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import format_wan, format_yuan, parse_money
from fupin_desktop.services.projects import FundingInput, ProjectInput, funding_difference, mismatch_message
from fupin_desktop.ui import messages, style
from fupin_desktop.ui.widgets.household_chooser import HouseholdChooser, cell, plain_table
from fupin_desktop.ui.widgets import CodeCombo, DateEdit, FieldError, MoneyEdit
from fupin_desktop.ui.widgets.form_dialog import COLUMN, FormDialog

ZERO = Decimal("0.00")


def _spin(parent: QWidget, maximum: int = 100000) -> QSpinBox:
    s = QSpinBox(parent)
    s.setRange(0, maximum)
    s.setSpecialValueText(" ")  # 0 shown blank: "not filled"
    return s


class FundingTable(QWidget):
    """资金来源 lines: source, planned, received, note. ``lines()`` → FundingInput tuple; ``changed`` on edits."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table: QTableWidget = plain_table(self, [self.tr("Source"), self.tr("Planned (yuan)"),
                                                      self.tr("Received (yuan)"), self.tr("Note")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.AllEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectItems)
        self.table.setColumnWidth(0, 190)
        self.table.setColumnWidth(1, 120)
        self.table.setColumnWidth(2, 120)
        self.table.setMinimumHeight(120)
        self.add_button = QPushButton(self.tr("Add a source"), self)
        self.remove_button = QPushButton(self.tr("Remove line"), self)
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table, 1)
        lay.addLayout(side)
        self.add_button.clicked.connect(lambda: self.add_line())
        self.remove_button.clicked.connect(self.remove_current)
        self.table.itemChanged.connect(self._edited)

    def _edited(self, item) -> None:
        """Amounts typed as "8万" or "60000" are shown as 80,000.00 once entered; then the difference updates."""
        if item is not None and item.column() in (1, 2) and item.text().strip():
            try:
                text = format_yuan(parse_money(item.text(), "amount"))
            except ValidationError:
                text = item.text()
            if text != item.text():
                self.table.blockSignals(True)
                item.setText(text)
                self.table.blockSignals(False)
        self.changed.emit()

    def add_line(self, source: str | None = None, planned: Decimal | None = None, received: Decimal | None = None,
                 note: str | None = None) -> int:
        r = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(r)
        combo = CodeCombo("funding_source", self.table)
        used = {self.source_at(i) for i in range(r)}
        if source is None:
            source = next((c for c in codes.get("funding_source").codes() if c not in used), "other")
        combo.set_code(source)
        combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a cell: Tab goes past the table (arrows walk the cells)
        self.table.setCellWidget(r, 0, combo)
        self.table.setItem(r, 1, cell(format_yuan(planned) if planned is not None else "", right=True, editable=True))
        self.table.setItem(r, 2, cell(format_yuan(received) if received else "", right=True, editable=True))
        self.table.setItem(r, 3, cell(note or "", editable=True))
        self.table.blockSignals(False)
        combo.codeChanged.connect(lambda _c: self.changed.emit())
        self.changed.emit()
        return r

    def remove_current(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            self.changed.emit()

    def source_at(self, row: int) -> str | None:
        w = self.table.cellWidget(row, 0)
        return w.code() if w is not None else None

    def set_amount(self, row: int, column: int, text: str) -> None:
        self.table.item(row, column).setText(text)

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def lines(self) -> tuple[FundingInput, ...]:
        out = []
        for r in range(self.table.rowCount()):
            planned_text = self._text(r, 1)
            received_text = self._text(r, 2)
            if not planned_text and not received_text:
                continue
            planned = parse_money(planned_text, f"funding[{r}].planned_amount") if planned_text else ZERO
            received = parse_money(received_text, f"funding[{r}].received_amount") if received_text else ZERO
            out.append(FundingInput(self.source_at(r), planned, received, self._text(r, 3) or None))
        return tuple(out)


class ProjectEditor(FormDialog):
    """New or existing project. ``saved_id`` is set after a successful save."""

    state_key = "dialogs/project_editor"

    def __init__(self, services, parent: QWidget | None = None, project_id: str | None = None):
        super().__init__(parent)
        self.services = services
        self.project_id = project_id
        self.setWindowTitle(self.tr("Edit project") if project_id else self.tr("New project"))

        self.name = QLineEdit(self)
        self.number = QLineEdit(self)
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(services.ctx.today().year)
        self.category = CodeCombo("project_category", self, empty_text="")
        self.subcategory = QLineEdit(self)
        self.nature = CodeCombo("project_nature", self, empty_text="")
        self.action_type = CodeCombo("action_type", self)
        self.place = QLineEdit(self)
        self.implementing_unit = QLineEdit(self)
        self.supervising_dept = QLineEdit(self)
        self.responsible = QLineEdit(self)
        self.planned_start = DateEdit(self, allow_empty=True)
        self.planned_end = DateEdit(self, allow_empty=True)
        self.actual_start = DateEdit(self, allow_empty=True)
        self.actual_end = DateEdit(self, allow_empty=True)
        self.content_scale = QPlainTextEdit(self)
        self.content_scale.setFixedHeight(56)
        self.benefit_mechanism = QPlainTextEdit(self)
        self.benefit_mechanism.setFixedHeight(48)
        self.benefit_mechanism.setPlaceholderText(self.tr("Jobs, dividends, purchase orders, land rent…"))
        self.performance_target = QPlainTextEdit(self)
        self.performance_target.setFixedHeight(48)
        self.ben_households = _spin(self)
        self.ben_people = _spin(self)
        self.ben_poor = _spin(self)
        self.ben_monitored = _spin(self)
        self.note = QLineEdit(self)
        self.total = MoneyEdit(self, field="total_investment")
        self.funding = FundingTable(self)
        self.received_on = DateEdit(self)  # when a changed 到位 amount arrived (结账 locks it to that period)
        self.received_on.setValue(services.projects.today())
        self.received_on.setToolTip(self.tr("The day the money of a changed received amount arrived; "
                                            "a closed period cannot get money received inside it"))
        self.difference = QLabel(self)
        self.difference.setObjectName("FundingDifference")
        self.difference.setWordWrap(True)
        self.funding_error = FieldError(self)
        self.beneficiaries = HouseholdChooser(services, self, max_height=90)

        body = QWidget(self)
        bv = QVBoxLayout(body)
        cols = QHBoxLayout()
        left, right = QFormLayout(), QFormLayout()
        for i, form in enumerate((left, right)):
            column = QWidget(body)
            column.setProperty(COLUMN, True)  # Tab goes down the left column, then the right one
            column.setLayout(form)
            form.setContentsMargins(0, 0, 0, 0)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if i:
                cols.addSpacing(12)
            cols.addWidget(column, 1)
        self.add_row(self.tr("Project name *"), self.name, "name", form=left)
        self.add_row(self.tr("Project no."), self.number, "number", form=left)
        self.add_row(self.tr("Year"), self.year, "year", form=left)
        self.add_row(self.tr("Category"), self.category, "category", form=left)
        self.add_row(self.tr("Subcategory"), self.subcategory, "subcategory", form=left)
        self.add_row(self.tr("Nature"), self.nature, "nature", form=left)
        self.add_row(self.tr("Required / optional"), self.action_type, "action_type", form=left)
        self.add_row(self.tr("Place"), self.place, "place", form=left)
        self.add_row(self.tr("Content and scale"), self.content_scale, "content_scale", form=left)
        self.add_row(self.tr("Implementing unit"), self.implementing_unit, "implementing_unit", form=right)
        self.add_row(self.tr("Supervising department"), self.supervising_dept, "supervising_dept", form=right)
        self.add_row(self.tr("Responsible person"), self.responsible, "responsible", form=right)
        dates1 = QHBoxLayout()
        dates1.addWidget(self.planned_start)
        dates1.addWidget(QLabel("—", self))
        dates1.addWidget(self.planned_end)
        dates1.addStretch(1)  # start — end side by side, read as one range
        dates2 = QHBoxLayout()
        dates2.addWidget(self.actual_start)
        dates2.addWidget(QLabel("—", self))
        dates2.addWidget(self.actual_end)
        dates2.addStretch(1)
        self.add_row(self.tr("Planned start — end"), dates1, "planned_end", error_widget=self.planned_end, form=right)
        self.add_row(self.tr("Actual start — end"), dates2, "actual_end", error_widget=self.actual_end, form=right)
        ben = QGridLayout()
        for i, (label, w) in enumerate(((self.tr("households"), self.ben_households),
                                        (self.tr("people"), self.ben_people),
                                        (self.tr("alleviated households"), self.ben_poor),
                                        (self.tr("monitored households"), self.ben_monitored))):
            ben.addWidget(w, i // 2, (i % 2) * 2)
            ben.addWidget(QLabel(label, self), i // 2, (i % 2) * 2 + 1)
        right.addRow(self.tr("Beneficiaries"), ben)
        self.add_row(self.tr("Benefit mechanism"), self.benefit_mechanism, "benefit_mechanism", form=right)
        self.add_row(self.tr("Performance target"), self.performance_target, "performance_target", form=right)
        self.add_row(self.tr("Note"), self.note, "note", form=right)

        money_box = QGroupBox(self.tr("Investment and funding sources"), self)
        mv = QVBoxLayout(money_box)
        total_row = QFormLayout()
        self.add_row(self.tr("Total investment *"), self.total, "total_investment", form=total_row)
        self.add_row(self.tr("Received on (for a changed received amount)"), self.received_on, "received_on",
                     form=total_row)
        mv.addLayout(total_row)
        mv.addWidget(self.difference)
        mv.addWidget(self.funding_error)
        mv.addWidget(self.funding)
        self.errors.add("funding", self.funding.table, self.funding_error)

        ben_box = QGroupBox(self.tr("Beneficiary households (from the registry)"), self)
        QVBoxLayout(ben_box).addWidget(self.beneficiaries)

        bv.addLayout(cols)
        bv.addWidget(money_box)
        bv.addWidget(ben_box)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body.addWidget(scroll, 1)

        self.total.valueChanged.connect(lambda _v: self.update_difference())
        self.total.lineEdit().textChanged.connect(lambda _t: self.update_difference())
        self.funding.changed.connect(self.update_difference)

        if project_id:
            self.load(project_id)
        else:
            self.funding.add_line("province")
        self.update_difference()
        self.finish(1120, 680)

    # -- data -------------------------------------------------------------------------------------------------
    def load(self, project_id: str) -> None:
        d = self.services.projects.get(project_id)
        p = d.project
        self.name.setText(p.name)
        self.number.setText(p.number or "")
        if p.year:
            self.year.setValue(p.year)
        self.category.set_code(p.category)
        self.subcategory.setText(p.subcategory or "")
        self.nature.set_code(p.nature)
        self.action_type.set_code(p.action_type)
        self.place.setText(p.place or "")
        self.implementing_unit.setText(p.implementing_unit or "")
        self.supervising_dept.setText(p.supervising_dept or "")
        self.responsible.setText(p.responsible or "")
        self.planned_start.setValue(p.planned_start)
        self.planned_end.setValue(p.planned_end)
        self.actual_start.setValue(p.actual_start)
        self.actual_end.setValue(p.actual_end)
        self.content_scale.setPlainText(p.content_scale or "")
        self.benefit_mechanism.setPlainText(p.benefit_mechanism or "")
        self.performance_target.setPlainText(p.performance_target or "")
        self.ben_households.setValue(p.beneficiary_households or 0)
        self.ben_people.setValue(p.beneficiary_people or 0)
        self.ben_poor.setValue(p.beneficiary_poor_households or 0)
        self.ben_monitored.setValue(p.beneficiary_monitored_households or 0)
        self.note.setText(p.note or "")
        self.total.setValue(p.total_investment)
        self.funding.table.setRowCount(0)
        for f in d.funding:
            self.funding.add_line(f.source, f.planned_amount, f.received_amount, f.note)
        self.beneficiaries.set_households([(b.household_id, b.head_name, b.number, self._category(b))
                                           for b in d.beneficiaries])

    @staticmethod
    def _category(b) -> str:
        if b.monitoring_category:
            return codes.label("monitoring_category", b.monitoring_category)
        return codes.label("household_type", b.household_type)

    def project_input(self) -> ProjectInput:
        def text(w) -> str | None:
            t = w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()
            return t.strip() or None

        def num(s: QSpinBox) -> int | None:
            return s.value() or None

        return ProjectInput(
            name=self.name.text(), total_investment=self.total.value() or ZERO,
            funding=tuple(replace(f, received_on=self.received_on.value()) for f in self.funding.lines()),
            year=self.year.value(), number=text(self.number), category=self.category.code(),
            subcategory=text(self.subcategory), nature=self.nature.code(), action_type=self.action_type.code(),
            place=text(self.place), content_scale=text(self.content_scale),
            implementing_unit=text(self.implementing_unit), supervising_dept=text(self.supervising_dept),
            responsible=text(self.responsible), planned_start=self.planned_start.value(),
            planned_end=self.planned_end.value(), actual_start=self.actual_start.value(),
            actual_end=self.actual_end.value(), beneficiary_households=num(self.ben_households),
            beneficiary_people=num(self.ben_people), beneficiary_poor_households=num(self.ben_poor),
            beneficiary_monitored_households=num(self.ben_monitored),
            benefit_mechanism=text(self.benefit_mechanism), performance_target=text(self.performance_target),
            note=text(self.note))

    def difference_value(self) -> Decimal | None:
        """Total minus the planned lines (None while something typed is not an amount)."""
        try:
            total = self.total.value() or ZERO
            lines = self.funding.lines()
        except ValidationError:
            return None
        return funding_difference(total, [l.planned_amount for l in lines])

    def update_difference(self) -> None:
        diff = self.difference_value()
        try:
            planned = sum((l.planned_amount for l in self.funding.lines()), ZERO)
        except ValidationError as exc:
            self.difference.setText(str(exc))
            self.difference.setStyleSheet(f"color: {style.ERROR};")
            return
        if diff is None:
            self.difference.setText("")
        elif diff == 0:
            self.difference.setText(self.tr("✓ The sources add up to the total: {yuan} yuan ({wan})").format(
                yuan=format_yuan(planned), wan=format_wan(planned, 4)))
            self.difference.setStyleSheet(f"color: {style.SUCCESS};")
        else:
            word = self.tr("short of") if diff > 0 else self.tr("more than")
            self.difference.setText(self.tr(
                "⚠ Sources add up to {sum} yuan, {word} the total by {diff} yuan ({wan})").format(
                sum=format_yuan(planned), word=word, diff=format_yuan(abs(diff)), wan=format_wan(abs(diff), 4)))
            self.difference.setStyleSheet(f"color: {style.WARNING};")

    def submit(self):
        data = self.project_input()
        confirm = False
        diff = funding_difference(data.total_investment or ZERO, [l.planned_amount for l in data.funding])
        if diff:
            # lines that do not add up are saved only when she says so (the service refuses them otherwise)
            planned = sum((l.planned_amount or ZERO for l in data.funding), ZERO)
            mismatch = mismatch_message(data.total_investment or ZERO, planned)
            text = mismatch + "\n\n" + self.tr(
                "Save anyway? The difference will be shown in the project list until it is corrected.")
            if not messages.confirm(self, text, self.tr("Save anyway")):
                self.errors.show(ValidationError("funding", mismatch), focus=False)
                return None
            confirm = True
        if self.project_id:
            return self.services.projects.update, self.project_id, data, confirm, self.beneficiaries.ids()
        return self.services.projects.create, data, confirm, self.beneficiaries.ids()

    def after_save(self, outcome) -> None:
        self.saved_id = outcome.value.project.id
        self.accept()

    def show_error(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError) and not self.errors.show(exc):
            self.funding_error.show_error(str(exc))  # a funding line's error: under the lines
            return
        super().show_error(exc)
