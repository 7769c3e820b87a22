"""台账报表 page, 工作总结 (issue 17): she types her own sections (存在的问题, 下一步打算) in the program, the draft
carries them, she drafts it as of a day and as the 派出单位, and saves the editable Word file (打开文件 box)."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from fupin_desktop.services.reporting import Period
from fupin_desktop.ui import messages, tasks
from tests.ui.keyboard import type_into

docx = pytest.importorskip("docx")


@pytest.fixture
def page(qtbot, services, db):
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.ui.views.reports.page import ReportsPage

    generate_demo(db, 12, seed=2, year=2023)
    w = ReportsPage(services)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.select_document("summary")
    w.period_kind.setCurrentIndex(w.period_kind.findData("half"))
    w.year.setValue(2023)
    w.part.setCurrentIndex(0)
    return w


def _lines(qtbot, widget, lines: list[str]) -> None:
    for i, line in enumerate(lines):
        if i:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        type_into(qtbot, widget, line)


def _drafted(qtbot, page) -> str:
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None, timeout=30000)
    return page.editor.toPlainText()


def test_she_types_her_sections_then_the_draft_and_the_word_file_carry_them(qtbot, page, services, tmp_path,
                                                                            monkeypatch):
    saved_files = []
    monkeypatch.setattr(messages, "file_saved", lambda parent, path, text=None, title=None: saved_files.append(path))

    qtbot.mouseClick(page.editor_bar.sections_button, Qt.MouseButton.LeftButton)
    from fupin_desktop.ui.views.reports.summary_panel import SummarySectionsDialog

    dialog = page.editor_bar.findChild(SummarySectionsDialog)
    assert dialog is not None and dialog.isVisible()
    _lines(qtbot, dialog.fields["problems"], ["（一）村集体经济收入来源单一。", "（二）部分群众内生动力不足。"])
    _lines(qtbot, dialog.fields["plans"], ["（一）谋划扫帚加工项目，带动群众就业。"])
    page.current_pdf = None
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # 保存: saved in the write pool
    qtbot.waitUntil(lambda: not dialog.busy and not dialog.isVisible(), timeout=10000)
    assert services.summary_sections.get(Period.half(2023, 1)).problems == \
        "（一）村集体经济收入来源单一。\n（二）部分群众内生动力不足。"

    text = _drafted(qtbot, page)  # saving drafted the summary again, with her sections
    lines = text.splitlines()
    i = lines.index("七、存在的问题和困难")
    assert lines[i + 1:i + 5] == ["（一）村集体经济收入来源单一。", "（二）部分群众内生动力不足。", "八、下一步工作打算",
                                  "（一）谋划扫帚加工项目，带动群众就业。"]
    assert lines[-2:] == ["唐山市财政局驻东兴村工作队", "2024年6月28日"]  # 落款

    task = page.editor_bar.save_word(tmp_path / "工作总结.docx")
    qtbot.waitUntil(lambda: task.done and tasks.active_count() == 0, timeout=30000)
    assert [str(p) for p in saved_files] == [str(tmp_path / "工作总结.docx")]  # 打开文件 / 打开所在文件夹
    document = docx.Document(str(tmp_path / "工作总结.docx"))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == lines[0]
    assert "（一）村集体经济收入来源单一。" in [p.text for p in paragraphs]
    assert "七、存在的问题和困难" in [p.text for p in paragraphs if p.style.name == "Heading 1"]


def test_as_of_a_day_and_by_the_dispatching_unit(qtbot, page):
    page.editor_bar.as_of_box.setChecked(True)
    page.editor_bar.as_of_date.setValue(date(2023, 3, 31))
    page.editor_bar.drafter.setCurrentIndex(page.editor_bar.drafter.findData("bureau"))
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    text = _drafted(qtbot, page)
    assert text.splitlines()[0] == "唐山市财政局2023年上半年帮扶工作总结"
    assert "（截至2023年3月31日）" in text and text.splitlines()[-2] == "唐山市财政局"


def test_saving_sections_asks_before_replacing_text_she_rewrote(qtbot, page, monkeypatch):
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    text = _drafted(qtbot, page)
    page.editor.setPlainText(text.replace("工作队按照上级统一安排部署", "工作队按照市委组织部统一安排部署", 1))
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, question, *a, **k: asked.append(question) or False)
    qtbot.mouseClick(page.editor_bar.sections_button, Qt.MouseButton.LeftButton)
    from fupin_desktop.ui.views.reports.summary_panel import SummarySectionsDialog

    dialog = page.editor_bar.findChild(SummarySectionsDialog)
    type_into(qtbot, dialog.fields["plans"], "（一）办好村级光伏电站。")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy and not dialog.isVisible(), timeout=10000)
    assert len(asked) == 1  # asked once before replacing her text
    assert tasks.active_count() == 0 and "市委组织部统一安排部署" in page.editor.toPlainText()  # kept: she said no
