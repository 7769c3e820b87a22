"""同步包 in the window: 生成同步包 (:func:`pack_to_file`) and 合并同步包 (:class:`MergeDialog`).

The service side is ``services.sync`` (pack_state / merge); the file is ``exchange.sync_package``. Everything that
touches the database runs in the write pool (``tasks.run_in_background(..., writes=True)``): packing too, because
the installation's signing key is made on first use.

Merging is two passes over the same packages: a check (``merge(check=True)``, rolled back) tells whether a sender
is new to this computer; its signing fingerprint is then shown for her to compare with the sender's screen before
the real merge pins it. The check also guarantees the real merge will not fail half-way for a reason the check saw.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QListWidget,
    QPushButton, QVBoxLayout, QWidget,
)

from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.events import bus
from fupin_desktop.ui.widgets.save_path import ask_save_path, remember_folder, save_folder
from fupin_desktop.ui.widgets.tables import cell, plain_table


# lupdate reads the literal context of every translate("Context", "text") call.
translate = QCoreApplication.translate


def sync_filter() -> str:
    return translate("SyncPackage", "Sync package (*.fupin)")


def pack_to_file(services, parent: QWidget, target: Path | None = None):
    """生成同步包: ask where (the remembered export folder or a USB stick), write it in the write pool, then the
    shared “file saved” message with the fingerprint the receiver will be shown. Returns the task (None when she
    cancelled the file dialog)."""
    from fupin_desktop.exchange.sync_package import pack_name, write_sync_package

    if target is None:
        village = services.village.get()
        name = pack_name(getattr(village, "name", "") or "", datetime.now())
        target = ask_save_path(parent, translate("SyncPackage", "Save sync package"), name, sync_filter())
        if target is None:
            return None

    def work(*, progress, cancel):
        state = services.sync.pack_state(progress=progress, cancel=cancel.raise_if_cancelled)
        cancel.raise_if_cancelled()
        return write_sync_package(state, target)

    def done(result) -> None:
        remember_folder(result.path)
        text = translate("SyncPackage", "{records} records and {files} attachments.\nSigning fingerprint of this "
                         "computer:\n{fingerprint}\n(the other computer shows it on its first merge: compare them)"
                         ).format(records=result.records, files=result.attachments, fingerprint=result.fingerprint)
        if result.missing_files:
            text += "\n" + translate("SyncPackage", "{n} attachments are missing from this computer and were left "
                                                    "out.").format(n=len(result.missing_files))
        messages.file_saved(parent, result.path, text, translate("SyncPackage", "Sync package saved"))

    return tasks.run_in_background(work, on_success=done,
                                   progress_title=translate("SyncPackage", "Writing sync package"),
                                   cancellable=True, parent=parent, writes=True)


def _merged_changes(report):
    """What a merge changed, for the pages listening on the bus: every record kind it added to or updated (the
    service reports only ("sync", "merge"), its rows are written below the session's change tracking)."""
    from fupin_desktop.services.base import Changes

    tables = {k.table for p in report.packages for k in p.kinds if k.new or k.updated or k.conflicts}
    return Changes(updated=frozenset({(t, "*") for t in tables} | {("sync", "merge"), ("sync_conflict", "*")}))


class MergeDialog(QDialog):
    """Choose one or many .fupin files → check → (first merge: confirm the fingerprint) → merge → the report."""

    merged = Signal(object)  # the MergeReport

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.report = None
        self.task = None
        self.setWindowTitle(self.tr("Merge sync packages"))
        self.resize(760, 560)
        intro = QLabel(self.tr("Choose the sync packages (.fupin) made on the team's other laptops or by the "
                               "villages. Several at once is fine. A backup is made before merging; a merge is "
                               "all or nothing."), self)
        intro.setWordWrap(True)
        self.files = QListWidget(self)
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.files.setMaximumHeight(80)
        self.add_button = QPushButton(self.tr("Add files…"), self)
        self.add_button.clicked.connect(self._browse)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.clicked.connect(self._remove)
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.files, 1)
        row.addLayout(side)

        self.summary = QLabel(self)
        font = QFont(self.summary.font())
        font.setBold(True)
        self.summary.setFont(font)
        self.summary.setObjectName("MergeSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = plain_table(self, [self.tr("Package"), self.tr("Record kind"), self.tr("New"),
                                         self.tr("Updated"), self.tr("Unchanged"), self.tr("Conflicts")])
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for c in range(2, 6):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(0, 220)
        self.notes = QLabel(self)
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setVisible(False)
        self.table.setVisible(False)
        self.notes.setVisible(False)

        self.buttons = QDialogButtonBox(self)
        self.merge_button = self.buttons.addButton(self.tr("Merge"), QDialogButtonBox.ButtonRole.ActionRole)
        self.merge_button.setDefault(True)
        self.merge_button.clicked.connect(self.start_merge)
        self.conflicts_button = self.buttons.addButton(self.tr("Resolve conflicts…"),
                                                       QDialogButtonBox.ButtonRole.ActionRole)
        self.conflicts_button.clicked.connect(self.open_conflicts)
        self.conflicts_button.setVisible(False)
        self.close_button = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)

        v = QVBoxLayout(self)
        v.addWidget(intro)
        v.addLayout(row)
        v.addWidget(self.summary)
        v.addWidget(self.table, 1)
        v.addWidget(self.notes)
        v.addStretch(0)
        v.addWidget(self.buttons)
        self._refresh_buttons()

    # -- files -------------------------------------------------------------------------------------------------
    def add_files(self, paths) -> None:
        have = set(self.paths())
        for p in paths:
            p = str(Path(p))
            if p not in have:
                self.files.addItem(p)
                have.add(p)
        self._refresh_buttons()

    def paths(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose sync packages"), str(save_folder()),
                                                 sync_filter())
        if chosen:
            remember_folder(chosen[0])
            self.add_files(chosen)

    def _remove(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self._refresh_buttons()

    def _refresh_buttons(self, busy: bool = False) -> None:
        self.merge_button.setEnabled(not busy and self.files.count() > 0)
        self.add_button.setEnabled(not busy)
        self.remove_button.setEnabled(not busy)

    # -- merging -----------------------------------------------------------------------------------------------
    def start_merge(self) -> None:
        files = self.paths()
        if not files:
            messages.error(self, self.tr("Add the sync packages to merge first."))
            return
        sheets = [Path(f).name for f in files if Path(f).suffix.lower() in (".xlsx", ".xls")]
        if sheets:
            messages.error(self, self.tr("“{name}” is an upward report (Excel, for people to read) and cannot be "
                                         "merged. Ask the sender for a sync package (数据交换 → 生成同步包).").format(
                name=sheets[0]))
            return
        sync = self.services.sync

        def check(*, progress, cancel):
            from fupin_desktop.exchange.sync_package import read_many

            packages = read_many(files)
            cancel.raise_if_cancelled()
            return packages, sync.merge(packages, check=True, progress=progress,
                                        cancel=cancel.raise_if_cancelled).value

        self._refresh_buttons(busy=True)
        self.task = tasks.run_in_background(check, on_success=self._checked, on_failure=self._failed,
                                            on_cancelled=self._stopped, progress_title=self.tr("Checking packages"),
                                            cancellable=True, parent=self, writes=True)

    def _checked(self, result) -> None:
        packages, plan = result
        first = [p for p in plan.packages if p.first_time]
        if first:
            lines = "\n".join(self.tr("{village} ({file}):\n{fingerprint}").format(
                village=p.village or self.tr("unknown village"), file=p.source, fingerprint=p.fingerprint)
                for p in first)
            text = self.tr("This is the first merge from these computers. Compare each signing fingerprint with "
                           "the one shown on the sender's computer when the package was made:\n\n{lines}\n\n"
                           "Merge only if they are the same.").format(lines=lines)
            if not messages.confirm(self, text, self.tr("Fingerprints match, merge")):
                self._stopped()
                return
        sync = self.services.sync

        def merge(*, progress, cancel):
            return sync.merge(packages, progress=progress, cancel=cancel.raise_if_cancelled)

        self.task = tasks.run_in_background(merge, on_success=self._merged, on_failure=self._failed,
                                            on_cancelled=self._stopped, progress_title=self.tr("Merging"),
                                            cancellable=True, parent=self, writes=True)

    def _merged(self, outcome) -> None:
        report = outcome.value
        self.report = report
        self.show_report(report)
        self._refresh_buttons()
        bus().publish(_merged_changes(report), self)
        self.merged.emit(report)

    def _stopped(self) -> None:
        self._refresh_buttons()
        self.summary.setText(self.tr("Nothing was merged."))
        self.summary.setVisible(True)

    def _failed(self, exc) -> None:
        self._stopped()
        tasks.report_error(self, exc)

    def show_report(self, report) -> None:
        from fupin_desktop.exchange.sync_package import summary_line

        rows = [(p.source if i == 0 else "", k) for p in report.packages
                for i, k in enumerate([k for k in p.kinds if k.new or k.updated or k.same or k.conflicts])]
        self.table.setRowCount(len(rows))
        for r, (source, k) in enumerate(rows):
            for c, value in enumerate((source, k.label, k.new, k.updated, k.same, k.conflicts)):
                self.table.setItem(r, c, cell(str(value), right=c >= 2, bold=c == 5 and k.conflicts > 0))
        self.summary.setText(summary_line(report))
        notes = []
        for p in report.packages:
            notes.append(self.tr("{file}: {village}, fingerprint {fingerprint}").format(
                file=p.source, village=p.village or self.tr("unknown village"), fingerprint=p.fingerprint))
            if p.attachments_added:
                notes.append(self.tr("  {n} new attachments (photos)").format(n=p.attachments_added))
            if p.clock_ahead_days is not None:
                notes.append(self.tr("  Note: this package's clock is {days} days ahead of this computer's (its date "
                                     "may be wrong). Later edits on this computer still win.").format(
                    days=p.clock_ahead_days))
        if report.backup:
            notes.append(self.tr("Backup made before merging: {path}").format(path=report.backup))
        self.notes.setText("\n".join(notes))
        for w in (self.summary, self.table, self.notes):
            w.setVisible(True)
        n = len(report.conflicts)
        self.conflicts_button.setText(self.tr("Resolve conflicts ({n})…").format(n=n))
        self.conflicts_button.setVisible(n > 0)

    def open_conflicts(self):
        from fupin_desktop.ui.views.exchange.conflicts import ConflictsDialog

        dlg = ConflictsDialog(self.services, self)
        dlg.open()
        return dlg
