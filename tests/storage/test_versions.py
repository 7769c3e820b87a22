"""Field versions are stamped by the write hook in the same transaction as the edit (nothing else changes)."""
from __future__ import annotations

import dataclasses

from sqlalchemy import select

from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.storage import versions
from fupin_desktop.storage.models import FieldVersion, MonitoringLine


def _versions(db, row_id):
    with db.read() as s:
        return {r.field: (r.hlc, r.origin, r.author) for r in s.execute(
            select(FieldVersion).where(FieldVersion.row_id == row_id)).scalars()}


def test_an_insert_and_an_edit_stamp_the_fields_they_write(services, village, db):
    h = services.households.create(HouseholdInput(head_name="王大山", phone="13800000000")).value
    first = _versions(db, h.id)
    assert set(first) == {versions.ROW}
    inserted_hlc, origin, author = first[versions.ROW]
    assert author == "测试管理员" and inserted_hlc > 0
    with db.read() as s:
        assert versions.installation(s).id == origin

    data = dataclasses.replace(HouseholdInput(head_name="王大山", phone="13900000000"))
    services.households.update(h.id, data)
    second = _versions(db, h.id)
    assert second[versions.ROW] == first[versions.ROW]
    assert second["phone"][0] > inserted_hlc and second["phone"][1] == origin
    assert "updated_at" not in second and "member_count" not in second  # meta and derived fields are not versioned


def test_a_failed_write_leaves_no_version(services, village, db):
    before = _versions(db, "nothing")
    try:
        with db.unit_of_work() as s:
            s.add(MonitoringLine(year=2030, area="", amount=1))
            s.flush()
            raise RuntimeError("power cut")
    except RuntimeError:
        pass
    with db.read() as s:
        assert s.execute(select(FieldVersion).where(FieldVersion.tbl == "monitoring_line")).first() is None
    assert before == {}


def test_new_village_scoped_records_get_the_installations_village(services, village, db):
    v, _ = village
    with db.unit_of_work() as s:
        line = MonitoringLine(year=2031, area="", amount=1)
        s.add(line)
    assert line.village_id == v.id


def test_the_clock_never_runs_backwards():
    assert versions.tick(0, 1000) == 1000 << 16
    late = (5000 << 16) + 3
    assert versions.tick(late, 1000) == late + 1  # wall clock went back: count on
    assert versions.receive(10 << 16, late, 20) == late + 1  # a package from the future: later local edits still win


def test_a_data_folder_copied_to_another_computer_gets_its_own_identity(services, village, db, monkeypatch):
    from fupin_desktop.storage import signing

    with db.unit_of_work() as s:
        first = versions.installation(s)
        key = signing.signer(s.connection()).public_key
    versions._homes_checked.clear()
    monkeypatch.setattr(versions.socket, "gethostname", lambda: "队员的笔记本")
    with db.unit_of_work() as s:
        copy = versions.installation(s)
        assert copy.id != first.id and copy.hlc == first.hlc and copy.village_id == first.village_id
        assert signing.signer(s.connection()).public_key != key  # the copy signs with a key of its own
        from fupin_desktop.storage.sync_store import vector

        assert vector(s.connection())[first.id] == first.hlc  # the original's edits count as seen
    versions._homes_checked.clear()
    with db.unit_of_work() as s:  # the same computer again: no new identity
        assert versions.installation(s).id == copy.id
