"""The team's registers and 公示 notices rendered from a demo village through the one registry (the CLI's and the
reports page's): title, what each page must carry, page counts, masking and the embedded font."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest

from fupin_desktop.reports import registry
from fupin_desktop.services.reporting import Period, ReportFilter

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

YEAR = 2023
FLT = ReportFilter(Period.year(YEAR))
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def text_of(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pages_of(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def fonts_embedded(path) -> bool:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    lines = [ln for ln in out.splitlines()[2:] if ln.strip()]
    return bool(lines) and all("WenQuanYiMicroHei" in ln and " yes yes " in ln for ln in lines)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from fupin_desktop.services import Services
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.storage.db import Actor
    from fupin_desktop.storage.migrate import open_database

    folder = tmp_path_factory.mktemp("registers-render")
    db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    generate_demo(db, 30, seed=3, year=YEAR)
    yield Services(db, actor=Actor(None, "测试", "admin"), data_dir=folder, today=lambda: date(YEAR + 1, 1, 10))
    db.dispose()


def render(services, key, tmp_path, **kw):
    path = registry.generate(services, registry.Request(key, FLT, **kw), tmp_path / f"{key}.pdf")
    assert fonts_embedded(path)
    return path, text_of(path)


def test_team_roster(demo, tmp_path):
    path, text = render(demo, "team_roster", tmp_path)
    rows = demo.registers.team_roster(FLT).rows
    assert "驻村工作队花名册" in text and "第一书记" in text and "第1页 共1页" in text
    for r in rows:
        assert r.name in text and r.unit in text and str(r.village_days) in text
    assert not PHONE.search(text)  # phones masked as in every ledger
    assert "****" in text and "单位负责人" in text


def test_sign_in_sheets_one_month_a_page(demo, tmp_path):
    path, text = render(demo, "sign_in", tmp_path)
    assert pages_of(path) == 12  # each month fits its page (A4 landscape, 31 day columns)
    pages = text.split("\f")
    _, months = demo.registers.sign_in_sheets(FLT)
    for page, m in zip(pages, months):
        assert f"（{YEAR}年{m.month}月）" in page and "本人签字" in page and "图例" in page
        assert str(m.length) in page
        for r in m.rows:
            assert r.name in page
            assert str(r.count("in_village")) in page


def test_meetings_one_page_each_with_a_sign_in_table(demo, tmp_path):
    path, text = render(demo, "meetings", tmp_path)
    rows = demo.registers.meetings(FLT).rows
    assert pages_of(path) == len(rows)  # the sign-in table stays with its meeting
    for page, m in zip(text.split("\f"), rows):
        assert "会议记录" in page and "会议签到" in page and m.topic in page and "记录人" in page
        assert "主持人（签字）" in page


def test_fund_book_states_its_definition_and_balances(demo, tmp_path):
    from fupin_desktop.domain.money import format_yuan

    path, text = render(demo, "fund_book", tmp_path)
    _, book = demo.registers.fund_book(FLT)
    squeezed = re.sub(r"\s+", "", text)
    assert "资金台账" in text and "金额单位：元" in text and "口径：收入" in squeezed
    for fund in book.funds():
        assert fund in text
        last = [e for e in book.entries if e.fund == fund][-1]
        assert format_yuan(last.balance) in text  # each fund's closing balance is printed (its 小计)
    assert "合计" in text and f"{len(book.funds())}项资金" in text


def test_goods_stock(demo, tmp_path):
    path, text = render(demo, "goods_stock", tmp_path)
    rows = demo.registers.goods_stock(FLT).rows
    assert "捐赠物资收发存台账" in text and "期末结存" in text and "保管人签字" in text
    for r in rows:
        assert r.name in text
    assert f"{len(rows)}种" in text


def test_guarantee_checks(demo, tmp_path):
    path, text = render(demo, "guarantee_checks", tmp_path)
    rows = demo.registers.guarantee_checks(FLT).rows
    assert "两不愁三保障" in text and "饮水安全" in text and "核查结论" in text and "√ 达标，× 未达标" in text
    assert text.count("√") >= sum(sum(r.items.values()) for r in rows)
    assert f"{len(rows)}户次" in text
    for r in rows:
        assert r.number in text


def test_project_assets(demo, tmp_path):
    path, text = render(demo, "assets", tmp_path)
    rows = demo.registers.project_assets(FLT).rows
    assert "项目资产台账" in text and "资产价值" in text and "产权归属" in text
    labels = {"operating": "经营性", "public": "公益性", "household": "到户类"}
    for r in rows:
        assert r.number in text and labels[r.asset_type] in text


def test_registers_have_no_public_form_and_say_so_by_their_title(demo, tmp_path):
    from fupin_desktop.reports.public import NoPublicForm

    for key in ("team_roster", "sign_in", "meetings", "fund_book", "goods_stock", "guarantee_checks", "assets"):
        with pytest.raises(NoPublicForm, match="没有公示版") as err:
            registry.generate(demo, registry.Request(key, FLT, public=True), tmp_path / f"{key}.pdf")
        assert registry.get(key).title in str(err.value) and key not in str(err.value)


def test_sign_in_sheet_shows_the_days_before_joining_as_dashes(demo, tmp_path):
    first = min(r.start_date for r in demo.registers.team_roster(FLT).rows)
    assert first.day > 1
    flt = ReportFilter(Period.month(first.year, first.month))
    path = registry.generate(demo, registry.Request("sign_in", flt), tmp_path / "joined.pdf")
    text = text_of(path)
    assert pages_of(path) == 1 and f"（{first.year}年{first.month}月）" in text
    assert text.count("—") >= first.day - 1  # at least one member's days before joining
