"""Fixtures of the exchange tests: roster workbooks written the way people keep them."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fupin_desktop.domain.idcard import make_id

ROSTER_HEADERS = ["序号", "姓名", "与户主关系", "户编号", "证件号码", "出生日期", "联系电话", "民族", "村民小组"]


def person_id(n: int) -> str:
    """A valid, unique ID number for person n (born 1950…2009)."""
    born = date(1950 + n % 60, 1 + n % 12, 1 + n % 28)
    return make_id("130204", born, n % 1000)


def roster_rows(households: int, per_household: int = 3, start: int = 0) -> list[list]:
    rows = []
    relations = ["户主", "配偶", "之子", "之女", "之孙子"]
    n = start * per_household
    for h in range(start, start + households):
        for k in range(per_household):
            pid = person_id(n)
            born = date(int(pid[6:10]), int(pid[10:12]), int(pid[12:14]))
            rows.append([len(rows) + 1, f"张{h}{'甲乙丙丁戊'[k]}", relations[k], f"1302042032130{h:05d}", pid,
                         born, "13812345678" if k == 0 else None, "汉族", f"{1 + h % 5}组"])
            n += 1
    return rows


def write_roster(path: Path, rows: list[list], headers=ROSTER_HEADERS, title: str | None = "东兴村农户花名册") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.append(["填报单位：东兴村", None, None, None, None, "2024年6月"])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def roster_file(tmp_path):
    def make(rows, **kw):
        return write_roster(tmp_path / "roster.xlsx", rows, **kw)
    return make


@pytest.fixture
def kit():
    """Helper functions for tests (importlib mode: tests cannot import conftest)."""
    import types

    return types.SimpleNamespace(person_id=person_id, roster_rows=roster_rows, write_roster=write_roster,
                                 headers=list(ROSTER_HEADERS))
