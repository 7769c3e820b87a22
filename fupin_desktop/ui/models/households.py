"""``HouseholdTableModel``: the registry list, backed by SQL paging (``services.households.page``/``count``).

A page cache of 200 rows (see :mod:`.paged`); sorting changes the query's sort key and reloads. 身份证号 and
phone numbers are shown masked (domain.privacy); the full numbers are only on the household page.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QModelIndex, QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from fupin_desktop.domain import codes
from fupin_desktop.domain.privacy import mask_id, mask_phone
from fupin_desktop.services.households import HouseholdQuery, HouseholdRow
from fupin_desktop.ui import style
from fupin_desktop.ui.models.paged import PagedTableModel

COLUMNS = [
    (QT_TRANSLATE_NOOP("HouseholdTableModel", "Household no."), "number"),
    (QT_TRANSLATE_NOOP("HouseholdTableModel", "Head"), "head_name"),
    (QT_TRANSLATE_NOOP("HouseholdTableModel", "Group"), "group_name"),
    (QT_TRANSLATE_NOOP("HouseholdTableModel", "Type"), "household_type"),
    (QT_TRANSLATE_NOOP("HouseholdTableModel", "Monitoring"), None),
    (QT_TRANSLATE_NOOP("HouseholdTableModel", "People"), "member_count"),
    (QT_TRANSLATE_NOOP("HouseholdTableModel", "ID number"), None),
    (QT_TRANSLATE_NOOP("HouseholdTableModel", "Phone"), None),
    (QT_TRANSLATE_NOOP("HouseholdTableModel", "Last visit"), "last_visit_on"),
    (QT_TRANSLATE_NOOP("HouseholdTableModel", "Open problems"), "open_problems"),
]


def monitoring_text(category: str | None, eliminated: bool) -> str:
    if not category:
        return ""
    label = codes.label("monitoring_category", category)
    state = QCoreApplication.translate("HouseholdTableModel", "risk eliminated") if eliminated else \
        QCoreApplication.translate("HouseholdTableModel", "monitored")
    return f"{label}（{state}）"


class HouseholdTableModel(PagedTableModel):
    #: the exact number of rows is known (emitted after a deferred count arrived, or at once when it was exact)
    count_known = Signal(int)

    def __init__(self, services, parent=None, query: HouseholdQuery = HouseholdQuery()):
        super().__init__(parent)
        self.services = services
        self.columns = [(QCoreApplication.translate("HouseholdTableModel", t), key) for t, key in COLUMNS]
        self._query = query
        self._today = services.ctx.today()
        self._generation = 0  # bumped by every reload: a late count of an older query is dropped
        self.counting = False  # True while the total is still being counted in the background
        #: a deferred count waits (in ``_pending``) until :meth:`release_counts` — the page holds it until its first
        #: paint, so that the worker thread does not compete with the first paint for the CPU
        self.hold_counts = False
        self._pending: tuple[int, HouseholdQuery] | None = None

    def query(self) -> HouseholdQuery:
        return self._query

    def set_query(self, query: HouseholdQuery, count_later: bool = False, known_total: int | None = None) -> None:
        """Show the rows of ``query``. ``count_later``: read only the first page now and COUNT in the background
        (a COUNT over 100,000 households is a full scan, ~30 ms; the first page is ~2 ms through an index), so the
        first paint does not wait for it; the rows grow to the full total when the count arrives.
        ``known_total``: the caller knows the count already (all households, unchanged since): no COUNT at all."""
        self._query = query
        self._today = self.services.ctx.today()
        self._generation += 1
        if known_total is not None:
            self.beginResetModel()
            self._pages.clear()
            self._total = known_total
            self.counting = False
            self._pending = None
            self.endResetModel()
            self.count_known.emit(self._total)
            return
        if not count_later:
            self.counting = False
            self._pending = None
            self.reload()
            self.count_known.emit(self._total)
            return
        self.beginResetModel()
        self._pages.clear()
        items = self.fetch_page(0, self.page_size + 1, None)
        exact = len(items) <= self.page_size
        self._pages[0] = [(it, *self.format_row(it)) for it in items[:self.page_size]]
        self._total = len(self._pages[0])
        self.counting = not exact
        self.endResetModel()
        if exact:
            self.count_known.emit(self._total)
            return
        self._pending = (self._generation, query)
        if not self.hold_counts:
            self.release_counts()

    def release_counts(self) -> None:
        """Start the deferred count, if one is waiting; later ones start at once."""
        self.hold_counts = False
        if self._pending is None:
            return
        from fupin_desktop.ui import tasks

        (generation, query), self._pending = self._pending, None
        if generation != self._generation:
            return
        tasks.run_in_background(self.services.households.count, query,
                                on_success=lambda n: self._count_arrived(generation, n), parent=self)

    def _count_arrived(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self.counting = False
        if total > self._total:
            self.beginInsertRows(QModelIndex(), self._total, total - 1)
            self._total = total
            self.endInsertRows()
        self.count_known.emit(self._total)

    def household_id(self, row: int) -> str | None:
        item = self.item(row)
        return item.id if item else None

    def row_of(self, household_id: str) -> int:
        """Row of a household among the loaded pages (-1 if not loaded)."""
        for number, page in self._pages.items():
            for i, (it, _t, _r) in enumerate(page):
                if it.id == household_id:
                    return number * self.page_size + i
        return -1

    # -- PagedTableModel ----------------------------------------------------------------------------------------
    def fetch_count(self) -> int:
        return self.services.households.count(self._query)

    def fetch_page(self, offset: int, limit: int, total: int) -> list[HouseholdRow]:
        return self.services.households.page(self._query, offset, limit, total)

    def format_row(self, r: HouseholdRow):
        last = r.last_visit_on.isoformat() if r.last_visit_on else \
            QCoreApplication.translate("HouseholdTableModel", "never")
        texts = (r.number, r.head_name, r.group_name or "", codes.label("household_type", r.household_type),
                 monitoring_text(r.monitoring_category, r.risk_eliminated), str(r.member_count),
                 mask_id(r.head_id_number), mask_phone(r.phone), last,
                 str(r.open_problems) if r.open_problems else "")
        roles = {}
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        roles[(5, Qt.ItemDataRole.TextAlignmentRole)] = right
        roles[(9, Qt.ItemDataRole.TextAlignmentRole)] = right
        if r.open_problems:
            roles[(9, Qt.ItemDataRole.ForegroundRole)] = QBrush(QColor(style.ERROR))
        if r.monitoring_category and not r.risk_eliminated:
            roles[(4, Qt.ItemDataRole.ForegroundRole)] = QBrush(QColor(style.WARNING))
        if r.last_visit_on is None or (self._today - r.last_visit_on).days > 180:
            roles[(8, Qt.ItemDataRole.ForegroundRole)] = QBrush(QColor(style.MUTED))
        return texts, roles

    # -- sorting ------------------------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column][1] if 0 <= column < len(self.columns) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if key is None or (key == self._query.sort and descending == self._query.descending):
            return  # e.g. setSortingEnabled(True) re-applying the current order: no second query
        # the same rows in another order: the count stays what it is
        self.set_query(replace(self._query, sort=key, descending=descending),
                       known_total=None if self.counting else self._total)

    def sort_column(self) -> int:
        for i, (_t, key) in enumerate(self.columns):
            if key == self._query.sort:
                return i
        return 0


