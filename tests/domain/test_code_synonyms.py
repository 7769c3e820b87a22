"""The words counties write for the code lists (domain/code_synonyms.py), and 监测对象 categories in a 户类型 cell."""
from __future__ import annotations

import pytest

from fupin_desktop.domain import codes
from fupin_desktop.domain.code_synonyms import VARIANTS, household_kind, parse_yes_no


@pytest.mark.parametrize("list_name, text, code", [
    ("sex", "男性", "male"), ("sex", "女", "female"), ("sex", "女性", "female"),
    ("education", "初中", "junior"), ("education", "初中文化", "junior"), ("education", "中专", "senior"),
    ("education", "文盲半文盲", "illiterate"), ("education", "大学本科", "bachelor"),
    ("health", "健康", "healthy"), ("health", "良好", "healthy"), ("health", "患大病", "serious_illness"),
    ("health", "残疾人", "disabled"),
    ("labour_skill", "普通劳动力", "ordinary"), ("labour_skill", "有劳动力", "ordinary"),
    ("labour_skill", "半劳力", "weak"), ("labour_skill", "丧失劳动能力", "lost"), ("labour_skill", "无劳力", "none"),
    ("disability_category", "肢体", "4"), ("disability_category", "肢残", "4"), ("disability_level", "二级残疾", "2"),
    ("relation", "户主", "head"), ("relation", "妻", "spouse"), ("relation", "配偶", "spouse"),
    ("relation", "之子", "son"), ("relation", "长子", "son"), ("relation", "次女", "daughter"),
    ("relation", "儿媳妇", "daughter_in_law"), ("relation", "奶奶", "grandmother"), ("relation", "弟弟", "sibling"),
    ("household_type", "脱贫户", "alleviated"), ("household_type", "一般户", "ordinary"),
    ("household_type", "低保", "dibao"), ("household_type", "分散供养特困人员", "tekun"),
    ("monitoring_category", "边缘户", "marginal"), ("monitoring_category", "脱贫不稳定", "unstable"),
    ("monitoring_category", "突发严重困难", "sudden"),
])
def test_variants_as_counties_write_them(list_name, text, code):
    assert codes.get(list_name).code_for_label(text) == code
    assert codes.get(list_name).code_for_label(f" {text} ") == code  # stray spaces of a spreadsheet


def test_every_variant_points_at_a_real_code_and_no_label_is_overridden():
    for list_name, variants in VARIANTS.items():
        lst = codes.get(list_name)
        for text, code in variants.items():
            assert code in lst, (list_name, text)
            # a word that is another item's label keeps meaning that item
            assert lst.code_for_label(text) in (code, lst.code_for_label(text)), (list_name, text)
        for item in lst.items():
            assert lst.code_for_label(item.label) == item.code


@pytest.mark.parametrize("text, kind", [
    ("脱贫户", ("alleviated", None)), ("一般农户", ("ordinary", None)), ("低保户", ("dibao", None)),
    ("边缘易致贫户", ("ordinary", "marginal")), ("边缘户", ("ordinary", "marginal")),
    ("脱贫不稳定户", ("alleviated", "unstable")), ("突发严重困难户", (None, "sudden")),
    ("严重困难户", (None, "sudden")), ("一般农户（突发严重困难户）", ("ordinary", "sudden")),
    ("脱贫户/脱贫不稳定户", ("alleviated", "unstable")), ("火星户", None), ("", None),
])
def test_household_kind_reads_monitoring_categories_written_as_a_household_type(text, kind):
    assert household_kind(text) == kind


def test_yes_no_words():
    assert [parse_yes_no(t) for t in ("是", "√", "享受", "A类", "否", "", "无", "×")] == [True] * 4 + [False] * 4
    with pytest.raises(ValueError, match="应填“是”或“否”"):
        parse_yes_no("也许")
