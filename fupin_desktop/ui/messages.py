"""The standard dialogs: :func:`info`, :func:`confirm`, :func:`error`, and :func:`file_saved` after every export,
print to file and report (打开文件 / 打开所在文件夹).

Always call them through the module (``messages.error(self, exc)``, not ``from … import error``) so that tests can
replace them::

    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)

The text passed in is shown as it is: translate it at the call site with ``self.tr()``. Errors raised by the
services (:class:`FupinError` and its subclasses) already carry a Chinese message meant for the user.
"""
from __future__ import annotations

import errno
import logging
import subprocess
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from fupin_desktop.domain.errors import FupinError, ValidationError

log = logging.getLogger(__name__)



# lupdate reads the literal context of every translate("Context", "text") call.
translate = QCoreApplication.translate


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    # Messages quote users' data (names, file paths): never interpret them as HTML.
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def info(parent: QWidget | None, text: str, title: str | None = None) -> None:
    """A plain notice with one OK button."""
    box = _box(parent, QMessageBox.Icon.Information, title or translate("Messages", "Notice"), text)
    box.addButton(translate("Messages", "OK"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def confirm(
    parent: QWidget | None,
    text: str,
    ok_text: str | None = None,
    *,
    destructive: bool = False,
    title: str | None = None,
) -> bool:
    """Ask before doing something; True when the user chose ``ok_text`` (default “确定”).

    ``destructive=True`` (deleting, overwriting, restoring a backup) makes Cancel the default button, so that a
    hurried Enter does no harm.
    """
    box = _box(parent, QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question,
               title or translate("Messages", "Please confirm"), text)
    ok = box.addButton(ok_text or translate("Messages", "OK"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(translate("Messages", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel if destructive else ok)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is ok


def error_text(exc_or_text: BaseException | str) -> str:
    """What the user reads for an error: the message of our own errors, a generic sentence for anything else."""
    if isinstance(exc_or_text, str):
        return exc_or_text
    if isinstance(exc_or_text, FupinError):
        return str(exc_or_text)
    from fupin_desktop.fileio import as_os_error

    disk = as_os_error(exc_or_text)  # also a full disk hidden in lxml's or SQLite's error
    if disk is not None:
        where = f"\n{disk.filename}" if getattr(disk, "filename", None) else ""
        return translate("Messages", "The file could not be read or written: {reason}").format(
            reason=_os_reason(disk)) + where
    return translate("Messages", "Something went wrong and the action was not completed. Your saved data is "
                                 "safe. If it happens again, please tell the person who supports this program.")


def _os_reason(exc: OSError) -> str:
    """The operating system's reason in words a user understands (its own text is English on most systems)."""
    reasons = {
        errno.ENOSPC: translate("Messages", "the disk is full; free some space and try again"),
        errno.EACCES: translate("Messages", "no permission to write there; choose another folder"),
        errno.EPERM: translate("Messages", "no permission to write there; choose another folder"),
        errno.EROFS: translate("Messages", "the disk or folder is read-only; choose another folder"),
        errno.ENOENT: translate("Messages", "the file or folder does not exist (was it moved or renamed?)"),
        errno.EEXIST: translate("Messages", "a file of that name is in the way"),
        errno.ENOTDIR: translate("Messages", "a file of that name is in the way"),
        errno.EIO: translate("Messages", "the disk could not be read (was a USB stick removed?)"),
    }
    return reasons.get(exc.errno, exc.strerror or str(exc))


def error(parent: QWidget | None, exc_or_text: BaseException | str, title: str | None = None) -> None:
    """Show an error. A ValidationError shows just its message; an unexpected exception is logged with its
    traceback and shown as a generic sentence with the technical details folded away."""
    text = error_text(exc_or_text)
    if isinstance(exc_or_text, ValidationError):
        icon, default_title = QMessageBox.Icon.Warning, translate("Messages", "Please check")
    else:
        icon, default_title = QMessageBox.Icon.Critical, translate("Messages", "Error")
    box = _box(parent, icon, title or default_title, text)
    if isinstance(exc_or_text, BaseException) and not isinstance(exc_or_text, FupinError):
        details = "".join(traceback.format_exception(exc_or_text))
        log.error("unexpected error shown to the user:\n%s", details)
        box.setDetailedText(details)
    box.addButton(translate("Messages", "OK"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


class FileSavedBox(QMessageBox):
    """“Saved to …” with 打开文件 / 打开所在文件夹 / 关闭. The buttons act when clicked (the box then closes)."""

    def __init__(self, parent: QWidget | None, path: str | Path, text: str | None = None,
                 title: str | None = None):
        self.path = Path(path)
        body = (text + "\n\n" if text else "") + translate("Messages", "Saved to:\n{path}").format(path=self.path)
        super().__init__(QMessageBox.Icon.Information, title or translate("Messages", "File saved"), body,
                         QMessageBox.StandardButton.NoButton, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # file names are data, never HTML
        self.open_file_button = self.addButton(translate("Messages", "Open file"), QMessageBox.ButtonRole.ActionRole)
        self.open_folder_button = self.addButton(translate("Messages", "Open folder"),
                                                 QMessageBox.ButtonRole.ActionRole)
        self.close_button = self.addButton(translate("Messages", "Close"), QMessageBox.ButtonRole.AcceptRole)
        self.setDefaultButton(self.open_file_button)
        self.setEscapeButton(self.close_button)
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button) -> None:
        if button is self.open_file_button:
            open_file(self.path)
        elif button is self.open_folder_button:
            open_folder(self.path)


def open_file(path: str | Path) -> bool:
    """Open a file in the program the system uses for it (WPS, Excel, a PDF reader…)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_folder(path: str | Path) -> bool:
    """Show the folder of ``path`` (Windows: with the file selected in Explorer)."""
    path = Path(path)
    if sys.platform == "win32" and path.is_file():
        try:
            subprocess.Popen(["explorer", f"/select,{path}"])  # noqa: S603,S607 — a fixed program, a path argument
            return True
        except OSError:
            pass
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path if path.is_dir() else path.parent)))


def file_saved(parent: QWidget | None, path: str | Path, text: str | None = None, title: str | None = None) -> None:
    """After an export, a PDF or a report was written: say where, and offer to open the file or its folder."""
    FileSavedBox(parent, path, text, title).exec()
