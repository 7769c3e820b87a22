"""The household page (a dialog): basic data, members, income by year, pairing, visits and problems.

A new household is saved with its head (户主身份证号 on the first tab) and any members added before saving; the
other tabs open once it exists. 身份证号 is checked as it is typed, with the reason under the field.
"""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialogButtonBox, QFormLayout, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSpinBox, QTableWidget, QTabWidget, QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import FupinError, ValidationError
from fupin_desktop.domain.income import IncomeFigures
from fupin_desktop.domain.money import format_yuan
from fupin_desktop.domain.privacy import age_on, mask_id, mask_phone
from fupin_desktop.services.base import WRITE_ROLES
from fupin_desktop.services.households import (
    HouseholdInput, IncomeInput, MemberInput,
)
from fupin_desktop.services.problems import ProblemQuery
from fupin_desktop.services.visits import VisitQuery
from fupin_desktop.ui import messages, navigation, tasks
from fupin_desktop.ui.widgets.page_parts import CheckGrid
from fupin_desktop.ui.views.households.member_dialog import MemberDialog  # noqa: F401 (also imported from here)
from fupin_desktop.ui.widgets import CodeCombo, FieldError, FormErrors, MoneyEdit
from fupin_desktop.ui.widgets.form_dialog import COLUMN, FormDialog
from fupin_desktop.ui.widgets.tables import fill_rows, plain_table
from fupin_desktop.ui.widgets.sensitive import SensitiveField

GEOMETRY_KEY = "dialogs/household"


class HouseholdDialog(FormDialog):
    """A household's page: the first tab is a form saved with 保存 (Ctrl+S) in the write pool; members, income,
    pairing and monitoring are saved at once, each through the write pool too. Saving keeps the dialog open."""

    state_key = GEOMETRY_KEY

    def __init__(self, services, household_id: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.household_id = household_id
        self.pending_members: list[MemberInput] = []  # members added before a new household is saved
        self._detail = None
        # a 查看 (viewer) account opens the household read-only; the services refuse writes and reveals anyway
        self.read_only = services.ctx.actor.role not in WRITE_ROLES
        self.write_buttons: list[QPushButton] = []
        self.setWindowTitle(self.tr("Household"))
        self.setMinimumSize(760, 560)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_basic(), self.tr("Basic data"))
        self.tabs.addTab(self._build_members(), self.tr("Members"))
        self.tabs.addTab(self._build_income(), self.tr("Income"))
        self.tabs.addTab(self._build_pairing(), self.tr("Pairing"))
        self.tabs.addTab(self._build_history(), self.tr("Visits and problems"))
        self.monitoring_panel = navigation.monitoring_panel(services, self)
        self.monitoring_panel.setObjectName("HouseholdMonitoring")
        self.monitoring_tab = self.tabs.addTab(self.monitoring_panel, self.tr("Poverty-return monitoring"))
        self.tabs.setTabToolTip(self.monitoring_tab, self.tr(
            "Where the household stands in the monitoring procedure, the next step, the timeline and the "
            "assistance measures"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.monitoring_panel.changed.connect(self._monitoring_changed)

        self.delete_button = QPushButton(self.tr("Delete household"), self)
        self.delete_button.clicked.connect(self.delete_household)
        self.visit_button = QPushButton(self.tr("Log a visit"), self)
        self.visit_button.clicked.connect(self.log_visit)
        self.save_button.setText(self.tr("Save"))
        self.save_button.setObjectName("SaveHousehold")
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setText(self.tr("Close"))
        self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.addButton(self.visit_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.body.addWidget(self.tabs, 1)
        if self.read_only:
            self.write_buttons += [self.delete_button, self.visit_button, self.save_button]
            for b in self.write_buttons:
                b.setEnabled(False)
            for f in (self.head_id, self.phone, self.bank_account):
                f.setReadOnly(True)
            self.basic_error.show_error(self.tr("This account can only view records."))
        self.finish(900, 640)
        self.load()

    # -- tabs ------------------------------------------------------------------------------------------------------
    def _build_basic(self) -> QWidget:
        w = QWidget(self)
        self.head_name = QLineEdit(w)
        self.head_name.setObjectName("HeadName")
        self.number = QLineEdit(w)
        self.number.setPlaceholderText(self.tr("Leave empty to number it automatically"))
        self.household_type = CodeCombo("household_type", w)
        self.household_type.set_code("ordinary")
        self.group_name = QComboBox(w)
        self.group_name.setEditable(True)
        self.group_name.addItems([""] + self.services.households.group_names())
        self.address = QLineEdit(w)
        self.head_id = SensitiveField("id", w, field="head_id_number")
        self.head_id.setObjectName("HeadIdNumber")
        self.head_id_info = QLabel(w)
        self.head_id_info.setObjectName("Hint")
        self.head_id.parsed.connect(lambda birth, sex: self.head_id_info.setText(
            self.tr("{sex}, born {birth}").format(sex=codes.label("sex", sex), birth=birth.isoformat())))
        self.phone = SensitiveField("phone", w, field="phone")
        self.phone.setObjectName("HouseholdPhone")
        self.bank_account = SensitiveField("bank", w, field="bank_account")
        self.bank_account.setObjectName("BankAccount")
        for f, name in ((self.head_id, "head_id_number"), (self.phone, "phone"), (self.bank_account, "bank_account")):
            f.set_reveal(lambda name=name: self.services.audit.reveal("household", self.household_id, name))
        self.monitoring = CodeCombo("monitoring_category", w, empty_text=self.tr("(not a monitored household)"))
        self.long_absent = QCheckBox(self.tr("Lives away from the village for long periods"), w)
        self.risk_types = CheckGrid([(i.code, i.label) for i in codes.get("risk_type").items()], 4, w)
        self.causes = CheckGrid([(i.code, i.label) for i in codes.get("poverty_cause").items()], 4, w)
        self.note = QPlainTextEdit(w)
        self.note.setMaximumHeight(60)

        left = QFormLayout()
        self.add_row(self.tr("Head of household *"), self.head_name, "head_name", form=left)
        self.head_id_label = QLabel(self.tr("Head's ID number"), w)
        left.addRow(self.head_id_label, self.head_id)
        self.errors.add("head_id_number", self.head_id.edit, self.head_id.error_label)
        self.errors.add("members[0].id_number", self.head_id.edit, self.head_id.error_label)
        left.addRow("", self.head_id_info)
        self.add_row(self.tr("Household no."), self.number, "number", form=left)
        self.add_row(self.tr("Household type *"), self.household_type, "household_type", form=left)
        self.add_row(self.tr("Villager group"), self.group_name, "group_name", form=left)
        right = QFormLayout()
        self.add_row(self.tr("Address"), self.address, "address", form=right)
        right.addRow(self.tr("Phone"), self.phone)  # SensitiveField has its own error label
        self.errors.add("phone", self.phone.edit, self.phone.error_label)
        right.addRow(self.tr("Bank account"), self.bank_account)
        self.errors.add("bank_account", self.bank_account.edit, self.bank_account.error_label)
        self.add_row(self.tr("Monitoring category"), self.monitoring, "monitoring_category", form=right)
        right.addRow("", self.long_absent)
        cols = QHBoxLayout()
        for i, form in enumerate((left, right)):
            column = QWidget(w)
            column.setProperty(COLUMN, True)  # Tab goes down the left column, then the right one
            column.setLayout(form)
            form.setContentsMargins(0, 0, 0, 0)
            if i:
                cols.addSpacing(16)
            cols.addWidget(column, 1)

        grid = QFormLayout()
        self.add_row(self.tr("Risk types"), self.risk_types, "risk_types", form=grid)
        self.add_row(self.tr("Causes"), self.causes, "poverty_causes", form=grid)
        grid.addRow(self.tr("Note"), self.note)
        self.basic_error = FieldError(w)
        lay = QVBoxLayout(w)
        lay.addLayout(cols)
        lay.addLayout(grid)
        lay.addWidget(self.basic_error)
        lay.addStretch(1)
        return w

    def _build_members(self) -> QWidget:
        w = QWidget(self)
        # The age, not the birth date, beside a masked ID: a birth date would undo the mask (domain/privacy.py).
        self.members_table = plain_table(w, [self.tr("Name"), self.tr("Relation"), self.tr("Sex"), self.tr("Age"),
                                        self.tr("ID number"), self.tr("Phone")])
        self.members_table.doubleClicked.connect(lambda _i: self.edit_member())
        add = QPushButton(self.tr("Add member"), w)
        add.setObjectName("AddMember")
        add.clicked.connect(self.add_member)
        edit = QPushButton(self.tr("Edit"), w)
        edit.clicked.connect(self.edit_member)
        remove = QPushButton(self.tr("Remove"), w)
        remove.clicked.connect(self.remove_member)
        self.write_buttons += [add, remove]
        self.members_hint = QLabel(w)
        self.members_hint.setObjectName("Hint")
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(edit)
        row.addWidget(remove)
        row.addStretch(1)
        lay = QVBoxLayout(w)
        lay.addWidget(self.members_hint)
        lay.addWidget(self.members_table, 1)
        lay.addLayout(row)
        return w

    def _build_income(self) -> QWidget:
        w = QWidget(self)
        self.income_table = plain_table(w, [self.tr("Year"), self.tr("Wages"), self.tr("Business"), self.tr("Property"),
                                       self.tr("Transfers"), self.tr("Production costs"), self.tr("Net income"),
                                       self.tr("People"), self.tr("Per capita net")])
        # nine money columns share the dialog's width (at 1366×768 they scrolled sideways)
        self.income_table.horizontalHeader().setStretchLastSection(False)
        self.income_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.income_table.itemSelectionChanged.connect(self._income_selected)
        self.income_errors = FormErrors()
        self.income_year = QSpinBox(w)
        self.income_year.setRange(2000, 2100)
        self.income_year.setValue(self.services.ctx.today().year)
        self.income_fields: dict[str, MoneyEdit] = {}
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Year"), w), 0, 0)
        grid.addWidget(self.income_year, 0, 1)
        names = (("wages", self.tr("Wages")), ("business", self.tr("Business")),
                 ("property_income", self.tr("Property")), ("transfer", self.tr("Transfers")),
                 ("production_cost", self.tr("Production costs")))
        for i, (name, label) in enumerate(names, start=1):
            edit = MoneyEdit(w, field=name)
            edit.valueChanged.connect(lambda _v: self._update_income_preview())
            self.income_fields[name] = edit
            err = FieldError(w)
            self.income_errors.add(name, edit, err)
            r, c = divmod(i, 2)
            grid.addWidget(QLabel(label, w), r * 2, c * 2)
            grid.addWidget(edit, r * 2, c * 2 + 1)
            grid.addWidget(err, r * 2 + 1, c * 2 + 1)
        self.income_size = QSpinBox(w)
        self.income_size.setRange(0, 30)
        self.income_size.setSpecialValueText(self.tr("members"))
        self.income_size.valueChanged.connect(lambda _v: self._update_income_preview())
        grid.addWidget(QLabel(self.tr("Household size"), w), 6, 0)
        grid.addWidget(self.income_size, 6, 1)
        self.income_preview = QLabel(w)
        self.income_preview.setObjectName("Hint")
        save = QPushButton(self.tr("Save income of this year"), w)
        save.clicked.connect(self.save_income)
        self.write_buttons.append(save)
        row = QHBoxLayout()
        row.addWidget(self.income_preview, 1)
        row.addWidget(save)
        lay = QVBoxLayout(w)
        lay.addWidget(self.income_table, 1)
        lay.addLayout(grid)
        lay.addLayout(row)
        return w

    def _build_pairing(self) -> QWidget:
        w = QWidget(self)
        self.pairing_table = plain_table(w, [self.tr("Helper"), self.tr("Since"), self.tr("Until"), self.tr("Note")])
        self.pair_combo = QComboBox(w)
        self.pair_combo.setMinimumWidth(180)
        pair = QPushButton(self.tr("Pair with this household"), w)
        pair.clicked.connect(self.pair)
        end = QPushButton(self.tr("End pairing"), w)
        end.clicked.connect(self.unpair)
        self.write_buttons += [pair, end]
        self.pair_error = FieldError(w)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Helper"), w))
        row.addWidget(self.pair_combo)
        row.addWidget(pair)
        row.addStretch(1)
        row.addWidget(end)
        lay = QVBoxLayout(w)
        lay.addWidget(self.pairing_table, 1)
        lay.addLayout(row)
        lay.addWidget(self.pair_error)
        return w

    def _build_history(self) -> QWidget:
        w = QWidget(self)
        self.visits_table = plain_table(w, [self.tr("Date"), self.tr("Visitors"), self.tr("Purposes"),
                                       self.tr("Findings")])
        self.problems_table = plain_table(w, [self.tr("Status"), self.tr("Due"), self.tr("Responsible"),
                                         self.tr("Problem")])
        self.visits_table.setColumnWidth(2, 220)
        lay = QVBoxLayout(w)
        lay.addWidget(QLabel(self.tr("Visits"), w))
        lay.addWidget(self.visits_table, 3)
        lay.addWidget(QLabel(self.tr("Problems"), w))
        lay.addWidget(self.problems_table, 2)
        return w

    # -- loading -----------------------------------------------------------------------------------------------
    def load(self) -> None:
        new = self.household_id is None
        for i in range(2, self.tabs.count()):
            self.tabs.setTabEnabled(i, not new)
        self.delete_button.setVisible(not new)
        self.visit_button.setVisible(not new)
        self.head_id_info.setVisible(new)
        self.head_id.set_editable(new)  # a saved household's head ID is changed on the head's member record
        if new:
            for f in (self.head_id, self.phone, self.bank_account):
                f.set_masked("")
        if new:
            self.setWindowTitle(self.tr("New household"))
            self.members_hint.setText(self.tr("The head is entered on the first tab. Add the other members here; "
                                              "they are saved together with the household."))
            self._show_members()
            self.mark_clean()
            return
        d = self._detail = self.services.households.detail(self.household_id)
        h = d.household
        self.setWindowTitle(self.tr("Household {name} ({number})").format(name=h.head_name, number=h.number))
        self.members_hint.setText(self.tr("Changes to members are saved at once."))
        self.head_name.setText(h.head_name)
        self.number.setText(h.number)
        self.household_type.set_code(h.household_type)
        self.group_name.setCurrentText(h.group_name or "")
        self.address.setText(h.address or "")
        # personal numbers masked; the full number only through the audited "Show / edit"
        self.head_id.set_stored(h.head_id_number)
        self.phone.set_stored(h.phone)
        self.bank_account.set_stored(h.bank_account)
        self.monitoring.set_code(h.monitoring_category)
        self.long_absent.setChecked(h.long_absent)
        self.risk_types.set_codes(h.risk_types)
        self.causes.set_codes(h.poverty_causes)
        self.note.setPlainText(h.note or "")
        self._show_members()
        self._show_incomes()
        self._show_pairings()
        self._show_history()
        if self.tabs.currentIndex() == self.monitoring_tab:
            self.monitoring_panel.show_household(self.household_id)
        self.mark_clean()

    def _tab_changed(self, index: int) -> None:
        if index == self.monitoring_tab and self.household_id:  # read when first looked at
            self.monitoring_panel.show_household(self.household_id)

    def _monitoring_changed(self) -> None:
        """A step may change the monitoring category and risks: show them, so that Save does not undo them."""
        if not self.is_dirty():
            self.load()
            return
        self._detail = self.services.households.detail(self.household_id)
        self.monitoring.set_code(self._detail.household.monitoring_category)
        self.risk_types.set_codes(self._detail.household.risk_types)

    def show_monitoring(self) -> None:
        """Open the 防返贫监测 tab (from the home page's risk prompts)."""
        if self.household_id:
            self.tabs.setCurrentIndex(self.monitoring_tab)

    # -- unsaved changes -------------------------------------------------------------------------------------------
    def state(self) -> tuple:
        """Something on the basic-data tab (or a member of a new household) is not saved yet."""
        return (self.household_input(), tuple(self.pending_members))

    def _show_members(self) -> None:
        members = self._detail.members if self._detail else self.pending_members
        today = self.services.ctx.today()
        fill_rows(self.members_table, [
            (m.name, codes.label("relation", m.relation), codes.label("sex", m.sex),
             _age_text(m.birth_date, today), mask_id(m.id_number), mask_phone(m.phone))
            for m in members])
        self.members_table.resizeColumnsToContents()

    def _show_incomes(self) -> None:
        incomes = self._detail.incomes
        size = len(self._detail.members)
        fill_rows(self.income_table, [
            (i.year, format_yuan(i.wages), format_yuan(i.business), format_yuan(i.property_income),
             format_yuan(i.transfer), format_yuan(i.production_cost), format_yuan(i.net_income),
             i.size or size, format_yuan(i.per_capita)) for i in incomes], [i.year for i in incomes])
        self._update_income_preview()

    def _show_pairings(self) -> None:
        ps = self._detail.pairings
        fill_rows(self.pairing_table, [(p.cadre_name, p.start_date.isoformat(),
                                    p.end_date.isoformat() if p.end_date else self.tr("(current)"), p.note or "")
                                   for p in ps], [p.id for p in ps])
        self.pair_combo.clear()
        for c in self.services.cadres.list():
            self.pair_combo.addItem(f"{c.name}（{codes.label('cadre_role', c.role)}）", c.id)

    def _show_history(self) -> None:
        visits = self.services.visits.list(VisitQuery(household_id=self.household_id), 0, 200)
        fill_rows(self.visits_table, [(v.visit_date.isoformat(), "、".join(v.cadre_names),
                                   "、".join(codes.label("visit_purpose", p) for p in v.purposes),
                                   (v.findings or "").replace("\n", " ")) for v in visits])
        problems = self.services.problems.list(ProblemQuery(household_id=self.household_id), 0, 200)
        fill_rows(self.problems_table, [(codes.label("problem_status", p.status),
                                     p.due_date.isoformat() if p.due_date else "", p.responsible_name or "",
                                     p.description) for p in problems])

    # -- saving ------------------------------------------------------------------------------------------------
    def household_input(self) -> HouseholdInput:
        h = self._detail.household if self._detail else None
        base = dict(
            head_name=self.head_name.text(), number=self.number.text().strip(),
            household_type=self.household_type.code() or "ordinary",
            group_name=self.group_name.currentText().strip() or None, address=self.address.text().strip() or None,
            phone=self.phone.value(), bank_account=self.bank_account.value(),
            head_id_number=self.head_id.value(), monitoring_category=self.monitoring.code(),
            risk_types=self.risk_types.codes(), poverty_causes=self.causes.codes(),
            long_absent=self.long_absent.isChecked(), note=self.note.toPlainText().strip() or None,
        )
        if h is None:
            return HouseholdInput(**base)
        # keep what this form does not show
        keep = {f: getattr(h, f) for f in ("number_from_platform", "natural_village",
                                            "identified_on", "is_martyr_family", "no_labour_safety_net",
                                            "relocation_address", "farmland_mu", "housing_area", "housing_grade",
                                            "drinking_water", "toilet")}
        return HouseholdInput(**base, **keep)

    def _write(self, fn, *args, after=None, on_failure=None) -> None:
        """A change saved at once (members, income, pairing, deletion): in the write pool, then reloaded."""
        tasks.run_in_background(fn, *args, parent=self, writes=True,
                                on_success=lambda _o: (after or self.load)(), on_failure=on_failure)

    def submit(self):
        if self.read_only:
            return None
        if self.household_id is None and not self.head_id.is_valid():
            self.tabs.setCurrentIndex(0)
            self.head_id.setFocus()
            return None
        self.basic_error.clear_error()
        data = self.household_input()
        if self.household_id is None:
            head = MemberInput(name=data.head_name, relation="head", id_number=data.head_id_number)
            return self.services.households.create, data, [head, *self.pending_members]
        return self.services.households.update, self.household_id, data

    def show_error(self, exc: BaseException) -> None:
        if not isinstance(exc, ValidationError):
            super().show_error(exc)
            return
        self.tabs.setCurrentIndex(0)
        field = exc.field
        if field.startswith("members[") and not field.startswith("members[0]"):
            self.tabs.setCurrentIndex(1)
            self.members_hint.setText(str(exc))
            return
        if field.startswith("members[0]."):
            field = {"members[0].name": "head_name"}.get(field, field)
            exc = ValidationError(field, exc.message)
        if not self.errors.show(exc):
            self.basic_error.show_error(str(exc))

    def after_save(self, outcome) -> None:
        """Saved: the dialog stays open on the saved household (its other tabs open now)."""
        self.household_id = outcome.value.id
        self.pending_members = []
        self.load()

    # -- members -------------------------------------------------------------------------------------------------
    def _selected_row(self, table: QTableWidget) -> int:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def add_member(self) -> None:
        dlg = MemberDialog(None, self, head_allowed=self.household_id is not None and self._detail is not None
                           and not any(m.relation == "head" for m in self._detail.members))
        if self.household_id is not None:
            hid = self.household_id
            dlg.save_handler = lambda data: self.services.households.add_member(hid, data)
        accepted = dlg.exec()
        dlg.deleteLater()
        if not accepted:
            return
        if self.household_id is None:
            self.pending_members.append(dlg.member_data)
            self._show_members()
        else:
            self.load()

    def edit_member(self) -> None:
        row = self._selected_row(self.members_table)
        if row < 0:
            return
        if self.household_id is None:
            dlg = MemberDialog(self.pending_members[row], self, head_allowed=False)
            if dlg.exec():
                self.pending_members[row] = dlg.member_data
                self._show_members()
            return
        member = self._detail.members[row]
        dlg = MemberDialog(member, self, read_only=self.read_only,
                           reveal=lambda name: self.services.audit.reveal("member", member.id, name))
        dlg.save_handler = lambda data: self.services.households.update_member(member.id, data)
        if dlg.exec():
            self.load()

    def remove_member(self) -> None:
        row = self._selected_row(self.members_table)
        if row < 0:
            return
        if self.household_id is None:
            del self.pending_members[row]
            self._show_members()
            return
        member = self._detail.members[row]
        if not messages.confirm(self, self.tr("Remove {name} from this household?").format(name=member.name),
                                self.tr("Remove"), destructive=True):
            return
        self._write(self.services.households.remove_member, member.id)

    # -- income --------------------------------------------------------------------------------------------------
    def _income_selected(self) -> None:
        row = self._selected_row(self.income_table)
        if row < 0 or not self._detail:
            return
        inc = self._detail.incomes[row]
        self.income_year.setValue(inc.year)
        for name, edit in self.income_fields.items():
            edit.setValue(getattr(inc, name))
        self.income_size.setValue(inc.size or 0)

    def _income_amount(self, name: str) -> Decimal:
        return self.income_fields[name].value() or Decimal("0")

    def _update_income_preview(self) -> None:
        members = len(self._detail.members) if self._detail else 0
        size = self.income_size.value() or members
        f = IncomeFigures(self._income_amount("wages"), self._income_amount("business"),
                          self._income_amount("property_income"), self._income_amount("transfer"),
                          self._income_amount("production_cost"))
        self.income_preview.setText(self.tr("Net income {net} yuan · {size} people · per capita {pc} yuan").format(
            net=format_yuan(f.net_income), size=size, pc=format_yuan(f.per_capita(size))))

    def save_income(self) -> None:
        self.income_errors.clear()
        data = IncomeInput(year=self.income_year.value(), size=self.income_size.value() or None,
                           **{k: self._income_amount(k) for k in self.income_fields})

        def failed(exc: BaseException) -> None:
            if not self.income_errors.show(exc):
                tasks.report_error(self, exc)

        self._write(self.services.households.set_income, self.household_id, data, on_failure=failed)

    # -- pairing -------------------------------------------------------------------------------------------------
    def _pair_failed(self, exc: BaseException) -> None:
        if isinstance(exc, FupinError):
            self.pair_error.show_error(str(exc))
        else:
            tasks.report_error(self, exc)

    def pair(self) -> None:
        self.pair_error.clear_error()
        cadre = self.pair_combo.currentData()
        if not cadre:
            return
        self._write(self.services.pairings.pair, cadre, self.household_id, on_failure=self._pair_failed)

    def unpair(self) -> None:
        row = self._selected_row(self.pairing_table)
        if row < 0:
            self.pair_error.show_error(self.tr("Choose the pairing to end in the list."))
            return
        p = self._detail.pairings[row]
        if p.end_date is not None:
            return
        if not messages.confirm(self, self.tr("End the pairing of {name} with this household today?").format(
                name=p.cadre_name), self.tr("End pairing")):
            return
        self._write(self.services.pairings.end, p.id, on_failure=self._pair_failed)

    # -- other actions -------------------------------------------------------------------------------------------
    def log_visit(self) -> None:
        if navigation.visit_dialog(self.services, self.household_id, self).exec():
            self.load()

    def delete_household(self) -> None:
        h = self._detail.household
        if not messages.confirm(self, self.tr("Delete the household of {name} ({number}) with its members? "
                                              "Its visits and problems stay in the ledgers.").format(
                                    name=h.head_name, number=h.number), self.tr("Delete"), destructive=True):
            return
        self.mark_clean()
        self._write(self.services.households.delete, self.household_id, after=self.accept)


def _age_text(birth, today) -> str:
    age = age_on(birth, today)
    return "" if age is None else str(age)
