"""接收交接包 on the successor's laptop, in one place for the set-up window and ``fupin-desktop receive``.

Two steps, so that a wrong code writes nothing: :func:`check_handover` opens the package with the typed 交接码 and
reads who handed over what (nothing is created); then, once the new administrator is known,
:func:`receive_handover` creates her (the data folder's key comes from her password), merges the package's
同步包 and carries the old team's users (inactive) and the pairings to reassign (HandoverService.receive).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from fupin_desktop import paths
from fupin_desktop.exchange.handover_package import HandoverInfo, open_handover_package


def folder_problem(data_dir: Path | None = None) -> str | None:
    """None when the data folder holds no data and no keys (a handover can be received there); else what is
    there (Chinese)."""
    from fupin_desktop.services.access import AccessManager

    data_dir = data_dir or paths.data_dir()
    if os.environ.get("FUPIN_DATABASE_URL"):
        return "当前使用的是服务器数据库；交接包只能接收到本机一个空的数据文件夹"
    access = AccessManager(data_dir)
    if not access.needs_setup():
        return "已经有管理员（钥匙文件 keys.json）"
    db_file = access.db_path
    if db_file.exists() and db_file.stat().st_size > 0:
        return f"已经有数据（{db_file}）"
    return None


def check_handover(path: str | Path, code: str) -> HandoverInfo:
    """Open the package with the code and read its description; nothing is written. SyncError (Chinese) for a
    wrong code, a damaged or a foreign file."""
    with open_handover_package(path, code) as (_package, info):
        return info


@dataclass(frozen=True)
class Received:
    store: object  # services.access.OpenedStore of the new administrator (the caller owns its database)
    info: HandoverInfo
    report: object  # services.sync's merge report
    users: int  # old team accounts carried (inactive)
    pairings: int  # pairings marked to reassign


def receive_handover(access, path: str | Path, code: str, user: str, name: str | None, password: str,
                     progress: Callable[[int, int, str], None] | None = None, create_admin=None) -> Received:
    """Create the new administrator in the empty data folder, merge the package and carry the old team's users
    and pairings. ``create_admin(access, user, password, name)``: how the administrator is made (default
    ``access.create_admin``; the CLI's prints the recovery key). Raises SyncError before anything is written when
    the code is wrong, ConflictError when the folder is not empty."""
    from fupin_desktop.domain.errors import ConflictError
    from fupin_desktop.services import Services
    from fupin_desktop.storage import writer_lock

    problem = folder_problem(access.data_dir)
    if problem:
        raise ConflictError(f"只能接收到一个空的数据文件夹：{access.data_dir} 里{problem}。")
    with writer_lock.hold(access.data_dir), open_handover_package(path, code) as (package, info):
        opened = (create_admin(access, user, password, name) if create_admin is not None
                  else access.create_admin(user, name or user, password))
        try:
            svc = Services(opened.db, actor=opened.actor, data_dir=access.data_dir)
            report = svc.sync.merge([package], progress=progress).value
            carried = svc.handover.receive(info.users, info.pairings, source=Path(path).name).value
        except BaseException:
            opened.db.dispose()
            raise
    return Received(opened, info, report, carried["users"], carried["pairings"])
