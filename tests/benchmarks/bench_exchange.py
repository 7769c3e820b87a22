"""Excel exchange benchmark (run on demand; not part of the normal test run).

    python tests/benchmarks/bench_exchange.py [--households 100000] [--roster-rows 100000] [--workdir /tmp/bench_exchange]

1. Export: a database of N households with members and a year of visits (``generate_demo``, built once and
   reused) is exported as the upward package (full, all ledgers) in a child process, and — in the same run —
   another child process writes the same cells (same queries, same rows, same order) with bare openpyxl
   write-only ``ws.append`` of the raw tuples. Targets: time ≤ 1.3× the bare writer, peak memory (VmHWM of the
   child) ≤ 200 MB.
2. Roster import: a roster of R member rows (3 per household, header below a merged title) is inspected,
   validated and imported into an empty village database in a child process (``--repeat`` times, each into a
   fresh database). Target ≥ 20,000 rows/s. Baseline in the same run: bare openpyxl read-only merely reading the
   same sheet (``iter_rows(values_only=True)``), so that a slow moment of the machine shows in both figures.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def vmhwm_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# --- children ----------------------------------------------------------------------------------------------------


def child_export(db_path: str, out: str) -> dict:
    """The 上报表 (exchange/report_book.py), full form: every ledger a clerk prints."""
    from fupin_desktop.exchange.report_book import export_for_period
    from fupin_desktop.services import Services
    from fupin_desktop.storage.db import Actor, Database

    db = Database(f"sqlite:///{db_path}")
    services = Services(db, actor=Actor(None, "bench", "admin"), data_dir=Path(out).parent)
    started = time.perf_counter()
    result = export_for_period(services, out, form="full")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": sum(result.counts.values()), "vmhwm_mb": vmhwm_mb(),
            "size_mb": Path(out).stat().st_size / 2**20}


def child_bare(db_path: str, out: str) -> dict:
    """The same SELECTs (compiled by SQLAlchemy, run by sqlite3) appended raw by openpyxl write-only."""
    import sqlite3

    from openpyxl import Workbook

    from fupin_desktop.exchange.ledgers import SHEETS
    from fupin_desktop.storage.queries import exchange as qx

    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from datetime import date

    statements = []
    for sheet in SHEETS:
        kinds = qx.column_kinds(sheet.table)
        with_hh = "household_id" in [c for c, _, _ in kinds]
        stmt = qx.ledger_select(sheet.table, date_column=sheet.date_column, parent=sheet.parent,
                                with_household_number=with_hh)
        dates = [i for i, (_, kind, _) in enumerate(kinds) if kind == "date"]
        statements.append((sheet.title, dates, str(stmt.compile(dialect=sqlite_dialect.dialect(),
                                                                compile_kwargs={"literal_binds": True}))))
    started = time.perf_counter()
    conn = sqlite3.connect(db_path)
    wb = Workbook(write_only=True)
    rows = 0
    parse = date.fromisoformat
    for title, dates, sql in statements:
        ws = wb.create_sheet(title)
        cur = conn.execute(sql)
        ws.append([d[0] for d in cur.description])
        for row in cur:
            if dates:  # the same cells: dates are written as dates (sqlite3 returns them as text)
                row = list(row)
                for i in dates:
                    if row[i] is not None:
                        row[i] = parse(row[i])
            ws.append(row)
            rows += 1
    wb.save(out)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": rows, "vmhwm_mb": vmhwm_mb(), "size_mb": Path(out).stat().st_size / 2**20}


def child_roster(db_path: str, roster: str) -> dict:
    from fupin_desktop.exchange import roster as rs
    from fupin_desktop.services import Services
    from fupin_desktop.storage.db import Actor, Database

    db = Database(f"sqlite:///{db_path}")
    services = Services(db, actor=Actor(None, "bench", "admin"), data_dir=Path(db_path).parent)
    started, cpu = time.perf_counter(), time.process_time()
    layout = rs.inspect_roster(roster)
    t1 = time.perf_counter()
    plan = rs.validate_roster(services, layout)
    t2 = time.perf_counter()
    assert plan.ok, [str(e) for e in plan.errors[:5]]
    rs.apply_roster(services, plan)
    t3 = time.perf_counter()
    return {"seconds": t3 - started, "inspect": t1 - started, "validate": t2 - t1, "write": t3 - t2,
            "rows": plan.rows, "rows_per_s": plan.rows / (t3 - started), "vmhwm_mb": vmhwm_mb(),
            "cpu": time.process_time() - cpu}


def child_read_baseline(roster: str) -> dict:
    from openpyxl import load_workbook

    started = time.perf_counter()
    wb = load_workbook(roster, read_only=True)
    rows = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return {"seconds": time.perf_counter() - started, "rows": rows}


# --- setup -------------------------------------------------------------------------------------------------------


def build_export_db(path: Path, households: int) -> None:
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.migrate import open_database

    print(f"building {path} with {households:,} households (once)…", flush=True)
    started = time.perf_counter()
    db = open_database(f"sqlite:///{path}")
    generate_demo(db, households, seed=1)
    db.dispose()
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def build_roster(path: Path, rows: int) -> None:
    from datetime import date

    from openpyxl import Workbook

    from fupin_desktop.domain.idcard import make_id

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["某村农户花名册"])
    ws.append(["序号", "户编号", "户主姓名", "姓名", "与户主关系", "证件号码", "性别", "出生日期", "民族", "政治面貌",
               "文化程度", "健康状况", "劳动技能", "联系电话", "村民小组"])
    relations = ["户主", "配偶", "之子"]
    for n in range(rows):
        h, k = divmod(n, 3)
        born = date(1940 + n % 70, 1 + n % 12, 1 + n % 28)
        pid = make_id(f"13{n // 1000000:02d}{(n // 1000) % 100:02d}", born, n % 1000)
        ws.append([n + 1, f"1302042032{h:08d}", f"王{h}", f"王{h}{'甲乙丙'[k]}", relations[k], pid, None,
                   born.strftime("%Y.%m.%d"), "汉族", "群众", "初中", "健康", "普通劳动力",
                   "13812345678" if k == 0 else None, f"{1 + h % 9}组"])
    wb.save(path)


def fresh_village_db(path: Path) -> None:
    from fupin_desktop.services import Services
    from fupin_desktop.services.village import CadreInput, VillageInput
    from fupin_desktop.storage.migrate import open_database

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = open_database(f"sqlite:///{path}")
    Services(db).village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                                [CadreInput(name="张书记", role="secretary")])
    db.dispose()


def run_child(kind: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, *args], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    if out.returncode:
        raise SystemExit(f"child {kind} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--households", type=int, default=100_000)
    p.add_argument("--roster-rows", type=int, default=100_000)
    p.add_argument("--workdir", default="/tmp/bench_exchange")
    p.add_argument("--roster-file", default=None, help="import this roster instead of the generated one (e.g. the "
                   "generated one re-saved by Excel/WPS/LibreOffice: shared strings instead of inline strings)")
    p.add_argument("--skip-export", action="store_true")
    p.add_argument("--skip-import", action="store_true")
    p.add_argument("--repeat", type=int, default=3, help="roster imports (each into a fresh database)")
    p.add_argument("--child", nargs="+", default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        kind, *rest = args.child
        fn = {"export": child_export, "bare": child_bare, "roster": child_roster, "read": child_read_baseline}[kind]
        print(json.dumps(fn(*rest)))
        return
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    if not args.skip_export:
        db = work / f"export_{args.households}.sqlite3"
        if not db.exists():
            build_export_db(db, args.households)
        bare = run_child("bare", str(db), str(work / "bare.xlsx"))
        ours = run_child("export", str(db), str(work / "package.xlsx"))
        ratio = ours["seconds"] / bare["seconds"]
        print(f"export {args.households:,} households, {ours['rows']:,} rows:")
        print(f"  bare openpyxl write-only  {bare['seconds']:7.1f} s  VmHWM {bare['vmhwm_mb']:6.0f} MB  "
              f"{bare['size_mb']:.0f} MB file")
        print(f"  上报表 (report_book)        {ours['seconds']:7.1f} s  VmHWM {ours['vmhwm_mb']:6.0f} MB  "
              f"{ours['size_mb']:.0f} MB file")
        print(f"  ratio {ratio:.2f}× (target ≤ 1.30×)  peak {ours['vmhwm_mb']:.0f} MB (target ≤ 200 MB)  "
              f"{'OK' if ratio <= 1.3 and ours['vmhwm_mb'] <= 200 else 'MISSED'}")
    if not args.skip_import:
        roster = Path(args.roster_file) if args.roster_file else work / f"roster_{args.roster_rows}.xlsx"
        if not roster.exists():
            print(f"writing roster {roster} (once)…", flush=True)
            build_roster(roster, args.roster_rows)
        target = work / "roster_import.sqlite3"
        base = run_child("read", str(roster))
        print(f"baseline: bare openpyxl read-only reads the sheet ({base['rows']:,} rows) in {base['seconds']:.1f} s "
              f"= {base['rows'] / base['seconds']:,.0f} rows/s")
        ok = True
        for _ in range(max(1, args.repeat)):
            fresh_village_db(target)
            r = run_child("roster", str(target), str(roster))
            ok &= r["rows_per_s"] >= 20000
            print(f"roster import {r['rows']:,} rows: {r['seconds']:.1f} s = {r['rows_per_s']:,.0f} rows/s, "
                  f"{r['seconds'] / base['seconds']:.2f}× the bare read (inspect {r['inspect']:.1f} s, read+validate "
                  f"{r['validate']:.1f} s, write {r['write']:.1f} s; VmHWM {r['vmhwm_mb']:.0f} MB; CPU "
                  f"{r.get('cpu', float('nan')):.1f} s, load {os.getloadavg()[0]:.1f})  target ≥ 20,000 rows/s  "
                  f"{'OK' if r['rows_per_s'] >= 20000 else 'MISSED'}", flush=True)
        print("roster import: all runs OK" if ok else "roster import: MISSED in some run")


if __name__ == "__main__":
    main()
