"""CLI verbs of the Excel exchange: ``export`` (上报表, a document for people: exchange/report_book.py) and
``import`` (roster).

Merging goes through the 同步包 (exchange/sync_commands.py); the Excel package is no longer read back.

cli.py registers them with ``VERBS.update(verbs(signed_in, progress_printer))``: the composition root hands in how to
sign in (``with signed_in(need) as services`` — the services as the signed-in user, need "read"/"write"/"admin",
refused before any work when the role does not allow it), so this module stays in the exchange layer.
Exit codes as in cli.py: 0 success, 1 findings (problems in the roster, unresolved conflicts), 2 error.
"""
from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from fupin_desktop import paths

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_signed_in = None
_progress_printer = None


def _err(text: str) -> None:
    import sys

    print(text, file=sys.stderr, flush=True)


def _period(args) -> tuple[date | None, date | None]:
    from fupin_desktop.domain.dates import half_year_range, quarter_range, year_range
    from fupin_desktop.domain.errors import ValidationError

    if args.start or args.end:
        try:
            start = datetime.strptime(args.start, "%Y-%m-%d").date() if args.start else None
            end = datetime.strptime(args.end, "%Y-%m-%d").date() if args.end else None
        except ValueError:
            raise ValidationError("period", "日期格式不对（应为 YYYY-MM-DD）") from None
        return start, end
    if args.year is None:
        if args.half or args.quarter:
            raise ValidationError("period", "--half/--quarter 需要同时给出 --year")
        return None, None
    if args.half:
        return half_year_range(args.year, args.half)
    if args.quarter:
        return quarter_range(args.year, args.quarter)
    return year_range(args.year)


# --- export -------------------------------------------------------------------------------------------------------


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default=None, metavar="FILE", help="输出文件（默认数据文件夹下 exports/）")
    p.add_argument("--year", type=int, default=None, metavar="Y", help="年度")
    p.add_argument("--half", type=int, choices=(1, 2), default=None, help="上/下半年（与 --year 一起用）")
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), default=None, help="季度（与 --year 一起用）")
    p.add_argument("--from", dest="start", default=None, metavar="YYYY-MM-DD", help="自定义期间开始")
    p.add_argument("--to", dest="end", default=None, metavar="YYYY-MM-DD", help="自定义期间结束")
    p.add_argument("--full", action="store_true",
                   help="导出完整身份证号和电话（默认遮盖；完整导出会记入审计日志）")
    p.add_argument("--public", action="store_true",
                   help="公示版：只含可以公示的列（无健康、残疾、收入和文字记录），身份证号和电话保持遮盖")


def _run_export(args: argparse.Namespace) -> int:
    """导出上报表（Excel，每个台账一张表，可直接打印；默认遮盖个人信息）"""
    from fupin_desktop.exchange.report_book import export_for_period

    start, end = _period(args)
    if args.full and args.public:
        _err("--public（公示版）和 --full（完整导出）不能同时使用。")
        return EXIT_ERROR
    form = "public" if args.public else "full" if args.full else "masked"
    with _signed_in("write" if args.full else "read") as services:  # a full export: 队员 and 管理员, as in the window
        ctx = services.exchange.context()
        out = Path(args.out) if args.out else (
            paths.export_dir() / f"{ctx.village_name or '上报表'}上报表{'-公示' if args.public else ''}"
                                 f"-{datetime.now():%Y%m%d-%H%M}.xlsx")
        result = export_for_period(services, out, start, end, form, progress=_progress_printer("导出"))
    kind = {"public": "公示版，不含健康、残疾、收入和文字记录", "masked": "个人信息已遮盖",
            "full": "完整，已记入审计"}[form]
    print(f"已导出上报表：{result.path}（{result.period}，{kind}）")
    for name, n in result.counts.items():
        print(f"  {name:<16}{n:>10,} 行")
    return EXIT_OK


# --- township summary ---------------------------------------------------------------------------------------------


def _township_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="FILE", help="输出文件 .xlsx")
    p.add_argument("--year", type=int, default=None, metavar="Y", help="年度")
    p.add_argument("--half", type=int, choices=(1, 2), default=None, help="上/下半年（与 --year 一起用）")
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), default=None, help="季度（与 --year 一起用）")
    p.add_argument("--from", dest="start", default=None, metavar="YYYY-MM-DD", help="自定义期间开始")
    p.add_argument("--to", dest="end", default=None, metavar="YYYY-MM-DD", help="自定义期间结束")


def _run_township(args: argparse.Namespace) -> int:
    """乡镇汇总表：本数据库中每个村一行（各村同步包合并后），另加合计行"""
    from fupin_desktop.exchange.report_book import period_of
    from fupin_desktop.exchange.township import write_township_summary
    from fupin_desktop.services.reporting import ReportFilter

    start, end = _period(args)
    with _signed_in("read") as services:  # a summary of counts: every role may print it, as in the window
        flt = ReportFilter(period_of(start, end, services.ctx.today()))
        out = write_township_summary(services, Path(args.out), flt, progress=_progress_printer("汇总"))
    print(f"已生成乡镇汇总表：{out}（{flt.period.label}）")
    return EXIT_OK


# --- fill the county's template -------------------------------------------------------------------------------


def _fill_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("template", metavar="TEMPLATE.xlsx", help="县里下发的表格模板")
    p.add_argument("--out", required=True, metavar="FILE", help="填好的表格 .xlsx")
    p.add_argument("--map", action="append", default=[], metavar="列名=字段",
                   help="指定列的对应，如 --map 户主姓名=head_name（可重复；按模板记住）；字段写 - 表示不填该列")
    p.add_argument("--full", action="store_true", help="填完整身份证号和电话（记入审计日志）")
    p.add_argument("--public", action="store_true", help="公示版：只填可以公示的列")
    p.add_argument("--year", type=int, default=None, metavar="Y", help="年度（默认今年）")


def _run_fill(args: argparse.Namespace) -> int:
    """按县里的表格模板填报（保留模板的合并单元格、样式、下拉列表，每户或每人一行）"""
    from fupin_desktop.exchange import template_fill as tf
    from fupin_desktop.services.reporting import Period, ReportFilter

    if args.full and args.public:
        _err("--public（公示版）和 --full（完整导出）不能同时使用。")
        return EXIT_ERROR
    choices = {}
    for item in args.map:
        header, _, target = item.partition("=")
        target = target.strip()
        if target != tf.IGNORE and target not in tf.FIELDS:
            _err(f"未知字段：{target}。可用：{'、'.join(f'{k}（{v[0]}）' for k, v in tf.FIELDS.items())}")
            return EXIT_ERROR
        choices[header.strip()] = target
    form = "public" if args.public else "full" if args.full else "masked"
    with _signed_in("write" if args.full else "read") as services:  # full numbers: 队员 and 管理员, as --full
        layout = tf.inspect_template(args.template, services.ctx.data_dir, choices)
        year = args.year or services.ctx.today().year
        result = tf.fill_template(services, layout, args.out, ReportFilter(Period.year(year)), form)
    print(f"读取工作表：“{layout.sheet}”（表头在第{'、'.join(map(str, layout.header_rows))}行）")
    for header in result.unmapped:
        print(f"提示：没有填“{header}”列（可用 --map {header}=字段 指定）")
    print(f"已填好：{result.path}（{result.rows} 行，{'每人一行' if result.per_member else '每户一行'}）")
    return EXIT_OK


# --- import -------------------------------------------------------------------------------------------------------


def _import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="花名册 .xlsx")
    p.add_argument("--sheet", default=None, help="工作表名称（默认第一个有表头的可见工作表）")
    p.add_argument("--map", action="append", default=[], metavar="列名=字段",
                   help="指定列的对应，如 --map 成员名字=name（可重复；会被记住）；字段写 - 表示忽略该列")
    p.add_argument("--value", action="append", default=[], metavar="列名:值=代码",
                   help="把某列里不认识的值对应到代码表中的一项，如 --value 户类型:建档户=脱贫户（代码或名称均可；"
                        "可重复；会被记住）")
    p.add_argument("--check", action="store_true", help="只检查，不导入")


def _run_import(args: argparse.Namespace) -> int:
    """导入农户花名册（先检查每一行，全部无误才导入；重复导入会更新而不是重复）"""
    from fupin_desktop.exchange import roster

    choices = {}
    for item in args.map:
        header, _, target = item.partition("=")
        target = roster.IGNORE if target.strip() == "-" else target.strip()
        if target != roster.IGNORE and target not in roster.FIELDS:
            _err(f"未知字段：{target}。可用：{'、'.join(f'{k}（{v[0]}）' for k, v in roster.FIELDS.items())}")
            return EXIT_ERROR
        choices[header.strip()] = target
    with _signed_in("read" if args.check else "write") as services:
        if choices and services.actor.role != "viewer":  # remembered column choices are a setting: not a viewer's
            roster.save_mapping(services.ctx.data_dir, choices)
        layout = roster.inspect_roster(args.file, services.ctx.data_dir, args.sheet).with_mapping(choices)
        print(f"读取工作表：“{layout.sheet}”（表头在第{layout.header_row}行）")
        values = _value_choices(roster, layout, args.value)
        if values is None:
            return EXIT_ERROR
        if values:
            layout = layout.with_values(values)
            if services.actor.role != "viewer":
                roster.save_value_mapping(services.ctx.data_dir, values)
        for index, header in layout.unmapped:
            print(f"提示：没有导入“{header}”列（可用 --map {header}=字段 指定）")
        plan = roster.validate_roster(services, layout, progress=_progress_printer("检查"))
        print(plan.summary())
        if plan.errors:
            for e in plan.errors[:200]:
                print(f"  第{e.row}行 “{e.column}”：{e.detail}")
            if len(plan.errors) > 200:
                print(f"  ……另有 {len(plan.errors) - 200} 处")
            for column, fieldname, text, n in plan.unknown_values():
                options = "、".join(label for _, label in roster.value_choices(fieldname))
                print(f"提示：“{column}”列有 {n} 行是“{text}”，不认识。可用 --value {column}:{text}=代码 指定"
                      f"（可选：{options}）")
            print("没有导入任何数据。")
            return EXIT_FINDINGS
        if args.check:
            print("检查通过（未导入）。")
            return EXIT_OK
        roster.apply_roster(services, plan, progress=_progress_printer("导入"))
    print("导入完成。")
    return EXIT_OK


def _value_choices(roster, layout, items: list[str]) -> dict[str, dict[str, str]] | None:
    """``--value 列名:值=代码`` → field → {value → code}; None (after a Chinese message) when one is wrong."""
    from fupin_desktop.exchange.roster_cells import MAPPABLE, choice_code

    out: dict[str, dict[str, str]] = {}
    for item in items:
        column, sep, rest = item.partition(":")
        if not sep:
            column, sep, rest = item.partition("：")
        value, eq, target = rest.rpartition("=")
        if not (sep and eq and column.strip() and value.strip() and target.strip()):
            _err(f"--value {item}：应写成 列名:值=代码，如 --value 户类型:建档户=脱贫户")
            return None
        fieldname = layout.field_of_column(column.strip())
        if fieldname is None or fieldname not in MAPPABLE:
            _err(f"--value {item}：表中没有导入为代码的列“{column.strip()}”")
            return None
        code = choice_code(fieldname, target.strip())
        if code is None:
            options = "、".join(label for _, label in roster.value_choices(fieldname))
            _err(f"--value {item}：“{target.strip()}”不是{roster.FIELDS[fieldname][0]}的选项（可选：{options}）")
            return None
        out.setdefault(fieldname, {})[value.strip()] = code
    return out


def verbs(signed_in, progress_printer) -> dict:
    """The verbs for cli.VERBS; ``signed_in(need)`` is a context manager giving the services as the signed-in user
    (see cli_session.signed_in), ``progress_printer(label)`` makes a ``progress(done, total, text)`` callback."""
    global _signed_in, _progress_printer
    _signed_in, _progress_printer = signed_in, progress_printer
    return {
        "export": (_export_arguments, _run_export),
        "import": (_import_arguments, _run_import),
        "township": (_township_arguments, _run_township),
        "fill": (_fill_arguments, _run_fill),
    }
