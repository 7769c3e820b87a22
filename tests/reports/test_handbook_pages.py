"""一户一册 (issue 17): each household's pages are numbered on their own (本户第2页 共3页) besides the book's
第X页 共Y页, its name heads every continuation page, its last page carries 户主签字 / 帮扶责任人签字, and a household
never monitored shows nothing about monitoring."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest

from fupin_desktop.reports.handbook import ever_monitored, write_handbook
from fupin_desktop.services.reporting import Period, ReportFilter

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

MONITORING_WORDS = ("监测环节", "识别时间", "风险消除")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    from fupin_desktop.services import Services
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.migrate import open_database

    folder = tmp_path_factory.mktemp("handbook")
    db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    generate_demo(db, 40, seed=3, year=2023)
    s = Services(db, actor=Actor(None, "测试", "admin"), data_dir=folder, today=lambda: date(2024, 1, 10))
    # one household more under monitoring (entered as the county system shows it), beside the never-monitored ones
    from fupin_desktop.services.monitoring import EarlierRecord

    plain = next(b for b in s.reporting.handbook(ReportFilter(Period.year(2023))).books if not ever_monitored(b))
    hid = next(h.id for h in s.households.page(__import__("fupin_desktop.storage.queries.households", fromlist=["x"])
                                                  .HouseholdQuery(), 0, 100) if h.number == plain.household.number)
    s.monitoring.record_earlier(hid, EarlierRecord("unstable", ("illness",), date(2023, 3, 1)))
    hb = s.reporting.handbook(ReportFilter(Period.year(2023)))
    path = write_handbook(folder / "hb.pdf", hb)
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")[:-1]
    yield hb, pages
    db.dispose()


def _sections(hb, pages):
    """(book, its pages' texts) — a household starts on the page whose heading names it."""
    starts = []
    for b in hb.books:
        head = f"{b.household.head_name}户（{b.household.number}）"
        first = next(i for i, t in enumerate(pages) if head in t and "本户第1页" in t)
        starts.append((first, b))
    out = []
    for k, (first, b) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(pages)
        out.append((b, pages[first:end]))
    return out


def test_every_household_page_is_numbered_and_named(book):
    hb, pages = book
    total = len(pages)
    multi = 0
    for b, own in _sections(hb, pages):
        n = len(own)
        multi += n > 1
        name = f"{b.household.head_name}户（{b.household.number}）"
        for k, text in enumerate(own, start=1):
            assert f"本户第{k}页 共{n}页" in text, (name, k, n)
            assert re.search(rf"第\d+页 共{total}页", text)  # and the book's own numbers
            if k > 1:
                assert f"{name}（续）" in text.replace(" ", "")
        assert "户主签字" in own[-1] and "帮扶责任人签字" in own[-1]
    assert multi >= 1  # the demo has households longer than a page


def test_never_monitored_households_show_nothing_about_monitoring(book):
    hb, pages = book
    seen = {True: 0, False: 0}
    for b, own in _sections(hb, pages):
        text = "".join(own)
        monitored = ever_monitored(b)
        seen[monitored] += 1
        for word in MONITORING_WORDS:
            assert (word in text) == monitored, (b.household.head_name, word)
    assert seen[True] and seen[False]
