"""Files written whole or not at all: a crash leaves the old file or the complete new one."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it is fsynced and renamed over ``path``.

    For libraries that want a file name (openpyxl, reportlab, sqlite backup).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
        _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file for writing; it replaces ``path`` only when the block ends without error."""
    with atomic_path(path) as tmp:
        kwargs = {} if "b" in mode else {"encoding": encoding}
        with open(tmp, mode, **kwargs) as fh:
            yield fh
            fh.flush()


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def _fsync_dir(folder: Path) -> None:
    # The rename itself must reach the disk; directories cannot be opened this way on Windows.
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_LXML_IO = {"IO_ENOSPC": "ENOSPC", "IO_EFBIG": "EFBIG", "IO_EACCES": "EACCES", "IO_EROFS": "EROFS", "IO_EIO": "EIO",
            "IO_EDQUOT": "EDQUOT", "IO_EPERM": "EPERM"}


def as_os_error(exc: BaseException) -> OSError | None:
    """The operating-system error behind ``exc``, also when a library hid it: lxml reports a full disk as
    ``SerialisationError('IO_ENOSPC')`` (openpyxl's sheet writer), SQLite as "database or disk is full" or
    "attempt to write a readonly database". None when ``exc`` is not about the disk."""
    import errno

    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:  # the cause chain (SQLAlchemy wraps the driver's error)
        seen.add(id(exc))
        if isinstance(exc, OSError):
            return exc
        text = str(exc)
        if type(exc).__name__ == "SerialisationError":
            for code, name in _LXML_IO.items():
                if code in text and hasattr(errno, name):
                    number = getattr(errno, name)
                    return OSError(number, os.strerror(number))
        if type(exc).__module__.split(".")[0] in ("sqlite3", "sqlcipher3"):
            if "disk is full" in text:
                return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            if "readonly database" in text or "read-only" in text:
                return OSError(errno.EROFS, os.strerror(errno.EROFS))
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return None
