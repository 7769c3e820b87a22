"""Benchmark (on demand): bundle size and cold start to the main window, against a bare PySide6 window bundled the
same way in the same run.   python tests/benchmarks/bench_bundle.py"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE = textwrap.dedent('''
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication(sys.argv)
    w = QMainWindow(); w.setCentralWidget(QTableView()); w.show()
    QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
    app.exec()
''')


def _build(script: Path, name: str, out: Path, spec: Path | None = None) -> Path:
    args = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(out / "dist"),
            "--workpath", str(out / "build")]
    args += [str(spec)] if spec else ["--onedir", "--name", name, "--specpath", str(out), str(script)]
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    return out / "dist" / name


def _size(folder: Path) -> int:
    # symlinks inside the bundle point at files already counted (what `du` shows)
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _cold_start(cmd: list[str], env: dict, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def test_bundle_size_and_cold_start(tmp_path):
    bare_script = tmp_path / "bare.py"
    bare_script.write_text(BARE)
    bare = _build(bare_script, "bare", tmp_path / "b")
    app = _build(None, "fupin-desktop", tmp_path / "a", ROOT / "packaging" / "fupin_desktop.spec")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FUPIN_DATA_DIR=str(tmp_path / "data"),
               FUPIN_EXIT_AFTER_SHOW="1", FUPIN_USER="bench", FUPIN_PASSWORD="bench-123")
    # a set-up, encrypted data folder, so the start goes straight to the main window (sign-in from the environment)
    subprocess.run([str(app / "fupin-desktop"), "demo", "--households", "50"], env=env, check=True,
                   capture_output=True)
    from fupin_desktop.services.auth import AccessManager

    AccessManager(tmp_path / "data").create_admin("bench", "基准测试", "bench-123").db.dispose()
    t_bare = _cold_start([str(bare / "bare")], env)
    t_app = _cold_start([str(app / "fupin-desktop")], env)
    print(f"\nbundle size: app {_size(app) / 2**20:.0f} MB, bare PySide6 {_size(bare) / 2**20:.0f} MB "
          f"(ratio {_size(app) / _size(bare):.2f})")
    print(f"cold start to main window: app {t_app:.2f} s, bare {t_bare:.2f} s (ratio {t_app / t_bare:.2f})")


if __name__ == "__main__":
    import tempfile

    test_bundle_size_and_cold_start(Path(tempfile.mkdtemp(prefix="bench-bundle-")))
