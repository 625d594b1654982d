"""Front matter of many file versions, fast: split into raw top-level entries, parse on demand.

A history of 14,000 documents in three versions is 42,000 front matter blocks, and the
YAML parser takes about a millisecond for each. The ledger needs only a few fields of
each version (status, 有效性, 更新说明, the final review) and which fields changed since
the previous version, so :func:`read` cuts the front matter into its top-level entries
with one regular expression, keeps each entry's raw text, and :meth:`Front.value` parses
one entry when asked: the plain subset of YAML the content model uses (``key: scalar``,
one-line flow lists and mappings, indented block mappings and ``- item`` lists, plain and
quoted scalars) in Python, anything else by the YAML parser. Unchanged entries compare
equal by their text without being parsed.

A file the splitter is not sure about (comments, tabs, a BOM, CR, NEL, LS or PS, non-NFC text,
a line that is neither a key nor indented, a "- " line that may go on with a plain value) is read whole by
:func:`govportal.frontmatter.parse_file`. Values are exactly what that parser returns
(tests compare the two on every file of the demo and of a generated corpus).
"""
from __future__ import annotations

import json
import re
import unicodedata
import functools
from dataclasses import dataclass, field

from ..frontmatter import StrictLoader, block_scalar_text, has_invisible, parse_file, split

_ENTRY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):(?= |$)(.*(?:\n(?:[ -].*|(?=\n)))*)", re.M)  # key, raw value
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$")
_FULLWIDTH = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_]*\s*：", re.M)
_FULLWIDTH_INDENT = re.compile(r"^ *\u3000", re.M)  # which the parser refuses, except in quoted or block text
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NESTED = re.compile(r"[\[\]{}]")
_QUOTED = frozenset("\"'[{|>")
_YAML_ONLY = re.compile(r"(?:^|[\s\[{,])[&*!][^\s,\]}]")  # anchors, aliases and tags span entries
_FLOW_INDICATOR = re.compile(r"[,\[\]{}:]")
_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"


_MISSING = object()


class _Unsupported(Exception):
    """A shape the quick reader does not handle: the YAML parser decides."""


@dataclass
class Front:
    """One file version: its front matter entries (raw text by key) and its body bytes."""

    entries: dict[str, str]
    body: bytes
    meta: dict | None = None  # the whole metadata, when the file was read by the YAML parser
    problem: str | None = None  # why the file cannot be read (then entries is empty)
    parsed: dict = field(default_factory=dict, repr=False)  # values parsed so far, by key
    raw: bytes = b""  # the front matter as split (quick reader only)
    lines: list[str] | None = field(default=None, repr=False)  # its lines (quick reader only)
    since: tuple[str, ...] | None = None  # entries whose text differs from the version read before (read_next)
    fields: dict = field(default_factory=dict, repr=False)  # the digest's JSON of each entry made so far, by key
    children: dict = field(default_factory=dict, repr=False)  # (key, child) -> value, as read by get()
    normal_body: bytes | None = field(default=None, repr=False)  # the body as the digest hashes it, once worked out

    def value(self, key: str, default=None):
        if self.meta is not None:
            return self.meta.get(key, default)
        if key in self.parsed:
            return self.parsed[key]
        raw = self.entries.get(key)
        if raw is None:
            return default
        try:
            value = _entry_value(raw)
        except _Unsupported:  # the file's parser reads the entry alone, converting as it converts the file
            # with a line after it unless it ends the front matter: a block scalar (|) ends with that line break
            after = "#\n" if key != next(reversed(self.entries)) else ""
            parsed, issues = split("", f"---\n{key}:{raw}\n{after}---\n")
            if parsed is None:  # not valid YAML, so neither is the whole file: unreadable, as its parser says
                whole = split("", "---\n" + self.raw.decode("utf-8") + "---\n") if self.raw else (None, [])
                self.problem = (whole[1] if whole[0] is None and whole[1] else issues)[0].message
                return default
            value = parsed.meta.get(key)
        self.parsed[key] = value
        return value

    def get(self, dotted: str, default=None):
        """A nested value by its dotted path, e.g. ``review.final``."""
        first, _, rest = dotted.partition(".")
        if not rest:
            value = self.value(first)
        else:
            child, _, rest = rest.partition(".")
            value = self._child(first, child)
            for part in rest.split(".") if rest else ():
                value = value.get(part) if isinstance(value, dict) else None
        return default if value is None else value

    def _child(self, key: str, child: str):
        """One child of a block mapping read from its own line, without parsing its siblings."""
        found = self.children.get((key, child), _MISSING)
        if found is _MISSING:
            found = self.children[key, child] = self._read_child(key, child)
        return found

    def _read_child(self, key: str, child: str):
        raw = self.entries.get(key)
        if self.meta is None and key not in self.parsed and raw is not None and raw.startswith("\n "):
            indent = len(raw) - len(raw[1:].lstrip(" ")) - 1
            lines = _child_line(indent, child).findall(raw)
            if len(lines) == 1 and lines[0].strip():
                try:
                    return _scalar(lines[0].strip(), flow=False)
                except _Unsupported:
                    pass
        value = self.value(key)
        return value.get(child) if isinstance(value, dict) else None


def signoff_table(front: Front) -> tuple[tuple[tuple[str, str], ...], str] | None:
    """The sign-offs as ``scripts/review sign`` writes them, read by regular expressions: ((by, on) of
    every step in the order of :data:`~govportal.vocab.STEPS`, the secrecy review's result), for
    :func:`~govportal.gate.plainly_passes`. None for any other shape (names not in Chinese
    characters, other keys or order, comments …): then the entries are read as YAML. Kept on the front
    (the gate's own rules and the roster both ask)."""
    found = front.children.get(_TABLE, _MISSING)
    if found is _MISSING:
        found = front.children[_TABLE] = _signoff_table(front)
    return found


_TABLE = ("", "signoff_table")  # its key in Front.children (no entry has an empty name)


def _signoff_table(front: Front) -> tuple[tuple[tuple[str, str], ...], str] | None:
    if front.meta is not None:
        return None
    entries = front.entries
    review = _REVIEW.fullmatch(entries.get("review", ""))
    proofread = _PROOFREAD.fullmatch(entries.get("proofread", ""))
    secrecy = _SECRECY.fullmatch(entries.get("secrecy", ""))
    if review is None or proofread is None or secrecy is None:
        return None
    found = review.groups() + proofread.groups() + secrecy.groups()
    return tuple(zip(found[0:14:2], found[1:14:2])), found[14]


def _signed(step: str, then: str = "") -> str:
    """One step's line in a block mapping (aligned or not): by a name in Chinese characters (a plain
    scalar YAML reads as text) on a YYYY-MM-DD date (text too)."""
    return rf"\n  {step}: +\{{by: ({_HAN}), on: (\d{{4}}-\d{{2}}-\d{{2}}){then}\}}"


_HAN = "[\u3400-\u4dbf\u4e00-\u9fff·]+"
_REVIEW = re.compile(_signed("first") + _signed("second") + _signed("final", r'(?:, digest: "[^"\\\n]*")?'))
_PROOFREAD = re.compile(_signed("first") + _signed("second") + _signed("third"))
_SECRECY = re.compile(rf" +\{{by: ({_HAN}), on: (\d{{4}}-\d{{2}}-\d{{2}}), result: ({_HAN})\}}")


@functools.lru_cache(maxsize=256)
def _child_line(indent: int, child: str) -> re.Pattern:
    """The line of ``child:`` at ``indent`` in a block mapping, when no deeper line follows it."""
    return re.compile(rf"^ {{{indent}}}{re.escape(child)}:(.*)(?:\n(?! {{{indent + 1}}})|\Z)", re.M)


def read(path: str, data: bytes) -> Front:
    """The front matter entries and body of one file version (never raises)."""
    found = _split(data)
    if found is not None:
        return found
    parsed, issues = parse_file(path, data)
    if parsed is None:
        return Front({}, b"", None, issues[0].message if issues else "无法读取")
    entries = {str(k): json.dumps(v, ensure_ascii=False, sort_keys=True, default=str) for k, v in parsed.meta.items()}
    return Front(entries, parsed.body.encode("utf-8"), parsed.meta)


def _split(data: bytes) -> Front | None:
    if not data.startswith(b"---\n") or b"\r" in data:
        return None
    end = _closing(data)
    if end < 0:
        return None
    try:
        text = data[4:end].decode("utf-8").strip("\n")
    except UnicodeDecodeError:
        return None
    if _unsure(text):
        return None
    found = _ENTRY.findall(text)
    lines = text.split("\n")
    top_lines = len(lines) - text.count("\n ") - text.count("\n-") - lines.count("") if text else 0
    if len(found) != top_lines or text[:1] in (" ", "-"):
        return None  # a line that is neither a key nor indented
    entries = dict(found)
    if len(entries) != len(found):
        return None  # a duplicate key: the parser reports it
    for key, raw in found:
        if _plain_colon(raw) or "\n" in raw and _dash_continues(key, raw):
            return None  # ": " in a plain scalar, or "- " on its next line, which YAML refuses: the parser says where
    return Front(entries, _body(data, end), raw=data[4:end], lines=lines)


def _unsure(text: str) -> bool:
    """Whether front matter lines have what the splitter leaves to the YAML parser: comments,
    tabs, a key with a full-width colon, a full-width space in the indentation, anchors, aliases
    or tags, a character YAML alone reads as a line break or a BOM, text not in NFC (each a property
    of single lines: NFC does not reach across a line end)."""
    return ("#" in text or "\t" in text or ("：" in text and _FULLWIDTH.search(text) is not None)
            or has_invisible(text)  # line breaks to YAML only, a BOM: the parser refuses them
            or ("\u3000" in text and _FULLWIDTH_INDENT.search(text) is not None)
            or (("&" in text or "*" in text or "!" in text) and _YAML_ONLY.search(text) is not None)
            or not unicodedata.is_normalized("NFC", text))


def _plain_colon(raw: str) -> bool:
    return ": " in raw and "\n" not in raw and raw.lstrip()[:1] not in _QUOTED


_DASH = re.compile(r"\n *-(?: |$)", re.M)  # a line of an entry starting with "- " or "-" alone
_HOLDER = re.compile(r"( *)((?:- +)*)([A-Za-z_][A-Za-z0-9_]*:(?: +|$))?(.*)")  # indentation, items, key, value


def _dash_continues(key: str, raw: str) -> bool:
    """Whether a line of an entry starting with "- " may be the next line of a plain value above it, which the
    file's parser refuses (title: 通知\n  - 甲): indented more than the key or item of the value on the line
    above, or below a line of text (which may go on with a value further up), or in brackets left open above
    it. Not an item under "key:" or "-", nor one at the column of the item above it, nor a line of a block
    scalar's text."""
    if _DASH.search(raw) is None:
        return False
    lines = f"{key}:{raw}".split("\n")
    text = block_scalar_text(lines) if "|" in raw or ">" in raw else ()
    above, depth = lines[0], 0  # the line above with something on it, the brackets open before it
    for i in range(1, len(lines)):
        line = lines[i]
        content = line.lstrip(" ")
        if not content:
            continue
        if "[" in above or "{" in above:
            depth += above.count("[") + above.count("{") - above.count("]") - above.count("}")
        if content[0] == "-" and content[1:2] in ("", " ") and i not in text and not above.endswith(":"):
            indent, items, named, value = _HOLDER.fullmatch(above).groups()
            column = len(line) - len(content)
            if depth > 0 or value.strip() and (column > len(indent) + len(items) if named else
                                               column > len(indent) + items.rstrip().rfind("-") if items else True):
                return True
        above = line
    return False


def _body(data: bytes, end: int) -> bytes:
    """What follows the closing ``---`` line at ``end``."""
    line_end = data.find(b"\n", end + 1)
    return data[line_end + 1:] if line_end >= 0 else b""


def read_next(path: str, data: bytes, previous: Front | None) -> Front:
    """The next version of a file read against the version before it (``previous``): only the
    lines that differ are looked at, when the front matter keeps its shape (the same number of
    lines, each entry on the same lines). Otherwise the file is read whole by :func:`read`.

    The result is what :func:`read` returns, with the values of the unchanged entries taken
    over (and their :attr:`Front.fields`) and :attr:`Front.since` naming the entries whose text
    changed, in the file's order."""
    if previous is None or previous.lines is None or previous.problem or not data.startswith(b"---\n"):
        return read(path, data)
    end = _closing(data)
    if end < 0 or b"\r" in data:
        return read(path, data)
    raw = data[4:end]
    if raw == previous.raw:
        return Front(previous.entries, _body(data, end), parsed=dict(previous.parsed), raw=raw, lines=previous.lines,
                     since=(), fields=dict(previous.fields))
    try:
        lines = raw.decode("utf-8").strip("\n").split("\n")
    except UnicodeDecodeError:
        return read(path, data)
    old = previous.lines
    if len(lines) != len(old):
        return read(path, data)
    differ = [i for i, (a, b) in enumerate(zip(old, lines)) if a != b]
    if _unsure("\n".join([lines[i] for i in differ])):
        return read(path, data)
    changed: dict[str, tuple[int, int]] = {}  # key -> (first line, end line) of each changed entry
    stop = 0  # the end of the last entry found: lines before it belong to it
    for i in differ:
        line = lines[i]
        if i >= stop:  # a line of an entry not met yet: find its first line and its end
            first = i
            while old[first][:1] in _CONTINUED:
                first -= 1  # the first line is never a continuation (read checked it)
            stop = i + 1
            while stop < len(old) and old[stop][:1] in _CONTINUED:
                stop += 1
            key = old[first][:old[first].index(":")]
            changed[key] = (first, stop)
            if first == i:  # the entry's first line: the same key
                match = _START.match(line)
                if match is None or match.group(1) != key:
                    return read(path, data)
                continue
        if line[:1] not in _CONTINUED:
            return read(path, data)  # a new top-level line
    entries = dict(previous.entries)
    for key, (first, stop) in changed.items():
        entries[key] = "\n".join(lines[first:stop])[len(key) + 1:]
        if _plain_colon(entries[key]) or _dash_continues(key, entries[key]):
            return read(path, data)
    parsed = {k: v for k, v in previous.parsed.items() if k not in changed}
    fields = {k: v for k, v in previous.fields.items() if k not in changed}
    return Front(entries, _body(data, end), parsed=parsed, raw=raw, lines=lines, since=tuple(changed), fields=fields)


_START = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?= |$)")
_CONTINUED = ("", " ", "-")  # how a line that continues an entry starts (blank, indented, a "- " item)


def _closing(data: bytes) -> int:
    """Offset of the closing ``---`` line (``---`` and nothing but spaces), -1 when there is none."""
    pos = 3
    while True:
        pos = data.find(b"\n---", pos)
        if pos < 0:
            return -1
        line_end = data.find(b"\n", pos + 4)
        rest = data[pos + 4:line_end if line_end >= 0 else len(data)]
        if not rest.strip(b" \t"):
            return pos + 1
        pos += 4


def _entry_value(raw: str):
    """The value of one top-level entry from its raw text (what follows ``key:``)."""
    raw = raw.rstrip()
    if "\n" not in raw:
        text = raw.strip()
        return _scalar(text, flow=False) if text else None
    head, _, rest = raw.partition("\n")
    lines = [line for line in rest.split("\n") if line.strip()]
    if head.strip() or not lines:
        raise _Unsupported
    value, end = _block(lines, 0, _indent(lines[0]))
    if end != len(lines):
        raise _Unsupported
    return value


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block(lines: list[str], i: int, indent: int):
    """A block mapping or sequence whose lines start at ``indent``; returns (value, next line)."""
    if lines[i][indent:].startswith("-"):
        return _sequence(lines, i, indent)
    out: dict = {}
    while i < len(lines) and _indent(lines[i]) == indent:
        content = lines[i][indent:]
        if content.startswith(("---", "...")):
            raise _Unsupported
        m = _KEY.match(content)
        if m is None or _resolve(m.group(1)) != _STR or m.group(1) in out:
            raise _Unsupported
        rest = (m.group(2) or "").strip()
        i += 1
        if rest:
            out[m.group(1)] = _scalar(rest, flow=False)
        elif i < len(lines) and (_indent(lines[i]) > indent or
                                 (_indent(lines[i]) == indent and lines[i][indent:].startswith("- "))):
            out[m.group(1)], i = _block(lines, i, _indent(lines[i]))
        else:
            out[m.group(1)] = None
    if i < len(lines) and _indent(lines[i]) > indent:
        raise _Unsupported  # a continuation line
    return out, i


def _sequence(lines: list[str], i: int, indent: int):
    out = []
    while i < len(lines) and _indent(lines[i]) == indent and lines[i][indent:].startswith("- "):
        item = lines[i][indent + 2:].strip()
        if not item or _KEY.match(item):
            raise _Unsupported  # nested blocks inside items
        out.append(_scalar(item, flow=False))
        i += 1
    if i < len(lines) and _indent(lines[i]) > indent:
        raise _Unsupported
    return out, i


def _scalar(text: str, flow: bool):
    first = text[0]
    if first == "[":
        return [_scalar(item, True) for item in _items(text, "[", "]")]
    if first == "{":
        out = _flow_mapping(text)
        if out is not None:
            return out
        out = {}
        for item in _items(text, "{", "}"):
            key, sep, value = item.partition(":")
            if not value.startswith(" "):
                raise _Unsupported  # "by:王敏" is one text to YAML, which the file's parser refuses
            key, value = key.strip(), value.strip()
            if not sep or not _KEY.fullmatch(key + ":") or _resolve(key) != _STR or key in out or not value:
                raise _Unsupported
            out[key] = _scalar(value, True)
        return out
    if first == '"':
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != '"' or "\\" in inner or '"' in inner:
            raise _Unsupported
        return inner
    if first == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            raise _Unsupported
        return inner.replace("''", "'")
    if first in _INDICATORS or text.endswith(":") or ": " in text or (flow and _FLOW_INDICATOR.search(text)):
        raise _Unsupported
    tag = _resolve(text)
    if tag == _STR:
        return text
    if tag == _BOOL:
        return text in ("true", "True", "TRUE")
    raise _Unsupported


def _flow_mapping(text: str) -> dict | None:
    """A one-line flow mapping of plain keys and plain or simple double-quoted strings, as the
    sign-off tool writes them (``{by: 赵刚, on: 2024-03-04, digest: "sha256:…"}``), by one
    regular expression; None for any other shape (then :func:`_scalar` takes it item by item)."""
    if text[-1] != "}":
        return None
    out, pos, inner = {}, 1, len(text) - 1
    for match in _PAIR.finditer(text, 1, inner):
        key, value, comma = match.groups()
        if match.start() != pos or (not comma and match.end() != inner) or key in out or _resolve(key) != _STR:
            return None
        if value[0] == '"':
            out[key] = value[1:-1]
        elif _resolve(value) == _STR and value[0] not in _INDICATORS:
            out[key] = value
        else:
            return None
        pos = match.end()
    return out if out and pos == inner and not comma else None


# key: value, then a comma or the end: the value double-quoted without escapes, or plain without
# flow indicators, colons or quotes (anything else goes the long way)
_PAIR = re.compile(r' *([A-Za-z_][A-Za-z0-9_]*): +("[^"\\\n]*"|[^\s"\'\[\]{},:]+(?: +[^\s"\'\[\]{},:]+)*) *(,)?')


@functools.lru_cache(maxsize=65536)
def _resolve(text: str) -> str:
    """The tag the YAML loader gives a plain scalar (str unless it looks like a bool, number or null)."""
    resolvers = StrictLoader.yaml_implicit_resolvers
    for tag, regexp in resolvers.get(text[0], []) + resolvers.get(None, []):
        if regexp.match(text):
            return tag
    return _STR


def _items(text: str, open_: str, close: str) -> list[str]:
    """The comma-separated items of a one-line flow collection (quotes and nesting respected)."""
    if text[-1] != close:
        raise _Unsupported
    inner = text[1:-1].strip()
    if not inner:
        return []
    if not _NESTED.search(inner):  # no brackets inside: commas split unless inside quotes
        items = [item.strip() for item in inner.split(",")]
        if all(item.count('"') % 2 == 0 and item.count("'") % 2 == 0 for item in items):
            if any(not item for item in items):
                raise _Unsupported
            return items
    items, depth, quote, start = [], 0, "", 0
    for pos, char in enumerate(inner):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth < 0:
                raise _Unsupported
        elif char == "," and depth == 0:
            items.append(inner[start:pos].strip())
            start = pos + 1
    if quote or depth:
        raise _Unsupported
    items.append(inner[start:].strip())
    if any(not item for item in items):
        raise _Unsupported
    return items
