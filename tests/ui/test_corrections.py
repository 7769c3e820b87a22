"""Issue 18 §3.11: on 问题清单 she raises a problem (Ctrl+N), sets its deadline, hands it to someone else and deletes
a mistake; a saved visit can be corrected or deleted from the visits page — typed and clicked as she would."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.problems import ProblemInput
from fupin_desktop.services.visits import VisitInput
from tests.ui.keyboard import type_into




def type_date(qtbot, edit, text):
    """Click into the date, select it all (Ctrl+A) and type the new one."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, text)


@pytest.fixture
def drive(monkeypatch, qtbot):
    """Modal dialogs opened with exec() are shown and handed to the next function queued here."""
    from fupin_desktop.ui.widgets.form_dialog import FormDialog

    queue = []

    def exec_(dialog):
        dialog.show()
        dialog.activateWindow()
        QTest.qWaitForWindowActive(dialog, 2000)
        assert queue, f"unexpected dialog {type(dialog).__name__}"
        queue.pop(0)(dialog)
        qtbot.waitUntil(lambda: not dialog.busy)
        if dialog.isVisible():
            dialog.reject()
        return dialog.result()

    monkeypatch.setattr(FormDialog, "exec", exec_)
    return queue


def test_problem_list_raise_deadline_reassign_delete(qtbot, services, village, drive, dialogs):
    from fupin_desktop.ui.views.problems.page import ProblemsPage

    secretary, member = village[1]
    hid = services.households.create(HouseholdInput(head_name="王大山")).value.id
    page = ProblemsPage(services)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    page.activateWindow()
    QTest.qWaitForWindowActive(page, 2000)

    # Ctrl+N raises a problem; the deadline defaults to the setting and she can change it
    def raise_one(dlg):
        type_into(qtbot, dlg.description, "村东头路灯不亮")
        type_into(qtbot, dlg.household.search, "wds")
        qtbot.waitUntil(lambda: dlg.household.household_id() == hid)  # (the search waits for a pause)
        assert dlg.due.value() == date(2024, 7, 13)          # 15 days after 2024-06-28
        type_date(qtbot, dlg.due, "2024-07-05")
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)

    drive.append(raise_one)
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not drive
    (p,) = services.problems.list()
    assert (p.description, p.household_id, p.due_date, p.responsible_id) == \
        ("村东头路灯不亮", hid, date(2024, 7, 5), secretary.id)
    qtbot.waitUntil(lambda: page.model.total() == 1)

    # hand it to the team member, with a later deadline
    def reassign(dlg):
        dlg.responsible.setCurrentIndex(dlg.responsible.findText(member.name))
        type_date(qtbot, dlg.due, "2024-07-20")
        qtbot.keyClick(dlg.due, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    page.table.selectRow(0)
    drive.append(reassign)
    qtbot.mouseClick(page.findChild(QPushButton, "EditProblem"), Qt.MouseButton.LeftButton)
    p = services.problems.get(p.id)
    assert (p.responsible_id, p.due_date) == (member.id, date(2024, 7, 20))
    qtbot.waitUntil(lambda: "李队员" in page.detail.text())

    # a deadline before the day it was raised is refused under the field
    def too_early(dlg):
        type_date(qtbot, dlg.due, "2024-06-01")
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dlg.busy)
        assert dlg.isVisible() and dlg.due.property("invalid")

    drive.append(too_early)
    qtbot.mouseClick(page.findChild(QPushButton, "EditProblem"), Qt.MouseButton.LeftButton)
    assert services.problems.get(p.id).due_date == date(2024, 7, 20)

    # delete a mistake (asked first)
    qtbot.mouseClick(page.findChild(QPushButton, "DeleteProblem"), Qt.MouseButton.LeftButton)
    assert dialogs.kinds()[-1] == "confirm"
    qtbot.waitUntil(lambda: services.problems.count() == 0)
    qtbot.waitUntil(lambda: page.model.total() == 0)


def test_a_saved_visit_can_be_corrected_and_deleted(qtbot, services, village, drive, dialogs):
    from fupin_desktop.ui.views.visits.page import VisitsPage

    secretary, member = village[1]
    hid = services.households.create(HouseholdInput(head_name="王大山")).value.id
    services.visits.log_visit(VisitInput(
        household_id=hid, visit_date=date(2024, 6, 20), cadre_ids=(secretary.id,), findings="屋顶漏雨",
        problems=(ProblemInput(description="修屋顶"),)))
    page = VisitsPage(services)
    qtbot.addWidget(page)
    page.show()
    assert page.model.total() == 1

    def correct(dlg):
        assert dlg.findings.toPlainText() == "屋顶漏雨" and dlg.cadres.codes() == (secretary.id,)
        assert not dlg.problems.isVisible()                 # its problems are on the problem list
        type_date(qtbot, dlg.date, "2024-06-21")
        dlg.cadres.boxes[member.id].click()
        dlg.findings.setFocus()
        qtbot.keyClick(dlg.findings, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        type_into(qtbot, dlg.findings, "，院墙也裂了")
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)

    page.table.selectRow(0)
    drive.append(correct)
    qtbot.mouseClick(page.findChild(QPushButton, "EditVisit"), Qt.MouseButton.LeftButton)
    (v,) = services.visits.list()
    assert v.visit_date == date(2024, 6, 21) and v.findings == "屋顶漏雨，院墙也裂了"
    assert set(v.cadre_ids) == {secretary.id, member.id}
    assert services.problems.count() == 1                   # untouched

    qtbot.waitUntil(lambda: "院墙" in page.detail.text())
    qtbot.mouseClick(page.findChild(QPushButton, "DeleteVisit"), Qt.MouseButton.LeftButton)
    assert dialogs.kinds()[-1] == "confirm"
    qtbot.waitUntil(lambda: services.visits.count() == 0)
    qtbot.waitUntil(lambda: page.model.total() == 0)
    assert services.problems.count() == 1
