"""Run service calls off the GUI thread and get the result back on it.

Usage::

    from fupin_desktop.ui import tasks

    tasks.run_in_background(
        services.households.save, data,           # fn(*args, **kwargs) runs in a worker thread
        on_success=self._saved,                   # called on the GUI thread with fn's return value
        parent=self,                              # dialogs are centred on it; callbacks dropped if it is deleted
        writes=True,                              # one writer at a time; Outcome.changes published on the bus
    )

    def export(path, *, progress, cancel):        # long work: accept these two keyword arguments …
        for i, row in enumerate(rows):
            cancel.raise_if_cancelled()           # … stop when the user presses 取消 (raises Cancelled)
            progress(i, len(rows), "正在导出…")    # … report (done, total, text) from the worker thread
    tasks.run_in_background(export, path, progress_title=self.tr("Exporting"), cancellable=True, parent=self)

Rules:
* Reads run on a shared pool; ``writes=True`` runs on a one-thread pool so writes never race each other
  (SQLite has one writer anyway).
* ``progress_title`` set: a progress dialog appears if the work is still running after 0.5 s (quick work never
  flashes a dialog). ``cancellable=True`` gives it a cancel button which sets the token; the function decides when
  to stop (and its unit of work rolls back when ``Cancelled`` propagates).
* ``fn`` receives ``progress=`` and ``cancel=`` only if its signature names them.
* Errors: with ``on_failure`` the callback decides (it may call :func:`report_error`); without it a
  :class:`FupinError` is shown with its Chinese message, anything else as a generic message with the traceback
  logged. ``Cancelled`` is not an error: ``on_cancelled`` (if given) is called and nothing is shown.
* ``writes=True`` and a result with a truthy ``.changes`` (an ``Outcome``): ``bus().data_changed`` is emitted with
  ``initiator=parent`` after ``on_success``.
* Copy data before it crosses threads: services already return frozen dataclasses.

Tests: ``qtbot.waitUntil(lambda: tasks.active_count() == 0)``, or ``tasks.wait_for_tasks()``, or wait on the
returned :class:`Task`'s ``finished`` signal — never sleep.
"""
from __future__ import annotations

import inspect
import logging
import threading
import time
import weakref
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from fupin_desktop.domain.errors import FupinError
from fupin_desktop.ui import messages
from fupin_desktop.ui.events import bus

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 500

# NO_BOOL_THROUGH_SIGNALS: with PySide6 6.12 every emit of Python's ``True`` through a signal declared in Python
# (Signal(bool) or Signal(object)) to a Python slot drops one reference to ``True``; a long session then dies with
# "Fatal Python error: bool_dealloc". pyproject pins 6.11.x, which does not; our own signals also carry ints and
# boxed results, so a slip back to an affected version leaks less (tests/ui/test_signal_refcounts.py catches it).


# lupdate reads the literal context of every translate("Context", "text") call.
translate = QCoreApplication.translate


class Cancelled(Exception):
    """Raised inside a background function when the user cancelled it (not an error: nothing is shown)."""


class CancelToken:
    """Thread-safe flag the GUI sets and the worker polls."""

    def __init__(self) -> None:
        self._event = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class _Signals(QObject):
    # Emitted from the worker thread; the Task (living in the GUI thread) receives them queued.
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable, args: tuple, kwargs: dict, signals: _Signals):
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._args, self._kwargs, self._signals = fn, args, kwargs, signals

    def payload(self) -> tuple:
        return self._fn, self._args, self._kwargs, self._signals

    def run(self) -> None:  # worker thread
        try:
            result = self._fn(*self._args, **self._kwargs)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI thread
            self._signals.failed.emit(exc)  # exc.__traceback__ travels with it
        else:
            self._signals.succeeded.emit((result,))  # boxed: see NO_BOOL_THROUGH_SIGNALS


def _format_tb(exc: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(exc))


class _Tracker(QObject):
    """Counts running tasks; ``idle`` is emitted when the last one finishes (for tests and for quitting)."""

    idle = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.active: set[Task] = set()


_tracker: _Tracker | None = None
_read_pool: QThreadPool | None = None
_write_pool: QThreadPool | None = None

# OBJECTS_DIE_ON_THE_GUI_THREAD: the pool deletes a runnable in its worker thread once run() has returned. Had the
# runnable held the last references to the task's objects (its signal QObject, the Task through a bound
# ``progress``, the caller's arguments), they would be freed there — a GUI-thread QObject destroyed in a worker
# while the GUI event loop runs (a segfault seen once inside qtbot.waitExposed). So each started task's payload is
# also kept here, and dropped — on the GUI thread — only after its runnable is gone (``sweep``).
_graveyard: list[tuple[weakref.ref, tuple]] = []


def sweep() -> None:
    """Let go (on the GUI thread) of the payloads whose runnables the pool has deleted."""
    _graveyard[:] = [(ref, payload) for ref, payload in _graveyard if ref() is not None]


def tracker() -> _Tracker:
    global _tracker
    if _tracker is None:
        _tracker = _Tracker()
    return _tracker


def _pool(writes: bool) -> QThreadPool:
    global _read_pool, _write_pool
    if writes:
        if _write_pool is None:
            _write_pool = QThreadPool()
            _write_pool.setMaxThreadCount(1)
        return _write_pool
    if _read_pool is None:
        _read_pool = QThreadPool()
        _read_pool.setMaxThreadCount(max(2, QThreadPool.globalInstance().maxThreadCount()))
    return _read_pool


def _alive(obj: QObject | None) -> bool:
    if obj is None:
        return True
    try:
        import shiboken6

        return shiboken6.isValid(obj)
    except ImportError:  # pragma: no cover
        return True


class Task(QObject):
    """One background call. Signals (GUI thread): ``finished(ok: bool)`` after the callbacks ran."""

    # int, not bool: see NO_BOOL_THROUGH_SIGNALS (0 = failed or cancelled, 1 = succeeded)
    finished = Signal(int)

    def __init__(self, fn, args, kwargs, *, on_success, on_failure, on_cancelled, progress_title, parent,
                 cancellable, writes):
        super().__init__()
        self.fn = fn
        self.token = CancelToken()
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self._on_success, self._on_failure, self._on_cancelled = on_success, on_failure, on_cancelled
        self._parent = parent
        self._title = progress_title
        self._cancellable = cancellable
        self._writes = writes
        self._dialog: QProgressDialog | None = None
        self._last_progress: tuple[int, int, str] | None = None

        self._signals = _Signals()
        self._signals.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._signals.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)

        wanted = _accepted_kwargs(fn)
        if "progress" in wanted:
            kwargs["progress"] = self._report_progress
        if "cancel" in wanted:
            kwargs["cancel"] = self.token
        self._runnable = _Runnable(fn, args, kwargs, self._signals)

    # -- worker side ------------------------------------------------------------------------------------------
    def _report_progress(self, done: int, total: int = 0, text: str = "") -> None:
        self._signals.progressed.emit(int(done), int(total or 0), str(text or ""))

    # -- GUI side ---------------------------------------------------------------------------------------------
    def start(self) -> "Task":
        tracker().active.add(self)
        if self._title is not None:
            QTimer.singleShot(PROGRESS_DELAY_MS, self._show_dialog)
        runnable, self._runnable = self._runnable, None  # the pool owns and deletes it (autoDelete)
        sweep()
        _graveyard.append((weakref.ref(runnable), (self, self._signals, runnable.payload())))
        _pool(self._writes).start(runnable)
        return self

    def cancel(self) -> None:
        self.token.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText(translate("Tasks", "Cancelling…"))

    def _show_dialog(self) -> None:
        if self.done or not _alive(self._parent):
            return
        parent = self._parent if isinstance(self._parent, QWidget) else None
        cancel_text = translate("Tasks", "Cancel") if self._cancellable else None
        dlg = QProgressDialog(self._title or "", cancel_text, 0, 0, parent)
        dlg.setWindowTitle(self._title or translate("Tasks", "Please wait"))
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setMinimumWidth(360)
        if not self._cancellable:
            dlg.setCancelButton(None)
        dlg.canceled.connect(self.cancel)
        self._dialog = dlg
        if self._last_progress:
            self._progressed(*self._last_progress)
        dlg.show()

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, text: str) -> None:
        self._last_progress = (done, total, text)
        dlg = self._dialog
        if dlg is None:
            return
        dlg.setMaximum(max(total, 0))
        if total > 0:
            dlg.setValue(min(done, total))
        if text and not self.token.cancelled:
            dlg.setLabelText(text)

    def _finish(self) -> None:
        self.done = True
        if self._dialog is not None:
            self._dialog.hide()
            self._dialog.deleteLater()
            self._dialog = None

    def _release(self, ok: bool) -> None:
        self.finished.emit(int(ok))
        t = tracker()
        t.active.discard(self)
        sweep()
        if not t.active:
            t.idle.emit()

    @Slot(object)
    def _succeeded(self, boxed: tuple) -> None:
        (result,) = boxed
        self._finish()
        self.result = result
        try:
            if _alive(self._parent):
                if self._on_success is not None:
                    self._on_success(result)
                changes = getattr(result, "changes", None)
                if self._writes and changes:
                    bus().data_changed.emit(changes, self._parent)
        except Exception as exc:  # noqa: BLE001 - a failing callback must not kill the event loop
            report_error(self._parent, exc)
        finally:
            self._release(True)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.error = exc
        try:
            if not _alive(self._parent):
                return
            if isinstance(exc, Cancelled):
                if self._on_cancelled is not None:
                    self._on_cancelled()
                return
            if not isinstance(exc, FupinError) and self._on_failure is not None:
                # (without on_failure, messages.error logs the traceback itself)
                log.error("background task %s failed:\n%s", getattr(self.fn, "__qualname__", self.fn),
                          _format_tb(exc))
            if self._on_failure is not None:
                self._on_failure(exc)
            else:
                report_error(self._parent, exc)
        except Exception as inner:  # noqa: BLE001
            log.exception("error handler failed")
            report_error(self._parent, inner)
        finally:
            self._release(False)


def _accepted_kwargs(fn: Callable) -> set[str]:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return set()
    return {name for name, p in params.items()
            if name in ("progress", "cancel")
            and p.kind in (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)}


def report_error(parent: QObject | None, exc: BaseException) -> None:
    """The default failure handling: our errors show their Chinese message, others a generic one (logged)."""
    widget = parent if isinstance(parent, QWidget) and _alive(parent) else None
    messages.error(widget, exc)


def run_in_background(
    fn: Callable,
    *args: Any,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    on_cancelled: Callable[[], None] | None = None,
    progress_title: str | None = None,
    parent: QObject | None = None,
    cancellable: bool = False,
    writes: bool = False,
    **kwargs: Any,
) -> Task:
    """Run ``fn(*args, **kwargs)`` on a worker thread; see the module docstring. Returns the started Task."""
    task = Task(fn, args, dict(kwargs), on_success=on_success, on_failure=on_failure, on_cancelled=on_cancelled,
                progress_title=progress_title, parent=parent, cancellable=cancellable, writes=writes)
    return task.start()


def active_count() -> int:
    return len(tracker().active)


def wait_for_tasks(timeout_ms: int = 10000) -> bool:
    """Process events until every task has finished (callbacks included); False on timeout. For tests and for a
    clean quit."""
    deadline = time.monotonic() + timeout_ms / 1000
    while tracker().active:
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        for pool in (_read_pool, _write_pool):
            if pool is not None:
                pool.waitForDone(5)
    for pool in (_read_pool, _write_pool):
        if pool is not None:
            pool.waitForDone(max(0, int((deadline - time.monotonic()) * 1000)))
    sweep()
    return True
