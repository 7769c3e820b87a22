"""家庭纯收入 and 人均纯收入."""

from decimal import Decimal

from fupin_desktop.domain.income import IncomeFigures


def test_net_and_per_capita():
    figures = IncomeFigures(
        wages=Decimal("30000"),
        business=Decimal("8000.50"),
        property=Decimal("1200"),
        transfer=Decimal("3600"),
        production_cost=Decimal("2800.50"),
    )
    assert figures.net_income == Decimal("40000.00")
    assert figures.per_capita(3) == Decimal("13333.33")
    assert figures.per_capita(0) == Decimal("0.00")


def test_per_capita_rounds_half_up():
    figures = IncomeFigures(Decimal("0.05"), Decimal(0), Decimal(0), Decimal(0), Decimal(0))
    assert figures.per_capita(2) == Decimal("0.03")
