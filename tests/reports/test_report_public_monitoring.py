"""公示 (public notice) mode, the 监测户花名册 and 帮扶措施落实台账 ledgers, the year's monitoring figures in the
工作总结, and photo thumbnails in the 一户一册 — checked on the PDFs with poppler (pdftotext, pdfimages)."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest

from fupin_desktop import cli
from fupin_desktop.domain.idcard import make_id
from fupin_desktop.reports.handbook import write_handbook
from fupin_desktop.reports.ledgers import write_ledger_pdf
from fupin_desktop.reports.summary import draft_text, figure_rows, write_summary_pdf
from fupin_desktop.services.households import HouseholdInput, IncomeInput, MemberInput
from fupin_desktop.services.measures import MeasureInput
from fupin_desktop.services.monitoring import GUARANTEE_ITEMS, StepInput
from fupin_desktop.services.reporting import Period, ReportFilter
from fupin_desktop.services.visits import CheckInput, VisitInput

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

UNMASKED_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
HEAD_ID = make_id("110101", date(1965, 1, 1), 123)  # 11010119650101123X
WIFE_ID = make_id("110101", date(1968, 2, 2), 202)


def text_of(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return out.replace("\n", "")


# --- data ---------------------------------------------------------------------------------------------------------


def sick_household(services) -> str:
    """A household with a seriously ill head, a disabled wife, a phone, ID numbers and a 2023 income."""
    hid = services.households.create(
        HouseholdInput(head_name="赵大病", household_type="alleviated", group_name="第1组", phone="13912345678",
                       risk_types=("illness", "disability")),
        [MemberInput(name="赵大病", relation="head", id_number=HEAD_ID, health=("serious_illness",),
                     labour_skill="weak"),
         MemberInput(name="钱秀英", relation="spouse", id_number=WIFE_ID, disability_category="4",
                     disability_level="2", labour_skill="none")]).value.id
    services.households.set_income(hid, IncomeInput(year=2023, wages=Decimal("12345.60"), size=2))
    return hid


IDENTIFY = [("clue", 0), ("application", 1), ("verification", 2), ("village_review", 3), ("publicity", 4),
            ("township_review", 10), ("county_approval", 12), ("identified", 14)]
ELIMINATE = [("verification", -12), ("village_review", -10), ("publicity", -9), ("township_review", -3),
             ("county_approval", -1)]


def _step(stage: str, when: date, **kw) -> StepInput:
    defaults: dict = {"actor": "张书记"}
    if stage == "clue":
        defaults["source"] = "cadre_visit"
    if stage == "identified":
        defaults.update(category="unstable", risk_types=("illness",))
    if stage == "eliminated":
        defaults["elimination_way"] = "assisted"
    defaults.update(kw)
    return StepInput(stage=stage, step_date=when, **defaults)


def seed_004(services, village) -> dict[str, str]:
    """Seed 004's history: 6 households identified in 2022 (one eliminated that year), 2 households / 5 people in
    May 2023, 4 eliminated in 2023 (one naturally), 3 households / 7 people remaining by November."""
    cadre = village[1][0]
    services.risk.set_line(2022, Decimal("6500"))
    services.risk.set_line(2023, Decimal("6800"))
    sizes = {"户一": 3, "户二": 2, "户三": 4, "户四": 2, "户五": 3, "户六": 2, "户七": 3, "户八": 2}
    ids = {}
    for name, people in sizes.items():
        members = [MemberInput(name=name, relation="head", labour_skill="ordinary", education="primary",
                               resident_medical=True)]
        members += [MemberInput(name=f"{name}家{i}", relation="son", labour_skill="none", education="primary",
                                resident_medical=True) for i in range(1, people)]
        ids[name] = services.households.create(HouseholdInput(head_name=name, household_type="alleviated",
                                                              group_name="第2组"), members).value.id
        for year in (2022, 2023):
            services.households.set_income(ids[name], IncomeInput(year=year, wages=Decimal("45000")))
    clues = {"户一": date(2022, 3, 1), "户二": date(2022, 4, 6), "户三": date(2022, 5, 9), "户四": date(2022, 6, 1),
             "户五": date(2022, 8, 8), "户六": date(2022, 3, 15), "户七": date(2023, 5, 5), "户八": date(2023, 5, 5)}
    for name, clue in clues.items():
        extra = {"category": "marginal", "risk_types": ("illness", "accident")} if clue.year == 2023 else {}
        for stage, offset in IDENTIFY:
            services.monitoring.record_step(ids[name], _step(stage, clue + timedelta(days=offset),
                                                             **(extra if stage == "identified" else {})))
    for name, on, way, note in (("户六", date(2022, 11, 20), "assisted", None),
                                ("户一", date(2023, 6, 20), "assisted", None),
                                ("户三", date(2023, 8, 18), "assisted", None),
                                ("户四", date(2023, 9, 25), "natural", "务工收入恢复，风险自然消除"),
                                ("户七", date(2023, 10, 30), "assisted", None)):
        services.visits.log_visit(VisitInput(
            household_id=ids[name], visit_date=on - timedelta(days=20), cadre_ids=(cadre.id,),
            purposes=("screening",), checks=tuple(CheckInput(item, True, None) for item in GUARANTEE_ITEMS)))
        services.monitoring.record_step(ids[name], _step("assisting", on - timedelta(days=40)))
        for stage, offset in ELIMINATE:
            services.monitoring.record_step(ids[name], _step(stage, on + timedelta(days=offset)))
        services.monitoring.record_step(ids[name], _step("eliminated", on, elimination_way=way, note=note))
    services.measures.add(MeasureInput(ids["户二"], "industry", date(2023, 3, 10), "发放肉牛养殖奖补资金",
                                       Decimal("3000"), cadre.id, "已购牛2头"))
    services.measures.add(MeasureInput(ids["户八"], "health", date(2023, 6, 2), "协助办理慢病卡",
                                       None, cadre.id, "已办理"))
    services.measures.add(MeasureInput(ids["户七"], "employment", date(2022, 9, 1), "推荐到县城务工",
                                       Decimal("500"), cadre.id, None))  # 2022: outside the 2023 ledger
    return ids


# --- 公示 mode ------------------------------------------------------------------------------------------------------


def test_public_roster_drops_health_disability_and_income_columns(services, village, tmp_path):
    sick_household(services)
    ledger = services.reporting.ledger("roster", ReportFilter(Period.year(2023)))
    normal = text_of(write_ledger_pdf(tmp_path / "roster.pdf", ledger))
    public = text_of(write_ledger_pdf(tmp_path / "roster-public.pdf", ledger, public=True))
    private = ("风险类型", "健康/残疾", "人均纯收入", "患有大病1人", "残疾1人", "因病", "因残", "6,172.80")
    for text in private:
        assert text in normal, text
        assert text not in public, text
    assert "农户花名册（公示）" in public and "本表为公示版" in public
    for text in (normal, public):  # still masked, still the other columns
        assert "赵大病" in text and "139****5678" in text and "110101************" in text
        assert HEAD_ID not in text and "13912345678" not in text and not UNMASKED_ID.search(text)


def test_public_handbook_drops_health_disability_and_income(services, village, tmp_path):
    hid = sick_household(services)
    book = services.reporting.handbook(ReportFilter(Period.year(2023)), [hid])
    normal = text_of(write_handbook(tmp_path / "hb.pdf", book))
    public = text_of(write_handbook(tmp_path / "hb-public.pdf", book, public=True))
    for text in ("收入情况", "人均纯收入", "12,345.60", "6,172.80", "患有大病", "残疾", "健康", "风险类型", "因病"):
        assert text in normal, text
        assert text not in public, text
    assert "一户一册（公示）" in public and "家庭成员" in public and "钱秀英" in public
    assert not UNMASKED_ID.search(public) and not UNMASKED_ID.search(normal)


def test_cli_report_public_option(tmp_path, capsys):
    folder = tmp_path / "data"
    assert cli.main(["--data-dir", str(folder), "demo", "--households", "30", "--year", "2023"]) == 0
    out_normal, out_public = tmp_path / "n.pdf", tmp_path / "p.pdf"
    assert cli.main(["--data-dir", str(folder), "report", "ledger-roster", "--year", "2023",
                     "--out", str(out_normal)]) == 0
    assert cli.main(["--data-dir", str(folder), "report", "ledger-roster", "--year", "2023", "--public",
                     "--out", str(out_public)]) == 0
    assert cli.main(["--data-dir", str(folder), "report", "ledger-monitored", "--year", "2023",
                     "--out", str(tmp_path / "m.pdf")]) == 0
    normal, public = text_of(out_normal), text_of(out_public)
    assert "健康/残疾" in normal and "人均纯收入" in normal
    assert "健康/残疾" not in public and "人均纯收入" not in public and "农户花名册（公示）" in public
    assert "防返贫监测户花名册" in text_of(tmp_path / "m.pdf")


# --- monitoring ledgers and figures ----------------------------------------------------------------------------------


def test_monitored_roster_shows_stage_and_dates(services, village, tmp_path):
    seed_004(services, village)
    ledger = services.reporting.ledger("monitored", ReportFilter(Period.year(2023)))
    names = [r.head_name for r in ledger.rows]
    assert sorted(names) == ["户一", "户七", "户三", "户二", "户五", "户八", "户四"]  # 户六: eliminated in 2022
    path = write_ledger_pdf(tmp_path / "monitored.pdf", ledger)
    text = text_of(path)
    assert "防返贫监测户花名册" in text and "所属期间：2023年" in text and "第1页 共1页" in text
    for header in ("监测对象类别", "风险线索日期", "识别监测时间", "当前环节", "环节日期", "消除方式", "消除日期"):
        assert header in text, header
    assert "2023.05.05" in text and "2023.05" in text  # 户七 / 户八: clue date and identification month
    assert "2023.09.25" in text and "自然消除" in text and "帮扶消除" in text  # 户四, 户一 …
    assert "边缘易致贫户" in text and "脱贫不稳定户" in text and "风险消除" in text and "纳入监测" in text
    assert "7户" in text and "4户" in text  # total: 7 households, 4 eliminated
    public = text_of(write_ledger_pdf(tmp_path / "monitored-public.pdf", ledger, public=True))
    assert "风险类型" in text and "因病" in text
    assert "风险类型" not in public and "因病" not in public and "识别监测时间" in public
    # the 第2组 filter keeps them, another group has none
    assert len(services.reporting.ledger("monitored", ReportFilter(Period.year(2023), "第2组")).rows) == 7
    assert not services.reporting.ledger("monitored", ReportFilter(Period.year(2023), "第9组")).rows
    # a period before anything was recorded lists nobody
    assert not services.reporting.ledger("monitored", ReportFilter(Period.year(2021))).rows


def test_measures_ledger_lists_the_period_measures(services, village, tmp_path):
    seed_004(services, village)
    ledger = services.reporting.ledger("measures", ReportFilter(Period.year(2023)))
    assert [m.content for m in ledger.rows] == ["发放肉牛养殖奖补资金", "协助办理慢病卡"]
    text = text_of(write_ledger_pdf(tmp_path / "measures.pdf", ledger))
    assert "帮扶措施落实台账" in text and "金额单位：元" in text
    for header in ("落实日期", "措施类别", "措施内容", "责任人", "落实成效", "开发式"):
        assert header in text, header
    assert "2023.03.10" in text and "产业帮扶" in text and "健康帮扶" in text and "已购牛2头" in text
    assert "3,000.00" in text and "2项" in text and "2户" in text
    assert "推荐到县城务工" not in text  # 2022


def test_summary_states_the_years_monitoring_figures(services, village, tmp_path):
    """Seed 004: "2023年5月大排查新纳入监测户2户5人，其中消除风险4户，截至11月未消除风险监测户3户7人"."""
    seed_004(services, village)
    fig = services.reporting.summary_figures(ReportFilter(Period.custom(date(2023, 1, 1), date(2023, 11, 30))))
    m = fig.monitoring
    assert (m.identified_households, m.identified_people) == (2, 5)
    assert m.eliminated_households == 4 and (m.remaining_households, m.remaining_people) == (3, 7)
    draft = draft_text(fig)
    assert "2023年（截至11月30日）新识别纳入监测2户5人" in draft
    assert "风险消除4户12人（帮扶消除3户10人、自然消除1户2人）" in draft
    assert "截至11月30日未消除风险监测户3户7人" in draft
    assert "2023年初在监测户5户14人" in draft
    rows = dict(figure_rows(fig))
    assert rows["监测对象：2023年新识别纳入"] == "2户5人"
    assert rows["监测对象：截至11月30日未消除风险"] == "3户7人"
    assert rows["　帮扶消除"] == "3户10人" and rows["　自然消除"] == "1户2人"
    text = text_of(write_summary_pdf(tmp_path / "summary.pdf", draft, fig))
    assert "新识别纳入监测2户5人" in text and "未消除风险监测户3户7人" in text
    assert "监测对象：2023年风险消除" in text and "4户12人" in text
    # the whole year 2023 (as of its end: 户八, 户二, 户五 remain too)
    year = services.reporting.summary_figures(ReportFilter(Period.year(2023)))
    assert "截至2023年底未消除风险监测户3户7人" in draft_text(year)


# --- photos in the handbook --------------------------------------------------------------------------------------


def test_handbook_shows_visit_photos_as_thumbnails(services, village, tmp_path):
    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages not installed")
    from PIL import Image

    cadre = village[1][0]
    hid = sick_household(services)
    visit = services.visits.log_visit(VisitInput(hid, date(2023, 5, 6), (cadre.id,), ("policy",))).value
    jpg, png = tmp_path / "门口.jpg", tmp_path / "院子.png"
    Image.new("RGB", (1600, 1200), (200, 40, 40)).save(jpg, "JPEG")  # a phone photo is embedded smaller
    Image.new("RGB", (200, 300), (40, 120, 200)).save(png, "PNG")
    turned = tmp_path / "侧拍.jpg"  # taken with the phone on its side: EXIF orientation 6 (rotate 90°)
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (400, 300), (40, 160, 60)).save(turned, "JPEG", exif=exif)
    for f in (jpg, png, turned):
        services.attachments.attach("visit", visit.id, f)
    book = services.reporting.handbook(ReportFilter(Period.year(2023)), [hid])
    assert len(book.books[0].photos) == 3
    path = write_handbook(tmp_path / "photos.pdf", book)
    listing = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    images = [ln.split() for ln in listing.splitlines()[2:] if ln.strip()]
    assert len(images) == 3, listing
    assert sorted((int(i[3]), int(i[4])) for i in images) == [(200, 300), (300, 400), (800, 600)]  # w, h; upright
    assert all(i[8] == "jpeg" for i in images)
    assert "照片" in text_of(path)
