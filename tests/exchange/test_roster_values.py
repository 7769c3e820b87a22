"""Rosters as counties write them (issue 19 step 4): value variants, 监测对象 categories in the 户类型 column, and
unknown values mapped once by the user (remembered beside the column mapping), through the API and the CLI."""
from __future__ import annotations

import pytest

from fupin_desktop import cli, paths
from fupin_desktop.exchange import roster
from fupin_desktop.services.households import HouseholdQuery

HEADERS = ["序号", "姓名", "与户主关系", "户编号", "证件号码", "户类型", "性别", "文化程度", "健康状况", "劳动技能"]


def _rows(kit, kinds: list[str], start: int = 0) -> list[list]:
    """Two members per household; the household's 户类型 written on both rows, as counties do."""
    rows = []
    for h, kind in enumerate(kinds):
        for k, (rel, sex, edu, health, skill) in enumerate(
                (("户主", None, "初中文化", "良好", "有劳动力"), ("妻", "女", "小学", "患大病", "弱劳力"))):
            pid = kit.person_id(2 * (start + h) + k)
            rows.append([len(rows) + 1, f"赵{start + h}{'甲乙'[k]}", rel, f"H{start + h:04d}", pid, kind,
                         sex if int(pid[16]) % 2 == 0 else None, edu, health, skill])
    return rows


def _households(services):
    return {r.number: (r.household_type, r.monitoring_category)
            for r in services.households.page(HouseholdQuery(), 0, 100)}


def test_mixed_household_types_import_with_the_monitoring_category(services, village, tmp_path, kit):
    kinds = ["脱贫户", "一般农户", "边缘易致贫户", "脱贫不稳定户", "突发严重困难户", "边缘户"]
    path = kit.write_roster(tmp_path / "r.xlsx", _rows(kit, kinds), headers=HEADERS)
    layout = roster.inspect_roster(path, services.ctx.data_dir)
    plan = roster.validate_roster(services, layout)
    assert plan.ok, [str(e) for e in plan.errors]
    roster.apply_roster(services, plan)
    assert _households(services) == {
        "H0000": ("alleviated", None), "H0001": ("ordinary", None), "H0002": ("ordinary", "marginal"),
        "H0003": ("alleviated", "unstable"), "H0004": ("ordinary", "sudden"), "H0005": ("ordinary", "marginal")}
    members = {m["name"]: m for m in plan.members_new}
    assert (members["赵0甲"]["education"], members["赵0甲"]["health"], members["赵0甲"]["labour_skill"]) == (
        "junior", "healthy", "ordinary")
    assert (members["赵0乙"]["relation"], members["赵0乙"]["health"], members["赵0乙"]["labour_skill"]) == (
        "spouse", "serious_illness", "weak")


def test_an_unknown_value_is_offered_then_remembered(services, village, tmp_path, kit):
    rows = _rows(kit, ["脱贫户", "防返贫监测户", "防返贫监测户"])
    rows[1][8] = "体弱多病"
    path = kit.write_roster(tmp_path / "r.xlsx", rows, headers=HEADERS)
    plan = roster.validate_roster(services, roster.inspect_roster(path, services.ctx.data_dir))
    assert plan.unknown_values() == [("户类型", "household_type", "防返贫监测户", 4), ("健康状况", "health", "体弱多病", 1)]
    where = {(e.row, e.column) for e in plan.errors}
    assert (6, "户类型") in where and (5, "健康状况") in where  # still all or nothing: errors with row and column
    assert services.households.count() == 0
    choices = {"household_type": {"防返贫监测户": roster.value_choices("household_type")[-3][0]},  # 监测对象：脱贫不稳定户
               "health": {"体弱多病": "chronic"}}
    assert choices["household_type"]["防返贫监测户"] == "monitoring_category:unstable"
    roster.save_value_mapping(services.ctx.data_dir, choices)
    # next time: the same words import without asking
    again = roster.validate_roster(services, roster.inspect_roster(path, services.ctx.data_dir))
    assert again.ok and not again.unknown
    roster.apply_roster(services, again)
    assert _households(services)["H0001"] == ("alleviated", "unstable")
    assert {m["name"]: m["health"] for m in again.members_new}["赵0乙"] == "chronic"


def test_command_line_value_mapping_is_remembered(tmp_path, kit, capsys):
    data = tmp_path / "data"
    try:
        assert cli.main(["--data-dir", str(data), "demo", "--households", "3"]) == 0
        capsys.readouterr()
        first = kit.write_roster(tmp_path / "a.xlsx", _rows(kit, ["一般农户", "边缘易致贫户", "建档户"], start=500),
                                 headers=HEADERS)
        assert cli.main(["--data-dir", str(data), "import", str(first)]) == 1
        out = capsys.readouterr().out
        assert "没有导入任何数据" in out
        assert "“户类型”列有 2 行是“建档户”" in out and "--value 户类型:建档户=代码" in out
        assert cli.main(["--data-dir", str(data), "import", str(first), "--value", "户类型:建档户=火星户"]) == 2
        assert "“火星户”不是户类型的选项" in capsys.readouterr().err
        assert cli.main(["--data-dir", str(data), "import", str(first), "--value", "户类型:建档户=脱贫户"]) == 0
        assert "导入完成" in capsys.readouterr().out
        # another roster with the same word: imports without --value
        second = kit.write_roster(tmp_path / "b.xlsx", _rows(kit, ["建档户", "突发严重困难户"], start=600),
                                  headers=HEADERS)
        assert cli.main(["--data-dir", str(data), "import", str(second)]) == 0
        with cli.signed_in("read") as services:  # the folder as the CLI left it
            got = {r.number: (r.household_type, r.monitoring_category)
                   for r in services.households.page(HouseholdQuery(), 0, 100)}
    finally:
        paths.set_data_dir(None)
    assert {n: got[n] for n in ("H0500", "H0501", "H0502", "H0600", "H0601")} == {
        "H0500": ("ordinary", None), "H0501": ("ordinary", "marginal"), "H0502": ("alleviated", None),
        "H0600": ("alleviated", None), "H0601": ("ordinary", "sudden")}


def test_relation_and_yes_no_values_can_be_mapped_too(services, village, tmp_path, kit):
    headers = ["姓名", "与户主关系", "户编号", "是否享受低保"]
    rows = [["周甲", "户主", "Z1", "待审"], ["周乙", "表叔公", "Z1", "是"]]
    path = kit.write_roster(tmp_path / "r.xlsx", rows, headers=headers, title=None)
    layout = roster.inspect_roster(path, services.ctx.data_dir)
    plan = roster.validate_roster(services, layout)
    assert [u[1:] for u in plan.unknown_values()] == [("relation", "表叔公", 1), ("dibao", "待审", 1)]
    from fupin_desktop.exchange.roster_cells import choice_code

    assert choice_code("relation", "其他") == "other" and choice_code("dibao", "否") == "no"
    assert choice_code("household_type", "边缘易致贫户") == "monitoring_category:marginal"
    assert choice_code("household_type", "火星户") is None
    again = roster.validate_roster(services, layout.with_values({"relation": {"表叔公": "other"},
                                                                 "dibao": {"待审": "no"}}))
    assert again.ok, [str(e) for e in again.errors]
    assert {m["name"]: (m["relation"], m["dibao"]) for m in again.members_new} == {
        "周甲": ("head", False), "周乙": ("other", True)}


def test_risk_types_and_poverty_causes_as_counties_write_them(services, village, tmp_path, kit):
    headers = ["姓名", "与户主关系", "户编号", "户类型", "风险类型", "致贫原因"]
    rows = [["吴甲", "户主", "W1", "边缘易致贫户", "因病致贫、因学", "因病致贫，缺乏劳动力"], ["吴乙", "妻", "W1", None, None, None],
            ["郑甲", "户主", "W2", "脱贫户", "因病,因残,因学,因灾,缺劳力,因意外", None]]
    path = kit.write_roster(tmp_path / "r.xlsx", rows, headers=headers, title=None)
    plan = roster.validate_roster(services, roster.inspect_roster(path, services.ctx.data_dir))
    assert [(e.row, e.column, e.detail) for e in plan.errors] == [(4, "风险类型", "风险类型最多5项")]
    path = kit.write_roster(tmp_path / "ok.xlsx", rows[:2], headers=headers, title=None)
    plan = roster.validate_roster(services, roster.inspect_roster(path, services.ctx.data_dir))
    assert plan.ok, [str(e) for e in plan.errors]
    roster.apply_roster(services, plan)
    h = services.households.get(services.households.page(HouseholdQuery(), 0, 1)[0].id)
    assert (h.household_type, h.monitoring_category) == ("ordinary", "marginal")
    assert (h.risk_types, h.poverty_causes) == (("illness", "education"), ("illness", "lack_labour"))


def test_the_household_form_and_the_import_give_the_same_message(services, village, tmp_path, kit):
    """Field rules once in domain/: the same wrong value is refused with the same words by both paths."""
    from dataclasses import replace

    from fupin_desktop.domain.errors import ValidationError
    from fupin_desktop.services.households import MemberInput, validate_member

    good = kit.person_id(3)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    cases = {  # column → (cell text, the form's input)
        "联系电话": ("1234567", dict(phone="1234567")),
        "务工时间(月)": ("13", dict(work_months=13)),
        "证件号码": (bad_check, dict(id_number=bad_check)),
        "健康状况": ("很好", dict(health=("很好",))),
    }
    headers = ["姓名", "与户主关系", "户编号"] + list(cases)
    rows = [["冯甲", "户主", "F1"] + [text for text, _ in cases.values()]]
    plan = roster.validate_roster(services, roster.inspect_roster(
        kit.write_roster(tmp_path / "r.xlsx", rows, headers=headers, title=None), services.ctx.data_dir))
    by_column = {e.column: e.detail for e in plan.errors}
    base = MemberInput(name="冯甲", relation="head")
    for column, (_, form_input) in cases.items():
        with pytest.raises(ValidationError) as refused:
            validate_member(replace(base, **form_input))
        assert by_column[column] == refused.value.message, column
    both = kit.write_roster(tmp_path / "s.xlsx", [["冯乙", "户主", "F2", "初中", "七年级"]],
                            headers=["姓名", "与户主关系", "户编号", "文化程度", "在校生状况"], title=None)
    plan = roster.validate_roster(services, roster.inspect_roster(both, services.ctx.data_dir))
    with pytest.raises(ValidationError) as refused:
        validate_member(replace(base, education="junior", schooling="grade7"))
    assert [x.detail for x in plan.errors] == [refused.value.message]
