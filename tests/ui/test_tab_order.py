"""Issue 18 §3.8: in every record dialog Tab follows the screen — top to bottom, left to right (a form in two
columns: down the first, then the second). The test presses Tab as she would, from the first input, and compares
the inputs it reaches with their places on the screen."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from fupin_desktop.ui.widgets.form_dialog import visual_key, visual_order


def tab_chain(qtbot, dlg) -> list:
    """Press Tab from the first input until the focus comes back; the widgets reached, in order."""
    dlg.show()
    dlg.activateWindow()
    assert QTest.qWaitForWindowActive(dlg, 2000)
    stops = visual_order(dlg)
    stops[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    chain = []
    for _ in range(len(stops) + 5):
        w = focused = QApplication.focusWidget()
        while w is not None and w not in stops and w is not dlg:
            w = w.parentWidget()  # the line edit inside a date edit, a table's viewport: the outer widget
        w = w if w in stops else focused
        if w in chain:
            break
        chain.append(w)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    return chain


def test_tab_follows_the_screen_in_every_record_dialog(qtbot, services, records, record_dialogs):
    wrong = {}
    for title, make in record_dialogs.items():
        dlg = make()
        qtbot.addWidget(dlg)
        dlg.resize(1000, 700)
        chain = tab_chain(qtbot, dlg)
        expected = visual_order(dlg)
        if chain != expected:
            def names(ws):
                return [f"{type(w).__name__}:{w.objectName()}@{visual_key(w, dlg)}" for w in ws]
            at = next((i for i, (a, b) in enumerate(zip(chain, expected)) if a is not b), min(len(chain), len(expected)))
            wrong[title] = (at, names(chain[at - 3:at + 4]), names(expected[at - 3:at + 4]), len(chain), len(expected))
        dlg.hide()
    assert not wrong, "\n".join(f"{k}: {v}" for k, v in wrong.items())


def test_household_form_reaches_the_head_id_second(qtbot, services, records):
    """新建农户: 户主身份证号 comes right after 户主姓名 (it was sixth)."""
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog

    dlg = HouseholdDialog(services)
    qtbot.addWidget(dlg)
    chain = tab_chain(qtbot, dlg)
    i = chain.index(dlg.head_name)
    assert i <= 1 and chain[i + 1] is dlg.head_id.edit   # (after the tab bar, if at all)


def test_visit_form_date_then_visitors_then_findings(qtbot, services, records):
    """记一次走访: the date is one Tab stop, visitors come before 保存, 了解情况 is reached in a few Tabs."""
    from fupin_desktop.ui.views.visits.dialog import VisitDialog

    dlg = VisitDialog(services, records["household"].id)
    qtbot.addWidget(dlg)
    chain = tab_chain(qtbot, dlg)
    assert chain.index(dlg.date) + 1 == chain.index(dlg.method)
    visitors = [b for b in dlg.cadres.boxes.values()]
    assert all(chain.index(b) < chain.index(dlg.save_button) for b in visitors)
    assert chain.index(dlg.findings) < chain.index(dlg.save_button) and chain.index(dlg.findings) <= 17


