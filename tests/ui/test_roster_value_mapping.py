"""Issue 19 step 4 through the import dialog: a roster whose 户类型 column mixes 脱贫户, 一般农户 and 边缘易致贫户
imports with the monitoring category set; an unknown value is offered in a table, mapped once in its combo, and the
next roster with the same word imports without asking."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from fupin_desktop.services.households import HouseholdQuery
from fupin_desktop.ui import tasks
from fupin_desktop.ui.views.exchange.dialogs import RosterImportWizard

SHOTS = Path(os.environ.get("FUPIN_SHOTS", "/tmp/shots"))
HEADERS = ["序号", "姓名", "与户主关系", "户编号", "证件号码", "户类型", "文化程度", "健康状况"]


def _rows(kit, kinds, start=0):
    rows = []
    for h, kind in enumerate(kinds):
        for k, rel in enumerate(("户主", "之子")):
            rows.append([len(rows) + 1, f"钱{start + h}{'甲乙'[k]}", rel, f"Q{start + h:04d}",
                         kit.person_id(2 * (start + h) + k), kind, "初中文化", "良好"])
    return rows


def _wait(qtbot):
    qtbot.waitUntil(lambda: tasks.active_count() == 0, timeout=30000)


def _choose(qtbot, combo, text):
    """Pick ``text`` as a keyboard user does: focus the combo (a click) and press Down until it shows."""
    target = combo.findText(text)
    assert target > 0
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentIndex() == target:
            break
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def _check(qtbot, wiz):
    qtbot.mouseClick(wiz.next, Qt.MouseButton.LeftButton)  # file → column mapping
    assert wiz.pages.currentIndex() == 1
    qtbot.mouseClick(wiz.next, Qt.MouseButton.LeftButton)  # mapping → check
    _wait(qtbot)
    assert wiz.pages.currentIndex() == 2


def test_mixed_household_types_and_a_value_mapped_once_in_the_dialog(qtbot, services, village, tmp_path, kit,
                                                                   dialogs):
    path = kit.write_roster(tmp_path / "a.xlsx", _rows(kit, ["脱贫户", "一般农户", "边缘易致贫户", "建档监测户"]),
                            headers=HEADERS)
    wiz = RosterImportWizard(services, path=str(path))
    qtbot.addWidget(wiz)
    wiz.resize(1366, 768)  # a laptop screen, the dialog maximised
    wiz.show()
    _check(qtbot, wiz)
    # the unknown value is offered: column, value, rows, a combo of codes; nothing can be imported yet
    assert wiz.values.isVisible() and wiz.values.table.rowCount() == 1
    assert [wiz.values.table.item(0, c).text() for c in range(3)] == ["户类型", "建档监测户", "2"]
    assert not wiz.next.isEnabled() and not wiz.values.apply_button.isEnabled()
    assert wiz.problems.rowCount() == 2 and wiz.problems.item(0, 2).text() == "户类型"
    combo = wiz.values.combo("household_type", "建档监测户")
    _choose(qtbot, combo, "监测对象：脱贫不稳定户")
    SHOTS.mkdir(parents=True, exist_ok=True)
    wiz.grab().save(str(SHOTS / "roster_value_mapping.png"))
    qtbot.mouseClick(wiz.values.apply_button, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    assert wiz.plan.ok and not wiz.values.isVisible() and wiz.problems.rowCount() == 0
    assert wiz.next.isEnabled()
    qtbot.mouseClick(wiz.next, Qt.MouseButton.LeftButton)  # 导入
    _wait(qtbot)
    got = {r.number: (r.household_type, r.monitoring_category)
           for r in services.households.page(HouseholdQuery(), 0, 100)}
    assert got == {"Q0000": ("alleviated", None), "Q0001": ("ordinary", None), "Q0002": ("ordinary", "marginal"),
                   "Q0003": ("alleviated", "unstable")}
    # the next roster with the same word: no question, straight to 导入
    second = kit.write_roster(tmp_path / "b.xlsx", _rows(kit, ["建档监测户", "一般农户"], start=10), headers=HEADERS)
    wiz2 = RosterImportWizard(services, path=str(second))
    qtbot.addWidget(wiz2)
    wiz2.show()
    _check(qtbot, wiz2)
    assert not wiz2.values.isVisible() and wiz2.plan.ok and wiz2.next.isEnabled()
    qtbot.mouseClick(wiz2.next, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    assert services.households.count() == 6
    assert {r.number: r.monitoring_category for r in services.households.page(HouseholdQuery(), 0, 100)}[
        "Q0010"] == "unstable"
