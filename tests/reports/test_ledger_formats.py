"""Table dates in one style and money in 元 with two decimals across every ledger of the registry (issue 17):
dates 2023.05.03 (reports/cells.py says why), months 2023.05; 万元 columns say 万元 and keep two decimals."""
from __future__ import annotations

import re
from datetime import date

import pytest

from fupin_desktop.reports import common, registry
from fupin_desktop.services.reporting import Period, ReportFilter

def request(services, key: str) -> registry.Request:
    """The year 2023 of the demo; a document printed per 发放批次 (the 发放签收表) takes the biggest batch."""
    flt = ReportFilter(Period.year(2023))
    if registry.BATCH in registry.get(key).options:
        batch = max(services.reporting.sign_sheet_batches(flt), key=lambda b: b.distributions)
        return registry.Request(key, flt, donation_id=batch.donation_id)
    return registry.Request(key, flt)


NOT_LEDGERS = {"handbook", "diary_book", "summary"}
OTHER_DATES = re.compile(r"\d{4}-\d{1,2}(-\d{1,2})?|\d{4}/\d{1,2}/\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日")
MONEY_TITLE = re.compile(r"金额|（元）|万元|投资|价值|已到位|待到位|纯收入")
TWO_DECIMALS = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{2}$")


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """(document key, columns, rows incl. the 合计 row) of every table every registry ledger lays out."""
    from fupin_desktop.services import Services
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.migrate import open_database

    folder = tmp_path_factory.mktemp("formats")
    db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    generate_demo(db, 30, seed=7, year=2023)
    services = Services(db, actor=Actor(None, "测试", "admin"), data_dir=folder, today=lambda: date(2024, 1, 10))
    seen: list = []
    real = common.fit_table
    key = ""

    def spy(columns, rows, available, totals=(), header=True):
        seen.append((key, list(columns), list(rows) + ([list(totals)] if totals else [])))
        return real(columns, rows, available, totals, header)

    mp = pytest.MonkeyPatch()
    mp.setattr(common, "fit_table", spy)
    try:
        for doc in registry.DOCUMENTS:
            if doc.key in NOT_LEDGERS:
                continue
            key = doc.key
            registry.generate(services, request(services, doc.key), folder / f"{doc.key}.pdf")
    finally:
        mp.undo()
        db.dispose()
    return seen


def test_every_table_date_is_written_2023_05_03(tables):
    dated = 0
    for key, _cols, rows in tables:
        for row in rows:
            for text in row:
                assert not OTHER_DATES.search(text), f"{key}: {text!r} is not in the table date style 2023.05.03"
                dated += bool(re.fullmatch(r"\d{4}\.\d{2}\.\d{2}", text))
    assert dated > 50


def test_money_has_two_decimals_and_wan_columns_say_so(tables):
    amounts = 0
    for key, cols, rows in tables:
        for i, col in enumerate(cols):
            if not MONEY_TITLE.search(col.title) and not (key == "projects" and col.align == "RIGHT"):
                continue
            for row in rows:
                if row[i]:
                    assert TWO_DECIMALS.match(row[i]), f"{key} {col.title}: {row[i]!r}"
                    amounts += 1
    assert amounts > 30
    projects = next(cols for key, cols, _ in tables if key == "projects")
    money = [c.title for c in projects if c.align == "RIGHT"]
    assert money and all("万元" in t for t in money), money
