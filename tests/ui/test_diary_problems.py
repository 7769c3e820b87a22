"""Issue 18 §3.6: problems written in a diary entry reach 问题清单 — the box is ticked by default and shows without
scrolling in a 1366×768 window (minus the taskbar and title bar of a Windows laptop)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QScrollArea

from fupin_desktop.ui import tasks
from tests.ui.keyboard import type_into as _type

WINDOW = (1366, 768 - 40 - 30)  # screen minus taskbar and title bar




def test_diary_problem_box_is_ticked_and_in_view(qtbot, services, village):
    from fupin_desktop.ui.main_window import MainWindow

    _, (sec, _m) = village
    w = MainWindow(services)
    qtbot.addWidget(w)
    w.resize(*WINDOW)         # not shown: the offscreen screen is smaller than 1366 px; grab() lays it out
    page = w.set_page("diary")
    w.grab()
    ed = page.editor
    box = ed.to_problem_list
    assert box.isChecked()
    scroll = next(p for p in _parents(box) if isinstance(p, QScrollArea))
    top = box.mapTo(scroll.viewport(), QPoint(0, 0)).y()
    assert 0 <= top and top + box.height() <= scroll.viewport().height(), (top, scroll.viewport().height())

    # she writes a problem line and saves, without touching the box: it is on the problem list
    ed.author.set_code(sec.id)
    _type(qtbot, ed.content, "走访了三组")
    _type(qtbot, ed.problems_found, "三组路灯不亮")
    ed.save_button.click()
    qtbot.waitUntil(lambda: tasks.active_count() == 0)
    assert [p.description for p in services.problems.list()] == ["三组路灯不亮"]
    assert services.diary.find(sec.id, date(2024, 6, 28)) is not None


def _parents(w):
    p = w.parentWidget()
    while p is not None:
        yield p
        p = p.parentWidget()
