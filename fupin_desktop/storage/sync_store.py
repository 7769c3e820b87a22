"""The database side of 同步包: reading this copy's whole state with its field versions, and merging another's.

Merge rules, per field of every record (``versions`` explains the clock):
* the value with the higher version ``(hlc, installation)`` wins — on every copy, whatever the order of merges, so
  all copies converge (idempotent, commutative, associative);
* two edits of the same field are **concurrent** when neither side had seen the other's edit when it wrote (the
  version vectors in ``sync_state`` and in the package say what each side had seen): the winner is applied and a
  :class:`~fupin_desktop.storage.models.SyncConflict` keeps both values for a person to confirm or change; an edit
  against a deletion (a new tombstone) is a conflict too. Conflicts travel in packages, so every copy lists them;
* values written before versions existed (clock 0) that differ between copies are a conflict as well (the larger
  value wins, so both copies agree) — the first merge of two laptops loses nothing without listing it;
* derived household counters (members, last visit, open problems) are recomputed, not merged;
* an edit of a closed period's record that the closing did not contain is held back as a conflict (sync_closed).
Users, settings and the audit trail are local and never merged.
"""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, func, select, update
from sqlalchemy.engine import Connection

from fupin_desktop.storage import versions
from fupin_desktop.storage.models import (
    FieldVersion, Household, Member, PeriodClose, Problem, SyncConflict, SyncState, Visit, utcnow,
)
from fupin_desktop.storage.queries.exchange import upsert
from fupin_desktop.storage.sync_closed import ClosedPeriods
from fupin_desktop.storage.queries.visits import OPEN_STATUSES

_CHUNK = 900
ZERO = (0, "")
Version = tuple[int, str]


def plain(value: Any) -> Any:
    """A JSON value for a column value (dates ISO, money as text)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _converter(column) -> Callable[[Any], Any] | None:
    t = column.type
    if isinstance(t, Boolean):
        return bool
    if isinstance(t, DateTime):
        return datetime.fromisoformat
    if isinstance(t, Date):
        return date.fromisoformat
    if isinstance(t, Integer):
        return int
    if isinstance(t, Numeric):
        return Decimal
    return None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- reading this copy's state ------------------------------------------------------------------------------------


def vector(conn: Connection) -> dict[str, int]:
    """What this copy has seen of every installation (its own clock included)."""
    seen = {r.source_id: r.seen_hlc or 0 for r in conn.execute(select(SyncState.source_id, SyncState.seen_hlc))}
    info = versions.installation(conn)
    seen[info.id] = max(seen.get(info.id, 0), info.hlc)
    return seen


def dump_table(conn: Connection, name: str) -> dict:
    """One table as it travels: column names, rows (JSON values) and the field versions of its records."""
    t = versions.synced_tables()[name]
    columns = [c.name for c in t.columns]
    rows = [[plain(v) for v in r] for r in conn.execute(select(*t.columns).order_by(t.c.id))]
    fv = FieldVersion.__table__
    vers = [list(r) for r in conn.execute(
        select(fv.c.row_id, fv.c.field, fv.c.hlc, fv.c.origin, fv.c.author).where(fv.c.tbl == name)
        .order_by(fv.c.row_id, fv.c.field))]
    return {"table": name, "columns": columns, "rows": rows, "versions": vers}


CONFLICT_COLUMNS = [c.name for c in SyncConflict.__table__.columns]


def dump_conflicts(conn: Connection) -> list[list]:
    t = SyncConflict.__table__
    return [[plain(v) for v in r] for r in conn.execute(select(*t.columns).order_by(t.c.id))]


def attachment_hashes(conn: Connection) -> list[tuple[str, str]]:
    """(sha256, filename) of every attachment record, deleted ones included (their files may still be wanted)."""
    from fupin_desktop.storage.models import Attachment

    return [(r[0], r[1]) for r in conn.execute(select(Attachment.sha256, Attachment.filename).distinct())]


# --- merging ------------------------------------------------------------------------------------------------------


@dataclass
class TableCounts:
    new: int = 0
    updated: int = 0
    same: int = 0
    conflicts: int = 0


@dataclass
class MergeResult:
    tables: dict[str, TableCounts] = field(default_factory=dict)
    conflicts: list[dict] = field(default_factory=list)  # the new conflicts found in this merge (for the report)

    def counts(self, name: str) -> TableCounts:
        return self.tables.setdefault(name, TableCounts())


def conflict_id(tbl: str, row_id: str, fld: str, a: Version, b: Version) -> str:
    lo, hi = sorted([a, b])
    return hashlib.sha256(_json([tbl, row_id, fld, list(lo), list(hi)]).encode()).hexdigest()


class _Merger:
    def __init__(self, conn: Connection, local_vector: Mapping[str, int], sender_vector: Mapping[str, int],
                 id_cache: dict[str, set[str]] | None = None):
        self.conn = conn
        self.id_cache = {} if id_cache is None else id_cache
        self.local_vec = local_vector
        self.sender_vec = sender_vector
        self.result = MergeResult()
        self.now = utcnow()
        self.conflict_rows: dict[str, dict] = {}
        self.touched_households: set[str] = set()
        self.closed = None  # sync_closed.ClosedPeriods, once period_close is merged

    def known_here(self, v: Version) -> bool:
        return v[0] == 0 or self.local_vec.get(v[1], 0) >= v[0]

    def known_by_sender(self, v: Version) -> bool:
        return v[0] == 0 or self.sender_vec.get(v[1], 0) >= v[0]

    def add_conflict(self, tbl: str, row_id: str, fld: str, kind: str, winner: tuple, loser: tuple) -> None:
        """winner/loser: (value, (hlc, origin), author)."""
        cid = conflict_id(tbl, row_id, fld, winner[1], loser[1])
        if cid in self.conflict_rows:
            return
        row = {"id": cid, "tbl": tbl, "row_id": row_id, "field": fld, "kind": kind,
               "winner_value": _json(plain(winner[0])), "winner_hlc": winner[1][0], "winner_origin": winner[1][1],
               "winner_author": winner[2], "loser_value": _json(plain(loser[0])), "loser_hlc": loser[1][0],
               "loser_origin": loser[1][1], "loser_author": loser[2], "detected_at": self.now,
               "resolved_at": None, "resolved_by": None}
        self.conflict_rows[cid] = row

    def merge_table(self, name: str, data: Mapping[str, Any]) -> None:
        t = versions.synced_tables()[name]
        columns = list(data["columns"])
        if set(columns) != set(t.c.keys()):
            raise ValueError(f"{name}: columns differ")
        convert = [_converter(t.c[c]) for c in columns]
        fields = versions.synced_fields(t)
        counts = self.result.counts(name)
        id_pos = columns.index("id")

        incoming_versions: dict[str, dict[str, tuple[Version, str | None]]] = {}
        for row_id, fld, hlc, origin, author in data["versions"]:
            incoming_versions.setdefault(row_id, {})[fld] = ((int(hlc), str(origin)), author)

        # column by column: each converter once per distinct value of dates, times and flags
        raw_rows = data["rows"]
        cols = list(zip(*raw_rows)) if raw_rows else [() for _ in columns]
        for i, f in enumerate(convert):
            if f is None:
                continue
            if f in (bool, date.fromisoformat, datetime.fromisoformat):
                memo = {v: (None if v is None else f(v)) for v in set(cols[i])}
                cols[i] = list(map(memo.__getitem__, cols[i]))
            else:
                cols[i] = [None if v is None else f(v) for v in cols[i]]
        rows_in: dict[str, dict] = {r["id"]: r for r in map(dict, map(functools.partial(zip, columns), zip(*cols)))}
        local_ids = self._local_ids(t)
        present = [i for i in rows_in if i in local_ids]
        present += [i for i in incoming_versions if i not in rows_in and i in local_ids]
        local_rows = self._local_rows(t, present)
        purged_here = self._purged_ids(name)
        local_versions = self._local_versions(name, present + [i for i in rows_in if i in purged_here])

        inserts: list[dict] = []
        updates: list[dict] = []
        version_rows: list[dict] = []
        purge_ids: list[str] = []
        for row_id, row in rows_in.items():
            vin = incoming_versions.get(row_id, {})
            vloc = local_versions.get(row_id, {})
            local = local_rows.get(row_id)
            if local is None:
                purged = vloc.get(versions.PURGED)
                if purged is not None and all(v[0] <= purged[0] for v, _ in vin.values()):
                    counts.same += 1  # removed here after every edit the sender knows of
                    continue
                inserts.append(row)
                if vin:
                    version_rows.extend(self._version_rows(name, row_id, vin))
                counts.new += 1
                self._touch(name, row)
                continue
            if vin == vloc and all(row.get(f) == local.get(f) for f in fields):
                counts.same += 1  # the common case of a repeated merge: nothing to compare field by field
                continue
            changed, versions_out, conflicts = self._merge_row(name, row_id, fields, row, local, vin, vloc)
            if self.closed is not None and name in self.closed.tables:
                conflicts += self.closed.hold_back(self, name, row_id, fields, row, local, vin, vloc, changed,
                                                   versions_out)
            if changed:
                out = {"id": row_id, **changed}
                # the later of the two (always given: the column's onupdate would otherwise stamp "now")
                newer = row.get("updated_at") and (local.get("updated_at") is None
                                                  or row["updated_at"] > local["updated_at"])
                src = row if newer else local
                out["updated_at"], out["updated_by"] = src.get("updated_at"), src.get("updated_by")
                updates.append(out)
                counts.updated += 1
                self._touch(name, {**local, **changed})
                self._touch(name, local)
            else:
                counts.same += 1
            counts.conflicts += conflicts
            version_rows.extend(versions_out)
        # removals outright (not tombstones) the sender knows of
        for row_id, vin in incoming_versions.items():
            if row_id in rows_in or versions.PURGED not in vin:
                continue
            purged_hlc = vin[versions.PURGED][0][0]
            vloc = local_versions.get(row_id, {})
            if row_id in local_rows and all(v[0] < purged_hlc for v, _ in vloc.values()):
                purge_ids.append(row_id)
                self._touch(name, local_rows[row_id])
            version_rows.extend(self._version_rows(name, row_id, {versions.PURGED: vin[versions.PURGED]}))

        upsert(self.conn, name, inserts, updates)
        local_ids.update(r["id"] for r in inserts)
        local_ids.difference_update(purge_ids)
        if purge_ids:
            for i in range(0, len(purge_ids), _CHUNK):
                self.conn.execute(t.delete().where(t.c.id.in_(purge_ids[i:i + _CHUNK])))
        versions.upsert_versions(self.conn, version_rows)

    def _merge_row(self, name, row_id, fields, row, local, vin, vloc):
        changed: dict[str, Any] = {}
        version_rows: list[dict] = []
        conflicts = 0
        row_in = vin.get(versions.ROW, (ZERO, None))
        row_loc = vloc.get(versions.ROW, (ZERO, None))
        new_in: list[str] = []  # fields whose incoming edit is new here
        for f in fields:
            (v_in, a_in) = vin.get(f, row_in)
            (v_loc, a_loc) = vloc.get(f, row_loc)
            val_in, val_loc = row.get(f), local.get(f)
            if v_in == v_loc:
                if v_in == ZERO and plain(val_in) != plain(val_loc):
                    # both written before versions existed: the larger value wins on both copies, listed
                    win_in = _json(plain(val_in)) > _json(plain(val_loc))
                    winner, loser = ((val_in, v_in, a_in), (val_loc, v_loc, a_loc)) if win_in else \
                        ((val_loc, v_loc, a_loc), (val_in, v_in, a_in))
                    self.add_conflict(name, row_id, f, "field", winner, loser)
                    conflicts += 1
                    if win_in:
                        changed[f] = val_in
                continue
            if self.known_here(v_in):
                continue  # already seen (and since overwritten here)
            new_in.append(f)
            take = v_in > v_loc
            base = vin.get(f + versions.BASE)
            if not self.known_by_sender(v_loc) and plain(val_in) != plain(val_loc):
                winner, loser = ((val_in, v_in, a_in), (val_loc, v_loc, a_loc)) if take else \
                    ((val_loc, v_loc, a_loc), (val_in, v_in, a_in))
                self.add_conflict(name, row_id, f, "field", winner, loser)
                conflicts += 1
            elif (v_loc == ZERO and base is not None and plain(val_in) != plain(val_loc)
                  and versions.value_hash(plain(val_loc)) != base[0][0]):
                # the sender replaced another unversioned value than the one held here: both were edits
                self.add_conflict(name, row_id, f, "field", (val_in, v_in, a_in), (val_loc, v_loc, a_loc))
                conflicts += 1
            if take:
                if plain(val_in) != plain(val_loc):
                    changed[f] = val_in
                # (an incoming insert version is recorded per field: the local "*" stays for the others)
                version_rows.append(self._version_row(name, row_id, f, v_in, a_in))
                if base is not None:
                    version_rows.append(self._version_row(name, row_id, f + versions.BASE, base[0], None))
        if "deleted_at" in fields:
            conflicts += self._deletion_conflict(name, row_id, fields, row, local, vin, vloc, new_in)
        return changed, version_rows, conflicts

    def _deletion_conflict(self, name, row_id, fields, row, local, vin, vloc, new_in) -> int:
        """An edit on one side while the other side deleted the record (neither knowing of the other)."""
        row_in = vin.get(versions.ROW, (ZERO, None))
        row_loc = vloc.get(versions.ROW, (ZERO, None))
        del_in, del_loc = row.get("deleted_at"), local.get("deleted_at")
        if bool(del_in) == bool(del_loc):
            return 0
        if del_in:  # deleted there: local edits the deleter did not know of?
            v_del, a_del = vin.get("deleted_at", row_in)
            if self.known_here(v_del):
                return 0
            edits = [(f, vloc[f]) for f in fields if f in vloc and f != "deleted_at"
                     and not self.known_by_sender(vloc[f][0])]
            deleted_side, edit_side = (del_in, v_del, a_del), edits
            edit_values = local
        else:  # deleted here: edits from there that this side did not know of?
            v_del, a_del = vloc.get("deleted_at", row_loc)
            if self.known_by_sender(v_del):
                return 0
            edits = [(f, vin[f]) for f in new_in if f in vin and f != "deleted_at"]
            deleted_side, edit_side = (del_loc, v_del, a_del), edits
            edit_values = row
        if not edit_side:
            return 0
        f, (v_edit, a_edit) = max(edit_side, key=lambda e: e[1][0])
        self.add_conflict(name, row_id, "deleted_at", "delete", deleted_side,
                          ({f: plain(edit_values.get(f))}, v_edit, a_edit))
        return 1

    @staticmethod
    def _version_row(name, row_id, f, v, author) -> dict:
        return {"tbl": name, "row_id": row_id, "field": f, "hlc": v[0], "origin": v[1], "author": author}

    def _version_rows(self, name, row_id, vin) -> list[dict]:
        return [self._version_row(name, row_id, f, v, a) for f, (v, a) in vin.items()]

    def _touch(self, name: str, row: Mapping[str, Any]) -> None:
        if name == "household":
            self.touched_households.add(row["id"])
        elif name in ("member", "visit", "problem") and row.get("household_id"):
            self.touched_households.add(row["household_id"])

    def _local_ids(self, t) -> set[str]:
        """Every id of the table here (kept across the packages of one merge: each is read once)."""
        ids = self.id_cache.get(t.name)
        if ids is None:
            ids = self.id_cache[t.name] = set(self.conn.execute(select(t.c.id)).scalars())
        return ids

    def _purged_ids(self, name: str) -> set[str]:
        fv = FieldVersion.__table__
        return set(self.conn.execute(select(fv.c.row_id).where(fv.c.tbl == name, fv.c.field == versions.PURGED))
                   .scalars())

    def _local_rows(self, t, ids: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for i in range(0, len(ids), _CHUNK):
            for r in self.conn.execute(select(*t.columns).where(t.c.id.in_(ids[i:i + _CHUNK]))).mappings():
                out[r["id"]] = dict(r)
        return out

    def _local_versions(self, name: str, ids: list[str]) -> dict[str, dict[str, tuple[Version, str | None]]]:
        fv = FieldVersion.__table__
        out: dict[str, dict] = {}
        if not ids:
            return out
        # a table without any version here (e.g. a township's first merge) needs no lookups
        if self.conn.execute(select(fv.c.tbl).where(fv.c.tbl == name).limit(1)).first() is None:
            return out
        for i in range(0, len(ids), _CHUNK):
            for r in self.conn.execute(select(fv.c.row_id, fv.c.field, fv.c.hlc, fv.c.origin, fv.c.author)
                                       .where(fv.c.tbl == name, fv.c.row_id.in_(ids[i:i + _CHUNK]))):
                out.setdefault(r.row_id, {})[r.field] = ((r.hlc, r.origin), r.author)
        return out

    def merge_conflicts(self, incoming: Iterable[list]) -> None:
        """Conflicts found elsewhere travel too: a union; a resolution made on any copy holds on all."""
        t = SyncConflict.__table__
        conv = [_converter(c) for c in t.columns]
        for raw in incoming:
            row = {c.name: (f(v) if f is not None and v is not None else v)
                   for c, f, v in zip(t.columns, conv, raw)}
            self.conflict_rows.setdefault(row["id"], row)
            mine = self.conflict_rows[row["id"]]
            if row["resolved_at"] and (mine["resolved_at"] is None or row["resolved_at"] > mine["resolved_at"]):
                mine["resolved_at"], mine["resolved_by"] = row["resolved_at"], row["resolved_by"]

    def write_conflicts(self) -> None:
        t = SyncConflict.__table__
        ids = list(self.conflict_rows)
        existing: dict[str, Any] = {}
        for i in range(0, len(ids), _CHUNK):
            for r in self.conn.execute(select(t.c.id, t.c.resolved_at).where(t.c.id.in_(ids[i:i + _CHUNK]))):
                existing[r.id] = r.resolved_at
        new = [r for cid, r in self.conflict_rows.items() if cid not in existing]
        if new:
            self.conn.execute(t.insert(), new)
        for cid, r in self.conflict_rows.items():
            if cid in existing and r["resolved_at"] and (existing[cid] is None or r["resolved_at"] > existing[cid]):
                self.conn.execute(update(t).where(t.c.id == cid).values(resolved_at=r["resolved_at"],
                                                                           resolved_by=r["resolved_by"]))
        self.result.conflicts = [r for r in new if r["resolved_at"] is None]

    def recount(self) -> None:
        ids = sorted(self.touched_households)
        h = Household.__table__
        for i in range(0, len(ids), _CHUNK):
            part = ids[i:i + _CHUNK]
            self.conn.execute(update(h).where(h.c.id.in_(part)).values(
                updated_at=h.c.updated_at,  # a recount is not an edit (the column's onupdate would stamp now)
                member_count=select(func.count()).select_from(Member.__table__).where(
                    Member.__table__.c.household_id == h.c.id, Member.__table__.c.deleted_at.is_(None))
                .scalar_subquery(),
                last_visit_on=select(func.max(Visit.__table__.c.visit_date)).where(
                    Visit.__table__.c.household_id == h.c.id, Visit.__table__.c.deleted_at.is_(None))
                .scalar_subquery(),
                open_problems=select(func.count()).select_from(Problem.__table__).where(
                    Problem.__table__.c.household_id == h.c.id, Problem.__table__.c.deleted_at.is_(None),
                    Problem.__table__.c.status.in_(OPEN_STATUSES)).scalar_subquery(),
            ))


def merge_state(conn: Connection, tables: Iterable[Mapping[str, Any]], conflicts: Iterable[list],
                sender_vector: Mapping[str, int], sender_village: str | None,
                progress: Callable[[str], None] | None = None,
                id_cache: dict[str, set[str]] | None = None) -> MergeResult:
    """Merge one package's state into this database inside the caller's transaction (the caller commits).
    ``id_cache``: the same dict for every package of one transaction (the ids of each table are read once)."""
    local_vec = vector(conn)
    m = _Merger(conn, local_vec, sender_vector, id_cache)
    # closures first: an edit arriving into a period closed in the same package is held back too (sync_closed)
    order = {n: (n != PeriodClose.__tablename__, i) for i, n in enumerate(versions.synced_tables())}
    for data in sorted(tables, key=lambda d: order[d["table"]]):
        if m.closed is None and data["table"] != PeriodClose.__tablename__:
            m.closed = ClosedPeriods(conn)
        if progress:
            progress(data["table"])
        m.merge_table(data["table"], data)
    m.closed = m.closed or ClosedPeriods(conn)
    if m.closed.closures:
        m.closed.hold_back_added(m)
    m.merge_conflicts(conflicts)
    m.write_conflicts()
    m.recount()
    # what this copy has now seen: everything the sender had seen
    st = SyncState.__table__
    for origin, hlc in sender_vector.items():
        if hlc <= local_vec.get(origin, 0) and origin in local_vec:
            continue
        if conn.execute(select(st.c.source_id).where(st.c.source_id == origin)).first() is None:
            conn.execute(st.insert().values(source_id=origin, last_merged_at=m.now, seen_hlc=hlc))
        else:
            conn.execute(update(st).where(st.c.source_id == origin, st.c.seen_hlc < hlc)
                         .values(seen_hlc=hlc, last_merged_at=m.now))
    high = max(sender_vector.values(), default=0)
    info = versions.installation(conn)
    versions.advance(conn, versions.receive(info.hlc, high))
    return m.result


def note_sender(conn: Connection, installation_id: str, village: str | None) -> None:
    st = SyncState.__table__
    conn.execute(update(st).where(st.c.source_id == installation_id).values(note=village, last_merged_at=utcnow()))


# --- the conflict list ----------------------------------------------------------------------------------------------


def conflict_rows(conn: Connection, open_only: bool = True) -> list[dict]:
    t = SyncConflict.__table__
    stmt = select(*t.columns).order_by(t.c.detected_at, t.c.tbl, t.c.row_id, t.c.field)
    if open_only:
        stmt = stmt.where(t.c.resolved_at.is_(None))
    return [dict(r) for r in conn.execute(stmt).mappings()]


def conflict_row(conn: Connection, conflict_id: str) -> dict | None:
    t = SyncConflict.__table__
    r = conn.execute(select(*t.columns).where(t.c.id == conflict_id)).mappings().first()
    return dict(r) if r else None


def mark_resolved(session, conflict_id: str, by: str | None) -> None:
    t = SyncConflict.__table__
    session.execute(update(t).where(t.c.id == conflict_id).values(resolved_at=utcnow(), resolved_by=by))


def model_for(name: str):
    from fupin_desktop.storage.models import Base

    for m in Base.registry.mappers:
        if m.class_.__tablename__ == name:
            return m.class_
    raise KeyError(name)


def value_for(name: str, fld: str, value: Any) -> Any:
    """A JSON value back to the column's type."""
    f = _converter(versions.synced_tables()[name].c[fld])
    return f(value) if f is not None and value is not None else value


# What people recognise a record by, per table (first columns that exist).
_NAME_COLUMNS = ("number", "head_name", "name", "topic", "title", "product", "visit_date", "entry_date", "raised_on",
                 "log_date", "day", "year")


def record_names(conn: Connection, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    by_table: dict[str, set[str]] = {}
    for tbl, row_id in pairs:
        by_table.setdefault(tbl, set()).add(row_id)
    out: dict[tuple[str, str], str] = {}
    tables = versions.synced_tables()
    for tbl, ids in by_table.items():
        t = tables.get(tbl)
        if t is None:
            continue
        cols = [t.c[c] for c in _NAME_COLUMNS if c in t.c][:2]
        if not cols:
            continue
        ids_list = sorted(ids)
        for i in range(0, len(ids_list), _CHUNK):
            for r in conn.execute(select(t.c.id, *cols).where(t.c.id.in_(ids_list[i:i + _CHUNK]))):
                out[(tbl, r[0])] = " ".join(str(plain(v)) for v in r[1:] if v not in (None, ""))
    return out
