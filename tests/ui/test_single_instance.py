"""One instance per data folder: a second start is refused and wakes the first; a crashed owner's lock is taken."""
from __future__ import annotations

import os
import signal

import pytest

from fupin_desktop.ui.single_instance import SingleInstance


def test_second_instance_is_refused_and_activates_the_first(qtbot, tmp_path):
    first = SingleInstance(tmp_path)
    assert first.acquire()
    second = SingleInstance(tmp_path)
    assert not second.acquire()
    assert second.owner_pid() == os.getpid()
    with qtbot.waitSignal(first.activation_requested, timeout=3000):
        assert second.notify_running()
    first.release()
    third = SingleInstance(tmp_path)
    assert third.acquire()  # released properly: the next start gets it
    third.release()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_stale_lock_of_a_crashed_process_is_taken_over(qapp, tmp_path):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            from PySide6.QtCore import QLockFile

            lock = QLockFile(str(tmp_path / "fupin.lock"))
            lock.tryLock(0)
            os.write(w, b"locked")
            signal.pause()
        finally:
            os._exit(0)
    os.close(w)
    assert os.read(r, 16) == b"locked"
    os.kill(pid, signal.SIGKILL)  # the owner crashes, its lock file stays behind
    os.waitpid(pid, 0)
    assert (tmp_path / "fupin.lock").exists()
    inst = SingleInstance(tmp_path)
    assert inst.acquire()
    inst.release()
