"""CLI verbs of the 同步包: ``pack``, ``merge`` (one or many packages; ``--check`` plans only), ``conflicts``.

cli.py registers them with ``VERBS.update(verbs(signed_in, progress_printer))`` like the Excel verbs (this module stays
in the exchange layer): ``with signed_in(need) as services`` gives the services as the signed-in user. Exit codes as in cli.py: 0 success, 1 the merge left open conflicts, 2 error.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from fupin_desktop import paths

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_signed_in = None
_progress_printer = None


def _pack_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default=None, metavar="FILE",
                   help="同步包文件（.fupin；默认数据文件夹下 exports/村名-日期.fupin）")


def _run_pack(args: argparse.Namespace) -> int:
    """生成同步包（全部记录及其字段版本、照片，带本机签名），用于合并到其他电脑或乡镇"""
    from fupin_desktop.exchange.sync_package import pack_name, write_sync_package

    with _signed_in("write") as services:  # a package carries every record in full: 队员 and 管理员 (the service's check)
        state = services.sync.pack_state(progress=_progress_printer("读取"))
        out = Path(args.out) if args.out else paths.export_dir() / pack_name(state.village_name, datetime.now())
        result = write_sync_package(state, out)
    print(f"已生成同步包：{result.path}（{result.records} 条记录，{result.attachments} 个附件）")
    print(f"本机签名指纹：{result.fingerprint}（对方第一次合并时会显示，请核对）")
    if result.missing_files:
        print(f"提示：{len(result.missing_files)} 个附件在本机找不到文件，没有放入：{'、'.join(result.missing_files[:5])}")
    return EXIT_OK


def _merge_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE", help="同步包 .fupin（可多个）")
    p.add_argument("--check", action="store_true", help="只检查并列出将要发生的变化，不写入")


def _run_merge(args: argparse.Namespace) -> int:
    """合并同步包（逐字段比较版本；同一字段两边都改过的列为冲突，并按版本决定采用哪个）"""
    from fupin_desktop.exchange.sync_package import SUFFIX, read_sync_package, report_lines

    for f in args.files:
        if Path(f).suffix.lower() in (".xlsx", ".xls"):
            print(f"“{Path(f).name}”是上报表（Excel，给人看的），不能用来合并。请让对方用“生成同步包”"
                  f"（fupin-desktop pack）生成 {SUFFIX} 文件。", file=sys.stderr)
            return EXIT_ERROR
    packages = [read_sync_package(f) for f in args.files]
    with _signed_in("write") as services:  # the sync service asks the write role even for --check
        report = services.sync.merge(packages, check=args.check, progress=_progress_printer("合并")).value
    for line in report_lines(report):
        print(line)
    return EXIT_FINDINGS if report.conflicts else EXIT_OK


def _conflicts_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--all", action="store_true", help="也列出已处理的冲突")


def _run_conflicts(args: argparse.Namespace) -> int:
    """列出合并时发现的冲突（两边的值、修改人和时间）"""
    from fupin_desktop.exchange.sync_package import conflict_lines

    with _signed_in("read") as services:
        conflicts = services.sync.conflicts(open_only=not args.all)
    for c in conflicts:
        for line in conflict_lines(c):
            print(line + ("" if c.resolved_at is None or line.startswith("    ") else "（已处理）"))
    print(f"共 {len(conflicts)} 条{'' if args.all else '未处理的'}冲突")
    return EXIT_OK


def verbs(signed_in, progress_printer) -> dict:
    """The verbs for cli.VERBS; ``signed_in(need)``: see cli_session.signed_in."""
    global _signed_in, _progress_printer
    _signed_in, _progress_printer = signed_in, progress_printer
    return {
        "pack": (_pack_arguments, _run_pack),
        "merge": (_merge_arguments, _run_merge),
        "conflicts": (_conflicts_arguments, _run_conflicts),
    }
