"""Projects: funding lines that must add up, the status workflow, events, beneficiaries, handover, totals.

The seed test enters the 11 items of seeds/000_df63f9adfb7861d9.txt (东兴村 2023 plan) with their funding splits.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.projects import FundingInput, ProjectInput, ProjectQuery

W = Decimal(10000)


def wan(x: str) -> Decimal:
    return (Decimal(x) * W).quantize(Decimal("0.01"))


# (name, total 万元, action, {source: 万元}) — from the seed text, in its order.
SEED_000 = [
    ("新修村街道路1000米", "28", "required", {"province": "20", "unit": "8"}),
    ("铺设自来水主管线并更换水表", "80", "required",
     {"province": "32", "city": "16", "county": "16", "village": "16"}),
    ("建设村卫生室80平方米", "6", "required", {"city": "5", "county": "1"}),
    ("长效保洁机制及垃圾转运站", "16.7", "required", {"county": "4.3", "village": "12.4"}),
    ("变压器增容至200kva", "10", "required", {"city": "10"}),
    ("电信网通移动信号及通邮全覆盖", "0", "required", {}),
    ("农家书屋新增图书及设备", "4", "required",
     {"province": "1", "city": "1.84", "county": "0.52", "unit": "0.64"}),
    ("村庄环境整治和建设规划", "0", "required", {}),
    ("养殖大户技术培训", "0.6", "required", {"province": "0.6"}),
    ("新修村内排水设施约250米", "10", "optional", {"yishiyiyi": "10"}),
    ("美化墙体6000平方米", "3", "optional", {"unit": "3"}),
]


def seed_input(name, total, action, split) -> ProjectInput:
    return ProjectInput(name=name, year=2023, total_investment=wan(total), action_type=action,
                        category="rural_construction",
                        funding=tuple(FundingInput(src, wan(v)) for src, v in split.items()))


def enter_seed(services):
    return [services.projects.create(seed_input(*item)).value for item in SEED_000]


def test_seed_000_projects_totals_per_project_and_per_source(services):
    enter_seed(services)
    rows = services.projects.list(ProjectQuery(year=2023))
    assert [r.project.name for r in rows] == [item[0] for item in SEED_000]
    for row, (name, total, _a, split) in zip(rows, SEED_000):
        assert row.project.total_investment == wan(total), name
        assert row.planned_by_source == {src: wan(v) for src, v in split.items()}, name
        assert row.planned_total == wan(total)
        assert row.difference == 0
    road = rows[0]
    assert road.planned_by_source == {"province": Decimal("200000.00"), "unit": Decimal("80000.00")}

    t = services.projects.totals(rows)
    assert t.count == 11
    assert t.required_count == 9 and t.optional_count == 2
    assert t.total_investment == wan("158.3")
    assert t.planned_by_source == {
        "province": wan("53.6"), "city": wan("32.84"), "county": wan("21.82"), "village": wan("28.4"),
        "unit": wan("11.64"), "yishiyiyi": wan("10"),
    }
    assert t.planned_total == t.total_investment
    assert t.sources() == ["province", "city", "county", "unit", "village", "yishiyiyi"]
    assert t.count_by_status == {"planning": 11}
    assert t.received_total == 0 and t.received_ratio == 0


def test_mismatch_refused_with_difference_in_yuan_and_wan(services):
    data = ProjectInput(name="村街道路", total_investment=wan("28"),
                        funding=(FundingInput("province", wan("20")), FundingInput("unit", wan("6"))))
    with pytest.raises(ValidationError) as err:
        services.projects.create(data)
    assert err.value.field == "funding"
    msg = str(err.value)
    assert "20,000.00元" in msg and "2万元" in msg and "少" in msg
    assert services.projects.list() == []  # nothing written

    # confirmed by the user: saved as entered, the list shows the difference
    saved = services.projects.create(data, confirm_mismatch=True).value
    assert saved.planned_total == wan("26")
    (row,) = services.projects.list()
    assert row.difference == wan("2")

    too_much = ProjectInput(name="卫生室", total_investment=wan("6"),
                            funding=(FundingInput("city", wan("5")), FundingInput("county", wan("1.5"))))
    with pytest.raises(ValidationError, match="多 5,000.00元（0.5万元）"):
        services.projects.create(too_much)


def test_duplicate_source_and_negative_refused(services):
    with pytest.raises(ValidationError, match="填了两次"):
        services.projects.create(ProjectInput(name="x", total_investment=wan("2"), funding=(
            FundingInput("city", wan("1")), FundingInput("city", wan("1")))))
    with pytest.raises(ValidationError) as err:
        services.projects.create(ProjectInput(name=" "))
    assert err.value.field == "name"


def test_update_replaces_funding_lines_and_received_vs_planned(services):
    p = services.projects.create(seed_input(*SEED_000[1])).value
    data = seed_input(*SEED_000[1])
    data = ProjectInput(**{**data.__dict__, "funding": (
        FundingInput("province", wan("32"), wan("32")), FundingInput("city", wan("16"), wan("10")),
        FundingInput("county", wan("32"), wan("0")))})
    d = services.projects.update(p.project.id, data).value
    assert [f.source for f in d.funding] == ["province", "city", "county"]
    assert d.received_total == wan("42")
    t = services.projects.totals()
    assert t.received_by_source["city"] == wan("10")
    assert t.received_ratio == Decimal("0.5250")


def test_status_workflow_forward_cancel_and_backwards_refused(services):
    pid = services.projects.create(seed_input(*SEED_000[0])).value.project.id
    svc = services.projects
    svc.move(pid, "village_apply", on=date(2023, 3, 1))
    svc.move(pid, "in_progress", on=date(2023, 6, 1), note="开工")  # several steps at once
    p = svc.get(pid).project
    assert p.status == "in_progress" and p.actual_start == date(2023, 6, 1)
    with pytest.raises(ValidationError, match="不能退回"):
        svc.move(pid, "approved")
    with pytest.raises(ValidationError, match="竣工验收后"):
        svc.record_handover(pid, "public", "东兴村股份经济合作社")
    svc.record_progress(pid, 60, note="路基完成", on=date(2023, 8, 1))
    assert svc.get(pid).project.progress_percent == 60
    svc.move(pid, "accepted", on=date(2023, 9, 28))
    p = svc.get(pid).project
    assert p.actual_end == date(2023, 9, 28) and p.progress_percent == 100
    svc.record_handover(pid, "public", "东兴村股份经济合作社", date(2023, 10, 10))
    p = svc.get(pid).project
    assert (p.status, p.asset_type, p.asset_owner, p.handover_date) == (
        "handed_over", "public", "东兴村股份经济合作社", date(2023, 10, 10))
    kinds = [(e.kind, e.to_status, e.percent) for e in svc.events(pid)]
    assert kinds == [("status", "village_apply", None),
                     ("status", "in_progress", None), ("progress", None, 60), ("status", "accepted", None),
                     ("status", "handed_over", None)]

    other = svc.create(seed_input(*SEED_000[4])).value.project.id
    svc.move(other, "cancelled", note="供电局统一安排")
    with pytest.raises(ValidationError, match="已取消"):
        svc.move(other, "funded")
    assert svc.counts_by_status() == {"handed_over": 1, "cancelled": 1}


def test_progress_photos_and_beneficiaries(services, village, tmp_path):
    photo = tmp_path / "site.jpg"
    photo.write_bytes(b"\xff\xd8fake jpeg")
    pid = services.projects.create(seed_input(*SEED_000[2])).value.project.id
    ev = services.projects.record_progress(pid, None, note="主体完工", photos=(photo,)).value
    assert ev.kind == "note" and len(ev.photos) == 1
    assert services.projects.events(pid)[-1].photos == ev.photos
    with pytest.raises(ValidationError):
        services.projects.record_progress(pid, 120)

    h1 = services.households.create(HouseholdInput(head_name="王大山", household_type="alleviated")).value
    h2 = services.households.create(HouseholdInput(head_name="赵小禾", monitoring_category="marginal")).value
    d = services.projects.set_beneficiaries(pid, (h1.id, h2.id)).value
    assert {b.head_name for b in d.beneficiaries} == {"王大山", "赵小禾"}
    d = services.projects.set_beneficiaries(pid, (h2.id,)).value
    assert [b.head_name for b in d.beneficiaries] == ["赵小禾"]
    d = services.projects.set_beneficiaries(pid, (h1.id, h2.id)).value  # re-adding revives the link
    assert len(d.beneficiaries) == 2


def test_delete_and_filters(services):
    enter_seed(services)
    rows = services.projects.list(ProjectQuery(text="排水"))
    assert len(rows) == 1
    services.projects.delete(rows[0].project.id)
    assert len(services.projects.list()) == 10
    assert len(services.projects.list(ProjectQuery(action_type="optional"))) == 1
    assert services.projects.years() == [2023]
