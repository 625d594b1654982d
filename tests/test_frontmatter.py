"""The front matter reader never crashes and never loses a problem, whatever the bytes."""
from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from govportal.frontmatter import parse_file, split, yaml_problem


@given(st.binary(max_size=400))
def test_any_bytes_give_a_result_or_an_issue(data):
    parsed, issues = parse_file("x.md", data)
    assert parsed is not None or issues
    for issue in issues:
        assert issue.path == "x.md" and issue.line >= 1 and issue.message


KEYS = st.sampled_from(["title", "type", "summary", "keywords", "date", "on", "off", "yes", "no"])
VALUES = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20)


@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_quoted_values_round_trip_and_lines_are_recorded(meta):
    lines = ["---"] + [f"{k}: {json_quote(v)}" for k, v in meta.items()] + ["---", "正文"]
    parsed, issues = split("x.md", "\n".join(lines))
    assert issues == []
    assert parsed.meta == meta
    for i, key in enumerate(meta):
        assert parsed.lines[key] == i + 2
    assert parsed.body == "正文" and parsed.body_line == len(meta) + 3


def json_quote(value: str) -> str:
    import json
    return json.dumps(value, ensure_ascii=False)


def test_yaml_one_one_traps_are_kept_as_text():
    parsed, issues = split("x.md", "---\nreview:\n  first: {by: 王敏, on: 2024-03-02}\nflag: yes\ndate: 2024-02-30\n---\n正文")
    assert issues == []
    assert parsed.meta == {"review": {"first": {"by": "王敏", "on": "2024-03-02"}}, "flag": "yes",
                           "date": "2024-02-30"}
    assert parsed.lines["review.first.on"] == 3


def test_crlf_and_nfd_are_normalised():
    parsed, _ = parse_file("x.md", "---\r\ntitle: Cafe\u0301\r\n---\r\n正文\r\n".encode("utf-8"))
    assert parsed.meta["title"] == "Caf\u00e9"
    assert parsed.body == "正文\n"


PARSERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.mark.parametrize("text, line, message", [
    ("title: 通知\t\ntype: policy", 0, "这一行含有制表符（Tab）"),
    ("title: 通知\t# 注释\ntype: policy", 0, "这一行含有制表符（Tab）"),
    ("keywords: [营商环境,\t市场主体]\ntype: policy", 0, "这一行含有制表符（Tab）"),
    ("title: 通知\n\ttype: policy", 1, "这一行用了 Tab 缩进"),
    ("summary: |\n\t全文", 1, "这一行用了 Tab 缩进"),
    ("title: @通知", 0, "这一行有 YAML 不允许的字符"),
    ("title: *重要*通知", 0, "值以“*”或“&”开头"),
    ('file: "C:\\附件"', 0, "双引号中的“\\”后面不是 YAML 认识的转义"),
    ("review:\n  final: {by: 赵刚,: on: 2024-03-04}", 1, "花括号或方括号中该写值的地方是标点"),
    ("review:\n  final: {by: 赵刚, on: 2024-03-04\nstatus: draft", 1, "花括号没有结束"),
    ("keywords: [营商环境, 市场主体\nstatus: draft", 0, "方括号列表没有结束"),
    ("- 甲\ntitle: 通知", 1, "缩进不一致"),
    ('title: "关于"的通知', 0, '结束的引号 " 之后还有文字“的通知”：引号要括住整个值'),
    ("title: '关于' 的通知", 0, "结束的引号 ' 之后还有文字“的通知”：引号要括住整个值"),
    ('review:\n  final: {by: "王敏"x, on: 2024-03-05}', 1, '结束的引号 " 之后还有文字“x”'),
    ('keywords: [营商环境, "市场"主体]', 0, '结束的引号 " 之后还有文字“主体”'),
    ('keywords:\n  - "市场"主体', 1, '结束的引号 " 之后还有文字“主体”'),
    ('summary: "从市场准入等方面"\n  提出22条措施。\ntype: policy', 1, '结束的引号 " 之后，下一行还有文字“提出22条措施。”'),
    # unbalanced brackets
    ("keywords: [营商环境, 市场主体]]", 0, "多了一个“]”"),
    ("review:\n  final: {by: 赵刚, on: 2024-03-04}}", 1, "多了一个“}”"),
    ("keywords: [营商环境, 市场主体}", 0, "括号不成对：“[”要用“]”结束，这里是“}”"),
    ("title: [转载]关于印发的通知", 0, "“]”之后还有文字“关于印发的通知”：值以“[”开头"),
    # an indicator at the start of a value
    ("keywords: - 营商环境", 0, "值以“- ”开头，YAML 把它当成了列表项"),
    ("title: ? 通知", 0, "值以“? ”开头"),
    ("title: ,通知", 0, "值以“,”“]”“}”等符号开头"),
    ("title: !紧急通知", 0, "值以“!”开头，YAML 把它当成了类型标记"),
    ("title: !x!y 通知", 0, "值以“!”开头"),
    ("title: *abc", 0, "值以“*”或“&”开头"),
    ("title: &a 通知\nsummary: &a 通知", 1, "值以“&”开头"),
    ("title: 通知\n%完成率: 90", 1, "这一行以“%”开头，YAML 把它当成了指令"),
    ("%YAML 2.0\ntitle: 通知", 0, "这一行以“%”开头"),
    ("title: 通知\n--- 附件", 1, "元数据中间有一行以“---”开头"),
    # block scalars
    ("summary: |0\n  从市场准入", 0, "“|”或“>”后面的缩进数字不能是 0"),
    ("summary: |从市场准入", 0, "“|”或“>”之后同一行还有文字"),
    ("summary: > 注释\n  从市场准入", 0, "“|”或“>”之后同一行还有文字"),
    ("summary: |\n    从市场准入\n  提出措施\ntype: policy", 2, "多行文字（“|”或“>”之后的各行）中，这一行比第一行缩进得少"),
    # indentation, escapes, characters
    ("title: 通知\n  summary: 内容", 1, "这一行比上面的字段缩进得多"),
    ('title: "通知\\x"', 0, "双引号中的“\\x”“\\u”或“\\U”后面不是字符编码"),
    ('title: "\\u12"', 0, "双引号中的“\\x”“\\u”或“\\U”后面不是字符编码"),
    ("type: policy\ntitle: 通知\x01", 1, "这一行有看不见的控制字符（U+0001）"),
])
def test_yaml_problems_are_said_in_chinese_at_the_line_by_either_parser(text, line, message):
    """libyaml and PyYAML's own parser (which reads where libyaml is not installed) word their problems
    differently, and differ on Tabs: whichever refuses the text, the editor reads Chinese at the line."""
    refused = 0
    for parser in PARSERS:
        try:
            yaml.compose(text, Loader=parser)
            continue
        except yaml.YAMLError as exc:
            mark, said, _fix = yaml_problem(exc, text)
        refused += 1
        assert (mark.line, said[:len(message)]) == (line, message), parser
        assert not re.search(r"[a-z]{3,}", said), said  # no PyYAML words left
    assert refused


FRAGMENTS = st.sampled_from(list("[]{}\"'|>-?:%@!&*#,` \t") + ["- ", ": ", "---", "关于", "通知", "\\", "\\x", "0"])
LINE = st.builds("".join, st.lists(st.sampled_from(["", "  ", " ", "- ", "%", "title", "by", "review", ":", ": ", "："])
                                   | FRAGMENTS, min_size=1, max_size=8))


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=4).map("\n".join))
def test_every_problem_of_front_matter_like_text_is_foreseen_in_chinese(text):
    """Whatever either parser refuses in text made of keys, values and YAML's indicators, the message is one
    written for editors (the fallback, with PyYAML's English in brackets, is for what nobody foresaw)."""
    for parser in PARSERS:
        try:
            yaml.compose(text, Loader=parser)
        except yaml.YAMLError as exc:
            _mark, said, fix = yaml_problem(exc, text)
            assert not said.startswith("这一行无法按 YAML 读取") and fix, (parser, exc)
    parsed, issues = split("x.md", f"---\n{text}\n---\n正文\n")
    assert parsed is not None or issues


@pytest.mark.parametrize("text, line, message", [
    ("title: !!int 通知", 2, "值以“!”开头，YAML 把它当成了类型标记"),
    ("title: !!timestamp 昨天", 2, "值以“!”开头"),
    ("type: policy\ntitle: 通知\x07", 3, "这一行有看不见的控制字符（U+0007）"),
])
def test_a_value_yaml_cannot_make_or_read_is_an_issue_at_its_line(text, line, message):
    """(an explicit tag made the reader raise Python's own errors, not an issue)"""
    parsed, [issue] = split("x.md", f"---\n{text}\n---\n正文\n")
    assert parsed is None and issue.line == line and issue.message.startswith("元数据不是合法的 YAML：" + message)


def test_an_unforeseen_problem_is_said_in_chinese_at_its_line_with_the_english_after():
    exc = yaml.scanner.ScannerError("while scanning something new", None, "found a new problem",
                                    yaml.Mark("<unicode string>", 9, 1, 2, None, None))
    mark, said, fix = yaml_problem(exc, "title: a\n  b")
    assert (mark.line, said) == (1, "这一行无法按 YAML 读取（found a new problem, while scanning something new）")
    assert fix.startswith("检查这一行的缩进")


SPACED = st.text(alphabet=st.sampled_from(["\u3000", " ", "\n", "甲", "乙", "：", ":", "#", "a"]), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["title", "summary", "change_note"]), SPACED, min_size=1, max_size=3),
       st.sampled_from([None, '"', "'", "|"]))
def test_yaml_written_with_fullwidth_spaces_in_its_values_reads_back_without_a_slip(meta, style):
    """Full-width spaces anywhere in a value (at the start of a line of a quoted or block value too) are text."""
    if style == "|":
        meta = {k: v.strip(" \n") + "\n" for k, v in meta.items() if v.strip(" \n")}
    text = yaml.safe_dump(meta, allow_unicode=True, default_style=style, width=1000, sort_keys=False)
    parsed, issues = split("x.md", f"---\n{text}---\n正文\n")
    assert [i for i in issues if i.severity.value == "error"] == [], text
    assert {k: v.rstrip("\n") for k, v in parsed.meta.items()} == {k: v.rstrip("\n") for k, v in meta.items()}


ENTRY_TEXT = st.builds("".join, st.lists(FRAGMENTS | st.sampled_from(["by", "on", ":", " "]), min_size=1, max_size=6))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "review", "keywords"]), ENTRY_TEXT,
                          st.lists(st.tuples(st.sampled_from(["  ", "    ", " "]), ENTRY_TEXT), max_size=3)),
                min_size=1, max_size=3))
def test_a_yaml_problem_names_the_field_whose_entry_holds_its_line(entries):
    """Whatever YAML refuses in a field's lines, the problem is named by that field (or a field inside it), not
    by “YAML”: every line here is a field's first line or an indented line of it (“YAML” is left for the closing
    ---, where YAML finds what was not closed above it)."""
    lines = [line for key, first, more in entries for line in [f"{key}:{first}"] + [a + b for a, b in more]]
    parsed, issues = split("x.md", "---\n" + "\n".join(lines) + "\n---\n正文\n")
    for issue in issues:
        if issue.line == len(lines) + 2:
            assert issue.field == "YAML"
            continue
        holder = next(line for line in reversed(lines[:issue.line - 1]) if line[:1] not in (" ", ""))
        if re.match(r"[a-z]+:(?: |$)", holder):  # (title:"… is no field to YAML, but text of a value above)
            assert issue.field.split(".")[0] == holder.partition(":")[0], (issue, lines)


@pytest.mark.parametrize("text, line, field", [
    ("title: 关于: 通知", 2, "title"),
    ("title: by::", 2, "title"),  # (“by:” is text in the value, not a key)
    ("review:\n  first: a\n second: b", 4, "review"),
    ("review:\n  final: {by: 赵刚, on: 2024-03-04 digest: x}", 3, "review.final.digest"),
    ("attachments:\n  - {file: a.pdf title: 原文}", 3, "attachments.0.title"),
    ("attachments: [\n  {file: a.pdf, title: 甲},\n  {file: b.pdf title: 乙}]", 4, "attachments.1.title"),
    ("title: !!int 通知", 2, "title"),
    ("title: 通知\n%完成率: 90", 3, "YAML"),  # a directive, not a field
    ("title: 通知\n--- 附件", 3, "YAML"),  # another document
])
def test_yaml_problems_name_the_field_at_their_line_even_when_not_foreseen(monkeypatch, text, line, field):
    """Generic YAML problems named the field “YAML”: they name the field whose entry holds their line, by its dotted
    path when it is known. So does the fallback for problems nobody foresaw (every row's wording taken away)."""
    from govportal import frontmatter

    for problems in (frontmatter._YAML_PROBLEMS, ()):
        monkeypatch.setattr(frontmatter, "_YAML_PROBLEMS", problems)
        parsed, [issue] = split("x.md", f"---\n{text}\n---\n正文\n")
        assert (parsed, issue.line, issue.field) == (None, line, field), problems
        assert problems or issue.message.startswith("元数据不是合法的 YAML：这一行无法按 YAML 读取（")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["file", "title", "note"]), min_size=1, max_size=3, unique=True).flatmap(
    lambda keys: st.tuples(st.just(keys), st.integers(1, 4), st.data())))
def test_a_slip_in_brackets_written_over_lines_is_named_as_on_one_line(drawn):
    """A list or mapping in brackets may go on over lines: a slip on a later line is named by the items and keys
    of the brackets opened on the lines above (attachments.1.title), as when it is all on one line."""
    keys, count, data = drawn
    bad_item, bad_key = data.draw(st.integers(0, count - 1)), data.draw(st.sampled_from(keys))
    slip = data.draw(st.sampled_from(["：", "： ", ":"]))  # a full-width colon, or no space after the colon
    items = ["{" + ", ".join(f"{k}{slip if (i, k) == (bad_item, bad_key) else ': '}值{i}" for k in keys) + "}"
             for i in range(count)]
    parts = ["attachments: ["] + [item + ("," if i < count - 1 else "]") for i, item in enumerate(items)]
    breaks = data.draw(st.lists(st.booleans(), min_size=len(parts) - 1, max_size=len(parts) - 1))
    text = parts[0] + "".join(("\n  " if cut else " " if i else "") + part for i, (cut, part) in enumerate(zip(breaks, parts[1:])))
    parsed, [issue] = split("x.md", f"---\n{text}\n---\n正文\n")
    line = next(n for n, row in enumerate(text.split("\n"), start=2) if f"{bad_key}{slip}值{bad_item}" in row)
    assert (issue.line, issue.field) == (line, f"attachments.{bad_item}.{bad_key}"), text


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["|", "|-", "|+", ">", ">-", "|2", "| # 理由"]),
       st.lists(st.sampled_from(["引用原文", "", "第二行"]), max_size=3),
       st.lists(st.sampled_from(["", "  ", "      ", "# 注释"]), max_size=3), st.booleans())
def test_a_list_ending_with_a_block_scalar_ends_at_its_last_line_of_text(header, text, after, field_follows):
    """The blank lines below a block scalar (reason: |) are its line breaks to YAML, which drops them (keeps them
    with "+"); to the editor they are below the list, not its lines (the waivers' suggested line was off by them)."""
    lines = ["title: 通知", "waivers:", "  - word: 北朝鲜", f"    reason: {header}"] + \
        [f"      {row}" if row else "" for row in text] + after + (["change_note: 首次发布"] if field_follows else [])
    parsed, issues = split("x.md", "---\n" + "\n".join(lines) + "\n---\n正文\n")
    assert issues == []
    last = max(i for i, row in enumerate(lines[:4 + len(text)]) if row.strip())
    assert parsed.ends["waivers"] == last + 2, lines


INVISIBLE = st.sampled_from(["\x85", "\u2028", "\u2029", "\ufeff"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 40), INVISIBLE), min_size=1, max_size=3))
def test_a_character_yaml_alone_reads_as_a_line_break_is_said_at_the_editor_s_line(inserts):
    """NEL, LS and PS are line breaks to YAML, not to editors (lines are counted at LF, CRLF and CR here), and
    a BOM is skipped by libyaml at the start of a line only: each line with one is said at its line, with the
    field it is in, before YAML reads a line differently from the editor (or crashes the problem's wording)."""
    lines = ["title: 关于印发通知的通知", "keywords: [营商环境, 市场主体]", "review:", "  final: {by: 赵刚, on: 2024-03-04}",
             "summary: |", "  第一段", "attachments:", "  - {file: a.pdf, title: 原文}"]
    fields = ["title", "keywords", "review", "review.final", "summary", "summary", "attachments", "attachments.0"]
    for row, at, char in inserts:
        lines[row] = lines[row][:at] + char + lines[row][at:]
    parsed, issues = split("x.md", "---\n" + "\n".join(lines) + "\n---\n正文\n")
    rows = sorted({row for row, _, _ in inserts})
    assert parsed is None and [issue.line for issue in issues] == [row + 2 for row in rows]
    for row, issue in zip(rows, issues):
        assert issue.field.startswith(fields[row].split(".")[0]) and issue.message.startswith("这一行有看不见的")


@pytest.mark.parametrize("text", ["a: 1\u2028b: 2\nc: x: y\n", "a: [1,\x85 2\nc: 3\nd: e: f\n", "a: 1\n\u2029\u2029\u2029\nb: [\n"])
def test_a_line_break_only_yaml_reads_is_said_first_in_any_yaml_file_and_at_the_editor_s_line(text):
    """For the word lists and vocabularies too (whose problems are worded by yaml_problem): the mark's line was
    YAML's, and past the last line it crashed the wording."""
    for parser in PARSERS:
        try:
            yaml.compose(text, Loader=parser)
        except yaml.YAMLError as exc:
            mark, said, fix = yaml_problem(exc, text)
            assert mark.line == 0 if text.startswith("a: 1\u2028") or "\x85" in text else mark.line == 1
            assert said.startswith("这一行有看不见的换行符（U+") and fix.startswith("删除这个字符")


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_a_yaml_file_read_whole_with_a_line_break_only_yaml_reads_counts_lines_as_the_editor_does(char):
    """A word list or the roster that YAML reads whole may hold NEL, LS or PS in a text (pasted in): the lines of
    the entries below it are the editor's, not YAML's (which counts one more line for each)."""
    from govportal.vocab import read_reviewers
    from govportal.wording import wordlist_entries

    words = (f"- {{word: 攻府, category: 错别字, level: block, suggestion: 政{char}府}}\n"
             "- {word: 甲, level: block}\n- {word: 乙, level: bad, category: 别字}\n")
    entries, issues = wordlist_entries([("_data/wordlists/w.yml", words.encode())])
    assert [e.source for e in entries] == ["_data/wordlists/w.yml:1"]
    assert [(i.line, i.field) for i in issues] == [(2, "category"), (3, "level")]
    roster = f"- {{name: 王敏, unit: 办公室{char}综合科, steps: [review.first]}}\n- {{name: 李强, steps: [bogus]}}\n"
    _, issues = read_reviewers(roster.encode())
    assert [(i.line, i.field) for i in issues] == [(2, "steps")]


PLAIN_LINE = st.sampled_from(["乙", "乙 - 丙", "-乙", "乙-", "2024-03-05"])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([("title: ", "title", 0), ("review:\n  note: ", "review.note", 2), ("keywords:\n  - ", "keywords", 2),
                        ("keywords: [", "keywords", 0)]),
       st.lists(st.tuples(st.integers(1, 4), PLAIN_LINE | st.sampled_from(["- 乙", "-", "- "])), min_size=1, max_size=4),
       st.booleans())
def test_a_plain_value_going_on_with_a_dash_line_is_refused_at_that_line(start, more, blank):
    """title: 通知\n  - 甲 is the one text “通知 - 甲” to YAML: a list (or a field) was meant. A line that starts with
    "- " (or is "-") where YAML reads the next line of a plain value is an error at that line naming the field;
    other lines going on with the value are its text, and so is a "- " in quotes or in a block scalar."""
    head, field, indent = start
    rows = [" " * (indent + extra) + text for extra, text in more]
    lines = (head + "通知").split("\n") + ([""] if blank else []) + rows + ([" ]"] if head.endswith("[") else [])
    parsed, issues = split("x.md", "---\n" + "\n".join(lines) + "\n---\n正文\n")
    dashes = [n for n, row in enumerate(lines, start=2) if row.strip() == "-" or row.strip().startswith("- ")]
    dashes = dashes[1:] if head.endswith("- ") else dashes  # (the item's own "- ")
    if not dashes:
        assert issues == [] and parsed is not None
        return
    assert parsed is None and [(i.line, i.field) for i in issues] == [(dashes[0], field)], lines
    assert issues[0].message.startswith("续行以“- ”开头，看起来像列表项")
    if not head.endswith("["):
        quoted = "\n".join(lines).replace("通知", '"通知', 1) + '"'
        block = head + "|\n" + "\n".join(" " * (indent + 2) + row.strip() for row in ["通知"] + rows)
        for text in (quoted, block):
            parsed, issues = split("x.md", f"---\n{text}\n---\n正文\n")
            assert parsed is not None and issues == [], text


@pytest.mark.parametrize("text, line, field, message", [
    ('title: "关于\nstatus: published"', 2, "title", '引号没有闭合：值以 " 开头，这一行没有结束的 "'),
    ("title: '关于\nstatus: published'", 2, "title", "引号没有闭合：值以 ' 开头，这一行没有结束的 '"),
    ("keywords: [营商环境,\nstatus: published]", 2, "keywords",
     "括号没有闭合：值以“[”开头，到下面的字段“status”之前没有结束的“]”"),
    ("review:\n  final: {by: 赵刚,\n  on: 2024-03-04}", 3, "review.final",
     "括号没有闭合：值以“{”开头，到下面的字段“on”之前没有结束的“}”"),
])
def test_a_value_yaml_closes_only_below_a_field_at_its_left_edge_is_refused_where_it_opens(text, line, field, message):
    """YAML lets a quoted value or one in brackets go on to a quote or bracket on a line below, reading a field
    between them (as little indented as the value's own line) as its text: title "关于 status: published" and no
    status. The editor sees two fields, and so does the history's quick reader: it is refused at its line."""
    for parser in PARSERS:
        yaml.compose(text, Loader=parser)  # YAML itself reads it whole
    parsed, issues = split("x.md", f"---\n{text}\n---\n正文\n")
    assert parsed is None and [(i.line, i.field, i.message) for i in issues] == [(line, field, message)]


@pytest.mark.parametrize("text, meta", [
    ('title: "关于\n  印发的通知"', {"title": "关于 印发的通知"}),  # indented: the value's next line
    ("keywords: [营商环境,\n  市场主体]", {"keywords": ["营商环境", "市场主体"]}),
    ("attachments: [\n  {file: a.pdf, title: 甲},\n]", {"attachments": [{"file": "a.pdf", "title": "甲"}]}),
])
def test_a_value_going_on_over_indented_lines_is_read_whole(text, meta):
    assert split("x.md", f"---\n{text}\n---\n正文\n") == (split("x.md", f"---\n{text}\n---\n正文\n")[0], [])
    assert split("x.md", f"---\n{text}\n---\n正文\n")[0].meta == meta


@pytest.mark.parametrize("text, meta", [
    ("keywords: [营商环境, 市场主体：政策]", {"keywords": ["营商环境", "市场主体：政策"]}),
    ("keywords: [营商环境,\n  GDP：增长]", {"keywords": ["营商环境", "GDP：增长"]}),
    ("keywords: [a,\n  b:c]", {"keywords": ["a", "b:c"]}),
    ("x: {k: [a, b：c]}", {"x": {"k": ["a", "b：c"]}}),
])
def test_a_colon_in_an_item_of_a_list_in_brackets_is_its_text_on_any_line(text, meta):
    """In a list in brackets an item is a text: a full-width colon (or one without a space after it) in it is no
    slip, whether the item is on the bracket's line or on a line below (it was named keywords.b there)."""
    parsed, issues = split("x.md", f"---\n{text}\n---\n正文\n")
    assert issues == [] and parsed.meta == meta


@pytest.mark.parametrize("text, line, field", [
    ("keywords: [a,\n  {b：c}]", 3, "keywords.1.b"),
    ("x: [{k：c}]", 2, "x.0.k"),
    ("review: {a: [1], by：王}", 2, "review.by"),
])
def test_a_full_width_colon_after_a_key_in_braces_is_a_slip_inside_a_list_too(text, line, field):
    parsed, issues = split("x.md", f"---\n{text}\n---\n正文\n")
    assert parsed is None and [(i.line, i.field, i.message) for i in issues] == [(line, field, "字段名后使用了全角冒号“：”")]
