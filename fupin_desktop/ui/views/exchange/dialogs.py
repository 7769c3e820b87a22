"""数据交换 dialogs: export the upward package, import a roster (wizard). (Merging is by 同步包, ``fupin-desktop
merge``; the Excel package is a document for people and is not merged.)

Long work runs through ``ui.tasks`` with a progress dialog and a cancel button; the exchange functions raise
``Cancelled`` from inside their single transaction, so a cancelled import or merge leaves the database unchanged.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QSpinBox, QStackedWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.widgets.date_edit import DateEdit
from fupin_desktop.ui.widgets.privacy_choice import PrivacyChoice
from fupin_desktop.ui.widgets.save_path import SavePathField, remember_folder, suggested_path
from fupin_desktop.ui.widgets.tables import fill_rows, mark_unmapped, plain_table

XLSX_FILTER = "Excel (*.xlsx)"


def _checker(cancel):
    return cancel.raise_if_cancelled


# --- export --------------------------------------------------------------------------------------------------------


class ExportDialog(QDialog):
    """Period (all / year / half-year / quarter / custom) and masked-or-full, then the file."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.result = None
        self.setWindowTitle(self.tr("Export upward package"))
        self.setMinimumWidth(520)
        form = QFormLayout()
        self.period = QComboBox(self)
        for key, text in (("all", self.tr("All data")), ("year", self.tr("Year")), ("half", self.tr("Half-year")),
                          ("quarter", self.tr("Quarter")), ("custom", self.tr("Custom dates"))):
            self.period.addItem(text, key)
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(services.ctx.today().year)
        self.part = QComboBox(self)
        self.start = DateEdit(self, value=date(services.ctx.today().year, 1, 1))
        self.end = DateEdit(self, value=services.ctx.today())
        form.addRow(self.tr("Period"), self.period)
        form.addRow(self.tr("Year"), self.year)
        form.addRow(self.tr("Part"), self.part)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        self.privacy = PrivacyChoice(self, self.tr("Public notice (no health, disability or income)"))
        self.masked, self.public, self.full = self.privacy.masked, self.privacy.public, self.privacy.full
        self.public.setToolTip(self.tr("For posting in the village: masked numbers, and the health, disability and "
                                       "income columns and the income sheet are left out. Cannot be merged."))
        self.full_warning = QLabel(self.tr("A full export contains everyone's ID numbers and phones. "
                                           "It is recorded in the audit log. Keep the file safe."), self)
        self.full_warning.setWordWrap(True)
        self.full_warning.setObjectName("FieldError")
        self.full_warning.setVisible(False)
        form.addRow(self.tr("Personal data"), self.privacy)
        form.addRow(self.full_warning)
        self.save_to = SavePathField(self, self.tr("Save package"), XLSX_FILTER)
        self.path = self.save_to.line
        form.addRow(self.tr("Save to"), self.save_to)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        v = QVBoxLayout(self)
        v.addLayout(form)
        v.addWidget(self.buttons)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.full.toggled.connect(self._full_toggled)
        self.public.toggled.connect(self._public_toggled)
        self._form = form
        self._period_changed()
        village = services.village.get() if hasattr(services, "village") else None
        name = getattr(village, "name", "") or "数据包"
        self.path.setText(str(suggested_path(f"{name}-上报-{datetime.now():%Y%m%d}.xlsx")))

    def _public_toggled(self, on: bool) -> None:
        """The suggested file name says which version it is (上报 or 公示)."""
        path = Path(self.path.text())
        old, new = ("-上报-", "-公示-") if on else ("-公示-", "-上报-")
        if old in path.name:
            self.path.setText(str(path.with_name(path.name.replace(old, new, 1))))

    def _full_toggled(self, on: bool) -> None:
        self.full_warning.setVisible(on)
        self.adjustSize()

    def _period_changed(self) -> None:
        key = self.period.currentData()
        self.part.clear()
        if key == "half":
            self.part.addItems([self.tr("First half"), self.tr("Second half")])
        elif key == "quarter":
            self.part.addItems([self.tr("Q1"), self.tr("Q2"), self.tr("Q3"), self.tr("Q4")])
        for widget, visible in ((self.year, key in ("year", "half", "quarter")), (self.part, key in ("half", "quarter")),
                                (self.start, key == "custom"), (self.end, key == "custom")):
            widget.setVisible(visible)
            self._form.labelForField(widget).setVisible(visible)
        self.adjustSize()

    def period_range(self) -> tuple[date | None, date | None]:
        from fupin_desktop.domain.dates import half_year_range, quarter_range, year_range

        key = self.period.currentData()
        y = self.year.value()
        if key == "year":
            return year_range(y)
        if key == "half":
            return half_year_range(y, self.part.currentIndex() + 1)
        if key == "quarter":
            return quarter_range(y, self.part.currentIndex() + 1)
        if key == "custom":
            return self.start.value(), self.end.value()
        return None, None

    def start_export(self) -> None:
        from fupin_desktop.exchange.report_book import export_for_period

        start, end = self.period_range()
        if start and end and start > end:
            messages.error(self, self.tr("The start date is after the end date."))
            return
        target = self.path.text().strip()
        if not target:
            messages.error(self, self.tr("Choose where to save the file."))
            return
        if self.full.isChecked() and not messages.confirm(
                self, self.tr("Export full ID numbers and phone numbers? This is recorded in the audit log.")):
            return
        full = self.full.isChecked()
        public = self.public.isChecked()

        def work(*, progress, cancel):
            form = "public" if public else "full" if full else "masked"
            return export_for_period(self.services, target, start, end, form, progress=progress,
                                     cancel=_checker(cancel))

        self.ok.setEnabled(False)
        self.task = tasks.run_in_background(work, on_success=self._done, on_failure=self._failed,
                                            on_cancelled=lambda: self.ok.setEnabled(True),
                                            progress_title=self.tr("Exporting"), cancellable=True, parent=self,
                                            writes=True)

    def _done(self, result) -> None:
        self.result = result
        total = sum(result.counts.values())
        remember_folder(result.path)
        messages.file_saved(self, result.path, self.tr("Exported {n} records.").format(n=total))
        self.accept()

    def _failed(self, exc) -> None:
        self.ok.setEnabled(True)
        tasks.report_error(self, exc)


# --- roster import ---------------------------------------------------------------------------------------------------


class RosterImportWizard(QDialog):
    """Choose file → column mapping → problem report → import (all rows or none)."""

    def __init__(self, services, parent: QWidget | None = None, path: str | None = None):
        super().__init__(parent)
        from fupin_desktop.exchange import roster

        self.roster = roster
        self.services = services
        self.layout_info = None
        self.plan = None
        self.setWindowTitle(self.tr("Import household roster"))
        self.resize(900, 600)
        self.pages = QStackedWidget(self)
        # page 0: file
        p0 = QWidget(self)
        v0 = QVBoxLayout(p0)
        v0.addWidget(QLabel(self.tr("Choose a roster workbook (.xlsx) exported from the monitoring system or kept "
                                    "by hand. The header row may be anywhere in the first 10 rows."), p0))
        row = QHBoxLayout()
        self.path = QLineEdit(p0)
        browse = QPushButton(self.tr("Browse…"), p0)
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        v0.addLayout(row)
        v0.addStretch(1)
        # page 1: mapping
        p1 = QWidget(self)
        v1 = QVBoxLayout(p1)
        self.mapping_hint = QLabel(p1)
        self.mapping_hint.setWordWrap(True)
        v1.addWidget(self.mapping_hint)
        self.mapping = plain_table(p1, [self.tr("Column in the file"), self.tr("Import as")])
        self.mapping.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        v1.addWidget(self.mapping, 1)
        # page 2: report
        p2 = QWidget(self)
        v2 = QVBoxLayout(p2)
        self.summary = QLabel(p2)
        self.summary.setWordWrap(True)
        v2.addWidget(self.summary)
        from fupin_desktop.ui.views.exchange.value_mapping import ValueMappingTable

        self.values = ValueMappingTable(p2)
        self.values.setVisible(False)
        self.values.apply_requested.connect(self._apply_values)
        v2.addWidget(self.values, 1)
        self.problems = plain_table(p2, [self.tr("Sheet"), self.tr("Row"), self.tr("Column"), self.tr("Problem")])
        self.problems.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        v2.addWidget(self.problems, 2)
        for p in (p0, p1, p2):
            self.pages.addWidget(p)
        self.back = QPushButton(self.tr("Back"), self)
        self.next = QPushButton(self.tr("Next"), self)
        self.next.setDefault(True)
        close = QPushButton(self.tr("Close"), self)
        self.back.clicked.connect(self._back)
        self.next.clicked.connect(self._next)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back, self.next, close):
            buttons.addWidget(b)
        v = QVBoxLayout(self)
        v.addWidget(self.pages, 1)
        v.addLayout(buttons)
        if path:
            self.path.setText(path)
        self._update_buttons()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open roster"), "", XLSX_FILTER)
        if path:
            self.path.setText(path)

    def _update_buttons(self) -> None:
        page = self.pages.currentIndex()
        self.back.setEnabled(page > 0)
        if page == 2:
            self.next.setText(self.tr("Import"))
            self.next.setEnabled(bool(self.plan and self.plan.ok and self.plan.rows))
        else:
            self.next.setText(self.tr("Next"))
            self.next.setEnabled(True)

    def _back(self) -> None:
        self.pages.setCurrentIndex(max(0, self.pages.currentIndex() - 1))
        self._update_buttons()

    def _next(self) -> None:
        page = self.pages.currentIndex()
        if page == 0:
            self._inspect()
        elif page == 1:
            self._validate()
        else:
            self._import()

    def _inspect(self) -> None:
        try:
            self.layout_info = self.roster.inspect_roster(self.path.text().strip(), self.services.ctx.data_dir)
        except Exception as exc:  # noqa: BLE001 - shown to the user in Chinese
            tasks.report_error(self, exc)
            return
        info = self.layout_info
        self.mapping_hint.setText(self.tr("Header found in row {row} of sheet “{sheet}”. Check how each column is "
                                          "imported; your choices are remembered.").format(row=info.header_row,
                                                                                         sheet=info.sheet))
        headers = [(i, h) for i, h in enumerate(info.headers) if h]
        self.mapping.setRowCount(len(headers))
        self._combos = []
        for r, (i, h) in enumerate(headers):
            self.mapping.setItem(r, 0, QTableWidgetItem(h))
            combo = QComboBox(self.mapping)
            combo.addItem(self.tr("(do not import)"), self.roster.IGNORE)
            for key, (title, _level, _syn) in self.roster.FIELDS.items():
                combo.addItem(title, key)
            current = info.mapping.get(i, self.roster.IGNORE)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            self.mapping.setCellWidget(r, 1, combo)
            self._combos.append((h, combo))
            item = self.mapping.item(r, 0)
            mark_unmapped(item, current == self.roster.IGNORE)
            combo.currentIndexChanged.connect(
                lambda _i, item=item, combo=combo: mark_unmapped(item, combo.currentData() == self.roster.IGNORE))
        self.pages.setCurrentIndex(1)
        self._update_buttons()

    def chosen_mapping(self) -> dict[str, str]:
        return {h: combo.currentData() for h, combo in self._combos}

    def _validate(self) -> None:
        choices = self.chosen_mapping()
        self.roster.save_mapping(self.services.ctx.data_dir, choices)
        self._check(self.layout_info.with_mapping(choices))

    def _apply_values(self) -> None:
        """The user's codes for unknown values: remembered beside the column mapping, then the file checked again."""
        choices = self.values.choices()
        self.roster.save_value_mapping(self.services.ctx.data_dir, choices)
        self._check(self.checked_layout.with_values(choices))

    def _check(self, layout) -> None:
        self.checked_layout = layout

        def work(*, progress, cancel):
            return self.roster.validate_roster(self.services, layout, progress=progress, cancel=_checker(cancel))

        self.next.setEnabled(False)
        self.task = tasks.run_in_background(work, on_success=self._validated, on_failure=self._failed,
                                            on_cancelled=self._update_buttons, progress_title=self.tr("Checking"),
                                            cancellable=True, parent=self)

    def _validated(self, plan) -> None:
        self.plan = plan
        fill_rows(self.problems, [(e.sheet, e.row, e.column, e.detail) for e in plan.errors])
        self.values.show_unknown(plan.unknown_values())
        if plan.unknown:
            self.summary.setText(self.tr("{summary}. Choose below what the unknown values mean, and fix the other "
                                         "problems in the file: nothing is imported until every problem is solved."
                                         ).format(summary=plan.summary()))
        elif plan.errors:
            self.summary.setText(self.tr("{summary}. Nothing will be imported until every problem is fixed in the "
                                         "file.").format(summary=plan.summary()))
        else:
            self.summary.setText(self.tr("{summary}. No problems found: press Import.").format(
                summary=plan.summary()))
        self.pages.setCurrentIndex(2)
        self._update_buttons()

    def _import(self) -> None:
        plan = self.plan

        def work(*, progress, cancel):
            return self.roster.apply_roster(self.services, plan, progress=progress, cancel=_checker(cancel))

        self.next.setEnabled(False)
        self.task = tasks.run_in_background(work, on_success=self._imported, on_failure=self._failed,
                                            on_cancelled=self._update_buttons, progress_title=self.tr("Importing"),
                                            cancellable=True, parent=self, writes=True)

    def _imported(self, _outcome) -> None:
        messages.info(self, self.tr("Roster imported: {summary}").format(summary=self.plan.summary()))
        self.accept()

    def _failed(self, exc) -> None:
        self._update_buttons()
        tasks.report_error(self, exc)
