"""GB 11643 ID numbers: check character, parsing, 15-digit upgrade, masking."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.idcard import WEIGHTS, IdCardNumber, check_char, is_valid, make_id

VECTORS = ["11010519491231002X", "440524188001010014", "34052419800101001X"]


def test_weights_are_powers_of_two_mod_11():
    assert WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@pytest.mark.parametrize("value", VECTORS)
def test_vectors_are_valid(value):
    assert check_char(value[:17]) == value[17]
    assert IdCardNumber.parse(value).value == value
    assert is_valid(value)


def test_derived_fields():
    id_card = IdCardNumber.parse("11010519491231002X")
    assert id_card.birth_date == date(1949, 12, 31)
    assert id_card.sex == "female"  # digit 17 is 2
    assert id_card.area_code == "110105"
    assert IdCardNumber.parse("440524188001010014").sex == "male"
    assert id_card.age_on(date(2019, 12, 30)) == 69
    assert id_card.age_on(date(2019, 12, 31)) == 70


def test_bad_check_char_names_the_right_one():
    with pytest.raises(ValidationError) as info:
        IdCardNumber.parse("110105194912310021", field="head_id")
    assert info.value.field == "head_id"
    assert str(info.value) == "身份证号校验位不对，应为 X"


def test_wrong_length():
    with pytest.raises(ValidationError, match="身份证号应为18位，现在是17位"):
        IdCardNumber.parse("11010519491231002")


def test_impossible_birth_date():
    first17 = "11010519491331002"
    with pytest.raises(ValidationError, match="出生日期 19491331 不存在"):
        IdCardNumber.parse(first17 + check_char(first17))


def test_birth_date_in_future_or_too_early():
    future = make_id("110105", date(date.today().year + 1, 1, 1), 1)
    with pytest.raises(ValidationError, match="晚于今天"):
        IdCardNumber.parse(future)
    with pytest.raises(ValidationError, match="早于1880年"):
        IdCardNumber.parse(make_id("110105", date(1879, 12, 31), 1))


def test_letters_rejected_with_position():
    with pytest.raises(ValidationError, match="第7位"):
        IdCardNumber.parse("110105A9491231002X")


def test_fifteen_digit_upgrade():
    assert IdCardNumber.parse("110105491231002").value == "11010519491231002X"


def test_lowercase_x_full_width_and_spaces():
    assert IdCardNumber.parse("11010519491231002x").value == "11010519491231002X"
    assert IdCardNumber.parse(" １１０１０５ １９４９１２３１００２ｘ ").value == "11010519491231002X"


def test_empty_is_rejected():
    with pytest.raises(ValidationError, match="不能为空"):
        IdCardNumber.parse("  ")
    assert not is_valid(None)


def test_masked():
    assert IdCardNumber.parse("34052419800101001X").masked() == "340524" + "*" * 12


@given(
    area=st.integers(min_value=110000, max_value=659999).map(str),
    birth=st.dates(min_value=date(1880, 1, 1), max_value=date.today()),
    seq=st.integers(min_value=0, max_value=999),
)
def test_make_id_round_trip(area, birth, seq):
    value = make_id(area, birth, seq)
    id_card = IdCardNumber.parse(value)
    assert id_card.birth_date == birth
    assert id_card.sex == ("male" if seq % 2 else "female")


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    seq=st.integers(min_value=0, max_value=999),
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_change_is_caught(birth, seq, position, delta):
    value = make_id("520102", birth, seq)
    digit = (int(value[position]) + delta) % 10
    changed = value[:position] + str(digit) + value[position + 1 :]
    assert not is_valid(changed)
