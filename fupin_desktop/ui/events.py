"""The application-wide event bus.

After a service call that wrote something, the caller publishes the ``Changes`` it returned::

    bus().data_changed.emit(outcome.changes, self)

(``tasks.run_in_background(..., writes=True)`` does this for you.) Every view connects once and refreshes only
what it shows::

    bus().data_changed.connect(self._on_data_changed)

    def _on_data_changed(self, changes, initiator):
        if changes.touches("household", "member"):
            self.model.reload()

``initiator`` is the widget (or any object) that caused the change, so a view can skip the echo of its own save.
Connect with a bound method of a QObject: Qt then drops the connection when the widget is destroyed.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class EventBus(QObject):
    # (changes: services.base.Changes, initiator: object | None)
    data_changed = Signal(object, object)

    def publish(self, changes, initiator=None) -> None:
        """Emit ``data_changed`` unless ``changes`` is empty (a no-op save must not reload every view)."""
        if changes:
            self.data_changed.emit(changes, initiator)


_bus: EventBus | None = None


def bus() -> EventBus:
    """The one bus of the process (created on first use, in the GUI thread)."""
    global _bus
    if _bus is None:
        _bus = EventBus()
    return _bus
