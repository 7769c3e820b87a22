"""Queries for the household registry: filtered, sorted, paged lists that stay fast at 100,000 households."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, union
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import Cadre, Household, Member, Pairing

ROW_COLUMNS = (
    Household.id, Household.number, Household.head_name, Household.group_name, Household.household_type,
    Household.monitoring_category, Household.risk_eliminated, Household.monitoring_stage, Household.member_count,
    Household.head_id_number, Household.phone, Household.last_visit_on, Household.open_problems,
    Household.risk_types, Household.long_absent,
)
SORT_KEYS = {
    "number": Household.number,
    "head_name": Household.name_pinyin,  # pinyin order is what a Chinese reader expects, not code points
    "group_name": Household.group_name,
    "household_type": Household.household_type,
    "member_count": Household.member_count,
    "last_visit_on": Household.last_visit_on,
    "open_problems": Household.open_problems,
}


@dataclass(frozen=True)
class HouseholdQuery:
    text: str = ""
    household_type: str | None = None
    monitoring: str | None = None  # "monitored" | "eliminated" | "any" | a monitoring_category code
    monitoring_stage: str | None = None
    risk_type: str | None = None
    group_name: str | None = None
    cadre_id: str | None = None
    not_visited_days: int | None = None
    open_problems: bool = False
    village_id: str | None = None  # a township database: one village (None: all)
    today: date | None = None
    sort: str = "number"
    descending: bool = False


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_condition(text: str):
    t = text.strip()
    if not t:
        return None
    esc = _like_escape(t)
    if t.isdigit() or (t[:-1].isdigit() and t[-1] in "xX"):
        tail = f"%{esc.upper()}"
        return or_(
            Household.number.like(f"{esc}%", escape="\\"),
            Household.head_id_number.like(tail, escape="\\"),
            Household.id.in_(_live_members_where(Member.id_number.like(tail, escape="\\"))),
        )
    if t.isascii() and t.replace(" ", "").isalpha():
        low = esc.lower().replace(" ", "")
        terms = [pinyin_condition(Household, low), Household.id.in_(_live_members_where(pinyin_condition(Member, low)))]
        others = other_readings_condition(low)
        if others is not None:
            terms.append(Household.id.in_(_live_members_where(others)))
        return or_(*terms)
    own = [Household.head_name.like(f"%{esc}%", escape="\\"), Household.address.like(f"%{esc}%", escape="\\")]
    if t.isascii():  # 户编号 are digits (and perhaps letters): Chinese text never starts one
        own.append(Household.number.like(f"{esc}%", escape="\\"))
    # one UNION of two plain scans: ~40 ms at 100,000 households, an OR over the same terms ~60 ms
    return Household.id.in_(union(select(Household.id).where(or_(*own)),
                                  _live_members_where(Member.name.like(f"%{esc}%", escape="\\"))))


def pinyin_condition(model, low: str):
    """``model``'s usual-reading pinyin keys start with the lowercase letters ``low`` (already LIKE-escaped):
    through the name_initials / name_pinyin indexes."""
    return or_(model.name_initials.like(f"{low}%", escape="\\"), model.name_pinyin.like(f"{low}%", escape="\\"))


def other_readings_condition(low: str):
    """Members whose keys by another reading of a heteronym start with ``low`` (刘长海: "lzh lch" — ``lch``).
    Those keys follow the usual one after a space, where no index reaches; but the first character (the surname)
    keeps its usual reading, so the key starts with the same letter: an index range on that letter (~1/20 of the
    members) is filtered, not the whole table scanned. One letter alone is already matched by the usual key."""
    if len(low) < 2 or low[0] == "\\":
        return None
    first = f"{low[0]}%"
    terms = []
    if len(low) <= 6:  # initials of a name (longer letters are full pinyin)
        terms.append(and_(Member.name_initials.like(first), Member.name_initials.like(f"% {low}%", escape="\\")))
    if any(ch in "aeiouv" for ch in low[1:]):  # full pinyin has vowels; initials (lch) mostly do not
        terms.append(and_(Member.name_pinyin.like(first), Member.name_pinyin.like(f"% {low}%", escape="\\")))
    return or_(*terms) if terms else None


def _live_members_where(condition):
    """Households with a live member matching ``condition``, as ``IN (subquery)`` rather than a correlated EXISTS:
    SQLite reads the members once (through an index where the condition allows) instead of once per household —
    at 100,000 households a Chinese name search takes ~40 ms instead of ~210 ms, a pinyin one ~5 ms."""
    return select(Member.household_id).where(Member.deleted_at.is_(None), condition)


def conditions(q: HouseholdQuery) -> list[Any]:
    cond: list[Any] = [Household.deleted_at.is_(None)]
    text = _text_condition(q.text)
    if text is not None:
        cond.append(text)
    if q.household_type:
        cond.append(Household.household_type == q.household_type)
    if q.monitoring == "monitored":
        cond.append(and_(Household.monitoring_category.is_not(None), Household.risk_eliminated.is_(False)))
    elif q.monitoring == "eliminated":
        cond.append(and_(Household.monitoring_category.is_not(None), Household.risk_eliminated.is_(True)))
    elif q.monitoring == "any":
        cond.append(Household.monitoring_category.is_not(None))
    elif q.monitoring:
        cond.append(Household.monitoring_category == q.monitoring)
    if q.monitoring_stage:
        cond.append(Household.monitoring_stage == q.monitoring_stage)
    if q.risk_type:
        cond.append((literal_comma() + Household.risk_types + literal_comma()).like(f"%,{q.risk_type},%"))
    if q.group_name:
        cond.append(Household.group_name == q.group_name)
    if q.cadre_id:
        cond.append(exists().where(and_(Pairing.household_id == Household.id, Pairing.cadre_id == q.cadre_id,
                                        Pairing.deleted_at.is_(None), Pairing.end_date.is_(None))))
    if q.not_visited_days is not None:
        cutoff = (q.today or date.today()) - timedelta(days=q.not_visited_days)
        cond.append(or_(Household.last_visit_on.is_(None), Household.last_visit_on < cutoff))
    if q.open_problems:
        cond.append(Household.open_problems > 0)
    if q.village_id:
        cond.append(Household.village_id == q.village_id)
    return cond


def literal_comma():
    from sqlalchemy import literal

    return literal(",")


def count(session: Session, q: HouseholdQuery) -> int:
    return session.execute(select(func.count()).select_from(Household).where(*conditions(q))).scalar_one()


def rows(session: Session, q: HouseholdQuery, offset: int, limit: int, total: int | None = None) -> list[Any]:
    """One page of list rows. Pages in the second half are read backwards, so jumping to the end stays fast."""
    key = SORT_KEYS.get(q.sort, Household.number)
    descending = q.descending
    reverse = total is not None and offset > total // 2
    if reverse:
        end = min(offset + limit, total)
        limit = end - offset
        offset = total - end
        descending = not descending
    order = [key.desc(), Household.id.desc()] if descending else [key.asc(), Household.id.asc()]
    stmt = select(*ROW_COLUMNS).where(*conditions(q)).order_by(*order).offset(max(offset, 0)).limit(max(limit, 0))
    result = list(session.execute(stmt).all())
    if reverse:
        result.reverse()
    return result


def group_names(session: Session) -> list[str]:
    stmt = (select(Household.group_name).where(Household.deleted_at.is_(None), Household.group_name.is_not(None))
            .distinct().order_by(Household.group_name))
    return [r for (r,) in session.execute(stmt)]


def next_number(session: Session, prefix: str) -> str:
    """Next local 户编号: village code + a sequence of at least 4 digits (it grows past 9999 rather than wrap)."""
    stmt = select(Household.number).where(Household.number.like(f"{prefix}%"),
                                          Household.number_from_platform.is_(False))
    # String max would put ...9999 after ...10000: compare the numeric tails instead (cheap: one indexed range).
    top = max((int(n[len(prefix):]) for (n,) in session.execute(stmt) if n[len(prefix):].isdigit()), default=0)
    return f"{prefix}{top + 1:04d}"


def number_taken(session: Session, number: str, except_id: str | None = None) -> bool:
    stmt = select(Household.id).where(Household.number == number, Household.deleted_at.is_(None))
    if except_id:
        stmt = stmt.where(Household.id != except_id)
    return session.execute(stmt.limit(1)).first() is not None


def id_number_owner(session: Session, id_number: str, except_member_id: str | None = None) -> tuple[str, str] | None:
    """(member name, household number) of a live member holding this 身份证号, if any."""
    stmt = (select(Member.name, Household.number).join(Household, Member.household_id == Household.id)
            .where(Member.id_number == id_number, Member.deleted_at.is_(None), Household.deleted_at.is_(None)))
    if except_member_id:
        stmt = stmt.where(Member.id != except_member_id)
    row = session.execute(stmt.limit(1)).first()
    return (row[0], row[1]) if row else None


def live_members(session: Session, household_id: str) -> list[Member]:
    stmt = (select(Member).where(Member.household_id == household_id, Member.deleted_at.is_(None))
            .order_by(Member.sort_order, Member.created_at))
    return list(session.execute(stmt).scalars())


def pairings_of(session: Session, household_id: str) -> list[tuple[Pairing, str]]:
    stmt = (select(Pairing, Cadre.name).join(Cadre, Pairing.cadre_id == Cadre.id)
            .where(Pairing.household_id == household_id, Pairing.deleted_at.is_(None))
            .order_by(Pairing.start_date.desc()))
    return [(p, n) for p, n in session.execute(stmt).all()]


def households_of_cadre(session: Session, cadre_id: str) -> list[Household]:
    stmt = (select(Household).join(Pairing, Pairing.household_id == Household.id)
            .where(Pairing.cadre_id == cadre_id, Pairing.deleted_at.is_(None), Pairing.end_date.is_(None),
                   Household.deleted_at.is_(None)).order_by(Household.number))
    return list(session.execute(stmt).scalars())


def open_pairings_of_team(session: Session) -> list[tuple[Pairing, Household, Cadre]]:
    """Pairings still running whose helper is a member of the work team (they end when the team leaves)."""
    stmt = (select(Pairing, Household, Cadre).join(Household, Pairing.household_id == Household.id)
            .join(Cadre, Pairing.cadre_id == Cadre.id)
            .where(Pairing.deleted_at.is_(None), Pairing.end_date.is_(None), Household.deleted_at.is_(None),
                   Cadre.deleted_at.is_(None), Cadre.in_team.is_(True))
            .order_by(Cadre.name, Household.number))
    return [(p, h, c) for p, h, c in session.execute(stmt).all()]
