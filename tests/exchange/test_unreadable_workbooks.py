"""Damaged or odd workbooks end in a Chinese message naming the sheet, row and column — never a traceback; the
roster reads the visible sheet; values longer than their database column are import errors, not SQL errors."""
from __future__ import annotations

import zipfile

import pytest

from fupin_desktop.exchange import roster
from fupin_desktop.exchange.bounded import BoundedZip, InputFileError, Limits, check_prolog
from fupin_desktop.exchange.sheet_xml import SheetLimits, iter_rows, shared_strings, sheets

HEADER = ["姓名", "与户主关系", "户编号", "务工所在地", "住址", "备注"]


def _sheet(kit, *rows_xml: str) -> str:
    return (f'<worksheet xmlns="{kit.MAIN_NS}"><sheetData>' + kit.inline_row(1, HEADER) + "".join(rows_xml)
            + "</sheetData></worksheet>")


def _import(services, path):
    return roster.validate_roster(services, roster.inspect_roster(path))


@pytest.mark.parametrize("cell, needles", [
    ('<c r="C2" t="s"><v>99</v></c>', ["第2行C列", "共享字符串", "只有1项"]),
    ('<c r="C2" t="s"><v>x1</v></c>', ["第2行C列", "不是数字"]),
    ('<c r="C2"><v>十二</v></c>', ["第2行C列", "应为数字", "十二"]),
    ('<c r="C2" t="n"><v>1.2.3</v></c>', ["第2行C列", "应为数字"]),
])
@pytest.mark.parametrize("prefixed", [False, True], ids=["scanned", "lxml"])
def test_undecodable_cells_name_sheet_row_and_column(services, village, tmp_path, kit, cell, needles, prefixed):
    row = '<row r="2">' + kit.inline_row(2, ["王五", "户主"])[len('<row r="2">'):-len("</row>")] + cell + "</row>"
    xml = _sheet(kit, row)
    if prefixed:
        xml = (xml.replace("<", "<x:").replace("<x:/", "</x:").replace(f'xmlns="{kit.MAIN_NS}"',
                                                                        f'xmlns:x="{kit.MAIN_NS}"'))
    path = kit.write_workbook(tmp_path / "bad.xlsx", [("花名册", xml)], ["某"])
    with pytest.raises(InputFileError) as e:
        _import(services, path)
    for needle in ["bad.xlsx", "工作表“花名册”", *needles]:
        assert needle in str(e.value)


def test_missing_sheet_part(services, village, tmp_path, kit):
    path = kit.write_workbook(tmp_path / "gone.xlsx", [("花名册", _sheet(kit))], omit=("xl/worksheets/sheet1.xml",))
    with pytest.raises(InputFileError, match="缺少工作表“花名册”的内容"):
        roster.inspect_roster(path)


@pytest.mark.parametrize("part, text, needle", [
    ("xl/workbook.xml", "<workbook><sheets><sheet name='a'", "xl/workbook.xml 的 XML 格式有错"),
    ("xl/worksheets/sheet1.xml", None, "第2行的 XML 不完整"),
])
def test_xml_syntax_errors(services, village, tmp_path, kit, part, text, needle):
    sheet = _sheet(kit, kit.inline_row(2, ["王五", "户主", "H1"])[:-len("</row>")])  # row 2 never ends
    path = kit.write_workbook(tmp_path / "syntax.xlsx", [("花名册", sheet)])
    if text is not None:
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        parts[part] = text
        kit.write_parts(path, parts)
    with pytest.raises(InputFileError, match=needle):
        _import(services, path)


def test_prefixed_sheet_with_broken_xml(services, village, tmp_path, kit):
    xml = kit.sheet_of([HEADER, ["王五", "户主", "H1"]], prefix="x:").replace("</x:row></x:sheetData>", "</x:sheetData>")
    path = kit.write_workbook(tmp_path / "broken.xlsx", [("花名册", xml)])
    with pytest.raises(InputFileError, match="工作表“花名册”的 XML 格式有错"):
        _import(services, path)


def test_absurd_date_serial_is_a_row_error(services, village, tmp_path, kit):
    headers = HEADER + ["出生日期"]
    row = kit.inline_row(2, ["王五", "户主", "H1"])[:-len("</row>")] + '<c r="G2"><v>1e300</v></c></row>'
    xml = (f'<worksheet xmlns="{kit.MAIN_NS}"><sheetData>' + kit.inline_row(1, headers) + row
           + "</sheetData></worksheet>")
    plan = _import(services, kit.write_workbook(tmp_path / "date.xlsx", [("花名册", xml)]))
    assert [(e.row, e.column) for e in plan.errors] == [(2, "出生日期")]
    assert "不是有效的Excel日期" in plan.errors[0].detail


def test_a_hidden_first_sheet_is_not_read(services, village, tmp_path, kit):
    hidden = _sheet(kit, kit.inline_row(2, ["旧数据", "户主", "OLD"]))
    shown = _sheet(kit, kit.inline_row(2, ["王五", "户主", "H1"]))
    path = kit.write_workbook(tmp_path / "two.xlsx", [("旧表", hidden, "hidden"), ("花名册", shown)])
    layout = roster.inspect_roster(path)
    assert layout.sheet == "花名册"
    plan = roster.validate_roster(services, layout)
    assert [m["name"] for m in plan.members_new] == ["王五"]
    assert roster.inspect_roster(path, sheet="旧表").sheet == "旧表"  # asked for by name: read
    with pytest.raises(InputFileError, match="没有名为“别的”的工作表（有：旧表、花名册）"):
        roster.inspect_roster(path, sheet="别的")


def test_a_sheet_named_like_a_roster_is_preferred(tmp_path, kit):
    notes = f'<worksheet xmlns="{kit.MAIN_NS}"><sheetData>{kit.inline_row(1, ["填表说明"])}</sheetData></worksheet>'
    path = kit.write_workbook(tmp_path / "r.xlsx", [("说明", notes), ("东兴村花名册", _sheet(kit))])
    assert roster.inspect_roster(path).sheet == "东兴村花名册"
    path = kit.write_workbook(tmp_path / "r2.xlsx", [("说明", notes), ("Sheet2", _sheet(kit))])
    assert roster.inspect_roster(path).sheet == "Sheet2"  # no header in 说明: the next visible sheet


@pytest.mark.parametrize("column, length", [("务工所在地", 128), ("住址", 256), ("备注", 2000)])
def test_a_value_longer_than_its_column_is_an_import_error(services, village, tmp_path, kit, column, length):
    values = {"务工所在地": None, "住址": None, "备注": None, column: "长" * (length + 1)}
    rows = [HEADER, ["王五", "户主", "H1", values["务工所在地"], values["住址"], values["备注"]],
            ["王六", "户主", "H2", "长" * 10, "长" * 10, "长" * 10]]
    plan = _import(services, kit.write_workbook(tmp_path / "long.xlsx", [("花名册", kit.sheet_of(rows))]))
    assert [(e.sheet, e.row, e.column) for e in plan.errors] == [("花名册", 2, column)]
    assert f"最多{length}个字，现在有{length + 1:,}个字" in str(plan.errors[0])
    with pytest.raises(Exception, match="没有导入任何数据"):
        roster.apply_roster(services, plan)


def test_domain_lengths_match_the_database_columns():
    from sqlalchemy import String, Text

    from fupin_desktop.domain.lengths import MAX_LENGTH, NOTE_MAX
    from fupin_desktop.storage import models

    for table, fields in MAX_LENGTH.items():
        columns = models.Base.metadata.tables[table].c
        for field, limit in fields.items():
            kind = columns[field].type
            if isinstance(kind, Text):
                assert limit == NOTE_MAX, field
            else:
                assert isinstance(kind, String) and kind.length == limit, (table, field, kind.length, limit)


# --- the bounded layer itself ------------------------------------------------------------------------------------


def test_doctype_after_a_long_comment_or_in_utf16_is_found():
    with pytest.raises(InputFileError, match="DOCTYPE"):
        check_prolog(b'<?xml version="1.0"?>\n<!-- ' + b"x" * 30000 + b' -->\n<!DOCTYPE a [<!ENTITY b "c">]><a/>',
                     "x")
    with pytest.raises(InputFileError, match="DOCTYPE"):
        check_prolog('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a/>'.encode("utf-16"), "x")
    with pytest.raises(InputFileError, match="开头异常"):
        check_prolog(b"<!-- " + b"x" * 70000, "x", Limits())
    check_prolog(b'<?xml version="1.0"?><!-- fine --><worksheet><!DOCTYPE is text here/></worksheet>', "x")


def test_total_bytes_are_counted_across_parts(tmp_path, kit):
    parts = {f"p{i}.bin": b"0" * 100_000 for i in range(5)}
    path = kit.write_parts(tmp_path / "many.zip", parts)
    with BoundedZip(path, Limits(max_total_bytes=350_000)) as z:
        for name in ("p0.bin", "p1.bin", "p2.bin"):
            assert len(z.read(name, xml=False)) == 100_000
        with pytest.raises(InputFileError, match="解压后超过"):
            z.read("p3.bin", xml=False)


def test_file_size_and_entry_count_are_checked_before_reading(tmp_path, kit):
    path = kit.write_parts(tmp_path / "entries.zip", {f"e{i}": b"" for i in range(50)})
    with pytest.raises(InputFileError, match="部件超过 20 个"):
        BoundedZip(path, Limits(max_entries=20))
    with pytest.raises(InputFileError, match="超过了能读取的"):
        BoundedZip(path, Limits(max_file_bytes=1000))
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(InputFileError, match="不完整或已损坏"):
        BoundedZip(tmp_path / "junk.zip")


def test_sheet_limits_on_rows_and_row_numbers(tmp_path, kit):
    path = kit.write_workbook(tmp_path / "r.xlsx", [("表", kit.sheet_of([["x"]] * 30))])
    with BoundedZip(path) as z:
        member = sheets(z)[0].member
        with pytest.raises(InputFileError, match="工作表“表”超过 20 行"):
            list(iter_rows(z, member, shared_strings(z), limits=SheetLimits(max_rows=20)))
    far = kit.sheet_of([["x"]]).replace('r="1"', 'r="2000000"').replace('r="A1"', 'r="A2000000"')
    path = kit.write_workbook(tmp_path / "far.xlsx", [("表", far)])
    with BoundedZip(path) as z, pytest.raises(InputFileError, match="超过 1,048,576 行"):
        list(iter_rows(z, sheets(z)[0].member, []))


def test_too_many_shared_strings(tmp_path, kit):
    path = kit.write_workbook(tmp_path / "s.xlsx", [("表", kit.sheet_of([["x"]]))], [str(i) for i in range(50)])
    with BoundedZip(path) as z, pytest.raises(InputFileError, match="超过 10 个共享字符串"):
        shared_strings(z, SheetLimits(max_shared_strings=10))
