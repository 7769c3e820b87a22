"""Consistency rules of the national check tools (domain.md §1.6) as pure functions.

Callers build plain ``HouseholdFacts`` from whatever they store and get back ``Finding`` records; nothing here
touches a database. Code-list fields take codes ("head", "male" …); labels ("户主", "男") are tolerated so that
rows straight from an import can be checked before they are saved. Multi-valued 健康状况 is a comma-separated
string of codes ("disabled,chronic").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import add_months, format_cn_date
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.idcard import IdCardNumber
from fupin_desktop.domain.money import format_yuan
from fupin_desktop.domain.privacy import age_on, mask_id
from fupin_desktop.domain.text import normalize_text

__all__ = [
    "Finding",
    "MemberFacts",
    "HouseholdFacts",
    "RULE_TITLES",
    "check_household",
    "check_duplicate_ids",
    "has_labour",
    "needs_development_measure",
]

# Stable rule slugs (stored with acknowledged findings, used as filters) → title for lists and reports.
RULE_TITLES: dict[str, str] = {
    "id_invalid": "身份证号有误",
    "id_sex_mismatch": "性别与身份证号不符",
    "id_birth_mismatch": "出生日期与身份证号不符",
    "head_count": "户主人数不对",
    "spouse_count": "配偶多于一人",
    "spouse_same_sex": "配偶与户主性别相同",
    "education_schooling": "文化程度与在校生状况应只填一项",
    "work_place_months": "务工所在地与务工时间不一致",
    "medical_insurance": "基本医疗保险参保不对",
    "labour_skill_healthy": "健康青壮年劳动技能为无或弱",
    "unstable_work_no_labour": "因务工就业不稳但家中无劳动力",
    "unstable_work_no_migrant": "因务工就业不稳但无务工信息",
    "development_measure": "6个月内未落实开发式帮扶",
    "income_below_line": "帮扶消除后人均纯收入低于监测范围",
    "duplicate_id": "身份证号重复",
}

WORKING_AGE = (16, 59)  # inclusive; the check tools use 16 <= age < 60
DEVELOPMENT_DEADLINE_MONTHS = 6
_WEAK_OR_NO_LABOUR = frozenset({"none", "weak"})


@dataclass(frozen=True)
class Finding:
    """One problem found in the data; ``message`` is Chinese and names the household and member."""

    rule: str
    message: str
    household_id: str | None = None
    member_id: str | None = None
    severity: str = "warning"  # "error" for data that upper levels reject outright


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know about one family member (None = not filled)."""

    id: str
    name: str
    id_number: str | None = None
    relation: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    education: str | None = None
    schooling: str | None = None
    health: str | None = None
    labour_skill: str | None = None
    work_place: str | None = None
    work_months: int | None = None
    resident_medical: bool | None = None
    employee_medical: bool | None = None


@dataclass(frozen=True)
class HouseholdFacts:
    """What the rules need to know about one household."""

    id: str
    number: str
    head_name: str
    members: tuple[MemberFacts, ...]
    risk_types: tuple[str, ...] = ()
    monitoring_category: str | None = None
    risk_eliminated: bool = False
    elimination_way: str | None = None
    identified_on: date | None = None
    per_capita_income: Decimal | None = None
    monitoring_line: Decimal | None = None
    development_measure_dates: tuple[date, ...] = ()


# --- helpers ---------------------------------------------------------------------------------------------------


def _code(list_name: str, value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    return codes.get(list_name).code_for_label(value) or str(value).strip()


def _filled(value: object) -> bool:
    return value is not None and bool(str(value).strip())


def _health_codes(value: str | None) -> set[str]:
    if not value:
        return set()
    return {_code("health", part) or "" for part in re.split(r"[,，、;；]", value) if part.strip()}


def _parse_id(m: MemberFacts) -> tuple[IdCardNumber | None, str | None]:
    """(ID, None) when valid, (None, reason) when invalid, (None, None) when not filled.

    Disability-card numbers (the ID followed by category and level digits) are checked on their ID part.
    """
    text = normalize_text(m.id_number).replace(" ", "") if m.id_number else ""
    if not text:
        return None, None
    if len(text) in (20, 22):
        text = text[:18]
    try:
        return IdCardNumber.parse(text), None
    except ValidationError as exc:
        return None, exc.message


def _id_of(m: MemberFacts) -> IdCardNumber | None:
    return _parse_id(m)[0]


def _sex_of(m: MemberFacts) -> str | None:
    id_card = _id_of(m)
    return id_card.sex if id_card else _code("sex", m.sex)


def _age_on(m: MemberFacts, today: date) -> int | None:
    id_card = _id_of(m)
    if id_card:
        return id_card.age_on(today)
    return age_on(m.birth_date, today)


def _household_name(h: HouseholdFacts) -> str:
    return f"{h.head_name}户（户编号{h.number}）" if h.number else f"{h.head_name}户"


def _member_name(h: HouseholdFacts, m: MemberFacts) -> str:
    return f"{_household_name(h)}的{m.name}"


def _migrant_work(m: MemberFacts) -> bool:
    return _filled(m.work_place) or (m.work_months or 0) > 0


# --- rules -----------------------------------------------------------------------------------------------------


def has_labour(h: HouseholdFacts) -> bool:
    """True when some member is a 普通/技能/弱或半 labourer (the national tools' definition)."""
    return any(_code("labour_skill", m.labour_skill) in codes.LABOUR_SKILLS_WITH_LABOUR for m in h.members)


def _is_monitored(h: HouseholdFacts) -> bool:
    return bool(h.monitoring_category) or bool(h.risk_types)


def needs_development_measure(h: HouseholdFacts, today: date) -> Finding | None:
    """A monitored household with labour and an open risk needs 开发式帮扶 within 6 months of identification.

    Judged only once the answer is known: when ``today`` is past the deadline, or a measure dated after the
    deadline shows it came late. A measure counts from the first day of the identification month, because
    identification is recorded as a month (YYYYMM) and help often starts during verification.
    """
    if not _is_monitored(h) or h.risk_eliminated or h.identified_on is None or not has_labour(h):
        return None
    start = h.identified_on.replace(day=1)
    deadline = add_months(h.identified_on, DEVELOPMENT_DEADLINE_MONTHS)
    late = [d for d in h.development_measure_dates if d > deadline]
    if today <= deadline and not late:
        return None
    if any(start <= d <= deadline for d in h.development_measure_dates):
        return None
    identified = format_cn_date(h.identified_on)
    if late:
        detail = f"首个开发式帮扶措施在{format_cn_date(min(late))}，晚于{format_cn_date(deadline)}"
    else:
        detail = f"至今没有开发式帮扶措施（应在{format_cn_date(deadline)}前落实）"
    return Finding(
        "development_measure",
        f"{_household_name(h)}{identified}纳入监测，有劳动力且风险未消除，{detail}",
        household_id=h.id,
    )


def _check_member(h: HouseholdFacts, m: MemberFacts, today: date) -> list[Finding]:
    found: list[Finding] = []
    who = _member_name(h, m)

    def add(rule: str, message: str, severity: str = "warning") -> None:
        found.append(Finding(rule, f"{who}：{message}", h.id, m.id, severity))

    id_card, id_problem = _parse_id(m)
    if id_problem:
        add("id_invalid", id_problem, "error")
    if id_card:
        sex = _code("sex", m.sex)
        if sex and sex != id_card.sex:
            add(
                "id_sex_mismatch",
                f"登记性别为{codes.label('sex', sex)}，身份证号显示为{codes.label('sex', id_card.sex)}",
            )
        if m.birth_date and m.birth_date != id_card.birth_date:
            add(
                "id_birth_mismatch",
                f"登记出生日期为{format_cn_date(m.birth_date)}，身份证号显示为{format_cn_date(id_card.birth_date)}",
            )

    has_education, has_schooling = _filled(m.education), _filled(m.schooling)
    if has_education == has_schooling:
        add(
            "education_schooling",
            "文化程度和在校生状况都填了，应只填一项" if has_education else "文化程度和在校生状况都没填，应填一项",
        )

    months = m.work_months or 0
    if _filled(m.work_place) and months <= 0:
        add("work_place_months", "填了务工所在地，但务工时间不大于0个月")
    elif months > 0 and not _filled(m.work_place):
        add("work_place_months", f"务工时间{months}个月，但没填务工所在地")

    if bool(m.resident_medical) == bool(m.employee_medical):
        add(
            "medical_insurance",
            "同时参加了城乡居民和职工基本医疗保险" if m.resident_medical else "未参加城乡居民或职工基本医疗保险",
        )

    age = _age_on(m, today)
    if (
        age is not None
        and WORKING_AGE[0] <= age <= WORKING_AGE[1]
        and _health_codes(m.health) == {"healthy"}
        and not has_schooling
        and _code("labour_skill", m.labour_skill) in _WEAK_OR_NO_LABOUR
    ):
        add(
            "labour_skill_healthy",
            f"{age}岁、健康、不在校，劳动技能却是{codes.label('labour_skill', _code('labour_skill', m.labour_skill))}",
        )
    return found


def check_household(h: HouseholdFacts, today: date) -> list[Finding]:
    """Every §1.6 rule that concerns one household (duplicate IDs across households: :func:`check_duplicate_ids`)."""
    found: list[Finding] = []
    name = _household_name(h)

    heads = [m for m in h.members if _code("relation", m.relation) == "head"]
    spouses = [m for m in h.members if _code("relation", m.relation) == "spouse"]
    if len(heads) != 1:
        found.append(Finding("head_count", f"{name}：应有1名户主，现在有{len(heads)}名", h.id, severity="error"))
    if len(spouses) > 1:
        names = "、".join(m.name for m in spouses)
        found.append(Finding("spouse_count", f"{name}：配偶最多1人，现在有{len(spouses)}人（{names}）", h.id))
    if len(heads) == 1:
        head, head_sex = heads[0], _sex_of(heads[0])
        for spouse in spouses:
            if head_sex and _sex_of(spouse) == head_sex:
                sex = codes.label("sex", head_sex)
                message = f"{_member_name(h, spouse)}：配偶与户主{head.name}性别相同（均为{sex}）"
                found.append(Finding("spouse_same_sex", message, h.id, spouse.id))

    for member in h.members:
        found.extend(_check_member(h, member, today))

    if "unstable_work" in {_code("risk_type", risk) for risk in h.risk_types}:
        if not has_labour(h):
            message = f"{name}：风险类型为因务工就业不稳，但家中没有劳动力"
            found.append(Finding("unstable_work_no_labour", message, h.id))
        if not any(_migrant_work(m) for m in h.members):
            found.append(
                Finding("unstable_work_no_migrant", f"{name}：风险类型为因务工就业不稳，但没有成员填写务工信息", h.id)
            )

    measure = needs_development_measure(h, today)
    if measure:
        found.append(measure)

    assisted = _code("elimination_way", h.elimination_way) == "assisted"
    if h.risk_eliminated and assisted and h.monitoring_line is not None:
        if h.per_capita_income is None:
            found.append(Finding("income_below_line", f"{name}：已帮扶消除风险，但没有人均纯收入，无法核对", h.id))
        elif h.per_capita_income < h.monitoring_line:
            income, line = format_yuan(h.per_capita_income), format_yuan(h.monitoring_line)
            message = f"{name}：已帮扶消除风险，但人均纯收入{income}元低于监测范围{line}元"
            found.append(Finding("income_below_line", message, h.id))
    return found


def check_duplicate_ids(households: Iterable[HouseholdFacts]) -> list[Finding]:
    """One finding per member whose ID number also appears on another member (in any household)."""
    holders: dict[str, list[tuple[HouseholdFacts, MemberFacts]]] = defaultdict(list)
    for h in households:
        for m in h.members:
            if not _filled(m.id_number):
                continue
            id_card = _id_of(m)
            key = id_card.value if id_card else normalize_text(m.id_number).replace(" ", "").upper()
            holders[key].append((h, m))
    found: list[Finding] = []
    for key, group in holders.items():
        if len(group) < 2:
            continue
        for h, m in group:
            others = "、".join(_member_name(oh, om) for oh, om in group if om is not m)
            found.append(
                Finding(
                    "duplicate_id",
                    f"{_member_name(h, m)}：身份证号{mask_id(key)}与{others}重复",
                    h.id,
                    m.id,
                    "error",
                )
            )
    return found
