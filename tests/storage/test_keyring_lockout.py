"""Issue 14 item 9: the lock-out holds against parallel attempts (threads and processes), every failure is kept
for the audit trail, failures on a disk that refuses writes still count, and an unknown name reads the same."""
from __future__ import annotations

import errno
import json
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import pytest

from fupin_desktop.storage import keyring as kr
from fupin_desktop.storage.keyring import LOCKOUT_AFTER, Keyring, KeyringError

SMALL_N = 2 ** 10  # a cheap wrapping: the test is about counting, not about scrypt's cost
KEY = bytes(range(32))


def _ring(folder) -> Keyring:
    ring = Keyring(folder)
    ring.set_user("zhang", KEY, "right-pass", n=SMALL_N)
    return ring


def _try(folder, name="zhang") -> str:
    try:
        Keyring(folder).open(name, "wrong-pass")
    except KeyringError as exc:
        return exc.reason
    return "opened"


def test_twenty_parallel_threads_count_twenty_failures(tmp_path):
    _ring(tmp_path)
    with ThreadPoolExecutor(20) as pool:
        reasons = list(pool.map(lambda _: _try(tmp_path), range(20)))
    assert "opened" not in reasons
    entry = json.loads((tmp_path / "keys.json").read_text())["users"]["zhang"]
    assert entry["failed"] == 20 and len(entry["failed_log"]) == 20
    ring = Keyring(tmp_path)
    assert ring.locked_for("zhang") > 0
    with pytest.raises(KeyringError) as e:
        ring.open("zhang", "right-pass")  # locked: even the right password waits
    assert e.value.reason == "locked"
    assert len(ring.take_failed_log("zhang")) == 20  # every failure reaches the audit trail at the next sign-in


def test_twenty_parallel_processes_count_twenty_failures(tmp_path):
    _ring(tmp_path)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(8) as pool:
        reasons = pool.map(_try, [tmp_path] * 20)
    assert "opened" not in reasons
    entry = json.loads((tmp_path / "keys.json").read_text())["users"]["zhang"]
    assert entry["failed"] == 20 and len(entry["failed_log"]) == 20
    assert Keyring(tmp_path).locked_for("zhang") > 0


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_failures_on_a_disk_that_refuses_writes_still_lock_out(tmp_path, monkeypatch, code):
    _ring(tmp_path)
    before = (tmp_path / "keys.json").read_bytes()

    def refuse(*_a, **_k):
        raise OSError(code, "refused")

    monkeypatch.setattr(kr, "write_text_atomic", refuse)
    ring = Keyring(tmp_path)
    for _ in range(LOCKOUT_AFTER):
        with pytest.raises(KeyringError) as e:
            ring.open("zhang", "wrong-pass")
        assert e.value.reason == "wrong"
    assert (tmp_path / "keys.json").read_bytes() == before  # nothing could be written…
    with pytest.raises(KeyringError) as e:
        Keyring(tmp_path).open("zhang", "right-pass")  # …yet the lock-out holds (another object, same process)
    assert e.value.reason == "locked"
    assert len(ring.take_failed_log("zhang")) == LOCKOUT_AFTER
    kr._MEMORY.clear()


def test_unknown_name_and_wrong_password_read_the_same(tmp_path):
    ring = _ring(tmp_path)
    ring.clock = lambda: 1_900_000_000.0  # one instant: a second ticking between the two failures is not a difference
    messages = {}
    for name in ("zhang", "nobody"):
        with pytest.raises(KeyringError) as e:
            ring.open(name, "wrong-pass")
        messages[name] = e.value.message
    assert messages["zhang"] == messages["nobody"]
    for _ in range(LOCKOUT_AFTER - 1):  # an unknown name is locked out exactly like a known one
        for name in ("zhang", "nobody"):
            with pytest.raises(KeyringError):
                ring.open(name, "wrong-pass")
    assert ring.locked_for("nobody") == ring.locked_for("zhang") > 0
