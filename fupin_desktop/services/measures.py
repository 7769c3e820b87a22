"""帮扶措施 (assistance measures) per household, the 帮扶措施落实台账 and the 6-month 开发式帮扶 rule
(domain.md §1.6, §2.5): a monitored household with labour and an uneliminated risk needs a development-type
measure (产业/就业/金融/公益岗位) within 6 months of identification."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import add_months, format_cn_date
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.money import to_money
from fupin_desktop.domain.rules import (
    DEVELOPMENT_DEADLINE_MONTHS, Finding, HouseholdFacts, MemberFacts, has_labour, needs_development_measure,
)
from fupin_desktop.services.base import Changes, Outcome, Service, require_code, require_text
from fupin_desktop.storage.models import Cadre, Household, Measure
from fupin_desktop.storage.queries import households as hq
from fupin_desktop.storage.queries import monitoring as mq
from fupin_desktop.storage.queries.monitoring import MeasureQuery, MonitoredQuery

__all__ = ["MeasureService", "MeasureInput", "MeasureRow", "DevelopmentStatus", "MeasureQuery",
           "DEVELOPMENT_MEASURES"]

DEVELOPMENT_MEASURES = codes.DEVELOPMENT_MEASURES


@dataclass(frozen=True)
class MeasureInput:
    household_id: str
    category: str  # codes.measure_category
    measure_date: date
    content: str
    amount: Decimal | None = None  # 元
    responsible_id: str | None = None  # a cadre
    result: str | None = None


LOAN_CATEGORIES = frozenset({"finance"})  # 金融帮扶: 脱贫人口小额信贷 — money lent, to be repaid


@dataclass(frozen=True)
class MeasureTotals:
    """Amounts of measures: loans (金融帮扶) and grants (补助、奖补等 every other category) are never added."""

    loans: Decimal
    grants: Decimal
    loan_count: int
    grant_count: int


def measure_totals(rows) -> MeasureTotals:
    """Of ``MeasureRow`` (or any rows with ``category`` and ``amount``)."""
    zero = Decimal("0")
    loans = [r.amount for r in rows if r.amount and r.category in LOAN_CATEGORIES]
    grants = [r.amount for r in rows if r.amount and r.category not in LOAN_CATEGORIES]
    return MeasureTotals(sum(loans, zero), sum(grants, zero), len(loans), len(grants))


@dataclass(frozen=True)
class MeasureRow:
    """A measure with its household and responsible cadre: also a line of the 帮扶措施落实台账."""

    id: str
    household_id: str
    number: str
    head_name: str
    group_name: str | None
    monitoring_category: str | None
    category: str
    measure_date: date
    content: str
    amount: Decimal | None
    responsible_id: str | None
    responsible_name: str | None
    result: str | None

    @property
    def category_label(self) -> str:
        return codes.label("measure_category", self.category)

    @property
    def development(self) -> bool:
        return self.category in DEVELOPMENT_MEASURES


@dataclass(frozen=True)
class DevelopmentStatus:
    """The 6-month rule for one household."""

    household_id: str
    applies: bool  # monitored, risk not eliminated, has labour
    identified_on: date | None
    deadline: date | None
    first_development_on: date | None  # first 开发式 measure from the identification month on
    met: bool  # a development measure by the deadline (or the rule does not apply)
    finding: Finding | None  # the rule broken (deadline past or measure late)
    text: str  # a sentence for the panel


def _row(m: Measure, h: Household, cadre: str | None) -> MeasureRow:
    return MeasureRow(m.id, h.id, h.number, h.head_name, h.group_name, h.monitoring_category, m.category,
                      m.measure_date, m.content, m.amount, m.responsible_id, cadre, m.result)


def _facts(h: Household, members, dev_dates) -> HouseholdFacts:
    return HouseholdFacts(
        id=h.id, number=h.number, head_name=h.head_name,
        members=tuple(MemberFacts(id=m.id, name=m.name, labour_skill=m.labour_skill) for m in members),
        risk_types=tuple(x for x in (h.risk_types or "").split(",") if x),
        monitoring_category=h.monitoring_category, risk_eliminated=h.risk_eliminated,
        elimination_way=h.elimination_way, identified_on=h.identified_on,
        development_measure_dates=tuple(sorted(dev_dates)))


class MeasureService(Service):
    def validate(self, data: MeasureInput) -> MeasureInput:
        require_code("measure_category", data.category, "category", "措施类别")
        if data.measure_date is None:
            raise ValidationError("measure_date", "请填写落实日期")
        if data.measure_date > self.today():
            raise ValidationError("measure_date", "落实日期不能晚于今天")
        require_text(data.content, "content", "措施内容", 2000)
        if data.amount is not None and to_money(data.amount) < 0:
            raise ValidationError("amount", "金额不能是负数")
        return data

    def add(self, data: MeasureInput) -> Outcome[MeasureRow]:
        """Record a measure. Raises ValidationError (category, measure_date, content, amount), NotFoundError."""
        self.validate(data)
        with self.write() as s:
            h = self.get_live(s, Household, data.household_id, "农户")
            cadre = self.get_live(s, Cadre, data.responsible_id, "责任人") if data.responsible_id else None
            row = Measure(household_id=h.id)
            self._apply(row, data)
            s.add(row)
            s.flush()
            dto = _row(row, h, cadre.name if cadre else None)
        return Outcome(dto, Changes.of_session(s))

    def update(self, measure_id: str, data: MeasureInput) -> Outcome[MeasureRow]:
        self.validate(data)
        with self.write() as s:
            row = self.get_live(s, Measure, measure_id, "帮扶措施")
            cadre = self.get_live(s, Cadre, data.responsible_id, "责任人") if data.responsible_id else None
            self._apply(row, data)
            s.flush()
            dto = _row(row, s.get(Household, row.household_id), cadre.name if cadre else None)
        return Outcome(dto, Changes.of_session(s))

    def delete(self, measure_id: str) -> Outcome[None]:
        with self.write() as s:
            self.soft_delete(self.get_live(s, Measure, measure_id, "帮扶措施"))
        return Outcome(None, Changes.of_session(s))

    @staticmethod
    def _apply(row: Measure, data: MeasureInput) -> None:
        row.category = data.category
        row.measure_date = data.measure_date
        row.content = data.content.strip()
        row.amount = to_money(data.amount) if data.amount is not None else None
        row.responsible_id = data.responsible_id
        row.result = (data.result or "").strip() or None

    # -- reading -----------------------------------------------------------------------------------------------------
    def of_household(self, household_id: str) -> list[MeasureRow]:
        return self.ledger(MeasureQuery(household_id=household_id))

    def ledger(self, query: MeasureQuery = MeasureQuery()) -> list[MeasureRow]:
        """帮扶措施落实台账: measures filtered by household, category and date range, newest first."""
        with self.read() as s:
            return [_row(m, h, n) for m, h, n in mq.measure_rows(s, query)]

    def development_status(self, household_id: str, today: date | None = None) -> DevelopmentStatus:
        today = today or self.today()
        with self.read() as s:
            h = self.get_live(s, Household, household_id, "农户")
            members = hq.live_members(s, household_id)
            dev = mq.measure_dates(s, [household_id], DEVELOPMENT_MEASURES).get(household_id, [])
            return self._status(_facts(h, members, dev), today)

    @staticmethod
    def _status(f: HouseholdFacts, today: date) -> DevelopmentStatus:
        monitored = bool(f.monitoring_category) and not f.risk_eliminated and f.identified_on is not None
        applies = monitored and has_labour(f)
        if not applies:
            why = ("未纳入监测或风险已消除" if not monitored else "家中无劳动力，以兜底保障为主")
            return DevelopmentStatus(f.id, False, f.identified_on, None, None, True, None,
                                     f"不适用6个月开发式帮扶要求（{why}）")
        start = f.identified_on.replace(day=1)
        deadline = add_months(f.identified_on, DEVELOPMENT_DEADLINE_MONTHS)
        dates = sorted(d for d in f.development_measure_dates if d >= start)
        first = dates[0] if dates else None
        finding = needs_development_measure(f, today)
        met = first is not None and first <= deadline
        if met:
            text = f"已于{format_cn_date(first)}落实开发式帮扶（期限{format_cn_date(deadline)}）"
        elif finding:
            text = finding.message
        else:
            left = (deadline - today).days
            text = f"须在{format_cn_date(deadline)}前落实开发式帮扶（产业、就业、金融、公益岗位），还剩{left}天"
        return DevelopmentStatus(f.id, True, f.identified_on, deadline, first, met, finding, text)

    def development_findings(self, today: date | None = None, village_id: str | None = None) -> list[Finding]:
        """Every monitored household (of one village when given) that breaks the 6-month rule (for the check list
        and the home page)."""
        today = today or self.today()
        with self.read() as s:
            hs = mq.monitored_households(s, MonitoredQuery(status="open", village_id=village_id))
            hs = [h for h in hs if h.monitoring_category and h.identified_on]
            ids = [h.id for h in hs]
            members = mq.members_of(s, ids)
            dev = mq.measure_dates(s, ids, DEVELOPMENT_MEASURES)
            out = []
            for h in hs:
                f = needs_development_measure(_facts(h, members.get(h.id, []), dev.get(h.id, [])), today)
                if f:
                    out.append(f)
            return out
