"""The whole content repository: read every file, then check what spans files.

Two phases, as in Pelican's run loop: first every file is read and checked on
its own, then references, uniqueness and attachments are checked across files.
Every problem is collected; nothing is skipped silently.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .attachments import ATTACHMENTS_DIR, PdfCache, check_attachments
from .frontmatter import decode, parse_file
from .gate import RULES, Gate, attachments_approved, beijing_now, not_signed_in_future
from .identifiers import normalise_doc_no
from .issues import Issue, Severity, sort_issues
from .model import Document, build_document
from .store import Store
from .vocab import DATA_DIR, Vocab, load_vocab
from .wording import Matcher, check_document, load_matcher

CONTENT_SUFFIXES = (".md", ".markdown")


@dataclass
class Repository:
    content_dir: Path
    vocab: Vocab
    documents: list[Document]
    issues: list[Issue]
    by_key: dict[str, Document] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.is_error]

    def public(self) -> list[Document]:
        """Documents that reach the site: published and withdrawn (withdrawn keep their URL)."""
        return [d for d in self.documents if d.is_public]

    def get(self, key: str) -> Document | None:
        return self.by_key.get(key)




def scan_content(content_dir: Path) -> tuple[list[Path], list[Issue]]:
    """One walk of content/: every Markdown file in a stable order (_data and hidden folders excluded),
    and a warning for every other file that is not in attachments/ or hidden: the build would leave
    it out, and an editor should know."""
    found, stray = [], []
    for dirpath, dirnames, filenames in os.walk(content_dir):
        rel_dir = Path(dirpath).relative_to(content_dir)
        top = rel_dir == Path(".")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (top and d == DATA_DIR))
        attachments = rel_dir.parts[:1] == (ATTACHMENTS_DIR,)
        in_data = DATA_DIR in rel_dir.parts  # a _data folder deeper down: no documents there either
        for name in sorted(filenames):
            if name.lower().endswith(CONTENT_SUFFIXES):
                if not in_data:
                    found.append(Path(dirpath) / name)
            elif not attachments and not name.startswith("."):
                stray.append(Issue((rel_dir / name).as_posix(), 0, "文件", "不是 Markdown 文件（.md），不会发布",
                                   "文件改为以 .md 结尾；附件放在 attachments/ 下，由文件的 attachments 字段引用",
                                   Severity.WARNING))
    return found, stray


def content_files(content_dir: Path) -> list[Path]:
    """Every Markdown file under content/, in a stable order; _data and hidden folders excluded."""
    return scan_content(content_dir)[0]


_INDEX_LINE = re.compile(rb"^index_no\s*[:\xef\xbc\x9a]\s*['\"]?([^'\"\s#]+)", re.M)


# The publishing gate's rules that depend only on the document and the vocabularies run
# per file, in the workers, and are cached with the file; rules that depend on more than the
# file (the day of the build, the attachments' files) run on every build, after the attachments
# are read.
LATE_RULES = (not_signed_in_future, attachments_approved)
STATIC_GATE = Gate(tuple(rule for rule in RULES if rule not in LATE_RULES))
_WORKER: tuple[Vocab, Matcher | None] | None = None


def _read_one(item: tuple[str, bytes]) -> tuple[Document | None, list[Issue], list[Issue], list[str]]:
    """Parse and check one file on its own (runs in a worker process for large trees).

    Returns (document, content issues, gate and wording issues, 索引号 of an unreadable file)."""
    rel, data = item
    vocab, matcher = _WORKER
    parsed, found = parse_file(rel, data)
    if parsed is None:
        return None, found, [], [m.decode("utf-8", "replace") for m in _INDEX_LINE.findall(data)]
    doc, more = build_document(parsed, vocab)
    gate_issues: list[Issue] = []
    if matcher is not None:
        gate_issues = STATIC_GATE.check(doc, vocab, dt.datetime.max)
        lines = decode(rel, data)[0].split("\n")
        wording, doc.waived = check_document(doc, matcher, lambda n: lines[n - 1] if 0 < n <= len(lines) else "")
        gate_issues += wording
    return doc, found + more, gate_issues, []


def _code_version() -> str:
    h = hashlib.sha1()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def read_documents(content_dir: Path, vocab: Vocab, cache_dir: Path | None = None,
                   matcher: Matcher | None = None, workers: int | None = None, files: list[Path] | None = None,
                   ) -> tuple[list[Document], list[Issue], list[Issue], set[str]]:
    """Every file read and checked on its own: (documents, content issues, gate and wording
    issues (only with a ``matcher``), the 索引号 seen in files that could not be read, so that
    references to them are not reported a second time).

    Files not in the cache are parsed on every core; results are cached by content. ``files``: the
    Markdown files when already listed (:func:`scan_content`)."""
    global _WORKER
    base = len(str(content_dir)) + 1
    items = []
    for path in content_files(content_dir) if files is None else files:
        with open(path, "rb") as fh:
            items.append((str(path)[base:].replace(os.sep, "/"), fh.read()))
    prefix = hashlib.sha1()
    prefix.update(_code_version().encode() + (b"gate" if matcher is not None else b"nogate"))
    for path in sorted((content_dir / DATA_DIR).rglob("*")):
        if path.is_file():
            prefix.update(path.relative_to(content_dir).as_posix().encode() + b"\0" + path.read_bytes())
    keys = []
    for rel, data in items:
        h = prefix.copy()
        h.update(rel.encode() + b"\0" + data)
        keys.append(h.hexdigest())
    cache = Store(cache_dir / "documents.sqlite3" if cache_dir else None, "checked_documents")
    try:
        results = cache.get_many(keys)
        todo = [(k, item) for k, item in zip(keys, items) if k not in results]
        _WORKER = (vocab, matcher)
        workers = workers or os.cpu_count() or 1
        if workers > 1 and len(todo) >= 64:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                fresh = pool.map(_read_one, [item for _, item in todo], chunksize=64)
        else:
            fresh = [_read_one(item) for _, item in todo]
        new = {k: r for (k, _), r in zip(todo, fresh)}
        cache.put_many(new)
        results.update(new)
    finally:
        cache.close()
    docs, issues, gate_issues, unreadable = [], [], [], set()
    for key in keys:
        doc, found, gate_found, keys_seen = results[key]
        issues.extend(found)
        gate_issues.extend(gate_found)
        unreadable.update(keys_seen)
        if doc is not None:
            doc.content_key = key
            docs.append(doc)
    return docs, issues, gate_issues, unreadable


def _dup(doc: Document, name: str, value: str, first: Document) -> Issue:
    return Issue(doc.source, doc.line(name), name, f"{value}与 {first.source}:{first.line(name)} 重复",
                 "索引号和发文字号必须唯一，请核对后改正其中一个")


def check_unique(docs: list[Document]) -> list[Issue]:
    out = []
    seen_index: dict[str, Document] = {}
    seen_doc_no: dict[str, Document] = {}
    seen_url: dict[str, Document] = {}
    for doc in docs:
        if doc.index_no:
            if doc.index_no in seen_index:
                out.append(_dup(doc, "index_no", f"索引号“{doc.index_no}”", seen_index[doc.index_no]))
            else:
                seen_index[doc.index_no] = doc
        if doc.doc_no and doc.type == "policy":
            canon = normalise_doc_no(doc.doc_no) or doc.doc_no
            if canon in seen_doc_no:
                out.append(_dup(doc, "doc_no", f"发文字号“{doc.doc_no}”", seen_doc_no[canon]))
            else:
                seen_doc_no[canon] = doc
        if doc.key:
            url = doc.url
            if url in seen_url and seen_url[url] is not doc and not (doc.index_no and doc.index_no == seen_url[url].index_no):
                out.append(Issue(doc.source, doc.line("slug"), "slug", f"网址 /{url} 与 {seen_url[url].source} 相同",
                                 "换一个 slug"))
            seen_url.setdefault(url, doc)
    return out


REFERENCE_FIELDS = {
    "interprets": ("解读的政策", ("policy",)),
    "supersedes": ("废止或修订的文件", ("policy",)),
    "related": ("配套文件", None),
    "contents": ("本期目录", None),
    "outcome": ("征集结果文件", None),
}


def check_references(docs: list[Document], by_key: dict[str, Document],
                     unreadable: set[str] = frozenset()) -> list[Issue]:
    out = []
    for doc in docs:
        for name, (label, types) in REFERENCE_FIELDS.items():
            value = getattr(doc, name)
            refs = [value] if isinstance(value, str) else value
            for i, ref in enumerate(refs):
                if not ref:
                    continue
                where = name if isinstance(value, str) else f"{name}.{i}"
                target = by_key.get(ref)
                if target is None and ref in unreadable:
                    continue  # the unreadable file is reported already
                if target is None:
                    out.append(Issue(doc.source, doc.line(where), name, f"{label}“{ref}”不存在",
                                     "填写已有文件的索引号（index_no），注意核对年份和序号"))
                elif target is doc:
                    out.append(Issue(doc.source, doc.line(where), name, f"{label}引用了文件自身", "删除该引用"))
                elif types and target.type and target.type not in types:
                    out.append(Issue(doc.source, doc.line(where), name,
                                     f"{label}“{ref}”是{target.type_label}（{target.source}），不是政策文件",
                                     "填写政策文件的索引号"))
                elif doc.is_public and not target.is_public:
                    out.append(Issue(doc.source, doc.line(where), name,
                                     f"{label}“{ref}”是草稿（{target.source}），公开页面会出现断链",
                                     "先发布被引用的文件，或删除该引用"))
    return out


def check_supersession(docs: list[Document], by_key: dict[str, Document]) -> list[Issue]:
    """A policy repealed or amended by a published one should say so in its 有效性."""
    out = []
    for doc in docs:
        if doc.status != "published":
            continue
        for ref in doc.supersedes:
            old = by_key.get(ref)
            if old is not None and old.type == "policy" and old.validity == "有效":
                out.append(Issue(old.source, old.line("validity"), "validity",
                                 f"已被 {doc.doc_no or doc.index_no}（{doc.source}）废止或修订，但有效性仍为“有效”",
                                 "改为“废止”“失效”或“已修订”", Severity.WARNING))
    return out


def load_repository(content_dir: Path | str, cache_dir: Path | None = None,
                    now: dt.datetime | None = None, gate: bool = True) -> Repository:
    """Read and check the whole content tree. Never raises for bad content.

    ``gate``: also run the publishing gate (三审三校, 终审摘要) and the wording checks (错敏词)
    as of ``now`` (default: the current Beijing time)."""
    content_dir = Path(content_dir)
    vocab, issues = load_vocab(content_dir)
    matcher = None
    if gate:
        matcher, found = load_matcher(content_dir)
        issues += found
    files, stray = scan_content(content_dir)
    docs, found, gate_found, unreadable = read_documents(content_dir, vocab, cache_dir, matcher, files=files)
    issues += found + gate_found
    by_key: dict[str, Document] = {}
    for doc in docs:
        if doc.key:
            by_key.setdefault(doc.key, doc)
    issues += stray
    issues += check_unique(docs)
    issues += check_references(docs, by_key, unreadable)
    issues += check_supersession(docs, by_key)
    cache = PdfCache(cache_dir / "pdf.json" if cache_dir else None)
    for doc in docs:
        issues += check_attachments(doc, content_dir, cache)
    cache.save()
    if gate:
        issues += Gate(LATE_RULES).run(docs, vocab, now or beijing_now())
    return Repository(content_dir, vocab, docs, sort_issues(issues), by_key)
