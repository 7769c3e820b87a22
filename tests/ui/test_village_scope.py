"""A township database (the 同步包 of two villages merged): the top bar's village chooser narrows the 农户 page to
one village or shows all; a team's database with one village shows no chooser."""
from __future__ import annotations

from pathlib import Path

import pytest

from fupin_desktop.storage.models import Household
from fupin_desktop.ui import tasks
from fupin_desktop.ui.widgets.village_scope import VillageChooser, village_scope

from tests.sync_helpers import Laptop

SHOTS = Path("/tmp/shots")
VILLAGES = [("东兴村", "130204203213", 5), ("西山村", "130204203214", 3)]


def _wait(qtbot):
    qtbot.waitUntil(lambda: tasks.active_count() == 0, timeout=30000)


@pytest.fixture
def township(tmp_path, template_db):
    packs = []
    for i, (name, code, n) in enumerate(VILLAGES):
        laptop = Laptop(tmp_path / name, template_db)
        laptop.demo(n, seed=20 + i, village=name, division=code)
        packs.append(laptop.pack())
        laptop.close()
    town = Laptop(tmp_path / "乡镇", template_db, "乡镇干部")
    town.merge(*packs)
    yield town
    town.close()
    village_scope().set_village(None)


def test_the_village_chooser_narrows_the_registry(qtbot, township):
    from fupin_desktop.app import build_main_window
    from fupin_desktop.ui.views.households.page import HouseholdsPage

    w = build_main_window(township.services)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    chooser = w.findChild(VillageChooser)
    _wait(qtbot)
    assert chooser.isVisible()
    assert [chooser.itemText(i) for i in range(chooser.count())] == ["全部村", "东兴村", "西山村"]

    page = HouseholdsPage(township.services)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    _wait(qtbot)
    assert page.model.total() == township.count(Household) == 8

    chooser.setCurrentIndex(chooser.findText("西山村"))
    _wait(qtbot)
    assert page.model.total() == 3
    assert "共 3 户" in page.count_label.text()
    assert {page.model.item(r).number[:12] for r in range(3)} == {"130204203214"}
    # a filter on top of the village: the “all” count is that village's
    page.type_combo.setCurrentIndex(1)
    _wait(qtbot)
    assert page.count_label.text().startswith("共 3 户")
    page.clear_filters()

    SHOTS.mkdir(exist_ok=True)
    w.resize(1366, 768)
    qtbot.waitUntil(lambda: w.width() == 1366)
    w.grab().save(str(SHOTS / "sync_village_chooser.png"))
    chooser.setCurrentIndex(chooser.findText("全部村"))
    _wait(qtbot)
    assert page.model.total() == 8


def test_one_village_shows_no_chooser(qtbot, services, village):
    chooser = VillageChooser(services)
    qtbot.addWidget(chooser)
    _wait(qtbot)
    assert chooser.count() == 2 and not chooser.isVisibleTo(chooser.parentWidget() or chooser)
    assert village_scope().village_id is None


def test_the_village_chooser_narrows_visits_and_problems(qtbot, township):
    from sqlalchemy import func, select

    from fupin_desktop.storage.models import Problem, Village, Visit
    from fupin_desktop.ui.views.problems.page import ProblemsPage
    from fupin_desktop.ui.views.visits.page import VisitsPage

    with township.db.read() as s:
        west = s.execute(select(Village.id).where(Village.name == "西山村")).scalar_one()
        visits = dict(s.execute(select(Household.village_id, func.count()).select_from(Visit)
                                .join(Household, Visit.household_id == Household.id)
                                .where(Visit.deleted_at.is_(None)).group_by(Household.village_id)).all())
        problems = dict(s.execute(select(Problem.village_id, func.count()).where(Problem.deleted_at.is_(None))
                                  .group_by(Problem.village_id)).all())
    assert len(visits) == 2 and len(problems) == 2  # both villages have some: narrowing is visible

    chooser = VillageChooser(township.services)
    qtbot.addWidget(chooser)
    visit_page, problem_page = VisitsPage(township.services), ProblemsPage(township.services)
    for page in (visit_page, problem_page):
        qtbot.addWidget(page)
        page.show()
    _wait(qtbot)
    visit_page.period.setCurrentIndex(visit_page.period.findData(None))  # 全部时间
    problem_page.status.setCurrentIndex(problem_page.status.findData(None))  # 全部问题
    _wait(qtbot)
    assert visit_page.model.total() == sum(visits.values())
    assert problem_page.model.total() == sum(problems.values())

    chooser.setCurrentIndex(chooser.findData(west))
    _wait(qtbot)
    assert visit_page.model.total() == visits[west]
    assert problem_page.model.total() == problems[west]


def test_the_village_chooser_narrows_the_diary_and_the_work_log(qtbot, township):
    from sqlalchemy import func, select

    from fupin_desktop.storage.models import DiaryEntry, Village, WorkLog
    from fupin_desktop.ui.views.diary.page import DiaryPage
    from fupin_desktop.ui.views.worklog.page import WorkLogPage

    with township.db.read() as s:
        west = s.execute(select(Village.id).where(Village.name == "西山村")).scalar_one()
        counts = {m: dict(s.execute(select(m.village_id, func.count()).where(m.deleted_at.is_(None))
                                    .group_by(m.village_id)).all()) for m in (DiaryEntry, WorkLog)}
    assert all(len(c) == 2 for c in counts.values())  # both villages have some: narrowing is visible

    chooser = VillageChooser(township.services)
    qtbot.addWidget(chooser)
    diary, worklog = DiaryPage(township.services), WorkLogPage(township.services)
    for page in (diary, worklog):
        qtbot.addWidget(page)
        page.show()
    _wait(qtbot)
    log = worklog.log_tab
    for f in (diary.year_filter, log.year_filter):
        f.setCurrentIndex(f.findData(None))  # 全部年份
    _wait(qtbot)
    limit = 500  # the lists show the newest 500
    assert diary.table.rowCount() == min(limit, sum(counts[DiaryEntry].values()))
    assert log.table.rowCount() == min(limit, sum(counts[WorkLog].values()))
    assert counts[DiaryEntry][west] < limit and counts[WorkLog][west] < limit

    chooser.setCurrentIndex(chooser.findData(west))
    _wait(qtbot)
    assert diary.table.rowCount() == counts[DiaryEntry][west]
    assert log.table.rowCount() == counts[WorkLog][west]
