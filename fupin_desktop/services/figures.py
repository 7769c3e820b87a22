"""The figures of the 工作总结 (and of the other documents that state the same figures): each figure defined once
here and computed for a period (and filter)."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from fupin_desktop.domain.dates import format_cn_date, year_range
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.donations import GivingFigures, giving_figures
from fupin_desktop.services.problems import ProblemFigures, problem_figures
from fupin_desktop.services.purchases import PurchaseFigures, purchase_figures
from fupin_desktop.services.monitoring_figures import YearFigures, cycles, period_figures
from fupin_desktop.services.report_lines import ZERO, FundingPart, Period, ReportHead, ReportFilter
from fupin_desktop.services.targets import TargetService, TeamProgress
from fupin_desktop.services.village_figures import VillagePeople, village_people
from fupin_desktop.storage.queries import reporting as rq
from fupin_desktop.storage.queries.reporting import Scope

POOR_TYPES_EXCLUDED = ("ordinary",)


@dataclass(frozen=True)
class ProjectFigure:
    name: str
    category: str | None
    status: str
    total_investment: Decimal
    content_scale: str | None
    funding: tuple[FundingPart, ...]
    benefit_mechanism: str | None


@dataclass(frozen=True)
class SummaryFigures:
    """Every figure the 工作总结 states, computed for the period (and filter)."""

    head: ReportHead
    period: Period
    # households and visits
    target_households: int  # 帮扶对象户 (脱贫户/贫困户/低保/特困/五保 and monitored households)
    target_people: int
    long_absent_households: int
    reached_households: int  # target households met in person (a visit with the household present)
    visited_households: int  # any household visited
    visits: int  # 户次
    condolence_visits: int
    pairing_covered: int  # target households with a helper during the period
    helpers: int
    # meetings
    meetings: tuple[tuple[str, int], ...]  # (worklog kind code, count), code-list order, only non-zero
    # diary, problems
    diary_entries: int
    diary_days: int
    problems_raised: int
    problems_solved: int
    problems_open: int
    # projects
    projects: tuple[ProjectFigure, ...]
    projects_by_status: tuple[tuple[str, int], ...]
    investment_total: Decimal
    investment_by_source: tuple[tuple[str, Decimal], ...]
    # donations and consumption support
    donation_count: int
    donation_cash: Decimal
    donation_goods: Decimal
    condolence_cash: Decimal
    condolence_goods: Decimal
    distribution_households: int
    purchase_count: int
    purchase_amount: Decimal
    purchase_by_channel: tuple[tuple[str, Decimal], ...]
    purchase_households: int
    # monitoring
    monitored_identified: int
    monitored_eliminated: int
    monitored_now: int
    # attendance
    village_days: tuple[tuple[str, int], ...]  # (cadre name, days in the village incl. official trips)
    required_days_per_month: int = 20
    dibao_households: int = 0
    wubao_households: int = 0
    # the year's monitoring figures (village-wide) up to the end of the period: identified, eliminated by way,
    # remaining households and people (``services.monitoring.YearFigures``)
    monitoring: YearFigures | None = None
    # the village's own figures from the members, beside the 村情's (``services.village_figures``; the opening)
    people: VillagePeople | None = None
    # each team cadre's figures of the year up to the period's end against his or her targets (services.targets)
    targets: TeamProgress | None = None
    # 问题 by state at the end of the period (services.problems.ProblemFigures): they add up
    problems: ProblemFigures | None = None
    # donations received / 慰问 / 救济助学 apart (services.donations.GivingFigures); donation_* and condolence_*
    # above are its figures, distribution_households its 慰问 households
    giving: GivingFigures | None = None
    # 消费帮扶: purchases and 订单 apart, 带动农户 distinct (services.purchases.PurchaseFigures); purchase_amount
    # above is both together, purchase_households its distinct households
    purchases: PurchaseFigures | None = None
    paired_households: int = 0  # every household of the 结对台账 (联系户 among 一般农户 too); pairing_covered: targets
    # drafted as of a day (figure 6): every figure counts records up to this day (inclusive) and the text says
    # 截至X年X月X日; None: the whole period
    as_of: date | None = None

    @property
    def pairing_coverage_percent(self) -> int:
        return round(100 * self.pairing_covered / self.target_households) if self.target_households else 0

    def meeting_count(self, kind: str) -> int:
        return dict(self.meetings).get(kind, 0)



def monitored_now(rows) -> int:
    """监测对象 (在监测) among the 监测户花名册's rows (which show the state at the end of their period):
    households identified as 监测对象 whose risk is not eliminated. Equals the ``remaining_households`` of
    :func:`monitoring_figures` (services.monitoring_figures defines the cycles); the 上报表 counts with it."""
    return sum(1 for r in rows if r.monitoring_category and not r.risk_eliminated)


def scoped_household_ids(s, flt: ReportFilter) -> list[str] | None:
    """The households a filtered document covers (村民小组, cadre, village); None: every household."""
    scope = flt.scope()
    if not (scope.group_name or scope.cadre_id or scope.village_id):
        return None
    return rq.household_ids(s, Scope(date.min, date.max, scope.group_name, scope.cadre_id, scope.village_id))


def monitoring_figures(s, flt: ReportFilter, today: date) -> tuple[YearFigures | None, YearFigures]:
    """(the year's figures up to the end of the period or today, the period's own figures), for the filter's
    households. The year's figures are None for a period that has not started."""
    period = flt.period
    as_of = min(period.end, today)
    all_cycles = cycles(s, scoped_household_ids(s, flt))
    year = period.end.year
    year_figures = (period_figures(all_cycles, year_range(year)[0], as_of, year) if as_of >= period.start
                    else None)
    own = period_figures(all_cycles, period.start, max(as_of, period.start - timedelta(days=1)), year)
    return year_figures, own


def is_target(h) -> bool:
    """帮扶对象: every household type except 一般农户, plus monitored households."""
    return h.household_type not in POOR_TYPES_EXCLUDED or h.monitoring_category is not None


def as_of_filter(flt: ReportFilter, as_of: date | None) -> ReportFilter:
    """``flt`` cut at ``as_of`` (the summary drafted as of a day: records after it are not counted); the period keeps
    its label. ValidationError (Chinese) for a day outside the period."""
    if as_of is None:
        return flt
    p = flt.period
    if not p.start <= as_of <= p.end:
        raise ValidationError("as_of", f"截至日期应在{p.label}之内（{format_cn_date(p.start)}至"
                                       f"{format_cn_date(p.end)}），现为{format_cn_date(as_of)}")
    return replace(flt, period=replace(p, end=as_of))


def summary_figures(service, flt: ReportFilter, as_of: date | None = None) -> SummaryFigures:
    """Every figure of the 工作总结 for ``flt``; ``service`` is the ReportingService whose ledger rows they share.
    ``as_of``: drafted as of that day (figures up to it; ValidationError when it lies outside the period)."""
    flt = as_of_filter(flt, as_of)
    drafted_as_of = as_of
    from fupin_desktop.domain import codes
    from fupin_desktop.services.settings import SettingsService

    required = SettingsService(service.ctx).get("attendance.min_days_per_month")
    people = village_people(service, flt)
    team_targets = TargetService(service.ctx).progress(flt.period.end.year, min(flt.period.end, service.today()))
    with service.read() as s:
        year_monitoring, period_monitoring = monitoring_figures(s, flt, service.today())
        head = service._head(s, flt)
        scope = flt.scope()
        everyone = rq.households(s, replace(scope, cadre_id=None))
        targets = [h for h in everyone if is_target(h)]
        target_ids = {h.id for h in targets}
        present = rq.visited_household_ids(s, scope, present_only=True)
        visited = rq.visited_household_ids(s, scope)
        visits = service._visits(s, scope)
        paired = {p.household_id for p in service._pairings(s, scope)}  # the 结对台账's households
        helpers = {p.cadre_id for p, _, _ in rq.pairings(s, replace(scope, cadre_id=None))}
        wl = rq.worklog_counts(s, scope)
        meetings = tuple((c, wl[c]) for c in codes.get("worklog_kind").codes() if wl.get(c)) + tuple(
            (c, n) for c, n in sorted(wl.items()) if c not in codes.get("worklog_kind") and n)
        entries, days = rq.diary_day_counts(s, scope)
        problems = problem_figures(service._problems(s, scope), flt.period.start)
        plines, _ = service._projects(s, scope)
        by_status = Counter(p.status for p in plines)
        by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for p in plines:
            for f in p.funding:
                by_source[f.source] += f.planned
        source_order = codes.get("funding_source").codes()
        donations = service._donations(s, scope)
        giving = giving_figures(donations, rq.distribution_household_count(s, scope, condolence_only=True))
        purchases = service._purchases(s, scope)
        bought = purchase_figures(purchases)
        by_channel: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for p in purchases:
            by_channel[p.channel] += p.amount
        attendance = service._attendance(s, scope)
        vdays: dict[str, int] = defaultdict(int)
        for a in attendance:
            vdays[a.cadre_name] += a.village_days
        return SummaryFigures(
            head=head, period=flt.period,
            target_households=len(targets), target_people=sum(h.member_count or 0 for h in targets),
            long_absent_households=sum(1 for h in targets if h.long_absent),
            reached_households=len(present & target_ids), visited_households=len(visited),
            visits=len(visits), condolence_visits=sum(1 for v in visits if "condolence" in v.purposes),
            pairing_covered=len(paired & target_ids), helpers=len(helpers), paired_households=len(paired),
            meetings=meetings, diary_entries=entries, diary_days=days,
            problems_raised=problems.raised, problems_solved=problems.resolved, problems_open=problems.open,
            problems=problems,
            projects=tuple(ProjectFigure(p.name, p.category, p.status, p.total_investment, p.content_scale,
                                         p.funding, p.benefit_mechanism) for p in plines),
            projects_by_status=tuple((c, by_status[c]) for c in codes.get("project_status").codes()
                                     if by_status.get(c)),
            investment_total=sum((p.total_investment for p in plines), ZERO),
            investment_by_source=tuple(sorted(by_source.items(), key=lambda kv: (
                source_order.index(kv[0]) if kv[0] in source_order else 99, kv[0]))),
            donation_count=giving.donation_count, donation_cash=giving.donation_cash,
            donation_goods=giving.donation_goods, condolence_cash=giving.condolence_cash,
            condolence_goods=giving.condolence_goods, distribution_households=giving.condolence_households,
            purchase_count=len(purchases), purchase_amount=bought.amount,
            purchase_by_channel=tuple(sorted(by_channel.items())),
            purchase_households=bought.households,
            giving=giving, purchases=bought,
            monitored_identified=period_monitoring.identified_households,
            monitored_eliminated=period_monitoring.eliminated_households,
            monitored_now=period_monitoring.remaining_households,
            village_days=tuple(sorted(vdays.items(), key=lambda kv: -kv[1])),
            required_days_per_month=required,
            dibao_households=sum(1 for h in targets if "dibao" in h.household_type),
            wubao_households=sum(1 for h in targets if h.household_type in ("wubao", "tekun", "alleviated_tekun")),
            monitoring=year_monitoring,
            people=people,
            targets=team_targets,
            as_of=drafted_as_of,
        )

