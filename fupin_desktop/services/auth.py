"""Logins, roles and users; opening the encrypted database with a user's password.

Roles (codes.role): 管理员 admin — everything, users, settings, restore; 队员 member — create and edit records;
查看 viewer — read only (e.g. an inspection). Roles are enforced in the services (Service.require_write /
require_admin), not only by hiding buttons.

Passwords are never stored or logged: each user's password derives (scrypt) the key that unwraps the database
key (storage.keyring); the User row keeps an scrypt hash as well, used where there is no keyring (PostgreSQL).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fupin_desktop import paths
from fupin_desktop.domain.errors import FupinError, ValidationError
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to, require_code, require_text
from fupin_desktop.storage import audit
from fupin_desktop.storage.backup import make_backup
from fupin_desktop.storage.db import Actor, Database
from fupin_desktop.storage.encryption import encrypt_file, is_plain_sqlite
from fupin_desktop.storage.keyring import Keyring, KeyringError, new_data_key, new_recovery_code
from fupin_desktop.storage.migrate import open_database
from fupin_desktop.storage.models import User, utcnow
from fupin_desktop.storage.queries import common

__all__ = ["AccessManager", "OpenedStore", "UserDTO", "UserService", "KeyringError", "MIN_PASSWORD"]

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

    def needs_setup(self) -> bool:
        return not self.keyring.usernames()

    def usernames(self) -> list[str]:
        return self.keyring.usernames()

    def create_admin(self, username: str, display_name: str, password: str) -> OpenedStore:
        """First start: the administrator (第一书记) and the database key. A plain database of an earlier version
        is backed up and then encrypted. Returns the store and the recovery code to print once."""
        username = require_text(username, "username", "用户名", 64)
        display_name = require_text(display_name, "display_name", "姓名", 64)
        validate_password(password)
        if not self.needs_setup():
            raise FupinError("管理员已经设置过了")
        key = new_data_key()
        plain_copy = None
        if self.db_path.exists() and is_plain_sqlite(self.db_path):
            plain_copy = make_backup(self.db_path, self.data_dir / "backups", "convert").path
            encrypt_file(self.db_path, key)
        db = open_database(self.url, key=key, backup_dir=self.data_dir / "backups")
        if plain_copy is not None:
            # The encrypted file opened and passed its check: the unencrypted safety copy must not stay behind.
            _shred(plain_copy)
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
        return OpenedStore(db, _actor_from(dto), dto, code)

    def login(self, username: str, password: str) -> OpenedStore:
        """Open the database with a user's password. Raises KeyringError (wrong password, lock-out) or
        FupinError (account disabled)."""
        key = self.keyring.open(username, password)
        return self._open(username, key, "login")

    def recover(self, code: str, username: str, new_password: str) -> OpenedStore:
        """Open with the recovery key printed at set-up and give ``username`` a new password."""
        validate_password(new_password, "new_password")
        key = self.keyring.open_with_recovery(code)
        store = self._open(username, key, "recover")
        self.keyring.set_user(username, key, new_password)
        return store

    def verify(self, username: str, password: str) -> None:
        """Unlock after auto-lock: the password must still open the key (lock-out applies). Raises KeyringError."""
        self.keyring.open(username, password)

    def _open(self, username: str, key: bytes, action: str) -> OpenedStore:
        db = open_database(self.url, key=key, backup_dir=self.data_dir / "backups")
        failed = self.keyring.take_failed_log(username)
        with db.unit_of_work() as s:
            user = common.find_live(s, User, username=username)
            if user is None or not user.active:
                raise FupinError("这个账号已停用，请联系管理员")
            s.info["actor"] = Actor(user_id=user.id, name=user.display_name, role=user.role)
            for t in failed:
                audit.record(s, "login_failed", "app_user", user.id,
                             detail=f"密码错误（{datetime.fromtimestamp(t):%Y-%m-%d %H:%M:%S}）")
            user.last_login_at = utcnow()
            audit.record(s, action, "app_user", user.id)
            dto = copy_to(UserDTO, user)
        return OpenedStore(db, _actor_from(dto), dto)


def _shred(path: Path) -> None:
    """Overwrite, then delete (best effort: SSDs may keep old blocks; the file is gone from normal view)."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.write(b"\0" * size)
        fh.flush()
    path.unlink()


def _actor_from(u: UserDTO) -> Actor:
    return Actor(user_id=u.id, name=u.display_name, role=u.role)


class UserService(Service):
    """Users of this laptop (administrators only, except changing one's own password)."""

    def keyring(self) -> Keyring:
        return Keyring(self.ctx.data_dir or paths.data_dir())

    def list(self) -> list[UserDTO]:
        with self.read() as s:
            return [copy_to(UserDTO, u) for u in common.all_live(s, User, order_by="username")]

    def create(self, username: str, display_name: str, role: str, password: str,
               cadre_id: str | None = None) -> Outcome[UserDTO]:
        self.require_admin()
        username = require_text(username, "username", "用户名", 64)
        display_name = require_text(display_name, "display_name", "姓名", 64)
        require_code("role", role, "role", "角色")
        validate_password(password)
        with self.write() as s:
            if common.find_live(s, User, username=username):
                raise ValidationError("username", f"用户名“{username}”已经有人用了")
            user = User(username=username, display_name=display_name, role=role, cadre_id=cadre_id,
                        password_hash=hash_password(password))
            s.add(user)
            s.flush()
            dto = copy_to(UserDTO, user)
        if self.db.key is not None:
            self.keyring().set_user(username, self.db.key, password)
        return Outcome(dto, Changes.of_session(s))

    def reset_password(self, user_id: str, new_password: str) -> Outcome[UserDTO]:
        """An administrator sets a new password for someone who forgot theirs."""
        self.require_admin()
        validate_password(new_password, "new_password")
        with self.write() as s:
            user = self.get_live(s, User, user_id, "用户")
            user.password_hash = hash_password(new_password)
            audit.record(s, "reset_password", "app_user", user.id, detail=f"管理员重设了{user.display_name}的密码")
            dto = copy_to(UserDTO, user)
        if self.db.key is not None:
            self.keyring().set_user(dto.username, self.db.key, new_password)
        return Outcome(dto, Changes.of_session(s))

    def change_own_password(self, old_password: str, new_password: str) -> Outcome[UserDTO]:
        validate_password(new_password, "new_password")
        with self.db.unit_of_work(self.actor) as s:  # every role may change its own password
            user = self.get_live(s, User, self.actor.user_id, "用户")
            ring = self.keyring()
            if self.db.key is not None:
                try:
                    ring.open(user.username, old_password)
                except KeyringError:
                    raise ValidationError("old_password", "原密码不对") from None
            elif not check_password(user.password_hash, old_password):
                raise ValidationError("old_password", "原密码不对")
            user.password_hash = hash_password(new_password)
            audit.record(s, "change_password", "app_user", user.id)
            dto = copy_to(UserDTO, user)
        if self.db.key is not None:
            ring.set_user(dto.username, self.db.key, new_password)
        return Outcome(dto, Changes.of_session(s))

    def set_active(self, user_id: str, active: bool) -> Outcome[UserDTO]:
        """Disable or enable an account. Disabling also removes its key wrapping, so the password stops opening
        the database at once; re-enabling needs a new password (reset_password)."""
        self.require_admin()
        if user_id == self.actor.user_id and not active:
            raise ValidationError("active", "不能停用自己的账号")
        with self.write() as s:
            user = self.get_live(s, User, user_id, "用户")
            user.active = active
            dto = copy_to(UserDTO, user)
        if not active:
            self.keyring().remove_user(dto.username)
        return Outcome(dto, Changes.of_session(s))
