"""台账报表 page: generate a ledger and the summary draft through the page, like a user."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt

from fupin_desktop.ui import tasks


@pytest.fixture
def page(qtbot, services, db):
    from fupin_desktop.services.demo import generate_demo
    from fupin_desktop.ui.views.reports.page import ReportsPage

    generate_demo(db, 12, seed=2, year=2023)
    w = ReportsPage(services)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w


def _choose_year(page, year: int) -> None:
    page.period_kind.setCurrentIndex(page.period_kind.findData("year"))
    page.year.setValue(year)


def test_generate_visit_ledger_through_the_page(qtbot, page, tmp_path):
    page.select_document("visits")
    _choose_year(page, 2023)
    assert not page.save_button.isEnabled()
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None, timeout=30000)
    assert page.current_pdf.exists() and page.save_button.isEnabled()
    saved = page.save_as(str(tmp_path / "走访台账.pdf"))
    assert saved.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True).stdout
        assert "入户走访台账" in text and "所属期间：2023年" in text and "第1页 共" in text
    page.grab().save(str(tmp_path / "reports_page.png"))


def test_summary_draft_is_editable_then_printed(qtbot, page):
    page.select_document("summary")
    assert page.editor_bar.isVisible()
    page.period_kind.setCurrentIndex(page.period_kind.findData("half"))
    page.year.setValue(2023)
    page.part.setCurrentIndex(0)
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None, timeout=30000)
    text = page.editor.toPlainText()
    assert text.splitlines()[0].endswith("2023年上半年工作总结") and "户次" in text
    page.editor.setPlainText(text.replace("（一）（请补充）", "（一）村集体经济薄弱。", 1))
    first = page.current_pdf
    page.current_pdf = None
    qtbot.mouseClick(page.summary_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None, timeout=30000)
    assert page.current_pdf == first
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(page.current_pdf), "-"], capture_output=True, text=True).stdout
        assert "村集体经济薄弱" in out.replace("\n", "")


def test_custom_period_with_end_before_start_shows_an_error(qtbot, page, monkeypatch):
    from datetime import date

    from fupin_desktop.ui import messages

    shown = []
    monkeypatch.setattr(messages, "error", lambda parent, exc, title=None: shown.append(str(exc)))
    page.period_kind.setCurrentIndex(page.period_kind.findData("custom"))
    page.start.setDate(date(2024, 3, 1))
    page.end.setDate(date(2024, 1, 1))
    assert page.generate() is None and shown


# --- QtPdf preview, printing, 公示 mode, the monitoring ledgers ---------------------------------------------------------


def _generate(qtbot, page, key: str, year: int = 2023) -> None:
    page.select_document(key)
    _choose_year(page, year)
    page.current_pdf = None
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and page.current_pdf is not None, timeout=30000)


def _pages(path) -> int:
    import re

    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def test_preview_shows_the_pages_with_qtpdf(qtbot, page):
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    from fupin_desktop.ui.views.reports import page as page_module

    assert page_module.HAVE_QTPDF  # PySide6_Pdf is a dependency: QtPdf is the preview, not pdftoppm
    _generate(qtbot, page, "visits")
    assert page.preview.currentWidget() is page.pages_area
    assert page.pdf_doc.status() == QPdfDocument.Status.Ready
    n = page.pdf_doc.pageCount()
    assert n >= 1 and f"共{n}页" in page.status.text()
    if shutil.which("pdfinfo"):
        assert n == _pages(page.current_pdf)
    assert len(page.page_labels) == n
    size = page.pdf_doc.pagePointSize(0)
    assert size.width() > size.height()  # ledgers are A4 landscape
    first = page.page_labels[0].pixmap()
    assert first.width() > first.height() > 300  # landscape, fitted to the preview's width
    assert abs(first.width() - page._page_width()) <= 1
    assert _dark(first.toImage()) > 100  # text and grid lines were drawn
    import os

    os.makedirs("/tmp/shots", exist_ok=True)
    qtbot.waitUntil(lambda: page.page_labels[0].isVisible() and page.page_labels[0].y() > 0, timeout=5000)
    page.grab().save("/tmp/shots/reports_qtpdf.png")
    assert _dark(page.pages_area.grab().toImage()) > 100  # the page is on screen
    # narrower window: the pages are rendered again to the new width
    page.resize(1000, 700)
    qtbot.waitUntil(lambda: page.page_labels and page.page_labels[0].property("rendered")
                    and abs(page.page_labels[0].pixmap().width() - page._page_width()) <= 1, timeout=5000)
    img = page.pdf_doc.render(0, QSize(842, 595))  # what printing uses
    assert not img.isNull() and _dark(img) > 100


def test_long_preview_renders_pages_when_scrolled_to(qtbot, page):
    _generate(qtbot, page, "diary")
    n = page.pdf_doc.pageCount()
    if n < 4:
        pytest.skip("the demo diary ledger is too short")
    labels = page.page_labels
    assert len(labels) == n and labels[0].property("rendered") and not labels[-1].property("rendered")
    bar = page.pages_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    bar.setValue(bar.maximum())
    assert labels[-1].property("rendered") and _dark(labels[-1].pixmap().toImage()) > 100


def _dark(img) -> int:
    """Dark pixels on a sparse grid (text, lines)."""
    from PySide6.QtGui import QColor, QImage, QPainter

    flat = QImage(img.size(), QImage.Format.Format_Grayscale8)
    flat.fill(QColor("white"))
    p = QPainter(flat)
    p.drawImage(0, 0, img)  # transparent areas stay white
    p.end()
    return sum(1 for x in range(0, flat.width(), 9) for y in range(0, flat.height(), 9)
               if flat.pixelColor(x, y).lightness() < 128)


def test_print_to_a_pdf_printer_renders_every_page(qtbot, page, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    _generate(qtbot, page, "roster")
    n = page.pdf_doc.pageCount()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    page.make_printer(printer)
    assert page.print_to(printer) == n
    assert out.exists() and out.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdfinfo"):
        assert _pages(out) == n
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
        w, h = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
        assert w > h  # landscape like the ledger


def test_print_button_goes_through_the_dialog_hook(qtbot, page, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter

    _generate(qtbot, page, "pairings")
    asked = []
    monkeypatch.setattr(page, "ask_printer", lambda printer: asked.append(printer) or False)
    assert page.print_document() == 0 and len(asked) == 1  # cancelled: nothing printed
    out = tmp_path / "dialog.pdf"

    def accept(printer):
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(1, 1)  # the user chose page 1 only
        return True

    monkeypatch.setattr(page, "ask_printer", accept)
    assert page.print_document() == 1
    assert out.exists()
    if shutil.which("pdfinfo"):
        assert _pages(out) == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_public_notice_option_drops_health_and_income_columns(qtbot, page):
    _generate(qtbot, page, "roster")
    normal = subprocess.run(["pdftotext", str(page.current_pdf), "-"], capture_output=True, text=True).stdout
    assert page.public.isEnabled()
    page.public.setChecked(True)
    _generate(qtbot, page, "roster")
    public = subprocess.run(["pdftotext", str(page.current_pdf), "-"], capture_output=True, text=True).stdout
    assert "健康/残疾" in normal and "人均纯收入" in normal.replace("\n", "")
    assert "健康/残疾" not in public and "人均纯收入" not in public.replace("\n", "")
    assert "农户花名册（公示）" in public
    page.select_document("summary")
    assert not page.public.isEnabled()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_monitoring_ledgers_are_in_the_document_list(qtbot, page):
    keys = [page.documents.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.documents.count())]
    assert "monitored" in keys and "measures" in keys
    names = [page.documents.item(i).text() for i in range(page.documents.count())]
    assert "防返贫监测户花名册" in names or "Monitored household roster" in names
    for key, title in (("monitored", "防返贫监测户花名册"), ("measures", "帮扶措施落实台账")):
        _generate(qtbot, page, key)
        text = subprocess.run(["pdftotext", str(page.current_pdf), "-"], capture_output=True, text=True).stdout
        assert title in text


# --- printing off the GUI thread: progress, cancel; the preview follows the splitter -------------------------------


def _pdf_printer(page, out):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    return page.make_printer(printer)


def _cancel_after_first_page(qtbot, page, monkeypatch):
    """Hold the worker before page 2 until the user has pressed 取消 in the progress dialog (which shows 1 page done)."""
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from fupin_desktop.ui.views.reports import page as page_module

    monkeypatch.setattr(tasks, "PROGRESS_DELAY_MS", 0)
    gate, rendered, real = threading.Event(), [], page_module._page_image

    def slow_render(doc, index, dpi):
        if rendered:
            gate.wait(10)
        rendered.append(index)
        return real(doc, index, dpi)

    monkeypatch.setattr(page_module, "_page_image", slow_render)
    clicked = []

    def user():  # runs on the GUI thread while print_to waits
        dialogs = [d for d in page.findChildren(QProgressDialog) if d.isVisible()]
        if dialogs and dialogs[0].value() >= 1 and not clicked:
            assert "1" in dialogs[0].labelText() or "2" in dialogs[0].labelText()
            qtbot.mouseClick(dialogs[0].findChild(QPushButton), Qt.MouseButton.LeftButton)
            clicked.append(True)
            gate.set()
            timer.stop()

    timer = QTimer(page)
    timer.timeout.connect(user)
    timer.start(10)
    return rendered, clicked


def test_print_to_file_shows_progress_and_cancel_leaves_no_file(qtbot, page, tmp_path, monkeypatch):
    _generate(qtbot, page, "worklog")  # 3 pages of demo data
    if page.pdf_doc.pageCount() < 2:
        pytest.skip("the demo work log is too short")
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "printed.pdf"
    rendered, clicked = _cancel_after_first_page(qtbot, page, monkeypatch)
    assert page.print_to(_pdf_printer(page, out)) == 0
    assert clicked and len(rendered) < page.pdf_doc.pageCount()
    assert list(folder.iterdir()) == []  # no partial file, no temporary left behind
    assert "取消" in page.status.text() or "cancelled" in page.status.text()
    assert tasks.active_count() == 0 and page.print_button.isEnabled()


def test_native_printer_path_paints_on_the_gui_thread(qtbot, page, tmp_path, monkeypatch):
    """Native printers are painted page by page on the GUI thread (forced here with a PDF printer)."""
    _generate(qtbot, page, "worklog")  # 3 pages of demo data
    n = page.pdf_doc.pageCount()
    monkeypatch.setattr(page, "_paints_in_worker", lambda printer: False)
    out = tmp_path / "native.pdf"
    assert page.print_to(_pdf_printer(page, out)) == n
    if shutil.which("pdfinfo"):
        assert _pages(out) == n
    if n < 2:
        return
    out.unlink()
    rendered, clicked = _cancel_after_first_page(qtbot, page, monkeypatch)
    assert page.print_to(_pdf_printer(page, out)) == 0
    assert clicked and len(rendered) < n and not out.exists()  # the job was aborted
    assert tasks.active_count() == 0


def test_dragging_the_splitter_redraws_the_preview(qtbot, page):
    _generate(qtbot, page, "visits")
    before = page.page_labels[0].pixmap().width()
    page.splitter.setSizes([700, 666])  # what dragging the handle does, without resizing the window
    qtbot.waitUntil(lambda: page.page_labels and page.page_labels[0].property("rendered")
                    and abs(page.page_labels[0].pixmap().width() - page._page_width()) <= 1, timeout=5000)
    assert page.page_labels[0].pixmap().width() < before - 100


def test_the_greyed_date_fields_show_the_chosen_period(qtbot, page):
    """Choosing 季度 / 第一季度 showed 结束日期 of another period in the greyed From/To fields (read as the period)."""
    from datetime import date

    page.period_kind.setCurrentIndex(page.period_kind.findData("quarter"))
    page.year.setValue(2024)
    page.part.setCurrentIndex(0)
    assert (page.start.value(), page.end.value()) == (date(2024, 1, 1), date(2024, 3, 31))
    page.part.setCurrentIndex(1)
    assert (page.start.value(), page.end.value()) == (date(2024, 4, 1), date(2024, 6, 30))
    page.period_kind.setCurrentIndex(page.period_kind.findData("month"))
    page.part.setCurrentIndex(1)
    assert (page.start.value(), page.end.value()) == (date(2024, 2, 1), date(2024, 2, 29))
    page.year.setValue(2023)
    assert page.end.value() == date(2023, 2, 28)
    # custom dates keep what she typed
    page.period_kind.setCurrentIndex(page.period_kind.findData("custom"))
    page.start.set_value(date(2023, 5, 3)) if hasattr(page.start, "set_value") else page.start.setValue(date(2023, 5, 3))
    page.year.setValue(2022)
    assert page.start.value() == date(2023, 5, 3)


def test_the_public_version_says_it_leaves_out_free_text_too(page):
    assert "自由" in page.public.text() or "文字" in page.public.text()


def test_every_document_of_the_registry_is_listed_by_name(qtbot, page):
    """The page lists the registry's documents, the team registers and 公示 notices (issue 17) included."""
    from fupin_desktop.reports import registry

    keys = [page.documents.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.documents.count())]
    assert keys == list(registry.keys())
    names = {page.documents.item(i).data(Qt.ItemDataRole.UserRole): page.documents.item(i).text()
             for i in range(page.documents.count())}
    for key in ("team_roster", "sign_in", "meetings", "fund_book", "goods_stock", "guarantee_checks", "assets",
                "notice_monitored", "notice_eliminated", "notice_donations", "notice_projects"):
        assert names[key] and names[key] != key


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_notice_is_posted_for_the_period_and_phone_she_chooses(qtbot, page, dialogs):
    from datetime import date

    from tests.ui.keyboard import type_into

    page.select_document("visits")
    assert not page.notice_terms.isVisible()  # only for a 公示 notice
    page.select_document("notice_projects")
    assert page.notice_terms.isVisible()
    page.notice_terms.start.setValue(date(2024, 3, 1))
    assert page.notice_terms.end.value() == date(2024, 3, 10)  # follows the start: a project notice is ≥ 10 days
    type_into(qtbot, page.notice_terms.phone, "0315-5551234")
    _generate(qtbot, page, "notice_projects")
    text = subprocess.run(["pdftotext", str(page.current_pdf), "-"], capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert "公示期：2024年3月1日至2024年3月10日（共10天）" in flat and "监督电话：0315-5551234" in flat
    # too short a period is refused with the minimum named, nothing generated
    page.notice_terms.end.setValue(date(2024, 3, 5))
    page.current_pdf = None
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tasks.active_count() == 0 and any(k == "error" for k, _ in dialogs.calls), timeout=30000)
    assert any("不少于10天" in text for k, text in dialogs.calls if k == "error")
    assert page.current_pdf is None


def test_the_document_list_shows_ten_names_in_the_main_window_at_1366x768(qtbot, page):
    """Inside the main window at 1366×768 the page gets about 1182×692: the list of ~30 documents showed 4 names."""
    page.resize(1182, 692)
    qtbot.wait(50)
    row = page.documents.sizeHintForRow(0)
    assert page.documents.viewport().height() >= 9 * row
