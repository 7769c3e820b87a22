"""捐赠慰问: donations (cash or goods) with their items and distributions, stock on hand, condolence visits."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QSplitter, QStackedWidget, QTabWidget,
    QVBoxLayout, QWidget,
)

from fupin_desktop.domain import codes
from fupin_desktop.domain.money import format_yuan
from fupin_desktop.services.donations import DonationDTO, DonationQuery
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.widgets.household_chooser import cell, plain_table, qty_text
from fupin_desktop.ui.views.donations.dialogs import CondolenceDialog, DistributeDialog, DonationEditor
from fupin_desktop.ui.widgets.page_parts import EmptyState, page_header, primary_button
from fupin_desktop.ui.widgets import CodeCombo, SearchBox, remember_splitter
from fupin_desktop.ui.widgets.columns import ColumnChooser
from fupin_desktop.ui.widgets.refresh import RefreshOnChange
from fupin_desktop.ui.widgets.village_scope import village_scope

ENTITIES = ("donation", "donation_item", "distribution", "donor", "household")


class DonationDetail(QWidget):
    def __init__(self, page: "DonationsPage"):
        super().__init__(page)
        self.page = page
        self.services = page.services
        self.donation: DonationDTO | None = None
        self.title = QLabel(self)
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() + 1.5)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        self.info = QLabel(self)
        self.info.setObjectName("Hint")
        self.info.setWordWrap(True)
        self.distribute_button = QPushButton(self.tr("Distribute…"), self)
        self.distribute_button.setProperty("primary", True)
        self.sign_button = QPushButton(self.tr("Mark signed"), self)
        self.edit_button = QPushButton(self.tr("Edit"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.items = plain_table(self, [self.tr("Item"), self.tr("Quantity"), self.tr("Amount"),
                                        self.tr("Given out"), self.tr("In stock")])
        self.items.setColumnWidth(0, 150)
        for i in (1, 2, 3):
            self.items.setColumnWidth(i, 80)
        self.items.setMaximumHeight(150)
        self.dist = plain_table(self, [self.tr("Date"), self.tr("Recipient"), self.tr("Category"), self.tr("What"),
                                       self.tr("Quantity"), self.tr("Amount"), self.tr("Signed")])
        for i, w in enumerate((90, 110, 100, 90, 50, 80)):
            self.dist.setColumnWidth(i, w)
        # at 1366 px the 发放记录 share the width with the donations list: 类别 is a right-click away
        self.dist_columns = ColumnChooser(self.dist, "donations/distribution_columns",
                                          hidden_by_default=(self.tr("Category"),))
        buttons = QHBoxLayout()
        for b in (self.distribute_button, self.sign_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.items_label = QLabel(self.tr("Items"), self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.info)
        lay.addLayout(buttons)
        lay.addWidget(self.items_label)
        lay.addWidget(self.items)
        self.dist_label = QLabel(self)
        lay.addWidget(self.dist_label)
        lay.addWidget(self.dist, 1)
        self.distribute_button.clicked.connect(lambda: self.page.distribute())
        self.sign_button.clicked.connect(self._sign)
        self.edit_button.clicked.connect(lambda: self.page.edit_donation())
        self.delete_button.clicked.connect(self._delete)
        self.dist.itemSelectionChanged.connect(self._update_sign_button)
        self.show_donation(None)

    def show_donation(self, donation: DonationDTO | None) -> None:
        self.donation = donation
        for b in (self.distribute_button, self.edit_button, self.delete_button):
            b.setEnabled(donation is not None)
        if donation is None:
            self.title.setText(self.tr("Choose a donation in the list"))
            self.info.setText("")
            self.items.setRowCount(0)
            self.dist.setRowCount(0)
            self.dist_label.setText("")
            self._update_sign_button()
            return
        d = donation
        kind = self.tr("Condolence") if d.is_condolence else codes.label("donation_kind", d.kind)
        self.title.setText(f"{d.donor_name}（{codes.label('donor_kind', d.donor_kind)}）· {kind} · "
                           f"{format_yuan(d.amount)}元")
        parts = [self.tr("Received on {date}").format(date=f"{d.received_on:%Y-%m-%d}")]
        if d.receipt_number:
            parts.append(self.tr("Receipt no. {number}").format(number=d.receipt_number))
        if d.purpose:
            parts.append(self.tr("Purpose: {text}").format(text=d.purpose))
        if d.designated_target:
            parts.append(self.tr("Designated target: {text}").format(text=d.designated_target))
        if d.kind == "cash":
            parts.append(self.tr("Cash balance {yuan} yuan").format(yuan=format_yuan(d.cash_balance)))
        self.info.setText(" · ".join(parts))
        self.items_label.setVisible(bool(d.items))
        self.items.setVisible(bool(d.items))
        self.items.setRowCount(len(d.items))
        for r, i in enumerate(d.items):
            unit = i.unit or ""
            self.items.setItem(r, 0, cell(i.title))
            self.items.setItem(r, 1, cell(f"{qty_text(i.quantity)}{unit}", right=True))
            self.items.setItem(r, 2, cell(format_yuan(i.amount), right=True))
            self.items.setItem(r, 3, cell(f"{qty_text(i.distributed)}{unit}", right=True))
            self.items.setItem(r, 4, cell(f"{qty_text(i.on_hand)}{unit}", right=True, bold=i.on_hand > 0))
        rows = self.services.donations.distributions(donation_id=d.id)
        self.dist_label.setText(self.tr("Distributions ({n}, {signed} signed)").format(
            n=len(rows), signed=sum(1 for x in rows if x.signed)))
        self.dist.setRowCount(len(rows))
        for r, x in enumerate(rows):
            self.dist.setItem(r, 0, cell(f"{x.distributed_on:%Y-%m-%d}", data=x.id))
            self.dist.setItem(r, 1, cell(x.target, tip=x.household_number or None))
            self.dist.setItem(r, 2, cell(x.household_category or codes.label("distribution_target_kind",
                                                                               x.target_kind)))
            self.dist.setItem(r, 3, cell(x.item_name or self.tr("Cash")))
            self.dist.setItem(r, 4, cell(f"{qty_text(x.quantity)}{x.item_unit or ''}" if x.item_id else "",
                                         right=True))
            self.dist.setItem(r, 5, cell(format_yuan(x.amount), right=True))
            self.dist.setItem(r, 6, cell((self.tr("✓ signed") + (f"（{x.signed_by}）" if x.signed_by else ""))
                                         if x.signed else self.tr("not signed")))
        self._update_sign_button()

    def _selected_distribution(self) -> str | None:
        r = self.dist.currentRow()
        item = self.dist.item(r, 0) if r >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _update_sign_button(self) -> None:
        self.sign_button.setEnabled(self._selected_distribution() is not None)

    def _sign(self) -> None:
        did = self._selected_distribution()
        if not did:
            return
        r = self.dist.currentRow()
        tasks.run_in_background(self.services.donations.set_signed, did, True, self.dist.item(r, 1).text(),
                                parent=self, writes=True, on_success=self.page.after_own_change)

    def _delete(self) -> None:
        d = self.donation
        if d is None:
            return
        text = self.tr("Delete this donation of {donor} ({date})?").format(donor=d.donor_name,
                                                                          date=f"{d.received_on:%Y-%m-%d}")
        if d.distribution_count:
            text += "\n" + self.tr("Its {n} distribution records are deleted with it.").format(n=d.distribution_count)
        if not messages.confirm(self, text, self.tr("Delete"), destructive=True):
            return
        tasks.run_in_background(self.services.donations.delete, d.id, parent=self, writes=True,
                                on_success=self.page.after_own_change)


class DonationsPage(RefreshOnChange, QWidget):
    WATCHED = ENTITIES

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.rows: list[DonationDTO] = []
        self.last_dialog: QDialog | None = None
        self.new_button = primary_button(self, self.tr("Register donation"), "plus", "Ctrl+N")
        self.new_button.clicked.connect(self.new_donation)
        self.condolence_button = QPushButton(self.tr("Condolence visit…"), self)
        self.condolence_button.clicked.connect(self.new_condolence)
        self.search = SearchBox(self, self.tr("Donor, purpose or receipt no."))
        self.search.setMinimumWidth(240)
        self.kind_combo = CodeCombo("donation_kind", self, empty_text=self.tr("Cash and goods"))
        self.cond_combo = QComboBox(self)
        self.cond_combo.addItem(self.tr("All records"), None)
        self.cond_combo.addItem(self.tr("Donations only"), False)
        self.cond_combo.addItem(self.tr("Condolences only"), True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("Hint")
        self.search.searchChanged.connect(lambda _t: self.reload())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.cond_combo.currentIndexChanged.connect(lambda _i: self.reload())

        self.table = plain_table(self, [self.tr("Received"), self.tr("Donor"), self.tr("Kind"), self.tr("Amount"),
                                        self.tr("Purpose"), self.tr("Left")])
        for i, w in enumerate((88, 128, 50, 88, 104)):
            self.table.setColumnWidth(i, w)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_donation())
        self.empty = EmptyState(self)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)
        self.detail = DonationDetail(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.detail)
        self.splitter.setSizes([560, 560])
        remember_splitter(self.splitter, "donations/splitter")

        register = QWidget(self)
        rv = QVBoxLayout(register)
        rv.setContentsMargins(0, 6, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.kind_combo)
        filters.addWidget(self.cond_combo)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        rv.addLayout(filters)
        rv.addWidget(self.splitter, 1)

        stock = QWidget(self)
        sv = QVBoxLayout(stock)
        sv.setContentsMargins(0, 6, 0, 0)
        self.only_on_hand = QComboBox(self)
        self.only_on_hand.addItem(self.tr("Items still in stock"), True)
        self.only_on_hand.addItem(self.tr("All items"), False)
        self.only_on_hand.currentIndexChanged.connect(lambda _i: self.reload_stock())
        self.stock = plain_table(self, [self.tr("Item"), self.tr("Donor"), self.tr("Received"),
                                        self.tr("Received qty"), self.tr("Given out"), self.tr("In stock")])
        for i, w in enumerate((200, 200, 100, 100, 100)):
            self.stock.setColumnWidth(i, w)
        self.cash = plain_table(self, [self.tr("Cash donation"), self.tr("Received"), self.tr("Amount"),
                                       self.tr("Given out"), self.tr("Balance")])
        for i, w in enumerate((200, 100, 120, 120)):
            self.cash.setColumnWidth(i, w)
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("Goods on hand = received − given out"), self))
        head.addStretch(1)
        head.addWidget(self.only_on_hand)
        sv.addLayout(head)
        sv.addWidget(self.stock, 3)
        sv.addWidget(QLabel(self.tr("Cash balance = received − given out"), self))
        sv.addWidget(self.cash, 2)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(register, self.tr("Donations"))
        self.tabs.addTab(stock, self.tr("Stock and balance"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 14, 20, 10)
        lay.addLayout(page_header(self, self.tr("Donations and condolences"), self.condolence_button,
                                  self.new_button))
        lay.addWidget(self.tabs, 1)
        self.watch_changes()
        self.reload()

    def query(self) -> DonationQuery:
        return DonationQuery(kind=self.kind_combo.code(), condolence=self.cond_combo.currentData(),
                             text=self.search.query(), village_id=village_scope().village_id)

    def reload(self, select_id: str | None = None) -> None:
        keep = select_id or (self.detail.donation.id if self.detail.donation else None)
        q = self.query()
        self.rows = self.services.donations.list(q)
        t = self.table
        t.setRowCount(len(self.rows))
        for r, d in enumerate(self.rows):
            kind = self.tr("Condolence") if d.is_condolence else codes.label("donation_kind", d.kind)
            if d.kind == "cash":
                left = f"{format_yuan(d.cash_balance)}元"
            else:
                on_hand = [i for i in d.items if i.on_hand > 0]
                left = self.tr("{n} items in stock").format(n=len(on_hand)) if on_hand else self.tr("all given out")
            t.setItem(r, 0, cell(f"{d.received_on:%Y-%m-%d}", data=d.id))
            t.setItem(r, 1, cell(d.donor_name))
            t.setItem(r, 2, cell(kind))
            t.setItem(r, 3, cell(format_yuan(d.amount), right=True))
            t.setItem(r, 4, cell(d.purpose or ""))
            t.setItem(r, 5, cell(left))
        total = sum((d.amount for d in self.rows), start=0)
        self.count_label.setText(self.tr("{n} records · {yuan} yuan").format(n=len(self.rows),
                                                                             yuan=format_yuan(total)))
        filtered = q != DonationQuery(village_id=q.village_id)
        if self.rows:
            self.list_stack.setCurrentWidget(self.table)
        elif filtered:
            self.list_stack.setCurrentWidget(self.empty)
            self.empty.set(self.tr("No record matches the filters."))
        else:
            self.list_stack.setCurrentWidget(self.empty)
            self.empty.set(self.tr("No donations yet. Register what the village received, then record who got it."),
                           self.tr("Register donation"), self.new_donation)
        ids = [d.id for d in self.rows]
        row = ids.index(keep) if keep in ids else (0 if ids else -1)
        if row >= 0:
            self.table.selectRow(row)
        self.detail.show_donation(self.rows[row] if row >= 0 else None)
        self.reload_stock()

    def reload_stock(self) -> None:
        village = village_scope().village_id
        rows = self.services.donations.stock(only_on_hand=self.only_on_hand.currentData(), village_id=village)
        self.stock.setRowCount(len(rows))
        for r, s in enumerate(rows):
            u = s.unit or ""
            self.stock.setItem(r, 0, cell(s.title))
            self.stock.setItem(r, 1, cell(s.donor_name))
            self.stock.setItem(r, 2, cell(f"{s.received_on:%Y-%m-%d}"))
            self.stock.setItem(r, 3, cell(f"{qty_text(s.received)}{u}", right=True))
            self.stock.setItem(r, 4, cell(f"{qty_text(s.distributed)}{u}", right=True))
            self.stock.setItem(r, 5, cell(f"{qty_text(s.on_hand)}{u}", right=True, bold=True))
        cash = self.services.donations.cash_balances(village)
        self.cash.setRowCount(len(cash))
        for r, c in enumerate(cash):
            self.cash.setItem(r, 0, cell(c.donor_name))
            self.cash.setItem(r, 1, cell(f"{c.received_on:%Y-%m-%d}"))
            self.cash.setItem(r, 2, cell(format_yuan(c.amount), right=True))
            self.cash.setItem(r, 3, cell(format_yuan(c.distributed), right=True))
            self.cash.setItem(r, 4, cell(format_yuan(c.balance), right=True, bold=True))

    def current(self) -> DonationDTO | None:
        return self.detail.donation

    def _selection_changed(self) -> None:
        r = self.table.currentRow()
        if 0 <= r < len(self.rows):
            self.detail.show_donation(self.rows[r])

    def refresh(self) -> None:
        self.reload()

    # -- actions --------------------------------------------------------------------------------------------------
    def _open(self, dlg: QDialog) -> QDialog:
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def new_donation(self) -> DonationEditor:
        dlg = DonationEditor(self.services, self)
        dlg.accepted.connect(lambda: self.reload(dlg.saved_id))
        return self._open(dlg)

    def edit_donation(self) -> DonationEditor | None:
        d = self.current()
        if d is None:
            return None
        if d.is_condolence:
            messages.info(self, self.tr("A condolence visit is recorded in one step; delete it and record it "
                                        "again to change it."))
            return None
        dlg = DonationEditor(self.services, self, d)
        dlg.accepted.connect(lambda: self.reload(dlg.saved_id))
        return self._open(dlg)

    def distribute(self) -> DistributeDialog | None:
        d = self.current()
        if d is None:
            return None
        dlg = DistributeDialog(self.services, d, self)
        dlg.accepted.connect(lambda: self.reload(d.id))
        return self._open(dlg)

    def new_condolence(self) -> CondolenceDialog:
        dlg = CondolenceDialog(self.services, self)
        dlg.accepted.connect(lambda: self.reload(dlg.saved_id))
        return self._open(dlg)
