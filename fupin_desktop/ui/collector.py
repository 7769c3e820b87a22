"""Cyclic garbage collection on the GUI thread only.

Python runs its collector in whichever thread allocates when the counts pass the thresholds — often a worker of
:mod:`ui.tasks`. A Qt object freed there (a widget whose Python wrapper sat in a reference cycle) is deleted from
the wrong thread, and the GUI thread crashes later, at random (seen once in CI: a segfault in the event loop while
a report query ran in a worker). So the automatic collector is switched off and a timer on the GUI thread
collects instead, generation by generation, with the thresholds Python itself uses. While a bulk job runs
(:func:`fupin_desktop.memory.paused_gc`) it waits.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

from fupin_desktop.memory import is_paused

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("GuiThreadCollector")
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect_due)
        gc.disable()
        self.timer.start()

    def collect_due(self) -> int:
        """Collect the generations whose counts are past their thresholds; returns the objects freed."""
        if is_paused():
            return 0
        t0, t1, t2 = self.thresholds
        c0, c1, c2 = gc.get_count()
        if c0 <= t0:
            return 0
        generation = 2 if c1 > t1 and c2 > t2 else 1 if c1 > t1 else 0
        return gc.collect(generation)


def install(app: QObject) -> GuiThreadCollector:
    """The application's collector (one per application)."""
    found = app.findChild(GuiThreadCollector, "GuiThreadCollector")
    return found if found is not None else GuiThreadCollector(app)
