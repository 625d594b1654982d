"""The publication ledger: every document's versions and publication events, from one Git walk.

Three steps, each a plain function:

1. :func:`apply_commits` follows every content file through the walked commits (renames
   included) as a *chain* of versions: one :class:`Version` stub per commit that touched
   the file, a deletion marker when it was deleted;
2. :func:`read_versions` reads the blobs of the new stubs (one ``cat-file`` process per
   worker, the chains shared out between the cores) and fills in what the events need:
   status, 有效性, 更新说明, the final reviewer, which fields changed since the previous
   version of the file (``body`` for the 正文), and whether the gate let it through (its
   digest and own sign-offs; the roster and word lists of its commit, :mod:`.datarules`);
3. :func:`derive` joins the chains by the document's key (索引号, else ``slug``) and turns
   each document's versions into :class:`Event` objects by the rules in the README
   (首次发布, 更新 with 重大/一般, 撤回, 废止, 恢复发布, and the irregularities).

The state after step 2 (:class:`LedgerState`) is what the cache keeps by HEAD: a later
walk only adds the commits since.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import operator
import os
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Callable

from ..dates import DateProblem, parse_datetime
from ..digest import EXCLUDED, _normalise, digest_of_normalised, field_json, meta_fields, normalised_body
from ..gate import own_refusal, plainly_passes
from ..identifiers import INDEX_NO
from ..model import attachment_file
from ..repository import CONTENT_SUFFIXES
from ..text import common_end, common_start
from ..vocab import DATA_DIR, SLUG
from .datarules import (SIGNED, CommittedFiles, DataRules, Rules, attachment_paths, attachment_refusal, blob_at,
                        follow_files)
from .fastmeta import Front, read, read_next, signoff_table
from .forked import fork_shares
from .gitsource import Change, Commit

PUBLIC = ("published", "withdrawn")
DELETED = "(deleted)"
REPEALED = ("失效", "废止", "已修订")
# A change of any of these is 重大更新 (major); a change of other metadata only is 一般更新 (minor).
MAJOR_FIELDS = frozenset(("body", "title", "doc_no", "index_no", "validity", "effective", "expires", "supersedes",
                          "interprets", "attachments", "issuer", "written", "outcome", "contents"))
FIELD_LABELS = {
    "body": "正文", "title": "标题", "doc_no": "发文字号", "index_no": "索引号", "slug": "网址标识",
    "issuer": "发文机关", "written": "成文日期", "date": "发布日期", "topic": "主题分类", "column": "栏目",
    "keywords": "主题词", "summary": "内容概述", "validity": "有效性", "effective": "施行日期",
    "expires": "有效期至", "supersedes": "废止或修订的文件", "interprets": "解读的政策", "related": "配套文件",
    "attachments": "附件", "change_note": "更新说明", "type": "类型", "issue": "期号", "contents": "本期目录",
    "opens": "征集开始日期", "closes": "征集截止日期", "comment_method": "意见提交方式", "feedback": "意见采纳情况",
    "outcome": "征集结果文件", "status": "状态", "withdrawal": "撤回信息",
    "attachments.sha256": "附件校验值",
}
HASHES_RECORDED = "attachments.sha256"  # a change of the attachments that only recorded their sha256: 一般更新
KIND_LABELS = {
    "published": "首次发布", "changed": "更新", "withdrawn": "撤回", "repealed": "废止", "restored": "恢复发布",
    "republished": "重新发布", "deleted": "删除已发布文件", "unpublished": "已发布文件改回草稿",
    "rekeyed": "发布后更改索引号", "unapproved": "未经终审的版本", "cancelled": "未到发布日期即被替换的版本",
}
REFUSED_LABEL = "未通过发布关口的版本"  # an unapproved version whose final review was right but other sign-offs not
IRREGULAR = frozenset(("deleted", "unpublished", "rekeyed", "unapproved"))
IRREGULAR_NOTES = {  # for editors and auditors: what went wrong and the proper route
    "deleted": "已发布文件的源文件被删除，网页随之消失；应改为撤回（status: withdrawn），保留网址和历史",
    "unpublished": "已发布文件被改回草稿，网页随之消失；应改为撤回（status: withdrawn）",
    "rekeyed": "索引号发布后不得更改，原网址随之失效",
    "unapproved": "这一版没有有效的终审（终审摘要与文本不符，或没有终审），发布关口拒绝发布它，网站上没有这一版；"
                  "应由终审人审阅后重新签署（见 audit verify）",
}
# a document without 索引号 is keyed by its 网址标识 (slug, else the file name): changing that is the same irregularity
REKEYED_SLUG = {"label": "发布后更改网址标识",
                "note": "网址标识（slug，没有 slug 时是文件名）发布后不应更改，原网址随之失效；应改回原文件名，"
                        "或写“slug: {old}”保持原网址",
                "public": "该文件的网址已更改，原网址已失效"}
CANCELLED_NOTE = "这一版定于 {date} 公开，到期之前文件又有了改动（新版本、撤回、改回草稿或删除），这一版从未公开"
REFUSED_NOTE = "终审摘要与文本相符，但发布关口拒绝发布这一版（{problem}），网站上没有这一版；应补全或更正签署后重新发布（见 audit verify）"
PUBLIC_NOTES = {  # the same on the public site: what happened, without instructions meant for editors
    "deleted": "该文件的网页已被删除",
    "unpublished": "该文件已不再公开",
    "rekeyed": "该文件的索引号已更改，原网址已失效",
    "unapproved": "该版本未经审核，未予公开",
}
_NEEDED = ("title", "type", "status", "validity", "change_note", "date", "index_no", "slug", "review",
           "withdrawal", "supersedes")


@dataclass(slots=True)
class Version:
    """One committed (or uncommitted) state of one content file."""

    seq: int  # position in the walk: orders versions across files
    commit: Commit | None  # None: an uncommitted edit in the work tree
    path: str  # relative to the content directory
    blob: str = ""  # "" for an uncommitted version
    key: str = ""
    title: str = ""
    type: str = ""
    status: str = ""  # draft | published | withdrawn | DELETED | "" (unreadable)
    validity: str = ""
    change_note: str = ""
    date: str = ""  # 发布日期 as written
    final_by: str = ""
    final_on: str = ""
    withdrawal: tuple[str, str, str] = ()  # (on, by, reason)
    supersedes: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()  # digest fields changed since the previous version of the file
    compared: bool = False  # whether there was a previous version to compare with
    problem: str = ""  # why the file could not be read
    approved: bool = False  # public, and the gate let it through: the final review's digest is this version's and
    # the sign-offs are complete and in order (:data:`~govportal.gate.OWN_RULES`)
    digest: str = ""  # when approved: the start of its digest (two approved versions with the same have the same text)
    # an approved version after unapproved ones: ``changed`` counts from the last approved public version instead
    since_public: bool = False
    refused: str = ""  # the final review's digest matched, but the gate refused the version: why (its first problem)
    # refused by the roster, the word lists or its attachment files (:mod:`.datarules`): a later commit mending them
    # may yet publish it
    refused_by_files: bool = False

    @property
    def uncommitted(self) -> bool:
        return self.commit is None

    @property
    def when(self) -> dt.datetime | None:
        return self.commit.when if self.commit else None

    @property
    def published_at(self) -> dt.datetime | None:
        """发布日期 as a datetime, None when missing or invalid."""
        date = self.date
        if len(date) in (10, 16) and date[4] == "-" and date[7] == "-" and \
                (len(date) == 10 or (date[10] in " T" and date[13] == ":")):
            try:  # the forms the content model writes, YYYY-MM-DD[ HH:MM]: read alike, twenty times faster
                return dt.datetime.fromisoformat(date)
            except ValueError:
                pass
        try:
            return parse_datetime(date) if date else None
        except DateProblem:
            return None


_UNSET = object()


@dataclass
class Event:
    """A publication event of one document."""

    kind: str  # a key of KIND_LABELS
    key: str
    version: Version  # the version the event made public (for deleted and unpublished: the one after)
    number: int = 0  # the public version this event made (1, 2, …); 0 when it made none
    major: bool | None = None  # for changes: 重大更新 or 一般更新
    previous: Version | None = None  # the public version before
    other_key: str = ""  # for rekeyed: the old key
    _effective: object = field(default=_UNSET, repr=False, compare=False)  # cached ``effective``

    @property
    def label(self) -> str:
        if self.kind == "unapproved" and self.version.refused:
            return REFUSED_LABEL
        if self.kind == "rekeyed" and not self._had_index_no:
            return REKEYED_SLUG["label"]
        if self.kind == "repealed":
            return self.version.validity if self.version.validity != "已修订" else "已修订"
        if self.kind == "changed":
            return "重大更新" if self.major else "一般更新"
        return KIND_LABELS[self.kind]

    @property
    def irregular(self) -> bool:
        return self.kind in IRREGULAR

    @property
    def on_site(self) -> bool:
        """Whether the public site lists it: not a version the gate refused, nor one replaced before its
        发布日期 (nothing was published)."""
        return self.kind not in ("unapproved", "cancelled")

    @property
    def note(self) -> str:
        """更新说明 of the version, or what an irregularity means and what should have been done."""
        return self._note(public=False)

    @property
    def public_note(self) -> str:
        """:attr:`note` for the public site: an irregularity said without the editors' instructions."""
        return self._note(public=True)

    def _note(self, public: bool) -> str:
        if self.kind == "cancelled":
            return CANCELLED_NOTE.format(date=f"{self.version.published_at:%Y-%m-%d %H:%M}")
        if self.kind == "unapproved" and self.version.refused and not public:
            return REFUSED_NOTE.format(problem=self.version.refused)
        if self.kind == "rekeyed" and not self._had_index_no:
            said = REKEYED_SLUG["public" if public else "note"].format(old=self.other_key)
            return said + f"（原网址标识 {self.other_key}）"
        if self.irregular:
            was = f"（原索引号 {self.other_key}）" if self.kind == "rekeyed" and self.other_key else ""
            return (PUBLIC_NOTES if public else IRREGULAR_NOTES)[self.kind] + was
        if self.kind == "withdrawn" and self.version.withdrawal:
            return f"撤回原因：{self.version.withdrawal[2]}"
        return self.version.change_note

    @property
    def _had_index_no(self) -> bool:
        """For ``rekeyed``: whether the old key was a 索引号 (else a 网址标识)."""
        return INDEX_NO.match(self.other_key) is not None

    @property
    def when(self) -> dt.datetime | None:
        return self.version.when

    @property
    def effective(self) -> dt.datetime | None:
        """When the public could see it: the commit, or a later 发布日期 (定时发布) of a public version."""
        if self._effective is _UNSET:
            self._effective = self._when_public()
        return self._effective

    def _when_public(self) -> dt.datetime | None:
        """A public version dated after its commit (定时发布, of a first publication or of an update)
        is public from its 发布日期: the site leaves it out until then."""
        when, date = self.version.when, self.version.published_at
        if when is None or not (self.number or self.kind == "rekeyed") or date is None:
            return when  # a new 索引号 goes public with its version
        return max(when, date)

    @property
    def changed_labels(self) -> list[str]:
        return [FIELD_LABELS.get(f, f) for f in self.version.changed]

    def as_dict(self) -> dict:
        v = self.version
        return {
            "kind": self.kind, "label": self.label, "key": self.key, "title": v.title, "path": v.path,
            "when": _iso(v.when), "effective": _iso(self.effective), "commit": v.commit.sha if v.commit else None,
            "author": v.commit.author if v.commit else None, "merge": bool(v.commit and v.commit.is_merge),
            "uncommitted": v.uncommitted, "version": self.number, "major": self.major, "change_note": v.change_note,
            "final_by": v.final_by, "final_on": v.final_on, "approved": v.approved if v.status in PUBLIC else None,
            "refused": v.refused or None,
            "status": v.status, "validity": v.validity,
            "changed": list(v.changed), "irregular": self.irregular, "note": self.note,
            "previous_key": self.other_key or None,
        }


def _iso(when: dt.datetime | None) -> str | None:
    """A Beijing time in ISO 8601 with its offset (+08:00), as the manifest and the feeds write it."""
    return when.replace(tzinfo=_BEIJING_OFFSET).isoformat() if when else None


_BEIJING_OFFSET = dt.timezone(dt.timedelta(hours=8))


@dataclass
class DocHistory:
    key: str
    versions: list[Version]  # every version in order, deletion markers included
    events: list[Event] = field(default_factory=list)

    @property
    def public_events(self) -> list[Event]:
        """The events that made a public version, in order (version 1, 2, …)."""
        return [e for e in self.events if e.number]

    @property
    def deleted(self) -> bool:
        return bool(self.versions) and self.versions[-1].status == DELETED

    def seen(self, version: Version) -> Version | None:
        """What the public saw while ``version`` was the file in the published line: the version
        itself when it passed the gate, else the last one before it that did (None when none did
        since the file last became public)."""
        seen = None
        for v in self.versions:
            if v.status == DELETED or (v.status not in PUBLIC and not v.problem):
                seen = None
            elif v.status in PUBLIC and v.approved:
                seen = v
            if v is version:
                break
        return seen

    def at(self, when: dt.datetime) -> Version | None:
        """The file as it stood in the published line at ``when`` (None before it existed)."""
        found = None
        for v in self.versions:
            if v.commit is not None and v.commit.when <= when:
                found = v
        return found


@dataclass
class Chain:
    """One file followed through renames."""

    path: str
    versions: list[Version] = field(default_factory=list)


@dataclass
class LedgerState:
    """What one walk produced: the chains of every content file, as of ``head``."""

    head: str | None = None
    seq: int = 0
    chains: list[Chain] = field(default_factory=list)
    by_path: dict[str, int] = field(default_factory=dict)  # live path -> chain index
    # the other content files (attachments, the data files under ``_data/``): (seq, blob) of each commit that
    # wrote one, "" for a commit that deleted it
    files: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def to_columns(self) -> tuple:
        """The state as plain tuples (for ``marshal``: several times faster than pickling the objects)."""
        commits: dict[str, int] = {}
        table = []
        chains = []
        for chain in self.chains:
            rows = []
            for v in chain.versions:
                c = v.commit
                if c is not None and c.sha not in commits:
                    commits[c.sha] = len(table)
                    table.append((c.sha, c.parents, tuple(c.when.timetuple())[:6], c.author, c.email, c.subject))
                rows.append((v.seq, commits[c.sha] if c is not None else -1) + _version_fields(v))
            chains.append((chain.path, rows))
        return (self.head, self.seq, self.by_path, table, chains, self.files)

    @classmethod
    def from_columns(cls, data: tuple) -> "LedgerState":
        head, seq, by_path, table, chains, files = data
        commits = [Commit(sha, parents, dt.datetime(*when), author, email, subject)
                   for sha, parents, when, author, email, subject in table]
        return cls(head, seq, [Chain(path, [Version(row[0], commits[row[1]] if row[1] >= 0 else None, *row[2:])
                                            for row in rows]) for path, rows in chains], by_path, files)

    def written(self, after: int, upto: int | None, path: str) -> bool:
        """Whether the content file ``path`` (not a document) was written by a commit after the
        ``after``-th one, up to the ``upto``-th (None: any since); ``partial(written, after, upto)``
        is a ``replaced`` for :func:`fill`. A deletion counts: the file there now is another one."""
        return any(after < seq and (upto is None or seq <= upto) for seq, _ in self.files.get(path, ()))

    def existed(self, at: int, path: str) -> bool:
        """Whether the content file ``path`` (not a document) was in the tree after the ``at``-th commit."""
        return bool(blob_at(self.files.get(path, ()), at))


_version_fields = operator.attrgetter(  # every field of a Version after seq and commit, in order
    "path", "blob", "key", "title", "type", "status", "validity", "change_note", "date", "final_by", "final_on",
    "withdrawal", "supersedes", "changed", "compared", "problem", "approved", "digest", "since_public", "refused",
    "refused_by_files")


def is_document(path: str) -> bool:
    """A content document (not a vocabulary file, not an attachment, nothing under a dot directory).

    ``path`` is a Git path (``/``-separated, no ``.`` or empty parts): plain string tests, no
    ``PurePosixPath`` (this runs for every change of a walk)."""
    return (path.lower().endswith(CONTENT_SUFFIXES) and not path.startswith(_DATA_PREFIX)
            and not path.startswith(".") and "/." not in path)


_DATA_PREFIX = DATA_DIR + "/"


def apply_commits(state: LedgerState, walked: list[tuple[Commit, list[Change]]]) -> list[tuple[int, Version]]:
    """Extend the chains by the walked commits; returns the new (chain, stub) pairs to read."""
    pending: list[tuple[int, Version]] = []
    for commit, changes in walked:
        state.seq += 1
        follow_files(state.files, state.seq, changes, _not_document)
        # deletions first, then renames, so that a path freed and re-used in one commit makes two files
        for change in sorted(changes, key=lambda c: {"D": 0, "R": 1}.get(c.status, 2)):
            change = _as_document_change(change)
            if change is None:
                continue
            if change.status == "D":
                index = state.by_path.pop(change.path, None)
                if index is not None:
                    state.chains[index].versions.append(Version(state.seq, commit, change.path, status=DELETED))
                continue
            if change.status == "R":
                index = state.by_path.pop(change.old_path, None)
                if index is None:
                    index = _new_chain(state, change.path)
                state.chains[index].path = change.path
            elif change.status == "A" or change.path not in state.by_path:
                index = _new_chain(state, change.path)
            else:
                index = state.by_path[change.path]
            state.by_path[change.path] = index
            stub = Version(state.seq, commit, change.path, change.blob)
            state.chains[index].versions.append(stub)
            pending.append((index, stub))
        if walked:
            state.head = commit.sha
    return pending


def _not_document(path: str) -> bool:
    return not is_document(path)


def _as_document_change(change: Change) -> Change | None:
    """The change as seen from the documents: a rename into or out of them is an addition or a deletion."""
    old_doc = change.status == "R" and is_document(change.old_path)
    if not is_document(change.path):
        return Change("D", change.old_path, change.old_blob) if old_doc else None
    if change.status == "R" and not old_doc:
        return Change("A", change.path, change.blob)
    return change


def _new_chain(state: LedgerState, path: str) -> int:
    state.chains.append(Chain(path))
    return len(state.chains) - 1


# ---- reading the versions --------------------------------------------------------------------


def fill(version: Version, front: Front, previous: Front | None, before: Version | None = None,
         replaced: Callable[[str], bool] | None = None) -> Version:
    """Fill in a stub from its file version (in place); returns it.

    ``previous`` is the file's version before (compared with for ``changed``); ``before``,
    the stub filled from it: when ``front`` was read against ``previous``
    (:func:`~.fastmeta.read_next`), only what its changed entries give is worked out again.
    ``replaced(path)``: whether that attachment file was written since ``previous`` (then
    recording its hash is a new file, not only 附件校验值)."""
    if front.problem:
        version.problem = front.problem
        return version
    if before is not None and front.since is not None and not before.problem:
        for name in _FROM_ENTRIES:
            setattr(version, name, getattr(before, name))
        _fill_from(version, front, front.since)
        if version.path != before.path and "index_no" not in front.since and "slug" not in front.since:
            version.key = key_of(front, version.path)  # the file name may be the key
    else:
        _fill_from(version, front, _NEEDED)
    if previous is not None:
        version.changed, version.compared = changed_fields(previous, front, replaced), True
    if version.status in PUBLIC:
        same = before is not None and before.status in PUBLIC and front.since is not None and \
            front.body == previous.body and all(name in EXCLUDED and name != "review" for name in front.since)
        matched = (before.approved or bool(before.refused)) if same else approved(front, previous)
        if matched:  # the digest is right: the gate's other rules on the version's own sign-offs decide
            kept = same and not SIGNED.intersection(front.since)
            version.refused = before.refused if kept else refusal(front, version)
        version.approved = matched and not version.refused
        version.digest = str(front.get("review.final.digest")).strip()[7:23] if version.approved else ""
    if front.problem:  # found while reading a field
        version.problem = front.problem
    return version




def refusal(front: Front, version: Version) -> str:
    """Why the gate's rules on a version's own sign-offs (:data:`~govportal.gate.OWN_RULES`) refuse it,
    "" when they do not: quickly when the sign-offs are as ``scripts/review sign`` writes them."""
    date, table = version.published_at, signoff_table(front)
    if date is not None and table is not None and plainly_passes(*table, date):
        return ""
    return own_refusal(version.path, {name: front.value(name) for name in SIGNED}, date)


# the fields of a Version that come from the front matter, and the entries they come from
_FROM_ENTRIES = ("key", "title", "type", "status", "validity", "change_note", "date", "final_by", "final_on",
                 "withdrawal", "supersedes")


def _fill_from(version: Version, front: Front, names) -> None:
    """Set the fields of ``version`` that come from the entries ``names``."""
    value = front.value
    for name in names:
        if name in _SIMPLE:
            setattr(version, name, _text(value(name)))
        elif name == "status":
            version.status = _text(value("status")) or "draft"
        elif name == "review":
            final = front.get("review.final")
            final = final if isinstance(final, dict) else {}
            version.final_by, version.final_on = _text(final.get("by")), _text(final.get("on"))
        elif name == "withdrawal":
            withdrawal = value("withdrawal")
            version.withdrawal = tuple(_text(withdrawal.get(k)) for k in ("on", "by", "reason")) \
                if isinstance(withdrawal, dict) else ()
        elif name == "supersedes":
            supersedes = value("supersedes")
            version.supersedes = () if not supersedes else \
                tuple(str(s) for s in supersedes) if isinstance(supersedes, list) else (str(supersedes),)
        elif name == "index_no" or (name == "slug" and "index_no" not in names):
            version.key = key_of(front, version.path)


_SIMPLE = frozenset(("title", "type", "validity", "change_note", "date"))


def _text(value) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()


def key_of(front: Front, path: str) -> str:
    """The document's stable key as the content model derives it: 索引号, else slug, else the file name."""
    for name in ("index_no", "slug"):
        value = _text(front.value(name))
        if value:
            return value
    stem = PurePosixPath(path).stem
    return stem if SLUG.match(stem) else path


def approved(front: Front, previous: Front | None = None) -> bool:
    """Whether the final review's digest is the digest of this version (what the gate's
    ``final_digest_matches`` checks): a version without it never passed the gate.

    ``previous``, the file's version before: a body the same as its body is not normalised again."""
    recorded = front.get("review.final.digest")
    if not isinstance(recorded, str) or not recorded.strip().startswith("sha256:"):
        return False
    if previous is not None and previous.normal_body is not None and front.body == previous.body:
        front.normal_body = previous.normal_body
    else:
        try:
            front.normal_body = normalised_body(front.body.decode("utf-8"))
        except UnicodeDecodeError:
            return False
    if front.meta is not None:  # read by the YAML parser
        return recorded.strip() == digest_of_normalised(meta_fields(front.meta), front.normal_body)
    fields = front.fields  # kept from the version before for the entries this one did not change
    names = sorted(k for k in front.entries if k not in EXCLUDED)
    for key in names:
        if key not in fields:
            fields[key] = field_json(key, front.value(key))
    return recorded.strip() == digest_of_normalised([fields[k] for k in names], front.normal_body)


def changed_fields(old: Front, new: Front, replaced: Callable[[str], bool] | None = None,
                   whole: bool = False) -> tuple[str, ...]:
    """The fields of the approval digest whose value changed (in the new file's order), then ``body``.

    A change only in what the digest normalises away (spaces at line ends, CRLF, NFC) is none.
    ``whole``: compare every entry, ``old`` not being the version ``new`` was read against."""
    changed = []
    names = new.since if new.since is not None and not whole else \
        list(new.entries) + [k for k in old.entries if k not in new.entries]
    for name in names:
        if name in EXCLUDED or old.entries.get(name) == new.entries.get(name):
            continue
        if _differs(old.value(name), new.value(name)):
            changed.append(HASHES_RECORDED if name == "attachments" and
                           _hashes_recorded(old.value(name), new.value(name), replaced) else name)
    if old.body != new.body and _body_differs(old.body, new.body):
        changed.append("body")
    return tuple(changed)


def _hashes_recorded(old, new, replaced: Callable[[str], bool] | None = None) -> bool:
    """Whether the attachments changed only by the final review recording their ``sha256``: the
    same files and titles, a hash where there was none (a new hash for a file is a new file, and
    so is a hash recorded for a file ``replaced`` since)."""
    if not isinstance(old, list) or not isinstance(new, list) or len(old) != len(new):
        return False
    for a, b in zip(old, new):
        a, b = ({"file": x} if isinstance(x, str) else x for x in (a, b))
        if not isinstance(a, dict) or not isinstance(b, dict) or a.get("sha256") not in (None, "", b.get("sha256")) \
                or _differs({k: v for k, v in a.items() if k != "sha256"}, {k: v for k, v in b.items() if k != "sha256"}):
            return False
        if replaced is not None and a.get("sha256") != b.get("sha256") and replaced(attachment_file(str(b.get("file")))):
            return False
    return True


def _differs(a, b) -> bool:
    """Whether two values differ after the digest's normalisation, normalising only when needed."""
    if a == b:
        return False
    if isinstance(a, str) and isinstance(b, str) and a.split() != b.split() and \
            unicodedata.is_normalized("NFC", a) and unicodedata.is_normalized("NFC", b):
        return True  # differ in more than white space, and NFC would not make them equal
    if isinstance(a, list) and isinstance(b, list):  # normalised item by item (so a list of another length differs)
        return len(a) != len(b) or any(_differs(x, y) for x, y in zip(a, b))
    return _normalise(a) != _normalise(b)


def _body_differs(a: bytes, b: bytes) -> bool:
    """Whether two bodies differ after the digest's normalisation.

    Only the lines between the lines the two have in common at the start and at the end are
    normalised and compared (the normalisation works line by line, NFC does not reach across a
    line end, and blank lines at the ends of the text are dropped)."""
    if b"\r" in a or b"\r" in b:
        return _differs(a.decode("utf-8", "replace"), b.decode("utf-8", "replace"))
    size = min(len(a), len(b))
    before = a.rfind(b"\n", 0, common_start(a, b, size)) + 1  # whole lines in common at the start
    low = common_end(a, b, size - before)  # …and at the end
    after = a.find(b"\n", len(a) - low) + 1 if low else 0
    tail = len(a) - after if after else 0
    middle_a = _lines(a[before:len(a) - tail])
    middle_b = _lines(b[before:len(b) - tail])
    if not _has_text(a[:before]):  # the blank lines at the start of the middle are dropped with those before
        middle_a, middle_b = _drop_blank(middle_a), _drop_blank(middle_b)
    if not _has_text(a[len(a) - tail:]):
        middle_a, middle_b = _drop_blank(middle_a, -1), _drop_blank(middle_b, -1)
    return middle_a != middle_b  # one left empty and the other not: the other has lines the first lacks


def _has_text(chunk: bytes) -> bool:
    """Whether a piece of a body has anything but white space."""
    stripped = chunk.strip()
    if not stripped:
        return False
    return bool(stripped[:64].decode("utf-8", "ignore").strip() or chunk.decode("utf-8", "replace").strip())


def _drop_blank(lines: list[str], at: int = 0) -> list[str]:
    """``lines`` without the blank lines at the start (``at`` 0) or at the end (-1)."""
    while lines and not lines[at]:
        lines = lines[1:] if at == 0 else lines[:-1]
    return lines


def _lines(text: bytes) -> list[str]:
    """Lines as the digest normalises them (NFC, no trailing white space); none for no text."""
    if not text:
        return []
    text = unicodedata.normalize("NFC", text.decode("utf-8", "replace"))
    return [line.rstrip() for line in text.split("\n")]


PARALLEL_READ_MIN = 2000  # fewer versions are read faster by this process alone than with a fork


def read_versions(state: LedgerState, pending: list[tuple[int, Version]], open_reader, workers: int = 0) -> None:
    """Fill every pending stub from its blob, in place in its chain.

    ``open_reader()`` opens a :class:`~.gitsource.BlobReader`; with ``workers`` > 1 and enough
    versions, the chains are shared out between forked workers, each with its own reader."""
    by_chain: dict[int, list[Version]] = {}
    for index, stub in pending:
        by_chain.setdefault(index, []).append(stub)
    with open_reader() as reader, CommittedFiles(state.files, open_reader) as attached:
        rules = DataRules(state.files, reader.get)  # made before forking: the workers share it
        _recheck_refused(state, by_chain, rules, reader, attached)
    jobs = []
    for index, stubs in by_chain.items():
        chain = state.chains[index]
        earlier = chain.versions[:chain.versions.index(stubs[0])]
        base = next((v for v in reversed(earlier) if v.blob and v.status != DELETED), None)
        anchor = next((v for v in reversed(earlier) if _is_anchor(v)), None)
        jobs.append((index, _Base(base.blob, base.path, base.seq) if base else None,
                     _Base(anchor.blob, anchor.path, anchor.seq) if anchor else None, stubs))
    workers = workers or min(os.cpu_count() or 1, 4)
    if workers < 2 or sum(len(j[-1]) for j in jobs) < PARALLEL_READ_MIN:
        workers = 1
    here = os.getpid()

    def run(share: list) -> list:
        with open_reader() as reader, CommittedFiles(state.files, open_reader) as attached:
            filled = _read_jobs(share, reader, state.written, rules, attached)
        if os.getpid() == here:
            return []  # filled in place
        # a forked worker's versions go back as rows of plain values (several times cheaper to send than the
        # objects), without the commits (this process has them)
        return [(index, [(v.seq,) + _version_fields(v) for v in versions]) for index, versions in filled]

    for rows in fork_shares(run, [jobs[i::workers] for i in range(workers)]):
        for index, filled in rows:
            versions = state.chains[index].versions
            position = {v.seq: i for i, v in enumerate(versions)}
            for row in filled:
                i = position[row[0]]
                versions[i] = Version(row[0], versions[i].commit, *row[1:])  # the walk's Commit objects, shared
    for chain in state.chains:  # a deletion is the last version of its file, and may be all a walk found
        if chain.versions and chain.versions[-1].status == DELETED and not chain.versions[-1].key:
            _complete_markers(chain.versions)


def _recheck_refused(state: LedgerState, by_chain: dict[int, list[Version]], rules: DataRules, reader,
                     attached: CommittedFiles) -> None:
    """A version the roster, the word lists or its attachment files refused, last of its file before the
    new commits, is public from the first new commit whose files let it through (before the file's next
    version)."""
    found = []
    for index, chain in enumerate(state.chains):
        stubs = by_chain.get(index)
        first = chain.versions.index(stubs[0]) if stubs else len(chain.versions)
        last = chain.versions[first - 1] if first else None
        if last is not None and last.refused_by_files:
            found.append((last, stubs[0].seq if stubs else None))
    touched = sorted({seq for changes in state.files.values() for seq, _ in changes})  # commits that wrote other files
    for version, until in found:
        later = bisect.bisect_right(touched, version.seq)
        if later == len(touched) or (until is not None and touched[later] >= until):
            continue  # no roster, word list or attachment file changed since: the version stays refused
        blob = reader.get(version.blob)
        front = read(version.path, blob)
        if _passes_later(version, front, blob, rules, attached, until):
            version.refused, version.refused_by_files, version.approved = "", False, True
            version.digest = str(front.get("review.final.digest")).strip()[7:23]


def _apply_file_rules(version: Version, front: Front, blob: bytes, rules: DataRules, attached: CommittedFiles,
                      until: int | None, clean: Front | None) -> Rules | None:
    """Refuse an approved version that the roster, the word lists or its attachment files refuse as of its
    own commit and as of every later commit that changed them before ``until`` (the file's next version;
    None: none yet). ``clean``: the version before, when it was screened clean under the same rules.
    Returns the rules the version was screened clean under (None when it was not)."""
    now = rules.at(version.seq)
    reason, screened = _data_refusal(now, version, front, blob, clean)
    reason = reason or attachment_refusal(version.path, front.value("attachments"), attached, version.seq)
    if reason and _passes_later(version, front, blob, rules, attached, until):
        reason = ""  # a later commit's roster, word lists or attachment files let the same text through
    if reason:
        version.refused, version.approved, version.digest, version.refused_by_files = reason, False, "", True
    return now if screened else None


def _passes_later(version: Version, front: Front, blob: bytes, rules: DataRules, attached: CommittedFiles,
                  until: int | None) -> bool:
    """Whether the files of a commit after the version's own, before ``until``, let it through: one
    that changed the roster, the word lists or one of its attachment files."""
    value = front.value("attachments")
    points = set(rules.changes(version.seq, until)) | set(attached.changes(attachment_paths(value), version.seq, until))
    verdicts: dict[int, bool] = {}  # by the id of the rules: several commits may share them
    for seq in sorted(points):
        now = rules.at(seq)
        if id(now) not in verdicts:
            verdicts[id(now)] = not _data_refusal(now, version, front, blob, None)[0]
        if verdicts[id(now)] and not attachment_refusal(version.path, value, attached, seq):
            return True
    return False


def _data_refusal(rules: Rules, version: Version, front: Front, blob: bytes, since: Front | None) -> tuple[str, bool]:
    """(why ``rules`` refuse the version, "" when they do not; whether its texts were screened clean)."""
    reason = rules.roster_refusal(front, version.path)
    screened = rules.screened_clean(front, since)
    if not reason and not screened:
        reason = rules.wording_refusal(version.path, blob, version.status)
    return reason, screened


def _complete_markers(versions: list[Version]) -> None:
    """A deletion marker shows the file as it was before (key, title, type, …), approved by no one."""
    for i, v in enumerate(versions):
        if v.status == DELETED and not v.key and i > 0:
            before = versions[i - 1]
            versions[i] = replace(before, seq=v.seq, commit=v.commit, blob="", status=DELETED, changed=(),
                                  compared=False, problem="", path=v.path, final_by="", final_on="",
                                  approved=False, digest="", since_public=False, refused="", refused_by_files=False)


@dataclass(frozen=True)
class _Base:
    """A version read before a job's stubs: the one they continue, or the last public one."""

    blob: str
    path: str
    seq: int


def _is_anchor(v: Version) -> bool:
    """Whether ``v`` can be the last public version a later one is counted from."""
    return v.status in PUBLIC and v.approved and not v.problem


def _read_jobs(jobs: list, reader, written: Callable[[int, int, str], bool], rules: DataRules,
               attached: CommittedFiles) -> list[tuple[int, list[Version]]]:
    """Fill the stubs of ``jobs`` in place; returns them by chain. ``written(after, upto, path)``
    tells whether an attachment file was written between two commits (:meth:`LedgerState.written`).

    An approved public version that follows unapproved ones is compared with the last approved
    public version too (``since_public``): the changes the unapproved ones made become public
    with it, and a change made and undone in between is none.

    ``rules``, ``attached``: the roster and word lists, and the attachment files, of each commit
    (:func:`_apply_file_rules`)."""
    wanted = [blob for _, base, anchor, stubs in jobs
              for blob in ([anchor.blob] if anchor and anchor != base else []) + ([base.blob] if base else [])
              + [s.blob for s in stubs]]
    blobs = reader.read(wanted)
    out = []
    for index, base, anchor, stubs in jobs:
        separate = read(anchor.path, next(blobs)[1]) if anchor and anchor != base else None
        previous = read(base.path, next(blobs)[1]) if base else None
        since = base.seq if base else 0
        public = (separate or previous, anchor.seq) if anchor else None  # the last approved public version
        before = None  # the stub filled from ``previous``
        clean = None  # the rules ``previous`` was screened clean under
        filled = []
        for k, stub in enumerate(stubs):
            blob = next(blobs)[1]
            front = read_next(stub.path, blob, previous)
            # a version the roster or word lists refused is not carried over: the next one may pass them
            version = fill(stub, front, previous, None if before is not None and before.refused_by_files else before,
                           functools.partial(written, since, stub.seq))
            screened = None
            if version.approved:
                until = stubs[k + 1].seq if k + 1 < len(stubs) else None
                screened = _apply_file_rules(version, front, blob, rules, attached, until,
                                             previous if clean is not None and clean is rules.at(stub.seq) else None)
            if _is_anchor(version):
                if public is not None and public[0] is not previous:
                    version.changed = changed_fields(public[0], front, functools.partial(written, public[1], stub.seq),
                                                     True)
                    version.since_public = True
                public = (front, stub.seq)
            filled.append(version)
            if not front.problem:
                previous, before, since, clean = front, stub, stub.seq, screened
        out.append((index, filled))
    return out


# ---- events ------------------------------------------------------------------------------------


def derive(state: LedgerState, overlay: list[tuple[int | None, Version]] = ()) -> dict[str, DocHistory]:
    """Every document's history, keyed by its current key; ``overlay`` adds uncommitted versions
    (with the index of the chain they continue, None for a new file)."""
    timelines: dict[str, list[Version]] = {}
    extra: dict[int, list[Version]] = {}
    for index, version in overlay:
        if index is None:
            timelines.setdefault(version.key, []).append(version)
        else:
            extra.setdefault(index, []).append(version)
    for index, chain in enumerate(state.chains):
        versions = chain.versions + extra.get(index, [])
        readable = [v for v in versions if v.key]
        if not readable:
            continue
        key = readable[-1].key
        timelines.setdefault(key, []).extend(versions)
    docs = {}
    for key, versions in timelines.items():
        versions.sort(key=lambda v: (v.seq, v.status == DELETED))
        docs[key] = DocHistory(key, _merge_moves(versions), [])
        docs[key].events = events_of(key, docs[key].versions)
    return docs


def _as_public(v: Version, hidden: list[Version], last_public: Version | None) -> Version:
    """``v`` showing the title of the last public version when the versions ``hidden`` since were
    never public (a draft's or an unapproved version's title is not public text)."""
    if not hidden or last_public is None:
        return v
    return replace(v, title=last_public.title, type=last_public.type)


def _merge_moves(versions: list[Version]) -> list[Version]:
    """A file deleted and another with the same key added in the same commit is a move, not a deletion."""
    if not any(v.status == DELETED for v in versions):
        return versions
    added_at = {v.seq for v in versions if v.status != DELETED}
    return [v for v in versions if not (v.status == DELETED and v.seq in added_at)]


def events_of(key: str, versions: list[Version]) -> list[Event]:
    events: list[Event | None] = []
    state = None  # the status of the last version: None before the first and after a deletion
    last_public: Version | None = None
    last: Version | None = None
    number = 0
    unapproved: list[Version] = []  # public versions the gate refused (or replaced before their date) since the last counted
    pending: tuple | None = None  # the last version counted, if dated after its commit: its events, date, the state before

    def settle(at: dt.datetime) -> None:
        """A change committed at ``at``: the version counted last, if dated after that (定时发布), was replaced
        before its 发布日期 and never public (its events are undone, the state is the one before it)."""
        nonlocal pending, state, last_public, number
        if pending is None:
            return
        indices, date, before = pending[0], pending[1], pending[2:]
        pending = None
        numbered = events[indices[-1]]
        if date <= at:  # its date came before this change: it was public
            return
        for i in indices[:-1]:  # a new 索引号 that went with it
            events[i] = None
        state, last_public, number = before
        events[indices[-1]] = Event("cancelled", key, numbered.version, previous=last_public)
        unapproved.insert(0, numbered.version)  # its changes go public with the next version counted

    for v in versions:
        if pending is not None and v.commit is not None and not v.problem and (v.approved or v.status not in PUBLIC) \
                and not (v.status == state and v.compared and not v.changed and not unapproved and v.key == last.key):
            settle(v.commit.when)  # a change (not of the sign-offs only): the version counted last was public or not
        if v.status == DELETED:
            if state in PUBLIC:
                events.append(Event("deleted", key, _as_public(v, unapproved, last_public), previous=last_public))
            state, unapproved = None, []
            continue
        if v.problem:
            continue
        if v.status in PUBLIC and not v.approved:
            events.append(Event("unapproved", key, v, previous=last_public))  # never on the site
            unapproved.append(v)
            continue
        if unapproved and not v.since_public:  # what changed since the version before them, when the
            # walk did not count it from there (the last public version in another file): every change they made
            since = [*unapproved, v]
            same = last_public is not None and v.digest == last_public.digest  # e.g. the direct push reverted
            v = replace(v, changed=() if same else tuple(dict.fromkeys(f for u in since for f in u.changed)),
                        compared=same or all(u.compared for u in since))
        unapproved = []
        made = len(events)
        if last is not None and last.key and v.key != last.key and state in PUBLIC and v.status in PUBLIC:
            events.append(Event("rekeyed", key, v, previous=last_public, other_key=last.key))
        before, state = state, v.status
        last = v
        if v.status not in PUBLIC:
            if before in PUBLIC:
                events.append(Event("unpublished", key, _as_public(v, [v], last_public), previous=last_public))
            continue
        kind, major = None, None
        if before not in PUBLIC:
            kind = "republished" if last_public is not None else "published"
        elif before == "published" and v.status == "withdrawn":
            kind = "withdrawn"
        elif before == "withdrawn" and v.status == "published":
            kind = "restored"
        elif v.changed or not v.compared:  # not compared: moved without Git seeing the rename
            if last_public is not None and last_public.validity == "有效" and v.validity in REPEALED:
                kind, major = "repealed", True
            else:
                kind, major = "changed", not v.compared or bool(MAJOR_FIELDS.intersection(v.changed))
        if kind is None:
            continue  # sign-offs only: no public change
        number += 1
        events.append(Event(kind, key, v, number, major, last_public))
        date = v.published_at if v.commit is not None else None
        if date is not None and date > v.commit.when:  # 定时发布: public from its date if still current then (settle)
            pending = (tuple(range(made, len(events))), date, before, last_public, number - 1)
        last_public = v
    return [e for e in events if e is not None]
