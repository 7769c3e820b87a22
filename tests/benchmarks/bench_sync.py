"""同步包 benchmark (run on demand; not part of the normal test run).

    python tests/benchmarks/bench_sync.py [--households 500] [--villages 30] [--workdir /tmp/bench_sync]

1. Two laptops: a village of N households (``generate_demo``) is packed and merged into an empty laptop B; then
   both diverge by 50 edits (25 on each, 5 of them the same field of the same household: conflicts). Timed: packing
   A, and merging A's package into B (the 50 edits, 5 conflicts). Target: the merge < 3 s.
2. Township: V distinct demo villages (N households each, names 村01…, division codes …001…) are packed, then all
   merged (one ``merge`` of V files, one transaction) into an empty township database. Target < 30 s. Checks: the
   township's 农户 count is the sum of the villages', and merging the same V packages again changes nothing.
Each is compared with the same rows written by a bare ``executemany`` (sqlite3, one INSERT per table, the package's
rows as they are) into an empty database of the same schema, in the same run: the ratios are printed.
Villages and their packages are built once and kept in the work folder.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.sync_helpers import Laptop  # noqa: E402


def schema(work: Path) -> Path:
    from fupin_desktop.storage.migrate import open_database

    path = work / "schema.sqlite3"
    if not path.exists():
        db = open_database(f"sqlite:///{path}")
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
    return path


def bare_insert(template: Path, target: Path, packages: list[Path]) -> tuple[float, int]:
    """The same rows written by a bare executemany (per table, as they are in the packages), one transaction."""
    shutil.copyfile(template, target)
    tables = []
    for p in packages:
        with zipfile.ZipFile(p) as z:
            tables.extend(json.loads(z.read(n)) for n in z.namelist() if n.startswith("records/"))
    from fupin_desktop.storage.versions import synced_tables

    order = {n: i for i, n in enumerate(synced_tables())}
    tables.sort(key=lambda t: order[t["table"]])
    con = sqlite3.connect(target, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")
    rows = 0
    started = time.perf_counter()  # (wall: the bare writer waits for the disk like the merge)
    con.execute("BEGIN")
    for t in tables:
        cols = t["columns"]
        con.executemany(f'INSERT INTO "{t["table"]}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})',
                        [tuple(r) for r in t["rows"]])
        rows += len(t["rows"])
    con.execute("COMMIT")
    seconds = time.perf_counter() - started
    con.close()
    return seconds, rows


def two_laptops(work: Path, template: Path, households: int) -> dict:
    from fupin_desktop.storage.models import Household, Member

    root = work / "laptops"
    shutil.rmtree(root, ignore_errors=True)
    a = Laptop(root / "A", template, "张书记")
    b = Laptop(root / "B", template, "李队员")
    a.demo(households, seed=1)
    b.merge(a.pack())
    with a.db.read() as s:
        hids = [h.id for h in s.query(Household).order_by(Household.number).limit(25)]
        mids = [m.id for m in s.query(Member).order_by(Member.id).limit(25)]
    for i in range(20):  # 20 + 20 edits of different fields
        a.edit(Household, hids[i], phone=f"1380000{i:04d}")
        b.edit(Member, mids[i], work_place=f"苏州{i}")
    for i in range(20, 25):  # 5 + 5 edits of the same fields: conflicts
        a.edit(Household, hids[i], note=f"A{i}")
        b.edit(Household, hids[i], note=f"B{i}")
    started = time.perf_counter()
    pack = a.pack(root / "a.fupin")
    pack_s = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    report = b.merge(pack)
    merge_s, merge_cpu = time.perf_counter() - started, time.process_time() - cpu
    new, updated, same, conflicts = report.totals()
    bare_s, rows = bare_insert(template, root / "bare.sqlite3", [pack])
    a.close()
    b.close()
    return {"pack_s": pack_s, "merge_s": merge_s, "merge_cpu": merge_cpu, "bare_s": bare_s, "rows": rows, "updated": updated,
            "conflicts": conflicts, "size_mb": pack.stat().st_size / 2**20}


def township(work: Path, template: Path, households: int, villages: int) -> dict:
    from fupin_desktop.storage.models import Household

    vdir = work / f"villages-{households}"
    vdir.mkdir(parents=True, exist_ok=True)
    packs, expected = [], 0
    for i in range(villages):
        pack = vdir / f"村{i + 1:02d}.fupin"
        count = vdir / f"村{i + 1:02d}.count"
        if not pack.exists():
            folder = vdir / f"村{i + 1:02d}"
            shutil.rmtree(folder, ignore_errors=True)
            laptop = Laptop(folder, template)
            laptop.demo(households, seed=100 + i, village=f"第{i + 1:02d}村", division=f"130204203{i + 1:03d}")
            laptop.pack(pack)
            count.write_text(str(laptop.count(Household, live=False)))
            laptop.close()
            shutil.rmtree(folder)
            print(f"  built village {i + 1}/{villages}", flush=True)
        packs.append(pack)
        expected += int(count.read_text())
    root = work / "township"
    shutil.rmtree(root, ignore_errors=True)
    t = Laptop(root, template, "乡镇管理员")
    started, cpu = time.perf_counter(), time.process_time()
    report = t.merge(*packs)
    merge_s, merge_cpu = time.perf_counter() - started, time.process_time() - cpu
    total = t.count(Household, live=False)
    started = time.perf_counter()
    again = t.merge(*packs)
    again_s = time.perf_counter() - started
    t.close()
    bare_s, rows = bare_insert(template, work / "township-bare.sqlite3", packs)
    return {"merge_s": merge_s, "merge_cpu": merge_cpu, "again_s": again_s, "bare_s": bare_s, "rows": rows, "households": total,
            "expected": expected, "new": report.totals()[0], "again": again.totals()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=500)
    ap.add_argument("--villages", type=int, default=30)
    ap.add_argument("--workdir", default="/tmp/bench_sync")
    ap.add_argument("--only", choices=("laptops", "township"), default=None)
    args = ap.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    template = schema(work)
    ok = True
    if args.only in (None, "laptops"):
        r = two_laptops(work, template, args.households)
        print(f"two laptops ({args.households} households, {r['rows']:,} records, package {r['size_mb']:.1f} MB): "
              f"pack {r['pack_s']:.2f} s, merge {r['merge_s']:.2f} s (CPU {r['merge_cpu']:.2f} s; {r['updated']} updated, {r['conflicts']} "
              f"conflicts); bare executemany of the same rows {r['bare_s']:.2f} s; "
              f"merge/bare {r['merge_s'] / r['bare_s']:.1f}×, target merge < 3 s: "
              f"{'met' if r['merge_s'] < 3 else 'NOT met'}")
        ok &= r["merge_s"] < 3 and r["conflicts"] == 5
    if args.only in (None, "township"):
        r = township(work, template, args.households, args.villages)
        print(f"township ({args.villages} villages × {args.households} households, {r['rows']:,} records): "
              f"merge {r['merge_s']:.2f} s (CPU {r['merge_cpu']:.2f} s; new {r['new']:,}); bare executemany {r['bare_s']:.2f} s; "
              f"merge/bare {r['merge_s'] / r['bare_s']:.1f}×; target < 30 s: "
              f"{'met' if r['merge_s'] < 30 else 'NOT met'}")
        print(f"  农户 {r['households']:,} (sum of the villages {r['expected']:,}); second merge of the same "
              f"{args.villages}: {r['again_s']:.2f} s, 新增/更新/相同/冲突 = {r['again']}")
        ok &= r["merge_s"] < 30 and r["households"] == r["expected"] and r["again"][:2] == (0, 0) \
            and r["again"][3] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
