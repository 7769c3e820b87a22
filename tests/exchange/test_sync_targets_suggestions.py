"""意见建议 and targets per cadre travel in the 同步包 (issue 17 item 8): a suggestion recorded on one laptop arrives
on the other; the same cadre's target set on both laptops stays one record (its id is derived from cadre, year and
metric) and the later value wins on both."""
from __future__ import annotations

from datetime import date

from fupin_desktop.services.suggestions import SuggestionInput
from fupin_desktop.storage.models import Cadre, CadreTarget, Suggestion

from tests.sync_helpers import Laptop


def test_suggestions_and_targets_travel_between_two_laptops(tmp_path, template_db):
    a = Laptop(tmp_path / "A", template_db, "张书记")
    b = Laptop(tmp_path / "B", template_db, "李队员")
    try:
        a.demo(6, seed=5)
        b.merge(a.pack())
        cadre = a.first_id(Cadre)
        before = b.count(Suggestion)
        s = a.services.suggestions.create(SuggestionInput(cadre, "乡党委", "建议统一村道路灯维护",
                                                          made_on=date(a.services.ctx.today().year, 1, 5))).value
        year = a.services.ctx.today().year
        a.services.targets.set_targets(cadre, year, {"suggestions": 6})
        b.services.targets.set_targets(cadre, year, {"suggestions": 8})  # later: wins everywhere
        b.merge(a.pack())
        a.merge(b.pack())
        assert b.count(Suggestion) == before + 1 and b.get(Suggestion, s.id).addressee == "乡党委"
        assert a.services.targets.targets(cadre, year)["suggestions"] == b.services.targets.targets(cadre, year)[
            "suggestions"] == 8
        assert a.count(CadreTarget) == b.count(CadreTarget)  # one record per cadre, year and metric
    finally:
        a.close()
        b.close()
