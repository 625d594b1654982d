"""The quick front matter reader returns exactly what the YAML reader returns, or leaves the file to it."""
from __future__ import annotations

import sys

import pytest

from govportal.frontmatter import parse_file
from govportal.history.fastmeta import read
from tests.conftest import FIXTURE_SITE, ROOT

sys.path.insert(0, str(ROOT / "scripts"))


def same_as_the_parser(path: str, data: bytes) -> str:
    """Asserts that ``read`` agrees with ``parse_file``; returns how it read the file:
    ``quick`` (without the YAML parser for the whole file), ``parser`` or ``unreadable``."""
    front = read(path, data)
    parsed, issues = parse_file(path, data)
    if parsed is None:
        assert front.problem == issues[0].message
        return "unreadable"
    for key, value in parsed.meta.items():
        assert front.value(key) == value, (path, key)
        if isinstance(value, dict):
            for child, sub in value.items():
                assert front.get(f"{key}.{child}") == (sub if sub is not None else None), (path, key, child)
    assert set(front.entries) == {str(k) for k in parsed.meta}, path
    assert front.body.decode("utf-8") == parsed.body or parsed.body == front.body.decode("utf-8-sig")
    return "quick" if front.meta is None else "parser"


def test_every_demo_and_fixture_file():
    files = sorted((ROOT / "content").rglob("*.md")) + sorted(FIXTURE_SITE.rglob("*.md"))
    assert len(files) > 40 and {same_as_the_parser(p.name, p.read_bytes()) for p in files} == {"quick"}


def test_a_generated_corpus(tmp_path):
    import gen_corpus

    stats = gen_corpus.generate(80, tmp_path / "content", seed=7)
    assert {same_as_the_parser(rel, (tmp_path / "content" / rel).read_bytes()) for rel in stats.files} == {"quick"}


BASE = "---\ntitle: 标题\nstatus: published\n{extra}---\n正文\n"


@pytest.mark.parametrize("extra, how", [
    ("keywords: [甲, 乙]\n", "quick"),
    ("keywords:\n  - 甲\n  - 乙\n", "quick"),
    ("keywords:\n- 甲\n- 乙\n", "quick"),
    ("review:\n  final: {by: 赵刚, on: 2024-03-04, digest: \"sha256:ab\"}\n", "quick"),
    ("review:\n  final:\n    by: 赵刚\n    on: 2024-03-04\n", "quick"),
    ("summary: '它''s'\n", "quick"),
    ("summary: \"引号, 逗号\"\n", "quick"),
    ("\nsummary: 空行之后\n\n", "quick"),
    ("summary: 注释 # 在这里\n", "parser"),
    ("summary: |\n  多行\n  文字\n", "quick"),  # the entry alone goes to the YAML parser
    ("summary: 第一行\n  接着第二行\n", "quick"),
    ("pages: 12\n", "quick"),
    ("flag: yes\n", "quick"),
    ("flag: true\n", "quick"),
    ("empty:\n", "quick"),
    ("summary: \"转义\\t\"\n", "quick"),
    ("anchor: &a 值\nalias: *a\n", "parser"),
    ("tagged: !!str 12\n", "parser"),
    ("title: 重复\n", "parser"),
    ("summary：全角冒号\n", "unreadable"),
    ("attachments:\n  - {file: a.pdf, title: 原文}\n", "quick"),
    ("review:\n  final: {by: 赵刚, on: 2024-03-04}\n  final: {by: 孙伟, on: 2024-03-05}\n", "quick"),
    ("review:\n  first: {by: 王敏}\n\n  final: {by: 赵刚}\n", "quick"),
    ("weird: [a, [b, c]]\n", "quick"),
    ("date: 2024-03-05 09:30\n", "quick"),
    ("title2: a: b\n", "unreadable"),
])
def test_shapes_of_yaml(extra, how):
    assert same_as_the_parser("x.md", BASE.format(extra=extra).encode("utf-8")) == how


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf---\ntitle: a\n---\nb\n", b"---\r\ntitle: a\r\n---\r\nb\r\n",
                                  b"no front matter\n", b"---\ntitle: a\n", b"---\ntitle: \xb1\xea\n---\n"])
def test_unusual_files_go_to_the_parser(data):
    assert read("x.md", data).meta is not None or read("x.md", data).problem
    same_as_the_parser("x.md", data)
