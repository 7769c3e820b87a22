"""Projects, donations and purchases entered through the UI (pytest-qt), including the error paths:
funding lines that do not add up (confirmation), a distribution exceeding stock (error under the field)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal


import pytest
from PySide6.QtCore import Qt

from fupin_desktop.services.households import HouseholdInput
from fupin_desktop.services.projects import FundingInput, ProjectInput
from fupin_desktop.ui import tasks
from tests.ui.keyboard import type_into

W = Decimal(10000)

# seeds/000_df63f9adfb7861d9.txt: (name, total 万元, {source: 万元})
SEED_000 = [
    ("新修村街道路", "28", {"province": "20", "unit": "8"}),
    ("铺设自来水主管线", "80", {"province": "32", "city": "16", "county": "16", "village": "16"}),
    ("建设村卫生室", "6", {"city": "5", "county": "1"}),
    ("长效保洁机制", "16.7", {"county": "4.3", "village": "12.4"}),
    ("变压器增容", "10", {"city": "10"}),
    ("通信通邮全覆盖", "0", {}),
    ("农家书屋", "4", {"province": "1", "city": "1.84", "county": "0.52", "unit": "0.64"}),
    ("环境整治规划", "0", {}),
    ("养殖技术培训", "0.6", {"province": "0.6"}),
    ("村内排水设施", "10", {"yishiyiyi": "10"}),
    ("美化墙体", "3", {"unit": "3"}),
]


def wan(x: str) -> Decimal:
    return (Decimal(x) * W).quantize(Decimal("0.01"))


@pytest.fixture
def households(services, village):
    hs = services.households
    return [hs.create(HouseholdInput(head_name="王大山", household_type="alleviated", group_name="一组")).value,
            hs.create(HouseholdInput(head_name="赵小禾", monitoring_category="marginal", group_name="二组")).value,
            hs.create(HouseholdInput(head_name="钱多多", household_type="dibao", group_name="三组")).value]




def _cell(model, row, col) -> str:
    return model.data(model.index(row, col))


def _column(model, title) -> int:
    return model.headers().index(title)


def test_enter_project_with_mismatch_confirmation(qtbot, services, village, dialogs, save_form):
    from fupin_desktop.ui.views.projects.page import ProjectsPage

    page = ProjectsPage(services)
    qtbot.addWidget(page)
    page.show()
    assert page.list_stack.currentWidget() is page.empty  # empty state with a next step

    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dlg = page.last_dialog
    type_into(qtbot, dlg.name, "新修村街道路1000米")
    type_into(qtbot, dlg.total.lineEdit(), "28万")
    assert dlg.funding.source_at(0) == "province"
    dlg.funding.set_amount(0, 1, "200000")
    qtbot.mouseClick(dlg.funding.add_button, Qt.MouseButton.LeftButton)
    dlg.funding.table.cellWidget(1, 0).set_code("unit")
    dlg.funding.set_amount(1, 1, "60000")
    # the difference is shown live, in 元 and 万元
    assert "20,000.00" in dlg.difference.text() and "2万元" in dlg.difference.text()

    dialogs.confirm_answer = False  # "no, let me correct it"
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialogs.kinds() == ["confirm"]
    assert "资金来源比总投资少 20,000.00元（2万元）" in dialogs.texts()[0]
    assert dlg.isVisible() and dlg.funding_error.has_error
    assert services.projects.list() == []

    dlg.funding.set_amount(1, 1, "80000")
    assert "✓" in dlg.difference.text()
    assert save_form(dlg)
    assert len(dialogs.kinds()) == 1  # no second question
    m = page.model
    assert _cell(m, 0, 1) == "新修村街道路1000米"
    assert _cell(m, 0, 5) == "28"
    assert _cell(m, 0, _column(m, "省级")) == "20" and _cell(m, 0, _column(m, "帮扶单位")) == "8"

    # a second project whose lines do not add up, confirmed: saved, the list shows the difference
    dialogs.confirm_answer = True
    page.new_project()
    dlg = page.last_dialog
    type_into(qtbot, dlg.name, "建设村卫生室")
    type_into(qtbot, dlg.total.lineEdit(), "60000")
    dlg.funding.table.cellWidget(0, 0).set_code("city")
    dlg.funding.set_amount(0, 1, "5万")
    assert save_form(dlg)
    assert "少 10,000.00元（1万元）" in dialogs.texts()[-1]
    row = next(r for r in range(len(m.rows)) if m.rows[r].project.name == "建设村卫生室")
    assert _cell(m, row, _column(m, "差额")) == "1"

    # the workflow: move on, record progress, hand over
    page.table.selectRow(row)
    page.detail.status_button.click()
    sd = page.last_dialog
    sd.status.set_code("accepted")
    sd.date.setValue(date(2024, 5, 1))
    assert save_form(sd)
    assert services.projects.get(m.rows[row].project.id).project.status == "accepted"
    assert page.detail.handover_button.isEnabled()
    page.detail.handover_button.click()
    hd = page.last_dialog
    hd.owner.setText("东兴村股份经济合作社")
    assert save_form(hd)
    p = services.projects.get(m.rows[row].project.id).project
    assert (p.status, p.asset_owner) == ("handed_over", "东兴村股份经济合作社")
    assert "东兴村股份经济合作社" in page.detail.handover.text()
    assert page.refreshes == 0  # its own saves refreshed it directly, not again through the bus

    n = len(m.rows)
    page.detail._delete()
    qtbot.waitUntil(lambda: tasks.active_count() == 0)
    assert len(m.rows) == n - 1 and page.refreshes == 0


def test_project_list_shows_seed_totals_per_project_and_per_source(qtbot, services):
    for name, total, split in SEED_000:
        services.projects.create(ProjectInput(name=name, year=2023, total_investment=wan(total), funding=tuple(
            FundingInput(src, wan(v)) for src, v in split.items())))
    from fupin_desktop.ui.views.projects.page import ProjectsPage

    page = ProjectsPage(services)
    qtbot.addWidget(page)
    m = page.model
    assert m.rowCount() == 12  # 11 projects + 合计
    labels = {"province": "省级", "city": "市级", "county": "县级", "village": "村集体自筹", "unit": "帮扶单位",
              "yishiyiyi": "一事一议奖补"}
    for r, (name, total, split) in enumerate(SEED_000):
        assert _cell(m, r, 1) == name
        assert _cell(m, r, 5) == total
        for src, label in labels.items():
            assert _cell(m, r, _column(m, label)) == split.get(src, ""), (name, label)
    assert _cell(m, 0, _column(m, "省级")) == "20" and _cell(m, 0, _column(m, "帮扶单位")) == "8"
    total_row = 11
    assert _cell(m, total_row, 5) == "158.3"
    expected = {"省级": "53.6", "市级": "32.84", "县级": "21.82", "村集体自筹": "28.4", "帮扶单位": "11.64",
                "一事一议奖补": "10"}
    for label, value in expected.items():
        assert _cell(m, total_row, _column(m, label)) == value
    assert _cell(m, total_row, _column(m, "差额")) == ""
    assert "11" in page.count_label.text() and "158.3万元" in page.count_label.text()
    # tooltip in 元
    assert m.data(m.index(6, _column(m, "市级")), Qt.ItemDataRole.ToolTipRole) == "18,400.00元"


def test_donation_with_items_and_distribution_exceeding_stock(qtbot, services, households, dialogs, save_form):
    from fupin_desktop.ui.widgets.household_chooser import HouseholdPicker
    from fupin_desktop.ui.views.donations.page import DonationsPage

    page = DonationsPage(services)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    ed = page.last_dialog
    type_into(qtbot, ed.donor.lineEdit(), "唐山某米业公司")
    ed.donor_kind.set_code("enterprise")
    type_into(qtbot, ed.receipt, "JZ-001")
    type_into(qtbot, ed.purpose, "春节慰问困难群众")
    ed.items.set_cell(0, 0, "大米")
    ed.items.set_cell(0, 1, "10kg")
    ed.items.set_cell(0, 2, "20")
    ed.items.set_cell(0, 3, "袋")
    ed.items.set_cell(0, 4, "80")
    ed.items.add_line("食用油", "", "20", "桶", "65.5")
    assert "2,910.00" in ed.total_label.text()
    assert save_form(ed)
    d = page.current()
    assert d.amount == Decimal("2910.00") and [i.name for i in d.items] == ["大米", "食用油"]
    assert page.table.rowCount() == 1

    page.detail.distribute_button.click()
    dd = page.last_dialog
    dd.set_item(d.items[0].id)
    # choose the households in the picker, as a user ticks them
    picker = HouseholdPicker(services, dd, dd.households.households())
    qtbot.addWidget(picker)
    assert picker.table.rowCount() == 3
    assert {picker.table.item(r, 3).text() for r in range(3)} == {"脱贫户", "边缘易致贫户", "低保户"}
    for h in households:
        picker.tick(h.id)
    dd.households.set_households(picker.chosen())
    assert len(dd.households.ids()) == 3
    type_into(qtbot, dd.quantity, "10")
    assert "30袋" in dd.summary.text() and "20袋" in dd.summary.text()
    assert not save_form(dd)
    assert dd.quantity_error.isVisibleTo(dd)
    assert "“大米（10kg）”库存不足：现有库存 20袋，本次要发放 30袋" in dd.quantity_error.text()
    assert services.donations.distributions(donation_id=d.id) == []

    dd.quantity.clear()
    type_into(qtbot, dd.quantity, "5")
    dd.signed.setChecked(True)
    assert save_form(dd)
    assert page.detail.dist.rowCount() == 3
    assert page.detail.dist.item(0, 2).text() in {"脱贫户", "边缘易致贫户", "低保户"}
    stock = {r.name: r.on_hand for r in services.donations.stock()}
    assert stock == {"大米": Decimal("5.000"), "食用油": Decimal("20.000")}
    page.tabs.setCurrentIndex(1)
    assert page.stock.item(0, 5).text() == "5袋"

    # its own delete refreshes the page itself (RefreshOnChange skips the page's own change on the bus)
    page.tabs.setCurrentIndex(0)
    page.detail._delete()
    qtbot.waitUntil(lambda: tasks.active_count() == 0)
    assert page.table.rowCount() == 0 and page.current() is None and page.refreshes == 0


def test_condolence_one_step_form(qtbot, services, households, dialogs, save_form):
    from fupin_desktop.ui.views.donations.page import DonationsPage

    page = DonationsPage(services)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.condolence_button, Qt.MouseButton.LeftButton)
    cd = page.last_dialog
    assert not save_form(cd)  # no households yet
    assert cd.errors.widget_for("household_ids") is cd.households
    for h in households[:2]:
        cd.households.add(h.id, h.head_name, h.number, "脱贫户")
    type_into(qtbot, cd.amount.lineEdit(), "500")
    cd.goods.add_gift("月饼", "1", "盒", "60")
    assert "1,120.00" in cd.summary.text()
    assert save_form(cd)
    d = page.current()
    assert d.is_condolence and d.amount == Decimal("1120.00") and d.donor_name == "唐山市交通运输局"
    assert page.detail.dist.rowCount() == 4


def test_enter_purchase(qtbot, services, households, dialogs, save_form):
    from fupin_desktop.ui.views.purchases.page import PurchasesPage

    page = PurchasesPage(services)
    qtbot.addWidget(page)
    assert page.list_stack.currentWidget() is page.empty
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    ed = page.last_dialog
    type_into(qtbot, ed.product, "小米")
    assert not save_form(ed)  # no amount
    assert ed.errors.widget_for("amount") is ed.amount and ed.amount.property("invalid")
    type_into(qtbot, ed.amount.lineEdit(), "12000")
    type_into(qtbot, ed.quantity, "800")
    type_into(qtbot, ed.unit, "斤")
    ed.households.add(households[0].id, "王大山", households[0].number, "脱贫户")
    assert save_form(ed)
    assert page.table.rowCount() == 1 and page.table.item(0, 5).text() == "12,000.00"
    assert page.table.item(0, 6).text() == "832平台"
    assert "832平台 12,000.00元" in page.totals_label.text()
    assert page.hh_table.rowCount() == 1

    # its own delete refreshes the list (the page skips its own change on the bus, so it must refresh itself)
    page.table.selectRow(0)
    page.delete_purchase()
    qtbot.waitUntil(lambda: tasks.active_count() == 0)
    assert page.table.rowCount() == 0 and page.refreshes == 0
    # hidden, a purchase entered elsewhere only marks it stale; shown, it is listed
    from fupin_desktop.services.purchases import PurchaseInput
    from fupin_desktop.ui.events import bus

    made = services.purchases.create(PurchaseInput(purchase_date=date(2024, 5, 1), buyer_unit="县工会",
                                                   product="香菇", amount=Decimal("3000")))
    bus().publish(made.changes, None)
    assert page.stale and page.table.rowCount() == 0
    page.show()
    assert not page.stale and page.refreshes == 1 and page.table.rowCount() == 1


def test_pages_are_registered(qtbot, services, village):
    from fupin_desktop.ui.main_window import MainWindow
    from fupin_desktop.ui.views.donations.page import DonationsPage
    from fupin_desktop.ui.views.projects.page import ProjectsPage
    from fupin_desktop.ui.views.purchases.page import PurchasesPage

    w = MainWindow(services)
    qtbot.addWidget(w)
    assert isinstance(w.set_page("projects"), ProjectsPage)
    assert isinstance(w.set_page("donations"), DonationsPage)
    assert isinstance(w.set_page("purchases"), PurchasesPage)


def test_money_received_is_entered_with_its_date_and_a_closed_quarter_refuses_it(qtbot, services, village, dialogs,
                                                                                  save_form):
    from fupin_desktop.services.closing import PeriodKey
    from fupin_desktop.ui.views.projects.editor import ProjectEditor

    pid = services.projects.create(ProjectInput(name="村道硬化", total_investment=wan("10"), funding=(
        FundingInput("province", wan("10"), wan("2"), received_on=date(2024, 1, 10)),))).value.project.id
    dlg = ProjectEditor(services, project_id=pid)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.received_on.value() == date(2024, 6, 28)  # today by default
    dlg.funding.set_amount(0, 2, "5万")
    dlg.received_on.setValue(date(2024, 3, 5))
    assert save_form(dlg)
    assert [(r.received_on, r.amount) for r in services.projects.receipts(pid)] == [
        (date(2024, 1, 10), wan("2")), (date(2024, 3, 5), wan("3"))]

    services.closing.close(PeriodKey.of(2024, quarter=1))
    dlg = ProjectEditor(services, project_id=pid)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.funding.set_amount(0, 2, "6万")
    dlg.received_on.setValue(date(2024, 3, 20))
    assert not save_form(dlg)
    assert dialogs.kinds() == ["error"] and dialogs.texts()[0].startswith("2024年第一季度已于")
    assert services.projects.get(pid).funding[0].received_amount == wan("5")
    dlg.received_on.setValue(date(2024, 4, 2))  # it arrived after the quarter
    assert save_form(dlg)
    assert services.projects.get(pid).funding[0].received_amount == wan("6")
