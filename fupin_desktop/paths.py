"""Every folder the program uses, decided in one place.

Order of precedence for the data folder: ``--data-dir`` (via :func:`set_data_dir`), the environment variable
``FUPIN_DATA_DIR``, portable mode (a ``portable.txt`` marker beside the executable keeps the data next to it, for a
USB stick), then the platform's user data folder (platformdirs).
"""
from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

import platformdirs

APP_NAME = "fupin_desktop"
APP_AUTHOR = "fupin"
PORTABLE_MARKER = "portable.txt"
DATABASE_FILE = "fupin.sqlite3"

_data_dir_override: Path | None = None


def set_data_dir(path: str | os.PathLike | None) -> None:
    """Override the data folder for this process (the ``--data-dir`` option)."""
    global _data_dir_override
    _data_dir_override = Path(path).expanduser().resolve() if path else None


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def install_dir() -> Path:
    """Folder of the executable when frozen, else the source checkout root."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def _shipped_folder(name: str) -> Path:
    """A folder the program ships (``resources``, ``i18n``), wherever this installation keeps it:

    1. a PyInstaller bundle: ``sys._MEIPASS/<name>`` (packaging/fupin_desktop.spec);
    2. an installed wheel: inside the package, ``fupin_desktop/<name>`` (mapped there by setup.py);
    3. a source checkout or editable install: the top-level ``<name>/`` beside the package.
    """
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / name
    package = Path(__file__).resolve().parent
    inside = package / name
    if inside.is_dir():
        return inside
    return package.parent / name


def resource_dir() -> Path:
    """``resources/`` (font, icons)."""
    return _shipped_folder("resources")


def i18n_dir() -> Path:
    """The folder of the built translations (``fupin_desktop_zh_CN.qm``)."""
    return _shipped_folder("i18n")


def font_path() -> Path:
    return resource_dir() / "fonts" / "wqy-microhei.ttc"


def is_portable() -> bool:
    return (install_dir() / PORTABLE_MARKER).exists()


def data_dir() -> Path:
    if _data_dir_override is not None:
        return _data_dir_override
    env = os.environ.get("FUPIN_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    if is_portable():
        return install_dir() / "data"
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def database_path() -> Path:
    return data_dir() / DATABASE_FILE


def backup_dir() -> Path:
    return data_dir() / "backups"


def attachment_dir() -> Path:
    return data_dir() / "attachments"


def export_dir() -> Path:
    """Default output of the command-line exports (support scripts). The window saves where she can find the
    files instead: :func:`documents_dir` or a USB stick (ui/widgets/save_path.py remembers her choice)."""
    return data_dir() / "exports"


def documents_dir() -> Path:
    """The user's Documents folder (我的文档), or the home folder where there is none."""
    try:
        found = Path(platformdirs.user_documents_dir())
    except Exception:  # noqa: BLE001 — an unusual profile: fall back to the home folder
        found = Path.home()
    return found if found.is_dir() else Path.home()


def removable_drives() -> list[Path]:
    """Mounted USB sticks and other removable drives (best effort, no error when it cannot tell): Windows drive
    letters of type DRIVE_REMOVABLE, Linux mounts under /media and /run/media, macOS volumes under /Volumes."""
    found: list[Path] = []
    try:
        if sys.platform == "win32":
            import ctypes
            import string

            kernel = ctypes.windll.kernel32
            mask = kernel.GetLogicalDrives()
            for i, letter in enumerate(string.ascii_uppercase):
                root = f"{letter}:\\"
                if mask & (1 << i) and letter not in "AB" and kernel.GetDriveTypeW(root) == 2:  # DRIVE_REMOVABLE
                    found.append(Path(root))
        elif sys.platform == "darwin":
            found = [p for p in Path("/Volumes").iterdir() if p.is_dir() and not p.is_symlink()]
        else:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
            for line in mounts:
                parts = line.split()
                if len(parts) > 1 and parts[1].startswith(("/media/", "/run/media/")):
                    found.append(Path(parts[1].replace("\\040", " ")))
    except (OSError, AttributeError, ValueError):
        return []
    return [p for p in found if os.access(p, os.W_OK)]


def default_save_dir() -> Path:
    """Where the window offers to save exported and printed files until she chooses a folder: a USB stick when one
    is plugged in (files go upward on one), else Documents."""
    drives = removable_drives()
    return drives[0] if drives else documents_dir()


def log_dir() -> Path:
    return data_dir() / "logs"


# --- the private temporary folder -----------------------------------------------------------------------------
# Temporary files may hold personal data (openpyxl's write-only sheets of a full export, the reports page's PDFs):
# they live under the data folder, never in the system temp folder (DESIGN §5.10). Each process has its own
# subfolder ``tmp/<random>`` holding a lock for as long as it runs; it is removed at exit, and a subfolder whose
# lock nobody holds (its process was killed) is removed at the next start of any process.

TEMP_FOLDER = "tmp"
_LOCK_NAME = ".owner"
_private: tuple[Path, int] | None = None


def temp_root() -> Path:
    return data_dir() / TEMP_FOLDER


def _try_lock(fd: int) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def clean_stale_temp(root: Path | None = None) -> list[Path]:
    """Remove subfolders of the private temp folder left by processes that are gone (killed, power cut)."""
    root = root or temp_root()
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for folder in root.iterdir():
        if _private is not None and folder == _private[0]:
            continue
        lock = folder / _LOCK_NAME
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600) if folder.is_dir() else None
        except OSError:
            continue
        if fd is not None:
            locked = _try_lock(fd)
            os.close(fd)  # closing drops our lock again
            if not locked:
                continue  # a running process owns it
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            folder.unlink(missing_ok=True)
        removed.append(folder)
    return removed


def use_private_temp() -> Path | None:
    """Make this process's temporary files go to its private folder under the data folder (``tempfile.tempdir``),
    after removing the leftovers of killed processes. Returns the folder; None when the data folder cannot be
    written (then nothing personal can be exported from it either, and the system temp folder stays in use)."""
    global _private
    root = temp_root()
    if _private is not None:
        if _private[0].parent == root and _private[0].is_dir():
            tempfile.tempdir = str(_private[0])
            return _private[0]
        release_private_temp()  # the data folder changed (tests, --data-dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(root, 0o700)
        clean_stale_temp(root)
        folder = root / secrets.token_hex(6)
        folder.mkdir(mode=0o700)
        fd = os.open(folder / _LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    _try_lock(fd)
    _private = (folder, fd)
    tempfile.tempdir = str(folder)
    atexit.register(release_private_temp)
    return folder


def private_temp_dir(name: str) -> Path:
    """A fresh folder for one piece of work inside the private temp folder (remove it when the work is done)."""
    base = use_private_temp()
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=str(base) if base else None))


def release_private_temp() -> None:
    """Remove this process's private temp folder (at exit)."""
    global _private
    if _private is None:
        return
    folder, fd = _private
    _private = None
    if tempfile.tempdir == str(folder):
        tempfile.tempdir = None
    with contextlib.suppress(OSError):
        os.close(fd)
    shutil.rmtree(folder, ignore_errors=True)


def database_url() -> str:
    """``FUPIN_DATABASE_URL`` (e.g. PostgreSQL at county level) or the embedded SQLite file."""
    url = os.environ.get("FUPIN_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{database_path()}"
