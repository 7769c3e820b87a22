"""结账 travels in the 同步包: a period closed on laptop A is closed on laptop B after B merges A's package, and B
then refuses edits inside it like A does."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from fupin_desktop.domain.errors import PeriodClosedError
from fupin_desktop.services.closing import PeriodKey
from fupin_desktop.storage.models import Visit

from tests.sync_helpers import Laptop


def test_a_period_closed_on_a_arrives_closed_on_b(tmp_path, template_db):
    a = Laptop(tmp_path / "A", template_db, "张书记")
    b = Laptop(tmp_path / "B", template_db, "李队员")
    try:
        a.demo(8, seed=3)
        b.merge(a.pack())
        a.services.closing.close(PeriodKey.of(2024, half=1))
        b.merge(a.pack())
        (closed,) = b.services.closing.closed_periods()
        assert (closed.label, closed.closed_by) == ("2024年上半年", "张书记")
        with b.db.read() as s:
            inside = [v.id for v in s.query(Visit).filter(Visit.visit_date.between(date(2024, 1, 1), date(2024, 6, 30)),
                                                          Visit.deleted_at.is_(None))]
        assert inside
        with pytest.raises(PeriodClosedError) as err:
            b.edit(Visit, inside[0], findings="在B上改")
        assert "由张书记结账" in str(err.value)
    finally:
        a.close()
        b.close()


def _visits_in_first_half(laptop: Laptop) -> list[str]:
    with laptop.db.read() as s:
        return [v.id for v in s.query(Visit).filter(Visit.visit_date.between(date(2024, 1, 1), date(2024, 6, 30)),
                                                    Visit.deleted_at.is_(None)).order_by(Visit.id)]


def _closed_conflicts(laptop: Laptop) -> list[tuple]:
    return sorted((c.id, c.table, c.row_id, c.field, c.applied_value, c.other_value)
                  for c in laptop.services.sync.conflicts() if c.kind == "closed")


def test_an_edit_made_on_b_inside_a_period_a_then_closes_arrives_as_a_conflict_on_both(tmp_path, template_db):
    a = Laptop(tmp_path / "A", template_db, "张书记")
    b = Laptop(tmp_path / "B", template_db, "李队员")
    try:
        a.demo(8, seed=3)
        b.merge(a.pack())
        known, unseen, deleted = _visits_in_first_half(b)[:3]
        original = a.get(Visit, unseen).findings
        b.edit(Visit, known, findings="A结账前已合并的修改")
        a.merge(b.pack())  # A has this edit when it closes: it is part of the closing
        b.edit(Visit, unseen, findings="在B上改")
        b.edit(Visit, deleted, deleted_at=datetime(2024, 7, 1))
        a.services.closing.close(PeriodKey.of(2024, half=1))
        from_a, from_b = a.pack(), b.pack()  # both made before either merge
        b.merge(from_a)
        a.merge(from_b)

        for laptop in (a, b):
            (closed,) = laptop.services.closing.closed_periods()
            assert closed.label == "2024年上半年"
            assert laptop.get(Visit, unseen).findings == original  # the value as closed stays
            assert laptop.get(Visit, deleted).deleted_at is None
            assert laptop.get(Visit, known).findings == "A结账前已合并的修改"
        conflicts = _closed_conflicts(a)
        assert conflicts == _closed_conflicts(b)  # the same conflicts, listed once on each
        assert [(c[2], c[3], c[4], c[5]) for c in conflicts if c[3] == "findings"] == [
            (unseen, "findings", original, "在B上改")]
        assert {(c[2], c[3]) for c in conflicts} == {(unseen, "findings"), (deleted, "deleted_at")}
        # as the merge report (CLI) prints them: what, the value as closed with who closed it, the other laptop's
        from fupin_desktop.exchange.sync_package import conflict_lines

        printed = {c.field: conflict_lines(c) for c in b.services.sync.conflicts() if c.kind == "closed"}
        assert "已结账期间内的修改：" in printed["findings"][0] and "已结账期间内的删除" in printed["deleted_at"][0]
        assert printed["findings"][1].startswith(f"    采用结账时的值：{original}（张书记，")
        assert printed["findings"][2].startswith("    另一方：在B上改（李队员，")

        # another exchange changes nothing and finds nothing new
        b.merge(a.pack())
        a.merge(b.pack())
        for laptop in (a, b):
            assert laptop.get(Visit, unseen).findings == original
        assert _closed_conflicts(a) == _closed_conflicts(b) == conflicts

        # taking the other laptop's value is an edit of the closed period: refused until reopened
        cid = next(c[0] for c in conflicts if c[3] == "findings")
        with pytest.raises(PeriodClosedError):
            b.services.sync.resolve(cid, take_other=True)
        a.services.closing.reopen(PeriodKey.of(2024, half=1), "补录B的走访记录")
        b.merge(a.pack())
        b.services.sync.resolve(cid, take_other=True)
        a.merge(b.pack())
        assert a.get(Visit, unseen).findings == b.get(Visit, unseen).findings == "在B上改"
    finally:
        a.close()
        b.close()


def test_a_visit_added_on_b_inside_a_period_a_then_closes_is_left_out_and_listed_on_both(tmp_path, template_db):
    from fupin_desktop.exchange.sync_package import conflict_lines
    from fupin_desktop.services.visits import VisitInput
    from fupin_desktop.storage.models import Cadre, Household

    a = Laptop(tmp_path / "A", template_db, "张书记")
    b = Laptop(tmp_path / "B", template_db, "李队员")
    try:
        a.demo(8, seed=3)
        b.merge(a.pack())
        added = b.services.visits.log_visit(VisitInput(
            household_id=b.first_id(Household), visit_date=date(2024, 3, 5), cadre_ids=(b.first_id(Cadre),),
            purposes=("policy",), findings="在B上补录的走访")).value.id
        later = b.services.visits.log_visit(VisitInput(  # outside the period: merged as usual
            household_id=b.first_id(Household), visit_date=date(2024, 8, 5), cadre_ids=(b.first_id(Cadre),),
            purposes=("policy",), findings="下半年的走访")).value.id
        a.services.closing.close(PeriodKey.of(2024, half=1))
        from_a, from_b = a.pack(), b.pack()
        b.merge(from_a)
        a.merge(from_b)
        for laptop in (a, b):
            assert laptop.get(Visit, added).deleted_at is not None  # not in the closing: left out on both
            assert laptop.get(Visit, later).deleted_at is None
        assert _closed_conflicts(a) == _closed_conflicts(b)
        (conflict,) = [c for c in b.services.sync.conflicts() if c.kind == "closed"]
        assert (conflict.row_id, conflict.field, conflict.other_value) == (added, "*", {"visit_date": "2024-03-05"})
        assert "已结账期间内新增的记录" in conflict_lines(conflict)[0]
        b.merge(a.pack())
        a.merge(b.pack())
        assert a.get(Visit, added).deleted_at == b.get(Visit, added).deleted_at is not None
        assert _closed_conflicts(a) == _closed_conflicts(b)

        with pytest.raises(PeriodClosedError):  # keeping it is an edit of the closed half-year
            b.services.sync.resolve(conflict.id, take_other=True)
        a.services.closing.reopen(PeriodKey.of(2024, half=1), "补录B的走访记录")
        b.merge(a.pack())
        b.services.sync.resolve(conflict.id, take_other=True)
        a.merge(b.pack())
        assert a.get(Visit, added).deleted_at is None and a.get(Visit, added).findings == "在B上补录的走访"
    finally:
        a.close()
        b.close()
