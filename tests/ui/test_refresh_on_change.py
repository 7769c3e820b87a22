"""Pages follow data_changed through one mixin (ui.widgets.refresh): a hidden page is only marked stale and is
refreshed when shown; a visible page refreshes at once; a page's own change is not refreshed twice."""
from __future__ import annotations

from datetime import date

from fupin_desktop.services.base import Changes
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.visits import VisitInput
from fupin_desktop.ui import tasks
from fupin_desktop.ui.events import bus


def _visit(services, hid, cadre_id, day):
    return services.visits.log_visit(VisitInput(household_id=hid, visit_date=day, cadre_ids=(cadre_id,)))


def test_hidden_page_waits_visible_page_refreshes_own_change_once(qtbot, services, village, dialogs):
    from fupin_desktop.ui.views.visits.page import VisitsPage

    sec = village[1][0]
    hid = services.households.create(HouseholdInput(head_name="王大山")).value.id
    page = VisitsPage(services)
    qtbot.addWidget(page)

    # hidden: a change elsewhere (the sync, another page) only marks it stale
    bus().publish(_visit(services, hid, sec.id, date(2024, 6, 1)).changes, None)
    assert page.stale and page.refreshes == 0 and page.model.total() == 0
    page.show()
    assert not page.stale and page.refreshes == 1 and page.model.total() == 1

    # visible: refreshed at once
    bus().publish(_visit(services, hid, sec.id, date(2024, 6, 2)).changes, None)
    assert page.refreshes == 2 and page.model.total() == 2
    # unrelated entities: nothing
    bus().publish(Changes(inserted=frozenset({("purchase", "p1")})), None)
    assert page.refreshes == 2

    # its own change (deleting the selected visit): refreshed by the page itself, not again by the bus
    page.table.selectRow(0)
    page.delete_visit()
    qtbot.waitUntil(lambda: tasks.active_count() == 0)
    assert page.model.total() == 1 and page.refreshes == 2


def test_diary_page_waits_while_hidden_and_follows_changes_while_visible(qtbot, services, village, dialogs):
    from fupin_desktop.services.diary import DiaryInput
    from fupin_desktop.ui.views.diary.page import DiaryPage

    sec = village[1][0]
    page = DiaryPage(services)
    qtbot.addWidget(page)
    bus().publish(services.diary.create(DiaryInput(author_id=sec.id, entry_date=date(2024, 6, 3), content="走访王家")).changes,
                  None)
    assert page.stale and page.table.rowCount() == 0
    page.show()
    assert not page.stale and page.refreshes == 1 and page.table.rowCount() == 1
    bus().publish(services.diary.create(DiaryInput(author_id=sec.id, entry_date=date(2024, 6, 4), content="开会")).changes, None)
    assert page.refreshes == 2 and page.table.rowCount() == 2


def test_work_log_page_waits_while_hidden_and_follows_changes_while_visible(qtbot, services, village, dialogs):
    from fupin_desktop.services.worklog import WorkLogInput
    from fupin_desktop.ui.views.worklog.page import WorkLogPage

    page = WorkLogPage(services)
    qtbot.addWidget(page)
    made = services.worklog.create(WorkLogInput(kind="committee", topic="村两委例会", log_date=date(2024, 6, 3)))
    bus().publish(made.changes, None)
    assert page.stale and page.log_tab.table.rowCount() == 0
    page.show()
    assert not page.stale and page.refreshes == 1 and page.log_tab.table.rowCount() == 1
    made = services.worklog.create(WorkLogInput(kind="committee", topic="党员大会", log_date=date(2024, 6, 4)))
    bus().publish(made.changes, None)
    assert page.refreshes == 2 and page.log_tab.table.rowCount() == 2


def test_monitoring_page_waits_while_hidden_and_refreshes_its_current_tab_when_shown(qtbot, services, village,
                                                                                      dialogs):
    from decimal import Decimal

    from fupin_desktop.ui.views.monitoring.page import MonitoringPage

    page = MonitoringPage(services)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.lines_tab)
    before = page.lines_tab.table.rowCount()
    bus().publish(services.risk.set_line(2031, Decimal("7800"), "").changes, None)
    assert page.stale and page.lines_tab.table.rowCount() == before
    page.show()
    assert not page.stale and page.refreshes == 1 and page.lines_tab.table.rowCount() == before + 1
    bus().publish(services.risk.set_line(2032, Decimal("8000"), "").changes, None)
    assert page.refreshes == 2 and page.lines_tab.table.rowCount() == before + 2


def test_households_page_waits_while_hidden_and_shows_what_its_dialogs_saved(qtbot, services, village, dialogs):
    from PySide6.QtWidgets import QDialog

    from fupin_desktop.ui.views.households.page import HouseholdsPage

    page = HouseholdsPage(services)
    qtbot.addWidget(page)
    made = services.households.create(HouseholdInput(head_name="王大山"))
    bus().publish(made.changes, None)
    assert page.stale and page.model.row_of(made.value.id) < 0
    page.show()
    assert not page.stale and page.refreshes == 1 and page.model.row_of(made.value.id) >= 0
    # a household dialog opened from the list saves (it stays open): the list shows it, the change is not skipped
    dlg = QDialog(page)
    other = services.households.create(HouseholdInput(head_name="李小红"))
    bus().publish(other.changes, dlg)
    assert page.refreshes == 2 and page.model.row_of(other.value.id) >= 0
    qtbot.waitUntil(lambda: tasks.active_count() == 0)
