"""Base and delta: the index as served, built so that an edit costs only the edited documents.

:func:`build_index` compares the documents with the bases cached in
``cache_dir`` (each a snapshot of the documents' digests and its encoded
shards) and takes the one that needs the smallest delta; when none is close
enough it builds a new base from every document. The search results do not
depend on which base was taken: base + delta always index exactly the current
documents. The base's shards are published whole, the postings the delta marks
dead included, so a base is taken only when everything it indexes is still
public (:func:`unpublished`).
Sites smaller than :data:`MIN_CACHED_DOCS` are indexed from scratch every time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

from ..model import Document
from .index import CODE_VERSION, Entry, Postings, encode_postings, entry, meta_postings, norms, text_postings

MIN_CACHED_DOCS = 1000  # smaller sites: no cached base, the whole index is rebuilt (milliseconds)
KEEP_BASES = 3  # cached bases kept (the most recently used)
DELTA_TARGET_BYTES = 8_000  # raw bytes per delta shard


def max_delta(n_docs: int) -> int:
    """How many changed documents a delta may hold before a new base pays off."""
    return max(32, n_docs // 50)


@dataclass
class Base:
    id: str
    order: list[tuple[str, str]]  # (url, digest) of each document, by id
    texts: list[bool]  # by id: its body and attachment text are indexed (not a withdrawn document's)
    avg: dict  # average field lengths (metadata fields by id; "text": (body, attachments))
    norms: bytes  # two bytes per document (see index.norms)
    meta: list[bytes]  # metadata shards
    text: list[bytes]  # full-text shards

    @property
    def size(self) -> int:
        return len(self.order)


@dataclass
class Delta:
    id: str
    ids: dict[str, int]  # url -> id of every current document
    dead: list[int]  # base ids whose base postings no longer count (changed or removed)
    total: int  # ids in use: base size + added documents
    shards: list[bytes]  # postings of the added and changed documents, all fields
    norms: bytes  # two bytes per id, for every id


def base_id(order: list[tuple[str, str]]) -> str:
    h = hashlib.sha1(CODE_VERSION.encode())
    for url, digest in order:
        h.update(f"{url}\0{digest}\n".encode())
    return h.hexdigest()[:16]


def build_base(docs: list[Document], entries: list[Entry]) -> Base:
    """Index every document (ids in the given order)."""
    order = [(e.url, e.digest) for e in entries]
    meta: list = []
    text, lengths = text_postings(docs, 0, meanwhile=lambda: meta.extend(meta_postings(docs, 0)))
    post, avg = meta
    body = [b for b, _ in lengths if b]
    att = [a for _, a in lengths if a]
    avg["text"] = (sum(body) / max(1, len(body)), sum(att) / max(1, len(att)))
    universe = len(docs)
    return Base(base_id(order), order, [e.text for e in entries], avg, norms(lengths, avg["text"]),
                encode_postings(post, universe), encode_postings(text, universe))


def build_delta(base: Base, docs: list[Document], entries: list[Entry]) -> Delta:
    """The documents added or changed since ``base``, and the base ids to ignore."""
    in_base = {url: (i, digest) for i, (url, digest) in enumerate(base.order)}
    ids: dict[str, int] = {}
    changed: list[tuple[int, Document, Entry]] = []
    added = []
    for e, doc in zip(entries, docs):
        old = in_base.get(e.url)
        if old is None:
            added.append((e.url, doc, e))
            continue
        ids[e.url] = old[0]
        if old[1] != e.digest:
            changed.append((old[0], doc, e))
    next_id = base.size
    for url, doc, e in sorted(added, key=lambda item: item[0]):
        ids[url] = next_id
        changed.append((next_id, doc, e))
        next_id += 1
    changed.sort(key=lambda item: item[0])
    kept = set(ids.values())
    removed = [i for i in range(base.size) if i not in kept]
    dead = sorted(removed + [i for i, _, _ in changed if i < base.size])
    post = Postings()
    lengths: list[tuple[int, int]] = []
    for doc_id, doc, _ in changed:  # one at a time: the ids are not contiguous
        meta, _ = meta_postings([doc], doc_id, base.avg)
        text, doc_lengths = text_postings([doc], doc_id, workers=1)
        post.extend(meta)
        post.extend(text)
        lengths += doc_lengths
    patched = bytearray(base.norms) + bytearray(2 * (next_id - base.size))
    fresh = norms(lengths, base.avg["text"])
    for k, (doc_id, _, _) in enumerate(changed):
        patched[2 * doc_id:2 * doc_id + 2] = fresh[2 * k:2 * k + 2]
    for doc_id in removed:
        patched[2 * doc_id:2 * doc_id + 2] = b"\0\0"
    h = hashlib.sha1(f"{base.id}\0{dead}".encode())
    for doc_id, _, e in changed:
        h.update(f"{doc_id}\0{e.digest}\n".encode())
    shards = encode_postings(post, 0, DELTA_TARGET_BYTES, most=64, workers=1) if changed else []
    return Delta(h.hexdigest()[:16], ids, dead, next_id, shards, bytes(patched))


def snapshot(base: Base) -> list[tuple[str, str, bool]]:
    """What a cached base's ``.docs`` file holds: (url, digest, text indexed) of each document, by id."""
    return [(url, digest, text) for (url, digest), text in zip(base.order, base.texts)]


def unpublished(docs: list[tuple[str, str, bool]], entries: dict[str, Entry]) -> bool:
    """Whether a base (its :func:`snapshot`) indexes something the current documents do not publish: a
    document no longer on the site (deleted, back to draft, not public yet as of this build), or the text
    of one withdrawn since. An edited document's earlier version may stay in it: that was public."""
    for url, _, text in docs:
        now = entries.get(url)
        if now is None or (text and not now.text):
            return True
    return False


class BaseStore:
    """Cached bases in one directory: ``<code>-<id>.docs`` (its :func:`snapshot`) and ``<code>-<id>.base``
    (everything); only bases made by this version of the code are taken."""

    def __init__(self, directory: Path | None):
        self.dir = Path(directory) if directory else None

    def candidates(self) -> list[Path]:
        if self.dir is None or not self.dir.is_dir():
            return []
        return sorted(self.dir.glob(f"{CODE_VERSION}-*.docs"), key=lambda p: p.stat().st_mtime, reverse=True)

    def best(self, entries: list[Entry], as_of: dt.datetime | None = None) -> tuple[Base | None, bool]:
        """The cached base closest to ``entries``, if its delta stays under :func:`max_delta` and it indexes
        nothing unpublished; and whether a base close enough was refused for that (:func:`unpublished`).

        ``as_of``: the time the site is built as of; a base built as of a later time is never taken (a build
        of the site as it was must not hold text published only since, even as an edit's earlier postings)."""
        current = {e.url: e for e in entries}
        best: tuple[int, Path] | None = None
        refused = False
        for path in self.candidates():
            try:
                built_as_of, docs = pickle.loads(path.read_bytes())
                seen = {url: digest for url, digest, _ in docs}
            except (OSError, pickle.PickleError, EOFError, ValueError, TypeError):
                continue
            if as_of is not None and built_as_of is not None and built_as_of > as_of:
                continue
            diff = sum(1 for url, e in current.items() if seen.get(url) != e.digest)
            diff += sum(1 for url in seen if url not in current)
            if diff > max_delta(len(entries)) or (best is not None and diff >= best[0]):
                continue
            if unpublished(docs, current):
                refused = True
                continue
            best = (diff, path)
        if best is None:
            return None, refused
        try:
            base = pickle.loads(best[1].with_suffix(".base").read_bytes())
        except (OSError, pickle.PickleError, EOFError, ValueError):
            return None, refused
        os.utime(best[1])
        return (base, refused) if isinstance(base, Base) else (None, refused)

    def save(self, base: Base, as_of: dt.datetime | None = None) -> None:
        """Keep ``base``, built for the site as of ``as_of`` (None: as of no particular time)."""
        if self.dir is None:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        for suffix, value in ((".base", base), (".docs", (as_of, snapshot(base)))):  # .docs last: it makes the base visible
            target = self.dir / f"{CODE_VERSION}-{base.id}{suffix}"
            tmp = target.with_name(f".{target.name}.{os.getpid()}")
            tmp.write_bytes(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, target)
        for old in sorted(self.dir.glob("*.docs"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP_BASES:]:
            old.unlink(missing_ok=True)
            old.with_suffix(".base").unlink(missing_ok=True)


@dataclass
class SearchIndex:
    base: Base
    delta: Delta
    entries: list[Entry | None]  # by id; None for a removed document
    built: bool  # a new base was built (else a cached one was taken)
    refused: bool  # a cached base close enough was not taken: it indexes what is no longer public
    seconds: float

    @property
    def changed(self) -> list[int]:
        """Ids whose postings are in the delta."""
        dead = set(self.delta.dead)
        return [i for i, e in enumerate(self.entries) if e is not None and (i in dead or i >= self.base.size)]


def build_index(docs: list[Document], cache_dir: Path | None, as_of: dt.datetime | None = None) -> SearchIndex:
    """The index of ``docs`` (the site as of ``as_of``), from a cached base and a delta when one is close enough."""
    started = time.perf_counter()
    entries = [entry(d) for d in docs]
    store = BaseStore(cache_dir if len(docs) >= MIN_CACHED_DOCS else None)
    base, refused = store.best(entries, as_of)
    built = base is None
    if base is None:
        base = build_base(docs, entries)
        store.save(base, as_of)
    delta = build_delta(base, docs, entries)
    by_id: list[Entry | None] = [None] * delta.total
    for e in entries:
        by_id[delta.ids[e.url]] = e
    return SearchIndex(base, delta, by_id, built, refused and built, time.perf_counter() - started)
