"""The rows and heads of the printed documents (ledgers, 一户一册, 民情日记本): frozen dataclasses that
``services.reporting`` fills in one read transaction and ``reports/`` and ``exchange/`` render.

Values keep their codes (``reports`` shows the labels) and personal numbers unmasked (``reports`` masks them);
money is ``Decimal`` in 元.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fupin_desktop.domain import dates
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.storage.queries.reporting import Scope

ZERO = Decimal("0.00")


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
    visits_in_period: int  # visits by the paired cadre while paired (services.pairing_visits)
    required_visits: int = 0  # the yearly minimum prorated (services.pairing_visits.required_visits)
    household_id: str = ""

    @property
    def below_minimum(self) -> bool:
        return self.visits_in_period < self.required_visits


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
    beneficiary_ids: tuple[str, ...] = ()  # the households on its 受益户 list (ProjectBeneficiary), when entered

    @property
    def households(self) -> int:
        """受益户 of this project: the number entered, else the length of its list."""
        return self.beneficiary_households if self.beneficiary_households is not None else len(self.beneficiary_ids)


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
    signed_by: str | None = None  # 签收: who signed (None: not signed yet)
    signed: bool = False


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
    household_ids: tuple[str, ...] = ()  # the households picked from the registry (带动农户名单)


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



# --- row builders (from ORM rows) ------------------------------------------------------------------------------------------------------


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(x for x in (text or "").split(",") if x)


def _health_text(health: str | None, disability_category: str | None) -> str:
    from fupin_desktop.domain import codes

    labels = [codes.get("health").label(x) for x in _split(health)]
    if disability_category and "disabled" not in _split(health):
        labels.append(codes.get("health").label("disabled"))
    return "、".join(labels)


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


