"""Backups, restore and the restore drill, on top of storage.backup (SQLite online backup API)."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from fupin_desktop import paths
from fupin_desktop.domain.errors import FupinError
from fupin_desktop.services.base import Service
from fupin_desktop.settings import MachineSettings
from fupin_desktop.storage import audit, backup
from fupin_desktop.storage.backup import BackupInfo

__all__ = ["BackupService", "BackupInfo", "DrillResult"]

COUNTED = ("household", "member", "visit", "problem", "diary_entry", "project", "donation", "audit_entry")


@dataclass(frozen=True)
class DrillResult:
    backup: Path
    counts_backup: dict[str, int]
    counts_restored: dict[str, int]
    quick_check: str

    @property
    def ok(self) -> bool:
        return self.quick_check == "ok" and self.counts_backup == self.counts_restored


class BackupService(Service):
    def _data_dir(self) -> Path:
        return self.ctx.data_dir or paths.data_dir()

    def folder(self) -> Path:
        return self._data_dir() / "backups"

    def machine(self) -> MachineSettings:
        return MachineSettings(self._data_dir() / "settings.json")

    def _db_path(self) -> Path:
        path = self.db.path
        if path is None:
            raise FupinError("当前使用的是服务器数据库（PostgreSQL），请由管理员用 pg_dump 备份。")
        return path

    def backup_now(self, reason: str = "manual") -> BackupInfo:
        """Online backup of the open database (+ new attachments), verified, then old backups thinned.

        Also writes to the extra folder (a USB stick) when one is set and present."""
        key = self.db.key
        info = backup.make_backup(self._db_path(), self.folder(), reason, self._data_dir() / "attachments", key=key)
        m = self.machine()
        backup.thin(self.folder(), m.get("backup.keep_daily"), m.get("backup.keep_weekly"),
                    m.get("backup.keep_monthly"))
        extra = m.get("backup.extra_dir")
        if extra and Path(extra).is_dir():
            backup.make_backup(self._db_path(), Path(extra), reason, self._data_dir() / "attachments",
                               now=info.taken_at, key=key)
            m.set("backup.extra_last_used", info.taken_at.isoformat(timespec="seconds"))
        return info

    def backup_to(self, target: Path, reason: str = "manual") -> Path:
        """A backup outside the data folder: into the folder ``target`` (named like the backup folder's, plus new
        attachments) or, when ``target`` has a suffix and is no folder, into that file. Needs the write role: with
        a password the copy opens to every unmasked record, like a full export. Returns the file written."""
        self.require_write()
        source = self._db_path()
        target = Path(target)
        if target.suffix and not target.is_dir():
            return backup.backup_file(source, target, key=self.db.key)
        attachments = self._data_dir() / "attachments"
        return backup.make_backup(source, target, reason, attachments if attachments.is_dir() else None,
                                  key=self.db.key).path

    def list(self) -> list[BackupInfo]:
        return backup.list_backups(self.folder(), with_counts=True, key=self.db.key)

    def last_backup(self) -> BackupInfo | None:
        found = backup.list_backups(self.folder())
        return found[0] if found else None

    def extra_folder_reminder(self, now: datetime | None = None) -> str | None:
        """A reminder when the extra backup folder (USB stick) has not been used for a week."""
        m = self.machine()
        if not m.get("backup.extra_dir"):
            return None
        last = m.get("backup.extra_last_used")
        now = now or datetime.now()
        if last and now - datetime.fromisoformat(last) < timedelta(days=7):
            return None
        return "已经一周多没有备份到U盘了。请插上备份用的U盘，然后点“立即备份”。"

    def restore(self, backup_path: Path) -> BackupInfo:
        """Replace the database with a backup. The current database is backed up first; administrators only.

        Returns the backup of the state before the restore (so it can be undone)."""
        self.require_admin()
        with self.sole_writer():
            return self._restore(Path(backup_path))

    def _restore(self, backup_path: Path) -> BackupInfo:
        db_path = self._db_path()
        _check_restorable(Path(backup_path), self.db.key)  # before anything is written (no backup per wrong try)
        before = self.backup_now("restore")
        self.db.dispose()  # no connection may stay open on the old file
        key = self.db.key
        restored_seq, _ = backup.audit_head(Path(backup_path), key)
        # The audit trail is not rolled back with the data: rows written since that backup are carried over.
        later = backup.audit_rows_after(before.path, restored_seq, key)
        backup.restore_into(Path(backup_path), db_path, key)
        with self.db.unit_of_work(self.actor) as s:
            s.info["audit_reanchor"] = True  # the chain was legitimately replaced: anchor its new head
            audit.carry_over(s, later)
            audit.record(s, "restore", detail=f"从备份恢复：{Path(backup_path).name}；恢复前的数据已备份为 {before.path.name}")
        return before

    def restore_check(self) -> DrillResult:
        """The restore drill: restore the newest backup into a temporary folder and compare table counts."""
        found = backup.list_backups(self.folder())
        if not found:
            raise FupinError("还没有备份，无法演练恢复。")
        newest = found[0].path
        with tempfile.TemporaryDirectory(prefix="fupin-drill-") as tmp:
            target = Path(tmp) / paths.DATABASE_FILE
            key = self.db.key
            backup.restore_into(newest, target, key)
            return DrillResult(newest, backup.table_counts(newest, COUNTED, key),
                               backup.table_counts(target, COUNTED, key), backup.quick_check_file(target, key))


def _check_restorable(source: Path, key: bytes | None) -> None:
    """Refuse, with a Chinese message, a file that is not a sound backup of this program readable with ``key``."""
    if not source.is_file():
        raise FupinError(f"找不到备份文件：{source}")
    try:
        sound = backup.quick_check_file(source, key) == "ok"
        backup.table_counts(source, ("alembic_version", "household", "audit_entry"), key)
    except Exception:  # noqa: BLE001 — not a database, not ours, damaged or another installation's key
        sound = False
    if not sound:
        raise FupinError(f"“{source.name}”不是本程序的备份文件（或已损坏，或是另一台电脑加密的备份），没有恢复；"
                         "当前数据没有任何改动。请选择备份文件夹里的 fupin-….sqlite3 文件。")
