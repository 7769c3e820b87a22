"""台账报表 page: choose a document, a period and filters; generate it in the background; preview the pages; print
or save as PDF. The 工作总结 draft opens in an editor first, so the secretary can rewrite it before printing.

Preview: the pages rendered by QtPdf (``QPdfDocument.render``, on the GUI thread, fitted to the width of the
preview and rendered again when it is resized) when the PySide6 add-on imports; otherwise page images from poppler's
``pdftoppm``. (``QPdfView`` was tried first: its background renderer sometimes never painted a page and blocked the
GUI thread for minutes when the machine was busy, so the page renders the images itself — a few ms per page.) Printing renders the pages at 200 dpi onto a ``QPrinter``:
:meth:`ReportsPage.print_document` = :meth:`make_printer` → :meth:`ask_printer` (the system dialog; tests replace
it) → :meth:`print_to`, which a test can point at a ``QPrinter`` writing a PDF file. The pages are rendered on a worker
thread (``tasks.run_in_background``, progress dialog with 取消) from a ``QPdfDocument`` of its own; a PDF-file printer
is painted there too, a native printer on the GUI thread page by page as the images arrive."""
from __future__ import annotations

import functools
import queue
import shutil
import subprocess
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QEventLoop, QObject, QRectF, QSize, Qt, QTimer, QUrl, Signal, Slot,
)
from PySide6.QtGui import QColor, QDesktopServices, QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QPixmap, \
    QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
    QScrollArea, QSpinBox, QStyle, QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)

from fupin_desktop import paths
from fupin_desktop.reports.notices import NOTICE_KEYS
from fupin_desktop.services.closing import PeriodKey
from fupin_desktop.services.reporting import Period, ReportFilter
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.views.reports.closing import ClosingPanel
from fupin_desktop.ui.views.reports.notice_terms import NoticeTermsBox
from fupin_desktop.ui.views.reports.summary_panel import SummaryPanel
from fupin_desktop.ui.views.reports.generate import (
    DOCUMENTS, PUBLIC_CAPABLE, Request, draft_summary, generate, print_summary,
)
from fupin_desktop.ui.widgets.date_edit import DateEdit
from fupin_desktop.ui.widgets.refresh import RefreshOnChange
from fupin_desktop.ui.widgets.save_path import ask_save_path
from fupin_desktop.ui.widgets.save_path import safe_file_name as _safe_file_name
from fupin_desktop.ui.widgets.village_scope import village_scope

try:  # QtPdf ships in a separate wheel on some PySide6 versions
    from PySide6.QtPdf import QPdfDocument
    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the installation
    QPdfDocument = None
    HAVE_QTPDF = False

PREVIEW_PAGES = 12  # pdftoppm fallback
QTPDF_PREVIEW_PAGES = 300  # QtPdf: pages shown (longer documents: the first ones, and a note); rendered when seen
PAGE_GAP = 10
# Pages are rendered for the printer at most at this resolution. 200 dpi keeps 8-9 pt ledger text and hairlines
# crisp on an office laser/inkjet (their halftoning resolves less than that in practice) while an A4 page stays
# ~4 MB in memory; 300 dpi took 2.25x the time and made a 64-page print-to-PDF 50 MB (1200 dpi: 550 MB a page).
PRINT_DPI = 200

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
    "distributions": QT_TRANSLATE_NOOP("ReportsPage", "Distribution register"),
    "sign_sheet": QT_TRANSLATE_NOOP("ReportsPage", "Signature sheet of one distribution batch"),
    "purchases": QT_TRANSLATE_NOOP("ReportsPage", "Consumption support ledger"),
    "monitored": QT_TRANSLATE_NOOP("ReportsPage", "Monitored household roster"),
    "measures": QT_TRANSLATE_NOOP("ReportsPage", "Assistance measures ledger"),
    "handbook": QT_TRANSLATE_NOOP("ReportsPage", "Household handbook (one book per household)"),
    "diary_book": QT_TRANSLATE_NOOP("ReportsPage", "Residents' diary book"),
    "summary": QT_TRANSLATE_NOOP("ReportsPage", "Work summary (draft)"),
    "village_facts": QT_TRANSLATE_NOOP("ReportsPage", "Village basic figures"),
    "team_roster": QT_TRANSLATE_NOOP("ReportsPage", "Work team roster"),
    "sign_in": QT_TRANSLATE_NOOP("ReportsPage", "Daily attendance sign-in sheet (month grid)"),
    "meetings": QT_TRANSLATE_NOOP("ReportsPage", "Meeting minutes with sign-in"),
    "fund_book": QT_TRANSLATE_NOOP("ReportsPage", "Fund ledger (income, expenditure, balance)"),
    "goods_stock": QT_TRANSLATE_NOOP("ReportsPage", "Donated goods: received, given out, in stock"),
    "guarantee_checks": QT_TRANSLATE_NOOP("ReportsPage", "Two assurances and three guarantees check ledger"),
    "assets": QT_TRANSLATE_NOOP("ReportsPage", "Project asset ledger"),
    "notice_monitored": QT_TRANSLATE_NOOP("ReportsPage", "Notice: households taken into monitoring"),
    "notice_eliminated": QT_TRANSLATE_NOOP("ReportsPage", "Notice: monitored households whose risk is eliminated"),
    "notice_donations": QT_TRANSLATE_NOOP("ReportsPage", "Notice: donations received and used"),
    "notice_projects": QT_TRANSLATE_NOOP("ReportsPage", "Notice: projects"),
    "suggestions": QT_TRANSLATE_NOOP("ReportsPage", "Suggestions ledger"),
}


def document_name(key: str) -> str:
    if key not in _NAMES:  # a document registered without a name here: its Chinese title from the registry
        from fupin_desktop.reports.registry import BY_KEY

        return BY_KEY[key].title
    return QCoreApplication.translate("ReportsPage", _NAMES[key])


# Documents about one village as a whole: not made for 全部村 of a township database (choose the village first).
ONE_VILLAGE_DOCUMENTS = frozenset({"summary", "village_facts"})


class ReportsPage(RefreshOnChange, QWidget):
    WATCHED = ()  # no data change refreshes it; the top bar's village chooser does (RefreshOnChange)

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.current_pdf: Path | None = None
        self.print_task: tasks.Task | None = None  # while printing
        self.reprint_warning: str | None = None  # 结账: set after a ledger of a closed period was generated
        self._figures = None
        self._draft: str | None = None  # the last draft as drafted (to tell her edits from it)
        # PDFs with personal data: in the private temp folder under the data folder (paths.py), removed when they
        # are replaced or fail, with the page, at exit, and at the next start after a kill.
        self._tmp = paths.private_temp_dir("reports")
        self.destroyed.connect(functools.partial(shutil.rmtree, str(self._tmp), True))
        self._several_villages = False  # a township database (several villages merged)
        self._build()
        self.refresh()
        self.watch_changes()

    # -- layout ---------------------------------------------------------------------------------------------------
    def _build(self) -> None:
        split = self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
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
        self.period_kind.currentIndexChanged.connect(self._show_period_dates)
        form.addRow(self.tr("Period"), self.period_kind)
        self.year = QSpinBox(left)
        self.year.setRange(2010, 2100)
        self.year.setValue(today.year)
        self.year.valueChanged.connect(self._show_period_dates)
        self.part = QComboBox(left)
        self.part.currentIndexChanged.connect(self._show_period_dates)
        # year and part, from and to, share a row: at 768 px the document list keeps room for more than 4 names
        year_row = QHBoxLayout()
        year_row.addWidget(self.year)
        year_row.addWidget(self.part, 1)
        form.addRow(self.tr("Year"), year_row)
        self.start = DateEdit(left, value=date(today.year, 1, 1))
        self.end = DateEdit(left, value=today)
        dates_row = QHBoxLayout()
        dates_row.addWidget(self.start, 1)
        dates_row.addWidget(QLabel("—", left))
        dates_row.addWidget(self.end, 1)
        form.addRow(self.tr("Dates"), dates_row)
        self.group = QComboBox(left)
        form.addRow(self.tr("Villager group"), self.group)
        self.cadre = QComboBox(left)
        form.addRow(self.tr("Cadre"), self.cadre)
        self.batch = QComboBox(left)  # 发放签收表: which 发放批次 (filled for the period when that document is chosen)
        self.batch.setObjectName("DistributionBatch")
        self.batch.currentIndexChanged.connect(lambda *_: self.batch.setToolTip(self.batch.currentText()))
        form.addRow(self.tr("Batch"), self.batch)
        self.form = form
        lv.addLayout(form)
        self.public = QCheckBox(self.tr("Public notice version (no health, disability, income or free text)"), left)
        self.public.setObjectName("PublicNotice")
        self.public.setToolTip(self.tr("For posting in the village: health, disability, income and free-text "
                                       "columns are left out; ID and phone numbers stay masked."))
        lv.addWidget(self.public)
        self.notice_terms = NoticeTermsBox(self.services.ctx.today(), left)  # 公示期 / 监督电话 of a 公示 notice
        lv.addWidget(self.notice_terms)

        self.village_note = QLabel(left)  # a township database: which village the documents are of
        self.village_note.setObjectName("VillageNote")
        self.village_note.setWordWrap(True)
        self.village_note.hide()
        lv.addWidget(self.village_note)
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
        self.closing = ClosingPanel(self.services, self.period_key, left)  # 结账 / 反结账 and the closed periods
        lv.addWidget(self.closing)

        right = QWidget(split)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(6, 12, 12, 12)
        self.editor_bar = SummaryPanel(self.services, self.report_filter, right)  # the 工作总结's choices and text
        self.editor = self.editor_bar.editor
        self.summary_button = self.editor_bar.print_button
        self.summary_button.clicked.connect(self.render_summary)
        self.editor_bar.sections_saved.connect(self._sections_saved)
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
        self.preview.installEventFilter(self)  # window resize and splitter drag both resize the preview
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
        self._period_kind_changed()
        self._document_changed()
        self._set_ready(False)

    def refresh(self) -> None:
        village = village_scope().village_id  # a township database: the groups and cadres of the chosen village
        self.group.clear()
        self.group.addItem(self.tr("All groups"), None)
        for g in self.services.reporting.group_names(village):
            self.group.addItem(g, g)
        self.cadre.clear()
        self.cadre.addItem(self.tr("All cadres"), None)
        for c in self.services.cadres.list(village_id=village):
            self.cadre.addItem(c.name, c.id)
        self._several_villages = len(self.services.village.villages()) > 1
        self._fill_batches()
        self._show_village_note()

    def _village_changed(self, _village_id: str) -> None:
        """The top bar's village chooser: the lists of that village; a document on show is of the other one."""
        self.refresh()
        if self.current_pdf is not None:
            self._set_ready(False)
            self.preview.setCurrentWidget(self.empty)
            self.status.setText(self.tr("The village changed: press Generate to make the document again."))

    def needs_a_village(self) -> bool:
        """The chosen document is about one village, and the township database is shown with 全部村."""
        return (self._several_villages and village_scope().village_id is None
                and self.document() in ONE_VILLAGE_DOCUMENTS)

    def _show_village_note(self) -> None:
        if not hasattr(self, "village_note"):
            return  # still being built
        name = village_scope().village_name
        if self.needs_a_village():
            text = self.tr("{document} is about one village: choose the village in the top bar first.").format(
                document=document_name(self.document()))
        elif self._several_villages and not name:
            text = self.tr("All villages: the documents cover every village of this database and their heading "
                           "says 全部村.")
        else:
            text = ""  # one village: the top bar says which, the document's heading too (the list keeps its room)
        self.village_note.setText(text)
        self.village_note.setVisible(bool(text))
        self.generate_button.setEnabled(not self.needs_a_village())

    def activated(self) -> None:
        pass

    # -- inputs ---------------------------------------------------------------------------------------------------
    def document(self) -> str:
        item = self.documents.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else "visits"

    def select_document(self, key: str) -> None:
        self.documents.setCurrentRow(DOCUMENTS.index(key))

    def _document_changed(self, *_):
        self._fill_batches()
        self._show_village_note()
        is_summary = self.document() == "summary"
        self.editor_bar.setVisible(is_summary)
        self.public.setEnabled(self.document() in PUBLIC_CAPABLE)
        self.notice_terms.set_document(self.document())
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
        today = self.services.ctx.today()  # start on the part that contains today (not 上半年 in December)
        index = {"half": (today.month - 1) // 6, "quarter": (today.month - 1) // 3, "month": today.month - 1}
        if kind in index:
            self.part.setCurrentIndex(index[kind])
        self.part.setEnabled(kind in ("half", "quarter", "month"))
        self.year.setEnabled(kind != "custom")
        self.start.setEnabled(kind == "custom")
        self.end.setEnabled(kind == "custom")

    def _show_period_dates(self, *_):
        """The greyed From/To fields show the chosen period's own dates (she reads them as the period)."""
        kind = self.period_kind.currentData()
        if kind == "custom" or (kind != "year" and self.part.count() == 0):
            return  # custom: her own dates; no part yet: the list is being refilled
        p = self.period()
        self.start.setValue(p.start)
        self.end.setValue(p.end)
        self._fill_batches()

    def _fill_batches(self) -> None:
        """The 发放批次 of the period, shown only for the 发放签收表 (an instant read)."""
        if not hasattr(self, "batch"):
            return  # still being built
        wanted = self.document() == "sign_sheet"
        self.form.setRowVisible(self.batch, wanted)
        if not wanted:
            return
        from fupin_desktop.reports.sign_sheet import batch_label

        keep = self.batch.currentData()
        self.batch.clear()
        try:
            found = self.services.reporting.sign_sheet_batches(self.report_filter())
        except Exception:  # noqa: BLE001 - a half-typed custom period: no list until it is valid
            found = []
        for b in found:
            self.batch.addItem(batch_label(b), b.donation_id)
        if not found:
            self.batch.addItem(self.tr("No distributions in this period"), None)
        index = self.batch.findData(keep) if keep else -1
        self.batch.setCurrentIndex(max(index, 0))

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

    def period_key(self) -> PeriodKey | None:
        """The chosen period as one that can be closed (None: custom dates)."""
        kind = self.period_kind.currentData()
        if kind == "custom":
            return None
        return PeriodKey(kind, self.year.value(), 1 if kind == "year" else self.part.currentIndex() + 1)

    def report_filter(self) -> ReportFilter:
        return ReportFilter(self.period(), self.group.currentData(), self.cadre.currentData(),
                            village_scope().village_id)

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
        if self.needs_a_village():
            self.status.setText(self.village_note.text())
            return None
        self.generate_button.setEnabled(False)
        self.status.setText(self.tr("Working…"))
        if doc == "summary":
            return tasks.run_in_background(draft_summary, self.services, flt, self.editor_bar.as_of(),
                                           self.editor_bar.drafter_code(), on_success=self._drafted,
                                           on_failure=self._failed, parent=self,
                                           progress_title=self.tr("Drafting the summary"))
        public = self.public.isChecked() and doc in PUBLIC_CAPABLE
        # a Chinese name: it shows in the status line and is the suggested name when she saves the file
        suffix = self.tr("_public") if public else ""
        name = f"{document_name(doc)}_{flt.period.label}{suffix}"
        path = self._tmp / f"{_safe_file_name(name)}.pdf"
        notice = self.notice_terms.terms() if doc in NOTICE_KEYS else None
        return tasks.run_in_background(generate, self.services, Request(doc, flt, public=public,
                                                                        donation_id=self.batch.currentData(),
                                                                        notice=notice), path,
                                       on_success=self._generated,
                                       on_failure=self._failed, parent=self, cancellable=True,
                                       progress_title=self.tr("Generating {name}").format(name=document_name(doc)))

    def _drop_old_pdfs(self) -> None:
        for old in self._tmp.glob("*.pdf"):
            if self.current_pdf is None or old != self.current_pdf:
                old.unlink(missing_ok=True)

    def _failed(self, exc: BaseException) -> None:
        self._drop_old_pdfs()
        self.generate_button.setEnabled(True)
        self.status.setText("")
        tasks.report_error(self, exc)

    def _drafted(self, result) -> None:
        self._figures, text = result
        self._draft = text
        self.editor.setPlainText(text)
        self.generate_button.setEnabled(True)
        self.status.setText(self.tr("Draft ready: edit it, then print it to PDF."))
        self.render_summary()

    def _sections_saved(self) -> None:
        """Her sections were saved: draft again so the text carries them (asking first when she has rewritten the
        text by hand since the last draft)."""
        text = self.editor.toPlainText().strip()
        if text and text != (self._draft or "").strip() and not messages.confirm(
                self, self.tr("Draft the summary again with the saved sections? Your changes in the text are "
                              "replaced."), self.tr("Draft again")):
            return
        self.generate()

    def render_summary(self) -> tasks.Task | None:
        text = self.editor.toPlainText().strip()
        if not text:
            messages.info(self, self.tr("Draft the summary first."))
            return None
        flt = self.report_filter()
        path = self._tmp / f"{_safe_file_name(document_name('summary') + '_' + flt.period.label)}.pdf"
        return tasks.run_in_background(print_summary, self.services, flt, text, path,
                                       as_of=self.editor_bar.as_of(), appendix=self.editor_bar.appendix.isChecked(),
                                       on_success=self._generated,
                                       on_failure=self._failed, parent=self,
                                       progress_title=self.tr("Printing the summary"))

    def _generated(self, path) -> None:
        # 结账: a closed period's ledger that would now print differently than at closing is said so
        self.reprint_task = tasks.run_in_background(self.services.closing.reprint_check, self.document(),
                                                    self.report_filter(), parent=self, on_success=self._reprinted)
        self.current_pdf = Path(path)
        self._drop_old_pdfs()
        self.generate_button.setEnabled(True)
        self._set_ready(True)
        self.status.setText(self.tr("Generated: {name}").format(name=self.current_pdf.stem))
        self.show_preview(self.current_pdf)
        if HAVE_QTPDF and self.pdf_doc.pageCount():
            self.status.setText(self.tr("Generated: {name} ({pages} pages)").format(
                name=self.current_pdf.stem, pages=self.pdf_doc.pageCount()))

    def _reprinted(self, warning: str | None) -> None:
        self.reprint_warning = warning
        if warning:
            self.status.setText(f"{self.status.text()}\n{warning}")
            self.status.setStyleSheet("color: #a15c00;")
        else:
            self.status.setStyleSheet("")

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
        return _on_white(self.pdf_doc, index, size)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.preview and event.type() == QEvent.Type.Resize and HAVE_QTPDF and self.page_labels:
            self._resize_timer.start()  # fit the pages to the new width once the resizing pauses
        return super().eventFilter(watched, event)

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
            target = ask_save_path(self, self.tr("Save as PDF"), self.current_pdf.name, "PDF (*.pdf)")
            if target is None:
                return None
        from fupin_desktop.fileio import write_bytes_atomic

        write_bytes_atomic(target, self.current_pdf.read_bytes())
        self.status.setText(self.tr("Saved: {path}").format(path=target))
        messages.file_saved(self, target)
        return Path(target)

    def export_document(self) -> Path | None:
        """Ctrl+E (main window): save the document shown as a PDF file."""
        return self.save_as()

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
        """Print the pages of the current document on ``printer`` (its page range, if one was chosen), each rendered
        at :data:`PRINT_DPI` and scaled to fit the paper; returns the number of pages printed (0 when cancelled or
        failed). The pages are rendered on a worker thread (its own ``QPdfDocument``) under a progress dialog with
        取消; a PDF-file printer is painted there too, a native printer page by page on the GUI thread. The window
        stays responsive while this method waits; a cancelled print to a file leaves no file behind."""
        count = self.pdf_doc.pageCount()
        if not count or self.current_pdf is None or self.print_task is not None:
            return 0
        first = max(1, printer.fromPage() or 1)
        last = min(count, printer.toPage() or count)
        pages = list(range(first - 1, last))
        dpi = min(printer.resolution(), PRINT_DPI)
        text = self.tr("Printing page {page} of {pages}…")
        title = self.tr("Printing {name}").format(name=self.current_pdf.name)
        self.print_button.setEnabled(False)
        self.status.setText(self.tr("Printing…"))
        sheets = handoff = None
        try:
            if self._paints_in_worker(printer):
                task = tasks.run_in_background(
                    _print_in_worker, str(self.current_pdf), pages, dpi, printer, text, parent=self,
                    on_failure=self._print_failed, progress_title=title, cancellable=True)
            else:  # a native printer: only rendering leaves the GUI thread
                sheets = _Sheets(printer)
                sheets.begin()
                handoff = _Handoff(sheets.add)
                task = tasks.run_in_background(
                    _render_pages, str(self.current_pdf), pages, dpi, handoff.put, text, parent=self,
                    on_failure=self._print_failed, progress_title=title, cancellable=True)
                handoff.token = task.token
            self.print_task = task
            _wait_for(task)
            if sheets is not None:
                handoff.drain()  # (pages queued just before the worker returned)
                sheets.finish(ok=task.error is None)
                if task.error is not None:
                    _remove_partial(printer)
        except BaseException:
            if sheets is not None:
                sheets.finish(ok=False)
                _remove_partial(printer)
            raise
        finally:
            self.print_task = None
            self.print_button.setEnabled(self.current_pdf is not None)
        if isinstance(task.error, tasks.Cancelled):
            self.status.setText(self.tr("Printing cancelled."))
            return 0
        if task.error is not None:
            self.status.setText("")
            return 0
        printed = int(task.result if sheets is None else sheets.printed)
        self.status.setText(self.tr("Printed {pages} pages.").format(pages=printed))
        return printed

    def _paints_in_worker(self, printer) -> bool:
        """QPainter on a PDF-file QPrinter (QPdfEngine) works off the GUI thread; native print engines (GDI on
        Windows, CUPS) are only promised to work on the GUI thread."""
        from PySide6.QtPrintSupport import QPrinter

        return printer.outputFormat() == QPrinter.OutputFormat.PdfFormat

    def _print_failed(self, exc: BaseException) -> None:
        tasks.report_error(self, exc)


def _remove_partial(printer) -> None:
    """A native printer told to print to a file (Windows' "print to file"): a cancelled job leaves no partial file."""
    name = printer.outputFileName()
    if name:
        Path(name).unlink(missing_ok=True)


def _wait_for(task: tasks.Task) -> None:
    """Run a local event loop until ``task`` has finished (its callbacks included): the window repaints and the
    progress dialog's 取消 works while the caller waits for the result."""
    if task.done and task not in tasks.tracker().active:
        return
    loop = QEventLoop()
    task.finished.connect(loop.quit)
    if task in tasks.tracker().active:
        loop.exec()


def _page_image(doc, index: int, dpi: int) -> QImage:
    """Page ``index`` of ``doc`` at ``dpi`` on white paper (QtPdf leaves the background transparent)."""
    points = doc.pagePointSize(index)
    size = QSize(max(1, round(points.width() / 72 * dpi)), max(1, round(points.height() / 72 * dpi)))
    return _on_white(doc, index, size)


def _on_white(doc, index: int, size: QSize) -> QImage:
    """Page ``index`` of ``doc`` rendered at ``size`` on white paper (QtPdf leaves the background transparent)."""
    page = doc.render(index, size)
    paper = QImage(size, QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, page)
    painter.end()
    return paper


def _render_pages(pdf_path: str, pages: list[int], dpi: int, deliver, text: str, *, progress, cancel) -> int:
    """Worker thread: render ``pages`` of the PDF and hand each image to ``deliver``. A QPdfDocument of its own
    (QtPdf serialises its pdfium calls, so the preview can keep rendering meanwhile)."""
    doc = QPdfDocument()
    try:
        if doc.load(pdf_path) != QPdfDocument.Error.None_:
            raise OSError(f"cannot open {pdf_path}")
        total = len(pages)
        for done, index in enumerate(pages):
            cancel.raise_if_cancelled()
            progress(done, total, text.format(page=done + 1, pages=total))
            deliver(_page_image(doc, index, dpi))
        cancel.raise_if_cancelled()
        progress(total, total, text.format(page=total, pages=total))
        return total
    finally:
        doc.close()


def _print_in_worker(pdf_path: str, pages: list[int], dpi: int, printer, text: str, *, progress, cancel) -> int:
    """Worker thread: render and paint every page onto a PDF-file ``printer``. The file is written under a temporary
    name and renamed at the end, so a cancelled or failed print leaves no partial file (nor clobbers an old one)."""
    from fupin_desktop.fileio import atomic_path

    target = printer.outputFileName()
    if not target:
        raise OSError("the printer has no output file")
    mode = printer.colorMode()
    with atomic_path(target) as tmp:
        printer.setOutputFileName(str(tmp))
        sheets = _Sheets(printer, gray_if_possible=True)
        ok = False
        try:
            _render_pages(pdf_path, pages, dpi, sheets.add, text, progress=progress, cancel=cancel)
            ok = True
        finally:
            sheets.finish(ok)
            printer.setOutputFileName(target)
            printer.setColorMode(mode)
    return sheets.printed


class _Sheets:
    """A QPainter on a QPrinter: one page image per sheet, scaled to fit the paper and centred. ``gray_if_possible``
    (PDF files): when the first page has no colour — our ledgers are black and grey only — the printer is switched to
    grayscale before it starts, which makes QPdfEngine store the page images at a third of the size."""

    def __init__(self, printer, gray_if_possible: bool = False):
        self.printer = printer
        self.painter = QPainter()
        self.printed = 0
        self._gray_if_possible = gray_if_possible
        self._finished = False

    def begin(self, first: QImage | None = None) -> None:
        if self._gray_if_possible and first is not None and first.allGray():
            from PySide6.QtPrintSupport import QPrinter

            self.printer.setColorMode(QPrinter.ColorMode.GrayScale)
        if not self.painter.begin(self.printer):
            raise OSError(QCoreApplication.translate("ReportsPage", "The printer could not be started."))

    def add(self, img: QImage) -> None:
        if not self.painter.isActive():
            if self._finished or self.printed:
                return
            self.begin(img)
        if self.printed:
            self.printer.newPage()
        target = QRectF(self.painter.viewport())
        scale = min(target.width() / img.width(), target.height() / img.height())
        w, h = img.width() * scale, img.height() * scale
        rect = QRectF(target.x() + (target.width() - w) / 2, target.y() + (target.height() - h) / 2, w, h)
        self.painter.drawImage(rect, img)
        self.printed += 1

    def finish(self, ok: bool) -> None:
        self._finished = True
        if not self.painter.isActive():
            return
        if not ok:
            self.printer.abort()  # a native job is withdrawn where the system allows it
        self.painter.end()


class _Handoff(QObject):
    """Page images from the worker to the GUI thread (native printers): a small queue, so the worker renders at most
    two pages ahead of the printer, and a queued signal per image."""

    ready = Signal()

    def __init__(self, paint):
        super().__init__()
        self._paint = paint
        self._queue: queue.Queue[QImage] = queue.Queue(maxsize=2)
        self.token: tasks.CancelToken | None = None
        self.ready.connect(self.drain, Qt.ConnectionType.QueuedConnection)

    def put(self, img: QImage) -> None:  # worker thread
        while True:
            if self.token is not None:
                self.token.raise_if_cancelled()
            try:
                self._queue.put(img, timeout=0.1)
                break
            except queue.Full:
                continue
        self.ready.emit()

    @Slot()
    def drain(self) -> None:  # GUI thread
        while True:
            try:
                img = self._queue.get_nowait()
            except queue.Empty:
                return
            if self.token is None or not self.token.cancelled:
                self._paint(img)


__all__ = ["ReportsPage"]
