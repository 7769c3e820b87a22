"""The main window's one search (top bar, Ctrl+F; services.search): results grouped under the box, ↑/↓ + Enter (or
a click) open the record on its page. A mixin of :class:`fupin_desktop.ui.main_window.MainWindow` (split from it:
``search_box``, ``search_results``, ``services`` and ``set_page`` are the window's)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QResizeEvent

from fupin_desktop.ui import tasks
from fupin_desktop.ui.widgets.village_scope import village_scope


class GlobalSearch:
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _search(self, text: str) -> None:
        self.search_requested.emit(text)
        self._search_text = text
        if not text or self.services is None:  # (the box is disabled while the data is being opened)
            self.search_results.hide()
            return
        tasks.run_in_background(self.services.search.search, text, parent=self,
                                village_id=village_scope().village_id,  # township database: the chosen village
                                on_success=lambda groups, text=text: self._found(text, groups))

    def _search_village_changed(self, _village_id: str) -> None:
        """The top bar's village chooser changed: results on show are searched again in that village."""
        if self._search_text and self.search_results.isVisible():
            self._search(self._search_text)

    def _found(self, text: str, groups) -> None:
        if text != self._search_text:
            return  # an older query: she has typed on meanwhile
        self.search_results.show_groups(groups, text)
        if self._open_first_when_found:
            self._open_first_when_found = False
            self.search_results.handle_key(Qt.Key.Key_Return)

    def _search_submitted(self, text: str) -> None:
        """Enter in the box: opens the selected hit (handled by the event filter while the list shows); before
        the results arrive, the first hit is opened when they do."""
        if text and not self.search_results.isVisible():
            self._open_first_when_found = True
            if text != self._search_text or not tasks.active_count():
                self._search(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_box:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                if self.search_results.handle_key(event.key()):
                    return True
            elif event.type() == QEvent.Type.FocusOut:
                # a click in the list keeps it open (the list takes no focus); anything else closes it
                QTimer.singleShot(150, self._hide_results_unless_focused)
        return super().eventFilter(watched, event)

    def _hide_results_unless_focused(self) -> None:
        if not self.search_box.hasFocus():
            self.search_results.hide()

    def open_search_hit(self, hit) -> None:
        """Open a hit of the global search on its page: the household (its record), the visit, diary entry,
        problem or project selected in its list."""
        kind = hit.kind
        if kind in ("household", "member"):
            page = self.set_page("households")
            page.open_found_household(hit.household_id, hit.household_number or "")
        elif kind == "visit":
            self.set_page("visits").show_visit(hit.record_id, hit.household_name or "")
        elif kind == "problem":
            self.set_page("problems").show_problem(hit.record_id)
        elif kind == "diary":
            page = self.set_page("diary")
            page.open_entry(self.services.diary.get(hit.record_id))
        elif kind == "project":
            self.set_page("projects").show_project_in_list(hit.record_id)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.search_results.isVisible():
            self.search_results.anchor_to(self.search_box)
