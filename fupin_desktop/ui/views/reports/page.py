"""台账报表 page: choose a document, a period and filters; generate it in the background; preview the pages; print
or save as PDF. The 工作总结 draft opens in an editor first, so the secretary can rewrite it before printing.

Preview: the pages rendered by QtPdf (``QPdfDocument.render``, on the GUI thread, fitted to the width of the
preview and rendered again when it is resized) when the PySide6 add-on imports; otherwise page images from poppler's
``pdftoppm``. (``QPdfView`` was tried first: its background renderer sometimes never painted a page and blocked the
GUI thread for minutes when the machine was busy, so the page renders the images itself — a few ms per page.) Printing renders the pages of the ``QPdfDocument`` onto a ``QPrinter``:
:meth:`ReportsPage.print_document` = :meth:`make_printer` → :meth:`ask_printer` (the system dialog; tests replace
it) → :meth:`print_to`, which a test can point at a ``QPrinter`` writing a PDF file."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QPixmap, \
    QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
    QScrollArea, QSpinBox, QStyle, QSplitter, QStackedWidget, QTextEdit, QVBoxLayout, QWidget,
)

from fupin_desktop import paths
from fupin_desktop.services.reporting import Period, ReportFilter
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.views.reports.generate import (
    DOCUMENTS, PUBLIC_CAPABLE, Request, draft_summary, generate, print_summary,
)
from fupin_desktop.ui.widgets.date_edit import DateEdit

try:  # QtPdf ships in a separate wheel on some PySide6 versions
    from PySide6.QtPdf import QPdfDocument
    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the installation
    QPdfDocument = None
    HAVE_QTPDF = False

PREVIEW_PAGES = 12  # pdftoppm fallback
QTPDF_PREVIEW_PAGES = 300  # QtPdf: pages shown (longer documents: the first ones, and a note); rendered when seen
PAGE_GAP = 10
PRINT_DPI = 300  # pages are rendered for the printer at most at this resolution (1200 dpi A4 would be 550 MB)

_NAMES = {
    "roster": QT_TRANSLATE_NOOP("ReportsPage", "Household roster"),
    "pairings": QT_TRANSLATE_NOOP("ReportsPage", "Pairing ledger"),
    "visits": QT_TRANSLATE_NOOP("ReportsPage", "Visit ledger"),
    "problems": QT_TRANSLATE_NOOP("ReportsPage", "Problem list and closure ledger"),
    "diary": QT_TRANSLATE_NOOP("ReportsPage", "Residents' diary ledger"),
    "worklog": QT_TRANSLATE_NOOP("ReportsPage", "Work log"),
    "attendance": QT_TRANSLATE_NOOP("ReportsPage", "Attendance sheet"),
    "projects": QT_TRANSLATE_NOOP("ReportsPage", "Project ledger"),
    "funds": QT_TRANSLATE_NOOP("ReportsPage", "Project funds ledger"),
    "donations": QT_TRANSLATE_NOOP("ReportsPage", "Donation ledger"),
    "distributions": QT_TRANSLATE_NOOP("ReportsPage", "Distribution and signature sheet"),
    "purchases": QT_TRANSLATE_NOOP("ReportsPage", "Consumption support ledger"),
    "monitored": QT_TRANSLATE_NOOP("ReportsPage", "Monitored household roster"),
    "measures": QT_TRANSLATE_NOOP("ReportsPage", "Assistance measures ledger"),
    "handbook": QT_TRANSLATE_NOOP("ReportsPage", "Household handbook (one book per household)"),
    "diary_book": QT_TRANSLATE_NOOP("ReportsPage", "Residents' diary book"),
    "summary": QT_TRANSLATE_NOOP("ReportsPage", "Work summary (draft)"),
}


def document_name(key: str) -> str:
    return QCoreApplication.translate("ReportsPage", _NAMES[key])


class ReportsPage(QWidget):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.current_pdf: Path | None = None
        self._figures = None
        self._tmp = Path(tempfile.mkdtemp(prefix="fupin-reports-"))
        self._build()
        self.refresh()

    # -- layout ---------------------------------------------------------------------------------------------------
    def _build(self) -> None:
        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(split)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(12, 12, 6, 12)
        lv.addWidget(QLabel(self.tr("Document"), left))
        self.documents = QListWidget(left)
        self.documents.setObjectName("ReportDocuments")
        for key in DOCUMENTS:
            item = QListWidgetItem(document_name(key))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.documents.addItem(item)
        self.documents.setCurrentRow(DOCUMENTS.index("visits"))
        self.documents.currentRowChanged.connect(self._document_changed)
        lv.addWidget(self.documents, 1)

        form = QFormLayout()
        today = self.services.ctx.today()
        self.period_kind = QComboBox(left)
        for code, text in (("half", self.tr("Half year")), ("year", self.tr("Year")),
                           ("quarter", self.tr("Quarter")), ("month", self.tr("Month")),
                           ("custom", self.tr("Custom dates"))):
            self.period_kind.addItem(text, code)
        self.period_kind.currentIndexChanged.connect(self._period_kind_changed)
        form.addRow(self.tr("Period"), self.period_kind)
        self.year = QSpinBox(left)
        self.year.setRange(2010, 2100)
        self.year.setValue(today.year)
        form.addRow(self.tr("Year"), self.year)
        self.part = QComboBox(left)
        form.addRow(self.tr("Which"), self.part)
        self.start = DateEdit(left, value=date(today.year, 1, 1))
        self.end = DateEdit(left, value=today)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        self.group = QComboBox(left)
        form.addRow(self.tr("Villager group"), self.group)
        self.cadre = QComboBox(left)
        form.addRow(self.tr("Cadre"), self.cadre)
        lv.addLayout(form)
        self.public = QCheckBox(self.tr("Public notice version (no health, disability or income)"), left)
        self.public.setObjectName("PublicNotice")
        self.public.setToolTip(self.tr("For posting in the village: health, disability and income columns are "
                                       "left out; ID and phone numbers stay masked."))
        lv.addWidget(self.public)

        self.generate_button = QPushButton(self.tr("Generate"), left)
        self.generate_button.setObjectName("GenerateButton")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        lv.addWidget(self.generate_button)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print…"), left)
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton(self.tr("Save as PDF…"), left)
        self.save_button.clicked.connect(self.save_as)
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        lv.addLayout(row)
        self.status = QLabel(left)
        self.status.setObjectName("ReportStatus")
        self.status.setWordWrap(True)
        lv.addWidget(self.status)

        right = QWidget(split)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(6, 12, 12, 12)
        self.editor_bar = QWidget(right)
        eb = QVBoxLayout(self.editor_bar)
        eb.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(self.tr("Every figure below was computed from the records. Rewrite the text freely, then "
                              "press \"Print summary to PDF\"."), self.editor_bar)
        hint.setWordWrap(True)
        eb.addWidget(hint)
        self.editor = QTextEdit(self.editor_bar)
        self.editor.setObjectName("SummaryEditor")
        self.editor.setAcceptRichText(False)
        eb.addWidget(self.editor, 1)
        self.summary_button = QPushButton(self.tr("Print summary to PDF"), self.editor_bar)
        self.summary_button.clicked.connect(self.render_summary)
        eb.addWidget(self.summary_button)
        rv.addWidget(self.editor_bar, 2)

        self.preview = QStackedWidget(right)
        self.empty = QLabel(self.tr("Choose a document and a period on the left, then press Generate (Ctrl+G)."),
                            self.preview)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.preview.addWidget(self.empty)
        self.pdf_doc = QPdfDocument(self) if HAVE_QTPDF else None
        self.pages_area = QScrollArea(self.preview)
        self.pages_area.setObjectName("PreviewPages")
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setStyleSheet("QScrollArea#PreviewPages { background: #8a8f96; }")
        self.pages_holder = QWidget()
        self.pages_holder.setStyleSheet("background: #8a8f96;")
        self.pages_layout = QVBoxLayout(self.pages_holder)
        self.pages_layout.setSpacing(PAGE_GAP)
        self.pages_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_area.setWidget(self.pages_holder)
        self.preview.addWidget(self.pages_area)
        self.page_labels: list[QLabel] = []
        self._rendered_width = 0
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(150)
        self._resize_timer.timeout.connect(self._rerender_if_resized)
        self.pages_area.verticalScrollBar().valueChanged.connect(self._render_visible)
        rv.addWidget(self.preview, 3)

        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 900])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        QShortcut(QKeySequence("Ctrl+G"), self).activated.connect(self.generate)
        QShortcut(QKeySequence("Ctrl+P"), self).activated.connect(self.print_document)
        self._period_kind_changed()
        self._document_changed()
        self._set_ready(False)

    def refresh(self) -> None:
        self.group.clear()
        self.group.addItem(self.tr("All groups"), None)
        for g in self.services.reporting.group_names():
            self.group.addItem(g, g)
        self.cadre.clear()
        self.cadre.addItem(self.tr("All cadres"), None)
        for c in self.services.cadres.list():
            self.cadre.addItem(c.name, c.id)

    def activated(self) -> None:
        pass

    # -- inputs ---------------------------------------------------------------------------------------------------
    def document(self) -> str:
        item = self.documents.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else "visits"

    def select_document(self, key: str) -> None:
        self.documents.setCurrentRow(DOCUMENTS.index(key))

    def _document_changed(self, *_):
        is_summary = self.document() == "summary"
        self.editor_bar.setVisible(is_summary)
        self.public.setEnabled(self.document() in PUBLIC_CAPABLE)
        self.generate_button.setText(self.tr("Draft summary") if is_summary else self.tr("Generate"))

    def _period_kind_changed(self, *_):
        kind = self.period_kind.currentData()
        self.part.clear()
        if kind == "half":
            self.part.addItems([self.tr("First half"), self.tr("Second half")])
        elif kind == "quarter":
            self.part.addItems([self.tr("Q1"), self.tr("Q2"), self.tr("Q3"), self.tr("Q4")])
        elif kind == "month":
            self.part.addItems([str(m) for m in range(1, 13)])
        self.part.setEnabled(kind in ("half", "quarter", "month"))
        self.year.setEnabled(kind != "custom")
        self.start.setEnabled(kind == "custom")
        self.end.setEnabled(kind == "custom")

    def period(self) -> Period:
        kind = self.period_kind.currentData()
        y = self.year.value()
        i = self.part.currentIndex() + 1
        if kind == "year":
            return Period.year(y)
        if kind == "half":
            return Period.half(y, i)
        if kind == "quarter":
            return Period.quarter(y, i)
        if kind == "month":
            return Period.month(y, i)
        return Period.custom(self.start.value() or date(y, 1, 1), self.end.value() or self.services.ctx.today())

    def report_filter(self) -> ReportFilter:
        return ReportFilter(self.period(), self.group.currentData(), self.cadre.currentData())

    # -- actions --------------------------------------------------------------------------------------------------
    def _set_ready(self, ready: bool) -> None:
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    def generate(self) -> tasks.Task | None:
        try:
            flt = self.report_filter()
        except Exception as exc:  # noqa: BLE001 - a bad period is shown, not raised
            messages.error(self, exc)
            return None
        doc = self.document()
        self.generate_button.setEnabled(False)
        self.status.setText(self.tr("Working…"))
        if doc == "summary":
            return tasks.run_in_background(draft_summary, self.services, flt, on_success=self._drafted,
                                           on_failure=self._failed, parent=self,
                                           progress_title=self.tr("Drafting the summary"))
        public = self.public.isChecked() and doc in PUBLIC_CAPABLE
        path = self._tmp / f"{doc}-{flt.period.start:%Y%m%d}-{flt.period.end:%Y%m%d}{'-public' if public else ''}.pdf"
        return tasks.run_in_background(generate, self.services, Request(doc, flt, public=public), path,
                                       on_success=self._generated,
                                       on_failure=self._failed, parent=self, cancellable=True,
                                       progress_title=self.tr("Generating {name}").format(name=document_name(doc)))

    def _failed(self, exc: BaseException) -> None:
        self.generate_button.setEnabled(True)
        self.status.setText("")
        tasks.report_error(self, exc)

    def _drafted(self, result) -> None:
        self._figures, text = result
        self.editor.setPlainText(text)
        self.generate_button.setEnabled(True)
        self.status.setText(self.tr("Draft ready: edit it, then print it to PDF."))
        self.render_summary()

    def render_summary(self) -> tasks.Task | None:
        text = self.editor.toPlainText().strip()
        if not text:
            messages.info(self, self.tr("Draft the summary first."))
            return None
        flt = self.report_filter()
        path = self._tmp / f"summary-{flt.period.start:%Y%m%d}-{flt.period.end:%Y%m%d}.pdf"
        return tasks.run_in_background(print_summary, self.services, flt, text, path, on_success=self._generated,
                                       on_failure=self._failed, parent=self,
                                       progress_title=self.tr("Printing the summary"))

    def _generated(self, path) -> None:
        self.current_pdf = Path(path)
        self.generate_button.setEnabled(True)
        self._set_ready(True)
        self.status.setText(self.tr("Generated: {name}").format(name=self.current_pdf.name))
        self.show_preview(self.current_pdf)
        if HAVE_QTPDF and self.pdf_doc.pageCount():
            self.status.setText(self.tr("Generated: {name} ({pages} pages)").format(
                name=self.current_pdf.name, pages=self.pdf_doc.pageCount()))

    # -- preview --------------------------------------------------------------------------------------------------
    def show_preview(self, path: Path) -> None:
        if HAVE_QTPDF:
            self.pdf_doc.close()
            self.pdf_doc.load(str(path))  # a local file loads synchronously
            self._rendered_width = 0
        self.preview.setCurrentWidget(self.pages_area)
        self._fill_pages(path)

    def _page_width(self) -> int:
        """Pixel width of a page image: the width of the preview (fit to width), within reason."""
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        width = self.preview.width() - 2 * self.pages_area.frameWidth() - bar - 2 * PAGE_GAP - 2
        return max(300, min(width, 2400))

    def _fill_pages(self, path: Path) -> None:
        while self.pages_layout.count():
            w = self.pages_layout.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.page_labels = []
        if HAVE_QTPDF and self.pdf_doc.pageCount():
            self._qtpdf_placeholders()
            return
        images = self._render_pages(path)
        if not images:
            label = QLabel(self.tr("This computer cannot show a preview (the Qt PDF module is missing). "
                                   "Use Print… or Save as PDF… to open the document."), self.pages_holder)
            label.setWordWrap(True)
            self.pages_layout.addWidget(label)
        for img in images:
            label = QLabel(self.pages_holder)
            label.setPixmap(QPixmap.fromImage(img))
            label.setStyleSheet("background: white; border: 1px solid #666;")
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)

    def _qtpdf_placeholders(self) -> None:
        """One white label per page at the width of the preview; the pages in view are rendered at once, the others
        when they are scrolled to (a 300-page ledger would otherwise take seconds and hundreds of MB)."""
        width = self._page_width()
        self._rendered_width = width
        count = self.pdf_doc.pageCount()
        shown = min(count, QTPDF_PREVIEW_PAGES)
        for i in range(shown):
            points = self.pdf_doc.pagePointSize(i)
            label = QLabel(self.pages_holder)
            label.setFixedSize(width, round(width * points.height() / points.width()))
            label.setStyleSheet("background: white;")
            label.setProperty("rendered", False)
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        if count > shown:
            more = QLabel(self.tr("The preview shows the first {shown} of {pages} pages; print or save the document "
                                  "to see all of them.").format(shown=shown, pages=count), self.pages_holder)
            more.setStyleSheet("color: white;")
            self.pages_layout.addWidget(more)
        self.pages_layout.activate()
        self._render_visible()

    def _render_visible(self, *_) -> None:
        """Render the pages that are (about to be) in view."""
        if not (HAVE_QTPDF and self.page_labels and self.page_labels[0].property("rendered") is not None):
            return
        top = self.pages_area.verticalScrollBar().value()
        bottom = top + max(self.pages_area.viewport().height(), 1)
        y = PAGE_GAP
        for i, label in enumerate(self.page_labels):
            h = label.height()
            if y + h >= top - h and y <= bottom + h and not label.property("rendered"):
                label.setPixmap(QPixmap.fromImage(self._render_page(i, label.size())))
                label.setProperty("rendered", True)
            y += h + PAGE_GAP
            if y > bottom + h:
                break

    def _render_page(self, index: int, size: QSize) -> QImage:
        """A page rendered by QtPdf on white paper (not transparent)."""
        page = self.pdf_doc.render(index, size)
        paper = QImage(size, QImage.Format.Format_RGB32)
        paper.fill(QColor("white"))
        painter = QPainter(paper)
        painter.drawImage(0, 0, page)
        painter.end()
        return paper

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if HAVE_QTPDF and self.page_labels:
            self._resize_timer.start()

    def _rerender_if_resized(self) -> None:
        if self.current_pdf is not None and HAVE_QTPDF and abs(self._page_width() - self._rendered_width) > 8:
            self._fill_pages(self.current_pdf)

    def _render_pages(self, path: Path) -> list[QImage]:
        """Page images without QtPdf: poppler's pdftoppm when it is installed (Linux), else none."""
        tool = shutil.which("pdftoppm")
        if not tool:
            return []
        out = self._tmp / "preview"
        for old in self._tmp.glob("preview*.png"):
            old.unlink()
        try:
            subprocess.run([tool, "-r", "60", "-png", "-f", "1", "-l", str(PREVIEW_PAGES), str(path), str(out)],
                           check=True, timeout=60, capture_output=True)
        except (OSError, subprocess.SubprocessError):
            return []
        return [QImage(str(p)) for p in sorted(self._tmp.glob("preview*.png"))]

    # -- output ---------------------------------------------------------------------------------------------------
    def save_as(self, target: str | None = None) -> Path | None:
        if self.current_pdf is None:
            return None
        if not target:
            default = paths.export_dir() / self.current_pdf.name
            target, _ = QFileDialog.getSaveFileName(self, self.tr("Save as PDF"), str(default), "PDF (*.pdf)")
            if not target:
                return None
        from fupin_desktop.fileio import write_bytes_atomic

        write_bytes_atomic(target, self.current_pdf.read_bytes())
        self.status.setText(self.tr("Saved: {path}").format(path=target))
        return Path(target)

    def print_document(self) -> int:
        """Print the current document on a printer chosen in the system dialog; returns the pages printed."""
        if self.current_pdf is None:
            return 0
        if not HAVE_QTPDF:
            # without QtPdf the system PDF reader prints it
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.current_pdf)))
            return 0
        printer = self.make_printer()
        if not self.ask_printer(printer):
            return 0
        return self.print_to(printer)

    def make_printer(self, printer=None):
        """A QPrinter set up for the current document: A4, the orientation of its first page, its name."""
        from PySide6.QtPrintSupport import QPrinter

        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        if self.pdf_doc.pageCount():
            size = self.pdf_doc.pagePointSize(0)
            printer.setPageOrientation(QPageLayout.Orientation.Landscape if size.width() > size.height()
                                       else QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)  # the PDF pages carry their own margins
        if self.current_pdf is not None:
            printer.setDocName(self.current_pdf.stem)
        return printer

    def ask_printer(self, printer) -> bool:
        """The system print dialog (printer, pages, copies); False when cancelled. Tests replace this."""
        from PySide6.QtPrintSupport import QPrintDialog

        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(1, self.pdf_doc.pageCount()))
        return dialog.exec() == QPrintDialog.DialogCode.Accepted

    def print_to(self, printer) -> int:
        """Render the pages of the current QPdfDocument onto ``printer`` (its page range, if one was chosen), each
        scaled to fit the paper; returns the number of pages printed."""
        count = self.pdf_doc.pageCount()
        if not count:
            return 0
        first = max(1, printer.fromPage() or 1)
        last = min(count, printer.toPage() or count)
        dpi = min(printer.resolution(), PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(self.tr("The printer could not be started."))
        printed = 0
        try:
            for i in range(first - 1, last):
                if printed:
                    printer.newPage()
                points = self.pdf_doc.pagePointSize(i)
                img = self.pdf_doc.render(i, QSize(round(points.width() / 72 * dpi),
                                                   round(points.height() / 72 * dpi)))
                target = QRectF(painter.viewport())
                scale = min(target.width() / img.width(), target.height() / img.height())
                w, h = img.width() * scale, img.height() * scale
                rect = QRectF(target.x() + (target.width() - w) / 2, target.y() + (target.height() - h) / 2, w, h)
                painter.fillRect(rect, QColor("white"))
                painter.drawImage(rect, img)
                printed += 1
        finally:
            painter.end()
        return printed


__all__ = ["ReportsPage"]
