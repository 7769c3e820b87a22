"""CLI verbs of the 交接 (handover): ``handover --out FOLDER`` on the leaving team's laptop, ``receive FILE --code
CODE`` on the successor's (into an empty data folder). Registered with :func:`fupin_desktop.cli.register`.

``handover`` writes the 交接清单 (PDF) and the sealed package into FOLDER, prints both places and the 交接码, and marks
this data folder handed over (every service then refuses writes; ``handover --reopen --reason …`` undoes it).
"""
from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path

from fupin_desktop import cli, cli_session, paths
from fupin_desktop.cli_session import ADMIN


# --- handover -----------------------------------------------------------------------------------------------------


def _handover_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default=None, metavar="FOLDER", help="把交接清单（PDF）和交接包写到这个文件夹")
    p.add_argument("--reopen", action="store_true", help="交接后重新开放本机数据（管理员，须写明原因）")
    p.add_argument("--reason", default=None, metavar="TEXT", help="重新开放的原因（与 --reopen 一起用）")


def _run_handover(args: argparse.Namespace) -> int:
    """交接给下一任工作队：生成交接清单（PDF）和加密的交接包，打印交接码，本机数据改为只读（仅管理员）"""
    from fupin_desktop.exchange.handover_package import new_code, write_handover_package
    from fupin_desktop.reports.handover import write_handover
    from fupin_desktop.services.base import refuse_if_handed_over

    if not args.reopen and not args.out:
        cli._err("请用 --out 指定交接清单和交接包要写到的文件夹（例如U盘）。")
        return cli.EXIT_ERROR
    with cli_session.signed_in(ADMIN) as svc:
        db, actor = svc.db, svc.ctx.actor
        if args.reopen:
            svc.handover.reopen(args.reason or "")
            print("已重新开放：本机数据可以再修改了（已记入审计记录）。")
            return cli.EXIT_OK
        svc.handover.require_admin()
        refuse_if_handed_over(db)
        out = Path(args.out).expanduser()
        out.mkdir(parents=True, exist_ok=True)
        checklist = svc.handover.prepare()
        code = new_code()
        state = svc.sync.pack_state(progress=cli._progress_printer("读取"))
        package, records = write_handover_package(
            state, out, code, users=svc.handover.users(), pairings=[p.pairing_id for p in checklist.pairings],
            handed_by=actor.name)
        village = checklist.village.name if checklist.village else "村"
        pdf = write_handover(out / f"{village}-交接清单-{datetime.now():%Y%m%d-%H%M}.pdf", checklist, code,
                             package.name, progress=cli._progress_printer("排版"))
        svc.handover.mark_handed_over(package=package.name)
    print(f"交接清单：{pdf}")
    print(f"交接包：{package}（{records} 条记录）")
    print(f"交接码：{code}")
    print("交接码已印在交接清单上，请当面交给接收人。本机数据已标记为“已交接”，只能查看；"
          "如确需修改：fupin-desktop handover --reopen --reason 原因")
    return cli.EXIT_OK


# --- receive ------------------------------------------------------------------------------------------------------


def _receive_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="交接包（.fupin-handover）")
    p.add_argument("--code", required=True, metavar="CODE", help="交接清单上印的交接码")


def _run_receive(args: argparse.Namespace) -> int:
    """接收上一任工作队的交接包，放进一个空的数据文件夹（新管理员：FUPIN_USER/FUPIN_PASSWORD 或提示输入）"""
    from fupin_desktop.exchange.handover_receive import check_handover, folder_problem, receive_handover
    from fupin_desktop.exchange.sync_package import report_lines
    from fupin_desktop.services.auth import AccessManager

    busy = folder_problem(paths.data_dir())
    if busy:
        cli._err(f"只能接收到一个空的数据文件夹：{paths.data_dir()} 里{busy}。"
                 "请用 --data-dir 指定一个新的空文件夹。")
        return cli.EXIT_ERROR
    info = check_handover(args.file, args.code)  # a wrong code ends here, nothing written
    print(f"交接包：{info.village}，{info.records} 条记录，移交人 {info.handed_by}，生成于 {info.created}")
    print("请设置新管理员（接收人）的用户名和密码：", flush=True)
    user, password = cli_session.credentials()
    printer = cli._progress_printer("接收")
    received = receive_handover(AccessManager(paths.data_dir(), paths.database_url()), args.file, args.code, user,
                                os.environ.get("FUPIN_USER_NAME"), password, printer,
                                create_admin=cli_session.create_administrator)
    received.store.db.dispose()
    for line in report_lines(received.report):
        print(line)
    print(f"原工作队账号 {received.users} 个已带入（停用，不带密码；管理员重设密码后可以启用）。")
    print(f"需要重新安排帮扶责任人的结对 {received.pairings} 个（已在结对备注中标出）。")
    return cli.EXIT_OK


cli.register("handover", _handover_arguments, _run_handover)
cli.register("receive", _receive_arguments, _run_receive)
