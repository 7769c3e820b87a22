"""Opening a database: create or upgrade its schema with the alembic revisions shipped in the package.

A backup of the file is taken first whenever an existing database needs an upgrade. A database already at the
newest revision (every start but the first after an update) is recognised without importing alembic (~0.2 s of
the start-up): its ``alembic_version`` row is compared with the ``revision = '…'`` lines of the shipped files.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fupin_desktop.storage.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION_LINE = re.compile(r"""^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:['"](\w+)['"]|(None))\s*$""", re.M)


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest shipped revision (read from the files when they form one plain chain, else by alembic)."""
    quick = shipped_head()
    if quick is not None:
        return quick
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def shipped_head() -> str | None:
    """The newest revision from the revision files' own lines, without alembic; None when they do not read as one
    plain chain (a merge, an unusual file): alembic then decides."""
    revisions: set[str] = set()
    parents: set[str | None] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(path.read_text(encoding="utf-8"))}
        if "revision" not in found:
            continue
        if "down_revision" not in found:
            return None
        revisions.add(found["revision"])
        parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def stamped_revision(db: Database) -> str | None:
    """The revision recorded in the database (None for a new or unstamped one), read with plain SQL."""
    try:
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except Exception:  # noqa: BLE001 — no such table: a new database (alembic creates it)
        return None
    return rows[0][0] if len(rows) == 1 else None


def upgrade(db: Database, backup_dir: Path | None = None) -> bool:
    """Bring the schema to the newest revision; returns True when something was applied."""
    head = head_revision()
    if stamped_revision(db) == head:
        return False  # the usual start: nothing to do, and alembic is not even imported
    from alembic import command

    current = current_revision(db)
    if current == head:
        return False
    if current is not None and db.path is not None and db.path.exists():
        from fupin_desktop.storage.backup import backup_file

        target = (backup_dir or db.path.parent / "backups") / (
            f"升级前-{datetime.now():%Y%m%d-%H%M%S}-{current}.sqlite3"
        )
        backup_file(db.path, target, key=db.key)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True


def open_database(url: str, *, upgrade_schema: bool = True, backup_dir: Path | None = None,
                  key: bytes | None = None) -> Database:
    db = Database(url, key=key)
    if upgrade_schema:
        upgrade(db, backup_dir)
    return db
