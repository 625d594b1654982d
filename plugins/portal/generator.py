"""PortalGenerator: reads content through govportal, renders the theme's templates.

Pelican's article and page generators are given no paths; this generator
owns every content page. ``generate_context`` raises :class:`ContentError`
with every problem, which stops Pelican before anything is written.

Rendering is incremental: each page's fingerprint (its template, what it
shows, and a site-wide hash of theme, code, vocabularies and settings) is kept
in a manifest beside the cache. When the site-wide hash is unchanged since the
build that produced the current ``output/``, only pages whose fingerprint
changed are rendered, and scripts/build moves them into ``output/``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import logging
import multiprocessing
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from govportal.attachments import ATTACHMENTS_DIR
from govportal.dates import chinese_date, parse_now
from govportal.history.pages import read_site_history
from govportal.issues import ContentError, PortalError
from govportal.pages import site_pages
from govportal.render import HTML_CACHE_FILE, HtmlCache, body_key, render_all, store_taken
from govportal.repository import load_repository
from govportal.site import build_site

log = logging.getLogger(__name__)
BEIJING = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]
SETTINGS_SHOWN = ("SITEURL", "SITENAME", "SHOW_DRAFTS", "THEME", "THEME_STATIC_DIR")
PARALLEL_RENDER_MIN = 400  # fewer pages are rendered faster by this process alone than with a pool


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


def publish_linked_attachments(static_generator) -> None:
    """Pelican copies every file under STATIC_PATHS: of the attachments, keep only those the site's pages
    link (:meth:`~govportal.site.SiteModel.attachment_files`), so that a draft's, a withdrawn document's or
    a 定时发布 document's files are not on the public site before (or after) their page is."""
    site = static_generator.context.get("site")
    if site is None:  # the portal generator did not run
        return
    published = site.attachment_files()
    kept = [f for f in static_generator.staticfiles
            if not f.relative_source_path.startswith(ATTACHMENTS_DIR + "/") or f.relative_source_path in published]
    left = len(static_generator.staticfiles) - len(kept)
    if left:
        log.info(f"{left} 个附件文件没有已公开的页面链接（草稿、已撤回、定时发布或没有文件引用），未发布到网站")
    static_generator.staticfiles = kept
    static_generator.context["staticfiles"] = kept


def build_now(settings) -> dt.datetime:
    value = settings.get("BUILD_NOW")
    if value:
        return parse_now(value)
    return wall_clock()


def wall_clock() -> dt.datetime:
    return dt.datetime.now(BEIJING).replace(tzinfo=None, microsecond=0)


def is_preview(settings, now: dt.datetime) -> bool:
    """Not the public site: drafts shown (--drafts), or the site as of a time still to come (--now later than
    the real time shows 定时发布 and 定时更新 versions early)."""
    return bool(settings.get("SHOW_DRAFTS")) or now > wall_clock()


def filesize(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def tree_hash(*roots: Path, suffixes: tuple[str, ...] = ()) -> str:
    """SHA-1 over the relative paths and bytes of every file under the roots."""
    h = hashlib.sha1()
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            if suffixes and path.suffix not in suffixes:
                continue
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def manifest_path(cache_dir: Path, final_output: str) -> Path:
    key = hashlib.sha1(os.path.abspath(final_output).encode()).hexdigest()[:16]
    return cache_dir / "render" / f"{key}.json"


_RENDER_STATE: tuple | None = None


def _render_range(bounds: tuple[int, int]) -> tuple[int, tuple]:
    """Render specs[lo:hi]; returns how many, and the earlier versions' bodies this process converted
    or found in the HTML cache (:meth:`~govportal.render.LazyBodies.take`)."""
    generator, specs, bodies = _RENDER_STATE
    for spec in specs[bounds[0]:bounds[1]]:
        if spec.data is not None:
            generator._write_data(spec.path, spec.data())
            continue
        context = dict(spec.context)
        if "doc" in context:
            context["body"] = bodies[context["doc"].key]
        generator._write(spec.path, spec.template, context)
    history = getattr(generator.site, "history", None)
    return bounds[1] - bounds[0], history.bodies.take() if history is not None else ({}, [])


class PortalGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.env.filters.update(
            cndate=lambda d: chinese_date(d) if d else "",
            pubdate=lambda d: d.strftime("%Y-%m-%d %H:%M") if d else "",
            isodate=lambda d: d.strftime("%Y-%m-%d") if d else "",
            filesize=filesize,
        )
        self.cache_dir = Path(self.settings.get("PORTAL_CACHE_PATH") or ".cache")
        self.final_output = self.settings.get("PORTAL_FINAL_OUTPUT") or self.output_path
        self.stats = {"rendered": 0, "kept": 0}

    # -- phase 1: read and check everything ------------------------------------------
    def generate_context(self):
        now = build_now(self.settings)
        repo = load_repository(Path(self.path), self.cache_dir, now=now)
        for issue in repo.warnings:
            log.warning(issue.format())
        if repo.errors:
            raise ContentError(repo.issues)
        history = read_site_history(Path(self.path), repo.vocab, now, self.cache_dir)
        held = history.held_back(repo.documents)  # 定时更新: until its date, the site keeps the version the public saw
        if held:
            log.info(f"{len(held)} 个已公开文件的新版本定时发布，到时之前网站保留公开中的版本")
        site = build_site(repo, now, include_drafts=bool(self.settings.get("SHOW_DRAFTS")), held=held)
        history.attach(site)
        site.cache_dir = self.cache_dir
        site.preview = is_preview(self.settings, now)
        for note in history.notes:
            log.info(note)
        self.repo, self.site, self.now = repo, site, now
        self.html_keys = {d.key: body_key(d.body) for d in site.documents}
        self.context.update(SITE=repo.vocab.site, site=site, BUILD_NOW=now)
        gc.freeze()  # the content model lives until the end: keep it out of every later collection

    def site_hash(self) -> str:
        theme = Path(self.settings["THEME"])
        settings = {k: self.settings.get(k) for k in SETTINGS_SHOWN}
        parts = [tree_hash(theme), tree_hash(ROOT / "govportal", ROOT / "plugins", suffixes=(".py",)),
                 tree_hash(Path(self.path) / "_data"), json.dumps(settings, sort_keys=True, default=str)]
        return hashlib.sha1("\n".join(parts).encode()).hexdigest()

    # -- phase 2: write ---------------------------------------------------------------
    def generate_output(self, writer):
        specs = list(site_pages(self.site, self.html_keys))
        paths = [s.path for s in specs]
        if len(set(paths)) != len(paths):
            dup = sorted({p for p in paths if paths.count(p) > 1})
            raise PortalError(f"两个页面要写入同一个文件：{', '.join(dup[:5])}")
        site_hash = self.site_hash()
        previous = self._previous_manifest(site_hash)
        old_root = Path(self.final_output)
        incremental = bool(previous) and old_root.is_dir()
        fingerprints = {s.path: s.fingerprint() for s in specs}
        to_render = []
        for spec in specs:
            if incremental and previous.get(spec.path) == fingerprints[spec.path] and (old_root / spec.path).is_file():
                self.stats["kept"] += 1
            else:
                to_render.append(spec)
        removed = sorted(set(previous) - set(fingerprints)) if incremental else []
        docs = [s.context["doc"] for s in to_render if "doc" in s.context]
        cache = HtmlCache(self.cache_dir / HTML_CACHE_FILE)
        try:
            bodies = dict(zip((d.key for d in docs), render_all([d.body for d in docs], cache)))
        finally:
            cache.close()
        self.stats["rendered"] = self._render_all(to_render, bodies)
        self._stage_manifest(site_hash, fingerprints, "incremental" if incremental else "full", removed)
        log.info("页面：渲染 %d 个，未变化 %d 个，删除 %d 个", self.stats["rendered"], self.stats["kept"], len(removed))
        if RECORDER.records:
            raise LoggedError("构建过程中出现错误：\n" + "\n".join(r.getMessage() for r in RECORDER.records))

    def _render_all(self, specs: list, bodies: dict[str, str]) -> int:
        """Render and write every spec, on every core for a large site (workers are forked
        after the site model is built, so they share it without copying)."""
        global _RENDER_STATE
        _RENDER_STATE = (self, specs, bodies)
        workers = min(os.cpu_count() or 1, 8)
        pool = None
        if workers < 2 or len(specs) < PARALLEL_RENDER_MIN:
            done = iter([_render_range((0, len(specs)))])
        else:
            step = 200
            ranges = [(lo, min(lo + step, len(specs))) for lo in range(0, len(specs), step)]
            pool = multiprocessing.get_context("fork").Pool(workers)
            done = pool.imap_unordered(_render_range, ranges, chunksize=1)
        # the earlier versions' bodies converted while rendering go into the HTML cache range by range, as the
        # workers finish them (opened after the fork: this process alone writes the file)
        history = getattr(self.site, "history", None)
        cache = HtmlCache(self.cache_dir / HTML_CACHE_FILE if history is not None else None)
        rendered = 0
        try:
            with pool or contextlib.nullcontext():
                for count, taken in done:
                    rendered += count
                    store_taken(cache, taken)
        finally:
            cache.close()
            if history is not None:
                history.bodies.close()
        return rendered

    def _write_data(self, path: str, data: str | bytes) -> None:
        target = Path(self.output_path) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        target.write_bytes(data)

    def _write(self, path: str, template: str, context: dict) -> None:
        html = self.env.get_template(template).render(**self.context, page_path=path, **context)
        target = Path(self.output_path) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")

    def _previous_manifest(self, site_hash: str) -> dict[str, str]:
        path = manifest_path(self.cache_dir, self.final_output)
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data.get("pages", {}) if data.get("site") == site_hash else {}

    def _stage_manifest(self, site_hash: str, fingerprints: dict[str, str], mode: str, removed: list[str]) -> None:
        """Written as .pending; scripts/build makes it current only once the new output is in place."""
        path = manifest_path(self.cache_dir, self.final_output)
        path.parent.mkdir(parents=True, exist_ok=True)
        pending = path.with_suffix(".pending")
        pending.write_text(json.dumps({"site": site_hash, "mode": mode, "removed": removed,
                                       "pages": fingerprints}), "utf-8")
