"""Shared fixtures. Qt runs offscreen in every test (set before any Qt import).

* ``data_dir`` (autouse): every test gets its own empty data folder (``FUPIN_DATA_DIR``), so no test writes
  settings, UI state, logs or backups into the real user folder; ``FUPIN_DATABASE_URL`` is cleared;
  ``FUPIN_USER``/``FUPIN_PASSWORD`` are tester / tester-123 (the CLI's administrator of a new folder).
* ``template_db`` / ``db``: the schema is built once per session and copied per test (DESIGN §5.8); storage and
  service tests also run on PostgreSQL when ``FUPIN_TEST_POSTGRES_URL`` is set.
* ``services``: ``Services(db, data_dir=tmp_path)`` as an administrator, today = 2024-06-28. ``village``: set up.
* ``qapp`` (overrides pytest-qt's): the real application set-up (Fusion, palette, bundled font, Chinese
  translator), so UI tests and screenshots see what users see.
* Garbage: once the application exists, cyclic garbage is collected after every test (ui.collector).
* ``dialogs``: in every test that uses Qt (``qtbot``/``qapp``), ``ui.messages.info/confirm/error`` are replaced by a
  recorder, since a modal box would hang an offscreen test. ``dialogs.calls`` lists ``(kind, text)``; set
  ``dialogs.confirm_answer`` to choose what ``confirm`` returns. Background tasks are drained after the test.
* No service write on the GUI thread: a Qt test fails when UI code wrote through a service on the GUI thread
  (ui.write_guard); ``FUPIN_GUI_WRITE_LOG=file`` also appends every offender to that file.
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _postgres_url_of_this_worker() -> None:
    """Under pytest-xdist every worker gets its own PostgreSQL database (``<name>_gw0``…): tests drop and recreate
    the public schema, so two workers must never share one."""
    url, worker = os.environ.get("FUPIN_TEST_POSTGRES_URL"), os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).first() is None:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    os.environ["FUPIN_TEST_POSTGRES_URL"] = base.set(database=name).render_as_string(hide_password=False)


_postgres_url_of_this_worker()

import shutil  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

POSTGRES_URL = os.environ.get("FUPIN_TEST_POSTGRES_URL")
# Storage and service tests also run on PostgreSQL when a URL is given (.ci/run starts one on loopback).
BOTH_BACKENDS = ("tests/storage", "tests/services")


def pytest_generate_tests(metafunc):
    if "db" in metafunc.fixturenames:
        path = str(metafunc.definition.fspath).replace("\\", "/")
        backends = ["sqlite"]
        if POSTGRES_URL and any(f"/{d}/" in path for d in BOTH_BACKENDS):
            backends.append("postgres")
        metafunc.parametrize("db_backend", backends, indirect=False)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """The schema is built once per session; each test copies the file (DESIGN.md §5.8)."""
    from fupin_desktop.storage.migrate import open_database

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = open_database(f"sqlite:///{path}")
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


def _fresh_postgres():
    from sqlalchemy import create_engine

    from fupin_desktop.storage.migrate import open_database

    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    admin.dispose()
    return open_database(POSTGRES_URL)


@pytest.fixture
def db(db_backend, tmp_path, template_db):
    if db_backend == "postgres":
        database = _fresh_postgres()
    else:
        from fupin_desktop.storage.db import Database

        path = tmp_path / "fupin.sqlite3"
        shutil.copyfile(template_db, path)
        database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


TODAY = date(2024, 6, 28)

# On CI a test skipped for a missing tool is a missing install step, not a pass: make it fail there.
MISSING_TOOL = ("not installed", "could not import", "needs fork")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and any(m in str(report.longrepr) for m in MISSING_TOOL):
        report.outcome = "failed"
        report.longrepr = f"skipped on CI for a missing tool (install it in .ci/run): {report.longrepr}"


@pytest.fixture
def services(db, tmp_path):
    """Services on a fresh database, acting as an administrator, with a fixed 'today' (2024-06-28)."""
    from fupin_desktop.services import Services
    from fupin_desktop.storage.db import Actor

    return Services(db, actor=Actor(user_id=None, name="测试管理员", role="admin"), data_dir=tmp_path,
                    today=lambda: TODAY)


@pytest.fixture
def village(services):
    """A village with a work team: returns (village, [secretary, member])."""
    from fupin_desktop.services.village import CadreInput, VillageInput

    v = services.village.set_up(
        VillageInput(name="东兴村", division_code="130204203213", township="大庄坨乡", county="古冶区",
                     dispatch_unit="唐山市交通运输局"),
        [CadreInput(name="张书记", role="secretary", unit="唐山市交通运输局"),
         CadreInput(name="李队员", role="member", unit="唐山市交通运输局")],
    ).value
    return v, services.cadres.list()


# -- isolation and Qt -----------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory, monkeypatch):
    from fupin_desktop import paths

    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("FUPIN_DATA_DIR", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))  # the known-folders record
    monkeypatch.delenv("FUPIN_DATABASE_URL", raising=False)
    # Command-line verbs sign in; on a folder without users the first writing verb creates this administrator
    # (and encrypts the folder), as unattended scripts do. A login dialog never reads these (GUI tests).
    monkeypatch.setenv("FUPIN_USER", "tester")
    monkeypatch.setenv("FUPIN_PASSWORD", "tester-123")
    monkeypatch.setattr(paths, "_data_dir_override", None)
    yield folder
    # A test that started a private temp folder (paths.use_private_temp: what the CLI and the window do at start)
    # must not leave tempfile.tempdir pointing into its data folder for the next test: openpyxl's temporary
    # sheets would then go to a folder that no longer exists.
    paths.release_private_temp()


@pytest.fixture(scope="session")
def qapp():
    from fupin_desktop.app import create_app

    return create_app([], language="zh_CN")


@dataclass
class DialogRecorder:
    calls: list[tuple[str, str]] = field(default_factory=list)
    confirm_answer: bool = True

    def kinds(self) -> list[str]:
        return [k for k, _ in self.calls]

    def texts(self) -> list[str]:
        return [t for _, t in self.calls]


@pytest.fixture
def dialogs(monkeypatch) -> DialogRecorder:
    from fupin_desktop.ui import messages

    rec = DialogRecorder()

    def info(parent, text, title=None):
        rec.calls.append(("info", str(text)))

    def confirm(parent, text, ok_text=None, *, destructive=False, title=None):
        rec.calls.append(("confirm", str(text)))
        return rec.confirm_answer

    def error(parent, exc_or_text, title=None):
        rec.calls.append(("error", messages.error_text(exc_or_text)))

    def file_saved(parent, path, text=None, title=None):
        rec.calls.append(("file_saved", str(path)))

    monkeypatch.setattr(messages, "info", info)
    monkeypatch.setattr(messages, "confirm", confirm)
    monkeypatch.setattr(messages, "error", error)
    monkeypatch.setattr(messages, "file_saved", file_saved)
    return rec


@pytest.fixture(autouse=True)
def _collect_garbage_between_tests():
    """Once the Qt application exists, only its timer collects cyclic garbage (ui.collector), and the timer only
    runs while a test spins the event loop: collect what is due after every test, as the timer would."""
    yield
    import sys

    widgets = sys.modules.get("PySide6.QtWidgets")  # no Qt imported yet: no application, nothing to do
    if widgets is None:
        return
    from fupin_desktop.ui.collector import GuiThreadCollector

    app = widgets.QApplication.instance()
    collector = app.findChild(GuiThreadCollector, "GuiThreadCollector") if app is not None else None
    if collector is not None:
        collector.collect_due()


# Files that still write on the GUI thread (issue 18 §2 converts them to the form base / write pool one by one; a file
# leaves this list when it is converted — never add one).
KNOWN_GUI_WRITES: frozenset[str] = frozenset()


@pytest.fixture(autouse=True)
def _qt_test_guard(request):
    """Qt tests: record dialogs instead of showing them; drain background tasks afterwards."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("dialogs")
    from fupin_desktop.ui.write_guard import GuiWriteRecorder

    writes = GuiWriteRecorder().install()
    try:
        yield
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from fupin_desktop.ui import tasks

        assert tasks.wait_for_tasks(10_000), "background tasks still running after the test"
    finally:
        writes.uninstall()
    # A modal window left open by one test would swallow the keyboard of every later test: close it here.
    for w in QApplication.topLevelWidgets():
        if w.isVisible() and w.windowModality() == Qt.WindowModality.ApplicationModal:
            w.hide()
    log = os.environ.get("FUPIN_GUI_WRITE_LOG")  # to list every offender of a run (known ones too) in one file
    if log and writes.violations:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"## {request.node.nodeid}\n{writes.report()}\n")
    if any(v.where.split(":")[0] not in KNOWN_GUI_WRITES for v in writes.violations):
        pytest.fail("a service write ran on the GUI thread (use the form base or tasks.run_in_background("
                    "…, writes=True)):\n" + writes.report(), pytrace=False)
