"""消费帮扶: purchases of farm products (date, buyer unit, product, amount, channel, households benefiting)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
    QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.domain.money import format_yuan
from fupin_desktop.services.purchases import PurchaseDTO, PurchaseInput, PurchaseQuery
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.widgets.household_chooser import HouseholdChooser, cell, parse_quantity, plain_table, qty_text
from fupin_desktop.ui.widgets.page_parts import EmptyState, page_header, primary_button
from fupin_desktop.ui.widgets import (
    CodeCombo, DateEdit, MoneyEdit, SearchBox, remember_splitter,
)
from fupin_desktop.ui.widgets.form_dialog import FormDialog
from fupin_desktop.ui.widgets.refresh import RefreshOnChange
from fupin_desktop.ui.widgets.village_scope import village_scope

ENTITIES = ("purchase", "purchase_household", "household")


class PurchaseEditor(FormDialog):
    state_key = "dialogs/purchase_editor"

    def __init__(self, services, parent: QWidget | None = None, purchase: PurchaseDTO | None = None):
        super().__init__(parent)
        self.services = services
        self.purchase = purchase
        self.setWindowTitle(self.tr("Edit purchase") if purchase else self.tr("Record a purchase"))
        self.date = DateEdit(self, value=services.ctx.today())
        self.buyer = QLineEdit(self)
        village = services.village.get()
        self.buyer.setPlaceholderText(self.tr("e.g. the canteen or trade union of the dispatching unit"))
        if village and village.dispatch_unit and not purchase:
            self.buyer.setText(village.dispatch_unit)
        self.product = QLineEdit(self)
        self.supplier = QLineEdit(self)
        self.supplier.setPlaceholderText(self.tr("Household, cooperative or enterprise"))
        self.origin = QLineEdit(self)
        self.quantity = QLineEdit(self)
        self.unit = QLineEdit(self)
        self.unit.setMaximumWidth(80)
        self.amount = MoneyEdit(self, field="amount")
        self.channel = CodeCombo("purchase_channel", self)
        self.channel.set_code("platform832")
        self.benefiting = QSpinBox(self)
        self.benefiting.setRange(0, 100000)
        self.benefiting.setSpecialValueText(self.tr("(count of chosen households)"))
        self.households = HouseholdChooser(services, self, max_height=100)
        self.note = QLineEdit(self)

        self.add_row(self.tr("Date"), self.date, "purchase_date")
        self.add_row(self.tr("Buyer unit *"), self.buyer, "buyer_unit")
        self.add_row(self.tr("Product *"), self.product, "product")
        self.add_row(self.tr("Supplier"), self.supplier, "supplier")
        self.add_row(self.tr("Origin (county/village)"), self.origin, "origin")
        qty = QWidget(self)
        qh = QHBoxLayout(qty)
        qh.setContentsMargins(0, 0, 0, 0)
        qh.addWidget(self.quantity, 1)
        qh.addWidget(QLabel(self.tr("unit"), self))
        qh.addWidget(self.unit)
        self.add_row(self.tr("Quantity"), qty, "quantity")
        self.add_row(self.tr("Amount *"), self.amount, "amount")
        self.add_row(self.tr("Channel"), self.channel, "channel")
        self.add_row(self.tr("Households benefiting"), self.benefiting, "households_benefiting")
        self.add_row(self.tr("Households (from the registry)"), self.households, "household_ids")
        self.add_row(self.tr("Note"), self.note, "note")
        if purchase:
            self._load(purchase)
        self.finish(620, 600)

    def _load(self, p: PurchaseDTO) -> None:
        self.date.setValue(p.purchase_date)
        self.buyer.setText(p.buyer_unit)
        self.product.setText(p.product)
        self.supplier.setText(p.supplier or "")
        self.origin.setText(p.origin or "")
        self.quantity.setText(qty_text(p.quantity) if p.quantity is not None else "")
        self.unit.setText(p.unit or "")
        self.amount.setValue(p.amount)
        self.channel.set_code(p.channel)
        self.households.set_households([(h.household_id, h.head_name, h.number, h.category) for h in p.households])
        if p.households_benefiting and p.households_benefiting != len(p.households):
            self.benefiting.setValue(p.households_benefiting)
        self.note.setText(p.note or "")

    def purchase_input(self) -> PurchaseInput:
        q = self.quantity.text().strip()
        return PurchaseInput(
            purchase_date=self.date.value(), buyer_unit=self.buyer.text(), product=self.product.text(),
            amount=self.amount.value(), channel=self.channel.code(), supplier=self.supplier.text(),
            origin=self.origin.text(), quantity=parse_quantity(q) if q else None, unit=self.unit.text(),
            households_benefiting=self.benefiting.value() or None, household_ids=self.households.ids(),
            note=self.note.text())

    def submit(self):
        data = self.purchase_input()
        if self.purchase:
            return self.services.purchases.update, self.purchase.id, data
        return self.services.purchases.create, data


class PurchasesPage(RefreshOnChange, QWidget):
    WATCHED = ENTITIES

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.rows: list[PurchaseDTO] = []
        self.last_dialog: QDialog | None = None
        self.new_button = primary_button(self, self.tr("Record purchase"), "plus", "Ctrl+N")
        self.new_button.clicked.connect(self.new_purchase)
        self.search = SearchBox(self, self.tr("Buyer, product or supplier"))
        self.search.setMinimumWidth(240)
        self.year_combo = QComboBox(self)
        self.year_combo.addItem(self.tr("All years"), None)
        this_year = services.ctx.today().year
        for y in range(this_year, this_year - 6, -1):
            self.year_combo.addItem(self.tr("Year {year}").format(year=y), y)
        self.channel_combo = CodeCombo("purchase_channel", self, empty_text=self.tr("All channels"))
        self.totals_label = QLabel(self)
        self.totals_label.setObjectName("PurchaseTotals")
        self.totals_label.setWordWrap(True)
        self.search.searchChanged.connect(lambda _t: self.reload())
        self.year_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.channel_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.table = plain_table(self, [self.tr("Date"), self.tr("Buyer unit"), self.tr("Product"),
                                        self.tr("Supplier"), self.tr("Quantity"), self.tr("Amount (yuan)"),
                                        self.tr("Channel"), self.tr("Households")])
        for i, w in enumerate((86, 150, 70, 120, 70, 96, 66)):
            self.table.setColumnWidth(i, w)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_purchase())
        self.empty = EmptyState(self)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self.detail = QWidget(self)
        dv = QVBoxLayout(self.detail)
        dv.setContentsMargins(6, 0, 0, 0)
        self.detail_title = QLabel(self.detail)
        f = self.detail_title.font()
        f.setBold(True)
        self.detail_title.setFont(f)
        self.detail_title.setWordWrap(True)
        self.detail_info = QLabel(self.detail)
        self.detail_info.setWordWrap(True)
        self.detail_info.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.edit_button = QPushButton(self.tr("Edit"), self.detail)
        self.delete_button = QPushButton(self.tr("Delete"), self.detail)
        self.edit_button.clicked.connect(self.edit_purchase)
        self.delete_button.clicked.connect(self.delete_purchase)
        self.hh_table = plain_table(self.detail, [self.tr("Head of household"), self.tr("Household no."),
                                                  self.tr("Category")])
        self.hh_table.setColumnWidth(0, 90)
        self.hh_table.setColumnWidth(1, 130)
        bh = QHBoxLayout()
        bh.addWidget(self.edit_button)
        bh.addWidget(self.delete_button)
        bh.addStretch(1)
        dv.addWidget(self.detail_title)
        dv.addLayout(bh)
        dv.addWidget(self.detail_info)
        dv.addWidget(QLabel(self.tr("Households benefiting (from the registry)"), self.detail))
        dv.addWidget(self.hh_table, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setSizes([800, 330])
        remember_splitter(self.splitter, "purchases/splitter")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.year_combo)
        filters.addWidget(self.channel_combo)
        filters.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 14, 20, 10)
        lay.addLayout(page_header(self, self.tr("Consumption support"), self.new_button))
        lay.addLayout(filters)
        lay.addWidget(self.totals_label)
        lay.addWidget(self.splitter, 1)
        self.watch_changes()
        self.reload()

    def query(self) -> PurchaseQuery:
        y = self.year_combo.currentData()
        return PurchaseQuery(start=date(y, 1, 1) if y else None, end=date(y, 12, 31) if y else None,
                             channel=self.channel_combo.code(), text=self.search.query(),
                             village_id=village_scope().village_id)

    def reload(self, select_id: str | None = None) -> None:
        keep = select_id or self.current_id()
        q = self.query()
        self.rows = self.services.purchases.list(q)
        totals = self.services.purchases.totals(q)
        t = self.table
        t.setRowCount(len(self.rows))
        for r, p in enumerate(self.rows):
            t.setItem(r, 0, cell(f"{p.purchase_date:%Y-%m-%d}", data=p.id))
            t.setItem(r, 1, cell(p.buyer_unit))
            t.setItem(r, 2, cell(p.product))
            t.setItem(r, 3, cell(p.supplier or ""))
            t.setItem(r, 4, cell(f"{qty_text(p.quantity)}{p.unit or ''}" if p.quantity is not None else "",
                                 right=True))
            t.setItem(r, 5, cell(format_yuan(p.amount), right=True))
            t.setItem(r, 6, cell(codes.label("purchase_channel", p.channel)))
            t.setItem(r, 7, cell(str(p.households_benefiting) if p.households_benefiting else "", right=True))
        parts = [f"{codes.label('purchase_channel', c.channel)} {format_yuan(c.amount)}元（{c.count}笔）"
                 for c in totals.by_channel]
        self.totals_label.setText(self.tr("{n} purchases · total {yuan} yuan · households benefiting {hh}").format(
            n=totals.count, yuan=format_yuan(totals.amount), hh=totals.households_benefiting)
            + (("  ·  " + "，".join(parts)) if parts else ""))
        if self.rows:
            self.list_stack.setCurrentWidget(self.table)
        elif q != PurchaseQuery(village_id=q.village_id):
            self.list_stack.setCurrentWidget(self.empty)
            self.empty.set(self.tr("No purchase matches the filters."))
        else:
            self.list_stack.setCurrentWidget(self.empty)
            self.empty.set(self.tr("No purchases yet. Record what units bought from the village's households "
                                   "(832 platform, direct purchase, fairs)."), self.tr("Record purchase"),
                           self.new_purchase)
        ids = [p.id for p in self.rows]
        row = ids.index(keep) if keep in ids else (0 if ids else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._show(self.rows[row] if row >= 0 else None)

    def current_id(self) -> str | None:
        return getattr(self, "_current", None).id if getattr(self, "_current", None) else None

    def _show(self, p: PurchaseDTO | None) -> None:
        self._current = p
        self.edit_button.setEnabled(p is not None)
        self.delete_button.setEnabled(p is not None)
        if p is None:
            self.detail_title.setText(self.tr("Choose a purchase in the list"))
            self.detail_info.setText("")
            self.hh_table.setRowCount(0)
            return
        self.detail_title.setText(f"{p.product} · {format_yuan(p.amount)}元")
        lines = [self.tr("Date: {text}").format(text=f"{p.purchase_date:%Y-%m-%d}"),
                 self.tr("Buyer unit: {text}").format(text=p.buyer_unit),
                 self.tr("Channel: {text}").format(text=codes.label("purchase_channel", p.channel))]
        if p.supplier:
            lines.append(self.tr("Supplier: {text}").format(text=p.supplier))
        if p.origin:
            lines.append(self.tr("Origin: {text}").format(text=p.origin))
        lines.append(self.tr("Households benefiting: {n}").format(n=p.households_benefiting or 0))
        if p.note:
            lines.append(p.note)
        self.detail_info.setText("\n".join(lines))
        self.hh_table.setRowCount(len(p.households))
        for r, h in enumerate(p.households):
            self.hh_table.setItem(r, 0, cell(h.head_name))
            self.hh_table.setItem(r, 1, cell(h.number))
            self.hh_table.setItem(r, 2, cell(h.category))

    def _selection_changed(self) -> None:
        r = self.table.currentRow()
        if 0 <= r < len(self.rows):
            self._show(self.rows[r])

    def refresh(self) -> None:
        self.reload()

    def new_purchase(self) -> PurchaseEditor:
        dlg = PurchaseEditor(self.services, self)
        dlg.accepted.connect(lambda: self.reload(dlg.saved_id))
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def edit_purchase(self) -> PurchaseEditor | None:
        if self._current is None:
            return None
        dlg = PurchaseEditor(self.services, self, self._current)
        dlg.accepted.connect(lambda: self.reload(dlg.saved_id))
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def delete_purchase(self) -> None:
        p = self._current
        if p is None:
            return
        if not messages.confirm(self, self.tr("Delete the purchase of {product} by {buyer}?").format(
                product=p.product, buyer=p.buyer_unit), self.tr("Delete"), destructive=True):
            return
        tasks.run_in_background(self.services.purchases.delete, p.id, parent=self, writes=True,
                                on_success=self.after_own_change)
