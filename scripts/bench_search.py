#!/usr/bin/env python3
"""政策文件检索基准：``scripts/bench_search.py [--size 14000] [--workdir bench-work/search] [--corpus DIR]
[--site DIR] [--rebuild] [--per-kind 100] [--cold 25] [--latency 60] [--no-pagefind] [--no-lunr]
[--lunr-docs N] [--lunr-relevance N]``

1. the synthetic corpus (``scripts/gen_corpus.py``, made once) built with ``scripts/build`` (reused
   unless ``--rebuild``); a copy of the built site (hard links) indexed by Pagefind, the extended
   binary from npm, ``--force-language zh``, document pages only, the ``<article>`` as root;
2. the lunr index the issue asked for (reused unless ``--rebuild``): lunr.py 0.8.0 over the site's
   documents, the metadata fields of ``govportal/search/index.py`` only (title, 文号, issuer, topic,
   keywords, summary, attachment titles, with its field boosts; not its title1 and key fields, nor
   the body), each field cut by our tokenizer (``tokenizer.terms``) and the terms joined with spaces,
   lunr's pipeline and search pipeline emptied (no stemmer, stop words or trimmer), so a lunr term is
   one of our terms; ``json.dumps(idx.serialize())`` into ``lunr-site-<size>/lunr-index.json`` beside
   ``lunr-docs.json`` (ref -> URL and title), lunr.min.js from node_modules, search-tokenizer.js and a
   test page that loads the index (``lunr.Index.load``) and queries it with the terms of our browser
   tokenizer (``analyseQuery``), every term required (``q.term``, no query parser), drawing the first
   ten results; ``--lunr-docs N`` indexes only the first N documents (for debugging the step);
3. all served on 127.0.0.1 by a small HTTP server that gzips like a web server (html, css, js,
   json and the index shards; Pagefind's own files are gzip already and go as they are);
4. in Debian's Chromium (Playwright), for this project, for Pagefind (through its JS API, drawing
   the first ten results as its UI does) and for lunr:
   * payload: bytes transferred (Resource Timing, headers included) from a cold cache until the first
     results are in the page, for ``--cold`` queries of the query set;
   * latency: keystroke to rendered results (this project: the last character typed into the box,
     from the input event to the next animation frame after drawing; Pagefind: search + the data of
     the first ten results + drawing; lunr: tokenising + ``idx.query`` + drawing), once the queries'
     files are loaded: p50 and p95;
   * relevance: the share of queries whose expected document comes first, on a query set generated
     from the corpus: exact titles, title fragments of 4-6 characters found in no other title,
     文号 in five spellings, 8-character phrases of body text found in no other document (not for
     lunr, whose index has no body text; ``--lunr-relevance N`` caps lunr's queries per kind);
   * lunr only: ``JSON.parse`` + ``lunr.Index.load`` of the fetched index, median of five.

Prints figures, never asserts targets; exits non-zero only if a build or a tool fails.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import gen_corpus  # noqa: E402
from govportal.repository import load_repository  # noqa: E402
from govportal.site import build_site  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
CHROMIUM = "/usr/bin/chromium"
LUNR = "lunr 2.3.9（仅元数据）"
LUNR_JS = ROOT / "node_modules" / "lunr" / "lunr.min.js"
COMPRESSED = {".html", ".css", ".js", ".mjs", ".json", ".bin", ".svg", ".xml", ".txt"}
KINDS = ("title", "fragment", "doc_no", "phrase")
KIND_LABELS = {"title": "完整标题", "fragment": "标题片段(4-6字)", "doc_no": "文号(5种写法)", "phrase": "正文短语(8字)"}
SETTINGS = '''import os, sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa
THEME = os.path.join({root!r}, "themes", "portal")
PLUGIN_PATHS = [os.path.join({root!r}, "plugins")]
PORTAL_CACHE_PATH = {cache!r}
'''
PAGEFIND_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind</title>
<script type="module" src="/pf-bench.js"></script></head><body><ol id="results"></ol></body></html>"""
PAGEFIND_JS = """// The Pagefind side of scripts/bench_search.py: search, then the data of the first ten results, drawn.
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.options({ excerptLength: 30 });
await pagefind.init();
const list = document.getElementById("results");
async function run(q) {
  const search = await pagefind.search(q);
  const top = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  list.textContent = "";
  for (const d of top) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = d.url;
    a.textContent = d.meta.title || d.url;
    li.append(a);
    list.append(li);
  }
  return top.map((d) => d.url);
}
window.pfRun = run;
const q = new URLSearchParams(location.search).get("q");
if (q) { await run(q); window.firstRenderAt = performance.now(); }
window.pfReady = true;
"""
LUNR_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>lunr</title>
<script src="/lunr.min.js"></script><script src="/theme/js/search-tokenizer.js"></script>
<script type="module" src="/bench.js"></script></head><body><ol id="results"></ol></body></html>"""
LUNR_BENCH_JS = """// The lunr side of scripts/bench_search.py: our browser tokenizer's terms, every one required,
// through q.term (no query string parser), then the first ten results drawn from lunr-docs.json (ref -> URL,
// title).
const [text, docs] = await Promise.all([fetch("/lunr-index.json").then((r) => r.text()),
                                        fetch("/lunr-docs.json").then((r) => r.json())]);
const load = () => lunr.Index.load(JSON.parse(text));
const idx = load();
const list = document.getElementById("results");
function run(q) {
  const terms = GovSearchTokenizer.analyseQuery(q).terms;
  const hits = terms.length ? idx.query((query) => terms.forEach(
    (t) => query.term(t, { presence: lunr.Query.presence.REQUIRED }))) : [];
  const top = hits.slice(0, 10).map((h) => docs[Number(h.ref)]);
  list.textContent = "";
  for (const [url, title] of top) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = url;
    a.textContent = title;
    li.append(a);
    list.append(li);
  }
  return top.map((d) => d[0]);
}
window.lunrRun = run;
window.lunrLoadTimes = (n) => {  // JSON.parse + lunr.Index.load of the text already fetched
  const times = [];
  for (let i = 0; i < n; i++) { const t0 = performance.now(); load(); times.push(performance.now() - t0); }
  return times;
};
const q = new URLSearchParams(location.search).get("q");
if (q) { run(q); window.firstRenderAt = performance.now(); }
window.lunrReady = true;
"""


def log(message: str) -> None:
    print(message, flush=True)


# ---- corpus, builds, Pagefind --------------------------------------------------------------------


def corpus_dir(args) -> Path:
    if args.corpus:
        return Path(args.corpus)
    target = args.workdir / f"corpus-{args.size}"
    if not (target / "_data").is_dir():
        log(f"生成 {args.size} 个文件的合成语料：{target}")
        shutil.rmtree(target, ignore_errors=True)
        gen_corpus.generate(args.size, target, seed=args.seed)
    return target


def build(args, corpus: Path) -> tuple[Path, dict]:
    site = Path(args.site) if args.site else args.workdir / f"site-{args.size}"
    info_file = site.with_name(site.name + ".build.json")
    if site.is_dir() and not args.rebuild and info_file.exists():
        return site, json.loads(info_file.read_text("utf-8"))
    settings = args.workdir / "settings.py"
    settings.write_text(SETTINGS.format(root=str(ROOT), cache=str(args.workdir / "cache")), "utf-8")
    env = dict(os.environ, PORTAL_SEARCH_CACHE=str(args.workdir / "search-cache"))
    log(f"构建 {corpus} → {site}")
    started = time.perf_counter()
    done = subprocess.run([PYTHON, str(ROOT / "scripts" / "build"), "-s", str(settings), "--content", str(corpus),
                           "-o", str(site)], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"构建失败：\n{done.stderr[-3000:]}")
    line = next((x for x in done.stderr.splitlines() if "检索索引" in x), "")
    info = {"seconds": time.perf_counter() - started, "index_log": line.removeprefix("INFO ").strip()}
    info_file.write_text(json.dumps(info, ensure_ascii=False), "utf-8")
    return site, info


def pagefind_binary() -> Path:
    """Pagefind's extended binary, from ``scripts/pagefind`` (its own package.json and lock file: the
    ``pagefind`` wrapper lists platform packages that the registry here does not serve)."""
    found = sorted((ROOT / "scripts" / "pagefind" / "node_modules" / "@pagefind").glob("linux-*/bin/pagefind_extended"))
    if not found:
        sys.exit("找不到 Pagefind：先运行 make bench-search（它会 npm ci --prefix scripts/pagefind）")
    return found[0]


def pagefind(args, site: Path) -> tuple[Path, dict]:
    target = args.workdir / f"pagefind-{site.name}"
    info_file = target.with_name(target.name + ".json")
    if target.is_dir() and info_file.exists() and not args.rebuild:
        return target, json.loads(info_file.read_text("utf-8"))
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["cp", "-al", str(site), str(target)], check=True)
    (target / "pf-bench.html").write_text(PAGEFIND_PAGE, "utf-8")
    (target / "pf-bench.js").write_text(PAGEFIND_JS, "utf-8")
    log(f"Pagefind 索引 {target}")
    started = time.perf_counter()
    subprocess.run([str(pagefind_binary()), "--site", str(target), "--force-language", "zh",
                    "--glob", "doc/*/index.html", "--root-selector", "article", "--quiet"], cwd=ROOT, check=True)
    info = {"seconds": time.perf_counter() - started}
    info_file.write_text(json.dumps(info), "utf-8")
    return target, info


def site_documents(args, corpus: Path) -> list:
    """The documents the site shows (and our index holds), newest first."""
    repo = load_repository(corpus, args.workdir / "cache", gate=False)
    return build_site(repo, dt.datetime.now()).documents


def lunr_index(args, corpus: Path) -> tuple[Path, dict]:
    """lunr.py over the documents' metadata fields, cut by our tokenizer; the test page beside it."""
    target = args.workdir / (f"lunr-site-{args.size}" + ("" if args.lunr_docs is None else f"-first{args.lunr_docs}"))
    info_file = target.with_name(target.name + ".json")
    if target.is_dir() and info_file.exists() and not args.rebuild:
        return target, json.loads(info_file.read_text("utf-8"))
    from lunr.builder import Builder
    from govportal.search.index import FIELD_ID, FIELDS, meta_texts
    from govportal.search.tokenizer import terms

    log("读取文件（lunr 索引用）")
    docs = site_documents(args, corpus)[:args.lunr_docs]
    fields = {name: FIELDS[FIELD_ID[name]].boost
              for name in ("title", "doc_no", "issuer", "topic", "keywords", "summary", "attachments")}
    log(f"lunr.py 索引 {len(docs)} 个文件的元数据 → {target}")
    started = time.perf_counter()
    rows = []
    for ref, d in enumerate(docs):
        texts = meta_texts(d)
        row = {name: " ".join(terms(texts[FIELD_ID[name]] or "")) for name in fields}
        row["id"] = str(ref)
        rows.append(row)
    tokenised = time.perf_counter()
    builder = Builder()
    builder.pipeline.reset()
    builder.search_pipeline.reset()
    builder.ref("id")
    for name, boost in fields.items():
        builder.field(name, boost=boost)
    for row in rows:
        builder.add(row)
    idx = builder.build()
    built = time.perf_counter()
    serialised = idx.serialize()
    data = json.dumps(serialised)
    finished = time.perf_counter()
    compact = json.dumps(serialised, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    shutil.rmtree(target, ignore_errors=True)
    (target / "theme" / "js").mkdir(parents=True)
    (target / "lunr-index.json").write_text(data, "utf-8")
    (target / "lunr-docs.json").write_text(json.dumps([["/" + d.url, d.title] for d in docs], ensure_ascii=False,
                                                      separators=(",", ":")), "utf-8")
    shutil.copyfile(LUNR_JS, target / "lunr.min.js")
    shutil.copyfile(ROOT / "themes" / "portal" / "static" / "js" / "search-tokenizer.js",
                    target / "theme" / "js" / "search-tokenizer.js")
    (target / "bench.html").write_text(LUNR_PAGE, "utf-8")
    (target / "bench.js").write_text(LUNR_BENCH_JS, "utf-8")
    raw = data.encode("utf-8")
    info = {"seconds": finished - started, "tokenise_seconds": tokenised - started,
            "lunr_seconds": built - tokenised, "serialise_seconds": finished - built, "documents": len(docs),
            "terms": len(idx.inverted_index), "fields": fields,
            "index_bytes": [len(raw), len(gzip.compress(raw, 6))],
            "compact_bytes": [len(compact), len(gzip.compress(compact, 6))]}
    info_file.write_text(json.dumps(info, ensure_ascii=False), "utf-8")
    return target, info


def tree_size(root: Path, pattern: str = "*") -> tuple[int, int, int]:
    """(files, bytes, bytes as served: gzip for the compressed types)."""
    files = raw = served = 0
    for path in root.rglob(pattern):
        if path.is_file():
            data = path.read_bytes()
            files += 1
            raw += len(data)
            served += len(gzip.compress(data, 6)) if path.suffix in COMPRESSED else len(data)
    return files, raw, served


# ---- the query set ------------------------------------------------------------------------------


SPELLINGS = (lambda p, y, n: f"{p}〔{y}〕{n}号", lambda p, y, n: f"{p}[{y}]{n}号", lambda p, y, n: f"{p}({y}){n}号",
             lambda p, y, n: f"{p}{y}年{n}号",
             lambda p, y, n: f"{p}〔{y}〕{n}号".translate(str.maketrans("0123456789", "０１２３４５６７８９")))
DOC_NO = re.compile(r"^(.+?)〔(\d{4})〕(\d+)号$")
PHRASE = re.compile(r"[\u4e00-\u9fff0-9]{8,}")


def query_set(args, corpus: Path) -> list[dict]:
    target = args.workdir / f"queries-{corpus.name}-{args.per_kind}-{args.seed}.json"
    if target.exists():
        return json.loads(target.read_text("utf-8"))
    import ahocorasick

    log("生成查询集")
    docs = site_documents(args, corpus)
    rng = random.Random(args.seed)
    titles = "\0".join(d.title for d in docs)
    out: list[dict] = []
    for d in rng.sample(docs, args.per_kind):
        out.append({"kind": "title", "q": d.title, "url": d.url})
    pool = rng.sample(docs, len(docs))
    for d in pool:
        if sum(1 for q in out if q["kind"] == "fragment") >= args.per_kind:
            break
        spans = [(i, n) for n in (4, 5, 6) for i in range(len(d.title) - n + 1)]
        rng.shuffle(spans)
        for i, n in spans[:30]:
            frag = d.title[i:i + n]
            if titles.count(frag) == 1 and frag.strip():
                out.append({"kind": "fragment", "q": frag, "url": d.url})
                break
    policies = [d for d in docs if DOC_NO.match(d.doc_no or "")]
    for d in rng.sample(policies, min(len(policies), args.per_kind // len(SPELLINGS))):
        prefix, year, num = DOC_NO.match(d.doc_no).groups()
        for spell in SPELLINGS:
            out.append({"kind": "doc_no", "q": spell(prefix, year, num), "url": d.url})
    # Body phrases: every 8-character window (Chinese and digits) of the bodies of some documents, kept
    # where it occurs in no other document (title, body or attachment text); one phrase per document.
    texts = [d.title + "\0" + d.body + "\0" + "\0".join(a.text for a in d.attachments) for d in docs]
    windows: dict[str, list[str]] = {}
    for d in pool[:args.per_kind * 4]:
        found = {run[i:i + 8] for run in PHRASE.findall(d.body) for i in range(len(run) - 7)}
        windows[d.url] = sorted(found)
    automaton = ahocorasick.Automaton()
    for found in windows.values():
        for w in found:
            if w not in automaton:
                automaton.add_word(w, w)
    automaton.make_automaton()
    holders: dict[str, set] = {}
    for d, text in zip(docs, texts):
        for _, w in automaton.iter(text):
            holders.setdefault(w, set()).add(d.url)
    phrases = 0
    for url, found in windows.items():
        unique = [w for w in found if holders.get(w) == {url}]
        if unique and phrases < args.per_kind:
            out.append({"kind": "phrase", "q": rng.choice(unique), "url": url})
            phrases += 1
    target.write_text(json.dumps(out, ensure_ascii=False), "utf-8")
    return out


# ---- serving --------------------------------------------------------------------------------------


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-encoded for the usual compressible types when the browser accepts it."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the slash
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# ---- measurements in Chromium ---------------------------------------------------------------------

RENDERED_AT = "() => performance.timeOrigin + (window.firstRenderAt ?? window.govSearch.firstRenderAt)"
SEARCH_FILES = re.compile(r"/search/data/|/theme/js/search|/pagefind/|/lunr[-.]")


def payloads(browser, url_of, queries: list[str], ready: str) -> list[list[int]]:
    """Per query, bytes received (body as sent, gzip, plus headers) by requests that ended before the first
    results were drawn, from a cold cache: [everything, only the search code and index files]. Counted on
    the network, so requests of Pagefind's web worker count too."""
    out = []
    for q in queries:
        context = browser.new_context()
        finished: list = []
        context.on("requestfinished", lambda request: finished.append(request))
        page = context.new_page()
        page.goto(url_of(q))
        page.wait_for_function(ready, timeout=60_000)
        page.wait_for_timeout(200)
        until = page.evaluate(RENDERED_AT)
        total = search = 0
        for request in finished:
            timing = request.timing
            if timing["startTime"] + timing["responseEnd"] > until + 1:
                continue
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            total += size
            search += size if SEARCH_FILES.search(request.url) else 0
        out.append([total, search])
        context.close()
    return out


def ours_latency(browser, base: str, queries: list[str]) -> tuple[list[float], list[float]]:
    page = browser.new_context().new_page()
    page.goto(base + "/search/")
    page.wait_for_function("() => window.govSearch")
    box = page.locator("#search-q")
    passes: list[list[float]] = []
    for _ in range(2):  # the first pass loads the files the queries need, the second is measured warm
        found = []
        for q in queries:
            box.fill(q[:-1])
            page.wait_for_function("n => window.govSearch.latencies.length >= n", arg=0)
            before = page.evaluate("() => window.govSearch.latencies.length")
            box.press_sequentially(q[-1])
            page.wait_for_function("n => window.govSearch.latencies.length > n", arg=before, timeout=60_000)
            found.append(page.evaluate("() => window.govSearch.latencies[window.govSearch.latencies.length - 1]"))
        passes.append(found)
    page.context.close()
    return passes[0], passes[1]


OURS_RELEVANCE = """async (queries) => {
  const index = new GovSearchIndex.SearchIndex("/search/data/index.json");
  const out = [];
  for (const q of queries) {
    const result = await index.search({ q, sort: "relevance", filters: {} });
    if (!result.hits.length) { out.push(null); continue; }
    const rows = await index.docs([result.hits[0].id]);
    out.push("/" + rows[0][0]);
  }
  return out;
}"""

# Pagefind's and lunr's test pages each define window[run](q) -> the result URLs (lunr's synchronously).
RUN_LATENCY = """async ([run, queries]) => {
  const times = [];
  for (const q of queries) {
    const t0 = performance.now();
    await window[run](q);
    await new Promise((done) => requestAnimationFrame(done));
    times.push(performance.now() - t0);
  }
  return times;
}"""

RUN_RELEVANCE = """async ([run, queries]) => {
  const out = [];
  for (const q of queries) { const urls = await window[run](q); out.push(urls.length ? urls[0] : null); }
  return out;
}"""


def relevance(found: list[str | None], queries: list[dict], kinds=KINDS) -> dict[str, tuple[int, int] | None]:
    """Per kind (hits, queries); None for a kind not measured."""
    scores = {k: [0, 0] for k in kinds}
    for got, q in zip(found, queries):
        scores[q["kind"]][1] += 1
        scores[q["kind"]][0] += got == "/" + q["url"]
    return {k: tuple(scores[k]) if k in scores else None for k in KINDS}


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def sampled(queries: list[dict], args) -> tuple[list[str], list[str]]:
    """The same queries for every engine: ``--cold`` for the payload, ``--latency`` (of 2+ characters) for latency."""
    rng = random.Random(args.seed + 1)
    cold = [q["q"] for q in rng.sample(queries, min(args.cold, len(queries)))]
    latency = [q["q"] for q in rng.sample(queries, min(args.latency, len(queries))) if len(q["q"]) > 1]
    return cold, latency


def measure_ours(browser, base: str, queries: list[dict], args) -> dict:
    cold, latency_queries = sampled(queries, args)
    ready = "() => window.govSearch && window.govSearch.firstRenderAt"
    sizes = payloads(browser, lambda q: f"{base}/search/?q={q}", cold, ready)
    first, warm = ours_latency(browser, base, latency_queries)
    page = browser.new_context().new_page()
    page.goto(base + "/search/")
    page.wait_for_function("() => window.GovSearchIndex")
    found = page.evaluate(OURS_RELEVANCE, [q["q"] for q in queries])
    page.context.close()
    return {"payload": sizes, "latency_first": first, "latency": warm, "relevance": relevance(found, queries)}


def measure_pagefind(browser, base: str, queries: list[dict], args) -> dict:
    from urllib.parse import quote

    cold, latency_queries = sampled(queries, args)
    sizes = payloads(browser, lambda q: f"{base}/pf-bench.html?q={quote(q)}", cold, "() => window.firstRenderAt")
    page = browser.new_context().new_page()
    page.goto(base + "/pf-bench.html")
    page.wait_for_function("() => window.pfReady", timeout=60_000)
    first = page.evaluate(RUN_LATENCY, ["pfRun", latency_queries])
    warm = page.evaluate(RUN_LATENCY, ["pfRun", latency_queries])
    found = page.evaluate(RUN_RELEVANCE, ["pfRun", [q["q"] for q in queries]])
    page.context.close()
    return {"payload": sizes, "latency_first": first, "latency": warm, "relevance": relevance(found, queries)}


def measure_lunr(browser, base: str, queries: list[dict], args) -> dict:
    """As measure_pagefind; relevance without the body phrases (capped by ``--lunr-relevance`` per kind)."""
    from urllib.parse import quote

    cold, latency_queries = sampled(queries, args)
    sizes = payloads(browser, lambda q: f"{base}/bench.html?q={quote(q)}", cold, "() => window.firstRenderAt")
    kinds = ("title", "fragment", "doc_no")
    judged = [q for k in kinds for q in [x for x in queries if x["kind"] == k][:args.lunr_relevance]]
    page = browser.new_context().new_page()
    page.goto(base + "/bench.html")
    page.wait_for_function("() => window.lunrReady", timeout=120_000)
    loads = page.evaluate("n => window.lunrLoadTimes(n)", 5)
    first = page.evaluate(RUN_LATENCY, ["lunrRun", latency_queries])
    warm = page.evaluate(RUN_LATENCY, ["lunrRun", latency_queries])
    started = time.perf_counter()
    found = page.evaluate(RUN_RELEVANCE, ["lunrRun", [q["q"] for q in judged]])
    seconds = time.perf_counter() - started
    page.context.close()
    return {"payload": sizes, "latency_first": first, "latency": warm, "relevance": relevance(found, judged, kinds),
            "load_ms": loads, "relevance_seconds": seconds}


# ---- report ---------------------------------------------------------------------------------------


def report(results: dict[str, dict], sizes: dict[str, tuple], args, build_info: dict, pf_info: dict | None,
           lunr_info: dict | None = None) -> None:
    names = list(results)
    width = 24

    def row(label: str, values: list[str]) -> None:
        print(f"{label:<22}" + "".join(f"{v:>{width}}" for v in values))

    print()
    print(f"政策文件检索基准：{args.size} 个文件，gzip 传输，Debian Chromium（{time.strftime('%Y-%m-%d %H:%M')}）")
    row("", names)
    for label, k in (("首次结果前下载（整页）", 0), ("其中检索代码和索引", 1)):
        row(label, [f"{statistics.median(x[k] for x in r['payload']) / 1024:.0f} KB 中位" for r in results.values()])
        row("  p95 / 最大", [f"{pct([x[k] for x in r['payload']], 95) / 1024:.0f} / "
                           f"{max(x[k] for x in r['payload']) / 1024:.0f} KB" for r in results.values()])
    row("按键到结果 p50/p95", [f"{pct(r['latency'], 50):.1f} / {pct(r['latency'], 95):.1f} ms" for r in results.values()])
    row("（首次加载分片时）", [f"{pct(r['latency_first'], 50):.1f} / {pct(r['latency_first'], 95):.1f} ms"
                         for r in results.values()])
    for kind in KINDS:
        cells = []
        for r in results.values():
            if r["relevance"][kind] is None:
                cells.append("—")
                continue
            hit, total = r["relevance"][kind]
            cells.append(f"{100 * hit / max(total, 1):.1f}% ({hit}/{total})")
        row(f"首位正确 {KIND_LABELS[kind]}", cells)
    row("索引 文件数", [f"{sizes[n][0]}" for n in names])
    row("索引 大小 / gzip", [f"{sizes[n][1] / 1e6:.1f} / {sizes[n][2] / 1e6:.1f} MB" for n in names])
    cells = [f"{build_info['seconds']:.0f} s（整站）"] + ([f"{pf_info['seconds']:.0f} s"] if pf_info else [])
    row("建索引时间", cells + ([f"{lunr_info['seconds']:.0f} s（lunr.py）"] if lunr_info else []))
    print(f"本项目构建日志：{build_info.get('index_log', '')}")
    print("整页：本项目含检索页 HTML、CSS、全部脚本；Pagefind 的测试页只有一个空白页面和 pagefind 自己的文件；"
          "lunr 的测试页是一个空白页面、lunr.min.js、search-tokenizer.js 和 lunr-index.json、lunr-docs.json。")
    if lunr_info:
        r = results[LUNR]
        (raw, gz), (craw, cgz) = lunr_info["index_bytes"], lunr_info["compact_bytes"]
        print(f"lunr：{lunr_info['documents']} 个文件，{lunr_info['terms']} 个词；lunr-index.json {raw / 1e6:.1f} MB"
              f"（gzip {gz / 1e6:.2f} MB；紧凑 UTF-8 写法 {craw / 1e6:.1f} MB，gzip {cgz / 1e6:.2f} MB）；"
              f"lunr.py {lunr_info['seconds']:.0f} s（切词 {lunr_info['tokenise_seconds']:.0f} s，建索引 "
              f"{lunr_info['lunr_seconds']:.0f} s，serialize + json.dumps {lunr_info['serialise_seconds']:.0f} s）")
        print(f"lunr：浏览器中 JSON.parse + lunr.Index.load 中位 {statistics.median(r['load_ms']):.0f} ms"
              f"（{len(r['load_ms'])} 次：{' / '.join(f'{x:.0f}' for x in r['load_ms'])} ms）；"
              f"字段加权 {' '.join(f'{k} {v:g}' for k, v in lunr_info['fields'].items())}")
        judged = sum(v[1] for v in r["relevance"].values() if v)
        print(f"lunr：首次下载 {len(r['payload'])} 条、延迟 {len(r['latency'])} 条查询（同 --cold / --latency）；"
              f"首位正确 {judged} 条（每类至多 {args.lunr_relevance} 条，{r['relevance_seconds']:.0f} s），"
              "正文短语不适用（索引不含正文）")
        if lunr_info["documents"] < args.size:
            print(f"lunr：只索引了前 {lunr_info['documents']} 个文件（--lunr-docs），首位正确率无意义")
    print("目标：首次结果 ≤300 KB；按键到结果 p95 ≤50 ms；首位正确：标题和文号 ≥95%，片段 ≥90%，正文短语 ≥80%")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_search", description="政策文件检索基准（本项目、Pagefind 与 lunr）")
    parser.add_argument("--size", type=int, default=14000)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench-work" / "search")
    parser.add_argument("--corpus", help="已有的语料目录（只读）")
    parser.add_argument("--site", help="已构建的网站目录（不存在时构建到此处）")
    parser.add_argument("--rebuild", action="store_true", help="重新构建网站")
    parser.add_argument("--per-kind", type=int, default=100, help="每类查询的数量")
    parser.add_argument("--cold", type=int, default=25, help="测量首次结果下载量的查询数")
    parser.add_argument("--latency", type=int, default=60, help="测量按键延迟的查询数")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--no-pagefind", action="store_true")
    parser.add_argument("--no-lunr", action="store_true")
    parser.add_argument("--lunr-docs", type=int, help="lunr 只索引前 N 个文件（调试用）")
    parser.add_argument("--lunr-relevance", type=int, default=100, help="lunr 每类测首位正确的查询数上限")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus = corpus_dir(args)
    site, build_info = build(args, corpus)
    queries = query_set(args, corpus)
    counts = ", ".join(f"{k} {sum(q['kind'] == k for q in queries)}" for k in KINDS)
    log(f"查询集：{len(queries)} 条（{counts}）")
    sites = {"本项目": site}
    pf_info = None
    if not args.no_pagefind:
        sites["Pagefind 1.6"], pf_info = pagefind(args, site)
    lunr_info = None
    if not args.no_lunr:
        sites[LUNR], lunr_info = lunr_index(args, corpus)
    sizes = {"本项目": tree_size(site / "search" / "data")}
    if pf_info:
        sizes["Pagefind 1.6"] = tree_size(sites["Pagefind 1.6"] / "pagefind")
    if lunr_info:
        sizes[LUNR] = tree_size(sites[LUNR], "lunr-*.json")
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        for name, directory in sites.items():
            server, base = serve(directory)
            log(f"测量 {name}")
            try:
                measure = {"本项目": measure_ours, LUNR: measure_lunr}.get(name, measure_pagefind)
                results[name] = measure(browser, base, queries, args)
            finally:
                server.shutdown()
        browser.close()
    report(results, sizes, args, build_info, pf_info, lunr_info)
    (args.workdir / "results.json").write_text(json.dumps(
        {"results": results, "sizes": sizes, "build": build_info, "pagefind": pf_info, "lunr": lunr_info},
        ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
