"""工作日志 (kinds, photos, counts by kind), 驻村考勤 (days in the village against the rules), code lists."""
from __future__ import annotations

from datetime import date

import pytest

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import PermissionDeniedError, ValidationError
from fupin_desktop.services.attendance import village_days
from fupin_desktop.services.worklog import WorkLogInput, WorkLogQuery
from fupin_desktop.storage.db import Actor


@pytest.fixture(autouse=True)
def _clean_local_codes():
    yield
    for cl in codes.CODE_LISTS.values():
        cl.clear_local()


def test_worklog_crud_photos_and_counts(services, village, tmp_path):
    photo = tmp_path / "会议.jpg"
    photo.write_bytes(b"\xff\xd8fake-jpeg")
    a = services.worklog.create(WorkLogInput(kind="committee", topic="研究产业项目", log_date=date(2024, 6, 3),
                                             attendees_count=9, host="张书记", photos=(str(photo),))).value
    assert a.photo_count == 1 and a.kind_label == "两委会议"
    services.worklog.create(WorkLogInput(kind="party_lesson", topic="七一党课", log_date=date(2024, 6, 28)))
    services.worklog.create(WorkLogInput(kind="committee", topic="上半年总结", log_date=date(2024, 6, 20)))
    services.worklog.create(WorkLogInput(kind="training", topic="去年的培训", log_date=date(2023, 11, 2)))
    with pytest.raises(ValidationError) as err:
        services.worklog.create(WorkLogInput(kind="party", topic="x"))
    assert err.value.field == "kind"
    with pytest.raises(ValidationError) as err:
        services.worklog.create(WorkLogInput(kind="other", topic=" "))
    assert err.value.field == "topic"
    with pytest.raises(ValidationError) as err:
        services.worklog.create(WorkLogInput(kind="other", topic="x", photos=(str(tmp_path / "missing.jpg"),)))
    assert err.value.field == "photos"
    counts = {k.kind: k.count for k in services.worklog.counts_by_kind(date(2024, 1, 1), date(2024, 12, 31))}
    assert counts["committee"] == 2 and counts["party_lesson"] == 1 and counts["training"] == 0
    assert list(counts) == codes.get("worklog_kind").codes()
    assert services.worklog.count(WorkLogQuery(kind="committee")) == 2
    assert [x.topic for x in services.worklog.list(WorkLogQuery(text="党课"))] == ["七一党课"]
    b = services.worklog.update(a.id, WorkLogInput(kind="symposium", topic="产业座谈", log_date=date(2024, 6, 3),
                                                   photos=(str(photo),))).value
    assert b.kind == "symposium" and b.photo_count == 2
    assert len(services.worklog.photos(a.id)) == 2
    services.worklog.delete(a.id)
    assert services.worklog.count() == 3 and services.worklog.photos(a.id) == []


def test_days_in_the_village_count_official_trips_not_leave(services, village):
    _, (sec, member) = village
    services.settings.set("attendance.min_days_per_month", 20)
    services.settings.set("target.village_days_per_year", 30)
    # May 2024: fill the month as 在村, then 3 days of leave, 2 official trips, 1 other
    assert services.attendance.fill_month(sec.id, 2024, 5).value == 31
    marks = {date(2024, 5, 6): "leave", date(2024, 5, 7): "leave", date(2024, 5, 8): "leave",
             date(2024, 5, 20): "official_trip", date(2024, 5, 21): "official_trip", date(2024, 5, 31): "other"}
    services.attendance.set_days(sec.id, marks)
    may = services.attendance.month(sec.id, 2024, 5)
    assert may.count.by_status == {"in_village": 25, "leave": 3, "official_trip": 2, "other": 1}
    assert may.count.village_days == 27 and may.count.meets and may.count.finished
    # June (today is 2024-06-28): fill only fills up to today and keeps marked days
    services.attendance.set_day(sec.id, date(2024, 6, 3), "leave", note="病假")
    assert services.attendance.fill_month(sec.id, 2024, 6).value == 27
    june = services.attendance.month(sec.id, 2024, 6)
    assert june.days[date(2024, 6, 3)] == "leave" and june.notes[date(2024, 6, 3)] == "病假"
    assert date(2024, 6, 29) not in june.days and june.count.village_days == 27 and not june.count.finished
    # April: only 12 days, below the monthly rule
    services.attendance.set_days(sec.id, {date(2024, 4, d): "in_village" for d in range(1, 13)})
    year = services.attendance.year(sec.id, 2024)
    assert [m.village_days for m in year.months[3:6]] == [12, 27, 27]
    assert year.village_days == 66 and year.meets and year.required_year == 30
    assert year.months[3].short_by == 8 and year.months_short == 1 + 3  # April, and Jan–Mar with nothing
    assert village_days(["in_village", "official_trip", "leave", "other"]) == 2
    # clearing a day and marking it again (the (cadre, day) pair is unique)
    services.attendance.set_day(sec.id, date(2024, 4, 1), None)
    assert services.attendance.month(sec.id, 2024, 4).count.village_days == 11
    services.attendance.set_day(sec.id, date(2024, 4, 1), "official_trip")
    assert services.attendance.month(sec.id, 2024, 4).days[date(2024, 4, 1)] == "official_trip"
    # overwrite fills every day
    services.attendance.fill_month(member.id, 2024, 3, "in_village", skip_weekends=True)
    assert services.attendance.month(member.id, 2024, 3).count.village_days == 21
    team = {y.cadre_name: y.village_days for y in services.attendance.team_year(2024)}
    assert team == {"张书记": 66, "李队员": 21}


def test_attendance_validation(services, village):
    _, (sec, _m) = village
    with pytest.raises(ValidationError) as err:
        services.attendance.set_day(sec.id, date(2024, 6, 29), "in_village")
    assert err.value.field == "day"
    with pytest.raises(ValidationError) as err:
        services.attendance.set_day(sec.id, date(2024, 6, 1), "holiday")
    assert err.value.field == "status"
    with pytest.raises(ValidationError) as err:
        services.attendance.fill_month(sec.id, 2024, 7)
    assert err.value.field == "month"


def test_code_list_extensions_are_stored_and_loaded(services, village):
    item = services.codelists.add("worklog_kind", "主题党日").value
    assert item.code == "x_zhutidangri" and item.local
    assert codes.label("worklog_kind", item.code) == "主题党日"
    services.worklog.create(WorkLogInput(kind=item.code, topic="6月主题党日"))
    with pytest.raises(ValidationError) as err:
        services.codelists.add("worklog_kind", "党课")
    assert err.value.field == "label"
    # a fresh start: the local item comes back from the database
    for cl in codes.CODE_LISTS.values():
        cl.clear_local()
    assert item.code not in codes.get("worklog_kind")
    assert services.codelists.load_extensions() == 1
    assert codes.label("worklog_kind", item.code) == "主题党日"
    listed = {i.name: i for i in services.codelists.lists()}["worklog_kind"]
    assert listed.items[-1].local and listed.items[-1].label == "主题党日"
    services.codelists.remove("worklog_kind", item.code)
    assert item.code not in codes.get("worklog_kind")
    with pytest.raises(ValidationError):
        services.codelists.remove("worklog_kind", "committee")  # built-in
    assert services.codelists.add("worklog_kind", "主题党日").value.code == item.code  # revived
    services.set_actor(Actor(user_id=None, name="队员", role="member"))
    with pytest.raises(PermissionDeniedError):
        services.codelists.add("weather", "冰雹")
