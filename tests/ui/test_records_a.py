"""Enter 民情日记, 工作日志 and 考勤 through the UI, incl. the duplicate-day path; change a setting; screenshots."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fupin_desktop.domain import codes
from fupin_desktop.services.diary import DiaryInput
from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.ui import tasks

SHOTS = Path("/tmp/shots")


@pytest.fixture(autouse=True)
def _clean_local_codes():
    yield
    for cl in codes.CODE_LISTS.values():
        cl.clear_local()


def _type(widget, text):
    """Typing Chinese: QTest.keyClicks cannot send CJK characters offscreen, so insert them as an IME would."""
    if hasattr(widget, "insertPlainText"):
        widget.insertPlainText(text)
    else:
        widget.insert(text)


def _wait(qtbot):
    qtbot.waitUntil(lambda: tasks.active_count() == 0, timeout=10_000)


def _shot(widget, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.resize(1366, 768)
    assert widget.grab().save(str(SHOTS / name))


def test_diary_entry_and_duplicate_day_opens_the_existing_one(qtbot, services, village, dialogs):
    from fupin_desktop.ui.views.diary.page import DiaryPage

    _, (sec, _m) = village
    h = services.households.create(HouseholdInput(head_name="王秀英", household_type="alleviated")).value
    page = DiaryPage(services)
    qtbot.addWidget(page)
    page.show()
    ed = page.editor
    assert page.empty.isVisible() or page.list_stack.currentWidget() is page.empty
    ed.author.set_code(sec.id)
    ed.entry_date.setValue(date(2024, 6, 3))
    assert ed.weekday.text() == "星期一"
    _type(ed.content, "到王秀英家了解香菇大棚收成")
    _type(ed.households.search, "王秀英")
    qtbot.keyClick(ed.households.search, Qt.Key.Key_Return)
    assert ed.households.ids() == (h.id,)
    _type(ed.problems_found, "屋顶漏雨")
    ed.to_problem_list.setChecked(True)
    ed.save_button.click()
    _wait(qtbot)
    saved = services.diary.find(sec.id, date(2024, 6, 3))
    assert saved is not None and saved.household_ids == (h.id,)
    assert services.problems.count() == 1 and page.table.rowCount() == 1
    assert "1" in page.count_label.text()

    # a second entry for the same day: the editor opens the existing one, keeping what was typed
    page.new_button.click()
    assert ed.entry is None
    ed.entry_date.setValue(date(2024, 6, 2))
    _type(ed.content, "补充：合作社要扩大规模")
    ed.entry_date.setValue(date(2024, 6, 3))
    assert ed.entry is not None and ed.entry.id == saved.id
    assert ed.notice.isVisible() and "已有" in ed.notice.text()
    assert "香菇大棚" in ed.content.toPlainText() and "扩大规模" in ed.content.toPlainText()
    ed.save()
    _wait(qtbot)
    assert services.diary.count() == 1
    assert "扩大规模" in services.diary.get(saved.id).content

    # "new entry" on a day that has one opens it straight away
    services.diary.create(DiaryInput(author_id=sec.id, entry_date=date(2024, 6, 28), content="今天的日记"))
    page.new_button.click()
    assert ed.entry is not None and ed.entry.entry_date == date(2024, 6, 28)

    # the search box (2 characters go to LIKE)
    page.reload()
    _type(page.search, "秀英")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.table.rowCount() == 1
    page.search.clear()
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.table.rowCount() == 2
    _shot(page, "diary_page.png")

    # missing content: the message sits under the field
    page.new_button.click()
    ed.entry_date.setValue(date(2024, 6, 10))
    ed.content.clear()
    ed.save()
    _wait(qtbot)
    assert ed.content_error.isVisibleTo(ed) and "日记内容" in ed.content_error.text()


def test_worklog_and_attendance(qtbot, services, village, dialogs, tmp_path):
    from fupin_desktop.ui.views.worklog.page import WorkLogPage

    _, (sec, member) = village
    page = WorkLogPage(services)
    qtbot.addWidget(page)
    page.show()
    ed = page.log_tab.editor
    page.new_button.click()
    ed.kind.set_code("party_lesson")
    ed.attendees_count.setValue(23)
    photo = tmp_path / "dangke.jpg"
    photo.write_bytes(b"\xff\xd8 jpeg")
    ed.add_photo_files([str(photo)])
    ed.save()  # no topic: error under the field, nothing written
    _wait(qtbot)
    assert ed.topic_error.isVisibleTo(ed) and services.worklog.count() == 0
    _type(ed.topic, "七一专题党课")
    qtbot.keyClick(ed.topic, Qt.Key.Key_Return)
    _wait(qtbot)
    (rec,) = services.worklog.list()
    assert rec.kind == "party_lesson" and rec.attendees_count == 23
    assert len(services.worklog.photos(rec.id)) == 1
    assert page.log_tab.table.rowCount() == 1 and "党课 1" in page.log_tab.by_kind.text()
    _shot(page, "worklog_page.png")

    # attendance: fill June for the secretary, then mark two days as leave by selecting cells
    att = page.attendance_tab
    page.tabs.setCurrentWidget(att)
    assert att.current_month() == (2024, 6)
    att.table.setCurrentCell(0, 1)
    att.fill_month()
    _wait(qtbot)
    assert services.attendance.month(sec.id, 2024, 6).count.village_days == 28
    att.table.clearSelection()
    for day in (3, 4):
        att.table.item(0, day).setSelected(True)
    att.status_buttons["leave"].click()
    _wait(qtbot)
    grid = services.attendance.month(sec.id, 2024, 6)
    assert grid.days[date(2024, 6, 3)] == "leave" and grid.count.village_days == 26
    assert att.table.item(0, 3).text() == "假" and att.table.item(0, 28).text() == "在"
    assert att.table.item(0, 29).flags() == Qt.ItemFlag.NoItemFlags  # 29 June is after "today"
    days_col = 30 + 1
    assert att.table.item(0, days_col).text() == "26"
    assert "26" in att.year_summary.text()
    # May: nothing marked → the finished month is shown short of the rule
    att._step(-1)
    assert att.current_month() == (2024, 5)
    assert "20" in att.table.item(0, 33).text()
    att.set_month(2024, 6)
    _shot(page, "attendance_page.png")


def test_settings_change_rule_profile_cadre_and_code_list(qtbot, services, village, dialogs):
    from fupin_desktop.ui.views.settings.page import SettingsPage

    page = SettingsPage(services)
    qtbot.addWidget(page)
    page.show()
    rules = page.rules_tab
    rules.spins["attendance.min_days_per_month"].setValue(22)
    rules.save_button.click()
    _wait(qtbot)
    assert services.settings.get("attendance.min_days_per_month") == 22

    prof = page.profile_tab
    prof.fields["households"].setText("502")
    prof.fields["farmland_mu"].setText("3210.5")
    prof.committee.setPlainText("王建国 村党支部书记")
    prof.save_button.click()
    _wait(qtbot)
    p = services.village.profile(2024)
    assert p.households == 502 and str(p.farmland_mu) == "3210.50"
    prof.fields["population"].setText("很多")
    prof.save_button.click()
    assert "数字" in prof.errors._fields["population"][1].text()

    team = page.team_tab
    team.new_cadre()
    assert team.unit.text() == "唐山市交通运输局"  # defaults to the village's 派出单位
    _type(team.name, "赵帮扶")
    team.role.set_code("helper")
    team.unit.setText("古冶区农业农村局")
    team.save_button.click()
    _wait(qtbot)
    assert {c.name: c.unit for c in services.cadres.list()}["赵帮扶"] == "古冶区农业农村局"
    team.table.selectRow([r for r in range(team.table.rowCount())
                          if team.table.item(r, 0).text() == "赵帮扶"][0])
    team.remove_button.click()
    _wait(qtbot)
    assert "赵帮扶" not in {c.name for c in services.cadres.list()}

    codes_tab = page.codes_tab
    codes_tab.list_name.setCurrentIndex(codes_tab.list_name.findData("worklog_kind"))
    _type(codes_tab.label, "主题党日")
    qtbot.keyClick(codes_tab.label, Qt.Key.Key_Return)
    _wait(qtbot)
    assert codes.get("worklog_kind").code_for_label("主题党日") is not None
    assert any("主题党日" in codes_tab.items.item(i).text() for i in range(codes_tab.items.count()))
    _type(codes_tab.label, "党课")
    codes_tab.add()
    _wait(qtbot)
    assert codes_tab.label_error.isVisibleTo(codes_tab) and "已有" in codes_tab.label_error.text()
    page.tabs.setCurrentIndex(2)
    _shot(page, "settings_rules.png")


def _press_ctrl_s(editor):
    """The offscreen platform has no active window, so a typed Ctrl+S reaches no QShortcut: fire the editor's own
    Ctrl+S shortcut (its key and context are checked) as Qt would when she presses it inside the editor."""
    from PySide6.QtGui import QKeySequence, QShortcut

    (shortcut,) = [sc for sc in editor.findChildren(QShortcut) if sc.key() == QKeySequence("Ctrl+S")]
    assert shortcut.context() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    shortcut.activated.emit()


def test_ctrl_s_saves_the_diary_and_work_log_editors(qtbot, services, village, dialogs):
    """Both inline editors share one 删除 … 保存 row with Ctrl+S (ui.widgets.page_parts.editor_buttons)."""
    from fupin_desktop.ui.views.diary.page import DiaryPage
    from fupin_desktop.ui.views.worklog.page import WorkLogPage

    wl = WorkLogPage(services)
    qtbot.addWidget(wl)
    wl.show()
    ed = wl.log_tab.editor
    wl.new_button.click()
    ed.kind.set_code("party_lesson")
    _type(ed.topic, "党史学习")
    _press_ctrl_s(ed)
    _wait(qtbot)
    assert [r.topic for r in services.worklog.list()] == ["党史学习"]
    assert (ed.save_button.text(), ed.delete_button.text()) == ("保存", "删除")

    diary = DiaryPage(services)
    qtbot.addWidget(diary)
    diary.show()
    editor = diary.editor
    editor.new_entry(date(2024, 6, 11))
    _type(editor.content, "走访了三户")
    _press_ctrl_s(editor)
    _wait(qtbot)
    assert any("走访了三户" in e.content for e in services.diary.list())
