"""Crash harness: a child process edits and imports, reporting each acknowledged commit; the parent kills it
with SIGKILL at random moments. After every kill the database must pass integrity_check, hold every acknowledged
record and no partial import. ``FUPIN_CRASH_KILLS`` sets the number of kills (default 200; 1000 on demand)."""
from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import sys
import time

import pytest

from fupin_desktop.domain.text import full_pinyin
from fupin_desktop.services import Services
from fupin_desktop.services import households as _households  # noqa: F401  (imported before fork)
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.storage.db import Actor, Database
from fupin_desktop.storage.migrate import open_database

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
KILLS = int(os.environ.get("FUPIN_CRASH_KILLS", "200"))
BATCH = 20


def child_work(url: str, write_fd: int, seed: int) -> None:
    """Runs in the forked child: single edits and all-or-nothing batches, acknowledging after each commit."""
    rng = random.Random(seed)
    db = Database(url)
    svc = Services(db, actor=Actor(name="压力测试", role="admin"))
    os.write(write_fd, b"R ready\n")  # the kill window starts now, not during start-up
    n = 0
    while True:
        n += 1
        if rng.random() < 0.3:
            tag = f"b{seed}-{n}"
            # an import: many rows in one transaction (the same shape as exchange/roster imports)
            from fupin_desktop.storage.models import Household

            with db.unit_of_work(svc.ctx.actor) as s:
                village_id = s.execute(__import__("sqlalchemy").text("select id from village")).scalar()
                for i in range(BATCH):
                    s.add(Household(village_id=village_id, number=f"{tag}-{i:02d}", head_name=f"导入{i}",
                                    note=tag))
            os.write(write_fd, f"B {tag}\n".encode())
        else:
            name = f"户{seed}-{n}"
            svc.households.create(HouseholdInput(head_name=name, number=f"s{seed}-{n}"))
            os.write(write_fd, f"A s{seed}-{n}\n".encode())


def run_once(url: str, path, seed: int, rng: random.Random) -> tuple[set[str], set[str]]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        try:
            child_work(url, w, seed)
        except BaseException as exc:  # a bug in the harness must fail the test, not look like a clean kill
            os.write(w, f"E {type(exc).__name__}: {exc}\n".encode())
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while b"R ready" not in data:
        chunk = os.read(r, 65536)
        assert chunk, f"the child died during start-up: {data.decode()}"
        data += chunk
    deadline = time.monotonic() + rng.uniform(0.0, 0.15)
    while time.monotonic() < deadline:
        ready, _, _ = select.select([r], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            data += os.read(r, 65536)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while True:  # what the child acknowledged before it died is still in the pipe
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    os.close(r)
    singles, batches = set(), set()
    for line in data.decode().splitlines():
        kind, value = line.split(" ", 1)
        if kind == "R":
            continue
        assert kind != "E", f"the child failed: {value}"
        (singles if kind == "A" else batches).add(value)
    return singles, batches


def test_sigkill_loses_nothing_acknowledged(tmp_path):
    path = tmp_path / "crash.sqlite3"
    url = f"sqlite:///{path}"
    db = open_database(url)
    Services(db).village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                                [CadreInput(name="张书记", role="secretary")])
    db.dispose()
    full_pinyin("预热")  # load the pinyin dictionary once in the parent; forked children inherit it
    rng = random.Random(20241125)
    acknowledged, batches = set(), set()
    for k in range(KILLS):
        s, b = run_once(url, path, k, rng)
        acknowledged |= s
        batches |= b
        con = sqlite3.connect(path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"damaged after kill {k}"
            numbers = {n for (n,) in con.execute("select number from household")}
            missing = {a for a in acknowledged if a not in numbers}
            assert not missing, f"kill {k}: acknowledged records lost: {sorted(missing)[:5]}"
            for tag, count in con.execute(
                    "select note, count(*) from household where note like 'b%' group by note"):
                assert count == BATCH, f"kill {k}: partial import {tag} ({count} of {BATCH} rows)"
            assert batches <= {t for (t,) in con.execute("select distinct note from household")}
        finally:
            con.close()
    print(f"\n{KILLS} kills: {len(acknowledged)} acknowledged edits, {len(batches)} acknowledged imports, all kept",
          file=sys.stderr)
    assert acknowledged, "the child never got to commit: the harness measured nothing"
