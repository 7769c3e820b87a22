"""Who a command-line verb runs as: sign-in, the first administrator (``init``), one writer per data folder.

Every verb acts as a signed-in user with that user's role, exactly like the window (DESIGN §5.11): it asks
:func:`signed_in` for the services with what it needs (``READ`` / ``WRITE`` / ``ADMIN``, the same levels the
services check), gets a :class:`~fupin_desktop.services.Services` facade whose actor is that user (the audit trail
records the user), and is refused with a Chinese message before it starts when the role does not allow it.

* Credentials: ``FUPIN_USER`` / ``FUPIN_PASSWORD`` for scripts, else a prompt on the terminal.
* A folder without an administrator: ``init`` creates one (and encrypts the data); for scripts, the first verb that
  writes creates it from ``FUPIN_USER`` / ``FUPIN_PASSWORD`` (so ``demo``, ``import`` … keep working unattended).
  Reading verbs on such a folder (an old, never set-up one) read as a viewer.
* PostgreSQL (``FUPIN_DATABASE_URL``): the same users and password check, from the server's user table.
* A verb that writes holds the folder's writer lock (storage.writer_lock) from sign-in to the end: two imports at
  once cannot both number the same new households; the second waits a little, then is refused.
"""
from __future__ import annotations

import contextlib
import getpass
import os
import sys
from collections.abc import Iterator

from fupin_desktop import paths
from fupin_desktop.domain.errors import FupinError
from fupin_desktop.services.needs import ADMIN, READ, WRITE  # (not services.base: the window starts through here)

__all__ = ["READ", "WRITE", "ADMIN", "signed_in", "create_administrator", "NOBODY"]

NOBODY = "命令行（尚未设置管理员）"  # the audit name of a reading verb on a folder without users


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _ask(prompt: str, secret: bool = False) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise FupinError("没有用户名或密码：请在终端中运行，或设置环境变量 FUPIN_USER 和 FUPIN_PASSWORD。")
    try:
        return getpass.getpass(prompt) if secret else input(prompt)
    except EOFError:
        raise FupinError("没有输入用户名或密码。") from None


def credentials() -> tuple[str, str]:
    """(user name, password) from FUPIN_USER / FUPIN_PASSWORD, else asked on the terminal."""
    user = os.environ.get("FUPIN_USER") or _ask("用户名：")
    password = os.environ.get("FUPIN_PASSWORD") or _ask("密码：", secret=True)
    return user.strip(), password


def _access():
    from fupin_desktop.services.auth import AccessManager

    return AccessManager(paths.data_dir(), paths.database_url())


def create_administrator(access, username: str, password: str, display_name: str | None = None):
    """The first administrator of the folder (the data is encrypted on the way; on a server: its user table).
    Prints the recovery key once. Returns the opened store."""
    store = access.create_admin(username, display_name or username, password)
    if store.recovery_code:
        print(f"已创建管理员“{username}”，数据已加密。\n"
              f"恢复密钥（只显示这一次，请抄写后交乡镇保管；忘记所有密码时凭它打开数据）：\n  {store.recovery_code}",
              file=sys.stderr, flush=True)
    else:
        print(f"已创建管理员“{username}”。", file=sys.stderr, flush=True)
    return store


def _open(need: str):
    """(db, actor) of the signed-in user; creates the first administrator where that is the way in."""
    from fupin_desktop.storage.db import Actor

    access = _access()
    if not access.needs_setup():
        # The sign-in writes nothing itself: a verb that changes nothing leaves the folder byte for byte as it was;
        # what a verb does is audited in the user's name by the services.
        store = access.login(*credentials(), record=False)
        return store.db, store.actor
    if need == READ:
        from fupin_desktop.storage.migrate import open_database

        # Nobody can sign in yet: read as a viewer (an old folder from before sign-in existed, or an empty one).
        db = open_database(paths.database_url(), backup_dir=paths.backup_dir())
        return db, Actor(name=NOBODY, role="viewer")
    user, password = os.environ.get("FUPIN_USER"), os.environ.get("FUPIN_PASSWORD")
    if not user or not password:
        raise FupinError("这个数据文件夹还没有管理员。请先运行 init 设置管理员（数据会同时加密），"
                         "或为脚本设置环境变量 FUPIN_USER 和 FUPIN_PASSWORD（第一次写入时用它们创建管理员）。")
    store = create_administrator(access, user.strip(), password, os.environ.get("FUPIN_USER_NAME"))
    return store.db, store.actor


@contextlib.contextmanager
def signed_in(need: str = READ) -> Iterator:
    """The services of the chosen data folder as the signed-in user, for a verb that needs ``need`` (READ, WRITE,
    ADMIN). Refuses (PermissionDeniedError, before any work) when the user's role does not allow it; a verb that
    writes holds the writer lock of the folder until the block ends. The database is closed at the end."""
    from fupin_desktop.services import Services

    if need not in (READ, WRITE, ADMIN):
        raise ValueError(f"unknown permission {need!r}")
    with contextlib.ExitStack() as stack:
        if need != READ:
            from fupin_desktop.storage import writer_lock

            stack.enter_context(writer_lock.hold(
                paths.data_dir(), on_wait=lambda: _err("另一个程序正在写入这个数据文件夹，等待它完成……")))
        db, actor = _open(need)
        stack.callback(db.dispose)
        services = Services(db, actor=actor, data_dir=paths.data_dir())
        services.require(need)
        yield services
