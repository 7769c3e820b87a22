"""结账 in the window: the administrator closes a quarter from the 台账报表 page (confirmation dialog), the closed
period is listed with who and when, its visit shows 已结账 and cannot be edited; 反结账 with a reason opens it again.
The two dialogs are grabbed at the size they open with (1366×768 window) to /tmp/shots/closing/."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from fupin_desktop.domain.errors import PeriodClosedError
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.visits import VisitInput
from fupin_desktop.ui import tasks

SHOTS = Path("/tmp/shots/closing")


@pytest.fixture
def visit(services, village):
    _v, cadres = village
    hid = services.households.create(HouseholdInput(head_name="王大山", household_type="alleviated"),
                                     [MemberInput("王大山", "head")]).value.id
    return services.visits.log_visit(VisitInput(household_id=hid, visit_date=date(2024, 3, 5),
                                                cadre_ids=(cadres[0].id,), findings="家中正常")).value


def _in_dialog(qtbot, act, name: str) -> list:
    """Run ``act(dialog)`` on the modal dialog once it is open (after grabbing it)."""
    seen = []

    def handle():
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            QTimer.singleShot(20, handle)
            return
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert dlg.grab().save(str(SHOTS / f"{name}.png"))
        seen.append(dlg)
        act(dlg)

    QTimer.singleShot(0, handle)
    return seen


def test_close_a_quarter_then_the_visit_is_read_only_until_reopened(qtbot, services, visit):
    from fupin_desktop.ui.views.reports.page import ReportsPage
    from fupin_desktop.ui.views.visits.dialog import VisitDialog
    from fupin_desktop.ui.views.visits.page import VisitsPage

    page = ReportsPage(services)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.period_kind.setCurrentIndex(page.period_kind.findData("quarter"))
    page.year.setValue(2024)
    page.part.setCurrentIndex(0)
    panel = page.closing
    assert panel.list.item(0).text() == "（无）"

    seen = _in_dialog(qtbot, lambda d: qtbot.mouseClick(d.ok, Qt.MouseButton.LeftButton), "close_dialog")
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert seen and seen[0].findChild(QLabel, "CloseHead").text() == "确定对2024年第一季度结账吗？"
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and "结账" in panel.list.item(0).text(), timeout=10000)
    assert panel.list.item(0).text().startswith("2024年第一季度：测试管理员 ")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "reports_page_closed.png"))

    visits = VisitsPage(services)
    qtbot.addWidget(visits)
    visits.resize(1366, 768)
    visits.show()
    qtbot.waitUntil(lambda: visits.model.rowCount() == 1, timeout=10000)
    assert visits.model.data(visits.model.index(0, 5)) == "【已结账】家中正常"
    visits.table.selectRow(0)
    assert not visits.edit_button.isEnabled() and not visits.delete_button.isEnabled()
    assert visits.detail.text().startswith("已结账（2024年第一季度，测试管理员")
    visits.grab().save(str(SHOTS / "visits_closed.png"))
    dlg = VisitDialog(services, parent=visits, visit=visit)  # opened anyway: shown, not saved
    qtbot.addWidget(dlg)
    assert not dlg.save_button.isEnabled() and "已结账" in dlg.windowTitle()
    with pytest.raises(PeriodClosedError):  # and the service refuses whatever the window would send
        services.visits.update(visit.id, dlg.visit_input())

    def reopen(d):
        states.append((type(d).__name__, d.ok.isEnabled()))  # the reason is required
        d.reason.setFocus()
        d.reason.insertPlainText("补录三月份漏记的走访")  # typed through the input method
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert d.grab().save(str(SHOTS / "reopen_dialog_filled.png"))
        qtbot.mouseClick(d.ok, Qt.MouseButton.LeftButton)

    states = []
    seen = _in_dialog(qtbot, reopen, "reopen_dialog")
    qtbot.mouseClick(panel.reopen_button, Qt.MouseButton.LeftButton)
    assert states == [("ReopenPeriodDialog", False)]
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and panel.list.item(0).text() == "（无）", timeout=10000)
    visits.refresh()
    qtbot.waitUntil(lambda: visits.model.rowCount() == 1 and
                    visits.model.data(visits.model.index(0, 5)) == "家中正常", timeout=10000)
    visits.table.selectRow(0)
    assert visits.edit_button.isEnabled()
    visits.grab().save(str(SHOTS / "visits_reopened.png"))


def test_a_member_sees_the_closed_periods_but_cannot_close(qtbot, services, db, village):
    from fupin_desktop.services import Services
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.ui.views.reports.page import ReportsPage

    member = Services(db, actor=Actor(None, "李队员", "member"), today=services.ctx.today)
    page = ReportsPage(member)
    qtbot.addWidget(page)
    assert not page.closing.close_button.isEnabled() and not page.closing.reopen_button.isEnabled()


def test_a_reprint_of_a_closed_half_year_warns_after_a_household_change(qtbot, services, visit):
    from fupin_desktop.services.closing import PeriodKey
    from fupin_desktop.ui.views.reports.page import ReportsPage

    services.closing.close(PeriodKey.of(2024, half=1))
    page = ReportsPage(services)
    qtbot.addWidget(page)
    page.select_document("visits")
    page.period_kind.setCurrentIndex(page.period_kind.findData("half"))
    page.year.setValue(2024)
    page.part.setCurrentIndex(0)

    def printed():
        page.current_pdf = None
        page.reprint_warning = "unset"
        qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None
                        and page.reprint_warning != "unset", timeout=30000)
        return page.reprint_warning

    assert printed() is None  # the same as at closing
    household = services.visits.get(visit.id).household_id
    services.households.update(household, HouseholdInput(head_name="王大善", household_type="alleviated"))
    warning = printed()
    assert warning and "与结账时不同" in warning and warning in page.status.text()
