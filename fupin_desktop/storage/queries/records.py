"""Queries for the team's own records: 民情日记 (with full-text search), 工作日志 and 驻村考勤.

Full-text search of the diary
-----------------------------
On SQLite the diary is indexed in an FTS5 table ``diary_fts(diary_id UNINDEXED, body)`` with
``tokenize='trigram'``, kept in step with ``diary_entry`` by three triggers, so every path that writes diary rows
(services, bulk imports, merges, clearing) updates the index. The table is created on first use by
:func:`ensure_diary_search` rather than by an alembic revision: the migration test compares the schema with the
models, and a virtual table (plus its five shadow tables) has no model. The index can always be rebuilt from
``diary_entry``, so creating it lazily loses nothing. Where FTS5 or the trigram tokenizer is missing (an old
SQLite, or PostgreSQL) search falls back to LIKE.

The trigram tokenizer matches only terms of 3+ characters, and on SQLite 3.40 even ``LIKE '%秀英%'`` on a trigram
table wrongly returns nothing (TECH-NOTES), so shorter terms are matched with plain LIKE on ``diary_entry``.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, column, distinct, exists, func, or_, select, table
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import (
    Attendance, Cadre, CodeExtension, DiaryEntry, DiaryHousehold, Household, Problem, WorkLog,
)

# -- diary full-text index ------------------------------------------------------------------------------------------
FTS_TABLE = "diary_fts"
_FTS = table(FTS_TABLE, column("diary_id"), column("body"))
_SEARCH_COLUMNS = ("title", "place", "people_met", "content", "problems_found", "follow_up")


def _body(prefix: str) -> str:
    return " || char(10) || ".join(f"coalesce({prefix}.{c}, '')" for c in _SEARCH_COLUMNS)


_FTS_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(diary_id UNINDEXED, body, tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS diary_fts_ai AFTER INSERT ON diary_entry BEGIN "
    f"INSERT INTO {FTS_TABLE}(diary_id, body) VALUES (new.id, {_body('new')}); END",
    f"CREATE TRIGGER IF NOT EXISTS diary_fts_au AFTER UPDATE ON diary_entry BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE diary_id = old.id; "
    f"INSERT INTO {FTS_TABLE}(diary_id, body) VALUES (new.id, {_body('new')}); END",
    f"CREATE TRIGGER IF NOT EXISTS diary_fts_ad AFTER DELETE ON diary_entry BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE diary_id = old.id; END",
)

_fts_state: "weakref.WeakKeyDictionary[Any, bool]" = weakref.WeakKeyDictionary()
_fts_lock = threading.Lock()


def ensure_diary_search(db) -> bool:
    """Create (once per database) the FTS5 index of the diary and its triggers; True when the index is usable."""
    engine = db.engine
    with _fts_lock:
        if engine in _fts_state:
            return _fts_state[engine]
        ok = False
        if engine.dialect.name == "sqlite":
            try:
                with engine.begin() as conn:
                    existed = conn.exec_driver_sql(
                        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (FTS_TABLE,)).first()
                    for ddl in _FTS_DDL:
                        conn.exec_driver_sql(ddl)
                    if not existed:  # index what was written before the index existed (imports, old files)
                        conn.exec_driver_sql(
                            f"INSERT INTO {FTS_TABLE}(diary_id, body) SELECT d.id, {_body('d')} FROM diary_entry d")
                ok = True
            except Exception:  # noqa: BLE001 - no FTS5/trigram in this SQLite: LIKE still finds everything
                ok = False
        _fts_state[engine] = ok
        return ok


def rebuild_diary_search(db) -> None:
    """Drop and refill the index from diary_entry (support tool; also used by tests)."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"DELETE FROM {FTS_TABLE}")
        conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}(diary_id, body) SELECT d.id, {_body('d')} FROM diary_entry d")


def search_terms(query: str) -> tuple[list[str], list[str]]:
    """Split a query into (terms for FTS: 3+ characters, terms for LIKE: 1–2 characters)."""
    long_terms, short_terms = [], []
    for word in query.split():
        (long_terms if len(word) >= 3 else short_terms).append(word)
    return long_terms, short_terms


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# -- diary ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiaryQuery:
    author_id: str | None = None
    start: date | None = None
    end: date | None = None
    household_id: str | None = None
    text: str = ""
    village_id: str | None = None  # a township database: one village (None: all)


def diary_conditions(session: Session, q: DiaryQuery, fts: bool) -> list[Any]:
    cond: list[Any] = [DiaryEntry.deleted_at.is_(None)]
    if q.village_id:
        cond.append(DiaryEntry.village_id == q.village_id)
    if q.author_id:
        cond.append(DiaryEntry.author_id == q.author_id)
    if q.start:
        cond.append(DiaryEntry.entry_date >= q.start)
    if q.end:
        cond.append(DiaryEntry.entry_date <= q.end)
    if q.household_id:
        cond.append(exists().where(and_(DiaryHousehold.diary_id == DiaryEntry.id,
                                        DiaryHousehold.household_id == q.household_id,
                                        DiaryHousehold.deleted_at.is_(None))))
    long_terms, short_terms = search_terms(q.text or "")
    postgres = session.get_bind().dialect.name == "postgresql"
    if long_terms and fts:
        match = " AND ".join(_fts_phrase(t) for t in long_terms)
        cond.append(DiaryEntry.id.in_(select(_FTS.c.diary_id).where(_FTS.c.body.match(match))))
        like_terms = short_terms
    else:
        like_terms = long_terms + short_terms
    for t in like_terms:
        pattern = _like(t)
        cols = [getattr(DiaryEntry, c) for c in _SEARCH_COLUMNS]
        cond.append(or_(*[(c.ilike(pattern, escape="\\") if postgres else c.like(pattern, escape="\\"))
                          for c in cols]))
    return cond


def diary_rows(session: Session, q: DiaryQuery, fts: bool, offset: int = 0,
               limit: int = 500) -> list[tuple[DiaryEntry, str | None]]:
    # the id last: entries saved in one go (a demo, an import) list and page in one order in every database
    stmt = (select(DiaryEntry, Cadre.name).outerjoin(Cadre, DiaryEntry.author_id == Cadre.id)
            .where(*diary_conditions(session, q, fts))
            .order_by(DiaryEntry.entry_date.desc(), DiaryEntry.created_at.desc(), DiaryEntry.id.desc())
            .offset(offset).limit(limit))
    return [(d, n) for d, n in session.execute(stmt).all()]


def count_diary(session: Session, q: DiaryQuery, fts: bool) -> int:
    stmt = select(func.count()).select_from(DiaryEntry).where(*diary_conditions(session, q, fts))
    return session.execute(stmt).scalar_one()


def diary_on(session: Session, author_id: str, day: date, exclude_id: str | None = None) -> DiaryEntry | None:
    stmt = select(DiaryEntry).where(DiaryEntry.deleted_at.is_(None), DiaryEntry.author_id == author_id,
                                    DiaryEntry.entry_date == day)
    if exclude_id:
        stmt = stmt.where(DiaryEntry.id != exclude_id)
    return session.execute(stmt.limit(1)).scalar_one_or_none()


def households_of_diaries(session: Session, diary_ids: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """diary id → [(household id, head name, 户编号)]."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    if not diary_ids:
        return out
    stmt = (select(DiaryHousehold.diary_id, Household.id, Household.head_name, Household.number)
            .join(Household, DiaryHousehold.household_id == Household.id)
            .where(DiaryHousehold.diary_id.in_(diary_ids), DiaryHousehold.deleted_at.is_(None))
            .order_by(Household.number))
    for did, hid, name, number in session.execute(stmt):
        out.setdefault(did, []).append((hid, name, number))
    return out


def diary_links(session: Session, diary_id: str) -> list[DiaryHousehold]:
    stmt = select(DiaryHousehold).where(DiaryHousehold.diary_id == diary_id)
    return list(session.execute(stmt).scalars())


def problems_of_diary(session: Session, diary_id: str) -> list[Problem]:
    stmt = (select(Problem).where(Problem.diary_id == diary_id, Problem.deleted_at.is_(None))
            .order_by(Problem.created_at))
    return list(session.execute(stmt).scalars())


def diary_days(session: Session, start: date, end: date, author_id: str | None = None,
               village_id: str | None = None) -> tuple[int, int]:
    """(distinct days with an entry, number of entries) in [start, end] (of one village when given)."""
    cond = [DiaryEntry.deleted_at.is_(None), DiaryEntry.entry_date >= start, DiaryEntry.entry_date <= end]
    if author_id:
        cond.append(DiaryEntry.author_id == author_id)
    if village_id:
        cond.append(DiaryEntry.village_id == village_id)
    stmt = select(func.count(distinct(DiaryEntry.entry_date)), func.count()).select_from(DiaryEntry).where(*cond)
    days, entries = session.execute(stmt).one()
    return int(days or 0), int(entries or 0)


def diary_dates(session: Session, start: date, end: date, author_id: str | None = None) -> dict[date, int]:
    """day → number of entries, for a calendar."""
    cond = [DiaryEntry.deleted_at.is_(None), DiaryEntry.entry_date >= start, DiaryEntry.entry_date <= end]
    if author_id:
        cond.append(DiaryEntry.author_id == author_id)
    stmt = select(DiaryEntry.entry_date, func.count()).where(*cond).group_by(DiaryEntry.entry_date)
    return {d: int(n) for d, n in session.execute(stmt)}


# -- work log -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkLogQuery:
    start: date | None = None
    end: date | None = None
    kind: str | None = None
    text: str = ""
    village_id: str | None = None  # a township database: one village (None: all)


def worklog_conditions(session: Session, q: WorkLogQuery) -> list[Any]:
    cond: list[Any] = [WorkLog.deleted_at.is_(None)]
    if q.village_id:
        cond.append(WorkLog.village_id == q.village_id)
    if q.start:
        cond.append(WorkLog.log_date >= q.start)
    if q.end:
        cond.append(WorkLog.log_date <= q.end)
    if q.kind:
        cond.append(WorkLog.kind == q.kind)
    if (q.text or "").strip():
        pattern = _like(q.text.strip())
        postgres = session.get_bind().dialect.name == "postgresql"
        cols = (WorkLog.topic, WorkLog.content, WorkLog.place, WorkLog.attendees, WorkLog.host)
        cond.append(or_(*[(c.ilike(pattern, escape="\\") if postgres else c.like(pattern, escape="\\"))
                          for c in cols]))
    return cond


def worklog_rows(session: Session, q: WorkLogQuery, offset: int = 0, limit: int = 500) -> list[WorkLog]:
    stmt = (select(WorkLog).where(*worklog_conditions(session, q))
            .order_by(WorkLog.log_date.desc(), WorkLog.created_at.desc(), WorkLog.id.desc())
            .offset(offset).limit(limit))
    return list(session.execute(stmt).scalars())


def count_worklogs(session: Session, q: WorkLogQuery) -> int:
    stmt = select(func.count()).select_from(WorkLog).where(*worklog_conditions(session, q))
    return session.execute(stmt).scalar_one()


def worklog_counts_by_kind(session: Session, start: date, end: date) -> dict[str, int]:
    stmt = (select(WorkLog.kind, func.count()).where(WorkLog.deleted_at.is_(None), WorkLog.log_date >= start,
                                                     WorkLog.log_date <= end).group_by(WorkLog.kind))
    return {k: int(n) for k, n in session.execute(stmt)}


# -- attendance -----------------------------------------------------------------------------------------------------
def attendance_row(session: Session, cadre_id: str, day: date) -> Attendance | None:
    """The row of (cadre, day), tombstoned or not (the pair is unique, so a cleared day is revived, not re-added)."""
    stmt = select(Attendance).where(Attendance.cadre_id == cadre_id, Attendance.day == day)
    return session.execute(stmt).scalar_one_or_none()


def attendance_rows(session: Session, cadre_id: str, start: date, end: date,
                    include_deleted: bool = False) -> list[Attendance]:
    stmt = select(Attendance).where(Attendance.cadre_id == cadre_id, Attendance.day >= start, Attendance.day <= end)
    if not include_deleted:
        stmt = stmt.where(Attendance.deleted_at.is_(None))
    return list(session.execute(stmt.order_by(Attendance.day)).scalars())


def attendance_counts(session: Session, start: date, end: date,
                      cadre_id: str | None = None) -> list[tuple[str, int, int, str, int]]:
    """(cadre id, year, month, status, days) for live attendance rows in [start, end]."""
    cond = [Attendance.deleted_at.is_(None), Attendance.day >= start, Attendance.day <= end]
    if cadre_id:
        cond.append(Attendance.cadre_id == cadre_id)
    rows = session.execute(select(Attendance.cadre_id, Attendance.day, Attendance.status).where(*cond)).all()
    acc: dict[tuple[str, int, int, str], int] = {}
    for cid, day, status in rows:  # grouping in Python keeps the SQL portable (no strftime/extract)
        key = (cid, day.year, day.month, status)
        acc[key] = acc.get(key, 0) + 1
    return [(c, y, m, s, n) for (c, y, m, s), n in sorted(acc.items())]


# -- code-list extensions -------------------------------------------------------------------------------------------
def code_extension_rows(session: Session, list_name: str) -> list[CodeExtension]:
    """Local items of a list, removed ones included (their codes stay reserved so a removed item can be revived)."""
    stmt = select(CodeExtension).where(CodeExtension.list_name == list_name).order_by(CodeExtension.created_at)
    return list(session.execute(stmt).scalars())
