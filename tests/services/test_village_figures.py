"""村基本情况 (issue 17 item 7): the village's own figures derived from the members — 劳动力, students by level,
党员 and 预备党员, 残疾人, 低保 and 特困 persons — beside the 村情 figures the team entered, with a note where they
differ; the printed 村基本情况表 and the 上报表's 村基本情况 sheet state the same lines."""
from __future__ import annotations

import subprocess
from datetime import date

import openpyxl
import pytest

from fupin_desktop.domain.idcard import make_id
from fupin_desktop.services.households import HouseholdInput, MemberInput
from fupin_desktop.services.report_lines import Period, ReportFilter
from fupin_desktop.services.village import ProfileInput
from fupin_desktop.services.village_figures import village_people

YEAR = 2024
FLT = ReportFilter(Period.year(YEAR))


def _m(name, relation, seq, **kw) -> MemberInput:
    return MemberInput(name=name, relation=relation, id_number=make_id("130204", date(1970 + seq, 1, 1), seq), **kw)


@pytest.fixture
def families(services, village):
    h = services.households
    h.create(HouseholdInput(head_name="张三", group_name="一组", household_type="alleviated_dibao"), [
        _m("张三", "head", 11, political_status="party_member", labour_skill="ordinary", dibao=True),
        _m("王芳", "spouse", 12, political_status="probationary", labour_skill="weak", health=("disabled",),
           disability_category="4", dibao=True),
        _m("张小明", "son", 13, schooling="undergraduate2", labour_skill="none"),
        _m("张小红", "daughter", 15, schooling="grade8"),  # 劳动技能 not filled
    ])
    h.create(HouseholdInput(head_name="李四", group_name="二组", household_type="wubao"), [
        _m("李四", "head", 21, labour_skill="lost", tekun=True, disability_category="1"),
        _m("李小花", "daughter", 23, schooling="primary", labour_skill="none"),
        _m("李小军", "son", 25, schooling="vocational1", labour_skill="none"),
        _m("李大军", "son", 27, schooling="high2", labour_skill="skilled", political_status="league_member"),
    ])
    h.create(HouseholdInput(head_name="赵六", group_name="二组"), [
        _m("赵六", "head", 31, labour_skill="skilled", political_status="party_member"),
    ])
    return services


def test_figures_from_the_members(families):
    p = village_people(families.reporting, FLT)
    assert (p.households, p.population, p.groups) == (3, 9, 2)
    assert p.labour == 4  # ordinary, weak, skilled ×2 (lost / none do not count)
    assert p.labour_unknown == 1
    assert (p.students_higher, p.students_secondary, p.students_primary) == (2, 2, 1)
    assert (p.party_members, p.probationary_members) == (2, 1)
    assert p.disabled == 2  # 健康状况 残疾, or a 残疾类别 alone
    assert (p.dibao_people, p.dibao_households, p.tekun_people, p.tekun_households) == (2, 1, 1, 1)
    assert p.profile_year is None and not any(x.differs for x in p.lines())


def test_profile_figures_beside_the_members_with_a_note_where_they_differ(families):
    families.village.save_profile(ProfileInput(year=2023, households=3, population=12, groups=2, party_members=5))
    p = village_people(families.reporting, FLT)
    lines = {x.title: x for x in p.lines()}
    assert lines["户数（户）"].entered == 3 and not lines["户数（户）"].differs
    pop = lines["人口（人）"]
    assert (pop.derived, pop.entered) == (9, 12) and pop.differs
    assert "2023年村情填报12人，按家庭成员统计9人，相差3人" in pop.note
    party = lines["党员（人）"]
    assert (party.derived, party.entered) == (3, 5) and "相差2人" in party.note


def test_the_printed_sheet_and_the_report_book_state_the_same_lines(families, tmp_path):
    from fupin_desktop.exchange.report_book import export_report_book
    from fupin_desktop.reports.registry import Request, generate

    families.village.save_profile(ProfileInput(year=2024, households=3, population=10, party_members=3,
                                               farmland_mu=None))
    pdf = generate(families, Request("village_facts", FLT), tmp_path / "村基本情况.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    squeezed = "".join(text.split())
    assert "村基本情况表" in squeezed
    for title, value in (("劳动力（人）", "4"), ("大中专（人）", "2"), ("中学（人）", "2"), ("小学（人）", "1"),
                         ("预备党员（人）", "1"), ("残疾人（人）", "2"), ("低保对象（人）", "2"),
                         ("特困供养人员（人）", "1")):
        assert f"{title}{value}" in squeezed, title
    assert "2024年村情填报10人，按家庭成员统计9人，相差1人" in "".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())

    export_report_book(families, tmp_path / "上报表.xlsx", FLT)
    ws = openpyxl.load_workbook(tmp_path / "上报表.xlsx")["村基本情况"]
    sheet = {str(r[0]).strip(): r[1:] for r in ws.iter_rows(values_only=True) if r[0]}
    assert sheet["劳动力（人）"][0] == 4
    assert sheet["其中：大中专（人）"][0] == 2
    assert sheet["低保对象（人）"][0] == 2 and "涉及1户" in sheet["低保对象（人）"][2]
    assert sheet["人口（人）"][:2] == (9, 10)


def test_the_summary_opens_with_the_village_figures(families):
    from fupin_desktop.reports.summary import draft_text

    families.village.save_profile(ProfileInput(year=2024, population=12, party_members=3))
    text = draft_text(families.reporting.summary_figures(FLT))
    opening = text.split("一、")[0]
    assert ("全村共3户9人，2个村民小组，劳动力4人；在校学生5人（大中专2人、中学2人、小学1人）；党员3人（其中预备党员1人）；"
            "残疾人2人；低保对象2人、特困供养人员1人。") in opening
    assert "2024年村情填报人口12人" in opening and "党员3人。" not in opening.split("村情填报")[1]
