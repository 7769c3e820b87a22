"""工作总结 draft (half-year or year, or as of a day), in the style of the summaries our users write (seeds/002: a
工作队's; seeds/004: a 派出单位's own): every figure is computed in services/figures.py (``SummaryFigures``), stated
here in prose, one function per section of the 正文; the sections she writes herself in the program (存在的问题,
下一步打算, …: ``services.summary_sections``) follow, then the 落款.

:func:`draft_text` → plain text (first line = title; "一、…" headings; "（一）…" sub-headings; other lines are
paragraphs; the last two lines the 落款), read back by reports/summary_parse.py. The secretary may rewrite it in the
program; :func:`write_summary_pdf` (reports/summary_pdf.py) and :func:`write_summary_docx`
(reports/summary_docx.py, the editable Word file) lay out the same text, with the figures table as an optional
appendix (:func:`figure_rows`).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import format_cn_date
from fupin_desktop.domain.money import format_wan, format_yuan
from fupin_desktop.services.summary_sections import BUREAU, TEAM, SummarySections

TODO = "（请补充）"
CN_NUMBERS = "一二三四五六七八九十"


def _lab(list_name: str, code: str) -> str:
    return codes.get(list_name).label(code)


def _wan(amount: Decimal) -> str:
    return format_wan(amount, 4)


def drafting_unit(fig, drafter: str = TEAM) -> str:
    """Who signs: the 工作队 ("唐山市交通运输局驻东兴村工作队") or the 派出单位 itself."""
    if drafter == BUREAU:
        return fig.head.dispatch_unit or "（派出单位）"
    return fig.head.unit or f"驻{fig.head.village}工作队"


def title_of(fig, drafter: str = TEAM) -> str:
    unit = fig.head.dispatch_unit
    if drafter == BUREAU:
        return f"{unit or '（派出单位）'}{fig.period.label}帮扶工作总结"
    village = fig.head.village
    place = f"{fig.head.township}{village}" if fig.head.township else village
    who = f"{unit}驻{place}工作队" if unit else f"{place}驻村工作队"
    return f"{who}{fig.period.label}工作总结"


# the unit's own name for itself, by the last characters of its name (我局, 我委, …)
_SELF_NAMES = (("委员会", "我委"), ("委", "我委"), ("局", "我局"), ("厅", "我厅"), ("办公室", "我办"), ("办", "我办"),
               ("公司", "我公司"), ("银行", "我行"), ("院", "我院"), ("中心", "我中心"), ("学校", "我校"),
               ("校", "我校"), ("部", "我部"), ("所", "我所"), ("站", "我站"))


@dataclass(frozen=True)
class Voice:
    """Who speaks in the text: the 工作队 of itself, or the 派出单位 of itself and of the team it sent."""

    drafter: str
    we: str    # subject of the sentences: 工作队 / 我局
    team: str  # the team as this voice calls it: 工作队 / 驻村工作队

    @classmethod
    def of(cls, fig, drafter: str = TEAM) -> "Voice":
        if drafter != BUREAU:
            return cls(TEAM, "工作队", "工作队")
        unit = fig.head.dispatch_unit or ""
        we = next((name for end, name in _SELF_NAMES if unit.endswith(end)), "我单位")
        return cls(BUREAU, we, "驻村工作队")


def when(fig) -> str:
    """The period as the sentences name it: 2024年上半年, or 2024年以来 when drafted as of a day."""
    return f"{fig.period.label}以来" if fig.as_of else fig.period.label


def as_of_phrase(fig) -> str:
    """（截至2024年11月30日） when drafted as of a day, else nothing."""
    return f"（截至{format_cn_date(fig.as_of)}）" if fig.as_of else ""


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


# --- the sections of the 正文: one function each, returning its paragraphs (a figure sentence belongs in one) ---


def _village(fig) -> list[str]:
    """The village's own figures (s17b), when the members were entered."""
    people = getattr(fig, "people", None)
    return [village_sentence(people)] if people is not None and people.population else []


def opening_paragraphs(fig, v: Voice) -> list[str]:
    """The 工作队's opening states the village's own figures; the 派出单位's states them under 一、."""
    p = when(fig)
    if v.drafter == BUREAU:
        village = fig.head.village
        return [f"{p}{as_of_phrase(fig)}，{v.we}按照上级统一安排部署，把定点帮扶{village}作为重要政治任务，选派干部组成"
                f"驻村工作队吃住在村、履职尽责，积极支持村“两委”和驻村工作队做好巩固拓展脱贫攻坚成果、"
                f"推进乡村振兴各项工作。现将{fig.period.label}帮扶工作总结如下。"]
    return [f"{p}{as_of_phrase(fig)}，工作队按照上级统一安排部署，坚持驻村开展帮扶工作，通过入户走访、慰问困难群众、"
            f"与村干部交谈、与村民拉家常等方式，全面掌握村情民情，各项帮扶工作有序推进。"
            f"现将{fig.period.label}工作总结如下。", *_village(fig)]


def households_paragraphs(fig, v: Voice) -> list[str]:
    """帮扶对象 and 防返贫监测 (the village's situation)."""
    special = []
    if fig.wubao_households:
        special.append(f"五保（特困）户{fig.wubao_households}户")
    if fig.dibao_households:
        special.append(f"低保户{fig.dibao_households}户")
    special_text = f"，其中{'、'.join(special)}" if special else ""
    out = _village(fig) if v.drafter == BUREAU else []
    out += [f"全村帮扶对象共{fig.target_households}户{fig.target_people}人{special_text}。"]
    monitoring = monitoring_sentence(fig)
    if monitoring:
        out.append(monitoring)
    return out


def visits_paragraphs(fig, v: Voice) -> list[str]:
    p = when(fig)
    absent = (f"（有{fig.long_absent_households}户长期不在村）" if fig.long_absent_households else "")
    return [
        f"{p}，{v.team}组织帮扶责任人入户对接，实际对接{fig.reached_households}户{absent}；结合政策宣传、"
        f"防返贫摸底排查等，共入户走访{fig.visits}户次，走访农户{fig.visited_households}户"
        + (f"，其中节日慰问走访{fig.condolence_visits}户次" if fig.condolence_visits else "") + "。",
        pairing_sentence(fig),
    ]


def party_paragraphs(fig, v: Voice) -> list[str]:
    p = when(fig)
    meet = _meetings_sentence(fig)
    if not meet:
        return [f"{p}，工作队会议记录{TODO}。"]
    return [f"{p}，{v.team}先后{meet}，学习研究帮扶政策，制定帮扶措施，明确两委干部在帮扶项目中的分工与责任，"
            f"协调解决项目推进中的困难和问题。"]


def projects_paragraphs(fig, v: Voice) -> list[str]:
    p = when(fig)
    if not fig.projects:
        return [f"{p}暂无登记的帮扶项目。"]
    status = "，".join(f"{_lab('project_status', c)}{n}个" for c, n in fig.projects_by_status)
    sources = "，".join(f"{_lab('funding_source', s)}{_wan(a)}" for s, a in fig.investment_by_source if a)
    out = [f"{p}共谋划实施帮扶项目{len(fig.projects)}个，总投资{_wan(fig.investment_total)}（{status}）"
           + (f"；按资金来源分：{sources}。" if sources else "。")]
    for i, pr in enumerate(fig.projects, start=1):
        desc = f"{pr.content_scale}。" if pr.content_scale else ""
        mech = f"联农带农：{pr.benefit_mechanism}。" if pr.benefit_mechanism else ""
        out.append(f"{i}、{pr.name}。{desc}总投资{_wan(pr.total_investment)}，"
                   f"目前{_lab('project_status', pr.status)}。{mech}")
    return out


def pairing_sentence(fig) -> str:
    """结对帮扶: every paired household (一般农户 联系户 too), the 帮扶对象 among them and their coverage."""
    paired = getattr(fig, "paired_households", 0) or fig.pairing_covered
    among = f"（其中帮扶对象{fig.pairing_covered}户）" if paired != fig.pairing_covered else ""
    return (f"落实结对帮扶，{fig.helpers}名帮扶责任人结对帮扶{paired}户{among}，"
            f"帮扶对象结对覆盖率{fig.pairing_coverage_percent}%。")


def giving_sentence(fig) -> str:
    """Donations received, 慰问 and 救济/助学 funds, each apart (``services.donations.GivingFigures``)."""
    g = fig.giving
    y = format_yuan
    parts = [f"接收社会捐赠{g.donation_count}笔，其中资金{y(g.donation_cash)}元、物资折价{y(g.donation_goods)}元"]
    if g.condolence_count:
        parts.append(f"开展慰问{g.condolence_count}次，发放慰问金{y(g.condolence_cash)}元、"
                     f"慰问物品折价{y(g.condolence_goods)}元，慰问{g.condolence_households}户")
    if g.aid_count:
        parts.append(f"接收救济、助学资金（物资）{g.aid_count}笔{y(g.aid_amount)}元")
    return "；".join(parts) + "。"


def purchases_sentence(fig) -> str:
    """消费帮扶: purchases and standing orders (订单) apart, 带动农户 counted once each."""
    b = fig.purchases
    y = format_yuan
    text = f"开展消费帮扶采购{b.purchase_count}笔，金额{y(b.purchase_amount)}元"
    if b.order_count:
        text += f"；签订消费帮扶订单{b.order_count}笔，金额{y(b.order_amount)}元"
    if b.households:
        text += f"，带动农户{b.households}户"
    if b.unlisted_count:
        text += f"（另有{b.unlisted_count}笔未登记农户名单，填报带动{b.unlisted_household_times}户次）"
    return text + "。"


def social_paragraphs(fig, v: Voice) -> list[str]:
    p = when(fig)
    if getattr(fig, "giving", None) is not None and getattr(fig, "purchases", None) is not None:
        return [f"{p}{giving_sentence(fig)}{purchases_sentence(fig)}"]
    return [
        f"{p}接收捐赠{fig.donation_count}笔，其中资金{format_yuan(fig.donation_cash)}元、"
        f"物资折价{format_yuan(fig.donation_goods)}元；发放慰问金{format_yuan(fig.condolence_cash)}元、"
        f"慰问物资折价{format_yuan(fig.condolence_goods)}元，惠及{fig.distribution_households}户。"
        f"开展消费帮扶{fig.purchase_count}笔，金额{format_yuan(fig.purchase_amount)}元"
        + (f"，带动农户{fig.purchase_households}户" if fig.purchase_households else "") + "。"]


def diary_paragraphs(fig, v: Voice) -> list[str]:
    p = when(fig)
    return [
        f"{v.team}坚持记录民情日记，{p}共记录{fig.diary_entries}篇（{fig.diary_days}天）。"
        + problems_sentence(fig)]


def targets_sentence(progress) -> str:
    """Each cadre's figures of the year against his or her targets (``services.targets.TeamProgress``; s17b), the
    team's (targets summed) last; empty when no target is set."""
    if progress is None or not progress.has_targets:
        return ""

    verbs = {"village_days": "驻村", "households_visited": "走访", "diary_days": "写民情日记",
             "problems_solved": "破解难题", "suggestions": "提出意见建议"}

    def figures(row) -> str:
        return "、".join(f"{verbs.get(m.metric, m.title)}{m.done}" + (f"/{m.target}" if m.target is not None else "")
                        + m.unit for m in row.metrics)

    people = "；".join(f"{r.name}{figures(r)}" for r in progress.cadres if r.has_targets)
    return (f"对照{progress.year}年个人目标（截至{format_cn_date(progress.as_of)}，完成数/目标数）：{people}；"
            f"工作队合计{figures(progress.team)}。")


def presence_paragraphs(fig, v: Voice) -> list[str]:
    p = when(fig)
    goals = targets_sentence(getattr(fig, "targets", None))
    if not fig.village_days:
        return [f"{p}考勤记录{TODO}。"] + ([goals] if goals else [])
    days = "，".join(f"{name}{n}天" for name, n in fig.village_days)
    who = f"{v.we}选派的驻村工作队" if v.drafter == BUREAU else v.team
    return [f"{p}，{who}队员驻村天数（含报备的因公外出）：{days}；"
            f"按每月不少于{fig.required_days_per_month}天的要求严格落实驻村制度。"] + ([goals] if goals else [])


def _her_text(text: str) -> list[str]:
    return [ln.strip() for ln in (text or "").replace("\r\n", "\n").split("\n") if ln.strip()]


def written_sections(sections: SummarySections | None) -> list[tuple[str, list[str]]]:
    """Her sections as (heading, paragraphs): 典型经验和特色做法 and 意见建议 only when written; 存在的问题 and
    下一步打算 always (with （请补充） until she writes them)."""
    sec = sections or SummarySections()
    out = []
    if sec.experience.strip():
        out.append(("典型经验和特色做法", _her_text(sec.experience)))
    out.append(("存在的问题和困难", _her_text(sec.problems) or [f"（一）{TODO}"]))
    out.append(("下一步工作打算", _her_text(sec.plans) or [f"（一）{TODO}"]))
    if sec.suggestions.strip():
        out.append(("意见建议", _her_text(sec.suggestions)))
    return out


def _sub(n: int, title: str) -> str:
    return f"（{CN_NUMBERS[n - 1]}）{title}"


def body_sections(fig, v: Voice) -> list[tuple[str, list[str]]]:
    """The figure sections of the 正文 as (heading, paragraphs), in the drafting unit's order."""
    if v.drafter == BUREAU:  # like seeds/004: 包村情况, 驻村情况, 帮扶工作开展情况 (sub-headed)
        work = [("入户走访和结对帮扶", visits_paragraphs(fig, v)), ("抓党建促帮扶", party_paragraphs(fig, v)),
                ("落实帮扶项目", projects_paragraphs(fig, v)), ("社会帮扶和消费帮扶", social_paragraphs(fig, v)),
                ("民情日记和问题办理", diary_paragraphs(fig, v))]
        done: list[str] = []
        for n, (title, paras) in enumerate(work, start=1):
            done += [_sub(n, title), *paras]
        return [(f"{v.we}帮扶{fig.head.village}情况", households_paragraphs(fig, v)),
                ("驻村情况", presence_paragraphs(fig, v)),
                ("帮扶工作开展情况", done)]
    situation, visits = households_paragraphs(fig, v), visits_paragraphs(fig, v)
    return [("入户走访，摸清底数", [situation[0] + visits[0], *visits[1:], *situation[1:]]),
            ("抓党建促帮扶", party_paragraphs(fig, v)),
            ("落实帮扶项目", projects_paragraphs(fig, v)),
            ("社会帮扶和消费帮扶", social_paragraphs(fig, v)),
            ("民情日记和问题办理", diary_paragraphs(fig, v)),
            ("驻村坚守", presence_paragraphs(fig, v))]


def sign_lines(fig, drafter: str = TEAM) -> list[str]:
    """落款: the drafting unit and the date (right-aligned under the text by both writers)."""
    return [drafting_unit(fig, drafter), format_cn_date(fig.head.printed_on)]


def draft_text(fig, sections: SummarySections | None = None, drafter: str = TEAM) -> str:
    """The draft summary as plain text (reports/summary_parse.py reads it back): title, opening, the figure sections,
    her own sections, 落款. Each figure in it comes from ``fig``; ``sections`` are what she wrote in the program;
    ``drafter``: TEAM (the 工作队's summary) or BUREAU (the 派出单位's own)."""
    v = Voice.of(fig, drafter)
    lines: list[str] = [title_of(fig, drafter), *opening_paragraphs(fig, v)]
    for n, (heading, paras) in enumerate(body_sections(fig, v) + written_sections(sections), start=1):
        lines.append(f"{CN_NUMBERS[n - 1]}、{heading}")
        lines += paras
    return "\n".join(lines + sign_lines(fig, drafter))


def figure_rows(fig) -> list[tuple[str, str]]:
    """The appendix: (item, value) of every figure the draft states."""
    rows = [
        ("帮扶对象户数", f"{fig.target_households}户（{fig.target_people}人）"),
        ("其中长期不在村", f"{fig.long_absent_households}户"),
        ("实际入户对接", f"{fig.reached_households}户"),
        ("入户走访", f"{fig.visits}户次（{fig.visited_households}户）"),
        ("结对帮扶", f"{getattr(fig, 'paired_households', 0) or fig.pairing_covered}户（帮扶责任人{fig.helpers}名）"),
        ("帮扶对象结对覆盖", f"{fig.pairing_covered}户，{fig.pairing_coverage_percent}%"),
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
    g, b = getattr(fig, "giving", None), getattr(fig, "purchases", None)
    if g is not None and b is not None:
        y = format_yuan
        rows += [
            ("接收社会捐赠", f"{g.donation_count}笔：资金{y(g.donation_cash)}元，物资{y(g.donation_goods)}元"),
            ("慰问", f"{g.condolence_count}次：慰问金{y(g.condolence_cash)}元，慰问物品{y(g.condolence_goods)}元，"
                    f"{g.condolence_households}户"),
            ("救济、助学资金", f"{g.aid_count}笔，{y(g.aid_amount)}元"),
            ("消费帮扶采购", f"{b.purchase_count}笔，{y(b.purchase_amount)}元"),
            ("消费帮扶订单", f"{b.order_count}笔，{y(b.order_amount)}元"),
            ("带动农户（不重复）", f"{b.households}户"),
        ]
    else:
        rows += [
            ("接收捐赠", f"{fig.donation_count}笔：资金{format_yuan(fig.donation_cash)}元，"
                         f"物资{format_yuan(fig.donation_goods)}元"),
            ("慰问", f"慰问金{format_yuan(fig.condolence_cash)}元，慰问物资{format_yuan(fig.condolence_goods)}元，"
                    f"{fig.distribution_households}户"),
            ("消费帮扶", f"{fig.purchase_count}笔，{format_yuan(fig.purchase_amount)}元，"
                         f"带动{fig.purchase_households}户"),
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


from fupin_desktop.reports.summary_pdf import text_story, write_summary_pdf  # noqa: E402,F401  (callers' old import)
