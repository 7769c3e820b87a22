"""The village's own figures (村基本情况), derived from the household members, beside the 村情 (village profile)
figures the team entered: defined once here for the printed 村基本情况 ledger, the 上报表's 村基本情况 sheet and the
opening paragraph of the 工作总结.

Derived from the members: 户数, 人口, 村民小组, 劳动力, 在校学生 by level (大中专/中学/小学), 党员 and 预备党员, 残疾人,
低保 and 特困 persons (and their households). Where the profile of the year (or the latest before it) states the same
figure (户数, 人口, 村民小组, 党员) both are kept and a difference is stated, never silently replaced.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from fupin_desktop.domain import people
from fupin_desktop.services.report_lines import ReportFilter
from fupin_desktop.storage.queries import reporting as rq

__all__ = ["VillagePeople", "FigureLine", "village_people"]


@dataclass(frozen=True)
class FigureLine:
    """One line of the 村基本情况: the figure from the members, the profile's own figure (None: not entered) and a
    note saying how they differ (empty when they agree or one is missing)."""

    title: str
    derived: int
    entered: int | None = None
    note: str = ""

    @property
    def differs(self) -> bool:
        return self.entered is not None and self.entered != self.derived


@dataclass(frozen=True)
class VillagePeople:
    households: int
    population: int
    groups: int
    labour: int  # 劳动力 (普通/技能/弱或半劳动力)
    labour_unknown: int  # members whose 劳动技能 is not filled (counted neither way)
    students_higher: int  # 大中专 (中职/高职高专/技师学院/本科/研究生)
    students_secondary: int  # 中学 (初中, 普通高中)
    students_primary: int  # 小学
    party_members: int  # 中共党员 (正式)
    probationary_members: int  # 中共预备党员
    disabled: int  # 残疾人
    dibao_people: int
    dibao_households: int  # households with at least one 低保 member
    tekun_people: int
    tekun_households: int
    profile_year: int | None = None  # the 村情 the entered figures come from (None: no profile)
    entered_households: int | None = None
    entered_population: int | None = None
    entered_groups: int | None = None
    entered_party_members: int | None = None

    @property
    def students(self) -> int:
        return self.students_higher + self.students_secondary + self.students_primary

    @property
    def all_party_members(self) -> int:
        return self.party_members + self.probationary_members

    def lines(self) -> tuple[FigureLine, ...]:
        """The figures in the order the 村基本情况 prints them (counts from the members; the profile beside them)."""
        src = f"{self.profile_year}年村情" if self.profile_year else "村情"

        def compared(title: str, derived: int, entered: int | None, unit: str, why: str) -> FigureLine:
            if entered is None or entered == derived:
                return FigureLine(title, derived, entered)
            return FigureLine(title, derived, entered,
                              f"{src}填报{entered}{unit}，按家庭成员统计{derived}{unit}，相差{abs(entered - derived)}"
                              f"{unit}（{why}）")

        return (
            compared("户数（户）", self.households, self.entered_households, "户",
                     "村情按户籍统计，程序只统计已录入的农户"),
            compared("人口（人）", self.population, self.entered_population, "人",
                     "村情按户籍统计，程序只统计已录入的家庭成员"),
            compared("村民小组（个）", self.groups, self.entered_groups, "个", "有的农户未填村民小组或未录入"),
            FigureLine("劳动力（人）", self.labour, None,
                       f"另有{self.labour_unknown}人未填劳动技能" if self.labour_unknown else ""),
            FigureLine("在校学生（人）", self.students),
            FigureLine("　其中：大中专（人）", self.students_higher),
            FigureLine("　　　　中学（人）", self.students_secondary),
            FigureLine("　　　　小学（人）", self.students_primary),
            compared("党员（人）", self.all_party_members, self.entered_party_members, "人",
                     "村党组织可能有不在本村户籍的党员，或成员的政治面貌未填全"),
            FigureLine("　其中：预备党员（人）", self.probationary_members),
            FigureLine("残疾人（人）", self.disabled),
            FigureLine("低保对象（人）", self.dibao_people, None, f"涉及{self.dibao_households}户"),
            FigureLine("特困供养人员（人）", self.tekun_people, None, f"涉及{self.tekun_households}户"),
        )


def village_people(service, flt: ReportFilter) -> VillagePeople:
    """The 村基本情况 of ``flt``'s village (and 村民小组): members as stored now, the 村情 of the period's year or the
    latest before it. ``service``: any Service (one read transaction). The cadre filter does not narrow it: these are
    the village's figures, not a helper's."""
    scope = replace(flt.scope(), cadre_id=None)
    with service.read() as s:
        groups = rq.household_groups(s, scope)
        members = rq.member_facts(s, scope)
        v = rq.village(s, flt.village_id)
        profile = rq.village_profile(s, v.id, flt.period.end.year) if v is not None else None
        entered = {} if profile is None else dict(
            profile_year=profile.year, entered_households=profile.households,
            entered_population=profile.population,
            entered_groups=None if flt.group_name else profile.groups,
            entered_party_members=profile.party_members)
    if flt.group_name:  # a 村民小组's figures are not comparable with the whole village's profile
        entered = {k: None for k in entered}
    levels: Counter = Counter()
    standing: Counter = Counter()
    labour = unknown = disabled = 0
    dibao: set[str] = set()
    tekun: set[str] = set()
    n_dibao = n_tekun = 0
    for hid, _group, political, schooling, health, disability, skill, is_dibao, is_tekun in members:
        levels[people.student_level(schooling)] += 1
        standing[people.party_standing(political)] += 1
        if skill:
            labour += people.has_labour(skill)
        else:
            unknown += 1
        disabled += people.is_disabled(health, disability)
        if is_dibao:
            n_dibao += 1
            dibao.add(hid)
        if is_tekun:
            n_tekun += 1
            tekun.add(hid)
    return VillagePeople(
        households=len(groups), population=len(members), groups=len({g for g in groups if g}),
        labour=labour, labour_unknown=unknown,
        students_higher=levels["higher"], students_secondary=levels["secondary"], students_primary=levels["primary"],
        party_members=standing["party_member"], probationary_members=standing["probationary"],
        disabled=disabled, dibao_people=n_dibao, dibao_households=len(dibao), tekun_people=n_tekun,
        tekun_households=len(tekun), **entered)
