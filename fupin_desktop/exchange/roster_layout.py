"""Roster import, step 1: find the sheet and header row, map the columns (synonyms, then what the user chose
earlier) — and remember the user's choices: column → field (``roster_mapping.json``) and, beside it, unknown cell
value → code per field (``roster_value_mapping.json``, see :mod:`fupin_desktop.exchange.roster_cells`).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fupin_desktop.exchange.bounded import BoundedZip, InputFileError, check_xlsx
from fupin_desktop.exchange.sheet_xml import SheetRef, iter_rows, shared_strings, sheets

__all__ = ["FIELDS", "REQUIRED", "CODE_OF_FIELD", "RosterLayout", "inspect_roster", "load_mapping", "save_mapping",
           "load_value_mapping", "save_value_mapping", "MAPPING_FILE", "VALUE_MAPPING_FILE", "IGNORE"]

VALUE_MAPPING_FILE = "roster_value_mapping.json"
MAPPING_FILE = "roster_mapping.json"
IGNORE = ""  # mapping target meaning "do not import this column"
HEADER_SCAN_ROWS = 10
MAX_SHOWN = 200  # characters of a cell's text quoted in a message

# field → (Chinese title, level, synonyms). level: "household" or "member".
FIELDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "number": ("户编号", "household", ("户编号", "户码", "户号", "家庭编号", "农户编号")),
    "head_name": ("户主姓名", "household", ("户主姓名", "户主")),
    "group_name": ("村民小组", "household", ("村民小组", "组", "所在组", "小组", "组别", "组名")),
    "natural_village": ("自然村", "household", ("自然村", "自然村名称")),
    "address": ("住址", "household", ("住址", "家庭住址", "家庭地址", "地址")),
    "household_phone": ("户联系电话", "household", ("户联系电话", "家庭电话", "户主电话")),
    "household_type": ("户类型", "household", ("户类型", "户属性", "农户类型", "户类别", "类别", "农户类别", "人员类别",
                                              "对象类别", "户别")),
    "monitoring_category": ("监测对象类别", "household", ("监测对象类别", "监测类型", "监测对象类型")),
    "risk_types": ("风险类型", "household", ("风险类型", "致贫返贫风险", "返贫致贫风险", "主要风险", "风险类别",
                                          "致贫风险", "返贫风险", "返贫致贫风险类型")),
    "poverty_causes": ("致贫原因", "household", ("致贫原因", "主要致贫原因")),
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
    "disability_category": ("残疾类别", "member", ("残疾类别", "残疾类型", "残疾种类")),
    "disability_level": ("残疾等级", "member", ("残疾等级", "残疾级别")),
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
                 "education": "education", "schooling": "schooling", "labour_skill": "labour_skill",
                 "disability_category": "disability_category", "disability_level": "disability_level",
                 "risk_types": "risk_type", "poverty_causes": "poverty_cause"}

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


def load_value_mapping(data_dir: Path | None) -> dict[str, dict[str, str]]:
    """Field → {cell text (squeezed) → code} chosen by the user earlier for values no list knew."""
    if data_dir is None:
        return {}
    try:
        raw = json.loads((Path(data_dir) / VALUE_MAPPING_FILE).read_text(encoding="utf-8"))
        return {str(f): {str(k): str(v) for k, v in dict(m).items()} for f, m in dict(raw).items() if f in FIELDS}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def save_value_mapping(data_dir: Path | None, values: Mapping[str, Mapping[str, str]]) -> None:
    """Remember ``values`` (field → {cell text → code}) beside the column mapping; later choices win."""
    if data_dir is None or not values:
        return
    from fupin_desktop.fileio import write_text_atomic

    known = load_value_mapping(data_dir)
    for f, choices in values.items():
        if f in FIELDS:
            known.setdefault(f, {}).update({_squeeze(k): v for k, v in choices.items() if v})
    write_text_atomic(Path(data_dir) / VALUE_MAPPING_FILE, json.dumps(known, ensure_ascii=False, indent=1))


# --- layout -----------------------------------------------------------------------------------------------------


@dataclass
class RosterLayout:
    path: Path
    sheet: str
    header_row: int  # Excel row number of the header
    headers: list[str]  # as written in the file
    mapping: dict[int, str]  # column index → field (only mapped columns)
    unmapped: list[tuple[int, str]]  # (column index, header text) nobody recognised
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field → {squeezed cell text → code}

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
        return RosterLayout(self.path, self.sheet, self.header_row, self.headers, mapping, unmapped, self.values)

    def with_values(self, by_field: Mapping[str, Mapping[str, str]]) -> "RosterLayout":
        """A copy where the user's value choices (field → {cell text → code}) are added to the remembered ones."""
        values = {f: dict(m) for f, m in self.values.items()}
        for f, choices in by_field.items():
            values.setdefault(f, {}).update({_squeeze(k): v for k, v in choices.items() if v})
        return RosterLayout(self.path, self.sheet, self.header_row, self.headers, dict(self.mapping),
                            list(self.unmapped), values)

    def field_of_column(self, column: str) -> str | None:
        """The field a column is imported as, by its header text (or the field's title or key)."""
        key = _squeeze(column)
        for i, f in self.mapping.items():
            if _squeeze(self.headers[i]) == key:
                return f
        for f in self.mapping.values():
            if key in (f, _squeeze(FIELDS[f][0])):
                return f
        return None


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
    return RosterLayout(path, name, header_row, headers, mapping, unmapped, load_value_mapping(data_dir))

