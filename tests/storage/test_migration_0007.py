"""Schema 0007 (targets per cadre, 意见建议): a database file of the 0006 schema (tests/storage/fixtures/
schema_0006_demo20: s16's 0005 fixture upgraded by the code of 0006) gets the empty cadre_target and suggestion
tables, its records intact; a cadre's target and a suggestion can then be written, and downgrade removes them."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

from alembic import command

from fupin_desktop.services import Services
from fupin_desktop.storage import migrate
from fupin_desktop.storage.db import Actor

FIXTURE = Path(__file__).parent / "fixtures" / "schema_0006_demo20.sqlite3"
TABLES = ("household", "member", "cadre", "visit", "diary_entry", "work_log", "attendance", "funding_receipt",
          "problem", "audit_entry")


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


def test_the_0006_fixture_gets_targets_and_suggestions_with_its_data_intact(tmp_path):
    from fupin_desktop.services.suggestions import SuggestionInput

    path = tmp_path / "fupin.sqlite3"
    shutil.copyfile(FIXTURE, path)
    before = _dump(path)
    assert before["diary_entry"] and before["funding_receipt"] and not {"cadre_target", "suggestion"} & _tables(path)

    db = migrate.open_database(f"sqlite:///{path}", backup_dir=tmp_path / "bk")
    assert migrate.current_revision(db) == migrate.head_revision() >= "0007"
    assert _dump(path) == before

    services = Services(db, actor=Actor(None, "张三", "admin"), data_dir=tmp_path)
    cadre = services.cadres.list()[0]
    services.targets.set_targets(cadre.id, 2024, {"diary_days": 100, "suggestions": 5})
    services.suggestions.create(SuggestionInput(made_on=date(2024, 3, 1), cadre_id=cadre.id, addressee="乡党委",
                                                content="建议统一村道路灯维护"))
    progress = services.targets.progress(2024)
    row = next(r for r in progress.cadres if r.cadre_id == cadre.id)
    assert row.target("diary_days") == 100 and row.actual("suggestions") == 1

    cfg = migrate.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
    db.dispose()
    assert not {"cadre_target", "suggestion"} & _tables(path)
    assert _dump(path)["diary_entry"] == before["diary_entry"]
