"""Markdown to safe HTML, on every core, cached by content hash.

Python-Markdown is most of a build's time, so bodies are converted in a
process pool and the result is kept in a SQLite cache keyed by the SHA-256 of
the body and the renderer's version: an unchanged body is never converted twice.
The HTML is sanitised with nh3 (ammonia), so a body can carry no script, no
event handler and no resource from another host.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import sqlite3
from pathlib import Path

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

from .store import Store

RENDERER_VERSION = "md-3.11.3/extra+sane_lists+toc/nh3-1"
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "mark", "ol",
    "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
}

_md: markdown.Markdown | None = None


def _converter() -> markdown.Markdown:
    global _md
    if _md is None:
        _md = markdown.Markdown(
            extensions=["extra", "sane_lists", "toc"],
            extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
            output_format="html",
        )
    return _md


def _external(tag: str, attr: str, value: str) -> str | None:
    """Drop images from another host: the site loads nothing from elsewhere."""
    if tag == "img" and attr == "src" and ("//" in value or value.startswith("data:")):
        return None
    return value


def to_html(body: str) -> str:
    md = _converter()
    md.reset()
    html = md.convert(body)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer",
                     url_schemes={"http", "https", "mailto", "tel"}, attribute_filter=_external)


def body_key(body: str) -> str:
    return hashlib.sha256((RENDERER_VERSION + "\0" + body).encode("utf-8")).hexdigest()


HTML_CACHE_FILE = "html.sqlite3"  # in the build's cache directory
HTML_TABLE = "rendered_html"


def HtmlCache(path: Path | None) -> Store:
    """Rendered bodies by :func:`body_key`."""
    return Store(path, HTML_TABLE, raw=True)


class LazyBodies:
    """Bodies converted when a page is rendered (the earlier versions of documents: tens of
    thousands, few of them rendered by an incremental build), looked up first in the HTML cache.

    Safe across ``fork``: each process reads the cache through a connection of its own and
    keeps what it converted; the process that owns the cache stores it (:meth:`take`, then
    :func:`store_taken`), so that no two processes write the file at once."""

    def __init__(self, path: Path | None):
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self.fresh: dict[str, str] = {}  # converted here, not yet stored
        self.used: list[str] = []  # found in the cache

    def html(self, body: str) -> str:
        key = body_key(body)
        found = self.fresh.get(key)
        if found is None:
            found = self._cached(key)
            if found is None:
                found = self.fresh[key] = to_html(body)
            else:
                self.used.append(key)
        return found

    def _cached(self, key: str) -> str | None:
        if self._pid != os.getpid():  # first use in this process (a forked one: the parent's connection is not ours)
            self._pid = os.getpid()
            exists = self.path is not None and self.path.exists()
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) if exists else None
        if self._db is None:
            return None
        try:
            row = self._db.execute(f"SELECT value FROM {HTML_TABLE} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:  # a cache being rebuilt or damaged: convert instead
            return None
        return row[0] if row else None

    def take(self) -> tuple[dict[str, str], list[str]]:
        """What this process converted and found since the last call."""
        taken = (self.fresh, self.used)
        self.fresh, self.used = {}, []
        return taken

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db, self._pid = None, 0


def store_taken(cache: Store, taken: tuple[dict[str, str], list[str]]) -> None:
    """Store what :meth:`LazyBodies.take` returned in a process; mark what it found as used."""
    fresh, used = taken
    cache.put_many(fresh)
    cache.mark_used([k for k in used if k not in fresh])


def render_all(bodies: list[str], cache: Store | None = None, workers: int | None = None) -> list[str]:
    """HTML for each body, in order; uncached ones converted in parallel."""
    keys = [body_key(b) for b in bodies]
    cached = cache.get_many(sorted(set(keys))) if cache else {}
    todo = {k: b for k, b in zip(keys, bodies) if k not in cached}
    workers = workers or os.cpu_count() or 1
    items = list(todo.items())
    if workers > 1 and len(items) >= 32:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            html = pool.map(to_html, [b for _, b in items], chunksize=max(1, min(64, len(items) // (workers * 8))))
    else:
        html = [to_html(b) for _, b in items]
    fresh = {k: h for (k, _), h in zip(items, html)}
    if cache:
        cache.put_many(fresh)
    cached.update(fresh)
    return [cached[k] for k in keys]
