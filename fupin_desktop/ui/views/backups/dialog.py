"""备份与恢复: the list of backups (time, reason, size, households, visits), back up now, restore, drill, and the
extra backup folder (a USB stick)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.widgets.tables import fill_rows, plain_table


class BackupDialog(QDialog):
    restored = Signal()

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(self.tr("Backup and restore"))
        self.resize(820, 480)
        layout = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.table = plain_table(self, [self.tr("Time"), self.tr("Reason"), self.tr("Size"), self.tr("Households"),
                                        self.tr("Visits")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("Back up now"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(self.tr("Restore selected…"))
        self.restore_button.clicked.connect(self.restore_selected)
        drill = QPushButton(self.tr("Restore drill"))
        drill.clicked.connect(self.drill)
        extra = QPushButton(self.tr("USB backup folder…"))
        extra.clicked.connect(self.choose_extra)
        for b in (self.backup_button, self.restore_button, drill, extra):
            row.addWidget(b)
        row.addStretch(1)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.backups = self.services.backups.list()
        fill_rows(self.table, [(f"{b.taken_at:%Y-%m-%d %H:%M}", b.reason_label, f"{b.size / 1024 / 1024:.1f} MB",
                                b.households, b.visits) for b in self.backups])
        extra = self.services.backups.machine().get("backup.extra_dir")
        reminder = self.services.backups.extra_folder_reminder()
        text = self.tr("Backups are kept in {folder}.").format(folder=self.services.backups.folder())
        if extra:
            text += " " + self.tr("Also copied to {folder}.").format(folder=extra)
        if not self.backups:
            text += "\n" + self.tr("No backups yet. Press \"Back up now\" to make the first one; after that the "
                                   "program also backs up by itself.")
        if reminder:
            text += "\n" + reminder
        self.note.setText(text)

    def backup_now(self) -> None:
        tasks.run_in_background(self.services.backups.backup_now, "manual", parent=self,
                                progress_title=self.tr("Backing up"),
                                on_success=lambda info: (self.refresh(), messages.info(
                                    self, self.tr("Backup made: {name}").format(name=info.path.name))))

    def restore_selected(self) -> None:
        r = self.table.currentRow()
        if not 0 <= r < len(self.backups):
            messages.info(self, self.tr("Choose a backup in the list first."))
            return
        b = self.backups[r]
        if not messages.confirm(self, self.tr(
                "Restore the backup of {time}? Everything entered after it will be replaced. The current data "
                "is backed up first, so this can be undone.").format(time=f"{b.taken_at:%Y-%m-%d %H:%M}"),
                self.tr("Restore"), destructive=True):
            return
        tasks.run_in_background(self.services.backups.restore, b.path, parent=self, writes=True,
                                progress_title=self.tr("Restoring"), on_success=self._restored)

    def _restored(self, before) -> None:
        self.refresh()
        self.restored.emit()
        messages.info(self, self.tr("Restored. The data before the restore was saved as {name}.")
                      .format(name=before.path.name))

    def drill(self) -> None:
        def done(result) -> None:
            if result.ok:
                messages.info(self, self.tr("Drill passed: the newest backup restores completely ({n} households).")
                              .format(n=result.counts_restored.get("household", 0)))
            else:
                messages.error(self, self.tr("Drill failed: {detail}").format(detail=result.quick_check))
        tasks.run_in_background(self.services.backups.restore_check, parent=self, on_success=done,
                                progress_title=self.tr("Restore drill"))

    def choose_extra(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the USB backup folder"))
        if folder:
            self.services.backups.machine().set("backup.extra_dir", str(Path(folder)))
            self.refresh()
