"""记一次走访: loggable in under a minute with the keyboard.

Tab order: household search → household → date (today) → visitors (me, ticked) → purposes → met in person →
findings → problems (one per line) → Save. Ctrl+S saves from anywhere; Tab leaves the text boxes.
"""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.problems import ProblemInput
from fupin_desktop.services.visits import VisitDTO, VisitInput
from fupin_desktop.ui.widgets.page_parts import CheckGrid
from fupin_desktop.ui.widgets import CodeCombo, DateEdit
from fupin_desktop.ui.widgets.form_dialog import FormDialog
from fupin_desktop.ui.widgets.household_field import HouseholdField
from fupin_desktop.ui.widgets.photos import PhotoPicker

class VisitDialog(FormDialog):
    """Log a visit, or (``visit`` given) correct a saved one: its date, visitors, purposes and findings (its
    problems are edited in the problem list; its photos stay)."""

    state_key = "dialogs/visit"

    def __init__(self, services, household_id: str | None = None, parent: QWidget | None = None,
                 visit: VisitDTO | None = None):
        super().__init__(parent)
        self.services = services
        self.visit = visit
        self.setWindowTitle(self.tr("Correct the visit") if visit else self.tr("Log a visit"))
        if visit is not None:
            household_id = visit.household_id

        self.household = HouseholdField(services, self, "VisitHousehold")
        if household_id:
            self.household.set_household(household_id, fixed=True)
        self.date = DateEdit(self, value=services.ctx.today())
        self.date.setObjectName("VisitDate")
        self.cadres_box = QWidget(self)
        QVBoxLayout(self.cadres_box).setContentsMargins(0, 0, 0, 0)
        self.cadres = None
        me = services.cadres.current()
        self._rebuild_cadres(visit.cadre_ids if visit else [me.id] if me is not None else [])
        self.household.combo.currentIndexChanged.connect(lambda _i: self._rebuild_cadres(self.cadres.codes()))
        self.method = CodeCombo("visit_method", self)
        self.purposes = CheckGrid([(i.code, i.label) for i in codes.get("visit_purpose").items()], 3, self)
        self.present = QCheckBox(self.tr("Met the household in person"), self)
        self.present.setChecked(True)
        self.findings = QPlainTextEdit(self)
        self.findings.setObjectName("VisitFindings")
        self.findings.setTabChangesFocus(True)
        self.findings.setPlaceholderText(self.tr("What you found: changes in the family, income, health, needs…"))
        self.findings.setFixedHeight(70)
        self.problems = QPlainTextEdit(self)
        self.problems.setObjectName("VisitProblems")
        self.problems.setTabChangesFocus(True)
        self.problems.setPlaceholderText(self.tr("One problem per line; each goes to the problem list"))
        self.problems.setFixedHeight(56)
        self.photo_picker = PhotoPicker(self)
        self.photo_view, self.photo_button = self.photo_picker.list, self.photo_picker.button

        self.add_row(self.tr("Household *"), self.household, "household_id")
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.date)
        line.addSpacing(12)
        line.addWidget(QLabel(self.tr("Way"), self))
        line.addWidget(self.method)
        line.addSpacing(12)
        line.addWidget(self.present)
        line.addStretch(1)
        self.add_row(self.tr("Date *"), line, "visit_date", error_widget=self.date)
        self.add_row(self.tr("Visitors *"), self.cadres_box, "cadre_ids")
        self.add_row(self.tr("Purposes"), self.purposes, "purposes")
        self.add_row(self.tr("Findings"), self.findings, "findings")
        if visit is None:  # a saved visit's problems live in the problem list, its photos stay as they are
            self.add_row(self.tr("Problems raised"), self.problems, "problems")
            self.add_row(self.tr("Photos"), self.photo_picker, "photos")
        else:
            for w in (self.problems, self.photo_picker):
                w.hide()
            self._load(visit)
        self.save_button.setText(self.tr("Save visit"))
        self.save_button.setObjectName("SaveVisit")
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.finish(760)
        (self.date if household_id else self.household).setFocus()
        self.closed = services.closing.closure_on(visit.visit_date) if visit is not None else None
        if self.closed is not None:  # 结账: shown, not saved (the service would refuse it anyway)
            self.setWindowTitle(self.tr("Visit (closed: {period})").format(period=self.closed.label))
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(self.tr("Closed ({period}, by {who} on {day}): read-only").format(
                period=self.closed.label, who=self.closed.closed_by, day=self.closed.closed_on.isoformat()))

    @property
    def saved_visit(self) -> VisitDTO | None:
        return self.outcome.value if self.outcome is not None else None

    def _load(self, v: VisitDTO) -> None:
        self.date.setValue(v.visit_date)
        self.method.set_code(v.method)
        self.purposes.set_codes(v.purposes)
        self.present.setChecked(v.present)
        self.findings.setPlainText(v.findings or "")

    def state(self) -> tuple:
        """What she typed or chose (the visitors list follows the household, so only the ticked ones count)."""
        return super().state() + (self.photo_picker.paths(),)

    def _rebuild_cadres(self, checked) -> None:
        """Visitors to tick: the work team and the helpers paired with the chosen household."""
        hid = self.household.household_id()
        paired = {p.cadre_id for p in self.services.pairings.of_household(hid) if p.end_date is None} if hid else set()
        people = [c for c in self.services.cadres.list()
                  if (c.in_team and c.role in ("secretary", "member")) or c.id in paired or c.id in set(checked)]
        if self.cadres is not None:
            self.cadres_box.layout().removeWidget(self.cadres)
            self.cadres.setParent(None)
            self.cadres.deleteLater()
        self.cadres = CheckGrid([(c.id, c.name) for c in people], 4, self.cadres_box)
        self.cadres.set_codes(checked)
        self.cadres_box.layout().addWidget(self.cadres)

    def add_photos(self, files: list[str]) -> None:
        self.photo_picker.add(files)

    def visit_input(self) -> VisitInput:
        cadres = self.cadres.codes()
        lines = [t.strip() for t in self.problems.toPlainText().splitlines() if t.strip()]
        v = self.visit
        return VisitInput(
            household_id=self.household.household_id() or "", visit_date=self.date.value(),
            cadre_ids=cadres, purposes=self.purposes.codes(), present=self.present.isChecked(),
            method=self.method.code() or "in_person", findings=self.findings.toPlainText().strip() or None,
            problems=tuple(ProblemInput(description=t, responsible_id=cadres[0] if cadres else None)
                           for t in lines) if v is None else (),
            photos=tuple(str(p) for p in self.photo_picker.paths()),
            # what this form does not show is kept as it was
            people_present=v.people_present if v else None, actions=v.actions if v else None,
            satisfaction=v.satisfaction if v else None, note=v.note if v else None,
            checks=v.checks if v else ())

    def submit(self):
        data = self.visit_input()
        if not data.household_id:
            raise ValidationError("household_id", self.tr("Choose the household you visited"))
        if self.visit is not None:
            return self.services.visits.update, self.visit.id, data
        # photos (up to 50 MB each) are hashed and copied by the service, in the write pool
        return self.services.visits.log_visit, data

    def map_error(self, exc: BaseException) -> BaseException:
        if isinstance(exc, ValidationError) and exc.field.startswith("problems["):
            return ValidationError("problems", exc.message)
        return exc
