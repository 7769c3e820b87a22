"""The guard that catches a service write on the GUI thread (ui.write_guard): it must see one made by UI code, and
not count test set-up or a worker of the write pool."""
from __future__ import annotations

import os

from fupin_desktop.services.village import CadreInput, VillageInput
from fupin_desktop.ui import tasks
from fupin_desktop.ui.write_guard import GuiWriteRecorder


def _set_up(services):
    return services.village.set_up(VillageInput(name="东兴村", division_code="130204203213"),
                                   [CadreInput(name="张书记", role="secretary")])


def _as_ui_code(fn):
    """``fn`` called from a function whose code lives (by its file name) in fupin_desktop/ui/views/."""
    fake = os.path.join(os.path.dirname(tasks.__file__), "views", "some_dialog.py")
    ns = {"fn": fn}
    exec(compile("def save(*a):\n    return fn(*a)\n", fake, "exec"), ns)
    return ns["save"]


def test_a_write_from_ui_code_on_the_gui_thread_is_caught(services):
    # (no qtbot: the guard of every Qt test in conftest would fail this test for the write it makes on purpose)
    rec = GuiWriteRecorder().install()
    try:
        _as_ui_code(_set_up)(services)
    finally:
        rec.uninstall()
    assert [v.where for v in rec.violations] == ["fupin_desktop/ui/views/some_dialog.py:2 in save"]


def test_test_set_up_and_worker_writes_are_not_violations(qtbot, services):
    rec = GuiWriteRecorder().install()
    try:
        _set_up(services)                                   # test code on the GUI thread, no UI frame
        task = tasks.run_in_background(_as_ui_code(services.cadres.create), CadreInput(name="李队员", role="member"),
                                       writes=True)
        qtbot.waitUntil(lambda: task.done)
    finally:
        rec.uninstall()
    assert task.error is None
    assert rec.violations == []
