"""What keeps a running session safe: auto-lock (idle minutes, Ctrl+L), automatic backups on a timer while
there are changes and at exit, and the reminder when the USB backup folder has not been used for a week."""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.events import bus
from fupin_desktop.ui.views.security.lock import IdleLocker

log = logging.getLogger(__name__)


class SessionGuard(QObject):
    backup_done = Signal(object)  # BackupInfo

    def __init__(self, window: QWidget, services, verify=None, user_label: str = "", parent=None):
        super().__init__(parent or window)
        self.window = window
        self.services = services
        self.dirty = False
        machine = services.backups.machine()
        self.locker = None
        if verify is not None:
            self.locker = IdleLocker(user_label, verify, machine.get("ui.idle_lock_minutes"), self)
            # the main window owns Ctrl+L and the lock button; both emit lock_requested
            window.lock_requested.connect(self.locker.lock)
        bus().data_changed.connect(self._changed)
        self.timer = QTimer(self)
        self.timer.setInterval(machine.get("backup.interval_minutes") * 60_000)
        self.timer.timeout.connect(self.backup_if_changed)
        self.timer.start()
        QTimer.singleShot(3000, self._remind)

    def _changed(self, changes, _initiator) -> None:
        if changes:
            self.dirty = True

    def backup_if_changed(self) -> None:
        if not self.dirty or self.services.db.path is None:
            return
        self.dirty = False
        tasks.run_in_background(self.services.backups.backup_now, "timer", writes=True, parent=self.window,
                                on_success=self.backup_done.emit, on_failure=self._backup_failed)

    def _backup_failed(self, exc) -> None:
        self.dirty = True
        log.error("automatic backup failed: %s", exc)
        messages.error(self.window, exc)

    def backup_at_exit(self) -> None:
        """Called once when the program closes (synchronously: the process is about to end)."""
        if self.dirty and self.services.db.path is not None:
            try:
                self.backup_done.emit(self.services.backups.backup_now("exit"))
                self.dirty = False
            except Exception:  # noqa: BLE001 — a failed exit backup must not lose the exit; it is logged
                log.exception("backup at exit failed")

    def stop(self) -> None:
        """The session ends: timers and the idle watch stop."""
        self.timer.stop()
        if self.locker is not None:
            self.locker.stop()
        bus().data_changed.disconnect(self._changed)

    def _remind(self) -> None:
        text = self.services.backups.extra_folder_reminder()
        if text and self.window.isVisible():
            messages.info(self.window, text)


