"""按县级模板填报 through the 数据交换 menu (issue 19 step 3): the template's header columns are shown with the field
each is filled from, the unrecognised ones highlighted; one mapping is changed by the user, the template filled
(checked with openpyxl: the changed column filled, the template's merges and validation kept), and the choice is
remembered when the same template is opened again."""
from __future__ import annotations

import importlib.util
import os
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from fupin_desktop.domain.idcard import make_id
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.ui import tasks
from fupin_desktop.ui.views.exchange import menu as exchange_menu
from fupin_desktop.ui.views.exchange.menu import ExchangeButton
from fupin_desktop.ui.views.exchange.template_dialog import TemplateFillDialog
from fupin_desktop.ui.widgets.tables import UNMAPPED_BACKGROUND

SHOTS = Path(os.environ.get("FUPIN_SHOTS", "/tmp/shots"))


@pytest.fixture
def county_template(tmp_path):
    """The county-style template of tests/exchange/test_template_fill.py (merged title, two-row header, styles,
    a validation list, a second sheet)."""
    path = Path(__file__).resolve().parent.parent / "exchange" / "test_template_fill.py"
    spec = importlib.util.spec_from_file_location("template_fill_test", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    target = tmp_path / "县模板.xlsx"
    mod._template(target)
    return target


def _village_with_members(services):
    numbers = []
    for h in range(3):
        members = [MemberInput(name=f"孙{h}{'甲乙'[k]}", relation=("head", "spouse")[k],
                               id_number=make_id("130204", date(1970 + h, 3, 1 + k), 11 + 10 * h + k))
                   for k in range(2)]
        created = services.households.create(HouseholdInput(head_name=members[0].name, number=f"T{h:03d}",
                                                            group_name="1组"), members).value
        numbers.append(created.number)
    return numbers


def _wait(qtbot):
    qtbot.waitUntil(lambda: tasks.active_count() == 0, timeout=30000)


_keep: list = []


def _open(qtbot, services, template, monkeypatch) -> TemplateFillDialog:
    """数据交换 → 按县级模板填报…, the template chosen in the file dialog."""
    button = ExchangeButton(services)
    qtbot.addWidget(button)
    monkeypatch.setattr(exchange_menu.QFileDialog, "getOpenFileName", lambda *a, **k: (str(template), ""))
    assert button.fill_action.text() == "按县级模板填报…"
    dlg = button.fill_template()  # the menu entry's slot
    assert isinstance(dlg, TemplateFillDialog)
    _wait(qtbot)
    _keep.append(button)  # the dialog's parent (the top bar's button) lives as long as the test
    return dlg


def _row_of(dlg, header):
    return next(r for r in range(dlg.table.rowCount()) if dlg.table.item(r, 0).text() == header)


def test_template_mapping_changed_by_the_user_fills_and_is_remembered(qtbot, services, village, tmp_path,
                                                                     county_template, dialogs, monkeypatch):
    numbers = _village_with_members(services)
    dlg = _open(qtbot, services, county_template, monkeypatch)
    dlg.resize(1366, 768)  # a laptop screen, the dialog maximised
    dlg.show()
    headers = [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())]
    assert headers == ["序号", "县", "乡镇", "村", "组", "户主姓名", "姓名", "与户主关系", "性别", "身份证号码", "年龄",
                       "备注说明"]
    assert dlg.combo_for("身份证号码").currentText() == "身份证号" and dlg.combo_for("村").currentText() == "村"
    assert dlg.unmapped_headers() == ["备注说明"]
    note = dlg.table.item(_row_of(dlg, "备注说明"), 0)
    assert note.background().color().name().upper() == UNMAPPED_BACKGROUND and note.font().bold()
    assert dlg.table.item(_row_of(dlg, "姓名"), 0).background().style() == Qt.BrushStyle.NoBrush
    SHOTS.mkdir(parents=True, exist_ok=True)
    dlg.grab().save(str(SHOTS / "template_mapping_unrecognised.png"))
    # the user fills 备注说明 with the 户编号: keyboard on the combo (click to focus, then type-ahead arrows)
    combo = dlg.combo_for("备注说明")
    qtbot.mouseClick(dlg.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=dlg.table.visualItemRect(note).center())
    combo.setFocus()
    target = combo.findData("number")
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "户编号" and dlg.unmapped_headers() == []
    assert "每人一行" in dlg.hint.text()
    assert note.background().style() == Qt.BrushStyle.NoBrush
    dlg.grab().save(str(SHOTS / "template_mapping_changed.png"))
    out = tmp_path / "filled.xlsx"
    dlg.path.clear()
    qtbot.keyClicks(dlg.path, str(out))
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    assert dialogs.calls[-1] == ("file_saved", str(out))  # 打开文件 / 打开所在文件夹
    assert dlg.result.rows == 6 and dlg.result.per_member
    wb = openpyxl.load_workbook(out)
    ws = wb["脱贫人口明细"]
    rows = [[ws.cell(r, c).value for c in range(1, 13)] for r in range(4, ws.max_row + 1)]
    assert len(rows) == 6  # one row per member
    assert sorted({r[11] for r in rows}) == numbers  # the column the user mapped
    assert {(r[5], r[6]) for r in rows if r[7] == "户主"} == {(f"孙{h}甲", f"孙{h}甲") for h in range(3)}
    assert all(r[9].endswith("*" * 12) for r in rows)  # masked by default
    assert "A1:L1" in {str(m) for m in ws.merged_cells.ranges} and wb.sheetnames == ["脱贫人口明细", "填表说明"]
    assert [(d.formula1, str(d.sqref)) for d in ws.data_validations.dataValidation] == [('"男,女"', "I4:I2000")]
    # the same template again: the choice is remembered
    again = _open(qtbot, services, county_template, monkeypatch)
    assert again.combo_for("备注说明").currentData() == "number" and again.unmapped_headers() == []
    assert again.table.item(_row_of(again, "备注说明"), 0).background().style() == Qt.BrushStyle.NoBrush
    _keep.clear()
