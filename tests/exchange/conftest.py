"""Fixtures of the exchange tests: roster workbooks written the way people keep them."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fupin_desktop.domain.idcard import make_id

ROSTER_HEADERS = ["序号", "姓名", "与户主关系", "户编号", "证件号码", "出生日期", "联系电话", "民族", "村民小组"]


def person_id(n: int) -> str:
    """A valid, unique ID number for person n (born 1950…2009)."""
    born = date(1950 + n % 60, 1 + n % 12, 1 + n % 28)
    return make_id("130204", born, n % 1000)


def roster_rows(households: int, per_household: int = 3, start: int = 0) -> list[list]:
    rows = []
    relations = ["户主", "配偶", "之子", "之女", "之孙子"]
    n = start * per_household
    for h in range(start, start + households):
        for k in range(per_household):
            pid = person_id(n)
            born = date(int(pid[6:10]), int(pid[10:12]), int(pid[12:14]))
            rows.append([len(rows) + 1, f"张{h}{'甲乙丙丁戊'[k]}", relations[k], f"1302042032130{h:05d}", pid,
                         born, "13812345678" if k == 0 else None, "汉族", f"{1 + h % 5}组"])
            n += 1
    return rows


def write_roster(path: Path, rows: list[list], headers=ROSTER_HEADERS, title: str | None = "东兴村农户花名册") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.append(["填报单位：东兴村", None, None, None, None, "2024年6月"])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def roster_file(tmp_path):
    def make(rows, **kw):
        return write_roster(tmp_path / "roster.xlsx", rows, **kw)
    return make


@pytest.fixture
def kit():
    """Helper functions for tests (importlib mode: tests cannot import conftest)."""
    import types

    return types.SimpleNamespace(person_id=person_id, roster_rows=roster_rows, write_roster=write_roster,
                                 headers=list(ROSTER_HEADERS), write_parts=write_parts, write_workbook=write_workbook,
                                 Repeat=Repeat, inline_row=inline_row, sheet_of=sheet_of, MAIN_NS=MAIN_NS)


# --- hand-made workbooks (hostile files are built here, small generators: nothing big is checked in) -----------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Repeat:
    """A part of ``head + chunk × count + tail`` bytes, compressed without ever holding it: ``chunk`` is deflated
    once (with a full flush, so the compressed pieces can be concatenated) and repeated."""

    def __init__(self, head: bytes, chunk: bytes, count: int, tail: bytes = b""):
        self.head, self.chunk, self.count, self.tail = head, chunk, count, tail


def _deflate_part(data) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, uncompressed size) of bytes or a :class:`Repeat`."""
    import zlib

    if isinstance(data, str):
        data = data.encode("utf-8")
    if isinstance(data, bytes):
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(), zlib.crc32(data), len(data)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(data.head) + c.flush(zlib.Z_FULL_FLUSH)
    chunk = c.compress(data.chunk) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.compress(data.tail) + c.flush()
    crc = zlib.crc32(data.head)
    for _ in range(data.count):
        crc = zlib.crc32(data.chunk, crc)
    crc = zlib.crc32(data.tail, crc)
    return head + chunk * data.count + tail, crc, len(data.head) + len(data.chunk) * data.count + len(data.tail)


def write_parts(path: Path, parts: dict, lie_sizes: dict | None = None) -> Path:
    """A zip of these parts (name → bytes/str/:class:`Repeat`), written by hand so that a part can be far larger
    than the file (and, with ``lie_sizes`` name → size, its headers can claim another size)."""
    import struct

    lie_sizes = lie_sizes or {}
    central = []
    with open(path, "wb") as fh:
        for name, data in parts.items():
            raw, crc, size = _deflate_part(data)
            claimed = lie_sizes.get(name, size)
            encoded = name.encode("utf-8")
            offset = fh.tell()
            fh.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0x800, 8, 0, 0x21, crc, len(raw), claimed,
                                 len(encoded), 0) + encoded)
            fh.write(raw)
            central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0x800, 8, 0, 0x21, crc, len(raw),
                                   claimed, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
        start = fh.tell()
        central = b"".join(central)
        fh.write(central)
        count = len(parts)
        if count > 0xFFFF:  # zip64 end records carry the real count
            at = fh.tell()
            fh.write(struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(central), start))
            fh.write(struct.pack("<4sIQI", b"PK\x06\x07", 0, at, 1))
            count = 0xFFFF
        fh.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), start, 0))
    return path


def write_workbook(path: Path, sheets, shared=None, *, workbook_extra: str = "", lie_sizes=None,
                   omit: tuple[str, ...] = ()) -> Path:
    """A minimal .xlsx: ``sheets`` is a list of (name, sheet XML or Repeat[, state]) — state "hidden" hides the
    sheet; ``shared`` the whole sharedStrings.xml (str/bytes/Repeat) or a list of texts."""
    if isinstance(shared, list):
        shared = f'<sst xmlns="{MAIN_NS}">' + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>"
    entries, rels = [], []
    parts = {"[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                    'package/2006/content-types"/>'}
    for n, (name, xml, *state) in enumerate(sheets, start=1):
        hidden = f' state="{state[0]}"' if state else ""
        entries.append(f'<sheet name="{name}" sheetId="{n}"{hidden} r:id="rId{n}"/>')
        rels.append(f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml" Type="x"/>')
        parts[f"xl/worksheets/sheet{n}.xml"] = xml
    parts["xl/workbook.xml"] = (f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{workbook_extra}<sheets>'
                                + "".join(entries) + "</sheets></workbook>")
    parts["xl/_rels/workbook.xml.rels"] = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                           'relationships">' + "".join(rels) + "</Relationships>")
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    for name in omit:
        parts.pop(name, None)
    return write_parts(path, parts, lie_sizes)


def inline_row(r: int, values: list, prefix: str = "") -> str:
    """One sheet row of inline-string cells (None = no cell)."""
    from xml.sax.saxutils import escape

    cells = []
    for i, v in enumerate(values):
        if v is None:
            continue
        letters = ""
        k = i + 1
        while k:
            k, rest = divmod(k - 1, 26)
            letters = chr(65 + rest) + letters
        cells.append(f'<{prefix}c r="{letters}{r}" t="inlineStr"><{prefix}is><{prefix}t>{escape(str(v))}'
                     f"</{prefix}t></{prefix}is></{prefix}c>")
    return f'<{prefix}row r="{r}">' + "".join(cells) + f"</{prefix}row>"


def sheet_of(rows: list[list], prefix: str = "", doctype: str = "") -> str:
    """A sheet XML of these rows (row 1 first) as inline strings; ``prefix`` "x:" writes namespace prefixes."""
    ns = f'xmlns:x="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    body = "".join(inline_row(r, values, prefix) for r, values in enumerate(rows, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<{prefix}worksheet {ns}><{prefix}sheetData>{body}'
            f"</{prefix}sheetData></{prefix}worksheet>")
