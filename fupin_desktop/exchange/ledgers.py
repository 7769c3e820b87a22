"""Which sheets an upward package holds, their Chinese headers and how each cell is written and read back.

One :class:`Sheet` per ledger of domain.md §7 (plus the small tables they refer to, so that a package is complete:
the team, donors, visit purposes…). Every sheet carries each record's UUID (记录ID), its household's 户编号, its
创建时间/更新时间 and 删除时间 (tombstones travel). Code values are written as their Chinese labels and read back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from fupin_desktop.domain import codes

__all__ = ["Sheet", "Column", "SHEETS", "SHEET_BY_TITLE", "MASKED_FIELDS", "ID_FIELDS", "PHONE_FIELDS",
           "build_columns", "HOUSEHOLD_NUMBER", "MASK_CHAR", "looks_like_formula", "inert_row"]

HOUSEHOLD_NUMBER = "户编号"
MASK_CHAR = "*"

# --- text that must never run: the one place every exported workbook escapes its cells ----------------------------
# Excel, WPS and LibreOffice take a cell beginning with these for a formula (openpyxl writes "=…" as one; the others
# turn live when a user edits or copies the cell). A village named "=HYPERLINK(…)" must stay a name.
FORMULA_STARTS = frozenset("=+-@\t\r")


def looks_like_formula(value: Any) -> bool:
    return value.__class__ is str and value[:1] in FORMULA_STARTS


def inert_row(ws, values):
    """``values`` for ``ws.append`` with every text that starts like a formula made an explicit text cell carrying
    Excel's quote prefix (the leading apostrophe): shown, printed and read back as the same text, never evaluated.
    Works for write-only and normal worksheets. Returns ``values`` itself when nothing needed escaping."""
    out = values
    for i, v in enumerate(values):
        if v.__class__ is str and v[:1] in FORMULA_STARTS:
            if out is values:
                out = list(values)
            out[i] = text_cell(ws, v)
    return out


def text_cell(ws, text: str):
    """A cell that holds ``text`` as text whatever it starts with."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    cell.value = text
    cell.data_type = "s"  # openpyxl made "=…" a formula on assignment
    cell.quotePrefix = True  # Excel/WPS/LibreOffice keep it text when the cell is edited
    return cell


@dataclass(frozen=True)
class Sheet:
    title: str  # sheet name (≤ 31 characters, no : \ / ? * [ ])
    table: str
    date_column: str | None = None  # the period filter applies to this column …
    parent: tuple[str, str, str] | None = None  # … or to the parent's date: (fk column, parent table, its date)
    open_items: bool = False  # problems: still-open items belong to every period


SHEETS: tuple[Sheet, ...] = (
    Sheet("村基本情况", "village"),
    Sheet("村情", "village_profile"),
    Sheet("工作队及帮扶人", "cadre"),
    Sheet("农户花名册", "household"),
    Sheet("家庭成员", "member"),
    Sheet("收支情况", "household_income"),
    Sheet("结对帮扶", "pairing"),
    Sheet("走访台账", "visit", "visit_date"),
    Sheet("走访人员", "visit_cadre", parent=("visit_id", "visit", "visit_date")),
    Sheet("走访事项", "visit_purpose", parent=("visit_id", "visit", "visit_date")),
    Sheet("两不愁三保障核查", "visit_check", parent=("visit_id", "visit", "visit_date")),
    Sheet("民情日记", "diary_entry", "entry_date"),
    Sheet("日记涉及农户", "diary_household", parent=("diary_id", "diary_entry", "entry_date")),
    Sheet("问题清单(销号台账)", "problem", "raised_on", open_items=True),
    Sheet("问题办理过程", "problem_event", "event_date"),
    Sheet("工作日志", "work_log", "log_date"),
    Sheet("考勤表", "attendance", "day"),
    Sheet("项目台账", "project"),
    Sheet("项目资金", "funding_line"),
    Sheet("项目进展", "project_event", "event_date"),
    Sheet("项目受益户", "project_beneficiary"),
    Sheet("捐赠方", "donor"),
    Sheet("捐赠台账", "donation"),
    Sheet("捐赠物品", "donation_item"),
    Sheet("发放签收", "distribution", "distributed_on"),
    Sheet("消费帮扶", "purchase", "purchase_date"),
    Sheet("消费帮扶受益户", "purchase_household", parent=("purchase_id", "purchase", "purchase_date")),
    Sheet("监测过程", "monitoring_step", "step_date"),
    Sheet("帮扶措施", "measure", "measure_date"),
    Sheet("监测标准", "monitoring_line"),
    Sheet("意见建议", "suggestion", "made_on"),
    Sheet("个人目标", "cadre_target"),
)
SHEET_BY_TITLE = {s.title: s for s in SHEETS}

# Personal numbers: masked unless a full export is asked for.
ID_FIELDS = frozenset({"head_id_number", "id_number"})
PHONE_FIELDS = frozenset({"phone"})
BANK_FIELDS = frozenset({"bank_account"})
MASKED_FIELDS = ID_FIELDS | PHONE_FIELDS | BANK_FIELDS
# Birth dates: masked and 公示 packages show the age on the export date instead (a birth date beside a masked ID
# rebuilds it: domain/privacy.py).
BIRTH_FIELDS = frozenset({"birth_date"})
# Columns that must stay text in Excel (long digit strings turn into 1.30205E+17 otherwise).
TEXT_FIELDS = frozenset({"id", "number", "person_number", "division_code", "receipt_number"}) | MASKED_FIELDS

COMMON_TITLES = {
    "id": "记录ID", "created_at": "创建时间", "updated_at": "更新时间", "deleted_at": "删除时间",
    "note": "备注", "household_id": "农户ID", "cadre_id": "帮扶人ID", "visit_id": "走访ID", "diary_id": "日记ID",
    "problem_id": "问题ID", "project_id": "项目ID", "donation_id": "捐赠ID", "donor_id": "捐赠方ID",
    "item_id": "物品ID", "purchase_id": "消费帮扶ID", "village_id": "村ID", "responsible_id": "责任人ID",
    "author_id": "记录人ID", "name_pinyin": "姓名拼音", "name_initials": "拼音首字母", "phone": "联系电话",
    "amount": "金额(元)", "quantity": "数量", "unit": "单位", "year": "年度", "status": "状态", "kind": "类型",
    "category": "类别", "name": "名称", "place": "地点", "source": "来源", "sex": "性别", "unit_price": "单价(元)",
    "from_status": "原状态", "to_status": "新状态", "event_date": "日期", "risk_types": "风险类型",
    "elimination_way": "风险消除方式", "satisfaction": "满意度", "content": "内容", "handler": "经办人",
    "start_date": "开始日期", "end_date": "结束日期", "farmland_mu": "耕地(亩)", "forest_mu": "林地(亩)",
    "address": "地址", "purpose": "用途",
}

TITLES: dict[str, dict[str, str]] = {
    "village": {"name": "村名", "division_code": "区划代码", "division_year": "区划代码年份", "province": "省",
                "city": "市", "county": "县", "township": "乡镇", "dispatch_unit": "派出单位"},
    "village_profile": {"households": "户数", "population": "人口", "agricultural_population": "农业人口",
                        "groups": "村民小组数", "party_members": "党员数", "committee_members": "两委成员",
                        "per_capita_income": "人均纯收入(元)", "collective_income": "村集体收入(元)"},
    "cadre": {"name": "姓名", "unit": "工作单位", "position": "职务", "role": "角色", "in_team": "驻村工作队员"},
    "household": {"number": "户编号", "number_from_platform": "编号来自国家平台", "group_name": "村民小组",
                  "natural_village": "自然村", "head_name": "户主姓名", "head_id_number": "户主身份证号",
                  "household_type": "户类型", "monitoring_category": "监测对象类别", "monitoring_stage": "监测阶段",
                  "identified_on": "识别监测时间", "risk_eliminated": "风险已消除", "eliminated_on": "风险消除时间",
                  "poverty_causes": "致贫原因", "is_martyr_family": "军烈属", "no_labour_safety_net": "整户无劳动能力兜底",
                  "relocation_address": "易地搬迁安置地址", "long_absent": "长期不在村", "housing_area": "住房面积(㎡)",
                  "housing_grade": "危房等级", "drinking_water": "饮水", "toilet": "厕所", "bank_account": "银行账号",
                  "member_count": "家庭人口数", "last_visit_on": "最近走访日期", "open_problems": "未办结问题数"},
    "member": {"person_number": "人口编号", "name": "姓名", "birth_date": "出生日期", "id_type": "证件类型",
               "id_number": "身份证号", "ethnicity": "民族", "political_status": "政治面貌", "relation": "与户主关系",
               "education": "文化程度", "schooling": "在校生状况", "dropout_reason": "失学或辍学原因",
               "health": "健康状况", "disability_category": "残疾类别", "disability_level": "残疾等级",
               "labour_skill": "劳动技能", "work_place": "务工所在地", "work_months": "务工时间(月)",
               "work_company": "务工企业名称", "public_job": "公益性岗位", "public_job_months": "公益性岗位月数",
               "dibao": "享受低保", "tekun": "特困供养", "resident_medical": "城乡居民基本医疗保险",
               "employee_medical": "职工基本医疗保险", "critical_illness_insurance": "大病保险",
               "resident_pension": "城乡居民基本养老保险", "employee_pension": "职工基本养老保险", "sort_order": "排序"},
    "household_income": {"wages": "工资性收入(元)", "business": "生产经营性收入(元)", "property_income": "财产性收入(元)",
                         "transfer": "转移性收入(元)", "production_cost": "生产经营性支出(元)",
                         "insurance_payout": "理赔收入(元)", "out_of_pocket_medical": "合规自付支出(元)",
                         "size": "家庭人口"},
    "visit": {"visit_date": "走访日期", "method": "走访方式", "present": "见到农户", "people_present": "在场人员",
              "findings": "走访情况", "actions": "处理措施"},
    "visit_purpose": {"purpose": "走访事项"},
    "visit_check": {"item": "核查项目", "secure": "有保障"},
    "diary_entry": {"entry_date": "日期", "weather": "天气", "people_met": "走访对象", "title": "标题",
                    "content": "了解情况", "problems_found": "发现问题", "follow_up": "跟进措施"},
    "problem": {"description": "问题描述", "raised_on": "提出日期", "due_date": "办理期限", "resolution": "办理结果",
                "closed_on": "办结日期", "revisited_on": "回访日期", "source": "问题来源", "category": "问题类别"},
    "problem_event": {"note": "办理说明"},
    "work_log": {"log_date": "日期", "kind": "类型", "topic": "主题", "host": "主持人", "attendees_count": "参加人数",
                 "attendees": "参加人员", "content": "内容"},
    "attendance": {"day": "日期", "status": "出勤情况"},
    "project": {"number": "项目编号", "name": "项目名称", "subcategory": "项目子类", "nature": "建设性质",
                "action_type": "规定/自选动作", "content_scale": "建设内容及规模", "implementing_unit": "实施单位",
                "supervising_dept": "主管部门", "responsible": "责任人", "planned_start": "计划开工",
                "planned_end": "计划完工", "actual_start": "实际开工", "actual_end": "实际完工",
                "total_investment": "总投资(元)", "progress_percent": "进度(%)", "beneficiary_households": "受益户数",
                "beneficiary_people": "受益人数", "beneficiary_poor_households": "受益脱贫户数",
                "beneficiary_monitored_households": "受益监测户数", "benefit_mechanism": "联农带农机制",
                "performance_target": "绩效目标", "asset_type": "资产类别", "asset_owner": "资产权属",
                "handover_date": "移交日期", "handover_note": "移交说明"},
    "funding_line": {"source": "资金来源", "planned_amount": "计划金额(元)", "received_amount": "到位金额(元)"},
    "project_event": {"percent": "进度(%)", "note": "说明"},
    "donor": {"name": "捐赠方", "contact": "联系人"},
    "donation": {"received_on": "接收日期", "kind": "捐赠形式", "designated_target": "定向对象",
                 "receipt_number": "收据号", "is_condolence": "慰问"},
    "donation_item": {"name": "物品名称", "spec": "规格"},
    "distribution": {"target_kind": "发放对象类型", "target_name": "发放对象", "distributed_on": "发放日期",
                     "handler": "发放人", "signed": "已签收", "signed_by": "签收人", "proxy_note": "代领说明"},
    "purchase": {"purchase_date": "日期", "buyer_unit": "购买单位", "product": "产品", "supplier": "供应主体",
                 "origin": "产地", "channel": "渠道", "households_benefiting": "带动户数"},
    "monitoring_step": {"stage": "环节", "step_date": "日期", "actor": "办理人", "people": "涉及人数"},
    "measure": {"measure_date": "日期", "result": "成效"},
    "monitoring_line": {"area": "地区", "amount": "监测标准(元/人·年)"},
    "suggestion": {"made_on": "日期", "cadre_id": "提出人ID", "addressee": "提出对象", "content": "建议内容",
                   "adopted": "已采纳", "adopted_note": "采纳情况"},
    "cadre_target": {"cadre_id": "干部ID", "metric": "目标项目", "value": "目标数"},
}

# (table, column) → code list; columns of several codes (comma separated in the database) are in MULTI.
CODE_FIELDS: dict[tuple[str, str], str] = {}
for _t, _c, _l in (
    ("cadre", "sex", "sex"), ("cadre", "role", "cadre_role"),
    ("household", "household_type", "household_type"), ("household", "monitoring_category", "monitoring_category"),
    ("household", "monitoring_stage", "monitoring_stage"), ("household", "elimination_way", "elimination_way"),
    ("household", "housing_grade", "housing_grade"), ("household", "risk_types", "risk_type"),
    ("household", "poverty_causes", "poverty_cause"),
    ("member", "sex", "sex"), ("member", "id_type", "id_type"), ("member", "ethnicity", "ethnicity"),
    ("member", "political_status", "political_status"), ("member", "relation", "relation"),
    ("member", "education", "education"), ("member", "schooling", "schooling"), ("member", "health", "health"),
    ("member", "disability_category", "disability_category"), ("member", "disability_level", "disability_level"),
    ("member", "labour_skill", "labour_skill"),
    ("visit", "method", "visit_method"), ("visit", "satisfaction", "satisfaction"),
    ("visit_purpose", "purpose", "visit_purpose"), ("visit_check", "item", "guarantee_item"),
    ("diary_entry", "weather", "weather"),
    ("problem", "source", "problem_source"), ("problem", "status", "problem_status"),
    ("problem", "satisfaction", "satisfaction"), ("problem_event", "from_status", "problem_status"),
    ("problem_event", "to_status", "problem_status"),
    ("work_log", "kind", "worklog_kind"), ("attendance", "status", "attendance_status"),
    ("project", "category", "project_category"), ("project", "status", "project_status"),
    ("project_event", "from_status", "project_status"), ("project_event", "to_status", "project_status"),
    ("funding_line", "source", "funding_source"), ("donor", "kind", "donor_kind"),
    ("donation", "kind", "donation_kind"), ("purchase", "channel", "purchase_channel"),
    ("monitoring_step", "stage", "monitoring_stage"), ("monitoring_step", "category", "monitoring_category"),
    ("monitoring_step", "source", "clue_source"), ("monitoring_step", "elimination_way", "elimination_way"),
    ("monitoring_step", "risk_types", "risk_type"), ("measure", "category", "measure_category"),
    ("cadre_target", "metric", "target_metric"),
):
    CODE_FIELDS[(_t, _c)] = _l
MULTI = frozenset({("household", "risk_types"), ("household", "poverty_causes"), ("member", "health"),
                   ("monitoring_step", "risk_types")})

WIDTHS = {"text": 10, "date": 10.5, "datetime": 24, "money": 11, "decimal": 9, "int": 6, "bool": 5}
WIDE = {"id": 36, "content": 30, "findings": 30, "description": 30, "actions": 20, "resolution": 20, "note": 14,
        "address": 16, "head_id_number": 19.5, "id_number": 19.5, "number": 20, "name": 9, "head_name": 9,
        "topic": 20, "phone": 12.5, "deleted_at": 12}
YES, NO = "是", "否"


class _Codec:
    """Label ↔ code for one list; a label that two codes share is written as the code itself (never ambiguous)."""

    def __init__(self, list_name: str):
        self.list = codes.get(list_name)
        self._labels: dict[str, str] = {}
        for item in self.list.items():
            if self.list.code_for_label(item.label) == item.code:
                self._labels[item.code] = item.label

    def label(self, code: str) -> str:
        return self._labels.get(code, code)

    def code(self, text: str) -> str:
        found = self.list.code_for_label(text)
        return found if found is not None else text


_CODECS: dict[str, _Codec] = {}


def _codec(list_name: str) -> _Codec | None:
    if list_name not in _CODECS:
        try:
            _CODECS[list_name] = _Codec(list_name)
        except KeyError:
            return None
    return _CODECS[list_name]


@dataclass(frozen=True)
class Column:
    field: str  # table column, or HOUSEHOLD_NUMBER for the looked-up 户编号
    title: str
    kind: str  # text, int, bool, date, datetime, money, decimal
    nullable: bool = True
    codes: str | None = None
    multi: bool = False

    @property
    def width(self) -> float:
        if self.field == HOUSEHOLD_NUMBER:
            return 20
        # Headers wrap (two lines), so a column need only be half as wide as its title.
        return WIDE.get(self.field, max(WIDTHS.get(self.kind, 10), min(len(self.title) + 1, 16)))

    @property
    def is_technical(self) -> bool:
        """Columns for the program (UUIDs, pinyin keys, timestamps): hidden in the workbook, not printed."""
        return (self.field == "id" or self.field.endswith("_id")
                or self.field in ("name_pinyin", "name_initials", "created_at", "updated_at"))

    @property
    def is_text_number(self) -> bool:
        return self.field in TEXT_FIELDS or self.field.endswith("_id") or self.field == HOUSEHOLD_NUMBER

    # -- value → cell ----------------------------------------------------------------------------------------------
    def to_cell(self, value: Any) -> Any:
        if value is None:
            return None
        kind = self.kind
        if kind == "bool":
            return YES if value else NO
        if kind == "datetime":
            return value.isoformat(sep=" ", timespec="microseconds")
        if self.codes:
            codec = _codec(self.codes)
            if codec is not None:
                if self.multi:
                    return "，".join(codec.label(c) for c in str(value).split(",") if c)
                return codec.label(value)
        return value

    # -- cell → value ----------------------------------------------------------------------------------------------
    def from_cell(self, cell: Any) -> Any:
        """The database value of a cell read back (raises ValueError with a Chinese message)."""
        if cell is None or cell == "" or (self.kind != "text" and isinstance(cell, str) and cell.strip() == ""):
            if self.kind == "text" and not self.nullable:
                return ""
            return None
        kind = self.kind
        if kind == "bool":
            text = str(cell).strip()
            if text in (YES, "1", "TRUE", "True", "true"):
                return True
            if text in (NO, "0", "FALSE", "False", "false"):
                return False
            raise ValueError(f"应为“是”或“否”，现在是“{text}”")
        if kind == "datetime":
            if isinstance(cell, datetime):
                return cell
            try:
                return datetime.fromisoformat(str(cell).strip())
            except ValueError:
                raise ValueError(f"时间格式不对：“{cell}”") from None
        if kind == "date":
            if isinstance(cell, datetime):
                return cell.date()
            if isinstance(cell, date):
                return cell
            from fupin_desktop.domain.dates import parse_date
            from fupin_desktop.domain.errors import ValidationError
            try:
                return parse_date(cell)
            except ValidationError as e:
                raise ValueError(e.message) from None
        if kind == "int":
            try:
                return int(Decimal(str(cell)))
            except (InvalidOperation, ValueError):
                raise ValueError(f"应为整数，现在是“{cell}”") from None
        if kind in ("money", "decimal"):
            try:
                number = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(str(cell).strip())
            except InvalidOperation:
                raise ValueError(f"应为数字，现在是“{cell}”") from None
            return number.quantize(Decimal("0.01") if kind == "money" else Decimal("0.001"))
        text = str(cell)
        if self.codes:
            codec = _codec(self.codes)
            if codec is not None:
                if self.multi:
                    return ",".join(codec.code(p.strip()) for p in text.replace(",", "，").split("，") if p.strip())
                return codec.code(text)
        return text


def canonical(value: Any) -> str:
    """The text a checksum covers for one cell value (equal before writing and after reading back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if number == number.to_integral_value():
            return str(int(number))
        return format(number.normalize(), "f")
    return str(value)


def build_columns(table: str, schema: list[tuple[str, str, bool]]) -> list[Column]:
    """The sheet's columns: 记录ID, 户编号 (when the table has a household), the data fields, the timestamps."""
    titles = {**COMMON_TITLES, **TITLES.get(table, {})}
    first, middle, last = [], [], []
    for name, kind, nullable in schema:
        col = Column(name, titles.get(name, name), kind, nullable, CODE_FIELDS.get((table, name)),
                     (table, name) in MULTI)
        if name == "id" or (table == "household" and name in ("number", "head_name")):
            first.append(col)
        elif name in ("created_at", "updated_at", "deleted_at"):
            last.append(col)
        else:
            middle.append(col)
    if "household_id" in {c for c, _, _ in schema}:
        first.append(Column(HOUSEHOLD_NUMBER, HOUSEHOLD_NUMBER, "text"))
    rank = {"id": 0, "number": 1, HOUSEHOLD_NUMBER: 1, "head_name": 2}
    first.sort(key=lambda c: rank[c.field])
    last.sort(key=lambda c: ("created_at", "updated_at", "deleted_at").index(c.field))
    # Unique titles: a sheet is read back by its header texts.
    seen: set[str] = set()
    out = []
    for col in first + middle + last:
        title = col.title
        while title in seen:
            title = f"{title}({col.field})"
        seen.add(title)
        out.append(col if title == col.title else Column(col.field, title, col.kind, col.nullable, col.codes,
                                                           col.multi))
    return out
