"""The public portal as built from the demo content: every page type, what an inspector checks.

Static checks over the output files (no browser): meta tags, footer, links, feeds, sitemap,
the Nu HTML Checker, page weight. The browser checks are in test_a11y.py.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import posixpath
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from govportal.history.pages import attach_history
from govportal.model import Document
from govportal.pages import PageSpec, site_pages
from govportal.repository import load_repository
from govportal.site import Month, build_site, consultation_state
from govportal.vocab import COLUMN_TYPES
from tests.conftest import ROOT, files_containing, run_build
from tests.portal_site import CONTENT_PAGES, NOW, PAGE_TYPES, parse_html, portal_output

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return portal_output(tmp_path_factory)


@pytest.fixture(scope="module")
def pages(out) -> dict:
    return {name: parse_html((out / path).read_text("utf-8")) for name, path in PAGE_TYPES.items()}


def metas(dom) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for m in dom.find_all("meta"):
        if "name" in m.attrs:
            found.setdefault(m.attrs["name"], []).append(m.attrs.get("content", ""))
    return found


def text_of(dom) -> str:
    return re.sub(r"\s+", " ", dom.text())


def local_target(page: str, ref: str) -> str | None:
    """The output file (relative to the site root) a local href/src of ``page`` points to;
    None for another host, mailto:, tel: and same-page fragments."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or (not parts.path and parts.fragment):
        return None
    path = unquote(parts.path)
    target = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(page), path)
    target = posixpath.normpath(target or ".")
    if path.endswith("/"):
        return "index.html" if target == "." else target + "/index.html"
    return target


# ---- what an inspector checks on every page type --------------------------------------------------


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_meta_tags_of_the_guidelines(pages, name):
    found = metas(pages[name])
    for tag in ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
                "ColumnType"):
        assert len(found.get(tag, [])) == 1 and found[tag][0].strip(), (name, tag)
    assert found["SiteName"] == ["示例市人民政府门户网站"]
    assert found["SiteDomain"] == ["www.shili.gov.cn"]
    assert found["SiteIDCode"] == ["3799000001"]
    assert found["ColumnType"][0] in COLUMN_TYPES
    lower = [k.lower() for k in found]
    assert lower.count("description") == 1 and lower.count("keywords") <= 1, "one description, one keywords"
    if name in CONTENT_PAGES:
        for tag in ("ArticleTitle", "PubDate", "ContentSource"):
            assert len(found.get(tag, [])) == 1 and found[tag][0].strip(), (name, tag)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", found["PubDate"][0])
        assert found["Url"][0].startswith("https://www.shili.gov.cn/")


def test_meta_tags_follow_the_page(pages):
    assert metas(pages["home"])["ColumnType"] == ["首页"]
    assert metas(pages["column"])["ColumnName"] == ["政策文件"]
    assert metas(pages["catalogue"])["ColumnType"] == ["信息公开目录"]
    assert metas(pages["interpretation"])["ColumnType"] == ["政策解读"]
    assert metas(pages["open consultation"])["ColumnType"] == ["征集调查"]
    policy = metas(pages["policy"])
    assert policy["ArticleTitle"] == ["示例市人民政府关于进一步优化营商环境的若干措施"]
    assert policy["PubDate"] == ["2024-03-05 09:30"]
    assert policy["ContentSource"] == ["示例市人民政府"]
    assert policy["Url"] == ["https://www.shili.gov.cn/doc/11379900mb0000000x-2024-00012/"]
    assert metas(pages["monthly"])["PubDate"] == ["2024-04-01 00:00"]


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_footer_identity_block(pages, name):
    footer = pages[name].find("footer")
    text = text_of(footer)
    for label in ("主办单位：示例市人民政府办公室", "联系方式：", "0999-12345678", "网站标识码：3799000001",
                  "ICP备案号：示ICP备05000001号", "公安机关备案号：示公网安备37990002000001号"):
        assert label in text, (name, label)
    links = {a.text().strip(): a.attrs["href"] for a in footer.find_all("a")}
    assert links["网站地图"] == "/sitemap/"
    assert links["我为政府网站找错"].startswith("mailto:")
    mark = footer.find("img", alt="党政机关网站标识")
    assert mark is not None and mark.attrs["src"].startswith("/theme/")


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_security_policy_and_no_inline_code(pages, name):
    dom = pages[name]
    csp = dom.find("meta", http_equiv="Content-Security-Policy").attrs["content"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    for script in dom.find_all("script"):
        assert script.attrs.get("src", "").startswith("/theme/js/") and not script.text().strip()
    assert not dom.find_all("style")
    for node in dom.iter():
        assert "style" not in node.attrs, (name, node.tag)
        assert not [a for a in node.attrs if a.startswith("on")], (name, node.tag)


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_skip_link_landmarks_and_labelled_controls(pages, name):
    dom = pages[name]
    assert dom.find("html").attrs["lang"] == "zh-CN"
    skip = dom.find("body").find("a")
    assert skip.attrs["href"] == "#main" and dom.find("main", id="main") is not None
    assert len(dom.find_all("h1")) == 1
    for control in dom.find_all("select") + dom.find_all("input"):
        labelled = control.parent.tag == "label" or dom.find("label", **{"for": control.attrs.get("id", "-")})
        assert labelled, (name, control.attrs)
    for img in dom.find_all("img"):
        assert "alt" in img.attrs and img.attrs.get("width") and img.attrs.get("height"), (name, img.attrs)


def test_every_date_on_every_page_reads_in_the_chinese_form_with_iso_for_machines(out):
    """Lists, the catalogue, 发布历史 and 更新记录 included: 2024年3月5日 on the page, ISO in datetime."""
    seen = 0
    for page in out.rglob("*.html"):
        for time in parse_html(page.read_text("utf-8")).find_all("time"):
            seen += 1
            shown, iso = time.text().strip(), time.attrs.get("datetime", "")
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso), (page, iso)
            year, month, day = (int(n) for n in iso.split("-"))
            assert shown == f"{year}年{month}月{day}日", (page.relative_to(out), shown, iso)
    assert seen > 100


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, value) for name, value in attrs if name in ("href", "src") and value is not None]


def references(html: str) -> list[tuple[str, str]]:
    """Every (tag, href or src) of a page."""
    parser = _References()
    parser.feed(html)
    return parser.found


# ---- the crawl ----------------------------------------------------------------------------------------


def test_crawl_no_broken_link_nothing_from_another_host_every_document_reachable(out):
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    broken, foreign = [], []
    links: dict[str, set[str]] = {}
    for page in sorted(f for f in files if f.endswith(".html")):
        targets = links[page] = set()
        for tag, ref in references((out / page).read_text("utf-8")):
            if urlsplit(ref).scheme in ("http", "https") or ref.startswith("//"):
                # plain outbound links (e.g. the ICP record) are fine; resources never
                if tag != "a":
                    foreign.append((page, tag, ref))
                continue
            target = local_target(page, ref)
            if target is None:
                continue
            if target in files:
                targets.add(target)
            else:
                broken.append((page, ref))
    assert broken == []
    assert foreign == []
    # every page can be reached from the home page by following links (404 is reached by error)
    seen, todo = set(), ["index.html"]
    while todo:
        page = todo.pop()
        if page not in seen:
            seen.add(page)
            todo += [t for t in links.get(page, ()) if t.endswith(".html")]
    assert sorted(set(links) - seen) == ["404.html"]


def test_css_and_js_load_nothing_from_elsewhere(out):
    for asset in list((out / "theme").rglob("*.css")) + list((out / "theme").rglob("*.js")):
        text = asset.read_text("utf-8")
        assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text), asset
        assert not re.search(r"https?://", text), asset


# ---- the Nu HTML Checker ------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("java") is None or not VNU.exists(), reason="needs Java and npm vnu-jar (make npm)")
def test_nu_html_checker_zero_errors(out):
    files = [str(out / p) for p in PAGE_TYPES.values()] + [str(out / "column/hdjl/szxx/index.html"),
                                                            str(out / "topic/index.html"), str(out / "issuer/index.html")]
    # C1 JIT only: twice as fast for one short run; the schema needs a bigger thread stack
    run = subprocess.run(["java", "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU), "--errors-only",
                          "--format", "json", "--stdout", *files], capture_output=True, text=True, timeout=120)
    assert run.returncode in (0, 1), run.stderr
    messages = json.loads(run.stdout)["messages"]
    assert [(Path(m.get("url", "")).parent.name, m.get("lastLine"), m["message"]) for m in messages] == []


# ---- feeds, sitemap.xml, robots.txt -------------------------------------------------------------------


def test_atom_feed_per_column(out):
    feeds = sorted(out.glob("column/**/atom.xml"))
    assert len(feeds) >= 15
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed"
        entries = root.findall(f"{ATOM}entry")
        assert 1 <= len(entries) <= 20
        for entry in entries:
            link = entry.find(f"{ATOM}link").attrib["href"]
            assert link.startswith("https://www.shili.gov.cn/doc/")
            assert (out / urlsplit(link).path.lstrip("/") / "index.html").is_file()
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+08:00", entry.find(f"{ATOM}updated").text)
    column = parse_html((out / "column/zcwj/index.html").read_text("utf-8"))
    assert column.find("link", rel="alternate", type="application/atom+xml").attrs["href"] == "/column/zcwj/atom.xml"
    policies = ET.parse(out / "column/zcwj/atom.xml").getroot().findall(f"{ATOM}entry")
    assert policies[0].find(f"{ATOM}title").text == "示例市人民政府办公室关于印发示例市2026年政务公开工作要点的通知"


def test_sitemap_xml_and_robots(out):
    root = ET.parse(out / "sitemap.xml").getroot()
    locs = [u.find(f"{SITEMAP}loc").text for u in root.findall(f"{SITEMAP}url")]
    assert locs[0] == "https://www.shili.gov.cn/"
    for loc in locs:
        assert (out / urlsplit(loc).path.lstrip("/") / "index.html").is_file(), loc
    docs = {p.parent.name for p in out.glob("doc/*/index.html")}
    assert docs <= {urlsplit(loc).path.split("/")[2] for loc in locs if "/doc/" in loc}
    assert "https://www.shili.gov.cn/catalogue/" in locs and "https://www.shili.gov.cn/monthly/2024-03/" in locs
    assert "Sitemap: https://www.shili.gov.cn/sitemap.xml" in (out / "robots.txt").read_text("utf-8")


# ---- the pages: what a citizen sees -----------------------------------------------------------------


def test_home_zones_and_disclosure_entries(pages):
    home = pages["home"]
    headings = [h.text().strip() for h in home.find_all("h2")]
    for zone in ("政府信息公开", "政策文件", "政策解读", "政务动态", "政府公报", "意见征集", "互动交流"):
        assert zone in headings
    entries = {a.find("strong").text(): a.attrs["href"] for a in home.find("ul", class_="entries").find_all("a")}
    assert entries["信息公开指南"] == "/doc/11379900mb00000010-2024-00001/"
    assert entries["信息公开目录"] == "/catalogue/"
    assert entries["信息公开年报"] == "/column/zfxxgk/xxgknb/"
    assert entries["一月政策"] == "/monthly/"
    assert home.find("a", href="/column/hdjl/") is not None
    search = home.find("form", role="search")
    assert search.attrs["action"] == "/search/" and search.find("input", name="q") is not None


def test_column_page_breadcrumbs_side_navigation_and_pagination(out, pages):
    column = pages["subcolumn"]
    crumbs = [li.text().strip() for li in column.find("nav", class_="breadcrumbs").find_all("li")]
    assert crumbs == ["首页", "政策文件", "市政府文件"]
    side = column.find("nav", class_="side")
    assert side.find("a", aria_current="page").text() == "市政府文件"
    # the whole policy library is longer than one page only in big corpora: the pager is tested on the catalogue
    docs = column.find("ul", class_="doc-list").find_all("li")
    assert 1 <= len(docs) <= 20


def test_policy_page(pages):
    page = pages["policy"]
    table = page.find("table", class_="disclosure")
    labels = [th.text() for th in table.find_all("th")]
    assert labels == ["索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "主题词", "有效性"]
    cells = text_of(table)
    for value in ("11379900MB0000000X/2024-00012", "示政发〔2024〕12号", "2024年3月1日", "2024年3月5日", "有效"):
        assert value in cells
    attachments = text_of(page.find("section", class_="attachments"))
    assert re.search(r"原文（PDF版） （PDF，[\d.]+ KB，\d+页）", attachments)
    headings = {h.text(): h.parent for h in page.find_all("h2")}
    interpretations = [a.attrs["href"] for a in headings["政策解读"].find_all("a")]
    assert "/doc/11379900mb0000101y-2024-00021/" in interpretations
    assert "/doc/11379900mb00000010-2024-00015/" in [a.attrs["href"] for a in headings["配套文件"].find_all("a")]
    assert "/doc/11379900mb0000000x-2023-00008/" in [a.attrs["href"] for a in headings["本文件废止或修订的文件"].find_all("a")]
    assert page.find("div", class_="notice-validity") is None


@pytest.mark.parametrize("name, flag", [("repealed policy", "本文件已废止"), ("amended policy", "本文件已修订")])
def test_replaced_policy_banner_links_to_what_replaced_it(pages, name, flag):
    page = pages[name]
    banner = page.find("div", class_="notice-validity")
    main = page.find("main")
    first = next(n for n in main.iter() if n.tag in ("div", "table", "h1") and n.tag != "nav")
    assert first is banner, "the banner comes before the table and the text"
    assert flag in text_of(banner)
    links = banner.find_all("a")
    assert links and all(a.attrs["href"].startswith("/doc/") for a in links)
    if name == "repealed policy":
        assert links[0].attrs["href"] == "/doc/11379900mb0000000x-2024-00012/"


def test_expired_policy_without_successor_says_so(out):
    page = parse_html((out / "doc/11379900mb00001033-2025-00006/index.html").read_text("utf-8"))
    banner = text_of(page.find("div", class_="notice-validity"))
    assert "本文件已失效（有效期至2025年12月31日）" in banner


def test_interpretation_links_to_its_policy(pages):
    note = pages["interpretation"].find("p", class_="notice-interprets")
    assert note.find("a").attrs["href"] == "/doc/11379900mb0000000x-2024-00012/"
    assert "示政发〔2024〕12号" in note.text()


def test_gazette_table_of_contents(pages):
    toc = pages["gazette"].find("section", class_="toc")
    assert [a.attrs["href"] for a in toc.find_all("a")] == [
        "/doc/11379900mb00000010-2025-00007/", "/doc/11379900mb00001033-2025-00006/",
        "/doc/11379900mb0000105c-2025-00009/"]


def test_consultation_open_or_closed_from_its_dates(pages):
    open_ = pages["open consultation"]
    assert "征集中" in text_of(open_.find("div", class_="notice-consultation"))
    assert "意见提交方式" in text_of(open_)
    assert not [h for h in open_.find_all("h2") if h.text() == "意见采纳情况"]
    closed = pages["closed consultation"]
    assert "已结束" in text_of(closed.find("div", class_="notice-consultation"))
    feedback = closed.find("section", class_="feedback")
    assert "采纳或者部分采纳31条" in text_of(feedback)
    assert feedback.find("a").attrs["href"] == "/doc/11379900mb00000010-2025-00007/"


def test_consultation_state_and_month():
    doc = Document(source="x.md", meta={}, body="", body_line=1, lines={}, type="consultation",
                   opens=dt.date(2026, 12, 1), closes=dt.date(2027, 1, 1))
    assert consultation_state(doc, dt.date(2026, 11, 30)) == "未开始"
    assert consultation_state(doc, dt.date(2026, 12, 1)) == "征集中"
    assert consultation_state(doc, dt.date(2027, 1, 1)) == "征集中"
    assert consultation_state(doc, dt.date(2027, 1, 2)) == "已结束"
    assert Month(2025, 12).published == dt.datetime(2026, 1, 1)
    assert Month(2026, 1).previous.key == "2025-12" and Month(2026, 1).label == "2026年1月"


def test_withdrawn_page_keeps_its_url_and_shows_the_notice_not_the_text(out, pages):
    page = pages["withdrawn"]
    notice = text_of(page.find("div", class_="notice-withdrawn"))
    assert "本信息已撤回" in notice and "撤回日期：2025年9月5日" in notice and "搬迁时间调整" in notice
    assert page.find("div", class_="body") is None
    source = (ROOT / "content/release/2025-09-01-zhengwu-zhongxin-banqian.md").read_text("utf-8")
    body_line = [line for line in source.split("---", 2)[2].splitlines() if len(line) > 20][0]
    assert body_line[:20] not in text_of(page)


def test_a_withdrawn_documents_summary_is_nowhere_on_the_site(out, pages):
    """Its 内容概述 retells the text that is no longer provided (QA's D6): not in the page's description, the
    column feeds or the search index; its title and identity stay, so it is still found and listed as withdrawn."""
    summary = "公布试运行安排"  # of content/release/2025-09-01-zhengwu-zhongxin-banqian.md, in no other file
    assert summary in (ROOT / "content/release/2025-09-01-zhengwu-zhongxin-banqian.md").read_text("utf-8")
    assert files_containing(out, summary) == []
    description = pages["withdrawn"].find("meta", name="Description").attrs["content"]
    assert description == "关于示例市政务服务中心搬迁试运行的公告"
    assert files_containing(out, "关于示例市政务服务中心搬迁试运行的公告") != []


def test_catalogue_lists_every_document_and_filters_by_type_year_issuer_topic(out, pages):
    docs = {p.parent.name for p in out.glob("doc/*/index.html")}
    listed = set()
    for page in [out / "catalogue/index.html", *out.glob("catalogue/page/*/index.html")]:
        dom = parse_html(page.read_text("utf-8"))
        listed |= {a.attrs["href"].split("/")[2] for a in dom.find("table", class_="catalogue").find_all("a")}
    assert listed == docs
    data = json.loads((out / "catalogue/data.json").read_text("utf-8"))
    assert {d["url"].split("/")[1] for d in data["docs"]} == docs
    by_type = pages["catalogue by type"]
    rows = by_type.find("table", class_="catalogue").find("tbody").find_all("tr")
    assert len(rows) == sum(1 for d in data["docs"] if d["type"] == "policy")
    assert {r.find("td", class_="c-type").text() for r in rows} == {"政策文件"}
    facets = {a.text().split("（")[0]: a.attrs["href"] for a in pages["catalogue"].find("div", class_="facets").find_all("a")}
    assert facets["2024年"] == "/catalogue/year/2024/" and facets["示例市财政局"] == "/issuer/czj/"
    assert facets["综合政务"] == "/topic/zhzw/"
    year = parse_html((out / "catalogue/year/2024/index.html").read_text("utf-8"))
    assert {t.text()[:4] for t in year.find("table", class_="catalogue").find_all("time")} == {"2024"}
    form = pages["catalogue"].find("form", class_="filter")
    assert {s.attrs["name"] for s in form.find_all("select")} == {"type", "issuer", "topic", "year"}
    assert "js-only" in form.attrs["class"], "the form needs JavaScript: without it the static lists serve"


def test_topic_and_issuer_pages(pages):
    topic = pages["topic"]
    assert topic.find("h1").text() == "主题分类：综合政务/营商环境"
    assert "/doc/11379900mb0000000x-2024-00012/" in [a.attrs["href"] for a in topic.find("table").find_all("a")]
    issuer = pages["issuer"]
    assert {td.text() for td in issuer.find_all("td", class_="c-issuer")} == {"示例市人民政府"}


def test_monthly_policy_pages(out, pages):
    page = pages["monthly"]
    items = [li for li in page.find("ol", class_="monthly-list").children if not isinstance(li, str)]
    titles = [li.find("a").text() for li in items]
    assert "示例市人民政府关于进一步优化营商环境的若干措施" in titles
    policy = items[titles.index("示例市人民政府关于进一步优化营商环境的若干措施")]
    assert "/doc/11379900mb0000101y-2024-00021/" in [a.attrs["href"] for a in policy.find_all("a")]
    months = sorted(p.parent.name for p in out.glob("monthly/*/index.html"))
    assert months[0] == "2023-04" and months[-1] == "2026-10", "complete months only, up to last month"
    assert not (out / "monthly/2026-11").exists()


def test_not_found_page_helps(pages):
    page = pages["404"]
    hrefs = {a.attrs["href"] for a in page.find("main").find_all("a")}
    assert {"/", "/sitemap/", "/catalogue/"} <= hrefs


def test_sitemap_page_lists_every_column(out, pages):
    hrefs = {a.attrs["href"] for a in pages["sitemap"].find("main").find_all("a")}
    for column in out.glob("column/**/index.html"):
        if "/page/" not in str(column):
            assert "/" + str(column.parent.relative_to(out)) + "/" in hrefs


def test_policy_page_weight_at_most_60_kb_gzip(out, pages):
    page = pages["policy"]
    files = [out / PAGE_TYPES["policy"]]
    files += [out / link.attrs["href"].lstrip("/") for link in page.find_all("link", rel="stylesheet")]
    files += [out / s.attrs["src"].lstrip("/") for s in page.find_all("script")]
    total = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    assert total <= 60 * 1024, total


# ---- the page specs: one per output file, and deps that name everything a page shows -------------------


@pytest.fixture(scope="module")
def model():
    site = build_site(load_repository(ROOT / "content"), dt.datetime.fromisoformat(NOW))
    attach_history(site, ROOT / "content", dt.datetime.fromisoformat(NOW))
    return site


def fingerprints(site) -> dict[str, str]:
    return {s.path: s.fingerprint() for s in site_pages(site, {d.key: "k" for d in site.documents})}


def test_every_output_file_but_static_assets_is_a_page_spec(out, model):
    specs = list(site_pages(model, {d.key: "k" for d in model.documents}))
    paths = [s.path for s in specs]
    assert len(paths) == len(set(paths))
    for spec in specs:
        assert isinstance(spec, PageSpec)
        json.dumps(spec.deps, ensure_ascii=False, default=str)
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    static = {p for p in written if p.startswith(("theme/", "attachments/"))}
    assert written - static - {"manifest.json"} == set(paths)


def test_a_new_title_changes_every_page_that_shows_it_and_no_other(model):
    before = fingerprints(model)
    doc = next(d for d in model.documents if d.key == "11379900MB0000000X/2024-00012")
    title, meta, key = doc.title, doc.meta, doc.content_key
    doc.title = "示例市人民政府关于进一步优化营商环境的若干措施（修订）"
    doc.meta = {**meta, "title": doc.title}
    doc.content_key = "edited"  # as reading the edited file would give
    try:
        after = fingerprints(model)
    finally:
        doc.title, doc.meta, doc.content_key = title, meta, key
    changed = {p for p in before if before[p] != after[p]}
    assert {"doc/11379900mb0000000x-2024-00012/index.html", "column/zcwj/index.html",
            "column/zcwj/szfwj/index.html", "column/zcwj/atom.xml", "catalogue/index.html",
            "catalogue/type/policy/index.html", "catalogue/year/2024/index.html", "catalogue/data.json",
            "topic/zhzw/index.html", "topic/zhzw-yshj/index.html", "issuer/szf/index.html",
            "monthly/2024-03/index.html", "doc/11379900mb0000101y-2024-00021/index.html",
            "doc/11379900mb0000000x-2023-00008/index.html"} <= changed
    assert not changed & {"index.html", "404.html", "sitemap/index.html", "robots.txt", "column/zwdt/index.html",
                          "doc/notice-2025-0905-zhengwu-zhongxin/index.html", "monthly/2024-04/index.html",
                          "catalogue/year/2025/index.html"}


def test_a_consultation_closing_changes_its_page_and_the_lists_showing_it(model):
    today = model.today
    model.today = dt.date(2026, 12, 20)
    before = fingerprints(model)
    model.today = dt.date(2026, 12, 21)
    try:
        after = fingerprints(model)
    finally:
        model.today = today
    changed = {p for p in before if before[p] != after[p]}
    assert {"doc/consultation-2026-yinfa-jingji/index.html", "index.html", "column/yjzj/index.html",
            "catalogue/index.html", "catalogue/type/consultation/index.html"} <= changed
    assert "doc/11379900mb0000000x-2024-00012/index.html" not in changed


def test_paginated_lists_link_every_page(tmp_path, monkeypatch):
    """The demo's lists fit on one page: built again with short pages, the pagers must link them all."""
    import govportal.pages
    import govportal.site

    monkeypatch.setattr(govportal.pages, "CATALOGUE_PAGE_SIZE", 10)
    monkeypatch.setattr(govportal.site, "PAGE_SIZE", 4)
    monkeypatch.setattr(govportal.site.paginate, "__defaults__", (4,))
    out = tmp_path / "output"
    assert run_build(ROOT / "content", out, "--now", NOW)[0] == 0
    for base, size in (("catalogue/", 10), ("column/zcwj/", 4)):
        pages = sorted(out.glob(base + "page/*/index.html"), key=lambda p: int(p.parent.name))
        first = parse_html((out / base / "index.html").read_text("utf-8"))
        pager = first.find("nav", class_="pager")
        assert pager.find("a", aria_current="page").text() == "1"
        assert pager.find("a", rel="next").attrs["href"] == f"/{base}page/2/"
        last = parse_html(pages[-1].read_text("utf-8"))
        assert last.find("a", rel="prev") is not None and last.find("a", rel="next") is None
        assert last.find("nav", class_="pager").find("a", aria_current="page").text() == pages[-1].parent.name
        crumbs = [li.text() for li in last.find("nav", class_="breadcrumbs").find_all("li")]
        assert crumbs[-1] == f"第{pages[-1].parent.name}页"
        rows = first.find("table", class_="catalogue") or first.find("ul", class_="doc-list")
        assert len(rows.find_all("a")) == size
