"""Text clean-up and pinyin keys for the name search box (张三 → "zhangsan" / "zs")."""

from __future__ import annotations

import re

__all__ = ["normalize_text", "full_pinyin", "pinyin_initials"]

# Full-width ASCII letters/digits (U+FF10–U+FF5A range pieces) → ASCII; the ideographic space → space.
# Only these: NFKC would also turn Chinese punctuation (，（）) into ASCII and change free text.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_FULLWIDTH[0x3000] = 0x20
_SPACES = re.compile(r"\s+")
_HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+)")

# Surnames whose reading differs from the character's common reading; applied to the first character of a
# short name only, since the pinyin dictionary reads 曾 as "ceng" and 单 as "dan".
_SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "覃": "qin",
    "缪": "miao",
    "翟": "zhai",
}


def normalize_text(s: str | None) -> str:
    """Full-width letters/digits → ASCII, strip, collapse inner whitespace to one space. None → ""."""
    if s is None:
        return ""
    return _SPACES.sub(" ", str(s).translate(_FULLWIDTH)).strip()


def _syllables(name: str) -> list[tuple[bool, str]]:
    """(is_han, text) pieces: one pinyin syllable per Han character, other runs kept whole (lowercase)."""
    from pypinyin import Style, lazy_pinyin  # imported late: its dictionaries take ~0.1 s to load

    text = _SPACES.sub("", normalize_text(name))
    pieces: list[tuple[bool, str]] = []
    for index, run in enumerate(_HAN_RUN.split(text)):
        if not run:
            continue
        if index % 2:  # odd pieces of a capturing split are the Han runs
            # Unknown rare characters come back unchanged; keep them rather than lose them.
            pieces.extend((True, syllable.lower()) for syllable in lazy_pinyin(run, style=Style.NORMAL))
        else:
            pieces.append((False, run.lower()))
    if 2 <= len(text) <= 4 and text[0] in _SURNAME_READINGS and pieces and pieces[0][0]:
        pieces[0] = (True, _SURNAME_READINGS[text[0]])
    return pieces


def full_pinyin(name: str | None) -> str:
    """Lowercase toneless pinyin without spaces: 张三 → "zhangsan", 吕 → "lv"; other characters kept lowercase."""
    if not name:
        return ""
    return "".join(text for _, text in _syllables(name))


def pinyin_initials(name: str | None) -> str:
    """First letters of the syllables: 张三 → "zs"; non-Chinese characters kept whole and lowercase."""
    if not name:
        return ""
    return "".join(text[:1] if is_han else text for is_han, text in _syllables(name))
