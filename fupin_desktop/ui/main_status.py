"""The main window's status line (已保存 · 上次备份 · 共 N 户): a mixin of
:class:`fupin_desktop.ui.main_window.MainWindow` (split from it; ``services``, ``_saved_at``, ``_counting`` and
``_stats_missing`` are the window's). Its texts keep the window's translation context."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from fupin_desktop import paths

log = logging.getLogger("fupin_desktop.ui.main_window")


# lupdate reads the literal context of every translate("Context", "text") call.
translate = QCoreApplication.translate


class StatusLine:
    def household_count(self) -> int | None:
        """``services.stats.household_count()`` once the stats service offers it; None until then."""
        if self._stats_missing:
            return None
        try:
            fn = getattr(self.services.stats, "household_count", None)
        except ImportError:
            self._stats_missing = True
            return None
        if fn is None:
            self._stats_missing = True
            return None
        try:
            return int(fn())
        except Exception:  # noqa: BLE001 - the status bar must never break the window
            log.exception("household_count failed")
            return None

    def last_backup_time(self) -> datetime | None:
        """Time of the newest backup (``services.backups.last_backup()``; a folder scan if that is missing)."""
        try:
            backups = self.services.backups
        except (AttributeError, ImportError):
            backups = None
        if backups is not None and hasattr(backups, "last_backup"):
            try:
                info = backups.last_backup()
            except Exception:  # noqa: BLE001 - the status bar must never break the window
                log.exception("last_backup failed")
                return None
            return getattr(info, "taken_at", None) if info else None
        folder = Path(self.services.ctx.data_dir or paths.data_dir()) / "backups"
        try:
            times = [p.stat().st_mtime for p in folder.glob("*.sqlite3") if p.is_file()]
        except OSError:
            return None
        return datetime.fromtimestamp(max(times)) if times else None

    def _when(self, t: datetime) -> str:
        today = date.today()
        if t.date() == today:
            return translate("MainWindow", "today {time}").format(time=f"{t:%H:%M}")
        if t.date() == today - timedelta(days=1):
            return translate("MainWindow", "yesterday {time}").format(time=f"{t:%H:%M}")
        return f"{t:%Y-%m-%d %H:%M}"

    def status_text(self, count: int | None = None) -> str:
        """The status line; ``count``: the households when already counted (else counted here)."""
        parts = [translate("MainWindow", "Saved {time}").format(time=f"{self._saved_at:%H:%M}")
                 if self._saved_at else translate("MainWindow", "All changes are saved")]
        backup = self.last_backup_time()
        parts.append(translate("MainWindow", "Last backup {when}").format(when=self._when(backup)) if backup
                     else translate("MainWindow", "No backup yet"))
        if count is None and not self._counting:
            count = self.household_count()
        if count is not None:
            parts.append(translate("MainWindow", "{count} households").format(count=count))
        return " · ".join(parts)
