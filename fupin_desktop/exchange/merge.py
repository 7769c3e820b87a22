"""Merge upward packages into this database by record UUID (team laptops, or every village of a township).

Rules, per record:
* unknown here → inserted (tombstones too, so a deletion is remembered);
* same content → nothing (merging the same package twice changes nothing);
* different content → the newer ``updated_at`` wins — unless the record changed on BOTH sides since the last merge
  from that source (``SyncState``): then it is a :class:`Conflict` listed with both versions, and the user chooses;
* a masked package never overwrites a real 身份证号/电话/银行账号: masked cells keep the value held here;
* a reference to a record neither here nor in the package (e.g. a problem whose visit is outside the package's
  period) is cleared when optional, and the record is skipped when the reference is required — both reported.

Planning reads only; :func:`apply_merge` writes everything in one transaction (cancel = nothing changed).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from fupin_desktop.exchange.ledgers import MASK_CHAR, MASKED_FIELDS, SHEETS
from fupin_desktop.exchange.package import Package, read_package
from fupin_desktop.memory import paused_gc

__all__ = ["Conflict", "MergePlan", "plan_merge", "apply_merge", "merge_files", "LOCAL", "INCOMING"]

LOCAL = "local"
INCOMING = "incoming"
_TIMESTAMPS = ("created_at", "updated_at")
_TITLE_OF = {s.table: s.title for s in SHEETS}


@dataclass(frozen=True)
class Conflict:
    table: str
    record_id: str
    source: str  # the package's village / file name
    local: dict[str, Any]
    incoming: dict[str, Any]
    fields: tuple[str, ...]  # the differing columns

    @property
    def sheet_title(self) -> str:
        return _TITLE_OF.get(self.table, self.table)

    @property
    def key(self) -> tuple[str, str]:
        return (self.table, self.record_id)


@dataclass
class MergePlan:
    packages: list[Package]
    inserts: dict[str, list[dict]] = field(default_factory=dict)
    updates: dict[str, list[dict]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    unchanged: int = 0
    kept_local: int = 0
    warnings: list[str] = field(default_factory=list)
    sync: list[tuple[str, datetime, str | None]] = field(default_factory=list)

    @property
    def insert_count(self) -> int:
        return sum(len(v) for v in self.inserts.values())

    @property
    def update_count(self) -> int:
        return sum(len(v) for v in self.updates.values())

    @property
    def is_empty(self) -> bool:
        return not (self.insert_count or self.update_count or self.conflicts)

    def summary(self) -> str:
        parts = [f"新增 {self.insert_count} 条", f"更新 {self.update_count} 条", f"相同 {self.unchanged} 条"]
        if self.kept_local:
            parts.append(f"本机较新 {self.kept_local} 条")
        if self.conflicts:
            parts.append(f"冲突 {len(self.conflicts)} 条（需选择）")
        if self.warnings:
            parts.append(f"提示 {len(self.warnings)} 条")
        return "，".join(parts)


def _norm(value: Any) -> Any:
    return None if value == "" else value


def _is_masked(value: Any) -> bool:
    return isinstance(value, str) and MASK_CHAR in value


def _differing(local: Mapping[str, Any], incoming: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(k for k, v in incoming.items()
                 if k not in _TIMESTAMPS and _norm(v) != _norm(local.get(k)))


def _sync_base(services, source_id: str) -> tuple[datetime | None, datetime | None, str | None]:
    """(local time of the last merge from ``source_id``, that package's export time, the stored note)."""
    info = services.exchange.sync_info(source_id) if source_id else None
    if info is None:
        return None, None, None
    exported = None
    try:
        exported = datetime.fromisoformat(json.loads(info.note or "{}").get("exported_at", ""))
    except (ValueError, TypeError, AttributeError):
        exported = None
    return info.last_merged_at, exported, info.note


@paused_gc()
def plan_merge(services, packages: Iterable[Package | str | Path], *,
               progress: Callable[[int, int, str], None] | None = None,
               cancel: Callable[[], None] | None = None) -> MergePlan:
    """Compare packages with this database (nothing is written). Paths are read and their checksums verified."""
    pkgs = [p if isinstance(p, Package) else read_package(p, cancel=cancel) for p in packages]
    plan = MergePlan(pkgs)
    pending: dict[str, dict[str, dict]] = {}  # table → id → row as it will be after the plan
    where: dict[tuple[str, str], str] = {}  # (table, id) → "insert" / "update"
    own_source = services.exchange.instance_id()
    order = services.exchange.table_order()
    for n_pkg, pkg in enumerate(pkgs):
        source = pkg.source_id
        label = pkg.village or pkg.path.name
        if source and source == own_source:
            plan.warnings.append(f"“{pkg.path.name}”是本机导出的数据包，已跳过。")
            continue
        last_merged, last_exported, _ = _sync_base(services, source)
        for table in order:
            data = pkg.sheets.get(table)
            if data is None or not data.rows:
                continue
            if cancel:
                cancel()
            ids = [r["id"] for r in data.rows if r.get("id")]
            local_rows = services.exchange.existing(table, [i for i in ids if i not in pending.get(table, {})])
            local_rows.update({i: r for i, r in pending.get(table, {}).items()})
            for row in data.rows:
                rid = row.get("id")
                if not rid:
                    continue
                row = dict(row)
                local = local_rows.get(rid)
                if pkg.masked:
                    for f in MASKED_FIELDS:
                        if f in row and _is_masked(row[f]):
                            row[f] = local.get(f) if local else None
                if local is None:
                    _stage(plan, pending, where, table, row, "insert")
                    continue
                diff = _differing(local, row)
                if not diff:
                    plan.unchanged += 1
                    continue
                incoming_at, local_at = row.get("updated_at"), local.get("updated_at")
                if last_merged is not None and where.get((table, rid)) is None:
                    local_changed = local_at is not None and local_at > last_merged
                    remote_changed = last_exported is None or (incoming_at is not None and incoming_at > last_exported)
                    if local_changed and remote_changed:
                        plan.conflicts.append(Conflict(table, rid, label, dict(local), row, diff))
                        continue
                if incoming_at is not None and (local_at is None or incoming_at > local_at):
                    _stage(plan, pending, where, table, row, where.get((table, rid), "update"))
                else:
                    plan.kept_local += 1
        exported = pkg.exported_at
        if source and exported is not None and (last_exported is None or exported > last_exported):
            note = json.dumps({"exported_at": exported.isoformat(), "village": pkg.village,
                               "file": pkg.path.name}, ensure_ascii=False)
            plan.sync.append((source, exported, note))
        if progress:
            progress(n_pkg + 1, len(pkgs), label)
    _check_references(services, plan, order)
    return plan


def _stage(plan: MergePlan, pending, where, table: str, row: dict, how: str) -> None:
    rid = row["id"]
    pending.setdefault(table, {})[rid] = row
    target = plan.inserts if how == "insert" else plan.updates
    rows = target.setdefault(table, [])
    if (table, rid) in where:  # a later package supersedes an earlier one's row
        for i, r in enumerate(rows):
            if r["id"] == rid:
                rows[i] = row
                break
        return
    where[(table, rid)] = how
    rows.append(row)


def _check_references(services, plan: MergePlan, order: list[str]) -> None:
    """Clear optional references to records that exist nowhere; skip rows whose required parent is missing."""
    planned: dict[str, set[str]] = {t: {r["id"] for r in plan.inserts.get(t, [])} for t in order}
    for table in order:
        rows = plan.inserts.get(table, []) + plan.updates.get(table, [])
        if not rows:
            continue
        fks = services.exchange.foreign_keys(table)
        nullable = {c: n for c, _, n in services.exchange.columns(table)}
        dropped: set[str] = set()
        for column, target in fks.items():
            wanted = {r[column] for r in rows if r.get(column)} - planned.get(target, set())
            if not wanted:
                continue
            missing = wanted - services.exchange.existing_ids(target, list(wanted))
            if not missing:
                continue
            for r in rows:
                if r.get(column) in missing:
                    if nullable.get(column, True):
                        r[column] = None
                    else:
                        dropped.add(r["id"])
            title = _TITLE_OF.get(table, table)
            what = "已跳过这些记录" if not nullable.get(column, True) else "已清空该关联"
            plan.warnings.append(f"“{title}”有 {len(missing)} 条记录引用的{_TITLE_OF.get(target, target)}"
                                 f"不在本机也不在数据包中，{what}。")
        if dropped:
            for target in (plan.inserts, plan.updates):
                if table in target:
                    target[table] = [r for r in target[table] if r["id"] not in dropped]
            planned[table] -= dropped


def apply_merge(services, plan: MergePlan, choices: Mapping[tuple[str, str], str] | None = None, *,
                progress=None, cancel=None):
    """Write the plan in one transaction. ``choices`` maps a conflict's key to LOCAL or INCOMING (unchosen
    conflicts keep the local version). Choosing LOCAL stamps the local record as newest, so it wins next time."""
    choices = choices or {}
    inserts = {t: list(r) for t, r in plan.inserts.items()}
    updates = {t: list(r) for t, r in plan.updates.items()}
    now = services.exchange.now()
    for c in plan.conflicts:
        choice = choices.get(c.key)
        if choice == INCOMING:
            updates.setdefault(c.table, []).append(c.incoming)
        elif choice == LOCAL:
            updates.setdefault(c.table, []).append({"id": c.record_id, "updated_at": now})
    if not any(inserts.values()) and not any(updates.values()) and not plan.sync:
        from fupin_desktop.services.base import Outcome

        return Outcome({})
    tables = set(inserts) | set(updates)
    rows_plan = {t: (inserts.get(t, []), updates.get(t, [])) for t in tables}
    sync = [(source, now, note) for source, _exported, note in plan.sync]
    names = "、".join(p.village or p.path.name for p in plan.packages)
    detail = f"合并数据包（{names}）：{plan.summary()}"
    return services.exchange.apply_rows(rows_plan, action="merge", detail=detail, sync=sync, cancel=cancel,
                                        progress=progress)


def merge_files(services, paths: Iterable[str | Path], *, prefer: str | None = None, progress=None, cancel=None):
    """Plan and apply in one go (CLI): conflicts keep the local version unless ``prefer`` is INCOMING."""
    plan = plan_merge(services, paths, cancel=cancel)
    choices = {c.key: prefer for c in plan.conflicts} if prefer else {}
    outcome = apply_merge(services, plan, choices, progress=progress, cancel=cancel)
    return plan, outcome
