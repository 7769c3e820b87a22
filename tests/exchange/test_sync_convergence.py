"""Convergence of 同步包 merges (hypothesis, 200 examples): three copies, random edits, deletions and photos, merges
in random orders; after everyone has met everyone, all three hold identical data, and every value that was
overwritten by a concurrent edit (neither side knowing the other) is listed as a conflict on every copy.

The oracle models causality exactly: each edit remembers which edits its copy knew of when it was made; a merge
gives the receiver everything the sender knew when it packed."""
from __future__ import annotations

import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from fupin_desktop.services import Services
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.storage import versions
from fupin_desktop.storage.db import Actor, Database
from fupin_desktop.storage.models import Attachment, Household, Installation, Member, SyncState, utcnow

from tests.sync_helpers import Laptop

FIELDS = {"household": ("phone", "address", "note"), "member": ("work_place", "note")}
COMPARED_OUT = {"installation", "sync_state", "sender_key", "field_version", "audit_entry", "app_user", "setting"}


@pytest.fixture(scope="module")
def base(tmp_path_factory, template_db) -> tuple[Path, list[tuple[str, str]]]:
    """A small village written through the services, then cut loose from its installation (as a copy made by
    merging a package is): every copy starts from it knowing all of its edits."""
    folder = tmp_path_factory.mktemp("base")
    path = folder / "fupin.sqlite3"
    shutil.copyfile(template_db, path)
    db = Database(f"sqlite:///{path}")
    s = Services(db, actor=Actor(None, "建库", "admin"), data_dir=folder)
    s.village.set_up(VillageInput(name="东兴村", division_code="130204203213"), [CadreInput(name="张书记")])
    records = []
    for i in range(2):
        h = s.households.create(HouseholdInput(head_name=f"王{i}山"), [MemberInput(name=f"王{i}山", relation="head"),
                                                                        MemberInput(name=f"李{i}花", relation="spouse")]).value
        records.append(("household", h.id))
    with db.unit_of_work() as session:
        for mid in session.execute(select(Member.id).order_by(Member.id)).scalars():
            records.append(("member", mid))
        info = versions.installation(session)
        session.execute(Installation.__table__.delete())
        session.add(SyncState(source_id=info.id, last_merged_at=utcnow(), seen_hlc=info.hlc))
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path, records


@dataclass
class Edit:
    id: int
    table: str
    row: str
    field: str
    value: object
    knew: frozenset


copies = st.integers(0, 2)
ops = st.lists(st.one_of(
    st.tuples(st.just("edit"), copies, st.integers(0, 5), st.integers(0, 2)),
    st.tuples(st.just("delete"), copies, st.integers(0, 5), st.just(0)),
    st.tuples(st.just("photo"), copies, st.integers(0, 1), st.just(0)),
    st.tuples(st.just("merge"), copies, copies, st.just(0)),
), min_size=1, max_size=9)


def _state(laptop: Laptop) -> dict:
    out = {}
    with laptop.db.read() as s:
        conn = s.connection()
        for name, t in versions.synced_tables().items():
            if name in COMPARED_OUT:
                continue
            # derived counters (members, last visit, open problems) are kept by each copy's services, not merged
            cols = [c for c in t.columns if c.name not in versions.DERIVED.get(name, ())]
            out[name] = sorted(tuple(r) for r in conn.execute(select(*cols)))
        out["conflicts"] = sorted(
            (c.id, c.resolved_at is not None) for c in laptop.services.sync.conflicts(open_only=False))
    return out


@pytest.mark.slow
# 60 examples in the default run (~50 s; the default run stays under 10 minutes); issue 15 asks for ≥ 200:
# SYNC_EXAMPLES=200 (README, ~3 min on a quiet machine).
@settings(max_examples=int(os.environ.get("SYNC_EXAMPLES", "60")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=ops, order=st.permutations([0, 1, 2]))
# found by this test: a merge that changed fields but not the newest updated_at let the column's onupdate stamp "now"
@example(steps=[("delete", 0, 0, 0), ("edit", 0, 0, 0), ("edit", 1, 0, 1)], order=[2, 1, 0])
# both copies deleted the household, then one edited its tombstone: nothing was lost to the other's deletion
@example(steps=[("delete", 0, 0, 0), ("delete", 1, 0, 0), ("edit", 0, 0, 0)], order=[0, 1, 2])
def test_three_copies_converge_and_every_concurrent_overwrite_is_listed(base, tmp_path_factory, steps, order):
    path, records = base
    root = tmp_path_factory.mktemp("copies")
    laptops = []
    for i in range(3):
        folder = root / "ABC"[i]
        folder.mkdir()
        shutil.copyfile(path, folder / "fupin.sqlite3")
        laptops.append(Laptop(folder, path, f"用户{'ABC'[i]}", db=Database(f"sqlite:///{folder / 'fupin.sqlite3'}")))
    known = [set(), set(), set()]
    edits: list[Edit] = []
    deletions: list[Edit] = []
    counter = itertools.count(1)
    photos = 0
    try:
        for kind, a, b, c in steps:
            if kind == "edit":
                table, row = records[b]
                fld = FIELDS[table][c % len(FIELDS[table])]
                n = next(counter)
                value = f"{'ABC'[a]}{n}"
                laptops[a].edit(Household if table == "household" else Member, row, **{fld: value})
                edits.append(Edit(n, table, row, fld, value, frozenset(known[a])))
                known[a].add(n)
            elif kind == "delete":
                table, row = records[b]
                n = next(counter)
                laptops[a].edit(Household if table == "household" else Member, row, deleted_at=utcnow())
                deletions.append(Edit(n, table, row, "deleted_at", None, frozenset(known[a])))
                known[a].add(n)
            elif kind == "photo":
                photos += 1
                f = root / f"photo{photos}.jpg"
                f.write_bytes(b"\xff\xd8\xff" + f"照片{photos}{'ABC'[a]}".encode() * 50)
                laptops[a].services.attachments.attach("household", records[b][1], f)
            else:  # merge a's package into b
                if a != b:
                    laptops[b].merge(laptops[a].pack())
                    known[b] |= known[a]
        # everyone meets everyone, in a random order
        p = order
        for src, dst in ((p[0], p[1]), (p[1], p[2]), (p[2], p[0]), (p[0], p[1])):
            laptops[dst].merge(laptops[src].pack())
        states = [_state(x) for x in laptops]
        assert states[0] == states[1] == states[2]
        # merging again changes nothing
        again = laptops[p[2]].merge(laptops[p[0]].pack())
        assert again.totals()[0] == again.totals()[1] == 0

        conflicts = laptops[0].services.sync.conflicts(open_only=False)
        losers = {(c.row_id, c.field, c.other_value) for c in conflicts if c.kind == "field"}
        for (table, row, fld), group in itertools.groupby(
                sorted(edits, key=lambda e: (e.table, e.row, e.field, e.id)), key=lambda e: (e.table, e.row, e.field)):
            group = list(group)
            final = getattr(laptops[0].get(Household if table == "household" else Member, row), fld)
            for e in group:
                if e.value == final:
                    continue
                overwritten_knowingly = any(e.id in later.knew for later in group)
                if not overwritten_knowingly:
                    assert (row, fld, e.value) in losers, f"{e} overwritten without a conflict"
        deleted_rows = {c.row_id for c in conflicts if c.kind == "delete"}
        for d in deletions:
            # an edit made where the row was already deleted (its copy knew some deletion of it) loses nothing to
            # another deletion: the row was deleted on the editing copy too
            on_a_tombstone = {e.id for e in edits for other in deletions
                              if other.row == e.row and other.id in e.knew}
            concurrent = [e for e in edits if e.row == d.row and e.id not in d.knew and d.id not in e.knew
                          and e.id not in on_a_tombstone]
            if concurrent:
                assert d.row in deleted_rows, f"{concurrent} against the deletion {d} not listed"
        # every photo is on every laptop
        for x in laptops:
            with x.db.read() as s:
                for sha, name in s.execute(select(Attachment.sha256, Attachment.filename)):
                    assert x.services.attachments.path_of(sha, name).is_file()
    finally:
        for x in laptops:
            x.close()
