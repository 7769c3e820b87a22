"""发放签收表 (issue 17): one sheet per 发放批次, titled by what was given (化肥 is not 慰问), rows ≥ 12 mm for a
signature or thumbprint, one row per household with every item it received in the batch; chosen by batch on the
command line."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.reports import registry
from fupin_desktop.services.reporting import Period, ReportFilter

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

FLT = ReportFilter(Period.year(2023))
MM = 72 / 25.4


@pytest.fixture(scope="module")
def village(tmp_path_factory):
    """A small demo village plus two batches of our own: 化肥 and 地膜 from a company (not 慰问), 慰问金 in cash."""
    from fupin_desktop.services import Services
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.services.donations import CondolenceInput, DistributionInput, DonationInput, ItemInput
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.migrate import open_database
    from fupin_desktop.storage.queries.households import HouseholdQuery

    folder = tmp_path_factory.mktemp("sign")
    db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    generate_demo(db, 12, seed=11, year=2023)
    s = Services(db, actor=Actor(None, "测试", "admin"), data_dir=folder, today=lambda: date(2024, 1, 10))
    homes = list(s.households.page(HouseholdQuery(), 0, 100))[:3]
    fert = s.donations.create(DonationInput(
        date(2023, 4, 2), "goods", donor_name="丰收农资公司", purpose="春耕",
        items=(ItemInput("化肥", Decimal(10), "袋", Decimal("120.00")),
               ItemInput("地膜", Decimal(5), "卷", Decimal("35.00"))))).value  # not a 慰问: spring sowing
    fert_items = {i.name: i.id for i in fert.items}
    lines = [DistributionInput(fert.id, fert_items["化肥"], household_id=homes[0].id, quantity=Decimal(2),
                               distributed_on=date(2023, 4, 3), handler="张队员"),
             DistributionInput(fert.id, fert_items["地膜"], household_id=homes[0].id, quantity=Decimal(1),
                               distributed_on=date(2023, 4, 3), handler="张队员"),
             DistributionInput(fert.id, fert_items["化肥"], household_id=homes[1].id, quantity=Decimal(3),
                               distributed_on=date(2023, 4, 3), handler="张队员")]
    s.donations.distribute(lines)
    cash = s.donations.condolence(CondolenceInput(date(2023, 4, 20), (homes[1].id, homes[2].id),
                                                  amount_each=Decimal("300.00"), donor_name="区民政局")).value
    yield s, fert, cash, homes, folder
    db.dispose()


def _batch(s, donation_id):
    return next(b for b in s.reporting.sign_sheet_batches(FLT) if b.donation_id == donation_id)


def words_bbox(path):
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(y0), w) for y0, w in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]


def test_one_sheet_per_batch_titled_by_what_was_given(village, tmp_path):
    s, fert, cash, homes, _ = village
    path = registry.generate(s, registry.Request("sign_sheet", FLT, donation_id=fert.id), tmp_path / "f.pdf")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "化肥、地膜发放签收表" in text and "慰问" not in text
    names = {h.head_name for h in homes}
    # only this batch's two households, not the 慰问金 household nor the demo's other batches
    assert homes[0].head_name in text and homes[1].head_name in text
    if len(names) == 3:
        assert homes[2].head_name not in text
    # one row per household with all it received: 化肥 and 地膜 on the first household's row
    assert re.search(r"化肥2袋；地膜1卷", text)
    assert "领取人签字（手印）" in text and "发放人" in text and "监督人" in text
    cash_path = registry.generate(s, registry.Request("sign_sheet", FLT, donation_id=cash.id), tmp_path / "c.pdf")
    cash_text = subprocess.run(["pdftotext", str(cash_path), "-"], capture_output=True, text=True).stdout
    assert "慰问金发放签收表" in cash_text and "600.00" in cash_text


def test_sheet_lines_hold_every_item_of_the_household(village):
    s, fert, _cash, homes, _ = village
    sheet = s.reporting.sign_sheet(fert.id, FLT)
    assert len(sheet.lines) == 2  # two households, three distributions
    first = next(x for x in sheet.lines if x.number == homes[0].number)
    assert {g.name for g in first.gifts} == {"化肥", "地膜"}
    assert first.amount == Decimal("2") * Decimal("120.00") + Decimal("35.00")
    assert _batch(s, fert.id).distributions == 3


def test_rows_are_at_least_12_mm_tall(village, tmp_path):
    s, _fert, _cash, _homes, _ = village
    biggest = max(s.reporting.sign_sheet_batches(FLT), key=lambda b: b.distributions)
    sheet = s.reporting.sign_sheet(biggest.donation_id, FLT)
    assert len(sheet.lines) >= 4
    path = registry.generate(s, registry.Request("sign_sheet", FLT, donation_id=biggest.donation_id),
                             tmp_path / "big.pdf")
    words = words_bbox(path)
    tops = []
    for line in sheet.lines[:8]:  # the recipients' names, in row order on page 1
        ys = [y for y, w in words if w == line.recipient]
        if ys:
            tops.append(min(ys))
    tops.sort()
    assert len(tops) >= 4
    gaps = [b - a for a, b in zip(tops, tops[1:])]
    assert min(gaps) >= 12 * MM - 0.5, gaps


def test_the_command_line_chooses_the_batch(village, tmp_path):
    from fupin_desktop.reports.sign_sheet import choose_batch

    s, fert, cash, _homes, _ = village
    with pytest.raises(ValidationError) as err:  # no batch: the period's batches are listed to choose from
        choose_batch(s, FLT, None)
    assert "化肥、地膜" in str(err.value) and "慰问金" in str(err.value)
    listed = s.reporting.sign_sheet_batches(FLT)
    number = next(i for i, b in enumerate(listed, 1) if b.donation_id == cash.id)
    assert choose_batch(s, FLT, str(number)) == cash.id
    assert choose_batch(s, FLT, fert.id[:8]) == fert.id
    with pytest.raises(ValidationError):
        registry.generate(s, registry.Request("sign_sheet", FLT), tmp_path / "none.pdf")
