"""结账 travels in the 同步包: a period closed on laptop A is closed on laptop B after B merges A's package, and B
then refuses edits inside it like A does."""
from __future__ import annotations

from datetime import date

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
