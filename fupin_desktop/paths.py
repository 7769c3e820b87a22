"""Every folder the program uses, decided in one place.

Order of precedence for the data folder: ``--data-dir`` (via :func:`set_data_dir`), the environment variable
``FUPIN_DATA_DIR``, portable mode (a ``portable.txt`` marker beside the executable keeps the data next to it, for a
USB stick), then the platform's user data folder (platformdirs).
"""
from __future__ import annotations

import os
import sys
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
    return data_dir() / "exports"


def log_dir() -> Path:
    return data_dir() / "logs"


def database_url() -> str:
    """``FUPIN_DATABASE_URL`` (e.g. PostgreSQL at county level) or the embedded SQLite file."""
    url = os.environ.get("FUPIN_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{database_path()}"
