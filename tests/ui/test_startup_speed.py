"""The sign-in window comes first: what it needs must not pull in the database side (issue 18 §4).

Timing lives in tests/benchmarks/bench_start.py; this checks the structure that makes it fast: importing the
application, the start-up sequence and the sign-in window loads neither SQLAlchemy nor alembic nor the ORM models
(they are imported in the background while she types: ``startup.WARM_UP_MODULES``).
"""
from __future__ import annotations

import importlib
import os
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

    for name in startup.WARM_UP_MODULES + startup.WARM_UP_UI_MODULES:
        assert importlib.import_module(name)
