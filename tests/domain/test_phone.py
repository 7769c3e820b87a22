"""One phone rule (domain/phone.py): an 11-digit mobile, or a fixed line with its area code."""
import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.domain.phone import clean_phone


@pytest.mark.parametrize(("raw", "clean"), [
    ("138 1234 1234", "13812341234"), ("0315-1234567", "03151234567"), ("010-12345678", "01012345678"),
    ("０３１５１２３４５６７８", "031512345678"), ("", None), (None, None),
])
def test_accepted(raw, clean):
    assert clean_phone(raw) == clean


@pytest.mark.parametrize(("raw", "words"), [
    ("1234567", "区号"), ("12345678", "区号"), ("1381234123", "11位"), ("031512345", "区号"), ("138abc", "数字"),
    ("5551234567", "手机号"),
])
def test_refused_with_what_to_do(raw, words):
    with pytest.raises(ValidationError) as e:
        clean_phone(raw, "team[0].phone")
    assert e.value.field == "team[0].phone" and words in e.value.message
