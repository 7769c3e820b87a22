"""Queries for 防返贫监测: monitoring steps, measures, monitoring lines, the latest 两不愁三保障 checks and the
candidate lists of the risk prompts. Portable SQL (SQLite and PostgreSQL)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import (
    Cadre, Household, HouseholdIncome, Measure, Member, MonitoringLine, MonitoringStep, Visit, VisitCheck,
    VisitPurpose,
)


# --- steps ------------------------------------------------------------------------------------------------------


def steps_of(session: Session, household_id: str) -> list[MonitoringStep]:
    """Live steps of one household in the order they happened (date, then the order they were entered)."""
    stmt = (select(MonitoringStep)
            .where(MonitoringStep.household_id == household_id, MonitoringStep.deleted_at.is_(None))
            .order_by(MonitoringStep.step_date, MonitoringStep.created_at))
    return list(session.execute(stmt).scalars())


def steps_of_stages(session: Session, stages: tuple[str, ...]) -> list[MonitoringStep]:
    """Live steps of the given stages of live households, per household in order."""
    stmt = (select(MonitoringStep).join(Household, MonitoringStep.household_id == Household.id)
            .where(MonitoringStep.deleted_at.is_(None), Household.deleted_at.is_(None),
                   MonitoringStep.stage.in_(stages))
            .order_by(MonitoringStep.household_id, MonitoringStep.step_date, MonitoringStep.created_at))
    return list(session.execute(stmt).scalars())


def last_step_dates(session: Session, household_ids: list[str]) -> dict[str, date]:
    if not household_ids:
        return {}
    stmt = (select(MonitoringStep.household_id, func.max(MonitoringStep.step_date))
            .where(MonitoringStep.household_id.in_(household_ids), MonitoringStep.deleted_at.is_(None))
            .group_by(MonitoringStep.household_id))
    return {h: d for h, d in session.execute(stmt)}


def first_step_dates(session: Session, household_ids: list[str], stage: str) -> dict[str, date]:
    if not household_ids:
        return {}
    stmt = (select(MonitoringStep.household_id, func.min(MonitoringStep.step_date))
            .where(MonitoringStep.household_id.in_(household_ids), MonitoringStep.deleted_at.is_(None),
                   MonitoringStep.stage == stage)
            .group_by(MonitoringStep.household_id))
    return {h: d for h, d in session.execute(stmt)}


def households_with_steps(session: Session) -> set[str]:
    stmt = select(MonitoringStep.household_id).where(MonitoringStep.deleted_at.is_(None)).distinct()
    return {h for (h,) in session.execute(stmt)}


@dataclass(frozen=True)
class MonitoredQuery:
    stage: str | None = None  # a codes.monitoring_stage code
    status: str | None = None  # None: all in the lifecycle · "open": not eliminated · "eliminated"
    category: str | None = None
    text: str = ""
    village_id: str | None = None  # a township database: one village (None: all)


def monitored_households(session: Session, q: MonitoredQuery = MonitoredQuery()) -> list[Household]:
    """Households that are in (or went through) the monitoring lifecycle: a stage or a monitoring category."""
    cond: list[Any] = [Household.deleted_at.is_(None),
                       or_(Household.monitoring_stage.is_not(None), Household.monitoring_category.is_not(None))]
    if q.stage:
        cond.append(Household.monitoring_stage == q.stage)
    if q.status == "open":
        cond.append(Household.risk_eliminated.is_(False))
    elif q.status == "eliminated":
        cond.append(Household.risk_eliminated.is_(True))
    if q.category:
        cond.append(Household.monitoring_category == q.category)
    if q.village_id:
        cond.append(Household.village_id == q.village_id)
    if q.text.strip():
        t = q.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        cond.append(or_(Household.head_name.like(f"%{t}%", escape="\\"), Household.number.like(f"{t}%", escape="\\"),
                        Household.name_initials.like(f"{t.lower()}%", escape="\\")))
    stmt = select(Household).where(*cond).order_by(Household.risk_eliminated, Household.number)
    return list(session.execute(stmt).scalars())


def marked_monitored(session: Session) -> list[Household]:
    """Live households marked as 监测对象 in the registry (a monitoring category), whatever their steps."""
    stmt = select(Household).where(Household.deleted_at.is_(None), Household.monitoring_category.is_not(None))
    return list(session.execute(stmt).scalars())


# --- monitoring lines -------------------------------------------------------------------------------------------


def lines(session: Session, village_id: str | None = None) -> list[MonitoringLine]:
    stmt = (select(MonitoringLine).where(MonitoringLine.deleted_at.is_(None))
            .order_by(MonitoringLine.year.desc(), MonitoringLine.area))
    if village_id:
        stmt = stmt.where(MonitoringLine.village_id == village_id)
    return list(session.execute(stmt).scalars())


def line_row(session: Session, year: int, area: str = "") -> MonitoringLine | None:
    stmt = select(MonitoringLine).where(MonitoringLine.year == year, MonitoringLine.area == area)
    return session.execute(stmt.limit(1)).scalar_one_or_none()  # also a tombstoned row: it is revived


# --- incomes, members, checks -----------------------------------------------------------------------------------


def income_of(session: Session, household_id: str, year: int) -> HouseholdIncome | None:
    """The income of ``year`` or, when that year has none, of the latest earlier year."""
    stmt = (select(HouseholdIncome).where(HouseholdIncome.household_id == household_id,
                                          HouseholdIncome.deleted_at.is_(None), HouseholdIncome.year <= year)
            .order_by(HouseholdIncome.year.desc()).limit(1))
    return session.execute(stmt).scalar_one_or_none()


def latest_incomes(session: Session) -> list[tuple[HouseholdIncome, Household]]:
    """The latest yearly income of every live household that has one."""
    latest = (select(HouseholdIncome.household_id, func.max(HouseholdIncome.year).label("year"))
              .where(HouseholdIncome.deleted_at.is_(None)).group_by(HouseholdIncome.household_id).subquery())
    stmt = (select(HouseholdIncome, Household)
            .join(latest, and_(latest.c.household_id == HouseholdIncome.household_id,
                               latest.c.year == HouseholdIncome.year))
            .join(Household, Household.id == HouseholdIncome.household_id)
            .where(HouseholdIncome.deleted_at.is_(None), Household.deleted_at.is_(None)))
    return [(i, h) for i, h in session.execute(stmt).all()]


def members_of(session: Session, household_ids: list[str]) -> dict[str, list[Member]]:
    out: dict[str, list[Member]] = {}
    if not household_ids:
        return out
    for start in range(0, len(household_ids), 500):
        chunk = household_ids[start:start + 500]
        stmt = (select(Member).where(Member.household_id.in_(chunk), Member.deleted_at.is_(None))
                .order_by(Member.sort_order, Member.created_at))
        for m in session.execute(stmt).scalars():
            out.setdefault(m.household_id, []).append(m)
    return out


def latest_checks(session: Session, household_id: str, until: date) -> dict[str, tuple[VisitCheck, date]]:
    """The most recent check of each 两不愁三保障/饮水 item on the household's visits up to ``until``."""
    stmt = (select(VisitCheck, Visit.visit_date).join(Visit, VisitCheck.visit_id == Visit.id)
            .where(Visit.household_id == household_id, Visit.deleted_at.is_(None), VisitCheck.deleted_at.is_(None),
                   Visit.visit_date <= until)
            .order_by(Visit.visit_date, Visit.created_at))
    out: dict[str, tuple[VisitCheck, date]] = {}
    for check, when in session.execute(stmt).all():
        out[check.item] = (check, when)
    return out


def insecure_checks(session: Session, visit_id: str) -> list[VisitCheck]:
    stmt = select(VisitCheck).where(VisitCheck.visit_id == visit_id, VisitCheck.deleted_at.is_(None),
                                    VisitCheck.secure.is_(False))
    return list(session.execute(stmt).scalars())


# --- risk prompt candidates -------------------------------------------------------------------------------------


def illness_or_severe_disability(session: Session) -> list[tuple[str, str, str | None, str | None]]:
    """(household id, member name, health, disability level) of members with 大病 or 一/二级残疾."""
    stmt = (select(Member.household_id, Member.name, Member.health, Member.disability_level)
            .join(Household, Member.household_id == Household.id)
            .where(Member.deleted_at.is_(None), Household.deleted_at.is_(None),
                   or_(Member.health.like("%serious_illness%"),
                       and_(Member.health.like("%disabled%"), Member.disability_level.in_(("1", "2"))))))
    return list(session.execute(stmt).all())


def school_age_not_in_school(session: Session, born_after: date, born_on_or_before: date):
    """(household id, member name, birth date) of members of school age with no 在校生状况."""
    stmt = (select(Member.household_id, Member.name, Member.birth_date)
            .join(Household, Member.household_id == Household.id)
            .where(Member.deleted_at.is_(None), Household.deleted_at.is_(None),
                   Member.birth_date > born_after, Member.birth_date <= born_on_or_before,
                   or_(Member.schooling.is_(None), Member.schooling == "")))
    return list(session.execute(stmt).all())


def without_medical_insurance(session: Session):
    """(household id, member name) of members recorded as in neither 城乡居民 nor 职工 basic medical insurance
    (at least one of the two answered "no", none "yes"); members with both blank are unknown, not uninsured."""
    stmt = (select(Member.household_id, Member.name).join(Household, Member.household_id == Household.id)
            .where(Member.deleted_at.is_(None), Household.deleted_at.is_(None),
                   or_(Member.resident_medical.is_(None), Member.resident_medical.is_(False)),
                   or_(Member.employee_medical.is_(None), Member.employee_medical.is_(False)),
                   or_(Member.resident_medical.is_(False), Member.employee_medical.is_(False)))
            .order_by(Member.household_id, Member.sort_order, Member.created_at))
    return list(session.execute(stmt).all())


def recent_disaster_visits(session: Session, since: date):
    """(household id, visit date, findings) of 应急/灾情查看 visits since ``since``."""
    stmt = (select(Visit.household_id, Visit.visit_date, Visit.findings)
            .join(VisitPurpose, VisitPurpose.visit_id == Visit.id)
            .join(Household, Visit.household_id == Household.id)
            .where(Visit.deleted_at.is_(None), VisitPurpose.deleted_at.is_(None), Household.deleted_at.is_(None),
                   VisitPurpose.purpose == "emergency", Visit.visit_date >= since)
            .order_by(Visit.visit_date))
    return list(session.execute(stmt).all())


def households_by_ids(session: Session, ids: list[str]) -> dict[str, Household]:
    out: dict[str, Household] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        stmt = select(Household).where(Household.id.in_(chunk), Household.deleted_at.is_(None))
        out.update({h.id: h for h in session.execute(stmt).scalars()})
    return out


# --- measures ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureQuery:
    household_id: str | None = None
    category: str | None = None
    start: date | None = None
    end: date | None = None
    village_id: str | None = None  # a township database: one village (None: all)


def measure_rows(session: Session, q: MeasureQuery = MeasureQuery()) -> list[tuple[Measure, Household, str | None]]:
    cond: list[Any] = [Measure.deleted_at.is_(None), Household.deleted_at.is_(None)]
    if q.household_id:
        cond.append(Measure.household_id == q.household_id)
    if q.category:
        cond.append(Measure.category == q.category)
    if q.start:
        cond.append(Measure.measure_date >= q.start)
    if q.end:
        cond.append(Measure.measure_date <= q.end)
    if q.village_id:
        cond.append(Household.village_id == q.village_id)
    stmt = (select(Measure, Household, Cadre.name).join(Household, Measure.household_id == Household.id)
            .outerjoin(Cadre, Measure.responsible_id == Cadre.id).where(*cond)
            .order_by(Measure.measure_date.desc(), Measure.created_at.desc()))
    return [(m, h, n) for m, h, n in session.execute(stmt).all()]


def measure_dates(session: Session, household_ids: list[str], categories: frozenset[str]) -> dict[str, list[date]]:
    out: dict[str, list[date]] = {}
    if not household_ids:
        return out
    for start in range(0, len(household_ids), 500):
        chunk = household_ids[start:start + 500]
        stmt = select(Measure.household_id, Measure.measure_date).where(
            Measure.household_id.in_(chunk), Measure.deleted_at.is_(None), Measure.category.in_(categories))
        for hid, d in session.execute(stmt):
            out.setdefault(hid, []).append(d)
    return out
