"""Catches a service write made by UI code on the GUI thread (DESIGN §4: the window must never freeze on a write).

Every write transaction (``unit_of_work``) calls the hook installed here first. A write counts as a violation when
it runs on the GUI thread *and* UI code (``fupin_desktop/ui/``) is on the call stack — test set-up that calls a
service directly is not one. The tests install :class:`GuiWriteRecorder` for every Qt test and fail the test that
caused one (tests/conftest.py); the program itself installs nothing.
"""
from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field

from fupin_desktop.services.base import add_write_hook, remove_write_hook

_UI_DIR = os.path.join("fupin_desktop", "ui") + os.sep
_HERE = os.path.abspath(__file__)


@dataclass(frozen=True)
class Violation:
    where: str        # "fupin_desktop/ui/views/visits/dialog.py:123 in _save" (innermost UI frame)
    stack: str        # the UI frames, outermost first


def _ui_frames() -> list[str]:
    frames = []
    f = sys._getframe(2)
    while f is not None:
        path = f.f_code.co_filename
        if _UI_DIR in path and os.path.abspath(path) != _HERE:
            rel = path[path.index(_UI_DIR.split(os.sep)[0]):].replace(os.sep, "/")
            frames.append(f"{rel}:{f.f_lineno} in {f.f_code.co_name}")
        f = f.f_back
    return frames


@dataclass(eq=False)  # hooks are found by identity
class GuiWriteRecorder:
    """Records every violation; ``install()``/``uninstall()`` add and remove the hook."""

    violations: list[Violation] = field(default_factory=list)

    def __call__(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # a worker of ui.tasks: that is the right place
        frames = _ui_frames()
        if frames:
            self.violations.append(Violation(frames[0], "\n  ".join(reversed(frames))))

    def install(self) -> "GuiWriteRecorder":
        add_write_hook(self)
        return self

    def uninstall(self) -> None:
        remove_write_hook(self)

    def report(self) -> str:
        return "\n".join(f"service write on the GUI thread at {v.where}\n  {v.stack}" for v in self.violations)
