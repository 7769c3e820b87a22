"""Masking of personal data for lists, exports and public notices (DESIGN.md §5.10, domain.md §2.2).

Every function accepts None, empty and too-short values: a half-filled record must never crash a list view.
"""

from __future__ import annotations

import re

from fupin_desktop.domain.text import normalize_text

__all__ = ["mask_id", "mask_phone", "mask_bank"]

_SEPARATORS = re.compile(r"[\s\-]+")


def _clean(value: object) -> str:
    return "" if value is None else normalize_text(str(value)).replace(" ", "")


def mask_id(value: object) -> str:
    """110101********1234 for an 18-digit ID; 15-digit IDs keep 6 + 4 likewise.

    Disability-card numbers (20/22 characters = ID + category + level …) also hide their tail, because the
    category and level are health details that public notices must not show. Short values are fully masked.
    """
    text = _clean(value)
    if len(text) > 18:
        return text[:6] + "*" * 8 + text[14:18] + "*" * (len(text) - 18)
    if len(text) > 10:
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    return "*" * len(text)


def mask_phone(value: object) -> str:
    """138****1234 for a mobile number; other numbers keep only their last 4 digits."""
    text = _SEPARATORS.sub("", _clean(value))
    if len(text) >= 11:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    if len(text) > 4:
        return "*" * (len(text) - 4) + text[-4:]
    return "*" * len(text)


def mask_bank(value: object) -> str:
    """Bank account: only the last 4 digits stay visible."""
    text = _SEPARATORS.sub("", _clean(value))
    if len(text) > 4:
        return "*" * (len(text) - 4) + text[-4:]
    return "*" * len(text)
