"""A full disk while writing backups and exports (a tiny tmpfs; a failing writer where mounting is not allowed):
a clear Chinese message, no half-written file, the old file and the database untouched."""
from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from fupin_desktop.services import Services
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.storage import backup
from fupin_desktop.storage.db import Actor, StorageError
from fupin_desktop.storage.migrate import open_database


@pytest.fixture
def tiny_disk(tmp_path, monkeypatch):
    """A 16 KiB folder: a real tmpfs when we may mount one, else a writer that fails like a full disk."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(folder)],
                                 capture_output=True).returncode == 0
    if not mounted:
        original_replace = os.replace

        def full_replace(src, dst, *a, **k):
            if str(dst).startswith(str(folder)):
                raise OSError(errno.ENOSPC, "No space left on device", str(dst))
            return original_replace(src, dst, *a, **k)

        monkeypatch.setattr(os, "replace", full_replace)
    yield folder
    if mounted:
        subprocess.run(["umount", str(folder)], check=False)


def village_db(tmp_path: Path) -> Services:
    db = open_database(f"sqlite:///{tmp_path / 'fupin.sqlite3'}")
    svc = Services(db, actor=Actor(name="管理员", role="admin"), data_dir=tmp_path)
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                       [CadreInput(name="张书记", role="secretary")])
    for i in range(150):  # comfortably more than 16 KiB of database
        svc.households.create(HouseholdInput(head_name=f"户主{i}", note="备注" * 100))
    return svc


def test_backup_to_a_full_disk(tmp_path, tiny_disk):
    from fupin_desktop.ui.messages import error_text

    svc = village_db(tmp_path)
    (tiny_disk / "old.txt").write_text("keep me")
    with pytest.raises((OSError, StorageError)) as e:
        backup.make_backup(svc.db.path, tiny_disk, "manual")
    assert "磁盘已满" in error_text(e.value) or "disk is full" in error_text(e.value)
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["old.txt"]  # no half-written backup left behind
    assert (tiny_disk / "old.txt").read_text() == "keep me"
    assert backup.quick_check_file(svc.db.path) == "ok" and svc.households.count() == 150
    svc.db.dispose()


def test_pdf_and_xlsx_exports_to_a_full_disk(tmp_path, tiny_disk):
    from fupin_desktop.exchange.package import export_package
    from fupin_desktop.reports.common import Column, PageInfo, write_ledger

    svc = village_db(tmp_path)
    target_pdf = tiny_disk / "台账.pdf"
    with pytest.raises(OSError):
        write_ledger(target_pdf, PageInfo(title="农户花名册"), [Column("户主", 1), Column("备注", 4)],
                     [[f"户主{i}", "很长的备注" * 40] for i in range(400)])
    assert not list(tiny_disk.iterdir())
    with pytest.raises(OSError):
        export_package(svc, tiny_disk / "上报.xlsx")
    assert not list(tiny_disk.iterdir())
    assert svc.households.count() == 150
    svc.db.dispose()
