"""Importing a household/member roster (national monitoring-system export or a hand-kept sheet).

Steps, each usable from the GUI wizard and the CLI:

1. :func:`inspect_roster` finds the header row (anywhere in the first 10 rows, below merged title cells), maps
   the columns by header synonyms and by the mapping remembered from last time, and lists unmapped columns.
2. :func:`validate_roster` reads every row, normalises it (full-width digits, stray spaces, dates written as
   2019.5.3 / 2019/05/03 / Excel serials, relation codes in text or GB/T 4761 numeric form) and checks it (ID
   checksum, exactly one 户主 per household, duplicates within the file and against the database). It returns an
   :class:`ImportPlan` with every problem as an :class:`ImportRowError` (sheet, row, column, message). Nothing is
   written.
3. :func:`apply_roster` writes an accepted plan — only when it has no errors — in ONE transaction. Households are
   matched by 户编号 and members by 身份证号, so importing the same file again updates instead of duplicating.

Speed (100,000 rows in a few seconds): the sheet XML is read directly, a few MB at a time (exchange.sheet_xml);
once its columns are known, one regular expression matches a whole row and captures only the mapped cells. Checks
that depend on a cell's text alone (codes, dates, relation, yes/no) are cached per distinct text; the ID check
character is computed in C; new ids are handed out in sorted order and written with driver-level executemany
(storage.queries.exchange); the cyclic garbage collector pauses meanwhile (fupin_desktop.memory).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from fupin_desktop.domain import codes
from fupin_desktop.domain.dates import parse_date
from fupin_desktop.domain.errors import ImportRowError, ValidationError
from fupin_desktop.domain.lengths import too_long
from fupin_desktop.domain.idcard import CHECK_CHARS, WEIGHTS
from fupin_desktop.domain.text import PinyinKeys
from fupin_desktop.exchange.bounded import BoundedZip, InputFileError, check_xlsx
from fupin_desktop.exchange.sheet_xml import SheetRef, iter_rows, shared_strings, sheets
from fupin_desktop.memory import paused_gc

__all__ = ["FIELDS", "RosterLayout", "ImportPlan", "inspect_roster", "validate_roster", "apply_roster",
           "load_mapping", "save_mapping", "MAPPING_FILE", "IGNORE"]

MAPPING_FILE = "roster_mapping.json"
IGNORE = ""  # mapping target meaning "do not import this column"
HEADER_SCAN_ROWS = 10
MAX_ROWS = 200_000  # member rows in one roster (a township has tens of thousands; the benchmark imports 100,000)
MAX_ERRORS = 1000  # problems listed before the check stops reading (a hostile or wrong file has one per row)
MAX_SHOWN = 200  # characters of a cell's text quoted in a message

# field → (Chinese title, level, synonyms). level: "household" or "member".
FIELDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "number": ("户编号", "household", ("户编号", "户码", "户号", "家庭编号", "农户编号")),
    "head_name": ("户主姓名", "household", ("户主姓名", "户主")),
    "group_name": ("村民小组", "household", ("村民小组", "组", "所在组", "小组", "组别", "组名")),
    "natural_village": ("自然村", "household", ("自然村", "自然村名称")),
    "address": ("住址", "household", ("住址", "家庭住址", "家庭地址", "地址")),
    "household_phone": ("户联系电话", "household", ("户联系电话", "家庭电话", "户主电话")),
    "household_type": ("户类型", "household", ("户类型", "户属性", "农户类型", "户类别")),
    "monitoring_category": ("监测对象类别", "household", ("监测对象类别", "监测类型", "监测对象类型")),
    "person_number": ("人口编号", "member", ("人口编号", "成员编号", "人员编号")),
    "name": ("姓名", "member", ("姓名", "成员姓名", "家庭成员姓名", "人员姓名", "家庭成员")),
    "id_number": ("身份证号", "member", ("证件号码", "身份证号", "身份证号码", "公民身份号码", "证件号",
                                        "身份证", "残疾人证号")),
    "relation": ("与户主关系", "member", ("与户主关系", "关系", "家庭关系", "与户主的关系")),
    "sex": ("性别", "member", ("性别",)),
    "birth_date": ("出生日期", "member", ("出生日期", "出生年月", "出生年月日", "生日")),
    "ethnicity": ("民族", "member", ("民族",)),
    "political_status": ("政治面貌", "member", ("政治面貌",)),
    "education": ("文化程度", "member", ("文化程度", "学历")),
    "schooling": ("在校生状况", "member", ("在校生状况", "在校生情况", "在校情况")),
    "health": ("健康状况", "member", ("健康状况", "健康情况")),
    "labour_skill": ("劳动技能", "member", ("劳动技能", "劳动能力")),
    "work_place": ("务工所在地", "member", ("务工所在地", "务工地点", "务工地")),
    "work_months": ("务工时间(月)", "member", ("务工时间(月)", "务工时间", "务工月数", "务工时间（月）")),
    "phone": ("联系电话", "member", ("联系电话", "成员联系电话", "电话", "手机号", "手机号码", "联系方式")),
    "dibao": ("是否享受低保", "member", ("是否享受低保", "享受低保", "低保")),
    "tekun": ("是否特困供养人员", "member", ("是否特困供养人员", "特困供养", "特困")),
    "note": ("备注", "member", ("备注",)),
}
REQUIRED = ("name", "relation")
CODE_OF_FIELD = {"household_type": "household_type", "monitoring_category": "monitoring_category",
                 "sex": "sex", "ethnicity": "ethnicity", "political_status": "political_status",
                 "education": "education", "schooling": "schooling", "labour_skill": "labour_skill"}

_SPACES = re.compile(r"[\s\u3000\xa0]+")


def _squeeze(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).replace("（", "(").replace("）", ")")


_SYNONYMS: dict[str, str] = {}
for _field, (_title, _level, _names) in FIELDS.items():
    for _n in _names:
        _SYNONYMS.setdefault(_squeeze(_n), _field)


# --- remembered mapping -----------------------------------------------------------------------------------------


def load_mapping(data_dir: Path | None) -> dict[str, str]:
    """Header text → field chosen by the user earlier (``""`` = ignore the column)."""
    if data_dir is None:
        return {}
    try:
        return dict(json.loads((Path(data_dir) / MAPPING_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return {}


def save_mapping(data_dir: Path | None, mapping: Mapping[str, str]) -> None:
    if data_dir is None:
        return
    from fupin_desktop.fileio import write_text_atomic

    known = load_mapping(data_dir)
    known.update({_squeeze(k): v for k, v in mapping.items() if v in FIELDS or v == IGNORE})
    write_text_atomic(Path(data_dir) / MAPPING_FILE, json.dumps(known, ensure_ascii=False, indent=1))


# --- layout -----------------------------------------------------------------------------------------------------


@dataclass
class RosterLayout:
    path: Path
    sheet: str
    header_row: int  # Excel row number of the header
    headers: list[str]  # as written in the file
    mapping: dict[int, str]  # column index → field (only mapped columns)
    unmapped: list[tuple[int, str]]  # (column index, header text) nobody recognised

    def missing_required(self) -> list[str]:
        have = set(self.mapping.values())
        return [FIELDS[f][0] for f in REQUIRED if f not in have]

    def with_mapping(self, by_header: Mapping[str, str]) -> "RosterLayout":
        """A copy where the user's choices (header text → field or IGNORE) override the detected mapping."""
        mapping = dict(self.mapping)
        for i, h in enumerate(self.headers):
            choice = by_header.get(h)
            if choice is None:
                continue
            if choice == IGNORE:
                mapping.pop(i, None)
            elif choice in FIELDS:
                mapping[i] = choice
        unmapped = [(i, h) for i, h in enumerate(self.headers) if h and i not in mapping
                    and by_header.get(h) != IGNORE]
        return RosterLayout(self.path, self.sheet, self.header_row, self.headers, mapping, unmapped)


def _check_file(path: Path) -> None:
    check_xlsx(path)  # the same Chinese errors as for packages: not xlsx, encrypted, truncated


def _candidates(found: list[SheetRef], sheet: str | None, path: Path) -> list[SheetRef]:
    """The sheets to look for the header in, in order: the one asked for; else the visible sheets, those named like
    a roster first. A hidden sheet is never read unless asked for by name."""
    if not found:
        raise InputFileError(f"“{path.name}”里没有工作表。")
    if sheet:
        chosen = [s for s in found if s.name == sheet]
        if not chosen:
            raise InputFileError(f"“{path.name}”里没有名为“{sheet}”的工作表（有：{'、'.join(s.name for s in found)}）。")
        return chosen
    visible = [s for s in found if s.visible]
    if not visible:
        raise InputFileError(f"“{path.name}”的工作表都被隐藏了。请在 Excel 或 WPS 中取消隐藏花名册所在的工作表，"
                           "或用 --sheet 指定工作表名称。")
    return sorted(visible, key=lambda s: not any(w in s.name for w in ("花名册", "名册", "名单", "成员", "人口")))


def inspect_roster(path: str | Path, data_dir: Path | None = None, sheet: str | None = None) -> RosterLayout:
    """Find the sheet, header row and column mapping. Without ``sheet``: the first visible sheet whose first rows
    hold a header (sheets named like a roster first); ``layout.sheet`` says which one was read."""
    path = Path(path)
    _check_file(path)
    remembered = {_squeeze(k): v for k, v in load_mapping(data_dir).items()}
    best: tuple[int, int, list[str]] | None = None
    with BoundedZip(path) as z:
        candidates = _candidates(sheets(z), sheet, path)
        strings = shared_strings(z)
        for candidate in candidates:
            name = candidate.name
            for r, values in iter_rows(z, candidate.member, strings):  # streams: stops after the first rows
                texts = ["" if v is None else str(v).strip()[:MAX_SHOWN] for v in values]
                score = sum(1 for t in texts if t and (_squeeze(t) in _SYNONYMS or _squeeze(t) in remembered))
                if score >= 2 and (best is None or score > best[0]):
                    best = (score, r, texts)
                if r >= HEADER_SCAN_ROWS:
                    break
            if best is not None:
                break
    if best is None:
        looked = "、".join(f"“{c.name}”" for c in candidates)
        raise InputFileError(f"在“{path.name}”的工作表{looked}的前{HEADER_SCAN_ROWS}行没有找到表头"
                           "（应有“姓名”“与户主关系”等列名）。")
    _, header_row, headers = best
    mapping: dict[int, str] = {}
    unmapped: list[tuple[int, str]] = []
    used: set[str] = set()
    for i, h in enumerate(headers):
        if not h:
            continue
        key = _squeeze(h)
        target = remembered.get(key, _SYNONYMS.get(key))
        if target == IGNORE:
            continue
        if target and target not in used:
            mapping[i] = target
            used.add(target)
        else:
            unmapped.append((i, h))
    return RosterLayout(path, name, header_row, headers, mapping, unmapped)


# --- validation -------------------------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    layout: RosterLayout
    errors: list[ImportRowError] = field(default_factory=list)
    households_new: list[dict] = field(default_factory=list)
    households_update: list[dict] = field(default_factory=list)
    members_new: list[dict] = field(default_factory=list)
    members_update: list[dict] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (f"共 {self.rows} 行：新增 {len(self.households_new)} 户、{len(self.members_new)} 人；"
                f"更新 {len(self.households_update)} 户、{len(self.members_update)} 人；"
                f"发现问题 {len(self.errors)} 处")


def _clean(value: Any) -> str:
    """Cell → text without any whitespace, full-width characters folded (NFKC)."""
    if value is None:
        return ""
    if value.__class__ is not str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    return "".join(value.split()) if (" " in value or not value.isprintable()) else value


def _clean_text(value: Any) -> str:
    if value is None:
        return ""
    if value.__class__ is str:
        # Already clean (the common case): no whitespace at all — every whitespace character but " " is
        # unprintable — and NFKC-normal. Then the expression below would return it unchanged.
        if value.isprintable() and " " not in value and (value.isascii()
                                                         or unicodedata.is_normalized("NFKC", value)):
            return value
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()


_ID_BIRTHS: dict[str, date | str] = {}  # YYYYMMDD of an ID → its date, or what is wrong with it


def _id_birth(digits8: str) -> date | str:
    hit = _ID_BIRTHS.get(digits8)
    if hit is None:
        try:
            hit = date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
            if hit.year < 1880:
                hit = f"身份证号中的出生日期 {digits8} 早于1880年"
        except ValueError:
            hit = f"身份证号中的出生日期 {digits8} 不存在"
        if len(_ID_BIRTHS) < 200_000:
            _ID_BIRTHS[digits8] = hit
    return hit


def _parse_id(raw: Any) -> tuple[str, str, date]:
    """(ID, sex code, birth date); raises ValueError with a Chinese message."""
    if isinstance(raw, float) and not raw.is_integer() or isinstance(raw, float) and raw > 1e15:
        raise ValueError("身份证号被存成了数字，后几位已经丢失。请把这一列设为文本后重新填写")
    return _parse_id_text(_clean(raw).upper())


def _parse_id_text(text: str, today: date | None = None) -> tuple[str, str, date]:
    """:func:`_parse_id` of cleaned, upper-case text. The check character of the common 18-digit form is
    computed in C: Σ dᵢ·(2^(17-i) mod 11) ≡ 2·Σ dᵢ·13^(16-i) (mod 11) because 13 ≡ 2, i.e. ``int(digits, 13)``."""
    if len(text) == 18 and text.isascii() and text[:17].isdigit() and text[17] in _CHECK_LAST:
        check = CHECK_CHARS[int(text[:17], 13) * 2 % 11]
        if check != text[17]:
            raise ValueError(f"身份证号校验位不对，应为 {check}")
        born = _id_birth(text[6:14])
        if born.__class__ is str:
            raise ValueError(born)
        if born > (today or date.today()):
            raise ValueError(f"身份证号中的出生日期 {text[6:14]} 晚于今天，请核对")
        return text, ("male" if text[16] in "13579" else "female"), born
    from fupin_desktop.domain.idcard import IdCardNumber

    try:
        card = IdCardNumber.parse(text)
    except ValidationError as e:
        raise ValueError(e.message) from None
    return card.value, card.sex, card.birth_date


_CHECK_LAST = frozenset("0123456789X")
if any(int(d, 13) * 2 % 11 != sum(int(c) * w for c, w in zip(d, WEIGHTS)) % 11
       for d in ("11010519491231002", "99999999999999999", "00000000000000001", "12345678901234567")):
    raise ImportError("ID check character shortcut disagrees with the weights")  # never: 13 ≡ 2 (mod 11)


def _relation(raw: Any) -> str:
    text = _clean(raw)
    if not text:
        raise ValueError("与户主关系不能为空")
    if text.isdigit():
        code = codes.relation_from_numeric(text)
    else:
        code = codes.get("relation").code_for_label(text)
    if code is None:
        raise ValueError(f"“{text}”不是与户主关系的选项（如 户主、配偶、之子，或 01、10、20）")
    return code


def _yes_no(raw: Any) -> bool:
    text = _clean(raw)
    if text in ("是", "1", "Y", "y", "√", "有", "享受", "TRUE", "True"):
        return True
    if text in ("否", "0", "N", "n", "", "无", "不享受", "FALSE", "False"):
        return False
    raise ValueError(f"应填“是”或“否”，现在是“{text}”")


def _health(raw: Any) -> str | None:
    if not _clean(raw):
        return None
    try:
        return ",".join(codes.get("health").parse_multi(_clean_text(raw)))
    except ValidationError as e:
        raise ValueError(e.message) from None


def _work_months(raw: Any) -> int | None:
    text = _clean(raw)
    if not text:
        return None
    try:
        months = int(Decimal(text))
    except (ValueError, ArithmeticError):
        months = -1
    if not 0 <= months <= 12:
        raise ValueError("务工时间应为0到12之间的整数（月）")
    return months


#: member columns with a parser of their own (value, None for a blank cell, or ValueError with the message)
_CHECKED_FIELDS: dict[str, Callable[[Any], Any]] = {
    "health": _health, "dibao": _yes_no, "tekun": _yes_no, "work_months": _work_months}


def _phone(raw: Any) -> str | None:
    text = _clean(raw).replace("-", "")
    if not text:
        return None
    if not text.isdigit() or not 7 <= len(text) <= 12:
        raise ValueError("电话号码应为7到12位数字（手机号11位）")
    return text


def _outcome(fn: Callable[[Any], Any], raw: Any) -> tuple[bool, Any]:
    """(True, fn(raw)) or (False, the Chinese message of its ValueError) — cacheable per cell text."""
    try:
        return True, fn(raw)
    except ValueError as e:
        return False, str(e)


_Pinyin = PinyinKeys  # (the name the roster tests use)




def _sorted_new_ids(n: int) -> list[str]:
    """``n`` version-4 UUIDs (written as ``str(uuid.uuid4())`` writes them), in ascending order.

    Handing them out in order makes the primary-key index (and the members' household_id index) grow at its end
    instead of at random pages — fewer B-tree page splits and dirty pages for a 100,000-row import. Ordered by
    construction rather than sorted (a sort of 100,000 strings alone takes ~50 ms): the first 32 bits climb in
    random steps through their range, the other 90 of the 122 random bits stay random.
    """
    import os
    import struct
    from array import array

    if n <= 0:
        return []
    step = (1 << 32) // n
    offsets = array("I", os.urandom(4 * n))
    first = struct.pack(f">{n}I", *[i * step + r % step for i, r in zip(range(n), offsets)])
    raw = bytearray(os.urandom(16 * n))
    for k in range(4):
        raw[k::16] = first[k::4]
    raw[6::16] = raw[6::16].translate(_UUID_VERSION)  # version 4
    raw[8::16] = raw[8::16].translate(_UUID_VARIANT)  # RFC 4122 variant
    digits = raw.hex().encode("ascii")
    text = bytearray(b"-" * (36 * n))
    for j, at in enumerate(_HEX_AT):  # 32 strided copies instead of 100,000 formatted strings
        text[at::36] = digits[j::32]
    out = text.decode("ascii")
    return [out[i:i + 36] for i in range(0, 36 * n, 36)]


_HEX_AT = [i for i in range(36) if i not in (8, 13, 18, 23)]  # where the 32 hex digits stand in a UUID's text
_UUID_VERSION = bytes((b & 0x0F) | 0x40 for b in range(256))
_UUID_VARIANT = bytes((b & 0x3F) | 0x80 for b in range(256))


@paused_gc()
def validate_roster(services, layout: RosterLayout, *, progress: Callable[[int, int, str], None] | None = None,
                    cancel: Callable[[], None] | None = None) -> ImportPlan:
    """Read and check every row; nothing is written. See :class:`ImportPlan`.

    The hot loop reads only the mapped cells of each row and caches whatever depends on a cell's text alone
    (codes, dates, yes/no, relation) — a roster repeats a handful of values in most columns.
    """
    plan = ImportPlan(layout)
    sheet = layout.sheet
    title_of = {i: layout.headers[i] for i in layout.mapping}
    col_of = {f: i for i, f in layout.mapping.items()}
    for missing in layout.missing_required():
        plan.errors.append(ImportRowError(sheet, layout.header_row, missing, "找不到这一列，请在列对应中指定"))
    if plan.errors:
        return plan
    numbers, id_owners, names, village_id, division_code = services.exchange.roster_lookup()
    if village_id is None:
        plan.errors.append(ImportRowError(sheet, layout.header_row, "", "请先设置本村信息（设置 → 村情）再导入花名册"))
        return plan
    has_number = "number" in col_of
    code_lists = {f: codes.get(lst) for f, lst in CODE_OF_FIELD.items()}
    now = services.exchange.now()
    actor_id = services.exchange.actor.user_id
    errors = plan.errors

    def err(r: int, f: str, message: str) -> None:
        if len(message) > MAX_SHOWN:  # a hostile cell is not quoted whole
            message = message[:MAX_SHOWN] + "…"
        errors.append(ImportRowError(sheet, r, FIELDS[f][0] if f not in col_of else title_of[col_of[f]], message))

    # The cells read, in a fixed order: slot[field] is the position of the field's cell in a row's values.
    read = list(layout.mapping.items())
    slot = {f: k for k, (_, f) in enumerate(read)}
    s_name, s_relation = slot["name"], slot["relation"]
    s_id, s_birth = slot.get("id_number"), slot.get("birth_date")
    s_phone, s_number = slot.get("phone"), slot.get("number")
    s_hh_phone = slot.get("household_phone")
    # (field, slot, list, cache of cell text → (clean text, code)) of the member-level code columns present
    member_codes = [(f, slot[f], lst, {}) for f, lst in code_lists.items() if f in slot and FIELDS[f][1] == "member"]
    # (field, slot, parser, cache of cell text → outcome) of the columns checked by a parser of their own
    checked = [(f, slot[f], parse, {}) for f, parse in _CHECKED_FIELDS.items() if f in slot]
    plain_texts = [(f, slot[f]) for f in ("work_place", "note", "person_number") if f in slot]
    hh_texts = [(f, slot[f]) for f in ("head_name", "group_name", "natural_village", "address") if f in slot]
    hh_codes = [(f, slot[f], code_lists[f]) for f in ("household_type", "monitoring_category") if f in slot]
    # every member record has the same keys (None = not given; a blank cell never erases a known value)
    template: dict[str, Any] = dict.fromkeys(
        ["name", "relation", "id_number", "sex", "birth_date"] + [f for f, *_ in member_codes]
        + (["phone"] if s_phone is not None else []) + [f for f, *_ in checked] + [f for f, _ in plain_texts])

    # Pass 1: every row → a member record + its household key.
    households: dict[str, dict[str, Any]] = {}  # key → {"rows": [...], "fields": {...}, "first": r}
    seen_ids: dict[str, int] = {}
    relations: dict[str, str] = {}  # cell text → relation code (a roster repeats a handful of texts)
    births: dict[str, date | str] = {}  # cell text → date or the message of why it is not one
    current_key: str | None = None
    anon = 0
    header_row = layout.header_row
    today = date.today()  # as IdCardNumber.parse: no birth date after today
    stopped = False
    with BoundedZip(layout.path) as z:
        found = [s for s in sheets(z) if s.name == sheet]
        if not found:
            raise InputFileError(f"“{layout.path.name}”里已没有工作表“{sheet}”（文件在检查时被换掉了？）")
        for r, vals in iter_rows(z, found[0].member, shared_strings(z), [i for i, _ in read]):
            if r <= header_row:
                continue
            for v in vals:
                if v is not None and (v.__class__ is not str or v.strip()):
                    break
            else:
                continue  # an empty row
            if len(errors) >= MAX_ERRORS:
                errors.append(ImportRowError(sheet, r, "", f"问题超过{MAX_ERRORS}处，已停止检查其余的行"))
                stopped = True
                break
            plan.rows += 1
            if plan.rows > MAX_ROWS:
                raise InputFileError(f"“{layout.path.name}”的工作表“{sheet}”超过 {MAX_ROWS:,} 行，超出了一次能导入的"
                                     "数量。请分成几个文件导入。")
            if plan.rows % 5000 == 0:
                if cancel:
                    cancel()
                if progress:
                    progress(plan.rows, 0, "正在检查")
            m = template.copy()
            name = _clean_text(vals[s_name])
            if not name:
                err(r, "name", "姓名不能为空")
            elif len(name) > 64:
                err(r, "name", "姓名" + too_long("member", "name", name))
            m["name"] = name
            raw = vals[s_relation]
            relation = relations.get(raw) if raw.__class__ is str else None
            if relation is None:
                try:
                    relation = _relation(raw)
                    if raw.__class__ is str:
                        relations[raw] = relation
                except ValueError as e:
                    err(r, "relation", str(e))
                    relation = "other"
            m["relation"] = relation
            if s_id is not None:
                raw = vals[s_id]
                if raw is not None:
                    text = _clean(raw)
                    if text:
                        try:
                            if raw.__class__ is float and (not raw.is_integer() or raw > 1e15):
                                _parse_id(raw)  # raises: the digits are lost
                            id_number, m["sex"], m["birth_date"] = _parse_id_text(text.upper(), today)
                            m["id_number"] = id_number
                            if id_number in seen_ids:
                                err(r, "id_number", f"身份证号与第{seen_ids[id_number]}行重复")
                            seen_ids[id_number] = r
                        except ValueError as e:
                            err(r, "id_number", str(e))
            for f, k, lst, seen in member_codes:
                raw = vals[k]
                if raw is None:
                    continue
                hit = seen.get(raw) if raw.__class__ is str else None
                if hit is None:
                    text = _clean(raw)
                    hit = (text, lst.code_for_label(text) if text else None)
                    if raw.__class__ is str:
                        seen[raw] = hit
                text, code = hit
                if not text:
                    continue
                if code is None:
                    err(r, f, f"“{text}”不是{lst.title}的选项")
                elif f == "sex" and m["sex"] and m["sex"] != code:
                    err(r, f, f"性别与身份证号不符（身份证号显示为{lst.label(m['sex'])}）")
                else:
                    m[f] = code
            if s_birth is not None:
                raw = vals[s_birth]
                if raw is not None and raw != "":
                    born = births.get(raw) if raw.__class__ is str else None
                    if born is None:
                        try:
                            born = parse_date(_clean(raw) if raw.__class__ is str else raw, "birth_date")
                        except ValidationError as e:
                            born = e.message
                        if raw.__class__ is str:
                            births[raw] = born
                    if born.__class__ is str:
                        err(r, "birth_date", born)
                    else:
                        if m["birth_date"] and born != m["birth_date"]:
                            err(r, "birth_date", "出生日期与身份证号不符")
                        m["birth_date"] = m["birth_date"] or born
            if s_phone is not None:
                raw = vals[s_phone]
                if raw is not None:
                    try:
                        m["phone"] = _phone(raw)
                    except ValueError as e:
                        err(r, "phone", str(e))
            for f, k, parse, seen in checked:  # outcome cached per cell text: a roster repeats a few values
                raw = vals[k]
                hit = seen.get(raw) if raw.__class__ is str else None
                if hit is None:
                    hit = _outcome(parse, raw)
                    if raw.__class__ is str:
                        seen[raw] = hit
                if not hit[0]:
                    err(r, f, hit[1])
                elif hit[1] is not None:
                    m[f] = hit[1]
            for f, k in plain_texts:
                raw = vals[k]
                if raw is not None:
                    m[f] = text = _clean_text(raw) or None
                    problem = too_long("member", f, text)
                    if problem:
                        err(r, f, FIELDS[f][0] + problem)
            if m.get("education") and m.get("schooling"):
                err(r, "schooling", "文化程度和在校生状况只能填一项")
            # household key
            if has_number:
                key = _clean(vals[s_number])
                if not key:
                    err(r, "number", "户编号不能为空")
                    anon += 1
                    key = f"\x00{anon}"
                elif len(key) > 32:
                    err(r, "number", "户编号最多32位")
            else:
                if relation == "head" or current_key is None:
                    anon += 1
                    current_key = f"\x00{anon}"
                key = current_key
            hh = households.get(key)
            if hh is None:
                hh = households[key] = {"rows": [], "fields": {}, "first": r}
            hf = hh["fields"]
            for f, k in hh_texts:
                if not hf.get(f):
                    text = _clean_text(vals[k])
                    if text:
                        hf[f] = text
                        problem = too_long("household", f, text)
                        if problem:
                            err(r, f, FIELDS[f][0] + problem)
            if s_hh_phone is not None and "phone" not in hf:
                try:
                    phone = _phone(vals[s_hh_phone])
                    if phone:
                        hf["phone"] = phone
                except ValueError as e:
                    err(r, "household_phone", str(e))
            for f, k, lst in hh_codes:
                if f not in hf:
                    text = _clean(vals[k])
                    if text:
                        code = lst.code_for_label(text)
                        if code is None:
                            err(r, f, f"“{text}”不是{lst.title}的选项")
                        else:
                            hf[f] = code
            hh["rows"].append((r, m))

    if stopped:
        errors.sort(key=lambda e: (e.row, e.column))
        return plan
    # Pass 2: households — exactly one 户主, duplicates against the database, records to write.
    # Search keys only for a plan that can be written (a rejected name may be 32,767 characters long).
    pinyin = _Pinyin() if not errors else (lambda name: ("", ""))
    next_seq = _next_local_seq(numbers, division_code)
    household_ids = iter(_sorted_new_ids(len(households)))
    member_ids = iter(_sorted_new_ids(plan.rows))
    by_household_id = None  # 户编号 of a household id (built when first needed: an error message)
    for key, hh in households.items():
        rows = hh["rows"]
        heads = [(r, m) for r, m in rows if m["relation"] == "head"]
        number = key if not key.startswith("\x00") else None
        if len(heads) != 1:
            label = f"户编号 {number}" if number else f"第{hh['first']}行起的这一户"
            r0 = heads[1][0] if len(heads) > 1 else hh["first"]
            err(r0, "relation", f"{label}有{len(heads)}个户主（每户应恰好一个）")
            continue
        head_row, head = heads[0]
        household_id = numbers.get(number) if number else None
        if household_id is None and not number and head["id_number"] in id_owners:
            household_id = id_owners[head["id_number"]][1]
        if id_owners:
            for r, m in rows:
                owner = id_owners.get(m["id_number"]) if m["id_number"] else None
                if owner and owner[1] != household_id:
                    if by_household_id is None:
                        by_household_id = {i: n for n, i in reversed(list(numbers.items()))}
                    err(r, "id_number", f"身份证号已登记在本村另一户（户编号 {by_household_id.get(owner[1], '')}）")
        fields = hh["fields"]
        head_name = fields.get("head_name") or head["name"]  # fields only hold non-empty values
        phone = fields.get("phone") or head.get("phone")
        py, ini = pinyin(head_name)
        hrow = {"head_name": head_name, "name_pinyin": py, "name_initials": ini,
                "head_id_number": head["id_number"], "updated_at": now, "updated_by": actor_id,
                "group_name": fields.get("group_name"), "natural_village": fields.get("natural_village"),
                "address": fields.get("address"), "phone": phone,
                "household_type": fields.get("household_type"),
                "monitoring_category": fields.get("monitoring_category")}
        if household_id is None:
            household_id = next(household_ids)
            if not number:
                number = f"{division_code}{next_seq:04d}"
                next_seq += 1
            hrow.update(id=household_id, village_id=village_id, number=number,
                        number_from_platform=bool(has_number), created_at=now, created_by=actor_id,
                        member_count=len(rows))
            if hrow["household_type"] is None:
                hrow["household_type"] = "ordinary"
            plan.households_new.append(hrow)
        else:
            hrow = {k: v for k, v in hrow.items() if v is not None}  # a blank cell never erases what is known
            hrow["id"] = household_id
            plan.households_update.append(hrow)
        for order, (r, m) in enumerate(rows):
            m["name_pinyin"], m["name_initials"] = pinyin(m["name"])
            m["updated_at"] = now
            m["updated_by"] = actor_id
            m["sort_order"] = order
            m["household_id"] = household_id
            id_number = m["id_number"]
            owner = id_owners.get(id_number) if id_number else None
            same_name = None if id_number else names.get((household_id, m["name"]))
            if (owner and owner[1] == household_id) or same_name:
                mrow = {k: v for k, v in m.items() if v is not None}
                mrow["id"] = owner[0] if owner and owner[1] == household_id else same_name
                plan.members_update.append(mrow)
            else:
                m["id"] = next(member_ids)
                m["created_at"] = now
                m["created_by"] = actor_id
                plan.members_new.append(m)
    errors.sort(key=lambda e: (e.row, e.column))
    return plan


def _next_local_seq(numbers: Mapping[str, str], prefix: str) -> int:
    top = 0
    for n in numbers:
        if n.startswith(prefix) and len(n) == len(prefix) + 4 and n[-4:].isdigit():
            top = max(top, int(n[-4:]))
    return top + 1


def apply_roster(services, plan: ImportPlan, *, progress=None, cancel=None):
    """Write an accepted plan in one transaction. Refuses a plan with errors (nothing is written)."""
    if plan.errors:
        raise ValidationError("roster", f"花名册有 {len(plan.errors)} 处问题，没有导入任何数据。请修改后重新导入。")
    hh_upd = plan.households_update
    new_members = _uniform(plan.members_new)
    upd_members = plan.members_update
    detail = f"导入花名册“{plan.layout.path.name}”：{plan.summary()}"
    return services.exchange.apply_rows(
        {"household": (_uniform(plan.households_new), hh_upd), "member": (new_members, upd_members)},
        action="import", detail=detail, cancel=cancel, progress=progress,
        recount_members=[r["id"] for r in plan.households_update],
    )


_MEMBER_DEFAULTS = {"sex": None, "birth_date": None, "id_number": None, "ethnicity": None, "political_status": None,
                    "education": None, "schooling": None, "health": None, "labour_skill": None, "phone": None,
                    "work_place": None, "work_months": None, "note": None, "person_number": None,
                    "dibao": False, "tekun": False}


def _uniform(rows: list[dict]) -> list[dict]:
    """executemany needs the same keys in every row."""
    if not rows:
        return list(rows)
    keys = set().union(*rows)
    if min(map(len, rows)) == len(keys):  # the usual case: every row already has every key
        return list(rows)
    out = []
    for r in rows:
        if len(r) != len(keys):
            r = {**{k: _MEMBER_DEFAULTS.get(k) for k in keys}, **r}
        out.append(r)
    return out
