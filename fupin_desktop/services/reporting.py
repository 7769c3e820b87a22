"""Data of the printed documents (ledgers, 一户一册, 民情日记本, 工作总结): for a period and an optional 村民小组 or
cadre, gathered in one read transaction and returned as frozen dataclasses that ``reports/`` renders.

Values keep their codes (``reports`` shows the labels) and personal numbers unmasked (``reports`` masks them);
money is ``Decimal`` in 元.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from fupin_desktop.domain import dates
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.base import Service
from fupin_desktop.services.monitoring import YearFigures
from fupin_desktop.storage.models import Household
from fupin_desktop.storage.queries import reporting as rq
from fupin_desktop.storage.queries.visits import purposes_of_visits
from fupin_desktop.storage.queries.reporting import Scope

ZERO = Decimal("0.00")
POOR_TYPES_EXCLUDED = ("ordinary",)


# --- period and filters ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    @classmethod
    def year(cls, year: int) -> "Period":
        s, e = dates.year_range(year)
        return cls(s, e, f"{year}年")

    @classmethod
    def half(cls, year: int, half: int) -> "Period":
        s, e = dates.half_year_range(year, half)
        return cls(s, e, f"{year}年{'上' if half == 1 else '下'}半年")

    @classmethod
    def quarter(cls, year: int, q: int) -> "Period":
        s, e = dates.quarter_range(year, q)
        return cls(s, e, f"{year}年第{'一二三四'[q - 1]}季度")

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        s, e = dates.month_range(year, month)
        return cls(s, e, f"{year}年{month}月")

    @classmethod
    def custom(cls, start: date, end: date) -> "Period":
        if end < start:
            raise ValidationError("end", "结束日期不能早于开始日期")
        return cls(start, end, f"{dates.format_cn_date(start)}至{dates.format_cn_date(end)}")


@dataclass(frozen=True)
class ReportFilter:
    period: Period
    group_name: str | None = None  # 村民小组
    cadre_id: str | None = None
    village_id: str | None = None  # one village of a township database (None: the data folder's village)

    def scope(self) -> Scope:
        return Scope(self.period.start, self.period.end, self.group_name or None, self.cadre_id or None,
                     self.village_id or None)


@dataclass(frozen=True)
class ReportHead:
    """What the top of every page says."""

    unit: str  # 填报单位: 派出单位驻X村工作队
    village: str
    period: str  # label, with the filter named
    printed_on: date
    township: str = ""
    county: str = ""
    dispatch_unit: str = ""


# --- ledger rows ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdLine:
    number: str
    group_name: str | None
    head_name: str
    head_id_number: str | None
    household_type: str
    monitoring_category: str | None
    member_count: int
    phone: str | None
    risk_types: tuple[str, ...]
    long_absent: bool
    address: str | None
    helpers: tuple[str, ...] = ()
    health: str = ""  # members with an illness or a disability, e.g. "患有大病1人、残疾1人" (roster only)
    per_capita_income: Decimal | None = None  # 人均纯收入 of ``income_year`` (roster only)
    income_year: int | None = None


@dataclass(frozen=True)
class PairingLine:
    cadre_name: str
    cadre_unit: str | None
    cadre_phone: str | None
    number: str
    head_name: str
    group_name: str | None
    household_type: str
    monitoring_category: str | None
    start_date: date
    end_date: date | None
    visits_in_period: int


@dataclass(frozen=True)
class VisitLine:
    visit_date: date
    number: str
    head_name: str
    group_name: str | None
    cadres: tuple[str, ...]
    method: str
    purposes: tuple[str, ...]
    present: bool
    findings: str | None
    actions: str | None
    satisfaction: str | None


@dataclass(frozen=True)
class ProblemLine:
    raised_on: date
    household: str | None
    number: str | None
    description: str
    category: str | None
    responsible: str | None
    due_date: date | None
    status: str
    resolution: str | None
    closed_on: date | None
    revisited_on: date | None
    satisfaction: str | None


@dataclass(frozen=True)
class DiaryLine:
    entry_date: date
    author: str
    weather: str | None
    place: str | None
    people_met: str | None
    title: str | None
    content: str
    problems_found: str | None
    follow_up: str | None
    households: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkLogLine:
    log_date: date
    kind: str
    topic: str
    place: str | None
    host: str | None
    attendees_count: int | None
    content: str | None


@dataclass(frozen=True)
class AttendanceLine:
    cadre_name: str
    year: int
    month: int
    in_village: int
    official_trip: int
    leave: int
    other: int
    required: int

    @property
    def village_days(self) -> int:
        # reported trips for meetings, training or projects count as village time (domain.md §5.3)
        return self.in_village + self.official_trip


@dataclass(frozen=True)
class FundingPart:
    source: str
    planned: Decimal
    received: Decimal


@dataclass(frozen=True)
class ProjectLine:
    number: str | None
    year: int | None
    name: str
    category: str | None
    place: str | None
    content_scale: str | None
    implementing_unit: str | None
    status: str
    progress_percent: int
    planned_start: date | None
    planned_end: date | None
    total_investment: Decimal
    funding: tuple[FundingPart, ...]
    beneficiary_households: int | None
    beneficiary_poor_households: int | None
    benefit_mechanism: str | None


@dataclass(frozen=True)
class DonationLine:
    received_on: date
    donor: str
    donor_kind: str
    kind: str
    items: str
    amount: Decimal
    purpose: str | None
    handler: str | None
    receipt_number: str | None
    is_condolence: bool


@dataclass(frozen=True)
class DistributionLine:
    distributed_on: date
    recipient: str
    number: str | None
    category: str | None  # household type code, or target kind
    what: str
    quantity: Decimal
    unit: str | None
    amount: Decimal
    handler: str | None
    proxy_note: str | None


@dataclass(frozen=True)
class PurchaseLine:
    purchase_date: date
    buyer_unit: str
    product: str
    supplier: str | None
    origin: str | None
    quantity: Decimal | None
    unit: str | None
    amount: Decimal
    channel: str
    households_benefiting: int | None


@dataclass(frozen=True)
class Ledger:
    kind: str
    head: ReportHead
    rows: tuple = ()
    sources: tuple[str, ...] = ()  # 项目台账: the funding sources that occur, in code-list order
    # 监测户花名册 rows are ``services.monitoring.RosterRow``, 帮扶措施落实台账 rows ``services.measures.MeasureRow``


# --- documents ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberLine:
    name: str
    relation: str
    sex: str | None
    id_number: str | None
    birth_date: date | None
    education: str | None
    health: str | None
    labour_skill: str | None
    work_place: str | None
    dibao: bool
    tekun: bool


@dataclass(frozen=True)
class IncomeLine:
    year: int
    wages: Decimal
    business: Decimal
    property_income: Decimal
    transfer: Decimal
    production_cost: Decimal
    size: int

    @property
    def net(self) -> Decimal:
        return self.wages + self.business + self.property_income + self.transfer - self.production_cost

    @property
    def per_capita(self) -> Decimal:
        return (self.net / self.size).quantize(Decimal("0.01")) if self.size else ZERO


@dataclass(frozen=True)
class MeasureLine:
    measure_date: date
    category: str
    content: str
    amount: Decimal | None
    responsible: str | None
    result: str | None


@dataclass(frozen=True)
class HouseholdBook:
    household: HouseholdLine
    address: str | None
    poverty_causes: tuple[str, ...]
    monitoring_stage: str | None
    identified_on: date | None
    risk_eliminated: bool
    eliminated_on: date | None
    bank_account: str | None
    housing_grade: str | None
    farmland_mu: Decimal | None
    members: tuple[MemberLine, ...]
    incomes: tuple[IncomeLine, ...]
    pairings: tuple[PairingLine, ...]
    measures: tuple[MeasureLine, ...]
    visits: tuple[VisitLine, ...]
    problems: tuple[ProblemLine, ...]
    photos: tuple[str, ...] = ()  # image file paths


@dataclass(frozen=True)
class Handbook:
    head: ReportHead
    books: tuple[HouseholdBook, ...]


@dataclass(frozen=True)
class DiaryBook:
    head: ReportHead
    author: str | None
    entries: tuple[DiaryLine, ...]


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

    @property
    def pairing_coverage_percent(self) -> int:
        return round(100 * self.pairing_covered / self.target_households) if self.target_households else 0

    def meeting_count(self, kind: str) -> int:
        return dict(self.meetings).get(kind, 0)


KINDS = ("roster", "pairings", "visits", "problems", "diary", "worklog", "attendance", "projects", "funds",
         "donations", "distributions", "purchases", "monitored", "measures")
MONITORING_KINDS = ("monitored", "measures")  # rows come from the monitoring and measure services


def monitored_now(rows) -> int:
    """监测对象 (在监测): households of the 监测户花名册 rows identified as 监测对象 whose risk is not eliminated.
    The one definition behind the summary, the 上报表 and the township summary."""
    return sum(1 for r in rows if r.monitoring_category and not r.risk_eliminated)


def is_target(h) -> bool:
    """帮扶对象: every household type except 一般农户, plus monitored households."""
    return h.household_type not in POOR_TYPES_EXCLUDED or h.monitoring_category is not None


class ReportingService(Service):
    """Read-only: every method is one read transaction."""

    # -- heads ----------------------------------------------------------------------------------------------------
    def _head(self, s, flt: ReportFilter) -> ReportHead:
        v = rq.village(s, flt.village_id)
        name = v.name if v else ""
        dispatch = (v.dispatch_unit or "") if v else ""
        unit = f"{dispatch}驻{name}工作队" if dispatch and name else (name or dispatch)
        label = flt.period.label
        extras = []
        if flt.group_name:
            extras.append(flt.group_name)
        cname = rq.cadre_name(s, flt.cadre_id)
        if cname:
            extras.append(cname)
        if extras:
            label = f"{label}（{'，'.join(extras)}）"
        return ReportHead(unit=unit, village=name, period=label, printed_on=self.today(),
                          township=(v.township or "") if v else "", county=(v.county or "") if v else "",
                          dispatch_unit=dispatch)

    def head(self, flt: ReportFilter) -> ReportHead:
        with self.read() as s:
            return self._head(s, flt)

    def group_names(self) -> list[str]:
        with self.read() as s:
            return sorted({h.group_name for h in rq.households(s, Scope(date.min, date.max)) if h.group_name})

    # -- ledgers --------------------------------------------------------------------------------------------------
    def ledger(self, kind: str, flt: ReportFilter) -> Ledger:
        if kind not in KINDS:
            raise ValidationError("kind", f"没有这种台账：{kind}")
        if kind in MONITORING_KINDS:
            return self._monitoring_ledger(kind, flt)
        with self.read() as s:
            head = self._head(s, flt)
            scope = flt.scope()
            rows, sources = getattr(self, f"_{kind}")(s, scope), ()
            if kind == "projects":
                rows, sources = rows
            return Ledger(kind, head, tuple(rows), tuple(sources))

    def _roster(self, s, scope: Scope):
        from fupin_desktop.domain import codes

        health = rq.member_health(s)
        incomes = rq.latest_incomes(s, scope.end.year)
        labels = codes.get("health")
        out = []
        for h in rq.households(s, scope):
            counts: Counter = Counter()
            for codes_text, disability in health.get(h.id, []):
                kinds = {c for c in _split(codes_text) if c != "healthy"}
                if disability:
                    kinds.add("disabled")
                for k in kinds:
                    counts[k] += 1
            text = "、".join(f"{labels.label(k)}{counts[k]}人" for k in labels.codes() if counts.get(k))
            inc = incomes.get(h.id)
            per_capita = None
            if inc is not None:
                line = IncomeLine(inc.year, inc.wages or ZERO, inc.business or ZERO, inc.property_income or ZERO,
                                  inc.transfer or ZERO, inc.production_cost or ZERO, inc.size or h.member_count or 0)
                per_capita = line.per_capita if line.size else None
            out.append(replace(_household_line(h), health=text, per_capita_income=per_capita,
                               income_year=inc.year if inc is not None else None))
        return out

    def _monitoring_ledger(self, kind: str, flt: ReportFilter) -> Ledger:
        """监测户花名册 (households in the lifecycle during the period, with stage and dates) and 帮扶措施落实台账
        (measures dated in the period), filtered by 村民小组 / cadre like the other ledgers."""
        from fupin_desktop.services.measures import MeasureQuery, MeasureService
        from fupin_desktop.services.monitoring import MonitoringService

        p = flt.period
        with self.read() as s:
            head = self._head(s, flt)
            scope = flt.scope()
            wanted = (set(rq.household_ids(s, Scope(date.min, date.max, scope.group_name, scope.cadre_id,
                                                    scope.village_id)))
                      if (scope.group_name or scope.cadre_id or scope.village_id) else None)
        if kind == "monitored":
            rows = []
            for r in MonitoringService(self.ctx).roster():
                if wanted is not None and r.household_id not in wanted:
                    continue
                first = r.clue_on or r.identified_on or r.stage_date
                if first is not None and first > p.end:
                    continue  # entered the lifecycle after the period
                if r.risk_eliminated and r.eliminated_on is not None and r.eliminated_on < p.start:
                    continue  # eliminated before the period
                rows.append(r)
            rows.sort(key=lambda r: (r.risk_eliminated, r.group_name or "", r.number))
        else:
            rows = [m for m in MeasureService(self.ctx).ledger(MeasureQuery(start=p.start, end=p.end))
                    if wanted is None or m.household_id in wanted]
            rows.sort(key=lambda m: (m.measure_date, m.number))
        return Ledger(kind, head, tuple(rows))

    def _pairings(self, s, scope: Scope):
        visited = Counter()
        for v, _ in rq.visits(s, scope, 0, 10**9):
            visited[v.household_id] += 1
        return [PairingLine(c.name, c.unit, c.phone, h.number, h.head_name, h.group_name, h.household_type,
                            h.monitoring_category, p.start_date, p.end_date, visited[h.id])
                for p, c, h in rq.pairings(s, scope)]

    def visit_count(self, flt: ReportFilter) -> int:
        with self.read() as s:
            return rq.count_visits(s, flt.scope())

    def _visits(self, s, scope: Scope):
        out = []
        offset = 0
        while True:
            batch = rq.visits(s, scope, offset, 2000)
            if not batch:
                break
            ids = [v.id for v, _ in batch]
            cadres = rq.visit_cadre_names(s, ids)
            purposes = purposes_of_visits(s, ids)
            out += [_visit_line(v, h, cadres.get(v.id, []), purposes.get(v.id, [])) for v, h in batch]
            offset += len(batch)
        return out

    def _problems(self, s, scope: Scope):
        return [_problem_line(p, hn, num, resp) for p, hn, num, resp in rq.problems(s, scope)]

    def _diary(self, s, scope: Scope):
        rows = rq.diary_entries(s, scope)
        hh = rq.diary_households(s, [d.id for d, _ in rows])
        return [_diary_line(d, name, hh.get(d.id, [])) for d, name in rows]

    def _worklog(self, s, scope: Scope):
        return [WorkLogLine(w.log_date, w.kind, w.topic, w.place, w.host, w.attendees_count, w.content)
                for w in rq.worklogs(s, scope)]

    def _attendance(self, s, scope: Scope):
        from fupin_desktop.services.settings import SettingsService

        required = SettingsService(self.ctx).get("attendance.min_days_per_month")
        table: dict[tuple[str, str, int, int], Counter] = defaultdict(Counter)
        for cid, name, y, m, st, n in rq.attendance_counts(s, scope):
            table[(cid, name, y, m)][st] += n
        return [AttendanceLine(name, y, m, c["in_village"], c["official_trip"], c["leave"], c["other"], required)
                for (cid, name, y, m), c in table.items()]

    def _projects(self, s, scope: Scope):
        from fupin_desktop.domain import codes

        rows = rq.projects(s, scope)
        lines = rq.funding_lines(s, [p.id for p in rows])
        seen: set[str] = set()
        out = []
        for p in rows:
            parts = _funding_parts(lines.get(p.id, []))
            seen |= {f.source for f in parts}
            out.append(ProjectLine(p.number, p.year, p.name, p.category, p.place, p.content_scale,
                                   p.implementing_unit, p.status, p.progress_percent or 0, p.planned_start,
                                   p.planned_end, p.total_investment or ZERO, parts, p.beneficiary_households,
                                   p.beneficiary_poor_households, p.benefit_mechanism))
        order = [c for c in codes.get("funding_source").codes() if c in seen] + sorted(
            seen - set(codes.get("funding_source").codes()))
        return out, order

    def _funds(self, s, scope: Scope):
        # the same projects; the renderer lists one line per project and source
        return self._projects(s, scope)[0]

    def _donations(self, s, scope: Scope):
        rows = rq.donations(s, scope)
        items = rq.donation_items(s, [d.id for d, _ in rows])
        out = []
        for d, donor in rows:
            text = "、".join(f"{it.name}{_qty(it.quantity)}{it.unit or ''}" for it in items.get(d.id, []))
            out.append(DonationLine(d.received_on, donor.name, donor.kind, d.kind, text, d.amount or ZERO,
                                    d.purpose or d.designated_target, d.handler, d.receipt_number, d.is_condolence))
        return out

    def _distributions(self, s, scope: Scope):
        out = []
        for d, h, item in rq.distributions(s, scope):
            recipient = h.head_name if h is not None else (d.target_name or "")
            what = item.name if item is not None else "现金"
            out.append(DistributionLine(d.distributed_on, recipient, h.number if h is not None else None,
                                        h.household_type if h is not None else d.target_kind, what,
                                        d.quantity or Decimal("0"), item.unit if item is not None else None,
                                        d.amount or ZERO, d.handler, d.proxy_note))
        return out

    def _purchases(self, s, scope: Scope):
        return [PurchaseLine(p.purchase_date, p.buyer_unit, p.product, p.supplier, p.origin, p.quantity, p.unit,
                             p.amount or ZERO, p.channel, p.households_benefiting) for p in rq.purchases(s, scope)]

    # -- documents ------------------------------------------------------------------------------------------------
    def handbook(self, flt: ReportFilter, household_ids: list[str] | None = None, data_dir=None) -> Handbook:
        """一户一册 of one, some or all households (filtered by 村民小组 / cadre when no ids are given)."""
        from fupin_desktop.services.attachments import AttachmentService

        att = AttachmentService(self.ctx)
        with self.read() as s:
            head = self._head(s, flt)
            ids = household_ids or rq.household_ids(s, flt.scope())
            books = []
            for hid in ids:
                h = s.get(Household, hid)
                if h is None or h.deleted_at is not None:
                    continue
                books.append(self._book(s, h, att))
            return Handbook(head, tuple(books))

    def _book(self, s, h, att) -> HouseholdBook:

        members = rq.members(s, h.id)
        size = len(members)
        visits = rq.household_visits(s, h.id)
        vids = [v.id for v in visits]
        cadres = rq.visit_cadre_names(s, vids)
        purposes = purposes_of_visits(s, vids)
        pairs = rq.household_pairings(s, h.id)
        pics = rq.photos(s, "visit", vids) + rq.photos(s, "household", [h.id])
        photo_paths = []
        for a in pics[:12]:
            p = att.path_of(a.sha256, a.filename)
            if p.exists():
                photo_paths.append(str(p))
        return HouseholdBook(
            household=_household_line(h, helpers=tuple(c.name for p, c in pairs if p.end_date is None)),
            address=h.address, poverty_causes=_split(h.poverty_causes), monitoring_stage=h.monitoring_stage,
            identified_on=h.identified_on, risk_eliminated=h.risk_eliminated, eliminated_on=h.eliminated_on,
            bank_account=h.bank_account, housing_grade=h.housing_grade, farmland_mu=h.farmland_mu,
            members=tuple(MemberLine(m.name, m.relation, m.sex, m.id_number, m.birth_date, m.education,
                                     _health_text(m.health, m.disability_category),
                                     m.labour_skill, m.work_place, m.dibao, m.tekun) for m in members),
            incomes=tuple(IncomeLine(i.year, i.wages or ZERO, i.business or ZERO, i.property_income or ZERO,
                                     i.transfer or ZERO, i.production_cost or ZERO, i.size or size)
                          for i in rq.incomes(s, h.id)),
            pairings=tuple(PairingLine(c.name, c.unit, c.phone, h.number, h.head_name, h.group_name,
                                       h.household_type, h.monitoring_category, p.start_date, p.end_date, 0)
                           for p, c in pairs),
            measures=tuple(MeasureLine(m.measure_date, m.category, m.content, m.amount, name, m.result)
                           for m, name in rq.measures(s, h.id)),
            visits=tuple(_visit_line(v, h, cadres.get(v.id, []), purposes.get(v.id, [])) for v in visits),
            problems=tuple(_problem_line(p, h.head_name, h.number, name) for p, name in rq.household_problems(s, h.id)),
            photos=tuple(photo_paths),
        )

    def diary_book(self, flt: ReportFilter) -> DiaryBook:
        with self.read() as s:
            head = self._head(s, flt)
            return DiaryBook(head, rq.cadre_name(s, flt.cadre_id), tuple(self._diary(s, flt.scope())))

    # -- summary --------------------------------------------------------------------------------------------------
    def summary_figures(self, flt: ReportFilter) -> SummaryFigures:
        from fupin_desktop.domain import codes
        from fupin_desktop.services.settings import SettingsService

        from fupin_desktop.services.monitoring import MonitoringService

        required = SettingsService(self.ctx).get("attendance.min_days_per_month")
        as_of = min(flt.period.end, self.today())
        year_monitoring = (MonitoringService(self.ctx).year_figures(flt.period.end.year, as_of=as_of)
                           if as_of >= flt.period.start else None)
        monitored_rows = self._monitoring_ledger("monitored", flt).rows
        with self.read() as s:
            head = self._head(s, flt)
            scope = flt.scope()
            everyone = rq.households(s, replace(scope, cadre_id=None))
            targets = [h for h in everyone if is_target(h)]
            target_ids = {h.id for h in targets}
            present = rq.visited_household_ids(s, scope, present_only=True)
            visited = rq.visited_household_ids(s, scope)
            visits = self._visits(s, scope)
            paired = rq.paired_household_ids(s, scope)
            helpers = {p.cadre_id for p, _, _ in rq.pairings(s, replace(scope, cadre_id=None))}
            wl = rq.worklog_counts(s, scope)
            meetings = tuple((c, wl[c]) for c in codes.get("worklog_kind").codes() if wl.get(c)) + tuple(
                (c, n) for c, n in sorted(wl.items()) if c not in codes.get("worklog_kind") and n)
            entries, days = rq.diary_day_counts(s, scope)
            raised, solved, still_open = rq.problem_counts(s, scope)
            plines, _ = self._projects(s, scope)
            by_status = Counter(p.status for p in plines)
            by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
            for p in plines:
                for f in p.funding:
                    by_source[f.source] += f.planned
            source_order = codes.get("funding_source").codes()
            donations = self._donations(s, scope)
            purchases = self._purchases(s, scope)
            by_channel: dict[str, Decimal] = defaultdict(lambda: ZERO)
            for p in purchases:
                by_channel[p.channel] += p.amount
            ident, elim, monitored = rq.monitoring_counts(s, scope)
            attendance = self._attendance(s, scope)
            vdays: dict[str, int] = defaultdict(int)
            for a in attendance:
                vdays[a.cadre_name] += a.village_days
            return SummaryFigures(
                head=head, period=flt.period,
                target_households=len(targets), target_people=sum(h.member_count or 0 for h in targets),
                long_absent_households=sum(1 for h in targets if h.long_absent),
                reached_households=len(present & target_ids), visited_households=len(visited),
                visits=len(visits), condolence_visits=sum(1 for v in visits if "condolence" in v.purposes),
                pairing_covered=len(paired & target_ids), helpers=len(helpers),
                meetings=meetings, diary_entries=entries, diary_days=days,
                problems_raised=raised, problems_solved=solved, problems_open=still_open,
                projects=tuple(ProjectFigure(p.name, p.category, p.status, p.total_investment, p.content_scale,
                                             p.funding, p.benefit_mechanism) for p in plines),
                projects_by_status=tuple((c, by_status[c]) for c in codes.get("project_status").codes()
                                         if by_status.get(c)),
                investment_total=sum((p.total_investment for p in plines), ZERO),
                investment_by_source=tuple(sorted(by_source.items(), key=lambda kv: (
                    source_order.index(kv[0]) if kv[0] in source_order else 99, kv[0]))),
                donation_count=len(donations),
                donation_cash=sum((d.amount for d in donations if d.kind == "cash"), ZERO),
                donation_goods=sum((d.amount for d in donations if d.kind != "cash"), ZERO),
                condolence_cash=sum((d.amount for d in donations if d.is_condolence and d.kind == "cash"), ZERO),
                condolence_goods=sum((d.amount for d in donations if d.is_condolence and d.kind != "cash"), ZERO),
                distribution_households=rq.distribution_household_count(s, scope),
                purchase_count=len(purchases), purchase_amount=sum((p.amount for p in purchases), ZERO),
                purchase_by_channel=tuple(sorted(by_channel.items())),
                purchase_households=sum(p.households_benefiting or 0 for p in purchases),
                monitored_identified=ident, monitored_eliminated=elim, monitored_now=monitored_now(monitored_rows),
                village_days=tuple(sorted(vdays.items(), key=lambda kv: -kv[1])),
                required_days_per_month=required,
                dibao_households=sum(1 for h in targets if "dibao" in h.household_type),
                wubao_households=sum(1 for h in targets if h.household_type in ("wubao", "tekun", "alleviated_tekun")),
                monitoring=year_monitoring,
            )


# --- row builders ------------------------------------------------------------------------------------------------------


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(x for x in (text or "").split(",") if x)


def _health_text(health: str | None, disability_category: str | None) -> str:
    from fupin_desktop.domain import codes

    labels = [codes.get("health").label(x) for x in _split(health)]
    if disability_category and "disabled" not in _split(health):
        labels.append(codes.get("health").label("disabled"))
    return "、".join(labels)


def _qty(q) -> str:
    if q is None:
        return ""
    d = Decimal(q).normalize()
    return f"{d:f}"


def _household_line(h, helpers: tuple[str, ...] = ()) -> HouseholdLine:
    return HouseholdLine(h.number, h.group_name, h.head_name, h.head_id_number, h.household_type,
                         h.monitoring_category, h.member_count or 0, h.phone, _split(h.risk_types), h.long_absent,
                         h.address, helpers)


def _visit_line(v, h, cadres, purposes) -> VisitLine:
    return VisitLine(v.visit_date, h.number, h.head_name, h.group_name, tuple(cadres), v.method, tuple(purposes),
                     v.present, v.findings, v.actions, v.satisfaction)


def _problem_line(p, household, number, responsible) -> ProblemLine:
    return ProblemLine(p.raised_on, household, number, p.description, p.category, responsible, p.due_date, p.status,
                       p.resolution, p.closed_on, p.revisited_on, p.satisfaction)


def _diary_line(d, author, households) -> DiaryLine:
    return DiaryLine(d.entry_date, author, d.weather, d.place, d.people_met, d.title, d.content or "",
                     d.problems_found, d.follow_up, tuple(households))


def _funding_parts(lines) -> tuple[FundingPart, ...]:
    merged: dict[str, list[Decimal]] = {}
    for f in lines:
        m = merged.setdefault(f.source, [ZERO, ZERO])
        m[0] += f.planned_amount or ZERO
        m[1] += f.received_amount or ZERO
    return tuple(FundingPart(src, a, b) for src, (a, b) in merged.items())

