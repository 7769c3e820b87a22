"""Issue 18 §2, the crash: a background task's Qt objects must die on the GUI thread.

A worker of ui.tasks emits its result and returns; the thread pool then deletes the runnable in the worker thread.
If the GUI thread has meanwhile handled the result and let go of the Task, the runnable's references were the last
ones: the task's signal QObject (a GUI-thread object) was freed in the worker, racing the GUI event loop — the
segfault seen once inside qtbot.waitExposed while a risk-prompt read ran. The first test forces that order (the
worker is held after emitting until the GUI has released the task) and checks where the objects die; the second
opens and closes the main window and its pages many times with reads in flight."""
from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fupin_desktop.ui import tasks


def test_task_objects_are_freed_on_the_gui_thread_even_when_the_worker_lets_go_last(qtbot, monkeypatch):
    released = threading.Event()
    died_in: list[str] = []
    original_run = tasks._Runnable.run

    def slow_to_let_go(self):  # the worker is descheduled after emitting: the GUI releases the task first
        original_run(self)
        released.wait(5)

    monkeypatch.setattr(tasks._Runnable, "run", slow_to_let_go)
    original_release = tasks.Task._release

    def release(self, ok):
        original_release(self, ok)
        self._signals.destroyed.connect(lambda *_: died_in.append(threading.current_thread().name),
                                        Qt.ConnectionType.DirectConnection)
        released.set()

    monkeypatch.setattr(tasks.Task, "_release", release)

    for i in range(5):
        released.clear()
        tasks.run_in_background(lambda x: x * 2, i, on_success=lambda _r: None)  # nobody keeps the Task
        qtbot.waitUntil(lambda: tasks.active_count() == 0 and released.is_set())
        for pool in (tasks._read_pool, tasks._write_pool):
            if pool is not None:
                pool.waitForDone(5000)
        QApplication.processEvents()
    tasks.wait_for_tasks()
    assert died_in and set(died_in) == {threading.main_thread().name}, died_in


def test_open_and_close_the_main_window_with_reads_in_flight(qtbot, services, village):
    from fupin_desktop.services.households import HouseholdInput
    from fupin_desktop.ui.main_window import MainWindow

    for name in ("王大山", "刘长河", "赵小禾"):
        services.households.create(HouseholdInput(head_name=name))
    for round_ in range(6):
        w = MainWindow(services)
        w.resize(1366, 768)
        w.show()
        qtbot.waitExposed(w)
        for key in ("home", "households", "visits", "problems", "monitoring", "diary"):
            w.set_page(key)
            for _ in range(3):  # reads in flight while pages change and the window closes
                tasks.run_in_background(services.risk.prompts, parent=w.page_widget(key))
            QApplication.processEvents()
        w.close()
        w.deleteLater()
        QApplication.processEvents()
    assert tasks.wait_for_tasks(20_000)
