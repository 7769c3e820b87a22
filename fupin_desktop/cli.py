"""Command line: ``fupin-desktop [--data-dir DIR] [VERB …]`` (also ``python -m fupin_desktop``).

Without a verb the GUI starts. Verbs are for scripting and support (demo data, checks, backups…). Each verb is one
entry of :data:`VERBS`: ``name → (add_arguments(parser), run(args) -> exit code)``; the first line of ``run``'s
docstring is its help text. To add a verb, write the two functions and add one line to :data:`VERBS` (or call
:func:`register`). A verb reports progress on stderr and reaches the data only through
``with signed_in(need) as services:`` (need "read", "write" or "admin"): it runs as the signed-in user with that
user's role, through the same services and permission checks as the window, and a verb that writes is the only
writer of the data folder while it runs (cli_session). tests/test_cli_roles.py runs every verb as a viewer.

Exit codes: 0 success, 1 the verb ran and found problems, 2 error (message in Chinese on stderr, no traceback).
"""
from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fupin_desktop import __version__, paths

AddArguments = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace], int]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def signed_in(need: str = "read"):
    """The services as the signed-in user, for a verb needing ``need`` ("read", "write", "admin"): a context
    manager (see cli_session.signed_in). Looked up at call time, so a test can replace it in one place."""
    from fupin_desktop.cli_session import signed_in as open_signed_in

    return open_signed_in(need)


def _signed_in(need: str = "read"):
    return signed_in(need)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _progress_printer(label: str):
    """A ``progress(done, total, text)`` callback printing one updating line on stderr (when it is a terminal)."""
    tty = sys.stderr.isatty()
    last = [0.0]

    def progress(done: int, total: int, text: str = "") -> None:
        if not tty:
            return
        now = time.monotonic()
        if now - last[0] < 0.2 and done < total:
            return
        last[0] = now
        pct = 100 * done // total if total else 100
        sys.stderr.write(f"\r{label} {pct:3d}% {text[:40]:<40}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return progress


# --- init ---------------------------------------------------------------------------------------------------------


def _init_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", default=None, metavar="姓名", help="管理员姓名（默认同用户名）")


def _run_init(args: argparse.Namespace) -> int:
    """设置管理员并加密数据（新数据文件夹先运行这个；用户名和密码也可用 FUPIN_USER、FUPIN_PASSWORD 给出）"""
    from fupin_desktop.cli_session import create_administrator, credentials
    from fupin_desktop.services.auth import AccessManager
    from fupin_desktop.storage import writer_lock

    with writer_lock.hold(paths.data_dir()):
        access = AccessManager(paths.data_dir(), paths.database_url())
        if not access.needs_setup():
            _err("这个数据文件夹已经有管理员了。新增用户请在程序的“用户管理”中进行。")
            return EXIT_ERROR
        user, password = credentials()
        if not os.environ.get("FUPIN_PASSWORD") and sys.stdin.isatty():
            import getpass

            if getpass.getpass("再输入一次密码：") != password:
                _err("两次输入的密码不一样，没有设置管理员。")
                return EXIT_ERROR
        store = create_administrator(access, user, password, args.name)
        store.db.dispose()
    print(f"已设置管理员：{user}（{args.name or user}）。数据文件夹：{paths.data_dir()}")
    return EXIT_OK


# --- demo ---------------------------------------------------------------------------------------------------------


def _demo_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--households", type=int, default=500, metavar="N", help="户数（默认 500）")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子：同一种子生成同样的数据（默认 1）")
    p.add_argument("--year", type=int, default=None, metavar="Y", help="数据年度（默认今年，记录到今天为止）")
    p.add_argument("--force", action="store_true", help="数据库已有数据时先备份再清空，然后生成")
    p.add_argument("--village", default=None, metavar="NAME", help="村名（默认 东兴村；生成多个不同的村时用）")
    p.add_argument("--division", default=None, metavar="CODE", help="12位行政区划代码（默认 130204203213）")


def _run_demo(args: argparse.Namespace) -> int:
    """生成演示数据（一个村的户、走访、项目、捐赠……；管理员）"""
    if args.households < 1:
        _err("户数至少为 1")
        return EXIT_ERROR
    with _signed_in("admin") as services:
        if not args.force and not services.demo.is_empty():
            where = paths.database_path() if services.db.is_sqlite else "服务器数据库"
            _err(f"数据库已有数据（{where}），没有生成演示数据。"
                 "如确要清空后重新生成，请加 --force（会先自动备份）。")
            return EXIT_ERROR
        started = time.perf_counter()
        result = services.demo.generate(args.households, seed=args.seed, year=args.year, replace=args.force,
                                        progress=_progress_printer("生成演示数据"), village=args.village,
                                        division=args.division)
        elapsed = time.perf_counter() - started
    if result.backup is not None:
        print(f"原数据已备份到：{result.backup}")
    summary = result.summary
    print(f"已生成演示数据：{summary.village_name}，{summary.year}年，用时 {elapsed:.1f} 秒")
    for table, count in summary.counts.items():
        print(f"  {table:<22}{count:>10,}")
    return EXIT_OK


# --- check --------------------------------------------------------------------------------------------------------


def _check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--today", default=None, metavar="YYYY-MM-DD", help="按这一天检查（默认今天）")


def _run_check(args: argparse.Namespace) -> int:
    """检查数据库：文件完整性、外键、审计链、户和成员信息的逻辑问题"""
    from fupin_desktop.services.checks import run_checks

    today = None
    if args.today:
        try:
            today = datetime.strptime(args.today, "%Y-%m-%d").date()
        except ValueError:
            _err(f"日期格式不对：{args.today}（应为 YYYY-MM-DD）")
            return EXIT_ERROR
    with _signed_in("read") as services:
        findings = run_checks(services.db, today=today)
    if not findings:
        print("检查完毕，未发现问题。")
        return EXIT_OK
    for n, finding in enumerate(findings, start=1):
        print(f"{n}. {finding}")
    print(f"共发现 {len(findings)} 个问题。")
    return EXIT_FINDINGS


# --- backup -------------------------------------------------------------------------------------------------------


def _backup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--to", default=None, metavar="PATH",
                   help="备份到这个文件夹或文件（默认数据文件夹下的 backups）")


def _run_backup(args: argparse.Namespace) -> int:
    """备份数据库（SQLite 在线备份，备份后校验；--to 备份到别处需“队员”以上角色）"""
    if os.environ.get("FUPIN_DATABASE_URL"):
        _err("当前使用的是服务器数据库，请用数据库服务器自带的备份工具。")
        return EXIT_ERROR
    source = paths.database_path()
    if not source.exists():
        _err(f"找不到数据库文件：{source}")
        return EXIT_ERROR
    # The backup folder of the data folder: what the window's 立即备份 does for every role (thinning, USB copy).
    # Elsewhere (--to): the copy opens to every unmasked record with a password, so like a full export it needs
    # the write role (the backup service checks it).
    with _signed_in("write" if args.to else "read") as services:
        if args.to:
            saved = services.backups.backup_to(Path(args.to).expanduser())
        else:
            saved = services.backups.backup_now("manual").path
    print(f"已备份到：{saved}")
    return EXIT_OK


# --- restore ------------------------------------------------------------------------------------------------------


def _restore_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--check", action="store_true",
                   help="恢复演练：把最新的备份恢复到临时文件夹并核对各表的记录数（不改动当前数据）")
    g.add_argument("file", nargs="?", metavar="备份文件", help="用这个备份替换当前数据（先自动备份当前数据）")


def _run_restore(args: argparse.Namespace) -> int:
    """恢复备份，或用 --check 做恢复演练"""
    # The drill only reads (it restores into a temporary folder); replacing the data is for administrators.
    with _signed_in("read" if args.check else "admin") as svc:
        if args.check:
            result = svc.backups.restore_check()
            print(f"演练备份：{result.backup.name}")
            print(f"完整性检查：{result.quick_check}")
            for table, n in result.counts_backup.items():
                got = result.counts_restored.get(table)
                print(f"  {table:<14} 备份 {n:>8}  恢复后 {got:>8}  {'一致' if got == n else '不一致！'}")
            print("演练通过" if result.ok else "演练失败")
            return EXIT_OK if result.ok else EXIT_FINDINGS
        before = svc.backups.restore(Path(args.file).expanduser())
        print(f"已恢复：{args.file}\n恢复前的数据已备份为：{before.path}")
        return EXIT_OK


# --- report -------------------------------------------------------------------------------------------------------


def _report_arguments(p: argparse.ArgumentParser) -> None:
    from fupin_desktop.reports import registry

    p.add_argument("document", choices=registry.names(), metavar="DOCUMENT",
                   help="文书：" + "、".join(f"{d.key}（{d.title}）" for d in registry.DOCUMENTS)
                   + "；旧名称 ledger-台账名、diary-book 仍可用")
    p.add_argument("--year", type=int, required=True, metavar="Y", help="年度")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--half", type=int, choices=(1, 2), help="半年：1 上半年，2 下半年")
    g.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help="季度")
    p.add_argument("--group", default=None, metavar="NAME", help="只含这个村民小组")
    p.add_argument("--out", required=True, metavar="FILE.pdf",
                   help="输出的 PDF 文件；工作总结也可以是 Word 文档 FILE.docx（按扩展名）")
    p.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", dest="as_of",
                   help="工作总结：截至这一天起草（只统计到这一天，正文写“截至X年X月X日”）")
    p.add_argument("--drafter", choices=("team", "bureau"), default="team",
                   help="工作总结的起草单位：team 驻村工作队（默认），bureau 派出单位（帮扶单位）自己的总结")
    p.add_argument("--no-appendix", action="store_true", dest="no_appendix",
                   help="工作总结：不附“主要工作数据”表")
    p.add_argument("--batch", default=None, metavar="N",
                   help="发放签收表（sign_sheet）的发放批次：序号或编号；不写时列出本期的发放批次")
    p.add_argument("--public", action="store_true",
                   help="公示版：只含可以张贴的列（无健康、残疾、收入和文字记录），身份证号和电话保持隐藏；"
                        "民情日记本、工作总结、工作日志和帮扶措施台账没有公示版")
    n = p.add_argument_group("公示（notice_… 文书）")
    n.add_argument("--notice-from", type=_report_day, default=None, metavar="YYYY-MM-DD",
                   help="公示期开始日期（默认：今天）")
    n.add_argument("--notice-to", type=_report_day, default=None, metavar="YYYY-MM-DD",
                   help="公示期结束日期（默认：开始后满5天，项目公示满10天；不能更短）")
    n.add_argument("--phone", default="", metavar="TEL", help="监督电话（默认：留空线，手写）")


def _report_day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _run_report(args: argparse.Namespace) -> int:
    """生成台账报表 PDF（台账、一户一册、民情日记本、工作总结；工作总结也可以生成 Word 文档）"""
    from fupin_desktop.reports import registry
    from fupin_desktop.services.reporting import Period, ReportFilter

    doc = registry.get(args.document)
    if args.public:  # refused, not ignored, for a document without a 公示 version (exit 2, Chinese message)
        from fupin_desktop.reports.public import require_public_form

        require_public_form(doc.key)
    period = (Period.half(args.year, args.half) if args.half else Period.quarter(args.year, args.quarter)
              if args.quarter else Period.year(args.year))
    notice = None
    if args.notice_from or args.notice_to or args.phone:
        from fupin_desktop.domain.errors import ValidationError
        from fupin_desktop.reports.notices import NOTICE_KEYS, NoticeTerms

        if doc.key not in NOTICE_KEYS:
            raise ValidationError("notice", f"“{doc.title}”不是公示，--notice-from/--notice-to/--phone 只用于："
                                            + "、".join(registry.get(k).title for k in NOTICE_KEYS))
        notice = NoticeTerms(args.notice_from, args.notice_to, args.phone)
    as_of = None
    if args.as_of:
        try:
            as_of = datetime.strptime(args.as_of, "%Y-%m-%d").date()
        except ValueError:
            _err(f"日期格式不对：{args.as_of}（应为 YYYY-MM-DD）")
            return EXIT_ERROR
    if doc.key == "summary":
        registry.summary_format(args.out)  # .docx or .pdf: refused before anything is read
    request = registry.Request(doc.key, ReportFilter(period, args.group), public=args.public, as_of=as_of,
                               drafter=args.drafter, appendix=not args.no_appendix, notice=notice)
    if args.batch and registry.BATCH not in doc.options:
        from fupin_desktop.domain.errors import ValidationError

        raise ValidationError("batch", f"“{doc.title}”不按发放批次生成，请去掉 --batch。")
    with _signed_in("read") as services:
        if registry.BATCH in doc.options:
            from dataclasses import replace

            from fupin_desktop.reports.sign_sheet import choose_batch

            request = replace(request, donation_id=choose_batch(services, request.filter, args.batch))
        out = registry.generate(services, request, args.out, progress=_progress_printer("生成"))
        warning = services.closing.reprint_check(doc.key, request.filter)  # 结账: differs from the closing?
    print(f"已生成：{out}")
    if warning:
        print(warning)
    return EXIT_OK


# --- registry -----------------------------------------------------------------------------------------------------

VERBS: dict[str, tuple[AddArguments, Run]] = {
    "init": (_init_arguments, _run_init),
    "demo": (_demo_arguments, _run_demo),
    "check": (_check_arguments, _run_check),
    "backup": (_backup_arguments, _run_backup),
    "restore": (_restore_arguments, _run_restore),
    "report": (_report_arguments, _run_report),
}
from fupin_desktop.exchange.commands import verbs as _exchange_verbs  # noqa: E402  (export / import)
VERBS.update(_exchange_verbs(_signed_in, _progress_printer))
from fupin_desktop.exchange.sync_commands import verbs as _sync_verbs  # noqa: E402  (pack / merge / conflicts)
VERBS.update(_sync_verbs(_signed_in, _progress_printer))


def register(name: str, add_arguments: AddArguments, run: Run) -> None:
    """Add a verb (the same as adding a line to :data:`VERBS`)."""
    if name in VERBS:
        raise ValueError(f"verb {name!r} is already registered")
    VERBS[name] = (add_arguments, run)


from fupin_desktop.cli_closing import register_verbs as _closing_verbs  # noqa: E402  (close / reopen: 结账)
_closing_verbs(register)
import fupin_desktop.handover_cli  # noqa: E402,F401  (handover / receive: registers itself through register())


def _help_of(run: Run) -> str:
    return (run.__doc__ or "").strip().splitlines()[0] if run.__doc__ else ""


def _add_data_dir(p: argparse.ArgumentParser, *, default) -> None:
    p.add_argument("--data-dir", default=default, metavar="DIR",
                   help="数据文件夹（也可用环境变量 FUPIN_DATA_DIR；便于放在U盘上使用）")


def build_parser(with_verbs: bool = True) -> argparse.ArgumentParser:
    """The parser; ``with_verbs=False``: only the global options (used when no verb is given)."""
    from fupin_desktop.cli_text import ChineseArgumentParser

    parser = ChineseArgumentParser(prog="fupin-desktop", description="驻村帮扶工作台。不带命令时启动图形界面。")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}", help="显示版本号并退出")
    parser.add_argument("--selftest", action="store_true",
                        help="自检：数据库、PDF、Excel、字体和翻译是否正常（新电脑上先运行这个）")
    _add_data_dir(parser, default=None)
    parser.set_defaults(verb=None)
    if not with_verbs:
        return parser
    sub = parser.add_subparsers(dest="verb", metavar="命令", title="命令")
    for name, (add_arguments, run) in VERBS.items():
        help_text = _help_of(run)
        p = sub.add_parser(name, help=help_text, description=help_text)
        # SUPPRESS: a --data-dir given before the verb is not overwritten by the verb's own (absent) option.
        _add_data_dir(p, default=argparse.SUPPRESS)
        add_arguments(p)
        p.set_defaults(run=run)
    return parser


def _start_gui(rest: list[str]) -> int:
    try:
        from fupin_desktop.app import main as gui_main
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == "fupin_desktop.app" or exc.name.startswith("PySide6")):
            _err("图形界面未安装或不完整，无法启动。可以使用命令行命令，详见 --help。")
            return 1
        raise
    return gui_main(rest)


def _has_verb(argv: list[str]) -> bool:
    """True when ``argv`` is meant for the verb parser: it names a verb, asks for help, or has a word that is
    neither an option nor an option's value (a mistyped verb is then reported instead of starting the GUI)."""
    skip = qt_value = False
    for token in argv:
        if skip:
            skip = False
        elif token == "--data-dir":
            skip = True
        elif token in VERBS or token in ("-h", "--help"):
            return True
        elif token.startswith("-"):
            qt_value = "=" not in token  # the GUI's options take values: -platform offscreen, --language zh_CN
        elif qt_value:
            qt_value = False
        else:
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 findings, 2 error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if _has_verb(argv):
            parser = build_parser()
            args, rest = parser.parse_known_args(argv)
            if rest:
                parser.error(f"无法识别的参数：{' '.join(rest)}")
        else:
            # No verb: the global options are ours, everything else (Qt's "-platform offscreen" …) is the GUI's.
            args, rest = build_parser(with_verbs=False).parse_known_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: return the code instead of leaving
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    if getattr(args, "verb", None):
        paths.use_private_temp()  # temporary files (exports) under the data folder, leftovers of kills removed
    try:
        if args.selftest:
            from fupin_desktop import selftest

            return selftest.run()
        if args.verb is None:
            # Leftover arguments (e.g. Qt's -platform) belong to the GUI.
            return _start_gui(rest)
        return args.run(args)
    except KeyboardInterrupt:
        _err("已取消。")
        return 130
    except Exception as exc:  # noqa: BLE001 - narrowed just below
        from fupin_desktop.domain.errors import FupinError
        from fupin_desktop.storage.backup import BackupError

        if isinstance(exc, (FupinError, BackupError)):
            _err(f"错误：{exc}")
            return EXIT_ERROR
        from fupin_desktop.fileio import as_os_error

        disk = as_os_error(exc)  # also a full disk hidden in an lxml or SQLite error
        if disk is not None:
            where = f"（{disk.filename}）" if getattr(disk, "filename", None) else ""
            _err(f"文件或磁盘操作失败{where}：{_DISK_REASONS.get(disk.errno, disk.strerror or disk)}")
            return EXIT_ERROR
        problem = _database_problem(exc)
        if problem:
            _err(problem)
            return EXIT_ERROR
        raise


_DISK_REASONS = {
    errno.ENOSPC: "磁盘已满，请腾出空间或换一个位置后再试",
    errno.EDQUOT: "磁盘已满（超出了配额），请腾出空间或换一个位置后再试",
    errno.EFBIG: "文件太大，这个磁盘存不下（FAT32 格式的U盘单个文件最大 4 GB）",
    errno.EACCES: "没有写入权限，请换一个文件夹或检查文件夹权限",
    errno.EPERM: "没有写入权限，请换一个文件夹或检查文件夹权限",
    errno.EROFS: "磁盘或文件夹是只读的（例如光盘、写保护的U盘或没有写入权限的文件夹），请把数据放到可写的位置",
    errno.ENOENT: "文件或文件夹不存在（是否被移动或改名？）",
    errno.EIO: "磁盘读写出错（U盘是否被拔出？）",
}


def _database_problem(exc: BaseException) -> str | None:
    """A Chinese message for a damaged, foreign or busy database file; None for anything else (a bug)."""
    orig = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    if type(orig).__module__.split(".")[0] not in ("sqlite3", "sqlcipher3"):  # plain or encrypted (SQLCipher)
        return None
    if type(orig).__name__ == "DatabaseError":  # "file is not a database", "database disk image is malformed"
        return f"数据库文件无法读取，可能已损坏或不是本程序的文件：{orig}（请从备份恢复）"
    if type(orig).__name__ == "OperationalError":
        if "locked" in str(orig):
            return "数据库正被另一个程序使用（例如已打开的工作台），请稍后再试。"
        if "unable to open database file" in str(orig):
            return ("无法打开数据库文件：数据文件夹可能是只读的或没有写入权限（程序需要在数据文件夹里写入日志和临时文件）。"
                    "请检查文件夹权限，或把数据文件夹复制到可写的位置。")
    return None
