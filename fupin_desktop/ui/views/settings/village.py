"""设置 → 本村信息: the village's name, 区划代码, township, county and 派出单位, editable after the first-start
wizard (which promises 以后还可以修改)."""
from __future__ import annotations

from dataclasses import fields, replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from fupin_desktop.ui import tasks
from fupin_desktop.ui.widgets import FormErrors
from fupin_desktop.ui.widgets.field_error import add_error_row
from fupin_desktop.ui.widgets.page_parts import save_row

# the fields of VillageInput this form shows, in its order
FIELDS = ("name", "division_code", "township", "county", "dispatch_unit")


class VillageTab(QWidget):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.errors = FormErrors()
        titles = {"name": self.tr("Village name"), "division_code": self.tr("Division code (12 digits)"),
                  "township": self.tr("Township"), "county": self.tr("County / district"),
                  "dispatch_unit": self.tr("Dispatching unit (派出单位)")}
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for name in FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"village_{name}")
            edit.setMaximumWidth(420)
            self.edits[name] = edit
            add_error_row(form, titles[name], edit, self.errors, name)
        self.edits["division_code"].setMaxLength(12)
        self.save_button, self.saved, row = save_row(self, self.tr("Save village details"))
        self.save_button.setObjectName("SaveVillage")
        self.save_button.clicked.connect(self.save)
        hint = QLabel(self.tr("These appear on every ledger and report. Changing the division code does not "
                              "renumber existing households."), self)
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(hint)
        lay.addLayout(row)
        lay.addStretch(1)
        for edit in self.edits.values():
            edit.returnPressed.connect(self.save)
        self.load()

    def load(self) -> None:
        self._village = self.services.village.get()
        self.errors.clear()
        self.saved.clear()
        for name, edit in self.edits.items():
            edit.setText((getattr(self._village, name, None) or "") if self._village else "")

    def data(self):
        from fupin_desktop.services.village import VillageInput

        values = {name: edit.text().strip() or None for name, edit in self.edits.items()}
        values["name"] = values["name"] or ""
        values["division_code"] = values["division_code"] or ""
        if self._village is None:
            return VillageInput(**values)
        # keep what this form does not show (province, city, address…)
        kept = {f.name: getattr(self._village, f.name) for f in fields(VillageInput) if hasattr(self._village, f.name)}
        return replace(VillageInput(**kept), **values)

    def save(self) -> None:
        self.errors.clear()
        self.saved.clear()
        tasks.run_in_background(self.services.village.save, self.data(), parent=self, writes=True,
                                on_success=self._saved, on_failure=self._failed)

    def _saved(self, _outcome) -> None:
        self._village = self.services.village.get()
        self.saved.setText(self.tr("Saved."))

    def _failed(self, exc) -> None:
        if not self.errors.show(exc):
            tasks.report_error(self, exc)
