"""paused_gc switches the cyclic collector off for a bulk job and back on after the last overlapping one."""
from __future__ import annotations

import gc

import pytest

from fupin_desktop.memory import is_paused, paused_gc


@pytest.fixture(autouse=True)
def collector_on():
    """These tests start with the automatic collector on (a Qt application switches it off: ui.collector)."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_collector_is_off_inside_and_back_on_after_nested_jobs_and_errors():
    assert gc.isenabled() and not is_paused()
    with paused_gc():
        assert not gc.isenabled() and is_paused()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer job still runs
    assert gc.isenabled() and not is_paused()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_works_as_a_decorator():
    @paused_gc()
    def job():
        return gc.isenabled()

    assert job() is False and gc.isenabled()
