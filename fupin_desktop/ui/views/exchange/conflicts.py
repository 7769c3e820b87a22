"""冲突: the open conflicts of merged 同步包, side by side, each confirmed or changed by a person.

A conflict is a field both sides edited since they last met (or an edit against a deletion). The merge already
applied a deterministic winner; here she sees the value now in use and the one it replaced, with who and when, and
either keeps the value in use or takes the other one (``SyncService.resolve`` in the write pool: taking the other
value is a new edit that travels to the other computers with the next 同步包).
"""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from fupin_desktop.ui import tasks
from fupin_desktop.ui.events import bus
from fupin_desktop.ui.widgets.tables import cell, plain_table

RECORD, FIELD, CURRENT, OTHER, ACTIONS = range(5)


def _local(utc: datetime) -> str:
    return utc.replace(tzinfo=timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")


class ConflictsDialog(QDialog):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.conflicts: list = []
        self.busy = False
        self.setWindowTitle(self.tr("Conflicts"))
        self.resize(1100, 600)
        intro = QLabel(self.tr("Both sides changed these items since they last merged. The value in use was chosen "
                               "automatically (the same on every computer). Keep it, or take the other value: "
                               "your choice travels to the other computers with the next sync package."), self)
        intro.setWordWrap(True)
        self.closed_note = QLabel(self.tr(
            "Changes made on another computer to records of a closed period (结账) were not applied: the value as "
            "closed stays in use. To take the other computer's value, an administrator first reopens the period."),
            self)
        self.closed_note.setObjectName("ClosedNote")
        self.closed_note.setWordWrap(True)
        self.closed_note.setStyleSheet("color: #9a5b00;")
        self.closed_note.setVisible(False)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("ConflictCount")
        self.table = plain_table(self, [self.tr("Record"), self.tr("Item"), self.tr("Value in use"),
                                        self.tr("Other value"), ""])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(True)  # value over who and when: rows as high as their text
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setMinimumSectionSize(48)
        self.table.horizontalHeader().setStretchLastSection(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(RECORD, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FIELD, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(CURRENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(OTHER, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ACTIONS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(RECORD, 260)
        self.table.setColumnWidth(FIELD, 190)
        self.empty = QLabel(self.tr("No open conflicts."), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setVisible(False)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        v = QVBoxLayout(self)
        v.addWidget(intro)
        v.addWidget(self.closed_note)
        v.addWidget(self.count_label)
        v.addWidget(self.table, 1)
        v.addWidget(self.empty, 1)
        v.addWidget(buttons)
        bus().data_changed.connect(self._on_data_changed)
        self.reload()

    # -- data --------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.busy = True
        tasks.run_in_background(self.services.sync.conflicts, on_success=self._loaded, on_failure=self._failed,
                                parent=self)

    def _on_data_changed(self, changes, initiator) -> None:
        self.reload()

    def _loaded(self, conflicts) -> None:
        self.busy = False
        self.conflicts = list(conflicts)
        self._fill()

    def _failed(self, exc) -> None:
        self.busy = False
        tasks.report_error(self, exc)

    def _fill(self) -> None:
        from fupin_desktop.exchange.sync_package import field_label, value_text

        t = self.table
        t.setRowCount(len(self.conflicts))
        unknown = self.tr("unknown")
        for r, c in enumerate(self.conflicts):
            what = self.tr("Deleted on one side, edited on the other") if c.kind == "delete" else field_label(
                c.table, c.field)
            added = c.kind == "closed" and c.field == "*"
            if added:  # a record added on another computer inside a closed period, removed
                what = self.tr("Added inside a closed period")
            elif c.kind == "closed":  # an edit of a closed period made on another computer, held back
                what = (self.tr("Deleted inside a closed period") if c.field == "deleted_at" else
                        self.tr("Changed inside a closed period: {item}").format(item=what))
            as_closed = self.tr("(as closed) ") if c.kind == "closed" else ""
            applied = self.tr("not in the closing: left out") if added else value_text(c.table, c.field,
                                                                                       c.applied_value)
            cells = {
                RECORD: f"{c.table_label}：{c.record}",
                FIELD: what,
                CURRENT: f"{as_closed}{applied}\n"
                         f"— {c.applied_by or unknown}，{_local(c.applied_at)}",
                OTHER: f"{value_text(c.table, c.field, c.other_value)}\n"
                       f"— {c.other_by or unknown}，{_local(c.other_at)}",
            }
            for col, text in cells.items():
                t.setItem(r, col, cell(text, tip=text))
            t.setCellWidget(r, ACTIONS, self._actions(c))
        t.resizeRowsToContents()
        n = len(self.conflicts)
        self.count_label.setText(self.tr("{n} open conflicts").format(n=n))
        self.table.setVisible(n > 0)
        self.closed_note.setVisible(any(c.kind == "closed" for c in self.conflicts))
        self.empty.setVisible(n == 0)

    def _actions(self, conflict) -> QWidget:
        box = QWidget(self.table)
        h = QHBoxLayout(box)
        h.setContentsMargins(6, 2, 6, 2)
        keep = QPushButton(self.tr("Keep value in use"), box)
        keep.setObjectName("KeepButton")
        other = QPushButton(self.tr("Keep the record") if conflict.kind == "delete" or conflict.field == "*"
                            else self.tr("Take other value"), box)
        if conflict.kind == "closed":
            other.setToolTip(self.tr("The period is closed: an administrator reopens it first (反结账), then the "
                                     "other value can be taken"))
        other.setObjectName("TakeOtherButton")
        keep.clicked.connect(lambda: self.resolve(conflict.id, False))
        other.clicked.connect(lambda: self.resolve(conflict.id, True))
        h.addWidget(keep)
        h.addWidget(other)
        return box

    def row_buttons(self, row: int) -> tuple[QPushButton, QPushButton]:
        box = self.table.cellWidget(row, ACTIONS)
        return box.findChild(QPushButton, "KeepButton"), box.findChild(QPushButton, "TakeOtherButton")

    # -- resolving ---------------------------------------------------------------------------------------------
    def resolve(self, conflict_id: str, take_other: bool) -> None:
        self.table.setEnabled(False)
        self.busy = True

        def done(_outcome) -> None:
            self.table.setEnabled(True)
            self.reload()

        def failed(exc) -> None:
            self.table.setEnabled(True)
            self._failed(exc)

        tasks.run_in_background(self.services.sync.resolve, conflict_id, take_other, on_success=done,
                                on_failure=failed, parent=self, writes=True)
