"""Small dialogs of the project page: move the status, record progress, record the asset handover."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox, QWidget

from fupin_desktop.domain import codes
from fupin_desktop.services.projects import CANCELLED, STATUS_ORDER, ProjectDTO, status_index
from fupin_desktop.ui.widgets import CodeCombo, DateEdit
from fupin_desktop.ui.widgets.form_dialog import FormDialog
from fupin_desktop.ui.widgets.photos import PhotoPicker

# lupdate reads the literal context of every translate("Context", "text") call.
translate = QCoreApplication.translate


class _Base(FormDialog):
    """A project step on the form base: ``run_call()`` says which service call saves it (in the write pool)."""

    def __init__(self, services, project: ProjectDTO, title: str, parent: QWidget | None = None):
        super().__init__(parent, title)
        self.services = services
        self.project = project
        head = QLabel(project.name, self)
        head.setObjectName("PageTitle")
        head.setWordWrap(True)
        self.body.insertWidget(0, head)
        self.error = self.general_error
        self.save_button.setText(translate("ProjectDialogs", "Save"))
        self.setMinimumWidth(480)

    def submit(self):
        return self.run_call()

    def run_call(self) -> tuple:  # pragma: no cover - overridden
        raise NotImplementedError


class StatusDialog(_Base):
    """Move the project forward (one or more steps) or cancel it."""

    def __init__(self, services, project: ProjectDTO, parent: QWidget | None = None):
        super().__init__(services, project, translate("ProjectDialogs", "Move the project on"), parent)
        current = project.status
        later = [c for c in STATUS_ORDER if status_index(c) > status_index(current)] + [CANCELLED]
        self.status = CodeCombo("project_status", self, only=later)
        self.date = DateEdit(self, value=services.ctx.today())
        self.note = QLineEdit(self)
        self.photos = PhotoPicker(self)
        self.form.addRow(self.tr("Now"), QLabel(codes.label("project_status", current), self))
        self.form.addRow(self.tr("New status"), self.status)
        self.form.addRow(self.tr("Date"), self.date)
        self.form.addRow(self.tr("Note"), self.note)
        self.form.addRow(self.tr("Photos"), self.photos)
        self.finish()

    def run_call(self):
        return (self.services.projects.move, self.project.id, self.status.code(), self.date.value(),
                self.note.text(), self.photos.paths())


class ProgressDialog(_Base):
    def __init__(self, services, project: ProjectDTO, parent: QWidget | None = None):
        super().__init__(services, project, translate("ProjectDialogs", "Record progress"), parent)
        self.percent = QSpinBox(self)
        self.percent.setRange(0, 100)
        self.percent.setSuffix(" %")
        self.percent.setValue(project.progress_percent)
        self.date = DateEdit(self, value=services.ctx.today())
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("What was done, problems met…"))
        self.photos = PhotoPicker(self)
        self.form.addRow(self.tr("Complete"), self.percent)
        self.form.addRow(self.tr("Date"), self.date)
        self.form.addRow(self.tr("Note"), self.note)
        self.form.addRow(self.tr("Photos"), self.photos)
        self.finish()

    def run_call(self):
        return (self.services.projects.record_progress, self.project.id, self.percent.value(), self.note.text(),
                self.date.value(), self.photos.paths())


class HandoverDialog(_Base):
    def __init__(self, services, project: ProjectDTO, parent: QWidget | None = None):
        super().__init__(services, project, translate("ProjectDialogs", "Asset handover"), parent)
        self.asset_type = CodeCombo("asset_type", self)
        self.asset_type.set_code(project.asset_type or "public")
        self.owner = QLineEdit(self)
        village = services.village.get()
        self.owner.setText(project.asset_owner or (village.name if village else ""))
        self.owner.setPlaceholderText(self.tr("County, township, village or household the title goes to"))
        self.date = DateEdit(self, value=project.handover_date or services.ctx.today())
        self.note = QLineEdit(self)
        self.form.addRow(self.tr("Asset type"), self.asset_type)
        self.form.addRow(self.tr("Owner (title to)"), self.owner)
        self.form.addRow(self.tr("Handover date"), self.date)
        self.form.addRow(self.tr("Note"), self.note)
        self.finish()

    def run_call(self):
        return (self.services.projects.record_handover, self.project.id, self.asset_type.code(), self.owner.text(),
                self.date.value(), self.note.text())

