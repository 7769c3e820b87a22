"""Security: logins and roles, lock-out, audit events, encryption at rest (no names or IDs in the raw bytes)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fupin_desktop.domain.errors import PermissionDeniedError, ValidationError
from fupin_desktop.domain.idcard import make_id
from fupin_desktop.services import Services
from fupin_desktop.services.auth import AccessManager, KeyringError
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.storage.audit import verify_chain
from fupin_desktop.storage.encryption import is_plain_sqlite
from fupin_desktop.storage.migrate import open_database

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "秀英桂兰建国志强丽华玉梅春生海燕文明德胜红霞永福金凤"


def seeded_people(n=100):
    out = []
    for i in range(n):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 3) % len(GIVEN)] + GIVEN[(i * 7 + 1) % len(GIVEN)]
        out.append((name, make_id("130204", date(1950 + i % 50, 1 + i % 12, 1 + i % 28), 100 + i)))
    return out


def open_admin(tmp_path) -> tuple[AccessManager, Services, str]:
    access = AccessManager(tmp_path)
    store = access.create_admin("zhang", "张书记", "secret-123")
    svc = Services(store.db, actor=store.actor, data_dir=tmp_path)
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                       [CadreInput(name="张书记", role="secretary")])
    return access, svc, store.recovery_code


def test_wrong_password_refused_and_lockout(tmp_path):
    access, svc, _ = open_admin(tmp_path)
    svc.db.dispose()
    now = [1_000_000.0]
    access.keyring.clock = lambda: now[0]
    for _ in range(4):
        with pytest.raises(KeyringError) as e:
            access.login("zhang", "wrong")
        assert "密码不对" in e.value.message
    with pytest.raises(KeyringError):
        access.login("zhang", "wrong")  # fifth failure: locked now
    with pytest.raises(KeyringError) as e:
        access.login("zhang", "secret-123")  # even the right password waits
    assert "秒后再试" in e.value.message
    now[0] += 31
    store = access.login("zhang", "secret-123")
    with store.db.read() as s:
        from fupin_desktop.storage.models import AuditEntry

        actions = [a for (a,) in s.query(AuditEntry.action).order_by(AuditEntry.seq)]
    assert actions.count("login_failed") == 5 and "login" in actions[-2:]  # failures reach the audit trail
    store.db.dispose()


def test_unlock_checks_the_password_without_opening_the_data(tmp_path, monkeypatch):
    """Unlocking after auto-lock only checks the password against the key file: it opens no database (the old
    version of this test timed it under 1 s, which failed on a loaded machine; speed lives in benchmarks)."""
    access, svc, _ = open_admin(tmp_path)

    def no_open(*args, **kwargs):
        raise AssertionError("unlock opened the data")

    monkeypatch.setattr(access, "_open", no_open)
    access.verify("zhang", "secret-123")
    with pytest.raises(KeyringError):
        access.verify("zhang", "nope")
    svc.db.dispose()


def test_roles_are_enforced_in_services(tmp_path):
    access, svc, _ = open_admin(tmp_path)
    svc.users.create("li", "李队员", "member", "member-pw1")
    svc.users.create("jc", "检查组", "viewer", "viewer-pw1")
    svc.db.dispose()
    member = access.login("li", "member-pw1")
    msvc = Services(member.db, actor=member.actor, data_dir=tmp_path)
    msvc.households.create(HouseholdInput(head_name="张三"))  # 队员 edits records
    with pytest.raises(PermissionDeniedError):
        msvc.users.create("x", "某", "admin", "whatever1")
    with pytest.raises(PermissionDeniedError):
        msvc.settings.set("target.diary_days", 120)
    with pytest.raises(PermissionDeniedError):
        msvc.backups.restore(Path("nowhere.sqlite3"))
    member.db.dispose()
    viewer = access.login("jc", "viewer-pw1")
    vsvc = Services(viewer.db, actor=viewer.actor, data_dir=tmp_path)
    assert vsvc.households.count() == 1  # reading is allowed
    with pytest.raises(PermissionDeniedError):
        vsvc.households.create(HouseholdInput(head_name="李四"))
    with pytest.raises(PermissionDeniedError):
        vsvc.audit.reveal("household", "x", "head_id_number")
    viewer.db.dispose()


def test_password_change_reset_and_recovery(tmp_path):
    access, svc, code = open_admin(tmp_path)
    with pytest.raises(ValidationError):
        svc.users.change_own_password("bad-old", "new-secret-1")
    svc.users.change_own_password("secret-123", "new-secret-1")
    u = svc.users.create("li", "李队员", "member", "member-pw1").value
    svc.users.reset_password(u.id, "member-pw2")
    svc.db.dispose()
    with pytest.raises(KeyringError):
        access.login("zhang", "secret-123")
    access.login("li", "member-pw2").db.dispose()
    store = access.recover(code.lower().replace("-", " "), "zhang", "after-recovery")  # typed loosely from paper
    store.db.dispose()
    access.login("zhang", "after-recovery").db.dispose()


def test_audit_events_of_every_kind(tmp_path):
    access, svc, _ = open_admin(tmp_path)
    head_id = make_id("130204", date(1970, 3, 4), 111)
    h = svc.households.create(HouseholdInput(head_name="张三"),
                              [MemberInput("张三", "head", id_number=head_id)]).value
    svc.households.update(h.id, HouseholdInput(head_name="张三", group_name="第2组"))
    assert svc.audit.reveal("household", h.id, "head_id_number") == head_id
    b = svc.backups.backup_now()
    svc.households.delete(h.id)
    svc.backups.restore(b.path)
    svc.audit.export_csv(tmp_path / "audit.csv")
    actions = {e.action for e in svc.audit.list()}
    assert {"setup_admin", "insert", "update", "delete", "view_full", "restore", "export"} <= actions
    assert svc.audit.verify() == []
    csv_text = (tmp_path / "audit.csv").read_text(encoding="utf-8-sig")
    assert "查看完整号码" in csv_text and "恢复备份" in csv_text
    svc.db.dispose()


def test_names_and_ids_are_absent_from_the_raw_bytes(tmp_path):
    access, svc, _ = open_admin(tmp_path)
    people = seeded_people()
    for name, id_number in people:
        svc.households.create(HouseholdInput(head_name=name), [MemberInput(name, "head", id_number=id_number)])
    svc.backups.backup_now()
    files = [tmp_path / "fupin.sqlite3", tmp_path / "fupin.sqlite3-wal"] + list((tmp_path / "backups").glob("*.sqlite3"))
    blob = b"".join(p.read_bytes() for p in files if p.exists())
    assert len(blob) > 100_000
    assert not is_plain_sqlite(tmp_path / "fupin.sqlite3")
    leaks = [n for n, i in people if n.encode() in blob or i.encode() in blob]
    assert leaks == []
    svc.db.dispose()


def test_plain_database_is_converted_after_a_backup(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'fupin.sqlite3'}")
    Services(db).village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                                [CadreInput(name="张书记", role="secretary")])
    db.dispose()
    assert is_plain_sqlite(tmp_path / "fupin.sqlite3")
    access = AccessManager(tmp_path)
    store = access.create_admin("zhang", "张书记", "secret-123")
    assert Services(store.db).village.get().name == "东兴村"
    assert not is_plain_sqlite(tmp_path / "fupin.sqlite3")
    assert not list((tmp_path / "backups").glob("*convert*"))  # the plaintext safety copy was shredded
    with store.db.read() as s:
        assert verify_chain(s) == []
    store.db.dispose()


def test_weak_password_refused(tmp_path):
    with pytest.raises(ValidationError):
        AccessManager(tmp_path).create_admin("zhang", "张书记", "111111")
