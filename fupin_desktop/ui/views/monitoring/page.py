"""防返贫监测: monitored households with their stage and next step, the household's monitoring panel, risk
prompts (households worth a visit), the 帮扶措施 ledger and the monitoring-line table (year × area)."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QSplitter, QStackedWidget,
    QTabWidget, QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import format_yuan
from fupin_desktop.services.monitoring import MonitoredQuery
from fupin_desktop.services.risk import RULES
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.views.monitoring.dialogs import date_text
from fupin_desktop.ui.widgets.household_field import ChooseHouseholdDialog
from fupin_desktop.ui.views.monitoring.panel import MonitoringPanel
from fupin_desktop.ui.widgets.page_parts import EmptyState
from fupin_desktop.ui.widgets.tables import cell, fit_columns, plain_table
from fupin_desktop.ui.widgets.columns import ColumnChooser
from fupin_desktop.ui.widgets.refresh import RefreshOnChange
from fupin_desktop.ui.widgets.village_scope import village_scope
from fupin_desktop.ui.widgets import CodeCombo, FieldError, MoneyEdit, SearchBox, remember_splitter


class MonitoringPage(RefreshOnChange, QWidget):
    WATCHED = ("household", "monitoring_step", "measure", "monitoring_line", "member", "household_income", "visit",
               "visit_check", "setting")

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.picker = None

        title = QLabel(self.tr("Monitoring"), self)
        title.setObjectName("PageTitle")
        self.clue_button = QPushButton(self.tr("New risk clue"), self)
        self.clue_button.setProperty("primary", True)
        self.clue_button.setToolTip(self.tr("Record a risk clue for a household (Ctrl+N)"))
        self.clue_button.clicked.connect(self.new_clue)
        QShortcut(QKeySequence("Ctrl+N"), self).activated.connect(self.new_clue)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.clue_button)

        self.tabs = QTabWidget(self)
        self.households_tab = self._build_households_tab()
        self.risk_tab = MonitoringRiskTab(services, self)
        self.risk_tab.clue_requested.connect(self.start_clue)
        self.ledger_tab = MeasureLedgerTab(services, self)
        self.lines_tab = MonitoringLinesTab(services, self)
        self.tabs.addTab(self.households_tab, self.tr("Monitored households"))
        self.tabs.addTab(self.risk_tab, self.tr("Risk prompts"))
        self.tabs.addTab(self.ledger_tab, self.tr("Measures ledger"))
        self.tabs.addTab(self.lines_tab, self.tr("Monitoring lines"))
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current_tab())

        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 14, 20, 10)
        lay.addLayout(header)
        lay.addWidget(self.tabs, 1)
        self.watch_changes()  # its own saves refresh the panel, the list and the lines tab themselves
        self.reload()

    # -- the monitored-households tab -----------------------------------------------------------------------------
    def _build_households_tab(self) -> QWidget:
        w = QWidget(self)
        self.search = SearchBox(w, self.tr("Name, pinyin initials or household no."))
        self.search.searchChanged.connect(lambda _t: self.reload())
        self.stage_combo = CodeCombo("monitoring_stage", w, empty_text=self.tr("All steps"))
        self.stage_combo.codeChanged.connect(lambda _c: self.reload())
        self.status_combo = QComboBox(w)
        self.status_combo.addItem(self.tr("All"), None)
        self.status_combo.addItem(self.tr("Risk not eliminated"), "open")
        self.status_combo.addItem(self.tr("Risk eliminated"), "eliminated")
        self.status_combo.setCurrentIndex(1)
        self.status_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.count_label = QLabel(w)
        self.count_label.setObjectName("Hint")
        self.figures = QLabel(w)
        self.figures.setWordWrap(True)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.stage_combo)
        filters.addWidget(self.status_combo)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        self.table = plain_table(w, [self.tr("Household no."), self.tr("Head"), self.tr("Category"),
                                    self.tr("Current step"), self.tr("Since"), self.tr("Next step"),
                                    self.tr("People")])
        fit_columns(self.table, ("1302042032130091", "欧阳明", "突发严重困难户", "村民主评议", "2023年12月28日",
                                 "村民主评议"))
        # at 1366 px the list shares the width with the household's panel (which shows the date and next step)
        self.columns = ColumnChooser(self.table, "monitoring/columns", hidden_by_default=(
            self.tr("Since"), self.tr("Next step"), self.tr("People")))
        self.table.currentCellChanged.connect(lambda r, *_: self._row_changed(r))
        self.empty = EmptyState(w)
        self.empty.set(self.tr("No household is being monitored. When a visit or a report shows a risk of falling "
                               "into poverty, record a risk clue."), self.tr("New risk clue"), self.new_clue)
        self.list_stack = QStackedWidget(w)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)
        self.panel = MonitoringPanel(self.services, w)
        self.panel.changed.connect(self.reload)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, w)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([490, 830])  # four columns on the left; the household's steps and measures need room
        remember_splitter(self.splitter, "monitoring/splitter")
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(self.figures)
        lay.addLayout(filters)
        lay.addWidget(self.splitter, 1)
        return w

    def query(self) -> MonitoredQuery:
        return MonitoredQuery(stage=self.stage_combo.code(), status=self.status_combo.currentData(),
                              text=self.search.query(), village_id=village_scope().village_id)

    def reload(self, select: str | None = None) -> None:
        keep = select or self.panel.household_id
        rows = self.services.monitoring.list(self.query())
        total = len(self.services.monitoring.list(MonitoredQuery(village_id=village_scope().village_id)))
        self.rows = rows
        self.table.setRowCount(0)
        self.table.blockSignals(True)
        chosen = -1
        for r, row in enumerate(rows):
            self.table.insertRow(r)
            texts = (row.number, row.head_name, codes.label("monitoring_category", row.monitoring_category),
                     codes.label("monitoring_stage", row.stage), date_text(row.stage_date),
                     codes.label("monitoring_stage", row.next_stage) if not row.risk_eliminated else "—",
                     str(row.member_count))
            for c, text in enumerate(texts):
                self.table.setItem(r, c, cell(text, data=row.household_id))
            if row.household_id == keep:
                chosen = r
        self.table.blockSignals(False)
        self.count_label.setText(self.tr("{total} households in monitoring · {shown} shown").format(
            total=total, shown=len(rows)))
        self.list_stack.setCurrentWidget(self.table if rows or total else self.empty)
        if chosen < 0 and rows and not keep:
            chosen = 0
        if chosen >= 0:
            self.table.setCurrentCell(chosen, 0)
            self.panel.show_household(rows[chosen].household_id)
        elif keep:
            self.panel.show_household(keep)
        else:
            self.panel.show_household(None)
        self._show_figures()

    def _show_figures(self) -> None:
        year = self.services.ctx.today().year
        f = self.services.monitoring.year_figures(year, village_id=village_scope().village_id)
        ways = "、".join(f"{codes.label('elimination_way', w.way)}{w.households}户" for w in f.eliminated_by_way
                         if w.households)
        self.figures.setText(self.tr(
            "{year}: {start} households under monitoring at the start of the year · newly identified "
            "{new_h} households / {new_p} people · risk eliminated {elim} households{ways} · "
            "not eliminated {rem_h} households / {rem_p} people").format(
            year=year, start=f.monitored_at_start_households, new_h=f.identified_households,
            new_p=f.identified_people, elim=f.eliminated_households, ways=f"（{ways}）" if ways else "",
            rem_h=f.remaining_households, rem_p=f.remaining_people))

    def _row_changed(self, r: int) -> None:
        if 0 <= r < len(getattr(self, "rows", [])):
            self.panel.show_household(self.rows[r].household_id)

    # -- new clue -------------------------------------------------------------------------------------------------
    def new_clue(self) -> ChooseHouseholdDialog:
        self.picker = ChooseHouseholdDialog(self.services, self, self.tr("Register a risk clue"),
                                            self.tr("Which household is the clue about?"))
        self.picker.chosen.connect(self.start_clue)
        self.picker.open()
        return self.picker

    def start_clue(self, household_id: str) -> None:
        self.tabs.setCurrentWidget(self.households_tab)
        self.status_combo.setCurrentIndex(0)
        self.stage_combo.set_code(None)
        self.reload(select=household_id)
        self.panel.show_household(household_id)
        if self.panel.status and "clue" in self.panel.status.next_stages:
            self.panel.record_next("clue")
        else:
            messages.info(self, self.panel.status.hint if self.panel.status else "")

    # -- refresh --------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.reload()
        self._refresh_current_tab()

    def _refresh_current_tab(self) -> None:
        current = self.tabs.currentWidget()
        if hasattr(current, "reload") and current is not self.households_tab:
            current.reload()


class MonitoringRiskTab(QWidget):
    """Households worth a visit, with the reasons (rules evaluated offline over the registry)."""

    clue_requested = Signal(str)

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.rule_combo = QComboBox(self)
        self.rule_combo.addItem(self.tr("All reasons"), None)
        for key, title in RULES.items():
            self.rule_combo.addItem(title, key)
        self.rule_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.count_label = QLabel(self)
        self.count_label.setObjectName("Hint")
        self.explain = QLabel(self)
        self.explain.setObjectName("Hint")
        self.explain.setWordWrap(True)
        self.clue_button = QPushButton(self.tr("Record a risk clue for this household"), self)
        self.clue_button.clicked.connect(self._clue)
        top = QHBoxLayout()
        top.addWidget(self.rule_combo)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.clue_button)
        self.table = plain_table(self, [self.tr("Household no."), self.tr("Head"), self.tr("Group"),
                                       self.tr("Type"), self.tr("Last visit"), self.tr("Reasons")])
        fit_columns(self.table, ("1302042032130091", "欧阳明", "第10组", "特困供养脱贫户", "2023年12月28日"))
        self.table.doubleClicked.connect(lambda _i: self._clue())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(self.explain)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        self.prompts = []
        self._loaded = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._loaded:
            self.reload()

    def reload(self) -> None:
        self._loaded = True
        percent = self.services.settings.get("risk.income_factor_percent")
        self.explain.setText(self.tr(
            "Households not under monitoring that are worth a visit: per-capita income below {percent}% of the "
            "year's monitoring line, serious illness or severe disability, a recent disaster, a child aged 6–15 "
            "not in school, or a member without basic medical insurance.").format(percent=percent))
        rule = self.rule_combo.currentData()
        self.prompts = self.services.risk.prompts(rules=(rule,) if rule else None,
                                                  village_id=village_scope().village_id)
        self.table.setRowCount(0)
        for r, p in enumerate(self.prompts):
            self.table.insertRow(r)
            texts = (p.number, p.head_name, p.group_name or "", codes.label("household_type", p.household_type),
                     date_text(p.last_visit_on) or self.tr("never"), p.summary)
            for c, text in enumerate(texts):
                item = cell(text, data=p.household_id)
                if c == 5:
                    item.setToolTip("\n".join(f"{x.title}：{x.text}" for x in p.reasons))
                self.table.setItem(r, c, item)
        self.count_label.setText(self.tr("{n} households").format(n=len(self.prompts)))

    def _clue(self) -> None:
        r = self.table.currentRow()
        if 0 <= r < len(self.prompts):
            self.clue_requested.emit(self.prompts[r].household_id)


class MeasureLedgerTab(QWidget):
    """帮扶措施落实台账 and the households that break the 6-month development-measure rule."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.findings = QLabel(self)
        self.findings.setWordWrap(True)
        self.category = CodeCombo("measure_category", self, empty_text=self.tr("All categories"))
        self.category.codeChanged.connect(lambda _c: self.reload())
        self.count_label = QLabel(self)
        self.count_label.setObjectName("Hint")
        top = QHBoxLayout()
        top.addWidget(self.category)
        top.addStretch(1)
        top.addWidget(self.count_label)
        self.table = plain_table(self, [self.tr("Date"), self.tr("Household no."), self.tr("Head"),
                                       self.tr("Category"), self.tr("Content"), self.tr("Amount (yuan)"),
                                       self.tr("Responsible"), self.tr("Result")])
        fit_columns(self.table, ("2023年12月28日", "1302042032130091", "欧阳明", "生产生活条件改善",
                                 "发放产业奖补资金，扶持发展肉牛养殖", "50,000.00", "王立新"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(self.findings)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)

    def reload(self) -> None:
        from fupin_desktop.services.measures import MeasureQuery

        village = village_scope().village_id
        findings = self.services.measures.development_findings(village_id=village)
        if findings:
            self.findings.setText(self.tr("6-month rule: {n} households have no development-type measure in "
                                          "time:").format(n=len(findings)) + "\n" +
                                  "\n".join(f"· {f.message}" for f in findings[:8]))
        else:
            self.findings.setText(self.tr("6-month rule: every monitored household with labour has a "
                                          "development-type measure in time."))
        rows = self.services.measures.ledger(MeasureQuery(category=self.category.code(), village_id=village))
        self.table.setRowCount(0)
        total = Decimal("0")
        for r, m in enumerate(rows):
            self.table.insertRow(r)
            total += m.amount or 0
            texts = (date_text(m.measure_date), m.number, m.head_name, m.category_label, m.content,
                     format_yuan(m.amount) if m.amount is not None else "", m.responsible_name or "",
                     m.result or "")
            for c, text in enumerate(texts):
                item = cell(text, data=m.id)
                if c == 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.count_label.setText(self.tr("{n} measures · {amount} yuan").format(n=len(rows),
                                                                               amount=format_yuan(total)))


class MonitoringLinesTab(QWidget):
    """The monitoring line (监测范围, yuan per person per year) of each year and area."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.table = plain_table(self, [self.tr("Year"), self.tr("Area"), self.tr("Line (yuan per person)")])
        fit_columns(self.table, ("2023年度", "（本县）闽侯县"))
        self.table.currentCellChanged.connect(lambda r, *_: self._pick(r))
        self.year = QSpinBox(self)
        self.year.setRange(2014, 2100)
        self.year.setValue(services.ctx.today().year)
        self.area = QLineEdit(self)
        self.area.setPlaceholderText(self.tr("Empty: this village's county"))
        self.amount = MoneyEdit(self)
        self.error = FieldError(self)
        self.save_button = QPushButton(self.tr("Save line"), self)
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.clicked.connect(self.delete)
        form = QFormLayout()
        form.addRow(self.tr("Year"), self.year)
        form.addRow(self.tr("Area"), self.area)
        form.addRow(self.tr("Line (yuan per person)"), self.amount)
        form.addRow("", self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        note = QLabel(self.tr("Provinces set the monitoring line every year. Risk prompts and the elimination "
                              "check compare per-capita net income with the line of that year."), self)
        note.setObjectName("Hint")
        note.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(note)
        side.addLayout(form)
        side.addLayout(buttons)
        side.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addWidget(self.table, 3)
        lay.addLayout(side, 2)
        self.lines = []

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        self.lines = self.services.risk.lines(village_scope().village_id)
        self.table.setRowCount(0)
        for r, line in enumerate(self.lines):
            self.table.insertRow(r)
            for c, text in enumerate((str(line.year), line.area or self.tr("(this county)"),
                                      format_yuan(line.amount))):
                self.table.setItem(r, c, cell(text, data=line.id))

    def _pick(self, r: int) -> None:
        if 0 <= r < len(self.lines):
            line = self.lines[r]
            self.year.setValue(line.year)
            self.area.setText(line.area)
            self.amount.setValue(line.amount)

    def save(self) -> None:
        self.error.clear_error()
        self.save_button.setEnabled(False)
        tasks.run_in_background(self.services.risk.set_line, self.year.value(), self.amount.value(),
                                self.area.text(), parent=self, writes=True, on_success=self._saved,
                                on_failure=self._failed)

    def _saved(self, _outcome) -> None:
        self.save_button.setEnabled(True)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.error.show_error(exc.message)
        else:
            tasks.report_error(self, exc)

    def delete(self) -> None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.lines):
            return
        line = self.lines[r]
        if not messages.confirm(self, self.tr("Delete the monitoring line of {year}?").format(year=line.year),
                                self.tr("Delete"), destructive=True):
            return
        tasks.run_in_background(self.services.risk.delete_line, line.id, parent=self, writes=True,
                                on_success=lambda _o: self.reload())
