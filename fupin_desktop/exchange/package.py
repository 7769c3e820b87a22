"""The upward package: one .xlsx with a 说明 sheet and one sheet per ledger (domain.md §7).

Written with openpyxl's write-only mode (streams rows, flat memory) and lxml. A person can use the workbook as it
is (Chinese headers, widths, frozen header, auto-filter, IDs as text, dates as dates, money as numbers with two
decimals, A4 landscape fit to width, header row on every page, 第 &P 页 共 &N 页); the program reads it back for
merges no more (merging is by 同步包; the Excel export people read is exchange/report_book.py). The 说明 sheet carries a SHA-256 over every data sheet's header and cells, so a receiver can tell a
complete, untouched file. Personal numbers are masked unless a full export is asked for (and audited).
Masked packages show each member's age on the export date (年龄) instead of the 出生日期: a birth date beside a
masked 身份证号 would rebuild it (domain/privacy.py). ``public=True`` writes the 公示 (public notice) version:
masked, and without health, disability, income and free text (see :data:`PUBLIC_DROPPED_SHEETS`,
:data:`PUBLIC_DROPPED_FIELDS` and :func:`public_column`); it is for posting, not for merging.
"""
from __future__ import annotations

import copy
import hashlib
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fupin_desktop import __version__
from fupin_desktop.domain.privacy import AGE_TITLE, age_on, mask_bank, mask_id, mask_phone
from fupin_desktop.exchange.bounded import InputFileError
from fupin_desktop.exchange.ledgers import (
    BANK_FIELDS, BIRTH_FIELDS, HOUSEHOLD_NUMBER, ID_FIELDS, PHONE_FIELDS, SHEETS, Column, Sheet, build_columns,
    canonical, inert_row,
)
from fupin_desktop.fileio import atomic_path

__all__ = ["export_package", "ExportResult", "PackageError", "INFO_SHEET",
           "period_text", "PUBLIC_DROPPED_SHEETS", "PUBLIC_DROPPED_FIELDS", "PUBLIC_LABEL", "public_column",
           "PUBLIC_NOTICE"]

INFO_SHEET = "说明"
FORMAT_NAME = "驻村帮扶工作台数据包"
FORMAT_VERSION = "1"
# 公示版: what a public notice must not carry at all (not even masked): health, disability, income.
PUBLIC_LABEL = "公示版"
PUBLIC_DROPPED_SHEETS = frozenset({
    "household_income",  # 收支情况
    "measure",  # 帮扶措施: 健康帮扶 and its content say who is ill
    "visit_check",  # 两不愁三保障核查: 基本医疗 not secured is a health finding
})
PUBLIC_DROPPED_FIELDS: dict[str, frozenset[str]] = {
    "household": frozenset({"risk_types", "poverty_causes", "bank_account"}),  # 因病/因残 risks and causes
    "member": frozenset({"health", "disability_category", "disability_level"}),
    "monitoring_step": frozenset({"risk_types"}),
}
# Free text is left out of the 公示版 (no record carries a "may be made public" mark): of the text columns without a
# code list only these stay — names, numbers and the record's own structure, never typed-in findings or notes.
PUBLIC_TEXT_FIELDS = frozenset({
    HOUSEHOLD_NUMBER, "number", "name", "head_name", "group_name", "natural_village", "person_number",
    "head_id_number", "id_number", "phone", "division_code", "province", "city", "county", "township",
    "dispatch_unit", "unit", "position", "target_kind", "target_name", "handler", "signed_by", "buyer_unit",
    "product", "supplier", "origin", "spec", "receipt_number", "actor", "area",
})
PUBLIC_TEXT_TABLES = frozenset({"project"})  # 项目公示: a project's texts describe public works, not people
PUBLIC_NOTICE = (f"本文件为{PUBLIC_LABEL}，供张贴公示：只含可以公开的列，不含个人敏感信息（无“收支情况”“帮扶措施”"
                 "“两不愁三保障核查”表，无风险类型、致贫原因和银行账号）和任何文字记录（走访情况、问题描述、日记、备注等），"
                 "家庭成员只列年龄（导出之日的周岁），身份证号只显示前6位，电话已部分隐藏。公示版不能用于合并。")


def public_column(table: str, col: Column) -> bool:
    """Whether a column may appear in the 公示版."""
    if col.field in PUBLIC_DROPPED_FIELDS.get(table, ()):
        return False
    if col.kind == "text" and not col.codes and table not in PUBLIC_TEXT_TABLES:
        return col.field in PUBLIC_TEXT_FIELDS
    return True


def masked_columns(columns: list[Column]) -> list[Column]:
    """The birth date becomes the age (the writer computes it on the export date)."""
    return [Column(c.field, AGE_TITLE, "int", c.nullable) if c.field in BIRTH_FIELDS else c for c in columns]

Progress = Callable[[int, int, str], None]
CancelCheck = Callable[[], None]


# A package (or roster file) could not be read; the message says why and what to do. One class with the errors of
# the bounded reader (exchange.bounded), so that callers catch either name.
PackageError = InputFileError


@dataclass(frozen=True)
class ExportResult:
    path: Path
    counts: dict[str, int]
    checksum: str
    masked: bool
    public: bool = False


def period_text(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return "全部"
    a = f"{start.year}年{start.month}月{start.day}日" if start else "最早"
    b = f"{end.year}年{end.month}月{end.day}日" if end else "现在"
    return f"{a}至{b}"


# --- writing -------------------------------------------------------------------------------------------------------


def _cleaner():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _setup_sheet(ws, columns: list[Column], village: str, title: str) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    for i, col in enumerate(columns, start=1):
        dim = ws.column_dimensions[_column_letter(i)]
        dim.width = col.width
        if col.is_text_number:
            dim.number_format = "@"
        if col.is_technical:
            dim.hidden = True
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = True
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddHeader.center.text = f"{village}{title}".replace("&", "&&")
    ws.oddHeader.center.size = 12
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def _header_cells(ws, columns: list[Column]) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    proto = WriteOnlyCell(ws)
    thin = Side(style="thin", color="999999")
    proto.font = Font(bold=True)
    proto.fill = PatternFill("solid", fgColor="DDE7F0")
    proto.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    proto.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    out = []
    for col in columns:
        c = WriteOnlyCell(ws, value=col.title)
        c._style = copy.copy(proto._style)  # one style lookup per sheet, not four per cell
        out.append(c)
    return out


def _as_date(v: Any) -> date:
    return date.fromisoformat(v[:10]) if v.__class__ is str else v


def _as_timestamp_text(v: Any) -> str:
    if v.__class__ is str and len(v) == 26:  # SQLite's stored form is already 2024-06-28 10:00:00.000000
        return v
    if v.__class__ is str:
        v = datetime.fromisoformat(v)
    return v.isoformat(sep=" ", timespec="microseconds")


class _RowWriter:
    """Turns database tuples into cell values (masking, labels, text-typed numbers) and hashes them."""

    def __init__(self, ws, columns: list[Column], full: bool, digest, ages_on: date | None = None):
        from openpyxl.cell import WriteOnlyCell

        self.ws = ws
        self.digest = digest
        self.converters: list[Callable[[Any], Any] | None] = []
        self.styled: dict[int, Any] = {}  # column index → reusable cell with its number format
        illegal = _cleaner()
        for i, col in enumerate(columns):
            fn: Callable[[Any], Any] | None = None
            if col.kind in ("money", "decimal"):
                cell = WriteOnlyCell(ws)
                cell.number_format = "#,##0.00" if col.kind == "money" else "0.###"
                self.styled[i] = cell
            elif col.kind == "date":
                cell = WriteOnlyCell(ws)
                cell.number_format = "yyyy-mm-dd"
                self.styled[i] = cell
            if not full and col.field in ID_FIELDS:
                fn = mask_id
            elif not full and col.field in PHONE_FIELDS:
                fn = mask_phone
            elif not full and col.field in BANK_FIELDS:
                fn = mask_bank
            elif not full and col.field in BIRTH_FIELDS:
                def fn(v, _on=ages_on or date.today()):  # noqa: E731 - the age, never the birth date
                    return age_on(_as_date(v), _on)
            elif col.kind == "date":
                fn = _as_date
            elif col.kind == "datetime":
                fn = _as_timestamp_text
            elif col.kind == "bool" or col.codes:
                fn = col.to_cell
            elif col.kind == "text":
                def fn(v, _sub=illegal.sub):  # noqa: E731 - strip characters XML cannot hold
                    return _sub("", v) if isinstance(v, str) else v
            self.converters.append(fn)

    def values(self, raw) -> list[Any]:
        return [v if (fn is None or v is None) else fn(v) for fn, v in zip(self.converters, raw)]

    def write(self, values: list[Any]) -> None:
        self.digest.update(("\x1f".join(
            ["" if v is None else v if v.__class__ is str else canonical(v) for v in values]) + "\x1e"
        ).encode("utf-8"))
        row = values
        for i, cell in self.styled.items():
            v = values[i]
            if v is not None:
                cell.value = v
                if row is values:
                    row = list(values)
                row[i] = cell
        self.ws.append(inert_row(self.ws, row))


def _sheet_row_source(services, sheet: Sheet, start, end) -> Iterator:
    with_hh = any(c == "household_id" for c, _, _ in services.exchange.columns(sheet.table))
    return services.exchange.iter_rows(sheet.table, date_column=sheet.date_column, parent=sheet.parent,
                                       start=start, end=end, with_household_number=with_hh,
                                       open_items=sheet.open_items, raw_values=True)


def export_package(services, path: str | Path, *, start: date | None = None, end: date | None = None,
                   full: bool = False, public: bool = False, progress: Progress | None = None,
                   cancel: CancelCheck | None = None, sheets: tuple[Sheet, ...] = SHEETS) -> ExportResult:
    """Write the upward package to ``path`` (temp file, then rename: a cancelled export leaves no file).

    ``full=True`` writes unmasked 身份证号/电话/银行账号 and is recorded in the audit log. ``public=True`` writes
    the 公示版: masked, without health, disability, income and free text (:func:`public_column`).
    """
    from openpyxl import Workbook

    if full and public:
        raise PackageError("公示版只能遮盖个人信息，不能同时选择完整导出。")
    if public:
        sheets = tuple(s for s in sheets if s.table not in PUBLIC_DROPPED_SHEETS)
    ages_on = date.today()  # the 导出时间 of the 说明 sheet: one date for every age in the file
    if full:
        services.exchange.require_write()
    ctx = services.exchange.context()
    path = Path(path)
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    totals = {s.title: services.exchange.count_rows(s.table, date_column=s.date_column, parent=s.parent,
                                                    start=start, end=end, open_items=s.open_items) for s in sheets}
    grand_total = sum(totals.values()) or 1
    done = 0
    with atomic_path(path) as tmp:
        wb = Workbook(write_only=True)
        info = wb.create_sheet(INFO_SHEET)
        for sheet in sheets:
            columns = build_columns(sheet.table, services.exchange.columns(sheet.table))
            if public:
                columns = [c for c in columns if public_column(sheet.table, c)]
            if not full:
                columns = masked_columns(columns)
            ws = wb.create_sheet(sheet.title)
            _setup_sheet(ws, columns, ctx.village_name, sheet.title)
            ws.append(_header_cells(ws, columns))
            digest.update((sheet.title + "\n" + "\x1f".join(c.title for c in columns) + "\x1e").encode("utf-8"))
            writer = _RowWriter(ws, columns, full, digest, ages_on)
            n = 0
            # Query columns come in table order with the 户编号 last; the sheet has its own order.
            schema = [name for name, _, _ in services.exchange.columns(sheet.table)]
            pick = operator.itemgetter(*[len(schema) if c.field == HOUSEHOLD_NUMBER else schema.index(c.field)
                                         for c in columns])
            for raw in _sheet_row_source(services, sheet, start, end):
                writer.write(writer.values(pick(raw)))
                n += 1
                if n % 2000 == 0:
                    if cancel:
                        cancel()
                    if progress:
                        progress(done + n, grand_total, sheet.title)
            done += n
            counts[sheet.title] = n
            ws.auto_filter.ref = f"A1:{_column_letter(len(columns))}{n + 1}"
            if progress:
                progress(done, grand_total, sheet.title)
        checksum = digest.hexdigest()
        _write_info(info, ctx, start, end, full, counts, checksum, public)
        if cancel:
            cancel()
        wb.save(tmp)
    services.exchange.record_export(str(path), full, (f"{PUBLIC_LABEL}，" if public else "") +
                                    f"{ctx.village_name} {period_text(start, end)}，"
                                    f"{sum(counts.values())} 条记录，校验码 {checksum[:12]}…")
    return ExportResult(path, counts, checksum, not full, public)


def _write_info(ws, ctx, start, end, full, counts, checksum, public=False) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from openpyxl.styles import Alignment
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 68
    ws.column_dimensions["B"].number_format = "@"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    title = WriteOnlyCell(ws, value=f"{FORMAT_NAME}（{PUBLIC_LABEL}）" if public else f"{FORMAT_NAME}（上报）")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    rows: list[tuple[str, Any]] = [
        ("格式", f"{FORMAT_NAME} 第{FORMAT_VERSION}版"),
        ("村", ctx.village_name),
        ("区划代码", ctx.division_code),
        ("乡镇", ctx.township),
        ("期间", period_text(start, end)),
        ("期间开始", start.isoformat() if start else ""),
        ("期间结束", end.isoformat() if end else ""),
        ("导出人", ctx.exporter),
        ("导出时间", datetime.now().isoformat(sep=" ", timespec="seconds")),
        ("导出时间(UTC)", _utcnow().isoformat(sep=" ", timespec="microseconds")),
        ("程序版本", __version__),
        ("数据库结构版本", ctx.schema_version),
        ("来源标识", ctx.instance_id),
        ("村ID", ctx.village_id or ""),
        ("个人信息", "完整（未遮盖）" if full else f"{PUBLIC_LABEL}（已遮盖，不含个人敏感信息和文字记录）" if public
         else "已遮盖"),
        ("校验码(SHA-256)", checksum),
    ]
    for key, value in rows:
        ws.append(inert_row(ws, [key, value]))
    ws.append([])
    ws.append(["工作表", "行数"])
    for name, n in counts.items():
        ws.append(inert_row(ws, [name, n]))
    ws.append([])
    note = WriteOnlyCell(ws, value="校验码覆盖各工作表的表头和全部数据单元格。修改、删除任何数据后校验会失败，"
                                   "本程序将拒绝合并该文件。身份证号、户编号、电话为文本格式，请勿改为数字。"
                                   "“删除时间”不为空的行是已删除的记录，用于合并时同步删除；"
                                   "记录ID等技术列已隐藏，打印时不显示。"
                                   + ("" if full else "身份证号只显示前6位（地区码）；家庭成员只列年龄（导出之日的周岁），"
                                      "不列出生日期，以免与身份证号合起来还原号码。"))
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.append(["说明", note])
    if public:
        notice = WriteOnlyCell(ws, value=PUBLIC_NOTICE)
        notice.alignment = Alignment(wrap_text=True, vertical="top")
        ws.append([PUBLIC_LABEL, notice])


def _utcnow() -> datetime:
    from datetime import timezone

    return datetime.now(timezone.utc).replace(tzinfo=None)
