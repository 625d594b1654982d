"""The public site as data: which documents are shown where, and how they link.

Built from a checked :class:`Repository`; templates read these plain objects.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .model import TYPES, Document
from .repository import Repository
from .vocab import Column, Issuer, Topic, Vocab

PAGE_SIZE = 20


@dataclass
class Page:
    """One page of a paginated list."""

    number: int
    count: int
    items: list
    base_url: str

    def url(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    @property
    def path(self) -> str:
        return self.url(self.number) + "index.html"

    @property
    def previous_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.count else None


def paginate(items: list, base_url: str, size: int = PAGE_SIZE) -> list[Page]:
    count = max(1, math.ceil(len(items) / size))
    return [Page(n + 1, count, items[n * size:(n + 1) * size], base_url) for n in range(count)]


@dataclass
class Links:
    """What a document links to and what links to it."""

    interpretations: list[Document] = field(default_factory=list)
    interprets: list[Document] = field(default_factory=list)
    superseded_by: list[Document] = field(default_factory=list)
    supersedes: list[Document] = field(default_factory=list)
    related: list[Document] = field(default_factory=list)
    contents: list[Document] = field(default_factory=list)
    in_gazettes: list[Document] = field(default_factory=list)
    outcome: Document | None = None


@dataclass
class SiteModel:
    vocab: Vocab
    documents: list[Document]  # shown on the site, newest first
    links: dict[str, Links]
    by_column: dict[str, list[Document]]  # column path (and every ancestor) -> documents
    by_topic: dict[str, list[Document]]
    by_issuer: dict[str, list[Document]]
    today: dt.date
    cache_dir: Path | None = None  # the build's cache directory (the search index keeps its bases under it)
    preview: bool = False  # not the public site: drafts shown, or as of a time still to come
    now: dt.datetime | None = None  # the time the site is as of (Beijing time)

    def attachment_files(self) -> set[str]:
        """The attachment files the site publishes at their own path (``attachments/…``): those its
        document pages link there. Not a withdrawn document's (原文已不再提供), a draft's or a document
        not public yet (定时发布), nor a file no page links: published, anyone could fetch them."""
        return {a.file for d in self.documents if d.status != "withdrawn" for a in d.attachments if not a.href}

    def of_type(self, type_: str, limit: int | None = None) -> list[Document]:
        docs = [d for d in self.documents if d.type == type_]
        return docs[:limit] if limit else docs

    def column(self, path: str) -> Column | None:
        return self.vocab.columns.get(path)

    def topic(self, path: str) -> Topic | None:
        return self.vocab.topics.get(path)

    def issuer(self, name: str) -> Issuer | None:
        return self.vocab.issuers.get(name)

    def consultation_state(self, doc: Document) -> str:
        return consultation_state(doc, self.today)

    @property
    def home_column(self) -> Column | None:
        """The root column of type 首页: it stands for the home page, it has no list of its own."""
        return next((c for c in self.vocab.root_columns if c.column_type == "首页"), None)

    @property
    def nav_columns(self) -> list[Column]:
        home = self.home_column
        return [c for c in self.vocab.root_columns if c is not home]

    def column_of_type(self, column_type: str) -> Column | None:
        """The first column (in vocabulary order) of one of the 《政府网站发展指引》 column types."""
        return next((c for c in self.vocab.columns.values() if c.column_type == column_type), None)

    def column_docs(self, column: Column | None) -> list[Document]:
        return self.by_column.get(column.path, []) if column else []

    def years(self) -> list[int]:
        """Years with at least one document, newest first."""
        return sorted({d.date.year for d in self.documents if d.date}, reverse=True)

    def by_type(self) -> dict[str, list[Document]]:
        out: dict[str, list[Document]] = {t: [] for t in TYPES}
        for doc in self.documents:
            out.setdefault(doc.type, []).append(doc)
        return out

    def by_year(self) -> dict[int, list[Document]]:
        out: dict[int, list[Document]] = defaultdict(list)
        for doc in self.documents:
            if doc.date:
                out[doc.date.year].append(doc)
        return dict(out)

    def months(self) -> list[Month]:
        """一月政策: every complete month from the first published policy to last month, newest first.

        The page of a month appears on the 1st of the next month, listing the policies
        published that month (drafts and withdrawn policies excluded)."""
        policies = [d for d in self.documents if d.type == "policy" and d.status == "published" and d.date]
        if not policies:
            return []
        by_month: dict[tuple[int, int], list[Document]] = defaultdict(list)
        for doc in policies:
            by_month[(doc.date.year, doc.date.month)].append(doc)
        first = min(by_month)
        last = Month(self.today.year, self.today.month).previous
        months = []
        month = last
        while (month.year, month.month) >= first:
            month.policies = by_month.get((month.year, month.month), [])
            months.append(month)
            month = month.previous
        return months


@dataclass
class Month:
    """One month of 一月政策."""

    year: int
    month: int
    policies: list[Document] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def url(self) -> str:
        return f"monthly/{self.key}/"

    @property
    def published(self) -> dt.datetime:
        """The 1st of the next month, when the page goes out."""
        nxt = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return dt.datetime(nxt.year, nxt.month, 1)

    @property
    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)


def consultation_state(doc: Document, today: dt.date) -> str:
    """未开始 / 征集中 / 已结束, from the consultation's dates as of ``today``."""
    if doc.opens and today < doc.opens:
        return "未开始"
    if doc.closes and today > doc.closes:
        return "已结束"
    return "征集中"


def _newest_first(doc: Document):
    return (doc.date or dt.datetime.min, doc.key)


def build_site(repo: Repository, now: dt.datetime, include_drafts: bool = False,
               held: dict[str, Document] | None = None) -> SiteModel:
    """The site as of ``now``: a document dated in the future is scheduled (定时发布), not shown yet;
    ``held`` (by key) gives the version shown instead until then, for one that was public before."""
    held = held or {}
    shown = [held.get(d.key, d) for d in repo.documents if d.key in held or
             (d.is_public and d.date is not None and d.date <= now) or (include_drafts and d.status == "draft")]
    shown.sort(key=_newest_first, reverse=True)
    visible = {d.key: d for d in shown if d.key}
    links: dict[str, Links] = defaultdict(Links)

    def ref(key: str) -> Document | None:
        return visible.get(key)

    for doc in shown:
        own = links[doc.key]
        for key in doc.interprets:
            if (target := ref(key)) is not None:
                own.interprets.append(target)
                links[target.key].interpretations.append(doc)
        for key in doc.supersedes:
            if (target := ref(key)) is not None:
                own.supersedes.append(target)
                links[target.key].superseded_by.append(doc)
        for key in doc.related:
            if (target := ref(key)) is not None:
                if target not in own.related:
                    own.related.append(target)
                if doc not in links[target.key].related:
                    links[target.key].related.append(doc)
        for key in doc.contents:
            if (target := ref(key)) is not None:
                own.contents.append(target)
                links[target.key].in_gazettes.append(doc)
        if doc.outcome:
            own.outcome = ref(doc.outcome)

    by_column: dict[str, list[Document]] = defaultdict(list)
    by_topic: dict[str, list[Document]] = defaultdict(list)
    by_issuer: dict[str, list[Document]] = defaultdict(list)
    for doc in shown:
        column = repo.vocab.columns.get(doc.column)
        for node in column.ancestors if column else []:
            by_column[node.path].append(doc)
        topic = repo.vocab.topics.get(doc.topic)
        if topic is not None:
            by_topic[topic.path].append(doc)
            if topic.parent:
                by_topic[topic.parent].append(doc)
        by_issuer[doc.issuer].append(doc)
    return SiteModel(repo.vocab, shown, dict(links), dict(by_column), dict(by_topic), dict(by_issuer), now.date(), now=now)
