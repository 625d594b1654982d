"""The history on the built site: 发布历史 on document pages, version and diff pages, 更新记录, Atom; in Chromium too."""
from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import files_containing, run_build, serve
from tests.portal_site import parse_html
from tests.test_history_helpers import POLICY, RELEASE, Ledger, ledger  # noqa: F401 (ledger: a fixture)

NOW = "2025-01-01T12:00:00"
PAGE = "doc/11379900mb0000000x-2024-00012/"
ATOM = "{http://www.w3.org/2005/Atom}"


def edited_twice(ledger: Ledger) -> None:
    ledger.replace(POLICY, "办理时间压缩至1个工作日以内", "办理时间压缩至半个工作日以内")
    ledger.set_field(POLICY, "change_note", "压缩企业开办时间")
    ledger.commit("修订营商环境措施", "2024-05-10T09:00:00+08:00", author="王志刚")
    ledger.set_field(POLICY, "validity", "废止")
    ledger.set_field(POLICY, "change_note", "本文件已废止")
    ledger.commit("废止", "2024-12-01T09:00:00+08:00")


@pytest.fixture
def site(ledger, tmp_path):
    edited_twice(ledger)
    out = tmp_path / "output"
    code, _ = run_build(ledger.content, out, "--now", NOW)
    assert code == 0
    return out


def read(out, path: str):
    return parse_html((out / path).read_text("utf-8"))


def test_document_page_lists_its_publication_history(site):
    section = read(site, PAGE + "index.html").find("section", id="history")
    assert section.find("h2").text() == "发布历史"
    rows = [[td.text().strip() for td in tr.find_all("td")] for tr in section.find("tbody").find_all("tr")]
    assert [r[:5] for r in rows] == [
        ["第3版", "2024年12月1日", "废止", "本文件已废止", "终审：赵刚"],
        ["第2版", "2024年5月10日", "重大更新", "压缩企业开办时间", "终审：赵刚"],
        ["第1版", "2024年3月9日", "首次发布", "首次发布", "终审：赵刚"]]
    assert rows[0][6] == "现行版本 与第2版比较"
    links = [a.attrs["href"] for a in section.find_all("a")]
    assert links == [f"/{PAGE}history/3/diff/", f"/{PAGE}history/2/", f"/{PAGE}history/2/diff/",
                     f"/{PAGE}history/1/", "/history/"]


def test_an_earlier_version_has_its_own_page_marked_historical(site):
    page = read(site, PAGE + "history/1/index.html")
    notice = page.find("div", class_="notice-history")
    assert notice.find("h2").text() == "历史版本"
    assert "这是本文件的第1版（共3版），2024年3月9日首次发布。本页仅供查阅，不是现行版本。" in notice.text()
    assert "办理时间压缩至1个工作日以内" in page.find("div", class_="body").text()
    assert page.find("h1").text() == "测试市人民政府关于进一步优化营商环境的若干措施"
    assert page.find("title").text().startswith("测试市人民政府关于进一步优化营商环境的若干措施（第1版，历史版本）")
    second = read(site, PAGE + "history/2/index.html")
    assert "办理时间压缩至半个工作日以内" in second.find("div", class_="body").text()
    assert not (site / PAGE / "history/3/index.html").exists()  # the current version is the document page


def test_a_diff_page_shows_text_and_metadata_changes(site):
    body = read(site, PAGE + "history/2/diff/index.html")
    assert body.find("h1").text() == "测试市人民政府关于进一步优化营商环境的若干措施"
    changed = body.find("p", class_="diff-changed")
    assert [d.text() for d in changed.find_all("del")] == ["1"] and [i.text() for i in changed.find_all("ins")] == ["半"]
    meta = body.find("section", aria_labelledby="meta-changes").find("tbody")
    assert [[c.text() for c in tr.find_all(("th"))] + [c.text() for c in tr.find_all("td")]
            for tr in meta.find_all("tr")] == [["更新说明", "首次发布", "压缩企业开办时间"]]
    repeal = read(site, PAGE + "history/3/diff/index.html")
    rows = {tr.find("th").text(): [td.text() for td in tr.find_all("td")]
            for tr in repeal.find("section", aria_labelledby="meta-changes").find("tbody").find_all("tr")}
    assert rows["有效性"] == ["有效", "废止"]
    assert repeal.find("section", aria_labelledby="text-changes").find("p").text() == "正文没有改动。"


def test_the_update_record_and_its_feed(site):
    record = read(site, "history/index.html")
    rows = [[td.text().strip() for td in tr.find_all("td")] for tr in record.find("tbody").find_all("tr")]
    assert [r[0] for r in rows] == ["2024年12月1日", "2024年5月10日", "2024年3月10日", "2024年3月9日", "2024年3月9日"]
    assert rows[0][2] == "废止" and rows[1][2] == "重大更新"
    months = [a.text() for a in record.find("section", aria_labelledby="months-title").find_all("a")]
    assert months == ["2024年12月（1）", "2024年5月（1）", "2024年3月（3）"]
    may = read(site, "history/2024-05/index.html")
    assert may.find("h1").text() == "更新记录：2024年5月"
    assert [td.text().strip() for td in may.find("tbody").find("tr").find_all("td")][:3] == [
        "2024年5月10日", "测试市人民政府关于进一步优化营商环境的若干措施 第2版", "重大更新"]
    feed = ET.parse(site / "history/atom.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries][:2] == [
        "废止：测试市人民政府关于进一步优化营商环境的若干措施", "重大更新：测试市人民政府关于进一步优化营商环境的若干措施"]
    assert entries[0].find(f"{ATOM}link").attrib["href"] == f"https://www.ceshi.gov.cn/{PAGE}history/3/diff/"
    assert len({e.find(f"{ATOM}id").text for e in entries}) == len(entries) == 5
    # an entry's id stays when later versions come (its link moves from the document page to history/n/)
    assert [e.find(f"{ATOM}id").text for e in entries][:2] == [
        f"https://www.ceshi.gov.cn/{PAGE}#v3", f"https://www.ceshi.gov.cn/{PAGE}#v2"]


@pytest.mark.parametrize("forked", [False, True], ids=["in this process", "forked workers"])
def test_the_earlier_versions_bodies_are_converted_once_and_kept_in_the_html_cache(site, tmp_path, monkeypatch,
                                                                                    ledger, forked):
    import sqlite3

    from govportal import render
    from portal import generator

    cache = tmp_path / ".cache-output" / render.HTML_CACHE_FILE  # run_build's cache beside the output
    with sqlite3.connect(cache) as db:  # version 1's text, which no current document has
        assert db.execute("SELECT count(*) FROM rendered_html WHERE value LIKE '%压缩至1个工作日以内%'").fetchone() == (1,)
    if forked:
        monkeypatch.setattr(generator, "PARALLEL_RENDER_MIN", 1)

    def converted_again(body: str) -> str:  # in this process or a forked worker: the build fails
        raise AssertionError(f"转换了第二次：{body[:20]}")

    monkeypatch.setattr(render, "to_html", converted_again)
    site_file = ledger.content / "_data/site.yml"  # a new site name: every page is rendered again
    site_file.write_text(site_file.read_text("utf-8").replace("测试市人民政府门户网站", "测试市人民政府网站", 1), "utf-8")
    # every body, the current ones and the earlier versions', comes from the cache
    assert run_build(ledger.content, site, "--now", NOW)[0] == 0
    page = (site / PAGE / "history/1/index.html").read_text("utf-8")
    assert "办理时间压缩至1个工作日以内" in page and "测试市人民政府网站" in page


def test_a_withdrawn_document_keeps_its_history_but_no_earlier_texts(ledger, tmp_path):
    ledger.replace(RELEASE, "研究部署春季重点工作。", "研究部署春季重点工作和安全生产。")
    ledger.commit("更新", "2024-04-01T09:00:00+08:00")
    ledger.withdraw(RELEASE, "2024-06-01", "会议安排有变")
    ledger.commit("撤回", "2024-06-01T10:00:00+08:00")
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", NOW)[0] == 0
    page = read(out, "doc/spring-meeting/index.html")
    rows = [[td.text().strip() for td in tr.find_all("td")] for tr in page.find("section", id="history").find_all("tr")[1:]]
    assert [r[2] for r in rows] == ["撤回", "一般更新", "首次发布"] or [r[2] for r in rows] == ["撤回", "重大更新", "首次发布"]
    assert not (out / "doc/spring-meeting/history").exists()


def test_a_version_the_gate_refused_is_never_published_through_the_history(ledger, tmp_path):
    ledger.replace(POLICY, "激发市场主体活力", "未经审核的文字", sign=False)  # a direct push: the build refused it
    ledger.commit("直接推送", "2024-04-01T09:00:00+08:00")
    ledger.replace(POLICY, "未经审核的文字", "持续激发市场主体活力")  # corrected and approved
    ledger.set_field(POLICY, "change_note", "文字修改")
    ledger.commit("修订", "2024-04-02T09:00:00+08:00")
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", NOW)[0] == 0
    pages = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".js")]
    assert pages and not [p for p in pages if "未经审核的文字" in p.read_text("utf-8", "replace")]
    rows = read(out, PAGE + "index.html").find("section", id="history").find("tbody").find_all("tr")
    assert [[td.text().strip() for td in tr.find_all("td")][:3] for tr in rows] == [
        ["第2版", "2024年4月2日", "重大更新"], ["第1版", "2024年3月9日", "首次发布"]]
    assert "持续激发市场主体活力" in read(out, PAGE + "history/2/diff/index.html").text()


@pytest.mark.parametrize("refused_by", ["word list", "roster", "attachment"])
def test_a_version_the_word_lists_the_roster_or_its_attachment_refused_is_never_published_through_the_history(
        ledger, tmp_path, refused_by):
    roster = ledger.path("_data/reviewers.yml").read_text("utf-8")
    (ledger.path("_data/wordlists")).mkdir()
    ledger.path("_data/wordlists/test.yml").write_text("- {word: 攻府, category: 错别字, level: block}\n", "utf-8")
    ledger.path("attachments").mkdir()
    ledger.path("attachments/a.doc").write_bytes(b"signed")
    ledger.commit("词表", "2024-03-20T09:00:00+08:00")
    unpublished = {"word list": "由攻府激发", "roster": "由新人激发", "attachment": "由新附件激发"}[refused_by]
    ledger.replace(POLICY, "激发市场主体活力", unpublished + "市场主体活力")  # signed: the final reviewer missed it
    if refused_by == "roster":
        ledger.replace(POLICY, "first: {by: 王敏,", "first: {by: 孙磊,")  # not on the roster
    signed = f"[{{file: attachments/a.doc, title: 原文, sha256: {hashlib.sha256(b'signed').hexdigest()}}}]"
    if refused_by == "attachment":
        ledger.path("attachments/a.doc").write_bytes(b"not the file the final reviewer saw")
        ledger.set_field(POLICY, "attachments", signed)
    ledger.commit("修订", "2024-04-01T09:00:00+08:00")
    ledger.replace(POLICY, unpublished, "持续激发")
    if refused_by == "roster":
        ledger.replace(POLICY, "first: {by: 孙磊,", "first: {by: 王敏,")
    if refused_by == "attachment":
        ledger.path("attachments/a.doc").write_bytes(b"signed")
    ledger.set_field(POLICY, "change_note", "文字修改")
    ledger.commit("改正", "2024-04-02T09:00:00+08:00")
    assert ledger.path("_data/reviewers.yml").read_text("utf-8") == roster
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", NOW)[0] == 0
    pages = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".js")]
    assert pages and not [p for p in pages if unpublished in p.read_text("utf-8", "replace")]
    rows = read(out, PAGE + "index.html").find("section", id="history").find("tbody").find_all("tr")
    assert [[td.text().strip() for td in tr.find_all("td")][:3] for tr in rows] == [
        ["第2版", "2024年4月2日", "重大更新"], ["第1版", "2024年3月9日", "首次发布"]]


def test_a_scheduled_update_keeps_the_public_version_online_until_its_date(ledger, tmp_path):
    """定时更新: a published document's new version dated after the build is not public yet; until then the
    site keeps showing the version the public saw, with its history, instead of leaving the document out."""
    ledger.schedule_update()
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", "2024-05-10T12:00:00")[0] == 0
    page = read(out, PAGE + "index.html")
    assert "激发市场主体活力" in page.text() and "定时公开的新文字" not in page.text()
    rows = page.find("section", id="history").find("tbody").find_all("tr")
    assert [[td.text().strip() for td in tr.find_all("td")][:3] for tr in rows] == [["第1版", "2024年3月9日", "首次发布"]]
    record = read(out, "history/index.html").text()
    assert "2024年3月9日" in record and "定时更新" not in record
    assert run_build(ledger.content, out, "--now", "2024-05-20T09:00:00")[0] == 0
    page = read(out, PAGE + "index.html")
    assert "定时公开的新文字" in page.text()
    rows = page.find("section", id="history").find("tbody").find_all("tr")
    assert [[td.text().strip() for td in tr.find_all("td")][:3] for tr in rows][0] == ["第2版", "2024年5月20日", "重大更新"]
    meta = read(out, PAGE + "history/2/diff/index.html").find("section", aria_labelledby="meta-changes")
    rows = {tr.find("th").text(): [td.text() for td in tr.find_all("td")] for tr in meta.find("tbody").find_all("tr")}
    assert rows["发布日期"] == ["2024年3月5日 09:30", "2024年5月20日 09:00"]  # dates as pages write them


def test_a_document_with_a_pending_scheduled_update_is_withdrawn_at_once_by_reverting_the_update(ledger, tmp_path):
    """What the content model's error says to do (QA's D5): revert the 定时更新's commit, then withdraw. The
    withdrawal is public at once, and the scheduled text never is."""
    update = ledger.schedule_update()
    ledger.git("revert", "--no-edit", update, when="2024-05-05T09:00:00+08:00")
    ledger.withdraw(POLICY, "2024-05-05", "内容有误")
    ledger.commit("撤回", "2024-05-05T10:00:00+08:00")
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", "2024-05-06T12:00:00")[0] == 0
    page = read(out, PAGE + "index.html")
    assert "撤回原因：内容有误" in page.text() and "激发市场主体活力" not in page.text()
    assert not files_containing(out, "定时公开的新文字")
    rows = page.find("section", id="history").find("tbody").find_all("tr")
    assert [[td.text().strip() for td in tr.find_all("td")][:3] for tr in rows] == [
        ["第2版", "2024年5月5日", "撤回"], ["第1版", "2024年3月9日", "首次发布"]]


@pytest.mark.parametrize("then", ["draft", "deleted", "kept"])
def test_a_title_dated_for_later_is_nowhere_on_the_site_before_its_date(ledger, tmp_path, then):
    """定时更新 with a new title and a new 网址标识, then (before its date) set back to draft, deleted, or kept:
    no page, record or feed shows the new title or the new address before the date, and the version kept
    online until then keeps its 发布历史."""
    ledger.set_field(RELEASE, "title", "定于六月公开的新标题")
    ledger.set_field(RELEASE, "slug", "june-meeting")
    ledger.set_field(RELEASE, "date", "2024-06-01 09:00")
    ledger.set_field(RELEASE, "change_note", "定时更新")
    ledger.commit("定时更新", "2024-04-01T09:00:00+08:00")
    if then == "draft":
        ledger.set_field(RELEASE, "status", "draft", sign=False)
    elif then == "deleted":
        ledger.path(RELEASE).unlink()
    ledger.commit("撤下", "2024-04-20T09:00:00+08:00")
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", "2024-05-10T12:00:00")[0] == 0
    assert files_containing(out, "定于六月公开的新标题") == [] and files_containing(out, "june-meeting") == []
    record = [tr.text() for tr in read(out, "history/index.html").find("tbody").find_all("tr") if "常务会议" in tr.text()]
    if then == "kept":
        assert len(record) == 1 and "首次发布" in record[0]
        rows = read(out, "doc/spring-meeting/index.html").find("section", id="history").find("tbody").find_all("tr")
        assert [[td.text().strip() for td in tr.find_all("td")][:3] for tr in rows] == [["第1版", "2024年3月10日", "首次发布"]]
    else:  # set back to draft or deleted after it was public: that is the irregularity, under the public title
        assert len(record) == 2 and "不合规" in record[0] and "市政府召开常务会议研究部署春季重点工作" in record[0]


def test_the_update_record_keeps_what_was_public_of_a_document_no_longer_on_the_site(ledger, tmp_path):
    ledger.replace(RELEASE, "研究部署春季重点工作。", "研究部署春季重点工作和安全生产。")
    ledger.set_field(RELEASE, "change_note", "补充议题")
    ledger.commit("更新", "2024-04-01T09:00:00+08:00")
    ledger.path(RELEASE).unlink()
    ledger.commit("删除", "2024-05-01T09:00:00+08:00")
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", NOW)[0] == 0
    rows = [tr.text() for tr in read(out, "history/index.html").find("tbody").find_all("tr")]
    meeting = [r for r in rows if "春季" in r]
    assert len(meeting) == 3 and "删除已发布文件" in meeting[0] and "补充议题" in meeting[1] and "首次发布" in meeting[2]
    assert (out / "history/2024-04/index.html").is_file()


def test_committing_an_edit_rerenders_the_document_page(ledger, tmp_path):
    out = tmp_path / "output"
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    assert run_build(ledger.content, out, "--now", NOW)[0] == 0
    page = out / PAGE / "index.html"
    row = read(out, PAGE + "index.html").find("tr", id="v2")
    assert "未提交" in row.text()
    before = page.stat().st_ino
    ledger.commit("修订", "2024-04-01T09:00:00+08:00")
    assert run_build(ledger.content, out, "--now", NOW)[0] == 0
    assert page.stat().st_ino != before
    row = read(out, PAGE + "index.html").find("tr", id="v2")
    assert "未提交" not in row.text() and "2024年4月1日" in row.text()


@pytest.mark.browser
def test_an_earlier_version_links_its_attachment_as_it_was_then(ledger, tmp_path):
    """A replaced or deleted attachment file is published again under the earlier version's page, from that
    version's commit; a file the site still has as it was is linked where it is."""
    ledger.path("attachments").mkdir()
    ledger.path("attachments/yuanwen.doc").write_bytes(b"first text")
    ledger.path("attachments/fujian.doc").write_bytes(b"kept as it was")
    ledger.set_field(POLICY, "attachments", "[{file: attachments/yuanwen.doc, title: 原文}, "
                                            "{file: attachments/fujian.doc, title: 附表}]")
    ledger.set_field(POLICY, "change_note", "增加原文")
    ledger.commit("增加附件", "2024-04-01T09:00:00+08:00")  # version 2
    ledger.path("attachments/yuanwen.doc").write_bytes(b"second text, longer")
    ledger.set_field(POLICY, "change_note", "更换原文")
    ledger.commit("更换原文", "2024-05-01T09:00:00+08:00")  # version 3: the same entry, another file
    ledger.path("attachments/yuanwen.doc").unlink()
    ledger.set_field(POLICY, "attachments", "[{file: attachments/fujian.doc, title: 附表}]")
    ledger.set_field(POLICY, "change_note", "删去原文")
    ledger.commit("删去原文", "2024-06-01T09:00:00+08:00")  # version 4: the file gone
    out = tmp_path / "output"
    for _ in range(2):  # the second build keeps what the first wrote
        assert run_build(ledger.content, out, "--now", NOW)[0] == 0

        def links(path: str) -> dict[str, str]:
            section = read(out, path).find("section", class_="attachments")
            return {a.text(): a.attrs["href"] for a in section.find_all("a")} if section else {}

        assert links(PAGE + "history/1/index.html") == {}
        assert links(PAGE + "history/2/index.html") == {
            "原文": f"/{PAGE}history/2/attachments/yuanwen.doc", "附表": "/attachments/fujian.doc"}
        assert links(PAGE + "history/3/index.html") == {
            "原文": f"/{PAGE}history/3/attachments/yuanwen.doc", "附表": "/attachments/fujian.doc"}
        assert links(PAGE + "index.html") == {"附表": "/attachments/fujian.doc"}
        assert (out / PAGE / "history/2/attachments/yuanwen.doc").read_bytes() == b"first text"
        assert (out / PAGE / "history/3/attachments/yuanwen.doc").read_bytes() == b"second text, longer"
        assert not (out / "attachments/yuanwen.doc").exists() and not (out / PAGE / "history/2/attachments/fujian.doc").exists()
        sizes = read(out, PAGE + "history/2/index.html").find("section", class_="attachments").text()
        assert "（DOC，10 B）" in sizes  # the size of the file as it was
        manifest = (out / "manifest.json").read_text("utf-8")
        assert f'"/{PAGE}history/3/attachments/yuanwen.doc"' in manifest


def attachment_links(out, path: str) -> dict[str, str]:
    section = read(out, path).find("section", class_="attachments")
    return {a.text(): a.attrs["href"] for a in section.find_all("a")} if section else {}


def test_a_scheduled_update_that_replaces_an_attachment_keeps_the_public_file_until_its_date(ledger, tmp_path):
    """定时更新 with a new file under the same name: until the date the page links the file the public had, from
    its version's commit, and the new file is nowhere on the site; from the date the page links the new one."""
    ledger.path("attachments").mkdir()
    ledger.path("attachments/yuanwen.doc").write_bytes(b"public text")
    ledger.set_field(POLICY, "attachments", "[{file: attachments/yuanwen.doc, title: 原文}]")
    ledger.set_field(POLICY, "change_note", "增加原文")
    ledger.commit("增加附件", "2024-04-01T09:00:00+08:00")  # version 2
    ledger.path("attachments/yuanwen.doc").write_bytes(b"scheduled text")
    ledger.set_field(POLICY, "date", "2024-05-20 09:00")
    ledger.set_field(POLICY, "change_note", "更换原文")
    ledger.commit("定时更换原文", "2024-05-01T09:00:00+08:00")  # version 3, public from 20 May
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", "2024-05-10T12:00:00")[0] == 0
    assert attachment_links(out, PAGE + "index.html") == {"原文": f"/{PAGE}history/2/attachments/yuanwen.doc"}
    assert (out / PAGE / "history/2/attachments/yuanwen.doc").read_bytes() == b"public text"
    files = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in files if p.read_bytes() == b"scheduled text"]
    assert run_build(ledger.content, out, "--now", "2024-05-20T09:00:00")[0] == 0
    assert attachment_links(out, PAGE + "index.html") == {"原文": "/attachments/yuanwen.doc"}
    assert (out / "attachments/yuanwen.doc").read_bytes() == b"scheduled text"
    assert attachment_links(out, PAGE + "history/2/index.html") == {"原文": f"/{PAGE}history/2/attachments/yuanwen.doc"}
    assert (out / PAGE / "history/2/attachments/yuanwen.doc").read_bytes() == b"public text"


def test_a_scheduled_update_keeps_the_public_versions_attachment_text_searchable(ledger, tmp_path):
    """定时更新: until its date the search finds the version the public sees by the text of its PDF attachments,
    a file the site still has as it was and one the update replaces (linked from the version's commit)."""
    from reportlab.pdfgen import canvas

    def pdf(name: str, text: str) -> None:
        c = canvas.Canvas(str(ledger.path(f"attachments/{name}")), invariant=1)
        c.drawString(72, 720, text)
        c.save()

    ledger.path("attachments").mkdir()
    pdf("yuanwen.pdf", "keptpdftext")
    pdf("fubiao.pdf", "oldpdftext")
    ledger.set_field(POLICY, "attachments", "[{file: attachments/yuanwen.pdf, title: 原文}, "
                                            "{file: attachments/fubiao.pdf, title: 附表}]")
    ledger.set_field(POLICY, "change_note", "增加原文")
    ledger.commit("增加附件", "2024-04-01T09:00:00+08:00")  # version 2
    pdf("fubiao.pdf", "newpdftext")
    ledger.set_field(POLICY, "date", "2024-05-20 09:00")
    ledger.set_field(POLICY, "change_note", "更换附表")
    ledger.commit("定时更换附表", "2024-05-01T09:00:00+08:00")  # version 3, public from 20 May
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", "2024-05-10T12:00:00")[0] == 0
    shards = b"".join(p.read_bytes() for p in (out / "search/data").glob("*.bin"))  # terms as UTF-8
    assert b"keptpdftext" in shards and b"oldpdftext" in shards and b"newpdftext" not in shards


def test_history_and_diff_pages_in_chromium(site, page):
    from playwright.sync_api import expect

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page.goto(f"{base}/{PAGE}")
        page.get_by_role("link", name="查看第1版").click()
        expect(page.get_by_role("heading", name="历史版本")).to_be_visible()
        expect(page.locator(".notice-history")).to_contain_text("本页仅供查阅，不是现行版本。")
        page.get_by_role("link", name="查看下一版的改动").click()
        expect(page).to_have_url(f"{base}/{PAGE}history/2/diff/")
        ins = page.locator(".history-text ins").first
        expect(ins).to_have_text("半")
        expect(ins).to_be_visible()
        assert page.locator(".history-text del").first.evaluate(
            "e => getComputedStyle(e).textDecorationLine") == "line-through"
        page.get_by_role("link", name="全站更新记录").click()
        expect(page.get_by_role("heading", name="更新记录", level=1)).to_be_visible()
        page.get_by_role("link", name="2024年5月（1）").click()
        expect(page.get_by_role("heading", name="更新记录：2024年5月", level=1)).to_be_visible()
    finally:
        server.shutdown()


def test_a_build_in_a_shallow_clone_stops_and_says_how_to_fetch_the_history(ledger, tmp_path, capsys):
    import git

    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    ledger.commit("修订", "2024-04-01T09:00:00+08:00")
    clone = tmp_path / "clone"
    git.Repo.clone_from(f"file://{ledger.root}", clone, depth=1)
    out = tmp_path / "output"
    code, printed = run_build(clone / "content", out, "--now", NOW, capsys=capsys)
    assert code == 1 and not out.exists()
    assert "是浅克隆（shallow clone），只含部分提交，无法得出完整的发布历史。请先获取完整历史：git fetch --unshallow" in printed
