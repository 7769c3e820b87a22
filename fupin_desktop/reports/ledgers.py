"""The team's ledgers (台账, domain.md §7.2), each one table in A4 landscape on the common page.

``write_ledger_pdf(path, ledger)`` renders a :class:`fupin_desktop.services.reporting.Ledger`. Personal numbers are
masked as in exports (``domain.privacy``): 身份证号 110101********1234, phones 138****1234, bank accounts ****1234.

``public=True`` is the 公示 (public notice) mode: a real form for posting, not the internal ledger retitled. Each
ledger lists the columns its notice shows (:data:`PUBLIC_COLUMNS`, an allow-list: a column added later stays
internal until someone decides it may be posted); health, disability, income, risk types (因病/因残) and every
free-text column (findings, problems, resolutions, diary text, 代领说明 …) are left out, because no record carries
a "may be made public" mark. Ledgers without a public form (工作日志, 帮扶措施) refuse ``public=True``.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Sequence

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import format_cn_date
from fupin_desktop.domain.errors import FupinError
from fupin_desktop.domain.privacy import mask_id, mask_phone
from fupin_desktop.reports.cells import qty, table_date, table_month, wan, yuan
from fupin_desktop.reports.common import Column, PageInfo, Progress, write_ledger
from fupin_desktop.services.donations import giving_figures
from fupin_desktop.services.measures import measure_totals
from fupin_desktop.services.problems import is_closed
from fupin_desktop.services.projects import beneficiary_figures
from fupin_desktop.services.purchases import purchase_figures

ZERO = Decimal("0")


d = table_date  # the one table date style (reports.cells): 2023.05.03


def lab(list_name: str, code: str | None) -> str:
    return codes.get(list_name).label(code) if code else ""


def labs(list_name: str, values: Sequence[str]) -> str:
    return "、".join(lab(list_name, v) for v in values)


def household_kind(type_code: str | None, monitoring: str | None) -> str:
    parts = [lab("household_type", type_code)] if type_code else []
    if monitoring:
        parts.append(lab("monitoring_category", monitoring))
    return "、".join(p for p in parts if p)


@dataclass(frozen=True)
class LedgerSpec:
    kind: str
    title: str
    columns: tuple[Column, ...]
    row: Callable[[Any], Sequence[Any]]
    total: Callable[[Sequence[Any]], Sequence[Any]] | None = None
    money_unit: str | None = None
    note: str | None = None
    public_note: str | None = None  # the note in 公示 mode (None: the same as ``note``)
    public_row: Callable[[Any], Sequence[Any]] | None = None  # the row in 公示 mode, before the cut (None: ``row``)
    # a line under the table stating figures the 合计 row cannot hold (categories apart), from the rows
    breakdown: Callable[[Sequence[Any]], str] | None = None


PUBLIC_SUFFIX = "（公示）"
PUBLIC_NOTE = "本表为公示版，只列可以公开的项目，不含个人敏感信息和文字记录，身份证号和电话已部分隐藏。"


def _sum(rows, attr) -> Decimal:
    return sum((getattr(r, attr) or ZERO for r in rows), ZERO)


# --- the specs ------------------------------------------------------------------------------------------------------

ROSTER = LedgerSpec(
    "roster", "农户花名册",
    (Column("户编号", 2.0), Column("村民小组", 0.75), Column("户主", 0.75), Column("身份证号", 2.0),
     Column("户类型", 1.2), Column("人口", 0.45, "CENTER"), Column("联系电话", 1.3), Column("风险类型", 1.0),
     Column("健康/残疾", 1.2), Column("人均纯收入（元）", 1.15, "RIGHT"), Column("长期不在村", 0.55, "CENTER"),
     Column("住址", 1.6)),
    lambda h: (h.number, h.group_name, h.head_name, mask_id(h.head_id_number),
               household_kind(h.household_type, h.monitoring_category), h.member_count, mask_phone(h.phone),
               labs("risk_type", h.risk_types), h.health, yuan(h.per_capita_income),
               "是" if h.long_absent else "", h.address),
    total=lambda rows: ("", "", f"{len(rows)}户", "", "", sum(r.member_count for r in rows), "", "", "", "",
                        sum(1 for r in rows if r.long_absent) or "", ""),
    note="人均纯收入取所属期间结束年度及以前最近一年的收入数据。",
    public_note="",
)

PAIRINGS = LedgerSpec(
    "pairings", "帮扶责任人结对台账",
    (Column("帮扶责任人", 0.9), Column("工作单位", 1.8), Column("联系电话", 1.1), Column("户编号", 1.5),
     Column("户主", 0.8), Column("村民小组", 0.8), Column("户类型", 1.4), Column("结对日期", 1.0, "CENTER"),
     Column("解除日期", 1.0, "CENTER"), Column("本人走访（次）", 0.8, "CENTER"), Column("应走访（次）", 0.8, "CENTER"),
     Column("达标", 0.6, "CENTER")),
    lambda p: (p.cadre_name, p.cadre_unit, mask_phone(p.cadre_phone), p.number, p.head_name, p.group_name,
               household_kind(p.household_type, p.monitoring_category), d(p.start_date), d(p.end_date),
               p.visits_in_period, p.required_visits, "未达标" if p.below_minimum else "达标"),
    total=lambda rows: (f"{len({r.cadre_name for r in rows})}人", "", "", "", f"{len({r.number for r in rows})}户",
                        "", "", "", "", sum(r.visits_in_period for r in rows), sum(r.required_visits for r in rows),
                        f"未达标{sum(1 for r in rows if r.below_minimum)}对"),
    note="本人走访只计结对帮扶责任人本人在结对期间的走访；应走访次数按每年最低走访次数（设置）和本期结对天数折算"
         "（四舍五入），本期未结束时折算到打印当天。",
)

VISITS = LedgerSpec(
    "visits", "入户走访台账",
    (Column("走访日期", 1.0, "CENTER"), Column("户编号", 1.75), Column("户主", 0.7), Column("村民小组", 0.7),
     Column("走访人", 1.0), Column("方式", 0.5, "CENTER"), Column("走访事由", 1.3), Column("见到户", 0.5, "CENTER"),
     Column("家庭变化及发现", 3.0), Column("处理措施", 2.2), Column("满意度", 0.7, "CENTER")),
    lambda v: (d(v.visit_date), v.number, v.head_name, v.group_name, "、".join(v.cadres), lab("visit_method", v.method),
               labs("visit_purpose", v.purposes), "是" if v.present else "否", v.findings, v.actions,
               lab("satisfaction", v.satisfaction)),
    total=lambda rows: (f"{len(rows)}户次", "", f"{len({r.number for r in rows})}户", "", "", "", "",
                        sum(1 for r in rows if r.present), "", "", ""),
)

PROBLEMS = LedgerSpec(
    "problems", "问题清单及销号台账",
    (Column("提出日期", 1.0, "CENTER"), Column("户主", 0.7), Column("户编号", 1.75), Column("问题/诉求", 2.8),
     Column("责任人", 0.7), Column("办理时限", 1.0, "CENTER"), Column("状态", 0.7, "CENTER"),
     Column("办理结果", 2.4), Column("销号日期", 1.0, "CENTER"), Column("回访日期", 1.0, "CENTER"),
     Column("满意度", 0.7, "CENTER")),
    lambda p: (d(p.raised_on), p.household, p.number, p.description, p.responsible, d(p.due_date),
               lab("problem_status", p.status), p.resolution, d(p.closed_on), d(p.revisited_on),
               lab("satisfaction", p.satisfaction)),
    total=lambda rows: (f"{len(rows)}件", "", "", "", "", "",
                        f"已销号{sum(1 for r in rows if is_closed(r))}件", "", "", "", ""),
)

DIARY = LedgerSpec(
    "diary", "民情日记登记台账",
    (Column("日期", 1.0, "CENTER"), Column("星期", 0.5, "CENTER"), Column("天气", 0.5, "CENTER"),
     Column("记录人", 0.7), Column("地点", 1.0), Column("走访对象", 1.2), Column("标题", 1.4),
     Column("民情内容", 3.6), Column("发现问题", 1.8), Column("跟进措施", 1.8)),
    lambda e: (d(e.entry_date), "一二三四五六日"[e.entry_date.weekday()], lab("weather", e.weather), e.author,
               e.place, e.people_met or "、".join(e.households), e.title, e.content, e.problems_found,
               e.follow_up),
    total=lambda rows: (f"{len(rows)}篇", "", "", "", "", "", f"{len({r.entry_date for r in rows})}天", "", "", ""),
    # 公示: the households the entry is about (from the records), never the typed 走访对象 text
    public_row=lambda e: (d(e.entry_date), "一二三四五六日"[e.entry_date.weekday()], lab("weather", e.weather),
                          e.author, "", "、".join(e.households), "", "", "", ""),
)

WORKLOG = LedgerSpec(
    "worklog", "驻村工作日志（会议及活动记录）",
    (Column("日期", 1.0, "CENTER"), Column("类型", 0.9, "CENTER"), Column("主题", 2.2), Column("地点", 1.2),
     Column("主持人", 0.8), Column("参加人数", 0.6, "CENTER"), Column("主要内容", 5.0)),
    lambda w: (d(w.log_date), lab("worklog_kind", w.kind), w.topic, w.place, w.host, w.attendees_count, w.content),
    total=lambda rows: (f"{len(rows)}次", "", "", "", "", sum(r.attendees_count or 0 for r in rows), ""),
)

ATTENDANCE = LedgerSpec(
    "attendance", "驻村工作队考勤表",
    (Column("姓名", 1.0), Column("月份", 1.0, "CENTER"), Column("在村（天）", 0.9, "CENTER"),
     Column("因公外出（天）", 0.9, "CENTER"), Column("请假（天）", 0.9, "CENTER"), Column("其他（天）", 0.9, "CENTER"),
     Column("驻村天数", 0.9, "CENTER"), Column("每月要求（天）", 0.9, "CENTER"), Column("是否达标", 0.8, "CENTER")),
    lambda a: (a.cadre_name, f"{a.year}年{a.month}月", a.in_village, a.official_trip, a.leave, a.other,
               a.village_days, a.required, "达标" if a.village_days >= a.required else "未达标"),
    total=lambda rows: (f"{len({r.cadre_name for r in rows})}人", "", sum(r.in_village for r in rows),
                        sum(r.official_trip for r in rows), sum(r.leave for r in rows), sum(r.other for r in rows),
                        sum(r.village_days for r in rows), "", ""),
    note="驻村天数 = 在村天数 + 因公外出天数（报备的会议、培训、项目外出计入驻村时间）。",
)

def _giving_text(rows) -> str:
    """Donations received, 慰问 and 救济/助学 apart (services.donations.giving_figures)."""
    g = giving_figures(rows, 0)
    return (f"分类合计：社会捐赠{g.donation_count}笔，款{yuan(g.donation_cash)}元、物{yuan(g.donation_goods)}元；"
            f"慰问{g.condolence_count}笔，款{yuan(g.condolence_cash)}元、物{yuan(g.condolence_goods)}元；"
            f"救济/助学{g.aid_count}笔{yuan(g.aid_amount)}元。")


def _purchase_text(rows) -> str:
    """Purchases and 订单 apart (services.purchases.purchase_figures)."""
    b = purchase_figures(rows)
    text = (f"分类合计：一次性采购{b.purchase_count}笔{yuan(b.purchase_amount)}元；订单（常年订购）{b.order_count}笔"
            f"{yuan(b.order_amount)}元；带动农户不重复{b.households}户")
    if b.unlisted_count:
        text += f"（另有{b.unlisted_count}笔未登记农户名单，填报带动{b.unlisted_household_times}户次）"
    return text + "。"


DONATIONS = LedgerSpec(
    "donations", "捐赠及慰问登记台账",
    (Column("接收日期", 1.0, "CENTER"), Column("捐赠方", 1.8), Column("捐赠方类型", 0.7, "CENTER"),
     Column("类型", 0.5, "CENTER"), Column("物资明细", 2.6), Column("金额/价值", 1.1, "RIGHT"),
     Column("用途/指定对象", 1.8), Column("慰问", 0.5, "CENTER"), Column("经办人", 0.7), Column("收据号", 0.9)),
    lambda x: (d(x.received_on), x.donor, lab("donor_kind", x.donor_kind), lab("donation_kind", x.kind), x.items,
               yuan(x.amount), x.purpose, "是" if x.is_condolence else "", x.handler, x.receipt_number),
    total=lambda rows: (f"{len(rows)}笔", "", "", "", "", yuan(_sum(rows, "amount")), "", "", "", ""),
    money_unit="元",
    note="合计金额为各笔之和；用途写明助学、救济、救助的计为救济/助学。",
    breakdown=lambda rows: _giving_text(rows),
)

DISTRIBUTIONS = LedgerSpec(
    "distributions", "物资（资金）发放台账",  # a register of the year; signed on 发放签收表 (one per batch)
    (Column("发放日期", 1.0, "CENTER"), Column("户主/领取人", 0.9), Column("户编号", 1.4), Column("类别", 1.1),
     Column("发放物资/资金", 1.3), Column("数量", 0.7, "RIGHT"), Column("金额", 0.9, "RIGHT"),
     Column("发放人", 0.7), Column("签收", 1.0, "CENTER"), Column("代领说明", 1.2)),
    lambda x: (d(x.distributed_on), x.recipient, x.number,
               lab("household_type", x.category) if x.category in codes.get("household_type")
               else lab("distribution_target_kind", x.category),
               x.what, f"{qty(x.quantity)}{x.unit or ''}" if x.quantity else "", yuan(x.amount), x.handler,
               (x.signed_by or "已签收") if x.signed else "未签收", x.proxy_note),
    total=lambda rows: (f"{len(rows)}人次", "", "", "", "", "", yuan(_sum(rows, "amount")), "", "", ""),
    money_unit="元",
)

PURCHASES = LedgerSpec(
    "purchases", "消费帮扶台账",
    (Column("日期", 1.0, "CENTER"), Column("采购单位", 1.8), Column("产品", 1.2), Column("供应主体", 1.6),
     Column("产地", 1.2), Column("数量", 0.9, "RIGHT"), Column("金额", 1.1, "RIGHT"), Column("渠道", 0.8, "CENTER"),
     Column("带动农户（户）", 0.8, "CENTER")),
    lambda p: (d(p.purchase_date), p.buyer_unit, p.product, p.supplier, p.origin,
               f"{qty(p.quantity)}{p.unit or ''}" if p.quantity is not None else "", yuan(p.amount),
               lab("purchase_channel", p.channel), p.households_benefiting),
    total=lambda rows: (f"{len(rows)}笔", "", "", "", "", "", yuan(_sum(rows, "amount")), "",
                        f"{purchase_figures(rows).households}户"),
    money_unit="元",
    note="带动农户合计按各笔登记的农户名单不重复统计。",
    breakdown=lambda rows: _purchase_text(rows),
)

_ym = table_month


def _stage(r) -> str:
    if r.stage:
        return lab("monitoring_stage", r.stage)
    if r.monitoring_category:  # monitored in the registry without recorded steps
        return lab("monitoring_stage", "eliminated" if r.risk_eliminated else "identified")
    return ""


MONITORED = LedgerSpec(
    "monitored", "防返贫监测户花名册",
    (Column("户编号", 2.0), Column("村民小组", 0.8), Column("户主", 0.8), Column("户类型", 1.0),
     Column("人口", 0.5, "CENTER"), Column("监测对象类别", 1.25, "CENTER"), Column("风险类型", 1.2),
     Column("风险线索日期", 1.1, "CENTER"), Column("识别监测时间", 0.9, "CENTER"), Column("当前环节", 0.9, "CENTER"),
     Column("环节日期", 1.1, "CENTER"), Column("风险消除", 0.6, "CENTER"), Column("消除方式", 0.9, "CENTER"),
     Column("消除日期", 1.1, "CENTER")),
    lambda r: (r.number, r.group_name, r.head_name, lab("household_type", r.household_type), r.people,
               lab("monitoring_category", r.monitoring_category), labs("risk_type", r.risk_types), d(r.clue_on),
               _ym(r.identified_on), _stage(r), d(r.stage_date), "是" if r.risk_eliminated else "否",
               lab("elimination_way", r.elimination_way), d(r.eliminated_on)),
    total=lambda rows: ("", "", f"{len(rows)}户", "", sum(r.people or 0 for r in rows), "", "", "", "", "", "",
                        f"{sum(1 for r in rows if r.risk_eliminated)}户", "", ""),
    note="识别监测时间为纳入监测的月份；当前环节为打印时所处的监测环节。",
)

def _measure_money(rows) -> str:
    """Loans (金融帮扶) and grants stated apart, never added (services.measures.measure_totals)."""
    t = measure_totals(rows)
    return (f"分类合计：补助等资金{t.grant_count}笔{yuan(t.grants)}元（即金额合计）；金融帮扶贷款{t.loan_count}笔"
            f"{yuan(t.loans)}元，另计，不计入金额合计。")


MEASURES = LedgerSpec(
    "measures", "帮扶措施落实台账",
    (Column("落实日期", 1.15, "CENTER"), Column("户编号", 2.0), Column("户主", 0.8), Column("村民小组", 0.8),
     Column("监测对象类别", 1.25, "CENTER"), Column("措施类别", 1.1, "CENTER"), Column("开发式", 0.5, "CENTER"),
     Column("措施内容", 3.0), Column("金额", 1.0, "RIGHT"), Column("责任人", 0.8), Column("落实成效", 1.8)),
    lambda m: (d(m.measure_date), m.number, m.head_name, m.group_name,
               lab("monitoring_category", m.monitoring_category), lab("measure_category", m.category),
               "是" if m.development else "", m.content, yuan(m.amount), m.responsible_name, m.result),
    total=lambda rows: (f"{len(rows)}项", "", f"{len({r.household_id for r in rows})}户", "", "", "",
                        sum(1 for r in rows if r.development) or "", "", yuan(measure_totals(rows).grants), "", ""),
    money_unit="元",
    note="开发式帮扶指产业、就业、金融、公益岗位帮扶；有劳动力且风险未消除的监测户须在纳入监测后6个月内落实。",
    breakdown=lambda rows: _measure_money(rows),
)

SPECS: dict[str, LedgerSpec] = {s.kind: s for s in (ROSTER, PAIRINGS, VISITS, PROBLEMS, DIARY, WORKLOG, ATTENDANCE,
                                                    DONATIONS, DISTRIBUTIONS, PURCHASES, MONITORED, MEASURES)}

TITLES: dict[str, str] = {
    "roster": ROSTER.title, "pairings": PAIRINGS.title, "visits": VISITS.title, "problems": PROBLEMS.title,
    "diary": DIARY.title, "worklog": WORKLOG.title, "attendance": ATTENDANCE.title, "projects": "项目台账",
    "funds": "项目资金台账", "donations": DONATIONS.title, "distributions": DISTRIBUTIONS.title,
    "purchases": PURCHASES.title, "monitored": MONITORED.title, "measures": MEASURES.title,
}


def _project_spec(sources: Sequence[str]) -> LedgerSpec:
    """项目台账: one column per funding source that occurs (planned amounts, 万元)."""
    src_cols = tuple(Column(f"{lab('funding_source', s)}（万元）", 0.85, "RIGHT") for s in sources)

    def row(p):
        by = {f.source: f.planned for f in p.funding}
        return (p.number, p.name, lab("project_category", p.category), p.place, p.content_scale,
                lab("project_status", p.status), p.progress_percent, wan(p.total_investment),
                *(wan(by.get(s)) if by.get(s) else "" for s in sources),
                p.households, p.beneficiary_poor_households)

    def total(rows):
        b = beneficiary_figures(rows)
        return ("", f"{len(rows)}个", "", "", "", "", "", wan(_sum(rows, "total_investment")),
                *(wan(sum((f.planned for r in rows for f in r.funding if f.source == s), ZERO)) for s in sources),
                f"{b.household_times}户次", f"{b.poor_household_times}户次")

    cols = (Column("项目编号", 1.3), Column("项目名称", 1.8), Column("类别", 1.0), Column("建设地点", 1.0),
            Column("建设内容及规模", 2.4), Column("状态", 1.1, "CENTER"), Column("进度（%）", 0.75, "CENTER"),
            Column("总投资（万元）", 0.9, "RIGHT"), *src_cols, Column("受益户", 0.7, "CENTER"),
            Column("其中脱贫户", 0.7, "CENTER"))
    def breakdown(rows):
        b = beneficiary_figures(rows)
        return (f"受益户合计{b.household_times}户次（一户受益于几个项目计几次），不重复{b.distinct_households}户"
                f"（按受益户名单" + (f"，{b.projects_without_list}个项目无名单" if b.projects_without_list else "")
                + "）。")

    return LedgerSpec("projects", "项目台账", cols, row, total, money_unit="万元", breakdown=breakdown,
                      note="资金来源各列为计划投入；总投资与各来源合计不一致时，以项目批复为准核对。")


FUNDS = LedgerSpec(
    "funds", "项目资金台账",
    (Column("项目编号", 1.0), Column("项目名称", 2.2), Column("资金来源", 1.6), Column("计划投入", 1.0, "RIGHT"),
     Column("已到位", 1.0, "RIGHT"), Column("待到位", 1.0, "RIGHT"), Column("到位率", 0.7, "CENTER"),
     Column("项目状态", 1.0, "CENTER")),
    lambda r: r,  # rows are expanded below (one per project and source)
    money_unit="元",
)


def _fund_rows(projects) -> tuple[list[tuple], tuple]:
    rows = []
    planned = received = ZERO
    for p in projects:
        parts = p.funding or ()
        if not parts:
            rows.append((p.number, p.name, "（未登记资金来源）", yuan(p.total_investment), "", "", "",
                         lab("project_status", p.status)))
            planned += p.total_investment
            continue
        for f in parts:
            rate = f"{(100 * f.received / f.planned):.0f}%" if f.planned else ""
            rows.append((p.number, p.name, lab("funding_source", f.source), yuan(f.planned), yuan(f.received),
                         yuan(f.planned - f.received), rate, lab("project_status", p.status)))
            planned += f.planned
            received += f.received
    total = ("", f"{len(projects)}个项目", "", yuan(planned), yuan(received), yuan(planned - received),
             f"{(100 * received / planned):.0f}%" if planned else "", "")
    return rows, total


# --- 公示 forms -------------------------------------------------------------------------------------------------------
# The columns each ledger's public notice shows, by title; a kind missing here has no public form.
PUBLIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "roster": ("户编号", "村民小组", "户主", "身份证号", "户类型", "人口", "联系电话", "长期不在村"),
    "pairings": tuple(c.title for c in PAIRINGS.columns),
    "visits": ("走访日期", "户编号", "户主", "村民小组", "走访人", "方式", "走访事由", "见到户", "满意度"),
    "problems": ("提出日期", "户主", "户编号", "责任人", "办理时限", "状态", "销号日期", "回访日期", "满意度"),
    "diary": ("日期", "星期", "天气", "记录人", "走访对象"),
    "attendance": tuple(c.title for c in ATTENDANCE.columns),
    "projects": (),  # every column (no personal data; 项目公告公示)
    "funds": (),
    "donations": ("接收日期", "捐赠方", "捐赠方类型", "类型", "物资明细", "金额/价值", "慰问", "经办人", "收据号"),
    "distributions": ("发放日期", "户主/领取人", "户编号", "类别", "发放物资/资金", "数量", "金额", "发放人"),
    "purchases": tuple(c.title for c in PURCHASES.columns),
    "monitored": tuple(c.title for c in MONITORED.columns if c.title != "风险类型"),
}


class NoPublicForm(FupinError):
    """A 公示 version was asked of a document that has none."""


def has_public_form(kind: str) -> bool:
    """Whether the ledger ``kind`` has a 公示 version."""
    return kind in PUBLIC_COLUMNS


def no_public_form(title: str) -> NoPublicForm:
    return NoPublicForm(f"“{title}”没有公示版：其中有文字记录或个人敏感信息，不能张贴公示。请去掉“公示版”选项"
                        "（命令行：去掉 --public），或选择有公示版的台账。")


def _public(spec: LedgerSpec) -> tuple[LedgerSpec, Callable[[Sequence[Any]], tuple]]:
    """The spec of the 公示 form, and a function cutting a row (or total) down to its columns."""
    if spec.kind not in PUBLIC_COLUMNS:
        raise no_public_form(spec.title)
    shown = PUBLIC_COLUMNS[spec.kind]
    keep = [i for i, c in enumerate(spec.columns) if not shown or c.title in shown]
    if shown and len(keep) != len(shown):  # a renamed column must not silently vanish from (or into) the notice
        raise ValueError(f"PUBLIC_COLUMNS[{spec.kind!r}] names a column the ledger does not have")

    def cut(values: Sequence[Any]) -> tuple:
        values = tuple(values)
        return tuple(values[i] for i in keep)

    kept = spec.note if spec.public_note is None else spec.public_note
    note = f"{kept}{PUBLIC_NOTE}" if kept else PUBLIC_NOTE
    return LedgerSpec(spec.kind, spec.title + PUBLIC_SUFFIX, tuple(spec.columns[i] for i in keep),
                      spec.public_row or spec.row, spec.total, spec.money_unit, note), cut


def write_ledger_pdf(path: str | Path, ledger, *, public: bool = False, progress: Progress | None = None,
                     cancel: Any = None) -> Path:
    """Render a ``services.reporting.Ledger`` of any kind to ``path``; ``public``: the 公示 version (no health,
    disability or income columns)."""
    head = ledger.head
    if ledger.kind == "projects":
        spec = _project_spec(ledger.sources)
    elif ledger.kind == "funds":
        spec = FUNDS
    else:
        spec = SPECS[ledger.kind]
    cut: Callable[[Sequence[Any]], Sequence[Any]] = tuple
    if public:
        spec, cut = _public(spec)
    info = PageInfo(spec.title, unit=head.unit, period=head.period, money_unit=spec.money_unit, landscape=True,
                    print_date=head.printed_on)
    if ledger.kind == "funds":
        rows, total = _fund_rows(ledger.rows)
        return write_ledger(path, info, spec.columns, rows, total=total, row_count=len(rows), progress=progress,
                            cancel=cancel, note=spec.note if public else None)
    rows = ledger.rows
    breakdown = SPECS[ledger.kind].breakdown if ledger.kind in SPECS else (
        _project_spec(ledger.sources).breakdown if ledger.kind == "projects" else None)
    note = "".join(x for x in ((breakdown(rows) if breakdown and rows else ""), spec.note or "") if x) or None
    return write_ledger(path, info, spec.columns, (cut(spec.row(r)) for r in rows),
                        total=cut(spec.total(rows)) if spec.total and rows else None, row_count=len(rows),
                        progress=progress, cancel=cancel, note=note)


def title_of(kind: str) -> str:
    return TITLES[kind]


__all__ = ["write_ledger_pdf", "title_of", "TITLES", "SPECS", "format_cn_date", "PUBLIC_COLUMNS", "has_public_form",
           "NoPublicForm"]
