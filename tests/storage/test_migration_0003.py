"""Schema 0003 (sync): upgraded from a database file the 0002 schema made (tests/storage/fixtures, built by
``fupin-desktop demo --households 20`` on the main of 2026-12-03, attendance and diary trimmed for size), data intact;
the 监测标准 of a second village no longer collides; one alembic head."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory

from fupin_desktop.storage import migrate

FIXTURE = Path(__file__).parent / "fixtures" / "schema_0002_demo20.sqlite3"


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                                        " AND name != 'alembic_version'")]
    counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    con.close()
    return counts


def test_one_alembic_head():
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1, f"several alembic heads: {heads}"


def test_the_0002_fixture_upgrades_with_its_data_intact(tmp_path):
    path = tmp_path / "fupin.sqlite3"
    shutil.copyfile(FIXTURE, path)
    before = _counts(path)
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0002"
    household = con.execute("SELECT id, head_name, number FROM household ORDER BY number LIMIT 1").fetchone()
    line = con.execute("SELECT year, area, amount FROM monitoring_line ORDER BY year").fetchall()
    (village_id,) = con.execute("SELECT id FROM village").fetchone()
    con.close()

    db = migrate.open_database(f"sqlite:///{path}", backup_dir=tmp_path / "bk")
    assert migrate.current_revision(db) == migrate.head_revision() >= "0003"  # later revisions follow
    db.dispose()
    after = _counts(path)
    assert {t: n for t, n in after.items() if t in before} == before
    assert before["household"] == 20 and before["member"] > 20
    con = sqlite3.connect(path)
    assert con.execute("SELECT id, head_name, number FROM household ORDER BY number LIMIT 1").fetchone() == household
    assert con.execute("SELECT year, area, amount FROM monitoring_line ORDER BY year").fetchall() == line
    # every village-scoped table now names the only village
    for table in ("monitoring_line", "project", "work_log", "donor", "donation", "purchase", "problem", "diary_entry"):
        assert con.execute(f"SELECT COUNT(*) FROM {table} WHERE village_id IS NOT ?", (village_id,)).fetchone()[0] == 0
    # a second village's 监测标准 of the same year and area fits beside the first
    year, area, amount = line[0]
    con.execute("INSERT INTO monitoring_line (id, village_id, year, area, amount, created_at, updated_at)"
                " VALUES ('x', 'another-village', ?, ?, ?, '2026-01-01', '2026-01-01')", (year, area, amount))
    con.commit()
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert len(list((tmp_path / "bk").iterdir())) == 1
