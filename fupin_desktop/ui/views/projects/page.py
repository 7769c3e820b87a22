"""项目: the project list with per-project totals and one column per funding source (万元), a 合计 row, and the
selected project below (overview, funding, progress events, beneficiaries, handover).

The list sits above the detail (not beside it): with one column per source the list needs the full width of a
1366×768 screen.
"""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox, QDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea, QSplitter,
    QStackedWidget, QTableView, QTabWidget,
    QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import FupinError
from fupin_desktop.domain.money import format_wan, format_yuan
from fupin_desktop.services.projects import CANCELLED, HANDOVER_FROM, ProjectQuery, ProjectRow, status_index
from fupin_desktop.ui import messages, style, tasks
from fupin_desktop.ui.widgets.household_chooser import RIGHT, cell, plain_table, wan_text
from fupin_desktop.ui.widgets.page_parts import EmptyState, page_header, primary_button, setup_table
from fupin_desktop.ui.views.projects.dialogs import HandoverDialog, ProgressDialog, StatusDialog
from fupin_desktop.ui.views.projects.editor import ProjectEditor
from fupin_desktop.ui.widgets import CodeCombo, SearchBox, remember_splitter
from fupin_desktop.ui.widgets.columns import ColumnChooser
from fupin_desktop.ui.widgets.refresh import RefreshOnChange
from fupin_desktop.ui.widgets.village_scope import village_scope

ENTITIES = ("project", "funding_line", "project_event", "project_beneficiary", "attachment")
ZERO = Decimal("0.00")


class ProjectTableModel(QAbstractTableModel):
    """Projects with 总投资 and one 万元 column per funding source that occurs; the last row is 合计."""

    FIXED = 5  # 序号, 名称, 动作, 状态, 进度

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[ProjectRow] = []
        self.sources: list[str] = []
        self.totals = None

    def set_rows(self, rows: list[ProjectRow], totals) -> None:
        self.beginResetModel()
        self.rows = rows
        self.totals = totals
        self.sources = totals.sources()
        self.endResetModel()

    # columns: fixed, total investment, sources…, received, difference
    def headers(self) -> list[str]:
        return ([self.tr("No."), self.tr("Project"), self.tr("Type"), self.tr("Status"), self.tr("Progress"),
                 self.tr("Total (10k yuan)")]
                + [codes.label("funding_source", s) for s in self.sources]
                + [self.tr("Received"), self.tr("Difference")])

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or not self.rows else len(self.rows) + 1

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def project_id(self, row: int) -> str | None:
        return self.rows[row].project.id if 0 <= row < len(self.rows) else None

    def row_of(self, project_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.project.id == project_id), -1)

    def _amount(self, row: int, col: int) -> Decimal | None:
        """The money of a cell (None for text columns)."""
        n = len(self.sources)
        total_row = row == len(self.rows)
        if col == self.FIXED:
            return self.totals.total_investment if total_row else self.rows[row].project.total_investment
        if self.FIXED < col <= self.FIXED + n:
            src = self.sources[col - self.FIXED - 1]
            by = self.totals.planned_by_source if total_row else self.rows[row].planned_by_source
            return by.get(src)
        if col == self.FIXED + n + 1:
            return self.totals.received_total if total_row else self.rows[row].received_total
        if col == self.FIXED + n + 2:
            return (self.totals.total_investment - self.totals.planned_total if total_row
                    else self.rows[row].difference)
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        total_row = row == len(self.rows)
        amount = self._amount(row, col)
        diff_col = col == self.FIXED + len(self.sources) + 2
        if role == Qt.ItemDataRole.DisplayRole:
            if amount is not None or col >= self.FIXED:
                if diff_col:
                    return "" if not amount else wan_text(amount)
                return wan_text(amount, blank_zero=col != self.FIXED)
            if total_row:
                return self.tr("Total ({n} projects)").format(n=len(self.rows)) if col == 1 else ""
            p = self.rows[row].project
            return (str(row + 1), p.name, codes.label("action_type", p.action_type),
                    codes.label("project_status", p.status), f"{p.progress_percent}%")[col]
        if role == Qt.ItemDataRole.ToolTipRole and amount:
            return f"{format_yuan(amount)}元"
        if role == Qt.ItemDataRole.TextAlignmentRole and (col >= self.FIXED or col in (0, 4)):
            return int(RIGHT)
        if role == Qt.ItemDataRole.FontRole and total_row:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole:
            if diff_col and amount:
                return QColor(style.WARNING)
            if not total_row and col == 3 and self.rows[row].project.status == CANCELLED:
                return QColor(style.MUTED)
        return None


class ProjectDetail(QWidget):
    """The selected project: actions on top, tabs below."""

    def __init__(self, page: "ProjectsPage"):
        super().__init__(page)
        self.page = page
        self.services = page.services
        self.detail = None
        self.title = QLabel(self)
        self.title.setObjectName("DetailTitle")
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() + 1.5)
        self.title.setFont(f)
        self.edit_button = QPushButton(self.tr("Edit"), self)
        self.status_button = QPushButton(self.tr("Move status…"), self)
        self.progress_button = QPushButton(self.tr("Record progress…"), self)
        self.handover_button = QPushButton(self.tr("Asset handover…"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        for b in (self.edit_button, self.status_button, self.progress_button, self.handover_button,
                  self.delete_button):
            head.addWidget(b)
        self.tabs = QTabWidget(self)
        self.overview = QWidget(self)
        self.overview_grid = QGridLayout(self.overview)
        self.overview_grid.setContentsMargins(8, 6, 8, 6)
        self.overview_grid.setHorizontalSpacing(10)
        self.overview_grid.setVerticalSpacing(3)
        self._overview_labels: list[QLabel] = []
        self.funding = plain_table(self, [self.tr("Source"), self.tr("Planned (yuan)"), self.tr("Received (yuan)"),
                                          self.tr("Received share"), self.tr("Note")])
        for i, w in enumerate((200, 140, 140, 90)):
            self.funding.setColumnWidth(i, w)
        self.events = plain_table(self, [self.tr("Date"), self.tr("Entry"), self.tr("Progress"), self.tr("Note"),
                                         self.tr("Photos")])
        for i, w in enumerate((100, 260, 70, 380)):
            self.events.setColumnWidth(i, w)
        self.beneficiaries = plain_table(self, [self.tr("Head of household"), self.tr("Household no."),
                                                self.tr("Category")])
        self.beneficiaries.setColumnWidth(0, 160)
        self.beneficiaries.setColumnWidth(1, 170)
        self.handover = QLabel(self)
        self.handover.setWordWrap(True)
        self.handover.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.handover.setContentsMargins(8, 6, 8, 6)
        overview_scroll = QScrollArea(self)
        overview_scroll.setWidgetResizable(True)
        overview_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        overview_scroll.setWidget(self.overview)
        self.tabs.addTab(overview_scroll, self.tr("Overview"))
        self.tabs.addTab(self.funding, self.tr("Funding"))
        self.tabs.addTab(self.events, self.tr("Progress"))
        self.tabs.addTab(self.beneficiaries, self.tr("Beneficiaries"))
        self.tabs.addTab(self.handover, self.tr("Handover"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        lay.addLayout(head)
        lay.addWidget(self.tabs, 1)
        self.edit_button.clicked.connect(lambda: self.page.edit_project(self.project_id()))
        self.status_button.clicked.connect(lambda: self._dialog(StatusDialog))
        self.progress_button.clicked.connect(lambda: self._dialog(ProgressDialog))
        self.handover_button.clicked.connect(lambda: self._dialog(HandoverDialog))
        self.delete_button.clicked.connect(self._delete)
        self.show_project(None)

    def project_id(self) -> str | None:
        return self.detail.project.id if self.detail else None

    def show_project(self, project_id: str | None) -> None:
        self.detail = None
        if project_id:
            try:
                self.detail = self.services.projects.get(project_id)
            except FupinError:
                self.detail = None
        for b in (self.edit_button, self.status_button, self.progress_button, self.handover_button,
                  self.delete_button):
            b.setEnabled(self.detail is not None)
        if self.detail is None:
            self.title.setText(self.tr("Choose a project in the list above"))
            self._set_overview([])
            for t in (self.funding, self.events, self.beneficiaries):
                t.setRowCount(0)
            self.handover.setText("")
            return
        d = self.detail
        p = d.project
        self.status_button.setEnabled(p.status != CANCELLED and p.status != "operating")
        self.progress_button.setEnabled(p.status != CANCELLED)
        self.handover_button.setEnabled(p.status != CANCELLED and status_index(p.status) >= status_index(HANDOVER_FROM))
        self.title.setText(f"{p.name} · {codes.label('project_status', p.status)} · {p.progress_percent}%")
        self._overview(p)
        self._funding(d)
        self._events(p.id)
        self.beneficiaries.setRowCount(len(d.beneficiaries))
        for r, b in enumerate(d.beneficiaries):
            cat = (codes.label("monitoring_category", b.monitoring_category) if b.monitoring_category
                   else codes.label("household_type", b.household_type))
            self.beneficiaries.setItem(r, 0, cell(b.head_name))
            self.beneficiaries.setItem(r, 1, cell(b.number))
            self.beneficiaries.setItem(r, 2, cell(cat))
        self.tabs.setTabText(3, self.tr("Beneficiaries ({n})").format(n=len(d.beneficiaries)))
        if p.handover_date:
            self.handover.setText(self.tr("Asset type: {type}\nTitle to: {owner}\nHanded over on: {date}\n{note}")
                                  .format(type=codes.label("asset_type", p.asset_type), owner=p.asset_owner or "",
                                          date=f"{p.handover_date:%Y-%m-%d}", note=p.handover_note or ""))
        else:
            self.handover.setText(self.tr("Not handed over yet. After the acceptance (竣工验收) use "
                                          "“Asset handover…” to record the asset type and who holds the title."))

    def _overview(self, p) -> None:
        def d(x):
            return f"{x:%Y-%m-%d}" if x else "—"

        ben = [f"{p.beneficiary_households or 0}户", f"{p.beneficiary_people or 0}人"]
        if p.beneficiary_poor_households:
            ben.append(f"脱贫户{p.beneficiary_poor_households}户")
        if p.beneficiary_monitored_households:
            ben.append(f"监测户{p.beneficiary_monitored_households}户")
        lines = [
            (self.tr("Category"), " / ".join(x for x in (codes.label("project_category", p.category),
                                                           p.subcategory or "") if x) or "—"),
            (self.tr("Nature"), codes.label("project_nature", p.nature) or "—"),
            (self.tr("Type"), codes.label("action_type", p.action_type)),
            (self.tr("Place"), p.place or "—"),
            (self.tr("Content and scale"), p.content_scale or "—"),
            (self.tr("Implementing unit"), p.implementing_unit or "—"),
            (self.tr("Responsible person"), p.responsible or "—"),
            (self.tr("Planned"), f"{d(p.planned_start)} — {d(p.planned_end)}"
             if p.planned_start or p.planned_end else "—"),
            (self.tr("Actual"), f"{d(p.actual_start)} — {d(p.actual_end)}"
             if p.actual_start or p.actual_end else "—"),
            (self.tr("Total investment"), f"{format_yuan(p.total_investment)}元（{format_wan(p.total_investment, 4)}）"),
            (self.tr("Beneficiaries"), "，".join(ben)),
            (self.tr("Benefit mechanism"), p.benefit_mechanism or "—"),
            (self.tr("Performance target"), p.performance_target or "—"),
        ]
        self._set_overview(lines)

    def _set_overview(self, lines: list[tuple[str, str]]) -> None:
        for lab in self._overview_labels:
            lab.deleteLater()
        self._overview_labels = []
        half = (len(lines) + 1) // 2
        for i, (k, v) in enumerate(lines):
            key = QLabel(k + "：", self.overview)
            key.setObjectName("Hint")
            val = QLabel(v, self.overview)
            val.setWordWrap(True)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row, col = (i, 0) if i < half else (i - half, 2)
            self.overview_grid.addWidget(key, row, col, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            self.overview_grid.addWidget(val, row, col + 1, Qt.AlignmentFlag.AlignTop)
            self._overview_labels += [key, val]
        self.overview_grid.setColumnStretch(1, 1)
        self.overview_grid.setColumnStretch(3, 1)
        self.overview_grid.setRowStretch(max(half, 1), 1)

    def _funding(self, d) -> None:
        t = self.funding
        t.setRowCount(len(d.funding) + 1)
        for r, f in enumerate(d.funding):
            share = f"{f.received_amount / f.planned_amount:.0%}" if f.planned_amount else ""
            t.setItem(r, 0, cell(codes.label("funding_source", f.source)))
            t.setItem(r, 1, cell(format_yuan(f.planned_amount), right=True))
            t.setItem(r, 2, cell(format_yuan(f.received_amount), right=True))
            t.setItem(r, 3, cell(share, right=True))
            t.setItem(r, 4, cell(f.note or ""))
        r = len(d.funding)
        diff = d.project.total_investment - d.planned_total
        t.setItem(r, 0, cell(self.tr("Total"), bold=True))
        t.setItem(r, 1, cell(format_yuan(d.planned_total), right=True, bold=True))
        t.setItem(r, 2, cell(format_yuan(d.received_total), right=True, bold=True))
        t.setItem(r, 3, cell(f"{d.received_total / d.planned_total:.0%}" if d.planned_total else "", right=True,
                             bold=True))
        t.setItem(r, 4, cell(self.tr("⚠ differs from the total investment by {diff} yuan").format(
            diff=format_yuan(diff)) if diff else ""))
        self.tabs.setTabText(1, self.tr("Funding") + (" ⚠" if diff else ""))

    def _events(self, project_id: str) -> None:
        evs = self.services.projects.events(project_id)
        t = self.events
        t.setRowCount(len(evs))
        for r, e in enumerate(reversed(evs)):
            if e.kind == "status":
                what = (f"{codes.label('project_status', e.from_status)} → " if e.from_status else "") + \
                    codes.label("project_status", e.to_status)
            elif e.kind == "progress":
                what = self.tr("Progress")
            else:
                what = self.tr("Note")
            t.setItem(r, 0, cell(f"{e.event_date:%Y-%m-%d}"))
            t.setItem(r, 1, cell(what))
            t.setItem(r, 2, cell(f"{e.percent}%" if e.percent is not None else "", right=True))
            t.setItem(r, 3, cell(e.note or ""))
            t.setItem(r, 4, cell(str(len(e.photos)) if e.photos else ""))
        self.tabs.setTabText(2, self.tr("Progress ({n})").format(n=len(evs)))

    def _dialog(self, cls) -> None:
        if not self.detail:
            return
        dlg = cls(self.services, self.detail.project, self)
        dlg.accepted.connect(self.page.after_own_change)  # the page skips its own change on the bus
        self.page.last_dialog = dlg
        dlg.open()

    def _delete(self) -> None:
        if not self.detail:
            return
        p = self.detail.project
        if not messages.confirm(self, self.tr("Delete the project “{name}” with its funding lines and progress "
                                              "records?").format(name=p.name), self.tr("Delete"), destructive=True):
            return
        tasks.run_in_background(self.services.projects.delete, p.id, parent=self, writes=True,
                                on_success=self.page.after_own_change)


class ProjectsPage(RefreshOnChange, QWidget):
    WATCHED = (*ENTITIES, "household")

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.last_dialog: QDialog | None = None
        self.new_button = primary_button(self, self.tr("New project"), "plus", "Ctrl+N")
        self.new_button.clicked.connect(self.new_project)
        self.search = SearchBox(self, self.tr("Project name, place, number or unit"))
        self.search.setMinimumWidth(240)
        self.year_combo = QComboBox(self)
        self.status_combo = CodeCombo("project_status", self, empty_text=self.tr("All statuses"))
        self.action_combo = CodeCombo("action_type", self, empty_text=self.tr("Required and optional"))
        self.clear_button = QPushButton(self.tr("Clear filters"), self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("Hint")
        self.search.searchChanged.connect(lambda _t: self.reload())
        for c in (self.year_combo, self.status_combo, self.action_combo):
            c.currentIndexChanged.connect(lambda _i: self.reload())
        self.clear_button.clicked.connect(self.clear_filters)

        self.model = ProjectTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("ProjectTable")
        setup_table(self.table)
        self.table.setModel(self.model)
        # one column per funding source does not fit 1366 px: they are a right-click away (and in 资金来源 below)
        self.columns = ColumnChooser(self.table, "projects/columns")
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda idx: self.edit_project(self.model.project_id(idx.row())))
        self.empty = EmptyState(self)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)
        self.unit_label = QLabel(self.tr("Amounts in 10,000 yuan (万元); hover a figure for yuan."), self)
        self.unit_label.setObjectName("Hint")

        top = QWidget(self)
        tv = QVBoxLayout(top)
        tv.setContentsMargins(0, 0, 0, 0)
        tv.addWidget(self.list_stack, 1)
        tv.addWidget(self.unit_label)
        self.detail = ProjectDetail(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 330])  # the detail shows a dozen lines at 768 px, not two or three
        remember_splitter(self.splitter, "projects/splitter")

        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for w in (self.year_combo, self.status_combo, self.action_combo, self.clear_button):
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 14, 20, 10)
        lay.addLayout(page_header(self, self.tr("Projects"), self.new_button))
        lay.addLayout(filters)
        lay.addWidget(self.splitter, 1)
        self.watch_changes()
        self._fill_years()
        self.reload()

    # -- filters and list ---------------------------------------------------------------------------------------
    def _fill_years(self) -> None:
        current = self.year_combo.currentData()
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem(self.tr("All years"), None)
        for y in reversed(self.services.projects.years()):
            self.year_combo.addItem(self.tr("Year {year}").format(year=y), y)
        i = self.year_combo.findData(current)
        self.year_combo.setCurrentIndex(max(i, 0))
        self.year_combo.blockSignals(False)

    def query(self) -> ProjectQuery:
        return ProjectQuery(year=self.year_combo.currentData(), status=self.status_combo.code(),
                            action_type=self.action_combo.code(), text=self.search.query(),
                            village_id=village_scope().village_id)

    def show_project_in_list(self, project_id: str) -> None:
        """Show one project (from the global search): filters cleared, that project selected."""
        for c in (self.year_combo, self.status_combo, self.action_combo):
            c.blockSignals(True)
            c.setCurrentIndex(0)
            c.blockSignals(False)
        self.search.set_query("")
        self.reload(select_id=project_id)

    def clear_filters(self) -> None:
        for c in (self.year_combo, self.status_combo, self.action_combo):
            c.blockSignals(True)
            c.setCurrentIndex(0)
            c.blockSignals(False)
        self.search.clear()
        self.reload()

    def reload(self, select_id: str | None = None) -> None:
        keep = select_id or self.detail.project_id()
        q = self.query()
        rows = self.services.projects.list(q)
        totals = self.services.projects.totals(rows)
        self.model.set_rows(rows, totals)
        self.columns.set_hidden_by_default(codes.label("funding_source", s) for s in totals.sources())
        fm = self.table.horizontalHeader().fontMetrics()
        status_w = max(fm.horizontalAdvance(codes.label("project_status", c))
                       for c in codes.get("project_status").codes())
        widths = ([40, 180, 68, status_w + 18, 50, 74]  # every status whole (seen cut to "资产确权登…")
                  + [max(66, fm.horizontalAdvance(codes.label("funding_source", s)) + 18) for s in totals.sources()]
                  + [64, 56])
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for i, w in enumerate(widths):
            self.table.setColumnWidth(i, w)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        everything = ProjectQuery(village_id=q.village_id)  # the chosen village (全部村: every project)
        filtered = q != everything
        all_count = len(rows) if not filtered else len(self.services.projects.list(everything))
        status_counts = "，".join(f"{codes.label('project_status', s)} {n}"
                                 for s, n in sorted(totals.count_by_status.items(),
                                                    key=lambda kv: codes.get("project_status").codes().index(kv[0])
                                                    if kv[0] in codes.get("project_status") else 99))
        text = self.tr("{n} projects · total {total}").format(n=all_count, total=format_wan(totals.total_investment, 4))
        if filtered:
            text = self.tr("{n} projects · {shown} after filtering · total {total}").format(
                n=all_count, shown=len(rows), total=format_wan(totals.total_investment, 4))
        self.count_label.setText(text)
        by_status = self.tr("By status: {counts}").format(counts=status_counts) if status_counts else ""
        self.unit_label.setText(self.tr("Amounts in 10,000 yuan (万元); hover a figure for yuan.") + "  " + by_status)
        if rows:
            self.list_stack.setCurrentWidget(self.table)
        elif filtered:
            self.list_stack.setCurrentWidget(self.empty)
            self.empty.set(self.tr("No project matches the filters."), self.tr("Clear filters"), self.clear_filters)
        else:
            self.list_stack.setCurrentWidget(self.empty)
            self.empty.set(self.tr("No projects yet. Enter the projects of the year's work plan with their "
                                   "funding sources."), self.tr("New project"), self.new_project)
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            self.detail.show_project(self.model.project_id(row))
        else:
            self.detail.show_project(None)

    def _current_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        pid = self.model.project_id(current.row()) if current.isValid() else None
        if pid:
            self.detail.show_project(pid)

    def refresh_for(self, changes) -> None:
        if changes.touches("project"):
            self._fill_years()
        self.reload()

    def refresh(self) -> None:
        self._fill_years()
        self.reload()

    # -- actions ------------------------------------------------------------------------------------------------
    def _saved(self, project_id: str | None) -> None:
        self._fill_years()  # a new project may bring a new year
        self.reload(project_id)

    def new_project(self) -> ProjectEditor:
        dlg = ProjectEditor(self.services, self)
        dlg.accepted.connect(lambda: self._saved(dlg.saved_id))
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def edit_project(self, project_id: str | None) -> ProjectEditor | None:
        if not project_id:
            return None
        dlg = ProjectEditor(self.services, self, project_id)
        dlg.accepted.connect(lambda: self._saved(dlg.saved_id))
        self.last_dialog = dlg
        dlg.open()
        return dlg
