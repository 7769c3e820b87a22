"""Dialogs of the donation page: a donation with its item lines, a distribution (发放), a condolence visit (慰问)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QStackedWidget, QTableWidget, QVBoxLayout, QWidget,
)

from fupin_desktop.domain.errors import FupinError, ValidationError
from fupin_desktop.domain.money import format_yuan, parse_money
from fupin_desktop.services.donations import (
    CondolenceInput, DistributionInput, DonationDTO, DonationInput, ItemInput, format_quantity,
)
from fupin_desktop.ui import messages
from fupin_desktop.ui.events import bus
from fupin_desktop.ui.views.donations.common import HouseholdChooser, cell, parse_quantity, plain_table
from fupin_desktop.ui.widgets import (
    CodeCombo, DateEdit, FieldError, FormErrors, MoneyEdit, restore_geometry, save_geometry,
)

ZERO = Decimal("0.00")

# lupdate reads the literal context of every translate("Context", "text") call.
translate = QCoreApplication.translate


def _row(owner, form: QFormLayout, label: str, widget: QWidget, errors: FormErrors, name: str) -> FieldError:
    box = QWidget(owner)
    v = QVBoxLayout(box)
    v.setContentsMargins(0, 0, 0, 0)
    v.setSpacing(2)
    v.addWidget(widget)
    err = FieldError(box)
    v.addWidget(err)
    form.addRow(label, box)
    errors.add(name, widget, err)
    return err


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    b = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, dialog)
    b.button(QDialogButtonBox.StandardButton.Save).setText(ok_text)
    b.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("DonationDialogs", "Cancel"))
    b.accepted.connect(dialog.save)
    b.rejected.connect(dialog.reject)
    QShortcut(QKeySequence("Ctrl+S"), dialog).activated.connect(dialog.save)
    return b


class ItemTable(QWidget):
    """Editable item lines: name, spec, quantity, unit, unit price, amount (blank amount = quantity × price)."""

    def __init__(self, parent: QWidget | None = None, headers: list[str] | None = None, with_spec: bool = True):
        super().__init__(parent)
        self.with_spec = with_spec
        heads = headers or [self.tr("Item"), self.tr("Spec"), self.tr("Quantity"), self.tr("Unit"),
                            self.tr("Unit price"), self.tr("Amount (blank: qty × price)")]
        self.table: QTableWidget = plain_table(self, heads)
        self.table.setEditTriggers(QTableWidget.EditTrigger.AllEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectItems)
        for i, w in enumerate((150, 100, 80, 60, 90)):
            self.table.setColumnWidth(i, w)
        self.table.setMinimumHeight(130)
        add = QPushButton(self.tr("Add line"), self)
        remove = QPushButton(self.tr("Remove line"), self)
        add.clicked.connect(lambda: self.add_line())
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow())
                               if self.table.currentRow() >= 0 else None)
        side = QVBoxLayout()
        side.addWidget(add)
        side.addWidget(remove)
        side.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table, 1)
        lay.addLayout(side)

    def add_line(self, name: str = "", spec: str = "", quantity: str = "", unit: str = "", price: str = "",
                 amount: str = "", item_id: str | None = None) -> int:
        r = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(r)
        values = [name, spec, quantity, unit, price, amount] if self.with_spec else [name, quantity, unit, price]
        numeric = (2, 4, 5) if self.with_spec else (1, 3)
        for c, v in enumerate(values):
            self.table.setItem(r, c, cell(v, editable=True, right=c in numeric, data=item_id if c == 0 else None))
        self.table.blockSignals(False)
        self.table.itemChanged.emit(self.table.item(r, 0))
        return r

    def add_gift(self, name: str, quantity: str, unit: str = "", price: str = "") -> int:
        """A line of the table without spec/amount columns (the condolence form)."""
        return self.add_line(name, "", quantity, unit, price)

    def set_cell(self, row: int, column: int, text: str) -> None:
        self.table.item(row, column).setText(text)

    def _text(self, r: int, c: int) -> str:
        it = self.table.item(r, c)
        return it.text().strip() if it is not None else ""

    def items(self, field: str = "items") -> tuple[ItemInput, ...]:
        out = []
        for r in range(self.table.rowCount()):
            if self.with_spec:
                name, spec, q, unit, price, amount = (self._text(r, c) for c in range(6))
            else:
                name, q, unit, price = (self._text(r, c) for c in range(4))
                spec, amount = "", ""
            if not any((name, q, price, amount)):
                continue
            item_id = self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) if self.table.item(r, 0) else None
            out.append(ItemInput(
                name=name, quantity=parse_quantity(q, f"{field}[{r}].quantity"), unit=unit or None,
                unit_price=parse_money(price, f"{field}[{r}].unit_price") if price else None,
                amount=parse_money(amount, f"{field}[{r}].amount") if amount else None, spec=spec or None,
                id=item_id))
        return tuple(out)

    def total(self) -> Decimal:
        total = ZERO
        for it in self.items():
            if it.amount is not None:
                total += it.amount
            elif it.unit_price is not None:
                total += (it.unit_price * it.quantity).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return total


class DonationEditor(QDialog):
    """A donation (捐赠登记): donor, date, cash amount or goods lines, receipt number, purpose."""

    def __init__(self, services, parent: QWidget | None = None, donation: DonationDTO | None = None):
        super().__init__(parent)
        self.services = services
        self.donation = donation
        self.saved_id: str | None = None
        self.errors = FormErrors()
        self.setWindowTitle(self.tr("Edit donation") if donation else self.tr("Register a donation"))
        self.donor = QComboBox(self)
        self.donor.setEditable(True)
        self.donor.lineEdit().setPlaceholderText(self.tr("Unit, enterprise or person"))
        for d in services.donations.donors():
            self.donor.addItem(d.name, d.kind)
        self.donor.setCurrentIndex(-1)
        self.donor_kind = CodeCombo("donor_kind", self)
        self.donor.currentIndexChanged.connect(
            lambda i: self.donor_kind.set_code(self.donor.itemData(i)) if i >= 0 and self.donor.itemData(i) else None)
        self.received_on = DateEdit(self, value=services.ctx.today())
        self.kind = CodeCombo("donation_kind", self)
        self.kind.set_code("goods")
        self.amount = MoneyEdit(self, field="amount")
        self.receipt = QLineEdit(self)
        self.purpose = QLineEdit(self)
        self.target = QLineEdit(self)
        self.target.setPlaceholderText(self.tr("Designated households, school… (if the donor named one)"))
        self.handler = QLineEdit(self)
        me = services.cadres.current()
        self.handler.setText(me.name if me else "")
        self.note = QLineEdit(self)
        self.items = ItemTable(self)
        self.items_error = FieldError(self)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("Hint")
        self.errors.add("items", self.items.table, self.items_error)

        form = QFormLayout()
        form2 = QFormLayout()
        _row(self, form, self.tr("Donor *"), self.donor, self.errors, "donor_name")
        _row(self, form, self.tr("Donor type"), self.donor_kind, self.errors, "donor_kind")
        _row(self, form, self.tr("Received on"), self.received_on, self.errors, "received_on")
        _row(self, form, self.tr("Cash or goods"), self.kind, self.errors, "kind")
        self.amount_error = _row(self, form, self.tr("Amount (cash)"), self.amount, self.errors, "amount")
        _row(self, form2, self.tr("Receipt no."), self.receipt, self.errors, "receipt_number")
        _row(self, form2, self.tr("Purpose"), self.purpose, self.errors, "purpose")
        _row(self, form2, self.tr("Designated target"), self.target, self.errors, "designated_target")
        _row(self, form2, self.tr("Handled by"), self.handler, self.errors, "handler")
        _row(self, form2, self.tr("Note"), self.note, self.errors, "note")
        cols = QHBoxLayout()
        cols.addLayout(form, 1)
        cols.addSpacing(12)
        cols.addLayout(form2, 1)
        self.items_box = QWidget(self)
        iv = QVBoxLayout(self.items_box)
        iv.setContentsMargins(0, 0, 0, 0)
        iv.addWidget(QLabel(self.tr("Goods (one line per item)"), self))
        iv.addWidget(self.items)
        iv.addWidget(self.items_error)
        iv.addWidget(self.total_label)
        lay = QVBoxLayout(self)
        lay.addLayout(cols)
        lay.addWidget(self.items_box, 1)
        lay.addWidget(_buttons(self, self.tr("Save (Ctrl+S)")))
        self.kind.codeChanged.connect(self._kind_changed)
        self.items.table.itemChanged.connect(lambda _i: self._update_total())
        if donation:
            self._load(donation)
        else:
            self.items.add_line()
        self._kind_changed(self.kind.code())
        self.resize(900, 580)
        restore_geometry(self, "dialogs/donation_editor")

    def _load(self, d: DonationDTO) -> None:
        self.donor.setEditText(d.donor_name)
        self.donor_kind.set_code(d.donor_kind)
        self.received_on.setValue(d.received_on)
        self.kind.set_code(d.kind)
        if d.kind == "cash":
            self.amount.setValue(d.amount)
        self.receipt.setText(d.receipt_number or "")
        self.purpose.setText(d.purpose or "")
        self.target.setText(d.designated_target or "")
        self.handler.setText(d.handler or "")
        self.note.setText(d.note or "")
        for i in d.items:
            self.items.add_line(i.name, i.spec or "", format_quantity(i.quantity), i.unit or "",
                                format_yuan(i.unit_price) if i.unit_price is not None else "",
                                format_yuan(i.amount), i.id)

    def _kind_changed(self, kind) -> None:
        cash = kind == "cash"
        self.amount.setEnabled(cash)
        self.items_box.setVisible(not cash)

    def _update_total(self) -> None:
        try:
            total = self.items.total()
        except ValidationError as exc:
            self.total_label.setText(str(exc))
            return
        self.total_label.setText(self.tr("Total value of the goods: {yuan} yuan").format(yuan=format_yuan(total)))

    def donation_input(self) -> DonationInput:
        kind = self.kind.code()
        return DonationInput(
            received_on=self.received_on.value(), kind=kind, donor_name=self.donor.currentText().strip(),
            donor_kind=self.donor_kind.code(), amount=self.amount.value() if kind == "cash" else None,
            purpose=self.purpose.text(), designated_target=self.target.text(), handler=self.handler.text(),
            receipt_number=self.receipt.text(), note=self.note.text(),
            items=self.items.items() if kind == "goods" else ())

    def save(self) -> bool:
        self.errors.clear()
        try:
            data = self.donation_input()
            if self.donation:
                outcome = self.services.donations.update(self.donation.id, data)
            else:
                outcome = self.services.donations.create(data)
        except ValidationError as exc:
            if not self.errors.show(exc):
                self.items_error.show_error(str(exc))
            return False
        except FupinError as exc:
            messages.error(self, exc)
            return False
        self.saved_id = outcome.value.id
        bus().publish(outcome.changes, self)
        self.accept()
        return True

    def done(self, r: int) -> None:
        save_geometry(self, "dialogs/donation_editor")
        super().done(r)


class DistributeDialog(QDialog):
    """发放: one item (or cash) of a donation to households picked from the registry, or to another target."""

    def __init__(self, services, donation: DonationDTO, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.donation = donation
        self.errors = FormErrors()
        self.setWindowTitle(self.tr("Distribute"))
        head = QLabel(f"{donation.donor_name} · {donation.received_on:%Y-%m-%d}", self)
        head.setObjectName("PageTitle")
        self.what = QComboBox(self)
        if donation.kind == "cash":
            self.what.addItem(self.tr("Cash (balance {yuan} yuan)").format(yuan=format_yuan(donation.cash_balance)),
                              None)
        for i in donation.items:
            self.what.addItem(self.tr("{item} (in stock {qty}{unit})").format(
                item=i.title, qty=format_quantity(i.on_hand), unit=i.unit or ""), i.id)
        self.target_kind = CodeCombo("distribution_target_kind", self)
        self.households = HouseholdChooser(services, self, max_height=130)
        self.target_name = QLineEdit(self)
        self.target_name.setPlaceholderText(self.tr("e.g. 东兴小学, village committee"))
        self.target_stack = QStackedWidget(self)
        self.target_stack.addWidget(self.households)
        self.target_stack.addWidget(self.target_name)
        self.quantity = QLineEdit(self)
        self.quantity.setPlaceholderText("0")
        self.amount = MoneyEdit(self, field="amount")
        self.date = DateEdit(self, value=services.ctx.today())
        self.handler = QLineEdit(self)
        me = services.cadres.current()
        self.handler.setText(me.name if me else "")
        self.signed = QCheckBox(self.tr("Signed for (签收) on the spot"), self)
        self.summary = QLabel(self)
        self.summary.setObjectName("Hint")
        self.summary.setWordWrap(True)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        _row(self, form, self.tr("What"), self.what, self.errors, "item_id")
        _row(self, form, self.tr("To"), self.target_kind, self.errors, "target_kind")
        _row(self, form, self.tr("Recipients"), self.target_stack, self.errors, "household_id")
        self.errors.add("target_name", self.target_name, self.errors._fields["household_id"][1])
        self.quantity_error = _row(self, form, self.tr("Quantity each"), self.quantity, self.errors, "quantity")
        _row(self, form, self.tr("Amount each"), self.amount, self.errors, "amount")
        _row(self, form, self.tr("Date"), self.date, self.errors, "distributed_on")
        _row(self, form, self.tr("Handed out by"), self.handler, self.errors, "handler")
        form.addRow("", self.signed)
        self.general_error = FieldError(self)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addLayout(form)
        lay.addWidget(self.summary)
        lay.addWidget(self.general_error)
        lay.addWidget(_buttons(self, self.tr("Save")))
        self.what.currentIndexChanged.connect(lambda _i: self._what_changed())
        self.target_kind.codeChanged.connect(
            lambda c: self.target_stack.setCurrentIndex(0 if c == "household" else 1))
        for sig in (self.households.changed, self.quantity.textChanged, self.amount.valueChanged):
            sig.connect(lambda *_a: self._update_summary())
        self._what_changed()
        self.resize(620, 560)

    def item_id(self) -> str | None:
        return self.what.currentData()

    def set_item(self, item_id: str | None) -> None:
        self.what.setCurrentIndex(max(self.what.findData(item_id), 0))

    def _what_changed(self) -> None:
        cash = self.item_id() is None and self.donation.kind == "cash"
        self.quantity.setEnabled(not cash)
        self.amount.setEnabled(cash)
        self._update_summary()

    def _item(self):
        return next((i for i in self.donation.items if i.id == self.item_id()), None)

    def _count(self) -> int:
        return len(self.households.ids()) if self.target_kind.code() == "household" else 1

    def _update_summary(self) -> None:
        n = self._count()
        item = self._item()
        try:
            if item is not None:
                q = parse_quantity(self.quantity.text())
                self.summary.setText(self.tr("{n} recipients × {q}{unit} = {total}{unit}; in stock {stock}{unit}")
                                     .format(n=n, q=format_quantity(q), unit=item.unit or "",
                                             total=format_quantity(q * n), stock=format_quantity(item.on_hand)))
            else:
                a = self.amount.value() or ZERO
                self.summary.setText(self.tr("{n} recipients × {a} yuan = {total} yuan; balance {bal} yuan").format(
                    n=n, a=format_yuan(a), total=format_yuan(a * n), bal=format_yuan(self.donation.cash_balance)))
        except ValidationError as exc:
            self.summary.setText(str(exc))

    def lines(self) -> list[DistributionInput]:
        item_id = self.item_id()
        kind = self.target_kind.code()
        q = parse_quantity(self.quantity.text()) if item_id else Decimal("0")
        a = self.amount.value() if not item_id else None
        common = dict(donation_id=self.donation.id, item_id=item_id, target_kind=kind, quantity=q, amount=a,
                      distributed_on=self.date.value(), handler=self.handler.text(), signed=self.signed.isChecked())
        if kind == "household":
            if not self.households.ids():
                raise ValidationError("household_id", self.tr("Choose the households that receive it"))
            return [DistributionInput(household_id=h[0], signed_by=h[1] if self.signed.isChecked() else None,
                                      **common) for h in self.households.households()]
        return [DistributionInput(target_name=self.target_name.text(), **common)]

    def save(self) -> bool:
        self.errors.clear()
        self.general_error.clear_error()
        try:
            outcome = self.services.donations.distribute(self.lines())
        except ValidationError as exc:
            if not self.errors.show(exc):
                self.general_error.show_error(str(exc))
            return False
        except FupinError as exc:
            messages.error(self, exc)
            return False
        bus().publish(outcome.changes, self)
        self.accept()
        return True


class CondolenceDialog(QDialog):
    """慰问 in one step: households, cash and/or goods for each, date."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.errors = FormErrors()
        self.saved_id: str | None = None
        self.setWindowTitle(self.tr("Condolence visit"))
        self.date = DateEdit(self, value=services.ctx.today())
        self.donor = QLineEdit(self)
        village = services.village.get()
        self.donor.setText(village.dispatch_unit if village and village.dispatch_unit else "")
        self.donor.setPlaceholderText(self.tr("Who gives it (default: the team's dispatching unit)"))
        self.purpose = QLineEdit(self)
        self.purpose.setText(self.tr("Holiday condolence visit"))
        self.households = HouseholdChooser(services, self, max_height=120)
        self.amount = MoneyEdit(self, field="amount_each")
        self.goods = ItemTable(self, [self.tr("Gift"), self.tr("Quantity each"), self.tr("Unit"),
                                      self.tr("Unit price")], with_spec=False)
        self.goods.table.setMinimumHeight(100)
        self.handler = QLineEdit(self)
        me = services.cadres.current()
        self.handler.setText(me.name if me else "")
        self.signed = QCheckBox(self.tr("Signed for (签收) on the spot"), self)
        self.summary = QLabel(self)
        self.summary.setObjectName("Hint")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        _row(self, form, self.tr("Date"), self.date, self.errors, "on")
        _row(self, form, self.tr("Households *"), self.households, self.errors, "household_ids")
        _row(self, form, self.tr("Cash each"), self.amount, self.errors, "amount_each")
        _row(self, form, self.tr("Goods each"), self.goods, self.errors, "goods_each")
        _row(self, form, self.tr("Given by"), self.donor, self.errors, "donor_name")
        _row(self, form, self.tr("Purpose"), self.purpose, self.errors, "purpose")
        _row(self, form, self.tr("Handed out by"), self.handler, self.errors, "handler")
        form.addRow("", self.signed)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.summary)
        lay.addWidget(_buttons(self, self.tr("Save (Ctrl+S)")))
        for sig in (self.households.changed, self.amount.valueChanged, self.goods.table.itemChanged):
            sig.connect(lambda *_a: self._update_summary())
        self.resize(680, 600)
        self._update_summary()

    def _update_summary(self) -> None:
        n = len(self.households.ids())
        try:
            each = (self.amount.value() or ZERO) + self.goods.total()
        except ValidationError:
            return
        self.summary.setText(self.tr("{n} households × {each} yuan = {total} yuan").format(
            n=n, each=format_yuan(each), total=format_yuan(each * n)))

    def save(self) -> bool:
        self.errors.clear()
        try:
            data = CondolenceInput(on=self.date.value(), household_ids=self.households.ids(),
                                   amount_each=self.amount.value(), goods_each=self.goods.items("goods_each"),
                                   donor_name=self.donor.text().strip(), purpose=self.purpose.text(),
                                   handler=self.handler.text(), signed=self.signed.isChecked())
            outcome = self.services.donations.condolence(data)
        except ValidationError as exc:
            if not self.errors.show(exc):
                messages.error(self, exc)
            return False
        except FupinError as exc:
            messages.error(self, exc)
            return False
        self.saved_id = outcome.value.id
        bus().publish(outcome.changes, self)
        self.accept()
        return True
