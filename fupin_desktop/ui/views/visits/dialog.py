"""记一次走访: loggable in under a minute with the keyboard.

Tab order: household search → household → date (today) → visitors (me, ticked) → purposes → met in person →
findings → problems (one per line) → Save. Ctrl+S saves from anywhere; Tab leaves the text boxes.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import FupinError, ValidationError
from fupin_desktop.services.households import HouseholdQuery
from fupin_desktop.services.problems import ProblemInput
from fupin_desktop.services.visits import VisitInput
from fupin_desktop.ui import messages
from fupin_desktop.ui.events import bus
from fupin_desktop.ui.views.households.common import CheckGrid, confirm_discard
from fupin_desktop.ui.widgets import CodeCombo, DateEdit, FieldError, FormErrors, SearchBox

THUMB = 88
PHOTO_FILTER = "*.jpg *.jpeg *.png *.bmp *.gif *.webp *.heic"


def thumbnail(path: str | Path, size: int = THUMB) -> QIcon:
    pm = QPixmap(str(path))
    if pm.isNull():
        return QIcon()
    return QIcon(pm.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                           Qt.TransformationMode.SmoothTransformation))


def photo_list(parent: QWidget) -> QListWidget:
    w = QListWidget(parent)
    w.setViewMode(QListWidget.ViewMode.IconMode)
    w.setIconSize(QSize(THUMB, THUMB))
    w.setFlow(QListWidget.Flow.LeftToRight)
    w.setWrapping(False)
    w.setFixedHeight(THUMB + 40)
    w.setMovement(QListWidget.Movement.Static)
    return w


class HouseholdPicker(QWidget):
    """Type a name, pinyin initials, 户编号 or ID tail; matching households fill the combo (first one chosen)."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.search = SearchBox(self, self.tr("Find household: name, zs, number…"))
        self.search.setObjectName("VisitHouseholdSearch")
        self.combo = QComboBox(self)
        self.combo.setObjectName("VisitHousehold")
        self.combo.setMinimumWidth(260)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.search, 1)
        lay.addWidget(self.combo, 2)
        self.search.searchChanged.connect(self.find)
        self.setFocusProxy(self.search)

    def find(self, text: str) -> None:
        self.combo.clear()
        if not text.strip():
            return
        for r in self.services.households.page(HouseholdQuery(text=text, sort="head_name"), 0, 30):
            self.combo.addItem(f"{r.head_name} · {r.group_name or ''} · {r.number}", r.id)

    def household_id(self) -> str | None:
        return self.combo.currentData()

    def set_household(self, household_id: str) -> None:
        h = self.services.households.get(household_id)
        self.combo.clear()
        self.combo.addItem(f"{h.head_name} · {h.group_name or ''} · {h.number}", h.id)


class VisitDialog(QDialog):
    def __init__(self, services, household_id: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Log a visit"))
        self.errors = FormErrors()
        self.photos: list[str] = []

        self.household = HouseholdPicker(services, self)
        if household_id:
            self.household.set_household(household_id)
            self.household.search.hide()
        self.date = DateEdit(self, value=services.ctx.today())
        self.date.setObjectName("VisitDate")
        self.cadres_box = QWidget(self)
        QVBoxLayout(self.cadres_box).setContentsMargins(0, 0, 0, 0)
        self.cadres = None
        me = services.cadres.current()
        self._rebuild_cadres([me.id] if me is not None else [])
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
        self.photo_button = QPushButton(self.tr("Add photos…"), self)
        self.photo_button.clicked.connect(self.choose_photos)
        self.photo_view = photo_list(self)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        def row(label: str, widget: QWidget, name: str | None, focus: QWidget | None = None) -> None:
            box = QWidget(self)
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(2)
            v.addWidget(widget)
            err = FieldError(box)
            v.addWidget(err)
            form.addRow(label, box)
            if name:
                self.errors.add(name, focus or widget, err)

        row(self.tr("Household *"), self.household, "household_id")
        line = QHBoxLayout()
        line.addWidget(self.date)
        line.addSpacing(12)
        line.addWidget(QLabel(self.tr("Way"), self))
        line.addWidget(self.method)
        line.addSpacing(12)
        line.addWidget(self.present)
        line.addStretch(1)
        date_box = QWidget(self)
        date_box.setLayout(line)
        line.setContentsMargins(0, 0, 0, 0)
        row(self.tr("Date *"), date_box, "visit_date", self.date)
        row(self.tr("Visitors *"), self.cadres_box, "cadre_ids")
        row(self.tr("Purposes"), self.purposes, "purposes")
        row(self.tr("Findings"), self.findings, "findings")
        row(self.tr("Problems raised"), self.problems, "problems")
        photos = QHBoxLayout()
        photos.addWidget(self.photo_view, 1)
        photos.addWidget(self.photo_button, 0, Qt.AlignmentFlag.AlignTop)
        photo_box = QWidget(self)
        photo_box.setLayout(photos)
        photos.setContentsMargins(0, 0, 0, 0)
        row(self.tr("Photos"), photo_box, "photos")
        self.general_error = FieldError(self)

        self.save_button = QPushButton(self.tr("Save visit"), self)
        self.save_button.setObjectName("SaveVisit")
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_error, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        QShortcut(QKeySequence("Ctrl+S"), self).activated.connect(self.save)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(buttons)
        self.resize(760, self.sizeHint().height())
        (self.date if household_id else self.household).setFocus()
        self.saved_visit = None
        self._clean = self._form_state()

    # -- unsaved changes -------------------------------------------------------------------------------------------
    def _form_state(self) -> tuple:
        """What she typed or chose (the household and the visitors list follow each other, so not the latter)."""
        return (self.date.value(), self.method.code(), self.purposes.codes(), self.present.isChecked(),
                self.findings.toPlainText().strip(), self.problems.toPlainText().strip(), tuple(self.photos))

    def is_dirty(self) -> bool:
        return self._form_state() != self._clean

    def reject(self) -> None:
        """Esc / Cancel: ask before throwing away what was typed (UI.md)."""
        if self.is_dirty() and not confirm_discard(self):
            return
        super().reject()

    def _rebuild_cadres(self, checked) -> None:
        """Visitors to tick: the work team and the helpers paired with the chosen household."""
        hid = self.household.household_id()
        paired = {p.cadre_id for p in self.services.pairings.of_household(hid) if p.end_date is None} if hid else set()
        people = [c for c in self.services.cadres.list()
                  if (c.in_team and c.role in ("secretary", "member")) or c.id in paired or c.id in set(checked)]
        if self.cadres is not None:
            self.cadres_box.layout().removeWidget(self.cadres)
            self.cadres.deleteLater()
        self.cadres = CheckGrid([(c.id, c.name) for c in people], 4, self.cadres_box)
        self.cadres.set_codes(checked)
        self.cadres_box.layout().addWidget(self.cadres)

    def choose_photos(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose photos"), "",
                                                self.tr("Photos ({patterns})").format(patterns=PHOTO_FILTER))
        self.add_photos(files)

    def add_photos(self, files: list[str]) -> None:
        for f in files:
            if f in self.photos:
                continue
            self.photos.append(f)
            item = QListWidgetItem(thumbnail(f), Path(f).name[:14])
            item.setToolTip(f)
            self.photo_view.addItem(item)

    def visit_input(self) -> VisitInput:
        cadres = self.cadres.codes()
        lines = [t.strip() for t in self.problems.toPlainText().splitlines() if t.strip()]
        return VisitInput(
            household_id=self.household.household_id() or "", visit_date=self.date.value(),
            cadre_ids=cadres, purposes=self.purposes.codes(), present=self.present.isChecked(),
            method=self.method.code() or "in_person", findings=self.findings.toPlainText().strip() or None,
            problems=tuple(ProblemInput(description=t, responsible_id=cadres[0] if cadres else None)
                           for t in lines),
            photos=tuple(self.photos))

    def save(self) -> None:
        self.errors.clear()
        self.general_error.clear_error()
        data = self.visit_input()
        if not data.household_id:
            self.errors.show(ValidationError("household_id", self.tr("Choose the household you visited")))
            return
        try:
            outcome = self.services.visits.log_visit(data)
        except ValidationError as exc:
            if exc.field.startswith("problems["):
                exc = ValidationError("problems", exc.message)
            if not self.errors.show(exc):
                self.general_error.show_error(str(exc))
            return
        except FupinError as exc:
            messages.error(self, exc)
            return
        self.saved_visit = outcome.value
        bus().publish(outcome.changes, self)
        self.accept()
