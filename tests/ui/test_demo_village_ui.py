"""Issue 18 §3.14 as a trainee meets it: the demo village opened in the window is dated this year up to today, so
the home page shows this year's visits against the targets and only some households overdue (it showed 0/200 and
every household overdue when the demo was dated last year)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from fupin_desktop.app import build_main_window
from fupin_desktop.services.demo import generate_demo


def test_the_demo_village_on_the_home_page_is_this_years(qtbot, services):
    today = date.today()
    services.ctx.today = lambda: today
    generate_demo(services.db, 30, seed=3)  # the default year: this one, up to today
    w = build_main_window(services)
    qtbot.addWidget(w)
    w.setWindowState(Qt.WindowState.WindowNoState)
    w.resize(1366, 768)
    with qtbot.waitExposed(w):
        w.show()
    home = w.set_page("home")
    qtbot.waitUntil(lambda: home.figures is not None, timeout=20_000)
    figures = home.figures
    assert figures.year == today.year and figures.households == 30
    visits = next(f for f in figures.year_figures if f.key == "visits")
    if today.timetuple().tm_yday > 14:  # in the first days of January there may be none yet, rightly
        assert visits.actual > 0
    assert figures.overdue_visits < figures.households
    assert "从未走访" not in home.visits_card.lines.text()
