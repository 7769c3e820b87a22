"""The fast paths of the roster import give the same answers as the plain definitions."""
from __future__ import annotations

import random
from datetime import date

import pytest

from fupin_desktop.domain.idcard import IdCardNumber, check_char, make_id
from fupin_desktop.domain.text import search_keys
from fupin_desktop.exchange import roster


def test_id_check_character_shortcut_matches_the_standard():
    rng = random.Random(5)
    for n in range(3000):
        born = date(rng.randint(1900, 2020), rng.randint(1, 12), rng.randint(1, 28))
        pid = make_id(f"{rng.randint(110000, 659999)}", born, n % 1000)
        assert roster._parse_id_text(pid) == (pid, IdCardNumber.parse(pid).sex, born)
        wrong = pid[:17] + ("0" if pid[17] != "0" else "1")
        with pytest.raises(ValueError, match="校验位"):
            roster._parse_id_text(wrong)


def test_id_with_birth_date_after_today_is_refused_as_by_idcard():
    pid = make_id("130204", date(2099, 1, 1), 7)
    with pytest.raises(ValueError, match="晚于今天"):
        roster._parse_id_text(pid)
    first17 = pid[:6] + "19990230" + pid[14:17]
    with pytest.raises(ValueError, match="不存在"):
        roster._parse_id_text(first17 + check_char(first17))


def test_pinyin_cache_matches_domain_text():
    p = roster._Pinyin()
    for name in ["王五", "王12345甲", "曾小明", "长江", "单一", "Ａｌｉ Bob", "李 四", "欧阳娜娜", "张三丰", "𠀀字",
                 "陈 Ann 3号", "王　二", "ＡＢ１２", "解放军张三", "刘长海", "重行和乐朝长单" * 5]:
        assert p(name) == search_keys(name), name
    assert p("刘长海") == ("liuzhanghai liuchanghai", "lzh lch")  # 长 read both ways (heteronym)


def _write_only_roster(path, rows):
    """openpyxl write-only: inline strings, every Chinese character as a character reference."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["某村农户花名册"])
    ws.append(["户编号", "姓名", "与户主关系", "证件号码", "出生日期", "联系电话", "民族"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_long_roster_with_changing_cell_types_reads_every_value(services, village, tmp_path, kit):
    """The whole-row expression is learnt from the first rows; rows of other shapes (a number where text was,
    a new column, an escaped character) must still be read exactly."""
    rows = []
    for h in range(60):
        for k, rel in enumerate(["户主", "配偶", "之子"]):
            n = h * 3 + k
            pid = kit.person_id(n)
            phone = "13812345678" if k == 0 else None
            if h > 40 and k == 0:
                phone = 13812345678  # a number now
            born = f"{pid[6:10]}.{int(pid[10:12])}.{int(pid[12:14])}"
            if h == 50:
                born = date(int(pid[6:10]), int(pid[10:12]), int(pid[12:14]))  # a real date cell
            name = f"张{h}{'甲乙丙'[k]}" if h != 45 else f"A&B<{k}>"
            rows.append([f"N{h:04d}", name, rel, pid, born, phone, "汉族" if h != 55 else 1])
    path = _write_only_roster(tmp_path / "wo.xlsx", rows)
    layout = roster.inspect_roster(path)
    plan = roster.validate_roster(services, layout)
    assert plan.rows == 180
    where = [(e.row, e.column) for e in plan.errors]
    assert where == [(2 + 55 * 3 + k + 1, "民族") for k in range(3)]  # 1 is not an ethnicity code
    members = {m["name"]: m for m in plan.members_new}
    assert members["A&B<0>"]["relation"] == "head" and members["A&B<2>"]["relation"] == "son"
    assert members["张41甲"]["phone"] == "13812345678" and members["张40乙"]["phone"] is None
    assert members["张50甲"]["birth_date"] == date(int(kit.person_id(150)[6:10]), int(kit.person_id(150)[10:12]),
                                                  int(kit.person_id(150)[12:14]))
    assert all(m["ethnicity"] == "han" for name, m in members.items() if not name.startswith("张55"))


def test_first_import_into_empty_tables_then_reimport(services, village, tmp_path, kit, monkeypatch):
    """Bulk path (indexes rebuilt after loading an empty table) and the update path give the same database."""
    from fupin_desktop.storage.queries import exchange as qx

    monkeypatch.setattr(qx, "BULK_REINDEX_ROWS", 10)
    path = kit.write_roster(tmp_path / "r.xlsx", kit.roster_rows(12))
    plan = roster.validate_roster(services, roster.inspect_roster(path))
    assert plan.ok
    roster.apply_roster(services, plan)
    assert services.households.count() == 12
    again = roster.validate_roster(services, roster.inspect_roster(path))
    assert again.ok and not again.members_new and len(again.members_update) == 36
    roster.apply_roster(services, again)
    assert services.households.count() == 12


@pytest.mark.parametrize("n", [0, 1, 2, 3, 1000, 70_000])
def test_new_ids_are_unique_ascending_version_4_uuids(n):
    import uuid

    ids = roster._sorted_new_ids(n)
    assert len(ids) == n == len(set(ids)) and ids == sorted(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122
