"""民情日记 page: list (filters, full-text search, count, progress against the yearly target) + editor.

One entry per author and day: when the chosen day already has the author's entry, the editor opens that entry
instead of starting a second one (what was typed so far is kept, added below the existing text).
"""
from __future__ import annotations

from dataclasses import replace

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QScrollArea, QSplitter, QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from fupin_desktop.domain.dates import format_cn_date, weekday_cn
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.services.diary import DiaryDTO, DiaryInput, DiaryQuery
from fupin_desktop.services.problems import ProblemInput
from fupin_desktop.ui import messages, navigation, tasks
from fupin_desktop.ui.widgets.household_links import HouseholdLinks
from fupin_desktop.ui.widgets.page_parts import EmptyState, editor_buttons, page_header, primary_button, setup_table
from fupin_desktop.ui.widgets import CodeCombo, DateEdit, FieldError, FormErrors, SearchBox, remember_splitter
from fupin_desktop.ui.widgets.village_scope import village_scope
from fupin_desktop.ui.widgets.refresh import RefreshOnChange

LIST_LIMIT = 500


class DiaryEditor(QWidget):
    """The form of one entry. ``entry`` is the DiaryDTO being edited (None: a new entry)."""

    def __init__(self, page: "DiaryPage"):
        super().__init__(page)
        self.page = page
        self.services = page.services
        self.entry: DiaryDTO | None = None
        self._loading = False
        self.errors = FormErrors()

        self.heading = QLabel(self)
        self.heading.setObjectName("SectionTitle")
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.notice = QLabel(self)
        self.notice.setObjectName("Hint")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.author = CodeCombo(parent=self)
        self.entry_date = DateEdit(self, value=self.services.ctx.today())
        self.weekday = QLabel(self)
        self.weather = CodeCombo("weather", self, empty_text="")
        self.place = QLineEdit(self)
        self.people_met = QLineEdit(self)
        self.people_met.setPlaceholderText(self.tr("Whom you met and talked to"))
        self.title = QLineEdit(self)
        self.households = HouseholdLinks(self.services, self)
        self.content = QPlainTextEdit(self)
        self.content.setPlaceholderText(self.tr("What you saw and learned today"))
        self.content.setMinimumHeight(110)
        self.problems_found = QPlainTextEdit(self)
        self.problems_found.setPlaceholderText(self.tr("One problem per line"))
        self.problems_found.setMaximumHeight(70)
        self.to_problem_list = QCheckBox(self.tr("Also add each line to the problem list (to be followed up)"), self)
        self.to_problem_list.setChecked(True)  # what she writes down as a problem is meant to be followed up
        self.follow_up = QPlainTextEdit(self)
        self.follow_up.setMaximumHeight(60)

        self.date_error, self.content_error, self.author_error = FieldError(self), FieldError(self), FieldError(self)
        self.problems_error = FieldError(self)
        self.errors.add("entry_date", self.entry_date, self.date_error)
        self.errors.add("content", self.content, self.content_error)
        self.errors.add("author_id", self.author, self.author_error)
        self.errors.add("problems", self.problems_found, self.problems_error)

        date_row = QHBoxLayout()
        date_row.addWidget(self.entry_date)
        date_row.addWidget(self.weekday)
        date_row.addSpacing(16)
        date_row.addWidget(QLabel(self.tr("Weather"), self))
        date_row.addWidget(self.weather)
        date_row.addStretch(1)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("Written by"), self.author)
        form.addRow("", self.author_error)
        form.addRow(self.tr("Date *"), date_row)
        form.addRow("", self.date_error)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("People met"), self.people_met)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Households"), self.households)
        form.addRow(self.tr("What I learned *"), self.content)
        form.addRow("", self.content_error)
        # the box first, right beside its label: at 1366×768 it must show without scrolling (issue 18 §3.6)
        problems = QVBoxLayout()
        problems.setSpacing(2)
        problems.addWidget(self.to_problem_list)
        problems.addWidget(self.problems_found)
        problems.addWidget(self.problems_error)
        form.addRow(self.tr("Problems found"), problems)
        form.addRow(self.tr("Follow-up plan"), self.follow_up)

        self.save_button, self.delete_button, buttons = editor_buttons(self, self.save, self.delete)

        inner = QWidget(self)
        v = QVBoxLayout(inner)
        v.setContentsMargins(4, 0, 8, 0)
        v.addWidget(self.heading)
        v.addWidget(self.notice)
        v.addLayout(form)
        v.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll, 1)
        lay.addLayout(buttons)

        self.entry_date.dateChanged.connect(self._date_changed)
        self.author.codeChanged.connect(lambda _c: self._date_changed())
        self.load_cadres()

    # -- data in ----------------------------------------------------------------------------------------------
    def load_cadres(self) -> None:
        current = self.author.code()
        cadres = self.services.cadres.list()
        self.author.set_items([(c.id, c.name) for c in cadres])
        if current:
            self.author.set_code(current)
        else:
            me = self.page.default_author_id()
            if me:
                self.author.set_code(me)

    def new_entry(self, day: date | None = None) -> None:
        self._loading = True
        self.entry = None
        self.errors.clear()
        self.notice.hide()
        self.entry_date.setValue(day or self.services.ctx.today())
        self.weather.set_code(None)
        for w in (self.place, self.people_met, self.title):
            w.clear()
        for w in (self.content, self.problems_found, self.follow_up):
            w.clear()
        self.to_problem_list.setChecked(True)  # lines already on the list are not added twice
        self.households.set_households([])
        self._loading = False
        self._update_heading()
        existing = self._existing()
        if existing is not None:
            self.open_entry(existing, notice=self.tr("This day already has your entry: it is opened here."))
        self.content.setFocus()

    def open_entry(self, entry: DiaryDTO, notice: str | None = None, carry: str = "") -> None:
        self._loading = True
        self.entry = entry
        self.errors.clear()
        self.author.set_code(entry.author_id)
        self.entry_date.setValue(entry.entry_date)
        self.weather.set_code(entry.weather)
        self.place.setText(entry.place or "")
        self.people_met.setText(entry.people_met or "")
        self.title.setText(entry.title or "")
        text = entry.content
        if carry.strip() and carry.strip() not in text:
            text = f"{text}\n{carry.strip()}" if text else carry.strip()
        self.content.setPlainText(text)
        self.problems_found.setPlainText(entry.problems_found or "")
        self.follow_up.setPlainText(entry.follow_up or "")
        self.to_problem_list.setChecked(True)  # lines already on the list are not added twice
        self.households.set_households(entry.households)
        self._loading = False
        self.notice.setText(notice or "")
        self.notice.setVisible(bool(notice))
        self._update_heading()

    def _update_heading(self) -> None:
        d = self.entry_date.value()
        self.weekday.setText(weekday_cn(d))
        self.heading.setText(self.tr("Diary of {date}").format(date=format_cn_date(d)) if self.entry
                             else self.tr("New diary entry"))
        self.delete_button.setEnabled(self.entry is not None)

    def _existing(self) -> DiaryDTO | None:
        author, day = self.author.code(), self.entry_date.value()
        if not author or day is None:
            return None
        found = self.services.diary.find(author, day)
        if found is None or (self.entry is not None and found.id == self.entry.id):
            return None
        return found

    def _date_changed(self, *_args) -> None:
        if self._loading:
            return
        self._update_heading()
        self.errors.clear()
        existing = self._existing()
        if existing is None or self.entry is not None:
            return  # moving an existing entry onto a taken day is refused by the service when saving
        self.open_entry(existing, carry=self.content.toPlainText(), notice=self.tr(
            "{date} already has your entry (one a day): it is opened here instead. What you had typed is added "
            "at the end; save to keep it.").format(date=format_cn_date(existing.entry_date)))

    # -- data out ---------------------------------------------------------------------------------------------
    def data(self) -> DiaryInput:
        problems_text = self.problems_found.toPlainText()
        problems: tuple[ProblemInput, ...] = ()
        if self.to_problem_list.isChecked():
            problems = tuple(ProblemInput(description=line.strip(), source="diary")
                             for line in problems_text.splitlines() if line.strip())
        return DiaryInput(author_id=self.author.code() or "", entry_date=self.entry_date.value(),
                          weather=self.weather.code(), place=self.place.text(), people_met=self.people_met.text(),
                          title=self.title.text(), content=self.content.toPlainText(),
                          problems_found=problems_text, follow_up=self.follow_up.toPlainText(),
                          household_ids=self.households.ids(), problems=problems)

    def save(self) -> None:
        self.errors.clear()
        data = self.data()
        if self.entry is None:
            existing = self._existing()
            if existing is not None:  # someone saved that day meanwhile: open it, keep the typed text
                self.open_entry(existing, carry=data.content, notice=self.tr(
                    "{date} already has your entry (one a day): it is opened here instead. What you had typed is "
                    "added at the end; save to keep it.").format(date=format_cn_date(existing.entry_date)))
                return
            call = (self.services.diary.create, data)
        else:
            call = (self.services.diary.update, self.entry.id, data)
        self.save_button.setEnabled(False)
        tasks.run_in_background(*call, on_success=self._saved, on_failure=self._failed, parent=self, writes=True)

    def _saved(self, outcome) -> None:
        self.save_button.setEnabled(True)
        self.open_entry(outcome.value, notice=self.tr("Saved."))
        self.page.reload(select_id=outcome.value.id)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError) and exc.field == "entry_date" and self.entry is None:
            existing = self._existing()
            if existing is not None:
                self.open_entry(existing, carry=self.content.toPlainText(), notice=str(exc))
                return
        if not self.errors.show(exc):
            tasks.report_error(self, exc)

    def delete(self) -> None:
        if self.entry is None:
            return
        if not messages.confirm(self, self.tr("Delete the diary entry of {date}? Problems it raised stay in the "
                                              "problem list.").format(date=format_cn_date(self.entry.entry_date)),
                                self.tr("Delete"), destructive=True):
            return
        entry_id = self.entry.id
        tasks.run_in_background(self.services.diary.delete, entry_id, on_success=self._deleted, parent=self,
                                writes=True)

    def _deleted(self, _outcome) -> None:
        self.new_entry()
        self.page.reload()


class DiaryPage(RefreshOnChange, QWidget):
    WATCHED = ("diary_entry", "diary_household", "household", "cadre", "setting")
    COLUMNS = 5

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self._entries: list[DiaryDTO] = []

        self.new_button = primary_button(self, self.tr("New entry"), "plus", "Ctrl+N", self.tr("Write today's entry"))
        self.progress = QLabel(self)
        self.progress.setObjectName("Hint")
        self.suggestions_button = QPushButton(self.tr("Suggestions…"), self)
        self.suggestions_button.setObjectName("suggestions")
        self.suggestions_button.setToolTip(self.tr("Suggestions the cadres made (意见建议): to whom, adopted or not"))
        self.suggestions_button.clicked.connect(self.open_suggestions)

        self.author_filter = QComboBox(self)
        self.year_filter = QComboBox(self)
        this_year = services.ctx.today().year
        self.year_filter.addItem(self.tr("All years"), None)
        for y in range(this_year, this_year - 6, -1):
            self.year_filter.addItem(self.tr("{year}").format(year=y), y)
        self.year_filter.setCurrentIndex(1)
        self.search = SearchBox(self, self.tr("Search the diary (two characters are enough, e.g. a given name)"))
        self.search.setMinimumWidth(320)
        self.count_label = QLabel(self)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Written by"), self))
        filters.addWidget(self.author_filter)
        filters.addWidget(QLabel(self.tr("Year"), self))
        filters.addWidget(self.year_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)

        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Weekday"), self.tr("Written by"),
                                              self.tr("Summary"), self.tr("Households")])
        setup_table(self.table)
        self.table.setColumnWidth(0, 96)
        self.table.setColumnWidth(1, 58)
        self.table.setColumnWidth(2, 70)
        self.table.setColumnWidth(3, 170)
        self.empty = EmptyState(self)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)

        self.editor = DiaryEditor(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setSizes([520, 640])
        remember_splitter(self.splitter, "diary/splitter")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 14, 20, 10)
        lay.addLayout(page_header(self, self.tr("Residents' diary"), self.progress, self.suggestions_button,
                                  self.new_button))
        lay.addLayout(filters)
        lay.addWidget(self.splitter, 1)

        self.new_button.clicked.connect(lambda: self.editor.new_entry())
        self.search.searchChanged.connect(lambda _t: self.reload())
        self.author_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.year_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.table.itemSelectionChanged.connect(self._selected)
        self.watch_changes()  # the editor reloads the page after its own save/delete

        self._load_authors()
        self.reload()
        self.editor.new_entry()

    # -- helpers ----------------------------------------------------------------------------------------------
    def open_suggestions(self) -> None:
        """意见建议: the list (a new one starts with the entry's author)."""
        self.suggestions_window = navigation.suggestions_dialog(self.services, self, self.editor.author.code())
        self.suggestions_window.open()

    def default_author_id(self) -> str | None:
        """The cadre linked to the logged-in user if any, else the first secretary, else the first cadre."""
        cadres = self.services.cadres.list()
        return cadres[0].id if cadres else None

    def _load_authors(self) -> None:
        current = self.author_filter.currentData()
        self.author_filter.blockSignals(True)
        self.author_filter.clear()
        self.author_filter.addItem(self.tr("Everyone"), None)
        for c in self.services.cadres.list(include_inactive=True):
            self.author_filter.addItem(c.name, c.id)
        i = self.author_filter.findData(current)
        self.author_filter.setCurrentIndex(max(i, 0))
        self.author_filter.blockSignals(False)

    def query(self) -> DiaryQuery:
        year = self.year_filter.currentData()
        return DiaryQuery(author_id=self.author_filter.currentData(), text=self.search.query(),
                          start=date(year, 1, 1) if year else None, end=date(year, 12, 31) if year else None,
                          village_id=village_scope().village_id)

    def _village_changed(self, _village_id: str) -> None:
        self.reload()

    def reload(self, select_id: str | None = None) -> None:
        q = self.query()
        total = self.services.diary.count(q)
        self._entries = self.services.diary.list(q, limit=LIST_LIMIT)
        self.table.setRowCount(len(self._entries))
        for r, e in enumerate(self._entries):
            summary = (e.title or e.content).replace("\n", " ")
            values = (e.entry_date.isoformat(), e.weekday, e.author_name or "", summary[:60],
                      "、".join(h.head_name for h in e.households))
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, e.id)
                self.table.setItem(r, c, item)
        if q.text:
            self.count_label.setText(self.tr("{n} found").format(n=total))
        else:
            self.count_label.setText(self.tr("{n} entries").format(n=total))
        if not self._entries:
            if q.text:
                self.empty.set(self.tr("No diary entry contains “{text}”.").format(text=q.text),
                               self.tr("Clear the search"), self.search.clear)
            elif q.start and self.services.diary.count(replace(q, start=None, end=None)):
                # other years have entries: "no entries yet" would be untrue
                self.empty.set(self.tr("No diary entries in {year}; other years have {n}.").format(
                    year=q.start.year, n=self.services.diary.count(replace(q, start=None, end=None))),
                    self.tr("Show all years"), lambda: self.year_filter.setCurrentIndex(0))
            else:
                self.empty.set(self.tr("No diary entries yet. Write down what you saw and heard today."),
                               self.tr("Write today's entry"), lambda: self.editor.new_entry())
            self.list_stack.setCurrentWidget(self.empty)
        else:
            self.list_stack.setCurrentWidget(self.table)
        if select_id:
            for r, e in enumerate(self._entries):
                if e.id == select_id:
                    self.table.blockSignals(True)
                    self.table.selectRow(r)
                    self.table.blockSignals(False)
                    break
        self._update_progress()

    def _update_progress(self) -> None:
        year = self.year_filter.currentData() or self.services.ctx.today().year
        p = self.services.diary.progress(year, self.author_filter.currentData())
        mark = self.tr("target met") if p.met else self.tr("{n} days to go").format(n=p.target - p.days)
        self.progress.setText(self.tr("{year}: diary on {days} days / target {target} ({mark})").format(
            year=year, days=p.days, target=p.target, mark=mark))

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        entry_id = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        self.editor.open_entry(self.services.diary.get(entry_id))

    def refresh_for(self, changes) -> None:
        if changes.touches("cadre"):
            self._load_authors()
            self.editor.load_cadres()
        self.reload()

    # -- page protocol ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._load_authors()
        self.editor.load_cadres()
        self.reload()

    def activated(self) -> None:
        self._update_progress()
