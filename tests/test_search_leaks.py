"""The search index publishes only what is public in this build: no text of a withdrawn or removed document
left in a cached base, no draft or 定时发布 document from a preview build's base.

Each test puts a unique marker into text that must not be public and greps every output file for it (the
search shards store their terms as UTF-8, lower-cased: the markers are searched case-insensitively).
"""
from __future__ import annotations

from pathlib import Path

from govportal.search import segments
from tests.conftest import files_containing, resign
from tests.test_history_helpers import ledger  # noqa: F401 (ledger: a fixture)

NOW = "2025-06-01T09:00:00"


def write_policy(content: Path, rel: str, *, seq: int, title: str, body: str, date: str, signed: str,
                 status: str = "published", sign: bool = True) -> Path:
    """A 测试市人民政府 policy with every sign-off on ``signed`` and (``sign``) the right digest."""
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""---
title: {title}
type: policy
index_no: 11379900MB0000000X/2025-{seq:05d}
doc_no: 测政发〔2025〕{seq}号
issuer: 测试市人民政府
written: {signed}
date: {date}
topic: 综合政务/营商环境
column: 政策文件/市政府文件
keywords: [营商环境]
summary: 概述
validity: 有效
status: {status}
change_note: 首次发布
review:
  first: {{by: 王敏, on: {signed}}}
  second: {{by: 李强, on: {signed}}}
  final: {{by: 赵刚, on: {signed}, digest: "sha256:0"}}
proofread:
  first: {{by: 陈静, on: {signed}}}
  second: {{by: 周洁, on: {signed}}}
  third: {{by: 王敏, on: {signed}}}
secrecy: {{by: 李强, on: {signed}, result: 不涉密}}
---
{body}
""", "utf-8")
    if sign:
        resign(path)
    return path


def test_a_withdrawn_documents_text_is_not_left_in_the_search_shards(site_dir, build, tmp_path, monkeypatch):
    monkeypatch.setattr(segments, "MIN_CACHED_DOCS", 1)  # as on a site of 1,000 documents or more
    monkeypatch.setenv("PORTAL_SEARCH_CACHE", str(tmp_path / "search-cache"))
    path = write_policy(site_dir, "policy/qa-w.md", seq=903, title="关于测试的通知", body="正文QAWDBODY内容。",
                        date="2025-01-10 10:00", signed="2025-01-10")
    code, out = build(site_dir, "--now", NOW)
    assert code == 0, out
    assert "search/data/t0.bin" in files_containing(tmp_path / "output", "QAWDBODY")
    text = path.read_text("utf-8").replace("status: published",
                                           "status: withdrawn\nwithdrawal: {on: 2025-02-01, by: 赵刚, reason: 有误}")
    path.write_text(text, "utf-8")
    code, out = build(site_dir, "--now", NOW)
    assert code == 0, out
    assert files_containing(tmp_path / "output", "QAWDBODY") == []  # the cached base was not taken


def test_a_drafts_preview_does_not_put_drafts_in_the_public_search_shards(site_dir, build, tmp_path, monkeypatch):
    monkeypatch.setattr(segments, "MIN_CACHED_DOCS", 1)
    monkeypatch.setenv("PORTAL_SEARCH_CACHE", str(tmp_path / "search-cache"))  # one cache, as .cache/ is
    write_policy(site_dir, "policy/qa-d.md", seq=901, title="关于QADRAFTTITLE的通知", body="草稿正文QADRAFTBODY。",
                 date="2025-01-10 10:00", signed="2025-01-10", status="draft", sign=False)
    write_policy(site_dir, "policy/qa-s.md", seq=902, title="关于QASCHEDTITLE的通知", body="定时正文QASCHEDBODY。",
                 date="2025-12-01 09:00", signed="2025-01-10")
    code, out = build(site_dir, "--drafts", "--now", "2026-01-01T09:00:00", output=tmp_path / "preview")
    assert code == 0, out
    code, out = build(site_dir, "--now", NOW)
    assert code == 0, out
    for marker in ("QADRAFTTITLE", "QADRAFTBODY", "QASCHEDTITLE", "QASCHEDBODY"):
        assert files_containing(tmp_path / "output", marker) == [], marker


def scheduled_update_with_cached_bases(ledger, tmp_path: Path, monkeypatch) -> None:
    """Commit a 定时更新 of the policy (new text QAFUTUREBODY, public from 2024-05-20 09:00), bases cached from one site up."""
    monkeypatch.setattr(segments, "MIN_CACHED_DOCS", 1)
    monkeypatch.setenv("PORTAL_SEARCH_CACHE", str(tmp_path / "search-cache"))
    ledger.schedule_update("定时公开的新文字QAFUTUREBODY")


def test_a_preview_of_a_scheduled_update_does_not_put_its_text_in_the_public_search_shards(ledger, build, tmp_path,
                                                                                         monkeypatch):
    """定时更新: a preview as of its date (--now later than the real time) shows the new version; the public build,
    which shows the version the public sees until then, must not take the preview's base (the new text in it as
    an edit's earlier postings)."""
    scheduled_update_with_cached_bases(ledger, tmp_path, monkeypatch)
    code, out = build(ledger.content, "--now", "2099-01-01T09:00:00", output=tmp_path / "preview")
    assert code == 0, out
    assert "search/data/t0.bin" in files_containing(tmp_path / "preview", "QAFUTUREBODY")
    code, out = build(ledger.content, "--now", "2024-05-10T12:00:00")  # in the past: the public site as it was
    assert code == 0, out
    assert files_containing(tmp_path / "output", "QAFUTUREBODY") == []


def test_a_build_as_of_an_earlier_time_does_not_take_a_base_built_as_of_a_later_one(ledger, build, tmp_path,
                                                                                   monkeypatch):
    """A build as of a time before a 定时更新's date shows the version public then; a base cached by a build as of
    a later time holds the new text (as the edit's earlier postings) and must not be taken."""
    scheduled_update_with_cached_bases(ledger, tmp_path, monkeypatch)
    code, out = build(ledger.content, "--now", "2024-05-25T09:00:00", output=tmp_path / "later")
    assert code == 0, out
    assert "search/data/t0.bin" in files_containing(tmp_path / "later", "QAFUTUREBODY")
    code, out = build(ledger.content, "--now", "2024-05-10T12:00:00", output=tmp_path / "earlier")
    assert code == 0, out
    assert files_containing(tmp_path / "earlier", "QAFUTUREBODY") == []
    bases = tmp_path / "search-cache"
    assert len(list(bases.glob("*.docs"))) == 2  # the earlier build made its own
    code, out = build(ledger.content, "--now", "2024-05-26T09:00:00", output=tmp_path / "again")
    assert code == 0, out
    assert len(list(bases.glob("*.docs"))) == 2  # a build as of a later time takes either
