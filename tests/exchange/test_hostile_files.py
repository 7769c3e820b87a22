"""Hostile workbooks: each one is refused within 30 s and 400 MB with a Chinese message, and changes nothing.

Every file is built here by a small generator (nothing big is checked in) and imported in a child process whose
address space is capped (RLIMIT_AS 1 GiB, so a reader that tries to hold the file dies of MemoryError instead of
taking the machine with it); the child reports its time and peak resident memory (VmHWM, TECH-NOTES).
The database is compared row by row before and after.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ADDRESS_SPACE = 1 << 30
SECONDS, MEGABYTES = 30, 400

CHILD = r"""
import json, re, resource, sys, time, traceback
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[4]), int(sys.argv[4])))
started = time.perf_counter()
out = {}
try:
    from fupin_desktop.domain.errors import FupinError
    from fupin_desktop.exchange import roster
    from fupin_desktop.services import Services
    from fupin_desktop.storage.db import Actor, Database

    db = Database("sqlite:///" + sys.argv[1])
    services = Services(db, actor=Actor(None, "测试管理员", "admin"), data_dir=sys.argv[3])
    try:
        layout = roster.inspect_roster(sys.argv[2])
        out["sheet"] = layout.sheet
        plan = roster.validate_roster(services, layout)
        out["errors"] = [str(e) for e in plan.errors[:20]]
        if plan.ok:
            roster.apply_roster(services, plan)
            out["outcome"] = "imported"
        else:
            out["outcome"] = "refused"
    except FupinError as e:
        out["outcome"] = "refused"
        out["message"] = str(e)
    db.dispose()
except MemoryError:
    out["outcome"] = "MemoryError"
except BaseException:
    out["outcome"] = "crash"
    out["traceback"] = traceback.format_exc()[-3000:]
out["seconds"] = time.perf_counter() - started
status = open("/proc/self/status").read()
out["vmhwm_mb"] = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
print(json.dumps(out, ensure_ascii=False))
"""


def database_digest(path: Path) -> str:
    """One hash over every row of every table (what "nothing changed" means)."""
    con = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        for t in tables:
            for row in con.execute(f'SELECT * FROM "{t}" ORDER BY rowid'):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        con.close()


@pytest.fixture
def filled(services, village, tmp_path, kit):
    """The test database with a village and 3 households imported; returns its path."""
    from fupin_desktop.exchange import roster

    path = kit.write_roster(tmp_path / "good.xlsx", kit.roster_rows(3))
    plan = roster.validate_roster(services, roster.inspect_roster(path))
    roster.apply_roster(services, plan)
    return tmp_path / "fupin.sqlite3"


def import_in_child(db_path: Path, workbook: Path) -> dict:
    """Inspect, validate and (if clean) apply ``workbook`` in a capped child; its report as a dict."""
    before = database_digest(db_path)
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(db_path), str(workbook), str(db_path.parent),
                               str(ADDRESS_SPACE)], cwd=REPO, capture_output=True, text=True, timeout=2 * SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{workbook.name}: still running after {2 * SECONDS} s")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["unchanged"] = database_digest(db_path) == before
    print(workbook.name, {k: report.get(k) for k in ("seconds", "vmhwm_mb", "outcome", "message", "errors")})
    return report


def assert_refused(report: dict, *needles: str) -> str:
    """Refused in time and memory, with a Chinese message containing ``needles``, nothing changed."""
    assert report["outcome"] == "refused", report
    assert report["seconds"] < SECONDS and report["vmhwm_mb"] < MEGABYTES, report
    assert report["unchanged"], report
    text = report.get("message") or "\n".join(report.get("errors", []))
    assert "Traceback" not in text
    for needle in needles:
        assert needle in text, report
    return text


HEADER = ["姓名", "与户主关系", "户编号", "备注"]


def _header_and(*rows: list) -> list[list]:
    return [HEADER, *rows]


SECRET = "机密内容-不应出现在任何成员的备注里"


@pytest.mark.parametrize("prefix", ["", "x:"], ids=["scanned", "lxml"])
def test_xxe_in_a_sheet_is_refused_and_reads_no_local_file(filled, tmp_path, kit, prefix):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    doctype = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    sheet = kit.sheet_of(_header_and(["王五", "户主", "H1", "&xxe;"]), prefix=prefix, doctype=doctype)
    report = import_in_child(filled, kit.write_workbook(tmp_path / "xxe.xlsx", [("花名册", sheet)]))
    assert SECRET not in json.dumps(report, ensure_ascii=False)
    assert_refused(report, "DOCTYPE")
    con = sqlite3.connect(filled)
    assert not [n for (n,) in con.execute("SELECT note FROM member") if n and SECRET in n]
    con.close()


def test_xxe_in_shared_strings_is_refused(filled, tmp_path, kit):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    shared = (f'<?xml version="1.0"?><!DOCTYPE x:sst [<!ENTITY xxe SYSTEM "file://{secret}">]>'
              f'<x:sst xmlns:x="{kit.MAIN_NS}"><x:si><x:t>&xxe;</x:t></x:si></x:sst>')
    body = kit.inline_row(1, HEADER) + kit.inline_row(2, ["王五", "户主", "H1"])[:-6] + '<c r="D2" t="s"><v>0</v></c></row>'
    sheet = f'<worksheet xmlns="{kit.MAIN_NS}"><sheetData>{body}</sheetData></worksheet>'
    report = import_in_child(filled, kit.write_workbook(tmp_path / "xxe2.xlsx", [("花名册", sheet)], shared))
    assert SECRET not in json.dumps(report, ensure_ascii=False)
    assert_refused(report, "DOCTYPE")


def test_billion_laughs(filled, tmp_path, kit):
    entities = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    sheet = kit.sheet_of(_header_and(["王五", "户主", "H1", "&lol9;"]), prefix="x:",
                         doctype=f"<!DOCTYPE worksheet [{entities}]>")
    report = import_in_child(filled, kit.write_workbook(tmp_path / "laughs.xlsx", [("花名册", sheet)]))
    assert_refused(report, "DOCTYPE")


def test_zip_bomb_sheet_of_a_gigabyte(filled, tmp_path, kit):
    head = (f'<worksheet xmlns="{kit.MAIN_NS}"><sheetData>'.encode() + kit.inline_row(1, HEADER).encode()
            + b'<row r="2"><c r="A2"><v>')
    bomb = kit.Repeat(head, b"0" * (1 << 20), 1024, b"</v></c></row></sheetData></worksheet>")
    path = kit.write_workbook(tmp_path / "bomb.xlsx", [("花名册", bomb)])
    assert path.stat().st_size < 2 << 20
    text = assert_refused(import_in_child(filled, path), "花名册")
    assert "第2行" in text or "解压后" in text


def test_headers_that_lie_about_the_size(filled, tmp_path, kit):
    sheet = kit.sheet_of(_header_and(*[["王五", "户主", f"H{i}", "备注" * 50] for i in range(2000)]))
    path = kit.write_workbook(tmp_path / "liar.xlsx", [("花名册", sheet)],
                              lie_sizes={"xl/worksheets/sheet1.xml": 1000})
    assert_refused(import_in_child(filled, path), "损坏")


def test_huge_shared_strings(filled, tmp_path, kit):
    shared = kit.Repeat(f'<sst xmlns="{kit.MAIN_NS}">'.encode(), b"<si><t>x</t></si>" * 4096, 3000, b"</sst>")
    sheet = kit.sheet_of(_header_and(["王五", "户主", "H1"]))
    text = assert_refused(import_in_child(filled, kit.write_workbook(tmp_path / "sst.xlsx", [("花名册", sheet)],
                                                                     shared)))
    assert "共享字符串" in text


def test_endless_row(filled, tmp_path, kit):
    head = (f'<worksheet xmlns="{kit.MAIN_NS}"><sheetData>'.encode() + kit.inline_row(1, HEADER).encode()
            + b'<row r="2">')
    cell = b'<c t="inlineStr"><is><t>x</t></is></c>'
    row = kit.Repeat(head, cell * 4096, 1000, b"</row></sheetData></worksheet>")  # 155 MB: within the part limit
    assert_refused(import_in_child(filled, kit.write_workbook(tmp_path / "row.xlsx", [("花名册", row)])),
                   "花名册", "第2行")


def test_many_rows(filled, tmp_path, kit):
    head = f'<worksheet xmlns="{kit.MAIN_NS}"><sheetData>'.encode() + kit.inline_row(1, HEADER).encode()
    rows = kit.Repeat(head, b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 1000, 3000,
                      b"</sheetData></worksheet>")
    assert_refused(import_in_child(filled, kit.write_workbook(tmp_path / "rows.xlsx", [("花名册", rows)])),
                   "花名册", "行")


@pytest.mark.parametrize("row", [2, 40], ids=["header-scan", "data"])
def test_cell_at_column_zzzzzz(filled, tmp_path, kit, row):
    rows = _header_and(*[["王五", "户主", f"H{i}"] for i in range(2, 50)])
    sheet = kit.sheet_of(rows).replace(f'<row r="{row}">', f'<row r="{row}"><c r="ZZZZZZ{row}" t="inlineStr">'
                                                           "<is><t>x</t></is></c>")
    assert_refused(import_in_child(filled, kit.write_workbook(tmp_path / "wide.xlsx", [("花名册", sheet)])),
                   "花名册", f"第{row}行", "ZZZZZZ")


def test_name_of_32767_characters(filled, tmp_path, kit):
    import random

    rnd = random.Random(5)
    name = "".join(rnd.choice("张王李赵长江秀英国华明建军银行重庆") for _ in range(32767))
    sheet = kit.sheet_of(_header_and([name, "户主", "H1"]))
    text = assert_refused(import_in_child(filled, kit.write_workbook(tmp_path / "name.xlsx", [("花名册", sheet)])),
                          "花名册", "第2行", "姓名")
    assert name[:100] not in text


SYNC_CHILD = r"""
import json, re, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
started = time.perf_counter()
out = {}
try:
    from fupin_desktop.exchange.sync_package import read_sync_package
    from fupin_desktop.services.sync import SyncError
    try:
        read_sync_package(sys.argv[1])
        out["outcome"] = "read"
    except SyncError as e:
        out["outcome"], out["message"] = "refused", str(e)
except MemoryError:
    out["outcome"] = "MemoryError"
out["seconds"] = time.perf_counter() - started
out["vmhwm_mb"] = int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024
print(json.dumps(out, ensure_ascii=False))
"""


@pytest.mark.parametrize("kind", ["bomb", "liar", "entries"])
def test_hostile_sync_packages(tmp_path, kit, kind):
    """The 同步包 reader (.fupin, a zip of JSON) goes through the same bounded layer."""
    if kind == "bomb":  # a 1 GB member that compresses to 1 MB
        parts = {"manifest.json": kit.Repeat(b"{", b" " * (1 << 20), 1024, b"}")}
        path = kit.write_parts(tmp_path / "bomb.fupin", parts)
    elif kind == "liar":  # headers claim 100 bytes, the member inflates to 100 MB
        parts = {"manifest.json": kit.Repeat(b"{", b" " * (1 << 20), 100, b"}")}
        path = kit.write_parts(tmp_path / "liar.fupin", parts, lie_sizes={"manifest.json": 100})
    else:  # more entries than any package has
        path = kit.write_parts(tmp_path / "entries.fupin", {f"f{i}": b"" for i in range(200_001)})
    done = subprocess.run([sys.executable, "-c", SYNC_CHILD, str(path), str(ADDRESS_SPACE)], cwd=REPO,
                          capture_output=True, text=True, timeout=2 * SECONDS)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print(path.name, report)
    assert report["outcome"] == "refused", report
    assert report["seconds"] < SECONDS and report["vmhwm_mb"] < MEGABYTES, report
    assert path.name in report["message"]
