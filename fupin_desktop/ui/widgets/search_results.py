"""``SearchResults``: the drop-down list under the global search box — results grouped under a heading per kind
of record; ↑/↓ move between hits (headings are skipped), Enter or a click opens one, Esc closes the list.

The list is a child panel of the window, not a popup window: the search box keeps the keyboard focus while she
types, and the box forwards ↑/↓/Enter/Esc here (:meth:`handle_key`).
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_HEIGHT = 460


class SearchResults(QFrame):
    """``opened(object)`` carries the chosen hit (an object with ``kind``, ``record_id``…; the service's
    SearchHit). ``show_groups(groups)`` fills the list from groups with ``title``, ``hits`` and ``more``."""

    opened = Signal(object)

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("SearchResults")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.list = QListWidget(self)
        self.list.setObjectName("SearchResultsList")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the search box keeps the keyboard
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemClicked.connect(self._clicked)
        self.empty = QLabel(self)
        self.empty.setObjectName("Hint")
        self.empty.setContentsMargins(10, 8, 10, 8)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(1, 1, 1, 1)
        lay.addWidget(self.list)
        lay.addWidget(self.empty)
        self.hide()

    # -- content --------------------------------------------------------------------------------------------------
    def show_groups(self, groups, query: str) -> None:
        self.list.clear()
        row_height = self.fontMetrics().height() * 2 + 14
        bold = QFont(self.font())
        bold.setBold(True)
        for g in groups:
            head = QListWidgetItem(g.title + (self.tr(" (more: refine the words)") if g.more else ""))
            head.setFlags(Qt.ItemFlag.NoItemFlags)
            head.setFont(bold)
            head.setForeground(self.palette().placeholderText())
            self.list.addItem(head)
            for hit in g.hits:
                item = QListWidgetItem(f"{hit.title}\n{hit.detail}" if hit.detail else hit.title)
                item.setData(HIT_ROLE, hit)
                item.setSizeHint(QSize(0, row_height))
                item.setToolTip(f"{hit.title}\n{hit.detail}" if hit.detail else hit.title)
                self.list.addItem(item)
        has = self.list.count() > 0
        self.list.setVisible(has)
        self.empty.setVisible(not has)
        self.empty.setText(self.tr("Nothing found for “{q}”.").format(q=query))
        self._select_step(0, 1)
        self.list.scrollToTop()  # the first group's heading stays in view
        self._place()
        self.show()
        self.raise_()

    def hits(self) -> list:
        return [self.list.item(i).data(HIT_ROLE) for i in range(self.list.count())
                if self.list.item(i).data(HIT_ROLE) is not None]

    def current_hit(self):
        item = self.list.currentItem()
        return item.data(HIT_ROLE) if item is not None else None

    # -- keyboard (forwarded by the search box) -------------------------------------------------------------------
    def handle_key(self, key: int) -> bool:
        """True if the key was used: ↑/↓ move, PgUp/PgDn jump, Enter opens, Esc closes."""
        if not self.isVisible():
            return False
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            self._select_step(self.list.currentRow() + step, step)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            hit = self.current_hit()
            if hit is not None:
                self.hide()
                self.opened.emit(hit)
            return True
        if key == Qt.Key.Key_Escape:
            self.hide()
            return True
        return False

    def _select_step(self, row: int, step: int) -> None:
        n = self.list.count()
        while 0 <= row < n:
            if self.list.item(row).data(HIT_ROLE) is not None:
                self.list.setCurrentRow(row)
                self.list.scrollToItem(self.list.item(row))
                return
            row += step
        if step < 0 and self.list.currentRow() > 0:  # above the first hit: keep the first hit, show its heading
            self.list.scrollToTop()

    def _clicked(self, item: QListWidgetItem) -> None:
        hit = item.data(HIT_ROLE)
        if hit is not None:
            self.hide()
            self.opened.emit(hit)

    # -- placement ------------------------------------------------------------------------------------------------
    def anchor_to(self, widget: QWidget) -> None:
        self._anchor = widget
        self._place()

    def _place(self) -> None:
        anchor = getattr(self, "_anchor", None)
        parent = self.parentWidget()
        if anchor is None or parent is None:
            return
        pos = anchor.mapTo(parent, QPoint(0, anchor.height() + 2))
        width = max(anchor.width(), 420)
        rows = sum(self.list.sizeHintForRow(i) if self.list.sizeHintForRow(i) > 0 else 24
                   for i in range(self.list.count()))
        height = min(MAX_HEIGHT, max(rows + 8, 44), parent.height() - pos.y() - 8)
        self.setGeometry(pos.x(), pos.y(), min(width, parent.width() - pos.x() - 8), height)
