"""``ColumnChooser``: which columns of a table show — the important ones fit a 1366×768 screen without scrolling
sideways, the rest are a right-click on the header away ("列…" menu). One per table; the choice is remembered.

    self.columns = ColumnChooser(self.table, "households/columns", hidden_by_default={"身份证号", "电话"})

Columns are named by their header text, so tables whose columns come and go (a project list with one column
per funding source) keep the choice; ``set_hidden_by_default`` changes the defaults for headers not yet chosen.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from fupin_desktop.ui.widgets.state import ui_settings


class ColumnChooser(QObject):
    def __init__(self, view: QTableView, key: str, hidden_by_default: Iterable[str] = ()):
        super().__init__(view)
        self.view = view
        self.key = key
        self.defaults = set(hidden_by_default)
        raw = ui_settings().value(f"{key}/choice", "")
        try:
            self.choice: dict[str, bool] = dict(json.loads(raw)) if raw else {}  # header → shown (her choice)
        except (TypeError, ValueError):
            self.choice = {}
        header = view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._menu)
        header.setToolTip(self.tr("Right-click to choose the columns"))
        model = view.model()
        if model is not None:  # bound methods: disconnected when this chooser goes with its table
            model.modelReset.connect(self.apply)
            model.headerDataChanged.connect(self._changed)
            model.columnsInserted.connect(self._changed)
        self.apply()

    def _changed(self, *_args) -> None:
        self.apply()

    def headers(self) -> list[str]:
        model = self.view.model()
        if model is None:
            return []
        return [str(model.headerData(i, Qt.Orientation.Horizontal) or "") for i in range(model.columnCount())]

    def is_shown(self, title: str) -> bool:
        return self.choice.get(title, title not in self.defaults)

    def set_hidden_by_default(self, titles: Iterable[str]) -> None:
        self.defaults = set(titles)
        self.apply()

    def set_shown(self, title: str, shown: bool) -> None:
        self.choice[title] = shown
        ui_settings().setValue(f"{self.key}/choice", json.dumps(sorted(self.choice.items()), ensure_ascii=False))
        self.apply()

    def apply(self) -> None:
        try:
            titles = self.headers()
        except RuntimeError:  # the table is being destroyed (its model clears itself on the way out)
            return
        for i, title in enumerate(titles):
            self.view.setColumnHidden(i, not self.is_shown(title))

    def menu(self) -> QMenu:
        menu = QMenu(self.view)
        menu.addSection(self.tr("Columns shown"))
        titles = self.headers()
        shown = [t for t in titles if self.is_shown(t)]
        for title in titles:
            if not title:
                continue
            action = QAction(title, menu)
            action.setCheckable(True)
            action.setChecked(self.is_shown(title))
            action.setEnabled(not (action.isChecked() and len(shown) == 1))  # never hide the last one
            action.toggled.connect(lambda on, t=title: self.set_shown(t, on))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.tr("Default columns"), self.reset)
        return menu

    def reset(self) -> None:
        self.choice.clear()
        ui_settings().remove(f"{self.key}/choice")
        self.apply()

    def _menu(self, pos: QPoint) -> None:
        header: QHeaderView = self.view.horizontalHeader()
        self.menu().exec(header.mapToGlobal(pos))
