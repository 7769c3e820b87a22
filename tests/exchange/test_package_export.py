"""The upward package as a workbook: headers, text-typed IDs, masking, print setup, checksum, bad files."""
from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fupin_desktop.exchange.ledgers import SHEETS
from fupin_desktop.exchange.package import INFO_SHEET, export_package
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.visits import VisitInput

HEAD_ID = "110105194912310038"
SPOUSE_ID = "110105195003010024"


@pytest.fixture
def filled(services, village):
    hh = services.households.create(
        HouseholdInput(head_name="王大山", number="130204203213000123456", number_from_platform=True,
                       head_id_number=HEAD_ID, phone="13812345678", household_type="alleviated",
                       farmland_mu=Decimal("3.50")),
        [MemberInput(name="王大山", relation="head", id_number=HEAD_ID, phone="13812345678"),
         MemberInput(name="李秀英", relation="spouse", id_number=SPOUSE_ID)],
    ).value
    services.households.set_income(hh.id, __import__("fupin_desktop.services.households", fromlist=["x"])
                                   .IncomeInput(year=2023, wages=Decimal("12345.60")))
    return hh


def _header(ws):
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


def test_masked_export_workbook(services, filled, tmp_path):
    result = export_package(services, tmp_path / "p.xlsx")
    assert result.masked
    wb = load_workbook(tmp_path / "p.xlsx")
    assert wb.sheetnames[0] == INFO_SHEET
    assert [s.title for s in SHEETS] == wb.sheetnames[1:]
    for name in ("农户花名册", "家庭成员", "结对帮扶", "走访台账", "问题清单(销号台账)", "民情日记", "工作日志", "考勤表",
                 "项目台账", "项目资金", "捐赠台账", "发放签收", "消费帮扶"):
        assert name in wb.sheetnames
    info = {r[0]: r[1] for r in wb[INFO_SHEET].iter_rows(values_only=True) if r and r[0]}
    assert info["村"] == "东兴村" and info["区划代码"] == "130204203213" and info["个人信息"] == "已遮盖"
    assert len(info["校验码(SHA-256)"]) == 64 and info["农户花名册"] == 1 and info["家庭成员"] == 2
    assert info["程序版本"] and info["数据库结构版本"]

    ws = wb["农户花名册"]
    header = _header(ws)
    assert header[:2] == ["记录ID", "户编号"] and "户主姓名" in header and "户主身份证号" in header
    assert header[-3:] == ["创建时间", "更新时间", "删除时间"]
    row = {h: c for h, c in zip(header, next(ws.iter_rows(min_row=2, max_row=2)))}
    assert row["户编号"].data_type == "s" and row["户编号"].value == "130204203213000123456"
    assert row["户主身份证号"].data_type == "s" and row["户主身份证号"].value == "110105" + "*" * 12
    assert row["联系电话"].value == "138****5678"
    assert row["户类型"].value == "脱贫户"
    assert row["耕地(亩)"].value == 3.5 and row["耕地(亩)"].number_format == "#,##0.00"
    # print setup
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}2"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws.column_dimensions["B"].width >= 18 and ws.column_dimensions["A"].hidden

    members = wb["家庭成员"]
    mh = _header(members)
    ids = [r[mh.index("身份证号")] for r in members.iter_rows(min_row=2, values_only=True)]
    assert ids == ["110105" + "*" * 12] * 2
    numbers = [r[mh.index("户编号")] for r in members.iter_rows(min_row=2, values_only=True)]
    assert numbers == ["130204203213000123456"] * 2
    income = wb["收支情况"]
    ih = _header(income)
    cell = next(income.iter_rows(min_row=2, max_row=2))[ih.index("工资性收入(元)")]
    assert cell.value == pytest.approx(12345.6) and cell.data_type == "n"


def test_full_export_is_audited_and_unmasked(services, filled, tmp_path):
    export_package(services, tmp_path / "full.xlsx", full=True)
    wb = load_workbook(tmp_path / "full.xlsx", read_only=True)
    rows = list(wb["家庭成员"].iter_rows(values_only=True))
    assert HEAD_ID in {v for r in rows for v in r}
    with services.db.read() as s:
        from sqlalchemy import select

        from fupin_desktop.storage.models import AuditEntry
        details = s.execute(select(AuditEntry.detail).where(AuditEntry.action == "export")).scalars().all()
    assert details and "完整导出" in details[-1]


def test_period_filter(services, filled, village, tmp_path):
    from fupin_desktop.services.visits import VisitInput

    cadre = village[1][0]
    for d in (date(2024, 1, 10), date(2024, 5, 10)):
        services.visits.log_visit(VisitInput(household_id=filled.id, visit_date=d, cadre_ids=(cadre.id,),
                                          findings="正常"))
    result = export_package(services, tmp_path / "q1.xlsx", start=date(2024, 1, 1), end=date(2024, 3, 31))
    assert result.counts["走访台账"] == 1 and result.counts["农户花名册"] == 1
    assert result.counts["走访人员"] == 1


def test_formula_like_text_stays_text(services, village, tmp_path):
    services.households.create(HouseholdInput(head_name="赵=1+1", note="=SUM(A1:A2)"))
    export_package(services, tmp_path / "p.xlsx", full=True)
    ws = load_workbook(tmp_path / "p.xlsx")["农户花名册"]
    header = _header(ws)
    assert ws.cell(2, header.index("备注") + 1).value == "=SUM(A1:A2)"


def test_viewer_cannot_export_full(services, filled, tmp_path):
    from fupin_desktop.domain.errors import PermissionDeniedError
    from fupin_desktop.storage.db import Actor

    services.set_actor(Actor(None, "查看员", "viewer"))
    with pytest.raises(PermissionDeniedError):
        export_package(services, tmp_path / "p.xlsx", full=True)
    assert not (tmp_path / "p.xlsx").exists()


def test_libreoffice_renders_pdf(services, filled, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        if os.environ.get("CI"):
            pytest.fail("libreoffice missing on CI (apt-get install libreoffice-calc)")
        pytest.skip("libreoffice not installed")
    export_package(services, tmp_path / "p.xlsx")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "p.xlsx")],
                   check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    pdf = tmp_path / "p.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "户主姓名" in text and "110105************" in text and "第 1 页 共" in text
    shots = os.environ.get("FUPIN_SHOTS")
    if shots:
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "4", str(pdf), f"{shots}/package"],
                       check=True)


def test_viewer_can_export_masked_and_it_is_logged(services, filled, tmp_path):
    from sqlalchemy import select

    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.models import AuditEntry

    services.set_actor(Actor(None, "查看员", "viewer"))
    assert export_package(services, tmp_path / "p.xlsx").masked
    with services.db.read() as s:
        who = s.execute(select(AuditEntry.user_name).where(AuditEntry.action == "export")).scalars().all()
    assert who == ["查看员"]
