"""PostgreSQL mode (FUPIN_DATABASE_URL) has program users and sign-in too: the server account is only the connection
(issue 14 item 2). Runs where FUPIN_TEST_POSTGRES_URL is set (packaging/start-test-postgres.sh)."""
from __future__ import annotations

import os

import pytest

from fupin_desktop import cli

URL = os.environ.get("FUPIN_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not URL, reason="FUPIN_TEST_POSTGRES_URL is not set: no PostgreSQL to test on")


@pytest.fixture
def server(monkeypatch):
    from sqlalchemy import create_engine

    engine = create_engine(URL)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    monkeypatch.setenv("FUPIN_DATABASE_URL", URL)
    return URL


def _audit_names(access, action: str) -> list[str]:
    from fupin_desktop.services import Services
    from fupin_desktop.services.audit import AuditQuery

    store = access.login("tester", "tester-123")
    try:
        return [e.user_name for e in Services(store.db, actor=store.actor).audit.list(AuditQuery()) if e.action == action]
    finally:
        store.db.dispose()


def test_server_users_sign_in_with_their_role(server, data_dir, monkeypatch, capsys, tmp_path):
    from fupin_desktop.services import Services
    from fupin_desktop.services.auth import AccessManager

    access = AccessManager(data_dir, server)
    assert access.on_server and access.needs_setup()
    # the first writing verb creates the administrator in the server's user table (FUPIN_USER from conftest)
    assert cli.main(["demo", "--households", "3", "--year", "2024"]) == 0
    assert AccessManager(data_dir, server).usernames() == ["tester"]
    from fupin_desktop.storage.keyring import Keyring

    assert Keyring(data_dir).usernames() == []  # no key wrappings: the server's user table is the only place
    assert _audit_names(AccessManager(data_dir, server), "demo") == ["tester"]

    store = AccessManager(data_dir, server).login("tester", "tester-123")
    Services(store.db, actor=store.actor).users.create("kan", "王查看", "viewer", "secret-123")
    store.db.dispose()

    capsys.readouterr()
    for user, password in (("tester", "wrong-password"), ("nobody", "tester-123")):
        monkeypatch.setenv("FUPIN_USER", user)
        monkeypatch.setenv("FUPIN_PASSWORD", password)
        assert cli.main(["check"]) == 2
        assert "用户名或密码不对" in capsys.readouterr().err  # the same message for both
    monkeypatch.setenv("FUPIN_USER", "kan")
    monkeypatch.setenv("FUPIN_PASSWORD", "secret-123")
    assert cli.main(["export", "--full", "--out", str(tmp_path / "full.xlsx")]) == 2
    assert "“查看”角色" in capsys.readouterr().err
    assert not (tmp_path / "full.xlsx").exists()
    assert cli.main(["demo", "--households", "2", "--force"]) == 2
    assert cli.main(["export", "--out", str(tmp_path / "masked.xlsx")]) == 0
    assert "王查看" in _audit_names(AccessManager(data_dir, server), "export")
    assert _audit_names(AccessManager(data_dir, server), "login_failed") == ["tester"]


def test_the_window_signs_in_on_a_server_too(server, data_dir, monkeypatch):
    """PostgreSQL mode used to open as an anonymous "县级管理员": the window now signs the person in as well."""
    from fupin_desktop.services import Services
    from fupin_desktop.services.auth import AccessManager
    from fupin_desktop.ui import startup

    store = AccessManager(data_dir, server).create_admin("tester", "县管理员", "tester-123")
    Services(store.db, actor=store.actor).users.create("kan", "王查看", "viewer", "secret-123")
    store.db.dispose()
    monkeypatch.setenv("FUPIN_USER", "kan")
    monkeypatch.setenv("FUPIN_PASSWORD", "secret-123")
    session = startup.open_session()
    try:
        assert (session.actor.name, session.actor.role, session.username) == ("王查看", "viewer", "kan")
        assert session.access is not None and session.access.on_server
        session.access.verify("kan", "secret-123")  # the lock screen's check works against the user table
    finally:
        session.db.dispose()
