"""Photos and scans: copied into the data folder under their SHA-256, so the same file is stored once."""
from __future__ import annotations

import hashlib
import mimetypes
import shutil
from dataclasses import dataclass
from pathlib import Path

from fupin_desktop import paths
from fupin_desktop.domain.errors import ValidationError
from fupin_desktop.fileio import atomic_path
from fupin_desktop.services.base import Changes, Outcome, Service, copy_to
from fupin_desktop.storage.models import Attachment
from fupin_desktop.storage.queries import common

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentDTO:
    id: str
    sha256: str
    filename: str
    mime: str | None
    size: int
    owner_type: str
    owner_id: str
    caption: str | None


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    filename: str
    mime: str | None
    size: int


class AttachmentService(Service):
    def folder(self) -> Path:
        return (self.ctx.data_dir / "attachments") if self.ctx.data_dir else paths.attachment_dir()

    def path_of(self, sha256: str, filename: str = "") -> Path:
        suffix = Path(filename).suffix.lower()
        return self.folder() / sha256[:2] / f"{sha256}{suffix}"

    def store_file(self, source: str | Path) -> StoredFile:
        """Copy a file into the attachment store (outside any transaction: an unused copy is harmless)."""
        src = Path(source)
        if not src.is_file():
            raise ValidationError("photos", f"找不到文件：{src}")
        size = src.stat().st_size
        if size > MAX_BYTES:
            raise ValidationError("photos", f"文件太大（{size // 1024 // 1024} MB），最大 50 MB：{src.name}")
        digest = hashlib.sha256()
        with open(src, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        sha = digest.hexdigest()
        target = self.path_of(sha, src.name)
        if not target.exists():
            with atomic_path(target) as tmp:
                shutil.copyfile(src, tmp)
        return StoredFile(sha, src.name, mimetypes.guess_type(src.name)[0], size)

    def add_rows(self, session, owner_type: str, owner_id: str, files: list[StoredFile]) -> list[Attachment]:
        rows = []
        for f in files:
            row = Attachment(sha256=f.sha256, filename=f.filename, mime=f.mime, size=f.size,
                             owner_type=owner_type, owner_id=owner_id)
            session.add(row)
            rows.append(row)
        return rows

    def attach(self, owner_type: str, owner_id: str, source: str | Path,
               caption: str | None = None) -> Outcome[AttachmentDTO]:
        stored = self.store_file(source)
        with self.write() as s:
            (row,) = self.add_rows(s, owner_type, owner_id, [stored])
            row.caption = caption
            s.flush()
            dto = copy_to(AttachmentDTO, row)
        return Outcome(dto, Changes.of_session(s))

    def of(self, owner_type: str, owner_id: str) -> list[AttachmentDTO]:
        with self.read() as s:
            rows = common.all_live(s, Attachment, order_by="created_at", owner_type=owner_type, owner_id=owner_id)
            return [copy_to(AttachmentDTO, r) for r in rows]

    def remove(self, attachment_id: str) -> Outcome[None]:
        with self.write() as s:
            self.soft_delete(self.get_live(s, Attachment, attachment_id, "附件"))
        return Outcome(None, Changes.of_session(s))
