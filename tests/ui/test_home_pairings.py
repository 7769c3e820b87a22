"""Home page: a 结对帮扶 pairing whose cadre visited less than the yearly rule is named on the visits card."""
from __future__ import annotations

from fupin_desktop.ui import tasks
from tests.services.test_figures import pairings_with_visits


def test_home_page_names_a_pairing_below_the_visit_rule(qtbot, services, village):
    from fupin_desktop.ui.main_window import MainWindow

    pairings_with_visits(services, village)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    home = window.set_page("home")
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and home.figures is not None)
    text = home.visits_card.lines.text()
    assert "结对走访未达标：1对" in text and "李队员→钱乙：走访1/2次" in text
    assert "赵甲" not in text
