"""One running program per data folder.

A QLockFile in the data folder says who owns it; a lock left by a crashed process (its PID is gone) is taken over.
A second start asks the running one, over a QLocalServer named after the folder, to bring its window to the front.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

LOCK_NAME = "fupin.lock"


def server_name(data_dir: Path) -> str:
    return "fupin-" + hashlib.sha1(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()[:16]


class SingleInstance(QObject):
    activation_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = QLockFile(str(self.data_dir / LOCK_NAME))
        # Only a dead owner makes a lock stale: an old but live lock (a program left open for days) is respected.
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True when this process now owns the data folder (a stale lock of a crashed process is taken over)."""
        if not self._lock.tryLock(200):
            if self._lock.error() == QLockFile.LockError.LockFailedError:
                return False
            # PermissionError / UnknownError: the folder is not writable; the database open will explain.
            return False
        name = server_name(self.data_dir)
        QLocalServer.removeServer(name)  # a crashed owner may have left its socket behind
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_connection)
        self._server.listen(name)
        return True

    def owner_pid(self) -> int | None:
        info = self._lock.getLockInfo()  # PySide6 returns (pid, host, app); pid 0 when unknown
        pid = info[0] if info else 0
        return pid or None

    def notify_running(self, timeout_ms: int = 1000) -> bool:
        """Ask the running instance to show its window; True if it answered."""
        socket = QLocalSocket()
        socket.connectToServer(server_name(self.data_dir))
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(b"activate\n")
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _on_connection(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            conn = self._server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read(c))

    def _read(self, conn: QLocalSocket) -> None:
        if b"activate" in bytes(conn.readAll()):
            self.activation_requested.emit()
        conn.disconnectFromServer()
