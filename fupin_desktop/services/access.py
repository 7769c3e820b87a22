"""Before the database is open: the first administrator, sign-in, unlock and recovery (:class:`AccessManager`).

Split from ``services/auth.py`` (which re-exports everything here) so the sign-in window can be shown without
SQLAlchemy, alembic or the ORM models: at import time this module needs only the keyring and plain file helpers.
The database side is imported by :func:`_load_database_side` when a method needs it (after she pressed Enter;
``ui/startup.py`` warms those imports up in the background while she types). tests/ui/test_startup_speed.py checks.

Passwords are never stored or logged: each user's password derives (scrypt) the key that unwraps the database
key (storage.keyring); the User row keeps an scrypt hash as well, used where there is no keyring (PostgreSQL).

On a PostgreSQL server (``FUPIN_DATABASE_URL``) the server account is only the connection: people still sign in to
the program with the same user table and password check (``on_server``: no SQLCipher, no key wrappings, no
recovery key); the window and every command-line verb go through this class alike.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fupin_desktop import paths
from fupin_desktop.domain.errors import FupinError, ValidationError
from fupin_desktop.settings import MachineSettings
from fupin_desktop.storage import backup
from fupin_desktop.storage.backup import make_backup
from fupin_desktop.storage.encryption import encrypt_file, is_plain_sqlite, shred
from fupin_desktop.storage.keyring import (
    KEYRING_FILE, RECOVERY_PATH, Keyring, KeyringError, new_data_key, new_recovery_code, recovery_key_from,
)
from fupin_desktop.storage.keyring import WRONG as WRONG_PASSWORD

if TYPE_CHECKING:
    from fupin_desktop.storage.db import Actor, Database

__all__ = ["AccessManager", "OpenedStore", "UserDTO", "KeyringError", "MIN_PASSWORD", "hash_password",
           "check_password", "validate_password"]


def _load_database_side() -> None:
    """Bind the database-side names of this module on first use (SQLAlchemy, the models, migrations, audit)."""
    global audit, Actor, open_database, User, utcnow, common, copy_to, require_text
    from fupin_desktop.services.base import copy_to, require_text
    from fupin_desktop.storage import audit
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.migrate import open_database
    from fupin_desktop.storage.models import User, utcnow
    from fupin_desktop.storage.queries import common


MIN_PASSWORD = 6


@dataclass(frozen=True)
class UserDTO:
    id: str
    username: str
    display_name: str
    role: str
    cadre_id: str | None
    active: bool
    last_login_at: datetime | None


@dataclass(frozen=True)
class OpenedStore:
    db: Database
    actor: Actor
    user: UserDTO
    recovery_code: str | None = None  # shown once, right after set-up


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2 ** 14, r=8, p=1, dklen=32)
    return f"scrypt$16384${salt.hex()}${digest.hex()}"


def check_password(stored: str | None, password: str) -> bool:
    try:
        _, n, salt, digest = (stored or "").split("$")
    except ValueError:
        return False
    got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=8, p=1, dklen=32)
    return hmac.compare_digest(got.hex(), digest)


def validate_password(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(field, f"密码至少{MIN_PASSWORD}位")
    if password.isdigit() and len(set(password)) <= 2:
        raise ValidationError(field, "密码太简单了（不要用 111111、123123 这样的密码）")


class AccessManager:
    """Everything that happens before the database is open: first administrator, login, unlock, recovery."""

    def __init__(self, data_dir: Path | None = None, url: str | None = None):
        self.data_dir = Path(data_dir) if data_dir else paths.data_dir()
        self.db_path = self.data_dir / paths.DATABASE_FILE
        self.url = url or f"sqlite:///{self.db_path}"
        self.keyring = Keyring(self.data_dir)

    @property
    def on_server(self) -> bool:
        """True for a PostgreSQL server: users live in its user table only (no key wrappings, no encryption)."""
        return not self.url.startswith("sqlite")

    def _server(self) -> Database:
        if getattr(self, "_server_db", None) is None:
            _load_database_side()
            self._server_db = open_database(self.url)
        return self._server_db

    def needs_setup(self) -> bool:
        """True on a first start: no users in keys.json — and no encrypted database whose keys.json was lost or
        damaged (setting up afresh there would lock the data away; login then names the recovery path). On a
        server: no active user in its user table."""
        if self.on_server:
            return not self.usernames()
        if self.keyring.is_damaged():
            return False
        if self.keyring.usernames():
            return False
        encrypted = self.db_path.exists() and not is_plain_sqlite(self.db_path) and self.db_path.stat().st_size
        # (a file that is not SQLite at all looks the same; without any keys copy it cannot be ours)
        return not (encrypted and (self.keyring.exists or backup.keys_copies(self.data_dir / "backups")))

    def usernames(self) -> list[str]:
        """Names for the sign-in list ([] when keys.json is damaged: signing in then explains the way out; on a
        server: the active users of its user table)."""
        if self.on_server:
            _load_database_side()
            with self._server().read() as s:
                return sorted(u.username for u in common.all_live(s, User) if u.active)
        if self.keyring.is_damaged():
            return []
        return self.keyring.usernames()

    def attach_audit_anchor(self, db: Database) -> None:
        """Anchor ``db``'s audit chain head in keys.json from now on (storage.audit.Anchor).

        SQLite: the anchor key is derived from the database key. PostgreSQL (no database key): a random secret
        kept in this folder's keys.json — it catches rows cut or rewritten on the server by someone without this
        laptop's data folder, not by someone holding both."""
        _load_database_side()
        if db.key is not None:
            key, name = audit.anchor_key(db.key), "local"
        else:
            with self.keyring.editing() as data:
                secret = data.setdefault("anchor_secret", secrets.token_hex(32))
            key, name = audit.anchor_key(bytes.fromhex(secret)), db.engine.url.render_as_string(hide_password=True)
        audit.attach_anchor(db.engine, audit.Anchor(self.keyring, key, name))

    def keyring_copies(self) -> list[tuple[str, str]]:
        """(where, text) of keys.json and its copies beside the backups (data folder, then the USB folder)."""
        out: list[tuple[str, str]] = []
        text = self.keyring.text()
        if text:
            out.append((KEYRING_FILE, text))
        folders = [self.data_dir / "backups"]
        try:
            extra = MachineSettings(self.data_dir / "settings.json").get("backup.extra_dir")
        except Exception:  # noqa: BLE001 — a damaged settings file must not block a recovery
            extra = ""
        if extra:
            folders.append(Path(extra))
        for folder in folders:
            for copy in backup.keys_copies(folder):
                try:
                    out.append((copy.name, copy.read_text(encoding="utf-8")))
                except (OSError, UnicodeDecodeError):
                    continue
        return out

    def create_admin(self, username: str, display_name: str, password: str) -> OpenedStore:
        """First start: the administrator (第一书记) and the database key. A plain database of an earlier version
        is backed up and then encrypted. Returns the store and the recovery code to print once."""
        _load_database_side()
        username = require_text(username, "username", "用户名", 64)
        display_name = require_text(display_name, "display_name", "姓名", 64)
        validate_password(password)
        if not self.needs_setup():
            raise FupinError("管理员已经设置过了")
        if self.on_server:
            db = self._server()
            with db.unit_of_work(Actor(name=display_name, role="admin")) as s:
                user = User(username=username, display_name=display_name, role="admin",
                            password_hash=hash_password(password), last_login_at=utcnow())
                s.add(user)
                s.flush()
                audit.record(s, "setup_admin", "app_user", user.id, detail="创建管理员（服务器数据库）")
                dto = copy_to(UserDTO, user)
            self.attach_audit_anchor(db)
            return OpenedStore(db, _actor_from(dto), dto, None)
        if self.keyring.is_damaged() or (self.db_path.exists() and self.db_path.stat().st_size
                                         and not is_plain_sqlite(self.db_path)):
            raise FupinError(f"这个数据文件夹里已有加密的数据，但钥匙文件 {KEYRING_FILE} 不见了或已损坏。{RECOVERY_PATH}")
        key = new_data_key()
        plain_copy = None
        if self.db_path.exists() and is_plain_sqlite(self.db_path):
            plain_copy = make_backup(self.db_path, self.data_dir / "backups", "convert").path
            encrypt_file(self.db_path, key)
        db = open_database(self.url, key=key, backup_dir=self.data_dir / "backups")
        if plain_copy is not None:
            # The encrypted file opened and passed its check: no unencrypted copy may stay behind — neither the
            # safety copy just taken nor the plain backups of the time before encryption.
            self.shred_plain_copies()
        code = new_recovery_code()
        with db.unit_of_work(Actor(name=display_name, role="admin")) as s:
            user = User(username=username, display_name=display_name, role="admin",
                        password_hash=hash_password(password), last_login_at=utcnow())
            s.add(user)
            s.flush()
            audit.record(s, "setup_admin", "app_user", user.id, detail="创建管理员并加密数据库")
            dto = copy_to(UserDTO, user)
        self.keyring.set_user(username, key, password)
        self.keyring.set_recovery(key, code)
        self.attach_audit_anchor(db)
        with db.read() as s:
            head = audit._chain_head(s)
        if head[0]:
            audit.anchor_of(db.engine).advance(*head)
        return OpenedStore(db, _actor_from(dto), dto, code)

    def shred_plain_copies(self) -> list[Path]:
        """Overwrite and delete every unencrypted database copy in the backup folders (data folder and USB)."""
        folders = [self.data_dir / "backups"]
        extra = MachineSettings(self.data_dir / "settings.json").get("backup.extra_dir")
        if extra and Path(extra).is_dir():
            folders.append(Path(extra))
        gone = []
        for folder in folders:
            for info in backup.list_backups(folder):
                if is_plain_sqlite(info.path):
                    shred(info.path)
                    gone.append(info.path)
        return gone

    def login(self, username: str, password: str, *, record: bool = True) -> OpenedStore:
        """Open the database with a user's password. Raises KeyringError (wrong password or unknown name — the
        same message —, lock-out, damaged or missing keys.json naming the recovery path) or FupinError
        (account disabled). ``record=False`` (a command-line verb): the sign-in itself writes nothing — no login
        entry, no last-login time — so a verb that ends up changing nothing leaves the folder as it was; what the
        verb does is audited in the user's name by the services."""
        if self.on_server:
            self._check_server_password(username, password)
            return self._open(username, None, "login", record)
        key = self.keyring.open(username, password)
        return self._open(username, key, "login", record)

    def _check_server_password(self, username: str, password: str) -> None:
        """The password check of a server database (its user table). The same message for an unknown user and a
        wrong password; a wrong password of a known user is recorded in the audit trail (no lock-out there)."""
        _load_database_side()
        db = self._server()
        with db.unit_of_work() as s:
            user = common.find_live(s, User, username=username)
            if user is not None and check_password(user.password_hash, password):
                return
            if user is not None:
                s.info["actor"] = Actor(user_id=user.id, name=user.display_name, role=user.role)
                audit.record(s, "login_failed", "app_user", user.id, detail="密码错误")
        raise KeyringError(WRONG_PASSWORD, "wrong")

    def open_with_key(self, username: str, key: bytes) -> OpenedStore:
        """:meth:`login` once the key is unwrapped (``self.keyring.open``): start-up derives the key in one thread
        while another imports the database side (ui/startup.py ``login_from_environment``)."""
        return self._open(username, key, "login")

    def recover(self, code: str, username: str, new_password: str) -> OpenedStore:
        """Open with the recovery key printed at set-up and give ``username`` a new password."""
        validate_password(new_password, "new_password")
        if self.on_server:
            raise KeyringError("服务器数据库没有恢复密钥：请管理员在“用户管理”中重设密码", "recovery")
        key, content = self._recovery_key(code)
        self._rebuild_keyring(content)
        store = self._open(username, key, "recover")
        self.keyring.set_user(username, key, new_password)
        return store

    def _rebuild_keyring(self, content: dict) -> None:
        """keys.json lost or damaged: rebuild it from the copy that opened (other users keep the wrappings they
        had then); a damaged file is kept aside for whoever wants to look at it."""
        _load_database_side()
        if self.keyring.exists and not self.keyring.is_damaged() and self.keyring.usernames():
            return
        if self.keyring.exists:
            self.keyring.path.replace(self.keyring.path.with_name(f"{KEYRING_FILE}.damaged-{utcnow():%Y%m%d%H%M%S}"))
        self.keyring.replace_with(content)

    def _recovery_key(self, code: str, first: list[tuple[str, str]] = ()) -> tuple[bytes, dict]:
        found = recovery_key_from(list(first) + self.keyring_copies(), code)
        if found is None:
            raise KeyringError("恢复密钥不对（或者找不到钥匙文件和它的备份副本）", "recovery")
        return found

    def restore_with_recovery(self, backup_path: Path, code: str, username: str, new_password: str) -> OpenedStore:
        """Restore ``backup_path`` opened with the recovery key, when no password can open the data (keys.json
        lost or damaged, or a new laptop with only the backup files). The key comes from the copy beside the
        backup or any other copy; the current database, if it opens with that key, is backed up first and its
        audit rows since the backup are carried over. ``username`` gets ``new_password``.

        Raises KeyringError (wrong code), FupinError/BackupError (not a backup of this data)."""
        _load_database_side()
        validate_password(new_password, "new_password")
        backup_path = Path(backup_path)
        beside = backup.keys_copy_path(backup_path)
        first = []
        if beside.is_file():
            first.append((beside.name, beside.read_text(encoding="utf-8", errors="replace")))
        key, content = self._recovery_key(code, first)
        try:
            ok = backup.quick_check_file(backup_path, key)
        except Exception:  # noqa: BLE001 — not a database, or not encrypted with this key
            ok = "打不开"
        if ok != "ok":
            raise FupinError(f"{backup_path.name} 不是这份数据的完好备份（用恢复密钥打不开或已损坏）")
        later: list[tuple] = []
        note = ""
        if self.db_path.exists():
            try:
                before = make_backup(self.db_path, self.data_dir / "backups", "restore", key=key)
                restored_seq, _ = backup.audit_head(backup_path, key)
                later = backup.audit_rows_after(before.path, restored_seq, key)
                note = f"；恢复前的数据已备份为 {before.path.name}"
            except Exception:  # noqa: BLE001 — the current file is damaged or not ours: keep it aside, untouched
                aside = self.db_path.with_name(f"{self.db_path.name}.damaged-{utcnow():%Y%m%d%H%M%S}")
                self.db_path.replace(aside)
                for suffix in ("-wal", "-shm"):
                    Path(f"{self.db_path}{suffix}").unlink(missing_ok=True)
                note = f"；原来打不开的数据文件已改名为 {aside.name}"
        backup.restore_into(backup_path, self.db_path, key)
        self._rebuild_keyring(content)
        db = open_database(self.url, key=key, backup_dir=self.data_dir / "backups")
        self.attach_audit_anchor(db)
        try:
            with db.unit_of_work() as s:
                s.info["audit_reanchor"] = True  # the chain was legitimately replaced: anchor its new head
                user = common.find_live(s, User, username=username)
                if user is None or not user.active:
                    raise FupinError(f"备份里没有启用的账号“{username}”")
                s.info["actor"] = Actor(user_id=user.id, name=user.display_name, role=user.role)
                audit.carry_over(s, later)
                audit.record(s, "restore", detail=f"用恢复密钥从备份恢复：{backup_path.name}{note}")
        finally:
            db.dispose()
        self.keyring.set_user(username, key, new_password)
        return self._open(username, key, "recover")

    def verify(self, username: str, password: str) -> None:
        """Unlock after auto-lock: the password must still open the key (lock-out applies). Raises KeyringError
        with the lock screen's wording (only a password was typed there)."""
        if self.on_server:
            self._check_server_password(username, password)
            return
        try:
            self.keyring.open(username, password)
        except KeyringError as exc:
            if exc.reason != "wrong":
                raise
            left = f"再错 {exc.left} 次将暂时锁定" if exc.left else "已暂时锁定"
            raise KeyringError(f"密码不对（{left}）", "wrong", exc.left) from None

    def _open(self, username: str, key: bytes | None, action: str, record: bool = True) -> OpenedStore:
        _load_database_side()
        db = self._server() if self.on_server else open_database(self.url, key=key,
                                                                  backup_dir=self.data_dir / "backups")
        self.attach_audit_anchor(db)
        if not record:
            with db.read() as s:
                user = common.find_live(s, User, username=username)
                if user is None or not user.active:
                    raise FupinError("这个账号已停用，请联系管理员")
                dto = copy_to(UserDTO, user)
            return OpenedStore(db, _actor_from(dto), dto)
        failed = self.keyring.take_failed_log(username)
        strangers = self.keyring.take_stranger_log()
        with db.unit_of_work() as s:
            user = common.find_live(s, User, username=username)
            if user is None or not user.active:
                raise FupinError("这个账号已停用，请联系管理员")
            s.info["actor"] = Actor(user_id=user.id, name=user.display_name, role=user.role)
            for t in failed:
                audit.record(s, "login_failed", "app_user", user.id,
                             detail=f"密码错误（{datetime.fromtimestamp(t):%Y-%m-%d %H:%M:%S}）")
            for t in strangers:  # the typed name is not kept: it may be a password typed into the wrong box
                audit.record(s, "login_failed", detail=f"用户名不存在（{datetime.fromtimestamp(t):%Y-%m-%d %H:%M:%S}）")
            user.last_login_at = utcnow()
            audit.record(s, action, "app_user", user.id)
            dto = copy_to(UserDTO, user)
        return OpenedStore(db, _actor_from(dto), dto)


def _actor_from(u: UserDTO) -> Actor:
    _load_database_side()
    return Actor(user_id=u.id, name=u.display_name, role=u.role)
