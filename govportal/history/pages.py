"""The history on the public site: 发布历史 on every document, earlier versions, diffs, 更新记录, Atom.

``site.history`` (a :class:`SiteHistory`, attached by the Pelican generator) answers the
document template (:meth:`SiteHistory.rows`) and the document page's deps
(:func:`history_deps`); :func:`history_pages` yields the pages of their own:

* ``doc/<id>/history/<n>/``: version n as it stood, marked 历史版本 (for every version but
  the current one, which is the document page);
* ``doc/<id>/history/<n>/diff/``: what changed from version n-1 to version n;
* ``history/``: 更新记录, the newest publication events of the site and the months,
  ``history/<YYYY-MM>/``: every event of a month; ``history/atom.xml``: the newest as an Atom feed.

A withdrawn document keeps its URL and its 发布历史, but its earlier texts are not
republished as version pages (the withdrawal took the text down); auditors read them
with ``scripts/audit show``. Version texts are read from Git only when a page is rendered.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from pathlib import Path
from collections import OrderedDict
from collections.abc import Mapping
from typing import Callable, Iterator, NamedTuple

from ..attachments import ATTACHMENTS_DIR, media_type, pdf_info
from ..frontmatter import parse_file
from ..model import Document, build_document
from ..render import HTML_CACHE_FILE, LazyBodies
from ..site import SiteModel
from ..vocab import Vocab
from .diff import meta_changes, text_diff
from .gitsource import BlobReader, GitSource
from .ledger import DELETED, DocHistory, Event, Version
from .load import History, load_history

LIST_SIZE = 50
DOCUMENTS_KEPT = 16  # earlier versions kept parsed by each rendering process
FEED_SIZE = 50
SECTION = ("更新记录", "本网站政府信息的发布、更新、撤回和废止记录，以及不合规的删除", "信息公开目录", "history/",
           ("更新记录", "发布历史", "政府信息公开"))


class Row(NamedTuple):
    """One line of a 发布历史 table or of 更新记录 (a named tuple: one is made per event on every build)."""

    number: int
    kind: str
    label: str
    when: dt.datetime | None
    note: str
    commit: str  # short id, "" when uncommitted
    author: str
    final_by: str
    irregular: bool
    uncommitted: bool
    version_url: str | None  # the page of that version (the document page for the current one)
    diff_url: str | None  # its changes from the version before

    def deps(self) -> str:
        """Everything the row shows, as one string."""
        return "\x1f".join(map(str, self))


class VersionLoader:
    """Reads version texts: committed ones from Git (a ``cat-file`` process per process, so
    it works in the renderer's forked workers), uncommitted ones from the work tree."""

    def __init__(self, root: str, content_dir: Path, prefix: str = ""):
        self.root, self.content_dir, self.prefix = root, Path(content_dir), prefix
        self._readers: dict[int, BlobReader] = {}

    def data(self, version: Version) -> bytes:
        if version.uncommitted:
            return (self.content_dir / version.path).read_bytes()
        return self._reader().get(version.blob)

    def file(self, version: Version, path: str) -> bytes:
        """Another content file (an attachment) as it was in a committed version's commit."""
        return self._reader().get(f"{version.commit.sha}:{self.prefix}/{path}" if self.prefix else
                                  f"{version.commit.sha}:{path}")

    def _reader(self) -> BlobReader:
        reader = self._readers.get(os.getpid())
        if reader is None:
            source = GitSource.find(self.content_dir)
            reader = self._readers[os.getpid()] = source.blobs()
        return reader


class Snapshot:
    """A document as one version had it, read on first use; templates see it as the Document."""

    __slots__ = ("_history", "_version", "_current", "_document", "html")

    def __init__(self, history: "SiteHistory", version: Version, current: Document | None = None):
        self._history, self._version, self._current = history, version, current
        self._document: Document | None = None
        self.html = LazyHtml(self)

    @property
    def document(self) -> Document:
        if self._document is None:
            self._document = self._history.version_document(self._version, self._current)
        return self._document

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.document, name)


class LazyHtml:
    """The body of a :class:`Snapshot` as HTML, converted when the template prints it."""

    __slots__ = ("snapshot",)

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot

    def __html__(self) -> str:
        return self.snapshot._history.bodies.html(self.snapshot.document.body)

    __str__ = __html__


class LazyContext(Mapping):
    """A page's template context, made when the page is rendered: an incremental build renders few
    of the tens of thousands of version pages, but lists them all to compare their fingerprints."""

    __slots__ = ("_make", "_made")

    def __init__(self, make: Callable[[], dict]):
        self._make, self._made = make, None

    def _context(self) -> dict:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, key):
        return self._context()[key]

    def __iter__(self):
        return iter(self._context())

    def __len__(self) -> int:
        return len(self._context())


class DiffView:
    """The changes from one version to the next, computed when the template asks."""

    def __init__(self, old: Snapshot, new: Snapshot):
        self.old, self.new = old, new

    @functools.cached_property
    def changes(self):
        return meta_changes(self.old.document.meta, self.new.document.meta, on_page=True)

    @functools.cached_property
    def lines(self):
        return text_diff(self.old.document.body, self.new.document.body)

    @property
    def text_changed(self) -> bool:
        return any(line.kind not in ("equal", "skipped") for line in self.lines)


class SiteHistory:
    """The history as the public site shows it; ``site.history``."""

    def __init__(self, history: History, content_dir: Path, vocab: Vocab, now: dt.datetime):
        self.history, self.vocab, self.now = history, vocab, now
        self.content_dir = Path(content_dir)
        self.loader = VersionLoader(history.root, content_dir, history.prefix)
        self.bodies = LazyBodies(None)  # the earlier versions' bodies as HTML (attach_history: through the HTML cache)
        self._rows: dict[str, list[Row]] = {}
        self._deps: dict[str, str] = {}
        self._public: dict[str, list[Event]] = {}
        self._documents: OrderedDict[tuple[str, str], Document] = OrderedDict()  # the last versions read
        self._old_files: dict[tuple[str, int], dict[str, str]] = {}
        self.site_files: set[str] | None = None  # the attachments the site publishes at their path (attach)
        self._held_keys: dict[str, str] = {}  # a held-back version's key -> its document's key now (held_back)

    def attach(self, site: SiteModel) -> "SiteHistory":
        """Make this the history of ``site`` (``site.history``); an earlier version links an attachment at
        its path only where the site publishes that file (:meth:`SiteModel.attachment_files`)."""
        site.history, self.site_files = self, site.attachment_files()
        return self

    @property
    def notes(self) -> list[str]:
        return self.history.notes

    def of(self, doc: Document) -> DocHistory | None:
        return self.history.of(self._held_keys.get(doc.key, doc.key))

    def has_pages(self, doc: Document) -> bool:
        """Version and diff pages: for published documents (a withdrawn one keeps only its list)."""
        return doc.status == "published" and bool(self.public_events(doc))

    def public_events(self, doc: Document) -> list[Event]:
        found = self._public.get(doc.key)
        if found is None:
            history = self.of(doc)
            found = self._public[doc.key] = [e for e in history.public_events if self.public_by_now(e)] if history else []
        return found

    def events(self, doc: Document) -> list[Event]:
        """The events of a document the site lists (:attr:`Event.on_site`, and public by now), oldest first."""
        found = self.of(doc)
        return [e for e in found.events if e.on_site and self.public_by_now(e)] if found else []

    def public_by_now(self, event: Event) -> bool:
        """Whether the public can see the event at the build's time: not when its 发布日期 is still to come
        (定时发布). Only that date is compared: a build comes after its commits (``--now`` sets the clock
        of 定时发布), and an uncommitted event shows in a local build."""
        return event.effective is None or event.effective == event.when or event.effective <= self.now

    def held_back(self, documents: list[Document]) -> dict[str, Document]:
        """定时更新: the public documents dated after the build's time that were public before, by key,
        each as the version the public sees until its date (the site keeps it instead of leaving the
        document out until then)."""
        held = {}
        for doc in documents:
            if not doc.is_public or doc.date is None or doc.date <= self.now:
                continue
            public = self.public_events(doc)
            if public:
                held[doc.key] = self.version_document(public[-1].version, doc)
                if held[doc.key].key != doc.key:  # the new version has a new 索引号: the history is under it
                    self._held_keys[held[doc.key].key] = doc.key
        return held

    def rows(self, doc: Document) -> list[Row]:
        """The 发布历史 of a document, newest first."""
        if doc.key not in self._rows:
            events = self.events(doc)
            count = len([e for e in events if e.number])
            self._rows[doc.key] = [row(e, doc.url, count, self.has_pages(doc)) for e in reversed(events)]
        return self._rows[doc.key]

    def deps(self, doc: Document) -> str:
        """A digest of the rows (pages fingerprint their deps as JSON: one short string is quick)."""
        if doc.key not in self._deps:
            text = "\x1e".join(r.deps() for r in self.rows(doc))
            self._deps[doc.key] = hashlib.sha1(text.encode("utf-8")).hexdigest()
        return self._deps[doc.key]

    def snapshot(self, version: Version, current: Document | None = None) -> Snapshot:
        return Snapshot(self, version, current)

    def version_document(self, version: Version, current: Document | None) -> Document:
        """A version read as a Document, its attachments as that version had them: the site's file where it
        is still the same (what the current document read from it filled in: size, pages, text for search,
        type), else the copy :meth:`old_files` names (read from that version's commit).
        The last few are kept: a version's page and the diff pages on either side of it are rendered one
        after another."""
        key = (version.blob or f"work tree:{version.path}", current.key if current else "")
        doc = self._documents.get(key)
        if doc is not None:
            self._documents.move_to_end(key)
            return doc
        doc = self._parse(version)
        event = next((e for e in self.public_events(current) if e.version.seq == version.seq), None) \
            if current is not None and not version.uncommitted else None
        old = self.old_files(current, event, doc) if event is not None else {}
        same = {a.file: a for a in current.attachments} if current else {}
        for a in doc.attachments:
            if a.file in old:
                a.href = "/" + old[a.file] if old[a.file] else "-"
                data = self.loader.file(version, a.file) if old[a.file] else b""
                info = pdf_info(data) if a.file.lower().endswith(".pdf") and data else None
                a.size, a.pages, a.text = len(data), info.pages if info else None, info.text if info else ""
                a.media = media_type(a.file) if data else ""
            elif a.file in same:
                now = same[a.file]
                a.size, a.pages, a.text, a.media = now.size, now.pages, now.text, now.media
        self._documents[key] = doc
        if len(self._documents) > DOCUMENTS_KEPT:
            self._documents.popitem(last=False)
        return doc

    def _parse(self, version: Version) -> Document:
        parsed, issues = parse_file(version.path, self.loader.data(version))
        if parsed is None:
            raise ValueError("; ".join(i.format() for i in issues))
        return build_document(parsed, self.vocab)[0]

    def old_files(self, doc: Document, event: Event, parsed: Document | None = None) -> dict[str, str]:
        """The attachments of an earlier public version that the site no longer has as they were then
        (replaced or deleted since): file -> the site path of its copy from that version's commit, under
        the version's page, or "" when that commit had no such file. ``parsed``: the version read, if it
        has been (else it is read only when a later version changed the attachments)."""
        version = event.version
        found = self._old_files.get((doc.key, version.seq))
        if found is not None:
            return found
        history = self.history
        later = [v for v in self.of(doc).versions if v.seq > version.seq and v.status != DELETED]
        if parsed is None and any("attachments" in v.changed or not v.compared for v in later):
            parsed = self._parse(version)
        found = {}
        for file in [a.file for a in (parsed or doc).attachments]:
            on_site = file in self.site_files if self.site_files is not None else (self.content_dir / file).is_file()
            if not file.startswith(ATTACHMENTS_DIR + "/") or (on_site and not history.file_replaced(version.seq, file)):
                continue  # still the same on the site (or never on it: the check of that version said so)
            found[file] = f"{doc.url}history/{event.number}/{file}" if history.file_existed(version.seq, file) else ""
        self._old_files[doc.key, version.seq] = found
        return found


def read_site_history(content_dir: Path, vocab: Vocab, now: dt.datetime, cache_dir: Path | None = None) -> SiteHistory:
    """The history of ``content_dir`` as the site shows it (read before the site model is built: it
    decides which version of a 定时更新 the site shows, :meth:`SiteHistory.held_back`)."""
    history = SiteHistory(load_history(content_dir, cache_dir), content_dir, vocab, now)
    if cache_dir is not None:
        history.bodies = LazyBodies(cache_dir / HTML_CACHE_FILE)
    return history


def attach_history(site: SiteModel, content_dir: Path, now: dt.datetime, cache_dir: Path | None = None) -> SiteHistory:
    """Read the history of ``content_dir`` and attach it to the site model as ``site.history``."""
    return read_site_history(content_dir, site.vocab, now, cache_dir).attach(site)


def row(event: Event, url: str | None, count: int, pages: bool) -> Row:
    n, v = event.number, event.version
    version_url = diff_url = None
    if url is not None and n:
        version_url = url if n == count else (f"{url}history/{n}/" if pages else None)
        diff_url = f"{url}history/{n}/diff/" if pages and n > 1 else None
    return Row(n, event.kind, event.label, event.effective, event.public_note, v.commit.short if v.commit else "",
               v.commit.author if v.commit else "", v.final_by, event.irregular, v.uncommitted, version_url, diff_url)


def history_deps(site: SiteModel, doc: Document) -> str:
    """What a document page shows of its history (for its deps)."""
    history = getattr(site, "history", None)
    return history.deps(doc) if history is not None else ""


def history_pages(site: SiteModel) -> Iterator:
    """The version, diff and 更新记录 pages, and the Atom feed of every publication event."""
    history: SiteHistory | None = getattr(site, "history", None)
    if history is None:
        return
    yield from version_pages(site, history)
    yield from record_pages(site, history)


def version_pages(site: SiteModel, history: SiteHistory) -> Iterator:
    from ..pages import PageSpec, article, column_crumbs, page_context  # govportal.pages imports this module

    source = site.vocab.site.get("short_name") or site.vocab.site.get("name", "")
    for doc in site.documents:
        if not history.has_pages(doc):
            continue
        events = history.public_events(doc)
        count, rows, url, issuer = len(events), history_deps(site, doc), doc.url, doc.issuer or source
        column = site.column(doc.column)
        crumbs = column_crumbs(column, "正文") if column else [("首页", ""), ("正文", None)]
        crumbs[-1] = ("正文", url)
        for i, event in enumerate(events):
            n, version = event.number, event.version
            old = history.old_files(doc, event) if version.commit is not None else {}
            if n < count:
                title = f"{version.title}（第{n}版，历史版本）"
                context = functools.partial(
                    _context, history, page_context, article, column, crumbs, f"第{n}版",
                    (title, issuer, f"{url}history/{n}/"), event=event, number=n, count=count, current=doc,
                    links=None)
                yield PageSpec(f"{url}history/{n}/index.html", "history_version.html", LazyContext(context),
                               ["version", version.blob, n, rows, old])
            # the attachments as they were, from that version's commit: for the shown version too, when it is a
            # 定时更新's earlier version kept until the new one's date (whose files replace them already)
            for file, path in old.items():
                if path:
                    yield PageSpec(path, "attachment", deps=[version.commit.sha, file],
                                   data=functools.partial(history.loader.file, version, file))
            if i:
                title = f"{doc.title}：第{n - 1}版与第{n}版的差异"
                context = functools.partial(
                    _context, history, page_context, article, column, crumbs, f"第{n}版的改动",
                    (title, issuer, f"{url}history/{n}/diff/"), old=events[i - 1], new=event, current=doc,
                    count=count, title=title)
                yield PageSpec(f"{url}history/{n}/diff/index.html", "history_diff.html", LazyContext(context),
                               ["diff", events[i - 1].version.blob, version.blob, rows])


def _context(history: SiteHistory, page_context, article, column, crumbs, crumb: str, meta: tuple, **extra) -> dict:
    """The context of a version page (``event``) or a diff page (``old``, ``new``), made when it is rendered."""
    title, source, url = meta
    current = extra["current"]
    if "event" in extra:
        event = extra["event"]
        from ..pages import withdrawal_date  # govportal.pages imports this module

        snapshot = history.snapshot(event.version, current)
        extra.update(version_doc=snapshot, body=snapshot.html, withdrawn_on=withdrawal_date(snapshot))
    else:
        event = extra["new"]
        extra["diff"] = DiffView(history.snapshot(extra["old"].version, current), history.snapshot(event.version, current))
    return page_context(column, crumbs + [(crumb, None)], article=article(title, event.effective, source, url), **extra)


def record_pages(site: SiteModel, history: SiteHistory) -> Iterator:
    """更新记录: the newest events and a page for every month (a month's page stays the same once the
    month is over, so a new event re-renders two pages, not every page of a list); the Atom feed."""
    from ..pages import PageSpec, Section, page_context, rfc3339, section_crumbs

    section = Section(*SECTION, parent=site.column_of_type("信息公开目录"))
    rows: dict[int, tuple] = {}  # id(event) -> (row, title, document URL)
    for doc in site.documents:
        rows.update((id(e), (r, e.version.title, doc.url)) for e, r in zip(reversed(history.events(doc)), history.rows(doc)))
    items = []
    newest_first = sorted(history.history.events(), key=lambda e: (e.effective or dt.datetime.max, e.version.seq),
                          reverse=True)  # by when the public could see it; uncommitted edits first
    for event in newest_first:
        item = rows.get(id(event))
        if item is None and event.on_site and history.public_by_now(event) and (event.irregular or event.number):
            # a document no longer on the site (deleted, back to draft): what was public stays in the record
            item = (row(event, None, 0, False), event.version.title, None)
        if item is not None:  # None: a draft, or not public yet (定时发布)
            items.append(item)
    months: dict[str, list] = {}
    for item in items:
        when = item[0].when
        if when is not None:
            months.setdefault(f"{when.year}-{when.month:02d}", []).append(item)
    index = [(key, f"{key[:4]}年{int(key[5:])}月", len(found)) for key, found in months.items()]
    yield PageSpec(section.url_path + "index.html", "history_index.html",
                   page_context(section, section_crumbs(section), items=items[:LIST_SIZE], months=index,
                                total=len(items), title=section.name),
                   [len(items), _digest(items[:LIST_SIZE]), index])
    for key, label, _ in index:
        found = months[key]
        context = functools.partial(page_context, section, section_crumbs(section, label), items=found, months=None,
                                    total=len(found), title=f"{section.name}：{label}")
        yield PageSpec(f"{section.url_path}{key}/index.html", "history_index.html", LazyContext(context),
                       [key, _digest(found)])
    # the public versions of listed documents and the irregular events the record shows (a deletion)
    in_feed = [(r, t, u) for r, t, u in items if (r.number and u) or r.irregular][:FEED_SIZE]
    entries = [_feed_entry(r, t, u, section, rfc3339(r.when or history.now)) for r, t, u in in_feed]
    yield PageSpec(section.url_path + "atom.xml", "atom.xml",
                   {"column": section, "entries": entries,
                    "updated": entries[0]["updated"] if entries else rfc3339(history.now)},
                   [section.name, entries])


def _feed_entry(r: Row, title: str, url: str | None, section, updated: str) -> dict:
    """One Atom entry. Its id stays the same when later versions come (a version's link moves from
    the document page to its history page): the document and the version's number, or for an
    irregular event the month's record, the event and its commit."""
    if r.number and url:
        link, ident = r.diff_url or r.version_url or f"{url}#v{r.number}", f"{url}#v{r.number}"
    else:
        link = f"{section.url_path}{r.when:%Y-%m}/" if r.when else section.url_path
        ident = f"{link}#{r.kind}-{r.commit or 'uncommitted'}-{hashlib.sha1(title.encode('utf-8')).hexdigest()[:8]}"
    return {"url": link, "id": ident, "title": f"{r.label}：{title}", "updated": updated, "summary": r.note,
            "author": r.final_by or section.name}


def _digest(items: list[tuple]) -> str:
    """One string for the deps of a list of (row, title, URL)."""
    text = "\x1e".join(f"{r.deps()}\x1f{t}\x1f{u}" for r, t, u in items)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
