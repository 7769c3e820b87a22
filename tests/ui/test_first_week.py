"""What a first secretary hit in her first week (issue 18 §3), page by page — each test does what she did."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fupin_desktop.app import build_main_window
from fupin_desktop.services.diary import DiaryInput
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.village import CadreInput
from fupin_desktop.services.worklog import WorkLogInput
from fupin_desktop.ui import tasks


def _window(qtbot, services):
    w = build_main_window(services)
    qtbot.addWidget(w)
    w.setWindowState(Qt.WindowState.WindowNoState)
    w.resize(1366, 768)
    with qtbot.waitExposed(w):
        w.show()
    return w


def _click_household(qtbot, page, household_id):
    row = page.model.row_of(household_id)
    assert row >= 0
    page.table.selectRow(row)
    qtbot.waitUntil(lambda: page.summary._id == household_id)


# -- item 5: blank 医疗保险 is unknown, not a risk -----------------------------------------------------------------
def test_blank_insurance_is_no_risk_and_shows_as_not_filled_in(qtbot, services, village):
    blank = services.households.create(HouseholdInput(head_name="新户甲"),
                                       [MemberInput("新户甲", "head"), MemberInput("新户乙", "spouse")]).value.id
    uninsured = services.households.create(HouseholdInput(head_name="未保户"), [
        MemberInput("未保户", "head", resident_medical=False, employee_medical=False),
        MemberInput("未保妻", "spouse", resident_medical=False),
        MemberInput("未保子", "son", resident_medical=False)]).value.id
    w = _window(qtbot, services)
    home = w.set_page("home")
    tasks.wait_for_tasks()
    qtbot.waitUntil(lambda: bool(home.risk_card.prompts) or "没有" in home.risk_card.lines.text())
    ids = [p.household_id for p in home.risk_card.prompts]
    assert blank not in ids and uninsured in ids
    (prompt,) = [p for p in home.risk_card.prompts if p.household_id == uninsured]
    assert [r.text for r in prompt.reasons] == ["未保户、未保妻、未保子未参加基本医疗保险"]
    text = home.risk_card.lines.text()
    assert text.count("未参加基本医疗保险") == 1  # one sentence, not one per member nor title + sentence

    page = w.set_page("households")
    _click_household(qtbot, page, blank)
    assert "医疗保险未填：新户甲、新户乙" in page.summary.body.text()
    _click_household(qtbot, page, uninsured)
    assert "未填" not in page.summary.body.text()


# -- item 12: empty states tell the truth --------------------------------------------------------------------------
def test_home_with_no_households_promises_nothing(qtbot, services, village):
    w = _window(qtbot, services)
    home = w.set_page("home")
    visits, projects = home.visits_card.lines.text(), home.projects_card.lines.text()
    assert "所有农户都已按期走访" not in visits and "农户" in visits and "花名册" in visits
    assert "所有项目都按计划推进" not in projects and "还没有" in projects
    tasks.wait_for_tasks()
    qtbot.waitUntil(lambda: "检查" not in home.risk_card.lines.text())
    assert "暂无风险迹象" not in home.risk_card.lines.text()


def test_diary_and_worklog_point_at_last_years_entries(qtbot, services, village):
    _v, cadres = village
    services.diary.create(DiaryInput(author_id=cadres[0].id, entry_date=date(2023, 11, 5), content="去年的日记"))
    services.worklog.create(WorkLogInput(kind="committee", log_date=date(2023, 12, 1), topic="去年的村两委会"))
    w = _window(qtbot, services)
    diary = w.set_page("diary")
    assert diary.list_stack.currentWidget() is diary.empty
    assert diary.empty.label.text() == "2024年还没有日记；其他年份有 1 篇。"  # not 还没有记录
    qtbot.mouseClick(diary.empty.button, Qt.MouseButton.LeftButton)  # 显示所有年份
    assert diary.list_stack.currentWidget() is diary.table and diary.table.rowCount() == 1

    tab = w.set_page("worklog").log_tab
    assert tab.list_stack.currentWidget() is tab.empty
    assert tab.empty.label.text() == "2024年还没有记录；其他年份有 1 条。"
    qtbot.mouseClick(tab.empty.button, Qt.MouseButton.LeftButton)
    assert tab.list_stack.currentWidget() is tab.table and tab.table.rowCount() == 1


# -- item 13: attendance from the cadre's start date, finished months only ------------------------------------------
def test_attendance_judges_only_months_served_and_finished(qtbot, services, village):
    services.ctx.today = lambda: date(2024, 7, 3)  # her first week: she arrived on 24 June
    cadre = services.cadres.create(CadreInput(name="王书记", role="secretary", start_date=date(2024, 6, 24))).value
    for day in range(24, 31):
        services.attendance.set_day(cadre.id, date(2024, 6, day), "in_village")
    services.attendance.set_day(cadre.id, date(2024, 7, 1), "in_village")
    year = services.attendance.year(cadre.id, 2024)
    assert year.months_short == 0  # January–May were before she came; June's share (20×7/30 = 4) is met
    assert year.months[5].required == 4 and year.months[5].meets
    w = _window(qtbot, services)
    home = w.set_page("home")
    figure = next(a for a in home.figures.attendance if a.name == "王书记")
    assert not figure.short  # 1 day by the 3rd is not a failure yet
    assert "未达标" not in home.attendance_card.lines.text().split("王书记")[1].split("\n")[0]
    tab = w.set_page("worklog").attendance_tab
    w.page_widget("worklog").tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.prev_button, Qt.MouseButton.LeftButton)  # back to June: her first, part month
    qtbot.mouseClick(tab.prev_button, Qt.MouseButton.LeftButton)  # May: before she came
    results = {tab.table.verticalHeaderItem(r).text() if tab.table.verticalHeaderItem(r) else
               tab.table.item(r, 0).text(): tab.table.item(r, tab.table.columnCount() - 1).text()
               for r in range(tab.table.rowCount())}
    assert results["王书记"] == "— 本月不在工作队"  # not "✗ 差 20 天" as for those without a start date


# -- item 15: households visited last year are not "never visited" --------------------------------------------------
def test_demo_village_households_seen_last_year_are_not_never_visited(qtbot, services):
    from fupin_desktop.services.demo import generate_demo

    generate_demo(services.db, 40, seed=1, year=2024)
    services.ctx.today = lambda: date(2025, 2, 1)
    rows = services.visits.coverage(limit=1000)
    assert rows and all(r.last_visit_on is not None for r in rows)
    w = _window(qtbot, services)
    home = w.set_page("home")
    assert "从未走访" not in home.visits_card.lines.text() and "天前" in home.visits_card.lines.text()


# -- item 3: the ledger page starts on the period that contains today; the status line speaks Chinese ---------------
def test_ledger_page_starts_on_todays_half_year_and_names_the_file_in_chinese(qtbot, services, village):
    from fupin_desktop.services.visits import VisitInput

    services.ctx.today = lambda: date(2024, 12, 3)
    hid = services.households.create(HouseholdInput(head_name="王五"), [MemberInput("王五", "head")]).value.id
    services.visits.log_visit(VisitInput(household_id=hid, visit_date=date(2024, 12, 3),
                                         cadre_ids=(village[1][0].id,), findings="今天走访"))
    w = _window(qtbot, services)
    page = w.set_page("reports")
    assert page.part.currentText() == "下半年" and page.period().label == "2024年下半年"
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None, timeout=30000)
    status = page.status.text()
    assert "走访台账_2024年下半年" in status and ".pdf" not in status
    assert not any("a" <= ch <= "z" for ch in status.lower()), status
    page.period_kind.setCurrentIndex(page.period_kind.findData("month"))
    assert page.part.currentText() == "12"


# -- item 9: village details can be changed after the wizard; the empty 农户 page points at what exists -------------
def test_village_details_are_edited_in_the_settings(qtbot, services, village):
    w = _window(qtbot, services)
    page = w.set_page("settings")
    tab = page.village_tab
    page.tabs.setCurrentIndex(0)
    assert page.tabs.tabText(0) == "本村信息" and tab.edits["name"].text() == "东兴村"
    tab.edits["name"].clear()
    tab.edits["name"].insert("东兴新村")
    tab.edits["dispatch_unit"].clear()
    tab.edits["dispatch_unit"].insert("唐山市农业农村局")
    tab.edits["division_code"].clear()
    qtbot.keyClicks(tab.edits["division_code"], "1302042032")  # two digits short
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    tasks.wait_for_tasks()
    assert services.village.get().name == "东兴村"  # nothing written
    assert tab.edits["division_code"].property("invalid") is True  # the message sits under the field
    qtbot.keyClicks(tab.edits["division_code"], "14")
    qtbot.keyClick(tab.edits["division_code"], Qt.Key.Key_Return)
    tasks.wait_for_tasks()
    v = services.village.get()
    assert (v.name, v.division_code, v.dispatch_unit, v.township) == ("东兴新村", "130204203214", "唐山市农业农村局",
                                                                      "大庄坨乡")
    qtbot.waitUntil(lambda: w.village_label.text() == "东兴新村")  # the sidebar follows

    empty = w.set_page("households").empty.label.text()
    assert "演示数据" not in empty and "数据交换 → 导入农户花名册" in empty


# -- item 16: the smaller things ----------------------------------------------------------------------------------
def test_enter_after_tick_all_confirms_the_household_choice(qtbot, services, village):
    from PySide6.QtWidgets import QDialog

    from fupin_desktop.ui.widgets.household_chooser import HouseholdPicker

    for name in ("张三", "李四"):
        services.households.create(HouseholdInput(head_name=name), [MemberInput(name, "head")])
    picker = HouseholdPicker(services)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.mouseClick(picker.all_button, Qt.MouseButton.LeftButton)  # 全选显示的农户
    picker.all_button.setFocus()  # where the click leaves the keyboard on a real screen
    qtbot.keyClick(picker.all_button, Qt.Key.Key_Return)
    assert picker.result() == QDialog.DialogCode.Accepted and not picker.isVisible()


def test_team_phone_of_seven_digits_is_refused_under_the_field(qtbot, services, village):
    w = _window(qtbot, services)
    page = w.set_page("settings")
    team = page.team_tab
    page.tabs.setCurrentWidget(team)
    qtbot.mouseClick(team.new_button, Qt.MouseButton.LeftButton)
    team.name.insert("赵队员")
    team.phone.edit.setFocus()
    qtbot.keyClicks(team.phone.edit, "3456789")
    qtbot.mouseClick(team.save_button, Qt.MouseButton.LeftButton)
    tasks.wait_for_tasks()
    assert "区号" in team.phone.error_label.text()
    assert "赵队员" not in [c.name for c in services.cadres.list()]


def test_password_rule_is_stated_before_a_failure_and_about_speaks_plainly(qtbot, services, village, monkeypatch):
    from fupin_desktop.ui.views.security.user_menu import AboutDialog, ChangePasswordDialog
    from fupin_desktop.ui.views.security.users import UserFormDialog

    add = UserFormDialog(services)
    qtbot.addWidget(add)
    assert add.password.placeholderText() == "至少6位"
    change = ChangePasswordDialog(services)
    qtbot.addWidget(change)
    assert change.new.placeholderText() == "至少6位"
    monkeypatch.setattr(services.db, "key", b"k" * 32)
    about = AboutDialog(services)
    qtbot.addWidget(about)
    text = " ".join(label.text() for label in about.findChildren(QLabel))
    assert "SQLCipher" not in text and "加密保存" in text


def test_recovery_key_window_copies_and_prints(qtbot, tmp_path):
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtPrintSupport import QPrinter

    from fupin_desktop.ui.views.security.login import RecoveryCodeDialog

    dlg = RecoveryCodeDialog("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ")
    qtbot.addWidget(dlg)
    qtbot.mouseClick(dlg.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ"
    assert dlg.print_button.text() == "打印…"
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "key.pdf"))
    dlg.print_to(printer)
    import subprocess

    text = subprocess.run(["pdftotext", str(tmp_path / "key.pdf"), "-"], capture_output=True, text=True).stdout
    assert "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ" in text and "恢复密钥" in text


# -- item 10: nothing important scrolls sideways at 1366×768; the rest behind the column chooser ---------------------
def _no_sideways_scroll(table) -> bool:
    bar = table.horizontalScrollBar()
    return bar.maximum() == 0 or not bar.isVisible()


def test_pages_fit_1366_and_the_column_chooser_brings_columns_back(qtbot, services, village):
    from decimal import Decimal

    from fupin_desktop.services.households import IncomeInput
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog

    hid = services.households.create(HouseholdInput(head_name="王五", phone="13812341234"),
                                     [MemberInput("王五", "head")]).value.id
    services.households.set_income(hid, IncomeInput(year=2023, wages=Decimal("31234.56"),
                                                    business=Decimal("12000"), transfer=Decimal("3456.78")))
    w = _window(qtbot, services)
    page = w.set_page("households")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    table = page.table
    model = page.model
    last_visit = next(i for i in range(model.columnCount()) if model.headerData(i, Qt.Orientation.Horizontal) == "最近走访")
    problems = next(i for i in range(model.columnCount())
                    if model.headerData(i, Qt.Orientation.Horizontal) == "未办结问题")
    for col in (last_visit, problems):
        assert table.columnViewportPosition(col) + table.columnWidth(col) <= table.viewport().width() + 1
    assert _no_sideways_scroll(table)
    id_col = next(i for i in range(model.columnCount()) if model.headerData(i, Qt.Orientation.Horizontal) == "身份证号")
    assert table.isColumnHidden(id_col)
    menu = page.columns.menu()  # what a right-click on the header opens
    action = next(a for a in menu.actions() if a.text() == "身份证号")
    action.trigger()
    assert not table.isColumnHidden(id_col)
    again = w.set_page("households")  # remembered: a new page shows it too
    from fupin_desktop.ui.views.households.page import HouseholdsPage

    fresh = HouseholdsPage(services)
    qtbot.addWidget(fresh)
    assert not fresh.table.isColumnHidden(id_col) and again is page

    for key, attr in (("projects", "table"), ("monitoring", "table")):
        p = w.set_page(key)
        qtbot.wait(10)
        assert _no_sideways_scroll(getattr(p, attr) if hasattr(p, attr) else p.monitored_tab.table), key
    projects = w.set_page("projects")
    assert projects.detail.height() >= 250  # more than two or three lines of the selected project

    dlg = HouseholdDialog(services, hid, w)
    qtbot.addWidget(dlg)
    dlg.resize(min(dlg.width(), 1366), min(dlg.height(), 768))
    dlg.show()
    dlg.tabs.setCurrentIndex([dlg.tabs.tabText(i) for i in range(dlg.tabs.count())].index("收入"))
    qtbot.waitUntil(lambda: dlg.income_table.isVisible())
    assert _no_sideways_scroll(dlg.income_table)
