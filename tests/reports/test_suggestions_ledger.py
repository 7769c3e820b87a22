"""意见建议台账 (issue 17 item 8): the period's suggestions printed oldest first, with who, to whom, adopted or not,
and a 合计 line; narrowed to one cadre through the registry's filter."""
from __future__ import annotations

import subprocess
from datetime import date

from fupin_desktop.reports.registry import Request, generate
from fupin_desktop.services.report_lines import Period, ReportFilter
from fupin_desktop.services.suggestions import SuggestionInput


def _text(path) -> str:
    return "".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())


def test_the_suggestions_ledger_lists_the_periods_suggestions(services, village, tmp_path):
    _v, (sec, member) = village
    add = services.suggestions.create
    add(SuggestionInput(member.id, "村两委", "建议将村道路灯维护纳入村规民约", made_on=date(2024, 5, 2)))
    add(SuggestionInput(sec.id, "乡党委", "建议设立就业信息公示栏", made_on=date(2024, 3, 1), adopted=True,
                        adopted_note="乡里已推广"))
    add(SuggestionInput(sec.id, "派出单位", "建议优先采购本村小米", made_on=date(2023, 11, 1)))  # last year
    pdf = generate(services, Request("suggestions", ReportFilter(Period.year(2024))), tmp_path / "s.pdf")
    text = _text(pdf)
    assert "意见建议台账" in text and "所属期间：2024年" in text
    first, second = text.index("2024.03.01"), text.index("2024.05.02")
    assert first < second and "建议优先采购本村小米" not in text
    assert "张书记乡党委建议设立就业信息公示栏是乡里已推广" in text
    assert "合计2条" in text and "采纳1条" in text

    mine = generate(services, Request("suggestions", ReportFilter(Period.year(2024), cadre_id=member.id)),
                    tmp_path / "m.pdf")
    text = _text(mine)
    assert "村规民约" in text and "就业信息公示栏" not in text and "合计1条" in text
