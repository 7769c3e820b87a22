"""The 上报表's 说明 states 结账 (read back with openpyxl): which periods of the report's range are closed, by whom and
when, that their figures are as closed, and which part is still open; a report of a period nobody closed says so."""
from __future__ import annotations

import shutil
from datetime import date

import openpyxl
import pytest

from fupin_desktop.exchange.report_book import export_for_period
from fupin_desktop.services import Services
from fupin_desktop.services.closing import PeriodKey
from fupin_desktop.storage.db import Actor, Database


@pytest.fixture
def services(template_db, tmp_path):
    from fupin_desktop.services.demo import generate_demo

    shutil.copyfile(template_db, tmp_path / "fupin.sqlite3")
    db = Database(f"sqlite:///{tmp_path / 'fupin.sqlite3'}")
    generate_demo(db, households=8, seed=5, year=2024)
    yield Services(db, actor=Actor(None, "王管理员", "admin"), data_dir=tmp_path, today=lambda: date(2024, 12, 20))
    db.dispose()


def _notes(path) -> set[str]:
    """The 说明 line of every sheet of the workbook."""
    wb = openpyxl.load_workbook(path)
    notes = set()
    for ws in wb.worksheets:
        found = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)
                 and c.value.startswith("说明：")]
        assert len(found) == 1, ws.title
        notes.add(found[0])
    return notes


def test_the_note_names_the_closed_quarter_its_closer_and_the_open_rest(services, tmp_path):
    closed = services.closing.close(PeriodKey.of(2024, quarter=1)).value
    day = f"{closed.closed_on:%Y-%m-%d}"
    path = tmp_path / "h1.xlsx"
    export_for_period(services, path, date(2024, 1, 1), date(2024, 6, 30))
    (note,) = _notes(path)
    assert note.startswith("说明：身份证号只显示前6位")  # the masked form's own note stays first
    assert (f"结账情况：2024年第一季度已于{day}由王管理员结账，其中的数字为结账时的数字（期间内的记录已不能修改）；"
            f"2024年4月1日至2024年6月30日未结账，数字以后还可能变动。") in note

    # the whole period closed: its figures are as closed (the full form, which has no other note, too)
    path = tmp_path / "q1.xlsx"
    export_for_period(services, path, date(2024, 1, 1), date(2024, 3, 31), form="full")
    assert _notes(path) == {f"说明：结账情况：2024年第一季度已于{day}由王管理员结账，本表数字为结账时的数字"
                            f"（期间内的记录已不能修改）。"}

    # a period nobody closed
    path = tmp_path / "h2.xlsx"
    export_for_period(services, path, date(2024, 7, 1), date(2024, 12, 31), form="full")
    assert _notes(path) == {"说明：结账情况：本表所属期间未结账，数字以填报日期的记录为准，以后还可能变动。"}

    # reopened: no longer stated as closed
    services.closing.reopen(PeriodKey.of(2024, quarter=1), "补录")
    export_for_period(services, path, date(2024, 1, 1), date(2024, 3, 31), form="full")
    assert _notes(path) == {"说明：结账情况：本表所属期间未结账，数字以填报日期的记录为准，以后还可能变动。"}


def test_a_closed_period_whose_household_data_changed_since_says_so(services, tmp_path):
    from fupin_desktop.services.households import HouseholdInput, HouseholdQuery

    services.closing.close(PeriodKey.of(2024, half=1))
    row = services.households.page(HouseholdQuery(), 0, 1)[0]
    h = services.households.get(row.id)
    services.households.update(row.id, HouseholdInput(head_name=h.head_name + "改", household_type=h.household_type,
                                                      group_name=h.group_name))
    path = tmp_path / "h1.xlsx"
    export_for_period(services, path, date(2024, 1, 1), date(2024, 6, 30), form="full")
    (note,) = _notes(path)
    assert "本表数字为结账时的数字" in note and "此后农户信息有改动" in note
