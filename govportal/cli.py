"""The command lines' argument parser, in Chinese: usage, help headings and argparse's own errors.

``argparse`` writes its usage line, its help headings and its errors ("the following arguments
are required", "invalid choice", …) in English; editors and auditors read Chinese.
:class:`ArgumentParser` is argparse's parser with those texts in Chinese (its sub-command
parsers too); an error still prints the usage and exits 2.
"""
from __future__ import annotations

import argparse
import re
import sys

# argparse's error messages (Python 3.11) and their Chinese; the first that matches is used
_ERRORS = [
    (re.compile(r"the following arguments are required: (.+)"), r"缺少必需的参数：\1"),
    (re.compile(r"unrecognized arguments: (.+)"), r"无法识别的参数：\1"),
    (re.compile(r"argument (\S+): invalid choice: '(.*)' \(choose from (.+)\)", re.S), r"参数 \1：没有“\2”这一项（可选：\3）"),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 后面缺少值"),
    (re.compile(r"argument (\S+): expected at least one argument"), r"参数 \1 后面至少要有一个值"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), r"参数 \1 不能和 \2 同时使用"),
    (re.compile(r"argument (\S+): ignored explicit argument '(.*)'"), r"参数 \1 不带值（多了“\2”）"),
    (re.compile(r"ambiguous option: (\S+) could match (.+)"), r"选项 \1 不明确，可能是：\2"),
    (re.compile(r"argument (\S+): (.+)", re.S), r"参数 \1：\2"),  # the message of an ArgumentTypeError, ours in Chinese
]


def translate(message: str) -> str:
    """argparse's English error message in Chinese (unchanged when it is not one of the known ones)."""
    for pattern, chinese in _ERRORS:
        if pattern.fullmatch(message):
            return pattern.sub(chinese, message).replace("'", "")
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ArgumentParser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` speaking Chinese."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate(message)}\n")
