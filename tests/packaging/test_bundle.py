"""The one-folder bundle builds, contains no QtWebEngine, and passes --selftest offscreen (slow: ~1–2 min)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def build_bundle(spec: Path, out: Path) -> Path:
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(out / "dist"),
         "--workpath", str(out / "build"), str(spec)],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out / "dist"


def test_bundle_builds_and_passes_selftest(tmp_path):
    pytest.importorskip("PyInstaller")
    if not (ROOT / "i18n" / "fupin_desktop_zh_CN.qm").exists():
        pytest.fail("i18n/fupin_desktop_zh_CN.qm missing: run python i18n/build.py")
    dist = build_bundle(ROOT / "packaging" / "fupin_desktop.spec", tmp_path)
    folder = dist / "fupin-desktop"
    exe = folder / ("fupin-desktop.exe" if os.name == "nt" else "fupin-desktop")
    assert exe.exists()
    files = [p.name for p in folder.rglob("*")]
    assert not [f for f in files if "WebEngine" in f], "QtWebEngine must not be bundled"
    assert (folder / "_internal" / "resources" / "fonts" / "wqy-microhei.ttc").exists()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FUPIN_DATA_DIR=str(tmp_path / "data"))
    run = subprocess.run([str(exe), "--selftest"], capture_output=True, text=True, timeout=300, env=env,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    assert "自检通过" in run.stdout
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    print(f"\nbundle: {size / 1024 / 1024:.0f} MB", file=sys.stderr)
    shutil.rmtree(tmp_path / "build", ignore_errors=True)
