"""Composition root of the GUI: QApplication, look, font, translator, database, services, first-start wizard,
main window.

``main(args)`` is called by ``cli.py`` when no verb is given (``args`` is its argparse Namespace); an argv-style
list works too (``main(["--data-dir", "D:/data"])``). Tests use :func:`create_app` and
:func:`build_main_window` without entering the event loop.
"""
from __future__ import annotations

import gc

# Automatic collection is off in the GUI: ui.collector (installed by create_app) collects on the GUI thread, so a Qt
# object is never freed in a worker. Turned off here already, before Qt and the program are imported: those imports
# would otherwise trigger some 40 collections (≈25 ms CPU) before the sign-in window shows (issue 18 §4).
gc.disable()

import argparse
import logging
import logging.handlers
import re
import sys
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog

from fupin_desktop import __version__, paths

log = logging.getLogger(__name__)

APP_NAME = "fupin_desktop"
DEFAULT_LANGUAGE = "zh_CN"

# Installed translators must stay referenced for as long as they are installed.
_translators: list[QTranslator] = []
_font_family: str | None = None


# lupdate reads the literal context of every translate("Context", "text") call.
translate = QCoreApplication.translate


# -- pieces ---------------------------------------------------------------------------------------------------------
def load_font(app: QApplication, point_size: float | None = None) -> bool:
    """Load the bundled CJK font (resources/fonts/wqy-microhei.ttc) and make it the application font.

    Returns False when the file is missing or unreadable; the program then runs on the system fonts.
    """
    global _font_family
    from fupin_desktop.ui import style

    size = point_size or style.BASE_POINT_SIZE
    if _font_family is None:
        path = paths.font_path()
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("bundled font not loaded: %s", path)
            font = app.font()
            font.setPointSizeF(size)
            app.setFont(font)
            return False
        _font_family = families[0]
    font = QFont(_font_family)
    font.setPointSizeF(size)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    app.setFont(font)
    return True


def install_translator(app: QCoreApplication, language: str) -> bool:
    """Switch the interface language. "en" (the source language) needs no file; "zh_CN" loads
    ``i18n/fupin_desktop_zh_CN.qm`` plus Qt's own translations (standard buttons, calendar, context menus)."""
    for t in _translators:
        app.removeTranslator(t)
    _translators.clear()
    if not language or language.startswith("en"):
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return True
    QLocale.setDefault(QLocale(language))
    ok = True
    ours = QTranslator(app)
    if ours.load(str(paths.i18n_dir() / f"{APP_NAME}_{language}.qm")):
        app.installTranslator(ours)
        _translators.append(ours)
    else:
        log.warning("translation %s not found in %s", language, paths.i18n_dir())
        ok = False
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _translators.append(qt)
    return ok


def configured_language() -> str:
    from fupin_desktop.settings import MachineSettings

    try:
        return MachineSettings().get("ui.language") or DEFAULT_LANGUAGE
    except OSError:
        return DEFAULT_LANGUAGE


def create_app(argv: Sequence[str] | None = None, language: str | None = None) -> QApplication:
    """The QApplication with style, palette, font and translator (reuses an existing instance, as in tests)."""
    from fupin_desktop.ui import collector, style

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME, *(argv or [])])
    collector.install(app)  # Qt objects are only ever freed on the GUI thread
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("fupin")
    app.setApplicationVersion(__version__)
    style.apply(app)
    app.setProperty("fupin_font_loaded", load_font(app))
    install_translator(app, language or configured_language())
    app.setApplicationDisplayName(translate("App", "Village work desk"))
    return app


def build_main_window(services, first_page_later: bool = False):
    """The main window for ``services`` (not shown). ``first_page_later``: its page is built by
    ``window.show_first_page()`` (start-up: the window is on the screen first)."""
    from fupin_desktop.ui.main_window import MainWindow

    return MainWindow(services, first_page_later=first_page_later)


_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{14,18}[0-9Xx]?(?![0-9A-Za-z])")  # IDs (15/18), bank accounts
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


class PrivateFormatter(logging.Formatter):
    """Masks ID, bank and mobile numbers in every line it writes, exception texts included (a log file lies in
    plain text outside the encrypted store: DESIGN §5.10)."""

    def format(self, record: logging.LogRecord) -> str:
        from fupin_desktop.domain.privacy import mask_id, mask_phone

        text = super().format(record)
        text = _LONG_NUMBER.sub(lambda m: mask_id(m.group(0)), text)
        return _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


class NoSqlFilter(logging.Filter):
    """SQLAlchemy's engine and pool logs (statements, parameters, result rows) never reach the file, whatever
    level someone sets for a hunt; its warnings and errors do (the engines hide parameters: storage.db)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name.startswith(("sqlalchemy.engine", "sqlalchemy.pool"))
                    and record.levelno < logging.WARNING)


def _setup_logging() -> None:
    root = logging.getLogger()
    if root.handlers:
        return  # the CLI (or a test runner) configured logging already
    root.setLevel(logging.WARNING)  # libraries (alembic…) only when something is wrong
    logging.getLogger("fupin_desktop").setLevel(logging.INFO)
    try:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "fupin.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(NoSqlFilter())
    root.addHandler(handler)


def _install_excepthook() -> None:
    """An exception escaping a slot is logged and shown, instead of vanishing into a console nobody sees."""
    from fupin_desktop.ui import messages

    showing = False

    def hook(exc_type, exc, tb):
        nonlocal showing
        log.error("uncaught exception", exc_info=(exc_type, exc, tb))
        if showing or not isinstance(exc, Exception):
            return
        showing = True
        try:
            messages.error(QApplication.activeWindow(), exc)
        finally:
            showing = False

    sys.excepthook = hook


def _parse(args) -> tuple[list[str], str | None, str | None]:
    """(arguments for Qt, data dir, language) from a Namespace, an argv-style list or None (sys.argv)."""
    if isinstance(args, argparse.Namespace):
        return [], getattr(args, "data_dir", None), getattr(args, "language", None)
    argv = list(sys.argv[1:] if args is None else args)
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir")
    parser.add_argument("--language", "--lang")
    ns, rest = parser.parse_known_args(argv)
    return rest, ns.data_dir, ns.language


# -- entry point ----------------------------------------------------------------------------------------------------
def main(args=None) -> int:
    qt_args, data_dir, language = _parse(args)
    if data_dir:
        paths.set_data_dir(data_dir)
    paths.use_private_temp()  # temporary files (exports, PDFs) under the data folder, leftovers removed
    _setup_logging()
    app = create_app(qt_args, language)
    _install_excepthook()

    from fupin_desktop.ui import messages

    if not app.property("fupin_font_loaded"):
        messages.error(None, translate(
            "App", "The Chinese font of the program is missing ({path}). Text may show as boxes; "
                   "please reinstall the program.").format(path=paths.font_path()),
            title=translate("App", "Font missing"))

    from fupin_desktop.ui import startup

    try:
        session = startup.open_session(background=True)
    except Exception as exc:  # noqa: BLE001 — a damaged, locked or missing file: explain, don't crash
        _cannot_open(exc)
        return 1
    if session is None:
        return 0
    run = _Run(app)
    try:
        if isinstance(session, startup.PendingSession):
            run.open_while_the_frame_shows(session)
        elif not run.start(session):
            return 0
        rc = app.exec()
        return run.finish(rc)
    finally:
        run.close()


def _cannot_open(exc: BaseException, parent=None) -> None:
    from fupin_desktop.ui import messages

    log.error("opening the data failed", exc_info=(type(exc), exc, exc.__traceback__))
    messages.error(parent, translate("App", "The data could not be opened:\n{where}\n\n{reason}").format(
        where=_where(paths.database_url()), reason=messages.error_text(exc)),
        title=translate("App", "Cannot open the data"))


class _Run:
    """The program after sign-in: the main window, its session guard, the exit.

    Signed in at the sign-in window (:meth:`start`): the data is open, the window is built with it and shown,
    its page built right after. Signed in from the environment (:meth:`open_while_the_frame_shows`): the main
    window's frame is shown first (no SQLAlchemy, no models imported yet: the page area says 正在打开数据…) and
    the data is opened in the background meanwhile (ui/startup.py PendingSession); :meth:`_opened` attaches it.
    Cold-start measurements (FUPIN_EXIT_AFTER_SHOW=1) print ``shown main`` when the main window is on the screen,
    ``shown main-page`` when its data is attached and its page built, ``shown main-data`` (and quit) once the
    page's figures and the status line's count are in."""

    def __init__(self, app: QApplication):
        self.app = app
        self.session = None
        self.window = None
        self.guard = None
        self.pending = None
        self.sound = False  # the data was opened and found sound: the clean-exit mark may be set at the exit
        self.rc: int | None = None  # set when the run ends itself (a failure, a refused backup, the wizard)

    # -- signed in at the sign-in window ------------------------------------------------------------------------
    def start(self, session) -> bool:
        """False when the program should end (the set-up wizard was cancelled)."""
        from fupin_desktop.services import Services

        self.session = session
        services = Services(session.db, actor=session.actor, data_dir=paths.data_dir())
        services.codelists.load_extensions()
        if not services.village.is_set_up() and not self._wizard(services):
            return False
        self.sound = True
        self.window = build_main_window(services, first_page_later=True)
        self._guard(services)
        self._connect_instance()
        self._show()
        self._page_built()
        return True

    # -- signed in from the environment ---------------------------------------------------------------------------
    def open_while_the_frame_shows(self, pending) -> None:
        from PySide6.QtCore import QTimer

        self.pending = pending
        self.window = build_main_window(None, first_page_later=True)
        self._connect_instance(pending.instance)
        self._show()
        pending.start()  # the database side is imported and opened now, in a worker thread
        self._poll = QTimer(self.window)
        self._poll.setInterval(10)
        self._poll.timeout.connect(self._check_pending)
        self._poll.start()

    def _check_pending(self) -> None:
        if not self.pending.done():
            return
        self._poll.stop()
        try:
            opened = self.pending.result()
        except Exception as exc:  # noqa: BLE001 — explained, then the program ends
            _cannot_open(exc, self.window)
            self._end(1)
            return
        self._opened(opened)

    def _opened(self, opened) -> None:
        from fupin_desktop.ui import startup

        self.session = session = opened.session
        services, set_up = opened.services, opened.set_up
        if opened.findings:
            log.error("integrity problems: %s", opened.findings)
            if not startup.offer_backup(paths.data_dir(), session.db, opened.findings):
                self._end(0)
                return
            services.codelists.load_extensions()  # (the restored file: session.db reconnects to it)
            set_up = services.village.is_set_up()
        if not set_up:
            self.window.hide()
            if not self._wizard(services):
                self._end(0)
                return
            self.window.show()
        self.sound = True
        self.window.attach(services)  # village name, user menu, data exchange; the chosen page is built
        self._guard(services)
        self._page_built()

    # -- both --------------------------------------------------------------------------------------------------
    def _wizard(self, services) -> bool:
        from fupin_desktop.ui.views.setup import SetupWizard

        return SetupWizard(services).exec() == QDialog.DialogCode.Accepted

    def _guard(self, services) -> None:
        from fupin_desktop.ui.guard import SessionGuard

        session = self.session
        verify = None
        if session.access is not None:
            verify = lambda password: session.access.verify(session.username, password)  # noqa: E731
        self.guard = SessionGuard(self.window, services, verify, session.actor.name)

    def _connect_instance(self, instance=None) -> None:
        instance = instance or (self.session.instance if self.session else None)
        if instance is not None:
            window = self.window
            instance.activation_requested.connect(lambda: (window.showNormal(), window.raise_(),
                                                           window.activateWindow()))

    def _show(self) -> None:
        from fupin_desktop.ui import startup

        # What start-up imported lives as long as the program: move it out of the collector's sight before the event
        # loop first runs, so the collector's overdue timer (ui.collector: automatic collection is off, so nothing
        # allocated since start-up has been looked at) does not walk the modules and Qt wrappers now.
        gc.freeze()
        self.window.show()
        self.app.processEvents()  # the window (sidebar, top bar, status) is on the screen
        startup.announce_shown("main")

    def _page_built(self) -> None:
        """The window has its data: build its page (imports much of the program: after the window shows) and,
        when measuring, say when the page and its figures are there."""
        from fupin_desktop.ui import startup

        if self.window.current_page_key() is None:  # (attach() has built it)
            self.window.show_first_page()
        gc.freeze()  # (again: the data side's and the first page's modules and widgets)
        startup.announce_shown("main-page")
        startup.exit_after_show(self.window, "main-data", ready=self.window.is_loaded)

    def _end(self, rc: int) -> None:
        self.rc = rc
        self.app.quit()

    def finish(self, rc: int) -> int:
        """After the event loop: let a running save finish, back up, stop the guard."""
        from fupin_desktop.ui import tasks

        if self.pending is not None and self.session is None and self.rc is None:  # closed while opening
            try:
                opened = self.pending.result()
            except Exception:  # noqa: BLE001 — nothing was shown yet: only logged
                log.exception("opening the data failed (the window was closed meanwhile)")
            else:
                self.session = opened.session
                self.sound = not opened.findings
        tasks.wait_for_tasks(10_000)  # let a running save finish before the database closes
        if self.guard is not None:
            self.guard.backup_at_exit()
            self.guard.stop()
        return rc if self.rc is None else self.rc

    def close(self) -> None:
        from fupin_desktop.ui import startup

        session = self.session
        if session is None:
            if self.pending is not None and self.pending.instance is not None:
                self.pending.instance.release()
            return
        session.db.dispose()
        if session.instance is not None:
            if self.sound:
                startup.mark_clean_exit(paths.data_dir())
            session.instance.release()


def _where(url: str) -> str:
    if url.startswith("sqlite:///"):
        return str(Path(url[len("sqlite:///"):]))
    return url.split("@")[-1]  # never show a password from a server URL
