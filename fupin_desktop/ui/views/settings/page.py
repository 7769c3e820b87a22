"""设置 page: village profile per year, work team (cadres and their 派出单位), targets and rules, code-list
extensions, and the interface language (a machine setting, applied at the next start)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QPushButton, QScrollArea, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QTabWidget,
    QVBoxLayout, QWidget,
)

from fupin_desktop import settings as declared
from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.privacy import mask_phone
from fupin_desktop.settings import MachineSettings
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.widgets import CodeCombo, DateEdit, FieldError, FormErrors
from fupin_desktop.ui.widgets.field_error import add_error_row
from fupin_desktop.ui.widgets.page_parts import save_row
from fupin_desktop.ui.widgets.sensitive import SensitiveField

# Language names are written in their own language on purpose: whoever switched by mistake can switch back.
LANGUAGES = [("zh_CN", "中文（简体）"), ("en", "English")]


def _int_or_none(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationError("number", "请填写整数") from None


class ProfileTab(QWidget):
    """村情 of one year: 户数, 人口, 村民小组, 耕地, 林地, 党员, 两委 members…"""

    INT_FIELDS = ("households", "population", "agricultural_population", "groups", "party_members")

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(services.ctx.today().year)
        self.year.setMaximumWidth(120)
        self.fields: dict[str, QLineEdit] = {}
        self.errors = FormErrors()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("Year"), self.year)
        titles = {
            "households": self.tr("Households"), "population": self.tr("Population"),
            "agricultural_population": self.tr("Agricultural population"), "groups": self.tr("Villager groups"),
            "farmland_mu": self.tr("Farmland (mu)"), "forest_mu": self.tr("Forest land (mu)"),
            "party_members": self.tr("Party members"),
        }
        for name, title in titles.items():
            edit = QLineEdit(self)
            edit.setMaximumWidth(200)
            self.fields[name] = edit
            add_error_row(form, title, edit, self.errors, name)
        self.committee = QPlainTextEdit(self)
        self.committee.setPlaceholderText(self.tr("One per line, e.g. 王建国 村党支部书记、村委会主任"))
        self.committee.setMaximumHeight(110)
        self.note = QLineEdit(self)
        form.addRow(self.tr("Village committee members (两委)"), self.committee)
        form.addRow(self.tr("Note"), self.note)
        self.save_button, self.saved, row = save_row(self, self.tr("Save village profile"))
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(row)
        lay.addStretch(1)
        self.year.valueChanged.connect(lambda _v: self.load())
        self.save_button.clicked.connect(self.save)
        self.load()

    def load(self) -> None:
        p = self.services.village.profile(self.year.value())
        self.errors.clear()
        self.saved.clear()
        for name, edit in self.fields.items():
            v = getattr(p, name, None) if p else None
            edit.setText("" if v is None else str(v))
        self.committee.setPlainText((p.committee_members if p else "") or "")
        self.note.setText((p.note if p else "") or "")

    def data(self):
        from fupin_desktop.services.village import ProfileInput

        values = {}
        for name, edit in self.fields.items():
            text = edit.text().strip()
            try:
                if name in self.INT_FIELDS:
                    values[name] = _int_or_none(text)
                else:
                    values[name] = Decimal(text) if text else None
            except (ValidationError, InvalidOperation):
                raise ValidationError(name, "请填写数字") from None
        return ProfileInput(year=self.year.value(), committee_members=self.committee.toPlainText().strip() or None,
                            note=self.note.text().strip() or None, **values)

    def save(self) -> None:
        self.errors.clear()
        try:
            data = self.data()
        except ValidationError as exc:
            self.errors.show(exc)
            return
        tasks.run_in_background(self.services.village.save_profile, data, parent=self, writes=True,
                                on_success=lambda _o: self.saved.setText(self.tr("Saved.")),
                                on_failure=self._failed)

    def _failed(self, exc) -> None:
        if not self.errors.show(exc):
            tasks.report_error(self, exc)


class TeamTab(QWidget):
    """Cadres (第一书记, 队员, 帮扶责任人, 村干部) and their 派出单位: add, edit, remove."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.current_id: str | None = None
        self._cadres = []
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Sent by (unit)"),
                                              self.tr("Phone")])
        from fupin_desktop.ui.widgets.page_parts import setup_table

        setup_table(self.table)
        self.table.setColumnWidth(0, 90)
        self.table.setColumnWidth(1, 100)
        self.table.setColumnWidth(2, 200)
        self.name = QLineEdit(self)
        self.role = CodeCombo("cadre_role", self)
        self.unit = QLineEdit(self)
        self.position = QLineEdit(self)
        self.phone = SensitiveField("phone", self, field="phone")  # masked; full number on an audited reveal
        self.phone.setObjectName("CadrePhone")
        self.phone.set_reveal(lambda: self.services.audit.reveal("cadre", self.current_id, "phone"))
        self.start = DateEdit(self, allow_empty=True)
        self.end = DateEdit(self, allow_empty=True)
        self.in_team = QCheckBox(self.tr("Member of the village work team (attendance applies)"), self)
        self.errors = FormErrors()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.name_error = add_error_row(form, self.tr("Name *"), self.name, self.errors, "name")
        self.errors.add("phone", self.phone.edit, self.phone.error_label)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Sent by (unit)"), self.unit)
        form.addRow(self.tr("Position"), self.position)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("In the village from"), self.start)
        self.end_error = add_error_row(form, self.tr("until"), self.end, self.errors, "end_date")
        form.addRow("", self.in_team)
        self.new_button = QPushButton(self.tr("New person"), self)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setProperty("primary", True)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.addLayout(form)
        rv.addStretch(1)
        rv.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([520, 460])
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self.table.itemSelectionChanged.connect(self._selected)
        self.new_button.clicked.connect(self.new_cadre)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.reload()
        self.new_cadre()

    def reload(self) -> None:
        self._cadres = self.services.cadres.list(include_inactive=True)
        self.table.setRowCount(len(self._cadres))
        for r, c in enumerate(self._cadres):
            for col, v in enumerate((c.name, codes.label("cadre_role", c.role), c.unit or "", mask_phone(c.phone))):
                self.table.setItem(r, col, QTableWidgetItem(v))

    def new_cadre(self) -> None:
        self.current_id = None
        self.errors.clear()
        for w in (self.name, self.unit, self.position):
            w.clear()
        self.phone.set_masked("")
        village = self.services.village.get()
        self.unit.setText((village.dispatch_unit if village else "") or "")
        self.role.set_code("member")
        self.start.setValue(None)
        self.end.setValue(None)
        self.in_team.setChecked(True)
        self.remove_button.setEnabled(False)

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        c = self._cadres[rows[0].row()]
        self.current_id = c.id
        self.errors.clear()
        self.name.setText(c.name)
        self.role.set_code(c.role)
        self.unit.setText(c.unit or "")
        self.position.setText(c.position or "")
        self.phone.set_stored(c.phone)
        self.start.setValue(c.start_date)
        self.end.setValue(c.end_date)
        self.in_team.setChecked(c.in_team)
        self.remove_button.setEnabled(True)

    def data(self):
        from fupin_desktop.services.village import CadreInput

        return CadreInput(name=self.name.text(), role=self.role.code() or "member", unit=self.unit.text().strip()
                          or None, position=self.position.text().strip() or None,
                          phone=self.phone.value(), start_date=self.start.value(),
                          end_date=self.end.value(), in_team=self.in_team.isChecked())

    def save(self) -> None:
        self.errors.clear()
        call = ((self.services.cadres.create, self.data()) if self.current_id is None
                else (self.services.cadres.update, self.current_id, self.data()))
        tasks.run_in_background(*call, parent=self, writes=True, on_success=self._saved, on_failure=self._failed)

    def _saved(self, outcome) -> None:
        self.current_id = outcome.value.id
        self.phone.set_stored(outcome.value.phone)  # masked again
        self.remove_button.setEnabled(True)
        self.reload()

    def _failed(self, exc) -> None:
        if not self.errors.show(exc):
            tasks.report_error(self, exc)

    def remove(self) -> None:
        if self.current_id is None:
            return
        if not messages.confirm(self, self.tr("Remove {name}? Records written by this person are kept.").format(
                name=self.name.text()), self.tr("Remove"), destructive=True):
            return
        tasks.run_in_background(self.services.cadres.delete, self.current_id, parent=self, writes=True,
                                on_success=lambda _o: (self.reload(), self.new_cadre()))


class RulesTab(QWidget):
    """Targets, visit intervals, the attendance rule and other village settings (declared in settings.py)."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        values = services.settings.all()
        for spec in declared.SETTINGS:
            if spec.scope != "village" or spec.type is not int:
                continue
            spin = QSpinBox(self)
            spin.setRange(spec.minimum if spec.minimum is not None else 0,
                          spec.maximum if spec.maximum is not None else 1_000_000)
            spin.setValue(values[spec.key])
            spin.setMinimumWidth(120)
            spin.setMaximumWidth(180)
            self.spins[spec.key] = spin
            form.addRow(spec.title, spin)  # titles are declared in Chinese once, in settings.py
        self.save_button, self.saved, row = save_row(self, self.tr("Save targets and rules"))
        hint = QLabel(self.tr("Days in the village count 在村 and 因公外出 days. Only administrators can change "
                              "these settings."), self)
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(hint)
        lay.addLayout(row)
        lay.addStretch(1)
        self.save_button.clicked.connect(self.save)

    def save(self) -> None:
        current = self.services.settings.all()
        changed = {k: s.value() for k, s in self.spins.items() if s.value() != current.get(k)}

        def write():
            out = None
            for k, v in changed.items():
                o = self.services.settings.set(k, v)
                out = o if out is None else type(o)(o.value, out.changes.merge(o.changes))
            return out

        if not changed:
            self.saved.setText(self.tr("Nothing changed."))
            return
        tasks.run_in_background(write, parent=self, writes=True,
                                on_success=lambda _o: self.saved.setText(self.tr("Saved.")))


class CodeListTab(QWidget):
    """Local items added to a code list (provinces add items every year)."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.list_name = QComboBox(self)
        for info in services.codelists.lists():
            self.list_name.addItem(info.title, info.name)
        self.items = QListWidget(self)
        self.label = QLineEdit(self)
        self.label.setPlaceholderText(self.tr("Name of the new item"))
        self.label_error = FieldError(self)
        self.errors = FormErrors()
        self.errors.add("label", self.label, self.label_error)
        self.errors.add("code", self.label, self.label_error)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setProperty("primary", True)
        self.remove_button = QPushButton(self.tr("Remove the selected local item"), self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Code list"), self))
        top.addWidget(self.list_name, 1)
        add = QHBoxLayout()
        add.addWidget(self.label, 1)
        add.addWidget(self.add_button)
        hint = QLabel(self.tr("Built-in items cannot be changed; items added here are marked “(local)” and travel "
                              "with the data."), self)
        hint.setObjectName("Hint")
        hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.items, 1)
        lay.addLayout(add)
        lay.addWidget(self.label_error)
        lay.addWidget(self.remove_button)
        lay.addWidget(hint)
        self.list_name.currentIndexChanged.connect(lambda _i: self.show_items())
        self.add_button.clicked.connect(self.add)
        self.label.returnPressed.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.show_items()

    def show_items(self) -> None:
        self.items.clear()
        name = self.list_name.currentData()
        if not name:
            return
        for item in codes.get(name).items():
            w = QListWidgetItem(item.label + (self.tr(" (local)") if item.local else ""))
            w.setData(Qt.ItemDataRole.UserRole, (item.code, item.local))
            self.items.addItem(w)

    def add(self) -> None:
        self.errors.clear()
        tasks.run_in_background(self.services.codelists.add, self.list_name.currentData(), self.label.text(),
                                parent=self, writes=True, on_success=self._added, on_failure=self._failed)

    def _added(self, _outcome) -> None:
        self.label.clear()
        self.show_items()

    def _failed(self, exc) -> None:
        if not self.errors.show(exc):
            tasks.report_error(self, exc)

    def remove(self) -> None:
        item = self.items.currentItem()
        if item is None:
            return
        code, local = item.data(Qt.ItemDataRole.UserRole)
        if not local:
            messages.info(self, self.tr("Built-in items cannot be removed."))
            return
        if not messages.confirm(self, self.tr("Remove “{label}”? Records that use it keep it.").format(
                label=item.text()), self.tr("Remove"), destructive=True):
            return
        tasks.run_in_background(self.services.codelists.remove, self.list_name.currentData(), code, parent=self,
                                writes=True, on_success=lambda _o: self.show_items())


class SettingsPage(QWidget):
    def __init__(self, services=None, parent: QWidget | None = None, machine: MachineSettings | None = None):
        super().__init__(parent)
        self.services = services
        self.machine = machine or MachineSettings()

        title = QLabel(self.tr("Settings"), self)
        title.setObjectName("PageTitle")

        self.language = QComboBox(self)
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        current = self.machine.get("ui.language")
        index = self.language.findData(current)
        self.language.setCurrentIndex(index if index >= 0 else 0)
        self.language.currentIndexChanged.connect(self._language_chosen)

        self.note = QLabel(self)
        self.note.setObjectName("Hint")
        self.note.setWordWrap(True)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("Interface language"), self.language)
        form.addRow("", self.note)
        language_tab = QWidget(self)
        lt = QVBoxLayout(language_tab)
        lt.addLayout(form)
        lt.addStretch(1)

        self.tabs = QTabWidget(self)
        self.profile_tab = self.team_tab = self.rules_tab = self.codes_tab = self.village_tab = None
        if services is not None:
            from fupin_desktop.ui.views.settings.village import VillageTab

            self.village_tab = VillageTab(services, self.tabs)
            self.tabs.addTab(_scroll(self.village_tab, self), self.tr("Village"))
            self.profile_tab = ProfileTab(services, self.tabs)
            self.team_tab = TeamTab(services, self.tabs)
            self.rules_tab = RulesTab(services, self.tabs)
            self.codes_tab = CodeListTab(services, self.tabs)
            self.tabs.addTab(_scroll(self.profile_tab, self), self.tr("Village profile"))
            self.tabs.addTab(self.team_tab, self.tr("Work team"))
            self.tabs.addTab(_scroll(self.rules_tab, self), self.tr("Targets and rules"))
            self.tabs.addTab(self.codes_tab, self.tr("Code lists"))
        self.tabs.addTab(language_tab, self.tr("Language"))

        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 18, 24, 18)
        lay.addWidget(title)
        lay.addSpacing(8)
        lay.addWidget(self.tabs, 1)

    def _language_chosen(self, _index: int) -> None:
        code = self.language.currentData()
        self.machine.set("ui.language", code)
        self.note.setText(self.tr("The new language is used the next time the program starts."))

    def refresh(self) -> None:
        if self.team_tab is not None:
            self.team_tab.reload()
            self.profile_tab.load()
            self.village_tab.load()


def _scroll(widget: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area
