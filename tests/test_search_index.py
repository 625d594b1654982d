"""The search index: shard format, base + delta = a fresh index, and what an edit rewrites."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govportal.repository import load_repository
from govportal.search import codec, segments
from govportal.search.index import FIELD_ID, FIELDS, WEIGHTED, entry
from govportal.search.pages import search_pages
from govportal.site import build_site

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 11, 23, 12, 0)


@pytest.fixture(scope="module")
def demo():
    repo = load_repository(ROOT / "content", None, gate=False)
    return build_site(repo, NOW)


@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.sets(st.integers(0, n - 1), min_size=1))),
       st.booleans())
def test_fields_decode_to_what_was_encoded(case, weighted):
    universe, ids = case
    ids = sorted(ids)
    weights = bytes(1 + i % 200 for i in range(len(ids))) if weighted else None
    field_id = 0 if weighted else 9
    shard = codec.encode_shard({"示例": (codec.encode_field(field_id, ids, weights, universe), 1)})
    got_ids, got_weights = codec.decode_shard(shard, WEIGHTED, universe)["示例"][field_id]
    assert got_ids == ids
    assert got_weights in (weights, None)  # dense kinds drop the weights (common terms only)
    if got_weights is None and weighted:
        assert len(ids) * 16 >= universe


def test_dense_postings_take_the_smallest_kind():
    universe = 10_000
    every = list(range(universe))
    assert codec.encode_field(9, every[:-3], None, universe)[1] == codec.COMPLEMENT
    assert codec.encode_field(9, every[::3], None, universe)[1] == codec.BITMAP
    assert codec.encode_field(9, every[::500], None, universe)[1] == codec.SPARSE
    assert len(codec.encode_field(9, every[:-3], None, universe)) < 10


def postings_by_url(base: segments.Base, delta: segments.Delta) -> dict:
    """url -> field -> the terms it is found by, as the browser reads base (minus dead ids) and delta."""
    url_of = {i: url for url, i in delta.ids.items()}
    dead = set(delta.dead)
    out: dict = {}
    for shards, is_base in ((base.meta + base.text, True), (delta.shards, False)):
        for shard in shards:
            for term, fields in codec.decode_shard(shard, WEIGHTED, base.size).items():
                for field_id, (ids, _) in fields.items():
                    for i in ids:
                        if is_base and i in dead:
                            continue
                        out.setdefault(url_of[i], {}).setdefault(FIELDS[field_id].name, set()).add(term)
    return out


def test_base_and_delta_index_exactly_the_current_documents(demo):
    docs = list(demo.documents)
    edited, removed, added = docs[0], docs[1], docs[2]
    old = [d for d in docs if d is not added]
    old[0] = dataclasses.replace(edited, title=edited.title + "（征求意见稿）", body="旧的正文：城市更新老旧小区。")
    base = segments.build_base(old, [entry(d) for d in old])
    new = [d for d in docs if d is not removed]
    delta = segments.build_delta(base, new, [entry(d) for d in new])
    ids = delta.ids
    assert sorted(delta.dead) == sorted([ids[edited.url], base.order.index((removed.url, entry(removed).digest))])
    assert ids[added.url] == base.size == delta.total - 1
    in_delta = {i for shard in delta.shards for fields in codec.decode_shard(shard, WEIGHTED, 0).values()
                for got, _ in fields.values() for i in got}
    assert in_delta == {ids[edited.url], ids[added.url]}

    fresh = segments.build_base(new, [entry(d) for d in new])
    fresh_delta = segments.build_delta(fresh, new, [entry(d) for d in new])
    assert fresh_delta.shards == [] and fresh_delta.dead == []
    assert postings_by_url(base, delta) == postings_by_url(fresh, fresh_delta)
    assert "旧的" not in str(postings_by_url(base, delta)[edited.url])
    assert len(delta.norms) == 2 * delta.total


def test_a_cached_base_is_reused_when_the_delta_is_small(tmp_path, monkeypatch, demo):
    monkeypatch.setattr(segments, "MIN_CACHED_DOCS", 1)
    monkeypatch.setattr(segments, "max_delta", lambda n: 2)
    docs = list(demo.documents)
    first = segments.build_index(docs, tmp_path)
    assert len(list(tmp_path.glob("*.base"))) == 1
    docs[5] = dataclasses.replace(docs[5], body=docs[5].body + "\n\n新增一段。")
    again = segments.build_index(docs, tmp_path)
    assert again.base.id == first.base.id and len(again.delta.dead) == 1
    for i in range(6, 9):
        docs[i] = dataclasses.replace(docs[i], summary="改了摘要")
    third = segments.build_index(docs, tmp_path)
    assert third.base.id != first.base.id and third.delta.dead == []  # a new base: the delta was too large
    assert len(list(tmp_path.glob("*.docs"))) == 2


def test_a_cached_base_is_taken_only_while_everything_it_indexes_is_public(tmp_path, monkeypatch, demo, caplog):
    """Its shards are published whole: a withdrawn document's text, a removed document's postings must not stay."""
    monkeypatch.setattr(segments, "MIN_CACHED_DOCS", 1)
    docs = [d for d in demo.documents if d.status == "published"]
    docs[3] = dataclasses.replace(docs[3], body=docs[3].body + "\n\n标记QAMARKER。")
    first = segments.build_index(docs, tmp_path)
    assert b"qamarker" in b"".join(first.base.text)  # terms are stored as UTF-8

    withdrawn = list(docs)
    withdrawn[3] = dataclasses.replace(docs[3], status="withdrawn")
    with caplog.at_level("INFO"):
        specs = {s.path: s for s in search_pages(dataclasses.replace(demo, documents=withdrawn), tmp_path)}
    assert not any(b"qamarker" in s.data() for p, s in specs.items() if p.endswith(".bin"))
    assert "缓存的基础索引含有已不公开的文件" in caplog.text
    again = segments.build_index(withdrawn, tmp_path)  # its metadata-only entry is no reason to refuse
    assert not again.built and not again.refused
    edited = list(withdrawn)
    edited[5] = dataclasses.replace(edited[5], body=edited[5].body + "\n\n新增一段。")
    assert not segments.build_index(edited, tmp_path).built

    removed = segments.build_index(docs[:3] + docs[4:], tmp_path)  # deleted or back to draft
    assert removed.built and removed.refused and b"qamarker" not in b"".join(removed.base.text)


def test_the_bases_are_kept_in_the_builds_cache_directory(tmp_path, monkeypatch, demo):
    monkeypatch.setattr(segments, "MIN_CACHED_DOCS", 1)
    monkeypatch.delenv("PORTAL_SEARCH_CACHE", raising=False)
    list(search_pages(dataclasses.replace(demo, cache_dir=tmp_path / "build")))  # scripts/build --cache DIR
    assert len(list((tmp_path / "build" / "search").glob("*.base"))) == 1
    monkeypatch.setenv("PORTAL_SEARCH_CACHE", str(tmp_path / "env"))  # the variable still wins
    list(search_pages(dataclasses.replace(demo, cache_dir=tmp_path / "build")))
    assert len(list((tmp_path / "env").glob("*.base"))) == 1
    list(search_pages(dataclasses.replace(demo, cache_dir=tmp_path / "build", preview=True)))  # drafts, --now later
    assert len(list((tmp_path / "env" / "preview").glob("*.base"))) == 1  # apart from the public site's


def fingerprints(site, cache: Path) -> dict[str, str]:
    return {s.path: s.fingerprint() for s in search_pages(site, cache)}


def test_editing_a_body_rewrites_only_the_delta_norms_and_manifest(tmp_path, monkeypatch, demo):
    monkeypatch.setattr(segments, "MIN_CACHED_DOCS", 1)
    before = fingerprints(demo, tmp_path)
    assert any(p.endswith("/m0.bin") for p in before) and "search/index.html" in before
    i = next(k for k, d in enumerate(demo.documents) if d.type == "policy")
    site = dataclasses.replace(demo, documents=list(demo.documents))
    site.documents[i] = dataclasses.replace(site.documents[i], body=site.documents[i].body + "\n\n补充说明。")
    after = fingerprints(site, tmp_path)
    changed = {p for p in after if before.get(p) != after[p]}
    assert set(after) == set(before) | {"search/data/d0.bin"}
    assert changed == {"search/data/index.json", "search/data/norms.bin", "search/data/d0.bin"}


def test_editing_a_title_rewrites_its_docs_file_too(tmp_path, monkeypatch, demo):
    monkeypatch.setattr(segments, "MIN_CACHED_DOCS", 1)
    before = fingerprints(demo, tmp_path)
    site = dataclasses.replace(demo, documents=list(demo.documents))
    site.documents[20] = dataclasses.replace(site.documents[20], title="新的标题")
    after = fingerprints(site, tmp_path)
    docs_files = {p for p in after if p.startswith("search/data/docs/") and before.get(p) != after[p]}
    assert docs_files == {f"search/data/docs/{20 // 16}.json"}


def test_manifest_describes_the_files(tmp_path, demo):
    specs = {s.path: s for s in search_pages(demo, tmp_path)}
    manifest = json.loads(specs["search/data/index.json"].data())
    base = manifest["base"]
    for n in range(base["meta"]):
        assert f"search/data/m{n}.bin" in specs
    assert all(f"search/data/docs/{n}.json" in specs for n in range(len(manifest["blocks"])))
    assert {"search/data/norms.bin", "search/data/facets.json"} <= set(specs)
    assert manifest["count"] == len(demo.documents) == manifest["total"]
    assert manifest["pipeline"] == ["normalise", "split_runs", "bigrams", "words"]
    rows = json.loads(specs["search/data/docs/0.json"].data())
    assert rows[0][0] == demo.documents[0].url and rows[0][1] == demo.documents[0].title


def test_a_withdrawn_documents_summary_and_attachment_titles_are_not_indexed_or_shown(demo):
    """Withdrawn: found by its title, 文号 and other catalogue data, not by its 内容概述 or the titles of files no
    longer provided, and a hit shows neither (QA's D6)."""
    from govportal.search.index import meta_texts

    doc = next(d for d in demo.documents if d.status == "published" and d.attachments and d.summary)
    gone = dataclasses.replace(doc, status="withdrawn")
    assert entry(doc).display[8:] == (doc.summary, [a.title for a in doc.attachments])
    assert entry(gone).display[8:] == ("", []) and entry(gone).display[:2] == entry(doc).display[:2]
    texts = meta_texts(gone)
    assert (texts[FIELD_ID["summary"]], texts[FIELD_ID["attachments"]], texts[FIELD_ID["title"]]) == ("", "", doc.title)
    assert meta_texts(doc)[FIELD_ID["summary"]] == doc.summary
