"""Start-up safety, between the QApplication and the main window:

1. where the data lives (refuse a network folder, warn for a USB stick);
2. one running program per data folder (a second start wakes the first);
3. sign-in (first start: the administrator and the encryption of the data);
4. integrity (quick_check + foreign_key_check; skipped only when the file is exactly as the last clean exit left
   it — the fast path); on damage, explain and offer the newest good backup, never write into a damaged file.
"""
from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog

from fupin_desktop import paths
from fupin_desktop.services.auth import AccessManager
from fupin_desktop.settings import MachineSettings
from fupin_desktop.storage import backup as backup_store
from fupin_desktop.storage import integrity, location
from fupin_desktop.storage.db import Actor, Database
from fupin_desktop.ui import messages
from fupin_desktop.ui.single_instance import SingleInstance

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


@dataclass
class Session:
    db: Database
    actor: Actor
    access: AccessManager | None
    username: str | None
    instance: SingleInstance | None


def file_state(path: Path) -> str:
    try:
        st = path.stat()
    except FileNotFoundError:
        return ""
    wal = Path(f"{path}-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    return f"{st.st_size}:{st.st_mtime_ns}:{wal_size}"


def mark_clean_exit(data_dir: Path) -> None:
    MachineSettings(data_dir / "settings.json").set("db.clean_exit", file_state(data_dir / paths.DATABASE_FILE))


def _known_folders_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(paths.APP_NAME, paths.APP_AUTHOR)) / "known-data-folders.txt"


def remember_folder(data_dir: Path) -> None:
    """Note a data folder that holds data, outside that folder (so its disappearance can be told later)."""
    record = _known_folders_file()
    known = set(record.read_text(encoding="utf-8").splitlines()) if record.exists() else set()
    if str(data_dir) not in known:
        from fupin_desktop.fileio import write_text_atomic

        write_text_atomic(record, "\n".join(sorted(known | {str(data_dir)})) + "\n")


def folder_went_missing(data_dir: Path) -> bool:
    """True when this folder held data before but is gone now (moved, renamed, USB stick not plugged in):
    starting afresh there would look like all data was lost."""
    record = _known_folders_file()
    if data_dir.exists() or not record.exists():
        return False
    return str(data_dir) in record.read_text(encoding="utf-8").splitlines()


def check_location(data_dir: Path) -> bool:
    if folder_went_missing(data_dir):
        messages.error(None, translate(
            "Startup", "The data folder {folder} is missing: it may have been moved or renamed, or the USB stick "
                       "is not plugged in. Put it back (or start the program with --data-dir and its new place). "
                       "Nothing was changed.").format(folder=data_dir),
            title=translate("Startup", "Data folder missing"))
        return False
    if location.is_network_path(data_dir):
        messages.error(None, location.NETWORK_MESSAGE.format(path=data_dir),
                       title=translate("Startup", "Data folder on the network"))
        return False
    if location.is_removable_path(data_dir):
        messages.info(None, location.REMOVABLE_MESSAGE.format(path=data_dir),
                      title=translate("Startup", "Data on a USB stick"))
    return True


def claim_instance(data_dir: Path) -> SingleInstance | None:
    inst = SingleInstance(data_dir)
    if inst.acquire():
        return inst
    if not inst.notify_running():
        messages.error(None, translate(
            "Startup", "The data in {folder} is in use by another copy of the program (on this computer or "
                       "another one). Close it first.").format(folder=data_dir),
            title=translate("Startup", "Data in use"))
    return None


def integrity_findings(db: Database, data_dir: Path) -> list[str]:
    """Problems of the database file; [] when sound. Skips the scan when the file is exactly as the last clean
    exit left it (under 1 s either way for a village database)."""
    path = db.path
    if path is None:
        return []
    settings = MachineSettings(data_dir / "settings.json")
    if settings.get("db.clean_exit") and settings.get("db.clean_exit") == file_state(path):
        return []
    return integrity.quick_check(db) + integrity.foreign_key_check(db)


def offer_backup(data_dir: Path, db: Database, findings: list[str]) -> bool:
    """Explain the damage and offer the newest good backup. True when it was restored."""
    key = db.key
    good = [b for b in backup_store.list_backups(data_dir / "backups", key=key)
            if backup_store.quick_check_file(b.path, key) == "ok"]
    text = translate("Startup", "The data file is damaged (for example by a power cut while writing):\n{detail}\n\n"
                                "The program will not write into a damaged file.").format(
        detail="\n".join(findings[:5]))
    if not good:
        messages.error(None, text + "\n\n" + translate(
            "Startup", "No good backup was found. Please contact the person who supports this program."))
        return False
    newest = good[0]
    if not messages.confirm(None, text + "\n\n" + translate(
            "Startup", "Restore the newest good backup of {time}? The damaged file is kept beside it.").format(
            time=f"{newest.taken_at:%Y-%m-%d %H:%M}"), translate("Startup", "Restore"), destructive=True):
        return False
    db.dispose()
    damaged = db.path.with_name(db.path.name + ".damaged")
    db.path.replace(damaged)
    backup_store.restore_into(newest.path, db.path, key)
    return True


def exit_after_show(window, stage: str) -> bool:
    """Cold-start measurements and install checks: ``FUPIN_EXIT_AFTER_SHOW=signin`` quits once the sign-in window
    is shown, ``FUPIN_EXIT_AFTER_SHOW=1`` once the main window is. Once the event loop has shown the window, it
    prints ``shown <stage>`` on stdout (tests/benchmarks/bench_start.py times that line) and quits the loop.
    With ``FUPIN_SHOWN_REPORT=FILE`` the shown window is described there (JSON: title, the texts of its labels and
    buttons, the font family) and, when FILE ends in .json, grabbed into FILE with .png instead of .json: a check
    that reads what a user would read. True when the caller should quit once its event loop returns."""
    wanted = os.environ.get("FUPIN_EXIT_AFTER_SHOW", "")
    if not wanted or (wanted == "signin") != (stage == "signin"):
        return False
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def shown() -> None:
        if sys.stdout is not None:
            print(f"shown {stage}", flush=True)
        report = os.environ.get("FUPIN_SHOWN_REPORT")
        if report:
            _describe(window, stage, report)
        QApplication.instance().quit()
        if isinstance(window, QDialog):
            window.reject()

    QTimer.singleShot(0, shown)
    return True


def _describe(window, stage: str, report: str) -> None:
    import json

    from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

    texts = [w.text() for w in window.findChildren(QLabel) + window.findChildren(QAbstractButton)
             if w.isVisible() and w.text()]
    Path(report).write_text(json.dumps({
        "stage": stage, "title": window.windowTitle(), "texts": texts,
        "font": QApplication.font().family()}, ensure_ascii=False), encoding="utf-8")
    if report.endswith(".json"):
        window.grab().save(report[: -len(".json")] + ".png")


def login_from_environment(access: AccessManager):
    """Unattended sign-in for support scripts and benchmarks (FUPIN_USER + FUPIN_PASSWORD); None otherwise."""
    user, password = os.environ.get("FUPIN_USER"), os.environ.get("FUPIN_PASSWORD")
    if not user or not password or access.needs_setup():
        return None
    return access.login(user, password)


def open_session() -> Session | None:
    """Run the start-up sequence; None when the program should quit (the user was told why)."""
    from fupin_desktop.ui.views.security.login import LoginDialog

    url = paths.database_url()
    if not url.startswith("sqlite"):
        # A county server: its own accounts and encryption apply; sign-in to the program is by database URL.
        from fupin_desktop.storage.migrate import open_database

        return Session(open_database(url), Actor(name="县级管理员", role="admin"), None, None, None)
    data_dir = paths.data_dir()
    if not check_location(data_dir):
        return None
    instance = claim_instance(data_dir)
    if instance is None:
        return None
    access = AccessManager(data_dir, url)
    store = login_from_environment(access)
    if store is None:
        dialog = LoginDialog(access)
        exit_after_show(dialog, "signin")
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.store is None:
            instance.release()
            return None
        store = dialog.store
    remember_folder(data_dir)
    findings = integrity_findings(store.db, data_dir)
    if findings:
        log.error("integrity problems: %s", findings)
        if not offer_backup(data_dir, store.db, findings):
            instance.release()
            return None
        # store.db reconnects to the restored file on its next use (same key)
    return Session(store.db, store.actor, access, store.user.username, instance)
