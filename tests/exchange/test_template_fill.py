"""Filling the county's own template (exchange/template_fill.py): a template built here like counties make them
(merged title, two-row header with 序号 and 县/乡/村/组, styles, a validation list, a second sheet) is filled for a
demo village through the CLI: every merged range, style, width and validation of the original is kept, nothing
is added, and there is one row per family member."""
from __future__ import annotations

import shutil

import openpyxl
import pytest
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

pytestmark = pytest.mark.slow

HEADERS_TOP = ["序号", "县", "乡镇", "村", "组", "户主姓名", "家庭成员信息", None, None, None, None, "备注说明"]
HEADERS_LOW = [None, None, None, None, None, None, "姓名", "与户主关系", "性别", "身份证号码", "年龄", None]


def _template(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "脱贫人口明细"
    ws.merge_cells("A1:L1")
    ws["A1"] = "XX县脱贫人口信息采集表"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    thin = Side(style="thin")
    for c, (top, low) in enumerate(zip(HEADERS_TOP, HEADERS_LOW), start=1):
        for r, v in ((2, top), (3, low)):
            cell = ws.cell(r, c, v)
            cell.font = Font(bold=True, color="FF0000" if r == 2 else "000000")
            cell.fill = PatternFill("solid", fgColor="FFFF00")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = 6 + c
    for c in (1, 2, 3, 4, 5, 6, 12):
        ws.merge_cells(start_row=2, start_column=c, end_row=3, end_column=c)
    ws.merge_cells("G2:K2")
    for c in range(1, 13):  # the first (empty) data row carries the county's data style
        ws.cell(4, c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
        ws.cell(4, c).font = Font(name="宋体", size=10)
    dv = DataValidation(type="list", formula1='"男,女"', allow_blank=True)
    dv.add("I4:I2000")
    ws.add_data_validation(dv)
    other = wb.create_sheet("填表说明")
    other["A1"] = "身份证号码填18位。"
    wb.save(path)


def _shape(path):
    wb = openpyxl.load_workbook(path)
    ws = wb["脱贫人口明细"]
    return {
        "sheets": wb.sheetnames,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "header_styles": [(ws.cell(r, c).font.b, ws.cell(r, c).font.color.rgb if ws.cell(r, c).font.color else None,
                           ws.cell(r, c).fill.fgColor.rgb, ws.cell(r, c).border.left.style, ws.cell(r, c).value)
                          for r in (1, 2, 3) for c in range(1, 13)],
        "widths": [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, 13)],
        "validations": [(d.type, d.formula1, str(d.sqref)) for d in ws.data_validations.dataValidation],
        "other": wb["填表说明"]["A1"].value,
    }, ws


def test_county_template_filled_keeps_everything(template_db, tmp_path, capsys):
    from fupin_desktop import cli
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Database

    shutil.copyfile(template_db, tmp_path / "fupin.sqlite3")
    db = Database(f"sqlite:///{tmp_path / 'fupin.sqlite3'}")
    generate_demo(db, households=30, seed=3)
    with db.engine.connect() as conn:
        members = conn.exec_driver_sql("SELECT count(*) FROM member m JOIN household h ON h.id = m.household_id "
                                       "WHERE m.deleted_at IS NULL AND h.deleted_at IS NULL").scalar_one()
    template = tmp_path / "县模板.xlsx"
    _template(template)
    before, _ = _shape(template)
    out = tmp_path / "filled.xlsx"

    import contextlib

    from fupin_desktop.services import Services
    from fupin_desktop.storage.db import Actor

    @contextlib.contextmanager
    def signed_in(need="read"):  # every verb signs in through cli.signed_in: lend it this village
        yield Services(db, actor=Actor(None, "测试管理员", "admin"), data_dir=tmp_path)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "signed_in", signed_in)
        assert cli.main(["fill", str(template), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "备注说明" in text and "没有填" in text  # the column it could not map is named
    after, ws = _shape(out)
    assert after == before  # merged ranges, header styles and texts, widths, validation list, other sheet
    rows = [[ws.cell(r, c).value for c in range(1, 13)] for r in range(4, ws.max_row + 1)]
    assert len(rows) == members  # one row per member
    assert [r[0] for r in rows] == list(range(1, members + 1))  # 序号
    assert all(r[3] == "东兴村" and r[6] and r[7] and r[8] in ("男", "女") for r in rows)
    assert all(r[9] is None or r[9].endswith("*" * 12) for r in rows)  # masked by default
    assert all(isinstance(r[10], int) for r in rows if r[10] is not None)
    assert ws.cell(5 + members, 1).value is None  # nothing added after the data
    assert ws.cell(members + 3, 9).border.left.style == "thin"  # each row styled like the template's data row
    db.dispose()
