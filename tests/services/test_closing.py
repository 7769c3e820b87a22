"""结账: every period record kind is refused (add, edit, delete) inside a closed period, with a message naming the
period and who closed it; an administrator's audited 反结账 with a reason lets them through again. Household data
stay editable; a re-print of a closed period's ledger equals the original, or warns after a household change."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D
from typing import Callable

import pytest

from fupin_desktop.domain.errors import ConflictError, PermissionDeniedError, PeriodClosedError, ValidationError
from fupin_desktop.services.closing import PeriodKey
from fupin_desktop.services.diary import DiaryInput
from fupin_desktop.services.donations import DistributionInput, DonationInput, ItemInput
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.monitoring import StepInput
from fupin_desktop.services.projects import FundingInput, ProjectInput
from fupin_desktop.services.purchases import PurchaseInput
from fupin_desktop.services.reporting import Period, ReportFilter
from fupin_desktop.services.visits import VisitInput
from fupin_desktop.services.worklog import WorkLogInput
from fupin_desktop.storage.db import Actor

H1 = PeriodKey.of(2024, half=1)
Q1 = PeriodKey.of(2024, quarter=1)
INSIDE, OTHER_DAY = date(2024, 3, 5), date(2024, 3, 20)
REFUSAL = "2024年第一季度已于{day}由测试管理员结账，不能修改该期间的记录；如需修改请管理员先反结账"


@dataclass
class Case:
    add: Callable  # (services, world, day) -> id
    edit: Callable | None  # (services, world, id) -> None
    delete: Callable  # (services, world, id) -> None


@pytest.fixture
def world(services, village):
    _v, cadres = village
    hid = services.households.create(HouseholdInput(head_name="王大山", household_type="alleviated"),
                                     [MemberInput("王大山", "head")]).value.id
    donation = services.donations.create(DonationInput(
        received_on=date(2024, 1, 10), kind="goods", donor_name="某米业公司", donor_kind="enterprise",
        items=(ItemInput("大米", D(50), "袋", D("80.00")),))).value
    return {"cadre": cadres[0].id, "hid": hid, "donation": donation}


def _visit(s, w, day):
    return s.visits.log_visit(VisitInput(household_id=w["hid"], visit_date=day, cadre_ids=(w["cadre"],),
                                         purposes=("policy",), findings="家中正常")).value.id


def _visit_edit(s, w, i):
    s.visits.update(i, VisitInput(household_id=w["hid"], visit_date=INSIDE, cadre_ids=(w["cadre"],),
                                  purposes=("income",), findings="改过"))


def _diary(s, w, day):
    return s.diary.create(DiaryInput(author_id=w["cadre"], entry_date=day, content="走访了解情况")).value.id


def _worklog_input(day, topic="两委会议"):
    return WorkLogInput(kind="committee", topic=topic, log_date=day)


def _donation_input(day, note=None):
    return DonationInput(received_on=day, kind="cash", donor_name="爱心人士", donor_kind="person",
                         amount=D("500.00"), note=note)


def _purchase_input(day, note=None):
    return PurchaseInput(purchase_date=day, buyer_unit="市交通局食堂", product="小米", amount=D("1200.00"), note=note)


def _attendance_add(s, w, day):
    s.attendance.set_day(w["cadre"], day, "in_village")
    return day


def _distribution(s, w, day):
    rice = w["donation"].items[0]
    return s.donations.distribute(DistributionInput(w["donation"].id, rice.id, household_id=w["hid"],
                                                    quantity=D(1), distributed_on=day)).value[0].id


STAGES = ("clue", "application", "verification", "village_review")


def _step(s, w, day):
    stage = STAGES[w.setdefault("steps", 0)]
    s.monitoring.record_step(w["hid"], StepInput(stage=stage, step_date=day, actor="张书记",
                                                 source="cadre_visit" if stage == "clue" else None))
    w["steps"] += 1
    return w["hid"]


def _step_delete(s, w, hid):
    s.monitoring.delete_last_step(hid)
    w["steps"] -= 1


def _suggestion_input(w, day, adopted=False):
    from fupin_desktop.services.suggestions import SuggestionInput

    return SuggestionInput(cadre_id=w["cadre"], addressee="乡党委", content="建议修缮村道路灯", made_on=day,
                           adopted=adopted)


def _project_input(received, day):
    return ProjectInput(name="村道硬化", total_investment=D("100000.00"),
                        funding=(FundingInput("province", D("100000.00"), received, received_on=day),))


def _funding(s, w, day):
    return s.projects.create(_project_input(D("60000.00"), day)).value.project.id


CASES = {
    "visit": Case(_visit, _visit_edit, lambda s, w, i: s.visits.delete(i)),
    "diary": Case(_diary, lambda s, w, i: s.diary.update(i, DiaryInput(author_id=w["cadre"], entry_date=INSIDE,
                                                                       content="改过")),
                  lambda s, w, i: s.diary.delete(i)),
    "worklog": Case(lambda s, w, d: s.worklog.create(_worklog_input(d)).value.id,
                    lambda s, w, i: s.worklog.update(i, _worklog_input(INSIDE, "党员大会")),
                    lambda s, w, i: s.worklog.delete(i)),
    "attendance": Case(_attendance_add, lambda s, w, d: s.attendance.set_day(w["cadre"], d, "leave"),
                       lambda s, w, d: s.attendance.set_day(w["cadre"], d, None)),
    "donation": Case(lambda s, w, d: s.donations.create(_donation_input(d)).value.id,
                     lambda s, w, i: s.donations.update(i, _donation_input(INSIDE, "改过")),
                     lambda s, w, i: s.donations.delete(i)),
    "distribution": Case(_distribution, lambda s, w, i: s.donations.set_signed(i, True, "王大山"),
                         lambda s, w, i: s.donations.remove_distribution(i)),
    "purchase": Case(lambda s, w, d: s.purchases.create(_purchase_input(d)).value.id,
                     lambda s, w, i: s.purchases.update(i, _purchase_input(INSIDE, "改过")),
                     lambda s, w, i: s.purchases.delete(i)),
    "monitoring_step": Case(_step, None, _step_delete),
    # project funding received: a correction dated inside; removing the project takes its receipts with it
    "funding_received": Case(_funding, lambda s, w, i: s.projects.update(i, _project_input(D("50000.00"), INSIDE)),
                             lambda s, w, i: s.projects.delete(i)),
    "suggestion": Case(lambda s, w, d: s.suggestions.create(_suggestion_input(w, d)).value.id,
                       lambda s, w, i: s.suggestions.update(i, _suggestion_input(w, INSIDE, adopted=True)),
                       lambda s, w, i: s.suggestions.delete(i)),
}


def _refused(services, action) -> None:
    with pytest.raises(PeriodClosedError) as err:
        action()
    closed_on = services.closing.closed_periods()[0].closed_on
    assert str(err.value) == REFUSAL.format(day=f"{closed_on:%Y-%m-%d}")


@pytest.mark.parametrize("kind", list(CASES))
def test_records_of_a_closed_period_are_refused_until_an_audited_reopen(services, world, kind):
    case = CASES[kind]
    existing = case.add(services, world, INSIDE)
    closed = services.closing.close(Q1).value
    assert (closed.label, closed.closed_by, closed.start_date, closed.end_date) == (
        "2024年第一季度", "测试管理员", date(2024, 1, 1), date(2024, 3, 31))

    _refused(services, lambda: case.add(services, world, OTHER_DAY))
    if case.edit:
        _refused(services, lambda: case.edit(services, world, existing))
    _refused(services, lambda: case.delete(services, world, existing))
    # outside the closed quarter the same kind of record is written as usual
    case.add(services, world, date(2024, 5, 2))
    # household data are not period records
    services.households.update(world["hid"], HouseholdInput(head_name="王大山", household_type="alleviated",
                                                            group_name="第3组"))

    with pytest.raises(ValidationError):
        services.closing.reopen(Q1, "  ")
    reopened = services.closing.reopen(Q1, "补录三月份漏记的走访").value
    assert reopened.reopened_by == "测试管理员" and not reopened.is_closed
    assert services.closing.closed_periods() == []
    if case.edit:
        case.edit(services, world, existing)
    case.delete(services, world, existing)
    case.add(services, world, OTHER_DAY)


def test_close_and_reopen_are_for_administrators_and_audited(services, db, village):
    member = type(services)(db, actor=Actor(None, "李队员", "member"), today=services.ctx.today)
    with pytest.raises(PermissionDeniedError):
        member.closing.close(H1)
    services.closing.close(H1)
    with pytest.raises(ConflictError):
        services.closing.close(H1)
    with pytest.raises(PermissionDeniedError):
        member.closing.reopen(H1, "想改")
    services.closing.reopen(H1, "补录")
    with pytest.raises(ValidationError):
        services.closing.reopen(H1, "再来")
    again = services.closing.close(H1).value  # closing again reuses the row
    assert again.is_closed and [c.id for c in services.closing.closed_periods(include_reopened=True)] == [again.id]
    with db.read() as s:
        from sqlalchemy import select

        from fupin_desktop.storage.models import AuditEntry
        details = [d for (d,) in s.execute(select(AuditEntry.detail).where(AuditEntry.entity == "period_close",
                                                                            AuditEntry.detail.is_not(None)))]
    assert details == ["结账：2024年上半年", "反结账：2024年上半年；原因：补录", "结账：2024年上半年"]


def test_a_reprint_equals_the_closing_or_warns_after_a_household_change(services, world):
    _visit(services, world, INSIDE)
    services.closing.close(H1)
    flt = ReportFilter(H1.period)
    for kind in ("roster", "visits"):
        assert services.closing.reprint_warning(services.reporting.ledger(kind, flt), flt) is None
    services.households.update(world["hid"], HouseholdInput(head_name="王大善", household_type="alleviated"))
    for kind in ("roster", "visits"):
        warning = services.closing.reprint_warning(services.reporting.ledger(kind, flt), flt)
        assert warning and warning.startswith("注意：2024年上半年已于") and "与结账时不同" in warning
    # another period, or a filtered print, is not compared
    other = ReportFilter(Period.year(2024))
    assert services.closing.reprint_warning(services.reporting.ledger("visits", other), other) is None


def test_a_period_is_given_once(services):
    with pytest.raises(ValidationError):
        PeriodKey.of(2024, half=1, month=3)
    with pytest.raises(ValidationError):
        PeriodKey.of(2024, quarter=5)
    assert PeriodKey.of(2024, month=2).range() == (date(2024, 2, 1), date(2024, 2, 29))
    assert PeriodKey.of(2024).label == "2024年"


def test_money_arriving_after_a_closed_period_is_recorded_on_its_own_date(services, world):
    pid = _funding(services, world, INSIDE)
    services.closing.close(Q1)
    services.projects.update(pid, _project_input(D("90000.00"), date(2024, 5, 2)))  # the rest arrives in May
    line = services.projects.get(pid).funding[0]
    assert line.received_amount == D("90000.00")
    assert [(r.received_on, r.amount) for r in services.projects.receipts(pid)] == [
        (INSIDE, D("60000.00")), (date(2024, 5, 2), D("30000.00"))]
    # a received amount changed without a date is dated today (the services' today: 2024-06-28)
    services.projects.update(pid, _project_input(D("100000.00"), None))
    assert services.projects.receipts(pid)[-1].received_on == date(2024, 6, 28)
