"""民情日记本: the diary of a period as a bound book (A4 portrait), one entry after another, each headed by its
date, weekday and weather (domain.md §5.1), then place, people met, what was learned, problems and follow-up."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import format_cn_date, weekday_cn
from fupin_desktop.reports.common import PageInfo, Progress, build, document_title, para, style


def entry_heading(e) -> str:
    weather = codes.get("weather").label(e.weather) if e.weather else ""
    return "　".join(t for t in (format_cn_date(e.entry_date), weekday_cn(e.entry_date), weather) if t)


def write_diary_book(path: str | Path, book, *, progress: Progress | None = None, cancel: Any = None) -> Path:
    """Render a ``services.reporting.DiaryBook``."""
    title = f"{book.head.village}民情日记" + (f"（{book.author}）" if book.author else "")
    info = PageInfo(title, unit=book.head.unit, period=book.head.period, landscape=False,
                    print_date=book.head.printed_on, signatures=False)
    h = style("dh", 13, 20, space_before=8, space_after=3)
    meta = style("dm", 10, 15, space_after=2)
    label = style("dl", 11.5, 19, space_before=2)
    body = style("db", 11.5, 19, first_indent=23, space_after=2)
    story: list = document_title(info)
    if not book.entries:
        story.append(para("本期没有民情日记。", body))
    for e in book.entries:
        people = e.people_met or "、".join(e.households)
        facts = "　".join(t for t in (f"记录人：{e.author}", f"地点：{e.place}" if e.place else "",
                                      f"走访对象：{people}" if people else "") if t)
        block = [para(entry_heading(e), h), para(facts, meta)]
        if e.title:
            block.append(para(f"【{e.title}】", label))
        story.append(CondPageBreak(90))
        story.append(KeepTogether(block))
        story += [para(t, body) for t in (e.content or "").split("\n") if t.strip()]
        if e.problems_found:
            story += [para("发现问题：", label), para(e.problems_found, body)]
        if e.follow_up:
            story += [para("跟进措施：", label), para(e.follow_up, body)]
        story.append(Spacer(1, 6))
    return build(path, info, story, progress=progress, cancel=cancel, text="正在排版民情日记…")
