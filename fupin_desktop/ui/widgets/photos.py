"""Photos, one way: choosing picture files, a thumbnail, the strip of thumbnails, and the picker a form shows
(the strip + 添加照片…). The files are copied into the data folder by the service that saves the record (in the
write pool), never here."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QWidget

# lupdate reads the literal context of every translate("Context", "text") call.
translate = QCoreApplication.translate

THUMB = 88
PHOTO_FILTER = "*.jpg *.jpeg *.png *.bmp *.gif *.webp *.heic"


def choose_photo_files(parent: QWidget | None) -> list[str]:
    """The file dialog for pictures (several at once)."""
    files, _ = QFileDialog.getOpenFileNames(
        parent, translate("Photos", "Choose photos"), "",
        translate("Photos", "Photos ({patterns});;All files (*)").format(patterns=PHOTO_FILTER))
    return files


def thumbnail(path: str | Path, size: int = THUMB) -> QIcon:
    pm = QPixmap(str(path))
    if pm.isNull():
        return QIcon()
    return QIcon(pm.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                           Qt.TransformationMode.SmoothTransformation))


def photo_list(parent: QWidget | None) -> QListWidget:
    """A one-row strip of thumbnails."""
    w = QListWidget(parent)
    w.setViewMode(QListWidget.ViewMode.IconMode)
    w.setIconSize(QSize(THUMB, THUMB))
    w.setFlow(QListWidget.Flow.LeftToRight)
    w.setWrapping(False)
    w.setFixedHeight(THUMB + 40)
    w.setMovement(QListWidget.Movement.Static)
    return w


class PhotoPicker(QWidget):
    """The photos of a form: thumbnails and 添加照片…; ``paths()`` are the chosen files (each once)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = photo_list(self)
        self.button = QPushButton(self.tr("Add photos…"), self)
        self.button.clicked.connect(lambda: self.add(choose_photo_files(self)))
        self._paths: list[str] = []
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)

    def add(self, files) -> None:
        for f in map(str, files):
            if f in self._paths:
                continue
            self._paths.append(f)
            item = QListWidgetItem(thumbnail(f), Path(f).name[:14])
            item.setToolTip(f)
            self.list.addItem(item)
        self.changed.emit()

    def paths(self) -> tuple[Path, ...]:
        return tuple(Path(p) for p in self._paths)

    def clear(self) -> None:
        self._paths.clear()
        self.list.clear()
        self.changed.emit()
