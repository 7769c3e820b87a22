"""Opening one area's window from another. Features (ui/views/<area>/) never import each other (DESIGN §5.5):
the household page logs a visit, the home page opens a household, the household dialog shows the monitoring
panel — through these functions, which import the area only when it is opened."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget


def household_dialog(services, household_id: str | None = None, parent: QWidget | None = None) -> QDialog:
    from fupin_desktop.ui.views.households.dialog import HouseholdDialog

    return HouseholdDialog(services, household_id, parent)


def visit_dialog(services, household_id: str | None = None, parent: QWidget | None = None) -> QDialog:
    from fupin_desktop.ui.views.visits.dialog import VisitDialog

    return VisitDialog(services, household_id, parent)


def monitoring_panel(services, parent: QWidget | None = None) -> QWidget:
    """The 防返贫监测 panel of one household (``show_household(id)``; signal ``changed``)."""
    from fupin_desktop.ui.views.monitoring.panel import MonitoringPanel

    return MonitoringPanel(services, parent)


def backup_dialog(*args, **kwargs) -> QDialog:
    from fupin_desktop.ui.views.backups.dialog import BackupDialog

    return BackupDialog(*args, **kwargs)


def suggestions_dialog(services, parent: QWidget | None = None, cadre_id: str | None = None) -> QDialog:
    """意见建议: the year's list with 新增/修改/删除 (from the diary and the work log pages)."""
    from fupin_desktop.ui.views.suggestions.dialog import SuggestionsDialog

    return SuggestionsDialog(services, parent, cadre_id)
