"""Benchmark (on demand): cold start of the source install, against a bare PySide6 window in the same run.

    python tests/benchmarks/bench_start.py [--runs 7]

Three programs, started in turn (so a busy machine slows all of them alike), each timed from process start to the
moment its window is shown (the child prints "shown" from the event loop right after show(); exiting is not timed):

* bare     a QMainWindow with a QTableView (the baseline);
* sign-in  ``python -m fupin_desktop`` with FUPIN_EXIT_AFTER_SHOW=signin: the sign-in window of an encrypted village;
* main     the same with FUPIN_USER/FUPIN_PASSWORD (sign-in from the environment) and FUPIN_EXIT_AFTER_SHOW=1, in a
           500-household encrypted demo village. Three moments:
           "main"  the main window is on the screen (the target): sidebar, top bar (search, print/export and lock
                   disabled, no user menu yet), the page area saying 正在打开数据…, status line 正在打开数据…;
                   the key is derived, but SQLAlchemy, the models and the services are not imported yet (a worker
                   thread imports them and opens the data right after: ui/startup.py PendingSession);
           "page"  the data is attached (village name, user menu, data exchange) and the remembered page built
                   (首页 with 正在统计…);
           "data"  the page's figures and the status line's household count are in (FUPIN_EXIT_AFTER_SHOW=1 quits).

Targets (issue 18 §4): sign-in ≤ 2× bare, main ≤ 4× bare (medians; "page" and "data" are reported beside it).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE = textwrap.dedent('''
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication(sys.argv)
    w = QMainWindow(); w.setCentralWidget(QTableView()); w.resize(1024, 700); w.show()
    QTimer.singleShot(0, lambda: (print("shown bare", flush=True), app.quit()))
    app.exec()
''')

USER, PASSWORD = "bench", "bench-123"


def _environment() -> dict[str, str]:
    """This environment without FUPIN_* and without PYTHONDONTWRITEBYTECODE: an installed program has its bytecode
    (pip compiles it at install; a source checkout writes it on its first start), so the warm-up start writes the
    .pyc files and the timed starts use them, as a user's starts do (without them every start compiles the
    program's ~300 modules from source)."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("FUPIN_") and k != "PYTHONDONTWRITEBYTECODE"}


def prepare(data: Path, households: int) -> None:
    """An encrypted, set-up village with ``households`` demo households, left as a clean exit leaves it."""
    env = dict(_environment(), FUPIN_DATA_DIR=str(data), PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, "-c", textwrap.dedent(f'''
        from fupin_desktop.services.auth import AccessManager
        AccessManager().create_admin({USER!r}, "基准测试", {PASSWORD!r}).db.dispose()
    ''')], env=env, check=True)
    env.update(FUPIN_USER=USER, FUPIN_PASSWORD=PASSWORD)
    subprocess.run([sys.executable, "-m", "fupin_desktop", "demo", "--households", str(households)], env=env,
                   check=True, capture_output=True)
    # one start to the main window and a normal exit: the clean-exit mark (integrity fast path) is set
    subprocess.run([sys.executable, "-m", "fupin_desktop"], env=dict(env, FUPIN_EXIT_AFTER_SHOW="1"), check=True,
                   capture_output=True, timeout=300)


def time_to_shown(cmd: list[str], env: dict[str, str], last: str) -> dict[str, float]:
    """Seconds from the process start to each "shown <stage>" line, up to the stage ``last``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    shown: dict[str, float] = {}
    for line in proc.stdout:
        if line.startswith("shown "):
            shown[line.split()[1]] = time.perf_counter() - start
            if line.split()[1] == last:
                break
    out, err = proc.communicate(timeout=300)
    if last not in shown or proc.returncode != 0:
        raise RuntimeError(f"{cmd} did not show a window (rc {proc.returncode}): {out}\n{err[-3000:]}")
    return shown


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--households", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-start-") as tmp:
        data = Path(tmp) / "data"
        prepare(data, args.households)
        base = _environment()
        base.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), FUPIN_DATA_DIR=str(data))
        app = [sys.executable, "-m", "fupin_desktop"]
        cases = {  # name: (command, environment, {stage printed: name reported})
            "bare": ([sys.executable, "-c", BARE], base, {"bare": "bare"}),
            "sign-in": (app, dict(base, FUPIN_EXIT_AFTER_SHOW="signin"), {"signin": "sign-in"}),
            "main": (app, dict(base, FUPIN_EXIT_AFTER_SHOW="1", FUPIN_USER=USER, FUPIN_PASSWORD=PASSWORD),
                     {"main": "main", "main-page": "page", "main-data": "data"}),
        }
        times: dict[str, list[float]] = {"bare": [], "sign-in": [], "main": [], "page": [], "data": []}
        for cmd, env, stages in cases.values():  # warm-up: file cache, .pyc files
            time_to_shown(cmd, env, list(stages)[-1])
        for _ in range(args.runs):
            for cmd, env, stages in cases.values():
                shown = time_to_shown(cmd, env, list(stages)[-1])
                for stage, name in stages.items():
                    times[name].append(shown[stage])
    bare_min, bare_med = min(times["bare"]), statistics.median(times["bare"])
    print(f"cold start, {args.runs} runs each, {args.households}-household encrypted village (seconds), "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}:")
    for name, ts in times.items():
        lo, med = min(ts), statistics.median(ts)
        print(f"  {name:<8} min {lo:.3f}  median {med:.3f}   ratio to bare: min {lo / bare_min:.2f}×, "
              f"median {med / bare_med:.2f}×")
    ok_signin = statistics.median(times["sign-in"]) <= 2 * bare_med
    ok_main = statistics.median(times["main"]) <= 4 * bare_med
    print(f"targets: sign-in ≤ 2× {'met' if ok_signin else 'NOT met'}; main ≤ 4× {'met' if ok_main else 'NOT met'}")
    return 0 if ok_signin and ok_main else 1


if __name__ == "__main__":
    sys.exit(main())
