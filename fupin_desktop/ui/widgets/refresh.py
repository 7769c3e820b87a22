"""``RefreshOnChange``: how a page follows ``data_changed`` — one mixin instead of a handler per page.

* Only changes to the entities in ``WATCHED`` count.
* A change the page made itself (the initiator is the page or one of its dialogs/children) is skipped: the page
  updates itself after its own save (``after_own_change``).
* Visible: refreshed now (``refresh_for(changes)``, by default ``refresh()``). Hidden: marked stale and refreshed
  when it is shown again — a hidden page never queries for nothing.
* The top bar's village chooser (a township database: 全部村 / one village, ``ui.widgets.village_scope``) is
  followed the same way: ``_village_changed`` refreshes a visible page and marks a hidden one stale. The page's
  queries read ``village_scope().village_id`` and hand it to the services (the UI never builds a query itself).

    class ProblemsPage(RefreshOnChange, QWidget):
        WATCHED = ("problem", "problem_event", "household", "cadre")

        def __init__(...):
            ...
            self.watch_changes()
"""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from fupin_desktop.ui.events import bus
from fupin_desktop.ui.widgets.village_scope import village_scope


class RefreshOnChange:
    WATCHED: tuple[str, ...] = ()
    stale = False
    refreshes = 0  # how many times a change refreshed the page (tests)

    def watch_changes(self) -> None:
        bus().data_changed.connect(self._page_data_changed)
        village_scope().changed.connect(self._village_changed)  # township database: 全部村 / one village

    def _village_changed(self, _village_id: str) -> None:
        if self.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def is_own_change(self, initiator) -> bool:
        if not isinstance(initiator, QWidget):
            return False
        try:
            w = initiator
            while w is not None:  # (isAncestorOf stops at a dialog's window: walk up by hand)
                if w is self:
                    return True
                w = w.parentWidget()
        except RuntimeError:  # the initiator (a closed dialog) is already deleted
            pass
        return False

    def _page_data_changed(self, changes, initiator) -> None:
        if not changes.touches(*self.WATCHED) or self.is_own_change(initiator):
            return
        if self.isVisible():
            self.stale = False
            self.refreshes += 1
            self.refresh_for(changes)
        else:
            self.stale = True

    def refresh_for(self, changes) -> None:
        self.refresh()

    def after_own_change(self, _result=None) -> None:
        """Call after the page's own save (the bus skips it)."""
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self.stale:
            self.stale = False
            self.refreshes += 1
            self.refresh()
