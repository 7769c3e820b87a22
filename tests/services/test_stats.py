"""Home-page figures: overdue visits, problems due, projects behind, days in the village, year vs targets."""
from __future__ import annotations

from datetime import date, timedelta

from fupin_desktop.domain.idcard import make_id
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.problems import ProblemInput
from fupin_desktop.services.visits import VisitInput
from fupin_desktop.storage.db import Actor
from fupin_desktop.storage.models import Attendance, DiaryEntry, Project, User

TODAY = date(2024, 6, 28)


def household(services, name: str, htype: str = "ordinary", monitoring: str | None = None, seq: int = 11) -> str:
    head = MemberInput(name=name, relation="head", id_number=make_id("130204", date(1970, 1, 1), seq))
    return services.households.create(HouseholdInput(head_name=name, household_type=htype,
                                                     monitoring_category=monitoring), [head]).value.id


def visit(services, hid: str, cadre_id: str, on: date, problems=()) -> None:
    services.visits.log_visit(VisitInput(household_id=hid, visit_date=on, cadre_ids=(cadre_id,),
                                         purposes=("policy",), problems=tuple(problems)))


def test_household_count_ignores_deleted(services, village):
    assert services.stats.household_count() == 0
    a = household(services, "张三", seq=11)
    household(services, "李四", seq=13)
    assert services.stats.household_count() == 2
    services.households.delete(a)
    assert services.stats.household_count() == 1


def test_overdue_visits_match_coverage(services, village):
    _, team = village
    me = team[0].id
    monitored = household(services, "张三", "ordinary", "marginal", seq=11)
    alleviated = household(services, "李四", "alleviated", seq=13)
    ordinary = household(services, "王五", seq=15)
    household(services, "赵六", seq=17)  # never visited: overdue
    visit(services, monitored, me, TODAY - timedelta(days=40))  # > 30 days: overdue
    visit(services, alleviated, me, TODAY - timedelta(days=40))  # < 90 days: fine
    visit(services, ordinary, me, TODAY - timedelta(days=10))
    n = services.stats.overdue_visit_count()
    rows = services.visits.coverage()
    assert n == len(rows) == 2
    assert {r.head_name for r in rows} == {"张三", "赵六"}
    home = services.stats.home()
    assert home.overdue_visits == 2 and len(home.overdue_visit_rows) == 2


def test_problems_due_and_overdue(services, village):
    _, team = village
    hid = household(services, "张三")
    p = services.problems
    late = p.raise_problem(ProblemInput("路灯坏了", hid, team[0].id, raised_on=date(2024, 6, 1),
                                        due_date=date(2024, 6, 20))).value
    p.raise_problem(ProblemInput("水管漏水", hid, team[0].id, raised_on=date(2024, 6, 25), due_date=TODAY))
    p.raise_problem(ProblemInput("医保报销", hid, team[0].id, raised_on=date(2024, 6, 25),
                                 due_date=TODAY + timedelta(days=7)))
    p.raise_problem(ProblemInput("危房改造", hid, team[0].id, raised_on=date(2024, 6, 25),
                                 due_date=TODAY + timedelta(days=8)))  # later than a week: not listed
    assert services.stats.problems_due() == (1, 2)
    home = services.stats.home()
    assert [r.description for r in home.problem_rows] == ["路灯坏了", "水管漏水", "医保报销"]
    p.move(late.id, "resolved", resolution="已修好")
    assert services.stats.problems_due() == (0, 2)


def test_projects_behind_schedule(services, village, db):
    with db.unit_of_work(Actor()) as s:
        s.add_all([
            Project(name="村道硬化", planned_end=date(2024, 5, 31), status="in_progress", progress_percent=60),
            Project(name="光伏电站", planned_end=date(2024, 5, 31), status="accepted"),  # finished
            Project(name="文化广场", planned_end=date(2024, 5, 1), status="cancelled"),
            Project(name="蔬菜大棚", planned_end=date(2024, 9, 30), status="in_progress"),  # not due yet
            Project(name="饮水工程", planned_end=date(2024, 3, 1), status="tendering"),
        ])
    n, rows = services.stats.projects_behind()
    assert n == 2
    assert [r.name for r in rows] == ["饮水工程", "村道硬化"]


def test_days_in_village_this_month(services, village, db):
    _, team = village
    secretary, member = team
    with db.unit_of_work(Actor()) as s:
        for d in range(1, 23):  # 22 days in June for the secretary, one day in May does not count
            s.add(Attendance(cadre_id=secretary.id, day=date(2024, 6, d), status="in_village"))
        s.add(Attendance(cadre_id=secretary.id, day=date(2024, 5, 31), status="in_village"))
        for d in range(1, 6):
            s.add(Attendance(cadre_id=member.id, day=date(2024, 6, d), status="in_village"))
        s.add(Attendance(cadre_id=member.id, day=date(2024, 6, 6), status="leave"))
    services.settings.set("attendance.min_days_per_month", 18)
    figures = {f.name: f for f in services.stats.attendance_this_month()}
    assert figures["张书记"].days == 22 and not figures["张书记"].short
    assert figures["李队员"].days == 5 and figures["李队员"].short and figures["李队员"].required == 18
    assert services.stats.home().month_days_left == 2


def test_year_figures_against_targets(services, village, db):
    _, team = village
    me = team[0].id
    a = household(services, "张三", seq=11)
    b = household(services, "李四", seq=13)
    visit(services, a, me, date(2024, 1, 15))
    visit(services, a, me, date(2024, 3, 3), problems=[ProblemInput("缺化肥")])
    visit(services, b, me, date(2024, 3, 20))
    visit(services, b, me, date(2023, 12, 30))  # last year
    with db.unit_of_work(Actor()) as s:
        s.add(DiaryEntry(author_id=me, entry_date=date(2024, 2, 1), content="入户了解情况"))
        s.add(DiaryEntry(author_id=me, entry_date=date(2023, 2, 1), content="去年"))
    problem = services.problems.list()[0]
    services.problems.move(problem.id, "resolved", resolution="已协调发放", on=date(2024, 3, 10))
    services.settings.set("target.visits_per_year", 6)
    figures = {f.key: f for f in services.stats.year_figures()}
    assert figures["visits"].actual == 3 and figures["visits"].target == 6 and figures["visits"].percent == 50
    assert figures["households_covered"].actual == 2
    assert figures["diary_days"].actual == 1  # days written (issue 17: the key was diary_entries)
    assert figures["problems_solved"].actual == 1
    assert services.stats.visits_per_month() == [1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert services.stats.visits_per_month(2023)[11] == 1
    # reopening takes the problem out of "solved"
    services.problems.move(problem.id, "in_progress", on=date(2024, 4, 1))
    assert {f.key: f.actual for f in services.stats.year_figures()}["problems_solved"] == 0


def test_current_cadre_is_the_users_or_the_first_team_member(services, village, db):
    _, team = village
    assert services.cadres.current().name == "张书记"  # no user linked: the secretary
    with db.unit_of_work(Actor()) as s:
        u = User(username="li", display_name="李队员", role="member", cadre_id=team[1].id)
        s.add(u)
        s.flush()
        uid = u.id
    services.set_actor(Actor(user_id=uid, name="李队员", role="member"))
    assert services.cadres.current().name == "李队员"
