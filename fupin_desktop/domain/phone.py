"""Phone numbers (联系电话): one rule for the work team and the households.

A mobile number has 11 digits and starts with 1; a fixed line is dialled with its area code (0 + 2–3 digits, then
7–8 digits: 10–12 digits). A 7- or 8-digit local number without the area code cannot be dialled from a mobile in
another county, which is where a township or the dispatching unit calls from — so it is refused with a message
that says what to add. Spaces and hyphens are dropped; full-width digits are read.
"""
from __future__ import annotations

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.text import normalize_text

__all__ = ["clean_phone"]


def clean_phone(value: str | None, field: str = "phone") -> str | None:
    """The digits of a phone number, or None for a blank one. Raises ValidationError(field, …)."""
    text = normalize_text(value or "").replace(" ", "").replace("-", "")
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(field, "电话号码只能包含数字（可用空格或短横线分隔）")
    if len(text) in (7, 8) and not text.startswith("0"):
        raise ValidationError(field, "固定电话请加上区号（如 0315-1234567）")
    if text.startswith("1"):
        if len(text) != 11:
            raise ValidationError(field, f"手机号应为11位，这里是{len(text)}位")
        return text
    if text.startswith("0"):
        if not 10 <= len(text) <= 12:
            raise ValidationError(field, "固定电话应为区号加号码，共10到12位（如 0315-1234567）")
        return text
    raise ValidationError(field, "电话号码应为11位手机号，或区号加号码的固定电话")
