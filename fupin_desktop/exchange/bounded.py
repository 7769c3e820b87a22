"""Reading zip containers (.xlsx workbooks, data packages) and their XML with bounded time and memory.

A 7 KB file can expand to gigabytes (a zip bomb), claim a size in its headers and hold another, carry a DTD whose
entities copy a local file into a cell (XXE) or expand to gigabytes (billion laughs). Everything read from a file
that came from elsewhere goes through :class:`BoundedZip`:

* the file size and the number of entries are checked before the zip directory is loaded;
* each part's declared size is checked before it is read, and its bytes are counted while inflating (headers can
  lie), per part and for the whole file (:class:`Limits`);
* XML parts are refused outright when their prolog holds a ``<!DOCTYPE`` (no spreadsheet writer puts one there),
  and lxml only ever parses with :func:`xml_parser` settings: no entities resolved, no network, no DTD, no huge
  trees.

Every refusal is an :class:`InputFileError` (a FupinError) with a Chinese message naming the file and the part
(``label`` maps part names to what the user knows, e.g. 工作表“花名册”).

API::

    with BoundedZip(path, limits=DEFAULT_LIMITS) as z:   # InputFileError: missing, too big, not a zip, damaged
        z.label["xl/worksheets/sheet1.xml"] = "工作表“花名册”"   # optional: how messages name a part
        z.names(); z.has(name); z.declared_size(name)
        data = z.read(name)                 # whole part as bytes (limit: limits.max_small_part or max_bytes=)
        for block in z.blocks(name): ...    # streaming, block_size bytes at a time, DOCTYPE refused (xml=True)
        fh = z.open(name)                   # file-like .read(n) for lxml.etree.iterparse, bounded and checked
        root = z.xml(name)                  # a small XML part parsed safely
        for _, el in z.iterparse(name, tag=...): ...   # lxml iterparse with the safe settings
"""
from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fupin_desktop.domain.errors import FupinError

__all__ = ["Limits", "DEFAULT_LIMITS", "InputFileError", "DamagedFileError", "BoundedZip", "xml_parser",
           "XML_SAFE", "check_prolog", "check_xlsx", "DAMAGED"]

MB = 1 << 20


class InputFileError(FupinError):
    """A file to be read (workbook, package) is unreadable, damaged, hostile or beyond the limits; the message says
    which file and part, why, and what to do."""


class DamagedFileError(InputFileError):
    """Not a zip at all, truncated, or a part that does not inflate or fails its CRC."""


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * MB  # the file on disk (a 100,000-row roster is ~10 MB)
    max_entries: int = 10_000  # parts in the zip (a workbook has a few dozen)
    max_directory_bytes: int = 4 * MB  # the zip's central directory
    max_part_bytes: int = 256 * MB  # one part, decompressed (a 100,000-row sheet is ~40 MB)
    max_total_bytes: int = 512 * MB  # all parts read from the file, decompressed
    max_small_part: int = 16 * MB  # parts read whole: workbook.xml, relationships …
    max_prolog_bytes: int = 64 * 1024  # XML declaration, comments and processing instructions before the root
    block_size: int = 4 * MB  # streaming reads


DEFAULT_LIMITS = Limits()

#: lxml parser settings for anything from outside: no entity is resolved, nothing fetched, no DTD, no huge trees.
XML_SAFE = dict(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False)

DAMAGED = "“{name}”不完整或已损坏（可能复制时中断）。请重新复制或让对方重新导出。"


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_xlsx(path: str | Path) -> None:
    """Raise a Chinese InputFileError unless ``path`` looks like a readable .xlsx (cheap: no part is read)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise InputFileError(f"找不到文件：{path}") from None
    except OSError as e:
        raise InputFileError(f"打不开文件：{path}（{e.strerror or e}）") from None
    if head.startswith(OLE2_MAGIC):
        raise InputFileError(
            f"“{path.name}”设置了打开密码（已加密），或是旧的 .xls 格式，程序无法读取。"
            "请在 Excel 或 WPS 中打开，取消密码后“另存为”Excel 工作簿（.xlsx）再导入。")
    if not head.startswith(b"PK"):
        raise InputFileError(f"“{path.name}”不是 Excel 工作簿（.xlsx）文件。请选择 .xlsx 文件。")
    with BoundedZip(path) as z:
        if not z.has("xl/workbook.xml"):
            raise InputFileError(f"“{path.name}”不是 Excel 工作簿（.xlsx）文件。请选择 .xlsx 文件。")


def xml_parser():
    """An lxml XMLParser with the :data:`XML_SAFE` settings."""
    from lxml import etree

    return etree.XMLParser(**XML_SAFE)


_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def check_prolog(head: bytes, where: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse an XML part whose prolog (what precedes the root element) holds a document type declaration —
    the door of external entities (XXE) and entity expansion (billion laughs). ``head``: the first bytes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[:2 * limits.max_prolog_bytes].decode("utf-16", "ignore")
    else:
        text = head[:limits.max_prolog_bytes].decode("utf-8", "ignore")
    text = text.lstrip("\ufeff")
    at = 0
    while at < len(text):
        m = _PROLOG_ITEM.match(text, at)
        if m is None:
            break
        at = m.end()
    rest = text[at:at + 9]
    if rest.upper().startswith("<!DOCTYPE") or rest.startswith("<!ENTITY"):
        raise InputFileError(f"{where}含有文档类型声明（DOCTYPE），这不是 Excel 或 WPS 保存的文件，可能被人为改造过"
                             "（可借此读取本机文件）。程序不读取它；请用 Excel 或 WPS 打开后另存为 .xlsx 再试。")
    if rest.startswith(("<!--", "<?")) or at >= limits.max_prolog_bytes:  # a comment that does not end in time
        raise InputFileError(f"{where}的开头异常（超过 {limits.max_prolog_bytes // 1024} KB 的注释或声明），"
                             "程序不读取它。请用 Excel 或 WPS 打开后另存为 .xlsx 再试。")


def _megabytes(n: int) -> str:
    return f"{n / MB:,.0f} MB"


class _Counted:
    """File-like view of one part: counts the bytes inflated and refuses past the limits (lxml reads from it)."""

    def __init__(self, owner: "BoundedZip", name: str, fh, limit: int):
        self.owner, self.name, self.fh, self.limit = owner, name, fh, limit
        self.count = 0
        self.checked = False

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.owner.limits.block_size
        try:
            data = self.fh.read(min(n, self.owner.limits.block_size))
        except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as e:
            raise self.owner.damaged() from e
        if not self.checked and data:
            self.checked = True
            head = data
            while len(head) < self.owner.limits.max_prolog_bytes:  # the prolog may straddle reads
                more = self.fh.read(self.owner.limits.max_prolog_bytes)
                if not more:
                    break
                head += more
            data = head
            check_prolog(head, self.owner.where(self.name), self.owner.limits)
        self.count += len(data)
        self.owner.add(self.name, len(data), self.count, self.limit)
        return data

    def close(self) -> None:
        self.fh.close()


class BoundedZip:
    """A zip file read with :class:`Limits`; see the module's docstring."""

    def __init__(self, path: str | Path, limits: Limits = DEFAULT_LIMITS):
        self.path = Path(path)
        self.limits = limits
        self.label: dict[str, str] = {}
        self.total = 0
        try:
            size = os.stat(self.path).st_size
        except FileNotFoundError:
            raise InputFileError(f"找不到文件：{self.path}") from None
        except OSError as e:
            raise InputFileError(f"打不开文件：{self.path}（{e.strerror or e}）") from None
        if size > limits.max_file_bytes:
            raise InputFileError(f"“{self.path.name}”有 {_megabytes(size)}，超过了能读取的 "
                                 f"{_megabytes(limits.max_file_bytes)}。请检查是否选错了文件。")
        try:
            self._check_directory()
            self.zip = zipfile.ZipFile(self.path)
        except InputFileError:
            raise
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as e:
            raise self.damaged() from e
        if len(self.zip.infolist()) > limits.max_entries:
            self.zip.close()
            raise self._too_many_entries()

    @classmethod
    def of(cls, z: "BoundedZip | zipfile.ZipFile", limits: Limits = DEFAULT_LIMITS) -> "BoundedZip":
        """``z`` itself, or an already open ``zipfile.ZipFile`` read through the limits (its directory was loaded
        unchecked: open files with :class:`BoundedZip` instead where you can)."""
        if isinstance(z, BoundedZip):
            return z
        self = cls.__new__(cls)
        self.path = Path(z.filename or "?")
        self.limits, self.label, self.total, self.zip = limits, {}, 0, z
        return self

    # -- the file ------------------------------------------------------------------------------------------------

    def _check_directory(self) -> None:
        """Entries and directory size from the end record, before zipfile loads the directory (a directory of a
        million entries would take hundreds of MB)."""
        end = getattr(zipfile, "_EndRecData", None)
        if end is None:  # a future Python without it: the file-size limit still bounds the directory
            return
        with open(self.path, "rb") as fh:
            record = end(fh)
        if record is None:
            raise self.damaged()
        entries, directory = record[zipfile._ECD_ENTRIES_TOTAL], record[zipfile._ECD_SIZE]
        if entries > self.limits.max_entries:
            raise self._too_many_entries()
        if directory > self.limits.max_directory_bytes:
            raise InputFileError(f"“{self.path.name}”的目录异常大（{_megabytes(directory)}），程序不读取它。")

    def _too_many_entries(self) -> InputFileError:
        return InputFileError(f"“{self.path.name}”里的部件超过 {self.limits.max_entries:,} 个，不是正常的工作簿或"
                              "数据包，程序不读取它。")

    def damaged(self) -> DamagedFileError:
        return DamagedFileError(DAMAGED.format(name=self.path.name))

    def where(self, name: str) -> str:
        """How messages name a part: its label, else the part within the file."""
        label = self.label.get(name)
        return f"“{self.path.name}”的{label}" if label else f"“{self.path.name}”中的 {name} "

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> "BoundedZip":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- parts ---------------------------------------------------------------------------------------------------

    def names(self) -> list[str]:
        return self.zip.namelist()

    def has(self, name: str) -> bool:
        return name in self.zip.NameToInfo

    def declared_size(self, name: str) -> int:
        return self.zip.getinfo(name).file_size

    def add(self, name: str, n: int, part_count: int, limit: int) -> None:
        """Count ``n`` more bytes read from ``name`` (``part_count`` so far); refuse past the limits."""
        self.total += n
        if part_count > limit:
            raise InputFileError(f"{self.where(name)}解压后超过 {_megabytes(limit)}（可能是“压缩炸弹”），"
                                 "程序不读取它。请检查文件来源。")
        if self.total > self.limits.max_total_bytes:
            raise InputFileError(f"“{self.path.name}”解压后超过 {_megabytes(self.limits.max_total_bytes)}"
                                 "（可能是“压缩炸弹”），程序不读取它。请检查文件来源。")

    def open(self, name: str, max_bytes: int | None = None) -> _Counted:
        """A file-like reader of part ``name`` (KeyError if absent): bounded, counted, DOCTYPE refused."""
        limit = self.limits.max_part_bytes if max_bytes is None else max_bytes
        info = self.zip.getinfo(name)
        self.add(name, 0, info.file_size, limit)  # the header's claim is checked first (cheap)
        try:
            fh = self.zip.open(info)
        except (zipfile.BadZipFile, EOFError, zlib.error, OSError, NotImplementedError, RuntimeError) as e:
            raise self.damaged() from e
        return _Counted(self, name, fh, limit)

    def blocks(self, name: str, max_bytes: int | None = None, xml: bool = True) -> Iterator[bytes]:
        """The bytes of part ``name`` a block at a time (``limits.block_size``)."""
        fh = self.open(name, max_bytes)
        if not xml:
            fh.checked = True
        try:
            while True:
                data = fh.read(self.limits.block_size)
                if not data:
                    return
                yield data
        finally:
            fh.close()

    def read(self, name: str, max_bytes: int | None = None, xml: bool = True) -> bytes:
        """The whole of part ``name`` (a small part: ``limits.max_small_part`` unless ``max_bytes``)."""
        return b"".join(self.blocks(name, self.limits.max_small_part if max_bytes is None else max_bytes, xml))

    def xml(self, name: str, max_bytes: int | None = None):
        """Part ``name`` parsed with the safe settings (its root element)."""
        from lxml import etree

        data = self.read(name, max_bytes)
        try:
            return etree.fromstring(data, xml_parser())
        except etree.XMLSyntaxError as e:
            raise self.syntax_error(name, e) from e

    def iterparse(self, name: str, tag: str, max_bytes: int | None = None):
        """lxml ``iterparse`` of part ``name`` with the safe settings; syntax errors become InputFileError."""
        from lxml import etree

        fh = self.open(name, max_bytes)
        try:
            yield from etree.iterparse(fh, tag=tag, **XML_SAFE)
        except etree.XMLSyntaxError as e:
            raise self.syntax_error(name, e) from e
        finally:
            fh.close()

    def syntax_error(self, name: str, e) -> InputFileError:
        line = getattr(e, "lineno", None)
        where = f"第{line}行附近" if line else ""
        return InputFileError(f"{self.where(name)}的 XML 格式有错（{where}无法解析），文件可能已损坏或被改动过。"
                              "请用 Excel 或 WPS 打开后另存为 .xlsx 再试。")
