"""How counties really write the values of the code lists (domain/codes.py): the variants found in hand-kept
rosters and in exports of the monitoring system, per list, and the values that belong to another field.

Defined once here, next to the code lists: ``codes.py`` merges :data:`VARIANTS` into each list's aliases, so every
reader of a label (the roster import, the template fill's reading side, a form) understands the same words. Spaces
are ignored (``_squeeze``); both spellings 其它/其他 are tried by ``CodeList.code_for_label``.

Cross-field values: a 户类型 or 类别 column often holds a 监测对象 category (边缘易致贫户 …) instead of a household
type. :func:`household_kind` reads such a cell as (household type, monitoring category) following the national rules
(domain.md §2.2): 脱贫不稳定户 is a 脱贫户, 边缘易致贫户 is a 一般农户, 突发严重困难户 may be either (type left open).
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["VARIANTS", "YES_WORDS", "NO_WORDS", "NOT_MONITORED", "household_kind", "parse_yes_no"]

#: list name → {variant as written: code}
VARIANTS: dict[str, dict[str, str]] = {
    "sex": {"男性": "male", "女性": "female", "男士": "male", "女士": "female", "1": "male", "2": "female",
            "M": "male", "F": "female"},
    "relation": {
        "户主本人": "head", "本人": "head", "户主(本人)": "head",
        "之妻": "spouse", "之夫": "spouse", "妻": "spouse", "夫": "spouse", "老伴": "spouse", "爱人": "spouse",
        "长子": "son", "次子": "son", "三子": "son", "四子": "son", "养子": "son", "继子": "son", "独子": "son",
        "长女": "daughter", "次女": "daughter", "三女": "daughter", "四女": "daughter", "养女": "daughter",
        "继女": "daughter", "独女": "daughter",
        "儿媳妇": "daughter_in_law", "之媳": "daughter_in_law", "媳妇": "daughter_in_law", "之儿媳妇": "daughter_in_law",
        "之婿": "son_in_law", "上门女婿": "son_in_law",
        "孙": "grandson", "之孙": "grandson", "孙儿": "grandson",
        "外孙儿": "daughters_son",
        "父": "father", "母": "mother", "爸爸": "father", "妈妈": "mother", "继父": "father", "继母": "mother",
        "爷爷": "grandfather", "奶奶": "grandmother", "外公": "maternal_grandfather", "外婆": "maternal_grandmother",
        "姥爷": "maternal_grandfather", "姥姥": "maternal_grandmother",
        "兄": "sibling", "弟": "sibling", "姐": "sibling", "妹": "sibling", "哥哥": "sibling", "弟弟": "sibling",
        "姐姐": "sibling", "妹妹": "sibling", "之兄": "sibling", "之弟": "sibling", "之姐": "sibling", "之妹": "sibling",
        "兄弟": "sibling", "姐妹": "sibling",
        "嫂子": "brothers_wife", "弟媳": "brothers_wife", "之嫂": "brothers_wife", "之弟媳": "brothers_wife",
        "叔叔": "uncle", "伯父": "uncle", "叔父": "uncle", "伯伯": "uncle",
        "侄孙": "other", "孙媳妇": "other", "孙媳": "other", "其他亲属": "other", "非亲属": "other",
    },
    "political_status": {"中国共产党党员": "party_member", "共产党员": "party_member", "中共预备党员": "probationary",
                         "共青团员": "league_member", "团员": "league_member", "普通群众": "masses", "无党派": "non_party"},
    "education": {
        "文盲半文盲": "illiterate", "不识字或识字很少": "illiterate", "不识字": "illiterate", "未上学": "illiterate",
        "小学文化": "primary", "小学毕业": "primary", "小学肄业": "primary",
        "初中文化": "junior", "初中毕业": "junior", "初中肄业": "junior",
        "高中文化": "senior", "高中毕业": "senior", "中专": "senior", "职高": "senior", "技校": "senior",
        "中专/技校": "senior", "高中及中专": "senior", "高中(中专)": "senior",
        "大专文化": "college", "专科": "college", "大学专科": "college", "高职": "college",
        "大学": "bachelor", "大学本科": "bachelor", "本科及以上学历": "bachelor", "研究生": "bachelor",
        "硕士": "bachelor", "博士": "bachelor",
    },
    "schooling": {"学龄前": "preschool_child", "幼儿园": "preschool", "学前": "preschool",
                  "小学在读": "primary", "在读小学": "primary", "高一": "high1", "高二": "high2", "高三": "high3",
                  "大一": "undergraduate1", "大二": "undergraduate2", "大三": "undergraduate3",
                  "大四": "undergraduate4", "研究生在读": "postgraduate"},
    "health": {
        "良好": "healthy", "正常": "healthy", "身体健康": "healthy", "健康良好": "healthy",
        "慢性病": "chronic", "患慢性病": "chronic", "长期慢性疾病": "chronic", "患有慢性病": "chronic",
        "大病": "serious_illness", "重病": "serious_illness", "重大疾病": "serious_illness", "患大病": "serious_illness",
        "患重病": "serious_illness", "大病患者": "serious_illness",
        "残疾人": "disabled", "有残疾": "disabled", "身体残疾": "disabled",
    },
    "disability_category": {"视力": "1", "听力": "2", "言语": "3", "语言残疾": "3", "肢体": "4", "智力": "5",
                            "精神": "6", "多重": "7", "视残": "1", "听残": "2", "肢残": "4", "智残": "5",
                            "精残": "6"},
    "disability_level": {"一级残疾": "1", "二级残疾": "2", "三级残疾": "3", "四级残疾": "4", "壹级": "1", "贰级": "2",
                         "叁级": "3", "肆级": "4", "1": "1", "2": "2", "3": "3", "4": "4"},
    "labour_skill": {
        "有劳动力": "ordinary", "普通劳力": "ordinary", "一般劳动力": "ordinary", "劳动力": "ordinary",
        "技能劳力": "skilled", "技术劳动力": "skilled", "有技能": "skilled",
        "弱劳力": "weak", "半劳力": "weak", "弱劳动力或半劳力": "weak", "弱或半劳动力": "weak",
        "丧失劳力": "lost", "丧失劳动能力": "lost", "丧失劳动": "lost",
        "无劳力": "none", "无劳动能力": "none",
    },
    "household_type": {
        "已脱贫户": "alleviated", "稳定脱贫户": "alleviated", "脱贫享受政策户": "alleviated",
        "脱贫不享受政策户": "alleviated", "建档立卡脱贫户": "alleviated", "脱贫": "alleviated",
        "一般脱贫": "alleviated_general", "低保脱贫": "alleviated_dibao", "特困脱贫户": "alleviated_tekun",
        "五保脱贫户": "alleviated_tekun", "特困供养脱贫": "alleviated_tekun",
        "一般户": "ordinary", "普通农户": "ordinary", "非贫困户": "ordinary", "一般": "ordinary",
        "低保": "dibao", "农村低保户": "dibao", "低保家庭": "dibao",
        "特困供养": "tekun", "特困人员": "tekun", "分散供养特困人员": "tekun", "特困": "tekun",
        "五保供养户": "wubao",
        "贫困户": "poor_general", "建档立卡贫困户": "poor_general", "一般贫困": "poor_general",
    },
    "monitoring_category": {
        "不稳定户": "unstable", "脱贫不稳定": "unstable", "脱贫不稳定人口": "unstable", "脱贫不稳定家庭": "unstable",
        "边缘易致贫": "marginal", "易致贫户": "marginal", "边缘易致贫人口": "marginal", "边缘易致贫家庭": "marginal",
        "边缘易致贫农户": "marginal",
        "突发困难户": "sudden", "突发严重困难": "sudden", "突发严重困难人口": "sudden", "突发严重困难家庭": "sudden",
    },
    "risk_type": {
        "因病致贫": "illness", "因病返贫": "illness", "因病致贫返贫": "illness", "疾病": "illness",
        "因残致贫": "disability", "因残返贫": "disability", "残疾": "disability",
        "因学致贫": "education", "因学返贫": "education",
        "因灾致贫": "disaster", "因灾返贫": "disaster", "自然灾害": "disaster", "因自然灾害致贫": "disaster",
        "因意外事故致贫": "accident", "意外事故": "accident",
        "产业项目失败": "industry_failure", "因产业失败": "industry_failure",
        "务工就业不稳": "unstable_work", "就业不稳": "unstable_work", "因务工就业不稳定致贫": "unstable_work",
        "缺乏劳动力": "lack_labour", "缺劳力致贫": "lack_labour",
        "住房安全": "housing", "住房不安全": "housing", "因住房": "housing", "住房安全问题": "housing",
        "饮水安全": "water", "饮水不安全": "water", "因饮水": "water", "饮水安全问题": "water",
    },
    "poverty_cause": {
        "因病致贫": "illness", "因残致贫": "disability", "因学致贫": "education", "因灾致贫": "disaster",
        "缺劳动力": "lack_labour", "缺乏劳动力": "lack_labour", "缺乏技术": "lack_skill", "缺乏资金": "lack_funds",
        "交通落后": "poor_transport", "交通条件差": "poor_transport", "发展动力不足": "lack_motivation",
        "缺少土地": "lack_land", "缺土地致贫": "lack_land",
    },
}

YES_WORDS = frozenset({"是", "1", "Y", "YES", "√", "✓", "有", "享受", "TRUE", "已享受", "在保", "A类", "B类", "C类",
                       "一类", "二类", "三类", "四类"})
NO_WORDS = frozenset({"否", "0", "N", "NO", "", "无", "不享受", "未享受", "FALSE", "×", "/", "-"})
#: a 监测对象类别 cell saying "not monitored" (read as blank)
NOT_MONITORED = frozenset({"否", "无", "非监测户", "非监测对象", "不是", "/", "-", "—"})

_SPACES = re.compile(r"[\s\u3000\xa0]+")


def _squeeze(text: object) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text or ""))).replace("（", "(").replace("）", ")")


def parse_yes_no(text: object) -> bool:
    """是/否 as counties write it (√, 享受, A类 …). Raises ValueError with the Chinese message."""
    word = _squeeze(text).upper()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValueError(f"应填“是”或“否”，现在是“{_squeeze(text)}”")


def household_kind(text: object) -> tuple[str | None, str | None] | None:
    """A 户类型/类别 cell read as (household type, monitoring category); None when it is neither.

    A plain household type gives (type, None); a 监测对象 category gives the type the national rules imply
    (脱贫不稳定户 → 脱贫户, 边缘易致贫户 → 一般农户; 突发严重困难户 → None: either kind) and the category.
    Combined cells such as “脱贫户（边缘易致贫户）” or “一般农户/突发严重困难户” give both parts.
    """
    from fupin_desktop.domain import codes

    word = _squeeze(text)
    if not word:
        return None
    types, categories = codes.get("household_type"), codes.get("monitoring_category")
    code = types.code_for_label(word)
    if code is not None:
        return code, None
    category = categories.code_for_label(word)
    if category is not None:
        return IMPLIED_TYPE.get(category), category
    parts = [p for p in re.split(r"[()/、,，;；]", word) if p]
    if len(parts) == 2:
        a, b = (household_kind(p) for p in parts)
        if a and b and (a[1] is None) != (b[1] is None):
            kind, cat = (a, b) if b[1] else (b, a)
            return kind[0], cat[1]
    return None


#: monitoring category → the household type it implies (domain.md §2.2); 突发严重困难户 can be either kind
IMPLIED_TYPE: dict[str, str | None] = {"unstable": "alleviated", "marginal": "ordinary", "sudden": None}
