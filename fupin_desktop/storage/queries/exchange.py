"""Queries of the Excel exchange: whole tables as plain tuples (Core, for speed), id look-ups and bulk upserts.

Everything here works on table *names* so the exchange layer above never sees a model class. Rows are read with
SQLAlchemy Core (no ORM objects: a 100,000-household export reads over a million rows) in ``yield_per`` chunks.
"""
from __future__ import annotations

import contextlib
import operator
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean, Date, DateTime, Float, Integer, Numeric, String, Table, and_, func, literal_column, or_, select,
    type_coerce,
)
from sqlalchemy.schema import CreateIndex, DropIndex
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import Base, Household, SettingValue, Village

# Columns that never travel in a package (they describe this laptop's users, not the record).
LOCAL_ONLY_COLUMNS = frozenset({"created_by", "updated_by"})

_ID_CHUNK = 900  # stay under SQLite's bound-parameter limit
BULK_REINDEX_ROWS = 20_000  # inserting at least this many rows into an empty SQLite table: index afterwards


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def sorted_table_names() -> list[str]:
    """Table names, parents before children (the order inserts must follow)."""
    return [t.name for t in Base.metadata.sorted_tables]


def kind_of(column) -> str:
    """The exchange kind of a column: text, int, bool, date, datetime, money (2 decimals) or decimal."""
    t = column.type
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, DateTime):
        return "datetime"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, Numeric):
        return "money" if (t.scale or 0) == 2 else "decimal"
    return "text"


def column_kinds(name: str) -> list[tuple[str, str, bool]]:
    """(column, kind, nullable) of the travelling columns of table ``name``, in table order."""
    return [(c.name, kind_of(c), bool(c.nullable)) for c in table(name).columns if c.name not in LOCAL_ONLY_COLUMNS]


def foreign_keys(name: str) -> dict[str, str]:
    """column → referenced table name."""
    out: dict[str, str] = {}
    for c in table(name).columns:
        for fk in c.foreign_keys:
            out[c.name] = fk.column.table.name
    return out


def _period_clause(t: Table, date_column: str | None, parent: tuple[str, str, str] | None,
                   start: date | None, end: date | None):
    if start is None and end is None:
        return None
    if date_column:
        col = t.c[date_column]
    elif parent:
        fk_col, parent_name, parent_date = parent
        pt = table(parent_name)
        sub = select(pt.c.id)
        if start is not None:
            sub = sub.where(pt.c[parent_date] >= start)
        if end is not None:
            sub = sub.where(pt.c[parent_date] <= end)
        return t.c[fk_col].in_(sub)
    else:
        return None
    parts = []
    if start is not None:
        parts.append(col >= start)
    if end is not None:
        parts.append(col <= end)
    return and_(*parts)


def ledger_select(name: str, *, date_column: str | None = None, parent: tuple[str, str, str] | None = None,
                  start: date | None = None, end: date | None = None, with_household_number: bool = False,
                  extra_open_clause: bool = False, raw_values: bool = False):
    """SELECT of the travelling columns of ``name`` (+ the household's 户编号 last) in a stable order.

    ``raw_values`` (SQLite): dates, timestamps and numbers come back as stored (ISO text, float) instead of
    through SQLAlchemy's Python-level converters — an export of a million rows spends less time parsing text
    it writes out again.
    """
    t = table(name)
    cols = []
    for c, kind, _ in column_kinds(name):
        col = t.c[c]
        if raw_values and kind in ("date", "datetime"):
            col = type_coerce(col, String()).label(c)
        elif raw_values and kind in ("money", "decimal"):
            col = type_coerce(col, Float()).label(c)
        cols.append(col)
    hh = Household.__table__
    if with_household_number and "household_id" in t.c and name != "household":
        stmt = select(*cols, hh.c.number).select_from(t.outerjoin(hh, hh.c.id == t.c.household_id))
    else:
        stmt = select(*cols)
    clause = _period_clause(t, date_column, parent, start, end)
    if clause is not None:
        if extra_open_clause and "status" in t.c and "closed_on" in t.c:
            # A problem still open (or closed in the period) belongs to the period's problem list as well.
            clause = or_(clause, t.c.closed_on.is_(None), and_(t.c.closed_on >= start, t.c.closed_on <= end))
        stmt = stmt.where(clause)
    return stmt.order_by(t.c.created_at, t.c.id)


def iter_rows(session: Session, stmt, chunk: int = 5000) -> Iterator[Sequence[Any]]:
    result = session.execute(stmt.execution_options(yield_per=chunk))
    for partition in result.partitions():
        yield from partition


def count(session: Session, stmt) -> int:
    return session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()


def existing_ids(session_or_conn, name: str, ids: Iterable[str]) -> set[str]:
    t = table(name)
    ids = list(ids)
    found: set[str] = set()
    for i in range(0, len(ids), _ID_CHUNK):
        part = ids[i:i + _ID_CHUNK]
        found.update(r[0] for r in session_or_conn.execute(select(t.c.id).where(t.c.id.in_(part))))
    return found


def rows_by_id(session_or_conn, name: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Current rows of ``name`` with these ids, as dicts of the travelling columns."""
    t = table(name)
    cols = [t.c[c] for c, _, _ in column_kinds(name)]
    ids = list(ids)
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), _ID_CHUNK):
        part = ids[i:i + _ID_CHUNK]
        for r in session_or_conn.execute(select(*cols).where(t.c.id.in_(part))).mappings():
            out[r["id"]] = dict(r)
    return out


@contextlib.contextmanager
def roomy_cache(conn: Connection, rows: int, mb: int = 64) -> Iterator[None]:
    """A larger SQLite page cache while ``rows`` rows are written (restored afterwards; other databases: no-op).

    Every new row touches a page of each index of its table; with the default 2 MB cache a 100,000-row import
    spills dirty index pages into the WAL again and again (≈15 % of its write time)."""
    if conn.dialect.name != "sqlite" or rows < 5000:
        yield
        return
    old = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(mb) * 1024}")
    try:
        yield
    finally:
        try:
            conn.exec_driver_sql(f"PRAGMA cache_size={int(old)}")
        except Exception:  # noqa: BLE001 — never hide the error that is on its way out
            pass


def upsert(conn: Connection, name: str, inserts: Sequence[dict], updates: Sequence[dict], chunk: int = 5000) -> None:
    """Insert new rows and overwrite existing ones (by ``id``) exactly as given: timestamps are kept, so the
    record's ``updated_at`` stays the one of its author (merges compare it)."""
    try:
        _upsert(conn, name, inserts, updates, chunk)
    except IntegrityError as exc:
        from fupin_desktop.domain.errors import ConflictError

        raise ConflictError(
            f"写入“{name}”时与本机已有记录冲突（例如同一人同一天的考勤、同一户同一年的收支各有一条）。"
            "没有修改任何数据。请先在本机或对方删除重复的那条记录，再重新合并。") from exc


def _upsert(conn: Connection, name: str, inserts: Sequence[dict], updates: Sequence[dict], chunk: int) -> None:
    t = table(name)
    if inserts and conn.dialect.name == "sqlite":
        # Loading many rows into an empty table (a village's first roster import): build the secondary indexes
        # once afterwards (sorted, ≈3× cheaper than updating five to eight indexes row by row). DDL is
        # transactional in SQLite: a failure or cancel rolls the indexes back with the rows.
        rebuild = (len(inserts) >= BULK_REINDEX_ROWS and t.indexes
                   and conn.execute(select(literal_column("1")).select_from(t).limit(1)).first() is None)
        if rebuild:
            for index in t.indexes:
                conn.execute(DropIndex(index))
        _insert_sqlite(conn, t, inserts, chunk)
        if rebuild:
            for index in sorted(t.indexes, key=lambda i: i.name):
                conn.execute(CreateIndex(index))
    else:
        for i in range(0, len(inserts), chunk):
            conn.execute(t.insert(), list(inserts[i:i + chunk]))
    if updates:
        from sqlalchemy import bindparam

        by_keys: dict[tuple[str, ...], list[dict]] = {}
        for row in updates:
            by_keys.setdefault(tuple(sorted(row)), []).append(row)
        for keys, rows in by_keys.items():
            values = {k: bindparam(f"v_{k}") for k in keys if k != "id"}
            stmt = t.update().where(t.c.id == bindparam("v_id")).values(**values)
            params = [{f"v_{k}": v for k, v in row.items()} for row in rows]
            for i in range(0, len(params), chunk):
                conn.execute(stmt, params[i:i + chunk])


def _insert_sqlite(conn: Connection, t: Table, rows: Sequence[dict], chunk: int) -> None:
    """executemany on the driver with the columns' own bind converters, skipping SQLAlchemy's per-row parameter
    bookkeeping (≈2× faster for 100,000-row imports). Missing columns get their Python defaults, as Core would.

    Rows become tuples in C (``itemgetter``); converters run column by column, and the ones of date/time and
    boolean columns once per distinct value (an import stamps every row with the same timestamp)."""
    if not rows:
        return
    keys: list[str] = list(rows[0])
    union = set().union(*rows)
    if len(union) != len(keys):
        keys += sorted(union.difference(keys))
    seen = set(keys)
    defaults: dict[str, Any] = {}
    for c in t.columns:
        if c.name not in seen and c.default is not None:
            keys.append(c.name)
            defaults[c.name] = c.default
    unknown = [k for k in keys if k not in t.c]
    if unknown:
        raise KeyError(f"{t.name}: unknown column(s) {unknown}")
    quote = conn.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(t.name)} ({', '.join(quote(k) for k in keys)}) "
           f"VALUES ({', '.join('?' for _ in keys)})")

    present = [k for k in keys if k not in defaults]
    pick = operator.itemgetter(*present) if len(present) > 1 else (lambda row, _k=present[0]: (row[_k],))
    # (position, converter, converts per distinct value?) of the columns that need converting
    converted = []
    for i, k in enumerate(present):
        proc = t.c[k].type._cached_bind_processor(conn.dialect)
        if proc is not None:
            converted.append((i, proc, isinstance(t.c[k].type, (Date, DateTime, Boolean))))
    tail_procs = [t.c[k].type._cached_bind_processor(conn.dialect) for k in defaults]
    per_row_defaults = any(d.is_callable for d in defaults.values())  # e.g. new ids: one per row

    def default_values() -> tuple:
        values = (d.arg(None) if d.is_callable else d.arg for d in defaults.values())
        return tuple(p(v) if p is not None and v is not None else v for p, v in zip(tail_procs, values))

    tail = default_values() if defaults and not per_row_defaults else ()

    def converted_rows(part: Sequence[dict]) -> list[tuple]:
        try:
            values = list(map(pick, part))
        except KeyError:  # rows with fewer keys: the missing ones are NULL, as Core would insert them
            values = [tuple(row.get(k) for k in present) for row in part]
        if converted:
            columns = list(zip(*values))
            for i, proc, memo in converted:
                column = columns[i]
                if memo:
                    done = {v: (None if v is None else proc(v)) for v in set(column)}
                    columns[i] = list(map(done.__getitem__, column))
                else:
                    columns[i] = [None if v is None else proc(v) for v in column]
            values = list(zip(*columns))
        if per_row_defaults:
            values = [v + default_values() for v in values]
        elif tail:
            values = [v + tail for v in values]
        return values

    for i in range(0, len(rows), chunk):
        conn.exec_driver_sql(sql, converted_rows(rows[i:i + chunk]))


# --- households and members for the roster import ---------------------------------------------------------------


def household_numbers(session: Session) -> dict[str, str]:
    """户编号 → household id of every live household."""
    t = Household.__table__
    return {n: i for i, n in session.execute(select(t.c.id, t.c.number).where(t.c.deleted_at.is_(None)))}


def member_id_numbers(session: Session) -> dict[str, tuple[str, str]]:
    """身份证号 → (member id, household id) of every live member with a number."""
    t = table("member")
    stmt = select(t.c.id_number, t.c.id, t.c.household_id).where(t.c.deleted_at.is_(None), t.c.id_number.is_not(None))
    return {n: (i, h) for n, i, h in session.execute(stmt)}


def member_names_without_id(session: Session) -> dict[tuple[str, str], str]:
    t = table("member")
    stmt = select(t.c.household_id, t.c.name, t.c.id).where(t.c.deleted_at.is_(None), t.c.id_number.is_(None))
    return {(h, n): i for h, n, i in session.execute(stmt)}


def recount_members(conn: Connection, household_ids: Sequence[str]) -> None:
    """Refresh ``household.member_count`` (kept for fast lists) of these households."""
    hh, m = Household.__table__, table("member")
    live = select(func.count()).where(m.c.household_id == hh.c.id, m.c.deleted_at.is_(None)).scalar_subquery()
    ids = list(household_ids)
    for i in range(0, len(ids), _ID_CHUNK):
        conn.execute(hh.update().where(hh.c.id.in_(ids[i:i + _ID_CHUNK])).values(member_count=live))


def first_village(session: Session) -> Village | None:
    return session.execute(
        select(Village).where(Village.deleted_at.is_(None)).order_by(Village.created_at).limit(1)
    ).scalar_one_or_none()


def village_rows(session: Session) -> list[tuple[str, str, str]]:
    t = Village.__table__
    return [tuple(r) for r in session.execute(select(t.c.id, t.c.name, t.c.division_code)
                                              .where(t.c.deleted_at.is_(None)).order_by(t.c.name))]


def setting_value(session: Session, key: str) -> str | None:
    return session.execute(select(SettingValue.value).where(SettingValue.key == key)).scalar_one_or_none()
