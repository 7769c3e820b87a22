"""The 公示期 and 监督电话 of a 公示 notice (reports.notices), chosen on the reports page: shown only while a notice
is the selected document. The end date follows the start (its minimum: 5 days, projects 10) until she changes it;
a shorter period is refused when the notice is generated (a Chinese message saying the minimum)."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QWidget

from fupin_desktop.reports.notices import MIN_DAYS, NOTICE_KEYS, NoticeTerms
from fupin_desktop.ui.widgets.date_edit import DateEdit

__all__ = ["NoticeTermsBox"]


class NoticeTermsBox(QGroupBox):
    def __init__(self, today, parent: QWidget | None = None):
        super().__init__(self.tr("Notice period and supervision phone"), parent)
        self.setObjectName("NoticeTerms")
        self._key = NOTICE_KEYS[0]
        form = QFormLayout(self)
        self.start = DateEdit(self, value=today)
        self.start.setObjectName("NoticeFrom")
        self.end = DateEdit(self, value=today + timedelta(days=MIN_DAYS[self._key] - 1))
        self.end.setObjectName("NoticeTo")
        self.phone = QLineEdit(self)
        self.phone.setObjectName("NoticePhone")
        self.phone.setMaxLength(32)
        self.phone.setPlaceholderText(self.tr("Empty: a line to write it in by hand"))
        form.addRow(self.tr("Posted from"), self.start)
        form.addRow(self.tr("Posted until"), self.end)
        form.addRow(self.tr("Supervision phone"), self.phone)
        self.start.dateChanged.connect(self._follow)
        self.setVisible(False)

    def _follow(self, *_) -> None:
        start = self.start.value()
        if start is not None:
            self.end.setValue(start + timedelta(days=MIN_DAYS[self._key] - 1))

    def set_document(self, key: str) -> None:
        """Show the box for a notice (with that notice's minimum period), hide it for any other document."""
        is_notice = key in NOTICE_KEYS
        self.setVisible(is_notice)
        if is_notice and key != self._key:
            self._key = key
            self._follow()

    def terms(self) -> NoticeTerms:
        return NoticeTerms(self.start.value(), self.end.value(), self.phone.text().strip())
