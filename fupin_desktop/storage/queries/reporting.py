"""Queries for printed ledgers and the work summary: plain rows and counts for a period, read straight from the
tables (live rows only). Periods are inclusive ``[start, end]`` dates."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import (
    Attachment, Attendance, Cadre, DiaryEntry, DiaryHousehold, Distribution, Donation, DonationItem, Donor,
    FundingLine, Household, HouseholdIncome, Measure, Member, Pairing, Problem, Project, ProjectBeneficiary, Purchase,
    Visit, VisitCadre, Village, WorkLog,
)


@dataclass(frozen=True)
class Scope:
    start: date
    end: date
    group_name: str | None = None  # 村民小组
    cadre_id: str | None = None
    village_id: str | None = None  # one village of a township database (None: the data folder's records)


def village(session: Session, village_id: str | None = None) -> Village | None:
    if village_id:
        return session.get(Village, village_id)
    return session.execute(select(Village).where(Village.deleted_at.is_(None)).order_by(Village.created_at)
                           .limit(1)).scalar_one_or_none()


def villages(session: Session) -> list[Village]:
    """Every village of the database (a township database holds many), by 区划代码."""
    return list(session.execute(select(Village).where(Village.deleted_at.is_(None))
                                .order_by(Village.division_code, Village.name)).scalars())


def _in_village(cond: list[Any], scope: Scope, column) -> None:
    if scope.village_id:
        cond.append(column == scope.village_id)


def cadre_name(session: Session, cadre_id: str | None) -> str | None:
    if not cadre_id:
        return None
    c = session.get(Cadre, cadre_id)
    return c.name if c is not None else None


def _group(cond: list[Any], scope: Scope) -> None:
    _in_village(cond, scope, Household.village_id)
    if scope.group_name:
        cond.append(Household.group_name == scope.group_name)


def _paired_with(cadre_id: str, on: date | None = None):
    cond = [Pairing.household_id == Household.id, Pairing.cadre_id == cadre_id, Pairing.deleted_at.is_(None)]
    return exists().where(and_(*cond))


# --- households, pairings ------------------------------------------------------------------------------------------


def households(session: Session, scope: Scope) -> list[Household]:
    cond: list[Any] = [Household.deleted_at.is_(None)]
    _group(cond, scope)
    if scope.cadre_id:
        cond.append(_paired_with(scope.cadre_id))
    stmt = select(Household).where(*cond).order_by(Household.group_name, Household.number)
    return list(session.execute(stmt).scalars())


def pairings(session: Session, scope: Scope) -> list[tuple[Pairing, Cadre, Household]]:
    cond: list[Any] = [Pairing.deleted_at.is_(None), Household.deleted_at.is_(None), Cadre.deleted_at.is_(None),
                       Pairing.start_date <= scope.end,
                       or_(Pairing.end_date.is_(None), Pairing.end_date >= scope.start)]
    _group(cond, scope)
    if scope.cadre_id:
        cond.append(Pairing.cadre_id == scope.cadre_id)
    stmt = (select(Pairing, Cadre, Household).join(Cadre, Pairing.cadre_id == Cadre.id)
            .join(Household, Pairing.household_id == Household.id).where(*cond)
            .order_by(Cadre.name, Household.number))
    return [tuple(r) for r in session.execute(stmt).all()]


def paired_visit_counts(session: Session, pairing_ids: list[str], start: date, end: date) -> dict[str, int]:
    """pairing id → visits in [start, end] to its household by its own cadre while the pairing ran."""
    if not pairing_ids:
        return {}
    stmt = (select(Pairing.id, func.count(distinct(Visit.id)))
            .join(Visit, Visit.household_id == Pairing.household_id)
            .join(VisitCadre, and_(VisitCadre.visit_id == Visit.id, VisitCadre.cadre_id == Pairing.cadre_id,
                                   VisitCadre.deleted_at.is_(None)))
            .where(Pairing.id.in_(pairing_ids), Visit.deleted_at.is_(None), Visit.visit_date >= start,
                   Visit.visit_date <= end, Visit.visit_date >= Pairing.start_date,
                   or_(Pairing.end_date.is_(None), Visit.visit_date <= Pairing.end_date))
            .group_by(Pairing.id))
    return {pid: n for pid, n in session.execute(stmt)}


# --- visits --------------------------------------------------------------------------------------------------------


def _visit_cond(scope: Scope) -> list[Any]:
    cond: list[Any] = [Visit.deleted_at.is_(None), Visit.visit_date >= scope.start, Visit.visit_date <= scope.end]
    _group(cond, scope)
    if scope.cadre_id:
        cond.append(exists().where(and_(VisitCadre.visit_id == Visit.id, VisitCadre.cadre_id == scope.cadre_id,
                                        VisitCadre.deleted_at.is_(None))))
    return cond


def count_visits(session: Session, scope: Scope) -> int:
    stmt = select(func.count()).select_from(Visit).join(Household, Visit.household_id == Household.id)
    return session.execute(stmt.where(*_visit_cond(scope))).scalar_one()


def visits(session: Session, scope: Scope, offset: int = 0, limit: int = 2000) -> list[tuple[Visit, Household]]:
    stmt = (select(Visit, Household).join(Household, Visit.household_id == Household.id)
            .where(*_visit_cond(scope)).order_by(Visit.visit_date, Household.number, Visit.id)
            .offset(offset).limit(limit))
    return [tuple(r) for r in session.execute(stmt).all()]


def visit_cadre_names(session: Session, visit_ids: list[str]) -> dict[str, list[str]]:
    """Names of the cadres of each visit (the registry's query, names only)."""
    from fupin_desktop.storage.queries.visits import cadres_of_visits

    return {vid: [name for _, name in pairs] for vid, pairs in cadres_of_visits(session, visit_ids).items()}


def visited_household_ids(session: Session, scope: Scope, present_only: bool = False) -> set[str]:
    cond = _visit_cond(scope)
    if present_only:
        cond.append(Visit.present.is_(True))
    stmt = select(Visit.household_id).distinct().join(Household, Visit.household_id == Household.id).where(*cond)
    return set(session.execute(stmt).scalars())


# --- problems ------------------------------------------------------------------------------------------------------


def problems(session: Session, scope: Scope) -> list[tuple[Problem, str | None, str | None, str | None]]:
    """Problems raised in the period or still open at its start: (problem, head name, number, responsible)."""
    cond: list[Any] = [Problem.deleted_at.is_(None), Problem.raised_on <= scope.end,
                       or_(Problem.raised_on >= scope.start, Problem.closed_on.is_(None),
                           Problem.closed_on >= scope.start)]
    _in_village(cond, scope, Problem.village_id)
    if scope.group_name:
        cond.append(Household.group_name == scope.group_name)
    if scope.cadre_id:
        cond.append(Problem.responsible_id == scope.cadre_id)
    stmt = (select(Problem, Household.head_name, Household.number, Cadre.name)
            .outerjoin(Household, Problem.household_id == Household.id)
            .outerjoin(Cadre, Problem.responsible_id == Cadre.id)
            .where(*cond).order_by(Problem.raised_on, Problem.created_at, Problem.id))
    return [tuple(r) for r in session.execute(stmt).all()]


# --- diary, work log, attendance --------------------------------------------------------------------------------------


def diary_entries(session: Session, scope: Scope) -> list[tuple[DiaryEntry, str]]:
    cond: list[Any] = [DiaryEntry.deleted_at.is_(None), DiaryEntry.entry_date >= scope.start,
                       DiaryEntry.entry_date <= scope.end]
    if scope.cadre_id:
        cond.append(DiaryEntry.author_id == scope.cadre_id)
    _in_village(cond, scope, DiaryEntry.village_id)
    stmt = (select(DiaryEntry, Cadre.name).join(Cadre, DiaryEntry.author_id == Cadre.id).where(*cond)
            .order_by(DiaryEntry.entry_date, Cadre.name, DiaryEntry.created_at, DiaryEntry.id))
    return [tuple(r) for r in session.execute(stmt).all()]


def diary_households(session: Session, diary_ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if not diary_ids:
        return out
    stmt = (select(DiaryHousehold.diary_id, Household.head_name)
            .join(Household, DiaryHousehold.household_id == Household.id)
            .where(DiaryHousehold.diary_id.in_(diary_ids), DiaryHousehold.deleted_at.is_(None))
            .order_by(DiaryHousehold.created_at, DiaryHousehold.id))
    for did, name in session.execute(stmt):
        out.setdefault(did, []).append(name)
    return out


def diary_day_counts(session: Session, scope: Scope) -> tuple[int, int]:
    """(entries, distinct days)."""
    cond = [DiaryEntry.deleted_at.is_(None), DiaryEntry.entry_date >= scope.start, DiaryEntry.entry_date <= scope.end]
    if scope.cadre_id:
        cond.append(DiaryEntry.author_id == scope.cadre_id)
    _in_village(cond, scope, DiaryEntry.village_id)
    entries = session.execute(select(func.count()).select_from(DiaryEntry).where(*cond)).scalar_one()
    days = session.execute(select(func.count(distinct(DiaryEntry.entry_date))).where(*cond)).scalar_one()
    return entries, days


def _worklog_cond(scope: Scope) -> list[Any]:
    cond: list[Any] = [WorkLog.deleted_at.is_(None), WorkLog.log_date >= scope.start, WorkLog.log_date <= scope.end]
    _in_village(cond, scope, WorkLog.village_id)
    return cond


def worklogs(session: Session, scope: Scope) -> list[WorkLog]:
    stmt = select(WorkLog).where(*_worklog_cond(scope)).order_by(WorkLog.log_date, WorkLog.created_at, WorkLog.id)
    return list(session.execute(stmt).scalars())


def worklog_counts(session: Session, scope: Scope) -> dict[str, int]:
    stmt = select(WorkLog.kind, func.count()).where(*_worklog_cond(scope)).group_by(WorkLog.kind)
    return {k: n for k, n in session.execute(stmt)}


def attendance_counts(session: Session, scope: Scope) -> list[tuple[str, str, int, int, str, int]]:
    """(cadre id, cadre name, year, month, status, days) per cadre, month and status."""
    year = func.extract("year", Attendance.day)
    month = func.extract("month", Attendance.day)
    cond: list[Any] = [Attendance.deleted_at.is_(None), Attendance.day >= scope.start, Attendance.day <= scope.end]
    if scope.cadre_id:
        cond.append(Attendance.cadre_id == scope.cadre_id)
    _in_village(cond, scope, Cadre.village_id)  # a day of attendance is its cadre's village's
    stmt = (select(Cadre.id, Cadre.name, year, month, Attendance.status, func.count())
            .join(Cadre, Attendance.cadre_id == Cadre.id).where(*cond)
            .group_by(Cadre.id, Cadre.name, year, month, Attendance.status).order_by(Cadre.name, year, month))
    return [(cid, name, int(y), int(m), st, n) for cid, name, y, m, st, n in session.execute(stmt)]


def team_cadres(session: Session, village_id: str | None = None) -> list[Cadre]:
    cond: list[Any] = [Cadre.deleted_at.is_(None), Cadre.in_team.is_(True)]
    if village_id:
        cond.append(Cadre.village_id == village_id)
    stmt = select(Cadre).where(*cond).order_by(Cadre.role.desc(), Cadre.name)
    return list(session.execute(stmt).scalars())


# --- projects, funds --------------------------------------------------------------------------------------------------


def projects(session: Session, scope: Scope) -> list[Project]:
    """Projects of the period: its year, or dates overlapping it (cancelled ones excluded)."""
    y0, y1 = scope.start.year, scope.end.year
    start = func.coalesce(Project.actual_start, Project.planned_start)
    end = func.coalesce(Project.actual_end, Project.planned_end)
    overlap = and_(start.is_not(None), start <= scope.end, or_(end.is_(None), end >= scope.start))
    in_year = and_(Project.year.is_not(None), Project.year >= y0, Project.year <= y1)
    cond: list[Any] = [Project.deleted_at.is_(None), Project.status != "cancelled", or_(overlap, in_year)]
    _in_village(cond, scope, Project.village_id)
    if scope.group_name:
        cond.append(Project.place.like(f"%{scope.group_name}%"))
    stmt = (select(Project).where(*cond)
            .order_by(Project.year, Project.number, Project.name, Project.created_at, Project.id))
    return list(session.execute(stmt).scalars())


def funding_lines(session: Session, project_ids: list[str]) -> dict[str, list[FundingLine]]:
    out: dict[str, list[FundingLine]] = {}
    if not project_ids:
        return out
    stmt = (select(FundingLine).where(FundingLine.project_id.in_(project_ids), FundingLine.deleted_at.is_(None))
            .order_by(FundingLine.created_at, FundingLine.id))
    for f in session.execute(stmt).scalars():
        out.setdefault(f.project_id, []).append(f)
    return out


def project_beneficiaries(session: Session, project_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """project id → the live households on its 受益户 list."""
    out: dict[str, list[str]] = {}
    if not project_ids:
        return {}
    stmt = (select(ProjectBeneficiary.project_id, ProjectBeneficiary.household_id)
            .join(Household, ProjectBeneficiary.household_id == Household.id)
            .where(ProjectBeneficiary.project_id.in_(project_ids), ProjectBeneficiary.deleted_at.is_(None),
                   Household.deleted_at.is_(None))
            .order_by(ProjectBeneficiary.created_at, ProjectBeneficiary.id))
    for pid, hid in session.execute(stmt):
        out.setdefault(pid, []).append(hid)
    return {pid: tuple(ids) for pid, ids in out.items()}


# --- donations, distributions, purchases -------------------------------------------------------------------------------


def donations(session: Session, scope: Scope) -> list[tuple[Donation, Donor]]:
    cond: list[Any] = [Donation.deleted_at.is_(None), Donation.received_on >= scope.start,
                       Donation.received_on <= scope.end]
    _in_village(cond, scope, Donation.village_id)
    stmt = (select(Donation, Donor).join(Donor, Donation.donor_id == Donor.id)
            .where(*cond).order_by(Donation.received_on, Donor.name, Donation.created_at, Donation.id))
    return [tuple(r) for r in session.execute(stmt).all()]


def donation_items(session: Session, donation_ids: list[str]) -> dict[str, list[DonationItem]]:
    out: dict[str, list[DonationItem]] = {}
    if not donation_ids:
        return out
    stmt = (select(DonationItem).where(DonationItem.donation_id.in_(donation_ids), DonationItem.deleted_at.is_(None))
            .order_by(DonationItem.created_at, DonationItem.id))
    for it in session.execute(stmt).scalars():
        out.setdefault(it.donation_id, []).append(it)
    return out


def distributions(session: Session, scope: Scope) -> list[tuple[Distribution, Household | None, DonationItem | None]]:
    cond: list[Any] = [Distribution.deleted_at.is_(None), Distribution.distributed_on >= scope.start,
                       Distribution.distributed_on <= scope.end]
    if scope.group_name:
        cond.append(Household.group_name == scope.group_name)
    if scope.village_id:
        cond.append(_of_village_donation(scope.village_id))
    stmt = (select(Distribution, Household, DonationItem)
            .outerjoin(Household, Distribution.household_id == Household.id)
            .outerjoin(DonationItem, Distribution.item_id == DonationItem.id)
            .where(*cond).order_by(Distribution.distributed_on, Household.number, Distribution.created_at,
                                       Distribution.id))
    return [tuple(r) for r in session.execute(stmt).all()]


def _of_village_donation(village_id: str):
    """Distributions of one village: those of its donations (a distribution has no village of its own)."""
    return Distribution.donation_id.in_(select(Donation.id).where(Donation.village_id == village_id))


def distribution_household_count(session: Session, scope: Scope, condolence_only: bool = False) -> int:
    """Households given something in the period (only 慰问 — donations marked ``is_condolence`` — if asked)."""
    stmt = select(func.count(distinct(Distribution.household_id))).where(
        Distribution.deleted_at.is_(None), Distribution.household_id.is_not(None),
        Distribution.distributed_on >= scope.start, Distribution.distributed_on <= scope.end)
    if scope.village_id:
        stmt = stmt.where(_of_village_donation(scope.village_id))
    if condolence_only:
        stmt = stmt.join(Donation, Distribution.donation_id == Donation.id).where(
            Donation.is_condolence.is_(True), Donation.deleted_at.is_(None))
    return session.execute(stmt).scalar_one()


def purchases(session: Session, scope: Scope) -> list[Purchase]:
    cond: list[Any] = [Purchase.deleted_at.is_(None), Purchase.purchase_date >= scope.start,
                       Purchase.purchase_date <= scope.end]
    _in_village(cond, scope, Purchase.village_id)
    stmt = select(Purchase).where(*cond).order_by(Purchase.purchase_date, Purchase.created_at, Purchase.id)
    return list(session.execute(stmt).scalars())


# --- one household (一户一册) -------------------------------------------------------------------------------------------


def household_ids(session: Session, scope: Scope) -> list[str]:
    cond: list[Any] = [Household.deleted_at.is_(None)]
    _group(cond, scope)
    if scope.cadre_id:
        cond.append(_paired_with(scope.cadre_id))
    stmt = select(Household.id).where(*cond).order_by(Household.group_name, Household.number)
    return list(session.execute(stmt).scalars())


def member_health(session: Session) -> dict[str, list[tuple[str | None, str | None]]]:
    """household id → [(health codes, disability category)] of live members with an illness or a disability."""
    stmt = (select(Member.household_id, Member.health, Member.disability_category)
            .where(Member.deleted_at.is_(None),
                   or_(Member.health.is_not(None), Member.disability_category.is_not(None))))
    out: dict[str, list[tuple[str | None, str | None]]] = {}
    for hid, health, disability in session.execute(stmt).all():
        out.setdefault(hid, []).append((health, disability))
    return out


def latest_incomes(session: Session, up_to_year: int) -> dict[str, HouseholdIncome]:
    """household id → its income row of the latest year not after ``up_to_year``."""
    stmt = (select(HouseholdIncome).where(HouseholdIncome.deleted_at.is_(None), HouseholdIncome.year <= up_to_year)
            .order_by(HouseholdIncome.household_id, HouseholdIncome.year))
    return {i.household_id: i for i in session.execute(stmt).scalars()}


def members(session: Session, household_id: str) -> list[Member]:
    stmt = (select(Member).where(Member.household_id == household_id, Member.deleted_at.is_(None))
            .order_by(Member.sort_order, Member.created_at))
    return list(session.execute(stmt).scalars())


def incomes(session: Session, household_id: str) -> list[HouseholdIncome]:
    stmt = (select(HouseholdIncome).where(HouseholdIncome.household_id == household_id,
                                          HouseholdIncome.deleted_at.is_(None)).order_by(HouseholdIncome.year))
    return list(session.execute(stmt).scalars())


def household_pairings(session: Session, household_id: str) -> list[tuple[Pairing, Cadre]]:
    stmt = (select(Pairing, Cadre).join(Cadre, Pairing.cadre_id == Cadre.id)
            .where(Pairing.household_id == household_id, Pairing.deleted_at.is_(None)).order_by(Pairing.start_date))
    return [tuple(r) for r in session.execute(stmt).all()]


def measures(session: Session, household_id: str) -> list[tuple[Measure, str | None]]:
    stmt = (select(Measure, Cadre.name).outerjoin(Cadre, Measure.responsible_id == Cadre.id)
            .where(Measure.household_id == household_id, Measure.deleted_at.is_(None)).order_by(Measure.measure_date))
    return [tuple(r) for r in session.execute(stmt).all()]


def household_visits(session: Session, household_id: str) -> list[Visit]:
    stmt = (select(Visit).where(Visit.household_id == household_id, Visit.deleted_at.is_(None))
            .order_by(Visit.visit_date))
    return list(session.execute(stmt).scalars())


def household_problems(session: Session, household_id: str) -> list[tuple[Problem, str | None]]:
    stmt = (select(Problem, Cadre.name).outerjoin(Cadre, Problem.responsible_id == Cadre.id)
            .where(Problem.household_id == household_id, Problem.deleted_at.is_(None)).order_by(Problem.raised_on))
    return [tuple(r) for r in session.execute(stmt).all()]


def photos(session: Session, owner_type: str, owner_ids: list[str]) -> list[Attachment]:
    if not owner_ids:
        return []
    stmt = (select(Attachment).where(Attachment.owner_type == owner_type, Attachment.owner_id.in_(owner_ids),
                                     Attachment.deleted_at.is_(None), Attachment.mime.like("image/%"))
            .order_by(Attachment.created_at))
    return list(session.execute(stmt).scalars())


def money_total(values) -> Decimal:
    total = Decimal("0")
    for v in values:
        if v is not None:
            total += Decimal(v)
    return total


# --- 上报表: members and the village's own figures -------------------------------------------------------------------


def member_rows(session: Session, scope: Scope) -> list[tuple]:
    """Every live member with its household's 户编号, 户主 and 村民小组 (plain tuples, household order)."""
    cond: list[Any] = [Member.deleted_at.is_(None), Household.deleted_at.is_(None)]
    _group(cond, scope)
    if scope.cadre_id:
        cond.append(_paired_with(scope.cadre_id))
    stmt = (select(Household.number, Household.head_name, Household.group_name, Member.name, Member.relation,
                   Member.sex, Member.id_number, Member.birth_date, Member.ethnicity, Member.education,
                   Member.health, Member.disability_category, Member.labour_skill, Member.work_place,
                   Member.work_months, Member.phone, Member.dibao, Member.tekun, Member.resident_medical,
                   Member.resident_pension)
            .join(Household, Member.household_id == Household.id).where(*cond)
            .order_by(Household.group_name, Household.number, Member.sort_order, Member.created_at))
    return [tuple(r) for r in session.execute(stmt)]


def village_profile(session: Session, village_id: str, up_to_year: int):
    """The latest 村情 (VillageProfile) of ``up_to_year`` or before, or None."""
    from fupin_desktop.storage.models import VillageProfile

    return session.execute(select(VillageProfile).where(
        VillageProfile.village_id == village_id, VillageProfile.deleted_at.is_(None),
        VillageProfile.year <= up_to_year).order_by(VillageProfile.year.desc()).limit(1)).scalar_one_or_none()


def member_facts(session: Session, scope: Scope) -> list[tuple]:
    """(household id, 村民小组, 政治面貌, 在校生状况, 健康状况, 残疾类别, 劳动技能, 低保, 特困) of every live member of a
    live household in the scope's village and 村民小组 (the 村基本情况's counts)."""
    cond: list[Any] = [Member.deleted_at.is_(None), Household.deleted_at.is_(None)]
    _group(cond, scope)
    stmt = (select(Member.household_id, Household.group_name, Member.political_status, Member.schooling,
                   Member.health, Member.disability_category, Member.labour_skill, Member.dibao, Member.tekun)
            .join(Household, Member.household_id == Household.id).where(*cond))
    return [tuple(r) for r in session.execute(stmt)]


def household_groups(session: Session, scope: Scope) -> list[str | None]:
    """The 村民小组 of every live household in the scope (one entry per household)."""
    cond: list[Any] = [Household.deleted_at.is_(None)]
    _group(cond, scope)
    return list(session.execute(select(Household.group_name).where(*cond)).scalars())
