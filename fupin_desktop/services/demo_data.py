"""Demo data as a user action (the command line's ``demo`` verb): who may do it, the backup before clearing, one
writer at a time. The generator itself is services.demo.generate_demo."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fupin_desktop.domain.errors import ConflictError
from fupin_desktop.services.base import Service

__all__ = ["DemoService", "DemoResult"]


@dataclass(frozen=True)
class DemoResult:
    summary: object  # services.demo.DemoSummary
    backup: Path | None  # the backup of the data that was cleared first (None when nothing was cleared)


class DemoService(Service):
    def is_empty(self) -> bool:
        """True when the database holds no village data (users, settings and the audit trail aside)."""
        from fupin_desktop.storage.integrity import is_empty

        return is_empty(self.db)

    def generate(self, households: int, seed: int = 1, year: int | None = None, *, replace: bool = False,
                 progress=None, cancel=None, village: str | None = None,
                 division: str | None = None) -> DemoResult:
        """Fill the database with one demo village. Administrators only: it is part of setting a laptop up (the
        window offers it in the administrator's set-up wizard) and ``replace`` empties the database.

        A database with data is refused (ConflictError) unless ``replace``: then it is backed up first (the
        backup service: thinning, USB copy) and cleared, in the user's name. Raises PermissionDeniedError,
        ConflictError, ValidationError (see generate_demo), WriterBusyError."""
        from fupin_desktop.services.backups import BackupService
        from fupin_desktop.services.demo import generate_demo
        from fupin_desktop.storage.bulk import delete_all
        from fupin_desktop.storage.db import acting_as

        self.require_admin()
        self.require_write()  # also: a handed-over data folder (交接) is not emptied
        with self.sole_writer(), acting_as(self.actor):
            saved = None
            if not self.is_empty():
                if not replace:
                    raise ConflictError("数据库已有数据，没有生成演示数据")
                if self.db.path is not None:
                    saved = BackupService(self.ctx).backup_now("demo").path
                delete_all(self.db, "生成演示数据前清空")
            summary = generate_demo(self.db, households, seed=seed, year=year, progress=progress, cancel=cancel,
                                    village=village, division=division)
        return DemoResult(summary, saved)
