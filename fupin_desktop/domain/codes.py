"""Every code list of the domain (domain.md) as editable data.

The database stores the short ASCII ``code`` of an item and the program shows its Chinese ``label``. Codes are
written into users' files, so a code must never change once released; labels may be reworded. Provinces add
items every year: an administrator adds them with :meth:`CodeList.add_local` (marked ``local=True``) instead of
waiting for a new program version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from fupin_desktop.domain.errors import ValidationError

__all__ = [
    "CodeItem",
    "CodeList",
    "CODE_LISTS",
    "DEVELOPMENT_MEASURES",
    "ALLEVIATED_HOUSEHOLD_TYPES",
    "UNSAFE_HOUSING_GRADES",
    "LABOUR_SKILLS_WITH_LABOUR",
    "get",
    "label",
    "relation_from_numeric",
]


@dataclass
class CodeItem:
    """One entry of a code list."""

    code: str
    label: str
    local: bool = False


_SPACES = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    # Spreadsheets often carry stray spaces (also full-width ones) inside short labels such as "户 主".
    return _SPACES.sub("", text)


class CodeList:
    """An ordered list of codes with Chinese labels, plus aliases that other documents use for them."""

    def __init__(
        self,
        name: str,
        title: str,
        items: Iterable[CodeItem | tuple[str, str]],
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self.title = title
        self._items: list[CodeItem] = []
        self._by_code: dict[str, CodeItem] = {}
        # Squeezed label → code: imports look labels up for every cell, so this must be a dict lookup.
        self._by_label: dict[str, str] = {}
        for item in items:
            if isinstance(item, tuple):
                item = CodeItem(*item)
            self._append(item)
        self.aliases: dict[str, str] = {}
        for alias, code in (aliases or {}).items():
            if code not in self._by_code:
                raise ValueError(f"{name}: alias {alias!r} points to unknown code {code!r}")
            self.aliases[_squeeze(alias)] = code

    def add_aliases(self, aliases: Mapping[str, str]) -> None:
        """More words for existing codes (domain/code_synonyms.py); a word that is already a label stays that label."""
        for alias, code in aliases.items():
            if code not in self._by_code:
                raise ValueError(f"{self.name}: alias {alias!r} points to unknown code {code!r}")
            self.aliases.setdefault(_squeeze(alias), code)

    def _append(self, item: CodeItem) -> None:
        if item.code in self._by_code:
            raise ValueError(f"{self.name}: duplicate code {item.code!r}")
        self._items.append(item)
        self._by_code[item.code] = item
        self._by_label.setdefault(_squeeze(item.label), item.code)

    def __repr__(self) -> str:
        return f"CodeList({self.name!r}, {len(self._items)} items)"

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[CodeItem]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def label(self, code: str | None) -> str:
        """Chinese label of ``code``; an unknown code is shown as itself (never hide data), None as ""."""
        if code is None:
            return ""
        item = self._by_code.get(code)
        return item.label if item else code

    def items(self) -> list[CodeItem]:
        """The items in display order (a copy)."""
        return list(self._items)

    def codes(self) -> list[str]:
        return [item.code for item in self._items]

    def code_for_label(self, label_or_code: str | None) -> str | None:
        """Code for a code, a label or a known alias (spaces ignored, 其它 = 其他); None when nothing matches."""
        if label_or_code is None:
            return None
        text = str(label_or_code)
        if text in self._by_code:
            return text
        squeezed = _squeeze(text)
        if not squeezed:
            return None
        variants = [squeezed]
        # Both spellings of "other" occur in official forms; treat them as the same word.
        if "其它" in squeezed:
            variants.append(squeezed.replace("其它", "其他"))
        if "其他" in squeezed:
            variants.append(squeezed.replace("其他", "其它"))
        for candidate in variants:
            if candidate in self._by_code:
                return candidate
            if candidate in self._by_label:
                return self._by_label[candidate]
            if candidate in self.aliases:
                return self.aliases[candidate]
        lowered = squeezed.lower()
        if lowered in self._by_code:
            return lowered
        return None

    def parse_multi(self, text: str | None, field: str | None = None) -> list[str]:
        """Codes of a multi-valued cell such as "残疾,长期慢性病" (separators , ， 、 ; ；).

        Raises ValidationError naming the first unknown value.
        """
        if not text:
            return []
        result: list[str] = []
        for part in re.split(r"[,，、;；/]", str(text)):
            if not part.strip():
                continue
            code = self.code_for_label(part)
            if code is None:
                raise ValidationError(field or self.name, f"“{part.strip()}”不是{self.title}里的选项")
            if code not in result:
                result.append(code)
        return result

    def add_local(self, code: str, label: str) -> CodeItem:
        """Add an item defined by this deployment (shown after the built-in ones).

        Raises ValidationError when the code or the label is empty or already in the list.
        """
        code = (code or "").strip()
        label = (label or "").strip()
        if not code:
            raise ValidationError("code", "代码不能为空")
        if not label:
            raise ValidationError("label", "名称不能为空")
        if len(code) > 32:
            raise ValidationError("code", "代码不能超过32个字符")
        if code in self._by_code:
            raise ValidationError("code", f"{self.title}里已有代码“{code}”")
        if self.code_for_label(label) is not None:
            raise ValidationError("label", f"{self.title}里已有“{label}”")
        item = CodeItem(code, label, local=True)
        self._append(item)
        return item

    def clear_local(self) -> None:
        """Forget every locally added item (used when reloading them from the database, and in tests)."""
        self._items = [item for item in self._items if not item.local]
        self._by_code = {item.code: item for item in self._items}
        self._by_label = {}
        for item in self._items:
            self._by_label.setdefault(_squeeze(item.label), item.code)


# --------------------------------------------------------------------------------------------------------------
# The lists. Order matters: it is the order of drop-downs and of printed ledgers.

CODE_LISTS: dict[str, CodeList] = {}


def _define(
    name: str,
    title: str,
    items: Iterable[tuple[str, str]],
    aliases: Mapping[str, str] | None = None,
) -> CodeList:
    code_list = CodeList(name, title, items, aliases)
    CODE_LISTS[name] = code_list
    return code_list


_define("sex", "性别", [("male", "男"), ("female", "女")], {"男性": "male", "女性": "female"})

_define(
    "relation",
    "与户主关系",
    [
        ("head", "户主"),
        ("spouse", "配偶"),
        ("son", "之子"),
        ("daughter", "之女"),
        ("daughter_in_law", "之儿媳"),
        ("son_in_law", "之女婿"),
        ("grandson", "之孙子"),
        ("granddaughter", "之孙女"),
        ("daughters_son", "之外孙子"),
        ("daughters_daughter", "之外孙女"),
        ("father", "之父"),
        ("mother", "之母"),
        ("wifes_father", "之岳父"),
        ("wifes_mother", "之岳母"),
        ("husbands_father", "之公公"),
        ("husbands_mother", "之婆婆"),
        ("grandfather", "之祖父"),
        ("grandmother", "之祖母"),
        ("maternal_grandfather", "之外祖父"),
        ("maternal_grandmother", "之外祖母"),
        ("sibling", "之兄弟姐妹"),
        ("great_grandson", "之曾孙子"),
        ("great_granddaughter", "之曾孙女"),
        ("nephew", "之侄儿"),
        ("niece", "之侄女"),
        ("brothers_wife", "之兄弟媳妇"),
        ("uncle", "之叔伯"),
        ("other", "其他"),
    ],
    {
        # Numeric-form labels (GB/T 4761) and everyday words found in hand-made rosters.
        "本人": "head",
        "妻子": "spouse",
        "丈夫": "spouse",
        "妻": "spouse",
        "夫": "spouse",
        "子": "son",
        "儿子": "son",
        "女": "daughter",
        "女儿": "daughter",
        "儿媳": "daughter_in_law",
        "女婿": "son_in_law",
        "孙子": "grandson",
        "孙女": "granddaughter",
        "外孙子": "daughters_son",
        "外孙": "daughters_son",
        "外孙女": "daughters_daughter",
        "父亲": "father",
        "母亲": "mother",
        "岳父": "wifes_father",
        "岳母": "wifes_mother",
        "公公": "husbands_father",
        "婆婆": "husbands_mother",
        "祖父": "grandfather",
        "祖母": "grandmother",
        "外祖父": "maternal_grandfather",
        "外祖母": "maternal_grandmother",
        "兄弟姐妹": "sibling",
        "曾孙子": "great_grandson",
        "曾孙女": "great_granddaughter",
        "侄儿": "nephew",
        "侄子": "nephew",
        "侄女": "niece",
        "兄弟媳妇": "brothers_wife",
        "叔伯": "uncle",
    },
)

# GB/T 4761 two-digit codes. The first digit is the group; only detailed codes whose meaning differs from their
# group's head are listed (e.g. 28 女婿 is in the 子 group, 38 儿媳 in the 女 group).
_NUMERIC_RELATION: dict[str, str] = {
    "01": "head",
    "02": "head",
    "10": "spouse",
    "20": "son",
    "28": "son_in_law",
    "30": "daughter",
    "38": "daughter_in_law",
    "40": "grandson",
    "41": "grandson",
    "42": "granddaughter",
    "43": "daughters_son",
    "44": "daughters_daughter",
    "50": "father",
    "51": "father",
    "52": "mother",
    "53": "husbands_father",
    "54": "husbands_mother",
    "55": "wifes_father",
    "56": "wifes_mother",
    "57": "father",
    "58": "mother",
    "60": "grandfather",
    "61": "grandfather",
    "62": "grandmother",
    "63": "maternal_grandfather",
    "64": "maternal_grandmother",
    "70": "sibling",
    "72": "brothers_wife",
    "74": "brothers_wife",
    "76": "other",
    "78": "other",
    "99": "other",
}
_NUMERIC_GROUP = {"1": "spouse", "2": "son", "3": "daughter", "5": "father", "6": "grandfather", "7": "sibling"}


def relation_from_numeric(code: str | int | None) -> str | None:
    """Map a GB/T 4761 numeric relation code ("01" 本人, "10" 配偶, … "99" 其他) to a ``relation`` code.

    Detailed codes fall back to their group (e.g. "22" 长子 → son); codes of the 8x/9x groups (other relatives)
    give "other". Returns None for empty or non-numeric input.
    """
    if code is None:
        return None
    text = str(code).strip()
    if not text.isdigit() or len(text) > 2:
        return None
    text = text.zfill(2)
    if text == "00":
        return None
    if text in _NUMERIC_RELATION:
        return _NUMERIC_RELATION[text]
    if text[0] in _NUMERIC_GROUP:
        return _NUMERIC_GROUP[text[0]]
    if text[0] in "89":
        return "other"
    return None


_define(
    "political_status",
    "政治面貌",
    [
        ("party_member", "中共党员"),
        ("probationary", "中共预备党员"),
        ("league_member", "共青团员"),
        ("masses", "群众"),
        ("minge", "民革党员"),
        ("minmeng", "民盟盟员"),
        ("minjian", "民建会员"),
        ("minjin", "民进会员"),
        ("nonggong", "农工党党员"),
        ("zhigong", "致公党党员"),
        ("jiusan", "九三学社社员"),
        ("taimeng", "台盟盟员"),
        ("non_party", "无党派人士"),
    ],
    {"党员": "party_member", "预备党员": "probationary", "团员": "league_member"},
)

_define(
    "education",
    "文化程度",
    [
        ("illiterate", "文盲或半文盲"),
        ("primary", "小学"),
        ("junior", "初中"),
        ("senior", "高中"),
        ("college", "大专"),
        ("bachelor", "本科及以上"),
    ],
    {"文盲": "illiterate", "半文盲": "illiterate", "本科": "bachelor", "大学本科": "bachelor"},
)

_schooling: list[tuple[str, str]] = [
    ("preschool_child", "学龄前儿童"),
    ("preschool", "学前教育"),
    ("primary", "小学"),
    ("grade7", "七年级"),
    ("grade8", "八年级"),
    ("grade9", "九年级"),
]
_CN_YEARS = "一二三四五"
for _prefix, _slug, _years in (
    ("普通高中", "high", 3),
    ("中职", "vocational", 3),
    ("高职高专", "higher_vocational", 3),
    ("技师学院", "technician", 4),
    ("本科", "undergraduate", 5),
):
    _schooling += [(f"{_slug}{n}", f"{_prefix}{_CN_YEARS[n - 1]}年级") for n in range(1, _years + 1)]
_schooling.append(("postgraduate", "硕士研究生及以上"))
_define("schooling", "在校生状况", _schooling, {"初一": "grade7", "初二": "grade8", "初三": "grade9"})

_define(
    "health",
    "健康状况",
    [("healthy", "健康"), ("chronic", "长期慢性病"), ("serious_illness", "患有大病"), ("disabled", "残疾")],
    {"慢性病": "chronic", "大病": "serious_illness"},
)

_define(
    "disability_category",
    "残疾类别",
    [
        ("1", "视力残疾"),
        ("2", "听力残疾"),
        ("3", "言语残疾"),
        ("4", "肢体残疾"),
        ("5", "智力残疾"),
        ("6", "精神残疾"),
        ("7", "多重残疾"),
    ],
    {"视力": "1", "听力": "2", "言语": "3", "肢体": "4", "智力": "5", "精神": "6", "多重": "7"},
)

_define(
    "disability_level",
    "残疾等级",
    [("1", "一级"), ("2", "二级"), ("3", "三级"), ("4", "四级")],
    {"1级": "1", "2级": "2", "3级": "3", "4级": "4"},
)

_define(
    "labour_skill",
    "劳动技能",
    [
        ("ordinary", "普通劳动力"),
        ("skilled", "技能劳动力"),
        ("weak", "弱劳动力或半劳动力"),
        ("lost", "丧失劳动力"),
        ("none", "无劳动力"),
    ],
    {"弱劳动力": "weak", "半劳动力": "weak"},
)

# Skills that count as "has labour" in the national check tools (弱/半劳动力 included).
LABOUR_SKILLS_WITH_LABOUR = frozenset({"ordinary", "skilled", "weak"})

# The 56 ethnic groups in GB/T 3304 order; the two-digit GB code and the name without 族 are aliases.
_ETHNIC = [
    ("han", "汉族"), ("mongol", "蒙古族"), ("hui", "回族"), ("tibetan", "藏族"), ("uyghur", "维吾尔族"),
    ("miao", "苗族"), ("yi", "彝族"), ("zhuang", "壮族"), ("buyei", "布依族"), ("korean", "朝鲜族"),
    ("manchu", "满族"), ("dong", "侗族"), ("yao", "瑶族"), ("bai", "白族"), ("tujia", "土家族"),
    ("hani", "哈尼族"), ("kazakh", "哈萨克族"), ("dai", "傣族"), ("li", "黎族"), ("lisu", "傈僳族"),
    ("va", "佤族"), ("she", "畲族"), ("gaoshan", "高山族"), ("lahu", "拉祜族"), ("sui", "水族"),
    ("dongxiang", "东乡族"), ("naxi", "纳西族"), ("jingpo", "景颇族"), ("kyrgyz", "柯尔克孜族"), ("tu", "土族"),
    ("daur", "达斡尔族"), ("mulao", "仫佬族"), ("qiang", "羌族"), ("blang", "布朗族"), ("salar", "撒拉族"),
    ("maonan", "毛南族"), ("gelao", "仡佬族"), ("xibe", "锡伯族"), ("achang", "阿昌族"), ("pumi", "普米族"),
    ("tajik", "塔吉克族"), ("nu", "怒族"), ("uzbek", "乌孜别克族"), ("russian", "俄罗斯族"), ("evenki", "鄂温克族"),
    ("deang", "德昂族"), ("bonan", "保安族"), ("yugur", "裕固族"), ("gin", "京族"), ("tatar", "塔塔尔族"),
    ("derung", "独龙族"), ("oroqen", "鄂伦春族"), ("hezhen", "赫哲族"), ("monba", "门巴族"), ("lhoba", "珞巴族"),
    ("jino", "基诺族"),
]  # fmt: skip
_ethnic_aliases = {f"{n:02d}": code for n, (code, _) in enumerate(_ETHNIC, start=1)}
_ethnic_aliases.update({name[:-1]: code for code, name in _ETHNIC})
_ethnic_aliases["97"] = "other"
_define("ethnicity", "民族", [*_ETHNIC, ("other", "其他")], _ethnic_aliases)

_define(
    "id_type",
    "证件类型",
    [("resident_id", "居民身份证"), ("disability_card", "残疾人证"), ("other", "其他证件")],
    {"身份证": "resident_id", "残疾证": "disability_card", "其他": "other"},
)

# --- households and monitoring ---------------------------------------------------------------------------------

_define(
    "household_type",
    "户类型",
    [
        ("alleviated", "脱贫户"),
        ("alleviated_general", "一般脱贫户"),
        ("alleviated_dibao", "低保脱贫户"),
        ("alleviated_tekun", "特困供养脱贫户"),
        ("ordinary", "一般农户"),
        ("dibao", "低保户"),
        ("tekun", "特困供养户"),
        # 建档立卡 attributes before 2020, kept so old rosters import.
        ("poor_general", "一般贫困户"),
        ("poor_dibao", "低保贫困户"),
        ("wubao", "五保户"),
    ],
    {"特困户": "tekun", "分散供养特困户": "tekun", "五保": "wubao", "农户": "ordinary"},
)

ALLEVIATED_HOUSEHOLD_TYPES = frozenset({"alleviated", "alleviated_general", "alleviated_dibao", "alleviated_tekun"})

_define(
    "monitoring_category",
    "监测对象类别",
    [("unstable", "脱贫不稳定户"), ("marginal", "边缘易致贫户"), ("sudden", "突发严重困难户")],
    {"严重困难户": "sudden", "边缘户": "marginal"},
)

_define(
    "risk_type",
    "风险类型",
    [
        ("illness", "因病"),
        ("disability", "因残"),
        ("education", "因学"),
        ("disaster", "因自然灾害"),
        ("accident", "因意外事故"),
        ("industry_failure", "因产业项目失败"),
        ("unstable_work", "因务工就业不稳"),
        ("lack_labour", "缺劳动力"),
        ("housing", "因安全住房"),
        ("water", "因安全饮水"),
        ("other", "其他"),
    ],
    {"因灾": "disaster", "因意外": "accident", "缺劳力": "lack_labour", "因务工就业不稳定": "unstable_work"},
)

_define(
    "disaster_subtype",
    "自然灾害类型",
    [
        ("flood", "洪涝"),
        ("geological", "地质"),
        ("drought", "旱灾"),
        ("biological", "生物"),
        ("meteorological", "气象"),
        ("earthquake", "地震"),
        ("other", "其他"),
    ],
)

_define(
    "poverty_cause",
    "致贫原因",
    [
        ("illness", "因病"),
        ("disability", "因残"),
        ("education", "因学"),
        ("disaster", "因灾"),
        ("lack_land", "缺土地"),
        ("lack_water", "缺水"),
        ("lack_skill", "缺技术"),
        ("lack_labour", "缺劳力"),
        ("lack_funds", "缺资金"),
        ("poor_transport", "交通条件落后"),
        ("lack_motivation", "自身发展动力不足"),
        ("other", "其它"),
    ],
)

_define(
    "measure_category",
    "帮扶措施类别",
    [
        ("industry", "产业帮扶"),
        ("employment", "就业帮扶"),
        ("finance", "金融帮扶"),
        ("public_job", "公益岗位帮扶"),
        ("health", "健康帮扶"),
        ("compulsory_education", "义务教育保障"),
        ("other_education", "其他教育帮扶"),
        ("social_security", "综合保障"),
        ("housing", "住房安全保障"),
        ("water", "饮水安全保障"),
        ("social", "社会帮扶"),
        ("relocation", "搬迁"),
        ("living_conditions", "生产生活条件改善"),
        ("infrastructure", "基础设施建设"),
        ("training", "技能培训"),
        ("consumption", "消费帮扶"),
    ],
    {
        "小额信贷": "finance",
        "公益岗位": "public_job",
        "雨露计划": "other_education",
        "危房改造": "housing",
        "易地搬迁": "relocation",
        "社会保障兜底": "social_security",
    },
)

# 开发式帮扶: the measures that build a household's own income (domain.md §1.6).
DEVELOPMENT_MEASURES = frozenset({"industry", "employment", "finance", "public_job"})

_define(
    "monitoring_stage",
    "监测环节",
    [
        ("clue", "风险线索"),
        ("application", "申请/承诺"),
        ("verification", "入户核查"),
        ("village_review", "村民主评议"),
        ("publicity", "村内公示"),
        ("township_review", "乡镇审核"),
        ("county_approval", "县级审定"),
        ("identified", "纳入监测"),
        ("assisting", "帮扶"),
        ("eliminated", "风险消除"),
    ],
)

_define(
    "clue_source",
    "线索来源",
    [("self_report", "农户自主申报"), ("cadre_visit", "干部走访排查"), ("department_alert", "部门筛查预警")],
    {"自主申报": "self_report", "走访排查": "cadre_visit", "部门预警": "department_alert"},
)

_define("elimination_way", "风险消除方式", [("assisted", "帮扶消除"), ("natural", "自然消除")])

# --- visits, problems --------------------------------------------------------------------------------------------

_define(
    "visit_purpose",
    "走访事由",
    [
        ("policy", "政策宣传"),
        ("condolence", "节日慰问/走访慰问"),
        ("screening", "防返贫摸底排查"),
        ("measure_check", "帮扶措施落实核查"),
        ("income", "收入核算"),
        ("mediation", "矛盾纠纷调解"),
        ("follow_up", "问题回访"),
        ("emergency", "应急/灾情查看"),
        ("other", "其他"),
    ],
    {
        "节日慰问": "condolence",
        "走访慰问": "condolence",
        "慰问": "condolence",
        "摸底排查": "screening",
        "回访": "follow_up",
        "灾情查看": "emergency",
        "应急": "emergency",
    },
)

_define("visit_method", "走访方式", [("in_person", "入户"), ("phone", "电话"), ("video", "视频")])

_define(
    "problem_status",
    "办理状态",
    [
        ("pending", "待处理"),
        ("in_progress", "办理中"),
        ("resolved", "已办结"),
        ("unsolvable", "无法解决"),
        ("revisited", "已回访"),
    ],
    {"待办": "pending", "办结": "resolved"},
)

_define("satisfaction", "满意度", [("satisfied", "满意"), ("basically", "基本满意"), ("unsatisfied", "不满意")])

_define("problem_source", "问题来源", [("visit", "走访"), ("diary", "民情日记"), ("other", "其他")])

# --- projects and funds ------------------------------------------------------------------------------------------

_define(
    "project_category",
    "项目类别",
    [
        ("rural_construction", "乡村建设行动"),
        ("industry", "产业发展"),
        ("employment", "就业"),
        ("three_guarantees", "巩固三保障成果"),
        ("relocation", "易地搬迁后扶"),
        ("governance", "乡村治理和精神文明"),
        ("ecology", "生态"),
        ("management_fee", "项目管理费"),
        ("other", "其他"),
    ],
    {
        "特色产业": "industry",
        "产业": "industry",
        "稳定就业": "employment",
        "乡村基础设施": "rural_construction",
        "基础设施": "rural_construction",
        "乡村治理": "governance",
    },
)

_define(
    "project_nature",
    "建设性质",
    [("new", "新建"), ("continued", "续建"), ("rebuild", "改建"), ("repair", "维修")],
    {"改扩建": "rebuild", "扩建": "rebuild"},
)

_define(
    "project_status",
    "项目状态",
    [
        ("planning", "谋划"),
        ("village_apply", "村申报"),
        ("township_review", "乡镇审核"),
        ("county_review", "县级论证"),
        ("approved", "县审定入库"),
        ("funded", "年度计划/资金下达"),
        ("tendering", "招投标/政府采购"),
        ("in_progress", "实施中"),
        ("accepted", "竣工验收/报账"),
        ("handed_over", "资产确权登记与移交"),
        ("evaluated", "绩效自评/评价"),
        ("operating", "运营管护"),
        ("cancelled", "已取消"),
    ],
    {"入库": "approved", "资金下达": "funded", "招投标": "tendering", "竣工验收": "accepted", "在建": "in_progress"},
)

_define("action_type", "动作类型", [("required", "规定动作"), ("optional", "自选动作")])

_define(
    "funding_source",
    "资金来源",
    [
        ("central", "中央衔接资金"),
        ("province", "省级"),
        ("city", "市级"),
        ("county", "县级"),
        ("integrated", "整合涉农资金"),
        ("east_west", "东西部协作/定点帮扶资金"),
        ("unit", "帮扶单位"),
        ("donation", "社会捐赠"),
        ("village", "村集体自筹"),
        ("villagers", "群众自筹/投工投劳"),
        ("yishiyiyi", "一事一议奖补"),
        ("other", "其他"),
    ],
    {
        # Work reports write "由省出资20万元，市出资5万元，区出资4.3万元，村自筹12.4万元".
        "中央": "central",
        "中央财政衔接资金": "central",
        "省": "province",
        "省级衔接资金": "province",
        "省级财政衔接资金": "province",
        "市": "city",
        "市级衔接资金": "city",
        "市级财政衔接资金": "city",
        "区": "county",
        "县": "county",
        "区级": "county",
        "县级衔接资金": "county",
        "县级财政衔接资金": "county",
        "整合部门资金": "integrated",
        "东西部协作": "east_west",
        "定点帮扶": "east_west",
        "沪滇": "east_west",
        "捐赠": "donation",
        "村自筹": "village",
        "村集体": "village",
        "群众自筹": "villagers",
        "农户自筹": "villagers",
        "投工投劳": "villagers",
        "一事一议": "yishiyiyi",
    },
)

_define(
    "asset_type",
    "资产类别",
    [("operating", "经营性"), ("public", "公益性"), ("household", "到户类")],
    {"经营性资产": "operating", "公益性资产": "public", "到户类资产": "household"},
)

# --- team work ---------------------------------------------------------------------------------------------------

_define(
    "worklog_kind",
    "活动类型",
    [
        ("committee", "两委会议"),
        ("party_congress", "党员大会"),
        ("party_lesson", "党课"),
        ("training", "培训"),
        ("symposium", "座谈会"),
        ("representatives", "村民代表大会"),
        ("publicity", "入户宣传"),
        ("other", "其他"),
    ],
    {"村两委会议": "committee"},
)

# What a campaign sets per cadre and year (五个百 and the like): 驻村天数, 走访户数, 民情日记天数 (days written, not
# entries), 破解难题件数, 意见建议条数. The unit is the label's last character.
_define(
    "target_metric",
    "目标项目",
    [
        ("village_days", "驻村天数"),
        ("households_visited", "走访户数"),
        ("diary_days", "民情日记天数"),
        ("problems_solved", "破解难题件数"),
        ("suggestions", "意见建议条数"),
    ],
)
TARGET_UNITS = {"village_days": "天", "households_visited": "户", "diary_days": "天", "problems_solved": "件",
                "suggestions": "条"}

_define(
    "attendance_status",
    "考勤状态",
    [("in_village", "在村"), ("official_trip", "因公外出"), ("leave", "请假"), ("other", "其他")],
    {"公出": "official_trip"},
)

_define("donor_kind", "捐赠方类型", [("unit", "单位"), ("enterprise", "企业"), ("person", "个人")])

_define(
    "donation_kind",
    "捐赠类型",
    [("cash", "款"), ("goods", "物")],
    {"现金": "cash", "资金": "cash", "物资": "goods"},
)

_define(
    "distribution_target_kind",
    "发放对象类型",
    [("household", "农户"), ("school", "学校"), ("village", "村集体"), ("other", "其他")],
)

_define(
    "purchase_channel",
    "采购渠道",
    [("platform832", "832平台"), ("direct", "直采"), ("fair", "展销"), ("order", "订单"), ("other", "其他")],
    {"832": "platform832", "直接采购": "direct", "展销会": "fair", "订单采购": "order", "常年订单": "order"},
)

_define(
    "weather",
    "天气",
    [
        ("sunny", "晴"),
        ("cloudy", "多云"),
        ("overcast", "阴"),
        ("shower", "阵雨"),
        ("light_rain", "小雨"),
        ("moderate_rain", "中雨"),
        ("heavy_rain", "大雨"),
        ("rainstorm", "暴雨"),
        ("snow", "雪"),
        ("fog", "雾"),
        ("other", "其他"),
    ],
    {"晴天": "sunny", "阴天": "overcast", "下雪": "snow", "大雾": "fog"},
)

_define(
    "housing_grade",
    "住房安全等级",
    [("a", "A级"), ("b", "B级"), ("c", "C级"), ("d", "D级")],
    {"A": "a", "B": "b", "C": "c", "D": "d"},
)

# C and D grade houses are 危房 and must be repaired or rebuilt (domain.md §2.6).
UNSAFE_HOUSING_GRADES = frozenset({"c", "d"})

_define(
    "guarantee_item",
    "两不愁三保障及饮水安全",
    [
        ("food", "不愁吃"),
        ("clothing", "不愁穿"),
        ("education", "义务教育"),
        ("medical", "基本医疗"),
        ("housing", "住房安全"),
        ("water", "饮水安全"),
    ],
    {"义务教育保障": "education", "基本医疗保障": "medical", "住房安全保障": "housing"},
)

_define("role", "用户角色", [("admin", "管理员"), ("member", "队员"), ("viewer", "查看")])

_define(
    "cadre_role",
    "干部身份",
    [("secretary", "第一书记"), ("member", "工作队员"), ("helper", "帮扶责任人"), ("village_cadre", "村干部")],
    {"驻村第一书记": "secretary", "队员": "member", "驻村工作队员": "member"},
)


def _merge_variants() -> None:
    """The variants counties write (domain/code_synonyms.py), defined once next to these lists."""
    from fupin_desktop.domain.code_synonyms import VARIANTS

    for list_name, variants in VARIANTS.items():
        CODE_LISTS[list_name].add_aliases(variants)


_merge_variants()


def get(name: str) -> CodeList:
    """The code list called ``name``; KeyError names the missing list (a programming error)."""
    try:
        return CODE_LISTS[name]
    except KeyError:
        raise KeyError(f"no code list named {name!r}") from None


def label(list_name: str, code: str | None) -> str:
    """Chinese label of ``code`` in list ``list_name`` (the code itself when unknown)."""
    return get(list_name).label(code)
