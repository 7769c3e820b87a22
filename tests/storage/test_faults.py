"""Faults: disk full, read-only database, a database locked by another program, backups and restore."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from fupin_desktop.services import Services
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.storage import backup, db as dbmod
from fupin_desktop.storage.db import Actor, Database, StorageError
from fupin_desktop.storage.migrate import open_database


def make_village(path):
    db = open_database(f"sqlite:///{path}")
    svc = Services(db, actor=Actor(name="管理员", role="admin"), data_dir=path.parent)
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                       [CadreInput(name="张书记", role="secretary")])
    return db, svc


def integrity(path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def test_disk_full_rolls_back_with_a_chinese_message(tmp_path):
    path = tmp_path / "full.sqlite3"
    db, svc = make_village(path)
    svc.households.create(HouseholdInput(head_name="张三"))
    db.dispose()
    with sqlite3.connect(path) as con:
        pages = con.execute("PRAGMA page_count").fetchone()[0]
    # SQLite's own way to make the disk "full": no page beyond the limit can be allocated
    event.listen(db.engine, "connect", lambda c, _r: c.execute(f"PRAGMA max_page_count={pages + 2}"))
    with pytest.raises(StorageError) as e:
        for i in range(200):
            svc.households.create(HouseholdInput(head_name=f"李{i}", note="很长的备注" * 400))
    assert "磁盘已满" in e.value.message
    db.dispose()
    assert integrity(path) == "ok"
    con = sqlite3.connect(path)
    names = [n for (n,) in con.execute("select head_name from household")]
    con.close()
    assert "张三" in names and f"李{i}" not in names  # the failing record is not half written


def test_read_only_database_refuses_writes_clearly(tmp_path):
    path = tmp_path / "ro.sqlite3"
    db, svc = make_village(path)
    db.dispose()
    ro = Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    svc_ro = Services(ro, actor=Actor(name="管理员", role="admin"))
    assert svc_ro.village.get().name == "东兴村"  # reading still works
    with pytest.raises(StorageError) as e:
        svc_ro.households.create(HouseholdInput(head_name="王五"))
    assert "只读" in e.value.message
    ro.dispose()
    assert integrity(path) == "ok"


def test_locked_database_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "locked.sqlite3"
    db, _ = make_village(path)
    db.dispose()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        locked = Database(f"sqlite:///{path}")
        svc = Services(locked, actor=Actor(name="管理员", role="admin"))
        with pytest.raises(StorageError) as e:
            svc.households.create(HouseholdInput(head_name="赵六"))
        assert "占用" in e.value.message
        locked.dispose()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_backup_is_verified_thinned_and_restorable(tmp_path):
    path = tmp_path / "fupin.sqlite3"
    db, svc = make_village(path)
    (tmp_path / "attachments" / "ab").mkdir(parents=True)
    (tmp_path / "attachments" / "ab" / "abc.jpg").write_bytes(b"photo")
    svc.households.create(HouseholdInput(head_name="张三"))
    first = svc.backups.backup_now("manual")
    assert first.households == 1 and backup.quick_check_file(first.path) == "ok"
    assert (tmp_path / "backups" / "attachments" / "ab" / "abc.jpg").read_bytes() == b"photo"
    svc.households.create(HouseholdInput(head_name="李四"))
    before = svc.backups.restore(first.path)
    assert before.households == 2  # the state before the restore was kept
    assert svc.households.count() == 1
    drill = svc.backups.restore_check()
    assert drill.ok, drill
    db.dispose()


def test_thinning_keeps_daily_weekly_monthly(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    src = tmp_path / "x.sqlite3"
    sqlite3.connect(src).close()
    start = datetime(2024, 1, 1, 12)
    for d in range(120):  # four months of daily backups, two a day
        for h in (9, 18):
            t = start + timedelta(days=d, hours=h - 12)
            (folder / backup.backup_name(t, "timer")).write_bytes(b"x")
    backup.thin(folder, keep_daily=7, keep_weekly=8, keep_monthly=12, now=start + timedelta(days=121))
    kept = backup.list_backups(folder)
    days = {b.taken_at.date() for b in kept}
    assert len(kept) == len(days)  # one per kept day
    newest = max(days)
    assert all((newest - timedelta(days=i)) in days for i in range(7))
    assert len({b.taken_at.isocalendar()[:2] for b in kept}) >= 8
    assert len({(b.taken_at.year, b.taken_at.month) for b in kept}) == 4
    assert len(kept) < 30


def test_corrupt_backup_is_refused(tmp_path):
    bad = tmp_path / "fupin-20240101-000000-manual.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100 + b"garbage" * 100)
    with pytest.raises(Exception):
        backup.restore_into(bad, tmp_path / "target.sqlite3")
    assert not (tmp_path / "target.sqlite3").exists()
