"""Opening a database: create or upgrade its schema with the alembic revisions shipped in the package.

A backup of the file is taken first whenever an existing database needs an upgrade.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from fupin_desktop.storage.db import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, backup_dir: Path | None = None) -> bool:
    """Bring the schema to the newest revision; returns True when something was applied."""
    current = current_revision(db)
    head = head_revision()
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
