"""The friendly stand-in for a page that is not built yet (and for a page that failed to open)."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from fupin_desktop.ui.icons import icon


class PlaceholderPage(QWidget):
    def __init__(self, title: str, icon_name: str = "info-circle", parent: QWidget | None = None,
                 text: str | None = None):
        super().__init__(parent)
        self.setObjectName("PlaceholderPage")
        pic = QLabel(self)
        pic.setPixmap(icon(icon_name).pixmap(QSize(56, 56)))
        pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("PlaceholderTitle")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label = QLabel(text or self.tr(
            "This part of the program is not available yet; it will come in a later version.\n"
            "Everything you have entered elsewhere is saved."), self)
        self.text_label.setObjectName("PlaceholderText")
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addStretch(2)
        lay.addWidget(pic)
        lay.addSpacing(8)
        lay.addWidget(self.title_label)
        lay.addWidget(self.text_label)
        lay.addStretch(3)


def placeholder_factory(title: str, icon_name: str):
    """A page factory (services, parent) → PlaceholderPage, for PAGES entries without a real page yet."""
    def factory(_services, parent: QWidget | None = None) -> QWidget:
        return PlaceholderPage(title, icon_name, parent)
    return factory
