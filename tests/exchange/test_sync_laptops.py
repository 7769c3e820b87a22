"""Two team laptops exchanging 同步包: field-level merge, conflicts listed with both values, photos travel."""
from __future__ import annotations

import pytest

from fupin_desktop.exchange.sync_package import report_lines
from fupin_desktop.storage.models import Attachment, Household, Member

from tests.sync_helpers import Laptop


@pytest.fixture
def laptops(tmp_path, template_db):
    a = Laptop(tmp_path / "A", template_db, "张书记")
    b = Laptop(tmp_path / "B", template_db, "李队员")
    a.demo(12, seed=4)
    b.merge(a.pack())
    yield a, b
    a.close()
    b.close()


def test_the_same_field_is_a_conflict_listed_with_both_values_and_other_fields_merge_silently(laptops):
    a, b = laptops
    hid = a.first_id(Household)
    a.edit(Household, hid, phone="13800000001", address="东兴村一组1号")
    b.edit(Household, hid, phone="13900000002", note="儿子已返乡务工")

    report = b.merge(a.pack())
    lines = report_lines(report)
    assert lines[-1] == "新增 0 条，更新 1 条，相同 %d 条，冲突 1 条" % (report.totals()[2])
    (c,) = report.conflicts
    assert c.table == "household" and c.field == "phone" and c.kind == "field"
    assert {c.applied_value, c.other_value} == {"13800000001", "13900000002"}
    assert {c.applied_by, c.other_by} == {"张书记", "李队员"}
    text = "\n".join(lines)
    assert "联系电话" in text and "13800000001" in text and "13900000002" in text

    a.merge(b.pack())
    ha, hb = a.get(Household, hid), b.get(Household, hid)
    assert ha.address == hb.address == "东兴村一组1号"  # different fields: both survive, nothing listed
    assert ha.note == hb.note == "儿子已返乡务工"
    assert ha.phone == hb.phone == c.applied_value  # the same winner on both laptops
    # the conflict travelled: both laptops list the one conflict
    assert [x.id for x in a.services.sync.conflicts()] == [x.id for x in b.services.sync.conflicts()] == [c.id]


def test_choosing_the_other_value_is_an_edit_that_travels(laptops):
    a, b = laptops
    hid = a.first_id(Household)
    a.edit(Household, hid, phone="13800000001")
    b.edit(Household, hid, phone="13900000002")
    (c,) = b.merge(a.pack()).conflicts
    b.services.sync.resolve(c.id, take_other=True)
    assert b.get(Household, hid).phone == c.other_value
    assert b.services.sync.conflicts() == []
    report = a.merge(b.pack())
    assert report.conflicts == ()
    assert a.get(Household, hid).phone == c.other_value
    assert a.services.sync.conflicts() == []  # resolved on B, resolved everywhere


def test_an_edit_against_a_deletion_is_a_conflict(laptops):
    a, b = laptops
    mid = a.first_id(Member)
    from fupin_desktop.storage.models import utcnow

    a.edit(Member, mid, deleted_at=utcnow())
    b.edit(Member, mid, work_place="江苏苏州")
    report = b.merge(a.pack())
    (c,) = report.conflicts
    assert c.kind == "delete" and c.table == "member"
    assert c.other_value == {"work_place": "江苏苏州"}
    assert b.get(Member, mid).deleted_at is not None  # the deletion applies on both; the person decides
    b.services.sync.resolve(c.id, take_other=True)  # keep the member
    a.merge(b.pack())
    assert a.get(Member, mid).deleted_at is None and a.get(Member, mid).work_place == "江苏苏州"


def test_merging_twice_and_merging_ones_own_package_change_nothing(laptops):
    a, b = laptops
    pack = a.pack()
    again = b.merge(pack)
    assert again.totals()[:2] == (0, 0) and again.totals()[3] == 0
    own = a.merge(pack)
    assert own.totals()[:2] == (0, 0)


def test_a_photo_attached_on_a_opens_on_b(laptops, tmp_path):
    a, b = laptops
    hid = a.first_id(Household)
    photo = tmp_path / "门前.png"
    from PySide6.QtGui import QColor, QImage

    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("darkgreen"))
    assert image.save(str(photo))
    a.services.attachments.attach("household", hid, photo, caption="危房改造后")
    report = b.merge(a.pack())
    assert report.packages[0].attachments_added == 1
    (att,) = b.services.attachments.of("household", hid)
    assert att.caption == "危房改造后"
    path = b.services.attachments.path_of(att.sha256, att.filename)
    assert path.read_bytes() == photo.read_bytes()
    opened = QImage(str(path))
    assert not opened.isNull() and opened.width() == 64
    # sent once only: a second package carries it again, the receiver keeps the one copy
    assert b.merge(a.pack()).packages[0].attachments_added == 0
    assert b.count(Attachment) == 1


def test_a_first_merge_of_two_laptops_that_both_edited_one_household_loses_nothing_unlisted(tmp_path):
    """Both laptops hold the same village from before versions existed (the 0002 fixture, upgraded on each), have
    never merged, and both edited one household — one of them under the old program (no version at all)."""
    import shutil
    import sqlite3
    from pathlib import Path

    from fupin_desktop.storage.migrate import open_database

    fixture = Path(__file__).parents[1] / "storage" / "fixtures" / "schema_0002_demo20.sqlite3"
    laptops = []
    for name, user in (("A", "张书记"), ("B", "李队员")):
        folder = tmp_path / name
        folder.mkdir()
        shutil.copyfile(fixture, folder / "fupin.sqlite3")
        if name == "B":  # edited under the old program: no version
            con = sqlite3.connect(folder / "fupin.sqlite3")
            con.execute("UPDATE household SET toilet = '水冲式' WHERE number = (SELECT min(number) FROM household)")
            con.commit()
            con.close()
        db = open_database(f"sqlite:///{folder / 'fupin.sqlite3'}", backup_dir=folder / "backups")
        laptops.append(Laptop(folder, fixture, user, db=db))
    a, b = laptops
    with a.db.read() as s:
        hid = s.query(Household).order_by(Household.number).first().id
    a.edit(Household, hid, phone="13800000001", drinking_water="自来水", bank_account="6228000000000001")
    b.edit(Household, hid, phone="13900000002", address="东兴村三组8号")
    with b.db.unit_of_work() as s:  # B also changed the bank account under the old program (no version)
        s.connection().exec_driver_sql(f"UPDATE household SET bank_account = '6228999999999999' WHERE id = '{hid}'")

    report = b.merge(a.pack())
    found = {(c.field, frozenset((c.applied_value, c.other_value))) for c in report.conflicts}
    assert ("phone", frozenset({"13800000001", "13900000002"})) in found
    # A's first edit of the bank account replaced another value than B's old-program one: listed, not lost
    assert ("bank_account", frozenset({"6228000000000001", "6228999999999999"})) in found
    # toilet differs between the copies with no version on either side: listed (the larger value wins on both)
    assert any(c.field == "toilet" for c in report.conflicts)
    assert b.get(Household, hid).drinking_water == "自来水"
    assert b.get(Household, hid).address == "东兴村三组8号"
    a.merge(b.pack())
    ha, hb = a.get(Household, hid), b.get(Household, hid)
    assert (ha.phone, ha.address, ha.drinking_water, ha.toilet) == (hb.phone, hb.address, hb.drinking_water, hb.toilet)
    # every value that was replaced without both sides having seen it is in the list
    assert {c.id for c in a.services.sync.conflicts()} == {c.id for c in b.services.sync.conflicts()}
    for x in laptops:
        x.close()
