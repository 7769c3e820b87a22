"""Donations: item lines, stock on hand, distributions that may not exceed stock or cash, condolence visits."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.donations import (
    CondolenceInput, DistributionInput, DonationInput, DonationQuery, ItemInput,
)
from fupin_desktop.services.households import HouseholdInput

D = Decimal


@pytest.fixture
def households(services, village):
    hs = services.households
    return [
        hs.create(HouseholdInput(head_name="王大山", household_type="alleviated")).value,
        hs.create(HouseholdInput(head_name="赵小禾", monitoring_category="marginal")).value,
        hs.create(HouseholdInput(head_name="钱多多", household_type="dibao")).value,
    ]


def goods(services, **kw):
    data = DonationInput(
        received_on=date(2024, 1, 20), kind="goods", donor_name="唐山某米业公司", donor_kind="enterprise",
        receipt_number="JZ-2024-001", purpose="春节慰问困难群众",
        items=(ItemInput("大米", D(20), "袋", D("80.00"), spec="10kg"), ItemInput("食用油", D(20), "桶", D("65.50")),
               ItemInput("棉被", D(5), "床", amount=D("600"))), **kw)
    return services.donations.create(data).value


def test_items_amounts_and_donor(services):
    d = goods(services)
    assert [i.amount for i in d.items] == [D("1600.00"), D("1310.00"), D("600.00")]
    assert d.amount == D("3510.00")
    assert d.donor_name == "唐山某米业公司" and d.donor_kind == "enterprise"
    assert [x.name for x in services.donations.donors()] == ["唐山某米业公司"]
    with pytest.raises(ValidationError) as err:
        goods(services)
    assert err.value.field == "receipt_number"


def test_stock_on_hand_and_negative_refused(services, households):
    d = goods(services)
    rice = d.items[0]
    out = services.donations.distribute([
        DistributionInput(d.id, rice.id, household_id=h.id, quantity=D(2), distributed_on=date(2024, 1, 25))
        for h in households]).value
    assert len(out) == 3
    assert out[0].amount == D("160.00")
    assert {o.household_category for o in out} == {"脱贫户", "边缘易致贫户", "低保户"}
    stock = {r.name: r for r in services.donations.stock()}
    assert stock["大米"].distributed == D(6) and stock["大米"].on_hand == D(14)
    assert stock["食用油"].on_hand == D(20)

    # to a school, not a household
    services.donations.distribute(DistributionInput(d.id, rice.id, target_kind="school", target_name="东兴小学",
                                                    quantity=D(10), distributed_on=date(2024, 1, 26)))
    with pytest.raises(ValidationError) as err:
        services.donations.distribute(DistributionInput(d.id, rice.id, household_id=households[0].id,
                                                        quantity=D(5)))
    assert err.value.field == "quantity"
    assert "“大米（10kg）”库存不足：现有库存 4袋，本次要发放 5袋" in str(err.value)
    assert services.donations.stock()[0].on_hand == D(4)  # nothing written

    # several lines in one step are checked together
    with pytest.raises(ValidationError, match="现有库存 4袋，本次要发放 6袋"):
        services.donations.distribute([DistributionInput(d.id, rice.id, household_id=h.id, quantity=D(3))
                                       for h in households[:2]])
    services.donations.distribute(DistributionInput(d.id, rice.id, household_id=households[1].id, quantity=D(4)))
    with pytest.raises(ValidationError, match="已经全部发完"):
        services.donations.distribute(DistributionInput(d.id, rice.id, household_id=households[1].id,
                                                        quantity=D(1)))
    assert [r.name for r in services.donations.stock(only_on_hand=True)] == ["食用油", "棉被"]

    # the donation cannot lose a line or quantity that was given out
    data = DonationInput(received_on=d.received_on, kind="goods", donor_id=d.donor_id,
                         items=(ItemInput("大米", D(10), "袋", D(80), id=rice.id, spec="10kg"),))
    with pytest.raises(ValidationError, match="不能少于已发放"):
        services.donations.update(d.id, data)


def test_cash_balance_and_signing(services, households):
    cash = services.donations.create(DonationInput(
        received_on=date(2024, 3, 1), kind="cash", donor_name="张三", donor_kind="person", amount=D("5000"))).value
    out = services.donations.distribute([DistributionInput(cash.id, None, household_id=h.id, amount=D("1500"))
                                         for h in households]).value
    assert services.donations.get(cash.id).cash_balance == D("500.00")
    with pytest.raises(ValidationError, match="剩余 500.00元，本次要发放 600.00元"):
        services.donations.distribute(DistributionInput(cash.id, None, household_id=households[0].id,
                                                        amount=D("600")))
    (row,) = services.donations.cash_balances()
    assert (row.amount, row.distributed, row.balance) == (D("5000.00"), D("4500.00"), D("500.00"))

    signed = services.donations.set_signed(out[0].id, True, signed_by="王大山").value
    assert signed.signed and signed.signed_by == "王大山"
    services.donations.remove_distribution(out[1].id)
    assert services.donations.get(cash.id).cash_balance == D("2000.00")

    with pytest.raises(ValidationError) as err:
        services.donations.create(DonationInput(received_on=date(2024, 3, 1), kind="cash", donor_name="x"))
    assert err.value.field == "amount"
    with pytest.raises(ValidationError) as err:
        services.donations.create(DonationInput(received_on=date(2024, 3, 1), kind="goods", donor_name="x"))
    assert err.value.field == "items"


def test_condolence_in_one_step(services, households):
    ids = tuple(h.id for h in households[:2])
    d = services.donations.condolence(CondolenceInput(
        on=date(2024, 2, 5), household_ids=ids, amount_each=D("500"),
        goods_each=(ItemInput("米", D(1), "袋", D("80")), ItemInput("油", D(2), "桶", D("60"))),
        handler="张书记")).value
    assert d.is_condolence and d.kind == "goods"
    assert d.donor_name == "唐山市交通运输局"  # the team's 派出单位
    assert d.amount == D("1400.00")  # 2 households × (500 + 80 + 2 × 60)
    assert {i.name: (i.quantity, i.on_hand) for i in d.items} == {
        "米": (D(2), D(0)), "油": (D(4), D(0)), "慰问金": (D(1000), D(0))}
    dist = services.donations.distributions(donation_id=d.id)
    assert len(dist) == 6
    mine = services.donations.distributions(household_id=households[0].id)
    assert sorted((x.item_name, x.quantity, x.amount) for x in mine) == [
        ("慰问金", D(500), D("500.00")), ("油", D(2), D("120.00")), ("米", D(1), D("80.00"))]

    cash_only = services.donations.condolence(CondolenceInput(
        on=date(2024, 9, 10), household_ids=(households[2].id,), amount_each=D("300"), donor_name="区民政局")).value
    assert cash_only.kind == "cash" and cash_only.amount == D("300.00") and cash_only.cash_balance == 0
    assert len(services.donations.list(DonationQuery(condolence=True))) == 2

    with pytest.raises(ValidationError) as err:
        services.donations.condolence(CondolenceInput(on=date(2024, 9, 10), household_ids=ids))
    assert err.value.field == "amount_each"
    with pytest.raises(ValidationError) as err:
        services.donations.condolence(CondolenceInput(on=date(2024, 9, 10), household_ids=(), amount_each=D(1)))
    assert err.value.field == "household_ids"


def test_delete_removes_distributions(services, households):
    d = goods(services)
    services.donations.distribute(DistributionInput(d.id, d.items[0].id, household_id=households[0].id,
                                                    quantity=D(1)))
    services.donations.delete(d.id)
    assert services.donations.list() == [] and services.donations.stock() == []
    assert services.donations.distributions(household_id=households[0].id) == []
