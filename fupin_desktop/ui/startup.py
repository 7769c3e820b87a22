"""Start-up safety, between the QApplication and the main window:

1. where the data lives (refuse a network folder, warn for a USB stick);
2. one running program per data folder (a second start wakes the first);
3. sign-in (first start: the administrator and the encryption of the data);
4. integrity (quick_check + foreign_key_check; skipped only when the file is exactly as the last clean exit left
   it — the fast path); on damage, explain and offer the newest good backup, never write into a damaged file.

Start-up speed: the sign-in window comes first and needs only Qt, the keyring and this module; SQLAlchemy, the
models, the services and the main window's modules are imported while she types (:func:`warm_up`), and her
password is turned into the key in the background once she presses Enter (LoginDialog). Keep heavy imports out
of the top of this module and of ``ui/views/security/login.py`` (tests/ui/test_startup_speed.py checks).
"""
from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog

from fupin_desktop import paths
from fupin_desktop.services import opening
from fupin_desktop.services.access import AccessManager, OpenedStore
from fupin_desktop.services.opening import file_state, integrity_findings, mark_clean_exit  # noqa: F401 (API)
from fupin_desktop.ui import messages
from fupin_desktop.ui.single_instance import SingleInstance

if TYPE_CHECKING:
    from fupin_desktop.services import Services
    from fupin_desktop.services.base import Actor, Database

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


@dataclass
class Session:
    db: Database
    actor: Actor
    access: AccessManager | None
    username: str | None
    instance: SingleInstance | None


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
    place = opening.where(data_dir)
    if place == "network":
        messages.error(None, opening.NETWORK_MESSAGE.format(path=data_dir),
                       title=translate("Startup", "Data folder on the network"))
        return False
    if place == "removable":
        messages.info(None, opening.REMOVABLE_MESSAGE.format(path=data_dir),
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


def offer_backup(data_dir: Path, db: Database, findings: list[str]) -> bool:
    """Explain the damage and offer the newest good backup. True when it was restored."""
    good = opening.good_backups(data_dir, db)
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
    opening.restore_over_damaged(db, newest)
    return True


def exit_after_show(window, stage: str, ready=None) -> bool:
    """Cold-start measurements and install checks: ``FUPIN_EXIT_AFTER_SHOW=signin`` quits once the sign-in window
    is shown (once the main window has its data when FUPIN_USER signed in and no sign-in window came),
    ``FUPIN_EXIT_AFTER_SHOW=1`` once the main window is there with its data (app.py: stage
    ``main-data``, when ``ready()`` says so; ``shown main`` was printed when the window appeared). Once the event
    loop has shown the window, it prints ``shown <stage>`` on stdout (tests/benchmarks/bench_start.py times that
    line) and quits the loop.
    With ``FUPIN_SHOWN_REPORT=FILE`` the shown window is described there (JSON: title, the texts of its labels and
    buttons, the font family) and, when FILE ends in .json, grabbed into FILE with .png instead of .json: a check
    that reads what a user would read. True when the caller should quit once its event loop returns."""
    wanted = os.environ.get("FUPIN_EXIT_AFTER_SHOW", "")
    # "signin" ends at the sign-in window, or at the main window when the environment signed in (no sign-in window)
    if not wanted or (wanted != "signin" and stage == "signin"):
        return False
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def shown() -> None:
        if ready is not None and not ready():
            QTimer.singleShot(10, shown)
            return
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


def announce_shown(stage: str) -> None:
    """An intermediate stage for the cold-start benchmark (``shown main-frame``: the main window without its page
    yet), printed only while measuring (FUPIN_EXIT_AFTER_SHOW set)."""
    if os.environ.get("FUPIN_EXIT_AFTER_SHOW") and sys.stdout is not None:
        print(f"shown {stage}", flush=True)


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


# Imported in a worker thread while the sign-in window waits: the non-Qt layers only (a QObject made by an import
# in a worker thread would belong to that thread). The Qt modules of the main window follow on the GUI thread.
WARM_UP_MODULES = (
    "sqlalchemy.dialects.sqlite", "fupin_desktop.storage.db", "fupin_desktop.storage.models",
    "fupin_desktop.storage.migrate", "fupin_desktop.storage.queries.common", "fupin_desktop.services.base",
    "fupin_desktop.services.auth", "fupin_desktop.services.village", "fupin_desktop.services.codelists",
    "fupin_desktop.services.stats",
)
WARM_UP_UI_MODULES = ("fupin_desktop.ui.main_window", "fupin_desktop.ui.guard")
# Sign-in from the environment: what opening the data and the main window's frame need (no statistics: the first
# page works its figures out in the background), imported while the key is derived.
OPENING_MODULES = (
    "sqlalchemy.dialects.sqlite", "fupin_desktop.storage.db", "fupin_desktop.storage.models",
    "fupin_desktop.storage.migrate", "fupin_desktop.storage.audit", "fupin_desktop.storage.queries.common",
    "fupin_desktop.services.base", "fupin_desktop.services.village", "fupin_desktop.services.codelists",
    "fupin_desktop.services.backups",
)


def _import_all(names) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 — only a head start: the real import later reports any error
            log.debug("warm-up import of %s failed", name, exc_info=True)


def warm_up() -> threading.Thread:
    """Import what opening the data and the main window need, in the background (returns the started thread)."""
    thread = threading.Thread(target=_import_all, args=(WARM_UP_MODULES,), name="warm-up imports", daemon=True)
    thread.start()
    return thread


class _WarmUpFirst:
    """The AccessManager for the sign-in window: the warm-up imports start once the window shows (:meth:`start`),
    and opening the data waits for them. Two threads importing the same modules at once can fail with Python's
    import "deadlock detected" where modules import each other; after the warm-up the imports are done."""

    OPENING = frozenset({"login", "create_admin", "recover", "restore_with_recovery"})

    def __init__(self, access: AccessManager):
        self._access = access
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._opening = False

    def start(self) -> None:
        with self._lock:
            if self._thread is None and not self._opening:
                self._thread = warm_up()

    def _wait(self) -> None:
        with self._lock:
            self._opening = True  # she was quicker than the warm-up: no warm-up then
            thread = self._thread
        if thread is not None:
            thread.join()

    def __getattr__(self, name: str):
        value = getattr(self._access, name)
        if name not in self.OPENING:
            return value

        def opening(*args, **kwargs):
            self._wait()
            return value(*args, **kwargs)

        return opening


def warm_up_ui() -> None:
    """Import the main window's Qt modules on the GUI thread (each a short pause of the event loop)."""
    _import_all(WARM_UP_UI_MODULES)


class _Background:
    """``fn()`` in a plain worker thread; :meth:`result` waits and returns its value or raises its exception."""

    def __init__(self, fn):
        self._value = self._error = None
        self._thread = threading.Thread(target=self._run, args=(fn,), name="sign-in", daemon=True)
        self._thread.start()

    def _run(self, fn) -> None:
        try:
            self._value = fn()
        except BaseException as exc:  # noqa: BLE001 — re-raised on the caller's thread
            self._error = exc

    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def login_from_environment(access: AccessManager) -> OpenedStore | None:
    """Unattended sign-in for support scripts and benchmarks (FUPIN_USER + FUPIN_PASSWORD); None otherwise.
    The key derivation (scrypt, outside the GIL) runs in one worker thread while a second one imports the
    database side (:data:`OPENING_MODULES`, then opens the data) and this thread imports the main window."""
    user, password = os.environ.get("FUPIN_USER"), os.environ.get("FUPIN_PASSWORD")
    if not user or not password or access.needs_setup():
        return None
    if access.on_server:  # no key to derive: the server's user table checks the password
        pending_login = _Background(lambda: access.login(user, password))
        warm_up_ui()
        return pending_login.result()

    def open_store() -> OpenedStore:
        key = _Background(lambda: access.keyring.open(user, password))  # no imports in there: scrypt only
        _import_all(OPENING_MODULES)
        return access.open_with_key(user, key.result())

    pending = _Background(open_store)
    warm_up_ui()
    return pending.result()


@dataclass
class Opened:
    """What :class:`PendingSession` hands to the GUI thread: the session, its services (code-list extensions
    loaded), whether the village is set up, and the integrity findings (the caller offers a backup)."""
    session: Session
    services: Services
    set_up: bool
    findings: list[str]


class PendingSession:
    """Sign-in from the environment (FUPIN_USER + FUPIN_PASSWORD) while the main window's frame is built and shown
    on the GUI thread (app.main): the key derivation starts at once (scrypt, outside the GIL, no imports); the
    database side is imported, opened and checked in a worker thread once :meth:`start` is called — after the
    frame is on the screen, so the GUI thread builds it without competing for the GIL, and only one thread
    imports at a time. :meth:`done` polls, :meth:`result` waits (and re-raises a failure). No Qt object is made
    in the worker threads."""

    def __init__(self, access: AccessManager, user: str, password: str, instance: SingleInstance | None = None,
                 found: str | None = None):
        self.access, self.user, self.instance = access, user, instance
        self._found = found
        self._go = threading.Event()
        self._key = None if access.on_server else _Background(lambda: access.keyring.open(user, password))
        self._password = password if access.on_server else None
        self._job = _Background(self._open)

    @classmethod
    def from_environment(cls, access: AccessManager, instance: SingleInstance | None = None,
                         found: str | None = None) -> PendingSession | None:
        user, password = os.environ.get("FUPIN_USER"), os.environ.get("FUPIN_PASSWORD")
        if not user or not password or access.needs_setup():
            return None
        return cls(access, user, password, instance, found)

    def start(self) -> None:
        self._go.set()

    def done(self) -> bool:
        return self._job.done()

    def result(self) -> Opened:
        self._go.set()
        return self._job.result()

    def _open(self) -> Opened:  # worker thread
        self._go.wait()
        _import_all(OPENING_MODULES)
        if self._key is None:
            store = self.access.login(self.user, self._password)
        else:
            store = self.access.open_with_key(self.user, self._key.result())
        try:
            from fupin_desktop.services import Services

            data_dir = self.access.data_dir
            findings = []
            if self.instance is not None:  # a data folder on this computer (not a county server)
                remember_folder(data_dir)
                findings = integrity_findings(store.db, data_dir, self._found)
            services = Services(store.db, actor=store.actor, data_dir=paths.data_dir())
            set_up = True
            if not findings:
                services.codelists.load_extensions()
                set_up = services.village.is_set_up()
            session = Session(store.db, store.actor, self.access, store.user.username, self.instance)
            return Opened(session, services, set_up, findings)
        except BaseException:
            store.db.dispose()
            raise


def sign_in(access: AccessManager) -> OpenedStore | None:
    """The sign-in window (the administrator's set-up on a first start); None when she quits."""
    from fupin_desktop.ui.views.security.login import LoginDialog

    from PySide6.QtCore import QTimer

    guarded = _WarmUpFirst(access)
    dialog = LoginDialog(guarded)
    exit_after_show(dialog, "signin")
    QTimer.singleShot(100, guarded.start)  # once the window is on the screen (the imports compete for the GIL)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    if dialog.failure is not None:
        raise dialog.failure  # the caller explains why the data cannot be opened
    return dialog.store if accepted else None


def open_session(background: bool = False) -> Session | PendingSession | None:
    """Run the start-up sequence; None when the program should quit (the user was told why).
    ``background``: sign-in from the environment returns a :class:`PendingSession` at once (the main window's
    frame is shown while it opens the data; the caller handles its integrity findings)."""
    url = paths.database_url()
    if not url.startswith("sqlite"):
        # A county server: its account is only the connection; people sign in to the program against its user
        # table (AccessManager.on_server), so roles and the audit trail name the person, as on a laptop.
        access = AccessManager(paths.data_dir(), url)
        pending = PendingSession.from_environment(access) if background else None
        if pending is not None:
            return pending
        store = login_from_environment(access) or sign_in(access)
        if store is None:
            return None
        return Session(store.db, store.actor, access, store.user.username, None)
    data_dir = paths.data_dir()
    if not check_location(data_dir):
        return None
    instance = claim_instance(data_dir)
    if instance is None:
        return None
    access = AccessManager(data_dir, url)
    found = file_state(access.db_path)  # as the last exit left it, before signing in writes to it
    pending = PendingSession.from_environment(access, instance, found) if background else None
    if pending is not None:
        return pending
    store = login_from_environment(access) or sign_in(access)
    if store is None:
        instance.release()
        return None
    remember_folder(data_dir)
    findings = integrity_findings(store.db, data_dir, found)
    if findings:
        log.error("integrity problems: %s", findings)
        if not offer_backup(data_dir, store.db, findings):
            instance.release()
            return None
        # store.db reconnects to the restored file on its next use (same key)
    return Session(store.db, store.actor, access, store.user.username, instance)
