"""The successor's package of a 交接 (``.fupin-handover``): a 同步包 of everything plus what the 同步包 leaves on its
laptop by design (the old team's user accounts, without passwords or keys; the pairings to reassign; the end of the
old audit chain), sealed with the one-time 交接码 (``storage.sealed``: scrypt → AES-256-GCM).

Inside the seal: a zip of ``handover.json`` and ``sync.fupin`` (written and read by ``exchange/sync_package`` —
the one implementation of the 同步包). A wrong code and a damaged file both end in one Chinese message.
"""
from __future__ import annotations

import contextlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fupin_desktop import paths
from fupin_desktop.exchange.sync_package import read_sync_package, write_sync_package
from fupin_desktop.fileio import atomic_path
from fupin_desktop.services.sync import IncomingPackage, PackState, SyncError
from fupin_desktop.storage.encryption import shred
from fupin_desktop.storage.sealed import SealError, new_code, seal, unseal

__all__ = ["SUFFIX", "write_handover_package", "open_handover_package", "HandoverInfo", "package_name",
           "new_code"]

SUFFIX = ".fupin-handover"
FORMAT = "fupin-handover"
_INFO, _SYNC = "handover.json", "sync.fupin"
MAX_BYTES = 4 * 1024 ** 3


@dataclass(frozen=True)
class HandoverInfo:
    village: str
    created: str
    handed_by: str
    users: tuple[dict, ...]
    pairings: tuple[str, ...]
    records: int


def package_name(village: str, when: datetime) -> str:
    return f"{village or '村'}-交接包-{when:%Y%m%d-%H%M}{SUFFIX}"


def write_handover_package(state: PackState, out: str | Path, code: str, *, users: list[dict],
                           pairings: list[str], handed_by: str) -> tuple[Path, int]:
    """Write the sealed package at ``out`` (a folder gets the default name). Returns (path, records)."""
    out = Path(out)
    if out.is_dir():
        out = out / package_name(state.village_name, datetime.now())
    tmp_dir = paths.private_temp_dir("handover")
    inner = tmp_dir / "inner.fupin"
    try:
        result = write_sync_package(state, inner)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:  # the 同步包 is compressed already
            info = {"format": FORMAT, "version": 1, "village": state.village_name,
                    "created": datetime.now().isoformat(timespec="seconds"), "handed_by": handed_by,
                    "users": users, "pairings": pairings, "records": result.records}
            zf.writestr(_INFO, json.dumps(info, ensure_ascii=False))
            zf.write(result.path, _SYNC)
        with atomic_path(out) as tmp:
            Path(tmp).write_bytes(seal(buf.getvalue(), code))
        return out, result.records
    finally:
        for f in tmp_dir.glob("*"):
            shred(f)
        tmp_dir.rmdir()


@contextlib.contextmanager
def open_handover_package(path: str | Path, code: str) -> Iterator[tuple[IncomingPackage, HandoverInfo]]:
    """Unseal and read the package; the 同步包 inside is kept in the private temp folder while the caller merges
    it, then overwritten and removed. SyncError (Chinese) for a wrong code, a damaged or a foreign file."""
    path = Path(path)
    if not path.is_file():
        raise SyncError(f"找不到交接包：{path}")
    if path.stat().st_size > MAX_BYTES:
        raise SyncError(f"“{path.name}”太大，不是本程序生成的交接包。")
    try:
        plain = unseal(path.read_bytes(), code)
    except SealError:
        raise SyncError(f"交接码不对，或“{path.name}”不是交接包/已损坏：打不开。请核对交接清单上印的交接码"
                        "（字母不分大小写，横线可以不输）。") from None
    tmp_dir = paths.private_temp_dir("handover")
    try:
        try:
            with zipfile.ZipFile(io.BytesIO(plain)) as zf:
                meta = json.loads(zf.read(_INFO).decode("utf-8"))
                if meta.get("format") != FORMAT:
                    raise SyncError(f"“{path.name}”不是交接包。")
                inner = tmp_dir / f"{path.name.removesuffix(SUFFIX)}.fupin"  # named in the merge report
                inner.write_bytes(zf.read(_SYNC))
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise SyncError(f"“{path.name}”里的内容已损坏，打不开（{type(exc).__name__}）。") from None
        info = HandoverInfo(str(meta.get("village") or ""), str(meta.get("created") or ""),
                            str(meta.get("handed_by") or ""), tuple(meta.get("users") or ()),
                            tuple(str(p) for p in meta.get("pairings") or ()), int(meta.get("records") or 0))
        yield read_sync_package(inner), info
    finally:
        for f in tmp_dir.glob("*"):
            shred(f)
        tmp_dir.rmdir()
