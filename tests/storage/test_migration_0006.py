"""Schema 0006 (dated project funding): a database file of the 0005 schema (tests/storage/fixtures/
schema_0005_demo20: the 0004 fixture opened by the code of 0005, with 2025年第一季度 closed in it) gets the
funding_receipt table: every amount already received becomes one undated receipt (when it arrived was never
recorded, so no closed period holds it), its id derived from the line's so two laptops agree; the other records are
intact. Money then received inside the closed quarter is refused, after it is recorded; downgrade drops the table."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command

from fupin_desktop.domain.errors import PeriodClosedError
from fupin_desktop.services import Services
from fupin_desktop.services.projects import FundingInput, ProjectInput
from fupin_desktop.storage import migrate
from fupin_desktop.storage.db import Actor

FIXTURE = Path(__file__).parent / "fixtures" / "schema_0005_demo20.sqlite3"
TABLES = ("household", "visit", "project", "funding_line", "donation", "period_close", "audit_entry")


def _query(path: Path, sql: str) -> list:
    con = sqlite3.connect(path)
    rows = con.execute(sql).fetchall()
    con.close()
    return rows


def _dump(path: Path) -> dict[str, list]:
    return {t: _query(path, f"SELECT * FROM {t} ORDER BY {'seq' if t == 'audit_entry' else 'id'}") for t in TABLES}


def _upgraded(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    shutil.copyfile(FIXTURE, path)
    return path


def test_the_0005_fixture_gets_undated_receipts_for_the_money_already_received(tmp_path):
    path = _upgraded(tmp_path, "fupin.sqlite3")
    before = _dump(path)
    received = _query(path, "SELECT id, received_amount FROM funding_line WHERE received_amount != 0 ORDER BY id")
    assert received and before["period_close"] and "funding_receipt" not in {
        n for (n,) in _query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}

    db = migrate.open_database(f"sqlite:///{path}", backup_dir=tmp_path / "bk")
    assert migrate.current_revision(db) == migrate.head_revision() >= "0006"  # later revisions follow
    assert _dump(path) == before
    receipts = _query(path, "SELECT funding_line_id, amount, received_on, id FROM funding_receipt "
                            "ORDER BY funding_line_id")
    assert [(line, Decimal(str(amount)).quantize(Decimal("0.01")), on) for line, amount, on, _id in receipts] == [
        (line, Decimal(str(amount)).quantize(Decimal("0.01")), None) for line, amount in received]

    # the same data upgraded on another laptop makes the same receipts (a 同步包 does not double them)
    other = _upgraded(tmp_path, "other.sqlite3")
    migrate.open_database(f"sqlite:///{other}", backup_dir=tmp_path / "bk2").dispose()
    assert sorted(r[3] for r in receipts) == sorted(
        i for (i,) in _query(other, "SELECT id FROM funding_receipt"))

    services = Services(db, actor=Actor(None, "张三", "admin"), data_dir=tmp_path, today=lambda: date(2025, 6, 1))
    assert [p.label for p in services.closing.closed_periods()] == ["2025年第一季度"]
    project = services.projects.list()[0].project
    detail = services.projects.get(project.id)
    lines = tuple(FundingInput(f.source, f.planned_amount, f.received_amount + Decimal("1000.00"), f.note,
                               date(2025, 3, 10)) for f in detail.funding)
    data = ProjectInput(name=project.name, total_investment=project.total_investment, funding=lines,
                        year=project.year, status=project.status)
    with pytest.raises(PeriodClosedError):  # money received inside the closed quarter
        services.projects.update(project.id, data, confirm_mismatch=True)
    later = tuple(FundingInput(l.source, l.planned_amount, l.received_amount, l.note, date(2025, 4, 2))
                  for l in lines)
    services.projects.update(project.id, ProjectInput(**{**data.__dict__, "funding": later}), confirm_mismatch=True)
    assert [r.received_on for r in services.projects.receipts(project.id)][-1] == date(2025, 4, 2)

    cfg = migrate.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    db.dispose()
    assert "funding_receipt" not in {n for (n,) in _query(path, "SELECT name FROM sqlite_master WHERE type='table'")}
