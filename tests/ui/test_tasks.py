"""run_in_background: results on the GUI thread, progress, cancel, errors, write serialisation, bus events."""
from __future__ import annotations

import threading

from fupin_desktop.domain.errors import FupinError, ValidationError
from fupin_desktop.services.base import Changes, Outcome
from fupin_desktop.ui import tasks
from fupin_desktop.ui.events import bus


def test_result_is_delivered_on_the_gui_thread(qtbot):
    seen = {}

    def work(a, b=0):
        seen["worker"] = threading.current_thread()
        return a + b

    def done(result):
        seen["result"] = result
        seen["callback"] = threading.current_thread()

    task = tasks.run_in_background(work, 2, b=3, on_success=done)
    with qtbot.waitSignal(task.finished):
        pass
    assert seen["result"] == 5
    assert seen["callback"] is threading.main_thread()
    assert seen["worker"] is not threading.main_thread()
    assert tasks.active_count() == 0


def test_progress_and_cancel_token_are_passed_when_asked_for(qtbot):
    progressed = []
    cancelled = []
    started = threading.Event()
    release = threading.Event()

    def long_work(*, progress, cancel):
        progress(1, 10, "第一步")
        started.set()
        release.wait(5)
        cancel.raise_if_cancelled()
        return "not reached"

    task = tasks.run_in_background(long_work, progress_title="导出", cancellable=True,
                                   on_success=progressed.append, on_cancelled=lambda: cancelled.append(True))
    assert started.wait(5)
    task.cancel()
    release.set()
    with qtbot.waitSignal(task.finished) as blocker:
        pass
    assert blocker.args == [False]
    assert cancelled == [True]
    assert task._last_progress == (1, 10, "第一步")
    assert progressed == []


def test_progress_dialog_appears_after_half_a_second(qtbot):
    release = threading.Event()
    task = tasks.run_in_background(lambda: release.wait(5), progress_title="正在备份")
    qtbot.waitUntil(lambda: task._dialog is not None and task._dialog.isVisible(), timeout=3000)
    assert task._dialog.labelText() == "正在备份"
    release.set()
    with qtbot.waitSignal(task.finished):
        pass
    assert task._dialog is None


def test_fupin_error_is_shown_with_its_message(qtbot, dialogs):
    def fail():
        raise ValidationError("name", "请填写村名")

    task = tasks.run_in_background(fail)
    with qtbot.waitSignal(task.finished):
        pass
    assert dialogs.calls == [("error", "请填写村名")]


def test_unexpected_error_is_shown_generically_and_logged(qtbot, dialogs, caplog):
    def fail():
        raise KeyError("internal detail")

    task = tasks.run_in_background(fail, on_failure=lambda exc: tasks.report_error(None, exc))
    with qtbot.waitSignal(task.finished):
        pass
    assert dialogs.kinds() == ["error"]
    assert "internal detail" not in dialogs.texts()[0]
    assert "出了点问题" in dialogs.texts()[0]
    assert "internal detail" in caplog.text


def test_on_failure_replaces_the_default_dialog(qtbot, dialogs):
    got = []
    task = tasks.run_in_background(lambda: (_ for _ in ()).throw(FupinError("不行")), on_failure=got.append)
    with qtbot.waitSignal(task.finished):
        pass
    assert [str(e) for e in got] == ["不行"] and dialogs.calls == []


def test_writes_run_one_at_a_time_and_publish_changes(qtbot):
    running = []
    overlap = []
    events = []

    def record(changes, initiator):
        events.append(changes)

    bus().data_changed.connect(record)

    def write(i):
        running.append(i)
        if len(running) > 1:
            overlap.append(i)
        threading.Event().wait(0.02)
        running.remove(i)
        return Outcome(i, Changes(inserted=frozenset({("household", str(i))})))

    try:
        for i in range(4):
            tasks.run_in_background(write, i, writes=True)
        assert tasks.wait_for_tasks(5000)
    finally:
        bus().data_changed.disconnect(record)
    assert overlap == []
    assert len(events) == 4


def test_callbacks_are_dropped_when_the_parent_widget_is_gone(qtbot):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    got = []
    release = threading.Event()
    task = tasks.run_in_background(lambda: release.wait(5), on_success=got.append, parent=parent)
    parent.deleteLater()
    qtbot.wait(20)
    release.set()
    with qtbot.waitSignal(task.finished):
        pass
    assert got == []
