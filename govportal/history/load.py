"""``load_history(content_dir)``: the publication history of a content directory, cached by HEAD.

The ledger state after a walk is kept in ``<cache>/history/`` by the repository and the
HEAD commit. The next load at the same HEAD reads it back; at a HEAD that continues the
published line it walks only the commits since; otherwise (history rewritten) it walks
everything again. Uncommitted edits in the work tree are read on every load and shown as
未提交 versions on top of the committed history.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import marshal
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import git

from ..store import prune_files, touch
from .fastmeta import read
from .gitsource import GitSource
from .ledger import (DELETED, DocHistory, Event, LedgerState, Version, apply_commits, derive, fill, is_document,
                     read_versions)

CACHE_VERSION = f"history-10/py{sys.version_info[0]}.{sys.version_info[1]}"  # marshal's format follows Python
NOT_IN_GIT = "内容目录 {dir} 不在 Git 仓库中：发布历史为空（把内容纳入 Git 仓库后才有发布历史）"


@dataclass
class History:
    """Every document's publication history, by key (索引号 or slug)."""

    docs: dict[str, DocHistory] = field(default_factory=dict)
    head: str | None = None  # the commit the history runs to
    root: str = ""  # the repository's work tree ("" when not in Git)
    prefix: str = ""  # the content directory inside it
    notes: list[str] = field(default_factory=list)  # information for the build log
    uncommitted: list[str] = field(default_factory=list)  # content paths with uncommitted edits
    stats: dict = field(default_factory=dict)
    ledger: LedgerState | None = field(default=None, repr=False)
    edited_files: frozenset[str] = frozenset()  # other content files (attachments) edited in the work tree

    def file_replaced(self, seq: int, path: str) -> bool:
        """Whether the content file ``path`` (an attachment) is not now what it was after the ``seq``-th
        commit: written or deleted by a later commit, or edited in the work tree."""
        return path in self.edited_files or (self.ledger is not None and self.ledger.written(seq, None, path))

    def file_existed(self, seq: int, path: str) -> bool:
        """Whether the content file ``path`` (an attachment) was in the tree after the ``seq``-th commit."""
        return self.ledger is not None and self.ledger.existed(seq, path)

    def of(self, key: str) -> DocHistory | None:
        return self.docs.get(key)

    def find(self, key: str) -> tuple[DocHistory | None, str]:
        """The document with this key now, or else the one that had it before its key was changed:
        (the document or None, its key now)."""
        if key in self.docs:
            return self.docs[key], key
        for same in (str.__eq__, _same_letters):  # the exact key first, then one typed in other case (x for X)
            for now, doc in self.docs.items():
                if same(now, key) or any(same(v.key, key) for v in doc.versions):
                    return doc, now
        return None, key

    def find_at(self, key: str, when: dt.datetime) -> tuple[DocHistory | None, str]:
        """The document whose file had this key at ``when`` (a deleted one only when no live one had it),
        else :meth:`find`'s: a number changed, swapped or given to a new document later names, at an
        earlier time, the document that had it then. (The document or None, its key now.)"""
        then = [(doc.at(when), now, doc) for now, doc in self.docs.items()]
        for same in (str.__eq__, _same_letters):
            held = [(v.status == DELETED, now, doc) for v, now, doc in then if v is not None and same(v.key, key)]
            if held:
                _, now, doc = min(held, key=lambda h: h[0])
                return doc, now
        return self.find(key)

    def holders(self, key: str) -> list[tuple[Version, Version | None, DocHistory, str]]:
        """Each time a document's file had this key (the exact key, else one typed in other case), oldest
        first: (its first committed version with the key, the version that gave the key up — another key
        or the file deleted — or None while it still has it, the document, its key now). A version that
        cannot be read neither starts nor ends one."""
        for same in (str.__eq__, _same_letters):
            found = []
            for now, doc in self.docs.items():
                start = None
                for v in doc.versions:
                    if v.commit is None or (not v.key and v.status != DELETED):
                        continue
                    has = v.status != DELETED and same(v.key, key)
                    if has and start is None:
                        start = v
                    elif not has and start is not None:
                        found.append((start, v, doc, now))
                        start = None
                if start is not None:
                    found.append((start, None, doc, now))
            if found:
                return sorted(found, key=lambda h: h[0].seq)
        return []

    def events(self, since: dt.datetime | None = None, until: dt.datetime | None = None,
               path: str = "", now: dt.datetime | None = None) -> list[Event]:
        """Every event, oldest first (uncommitted ones last), optionally within times and under a path.

        An event's time is when the public could see it (:attr:`Event.effective`: the commit, or a
        later 发布日期 for a scheduled first publication); an uncommitted one's is ``now``."""
        found = []
        for doc in self.docs.values():
            if path and not any(v.path == path or v.path.startswith(path.rstrip("/") + "/") for v in doc.versions):
                continue
            for event in doc.events:
                when = event.effective or now
                if when is not None and ((since and when < since) or (until and when > until)):
                    continue
                if when is None and until is not None:
                    continue
                found.append(event)
        found.sort(key=lambda e: (e.effective is None, e.effective or dt.datetime.max, e.version.seq, e.key, e.number))
        return found

    def irregular(self) -> list[Event]:
        return [e for e in self.events() if e.irregular]


def _same_letters(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def load_history(content_dir: Path | str, cache_dir: Path | None = None, uncommitted: bool = True,
                 workers: int = 0) -> History:
    """The history of ``content_dir``. Empty (with a note) outside Git; raises
    :class:`~.gitsource.ShallowCloneError` in a shallow clone."""
    content_dir = Path(content_dir)
    source = GitSource.find(content_dir)
    if source is None:
        return History(notes=[NOT_IN_GIT.format(dir=content_dir)])
    source.check_complete()
    workers = workers or min(os.cpu_count() or 1, 4)
    with _no_collection():
        state, stats = ledger_state(source, cache_dir, workers)
        overlay, changed, files = work_tree_versions(source, state, content_dir) if uncommitted else ([], [], set())
        history = History(derive(state, overlay), state.head, str(source.root), source.prefix, [], changed, stats,
                          state, frozenset(files))
    if changed:
        history.notes.append(f"内容目录有 {len(changed)} 个未提交的改动，页面上标为“未提交”；正式发布前请先提交")
    return history


@contextlib.contextmanager
def _no_collection():
    """No cyclic garbage collection while the ledger is built: it makes hundreds of thousands of
    objects that all stay alive, which the collector would traverse again and again for nothing
    (about 1.7 s of 9.7 at 14,000 × 3). Reference counting still frees everything else."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def ledger_state(source: GitSource, cache_dir: Path | None, workers: int) -> tuple[LedgerState, dict]:
    """The ledger as of HEAD: from the cache, extended by the commits since, or walked in full."""
    head = source.head()
    cache = _cache_file(source, cache_dir)
    state = _load(cache)
    stats = {"head": head, "walked": 0, "read": 0, "cached": False}
    if head is None:
        return LedgerState(), stats
    if state is not None and state.head == head:
        stats["cached"] = True
        return state, stats
    line = _line_since(source, state.head) if state is not None and state.head else []
    if not line or line[0][1:2] != (state.head,):  # no cache, or HEAD does not continue the cached line
        state = LedgerState()
        line = source.first_parent_line()
    started = time.perf_counter()
    # one span more than the readers: the spans' output is parsed in this process while Git walks the
    # others, so one more Git process keeps the cores busy (2.4 s instead of 2.6 s at 14,000 × 3 on 2 cores)
    walked = source.walk(line, workers + 1)
    walk_done = time.perf_counter()
    pending = apply_commits(state, walked)
    read_versions(state, pending, source.blobs, workers)
    state.head = head
    stats.update(walked=len(walked), read=len(pending), walk_seconds=walk_done - started,
                 read_seconds=time.perf_counter() - walk_done)
    _save(cache, state)
    return state, stats


def _line_since(source: GitSource, since: str) -> list[tuple[str, ...]]:
    try:
        return source.first_parent_line(since)
    except git.GitCommandError:  # the cached commit is gone (history rewritten and pruned)
        return []


def _cache_file(source: GitSource, cache_dir: Path | None) -> Path | None:
    if cache_dir is None:
        return None
    name = hashlib.sha1(f"{source.root}\0{source.prefix}".encode()).hexdigest()[:16]
    return Path(cache_dir) / "history" / f"{name}.marshal"


def _load(path: Path | None) -> LedgerState | None:
    if path is None:
        return None
    try:
        version, columns = marshal.loads(path.read_bytes())
        state = LedgerState.from_columns(columns) if version == CACHE_VERSION else None
    except (OSError, EOFError, ValueError, TypeError, IndexError):
        return None
    if state is not None:
        touch(path)  # used: kept by prune_files
    return state


def _save(path: Path | None, state: LedgerState) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(marshal.dumps((CACHE_VERSION, state.to_columns())))
    os.replace(tmp, path)
    prune_files(path.parent, "*")  # the ledgers of repositories not read for a month


def work_tree_versions(source: GitSource, state: LedgerState,
                       content_dir: Path) -> tuple[list[tuple[int | None, Version]], list[str], set[str]]:
    """The uncommitted edits as versions after HEAD: (chain index or None, version), their paths, and the
    other content files (attachments) edited or added."""
    overlay: list[tuple[int | None, Version]] = []
    changed = []
    seq = state.seq + 1
    work_tree = source.status()
    edits = [e for e in work_tree if is_document(e[1])]
    files = {path for change, path, _ in work_tree if change != "D" and not is_document(path)}  # attachments edited
    bases = {}
    for status, path, _ in edits:
        index = state.by_path.get(path)
        if index is not None:
            bases[path] = (index, state.chains[index].versions[-1])
    with source.blobs() as reader:
        base_fronts = {path: read(v.path, reader.get(v.blob)) for path, (_, v) in bases.items() if v.blob}
    for status, path, _ in sorted(edits, key=lambda e: e[1]):
        changed.append(path)
        index, base = bases.get(path, (None, None))
        if status == "D":
            if base is not None:
                overlay.append((index, Version(seq, None, path, status=DELETED, key=base.key, title=base.title,
                                               type=base.type, date=base.date)))
            continue
        file = content_dir / path
        if not file.is_file():
            continue
        stub = Version(seq, None, path)
        since = base.seq if base is not None else state.seq

        def replaced(attachment: str, since: int = since) -> bool:
            return attachment in files or state.written(since, None, attachment)

        overlay.append((index, fill(stub, read(path, file.read_bytes()), base_fronts.get(path), replaced=replaced)))
    return overlay, changed, files
