"""Merging packages: newer wins, tombstones travel, both-sides changes are conflicts, masked never overwrites."""
from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from fupin_desktop.exchange.merge import INCOMING, LOCAL, apply_merge, plan_merge
from fupin_desktop.exchange.package import export_package
from fupin_desktop.services import Services
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.storage.db import Actor, Database


def _copy_db(services, tmp_path: Path, name: str) -> Services:
    """A second laptop: a copy of the database in its own data folder (so a different source id)."""
    folder = tmp_path / name
    folder.mkdir()
    src = sqlite3.connect(services.db.path)
    dst = sqlite3.connect(folder / "fupin.sqlite3")
    src.backup(dst)
    src.close()
    dst.close()
    db = Database(f"sqlite:///{folder / 'fupin.sqlite3'}")
    return Services(db, actor=Actor(None, name, "admin"), data_dir=folder, today=services.ctx.today)


def _note(s: Services, hid: str) -> str | None:
    return s.households.get(hid).note


def _sync(a: Services, b: Services, tmp_path: Path, tag: str) -> None:
    """Exchange packages both ways (what a team does after copying the database)."""
    pa = export_package(a, tmp_path / f"a-{tag}.xlsx", full=True).path
    apply_merge(b, plan_merge(b, [pa]))
    pb = export_package(b, tmp_path / f"b-{tag}.xlsx", full=True).path
    apply_merge(a, plan_merge(a, [pb]))


@pytest.fixture
def team(services, village, tmp_path):
    ids = []
    for n in range(4):
        hh = services.households.create(HouseholdInput(head_name=f"户主{n}", note="原始"),
                                        [MemberInput(name=f"户主{n}", relation="head", phone="13900000000")]).value
        ids.append(hh.id)
    other = _copy_db(services, tmp_path, "laptop_b")
    _sync(services, other, tmp_path, "base")
    yield services, other, ids
    other.db.dispose()


def test_diverged_copies_report_exactly_the_conflicts(team, tmp_path):
    a, b, (h1, h2, h3, h4) = team
    a.households.update(h1, _input(a, h1, note="A改了1"))
    a.households.update(h2, _input(a, h2, note="A改了2"))
    b.households.update(h2, _input(b, h2, note="B改了2"))
    b.households.update(h3, _input(b, h3, note="B改了3"))
    b.households.delete(h4)
    new = b.households.create(HouseholdInput(head_name="新户")).value

    pkg = export_package(b, tmp_path / "b.xlsx", full=True).path
    plan = plan_merge(a, [pkg])
    assert [(c.table, c.record_id) for c in plan.conflicts] == [("household", h2)]
    conflict = plan.conflicts[0]
    assert conflict.local["note"] == "A改了2" and conflict.incoming["note"] == "B改了2"
    assert "note" in conflict.fields
    updated = {r["id"] for r in plan.updates.get("household", [])}
    assert updated == {h3, h4}  # B's edit and B's tombstone; h1 stays A's (newer, B did not touch it)
    assert {r["id"] for r in plan.inserts.get("household", [])} == {new.id}

    apply_merge(a, plan, {conflict.key: INCOMING})
    assert _note(a, h1) == "A改了1" and _note(a, h2) == "B改了2" and _note(a, h3) == "B改了3"
    assert a.households.count() == 4  # h4 deleted, 新户 added
    # the same package again changes nothing
    again = plan_merge(a, [pkg])
    assert again.is_empty and not again.sync, again.summary()


def test_choosing_local_keeps_mine_and_wins_next_time(team, tmp_path):
    a, b, (h1, *_rest) = team
    a.households.update(h1, _input(a, h1, note="A版"))
    b.households.update(h1, _input(b, h1, note="B版"))
    plan = plan_merge(a, [export_package(b, tmp_path / "b.xlsx", full=True).path])
    assert len(plan.conflicts) == 1
    apply_merge(a, plan, {plan.conflicts[0].key: LOCAL})
    assert _note(a, h1) == "A版"
    # B now receives A's package: A's version is newer and B has not changed since → no conflict there
    back = plan_merge(b, [export_package(a, tmp_path / "a.xlsx", full=True).path])
    assert back.conflicts == [] or [c.record_id for c in back.conflicts] == [h1]


def test_cancel_leaves_database_unchanged(team, tmp_path):
    a, b, _ = team
    for n in range(3):
        b.households.create(HouseholdInput(head_name=f"新{n}"))
    plan = plan_merge(a, [export_package(b, tmp_path / "b.xlsx", full=True).path])
    before = a.households.count()

    class Stop(Exception):
        pass

    calls = []

    def cancel():
        calls.append(1)
        if len(calls) > 1:
            raise Stop

    with pytest.raises(Stop):
        apply_merge(a, plan, cancel=cancel)
    assert a.households.count() == before


def test_masked_package_never_overwrites_real_values(services, village, tmp_path):
    hh = services.households.create(
        HouseholdInput(head_name="王大山", head_id_number="110105194912310038", phone="13812345678"),
        [MemberInput(name="王大山", relation="head", id_number="110105194912310038", phone="13812345678")]).value
    township = _copy_db(services, tmp_path, "township")
    services.households.update(hh.id, _input(services, hh.id, note="村里补充", phone="13812345678"))
    masked = export_package(services, tmp_path / "m.xlsx").path
    plan = plan_merge(township, [masked])
    apply_merge(township, plan)
    got = township.households.get(hh.id)
    assert got.note == "村里补充"
    assert got.head_id_number == "110105194912310038" and got.phone == "13812345678"
    detail = township.households.detail(hh.id)
    assert detail.members[0].id_number == "110105194912310038"
    # a household new to the receiver arrives without the masked numbers (never the stars)
    fresh = services.households.create(HouseholdInput(head_name="新户", phone="13900001111")).value
    plan = plan_merge(township, [export_package(services, tmp_path / "m2.xlsx").path])
    apply_merge(township, plan)
    assert township.households.get(fresh.id).phone is None
    township.db.dispose()


def test_many_villages_into_a_township(services, village, tmp_path):
    from fupin_desktop.exchange.township import write_summary

    services.households.create(HouseholdInput(head_name="东兴一户", household_type="alleviated"))
    p1 = export_package(services, tmp_path / "v1.xlsx").path
    # a second village in its own database
    other_dir = tmp_path / "v2"
    other_dir.mkdir()
    from fupin_desktop.storage.migrate import open_database
    from fupin_desktop.services.village import CadreInput, VillageInput
    db2 = open_database(f"sqlite:///{other_dir / 'f.sqlite3'}")
    s2 = Services(db2, actor=Actor(None, "西岭", "admin"), data_dir=other_dir, today=services.ctx.today)
    s2.village.set_up(VillageInput(name="西岭村", division_code="130204203214", township="大庄坨乡"),
                     [CadreInput(name="赵队员", role="secretary")])
    for n in range(3):
        s2.households.create(HouseholdInput(head_name=f"西岭{n}"))
    p2 = export_package(s2, tmp_path / "v2.xlsx").path
    town_dir = tmp_path / "town"
    town_dir.mkdir()
    db3 = open_database(f"sqlite:///{town_dir / 'f.sqlite3'}")
    town = Services(db3, actor=Actor(None, "乡镇", "admin"), data_dir=town_dir)
    plan = plan_merge(town, [p1, p2])
    assert not plan.conflicts
    apply_merge(town, plan)
    assert town.households.count() == 4
    out = write_summary([p1, p2], tmp_path / "summary.xlsx")
    from openpyxl import load_workbook
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    text = "\n".join(" ".join(str(v) for v in r if v is not None) for r in rows)
    assert "东兴村" in text and "西岭村" in text and "合计" in text
    db2.dispose()
    db3.dispose()


def _input(s: Services, hid: str, **changes) -> HouseholdInput:
    import dataclasses

    dto = s.households.get(hid)
    fields = {f.name: getattr(dto, f.name) for f in dataclasses.fields(HouseholdInput) if hasattr(dto, f.name)}
    fields.update(changes)
    return HouseholdInput(**fields)
