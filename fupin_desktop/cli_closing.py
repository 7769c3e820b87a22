"""CLI verbs of 结账: ``close --year Y [--half H | --quarter Q | --month M]`` and ``reopen … --reason TEXT``.

Both are for administrators (the closing service refuses others in Chinese); cli.py registers them through
:func:`register_verbs`.
"""
from __future__ import annotations

import argparse

EXIT_OK = 0


def _period_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True, metavar="Y", help="年度")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--half", type=int, choices=(1, 2), metavar="H", help="半年：1 上半年，2 下半年")
    g.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), metavar="Q", help="季度 1–4")
    g.add_argument("--month", type=int, choices=range(1, 13), metavar="M", help="月份 1–12")


def _reopen_arguments(p: argparse.ArgumentParser) -> None:
    _period_arguments(p)
    p.add_argument("--reason", required=True, metavar="TEXT", help="反结账的原因（记入审计记录）")


def _key(args: argparse.Namespace):
    from fupin_desktop.services.closing import PeriodKey

    return PeriodKey.of(args.year, half=args.half, quarter=args.quarter, month=args.month)


def _admin_services():
    """The services as the signed-in user, refused in Chinese unless an administrator (cli.signed_in)."""
    from fupin_desktop import cli

    return cli.signed_in("admin")


def _run_close(args: argparse.Namespace) -> int:
    """结账：把一个月、季度、半年或全年的记录锁定，不能再添加、修改或删除（管理员）"""
    key = _key(args)
    with _admin_services() as services:
        closed = services.closing.close(key).value
    print(f"已结账：{closed.label}（{closed.start_date:%Y-%m-%d}至{closed.end_date:%Y-%m-%d}），"
          f"结账人 {closed.closed_by}，{closed.closed_on:%Y-%m-%d}")
    return EXIT_OK


def _run_reopen(args: argparse.Namespace) -> int:
    """反结账：重新打开已结账的期间，须写明原因（管理员，记入审计记录）"""
    key = _key(args)
    with _admin_services() as services:
        reopened = services.closing.reopen(key, args.reason).value
    print(f"已反结账：{reopened.label}，原因：{reopened.reopen_reason}")
    return EXIT_OK


def register_verbs(register) -> None:
    register("close", _period_arguments, _run_close)
    register("reopen", _reopen_arguments, _run_reopen)
