"""The audit hook, in one place: every ORM insert, update and (soft) delete writes an AuditEntry.

Entries are append-only and hash-chained: ``hash = sha256(prev_hash + canonical row)``, so editing or removing a
row in the file breaks the chain, which :func:`verify_chain` (and ``fupin-desktop check``) reports.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from fupin_desktop.storage import versions
from fupin_desktop.storage.db import SYSTEM, Actor
from fupin_desktop.storage.models import AuditEntry, Tracked, utcnow

GENESIS = "0" * 64
_SKIP = {"updated_at", "updated_by", "created_at", "created_by", "id"}


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row_digest(prev_hash: str, e: AuditEntry) -> str:
    body = json.dumps(
        [e.seq, e.at.isoformat(timespec="microseconds"), e.user_id, e.user_name, e.action, e.entity,
         e.entity_id, e.changes, e.detail],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def _chain_head(session: Session) -> tuple[int, str]:
    head = session.info.get("audit_head")
    if head is None:
        with session.no_autoflush:
            row = session.execute(
                select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
            ).first()
        head = (row[0], row[1]) if row else (0, GENESIS)
    return head


def record(session: Session, action: str, entity: str | None = None, entity_id: str | None = None,
           changes: dict | str | None = None, detail: str | None = None, *, at=None,
           actor: Actor | None = None) -> AuditEntry:
    """Append one audit entry to the session's transaction (logins, exports, full-ID views, restores…)."""
    actor = actor or session.info.get("actor", SYSTEM)
    seq, prev = _chain_head(session)
    if isinstance(changes, dict):
        changes = json.dumps(changes, ensure_ascii=False, sort_keys=True) if changes else None
    entry = AuditEntry(
        seq=seq + 1, at=at or utcnow(), user_id=actor.user_id, user_name=actor.name, action=action, entity=entity,
        entity_id=entity_id, detail=detail, prev_hash=prev, changes=changes,
    )
    entry.hash = _row_digest(prev, entry)
    session.info["audit_head"] = (entry.seq, entry.hash)
    session.add(entry)
    return entry


def _changes_of(obj: Tracked, inserting: bool) -> dict[str, list]:
    state = inspect(obj)
    out: dict[str, list] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in _SKIP:
            continue
        if inserting:
            value = getattr(obj, key)
            if value not in (None, "", False):
                out[key] = [None, _plain(value)]
            continue
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if _plain(old) != _plain(new):
            out[key] = [_plain(old), _plain(new)]
    return out


@event.listens_for(Session, "before_flush")
def _audit_before_flush(session: Session, _ctx, _instances) -> None:
    actor: Actor = session.info.get("actor", SYSTEM)
    seen = session.info.setdefault("changes", {"insert": set(), "update": set(), "delete": set()})
    inserted, updated, purged = [], [], []
    for obj in list(session.new):
        if isinstance(obj, Tracked):
            obj.created_by = obj.created_by or actor.user_id
            obj.updated_by = actor.user_id
            versions.default_village(session, obj)
            record(session, "insert", obj.__tablename__, obj.id or _assign_id(obj), _changes_of(obj, True))
            seen["insert"].add((obj.__tablename__, obj.id))
            inserted.append(obj)
    for obj in list(session.dirty):
        if isinstance(obj, Tracked) and session.is_modified(obj, include_collections=False):
            changes = _changes_of(obj, False)
            if not changes:
                continue
            obj.updated_by = actor.user_id
            obj.updated_at = utcnow()
            action = "delete" if "deleted_at" in changes and changes["deleted_at"][1] else "update"
            record(session, action, obj.__tablename__, obj.id, changes)
            seen["delete" if action == "delete" else "update"].add((obj.__tablename__, obj.id))
            updated.append((obj, changes))
    for obj in list(session.deleted):
        if isinstance(obj, Tracked):
            record(session, "purge", obj.__tablename__, obj.id)
            seen["delete"].add((obj.__tablename__, obj.id))
            purged.append(obj)
    # The versions of the fields written, in the same transaction (the merge of 同步包 compares them).
    versions.stamp_flush(session, inserted, updated, purged, actor.name)


def _assign_id(obj: Tracked) -> str:
    from fupin_desktop.storage.models import new_id

    obj.id = new_id()
    return obj.id


@event.listens_for(Session, "after_rollback")
def _forget_head(session: Session) -> None:
    session.info.pop("audit_head", None)
    versions.forget_clock(session)


@event.listens_for(Session, "after_commit")
def _forget_head_after_commit(session: Session) -> None:
    session.info.pop("audit_head", None)
    versions.forget_clock(session)


def verify_chain(session: Session) -> list[str]:
    """Return Chinese findings for every break in the chain (edited, inserted or removed rows)."""
    findings: list[str] = []
    prev = GENESIS
    expected_seq = 1
    for e in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        if e.seq != expected_seq:
            findings.append(f"审计记录缺失：第{expected_seq}条到第{e.seq - 1}条不见了")
        if e.prev_hash != prev or _row_digest(prev, e) != e.hash:
            findings.append(f"审计记录第{e.seq}条被改动过（{e.at:%Y-%m-%d %H:%M}，{e.action}）")
        prev = e.hash
        expected_seq = e.seq + 1
    return findings


def carry_over(session: Session, rows: list[tuple]) -> int:
    """Re-append audit rows of a replaced database (a restore must not erase who did what since the backup).

    ``rows``: (at, user_id, user_name, action, entity, entity_id, changes, detail) in their original order."""
    for at, user_id, user_name, action, entity, entity_id, changes, detail in rows:
        record(session, action, entity, entity_id, changes, f"（恢复前的记录）{detail or ''}",
               at=at if isinstance(at, datetime) else datetime.fromisoformat(at),
               actor=Actor(user_id=user_id, name=user_name or "", role=""))
    return len(rows)
