"""The command line on damaged or hostile input, read-only folders and full disks: a Chinese message and exit code
2, never a traceback, and nothing changed (issue 14 item 11). Run as the user runs it: ``python -m fupin_desktop``
in a child process."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fupin_desktop import cli, paths

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "Secret-pass-123"


def run(folder: Path, *args: str, env: dict | None = None, preexec=None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", "fupin_desktop", "--data-dir", str(folder), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120, env=environment, preexec_fn=preexec)


def refused(done: subprocess.CompletedProcess, *needles: str) -> str:
    text = done.stdout + done.stderr
    assert done.returncode == 2, text
    assert "Traceback" not in text, text
    for needle in needles:
        assert needle in text, text
    return text


def digest(folder: Path) -> str:
    """Every file of the data folder, names and bytes."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.name.endswith((".log", ".lock")):
            h.update(str(p.relative_to(folder)).encode() + p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def demo(tmp_path) -> Path:
    folder = tmp_path / "data"
    assert cli.main(["--data-dir", str(folder), "demo", "--households", "5"]) == 0
    paths.set_data_dir(None)
    return folder


def test_restoring_a_file_that_is_not_a_backup(demo, tmp_path):
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("这不是备份")
    foreign = tmp_path / "other.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = digest(demo)
    for wrong in (text_file, foreign):
        refused(run(demo, "restore", str(wrong)), f"“{wrong.name}”不是本程序的备份文件", "没有任何改动")
    assert digest(demo) == before  # also: no 恢复前 backup left behind per try


def _drop_root_powers():
    """In the child: without CAP_DAC_OVERRIDE (and friends) root too meets the file permissions."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP: gone from the program exec'd next


@pytest.mark.parametrize("verb", [["check"], ["backup"], ["export", "--out", "{out}"], ["import", "{roster}"]])
def test_a_read_only_data_folder(demo, tmp_path, kit_roster, verb):
    args = [a.format(out=tmp_path / "o.xlsx", roster=kit_roster) for a in verb]
    modes = {p: p.stat().st_mode for p in [demo, *demo.rglob("*")]}
    try:
        for p in modes:
            p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        before = digest(demo)
        refused(run(demo, *args, preexec=_drop_root_powers if os.geteuid() == 0 else None), "只读")
        assert digest(demo) == before
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


@pytest.fixture
def kit_roster(tmp_path, kit):
    return kit.write_roster(tmp_path / "r.xlsx", kit.roster_rows(2, start=70))


@pytest.fixture
def kit():
    import importlib.util

    spec = importlib.util.spec_from_file_location("exchange_conftest", REPO / "tests" / "exchange" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import types

    return types.SimpleNamespace(**{n: getattr(module, n) for n in ("write_roster", "roster_rows", "write_workbook",
                                                                    "sheet_of")})


@pytest.mark.parametrize("damage", ["header", "middle", "truncated"])
def test_a_damaged_encrypted_database(tmp_path, damage):
    from fupin_desktop.services.auth import AccessManager

    folder = tmp_path / "enc"
    folder.mkdir()
    AccessManager(folder, f"sqlite:///{folder / paths.DATABASE_FILE}").create_admin(
        "admin", "管理员", PASSWORD).db.dispose()
    path = folder / paths.DATABASE_FILE
    data = bytearray(path.read_bytes())
    if damage == "header":
        data[16:4000] = b"\x01" * 3984
    elif damage == "middle":
        data[5000:9000] = bytes(4000)
    else:
        data = data[:len(data) // 3]
    path.write_bytes(bytes(data))
    for verb in ("check", "backup"):
        refused(run(folder, verb, env={"FUPIN_USER": "admin", "FUPIN_PASSWORD": PASSWORD}), "数据库文件无法读取")


def test_export_onto_a_full_disk(demo, tmp_path, monkeypatch, capsys):
    """openpyxl's sheet writer (lxml) meets a full disk: /dev/full answers every write with ENOSPC, and lxml
    reports it as SerialisationError('IO_ENOSPC')."""
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full (Linux)")
    import openpyxl.worksheet._writer as writer

    monkeypatch.setattr(writer, "create_temporary_file", lambda suffix="": "/dev/full")
    out = tmp_path / "out.xlsx"
    try:
        code = cli.main(["--data-dir", str(demo), "export", "--out", str(out)])
    finally:
        paths.set_data_dir(None)
    err = capsys.readouterr().err
    assert code == 2 and "磁盘已满" in err and "Traceback" not in err, err
    assert not out.exists()


def test_disk_errors_hidden_in_other_errors_are_found():
    import errno

    from lxml.etree import SerialisationError

    from fupin_desktop.fileio import as_os_error

    assert as_os_error(SerialisationError("IO_ENOSPC")).errno == errno.ENOSPC
    assert as_os_error(sqlite3.OperationalError("database or disk is full")).errno == errno.ENOSPC
    assert as_os_error(sqlite3.OperationalError("attempt to write a readonly database")).errno == errno.EROFS
    wrapped = RuntimeError("x")
    wrapped.__cause__ = OSError(errno.ENOSPC, "No space left on device")
    assert as_os_error(wrapped).errno == errno.ENOSPC
    assert as_os_error(ValueError("no")) is None


def test_import_says_which_sheet_it_read_and_skips_a_hidden_one(demo, tmp_path, kit):
    headers = ["姓名", "与户主关系", "户编号"]
    hidden = kit.sheet_of([headers, ["旧数据", "户主", "OLD1"]])
    shown = kit.sheet_of([headers, ["王五", "户主", "NEW1"]])
    path = kit.write_workbook(tmp_path / "two.xlsx", [("旧表", hidden, "hidden"), ("花名册", shown)])
    done = run(demo, "import", str(path), "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "读取工作表：“花名册”" in done.stdout and "新增 1 户、1 人" in done.stdout


def test_a_hostile_roster_through_the_command_line(demo, tmp_path, kit):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密")
    doctype = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    sheet = kit.sheet_of([["姓名", "与户主关系", "备注"], ["王五", "户主", "&xxe;"]], prefix="x:", doctype=doctype)
    path = kit.write_workbook(tmp_path / "xxe.xlsx", [("花名册", sheet)])
    before = digest(demo)
    for extra in (["--check"], []):
        text = refused(run(demo, "import", str(path), *extra), "DOCTYPE", "工作表“花名册”")
        assert "机密" not in text
    assert digest(demo) == before
