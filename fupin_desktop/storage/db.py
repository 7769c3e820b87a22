"""Engine, SQLite pragmas, sessions and ``unit_of_work()``.

One :class:`Database` per open data store. SQLite is the embedded default; the same models run on PostgreSQL
(``FUPIN_DATABASE_URL``) for a county merging many villages.
"""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from fupin_desktop.domain.errors import FupinError

BUSY_TIMEOUT_MS = 5000


class StorageError(FupinError):
    """The database could not be written or read; the message says what happened and what to do."""


# SQLite's messages → what a first secretary reads. Nothing was written when one of these is raised.
_DB_MESSAGES = (
    ("database or disk is full", "磁盘已满，刚才的修改没有保存。请删除一些不用的文件（或换一个有空间的磁盘）后再试。"),
    ("readonly database", "数据文件夹是只读的，刚才的修改没有保存。请检查文件夹权限，或把数据放到可以写入的位置。"),
    ("read-only", "数据文件夹是只读的，刚才的修改没有保存。请检查文件夹权限，或把数据放到可以写入的位置。"),
    ("database is locked", "数据库正被其他程序占用（例如另一个窗口或杀毒软件），刚才的修改没有保存。请关闭其他程序后再试。"),
    ("unable to open database", "打不开数据文件：数据文件夹不存在、被改名或无法访问。请检查数据文件夹。"),
    ("disk i/o error", "读写磁盘出错，刚才的修改没有保存。如果数据在U盘上，请确认U盘没有拔出。"),
    ("malformed", "数据文件已损坏。请不要继续使用，从“设置 → 备份与恢复”恢复最近的备份。"),
)


def storage_error(exc: BaseException) -> StorageError | None:
    """The Chinese StorageError for a database failure, or None when it is not one we recognise."""
    text = str(getattr(exc, "orig", exc)).lower()
    for needle, message in _DB_MESSAGES:
        if needle in text:
            return StorageError(message)
    return None


@dataclass(frozen=True)
class Actor:
    """The person on whose behalf a unit of work runs (recorded in created_by/updated_by and the audit trail)."""

    user_id: str | None = None
    name: str = "系统"
    role: str = "admin"


SYSTEM = Actor()
_current_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar("current_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current_actor.get()


@contextlib.contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    token = _current_actor.set(actor)
    try:
        yield
    finally:
        _current_actor.reset(token)


def _apply_sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL + FULL: a saved record survives a power cut; ~7,300 commits/s here, plenty at human speed.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def key_pragma(key: bytes) -> str:
    # A raw 256-bit key (no passphrase derivation inside SQLCipher: the key already comes from scrypt).
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect_file(path: str | Path, key: bytes | None = None, readonly: bool = False, timeout: float = 5.0):
    """A DB-API connection to a database file: sqlite3, or sqlcipher3 with the key applied first."""
    target = f"file:{path}?mode=ro" if readonly else str(path)
    if key is None:
        import sqlite3

        return sqlite3.connect(target, uri=readonly, timeout=timeout, check_same_thread=False)
    import sqlcipher3

    con = sqlcipher3.connect(target, uri=readonly, timeout=timeout, check_same_thread=False)
    con.execute(key_pragma(key))
    return con


def make_engine(url: str, key: bytes | None = None, **kwargs) -> Engine:
    # SQL parameters are IDs, names and phones: never in a log line or an error message (hide_parameters).
    kwargs.setdefault("hide_parameters", True)
    kwargs.setdefault("echo", False)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not path.startswith("file:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if key is not None:
            import sqlcipher3

            # The key must be the very first statement on every connection: hence a creator, not a URL passphrase.
            kwargs.update(module=sqlcipher3,
                          creator=lambda: connect_file(path, key, timeout=BUSY_TIMEOUT_MS / 1000))
        else:
            kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
        # pysqlite's own transaction handling would defer BEGIN; let SQLAlchemy emit it so writes lock early.
        engine = create_engine(
            url,
            poolclass=NullPool if path in ("", ":memory:") else None,
            **kwargs,
        )
        event.listen(engine, "connect", _apply_sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _safe_rollback(session: Session) -> None:
    try:
        session.rollback()
    except sa_exc.SQLAlchemyError:
        pass  # the connection itself failed (disk gone): the transaction is lost anyway, nothing was committed


# Called at the start of every write transaction (unit_of_work), in the writing thread. The UI installs one that
# catches a write on the GUI thread (a frozen window; DESIGN §4): see fupin_desktop.ui.write_guard.
_write_hooks: list[Callable[[], None]] = []


def add_write_hook(hook: Callable[[], None]) -> None:
    if hook not in _write_hooks:
        _write_hooks.append(hook)


def remove_write_hook(hook: Callable[[], None]) -> None:
    if hook in _write_hooks:
        _write_hooks.remove(hook)


class Database:
    """An open store: engine + session factory. Created by :func:`fupin_desktop.storage.open_database`."""

    def __init__(self, url: str, engine: Engine | None = None, key: bytes | None = None):
        from fupin_desktop.storage import audit, period_lock  # noqa: F401  (register the audit and 结账 hooks)

        self.url = url
        self.key = key
        self.engine = engine or make_engine(url, key)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        db = self.engine.url.database
        return Path(db) if db and db != ":memory:" else None

    @contextlib.contextmanager
    def unit_of_work(self, actor: Actor | None = None) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any error (nothing half written)."""
        for hook in tuple(_write_hooks):
            hook()
        session = self._sessions()
        session.info["actor"] = actor or current_actor()
        session.info["changes"] = {"insert": set(), "update": set(), "delete": set()}
        try:
            yield session
            session.commit()
        except (sa_exc.OperationalError, sa_exc.DatabaseError) as exc:
            _safe_rollback(session)
            translated = storage_error(exc)
            if translated is None:
                raise
            raise translated from exc
        except BaseException:
            _safe_rollback(session)
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (rolled back at the end)."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
