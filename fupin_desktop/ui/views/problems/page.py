"""问题清单 (销号台账): problems with status, due date and responsible cadre; overdue in red with the word 逾期,
due within 7 days in amber, done in green. A problem moves through its workflow with a note; closing needs the
resolution text."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QT_TRANSLATE_NOOP
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QStackedWidget, QTableView, QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.services.problems import TRANSITIONS, ProblemDTO, ProblemQuery
from fupin_desktop.ui import messages, style, tasks
from fupin_desktop.ui.models.paged import PagedTableModel
from fupin_desktop.ui.models.problems import DUE_SOON_DAYS, urgency
from fupin_desktop.ui.widgets.page_parts import EmptyState, page_header, primary_button, setup_table
from fupin_desktop.ui.views.problems.dialogs import MoveDialog, ProblemDialog  # noqa: F401 (MoveDialog: tests)
from fupin_desktop.ui.widgets import SearchBox, remember_splitter
from fupin_desktop.ui.widgets.refresh import RefreshOnChange
from fupin_desktop.ui.widgets.village_scope import village_scope

COLUMNS = [
    QT_TRANSLATE_NOOP("ProblemTableModel", "Deadline"), QT_TRANSLATE_NOOP("ProblemTableModel", "Status"),
    QT_TRANSLATE_NOOP("ProblemTableModel", "Problem"), QT_TRANSLATE_NOOP("ProblemTableModel", "Household"),
    QT_TRANSLATE_NOOP("ProblemTableModel", "Responsible"), QT_TRANSLATE_NOOP("ProblemTableModel", "Due"),
    QT_TRANSLATE_NOOP("ProblemTableModel", "Raised"),
]


class ProblemTableModel(PagedTableModel):
    def __init__(self, services, parent=None):
        super().__init__(parent, page_size=200)
        self.services = services
        self.columns = [(QCoreApplication.translate("ProblemTableModel", t), None) for t in COLUMNS]
        self.query = ProblemQuery(status="open")
        self.today = services.ctx.today()

    def set_query(self, query: ProblemQuery) -> None:
        self.query = query
        self.today = self.services.ctx.today()
        self.reload()

    def fetch_count(self) -> int:
        return self.services.problems.count(self.query)

    def fetch_page(self, offset: int, limit: int, total: int) -> list[ProblemDTO]:
        return self.services.problems.list(self.query, offset, limit)

    def format_row(self, p: ProblemDTO):
        word, colour = urgency(p, self.today)
        household = p.household_name or ""
        texts = (word, codes.label("problem_status", p.status), p.description.replace("\n", " "), household,
                 p.responsible_name or "", p.due_date.isoformat() if p.due_date else "", p.raised_on.isoformat())
        roles = {}
        if colour:
            brush = QBrush(QColor(getattr(style, colour)))
            roles[(0, Qt.ItemDataRole.ForegroundRole)] = brush
            roles[(1, Qt.ItemDataRole.ForegroundRole)] = brush
            roles[(5, Qt.ItemDataRole.ForegroundRole)] = brush
        return texts, roles


class ProblemsPage(RefreshOnChange, QWidget):
    WATCHED = ("problem", "problem_event", "household", "cadre")

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.new_button = primary_button(self, self.tr("Raise a problem"), "plus", "Ctrl+N")
        self.new_button.setObjectName("NewProblem")
        self.new_button.clicked.connect(self.new_problem)
        self.status = QComboBox(self)
        self.status.addItem(self.tr("Open problems"), "open")
        self.status.addItem(self.tr("Closed problems"), "closed")
        self.status.addItem(self.tr("All problems"), None)
        for item in codes.get("problem_status").items():
            self.status.addItem(item.label, item.code)
        self.responsible = QComboBox(self)
        self.urgency = QComboBox(self)
        self.urgency.addItem(self.tr("Any deadline"), None)
        self.urgency.addItem(self.tr("Overdue"), "overdue")
        self.urgency.addItem(self.tr("Due within 7 days or overdue"), "soon")
        self.text = SearchBox(self, self.tr("Search problems"))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("Hint")
        for combo in (self.status, self.responsible, self.urgency):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.text.searchChanged.connect(lambda _t: self.apply_filters())

        self.model = ProblemTableModel(services, self)
        self.table = QTableView(self)
        self.table.setObjectName("ProblemsTable")
        setup_table(self.table)
        self.table.setModel(self.model)
        for i, width in enumerate((100, 70, 300, 80, 80, 95)):
            self.table.setColumnWidth(i, width)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.empty = EmptyState(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        side = QWidget(self)
        self.detail = QLabel(side)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.actions = QVBoxLayout()
        sv = QVBoxLayout(side)
        sv.setContentsMargins(10, 0, 0, 0)
        sv.addWidget(self.detail, 1)
        sv.addLayout(self.actions)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(side)
        self.splitter.setSizes([800, 300])
        remember_splitter(self.splitter, "problems/splitter")

        filters = QHBoxLayout()
        for x in (self.status, self.responsible, self.urgency):
            filters.addWidget(x)
        filters.addWidget(self.text, 1)
        filters.addWidget(self.count_label)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 14, 20, 10)
        lay.addLayout(page_header(self, self.tr("Problem list"), self.new_button))
        lay.addLayout(filters)
        lay.addWidget(self.splitter, 1)
        self._buttons: list[QPushButton] = []
        self.watch_changes()
        self.refresh()

    def problem_query(self) -> ProblemQuery:
        today = self.services.ctx.today()
        u = self.urgency.currentData()
        return ProblemQuery(status=self.status.currentData(), responsible_id=self.responsible.currentData(),
                            overdue_on=today if u == "overdue" else None,
                            due_before=today + timedelta(days=DUE_SOON_DAYS) if u == "soon" else None,
                            text=self.text.query(), village_id=village_scope().village_id)

    def _village_changed(self, _village_id: str) -> None:
        self.apply_filters()

    def apply_filters(self) -> None:
        current = self.current_problem()
        self.model.set_query(self.problem_query())
        n = self.model.total()
        self.count_label.setText(self.tr("{n} problems").format(n=n))
        if n:
            self.stack.setCurrentWidget(self.table)
            row = 0
            if current is not None:
                for r in range(min(n, self.model.page_size)):
                    item = self.model.item(r)
                    if item and item.id == current.id:
                        row = r
                        break
            self.table.selectRow(row)
        else:
            self.stack.setCurrentWidget(self.empty)
            self._show(None)
            if self.status.currentData() == "open":
                self.empty.set(self.tr("No open problems. Problems raised on visits appear here."),
                               self.tr("Show all problems"), lambda: self.status.setCurrentIndex(2))
            else:
                self.empty.set(self.tr("No problem matches the filters."), self.tr("Show open problems"),
                               lambda: self.status.setCurrentIndex(0))

    def show_problem(self, problem_id: str) -> bool:
        """Show one problem (from the global search): every status, anyone, any deadline; that one selected."""
        for combo, index in ((self.status, self.status.findData(None)), (self.responsible, 0), (self.urgency, 0)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self.text.set_query("")
        self.apply_filters()
        row = self.model.find_row(problem_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        return row >= 0

    def current_problem(self) -> ProblemDTO | None:
        idx = self.table.currentIndex()
        return self.model.item(idx.row()) if idx.isValid() else None

    def _selected(self, current: QModelIndex, _prev: QModelIndex) -> None:
        self._show(self.model.item(current.row()) if current.isValid() else None)

    def _show(self, p: ProblemDTO | None) -> None:
        for b in self._buttons:
            self.actions.removeWidget(b)
            b.deleteLater()
        self._buttons = []
        if p is None:
            self.detail.setText("")
            return
        word, _c = urgency(p, self.services.ctx.today())
        lines = [p.description, "",
                 self.tr("Status: {s}").format(s=codes.label("problem_status", p.status)) + (f"（{word}）" if word else ""),
                 self.tr("Household: {h}").format(h=p.household_name or "—"),
                 self.tr("Responsible: {r}").format(r=p.responsible_name or "—"),
                 self.tr("Raised: {d}").format(d=p.raised_on.isoformat()),
                 self.tr("Due: {d}").format(d=p.due_date.isoformat() if p.due_date else "—")]
        if p.resolution:
            lines += ["", self.tr("Resolution: {r}").format(r=p.resolution)]
        lines += ["", self.tr("History:")]
        for e in self.services.problems.history(p.id):
            step = codes.label("problem_status", e.to_status)
            lines.append(f"  {e.event_date.isoformat()} {step}" + (f" — {e.note}" if e.note else ""))
        self.detail.setText("\n".join(lines))
        for to in TRANSITIONS.get(p.status, ()):
            b = QPushButton(self.tr("Change to “{status}”…").format(status=codes.label("problem_status", to)), self)
            b.setObjectName(f"move_{to}")
            b.clicked.connect(lambda _=False, to=to, p=p: self.move(p, to))
            self.actions.addWidget(b)
            self._buttons.append(b)
        row = QWidget(self)
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 6, 0, 0)
        edit = QPushButton(self.tr("Edit (deadline, responsible)…"), row)
        edit.setObjectName("EditProblem")
        edit.clicked.connect(lambda _=False, p=p: self.edit_problem(p))
        delete = QPushButton(self.tr("Delete"), row)
        delete.setObjectName("DeleteProblem")
        delete.setToolTip(self.tr("Delete a problem entered by mistake"))
        delete.clicked.connect(lambda _=False, p=p: self.delete_problem(p))
        h.addWidget(edit, 1)
        h.addWidget(delete)
        self.actions.addWidget(row)
        self._buttons.append(row)

    def move(self, problem: ProblemDTO, to_status: str) -> None:
        if MoveDialog(self.services, problem, to_status, self).exec():
            self.after_own_change()

    def new_problem(self) -> ProblemDialog:
        dlg = ProblemDialog(self.services, self)
        if dlg.exec():
            self.after_own_change()
        return dlg

    def edit_problem(self, problem: ProblemDTO) -> ProblemDialog:
        dlg = ProblemDialog(self.services, self, problem)
        if dlg.exec():
            self.after_own_change()
        return dlg

    def delete_problem(self, problem: ProblemDTO) -> None:
        text = self.tr("Delete the problem “{p}”? Only for a problem entered by mistake: a solved one is closed "
                       "instead.").format(p=problem.description[:40])
        if messages.confirm(self, text, self.tr("Delete problem"), destructive=True):
            tasks.run_in_background(self.services.problems.delete, problem.id, parent=self, writes=True,
                                    on_success=self.after_own_change)

    def _fill_cadres(self) -> None:
        current = self.responsible.currentData()
        self.responsible.blockSignals(True)
        self.responsible.clear()
        self.responsible.addItem(self.tr("Anyone responsible"), None)
        for c in self.services.cadres.list():
            self.responsible.addItem(c.name, c.id)
        self.responsible.setCurrentIndex(max(0, self.responsible.findData(current)))
        self.responsible.blockSignals(False)

    def refresh(self) -> None:
        self._fill_cadres()
        self.apply_filters()
