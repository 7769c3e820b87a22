"""A township database (two villages merged from their 同步包): the top bar's village chooser narrows every
page — 首页, 考勤, 防返贫监测, 项目, 捐赠, 消费帮扶 and the top-bar search — and each page then shows what that
village's own laptop shows; 全部村 shows both villages again."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from fupin_desktop.storage.models import Household
from fupin_desktop.ui import tasks
from fupin_desktop.ui.widgets.village_scope import village_scope

from tests.township_helpers import VILLAGES, make_township

SHOTS = Path("/tmp/shots")
ALL = "全部村"


def _wait(qtbot):
    qtbot.waitUntil(lambda: tasks.active_count() == 0, timeout=30000)


@pytest.fixture
def township(tmp_path, template_db):
    t = make_township(tmp_path, template_db)
    yield t
    t.close()
    village_scope().set_village(None)


@pytest.fixture
def window(qtbot, township):
    from fupin_desktop.app import build_main_window

    w = build_main_window(township.services)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    _wait(qtbot)
    qtbot.waitUntil(lambda: w.village_chooser.isVisible())
    return w


def choose(qtbot, w, name: str) -> None:
    """Pick a village (or 全部村) in the top bar's chooser, as she does."""
    chooser = w.village_chooser
    index = chooser.findText(name)
    assert index >= 0, name
    chooser.setCurrentIndex(index)
    _wait(qtbot)


def own(township, name: str):
    """The services of the village's own laptop (what the village sees there)."""
    return township.laptops[name].services


def test_home_cards_and_targets_follow_the_chooser(qtbot, window, township):
    page = window.set_page("home")
    qtbot.waitUntil(lambda: page.figures is not None and not page.loading)
    both = page.figures
    assert both.households == sum(n for _name, _code, n in VILLAGES)
    for name, _code, _n in VILLAGES:
        choose(qtbot, window, name)
        qtbot.waitUntil(lambda: page.figures is not None and not page.loading)
        # every figure of the home page: the cards, the year's targets, the chart, the team's targets
        assert page.figures == own(township, name).stats.home()
        assert name in page.heading.text()
        assert page.risk_card.prompts == own(township, name).risk.prompts()
    choose(qtbot, window, ALL)
    qtbot.waitUntil(lambda: page.figures is not None and not page.loading)
    assert page.figures == both and "村" not in page.heading.text()


def test_attendance_shows_the_chosen_villages_team(qtbot, window, township):
    page = window.set_page("worklog")
    tab = page.attendance_tab
    page.tabs.setCurrentWidget(tab)
    _wait(qtbot)
    names = {}
    for name, _code, _n in VILLAGES:
        choose(qtbot, window, name)
        shown = [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())]
        names[name] = [c.name for c in own(township, name).cadres.list() if c.in_team]
        assert shown == names[name] and shown
    choose(qtbot, window, ALL)
    assert tab.table.rowCount() == sum(len(n) for n in names.values())


def test_monitoring_tabs_follow_the_chooser(qtbot, window, township):
    from fupin_desktop.services.measures import MeasureQuery

    page = window.set_page("monitoring")
    _wait(qtbot)
    everyone = {r.household_id for r in page.rows}
    seen = set()
    for name, _code, _n in VILLAGES:
        mine = own(township, name)
        choose(qtbot, window, name)
        page.tabs.setCurrentWidget(page.households_tab)
        assert [r.household_id for r in page.rows] == [r.household_id for r in mine.monitoring.list()]
        seen |= {r.household_id for r in page.rows}
        year = township.services.ctx.today().year
        f = mine.monitoring.year_figures(year)
        assert f"{f.identified_households}" in page.figures.text()
        page.tabs.setCurrentWidget(page.risk_tab)
        _wait(qtbot)
        assert [p.household_id for p in page.risk_tab.prompts] == [p.household_id for p in mine.risk.prompts()]
        page.tabs.setCurrentWidget(page.ledger_tab)
        _wait(qtbot)
        assert page.ledger_tab.table.rowCount() == len(mine.measures.ledger(MeasureQuery()))
        page.tabs.setCurrentWidget(page.lines_tab)
        assert [x.id for x in page.lines_tab.lines] == [x.id for x in mine.risk.lines()]
    assert seen == everyone and everyone  # the villages' monitored households together are the township's
    choose(qtbot, window, ALL)
    page.tabs.setCurrentWidget(page.households_tab)
    assert {r.household_id for r in page.rows} == everyone


def test_projects_donations_and_purchases_follow_the_chooser(qtbot, window, township):
    from fupin_desktop.services.projects import ProjectQuery

    counts = {"projects": 0, "donations": 0, "purchases": 0, "stock": 0}
    for name, _code, _n in VILLAGES:
        mine = own(township, name)
        choose(qtbot, window, name)

        projects = window.set_page("projects")
        _wait(qtbot)
        assert [r.project.id for r in projects.model.rows] == [r.project.id
                                                               for r in mine.projects.list(ProjectQuery())]
        assert projects.count_label.text().startswith(f"共 {len(projects.model.rows)} 个项目 · 总投资")  # not 筛选后
        counts["projects"] += len(projects.model.rows)

        donations = window.set_page("donations")
        _wait(qtbot)
        assert [d.id for d in donations.rows] == [d.id for d in mine.donations.list(replace(donations.query(),
                                                                                            village_id=None))]
        assert donations.stock.rowCount() == len(mine.donations.stock(
            only_on_hand=donations.only_on_hand.currentData()))
        assert donations.cash.rowCount() == len(mine.donations.cash_balances())
        counts["donations"] += len(donations.rows)
        counts["stock"] += donations.stock.rowCount()

        purchases = window.set_page("purchases")
        _wait(qtbot)
        q = replace(purchases.query(), village_id=None)
        assert [p.id for p in purchases.rows] == [p.id for p in mine.purchases.list(q)]
        assert purchases.totals_label.text().startswith(f"共 {mine.purchases.totals(q).count} 笔")
        counts["purchases"] += len(purchases.rows)
        assert all(counts.values())

    choose(qtbot, window, ALL)  # the page on show (purchases) refreshes; the others when shown again
    assert len(window.set_page("purchases").rows) == counts["purchases"]
    assert len(window.set_page("donations").rows) == counts["donations"]
    assert window.set_page("donations").stock.rowCount() == counts["stock"]
    assert len(window.set_page("projects").model.rows) == counts["projects"]


def test_the_top_bar_search_looks_in_the_chosen_village(qtbot, window, township):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    def hits():
        return [(h.kind, h.record_id) for h in window.search_results.hits()]

    def expected(services):
        return [(h.kind, h.record_id) for g in services.search.search("王") for h in g.hits]

    choose(qtbot, window, "西山村")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.search_box
    window.search_box.insert("王")  # QTest cannot type Chinese
    qtbot.waitUntil(lambda: window.search_results.isVisible() and window.search_results.list.count() > 0)
    _wait(qtbot)
    assert hits() == expected(own(township, "西山村"))
    with township.town.db.read() as s:
        west = {h.id for h in s.query(Household).filter(Household.village_id == township.ids["西山村"])}
    found = {rid for kind, rid in hits() if kind == "household"}
    assert found and found <= west

    choose(qtbot, window, ALL)  # the results on show are searched again
    qtbot.waitUntil(lambda: hits() == expected(township.services))
    assert {rid for kind, rid in hits() if kind == "household"} - west  # the other village's households too


def test_the_chooser_fits_the_top_bar_at_1366(qtbot, window):
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    choose(qtbot, window, "西山村")
    page = window.set_page("home")
    _wait(qtbot)
    assert page.heading.text() == "本周 · 西山村"
    chooser, box = window.village_chooser, window.search_box
    assert chooser.geometry().right() <= chooser.parentWidget().width()
    assert not chooser.geometry().intersects(box.geometry())  # beside the search box, not over it
    assert box.width() >= 200
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "township_home_one_village.png"))
