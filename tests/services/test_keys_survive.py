"""Issue 14 items 3 and 6: keys.json survives (copied with every backup, the recovery key opens a backup without
it, a damaged file gives a Chinese message) and the audit trail cannot be cut short or recomputed unnoticed."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fupin_desktop.services import Services
from fupin_desktop.services.auth import AccessManager, KeyringError
from fupin_desktop.services.checks import run_checks
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.settings import MachineSettings
from fupin_desktop.storage import audit
from fupin_desktop.storage.db import connect_file
from fupin_desktop.storage.models import AuditEntry


def open_admin(folder: Path):
    access = AccessManager(folder)
    store = access.create_admin("zhang", "张书记", "secret-123")
    svc = Services(store.db, actor=store.actor, data_dir=folder)
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                       [CadreInput(name="张书记", role="secretary")])
    return access, svc, store.recovery_code


def audit_findings(svc) -> list[str]:
    return [f.message for f in run_checks(svc.db) if f.kind == "audit"]


def test_every_backup_carries_the_keys_also_on_the_usb_stick(tmp_path):
    data, usb = tmp_path / "data", tmp_path / "usb"
    usb.mkdir()
    access, svc, _ = open_admin(data)
    MachineSettings(data / "settings.json").set("backup.extra_dir", str(usb))
    info = svc.backups.backup_now()
    for folder in (data / "backups", usb):
        copy = folder / (info.path.name + ".keys.json")
        assert copy.is_file(), folder
        content = json.loads(copy.read_text(encoding="utf-8"))
        assert "zhang" in content["users"] and content["recovery"] and content["anchors"]["local"]["seq"] > 0
    svc.db.dispose()


def test_recovery_key_opens_a_backup_when_keys_json_and_database_are_gone(tmp_path):
    data = tmp_path / "data"
    access, svc, code = open_admin(data)
    svc.households.create(HouseholdInput(head_name="张三"))
    info = svc.backups.backup_now()
    svc.db.dispose()
    # a new laptop: only the backup file and its keys copy, carried on a USB stick
    stick = tmp_path / "stick"
    stick.mkdir()
    for p in (info.path, info.path.with_name(info.path.name + ".keys.json")):
        (stick / p.name).write_bytes(p.read_bytes())
    fresh = tmp_path / "new-laptop"
    with pytest.raises(KeyringError):
        AccessManager(fresh).restore_with_recovery(stick / info.path.name, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF",
                                                   "zhang", "new-secret-1")
    store = AccessManager(fresh).restore_with_recovery(stick / info.path.name, code.lower(), "zhang", "new-secret-1")
    assert Services(store.db, actor=store.actor).households.count() == 1
    store.db.dispose()
    AccessManager(fresh).login("zhang", "new-secret-1").db.dispose()

    # the same folder, keys.json deleted: signing in names the way out, the recovery key opens a backup
    (data / "keys.json").unlink()
    access = AccessManager(data)
    assert not access.needs_setup()  # a new administrator would lock the data away for good
    with pytest.raises(KeyringError) as e:
        access.login("zhang", "secret-123")
    assert "恢复密钥" in e.value.message and "keys.json" in e.value.message
    store = access.restore_with_recovery(info.path, code, "zhang", "again-secret-2")
    with store.db.read() as s:
        assert audit.verify_chain(s) == []
    assert audit_findings(Services(store.db, actor=store.actor, data_dir=data)) == []
    store.db.dispose()


def test_recovery_key_signs_in_when_keys_json_is_truncated(tmp_path):
    access, svc, code = open_admin(tmp_path)
    svc.backups.backup_now()
    svc.db.dispose()
    ring = tmp_path / "keys.json"
    ring.write_bytes(ring.read_bytes()[: ring.stat().st_size // 2])  # power cut in an old version's write
    access = AccessManager(tmp_path)
    assert not access.needs_setup() and access.usernames() == []
    with pytest.raises(KeyringError) as e:
        access.login("zhang", "secret-123")
    assert "已损坏" in e.value.message and "恢复密钥" in e.value.message
    store = access.recover(code, "zhang", "after-recovery-1")
    store.db.dispose()
    assert list(tmp_path.glob("keys.json.damaged-*"))  # kept aside, not overwritten
    AccessManager(tmp_path).login("zhang", "after-recovery-1").db.dispose()


def test_truncated_keys_json_on_the_command_line_is_a_chinese_message(tmp_path):
    access, svc, _ = open_admin(tmp_path)
    svc.db.dispose()
    ring = tmp_path / "keys.json"
    ring.write_bytes(ring.read_bytes()[:40])
    env = {**os.environ, "FUPIN_DATA_DIR": str(tmp_path), "FUPIN_USER": "zhang", "FUPIN_PASSWORD": "secret-123"}
    env.pop("FUPIN_DATABASE_URL", None)
    run = subprocess.run([sys.executable, "-m", "fupin_desktop", "check"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "恢复密钥" in run.stderr and "已损坏" in run.stderr


def _raw(svc):
    return connect_file(svc.db.path, svc.db.key)


def test_deleting_the_newest_audit_rows_is_found_by_check(tmp_path):
    access, svc, _ = open_admin(tmp_path)
    svc.households.create(HouseholdInput(head_name="张三"))
    svc.audit.export_csv(tmp_path / "a.csv")  # the entry someone wants gone
    assert audit_findings(svc) == []
    con = _raw(svc)
    newest = con.execute("SELECT max(seq) FROM audit_entry").fetchone()[0]
    con.execute("DELETE FROM audit_entry WHERE seq >= ?", (newest - 1,))
    con.commit()
    con.close()
    found = audit_findings(svc)
    assert any("截短" in m for m in found), found
    # signing in again does not paper over the cut: the anchor does not move past a shortened chain
    svc.db.dispose()
    store = AccessManager(tmp_path).login("zhang", "secret-123")
    assert any("截短" in m for m in audit_findings(Services(store.db, actor=store.actor, data_dir=tmp_path)))
    store.db.dispose()


def test_a_recomputed_chain_is_found_by_check(tmp_path):
    access, svc, _ = open_admin(tmp_path)
    h = svc.households.create(HouseholdInput(head_name="张三")).value
    svc.households.update(h.id, HouseholdInput(head_name="张三", group_name="第2组"))
    con = _raw(svc)
    con.execute("UPDATE audit_entry SET detail = '无' WHERE seq = 2")
    prev = audit.GENESIS
    for (seq,) in con.execute("SELECT seq FROM audit_entry ORDER BY seq").fetchall():
        row = con.execute("SELECT seq, at, user_id, user_name, action, entity, entity_id, changes, detail "
                          "FROM audit_entry WHERE seq = ?", (seq,)).fetchone()
        from datetime import datetime
        e = AuditEntry(seq=row[0], at=datetime.fromisoformat(row[1]), user_id=row[2], user_name=row[3],
                       action=row[4], entity=row[5], entity_id=row[6], changes=row[7], detail=row[8])
        digest = audit._row_digest(prev, e)
        con.execute("UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest
    con.commit()
    con.close()
    with svc.db.read() as s:
        assert audit.verify_chain(s) == []  # the table alone looks untouched
    found = audit_findings(svc)
    assert any("改写" in m for m in found), found
    svc.db.dispose()


def test_restore_keeps_the_anchor_true(tmp_path):
    access, svc, _ = open_admin(tmp_path)
    b = svc.backups.backup_now()
    svc.households.create(HouseholdInput(head_name="张三"))
    svc.backups.backup_now()
    svc.backups.restore(b.path)
    svc.households.create(HouseholdInput(head_name="李四"))
    assert audit_findings(svc) == []
    svc.db.dispose()


def test_audit_trail_holds_no_secrets(tmp_path):
    access, svc, _ = open_admin(tmp_path)
    u = svc.users.create("li", "李队员", "member", "member-pw1").value
    svc.users.reset_password(u.id, "member-pw2")
    svc.users.change_own_password("secret-123", "secret-456")
    with svc.db.read() as s:
        texts = [f"{c} {d}" for c, d in s.query(AuditEntry.changes, AuditEntry.detail)]
    blob = "\n".join(texts)
    assert "scrypt$" not in blob and "password_hash" in blob  # the change is recorded, never the value
    svc.db.dispose()


def test_failures_with_unknown_names_are_audited_without_the_name(tmp_path):
    access, svc, _ = open_admin(tmp_path)
    svc.db.dispose()
    for name in ("zhangg", "secret-123"):  # a typo, and a password typed into the name box
        with pytest.raises(KeyringError) as e:
            access.login(name, "whatever-1")
        assert e.value.message.startswith("用户名或密码不对")
    store = access.login("zhang", "secret-123")
    with store.db.read() as s:
        rows = s.query(AuditEntry.action, AuditEntry.detail, AuditEntry.changes).all()
    unknown = [d for a, d, _ in rows if a == "login_failed" and "用户名不存在" in (d or "")]
    assert len(unknown) == 2
    assert not any("secret-123" in f"{d}{c}" or "zhangg" in f"{d}{c}" for _, d, c in rows)
    store.db.dispose()


def test_fupin_desktop_check_reports_a_cut_audit_trail(tmp_path):
    access, svc, _ = open_admin(tmp_path)
    svc.households.create(HouseholdInput(head_name="张三"))
    con = _raw(svc)
    con.execute("DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)")
    con.commit()
    con.close()
    svc.db.dispose()
    env = {**os.environ, "FUPIN_DATA_DIR": str(tmp_path), "FUPIN_USER": "zhang", "FUPIN_PASSWORD": "secret-123"}
    env.pop("FUPIN_DATABASE_URL", None)
    run = subprocess.run([sys.executable, "-m", "fupin_desktop", "check"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    # signing in appended a row where the cut one was: the anchor tells them apart from the original
    assert "截短" in run.stdout and "审计记录" in run.stdout
