"""Dialogs of the donation page: a donation with its item lines, a distribution (发放), a condolence visit (慰问)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QStackedWidget, QTableWidget, QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import format_yuan, parse_money
from fupin_desktop.services.donations import (
    CondolenceInput, DistributionInput, DonationDTO, DonationInput, ItemInput, format_quantity,
)
from fupin_desktop.ui.widgets.household_chooser import HouseholdChooser, cell, parse_quantity, plain_table
from fupin_desktop.ui.widgets import CodeCombo, DateEdit, FieldError, MoneyEdit
from fupin_desktop.ui.widgets.form_dialog import FormDialog

ZERO = Decimal("0.00")



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


class DonationEditor(FormDialog):
    """A donation (捐赠登记): donor, date, cash amount or goods lines, receipt number, purpose."""

    state_key = "dialogs/donation_editor"

    def __init__(self, services, parent: QWidget | None = None, donation: DonationDTO | None = None):
        super().__init__(parent)
        self.services = services
        self.donation = donation
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

        form, form2 = self.add_columns(2)
        self.add_row(self.tr("Donor *"), self.donor, "donor_name", form=form)
        self.add_row(self.tr("Donor type"), self.donor_kind, "donor_kind", form=form)
        self.add_row(self.tr("Received on"), self.received_on, "received_on", form=form)
        self.add_row(self.tr("Cash or goods"), self.kind, "kind", form=form)
        self.amount_error = self.add_row(self.tr("Amount (cash)"), self.amount, "amount", form=form)
        self.add_row(self.tr("Receipt no."), self.receipt, "receipt_number", form=form2)
        self.add_row(self.tr("Purpose"), self.purpose, "purpose", form=form2)
        self.add_row(self.tr("Designated target"), self.target, "designated_target", form=form2)
        self.add_row(self.tr("Handled by"), self.handler, "handler", form=form2)
        self.add_row(self.tr("Note"), self.note, "note", form=form2)
        self.items_box = QWidget(self)
        iv = QVBoxLayout(self.items_box)
        iv.setContentsMargins(0, 0, 0, 0)
        iv.addWidget(QLabel(self.tr("Goods (one line per item)"), self))
        iv.addWidget(self.items)
        iv.addWidget(self.items_error)
        iv.addWidget(self.total_label)
        self.body.addWidget(self.items_box, 1)
        self.kind.codeChanged.connect(self._kind_changed)
        self.items.table.itemChanged.connect(lambda _i: self._update_total())
        if donation:
            self._load(donation)
        else:
            self.items.add_line()
        self._kind_changed(self.kind.code())
        self.finish(900, 580)

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

    def submit(self):
        data = self.donation_input()
        if self.donation:
            return self.services.donations.update, self.donation.id, data
        return self.services.donations.create, data

    def map_error(self, exc: BaseException) -> BaseException:
        # an error of one goods line (items[2].quantity …) is shown under the goods table
        if isinstance(exc, ValidationError) and exc.field.startswith("items"):
            return ValidationError("items", exc.message)
        return exc


class DistributeDialog(FormDialog):
    """发放: one item (or cash) of a donation to households picked from the registry, or to another target."""

    state_key = "dialogs/distribute"

    def __init__(self, services, donation: DonationDTO, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.donation = donation
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
        self.body.insertWidget(0, head)
        self.add_row(self.tr("What"), self.what, "item_id")
        self.add_row(self.tr("To"), self.target_kind, "target_kind")
        recipients_error = self.add_row(self.tr("Recipients"), self.target_stack, "household_id")
        self.errors.add("target_name", self.target_name, recipients_error)
        self.quantity_error = self.add_row(self.tr("Quantity each"), self.quantity, "quantity")
        self.add_row(self.tr("Amount each"), self.amount, "amount")
        self.add_row(self.tr("Date"), self.date, "distributed_on")
        self.add_row(self.tr("Handed out by"), self.handler, "handler")
        self.form.addRow("", self.signed)
        self.body.addWidget(self.summary)
        self.save_button.setText(self.tr("Save"))
        self.what.currentIndexChanged.connect(lambda _i: self._what_changed())
        self.target_kind.codeChanged.connect(
            lambda c: self.target_stack.setCurrentIndex(0 if c == "household" else 1))
        for sig in (self.households.changed, self.quantity.textChanged, self.amount.valueChanged):
            sig.connect(lambda *_a: self._update_summary())
        self._what_changed()
        self.finish(620, 560)

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

    def submit(self):
        return self.services.donations.distribute, self.lines()


class CondolenceDialog(FormDialog):
    """慰问 in one step: households, cash and/or goods for each, date."""

    state_key = "dialogs/condolence"

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
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
        self.add_row(self.tr("Date"), self.date, "on")
        self.add_row(self.tr("Households *"), self.households, "household_ids")
        self.add_row(self.tr("Cash each"), self.amount, "amount_each")
        self.add_row(self.tr("Goods each"), self.goods, "goods_each")
        self.add_row(self.tr("Given by"), self.donor, "donor_name")
        self.add_row(self.tr("Purpose"), self.purpose, "purpose")
        self.add_row(self.tr("Handed out by"), self.handler, "handler")
        self.form.addRow("", self.signed)
        self.body.addWidget(self.summary)
        for sig in (self.households.changed, self.amount.valueChanged, self.goods.table.itemChanged):
            sig.connect(lambda *_a: self._update_summary())
        self._update_summary()
        self.finish(680, 600)

    def _update_summary(self) -> None:
        n = len(self.households.ids())
        try:
            each = (self.amount.value() or ZERO) + self.goods.total()
        except ValidationError:
            return
        self.summary.setText(self.tr("{n} households × {each} yuan = {total} yuan").format(
            n=n, each=format_yuan(each), total=format_yuan(each * n)))

    def submit(self):
        data = CondolenceInput(on=self.date.value(), household_ids=self.households.ids(),
                               amount_each=self.amount.value(), goods_each=self.goods.items("goods_each"),
                               donor_name=self.donor.text().strip(), purpose=self.purpose.text(),
                               handler=self.handler.text(), signed=self.signed.isChecked())
        return self.services.donations.condolence, data
