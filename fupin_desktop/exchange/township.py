"""Township summary workbook: one row per village, computed from the villages' upward packages.

Counts households by category, visits and coverage, problems open/closed, projects and investment by funding
source, donations and consumption-support purchases. Packages are verified (checksum) before they are counted.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from fupin_desktop.domain import codes
from fupin_desktop.exchange.ledgers import inert_row
from fupin_desktop.exchange.package import Package, read_package
from fupin_desktop.fileio import atomic_path

__all__ = ["VillageFigures", "village_figures", "write_summary"]

CLOSED_PROBLEMS = frozenset({"resolved", "revisited", "unsolvable"})
ZERO = Decimal("0")


@dataclass
class VillageFigures:
    village: str
    division_code: str
    period: str
    households: int = 0
    alleviated: int = 0
    monitored: int = 0
    people: int = 0
    visits: int = 0
    visited_households: int = 0
    problems_open: int = 0
    problems_closed: int = 0
    projects: int = 0
    investment: Decimal = ZERO
    by_source: dict[str, Decimal] = field(default_factory=dict)
    donations: int = 0
    donation_amount: Decimal = ZERO
    purchase_amount: Decimal = ZERO

    @property
    def coverage(self) -> float:
        return self.visited_households / self.households if self.households else 0.0


def _live(pkg: Package, table: str) -> list[dict]:
    data = pkg.sheets.get(table)
    return [r for r in data.rows if r.get("deleted_at") is None] if data else []


def village_figures(pkg: Package) -> VillageFigures:
    f = VillageFigures(pkg.village, str(pkg.info.get("区划代码") or ""), str(pkg.info.get("期间") or ""))
    households = _live(pkg, "household")
    f.households = len(households)
    f.alleviated = sum(1 for h in households if str(h.get("household_type") or "").startswith("alleviated"))
    f.monitored = sum(1 for h in households if h.get("monitoring_category"))
    f.people = len(_live(pkg, "member"))
    visits = _live(pkg, "visit")
    f.visits = len(visits)
    f.visited_households = len({v["household_id"] for v in visits})
    for p in _live(pkg, "problem"):
        if p.get("status") in CLOSED_PROBLEMS:
            f.problems_closed += 1
        else:
            f.problems_open += 1
    projects = _live(pkg, "project")
    f.projects = len(projects)
    f.investment = sum((p.get("total_investment") or ZERO for p in projects), ZERO)
    for line in _live(pkg, "funding_line"):
        src = line.get("source") or "other"
        f.by_source[src] = f.by_source.get(src, ZERO) + (line.get("planned_amount") or ZERO)
    donations = _live(pkg, "donation")
    f.donations = len(donations)
    f.donation_amount = sum((d.get("amount") or ZERO for d in donations), ZERO)
    f.purchase_amount = sum((p.get("amount") or ZERO for p in _live(pkg, "purchase")), ZERO)
    return f


def write_summary(packages: Iterable[Package | str | Path], path: str | Path, title: str = "乡镇驻村帮扶工作汇总表",
                  progress=None, cancel=None) -> Path:
    """Verify and read the packages, write the summary workbook (temp file, then rename)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    pkgs = list(packages)
    figures: list[VillageFigures] = []
    for i, p in enumerate(pkgs):
        pkg = p if isinstance(p, Package) else read_package(p, cancel=cancel)
        figures.append(village_figures(pkg))
        if progress:
            progress(i + 1, len(pkgs), pkg.village)
    figures.sort(key=lambda v: (v.division_code, v.village))
    source_list = codes.get("funding_source")
    sources = [c for c in source_list.codes() if any(c in v.by_source for v in figures)]
    sources += sorted({s for v in figures for s in v.by_source} - set(sources))
    headers = (["序号", "村", "区划代码", "期间", "户数", "脱贫户", "监测对象", "人口", "走访户次", "走访覆盖户数",
                "走访覆盖率", "问题未办结", "问题已办结", "项目个数", "项目总投资(元)"]
               + [f"{source_list.label(s)}(元)" for s in sources]
               + ["捐赠笔数", "捐赠金额(元)", "消费帮扶金额(元)"])
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(inert_row(ws, [title]))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["金额单位：元"])
    ws.append(inert_row(ws, headers))  # a funding source read from a package is text too
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c in ws[3]:
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    money_cols = [i for i, h in enumerate(headers, start=1) if h.endswith("(元)")]
    for n, v in enumerate(figures, start=1):
        # Names, codes and periods come from other laptops' packages: text, never a formula.
        ws.append(inert_row(ws, [n, v.village, v.division_code, v.period, v.households, v.alleviated, v.monitored,
                                 v.people, v.visits, v.visited_households, v.coverage, v.problems_open,
                                 v.problems_closed, v.projects, v.investment]
                            + [v.by_source.get(s, ZERO) for s in sources]
                            + [v.donations, v.donation_amount, v.purchase_amount]))
    first, last = 4, 3 + len(figures)
    total = ["合计", "", "", ""]
    for col in range(5, len(headers) + 1):
        letter = get_column_letter(col)
        if headers[col - 1] == "走访覆盖率":
            total.append(f"=IF(E{last + 1}=0,0,J{last + 1}/E{last + 1})")
        else:
            total.append(f"=SUM({letter}{first}:{letter}{last})" if figures else 0)
    ws.append(total)
    for row in ws.iter_rows(min_row=3, max_row=last + 1):
        for c in row:
            c.border = border
            if c.column in money_cols:
                c.number_format = "#,##0.00"
            elif headers[c.column - 1] == "走访覆盖率":
                c.number_format = "0.0%"
            elif c.column == 3:
                c.number_format = "@"
    for c in ws[last + 1]:
        c.font = Font(bold=True)
    for i, h in enumerate(headers, start=1):
        # Headers wrap; money needs room for 1,234,567.89 (narrower columns show ### in Excel).
        ws.column_dimensions[get_column_letter(i)].width = 15 if i in money_cols else max(7, min(10, len(h) + 1))
    ws.row_dimensions[3].height = 45
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 22
    ws.freeze_panes = "C4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.append([])
    ws.append(["单位负责人：", "", "", "审核人：", "", "", "填表人：", "", "", "填报日期："])
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
