"""按县级模板填报: load the county's template, show each header column with the field it is filled from (a combo;
不填 allowed; the columns nobody recognised highlighted), then fill it in the write pool. The choices are remembered
per template (exchange.template_fill: by a fingerprint of its header texts), so the next time the same template
opens with them."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QSpinBox, QTableWidgetItem, QToolButton, QVBoxLayout, QWidget,
)

from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.widgets.privacy_choice import PrivacyChoice
from fupin_desktop.ui.widgets.save_path import SavePathField, remember_folder, suggested_path
from fupin_desktop.ui.widgets.tables import mark_unmapped, plain_table

XLSX_FILTER = "Excel (*.xlsx)"


class TemplateFillDialog(QDialog):
    """Template → column mapping → personal-data form and year → the filled file (打开文件 / 打开所在文件夹)."""

    def __init__(self, services, parent: QWidget | None = None, path: str | None = None):
        super().__init__(parent)
        from fupin_desktop.exchange import template_fill

        self.tf = template_fill
        self.services = services
        self.layout_info = None
        self.result = None
        self.setWindowTitle(self.tr("Fill the county's template"))
        self.resize(820, 620)
        form = QFormLayout()
        self.template = QLineEdit(self)
        self.template.setReadOnly(True)
        browse = QToolButton(self)
        browse.setText(self.tr("Choose…"))
        browse.clicked.connect(self._browse_template)
        row = QHBoxLayout()
        row.addWidget(self.template, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Template"), row)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.table = plain_table(self, [self.tr("Column of the template"), self.tr("Filled with")])
        self.table.horizontalHeader().setStretchLastSection(False)  # a combo 1,000 px wide reads badly
        self.table.setColumnWidth(0, 260)
        self.table.setColumnWidth(1, 280)
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(services.ctx.today().year)
        self.year.setMaximumWidth(120)
        self.privacy = PrivacyChoice(self, self.tr("Public notice (only columns a notice may show)"), vertical=False)
        self.masked, self.public, self.full = self.privacy.masked, self.privacy.public, self.privacy.full
        self.save_to = SavePathField(self, self.tr("Save the filled template"), XLSX_FILTER)
        self.path = self.save_to.line
        lower = QFormLayout()
        lower.addRow(self.tr("Year"), self.year)
        lower.addRow(self.tr("Personal data"), self.privacy)
        lower.addRow(self.tr("Save to"), self.save_to)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(self.tr("Fill"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start_fill)
        self.buttons.rejected.connect(self.reject)
        self.ok.setEnabled(False)
        v = QVBoxLayout(self)
        v.addLayout(form)
        v.addWidget(self.hint)
        v.addWidget(self.table, 1)
        v.addLayout(lower)
        v.addWidget(self.buttons)
        self._combos: list[tuple[int, str, QComboBox]] = []
        if path:
            self.load(path)

    # -- template ---------------------------------------------------------------------------------------------------
    def _browse_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the county's template"), "", XLSX_FILTER)
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Read the template's header (a read, in the background) and show the mapping."""
        self.template.setText(path)
        self.ok.setEnabled(False)
        data_dir = self.services.ctx.data_dir
        self.task = tasks.run_in_background(self.tf.inspect_template, path, data_dir, on_success=self._loaded,
                                            on_failure=lambda exc: tasks.report_error(self, exc), parent=self)

    def _loaded(self, layout) -> None:
        self.layout_info = layout
        self.table.setRowCount(len(layout.headers))
        self._combos = []
        for r, (col, header) in enumerate(sorted(layout.headers.items())):
            self.table.setItem(r, 0, QTableWidgetItem(header))
            combo = QComboBox(self.table)
            combo.addItem(self.tr("(leave empty)"), self.tf.IGNORE)
            for key, (label, _syns) in self.tf.FIELDS.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(layout.mapping.get(col, self.tf.IGNORE))))
            combo.currentIndexChanged.connect(lambda _i, row=r: self._mark(row))
            self.table.setCellWidget(r, 1, combo)
            self._combos.append((col, header, combo))
            self._mark(r)
        self._update_hint()
        self.path.setText(str(suggested_path(f"{Path(layout.path).stem}-已填-{datetime.now():%Y%m%d}.xlsx")))
        self.ok.setEnabled(True)

    def per_member(self) -> bool:
        """One row per family member when any member column is filled (as exchange.template_fill decides)."""
        return any(combo.currentData() in self.tf.MEMBER_FIELDS for _, _, combo in self._combos)

    def _update_hint(self) -> None:
        layout = self.layout_info
        self.hint.setText(self.tr("Sheet “{sheet}”, header in row {rows}; one row per {unit} from row {first}. "
                                  "Check what each column is filled with; the columns in colour were not recognised. "
                                  "Your choices are remembered for this template.").format(
            sheet=layout.sheet, rows="、".join(map(str, layout.header_rows)), first=layout.first_data_row,
            unit=self.tr("family member") if self.per_member() else self.tr("household")))

    def _mark(self, row: int) -> None:
        """A column left empty is shown in the warning colour (so nobody sends a half-filled form unawares); the
        hint says whether a row is a household or a person (a member column decides)."""
        if len(self._combos) == self.table.rowCount():
            self._update_hint()
        mark_unmapped(self.table.item(row, 0), self._combos[row][2].currentData() == self.tf.IGNORE)

    def unmapped_headers(self) -> list[str]:
        return [header for _, header, combo in self._combos if combo.currentData() == self.tf.IGNORE]

    def choices(self) -> dict[str, str]:
        """Header text → field (or IGNORE) for every column: remembered for the template as a whole."""
        return {header: combo.currentData() for _, header, combo in self._combos}

    def combo_for(self, header: str) -> QComboBox | None:
        for _, h, combo in self._combos:
            if h == header:
                return combo
        return None

    # -- fill -------------------------------------------------------------------------------------------------------
    def start_fill(self) -> None:
        from fupin_desktop.services.reporting import Period, ReportFilter

        if self.layout_info is None:
            return
        target = self.path.text().strip()
        if not target:
            messages.error(self, self.tr("Choose where to save the file."))
            return
        if self.full.isChecked() and not messages.confirm(
                self, self.tr("Fill full ID numbers and phone numbers? This is recorded in the audit log.")):
            return
        form = self.privacy.form()
        source, choices = str(self.layout_info.path), self.choices()
        data_dir = self.services.ctx.data_dir
        flt = ReportFilter(Period.year(self.year.value()))

        def work():
            layout = self.tf.inspect_template(source, data_dir, choices)  # remembers the choices for the template
            return self.tf.fill_template(self.services, layout, target, flt, form)

        self.ok.setEnabled(False)
        self.task = tasks.run_in_background(work, on_success=self._filled, on_failure=self._failed,
                                            progress_title=self.tr("Filling the template"), parent=self, writes=True)

    def _filled(self, result) -> None:
        self.result = result
        remember_folder(result.path)
        text = self.tr("Filled {n} rows.").format(n=result.rows)
        if result.unmapped:
            text += "\n" + self.tr("Columns left empty: {cols}").format(cols="、".join(result.unmapped))
        messages.file_saved(self, result.path, text)
        self.accept()

    def _failed(self, exc) -> None:
        self.ok.setEnabled(True)
        tasks.report_error(self, exc)
