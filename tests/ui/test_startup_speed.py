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
