"""Queries of the one global search (Ctrl+F): a few best rows per kind of record, each through the registry's
indexed name search (storage/queries/households.py) or a short scan of a small table. ``village_id``: one village
of a township database (None: every village)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import Household, Member, Problem, Project, Visit
from fupin_desktop.storage.queries import households as hq


def _like(text: str) -> str:
    return "%" + hq._like_escape(text) + "%"


def matching_households(text: str, village_id: str | None = None):
    """SELECT of the ids of live households matching ``text`` as the 农户 page's search box does."""
    return select(Household.id).where(*hq.conditions(hq.HouseholdQuery(text=text, village_id=village_id)))


def _in_village(cond: list[Any], column, village_id: str | None) -> list[Any]:
    if village_id:
        cond.append(column == village_id)
    return cond


def households(session: Session, text: str, limit: int, village_id: str | None = None) -> list[Any]:
    return hq.rows(session, hq.HouseholdQuery(text=text, village_id=village_id), 0, limit)


def members(session: Session, text: str, limit: int, village_id: str | None = None) -> list[Any]:
    """(member id, name, relation, household id, head name, 户编号) of live members other than the head whose name
    (or pinyin, or 身份证号 tail) matches."""
    t = text.strip()
    esc = hq._like_escape(t)
    if t.isdigit() or (t[:-1].isdigit() and t[-1:] in "xX"):
        cond = Member.id_number.like(f"%{esc.upper()}", escape="\\")
    elif t.isascii() and t.replace(" ", "").isalpha():
        low = esc.lower().replace(" ", "")
        others = hq.other_readings_condition(low)
        cond = hq.pinyin_condition(Member, low) if others is None else or_(hq.pinyin_condition(Member, low), others)
    else:
        cond = Member.name.like(f"%{esc}%", escape="\\")
    # No ORDER BY in SQL: sorting all matches by pinyin made SQLite walk the whole pinyin index (~5 s for 张三 at
    # 314,000 members); the first ``limit`` matches are taken as found and sorted here.
    stmt = (select(Member.id, Member.name, Member.relation, Household.id, Household.head_name, Household.number,
                   Member.name_pinyin)
            .join(Household, Member.household_id == Household.id)
            .where(*_in_village([Member.deleted_at.is_(None), Household.deleted_at.is_(None),
                                 Member.relation != "head", cond], Household.village_id, village_id))
            .limit(limit))
    rows = sorted(session.execute(stmt).all(), key=lambda r: (r[-1], r[0]))
    return [tuple(r[:-1]) for r in rows]


def visits(session: Session, text: str, limit: int, village_id: str | None = None) -> list[Any]:
    """(visit id, date, findings, household id, head name) of visits of matching households or whose findings
    or measures contain ``text``; newest first."""
    like = _like(text.strip())
    stmt = (select(Visit.id, Visit.visit_date, Visit.findings, Household.id, Household.head_name)
            .join(Household, Visit.household_id == Household.id)
            .where(*_in_village([Visit.deleted_at.is_(None), Household.deleted_at.is_(None),
                                 or_(Visit.household_id.in_(matching_households(text)),
                                     Visit.findings.like(like, escape="\\"), Visit.actions.like(like, escape="\\"))],
                                Household.village_id, village_id))
            .order_by(Visit.visit_date.desc(), Visit.id).limit(limit))
    return list(session.execute(stmt).all())


def problems(session: Session, text: str, limit: int, village_id: str | None = None) -> list[Any]:
    """(problem id, description, status, due date, household id, head name) of problems whose text contains
    ``text`` or of matching households; open ones first."""
    like = _like(text.strip())
    stmt = (select(Problem.id, Problem.description, Problem.status, Problem.due_date, Problem.household_id,
                   Household.head_name)
            .outerjoin(Household, Problem.household_id == Household.id)
            .where(*_in_village([Problem.deleted_at.is_(None),
                                 or_(Problem.description.like(like, escape="\\"),
                                     Problem.resolution.like(like, escape="\\"),
                                     and_(Problem.household_id.is_not(None),
                                          Problem.household_id.in_(matching_households(text))))],
                                Problem.village_id, village_id))
            .order_by(Problem.closed_on.is_not(None), Problem.raised_on.desc(), Problem.id).limit(limit))
    return list(session.execute(stmt).all())


def projects(session: Session, text: str, limit: int, village_id: str | None = None) -> list[Any]:
    """(project id, name, 项目编号, year, status) of projects whose name, number or place contains ``text``."""
    like = _like(text.strip())
    stmt = (select(Project.id, Project.name, Project.number, Project.year, Project.status)
            .where(*_in_village([Project.deleted_at.is_(None),
                                 or_(Project.name.like(like, escape="\\"), Project.number.like(like, escape="\\"),
                                     Project.place.like(like, escape="\\"))], Project.village_id, village_id))
            .order_by(Project.year.desc(), Project.name, Project.id).limit(limit))
    return list(session.execute(stmt).all())
