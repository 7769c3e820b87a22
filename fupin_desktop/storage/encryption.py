"""Turning a plain SQLite database into an SQLCipher one (databases of earlier versions), and telling them apart."""
from __future__ import annotations

import os
from pathlib import Path

from fupin_desktop.fileio import atomic_path


# storage.db imports SQLAlchemy: only when a file is really opened (is_plain_sqlite decides the sign-in window).
def connect_file(*args, **kwargs):
    from fupin_desktop.storage.db import connect_file

    return connect_file(*args, **kwargs)


def key_pragma(*args, **kwargs):
    from fupin_desktop.storage.db import key_pragma

    return key_pragma(*args, **kwargs)


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
        # The plain file is about to be replaced: overwrite it first, or its blocks keep the data on disk.
        _overwrite(path)
    for suffix in ("-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            shred(Path(f"{path}{suffix}"))


def _overwrite(path: Path) -> None:
    size = Path(path).stat().st_size
    chunk = b"\0" * (1 << 20)
    with open(path, "r+b") as fh:
        done = 0
        while done < size:
            n = min(len(chunk), size - done)
            fh.write(chunk[:n])
            done += n
        fh.flush()
        os.fsync(fh.fileno())


def shred(path: Path) -> None:
    """Overwrite a file with zeros (fsynced), then delete it.

    Best effort, said plainly: on SSDs and flash (USB sticks) the controller writes the zeros elsewhere and the
    old blocks may survive until reused; on copy-on-write or journalling file systems likewise. It removes the
    file from every normal view and from undelete tools that read the file system; full-disk encryption
    (BitLocker) is what protects the raw blocks."""
    path = Path(path)
    try:
        _overwrite(path)
    finally:
        path.unlink(missing_ok=True)


__all__ = ["is_plain_sqlite", "encrypt_file", "key_pragma", "shred"]
