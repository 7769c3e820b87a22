"""The 工作总结's figures (services/figures.py): one definition each, shared with the ledgers and the 上报表.

Issue 17 "Wrong or misleading figures" 1–5: each test here failed on the code before the fix."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from fupin_desktop.services.households import IncomeInput
from fupin_desktop.services.reporting import Period, ReportFilter
from tests.services.test_monitoring import make_household, secure_visit, step

Y2024 = ReportFilter(Period.year(2024))


def _monitored_rows(services, flt=Y2024):
    return services.reporting.ledger("monitored", flt).rows


# --- 1. monitoring -------------------------------------------------------------------------------------------------


def test_a_household_marked_monitored_in_the_form_stays_monitored_after_a_step(services, village):
    """Marked 监测 in the household form (with or without 识别监测时间), then one 帮扶 step: it is still in the
    year's figures, the summary and the 监测户花名册 alike."""
    dated = make_household(services, "甲", 3, monitoring_category="marginal", identified_on=date(2023, 9, 1),
                           risk_types=("illness",))
    undated = make_household(services, "乙", 2, monitoring_category="unstable", risk_types=("disability",))
    services.monitoring.record_step(dated, step("assisting", date(2024, 3, 5)))

    year = services.monitoring.year_figures(2024)
    assert (year.monitored_at_start_households, year.remaining_households, year.remaining_people) == (2, 2, 5)
    fig = services.reporting.summary_figures(Y2024)
    assert fig.monitoring.remaining_households == fig.monitored_now == 2
    rows = _monitored_rows(services)
    assert sum(1 for r in rows if r.monitoring_category and not r.risk_eliminated) == 2


def test_a_marked_household_eliminated_through_steps_counts_as_eliminated(services, village):
    """Marked in the form in 2023, its elimination recorded step by step in 2024: eliminated in 2024, not lost."""
    hid = make_household(services, "丙", 4, monitoring_category="marginal", identified_on=date(2023, 5, 1),
                         risk_types=("illness",))
    services.risk.set_line(2024, Decimal("6800"))
    services.households.set_income(hid, IncomeInput(year=2024, wages=Decimal("45000")))
    secure_visit(services, hid, village[1][0].id, date(2024, 3, 20))
    services.monitoring.record_step(hid, step("assisting", date(2024, 1, 10)))
    for stage, day in (("verification", 1), ("village_review", 2), ("publicity", 3), ("township_review", 9),
                       ("county_approval", 10)):
        services.monitoring.record_step(hid, step(stage, date(2024, 4, day)))
    services.monitoring.record_step(hid, step("eliminated", date(2024, 4, 12), elimination_way="natural",
                                              note="务工收入恢复"))
    fig = services.reporting.summary_figures(Y2024)
    m = fig.monitoring
    assert (m.monitored_at_start_households, m.eliminated_households, m.eliminated_people,
            m.remaining_households) == (1, 1, 4, 0)
    assert fig.monitored_eliminated == 1 and fig.monitored_now == 0


def test_an_earlier_record_is_entered_in_one_go(services, village):
    """A risk identified and eliminated before the team arrived: entered as it stands in the county system."""
    from fupin_desktop.services.monitoring import EarlierRecord

    hid = make_household(services, "丁", 3)
    services.monitoring.record_earlier(hid, EarlierRecord(
        category="unstable", risk_types=("illness",), identified_on=date(2021, 7, 1),
        eliminated_on=date(2022, 11, 20), elimination_way="assisted"))
    st = services.monitoring.status(hid)
    assert st.risk_eliminated and st.elimination_way == "assisted" and st.identified_on == date(2021, 7, 1)
    assert st.next_stage == "clue"  # a new risk starts a new cycle
    y2022 = services.monitoring.year_figures(2022)
    assert (y2022.monitored_at_start_households, y2022.eliminated_households, y2022.remaining_households) == (1, 1, 0)
    assert services.monitoring.year_figures(2021).identified_households == 1


# --- 4. problems -----------------------------------------------------------------------------------------------------


def test_problem_states_add_up_and_the_ledger_agrees(services, village):
    """收集 (+ carried over) = 办结 + 无法解决 + 在办, stated in the summary; the ledger's 已销号 equals it."""
    from fupin_desktop.reports.ledgers import SPECS
    from fupin_desktop.reports.summary import draft_text
    from fupin_desktop.services.problems import ProblemInput

    def raise_(text, on):
        return services.problems.raise_problem(ProblemInput(text, raised_on=on)).value.id

    old = raise_("2023年提出，尚未办结", date(2023, 11, 2))
    done = raise_("路灯不亮", date(2024, 2, 1))
    services.problems.move(done, "in_progress", on=date(2024, 2, 2))
    services.problems.move(done, "resolved", on=date(2024, 2, 10), resolution="已修复")
    no = raise_("要求修建到户水泥路", date(2024, 3, 1))
    services.problems.move(no, "unsolvable", on=date(2024, 3, 5), resolution="不符合政策，已向群众解释")
    raise_("低保申请", date(2024, 5, 1))
    fig = services.reporting.summary_figures(Y2024)
    p = fig.problems
    assert (p.raised, p.carried_over, p.resolved, p.unsolvable, p.open, p.closed) == (3, 1, 1, 1, 2, 2)
    assert p.raised + p.carried_over == p.resolved + p.unsolvable + p.open
    text = draft_text(fig)
    assert "收集群众诉求和问题3件" in text and "无法解决" in text and "在办2件" in text
    ledger = services.reporting.ledger("problems", Y2024)
    total = SPECS["problems"].total(ledger.rows)
    assert f"已销号{p.closed}件" in total and f"{p.total}件" in total
    # printed later, the ledger of the first half shows the state at its end (the 3月 problem closed by then)
    h1 = ReportFilter(Period.custom(date(2024, 1, 1), date(2024, 2, 5)))
    assert services.reporting.summary_figures(h1).problems.open == 2
    assert f"已销号0件" in SPECS["problems"].total(services.reporting.ledger("problems", h1).rows)


# --- 2. pairing visits -------------------------------------------------------------------------------------------------


def pairings_with_visits(services, village):
    """赵甲 paired with 张书记 (2 own visits), 钱乙 with 李队员 (1 own visit, 3 by 张书记), 孙丙 with 李队员 since
    2024-06-01; all in 2024."""
    from fupin_desktop.services.visits import VisitInput

    zhang, li = village[1]
    a = make_household(services, "赵甲", 2)
    b = make_household(services, "钱乙", 2)
    c = make_household(services, "孙丙", 2)
    services.pairings.pair(zhang.id, a, date(2024, 1, 1))
    services.pairings.pair(li.id, b, date(2024, 1, 1))
    services.pairings.pair(li.id, c, date(2024, 6, 1))  # 28 days by 6月28日: nothing owed yet

    def visit(hid, cadre, when):
        services.visits.log_visit(VisitInput(household_id=hid, visit_date=when, cadre_ids=(cadre.id,),
                                             purposes=("policy",)))

    visit(a, zhang, date(2024, 2, 1))
    visit(a, zhang, date(2024, 5, 1))
    for m in (3, 4, 5):
        visit(b, zhang, date(2024, m, 2))  # someone else's visits do not count for 李队员
    visit(b, li, date(2024, 4, 9))


def test_a_pairing_counts_only_its_cadres_visits_and_is_flagged_below_the_minimum(services, village):
    """结对帮扶: only the paired cadre's own visits count; below the yearly minimum (4 a year, prorated by the days
    the pairing ran up to the end of the period or today) the pairing is flagged in the ledger and on the home page."""
    pairings_with_visits(services, village)
    rows = {r.head_name: r for r in services.reporting.ledger("pairings", Y2024).rows}
    assert (rows["赵甲"].visits_in_period, rows["赵甲"].required_visits, rows["赵甲"].below_minimum) == (2, 2, False)
    assert (rows["钱乙"].visits_in_period, rows["钱乙"].required_visits, rows["钱乙"].below_minimum) == (1, 2, True)
    assert (rows["孙丙"].required_visits, rows["孙丙"].below_minimum) == (0, False)
    home = services.stats.home()
    assert [(p.cadre_name, p.head_name, p.visits_in_period, p.required_visits) for p in home.pairing_rows] == [
        ("李队员", "钱乙", 1, 2)]
    assert home.pairings_below == 1
    services.settings.set("pairing.min_visits_per_year", 2)
    assert services.stats.home().pairings_below == 0


# --- 5. projects and measures ---------------------------------------------------------------------------------------


def test_project_ledger_counts_distinct_households_and_measures_keep_loans_apart(services, village):
    """受益户 合计: the sum over projects is 户次; the distinct households are counted from the linked lists.
    帮扶措施 合计: 金融帮扶 loans are not added to grants."""
    from fupin_desktop.reports.ledgers import SPECS, _project_spec
    from fupin_desktop.services.measures import MeasureInput
    from fupin_desktop.services.projects import ProjectInput

    a, b, c = (make_household(services, n, 2) for n in ("甲", "乙", "丙"))
    for name, ids, n in (("道路硬化", (a, b), 2), ("饮水工程", (b, c), 2), ("光伏电站", None, 5)):
        services.projects.create(ProjectInput(name=name, year=2024, beneficiary_households=n,
                                              total_investment=Decimal("10000")), confirm_mismatch=True,
                                 beneficiary_ids=ids)
    ledger = services.reporting.ledger("projects", Y2024)
    spec = _project_spec(ledger.sources)
    assert "9户次" in [str(x) for x in spec.total(ledger.rows)]
    line = spec.breakdown(ledger.rows)
    assert "受益户合计9户次" in line and "不重复3户" in line and "1个项目无名单" in line
    services.measures.add(MeasureInput(a, "finance", date(2024, 3, 1), "脱贫人口小额信贷", Decimal("50000")))
    services.measures.add(MeasureInput(a, "industry", date(2024, 3, 2), "产业奖补", Decimal("2000")))
    services.measures.add(MeasureInput(b, "public_job", date(2024, 3, 3), "公益岗位", None))
    rows = services.reporting.ledger("measures", Y2024).rows
    total = [str(x) for x in SPECS["measures"].total(rows)]
    assert "52,000.00" not in total and "2,000.00" in total  # the amount column adds grants only
    line = SPECS["measures"].breakdown(rows)
    assert "贷款1笔50,000.00元" in line and "补助等资金1笔2,000.00元" in line


# --- 3. categories stated apart -----------------------------------------------------------------------------------------


def test_donations_condolences_aid_purchases_orders_and_pairings_are_stated_apart(services, village):
    from fupin_desktop.reports.summary import draft_text
    from fupin_desktop.services.donations import CondolenceInput, DistributionInput, DonationInput, ItemInput
    from fupin_desktop.services.purchases import PurchaseInput

    zhang, li = village[1]
    a, b, c = (make_household(services, n, 2, household_type=t)
               for n, t in (("甲", "alleviated"), ("乙", "alleviated"), ("丙", "ordinary")))
    d = services.donations
    d.create(DonationInput(date(2024, 2, 1), "cash", donor_name="爱心企业", amount=Decimal("1000"), purpose="爱心捐赠"))
    milk = d.create(DonationInput(date(2024, 2, 2), "goods", donor_name="乳业公司", purpose="爱心捐赠",
                                  items=(ItemInput("牛奶", quantity=Decimal("10"), unit="箱",
                                                   unit_price=Decimal("50")),))).value
    d.distribute(DistributionInput(milk.id, milk.items[0].id, household_id=c, quantity=Decimal("1"),
                                   distributed_on=date(2024, 2, 3)))  # goods given: not a 慰问
    d.condolence(CondolenceInput(date(2024, 2, 8), (a, b), amount_each=Decimal("200"), purpose="春节慰问"))
    d.create(DonationInput(date(2024, 3, 1), "cash", donor_name="教育基金会", amount=Decimal("3000"), purpose="助学"))
    p = services.purchases
    p.create(PurchaseInput(date(2024, 3, 5), "财政局工会", "小米", Decimal("800"), household_ids=(a, b)))
    p.create(PurchaseInput(date(2024, 3, 6), "机关食堂", "扫帚", Decimal("12000"), channel="order",
                           household_ids=(b, c)))
    services.pairings.pair(zhang.id, a, date(2024, 1, 1))
    services.pairings.pair(li.id, c, date(2024, 1, 1))  # an ordinary 联系户

    fig = services.reporting.summary_figures(Y2024)
    g = fig.giving
    assert (g.donation_count, g.donation_cash, g.donation_goods) == (2, Decimal("1000"), Decimal("500"))
    assert (g.condolence_cash, g.condolence_goods, g.condolence_households) == (Decimal("400"), Decimal("0"), 2)
    assert (g.aid_count, g.aid_amount) == (1, Decimal("3000"))
    s = fig.purchases
    assert (s.purchase_count, s.purchase_amount, s.order_count, s.order_amount) == (1, Decimal("800"), 1,
                                                                                   Decimal("12000"))
    assert s.households == 3  # 乙 in both, once
    assert (fig.paired_households, fig.pairing_covered) == (2, 1)
    ledger = services.reporting.ledger("pairings", Y2024)
    assert len({r.number for r in ledger.rows}) == fig.paired_households
    text = draft_text(fig)
    assert "慰问2户" in text and "助学" in text and "订单" in text and "结对帮扶2户" in text
