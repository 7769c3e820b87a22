"""What every service shares: the context, the Changes record, DTO copying and permission checks.

One public method = one transaction = one user action. Methods return frozen dataclasses (never live ORM objects)
and, when they write, an :class:`Outcome` carrying the :class:`Changes` the UI uses to refresh what changed.
"""
from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Generic, Iterator, TypeVar

from fupin_desktop import paths
from fupin_desktop.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from fupin_desktop.storage.db import Actor, Database, add_write_hook, remove_write_hook  # noqa: F401 (re-exported)
from fupin_desktop.storage.models import Tracked, utcnow

T = TypeVar("T")

# Permissions by role (codes.role). Checked in services, not only in the UI; every entry point (window, command
# line, PostgreSQL mode) acts as a signed-in user and goes through the same check_permission.
WRITE_ROLES = frozenset({"admin", "member"})
ADMIN_ROLES = frozenset({"admin"})
from fupin_desktop.services.needs import ADMIN, READ, WRITE  # noqa: E402,F401 (what an action needs)


def check_permission(actor: Actor, need: str) -> None:
    """Raise PermissionDeniedError (Chinese) when ``actor``'s role does not allow an action needing ``need``
    (READ: every role; WRITE: 管理员 and 队员; ADMIN: 管理员 only)."""
    if need == READ:
        return
    if need == WRITE:
        if actor.role not in WRITE_ROLES:
            raise PermissionDeniedError("当前账号是“查看”角色，不能修改数据")
        return
    if need == ADMIN:
        if actor.role not in ADMIN_ROLES:
            raise PermissionDeniedError("只有管理员可以进行此操作")
        return
    raise ValueError(f"unknown permission {need!r}")


@dataclass(frozen=True)
class Changes:
    """What a unit of work inserted, updated and deleted, as (entity, id) pairs."""

    inserted: frozenset[tuple[str, str]] = frozenset()
    updated: frozenset[tuple[str, str]] = frozenset()
    deleted: frozenset[tuple[str, str]] = frozenset()

    @property
    def entities(self) -> frozenset[str]:
        return frozenset(e for e, _ in self.inserted | self.updated | self.deleted)

    def touches(self, *entities: str) -> bool:
        return bool(self.entities & set(entities))

    def __bool__(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)

    def merge(self, other: "Changes") -> "Changes":
        return Changes(self.inserted | other.inserted, self.updated | other.updated, self.deleted | other.deleted)

    @classmethod
    def of_session(cls, session) -> "Changes":
        rec = session.info.get("changes", {})
        return cls(frozenset(rec.get("insert", ())), frozenset(rec.get("update", ())),
                   frozenset(rec.get("delete", ())))


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T
    changes: Changes = field(default_factory=Changes)


@dataclass
class ServiceContext:
    db: Database
    actor: Actor = field(default_factory=Actor)
    data_dir: Path | None = None
    today: Callable[[], date] = date.today


def copy_to(cls: type[T], obj: Any, **extra) -> T:
    """Copy the fields a frozen dataclass declares from an ORM row (plus ``extra``)."""
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in extra:
            values[f.name] = extra[f.name]
        elif hasattr(obj, f.name):
            values[f.name] = getattr(obj, f.name)
    return cls(**values)


def apply_fields(row: Any, data: Any, exclude: tuple[str, ...] = ()) -> None:
    """Copy the fields of an input dataclass onto an ORM row (only those the row has)."""
    for f in dataclasses.fields(data):
        if f.name in exclude or not hasattr(row, f.name):
            continue
        setattr(row, f.name, getattr(data, f.name))


class _Keep:
    """``KEEP`` in an input field: "the stored value, unchanged" — a form that showed a masked personal number
    (身份证号, phone, bank account) and never loaded the full one sends this, and the service keeps what is stored."""

    _instance: "_Keep | None" = None

    def __new__(cls) -> "_Keep":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "KEEP"

    def __reduce__(self):
        return (_Keep, ())


KEEP: Any = _Keep()


def resolve_keep(data: T, row: Any | None) -> T:
    """``data`` with every ``KEEP`` field replaced by the stored value of ``row`` (None when there is no row)."""
    kept = {f.name: (getattr(row, f.name, None) if row is not None else None)
            for f in dataclasses.fields(data) if getattr(data, f.name) is KEEP}
    return dataclasses.replace(data, **kept) if kept else data


def live(row: Any) -> bool:
    return row is not None and getattr(row, "deleted_at", None) is None


class Service:
    def __init__(self, ctx: ServiceContext):
        self.ctx = ctx

    @property
    def db(self) -> Database:
        return self.ctx.db

    @property
    def actor(self) -> Actor:
        return self.ctx.actor

    def today(self) -> date:
        return self.ctx.today()

    # -- permissions ----------------------------------------------------------------------------------------------
    def require_write(self) -> None:
        check_permission(self.actor, WRITE)
        refuse_if_handed_over(self.db)

    def require_admin(self) -> None:
        check_permission(self.actor, ADMIN)

    @contextlib.contextmanager
    def sole_writer(self) -> Iterator[None]:
        """Be the only writer of the data folder (across processes: the window, the command line) for a bulk
        write whose checks must still hold when it writes (imports, merges, demo data, restore). Raises
        WriterBusyError when another program keeps writing."""
        from fupin_desktop.storage import writer_lock

        with writer_lock.hold(self.ctx.data_dir or paths.data_dir()):
            yield

    # -- transactions ---------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[Any]:
        """A write transaction on behalf of the current actor; collects Changes in ``session.info``."""
        self.require_write()
        with self.db.unit_of_work(self.actor) as session:
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Any]:
        with self.db.read() as session:
            yield session

    def get_live(self, session, model: type, ident: str | None, what: str):
        row = session.get(model, ident) if ident else None
        if not live(row):
            raise NotFoundError(what, ident)
        return row

    def soft_delete(self, row: Tracked) -> None:
        row.deleted_at = utcnow()


# --- handed over (交接): the one place that makes a handed-over data folder read-only --------------------------------

HANDOVER_KEY = "handover.state"  # local setting (settings do not travel in the 同步包): {"on": ISO date, "by": name}
_UNKNOWN = object()


def handover_state(db: Database) -> dict | None:
    """The handover mark of this database ({"on", "by"}) or None; read once per open database, then cached."""
    cached = getattr(db, "_handover_state", _UNKNOWN)
    if cached is _UNKNOWN:
        import json

        from fupin_desktop.storage.queries.handover import live_setting_value

        with db.read() as s:
            value = live_setting_value(s, HANDOVER_KEY)
        cached = json.loads(value) if value else None
        db._handover_state = cached
    return cached


def set_handover_state(db: Database, state: dict | None) -> None:
    """Refresh the cache after the mark was written or removed (services/handover.py)."""
    db._handover_state = state


def refuse_if_handed_over(db: Database) -> None:
    state = handover_state(db)
    if state:
        from fupin_desktop.domain.dates import format_cn_date

        on = format_cn_date(date.fromisoformat(state["on"]))
        raise PermissionDeniedError(
            f"这个数据文件夹已于{on}交接给下一任工作队（移交人：{state.get('by') or '—'}），只能查看，不能再修改。"
            "如确需修改，请管理员先重新开放（命令行：fupin-desktop handover --reopen --reason 原因）。")


def require(condition: bool, field_name: str, message: str) -> None:
    if not condition:
        raise ValidationError(field_name, message)


def require_text(value: str | None, field_name: str, title: str, max_len: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(field_name, f"请填写{title}")
    if max_len and len(text) > max_len:
        raise ValidationError(field_name, f"{title}太长了（最多{max_len}个字）")
    return text


def require_code(list_name: str, code: str | None, field_name: str, title: str, optional: bool = False) -> str | None:
    from fupin_desktop.domain import codes

    if code in (None, ""):
        if optional:
            return None
        raise ValidationError(field_name, f"请选择{title}")
    if code not in codes.get(list_name):
        raise ValidationError(field_name, f"{title}“{code}”不在代码表中")
    return code
