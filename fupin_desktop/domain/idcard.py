"""公民身份号码 (GB 11643-1999): parsing, check character, derived birth date and sex.

Layout: digits 1–6 area code, 7–14 birth date YYYYMMDD, 15–17 sequence (17th odd = male, even = female),
18 check character.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain.errors import ValidationError

__all__ = ["WEIGHTS", "CHECK_CHARS", "check_char", "IdCardNumber", "is_valid", "make_id"]

# Weight of digit i (1-based) is 2**(18-i) mod 11. One published page prints a wrong list; this one is computed.
WEIGHTS: tuple[int, ...] = tuple(pow(2, 17 - i, 11) for i in range(17))
CHECK_CHARS = "10X98765432"
MIN_BIRTH_YEAR = 1880

_SPACES = re.compile(r"\s+")


def check_char(first17: str) -> str:
    """Check character for the first 17 digits: ``"10X98765432"[Σ dᵢ·Wᵢ mod 11]``."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need 17 digits, got {first17!r}")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def _normalize(text: object) -> str:
    # NFKC turns full-width digits and Ｘ into ASCII; spreadsheets add spaces and NBSPs anywhere.
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).upper()


def _birth_date(digits8: str, field: str, today: date | None = None) -> date:
    try:
        born = date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
    except ValueError:
        raise ValidationError(field, f"出生日期 {digits8} 不存在") from None
    if born.year < MIN_BIRTH_YEAR:
        raise ValidationError(field, f"出生日期 {digits8} 早于{MIN_BIRTH_YEAR}年，请核对")
    if born > (today or date.today()):
        raise ValidationError(field, f"出生日期 {digits8} 晚于今天，请核对")
    return born


@dataclass(frozen=True)
class IdCardNumber:
    """A validated 18-character ID number (last character a digit or uppercase X)."""

    value: str

    @classmethod
    def parse(cls, text: str, field: str = "id_number") -> IdCardNumber:
        """Parse user input: spaces, full-width characters and lowercase x are tolerated; 15-digit IDs upgraded.

        Raises ValidationError(field, message) saying exactly what is wrong.
        """
        if text is None:
            raise ValidationError(field, "身份证号不能为空")
        value = _normalize(text)
        if not value:
            raise ValidationError(field, "身份证号不能为空")
        if len(value) == 15:
            if not value.isascii() or not value.isdigit():
                raise ValidationError(field, "15位身份证号只能由数字组成")
            # Legacy IDs carry a 2-digit year of the 1900s and no check character.
            first17 = value[:6] + "19" + value[6:]
            _birth_date(first17[6:14], field)
            return cls(first17 + check_char(first17))
        if len(value) != 18:
            raise ValidationError(field, f"身份证号应为18位，现在是{len(value)}位")
        for position, char in enumerate(value[:17], start=1):
            if not ("0" <= char <= "9"):
                raise ValidationError(field, f"身份证号第{position}位“{char}”不是数字")
        if not ("0" <= value[17] <= "9" or value[17] == "X"):
            raise ValidationError(field, f"身份证号最后一位只能是数字或X，现在是“{value[17]}”")
        _birth_date(value[6:14], field)
        expected = check_char(value[:17])
        if value[17] != expected:
            raise ValidationError(field, f"身份证号校验位不对，应为 {expected}")
        return cls(value)

    def __str__(self) -> str:
        return self.value

    @property
    def area_code(self) -> str:
        return self.value[:6]

    @property
    def birth_date(self) -> date:
        v = self.value
        return date(int(v[6:10]), int(v[10:12]), int(v[12:14]))

    @property
    def sex(self) -> str:
        """ "male" when digit 17 is odd, otherwise "female" (codes of the ``sex`` list)."""
        return "male" if int(self.value[16]) % 2 else "female"

    def age_on(self, d: date) -> int:
        """Completed years on day ``d`` (a person born on 29 Feb turns a year older on 1 Mar)."""
        from fupin_desktop.domain.privacy import age_on

        return age_on(self.birth_date, d)

    def masked(self) -> str:
        """The one masking rule of :func:`fupin_desktop.domain.privacy.mask_id` (area code only)."""
        from fupin_desktop.domain.privacy import mask_id

        return mask_id(self.value)


def is_valid(text: str | None) -> bool:
    """True when ``text`` parses as an ID number (15-digit legacy numbers included)."""
    if text is None:
        return False
    try:
        IdCardNumber.parse(text)
    except ValidationError:
        return False
    return True


def make_id(area6: str, birth: date, seq3: int) -> str:
    """Build a valid 18-digit ID number (demo data, tests). Odd ``seq3`` gives a man, even a woman."""
    if len(area6) != 6 or not area6.isdigit():
        raise ValueError(f"area code must be 6 digits, got {area6!r}")
    if not 0 <= seq3 <= 999:
        raise ValueError(f"sequence must be 0..999, got {seq3}")
    first17 = f"{area6}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq3:03d}"
    return first17 + check_char(first17)
