"""政策文件检索 in Debian's Chromium over the built demo portal: queries, filters, URL state, safety."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from govportal.repository import load_repository
from govportal.site import build_site

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def docs():
    """The documents of the demo portal, as the build shows them (newest first)."""
    repo = load_repository(ROOT / "content", None, gate=False)
    return build_site(repo, dt.datetime.now()).documents


def by_doc_no(docs, doc_no):
    return next(d for d in docs if d.doc_no == doc_no)


def results(page) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("#search-results > li > a").all()]


def search(page, demo_url, **params) -> list[str]:
    page.goto(f"{demo_url}/search/?{urlencode(params)}")
    wait_rendered(page)
    return results(page)


def wait_rendered(page, before: str | None = None):
    page.wait_for_function(
        "before => { const r = document.getElementById('search-results');"
        " return r.dataset.rendered && r.dataset.rendered !== before; }", arg=before)


def count(page) -> int:
    text = page.locator("#search-count").inner_text()
    return int(re.search(r"共 (\d+) 条", text).group(1))


def test_exact_title_comes_first(page, demo_url, docs):
    doc = by_doc_no(docs, "示政办发〔2024〕15号")
    assert search(page, demo_url, q=doc.title)[0] == "/" + doc.url
    assert page.locator("#search-results > li").first.locator("mark").count() >= 1


def test_title_fragment(page, demo_url, docs):
    doc = by_doc_no(docs, "示卫健发〔2025〕12号")
    assert search(page, demo_url, q="基层医疗卫生服务能力")[0] == "/" + doc.url


@pytest.mark.parametrize("spelling", ["示政发〔2024〕12号", "示政发[2024]12号", "示政发(2024)12号", "示政发（2024）12号",
                                      "示政发2024年12号", "示政发〔２０２４〕１２号", "示政发【2024】012号"])
def test_each_doc_no_spelling_finds_the_policy_first(page, demo_url, docs, spelling):
    doc = by_doc_no(docs, "示政发〔2024〕12号")
    found = search(page, demo_url, q=spelling)
    assert found[0] == "/" + doc.url
    assert "部分匹配" not in page.locator("#search-count").inner_text()
    assert page.locator("#search-results > li").first.locator(".doc-no").inner_text() == "示政发〔2024〕12号"


def test_body_phrase_with_a_snippet(page, demo_url, docs):
    phrase = "深化企业开办标准化"
    holders = [d for d in docs if phrase in d.body]
    assert len(holders) == 1 and all(phrase not in d.title for d in docs)
    assert search(page, demo_url, q=phrase)[0] == "/" + holders[0].url
    snippet = page.locator("#search-results > li").first.locator(".snippet")
    page.wait_for_function("() => document.querySelector('#search-results .snippet mark')")
    assert phrase in snippet.inner_text()


def test_phrase_only_in_a_pdf_attachment(page, demo_url, docs):
    phrase = "分季度投资调度明细表"
    doc = by_doc_no(docs, "示发改发〔2026〕8号")
    assert all(phrase not in d.body and phrase not in d.title for d in docs)
    assert any(phrase in a.text for a in doc.attachments)
    assert search(page, demo_url, q=phrase) == ["/" + doc.url]
    assert "附件" in page.locator("#search-results > li .snippet").inner_text()


def test_single_character_finds_titles(page, demo_url, docs):
    found = search(page, demo_url, q="婴")
    assert set(found) >= {"/" + d.url for d in docs if "婴" in d.title}


@pytest.mark.parametrize("name, value, keep", [
    ("type", "interpretation", lambda d: d.type == "interpretation"),
    ("issuer", "示例市民政局", lambda d: d.issuer == "示例市民政局"),
    ("topic", "综合政务", lambda d: d.topic.split("/")[0] == "综合政务"),
    ("validity", "废止", lambda d: d.validity == "废止"),
    ("year", "2025", lambda d: d.date.year == 2025),
])
def test_each_filter_alone_lists_its_documents_newest_first(page, demo_url, docs, name, value, keep):
    expected = ["/" + d.url for d in docs if keep(d)]
    assert expected
    assert search(page, demo_url, **{name: value}) == expected[:20]
    assert count(page) == len(expected)
    assert page.locator(f"#search-form [name={name}]").input_value() == value


def test_filter_narrows_a_query(page, demo_url):
    everything = search(page, demo_url, q="营商环境")
    policies = search(page, demo_url, q="营商环境", type="policy")
    assert policies and set(policies) < set(everything)
    badges = page.locator("#search-results > li .badge-muted").all_inner_texts()
    assert badges and set(badges) == {"政策文件"}


def result_dates(page) -> list[str]:
    """The results' dates (ISO, from datetime), each checked to read 2024年3月5日 on the page."""
    found = []
    for time in page.locator("#search-results time").all():
        iso = time.get_attribute("datetime")
        year, month, day = (int(n) for n in iso.split("-"))
        assert time.inner_text() == f"{year}年{month}月{day}日"
        found.append(iso)
    return found


def test_date_range(page, demo_url, docs):
    expected = ["/" + d.url for d in docs if dt.date(2025, 2, 1) <= d.date.date() <= dt.date(2025, 3, 31)]
    assert search(page, demo_url, **{"from": "2025-02-01", "to": "2025-03-31"}) == expected
    dates = result_dates(page)
    assert dates and all("2025-02-01" <= d <= "2025-03-31" for d in dates)
    assert page.locator("#search-advanced").get_attribute("open") is not None


def test_sort_by_date(page, demo_url):
    search(page, demo_url, q="营商环境", sort="date")
    dates = result_dates(page)
    assert len(dates) > 2 and dates == sorted(dates, reverse=True)


def test_advanced_fields(page, demo_url, docs):
    doc = by_doc_no(docs, "示政发〔2024〕12号")
    assert search(page, demo_url, doc_no="示政发2024年12号")[0] == "/" + doc.url
    titles = [d.title for d in docs if "营商环境" in d.title]
    search(page, demo_url, title="营商环境")
    assert count(page) == len(titles)


def test_url_state_and_back_button(page, demo_url):
    page.goto(demo_url + "/search/")
    box = page.locator("#search-q")
    box.fill("营商环境")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('q=')")
    wait_rendered(page)
    first = results(page)
    assert "q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83" in page.url
    page.locator("#search-advanced summary").click()
    before = page.locator("#search-results").get_attribute("data-rendered")
    page.select_option("#search-form [name=type]", "policy")
    wait_rendered(page, before)
    assert "type=policy" in page.url and set(results(page)) < set(first)
    before = page.locator("#search-results").get_attribute("data-rendered")
    page.go_back()
    wait_rendered(page, before)
    assert "type=" not in page.url and results(page) == first
    assert page.locator("#search-form [name=type]").input_value() == ""
    assert box.input_value() == "营商环境"
    before = page.locator("#search-results").get_attribute("data-rendered")
    page.go_forward()
    wait_rendered(page, before)
    assert page.locator("#search-form [name=type]").input_value() == "policy"


def test_typing_shows_results_as_you_type(page, demo_url):
    page.goto(demo_url + "/search/")
    page.locator("#search-q").press_sequentially("城市更新")
    page.wait_for_function("() => location.search.includes('q=%E5%9F%8E%E5%B8%82%E6%9B%B4%E6%96%B0')")
    page.wait_for_function("() => document.querySelectorAll('#search-results > li').length > 0")
    assert "城市更新" in page.locator("#search-results > li a").first.inner_text()


def test_no_results_says_so_with_suggestions(page, demo_url):
    assert search(page, demo_url, q="量子纠缠通信卫星", type="policy") == []
    empty = page.locator("#search-empty")
    assert empty.is_visible()
    text = empty.inner_text()
    assert "没有找到与“量子纠缠通信卫星”相符的信息" in text
    assert empty.locator("a[href='/catalogue/']").count() == 1
    assert empty.get_by_role("link", name="只按检索词检索").count() == 1
    assert count(page) == 0


def test_markup_in_a_query_is_shown_as_text(page, demo_url):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    query = "<img src=x onerror=alert(1)>"
    search(page, demo_url, q=query)
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("main img").count() == 0
    assert query in page.locator("#search-empty").inner_text()
    assert page.locator("#search-q").input_value() == query


def test_home_page_box_goes_to_search(page, demo_url):
    page.goto(demo_url + "/")
    form = page.locator("form.site-search")
    assert form.get_attribute("action") == "/search/"
    page.locator("#site-q").fill("最低生活保障")
    page.locator("#site-q").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    wait_rendered(page)
    assert results(page) and "最低生活保障" in page.locator("#search-results > li a").first.inner_text()


def test_without_javascript_a_note_links_to_the_catalogue(browser, demo_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_url + "/search/?q=营商环境")
    note = page.locator("main .notice").first
    assert note.is_visible() and "JavaScript" in note.inner_text()
    assert note.locator("a[href='/catalogue/']").is_visible()
    assert not page.locator("#search-form").is_visible()
    context.close()


def test_no_errors_and_nothing_from_elsewhere(page, demo_url):
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith("http://127.0.0.1") else outside.append(r.url))
    search(page, demo_url, q="城市更新")
    assert errors == [] and outside == []
