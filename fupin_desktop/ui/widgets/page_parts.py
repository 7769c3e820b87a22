"""Building blocks of every page: the header with its title and buttons, the primary button with its shortcut,
the empty state with the next step, a grid of check boxes for a code list. (Tables: ui.widgets.tables.)"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from fupin_desktop.ui import style
from fupin_desktop.ui.icons import icon
from fupin_desktop.ui.widgets.tables import setup_table  # noqa: F401 (pages import it from here too)

translate = QCoreApplication.translate


def page_header(parent: QWidget, title: str, *buttons: QWidget) -> QHBoxLayout:
    """Page title on the left, action buttons on the right."""
    h = QHBoxLayout()
    label = QLabel(title, parent)
    label.setObjectName("PageTitle")
    h.addWidget(label)
    h.addStretch(1)
    for b in buttons:
        h.addWidget(b)
    return h


def primary_button(parent: QWidget, text: str, icon_name: str | None = None, shortcut: str | None = None,
                   tip: str | None = None) -> QPushButton:
    b = QPushButton(text, parent)
    if icon_name:
        b.setIcon(icon(icon_name, "#FFFFFF"))
    b.setProperty("primary", True)
    if shortcut:
        QShortcut(QKeySequence(shortcut), parent).activated.connect(b.click)
        b.setToolTip(f"{tip or text} ({shortcut})")
    return b


def save_row(parent: QWidget, text: str) -> tuple[QPushButton, QLabel, QHBoxLayout]:
    """The save button of a form inside a page (a settings tab) with the "已保存" line beside it, left-aligned."""
    button = primary_button(parent, text)
    saved = QLabel(parent)
    saved.setObjectName("Hint")
    row = QHBoxLayout()
    row.addWidget(button)
    row.addWidget(saved)
    row.addStretch(1)
    return button, saved, row


def editor_buttons(editor: QWidget, save, delete) -> tuple[QPushButton, QPushButton, QHBoxLayout]:
    """The 删除 … 保存 row under a record editor that sits inside a page (the diary, the work log): 保存 is the
    primary button, Ctrl+S saves while the focus is anywhere in the editor. Returns (save, delete, row)."""
    save_button = primary_button(editor, translate("EditorButtons", "Save"), "check")
    save_button.setToolTip(translate("EditorButtons", "Save (Ctrl+S)"))
    delete_button = QPushButton(translate("EditorButtons", "Delete"), editor)
    row = QHBoxLayout()
    row.addWidget(delete_button)
    row.addStretch(1)
    row.addWidget(save_button)
    save_button.clicked.connect(save)
    delete_button.clicked.connect(delete)
    QShortcut(QKeySequence("Ctrl+S"), editor, activated=save, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return save_button, delete_button, row


class EmptyState(QWidget):
    """"还没有走访记录。[记一次走访]": a sentence and the button for the next step."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("PlaceholderText")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.button = QPushButton(self)
        self.button.setProperty("primary", True)
        self.button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        lay.addWidget(self.label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addStretch(2)
        self._action = None
        self.button.clicked.connect(lambda: self._action() if self._action else None)

    def set(self, text: str, button_text: str | None = None, action=None) -> None:
        self.label.setText(text)
        self.button.setVisible(bool(button_text))
        self.button.setText(button_text or "")
        self._action = action


class CheckGrid(QWidget):
    """Check boxes for a code list in a grid (Tab/Space work; faster than a multi-select list)."""

    changed = Signal()

    def __init__(self, items: list[tuple[str, str]], columns: int = 3, parent: QWidget | None = None,
                 limit: int | None = None):
        """``limit``: at most that many ticks (the other boxes are disabled while it is reached)."""
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        self.limit = limit
        self.boxes: dict[str, QCheckBox] = {}
        for i, (code, label) in enumerate(items):
            box = QCheckBox(label, self)
            box.toggled.connect(self._toggled)
            grid.addWidget(box, i // columns, i % columns)
            self.boxes[code] = box

    def _toggled(self) -> None:
        if self.limit is not None:
            full = len(self.codes()) >= self.limit
            for b in self.boxes.values():
                b.setEnabled(b.isChecked() or not full)
        self.changed.emit()

    def codes(self) -> tuple[str, ...]:
        return tuple(c for c, b in self.boxes.items() if b.isChecked())

    def set_codes(self, codes) -> None:
        for c, b in self.boxes.items():
            b.setChecked(c in set(codes or ()))


def colour(name: str) -> QColor:
    return QColor(getattr(style, name))
