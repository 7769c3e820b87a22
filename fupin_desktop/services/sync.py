"""同步包 (sync packages), the service side: this copy's whole state to pack, merging packages, the conflict list.

The file format (a signed zip) lives in ``exchange/sync_package.py``; this service reads and writes the database
through ``storage.sync_store`` and signs/pins through ``storage.signing``. For a UI:

* :meth:`SyncService.pack_state` → :class:`PackState` (read in one transaction; the exchange layer writes the file);
* :meth:`SyncService.merge` ``(packages, check=False, progress=None, cancel=None)`` → :class:`MergeReport` (frozen):
  one transaction for all packages (all or nothing; a cancel or a kill leaves the database as it was), a backup
  first, per record kind new / updated / unchanged / conflicts; ``check=True`` runs the same merge and rolls it back;
* :meth:`SyncService.conflicts` → :class:`ConflictDTO` list (both values, who and when);
  :meth:`SyncService.resolve` ``(conflict_id, take_other)`` confirms the applied value or writes the other one as a new
  edit (stamped like any edit, so it travels to the other laptops).
``progress(done, total, text)`` and ``cancel()`` (raises to stop) follow DESIGN §5.3.
"""
from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from fupin_desktop import paths
from fupin_desktop.domain.errors import FupinError, NotFoundError
from fupin_desktop.services.base import Changes, Outcome, Service
from fupin_desktop.storage import audit, signing, sync_store, versions
from fupin_desktop.storage.integrity import TABLE_LABELS
from fupin_desktop.storage.models import utcnow

__all__ = ["SyncService", "PackState", "IncomingPackage", "MergeReport", "PackageReport", "KindCounts",
           "ConflictDTO", "SyncError", "CLOCK_AHEAD_LIMIT_DAYS", "FORMAT_VERSION"]

FORMAT_VERSION = 1
CLOCK_AHEAD_LIMIT_DAYS = 1.0
Progress = Callable[[int, int, str], None]


class SyncError(FupinError):
    """A package that cannot be merged (another program version, damaged, not signed right): Chinese message."""


class _CheckOnly(Exception):
    pass


@dataclass(frozen=True)
class PackState:
    """Everything a 同步包 carries, read in one transaction."""

    installation_id: str
    village_id: str | None
    village_name: str
    division_code: str
    schema_version: str
    created: datetime  # UTC
    hlc_high: int
    vector: Mapping[str, int]
    tables: tuple[dict, ...]
    conflicts: tuple[list, ...]
    attachments: tuple[tuple[str, Path], ...]  # (sha256, file) of each attachment stored here, each once
    missing_files: tuple[str, ...]  # attachments whose file is not in this data folder
    signer: signing.Signer = field(repr=False)


@dataclass(frozen=True)
class IncomingPackage:
    """A package read from its file (exchange/sync_package.py): verified by :meth:`SyncService.merge`."""

    source: str  # file name, for the report
    manifest_bytes: bytes  # exactly what was signed
    signature: str
    public_key: str
    manifest: Mapping[str, Any]
    tables: tuple[dict, ...]
    conflicts: tuple[list, ...]
    files: Mapping[str, Callable[[], bytes]]  # sha256 → reader of the attachment's bytes


@dataclass(frozen=True)
class KindCounts:
    table: str
    label: str
    new: int
    updated: int
    same: int
    conflicts: int


@dataclass(frozen=True)
class ConflictDTO:
    id: str
    table: str
    table_label: str
    row_id: str
    record: str  # what people recognise the record by (户编号 户主, a name, a date…)
    field: str
    kind: str  # field / delete
    applied_value: Any
    applied_by: str | None
    applied_at: datetime  # UTC, from the clock of the edit
    other_value: Any
    other_by: str | None
    other_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True)
class PackageReport:
    source: str
    village: str
    installation_id: str
    fingerprint: str
    first_time: bool  # the sender's key was pinned by this merge
    clock_ahead_days: float | None  # the package's clock runs ahead of this computer's by more than a day
    kinds: tuple[KindCounts, ...]
    attachments_added: int


@dataclass(frozen=True)
class MergeReport:
    packages: tuple[PackageReport, ...]
    conflicts: tuple[ConflictDTO, ...]  # found by this merge
    backup: Path | None
    checked_only: bool

    def totals(self) -> tuple[int, int, int, int]:
        """新增, 更新, 相同, 冲突 over every package and record kind."""
        n = [0, 0, 0, 0]
        for p in self.packages:
            for k in p.kinds:
                n[0] += k.new
                n[1] += k.updated
                n[2] += k.same
                n[3] += k.conflicts
        return n[0], n[1], n[2], n[3]


def _hlc_time(hlc: int) -> datetime:
    return datetime.fromtimestamp(versions.physical_ms(hlc) / 1000, tz=timezone.utc).replace(tzinfo=None)


@functools.lru_cache(maxsize=1)
def _schema_version() -> str:
    """The alembic head this program writes (alembic reads the revision files: once per process)."""
    from fupin_desktop.storage.migrate import head_revision

    return head_revision()


class SyncService(Service):
    def _attachment_folder(self) -> Path:
        return (self.ctx.data_dir or paths.data_dir()) / "attachments"

    def attachment_path(self, sha256: str, filename: str = "") -> Path:
        return self._attachment_folder() / sha256[:2] / f"{sha256}{Path(filename).suffix.lower()}"

    # -- packing -------------------------------------------------------------------------------------------------
    def pack_state(self, progress: Progress | None = None, cancel: Callable[[], None] | None = None) -> PackState:
        """This copy's whole state (every synced record, its field versions, the conflicts, the photos).

        Runs in a write transaction only because the installation's id and signing key are made on first use."""
        self.require_write()
        tables = list(versions.synced_tables())
        with self.db.unit_of_work(self.actor) as s:
            conn = s.connection()
            signer = signing.signer(conn)
            info = versions.installation(conn)
            vector = sync_store.vector(conn)
            dumped = []
            for i, name in enumerate(tables):
                if cancel:
                    cancel()
                if progress:
                    progress(i, len(tables) + 1, TABLE_LABELS.get(name, name))
                dumped.append(sync_store.dump_table(conn, name))
            conflicts = sync_store.dump_conflicts(conn)
            village = next((dict(zip(d["columns"], r)) for d in dumped if d["table"] == "village"
                            for r in d["rows"] if r[d["columns"].index("id")] == info.village_id), None)
            hashes = sync_store.attachment_hashes(conn)
        files, missing, seen = [], [], set()
        for sha, filename in hashes:
            if sha in seen:
                continue
            seen.add(sha)
            path = self.attachment_path(sha, filename)
            if path.is_file():
                files.append((sha, path))
            else:
                missing.append(filename)
        high = max(vector.values(), default=0)
        return PackState(info.id, info.village_id, (village or {}).get("name") or "", (village or {}).get(
            "division_code") or "", _schema_version(), utcnow(), high, vector, tuple(dumped), tuple(conflicts),
            tuple(files), tuple(missing), signer)

    # -- merging -------------------------------------------------------------------------------------------------
    def merge(self, packages: Sequence[IncomingPackage], *, check: bool = False, progress: Progress | None = None,
              cancel: Callable[[], None] | None = None, now_ms: int | None = None) -> Outcome[MergeReport]:
        """Merge ``packages`` in one transaction (a backup is taken first unless ``check``).

        Raises SyncError (another program version, a bad signature, a key other than the pinned one),
        PermissionDeniedError for a viewer, and whatever ``cancel`` raises (nothing is then changed)."""
        self.require_write()
        head = _schema_version()
        for p in packages:
            m = p.manifest
            if m.get("format_version") != FORMAT_VERSION or str(m.get("schema_version")) != head:
                raise SyncError(
                    f"“{p.source}”由另一个版本的程序生成（数据结构 {m.get('schema_version')}，本机 {head}），不能合并。"
                    "请把两台电脑的程序升级到同一版本，再重新生成同步包。没有合并任何数据。")
            signing.verify(p.public_key, p.signature, p.manifest_bytes)
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        backup = None
        if not check and self.db.path is not None:
            from fupin_desktop.services.backups import BackupService

            backup = BackupService(self.ctx).backup_now("merge").path
        added_files = [] if check else [self._store_files(p) for p in packages]
        total = sum(len(p.tables) for p in packages) + 1
        done = 0
        reports: list[PackageReport] = []
        found: list[dict] = []
        try:
            with self.db.unit_of_work(self.actor) as s:
                conn = s.connection()
                ids: dict[str, set[str]] = {}
                for index, p in enumerate(packages):
                    m = p.manifest
                    sender, village = str(m["installation_id"]), str(m.get("village") or "")
                    pin = signing.pin_or_check(conn, sender, p.public_key, village)

                    def tick(name: str, _p=p) -> None:
                        nonlocal done
                        if cancel:
                            cancel()
                        done += 1
                        if progress:
                            progress(done, total, f"{_p.source}：{TABLE_LABELS.get(name, name)}")

                    result = sync_store.merge_state(conn, p.tables, p.conflicts,
                                                    {str(k): int(v) for k, v in dict(m["vector"]).items()},
                                                    village, progress=tick, id_cache=ids)
                    sync_store.note_sender(conn, sender, village)
                    ahead = (versions.physical_ms(int(m["hlc_high"])) - now_ms) / 86_400_000
                    kinds = tuple(KindCounts(t, TABLE_LABELS.get(t, t), c.new, c.updated, c.same, c.conflicts)
                                  for t, c in result.tables.items())
                    reports.append(PackageReport(p.source, village, sender, pin.fingerprint, pin.first_time,
                                                 round(ahead, 1) if ahead > CLOCK_AHEAD_LIMIT_DAYS else None, kinds,
                                                 added_files[index] if added_files else 0))
                    found.extend(result.conflicts)
                n = [sum(getattr(k, a) for r in reports for k in r.kinds) for a in ("new", "updated", "same",
                                                                                      "conflicts")]
                audit.record(s, "merge", "sync", None, None,
                             f"合并同步包 {'、'.join(r.source for r in reports)}：新增{n[0]}，更新{n[1]}，"
                             f"相同{n[2]}，冲突{n[3]}")
                conflicts = tuple(self._dtos(conn, found))
                if check:
                    raise _CheckOnly
        except _CheckOnly:
            pass
        if progress:
            progress(total, total, "完成")
        changes = Changes() if check else Changes(updated=frozenset({("sync", "merge")}))
        return Outcome(MergeReport(tuple(reports), conflicts, backup, check), changes)

    def _store_files(self, p: IncomingPackage) -> int:
        """Copy the package's photos into this data folder under their SHA-256 (before the transaction: an unused
        copy is harmless). Each is checked against its name."""
        from fupin_desktop.fileio import atomic_path

        names: dict[str, set[str]] = {}  # sha256 → the file names its records give it (the suffix is kept)
        for t in p.tables:
            if t["table"] == "attachment":
                i, j = t["columns"].index("sha256"), t["columns"].index("filename")
                for r in t["rows"]:
                    names.setdefault(str(r[i]), set()).add(str(r[j] or ""))
        added = 0
        for sha, read in p.files.items():
            targets = [self.attachment_path(sha, n) for n in sorted(names.get(sha, {""}))]
            targets = [t for t in dict.fromkeys(targets) if not t.exists()]
            if not targets:
                continue
            data = read()
            if hashlib.sha256(data).hexdigest() != sha:
                raise SyncError(f"“{p.source}”里的附件 {sha[:12]}… 已损坏。没有合并任何数据。")
            for target in targets:
                with atomic_path(target) as tmp:
                    Path(tmp).write_bytes(data)
            added += 1
        return added

    # -- conflicts -------------------------------------------------------------------------------------------------
    def conflicts(self, open_only: bool = True) -> list[ConflictDTO]:
        with self.read() as s:
            return self._dtos(s.connection(), sync_store.conflict_rows(s.connection(), open_only))

    def _dtos(self, conn, rows: Sequence[Mapping[str, Any]]) -> list[ConflictDTO]:
        names = sync_store.record_names(conn, [(r["tbl"], r["row_id"]) for r in rows])
        out = []
        for r in rows:
            out.append(ConflictDTO(
                r["id"], r["tbl"], TABLE_LABELS.get(r["tbl"], r["tbl"]), r["row_id"],
                names.get((r["tbl"], r["row_id"]), r["row_id"][:8]), r["field"], r["kind"],
                json.loads(r["winner_value"]) if r["winner_value"] is not None else None, r["winner_author"],
                _hlc_time(r["winner_hlc"]),
                json.loads(r["loser_value"]) if r["loser_value"] is not None else None, r["loser_author"],
                _hlc_time(r["loser_hlc"]), r["resolved_at"]))
        return out

    def resolve(self, conflict_id: str, take_other: bool) -> Outcome[None]:
        """Confirm the applied value, or write the other one (for an edit against a deletion: restore the record)
        as a new edit of this user — it then travels to the other copies like any edit. Raises NotFoundError."""
        with self.write() as s:
            row = sync_store.conflict_row(s.connection(), conflict_id)
            if row is None:
                raise NotFoundError("冲突", conflict_id)
            if take_other:
                record = s.get(sync_store.model_for(row["tbl"]), row["row_id"])
                if record is None:
                    raise NotFoundError(TABLE_LABELS.get(row["tbl"], row["tbl"]), row["row_id"])
                if row["kind"] == "delete" or row["field"] == "*":  # keep the record deleted (or added) elsewhere
                    record.deleted_at = None
                else:
                    setattr(record, row["field"], sync_store.value_for(row["tbl"], row["field"],
                                                                       json.loads(row["loser_value"])))
            sync_store.mark_resolved(s, conflict_id, self.actor.name)
        return Outcome(None, Changes.of_session(s))
