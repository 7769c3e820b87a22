"""Schema 0004 (pinyin keys of every reading): a database file of the 0003 schema (tests/storage/fixtures:
schema_0002_demo20 upgraded to 0003) gets its stored pinyin keys recomputed, data otherwise intact; its households
are then found by the other reading of a heteronym; downgrade writes the usual reading back."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from alembic import command

from fupin_desktop.domain.text import full_pinyin, pinyin_initials, search_keys
from fupin_desktop.services import Services
from fupin_desktop.services.households import HouseholdQuery
from fupin_desktop.storage import migrate
from fupin_desktop.storage.db import Actor

FIXTURE = Path(__file__).parent / "fixtures" / "schema_0003_demo20.sqlite3"


def _names(path: Path, table: str, column: str) -> list[tuple]:
    con = sqlite3.connect(path)
    rows = con.execute(f"SELECT id, {column}, name_pinyin, name_initials FROM {table} ORDER BY id").fetchall()
    con.close()
    return rows


def test_the_0003_fixture_gets_every_reading_indexed(tmp_path):
    path = tmp_path / "fupin.sqlite3"
    shutil.copyfile(FIXTURE, path)
    before = _names(path, "member", "name")
    assert all((p, i) == (full_pinyin(n), pinyin_initials(n)) for _id, n, p, i in before)  # the old keys
    stale = [(n, search_keys(n)) for _id, n, p, i in before if (p, i) != search_keys(n)]
    assert stale, "the fixture should hold names with heteronyms"

    db = migrate.open_database(f"sqlite:///{path}", backup_dir=tmp_path / "bk")
    assert migrate.current_revision(db) == migrate.head_revision() >= "0004"  # later revisions follow
    after = _names(path, "member", "name")
    assert [(i, n) for i, n, _p, _k in after] == [(i, n) for i, n, _p, _k in before]  # same rows, same names
    assert all((p, k) == search_keys(n) for _id, n, p, k in after)
    assert all((p, k) == search_keys(n) for _id, n, p, k in _names(path, "household", "head_name"))

    # a household whose head reads two ways is found by the other reading's initials
    services = Services(db, actor=Actor(None, "test", "admin"), data_dir=tmp_path)
    head = next(n for _id, n, _p, k in _names(path, "household", "head_name") if " " in k)
    other = search_keys(head)[1].split()[1]
    assert head in [r.head_name for r in services.households.page(HouseholdQuery(text=other), 0, 50)]

    cfg = migrate.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    db.dispose()
    assert _names(path, "member", "name") == before
