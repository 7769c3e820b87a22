"""台账报表 in a township database: with one village chosen in the top bar the ledgers are that village's — equal,
row for row and in their heading, to the ledgers made on that village's own laptop; with 全部村 their heading says
全部村, and the documents about one village as a whole ask for a village first."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fupin_desktop.services.reporting import ReportFilter
from fupin_desktop.ui import tasks
from fupin_desktop.ui.widgets.village_scope import village_scope

from tests.township_helpers import VILLAGES, make_township

SHOTS = Path("/tmp/shots")
# ledgers whose rows come from every kind of village link: households, cadres, the village column, donations
LEDGERS = ("visits", "problems", "diary", "worklog", "attendance", "projects", "donations", "distributions",
           "purchases", "roster")


def _wait(qtbot):
    qtbot.waitUntil(lambda: tasks.active_count() == 0, timeout=60000)


@pytest.fixture
def township(tmp_path, template_db):
    t = make_township(tmp_path, template_db)
    yield t
    t.close()
    village_scope().set_village(None)


@pytest.fixture
def reports(qtbot, township):
    from fupin_desktop.app import build_main_window

    w = build_main_window(township.services)
    qtbot.addWidget(w)
    w.show()
    w.resize(1366, 768)
    qtbot.waitUntil(lambda: w.width() == 1366)
    _wait(qtbot)
    page = w.set_page("reports")
    page.period_kind.setCurrentIndex(page.period_kind.findData("year"))
    return w, page


def _shot(qtbot, w, name: str) -> None:
    """A picture of the window at the smallest screen she works on (looked at: tests leave it in /tmp/shots)."""
    w.resize(1366, 768)
    qtbot.waitUntil(lambda: w.width() == 1366)
    SHOTS.mkdir(exist_ok=True)
    w.grab().save(str(SHOTS / name))


def choose(qtbot, w, name: str) -> None:
    w.village_chooser.setCurrentIndex(w.village_chooser.findText(name))
    _wait(qtbot)


def test_one_villages_ledgers_equal_its_own_laptops(qtbot, reports, township):
    w, page = reports
    for name, _code, _n in VILLAGES:
        choose(qtbot, w, name)
        own = township.laptops[name].services
        flt = page.report_filter()
        assert flt.village_id == township.ids[name]
        assert not page.village_note.isVisible()  # the top bar says which village (the list keeps its room)
        for kind in LEDGERS:
            here = township.services.reporting.ledger(kind, flt)
            there = own.reporting.ledger(kind, ReportFilter(flt.period))
            assert here.rows, kind  # the demo village has some: the comparison says something
            assert here == there, kind  # rows, sources and heading (填报单位: the village's own work team)
        assert [page.cadre.itemText(i) for i in range(1, page.cadre.count())] == [c.name for c in own.cadres.list()]
        assert [page.group.itemText(i) for i in range(1, page.group.count())] == own.reporting.group_names()


def test_the_page_generates_the_chosen_villages_ledger(qtbot, reports, township):
    w, page = reports
    choose(qtbot, w, "西山村")
    page.select_document("visits")
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    _wait(qtbot)
    assert page.current_pdf is not None and page.status.text().startswith("已生成")
    _shot(qtbot, w, "township_reports_one_village.png")

    choose(qtbot, w, "东兴村")  # the document on show was the other village's
    assert not page.print_button.isEnabled() and "重新生成" in page.status.text()


def test_all_villages_ledgers_say_so(qtbot, reports, township):
    w, page = reports
    choose(qtbot, w, "西山村")
    choose(qtbot, w, "全部村")
    flt = page.report_filter()
    assert flt.village_id is None
    assert "全部村" in page.village_note.text() and page.village_note.isVisible()
    ledger = township.services.reporting.ledger("visits", flt)
    assert ledger.head.village == "全部村" and "全部村" in ledger.head.period and "全部村" in ledger.head.unit
    per_village = sum(len(lap.services.reporting.ledger("visits", ReportFilter(flt.period)).rows)
                      for lap in township.laptops.values())
    assert len(ledger.rows) == per_village

    page.select_document("village_facts")  # 村基本情况表: about one village
    assert not page.generate_button.isEnabled()
    assert "村基本情况表" in page.village_note.text() and "顶栏" in page.village_note.text()
    _shot(qtbot, w, "township_reports_all_villages.png")
    choose(qtbot, w, "西山村")
    assert page.generate_button.isEnabled()


def test_one_village_database_shows_no_note(qtbot, services, village):
    from fupin_desktop.ui.views.reports.page import ReportsPage

    page = ReportsPage(services)
    qtbot.addWidget(page)
    page.show()
    assert not page.village_note.isVisible()
    page.select_document("village_facts")
    assert page.generate_button.isEnabled()
    assert services.reporting.head(page.report_filter()).village == "东兴村"
