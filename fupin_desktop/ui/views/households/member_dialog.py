"""A family member's form (name, relation, 身份证号 checked as typed, health, schooling, labour, disability,
insurance), on the form base. Used by the household page."""
from __future__ import annotations

from dataclasses import fields, replace

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from fupin_desktop.domain import codes
from fupin_desktop.services.households import MemberInput, validate_member
from fupin_desktop.ui.widgets.page_parts import CheckGrid
from fupin_desktop.ui.widgets import CodeCombo, DateEdit, FieldError
from fupin_desktop.ui.widgets.form_dialog import FormDialog
from fupin_desktop.ui.widgets.sensitive import SensitiveField


class MemberDialog(FormDialog):
    """One family member. ``member_input()`` → MemberInput. ``save_handler(data)`` (run in the write pool; returns
    the service's Outcome) saves it; without one (a member of a household not saved yet) the dialog only checks the
    fields and ``member_data`` holds what to save with the household.

    A saved member's 身份证号 and phone are shown masked; ``reveal(field)`` (audited by the service) shows the full
    number. Without ``reveal`` the member is not saved yet and its numbers are the user's own typing.
    """

    def __init__(self, member=None, parent: QWidget | None = None, *, head_allowed: bool = True,
                 reveal=None, read_only: bool = False):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Family member"))
        self.member_data: MemberInput | None = None
        self.name = QLineEdit(self)
        self.relation = CodeCombo("relation", self)
        if not head_allowed:
            self.relation.set_code_list("relation", only=[i.code for i in codes.get("relation").items()
                                                          if i.code != "head"])
        self.id_number = SensitiveField("id", self, field="id_number")
        self.id_number.setObjectName("MemberIdNumber")
        self.sex = CodeCombo("sex", self, empty_text="")
        self.birth = DateEdit(self, allow_empty=True)
        self.phone = SensitiveField("phone", self, field="phone")
        self.phone.setObjectName("MemberPhone")
        if reveal is not None:
            self.id_number.set_reveal(lambda: reveal("id_number"))
            self.phone.set_reveal(lambda: reveal("phone"))
        self.read_only = read_only
        self.dibao = QCheckBox(self.tr("Receives dibao"), self)
        self.tekun = QCheckBox(self.tr("Tekun (extreme poverty support)"), self)
        self.note = QLineEdit(self)
        self.id_number.parsed.connect(self._id_parsed)
        # health, schooling, labour, disability, insurance: what the risk prompts and the platform need
        self.health = CheckGrid([(i.code, i.label) for i in codes.get("health").items()], 2, self)
        self.health.setObjectName("MemberHealth")
        self.education = CodeCombo("education", self, empty_text=self.tr("(none / at school)"))
        self.schooling = CodeCombo("schooling", self, empty_text=self.tr("(not at school)"))
        self.labour_skill = CodeCombo("labour_skill", self, empty_text="")
        self.disability_category = CodeCombo("disability_category", self, empty_text=self.tr("(no disability)"))
        self.disability_level = CodeCombo("disability_level", self, empty_text="")
        self.resident_medical = QCheckBox(self.tr("Resident basic medical insurance"), self)
        self.employee_medical = QCheckBox(self.tr("Employee basic medical insurance"), self)
        self.critical_illness = QCheckBox(self.tr("Critical illness insurance"), self)
        self.health.boxes["disabled"].toggled.connect(self._disabled_toggled)

        form, more = self.add_columns(2)
        self.add_row(self.tr("Name *"), self.name, "name", form=form)
        self.add_row(self.tr("Relation to head *"), self.relation, "relation", form=form)
        form.addRow(self.tr("ID number"), self.id_number)  # SensitiveField has its own error label
        self.errors.add("id_number", self.id_number.edit, self.id_number.error_label)
        self.add_row(self.tr("Sex"), self.sex, "sex", form=form)
        self.add_row(self.tr("Birth date"), self.birth, "birth_date", form=form)
        form.addRow(self.tr("Phone"), self.phone)  # SensitiveField has its own error label
        self.errors.add("phone", self.phone.edit, self.phone.error_label)
        flags = QHBoxLayout()
        flags.addWidget(self.dibao)
        flags.addWidget(self.tekun)
        flags.addStretch(1)
        form.addRow("", flags)
        form.addRow(self.tr("Note"), self.note)
        self.add_row(self.tr("Health"), self.health, "health", form=more)
        self.add_row(self.tr("Education"), self.education, "education", form=more)
        self.add_row(self.tr("Schooling"), self.schooling, "schooling", form=more)
        self.add_row(self.tr("Labour skill"), self.labour_skill, "labour_skill", form=more)
        disability = QHBoxLayout()
        disability.setContentsMargins(0, 0, 0, 0)
        disability.addWidget(self.disability_category, 2)
        disability.addWidget(self.disability_level, 1)
        disability_box = QWidget(self)
        disability_box.setLayout(disability)
        self.add_row(self.tr("Disability (category, level)"), disability_box, "disability_category", form=more)
        self.errors.add("disability_level", self.disability_level, self.errors_label("disability_category"))
        insurance = QVBoxLayout()
        insurance.setContentsMargins(0, 0, 0, 0)
        insurance.setSpacing(2)
        for box in (self.resident_medical, self.employee_medical, self.critical_illness):
            insurance.addWidget(box)
        insurance_box = QWidget(self)
        insurance_box.setLayout(insurance)
        self.add_row(self.tr("Medical insurance"), insurance_box, "employee_medical", form=more)
        self.errors.add("resident_medical", self.resident_medical, self.errors_label("employee_medical"))
        self.ok_button = self.save_button
        self.ok_button.setText(self.tr("Save member"))
        self.ok_button.setProperty("primary", True)
        self.ok_button.setDefault(True)
        self.name.returnPressed.connect(self.save)
        self.save_handler = None  # callable(MemberInput) -> Outcome, run in the write pool; None: not saved here

        # what this form does not show is kept as it was (ethnicity, work, pension, …)
        self._base = MemberInput(**{f.name: getattr(member, f.name) for f in fields(MemberInput)}) \
            if member is not None else None
        if member is not None:
            self.name.setText(member.name)
            self.relation.set_code(member.relation)
            if reveal is not None:  # saved: masked until revealed (audited)
                self.id_number.set_stored(member.id_number)
                self.phone.set_stored(member.phone)
            else:
                self.id_number.set_plain(member.id_number)
                self.phone.set_plain(member.phone)
            self.sex.set_code(member.sex)
            self.birth.setValue(member.birth_date)
            if reveal is not None and member.id_number:
                # The birth date is part of the masked number: it shows once the number is revealed (audited).
                self._birth_hidden = True
                self.birth.setValue(None)
                self.birth.setEnabled(False)
                self.birth.setToolTip(self.tr("Part of the ID number: shown when the number is shown"))
                self.id_number.revealed.connect(self._birth_revealed)
            self.dibao.setChecked(member.dibao)
            self.tekun.setChecked(member.tekun)
            self.note.setText(member.note or "")
            self.health.set_codes(member.health)
            self.education.set_code(member.education)
            self.schooling.set_code(member.schooling)
            self.labour_skill.set_code(member.labour_skill)
            self.disability_category.set_code(member.disability_category)
            self.disability_level.set_code(member.disability_level)
            self.resident_medical.setChecked(bool(member.resident_medical))
            self.employee_medical.setChecked(bool(member.employee_medical))
            self.critical_illness.setChecked(bool(member.critical_illness_insurance))
        else:
            self.relation.set_code("spouse" if not head_allowed else "head")
        self._disabled_toggled(self.health.boxes["disabled"].isChecked())
        if read_only:
            self.ok_button.setEnabled(False)
            self.id_number.setReadOnly(True)
            self.phone.setReadOnly(True)
            self.general_error.show_error(self.tr("This account can only view records."))
        self.finish(900, 470)

    def errors_label(self, name: str) -> FieldError:
        """The message label of an already added field (two widgets sharing one line)."""
        return self.errors._fields[name][1]

    def _disabled_toggled(self, on: bool) -> None:
        self.disability_category.setEnabled(on)
        self.disability_level.setEnabled(on)
        if not on:
            self.disability_category.set_code(None)
            self.disability_level.set_code(None)

    _birth_hidden = False

    def _birth_revealed(self) -> None:
        self._birth_hidden = False
        self.birth.setEnabled(True)
        self.birth.setToolTip("")
        if self.birth.value() is None and self._base is not None:
            self.birth.setValue(self._base.birth_date)

    def _id_parsed(self, birth, sex) -> None:
        self.sex.set_code(sex)
        self.birth.setValue(birth)

    def _insured(self, box: QCheckBox, name: str) -> bool | None:
        """Ticked: True; not ticked: False, or still None (unknown) if it was unknown before."""
        if box.isChecked():
            return True
        before = getattr(self._base, name) if self._base is not None else None
        return None if before is None else False

    def member_input(self) -> MemberInput:
        base = self._base or MemberInput(name="", relation="other")
        return replace(base, name=self.name.text().strip(), relation=self.relation.code() or "other",
                       id_number=self.id_number.value(), sex=self.sex.code(),
                       birth_date=self._base.birth_date if self._birth_hidden else self.birth.value(),
                       phone=self.phone.value(),
                       dibao=self.dibao.isChecked(), tekun=self.tekun.isChecked(),
                       note=self.note.text().strip() or None, health=self.health.codes(),
                       education=self.education.code(), schooling=self.schooling.code(),
                       labour_skill=self.labour_skill.code(), disability_category=self.disability_category.code(),
                       disability_level=self.disability_level.code(),
                       resident_medical=self._insured(self.resident_medical, "resident_medical"),
                       employee_medical=self._insured(self.employee_medical, "employee_medical"),
                       critical_illness_insurance=self._insured(self.critical_illness,
                                                                "critical_illness_insurance"))

    def state(self) -> tuple:
        return (self.member_input(),)

    def try_accept(self):
        return self.save()

    def submit(self):
        if self.read_only:
            return None
        if not self.id_number.is_valid():
            self.id_number.setFocus()
            return None
        data = self.member_input()
        validate_member(data)  # ValidationError: under its field
        self.member_data = data
        if self.save_handler is None:
            self.mark_clean()
            self.accept()
            return None
        return self.save_handler, data
