"""Roster import: header anywhere, synonyms, every problem reported, all or nothing, re-import updates."""
from __future__ import annotations

from datetime import date

import pytest

from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.exchange import roster
from fupin_desktop.exchange.package import PackageError
from fupin_desktop.services.households import HouseholdQuery


def _plan(services, path):
    layout = roster.inspect_roster(path, services.ctx.data_dir)
    return layout, roster.validate_roster(services, layout)


def test_header_found_below_merged_title_and_columns_mapped(services, village, tmp_path, kit):
    path = kit.write_roster(tmp_path / "r.xlsx", kit.roster_rows(2))
    layout = roster.inspect_roster(path)
    assert layout.header_row == 3
    assert set(layout.mapping.values()) >= {"name", "relation", "number", "id_number", "birth_date", "phone",
                                           "ethnicity", "group_name"}
    assert [h for _, h in layout.unmapped] == ["序号"]


def test_import_then_reimport_updates_not_duplicates(services, village, tmp_path, kit):
    path = kit.write_roster(tmp_path / "r.xlsx", kit.roster_rows(5))
    _, plan = _plan(services, path)
    assert plan.ok, [str(e) for e in plan.errors]
    assert (len(plan.households_new), len(plan.members_new)) == (5, 15)
    roster.apply_roster(services, plan)
    assert services.households.count() == 5
    detail = services.households.detail(services.households.page(HouseholdQuery(), 0, 1)[0].id)
    assert len(detail.members) == 3 and detail.household.member_count == 3
    assert detail.household.phone == "13812345678"
    # same file again: everything matched, nothing new
    _, again = _plan(services, path)
    assert again.ok
    assert (len(again.households_new), len(again.members_new)) == (0, 0)
    assert (len(again.households_update), len(again.members_update)) == (5, 15)
    roster.apply_roster(services, again)
    assert services.households.count() == 5


def test_messy_cells_are_normalised(services, village, tmp_path, kit):
    pid = kit.person_id(7)
    full_width = pid.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    born = date(int(pid[6:10]), int(pid[10:12]), int(pid[12:14]))
    rows = [
        [1, " 王 五 ", "01", "A001", " " + full_width + " ", f"{born.year}.{born.month}.{born.day}", "138 1234 5678",
         "汉", "一组"],
        [2, "李四", "10", "A001", kit.person_id(8), None, None, "01", "一组"],
        [3, "王小", "之子", "A001", None, "2019/05/03", None, "汉族", "一组"],
        [4, "王二", "20", "A001", None, 43588, None, "汉族", "一组"],  # Excel serial of 2019-05-03
    ]
    path = kit.write_roster(tmp_path / "r.xlsx", rows)
    _, plan = _plan(services, path)
    assert plan.ok, [str(e) for e in plan.errors]
    m = {r["name"]: r for r in plan.members_new}
    assert m["王 五"]["id_number"] == pid and m["王 五"]["relation"] == "head" and m["王 五"]["phone"] == "13812345678"
    assert m["王 五"]["birth_date"] == born
    assert m["李四"]["relation"] == "spouse" and m["李四"]["ethnicity"] == "han"
    assert m["王小"]["birth_date"] == date(2019, 5, 3) and m["王二"]["birth_date"] == date(2019, 5, 3)


def test_every_problem_reported_with_row_and_column(services, village, tmp_path, kit):
    good = kit.roster_rows(2)
    bad_id = good[1][4][:-1] + ("0" if good[1][4][-1] != "0" else "1")
    rows = [
        good[0], [2, "错号", "配偶", good[0][3], bad_id, None, None, "汉族", "1组"],
        [3, "两户主", "户主", good[0][3], None, None, None, "汉族", "1组"],
        [4, "怪关系", "表叔公", good[3][3], None, None, None, "汉族", "1组"],
        [5, "坏日期", "之子", good[3][3], None, "2019.13.40", None, "汉族", "1组"],
        [6, "", "之女", good[3][3], None, None, "12", "火星族", "1组"],
        [7, "重号", "之子", good[3][3], good[0][4], None, None, "汉族", "1组"],
    ]
    path = kit.write_roster(tmp_path / "r.xlsx", rows)
    _, plan = _plan(services, path)
    where = {(e.row, e.column) for e in plan.errors}
    assert (5, "证件号码") in where  # check digit (rows: title 1, note 2, header 3 → data from 4)
    assert (6, "与户主关系") in where  # second 户主 of the household
    assert (7, "与户主关系") in where  # unknown relation
    assert (8, "出生日期") in where
    assert (9, "姓名") in where and (9, "联系电话") in where and (9, "民族") in where
    assert (10, "证件号码") in where  # duplicate within the file
    assert all(e.sheet == "花名册" for e in plan.errors)
    with pytest.raises(ValidationError):
        roster.apply_roster(services, plan)
    assert services.households.count() == 0


def test_duplicate_against_database(services, village, tmp_path, kit):
    rows = kit.roster_rows(2)
    roster.apply_roster(services, _plan(services, kit.write_roster(tmp_path / "a.xlsx", rows[:3]))[1])
    moved = [[1, "张新", "户主", "NEW-1", rows[1][4], None, None, "汉族", "1组"]]
    _, plan = _plan(services, kit.write_roster(tmp_path / "b.xlsx", moved))
    assert [(e.row, e.column) for e in plan.errors] == [(4, "证件号码")]
    assert "另一户" in plan.errors[0].detail


def test_one_bad_row_among_1000_imports_nothing(services, village, tmp_path, kit):
    rows = kit.roster_rows(250, per_household=4)
    assert len(rows) == 1000
    rows[617][4] = rows[617][4][:17] + ("0" if rows[617][4][17] != "0" else "1")
    _, plan = _plan(services, kit.write_roster(tmp_path / "big.xlsx", rows))
    assert len(plan.errors) == 1
    e = plan.errors[0]
    assert (e.sheet, e.row, e.column) == ("花名册", 617 + 4, "证件号码")
    assert "校验位" in str(e)
    with pytest.raises(ValidationError):
        roster.apply_roster(services, plan)
    assert services.households.count() == 0


def test_unknown_column_mapping_is_remembered(services, village, tmp_path, kit):
    headers = ["成员名字", "与户主关系", "户编号"]
    rows = [["赵一", "户主", "X1"], ["赵二", "配偶", "X1"]]
    path = kit.write_roster(tmp_path / "r.xlsx", rows, headers=headers, title=None)
    layout = roster.inspect_roster(path, services.ctx.data_dir)
    assert layout.missing_required() == ["姓名"]
    layout = layout.with_mapping({"成员名字": "name"})
    assert layout.missing_required() == []
    roster.save_mapping(services.ctx.data_dir, {"成员名字": "name"})
    again = roster.inspect_roster(path, services.ctx.data_dir)
    assert again.missing_required() == []
    plan = roster.validate_roster(services, again)
    assert plan.ok and len(plan.members_new) == 2


def test_roster_without_household_numbers_groups_by_head(services, village, tmp_path, kit):
    headers = ["姓名", "与户主关系", "身份证号"]
    rows = [["甲", "户主", kit.person_id(1)], ["乙", "妻子", kit.person_id(2)], ["丙", "户主", kit.person_id(3)]]
    path = kit.write_roster(tmp_path / "r.xlsx", rows, headers=headers, title=None)
    _, plan = _plan(services, path)
    assert plan.ok and len(plan.households_new) == 2
    roster.apply_roster(services, plan)
    _, again = _plan(services, path)
    assert again.ok and not again.households_new and len(again.households_update) == 2


@pytest.mark.parametrize("content, needle", [
    (b"just some text, not a workbook", "不是 Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "密码"),
])
def test_bad_roster_files(services, village, tmp_path, content, needle):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(PackageError, match=needle):
        roster.inspect_roster(path)


def test_health_work_months_and_yes_no_columns(services, village, tmp_path, kit):
    headers = kit.headers + ["健康状况", "务工时间(月)", "是否享受低保"]
    rows = [r + extra for r, extra in zip(kit.roster_rows(1), (["健康", "10", "是"], ["慢性病，残疾", "", "否"],
                                                                 [None, None, None]))]
    path = kit.write_roster(tmp_path / "ok.xlsx", rows, headers=headers)
    _, plan = _plan(services, path)
    assert plan.ok, [str(e) for e in plan.errors]
    got = {m["name"]: (m["health"], m["work_months"], m["dibao"]) for m in plan.members_new}
    assert list(got.values()) == [("healthy", 10, True), ("chronic,disabled", None, False), (None, None, False)]
    bad = [r[:-3] + extra for r, extra in zip(rows, (["很好", "13", "也许"], ["健康", "半年", "否"], ["健康", "3", "是"]))]
    _, plan = _plan(services, kit.write_roster(tmp_path / "bad.xlsx", bad, headers=headers))
    where = {(e.row, e.column) for e in plan.errors}
    assert where == {(4, "健康状况"), (4, "务工时间(月)"), (4, "是否享受低保"), (5, "务工时间(月)")}
    assert any("0到12" in e.message for e in plan.errors)


def test_a_backup_is_taken_before_an_import_writes(services, village, tmp_path, kit):
    """Issue 14 item 7: a backup before every import and merge (an import that goes wrong can be undone)."""
    before = {b.path for b in services.backups.list()}
    _, plan = _plan(services, kit.write_roster(tmp_path / "r.xlsx", kit.roster_rows(3)))
    roster.apply_roster(services, plan)
    taken = [b for b in services.backups.list() if b.path not in before]
    assert len(taken) == 1 and taken[0].reason == "import"
    assert services.households.count() == 3
