"""工作总结 draft (half-year or year), in the style of the summaries our users write (seeds/002): every figure is
computed from the database (``services.reporting.SummaryFigures``); the secretary rewrites the text in the program
and prints it with a table appendix of the same figures.

:func:`draft_text` → plain text (first line = title; "一、…" headings; "（一）…" sub-headings; other lines are
paragraphs). :func:`write_summary_pdf` prints such text (possibly edited) plus the figures table.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.platypus import Paragraph, Spacer

from fupin_desktop.domain import codes
from fupin_desktop.domain.money import format_wan, format_yuan
from fupin_desktop.reports.common import (
    Column, PageInfo, Progress, build, document_title, frame_width, para, simple_table, style,
)

HEADING = re.compile(r"^[一二三四五六七八九十]+、")
SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十\d]+[）)]")
TODO = "（请补充）"


def _lab(list_name: str, code: str) -> str:
    return codes.get(list_name).label(code)


def _wan(amount: Decimal) -> str:
    return format_wan(amount, 4)


def title_of(fig) -> str:
    unit = fig.head.dispatch_unit
    village = fig.head.village
    place = f"{fig.head.township}{village}" if fig.head.township else village
    who = f"{unit}驻{place}工作队" if unit else f"{place}驻村工作队"
    return f"{who}{fig.period.label}工作总结"


def _meetings_sentence(fig) -> str:
    names = {
        "committee": "召开村两委会议{n}次",
        "party_congress": "组织召开党员大会{n}次",
        "party_lesson": "讲党课{n}次",
        "training": "开展培训{n}次",
        "symposium": "召开座谈会{n}次",
        "representatives": "召开村民代表大会{n}次",
        "publicity": "开展入户宣传{n}次",
        "other": "开展其他活动{n}次",
    }
    parts = [names.get(k, _lab("worklog_kind", k) + "{n}次").format(n=n) for k, n in fig.meetings]
    return "，".join(parts)


def _as_of_text(m) -> str:
    """截至11月30日 / 全年 (the year's figures run to ``as_of``)."""
    if (m.as_of.month, m.as_of.day) == (12, 31):
        return f"{m.year}年底"
    return f"{m.as_of.month}月{m.as_of.day}日"


def _ways(m) -> str:
    return "、".join(f"{_lab('elimination_way', w.way)}{w.households}户{w.people}人" for w in m.eliminated_by_way
                    if w.households)


def monitoring_sentence(fig) -> str:
    """The 防返贫监测 paragraph, from the year's figures (``fig.monitoring``) when present, like seed 004:
    "2023年新纳入监测户2户5人，其中消除风险4户，截至11月未消除风险监测户3户7人"."""
    m = getattr(fig, "monitoring", None)
    if m is None:
        if fig.monitored_identified or fig.monitored_eliminated or fig.monitored_now:
            return (f"开展防返贫动态监测，{fig.period.label}新识别纳入监测对象{fig.monitored_identified}户，"
                    f"风险消除{fig.monitored_eliminated}户，目前仍在监测帮扶{fig.monitored_now}户。")
        return ""
    if not (m.monitored_at_start_households or m.identified_households or m.eliminated_households
            or m.remaining_households):
        return ""
    parts = ["开展防返贫动态监测，落实“早发现、早干预、早帮扶”"]
    if m.monitored_at_start_households:
        parts.append(f"{m.year}年初在监测户{m.monitored_at_start_households}户{m.monitored_at_start_people}人")
    upto = "" if (m.as_of.month, m.as_of.day) == (12, 31) else f"（截至{_as_of_text(m)}）"
    parts.append(f"{m.year}年{upto}新识别纳入监测{m.identified_households}户{m.identified_people}人")
    elim = f"风险消除{m.eliminated_households}户{m.eliminated_people}人"
    ways = _ways(m)
    if ways:
        elim += f"（{ways}）"
    parts.append(elim)
    parts.append(f"截至{_as_of_text(m)}未消除风险监测户{m.remaining_households}户{m.remaining_people}人，"
                 f"继续落实帮扶措施")
    return "，".join(parts) + "。"


def village_sentence(people) -> str:
    """The village's own figures (``services.village_figures.VillagePeople``): counted from the members, with the
    村情's own figures named where they differ."""
    s = people
    text = (f"全村共{s.households}户{s.population}人，{s.groups}个村民小组，劳动力{s.labour}人；"
            f"在校学生{s.students}人（大中专{s.students_higher}人、中学{s.students_secondary}人、"
            f"小学{s.students_primary}人）；党员{s.all_party_members}人（其中预备党员{s.probationary_members}人）；"
            f"残疾人{s.disabled}人；低保对象{s.dibao_people}人、特困供养人员{s.tekun_people}人。")
    differ = [x for x in s.lines() if x.differs]
    if differ:
        named = "、".join(f"{x.title.split('（')[0]}{x.entered}{x.title.split('（')[1].rstrip('）')}" for x in differ)
        text += f"（以上按已录入的家庭成员统计；{s.profile_year}年村情填报{named}。）"
    return text


def problems_sentence(fig, short: bool = False) -> str:
    """收集 (+ 上期结转) = 办结 + 无法解决 (+ other closing states) + 在办: every state stated, so they add up."""
    p = fig.problems
    if p is None:
        return (f"收集群众诉求和问题{fig.problems_raised}件，办结销号{fig.problems_solved}件，"
                f"尚在办理{fig.problems_open}件。")
    parts = [f"办结{p.resolved}件"]
    if p.unsolvable:
        parts.append(f"无法解决{p.unsolvable}件" + ("" if short else "（已向群众解释说明）"))
    parts += [f"{_lab('problem_status', c)}{n}件" for c, n in p.other_closed]
    carried = f"（另有上期结转{p.carried_over}件）" if p.carried_over else ""
    if short:
        return f"收集{p.raised}件{carried}，" + "，".join(parts) + f"，在办{p.open}件"
    return (f"收集群众诉求和问题{p.raised}件{carried}，" + "，".join(parts) + f"，合计销号{p.closed}件，"
            f"在办{p.open}件。")


def draft_text(fig) -> str:
    """The draft summary as plain text; each figure in it comes from ``fig``."""
    p = fig.period.label
    lines: list[str] = [title_of(fig)]
    lines.append(
        f"{p}，工作队按照上级统一安排部署，坚持驻村开展帮扶工作，通过入户走访、慰问困难群众、与村干部交谈、"
        f"与村民拉家常等方式，全面掌握村情民情，各项帮扶工作有序推进。现将{p}工作总结如下。")
    if fig.people is not None and fig.people.population:
        lines.append(village_sentence(fig.people))

    lines.append("一、入户走访，摸清底数")
    absent = (f"（有{fig.long_absent_households}户长期不在村）" if fig.long_absent_households else "")
    special = []
    if fig.wubao_households:
        special.append(f"五保（特困）户{fig.wubao_households}户")
    if fig.dibao_households:
        special.append(f"低保户{fig.dibao_households}户")
    special_text = f"，其中{'、'.join(special)}" if special else ""
    lines.append(
        f"全村帮扶对象共{fig.target_households}户{fig.target_people}人{special_text}。{p}，工作队组织帮扶责任人入户对接，"
        f"实际对接{fig.reached_households}户{absent}；结合政策宣传、防返贫摸底排查等，"
        f"共入户走访{fig.visits}户次，走访农户{fig.visited_households}户"
        + (f"，其中节日慰问走访{fig.condolence_visits}户次" if fig.condolence_visits else "") + "。")
    lines.append(
        f"落实结对帮扶，{fig.helpers}名帮扶责任人结对帮扶{fig.pairing_covered}户，"
        f"结对覆盖率{fig.pairing_coverage_percent}%。")
    monitoring = monitoring_sentence(fig)
    if monitoring:
        lines.append(monitoring)

    lines.append("二、抓党建促帮扶")
    meet = _meetings_sentence(fig)
    lines.append(
        (f"{p}，先后{meet}，学习研究帮扶政策，制定帮扶措施，明确两委干部在帮扶项目中的分工与责任，"
         f"协调解决项目推进中的困难和问题。") if meet else f"{p}，工作队会议记录{TODO}。")

    lines.append("三、落实帮扶项目")
    if fig.projects:
        status = "，".join(f"{_lab('project_status', c)}{n}个" for c, n in fig.projects_by_status)
        sources = "，".join(f"{_lab('funding_source', s)}{_wan(a)}" for s, a in fig.investment_by_source if a)
        lines.append(
            f"{p}共谋划实施帮扶项目{len(fig.projects)}个，总投资{_wan(fig.investment_total)}（{status}）"
            + (f"；按资金来源分：{sources}。" if sources else "。"))
        for i, pr in enumerate(fig.projects, start=1):
            desc = f"{pr.content_scale}。" if pr.content_scale else ""
            mech = f"联农带农：{pr.benefit_mechanism}。" if pr.benefit_mechanism else ""
            lines.append(f"{i}、{pr.name}。{desc}总投资{_wan(pr.total_investment)}，"
                         f"目前{_lab('project_status', pr.status)}。{mech}")
    else:
        lines.append(f"{p}暂无登记的帮扶项目。")

    lines.append("四、社会帮扶和消费帮扶")
    lines.append(
        f"{p}接收捐赠{fig.donation_count}笔，其中资金{format_yuan(fig.donation_cash)}元、"
        f"物资折价{format_yuan(fig.donation_goods)}元；发放慰问金{format_yuan(fig.condolence_cash)}元、"
        f"慰问物资折价{format_yuan(fig.condolence_goods)}元，惠及{fig.distribution_households}户。"
        f"开展消费帮扶{fig.purchase_count}笔，金额{format_yuan(fig.purchase_amount)}元"
        + (f"，带动农户{fig.purchase_households}户" if fig.purchase_households else "") + "。")

    lines.append("五、民情日记和问题办理")
    lines.append(
        f"工作队坚持记录民情日记，{p}共记录{fig.diary_entries}篇（{fig.diary_days}天）。"
        + problems_sentence(fig))

    lines.append("六、驻村坚守")
    if fig.village_days:
        days = "，".join(f"{name}{n}天" for name, n in fig.village_days)
        lines.append(f"{p}工作队员驻村天数（含报备的因公外出）：{days}；"
                     f"按每月不少于{fig.required_days_per_month}天的要求严格落实驻村制度。")
    else:
        lines.append(f"{p}考勤记录{TODO}。")

    lines.append("七、存在的问题和困难")
    lines.append(f"（一）{TODO}")
    lines.append("八、下一步工作打算")
    lines.append(f"（一）{TODO}")
    return "\n".join(lines)


def figure_rows(fig) -> list[tuple[str, str]]:
    """The appendix: (item, value) of every figure the draft states."""
    rows = [
        ("帮扶对象户数", f"{fig.target_households}户（{fig.target_people}人）"),
        ("其中长期不在村", f"{fig.long_absent_households}户"),
        ("实际入户对接", f"{fig.reached_households}户"),
        ("入户走访", f"{fig.visits}户次（{fig.visited_households}户）"),
        ("结对帮扶覆盖", f"{fig.pairing_covered}户，{fig.pairing_coverage_percent}%（帮扶责任人{fig.helpers}名）"),
    ]
    for code, n in fig.meetings:
        rows.append((_lab("worklog_kind", code), f"{n}次"))
    rows += [
        ("民情日记", f"{fig.diary_entries}篇（{fig.diary_days}天）"),
        ("群众诉求/问题", problems_sentence(fig, short=True)),
        ("帮扶项目", f"{len(fig.projects)}个，总投资{_wan(fig.investment_total)}"),
    ]
    for code, n in fig.projects_by_status:
        rows.append((f"　项目{_lab('project_status', code)}", f"{n}个"))
    for code, amount in fig.investment_by_source:
        rows.append((f"　{_lab('funding_source', code)}", _wan(amount)))
    rows += [
        ("接收捐赠", f"{fig.donation_count}笔：资金{format_yuan(fig.donation_cash)}元，物资{format_yuan(fig.donation_goods)}元"),
        ("慰问", f"慰问金{format_yuan(fig.condolence_cash)}元，慰问物资{format_yuan(fig.condolence_goods)}元，"
                f"{fig.distribution_households}户"),
        ("消费帮扶", f"{fig.purchase_count}笔，{format_yuan(fig.purchase_amount)}元，带动{fig.purchase_households}户"),
    ]
    m = getattr(fig, "monitoring", None)
    if m is None:
        rows.append(("监测对象", f"新识别{fig.monitored_identified}户，风险消除{fig.monitored_eliminated}户，"
                                 f"在监测{fig.monitored_now}户"))
    else:
        rows += [
            (f"监测对象：{m.year}年初在监测", f"{m.monitored_at_start_households}户{m.monitored_at_start_people}人"),
            (f"监测对象：{m.year}年新识别纳入", f"{m.identified_households}户{m.identified_people}人"),
            (f"监测对象：{m.year}年风险消除", f"{m.eliminated_households}户{m.eliminated_people}人"),
        ]
        rows += [(f"　{_lab('elimination_way', w.way)}", f"{w.households}户{w.people}人") for w in m.eliminated_by_way]
        rows.append((f"监测对象：截至{_as_of_text(m)}未消除风险", f"{m.remaining_households}户{m.remaining_people}人"))
    for name, n in fig.village_days:
        rows.append((f"驻村天数：{name}", f"{n}天"))
    return rows


def text_story(text: str, title_from_first_line: bool = True) -> tuple[str, list]:
    """Turn summary text into flowables; returns (title, story)."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines.pop(0).strip() if (lines and title_from_first_line) else ""
    body = style("body", 12, 21, first_indent=24, space_after=2)
    h1 = style("h1", 13, 22, space_before=6, space_after=2)
    h2 = style("h2", 12, 21, first_indent=24, space_after=1)
    story: list = []
    for ln in lines:
        t = ln.strip()
        if not t:
            continue
        if HEADING.match(t):
            story.append(para(t, h1))
        elif SUBHEADING.match(t) and len(t) < 40:
            story.append(para(t, h2))
        else:
            story.append(para(t, body))
    return title, story


def write_summary_pdf(path: str | Path, text: str, fig=None, *, unit: str = "", period: str = "", print_date=None,
                      progress: Progress | None = None, cancel: Any = None) -> Path:
    """Print summary ``text`` (first line = title) and, with ``fig``, the figures appendix; A4 portrait."""
    title, story = text_story(text)
    kw = {"print_date": print_date} if print_date else {}
    if fig is not None:
        unit = unit or fig.head.unit
        period = period or fig.period.label
        kw.setdefault("print_date", fig.head.printed_on)
    info = PageInfo(title or "工作总结", unit=unit, period=period, landscape=False, **kw)
    head = document_title(info)
    if fig is not None:
        story.append(Spacer(1, 10))
        story.append(Paragraph("附表：主要工作数据", style("apx", 13, 20, "CENTER", space_before=8, space_after=6)))
        story.append(simple_table(figure_rows(fig), (Column("项目", 1.2), Column("数据", 2.6)), frame_width(info)))
    return build(path, info, head + story, progress=progress, cancel=cancel)
