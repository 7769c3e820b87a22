"""Masking of personal data for lists, pages, exports, PDFs, logs and public notices (DESIGN.md §5.10, domain.md §2.2).

One rule for the 身份证号, used everywhere a number is shown masked: :func:`mask_id`. It must hold against
everything else the same output shows (an ID is 6 area digits + 8 birth-date digits + 3 sequence digits, the 17th
odd for men, + 1 check character computed from the other 17):

* The area code is no secret (it is the village's county for nearly everyone), so it stays visible: it tells a
  married-in spouse from another county and catches a mistyped province.
* The birth date, the sequence and the check character are hidden. The check character carries nothing about the
  person — it is a function of the other 17 digits — but it lets whoever rebuilds an ID throw away 10 of every 11
  guesses, so it is not shown. The last-4 mask (``130204********3037``) was undone by any birth date printed
  beside it: 1 candidate.
* Masked outputs show the **age** (completed years on the document's date, :func:`age_on`) instead of the birth
  date, never both, and never a birth year or month. Knowing area, age, sex (digit 17 odd/even) and the date of the
  document, a masked ID leaves ≈ 365 birth dates × 100 sequences × 5 digits of the right parity ≈ 182,500
  candidates — and still ≥ 1,830 if the first two sequence digits are guessed from the police station of the
  village (they often are). A birth date beside it would leave 500: below the 1,000 the house rule asks for.

Every function accepts None, empty and too-short values: a half-filled record must never crash a list view.
"""

from __future__ import annotations

import re
from datetime import date

from fupin_desktop.domain.text import normalize_text

__all__ = ["mask_id", "mask_phone", "mask_bank", "age_on", "AGE_TITLE", "ID_VISIBLE", "MASK"]

_SEPARATORS = re.compile(r"[\s\-]+")
MASK = "*"
ID_VISIBLE = 6  # leading characters of an ID a masked output shows: the area code, nothing else
AGE_TITLE = "年龄"  # what masked outputs print where the full ones print 出生日期


def _clean(value: object) -> str:
    return "" if value is None else normalize_text(str(value)).replace(" ", "")


def mask_id(value: object) -> str:
    """130204************ : the 6-digit area code of an 18-digit ID, every other character hidden.

    15-digit IDs (area + YYMMDD + sequence) keep their area code likewise. Disability-card numbers (20/22
    characters = ID + category + level) hide their tail too: category and level are health details. Values of 10
    characters or fewer (not an ID) are fully masked. The length stays visible (it says which kind of number).
    """
    text = _clean(value)
    if len(text) > 10:
        return text[:ID_VISIBLE] + MASK * (len(text) - ID_VISIBLE)
    return MASK * len(text)


def age_on(birth: date | None, on: date) -> int | None:
    """Completed years on day ``on`` (someone born on 29 February turns a year older on 1 March); None if unknown.

    Masked outputs print this instead of the birth date, computed on the one date the output states (its print or
    export date) so that two ages of one person never narrow the birth date further.
    """
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def mask_phone(value: object) -> str:
    """138****1234 for a mobile number; other numbers keep only their last 4 digits."""
    text = _SEPARATORS.sub("", _clean(value))
    if len(text) >= 11:
        return text[:3] + MASK * (len(text) - 7) + text[-4:]
    if len(text) > 4:
        return MASK * (len(text) - 4) + text[-4:]
    return MASK * len(text)


def mask_bank(value: object) -> str:
    """Bank account: only the last 4 digits stay visible."""
    text = _SEPARATORS.sub("", _clean(value))
    if len(text) > 4:
        return MASK * (len(text) - 4) + text[-4:]
    return MASK * len(text)
