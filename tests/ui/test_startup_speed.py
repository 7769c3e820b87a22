"""The sign-in window comes first: what it needs must not pull in the database side (issue 18 §4).

Timing lives in tests/benchmarks/bench_start.py; this checks the structure that makes it fast: importing the
application, the start-up sequence and the sign-in window loads neither SQLAlchemy nor alembic nor the ORM models
(they are imported in the background while she types: ``startup.WARM_UP_MODULES``).
"""
from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HEAVY = ("sqlalchemy", "alembic", "fupin_desktop.storage.models", "fupin_desktop.storage.db", "openpyxl", "pypinyin",
         "fupin_desktop.ui.widgets.code_combo",
         "reportlab")


def test_the_sign_in_window_imports_no_database_code():
    code = (
        "import sys\n"
        "import fupin_desktop.cli  # python -m fupin_desktop starts the window through the command line\n"
        "import fupin_desktop.app, fupin_desktop.ui.startup, fupin_desktop.ui.views.security.login\n"
        f"heavy = {HEAVY!r}\n"
        "print(sorted(m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in heavy)))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                         check=True).stdout
    assert out.strip() == "[]", out


def test_the_warm_up_lists_name_real_modules():
    from fupin_desktop.ui import startup

    for name in startup.WARM_UP_MODULES + startup.WARM_UP_UI_MODULES + startup.OPENING_MODULES:
        assert importlib.import_module(name)


def test_opening_the_data_waits_for_the_warm_up_imports(tmp_path, monkeypatch):
    """The sign-in window's AccessManager: login waits for the warm-up thread (no two threads importing the same
    modules), and a login before the warm-up started cancels it."""
    import threading

    from fupin_desktop.services.access import AccessManager
    from fupin_desktop.ui import startup

    order = []
    release = threading.Event()

    def slow_imports(names):
        release.wait(5)
        order.append("warm-up done")

    monkeypatch.setattr(startup, "_import_all", slow_imports)
    access = AccessManager(tmp_path)
    monkeypatch.setattr(access, "login", lambda user, password: order.append(f"login {user}") or "store")
    guarded = startup._WarmUpFirst(access)
    assert guarded.needs_setup() is True and guarded.data_dir == tmp_path  # everything else passes through
    guarded.start()
    result = []
    worker = threading.Thread(target=lambda: result.append(guarded.login("zhang", "secret-123")))
    worker.start()
    worker.join(0.3)
    assert order == [] and worker.is_alive()  # waiting for the warm-up
    release.set()
    worker.join(5)
    assert order == ["warm-up done", "login zhang"] and result == ["store"]

    quick = startup._WarmUpFirst(access)
    assert quick.login("li", "x") == "store"  # before the window's timer started the warm-up
    quick.start()
    assert quick._thread is None  # so it never starts


# -- the main window after sign-in: its frame and first page come before the statistics -----------------------------
AFTER_SIGN_IN_LATER = ("fupin_desktop.services.stats", "fupin_desktop.services.audit", "fupin_desktop.exchange",
                       "fupin_desktop.ui.views.security.audit_view", "fupin_desktop.ui.views.security.users",
                       "fupin_desktop.ui.widgets.save_path", "fupin_desktop.ui.models.problems")


def test_the_main_window_and_home_page_modules_import_no_statistics_or_menu_dialogs():
    """The top bar's menus import their dialogs on the first click, the home page imports the statistics when it
    works its figures out (in the background at start-up)."""
    code = (
        "import sys\n"
        "import fupin_desktop.ui.main_window, fupin_desktop.ui.guard, fupin_desktop.ui.views.home.page\n"
        "import fupin_desktop.ui.views.security.user_menu, fupin_desktop.ui.views.exchange.menu\n"
        f"later = {AFTER_SIGN_IN_LATER!r}\n"
        "print(sorted(m for m in sys.modules if any(m == h or m.startswith(h + '.') for h in later)))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                         check=True).stdout
    assert out.strip() == "[]", out


def test_the_first_page_shows_before_its_figures_which_follow_from_the_background(qtbot, services, village):
    from fupin_desktop.ui.main_window import MainWindow

    window = MainWindow(services, first_page_later=True)
    qtbot.addWidget(window)
    window.show()
    window.show_first_page()
    home = window.page_widget("home")
    assert window.current_page_key() == "home" and home.loading and home.figures is None
    assert "正在统计" in home.subheading.text()
    assert "户" not in window.status_label.text().split("·")[-1]  # no household count yet
    qtbot.waitUntil(lambda: home.figures is not None, timeout=20_000)
    assert not home.loading and "今天是" in home.subheading.text()
    assert re.search(r"共 \d+ 户", window.status_label.text())
    # the user menu is all there (its dialogs are imported on the first click)
    texts = [a.text() for a in window.user_button.menu().actions() if a.text()]
    assert texts[:3] == ["修改密码…", "用户管理…", "操作记录…"]


def test_sign_in_from_the_environment_imports_the_database_side_while_the_key_is_derived(tmp_path, monkeypatch):
    """scrypt runs outside the GIL: the database side is imported meanwhile (in one thread only), then opened."""
    import threading

    from fupin_desktop.services.access import AccessManager
    from fupin_desktop.ui import startup

    imported = threading.Event()

    def imports(names):
        if names == startup.OPENING_MODULES:
            imported.set()

    def derive(user, password):  # finishes only once the imports ran meanwhile
        if not imported.wait(10):
            raise AssertionError("the database side was not imported while the key was derived")
        return b"key of " + user.encode()

    monkeypatch.setattr(startup, "_import_all", imports)
    access = AccessManager(tmp_path)
    monkeypatch.setattr(access, "needs_setup", lambda: False)
    monkeypatch.setattr(access.keyring, "open", derive)
    monkeypatch.setattr(access, "open_with_key", lambda user, key: ("store", user, key))
    monkeypatch.setenv("FUPIN_USER", "bench")
    monkeypatch.setenv("FUPIN_PASSWORD", "bench-123")
    assert startup.login_from_environment(access) == ("store", "bench", b"key of bench")


# -- sign-in from the environment: the main window's frame first, the data opened behind it (issue 18 §4) ----------
def _set_up_folder(data_dir, user="tester", password="tester-123"):
    """An encrypted data folder with a set-up village and two households, left as a clean exit leaves it."""
    from fupin_desktop.services import Services
    from fupin_desktop.services.access import AccessManager
    from fupin_desktop.services.households import HouseholdInput
    from fupin_desktop.services.village import CadreInput, VillageInput
    from fupin_desktop.ui import startup

    store = AccessManager(data_dir).create_admin(user, "张书记", password)
    svc = Services(store.db, actor=store.actor, data_dir=data_dir)
    svc.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                       [CadreInput(name="张书记", role="secretary")])
    svc.households.create(HouseholdInput(head_name="张三"))
    svc.households.create(HouseholdInput(head_name="李四"))
    store.db.dispose()
    startup.mark_clean_exit(data_dir)


def test_signing_in_from_the_environment_shows_the_main_window_before_sqlalchemy_is_imported(data_dir):
    """``python -m fupin_desktop`` with FUPIN_USER/FUPIN_PASSWORD: when the main window is on the screen, neither
    SQLAlchemy nor the models have been imported (in any thread); the data, its page and figures follow."""
    _set_up_folder(data_dir)
    code = (
        "import sys\n"
        "from fupin_desktop.ui import startup\n"
        "announce = startup.announce_shown\n"
        "def seen(stage):\n"
        "    heavy = sorted(m for m in ('sqlalchemy', 'fupin_desktop.storage.models') if m in sys.modules)\n"
        "    print('stage', stage, heavy, flush=True)\n"
        "    announce(stage)\n"
        "startup.announce_shown = seen\n"
        "from fupin_desktop import cli\n"
        "sys.exit(cli.main([]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", FUPIN_EXIT_AFTER_SHOW="1",
               FUPIN_SHOWN_REPORT=str(data_dir.parent / "shown.json"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(("stage", "shown"))]
    assert lines[0] == "stage main []", proc.stdout  # the frame: no database side yet
    assert lines[1] == "shown main"
    assert lines[2].startswith("stage main-page ['fupin_desktop.storage.models', 'sqlalchemy']")
    assert lines[-1] == "shown main-data"
    import json

    shown = json.loads((data_dir.parent / "shown.json").read_text(encoding="utf-8"))
    assert "东兴村" in shown["texts"] and "张书记" in shown["texts"]  # the window with its data when it quit
    assert any("共 2 户" in t for t in shown["texts"])


def test_exit_after_the_sign_in_window_also_ends_when_the_environment_signs_in(data_dir):
    """FUPIN_EXIT_AFTER_SHOW=signin with FUPIN_USER/FUPIN_PASSWORD set: no sign-in window is shown, so the program
    ends once the main window has its data instead of running on (an install check or benchmark hung there)."""
    _set_up_folder(data_dir)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", FUPIN_EXIT_AFTER_SHOW="signin")
    proc = subprocess.run([sys.executable, "-m", "fupin_desktop"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.splitlines()[-1] == "shown main-data"


def test_a_page_chosen_while_the_data_opens_is_shown_once_it_is_there(qtbot, services, village):
    from PySide6.QtCore import Qt

    from fupin_desktop.ui.main_window import MainWindow

    window = MainWindow(None)
    qtbot.addWidget(window)
    window.show()
    assert window.is_opening() and window.stack.currentWidget().objectName() == "OpeningPage"
    assert window.status_label.text() == "正在打开数据…" and window.village_label.text() == ""
    assert not window.search_box.isEnabled() and not window.output.print_button.isEnabled()
    assert not window.user_button.isVisible()
    # she presses Alt+4, clicks 走访, F5, Ctrl+F, Ctrl+P, Ctrl+E: nothing breaks, nothing is built without the data
    nav = window.nav
    nav.setCurrentRow(3)  # (what Alt+4 does)
    row = window.page_keys().index("visits")
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(nav.item(row)).center())
    window.refresh_current_page()
    window.focus_search()
    window.output.print_current()
    window.output.export_current()
    assert window.set_page("visits") is None
    assert window.chosen_page_key() == "visits" and window.current_page_key() is None
    assert window.page_widget("visits") is None and window.stack.currentWidget().objectName() == "OpeningPage"

    opened = []
    window.opened.connect(lambda: opened.append(True))
    window.attach(services)
    assert opened and not window.is_opening()
    assert window.current_page_key() == "visits" and window.stack.currentWidget() is window.page_widget("visits")
    assert window.village_label.text() == "东兴村" and window.user_button.text() == "测试管理员"
    assert window.search_box.isEnabled() and window.user_button.menu() is not None
    assert window.findChild(type(window.user_button), "ExchangeButton") is not None
    assert window.findChild(object, "OpeningPage") is None or not window.findChild(object, "OpeningPage").isVisible()
    qtbot.waitUntil(window.is_loaded, timeout=20_000)
    assert "共 0 户" in window.status_label.text()


def test_the_start_from_the_environment_opens_the_data_behind_the_shown_frame(qtbot, qapp, data_dir, monkeypatch):
    """app.main's run: the frame is shown while the worker still waits to open the data; a page chosen then is the
    one shown with the data; the session guard comes with the data; the exit marks a clean exit."""
    import threading

    from PySide6.QtCore import Qt

    from fupin_desktop import app as app_module
    from fupin_desktop.ui import startup

    _set_up_folder(data_dir)
    release = threading.Event()
    real_import_all = startup._import_all

    def held_imports(names):  # the worker's imports: held until she has clicked
        if names == startup.OPENING_MODULES:
            release.wait(20)
        real_import_all(names)

    monkeypatch.setattr(startup, "_import_all", held_imports)
    pending = startup.open_session(background=True)
    assert isinstance(pending, startup.PendingSession)
    run = app_module._Run(qapp)
    try:
        run.open_while_the_frame_shows(pending)
        window = run.window
        qtbot.addWidget(window)
        assert window.isVisible() and window.is_opening() and run.guard is None
        nav = window.nav
        row = window.page_keys().index("problems")
        qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton,
                         pos=nav.visualItemRect(nav.item(row)).center())
        qtbot.wait(50)  # the event loop runs: still opening
        assert window.is_opening() and not pending.done()
        release.set()
        qtbot.waitUntil(lambda: not window.is_opening(), timeout=30_000)
        assert window.current_page_key() == "problems" and run.guard is not None
        assert window.village_label.text() == "东兴村"
        qtbot.waitUntil(window.is_loaded, timeout=30_000)
        assert "共 2 户" in window.status_label.text()
        assert run.finish(0) == 0
    finally:
        release.set()
        run.close()
    from fupin_desktop.settings import MachineSettings

    assert MachineSettings(data_dir / "settings.json").get("db.clean_exit") == startup.file_state(
        data_dir / "fupin.sqlite3")


def test_the_key_is_derived_at_once_but_the_database_side_waits_for_the_shown_frame(tmp_path, monkeypatch):
    """PendingSession: scrypt (no imports, outside the GIL) runs while the frame is built; the imports and the
    opening start only with start() — one thread importing at a time, none competing with the frame's build."""
    import threading

    from fupin_desktop.services.access import AccessManager
    from fupin_desktop.ui import startup

    derived, imported = threading.Event(), threading.Event()
    access = AccessManager(tmp_path)
    monkeypatch.setattr(access, "needs_setup", lambda: False)
    monkeypatch.setattr(access.keyring, "open", lambda user, password: derived.set() or b"key")
    monkeypatch.setattr(startup, "_import_all", lambda names: imported.set())
    monkeypatch.setattr(access, "open_with_key", lambda user, key: (_ for _ in ()).throw(RuntimeError("opened")))
    monkeypatch.setenv("FUPIN_USER", "bench")
    monkeypatch.setenv("FUPIN_PASSWORD", "bench-123")
    pending = startup.PendingSession.from_environment(access)
    assert derived.wait(5)
    assert not imported.wait(0.3) and not pending.done()
    pending.start()
    assert imported.wait(5)
    with pytest.raises(RuntimeError, match="opened"):  # a failure reaches the GUI thread through result()
        pending.result()
    monkeypatch.delenv("FUPIN_PASSWORD")
    assert startup.PendingSession.from_environment(access) is None  # no password: the sign-in window


class _QuitRecorder:
    """Stands in for the QApplication in _Run where a real quit() would end the tests' shared application."""

    def __init__(self, qapp):
        self.qapp, self.quits = qapp, 0

    def processEvents(self):  # noqa: N802 (Qt's name)
        self.qapp.processEvents()

    def quit(self):
        self.quits += 1


def test_a_wrong_password_in_the_environment_is_explained_over_the_frame(qtbot, qapp, data_dir, monkeypatch,
                                                                          dialogs):
    from fupin_desktop import app as app_module
    from fupin_desktop.ui import startup

    _set_up_folder(data_dir)
    monkeypatch.setenv("FUPIN_PASSWORD", "not-the-password")
    pending = startup.open_session(background=True)
    app = _QuitRecorder(qapp)
    run = app_module._Run(app)
    try:
        run.open_while_the_frame_shows(pending)
        qtbot.addWidget(run.window)
        qtbot.waitUntil(lambda: app.quits == 1, timeout=30_000)
        assert dialogs.kinds() == ["error"] and dialogs.texts()[0].startswith("无法打开数据")
        assert run.window.is_opening() and run.guard is None
        assert run.finish(0) == 1
    finally:
        run.close()
    from fupin_desktop.ui.single_instance import SingleInstance

    again = SingleInstance(data_dir)  # the data folder was let go
    assert again.acquire()
    again.release()


def test_closing_the_frame_while_the_data_opens_closes_the_data_cleanly(qtbot, qapp, data_dir, monkeypatch):
    import threading

    from fupin_desktop import app as app_module
    from fupin_desktop.settings import MachineSettings
    from fupin_desktop.ui import startup

    _set_up_folder(data_dir)
    MachineSettings(data_dir / "settings.json").set("db.clean_exit", "")
    release = threading.Event()
    real_import_all = startup._import_all
    monkeypatch.setattr(startup, "_import_all", lambda names: (release.wait(20), real_import_all(names)))
    pending = startup.open_session(background=True)
    run = app_module._Run(_QuitRecorder(qapp))
    try:
        run.open_while_the_frame_shows(pending)
        run.window.close()  # she closes the window before the data is there (the event loop ends)
        release.set()
        assert run.finish(0) == 0  # waits for the opening, which checked the file (sound)
        assert run.session is not None and run.guard is None
    finally:
        release.set()
        run.close()
    assert MachineSettings(data_dir / "settings.json").get("db.clean_exit") == startup.file_state(
        data_dir / "fupin.sqlite3")


def test_importing_the_application_runs_no_garbage_collection():
    """Automatic collection is off from the first line of app.py (the GUI's collector takes over in create_app):
    importing Qt and the program before the sign-in window triggered ~40 collections (≈25 ms CPU)."""
    code = (
        "import gc, sys\n"
        "import fupin_desktop\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and runs.append(info['generation']))\n"
        "import fupin_desktop.app, fupin_desktop.ui.startup, fupin_desktop.ui.views.security.login\n"
        "print(len(runs), gc.isenabled())\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                         check=True).stdout
    runs, enabled = out.split()
    assert int(runs) <= 1 and enabled == "False", out  # (one may come while app.py itself is being loaded)
