"""结账 on the 台账报表 page: 结账… / 反结账… for the period chosen on the page, each with its dialog, and the list of
closed periods (which, who, when). The writes run in the write pool; the services refuse whatever the role or the
period does not allow, and the page shows their Chinese message."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from fupin_desktop.services.closing import ClosedPeriod, PeriodKey
from fupin_desktop.ui import messages, tasks


class ClosePeriodDialog(QDialog):
    """Confirm 结账 of one period: says what becomes read-only and what stays editable."""

    def __init__(self, label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Close a period"))
        lay = QVBoxLayout(self)
        head = QLabel(self.tr("Close {period}?").format(period=label), self)
        head.setObjectName("CloseHead")
        head.setStyleSheet("font-weight: bold; font-size: 15px;")
        lay.addWidget(head)
        text = QLabel(self.tr(
            "After closing, the records dated in {period} (visits, diary, work log, attendance, donations, "
            "distributions, purchases, project funding received, monitoring steps) can no longer be added, "
            "changed or deleted. "
            "Household and member data stay editable; the figures of the ledgers as printed "
            "now are kept, and a later re-print warns when it would differ.\n\nOnly an administrator can reopen "
            "the period, with a reason that is recorded.").format(period=label), self)
        text.setWordWrap(True)
        text.setFixedWidth(480)
        text.setMinimumHeight(text.heightForWidth(480))  # a wrapped label asks too little height otherwise
        lay.addWidget(text)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("Close the period"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("ConfirmClose")
        cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)  # a hurried Enter closes nothing
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.setMinimumWidth(460)


class ReopenPeriodDialog(QDialog):
    """反结账 of one period: the reason is required (it goes into the audit trail)."""

    def __init__(self, closed: ClosedPeriod, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reopen a period"))
        lay = QVBoxLayout(self)
        head = QLabel(self.tr("Reopen {period}").format(period=closed.label), self)
        head.setStyleSheet("font-weight: bold; font-size: 15px;")
        lay.addWidget(head)
        said = QLabel(self.tr("Closed by {who} on {day}. Once reopened, its records can be changed again; the "
                              "reopening and its reason are recorded in the audit trail.").format(
            who=closed.closed_by, day=closed.closed_on.isoformat()), self)
        said.setWordWrap(True)
        lay.addWidget(said)
        lay.addWidget(QLabel(self.tr("Reason *"), self))
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("ReopenReason")
        self.reason.setPlaceholderText(self.tr("Why the period must be changed, e.g. a visit of March was not "
                                               "recorded"))
        self.reason.setFixedHeight(80)
        self.reason.setTabChangesFocus(True)
        lay.addWidget(self.reason)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("Reopen"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("ConfirmReopen")
        self.ok.setEnabled(False)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(lambda: self.ok.setEnabled(bool(self.reason_text())))
        lay.addWidget(buttons)
        self.setMinimumWidth(460)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()


class ClosingPanel(QWidget):
    """The buttons and the list of closed periods; ``period_key()`` gives the period chosen on the page (None:
    custom dates, which cannot be closed)."""

    def __init__(self, services, period_key: Callable[[], PeriodKey | None], parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.period_key = period_key
        self.task: tasks.Task | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        row = QHBoxLayout()
        self.close_button = QPushButton(self.tr("Close period…"), self)
        self.close_button.setObjectName("ClosePeriod")
        self.close_button.setToolTip(self.tr("After printing and sending: the records of the chosen period "
                                             "become read-only"))
        self.close_button.clicked.connect(self.close_period)
        self.reopen_button = QPushButton(self.tr("Reopen…"), self)
        self.reopen_button.setObjectName("ReopenPeriod")
        self.reopen_button.clicked.connect(self.reopen_period)
        row.addWidget(self.close_button)
        row.addWidget(self.reopen_button)
        lay.addLayout(row)
        lay.addWidget(QLabel(self.tr("Closed periods"), self))
        self.list = QListWidget(self)
        self.list.setObjectName("ClosedPeriods")
        self.list.setMaximumHeight(90)
        self.list.setWordWrap(True)  # the left column is narrow: who and when wrap under the period
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay.addWidget(self.list)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        closed = self.services.closing.closed_periods()
        for c in closed:
            self.list.addItem(self.tr("{period}: closed by {who} on {day}").format(
                period=c.label, who=c.closed_by, day=c.closed_on.isoformat()))
        if not closed:
            self.list.addItem(self.tr("(none)"))
        admin = self.services.ctx.actor.role == "admin"
        for b in (self.close_button, self.reopen_button):
            b.setEnabled(admin)
            if not admin:
                b.setToolTip(self.tr("Only an administrator can close or reopen a period"))

    def _key(self) -> PeriodKey | None:
        key = self.period_key()
        if key is None:
            messages.info(self, self.tr("Choose a month, quarter, half year or year: custom dates cannot be "
                                        "closed."))
        return key

    def _closed(self, key: PeriodKey) -> ClosedPeriod | None:
        return next((c for c in self.services.closing.closed_periods() if c.key == key), None)

    def close_period(self) -> QDialog | None:
        key = self._key()
        if key is None:
            return None
        dlg = ClosePeriodDialog(key.label, self)
        if dlg.exec():
            self._run(self.services.closing.close, key)
        return dlg

    def reopen_period(self) -> QDialog | None:
        key = self._key()
        if key is None:
            return None
        closed = self._closed(key)
        if closed is None:
            messages.info(self, self.tr("{period} is not closed.").format(period=key.label))
            return None
        dlg = ReopenPeriodDialog(closed, self)
        if dlg.exec():
            self._run(self.services.closing.reopen, key, dlg.reason_text())
        return dlg

    def _run(self, fn, *args) -> None:
        self.task = tasks.run_in_background(fn, *args, parent=self, writes=True,
                                            on_success=lambda _outcome: self.refresh())

