"""Queries for projects (项目库): filtered lists, funding lines, events and beneficiaries."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import (
    FundingLine, FundingReceipt, Household, Project, ProjectBeneficiary, ProjectEvent,
)


@dataclass(frozen=True)
class ProjectQuery:
    year: int | None = None
    status: str | None = None
    category: str | None = None
    action_type: str | None = None
    text: str = ""
    village_id: str | None = None  # a township database: one village (None: all)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def conditions(q: ProjectQuery) -> list[Any]:
    cond: list[Any] = [Project.deleted_at.is_(None)]
    if q.year is not None:
        cond.append(Project.year == q.year)
    if q.status:
        cond.append(Project.status == q.status)
    if q.category:
        cond.append(Project.category == q.category)
    if q.action_type:
        cond.append(Project.action_type == q.action_type)
    if q.village_id:
        cond.append(Project.village_id == q.village_id)
    text = q.text.strip()
    if text:
        t = _like(text)
        cond.append(or_(Project.name.like(t, escape="\\"), Project.place.like(t, escape="\\"),
                        Project.number.like(t, escape="\\"), Project.implementing_unit.like(t, escape="\\")))
    return cond


def projects(session: Session, q: ProjectQuery) -> list[Project]:
    """Projects in entry order (year, then 项目编号, then creation), which is the order of a work plan."""
    stmt = (select(Project).where(*conditions(q))
            .order_by(Project.year, Project.number, Project.created_at, Project.id))
    return list(session.execute(stmt).scalars())


def funding_lines(session: Session, project_ids: list[str]) -> dict[str, list[FundingLine]]:
    out: dict[str, list[FundingLine]] = {pid: [] for pid in project_ids}
    if not project_ids:
        return out
    stmt = (select(FundingLine).where(FundingLine.project_id.in_(project_ids), FundingLine.deleted_at.is_(None))
            .order_by(FundingLine.created_at, FundingLine.id))
    for line in session.execute(stmt).scalars():
        out.setdefault(line.project_id, []).append(line)
    return out


def events(session: Session, project_id: str) -> list[ProjectEvent]:
    stmt = (select(ProjectEvent).where(ProjectEvent.project_id == project_id, ProjectEvent.deleted_at.is_(None))
            .order_by(ProjectEvent.event_date, ProjectEvent.created_at))
    return list(session.execute(stmt).scalars())


def beneficiary_rows(session: Session, project_id: str) -> list[tuple[ProjectBeneficiary, Household]]:
    stmt = (select(ProjectBeneficiary, Household).join(Household, ProjectBeneficiary.household_id == Household.id)
            .where(ProjectBeneficiary.project_id == project_id, ProjectBeneficiary.deleted_at.is_(None),
                   Household.deleted_at.is_(None))
            .order_by(Household.number))
    return [(b, h) for b, h in session.execute(stmt).all()]


def beneficiary_links(session: Session, project_id: str) -> list[ProjectBeneficiary]:
    """Every link of the project, tombstoned ones too (a re-added household revives its old link)."""
    stmt = select(ProjectBeneficiary).where(ProjectBeneficiary.project_id == project_id)
    return list(session.execute(stmt).scalars())


def counts_by_status(session: Session, q: ProjectQuery) -> dict[str, int]:
    stmt = select(Project.status, func.count()).where(*conditions(q)).group_by(Project.status)
    return {status: n for status, n in session.execute(stmt).all()}


def years(session: Session) -> list[int]:
    stmt = (select(Project.year).where(Project.deleted_at.is_(None), Project.year.is_not(None))
            .distinct().order_by(Project.year))
    return [y for (y,) in session.execute(stmt)]


def receipts(session: Session, line_ids: list[str]) -> dict[str, list[FundingReceipt]]:
    """The live receipts (资金到位) of funding lines, oldest first (undated ones first)."""
    out: dict[str, list[FundingReceipt]] = {lid: [] for lid in line_ids}
    if not line_ids:
        return out
    stmt = (select(FundingReceipt).where(FundingReceipt.funding_line_id.in_(line_ids),
                                         FundingReceipt.deleted_at.is_(None))
            .order_by(FundingReceipt.received_on.is_not(None), FundingReceipt.received_on,
                      FundingReceipt.created_at, FundingReceipt.id))
    for r in session.execute(stmt).scalars():
        out.setdefault(r.funding_line_id, []).append(r)
    return out
