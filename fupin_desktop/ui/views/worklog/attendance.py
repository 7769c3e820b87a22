"""驻村考勤 tab: one row per work-team member, one column per day of the month; select cells and press a status
button (or fill the whole month at once). Days in the village (在村 + 因公外出) are counted against the rule."""
from __future__ import annotations

import calendar
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.ui import style, tasks
from fupin_desktop.ui.widgets.page_parts import EmptyState
from fupin_desktop.ui.widgets.village_scope import village_scope

# One character per status so a month fits the screen; the full word is in the tooltip and the legend.
SHORT = {"in_village": "在", "official_trip": "公", "leave": "假", "other": "他"}
COLOURS = {"in_village": "#DDF0E4", "official_trip": "#DCE8F7", "leave": "#FBE9CF", "other": "#ECEEF1"}
CADRE_ROLE = Qt.ItemDataRole.UserRole
DAY_ROLE = Qt.ItemDataRole.UserRole + 1


class AttendanceTab(QWidget):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        today = services.ctx.today()
        self._cadres: list = []
        self._years: dict[str, object] = {}

        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.setSuffix(self.tr(" (year)"))
        self.month = QComboBox(self)
        for m in range(1, 13):
            self.month.addItem(self.tr("Month {m}").format(m=m), m)
        self.month.setCurrentIndex(today.month - 1)
        self.prev_button = QPushButton("‹", self)
        self.next_button = QPushButton("›", self)
        for b in (self.prev_button, self.next_button):
            b.setFixedWidth(36)
        self.prev_button.setToolTip(self.tr("Previous month"))
        self.next_button.setToolTip(self.tr("Next month"))

        self.status_buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.prev_button)
        bar.addWidget(self.year)
        bar.addWidget(self.month)
        bar.addWidget(self.next_button)
        bar.addSpacing(16)
        bar.addWidget(QLabel(self.tr("Mark the selected days:"), self))
        for item in codes.get("attendance_status").items():
            b = QPushButton(f"{SHORT.get(item.code, '')} {item.label}".strip(), self)
            b.clicked.connect(lambda _c=False, code=item.code: self.mark_selected(code))
            self.status_buttons[item.code] = b
            bar.addWidget(b)
        self.clear_button = QPushButton(self.tr("Clear"), self)
        self.clear_button.clicked.connect(lambda: self.mark_selected(None))
        bar.addWidget(self.clear_button)
        bar.addStretch(1)
        self.fill_button = QPushButton(self.tr("Whole month in the village"), self)
        self.fill_button.setToolTip(self.tr("Mark every unmarked day of this month up to today as 在村 for the "
                                            "selected person(s); days already marked keep their mark"))
        bar.addWidget(self.fill_button)

        self.rule = QLabel(self)
        self.rule.setObjectName("Hint")
        self.rule.setWordWrap(True)

        self.table = QTableWidget(self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.empty = EmptyState(self)
        self.empty.hide()

        self.year_summary = QLabel(self)
        self.year_summary.setWordWrap(True)
        self.year_summary.setTextFormat(Qt.TextFormat.PlainText)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.rule)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.empty, 1)
        lay.addWidget(self.year_summary)

        self.year.valueChanged.connect(lambda _v: self.reload())
        self.month.currentIndexChanged.connect(lambda _i: self.reload())
        self.prev_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.fill_button.clicked.connect(self.fill_month)
        self.table.currentCellChanged.connect(lambda *_a: self._update_year_summary())
        self.reload()

    # -- navigation -------------------------------------------------------------------------------------------
    def current_month(self) -> tuple[int, int]:
        return self.year.value(), self.month.currentData()

    def set_month(self, year: int, month: int) -> None:
        self.year.blockSignals(True)
        self.year.setValue(year)
        self.year.blockSignals(False)
        self.month.setCurrentIndex(month - 1)
        self.reload()

    def _step(self, delta: int) -> None:
        y, m = self.current_month()
        m += delta
        if m == 0:
            y, m = y - 1, 12
        elif m == 13:
            y, m = y + 1, 1
        self.set_month(y, m)

    # -- display ----------------------------------------------------------------------------------------------
    def reload(self) -> None:
        year, month = self.current_month()
        cfg = self.services.settings
        per_month, per_year = cfg.get("attendance.min_days_per_month"), cfg.get("target.village_days_per_year")
        self.rule.setText(self.tr(
            "Rule: at least {m} days in the village each month and {y} days a year. 在村 and 因公外出 (reported "
            "trips for meetings, training or projects) count as days in the village; 请假 and 其他 do not. "
            "Select days (drag, or Ctrl/Shift+click) and press a button.").format(m=per_month, y=per_year))
        village = village_scope().village_id  # township database: the chosen village's team
        self._cadres = [c for c in self.services.cadres.list(village_id=village) if c.in_team]
        self.table.setVisible(bool(self._cadres))
        self.empty.setVisible(not self._cadres)
        if not self._cadres:
            self.empty.set(self.tr("No work-team members yet. Add them under Settings → Work team."))
            self.year_summary.clear()
            return
        ndays = calendar.monthrange(year, month)[1]
        today = self.services.ctx.today()
        self.table.clear()
        self.table.setColumnCount(ndays + 3)
        self.table.setRowCount(len(self._cadres))
        headers = [self.tr("Name")] + [str(d) for d in range(1, ndays + 1)] + [self.tr("Days"), self.tr("Result")]
        self.table.setHorizontalHeaderLabels(headers)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        hh.setMinimumSectionSize(24)
        self.table.setColumnWidth(0, 64)
        for d in range(1, ndays + 1):
            self.table.setColumnWidth(d, 28)
            weekday = date(year, month, d).weekday()
            if weekday >= 5:
                head = self.table.horizontalHeaderItem(d)
                head.setForeground(QBrush(QColor(style.MUTED)))
                head.setToolTip(self.tr("Weekend"))
        self.table.setColumnWidth(ndays + 1, 40)
        hh.setSectionResizeMode(ndays + 2, QHeaderView.ResizeMode.Stretch)
        self._years = {y.cadre_id: y for y in self.services.attendance.team_year(year, village)}
        for r, cadre in enumerate(self._cadres):
            grid = self.services.attendance.month(cadre.id, year, month)
            name = QTableWidgetItem(cadre.name)
            name.setData(CADRE_ROLE, cadre.id)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.table.setItem(r, 0, name)
            for d in range(1, ndays + 1):
                day = date(year, month, d)
                status = grid.days.get(day)
                item = QTableWidgetItem(SHORT.get(status, status or ""))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setData(CADRE_ROLE, cadre.id)
                item.setData(DAY_ROLE, day)
                tip = f"{cadre.name} {day.isoformat()} {codes.label('attendance_status', status)}"
                if day in grid.notes:
                    tip += f"（{grid.notes[day]}）"
                item.setToolTip(tip)
                if status in COLOURS:
                    item.setBackground(QBrush(QColor(COLOURS[status])))
                if day > today:
                    item.setFlags(Qt.ItemFlag.NoItemFlags)  # the future cannot be marked
                self.table.setItem(r, d, item)
            count = grid.count
            days_item = QTableWidgetItem(str(count.village_days))
            days_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            days_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(r, ndays + 1, days_item)
            if not count.applies:  # before joining the team (or after leaving): not judged
                text, colour = self.tr("— not in the team this month"), style.MUTED
            elif count.meets:
                text, colour = self.tr("✓ met ({n}/{req})").format(n=count.village_days, req=count.required), \
                    style.SUCCESS
            elif count.finished:
                text, colour = self.tr("✗ {short} days short").format(short=count.short_by), style.ERROR
            else:
                text, colour = self.tr("… {short} more days needed").format(short=count.short_by), style.WARNING
            result = QTableWidgetItem(text)
            result.setForeground(QBrush(QColor(colour)))
            result.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(r, ndays + 2, result)
        self._update_year_summary()

    def _current_cadre_id(self) -> str | None:
        item = self.table.currentItem()
        if item is not None and item.data(CADRE_ROLE):
            return item.data(CADRE_ROLE)
        return self._cadres[0].id if self._cadres else None

    def _update_year_summary(self) -> None:
        cid = self._current_cadre_id()
        y = self._years.get(cid) if cid else None
        if y is None:
            self.year_summary.clear()
            return
        months = " ".join(f"{m.month}月{m.village_days}" for m in y.months if m.marked_days)
        verdict = self.tr("met") if y.meets else self.tr("{n} days to go").format(n=y.required_year - y.village_days)
        self.year_summary.setText(self.tr(
            "{name}, {year}: {days} days in the village / required {req} ({verdict}); months below the rule: "
            "{short}.  By month: {months}").format(name=y.cadre_name, year=y.year, days=y.village_days,
                                                  req=y.required_year, verdict=verdict, short=y.months_short,
                                                  months=months or "—"))

    # -- actions ----------------------------------------------------------------------------------------------
    def selected_marks(self) -> dict[str, list[date]]:
        out: dict[str, list[date]] = {}
        for item in self.table.selectedItems():
            day = item.data(DAY_ROLE)
            if day is not None:
                out.setdefault(item.data(CADRE_ROLE), []).append(day)
        return out

    def mark_selected(self, status: str | None) -> None:
        marks = self.selected_marks()
        if not marks:
            return
        for cadre_id, days in marks.items():
            tasks.run_in_background(self.services.attendance.set_days, cadre_id, {d: status for d in days},
                                    on_success=lambda _o: self.reload(), parent=self, writes=True)

    def fill_month(self) -> None:
        year, month = self.current_month()
        rows = {i.row() for i in self.table.selectedIndexes()}
        if not rows and self.table.currentRow() >= 0:
            rows = {self.table.currentRow()}
        ids = [self._cadres[r].id for r in sorted(rows) if r < len(self._cadres)] or \
            [c.id for c in self._cadres[:1]]
        for cid in ids:
            tasks.run_in_background(self.services.attendance.fill_month, cid, year, month,
                                    on_success=lambda _o: self.reload(), parent=self, writes=True)
