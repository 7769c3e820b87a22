"""Text normalisation, pinyin search keys and masking."""

import pytest

from fupin_desktop.domain.privacy import mask_bank, mask_id, mask_phone
from fupin_desktop.domain.text import full_pinyin, normalize_text, pinyin_initials


def test_normalize_text():
    assert normalize_text("  １２３ ＡＢｃ\u3000 张三  ") == "123 ABc 张三"
    assert normalize_text("a \t\n b") == "a b"
    assert normalize_text(None) == ""
    # Chinese punctuation stays as it is: free text must not change.
    assert normalize_text("你好，世界（一）") == "你好，世界（一）"


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张三", "zhangsan", "zs"),
        ("李秀英", "lixiuying", "lxy"),
        ("吕布", "lvbu", "lb"),
        ("曾小明", "zengxiaoming", "zxm"),
        ("单田芳", "shantianfang", "stf"),
        ("张A三", "zhangasan", "zas"),
        ("王 五2", "wangwu2", "ww2"),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_pinyin(name, full, initials):
    assert full_pinyin(name) == full
    assert pinyin_initials(name) == initials


def test_masks():
    # Only the area code: birth date, sequence and check character are hidden (domain/privacy.py says why).
    assert mask_id("11010519491231002X") == "110105" + "*" * 12
    assert mask_id("110105491231002") == "110105" + "*" * 9
    # Disability-card tail (category, level) is health data and stays hidden.
    assert mask_id("11010519491231002X41") == "110105" + "*" * 14
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("138 1234 1234") == "138****1234"
    assert mask_bank("6222 0212 3456 7890 123") == "*" * 15 + "0123"
    for mask in (mask_id, mask_phone, mask_bank):
        assert mask(None) == ""
        assert mask("") == ""
        assert mask("12") == "**"


def test_search_keys_hold_every_reading_bounded():
    from fupin_desktop.domain.text import (INITIALS_KEYS_MAX, MAX_READINGS, PINYIN_KEYS_MAX, initials_variants,
                                           search_keys)

    assert search_keys("刘长海") == ("liuzhanghai liuchanghai", "lzh lch")
    assert search_keys("张三") == ("zhangsan", "zs")
    assert initials_variants("曾小明")[0] == "zxm" and "cxm" in initials_variants("曾小明")  # surname reading first
    # 40 heteronyms have ~3^40 combinations: the keys stay within the columns and the work stays small
    long = "重行和乐朝长单重行和乐朝长单重行和乐朝长单重行和乐朝长单重行和乐朝长单重行"
    full, initials = search_keys(long)
    assert len(full) <= PINYIN_KEYS_MAX and len(initials) <= INITIALS_KEYS_MAX
    assert len(initials_variants(long)) == MAX_READINGS
