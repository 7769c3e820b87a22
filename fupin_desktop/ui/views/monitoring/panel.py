"""The monitoring panel of one household: where it stands, the timeline of steps, the next step, and its
帮扶措施 with the 6-month development-measure rule. Used by the 防返贫监测 page and usable as a registry tab."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import FupinError
from fupin_desktop.domain.money import format_yuan
from fupin_desktop.ui import messages, style, tasks
from fupin_desktop.ui.views.monitoring.dialogs import (
    EarlierRecordDialog, MeasureDialog, MonitoringStepDialog, date_text,
)
from fupin_desktop.ui.widgets.columns import ColumnChooser
from fupin_desktop.ui.widgets.tables import cell, fit_columns, plain_table


class MonitoringPanel(QWidget):
    """``show_household(id)``; signal ``changed()`` after a step or measure was saved."""

    changed = Signal()

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.household_id: str | None = None
        self.status = None
        self.dialog = None  # the open dialog (kept so tests can reach it)

        self.title = QLabel(self)
        self.title.setObjectName("PageTitle")
        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.next_button = QPushButton(self.tr("Record next step"), self)
        self.next_button.setProperty("primary", True)
        self.next_button.setToolTip(self.tr("Record the next step of the monitoring procedure"))
        self.next_button.clicked.connect(self.record_next)
        self.undo_button = QPushButton(self.tr("Undo last step"), self)
        self.undo_button.clicked.connect(self.undo_last)
        self.earlier_button = QPushButton(self.tr("Enter an earlier record"), self)
        self.earlier_button.setToolTip(self.tr(
            "A household identified (and perhaps eliminated) before the team kept records: enter its dates and "
            "way in one go"))
        self.earlier_button.clicked.connect(self.enter_earlier)

        self.steps = plain_table(self, [self.tr("Date"), self.tr("Step"), self.tr("Done by"), self.tr("Details")])
        fit_columns(self.steps, ("2023年12月28日", "村民主评议", "古冶区乡村振兴局"))

        self.measure_title = QLabel(self.tr("Assistance measures"), self)
        self.measure_title.setStyleSheet("font-weight: bold;")
        self.rule = QLabel(self)
        self.rule.setWordWrap(True)
        self.measures = plain_table(self, [self.tr("Date"), self.tr("Category"), self.tr("Content"),
                                          self.tr("Amount (yuan)"), self.tr("Responsible"), self.tr("Result")])
        fit_columns(self.measures, ("2023年12月28日", "产业帮扶（开发式）", "发放产业奖补资金，扶持",
                                    "50,000.00", "王立新"))
        self.measure_columns = ColumnChooser(self.measures, "monitoring/measure_columns",
                                             hidden_by_default=(self.tr("Result"),))
        self.measures.doubleClicked.connect(lambda _i: self.edit_measure())
        self.add_measure_button = QPushButton(self.tr("Add measure"), self)
        self.add_measure_button.clicked.connect(self.add_measure)
        self.edit_measure_button = QPushButton(self.tr("Edit"), self)
        self.edit_measure_button.clicked.connect(self.edit_measure)
        self.delete_measure_button = QPushButton(self.tr("Delete"), self)
        self.delete_measure_button.clicked.connect(self.delete_measure)

        buttons = QHBoxLayout()
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.earlier_button)
        buttons.addStretch(1)
        mbuttons = QHBoxLayout()
        mbuttons.addWidget(self.measure_title)
        mbuttons.addStretch(1)
        for b in (self.add_measure_button, self.edit_measure_button, self.delete_measure_button):
            mbuttons.addWidget(b)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.facts)
        lay.addWidget(self.hint)
        lay.addLayout(buttons)
        lay.addWidget(self.steps, 3)
        lay.addLayout(mbuttons)
        lay.addWidget(self.rule)
        lay.addWidget(self.measures, 2)
        self._set_enabled(False)
        self.title.setText(self.tr("Choose a household on the left"))

    def _set_enabled(self, on: bool) -> None:
        for w in (self.next_button, self.undo_button, self.earlier_button, self.add_measure_button, self.edit_measure_button,
                  self.delete_measure_button):
            w.setEnabled(on)

    # -- showing --------------------------------------------------------------------------------------------------
    def show_household(self, household_id: str | None) -> None:
        self.household_id = household_id
        if not household_id:
            self.status = None
            self._set_enabled(False)
            self.title.setText(self.tr("Choose a household on the left"))
            self.facts.clear()
            self.hint.clear()
            self.rule.clear()
            self.steps.setRowCount(0)
            self.measures.setRowCount(0)
            return
        try:
            st = self.services.monitoring.status(household_id)
        except FupinError:
            self.show_household(None)
            return
        self.status = st
        self._set_enabled(True)
        self.undo_button.setEnabled(bool(st.steps))
        self.earlier_button.setEnabled(not st.steps)  # only before any recorded step
        self.title.setText(self.tr("{name} (household {number})").format(name=st.head_name, number=st.number))
        parts = [self.tr("{n} people").format(n=st.member_count)]
        if st.monitoring_category:
            parts.append(codes.label("monitoring_category", st.monitoring_category))
        if st.risk_types:
            parts.append(self.tr("Risks: {risks}").format(
                risks="、".join(codes.label("risk_type", r) for r in st.risk_types)))
        if st.identified_on:
            parts.append(self.tr("Identified {month}").format(
                month=f"{st.identified_on.year}年{st.identified_on.month}月"))
        if st.risk_eliminated:
            parts.append(self.tr("Risk eliminated ({way}) on {day}").format(
                way=codes.label("elimination_way", st.elimination_way), day=date_text(st.eliminated_on)))
        elif st.monitoring_category:
            parts.append(self.tr("Risk not eliminated"))
        current = codes.label("monitoring_stage", st.stage) if st.stage else self.tr("not in monitoring")
        self.facts.setText(self.tr("Current step: {stage}").format(stage=current) + " · " + " · ".join(parts))
        self.hint.setText(st.hint)
        self.next_button.setText(self.tr("Record next step: {stage}").format(
            stage=codes.label("monitoring_stage", st.next_stage)))
        self.steps.setRowCount(0)
        for step in reversed(st.steps):
            r = self.steps.rowCount()
            self.steps.insertRow(r)
            details = []
            if step.source:
                details.append(codes.label("clue_source", step.source))
            if step.category:
                details.append(codes.label("monitoring_category", step.category))
            if step.risk_types:
                details.append("、".join(codes.label("risk_type", x) for x in step.risk_types))
            if step.elimination_way:
                details.append(codes.label("elimination_way", step.elimination_way))
            if step.note:
                details.append(step.note)
            for c, text in enumerate((date_text(step.step_date), step.stage_label, step.actor or "",
                                      "；".join(details))):
                self.steps.setItem(r, c, cell(text, data=step.id))
        if not st.steps:
            self.steps.insertRow(0)
            text = (self.tr("Marked as monitored in the registry; no steps recorded yet.") if st.from_registry
                    else self.tr("No steps yet. Record a risk clue to start."))
            self.steps.setItem(0, 3, cell(text))
        self._show_measures()

    def _show_measures(self) -> None:
        hid = self.household_id
        rows = self.services.measures.of_household(hid)
        dev = self.services.measures.development_status(hid)
        if not dev.applies:
            colour, mark = style.MUTED, self.tr("Not applicable")
        elif dev.met:
            colour, mark = style.SUCCESS, self.tr("Met")
        elif dev.finding:
            colour, mark = style.ERROR, self.tr("Overdue")
        else:
            colour, mark = style.WARNING, self.tr("Due")
        rule = self.tr("6-month rule")
        self.rule.setText(f"<span style='color:{colour}; font-weight:bold'>{rule}：{mark}</span> {dev.text}")
        self.measures.setRowCount(0)
        self._measure_rows = rows
        for m in rows:
            r = self.measures.rowCount()
            self.measures.insertRow(r)
            amount = format_yuan(m.amount) if m.amount is not None else ""
            label = m.category_label + (self.tr(" (development)") if m.development else "")
            for c, text in enumerate((date_text(m.measure_date), label, m.content, amount,
                                      m.responsible_name or "", m.result or "")):
                item = cell(text, data=m.id)
                if c == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.measures.setItem(r, c, item)

    # -- actions --------------------------------------------------------------------------------------------------
    def record_next(self, stage: str | None = None) -> MonitoringStepDialog | None:
        if not self.status:
            return None
        default = max(self.services.ctx.today(), self.status.earliest_next_date or self.services.ctx.today())
        dlg = MonitoringStepDialog(self.services, self.status, self, stage=stage if isinstance(stage, str) else None,
                         default_date=min(default, self.services.ctx.today()))
        dlg.saved.connect(lambda _s: self._after_save())
        self.dialog = dlg
        dlg.open()
        return dlg

    def enter_earlier(self) -> EarlierRecordDialog | None:
        if not self.status or self.status.steps:
            return None
        dlg = EarlierRecordDialog(self.services, self.status, self)
        dlg.saved.connect(lambda _s: self._after_save())
        self.dialog = dlg
        dlg.open()
        return dlg

    def undo_last(self) -> None:
        if not self.status or not self.status.steps:
            return
        last = self.status.steps[-1]
        if not messages.confirm(self, self.tr("Undo the step “{stage}” of {day}?").format(
                stage=last.stage_label, day=date_text(last.step_date)), self.tr("Undo"), destructive=True):
            return
        tasks.run_in_background(self.services.monitoring.delete_last_step, self.household_id, parent=self,
                                writes=True, on_success=lambda _o: self._after_save())

    def _selected_measure(self):
        r = self.measures.currentRow()
        rows = getattr(self, "_measure_rows", [])
        return rows[r] if 0 <= r < len(rows) else None

    def add_measure(self) -> MeasureDialog | None:
        if not self.household_id:
            return None
        dlg = MeasureDialog(self.services, self.household_id, None, self)
        dlg.saved.connect(lambda _m: self._after_save())
        self.dialog = dlg
        dlg.open()
        return dlg

    def edit_measure(self) -> MeasureDialog | None:
        m = self._selected_measure()
        if m is None:
            return None
        dlg = MeasureDialog(self.services, self.household_id, m, self)
        dlg.saved.connect(lambda _m: self._after_save())
        self.dialog = dlg
        dlg.open()
        return dlg

    def delete_measure(self) -> None:
        m = self._selected_measure()
        if m is None:
            return
        if not messages.confirm(self, self.tr("Delete the measure “{content}”?").format(content=m.content[:30]),
                                self.tr("Delete"), destructive=True):
            return
        tasks.run_in_background(self.services.measures.delete, m.id, parent=self, writes=True,
                                on_success=lambda _o: self._after_save())

    def _after_save(self) -> None:
        self.show_household(self.household_id)
        self.changed.emit()
