"""乡镇汇总表 from a township database of three villages merged from their 同步包: one row per village and a total,
the township's name in the title, two-row headers on A4 landscape at ≥ 8 pt, and each village's 监测对象 equal to
its own 监测户花名册 and its own 工作总结 (on its laptop) and to the township database's ledger of that village."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from fupin_desktop.exchange.report_layout import print_font
from fupin_desktop.exchange.township import write_township_summary
from fupin_desktop.services.report_book import ReportBookService
from fupin_desktop.services.reporting import Period, ReportFilter

from tests.sync_helpers import Laptop

pytestmark = pytest.mark.slow

VILLAGES = [("东兴村", "130204203213", 60), ("西山村", "130204203214", 45), ("南河村", "130204203215", 40)]


def _still_monitored(ledger) -> int:
    # counted here from the ledger's own rows: a 监测对象 category, risk not eliminated
    return sum(1 for r in ledger.rows if r.monitoring_category and not r.risk_eliminated)


def test_township_summary_of_three_merged_villages(tmp_path, template_db):
    flt = ReportFilter(Period.year(2024))  # the demo of tests/sync_helpers.Laptop is dated 2024
    own = {}
    packs = []
    for i, (name, code, n) in enumerate(VILLAGES):
        laptop = Laptop(tmp_path / name, template_db)
        laptop.demo(n, seed=30 + i, village=name, division=code)
        rep = laptop.services.reporting
        own[name] = (_still_monitored(rep.ledger("monitored", flt)), rep.summary_figures(flt).monitored_now,
                     len(rep.ledger("roster", flt).rows))
        packs.append(laptop.pack())
        laptop.close()
    assert all(ledger == summary for ledger, summary, _ in own.values()), own
    assert sum(m for m, _, _ in own.values()) > 0  # the figure is not trivially zero

    township = Laptop(tmp_path / "乡镇", template_db)
    township.merge(*packs)
    out = write_township_summary(township.services, tmp_path / "乡镇汇总.xlsx", flt)
    ids = {name: vid for vid, name, _, _ in ReportBookService(township.services.ctx).villages()}
    assert set(ids) == set(own)
    for name, vid in ids.items():  # the township database's ledger of the village says the same
        ledger = township.services.reporting.ledger("monitored", replace(flt, village_id=vid))
        assert _still_monitored(ledger) == own[name][0], name
    township.close()

    ws = openpyxl.load_workbook(out)["乡镇汇总"]
    assert "大庄坨乡" in ws["A1"].value and "汇总" in ws["A1"].value
    assert ws.print_title_rows.replace("$", "") == "3:4"
    titles = [ws.cell(4, c).value or ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    col = {t: i + 1 for i, t in enumerate(titles)}
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]
    assert print_font(widths) >= 8 and ws.page_setup.orientation == "landscape"
    by_village = {ws.cell(r, 1).value: r for r in range(5, 5 + len(VILLAGES))}
    assert set(by_village) == {name for name, _, _ in VILLAGES}
    for name, (monitored, _, households) in own.items():
        r = by_village[name]
        assert ws.cell(r, col["监测对象（在监测）"]).value == monitored, name
        assert ws.cell(r, col["户数"]).value == households, name
    total = 5 + len(VILLAGES)
    assert ws.cell(total, 1).value.startswith("合计")
    assert ws.cell(total, col["监测对象（在监测）"]).value == sum(m for m, _, _ in own.values())
    assert ws.cell(total, col["户数"]).value == sum(h for _, _, h in own.values())
