"""One writer across processes on a data folder: an OS file lock on ``writer.lock`` in the folder.

SQLite serialises single transactions, but a bulk write is a read (checking a roster against what is stored,
numbering new households) followed by a write: two imports running at once in two processes (the command line and
the window, or two scripts) both saw the same free 户编号 and both used them. Whoever holds this lock is the only
writer of the folder for as long as it holds it; everyone else waits a little, then gets
:class:`WriterBusyError` (a Chinese message).

The lock is the operating system's (``fcntl.flock`` on Linux/macOS, ``msvcrt.locking`` on Windows): it is released
when the holder exits or is killed, so a crash never leaves the folder locked. Within one process the lock is
re-entrant (a verb holding it may call services that take it again), counted per folder.
"""
from __future__ import annotations

import contextlib
import errno
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from fupin_desktop.domain.errors import FupinError

LOCK_FILE = "writer.lock"
WAIT_SECONDS = 15.0  # "wait a little": long enough for a save or a small import to finish, short enough to tell
POLL_SECONDS = 0.1

__all__ = ["LOCK_FILE", "WAIT_SECONDS", "WriterBusyError", "ReadOnlyFolderError", "hold", "is_held"]


class WriterBusyError(FupinError):
    """Another program (or another copy of this one) is writing to the data folder."""


class ReadOnlyFolderError(FupinError):
    """The data folder cannot be written at all (permissions, a write-protected USB stick)."""


_guard = threading.Lock()
_held: dict[str, list] = {}  # folder → [count, open file]


def _key(folder: Path) -> str:
    return os.path.normcase(str(Path(folder).resolve()))


if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(fh) -> bool:
        fh.seek(0)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fh) -> None:
        fh.seek(0)
        with contextlib.suppress(OSError):
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fh) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def is_held(folder: Path) -> bool:
    """True when this process holds the lock of ``folder``."""
    with _guard:
        return _key(folder) in _held


def _acquire(folder: Path, wait: float, on_wait: Callable[[], None] | None) -> None:
    key = _key(folder)
    with _guard:
        entry = _held.get(key)
        if entry is not None:
            entry[0] += 1
            return
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        fh = open(Path(folder) / LOCK_FILE, "a+b")  # noqa: SIM115 - kept open while held
    except PermissionError as exc:
        raise ReadOnlyFolderError(f"数据文件夹是只读的（{folder}），不能写入，没有任何改动。"
                              "请检查文件夹权限，或把数据放到可以写入的位置。") from exc
    except OSError as exc:
        if exc.errno != errno.EROFS:
            raise
        raise ReadOnlyFolderError(f"数据文件夹是只读的（{folder}），不能写入，没有任何改动。"
                              "请检查文件夹权限，或把数据放到可以写入的位置。") from exc
    deadline = time.monotonic() + wait
    told = False
    while not _try_lock(fh):
        if time.monotonic() >= deadline:
            fh.close()
            raise WriterBusyError(
                f"另一个程序正在写入这个数据文件夹（{folder}），例如正在导入或合并。"
                f"已等待 {wait:.0f} 秒，请等它完成后再试。")
        if not told and on_wait is not None:
            on_wait()
            told = True
        time.sleep(POLL_SECONDS)
    with _guard:
        _held[key] = [1, fh]


def _release(folder: Path) -> None:
    key = _key(folder)
    with _guard:
        entry = _held[key]
        entry[0] -= 1
        if entry[0]:
            return
        del _held[key]
    fh = entry[1]
    try:
        _unlock(fh)
    finally:
        fh.close()


@contextlib.contextmanager
def hold(folder: Path, *, wait: float = WAIT_SECONDS, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Be the only writer of ``folder`` inside the block. Waits up to ``wait`` seconds for another holder
    (``on_wait()`` is called once when it has to wait), then raises :class:`WriterBusyError`."""
    _acquire(Path(folder), wait, on_wait)
    try:
        yield
    finally:
        _release(Path(folder))
