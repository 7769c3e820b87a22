"""Importing a household/member roster (national monitoring-system export or a hand-kept sheet).

Steps, each usable from the GUI wizard and the CLI:

1. :func:`inspect_roster` finds the header row (anywhere in the first 10 rows, below merged title cells), maps
   the columns by header synonyms and by the mapping remembered from last time, and lists unmapped columns.
2. :func:`validate_roster` reads every row, normalises it (full-width digits, stray spaces, dates written as
   2019.5.3 / 2019/05/03 / Excel serials, relation codes in text or GB/T 4761 numeric form) and checks it (ID
   checksum, exactly one 户主 per household, duplicates within the file and against the database) with the field
   rules of domain/fields.py (the household form's). Code columns are read with the words counties write
   (domain/code_synonyms.py; a 户类型 cell holding a 监测对象 category sets the category and the implied type) and the
   user's value mapping; a value still unknown is an error AND is counted in ``plan.unknown`` so the dialog / CLI
   can offer it for mapping (remembered beside the column mapping). It returns an :class:`ImportPlan` with every
   problem as an :class:`ImportRowError` (sheet, row, column, message). Nothing is written.
3. :func:`apply_roster` writes an accepted plan — only when it has no errors — in ONE transaction. Households are
   matched by 户编号 and members by 身份证号, so importing the same file again updates instead of duplicating.

Modules: roster_layout.py (step 1 and the remembered mappings), roster_cells.py (one cell → value), this one (rows).

Speed (100,000 rows in a few seconds): the sheet XML is read directly, a few MB at a time (exchange.sheet_xml);
once its columns are known, one regular expression matches a whole row and captures only the mapped cells. Checks
that depend on a cell's text alone (codes, dates, relation, yes/no) are cached per distinct text; the ID check
character is computed in C; new ids are handed out in sorted order and written with driver-level executemany
(storage.queries.exchange); the cyclic garbage collector pauses meanwhile (fupin_desktop.memory).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fupin_desktop.domain.dates import parse_date
from fupin_desktop.domain.errors import ImportRowError, ValidationError
from fupin_desktop.domain.fields import NUMBER_MAX, check_education_schooling
from fupin_desktop.domain.lengths import MAX_LENGTH, too_long
from fupin_desktop.domain.text import PinyinKeys
from fupin_desktop.exchange.bounded import BoundedZip, InputFileError
from fupin_desktop.exchange.roster_cells import (
    MAPPABLE, CodeReader, clean as _clean, clean_text as _clean_text, months as _work_months, cached as _cached,
    parse_id as _parse_id, parse_id_text as _parse_id_text, phone as _phone, value_choices,
)
from fupin_desktop.exchange.roster_layout import (  # noqa: F401 - the import's public names live on here too
    CODE_OF_FIELD, FIELDS, IGNORE, MAPPING_FILE, MAX_SHOWN, REQUIRED, VALUE_MAPPING_FILE, RosterLayout, _squeeze,
    inspect_roster, load_mapping, load_value_mapping, save_mapping, save_value_mapping,
)
from fupin_desktop.exchange.sheet_xml import iter_rows, shared_strings, sheets
from fupin_desktop.memory import paused_gc

__all__ = ["FIELDS", "RosterLayout", "ImportPlan", "inspect_roster", "validate_roster", "apply_roster",
           "load_mapping", "save_mapping", "load_value_mapping", "save_value_mapping", "value_choices",
           "MAPPING_FILE", "VALUE_MAPPING_FILE", "IGNORE"]

MAX_ROWS = 200_000  # member rows in one roster (a township has tens of thousands; the benchmark imports 100,000)
NAME_MAX = MAX_LENGTH["member"]["name"]
MAX_ERRORS = 1000  # problems listed before the check stops reading (a hostile or wrong file has one per row)

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
    #: (field, cell text) → rows holding a value no code list or mapping knows (offered for mapping)
    unknown: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (f"共 {self.rows} 行：新增 {len(self.households_new)} 户、{len(self.members_new)} 人；"
                f"更新 {len(self.households_update)} 户、{len(self.members_update)} 人；"
                f"发现问题 {len(self.errors)} 处")

    def unknown_values(self) -> list[tuple[str, str, str, int]]:
        """(column header, field, value, rows) of every unknown value, in column order then by count."""
        header = {f: self.layout.headers[i] for i, f in self.layout.mapping.items()}
        order = {f: i for i, f in self.layout.mapping.items()}
        rows = [(header.get(f, FIELDS[f][0]), f, text, n) for (f, text), n in self.unknown.items()]
        return sorted(rows, key=lambda r: (order.get(r[1], 0), -r[3], r[2]))


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
    readers = {f: CodeReader(f, layout.values.get(f, {})) for f in MAPPABLE}
    unknown = plan.unknown
    now = services.exchange.now()
    actor_id = services.exchange.actor.user_id
    errors = plan.errors

    def err(r: int, f: str, message: str) -> None:
        if len(message) > MAX_SHOWN:  # a hostile cell is not quoted whole
            message = message[:MAX_SHOWN] + "…"
        errors.append(ImportRowError(sheet, r, FIELDS[f][0] if f not in col_of else title_of[col_of[f]], message))

    def failed(r: int, f: str, hit: tuple[bool, Any, str | None]) -> None:
        """An outcome that is an error: reported, and an unknown value counted for the value mapping."""
        err(r, f, hit[1])
        if hit[2] is not None:
            unknown[(f, hit[2][:MAX_SHOWN])] = unknown.get((f, hit[2][:MAX_SHOWN]), 0) + 1

    # The cells read, in a fixed order: slot[field] is the position of the field's cell in a row's values.
    read = list(layout.mapping.items())
    slot = {f: k for k, (_, f) in enumerate(read)}
    s_name, s_relation = slot["name"], slot["relation"]
    s_id, s_birth = slot.get("id_number"), slot.get("birth_date")
    s_phone, s_number = slot.get("phone"), slot.get("number")
    s_hh_phone = slot.get("household_phone")
    # (field, slot, reader, cache of cell text → outcome) of the member-level code columns present
    member_codes = [(f, slot[f], readers[f].code, {}) for f in CODE_OF_FIELD if f in slot and FIELDS[f][1] == "member"]
    # (field, slot, parser, cache of cell text → outcome) of the columns checked by a parser of their own
    parsers = {"health": readers["health"].health, "dibao": readers["dibao"].yes_no,
               "tekun": readers["tekun"].yes_no, "work_months": _work_months}
    checked = [(f, slot[f], parse, {}) for f, parse in parsers.items() if f in slot]
    read_relation = readers["relation"].relation
    plain_texts = [(f, slot[f]) for f in ("work_place", "note", "person_number") if f in slot]
    hh_texts = [(f, slot[f]) for f in ("head_name", "group_name", "natural_village", "address") if f in slot]
    # 监测对象类别 first: a 户类型 cell holding a 监测对象 category only sets the category when that column is blank
    hh_reads = {"monitoring_category": readers["monitoring_category"].monitoring,
                "household_type": readers["household_type"].household_kind,
                "risk_types": readers["risk_types"].multi, "poverty_causes": readers["poverty_causes"].multi}
    hh_codes = [(f, slot[f], {}, read) for f, read in hh_reads.items() if f in slot]
    # every member record has the same keys (None = not given; a blank cell never erases a known value)
    template: dict[str, Any] = dict.fromkeys(
        ["name", "relation", "id_number", "sex", "birth_date"] + [f for f, *_ in member_codes]
        + (["phone"] if s_phone is not None else []) + [f for f, *_ in checked] + [f for f, _ in plain_texts])

    # Pass 1: every row → a member record + its household key.
    households: dict[str, dict[str, Any]] = {}  # key → {"rows": [...], "fields": {...}, "first": r}
    seen_ids: dict[str, int] = {}
    relations: dict[str, tuple] = {}  # cell text → outcome of the relation (a roster repeats a handful of texts)
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
            elif len(name) > NAME_MAX:
                err(r, "name", "姓名" + too_long("member", "name", name))
            m["name"] = name
            raw = vals[s_relation]
            hit = _cached(relations, read_relation, raw)
            if hit[0]:
                relation = hit[1]
            else:
                failed(r, "relation", hit)
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
            for f, k, read_code, seen in member_codes:
                raw = vals[k]
                if raw is None:
                    continue
                hit = _cached(seen, read_code, raw)
                code = hit[1]
                if not hit[0]:
                    failed(r, f, hit)
                elif code is None:
                    continue
                elif f == "sex" and m["sex"] and m["sex"] != code:
                    err(r, f, f"性别与身份证号不符（身份证号显示为{'男' if m['sex'] == 'male' else '女'}）")
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
                hit = _cached(seen, parse, raw)
                if not hit[0]:
                    failed(r, f, hit)
                elif hit[1] is not None:
                    m[f] = hit[1]
            for f, k in plain_texts:
                raw = vals[k]
                if raw is not None:
                    m[f] = text = _clean_text(raw) or None
                    problem = too_long("member", f, text)
                    if problem:
                        err(r, f, FIELDS[f][0] + problem)
            try:
                check_education_schooling(m.get("education"), m.get("schooling"))
            except ValidationError as e:
                err(r, "schooling", e.message)
            # household key
            if has_number:
                key = _clean(vals[s_number])
                if not key:
                    err(r, "number", "户编号不能为空")
                    anon += 1
                    key = f"\x00{anon}"
                elif len(key) > NUMBER_MAX:
                    err(r, "number", f"户编号最多{NUMBER_MAX}位")
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
            for f, k, seen, read_kind in hh_codes:
                if f in hf:
                    continue
                raw = vals[k]
                hit = _cached(seen, read_kind, raw)
                if not hit[0]:
                    failed(r, f, hit)
                elif hit[1] is None:
                    continue
                elif f != "household_type":
                    hf[f] = hit[1]
                else:  # (household type, monitoring category): a 监测对象 category written as a household type
                    kind, category = hit[1]
                    if kind:
                        hf[f] = kind
                    if category and "monitoring_category" not in hf:
                        hf["monitoring_category"] = category
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
                "monitoring_category": fields.get("monitoring_category"),
                "risk_types": fields.get("risk_types"), "poverty_causes": fields.get("poverty_causes")}
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
            for f in ("risk_types", "poverty_causes"):  # NOT NULL, "" = none
                hrow[f] = hrow[f] or ""
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
                    "disability_category": None, "disability_level": None,
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
