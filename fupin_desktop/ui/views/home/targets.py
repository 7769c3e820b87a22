"""首页 · 目标进度（每人）: each work-team cadre's figures of the year against the targets set for him or her
(驻村天数, 走访户数, 民情日记天数, 破解难题件数, 意见建议条数) and the team's (the targets summed), in one compact table
that fits beside the chart at 1366×768; 设定目标… opens the form of one cadre's targets."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFrame, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.ui import style
from fupin_desktop.ui.widgets import CodeCombo
from fupin_desktop.ui.widgets.form_dialog import FormDialog

translate = QCoreApplication.translate


def cell_text(m) -> str:
    """"56/100" (done / target), or "56" with no target."""
    return f"{m.done}/{m.target}" if m.target is not None else str(m.done)


class TargetsPanel(QFrame):
    """The table of progress per cadre; ``show_progress(TeamProgress)``."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.progress = None
        self.setObjectName("TargetsPanel")
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.set_button = QPushButton(self.tr("Set targets…"), self)
        self.set_button.setObjectName("set_targets")
        self.set_button.setFlat(True)
        self.set_button.setStyleSheet(f"color: {style.ACCENT}; padding: 0 4px;")
        self.set_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.set_button.clicked.connect(self.open_targets)
        self.hint = QLabel(self)
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)
        self.table = QTableWidget(0, len(codes.get("target_metric").codes()) + 1, self)
        self.table.setObjectName("cadre_targets")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalHeaderLabels([self.tr("Cadre")] + [self._short(m) for m in
                                                                     codes.get("target_metric").codes()])
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.set_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(head)
        lay.addWidget(self.table)
        lay.addWidget(self.hint)

    def _short(self, metric: str) -> str:
        return {"village_days": self.tr("Days in village"), "households_visited": self.tr("Households visited"),
                "diary_days": self.tr("Diary days"), "problems_solved": self.tr("Problems solved"),
                "suggestions": self.tr("Suggestions")}.get(metric, codes.label("target_metric", metric))

    def show_progress(self, progress) -> None:
        self.progress = progress
        self.title.setText(self.tr("{year}: targets per cadre (to {month}/{day})").format(
            year=progress.year, month=progress.as_of.month, day=progress.as_of.day))
        rows = list(progress.cadres) + ([progress.team] if len(progress.cadres) > 1 else [])
        self.table.setRowCount(len(rows))
        row_h = max(20, self.table.fontMetrics().height() + 4)
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, row in enumerate(rows):
            self.table.setRowHeight(r, row_h)
            name = QTableWidgetItem(self.tr("Team total") if not row.cadre_id else row.name)
            if not row.cadre_id:
                name.setFont(bold)
            self.table.setItem(r, 0, name)
            for c, m in enumerate(row.metrics, start=1):
                item = QTableWidgetItem(cell_text(m))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if m.target is None:
                    item.setForeground(QColor(style.MUTED))
                    item.setToolTip(self.tr("{title}: {done}{unit}, no target set").format(
                        title=m.title, done=m.done, unit=m.unit))
                else:
                    item.setForeground(QColor(style.SUCCESS if m.met else style.TEXT))
                    item.setToolTip(self.tr("{title}: {done} of {target}{unit} ({p}%)").format(
                        title=m.title, done=m.done, target=m.target, unit=m.unit, p=m.percent))
                    if m.met:
                        item.setText(item.text() + " ✓")
                if not row.cadre_id:
                    item.setFont(bold)
                self.table.setItem(r, c, item)
        header_h = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header_h + row_h * len(rows) + 4)
        if not progress.cadres:
            self.hint.setText(self.tr("No work team recorded: add the team in the settings."))
        elif not progress.has_targets:
            self.hint.setText(self.tr("No targets set for {year} yet: “Set targets…” for each cadre (days in the "
                                      "village, households visited, diary days, problems solved, suggestions).")
                              .format(year=progress.year))
        explained = self.tr("Done / target up to {date}; ✓ reached. The team's target is the sum of its cadres' "
                            "targets.").format(date=progress.as_of.isoformat())
        self.table.setToolTip(explained)
        self.title.setToolTip(explained)
        # with targets set the table speaks for itself (the explanation is its tooltip): the line would push the
        # home page past a 1366×768 screen
        self.hint.setVisible(not progress.cadres or not progress.has_targets)

    def open_targets(self) -> None:
        year = self.progress.year if self.progress is not None else self.services.ctx.today().year
        self.dialog = TargetsDialog(self.services, self, year)
        self.dialog.open()


class TargetsDialog(FormDialog):
    """One cadre's targets of a year: five numbers (0 = no target)."""

    state_key = "dialogs/cadre_targets"

    def __init__(self, services, parent: QWidget | None = None, year: int | None = None,
                 cadre_id: str | None = None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Targets of a cadre"))
        this_year = services.ctx.today().year
        self.year = QComboBox(self)
        for y in range(this_year + 1, this_year - 5, -1):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(year or this_year)))
        self.cadre = CodeCombo(parent=self)
        self.cadre.set_items([(c.id, c.name) for c in services.cadres.list() if c.in_team])
        if cadre_id:
            self.cadre.set_code(cadre_id)
        self.add_row(self.tr("Year"), self.year, "year")
        self.add_row(self.tr("Cadre *"), self.cadre, "cadre_id")
        self.values: dict[str, QSpinBox] = {}
        for metric in codes.get("target_metric").codes():
            box = QSpinBox(self)
            box.setObjectName(f"target_{metric}")
            box.setRange(0, 100000)
            box.setSpecialValueText(self.tr("(no target)"))
            box.setSuffix(f" {codes.TARGET_UNITS.get(metric, '')}")
            self.values[metric] = box
            self.add_row(codes.label("target_metric", metric), box, metric)
        note = QLabel(self.tr("The team's target is the sum of its cadres' targets. Diary days count the days "
                              "written, not the entries."), self)
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.add_row(None, note)
        self.year.currentIndexChanged.connect(lambda _i: self._load())
        self.cadre.currentIndexChanged.connect(lambda _i: self._load())
        self._load()
        self.finish(440, 400)

    def _load(self) -> None:
        cid = self.cadre.code()
        current = self.services.targets.targets(cid, self.year.currentData()) if cid else {}
        for metric, box in self.values.items():
            box.setValue(current.get(metric, 0))
        self.mark_clean()

    def submit(self):
        from fupin_desktop.domain.errors import ValidationError

        cid = self.cadre.code()
        if not cid:
            raise ValidationError("cadre_id", translate("TargetsDialog", "Choose the cadre"))
        values = {m: (box.value() or None) for m, box in self.values.items()}
        return self.services.targets.set_targets, cid, self.year.currentData(), values
