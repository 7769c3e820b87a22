"""结账 in the 同步包 merge: an edit made on another laptop to a record of a closed period, which the closing did not
contain, is held back and listed as a conflict to confirm — never applied silently.

The merge writes through Core, so :mod:`~fupin_desktop.storage.period_lock` (an ORM flush hook) does not see it;
this module is the merge's counterpart, using the same declarations (``period_lock.DATED``: which tables are period
records, their date column, how to reach their village).

What the closing contained: at closing, :func:`seen_now` stores the closing copy's version vector in the closure
(``period_close.snapshot["_seen"]``, it travels with the closure). A field version ``(hlc, installation)`` is
*after the closing* when the closing copy had not seen it. (A closure made before the vector was stored falls back
to the clock: after the closing when its clock is later than the closure's.)

The rule, per field of a record dated inside a closure in force after the merge (closures arriving in the same
package count — ``period_close`` is merged first): when exactly one of the two values was written after the closing,
the other one (the value as closed) stays; the later edit is kept in a ``sync_conflict`` of kind ``closed`` (the
value as closed "in use", the other laptop's value "other"). The kept value is stamped with a new version of this
copy so that every copy converges on it; the conflict's id comes from the two original versions, so the laptop
that closed and the laptop that edited list the same conflict once. Taking the other value (``SyncService.resolve``)
is an ordinary edit: refused by the period lock until an administrator reopens the period.

A record *added* on another laptop inside the period, unseen by the closing, is removed on every copy (a tombstone
dated at the closing) and listed (field ``*``): keeping it means restoring it, again only after a reopen
(:meth:`ClosedPeriods.hold_back_added`). Child rows (a visit's cadres…) follow no rule of their own here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from fupin_desktop.storage import period_lock, versions
from fupin_desktop.storage.models import FieldVersion, PeriodClose

SEEN_KEY = "_seen"  # in period_close.snapshot: {installation id: highest clock the closing copy had seen}
KIND = "closed"
ZERO = (0, "")


def seen_now(conn: Connection) -> dict[str, int]:
    """This copy's version vector (stored in a closure at closing)."""
    from fupin_desktop.storage.sync_store import vector

    return vector(conn)


@dataclass(frozen=True)
class Closure:
    start: date
    end: date
    village_id: str | None
    seen: dict[str, int] | None
    version: tuple[int, str]  # of its closed_at: the fallback when ``seen`` is missing
    closed_by: str
    closed_at: Any = None

    def contained(self, v: tuple[int, str]) -> bool:
        """Whether the closing copy had seen the field version ``v`` (values from before versions: yes)."""
        if v[0] == 0:
            return True
        if self.seen is not None:
            return self.seen.get(v[1], 0) >= v[0]
        return v < self.version


def closures_in_force(conn: Connection) -> list[Closure]:
    t = PeriodClose.__table__
    rows = conn.execute(select(t.c.id, t.c.start_date, t.c.end_date, t.c.village_id, t.c.snapshot, t.c.closed_by,
                               t.c.closed_at)
                        .where(t.c.deleted_at.is_(None), t.c.reopened_at.is_(None))).all()
    if not rows:
        return []
    fv = FieldVersion.__table__
    vers: dict[str, dict[str, tuple[int, str]]] = {}
    for r in conn.execute(select(fv.c.row_id, fv.c.field, fv.c.hlc, fv.c.origin).where(
            fv.c.tbl == t.name, fv.c.row_id.in_([r.id for r in rows]), fv.c.field.in_(("closed_at", versions.ROW)))):
        vers.setdefault(r.row_id, {})[r.field] = (r.hlc, r.origin)
    out = []
    for r in rows:
        try:
            seen = json.loads(r.snapshot or "{}").get(SEEN_KEY)
        except ValueError:
            seen = None
        v = vers.get(r.id, {})
        out.append(Closure(r.start_date, r.end_date, r.village_id, seen,
                           v.get("closed_at", v.get(versions.ROW, ZERO)), r.closed_by, r.closed_at))
    return out


_BY_TABLE = {cls.__tablename__: (cls, spec) for cls, spec in period_lock.DATED.items()}


class ClosedPeriods:
    """The merge's view of the closures in force (read once after ``period_close`` was merged)."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.closures = closures_in_force(conn)
        self.stamp: int | None = None
        self.tables = frozenset(_BY_TABLE) if self.closures else frozenset()

    def _village(self, name: str, row: dict) -> str | None:
        if "village_id" in row and row["village_id"]:
            return row["village_id"]
        _cls, spec = _BY_TABLE[name]
        current: dict | None = row
        for parent, fk in spec.village_via:
            ref = current.get(fk) if current else None
            if ref is None:
                return None
            t = parent.__table__
            found = self.conn.execute(select(*t.columns).where(t.c.id == ref)).mappings().first()
            current = dict(found) if found else None
            if current and current.get("village_id"):
                return current["village_id"]
        return None

    def covering(self, name: str, row: dict, local: dict) -> Closure | None:
        _cls, spec = _BY_TABLE[name]
        days = {d for d in (row.get(spec.column), local.get(spec.column)) if isinstance(d, date)}
        village = None
        for c in self.closures:
            if any(c.start <= d <= c.end for d in days):
                if c.village_id is not None:
                    village = village or self._village(name, local) or self._village(name, row)
                    if village is not None and village != c.village_id:
                        continue
                return c
        return None

    def new_version(self, high: int) -> tuple[int, str]:
        """One version of this copy for every value kept in this merge: above everything merged."""
        info = versions.installation(self.conn)
        if self.stamp is None or self.stamp <= high:
            self.stamp = versions.receive(max(info.hlc, self.stamp or 0), high)
            versions.advance(self.conn, self.stamp)
        return self.stamp, info.id

    def hold_back(self, merger, name: str, row_id: str, fields: list[str], row: dict, local: dict,
                  vin: dict, vloc: dict, changed: dict[str, Any], version_rows: list[dict]) -> int:
        """Apply the rule to one merged record; returns the number of closed-period conflicts found."""
        closure = self.covering(name, row, local)
        if closure is None:
            return 0
        row_in = vin.get(versions.ROW, (ZERO, None))
        row_loc = vloc.get(versions.ROW, (ZERO, None))
        found = 0
        for f in fields:
            v_in, a_in = vin.get(f, row_in)
            v_loc, a_loc = vloc.get(f, row_loc)
            val_in, val_loc = row.get(f), local.get(f)
            if _plain(val_in) == _plain(val_loc):
                continue
            in_closed, loc_closed = closure.contained(v_in), closure.contained(v_loc)
            if in_closed == loc_closed:
                continue  # both in the closing, or both after it: the usual rules
            if in_closed:
                kept, edit = (val_in, v_in, a_in), (val_loc, v_loc, a_loc)
            else:
                kept, edit = (val_loc, v_loc, a_loc), (val_in, v_in, a_in)
            if _plain(kept[0]) != _plain(val_loc):
                changed[f] = kept[0]
            else:
                changed.pop(f, None)
            version_rows[:] = [v for v in version_rows if v["field"] not in (f, f + versions.BASE)]
            hlc, origin = self.new_version(max(v_in[0], v_loc[0]))
            version_rows.append({"tbl": name, "row_id": row_id, "field": f, "hlc": hlc, "origin": origin,
                                 "author": kept[2]})
            for cid in [cid for cid, c in merger.conflict_rows.items()
                        if (c["tbl"], c["row_id"], c["field"]) == (name, row_id, f) and c["detected_at"] == merger.now]:
                del merger.conflict_rows[cid]  # replaced by the closed-period conflict
            merger.add_conflict(name, row_id, f, KIND, kept, edit)
            # shown as the value as closed: by whom and when it was closed (the id keeps the values' versions)
            shown = merger.conflict_rows[conflict_id(name, row_id, f, kept[1], edit[1])]
            shown.update(winner_hlc=closure.version[0], winner_origin=closure.version[1],
                         winner_author=closure.closed_by)
            found += 1
        return found


    def hold_back_added(self, merger) -> int:
        """Records *added* elsewhere inside a closure that did not contain them (their insert version unseen by
        the closing copy), whether merged now or already here: removed (a tombstone dated at the closing, the
        same on every copy) and listed as a conflict of field ``*`` — keeping them is restoring the record, which
        the period lock refuses until the period is reopened. Returns the number found."""
        found = 0
        fv = FieldVersion.__table__
        for name, (cls, spec) in _BY_TABLE.items():
            t = cls.__table__
            date_col = t.c[spec.column]
            for closure in self.closures:
                rows = self.conn.execute(
                    select(t, fv.c.hlc, fv.c.origin, fv.c.author)
                    .join(fv, (fv.c.tbl == name) & (fv.c.row_id == t.c.id) & (fv.c.field == versions.ROW))
                    .where(t.c.deleted_at.is_(None), date_col >= closure.start, date_col <= closure.end,
                           fv.c.hlc > 0)).mappings().all()
                for r in rows:
                    inserted = (r["hlc"], r["origin"])
                    if closure.contained(inserted):
                        continue
                    row = {c.name: r[c.name] for c in t.columns}
                    if closure.village_id is not None:
                        village = self._village(name, row)
                        if village is not None and village != closure.village_id:
                            continue
                    self.conn.execute(t.update().where(t.c.id == row["id"]).values(
                        deleted_at=closure.closed_at, updated_at=t.c.updated_at))
                    hlc, origin = self.new_version(inserted[0])
                    versions.upsert_versions(self.conn, [{"tbl": name, "row_id": row["id"], "field": "deleted_at",
                                                          "hlc": hlc, "origin": origin,
                                                          "author": closure.closed_by}])
                    merger.add_conflict(name, row["id"], versions.ROW, KIND,
                                        (None, closure.version, closure.closed_by),
                                        ({spec.column: _plain(row[spec.column])}, inserted, r["author"]))
                    merger._touch(name, row)
                    found += 1
        return found


def conflict_id(*args) -> str:
    from fupin_desktop.storage.sync_store import conflict_id as cid

    return cid(*args)


def _plain(value: Any) -> Any:
    from fupin_desktop.storage.sync_store import plain

    return plain(value)
