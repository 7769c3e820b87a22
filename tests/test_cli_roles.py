"""Every command-line verb runs as a signed-in user with that user's role (issue 14 item 2, DESIGN §5.11).

The verb table is iterated: a new verb fails :func:`test_every_verb_has_role_samples` until it is given sample
invocations here, and then runs as a viewer in :func:`test_a_viewer_changes_nothing_through_any_verb`.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from fupin_desktop import cli, paths

ADMIN, ADMIN_PW = "tester", "tester-123"  # tests/conftest.py: the CLI's first administrator
VIEWER, MEMBER, PASSWORD = "kan", "dui", "secret-123"
REFUSED, ALLOWED = "refused", "allowed"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A folder set up by the command line (demo village), with a viewer and a member, a backup, a sync package
    and a roster to import."""
    root = tmp_path_factory.mktemp("roles")
    folder = root / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FUPIN_USER", ADMIN)
        mp.setenv("FUPIN_PASSWORD", ADMIN_PW)
        mp.delenv("FUPIN_DATABASE_URL", raising=False)
        try:
            assert cli.main(["--data-dir", str(folder), "demo", "--households", "5", "--year", "2024"]) == 0
            with _admin_services(folder) as services:
                services.users.create(VIEWER, "王查看", "viewer", PASSWORD)
                services.users.create(MEMBER, "李队员", "member", PASSWORD)
            assert cli.main(["--data-dir", str(folder), "backup"]) == 0
            assert cli.main(["--data-dir", str(folder), "pack", "--out", str(root / "package.fupin")]) == 0
        finally:
            paths.set_data_dir(None)
    _write_roster(root / "roster.xlsx")
    return folder


def _write_roster(path: Path) -> None:
    from openpyxl import Workbook

    from fupin_desktop.domain.idcard import make_id
    from datetime import date

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "与户主关系", "户编号", "证件号码"])
    for n in range(3):
        ws.append([f"赵{n}", "户主", f"13020420321300{90 + n}", make_id("130204", date(1970, 1, 1 + n), n)])
    wb.save(path)


class _admin_services:
    """The folder's services as its administrator (outside the CLI)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self):
        from fupin_desktop.services import Services
        from fupin_desktop.services.auth import AccessManager

        store = AccessManager(self.folder).login(ADMIN, ADMIN_PW)
        self.services = Services(store.db, actor=store.actor, data_dir=self.folder)
        return self.services

    def __exit__(self, *exc):
        self.services.db.dispose()


@pytest.fixture
def folder(template, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(template, copy)
    yield copy
    paths.set_data_dir(None)


def fingerprint(folder: Path) -> str:
    """A digest of every row of every table a user's action could change (the audit trail and the users'
    last-login times aside: signing in records itself)."""
    from fupin_desktop.storage.models import Base

    digest = hashlib.sha256()
    with _admin_services(folder) as services, services.db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in ("audit_entry", "app_user", "alembic_version"):
                continue
            for row in conn.execute(text(f'SELECT * FROM "{table.name}" ORDER BY 1')):
                digest.update(repr(tuple(row)).encode())
        users = conn.execute(text("SELECT username, role, active, password_hash FROM app_user ORDER BY 1"))
        digest.update(repr(list(users)).encode())
    return digest.hexdigest()


def samples(folder: Path, files: Path) -> dict[str, list[tuple[list[str], str, str]]]:
    """verb → [(arguments, what a viewer gets, what a member gets)]; ``files``: the package and the roster."""
    out = folder.parent
    backup = next(iter(sorted((folder / "backups").glob("fupin-*-manual.sqlite3"))), folder / "none.sqlite3")
    package, roster = str(files / "package.fupin"), str(files / "roster.xlsx")
    return {
        "init": [([], REFUSED, REFUSED)],
        "demo": [(["--households", "3", "--force"], REFUSED, REFUSED), (["--households", "3"], REFUSED, REFUSED)],
        "check": [([], ALLOWED, ALLOWED)],
        "backup": [([], ALLOWED, ALLOWED), (["--to", str(out / "usb")], REFUSED, ALLOWED)],
        "restore": [(["--check"], ALLOWED, ALLOWED), ([str(backup)], REFUSED, REFUSED)],
        "report": [(["visits", "--year", "2024", "--out", str(out / "r.pdf")], ALLOWED, ALLOWED),
                   (["ledger-roster", "--year", "2024", "--public", "--out", str(out / "p.pdf")], ALLOWED, ALLOWED),
                   (["summary", "--year", "2024", "--drafter", "bureau", "--out", str(out / "s.docx")], ALLOWED,
                    ALLOWED)],
        "export": [(["--out", str(out / "masked.xlsx")], ALLOWED, ALLOWED),
                   (["--full", "--out", str(out / "full.xlsx")], REFUSED, ALLOWED)],
        "import": [([roster, "--check"], ALLOWED, ALLOWED), ([roster], REFUSED, ALLOWED)],
        "pack": [(["--out", str(out / "p.fupin")], REFUSED, ALLOWED)],  # every record in full, like --full
        "merge": [([package, "--check"], REFUSED, ALLOWED), ([package], REFUSED, ALLOWED)],
        "conflicts": [([], ALLOWED, ALLOWED), (["--all"], ALLOWED, ALLOWED)],
        "township": [(["--year", "2024", "--out", str(out / "t.xlsx")], ALLOWED, ALLOWED)],
        "fill": [([roster, "--year", "2024", "--out", str(out / "f.xlsx")], ALLOWED, ALLOWED),
                 ([roster, "--year", "2024", "--full", "--out", str(out / "ff.xlsx")], REFUSED, ALLOWED)],
        "close": [(["--year", "2024", "--half", "1"], REFUSED, REFUSED)],  # 结账 and 反结账: administrators
        "reopen": [(["--year", "2024", "--half", "1", "--reason", "补录"], REFUSED, REFUSED)],
        "handover": [(["--out", str(out / "handover")], REFUSED, REFUSED),
                     (["--reopen", "--reason", "补录"], REFUSED, REFUSED)],
        "receive": [([str(files / "x.fupin-handover"), "--code", "AAAA-BBBB"], REFUSED, REFUSED)],  # not empty
    }


def test_every_verb_has_role_samples():
    missing = set(cli.VERBS) - set(samples(Path("/nowhere/data"), Path("/nowhere")))
    assert not missing, f"give these verbs sample invocations in tests/test_cli_roles.py: {sorted(missing)}"


def _run(folder: Path, user: str, argv: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.setenv("FUPIN_USER", user)
    monkeypatch.setenv("FUPIN_PASSWORD", ADMIN_PW if user == ADMIN else PASSWORD)
    capsys.readouterr()
    rc = cli.main(["--data-dir", str(folder), *argv])
    got = capsys.readouterr()
    return rc, got.out, got.err


def _files(folder: Path) -> set[Path]:
    """Every file beside and in the data folder, but the process's private temporary folder (``tmp/``: removed
    when the process ends; the CLI here runs inside the test process)."""
    temp = folder / paths.TEMP_FOLDER
    return {p for p in folder.parent.rglob("*") if p.is_file() and not p.is_relative_to(temp)}


@pytest.mark.parametrize("verb", sorted(cli.VERBS))
def test_a_viewer_changes_nothing_through_any_verb(verb, folder, template, monkeypatch, capsys):
    before = fingerprint(folder)
    for args, viewer, _ in samples(folder, template.parent)[verb]:
        files = _files(folder)
        rc, out, err = _run(folder, VIEWER, [verb, *args], monkeypatch, capsys)
        assert "Traceback" not in out + err
        if viewer == REFUSED:
            assert rc == 2, (verb, args, out, err)
            assert any(w in err for w in ("“查看”角色", "只有管理员", "已经有管理员")), err
            # nothing written anywhere: no output file, no backup, no remembered setting
            assert _files(folder) - files == set(), (verb, args)
        else:
            assert rc in (0, 1), (verb, args, out, err)
        assert fingerprint(folder) == before, (verb, args)


@pytest.mark.parametrize("verb", ["demo", "backup", "restore", "export", "import", "pack", "merge", "close",
                                  "reopen", "handover"])
def test_a_member_may_write_but_not_what_only_administrators_may(verb, folder, template, monkeypatch, capsys):
    for args, _, member in samples(folder, template.parent)[verb]:
        before = fingerprint(folder)
        rc, out, err = _run(folder, MEMBER, [verb, *args], monkeypatch, capsys)
        assert "Traceback" not in out + err
        if member == REFUSED:
            assert rc == 2 and "只有管理员" in err, (verb, args, out, err)
            assert fingerprint(folder) == before
        else:
            assert rc in (0, 1), (verb, args, out, err)


def _audit(folder: Path) -> list[tuple[str, str]]:
    """(action, user name) of the audit trail, oldest first."""
    with _admin_services(folder) as services:
        return [(e.action, e.user_name) for e in reversed(services.audit.list())]


def test_the_audit_trail_names_the_signed_in_user(folder, template, monkeypatch, capsys):
    roster = str(template.parent / "roster.xlsx")
    assert _run(folder, MEMBER, ["import", roster], monkeypatch, capsys)[0] == 0
    assert _run(folder, VIEWER, ["export", "--out", str(folder.parent / "m.xlsx")], monkeypatch, capsys)[0] == 0
    assert _run(folder, ADMIN, ["demo", "--households", "2", "--force"], monkeypatch, capsys)[0] == 0
    trail = _audit(folder)
    assert ("import", "李队员") in trail and ("export", "王查看") in trail
    assert ("purge", ADMIN) in trail  # demo --force cleared the data in the administrator's name
    assert not {name for _, name in trail} & {"命令行", "系统"}


def test_init_creates_the_administrator_and_encrypts(tmp_path, monkeypatch, capsys):
    from fupin_desktop.storage.encryption import is_plain_sqlite

    folder = tmp_path / "new"
    monkeypatch.setenv("FUPIN_USER", "zhang")
    monkeypatch.setenv("FUPIN_PASSWORD", "secret-123")
    assert cli.main(["--data-dir", str(folder), "init", "--name", "张书记"]) == 0
    err = capsys.readouterr().err
    assert "恢复密钥" in err
    assert (folder / "keys.json").exists() and not is_plain_sqlite(folder / paths.DATABASE_FILE)
    assert cli.main(["--data-dir", str(folder), "init"]) == 2
    assert "已经有管理员" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(folder), "demo", "--households", "2"]) == 0  # signs in as zhang
    assert ("demo", "张书记") in _audit_as(folder, "zhang", "secret-123")


def _audit_as(folder: Path, user: str, password: str) -> list[tuple[str, str]]:
    from fupin_desktop.services import Services
    from fupin_desktop.services.auth import AccessManager

    store = AccessManager(folder).login(user, password)
    try:
        return [(e.action, e.user_name) for e in Services(store.db, actor=store.actor).audit.list()]
    finally:
        store.db.dispose()


def test_a_folder_without_administrator(tmp_path, monkeypatch, capsys):
    """Without FUPIN_USER/FUPIN_PASSWORD a writing verb asks for init (no prompt in a script: no hang); reading
    verbs read as a viewer; with them set, the first writing verb creates the administrator and encrypts."""
    from fupin_desktop.storage.encryption import is_plain_sqlite

    folder = tmp_path / "fresh"
    monkeypatch.delenv("FUPIN_USER")
    monkeypatch.delenv("FUPIN_PASSWORD")
    monkeypatch.setattr("sys.stdin", open(__file__))  # not a terminal
    assert cli.main(["--data-dir", str(folder), "demo", "--households", "2"]) == 2
    assert "init" in capsys.readouterr().err
    assert not (folder / "keys.json").exists()
    assert cli.main(["--data-dir", str(folder), "check"]) == 0
    assert cli.main(["--data-dir", str(folder), "export", "--full", "--out", str(tmp_path / "f.xlsx")]) == 2
    assert "init" in capsys.readouterr().err
    monkeypatch.setenv("FUPIN_USER", "zhang")
    monkeypatch.setenv("FUPIN_PASSWORD", "secret-123")
    assert cli.main(["--data-dir", str(folder), "demo", "--households", "2"]) == 0
    assert not is_plain_sqlite(folder / paths.DATABASE_FILE)
    monkeypatch.setenv("FUPIN_PASSWORD", "wrong-pass")
    assert cli.main(["--data-dir", str(folder), "check"]) == 2
    assert "用户名或密码不对" in capsys.readouterr().err


def test_the_services_refuse_a_viewer_themselves(db, tmp_path):
    """The CLI's early refusal is the services' own check: calling the services directly is refused too."""
    from fupin_desktop.domain.errors import PermissionDeniedError
    from fupin_desktop.services import Services
    from fupin_desktop.storage.db import Actor

    viewer = Services(db, actor=Actor(None, "王查看", "viewer"), data_dir=tmp_path)
    with pytest.raises(PermissionDeniedError):
        viewer.demo.generate(2)
    with pytest.raises(PermissionDeniedError):
        viewer.backups.backup_to(tmp_path / "copy.sqlite3")
    with pytest.raises(PermissionDeniedError):
        viewer.require("write")
    member = Services(db, actor=Actor(None, "李队员", "member"), data_dir=tmp_path)
    member.require("write")
    with pytest.raises(PermissionDeniedError):
        member.demo.generate(2)
    assert viewer.demo.is_empty()
