"""Recording sign-offs (三审三校) in a file's front matter, and what a document still needs.

:func:`set_signoff` edits the text itself: it finds the sign-off with the YAML parser's
marks and replaces only the characters of the values it sets (or inserts one line or one
``key: value`` pair), so comments, spacing, quoting and the order of every other field
stay exactly as the editor wrote them. The YAML is never re-dumped. The result is parsed
again and checked before a file is written.

``scripts/review`` is the command line over this module (:func:`main`).
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import hashlib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from . import dates
from .attachments import OUTSIDE, PdfCache, attachment_path, check_attachments
from .cli import ArgumentParser
from .digest import document_digest
from .frontmatter import BOM, StrictLoader, split
from .gate import PROOFREADS, REVIEWS, STEP_LABELS, Gate, beijing_now, signed_by, signers_for, step_value
from .issues import PortalError
from .model import STATUSES, attachment_file, build_document
from .vocab import DATA_DIR, STEPS, Vocab, load_vocab
from .wording import Matcher, check_document, load_matcher

ORDER = {name: i for i, name in enumerate(("by", "on", "digest", "result"))}
_PLAIN = re.compile(r"^[\w\u3400-\u9fff·.\-]+$")
_FLOW_SAFE = re.compile(r"^[\w\u3400-\u9fff·.\-/]+$")  # a path that stays one plain scalar inside {…}


class SignError(PortalError):
    """A sign-off that cannot be recorded; the message says why and what to do."""


@dataclass
class _Edit:
    start: int
    end: int
    text: str


def _scalar(value: str) -> str:
    if value.startswith("sha256:") or not _PLAIN.match(value) or value.lower() in ("true", "false", "null", "~") \
            or value.isdigit():
        return json.dumps(value, ensure_ascii=False)
    return value


def _flow(values: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in values.items()) + "}"


def _front_matter(text: str) -> tuple[int, int]:
    """Character offsets of the YAML between the ``---`` lines."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SignError("文件没有以 YAML 元数据块（---）开头")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
    if end is None:
        raise SignError("YAML 元数据块缺少结束的“---”行")
    start = len(lines[0]) + 1
    return start, start + sum(len(line) + 1 for line in lines[1:end])


def _find(mapping: yaml.MappingNode, key: str):
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _last_end(node) -> int:
    """Offset just after the last character of a node's text (block collections end early or late)."""
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _last_end(last[1] if isinstance(node, yaml.MappingNode) else last)
    return node.end_mark.index


def _line_after(yaml_text: str, offset: int) -> int:
    """Start of the line after the one ``offset`` is on (a block scalar ends at a line start already)."""
    if offset > 0 and yaml_text[offset - 1] == "\n":
        return offset
    nl = yaml_text.find("\n", offset)
    return len(yaml_text) if nl < 0 else nl + 1


def _pair(key: str, value: str) -> str:
    return f"{key}:{value}" if value.startswith("\n") else f"{key}: {value}"


def _insert(yaml_text: str, mapping: yaml.MappingNode, key: str, value: str, order: list[str]) -> _Edit:
    """Add ``key: value`` to a mapping, next to its siblings in ``order``."""
    if mapping.flow_style:
        if mapping.value:
            at = _last_end(mapping.value[-1][1])
            return _Edit(at, at, f", {_pair(key, value)}")
        at = mapping.start_mark.index + 1
        return _Edit(at, at, _pair(key, value))
    indent = mapping.value[0][0].start_mark.column
    rank = order.index(key) if key in order else len(order)
    later = [k for k, _ in mapping.value if k.value in order and order.index(k.value) > rank]
    line = " " * indent + _pair(key, value) + "\n"
    if later:
        at = later[0].start_mark.index - later[0].start_mark.column
        return _Edit(at, at, line)
    at = _line_after(yaml_text, _last_end(mapping.value[-1][1]))
    prefix = "" if at == 0 or yaml_text[at - 1] == "\n" else "\n"
    return _Edit(at, at, prefix + line)


def _nested(parts: list[str], values: dict[str, str], indent: int | None) -> str:
    """The value of ``parts[0]`` for a step whose parent is missing: ``{by: …}``, or
    ``\\n  final: {by: …}`` in block style (``indent`` of the parent) or ``{final: {by: …}}`` in flow style."""
    if len(parts) == 1:
        return _flow(values)
    if indent is None:
        return "{" + f"{parts[1]}: " + _nested(parts[1:], values, None) + "}"
    return "\n" + " " * (indent + 2) + f"{parts[1]}: " + _nested(parts[1:], values, indent + 2)


def _root_node(yaml_text: str):
    """The front matter as the YAML parser's node tree (with marks), None when empty."""
    loader = StrictLoader(yaml_text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        raise SignError(f"元数据不是合法的 YAML：{getattr(exc, 'problem', exc)}") from None
    finally:
        loader.dispose()


def _edit_front_matter(text: str, edits_of) -> str:
    """The file text with the edits ``edits_of(yaml_text, root node)`` makes to its front matter."""
    fm_start, fm_end = _front_matter(text)
    yaml_text = text[fm_start:fm_end]
    for edit in sorted(edits_of(yaml_text, _root_node(yaml_text)), key=lambda e: e.start, reverse=True):
        yaml_text = yaml_text[:edit.start] + edit.text + yaml_text[edit.end:]
    return text[:fm_start] + yaml_text + text[fm_end:]


def set_signoff(text: str, step: str, values: dict[str, str]) -> str:
    """The file text (LF line ends) with the sign-off ``step`` holding ``values``; nothing else changes."""
    return _edit_front_matter(text, lambda yaml_text, root: _edits(yaml_text, root, step.split("."), values))


def _edits(yaml_text: str, root, parts: list[str], values: dict[str, str]) -> list[_Edit]:
    if root is None:
        return [_Edit(len(yaml_text), len(yaml_text), _pair(parts[0], _nested(parts, values, 0)) + "\n")]
    node, depth = root, 0
    while True:
        if not isinstance(node, yaml.MappingNode):
            raise SignError(f"“{'.'.join(parts[:depth])}”不是“键: 值”的映射，无法自动签署，请先手工改正")
        found = _find(node, parts[depth])
        order = [s.split(".")[depth] for s in STEPS if s.split(".")[:depth] == parts[:depth] and "." in s] \
            if depth else ["review", "proofread", "secrecy"]
        if found is None:
            indent = None if node.flow_style else node.value[0][0].start_mark.column if node.value else 0
            return [_insert(yaml_text, node, parts[depth], _nested(parts[depth:], values, indent), order)]
        key, value = found
        if isinstance(value, yaml.ScalarNode) and value.value == "" and value.tag.endswith(":null"):
            lead = "" if yaml_text[value.start_mark.index - 1:value.start_mark.index].isspace() else " "
            new = _nested(parts[depth:], values, key.start_mark.column)
            if new.startswith("\n"):  # children go below the key line, after any comment on it
                at = yaml_text.find("\n", value.end_mark.index)
                at = len(yaml_text) if at < 0 else at
                return [_Edit(at, at, new)]
            return [_Edit(value.start_mark.index, value.end_mark.index, lead + new)]
        if depth == len(parts) - 1:
            return _set_values(yaml_text, value, values, parts)
        node, depth = value, depth + 1


def _set_values(yaml_text: str, mapping, values: dict[str, str], parts: list[str]) -> list[_Edit]:
    if not isinstance(mapping, yaml.MappingNode):
        raise SignError(f"“{'.'.join(parts)}”应写成“{{by: 姓名, on: 日期}}”，当前不是映射，请先手工改正")
    edits = []
    for key, value in values.items():
        found = _find(mapping, key)
        if found is None:
            edits.append(_insert(yaml_text, mapping, key, _scalar(value), list(ORDER)))
            continue
        old = found[1]
        if not isinstance(old, yaml.ScalarNode):
            raise SignError(f"“{'.'.join(parts)}.{key}”不是单个值，请先手工改正")
        lead = "" if old.start_mark.index != old.end_mark.index or \
            yaml_text[old.start_mark.index - 1:old.start_mark.index].isspace() else " "
        edits.append(_Edit(old.start_mark.index, old.end_mark.index, lead + _scalar(value)))
    return edits


# ---- files ---------------------------------------------------------------------------------

@dataclass
class Source:
    """A content file as bytes on disk: BOM and line ends are put back as they were."""

    path: Path
    text: str  # LF line ends, as written otherwise
    bom: bool
    ends: list[str]  # the end of each line of text on disk, "\r\n" or "\n" (the last line has none)

    @classmethod
    def read(cls, path: Path) -> "Source":
        data = path.read_bytes()
        bom = data.startswith(BOM)
        try:
            text = data[len(BOM) if bom else 0:].decode("utf-8")
        except UnicodeDecodeError:
            raise SignError("文件不是 UTF-8 编码，请先另存为 UTF-8") from None
        ends = ["\r\n" if line.endswith("\r") else "\n" for line in text.split("\n")[:-1]]
        return cls(path, text.replace("\r\n", "\n"), bom, ends)

    def write(self, text: str) -> None:
        text = _with_line_ends(self.text, text, self.ends)
        self.path.write_bytes((BOM if self.bom else b"") + text.encode("utf-8"))


def _with_line_ends(old: str, new: str, ends: list[str]) -> str:
    """``new`` (LF line ends), an edit of ``old`` (LF line ends), with the line ends ``old`` has on disk
    (``ends``): a line kept or changed keeps its own, an added line takes the file's commoner one. A file
    with some lines ending CRLF and some LF is written back with only the signed lines changed."""
    if "\r\n" not in ends:
        return new
    common = "\r\n" if ends.count("\r\n") >= ends.count("\n") else "\n"
    old_lines, new_lines = old.split("\n"), new.split("\n")
    new_ends = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag in ("equal", "replace"):  # a replaced line takes the end of the line it replaces
            new_ends += [ends[i] if i < min(i2, len(ends)) else common for i in range(i1, i1 + j2 - j1)]
        elif tag == "insert":
            new_ends += [common] * (j2 - j1)
    return "".join(line + end for line, end in zip(new_lines[:-1], new_ends)) + new_lines[-1]


def _parse(rel: str, text: str):
    parsed, issues = split(rel, unicodedata.normalize("NFC", text))
    if parsed is None:
        raise SignError("文件无法读取：" + "；".join(i.message for i in issues))
    return parsed


def check_signer(vocab: Vocab, step: str, by: str, on: dt.date | None = None) -> None:
    if step not in STEPS:
        raise SignError(f"没有“{step}”这个环节；可选：{'、'.join(STEPS)}")
    reviewer = vocab.reviewers.get(by)
    allowed = "、".join(signers_for(vocab, step, on)) or "（无，请先在 _data/reviewers.yml 中登记）"
    if reviewer is None:
        raise SignError(f"“{by}”不在审核人名册（_data/reviewers.yml）中，不能签署{STEP_LABELS[step]}（{step}）；"
                        f"可签署的人：{allowed}")
    if step not in reviewer.steps:
        raise SignError(f"“{by}”无权签署{STEP_LABELS[step]}（{step}）；可签署的人：{allowed}")
    if reviewer.left is not None and on is not None and on > reviewer.left:
        raise SignError(f"“{by}”已于 {reviewer.left} 离任（名册中的 left），不能在 {on} 签署；可签署的人：{allowed}")


def attachment_hashes(meta: dict, content_dir: Path) -> dict[int, str]:
    """Position in ``attachments`` -> SHA-256 (hex) of that attachment's file, for the final review
    to record; a :class:`SignError` when a file is missing (the final review approves it too)."""
    items = meta.get("attachments")
    hashes: dict[int, str] = {}
    for i, item in enumerate(items if isinstance(items, list) else []):
        file = item if isinstance(item, str) else item.get("file") if isinstance(item, dict) else None
        if not isinstance(file, str) or not file.strip():
            continue  # the content checks report it
        path = attachment_path(content_dir, attachment_file(file))
        if path is None:
            raise SignError(f"{OUTSIDE[0].format(file=file)}；{OUTSIDE[1]}，再签署终审")
        if not path.is_file():
            raise SignError(f"附件“{file}”不存在（{content_dir / attachment_file(file)}）：终审同时批准附件，"
                            "请先把附件放好（或改正 attachments 中的 file）再签署终审")
        hashes[i] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def set_attachment_hashes(text: str, hashes: dict[int, str]) -> str:
    """The file text with ``sha256`` set in the attachments at the given positions (a plain
    ``- path`` item becomes ``- {file: path, sha256: …}``); nothing else changes."""
    return _edit_front_matter(text, lambda yaml_text, root: _hash_edits(yaml_text, root, hashes))


def _hash_edits(yaml_text: str, root, hashes: dict[int, str]) -> list[_Edit]:
    found = _find(root, "attachments") if isinstance(root, yaml.MappingNode) else None
    if found is None or not isinstance(found[1], yaml.SequenceNode):
        raise SignError("attachments 不是列表，无法记录附件的 sha256，请先手工改正")
    items, edits = found[1].value, []
    for i, sha256 in hashes.items():
        item = items[i]
        if isinstance(item, yaml.MappingNode):
            edits += _set_values(yaml_text, item, {"sha256": sha256}, ["attachments", str(i)])
        else:
            start, end = item.start_mark.index, item.end_mark.index
            written = yaml_text[start:end]  # kept as written when it stays one plain scalar inside {…}
            file = written if _FLOW_SAFE.match(written) else json.dumps(item.value, ensure_ascii=False)
            edits.append(_Edit(start, end, f"{{file: {file}, sha256: {_scalar(sha256)}}}"))
    return edits


def _with_hashes(meta: dict, hashes: dict[int, str]) -> dict:
    items = list(meta["attachments"])
    for i, sha256 in hashes.items():
        items[i] = dict(items[i], sha256=sha256) if isinstance(items[i], dict) else {"file": items[i], "sha256": sha256}
    return dict(meta, attachments=items)


def sign_text(rel: str, text: str, step: str, by: str, on: dt.date, result: str | None = None,
              content_dir: Path | None = None) -> str:
    """The text with the sign-off recorded; for the final review, with the digest of the text and,
    when ``content_dir`` is given, the SHA-256 of each attachment (which the digest then covers)."""
    before = _parse(rel, text)
    if step == "review.final" and content_dir is not None:
        hashes = attachment_hashes(before.meta, content_dir)
        if hashes:
            hashed_text = set_attachment_hashes(text, hashes)
            hashed = _parse(rel, hashed_text)
            if hashed.meta != _with_hashes(before.meta, hashes) or hashed.body != before.body:
                raise SignError("无法在不改动其他内容的情况下写入附件的 sha256，请手工编辑")  # never write a damaged file
            text, before = hashed_text, hashed
    values = {"by": by, "on": on.isoformat()}
    if step == "review.final":
        values["digest"] = document_digest(before.meta, before.body)
    if step == "secrecy":
        current = step_value(before.meta, "secrecy")
        if result:
            values["result"] = result
        elif not (isinstance(current, dict) and current.get("result") and signed_by(current) == by):
            # the conclusion is the signer's own: another signer's is not carried over to a new one
            raise SignError("保密审查须写明结论：加上 --result 不涉密（或实际结论）")
    new = set_signoff(text, step, values)
    after = _parse(rel, new)
    signed = step_value(after.meta, step)
    if not isinstance(signed, dict) or any(str(signed.get(k)) != v for k, v in values.items()) \
            or _without(after.meta, step) != _without(before.meta, step) or after.body != before.body:
        raise SignError("无法在不改动其他内容的情况下写入签署，请手工编辑")  # never write a damaged file
    return new


def _hashes_note(rel: str, text: str, step: str) -> str:
    items = _parse(rel, text).meta.get("attachments") if step == "review.final" else None
    count = sum(1 for a in items if isinstance(a, dict) and a.get("sha256")) if isinstance(items, list) else 0
    return f"和 {count} 个附件的 sha256" if count else ""


def _without(meta: dict, step: str) -> dict:
    parent, _, leaf = step.rpartition(".")
    copy = dict(meta)
    if not parent:
        copy.pop(leaf, None)
    elif isinstance(copy.get(parent), dict):
        copy[parent] = {k: v for k, v in copy[parent].items() if k != leaf}
        if not copy[parent]:
            copy.pop(parent)
    elif copy.get(parent) is None:
        copy.pop(parent, None)
    return copy


def find_content_dir(path: Path) -> Path:
    for parent in path.resolve().parents:
        if (parent / DATA_DIR / "reviewers.yml").exists():
            return parent
    raise SignError(f"找不到 {path} 所在的内容目录（含 {DATA_DIR}/reviewers.yml）；请用 --content 指定")


def resolve(file: str, content: Path | None) -> Path:
    path = Path(file)
    if not path.exists() and content is not None and (content / file).exists():
        path = content / file  # the paths in check messages are relative to content/
    if not path.exists():
        raise SignError(f"{file}：文件不存在")
    return path


def relative(path: Path, content_dir: Path) -> str:
    try:
        return path.resolve().relative_to(content_dir.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# ---- status --------------------------------------------------------------------------------

def status_lines(rel: str, text: str, vocab: Vocab, matcher: Matcher, now: dt.datetime,
                 content_dir: Path | None = None) -> tuple[list[str], bool]:
    """What a document still needs before it may be published: (report lines, ready). With
    ``content_dir``, the attachments are read too (missing, unreadable, replaced after 终审)."""
    parsed, problems = split(rel, unicodedata.normalize("NFC", text))
    if parsed is None:
        return [f"{rel}：无法读取"] + [f"  - {i.format()}" for i in problems], False
    doc, found = build_document(parsed, vocab)
    if content_dir is not None:
        found += check_attachments(doc, content_dir, PdfCache(None))
    gate = Gate().check(doc, vocab, now, force=True)
    issues = [i for i in found + gate if i.is_error]
    wording, waived = check_document(replace(doc, status="published"), matcher)
    issues += [i for i in wording if i.is_error]
    out = [f"{rel}（{STATUSES.get(doc.status, doc.status)}）"]
    for step in STEPS:
        value = step_value(doc.meta, step)
        done = isinstance(value, dict) and value.get("by")
        mine = [i for i in issues if i.field == step or (step == "review.final" and _binds_attachment(i.field))]
        mark = "✓" if done and not mine else "✗"
        who = f"{value.get('by')} {value.get('on') or ''}".rstrip() if done else "未签署"
        out.append(f"  {mark} {STEP_LABELS[step]:<4} {step:<16} {who}")
    blocking = sorted(set(issues), key=lambda i: (i.line, i.col, i.field))
    out += [f"  - {i.format()}" for i in blocking]
    out += [f"  - {i.format()}" for i in gate + wording if not i.is_error]
    out += [f"  · 已豁免“{h.word}”（第 {h.line} 行，{h.waived_by}：{h.reason}）" for h in waived]
    out.append("  → 可以发布" if not blocking else f"  → 还需处理 {len(blocking)} 项")
    return out, not blocking


def unsigned_before(meta: dict, step: str) -> list[str]:
    """The steps of the same sequence (三审 or 三校) before ``step`` that nobody has signed."""
    for steps in (REVIEWS, PROOFREADS):
        if step in steps:
            return [s for s in steps[:steps.index(step)] if not signed_by(step_value(meta, s))]
    return []


def _binds_attachment(name: str) -> bool:
    """An issue with what the final review recorded for an attachment (``attachments.N.sha256``)."""
    return name.startswith("attachments.") and name.endswith(".sha256")


# ---- command line --------------------------------------------------------------------------

def _date(value: str) -> dt.date:
    try:
        return dates.parse_date(value)
    except dates.DateProblem as exc:
        raise argparse.ArgumentTypeError(f"日期{exc}") from None


def _parser() -> ArgumentParser:
    parser = ArgumentParser(prog="review", description="三审三校：记录签署，查看还缺什么。")
    parser.add_argument("--content", type=Path, help="内容目录（默认从文件位置向上查找含 _data/reviewers.yml 的目录）")
    sub = parser.add_subparsers(dest="command", required=True)
    sign = sub.add_parser("sign", help="记录一个环节的签署（终审同时写入文本摘要）")
    sign.add_argument("files", nargs="+", metavar="FILE")
    sign.add_argument("--step", required=True, choices=STEPS, help="环节：" + "、".join(f"{s}（{STEP_LABELS[s]}）" for s in STEPS))
    sign.add_argument("--by", required=True, metavar="NAME", help="签署人（须在名册中有该环节的权限）")
    sign.add_argument("--on", type=_date, metavar="DATE", help="签署日期 YYYY-MM-DD（默认今天）")
    sign.add_argument("--result", help="保密审查结论，例如 不涉密（仅 --step secrecy）")
    status = sub.add_parser("status", help="列出每个文件还缺哪些签署和问题")
    status.add_argument("files", nargs="+", metavar="FILE")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "sign":
        today = beijing_now().date()
        if args.on is not None and args.on > today:
            print(f"签署日期 {args.on} 晚于今天（北京时间 {today}）：签署只能记录已经完成的审核，不能预签", file=sys.stderr)
            return 2
        if args.result is not None and args.step != "secrecy":
            print(f"--result 只用于保密审查（--step secrecy），{args.step} 没有结论可写", file=sys.stderr)
            return 2
    content = args.content or (Path("content") if Path("content", DATA_DIR).is_dir() else None)
    code = 0
    for file in args.files:
        try:
            path = resolve(file, content)
            content_dir = args.content or find_content_dir(path)
            vocab, _ = load_vocab(content_dir)
            rel, source = relative(path, content_dir), Source.read(path)
            if args.command == "sign":
                on = args.on or beijing_now().date()
                check_signer(vocab, args.step, args.by, on)
                new = sign_text(rel, source.text, args.step, args.by, on, args.result, content_dir)
                if new != source.text:
                    source.write(new)
                print(f"{rel}：已记录{STEP_LABELS[args.step]}（{args.step}）{args.by} {on}"
                      + ("，并写入终审摘要" if args.step == "review.final" else "")
                      + _hashes_note(rel, new, args.step))
                unsigned = unsigned_before(_parse(rel, new).meta, args.step)
                if unsigned:
                    print(f"{rel}：注意：{STEP_LABELS[args.step]}之前的{'、'.join(STEP_LABELS[s] for s in unsigned)}"
                          f"还没有签署；{'三审' if args.step in REVIEWS else '三校'}须依次进行，请先完成前面的环节",
                          file=sys.stderr)
            else:
                lines, ready = status_lines(rel, source.text, vocab, load_matcher(content_dir)[0], beijing_now(),
                                            content_dir)
                print("\n".join(lines))
                code = code or (0 if ready else 1)
        except PortalError as exc:
            print(f"{file}：{exc.format_message()}", file=sys.stderr)
            code = exc.exit_code
    return code
