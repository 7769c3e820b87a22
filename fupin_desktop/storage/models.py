"""ORM tables for every entity (DESIGN.md §3, domain.md).

Conventions: UUID text primary key ``id``; ``created_at``/``updated_at`` in UTC; ``deleted_at`` is a tombstone
(soft delete) so deletions travel in merged packages; ``created_by``/``updated_by`` hold the user id. Code-list
values are stored as the stable codes of ``domain/codes.py``. Money is ``Numeric(14, 2)`` ↔ ``Decimal`` (元).
Several code values in one column (risk types, causes) are stored comma separated in list order.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONEY = Numeric(14, 2, asdecimal=True)
QUANTITY = Numeric(14, 3, asdecimal=True)
NOCASE = "NOCASE"


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Tracked:
    """Columns every table carries (UUID key, timestamps, tombstone, authors)."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    created_by: Mapped[str | None] = mapped_column(String(36), default=None)
    updated_by: Mapped[str | None] = mapped_column(String(36), default=None)


def village_column() -> Mapped[str | None]:
    """The village a record belongs to, for tables that reach no village through a parent: a township database
    holds many villages (filled with the installation's village by the storage hook when a service leaves it empty).
    """
    return mapped_column(String(36), index=True, default=None)


def name_column(length: int = 64, **kw) -> Mapped[str]:
    # NOCASE so that LIKE 'x%' prefix searches can use the index in SQLite; PostgreSQL ignores the collation here.
    return mapped_column(String(length).with_variant(String(length, collation=NOCASE), "sqlite"), **kw)


# --- village, people, users -------------------------------------------------------------------------------------


class Village(Tracked, Base):
    __tablename__ = "village"
    name: Mapped[str] = mapped_column(String(64))
    division_code: Mapped[str] = mapped_column(String(12))
    division_year: Mapped[int | None] = mapped_column(Integer)
    province: Mapped[str | None] = mapped_column(String(32))
    city: Mapped[str | None] = mapped_column(String(32))
    county: Mapped[str | None] = mapped_column(String(32))
    township: Mapped[str | None] = mapped_column(String(32))
    dispatch_unit: Mapped[str | None] = mapped_column(String(128))  # 派出单位 of the work team
    address: Mapped[str | None] = mapped_column(String(256))
    note: Mapped[str | None] = mapped_column(Text)


class VillageProfile(Tracked, Base):
    """村情 of one year: the figures a plan or summary opens with."""

    __tablename__ = "village_profile"
    __table_args__ = (UniqueConstraint("village_id", "year"),)
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"))
    year: Mapped[int] = mapped_column(Integer)
    households: Mapped[int | None] = mapped_column(Integer)
    population: Mapped[int | None] = mapped_column(Integer)
    agricultural_population: Mapped[int | None] = mapped_column(Integer)
    groups: Mapped[int | None] = mapped_column(Integer)  # 村民小组数
    farmland_mu: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    forest_mu: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    party_members: Mapped[int | None] = mapped_column(Integer)
    committee_members: Mapped[str | None] = mapped_column(Text)  # 两委 members, one per line
    per_capita_income: Mapped[Decimal | None] = mapped_column(MONEY)
    collective_income: Mapped[Decimal | None] = mapped_column(MONEY)
    note: Mapped[str | None] = mapped_column(Text)


class Cadre(Tracked, Base):
    """A person of the work team or a paired helper (帮扶责任人)."""

    __tablename__ = "cadre"
    village_id: Mapped[str | None] = mapped_column(ForeignKey("village.id"))
    name: Mapped[str] = name_column(index=True)
    sex: Mapped[str | None] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(String(32))
    unit: Mapped[str | None] = mapped_column(String(128))  # 派出单位 / 工作单位
    position: Mapped[str | None] = mapped_column(String(64))  # 职务
    role: Mapped[str] = mapped_column(String(24), default="member")  # codes.cadre_role
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    in_team: Mapped[bool] = mapped_column(Boolean, default=True)  # 驻村工作队 member (attendance applies)


class User(Tracked, Base):
    __tablename__ = "app_user"
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="member")  # codes.role
    cadre_id: Mapped[str | None] = mapped_column(ForeignKey("cadre.id"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    wrapped_key: Mapped[str | None] = mapped_column(Text)  # database key wrapped with this user's password
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


# --- households -------------------------------------------------------------------------------------------------


class Household(Tracked, Base):
    __tablename__ = "household"
    __table_args__ = (
        Index("ix_household_head_name", "head_name", "address", "id"),  # covering: search by part of a name
        Index("ix_household_name_initials", "name_initials"),
        Index("ix_household_name_pinyin", "name_pinyin"),
        Index("ix_household_number", "number"),
        Index("ix_household_head_id_number", "head_id_number"),
        Index("ix_household_group", "group_name", "deleted_at"),  # covering: live count, group list and filter
    )
    village_id: Mapped[str] = mapped_column(ForeignKey("village.id"))
    number: Mapped[str] = mapped_column(String(32))  # 户编号: opaque text, never recomputed
    number_from_platform: Mapped[bool] = mapped_column(Boolean, default=False)
    group_name: Mapped[str | None] = mapped_column(String(32))  # 村民小组
    natural_village: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(256))
    head_name: Mapped[str] = name_column()
    name_pinyin: Mapped[str] = name_column(128, default="")
    name_initials: Mapped[str] = name_column(32, default="")
    head_id_number: Mapped[str | None] = mapped_column(String(22))
    phone: Mapped[str | None] = mapped_column(String(32))
    household_type: Mapped[str] = mapped_column(String(24), default="ordinary")  # codes.household_type
    monitoring_category: Mapped[str | None] = mapped_column(String(16))  # codes.monitoring_category
    monitoring_stage: Mapped[str | None] = mapped_column(String(24))  # codes.monitoring_stage (latest step)
    identified_on: Mapped[date | None] = mapped_column(Date)  # 识别监测时间 (first of month)
    risk_eliminated: Mapped[bool] = mapped_column(Boolean, default=False)
    elimination_way: Mapped[str | None] = mapped_column(String(16))
    eliminated_on: Mapped[date | None] = mapped_column(Date)
    risk_types: Mapped[str] = mapped_column(String(255), default="")  # comma separated codes.risk_type, ≤ 5
    poverty_causes: Mapped[str] = mapped_column(String(255), default="")  # main cause first
    is_martyr_family: Mapped[bool] = mapped_column(Boolean, default=False)
    no_labour_safety_net: Mapped[bool] = mapped_column(Boolean, default=False)
    relocation_address: Mapped[str | None] = mapped_column(String(256))
    long_absent: Mapped[bool] = mapped_column(Boolean, default=False)  # 长期不在村
    farmland_mu: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    forest_mu: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    housing_area: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    housing_grade: Mapped[str | None] = mapped_column(String(4))
    drinking_water: Mapped[str | None] = mapped_column(String(64))
    toilet: Mapped[str | None] = mapped_column(String(64))
    bank_account: Mapped[str | None] = mapped_column(String(32))
    member_count: Mapped[int] = mapped_column(Integer, default=0)  # kept by the service, for fast lists
    last_visit_on: Mapped[date | None] = mapped_column(Date, index=True)  # kept by the visits service
    open_problems: Mapped[int] = mapped_column(Integer, default=0)  # kept by the problems service
    note: Mapped[str | None] = mapped_column(Text)

    members: Mapped[list["Member"]] = relationship(back_populates="household", order_by="Member.sort_order")


class Member(Tracked, Base):
    __tablename__ = "member"
    __table_args__ = (
        Index("ix_member_name", "name", "deleted_at", "household_id"),  # covering: search by part of a name
        Index("ix_member_name_initials", "name_initials"),
        Index("ix_member_name_pinyin", "name_pinyin"),
        Index("ix_member_id_number", "id_number"),
    )
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    person_number: Mapped[str | None] = mapped_column(String(32))  # 人口编号
    name: Mapped[str] = name_column()
    name_pinyin: Mapped[str] = name_column(128, default="")
    name_initials: Mapped[str] = name_column(32, default="")
    sex: Mapped[str | None] = mapped_column(String(8))
    birth_date: Mapped[date | None] = mapped_column(Date)
    id_type: Mapped[str] = mapped_column(String(16), default="resident_id")  # codes.id_type
    id_number: Mapped[str | None] = mapped_column(String(22))
    ethnicity: Mapped[str | None] = mapped_column(String(16))
    political_status: Mapped[str | None] = mapped_column(String(16))
    relation: Mapped[str] = mapped_column(String(24), default="other")
    education: Mapped[str | None] = mapped_column(String(24))
    schooling: Mapped[str | None] = mapped_column(String(24))
    dropout_reason: Mapped[str | None] = mapped_column(String(64))
    health: Mapped[str | None] = mapped_column(String(64))  # comma separated codes.health
    disability_category: Mapped[str | None] = mapped_column(String(4))
    disability_level: Mapped[str | None] = mapped_column(String(4))
    labour_skill: Mapped[str | None] = mapped_column(String(16))
    work_place: Mapped[str | None] = mapped_column(String(128))
    work_months: Mapped[int | None] = mapped_column(Integer)
    work_company: Mapped[str | None] = mapped_column(String(128))
    public_job: Mapped[str | None] = mapped_column(String(64))
    public_job_months: Mapped[int | None] = mapped_column(Integer)
    phone: Mapped[str | None] = mapped_column(String(32))
    dibao: Mapped[bool] = mapped_column(Boolean, default=False)
    tekun: Mapped[bool] = mapped_column(Boolean, default=False)
    resident_medical: Mapped[bool | None] = mapped_column(Boolean)
    employee_medical: Mapped[bool | None] = mapped_column(Boolean)
    critical_illness_insurance: Mapped[bool | None] = mapped_column(Boolean)
    resident_pension: Mapped[bool | None] = mapped_column(Boolean)
    employee_pension: Mapped[bool | None] = mapped_column(Boolean)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)

    household: Mapped[Household] = relationship(back_populates="members")


class HouseholdIncome(Tracked, Base):
    """收支情况 of one household in one year (元)."""

    __tablename__ = "household_income"
    __table_args__ = (UniqueConstraint("household_id", "year"),)
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    wages: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    business: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    property_income: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    transfer: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    production_cost: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    insurance_payout: Mapped[Decimal | None] = mapped_column(MONEY)
    out_of_pocket_medical: Mapped[Decimal | None] = mapped_column(MONEY)
    size: Mapped[int | None] = mapped_column(Integer)  # 家庭人口 used for per-capita (defaults to members)
    note: Mapped[str | None] = mapped_column(Text)


class Pairing(Tracked, Base):
    """帮扶责任人 ↔ 户, with dates."""

    __tablename__ = "pairing"
    cadre_id: Mapped[str] = mapped_column(ForeignKey("cadre.id"), index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


# --- visits and problems ----------------------------------------------------------------------------------------


class Visit(Tracked, Base):
    __tablename__ = "visit"
    __table_args__ = (Index("ix_visit_household_date", "household_id", "visit_date"),)
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"))
    visit_date: Mapped[date] = mapped_column(Date, index=True)
    method: Mapped[str] = mapped_column(String(16), default="in_person")
    present: Mapped[bool] = mapped_column(Boolean, default=True)  # was the household met (not 长期不在村)
    people_present: Mapped[str | None] = mapped_column(String(128))
    findings: Mapped[str | None] = mapped_column(Text)  # 家庭变化, what was found
    actions: Mapped[str | None] = mapped_column(Text)  # 处理措施
    satisfaction: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class VisitCadre(Tracked, Base):
    __tablename__ = "visit_cadre"
    __table_args__ = (UniqueConstraint("visit_id", "cadre_id"),)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    cadre_id: Mapped[str] = mapped_column(ForeignKey("cadre.id"), index=True)


class VisitPurpose(Tracked, Base):
    __tablename__ = "visit_purpose"
    __table_args__ = (UniqueConstraint("visit_id", "purpose"),)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(24))


class VisitCheck(Tracked, Base):
    """两不愁三保障 + 饮水 item checked on a visit."""

    __tablename__ = "visit_check"
    __table_args__ = (UniqueConstraint("visit_id", "item"),)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    item: Mapped[str] = mapped_column(String(16))  # codes.guarantee_item
    secure: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)


class DiaryEntry(Tracked, Base):
    """民情日记: one entry per day per author."""

    __tablename__ = "diary_entry"
    __table_args__ = (Index("ix_diary_entry_author_date", "author_id", "entry_date"),)
    village_id: Mapped[str | None] = village_column()
    author_id: Mapped[str] = mapped_column(ForeignKey("cadre.id"))
    entry_date: Mapped[date] = mapped_column(Date, index=True)
    weather: Mapped[str | None] = mapped_column(String(16))
    place: Mapped[str | None] = mapped_column(String(128))
    people_met: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(128))
    content: Mapped[str] = mapped_column(Text, default="")  # what was learned
    problems_found: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)


class DiaryHousehold(Tracked, Base):
    __tablename__ = "diary_household"
    __table_args__ = (UniqueConstraint("diary_id", "household_id"),)
    diary_id: Mapped[str] = mapped_column(ForeignKey("diary_entry.id"), index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)


class Problem(Tracked, Base):
    """群众诉求/问题, followed until it is ticked off (销号)."""

    __tablename__ = "problem"
    __table_args__ = (Index("ix_problem_status_due", "status", "due_date"),)
    village_id: Mapped[str | None] = village_column()
    household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"), index=True)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visit.id"), index=True)
    diary_id: Mapped[str | None] = mapped_column(ForeignKey("diary_entry.id"))
    source: Mapped[str] = mapped_column(String(16), default="visit")  # codes.problem_source
    category: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    raised_on: Mapped[date] = mapped_column(Date, index=True)
    responsible_id: Mapped[str | None] = mapped_column(ForeignKey("cadre.id"), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # codes.problem_status
    resolution: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None] = mapped_column(Date)
    revisited_on: Mapped[date | None] = mapped_column(Date)
    satisfaction: Mapped[str | None] = mapped_column(String(16))


class ProblemEvent(Tracked, Base):
    """A step of a problem's workflow, with its note."""

    __tablename__ = "problem_event"
    problem_id: Mapped[str] = mapped_column(ForeignKey("problem.id"), index=True)
    event_date: Mapped[date] = mapped_column(Date)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


# --- work log, attendance ---------------------------------------------------------------------------------------


class WorkLog(Tracked, Base):
    """会议/党课/培训/座谈… of the team."""

    __tablename__ = "work_log"
    village_id: Mapped[str | None] = village_column()
    log_date: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(24))  # codes.worklog_kind
    topic: Mapped[str] = mapped_column(String(255))
    place: Mapped[str | None] = mapped_column(String(128))
    host: Mapped[str | None] = mapped_column(String(64))
    attendees_count: Mapped[int | None] = mapped_column(Integer)
    attendees: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str | None] = mapped_column(Text)


class Attendance(Tracked, Base):
    """驻村考勤: one row per cadre per day."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("cadre_id", "day"),)
    cadre_id: Mapped[str] = mapped_column(ForeignKey("cadre.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16))  # codes.attendance_status
    note: Mapped[str | None] = mapped_column(String(255))


class CadreTarget(Tracked, Base):
    """A cadre's target of one metric for a year (驻村天数, 走访户数, 民情日记天数, 破解难题件数, 意见建议条数: codes
    ``target_metric``). The id is derived from (cadre, year, metric), so two laptops setting the same target make the
    same record and their 同步包 merge it field by field instead of doubling it."""

    __tablename__ = "cadre_target"
    __table_args__ = (UniqueConstraint("cadre_id", "year", "metric"),)
    village_id: Mapped[str | None] = village_column()
    cadre_id: Mapped[str] = mapped_column(ForeignKey("cadre.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    metric: Mapped[str] = mapped_column(String(24))
    value: Mapped[int] = mapped_column(Integer, default=0)


class Suggestion(Tracked, Base):
    """意见建议: a suggestion a cadre made (to whom or which body), adopted or not."""

    __tablename__ = "suggestion"
    village_id: Mapped[str | None] = village_column()
    made_on: Mapped[date] = mapped_column(Date, index=True)
    cadre_id: Mapped[str] = mapped_column(ForeignKey("cadre.id"), index=True)
    addressee: Mapped[str] = mapped_column(String(128))  # 向谁/哪个单位提出
    content: Mapped[str] = mapped_column(Text)
    adopted: Mapped[bool] = mapped_column(Boolean, default=False)
    adopted_note: Mapped[str | None] = mapped_column(Text)  # 采纳情况


# --- projects ---------------------------------------------------------------------------------------------------


class Project(Tracked, Base):
    __tablename__ = "project"
    village_id: Mapped[str | None] = village_column()
    number: Mapped[str | None] = mapped_column(String(32), index=True)  # 项目编号
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    name: Mapped[str] = name_column(255)
    category: Mapped[str | None] = mapped_column(String(32))
    subcategory: Mapped[str | None] = mapped_column(String(64))
    nature: Mapped[str | None] = mapped_column(String(16))
    action_type: Mapped[str] = mapped_column(String(16), default="required")  # 规定动作/自选动作
    place: Mapped[str | None] = mapped_column(String(128))
    content_scale: Mapped[str | None] = mapped_column(Text)
    implementing_unit: Mapped[str | None] = mapped_column(String(128))
    supervising_dept: Mapped[str | None] = mapped_column(String(128))
    responsible: Mapped[str | None] = mapped_column(String(64))
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    actual_start: Mapped[date | None] = mapped_column(Date)
    actual_end: Mapped[date | None] = mapped_column(Date)
    total_investment: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(24), default="planning")
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    beneficiary_households: Mapped[int | None] = mapped_column(Integer)
    beneficiary_people: Mapped[int | None] = mapped_column(Integer)
    beneficiary_poor_households: Mapped[int | None] = mapped_column(Integer)
    beneficiary_monitored_households: Mapped[int | None] = mapped_column(Integer)
    benefit_mechanism: Mapped[str | None] = mapped_column(Text)  # 联农带农机制
    performance_target: Mapped[str | None] = mapped_column(Text)
    asset_type: Mapped[str | None] = mapped_column(String(16))
    asset_owner: Mapped[str | None] = mapped_column(String(128))
    handover_date: Mapped[date | None] = mapped_column(Date)
    handover_note: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class FundingLine(Tracked, Base):
    __tablename__ = "funding_line"
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), index=True)
    source: Mapped[str] = mapped_column(String(24))  # codes.funding_source
    planned_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    received_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    note: Mapped[str | None] = mapped_column(String(255))


class FundingReceipt(Tracked, Base):
    """One arrival of money on a funding line (资金到位), dated so that it belongs to a period (结账).

    The line's ``received_amount`` stays the total (the sum of its receipts, kept by the projects service). A
    correction is a receipt of its own (negative amount) dated when it is made. ``received_on`` is empty for the
    amounts recorded before receipts were dated (schema 0006): when they arrived is not known, so no period holds
    them."""
    __tablename__ = "funding_receipt"
    funding_line_id: Mapped[str] = mapped_column(ForeignKey("funding_line.id"), index=True)
    received_on: Mapped[date | None] = mapped_column(Date, index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    note: Mapped[str | None] = mapped_column(String(255))


class ProjectEvent(Tracked, Base):
    __tablename__ = "project_event"
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), index=True)
    event_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # status / progress / note
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str | None] = mapped_column(String(24))
    percent: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class ProjectBeneficiary(Tracked, Base):
    __tablename__ = "project_beneficiary"
    __table_args__ = (UniqueConstraint("project_id", "household_id"),)
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)


# --- donations, condolences, consumption support ----------------------------------------------------------------


class Donor(Tracked, Base):
    __tablename__ = "donor"
    village_id: Mapped[str | None] = village_column()
    name: Mapped[str] = name_column(128, index=True)
    kind: Mapped[str] = mapped_column(String(16), default="unit")  # codes.donor_kind
    contact: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)


class Donation(Tracked, Base):
    __tablename__ = "donation"
    village_id: Mapped[str | None] = village_column()
    donor_id: Mapped[str] = mapped_column(ForeignKey("donor.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(8))  # cash / goods
    amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))  # cash, or total value of goods
    purpose: Mapped[str | None] = mapped_column(String(255))
    designated_target: Mapped[str | None] = mapped_column(String(255))
    handler: Mapped[str | None] = mapped_column(String(64))  # 经办人
    receipt_number: Mapped[str | None] = mapped_column(String(64))
    is_condolence: Mapped[bool] = mapped_column(Boolean, default=False)  # 慰问 recorded in one step
    note: Mapped[str | None] = mapped_column(Text)


class DonationItem(Tracked, Base):
    __tablename__ = "donation_item"
    donation_id: Mapped[str] = mapped_column(ForeignKey("donation.id"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    spec: Mapped[str | None] = mapped_column(String(128))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal("0"))
    unit: Mapped[str | None] = mapped_column(String(16))
    unit_price: Mapped[Decimal | None] = mapped_column(MONEY)
    amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))


class Distribution(Tracked, Base):
    """发放: an item (or cash when ``item_id`` is empty) given to a household or another target, with 签收."""

    __tablename__ = "distribution"
    donation_id: Mapped[str] = mapped_column(ForeignKey("donation.id"), index=True)
    item_id: Mapped[str | None] = mapped_column(ForeignKey("donation_item.id"), index=True)
    target_kind: Mapped[str] = mapped_column(String(16), default="household")
    household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"), index=True)
    target_name: Mapped[str | None] = mapped_column(String(128))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal("0"))
    amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    distributed_on: Mapped[date] = mapped_column(Date, index=True)
    handler: Mapped[str | None] = mapped_column(String(64))  # 发放人
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_by: Mapped[str | None] = mapped_column(String(64))
    proxy_note: Mapped[str | None] = mapped_column(String(255))  # 代领说明
    note: Mapped[str | None] = mapped_column(Text)


class Purchase(Tracked, Base):
    """消费帮扶: a purchase of farm products."""

    __tablename__ = "purchase"
    village_id: Mapped[str | None] = village_column()
    purchase_date: Mapped[date] = mapped_column(Date, index=True)
    buyer_unit: Mapped[str] = mapped_column(String(128))
    product: Mapped[str] = mapped_column(String(128))
    supplier: Mapped[str | None] = mapped_column(String(128))  # 供应主体 (household, cooperative, enterprise)
    origin: Mapped[str | None] = mapped_column(String(128))
    quantity: Mapped[Decimal | None] = mapped_column(QUANTITY)
    unit: Mapped[str | None] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    channel: Mapped[str] = mapped_column(String(16), default="direct")
    households_benefiting: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class PurchaseHousehold(Tracked, Base):
    __tablename__ = "purchase_household"
    __table_args__ = (UniqueConstraint("purchase_id", "household_id"),)
    purchase_id: Mapped[str] = mapped_column(ForeignKey("purchase.id"), index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)


# --- monitoring (防返贫监测) ---------------------------------------------------------------------------------------


class MonitoringStep(Tracked, Base):
    """A dated step of a household's monitoring lifecycle (codes.monitoring_stage)."""

    __tablename__ = "monitoring_step"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    stage: Mapped[str] = mapped_column(String(24))
    step_date: Mapped[date] = mapped_column(Date)
    actor: Mapped[str | None] = mapped_column(String(64))  # who did it (person or body)
    source: Mapped[str | None] = mapped_column(String(24))  # for clues: codes.clue_source
    category: Mapped[str | None] = mapped_column(String(16))  # for identification: codes.monitoring_category
    risk_types: Mapped[str | None] = mapped_column(String(255))
    elimination_way: Mapped[str | None] = mapped_column(String(16))
    people: Mapped[int | None] = mapped_column(Integer)  # people covered at this step
    note: Mapped[str | None] = mapped_column(Text)


class Measure(Tracked, Base):
    """帮扶措施 given to a household."""

    __tablename__ = "measure"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    category: Mapped[str] = mapped_column(String(24))  # codes.measure_category
    measure_date: Mapped[date] = mapped_column(Date, index=True)
    content: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    responsible_id: Mapped[str | None] = mapped_column(ForeignKey("cadre.id"))
    result: Mapped[str | None] = mapped_column(Text)


class MonitoringLine(Tracked, Base):
    """监测范围 (income line per person per year) of a year and area."""

    __tablename__ = "monitoring_line"
    # The village is part of the rule: every village of a township has its own line of the year (area "").
    __table_args__ = (UniqueConstraint("village_id", "year", "area"),)
    village_id: Mapped[str | None] = village_column()
    year: Mapped[int] = mapped_column(Integer)
    area: Mapped[str] = mapped_column(String(64), default="")  # "" = this village's county
    amount: Mapped[Decimal] = mapped_column(MONEY)


# --- files, settings, code lists, audit -------------------------------------------------------------------------


class Attachment(Tracked, Base):
    """A photo or scan, stored under the data folder by its SHA-256 (the same file is kept once)."""

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner", "owner_type", "owner_id"),)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer, default=0)
    owner_type: Mapped[str] = mapped_column(String(32))  # table name of the owner
    owner_id: Mapped[str] = mapped_column(String(36))
    caption: Mapped[str | None] = mapped_column(String(255))


class SettingValue(Tracked, Base):
    """A village-scope setting (declared in settings.py)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), unique=True)
    value: Mapped[str] = mapped_column(Text)


class CodeExtension(Tracked, Base):
    """A local item added by an administrator to a code list of domain/codes.py."""

    __tablename__ = "code_extension"
    __table_args__ = (UniqueConstraint("village_id", "list_name", "code"),)
    village_id: Mapped[str | None] = village_column()
    list_name: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(64))


class PeriodClose(Tracked, Base):
    """结账: a month, quarter, half-year or year of a village closed (records dated inside it are read-only until an
    administrator reopens it with a reason). A reopened closure keeps its row (``reopened_*`` filled); closing the
    period again reuses the row. ``snapshot``: JSON {ledger kind: sha256 of its rows as printed at closing}."""

    __tablename__ = "period_close"
    village_id: Mapped[str | None] = village_column()
    kind: Mapped[str] = mapped_column(String(8))  # month / quarter / half / year
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer, default=1)  # month 1–12, quarter 1–4, half 1–2, year 1
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime] = mapped_column(DateTime)
    closed_by: Mapped[str] = mapped_column(String(64))  # the user's name, as the refusal names it
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime)
    reopened_by: Mapped[str | None] = mapped_column(String(64))
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[str | None] = mapped_column(Text)


class AuditEntry(Base):
    """Who did what when. Append-only and hash-chained: each row's hash covers the previous row's hash."""

    __tablename__ = "audit_entry"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[str | None] = mapped_column(String(36))
    user_name: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(24))  # insert/update/delete/login/login_failed/export/view_full…
    entity: Mapped[str | None] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(36), index=True)
    changes: Mapped[str | None] = mapped_column(Text)  # JSON {field: [old, new]}
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class SyncState(Base):
    """What this database has seen of each installation (a version vector): ``seen_hlc`` is the highest clock of
    that installation's edits merged here, directly or through another laptop's package (packages carry the whole
    state, so having seen an installation's clock h means having seen all its edits up to h)."""

    __tablename__ = "sync_state"
    source_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # installation id
    last_merged_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)  # the installation's village, as its last package named it
    seen_hlc: Mapped[int] = mapped_column(BigInteger, default=0)


class Installation(Base):
    """This copy of the program's data (one row): its id in field versions and packages, its village, and the
    state of its hybrid logical clock (``hlc`` = physical milliseconds << 16 | counter)."""

    __tablename__ = "installation"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    village_id: Mapped[str | None] = mapped_column(String(36))
    hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    # Ed25519 private key (base64 of the 32-byte seed) signing this installation's packages. It lives inside the
    # database, which is the encrypted store (SQLCipher) once an administrator exists: never in a file beside it.
    signing_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FieldVersion(Base):
    """The version of one field of one synced record: who wrote the value, on which installation, at which
    hybrid-logical-clock time. Missing = the value predates versions (clock 0: any edit wins over it)."""

    __tablename__ = "field_version"
    tbl: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    hlc: Mapped[int] = mapped_column(BigInteger)
    origin: Mapped[str] = mapped_column(String(36))  # installation id (tie-break for equal clocks)
    author: Mapped[str | None] = mapped_column(String(64))  # the user's display name, shown with conflicts


class SyncConflict(Base):
    """The same field changed on two laptops before they met (or an edit against a deletion). The winner by clock
    is already applied everywhere; a person confirms it or chooses the other value (a new edit that travels).
    The id is derived from the two versions, so the same conflict found on several copies is one row."""

    __tablename__ = "sync_conflict"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tbl: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default="field")  # field / delete (edit against a deletion)
    winner_value: Mapped[str | None] = mapped_column(Text)  # JSON of the plain value
    winner_hlc: Mapped[int] = mapped_column(BigInteger)
    winner_origin: Mapped[str] = mapped_column(String(36))
    winner_author: Mapped[str | None] = mapped_column(String(64))
    loser_value: Mapped[str | None] = mapped_column(Text)
    loser_hlc: Mapped[int] = mapped_column(BigInteger)
    loser_origin: Mapped[str] = mapped_column(String(36))
    loser_author: Mapped[str | None] = mapped_column(String(64))
    detected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(64))


class SenderKey(Base):
    """A sender's public signing key, pinned on the first merge of its packages (trust on first use)."""

    __tablename__ = "sender_key"
    installation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))  # Ed25519, base64 of the 32 raw bytes
    fingerprint: Mapped[str] = mapped_column(String(64))
    village: Mapped[str | None] = mapped_column(String(64))
    pinned_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# Tables whose rows carry user data (used by merges, exports and counts).
TRACKED_TABLES = tuple(
    m.class_ for m in Base.registry.mappers if issubclass(m.class_, Tracked)
)
