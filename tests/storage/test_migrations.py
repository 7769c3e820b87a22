"""Migrations from empty equal the models; the pragmas are applied; an upgrade backs the file up first."""
from __future__ import annotations

import sqlite3

from alembic import command as alembic_command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from fupin_desktop.storage import migrate
from fupin_desktop.storage.models import Base


def test_migrations_from_empty_equal_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_single_head_and_current(db):
    assert migrate.current_revision(db) == migrate.head_revision()


def test_the_quick_head_read_at_start_up_agrees_with_alembic(db):
    from alembic.script import ScriptDirectory

    assert [migrate.shipped_head()] == ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert migrate.stamped_revision(db) == migrate.current_revision(db) == migrate.shipped_head()


def test_sqlite_pragmas(tmp_path):
    db = migrate.open_database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with db.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 5000
        assert pragma("secure_delete") == 1
    db.dispose()


def test_upgrade_of_an_old_database_takes_a_backup_first(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    db = migrate.open_database(f"sqlite:///{path}")
    db.dispose()
    released = migrate.head_revision()
    # Only one schema has been released so far: pretend a newer revision exists and record what runs.
    monkeypatch.setattr(migrate, "head_revision", lambda: "9999")
    ran = []
    monkeypatch.setattr("alembic.command.upgrade", lambda cfg, rev: ran.append(rev))
    db = migrate.Database(f"sqlite:///{path}")
    assert migrate.upgrade(db, backup_dir=tmp_path / "bk") is True
    db.dispose()
    (backup,) = (tmp_path / "bk").iterdir()
    assert backup.name.startswith("升级前-") and ran == ["head"]
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == released
    con.close()


def test_a_database_of_the_first_release_is_upgraded_with_the_registry_indexes(tmp_path):
    path = tmp_path / "v1.sqlite3"
    db = migrate.Database(f"sqlite:///{path}")
    cfg = migrate.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        alembic_command.upgrade(cfg, "0001")
    db.dispose()
    db = migrate.open_database(f"sqlite:///{path}", backup_dir=tmp_path / "bk")
    assert migrate.current_revision(db) == migrate.head_revision()
    with db.engine.connect() as conn:
        group = [r[2] for r in conn.exec_driver_sql("PRAGMA index_info(ix_household_group)")]
        pinyin = [r[2] for r in conn.exec_driver_sql("PRAGMA index_info(ix_member_name_pinyin)")]
        name = [r[2] for r in conn.exec_driver_sql("PRAGMA index_info(ix_member_name)")]
    db.dispose()
    assert group == ["group_name", "deleted_at"] and pinyin == ["name_pinyin"]
    assert name == ["name", "deleted_at", "household_id"]
    assert len(list((tmp_path / "bk").iterdir())) == 1
