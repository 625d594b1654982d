"""The front matter reader never crashes and never loses a problem, whatever the bytes."""
from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given
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
