"""Backups with SQLite's online backup API (consistent while the database is open), verified, temp-then-rename."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from fupin_desktop.fileio import atomic_path


class BackupError(Exception):
    pass


def backup_file(source: Path, target: Path) -> Path:
    """Copy the live database ``source`` to ``target`` with the backup API, check the copy, then rename."""
    with atomic_path(target) as tmp:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                ok = dst.execute("PRAGMA quick_check").fetchone()[0]
                if ok != "ok":
                    raise BackupError(f"备份文件校验失败：{ok}")
                dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
    return target
