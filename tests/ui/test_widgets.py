"""Shared inputs: money, date, 身份证号, code-list combo, search box, inline errors."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.ui.widgets import CodeCombo, DateEdit, FieldError, FormErrors, IdNumberEdit, MoneyEdit, SearchBox


def test_money_edit_reads_yuan_and_shows_wan(qtbot):
    w = MoneyEdit()
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.valueChanged) as got:
        w.edit.setText("2.8万")
    assert got.args == [Decimal("28000.00")]
    assert w.value() == Decimal("28000.00")
    assert w.wan.text() == "（合 2.8万元）"
    assert w.unit.text() == "元"
    w.edit.setText("1,234.5")
    assert w.value() == Decimal("1234.50") and w.wan.text() == ""
    w.edit.editingFinished.emit()
    assert w.edit.text() == "1,234.50"


def test_money_edit_reports_bad_input(qtbot):
    w = MoneyEdit(field="amount")
    qtbot.addWidget(w)
    w.edit.setText("abc")
    assert not w.is_valid() and "金额格式不对" in w.error_message()
    with pytest.raises(ValidationError):
        w.value()
    w.edit.setText("-5")
    assert "负数" in w.error_message()
    w.edit.setText("")
    assert w.is_valid() and w.value() is None


def test_date_edit_speaks_datetime_date(qtbot):
    w = DateEdit(value=date(2024, 5, 3))
    qtbot.addWidget(w)
    assert w.value() == date(2024, 5, 3)
    assert w.calendarPopup()
    empty = DateEdit(allow_empty=True)
    qtbot.addWidget(empty)
    assert empty.value() is None
    empty.setValue(date(2024, 2, 29))
    assert empty.value() == date(2024, 2, 29)
    assert DateEdit().value() == date.today()


def test_id_number_edit_checks_as_typed(qtbot):
    w = IdNumberEdit()
    qtbot.addWidget(w)
    w.show()
    qtbot.keyClicks(w.edit, "11010a")
    assert w.error_label.isVisible() and "第6位" in w.error_label.text()
    w.edit.clear()
    qtbot.keyClicks(w.edit, "1101051949")
    assert not w.error_label.isVisible()  # still typing
    w.edit.clear()
    qtbot.keyClicks(w.edit, "110105194912310021")
    assert w.error_label.text() == "身份证号校验位不对，应为 X"
    assert not w.is_valid()
    w.edit.clear()
    with qtbot.waitSignal(w.parsed) as got:
        qtbot.keyClicks(w.edit, "11010519491231002x")
    assert got.args == [date(1949, 12, 31), "female"]
    assert w.is_valid() and not w.error_label.isVisible()
    assert w.value().value == "11010519491231002X"


def test_id_number_edit_explains_a_short_number_when_left(qtbot):
    w = IdNumberEdit()
    qtbot.addWidget(w)
    qtbot.keyClicks(w.edit, "1101051949")
    w.edit.editingFinished.emit()
    assert "应为18位" in w.error_label.text()


def test_code_combo_type_ahead_with_pinyin_initials(qtbot):
    c = CodeCombo("cadre_role")
    qtbot.addWidget(c)
    assert c.code() == "secretary"
    qtbot.keyClicks(c, "bf")  # 帮扶责任人
    assert c.code() == "helper"
    c.set_code("member")
    assert c.currentText() == "工作队员"
    c.set_code("old_code")  # unknown codes stay visible, never hidden
    assert c.code() == "old_code" and c.currentText() == "old_code"
    only = CodeCombo("cadre_role", only=["member", "secretary"], empty_text="")
    qtbot.addWidget(only)
    assert only.code() is None and only.count() == 3 and only.itemText(1) == "工作队员"


def test_search_box_debounces_and_submits(qtbot):
    s = SearchBox(placeholder="搜索")
    qtbot.addWidget(s)
    with qtbot.waitSignal(s.searchChanged, timeout=2000) as got:
        qtbot.keyClicks(s, "zhang")
    assert got.args == ["zhang"]
    with qtbot.waitSignal(s.submitted) as sub:
        qtbot.keyClick(s, Qt.Key.Key_Return)
    assert sub.args == ["zhang"]
    qtbot.keyClick(s, Qt.Key.Key_Escape)
    assert s.text() == ""


def test_form_errors_route_service_errors_to_fields(qtbot):
    from PySide6.QtWidgets import QLineEdit

    edit, label = QLineEdit(), FieldError()
    qtbot.addWidget(edit)
    qtbot.addWidget(label)
    errors = FormErrors()
    errors.add("team", edit, label)
    assert errors.show(ValidationError("team[2].phone", "电话号码只能包含数字"))
    assert label.text() == "电话号码只能包含数字" and edit.property("invalid") is True
    assert not errors.show(ValidationError("other", "x"))
    assert not errors.show(RuntimeError("x"))
    errors.clear()
    assert not label.has_error and edit.property("invalid") is False


def test_code_combo_type_ahead_finds_either_reading(qtbot):
    """Type-ahead by pinyin initials matches every reading of a heteronym: lch → 刘长海 (长 = zhang/chang)."""
    c = CodeCombo()
    qtbot.addWidget(c)
    c.set_items([("a", "李四"), ("b", "刘长海"), ("c", "刘正华")])
    qtbot.keyClicks(c, "lch")
    assert c.code() == "b"
