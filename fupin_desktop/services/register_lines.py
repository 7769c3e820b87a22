"""The rows of the team's own registers and notices (domain.md §7.2, issue 17 "missing ledgers"): 工作队花名册,
考勤签到表, 会议记录, 资金台账, 捐赠物资收发存, 两不愁三保障核查台账, 项目资产台账 and the 公示 notices.

Frozen dataclasses that ``services.registers`` fills in one read transaction and ``reports/`` renders. Values keep
their codes (``reports`` shows the labels); money is ``Decimal`` in 元, quantities ``Decimal``. The notice rows
carry only what a notice may show (issue 14: no health, disability, income, ID or free text) — the allow-list is
the dataclass itself, so a renderer cannot print what it was never given.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fupin_desktop.services.report_lines import ReportHead

__all__ = ["TeamMemberLine", "SignInRow", "SignInMonth", "MeetingLine", "FundEntry", "FundBook", "StockLine",
           "CheckLine", "AssetLine", "NoticeMonitoredLine", "NoticeDonationLine", "NoticeProjectLine", "Register",
           "FUND_DEFINITION"]


@dataclass(frozen=True)
class Register:
    """One register or notice: what the top of the page says and its rows (their type depends on ``kind``)."""

    kind: str
    head: ReportHead
    rows: tuple
    period_start: date | None = None
    period_end: date | None = None


# --- 工作队花名册 -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMemberLine:
    name: str
    sex: str | None  # codes.sex
    unit: str | None  # 派出单位 / 工作单位
    position: str | None  # 职务 in the unit
    role: str  # codes.cadre_role: 职务 in the team (第一书记 / 工作队员)
    phone: str | None
    start_date: date | None
    end_date: date | None
    village_days: int  # 驻村天数 in the period (在村 + 因公外出, services.attendance)


# --- 考勤签到表 (a month grid) -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInRow:
    name: str
    role: str  # codes.cadre_role
    days: dict[int, str]  # day of month → codes.attendance_status (marked days only)
    serving: tuple[int, int] | None  # first and last day of the month the cadre was in the team (None: all month)

    def count(self, status: str) -> int:
        return sum(1 for s in self.days.values() if s == status)


@dataclass(frozen=True)
class SignInMonth:
    year: int
    month: int
    length: int  # days in the month
    rows: tuple[SignInRow, ...]
    required: int  # attendance.min_days_per_month


# --- 会议记录 ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingLine:
    log_date: date
    kind: str  # codes.worklog_kind
    topic: str
    place: str | None
    host: str | None
    attendees_count: int | None
    attendees: str | None
    content: str | None


# --- 资金台账 ----------------------------------------------------------------------------------------------------------

FUND_DEFINITION = (
    "收入：项目资金为各资金来源的每笔到位资金（记在到位日期；未登记到位日期的记在项目开工日、计划开工日或项目年度1月1日），"
    "捐赠资金为收到的捐款；支出：项目到“竣工验收/报账”及以后环节时，其到位资金全部报账支出（记在完工日），"
    "捐赠资金为发放给农户或其他对象的现金；结余：按资金（来源）逐笔累计的收入减支出，期初结余为所属期间以前的累计。")


@dataclass(frozen=True)
class FundEntry:
    fund: str  # the fund's name: a funding source label, or 捐赠资金
    on: date | None  # None: the opening balance row (期初结余)
    summary: str  # 摘要
    income: Decimal
    expense: Decimal
    balance: Decimal  # running balance of the fund after this entry


@dataclass(frozen=True)
class FundBook:
    """Entries per fund in order, each fund opened by its 期初结余 when it had money before the period."""

    entries: tuple[FundEntry, ...]

    def funds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.fund for e in self.entries))


# --- 捐赠物资收发存 ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StockLine:
    """One kind of goods (name, spec, unit) over all donations: 期初 + 收入 − 发出 = 结存 (services.donations.stock)."""

    name: str
    spec: str | None
    unit: str | None
    donors: tuple[str, ...]
    opening: Decimal
    received: Decimal
    given: Decimal
    closing: Decimal
    value_received: Decimal  # 元, the value of what was received in the period


# --- 两不愁三保障核查台账 -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckLine:
    """The checks recorded on one visit: item (codes.guarantee_item) → secure, and the notes of insecure items."""

    visit_date: date
    number: str
    head_name: str
    group_name: str | None
    household_type: str
    monitoring_category: str | None
    cadres: tuple[str, ...]
    items: dict[str, bool]
    notes: dict[str, str]

    @property
    def all_secure(self) -> bool:
        return all(self.items.values())


# --- 项目资产台账 ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetLine:
    number: str | None
    name: str
    asset_type: str  # codes.asset_type
    category: str | None  # codes.project_category
    place: str | None
    value: Decimal  # 元: the project's total investment
    formed_on: date | None  # 竣工 (actual or planned end)
    status: str  # codes.project_status
    owner: str | None  # 确权 / 产权归属
    handover_date: date | None
    management: str | None  # 移交及管护 (handover note)
    benefit: str | None  # 联农带农机制 (收益分配)


# --- 公示 notices: only what a notice may show ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeMonitoredLine:
    group_name: str | None
    head_name: str
    people: int | None
    category: str | None  # codes.monitoring_category
    on: date | None  # 纳入 (identified) or 风险消除 (eliminated) date


@dataclass(frozen=True)
class NoticeDonationLine:
    received_on: date
    donor: str
    kind: str  # codes.donation_kind
    items: str  # 物资明细 (name, quantity, unit)
    amount: Decimal
    purpose: str | None
    given_households: int  # households that received from this donation
    given_amount: Decimal  # cash given out


@dataclass(frozen=True)
class NoticeProjectLine:
    number: str | None
    name: str
    category: str | None
    place: str | None
    content_scale: str | None
    total_investment: Decimal
    sources: tuple[tuple[str, Decimal], ...]  # (codes.funding_source, planned 元)
    implementing_unit: str | None
    planned_start: date | None
    planned_end: date | None
    beneficiary_households: int | None
    benefit_mechanism: str | None
    status: str
