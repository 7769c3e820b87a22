"""Round trips through each registry service, validation errors, and the audit trail of an edit."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fupin_desktop.domain.errors import PermissionDeniedError, ValidationError
from fupin_desktop.services.households import HouseholdInput, HouseholdQuery, IncomeInput, MemberInput
from fupin_desktop.services.problems import ProblemInput, ProblemQuery
from fupin_desktop.services.village import CadreInput, ProfileInput, VillageInput
from fupin_desktop.services.visits import CheckInput, VisitInput, VisitQuery
from fupin_desktop.storage.audit import verify_chain
from fupin_desktop.storage.db import Actor
from fupin_desktop.storage.models import AuditEntry, Household

def make_id(birth: date, seq: int) -> str:
    from fupin_desktop.domain.idcard import make_id as mk

    return mk("130204", birth, seq)


def add_family(services, name="张三", sex_seq=11) -> str:
    head = MemberInput(name=name, relation="head", id_number=make_id(date(1970, 3, 4), sex_seq),
                       resident_medical=True)
    wife = MemberInput(name="王秀英", relation="spouse", id_number=make_id(date(1972, 5, 6), sex_seq + 11),
                       resident_medical=True)
    out = services.households.create(HouseholdInput(head_name=name, household_type="alleviated", group_name="第1组",
                                                    phone="13812341234"), [head, wife])
    return out.value.id


def test_village_setup_and_profile(services):
    with pytest.raises(ValidationError) as e:
        services.village.save(VillageInput(name="东兴村", division_code="13020420321"))
    assert e.value.field == "division_code" and "12" in e.value.message
    assert services.village.get() is None  # nothing written
    v, team = None, None
    out = services.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                                  [CadreInput(name="张书记", role="secretary")])
    assert out.changes.touches("village", "cadre")
    assert services.village.get().name == "东兴村"
    services.village.save_profile(ProfileInput(year=2023, households=502, population=1525, party_members=29))
    assert services.village.profile(2023).population == 1525
    services.village.save_profile(ProfileInput(year=2023, households=503, population=1525))
    assert [p.households for p in services.village.profiles()] == [503]


def test_cadres_round_trip(services, village):
    c = services.cadres.create(CadreInput(name="赵帮扶", role="helper", unit="区财政局", phone="13900001111")).value
    assert services.cadres.get(c.id).unit == "区财政局"
    services.cadres.update(c.id, CadreInput(name="赵帮扶", role="helper", unit="区农业局"))
    assert services.cadres.get(c.id).unit == "区农业局"
    with pytest.raises(ValidationError) as e:
        services.cadres.create(CadreInput(name="  ", role="helper"))
    assert e.value.field == "name"
    services.cadres.delete(c.id)
    assert c.id not in [x.id for x in services.cadres.list()]


def test_household_round_trip_and_members(services, village):
    hid = add_family(services)
    d = services.households.detail(hid)
    assert d.household.head_name == "张三" and d.household.member_count == 2
    assert d.household.number == "1302042032130001"
    assert d.household.head_id_number == make_id(date(1970, 3, 4), 11)
    wife = next(m for m in d.members if m.relation == "spouse")
    assert wife.sex == "female" and wife.birth_date == date(1972, 5, 6)  # filled from the ID
    child = services.households.add_member(hid, MemberInput(name="张小明", relation="son",
                                                            id_number=make_id(date(2005, 1, 2), 33))).value
    assert services.households.get(hid).member_count == 3
    with pytest.raises(ValidationError) as e:
        services.households.add_member(hid, MemberInput(name="某某", relation="head"))
    assert e.value.field == "relation"
    with pytest.raises(ValidationError) as e:
        services.households.add_member(hid, MemberInput(name="某某", relation="son",
                                                        id_number=make_id(date(2005, 1, 2), 33)))
    assert e.value.field == "id_number" and "已登记" in e.value.message
    services.households.update_member(child.id, MemberInput(name="张小明", relation="son",
                                                            id_number=child.id_number, schooling=None))
    services.households.remove_member(child.id)
    assert services.households.get(hid).member_count == 2
    # household edits keep the head member's name in step
    services.households.update(hid, HouseholdInput(head_name="张叁", household_type="alleviated"))
    assert next(m for m in services.households.detail(hid).members if m.relation == "head").name == "张叁"
    services.households.delete(hid)
    assert services.households.count() == 0


@pytest.mark.parametrize("bad_id, message", [
    ("110105194912310021", "校验位"),  # wrong check character
    ("11010519491331002X", "出生日期"),  # month 13
])
def test_bad_member_id_writes_nothing(services, village, bad_id, message):
    with pytest.raises(ValidationError) as e:
        services.households.create(HouseholdInput(head_name="李四"), [MemberInput("李四", "head", id_number=bad_id)])
    assert e.value.field == "members[0].id_number" and message in e.value.message
    assert services.households.count() == 0
    with services.db.read() as s:
        assert s.query(AuditEntry).count() == len(_audit_rows_after_setup(s))


def _audit_rows_after_setup(s):
    return s.query(AuditEntry).all()


def test_search_by_pinyin_initials_name_number_and_id_tail(services, village):
    hid = add_family(services, "张三", 11)
    add_family(services, "李四", 13)
    q = services.households
    assert [r.head_name for r in q.page(HouseholdQuery(text="zs"), 0, 10)] == ["张三"]
    assert [r.head_name for r in q.page(HouseholdQuery(text="lisi"), 0, 10)] == ["李四"]
    assert [r.head_name for r in q.page(HouseholdQuery(text="张"), 0, 10)] == ["张三"]
    assert q.count(HouseholdQuery(text="秀英")) == 2  # member names are searched too
    tail = make_id(date(1970, 3, 4), 11)[-4:]
    assert [r.id for r in q.page(HouseholdQuery(text=tail), 0, 10)] == [hid]
    assert q.count(HouseholdQuery(text="1302042032130002")) == 1
    assert q.count(HouseholdQuery(household_type="alleviated", group_name="第1组")) == 2


def test_search_finds_members_and_addresses_but_never_removed_ones(services, village):
    zhang = add_family(services, "张三", 11)
    li = services.households.create(HouseholdInput(head_name="李四", address="东兴村三组桥头"),
                                    [MemberInput("李四", "head"), MemberInput("赵小燕", "daughter")]).value.id
    q = services.households
    assert [r.id for r in q.page(HouseholdQuery(text="zhaoxiao"), 0, 10)] == [li]  # a member's full pinyin (prefix)
    assert [r.id for r in q.page(HouseholdQuery(text="zxy"), 0, 10)] == [li]  # … and initials
    assert [r.id for r in q.page(HouseholdQuery(text="桥头"), 0, 10)] == [li]  # the address
    assert q.count(HouseholdQuery(text="秀英")) == 1  # 王秀英 in 张三's household
    wife = next(m for m in services.households.detail(zhang).members if m.name == "王秀英")
    services.households.remove_member(wife.id)
    assert q.count(HouseholdQuery(text="秀英")) == 0 and q.count(HouseholdQuery(text="wxy")) == 0
    services.households.delete(li)
    assert q.count(HouseholdQuery(text="赵小燕")) == 0 and q.count(HouseholdQuery(text="桥头")) == 0


def test_paging_reads_the_end_backwards_in_the_same_order(services, village):
    for i in range(12):
        services.households.create(HouseholdInput(head_name=f"户主{i:02d}"))
    q = HouseholdQuery(sort="number")
    total = services.households.count(q)
    forward = [r.number for r in services.households.page(q, 0, total)]
    assert [r.number for r in services.households.page(q, 9, 3, total)] == forward[9:12]
    assert [r.number for r in services.households.page(q, 7, 5, total)] == forward[7:12]


def test_income_per_capita(services, village):
    hid = add_family(services)
    inc = services.households.set_income(hid, IncomeInput(year=2023, wages=Decimal("20000"),
                                                           business=Decimal("5000.50"),
                                                           production_cost=Decimal("1000"))).value
    assert inc.net_income == Decimal("24000.50") and inc.per_capita == Decimal("12000.25")
    with pytest.raises(ValidationError):
        services.households.set_income(hid, IncomeInput(year=2023, wages=Decimal("-1")))


def test_pairing(services, village):
    hid = add_family(services)
    helper = services.cadres.create(CadreInput(name="赵帮扶", role="helper")).value
    p = services.pairings.pair(helper.id, hid, date(2024, 1, 1)).value
    assert [x.cadre_name for x in services.pairings.of_household(hid)] == ["赵帮扶"]
    assert services.households.count(HouseholdQuery(cadre_id=helper.id)) == 1
    with pytest.raises(ValidationError):
        services.pairings.pair(helper.id, hid)
    services.pairings.end(p.id, date(2024, 3, 1))
    assert services.households.count(HouseholdQuery(cadre_id=helper.id)) == 0


def test_visit_with_problem_and_workflow(services, village, tmp_path):
    _, team = village
    hid = add_family(services)
    photo = tmp_path / "院子.jpg"
    photo.write_bytes(b"\xff\xd8fake jpeg")
    out = services.visits.log_visit(VisitInput(
        household_id=hid, visit_date=date(2024, 6, 20), cadre_ids=(team[0].id,), purposes=("policy",),
        findings="屋顶漏雨", photos=(str(photo),), checks=(CheckInput("housing", False, "屋顶漏雨"),),
        problems=(ProblemInput(description="屋顶漏雨需维修"),)))
    v = out.value
    assert v.cadre_names == ("张书记",) and v.purposes == ("policy",) and not v.checks[0].secure
    assert out.changes.touches("visit", "problem", "attachment")
    assert services.households.get(hid).last_visit_on == date(2024, 6, 20)
    assert services.households.get(hid).open_problems == 1
    assert len(services.visits.photos(v.id)) == 1
    assert services.visits.count(VisitQuery(cadre_id=team[0].id)) == 1
    (p,) = services.problems.list(ProblemQuery(status="open"))
    assert p.due_date == date(2024, 7, 5) and p.responsible_name == "张书记"
    with pytest.raises(ValidationError) as e:
        services.problems.move(p.id, "resolved")
    assert e.value.field == "resolution"
    with pytest.raises(ValidationError):
        services.problems.move(p.id, "revisited")
    services.problems.move(p.id, "in_progress", note="已联系施工队")
    services.problems.move(p.id, "resolved", resolution="屋顶已修好")
    services.problems.move(p.id, "revisited", satisfaction="satisfied")
    assert [e.to_status for e in services.problems.history(p.id)] == ["pending", "in_progress", "resolved",
                                                                       "revisited"]
    assert services.households.get(hid).open_problems == 0
    assert services.problems.count(ProblemQuery(status="closed")) == 1


def test_visit_validation_writes_nothing(services, village):
    hid = add_family(services)
    with pytest.raises(ValidationError) as e:
        services.visits.log_visit(VisitInput(household_id=hid))
    assert e.value.field == "cadre_ids"
    assert services.visits.count() == 0


def test_coverage_uses_intervals(services, village):
    _, team = village
    a = add_family(services, "张三", 11)
    b = add_family(services, "李四", 13)
    services.visits.log_visit(VisitInput(household_id=a, visit_date=date(2024, 6, 1), cadre_ids=(team[0].id,)))
    services.visits.log_visit(VisitInput(household_id=b, visit_date=date(2024, 1, 2), cadre_ids=(team[0].id,)))
    rows = services.visits.coverage()
    assert [r.head_name for r in rows] == ["李四"]  # 脱贫户 quarterly: 178 days since
    assert rows[0].days_since == 178 and rows[0].interval_days == 90


def test_audit_trail_of_an_edit(services, village):
    hid = add_family(services)
    services.households.update(hid, HouseholdInput(head_name="张三", household_type="alleviated",
                                                   group_name="第2组"))
    with services.db.read() as s:
        updates = s.query(AuditEntry).filter_by(entity="household", entity_id=hid, action="update").all()
        (entry,) = [e for e in updates if "group_name" in e.changes]  # one row for one edit
        assert '"group_name": ["第1组", "第2组"]' in entry.changes
        assert entry.user_name == "测试管理员"
        assert verify_chain(s) == []
        seq = entry.seq
    with services.db.unit_of_work() as s:  # someone edits the file behind the program's back
        s.query(AuditEntry).filter_by(seq=seq).one().detail = "tampered"
    with services.db.read() as s:
        assert any(f"第{seq}条" in f for f in verify_chain(s))


def test_viewer_cannot_write(services, village):
    services.set_actor(Actor(name="检查组", role="viewer"))
    with pytest.raises(PermissionDeniedError):
        services.households.create(HouseholdInput(head_name="王五"))


def test_local_numbers_grow_past_four_digits(services, village):
    from fupin_desktop.storage.models import Household as H

    with services.db.unit_of_work() as s:
        vid = services.village.get().id
        s.add(H(village_id=vid, number="1302042032139999", head_name="甲"))
        s.add(H(village_id=vid, number="13020420321310000", head_name="乙"))
    assert services.households.create(HouseholdInput(head_name="丙")).value.number == "13020420321310001"


def test_search_by_initials_of_either_reading_of_a_heteronym(services, village):
    """长 reads zhang or chang: 刘长海 is found by lch as well as lzh (issue 18, item 2); a member too."""
    liu = add_family(services, "刘长海", 11)
    other = services.households.create(HouseholdInput(head_name="李四"),
                                       [MemberInput("李四", "head"), MemberInput("曾重行", "son")]).value.id
    q = services.households
    assert [r.id for r in q.page(HouseholdQuery(text="lch"), 0, 10)] == [liu]
    assert [r.id for r in q.page(HouseholdQuery(text="lzh"), 0, 10)] == [liu]
    assert q.count(HouseholdQuery(text="lch")) == 1
    assert [r.id for r in q.page(HouseholdQuery(text="zch"), 0, 10)] == [other]  # 重 chong, 行 hang
    assert q.count(HouseholdQuery(text="cch")) == 0  # the surname keeps its reading (曾 zeng), searched by it
    assert [r.id for r in q.page(HouseholdQuery(text="zzx"), 0, 10)] == [other]  # the usual readings
