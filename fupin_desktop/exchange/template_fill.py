"""Fill the county's own template (.xlsx): recognise its header row(s), map its columns to our fields (synonyms,
then the user's mapping, remembered per template by a hash of the header texts), write one row per household or
per family member — chosen by the template's columns — and keep everything else of the template as it is
(merged cells, styles, widths, data validation, other sheets). Nothing is added.

Masked by default (``domain.privacy``: 身份证号 shows only the area code, phones partly hidden; a 出生日期 column
stays empty beside a masked ID — the 年龄 column is filled instead); ``full`` fills the numbers; ``public`` fills
only the columns a 公示 may show.
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from fupin_desktop.domain import codes
from fupin_desktop.domain.privacy import age_on, mask_id, mask_phone
from fupin_desktop.exchange.bounded import check_xlsx
from fupin_desktop.exchange.ledgers import looks_like_formula
from fupin_desktop.fileio import atomic_path, write_text_atomic

MAPPING_FILE = "template_mappings.json"
IGNORE = "-"

# field → (label, synonyms as counties write them)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "seq": ("序号", ("序号", "编号序号", "No", "NO")),
    "county": ("县", ("县", "县区", "县（区）", "县(区)", "县市区", "区县")),
    "township": ("乡镇", ("乡", "乡镇", "乡（镇）", "乡(镇)", "镇", "乡镇（街道）")),
    "village": ("村", ("村", "行政村", "村名", "村（社区）", "村(社区)")),
    "group": ("村民小组", ("组", "村民小组", "小组", "组别", "村组")),
    "number": ("户编号", ("户编号", "户号", "农户编号")),
    "head_name": ("户主姓名", ("户主", "户主姓名", "户主名字")),
    "household_type": ("户类型", ("户类型", "户属性", "农户类型", "户类别")),
    "monitoring_category": ("监测对象类别", ("监测对象类别", "监测类型", "监测对象类型")),
    "member_count": ("家庭人口", ("人口", "家庭人口", "家庭人口数", "人口数", "户人口")),
    "name": ("姓名", ("姓名", "成员姓名", "家庭成员姓名", "人员姓名")),
    "relation": ("与户主关系", ("与户主关系", "关系", "与户主的关系")),
    "sex": ("性别", ("性别",)),
    "id_number": ("身份证号", ("身份证号", "身份证号码", "证件号码", "公民身份号码", "身份证")),
    "age": ("年龄", ("年龄", "周岁")),
    "birth_date": ("出生日期", ("出生日期", "出生年月")),
    "ethnicity": ("民族", ("民族",)),
    "education": ("文化程度", ("文化程度", "学历")),
    "health": ("健康状况", ("健康状况", "健康状态")),
    "labour_skill": ("劳动技能", ("劳动技能", "劳动能力")),
    "work_place": ("务工地点", ("务工地点", "务工地", "务工所在地")),
    "phone": ("联系电话", ("联系电话", "电话", "手机号", "手机号码", "联系方式")),
}
MEMBER_FIELDS = frozenset({"name", "relation", "sex", "id_number", "age", "birth_date", "ethnicity", "education",
                           "health", "labour_skill", "work_place"})
PUBLIC_FIELDS = frozenset({"seq", "county", "township", "village", "group", "number", "head_name", "household_type",
                           "monitoring_category", "member_count", "name", "relation", "sex", "age"})


def _norm(text) -> str:
    return "".join(str(text or "").split()).replace("(", "（").replace(")", "）")


_LOOKUP = {_norm(s): f for f, (_, syns) in FIELDS.items() for s in syns + (FIELDS[f][0],)}


@dataclass
class TemplateLayout:
    path: Path
    sheet: str
    header_rows: tuple[int, ...]
    first_data_row: int
    headers: dict[int, str]  # column index → header text (lower row, or the merged upper text)
    mapping: dict[int, str] = field(default_factory=dict)  # column index → field
    key: str = ""

    @property
    def unmapped(self) -> list[tuple[int, str]]:
        return [(c, h) for c, h in sorted(self.headers.items()) if c not in self.mapping]

    @property
    def per_member(self) -> bool:
        return bool(MEMBER_FIELDS & set(self.mapping.values()))


def _merged_value(ws, row: int, col: int):
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return ws.cell(rng.min_row, rng.min_col).value
    return ws.cell(row, col).value


def inspect_template(path: str | Path, data_dir: Path | None = None,
                     choices: dict[str, str] | None = None) -> TemplateLayout:
    """Find the header row(s) of the first visible sheet that has one and map its columns."""
    from openpyxl import load_workbook

    path = Path(path)
    check_xlsx(path)
    wb = load_workbook(path)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        best = None
        for r in range(1, min(ws.max_row, 15) + 1):
            hits = sum(1 for c in range(1, ws.max_column + 1) if _norm(_merged_value(ws, r, c)) in _LOOKUP)
            if hits >= 3 and (best is None or hits > best[1]):
                best = (r, hits)
        if best is None:
            continue
        row = best[0]
        rows = [row]
        # a two-row header: a merged group cell above, or the header cells merged down into the next row
        below = row + 1
        if any(_norm(_merged_value(ws, below, c)) in _LOOKUP and _merged_value(ws, below, c) !=
               _merged_value(ws, row, c) for c in range(1, ws.max_column + 1)):
            rows.append(below)
        last = rows[-1]
        headers = {}
        for c in range(1, ws.max_column + 1):
            text = _merged_value(ws, last, c)
            if text is None or (len(rows) > 1 and _norm(text) not in _LOOKUP):
                text = _merged_value(ws, rows[0], c) if _norm(_merged_value(ws, rows[0], c)) in _LOOKUP else text
            if text is not None and str(text).strip():
                headers[c] = str(text).strip()
        key = hashlib.sha256("\x1f".join(f"{c}:{_norm(h)}" for c, h in sorted(headers.items()))
                             .encode("utf-8")).hexdigest()[:16]
        remembered = _load(data_dir).get(key, {})
        wanted = {**remembered, **(choices or {})}
        mapping = {}
        for c, h in headers.items():
            target = wanted.get(h) or _LOOKUP.get(_norm(h))
            if target and target != IGNORE and target in FIELDS:
                mapping[c] = target
        if choices and data_dir is not None:
            store = _load(data_dir)
            store[key] = {**remembered, **choices}
            write_text_atomic(Path(data_dir) / MAPPING_FILE, json.dumps(store, ensure_ascii=False, indent=1))
        return TemplateLayout(path, ws.title, tuple(rows), last + 1, headers, mapping, key)
    from fupin_desktop.exchange.bounded import InputFileError

    raise InputFileError(f"“{path.name}”里找不到表头：没有一行含有 户主、姓名、身份证号 等至少三个能识别的列名。")


def _load(data_dir: Path | None) -> dict:
    if data_dir is None:
        return {}
    try:
        return dict(json.loads((Path(data_dir) / MAPPING_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _lab(name: str, code) -> str:
    return codes.get(name).label(code) if code else ""


def _records(services, flt, per_member: bool):
    from fupin_desktop.services.report_book import ReportBookService

    book = ReportBookService(services.ctx)
    facts = book.facts(flt)
    place = {"county": facts.county, "township": facts.township, "village": facts.name}
    households = {h.number: h for h in services.reporting.ledger("roster", flt).rows}
    if per_member:
        for m in book.members(flt):
            yield place, households.get(m.number), m
    else:
        for h in households.values():
            yield place, h, None


def _value(fieldname: str, place, h, m, form: str, today):
    full = form == "full"
    if fieldname in place:
        return place[fieldname]
    if fieldname == "group":
        return (h.group_name if h else m.group_name) or ""
    if fieldname == "number":
        return h.number if h else m.number
    if fieldname == "head_name":
        return h.head_name if h else m.head_name
    if fieldname == "household_type":
        return _lab("household_type", h.household_type) if h else ""
    if fieldname == "monitoring_category":
        return _lab("monitoring_category", h.monitoring_category) if h else ""
    if fieldname == "member_count":
        return h.member_count if h else None
    if fieldname == "phone":
        raw = (m.phone if m else None) or (h.phone if h and (m is None or m.relation == "head") else None)
        return raw if full else mask_phone(raw)
    if m is None:
        if fieldname == "name":
            return h.head_name
        if fieldname == "id_number":
            return h.head_id_number if full else mask_id(h.head_id_number)
        return None
    if fieldname == "name":
        return m.name
    if fieldname == "relation":
        return _lab("relation", m.relation)
    if fieldname == "sex":
        return _lab("sex", m.sex)
    if fieldname == "id_number":
        return m.id_number if full else mask_id(m.id_number)
    if fieldname == "age":
        return age_on(m.birth_date, today) if m.birth_date else None
    if fieldname == "birth_date":
        return m.birth_date if full else None  # never a birth date beside a masked ID (domain/privacy.py)
    if fieldname == "health":
        return "、".join(_lab("health", x) for x in (m.health or "").split(",") if x)
    if fieldname in ("ethnicity", "education", "labour_skill"):
        return _lab(fieldname, getattr(m, fieldname))
    if fieldname == "work_place":
        return m.work_place
    return None


@dataclass(frozen=True)
class FillResult:
    path: Path
    rows: int
    per_member: bool
    unmapped: list[str]


def fill_template(services, layout: TemplateLayout, out: str | Path, flt, form: str = "masked") -> FillResult:
    """Write the filled template to ``out``: the template's own workbook with data rows from
    ``layout.first_data_row`` on, each row styled like the template's first data row."""
    from openpyxl import load_workbook

    if form == "full":
        services.exchange.require_write()
    wb = load_workbook(layout.path)
    ws = wb[layout.sheet]
    mapping = {c: f for c, f in layout.mapping.items() if form != "public" or f in PUBLIC_FIELDS}
    start = layout.first_data_row
    proto = {c: copy.copy(ws.cell(start, c)._style) for c in range(1, ws.max_column + 1)}
    height = ws.row_dimensions[start].height
    today = services.ctx.today()
    n = 0
    for place, h, m in _records(services, flt, layout.per_member):
        r = start + n
        n += 1
        for c in range(1, ws.max_column + 1):
            cell = ws.cell(r, c)
            cell._style = copy.copy(proto[c])
            f = mapping.get(c)
            if f is None:
                continue
            v = n if f == "seq" else _value(f, place, h, m, form, today)
            cell.value = v if v != "" else None
            if isinstance(v, str) and looks_like_formula(v):
                cell.data_type = "s"
                cell.quotePrefix = True
        if height is not None:
            ws.row_dimensions[r].height = height
    out = Path(out)
    with atomic_path(out) as tmp:
        wb.save(tmp)
    services.exchange.record_export(str(out), form == "full", f"县级模板“{layout.path.name}”，{n} 行")
    return FillResult(out, n, layout.per_member, [h for _, h in layout.unmapped])
