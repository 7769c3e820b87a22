"""Logins, roles and users; opening the encrypted database with a user's password.

Roles (codes.role): 管理员 admin — everything, users, settings, restore; 队员 member — create and edit records;
查看 viewer — read only (e.g. an inspection). Roles are enforced in the services (Service.require_write /
require_admin), not only by hiding buttons.

Sign-in before the database is open (AccessManager, passwords): services/access.py, re-exported here.
"""
from __future__ import annotations

from fupin_desktop import paths
from fupin_desktop.domain.errors import ValidationError
# Sign-in before the database is open lives in services/access.py (light to import); re-exported here.
from fupin_desktop.services.access import (
    MIN_PASSWORD, AccessManager, OpenedStore, UserDTO, check_password, hash_password, validate_password,
)
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to, require_code, require_text
from fupin_desktop.storage import audit
from fupin_desktop.storage.keyring import Keyring, KeyringError
from fupin_desktop.storage.models import User
from fupin_desktop.storage.queries import common

__all__ = ["AccessManager", "OpenedStore", "UserDTO", "UserService", "KeyringError", "MIN_PASSWORD",
           "hash_password", "check_password", "validate_password"]


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
