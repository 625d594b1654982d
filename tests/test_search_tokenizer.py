"""The shared tokenizer: the vectors (also checked by node --test tests/js/) and its properties."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govportal.search import tokenizer as tok
from tests.test_identifiers import doc_no_spellings

VECTORS = json.loads((Path(__file__).parent / "search_vectors.json").read_text("utf-8"))
CASES = {
    "normalise": tok.normalise,
    "split_runs": lambda text: tok.split_runs(tok.normalise(text)),
    "bigrams": tok.bigrams,
    "words": tok.words,
    "terms": tok.terms,
    "doc_no_key": tok.doc_no_key,
    "title_key": tok.title_key,
    "analyse_query": lambda text: tok.analyse_query(text).to_json(),
    "fnv1a": tok.fnv1a,
}


def test_pipeline_labels_match_the_vectors():
    assert list(tok.LABELS) == VECTORS["pipeline"] == ["normalise", "split_runs", "bigrams", "words"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_vectors(name):
    assert VECTORS[name]
    for given_input, expected in VECTORS[name]:
        assert CASES[name](given_input) == expected, f"{name}({given_input!r})"


# Text with Chinese, digits, Latin letters in both widths, punctuation and spaces.
CHARS = st.sampled_from(list("示例市人民政府关于印发个人所得税营商环境号令第〇年月日") + list("0123456789０１２３")
                        + list("abcXYZＡｂ") + list("，。、：；（）()《》〔〕[]【】 \u3000\t-/"))
TEXT = st.lists(CHARS, max_size=40).map("".join)
HAN_TEXT = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=30)


@given(TEXT)
def test_normalising_twice_changes_nothing(text):
    once = tok.normalise(text)
    assert tok.normalise(once) == once
    assert tok.terms(once) == tok.terms(text)


@given(st.text(max_size=60))
def test_fast_normalise_is_nfkc_then_lower(text):
    import unicodedata
    assert tok.normalise(text) == unicodedata.normalize("NFKC", text).lower()


@given(TEXT, st.data())
def test_every_bigram_of_a_fragment_is_a_term_of_the_text(text, data):
    """What makes substring search work: a fragment's pairs are all among the text's terms."""
    norm = tok.normalise(text)
    i = data.draw(st.integers(0, len(norm)))
    j = data.draw(st.integers(i, len(norm)))
    whole = set(tok.terms(text))
    assert {t for t in tok.terms(norm[i:j]) if len(t) == 2} <= whole


@given(HAN_TEXT)
def test_chinese_text_is_cut_into_overlapping_pairs(text):
    found = tok.terms(text)
    if len(text) == 1:
        assert found == [text]
    else:
        assert found == [text[k:k + 2] for k in range(len(text) - 1)]
        assert "".join(t[0] for t in found) + found[-1][1] == text


@given(TEXT)
def test_terms_are_pairs_single_characters_or_words(text):
    for term in tok.terms(text):
        assert len(term) <= 2 or (term.isascii() and term.isalnum() and term == term.lower())


@given(doc_no_spellings())
def test_any_spelling_of_a_doc_no_gives_its_key(case):
    text, canonical = case
    assert tok.doc_no_key(text) == "#" + canonical
    assert tok.doc_no_key(f" {text} ") == "#" + canonical
    assert "#" + canonical in tok.analyse_query(f"{text} 通知").keys


@given(TEXT)
def test_query_terms_are_the_distinct_terms_in_order(text):
    query = tok.analyse_query(text)
    doc_nos = [k[1:] for k in query.keys if k.startswith("#")]
    if not doc_nos:
        assert list(query.terms) == list(dict.fromkeys(tok.terms(text)))
    assert set(query.terms) >= {t for no in doc_nos for t in tok.terms(no)}
    assert all(k.startswith(("#", "=")) for k in query.keys)


@given(TEXT)
def test_title_key_ignores_punctuation_and_width(text):
    assert tok.title_key(text) == tok.title_key(tok.normalise(text).replace("《", "").replace("》", " "))


@given(st.text(max_size=20))
def test_fnv1a_is_32_bit(token):
    assert 0 <= tok.fnv1a(token) < 2 ** 32
