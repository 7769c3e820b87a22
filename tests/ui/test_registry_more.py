"""Registry, continued: the 监测环节 filter, the 防返贫监测 tab of the household page, the risk card on the home
page, asking before Esc throws changes away, and the member's health/schooling/labour/disability/insurance."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.monitoring import StepInput
from fupin_desktop.ui import tasks


def _household(services, name, **member):
    return services.households.create(HouseholdInput(head_name=name), [
        MemberInput(name=name, relation="head", resident_medical=True, **member)]).value.id


@pytest.fixture
def asked(monkeypatch):
    """Answers for the "discard the changes?" question; records that it was asked."""
    answers = {"value": False, "asked": 0}

    def confirm(_parent):
        answers["asked"] += 1
        return answers["value"]

    import fupin_desktop.ui.widgets.form_dialog as fd

    monkeypatch.setattr(fd, "confirm_discard", confirm)
    return answers


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    QTest.qWaitForWindowActive(widget, 2000)


def test_registry_filters_by_monitoring_stage(qtbot, services, village):
    from fupin_desktop.ui.views.households.page import HouseholdsPage

    clue = _household(services, "刘长河")
    _household(services, "陈石头")
    services.monitoring.record_step(clue, StepInput("clue", date(2024, 6, 3), "张书记", source="cadre_visit"))
    page = HouseholdsPage(services)
    _show(qtbot, page)
    assert page.model.total() == 2 and "共 2 户" in page.count_label.text()

    page.stage_combo.setCurrentIndex(page.stage_combo.findData("clue"))
    assert page.model.total() == 1
    assert page.model.item(0).head_name == "刘长河"
    assert "筛选后 1 户" in page.count_label.text()
    assert page.clear_button.isEnabled()
    page.stage_combo.setCurrentIndex(page.stage_combo.findData("identified"))
    assert page.model.total() == 0 and page.list_stack.currentWidget() is page.empty
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    assert page.model.total() == 2 and page.stage_combo.code() is None


def test_household_page_has_a_monitoring_tab(qtbot, services, village):
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog

    hid = _household(services, "刘长河")
    services.monitoring.record_step(hid, StepInput("clue", date(2024, 6, 3), "张书记", source="cadre_visit"))
    dlg = HouseholdDialog(services, hid)
    _show(qtbot, dlg)
    assert dlg.tabs.tabText(dlg.monitoring_tab) == "防返贫监测"
    assert dlg.monitoring_panel.household_id is None  # read only when looked at
    dlg.tabs.setCurrentIndex(dlg.monitoring_tab)
    panel = dlg.monitoring_panel
    assert panel.household_id == hid
    assert "刘长河" in panel.title.text() and "风险线索" in panel.facts.text()
    assert "申请/承诺" in panel.next_button.text()  # the next step
    assert panel.steps.rowCount() == 1 and panel.steps.item(0, 1).text() == "风险线索"

    # a new household has no monitoring yet: the tab opens once it is saved
    new = HouseholdDialog(services, None)
    qtbot.addWidget(new)
    assert not new.tabs.isTabEnabled(new.monitoring_tab)


def test_home_page_lists_households_worth_a_visit(qtbot, services, village, monkeypatch):
    from fupin_desktop.ui.main_window import MainWindow
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog

    _household(services, "陈石头")
    ill = _household(services, "刘长河", health=("serious_illness",))
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    home = window.set_page("home")
    qtbot.waitUntil(lambda: tasks.active_count() == 0)
    card = home.risk_card
    assert card.title.text() == "值得走访的农户（风险提示）"
    assert [p.household_id for p in card.prompts] == [ill]
    assert "1 户" in card.count.text()
    assert "刘长河" in card.lines.text() and "患有大病" in card.lines.text()

    opened = []

    def fake_exec(dlg):
        opened.append((dlg.household_id, dlg.tabs.currentIndex() == dlg.monitoring_tab))
        return 0

    monkeypatch.setattr(HouseholdDialog, "exec", fake_exec)
    card.lines.linkActivated.emit(ill)  # what clicking the name does
    assert opened == [(ill, True)]

    qtbot.mouseClick(card.button, Qt.MouseButton.LeftButton)
    page = window.page_widget("monitoring")
    assert window.current_page_key() == "monitoring" and page.tabs.currentWidget() is page.risk_tab


def test_empty_risk_card_says_so(qtbot, services, village):
    from fupin_desktop.ui.views.home.page import HomePage

    _household(services, "陈石头")
    home = HomePage(services)
    qtbot.addWidget(home)
    qtbot.waitUntil(lambda: tasks.active_count() == 0)
    assert home.risk_card.prompts == [] and not home.risk_card.button.isVisibleTo(home.risk_card)
    assert "暂无风险" in home.risk_card.lines.text()


def test_esc_asks_before_discarding_household_changes(qtbot, services, village, asked):
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog

    hid = _household(services, "刘长河")
    dlg = HouseholdDialog(services, hid)
    _show(qtbot, dlg)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)  # nothing changed: closes without asking
    assert not dlg.isVisible() and asked["asked"] == 0

    dlg = HouseholdDialog(services, hid)
    _show(qtbot, dlg)
    dlg.address.setFocus()
    qtbot.keyClicks(dlg.address, "dong jie 8")
    qtbot.keyClick(dlg.address, Qt.Key.Key_Escape)
    assert asked["asked"] == 1 and dlg.isVisible()  # "keep editing"
    asked["value"] = True
    qtbot.keyClick(dlg.address, Qt.Key.Key_Escape)
    assert asked["asked"] == 2 and not dlg.isVisible()
    assert services.households.get(hid).address is None  # discarded

    # saving makes the form clean again
    dlg = HouseholdDialog(services, hid)
    _show(qtbot, dlg)
    qtbot.keyClicks(dlg.address, "dong jie 8")
    assert dlg.is_dirty()
    qtbot.keyClick(dlg, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dlg.busy)  # saved in the write pool
    assert services.households.get(hid).address == "dong jie 8" and not dlg.is_dirty()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert asked["asked"] == 2 and not dlg.isVisible()


def test_esc_asks_before_discarding_a_visit(qtbot, services, village, asked):
    from fupin_desktop.ui.views.visits.dialog import VisitDialog

    hid = _household(services, "刘长河")
    dlg = VisitDialog(services, hid)
    _show(qtbot, dlg)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible() and asked["asked"] == 0

    dlg = VisitDialog(services, hid)
    _show(qtbot, dlg)
    dlg.findings.setFocus()
    qtbot.keyClicks(dlg.findings, "wu ding lou yu")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert asked["asked"] == 1 and dlg.isVisible()
    asked["value"] = True
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dlg.isVisible() and services.visits.list() == []


def test_member_health_schooling_labour_disability_insurance(qtbot, services, village, asked):
    from fupin_desktop.ui.views.households.dialog import MemberDialog

    hid = services.households.create(HouseholdInput(head_name="刘长河"), [
        MemberInput(name="刘长河", relation="head", ethnicity="hui", resident_medical=None)]).value.id
    head = services.households.detail(hid).members[0]
    dlg = MemberDialog(head)
    _show(qtbot, dlg)
    dlg.save_handler = lambda data: services.households.update_member(head.id, data)
    assert not dlg.disability_category.isEnabled()  # only with 残疾 ticked
    dlg.health.boxes["serious_illness"].click()
    dlg.health.boxes["disabled"].click()
    assert dlg.disability_category.isEnabled()
    dlg.disability_category.set_code("4")
    dlg.disability_level.set_code("2")
    dlg.labour_skill.set_code("weak")
    dlg.education.set_code("junior")
    dlg.schooling.set_code("grade8")  # both: refused, the reason under the field
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()
    assert any("只能填一项" in lbl.text() for lbl in dlg.findChildren(type(dlg.general_error)) if lbl.isVisible())
    dlg.schooling.set_code(None)
    dlg.critical_illness.click()
    qtbot.keyClick(dlg, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dlg.busy)
    assert dlg.result() == dlg.DialogCode.Accepted

    m = services.households.detail(hid).members[0]
    assert set(m.health) == {"serious_illness", "disabled"}
    assert (m.disability_category, m.disability_level, m.labour_skill, m.education, m.schooling) == \
        ("4", "2", "weak", "junior", None)
    assert m.critical_illness_insurance is True
    assert m.resident_medical is None  # left unknown, not turned into "no"
    assert m.ethnicity == "hui"  # not on this form: kept

    # shown again when edited; Esc with a change asks
    dlg = MemberDialog(m)
    _show(qtbot, dlg)
    assert dlg.health.codes() == ("serious_illness", "disabled") or set(dlg.health.codes()) == set(m.health)
    assert dlg.disability_level.code() == "2" and dlg.critical_illness.isChecked()
    dlg.employee_medical.click()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert asked["asked"] == 1 and dlg.isVisible()
