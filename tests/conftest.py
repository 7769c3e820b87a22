"""Shared fixtures. Qt runs offscreen in every test (set before any Qt import)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
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
