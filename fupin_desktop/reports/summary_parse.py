"""The 工作总结 as text, read back into its parts: both writers (PDF: reports/summary_pdf.py, Word:
reports/summary_docx.py) lay out the same text — the draft of reports/summary.py, possibly rewritten by the
secretary in the program — so the two files say the same.

The text: first line the title; "一、…" headings; "（一）…" sub-headings (short lines); other lines paragraphs; the
last two lines the 落款 (the drafting unit, then the date "2024年12月20日").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

HEADING = re.compile(r"^[一二三四五六七八九十]+、")
SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十\d]+[）)]")
SIGN_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
SUBHEADING_MAX = 40  # a longer "（一）…" line is a numbered paragraph, not a sub-heading

HEAD, SUB, PARA = "heading", "subheading", "paragraph"


@dataclass(frozen=True)
class Block:
    kind: str  # HEAD / SUB / PARA
    text: str


@dataclass(frozen=True)
class SummaryText:
    title: str
    blocks: tuple[Block, ...]
    sign_unit: str = ""  # 落款: the drafting unit …
    sign_date: str = ""  # … and the date, right-aligned under the text


def kind_of(line: str) -> str:
    if HEADING.match(line):
        return HEAD
    if SUBHEADING.match(line) and len(line) < SUBHEADING_MAX:
        return SUB
    return PARA


def parse(text: str) -> SummaryText:
    """Split summary ``text`` into title, blocks and 落款 (recognised by its date line at the very end)."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    title = lines.pop(0) if lines else ""
    sign_unit = sign_date = ""
    if lines and SIGN_DATE.match(lines[-1]):
        sign_date = lines.pop()
        if lines and kind_of(lines[-1]) == PARA and not lines[-1].endswith(("。", "；", "：", "！", "？")) \
                and len(lines[-1]) <= 40:
            sign_unit = lines.pop()
    return SummaryText(title, tuple(Block(kind_of(ln), ln) for ln in lines), sign_unit, sign_date)
