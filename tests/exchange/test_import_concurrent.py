"""Two imports of the same roster at once, in two processes (issue 14 item 10): one writer per data folder."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

REPO = Path(__file__).resolve().parents[2]
USER, PASSWORD = "zhang", "secret-123"


def _env(folder: Path) -> dict:
    return dict(os.environ, PYTHONPATH=str(REPO), FUPIN_DATA_DIR=str(folder), FUPIN_USER=USER,
                FUPIN_PASSWORD=PASSWORD, QT_QPA_PLATFORM="offscreen")


def _open(folder: Path):
    from fupin_desktop.services.auth import AccessManager
    from fupin_desktop.storage.migrate import open_database

    access = AccessManager(folder)
    if access.needs_setup():  # a folder the command line never encrypted (older versions)
        return open_database(f"sqlite:///{folder / 'fupin.sqlite3'}")
    return access.login(USER, PASSWORD).db


def test_two_imports_at_once_create_no_duplicates(tmp_path, kit):
    folder = tmp_path / "data"
    cli = [sys.executable, "-m", "fupin_desktop", "--data-dir", str(folder)]
    subprocess.run([*cli, "demo", "--households", "1"], env=_env(folder), check=True, capture_output=True,
                   timeout=120)
    roster = kit.write_roster(tmp_path / "r.xlsx", kit.roster_rows(100, start=10))
    procs = [subprocess.Popen([*cli, "import", str(roster)], env=_env(folder), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=180), *p.communicate()) for p in procs]
    assert all(rc in (0, 2) for rc, _, _ in results), results
    assert any(rc == 0 for rc, _, _ in results), results
    for rc, _, err in results:  # a refused import says why, in Chinese
        assert rc == 0 or "另一个程序正在写入" in err, err
    db = _open(folder)
    try:
        with db.engine.connect() as conn:
            numbers = conn.execute(text(
                "SELECT count(*) - count(DISTINCT number) FROM household WHERE deleted_at IS NULL"
            )).scalar()
            ids = conn.execute(text(
                "SELECT count(id_number) - count(DISTINCT id_number) FROM member WHERE deleted_at IS NULL"
            )).scalar()
            households = conn.execute(text("SELECT count(*) FROM household WHERE deleted_at IS NULL")).scalar()
    finally:
        db.dispose()
    assert (numbers, ids) == (0, 0)
    assert households == 101
