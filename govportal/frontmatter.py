"""Split a content file into YAML front matter and Markdown body, strictly.

Every way a file can be unreadable is reported as an :class:`Issue` with a
line number; nothing is skipped silently. YAML is parsed with a loader that
keeps scalars as written: ``on``/``off``/``yes``/``no`` stay strings (``on:``
is a key in sign-off blocks) and dates stay text so that ``2024-02-30`` gets
a precise message instead of a parser crash.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from .issues import Issue, Severity

BOM = b"\xef\xbb\xbf"
_CLOSING = re.compile(r"^---[ \t]*$", re.M)


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser is ~10x faster


class StrictLoader(_BASE):
    """SafeLoader with YAML 1.2-like scalars: only true/false are booleans, no timestamps."""


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


_INDENT = ("缩进不一致：这一行与同一层的其他行没有对齐", "同一层的字段用同样多的空格缩进（通常是两个）")
_TAG = ("值以“!”开头，YAML 把它当成了类型标记", "给整个值加引号，例如 title: \"!重要通知\"")
_DIRECTIVE = ("这一行以“%”开头，YAML 把它当成了指令",
              "字段名只用英文字母、数字和下划线；以“%”开头的值加引号，例如 rate: \"%50\"")
_SEPARATOR = ("元数据中间有一行以“---”开头，YAML 把它当成了另一段元数据",
              "元数据只在最后用一行“---”结束；以“---”开头的值加引号")
_ALIAS = ("值以“*”或“&”开头，YAML 把它当成了别名或锚点", "给整个值加引号，例如 title: \"*重要*\"")

# PyYAML's problems in an editor's words: (problem starts with (libyaml's words, then PyYAML's own parser's,
# which reads where libyaml is not installed), context starts with or "", whether the line is where the
# construct began (the context mark) rather than where YAML gave up, the message, the fix). The first row
# that fits is taken: rows with a context come before rows for the same problem without one.
_YAML_PROBLEMS = (
    ("found unexpected end of stream", "while scanning a quoted scalar", True,
     "引号没有闭合（值以引号开头，却没有结束的引号）", "在值的末尾补上同样的引号，或去掉开头的引号"),
    (("found unexpected document indicator", "found unexpected document separator"), "", False, *_SEPARATOR),
    (("but found another document",), "expected a single document", False, *_SEPARATOR),
    ("could not find expected ':'", "while scanning a simple key", True,
     "这一行不是“字段: 值”的形式", "写成“字段: 值”：冒号用半角，冒号后加一个空格"),
    ("", "while scanning a directive", False, *_DIRECTIVE),
    (("found incompatible YAML document", "found duplicate %YAML directive", "found duplicate YAML directive",
      "found duplicate %TAG directive", "duplicate tag handle"), "", False, *_DIRECTIVE),
    ("found character", "", False,  # a Tab is said apart (yaml_problem)
     "这一行有 YAML 不允许的字符（值以 @、`、% 等开头）", "以特殊字符开头的值加引号，例如 title: \"@通知\""),
    ("mapping values are not allowed", "", False,
     "值里有“冒号加空格”，YAML 把它当成了新的字段", "给整个值加引号，例如 title: \"关于: 通知\""),
    ("mapping keys are not allowed", "", False, "值以“? ”开头，YAML 把它当成了字段名的标记",
     "给整个值加引号，例如 title: \"? 通知\""),
    (("block sequence entries are not allowed", "sequence entries are not allowed"), "", False,
     "值以“- ”开头，YAML 把它当成了列表项",
     "列表写成“[值1, 值2]”，或字段名后不写值、下一行起缩进两个空格写“- 值”；以“- ”开头的值加引号"),
    (("did not find expected ',' or ']'", "expected ',' or ']'"), "", True,
     "方括号列表没有结束（缺少“]”，或项之间缺少逗号）", "写成“[值1, 值2]”，在同一行内用“]”结束"),
    (("did not find expected ',' or '}'", "expected ',' or '}'"), "", True,
     "花括号没有结束（缺少“}”，或项之间缺少逗号）", "写成“{by: 姓名, on: 日期}”，在同一行内用“}”结束"),
    ("did not find expected key", "", False, *_INDENT),
    ("expected <block end>", "", False, *_INDENT),
    ("did not find expected '-' indicator", "", False, "缩进不一致：这一行与上面的列表项没有对齐",
     "列表的每一项以“- ”开头，缩进相同"),
    ("second occurrence", "found duplicate anchor", False, "值以“&”开头，YAML 把它当成了锚点，且与上面的锚点重名",
     "给以“&”开头的值加引号，例如 title: \"&通知\""),
    ("found undefined alias", "", False, *_ALIAS),
    (("did not find expected node content", "expected the node content"), "while parsing a block node", False,
     "值以“,”“]”“}”等符号开头", "给整个值加引号，例如 title: \"]通知\""),
    (("did not find expected node content", "expected the node content"), "", False,
     "花括号或方括号中该写值的地方是标点（多了逗号或冒号，或写了“#”注释）",
     "写成“{by: 姓名, on: 日期}”或“[值1, 值2]”：项之间只用一个逗号，注释写在括号之外"),
    ("found unexpected ':'", "", False, "方括号或花括号中的值含有冒号", "给这个值加引号，例如 [\"甲:乙\", 丙]"),
    (("did not find expected <document start>", "expected '<document start>'"), "", False,
     "元数据到这一行之前就读不下去了：上面有一行不是“字段: 值”的形式",
     "检查这一行和上一行：每行写成“字段: 值”，引号和括号在同一行内结束"),
    ("found unknown escape character", "", False, "双引号中的“\\”后面不是 YAML 认识的转义",
     "把“\\”写成“\\\\”，或改用单引号"),
    (("did not find expected hexdecimal number", "expected escape sequence of",
      "found invalid Unicode character escape code"), "", False,
     "双引号中的“\\x”“\\u”或“\\U”后面不是字符编码（十六进制数字）", "把“\\”写成“\\\\”，或改用单引号"),
    (("found an indentation indicator equal to 0", "expected indentation indicator in the range 1-9"), "", False,
     "“|”或“>”后面的缩进数字不能是 0", "删去这个数字，写成“summary: |”，正文从下一行起缩进两个空格"),
    ("", "while scanning a block scalar", False, "“|”或“>”之后同一行还有文字，YAML 把它当成了多行文字的标记",
     "以“|”或“>”开头的值加引号，例如 title: \">>通知\"；写多行文字时“|”单独放在行末，正文从下一行起缩进两个空格"),
    (("did not find expected alphabetic or numeric character", "expected alphabetic or numeric character"), "", False,
     *_ALIAS),
    ("", ("while scanning a tag", "while parsing a tag"), False, *_TAG),
    (("found undefined tag handle", "could not determine a constructor for the tag", "cannot construct",
      "failed to decode base64 data"), "", False, *_TAG),
    ("字段名必须是文字", "", False, "字段名必须是文字",
     "字段名写英文字母、数字和下划线，例如“title: …”；以“[”“{”或“? ”开头的值加引号"),
)


def yaml_problem(exc: yaml.YAMLError, text: str):
    """(mark, message, fix) for a YAML error in ``text``: in Chinese, at the line the editor has to change.
    A problem not foreseen says so in Chinese at its line, PyYAML's words in brackets for the developer."""
    if isinstance(exc, yaml.reader.ReaderError):
        return _control_character(exc, text)
    found = _LINE_BREAKS.search(text)
    if found is not None:  # YAML's lines are not the editor's from there on: the character is said first
        return _mark_at(text, found.start()), *_invisible(found.group(0))
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    slip = _text_after_quote(text, exc) or _text_after_bracket(text, exc)
    if slip is not None:
        return problem_mark, slip.message, slip.fix
    if problem.startswith(("found character", "found a tab character")) and problem_mark is not None:
        lines = text.split("\n")
        line = lines[problem_mark.line] if problem_mark.line < len(lines) else ""
        if "\t" in line[:len(line) - len(line.lstrip())]:
            return problem_mark, "这一行用了 Tab 缩进", "YAML 只能用空格缩进：把 Tab 换成两个空格"
        if "tab" in problem or text[problem_mark.index:problem_mark.index + 1] == "\t":
            return problem_mark, "这一行含有制表符（Tab）", "删除或换成空格"
    found = _misindented(text, problem, problem_mark)
    if found is not None:
        return problem_mark, *found
    for starts, in_context, at_start, message, fix in _YAML_PROBLEMS:
        if problem.startswith(starts) and context.startswith(in_context):
            return (context_mark if at_start and context_mark else problem_mark or context_mark), message, fix
    english = f"{problem}, {context}" if context else problem
    return (problem_mark or context_mark, f"这一行无法按 YAML 读取（{english}）",
            "检查这一行的缩进、冒号后的空格和引号是否成对；含冒号或#的值请加引号")


_MISALIGNED = ("did not find expected key", "expected <block end>", "did not find expected '-' indicator")


def _misindented(text: str, problem: str, mark) -> tuple[str, str] | None:
    """(message, fix) for a line indented more than a field before it (which YAML reads as that field's
    text until it meets “key: ”), or less than the text of a block scalar (| or >) above it."""
    if mark is None or mark.line == 0:
        return None
    lines = text.split("\n")
    if problem.startswith("mapping values are not allowed") and \
            re.fullmatch(r" +[A-Za-z_][A-Za-z0-9_]*", lines[mark.line][:mark.column]):
        return ("这一行比上面的字段缩进得多，YAML 把它当成了上一行的值的一部分",
                "同一层的字段用同样多的空格缩进（通常是两个）；下一层的字段写在不带值的“字段:”之下")
    if problem.startswith(_MISALIGNED) and mark.line in block_scalar_text(lines):
        return ("多行文字（“|”或“>”之后的各行）中，这一行比第一行缩进得少",
                "多行文字的每一行至少和第一行缩进得一样多；多行文字之后的字段与上面的字段对齐")
    return None


def _mark_at(text: str, at: int) -> yaml.Mark:
    """A YAML mark at character ``at`` of ``text`` (line and column counted at LF, as the editor counts them)."""
    return yaml.Mark("<unicode string>", at, text.count("\n", 0, at), at - text.rfind("\n", 0, at) - 1, None, None)


_DELETE_CHARACTER = "删除这个字符（常见于从别处复制来的文字）：在编辑器中删去这一处，重新输入"


def _control_character(exc: yaml.reader.ReaderError, text: str):
    """A control character, which YAML refuses before reading (its position counts bytes in libyaml)."""
    char = chr(exc.character) if isinstance(exc.character, int) else ""
    at = max(text.find(char), 0) if char else 0
    return (_mark_at(text, at), f"这一行有看不见的控制字符（U+{exc.character:04X}）" if char else "元数据中有看不见的控制字符",
            _DELETE_CHARACTER)


# Characters YAML reads as line breaks (NEL, LS, PS) where editors count lines at LF, CRLF and CR only (as
# this module does), and the byte order mark, which libyaml skips at the start of a line and PyYAML's own parser
# reads as text: all invisible, refused in the front matter at the line the editor sees
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")
_INVISIBLE = re.compile("[\x85\u2028\u2029\ufeff]")


def _invisible(char: str) -> tuple[str, str]:
    """(message, fix) for one of :data:`_INVISIBLE`."""
    if char == "\ufeff":
        return "这一行有看不见的字符（U+FEFF，字节顺序标记）", _DELETE_CHARACTER
    return (f"这一行有看不见的换行符（U+{ord(char):04X}），YAML 把它当作换行，与编辑器中的行不一致",
            _DELETE_CHARACTER + "；要换行就按回车")


def has_invisible(text: str) -> bool:
    """Whether ``text`` has a character of :data:`_INVISIBLE` (four quick looks, quicker than the pattern's)."""
    return "\x85" in text or "\u2028" in text or "\u2029" in text or "\ufeff" in text


def editor_line(text: str):
    """A function giving the line (1-based) of a YAML mark in ``text`` as the editor counts lines, at LF: YAML
    breaks lines at NEL, LS and PS too, which editors show as no line break (a YAML file that is read
    whole with one of them, a word list say, would have every later line number off)."""
    if _LINE_BREAKS.search(text) is None:
        return lambda mark: mark.line + 1
    ends = [found.start() for found in re.finditer("\n", text)]
    return lambda mark: bisect.bisect_left(ends, mark.index) + 1


def _invisible_slips(yaml_text: str) -> list[_Slip]:
    """One slip for each line with a character of :data:`_INVISIBLE`, named by the field it is in."""
    if not has_invisible(yaml_text):
        return []
    raw = yaml_text.split("\n")
    lines = [_INVISIBLE.sub("", line) for line in raw]
    slips = []
    for i, line in enumerate(raw):
        found = _INVISIBLE.search(line)
        if found is not None:
            field = _field_name(lines, i, len(_INVISIBLE.sub("", line[:found.start()])))
            slips.append(_Slip(i, field, *_invisible(found.group(0))))
    return slips


@dataclass
class Parsed:
    """A content file split into metadata and body, with line numbers."""

    path: str
    meta: dict
    body: str
    body_line: int  # 1-based line where the body starts
    lines: dict[str, int] = field(default_factory=dict)  # "review.final.by" -> line
    ends: dict[str, int] = field(default_factory=dict)  # "waivers" -> last line of a top-level list or mapping

    def line(self, name: str) -> int:
        """Line of a field, or of its nearest parent, or of the front matter start."""
        while name:
            if name in self.lines:
                return self.lines[name]
            name = name.rpartition(".")[0]
        return 1


def decode(path: str, data: bytes) -> tuple[str | None, list[Issue]]:
    """Bytes to NFC text with LF line ends; an Issue for binary or non-UTF-8 data."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    if b"\x00" in data[:8192]:
        return None, [Issue(path, 1, "文件", "这是二进制文件，不是 Markdown 文本",
                            "请确认文件内容；附件请放在 content/attachments/ 下，并在 attachments 字段中引用")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = ""
        try:
            data.decode("gb18030")
            guess = "（看起来是 GBK/GB18030 编码）"
        except UnicodeDecodeError:
            pass
        return None, [Issue(path, line, "编码", f"文件不是 UTF-8 编码{guess}，第 {line} 行有无法解码的字节",
                            "请用编辑器将文件另存为 UTF-8 编码，例如：iconv -f GB18030 -t UTF-8")]
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text, []


def split(path: str, text: str) -> tuple[Parsed | None, list[Issue]]:
    """Split text into front matter and body and parse the YAML."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.strip() != "---":
        return None, [Issue(path, 1, "元数据", "文件没有以 YAML 元数据块开头",
                            "第一行应为“---”，其后是 title、type 等字段，再以一行“---”结束")]
    close = _CLOSING.search(text, first_end + 1) if first_end >= 0 else None
    if close is None:
        return None, [Issue(path, 1, "元数据", "YAML 元数据块缺少结束的“---”行",
                            "在最后一个字段之后、正文之前加一行“---”")]
    yaml_text = text[first_end + 1:close.start()].rstrip("\n")
    body = text[close.end() + 1:]
    end = text.count("\n", 0, close.start())  # 0-based line index of the closing ---
    issues: list[Issue] = [slip.issue(path) for slip in _invisible_slips(yaml_text) or _line_slips(yaml_text)]
    if issues:
        return None, issues
    loader = None
    try:
        loader = StrictLoader(yaml_text)  # PyYAML's own reader refuses control characters here
        node = loader.get_single_node()
        parsed = Parsed(path, {}, body, end + 2)
        meta = _convert(loader, parsed, node, "", issues) if node is not None else {}
        if isinstance(node, yaml.MappingNode):
            parsed.ends = {k.value: _last_line(v, yaml_text) for k, v in node.value
                           if not isinstance(v, yaml.ScalarNode)}
        slip = _runs_over_field(node, yaml_text) if node is not None else None
        if slip is None and node is not None and "-" in yaml_text:
            slip = _dash_continuation(node, yaml_text)
        if slip is not None:
            return None, [slip.issue(path)]
    except yaml.YAMLError as exc:
        slip = _unclosed_quote(yaml_text) or _text_after_quote(yaml_text, exc) or _text_after_bracket(yaml_text, exc)
        if slip is not None:
            return None, [slip.issue(path)]
        mark, message, fix = yaml_problem(exc, yaml_text)
        line = (mark.line + 2) if mark else 1
        return None, [Issue(path, line, _error_field(yaml_text, mark, exc), f"元数据不是合法的 YAML：{message}", fix)]
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(meta, dict):
        return None, [Issue(path, 2, "元数据", "元数据应为“字段: 值”的映射",
                            "每行写一个字段，例如“title: 标题”")]
    parsed.meta = meta
    tab = _tab_refused(yaml_text)
    lines = yaml_text.split("\n")
    if tab is not None:
        issues.append(Issue(path, tab + 2, _field_name(lines, tab, lines[tab].find("\t")), "这一行含有制表符（Tab）",
                            "删除或换成空格", Severity.WARNING))
    for i, line in enumerate(lines):
        if "#" in line and _VALUE_COMMENT.match(line):
            issues.append(Issue(path, i + 2, _field_name(lines, i, re.search(r"\s#", line).start()),
                                "这一行“ #”之后的文字被当作 YAML 注释，不会发布",
                                "要保留这些文字，给整个值加引号，例如 summary: \"……#……\"", Severity.WARNING))
    return parsed, issues


@dataclass
class _Slip:
    """A mistake found on one line of the front matter (``line`` 0-based in the YAML text)."""

    line: int
    field: str
    message: str
    fix: str

    def issue(self, path: str) -> Issue:
        return Issue(path, self.line + 2, self.field, self.message, self.fix)


# A key at the start of a line or after "{" or "," in a flow mapping, followed by a full-width colon, or by a
# colon with no space after it: YAML reads "title：关于" and "title:关于" as one plain text, not a field, and
# complains (if at all) lines later. A colon before "/" is left alone (a URL on a line of its own).
_KEY_COLON = re.compile(r"(^[ \t\u3000]*|[{,] *)([A-Za-z_][A-Za-z0-9_]*)( *：|:(?=[^\s/]|\u3000))")
# indentation with a full-width space, which YAML takes as text, not indentation (before a key, an item or the
# next line of a value; in the text of a block scalar or of a value quoted over lines it is text)
_FULLWIDTH_INDENT = re.compile(r"^ *\u3000[ \u3000]*")
_NO_SPACE = re.compile(r":(?:[^ \n/0-9]|(?<=[A-Za-z_]:)[0-9])")  # not a time's (09:30) or a digest's colon
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'')
# a line whose value is a block scalar (| or >): the more indented lines after it are text, where anything goes
_BLOCK_SCALAR = re.compile(r"^ *(?:- +|[^#]*?: +)?[|>][-+1-9]{0,2} *(?:#.*)?$")


def _line_slips(yaml_text: str) -> list[_Slip]:
    """The mistakes YAML does not report at their line: a full-width colon after a key, no space after
    the colon, a full-width space in the indentation."""
    suspects = _suspect_lines(yaml_text)
    if not suspects:
        return []
    lines = yaml_text.split("\n")
    if "|" in yaml_text or ">" in yaml_text:
        suspects -= block_scalar_text(lines)
    slips = [slip for i in sorted(suspects) for slip in _slips_of_line(i, lines)]
    if slips and ('"' in yaml_text or "'" in yaml_text):
        inside = _quoted_text(yaml_text)
        slips = [slip for slip in slips if slip.line not in inside]
    return slips


def _suspect_lines(yaml_text: str) -> set[int]:
    """Indexes of the lines with what every slip has: a colon without a space after it, a full-width
    colon or space. Most lines have none, and looking for them is fast: the lines found are looked at."""
    found = {yaml_text.count("\n", 0, m.start()) for m in _NO_SPACE.finditer(yaml_text)}
    for char in "：\u3000":
        at = yaml_text.find(char)
        while at >= 0:
            found.add(yaml_text.count("\n", 0, at))
            at = yaml_text.find(char, at + 1)
    return found


def _slips_of_line(i: int, lines: list[str]) -> list[_Slip]:
    """The slips on line ``i``; quoted text is a value, whatever it holds."""
    plain = _blank_quoted(lines[i])
    slips = []
    indent = _FULLWIDTH_INDENT.match(plain)
    if indent is not None and indent.end() == len(plain):
        slips.append(_Slip(i, "YAML", "这一行只有全角空格", "删去这些全角空格"))
    elif indent is not None:
        key = re.match(r"[A-Za-z_][A-Za-z0-9_]*(?= *[:：])", plain[indent.end():])
        field = _field_name(lines, i, indent.end(), key.group(0) if key else "")
        slips.append(_Slip(i, field, "缩进中有全角空格", "改用半角空格"))
    for m in _KEY_COLON.finditer(plain):
        opened = _open_bracket(_flow_start(lines, i, m.start(2))[1])
        if opened == "[" or (m.group(1)[:1] in ("{", ",") and opened != "{"):
            continue  # an item of a list in brackets is a text (keywords: [甲, 乙：丙]), so is a comma in a plain text
        key = m.group(2)
        field = _field_name(lines, i, m.start(2), key)
        if m.group(3).endswith("："):
            slips.append(_Slip(i, field, "字段名后使用了全角冒号“：”", f"改为半角冒号加空格：“{key}: ”"))
        else:
            slips.append(_Slip(i, field, "冒号后缺少空格", f"写成“{key}: …”"))
    return slips


def _quoted_text(yaml_text: str) -> set[int]:
    """Indexes of the lines that go on with a value quoted on a line above (to the end, when its quote is
    not closed): they are its text, whatever they hold. A quote that runs over the start of a field was not
    closed where it was opened (:func:`_unclosed_quote`): the lines it runs over are not its text."""
    inside: set[int] = set()
    try:
        for token in yaml.scan(yaml_text, Loader=StrictLoader):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and not _runs_over_a_field(yaml_text, token):
                inside.update(range(token.start_mark.line + 1, token.end_mark.line + 1))
    except yaml.YAMLError as exc:
        if (getattr(exc, "context", None) or "").startswith("while scanning a quoted scalar") and exc.context_mark:
            inside.update(range(exc.context_mark.line + 1, yaml_text.count("\n") + 1))
    return inside


def _blank_quoted(line: str) -> str:
    """The line with the text inside its quotes blanked out (a quoted value may hold anything)."""
    return _QUOTED.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], line)


# a line of a block collection: its indentation (a full-width space counted as one, as the editor sees it),
# its "- " item marks, and its key
_BLOCK_LINE = re.compile(r"([ \u3000]*)((?:-(?: +|$))*)([A-Za-z_][A-Za-z0-9_]*(?= *[:：]))?")
_EMPTY_FIELD = re.compile(r" *[A-Za-z_][A-Za-z0-9_]* *: *(?:#.*)?$")  # "key:" with its value on the lines below
_FLOW_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*) *[:：]|[\[{\]},]")  # a key, a bracket or a comma in a line


def _field_name(lines: list[str], i: int, col: int, key: str = "") -> str:
    """The dotted name of ``key`` at column ``col`` of line ``i``, or of the value there, as the other errors
    name fields (review.final.by, attachments.0.title): the keys and ``- `` items it is indented under and
    the brackets open before it, on its line or above it. A list of texts is named as a whole (keywords)."""
    first, before = _flow_start(lines, i, col)
    parts = _block_parents(lines, first) + _flow_parents(before, naming_key=bool(key)) + ([key] if key else [])
    while parts and parts[-1].isdigit():
        parts.pop()
    return ".".join(parts) or _entry_key(lines, i) or "YAML"


def _flow_start(lines: list[str], i: int, col: int) -> tuple[int, str]:
    """(the line where the brackets open at column ``col`` of line ``i`` were opened, the text from its start to
    there): a list or mapping in brackets may go on over lines (attachments: [\n  {file: a.pdf},\n  {…}]), within
    a top-level entry (a line at the left edge is a new field to the editor, whatever brackets are left open)."""
    entry = next((k for k in range(i, -1, -1) if _at_left_edge(lines[k])), 0)
    if not any("[" in line or "{" in line for line in lines[entry:i]):
        return i, lines[i][:col]
    text = "\n".join(lines)
    at = len("\n".join(lines[:i])) + 1 + col
    opened = [token.start_mark for token in _before(text, _mark_at(text, at))[2]
              if token.start_mark.line >= entry]
    if not opened or opened[0].line == i:
        return i, lines[i][:col]
    return opened[0].line, text[opened[0].index - opened[0].column:at]


def _at_left_edge(line: str) -> bool:
    """Whether a line has something at the left edge (not blank, indented or a comment): a new entry to the editor."""
    return line[:1] not in ("", " ", "\t", "\u3000", "#")


def _entry_key(lines: list[str], i: int) -> str:
    """The top-level field whose entry holds line ``i``: the key of the nearest line at or above it that starts
    at the left edge, not with a "- " item ("" when that line is not a field's: a directive, a separator)."""
    for k in range(min(i, len(lines) - 1), -1, -1):
        line = lines[k]
        if _at_left_edge(line) and not re.match(r"-(?: |$)", line):
            key = re.match(r"[A-Za-z_][A-Za-z0-9_]*(?= *[:：])", line)
            return key.group(0) if key else ""
    return ""


def _error_field(yaml_text: str, mark, exc: yaml.YAMLError) -> str:
    """The field of a YAML error reported at ``mark``, as the other errors name fields: the dotted path of the
    value there, or the top-level field whose entry holds the line; "YAML" when there is none (past the last
    line). Reported where a bracket opened, it is named where YAML stopped on that line; in braces, a colon
    YAML stopped at is its key's ({file: b.pdf title: 乙}, a comma missing before “title”)."""
    lines = yaml_text.split("\n")
    if mark is None or mark.line >= len(lines):
        return "YAML"
    line, column, stop = lines[mark.line], mark.column, getattr(exc, "problem_mark", None)
    if stop is not None and stop.line == mark.line and stop.column > mark.column:
        column = stop.column
    if line[column:column + 1] == ":" and _in_braces(_flow_start(lines, mark.line, column)[1]):
        column += 1
    return _field_name(lines, mark.line, column)


def _open_bracket(before: str) -> str:
    """The innermost bracket ("[" or "{") open at the end of ``before`` (quoted text aside), "" when none."""
    stack = []
    for char in _BRACKET.findall(_blank_quoted(before)):
        if char in "[{":
            stack.append(char)
        elif stack:
            stack.pop()
    return stack[-1] if stack else ""


_BRACKET = re.compile(r"[\[\]{}]")


def _in_braces(before: str) -> bool:
    """Whether a flow mapping ({…}) is open at the end of ``before``."""
    plain = _blank_quoted(before)
    return plain.count("{") > plain.count("}")


def _block_parents(lines: list[str], i: int) -> list[str]:
    """The keys and item numbers of the block mappings and lists that line ``i`` is in."""
    m = _BLOCK_LINE.match(lines[i])
    parts, limit = _parents_on(lines, i, m, len(m.group(1)) + len(m.group(2)), own=True)
    for j in range(i - 1, -1, -1):
        if limit == 0:
            break
        m = _BLOCK_LINE.match(lines[j])
        if len(m.group(1)) < limit and lines[j].strip(" \u3000")[:1] not in ("", "#"):
            found, limit = _parents_on(lines, j, m, limit)
            parts = found + parts
    return parts


def _parents_on(lines: list[str], j: int, m: re.Match, limit: int, own: bool = False) -> tuple[list[str], int]:
    """(the key and the items of line ``j`` that hold what is at column ``limit`` below, the column left to
    look for their parents); a line's own key holds nothing of it."""
    parts = []
    if m.group(3) and not own and len(m.group(1)) + len(m.group(2)) < limit:
        parts, limit = [m.group(3)], len(m.group(1)) + len(m.group(2))
    for dash in reversed(list(re.finditer(r"-(?: +|$)", m.group(2)))):
        column = len(m.group(1)) + dash.start()
        if column < limit:
            number, key = _item_number(lines, j, column)
            parts, limit = [key, str(number)] + parts if key else [str(number)] + parts, column
    return parts, limit


def _item_number(lines: list[str], j: int, column: int) -> tuple[int, str]:
    """(the number of the "- " item at ``column`` of line ``j`` in its list, the key of the list when it is
    not indented under its key but at the key's column)."""
    number = 0
    for k in range(j - 1, -1, -1):
        m = _BLOCK_LINE.match(lines[k])
        if len(m.group(1)) > column or lines[k].strip(" \u3000")[:1] in ("", "#"):
            continue
        if len(m.group(1)) == column and m.group(2):
            number += 1
            continue
        indentless = len(m.group(1)) == column and _EMPTY_FIELD.match(lines[k])
        return number, m.group(3) if indentless else ""
    return number, ""


def _flow_parents(before: str, naming_key: bool) -> list[str]:
    """The keys and item numbers of the brackets open in ``before`` (the start of a line), and the key (or
    the item number) whose value follows it unless a key is being named."""
    stack: list[list] = []  # [name, number of the current item (None in a mapping)]
    pending = ""  # the key just read, whose value comes next
    named = False  # outside brackets the line's first key is its only one (title: 关于: 通知 is one text)
    for m in _FLOW_PART.finditer(_blank_quoted(before)):
        part = m.group(0)
        if m.group(1):
            if stack or not named:
                pending, named = m.group(1), True
            continue
        if part in "[{":
            in_list = bool(stack) and stack[-1][1] is not None
            stack.append([pending or (str(stack[-1][1]) if in_list else ""), 0 if part == "[" else None])
        elif not stack:
            continue  # a comma or a closing bracket in a text
        elif part in "]}":
            stack = stack[:-1]
        elif stack[-1][1] is not None:
            stack[-1][1] += 1
        pending = ""
    parts = [name for name, _ in stack if name]
    if not naming_key:
        parts += [pending] if pending else [str(stack[-1][1])] if stack and stack[-1][1] is not None else []
    return parts


def block_scalar_text(lines: list[str]) -> set[int]:
    """Indexes of the lines that are the text of a block scalar."""
    text, opened = set(), None  # opened: indentation of the line that opened a block scalar
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if opened is not None and (indent > opened or not line.strip()):
            text.add(i)
        else:
            opened = indent if ("|" in line or ">" in line) and _BLOCK_SCALAR.match(line) else None
    return text


# a line that starts a field: its indentation, and the key
_FIELD_START = re.compile(r"^( *)(?:- +)?([A-Za-z_][A-Za-z0-9_]*):(?: |$)", re.M)
_KEY_BEFORE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): *[\[{]? *$")  # the key whose value a quote opens


def _unclosed_quote(yaml_text: str) -> _Slip | None:
    """The first quoted value whose quote is not closed: YAML lets a quoted value go on over lines up
    to the next quote of its kind, reading the fields in between as its text, and complains (if at all)
    only where the text after that quote makes no sense, often at the end of the front matter. A quoted
    value that runs over the start of a field as little indented as its own line, or to the end, was
    not closed where it was opened."""
    try:
        for token in yaml.scan(yaml_text, Loader=StrictLoader):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and _runs_over_a_field(yaml_text, token):
                return _quote_slip(yaml_text, token.start_mark)
    except yaml.YAMLError as exc:
        if (getattr(exc, "context", None) or "").startswith("while scanning a quoted scalar") and exc.context_mark:
            return _quote_slip(yaml_text, exc.context_mark)
    return None


def _runs_over_a_field(yaml_text: str, token) -> bool:
    """Whether a quoted value (or one in brackets) runs over the start of a field as little indented as its own line."""
    return _field_run_over(yaml_text, token) is not None


def _field_run_over(yaml_text: str, token) -> re.Match | None:
    """The first start of a field as little indented as its own line that a value (a token or node) runs over."""
    start = token.start_mark
    if token.end_mark.line == start.line:
        return None
    line = yaml_text[start.index - start.column:].partition("\n")[0]
    indent = len(line) - len(line.lstrip(" "))
    return next((m for m in _FIELD_START.finditer(yaml_text, start.index, token.end_mark.index)
                 if len(m.group(1)) <= indent), None)


def _runs_over_field(node, yaml_text: str) -> _Slip | None:
    """The first quoted value or value in brackets that YAML read whole but that runs over the start of a
    field as little indented as its own line (title: "关于\nstatus: published"): its quote or bracket was
    not closed where it was opened, and the field below is not one (the quick reader of the history
    takes it as one, and so does the editor)."""
    found, nodes = None, [node]
    while nodes:
        node = nodes.pop()
        flow = isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.flow_style
        if not flow and isinstance(node, yaml.MappingNode):
            nodes.extend(n for pair in node.value for n in pair)
        elif not flow and isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
        elif (flow or node.style in ('"', "'")) and _runs_over_a_field(yaml_text, node) and \
                (found is None or node.start_mark.index < found.start_mark.index):
            found = node
    if found is None:
        return None
    if isinstance(found, yaml.ScalarNode):
        return _quote_slip(yaml_text, found.start_mark)
    mark = found.start_mark
    opening = yaml_text[mark.index]
    closing = "]" if opening == "[" else "}"
    over = _field_run_over(yaml_text, found).group(2)
    return _Slip(mark.line, _field_name(yaml_text.split("\n"), mark.line, mark.column),
                 f"括号没有闭合：值以“{opening}”开头，到下面的字段“{over}”之前没有结束的“{closing}”",
                 f"在这个值的末尾补上“{closing}”；值要分几行写时，后面各行比字段名多缩进两个空格")


def _quote_slip(yaml_text: str, mark) -> _Slip:
    quote = yaml_text[mark.index]
    field = _field_name(yaml_text.split("\n"), mark.line, mark.column)
    return _Slip(mark.line, field, f"引号没有闭合：值以 {quote} 开头，这一行没有结束的 {quote}",
                 f"在值的末尾补上 {quote}")


_FLOW_OPEN = (yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_FLOW_CLOSE = (yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _before(yaml_text: str, mark):
    """(the last token before ``mark``, the token that opened it when it closes brackets, the brackets open
    at ``mark``), as far as the text can be scanned."""
    last, opened, stack = None, None, []
    try:
        for token in yaml.scan(yaml_text, Loader=StrictLoader):
            if token.start_mark.index >= mark.index:
                break
            last, opened = token, None
            if isinstance(token, _FLOW_OPEN):
                stack.append(token)
            elif isinstance(token, _FLOW_CLOSE) and stack:
                opened = stack.pop()
    except yaml.YAMLError:
        pass
    return last, opened, stack


def _rest_of_value(yaml_text: str, at: int, in_flow: bool) -> str:
    """The text from ``at`` to the end of its value: the end of the line (without a comment), or in brackets
    the next comma or closing bracket."""
    rest = re.sub(r"\s+#.*", "", yaml_text[at:].partition("\n")[0])
    return re.match(r"[^,\]}]*" if in_flow else ".*", rest).group(0).rstrip()


def _key_of(yaml_text: str, mark) -> tuple[str, str]:
    """(field, "key: " for an example, when the value follows it directly) of the value at ``mark``."""
    field = _field_name(yaml_text.split("\n"), mark.line, mark.column)
    key = _KEY_BEFORE.search(yaml_text, mark.index - mark.column, mark.index)
    return field, f"{key.group(1)}: " if key and not key.group(0).rstrip().endswith(("[", "{")) else ""


def _text_after_quote(yaml_text: str, exc: yaml.YAMLError) -> _Slip | None:
    """Text after the closing quote of a quoted value, on its line (title: "关于"的通知): YAML ends the value
    at its second quote and gives up at the text after it, saying the indentation is wrong or a bracket is
    not closed."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None or yaml_text[mark.index:mark.index + 1] in ("", "\n", ",", "]", "}", ":", "#"):
        return None
    quoted, _, stack = _before(yaml_text, mark)
    if not isinstance(quoted, yaml.ScalarToken) or quoted.style not in ('"', "'") \
            or yaml_text[quoted.end_mark.index:mark.index].strip(" ") not in ("", "\n"):
        return None
    start = quoted.start_mark
    quote = yaml_text[start.index]
    field, example = _key_of(yaml_text, start)
    if quoted.end_mark.line != mark.line:  # the value goes on, indented, on the next line
        rest = _rest_of_value(yaml_text, mark.index, False)
        if stack or _FIELD_START.match(yaml_text, mark.index - mark.column):
            return None  # a comma missing between items, or a field indented too far
        return _Slip(mark.line, field, f"结束的引号 {quote} 之后，下一行还有文字“{rest}”：引号要括住整个值",
                     f"把结束的引号 {quote} 移到值的末尾")
    rest = _rest_of_value(yaml_text, quoted.end_mark.index, bool(stack))
    value = yaml_text[start.index:quoted.end_mark.index] + rest
    message = f"结束的引号 {quote} 之后还有文字“{rest.strip()}”：引号要括住整个值"
    if start.line != mark.line:  # a value quoted over lines: no one-line example
        return _Slip(mark.line, field, message, "值中的引号改用全角引号（“”或『』），或用单引号括住整个值")
    other, whole = ("单", "'" + value.replace("'", "''") + "'") if quote == '"' else ("双", _double_quoted(value))
    return _Slip(mark.line, field, message, f"值中的引号改用全角引号（“”或『』），例如 {example}“{quoted.value}”{rest}；"
                 f"或用{other}引号括住整个值，例如 {example}{whole}")


def _double_quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text_after_bracket(yaml_text: str, exc: yaml.YAMLError) -> _Slip | None:
    """Text after a value's closing bracket (title: [转载]关于……的通知, which YAML reads as a list and then
    text it has no place for), or a closing bracket too many or of the wrong kind."""
    mark = getattr(exc, "problem_mark", None)
    char = yaml_text[mark.index:mark.index + 1] if mark is not None else ""
    if char in ("", "\n", ",", ":", "#"):
        return None
    last, opened, stack = _before(yaml_text, mark)
    if char in "]}":
        if stack:
            want = "]" if isinstance(stack[-1], yaml.FlowSequenceStartToken) else "}"
            if char != want:
                opening, (field, _) = yaml_text[stack[-1].start_mark.index], _key_of(yaml_text, stack[-1].start_mark)
                return _Slip(mark.line, field, f"括号不成对：“{opening}”要用“{want}”结束，这里是“{char}”",
                             f"“[”配“]”，“{{”配“}}”：把“{char}”改为“{want}”，或改正前面的“{opening}”")
            return None
        if isinstance(last, _FLOW_CLOSE) and last.end_mark.line == mark.line:
            return _Slip(mark.line, _key_of(yaml_text, opened.start_mark)[0], f"多了一个“{char}”：前面没有与它成对的括号",
                         f"删去多余的“{char}”")
        return None
    if opened is None or last.end_mark.line != mark.line or yaml_text[last.end_mark.index:mark.index].strip(" "):
        return None
    rest = _rest_of_value(yaml_text, last.end_mark.index, bool(stack))
    close = yaml_text[last.start_mark.index]
    value = yaml_text[opened.start_mark.index:last.end_mark.index] + rest
    field, example = _key_of(yaml_text, opened.start_mark)
    return _Slip(mark.line, field,
                 f"“{close}”之后还有文字“{rest.strip()}”：值以“{yaml_text[opened.start_mark.index]}”开头，"
                 f"YAML 把括号中的部分读成了{'列表' if close == ']' else '映射'}",
                 f"给整个值加引号，例如 {example}{_double_quoted(value)}；"
                 "或把括号改为全角的【】或（）")


# a line (after the first) that starts with "- " or is "-" alone: a list item, or the next line of a plain value
_DASH_LINE = re.compile(r"\n[ \t]*-(?: |\n|$)")


def _dash_continuation(node, yaml_text: str) -> _Slip | None:
    """The first line starting with "- " that YAML reads as the next line of a plain (unquoted) value above it:
    title: 通知\n  - 甲 is the one text "通知 - 甲", where a list (or a field indented as wrongly) was meant."""
    dashes = [m.start() + 1 for m in _DASH_LINE.finditer(yaml_text)]
    if not dashes:
        return None
    found, nodes = None, [node]
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.MappingNode):
            nodes.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
        elif not node.style and node.end_mark.line != node.start_mark.line:  # plain: None, or "" in libyaml
            at = next((at for at in dashes if node.start_mark.index < at < node.end_mark.index), None)
            if at is not None and (found is None or at < found[0]):
                found = at, node
    if found is None:
        return None
    at, node = found
    field, example = _key_of(yaml_text, node.start_mark)
    value = node.value.replace("\n", " ")  # (a blank line above the "- " is a line break in it)
    value, quoted = (value, _double_quoted(value)) if len(value) <= 40 else (value[:40] + "……", '"……"')
    return _Slip(yaml_text.count("\n", 0, at), field,
                 f"续行以“- ”开头，看起来像列表项，YAML 却把它接在上面的值后面，读成了一段文字“{value}”",
                 "要写列表：字段名后不写值，下一行起每项一行、缩进两个空格写“- 值”，并检查缩进；"
                 f"“- ”是文字的一部分时，给整个值加引号，例如 {example}{quoted}")


def _tab_refused(yaml_text: str) -> int | None:
    """Line (0-based) of a Tab that PyYAML's own parser refuses where libyaml reads it as a space (after a
    value or between its words: title: 通知\t). Without libyaml the file would not be read at all, so it is
    pointed out wherever the check runs."""
    if "\t" not in yaml_text or _BASE is yaml.SafeLoader:
        return None  # without libyaml, the file was read by PyYAML's parser already
    try:
        yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None and yaml_text[mark.index:mark.index + 1] == "\t":
            return mark.line
    return None


# a plain (unquoted) value followed on its line by " #": YAML drops the rest of the line as a comment
_VALUE_COMMENT = re.compile(r"\s*(?:- +|[A-Za-z_][A-Za-z0-9_]*: +)(?![\"'\[{|>#])[^#\n]*?\S\s+#")


_STR = "tag:yaml.org,2002:str"


def _convert(loader, parsed: Parsed, node, prefix: str, issues: list[Issue]):
    """Node tree to Python values in one walk, recording the line of every field.

    Also reports duplicate keys, which YAML would otherwise resolve silently to the last.
    """
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else construct(loader, node)
    if isinstance(node, yaml.SequenceNode):
        out = []
        for i, item in enumerate(node.value):
            name = f"{prefix}{i}"
            parsed.lines[name] = item.start_mark.line + 2
            out.append(_convert(loader, parsed, item, name + ".", issues))
        return out
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(None, None, "字段名必须是文字", key_node.start_mark)
            key = key_node.value if key_node.tag == _STR else str(construct(loader, key_node))
            name = f"{prefix}{key}"
            line = key_node.start_mark.line + 2
            if key in result:
                issues.append(Issue(parsed.path, line, name, f"字段重复出现（第 {parsed.lines[name]} 行已有）",
                                    "删除其中一个，只保留正确的值"))
            parsed.lines[name] = line
            result[key] = _convert(loader, parsed, value_node, name + ".", issues)
        return result
    return construct(loader, node)


def _last_line(node, yaml_text: str) -> int:
    """The line of the last character of a value: a block mapping or list ends with its last item, not
    where YAML marks its end (the next field, below any blank lines and comments)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    end = node.end_mark
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        # a block scalar ends below the blank lines after its text (its line breaks, which YAML drops unless
        # kept with "+"): its last line is the last with text, or the line of "|" when it has none
        return yaml_text.count("\n", 0, len(yaml_text[:end.index].rstrip(" \n"))) + 2
    return end.line + 2 - (end.column == 0 and end.line > node.start_mark.line)


def construct(loader, node):
    """The value of a node, as ``loader.construct_object``; a tag that cannot make its value
    (title: !!int 通知) is a YAML error, not Python's."""
    try:
        return loader.construct_object(node, deep=True)
    except _CANNOT_MAKE as exc:
        loader.recursive_objects.clear()  # left as they were when the error stopped the construction
        bad = _cannot_make(loader, node) or node
        raise yaml.constructor.ConstructorError(None, None, f"cannot construct {bad.tag} ({exc})",
                                                bad.start_mark) from exc


_CANNOT_MAKE = (ValueError, TypeError, AttributeError, OverflowError)


def _cannot_make(loader, node):
    """The first scalar under ``node`` whose tag cannot make its value (for its line)."""
    if isinstance(node, yaml.ScalarNode):
        try:
            loader.construct_object(node)
        except _CANNOT_MAKE:
            return node
        return None
    children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
    for child in children:
        bad = _cannot_make(loader, child)
        if bad is not None:
            return bad
    return None


def parse_file(path: str, data: bytes) -> tuple[Parsed | None, list[Issue]]:
    text, issues = decode(path, data)
    if text is None:
        return None, issues
    return split(path, text)
