"""公示 notices to post in the village (domain.md §6.3, §3.4; issue 17): 防返贫监测对象纳入公示, 风险消除公示, 社会捐赠
款物接收及使用公示 and 项目公示 — each with its 公示期 (from/to, at least :data:`MIN_DAYS` days), 监督电话 and 落款
(unit, date).

A notice is public from end to end, so it follows issue 14's rule for 公示 outputs (DESIGN.md §5.10): no health,
disability, income, ID number or free text about a person. The mechanism is the ledgers' one, an allow-list:
:data:`NOTICE_COLUMNS` names every column a notice may print, checked when the notice is laid out (a column
added later stays out until someone decides it may be posted), and the rows the service hands over
(``services.register_lines.Notice*Line``) carry nothing else. The notices are listed among the documents with a
公示 form (``reports.public``); ``tests/test_privacy_outputs.py`` scans them with every other 公示 output.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import format_cn_date
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import format_yuan
from fupin_desktop.reports.cells import table_date, yuan
from fupin_desktop.reports.common import Column, PageInfo, Progress, build, frame_width, simple_table, style

__all__ = ["NoticeTerms", "NOTICE_KEYS", "NOTICE_COLUMNS", "MIN_DAYS", "write_notice", "notice_days"]

# The days a notice stays posted at least: 5 for the village's own notices, 10 for projects (项目公告公示, domain.md §3.4).
MIN_DAYS = {"notice_monitored": 5, "notice_eliminated": 5, "notice_donations": 5, "notice_projects": 10}
NOTICE_KEYS = tuple(MIN_DAYS)


@dataclass(frozen=True)
class NoticeTerms:
    """What the person posting the notice chooses: the 公示期 and the 监督电话 (empty: a line to write it in)."""

    start: date | None = None  # None: the print date
    end: date | None = None  # None: start + the notice's minimum days − 1
    phone: str = ""

    def resolve(self, key: str, today: date) -> tuple[date, date]:
        """The 公示期 (first and last day, both counted); ValidationError when shorter than the minimum."""
        least = MIN_DAYS[key]
        start = self.start or today
        end = self.end or start + timedelta(days=least - 1)
        if end < start:
            raise ValidationError("notice_to", "公示期的结束日期不能早于开始日期")
        if notice_days(start, end) < least:
            raise ValidationError("notice_to", f"公示期不少于{least}天：{format_cn_date(start)}至"
                                               f"{format_cn_date(end)}只有{notice_days(start, end)}天")
        return start, end


def notice_days(start: date, end: date) -> int:
    """Days of the 公示期, the first and the last counted (3日至7日 = 5天)."""
    return (end - start).days + 1


# --- what each notice prints (the allow-list) -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Col:
    column: Column
    value: Callable[[Any], str]


def _lab(name: str, code: str | None) -> str:
    return codes.label(name, code) if code else ""


def _sources(r) -> str:
    return "\n".join(f"{_lab('funding_source', s)} {format_yuan(a)}" for s, a in r.sources if a)  # one a line


def _span(r) -> str:
    if r.planned_start and r.planned_end:
        return f"{table_date(r.planned_start)}—\n{table_date(r.planned_end)}"
    return table_date(r.planned_start or r.planned_end)


_COLUMNS: dict[str, tuple[_Col, ...]] = {
    "notice_monitored": (
        _Col(Column("村民小组", 1.0, "CENTER"), lambda r: r.group_name or ""),
        _Col(Column("户主姓名", 1.0, "CENTER"), lambda r: r.head_name),
        _Col(Column("家庭人口", 0.8, "CENTER", wrap=False), lambda r: f"{r.people}人" if r.people else ""),
        _Col(Column("监测对象类别", 1.4, "CENTER"), lambda r: _lab("monitoring_category", r.category)),
        _Col(Column("纳入监测时间", 1.1, "CENTER", wrap=False), lambda r: table_date(r.on)),
    ),
    "notice_eliminated": (
        _Col(Column("村民小组", 1.0, "CENTER"), lambda r: r.group_name or ""),
        _Col(Column("户主姓名", 1.0, "CENTER"), lambda r: r.head_name),
        _Col(Column("家庭人口", 0.8, "CENTER", wrap=False), lambda r: f"{r.people}人" if r.people else ""),
        _Col(Column("监测对象类别", 1.4, "CENTER"), lambda r: _lab("monitoring_category", r.category)),
        _Col(Column("风险消除时间", 1.1, "CENTER", wrap=False), lambda r: table_date(r.on)),
    ),
    "notice_donations": (
        _Col(Column("接收日期", 0.9, "CENTER", wrap=False), lambda r: table_date(r.received_on)),
        _Col(Column("捐赠方", 1.8), lambda r: r.donor),
        _Col(Column("类型", 0.5, "CENTER"), lambda r: _lab("donation_kind", r.kind)),
        _Col(Column("物资明细", 2.2), lambda r: r.items),
        _Col(Column("金额/价值", 1.1, "RIGHT", wrap=False), lambda r: yuan(r.amount)),
        _Col(Column("用途", 1.6), lambda r: r.purpose or ""),
        _Col(Column("已发放（户）", 0.8, "CENTER", wrap=False),
             lambda r: str(r.given_households) if r.given_households else ""),
        _Col(Column("已发放金额", 1.1, "RIGHT", wrap=False),
             lambda r: yuan(r.given_amount) if r.given_amount else ""),
    ),
    "notice_projects": (
        _Col(Column("项目名称", 1.6), lambda r: r.name),
        _Col(Column("项目类别", 0.9), lambda r: _lab("project_category", r.category)),
        _Col(Column("建设地点", 0.9), lambda r: r.place or ""),
        _Col(Column("建设内容及规模", 2.0), lambda r: r.content_scale or ""),
        _Col(Column("总投资", 1.0, "RIGHT", wrap=False), lambda r: yuan(r.total_investment)),
        _Col(Column("资金来源", 2.6), _sources),
        _Col(Column("实施单位", 1.1), lambda r: r.implementing_unit or ""),
        _Col(Column("计划工期", 1.0, "CENTER", wrap=False), _span),
        _Col(Column("受益户数", 0.6, "CENTER", wrap=False),
             lambda r: str(r.beneficiary_households) if r.beneficiary_households else ""),
        _Col(Column("联农带农机制", 1.8), lambda r: r.benefit_mechanism or ""),
    ),
}

# Every column a notice may print. Reviewed against DESIGN.md §5.10: names, 村民小组, household size, the
# monitoring category (the public 监测对象 class, never the risk type 因病/因残…), dates, donors and amounts received,
# project facts. Nothing about health, disability, income, ID numbers or phones of villagers.
NOTICE_COLUMNS: dict[str, tuple[str, ...]] = {
    "notice_monitored": ("村民小组", "户主姓名", "家庭人口", "监测对象类别", "纳入监测时间"),
    "notice_eliminated": ("村民小组", "户主姓名", "家庭人口", "监测对象类别", "风险消除时间"),
    "notice_donations": ("接收日期", "捐赠方", "类型", "物资明细", "金额/价值", "用途", "已发放（户）",
                         "已发放金额"),
    "notice_projects": ("项目名称", "项目类别", "建设地点", "建设内容及规模", "总投资", "资金来源", "实施单位",
                        "计划工期", "受益户数", "联农带农机制"),
}


def _total(key: str, rows: Sequence) -> list[str] | None:
    """The 合计 row (after 序号), or None for an empty notice."""
    if not rows:
        return None
    if key in ("notice_monitored", "notice_eliminated"):
        return ["", f"{len(rows)}户", f"{_people(rows)}人", "", ""]
    if key == "notice_donations":
        return ["", f"{len(rows)}笔", "", "", yuan(sum((r.amount for r in rows), Decimal("0"))), "", "",
                yuan(sum((r.given_amount for r in rows), Decimal("0")))]
    return [f"{len(rows)}个", "", "", "", yuan(sum((r.total_investment for r in rows), Decimal("0"))), "", "", "",
            str(sum(r.beneficiary_households or 0 for r in rows)), ""]


def _columns(key: str) -> tuple[_Col, ...]:
    cols = _COLUMNS[key]
    allowed = NOTICE_COLUMNS[key]
    outside = [c.column.title for c in cols if c.column.title not in allowed]
    if outside:  # a column must be allowed before any notice prints it
        raise ValueError(f"notice {key!r} prints columns not in NOTICE_COLUMNS: {outside}")
    return cols


# --- the words of each notice ------------------------------------------------------------------------------------------

def _people(rows) -> int:
    return sum(r.people or 0 for r in rows)


def _title(key: str, village: str) -> str:
    return {"notice_monitored": f"{village}防返贫监测对象纳入公示",
            "notice_eliminated": f"{village}防返贫监测对象风险消除公示",
            "notice_donations": f"{village}社会捐赠款物接收及使用情况公示",
            "notice_projects": f"{village}衔接资金项目公示"}[key]


def _intro(key: str, rows: Sequence, period: str) -> str:
    n = len(rows)
    if not n:
        return {"notice_monitored": f"{period}本村无新纳入的防返贫监测对象。",
                "notice_eliminated": f"{period}本村无风险消除的防返贫监测对象。",
                "notice_donations": f"{period}本村未接收社会捐赠款物。",
                "notice_projects": f"{period}本村无实施的衔接资金项目。"}[key]
    if key == "notice_monitored":
        return (f"根据防止返贫动态监测和帮扶工作要求，经农户申请、村级排查、入户核实和民主评议，{period}拟纳入"
                f"防返贫监测对象{n}户{_people(rows)}人，现予以公示。")
    if key == "notice_eliminated":
        return (f"经入户核实、帮扶成效评估和民主评议，以下{n}户{_people(rows)}人监测对象的返贫致贫风险已稳定消除，"
                f"拟标注为风险消除，现予以公示。")
    if key == "notice_donations":
        total = sum((r.amount for r in rows), Decimal("0"))
        return (f"{period}，本村共接收社会捐赠款物{n}笔，价值合计{format_yuan(total)}元。现将接收及发放使用情况"
                f"公示如下，衷心感谢各界爱心单位和人士的支持。")
    total = sum((r.total_investment for r in rows), Decimal("0"))
    return (f"根据项目公告公示制度，现将本村{period}实施（计划实施）的{n}个项目（总投资{format_yuan(total)}元）"
            f"的有关情况公示如下，接受群众监督。")


def _committee(village: str) -> str:
    return village if village.endswith("委员会") else f"{village}村民委员会"


def write_notice(path: str | Path, key: str, register, terms: NoticeTerms | None = None, *,
                 progress: Progress | None = None, cancel: Any = None) -> Path:
    """The notice ``key`` (one of :data:`NOTICE_KEYS`) of ``register``'s rows, posted for ``terms``' 公示期."""
    terms = terms or NoticeTerms()
    head = register.head
    start, end = terms.resolve(key, head.printed_on)
    cols = _columns(key)
    village = head.village or head.unit
    info = PageInfo(_title(key, village), unit=head.unit, period=head.period,
                    landscape=key in ("notice_donations", "notice_projects"), print_date=head.printed_on,
                    signatures=False)
    available = frame_width(info)
    body = style("nbody", 11, 19, first_indent=22)
    story: list = [Paragraph(escape(info.title), style("ntitle", 18, 26, "CENTER", space_after=10)),
                   Paragraph(escape(_intro(key, register.rows, head.period)), body), Spacer(1, 3 * mm)]
    data = [[str(i + 1), *(c.value(r) for c in cols)] for i, r in enumerate(register.rows)]
    total = _total(key, register.rows)
    if total is not None:
        data.append(["合计", *total])
    if key in ("notice_donations", "notice_projects"):
        story.append(Paragraph("金额单位：元", style("nunit", 9.5, 13, "RIGHT")))
    story.append(simple_table(data, [Column("序号", 0.4, "CENTER", wrap=False), *(c.column for c in cols)],
                              available))
    phone = terms.phone.strip() or "______________"
    closing = [
        Spacer(1, 4 * mm),
        Paragraph(escape(f"公示期：{format_cn_date(start)}至{format_cn_date(end)}（共{notice_days(start, end)}天）。"
                         "公示期内如有异议，请以书面、电话或当面方式向村民委员会、驻村工作队或乡镇反映，"
                         "反映情况须实事求是。"), body),
        Paragraph(escape(f"监督电话：{phone}"), body),
        Spacer(1, 10 * mm),
    ]
    sign = style("nsign", 11, 20, "RIGHT")
    for line in (_committee(head.village) if head.village else "", head.unit, format_cn_date(start)):
        if line:
            closing.append(Paragraph(escape(line), sign))
    story.append(KeepTogether(closing))  # the 公示期, 监督电话 and 落款 stay together
    return build(path, info, story, progress=progress, cancel=cancel)
