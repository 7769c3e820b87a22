"""Issue 18 §3.8: in every record dialog Tab follows the screen — top to bottom, left to right (a form in two
columns: down the first, then the second). The test presses Tab as she would, from the first input, and compares
the inputs it reaches with their places on the screen."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from fupin_desktop.services.donations import DonationInput, ItemInput
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.problems import ProblemInput
from fupin_desktop.services.projects import FundingInput, ProjectInput
from fupin_desktop.services.visits import VisitInput
from fupin_desktop.ui.widgets.form_dialog import visual_key, visual_order


@pytest.fixture
def records(services, village):
    _, (sec, _m) = village
    h = services.households.create(HouseholdInput(head_name="王大山"),
                                   [MemberInput(name="王大山", relation="head")]).value
    visit = services.visits.log_visit(VisitInput(household_id=h.id, visit_date=date(2024, 6, 20),
                                                 cadre_ids=(sec.id,), findings="屋顶漏雨")).value
    problem = services.problems.raise_problem(ProblemInput(description="修屋顶", household_id=h.id)).value
    project = services.projects.create(ProjectInput(name="村道", total_investment=Decimal("1000"),
                                                    funding=(FundingInput("province", Decimal("1000")),))).value
    donation = services.donations.create(DonationInput(
        received_on=date(2024, 6, 1), kind="goods", donor_name="米业公司",
        items=(ItemInput(name="大米", quantity=Decimal("10"), unit="袋", unit_price=Decimal("80")),))).value
    return dict(household=h, visit=visit, problem=problem, project=project.project, donation=donation,
                member=services.households.detail(h.id).members[0], status=services.monitoring.status(h.id))


def _dialogs(services, r):
    from fupin_desktop.ui.views.donations.dialogs import CondolenceDialog, DistributeDialog, DonationEditor
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog
    from fupin_desktop.ui.views.households.member_dialog import MemberDialog
    from fupin_desktop.ui.views.monitoring.dialogs import MeasureDialog, MonitoringStepDialog
    from fupin_desktop.ui.views.problems.dialogs import MoveDialog, ProblemDialog
    from fupin_desktop.ui.views.projects.dialogs import HandoverDialog, ProgressDialog, StatusDialog
    from fupin_desktop.ui.views.projects.editor import ProjectEditor
    from fupin_desktop.ui.views.purchases.page import PurchaseEditor
    from fupin_desktop.ui.views.visits.dialog import VisitDialog

    h = r["household"].id
    return {
        "新建农户": lambda: HouseholdDialog(services),
        "农户": lambda: HouseholdDialog(services, h),
        "家庭成员": lambda: MemberDialog(r["member"], reveal=lambda f: services.audit.reveal("member", "x", f)),
        "新家庭成员": lambda: MemberDialog(None, head_allowed=False),
        "记一次走访": lambda: VisitDialog(services),
        "记一次走访（从农户）": lambda: VisitDialog(services, h),
        "更正走访": lambda: VisitDialog(services, visit=r["visit"]),
        "登记问题": lambda: ProblemDialog(services),
        "修改问题": lambda: ProblemDialog(services, problem=r["problem"]),
        "问题办结": lambda: MoveDialog(services, r["problem"], "resolved"),
        "项目": lambda: ProjectEditor(services),
        "项目状态": lambda: StatusDialog(services, r["project"]),
        "项目进度": lambda: ProgressDialog(services, r["project"]),
        "资产移交": lambda: HandoverDialog(services, r["project"]),
        "捐赠": lambda: DonationEditor(services),
        "发放": lambda: DistributeDialog(services, r["donation"]),
        "慰问": lambda: CondolenceDialog(services),
        "消费帮扶": lambda: PurchaseEditor(services),
        "监测步骤": lambda: MonitoringStepDialog(services, r["status"]),
        "帮扶措施": lambda: MeasureDialog(services, h),
    }


def tab_chain(qtbot, dlg) -> list:
    """Press Tab from the first input until the focus comes back; the widgets reached, in order."""
    dlg.show()
    dlg.activateWindow()
    assert QTest.qWaitForWindowActive(dlg, 2000)
    stops = visual_order(dlg)
    stops[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    chain = []
    for _ in range(len(stops) + 5):
        w = focused = QApplication.focusWidget()
        while w is not None and w not in stops and w is not dlg:
            w = w.parentWidget()  # the line edit inside a date edit, a table's viewport: the outer widget
        w = w if w in stops else focused
        if w in chain:
            break
        chain.append(w)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    return chain


def test_tab_follows_the_screen_in_every_record_dialog(qtbot, services, records):
    wrong = {}
    for title, make in _dialogs(services, records).items():
        dlg = make()
        qtbot.addWidget(dlg)
        dlg.resize(1000, 700)
        chain = tab_chain(qtbot, dlg)
        expected = visual_order(dlg)
        if chain != expected:
            def names(ws):
                return [f"{type(w).__name__}:{w.objectName()}@{visual_key(w, dlg)}" for w in ws]
            at = next((i for i, (a, b) in enumerate(zip(chain, expected)) if a is not b), min(len(chain), len(expected)))
            wrong[title] = (at, names(chain[at - 3:at + 4]), names(expected[at - 3:at + 4]), len(chain), len(expected))
        dlg.hide()
    assert not wrong, "\n".join(f"{k}: {v}" for k, v in wrong.items())


def test_household_form_reaches_the_head_id_second(qtbot, services, records):
    """新建农户: 户主身份证号 comes right after 户主姓名 (it was sixth)."""
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog

    dlg = HouseholdDialog(services)
    qtbot.addWidget(dlg)
    chain = tab_chain(qtbot, dlg)
    i = chain.index(dlg.head_name)
    assert i <= 1 and chain[i + 1] is dlg.head_id.edit   # (after the tab bar, if at all)


def test_visit_form_date_then_visitors_then_findings(qtbot, services, records):
    """记一次走访: the date is one Tab stop, visitors come before 保存, 了解情况 is reached in a few Tabs."""
    from fupin_desktop.ui.views.visits.dialog import VisitDialog

    dlg = VisitDialog(services, records["household"].id)
    qtbot.addWidget(dlg)
    chain = tab_chain(qtbot, dlg)
    assert chain.index(dlg.date) + 1 == chain.index(dlg.method)
    visitors = [b for b in dlg.cadres.boxes.values()]
    assert all(chain.index(b) < chain.index(dlg.save_button) for b in visitors)
    assert chain.index(dlg.findings) < chain.index(dlg.save_button) and chain.index(dlg.findings) <= 17


