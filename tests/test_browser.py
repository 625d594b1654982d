"""Real headless Chromium (Debian's) opens the built demo portal: home page and a policy page."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def external_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:")) else seen.append(r.url))
    return seen


def test_home_page(page, demo_url):
    outside = external_requests(page)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(demo_url + "/")
    assert page.title() == "示例市人民政府门户网站"
    for zone in ["政策文件", "政策解读", "政务动态", "政府公报", "意见征集"]:
        assert page.get_by_role("heading", name=zone, exact=True).is_visible()
    assert page.locator(".zone#zone-policy, section[aria-labelledby=zone-policy] li a").count() >= 5
    assert "网站标识码" in page.locator("footer").inner_text()
    assert outside == [] and errors == []


def test_policy_page_from_home(page, demo_url):
    page.goto(demo_url + "/")
    page.locator("section[aria-labelledby=zone-policy] li a").first.click()
    page.wait_for_load_state()
    assert re.search(r"/doc/[0-9a-z-]+/$", page.url)
    table = page.locator("table.disclosure")
    for label in ["索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "主题词", "有效性"]:
        assert table.get_by_text(label, exact=True).count() == 1
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}",
                        page.locator('meta[name="PubDate"]').get_attribute("content"))
    h1 = page.locator("h1").inner_text()
    assert page.title().startswith(h1)


def test_large_text_mode_persists(page, demo_url):
    page.goto(demo_url + "/")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="大字版").click()
    assert page.get_by_role("button", name="大字版").get_attribute("aria-pressed") == "true"
    page.goto(demo_url + "/sitemap/")
    bigger = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert bigger > size
