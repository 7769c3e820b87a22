"""Backups with SQLite's online backup API (consistent while the database is open; never a file copy of an open
database), verified with ``quick_check``, written temp-then-rename, thinned by age, attachments included.

A backup folder holds ``fupin-YYYYmmdd-HHMMSS-<reason>.sqlite3`` files and an ``attachments/`` tree; because
attachments are content-addressed, only files not yet there are copied. Beside each backup lies a copy of
``keys.json`` (``<backup>.keys.json``: the key wrappings and the audit anchor), so the recovery key opens a backup
even when the data folder's ``keys.json`` is lost; a copy holds only scrypt-wrapped keys, never the key itself.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from fupin_desktop.fileio import atomic_path, write_text_atomic
from fupin_desktop.storage.keyring import COPY_SUFFIX, KEYRING_FILE


# storage.db imports SQLAlchemy: only when a file is really opened (the sign-in window lists keys copies first).
def connect_file(*args, **kwargs):
    from fupin_desktop.storage.db import connect_file

    return connect_file(*args, **kwargs)


def storage_error(*args, **kwargs):
    from fupin_desktop.storage.db import storage_error

    return storage_error(*args, **kwargs)

NAME_RE = re.compile(r"^fupin-(\d{8}-\d{6})(?:-([a-z]+))?(?:-\d+)?\.sqlite3$")
REASONS = {"timer": "定时", "exit": "退出时", "manual": "手动", "import": "导入前", "merge": "合并前",
           "restore": "恢复前", "upgrade": "升级前", "convert": "加密前", "demo": "演示数据前",
           "handover": "交接前"}


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int
    households: int | None = None
    visits: int | None = None

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


def backup_file(source: Path, target: Path, key: bytes | None = None) -> Path:
    """Copy the live database ``source`` to ``target`` with the backup API, check the copy, then rename.

    ``key``: an encrypted database is copied encrypted with the same key (never decrypted on disk). The data
    folder's keys.json goes along as ``<target>.keys.json``."""
    try:
        _backup_file(source, target, key)
        keyring = Path(source).parent / KEYRING_FILE
        if keyring.is_file():
            write_text_atomic(keys_copy_path(target), keyring.read_text(encoding="utf-8", errors="replace"))
        return target
    except Exception as exc:  # noqa: BLE001 — sqlite3/sqlcipher3 errors: a full disk must read as one
        translated = storage_error(exc)
        if translated is None or isinstance(exc, BackupError):
            raise
        raise translated from exc


def _backup_file(source: Path, target: Path, key: bytes | None) -> Path:
    with atomic_path(target) as tmp:
        src = connect_file(source, key, readonly=True)
        try:
            dst = connect_file(tmp, key)
            try:
                src.backup(dst)
                ok = dst.execute("PRAGMA quick_check").fetchone()[0]
                if ok != "ok":
                    raise BackupError(f"备份文件校验失败：{ok}")
                dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
                dst.commit()
            finally:
                dst.close()
        finally:
            src.close()
    return target


def backup_name(now: datetime, reason: str) -> str:
    return f"fupin-{now:%Y%m%d-%H%M%S}-{reason}.sqlite3"


def parse_name(path: Path) -> tuple[datetime, str] | None:
    m = NAME_RE.match(path.name)
    if not m:
        return None
    return datetime.strptime(m.group(1), "%Y%m%d-%H%M%S"), m.group(2) or "manual"


def counts_of(path: Path, key: bytes | None = None) -> tuple[int | None, int | None]:
    """Households and visits in a backup (live rows), read without changing the file."""
    try:
        con = connect_file(path, key, readonly=True)
        try:
            h = con.execute("SELECT count(*) FROM household WHERE deleted_at IS NULL").fetchone()[0]
            v = con.execute("SELECT count(*) FROM visit WHERE deleted_at IS NULL").fetchone()[0]
            return h, v
        finally:
            con.close()
    except Exception:  # noqa: BLE001 — sqlite3 or sqlcipher3 error: a foreign or damaged file has no counts
        return None, None


def list_backups(folder: Path, with_counts: bool = False, key: bytes | None = None) -> list[BackupInfo]:
    """Backups in ``folder``, newest first."""
    out = []
    if not folder.is_dir():
        return out
    for p in folder.iterdir():
        parsed = parse_name(p)
        if parsed is None or not p.is_file():
            continue
        h, v = counts_of(p, key) if with_counts else (None, None)
        out.append(BackupInfo(p, parsed[0], parsed[1], p.stat().st_size, h, v))
    out.sort(key=lambda b: b.taken_at, reverse=True)
    return out


def thin(folder: Path, keep_daily: int = 7, keep_weekly: int = 8, keep_monthly: int = 12,
         now: datetime | None = None, keep_recent_hours: int = 24) -> list[Path]:
    """Delete old backups, keeping every backup of the last ``keep_recent_hours`` (so "an hour ago" can be
    restored) and then the newest of each of the last N days, ISO weeks and months."""
    backups = list_backups(folder)
    now = now or datetime.now()
    keep: set[Path] = {b.path for b in backups if now - b.taken_at < timedelta(hours=keep_recent_hours)}
    for key_of, limit in ((lambda d: d.date(), keep_daily),
                          (lambda d: d.isocalendar()[:2], keep_weekly),
                          (lambda d: (d.year, d.month), keep_monthly)):
        seen: list = []
        for b in backups:  # newest first: the first of each period is its newest
            k = key_of(b.taken_at)
            if k not in seen:
                seen.append(k)
                if len(seen) <= limit:
                    keep.add(b.path)
    if backups:
        keep.add(backups[0].path)
    removed = []
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            keys_copy_path(b.path).unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def keys_copy_path(backup: Path) -> Path:
    """Where the copy of keys.json taken with ``backup`` lies."""
    return backup.with_name(backup.name + COPY_SUFFIX)


def keys_copies(folder: Path) -> list[Path]:
    """Copies of keys.json beside the backups of ``folder``, newest backup first."""
    return [keys_copy_path(b.path) for b in list_backups(folder) if keys_copy_path(b.path).is_file()]


def copy_attachments(source_dir: Path, target_dir: Path) -> int:
    """Copy attachment files not yet in ``target_dir`` (content-addressed: same name = same content)."""
    if not source_dir.is_dir():
        return 0
    copied = 0
    for src in source_dir.rglob("*"):
        if not src.is_file() or src.name.startswith("."):
            continue
        dst = target_dir / src.relative_to(source_dir)
        if dst.exists() and dst.stat().st_size == src.stat().st_size:
            continue
        with atomic_path(dst) as tmp:
            shutil.copyfile(src, tmp)
        copied += 1
    return copied


def make_backup(db_path: Path, folder: Path, reason: str = "manual", attachments: Path | None = None,
                now: datetime | None = None, key: bytes | None = None) -> BackupInfo:
    now = now or datetime.now()
    target = folder / backup_name(now, reason)
    n = 1
    while target.exists():  # two backups in the same second (e.g. before import, then before merge)
        n += 1
        target = folder / backup_name(now, f"{reason}-{n}")
    backup_file(db_path, target, key)
    if attachments is not None:
        copy_attachments(attachments, folder / "attachments")
    h, v = counts_of(target, key)
    return BackupInfo(target, now, reason, target.stat().st_size, h, v)


def restore_into(backup: Path, db_path: Path, key: bytes | None = None) -> None:
    """Replace the database at ``db_path`` with a verified backup (the caller closed every connection and
    took a backup of the current file first). WAL leftovers of the old file are removed so they can't be
    replayed onto the restored one."""
    try:
        ok = quick_check_file(backup, key)
    except Exception as exc:  # noqa: BLE001 — not a database at all, or not ours
        ok = str(exc)
    if ok != "ok":
        raise BackupError(f"这个备份文件已损坏，不能用来恢复：{ok}")
    if db_path.exists():
        # Fold the old WAL into its own file first, then drop it: a stale WAL must never meet the new file.
        old = connect_file(db_path, key)
        try:
            old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            old.close()
    for suffix in ("-wal", "-shm"):
        try:
            os.unlink(str(db_path) + suffix)
        except FileNotFoundError:
            pass
    with atomic_path(db_path) as tmp:
        shutil.copyfile(backup, tmp)


def table_counts(path: Path, tables: tuple[str, ...], key: bytes | None = None) -> dict[str, int]:
    """Row counts of ``tables`` in a database file (read-only)."""
    con = connect_file(path, key, readonly=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def quick_check_file(path: Path, key: bytes | None = None) -> str:
    con = connect_file(path, key, readonly=True)
    try:
        return "; ".join(r[0] for r in con.execute("PRAGMA quick_check").fetchall())
    finally:
        con.close()


def audit_rows_after(path: Path, after_seq: int, key: bytes | None = None) -> list[tuple]:
    """Audit rows of a database file with a sequence number above ``after_seq`` (oldest first)."""
    con = connect_file(path, key, readonly=True)
    try:
        return con.execute(
            "SELECT at, user_id, user_name, action, entity, entity_id, changes, detail FROM audit_entry "
            "WHERE seq > ? ORDER BY seq", (after_seq,)).fetchall()
    finally:
        con.close()


def audit_head(path: Path, key: bytes | None = None) -> tuple[int, str]:
    """(seq, hash) of the newest audit row of a database file; (0, "") when there is none."""
    con = connect_file(path, key, readonly=True)
    try:
        row = con.execute("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, "")
    finally:
        con.close()
