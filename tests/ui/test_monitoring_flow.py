"""防返贫监测 page: one household is taken from 风险线索 to 风险消除 through the UI, like a user would."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from fupin_desktop.services.households import HouseholdInput, IncomeInput, MemberInput
from fupin_desktop.services.monitoring import GUARANTEE_ITEMS
from fupin_desktop.services.visits import CheckInput, VisitInput
from fupin_desktop.ui.views.monitoring.page import MonitoringPage

STEPS = [  # (stage, date) in order; 村内公示 on 1月12日 → 乡镇审核 no earlier than 1月17日
    ("clue", date(2024, 1, 8)), ("application", date(2024, 1, 9)), ("verification", date(2024, 1, 10)),
    ("village_review", date(2024, 1, 11)), ("publicity", date(2024, 1, 12)), ("township_review", date(2024, 1, 18)),
    ("county_approval", date(2024, 1, 20)), ("identified", date(2024, 1, 22)), ("assisting", date(2024, 2, 1)),
    ("verification", date(2024, 6, 3)), ("village_review", date(2024, 6, 5)), ("publicity", date(2024, 6, 6)),
    ("township_review", date(2024, 6, 12)), ("county_approval", date(2024, 6, 14)), ("eliminated", date(2024, 6, 20)),
]


def _setup(services, village):
    cadre = village[1][0]
    hid = services.households.create(HouseholdInput(head_name="刘长河", household_type="alleviated"), [
        MemberInput(name="刘长河", relation="head", labour_skill="ordinary", education="junior",
                    resident_medical=True),
        MemberInput(name="王桂兰", relation="spouse", labour_skill="weak", education="primary",
                    resident_medical=True),
    ]).value.id
    services.households.create(HouseholdInput(head_name="陈石头"), [
        MemberInput(name="陈石头", relation="head", education="primary", resident_medical=True)])
    services.risk.set_line(2024, Decimal("7000"))
    services.households.set_income(hid, IncomeInput(year=2024, wages=Decimal("26000"), business=Decimal("4000")))
    services.visits.log_visit(VisitInput(household_id=hid, visit_date=date(2024, 6, 4), cadre_ids=(cadre.id,),
                                         purposes=("screening",),
                                         checks=tuple(CheckInput(i, True) for i in GUARANTEE_ITEMS)))
    return hid


def _save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_take_a_household_from_a_risk_clue_to_risk_elimination(qtbot, services, village):
    hid = _setup(services, village)
    page = MonitoringPage(services)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    assert page.list_stack.currentWidget() is page.empty  # nobody monitored yet: the empty state offers a clue

    # 登记风险线索: choose the household by typing its pinyin initials (刘长河 → lch) and Enter
    qtbot.mouseClick(page.empty.button, Qt.MouseButton.LeftButton)
    picker = page.picker
    qtbot.keyClicks(picker.search, "lch")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert page.panel.household_id == hid
    dialog = page.panel.dialog
    assert dialog.stage.code() == "clue" and dialog.source.isVisible()

    for i, (stage, when) in enumerate(STEPS):
        if i:
            qtbot.mouseClick(page.panel.next_button, Qt.MouseButton.LeftButton)
            dialog = page.panel.dialog
        if stage == "verification" and i > 8:  # after 帮扶 the dialog offers 入户核查 (elimination) or 帮扶 again
            dialog.stage.set_code("verification")
        assert dialog.stage.code() == stage, (i, stage)
        dialog.step_date.setValue(when)
        if stage == "clue":
            dialog.source.set_code("self_report")
        if stage == "township_review" and i == 5:
            # too early first: the publicity has not lasted 5 days; the message sits under the date
            dialog.step_date.setValue(date(2024, 1, 15))
            _save(qtbot, dialog)
            qtbot.waitUntil(lambda: not dialog.busy)  # saved in the write pool
            error = dialog.errors._fields["step_date"][1]
            assert dialog.isVisible() and error.isVisible() and "须满5天" in error.text()
            dialog.step_date.setValue(when)
        if stage == "identified":
            dialog.category.set_code("unstable")
            qtbot.mouseClick(dialog.risk_boxes["illness"], Qt.MouseButton.LeftButton)
            qtbot.mouseClick(dialog.risk_boxes["unstable_work"], Qt.MouseButton.LeftButton)
        if stage == "eliminated":
            dialog.way.set_code("assisted")
            assert dialog.checks.isVisible() and dialog.review.can_eliminate
            assert "✘" not in dialog.checks.text() and "7,000.00" in dialog.checks.text()
        with qtbot.waitSignal(dialog.saved, timeout=2000):
            _save(qtbot, dialog)
        if stage == "identified":
            # a development-type measure within 6 months, added from the panel
            qtbot.mouseClick(page.panel.add_measure_button, Qt.MouseButton.LeftButton)
            mdlg = page.panel.dialog
            mdlg.category.set_code("employment")
            mdlg.measure_date.setValue(date(2024, 1, 25))
            mdlg.content.insertPlainText("推荐到县城物流园稳定就业")  # as an input method commits it
            qtbot.keyClicks(mdlg.amount.edit, "1500")
            with qtbot.waitSignal(mdlg.saved, timeout=2000):
                qtbot.mouseClick(mdlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                                 Qt.MouseButton.LeftButton)
            assert page.panel.measures.rowCount() == 1
            assert "已落实" in page.panel.rule.text()

    h = services.households.get(hid)
    assert h.risk_eliminated and h.elimination_way == "assisted" and h.eliminated_on == date(2024, 6, 20)
    assert h.monitoring_category == "unstable" and h.identified_on == date(2024, 1, 1)
    assert h.risk_types == ("illness", "unstable_work")
    status = services.monitoring.status(hid)
    assert [s.stage for s in status.steps] == [s for s, _ in STEPS]
    assert status.steps[0].source == "self_report" and status.steps[0].actor == "测试管理员"
    # the list follows: filter "risk eliminated" shows the household with its last step
    page.status_combo.setCurrentIndex(2)
    assert page.table.rowCount() == 1 and page.table.item(0, 3).text() == "风险消除"
    assert page.panel.steps.item(0, 1).text() == "风险消除"
    assert "1户" in page.figures.text()
    page.grab().save(str(services.ctx.data_dir / "monitoring.png"))


def test_risk_prompts_tab_starts_a_clue(qtbot, services, village):
    _setup(services, village)
    page = MonitoringPage(services)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentWidget(page.risk_tab)
    tab = page.risk_tab
    # 陈石头 has no income and full insurance; 刘长河 (30,000 / 2 = 15,000 ≥ 150% of 7,000) is fine: nobody yet
    assert tab.table.rowCount() == 0
    services.households.set_income(page.risk_tab.services.households.page(
        __import__("fupin_desktop.services.households", fromlist=["HouseholdQuery"]).HouseholdQuery(text="陈石头"),
        0, 1)[0].id, IncomeInput(year=2024, wages=Decimal("8000")))
    tab.reload()
    assert tab.table.rowCount() == 1 and "8,000.00" in tab.table.item(0, 5).text()
    tab.table.setCurrentCell(0, 0)
    qtbot.mouseClick(tab.clue_button, Qt.MouseButton.LeftButton)
    assert page.tabs.currentWidget() is page.households_tab
    assert page.panel.dialog.stage.code() == "clue"


def test_enter_a_risk_eliminated_before_the_team_arrived_in_one_go(qtbot, services, village):
    """Issue 17 item 1: from the household's 防返贫监测 tab, its earlier cycle (identified 2021年7月, eliminated
    2022年11月20日 by 帮扶消除) is entered in one dialog; the year's figures count it."""
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog

    hid = _setup(services, village)
    dlg = HouseholdDialog(services, hid)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.tabs.setCurrentIndex(dlg.monitoring_tab)
    panel = dlg.monitoring_panel
    assert panel.earlier_button.isEnabled()
    qtbot.mouseClick(panel.earlier_button, Qt.MouseButton.LeftButton)
    form = panel.dialog
    form.category.set_code("unstable")
    qtbot.mouseClick(form.risk_boxes["illness"], Qt.MouseButton.LeftButton, pos=QPoint(8, 8))  # on the box
    assert form.risk_boxes["illness"].isChecked()
    form.identified_on.setValue(date(2021, 7, 1))
    qtbot.mouseClick(form.eliminated, Qt.MouseButton.LeftButton, pos=QPoint(8, 11))  # on the box
    assert form.eliminated_on.isEnabled() and form.way.isEnabled()
    form.eliminated_on.setValue(date(2022, 11, 20))
    form.way.set_code("assisted")
    with qtbot.waitSignal(form.saved, timeout=3000):
        _save(qtbot, form)
    assert "2022" in panel.facts.text() and "2021年7月" in panel.facts.text()  # the panel shows it at once
    st = services.monitoring.status(hid)
    assert (st.identified_on, st.eliminated_on, st.elimination_way) == (date(2021, 7, 1), date(2022, 11, 20),
                                                                         "assisted")
    y2022 = services.monitoring.year_figures(2022)
    assert (y2022.monitored_at_start_households, y2022.eliminated_households) == (1, 1)
    assert st.next_stage == "clue"  # a new risk starts with a 风险线索
