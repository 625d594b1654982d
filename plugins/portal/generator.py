"""PortalGenerator: reads content through govportal, renders the theme's templates.

Pelican's article and page generators are given no paths; this generator
owns every content page. ``generate_context`` raises :class:`ContentError`
with every problem, which stops Pelican before anything is written.
"""
from __future__ import annotations

import datetime as dt
import gzip
import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from govportal.dates import chinese_date
from govportal.issues import ContentError, PortalError
from govportal.render import HtmlCache, render_all
from govportal.repository import load_repository
from govportal.site import build_site, paginate

log = logging.getLogger(__name__)
BEIJING = ZoneInfo("Asia/Shanghai")


class LoggedError(PortalError):
    """Pelican or a library logged an error: the build must not pass with it."""


class _ErrorRecorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


RECORDER = _ErrorRecorder()


def fail_on_logged_errors(pelican):
    """Every ERROR logged during the build (e.g. by Pelican's static generator) fails it."""
    RECORDER.records.clear()
    root = logging.getLogger()
    if RECORDER not in root.handlers:
        root.addHandler(RECORDER)


def build_now(settings) -> dt.datetime:
    value = settings.get("BUILD_NOW")
    if value:
        return dt.datetime.fromisoformat(str(value))
    return dt.datetime.now(BEIJING).replace(tzinfo=None, microsecond=0)


def filesize(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


class PortalGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.env.filters.update(
            cndate=lambda d: chinese_date(d) if d else "",
            pubdate=lambda d: d.strftime("%Y-%m-%d %H:%M") if d else "",
            isodate=lambda d: d.strftime("%Y-%m-%d") if d else "",
            filesize=filesize,
        )
        self.written: set[str] = set()

    # -- phase 1: read and check everything ------------------------------------------
    def generate_context(self):
        cache_dir = Path(self.settings.get("PORTAL_CACHE_PATH") or ".cache")
        repo = load_repository(Path(self.path), cache_dir)
        for issue in repo.warnings:
            log.warning(issue.format())
        if repo.errors:
            raise ContentError(repo.issues)
        now = build_now(self.settings)
        site = build_site(repo, now, include_drafts=bool(self.settings.get("SHOW_DRAFTS")))
        cache = HtmlCache(cache_dir / "html.sqlite3")
        try:
            html = render_all([d.body for d in site.documents], cache)
        finally:
            cache.close()
        self.html = {d.key: h for d, h in zip(site.documents, html)}
        self.repo, self.site, self.now = repo, site, now
        self.context.update(SITE=repo.vocab.site, site=site, BUILD_NOW=now)

    # -- phase 2: write ---------------------------------------------------------------
    def write(self, path: str, template: str, **context):
        if path in self.written:
            raise PortalError(f"两个页面要写入同一个文件：{path}")
        self.written.add(path)
        html = self.env.get_template(template).render(**self.context, page_path=path, **context)
        target = Path(self.output_path) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")

    def generate_output(self, writer):
        site = self.site
        self.write("index.html", "index.html", column=None)
        for doc in site.documents:
            column = site.column(doc.column)
            self.write(doc.url + "index.html", "document.html", doc=doc, body=self.html[doc.key],
                       links=site.links.get(doc.key), column=column)
        for column in site.vocab.columns.values():
            for page in paginate(site.by_column.get(column.path, []), column.url_path):
                self.write(page.path, "column.html", column=column, page=page)
        for topic in site.vocab.topics.values():
            for page in paginate(site.by_topic.get(topic.path, []), f"topic/{topic.slug}/"):
                self.write(page.path, "topic.html", topic=topic, page=page, column=None)
        for issuer in site.vocab.issuers.values():
            for page in paginate(site.by_issuer.get(issuer.name, []), f"issuer/{issuer.slug}/"):
                self.write(page.path, "issuer.html", issuer=issuer, page=page, column=None)
        self.write("sitemap/index.html", "sitemap.html", column=None)
        self.write("404.html", "404.html", column=None)
        self.write("sitemap.xml", "sitemap.xml", column=None)
        if RECORDER.records:
            raise LoggedError("构建过程中出现错误：\n" + "\n".join(r.getMessage() for r in RECORDER.records))
