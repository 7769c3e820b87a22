"""工作日志 page: the meetings/activities list + editor, and the 驻村考勤 month grid (tab)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QPlainTextEdit,
    QPushButton, QSpinBox, QSplitter, QStackedWidget, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from fupin_desktop.domain.dates import year_range
from fupin_desktop.services.worklog import WorkLogDTO, WorkLogInput, WorkLogQuery
from fupin_desktop.ui import messages, navigation, tasks
from fupin_desktop.ui.widgets.page_parts import EmptyState, editor_buttons, page_header, primary_button, setup_table
from fupin_desktop.ui.views.worklog.attendance import AttendanceTab
from fupin_desktop.ui.widgets.photos import choose_photo_files
from fupin_desktop.ui.widgets import CodeCombo, DateEdit, FieldError, FormErrors, SearchBox, remember_splitter
from fupin_desktop.ui.widgets.village_scope import village_scope
from fupin_desktop.ui.widgets.refresh import RefreshOnChange


class WorkLogEditor(QWidget):
    def __init__(self, tab: "WorkLogTab"):
        super().__init__(tab)
        self.tab = tab
        self.services = tab.services
        self.record: WorkLogDTO | None = None
        self.new_photos: list[str] = []
        self.errors = FormErrors()

        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.log_date = DateEdit(self, value=self.services.ctx.today())
        self.kind = CodeCombo("worklog_kind", self)
        self.topic = QLineEdit(self)
        self.place = QLineEdit(self)
        self.host = QLineEdit(self)
        self.attendees_count = QSpinBox(self)
        self.attendees_count.setRange(0, 100000)
        self.attendees_count.setSpecialValueText(" ")
        self.attendees = QLineEdit(self)
        self.attendees.setPlaceholderText(self.tr("Names, or e.g. “all committee members”"))
        self.content = QPlainTextEdit(self)
        self.content.setMinimumHeight(100)
        self.photos = QListWidget(self)
        self.photos.setMaximumHeight(64)
        self.add_photo = QPushButton(self.tr("Add photos…"), self)
        self.topic_error, self.date_error, self.kind_error = FieldError(self), FieldError(self), FieldError(self)
        self.photos_error = FieldError(self)
        self.errors.add("topic", self.topic, self.topic_error)
        self.errors.add("log_date", self.log_date, self.date_error)
        self.errors.add("kind", self.kind, self.kind_error)
        self.errors.add("photos", self.photos, self.photos_error)

        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photos, 1)
        photo_row.addWidget(self.add_photo, 0, Qt.AlignmentFlag.AlignTop)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("Date *"), self.log_date)
        form.addRow("", self.date_error)
        form.addRow(self.tr("Kind *"), self.kind)
        form.addRow("", self.kind_error)
        form.addRow(self.tr("Topic *"), self.topic)
        form.addRow("", self.topic_error)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("Chaired by"), self.host)
        form.addRow(self.tr("Attendees (number)"), self.attendees_count)
        form.addRow(self.tr("Attendees"), self.attendees)
        form.addRow(self.tr("Content"), self.content)
        form.addRow(self.tr("Photos"), photo_row)
        form.addRow("", self.photos_error)

        self.save_button, self.delete_button, buttons = editor_buttons(self, self.save, self.delete)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 0, 0, 0)
        lay.addWidget(self.heading)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addLayout(buttons)

        self.add_photo.clicked.connect(self._choose_photos)
        self.topic.returnPressed.connect(self.save)
        self.new_record()

    def new_record(self) -> None:
        self.record = None
        self.new_photos = []
        self.errors.clear()
        self.log_date.setValue(self.services.ctx.today())
        self.kind.set_code_list("worklog_kind")
        for w in (self.topic, self.place, self.host, self.attendees):
            w.clear()
        self.attendees_count.setValue(0)
        self.content.clear()
        self.photos.clear()
        self.heading.setText(self.tr("New meeting or activity"))
        self.delete_button.setEnabled(False)
        self.topic.setFocus()

    def open_record(self, rec: WorkLogDTO) -> None:
        self.record = rec
        self.new_photos = []
        self.errors.clear()
        self.log_date.setValue(rec.log_date)
        self.kind.set_code_list("worklog_kind")
        self.kind.set_code(rec.kind)
        self.topic.setText(rec.topic)
        self.place.setText(rec.place or "")
        self.host.setText(rec.host or "")
        self.attendees_count.setValue(rec.attendees_count or 0)
        self.attendees.setText(rec.attendees or "")
        self.content.setPlainText(rec.content or "")
        self.photos.clear()
        for a in self.services.worklog.photos(rec.id):
            self.photos.addItem(a.filename)
        self.heading.setText(self.tr("{kind}: {topic}").format(kind=rec.kind_label, topic=rec.topic))
        self.delete_button.setEnabled(True)

    def add_photo_files(self, paths: list[str]) -> None:
        for p in paths:
            self.new_photos.append(p)
            self.photos.addItem(self.tr("{name} (new)").format(name=Path(p).name))

    def _choose_photos(self) -> None:
        self.add_photo_files(choose_photo_files(self))

    def data(self) -> WorkLogInput:
        n = self.attendees_count.value()
        return WorkLogInput(kind=self.kind.code() or "", topic=self.topic.text(), log_date=self.log_date.value(),
                            place=self.place.text(), host=self.host.text(), attendees_count=n or None,
                            attendees=self.attendees.text(), content=self.content.toPlainText(),
                            photos=tuple(self.new_photos))

    def save(self) -> None:
        self.errors.clear()
        data = self.data()
        call = ((self.services.worklog.create, data) if self.record is None
                else (self.services.worklog.update, self.record.id, data))
        self.save_button.setEnabled(False)
        tasks.run_in_background(*call, on_success=self._saved, on_failure=self._failed, parent=self, writes=True)

    def _saved(self, outcome) -> None:
        self.save_button.setEnabled(True)
        self.open_record(outcome.value)
        self.tab.reload(select_id=outcome.value.id)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if not self.errors.show(exc):
            tasks.report_error(self, exc)

    def delete(self) -> None:
        if self.record is None:
            return
        if not messages.confirm(self, self.tr("Delete “{topic}”?").format(topic=self.record.topic),
                                self.tr("Delete"), destructive=True):
            return
        tasks.run_in_background(self.services.worklog.delete, self.record.id, parent=self, writes=True,
                                on_success=lambda _o: (self.new_record(), self.tab.reload()))


class WorkLogTab(QWidget):
    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self._records: list[WorkLogDTO] = []
        self.kind_filter = CodeCombo("worklog_kind", self, empty_text=self.tr("All kinds"))
        self.year_filter = QComboBox(self)
        this_year = services.ctx.today().year
        self.year_filter.addItem(self.tr("All years"), None)
        for y in range(this_year, this_year - 6, -1):
            self.year_filter.addItem(str(y), y)
        self.year_filter.setCurrentIndex(1)
        self.search = SearchBox(self, self.tr("Search topic, content, place…"))
        self.count_label = QLabel(self)
        self.by_kind = QLabel(self)
        self.by_kind.setObjectName("Hint")
        self.by_kind.setWordWrap(True)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Kind"), self))
        filters.addWidget(self.kind_filter)
        filters.addWidget(QLabel(self.tr("Year"), self))
        filters.addWidget(self.year_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)

        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Kind"), self.tr("Topic"),
                                              self.tr("Attendees"), self.tr("Place")])
        setup_table(self.table)
        for c, w in enumerate((96, 100, 190, 56, 110)):
            self.table.setColumnWidth(c, w)
        # the topic takes what is left, so 地点 stays on screen at 1366×768
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.empty = EmptyState(self)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)
        self.editor = WorkLogEditor(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.editor)
        self.splitter.setSizes([560, 560])
        remember_splitter(self.splitter, "worklog/splitter")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addLayout(filters)
        lay.addWidget(self.by_kind)
        lay.addWidget(self.splitter, 1)

        self.kind_filter.codeChanged.connect(lambda _c: self.reload())
        self.year_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.searchChanged.connect(lambda _t: self.reload())
        self.table.itemSelectionChanged.connect(self._selected)
        self.reload()

    def query(self) -> WorkLogQuery:
        year = self.year_filter.currentData()
        start, end = year_range(year) if year else (None, None)
        return WorkLogQuery(start=start, end=end, kind=self.kind_filter.code(), text=self.search.query(),
                            village_id=village_scope().village_id)

    def reload(self, select_id: str | None = None) -> None:
        q = self.query()
        total = self.services.worklog.count(q)
        self._records = self.services.worklog.list(q)
        self.table.setRowCount(len(self._records))
        for r, rec in enumerate(self._records):
            values = (rec.log_date.isoformat(), rec.kind_label, rec.topic,
                      "" if rec.attendees_count is None else str(rec.attendees_count), rec.place or "")
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, rec.id)
                self.table.setItem(r, c, item)
        self.count_label.setText(self.tr("{n} records").format(n=total))
        year = self.year_filter.currentData() or self.services.ctx.today().year
        counts = self.services.worklog.counts_by_kind(*year_range(year), include_zero=False)
        self.by_kind.setText(self.tr("{year}: {counts}").format(
            year=year, counts=" · ".join(f"{k.label} {k.count}" for k in counts) or self.tr("nothing recorded yet")))
        if self._records:
            self.list_stack.setCurrentWidget(self.table)
        else:
            elsewhere = self.services.worklog.count(replace(q, start=None, end=None)) if q.start else 0
            if elsewhere:  # other years have records: "nothing yet" would be untrue
                self.empty.set(self.tr("Nothing recorded in {year}; other years have {n} records.").format(
                    year=self.year_filter.currentData(), n=elsewhere),
                    self.tr("Show all years"), lambda: self.year_filter.setCurrentIndex(0))
            elif q.text or q.kind:
                self.empty.set(self.tr("No record matches the filters."), self.tr("Record a meeting"),
                               self.editor.new_record)
            else:
                self.empty.set(self.tr("No meetings or activities recorded here yet."),
                               self.tr("Record a meeting"), self.editor.new_record)
            self.list_stack.setCurrentWidget(self.empty)
        if select_id:
            for r, rec in enumerate(self._records):
                if rec.id == select_id:
                    self.table.blockSignals(True)
                    self.table.selectRow(r)
                    self.table.blockSignals(False)

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            rid = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
            self.editor.open_record(self.services.worklog.get(rid))


class WorkLogPage(RefreshOnChange, QWidget):
    LOG = ("work_log", "attachment", "code_extension")
    ATTENDANCE = ("attendance", "cadre", "setting")
    WATCHED = LOG + ATTENDANCE

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.new_button = primary_button(self, self.tr("New record"), "plus", "Ctrl+N",
                                         self.tr("Record a meeting or activity"))
        self.suggestions_button = QPushButton(self.tr("Suggestions…"), self)
        self.suggestions_button.setObjectName("suggestions")
        self.suggestions_button.setToolTip(self.tr("Suggestions the cadres made (意见建议): to whom, adopted or not"))
        self.suggestions_button.clicked.connect(self.open_suggestions)
        self.tabs = QTabWidget(self)
        self.log_tab = WorkLogTab(services, self.tabs)
        self.attendance_tab = AttendanceTab(services, self.tabs)
        self.tabs.addTab(self.log_tab, self.tr("Meetings and activities"))
        self.tabs.addTab(self.attendance_tab, self.tr("Attendance in the village"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 14, 20, 10)
        lay.addLayout(page_header(self, self.tr("Work log"), self.suggestions_button, self.new_button))
        lay.addWidget(self.tabs, 1)
        self.new_button.clicked.connect(self._new)
        self.tabs.currentChanged.connect(lambda i: self.new_button.setVisible(i == 0))
        self.watch_changes()  # the editor and the attendance tab reload themselves after their own writes

    def open_suggestions(self) -> None:
        """意见建议 (the cadres' suggestions): the list with 新增/修改/删除."""
        self.suggestions_window = navigation.suggestions_dialog(self.services, self)
        self.suggestions_window.open()

    def _new(self) -> None:
        self.tabs.setCurrentWidget(self.log_tab)
        self.log_tab.editor.new_record()

    def refresh_for(self, changes) -> None:
        if changes.touches(*self.LOG):
            self.log_tab.reload()
        if changes.touches(*self.ATTENDANCE):
            self.attendance_tab.reload()

    def refresh(self) -> None:
        self.log_tab.reload()
        self.attendance_tab.reload()

