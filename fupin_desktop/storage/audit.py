"""The audit hook, in one place: every ORM insert, update and (soft) delete writes an AuditEntry.

Entries are append-only and hash-chained: ``hash = sha256(prev_hash + canonical row)``, so editing or removing a
row in the file breaks the chain, which :func:`verify_chain` (and ``fupin-desktop check``) reports.

A chain can also be cut short (newest rows deleted) or rewritten whole (every hash recomputed): neither shows from
the table alone. So the head of the chain (sequence + hash) is *anchored* outside the table after every commit
that appended to it — in ``keys.json`` and, through the copy beside every backup, in each backup — with an HMAC
keyed by a key derived from the database key (:class:`Anchor`). :func:`anchor_findings` compares the table with
the anchors. Secrets (password hashes, keys, codes) never enter an entry: their columns are left out.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import weakref
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from fupin_desktop.storage import versions
from fupin_desktop.storage.db import SYSTEM, Actor
from fupin_desktop.storage.models import AuditEntry, Tracked, utcnow

GENESIS = "0" * 64
_SKIP = {"updated_at", "updated_by", "created_at", "created_by", "id"}
# Columns that hold secrets: never copied into the audit trail (a changed one is recorded as changed, no values).
SECRET_COLUMNS = frozenset({"password_hash", "password", "key", "secret", "token", "recovery_code", "salt"})
SECRET_MARK = "（已更改，内容保密）"
log = logging.getLogger(__name__)


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
        secret = key in SECRET_COLUMNS or key.endswith(("_hash", "_secret", "_key"))
        if inserting:
            value = getattr(obj, key)
            if value not in (None, "", False):
                out[key] = [None, SECRET_MARK if secret else _plain(value)]
            continue
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if _plain(old) != _plain(new):
            out[key] = [None, SECRET_MARK] if secret else [_plain(old), _plain(new)]
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
    session.info.pop("audit_anchor_hold", None)


@event.listens_for(Session, "before_commit")
def _check_anchor_before_commit(session: Session) -> None:
    # The head may only move forward from an untouched chain: were the newest rows cut off (or the chain
    # rewritten) since the anchor was written, advancing it now would hide that from `check`.
    anchor = anchor_of(session.bind)
    if anchor is None or session.info.get("audit_reanchor"):
        return
    session.flush()
    if session.info.get("audit_head") is None:
        return
    try:
        session.info["audit_anchor_hold"] = bool(anchor.findings(session, quick=True))
    except Exception:  # noqa: BLE001 — an unreadable keys.json must not stop the user's save; check reports it
        log.warning("audit anchor could not be read", exc_info=True)
        session.info["audit_anchor_hold"] = True


@event.listens_for(Session, "after_commit")
def _forget_head_after_commit(session: Session) -> None:
    versions.forget_clock(session)
    head = session.info.pop("audit_head", None)
    hold = session.info.pop("audit_anchor_hold", False)
    anchor = anchor_of(session.bind)
    if head is None or anchor is None or hold:
        return
    try:
        anchor.advance(head[0], head[1], force=bool(session.info.get("audit_reanchor")))
    except Exception:  # noqa: BLE001 — disk full/read-only: the record is saved; the anchor catches up next time
        log.warning("audit anchor could not be written", exc_info=True)


# --- the anchor: the chain head kept outside the table -----------------------------------------------------------

_ANCHORS: "weakref.WeakKeyDictionary[Any, Anchor]" = weakref.WeakKeyDictionary()


def anchor_key(data_key: bytes) -> bytes:
    """The anchor's HMAC key, derived from the database key (never the key itself)."""
    return hmac.new(data_key, b"fupin-audit-anchor-v1", hashlib.sha256).digest()


class Anchor:
    """The chain head (seq, hash, HMAC) in a keyring file (storage.keyring.Keyring) under ``name``.

    ``key``: from :func:`anchor_key`. Anyone who can edit the database file but does not hold the key cannot
    write a matching anchor, so cutting the chain short or recomputing it shows in :meth:`findings`."""

    def __init__(self, keyring, key: bytes, name: str = "local"):
        self.keyring = keyring
        self.key = key
        self.name = name

    def mac(self, seq: int, head: str) -> str:
        return hmac.new(self.key, f"{self.name}:{seq}:{head}".encode(), hashlib.sha256).hexdigest()

    def valid(self, entry: dict | None) -> bool:
        return bool(entry) and hmac.compare_digest(self.mac(int(entry["seq"]), str(entry["hash"])),
                                                   str(entry.get("mac", "")))

    def load(self, content: dict | None = None) -> dict | None:
        content = self.keyring.data if content is None else content
        return (content.get("anchors") or {}).get(self.name)

    def advance(self, seq: int, head: str, force: bool = False) -> None:
        """Anchor (seq, head) unless a newer one is there already (another process); ``force`` after a restore."""
        with self.keyring.editing() as data:
            anchors = data.setdefault("anchors", {})
            current = anchors.get(self.name)
            if force or not current or int(current.get("seq", 0)) < seq:
                anchors[self.name] = {"seq": seq, "hash": head, "mac": self.mac(seq, head)}

    def findings(self, session: Session, quick: bool = False, copies: list[tuple[str, dict]] = ()) -> list[str]:
        """Chinese findings when the table no longer matches the anchor (or the anchor was forged).

        ``copies``: (name, content) of keyring copies beside backups; their anchors are checked too, except
        where a restore has rewritten the chain since (a restore legitimately carries rows over)."""
        found: list[str] = []
        entries = [("钥匙文件", self.load())] + [(name, self.load(content)) for name, content in copies]
        last_restore = None
        if copies:
            last_restore = session.execute(
                select(AuditEntry.seq).where(AuditEntry.action == "restore").order_by(AuditEntry.seq.desc())
                .limit(1)).scalar()
        for where, entry in entries:
            if not entry:
                continue
            if not self.valid(entry):
                found.append(f"审计锚点（{where}）被改动过：它的校验码不对")
                continue
            seq, head = int(entry["seq"]), str(entry["hash"])
            if where != "钥匙文件" and last_restore is not None and last_restore > seq:
                continue
            with session.no_autoflush:
                got = session.execute(select(AuditEntry.hash).where(AuditEntry.seq == seq)).scalar()
            if got is None:
                newest = session.execute(select(func.max(AuditEntry.seq))).scalar() or 0
                found.append(f"审计记录被截短：{where}记着共有{seq}条，现在只剩{newest}条（第{newest + 1}条以后被删除）")
            elif got != head:
                found.append(f"审计记录被改写过（或被截短后又续写）：第{seq}条与{where}里记下的不一致")
            if quick:
                break
        return found


def attach_anchor(engine, anchor: Anchor | None) -> None:
    """Keep ``engine``'s chain head anchored in ``anchor`` from now on (None: stop)."""
    if anchor is None:
        _ANCHORS.pop(engine, None)
    else:
        _ANCHORS[engine] = anchor


def anchor_of(bind) -> Anchor | None:
    if bind is None:
        return None
    engine = getattr(bind, "engine", bind)
    try:
        return _ANCHORS.get(engine)
    except TypeError:
        return None


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
