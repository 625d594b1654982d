"""Every page of the public site, as data: where it goes, which template, what it shows.

Each :class:`PageSpec` carries ``deps``, a JSON-able description of everything
the page shows beyond the site-wide inputs (theme, vocabularies, settings).
The writer renders a page again only when its ``deps`` changed, so a rebuild
after editing one document renders that document, its neighbours and its lists.

Pages come from a chain of small functions (:data:`PAGE_SOURCES`), each
``source(site, html_keys) -> Iterator[PageSpec]``; a new kind of page (a search
page, say) is one more function in that tuple. Every page's context names the
``column`` it belongs to (a vocabulary :class:`Column` or a :class:`Section`:
name, description, keywords and ColumnType for the meta tags of 《政府网站发展指引》),
its breadcrumbs ``crumbs`` and the root column ``nav`` marked current in the
main navigation; content pages add ``article`` (ArticleTitle, PubDate, …).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable, Iterator

from . import dates
from .history.pages import history_deps, history_pages
from .model import TYPES, Document
from .search.pages import search_pages
from .site import SiteModel, consultation_state, paginate
from .vocab import Column

HOME_LIST_SIZE = 8
HOME_ZONES = (("policy", "政策文件"), ("interpretation", "政策解读"), ("release", "政务动态"),
              ("gazette", "政府公报"), ("consultation", "意见征集"))
CATALOGUE_PAGE_SIZE = 50
# The search box of the home page and the 404 page: where it sends the words (GET, parameter name),
# the policy library search (govportal/search).
SEARCH_FORM = {"action": "search/", "param": "q"}
FEED_SIZE = 20
INTERACTION_TYPES = ("咨询投诉", "在线访谈")


@dataclass
class PageSpec:
    """One output file. Either rendered from ``template`` with ``context``, or, for data files
    (search index shards, JSON), produced by ``data()`` returning str or bytes; ``template``
    then only names the kind of file for the fingerprint."""

    path: str  # output path relative to the site root, e.g. "doc/x/index.html"
    template: str
    context: dict = field(default_factory=dict)
    deps: object = None
    data: Callable[[], str | bytes] | None = field(default=None, compare=False, repr=False)

    def fingerprint(self) -> str:
        text = json.dumps([self.template, self.deps], ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Section:
    """A page outside the column tree, described for the meta tags like a column."""

    name: str
    description: str
    column_type: str
    url_path: str = ""
    keywords: tuple[str, ...] = ()
    parent: Column | None = None  # the column it is shown under in the breadcrumbs


Crumbs = list[tuple[str, str | None]]  # (label, site-relative URL); the current page has None


def summary(doc: Document, today: dt.date) -> tuple:
    """What a list or a link shows of a document (memoised per build: lists ask many times)."""
    memo = _SUMMARIES.get(id(doc))
    if memo is not None and memo[0] is doc and memo[1] == today:
        return memo[2]
    state = consultation_state(doc, today) if doc.type == "consultation" else None
    value = (doc.url, doc.title, doc.doc_no, doc.date, doc.status, doc.validity, doc.type, doc.index_no,
             doc.issuer, doc.topic, state)
    _SUMMARIES[id(doc)] = (doc, today, value)
    return value


_SUMMARIES: dict[int, tuple] = {}


def summaries(docs, today: dt.date) -> list:
    return [summary(d, today) for d in docs or ()]


def document_deps(site: SiteModel, doc: Document, html_key: str) -> list:
    links = site.links.get(doc.key)
    # content_key covers the whole file (metadata and body); html_key the renderer's output
    deps: list = [doc.content_key or doc.meta, html_key, [(a.file, a.size, a.pages) for a in doc.attachments]]
    if doc.type == "consultation":
        deps.append(site.consultation_state(doc))
    if links is not None:
        deps += [summaries(group, site.today) for group in (
            links.interpretations, links.interprets, links.superseded_by, links.supersedes, links.related,
            links.contents, links.in_gazettes)]
        deps.append(summary(links.outcome, site.today) if links.outcome else None)
    deps.append(history_deps(site, doc))
    return deps


# ---- shared pieces ------------------------------------------------------------------------


def column_crumbs(column: Column, current: str | None = None) -> Crumbs:
    """首页 › ancestors › the column (a link only when a page below it is current)."""
    crumbs: Crumbs = [("首页", "")]
    for node in column.ancestors:
        crumbs.append((node.name, node.url_path))
    if current is None:
        crumbs[-1] = (column.name, None)
    else:
        crumbs.append((current, None))
    return crumbs


def section_crumbs(section: Section, current: str | None = None) -> Crumbs:
    crumbs = column_crumbs(section.parent, section.name) if section.parent else [("首页", ""), (section.name, None)]
    if current is not None:
        crumbs[-1] = (section.name, section.url_path)
        crumbs.append((current, None))
    return crumbs


def root_of(column: Column | None) -> Column | None:
    return column.ancestors[0] if column is not None else None


def page_context(column, crumbs: Crumbs | None, **extra) -> dict:
    nav = root_of(column if isinstance(column, Column) else getattr(column, "parent", None))
    return {"column": column, "crumbs": crumbs, "nav": nav, **extra}


def sections(site: SiteModel) -> dict[str, Section]:
    """The pages outside the column tree, shown under 政府信息公开 where the site has that column."""
    disclosure = site.column_of_type("信息公开目录")
    policies = site.vocab.columns.get("政策文件") or site.column_of_type("政策文件")
    return {
        "catalogue": Section("政府信息公开目录", "按类型、发文机关、主题分类和年份查阅本网站主动公开的全部政府信息",
                             "信息公开目录", "catalogue/", ("政府信息公开目录", "主动公开", "政策文件"), disclosure),
        "topic": Section("主题分类", "按主题分类查阅主动公开的政府信息", "信息公开目录", "topic/",
                         ("主题分类", "政府信息公开"), disclosure),
        "issuer": Section("发文机关", "按发文机关查阅主动公开的政府信息", "信息公开目录", "issuer/",
                          ("发文机关", "政府信息公开"), disclosure),
        "monthly": Section("一月政策", "每月1日汇总发布上一个月出台的政策文件及其解读", "政策文件", "monthly/",
                           ("一月政策", "政策文件", "政策解读"), policies),
        "sitemap": Section("网站地图", "本网站全部栏目和页面的导航", "首页", "sitemap/", ("网站地图",)),
        "404": Section("页面未找到", "您访问的页面不存在", "首页", "", ("页面未找到",)),
    }


def article(title: str, pubdate: dt.datetime | None, source: str, url: str, description: str = "",
            keywords: list[str] | None = None) -> dict:
    """The content-page meta tags: ArticleTitle, PubDate, ContentSource, Keywords, Description, Url."""
    return {"title": title, "pubdate": pubdate, "source": source, "url": url,
            "description": description or title, "keywords": list(keywords or [])}


def catalogue_row(doc: Document) -> tuple:
    """What the catalogue table (and its JSON) shows of a document."""
    return (doc.url, doc.title, doc.doc_no, doc.type, doc.issuer, doc.topic,
            doc.date.strftime("%Y-%m-%d") if doc.date else "", doc.status, doc.validity)


# ---- the sources of pages ----------------------------------------------------------------


def home_pages(site: SiteModel, html_keys: dict[str, str]) -> Iterator[PageSpec]:
    home = {t: site.of_type(t, HOME_LIST_SIZE) for t, _ in HOME_ZONES}
    zones = [(t, label, site.vocab.columns.get(label)) for t, label in HOME_ZONES]
    guide = site.column_docs(site.column_of_type("信息公开指南"))[:1]
    interaction = next((c for c in site.vocab.root_columns if c.column_type == "咨询投诉"), None)
    context = page_context(site.home_column, None, zones=zones, home=home, interaction=interaction,
                           entries=disclosure_entries(site, guide[0] if guide else None), search=SEARCH_FORM)
    yield PageSpec("index.html", "index.html", context,
                   [{t: summaries(d, site.today) for t, d in home.items()}, summaries(guide, site.today)])


def disclosure_entries(site: SiteModel, guide: Document | None) -> list[tuple[str, str, str]]:
    """The 政府信息公开 entries of the home page: (label, URL, what it is)."""
    entries = []
    guide_column = site.column_of_type("信息公开指南")
    if guide is not None or guide_column is not None:
        entries.append(("信息公开指南", guide.url if guide else guide_column.url_path, "公开的范围、方式和申请办法"))
    entries.append(("信息公开目录", "catalogue/", "按类型、机关、主题和年份查阅"))
    for column_type, label, text in (("信息公开年报", "信息公开年报", "历年政府信息公开工作年度报告"),
                                     ("依法申请公开", "依申请公开", "申请方式、办理流程和申请表")):
        column = site.column_of_type(column_type)
        if column is not None:
            entries.append((label, column.url_path, text))
    active = site.vocab.columns.get("政府信息公开/法定主动公开内容")
    if active is not None:
        entries.append((active.name, active.url_path, "条例第二十条规定主动公开的信息"))
    entries.append(("一月政策", "monthly/", "每月1日汇总上月出台的政策"))
    return entries


def document_pages(site: SiteModel, html_keys: dict[str, str]) -> Iterator[PageSpec]:
    source = site.vocab.site.get("short_name") or site.vocab.site.get("name", "")
    for doc in site.documents:
        column = site.column(doc.column)
        crumbs = column_crumbs(column, "正文") if column else [("首页", ""), ("正文", None)]
        meta = article(doc.title, doc.date, doc.issuer or source, doc.url, doc.public_summary, doc.keywords)
        yield PageSpec(doc.url + "index.html", "document.html",
                       page_context(column, crumbs, doc=doc, links=site.links.get(doc.key), article=meta,
                                    html_key=html_keys[doc.key], withdrawn_on=withdrawal_date(doc)),
                       document_deps(site, doc, html_keys[doc.key]))


def withdrawal_date(doc: Document) -> dt.date | None:
    try:
        return dates.parse_date(doc.withdrawal["on"]) if doc.withdrawal.get("on") else None
    except dates.DateProblem:
        return None


def column_pages(site: SiteModel, html_keys: dict[str, str]) -> Iterator[PageSpec]:
    home = site.home_column
    for column in site.vocab.columns.values():
        if column is home:
            continue
        docs = site.column_docs(column)
        template = "interaction.html" if column.column_type in INTERACTION_TYPES and not docs else "column.html"
        for page in paginate(docs, column.url_path):
            crumbs = column_crumbs(column) if page.number == 1 else column_crumbs(column, f"第{page.number}页")
            yield PageSpec(page.path, template,
                           page_context(column, crumbs, page=page, has_feed=bool(docs), extra_links=extra_links(site, column)),
                           [column.path, page.number, page.count, summaries(page.items, site.today)])
        if docs:
            yield feed_spec(site, column, docs[:FEED_SIZE])


def extra_links(site: SiteModel, column: Column) -> list[tuple[str, str]]:
    """Pages outside the column tree that a column page points to (政府信息公开 → 目录, 一月政策)."""
    if column is site.column_of_type("信息公开目录"):
        return [("政府信息公开目录", "catalogue/"), ("一月政策", "monthly/")]
    if column is site.vocab.columns.get("政策文件"):
        return [("一月政策", "monthly/")]
    return []


def feed_spec(site: SiteModel, column: Column, docs: list[Document]) -> PageSpec:
    """An Atom feed of a column's latest documents."""
    entries = [{"url": d.url, "id": d.url, "title": d.title, "updated": rfc3339(d.date), "summary": d.public_summary,
                "author": d.issuer} for d in docs]
    return PageSpec(column.url_path + "atom.xml", "atom.xml",
                    {"column": column, "entries": entries, "updated": entries[0]["updated"] if entries else ""},
                    [column.path, entries])


def rfc3339(when: dt.datetime | None) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:00+08:00") if when else ""


def catalogue_pages(site: SiteModel, html_keys: dict[str, str]) -> Iterator[PageSpec]:
    """政府信息公开目录: the full list, the lists by type and by year, by topic and by issuer."""
    sec = sections(site)
    catalogue = sec["catalogue"]
    by_type = {t: docs for t, docs in site.by_type().items() if docs}
    by_year = site.by_year()
    facets = {
        "types": [(t, TYPES.get(t, t), len(docs), f"catalogue/type/{t}/") for t, docs in by_type.items()],
        "years": [(y, f"{y}年", len(by_year[y]), f"catalogue/year/{y}/") for y in site.years()],
        "issuers": [(i.name, i.name, len(site.by_issuer.get(i.name, [])), f"issuer/{i.slug}/")
                    for i in site.vocab.issuers.values() if site.by_issuer.get(i.name)],
        "topics": [(t.path, t.name, len(site.by_topic.get(t.path, [])), f"topic/{t.slug}/")
                   for t in site.vocab.topics.values() if not t.parent and site.by_topic.get(t.path)],
    }
    facet_deps = {k: [(v[0], v[2]) for v in values] for k, values in facets.items()}

    def listing(section: Section, title: str, crumb: str | None, base_url: str, docs: list[Document],
                extra_deps: object = None, **extra) -> Iterator[PageSpec]:
        for page in paginate(docs, base_url, CATALOGUE_PAGE_SIZE):
            crumbs = section_crumbs(section, crumb)
            if page.number > 1:
                crumbs[-1] = (crumbs[-1][0], base_url)
                crumbs.append((f"第{page.number}页", None))
            yield PageSpec(page.path, "catalogue.html",
                           page_context(section, crumbs, title=title, page=page, facets=facets, current=base_url,
                                        total=len(docs), **extra),
                           [title, len(docs), page.number, page.count, summaries(page.items, site.today),
                            facet_deps, extra_deps])

    yield from listing(catalogue, catalogue.name, None, catalogue.url_path, site.documents)
    for type_, label, _, url in facets["types"]:
        yield from listing(catalogue, f"{catalogue.name}：{label}", label, url, by_type[type_])
    for year, label, _, url in facets["years"]:
        yield from listing(catalogue, f"{catalogue.name}：{label}", label, url, by_year[year])
    for topic in site.vocab.topics.values():
        yield from listing(sec["topic"], f"主题分类：{topic.path}", topic.path, f"topic/{topic.slug}/",
                           site.by_topic.get(topic.path, []), topic.path, topic=topic)
    for issuer in site.vocab.issuers.values():
        yield from listing(sec["issuer"], f"发文机关：{issuer.name}", issuer.name, f"issuer/{issuer.slug}/",
                           site.by_issuer.get(issuer.name, []), issuer.name, issuer=issuer)
    for key, groups in (("topic", site.by_topic), ("issuer", site.by_issuer)):
        section = sec[key]
        yield PageSpec(section.url_path + "index.html", f"{key}_index.html",
                       page_context(section, section_crumbs(section)),
                       sorted((name, len(docs)) for name, docs in groups.items()))
    rows = [catalogue_row(d) for d in site.documents]
    yield PageSpec("catalogue/data.json", "data:catalogue.json", deps=rows, data=lambda: catalogue_json(rows))


def catalogue_json(rows: list[tuple]) -> str:
    """The catalogue for catalogue.js: combined filtering over every document, not only one page."""
    keys = ("url", "title", "doc_no", "type", "issuer", "topic", "date", "status", "validity")
    data = {"types": TYPES, "docs": [dict(zip(keys, row)) for row in rows]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def monthly_pages(site: SiteModel, html_keys: dict[str, str]) -> Iterator[PageSpec]:
    """一月政策: one page a month with that month's policies and their interpretations."""
    section = sections(site)["monthly"]
    source = site.vocab.site.get("short_name") or site.vocab.site.get("name", "")
    months = site.months()
    index = [(m.key, len(m.policies)) for m in months]
    for month in months:
        items = [(doc, site.links[doc.key].interpretations if doc.key in site.links else [])
                 for doc in month.policies]
        title = f"一月政策：{month.label}"
        meta = article(title, month.published, source, month.url,
                       f"{month.label}出台的政策文件{len(items)}件及其政策解读")
        yield PageSpec(month.url + "index.html", "monthly.html",
                       page_context(section, section_crumbs(section, month.label), month=month, items=items,
                                    article=meta, months=months),
                       [month.key, [(summary(d, site.today), summaries(i, site.today)) for d, i in items], index])
    yield PageSpec(section.url_path + "index.html", "monthly_index.html",
                   page_context(section, section_crumbs(section), months=months), index)


def site_map_pages(site: SiteModel, html_keys: dict[str, str]) -> Iterator[PageSpec]:
    sec = sections(site)
    yield PageSpec("sitemap/index.html", "sitemap.html",
                   page_context(sec["sitemap"], section_crumbs(sec["sitemap"]), sections=sec), [])
    yield PageSpec("404.html", "404.html", page_context(sec["404"], None, sections=sec, search=SEARCH_FORM), [])
    yield PageSpec("robots.txt", "robots.txt", {}, [])


PageSource = Callable[[SiteModel, dict], Iterator[PageSpec]]
PAGE_SOURCES: tuple[PageSource, ...] = (
    home_pages, document_pages, column_pages, catalogue_pages, monthly_pages, site_map_pages,
)


def site_pages(site: SiteModel, html_keys: dict[str, str]) -> Iterator[PageSpec]:
    """Every page, then ``sitemap.xml`` listing the HTML pages meant for search engines."""
    _SUMMARIES.clear()  # documents may have changed since the last call
    listed: list[tuple[str, str]] = []
    published = {d.url + "index.html": d.date for d in site.documents}
    drafts = {d.url + "index.html" for d in site.documents if d.status == "draft"}
    for source in PAGE_SOURCES:
        for spec in source(site, html_keys):
            yield spec
            if spec.path.endswith("index.html") and "/page/" not in spec.path and spec.path not in drafts:
                when = published.get(spec.path)
                listed.append((spec.path[: -len("index.html")], when.strftime("%Y-%m-%d") if when else ""))
    yield PageSpec("sitemap.xml", "sitemap.xml", {"urls": listed}, listed)
    yield from history_pages(site)
    yield from search_pages(site)
