"""A normal (non-editable) install works: the wheel carries the font and the translation, ``--selftest`` passes
from it, and the first window a new user sees is the Chinese sign-in window in the bundled font.

Every other test runs from the source tree (editable install), which hides a wheel without ``resources/`` or
``i18n/`` (the program then opened in English without its font). The wheel is built from a copy of the checkout
(so no build/ folder lands in it) and installed into a fresh virtual environment. The environment sees the
already-installed dependencies (``--system-site-packages``: no download of PySide6 in every run), but the package
itself comes only from the wheel: the test checks where ``fupin_desktop`` is imported from. ``.ci/run`` also runs
the README's first command literally in a fresh environment without system packages.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

SOURCES = ["pyproject.toml", "setup.py", "README.md", "fupin_desktop", "resources", "i18n"]


def build_wheel(out: Path) -> Path:
    src = out / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(src), "-w", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-4000:]
    wheels = list(out.glob("fupin_desktop-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """A first start on a new machine: no source tree on the path, empty user folders, no display."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FUPIN_", "PYTHON")) and k != "VIRTUAL_ENV"}
    env.update(HOME=str(home), USERPROFILE=str(home), APPDATA=str(home / "AppData"),
               LOCALAPPDATA=str(home / "AppData" / "Local"), XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_CONFIG_HOME=str(home / ".config"), QT_QPA_PLATFORM="offscreen", **extra)
    return env


def test_wheel_installs_and_starts_in_chinese(tmp_path):
    if not (ROOT / "i18n" / "fupin_desktop_zh_CN.qm").exists():
        pytest.fail("i18n/fupin_desktop_zh_CN.qm missing: run python i18n/build.py")
    wheel = build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "fupin_desktop/resources/fonts/wqy-microhei.ttc" in names
    assert "fupin_desktop/resources/icons/home.svg" in names
    assert "fupin_desktop/i18n/fupin_desktop_zh_CN.qm" in names
    assert "fupin_desktop/storage/migrations/versions/0001_initial_schema.py" in names
    assert not [n for n in names if n.endswith((".ts", ".tsv")) or n.startswith("fupin_desktop/i18n/build")]

    venv = tmp_path / "venv"
    # --without-pip: the pip of the system site (visible through --system-site-packages) installs into the venv
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
                   check=True, timeout=300)
    py = venv_python(venv)
    home = tmp_path / "home"
    home.mkdir()
    env = clean_env(home)
    install = subprocess.run([str(py), "-m", "pip", "install", "--no-index", "-q", str(wheel)],
                             capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert install.returncode == 0, install.stdout + install.stderr[-4000:]

    where = subprocess.run([str(py), "-c", "import fupin_desktop; print(fupin_desktop.__file__)"],
                           capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    package = Path(where.stdout.strip()).resolve()
    assert package.is_relative_to(venv.resolve()), f"imported from {package}, not from the installed wheel"
    assert not package.is_relative_to(ROOT)

    script = venv / ("Scripts/fupin-desktop.exe" if os.name == "nt" else "bin/fupin-desktop")
    selftest = subprocess.run([str(script), "--selftest"], capture_output=True, text=True, timeout=300,
                              env=clean_env(home, FUPIN_DATA_DIR=str(tmp_path / "selftest-data")), cwd=tmp_path)
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr[-3000:]
    assert "自检通过" in selftest.stdout and "[失败]" not in selftest.stdout, selftest.stdout

    # The README's first command ends in `fupin-desktop`: with no data yet it shows the sign-in window
    # (the administrator's set-up). Quit once it is shown and read what it says.
    report = tmp_path / "shown.json"
    start = subprocess.run([str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path,
                           env=clean_env(home, FUPIN_EXIT_AFTER_SHOW="signin", FUPIN_SHOWN_REPORT=str(report)))
    assert start.returncode == 0, start.stdout + start.stderr[-3000:]
    shown = json.loads(report.read_text(encoding="utf-8"))
    assert shown["stage"] == "signin"
    assert shown["title"] == "设置管理员"
    assert "驻村帮扶工作台" in shown["texts"] and "密码" in shown["texts"] and "创建并打开" in shown["texts"]
    assert shown["font"] == "WenQuanYi Micro Hei"
    assert (tmp_path / "shown.png").stat().st_size > 5000
    assert "missing" not in start.stderr
