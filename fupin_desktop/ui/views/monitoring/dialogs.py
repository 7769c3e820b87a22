"""Dialogs of the 防返贫监测 page: record the next step (with the elimination checks for 风险消除), a measure, and
choosing a household for a new 风险线索.

Dialogs are shown with ``open()`` (not ``exec()``): the caller connects ``saved`` and keeps a reference, so tests
can fill them in like a user would.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import format_cn_date
from fupin_desktop.domain.errors import FupinError
from fupin_desktop.services.measures import MeasureInput
from fupin_desktop.services.monitoring import MAX_RISK_TYPES, EarlierRecord, StepInput
from fupin_desktop.ui import style
from fupin_desktop.ui.widgets import CodeCombo, DateEdit, FieldError, MoneyEdit
from fupin_desktop.ui.widgets.form_dialog import FormDialog
from fupin_desktop.ui.widgets.page_parts import CheckGrid


def risk_grid(parent: QWidget, chosen, columns: int) -> CheckGrid:
    """The 风险类型 boxes: at most MAX_RISK_TYPES ticked (the rest are disabled meanwhile)."""
    grid = CheckGrid([(i.code, i.label) for i in codes.get("risk_type").items()], columns, parent,
                     limit=MAX_RISK_TYPES)
    grid.set_codes([c for c in chosen if c in grid.boxes])
    return grid


class MonitoringStepDialog(FormDialog):
    """Record the next step of one household. For 风险消除 the checks of domain.md §2.2 are shown as they are
    evaluated; the step is refused by the service when one fails."""

    saved = Signal(object)  # MonitoringStatus
    state_key = "dialogs/monitoring_step"

    def __init__(self, services, status, parent: QWidget | None = None, stage: str | None = None,
                 default_date: date | None = None):
        super().__init__(parent)
        self.services = services
        self.status = status
        self.setWindowTitle(self.tr("Record the next step — {name}").format(name=status.head_name))
        self.setMinimumWidth(560)

        self.stage = CodeCombo("monitoring_stage", self, only=list(status.next_stages))
        if stage in status.next_stages:
            self.stage.set_code(stage)
        today = services.ctx.today()
        self.step_date = DateEdit(self, value=default_date or today)
        self.actor = QComboBox(self)
        self.actor.setEditable(True)
        self.actor.setMinimumWidth(260)
        self.source = CodeCombo("clue_source", self)
        self.category = CodeCombo("monitoring_category", self)
        self.risks = risk_grid(self, status.risk_types, columns=4)
        self.risk_boxes = self.risks.boxes
        self.way = CodeCombo("elimination_way", self)
        self.people = QSpinBox(self)
        self.people.setRange(1, 99)
        self.people.setValue(max(1, status.member_count))
        self.note = QPlainTextEdit(self)
        self.note.setFixedHeight(64)
        self.checks = QLabel(self)
        self.checks.setWordWrap(True)
        self.checks.setTextFormat(Qt.TextFormat.RichText)
        self.hint = QLabel(status.hint, self)
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)

        self._rows: dict[str, tuple[QWidget, ...]] = {}
        for key, title, widget in (
            ("stage", self.tr("Step"), self.stage), ("step_date", self.tr("Date"), self.step_date),
            ("actor", self.tr("Done by"), self.actor), ("source", self.tr("Clue source"), self.source),
            ("category", self.tr("Monitoring category"), self.category),
            ("risk_types", self.tr("Risk types (up to 5)"), self.risks),
            ("elimination_way", self.tr("Elimination way"), self.way), ("people", self.tr("People"), self.people),
            ("note", self.tr("Note"), self.note),
        ):
            err = self.add_row(title, widget, key)
            self._rows[key] = (widget, err)
        self.elimination_error = FieldError(self)
        self.errors.add("elimination", self.way, self.elimination_error)
        self.save_button.setText(self.tr("Save"))
        self.body.insertWidget(0, self.hint)
        self.body.addWidget(self.checks)
        self.body.addWidget(self.elimination_error)

        self.stage.codeChanged.connect(lambda _c: self._stage_changed())
        for signal in (self.way.codeChanged, self.step_date.dateChanged, self.note.textChanged):
            signal.connect(lambda *_: self._review())
        self._stage_changed()
        self.finish()

    # -- behaviour ------------------------------------------------------------------------------------------------
    def _default_actor(self, stage: str) -> list[str]:
        me = self.services.ctx.actor.name or ""
        team = self.tr("Village work team")
        committee = self.tr("Village committee")
        township = self.tr("Township government")
        county = self.tr("County rural revitalisation bureau")
        by_stage = {
            "clue": [me, team], "application": [self.status.head_name], "verification": [team, me],
            "village_review": [committee], "publicity": [committee], "township_review": [township],
            "county_approval": [county], "identified": [county], "assisting": [team, me], "eliminated": [county],
        }
        names = by_stage.get(stage, [me])
        others = [c.name for c in self.services.cadres.list()]
        return [n for n in dict.fromkeys(names + others + [team, committee, township, county]) if n]

    def _stage_changed(self) -> None:
        stage = self.stage.code()
        self.actor.clear()
        self.actor.addItems(self._default_actor(stage))
        self.actor.setCurrentIndex(0)
        visible = {"source": stage == "clue", "category": stage == "identified",
                   "risk_types": stage == "identified", "elimination_way": stage == "eliminated"}
        for key, show in visible.items():
            widget, err = self._rows[key]
            box = err.parentWidget()  # the row: input + its error
            box.setVisible(show)
            self.form.labelForField(box).setVisible(show)
            if not show:
                err.clear_error()
        self.checks.setVisible(stage == "eliminated")
        self._review()
        self.adjustSize()

    def _review(self) -> None:
        if self.stage.code() != "eliminated":
            self.review = None
            return
        try:
            review = self.services.monitoring.review_elimination(
                self.status.household_id, self.way.code() or "assisted", self.step_date.value(),
                self.note.toPlainText())
        except FupinError as exc:
            self.checks.setText(str(exc))
            return
        self.review = review
        heading = self.tr("Checks before the risk is marked eliminated")
        lines = [f"<b>{heading}</b>"]
        for c in review.checks:
            if c.ok:
                mark, colour = self.tr("✔ met"), style.SUCCESS
            elif c.blocking:
                mark, colour = self.tr("✘ not met"), style.ERROR
            else:
                mark, colour = self.tr("! please verify"), style.WARNING
            lines.append(f"<span style='color:{colour}'>{mark}</span> {c.title}：{_html(c.detail)}")
        self.checks.setText("<br>".join(lines))

    def value(self) -> StepInput:
        return StepInput(
            stage=self.stage.code(), step_date=self.step_date.value(), actor=self.actor.currentText(),
            source=self.source.code(), category=self.category.code(),
            risk_types=tuple(c for c, b in self.risk_boxes.items() if b.isChecked()),
            elimination_way=self.way.code(), people=self.people.value(), note=self.note.toPlainText())

    def submit(self):
        return self.services.monitoring.record_step, self.status.household_id, self.value()

    def after_save(self, outcome) -> None:
        self.saved.emit(outcome.value)
        self.accept()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class MeasureDialog(FormDialog):
    """Add or edit a 帮扶措施 of one household."""

    saved = Signal(object)
    state_key = "dialogs/measure"

    def __init__(self, services, household_id: str, measure=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.household_id = household_id
        self.measure = measure
        self.setWindowTitle(self.tr("Edit measure") if measure else self.tr("New measure"))
        self.setMinimumWidth(480)
        self.category = CodeCombo("measure_category", self)
        self.measure_date = DateEdit(self, value=services.ctx.today())
        self.content = QPlainTextEdit(self)
        self.content.setFixedHeight(60)
        self.amount = MoneyEdit(self)
        self.responsible = QComboBox(self)
        self.responsible.addItem(self.tr("(none)"), None)
        for c in services.cadres.list():
            self.responsible.addItem(c.name, c.id)
        self.result = QLineEdit(self)
        for key, title, widget in (
            ("category", self.tr("Category"), self.category), ("measure_date", self.tr("Date"), self.measure_date),
            ("content", self.tr("Content"), self.content), ("amount", self.tr("Amount"), self.amount),
            ("responsible_id", self.tr("Responsible cadre"), self.responsible),
            ("result", self.tr("Result"), self.result),
        ):
            self.add_row(title, widget, key)
        self.rule = QLabel(self.tr("Development-type measures (industry, employment, finance, public-welfare job) "
                                   "count for the 6-month rule."), self)
        self.rule.setObjectName("Hint")
        self.rule.setWordWrap(True)
        self.body.addWidget(self.rule)
        self.save_button.setText(self.tr("Save"))
        if measure:
            self.category.set_code(measure.category)
            self.measure_date.setValue(measure.measure_date)
            self.content.setPlainText(measure.content)
            self.amount.setValue(measure.amount)
            i = self.responsible.findData(measure.responsible_id)
            self.responsible.setCurrentIndex(max(0, i))
            self.result.setText(measure.result or "")
        self.finish()

    def submit(self):
        data = MeasureInput(self.household_id, self.category.code(), self.measure_date.value(),
                            self.content.toPlainText(), self.amount.value(), self.responsible.currentData(),
                            self.result.text())
        if self.measure:
            return self.services.measures.update, self.measure.id, data
        return self.services.measures.add, data

    def after_save(self, outcome) -> None:
        self.saved.emit(outcome.value)
        self.accept()


class EarlierRecordDialog(FormDialog):
    """Enter a monitoring cycle from before the records in one go (识别监测时间, and when the risk is already
    eliminated its day and way), as the county system shows it, instead of replaying every step."""

    saved = Signal(object)  # MonitoringStatus
    state_key = "dialogs/monitoring_earlier"

    def __init__(self, services, status, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.status = status
        self.setWindowTitle(self.tr("Enter an earlier monitoring record — {name}").format(name=status.head_name))
        self.setMinimumWidth(640)
        self.category = CodeCombo("monitoring_category", self)
        if status.monitoring_category:
            self.category.set_code(status.monitoring_category)
        risks = risk_grid(self, status.risk_types, columns=3)  # three a row: the longest risk names stay whole
        self.risk_boxes = risks.boxes
        self.identified_on = DateEdit(self, allow_empty=True, value=status.identified_on)
        self.eliminated = QCheckBox(self.tr("Risk already eliminated"), self)
        self.eliminated_on = DateEdit(self, allow_empty=True)
        self.way = CodeCombo("elimination_way", self)
        for key, title, widget in (
            ("category", self.tr("Monitoring category"), self.category),
            ("risk_types", self.tr("Risk types (up to 5)"), risks),
            ("identified_on", self.tr("Identified on"), self.identified_on),
            ("eliminated", None, self.eliminated),
            ("eliminated_on", self.tr("Eliminated on"), self.eliminated_on),
            ("elimination_way", self.tr("Elimination way"), self.way),
        ):
            self.add_row(title, widget, key)
        hint = QLabel(self.tr("For a household identified before the team kept records: enter it as the county "
                              "system shows it. Later steps are recorded one by one."), self)
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        self.body.insertWidget(0, hint)
        self.eliminated.toggled.connect(self._toggle)
        self._toggle(False)
        self.save_button.setText(self.tr("Save"))
        self.finish()

    def _toggle(self, on: bool) -> None:
        self.eliminated_on.setEnabled(on)
        self.way.setEnabled(on)

    def submit(self):
        done = self.eliminated.isChecked()
        data = EarlierRecord(
            category=self.category.code(), risk_types=tuple(c for c, b in self.risk_boxes.items() if b.isChecked()),
            identified_on=self.identified_on.value(), eliminated_on=self.eliminated_on.value() if done else None,
            elimination_way=self.way.code() if done else None)
        return self.services.monitoring.record_earlier, self.status.household_id, data

    def after_save(self, outcome) -> None:
        self.saved.emit(outcome.value)
        self.accept()


def date_text(d: date | None) -> str:
    return format_cn_date(d) if d else ""
