"""First-start wizard: live division-code check, team table, saving, errors routed to their field, demo data."""
from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.ui.views.setup import SetupWizard
from fupin_desktop.ui.views.setup import wizard as wizard_module
from fupin_desktop.ui.views.setup.wizard import COL_NAME, COL_PHONE, PAGE_DEMO, PAGE_TEAM, PAGE_VILLAGE

SHOTS = Path("/tmp/shots")


@pytest.fixture
def wizard(qtbot, services):
    w = SetupWizard(services)
    qtbot.addWidget(w)
    with qtbot.waitExposed(w):
        w.show()
    return w


def _next_enabled(w: SetupWizard) -> bool:
    return w.button(QWizard.WizardButton.NextButton).isEnabled()


def _fill_village(qtbot, w: SetupWizard, code: str = "130204203213") -> None:
    vp = w.village_page
    vp.name_edit.setText("东兴村")  # QTest.keyClicks handles ASCII only
    vp.code_edit.clear()
    qtbot.keyClicks(vp.code_edit, code)
    vp.township_edit.setText("大庄坨乡")
    vp.county_edit.setText("古冶区")
    vp.unit_edit.setText("唐山市财政局")


def _finish(qtbot, w: SetupWizard) -> None:
    with qtbot.waitSignal(w.finished, timeout=20_000):
        w.button(QWizard.WizardButton.FinishButton).click()


def test_wrong_division_code_shows_inline_error_until_fixed(qtbot, wizard):
    vp = wizard.village_page
    vp.name_edit.setText("东兴村")  # QTest.keyClicks handles ASCII only
    qtbot.keyClicks(vp.code_edit, "13020420321A")
    assert vp.code_error.isVisible()
    assert vp.code_error.text() == "区划代码只能是数字"
    assert not _next_enabled(wizard)

    vp.code_edit.clear()
    qtbot.keyClicks(vp.code_edit, "001234567890")  # 12 digits, but no province 00
    assert vp.code_error.isVisible() and "00" in vp.code_error.text()
    assert not _next_enabled(wizard)

    vp.code_edit.clear()
    qtbot.keyClicks(vp.code_edit, "13020")  # still typing: no scolding yet
    assert not vp.code_error.isVisible()
    qtbot.keyClicks(vp.code_edit, "4203213")
    assert not vp.code_error.isVisible()
    assert _next_enabled(wizard)

    SHOTS.mkdir(parents=True, exist_ok=True)
    vp.code_edit.setText("1302042032")
    vp.code_edit.editingFinished.emit()  # leaving the field with too few digits explains what is wrong
    assert "12位" in vp.code_error.text()
    wizard.grab().save(str(SHOTS / "wizard_1_village_error.png"))


def test_complete_setup_saves_village_and_team(qtbot, wizard, services):
    SHOTS.mkdir(parents=True, exist_ok=True)
    _fill_village(qtbot, wizard)
    wizard.grab().save(str(SHOTS / "wizard_1_village.png"))
    wizard.next()
    assert wizard.currentId() == PAGE_TEAM

    tp = wizard.team_page
    assert tp.table.rowCount() == 1  # one row ready for the first secretary, unit filled in
    assert tp.table.item(0, 2).text() == "唐山市财政局"
    tp.table.item(0, COL_NAME).setText("张书记")
    tp.table.item(0, COL_PHONE).setText("13800000000")
    qtbot.mouseClick(tp.add_button, Qt.MouseButton.LeftButton)
    assert tp.table.rowCount() == 2
    tp.table.item(1, COL_NAME).setText("李队员")
    assert _next_enabled(wizard)
    wizard.grab().save(str(SHOTS / "wizard_2_team.png"))

    wizard.next()
    assert wizard.currentId() == PAGE_DEMO
    assert "张书记、李队员" in wizard.demo_page.summary.text()
    wizard.grab().save(str(SHOTS / "wizard_3_demo.png"))

    _finish(qtbot, wizard)
    assert wizard.result() == QWizard.DialogCode.Accepted
    village = services.village.get()
    assert village is not None and village.name == "东兴村" and village.division_code == "130204203213"
    assert village.township == "大庄坨乡" and village.dispatch_unit == "唐山市财政局"
    team = {c.name: c for c in services.cadres.list()}
    assert team["张书记"].role == "secretary" and team["张书记"].phone == "13800000000"
    assert team["李队员"].role == "member" and team["李队员"].unit == "唐山市财政局"


def test_team_needs_a_member_and_rows_can_be_removed(qtbot, wizard):
    _fill_village(qtbot, wizard)
    wizard.next()
    tp = wizard.team_page
    assert not _next_enabled(wizard)  # the one row has no name yet
    tp.table.item(0, COL_NAME).setText("张书记")
    assert _next_enabled(wizard)
    tp.table.selectRow(0)
    tp.remove_selected()
    assert tp.table.rowCount() == 0
    assert not _next_enabled(wizard)


def test_service_error_for_a_team_cell_is_shown_on_the_team_page(qtbot, wizard, services, dialogs):
    _fill_village(qtbot, wizard)
    wizard.next()
    tp = wizard.team_page
    tp.table.item(0, COL_NAME).setText("张书记")
    tp.table.item(0, COL_PHONE).setText("电话12")
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_TEAM and tp.team_error.isVisible(), timeout=10_000)
    assert "电话" in tp.team_error.text()
    assert tp.table.currentRow() == 0 and tp.table.currentColumn() == COL_PHONE
    assert not services.village.is_set_up()
    assert dialogs.calls == []


def test_service_error_for_a_village_field_is_shown_under_it(qtbot, wizard, services, monkeypatch):
    def refuse(village, team):
        raise ValidationError("name", "这个村名已经用过了")

    monkeypatch.setattr(services.village, "set_up", refuse)
    _fill_village(qtbot, wizard)
    wizard.next()
    wizard.team_page.table.item(0, COL_NAME).setText("张书记")
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    vp = wizard.village_page
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_VILLAGE and vp.name_error.isVisible(), timeout=10_000)
    assert vp.name_error.text() == "这个村名已经用过了"
    assert wizard.isVisible()  # still open: she fixes it and finishes again


def test_demo_data_is_generated_in_the_background_with_progress(qtbot, wizard, services, monkeypatch):
    calls = []

    def generate_demo(db, households, seed=1, year=None, progress=None):
        calls.append((db, households, progress is not None))
        from fupin_desktop.services.village import CadreInput, VillageInput

        for i in range(3):
            progress(i + 1, 3, "正在生成")
        services.village.set_up(VillageInput(name="演示村", division_code="130204203213"),
                                [CadreInput(name="演示书记", role="secretary")])

    fake = types.ModuleType(wizard_module.DEMO_MODULE)
    fake.generate_demo = generate_demo
    monkeypatch.setitem(sys.modules, wizard_module.DEMO_MODULE, fake)
    w = SetupWizard(services)
    qtbot.addWidget(w)
    w.show()
    _fill_village(qtbot, w)
    w.next()
    w.team_page.table.item(0, COL_NAME).setText("张书记")
    w.next()
    assert w.demo_page.demo_check.isEnabled()
    w.demo_page.demo_check.setChecked(True)
    assert "演示" in w.demo_page.summary.text()
    _finish(qtbot, w)
    assert calls == [(services.db, 200, True)]
    assert services.village.get().name == "演示村"  # the demo village replaces what was typed
    assert w.village.name == "演示村"


def test_real_demo_generator_runs_from_the_wizard(qtbot, wizard, services):
    if not wizard_module.demo_available():
        pytest.skip("services/demo.py not present")
    _fill_village(qtbot, wizard)
    wizard.next()
    wizard.team_page.table.item(0, COL_NAME).setText("张书记")
    wizard.next()
    wizard.demo_page.demo_check.setChecked(True)
    _finish(qtbot, wizard)
    assert services.village.is_set_up()
