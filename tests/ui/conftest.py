"""Helpers for UI tests of forms built on ui.widgets.form_dialog.FormDialog."""
from __future__ import annotations

import pytest


@pytest.fixture
def save_form(qtbot):
    """``save_form(dialog)``: click 保存 as a user would and wait until the save in the write pool has finished.
    Returns True when the dialog closed accepted (saved), False when it stayed open (an error was shown)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    def save(dialog) -> bool:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
        return dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()

    return save


@pytest.fixture
def records(services, village):
    """A household with a member, a visit, a problem, a project and a donation (what the dialogs open on)."""
    from datetime import date
    from decimal import Decimal

    from fupin_desktop.services.donations import DonationInput, ItemInput
    from fupin_desktop.services.households import HouseholdInput, MemberInput
    from fupin_desktop.services.problems import ProblemInput
    from fupin_desktop.services.projects import FundingInput, ProjectInput
    from fupin_desktop.services.visits import VisitInput

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


@pytest.fixture
def record_dialogs(services, records):
    """Title → a function opening that record dialog (every dialog built on the form base)."""
    r = records
    from fupin_desktop.ui.views.donations.dialogs import CondolenceDialog, DistributeDialog, DonationEditor
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog
    from fupin_desktop.ui.views.households.member_dialog import MemberDialog
    from fupin_desktop.ui.views.monitoring.dialogs import MeasureDialog, MonitoringStepDialog
    from fupin_desktop.ui.views.problems.dialogs import MoveDialog, ProblemDialog
    from fupin_desktop.ui.views.projects.dialogs import HandoverDialog, ProgressDialog, StatusDialog
    from fupin_desktop.ui.views.projects.editor import ProjectEditor
    from fupin_desktop.ui.views.purchases.page import PurchaseEditor
    from fupin_desktop.ui.views.visits.dialog import VisitDialog
    from fupin_desktop.ui.views.home.targets import TargetsDialog
    from fupin_desktop.ui.views.suggestions.dialog import SuggestionDialog
    from fupin_desktop.services.reporting import Period
    from fupin_desktop.ui.views.monitoring.dialogs import EarlierRecordDialog
    from fupin_desktop.ui.views.reports.summary_panel import SummarySectionsDialog
    from fupin_desktop.ui.views.security.users import ResetPasswordDialog, UserFormDialog

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
        "意见建议": lambda: SuggestionDialog(services),
        "个人目标": lambda: TargetsDialog(services, year=2024),
        "补录监测": lambda: EarlierRecordDialog(services, r["status"]),
        "总结自写部分": lambda: SummarySectionsDialog(services, Period.year(2024)),
        "添加用户": lambda: UserFormDialog(services),
        "重设密码": lambda: ResetPasswordDialog(services, services.users.create("li", "李队员", "member",
                                                                           "member-pw1").value),
    }


@pytest.fixture
def kit():
    """The roster helpers of tests/exchange/conftest.py (loaded by path: importlib mode)."""
    import importlib.util
    import types
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "exchange" / "conftest.py"
    spec = importlib.util.spec_from_file_location("exchange_test_helpers", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return types.SimpleNamespace(person_id=mod.person_id, roster_rows=mod.roster_rows,
                                 write_roster=mod.write_roster, headers=list(mod.ROSTER_HEADERS))
