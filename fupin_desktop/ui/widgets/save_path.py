"""Where exported, printed-to-file and report files are saved: one place for every save dialog of the window.

The dialog opens in the folder she used last (machine setting ``export.folder``); the first time, on a USB stick
when one is plugged in, else in Documents (``paths.default_save_dir``) — never in the hidden data folder. The
folder of the file she saves becomes the next default. After saving, ``messages.file_saved`` offers 打开文件 /
打开所在文件夹.

    target = ask_save_path(self, self.tr("Save as PDF"), "走访台账.pdf", "PDF (*.pdf)")
    if target is None:
        return  # she cancelled
    … write target …
    remember_folder(target)  # (ask_save_path already did; call it for paths chosen elsewhere)
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from fupin_desktop import paths
from fupin_desktop.settings import MachineSettings

SETTING = "export.folder"


def safe_file_name(name: str, default: str = "document") -> str:
    """``name`` without the characters Windows refuses in a file name."""
    return "".join("_" if ch in '<>:"/\\|?*' else ch for ch in name).strip() or default


def save_folder() -> Path:
    """The folder to offer: the one she chose last if it is still there (a USB stick may be gone), else a stick
    or Documents."""
    try:
        chosen = MachineSettings().get(SETTING)
    except OSError:
        chosen = ""
    if chosen and Path(chosen).is_dir():
        return Path(chosen)
    return paths.default_save_dir()


def remember_folder(file_or_folder: str | Path) -> None:
    """Offer this folder next time (the folder of a file, or the folder itself)."""
    target = Path(file_or_folder)
    folder = target if target.is_dir() else target.parent
    try:
        MachineSettings().set(SETTING, str(folder))
    except OSError:
        pass  # only a convenience: a read-only data folder must not fail the export


def suggested_path(name: str) -> Path:
    """``name`` in the folder to offer (for dialogs that show the target in a field before saving)."""
    return save_folder() / name


def ask_save_path(parent: QWidget | None, title: str, name: str, file_filter: str) -> Path | None:
    """The system's save dialog in :func:`save_folder` with ``name`` suggested; None when she cancels. The
    extension of the filter is added when she typed a name without it."""
    target, _ = QFileDialog.getSaveFileName(parent, title, str(suggested_path(name)), file_filter)
    if not target:
        return None
    path = Path(target)
    suffix = Path(name).suffix
    if suffix and path.suffix.lower() != suffix.lower():
        path = path.with_name(path.name + suffix)
    remember_folder(path)
    return path


class SavePathField(QWidget):
    """The 保存到 row of a dialog that shows its target before saving: the path (``line``) and a 浏览… button opening
    the save dialog there; the extension of ``suffix`` is added to a name typed without it."""

    def __init__(self, parent: QWidget | None, title: str, file_filter: str, suffix: str = ".xlsx"):
        from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QToolButton

        super().__init__(parent)
        self.title, self.file_filter, self.suffix = title, file_filter, suffix
        self.line = QLineEdit(self)
        self.browse = QToolButton(self)
        self.browse.setText(self.tr("Browse…"))
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.browse)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.title, self.line.text(), self.file_filter)
        if path:
            self.line.setText(path if path.lower().endswith(self.suffix) else path + self.suffix)
