"""Garbage with Qt objects in it is only ever collected on the GUI thread (ui.collector)."""
from __future__ import annotations

import gc
import threading

from fupin_desktop.memory import paused_gc
from fupin_desktop.ui.collector import GuiThreadCollector


class Cycle:
    """A reference cycle that notes the thread it is finally freed on."""

    freed_on: list[str] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_on.append(threading.current_thread().name)


def fresh_start() -> None:
    gc.collect()
    Cycle.freed_on.clear()


def test_the_automatic_collector_is_off_and_the_gui_thread_collects(qtbot, qapp):
    assert not gc.isenabled()
    assert qapp.findChild(GuiThreadCollector, "GuiThreadCollector") is not None
    fresh_start()
    Cycle()
    kept: list = []
    # 300,000 new containers alive at once: far past every threshold of the automatic collector
    worker = threading.Thread(target=lambda: kept.append([[i] for i in range(300_000)]), name="worker")
    worker.start()
    worker.join()
    assert Cycle.freed_on == []  # the worker's allocations did not collect…
    qtbot.waitUntil(lambda: Cycle.freed_on != [], timeout=5000)  # … the timer on the GUI thread does
    assert Cycle.freed_on == [threading.main_thread().name]


def test_no_collection_while_a_bulk_job_runs(qapp):
    collector = qapp.findChild(GuiThreadCollector, "GuiThreadCollector")
    fresh_start()
    with paused_gc():
        Cycle()
        alive = [[i] for i in range(5000)]  # gen 0 due
        assert collector.collect_due() == 0 and Cycle.freed_on == []
        del alive
    assert not gc.isenabled()  # the pause did not switch the automatic collector back on
    collector.collect_due()
    gc.collect()
    assert Cycle.freed_on == [threading.main_thread().name]
