"""The top-bar search (Ctrl+F) is the one search: she types, sees grouped results, picks one with the arrow keys
and Enter (issue 18, item 1)."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fupin_desktop.app import build_main_window
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.problems import ProblemInput
from fupin_desktop.services.visits import VisitInput
from fupin_desktop.ui import tasks


@pytest.fixture
def window(qtbot, services, village):
    liu = services.households.create(HouseholdInput(head_name="刘长海"),
                                     [MemberInput("刘长海", "head"), MemberInput("赵小燕", "daughter")]).value.id
    services.households.create(HouseholdInput(head_name="李四"), [MemberInput("李四", "head")])
    cadre = services.cadres.list()[0].id
    services.visits.log_visit(VisitInput(household_id=liu, visit_date=date(2024, 6, 1), cadre_ids=(cadre,),
                                         findings="屋顶漏雨"))
    services.problems.raise_problem(ProblemInput(description="自来水管冻裂", household_id=liu))
    w = build_main_window(services)
    qtbot.addWidget(w)
    w.setWindowState(Qt.WindowState.WindowNoState)
    w.resize(1366, 768)
    with qtbot.waitExposed(w):
        w.show()
    w.activateWindow()
    return w


def _search(qtbot, w, ascii_text: str | None = None, text: str | None = None):
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is w.search_box
    if ascii_text:
        qtbot.keyClicks(w.search_box, ascii_text)
    else:
        w.search_box.insert(text)  # QTest cannot type Chinese
    qtbot.waitUntil(lambda: w.search_results.isVisible() and w.search_results.list.count() > 0, timeout=5000)
    tasks.wait_for_tasks()


def test_ctrl_f_lch_then_enter_opens_the_household(qtbot, window):
    _search(qtbot, window, "lch")
    titles = [window.search_results.list.item(i).text().split("\n")[0]
              for i in range(window.search_results.list.count())]
    assert titles[0] == "农户" and titles[1] == "刘长海"  # grouped: heading, then hits
    assert "走访记录" in titles and "问题清单" in titles
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.current_page_key() == "households"
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog

    qtbot.waitUntil(lambda: any(isinstance(d, HouseholdDialog) and d.isVisible()
                                for d in QApplication.topLevelWidgets()))
    dlg = next(d for d in QApplication.topLevelWidgets() if isinstance(d, HouseholdDialog) and d.isVisible())
    assert "刘长海" in dlg.windowTitle() or dlg.head_name.text() == "刘长海"
    dlg.close()


def test_arrow_keys_walk_the_hits_and_open_a_problem(qtbot, window):
    _search(qtbot, window, text="冻裂")
    hit = window.search_results.current_hit()
    assert hit.kind == "problem"
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.current_page_key() == "problems"
    page = window.page_widget("problems")
    assert page.current_problem().description == "自来水管冻裂"
    assert not window.search_results.isVisible()

    _search(qtbot, window, "lch")
    kinds = []
    for _ in range(6):
        kinds.append(window.search_results.current_hit().kind)
        qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    assert kinds[:2] == ["household", "visit"] and "problem" in kinds  # headings are skipped
    window.search_results._select_step(0, 1)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)  # → the visit
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.current_page_key() == "visits"
    visit = window.page_widget("visits").model.item(window.page_widget("visits").table.currentIndex().row())
    assert visit.findings == "屋顶漏雨"
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)


def test_escape_closes_the_results_and_nothing_found_says_so(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_box, "qqqq")
    qtbot.waitUntil(window.search_results.isVisible, timeout=5000)
    assert "qqqq" in window.search_results.empty.text() and window.search_results.empty.isVisible()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert not window.search_results.isVisible()
