"""Tables, one way: the look of every list (``setup_table`` for model views, ``plain_table`` for small item
tables), a cell, rows filled from tuples, column widths from sample texts."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTableWidget, QTableWidgetItem, QWidget

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def setup_table(view: QTableView, row_height: int | None = None) -> None:
    """The look of every list: whole-row selection, fixed row height (fast with big models), no grid."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    vh = view.verticalHeader()
    vh.setVisible(False)
    vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vh.setDefaultSectionSize(row_height or max(30, view.fontMetrics().height() + 12))
    hh = view.horizontalHeader()
    hh.setHighlightSections(False)
    hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    hh.setStretchLastSection(True)


def plain_table(parent: QWidget | None, headers: list[str]) -> QTableWidget:
    """A small read-only item table with the look of every list (columns the user can resize)."""
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(headers)
    setup_table(t, max(28, t.fontMetrics().height() + 10))
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return t


def cell(text: str, *, right: bool = False, bold: bool = False, data=None, tip: str | None = None,
         editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(RIGHT)
    if bold:
        f = QFont(item.font())
        f.setBold(True)
        item.setFont(f)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if tip:
        item.setToolTip(tip)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def fill_rows(table: QTableWidget, rows: list[tuple], ids: list | None = None) -> None:
    """Replace the rows (``None`` shows empty); ``ids[r]`` is kept in each cell's UserRole."""
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.setItem(r, c, cell("" if v is None else str(v), data=ids[r] if ids is not None else None))


def fit_columns(table: QTableWidget, samples: tuple[str, ...]) -> None:
    """Column widths from sample texts in the table's font (the bundled CJK font is wider than Latin ones)."""
    fm = table.fontMetrics()
    for i, sample in enumerate(samples):
        table.setColumnWidth(i, fm.horizontalAdvance(sample) + 18)


UNMAPPED_BACKGROUND = "#FDF3E1"  # a light tint of style.WARNING


def mark_unmapped(item: QTableWidgetItem, on: bool) -> None:
    """A column of a file that will not be imported / filled (mapping tables of the exchange dialogs): tinted, in the
    warning colour and bold, so nobody leaves a column out unawares."""
    from PySide6.QtGui import QBrush, QColor

    from fupin_desktop.ui.style import WARNING

    item.setBackground(QBrush(QColor(UNMAPPED_BACKGROUND)) if on else QBrush())
    item.setForeground(QBrush(QColor(WARNING)) if on else QBrush())
    font = QFont(item.font())
    font.setBold(on)
    item.setFont(font)
