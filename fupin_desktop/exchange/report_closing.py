"""The 上报表's 说明 on 结账: which periods of the report's range are closed, by whom and when (their figures are
those of the closing: the records in them cannot change), which parts are still open, and any ledger that would
differ from its closing because household data changed since."""
from __future__ import annotations

from datetime import date

from fupin_desktop.domain.dates import format_cn_date

OPEN_FROM = date(1900, 1, 1)  # a report "截至…" starts here


def _span(start: date, end: date) -> str:
    if start <= OPEN_FROM:
        return f"{format_cn_date(end)}以前"
    return f"{format_cn_date(start)}至{format_cn_date(end)}"


def closing_note(closures, gaps, warnings=()) -> str:
    """``closures``/``gaps``: ``services.closing.coverage`` of the report's range; ``warnings``: re-print warnings."""
    parts = [f"{c.label}已于{c.closed_on:%Y-%m-%d}由{c.closed_by}结账" for c in closures]
    if not closures:
        text = "结账情况：本表所属期间未结账，数字以填报日期的记录为准，以后还可能变动。"
    elif not gaps:
        text = f"结账情况：{'，'.join(parts)}，本表数字为结账时的数字（期间内的记录已不能修改）。"
    else:
        text = (f"结账情况：{'，'.join(parts)}，其中的数字为结账时的数字（期间内的记录已不能修改）；"
                f"{'、'.join(_span(a, b) for a, b in gaps)}未结账，数字以后还可能变动。")
    for w in dict.fromkeys(warnings):
        text += w + "。"
    return text
