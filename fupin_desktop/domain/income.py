"""Household income arithmetic (domain.md §1.2): 家庭纯收入 and 人均纯收入."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from fupin_desktop.domain.money import CENT, to_money

__all__ = ["IncomeFigures"]


@dataclass(frozen=True)
class IncomeFigures:
    """The four income types and production costs of one household for one year, in yuan."""

    wages: Decimal
    business: Decimal
    property: Decimal
    transfer: Decimal
    production_cost: Decimal

    @property
    def gross_income(self) -> Decimal:
        """Sum of the four income types (家庭总收入)."""
        return to_money(self.wages + self.business + self.property + self.transfer)

    @property
    def net_income(self) -> Decimal:
        """家庭纯收入 = four income types − 生产经营性支出 (may be negative after a failed harvest)."""
        return to_money(self.gross_income - self.production_cost)

    def per_capita(self, size: int) -> Decimal:
        """人均纯收入 = net income ÷ household size, half up to cents; 0.00 for an empty household."""
        if size <= 0:
            return Decimal("0.00")
        return (self.net_income / size).quantize(CENT, rounding=ROUND_HALF_UP)
