"""``PagedTableModel``: a read-only table over a service's ``count()`` and ``page(offset, limit)``.

Only pages that are looked at are fetched (``PAGE_SIZE`` rows each) and at most ``MAX_PAGES`` are kept, so a list
of 100,000 households never sits in memory. Rows are formatted once when their page arrives: ``data()`` is a
tuple lookup, which keeps scrolling smooth. Subclasses define :attr:`columns`, :meth:`fetch_count`,
:meth:`fetch_page` and :meth:`format_row`.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

PAGE_SIZE = 200
MAX_PAGES = 30

Index = QModelIndex | QPersistentModelIndex
# plain ints: comparing with the enum members costs an attribute lookup per call, and data() is called for every
# role of every visible cell on each paint (~900 calls for one screen of the registry)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_USER = int(Qt.ItemDataRole.UserRole)


class PagedTableModel(QAbstractTableModel):
    #: (header text, sort key or None) per column; header texts are translated by the subclass
    columns: list[tuple[str, str | None]] = []

    def __init__(self, parent=None, page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self.page_size = page_size
        self._total = 0
        self._pages: OrderedDict[int, list[tuple[Any, tuple, dict]]] = OrderedDict()

    # -- to implement ---------------------------------------------------------------------------------------------
    def fetch_count(self) -> int:
        raise NotImplementedError

    def fetch_page(self, offset: int, limit: int, total: int) -> list[Any]:
        raise NotImplementedError

    def format_row(self, item: Any) -> tuple[tuple, dict]:
        """(display texts per column, {(column, role): value} for other roles)."""
        raise NotImplementedError

    # -- API --------------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._total = self.fetch_count()
        self.endResetModel()

    def total(self) -> int:
        return self._total

    def item(self, row: int) -> Any | None:
        entry = self._entry(row)
        return entry[0] if entry else None

    def find_row(self, record_id: str, limit: int = 20_000) -> int:
        """Row of the item whose ``id`` is ``record_id`` (pages are read as needed), or -1."""
        for row in range(min(self._total, limit)):
            item = self.item(row)
            if item is not None and getattr(item, "id", None) == record_id:
                return row
        return -1

    def loaded_pages(self) -> int:
        return len(self._pages)

    # -- Qt ---------------------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None

    def data(self, index: Index, role: int = _DISPLAY):
        entry = self._entry(index.row())  # None for an invalid index (row -1)
        if entry is None:
            return None
        role = int(role)
        if role == _DISPLAY:
            return entry[1][index.column()]
        if role == _USER:
            return entry[0]
        roles = entry[2]
        if not roles:
            return None
        return roles.get((index.column(), role)) or roles.get((-1, role))

    def _entry(self, row: int):
        if not 0 <= row < self._total:
            return None
        number = row // self.page_size
        page = self._pages.get(number)
        if page is None:
            offset = number * self.page_size
            items = self.fetch_page(offset, min(self.page_size, self._total - offset), self._total)
            page = []
            for it in items:
                texts, roles = self.format_row(it)
                page.append((it, texts, roles))
            self._pages[number] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        i = row - number * self.page_size
        return page[i] if i < len(page) else None
