"""The command line (cli.main): verbs demo, check, backup; --data-dir; errors; the GUI hand-off."""
from __future__ import annotations

import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

from fupin_desktop import __version__, cli, paths
from fupin_desktop.domain.errors import ValidationError

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_gui(monkeypatch):
    """A test that reaches the GUI by mistake fails instead of opening a window and waiting forever."""
    def refuse(args):
        raise AssertionError(f"the GUI was started with {args!r}")

    monkeypatch.setitem(sys.modules, "fupin_desktop.app", types.SimpleNamespace(main=refuse))


def _key(folder: Path) -> bytes:
    """The data key of a folder the CLI set up (administrator tester / tester-123 from tests/conftest.py)."""
    from fupin_desktop.storage.keyring import Keyring

    return Keyring(folder).open("tester", "tester-123")


def _connect(path: Path, folder: Path | None = None):
    """A DB-API connection to an encrypted database file (the folder's key)."""
    from fupin_desktop.storage.db import connect_file

    return connect_file(path, _key(folder or path.parent))


def _households(folder: Path) -> int:
    con = _connect(folder / paths.DATABASE_FILE)
    try:
        return con.execute("SELECT count(*) FROM household").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def filled(tmp_path) -> Path:
    folder = tmp_path / "data"
    assert cli.main(["--data-dir", str(folder), "demo", "--households", "30", "--year", "2024"]) == 0
    return folder


def test_demo_then_check(tmp_path, capsys):
    folder = tmp_path / "data"
    assert cli.main(["--data-dir", str(folder), "demo", "--households", "30"]) == 0
    out = capsys.readouterr().out
    assert "已生成演示数据" in out and "用时" in out and "household" in out
    assert _households(folder) == 30
    assert cli.main(["--data-dir", str(folder), "check"]) == 0
    assert "未发现问题" in capsys.readouterr().out


def test_demo_refuses_a_filled_database_unless_forced(filled, capsys):
    capsys.readouterr()
    assert cli.main(["--data-dir", str(filled), "demo", "--households", "10"]) == 2
    assert "--force" in capsys.readouterr().err
    assert _households(filled) == 30
    assert cli.main(["--data-dir", str(filled), "demo", "--households", "10", "--force", "--seed", "9"]) == 0
    assert "原数据已备份到" in capsys.readouterr().out
    assert _households(filled) == 10  # replaced, not added to
    saved = list((filled / "backups").glob("fupin-*-demo.sqlite3"))
    assert len(saved) == 1
    con = _connect(saved[0], filled)
    assert con.execute("SELECT count(*) FROM household").fetchone()[0] == 30
    con.close()
    assert cli.main(["--data-dir", str(filled), "check"]) == 0


def test_data_dir_after_the_verb_and_from_the_environment(filled, data_dir, capsys):
    assert cli.main(["check", "--data-dir", str(filled)]) == 0
    assert not (data_dir / paths.DATABASE_FILE).exists()
    # Without the option the folder comes from FUPIN_DATA_DIR (set by the test fixture to ``data_dir``).
    paths.set_data_dir(None)
    assert cli.main(["demo", "--households", "3"]) == 0
    assert _households(data_dir) == 3


def test_check_reports_findings_with_exit_code_1(filled, capsys):
    con = _connect(filled / paths.DATABASE_FILE)
    hid = con.execute("SELECT household_id FROM member GROUP BY household_id HAVING count(*) > 1").fetchone()[0]
    con.execute("UPDATE member SET relation = 'head' WHERE household_id = ?", (hid,))
    con.commit()
    con.close()
    capsys.readouterr()
    assert cli.main(["--data-dir", str(filled), "check", "--today", "2025-01-10"]) == 1
    out = capsys.readouterr().out
    assert "户主" in out and "共发现" in out
    assert cli.main(["--data-dir", str(filled), "check", "--today", "10.1.2025"]) == 2


def test_backup_writes_a_sound_copy(filled, capsys):
    capsys.readouterr()
    assert cli.main(["--data-dir", str(filled), "backup"]) == 0
    out = capsys.readouterr().out
    saved = Path(out.split("：", 1)[1].strip())
    assert saved.parent == filled / "backups" and saved.exists()
    assert re.fullmatch(r"fupin-\d{8}-\d{6}-manual(-\d+)?\.sqlite3", saved.name)  # -2… if one exists already
    con = _connect(saved, filled)
    assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert con.execute("SELECT count(*) FROM household").fetchone()[0] == 30
    con.close()
    # A second backup in the same second gets its own name.
    assert cli.main(["--data-dir", str(filled), "backup"]) == 0
    assert len(list((filled / "backups").glob("fupin-*-manual*.sqlite3"))) == 2
    from fupin_desktop.storage.backup import list_backups

    assert [b.reason for b in list_backups(filled / "backups")][-1] == "manual"  # the restore page lists them


def test_backup_to_a_folder_or_a_file(filled, tmp_path, capsys):
    usb = tmp_path / "U盘"
    usb.mkdir()
    assert cli.main(["--data-dir", str(filled), "backup", "--to", str(usb)]) == 0
    assert len(list(usb.glob("fupin-*-manual.sqlite3"))) == 1
    target = tmp_path / "copies" / "东兴村.sqlite3"
    assert cli.main(["--data-dir", str(filled), "backup", "--to", str(target)]) == 0
    assert target.exists() and str(target) in capsys.readouterr().out


def test_backup_without_a_database(tmp_path, capsys):
    assert cli.main(["--data-dir", str(tmp_path / "empty"), "backup"]) == 2
    assert "找不到数据库文件" in capsys.readouterr().err


def test_a_damaged_file_is_reported_not_a_traceback(tmp_path, capsys):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / paths.DATABASE_FILE).write_bytes(b"this is not a database" * 200)
    for verb in ("check", "backup"):
        assert cli.main(["--data-dir", str(folder), verb]) == 2
        err = capsys.readouterr().err
        assert "数据库文件无法读取" in err and "Traceback" not in err


def test_version_and_usage_errors(capsys):
    assert cli.main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out
    assert cli.main(["no-such-verb"]) == 2
    assert cli.main(["check", "--no-such-option"]) == 2
    assert cli.main(["demo", "--households", "many"]) == 2
    assert cli.main(["demo", "--households", "0"]) == 2


def test_help_usage_and_mistyped_commands_are_in_chinese(capsys):
    """argparse's own words (usage:, options, show this help message…, error: the following arguments…) are
    Chinese, on the program and on every verb."""
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：fupin-desktop") and "选项：" in out and "显示本帮助并退出" in out
    assert "显示版本号并退出" in out
    assert cli.main(["report", "--help"]) == 0
    out = capsys.readouterr().out
    assert "参数：" in out and "选项：" in out and "显示本帮助并退出" in out
    cases = {
        ("report", "visits"): "缺少必需的参数：--year, --out",
        ("report", "visits", "--year", "abc", "--out", "x.pdf"): "参数 --year 的值 'abc' 不是有效的整数",
        ("no-such-verb",): "参数 命令 的值 'no-such-verb' 无效，可选：'init'",
        ("check", "--no-such-option"): "无法识别的参数：--no-such-option",
        ("report", "visits", "--year", "2026", "--half", "1", "--quarter", "2", "--out", "x.pdf"):
            "参数 --quarter 不能与 --half 同时使用",
        ("report", "visits", "--out"): "参数 --out 后面要写一个值",
    }
    for argv, expected in cases.items():
        assert cli.main(list(argv)) == 2
        err = capsys.readouterr().err
        assert expected in err and "用法：" in err, (argv, err)
        assert not any(w in err for w in ("error:", "usage:", "invalid", "required", "argument")), err


def test_without_a_verb_the_gui_starts(monkeypatch, tmp_path):
    seen = {}

    def fake_main(args):
        seen["args"] = args
        seen["data_dir"] = paths.data_dir()
        return 7

    monkeypatch.setitem(sys.modules, "fupin_desktop.app", types.SimpleNamespace(main=fake_main))
    assert cli.main(["--data-dir", str(tmp_path), "-platform", "offscreen", "--language", "zh_CN"]) == 7
    assert seen == {"args": ["-platform", "offscreen", "--language", "zh_CN"], "data_dir": tmp_path.resolve()}


def test_without_the_gui_a_message(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "fupin_desktop.app", None)  # import fails as if app.py were missing
    assert cli.main([]) == 1
    assert "图形界面" in capsys.readouterr().err


@pytest.mark.parametrize("error, text", [
    (ValidationError("households", "户数太多了"), "户数太多了"),
    (PermissionError(13, "Permission denied", "/mnt/usb/x.sqlite3"), "/mnt/usb/x.sqlite3"),
])
def test_errors_become_a_message_and_exit_code_2(monkeypatch, capsys, error, text):
    def run(args):
        raise error

    monkeypatch.setitem(cli.VERBS, "boom", (lambda p: None, run))
    assert cli.main(["boom"]) == 2
    captured = capsys.readouterr()
    assert text in captured.err and "Traceback" not in captured.err + captured.out


def test_verbs_are_registered_in_one_table(monkeypatch):
    monkeypatch.setattr(cli, "VERBS", dict(cli.VERBS))
    calls = []

    def add(p):
        p.add_argument("--n", type=int, default=1)

    def run(args):
        """示例命令"""
        calls.append((args.n, paths.data_dir()))
        return 0

    cli.register("hello", add, run)
    with pytest.raises(ValueError):
        cli.register("hello", add, run)
    assert cli.main(["hello", "--n", "3", "--data-dir", "/tmp/x"]) == 0
    assert calls == [(3, Path("/tmp/x").resolve())]
    assert "示例命令" in cli.build_parser().format_help()


def test_python_dash_m(filled):
    done = subprocess.run([sys.executable, "-m", "fupin_desktop", "--data-dir", str(filled), "check"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "未发现问题" in done.stdout


def test_restore_drill_and_restore(tmp_path, capsys):
    from fupin_desktop.cli import main

    data = str(tmp_path / "d")
    assert main(["--data-dir", data, "demo", "--households", "20"]) == 0
    assert main(["--data-dir", data, "backup"]) == 0
    assert main(["--data-dir", data, "restore", "--check"]) == 0
    out = capsys.readouterr().out
    assert "演练通过" in out and "household" in out
    backups = sorted((tmp_path / "d" / "backups").glob("fupin-*.sqlite3"))
    assert main(["--data-dir", data, "restore", str(backups[-1])]) == 0
    assert "恢复前的数据已备份为" in capsys.readouterr().out
