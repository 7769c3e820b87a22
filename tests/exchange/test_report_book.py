"""上报表 (exchange/report_book.py) of a 300-household demo village, read back with openpyxl as a clerk's program
would: no ids, UUIDs, timestamps or code values; every sheet prints on A4 landscape at ≥ 8 pt; names in every
reference column; rows in 村民小组/户编号 or date order; masked, full and 公示 forms."""
from __future__ import annotations

import contextlib
import re
import shutil
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from fupin_desktop.domain import codes

pytestmark = pytest.mark.slow

HOUSEHOLDS = 300
UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)
A4_LANDSCAPE_PT = 297 / 25.4 * 72
EXPECTED_SHEETS = ["村基本情况", "工作队花名册", "农户花名册", "家庭成员", "结对帮扶", "走访台账", "问题清单（销号台账）",
                   "民情日记", "工作日志（会议）", "考勤汇总", "项目台账", "捐赠台账", "发放签收", "消费帮扶", "监测对象",
                   "帮扶措施"]
# reference columns: each must name a person, household, project or donor in every data row
NAME_COLUMNS = {"户主", "走访人", "帮扶责任人", "记录人", "捐赠方", "项目名称", "户主/领取人", "姓名"}
HOUSEHOLD_SHEETS = ("农户花名册", "家庭成员", "结对帮扶", "监测对象")  # ordered by 村民小组 then 户编号
DATED_SHEETS = {"走访台账": "走访日期", "问题清单（销号台账）": "提出日期", "民情日记": "日期", "工作日志（会议）": "日期",
                "捐赠台账": "接收日期", "发放签收": "发放日期", "消费帮扶": "日期", "帮扶措施": "落实日期"}


@pytest.fixture(scope="module")
def books(template_db, tmp_path_factory):
    from fupin_desktop import cli
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Database

    folder = tmp_path_factory.mktemp("report-book")
    shutil.copyfile(template_db, folder / "fupin.sqlite3")
    db = Database(f"sqlite:///{folder / 'fupin.sqlite3'}")
    generate_demo(db, households=HOUSEHOLDS, seed=7)
    with db.engine.connect() as conn:
        ids = {r[0] for r in conn.exec_driver_sql("SELECT id_number FROM member WHERE id_number IS NOT NULL")}
        heads = {n: h for n, h in conn.exec_driver_sql("SELECT number, head_name FROM household WHERE deleted_at IS NULL")}
    out = {}
    from fupin_desktop.services import Services
    from fupin_desktop.storage.db import Actor

    lent = Services(db, actor=Actor(None, "测试管理员", "admin"), data_dir=folder)

    @contextlib.contextmanager
    def signed_in(need="read"):  # every verb signs in through cli.signed_in: lend it this village
        yield lent

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "signed_in", signed_in)
        for form, flag in (("masked", []), ("full", ["--full"]), ("public", ["--public"])):
            path = folder / f"{form}.xlsx"
            assert cli.main(["export", "--out", str(path)] + flag) == 0
            out[form] = openpyxl.load_workbook(path)
    db.dispose()
    return out, ids, heads


def _layout(ws):
    """(header row index, titles, first data row, last data row) read from the sheet itself."""
    top = ws.print_title_rows  # e.g. "3:4"
    a, b = (int(x) for x in top.replace("$", "").split(":"))
    titles = []
    for col in range(1, ws.max_column + 1):
        titles.append(ws.cell(b, col).value or ws.cell(a, col).value)
    last = b
    for r in range(b + 1, ws.max_row + 1):
        first = ws.cell(r, 1).value
        if first is None or str(first).startswith(("合计", "（本期无记录）")):
            break
        last = r
    return b, titles, b + 1, last


def _printed_font(ws) -> float:
    """Font of the data (10 pt) after LibreOffice/Excel fit the column widths to A4 landscape's printable width."""
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]
    points = sum((w * 7 + 5) * 0.75 for w in widths)  # Excel width units of Calibri 11 → points
    printable = A4_LANDSCAPE_PT - 72 * (ws.page_margins.left + ws.page_margins.right)
    scale = min(1.0, printable / points)
    font = ws.cell(*_data_cell(ws)).font.sz
    return font * scale


def _data_cell(ws):
    _, _, first, _ = _layout(ws)
    return first, 1


def _natural(text):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or "") if p]


def test_sheets_fit_a4_landscape_and_carry_the_clerks_layout(books):
    wbs, _, _ = books
    assert wbs["masked"].sheetnames == EXPECTED_SHEETS
    assert wbs["full"].sheetnames == EXPECTED_SHEETS
    assert wbs["public"].sheetnames == [s for s in EXPECTED_SHEETS if s not in ("工作日志（会议）", "帮扶措施")]
    for form, wb in wbs.items():
        for ws in wb:
            where = f"{form}/{ws.title}"
            assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9", where
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, where
            assert ws.page_setup.fitToHeight == 0, where
            assert _printed_font(ws) >= 8, (where, _printed_font(ws))
            assert "东兴村" in ws["A1"].value and "A1" in str(ws.merged_cells), where
            assert "填报单位" in ws["A2"].value and "所属期间" in ws["A2"].value, where
            assert any("填报人" in str(ws.cell(r, 1).value or "") and "填报日期" in str(ws.cell(r, 1).value)
                       for r in range(ws.max_row - 3, ws.max_row + 1)), where
            assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, where
            header, titles, first, last = _layout(ws)
            assert ws.freeze_panes == f"A{first}", where
            if last >= first:
                assert ws.auto_filter.ref == f"A{header}:{get_column_letter(ws.max_column)}{last}", where
            assert None not in titles, where
    # the 项目台账's funding sources are columns under a two-row header
    ws = wbs["masked"]["项目台账"]
    assert ws.print_title_rows.replace("$", "") == "3:4"
    assert {ws.cell(4, c).value for c in range(1, ws.max_column + 1)} >= {"中央衔接资金", "省级", "县级"}


def test_no_ids_uuids_timestamps_or_code_values(books):
    wbs, _, _ = books
    code_values = {item.code for name, cl in codes.CODE_LISTS.items() for item in cl if item.code != item.label}
    assert {"ordinary", "new", "required", "operating", "household", "status"} & code_values  # the scan can find
    for form, wb in wbs.items():
        for ws in wb:
            header, titles, first, last = _layout(ws)
            for t in titles:
                assert not re.search(r"\bid\b|ID$|UUID|创建时间|更新时间|删除时间|记录编号", str(t)), (form, ws.title, t)
            for row in ws.iter_rows(min_row=1, values_only=True):
                for v in row:
                    if isinstance(v, datetime):
                        assert (v.hour, v.minute, v.second) == (0, 0, 0), (form, ws.title, v)  # dates only
                    if not isinstance(v, str):
                        continue
                    assert not UUID.search(v), (form, ws.title, v)
                    for piece in re.split(r"[、,，]", v):
                        assert piece.strip() not in code_values, (form, ws.title, v)


def test_names_in_every_reference_column_and_rows_in_order(books):
    wbs, _, heads = books
    wb = wbs["masked"]
    for ws in wb:
        header, titles, first, last = _layout(ws)
        rows = [[ws.cell(r, c).value for c in range(1, len(titles) + 1)] for r in range(first, last + 1)]
        col = {t: i for i, t in enumerate(titles)}
        for t in NAME_COLUMNS & set(titles):
            if ws.title == "问题清单（销号台账）" and t == "户主":
                continue  # a problem of the village as a whole has no household
            empty = [r for r in rows if not r[col[t]]]
            assert not empty, (ws.title, t, empty[:3])
        if "户编号" in col and "户主" in col:
            for r in rows:
                if r[col["户编号"]]:
                    assert heads[r[col["户编号"]]] == r[col["户主"]], (ws.title, r)
        if ws.title in HOUSEHOLD_SHEETS:
            keys = [(_natural(r[col["村民小组"]]), r[col["户编号"]]) for r in rows]
            assert keys == sorted(keys), ws.title
        if ws.title in DATED_SHEETS:
            dates = [r[col[DATED_SHEETS[ws.title]]] for r in rows]
            assert all(isinstance(d, datetime) for d in dates), ws.title
            assert dates == sorted(dates), ws.title
    assert len(_rows(wb["农户花名册"])) == HOUSEHOLDS
    groups = [r[0] for r in _rows(wb["农户花名册"])]
    assert groups.index("第2组") < groups.index("第7组")  # natural order, not 第1组, 第10组, 第2组
    visits = _rows(wb["走访台账"])
    assert visits and all(r[4] for r in visits)  # 走访人 named
    assert all(r[1] for r in _rows(wb["捐赠台账"]))  # 捐赠方
    assert all(r[0] for r in _rows(wb["考勤汇总"]))  # cadre name on every attendance line


def _rows(ws):
    header, titles, first, last = _layout(ws)
    return [[ws.cell(r, c).value for c in range(1, len(titles) + 1)] for r in range(first, last + 1)]


def test_masked_full_and_public_forms(books):
    wbs, ids, _ = books
    masked, full, public = wbs["masked"], wbs["full"], wbs["public"]
    m_titles = _layout(masked["家庭成员"])[1]
    f_titles = _layout(full["家庭成员"])[1]
    assert "年龄" in m_titles and "出生日期" not in m_titles  # no birth date beside a masked ID
    assert "出生日期" in f_titles and "年龄" not in f_titles
    m_ids = [r[m_titles.index("身份证号")] for r in _rows(masked["家庭成员"])]
    f_ids = [r[f_titles.index("身份证号")] for r in _rows(full["家庭成员"])]
    assert all(v is None or re.fullmatch(r"\d{6}\*+", v) for v in m_ids)
    assert {v for v in f_ids if v} <= ids and len({v for v in f_ids if v}) > 0.9 * len(ids)
    ws = masked["家庭成员"]
    first = _layout(ws)[2]
    id_col = m_titles.index("身份证号") + 1
    assert ws.cell(first, id_col).number_format == "@" and isinstance(ws.cell(first, id_col).value, str)
    roster = _layout(public["农户花名册"])[1]
    assert not {"风险类型", "健康/残疾", "人均纯收入（元）", "住址"} & set(roster)
    assert not {"家庭变化及发现", "处理措施"} & set(_layout(public["走访台账"])[1])
    assert "身份证号" not in _layout(public["家庭成员"])[1]
    for ws in public:
        assert "（公示）" in ws["A1"].value
