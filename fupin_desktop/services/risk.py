"""Risk prompts (风险预警提示) evaluated offline over the registry, and the monitoring lines (监测范围, year × area).

Rules (each can be switched off by the caller; thresholds are settings):
* ``income``     人均纯收入 of the latest year below ``risk.income_factor_percent`` % of that year's monitoring line
* ``health``     a member with 大病, or 残疾 of level 1–2 (重度残疾)
* ``disaster``   an 应急/灾情查看 visit within ``risk.recent_disaster_days`` days
* ``schooling``  a member aged 6–15 with no 在校生状况
* ``insurance``  a member recorded as in neither 城乡居民 nor 职工 basic medical insurance (blank is unknown, not
                 a risk: the household page shows it as 未填); one sentence per household names them all
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from fupin_desktop.domain.dates import format_cn_date
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.income import IncomeFigures
from fupin_desktop.domain.money import format_yuan, to_money
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to
from fupin_desktop.services.settings import SettingsService
from fupin_desktop.storage.models import MonitoringLine
from fupin_desktop.storage.queries import monitoring as mq

__all__ = ["RiskService", "RiskPrompt", "RiskReason", "MonitoringLineDTO", "RULES"]

RULES: dict[str, str] = {
    "income": "收入低于预警线",
    "health": "大病或重度残疾",
    "disaster": "近期受灾",
    "schooling": "适龄未在校",
    "insurance": "未参加基本医疗保险",
}


@dataclass(frozen=True)
class RiskReason:
    rule: str
    text: str

    @property
    def title(self) -> str:
        return RULES.get(self.rule, self.rule)


@dataclass(frozen=True)
class RiskPrompt:
    household_id: str
    number: str
    head_name: str
    group_name: str | None
    household_type: str
    monitoring_category: str | None
    monitored: bool  # currently under monitoring (risk not eliminated)
    last_visit_on: date | None
    reasons: tuple[RiskReason, ...]

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.rule for r in self.reasons))

    @property
    def summary(self) -> str:
        return "；".join(r.text for r in self.reasons)


@dataclass(frozen=True)
class MonitoringLineDTO:
    id: str
    year: int
    area: str
    amount: Decimal


def _names(names: list[str], shown: int = 3) -> str:
    """张三、李四、王五等5人"""
    text = "、".join(names[:shown])
    return text + (f"等{len(names)}人" if len(names) > shown else "")


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class RiskService(Service):
    # -- monitoring lines ------------------------------------------------------------------------------------------
    def lines(self, village_id: str | None = None) -> list[MonitoringLineDTO]:
        """The monitoring lines (of one village of a township database when given)."""
        with self.read() as s:
            return [copy_to(MonitoringLineDTO, r) for r in mq.lines(s, village_id)]

    def line_for(self, year: int, area: str = "") -> Decimal | None:
        with self.read() as s:
            row = mq.line_row(s, year, area)
            return row.amount if row is not None and row.deleted_at is None else None

    def set_line(self, year: int, amount: Decimal, area: str = "") -> Outcome[MonitoringLineDTO]:
        """Create or change the monitoring line of a year (and area; "" = this village's county)."""
        if not isinstance(year, int) or not 2014 <= year <= 2100:
            raise ValidationError("year", "年份应在2014到2100之间")
        if amount is None:
            raise ValidationError("amount", "请填写监测范围（元/人·年）")
        amount = to_money(amount)
        if amount <= 0:
            raise ValidationError("amount", "监测范围应大于0元")
        if amount > Decimal("1000000"):
            raise ValidationError("amount", "监测范围太大了，请核对（单位是元/人·年）")
        area = (area or "").strip()
        if len(area) > 64:
            raise ValidationError("area", "地区名称最多64个字")
        with self.write() as s:
            row = mq.line_row(s, year, area)
            if row is None:
                row = MonitoringLine(year=year, area=area, amount=amount)
                s.add(row)
            else:
                row.amount, row.deleted_at = amount, None
            s.flush()
            dto = copy_to(MonitoringLineDTO, row)
        return Outcome(dto, Changes.of_session(s))

    def delete_line(self, line_id: str) -> Outcome[None]:
        with self.write() as s:
            self.soft_delete(self.get_live(s, MonitoringLine, line_id, "监测范围"))
        return Outcome(None, Changes.of_session(s))

    # -- prompts ---------------------------------------------------------------------------------------------------
    def prompts(self, today: date | None = None, rules: tuple[str, ...] | None = None,
                include_monitored: bool = False, village_id: str | None = None) -> list[RiskPrompt]:
        """Households worth a visit, with the reasons; most reasons first. Households under monitoring are
        left out unless ``include_monitored`` (they are followed in the monitoring list anyway). ``village_id``:
        the households of one village of a township database, judged against that village's monitoring line."""
        today = today or self.today()
        active = set(rules or RULES)
        cfg = SettingsService(self.ctx)
        factor = Decimal(cfg.get("risk.income_factor_percent")) / 100
        days = cfg.get("risk.recent_disaster_days")
        reasons: dict[str, list[RiskReason]] = {}

        def add(hid: str, rule: str, text: str) -> None:
            lst = reasons.setdefault(hid, [])
            if not any(r.rule == rule and r.text == text for r in lst):
                lst.append(RiskReason(rule, text))

        with self.read() as s:
            if "income" in active:
                lines = {}
                for r in mq.lines(s, village_id):
                    if r.area == "":
                        lines[r.year] = r.amount
                for inc, h in mq.latest_incomes(s):
                    line = lines.get(inc.year)
                    if line is None:
                        continue
                    size = inc.size or h.member_count
                    if not size:
                        continue
                    figures = IncomeFigures(inc.wages, inc.business, inc.property_income, inc.transfer,
                                            inc.production_cost)
                    per_capita = figures.per_capita(size)
                    threshold = (line * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                    if per_capita < threshold:
                        add(h.id, "income", f"{inc.year}年人均纯收入{format_yuan(per_capita)}元，低于监测范围"
                                            f"{format_yuan(line)}元的{int(factor * 100)}%（{format_yuan(threshold)}元）")
            if "health" in active:
                for hid, name, health, level in mq.illness_or_severe_disability(s):
                    if "serious_illness" in (health or "").split(","):
                        add(hid, "health", f"{name}患有大病")
                    if "disabled" in (health or "").split(",") and level in ("1", "2"):
                        add(hid, "health", f"{name}为{'一' if level == '1' else '二'}级残疾")
            if "disaster" in active:
                for hid, when, findings in mq.recent_disaster_visits(s, today - timedelta(days=days)):
                    add(hid, "disaster", f"{format_cn_date(when)}灾情查看" + (f"：{findings[:30]}" if findings else ""))
            if "schooling" in active:
                for hid, name, born in mq.school_age_not_in_school(s, _years_ago(today, 16), _years_ago(today, 6)):
                    add(hid, "schooling", f"{name}{_age(born, today)}岁，未登记在校")
            if "insurance" in active:
                uninsured: dict[str, list[str]] = {}
                for hid, name in mq.without_medical_insurance(s):
                    uninsured.setdefault(hid, []).append(name)
                for hid, names in uninsured.items():
                    add(hid, "insurance", _names(names) + "未参加基本医疗保险")
            households = mq.households_by_ids(s, list(reasons))
            out = []
            order = list(RULES)
            for hid, rs in reasons.items():
                h = households.get(hid)
                if h is None or (village_id and h.village_id != village_id):
                    continue
                monitored = h.monitoring_category is not None and not h.risk_eliminated
                if monitored and not include_monitored:
                    continue
                rs.sort(key=lambda r: order.index(r.rule))
                out.append(RiskPrompt(h.id, h.number, h.head_name, h.group_name, h.household_type,
                                      h.monitoring_category, monitored, h.last_visit_on, tuple(rs)))
        out.sort(key=lambda p: (-len(p.rules), p.number))
        return out
