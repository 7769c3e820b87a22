"""公示版 of the upward package (issue 7 item 4): no health, disability or income at all, masked numbers, 说明 says
公示版, refused for merging; from the API, the CLI (--public) and the export dialog."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fupin_desktop import cli, paths
from fupin_desktop.domain import codes
from fupin_desktop.domain.idcard import make_id
from fupin_desktop.exchange.package import PackageError, export_package
from fupin_desktop.services.households import HouseholdInput, IncomeInput, MemberInput

HEAD_ID = make_id("110101", date(1965, 1, 1), 123)
WIFE_ID = make_id("110101", date(1968, 2, 2), 202)
HEAD_PHONE = "13912345678"
PRIVATE_HEADERS = {"健康状况", "残疾类别", "残疾等级", "风险类型", "致贫原因", "银行账号", "工资性收入(元)"}


@pytest.fixture
def sick_household(services, village):
    hid = services.households.create(
        HouseholdInput(head_name="赵大山", household_type="alleviated", group_name="第1组", phone=HEAD_PHONE,
                       risk_types=("illness", "disability"), head_id_number=HEAD_ID),
        [MemberInput(name="赵大山", relation="head", id_number=HEAD_ID, health=("serious_illness",),
                     labour_skill="weak"),
         MemberInput(name="钱秀英", relation="spouse", id_number=WIFE_ID, disability_category="4",
                     disability_level="2", labour_skill="none")]).value.id
    services.households.set_income(hid, IncomeInput(year=2023, wages=Decimal("12345.60"), size=2))
    return hid


def cells(path) -> dict[str, list[tuple]]:
    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def all_text(book: dict[str, list[tuple]]) -> str:
    return "\n".join(str(v) for rows in book.values() for r in rows for v in r if v is not None)


def test_public_package_drops_health_disability_income(services, sick_household, tmp_path):
    masked = cells(export_package(services, tmp_path / "masked.xlsx").path)
    assert "收支情况" in masked and PRIVATE_HEADERS & set(masked["家庭成员"][0]) >= {"健康状况", "残疾类别"}
    assert "12345.6" in all_text(masked) and "患有大病" in all_text(masked)  # the normal package has them
    assert codes.label("disability_category", "4") in all_text(masked)

    result = export_package(services, tmp_path / "public.xlsx", public=True)
    assert result.public and result.masked and "收支情况" not in result.counts
    book = cells(result.path)
    assert "收支情况" not in book and "家庭成员" in book and "农户花名册" in book
    for title, rows in book.items():
        if title != "说明":
            assert not PRIVATE_HEADERS & {str(h) for h in rows[0] if h}, title
    text = all_text(book)
    for secret in (HEAD_ID, WIFE_ID, HEAD_PHONE, "12345.6", "患有大病", codes.label("disability_category", "4")):
        assert secret not in text, secret
    members = book["家庭成员"]
    id_col = members[0].index("身份证号")
    assert {r[id_col] for r in members[1:]} == {HEAD_ID[:6] + "*" * 12}
    assert "赵大山" in text and "钱秀英" in text  # names stay: it is a public notice
    info = {r[0]: r[1] for r in book["说明"] if len(r) > 1 and r[0]}
    assert str(book["说明"][0][0]).endswith("（公示版）")
    assert str(info["个人信息"]).startswith("公示版") and "公示版" in str(info["公示版"])
    assert any("公示版" in (e.detail or "") for e in services.audit.list())  # the export is logged


def test_public_package_cannot_be_merged_and_excludes_full(services, sick_household, tmp_path):
    with pytest.raises(PackageError, match="公示版"):
        export_package(services, tmp_path / "both.xlsx", public=True, full=True)
    assert not (tmp_path / "both.xlsx").exists()


def test_cli_export_public(tmp_path, capsys):
    data = tmp_path / "data"
    try:
        assert cli.main(["--data-dir", str(data), "demo", "--households", "5"]) == 0
        out = tmp_path / "public.xlsx"
        assert cli.main(["--data-dir", str(data), "export", "--public", "--out", str(out)]) == 0
        assert "公示版" in capsys.readouterr().out
        book = cells(out)
        assert "收支情况" not in book and "健康状况" not in book["家庭成员"][0]
        assert cli.main(["--data-dir", str(data), "export", "--public", "--full", "--out",
                         str(tmp_path / "x.xlsx")]) == 2
        assert not (tmp_path / "x.xlsx").exists()
    finally:
        paths.set_data_dir(None)


def test_export_dialog_public_choice(qtbot, services, sick_household, tmp_path, dialogs):
    from PySide6.QtCore import Qt

    from fupin_desktop.ui import tasks
    from fupin_desktop.ui.views.exchange.dialogs import ExportDialog

    dlg = ExportDialog(services)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "-上报-" in dlg.path.text()
    dlg.public.setChecked(True)
    assert "-公示-" in dlg.path.text() and not dlg.full_warning.isVisible()
    dlg.path.setText(str(tmp_path / "gs.xlsx"))
    from pathlib import Path

    shots = Path("/tmp/shots")
    shots.mkdir(exist_ok=True)
    dlg.grab().save(str(shots / "export_dialog_public.png"))
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0, timeout=10_000)
    assert dlg.result.form == "public" and dialogs.calls[-1][0] in ("info", "file_saved")
    assert "收支情况" not in cells(tmp_path / "gs.xlsx")
