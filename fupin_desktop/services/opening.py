"""Opening the data at start-up, for ``ui/startup.py`` (which may not import storage): where the data folder lives,
the clean-exit mark, the integrity check and restoring the newest good backup of a damaged file.

Light at import time (the sign-in window imports it: no SQLAlchemy, no models); the integrity check imports the
database side when it runs. tests/ui/test_startup_speed.py checks.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fupin_desktop import paths
from fupin_desktop.settings import MachineSettings
from fupin_desktop.storage import location

if TYPE_CHECKING:
    from fupin_desktop.storage.db import Database

NETWORK_MESSAGE = location.NETWORK_MESSAGE
REMOVABLE_MESSAGE = location.REMOVABLE_MESSAGE
CLEAN_EXIT_KEY = "db.clean_exit"


def where(data_dir: Path) -> str:
    """"network" (never opened there), "removable" (a USB stick: warn) or "local"."""
    if location.is_network_path(data_dir):
        return "network"
    if location.is_removable_path(data_dir):
        return "removable"
    return "local"


def file_state(path: Path) -> str:
    """Size, modification time and WAL size of the database file ("" when it does not exist)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return ""
    wal = Path(f"{path}-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    return f"{st.st_size}:{st.st_mtime_ns}:{wal_size}"


def mark_clean_exit(data_dir: Path) -> None:
    MachineSettings(data_dir / "settings.json").set(CLEAN_EXIT_KEY, file_state(data_dir / paths.DATABASE_FILE))


def integrity_findings(db: Database, data_dir: Path, found: str | None = None) -> list[str]:
    """Problems of the database file; [] when sound. Skips the scan when the file is exactly as the last clean
    exit left it (under 1 s either way for a village database). ``found``: :func:`file_state` taken before
    sign-in, whose own writes (last login, audit) change the file."""
    path = db.path
    if path is None:
        return []
    settings = MachineSettings(data_dir / "settings.json")
    state = found if found is not None else file_state(path)
    if settings.get(CLEAN_EXIT_KEY) and settings.get(CLEAN_EXIT_KEY) == state:
        return []
    from fupin_desktop.storage import integrity

    return integrity.quick_check(db) + integrity.foreign_key_check(db)


@dataclass(frozen=True)
class GoodBackup:
    path: Path
    taken_at: datetime


def good_backups(data_dir: Path, db: Database) -> list[GoodBackup]:
    """The backups in the data folder that pass SQLite's quick check with the data's key, newest first."""
    from fupin_desktop.storage import backup as backup_store

    key = db.key
    return [GoodBackup(b.path, b.taken_at) for b in backup_store.list_backups(data_dir / "backups", key=key)
            if backup_store.quick_check_file(b.path, key) == "ok"]


def restore_over_damaged(db: Database, good: GoodBackup) -> Path:
    """Put ``good`` in place of the (damaged) database file of ``db``; the damaged file is kept beside it as
    ``….damaged`` (returned). ``db`` reconnects to the restored file on its next use (same key)."""
    from fupin_desktop.storage import backup as backup_store

    db.dispose()
    damaged = db.path.with_name(db.path.name + ".damaged")
    db.path.replace(damaged)
    backup_store.restore_into(good.path, db.path, db.key)
    return damaged
