"""Turning a plain SQLite database into an SQLCipher one (databases of earlier versions), and telling them apart."""
from __future__ import annotations

import os
from pathlib import Path

from fupin_desktop.fileio import atomic_path
from fupin_desktop.storage.db import connect_file, key_pragma

PLAIN_HEADER = b"SQLite format 3\x00"


def is_plain_sqlite(path: Path) -> bool:
    """True for an unencrypted SQLite file (an SQLCipher file starts with random salt, not the magic header)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == PLAIN_HEADER
    except FileNotFoundError:
        return False


def encrypt_file(path: Path, key: bytes) -> None:
    """Replace the plain database at ``path`` with an encrypted copy (the caller took a backup first).

    ``sqlcipher_export`` writes every table, index and the schema version into a new keyed file; the old WAL is
    folded in first and removed with the old file."""
    src = connect_file(path, None)
    try:
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        src.close()
    import sqlcipher3

    with atomic_path(path) as tmp:
        os.unlink(tmp)  # sqlcipher_export needs to create the attached file itself
        con = sqlcipher3.connect(str(path))
        try:
            escaped = str(tmp).replace("'", "''")
            con.execute(f"ATTACH DATABASE '{escaped}' AS encrypted KEY \"x'{key.hex()}'\"")
            con.execute("SELECT sqlcipher_export('encrypted')")
            version = con.execute("PRAGMA user_version").fetchone()[0]
            con.execute(f"PRAGMA encrypted.user_version = {version}")
            con.execute("DETACH DATABASE encrypted")
        finally:
            con.close()
        check = connect_file(tmp, key)
        try:
            ok = check.execute("PRAGMA quick_check").fetchone()[0]
            check.execute("PRAGMA journal_mode=WAL")
        finally:
            check.close()
        if ok != "ok":
            raise RuntimeError(f"encrypted copy failed its check: {ok}")
    for suffix in ("-wal", "-shm"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass


__all__ = ["is_plain_sqlite", "encrypt_file", "key_pragma"]
