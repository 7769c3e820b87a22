"""The 上报表: the workbook a work team sends upward, for people to read, print and check (domain.md §7).

One sheet per ledger a clerk knows — 村基本情况, 工作队花名册, 农户花名册, 家庭成员, 结对帮扶, 走访台账, 问题清单（销号台账）,
民情日记, 工作日志（会议）, 考勤汇总, 项目台账 (funding by source as columns), 捐赠台账, 发放签收, 消费帮扶, 监测对象, 帮扶措施.
The rows are the printed ledgers' rows (``services.reporting.ReportingService.ledger``: one definition of every
figure), with every reference as the name people use (户主 and 户编号, cadre, project and donor names), every code
as its Chinese label, households in 村民小组 and 户编号 order (dated ledgers by date), and no ids, timestamps or
deleted records. Each sheet prints on A4 landscape at ≥ 8 pt (``report_layout.print_font``).

Forms: ``masked`` (default: 身份证号 only its area code, phones partly hidden, members' age instead of birth date —
``domain.privacy``), ``full`` (audited) and ``public`` (公示: only the columns a notice may show, no free text, no
health, disability or income; sheets without a public form are left out).
The workbook is written in openpyxl's write-only mode (rows streamed).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fupin_desktop.domain import codes
from fupin_desktop.domain.money import to_wan
from fupin_desktop.domain.privacy import age_on, mask_id, mask_phone
from fupin_desktop.exchange.report_closing import closing_note
from fupin_desktop.exchange.report_layout import Col, SheetHead, cut, fill_page, write_sheet
from fupin_desktop.fileio import atomic_path
from fupin_desktop.memory import paused_gc

FORMS = ("masked", "full", "public")
PUBLIC_NOTE = "本表为公示版，只列可以公开的项目，不含个人敏感信息和文字记录，身份证号只显示前6位，电话已部分隐藏。"
MASKED_NOTE = "身份证号只显示前6位（地区码），电话已部分隐藏；家庭成员只列填报日期的周岁年龄。"


def lab(list_name: str, code: str | None) -> str:
    return codes.get(list_name).label(code) if code else ""


def labs(list_name: str, values) -> str:
    return "、".join(lab(list_name, v) for v in values if v)


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(x for x in (text or "").split(",") if x)


def yes(v) -> str:
    return "是" if v else ""


def yes_no(v) -> str:
    return "是" if v else "否"


def kind_label(type_code: str | None, monitoring: str | None) -> str:
    return lab("household_type", type_code)


_DIGITS = re.compile(r"(\d+)")
_CN_NUM = {c: i for i, c in enumerate("零一二三四五六七八九十")}


def natural(text: str | None) -> tuple:
    """Sort key that puts 第2组 before 第10组 (and 第二组 before 第十组)."""
    if not text:
        return ((1, ""),)
    t = text
    if not _DIGITS.search(t):
        m = re.search(r"[零一二三四五六七八九十]+", t)
        if m:
            s = m.group(0)
            n = 0
            if "十" in s:
                a, _, b = s.partition("十")
                n = (_CN_NUM.get(a, 1) if a else 1) * 10 + (_CN_NUM.get(b, 0) if b else 0)
            else:
                for ch in s:
                    n = n * 10 + _CN_NUM[ch]
            t = t.replace(s, str(n), 1)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in _DIGITS.split(t) if p)


def household_key(group: str | None, number: str | None) -> tuple:
    return natural(group), number or ""


@dataclass(frozen=True)
class Book:
    """Everything the sheets are made of, read once."""

    form: str
    today: date
    period_label: str
    unit: str
    village: str
    facts: Any  # services.report_book.VillageFacts
    ledgers: dict  # kind → services.reporting.Ledger
    team: list
    members: list
    closing: str = ""  # 说明 on 结账 (exchange.report_closing)


@dataclass(frozen=True)
class SheetSpec:
    name: str  # tab name
    title: str  # printed title (after the village name)
    columns: Callable[[Book], tuple[Col, ...]]
    rows: Callable[[Book], list]
    total: Callable[[Book, list, tuple[Col, ...]], tuple] | None = None
    public: bool = True  # has a 公示 form


def _ledger_rows(kind: str, key: Callable | None = None) -> Callable[[Book], list]:
    def rows(book: Book) -> list:
        out = list(book.ledgers[kind].rows)
        if key is not None:
            out.sort(key=key)
        return out
    return rows


def _fixed(*cols: Col) -> Callable[[Book], tuple[Col, ...]]:
    return lambda book: cols


# --- household columns shared by many sheets --------------------------------------------------------------------
def _group_col(get=lambda r: r.group_name) -> Col:
    return Col("村民小组", 7, get, "center")


def _number_col(get=lambda r: r.number) -> Col:
    return Col("户编号", 17.5, get, "number_text")


def _head_col(get=lambda r: r.head_name, title="户主") -> Col:
    return Col(title, 7.5, get)


def _date_col(title: str, get, width=10.5) -> Col:
    return Col(title, width, get, "date")


# --- the sheets -------------------------------------------------------------------------------------------------------

# Lines of the 村基本情况 a 公示 leaves out (counts of disabled, 低保 and 特困 people of a small village point at persons).
PRIVATE_FIGURES = ("残疾人", "低保", "特困")


def _village_rows(book: Book) -> list[tuple[str, Any, Any, str]]:
    """(项目, count — from the members where it is one, 村情填报, 内容/说明): the figures are
    ``services.village_figures.VillagePeople.lines()``, the same lines as the printed 村基本情况."""
    from fupin_desktop.services.reporting import is_target, monitored_now

    f = book.facts
    roster = book.ledgers["roster"].rows
    monitored = book.ledgers["monitored"].rows
    place = "".join(x for x in (f.province, f.city, f.county, f.township) if x)
    rows: list[tuple[str, Any, Any, str]] = [
        ("村名", None, None, f.name), ("行政区划代码", None, None, f.division_code), ("所属省市县乡", None, None, place),
        ("派出单位", None, None, f.dispatch_unit), ("驻村工作队队员（人）", len(book.team), None, ""),
    ]
    if f.people is not None:
        rows += [(x.title, x.derived, x.entered, x.note) for x in f.people.lines()
                 if book.form != "public" or not x.title.lstrip("　").startswith(PRIVATE_FIGURES)]
    rows += [
        ("帮扶对象户（户）", sum(1 for h in roster if is_target(h)), None, ""),
        ("监测户花名册（户）", len(monitored), None, ""),
        ("其中风险未消除（户）", monitored_now(monitored), None, ""),
    ]
    if f.profile_year:
        src = f"{f.profile_year}年村情"
        rows += [("耕地面积（亩）", None, f.farmland_mu, src), ("林地面积（亩）", None, f.forest_mu, src)]
        if book.form != "public":
            rows += [("农村居民人均可支配收入（元）", None, _yuan(f.per_capita_income), src),
                     ("村集体经济收入（元）", None, _yuan(f.collective_income), src)]
    return rows


def _yuan(v) -> str | None:
    """Money of the 村情 in 元 with two decimals (the column mixes counts and money: written as text)."""
    from fupin_desktop.domain.money import format_yuan

    return format_yuan(v) if v is not None else None


def _blank(v) -> Any:
    return v if v is not None else ""


VILLAGE = SheetSpec(
    "村基本情况", "基本情况",
    _fixed(Col("项目", 26, lambda r: r[0]), Col("按家庭成员统计", 14, lambda r: _blank(r[1])),
           Col("村情填报", 12, lambda r: _blank(r[2])), Col("内容/说明", 56, lambda r: r[3])),
    _village_rows,
)

TEAM = SheetSpec(
    "工作队花名册", "驻村工作队花名册",
    _fixed(Col("姓名", 9, lambda c: c.name), Col("性别", 5, lambda c: lab("sex", c.sex), "center"),
           Col("队内职务", 11, lambda c: lab("cadre_role", c.role), "center"), Col("职务", 14, lambda c: c.position),
           Col("工作单位（派出单位）", 30, lambda c: c.unit),
           Col("联系电话", 14, lambda c: mask_phone(c.phone), "number_text", full=lambda c: c.phone),
           _date_col("驻村开始日期", lambda c: c.start_date, 12), _date_col("驻村结束日期", lambda c: c.end_date, 12)),
    lambda book: list(book.team),
    total=lambda book, rows, cols: (f"合计{len(rows)}人",) + ("",) * (len(cols) - 1),
)

ROSTER = SheetSpec(
    "农户花名册", "农户花名册",
    _fixed(_group_col(), _number_col(), _head_col(),
           Col("户主身份证号", 19.5, lambda h: mask_id(h.head_id_number), "number_text", full=lambda h: h.head_id_number),
           Col("户类型", 13.5, lambda h: lab("household_type", h.household_type), "center"),
           Col("监测对象类别", 13.5, lambda h: lab("monitoring_category", h.monitoring_category), "center"),
           Col("人口", 5, lambda h: h.member_count, "int"),
           Col("联系电话", 13, lambda h: mask_phone(h.phone), "number_text", full=lambda h: h.phone),
           Col("风险类型", 12, lambda h: labs("risk_type", h.risk_types), forms="mf"),
           Col("健康/残疾", 14, lambda h: h.health, forms="mf"),
           Col("人均纯收入（元）", 11, lambda h: h.per_capita_income, "money", forms="mf"),
           Col("长期不在村", 6, lambda h: yes(h.long_absent), "center"),
           Col("住址", 16, lambda h: h.address, forms="mf")),
    _ledger_rows("roster", key=lambda h: household_key(h.group_name, h.number)),
    total=lambda book, rows, cols: tuple(
        f"{len(rows)}户" if c.title == "户主" else sum(r.member_count for r in rows) if c.title == "人口" else "合计"
        if i == 0 else "" for i, c in enumerate(cols)),
)


def _member_health(m) -> str:
    items = [lab("health", x) for x in _split(m.health)]
    if m.disability_category and "disabled" not in _split(m.health):
        items.append(lab("health", "disabled"))
    return "、".join(i for i in items if i)


def _members_cols(book: Book) -> tuple[Col, ...]:
    today = book.today
    return (
        _group_col(), _number_col(), _head_col(), Col("姓名", 7.5, lambda m: m.name),
        Col("与户主关系", 8, lambda m: lab("relation", m.relation), "center"),
        Col("性别", 4.5, lambda m: lab("sex", m.sex), "center"),
        Col("身份证号", 19.5, lambda m: mask_id(m.id_number), "number_text", full=lambda m: m.id_number, forms="mf"),
        Col("年龄", 5, lambda m: age_on(m.birth_date, today) if m.birth_date else None, "int", forms="mp"),
        Col("出生日期", 10.5, lambda m: m.birth_date, "date", forms="f"),
        Col("民族", 5.5, lambda m: lab("ethnicity", m.ethnicity), "center"),
        Col("文化程度", 11, lambda m: lab("education", m.education), "center"),
        Col("健康状况", 12, _member_health, forms="mf"),
        Col("劳动技能", 17, lambda m: lab("labour_skill", m.labour_skill), "center"),
        Col("务工地点", 18, lambda m: m.work_place, forms="mf"),
        Col("务工月数", 5.5, lambda m: m.work_months, "int", forms="mf"),
        Col("低保/特困", 7, lambda m: "、".join(x for x, on in (("低保", m.dibao), ("特困", m.tekun)) if on), "center",
            forms="mf"),
    )


MEMBERS = SheetSpec(
    "家庭成员", "家庭成员花名册", _members_cols,
    lambda book: sorted(book.members, key=lambda m: household_key(m.group_name, m.number)),
    total=lambda book, rows, cols: tuple(
        f"{len(rows)}人" if c.title == "姓名" else f"{len({r.number for r in rows})}户" if c.title == "户主"
        else "合计" if i == 0 else "" for i, c in enumerate(cols)),
)

PAIRINGS = SheetSpec(
    "结对帮扶", "帮扶责任人结对台账",
    _fixed(Col("帮扶责任人", 9, lambda p: p.cadre_name), Col("工作单位", 22, lambda p: p.cadre_unit),
           Col("联系电话", 13, lambda p: mask_phone(p.cadre_phone), "number_text", full=lambda p: p.cadre_phone),
           _group_col(), _number_col(), _head_col(),
           Col("户类型", 13.5, lambda p: lab("household_type", p.household_type), "center"),
           Col("监测对象类别", 13.5, lambda p: lab("monitoring_category", p.monitoring_category), "center"),
           _date_col("结对日期", lambda p: p.start_date), _date_col("解除日期", lambda p: p.end_date),
           Col("本人走访（次）", 7, lambda p: p.visits_in_period, "int"),
           Col("应走访（次）", 7, lambda p: p.required_visits, "int"),
           Col("达标", 6, lambda p: "未达标" if p.below_minimum else "达标", "center")),
    _ledger_rows("pairings", key=lambda p: household_key(p.group_name, p.number) + (p.start_date,)),
)

VISITS = SheetSpec(
    "走访台账", "入户走访台账",
    _fixed(_date_col("走访日期", lambda v: v.visit_date), _group_col(), _number_col(), _head_col(),
           Col("走访人", 10, lambda v: "、".join(v.cadres)),
           Col("方式", 5, lambda v: lab("visit_method", v.method), "center"),
           Col("走访事由", 14, lambda v: labs("visit_purpose", v.purposes)),
           Col("见到户", 5, lambda v: yes_no(v.present), "center"),
           Col("家庭变化及发现", 26, lambda v: v.findings, "wrap", forms="mf"),
           Col("处理措施", 20, lambda v: v.actions, "wrap", forms="mf"),
           Col("满意度", 7, lambda v: lab("satisfaction", v.satisfaction), "center")),
    _ledger_rows("visits", key=lambda v: (v.visit_date,) + household_key(v.group_name, v.number)),
)

PROBLEMS = SheetSpec(
    "问题清单（销号台账）", "问题清单及销号台账",
    _fixed(_date_col("提出日期", lambda p: p.raised_on), _number_col(), _head_col(lambda p: p.household),
           Col("问题/诉求", 28, lambda p: p.description, "wrap", forms="mf"),
           Col("责任人", 8, lambda p: p.responsible), _date_col("办理时限", lambda p: p.due_date),
           Col("状态", 7, lambda p: lab("problem_status", p.status), "center"),
           Col("办理结果", 22, lambda p: p.resolution, "wrap", forms="mf"),
           _date_col("销号日期", lambda p: p.closed_on), _date_col("回访日期", lambda p: p.revisited_on),
           Col("满意度", 7, lambda p: lab("satisfaction", p.satisfaction), "center")),
    _ledger_rows("problems", key=lambda p: (p.raised_on, p.number or "")),
)

DIARY = SheetSpec(
    "民情日记", "民情日记登记台账",
    _fixed(_date_col("日期", lambda e: e.entry_date), Col("星期", 4.5, lambda e: "一二三四五六日"[e.entry_date.weekday()],
                                                         "center"),
           Col("天气", 5, lambda e: lab("weather", e.weather), "center"), Col("记录人", 7.5, lambda e: e.author),
           Col("地点", 10, lambda e: e.place, forms="mf"),
           Col("走访对象", 14, lambda e: e.people_met or "、".join(e.households), "wrap", forms="mf"),
           Col("涉及农户", 14, lambda e: "、".join(e.households), "wrap", forms="p"),
           Col("标题", 12, lambda e: e.title, "wrap", forms="mf"),
           Col("民情内容", 34, lambda e: e.content, "wrap", forms="mf"),
           Col("发现问题", 16, lambda e: e.problems_found, "wrap", forms="mf"),
           Col("跟进措施", 16, lambda e: e.follow_up, "wrap", forms="mf")),
    _ledger_rows("diary", key=lambda e: (e.entry_date, e.author)),
)

WORKLOG = SheetSpec(
    "工作日志（会议）", "驻村工作日志（会议及活动记录）",
    _fixed(_date_col("日期", lambda w: w.log_date), Col("类型", 10, lambda w: lab("worklog_kind", w.kind), "center"),
           Col("主题", 22, lambda w: w.topic, "wrap"), Col("地点", 12, lambda w: w.place),
           Col("主持人", 8, lambda w: w.host), Col("参加人数", 6, lambda w: w.attendees_count, "int"),
           Col("主要内容", 50, lambda w: w.content, "wrap")),
    _ledger_rows("worklog", key=lambda w: w.log_date),
    public=False,
)

ATTENDANCE = SheetSpec(
    "考勤汇总", "驻村工作队考勤汇总表",
    _fixed(Col("姓名", 9, lambda a: a.cadre_name), Col("月份", 10, lambda a: f"{a.year}年{a.month}月", "center"),
           Col("在村", 7, lambda a: a.in_village, "int", group="天数"),
           Col("因公外出", 7, lambda a: a.official_trip, "int", group="天数"),
           Col("请假", 7, lambda a: a.leave, "int", group="天数"), Col("其他", 7, lambda a: a.other, "int", group="天数"),
           Col("驻村天数", 8, lambda a: a.village_days, "int", group="天数"),
           Col("每月要求（天）", 8, lambda a: a.required, "int"),
           Col("是否达标", 8, lambda a: "达标" if a.village_days >= a.required else "未达标", "center")),
    _ledger_rows("attendance", key=lambda a: (a.cadre_name, a.year, a.month)),
)


def _project_cols(book: Book) -> tuple[Col, ...]:
    sources = book.ledgers["projects"].sources

    def by(src):
        return lambda p: next((to_wan(f.planned, 4) for f in p.funding if f.source == src and f.planned), None)

    # widths chosen for A4 landscape at ≥ 8 pt with every one of the 11 funding sources as a column
    return (Col("项目编号", 14.5, lambda p: p.number, "number_text"), Col("项目名称", 16, lambda p: p.name, "wrap"),
            Col("类别", 9, lambda p: lab("project_category", p.category), "wrap"),
            Col("建设地点", 9, lambda p: p.place, "wrap"),
            Col("状态", 7, lambda p: lab("project_status", p.status), "center"),
            Col("进度（%）", 5, lambda p: p.progress_percent, "int"),
            Col("总投资", 9, lambda p: to_wan(p.total_investment, 4), "wan", group="投资（万元）"),
            *(Col(lab("funding_source", s), 7.5, by(s), "wan", group="其中：资金来源（万元）") for s in sources),
            Col("受益户", 6, lambda p: p.households, "int", group="受益户（户；合计为户次）"),
            Col("其中脱贫户", 6, lambda p: p.beneficiary_poor_households, "int", group="受益户（户；合计为户次）"))


def _project_distinct(rows) -> str:
    from fupin_desktop.services.projects import beneficiary_figures

    b = beneficiary_figures(rows)
    return f"受益农户不重复{b.distinct_households}户" + (
        f"（{b.projects_without_list}个项目无名单）" if b.projects_without_list else "")


PROJECTS = SheetSpec(
    "项目台账", "项目台账", _project_cols,
    _ledger_rows("projects", key=lambda p: (p.year or 0, p.number or "", p.name)),
    total=lambda book, rows, cols: tuple(
        "合计" if i == 0 else f"{len(rows)}个" if c.title == "项目名称" else
        _project_distinct(rows) if c.title == "建设地点" else
        sum((c.get(r) or 0 for r in rows), 0) if c.kind in ("wan", "int") and c.title != "进度（%）" else ""
        for i, c in enumerate(cols)),
)

DONATIONS = SheetSpec(
    "捐赠台账", "捐赠及慰问登记台账",
    _fixed(_date_col("接收日期", lambda x: x.received_on), Col("捐赠方", 20, lambda x: x.donor, "wrap"),
           Col("捐赠方类型", 7, lambda x: lab("donor_kind", x.donor_kind), "center"),
           Col("类型", 5, lambda x: lab("donation_kind", x.kind), "center"),
           Col("物资明细", 24, lambda x: x.items, "wrap"), Col("金额/价值（元）", 12, lambda x: x.amount, "money"),
           Col("用途/指定对象", 18, lambda x: x.purpose, "wrap", forms="mf"),
           Col("慰问", 5, lambda x: yes(x.is_condolence), "center"), Col("经办人", 8, lambda x: x.handler),
           Col("收据号", 10, lambda x: x.receipt_number, "number_text")),
    _ledger_rows("donations", key=lambda x: (x.received_on, x.donor)),
    total=lambda book, rows, cols: tuple(
        "合计" if i == 0 else f"{len(rows)}笔" if c.title == "捐赠方" else
        sum((r.amount for r in rows), 0) if c.kind == "money" else "" for i, c in enumerate(cols)),
)


def _dist_category(x) -> str:
    if x.category in codes.get("household_type"):
        return lab("household_type", x.category)
    return lab("distribution_target_kind", x.category)


DISTRIBUTIONS = SheetSpec(
    "发放签收", "慰问物资（资金）发放签收表",
    _fixed(_date_col("发放日期", lambda x: x.distributed_on), Col("户编号", 17.5, lambda x: x.number, "number_text"),
           Col("户主/领取人", 9, lambda x: x.recipient), Col("类别", 11, _dist_category, "center"),
           Col("发放物资/资金", 14, lambda x: x.what, "wrap"),
           Col("数量", 8, lambda x: f"{x.quantity.normalize():f}{x.unit or ''}" if x.quantity else "", "center"),
           Col("金额（元）", 11, lambda x: x.amount, "money"), Col("发放人", 8, lambda x: x.handler),
           Col("领取人签字或手印", 16, lambda x: "", forms="mf"),
           Col("代领说明", 12, lambda x: x.proxy_note, "wrap", forms="mf")),
    _ledger_rows("distributions", key=lambda x: (x.distributed_on, x.number or "", x.recipient)),
    total=lambda book, rows, cols: tuple(
        "合计" if i == 0 else f"{len(rows)}人次" if c.title == "户主/领取人" else
        sum((r.amount for r in rows), 0) if c.kind == "money" else "" for i, c in enumerate(cols)),
)

PURCHASES = SheetSpec(
    "消费帮扶", "消费帮扶台账",
    _fixed(_date_col("日期", lambda p: p.purchase_date), Col("采购单位", 20, lambda p: p.buyer_unit, "wrap"),
           Col("产品", 12, lambda p: p.product, "wrap"), Col("供应主体", 18, lambda p: p.supplier, "wrap"),
           Col("产地", 12, lambda p: p.origin, "wrap"),
           Col("数量", 9, lambda p: f"{p.quantity.normalize():f}{p.unit or ''}" if p.quantity is not None else "",
               "center"),
           Col("金额（元）", 12, lambda p: p.amount, "money"),
           Col("渠道", 8, lambda p: lab("purchase_channel", p.channel), "center"),
           Col("带动农户（户）", 8, lambda p: p.households_benefiting, "int")),
    _ledger_rows("purchases", key=lambda p: (p.purchase_date, p.buyer_unit)),
    total=lambda book, rows, cols: tuple(
        "合计" if i == 0 else f"{len(rows)}笔" if c.title == "采购单位" else
        sum((r.amount for r in rows), 0) if c.kind == "money" else "" for i, c in enumerate(cols)),
)


def _stage(r) -> str:
    if r.stage:
        return lab("monitoring_stage", r.stage)
    if r.monitoring_category:
        return lab("monitoring_stage", "eliminated" if r.risk_eliminated else "identified")
    return ""


MONITORED = SheetSpec(
    "监测对象", "防返贫监测对象花名册",
    _fixed(_group_col(), _number_col(), _head_col(),
           Col("户类型", 13.5, lambda r: lab("household_type", r.household_type), "center"),
           Col("人口", 5, lambda r: r.people, "int"),
           Col("监测对象类别", 13.5, lambda r: lab("monitoring_category", r.monitoring_category), "center"),
           Col("风险类型", 12, lambda r: labs("risk_type", r.risk_types), forms="mf"),
           Col("识别监测时间", 9, lambda r: r.identified_on, "month"),
           Col("当前环节", 10, _stage, "center", group="监测环节"),
           Col("环节日期", 10.5, lambda r: r.stage_date, "date", group="监测环节"),
           Col("是否消除", 6, lambda r: yes_no(r.risk_eliminated), "center", group="风险消除"),
           Col("消除方式", 9, lambda r: lab("elimination_way", r.elimination_way), "center", group="风险消除"),
           Col("消除日期", 10.5, lambda r: r.eliminated_on, "date", group="风险消除")),
    _ledger_rows("monitored", key=lambda r: household_key(r.group_name, r.number)),
    total=lambda book, rows, cols: tuple(
        "合计" if i == 0 else f"{len(rows)}户" if c.title == "户主" else
        sum(r.people or 0 for r in rows) if c.title == "人口" else
        f"{sum(1 for r in rows if r.risk_eliminated)}户" if c.title == "是否消除" else ""
        for i, c in enumerate(cols)),
)

MEASURES = SheetSpec(
    "帮扶措施", "帮扶措施落实台账",
    _fixed(_date_col("落实日期", lambda m: m.measure_date), _group_col(), _number_col(), _head_col(),
           Col("监测对象类别", 13.5, lambda m: lab("monitoring_category", m.monitoring_category), "center"),
           Col("措施类别", 11, lambda m: lab("measure_category", m.category), "center"),
           Col("措施内容", 30, lambda m: m.content, "wrap"), Col("金额（元）", 11, lambda m: m.amount, "money"),
           Col("责任人", 8, lambda m: m.responsible_name), Col("落实成效", 20, lambda m: m.result, "wrap")),
    _ledger_rows("measures", key=lambda m: (m.measure_date,) + household_key(m.group_name, m.number)),
    public=False,
)

SHEETS: tuple[SheetSpec, ...] = (VILLAGE, TEAM, ROSTER, MEMBERS, PAIRINGS, VISITS, PROBLEMS, DIARY, WORKLOG,
                                 ATTENDANCE, PROJECTS, DONATIONS, DISTRIBUTIONS, PURCHASES, MONITORED, MEASURES)
LEDGER_KINDS = ("roster", "pairings", "visits", "problems", "diary", "worklog", "attendance", "projects",
                "donations", "distributions", "purchases", "monitored", "measures")


@dataclass(frozen=True)
class BookResult:
    path: Path
    counts: dict[str, int]  # sheet name → data rows
    form: str
    period: str = ""  # the period's label (2024年上半年)


def read_book(services, flt, form: str = "masked", progress=None) -> Book:
    """Everything the workbook shows, read through the services the printed ledgers use."""
    from fupin_desktop.services.report_book import ReportBookService

    extra = ReportBookService(services.ctx)
    ledgers = {}
    steps = len(LEDGER_KINDS) + 2
    for i, kind in enumerate(LEDGER_KINDS):
        if progress:
            progress(i, steps, "读取台账")
        ledgers[kind] = services.reporting.ledger(kind, flt)
    head = ledgers["roster"].head
    closures, gaps = services.closing.coverage(flt.period.start, flt.period.end)
    warnings = [w for w in (services.closing.reprint_warning(ledger, flt) for ledger in ledgers.values()) if w] \
        if closures and not gaps else []
    return Book(form, head.printed_on, flt.period.label, head.unit, head.village, extra.facts(flt), ledgers,
                extra.team(flt), extra.members(flt), closing_note(closures, gaps, warnings))


def write_book(book: Book, path: Path | str, progress=None, cancel=None) -> BookResult:
    from openpyxl import Workbook

    if book.form not in FORMS:
        raise ValueError(book.form)
    path = Path(path)
    counts: dict[str, int] = {}
    note = (PUBLIC_NOTE if book.form == "public" else "" if book.form == "full" else MASKED_NOTE) + book.closing
    sheets = [s for s in SHEETS if book.form != "public" or s.public]
    wb = Workbook(write_only=True)
    with paused_gc():
        for i, spec in enumerate(sheets):
            if progress:
                progress(i, len(sheets), f"写入“{spec.name}”")
            cols = fill_page(cut(spec.columns(book), book.form))
            rows = spec.rows(book)
            total = spec.total(book, rows, cols) if spec.total and rows else None
            title = spec.title + ("（公示）" if book.form == "public" else "")
            head = SheetHead(title, book.village, book.unit, book.period_label, book.today, note)
            counts[spec.name] = write_sheet(wb, spec.name, head, cols, rows, book.form, total, cancel)
        with atomic_path(path) as tmp:
            wb.save(tmp)
    if progress:
        progress(len(sheets), len(sheets), "完成")
    return BookResult(path, counts, book.form, book.period_label)


def export_report_book(services, path, flt, form: str = "masked", progress=None, cancel=None) -> BookResult:
    """Read and write the 上报表 for the filter's period; every export is recorded in the audit log (a full one
    needs the right to write)."""
    if form == "full":
        services.exchange.require_write()
    book = read_book(services, flt, form, progress)
    result = write_book(book, path, progress, cancel)
    label = {"masked": "上报表", "full": "上报表（完整）", "public": "上报表（公示版）"}[form]
    services.exchange.record_export(str(path), form == "full", f"{label}，{book.village} {book.period_label}，"
                                    f"{sum(result.counts.values())} 行")
    return result


def period_of(start: date | None, end: date | None, today: date):
    """The reporting period of a start/end pair as the ledgers name it (2024年, 2024年上半年, 2024年第二季度, a
    custom range); without dates everything up to today (截至……)."""
    from fupin_desktop.domain import dates
    from fupin_desktop.services.reporting import Period

    if start is None and end is None:
        return Period(date(1900, 1, 1), today, f"截至{dates.format_cn_date(today)}")
    start = start or date(1900, 1, 1)
    end = end or today
    if start.year == end.year:
        y = start.year
        if (start, end) == dates.year_range(y):
            return Period.year(y)
        for h in (1, 2):
            if (start, end) == dates.half_year_range(y, h):
                return Period.half(y, h)
        for q in (1, 2, 3, 4):
            if (start, end) == dates.quarter_range(y, q):
                return Period.quarter(y, q)
    return Period.custom(start, end)


def export_for_period(services, path, start: date | None = None, end: date | None = None, form: str = "masked",
                      progress=None, cancel=None) -> BookResult:
    """The 上报表 of a start/end period (the CLI's and the 数据交换 dialog's entry)."""
    from fupin_desktop.services.reporting import ReportFilter

    return export_report_book(services, path, ReportFilter(period_of(start, end, services.ctx.today())), form,
                              progress, cancel)
