"""The front matter reader never crashes and never loses a problem, whatever the bytes."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govportal.frontmatter import parse_file, split


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
