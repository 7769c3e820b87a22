"""How long a text field may be: the sizes of the database columns (storage/models.py ``String(n)``), checked
before a value reaches the database — PostgreSQL refuses a longer value with an error that prints the whole
statement (IDs included), SQLite stores it silently. Free-text columns (``Text``) get a sensible bound too.

tests/domain/test_lengths.py keeps these numbers equal to the models' column sizes.
"""
from __future__ import annotations

from fupin_desktop.domain.errors import ValidationError

__all__ = ["MAX_LENGTH", "NOTE_MAX", "CELL_MAX", "too_long", "check_length"]

NOTE_MAX = 2000  # 备注 and other Text columns: a page of text
CELL_MAX = 32_767  # the most Excel puts into one cell

#: table → field → the most characters the column holds
MAX_LENGTH: dict[str, dict[str, int]] = {
    "household": {"number": 32, "head_name": 64, "group_name": 32, "natural_village": 32, "address": 256,
                  "head_id_number": 22, "phone": 32, "relocation_address": 256, "drinking_water": 64,
                  "toilet": 64, "bank_account": 32},
    "member": {"person_number": 32, "name": 64, "id_number": 22, "dropout_reason": 64, "work_place": 128,
               "work_company": 128, "public_job": 64, "phone": 32, "note": NOTE_MAX},
}


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
