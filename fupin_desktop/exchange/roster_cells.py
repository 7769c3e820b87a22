"""Roster import, step 2a: reading one cell's value — cleaning spreadsheet text, the field rules of domain/fields.py,
code lists with the variants counties write (domain/code_synonyms.py), the user's value mapping, and the values
nobody knows (collected so the import dialog and the CLI can offer them for mapping).

Everything here depends on a cell's text alone, so :mod:`roster` caches the outcomes per distinct text.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from fupin_desktop.domain import codes
from fupin_desktop.domain.code_synonyms import IMPLIED_TYPE, NOT_MONITORED, household_kind, parse_yes_no
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.fields import poverty_cause_codes, read_id, risk_type_codes, work_months
from fupin_desktop.domain.phone import clean_phone
from fupin_desktop.exchange.roster_layout import CODE_OF_FIELD, _SPACES, _squeeze

__all__ = ["MONITORING_PREFIX", "YES", "NO", "MAPPABLE", "value_choices", "choice_code", "Unknown", "CodeReader", "cached"]

#: value-mapping target of a 户类型 column meaning "this is a 监测对象 category" (``monitoring_category:marginal``)
MONITORING_PREFIX = "monitoring_category:"
YES, NO = "yes", "no"
_YES_NO = ("dibao", "tekun")
#: fields whose unknown values can be mapped to a code by the user
MAPPABLE = tuple(CODE_OF_FIELD) + ("relation", "health") + _YES_NO


class Unknown(ValueError):
    """A value no code list or mapping knows; ``text`` is what the cell says (offered for mapping)."""

    def __init__(self, message: str, text: str):
        super().__init__(message)
        self.text = text


def value_choices(fieldname: str) -> list[tuple[str, str]]:
    """(code, label) a value of ``fieldname`` may be mapped to (the import dialog's combo, the CLI's --value)."""
    if fieldname in _YES_NO:
        return [(YES, "是"), (NO, "否")]
    list_name = "relation" if fieldname == "relation" else "health" if fieldname == "health" else CODE_OF_FIELD[
        fieldname]
    out = [(i.code, i.label) for i in codes.get(list_name).items()]
    if fieldname == "household_type":
        out += [(MONITORING_PREFIX + i.code, f"监测对象：{i.label}")
                for i in codes.get("monitoring_category").items()]
    return out


def choice_code(fieldname: str, text: str) -> str | None:
    """The mapping target for ``text`` typed by a user (a code, a label or 监测对象：label); None if none fits."""
    word = _squeeze(text)
    for code, label in value_choices(fieldname):
        if word in (code, _squeeze(label)) or (code.startswith(MONITORING_PREFIX) and word == _squeeze(label[5:])):
            return code
    if fieldname in CODE_OF_FIELD or fieldname in ("relation", "health"):
        list_name = CODE_OF_FIELD.get(fieldname, fieldname)
        code = codes.get(list_name).code_for_label(word)
        if code is not None:
            return code
        if fieldname == "household_type":
            category = codes.get("monitoring_category").code_for_label(word)
            return MONITORING_PREFIX + category if category else None
    return None


# --- cleaning ---------------------------------------------------------------------------------------------------


def clean(value: Any) -> str:
    """Cell → text without any whitespace, full-width characters folded (NFKC)."""
    if value is None:
        return ""
    if value.__class__ is not str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return "".join(value.split()) if (" " in value or not value.isprintable()) else value


def clean_text(value: Any) -> str:
    if value is None:
        return ""
    if value.__class__ is str:
        # Already clean (the common case): no whitespace at all — every whitespace character but " " is
        # unprintable — and NFKC-normal. Then the expression below would return it unchanged.
        if value.isprintable() and " " not in value and (value.isascii()
                                                         or unicodedata.is_normalized("NFKC", value)):
            return value
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()


# --- field rules on cells (domain/fields.py; messages as the household form's) -------------------------------


def parse_id(raw: Any) -> tuple[str, str, date]:
    """(ID, sex code, birth date); raises ValueError with a Chinese message."""
    if isinstance(raw, float) and not raw.is_integer() or isinstance(raw, float) and raw > 1e15:
        raise ValueError("身份证号被存成了数字，后几位已经丢失。请把这一列设为文本后重新填写")
    return parse_id_text(clean(raw).upper())


def parse_id_text(text: str, today: date | None = None) -> tuple[str, str, date]:
    try:
        return read_id(text, today=today)
    except ValidationError as e:
        raise ValueError(e.message) from None


def phone(raw: Any) -> str | None:
    try:
        return clean_phone(clean(raw))
    except ValidationError as e:
        raise ValueError(e.message) from None


def months(raw: Any) -> int | None:
    try:
        return work_months(raw.strip() if raw.__class__ is str else raw)
    except ValidationError as e:
        raise ValueError(e.message) from None


def outcome(fn: Callable[[Any], Any], raw: Any) -> tuple[bool, Any, str | None]:
    """(True, fn(raw), None) or (False, the Chinese message, the unknown text or None) — cacheable per cell text."""
    try:
        return True, fn(raw), None
    except Unknown as e:
        return False, str(e), e.text
    except ValueError as e:
        return False, str(e), None


def cached(seen: dict, fn: Callable[[Any], Any], raw: Any) -> tuple[bool, Any, str | None]:
    """:func:`outcome`, remembered in ``seen`` per cell text (a roster repeats a handful of values per column)."""
    if raw.__class__ is str:
        hit = seen.get(raw)
        if hit is None:
            hit = seen[raw] = outcome(fn, raw)
        return hit
    return outcome(fn, raw)


# --- code lists with the user's value mapping -------------------------------------------------------------------


@dataclass
class CodeReader:
    """Reads the cells of one code column: the user's mapping first, then the code list (with the variants of
    domain/code_synonyms.py). Raises :class:`Unknown` for a value nobody knows."""

    field: str
    mapped: Mapping[str, str]

    def __post_init__(self) -> None:
        list_name = CODE_OF_FIELD.get(self.field, self.field if self.field in ("relation", "health") else None)
        self.codes = codes.get(list_name) if list_name else None

    def _mapped(self, text: str) -> str | None:
        return self.mapped.get(_squeeze(text)) if self.mapped else None

    def code(self, raw: Any) -> str | None:
        """The code of a single-valued code cell (None for a blank one)."""
        text = clean(raw)
        if not text:
            return None
        code = self._mapped(text) or self.codes.code_for_label(text)
        if code is None:
            raise Unknown(f"“{text}”不是{self.codes.title}的选项", text)
        return code

    def relation(self, raw: Any) -> str:
        text = clean(raw)
        if not text:
            raise ValueError("与户主关系不能为空")
        code = self._mapped(text) or (codes.relation_from_numeric(text) if text.isdigit()
                                      else self.codes.code_for_label(text))
        if code is None:
            raise Unknown(f"“{text}”不是与户主关系的选项（如 户主、配偶、之子，或 01、10、20）", text)
        return code

    def multi(self, raw: Any) -> str | None:
        """A multi-valued cell (健康状况 “残疾,长期慢性病”, 风险类型 “因病、因学”) → comma-joined codes; the count
        limits of 风险类型 (5) and 致贫原因 (3) are the domain's (domain/fields.py)."""
        text = clean_text(raw)
        if not text:
            return None
        out: list[str] = []
        for part in _split_multi(text):
            code = self._mapped(part) or self.codes.code_for_label(part)
            if code is None:
                raise Unknown(f"“{part}”不是{self.codes.title}里的选项", part)
            if code not in out:
                out.append(code)
        limit = _LIMITS.get(self.field)
        if limit:
            try:
                limit(out)
            except ValidationError as e:
                raise ValueError(e.message) from None
        return ",".join(out) or None

    health = multi

    def yes_no(self, raw: Any) -> bool:
        text = clean(raw)
        mapped = self._mapped(text) if text else None
        if mapped in (YES, NO):
            return mapped == YES
        try:
            return parse_yes_no(text)
        except ValueError as e:
            raise Unknown(str(e), text) from None

    def household_kind(self, raw: Any) -> tuple[str | None, str | None] | None:
        """(household type, monitoring category) of a 户类型/类别 cell (domain.code_synonyms.household_kind)."""
        text = clean(raw)
        if not text:
            return None
        mapped = self._mapped(text)
        if mapped and mapped.startswith(MONITORING_PREFIX):
            category = mapped[len(MONITORING_PREFIX):]
            return IMPLIED_TYPE.get(category), category
        if mapped:
            return mapped, None
        kind = household_kind(text)
        if kind is None:
            raise Unknown(f"“{text}”不是户类型或监测对象类别的选项", text)
        return kind

    def monitoring(self, raw: Any) -> str | None:
        text = clean(raw)
        if not text or text in NOT_MONITORED:
            return None
        return self.code(text)


_LIMITS = {"risk_types": risk_type_codes, "poverty_causes": poverty_cause_codes}


def _split_multi(text: str) -> list[str]:
    import re

    return [p.strip() for p in re.split(r"[,，、;；/]", text) if p.strip()]
