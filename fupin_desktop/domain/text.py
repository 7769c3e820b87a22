"""Text clean-up and pinyin keys for the name search box (张三 → "zhangsan" / "zs").

Names are searched by every reading of their characters: 长 in 刘长海 is zhang or chang, so both ``lzh`` and ``lch``
find him. :func:`search_keys` gives the stored keys (the usual reading first, then the others, space-separated);
:func:`matches_pinyin` checks typed letters against them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from functools import lru_cache

__all__ = ["normalize_text", "full_pinyin", "pinyin_initials", "search_keys", "initials_variants",
           "matches_pinyin", "PinyinKeys", "char_options", "keys_from_options", "KEY_SEPARATOR", "PINYIN_KEYS_MAX", "INITIALS_KEYS_MAX"]

# Stored keys: the usual reading first (the sort order of names), other readings after it, one space apart.
KEY_SEPARATOR = " "
PINYIN_KEYS_MAX = 128    # the width of the name_pinyin column
INITIALS_KEYS_MAX = 32   # the width of the name_initials column
MAX_READINGS = 8         # readings kept per name: a long name with many heteronyms has thousands of combinations

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
    """(is_han, text) pieces: one pinyin syllable per Han character, other runs kept whole (lowercase); of the first
    PINYIN_KEYS_MAX characters only (linear, and the search keys hold no more)."""
    from pypinyin import Style, lazy_pinyin  # imported late: its dictionaries take ~0.1 s to load

    text = _SPACES.sub("", normalize_text(name))
    surname = 2 <= len(text) <= 4 and text[0] in _SURNAME_READINGS
    text = text[:PINYIN_KEYS_MAX]  # every character gives at least one letter: the keys never hold more
    pieces: list[tuple[bool, str]] = []
    for index, run in enumerate(_HAN_RUN.split(text)):
        if not run:
            continue
        if index % 2:  # odd pieces of a capturing split are the Han runs
            # Unknown rare characters come back unchanged; keep them rather than lose them.
            pieces.extend((True, syllable.lower()) for syllable in lazy_pinyin(run, style=Style.NORMAL))
        else:
            pieces.append((False, run.lower()))
    if surname and pieces and pieces[0][0]:
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


@lru_cache(maxsize=4096)
def _char_readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one Han character, the dictionary's usual one first (长 → zhang, chang)."""
    from pypinyin import Style, pinyin

    out: list[str] = []
    for reading in pinyin(ch, style=Style.NORMAL, heteronym=True)[0]:
        reading = reading.lower()
        if reading and reading not in out:
            out.append(reading)
    return tuple(out)


def _options(name: str) -> tuple[list[list[str]], list[list[str]]]:
    """Per piece of the name: its possible full syllables and initials, the usual reading first (≤ 3 each)."""
    pieces = _syllables(name)
    han_text = [ch for ch in _SPACES.sub("", normalize_text(name))[:PINYIN_KEYS_MAX] if _HAN_RUN.fullmatch(ch)]
    if sum(1 for is_han, _ in pieces if is_han) != len(han_text):  # rare characters merged: usual reading only
        han_text = []
    full: list[list[str]] = []
    initials: list[list[str]] = []
    han_index = 0
    for is_han, text in pieces:
        f, i = [text], [text[:1] if is_han else text]
        if is_han and han_text:
            for reading in _char_readings(han_text[han_index]):
                if reading not in f:
                    f.append(reading)
                if reading[:1] not in i:
                    i.append(reading[:1])
        han_index += is_han
        full.append(f[:3])  # at most three readings of a character (重: zhong, chong, tong)
        initials.append(i[:3])
    return full, initials


def _combine(options: list, limit: int, width: int) -> list[str]:
    """The key of the usual reading, then of other readings: first those that change one character, then two…;
    at most ``limit`` keys whose space-joined length fits ``width``. Bounded: the combinations grow exponentially
    with the name, the work here does not."""
    if not options:
        return []
    first = "".join(c[0] for c in options)[:width]
    out = [first]
    used = len(first)
    varying = [i for i, c in enumerate(options) if len(c) > 1]
    for changed in range(1, len(varying) + 1):
        for positions in itertools.combinations(varying, changed):
            for picks in itertools.product(*(range(1, len(options[i])) for i in positions)):
                chosen = [c[0] for c in options]
                for i, pick in zip(positions, picks):
                    chosen[i] = options[i][pick]
                key = "".join(chosen)
                if used + 1 + len(key) > width:
                    return out
                out.append(key)
                used += 1 + len(key)
                if len(out) >= limit:
                    return out
    return out


def initials_variants(name: str | None, limit: int = MAX_READINGS) -> list[str]:
    """Pinyin initials of every reading (usual first): 刘长海 → ["lzh", "lch"]."""
    if not name:
        return []
    return _combine(_options(name)[1], limit, 10_000)


def search_keys(name: str | None) -> tuple[str, str]:
    """(name_pinyin, name_initials) as stored for the search: every reading, the usual one first, separated by
    spaces and bounded to the column widths. 刘长海 → ("liuzhanghai liuchanghai", "lzh lch")."""
    if not name:
        return "", ""
    return keys_from_options(*_options(name))


@lru_cache(maxsize=8192)
def char_options(ch: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(full syllables, initials) one character can be read as, the usual reading first: 长 → (["zhang",
    "chang"], ["z", "c"]); a non-Chinese character → ([itself lowercased], [the same])."""
    full, initials = _options(ch)
    return (tuple(full[0]), tuple(initials[0])) if full else (("",), ("",))


def keys_from_options(full: list, initials: list) -> tuple[str, str]:
    """:func:`search_keys` from per-character options (:func:`char_options`), for callers that cache them."""
    return (KEY_SEPARATOR.join(_combine(full, MAX_READINGS, PINYIN_KEYS_MAX)),
            KEY_SEPARATOR.join(_combine(initials, MAX_READINGS, INITIALS_KEYS_MAX)))


def matches_pinyin(typed: str, keys: str) -> bool:
    """Whether lowercase ``typed`` letters start one of the space-separated ``keys``."""
    return any(k.startswith(typed) for k in keys.split(KEY_SEPARATOR))


class PinyinKeys:
    """(full pinyin, initials) search keys of names, as domain.text.search_keys computes them (every reading of
    a heteronym), character by character with a cache
    (a roster of 100,000 people has few distinct characters but many distinct names).

    Names whose reading needs the whole name (a surname with a special reading, a dictionary phrase) go through
    domain.text; the others are translated character by character with ``str.translate`` over two tables that
    fill themselves on a miss (``__missing__``).
    """

    def __init__(self):
        self.surnames = _SURNAME_READINGS
        self.normalize = normalize_text
        self.full = _CharTable(self._char, 0)
        self.initials = _CharTable(self._char, 1)
        self.options = _HasReadings()  # code point → whether the character has more than one reading
        self.names: dict[str, tuple[str, str]] = {}  # a household's head appears as 户主姓名 and as a member
        from pypinyin.constants import PHRASES_DICT

        self.phrases = PHRASES_DICT

    def __call__(self, name: str) -> tuple[str, str]:
        hit = self.names.get(name)
        if hit is None:
            hit = self.names[name] = self._compute(name)
        return hit

    def _compute(self, name: str) -> tuple[str, str]:
        if " " not in name and name.isprintable():  # no whitespace at all (cleaned cells): nothing to squeeze
            text = name.translate(_FULLWIDTH)
        else:
            text = "".join(self.normalize(name).split())
        if len(text) > PINYIN_KEYS_MAX:  # the keys hold no more (and a 32,767-character "name" must stay cheap)
            return search_keys(text)
        if 2 <= len(text) <= 4 and text[0] in self.surnames:
            return search_keys(name)
        if len(text) >= 2 and self._has_phrase(text):  # the phrase decides (长江 → changjiang): whole name
            return search_keys(name)
        options = self.options
        if any(options[code] for code in map(ord, text)):  # a character with more than one reading
            per_char = [char_options(ch) for ch in text]
            return keys_from_options([f for f, _ in per_char], [i for _, i in per_char])
        return text.translate(self.full)[:PINYIN_KEYS_MAX], text.translate(self.initials)[:INITIALS_KEYS_MAX]

    @staticmethod
    def _char(code: int) -> tuple[str, str]:
        ch = chr(code)
        syllable = full_pinyin(ch)
        is_han = "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"
        return syllable, (syllable[:1] if is_han else syllable)

    def _has_phrase(self, text: str) -> bool:
        phrases = self.phrases
        n = len(text)
        if n == 2:
            return text in phrases
        if n == 3:
            return text in phrases or text[:2] in phrases or text[1:] in phrases
        # Every phrase of the dictionary is all Han characters: only substrings of Han runs can be one, and none
        # is longer than the longest phrase (linear in the name, not cubic).
        longest = _longest_phrase(phrases)
        for run in _HAN_RUNS.findall(text):
            n = len(run)
            if n >= 2 and any(run[i:j] in phrases for i in range(n - 1) for j in range(i + 2, min(n, i + longest) + 1)):
                return True
        return False


_LONGEST: list[int] = []


def _longest_phrase(phrases) -> int:
    if not _LONGEST:
        _LONGEST.append(max(map(len, phrases), default=2))
    return _LONGEST[0]


class _HasReadings(dict):
    """code point → True if the character reads in more than one way (长: zhang, chang); computed on first use."""

    def __missing__(self, code: int) -> bool:
        full, initials = char_options(chr(code))
        more = self[code] = len(full) > 1 or len(initials) > 1
        return more


class _CharTable(dict):
    """code point → its text (full pinyin or initial) for ``str.translate``; computed on first use."""

    def __init__(self, compute: Callable[[int], tuple[str, str]], part: int):
        super().__init__()
        self.compute, self.part = compute, part

    def __missing__(self, code: int) -> str:
        text = self[code] = self.compute(code)[self.part]
        return text


_HAN_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]{2,}")
