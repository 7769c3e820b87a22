"""The form base every record dialog is built on (DESIGN §5 habit 5).

What a subclass writes: its fields, once (label, widget, the service's field name), how to load a record and what
to call to save it. What the base does for all: the error under its field (``ValidationError(field, message)``),
the save through the write pool with a busy state (never a service write on the GUI thread; ``data_changed``
published once, by ui.tasks, with the dialog as initiator), geometry remembered under ``state_key``, Esc/Cancel/
close asking before throwing away changes (only when something changed), Ctrl+S, and Tab in the order of the
screen (top to bottom, left to right)::

    class PurchaseEditor(FormDialog):
        state_key = "dialogs/purchase_editor"

        def __init__(self, services, parent=None, purchase=None):
            super().__init__(parent, self.tr("Record a purchase"))
            self.product = QLineEdit(self)
            self.add_row(self.tr("Product *"), self.product, "product")
            ...
            self.finish(620, 600)                           # after loading the record: that is the clean state

        def submit(self):                                   # GUI thread: read the fields, no service writes
            data = PurchaseInput(...)                       # may raise ValidationError: shown under its field
            return (self.services.purchases.create, data)   # runs in the write pool

Afterwards ``self.outcome`` is the service's Outcome and ``self.saved_id`` the id of the saved record; the dialog
accepts (override :meth:`after_save` to do something else first). ``save()`` returns the running Task (None when
nothing was started); tests wait on ``dialog.busy`` becoming False or on the Task.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QLayout, QLineEdit, QListWidget, QPlainTextEdit, QScrollArea, QTableWidget, QTextEdit, QVBoxLayout, QWidget,
)

from fupin_desktop.domain.errors import FupinError, ValidationError
from fupin_desktop.ui.widgets.field_error import FieldError, FormErrors
from fupin_desktop.ui.widgets.state import restore_geometry, save_geometry

translate = QCoreApplication.translate


def confirm_discard(parent: QWidget) -> bool:
    """Esc or Close on a form with changes: ask before throwing them away (Cancel is the default)."""
    from fupin_desktop.ui import messages

    return messages.confirm(parent, translate("Forms", "Discard the changes you have made?"),
                            translate("Forms", "Discard changes"), destructive=True)


def input_state(root: QWidget) -> tuple:
    """What the user can change in ``root``'s inputs, as a comparable value (for "has anything changed?")."""
    out: list[Any] = []
    for w in root.findChildren(QWidget):
        if isinstance(w, QLineEdit):
            out.append(w.text())
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            out.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            out.append((w.currentIndex(), w.currentText()))
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            out.append(w.isChecked())
        elif isinstance(w, QDateEdit):
            out.append(w.date().toString(Qt.DateFormat.ISODate) if isinstance(w.date(), QDate) else None)
        elif isinstance(w, QAbstractSpinBox):
            out.append(w.text())
        elif isinstance(w, QTableWidget):
            out.append(tuple(w.item(r, c).text() if w.item(r, c) else ""
                             for r in range(w.rowCount()) for c in range(w.columnCount())))
        elif isinstance(w, QListWidget):
            out.append(tuple(w.item(r).text() for r in range(w.count())))
    return tuple(out)


def _focus_stops(root: QWidget) -> list[QWidget]:
    """The widgets Tab stops at inside ``root`` (visible, enabled, taking Tab focus, not a proxy's inner part)."""
    stops = []
    for w in root.findChildren(QWidget):
        if w.focusProxy() is not None or not w.isVisibleTo(root) or not w.isEnabled():
            continue
        if not (w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        if any(isinstance(p, (QAbstractSpinBox, QAbstractItemView)) or (isinstance(p, QComboBox) and p.isEditable())
               for p in _ancestors(w, root)):
            continue  # inside a spin box, an editable combo box or a table's cell: Tab stops at the outer widget
        stops.append(w)
    return stops


def _ancestors(w: QWidget, root: QWidget):
    p = w.parentWidget()
    while p is not None and p is not root:
        yield p
        p = p.parentWidget()


COLUMN = "formColumn"  # a widget with this property set is a column of the form: read top to bottom first


def _top_left(w: QWidget, root: QWidget) -> tuple[int, int]:
    pos = w.mapTo(root, w.rect().topLeft())
    return pos.y(), pos.x()


def _reading_order(widgets: list[QWidget], root: QWidget) -> list[QWidget]:
    """Rows top to bottom (tops within half a line of the row's first top are one row), each left to right."""
    placed = sorted(widgets, key=lambda w: _top_left(w, root))
    rows: list[list[QWidget]] = []
    row_top = None
    for w in placed:
        top = _top_left(w, root)[0]
        if row_top is None or top - row_top > max(6, w.fontMetrics().height() // 2):
            rows.append([])
            row_top = top
        rows[-1].append(w)
    return [w for row in rows for w in sorted(row, key=lambda w: _top_left(w, root)[1])]


def _is_container(w: QWidget) -> bool:
    """A part of the form read as one block: a column (``add_columns``) or a scrolled area (its own coordinates:
    scrolling must not change the order)."""
    return bool(w.property(COLUMN)) or isinstance(w, QScrollArea)


def _outer_container(w: QWidget, container: QWidget) -> QWidget | None:
    found = None
    for p in _ancestors(w, container):
        if _is_container(p):
            found = p
    return found


def _ordered(container: QWidget, widgets: list[QWidget]) -> list[QWidget]:
    groups: dict[QWidget, list[QWidget]] = {}
    units: list[QWidget] = []
    for w in widgets:
        sub = _outer_container(w, container)
        if sub is None:
            units.append(w)
        else:
            if sub not in groups:
                units.append(sub)
            groups.setdefault(sub, []).append(w)
    ref = container.widget() if isinstance(container, QScrollArea) and container.widget() else container
    out: list[QWidget] = []
    for unit in _reading_order(units, ref):
        out += _ordered(unit, groups[unit]) if unit in groups else [unit]
    return out


def visual_key(w: QWidget, root: QWidget) -> tuple[int, int]:
    """Where ``w`` sits (top, left) in ``root``: for messages."""
    return _top_left(w, root)


def visual_order(root: QWidget) -> list[QWidget]:
    """The inputs in reading order: rows top to bottom, each left to right; a form in side-by-side columns
    (``add_columns``) is read column by column, each top to bottom; a scrolled part as laid out, not as scrolled."""
    return _ordered(root, _focus_stops(root))


def stop_of(w: QWidget | None, stops: list[QWidget], root: QWidget) -> QWidget | None:
    """The Tab stop that ``w`` (maybe the line edit inside a date edit, a table's viewport…) belongs to."""
    while w is not None and w not in stops and w is not root:
        w = w.parentWidget()
    return w if w in stops else None


class FormDialog(QDialog):
    """See the module docstring."""

    #: where the geometry is remembered ("dialogs/<name>"; a fixed key, never translated text)
    state_key: str = ""
    #: emitted after a successful save (GUI thread), with the Outcome
    saved_outcome = Signal(object)

    def __init__(self, parent: QWidget | None = None, title: str = ""):
        super().__init__(parent)
        if title:
            self.setWindowTitle(title)
        self.errors = FormErrors()
        self.outcome: Any = None
        self.saved_id: str | None = None
        self.busy = False
        self.task = None
        self._clean: tuple | None = None
        self._tab_ordered = False
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(translate("Forms", "Save (Ctrl+S)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("Forms", "Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self).activated.connect(self.save)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        #: a ValidationError of no field shown here, above the buttons
        self.general_error = FieldError(self)

    # -- building -------------------------------------------------------------------------------------------------
    def field_box(self, widget: QWidget | QLayout, field: str | None = None,
                  error_widget: QWidget | None = None) -> tuple[QWidget, FieldError]:
        """``widget`` with its error label under it, in a box; ``field`` (the service's name) routes errors."""
        box = QWidget(self)
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        if isinstance(widget, QLayout):
            v.addLayout(widget)
        else:
            v.addWidget(widget)
        err = FieldError(box)
        v.addWidget(err)
        if field:
            target = error_widget if error_widget is not None else (widget if isinstance(widget, QWidget) else None)
            self.errors.add(field, target, err)
        return box, err

    def add_row(self, label: str | None, widget: QWidget | QLayout, field: str | None = None, *,
                error_widget: QWidget | None = None, form: QFormLayout | None = None) -> FieldError:
        """One row of the form: label, input, the error under it."""
        box, err = self.field_box(widget, field, error_widget)
        target = form or self.form
        if label is None:
            target.addRow(box)
        else:
            target.addRow(label, box)
        return err

    def add_columns(self, n: int = 2) -> list[QFormLayout]:
        """``n`` forms side by side under the main one (Tab goes down the first column, then the next)."""
        row = QHBoxLayout()
        forms = []
        for i in range(n):
            column = QWidget(self)
            column.setProperty(COLUMN, True)
            form = QFormLayout(column)
            form.setContentsMargins(0, 0, 0, 0)
            form.setLabelAlignment(self.form.labelAlignment())
            row.addWidget(column, 1)
            if i < n - 1:
                row.addSpacing(12)
            forms.append(form)
        self.body.addLayout(row)
        return forms

    def finish(self, width: int | None = None, height: int | None = None) -> None:
        """Call last in ``__init__`` (after loading the record): buttons, size, remembered geometry, clean state."""
        self.body.addWidget(self.general_error)
        self.body.addWidget(self.buttons)
        if width or height:
            hint = self.sizeHint()
            self.resize(width or hint.width(), height or hint.height())
        if self.state_key:
            restore_geometry(self, self.state_key)
        self.mark_clean()

    # -- changes --------------------------------------------------------------------------------------------------
    def state(self) -> tuple:
        """What the user changed; extend for what is not in a standard input (a list of photos…)."""
        return input_state(self)

    def mark_clean(self) -> None:
        self._clean = self.state()

    def is_dirty(self) -> bool:
        return self._clean is not None and self.state() != self._clean

    # -- saving ---------------------------------------------------------------------------------------------------
    def submit(self) -> tuple[Callable, ...] | None:
        """Read the fields (GUI thread) and say what to call in the write pool: ``(fn, *args)``; None: nothing
        to save. May raise ``ValidationError`` (shown under its field) or ask the user first."""
        raise NotImplementedError

    def save(self):
        """Ctrl+S / 保存: validate, then run the service call in the write pool. Returns the Task or None."""
        if self.busy:
            return None
        from fupin_desktop.ui import tasks

        self.errors.clear()
        self.general_error.clear_error()
        try:
            call = self.submit()
        except FupinError as exc:
            self.show_error(exc)
            return None
        if not call:
            return None
        fn, *args = call
        self._set_busy(True)
        self.task = tasks.run_in_background(fn, *args, on_success=self._succeeded, on_failure=self._failed,
                                            parent=self, writes=True)
        return self.task

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.buttons.setEnabled(not busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _succeeded(self, outcome) -> None:
        self._set_busy(False)
        self.outcome = outcome
        value = getattr(outcome, "value", None)
        self.saved_id = getattr(value, "id", None)
        self.mark_clean()
        self.after_save(outcome)
        self.saved_outcome.emit(outcome)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.show_error(exc)

    def show_error(self, exc: BaseException) -> None:
        """A ValidationError under its field (or above the buttons); anything else in a message box."""
        from fupin_desktop.ui import tasks

        if self.errors.show(self.map_error(exc)):
            return
        if isinstance(exc, ValidationError):
            self.general_error.show_error(str(exc))
        else:
            tasks.report_error(self, exc)

    def map_error(self, exc: BaseException) -> BaseException:
        """Hook: rename a service's field to one of this form (e.g. ``problems[2].description`` → ``problems``)."""
        return exc

    def after_save(self, outcome) -> None:
        """After a successful save (GUI thread): by default the dialog closes."""
        self.accept()

    # -- closing --------------------------------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc / Cancel / close: ask before throwing away what was typed; never while a save is running."""
        if self.busy:
            return
        if self.is_dirty() and not confirm_discard(self):
            return
        super().reject()

    def done(self, r: int) -> None:
        if self.state_key:
            save_geometry(self, self.state_key)
        super().done(r)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._tab_ordered:
            self._tab_ordered = True
            # a word-wrapped hint may need more lines at the width the dialog opens with than its size hint
            # counted: grow to the height the layout needs at that width, or the fields below it are squeezed
            need = self.heightForWidth(self.width())
            screen = self.screen()
            if screen is not None:
                need = min(need, screen.availableGeometry().height())
            if need > self.height():
                self.resize(self.width(), need)
            for box in self.findChildren(QPlainTextEdit) + self.findChildren(QTextEdit):
                box.setTabChangesFocus(True)  # Tab moves on; it never types a tab into a note
            for view in self.findChildren(QAbstractItemView):
                # Tab leaves a table (its cells are walked with the arrow keys); arriving on a cell does not open
                # its editor (typing, F2 or a double click does), so Tab never gets stuck inside the table
                view.setTabKeyNavigation(False)
                view.setEditTriggers(view.editTriggers() & ~QAbstractItemView.EditTrigger.CurrentChanged)
            for area in self.findChildren(QScrollArea):
                area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the fields inside take the focus, not the frame

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 - Qt naming
        """Tab / Shift+Tab: the next input in reading order, computed from where the inputs are on the screen now
        (rows appear and disappear with the choices made; Qt's own chain follows the order of creation)."""
        from PySide6.QtWidgets import QApplication

        stops = visual_order(self)
        current = stop_of(QApplication.focusWidget(), stops, self)
        if current is None or len(stops) < 2:
            return super().focusNextPrevChild(next)
        target = stops[(stops.index(current) + (1 if next else -1)) % len(stops)]
        target.setFocus(Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason)
        return True
