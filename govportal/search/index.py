"""The search index: what each document contributes, the base index and the delta over it.

Documents get dense ids. The *base* holds the postings of a set of documents as
they were when it was built, sharded by term hash into metadata shards (``m``:
title, 文号, issuer, topic, keywords, summary, attachment titles) and full-text
shards (``t``: body and attachment text). The *delta* holds the postings of the
documents added or changed since, and the ids of base documents to ignore
(changed or removed). A rebuild after an edit tokenises only the edited
documents and rewrites only the delta; a new base is built (all documents
tokenised, on every core) when none is cached or the delta has grown too large
(:mod:`govportal.search.segments`). Same idea as Lucene's segments and deletions.

Scoring follows lunr (BM25, k1 = 1.2, b = 0.75, field boosts): metadata postings
carry a quantised BM25 term weight per document; full-text postings carry only
the ids, with one length norm per document (``norms``), so the common terms of
long bodies stay small.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

from ..gate import step_value
from ..model import Document
from . import codec
from .tokenizer import HAN, bigrams, doc_no_key, fnv1a, normalise, split_runs, terms, title_key, words

K1, B = 1.2, 0.75
WEIGHT_SCALE = 255 / (K1 + 1)  # a weight byte is round(w * WEIGHT_SCALE), w in (0, k1 + 1)
SHARD_TARGET_BYTES = 4_000  # postings a shard aims at: about 6 KB raw, 3 KB with gzip
PARALLEL_MIN_CHARS = 4_000_000  # below this much full text, tokenise in this process


@dataclass(frozen=True)
class Field:
    name: str
    boost: float
    weighted: bool  # a weight byte per posting; else the document's norm (text) or 1 (metadata)
    text: bool  # in the full-text shards


FIELDS = (
    Field("title", 10, True, False),
    Field("title1", 2, False, False),  # every character of the title, for one-character queries
    Field("doc_no", 6, True, False),
    Field("key", 60, False, False),  # exact keys: the title as a whole, the canonical 文号
    Field("issuer", 2, True, False),
    Field("topic", 2, True, False),
    Field("keywords", 3, True, False),
    Field("summary", 2, True, False),
    Field("attachments", 2, True, False),  # attachment titles
    Field("body", 1, False, True),
    Field("att", 1, False, True),  # text of PDF attachments
)
FIELD_ID = {f.name: i for i, f in enumerate(FIELDS)}
META_FIELDS = tuple(i for i, f in enumerate(FIELDS) if not f.text)
TEXT_FIELDS = tuple(i for i, f in enumerate(FIELDS) if f.text)
WEIGHTED = frozenset(i for i, f in enumerate(FIELDS) if f.weighted)
_HAN_CHAR = re.compile(f"[{HAN}]")
_MARKUP = re.compile(r"\]\([^)\s]*\)|<[^>\n]{1,200}>|https?://\S+")


def _code_version() -> str:
    h = hashlib.sha1()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


CODE_VERSION = _code_version()


# ---- what one document contributes ---------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A document as the index sees it: identity, a digest of everything indexed, what a hit shows."""

    url: str
    digest: str
    display: tuple  # url, title, 文号, date, type, issuer, validity, status, summary, attachment titles
    facets: tuple  # type, issuer, topic, validity, status, date (YYYY-MM-DD)
    text: bool  # its body and attachment text are indexed (see indexes_text)


def indexes_text(doc: Document) -> bool:
    """Whether the index holds a document's body and attachment text: a withdrawn one is found by its
    metadata only (its page says 原文已不再提供)."""
    return doc.status != "withdrawn"


def searchable_text(doc: Document) -> tuple[str, str]:
    """Body and attachment text; none for a withdrawn document."""
    if not indexes_text(doc):
        return "", ""
    return _MARKUP.sub(" ", doc.body), "\n".join(a.text for a in doc.attachments if a.text)


def entry(doc: Document) -> Entry:
    """A published document's text is identified by its 终审 digest (the publishing gate fails the build
    unless it matches the text as it stands), so a rebuild hashes no bodies; others hash theirs."""
    date = doc.date.strftime("%Y-%m-%d") if doc.date else ""
    atts = [a.title for a in doc.public_attachments]
    display = (doc.url, doc.title, doc.doc_no, date, doc.type, doc.issuer, doc.validity, doc.status,
               doc.public_summary, atts)
    approved = str(step_value(doc.meta, "review.final.digest") or "")
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((display, doc.topic, doc.keywords, approved, len(doc.body),
                   [(a.file, a.size, a.pages) for a in doc.attachments])).encode("utf-8"))
    if not approved.startswith("sha256:"):
        h.update(doc.body.encode("utf-8"))
    for att in doc.attachments:
        h.update(b"\0" + att.text.encode("utf-8"))
    return Entry(doc.url, h.hexdigest(), display,
                 (doc.type, doc.issuer, doc.topic, doc.validity, doc.status, date), indexes_text(doc))


def meta_texts(doc: Document) -> dict[int, str]:
    return {FIELD_ID["title"]: doc.title, FIELD_ID["doc_no"]: doc.doc_no, FIELD_ID["issuer"]: doc.issuer,
            FIELD_ID["topic"]: doc.topic, FIELD_ID["keywords"]: " ".join(doc.keywords),
            FIELD_ID["summary"]: doc.public_summary,
            FIELD_ID["attachments"]: " ".join(a.title for a in doc.public_attachments)}


def meta_terms(doc: Document) -> dict[int, Counter]:
    """Term counts of each metadata field (title1 and key as plain sets of terms)."""
    out = {fid: Counter(terms(text)) for fid, text in meta_texts(doc).items() if text}
    chars = set(_HAN_CHAR.findall(normalise(doc.title)))
    if chars:
        out[FIELD_ID["title1"]] = Counter(chars)
    keys = [k for k in (title_key(doc.title), doc_no_key(doc.doc_no)) if k]
    if keys:
        out[FIELD_ID["key"]] = Counter(keys)
    return out


_RUN_MEMO: dict[str, frozenset] = {}  # short runs (boilerplate between punctuation) repeat across documents
_MEMO_RUN_CHARS, _MEMO_SIZE = 16, 50_000


def text_terms(text: str) -> tuple[set[str], int]:
    """The distinct terms of a full text and its length in characters of runs (a repeated run is cut once)."""
    if not text:
        return set(), 0
    runs = split_runs(normalise(text))
    found: set[str] = set()
    long = []
    memo = _RUN_MEMO
    for run in set(runs):
        if len(run) > _MEMO_RUN_CHARS:
            long.append(run)
            continue
        cut = memo.get(run)
        if cut is None:
            cut = frozenset(bigrams([run]) + words([run]))
            if len(memo) < _MEMO_SIZE:
                memo[run] = cut
        found |= cut
    found.update(bigrams(long))
    found.update(words(long))
    return found, sum(map(len, runs))


def bm25(tf: int, length: int, avg: float) -> float:
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / (avg or 1)))


def quantise(weight: float) -> int:
    return max(1, min(255, round(weight * WEIGHT_SCALE)))


DEFAULT_WEIGHT = quantise(1.0)  # a weighted field's common term, stored without weights: tf 1 at average length


# ---- postings ---------------------------------------------------------------------------------


class Postings:
    """field id -> term -> ids (ascending) and, for weighted fields, their weight bytes."""

    def __init__(self):
        self.ids: dict[int, dict[str, list | array]] = {}
        self.weights: dict[int, dict[str, bytearray]] = {}

    def extend(self, other: "Postings") -> None:
        """Append ``other``'s postings (all of its ids larger than ours)."""
        for mine, theirs in ((self.ids, other.ids), (self.weights, other.weights)):
            for fid, terms_ in theirs.items():
                target = mine.setdefault(fid, {})
                for term, values in terms_.items():
                    if term in target:
                        target[term] += values
                    else:
                        target[term] = values


# ---- tokenising many documents ----------------------------------------------------------------


def meta_postings(docs: list[Document], first_id: int, avg: dict[int, float] | None = None
                  ) -> tuple[Postings, dict]:
    """Metadata postings of ``docs`` (ids from ``first_id``); ``avg`` field lengths (computed if None)."""
    counted = [meta_terms(d) for d in docs]
    if avg is None:
        totals: Counter = Counter()
        for per in counted:
            for fid, c in per.items():
                totals[fid] += sum(c.values())
        avg = {fid: totals[fid] / max(1, len(docs)) for fid in META_FIELDS}
    post = Postings()
    for fid in META_FIELDS:
        ids: dict[str, list] = defaultdict(list)
        post.ids[fid] = ids
        if fid in WEIGHTED:
            weights: dict[str, bytearray] = defaultdict(bytearray)
            post.weights[fid] = weights
            cache: dict[tuple[int, int], int] = {}
            field_avg = avg.get(fid) or 1.0
        for doc_id, per in enumerate(counted, first_id):
            c = per.get(fid)
            if not c:
                continue
            if fid not in WEIGHTED:
                for term in c:
                    ids[term].append(doc_id)
                continue
            length = sum(c.values())
            for term, tf in c.items():
                w = cache.get((tf, length))
                if w is None:
                    w = cache[tf, length] = quantise(bm25(tf, length, field_avg))
                ids[term].append(doc_id)
                weights[term].append(w)
    return post, avg


_WORK: list[Document] = []


def _text_chunk(bounds: tuple[int, int, int]) -> tuple[Postings, list[tuple[int, int]]]:
    lo, hi, first_id = bounds
    body: dict[str, list] = defaultdict(list)
    att: dict[str, list] = defaultdict(list)
    lengths = []
    for doc_id, doc in enumerate(_WORK[lo:hi], first_id + lo):
        body_text, att_text = searchable_text(doc)
        found, n_body = text_terms(body_text)
        for term in found:
            body[term].append(doc_id)
        found, n_att = text_terms(att_text)
        for term in found:
            att[term].append(doc_id)
        lengths.append((n_body, n_att))
    post = Postings()
    post.ids[FIELD_ID["body"]] = {t: array("i", v) for t, v in body.items()}
    post.ids[FIELD_ID["att"]] = {t: array("i", v) for t, v in att.items()}
    return post, lengths


def text_postings(docs: list[Document], first_id: int, workers: int | None = None,
                  meanwhile: Callable[[], object] | None = None) -> tuple[Postings, list[tuple[int, int]]]:
    """Full-text postings and (body, attachment) lengths of ``docs``; on every core when large, while
    this process runs ``meanwhile``."""
    global _WORK
    _WORK = docs
    try:
        chars = sum(len(d.body) for d in docs)
        workers = workers or min(os.cpu_count() or 1, 8)
        if workers < 2 or chars < PARALLEL_MIN_CHARS:
            if meanwhile:
                meanwhile()
            return _text_chunk((0, len(docs), first_id))
        step = max(1, len(docs) // (workers * 4))
        chunks = [(lo, min(lo + step, len(docs)), first_id) for lo in range(0, len(docs), step)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending = pool.map_async(_text_chunk, chunks, chunksize=1)
            if meanwhile:
                meanwhile()
            parts = pending.get()
        post, lengths = parts[0]
        for more, more_lengths in parts[1:]:
            post.extend(more)
            lengths += more_lengths
        return post, lengths
    finally:
        _WORK = []


_ENCODING: tuple = ()


def _encode_range(bounds: tuple[int, int]) -> list[bytes]:
    groups, universe = _ENCODING
    out = []
    for group in groups[bounds[0]:bounds[1]]:
        encoded = {}
        for term, fields in group.items():
            parts = [codec.encode_field(fid, ids, weights, universe) for fid, ids, weights in fields]
            encoded[term] = (b"".join(parts), len(parts))
        out.append(codec.encode_shard(encoded))
    return out


def encode_postings(post: Postings, universe: int, target: int = SHARD_TARGET_BYTES, most: int = 4096,
                    workers: int | None = None) -> list[bytes]:
    """The shards of ``post``, as many (a power of two, at most ``most``) as hold about ``target``
    postings each (a dense list counts as its bitmap); encoded on every core when there are many."""
    dense = universe // 8 + 1 if universe else 1 << 62
    size = sum(min(len(ids), dense) for per in post.ids.values() for ids in per.values())
    size += sum(len(w) for per in post.weights.values() for w in per.values())
    count = 1
    while count < most and size / count > target:
        count *= 2
    groups: list[dict[str, list]] = [defaultdict(list) for _ in range(count)]
    for fid in sorted(post.ids):
        weights = post.weights.get(fid, {})
        for term, ids in post.ids[fid].items():
            groups[fnv1a(term) % count][term].append((fid, ids, weights.get(term)))
    global _ENCODING
    _ENCODING = (groups, universe)
    try:
        workers = workers or min(os.cpu_count() or 1, 8)
        if workers < 2 or count < 64:
            return _encode_range((0, count))
        step = max(1, count // (workers * 4))
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_encode_range, [(lo, min(lo + step, count)) for lo in range(0, count, step)])
        return [shard for part in parts for shard in part]
    finally:
        _ENCODING = ()


def norms(lengths: list[tuple[int, int]], avg: tuple[float, float]) -> bytes:
    """Two bytes per document: the BM25 weight of a term occurring once in its body / attachments."""
    out = bytearray()
    for n_body, n_att in lengths:
        out.append(quantise(bm25(1, n_body, avg[0])) if n_body else 0)
        out.append(quantise(bm25(1, n_att, avg[1])) if n_att else 0)
    return bytes(out)
