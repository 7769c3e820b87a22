"""Problem forms: raise or edit a problem (description, household, responsible, deadline) and move one along its
workflow (date, note, the resolution when closing). Both on the form base: saved in the write pool."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from fupin_desktop.domain import codes
from fupin_desktop.services.problems import CLOSING, ProblemDTO, ProblemInput
from fupin_desktop.ui.widgets import CodeCombo, DateEdit
from fupin_desktop.ui.widgets.form_dialog import FormDialog
from fupin_desktop.ui.widgets.household_field import HouseholdField


def _text_box(parent: QWidget, name: str, height: int) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setObjectName(name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


class ProblemDialog(FormDialog):
    """Raise a problem on the list (Ctrl+N there), or change one: its wording, household, responsible cadre and
    deadline (the default deadline is the setting 问题办理期限, shown so she can change it)."""

    state_key = "dialogs/problem"

    def __init__(self, services, parent: QWidget | None = None, problem: ProblemDTO | None = None):
        super().__init__(parent)
        self.services, self.problem = services, problem
        self.setWindowTitle(self.tr("Edit problem") if problem else self.tr("Raise a problem"))
        today = services.ctx.today()
        self.description = _text_box(self, "ProblemDescription", 80)
        self.description.setPlaceholderText(self.tr("What the household or the village needs, in a sentence"))
        self.household = HouseholdField(services, self, "ProblemHousehold")
        self.responsible = QComboBox(self)
        self.responsible.setObjectName("ProblemResponsible")
        self.responsible.addItem(self.tr("(nobody yet)"), None)
        for c in services.cadres.list():
            if c.in_team or (problem and c.id == problem.responsible_id):
                self.responsible.addItem(c.name, c.id)
        me = services.cadres.current()
        if me is not None:
            self.responsible.setCurrentIndex(max(0, self.responsible.findData(me.id)))
        self.raised_on = DateEdit(self, value=today)
        self.due = DateEdit(self, allow_empty=True,
                            value=today + timedelta(days=services.problems.default_due_days()))
        self.due.setObjectName("ProblemDue")
        self.add_row(self.tr("Problem *"), self.description, "description")
        self.add_row(self.tr("Household"), self.household, "household_id")
        self.add_row(self.tr("Responsible"), self.responsible, "responsible_id")
        if problem is None:
            self.add_row(self.tr("Raised on"), self.raised_on, "raised_on")
        else:
            self.raised_on.hide()
            self.household.set_household(problem.household_id, fixed=True)
            self.household.setEnabled(False)  # the household of a raised problem stays (its visit is there)
            self.description.setPlainText(problem.description)
            self.responsible.setCurrentIndex(max(0, self.responsible.findData(problem.responsible_id)))
            self.due.setValue(problem.due_date)
        self.add_row(self.tr("Deadline"), self.due, "due_date")
        self.finish(680)  # wide enough for the household search beside its list (560 squeezed it: screenshot)
        self.description.setFocus()

    def problem_input(self) -> ProblemInput:
        p = self.problem
        return ProblemInput(
            description=self.description.toPlainText(), household_id=self.household.household_id(),
            responsible_id=self.responsible.currentData(), due_date=self.due.value(),
            raised_on=p.raised_on if p else self.raised_on.value(),
            category=p.category if p else None, source=p.source if p else "other")

    def submit(self):
        data = self.problem_input()
        if self.problem is not None:
            return self.services.problems.update, self.problem.id, data
        return self.services.problems.raise_problem, data


class MoveDialog(FormDialog):
    """Move a problem to ``to_status``: date, note, and — when closing — the resolution (required)."""

    state_key = "dialogs/problem_move"

    def __init__(self, services, problem: ProblemDTO, to_status: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.services, self.problem, self.to_status = services, problem, to_status
        self.setWindowTitle(self.tr("Change to “{status}”").format(status=codes.label("problem_status", to_status)))
        self.date = DateEdit(self, value=services.ctx.today())
        self.note = _text_box(self, "MoveNote", 60)
        self.resolution = _text_box(self, "MoveResolution", 80)
        self.resolution.setPlaceholderText(self.tr("What was done, and what the household was told"))
        self.satisfaction = CodeCombo("satisfaction", self, empty_text="")
        desc = QLabel(problem.description, self)
        desc.setWordWrap(True)
        self.form.addRow(self.tr("Problem"), desc)
        self.add_row(self.tr("Date"), self.date, "on")
        self.add_row(self.tr("Note"), self.note, "note")
        if to_status in CLOSING:
            if problem.resolution:
                self.resolution.setPlainText(problem.resolution)
            self.add_row(self.tr("Resolution *"), self.resolution, "resolution")
        else:
            self.resolution.hide()
        if to_status == "revisited":
            self.add_row(self.tr("Satisfaction"), self.satisfaction, "satisfaction")
        else:
            self.satisfaction.hide()
        self.save_button.setText(self.tr("Save"))
        self.save_button.setObjectName("MoveSave")
        self.finish(520, 360)
        (self.resolution if to_status in CLOSING else self.note).setFocus()

    def submit(self):
        closing = self.to_status in CLOSING
        return (self.services.problems.move, self.problem.id, self.to_status, self.note.toPlainText(),
                self.date.value(), self.resolution.toPlainText() if closing else None,
                self.satisfaction.code() if self.to_status == "revisited" else None)
