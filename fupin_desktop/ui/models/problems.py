"""How urgent a problem is, in words and a colour name (never colour alone): 逾期 N 天 / N 天内到期 / 已办结 …
Shared by the problem list and the home page."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication

from fupin_desktop.services.problems import ProblemDTO
from fupin_desktop.services.stats import DUE_SOON_DAYS

__all__ = ["DUE_SOON_DAYS", "urgency"]


def urgency(p: ProblemDTO, today: date) -> tuple[str, str | None]:
    """(word, colour name) — never colour alone: 逾期 / 7天内到期 / 已办结 …"""
    translate = QCoreApplication.translate
    if not p.is_open:
        if p.status in ("resolved", "revisited"):
            return translate("ProblemTableModel", "done"), "SUCCESS"
        return translate("ProblemTableModel", "closed"), "MUTED"
    if p.due_date is None:
        return "", None
    if p.due_date < today:
        return translate("ProblemTableModel", "overdue {n} days").format(n=(today - p.due_date).days), "ERROR"
    if p.due_date == today:
        return translate("ProblemTableModel", "due today"), "WARNING"
    if p.due_date <= today + timedelta(days=DUE_SOON_DAYS):
        return translate("ProblemTableModel", "due in {n} days").format(n=(p.due_date - today).days), "WARNING"
    return "", None
