"""The field rules of households and members, written once: the household form (services/households.py
``validate_household``/``validate_member``) and the roster import (exchange/roster.py) both call these, so a value
accepted by one is accepted by the other, with the same Chinese message.

Every rule raises :class:`ValidationError` (field, message). Phones: :func:`fupin_desktop.domain.phone.clean_phone`;
text lengths: :mod:`fupin_desktop.domain.lengths`; code-list words: ``domain/codes.py`` + ``code_synonyms.py``.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from fupin_desktop.domain import codes
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.idcard import CHECK_CHARS, MIN_BIRTH_YEAR, WEIGHTS, IdCardNumber
from fupin_desktop.domain.lengths import MAX_LENGTH

__all__ = ["read_id", "work_months", "check_education_schooling", "health_codes", "risk_type_codes",
           "poverty_cause_codes", "household_number", "WORK_MONTHS_MESSAGE", "NUMBER_MAX", "MAX_RISK_TYPES",
           "MAX_POVERTY_CAUSES"]

WORK_MONTHS_MESSAGE = "务工时间应为0到12之间的整数（月）"
MAX_RISK_TYPES = 5
MAX_POVERTY_CAUSES = 3
NUMBER_MAX = MAX_LENGTH["household"]["number"]

_CHECK_LAST = frozenset("0123456789X")
_BIRTHS: dict[str, date | str] = {}  # YYYYMMDD of an ID → its date, or the message of what is wrong with it


def _id_birth(digits8: str) -> date | str:
    hit = _BIRTHS.get(digits8)
    if hit is None:
        try:
            hit = date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
            if hit.year < MIN_BIRTH_YEAR:
                hit = f"出生日期 {digits8} 早于{MIN_BIRTH_YEAR}年，请核对"
        except ValueError:
            hit = f"出生日期 {digits8} 不存在"
        if len(_BIRTHS) < 200_000:
            _BIRTHS[digits8] = hit
    return hit


def read_id(text: str, field: str = "id_number", today: date | None = None) -> tuple[str, str, date]:
    """(ID number, sex code, birth date) of a 身份证号 — the rule of :meth:`IdCardNumber.parse` (same messages).

    The common clean 18-character form is checked on a fast path (an import reads 100,000 of them): the check
    character is computed in C, Σ dᵢ·(2^(17-i) mod 11) ≡ 2·Σ dᵢ·13^(16-i) (mod 11) because 13 ≡ 2, i.e.
    ``int(digits, 13)``; birth dates are cached. Anything else (spaces, full-width digits, 15 digits) goes through
    :meth:`IdCardNumber.parse`.
    """
    if len(text) == 18 and text.isascii() and text[:17].isdigit() and text[17] in _CHECK_LAST:
        check = CHECK_CHARS[int(text[:17], 13) * 2 % 11]
        born = _id_birth(text[6:14])
        if born.__class__ is str:
            raise ValidationError(field, born)
        if born > (today or date.today()):
            raise ValidationError(field, f"出生日期 {text[6:14]} 晚于今天，请核对")
        if check != text[17]:
            raise ValidationError(field, f"身份证号校验位不对，应为 {check}")
        return text, ("male" if text[16] in "13579" else "female"), born
    card = IdCardNumber.parse(text, field=field)
    return card.value, card.sex, card.birth_date


if any(int(d, 13) * 2 % 11 != sum(int(c) * w for c, w in zip(d, WEIGHTS)) % 11
       for d in ("11010519491231002", "99999999999999999", "00000000000000001", "12345678901234567")):
    raise ImportError("ID check character shortcut disagrees with the weights")  # never: 13 ≡ 2 (mod 11)

_MONTHS = re.compile(r"^(\d+(?:\.\d+)?)(?:个月|个|月)?$")


def work_months(value: object, field: str = "work_months") -> int | None:
    """务工时间(月): a whole number 0–12 (“6”, 6, 6.0, “6个月”, “6月”); None for a blank value."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(field, WORK_MONTHS_MESSAGE)
    if isinstance(value, int):
        months = value
    else:
        text = "".join(unicodedata.normalize("NFKC", str(value)).split())
        if not text:
            return None
        m = _MONTHS.match(text)
        try:
            number = Decimal(m.group(1)) if m else None
        except InvalidOperation:
            number = None
        months = int(number) if number is not None and number == number.to_integral_value() else -1
    if not 0 <= months <= 12:
        raise ValidationError(field, WORK_MONTHS_MESSAGE)
    return months


def check_education_schooling(education: str | None, schooling: str | None) -> None:
    """文化程度 is for people not in school, 在校生状况 for those in school: only one of them (domain.md §1.4)."""
    if education and schooling:
        raise ValidationError("schooling", "文化程度和在校生状况只能填一项")


def _codes(list_name: str, value: object, field: str) -> tuple[str, ...]:
    """Codes of a multi-valued field: text such as “残疾,长期慢性病” (words as counties write them) or a sequence
    of codes/words from a form. Raises ValidationError naming the unknown value."""
    if value is None or value == "":
        return ()
    lst = codes.get(list_name)
    if isinstance(value, str):
        return tuple(lst.parse_multi(value, field))
    out: list[str] = []
    for item in value:
        code = lst.code_for_label(item)
        if code is None:
            raise ValidationError(field, f"“{item}”不是{lst.title}里的选项")
        if code not in out:
            out.append(code)
    return tuple(out)


def health_codes(value: object, field: str = "health") -> tuple[str, ...]:
    """健康状况: one or several states, e.g. “残疾,长期慢性病”."""
    return _codes("health", value, field)


def risk_type_codes(value: object, field: str = "risk_types", required: bool = False) -> tuple[str, ...]:
    """风险类型: up to five per household (domain.md §2.3); ``required`` for identification (纳入监测)."""
    found = _codes("risk_type", value, field)
    if required and not found:
        raise ValidationError(field, f"请选择风险类型（最多{MAX_RISK_TYPES}项）")
    if len(found) > MAX_RISK_TYPES:
        raise ValidationError(field, f"风险类型最多{MAX_RISK_TYPES}项")
    return found


def poverty_cause_codes(value: object, field: str = "poverty_causes") -> tuple[str, ...]:
    """致贫原因: one main cause first, then up to two others (domain.md §2.4)."""
    found = _codes("poverty_cause", value, field)
    if len(found) > MAX_POVERTY_CAUSES:
        raise ValidationError(field, "致贫原因最多填1个主要原因和2个其他原因")
    return found


def household_number(value: str | None) -> str:
    """户编号: opaque text (domain.md §8.2), at most 32 characters, spaces dropped at the ends."""
    from fupin_desktop.domain.text import normalize_text

    number = normalize_text(value or "")
    if len(number) > NUMBER_MAX:
        raise ValidationError("number", f"户编号最多{NUMBER_MAX}位")
    return number
