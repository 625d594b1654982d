"""The digest's text normalisation: its fast path gives what the rule gives, line by line."""
from __future__ import annotations

import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from govportal.text import normalise_text


def by_the_rule(text: str) -> str:
    """NFC, LF line ends, every line right-stripped, blank lines at the ends dropped (the definition)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]  # every character rstrip removes
TEXT = st.lists(st.one_of(st.sampled_from(SPACES + ["\r\n", "e\u0301", "。", "政府", "a"]), st.characters()),
                max_size=40).map("".join)


@given(TEXT)
def test_normalise_text_is_the_rule(text):
    assert normalise_text(text) == by_the_rule(text)


def test_every_kind_of_white_space_at_a_line_end_is_removed():
    for space in SPACES:
        if space in "\r\n":
            continue  # line ends
        assert normalise_text(f"\n第一行{space}\n{space}\n第二行{space}") == "第一行\n\n第二行", repr(space)
