"""统计用区划代码: 12 digits = province 2 + city 2 + county 2 + township 3 + village 3 (domain.md §8).

The Bureau of Statistics renumbers every year, so callers store the code together with its version year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from fupin_desktop.domain.errors import ValidationError

__all__ = ["LEVELS", "LEVEL_LABELS", "LEVEL_END", "DivisionCode"]

LEVELS: tuple[str, ...] = ("province", "city", "county", "township", "village")
LEVEL_LABELS: dict[str, str] = {"province": "省", "city": "市", "county": "县", "township": "乡镇", "village": "村"}
# Index just past each level's digits.
LEVEL_END: dict[str, int] = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}
_LEVEL_START: dict[str, int] = {"province": 0, "city": 2, "county": 4, "township": 6, "village": 9}

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class DivisionCode:
    """A 12-digit division code of any level (lower levels zero-filled, e.g. 320508000000 for 姑苏区)."""

    value: str

    @classmethod
    def parse(cls, text: object, field: str = "division_code") -> DivisionCode:
        """Raises ValidationError(field, "区划代码应为12位数字…") for anything but 12 digits."""
        value = _SPACES.sub("", unicodedata.normalize("NFKC", str(text if text is not None else "")))
        if len(value) != 12 or not value.isascii() or not value.isdigit():
            raise ValidationError(field, f"区划代码应为12位数字，现在是“{value}”")
        if value[:2] == "00":
            raise ValidationError(field, "区划代码应为12位数字，前两位（省级）不能是00")
        return cls(value)

    @classmethod
    def from_prefix(cls, prefix: str, field: str = "division_code") -> DivisionCode:
        """Pad a level prefix ("3205", "320508019") with zeros to a full code."""
        return cls.parse(str(prefix).strip().ljust(12, "0"), field)

    def __str__(self) -> str:
        return self.value

    def _digits(self, level: str) -> str:
        return self.value[_LEVEL_START[level] : LEVEL_END[level]]

    @property
    def level(self) -> str:
        """The most specific level whose digits are not all zero."""
        for level in reversed(LEVELS):
            if int(self._digits(level)):
                return level
        return "province"

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def is_village(self) -> bool:
        return self._digits("village") != "000"

    def prefix(self, level: str) -> str:
        """Digits that identify this code's ancestor at ``level`` (province "32", county "320508" …)."""
        if level not in LEVEL_END:
            raise ValueError(f"unknown level {level!r}; use one of {LEVELS}")
        return self.value[: LEVEL_END[level]]

    def parent(self) -> DivisionCode | None:
        """The code one level up (lower digits zeroed); None for a province."""
        level = self.level
        if level == "province":
            return None
        return DivisionCode(self.value[: _LEVEL_START[level]].ljust(12, "0"))

    def contains(self, other: DivisionCode) -> bool:
        """True when ``other`` is this area or lies inside it."""
        return other.value.startswith(self.prefix(self.level))
