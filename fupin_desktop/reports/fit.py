"""Column widths that fit what is in the columns (issue 17: "ledgers that fit").

A table's columns are sized from the widest value in each column, measured with the embedded font
(``pdfmetrics.stringWidth``), not from fixed weights:

* **Atomic cells never wrap**: dates, amounts, counts, 户编号, masked ID and phone numbers — anything that is a
  number with at most a short unit (``2023.05.03``, ``256,900.00``, ``129``, ``12户``, ``150****7463``) — every
  short cell of the 合计 row (``已销号5件``; a sentence there wraps like text) and every cell of a column declared
  ``wrap=False``. Their column is at least as wide as the widest of
  them at the chosen font size, plus the cell padding.
* **Text columns wrap** (names, addresses, findings …), but only when the table cannot fit on one line per row.
* **The font shrinks before text wraps**: from :data:`BASE_SIZE` (9 pt) in steps of 0.5 pt down to the floor
  :data:`FLOOR_SIZE` (7.5 pt) — smaller is hard to read on a printed A4 ledger. If no size within the floor lets
  every row fit on one line, the text columns wrap at the largest size that still leaves each of them
  :data:`COMFORT` characters a line (else :data:`NARROW`) beside the atomic columns. Only when the atomic
  columns alone do not fit at the floor does the font go below it (:data:`LAST_RESORT_SIZE`); a ledger with that
  many numeric columns should be split.
* Left-over width is handed out by the columns' weights (:class:`reports.common.Column.width`); when text wraps, by
  weight × the amount of text the column holds (a column of long entries gets the room, short names stop at their
  length); a text column never takes more than its longest line.

Pure functions over texts: no reportlab flowables here (``reports.common`` builds the tables).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

__all__ = ["BASE_SIZE", "FLOOR_SIZE", "LAST_RESORT_SIZE", "PAD", "Fit", "is_atomic", "fit_columns"]

BASE_SIZE = 9.0
FLOOR_SIZE = 7.5
LAST_RESORT_SIZE = 6.0
STEP = 0.5
PAD = 3.0  # left and right cell padding (pt), the same as the table style's
SLACK = 1.0  # an atomic value's column is this much wider than value + padding (reportlab's own rounding)
LONG = 160  # a text longer than this is not measured: it wraps in any column
COMFORT = 6  # characters a line a wrapping text column should keep (fewer make tall, hard-to-read rows) …
NARROW = 4  # … and the least it gets before the font goes below the floor
TOTAL_WORD = 10  # a 合计 cell up to this long is one figure ("已销号5件", "30户次"); a longer one is a sentence

# a number (digits, separators, masked digits) with at most a short unit: 2023.05.03, 1,234.50, 12户, 3.5kg, 80%
_ATOMIC = re.compile(r"^[-+]?[\d*][\d,.:/*\-年月日]*(?:%|[A-Za-z]{1,3}|[\u4e00-\u9fff]{1,2})?$")


def is_atomic(text: str) -> bool:
    """Whether a cell text is a number, date, amount or code that must never be broken across lines."""
    return bool(text) and any(ch.isdigit() for ch in text) and bool(_ATOMIC.match(text))


@dataclass(frozen=True)
class Fit:
    widths: tuple[float, ...]  # points, summing to the available width
    size: float  # font size of the body and the column header
    wraps: bool  # some text column is narrower than its longest line


def fit_columns(titles: Sequence[str], weights: Sequence[float], wrap: Sequence[bool],
                cells: Sequence[Sequence[str]], available: float, measure: Callable[[str], float], *,
                totals: Sequence[str] = (), minimums: Sequence[float] = (), base: float = BASE_SIZE,
                floor: float = FLOOR_SIZE) -> Fit:
    """Widths and font size for a table of ``len(titles)`` columns.

    ``cells`` are the body rows as texts, ``totals`` the 合计 row (atomic whatever it says); ``measure(text)`` is
    the width of ``text`` at 1 pt (widths scale with the size); ``wrap[i]`` False makes every cell of column ``i``
    atomic; ``minimums[i]`` (points) keeps room for what is written by hand (a signature column is empty)."""
    n = len(titles)
    least = list(minimums) + [0.0] * (n - len(minimums))
    cache: dict[str, float] = {}

    def w1(text: str) -> float:
        v = cache.get(text)
        if v is None:
            v = cache[text] = measure(text)
        return v

    atomic = [0.0] * n  # widest atomic value at 1 pt
    natural = [0.0] * n  # longest line at 1 pt (inf: too long to keep on one line anyway)
    textw = [0.0] * n  # widest wrapping text at 1 pt (a text column's minimum is that, up to a few characters)
    amount = [0.0] * n  # all the wrapping text of the column at 1 pt: where the room goes when text must wrap
    em = w1("国")
    rows = [(row, False) for row in cells] + ([(totals, True)] if totals else [])
    for row, is_total in rows:
        for i, text in enumerate(row[:n]):
            if not text:
                continue
            if len(text) > LONG:
                natural[i] = textw[i] = float("inf")
                amount[i] += len(text) * em
                continue
            lines = text.split("\n")
            widest = max(w1(line) for line in lines)
            natural[i] = max(natural[i], widest)
            if not wrap[i] or (len(lines) == 1 and (is_atomic(text) or (is_total and len(text) <= TOTAL_WORD))):
                atomic[i] = max(atomic[i], widest)
            else:
                textw[i] = max(textw[i], widest)
                amount[i] += sum(w1(line) for line in lines)
    def at(size: float, chars: int = COMFORT, head_lines: int = 3) -> tuple[list[float], list[float]]:
        # a header wraps in at most ``head_lines`` lines, never narrower than two characters
        head = [max(w1(t) / head_lines, w1("国" * min(2, len(t)))) if t else 0.0 for t in titles]
        edge = 2 * PAD + SLACK
        room = w1("国" * chars)
        lows = [max(max(atomic[i], head[i], min(textw[i], room)) * size + edge, least[i]) for i in range(n)]
        highs = [max(lows[i], natural[i] * size + edge) for i in range(n)]
        return lows, highs

    # when text wraps, the room goes by weight × how much text the column holds: a column of long entries saves many
    # lines per point, a column of short names none once they fit
    demand = [(weights[i] or 1) * max(amount[i], em) for i in range(n)]
    sizes = _sizes(base, floor)
    for size in sizes:  # 1) everything on one line, shrinking the font as far as the floor
        lows, highs = at(size)
        if sum(highs) <= available:
            return Fit(_share(highs, highs, weights, available, grow_all=True), size, False)
    tries = [(chars, lines) for chars in range(COMFORT, NARROW - 1, -1) for lines in (3, 5)]
    for chars, head_lines in tries:  # 2) text columns wrap: the largest size that leaves each text column
        for size in sizes:           # 6 characters a line (else 5, 4; headers in 3 lines, else 5) beside the others
            lows, highs = at(size, chars, head_lines)
            if sum(lows) <= available:
                return Fit(_share(lows, highs, demand, available), size, True)
    size = floor  # 3) below the floor: text columns down to one character, then smaller type
    while True:
        lows, highs = at(size, 1, 5)
        if sum(lows) <= available or size <= LAST_RESORT_SIZE:
            if sum(lows) > available:  # nothing fits: scale (a ledger this wide must be split)
                lows = [w * available / sum(lows) for w in lows]
                return Fit(tuple(lows), size, True)
            return Fit(_share(lows, highs, demand, available), size, True)
        size -= STEP / 2


def _sizes(base: float, floor: float) -> list[float]:
    out, size = [], base
    while size >= floor - 1e-9:
        out.append(round(size, 2))
        size -= STEP
    return out or [floor]


def _share(lows: list[float], highs: list[float], weights: Sequence[float], available: float,
           grow_all: bool = False) -> tuple[float, ...]:
    """Start from ``lows``; hand the rest out by weight to columns below their ``highs`` (water-filling), and what
    is still left to every column by weight."""
    widths = list(lows)
    extra = available - sum(widths)
    if not grow_all:
        open_ = [i for i in range(len(widths)) if highs[i] > widths[i] + 0.01]
        while extra > 0.01 and open_:
            total_w = sum(weights[i] for i in open_) or len(open_)
            given = 0.0
            for i in open_:
                share = extra * (weights[i] or 1) / total_w
                take = min(share, highs[i] - widths[i])
                widths[i] += take
                given += take
            extra -= given
            open_ = [i for i in open_ if highs[i] > widths[i] + 0.01]
            if given < 0.01:
                break
    if extra > 0.01:
        total_w = sum(weights) or len(widths)
        widths = [w + extra * (weights[i] or 1) / total_w for i, w in enumerate(widths)]
    return tuple(widths)
