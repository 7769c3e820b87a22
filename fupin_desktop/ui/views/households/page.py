"""农户: the household registry — search, filters, the paged list and a summary of the selected household."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QSplitter, QStackedWidget, QTableView,
    QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import FupinError
from fupin_desktop.domain.privacy import mask_id, mask_phone
from fupin_desktop.services.households import HouseholdQuery
from fupin_desktop.ui import navigation, tasks
from fupin_desktop.ui.models.households import HouseholdTableModel, monitoring_text
from fupin_desktop.ui.widgets.page_parts import EmptyState, page_header, primary_button, setup_table
from fupin_desktop.ui.widgets import CodeCombo, SearchBox, remember_splitter
from fupin_desktop.ui.widgets.columns import ColumnChooser
from fupin_desktop.ui.widgets.village_scope import village_scope
from fupin_desktop.ui.widgets.refresh import RefreshOnChange

NOT_VISITED_CHOICES = (30, 60, 90, 180, 365)
COLUMN_WIDTHS = (142, 76, 70, 96, 130, 46, 160, 110, 95, 86)
# at 1366×768 最近走访 and 未办结问题 must show without scrolling sideways: these are a right-click away
HIDDEN_BY_DEFAULT = ("ID number", "Phone")


class HouseholdsPage(RefreshOnChange, QWidget):
    WATCHED = ("household", "member", "pairing", "visit", "problem", "cadre", "household_income")

    """Search box + filter combos + the paged table on the left, the selected household on the right."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self._all_count: int | None = None  # all households; read again when data change

        self.new_button = primary_button(self, self.tr("New household"), "plus", "Ctrl+N")
        self.new_button.clicked.connect(self.new_household)

        self.search = SearchBox(self, self.tr("Name, pinyin initials (zs), household no. or ID tail"))
        self.search.setObjectName("RegistrySearch")
        self.search.setMinimumWidth(300)
        self.search.searchChanged.connect(lambda _t: self.apply_filters())
        QShortcut(QKeySequence("Ctrl+Shift+F"), self).activated.connect(self.search.setFocus)

        self.type_combo = CodeCombo("household_type", self, empty_text=self.tr("All types"))
        self.monitoring_combo = QComboBox(self)
        self.monitoring_combo.addItem(self.tr("Monitoring: any"), None)
        self.monitoring_combo.addItem(self.tr("Monitored (risk not eliminated)"), "monitored")
        self.monitoring_combo.addItem(self.tr("Risk eliminated"), "eliminated")
        for item in codes.get("monitoring_category").items():
            self.monitoring_combo.addItem(item.label, item.code)
        self.stage_combo = CodeCombo("monitoring_stage", self, empty_text=self.tr("Monitoring stage: any"))
        self.stage_combo.setObjectName("StageFilter")
        self.stage_combo.setToolTip(self.tr("Households whose monitoring procedure stands at this step"))
        self.risk_combo = CodeCombo("risk_type", self, empty_text=self.tr("All risk types"))
        self.group_combo = QComboBox(self)
        self.cadre_combo = QComboBox(self)
        self.visit_combo = QComboBox(self)
        self.visit_combo.addItem(self.tr("Visited: any time"), None)
        for days in NOT_VISITED_CHOICES:
            self.visit_combo.addItem(self.tr("Not visited for {days} days").format(days=days), days)
        self.open_problems = QCheckBox(self.tr("Has open problems"), self)
        self.clear_button = QPushButton(self.tr("Clear filters"), self)
        self.clear_button.clicked.connect(self.clear_filters)
        # the helper and 村民小组 lists are not needed for the first paint: filled right after it (paintEvent)
        self.cadre_combo.addItem(self.tr("Any helper"), None)
        self._set_groups([])
        self._painted = False
        self._groups_wanted = False
        for w in self._combos():
            w.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.open_problems.toggled.connect(lambda _b: self.apply_filters())

        self.count_label = QLabel(self)
        self.count_label.setObjectName("Hint")

        self.model = HouseholdTableModel(services, self)
        self.model.hold_counts = True  # released after the first paint
        self.table = QTableView(self)
        self.table.setObjectName("RegistryTable")
        setup_table(self.table)
        self.table.setModel(self.model)
        # indicator first: setSortingEnabled re-sorts by it (Qt's default is descending: a wasted query)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        for i, w in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(i, w)
        # 户类型 and 监测类别 as wide as their longest words (seen cut to "特困供养脱…" at 1366×768)
        fm = self.table.fontMetrics()
        for col, texts in ((3, [codes.label("household_type", c) for c in codes.get("household_type").codes()]),
                           (4, [monitoring_text(c, e) for c in codes.get("monitoring_category").codes()
                                for e in (False, True)])):
            self.table.setColumnWidth(col, max(fm.horizontalAdvance(t) for t in texts) + 16)
        self.columns = ColumnChooser(self.table, "households/columns", hidden_by_default=[
            QCoreApplication.translate("HouseholdTableModel", t) for t in HIDDEN_BY_DEFAULT])
        self.table.doubleClicked.connect(lambda idx: self.open_household(self.model.household_id(idx.row())))
        self.table.activated.connect(lambda idx: self.open_household(self.model.household_id(idx.row())))
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.count_known.connect(lambda _n: self._on_count_known())
        # the selected household's detail is read after the list is painted (and once per burst of arrow keys)
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(0)
        self._detail_timer.timeout.connect(self._show_current_detail)

        self.empty = EmptyState(self)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self.summary = HouseholdSummary(self)
        self.summary.open_requested.connect(self.open_household)
        self.summary.visit_requested.connect(self.log_visit)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.summary)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([820, 300])
        remember_splitter(self.splitter, "households/splitter")

        filters1 = QHBoxLayout()
        filters1.addWidget(self.search, 2)
        filters1.addWidget(self.type_combo)
        filters1.addWidget(self.monitoring_combo)
        filters1.addWidget(self.stage_combo)
        filters1.addWidget(self.risk_combo)
        filters2 = QHBoxLayout()
        for w in (self.group_combo, self.cadre_combo, self.visit_combo, self.open_problems, self.clear_button):
            filters2.addWidget(w)
        filters2.addStretch(1)
        filters2.addWidget(self.count_label)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 14, 20, 10)
        lay.addLayout(page_header(self, self.tr("Households"), self.new_button))
        lay.addLayout(filters1)
        lay.addLayout(filters2)
        lay.addWidget(self.splitter, 1)

        self.watch_changes()
        self.apply_filters()

    # -- first paint ------------------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        self._first_paint_done()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._painted:  # should no paint event come (it always does): do not wait for ever
            QTimer.singleShot(250, self, self._first_paint_done)

    def _first_paint_done(self) -> None:
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What the first screen does not need: the selected household's detail, the full count, the lookups.
        Background reads run one after the other, not side by side with each other or with the paint."""
        self._show_current_detail()
        self.model.release_counts()
        self._fill_lookups()

    def _on_count_known(self) -> None:
        self._update_counts()
        if self._groups_wanted and not self.model.counting:
            self._groups_wanted = False
            tasks.run_in_background(self.services.households.group_names, on_success=self._set_groups, parent=self)

    # -- filters ------------------------------------------------------------------------------------------------
    def _combos(self) -> tuple[QComboBox, ...]:
        return (self.type_combo, self.monitoring_combo, self.stage_combo, self.risk_combo, self.group_combo,
                self.cadre_combo, self.visit_combo)

    def _fill_lookups(self) -> None:
        """Helpers now (a short list); 村民小组 in the background (a DISTINCT over every household)."""
        cadre = self.cadre_combo.currentData()
        self.cadre_combo.blockSignals(True)
        self.cadre_combo.clear()
        self.cadre_combo.addItem(self.tr("Any helper"), None)
        for c in self.services.cadres.list():
            self.cadre_combo.addItem(c.name, c.id)
        self.cadre_combo.setCurrentIndex(max(self.cadre_combo.findData(cadre), 0))
        self.cadre_combo.blockSignals(False)
        if self.group_combo.count() == 0:
            self._set_groups([])
        self._groups_wanted = True  # after the count, if one is running: one background read at a time
        self._on_count_known()

    def _set_groups(self, names: list[str]) -> None:
        group = self.group_combo.currentData()
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem(self.tr("All groups"), None)
        for g in names:
            self.group_combo.addItem(g, g)
        self.group_combo.setCurrentIndex(max(self.group_combo.findData(group), 0))
        self.group_combo.blockSignals(False)

    def query(self) -> HouseholdQuery:
        q = self.model.query()
        return replace(q, text=self.search.query(), household_type=self.type_combo.code(),
                       monitoring=self.monitoring_combo.currentData(),
                       monitoring_stage=self.stage_combo.code(), risk_type=self.risk_combo.code(),
                       group_name=self.group_combo.currentData(), cadre_id=self.cadre_combo.currentData(),
                       not_visited_days=self.visit_combo.currentData(),
                       open_problems=self.open_problems.isChecked(), village_id=village_scope().village_id)

    def is_filtered(self) -> bool:
        q = self.query()
        return any((q.text, q.household_type, q.monitoring, q.monitoring_stage, q.risk_type, q.group_name,
                    q.cadre_id, q.not_visited_days, q.open_problems))

    def apply_filters(self) -> None:
        """The first page now, the COUNT in the background — and none at all when the first page holds every match
        (a search for a name usually does). Unfiltered, the count is that of all households: known until data
        change (refresh). Filtered, the count of all households is read once if not known yet."""
        filtered = self.is_filtered()
        if filtered:
            self.model.set_query(self.query(), count_later=True)
        else:
            self.model.set_query(self.query(), count_later=True, known_total=self._all_count)
        if filtered and self._all_count is None:
            village = village_scope().village_id
            if village:
                tasks.run_in_background(self.services.households.count, HouseholdQuery(village_id=village),
                                        on_success=self._all_counted, parent=self)
            else:
                tasks.run_in_background(self.services.stats.household_count, on_success=self._all_counted,
                                        parent=self)
        self._update_counts()

    def _village_changed(self, _village_id: str) -> None:
        self._all_count = None
        self.apply_filters()

    def _all_counted(self, n: int) -> None:
        self._all_count = n
        self._update_counts()

    def clear_filters(self) -> None:
        widgets = (*self._combos(), self.open_problems, self.search)
        for w in widgets:
            w.blockSignals(True)
        for combo in self._combos():
            combo.setCurrentIndex(0)
        self.open_problems.setChecked(False)
        self.search.clear()
        for w in widgets:
            w.blockSignals(False)
        self.apply_filters()

    def _update_counts(self) -> None:
        shown = self.model.total()
        filtered = self.is_filtered()
        if not filtered and not self.model.counting:
            self._all_count = shown  # the same count: no second query
        counting = self.tr("counting…")
        all_text = counting if self._all_count is None else self._all_count
        if filtered:
            self.count_label.setText(self.tr("{all} households · {shown} after filtering").format(
                all=all_text, shown=counting if self.model.counting else shown))
        elif self.model.counting:
            self.count_label.setText(self.tr("{all} households").format(all=counting))
        else:
            self.count_label.setText(self.tr("{all} households").format(all=all_text))
        self.clear_button.setEnabled(self.is_filtered())
        if shown:
            self.list_stack.setCurrentWidget(self.table)
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)
        else:
            self.summary.show_household(None)
            if self._all_count == 0:
                self.empty.set(self.tr("No households yet. Add the first household, or import the household roster "
                                       "(Data exchange → Import household roster at the top)."),
                               self.tr("Add a household"), self.new_household)
            else:
                self.empty.set(self.tr("No household matches the search and filters."), self.tr("Clear filters"),
                               self.clear_filters)
            self.list_stack.setCurrentWidget(self.empty)

    # -- selection and actions ----------------------------------------------------------------------------------
    def current_household_id(self) -> str | None:
        idx = self.table.currentIndex()
        return self.model.household_id(idx.row()) if idx.isValid() else None

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if self._painted:  # before the first paint: shown by _after_first_paint
            self._detail_timer.start()

    def _show_current_detail(self) -> None:
        hid = self.current_household_id()
        detail = None
        if hid:
            try:
                detail = self.services.households.detail(hid)
            except FupinError:  # deleted meanwhile
                detail = None
        self.summary.show_household(detail)

    def new_household(self) -> None:
        from fupin_desktop.ui.views.households.dialog import HouseholdDialog

        dlg = HouseholdDialog(self.services, None, self)
        dlg.exec()

    def open_household(self, household_id: str | None) -> None:
        if not household_id:
            return
        from fupin_desktop.ui.views.households.dialog import HouseholdDialog

        HouseholdDialog(self.services, household_id, self).exec()

    def open_found_household(self, household_id: str, number: str = "") -> None:
        """Show one household (from the global search): found by its 户编号 in the list, selected, and opened."""
        for w in self._combos():
            w.blockSignals(True)
            w.setCurrentIndex(0)
            w.blockSignals(False)
        self.open_problems.blockSignals(True)
        self.open_problems.setChecked(False)
        self.open_problems.blockSignals(False)
        self.search.set_query(number)
        self.apply_filters()
        self._reselect(household_id)
        from fupin_desktop.ui.views.households.dialog import HouseholdDialog

        dlg = HouseholdDialog(self.services, household_id, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()  # not exec(): the search that opened it returns at once

    def log_visit(self, household_id: str | None) -> None:
        navigation.visit_dialog(self.services, household_id, self).exec()

    def refresh(self) -> None:
        current = self.current_household_id()
        self._all_count = None
        self.apply_filters()
        self._fill_lookups()
        self._reselect(current)

    def _reselect(self, household_id: str | None) -> None:
        if household_id:
            row = self.model.row_of(household_id)
            if row >= 0:
                self.table.selectRow(row)

    def is_own_change(self, initiator) -> bool:
        """The list itself writes nothing: every change comes from a household/visit dialog (its tabs save at once,
        the dialog stays open) and has to show in the list, so none is skipped as the page's own."""
        return False


class HouseholdSummary(QFrame):
    """The right-hand panel: who lives there, helpers, last visit, open problems; buttons to open or visit."""

    open_requested = Signal(str)
    visit_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("HouseholdSummary")
        self.setMinimumWidth(240)
        self._id: str | None = None
        self.title = QLabel(self)
        self.title.setObjectName("PageTitle")
        self.title.setWordWrap(True)
        self.body = QLabel(self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.open_button = QPushButton(self.tr("Open household page"), self)
        self.open_button.clicked.connect(lambda: self._id and self.open_requested.emit(self._id))
        self.visit_button = QPushButton(self.tr("Log a visit"), self)
        self.visit_button.clicked.connect(lambda: self._id and self.visit_requested.emit(self._id))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 4, 4, 4)
        lay.addWidget(self.title)
        lay.addWidget(self.body, 1)
        lay.addWidget(self.open_button)
        lay.addWidget(self.visit_button)
        self.show_household(None)

    def show_household(self, detail) -> None:
        self._id = detail.household.id if detail else None
        self.open_button.setEnabled(detail is not None)
        self.visit_button.setEnabled(detail is not None)
        if detail is None:
            self.title.setText("")
            self.body.setText(self.tr("Choose a household in the list to see it here."))
            return
        h = detail.household
        self.title.setText(h.head_name)
        lines = [
            self.tr("Household no.: {v}").format(v=h.number),
            self.tr("Type: {v}").format(v=codes.label("household_type", h.household_type)),
        ]
        if h.group_name:
            lines.append(self.tr("Group: {v}").format(v=h.group_name))
        if h.monitoring_category:
            lines.append(self.tr("Monitoring: {v}").format(v=monitoring_text(h.monitoring_category,
                                                                            h.risk_eliminated)))
        if h.risk_types:
            lines.append(self.tr("Risks: {v}").format(v="、".join(codes.label("risk_type", r) for r in h.risk_types)))
        if h.head_id_number:
            lines.append(self.tr("ID number: {v}").format(v=mask_id(h.head_id_number)))
        if h.phone:
            lines.append(self.tr("Phone: {v}").format(v=mask_phone(h.phone)))
        lines.append("")
        lines.append(self.tr("Members ({n}):").format(n=len(detail.members)))
        for m in detail.members:
            lines.append(f"  {m.name}  {codes.label('relation', m.relation)}")
        unknown = [m.name for m in detail.members if m.resident_medical is None and m.employee_medical is None]
        if unknown:  # blank is not "uninsured" (no risk prompt): say it is still to be filled in
            lines.append(self.tr("Medical insurance: not filled in for {names}").format(names="、".join(unknown)))
        helpers = [p.cadre_name for p in detail.pairings if p.end_date is None]
        lines.append("")
        lines.append(self.tr("Helpers: {v}").format(v="、".join(helpers) if helpers else self.tr("none")))
        lines.append(self.tr("Last visit: {v}").format(
            v=h.last_visit_on.isoformat() if h.last_visit_on else self.tr("never")))
        lines.append(self.tr("Open problems: {n}").format(n=h.open_problems))
        self.body.setText("\n".join(lines))
