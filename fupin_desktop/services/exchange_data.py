"""Data side of the Excel exchange (packages, roster imports, merges): reading whole ledgers, writing in bulk.

The exchange layer (``fupin_desktop/exchange``) turns rows into workbooks and back; it reaches the database only
through this service. Reads stream plain tuples (no ORM objects); writes are Core bulk upserts inside ONE
transaction with one summary audit entry (bulk writes bypass the per-row audit hook), so a cancelled or failed
merge/import leaves the database exactly as it was.
"""
from __future__ import annotations

import functools
import itertools
import operator
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fupin_desktop import paths
from fupin_desktop.fileio import write_text_atomic
from fupin_desktop.memory import paused_gc
from fupin_desktop.services.base import Changes, Outcome, Service
from fupin_desktop.storage import audit, versions
from fupin_desktop.storage.models import utcnow
from fupin_desktop.storage.queries import exchange as qx

__all__ = ["ExchangeDataService", "PackageContext"]

INSTANCE_FILE = "exchange_instance.txt"


@dataclass(frozen=True)
class PackageContext:
    village_id: str | None
    village_name: str
    division_code: str
    township: str
    instance_id: str  # this data folder: the source id receivers keep their merge bookkeeping under
    exporter: str
    schema_version: str


@functools.lru_cache(maxsize=1)
def _schema_version() -> str:
    """The alembic head this program writes (alembic reads the revision files: once per process is enough)."""
    from fupin_desktop.storage.migrate import head_revision

    return head_revision()


class ExchangeDataService(Service):
    # -- schema --------------------------------------------------------------------------------------------------
    @staticmethod
    def columns(table: str) -> list[tuple[str, str, bool]]:
        """(column, kind, nullable) of the columns that travel in packages."""
        return qx.column_kinds(table)

    @staticmethod
    def foreign_keys(table: str) -> dict[str, str]:
        return qx.foreign_keys(table)

    def table_order(self) -> list[str]:
        return qx.sorted_table_names()

    # -- reading -------------------------------------------------------------------------------------------------
    def instance_id(self) -> str:
        """A random id of this data folder (written once), naming it as a source in other databases."""
        folder = Path(self.ctx.data_dir) if self.ctx.data_dir else paths.data_dir()
        path = folder / INSTANCE_FILE
        try:
            text = path.read_text(encoding="utf-8").strip()
            if text:
                return text
        except OSError:
            pass
        text = str(uuid.uuid4())
        write_text_atomic(path, text + "\n")
        return text

    def context(self) -> PackageContext:
        with self.read() as s:
            v = qx.first_village(s)
            return PackageContext(
                village_id=v.id if v else None, village_name=v.name if v else "", township=(v.township or "") if v else "",
                division_code=v.division_code if v else "", instance_id=self.instance_id(),
                exporter=self.actor.name, schema_version=_schema_version(),
            )

    def count_rows(self, table: str, *, date_column: str | None = None, parent: tuple[str, str, str] | None = None,
                   start: date | None = None, end: date | None = None, open_items: bool = False) -> int:
        stmt = qx.ledger_select(table, date_column=date_column, parent=parent, start=start, end=end,
                                extra_open_clause=open_items)
        with self.read() as s:
            return qx.count(s, stmt)

    def iter_rows(self, table: str, *, date_column: str | None = None, parent: tuple[str, str, str] | None = None,
                  start: date | None = None, end: date | None = None, with_household_number: bool = False,
                  open_items: bool = False, chunk: int = 5000, raw_values: bool = False) -> Iterator[Sequence[Any]]:
        """Every row (tombstones included) of ``table`` in the period, as tuples in :meth:`columns` order, plus
        the household's 户编号 as a last element when ``with_household_number``. With ``raw_values`` dates and
        timestamps may come as ISO text and amounts as float (SQLite, for speed)."""
        stmt = qx.ledger_select(table, date_column=date_column, parent=parent, start=start, end=end,
                                with_household_number=with_household_number, extra_open_clause=open_items,
                                raw_values=raw_values and self.db.is_sqlite)
        with self.read() as s:
            yield from qx.iter_rows(s, stmt, chunk)

    def existing(self, table: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        with self.read() as s:
            return qx.rows_by_id(s, table, ids)

    def existing_ids(self, table: str, ids: Sequence[str]) -> set[str]:
        with self.read() as s:
            return qx.existing_ids(s, table, ids)

    def roster_lookup(self):
        """(户编号 → household id, 身份证号 → (member id, household id), (household id, 姓名) → member id of
        members without an ID number, village id, village division code)."""
        with self.read() as s:
            v = qx.first_village(s)
            return (qx.household_numbers(s), qx.member_id_numbers(s), qx.member_names_without_id(s),
                    (v.id if v else None), (v.division_code if v else ""))

    # -- writing -------------------------------------------------------------------------------------------------
    def record_export(self, path: str, full: bool, detail: str) -> None:
        """One audit entry for an export; a full (unmasked) export is marked as such."""
        if full:
            self.require_write()
        with self.db.unit_of_work(self.actor) as s:  # a viewer may export masked data; it is logged all the same
            audit.record(s, "export", "package", None, {"path": [None, str(path)], "full": [None, full]},
                         ("完整导出（含未遮盖的身份证号和电话）：" if full else "遮盖导出：") + detail)

    @paused_gc()
    def apply_rows(self, plan: Mapping[str, tuple[Sequence[dict], Sequence[dict]]], *, action: str, detail: str,
                   cancel: Callable[[], None] | None = None,
                   progress: Callable[[int, int, str], None] | None = None,
                   recount_members: Sequence[str] = ()) -> Outcome[dict[str, int]]:
        """Write ``plan`` (table → (rows to insert, rows to overwrite by id)) in ONE transaction, parents first.

        Rows are written as given (timestamps included) and their fields stamped with a version, as the write hook
        does for single edits (so they travel in 同步包). ``cancel`` is called between tables and may raise: the
        transaction then rolls back and nothing is changed.
        """
        self.require_write()
        order = [t for t in qx.sorted_table_names() if t in plan]
        unknown = set(plan) - set(order)
        if unknown:
            raise KeyError(f"unknown tables {sorted(unknown)}")
        total = sum(len(a) + len(b) for a, b in plan.values()) or 1
        with self.sole_writer():  # one writer across processes (issue 14 item 10)
            self._backup_before_import()
            with self.write() as s:
                return self._write_plan(s, plan, order, total, action, detail, cancel, progress, recount_members)

    def _backup_before_import(self) -> None:
        """An import can overwrite many records at once: keep the database as it was (a PostgreSQL server is
        backed up by its own administrator)."""
        if self.db.path is not None:
            from fupin_desktop.services.backups import BackupService

            BackupService(self.ctx).backup_now("import")

    def _write_plan(self, s, plan, order, total, action, detail, cancel, progress,
                    recount_members) -> Outcome[dict[str, int]]:
        counts: dict[str, int] = {}
        inserted: set[tuple[str, str]] = set()
        updated: set[tuple[str, str]] = set()
        done = 0
        conn = s.connection()
        with qx.roomy_cache(conn, total):
            for name in order:
                if cancel:
                    cancel()
                ins, upd = plan[name]
                qx.upsert(conn, name, ins, upd)
                versions.stamp_rows(conn, name, ins, upd, self.actor.name)
                counts[name] = len(ins) + len(upd)
                inserted.update(zip(itertools.repeat(name), map(operator.itemgetter("id"), ins)))
                updated.update(zip(itertools.repeat(name), map(operator.itemgetter("id"), upd)))
                done += len(ins) + len(upd)
                if progress:
                    progress(done, total, name)
        if recount_members:
            qx.recount_members(conn, recount_members)
        if cancel:
            cancel()
        audit.record(s, action, None, None, None, detail)
        return Outcome(counts, Changes(frozenset(inserted), frozenset(updated), frozenset()))

    def now(self) -> datetime:
        return utcnow()
