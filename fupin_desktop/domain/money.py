"""Money: ``Decimal`` yuan with two places everywhere; 万元 only for display.

Floats are refused outright: 0.1 + 0.2 style errors in a fund ledger are not acceptable, and a float reaching
this module means some caller skipped parsing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from fupin_desktop.domain.errors import ValidationError

__all__ = ["CENT", "MAX_AMOUNT", "to_money", "parse_money", "to_wan", "format_yuan", "format_wan", "money_sum"]

CENT = Decimal("0.01")
WAN = Decimal(10000)
# The database column is Numeric(14, 2).
MAX_AMOUNT = Decimal("999999999999.99")

# Optional sign, digits with optional thousands separators, optional fraction.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_SPACES = re.compile(r"\s+")


def _parse_text(text: str, field: str) -> Decimal:
    raw = text
    # NFKC: full-width digits, commas and points (１，２３４．５) become ASCII.
    text = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    text = text.lstrip("¥￥")
    factor = Decimal(1)
    if text.endswith("万元"):
        text, factor = text[:-2], WAN
    elif text.endswith("万"):
        text, factor = text[:-1], WAN
    elif text.endswith("元"):
        text = text[:-1]
    if not text:
        detail = f"“{raw.strip()}”没有数字" if raw.strip() else "没有填写"
        raise ValidationError(field, f"金额格式不对：{detail}")
    if not _NUMBER.fullmatch(text):
        raise ValidationError(field, f"金额格式不对：“{raw.strip()}”")
    return Decimal(text.replace(",", "")) * factor


def parse_money(text: object, field: str) -> Decimal:
    """Amount in yuan, rounded half up to cents; ValidationError(field, "金额格式不对：…") on bad input.

    Accepts Decimal, int and text such as "1,234.5", "１２３４", "12.3元", "¥12", "28万元" (= 280000.00).
    Raises TypeError for float and bool: they are programming errors, not user input.
    """
    if isinstance(text, (bool, float)):
        raise TypeError(f"money must not be a {type(text).__name__} ({text!r}); pass Decimal, int or str")
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, str):
        value = _parse_text(text, field)
    elif text is None:
        raise ValidationError(field, "金额格式不对：没有填写")
    else:
        raise TypeError(f"cannot read money from {type(text).__name__}")
    if not value.is_finite():
        raise ValidationError(field, f"金额格式不对：“{text}”")
    try:
        value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValidationError(field, "金额太大") from None
    if abs(value) > MAX_AMOUNT:
        raise ValidationError(field, "金额太大")
    # -0.00 prints as "-0.00"; nobody wants that.
    return value if value else CENT * 0


def to_money(value: object) -> Decimal:
    """Same as :func:`parse_money` with field "amount"."""
    return parse_money(value, "amount")


def to_wan(amount: object, places: int = 2) -> Decimal:
    """Yuan → 万元, rounded half up to ``places`` decimals (e.g. 18,450 → 1.85)."""
    exponent = Decimal(1).scaleb(-places)
    result = (to_money(amount) / WAN).quantize(exponent, rounding=ROUND_HALF_UP)
    return result if result else abs(result)


def format_yuan(amount: object) -> str:
    """ "1,234.50": thousands separators and always two decimals."""
    return f"{to_money(amount):,.2f}"


def format_wan(amount: object, places: int = 2) -> str:
    """Compact Chinese 万元 text as work reports write it: 280000 → "28万元", 167000 → "16.7万元".

    The value is first rounded half up to ``places`` decimals of 万元 (18,450 → "1.85万元"), then trailing
    zeros are dropped. Documents that show 万元 should say so once in their header.
    """
    text = f"{to_wan(amount, places):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}万元"


def money_sum(values: Iterable[object]) -> Decimal:
    """Sum of amounts (each read with :func:`to_money`); None entries are skipped as "not filled"."""
    total = Decimal("0.00")
    for value in values:
        if value is not None:
            total += to_money(value)
    return total


def format_quantity(q) -> str:
    """A quantity of goods without trailing zeros: 3.000 → "3", 2.500 → "2.5" (empty for None). The one quantity
    text of forms, ledgers, sign sheets and the 交接清单."""
    if q is None:
        return ""
    text = f"{Decimal(q):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
