"""End-to-end builds into temporary directories: output, drafts, and a failed build keeping the last site."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import resign
from tests.test_content_errors import policy_text


def test_build_writes_every_page(site_dir, build, tmp_path):
    code, out = build(site_dir)
    assert code == 0, out
    output = tmp_path / "output"
    policy = output / "doc" / "11379900mb0000000x-2024-00012" / "index.html"
    html = policy.read_text("utf-8")
    assert "<h1>测试市人民政府关于进一步优化营商环境的若干措施</h1>" in html
    assert "测政发〔2024〕12号" in html
    assert "2024年3月5日" in html
    assert '<meta name="PubDate" content="2024-03-05 09:30">' in html
    assert 'href="/doc/11379900mb00000010-2024-00031/"' in html  # its interpretation
    assert (output / "doc" / "spring-meeting" / "index.html").exists()
    assert (output / "column" / "zcwj" / "szfwj" / "index.html").exists()
    assert (output / "index.html").exists() and (output / "404.html").exists()
    assert all(p.as_posix().isascii() for p in output.rglob("*"))


def test_draft_never_reaches_output(site_dir, build, tmp_path):
    draft = site_dir / "release" / "draft-notice.md"
    draft.write_text("---\ntitle: 内部草稿通知\ntype: release\nissuer: 测试市人民政府办公室\n"
                     "column: 政务动态/通知公告\nstatus: draft\n---\n尚未审核的草稿。\n", "utf-8")
    code, out = build(site_dir)
    assert code == 0, out
    output = tmp_path / "output"
    assert not (output / "doc" / "draft-notice").exists()
    assert not any("内部草稿通知" in p.read_text("utf-8") for p in output.rglob("*.html"))


def test_failed_build_keeps_last_good_site_and_lists_every_error(site_dir, build, tmp_path):
    assert build(site_dir)[0] == 0
    output = tmp_path / "output"
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    (site_dir / "policy" / "bad1.md").write_text(policy_text(doc_no="doc_no: 国办发[2017]47号",
                                                             index_no="index_no: 11379900MB0000000X/2024-00077"),
                                                 "utf-8")
    (site_dir / "policy" / "bad2.md").write_bytes("---\ntitle: 中文\n---\n正文\n".encode("gbk"))
    code, out = build(site_dir)
    assert code == 1
    assert "policy/bad1.md:5: doc_no: 发文字号“国办发[2017]47号”不规范（应写作“国办发〔2017〕47号”" in out
    assert "policy/bad2.md:2: 编码: 文件不是 UTF-8 编码" in out
    assert "policy/bad1.md:19: review.final" in out  # the copy was changed after approval
    assert "共 3 个错误" in out
    after = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".output.building-*"))


def test_large_document_builds(site_dir, build, tmp_path):
    paragraph = "为进一步优化营商环境，激发市场主体活力，推动经济高质量发展，结合本市实际，现提出如下措施。" * 20
    sections = [f"## 第{i}部分\n\n" + "\n\n".join([paragraph] * 8) for i in range(1, 400)]
    body = "\n\n".join(sections)
    assert len(body.encode("utf-8")) > 5_000_000
    path = site_dir / "release" / "spring-meeting.md"
    text = path.read_text("utf-8")
    path.write_text(text[:text.index("---\n", 4) + 4] + body + "\n", "utf-8")
    resign(path)
    code, out = build(site_dir)
    assert code == 0, out
    html = (tmp_path / "output" / "doc" / "spring-meeting" / "index.html").read_text("utf-8")
    assert html.count("<h2") >= 399


def test_sanitised_body(site_dir, build, tmp_path):
    from govportal.render import to_html

    assert to_html("<script>alert(1)</script><iframe src='https://x'></iframe>正文").strip() == "<p>正文</p>"
    path = site_dir / "release" / "spring-meeting.md"
    original = path.read_text("utf-8")
    path.write_text(original + '\n<a href="javascript:x" onclick="y">链接</a> <img src="https://x/y.png">\n', "utf-8")
    resign(path)
    from govportal.repository import load_repository

    assert [i.message for i in load_repository(site_dir, gate=False).issues] == [  # said (make check), not silent
        "正文中 <a> 的 href 不是网址，链接不会发布", "正文中 <a> 的属性 onclick 不会发布",
        "正文中 <img> 的图片来自其他网站，不会显示（网站不加载外部资源）"]
    assert build(site_dir)[0] == 0
    html = (tmp_path / "output" / "doc" / "spring-meeting" / "index.html").read_text("utf-8")
    assert "onclick" not in html and "javascript:" not in html and "https://x/y.png" not in html
    path.write_text(original + "\n<script>alert(1)</script>\n", "utf-8")
    resign(path)
    code, out = build(site_dir)  # a script would leave a hole in the page: not published at all
    assert code == 1 and "正文中的 HTML 标签 <script> 不会发布，页面上这一部分将缺失" in out


def test_demo_content_builds(demo_site: Path):
    pages = list(demo_site.glob("doc/*/index.html"))
    assert len(pages) >= 40


def test_only_the_attachments_the_public_pages_link_are_published(site_dir, build, tmp_path):
    """Pelican copies every file of content/attachments: the site keeps only those a public page links, so that
    a draft's files, a withdrawn document's (原文已不再提供) or a 定时发布 document's before its date are not
    there for anyone who guesses the URL."""
    for name in ("public", "draft", "withdrawn", "scheduled", "unlinked"):
        (site_dir / "attachments").mkdir(exist_ok=True)
        (site_dir / f"attachments/{name}.doc").write_bytes(name.encode())

    def attach(rel: str, name: str, *lines: tuple[str, str]) -> None:
        path = site_dir / rel
        text = path.read_text("utf-8")
        for old, new in lines:
            assert old in text
            text = text.replace(old, new, 1)
        head, body = text[4:].split("\n---\n", 1)
        path.write_text(f"---\n{head}\nattachments: [{{file: attachments/{name}.doc, title: 原文}}]\n---\n{body}", "utf-8")
        resign(path)

    attach("policy/cezhengfa-2024-12.md", "public")
    attach("release/spring-meeting.md", "withdrawn",
           ("status: published", "status: withdrawn\nwithdrawal: {on: 2024-06-01, by: 赵刚, reason: 会议安排有变}"))
    attach("interpretation/jiedu-2024-12.md", "scheduled", ("date: 2024-03-06 10:00", "date: 2030-01-01 09:00"))
    (site_dir / "release/draft-notice.md").write_text(
        "---\ntitle: 内部草稿通知\ntype: release\nissuer: 测试市人民政府办公室\ncolumn: 政务动态/通知公告\nstatus: draft\n"
        "attachments: [{file: attachments/draft.doc, title: 草稿}]\n---\n尚未审核的草稿。\n", "utf-8")
    code, out = build(site_dir, "--now", "2026-01-01T09:00:00")
    assert code == 0, out
    output = tmp_path / "output"
    assert sorted(p.name for p in (output / "attachments").iterdir()) == ["public.doc"]
    code, out = build(site_dir, "--now", "2030-01-01T09:00:00")  # the scheduled one's date
    assert code == 0, out
    assert sorted(p.name for p in (output / "attachments").iterdir()) == ["public.doc", "scheduled.doc"]
