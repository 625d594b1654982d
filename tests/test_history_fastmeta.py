"""The quick front matter reader returns exactly what the YAML reader returns, or leaves the file to it."""
from __future__ import annotations

import sys

import pytest

from govportal.frontmatter import parse_file
from govportal.gate import step_value
from govportal.history.fastmeta import read, signoff_table
from govportal.vocab import STEPS
from tests.conftest import FIXTURE_SITE, ROOT

sys.path.insert(0, str(ROOT / "scripts"))


def same_as_the_parser(path: str, data: bytes) -> str:
    """Asserts that ``read`` agrees with ``parse_file``; returns how it read the file:
    ``quick`` (without the YAML parser for the whole file), ``parser`` or ``unreadable``."""
    front = read(path, data)
    parsed, issues = parse_file(path, data)
    if parsed is None:
        for key in list(front.entries):  # (an entry's problem is found when it is read, as for a public version)
            front.value(key)
        assert front.problem == issues[0].message
        return "unreadable"
    for key, value in parsed.meta.items():
        assert front.value(key) == value, (path, key)
        if isinstance(value, dict):
            for child, sub in value.items():
                assert front.get(f"{key}.{child}") == (sub if sub is not None else None), (path, key, child)
    assert set(front.entries) == {str(k) for k in parsed.meta}, path
    table = signoff_table(front)
    if table is not None:  # the sign-offs read by regular expressions are what the parser read
        assert table == (tuple((step_value(parsed.meta, s)["by"], step_value(parsed.meta, s)["on"]) for s in STEPS),
                         parsed.meta["secrecy"]["result"]), path
    assert front.body.decode("utf-8") == parsed.body or parsed.body == front.body.decode("utf-8-sig")
    return "quick" if front.meta is None else "parser"


def test_every_demo_and_fixture_file():
    files = sorted((ROOT / "content").rglob("*.md")) + sorted(FIXTURE_SITE.rglob("*.md"))
    assert len(files) > 40 and {same_as_the_parser(p.name, p.read_bytes()) for p in files} == {"quick"}
    assert sum(signoff_table(read(p.name, p.read_bytes())) is not None for p in files) > 40  # the quick path is used


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
    ("summary: |\n  多行\n\n  文字\n\nflag: yes\n", "quick"),  # (with the line break that ends it)
    ("summary: |+\n  多行\n\n\nflag: yes\n", "quick"),
    ("summary: >-\n  多行\n  文字\nflag: yes\n", "quick"),
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
    ("summary: 第一行\n  \u3000\u3000第二行\n", "unreadable"),  # a full-width space as indentation
    ("summary: |\n  \u3000\u3000第一段\n", "parser"),
    ("summary: \"第一行\n  \u3000\u3000第二行\"\n", "parser"),
    ("summary: 第一行\u2028第二行\n", "unreadable"),  # a line break to YAML only
    ("summary: \"引号\x85\"\n", "unreadable"),
    ("\ufeffsummary: 通知\n", "unreadable"),  # a BOM, which libyaml alone skips at the start of a line
    ("summary: 第一行\n  - 第二行\n", "unreadable"),  # a "- " that goes on with a plain value
    ("keywords:\n  - 甲\n    - 乙\n", "unreadable"),
    ("review:\n  note: 甲\n    - 乙\n", "unreadable"),
    ("keywords: [甲,\n  乙\n  - 丙]\n", "unreadable"),
    ("summary: |\n  - 甲\n  - 乙\n", "quick"),  # text
    ("summary: \"甲\n  - 乙\"\n", "parser"),
    ("keywords:\n  - 甲\n  - 乙\n", "quick"),
    ("keywords:\n- 甲\n- 乙\n", "quick"),
    # a quote or bracket that YAML closes only on a line below a field at the left edge: refused by both
    ("summary: \"关于\nflag: yes\"\n", "unreadable"),
    ("summary: '关于\nflag: yes'\n", "unreadable"),
    ("keywords: [甲,\nflag: yes]\n", "unreadable"),
    ("review:\n  final: {by: 赵刚,\n  on: 2024-03-04}\n", "unreadable"),
    ("keywords: [甲,\n  GDP：增长]\n", "parser"),  # a text in a list, as on one line (the parser decides)
])
def test_shapes_of_yaml(extra, how):
    assert same_as_the_parser("x.md", BASE.format(extra=extra).encode("utf-8")) == how


@pytest.mark.parametrize("extra", ["review:\n  final: {by:赵刚, on: 2024-03-04}\n",
                                   "review:\n  final: {by：赵刚, on: 2024-03-04}\n",
                                   "review:\n  \u3000final: {by: 赵刚, on: 2024-03-04}\n"])
def test_a_slip_the_parser_refuses_is_a_problem_when_the_field_is_read(extra):
    """A key without a space after its colon, with a full-width colon or indented with a full-width space:
    the file's parser refuses the front matter, and the quick reader says so when it reads the field."""
    data = BASE.format(extra=extra).encode("utf-8")
    front = read("x.md", data)
    assert front.value("review") is None
    assert front.problem == parse_file("x.md", data)[1][0].message


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf---\ntitle: a\n---\nb\n", b"---\r\ntitle: a\r\n---\r\nb\r\n",
                                  b"no front matter\n", b"---\ntitle: a\n", b"---\ntitle: \xb1\xea\n---\n"])
def test_unusual_files_go_to_the_parser(data):
    assert read("x.md", data).meta is not None or read("x.md", data).problem
    same_as_the_parser("x.md", data)


# ---- reading a version against the one before (read_next) ---------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from govportal.history.fastmeta import read_next  # noqa: E402
from govportal.digest import _normalise  # noqa: E402
from govportal.history.ledger import _body_differs, _differs  # noqa: E402

DEMO = sorted((ROOT / "content").rglob("*.md"))
LINE = st.sampled_from(["title: 新标题", "date: 2024-03-05 09:30", "keywords: [甲, 乙]", "  final: {by: 赵刚, on: 2024-03-04}",
                        "  - 丙", "status: withdrawn", "summary: a: b", "summary: 注释 # 这里", "", "  ", "- 项",
                        "title: 'x'", "change_note: 第2版：修订", "flag: yes", "pages: 12", "title：全角",
                        "anchor: &a 值", "summary: \"引号\"", "review:", "    on: 2024-03-04", "title: e\u0301",
                        "title: 通知\u2028甲", "  - 丙\x85"])


def same_as_read(path: str, old: bytes, new: bytes) -> None:
    """``read_next`` against the version before gives what ``read`` gives, and names the changed entries."""
    previous = read(path, old)
    previous.value("title")  # a parsed value is taken over only while its text is unchanged
    front, whole = read_next(path, new, previous), read(path, new)
    assert (front.problem, front.entries, front.body) == (whole.problem, whole.entries, whole.body)
    for key in whole.entries:
        assert front.value(key) == whole.value(key), key
    assert front.get("review.final") == whole.get("review.final")
    if front.since is not None:
        assert previous.meta is None and set(previous.entries) == set(front.entries)
        assert list(front.since) == [k for k in front.entries if front.entries[k] != previous.entries[k]]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DEMO), st.lists(st.tuples(st.integers(0, 40), st.booleans(), LINE), max_size=3))
def test_read_next_agrees_with_read(file, edits):
    data = file.read_bytes()
    head, sep, body = data.partition(b"\n---\n")
    lines = head.decode("utf-8").split("\n")
    for at, replace, line in edits:
        at = 1 + at % (len(lines) - 1)  # never the opening ---
        lines[at:at + replace] = [line]
    same_as_read(file.name, data, "\n".join(lines).encode("utf-8") + sep + body)


def test_read_next_agrees_with_read_over_blank_lines():
    """Two blank lines in a row were counted as one top-level line too few: read left the file to the parser
    (whose values are JSON text in the entries), read_next read it quickly."""
    old = b"---\ntitle: a\nproofread:\n  first: {by: x}\n  second: {by: y}\n  third: {by: z}\n---\nbody\n"
    same_as_read("x.md", old, old.replace(b"  first: {by: x}\n  second: {by: y}\n", b"\n\n"))
    assert same_as_the_parser("x.md", old.replace(b"  first: {by: x}\n", b"\n\n\n")) == "quick"


def test_read_next_names_the_changed_entries():
    old = b"---\ntitle: a\nreview:\n  final: {by: x, on: 2024-01-01}\nsummary: s\n---\nbody\n"
    new = b"---\ntitle: a\nreview:\n  final: {by: y, on: 2024-01-02}\nsummary: t\n---\nbody 2\n"
    front = read_next("x.md", new, read("x.md", old))
    assert front.since == ("review", "summary") and front.get("review.final") == {"by": "y", "on": "2024-01-02"}
    assert read_next("x.md", old, read("x.md", old)).since == ()
    assert read_next("x.md", new.replace(b"title: a\n", b"title: a\nextra: 1\n"), read("x.md", old)).since is None


BODY_LINE = st.sampled_from(["正文第一段。", "正文第一段。  ", "", "  ", "\u3000", "e\u0301", "\u00e9", "第二段",
                             "\r", "段落\u3000", "a"])


@settings(max_examples=500, deadline=None)
@given(st.lists(BODY_LINE, max_size=8), st.lists(BODY_LINE, max_size=8), st.lists(BODY_LINE, max_size=8),
       st.lists(BODY_LINE, max_size=8), st.lists(BODY_LINE, max_size=8))
def test_body_comparison_agrees_with_the_digest_normalisation(before, middle_a, middle_b, after, extra):
    a = "\n".join(before + middle_a + after).encode()
    b = "\n".join(before + middle_b + after + extra).encode()
    assert _body_differs(a, b) == _differs(a.decode(), b.decode())


TEXT = st.sampled_from(["甲", "甲 ", "甲\u3000", "e\u0301", "\u00e9", "乙", "", "a b", "a  b"])
VALUE = st.recursive(TEXT | st.integers(0, 2) | st.none(),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
                     max_leaves=6)


@settings(max_examples=500, deadline=None)
@given(VALUE, VALUE)
def test_field_comparison_agrees_with_the_digest_normalisation(a, b):
    assert _differs(a, b) == (_normalise(a) != _normalise(b))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["by", "on", "digest", "on", "result", "yes", "1"]),
                          st.sampled_from(["赵刚", "2024-03-04", '"sha256:ab"', "a b", "true", "1.5", '"x, y"',
                                           "-x", "~", "'q'", "[a]", "a:b"])),
                max_size=4), st.sampled_from([", ", ",", " , "]))
def test_flow_mappings_read_as_the_yaml_parser_reads_them(pairs, comma):
    text = "{" + comma.join(f"{k}: {v}" for k, v in pairs) + "}"
    same_as_the_parser("x.md", BASE.format(extra=f"review:\n  final: {text}\n").encode("utf-8"))


SIGNED = "review:\n  first: {{by: {0}, on: {1}}}\n  second: {{by: 李强, on: 2024-03-03}}\n" \
         "  final: {{by: 赵刚, on: 2024-03-04, digest: \"sha256:ab\"}}\nproofread:\n  first: {{by: 陈静, on: 2024-03-02}}\n" \
         "  second: {{by: 周洁, on: 2024-03-03}}\n  third: {{by: 王敏, on: 2024-03-04}}\n" \
         "secrecy: {{by: 李强, on: 2024-03-03, result: {2}}}\n"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["王敏", "阿卜杜·热合曼", "yes", "null", "12", "王 敏", "'王敏'", "王敏 # 注", "~", "王敏:", "Ａ"]),
       st.sampled_from(["2024-03-02", "2024-3-2", "2024-02-30", "20240302", "2024-03-02 09:00", '"2024-03-02"']),
       st.sampled_from(["不涉密", "涉密", "yes", "不涉密 ", "'不涉密'"]))
def test_sign_offs_read_by_regular_expressions_are_what_the_parser_reads(by, on, result):
    data = BASE.format(extra=SIGNED.format(by, on, result)).encode("utf-8")
    if parse_file("x.md", data)[0] is None:  # not YAML: never read quickly
        assert signoff_table(read("x.md", data)) is None
    else:
        same_as_the_parser("x.md", data)  # (which compares the table with the parser's values)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["summary: 第一行", "keywords:", "  - 甲", "    - 乙", "  乙", "    丙", "  -", "- 丁", "review:",
                                 "  note: 甲", "  final: {by: 赵刚, on: 2024-03-04}", "  - {file: a.pdf, title: 原文}",
                                 "keywords: [甲,\n  乙\n  - 丙]", "keywords: [甲\n  - 乙]", "", "  - file: a.pdf", "summary: |",
                                 "    title: 原文"]), max_size=8))
def test_a_dash_that_goes_on_with_a_plain_value_is_refused_by_both_readers(lines):
    """A line starting with "- " that YAML reads as the next line of a plain value above it: the file's parser
    refuses it, and the quick reader leaves the file to it (or reads what the parser reads)."""
    data = BASE.format(extra="".join(line + "\n" for line in lines)).encode("utf-8")
    parsed, issues = parse_file("x.md", data)
    if parsed is not None:
        same_as_the_parser("x.md", data)
    elif issues[0].message.startswith("续行以“- ”开头"):
        assert read("x.md", data).problem == issues[0].message
