"""Problems found in content, and the one exception tree of the package.

Validation never raises: it returns a list of :class:`Issue`. Only a command
line decides to exit, by raising :class:`BuildError` (or a subclass) whose
``exit_code`` it passes to ``sys.exit``.
"""
from __future__ import annotations

import errno
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True, order=True)
class Issue:
    """One problem in one file: ``path:line: field: message (fix)``.

    ``col`` (1-based, 0 = unknown) is given where a check knows the column, e.g. a
    wording hit; gate issues carry the rule name in ``field``.
    """

    path: str
    line: int
    field: str
    message: str
    fix: str = ""
    severity: Severity = Severity.ERROR
    col: int = 0

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.line and self.col:
            where += f":{self.col}"
        return self._render(where, f"（{self.fix}）")

    def format_check(self) -> str:
        """``path:line:col: rule: message (建议: fix)``, the form of ``make check`` (col 1 when unknown)."""
        where = f"{self.path}:{self.line}:{self.col or 1}" if self.line else self.path
        return self._render(where, f" (建议: {self.fix})")

    def _render(self, where: str, fix: str) -> str:
        text = f"{where}: {self.field or '-'}: {self.message}"
        if self.fix:
            text += fix
        if self.severity is not Severity.ERROR:
            text += f" [{self.severity.label}]"
        return text

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "field": self.field,
            "severity": self.severity.value,
            "message": self.message,
            "fix": self.fix,
        }

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.is_error]


def sort_issues(issues: list[Issue]) -> list[Issue]:
    return sorted(set(issues), key=lambda i: (i.path, i.line, i.col, i.field, i.message))


class PortalError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code = 1

    def format_message(self) -> str:
        return str(self)


class ContentError(PortalError):
    """The content has errors; ``issues`` lists every one of them."""

    exit_code = 1

    def __init__(self, issues: list[Issue]):
        self.issues = sort_issues(issues)
        super().__init__(f"{len(errors(self.issues))} 个错误")

    def format_message(self) -> str:
        lines = [i.format() for i in self.issues]
        n_err = len(errors(self.issues))
        n_warn = len(self.issues) - n_err
        lines.append(f"共 {n_err} 个错误、{n_warn} 个警告；构建已停止，上一次成功生成的网站保持不变。")
        return "\n".join(lines)


class ConfigError(PortalError):
    """A problem with settings or a command line argument."""

    exit_code = 2


_OS_REASONS = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限",
               errno.EISDIR: "这是目录，不是文件", errno.ENOTDIR: "路径中有一段不是目录", errno.EIO: "磁盘读写出错"}


def os_reason(exc: OSError) -> str:
    """Why a file could not be read, in Chinese (the system's own message, which may be English, otherwise)."""
    return _OS_REASONS.get(exc.errno) or exc.strerror or str(exc)
