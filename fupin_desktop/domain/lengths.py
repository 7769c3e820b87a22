"""How long a text field may be: the sizes of the database columns (storage/models.py ``String(n)``), checked
before a value reaches the database — PostgreSQL refuses a longer value with an error that prints the whole
statement (IDs included), SQLite stores it silently. Free-text columns (``Text``) get a sensible bound too.

tests/domain/test_lengths.py keeps these numbers equal to the models' column sizes.
"""
from __future__ import annotations

from fupin_desktop.domain.errors import ValidationError

__all__ = ["MAX_LENGTH", "TITLES", "NOTE_MAX", "CELL_MAX", "too_long", "check_length", "check_lengths"]

NOTE_MAX = 2000  # 备注 and other Text columns: a page of text
CELL_MAX = 32_767  # the most Excel puts into one cell

#: table → field → the most characters the column holds
MAX_LENGTH: dict[str, dict[str, int]] = {
    "household": {"number": 32, "head_name": 64, "group_name": 32, "natural_village": 32, "address": 256,
                  "head_id_number": 22, "phone": 32, "relocation_address": 256, "drinking_water": 64,
                  "toilet": 64, "bank_account": 32, "note": NOTE_MAX},
    "member": {"person_number": 32, "name": 64, "id_number": 22, "dropout_reason": 64, "work_place": 128,
               "work_company": 128, "public_job": 64, "phone": 32, "note": NOTE_MAX},
}


#: Chinese titles of the fields (for messages)
TITLES: dict[str, dict[str, str]] = {
    "household": {"number": "户编号", "head_name": "户主姓名", "group_name": "村民小组", "natural_village": "自然村",
                  "address": "住址", "head_id_number": "户主身份证号", "phone": "联系电话",
                  "relocation_address": "安置地址", "drinking_water": "饮水情况", "toilet": "厕所情况",
                  "bank_account": "银行账号", "note": "备注"},
    "member": {"person_number": "人口编号", "name": "姓名", "id_number": "身份证号", "dropout_reason": "辍学原因",
               "work_place": "务工所在地", "work_company": "务工单位", "public_job": "公益岗位", "phone": "联系电话",
               "note": "备注"},
}


PARSED = frozenset({"head_id_number", "id_number", "phone"})  # their own rules bound them (18 characters, 7–12 digits)


def check_lengths(table: str, values: object) -> None:
    """:func:`check_length` of every bounded text field of ``table`` that ``values`` (an object with those
    attributes, e.g. a form's input) carries as text."""
    for field in MAX_LENGTH[table]:
        if field in PARSED:
            continue
        text = getattr(values, field, None)
        if isinstance(text, str):
            check_length(table, field, text.strip(), TITLES[table][field])


def too_long(table: str, field: str, text: str | None) -> str | None:
    """The Chinese message when ``text`` is longer than the column allows (None when it fits or is unbounded)."""
    limit = MAX_LENGTH.get(table, {}).get(field)
    if text is None or limit is None or len(text) <= limit:
        return None
    return f"太长了：最多{limit}个字，现在有{len(text):,}个字"


def check_length(table: str, field: str, text: str | None, title: str) -> None:
    """Raise ValidationError(field, "…") naming ``title`` when ``text`` does not fit its column."""
    problem = too_long(table, field, text)
    if problem:
        raise ValidationError(field, f"{title}{problem}")
