"""The command line in Chinese: argparse writes its own words (usage:, options, "show this help message and exit",
"error: the following arguments are required…") in English. :class:`ChineseArgumentParser` says them in Chinese —
its help and usage headings directly, its error messages by rewriting argparse's English sentences (argparse builds
them before :meth:`error` sees them; patching argparse's module-level ``_`` would change every parser in the process,
pytest's included). A sentence not listed stays as argparse wrote it."""
from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

TYPE_WORDS = {"int": "整数", "float": "数字"}

# (argparse's English message as a pattern, its Chinese); group names are reused in the Chinese text
_ERRORS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p), zh) for p, zh in (
    (r"^the following arguments are required: (?P<names>.+)$", "缺少必需的参数：{names}"),
    (r"^argument (?P<arg>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)$",
     "参数 {arg} 的值 {value} 无效，可选：{choices}"),
    (r"^argument (?P<arg>\S+): invalid (?P<type>\w+) value: (?P<value>.+)$", "参数 {arg} 的值 {value} 不是有效的{type}"),
    (r"^argument (?P<arg>\S+): expected one argument$", "参数 {arg} 后面要写一个值"),
    (r"^argument (?P<arg>\S+): expected at least one argument$", "参数 {arg} 后面至少要写一个值"),
    (r"^argument (?P<arg>\S+): expected at most one argument$", "参数 {arg} 后面最多写一个值"),
    (r"^argument (?P<arg>\S+): expected (?P<n>\d+) arguments?$", "参数 {arg} 后面要写 {n} 个值"),
    (r"^argument (?P<arg>\S+): not allowed with argument (?P<other>\S+)$", "参数 {arg} 不能与 {other} 同时使用"),
    (r"^argument (?P<arg>\S+): ignored explicit argument (?P<value>.+)$", "参数 {arg} 不带值，{value} 被忽略"),
    (r"^one of the arguments (?P<names>.+) is required$", "参数 {names} 中必须写一个"),
    (r"^unrecognized arguments: (?P<args>.+)$", "无法识别的参数：{args}"),
    (r"^ambiguous option: (?P<opt>\S+) could match (?P<matches>.+)$", "选项 {opt} 不明确，可能是：{matches}"),
))


def chinese_error(message: str) -> str:
    for pattern, zh in _ERRORS:
        m = pattern.match(message)
        if m:
            words = m.groupdict()
            if "type" in words:
                words["type"] = TYPE_WORDS.get(words["type"], "值")
            return zh.format(**words)
    return message


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, usage and errors are Chinese (verbs' sub-parsers are of the same class)."""

    def __init__(self, *args, add_help: bool = True, formatter_class=ChineseHelpFormatter, **kwargs):
        super().__init__(*args, add_help=False, formatter_class=formatter_class, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def format_help(self) -> str:
        # section headings end in a full-width colon (argparse writes "heading:")
        return re.sub(r"^(\S[^\n]*?):$", r"\1：", super().format_help(), flags=re.MULTILINE)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{chinese_error(message)}\n")
