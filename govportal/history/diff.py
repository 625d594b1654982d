"""What changed between two versions of a document: metadata fields and the text, with difflib.

The text is compared paragraph by paragraph (a Markdown line is a paragraph, a list item or
a table row), and a paragraph that was edited is compared character by character, the
natural unit of Chinese text. The result is plain data: the site renders it with
``<ins>``/``<del>``, ``scripts/audit`` as ``[-…-]{+…+}`` lines.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..dates import DateProblem, chinese_date, parse_datetime
from ..digest import EXCLUDED
from ..model import STATUSES
from .ledger import FIELD_LABELS

CONTEXT = 2  # unchanged paragraphs shown around a change
SHOWN_EXCLUDED = ("status", "withdrawal")  # not in the approval digest, but what the public sees


@dataclass
class FieldChange:
    name: str
    label: str
    old: str  # "" when the field was absent
    new: str


@dataclass
class Line:
    """One paragraph of the diff: ``kind`` equal | added | removed | changed | skipped."""

    kind: str
    segments: list[tuple[str, str]] = field(default_factory=list)  # (equal | ins | del, text)
    skipped: int = 0  # for kind skipped: how many unchanged paragraphs are not shown

    @property
    def text(self) -> str:
        return "".join(t for op, t in self.segments if op != "ins")


# the keys inside the mappings a reader sees in a diff (撤回信息, 附件), by field
PART_LABELS = {"withdrawal": {"on": "撤回日期", "by": "决定人", "reason": "撤回原因"},
               "attachments": {"file": "文件", "title": "名称", "sha256": "校验值"}}


def show(value, name: str = "", on_page: bool = False) -> str:
    """A metadata value of the field ``name`` as a reader sees it (in Chinese: 状态 已发布, not published);
    ``on_page``: dates as pages write them (2024年3月5日), else as written (ISO, for the auditors' terminal)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "；".join(show(v, name, on_page) for v in value)
    if isinstance(value, dict):
        labels = PART_LABELS.get(name, {})
        return "，".join(f"{labels.get(str(k)) or FIELD_LABELS.get(str(k), k)}：{show(v, f'{name}.{k}', on_page)}"
                        for k, v in value.items())
    if name == "status":
        return STATUSES.get(str(value), str(value))
    if on_page and name in DATE_FIELDS:
        return _page_date(str(value))
    return str(value)


DATE_FIELDS = frozenset(("date", "written", "effective", "expires", "opens", "closes", "withdrawal.on"))


def _page_date(text: str) -> str:
    """2024-03-05 as 2024年3月5日 (09:30 kept after it); anything else as written."""
    try:
        when = parse_datetime(text)
    except DateProblem:
        return text
    return chinese_date(when) + (f" {when:%H:%M}" if len(text.strip()) > 10 else "")


def meta_changes(old: dict, new: dict, on_page: bool = False) -> list[FieldChange]:
    """Fields of the approval digest (and status, withdrawal) whose value differs, in the new file's order;
    ``on_page``: values shown as :func:`show` shows them on pages."""
    names = [k for k in new if k not in old or old[k] != new[k]] + [k for k in old if k not in new]
    out = []
    for name in names:
        if name in EXCLUDED and name not in SHOWN_EXCLUDED:
            continue
        before, after = show(old.get(name), name, on_page), show(new.get(name), name, on_page)
        if before != after:
            out.append(FieldChange(name, FIELD_LABELS.get(name, name), before, after))
    return out


def _paragraphs(body: str) -> list[str]:
    return [line.rstrip() for line in body.strip("\n").split("\n") if line.strip()]


def text_diff(old: str, new: str, context: int = CONTEXT) -> list[Line]:
    """The paragraphs of ``new`` against ``old``: changes with ``context`` unchanged ones around them."""
    a, b = _paragraphs(old), _paragraphs(new)
    lines: list[Line] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            lines.extend(Line("equal", [("equal", p)]) for p in a[i1:i2])
        elif tag == "replace" and i2 - i1 == j2 - j1:
            lines.extend(Line("changed", inline_diff(x, y)) for x, y in zip(a[i1:i2], b[j1:j2]))
        else:
            lines.extend(Line("removed", [("del", p)]) for p in a[i1:i2])
            lines.extend(Line("added", [("ins", p)]) for p in b[j1:j2])
    return _collapse(lines, context)


def inline_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level segments of one edited paragraph."""
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("equal", old[i1:i2]))
        else:
            if i2 > i1:
                out.append(("del", old[i1:i2]))
            if j2 > j1:
                out.append(("ins", new[j1:j2]))
    return out


def _collapse(lines: list[Line], context: int) -> list[Line]:
    """Unchanged runs far from any change become one ``skipped`` line."""
    near = set()
    for i, line in enumerate(lines):
        if line.kind != "equal":
            near.update(range(i - context, i + context + 1))
    out: list[Line] = []
    for i, line in enumerate(lines):
        if line.kind != "equal" or i in near:
            out.append(line)
        elif out and out[-1].kind == "skipped":
            out[-1].skipped += 1
        else:
            out.append(Line("skipped", skipped=1))
    return out


def as_text(changes: list[FieldChange], lines: list[Line]) -> list[str]:
    """The diff for a terminal: metadata as ``字段：旧 → 新``, text with ``[-删除-]{+新增+}``."""
    out = [f"  {c.label}：{c.old or '（无）'} → {c.new or '（无）'}" for c in changes]
    for line in lines:
        if line.kind == "skipped":
            out.append(f"  ……（{line.skipped} 段未改动）")
            continue
        mark = {"equal": " ", "added": "+", "removed": "-", "changed": "~"}[line.kind]
        text = "".join(t if op == "equal" else (f"[-{t}-]" if op == "del" else f"{{+{t}+}}")
                       for op, t in line.segments)
        if line.kind in ("added", "removed"):
            text = line.segments[0][1]
        out.append(f"  {mark} {text}")
    return out
