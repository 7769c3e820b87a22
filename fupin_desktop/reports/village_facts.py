"""村基本情况 (the village's basic figures) as a printed sheet (A4 landscape like the other ledgers: in portrait the
header's 填报单位 ran into 所属期间): the village, its team and the figures
derived from the household members (``services.village_figures``) beside the 村情 figures the team entered, with a
note where the two differ. The same lines fill the 上报表's 村基本情况 sheet."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from fupin_desktop.domain.money import format_yuan
from fupin_desktop.reports.common import Column, PageInfo, Progress, write_ledger

NOTE = ("“按家庭成员统计”一栏由程序按已录入的家庭成员计算（劳动力按劳动技能，学生按在校生状况，党员按政治面貌，"
        "残疾人按健康状况或残疾类别，低保、特困按成员的享受情况）；“村情填报”一栏是工作队在村情中填写的数字，"
        "两者不一致时在“内容/说明”栏注明。")


def _num(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return f"{v.normalize():f}"
    return str(v)


def rows_of(facts, team_size: int) -> list[tuple[str, str, str, str]]:
    """(项目, 按家庭成员统计, 村情填报, 内容/说明) of ``facts`` (``services.report_book.VillageFacts``)."""
    place = "".join(x for x in (facts.province, facts.city, facts.county, facts.township) if x)
    rows: list[tuple[str, str, str, str]] = [
        ("村名", "", "", facts.name), ("行政区划代码", "", "", facts.division_code), ("所属省市县乡", "", "", place),
        ("派出单位", "", "", facts.dispatch_unit), ("驻村工作队", "", "", f"{team_size}人"),
    ]
    if facts.people is not None:
        rows += [(x.title, str(x.derived), _num(x.entered), x.note) for x in facts.people.lines()]
    if facts.profile_year:
        src = f"{facts.profile_year}年村情"
        for title, value, text in (
                ("耕地面积（亩）", facts.farmland_mu, _num(facts.farmland_mu)),
                ("林地面积（亩）", facts.forest_mu, _num(facts.forest_mu)),
                ("农村居民人均可支配收入（元）", facts.per_capita_income, format_yuan(facts.per_capita_income)
                 if facts.per_capita_income is not None else ""),
                ("村集体经济收入（元）", facts.collective_income, format_yuan(facts.collective_income)
                 if facts.collective_income is not None else "")):
            rows.append((title, "", text, src if value is not None else f"{src}未填"))
    else:
        rows.append(("村情", "", "", "尚未填写村情（户数、人口、耕地、党员等），请在“设置—村情”中填写"))
    return rows


def write_village_facts_pdf(path: str | Path, head, facts, team_size: int, *, progress: Progress | None = None,
                            cancel: Any = None) -> Path:
    """``head``: ``services.reporting.ReportHead``; ``facts``: ``services.report_book.VillageFacts``."""
    info = PageInfo("村基本情况表", unit=head.unit, period=head.period, landscape=True, print_date=head.printed_on)
    columns = (Column("项目", 2.3), Column("按家庭成员统计", 1.2, "RIGHT"), Column("村情填报", 1.0, "RIGHT"),
               Column("内容/说明", 3.0))
    rows = rows_of(facts, team_size)
    return write_ledger(path, info, columns, rows, number_rows=False, row_count=len(rows), progress=progress,
                        cancel=cancel, note=NOTE)
