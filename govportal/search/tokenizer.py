"""The shared Chinese tokenizer: a pipeline of small named functions.

``themes/portal/static/js/search-tokenizer.js`` implements the same functions
under the same names for the query in the browser; ``tests/search_vectors.json``
holds the cases both test suites check, so the index and the query always cut
text the same way. The pipeline's labels are written into the index manifest
and the browser refuses an index cut by another pipeline.

1. :func:`normalise`: NFKC (full-width letters, digits and punctuation become
   half-width, compatibility ideographs unified), then lower case.
2. :func:`split_runs`: maximal runs of Chinese characters, ASCII digits and
   letters; everything else (punctuation, spaces, other scripts) separates runs.
3. :func:`bigrams`: every overlapping pair of characters of a run; a run of one
   character is kept as that character. Dictionary segmenters (jieba) cut the same
   text differently in different contexts, which breaks short queries; bigrams
   cut a string the same way wherever it occurs (measured in the README).
4. :func:`words`: maximal ASCII digit/letter sequences of three or more
   characters as whole tokens too (``2017``, ``81924956``): a number is found
   by its value, not only by its digit pairs.

Two exact keys go beside the terms: :func:`doc_no_key` (a 发文字号 in any
common spelling, canonicalised by :func:`govportal.identifiers.normalise_doc_no`)
and :func:`title_key` (the title's runs joined: exact title lookup).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from operator import add

from ..identifiers import normalise_doc_no

# 〇 (U+3007), CJK Extension A, unified ideographs, compatibility ideographs, Extensions B-G.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(f"[{HAN}0-9a-z]+")
_WORD = re.compile(r"[0-9a-z]{3,}")
# Whitespace spelt out (Python's \s and the browser's differ at the edges).
_SPACE = re.compile("[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")
# The full-width characters of ordinary Chinese text, mapped as NFKC maps them; replacing these
# first lets most texts skip the (slow) full NFKC pass while giving exactly its result.
_COMMON_FULLWIDTH = (("，", ","), ("：", ":"), ("；", ";"), ("（", "("), ("）", ")"), ("？", "?"),
                     ("！", "!"), ("％", "%"), ("\u3000", " "))
# Digits other than 0-9 (Python's \d takes them, the browser's does not): never a 文号.
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def normalise(text: str) -> str:
    """NFKC, then lower case."""
    for wide, narrow in _COMMON_FULLWIDTH:
        if wide in text:
            text = text.replace(wide, narrow)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def split_runs(text: str) -> list[str]:
    """Maximal runs of Chinese characters, digits and a-z."""
    return _RUN.findall(text)


def bigrams(runs: list[str]) -> list[str]:
    """Overlapping character pairs of each run; a one-character run as itself."""
    out: list[str] = []
    for run in runs:
        if len(run) > 1:
            out += map(add, run, run[1:])
        else:
            out.append(run)
    return out


def words(runs: list[str]) -> list[str]:
    """ASCII digit/letter sequences of 3+ characters, whole (never equal to a bigram or unigram)."""
    return _WORD.findall(" ".join(runs))


PIPELINE = (normalise, split_runs, bigrams, words)
LABELS = tuple(f.__name__ for f in PIPELINE)


def terms(text: str) -> list[str]:
    """Every term of a text, in order, repeated as often as it occurs."""
    runs = split_runs(normalise(text))
    return bigrams(runs) + words(runs)


def doc_no_key(text: str) -> str | None:
    """``#`` + the canonical 文号 (lower case) when ``text`` is a 文号 in any common spelling."""
    text = _SPACE.sub("", normalise(text or ""))
    if not text or _OTHER_DIGIT.search(text):
        return None
    canonical = normalise_doc_no(text)
    return "#" + canonical.lower() if canonical else None


def title_key(text: str) -> str | None:
    """``=`` + the runs of the title joined: the same for any punctuation and spacing."""
    joined = "".join(split_runs(normalise(text or "")))
    return "=" + joined if joined else None


@dataclass(frozen=True)
class Query:
    """What the browser looks up for one query string: distinct terms in order, and exact keys."""

    terms: tuple[str, ...]
    keys: tuple[str, ...]

    def to_json(self) -> dict:
        return {"terms": list(self.terms), "keys": list(self.keys)}


def analyse_query(text: str) -> Query:
    """Terms (each once) and keys. A 文号 (the whole query or a space-separated part) gives its key and
    is cut in its canonical spelling, as documents cite it; the whole query also gives a title key."""
    keys: list[str] = []
    whole = doc_no_key(text)
    if whole:
        keys.append(whole)
        texts = [whole[1:]]
    else:
        texts = []
        for part in _SPACE.split(text):
            key = doc_no_key(part) if part else None
            if key and key not in keys:
                keys.append(key)
            texts.append(key[1:] if key else part)
    key = title_key(text)
    if key:
        keys.append(key)
    return Query(tuple(dict.fromkeys(terms(" ".join(texts)))), tuple(keys))


def fnv1a(token: str) -> int:
    """32-bit FNV-1a over the token's code points: which shard holds a token (same in search-index.js)."""
    h = 0x811C9DC5
    for ch in token:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h
