"""The fast sheet reader gives the cell values as written, whatever shape the writer chose for the XML."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from fupin_desktop.exchange.package import PackageError
from fupin_desktop.exchange.sheet_xml import iter_rows, shared_strings, sheet_paths

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def write_xlsx(path: Path, sheet_xml: str, strings: list[str] = ()) -> Path:
    """A minimal workbook around one hand-written sheet (and a shared-string table; an item that starts with
    "<" is written as it is)."""
    sst = "".join(s if s.startswith("<") else f"<si><t>{s}</t></si>" for s in strings)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                   '<sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/>'
                   "</Relationships>")
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{sst}</sst>')
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def rows_of(path: Path, wanted=None) -> list[tuple[int, list]]:
    with zipfile.ZipFile(path) as z:
        ((name, member),) = sheet_paths(z)
        assert name == "花名册"
        return list(iter_rows(z, member, shared_strings(z), wanted))


def test_namespace_prefixed_sheet_goes_through_lxml(tmp_path):
    xml = (f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
           '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>王&amp;李</x:t>'
           '</x:is></x:c></x:row>'
           '<x:row r="3"><x:c r="A3"><x:v>12</x:v></x:c><x:c r="B3"><x:v>1.5</x:v></x:c><x:c r="C3" t="b">'
           '<x:v>1</x:v></x:c><x:c r="D3" t="str"><x:v>公式结果</x:v></x:c></x:row>'
           "</x:sheetData></x:worksheet>")
    path = write_xlsx(tmp_path / "p.xlsx", xml, ["姓名"])
    assert rows_of(path) == [(1, ["姓名", None, "王&李"]), (3, [12, 1.5, True, "公式结果"])]
    assert rows_of(path, [2, 0]) == [(1, ["王&李", "姓名"]), (3, [True, 12])]


def test_cells_of_unusual_shape_take_the_general_way(tmp_path):
    row = ('<row r="{n}"><c t="s" r="A{n}"><v>0</v></c>'  # type before reference
           '<c r="B{n}" t="inlineStr"><is><r><t>张</t></r><r><t xml:space="preserve">三 </t></r></is></c>'  # rich text
           '<c r="D{n}" s="2" t="inlineStr"><is><t>&#26446;&#22235;&lt;</t></is></c>'  # character references
           '<c r="E{n}" t="e"><v>#N/A</v></c></row>')
    xml = f'<worksheet xmlns="{MAIN}"><sheetData>{"".join(row.format(n=n) for n in range(1, 31))}</sheetData></worksheet>'
    path = write_xlsx(tmp_path / "u.xlsx", xml, ["户主"])
    rows = rows_of(path)
    assert len(rows) == 30
    assert all(values == ["户主", "张三 ", None, "李四<", "#N/A"] for _, values in rows)
    assert rows_of(path, [3, 1])[-1] == (30, ["李四<", "张三 "])


def test_fast_path_equals_what_openpyxl_wrote(tmp_path):
    """Enough rows for the whole-row expression to be learned; then a row of another shape must still read."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    expected = []
    for i in range(60):
        values = [f"户{i}", i, i + 0.25, "之子" if i % 2 else None, "带&符号<>", True]
        ws.append(values)
        expected.append(values)
    ws.append([None, None, None, None, None, None, "第七列"])  # a column never seen before
    expected.append([None] * 6 + ["第七列"])
    path = tmp_path / "o.xlsx"
    wb.save(path)
    rows = rows_of(path)
    assert [values + [None] * (len(e) - len(values)) for (_, values), e in zip(rows, expected)] == expected
    assert [n for n, _ in rows] == list(range(1, 62))
    assert rows_of(path, [4, 0])[5] == (6, ["带&符号<>", "户5"])


def test_a_truncated_sheet_is_a_chinese_error(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    for i in range(20000):
        ws.append([f"户{i}", i, "王秀英"])
    good = tmp_path / "g.xlsx"
    wb.save(good)
    data = good.read_bytes()
    with zipfile.ZipFile(good) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    cut = tmp_path / "cut.xlsx"
    # corrupt the middle of the compressed sheet: the central directory stays readable
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2
    cut.write_bytes(data[:middle] + bytes(64) + data[middle + 64:])
    with pytest.raises(PackageError, match="损坏"):
        rows_of(cut)


RICH = [  # as LibreOffice and Excel write them
    '<si><r><rPr><sz val="11"/><rFont val="WenQuanYi Micro Hei"/></rPr><t xml:space="preserve">王</t></r>'
    '<r><rPr><sz val="11"/><rFont val="Calibri"/></rPr><t xml:space="preserve">12</t></r></si>',
    "<si><t>张三</t><rPh sb=\"0\" eb=\"1\"><t>zhang</t></rPh><phoneticPr fontId=\"1\"/></si>",
    "<si><r><t>a&amp;</t></r><r><rPr/><t>b</t></r></si>",
    "<si/>",
]
ODD = "<si><r><t>x</t></r><r><t/></r><r><t>y</t></r></si>"  # an empty run: only the general way reads it


@pytest.mark.parametrize("strings, expected, general", [
    (RICH, ["王12", "张三", "a&b", ""], False),
    (["户主"] + RICH + [ODD], ["户主", "王12", "张三", "a&b", "", "xy"], True),
], ids=["runs flattened", "general way"])
def test_shared_strings_with_rich_text_runs_and_phonetic_hints(tmp_path, monkeypatch, strings, expected, general):
    from fupin_desktop.exchange import workbook_xml

    if not general:  # the quick way must do: the general one would be several times slower on a big table
        monkeypatch.setattr(workbook_xml, "_SI", None)
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(strings)))
    xml = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    path = write_xlsx(tmp_path / "r.xlsx", xml, strings)
    with zipfile.ZipFile(path) as z:
        assert shared_strings(z) == expected
    assert rows_of(path) == [(1, expected)]
