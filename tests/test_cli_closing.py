"""CLI verbs close / reopen (结账): a closed half-year refuses edits of its records, reopen needs a reason."""
from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from fupin_desktop import cli


@pytest.fixture(autouse=True)
def no_gui(monkeypatch):
    monkeypatch.setitem(sys.modules, "fupin_desktop.app",
                        types.SimpleNamespace(main=lambda args: pytest.fail(f"the GUI was started with {args!r}")))


def _closures(folder: Path) -> list[tuple]:
    """(kind, year, number, closed_by, reopened?, reason) of every closure, read as the folder's administrator
    (tests/conftest.py: the CLI's first administrator is tester / tester-123)."""
    from fupin_desktop.services import Services
    from fupin_desktop.services.auth import AccessManager

    store = AccessManager(folder).login("tester", "tester-123")
    try:
        return [(c.kind, c.year, c.number, c.closed_by, not c.is_closed, c.reopen_reason)
                for c in Services(store.db, actor=store.actor).closing.closed_periods(include_reopened=True)]
    finally:
        store.db.dispose()


def test_close_then_reopen_with_a_reason(tmp_path, capsys):
    folder = tmp_path / "data"
    run = lambda *a: cli.main(["--data-dir", str(folder), *a])  # noqa: E731
    assert run("demo", "--households", "12", "--year", "2024") == 0
    capsys.readouterr()

    assert run("close", "--year", "2024", "--half", "1") == 0
    out = capsys.readouterr().out
    assert "已结账：2024年上半年（2024-01-01至2024-06-30）" in out
    assert _closures(folder) == [("half", 2024, 1, "tester", False, None)]

    assert run("close", "--year", "2024", "--half", "1") == 2
    assert "2024年上半年已于" in capsys.readouterr().err
    assert run("close", "--year", "2024", "--half", "1", "--month", "3") == 2  # one period at a time
    capsys.readouterr()

    assert run("reopen", "--year", "2024", "--half", "1") == 2  # the reason is required
    assert "--reason" in capsys.readouterr().err
    assert run("reopen", "--year", "2024", "--half", "1", "--reason", "补录漏记的走访") == 0
    assert "已反结账：2024年上半年，原因：补录漏记的走访" in capsys.readouterr().out
    assert _closures(folder) == [("half", 2024, 1, "tester", True, "补录漏记的走访")]
    assert run("reopen", "--year", "2024", "--quarter", "2", "--reason", "x") == 2
    assert "2024年第二季度没有结账" in capsys.readouterr().err


def test_report_of_a_closed_half_year_says_when_it_differs_from_the_closing(tmp_path, capsys):
    folder = tmp_path / "data"
    run = lambda *a: cli.main(["--data-dir", str(folder), *a])  # noqa: E731
    assert run("demo", "--households", "6", "--year", "2024") == 0
    assert run("close", "--year", "2024", "--half", "1") == 0
    capsys.readouterr()
    assert run("report", "roster", "--year", "2024", "--half", "1", "--out", str(tmp_path / "a.pdf")) == 0
    assert "与结账时不同" not in capsys.readouterr().out

    from fupin_desktop.services import Services
    from fupin_desktop.services.auth import AccessManager
    from fupin_desktop.services.households import HouseholdInput, HouseholdQuery

    store = AccessManager(folder).login("tester", "tester-123")
    try:
        services = Services(store.db, actor=store.actor)
        h = services.households.page(HouseholdQuery(), 0, 1)[0]
        services.households.update(h.id, HouseholdInput(head_name=h.head_name + "改", household_type=h.household_type))
    finally:
        store.db.dispose()
    assert run("report", "roster", "--year", "2024", "--half", "1", "--out", str(tmp_path / "b.pdf")) == 0
    assert "2024年上半年已于" in capsys.readouterr().out
