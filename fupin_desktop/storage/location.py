"""Where the database lives: refuse network paths (SQLite locking is unreliable there), warn for removable drives."""
from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "sshfs", "afs", "9p", "fuse.gvfsd-fuse",
              "davfs", "fuse.davfs2", "ncpfs"}


def _linux_mount_of(path: Path) -> tuple[str, str] | None:
    """(mount point, fs type) of the longest mount containing ``path``."""
    try:
        lines = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best = None
    p = str(path)
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mnt = parts[1].replace("\\040", " ")
        if (p == mnt or p.startswith(mnt.rstrip("/") + "/")) and (best is None or len(mnt) > len(best[0])):
            best = (mnt, parts[2], parts[0])
    return (best[0], best[1]) if best else None


def _existing(path: Path) -> Path:
    path = path.resolve()
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def is_network_path(path: Path) -> bool:
    path = _existing(Path(path))
    if sys.platform == "win32":
        text = str(path)
        if text.startswith("\\\\"):
            return True
        import ctypes

        return ctypes.windll.kernel32.GetDriveTypeW(f"{text[:2]}\\") == 4  # DRIVE_REMOTE
    mount = _linux_mount_of(path)
    return bool(mount and mount[1] in NETWORK_FS)


def is_removable_path(path: Path) -> bool:
    path = _existing(Path(path))
    if sys.platform == "win32":
        import ctypes

        return ctypes.windll.kernel32.GetDriveTypeW(f"{str(path)[:2]}\\") == 2  # DRIVE_REMOVABLE
    mount = _linux_mount_of(path)
    if not mount:
        return False
    try:
        dev = Path(os.path.realpath(next(ln.split()[0] for ln in Path("/proc/mounts").read_text().splitlines()
                                         if ln.split()[1] == mount[0])))
        block = dev.name.rstrip("0123456789")
        return Path(f"/sys/block/{block}/removable").read_text().strip() == "1"
    except (OSError, StopIteration):
        return False


NETWORK_MESSAGE = ("数据文件夹 {path} 在网络位置上。网络共享上的数据库在断网或多人同时使用时容易损坏，"
                   "本程序不在网络位置上打开数据。请把数据文件夹放在本机磁盘上（可以用“备份”复制到共享位置）。")
REMOVABLE_MESSAGE = ("数据文件夹 {path} 在可移动磁盘（U盘）上。使用时请不要拔出U盘；"
                     "拔出前请先退出本程序，否则可能丢失最近的修改。")
