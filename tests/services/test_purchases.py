"""消费帮扶 purchases: households benefiting and totals by channel."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.purchases import PurchaseInput, PurchaseQuery

D = Decimal


def test_purchases_and_totals_by_channel(services, village):
    h1 = services.households.create(HouseholdInput(head_name="王大山", household_type="alleviated")).value
    h2 = services.households.create(HouseholdInput(head_name="赵小禾", monitoring_category="marginal")).value
    ps = services.purchases
    a = ps.create(PurchaseInput(date(2024, 1, 10), "唐山市交通运输局工会", "小米", D("12000"), "platform832",
                                quantity=D(800), unit="斤", households_benefiting=12)).value
    b = ps.create(PurchaseInput(date(2024, 2, 1), "局食堂", "鸡蛋", D("3500.50"), "direct",
                                household_ids=(h1.id, h2.id))).value
    ps.create(PurchaseInput(date(2024, 5, 1), "局食堂", "蔬菜", D("1000"), "direct", household_ids=(h1.id,)))
    assert b.households_benefiting == 2
    assert {x.category for x in b.households} == {"脱贫户", "边缘易致贫户"}
    assert a.households == ()

    t = ps.totals()
    assert [(c.channel, c.count, c.amount) for c in t.by_channel] == [
        ("platform832", 1, D("12000.00")), ("direct", 2, D("4500.50"))]
    assert t.amount == D("16500.50") and t.count == 3
    assert t.households_benefiting == 12 + 2 + 1 and t.distinct_households == 2
    assert ps.totals(PurchaseQuery(start=date(2024, 2, 1), end=date(2024, 3, 31))).amount == D("3500.50")
    assert len(ps.list(PurchaseQuery(text="食堂"))) == 2

    upd = ps.update(b.id, PurchaseInput(date(2024, 2, 1), "局食堂", "鸡蛋", D("3600"), "fair",
                                        household_ids=(h2.id,))).value
    assert upd.channel == "fair" and [x.head_name for x in upd.households] == ["赵小禾"]
    assert upd.households_benefiting == 1
    ps.delete(a.id)
    assert ps.totals().amount_of("platform832") == 0


def test_purchase_validation(services):
    with pytest.raises(ValidationError) as err:
        services.purchases.create(PurchaseInput(date(2024, 1, 1), "", "米", D(1)))
    assert err.value.field == "buyer_unit"
    with pytest.raises(ValidationError) as err:
        services.purchases.create(PurchaseInput(date(2024, 1, 1), "局", "米", D(0)))
    assert err.value.field == "amount"
    assert services.purchases.list() == []
