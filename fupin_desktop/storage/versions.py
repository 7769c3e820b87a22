"""Per-field versions of synced records: a hybrid logical clock (HLC), stamped by the write hook.

A clock value is one integer, ``physical milliseconds << 16 | counter``, paired with the installation id that wrote
it: ``(hlc, origin)`` orders every edit of every copy the same way (ties broken by the installation id), and the
clock never runs backwards on one installation even when its wall clock does (it only ever counts up from the
highest clock it has seen, its own or a merged package's) — so a later local edit always wins over what a merged
package brought, however wrong either wall clock was. References: cr-sqlite's per-column versions with a site id,
and the hybrid logical clocks of Kulkarni et al.

Storage (``field_version``): one row per (table, record, field) that has its own version, plus the row ``*`` for the
version of every field not versioned on its own (the insert). A record with no rows predates versions: clock 0.
Stamping happens in :func:`stamp_flush`, called by the audit hook in the same flush as the edit it stamps.
"""
from __future__ import annotations

import functools
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from fupin_desktop.storage.models import (
    Base, FieldVersion, Installation, SettingValue, SyncState, Tracked, Village, new_id, utcnow,
)

ROW = "*"  # the version of every field that has no version row of its own (set when the record is inserted)
PURGED = "-"  # the record was removed outright (not a tombstone): its clock
BASE = "<"  # field + BASE: hash (in ``hlc``) of the unversioned value the field's first edit replaced
COUNTER_BITS = 16
LOCAL_TABLES = frozenset({"app_user", "setting"})  # users and settings stay on their laptop
# Kept by services from other rows: recomputed after a merge rather than merged (they would always conflict).
DERIVED = {"household": frozenset({"member_count", "last_visit_on", "open_problems"})}
META = frozenset({"id", "created_at", "created_by", "updated_at", "updated_by"})
VILLAGE_DEFAULTED = frozenset({"cadre", "diary_entry", "problem", "work_log", "project", "donor", "donation",
                               "purchase", "monitoring_line", "code_extension", "period_close", "cadre_target",
                               "suggestion"})


def value_hash(value) -> int:
    """A 60-bit hash of a plain (JSON) value: dates ISO, money as text (as the audit trail writes them)."""
    import hashlib
    import json

    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:15], 16)


def physical_ms(hlc: int) -> int:
    return hlc >> COUNTER_BITS


def tick(last: int, now_ms: int | None = None) -> int:
    """The next local clock after ``last``: the wall clock when it is ahead, else one more count."""
    now = (int(time.time() * 1000) if now_ms is None else now_ms) << COUNTER_BITS
    return max(now, last + 1)


def receive(last: int, remote: int, now_ms: int | None = None) -> int:
    """The clock after seeing ``remote``: above both, so every later local edit wins over what was received."""
    return max(tick(last, now_ms), remote + 1)


@functools.lru_cache(maxsize=1)
def synced_tables() -> dict[str, Table]:
    """Every table whose records travel in a 同步包, parents before children (do not modify the dict)."""
    return {t.name: t for t in Base.metadata.sorted_tables
            if t.name not in LOCAL_TABLES and "deleted_at" in t.c and "id" in t.c}


def synced_fields(table: Table) -> list[str]:
    derived = DERIVED.get(table.name, frozenset())
    return [c.name for c in table.c if c.name not in META and c.name not in derived]


@dataclass(frozen=True)
class InstallationInfo:
    id: str
    village_id: str | None
    hlc: int


HOME_KEY = "sync.installation_home"  # local setting: "<installation id> <computer name>"
_homes_checked: set[tuple[str, str]] = set()


def _check_home(conn_or_session, row):
    """A data folder copied to another computer (the usual way to set up the 队员's laptop) must not keep the
    original's identity: two installations writing under one id would take each other's edits for already seen.
    The copy gets a new id (its clock continues; the old id is recorded as seen) and a new signing key."""
    bind = conn_or_session.get_bind() if hasattr(conn_or_session, "get_bind") else conn_or_session.engine
    key = (str(bind.url), row.id)
    if key in _homes_checked:
        return row
    host = socket.gethostname() or "?"
    st = SettingValue.__table__
    stored = conn_or_session.execute(select(st.c.value).where(st.c.key == HOME_KEY)).scalar()
    mine = f"{row.id} {host}"
    if stored is None:
        conn_or_session.execute(st.insert().values(id=new_id(), key=HOME_KEY, value=mine, created_at=utcnow(),
                                                   updated_at=utcnow()))
    elif stored != mine:
        if stored.split(" ", 1)[0] == row.id:  # this installation, last seen on another computer: a copy
            fresh = new_id()
            conn_or_session.execute(SyncState.__table__.insert().values(
                source_id=row.id, last_merged_at=utcnow(), seen_hlc=row.hlc, note="复制前的本机标识"))
            conn_or_session.execute(update(Installation).where(Installation.id == row.id)
                                    .values(id=fresh, signing_key=None))
            row = InstallationInfo(fresh, row.village_id, row.hlc)
            mine = f"{row.id} {host}"
        conn_or_session.execute(update(st).where(st.c.key == HOME_KEY).values(value=mine, updated_at=utcnow()))
    _homes_checked.add((str(bind.url), row.id))
    return row


def installation(conn_or_session) -> InstallationInfo:
    """This database's installation (created on first use, named after its first village; a copy of the data
    folder on another computer becomes an installation of its own)."""
    row = conn_or_session.execute(select(Installation.id, Installation.village_id, Installation.hlc)).first()
    if row is not None:
        row = _check_home(conn_or_session, InstallationInfo(row.id, row.village_id, row.hlc))
    if row is None:
        village = conn_or_session.execute(select(Village.id).order_by(Village.created_at).limit(1)).scalar()
        info = InstallationInfo(new_id(), village, 0)
        conn_or_session.execute(Installation.__table__.insert().values(id=info.id, village_id=village, hlc=0))
        return info
    if row.village_id is None:
        village = conn_or_session.execute(select(Village.id).order_by(Village.created_at).limit(1)).scalar()
        if village is not None:
            set_home_village(conn_or_session, village)
            return InstallationInfo(row.id, village, row.hlc)
    return InstallationInfo(row.id, row.village_id, row.hlc)


def set_home_village(conn_or_session, village_id: str) -> None:
    """The village new records belong to when a service does not say (a team laptop has one)."""
    conn_or_session.execute(update(Installation).values(village_id=village_id))


def claim_home_village(conn_or_session, village_id: str) -> None:
    """Make ``village_id`` this installation's village unless it already has one that still exists."""
    current = installation(conn_or_session).village_id
    if current is None or current == village_id or conn_or_session.execute(
            select(Village.id).where(Village.id == current)).first() is None:
        set_home_village(conn_or_session, village_id)


def advance(conn_or_session, hlc: int) -> None:
    conn_or_session.execute(update(Installation).where(Installation.hlc < hlc).values(hlc=hlc))


def upsert_versions(conn, rows: list[dict]) -> None:
    """Write field versions (``tbl, row_id, field, hlc, origin, author``), replacing older ones of the same key."""
    if not rows:
        return
    t = FieldVersion.__table__
    # the dialect modules on use: the PostgreSQL one costs ~0.1 s of every start-up otherwise
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    ins = insert(t)
    stmt = ins.on_conflict_do_update(
        index_elements=["tbl", "row_id", "field"],
        set_={"hlc": ins.excluded.hlc, "origin": ins.excluded.origin, "author": ins.excluded.author},
    )
    for i in range(0, len(rows), 2000):
        conn.execute(stmt, rows[i:i + 2000])


def _session_clock(session: Session) -> tuple[InstallationInfo, int]:
    """One clock value per transaction (every field it writes carries the same version)."""
    cached = session.info.get("hlc")
    if cached is None:
        with session.no_autoflush:
            info = installation(session)
            hlc = tick(info.hlc)
            advance(session, hlc)
        cached = session.info["hlc"] = (info, hlc)
    return cached


def stamp_flush(session: Session, inserted: Iterable[Tracked], updated: Iterable[tuple[Tracked, Iterable[str]]],
                purged: Iterable[Tracked], author: str | None) -> None:
    """Stamp the fields this flush writes (called by the audit hook, which already knows what changed)."""
    tables = synced_tables()
    rows: list[dict] = []
    info = hlc = None

    def clock():
        nonlocal info, hlc
        if hlc is None:
            info, hlc = _session_clock(session)
        return hlc

    for obj in inserted:
        name = obj.__tablename__
        if name not in tables:
            continue
        v = clock()
        rows.append({"tbl": name, "row_id": obj.id, "field": ROW, "hlc": v, "origin": info.id, "author": author})
    fields_old: dict[int, dict] = {}
    for obj, fields in updated:
        if isinstance(fields, dict):  # {field: [old, new]} from the audit hook
            fields_old[id(obj)] = {f: ov[0] for f, ov in fields.items()}
        name = obj.__tablename__
        if name not in tables:
            continue
        derived = DERIVED.get(name, frozenset())
        fields = [f for f in fields if f not in META and f not in derived]
        if not fields:
            continue
        v = clock()
        rows.extend({"tbl": name, "row_id": obj.id, "field": f, "hlc": v, "origin": info.id, "author": author}
                    for f in fields)
        # The first edit of a value written before versions existed also records what it replaced (a hash), so
        # that a copy holding another unversioned value there sees a conflict instead of losing it silently.
        old_values = fields_old.get(id(obj), {})
        with session.no_autoflush:
            versioned = set(session.connection().execute(
                select(FieldVersion.field).where(FieldVersion.tbl == name, FieldVersion.row_id == obj.id)).scalars())
        if ROW not in versioned:
            rows.extend({"tbl": name, "row_id": obj.id, "field": f + BASE, "hlc": value_hash(old_values.get(f)),
                         "origin": info.id, "author": None} for f in fields if f not in versioned)
    for obj in purged:
        name = obj.__tablename__
        if name in tables:
            rows.append({"tbl": name, "row_id": obj.id, "field": PURGED, "hlc": clock(), "origin": info.id,
                         "author": author})
    if rows:
        with session.no_autoflush:
            upsert_versions(session.connection(), rows)


def stamp_rows(conn, name: str, inserts: Iterable[dict], updates: Iterable[dict], author: str | None) -> None:
    """Versions for rows written in bulk (roster import): an insert stamps the record, an update the fields given."""
    if name not in synced_tables():
        return
    info = installation(conn)
    hlc = tick(info.hlc)
    derived = DERIVED.get(name, frozenset())
    rows = [{"tbl": name, "row_id": r["id"], "field": ROW, "hlc": hlc, "origin": info.id, "author": author}
            for r in inserts]
    rows += [{"tbl": name, "row_id": r["id"], "field": f, "hlc": hlc, "origin": info.id, "author": author}
             for r in updates for f in r if f not in META and f not in derived]
    if rows:
        advance(conn, hlc)
        upsert_versions(conn, rows)


def default_village(session: Session, obj: Tracked) -> None:
    """Give a new record of a village-scoped table this installation's village when the service left it empty;
    the first village inserted becomes the installation's village."""
    name = obj.__tablename__
    if name == "village":
        info, hlc = _session_clock(session)
        if info.village_id is None:
            obj.id = obj.id or new_id()
            with session.no_autoflush:
                set_home_village(session.connection(), obj.id)
            session.info["hlc"] = (InstallationInfo(info.id, obj.id, info.hlc), hlc)
    elif name in VILLAGE_DEFAULTED and getattr(obj, "village_id", None) is None:
        info, _ = _session_clock(session)
        if info.village_id:
            obj.village_id = info.village_id


def forget_clock(session: Session) -> None:
    session.info.pop("hlc", None)
