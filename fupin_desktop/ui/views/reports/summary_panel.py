"""The 工作总结 on the 台账报表 page: who drafts it (工作队 or 派出单位), as of which day, the figures table or not;
the sections she writes herself (存在的问题, 下一步打算, …: :class:`SummarySectionsDialog`, saved through the write
pool); the draft text to rewrite; and the output — PDF (the page's preview) or the editable Word file, which goes
through the shared 打开文件 / 打开所在文件夹 box."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QTextEdit, QVBoxLayout, QWidget,
)

from fupin_desktop.services.summary_sections import BUREAU, TEAM, SummarySections
from fupin_desktop.ui import messages, tasks
from fupin_desktop.ui.views.reports.generate import print_summary
from fupin_desktop.ui.widgets.date_edit import DateEdit
from fupin_desktop.ui.widgets.form_dialog import FormDialog
from fupin_desktop.ui.widgets.save_path import ask_save_path, safe_file_name


class SummarySectionsDialog(FormDialog):
    """Her own sections of the summary of one period and drafting unit: one multi-line field each; a line is a
    paragraph. 典型经验 and 意见建议 are printed only when filled."""

    state_key = "dialogs/summary_sections"

    def __init__(self, services, period, drafter: str = TEAM, parent: QWidget | None = None,
                 village_id: str | None = None):
        super().__init__(parent, self.tr("The summary's own sections"))
        self.services = services
        self.period = period
        self.drafter = drafter
        self.village_id = village_id  # a township database: the chosen village's sections
        who = self.tr("the dispatching unit") if drafter == BUREAU else self.tr("the work team")
        hint = QLabel(self.tr("Summary of {period}, drafted by {who}. Write each paragraph on its own line, e.g. "
                              "\"（一）…\"; what you write is printed under its heading, after the figures.")
                      .format(period=period.label, who=who), self)
        hint.setWordWrap(True)
        self.form.addRow(hint)
        current = services.summary_sections.get(period, drafter, village_id)  # one small read: instant
        self.fields: dict[str, QPlainTextEdit] = {}
        for name, label in (("experience", self.tr("Typical experience\n(printed when filled)")),
                            ("problems", self.tr("Problems and difficulties")),
                            ("plans", self.tr("Plans for the next stage")),
                            ("suggestions", self.tr("Suggestions\n(printed when filled)"))):
            edit = QPlainTextEdit(self)
            edit.setObjectName(f"Section_{name}")
            edit.setTabChangesFocus(True)
            edit.setPlainText(getattr(current, name))
            edit.setMinimumHeight(96)
            self.fields[name] = edit
            self.add_row(label, edit, name)
        self.finish(780, 660)

    def submit(self):
        sections = SummarySections(**{name: edit.toPlainText() for name, edit in self.fields.items()})
        return (self.services.summary_sections.save, self.period, sections, self.drafter, self.village_id)


class SummaryPanel(QWidget):
    """Right-hand side of the page while the summary is chosen. ``report_filter`` gives the page's period and
    filters; :attr:`sections_saved` tells the page to draft again."""

    sections_saved = Signal()

    def __init__(self, services, report_filter, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.report_filter = report_filter
        self.word_task: tasks.Task | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        hint = QLabel(self.tr("Every figure below was computed from the records. Write your own sections (problems, "
                              "plans…) with the button, rewrite the text freely, then print it to PDF or save it as a "
                              "Word document to edit further."), self)
        hint.setWordWrap(True)
        lay.addWidget(hint)

        options = QHBoxLayout()
        options.addWidget(QLabel(self.tr("Drafted by"), self))
        self.drafter = QComboBox(self)
        self.drafter.setObjectName("SummaryDrafter")
        self.drafter.addItem(self.tr("Work team"), TEAM)
        self.drafter.addItem(self.tr("Dispatching unit (its own summary)"), BUREAU)
        options.addWidget(self.drafter)
        options.addSpacing(12)
        self.as_of_box = QCheckBox(self.tr("As of"), self)
        self.as_of_box.setObjectName("SummaryAsOfBox")
        self.as_of_box.setToolTip(self.tr("Count the figures up to this day; the text says 截至…"))
        today = services.ctx.today()
        self.as_of_date = DateEdit(self, value=today)
        self.as_of_date.setObjectName("SummaryAsOf")
        self.as_of_date.setEnabled(False)
        self.as_of_box.toggled.connect(self.as_of_date.setEnabled)
        options.addWidget(self.as_of_box)
        options.addWidget(self.as_of_date)
        options.addSpacing(12)
        self.appendix = QCheckBox(self.tr("Append the figures table"), self)
        self.appendix.setChecked(True)
        options.addWidget(self.appendix)
        options.addStretch(1)
        lay.addLayout(options)

        self.sections_button = QPushButton(self.tr("Write problems, plans and other sections…"), self)
        self.sections_button.setObjectName("SummarySectionsButton")
        self.sections_button.clicked.connect(self.edit_sections)
        lay.addWidget(self.sections_button)

        self.editor = QTextEdit(self)
        self.editor.setObjectName("SummaryEditor")
        self.editor.setAcceptRichText(False)
        lay.addWidget(self.editor, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print summary to PDF"), self)
        self.word_button = QPushButton(self.tr("Save as Word document (.docx)…"), self)
        self.word_button.setObjectName("SummaryWordButton")
        self.word_button.clicked.connect(lambda: self.save_word())
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.word_button)
        lay.addLayout(buttons)

    # -- choices --------------------------------------------------------------------------------------------------
    def drafter_code(self) -> str:
        return self.drafter.currentData()

    def as_of(self):
        """The as-of day, or None (the whole period)."""
        return self.as_of_date.value() if self.as_of_box.isChecked() else None

    # -- her sections ---------------------------------------------------------------------------------------------
    def edit_sections(self) -> SummarySectionsDialog | None:
        try:
            flt = self.report_filter()
        except Exception as exc:  # noqa: BLE001 - a bad period is shown, not raised
            messages.error(self, exc)
            return None
        dialog = SummarySectionsDialog(self.services, flt.period, self.drafter_code(), self, flt.village_id)
        dialog.saved_outcome.connect(lambda _outcome: self.sections_saved.emit())
        dialog.open()
        return dialog

    # -- the Word file --------------------------------------------------------------------------------------------
    def save_word(self, target: str | Path | None = None) -> tasks.Task | None:
        """Save the text in the editor (with 落款 and, if chosen, the figures table) as a .docx; then the 打开文件
        box. ``target``: the file (tests); otherwise the save dialog asks."""
        text = self.editor.toPlainText().strip()
        if not text:
            messages.info(self, self.tr("Draft the summary first."))
            return None
        flt = self.report_filter()
        if target is None:
            name = f"{text.splitlines()[0].strip()}.docx"
            target = ask_save_path(self, self.tr("Save as Word document"), safe_file_name(name, "工作总结.docx"),
                                   self.tr("Word (*.docx)"))
            if target is None:
                return None
        self.word_button.setEnabled(False)
        self.word_task = tasks.run_in_background(
            print_summary, self.services, flt, text, Path(target), as_of=self.as_of(),
            appendix=self.appendix.isChecked(), on_success=self._word_saved, on_failure=self._word_failed,
            parent=self, progress_title=self.tr("Saving the Word document"))
        return self.word_task

    def _word_saved(self, path) -> None:
        self.word_button.setEnabled(True)
        messages.file_saved(self, path)

    def _word_failed(self, exc: BaseException) -> None:
        self.word_button.setEnabled(True)
        tasks.report_error(self, exc)
