"""Schema 0005 (结账): a database file of the 0004 schema (tests/storage/fixtures/schema_0004_demo20: the 0003
fixture upgraded by the code of 0004) gets the empty period_close table, its records intact; a period can then be
closed in it, and downgrade removes the table again."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from alembic import command

from fupin_desktop.services import Services
from fupin_desktop.services.closing import PeriodKey
from fupin_desktop.storage import migrate
from fupin_desktop.storage.db import Actor

FIXTURE = Path(__file__).parent / "fixtures" / "schema_0004_demo20.sqlite3"
TABLES = ("household", "member", "visit", "diary_entry", "work_log", "attendance", "donation", "distribution",
          "purchase", "audit_entry")


def _dump(path: Path) -> dict[str, list]:
    con = sqlite3.connect(path)
    out = {t: con.execute(f"SELECT * FROM {t} ORDER BY id" if t != "audit_entry" else
                          "SELECT * FROM audit_entry ORDER BY seq").fetchall() for t in TABLES}
    con.close()
    return out


def _tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    con.close()
    return names


def test_the_0004_fixture_gets_the_period_close_table_with_its_data_intact(tmp_path):
    path = tmp_path / "fupin.sqlite3"
    shutil.copyfile(FIXTURE, path)
    before = _dump(path)
    assert before["visit"] and before["household"] and "period_close" not in _tables(path)

    db = migrate.open_database(f"sqlite:///{path}", backup_dir=tmp_path / "bk")
    assert migrate.current_revision(db) == migrate.head_revision() >= "0005"  # later revisions follow
    assert _dump(path) == before

    admin = Actor(None, "张三", "admin")
    services = Services(db, actor=admin, data_dir=tmp_path)
    con = sqlite3.connect(path)
    year = int(con.execute("SELECT min(visit_date) FROM visit").fetchone()[0][:4])
    con.close()
    closed = services.closing.close(PeriodKey.of(year)).value
    assert closed.closed_by == "张三" and closed.label == f"{year}年"
    assert [p.label for p in services.closing.closed_periods()] == [f"{year}年"]

    cfg = migrate.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    db.dispose()
    assert "period_close" not in _tables(path)
