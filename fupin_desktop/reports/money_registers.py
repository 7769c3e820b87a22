"""Registers of money, goods, checks and assets (domain.md §7.2): 资金台账 (收入/支出/结余 per fund), 捐赠物资收发存,
两不愁三保障核查台账 and 项目资产台账 — each one table on the common ledger page (A4 landscape, widths fitted by
``reports.common``). Data from ``services.registers``; money in 元 with two decimals."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from fupin_desktop.domain import codes
from fupin_desktop.reports.common import Column, PageInfo, Progress, write_ledger
from fupin_desktop.reports.cells import qty, yuan
from fupin_desktop.reports.cells import table_date as d
from fupin_desktop.reports.ledgers import household_kind, lab
from fupin_desktop.services.register_lines import FUND_DEFINITION

__all__ = ["write_fund_book", "write_goods_stock", "write_guarantee_checks", "write_project_assets", "CHECK_MARKS"]

ZERO = Decimal("0.00")


def _info(title: str, head, money_unit: str | None = None) -> PageInfo:
    return PageInfo(title, unit=head.unit, period=head.period, money_unit=money_unit, landscape=True,
                    print_date=head.printed_on)


# --- 资金台账 ------------------------------------------------------------------------------------------------------------

FUND_COLUMNS = (Column("资金（来源）", 1.3), Column("日期", 0.9, "CENTER"), Column("摘要", 3.2),
                Column("收入", 1.0, "RIGHT"), Column("支出", 1.0, "RIGHT"), Column("结余", 1.0, "RIGHT"))


def write_fund_book(path: str | Path, register, book, *, progress: Progress | None = None,
                    cancel: Any = None) -> Path:
    """Each fund's entries in date order with the running balance, closed by its 小计 (本期收入, 本期支出, 期末结余);
    the 合计 row adds the funds up."""
    rows: list[tuple] = []
    income = expense = closing = ZERO
    for fund in book.funds():
        entries = [e for e in book.entries if e.fund == fund]
        for i, e in enumerate(entries):
            rows.append((fund if i == 0 else "", d(e.on) if e.on else "", e.summary,
                         yuan(e.income) if e.income else "", yuan(e.expense) if e.expense else "", yuan(e.balance)))
        fi = sum((e.income for e in entries), ZERO)
        fe = sum((e.expense for e in entries), ZERO)
        rows.append(("小计", "", f"{fund}：本期收入、本期支出合计，期末结余", yuan(fi), yuan(fe), yuan(entries[-1].balance)))
        income, expense, closing = income + fi, expense + fe, closing + entries[-1].balance
    total = ("合计", "", f"{len(book.funds())}项资金", yuan(income), yuan(expense), yuan(closing))
    return write_ledger(path, _info("资金台账", register.head, "元"), FUND_COLUMNS, rows,
                        total=total if rows else None, number_rows=False, row_count=len(rows), progress=progress,
                        cancel=cancel, note="口径：" + FUND_DEFINITION)


# --- 捐赠物资收发存 --------------------------------------------------------------------------------------------------------

STOCK_COLUMNS = (Column("物资名称", 1.2), Column("规格", 1.1), Column("单位", 0.5, "CENTER"), Column("捐赠方", 2.0),
                 Column("期初结存", 0.8, "RIGHT"), Column("本期收入", 0.8, "RIGHT"), Column("本期发出", 0.8, "RIGHT"),
                 Column("期末结存", 0.8, "RIGHT"), Column("本期收入价值", 1.0, "RIGHT"), Column("保管人签字", 1.0,
                                                                                          min_width=60))


def write_goods_stock(path: str | Path, register, *, progress: Progress | None = None, cancel: Any = None) -> Path:
    rows = register.rows
    body = [(r.name, r.spec, r.unit, "、".join(r.donors), qty(r.opening), qty(r.received), qty(r.given),
             qty(r.closing), yuan(r.value_received) if r.value_received else "", "") for r in rows]
    total = (f"{len(rows)}种", "", "", "", "", "", "", "", yuan(sum((r.value_received for r in rows), ZERO)), "")
    return write_ledger(path, _info("捐赠物资收发存台账", register.head, "元"), STOCK_COLUMNS, body,
                        total=total if rows else None, row_count=len(rows), progress=progress, cancel=cancel,
                        note="期末结存 = 期初结存 + 本期收入 − 本期发出（按物资名称、规格、单位合并各笔捐赠）；"
                             "本期收入价值按登记的单价计算；物资发放明细见“物资（资金）发放台账”，"
                             "每批发放的签字见该批的“发放签收表”。")


# --- 两不愁三保障核查台账 -----------------------------------------------------------------------------------------------

ITEMS = tuple(codes.get("guarantee_item").codes())
CHECK_MARKS = {True: "√", False: "×"}


def _check_columns() -> tuple[Column, ...]:
    return (Column("核查日期", 0.9, "CENTER"), Column("户编号", 1.6), Column("户主", 0.7), Column("村民小组", 0.7),
            Column("户类型", 1.1), Column("核查人", 0.9),
            *(Column(codes.label("guarantee_item", i), 0.5, "CENTER", wrap=False) for i in ITEMS),
            Column("核查结论", 0.8, "CENTER"), Column("存在问题", 2.2))


def write_guarantee_checks(path: str | Path, register, *, progress: Progress | None = None,
                           cancel: Any = None) -> Path:
    """One row per visit with checks: √ secure, × not secure, blank not checked on that visit."""
    rows = register.rows
    body = [(d(r.visit_date), r.number, r.head_name, r.group_name,
             household_kind(r.household_type, r.monitoring_category), "、".join(r.cadres),
             *(CHECK_MARKS[r.items[i]] if i in r.items else "" for i in ITEMS),
             "达标" if r.all_secure else "存在问题",
             "；".join(f"{codes.label('guarantee_item', i)}：{r.notes[i]}" for i in ITEMS if i in r.notes))
            for r in rows]
    short = {i: sum(1 for r in rows if r.items.get(i) is False) for i in ITEMS}
    total = (f"{len(rows)}户次", "", f"{len({r.number for r in rows})}户", "", "", "",
             *(f"×{short[i]}" if short[i] else "" for i in ITEMS),
             f"问题{sum(1 for r in rows if not r.all_secure)}户次", "")
    return write_ledger(path, _info("“两不愁三保障”及饮水安全核查台账", register.head), _check_columns(), body,
                        total=total if rows else None, row_count=len(rows), progress=progress, cancel=cancel,
                        note="√ 达标，× 未达标，空白 本次未核查。核查随入户走访进行，标准见《两不愁三保障及饮水安全"
                             "核查标准》；存在问题的须在问题清单中登记并跟踪销号。")


# --- 项目资产台账 ---------------------------------------------------------------------------------------------------------

ASSET_COLUMNS = (Column("项目编号", 1.2), Column("资产名称", 1.8), Column("资产类别", 0.7, "CENTER"),
                 Column("项目类别", 1.0), Column("坐落地点", 1.0), Column("资产价值", 1.0, "RIGHT"),
                 Column("形成时间", 0.9, "CENTER"), Column("项目状态", 1.0, "CENTER"), Column("产权归属", 1.2),
                 Column("移交日期", 0.9, "CENTER"), Column("管护情况", 2.4), Column("收益分配及联农带农", 3.2))


def write_project_assets(path: str | Path, register, *, progress: Progress | None = None,
                         cancel: Any = None) -> Path:
    rows = register.rows
    body = [(r.number, r.name, lab("asset_type", r.asset_type), lab("project_category", r.category), r.place,
             yuan(r.value), d(r.formed_on), lab("project_status", r.status), r.owner, d(r.handover_date),
             r.management, r.benefit) for r in rows]
    total = ("", f"{len(rows)}项", "", "", "", yuan(sum((r.value for r in rows), ZERO)), "", "", "", "", "", "")
    by_type = []
    for code in codes.get("asset_type").codes():
        part = [r for r in rows if r.asset_type == code]
        if part:
            by_type.append(f"{codes.label('asset_type', code)}资产{len(part)}项"
                           f"{yuan(sum((r.value for r in part), ZERO))}元")
    note = ("资产价值按项目总投资登记；形成时间为竣工（计划竣工）日期。" + ("其中" + "，".join(by_type) + "。" if by_type
                                                                else ""))
    return write_ledger(path, _info("项目资产台账", register.head, "元"), ASSET_COLUMNS, body,
                        total=total if rows else None, row_count=len(rows), progress=progress, cancel=cancel,
                        note=note)
