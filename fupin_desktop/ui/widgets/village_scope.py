"""The village a township (or county) database is narrowed to: 全部村 or one village.

A team's database holds one village and never shows the chooser. After merging the 同步包 of several villages, the
top bar shows :class:`VillageChooser`; pages that can narrow read :func:`village_scope` and follow its ``changed``
signal::

    from fupin_desktop.ui.widgets.village_scope import village_scope
    village_scope().changed.connect(self._village_changed)   # "" = all villages
    query = replace(query, village_id=village_scope().village_id)

Every page follows it: the pages built on ``ui.widgets.refresh.RefreshOnChange`` get the signal through
``watch_changes()`` (a visible page refreshes, a hidden one is marked stale), 首页 and the main search read it too.
The services take the village as a ``village_id`` argument or query field; the UI never builds a query.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from fupin_desktop.ui import tasks
from fupin_desktop.ui.events import bus


class VillageScope(QObject):
    changed = Signal(str)  # the village id, "" for all villages

    def __init__(self) -> None:
        super().__init__()
        self._village_id = ""
        self._village_name = ""

    @property
    def village_id(self) -> str | None:
        return self._village_id or None

    @property
    def village_name(self) -> str:
        """The chosen village's name ("" for all villages)."""
        return self._village_name if self._village_id else ""

    def set_village(self, village_id: str | None, name: str = "") -> None:
        village_id = village_id or ""
        self._village_name = name if village_id else ""
        if village_id != self._village_id:
            self._village_id = village_id
            self.changed.emit(village_id)


_scope: VillageScope | None = None


def village_scope() -> VillageScope:
    """The one scope of the process (created on first use, in the GUI thread)."""
    global _scope
    if _scope is None:
        _scope = VillageScope()
    return _scope


class VillageChooser(QComboBox):
    """全部村 / each village; hidden while the database holds one village. Reloads when villages arrive (a merge)."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.setObjectName("VillageChooser")
        self.setToolTip(self.tr("Show one village or all villages of this database"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setVisible(False)
        village_scope().set_village(None)  # a new window starts with every village
        self.currentIndexChanged.connect(self._chosen)
        bus().data_changed.connect(self._on_data_changed)
        self.reload()

    def reload(self) -> None:
        tasks.run_in_background(self.services.village.villages, on_success=self._fill,
                                on_failure=lambda _exc: None, parent=self)

    def _on_data_changed(self, changes, _initiator) -> None:
        if changes.touches("village", "sync"):
            self.reload()

    def _fill(self, villages) -> None:
        current = village_scope().village_id
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("All villages"), "")
        for v in villages:
            self.addItem(v.name or v.division_code, v.id)
        index = self.findData(current) if current else 0
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)
        self.setVisible(len(villages) > 1)
        if len(villages) <= 1 or index < 0:
            village_scope().set_village(None)  # the chosen village is gone: show everything

    def _chosen(self, _index: int) -> None:
        village_scope().set_village(self.currentData() or None, self.currentText())
