"""PySide6 6.12.0 drops a reference to ``True`` on every signal emit from Python; after a few thousand emits the
process dies with "Fatal Python error: bool_dealloc" (Python 3.11, where True is not immortal). pyproject pins
6.11.x; this fails if a version with the bug comes back."""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from fupin_desktop.ui import tasks
from fupin_desktop.ui.widgets.idcard import IdNumberEdit


class _Emitter(QObject):
    plain = Signal()
    flag = Signal(bool)


def test_signal_emits_leave_the_refcount_of_true_alone(qapp):
    e = _Emitter()
    e.plain.connect(lambda: None)
    e.flag.connect(lambda v: None)
    before = sys.getrefcount(True)
    for _ in range(200):
        e.plain.emit()
        e.flag.emit(True)
    assert sys.getrefcount(True) - before > -20


def test_background_tasks_and_id_edit_leave_true_alone(qtbot):
    before = sys.getrefcount(True)
    for _ in range(50):
        t = tasks.run_in_background(lambda: True, on_success=lambda r: None)
        with qtbot.waitSignal(t.finished):
            pass
    edit = IdNumberEdit()
    qtbot.addWidget(edit)
    for _ in range(30):
        edit.setText("11010519491231002X")
        edit.setText("1101051949123100")
    assert sys.getrefcount(True) - before > -20
