"""The search page and the index files, as :class:`~govportal.pages.PageSpec` data files.

Under ``search/data/`` (paths stay the same from build to build; ``index.json`` gives
each file's version, which the browser appends as ``?v=`` so it never mixes two builds)::

    index.json          what to load: fields, shard counts, versions, the vocabularies of the filters
    m<n>.bin            metadata shards of the base        deps and version: the base id
    t<n>.bin            full-text shards of the base       deps and version: the base id
    d<n>.bin            delta shards                       deps and version: the delta id
    norms.bin           body / attachment length norms     deps and version: the delta id
    docs/<n>.json       what a hit shows, 16 ids a file    deps: those rows
    facets.json         type, issuer, topic, validity, status, date of every id

The base and delta ids are digests of every document they index (see
:mod:`.segments`), so an edit changes the delta, its norms, one docs file, the
facets and the manifest, and nothing else.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Iterator

from ..model import TYPES, VALIDITIES
from ..site import SiteModel
from .index import DEFAULT_WEIGHT, FIELDS, WEIGHT_SCALE
from .segments import SearchIndex, build_index
from .tokenizer import LABELS

DATA = "search/data/"
BLOCK = 16  # documents per docs file
ROOT = Path(__file__).resolve().parents[2]
FORMAT = 1
PREVIEW_DIR = "preview"  # under the cache directory: the bases of preview builds
log = logging.getLogger(__name__)


def default_cache_dir(build_cache: Path | None = None) -> Path:
    """Where cached bases live: $PORTAL_SEARCH_CACHE, else ``search/`` in the build's cache directory
    (the repository's .cache/ unless the build was given another); a preview build's go in its :data:`PREVIEW_DIR`."""
    return Path(os.environ.get("PORTAL_SEARCH_CACHE") or Path(build_cache or ROOT / ".cache") / "search")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _short_hash(value) -> str:
    return hashlib.sha1(_dumps(value).encode("utf-8")).hexdigest()[:10]


def _const(data: bytes | str):
    return lambda: data


def facet_columns(index: SearchIndex, vocab: dict[str, list[str]]) -> dict:
    """Facets of every id in columns: codes into the manifest's vocabularies, dates as day gaps."""
    codes = {name: {v: i for i, v in enumerate(values)} for name, values in vocab.items()}
    cols: dict[str, list] = {"type": [], "issuer": [], "topic": [], "validity": [], "status": [], "day": []}
    last = 0
    for e in index.entries:
        if e is None:
            type_, issuer, topic, validity, status, date = "", "", "", "", "removed", ""
        else:
            type_, issuer, topic, validity, status, date = e.facets
        cols["type"].append(codes["types"].get(type_, -1))
        cols["issuer"].append(codes["issuers"].get(issuer, -1))
        cols["topic"].append(codes["topics"].get(topic, -1))
        cols["validity"].append(codes["validities"].get(validity, -1))
        cols["status"].append(codes["statuses"].get(status, -1))
        day = dt.date.fromisoformat(date).toordinal() - 719163 if date else 0  # days since 1970-01-01
        cols["day"].append(day - last)
        last = day
    return cols


def vocabularies(site: SiteModel) -> dict[str, list[str]]:
    """The values the filters offer, in the vocabularies' order (documents' own values appended)."""
    issuers = list(site.vocab.issuers)
    topics = list(site.vocab.topics)
    for doc in site.documents:
        if doc.issuer and doc.issuer not in site.vocab.issuers and doc.issuer not in issuers:
            issuers.append(doc.issuer)
        if doc.topic and doc.topic not in site.vocab.topics and doc.topic not in topics:
            topics.append(doc.topic)
    return {"types": list(TYPES), "issuers": issuers, "topics": topics, "validities": list(VALIDITIES),
            "statuses": ["published", "withdrawn", "draft", "removed"]}


def search_pages(site: SiteModel, cache_dir: Path | None = None) -> Iterator:
    """``search/index.html`` and every file of the index."""
    from ..pages import PageSpec, Section, page_context, section_crumbs  # govportal.pages imports this module

    cache_dir = cache_dir or default_cache_dir(site.cache_dir)
    if site.preview:  # its bases index drafts or versions not public yet: never one for the public site
        cache_dir = cache_dir / PREVIEW_DIR
    index = build_index(site.documents, cache_dir, site.now)
    base, delta = index.base, index.delta
    if index.refused:
        log.info("检索索引：缓存的基础索引含有已不公开的文件（撤回、删除或改回草稿），重新建立")
    log.info("检索索引：%d 个文件，基础索引 %s（%s，%d+%d 个分片，%.1f MB），增量 %d 个文件（%d 个分片），用时 %.2f 秒",
             len(site.documents), base.id, "新建" if index.built else "沿用缓存", len(base.meta), len(base.text),
             (sum(map(len, base.meta)) + sum(map(len, base.text))) / 1e6, len(index.changed), len(delta.shards),
             index.seconds)
    for kind, shards in (("m", base.meta), ("t", base.text)):
        for n, data in enumerate(shards):
            yield PageSpec(f"{DATA}{kind}{n}.bin", "data:search-shard", deps=[base.id, kind, n],
                           data=_const(data))
    for n, data in enumerate(delta.shards):
        yield PageSpec(f"{DATA}d{n}.bin", "data:search-shard", deps=[delta.id, n], data=_const(data))
    yield PageSpec(DATA + "norms.bin", "data:search-norms", deps=[delta.id], data=_const(delta.norms))
    blocks = []
    for start in range(0, delta.total, BLOCK):
        rows = [list(e.display) if e else None for e in index.entries[start:start + BLOCK]]
        blocks.append(_short_hash(rows))
        yield PageSpec(f"{DATA}docs/{start // BLOCK}.json", "data:search-docs", deps=rows,
                       data=lambda rows=rows: _dumps(rows))
    vocab = vocabularies(site)
    facets = facet_columns(index, vocab)
    yield PageSpec(DATA + "facets.json", "data:search-facets", deps=facets, data=lambda: _dumps(facets))
    manifest = {
        "format": FORMAT,
        "pipeline": list(LABELS),
        "fields": [[f.name, f.boost, f.weighted, f.text] for f in FIELDS],
        "weightScale": WEIGHT_SCALE,
        "defaultWeight": DEFAULT_WEIGHT,
        "base": {"id": base.id, "size": base.size, "meta": len(base.meta), "text": len(base.text)},
        "delta": {"id": delta.id, "shards": len(delta.shards), "dead": delta.dead},
        "total": delta.total,
        "count": len(site.documents),
        "facets": _short_hash(facets),
        "block": BLOCK,
        "blocks": blocks,
        "vocab": vocab,
        "typeLabels": TYPES,
    }
    yield PageSpec(DATA + "index.json", "data:search-manifest", deps=manifest, data=lambda: _dumps(manifest))
    policies = site.vocab.columns.get("政策文件") or site.column_of_type("政策文件")
    section = Section("政策文件检索", "按标题、文号、发布日期和正文检索本网站公开的政策文件和政府信息", "政策文件",
                      "search/", ("检索", "政策文件库", "发文字号"), policies)
    years = site.years()
    yield PageSpec("search/index.html", "search.html",
                   page_context(section, section_crumbs(section), years=years, vocab=vocab, types=TYPES,
                                validities=VALIDITIES),
                   [years, vocab])
