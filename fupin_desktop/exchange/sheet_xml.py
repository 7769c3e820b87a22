"""Reading the rows of an .xlsx sheet fast: the sheet XML is scanned with regular expressions a few MB at a time.

:func:`iter_rows` yields (Excel row number, cell values) — numbers as int/float, text as str — and, given the
wanted column indexes, decodes only those cells. Namespace-prefixed sheets and anything the scanner does not
recognise go through lxml (:func:`iter_rows_lxml`). Used by the roster import (exchange.roster).

Every read goes through exchange.bounded (zip bombs, lying headers, DOCTYPE/XXE refused) and within
:class:`SheetLimits` (rows, columns, bytes per row, shared strings): a hostile workbook ends in a Chinese
:class:`~fupin_desktop.exchange.bounded.InputFileError` naming the sheet, row and column, never in a traceback
or gigabytes of memory. The functions take a :class:`~fupin_desktop.exchange.bounded.BoundedZip` (an open
``zipfile.ZipFile`` is wrapped, for older callers).
"""
from __future__ import annotations

import operator
import re
import zipfile
from collections.abc import Iterator, Mapping
from typing import Any

from fupin_desktop.exchange.bounded import MB, BoundedZip, InputFileError
from fupin_desktop.exchange.workbook_xml import (  # noqa: F401 - the workbook-level parts, re-exported for callers
    _NS, _T, SHEET_LIMITS, SheetLimits, SheetRef, shared_strings, sheet_paths, sheets, uses_1904_dates)

_COL = re.compile(r"[A-Z]+")


class _BadColumn(ValueError):
    """A cell reference beyond column XFD (or not a column at all)."""


def col_index(ref: str) -> int:
    m = _COL.match(ref)
    letters = m.group(0) if m else ""
    if not letters or len(letters) > 3:
        raise _BadColumn(ref)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    if n > SHEET_LIMITS.max_columns:
        raise _BadColumn(ref)
    return n - 1


_CHARREF = re.compile(r"(&#(?:x[0-9a-fA-F]+|[0-9]+);)")
_ROW = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(r'\br="([A-Z]+)(\d*)"')
_ROWNUM = re.compile(r'\br="(\d+)"')
_TYPE = re.compile(r'\bt="(\w+)"')
_V = re.compile(r"<v>([^<]*)</v>")
_PREFIXED_SHEET = re.compile(rb"<\w+:sheetData\b")
_AFTER_ROW_TAG = frozenset(" \t\r\n>/")


# The common shapes of a cell in one expression: (column letters, type, <v> text, inline <t> text).
_FAST_CELL = re.compile(
    r'<c r="([A-Z]+)\d+"(?: s="\d+")?(?: t="(\w+)")?(?: s="\d+")?\s*'
    r'(?:/>|>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?(?:<v>([^<]*)</v>|<v/>)?(?:<is><t\b[^>]*>([^<]*)</t></is>)?</c>)')

def _col_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _decode_block(z: BoundedZip, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise z.damaged() from e


def _decode_refs(text: str, refs: dict[str, str]) -> str:
    """``text`` with character references of non-ASCII characters decoded (``&#26576;`` → 某).

    Splitting on the references and mapping the (few distinct) references through a dict does this in C loops;
    references to ASCII characters (``&#60;``) stay for :func:`html.unescape`, which must see them as written.
    """
    parts = _CHARREF.split(text)
    found = parts[1::2]
    for ref in set(found).difference(refs):
        body = ref[2:-1]
        code = int(body[1:], 16) if body[0] == "x" else int(body)
        refs[ref] = chr(code) if 0x80 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else ref
    parts[1::2] = map(refs.__getitem__, found)
    return "".join(parts)


class _Unescape:
    """Text of a cell as written in the XML (only called when it holds an ``&``) → str, remembered per distinct
    text. Some writers store every Chinese character as ``&#26576;``: a roster repeats most of its texts."""

    def __init__(self):
        from html import unescape

        self.html = unescape
        self.refs: dict[str, str] = {}
        self.done: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        hit = self.done.get(text)
        if hit is None:
            hit = _decode_refs(text, self.refs) if "&#" in text else text
            if "&" in hit:
                hit = self.html(hit)
            if len(self.done) < 200_000:
                self.done[text] = hit
        return hit


def _sheet_blocks(z: BoundedZip, member: str, limits: SheetLimits) -> Iterator[str]:
    """The sheet XML as text pieces that each end just before a ``<row`` (so every piece holds whole rows)."""
    carry = b""
    for block in z.blocks(member):
        buf = carry + block if carry else block
        cut = buf.rfind(b"<row")
        if cut <= 0:  # no row starts in here yet (or one row longer than a block): read on
            if len(buf) > limits.max_row_bytes:
                raise _row_too_long(z, member, buf, limits)
            carry = buf
            continue
        carry = buf[cut:]
        yield _decode_block(z, buf[:cut])
    if carry:
        yield _decode_block(z, carry)


def _row_too_long(z: BoundedZip, member: str, buf: bytes, limits: SheetLimits) -> InputFileError:
    m = _ROWNUM.search(buf[:200].decode("utf-8", "ignore")) if buf.startswith(b"<row") else None
    where = f"{z.where(member)}第{m.group(1)}行" if m else z.where(member)
    return InputFileError(f"{where}超过 {limits.max_row_bytes // MB} MB，不是正常的表格（可能是“压缩炸弹”），"
                          "程序不读取它。请检查文件来源。")


def _open_sheet(z: BoundedZip, member: str) -> bytes:
    """The first bytes of a sheet (its prolog checked); a missing part is a Chinese error."""
    if not z.has(member):
        raise InputFileError(f"“{z.path.name}”缺少{z.label.get(member, member)}的内容（{member}），文件不完整。"
                             "请用 Excel 或 WPS 打开后另存为 .xlsx 再试。")
    fh = z.open(member)
    try:
        return fh.read(1 << 16)
    finally:
        fh.close()


def _sheet_is_prefixed(z: BoundedZip, member: str) -> bool:
    """True for sheets written with namespace prefixes (``<x:row>``): those go through lxml."""
    head = _open_sheet(z, member)
    return bool(_PREFIXED_SHEET.search(head)) and b"<sheetData" not in head


def _value_problem(t: str, v: str, strings: list[str]) -> str | None:
    """What is wrong with a cell's <v> text for its type (None: nothing)."""
    if t == "s":
        if not v:
            return None
        if not v.strip().isdigit():
            return f"共享字符串编号“{v[:20]}”不是数字，文件可能已损坏"
        if int(v) >= len(strings):
            return f"引用了不存在的共享字符串（第{int(v)}项，文件里只有{len(strings)}项），文件可能已损坏"
        return None
    if (not t or t == "n") and v:
        try:
            float(v) if ("." in v or "E" in v or "e" in v) else int(v)
        except ValueError:
            return f"应为数字，现在是“{v[:20]}”，文件可能已损坏或被改动过"
    return None


def _row_problem(z: BoundedZip, member: str, number: int, cells: list[tuple[str, str, str]], strings: list[str],
                 exc: BaseException) -> InputFileError:
    """The Chinese error for a row that could not be decoded: which cell and why. ``cells``: (reference, type,
    <v> text) of the row's cells."""
    where = f"{z.where(member)}第{number}行"
    if isinstance(exc, _BadColumn):
        return InputFileError(f"{where}的单元格 {exc.args[0]} 超出了 Excel 的最大列 XFD（第16,384列），不是正常的表格，"
                              "程序不读取它。")
    for ref, t, v in cells:
        problem = _value_problem(t, v, strings)
        if problem:
            letters = ref.rstrip("0123456789") or "?"
            return InputFileError(f"{where}{letters}列（{ref or '无编号的单元格'}）：{problem}。")
    return InputFileError(f"{where}无法读取（单元格不符合 Excel 格式），文件可能已损坏或被改动过。")


def _cells_of(body: str) -> list[tuple[str, str, str]]:
    out = []
    for attrs, inner in _CELL.findall(body or ""):
        ref, t, v = _REF.search(attrs), _TYPE.search(attrs), _V.search(inner or "")
        out.append((ref.group(1) + ref.group(2) if ref else "", t.group(1) if t else "", v.group(1) if v else ""))
    return out


def _slow_values(body: str, strings: list[str], columns: dict[str, int], unescape) -> list[Any]:
    """Cell values of one row in any shape the fast expression does not cover (attributes in another order,
    rich inline text, cells without a reference…)."""
    values: list[Any] = []
    append = values.append
    for cell_attrs, inner in _CELL.findall(body):
        m = _REF.search(cell_attrs)
        if m:
            letters = m.group(1)
            idx = columns.get(letters)
            if idx is None:
                idx = columns[letters] = col_index(letters)
            if idx > len(values):
                values.extend([None] * (idx - len(values)))
        if len(values) >= SHEET_LIMITS.max_columns:
            raise _BadColumn(f"第{len(values) + 1:,}个单元格")
        if not inner:
            append(None)
            continue
        m = _TYPE.search(cell_attrs)
        t = m.group(1) if m else None
        if t == "inlineStr":
            text = "".join(x or "" for x in _T.findall(inner))
            append(unescape(text) if "&" in text else text)
            continue
        m = _V.search(inner)
        append(None if m is None else _cell_value(t or "", m.group(1), "", strings, unescape))
    return values


def _cell_value(t: str, v: str, inline: str, strings: list[str], unescape) -> Any:
    """Value of a cell from its type (``t``), its <v> text and its inline text, as written in the XML."""
    if t == "s":
        return strings[int(v)] if v else None
    if t == "inlineStr":
        return unescape(inline) if "&" in inline else inline
    if not v:
        return None
    if not t or t == "n":
        return float(v) if ("." in v or "E" in v or "e" in v) else int(v)
    if t == "b":
        return v == "1"
    return unescape(v) if "&" in v else v  # str (formula result), e (error), d (ISO date)


_EMPTY_CELL = r'<c r="{0}\d+"(?: s="\d+")?(?: t="\w+")?(?: s="\d+")?\s*/>'
_TYPED_CELL = {  # a column whose cells all had one type while learning: capture just the text
    "inlineStr": r'<c r="{0}\d+"(?: s="\d+")? t="inlineStr"(?: s="\d+")?\s*><is><t\b[^>]*>([^<]*)</t></is></c>',
    "s": r'<c r="{0}\d+"(?: s="\d+")? t="s"(?: s="\d+")?\s*><v>([^<]+)</v></c>',
    "n": r'<c r="{0}\d+"(?: s="\d+")?(?: t="n")?(?: s="\d+")?\s*>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?'
         r"<v>([^<]+)</v></c>",
}


def _row_expression(letters: set[str], wanted: list[str],
                    kinds: Mapping[str, set[str]]) -> tuple[re.Pattern, list[tuple[str, int | None]]]:
    """An expression matching a whole row of cells of these columns (each optional, in column order) and, per
    wanted column, (kind, group index): kind "inlineStr", "s" or "n" when every cell of the column seen so far
    had that type (one group: its text), otherwise "any" (three groups: type, <v> text, inline text, shaped as
    ``_FAST_CELL``). Possessive quantifiers: a row that does not fit fails fast and takes the general way."""
    parts = []
    slots: dict[str, tuple[str, int]] = {}
    group = 0
    for x in sorted(letters, key=col_index):
        typed = kinds.get(x, set()) - {""}
        if x in wanted and len(typed) == 1 and next(iter(typed)) in _TYPED_CELL:
            kind = next(iter(typed))
            slots[x] = (kind, group)
            group += 1
            parts.append(f"(?:{_TYPED_CELL[kind].format(x)}|{_EMPTY_CELL.format(x)})?+")
            continue
        if x in wanted:
            slots[x] = ("any", group)
            group += 3
            t, v, inline = r'(?: t="(\w+)")?', r"(?:<v>([^<]*)</v>|<v/>)?", r"(?:<is><t\b[^>]*>([^<]*)</t></is>)?"
        else:
            t, v, inline = r'(?: t="\w+")?', r"(?:<v>[^<]*</v>|<v/>)?", r"(?:<is><t\b[^>]*>[^<]*</t></is>)?"
        parts.append(rf'(?:<c r="{x}\d+"(?: s="\d+")?{t}(?: s="\d+")?\s*'
                     rf"(?:/>|>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?{v}{inline}</c>))?+")
    return re.compile("".join(parts)), [slots.get(x, ("none", None)) for x in wanted]


def iter_rows(z: BoundedZip | zipfile.ZipFile, member: str, strings: list[str], wanted: list[int] | None = None,
              limits: SheetLimits = SHEET_LIMITS) -> Iterator[tuple[int, list[Any]]]:
    """(Excel row number, cell values) of every row; numbers as int/float, text as str.

    With ``wanted`` (column indexes) only those cells are decoded, in that order (None for a missing cell) —
    the hot loop of a 100,000-row import looks at no other cell. Sheets written without namespace prefixes
    (Excel, WPS, LibreOffice, openpyxl) are scanned with regular expressions a few MB at a time (~4× faster
    than element objects); anything else goes through lxml. A cell that cannot be decoded (a shared-string number
    out of range, text where a number belongs, a column beyond XFD), a row beyond the limits or XML that breaks
    off end in an InputFileError naming the sheet, row and column.
    """
    z = BoundedZip.of(z)
    if _sheet_is_prefixed(z, member):
        for number, values in iter_rows_lxml(z, member, strings, limits):
            if wanted is not None:
                n = len(values)
                values = [values[i] if i < n else None for i in wanted]
            yield number, values
        return
    unescape = _Unescape()
    unescaped = unescape.done.get  # the texts already unescaped (no call into _Unescape for a repeated text)
    columns: dict[str, int] = {}
    letters_wanted = [_col_letters(i) for i in wanted] if wanted is not None else None
    first = operator.itemgetter(0)
    number = 0
    # Once the columns of the sheet are known, one expression matches a whole row and captures just the wanted
    # cells (no per-cell tuples, lookups or checks in Python); rows it does not fit take the general way.
    row_pattern: re.Pattern | None = None
    bases: list[tuple[str, int | None]] = []
    seen_letters: set[str] = set()
    kinds: dict[str, set[str]] = {}  # column letters → cell types seen ("" = empty cell)
    learned = compiled = 0
    valid_letters: set[str] = set()  # column letters checked to be within XFD
    count = 0
    body = ""
    try:
        for text in _sheet_blocks(z, member, limits):
            pieces = text.split("<row")  # one row per piece (C speed; a lazy regex over the block is 3× slower)
            for i in range(1, len(pieces)):  # pieces[0]: what precedes the first row of the block
                piece = pieces[i]
                if not piece or piece[0] not in _AFTER_ROW_TAG:  # <rowBreaks> and the like
                    continue
                gt = piece.find(">")
                m = _ROWNUM.search(piece, 0, gt) if gt >= 0 else None
                number = int(m.group(1)) if m else number + 1
                count += 1
                if number > limits.max_rows or count > limits.max_rows:
                    raise _too_many_rows(z, member, limits)
                end = piece.rfind("</row>") if gt >= 0 and not piece[:gt].endswith("/") else gt
                if end < 0:
                    raise InputFileError(f"{z.where(member)}第{number}行的 XML 不完整（没有结束），文件可能已损坏或"
                                         "被改动过。请用 Excel 或 WPS 打开后另存为 .xlsx 再试。")
                body = piece[gt + 1:end] if end > gt else ""
                if not body:
                    yield number, ([None] * len(wanted) if wanted is not None else [])
                    continue
                if row_pattern is not None:
                    m = row_pattern.fullmatch(body)
                    if m is not None:
                        g = m.groups()
                        values = []
                        append = values.append
                        for kind, base in bases:
                            if kind == "inlineStr":
                                v = g[base]
                                if v is not None and "&" in v:
                                    v = unescaped(v) or unescape(v)
                                append(v)
                            elif kind == "s":
                                v = g[base]
                                append(None if v is None else strings[int(v)])
                            elif kind == "n":
                                v = g[base]
                                append(None if v is None else _cell_value("n", v, "", strings, unescape))
                            elif kind == "any":
                                append(_cell_value(g[base] or "", g[base + 1] or "", g[base + 2] or "", strings,
                                                   unescape))
                            else:
                                append(None)
                        yield number, values
                        continue
                fast = _FAST_CELL.findall(body)
                if len(fast) != body.count("<c"):  # some cell of another shape: the general reader for this row
                    values = _slow_values(body, strings, columns, unescape)
                    if wanted is not None:
                        n = len(values)
                        values = [values[i] if i < n else None for i in wanted]
                    yield number, values
                    continue
                values = []
                append = values.append
                if letters_wanted is None:
                    for letters, t, v, inline in fast:
                        idx = columns.get(letters)
                        if idx is None:
                            idx = columns[letters] = col_index(letters)
                        if idx > len(values):
                            values.extend([None] * (idx - len(values)))
                        append(_cell_value(t, v, inline, strings, unescape))
                    yield number, values
                    continue
                by_letters = dict(zip(map(first, fast), fast))
                if not valid_letters.issuperset(by_letters):  # a column not seen yet: within XFD?
                    for letters in by_letters:
                        col_index(letters)
                    valid_letters.update(by_letters)
                for c in map(by_letters.get, letters_wanted):
                    if c is None:
                        append(None)
                        continue
                    t = c[1]
                    if t == "inlineStr":
                        v = c[3]
                        append(unescape(v) if "&" in v else v)
                    elif t == "s":
                        v = c[2]
                        append(strings[int(v)] if v else None)
                    else:
                        append(_cell_value(t, c[2], c[3], strings, unescape))
                yield number, values
                if compiled >= 5:
                    continue
                learned += 1
                fits = seen_letters.issuperset(by_letters)
                for letters, t, v, inline in fast:
                    kind = (t or "n") if (v or inline) else ("inlineStr" if t == "inlineStr" else "")
                    known = kinds.setdefault(letters, set())
                    if kind not in known:
                        known.add(kind)
                        fits = False
                if not fits:
                    seen_letters.update(by_letters)
                    if row_pattern is not None:
                        learned = 0  # a new column or type: learn a little longer, then build the expression again
                        row_pattern = None
                if row_pattern is None and learned >= 20:
                    row_pattern, bases = _row_expression(seen_letters, letters_wanted, kinds)
                    compiled += 1
    except (ValueError, IndexError) as e:  # a cell the fast ways could not decode: say which
        raise _row_problem(z, member, number, _cells_of(body), strings, e) from None
    if number == 0:  # not a single row found by the scanner: let lxml have a look (prefixes deeper down…)
        for number, values in iter_rows_lxml(z, member, strings, limits):
            if wanted is not None:
                n = len(values)
                values = [values[i] if i < n else None for i in wanted]
            yield number, values


def _too_many_rows(z: BoundedZip, member: str, limits: SheetLimits) -> InputFileError:
    return InputFileError(f"{z.where(member)}超过 {limits.max_rows:,} 行（Excel 的最大行数），不是正常的表格，"
                          "程序不读取它。")


def iter_rows_lxml(z: BoundedZip | zipfile.ZipFile, member: str, strings: list[str],
                   limits: SheetLimits = SHEET_LIMITS) -> Iterator[tuple[int, list[Any]]]:
    """(Excel row number, cell values) of every row; numbers as int/float, text as str.

    Hot loop of a 100,000-row import: direct children only, one dict lookup for the column of a cell reference.
    Parsed with the safe settings (exchange.bounded); a row's cells and bytes are counted while they arrive, so an
    endless row stops at the limits instead of filling the memory.
    """
    from lxml import etree

    from fupin_desktop.exchange.bounded import XML_SAFE

    z = BoundedZip.of(z)
    _open_sheet(z, member)
    row_tag, c_tag = f"{_NS}row", f"{_NS}c"
    v_tag, is_tag, t_tag = f"{_NS}v", f"{_NS}is", f"{_NS}t"
    columns: dict[str, int] = {}
    digits = "0123456789"
    number = count = cells = 0
    row = None
    fh = z.open(member)
    row_start = 0
    try:
        for _, el in etree.iterparse(fh, events=("end",), tag=(row_tag, c_tag), **XML_SAFE):
            if el.tag == c_tag:  # a cell of the row being read: count it
                cells += 1
                if cells > limits.max_columns:
                    raise _BadColumn(f"第{cells:,}个单元格")
                if fh.count - row_start > limits.max_row_bytes + (1 << 20):
                    raise InputFileError(f"{z.where(member)}第{number + 1}行超过 {limits.max_row_bytes // MB} MB，"
                                         "不是正常的表格（可能是“压缩炸弹”），程序不读取它。请检查文件来源。")
                continue
            row = el
            r = row.get("r")
            number = int(r) if r and r.isdigit() else number + 1
            count += 1
            if number > limits.max_rows or count > limits.max_rows:
                raise _too_many_rows(z, member, limits)
            values: list[Any] = []
            append = values.append
            for c in row:
                ref = c.get("r")
                if ref is not None:
                    letters = ref.rstrip(digits)
                    idx = columns.get(letters)
                    if idx is None:
                        idx = columns[letters] = col_index(letters)
                    if idx > len(values):
                        values.extend([None] * (idx - len(values)))
                if not len(c):
                    append(None)
                    continue
                node = c[-1]  # <v> (after an optional <f>) or <is>
                t = c.get("t")
                if node.tag == is_tag:
                    append("".join(x.text or "" for x in node.iter(t_tag)))
                    continue
                text = node.text if node.tag == v_tag else None
                append(_cell_value(t or "", text or "", text or "", strings, _as_is))  # lxml decoded the text
            yield number, values
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
            row = None
            cells = 0
            row_start = fh.count
    except etree.XMLSyntaxError as e:
        raise z.syntax_error(member, e) from e
    except (ValueError, IndexError) as e:
        cells_of = [] if row is None else [
            (c.get("r") or "", c.get("t") or "", (c.find(v_tag).text or "") if c.find(v_tag) is not None else "")
            for c in row]
        raise _row_problem(z, member, number if row is not None else number + 1, cells_of, strings, e) from None
    finally:
        fh.close()


def _as_is(text: str) -> str:
    return text
