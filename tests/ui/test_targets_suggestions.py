"""Targets per cadre and 意见建议 as she uses them (issue 17 item 8): set a cadre's targets from the home page and
see the progress there (it fits a 1366×768 screen); record a suggestion from the diary page and from the work log
page. Screenshots go to /work/notes/s17b-shots/ (or /tmp/shots/s17b) for a person to look at."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from fupin_desktop.services.diary import DiaryInput
from fupin_desktop.ui import tasks
from tests.ui.keyboard import type_into

SHOTS = Path(os.environ.get("S17B_SHOTS", "/tmp/shots/s17b"))


@pytest.fixture
def window(qtbot, services, village):
    from fupin_desktop.ui.main_window import MainWindow

    _v, (sec, member) = village
    for day in (date(2024, 6, 3), date(2024, 6, 4), date(2024, 6, 5)):
        services.attendance.set_day(sec.id, day, "in_village")
        services.diary.create(DiaryInput(author_id=sec.id, entry_date=day, content="走访了解情况"))
    services.attendance.set_day(member.id, date(2024, 6, 3), "in_village")
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def _open_modal(qtbot, button, cls):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), cls), timeout=5000)
    return QApplication.activeModalWidget()


def test_set_a_cadres_targets_and_see_the_progress_on_the_home_page(qtbot, window, services, village, save_form):
    from fupin_desktop.ui.views.home.targets import TargetsDialog

    _v, (sec, _m) = village
    home = window.set_page("home")
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and home.figures is not None)
    panel = home.cadre_targets
    assert panel.table.rowCount() == 3  # two cadres and the team
    assert "还没有设定个人目标" in panel.hint.text()

    dialog = _open_modal(qtbot, panel.set_button, TargetsDialog)
    dialog.cadre.set_code(sec.id)
    for metric, value in (("village_days", "200"), ("diary_days", "100"), ("suggestions", "4")):
        box = dialog.values[metric]
        box.selectAll()
        type_into(qtbot, box, value)
    assert save_form(dialog)
    assert services.targets.targets(sec.id, 2024) == {"village_days": 200, "diary_days": 100, "suggestions": 4}

    qtbot.waitUntil(lambda: tasks.active_count() == 0 and home.figures is not None
                    and home.figures.targets.has_targets)
    cells = {panel.table.item(r, 0).text(): [panel.table.item(r, c).text() for c in range(1, 6)]
             for r in range(panel.table.rowCount())}
    assert cells["张书记"] == ["3/200", "0", "3/100", "0", "0/4"]
    assert cells["李队员"][0] == "1"
    total = [k for k in cells if k not in ("张书记", "李队员")][0]
    assert total == "工作队合计" and cells[total][0] == "4/200" and cells[total][2] == "3/100"

    # the whole table is on her 1366×768 screen without scrolling (laid out hidden: the offscreen test screen is
    # 800 px wide and would shrink a shown window)
    window.hide()
    window.resize(1366, 768)
    shot = window.grab()
    assert (shot.width(), shot.height()) == (1366, 768)
    bottom = panel.table.mapTo(window, QPoint(0, panel.table.height())).y()
    assert bottom <= window.height() - 30, (bottom, window.height())  # above the status bar
    assert panel.table.horizontalHeader().sectionSize(1) >= panel.table.fontMetrics().horizontalAdvance("驻村天数")
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert shot.save(str(SHOTS / "home_targets_1366x768.png"))
    again = TargetsDialog(services, window, 2024, sec.id)
    qtbot.addWidget(again)
    assert again.values["village_days"].value() == 200  # the form opens on what is set
    assert again.grab().save(str(SHOTS / "targets_dialog.png"))


@pytest.mark.parametrize("page_key", ["diary", "worklog"])
def test_record_a_suggestion_from_the_diary_and_the_work_log(qtbot, window, services, village, save_form,
                                                            page_key):
    from fupin_desktop.ui.views.suggestions.dialog import SuggestionDialog, SuggestionsDialog

    _v, (sec, _m) = village
    page = window.set_page(page_key)
    qtbot.waitUntil(lambda: tasks.active_count() == 0)
    listing = _open_modal(qtbot, page.suggestions_button, SuggestionsDialog)
    assert listing.table.rowCount() == 0 and listing.empty.isVisibleTo(listing)
    form = _open_modal(qtbot, listing.new_button, SuggestionDialog)
    form.cadre.set_code(sec.id)
    type_into(qtbot, form.addressee, "乡党委")
    type_into(qtbot, form.content, "建议在各村民小组设立就业信息公示栏")
    qtbot.mouseClick(form.adopted, Qt.MouseButton.LeftButton, pos=QPoint(8, form.adopted.height() // 2))
    assert form.adopted.isChecked()
    type_into(qtbot, form.adopted_note, "乡里已在各村推广")
    if page_key == "diary":
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert form.grab().save(str(SHOTS / "suggestion_dialog.png"))
    assert save_form(form)
    rows = services.suggestions.list()
    assert [(r.cadre_name, r.addressee, r.adopted, r.adopted_note) for r in rows] == [
        ("张书记", "乡党委", True, "乡里已在各村推广")]
    qtbot.waitUntil(lambda: listing.table.rowCount() == 1)
    assert listing.table.item(0, 2).text() == "乡党委"
    if page_key == "diary":
        assert listing.grab().save(str(SHOTS / "suggestions_list.png"))
    listing.reject()


def test_an_empty_suggestion_is_refused_under_its_field(qtbot, services, village, save_form):
    from fupin_desktop.ui.views.suggestions.dialog import SuggestionDialog

    form = SuggestionDialog(services)
    qtbot.addWidget(form)
    form.show()
    type_into(qtbot, form.addressee, "村两委")
    assert not save_form(form)
    assert services.suggestions.list() == []
    label = form.errors._fields["content"][1]
    assert label.has_error and "建议内容" in label.text()


def test_the_home_page_of_a_demo_village_shows_every_cadres_progress_on_screen(qtbot, services, db):
    """A demo village (its team has targets for the year): the whole table fits above the status bar."""
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.ui.main_window import MainWindow

    generate_demo(db, 20, seed=2, year=2024)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    home = window.set_page("home")
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and home.figures is not None)
    window.hide()
    window.resize(1366, 768)
    shot = window.grab()
    panel = home.cadre_targets
    assert panel.table.rowCount() == len(home.figures.targets.cadres) + 1 >= 4
    assert all("/" in panel.table.item(r, c).text() for r in range(panel.table.rowCount()) for c in range(1, 6))
    bottom = panel.table.mapTo(window, QPoint(0, panel.table.height())).y()
    assert bottom <= window.height() - 30, (bottom, window.height())
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert shot.save(str(SHOTS / "home_demo_village_1366x768.png"))
