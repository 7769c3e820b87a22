"""乡镇汇总表: one row per village of a township database (villages merged from their 同步包) and a total row.

Every figure of a village row is the figure of that village's own documents, computed by the same code: the
ledgers and the 工作总结 figures of :class:`fupin_desktop.services.reporting.ReportingService` for the village
(``ReportFilter.village_id``) — 监测对象 is ``services.reporting.monitored_now`` of the village's 监测户花名册, as in
its 工作总结 and its 上报表. The sheet is laid out like the 上报表's (exchange/report_layout.py): township name in
the title, columns grouped under two-row headers, A4 landscape at ≥ 8 pt.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from fupin_desktop.domain.money import to_wan
from fupin_desktop.exchange.report_layout import Col, SheetHead, fill_page, write_sheet
from fupin_desktop.fileio import atomic_path

__all__ = ["VillageRow", "township_rows", "write_township_summary", "COLUMNS"]

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class VillageRow:
    village: str
    division_code: str
    households: int
    people: int
    target_households: int
    monitored: int  # 监测对象 still monitored (services.reporting.monitored_now)
    visits: int
    visited_households: int
    reached_households: int
    problems_raised: int
    problems_carried: int  # raised earlier, still open at the start: raised + carried = closed + open
    problems_closed: int  # 已销号 (办结, 无法解决 …: services.problems.ProblemFigures.closed)
    problems_open: int
    projects: int
    investment: Decimal  # 元
    donations: int  # 社会捐赠 (not 慰问 or 救济/助学: services.donations.GivingFigures)
    donation_amount: Decimal
    purchase_amount: Decimal


def village_row(services, flt) -> VillageRow:
    """The figures of one village (``flt.village_id``) for the period, from its own ledgers and summary."""
    rep = services.reporting
    fig = rep.summary_figures(flt)
    roster = rep.ledger("roster", flt).rows
    return VillageRow(
        fig.head.village, "", len(roster), sum(h.member_count for h in roster), fig.target_households,
        fig.monitored_now, fig.visits, fig.visited_households, fig.reached_households, fig.problems.raised,
        fig.problems.carried_over, fig.problems.closed, fig.problems.open, len(fig.projects), fig.investment_total, fig.donation_count,
        fig.donation_cash + fig.donation_goods, fig.purchase_amount)


def township_rows(services, flt, progress=None, cancel=None) -> tuple[str, list[VillageRow]]:
    """(township name, one row per village of the database in 区划代码 order)."""
    from fupin_desktop.services.report_book import ReportBookService

    villages = ReportBookService(services.ctx).villages()
    rows = []
    for i, (vid, name, code, township) in enumerate(villages):
        if progress:
            progress(i, len(villages), name)
        if cancel:
            cancel()
        rows.append(replace(village_row(services, replace(flt, village_id=vid)), village=name, division_code=code))
    names = Counter(t for _, _, _, t in villages if t)
    return (names.most_common(1)[0][0] if names else ""), rows


def _group(title, get, group, kind="int", width=7.0) -> Col:
    return Col(title, width, get, kind, group=group)


COLUMNS: tuple[Col, ...] = (
    Col("村", 12, lambda r: r.village),
    _group("户数", lambda r: r.households, "农户（户、人）"),
    _group("人口", lambda r: r.people, "农户（户、人）"),
    _group("帮扶对象户", lambda r: r.target_households, "农户（户、人）"),
    _group("监测对象（在监测）", lambda r: r.monitored, "农户（户、人）", width=9),
    _group("走访户次", lambda r: r.visits, "入户走访"),
    _group("走访农户", lambda r: r.visited_households, "入户走访"),
    _group("见面帮扶对象户", lambda r: r.reached_households, "入户走访", width=8),
    _group("新提出", lambda r: r.problems_raised, "问题诉求（件）", width=6),
    _group("上期结转", lambda r: r.problems_carried, "问题诉求（件）", width=6),
    _group("已销号", lambda r: r.problems_closed, "问题诉求（件）", width=6),
    _group("未办结", lambda r: r.problems_open, "问题诉求（件）", width=6),
    _group("个数", lambda r: r.projects, "项目"),
    _group("总投资（万元）", lambda r: to_wan(r.investment, 2), "项目", "money", 11),
    _group("笔数", lambda r: r.donations, "社会捐赠"),
    _group("金额（元）", lambda r: r.donation_amount, "社会捐赠", "money", 12),
    Col("消费帮扶（元）", 12, lambda r: r.purchase_amount, "money"),
)


def _total(rows: list[VillageRow]) -> tuple:
    out = []
    for i, c in enumerate(COLUMNS):
        if i == 0:
            out.append(f"合计（{len(rows)}个村）")
        else:
            out.append(sum((c.get(r) or 0 for r in rows), Decimal(0) if c.kind == "money" else 0))
    return tuple(out)


def write_township_summary(services, path: str | Path, flt, progress=None, cancel=None) -> Path:
    """Write the 乡镇汇总表 of every village in the database for ``flt.period``."""
    from openpyxl import Workbook

    township, rows = township_rows(services, flt, progress, cancel)
    path = Path(path)
    wb = Workbook(write_only=True)
    head = SheetHead("各村驻村帮扶工作汇总表", township or "乡镇", township or "", flt.period.label,
                     services.ctx.today(), "每村数字与该村台账、工作总结同一算法：监测对象为监测户花名册中风险未消除的户数。")
    write_sheet(wb, "乡镇汇总", head, fill_page(COLUMNS), rows, "masked", _total(rows) if rows else None, cancel)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
