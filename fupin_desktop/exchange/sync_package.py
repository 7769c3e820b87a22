"""The 同步包 file (``.fupin``): a zip that machines read, signed by the installation that wrote it.

Contents:
* ``manifest.json`` — format and schema version, sender installation and village, created (UTC), the clock's
  high-water mark, what the sender had seen of every installation (version vector), counts, and the SHA-256 and
  size of every other member;
* ``records/<table>.json`` — every synced record (tombstones included) with its per-field versions;
* ``conflicts.json`` — the conflicts found on the sender's copy (they travel, so every copy lists them);
* ``files/<sha256>`` — each attachment's bytes, once per content;
* ``signature.json`` — the sender's Ed25519 public key and its signature of ``manifest.json``'s exact bytes.
The signature covers the manifest, the manifest covers every member by hash: the whole content is signed.

Reading is bounded (member count, sizes declared and actual, compression ratio) and every failure is a Chinese
:class:`~fupin_desktop.services.sync.SyncError`; nothing is merged from a package that does not check out.
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from fupin_desktop.exchange.bounded import BoundedZip, DamagedFileError, InputFileError
from fupin_desktop.exchange.bounded import Limits as BoundedLimits
from fupin_desktop.exchange.ledgers import COMMON_TITLES, TITLES, build_columns
from fupin_desktop.fileio import atomic_path
from fupin_desktop.services.sync import FORMAT_VERSION, IncomingPackage, MergeReport, PackState, SyncError

__all__ = ["SUFFIX", "write_sync_package", "read_sync_package", "PackResult", "report_lines", "summary_line",
           "field_label", "value_text", "Limits"]

SUFFIX = ".fupin"
FORMAT = "fupin-sync"
MANIFEST, SIGNATURE, CONFLICTS = "manifest.json", "signature.json", "conflicts.json"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Limits:
    """Bounds for reading a package (a hostile file ends with a message, not an exhausted machine)."""

    package_bytes: int = 4 * 1024 ** 3
    members: int = 200_000
    manifest_bytes: int = 64 * 1024 ** 2
    member_bytes: int = 1024 ** 3  # one table's JSON, or one attachment
    total_bytes: int = 8 * 1024 ** 3
    ratio: int = 200  # uncompressed / compressed for one member (JSON compresses ~10×)


@dataclass(frozen=True)
class PackResult:
    path: Path
    records: int
    attachments: int
    missing_files: tuple[str, ...]
    fingerprint: str


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_sync_package(state: PackState, out: str | Path) -> PackResult:
    """Write ``state`` as a signed 同步包 at ``out`` (atomically: a half-written file never has the final name)."""
    out = Path(out)
    if out.suffix.lower() != SUFFIX:
        out = out.with_name(out.name + SUFFIX)
    members: list[dict] = []
    with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        def add(name: str, data: bytes, compress: bool = True) -> None:
            zf.writestr(name, data, zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED)
            members.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})

        counts = {}
        for table in state.tables:
            add(f"records/{table['table']}.json", _dumps(table))
            counts[table["table"]] = len(table["rows"])
        add(CONFLICTS, _dumps(list(state.conflicts)))
        for sha, path in state.attachments:
            add(f"files/{sha}", Path(path).read_bytes(), compress=False)
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": state.schema_version,
            "installation_id": state.installation_id, "village_id": state.village_id, "village": state.village_name,
            "division_code": state.division_code, "created": state.created.isoformat(timespec="seconds") + "Z",
            "hlc_high": state.hlc_high, "vector": dict(state.vector), "counts": counts, "members": members,
        }
        manifest_bytes = _dumps(manifest)
        zf.writestr(MANIFEST, manifest_bytes)
        zf.writestr(SIGNATURE, _dumps({"public_key": state.signer.public_key,
                                       "signature": state.signer.sign(manifest_bytes)}))
    return PackResult(out, sum(counts.values()), len(state.attachments), state.missing_files,
                      state.signer.fingerprint)


class _BoundedZip:
    """A package opened for reading within :class:`Limits`, through exchange.bounded (file size, entry count and
    directory size checked before the zip is loaded; every member's bytes counted while inflating); what this
    format adds: no duplicate names, a declared total, a compression ratio per member. Errors are SyncError."""

    def __init__(self, path: Path, limits: Limits):
        self.name = path.name
        self.limits = limits
        bounds = BoundedLimits(max_file_bytes=limits.package_bytes, max_entries=limits.members,
                               max_directory_bytes=max(4 * 1024 ** 2, 128 * limits.members),
                               max_part_bytes=limits.member_bytes, max_total_bytes=limits.total_bytes)
        try:
            self.z = BoundedZip(path, bounds)
        except DamagedFileError:
            raise SyncError(f"“{self.name}”不是同步包，或文件已损坏（无法作为压缩包打开）。") from None
        except InputFileError as e:
            raise SyncError(str(e)) from None
        infos = self.z.zip.infolist()
        self.infos = {i.filename: i for i in infos}
        if len(self.infos) != len(infos):
            self.close()
            raise SyncError(f"“{self.name}”里有重名的文件，不是本程序生成的同步包。")
        if sum(i.file_size for i in infos) > limits.total_bytes:
            self.close()
            raise SyncError(f"“{self.name}”解压后太大，不是本程序生成的同步包。")

    def names(self) -> set[str]:
        return set(self.infos)

    def read(self, name: str, limit: int | None = None) -> bytes:
        info = self.infos.get(name)
        if info is None:
            raise SyncError(f"“{self.name}”缺少 {name}，文件不完整或已损坏。")
        limit = min(limit or self.limits.member_bytes, self.limits.member_bytes)
        if info.file_size > limit or (info.compress_size and info.file_size > self.limits.ratio * max(
                info.compress_size, 1024)):
            raise SyncError(f"“{self.name}”中的 {name} 太大或压缩比异常，不是本程序生成的同步包。")
        try:
            data = self.z.read(name, limit, xml=False)
        except DamagedFileError:
            raise SyncError(f"“{self.name}”中的 {name} 已损坏，无法读取。") from None
        except InputFileError as e:
            raise SyncError(str(e)) from None
        if len(data) != info.file_size:
            raise SyncError(f"“{self.name}”中的 {name} 大小与记录不符，文件已损坏。")
        return data

    def close(self) -> None:
        self.z.close()


def _loads(data: bytes, what: str, source: str):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SyncError(f"“{source}”中的 {what} 不是有效的数据，文件已损坏。") from None


def read_sync_package(path: str | Path, limits: Limits = Limits()) -> IncomingPackage:
    """Read and check a package's structure and hashes (the signature is checked by the merge, which also knows
    the pinned key). Raises SyncError with a Chinese message."""
    path = Path(path)
    z = _BoundedZip(path, limits)
    source = path.name
    try:
        manifest_bytes = z.read(MANIFEST, limits.manifest_bytes)
        manifest = _loads(manifest_bytes, MANIFEST, source)
        sig = _loads(z.read(SIGNATURE, 4096), SIGNATURE, source)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise SyncError(f"“{source}”不是同步包（可能是上报表或其他文件）。")
        if not isinstance(sig, dict) or not isinstance(sig.get("public_key"), str) or not isinstance(
                sig.get("signature"), str):
            raise SyncError(f"“{source}”没有有效的签名，不能合并。")
        try:
            members = {m["name"]: (str(m["sha256"]), int(m["size"])) for m in manifest["members"]}
            for key in ("installation_id", "vector", "hlc_high", "schema_version"):
                manifest[key]  # noqa: B018 — present?
        except (KeyError, TypeError, ValueError):
            raise SyncError(f"“{source}”的清单不完整，文件已损坏。") from None
        extra = z.names() - set(members) - {MANIFEST, SIGNATURE}
        if extra or set(members) - z.names():
            raise SyncError(f"“{source}”的内容与清单不符（多出或缺少文件），可能被改动过，不能合并。")

        def checked(name: str) -> bytes:
            data = z.read(name)
            if hashlib.sha256(data).hexdigest() != members[name][0]:
                raise SyncError(f"“{source}”中的 {name} 与清单不符，文件被改动过或已损坏，不能合并。")
            return data

        tables = []
        for name in sorted(members):
            if name.startswith("records/"):
                table = _loads(checked(name), name, source)
                if not isinstance(table, dict) or not {"table", "columns", "rows", "versions"} <= set(table):
                    raise SyncError(f"“{source}”中的 {name} 格式不对，文件已损坏。")
                tables.append(table)
        conflicts = _loads(checked(CONFLICTS), CONFLICTS, source) if CONFLICTS in members else []
        files = {}
        for name in members:
            if name.startswith("files/"):
                sha = name[len("files/"):]
                if not _SHA256.fullmatch(sha) or members[name][0] != sha:
                    raise SyncError(f"“{source}”中的附件名 {name[:80]} 不对，不是本程序生成的同步包。")
                files[sha] = _file_reader(path, limits, name, sha)
    finally:
        z.close()
    return IncomingPackage(source, manifest_bytes, sig["signature"], sig["public_key"], manifest, tuple(tables),
                           tuple(conflicts), files)


def _file_reader(path: Path, limits: Limits, name: str, sha256: str) -> Callable[[], bytes]:
    """Reads one attachment when the merge needs it (the archive is opened again, within the same bounds)."""
    def read() -> bytes:
        z = _BoundedZip(path, limits)
        try:
            data = z.read(name)
        finally:
            z.close()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise SyncError(f"“{path.name}”中的 {name} 与清单不符，文件被改动过或已损坏，不能合并。")
        return data
    return read


# --- what people read ---------------------------------------------------------------------------------------------


def field_label(table: str, field: str) -> str:
    return {**COMMON_TITLES, **TITLES.get(table, {})}.get(field, field)


def value_text(table: str, field: str, value) -> str:
    """A value as people read it (code labels, 是/否, dates), for conflict lists."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, dict):  # an edit against a deletion: the edited field and its value
        return "；".join(f"{field_label(table, f)}：{value_text(table, f, v)}" for f, v in value.items())
    if field == "deleted_at":
        return f"已删除（{str(value)[:16].replace('T', ' ')}）"
    cols = [c for c in build_columns(table, [(field, _kind(value), True)]) if c.field == field]
    try:
        return str(cols[0].to_cell(value)) if cols else str(value)
    except (KeyError, ValueError, TypeError):
        return str(value)


def _kind(value) -> str:
    return "bool" if isinstance(value, bool) else "text"


def summary_line(report: MergeReport) -> str:
    new, updated, same, conflicts = report.totals()
    return f"新增 {new} 条，更新 {updated} 条，相同 {same} 条，冲突 {conflicts} 条"


def report_lines(report: MergeReport) -> list[str]:
    """The merge report as the CLI prints it (and a dialog can show): per package and record kind, conflicts
    side by side, the clock warning, the pinned fingerprint; the last line is :func:`summary_line`."""
    lines: list[str] = []
    for p in report.packages:
        lines.append(f"同步包：{p.source}（{p.village or '未知村'}，发送方指纹 {p.fingerprint}"
                     f"{'，首次合并：已记下这个指纹，请与对方电脑上显示的核对' if p.first_time else ''}）")
        if p.clock_ahead_days is not None:
            lines.append(f"  注意：这个同步包的时钟比本机快 {p.clock_ahead_days} 天（对方电脑日期可能不对）。"
                         "本机之后的修改仍以本机为准，不会被它覆盖。")
        for k in p.kinds:
            if k.new or k.updated or k.conflicts:
                lines.append(f"  {k.label:<12} 新增 {k.new}，更新 {k.updated}，相同 {k.same}，冲突 {k.conflicts}")
        if p.attachments_added:
            lines.append(f"  附件 新增 {p.attachments_added} 个")
    for c in report.conflicts:
        lines.extend(conflict_lines(c))
    if report.backup:
        lines.append(f"合并前已备份：{report.backup}")
    if report.checked_only:
        lines.append("只检查，没有写入。")
    lines.append(summary_line(report))
    return lines


def conflict_lines(c) -> list[str]:
    what = "删除与修改冲突" if c.kind == "delete" else field_label(c.table, c.field)
    applied = "采用"
    applied_text = value_text(c.table, c.field, c.applied_value)
    if c.kind == "closed" and c.field == "*":  # sync_closed: a record added elsewhere inside a closed period
        what, applied, applied_text = "已结账期间内新增的记录（须先反结账才能保留）", "采用结账时的状态", "结账时没有，未列入"
    elif c.kind == "closed":  # sync_closed: an edit of a closed period made elsewhere, held back
        what = f"已结账期间内的{'删除' if c.field == 'deleted_at' else '修改'}：{what}（须先反结账才能采用另一方）"
        applied = "采用结账时的值"
    return [
        f"  冲突：{c.table_label}“{c.record}” {what}",
        f"    {applied}：{applied_text}（{c.applied_by or '未知'}，"
        f"{c.applied_at:%Y-%m-%d %H:%M}）",
        f"    另一方：{value_text(c.table, c.field, c.other_value)}（{c.other_by or '未知'}，"
        f"{c.other_at:%Y-%m-%d %H:%M}）",
    ]


def pack_name(village: str, when) -> str:
    return f"{village or '同步包'}-{when:%Y%m%d-%H%M}{SUFFIX}"


def read_many(paths: Iterable[str | Path], limits: Limits = Limits()) -> list[IncomingPackage]:
    return [read_sync_package(p, limits) for p in paths]
