"""走访: the list of visits (filters: period, visitor, purpose, household) and visit coverage (who is overdue)."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QListWidgetItem, QPushButton, QSplitter, QStackedWidget, QTableView,
    QTabWidget, QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import add_months
from fupin_desktop.services.visits import CoverageRow, VisitDTO, VisitQuery
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.models.paged import PagedTableModel
from fupin_desktop.ui.widgets.page_parts import EmptyState, page_header, primary_button, setup_table
from fupin_desktop.ui.widgets.photos import photo_list, thumbnail
from fupin_desktop.ui.widgets import CodeCombo, SearchBox, remember_splitter
from fupin_desktop.ui.widgets.refresh import RefreshOnChange
from fupin_desktop.ui.widgets.village_scope import village_scope

COVERAGE_LIMIT = 1000

VISIT_COLUMNS = [
    QT_TRANSLATE_NOOP("VisitTableModel", "Date"), QT_TRANSLATE_NOOP("VisitTableModel", "Household"),
    QT_TRANSLATE_NOOP("VisitTableModel", "Visitors"), QT_TRANSLATE_NOOP("VisitTableModel", "Purposes"),
    QT_TRANSLATE_NOOP("VisitTableModel", "Met"), QT_TRANSLATE_NOOP("VisitTableModel", "Findings"),
]


class VisitTableModel(PagedTableModel):
    def __init__(self, services, parent=None):
        super().__init__(parent, page_size=100)
        self.services = services
        self.columns = [(QCoreApplication.translate("VisitTableModel", t), None) for t in VISIT_COLUMNS]
        self.query = VisitQuery()

    def set_query(self, query: VisitQuery) -> None:
        self.query = query
        self.reload()

    def fetch_count(self) -> int:
        return self.services.visits.count(self.query)

    def fetch_page(self, offset: int, limit: int, total: int) -> list[VisitDTO]:
        self.closed = self.services.closing.closed_periods()  # 结账: their visits are read-only
        return self.services.visits.list(self.query, offset, limit)

    def closure_of(self, v: VisitDTO):
        return next((c for c in getattr(self, "closed", ()) if c.start_date <= v.visit_date <= c.end_date), None)

    def format_row(self, v: VisitDTO):
        yes = QCoreApplication.translate("VisitTableModel", "yes")
        no = QCoreApplication.translate("VisitTableModel", "no")
        findings = (v.findings or "").replace("\n", " ")
        if self.closure_of(v) is not None:  # in the wide last column: the date column is too narrow for it
            findings = QCoreApplication.translate("VisitTableModel", "[closed] {text}").format(text=findings)
        return (v.visit_date.isoformat(), v.household_name, "、".join(v.cadre_names),
                "、".join(codes.label("visit_purpose", p) for p in v.purposes), yes if v.present else no,
                findings), {}


class VisitsPage(RefreshOnChange, QWidget):
    WATCHED = ("visit", "household", "cadre", "setting", "period_close")

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.new_button = primary_button(self, self.tr("Log a visit"), "plus", "Ctrl+N")
        self.new_button.clicked.connect(lambda: self.log_visit(None))
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_list(), self.tr("Visits"))
        self.tabs.addTab(self._build_coverage(), self.tr("Coverage"))
        self.tabs.currentChanged.connect(lambda i: i == 1 and self.refresh_coverage())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 14, 20, 10)
        lay.addLayout(page_header(self, self.tr("Visits"), self.new_button))
        lay.addWidget(self.tabs, 1)
        self.watch_changes()
        self.refresh()

    # -- visits list ------------------------------------------------------------------------------------------
    def _build_list(self) -> QWidget:
        w = QWidget(self)
        self.period = QComboBox(w)
        for text, key in ((self.tr("This month"), "month"), (self.tr("Last 30 days"), "30"),
                          (self.tr("This quarter"), "quarter"), (self.tr("This year"), "year"),
                          (self.tr("Last 12 months"), "12m"), (self.tr("All periods"), None)):
            self.period.addItem(text, key)
        self.period.setCurrentIndex(3)
        self.cadre = QComboBox(w)
        self.purpose = CodeCombo("visit_purpose", w, empty_text=self.tr("All purposes"))
        self.text = SearchBox(w, self.tr("Household or findings"))
        self.count_label = QLabel(w)
        self.count_label.setObjectName("Hint")
        for combo in (self.period, self.cadre, self.purpose):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.text.searchChanged.connect(lambda _t: self.apply_filters())

        self.model = VisitTableModel(self.services, self)
        self.table = QTableView(w)
        self.table.setObjectName("VisitsTable")
        setup_table(self.table)
        self.table.setModel(self.model)
        for i, width in enumerate((95, 80, 130, 200, 55)):
            self.table.setColumnWidth(i, width)
        self.table.selectionModel().currentRowChanged.connect(self._visit_selected)
        self.empty = EmptyState(w)
        self.stack = QStackedWidget(w)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.detail = QLabel(w)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.photos = photo_list(w)
        self.edit_button = QPushButton(self.tr("Correct…"), w)
        self.edit_button.setObjectName("EditVisit")
        self.edit_button.setToolTip(self.tr("Correct the date, visitors, purposes or findings of this visit"))
        self.edit_button.clicked.connect(self.edit_visit)
        self.delete_button = QPushButton(self.tr("Delete"), w)
        self.delete_button.setObjectName("DeleteVisit")
        self.delete_button.clicked.connect(self.delete_visit)
        self.table.doubleClicked.connect(lambda _i: self.edit_visit())
        actions = QHBoxLayout()
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        side = QWidget(w)
        sv = QVBoxLayout(side)
        sv.setContentsMargins(10, 0, 0, 0)
        sv.addWidget(self.detail, 1)
        sv.addWidget(self.photos)
        sv.addLayout(actions)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, w)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(side)
        self.splitter.setSizes([760, 300])
        remember_splitter(self.splitter, "visits/splitter")

        filters = QHBoxLayout()
        for x in (self.period, self.cadre, self.purpose):
            filters.addWidget(x)
        filters.addWidget(self.text, 1)
        filters.addWidget(self.count_label)
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addLayout(filters)
        lay.addWidget(self.splitter, 1)
        return w

    def period_range(self) -> tuple[date | None, date | None]:
        today = self.services.ctx.today()
        key = self.period.currentData()
        if key == "month":
            return today.replace(day=1), today
        if key == "30":
            return today - timedelta(days=29), today
        if key == "quarter":
            return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
        if key == "year":
            return date(today.year, 1, 1), today
        if key == "12m":
            return add_months(today, -12) + timedelta(days=1), today
        return None, None

    def visit_query(self) -> VisitQuery:
        start, end = self.period_range()
        return VisitQuery(start=start, end=end, cadre_id=self.cadre.currentData(), purpose=self.purpose.code(),
                          text=self.text.query(), village_id=village_scope().village_id)

    def _village_changed(self, _village_id: str) -> None:
        self.apply_filters()

    def apply_filters(self) -> None:
        self.model.set_query(self.visit_query())
        n = self.model.total()
        self.count_label.setText(self.tr("{n} visits").format(n=n))
        if n:
            self.stack.setCurrentWidget(self.table)
            self.table.selectRow(0)
        else:
            self.stack.setCurrentWidget(self.empty)
            self.detail.setText("")
            self.photos.clear()
            self.edit_button.setEnabled(False)
            self.delete_button.setEnabled(False)
            if self.services.visits.count() == 0:
                self.empty.set(self.tr("No visits recorded yet."), self.tr("Log a visit"),
                               lambda: self.log_visit(None))
            else:
                self.empty.set(self.tr("No visit in this period matches the filters."),
                               self.tr("Show all periods"), lambda: self.period.setCurrentIndex(self.period.count() - 1))

    def show_visit(self, visit_id: str, household_name: str = "") -> bool:
        """Show one visit (from the global search): every period, the household's visits, that one selected."""
        self.tabs.setCurrentIndex(0)
        for combo, index in ((self.period, self.period.count() - 1), (self.cadre, 0), (self.purpose, 0)):
            combo.blockSignals(True)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        self.text.set_query(household_name)
        self.apply_filters()
        row = self.model.find_row(visit_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        return row >= 0

    def current_visit(self) -> VisitDTO | None:
        idx = self.table.currentIndex()
        return self.model.item(idx.row()) if idx.isValid() and self.stack.currentWidget() is self.table else None

    def _visit_selected(self, current: QModelIndex, _prev: QModelIndex) -> None:
        v: VisitDTO | None = self.model.item(current.row()) if current.isValid() else None
        self.photos.clear()
        closed = self.model.closure_of(v) if v is not None else None
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(v is not None and closed is None)
            button.setToolTip(self.tr("{period} is closed: its visits are read-only").format(period=closed.label)
                              if closed is not None else "")
        if v is None:
            self.detail.setText("")
            return
        lines = [self.tr("Closed ({period}, by {who} on {day}): read-only").format(
            period=closed.label, who=closed.closed_by, day=closed.closed_on.isoformat())] if closed else []
        lines += [
            f"{v.household_name}（{v.household_number}）",
            self.tr("Date: {d}").format(d=v.visit_date.isoformat()),
            self.tr("Visitors: {v}").format(v="、".join(v.cadre_names)),
            self.tr("Way: {v}").format(v=codes.label("visit_method", v.method)),
            self.tr("Purposes: {v}").format(v="、".join(codes.label("visit_purpose", p) for p in v.purposes)),
            "",
            v.findings or self.tr("(no findings written)"),
        ]
        self.detail.setText("\n".join(lines))
        for a in self.services.visits.photos(v.id):
            path = self.services.attachments.path_of(a.sha256, a.filename)
            item = QListWidgetItem(thumbnail(path), a.filename[:14])
            item.setToolTip(str(path))
            self.photos.addItem(item)
        self.photos.setVisible(self.photos.count() > 0)

    # -- coverage ---------------------------------------------------------------------------------------------
    def _build_coverage(self) -> QWidget:
        w = QWidget(self)
        self.coverage_label = QLabel(w)
        self.coverage_label.setWordWrap(True)
        self.coverage_table = QTableView(w)
        self.coverage_table.setObjectName("CoverageTable")
        setup_table(self.coverage_table)
        from PySide6.QtGui import QStandardItemModel

        self.coverage_model = QStandardItemModel(0, 5, w)
        self.coverage_model.setHorizontalHeaderLabels([
            self.tr("Household no."), self.tr("Head"), self.tr("Type"), self.tr("Last visit"),
            self.tr("Overdue by")])
        self.coverage_table.setModel(self.coverage_model)
        for i, width in enumerate((160, 100, 160, 110)):
            self.coverage_table.setColumnWidth(i, width)
        self.coverage_table.doubleClicked.connect(self._coverage_visit)
        self.coverage_table.activated.connect(self._coverage_visit)
        visit = QPushButton(self.tr("Log a visit to the selected household"), w)
        visit.clicked.connect(lambda: self._coverage_visit(self.coverage_table.currentIndex()))
        row = QHBoxLayout()
        row.addWidget(self.coverage_label, 1)
        row.addWidget(visit)
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.coverage_table, 1)
        self._coverage_ids: list[str] = []
        return w

    def refresh_coverage(self) -> None:
        from PySide6.QtGui import QBrush, QColor, QStandardItem

        from fupin_desktop.ui import style

        total = self.services.stats.overdue_visit_count()
        rows: list[CoverageRow] = self.services.visits.coverage(limit=COVERAGE_LIMIT)
        s = self.services.settings
        rule = self.tr("Intervals: monitored households {m} days, alleviated {a} days, others {o} days "
                       "(change them in the settings).").format(
            m=s.get("visit_interval.monitored"), a=s.get("visit_interval.alleviated"),
            o=s.get("visit_interval.ordinary"))
        if total == 0:
            self.coverage_label.setText(self.tr("Every household has been visited within its interval.") + " " + rule)
        elif total > len(rows):
            self.coverage_label.setText(self.tr("{n} households are overdue for a visit; the {shown} longest "
                                                "unvisited are listed.").format(n=total, shown=len(rows)) + " " + rule)
        else:
            self.coverage_label.setText(self.tr("{n} households are overdue for a visit.").format(n=total)
                                        + " " + rule)
        self.coverage_model.setRowCount(0)
        self._coverage_ids = [r.household_id for r in rows]
        red = QBrush(QColor(style.ERROR))
        for r in rows:
            kind = codes.label("household_type", r.household_type)
            if r.monitoring_category:
                kind = codes.label("monitoring_category", r.monitoring_category)
            if r.days_since is None:
                late = self.tr("never visited")
            else:
                late = self.tr("{n} days").format(n=r.days_since - r.interval_days)
            items = [QStandardItem(x) for x in (r.number, r.head_name, kind,
                                                r.last_visit_on.isoformat() if r.last_visit_on else "—", late)]
            items[4].setForeground(red)
            self.coverage_model.appendRow(items)

    def _coverage_visit(self, index: QModelIndex) -> None:
        if index.isValid():
            self.log_visit(self._coverage_ids[index.row()])

    # -- common -----------------------------------------------------------------------------------------------
    def _fill_cadres(self) -> None:
        current = self.cadre.currentData()
        self.cadre.blockSignals(True)
        self.cadre.clear()
        self.cadre.addItem(self.tr("All visitors"), None)
        for c in self.services.cadres.list():
            self.cadre.addItem(c.name, c.id)
        self.cadre.setCurrentIndex(max(0, self.cadre.findData(current)))
        self.cadre.blockSignals(False)

    def log_visit(self, household_id: str | None) -> None:
        from fupin_desktop.ui.views.visits.dialog import VisitDialog

        if VisitDialog(self.services, household_id, self).exec():
            self.after_own_change()

    def edit_visit(self):
        """Correct the selected visit (a wrong date, a missing visitor, a typo in the findings)."""
        from fupin_desktop.ui.views.visits.dialog import VisitDialog

        v = self.current_visit()
        if v is None:
            return None
        dlg = VisitDialog(self.services, parent=self, visit=v)
        if dlg.exec():
            self.after_own_change()
        return dlg

    def delete_visit(self) -> None:
        """Delete the selected visit (a mistake: logged twice, wrong household). Its problems stay on the list."""
        v = self.current_visit()
        if v is None:
            return
        text = self.tr("Delete the visit to {household} on {date}? The problems raised on it stay on the problem "
                       "list.").format(household=v.household_name, date=v.visit_date.isoformat())
        if messages.confirm(self, text, self.tr("Delete visit"), destructive=True):
            tasks.run_in_background(self.services.visits.delete, v.id, parent=self, writes=True,
                                    on_success=self.after_own_change)

    def refresh(self) -> None:
        self._fill_cadres()
        self.apply_filters()
        if self.tabs.currentIndex() == 1:
            self.refresh_coverage()


