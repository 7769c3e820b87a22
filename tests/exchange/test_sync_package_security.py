"""同步包 that cannot be forged or half-merged: every member covered by the signed manifest, the sender's key pinned
on first merge, another program version refused, a kill during a merge leaves the database as it was."""
from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from fupin_desktop.exchange.sync_package import read_sync_package
from fupin_desktop.services.sync import SyncError
from fupin_desktop.storage.models import Household
from fupin_desktop.storage.signing import SignatureError

from tests.sync_helpers import Laptop


@pytest.fixture
def pair(tmp_path, template_db):
    a = Laptop(tmp_path / "A", template_db, "张书记")
    b = Laptop(tmp_path / "B", template_db, "李队员")
    a.demo(5, seed=3)
    yield a, b
    a.close()
    b.close()


def _rewrite(src, dst, change=None, manifest=None, key=None):
    """Copy a package, changing members (name → new bytes) and/or the manifest (re-signed with ``key`` if given)."""
    with zipfile.ZipFile(src) as zin:
        members = {i.filename: zin.read(i) for i in zin.infolist()}
    for name, data in (change or {}).items():
        members[name] = data
    if manifest is not None:
        m = json.loads(members["manifest.json"])
        manifest(m)
        members["manifest.json"] = json.dumps(m, ensure_ascii=False, separators=(",", ":")).encode()
    if key is not None:
        pub = base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
        sig = base64.b64encode(key.sign(members["manifest.json"])).decode()
        members["signature.json"] = json.dumps({"public_key": pub, "signature": sig}).encode()
    with zipfile.ZipFile(dst, "w") as zout:
        for name, data in members.items():
            zout.writestr(name, data)
    return dst


def _households(laptop) -> list[tuple]:
    with laptop.db.read() as s:
        return sorted((h.id, h.phone, h.deleted_at) for h in s.query(Household))


def test_a_changed_record_is_refused(pair, tmp_path):
    a, b = pair
    pack = a.pack()
    with zipfile.ZipFile(pack) as z:
        table = json.loads(z.read("records/household.json"))
    deleted = table["columns"].index("deleted_at")
    for row in table["rows"]:
        row[deleted] = "2099-01-01T00:00:00"  # the forged tombstones of issue 14 item 7
    forged = _rewrite(pack, tmp_path / "forged.fupin",
                      change={"records/household.json": json.dumps(table).encode()})
    with pytest.raises(SyncError, match="与清单不符"):
        read_sync_package(forged)


def test_a_re_hashed_manifest_needs_the_senders_key(pair, tmp_path):
    a, b = pair
    pack = a.pack()
    b.merge(pack)  # first merge: A's key is pinned
    before = _households(b)
    with zipfile.ZipFile(pack) as z:
        table = json.loads(z.read("records/household.json"))
    table["rows"][0][table["columns"].index("phone")] = "13000000000"
    data = json.dumps(table).encode()
    import hashlib

    def rehash(m):
        for member in m["members"]:
            if member["name"] == "records/household.json":
                member["sha256"], member["size"] = hashlib.sha256(data).hexdigest(), len(data)

    unsigned = _rewrite(pack, tmp_path / "unsigned.fupin", change={"records/household.json": data}, manifest=rehash)
    with pytest.raises(SignatureError, match="签名不对"):
        b.merge(unsigned)
    other_key = _rewrite(pack, tmp_path / "other.fupin", change={"records/household.json": data}, manifest=rehash,
                         key=Ed25519PrivateKey.generate())
    with pytest.raises(SignatureError, match="第一次合并时记下的不同"):
        b.merge(other_key)
    assert _households(b) == before


def test_a_package_of_another_program_version_is_refused(pair, tmp_path):
    a, b = pair
    pack = a.pack()
    old = _rewrite(pack, tmp_path / "old.fupin", manifest=lambda m: m.update(schema_version="0002"),
                   key=Ed25519PrivateKey.generate())
    with pytest.raises(SyncError, match="另一个版本的程序"):
        b.merge(old)
    assert _households(b) == []


def test_a_package_whose_clock_runs_ahead_is_named_and_later_local_edits_still_win(pair):
    a, b = pair
    b.merge(a.pack())
    hid = a.first_id(Household)
    # A's clock is a year fast when it edits
    from fupin_desktop.storage import versions

    year_ahead = int((time.time() + 365 * 86400) * 1000)
    with a.db.unit_of_work() as s:
        versions.advance(s.connection(), year_ahead << versions.COUNTER_BITS)
    a.edit(Household, hid, phone="13811111111")
    report = b.merge(a.pack())
    assert report.packages[0].clock_ahead_days is not None and report.packages[0].clock_ahead_days > 300
    from fupin_desktop.exchange.sync_package import report_lines

    assert any("时钟比本机快" in line for line in report_lines(report))
    b.edit(Household, hid, phone="13922222222")  # a later edit on B, with B's correct wall clock
    a.merge(b.pack())
    assert a.get(Household, hid).phone == b.get(Household, hid).phone == "13922222222"


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_a_kill_during_a_merge_leaves_the_database_as_it_was(tmp_path, template_db):
    a = Laptop(tmp_path / "A", template_db)
    a.demo(300, seed=8)
    pack = a.pack()
    a.close()
    b = Laptop(tmp_path / "B", template_db)
    b.close()
    env = {**os.environ, "PYTHONPATH": os.getcwd(), "QT_QPA_PLATFORM": "offscreen"}
    # The merge pauses after every row is written and before the commit, and says so through a file: the kill then
    # lands inside the transaction on any machine (a fixed sleep after the backup appeared let a fast CI machine
    # commit first).
    inside = tmp_path / "inside-merge-transaction"
    child = (
        "import sys, time\n"
        "from fupin_desktop.storage import sync_store\n"
        "original = sync_store.merge_state\n"
        "def held(*args, **kwargs):\n"
        "    result = original(*args, **kwargs)\n"
        f"    open({str(inside)!r}, 'w').close()\n"
        "    time.sleep(600)\n"
        "    return result\n"
        "sync_store.merge_state = held\n"
        "from fupin_desktop.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", child, "--data-dir", str(tmp_path / "B"), "merge", str(pack)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not inside.exists() and proc.poll() is None:
        time.sleep(0.05)
    assert inside.exists(), "the merge never reached its commit"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # the merge verb signed in as the tests' administrator, which set the folder up and encrypted it first
    from fupin_desktop.storage.db import Database
    from fupin_desktop.storage.keyring import Keyring

    key = Keyring(tmp_path / "B").open("tester", "tester-123")
    b = Laptop(tmp_path / "B", template_db, db=Database(f"sqlite:///{tmp_path / 'B' / 'fupin.sqlite3'}", key=key))
    try:
        assert b.count(Household, live=False) == 0
        with b.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        b.close()
