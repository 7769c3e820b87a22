"""The form base (ui.widgets.form_dialog): save in the write pool with a busy state, the error under its field,
data_changed once, Ctrl+S, Esc asking only when something changed, geometry remembered, Tab in screen order."""
from __future__ import annotations

import threading

from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from fupin_desktop.services.village import CadreInput
from fupin_desktop.ui.events import bus
from fupin_desktop.ui.widgets import CodeCombo
from fupin_desktop.ui.widgets.form_dialog import FormDialog, visual_order


class CadreForm(FormDialog):
    state_key = "dialogs/test_cadre"

    def __init__(self, services, parent=None):
        super().__init__(parent, "队员")
        self.services = services
        self.threads: list[str] = []
        self.name = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.role = CodeCombo("cadre_role", self)
        self.add_row("姓名", self.name, "name")
        self.add_row("角色", self.role, "role")
        self.add_row("电话", self.phone, "phone")
        self.finish(420, 260)

    def submit(self):
        def create(data):
            self.threads.append(threading.current_thread().name)
            return self.services.cadres.create(data)
        return create, CadreInput(name=self.name.text(), role=self.role.code() or "member",
                                  phone=self.phone.text() or None)


def test_saves_in_the_write_pool_and_publishes_once(qtbot, services, village, save_form):
    seen = []
    bus().data_changed.connect(lambda changes, initiator: seen.append(initiator))
    dlg = CadreForm(services)
    qtbot.addWidget(dlg)
    dlg.open()
    dlg.name.setText("王队员")
    qtbot.keyClicks(dlg.phone, "13912345678")
    assert save_form(dlg)
    assert dlg.threads and dlg.threads[0] != threading.main_thread().name
    assert dlg.saved_id and "王队员" in [c.name for c in services.cadres.list()]
    assert seen == [dlg]


def test_validation_error_under_its_field_and_busy_state(qtbot, services, village, save_form):
    dlg = CadreForm(services)
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.keyClicks(dlg.phone, "123")                      # no name, a bad phone
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.busy and not dlg.buttons.isEnabled()       # running in the pool: buttons off
    qtbot.waitUntil(lambda: not dlg.busy)
    assert dlg.buttons.isEnabled() and dlg.isVisible()
    assert dlg.name.property("invalid")
    label = [e for e in dlg.findChildren(QWidget) if e.objectName() == "FieldError" and e.isVisible()]
    assert len(label) == 1 and "姓名" in label[0].text()


def test_ctrl_s_saves(qtbot, services, village):
    dlg = CadreForm(services)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()  # shortcuts go to the active window
    assert QTest.qWaitForWindowActive(dlg, 2000)
    dlg.name.setText("赵队员")
    dlg.name.setFocus()
    qtbot.keyClick(dlg.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dlg.outcome is not None)
    assert dlg.outcome.value.name == "赵队员"


def test_esc_asks_only_when_something_changed(qtbot, services, village, dialogs):
    dlg = CadreForm(services)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)                # nothing typed: closes without asking
    assert not dlg.isVisible() and dialogs.calls == []

    dlg = CadreForm(services)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.phone, "1")
    dialogs.confirm_answer = False
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert dlg.isVisible() and dialogs.kinds() == ["confirm"]   # kept what she typed
    dialogs.confirm_answer = True
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible()


def test_geometry_is_remembered(qtbot, services, village):
    dlg = CadreForm(services)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.setGeometry(QRect(40, 50, 610, 333))
    dlg.reject()
    again = CadreForm(services)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (610, 333)


def test_tab_follows_the_screen(qtbot, services, village):
    dlg = CadreForm(services)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    assert QTest.qWaitForWindowActive(dlg, 2000)
    # built in the order name, phone, role; the screen shows name, role, phone: Tab follows the screen
    dlg.name.setFocus()
    seen = [QApplication.focusWidget()]
    for _ in range(2):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [dlg.name, dlg.role, dlg.phone]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is dlg.role
    assert visual_order(dlg)[:3] == [dlg.name, dlg.role, dlg.phone]


def test_a_wrapped_hint_does_not_squeeze_the_fields_below_it(qtbot, services, records):
    """监测步骤 at 1366×768: its wrapped 下一步 hint took two lines at the dialog's width while the dialog's height was
    set for one, so the 备注 box was cut off at the bottom."""
    from fupin_desktop.ui.views.monitoring.dialogs import MonitoringStepDialog

    dlg = MonitoringStepDialog(services, records["status"])
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.height() >= dlg.heightForWidth(dlg.width())
    assert dlg.note.visibleRegion().boundingRect().height() == dlg.note.height()
