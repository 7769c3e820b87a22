"""The workbook-level parts of an .xlsx: the list of sheets (workbook.xml and its relationships, which sheets are
hidden), the date system and the shared-string table — read through exchange.bounded within :class:`SheetLimits`.
The rows of a sheet: exchange.sheet_xml."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import NamedTuple

from fupin_desktop.exchange.bounded import MB, BoundedZip, InputFileError

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_T = re.compile(r"<t\b[^>]*>([^<]*)</t>|<t\b[^>]*/>")


@dataclass(frozen=True)
class SheetLimits:
    max_rows: int = 1_048_576  # Excel's own limit (also the highest row number accepted)
    max_columns: int = 16_384  # Excel's own limit: column XFD
    max_row_bytes: int = 8 * MB  # the XML of one row
    max_cell_chars: int = 32_767  # Excel's own limit for the text of a cell
    max_shared_bytes: int = 32 * MB  # sharedStrings.xml, decompressed (a 100,000-row roster: ~15 MB)
    max_shared_strings: int = 600_000


SHEET_LIMITS = SheetLimits()


class SheetRef(NamedTuple):
    name: str
    member: str  # the part holding the sheet's XML
    visible: bool  # False for state="hidden" / "veryHidden"


def _workbook_part(z: BoundedZip, name: str):
    if not z.has(name):
        raise InputFileError(f"“{z.path.name}”缺少 {name}，不是完整的 Excel 工作簿。请用 Excel 或 WPS 打开后"
                             "另存为 .xlsx 再试。")
    return z.xml(name)


def sheets(z: BoundedZip | zipfile.ZipFile) -> list[SheetRef]:
    """The sheets in workbook order; their parts get labels (工作表“名称”) for the messages."""
    z = BoundedZip.of(z)
    wb = _workbook_part(z, "xl/workbook.xml")
    rels = _workbook_part(z, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = []
    for s in wb.iter(f"{_NS}sheet"):
        target = (targets.get(s.get(f"{_REL_NS}id")) or "").lstrip("/")
        if not target.startswith("xl/"):
            target = "xl/" + target
        name = s.get("name") or ""
        z.label.setdefault(target, f"工作表“{name}”")
        out.append(SheetRef(name, target, s.get("state") not in ("hidden", "veryHidden")))
    return out


def sheet_paths(z: BoundedZip | zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part) of every sheet, in workbook order."""
    return [(s.name, s.member) for s in sheets(z)]


def uses_1904_dates(z: BoundedZip | zipfile.ZipFile) -> bool:
    """True when the workbook counts date serial numbers from 1904 (old Mac Excel) instead of 1900."""
    pr = _workbook_part(BoundedZip.of(z), "xl/workbook.xml").find(f"{_NS}workbookPr")
    return pr is not None and pr.get("date1904") in ("1", "true")


_SI = re.compile(r"<si>(.*?)</si>|<si/>", re.S)
_SIMPLE_SI = re.compile(r"<si><t\b[^>]*>([^<]*)</t></si>|<si><t\b[^>]*/></si>|<si/>")


_RUN_DECOR = re.compile(r"<rPr>.*?</rPr>|<rPr/>|<rPh\b.*?</rPh>|<phoneticPr\b[^>]*/>", re.S)
_JOINED_T = re.compile(r"</t><t\b[^>]*>")
SHARED = "xl/sharedStrings.xml"


def _too_many_strings(z: BoundedZip, limits: SheetLimits) -> InputFileError:
    return InputFileError(f"{z.where(SHARED)}有超过 {limits.max_shared_strings:,} 个共享字符串，不是正常的花名册或"
                          "数据包，程序不读取它。")


def shared_strings(z: BoundedZip | zipfile.ZipFile, limits: SheetLimits = SHEET_LIMITS) -> list[str]:
    from html import unescape

    z = BoundedZip.of(z)
    if not z.has(SHARED):
        return []
    z.label.setdefault(SHARED, "共享字符串表（sharedStrings.xml）")
    raw = z.read(SHARED, limits.max_shared_bytes)
    try:
        data = raw.decode("utf-8")
    except UnicodeDecodeError:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (rare): lxml reads it
            del raw
            return _shared_strings_lxml(z, limits)
        raise z.damaged() from None
    del raw
    if "<si" not in data:  # namespace prefixes: let lxml read it
        return _shared_strings_lxml(z, limits)
    expected = data.count("<si>") + data.count("<si/>")
    if expected > limits.max_shared_strings or data.count("<si") > limits.max_shared_strings:
        raise _too_many_strings(z, limits)
    simple = _SIMPLE_SI.findall(data)
    if len(simple) != expected and "<r>" in data:
        # Rich text (LibreOffice writes mixed Chinese/Latin text as runs with their fonts): drop the run
        # properties, phonetic hints and run tags, join adjacent texts — then most strings are simple again.
        flat = _JOINED_T.sub("", _RUN_DECOR.sub("", data).replace("<r>", "").replace("</r>", ""))
        simple = _SIMPLE_SI.findall(flat)
        del flat
    if len(simple) == expected:
        return [unescape(x) if "&" in x else x for x in simple]
    out = []
    for inner in _SI.findall(data):
        if inner.startswith("<t>") and inner.endswith("</t>") and inner.count("<") == 2:
            text = inner[3:-4]
        else:  # rich text runs, phonetic hints (<rPh>) excluded
            if "<rPh" in inner:
                inner = re.sub(r"<rPh\b.*?</rPh>", "", inner, flags=re.S)
            text = "".join(x or "" for x in _T.findall(inner))
        out.append(unescape(text) if "&" in text else text)
    return out


def _shared_strings_lxml(z: BoundedZip, limits: SheetLimits = SHEET_LIMITS) -> list[str]:
    out = []
    for _, si in z.iterparse(SHARED, f"{_NS}si", limits.max_shared_bytes):
        out.append("".join(t.text or "" for t in si.iter(f"{_NS}t")))
        si.clear()
        if len(out) > limits.max_shared_strings:
            raise _too_many_strings(z, limits)
    return out
