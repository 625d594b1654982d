"""The publication ledger read from real Git repositories: versions, events, renames, merges, irregularities."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil

import git
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govportal.history import ShallowCloneError, load_history
from tests.conftest import FIXTURE_SITE
from tests.test_history_helpers import POLICY, POLICY_KEY, RELEASE, ledger  # noqa: F401 (ledger: a fixture)

NEW_POLICY = "policy/cezhengfa-2025-3.md"
NEW_KEY = "11379900MB0000000X/2025-00003"


def kinds(history, key):
    return [(e.kind, e.number) for e in history.of(key).events]


def test_a_document_edited_twice_has_three_versions(ledger):
    ledger.replace(POLICY, "办理时间压缩至1个工作日以内", "办理时间压缩至半个工作日以内")
    ledger.set_field(POLICY, "change_note", "压缩企业开办时间")
    first_change = ledger.commit("修订营商环境措施", "2024-05-10T09:00:00+08:00", author="王志刚")
    ledger.set_field(POLICY, "keywords", "[营商环境, 市场主体, 一网通办]")
    ledger.set_field(POLICY, "change_note", "补充主题词")
    ledger.commit("补充主题词", "2024-06-01T09:00:00+08:00")
    events = load_history(ledger.content).of(POLICY_KEY).events
    assert [(e.kind, e.label, e.number) for e in events] == [
        ("published", "首次发布", 1), ("changed", "重大更新", 2), ("changed", "一般更新", 3)]
    change = events[1]
    assert change.version.commit.sha == first_change and change.version.commit.author == "王志刚"
    assert change.when == dt.datetime(2024, 5, 10, 9, 0)
    assert change.note == "压缩企业开办时间" and change.version.final_by == "赵刚"
    assert change.version.changed == ("change_note", "body") and change.changed_labels == ["更新说明", "正文"]
    assert events[2].version.changed == ("keywords", "change_note") and events[2].major is False
    assert events[2].previous is change.version


def attach_two_files(ledger, attachments: str) -> None:
    """Commit attachments/a.doc and b.doc, named in the policy's ``attachments`` as written."""
    ledger.path("attachments").mkdir()
    for name in ("a.doc", "b.doc"):
        ledger.path(f"attachments/{name}").write_bytes(name.encode())
    ledger.set_field(POLICY, "attachments", attachments)
    ledger.commit("附上原文", "2024-04-01T09:00:00+08:00")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_recording_the_attachments_sha256_is_a_minor_update_and_a_new_file_a_major_one(ledger):
    attach_two_files(ledger, "[{file: attachments/a.doc, title: 原文}, attachments/b.doc]")
    ledger.set_field(POLICY, "attachments", f"[{{file: attachments/a.doc, title: 原文, sha256: {sha(b'a.doc')}}}, "
                                            f"{{file: attachments/b.doc, sha256: {sha(b'b.doc')}}}]")
    ledger.commit("补记附件校验值", "2024-04-02T09:00:00+08:00")
    ledger.path("attachments/a.doc").write_bytes(b"another a.doc")
    ledger.set_field(POLICY, "attachments", f"[{{file: attachments/a.doc, title: 原文, sha256: {sha(b'another a.doc')}}}, "
                                            f"{{file: attachments/b.doc, sha256: {sha(b'b.doc')}}}]")
    ledger.commit("更换原文", "2024-04-03T09:00:00+08:00")
    events = load_history(ledger.content).of(POLICY_KEY).events
    assert [(e.label, e.changed_labels) for e in events[1:]] == [
        ("重大更新", ["附件"]), ("一般更新", ["附件校验值"]), ("重大更新", ["附件"])]


def test_recording_the_sha256_of_a_file_replaced_since_the_version_before_is_a_new_file(ledger):
    attach_two_files(ledger, "[attachments/a.doc, attachments/b.doc]")
    ledger.path("attachments/a.doc").write_bytes(b"a, replaced")  # replaced alone first (audit verify reports it)
    ledger.commit("更换附件", "2024-04-02T09:00:00+08:00")
    hashes = "[{{file: attachments/a.doc, sha256: {}}}, {{file: attachments/b.doc, sha256: {}}}]"
    ledger.set_field(POLICY, "attachments", hashes.format(sha(b"a, replaced"), sha(b"b.doc")))
    ledger.commit("补记附件校验值", "2024-04-03T09:00:00+08:00")
    events = load_history(ledger.content).of(POLICY_KEY).events
    assert [(e.label, e.changed_labels) for e in events[1:]] == [("重大更新", ["附件"]), ("重大更新", ["附件"])]

    ledger.set_field(POLICY, "attachments", "[attachments/a.doc, attachments/b.doc]")
    ledger.commit("撤销校验值", "2024-04-04T09:00:00+08:00")
    ledger.path("attachments/b.doc").write_bytes(b"b, replaced")  # replaced with the hashes recorded, uncommitted
    ledger.set_field(POLICY, "attachments", hashes.format(sha(b"a, replaced"), sha(b"b, replaced")))
    assert load_history(ledger.content).of(POLICY_KEY).versions[-1].changed == ("attachments",)
    ledger.commit("更换附件并补记校验值", "2024-04-05T09:00:00+08:00")  # …and in the same commit
    events = load_history(ledger.content).of(POLICY_KEY).events
    assert [(e.label, e.changed_labels) for e in events[-2:]] == [("重大更新", ["附件"]), ("重大更新", ["附件"])]


def test_a_version_without_a_valid_final_review_is_irregular_and_never_a_public_version(ledger):
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力", sign=False)  # text changed, not re-approved
    pushed = ledger.commit("直接推送", "2024-04-01T09:00:00+08:00")
    ledger.set_field(POLICY, "change_note", "文字修改")  # then approved, with only the 更新说明 changed since
    approved = ledger.commit("补签终审", "2024-04-02T09:00:00+08:00")
    events = load_history(ledger.content).of(POLICY_KEY).events
    assert [(e.kind, e.label, e.number, e.irregular, e.on_site) for e in events] == [
        ("published", "首次发布", 1, False, True), ("unapproved", "未经终审的版本", 0, True, False),
        ("changed", "重大更新", 2, False, True)]
    assert events[1].version.commit.sha == pushed and not events[1].version.approved
    assert events[1].note.startswith("这一版没有有效的终审")
    assert events[2].version.commit.sha == approved and events[2].version.approved
    assert events[2].changed_labels == ["更新说明", "正文"]  # what changed since version 1, the body included


def test_a_version_the_gate_refuses_for_its_sign_offs_is_irregular_though_its_digest_matches(ledger):
    """The gate refuses more than a wrong digest: sign-offs missing or backdated. Such a version was never
    public either (the build that met it failed), whatever its final review recorded."""
    third = "  third: {by: 王敏, on: 2024-03-04}\n"
    ledger.replace(POLICY, third, "", sign=False)  # outside the digest: it still matches
    ledger.commit("删去三校", "2024-04-01T09:00:00+08:00")
    ledger.set_field(POLICY, "status", "withdrawn", sign=False)  # the refusal stays with what did not change
    ledger.commit("撤回", "2024-04-01T10:00:00+08:00")
    ledger.set_field(POLICY, "status", "published", sign=False)
    ledger.replace(POLICY, "proofread:\n", "proofread:\n" + third, sign=False)
    ledger.commit("补签三校", "2024-04-02T09:00:00+08:00")
    ledger.set_field(POLICY, "date", "2024-03-03 09:30")  # re-signed: the digest matches, the date is before it
    ledger.commit("倒签发布日期", "2024-04-03T09:00:00+08:00")
    ledger.set_field(POLICY, "date", "2024-04-04 09:30")
    ledger.set_field(POLICY, "change_note", "更正发布日期")
    ledger.commit("更正", "2024-04-04T09:00:00+08:00")
    events = load_history(ledger.content).of(POLICY_KEY).events
    assert [(e.kind, e.label, e.number, e.on_site) for e in events] == [  # 补签三校: version 1 again, no event
        ("published", "首次发布", 1, True), ("unapproved", "未通过发布关口的版本", 0, False),
        ("unapproved", "未通过发布关口的版本", 0, False), ("unapproved", "未通过发布关口的版本", 0, False),
        ("changed", "一般更新", 2, True)]
    missing, withdrawn, backdated = (e.version for e in events[1:4])
    assert not missing.approved and "缺少三校（proofread.third）" in missing.refused
    assert withdrawn.status == "withdrawn" and withdrawn.refused == missing.refused
    assert "晚于发布日期 2024-03-03" in backdated.refused and backdated.final_by == "赵刚"  # 先审后发
    assert events[1].note.startswith("终审摘要与文本相符，但发布关口拒绝发布这一版（缺少三校") and "audit verify" in events[1].note
    assert events[1].public_note == "该版本未经审核，未予公开"
    assert events[4].changed_labels == ["发布日期", "更新说明"]  # counted from version 1: the date and the note


@pytest.mark.parametrize("cached", [False, True])
def test_after_unapproved_versions_the_next_public_version_counts_its_changes_from_the_last_public_one(
        ledger, tmp_path, cached):
    cache = tmp_path / "cache" if cached else None
    title = load_history(ledger.content).of(POLICY_KEY).versions[-1].title
    ledger.set_field(POLICY, "title", "误推送的标题", sign=False)
    ledger.commit("直接推送", "2024-04-01T09:00:00+08:00")
    ledger.replace(POLICY, "激发市场主体活力", "误推送的文字", sign=False)
    ledger.commit("又一次直接推送", "2024-04-01T10:00:00+08:00")
    load_history(ledger.content, cache)  # (the build that refused them: the next one reads from its cache)
    ledger.set_field(POLICY, "title", title, sign=False)  # the title put back, the text not
    ledger.set_field(POLICY, "change_note", "修改正文")
    ledger.commit("重新终审", "2024-04-02T09:00:00+08:00")
    history = load_history(ledger.content, cache)
    assert history.stats["cached"] is False and (history.stats["read"] == 1 or not cached)  # only the new commit
    events = history.of(POLICY_KEY).events
    assert [(e.kind, e.number) for e in events] == [("published", 1), ("unapproved", 0), ("unapproved", 0),
                                                    ("changed", 2)]
    assert events[1].changed_labels == ["标题"] and events[2].changed_labels == ["正文"]  # each against the one before
    assert events[3].changed_labels == ["更新说明", "正文"] and events[3].label == "重大更新"  # not the title


def test_a_signed_draft_published_later_is_approved_and_a_deletion_shows_the_last_public_title(ledger):
    ledger.set_field(POLICY, "status", "draft", sign=False)
    ledger.commit("改回草稿", "2024-04-01T09:00:00+08:00")
    ledger.set_field(POLICY, "status", "published", sign=False)  # signed long ago: only the status changes
    ledger.commit("重新发布", "2024-04-02T09:00:00+08:00")
    ledger.set_field(POLICY, "title", "未经审核的标题", sign=False)
    ledger.commit("直接推送", "2024-04-03T09:00:00+08:00")
    ledger.path(POLICY).unlink()
    ledger.commit("删除", "2024-04-04T09:00:00+08:00")
    events = load_history(ledger.content).of(POLICY_KEY).events
    assert [(e.kind, e.number) for e in events] == [
        ("published", 1), ("unpublished", 0), ("republished", 2), ("unapproved", 0), ("deleted", 0)]
    assert events[4].version.title == events[2].version.title == "测试市人民政府关于进一步优化营商环境的若干措施"


def test_a_direct_push_reverted_makes_no_new_version(ledger):
    ledger.replace(POLICY, "激发市场主体活力", "误推送的文字", sign=False)
    ledger.commit("直接推送", "2024-04-01T09:00:00+08:00")
    ledger.git("revert", "--no-edit", "HEAD", when="2024-04-01T10:00:00+08:00")
    assert kinds(load_history(ledger.content), POLICY_KEY) == [("published", 1), ("unapproved", 0)]


def test_a_change_of_sign_offs_only_is_no_publication_event(ledger):
    ledger.set_field(POLICY, "proofread", "\n  first: {by: 陈静, on: 2024-03-02}\n  second: {by: 陈静, on: 2024-03-03}\n"
                                          "  third: {by: 王敏, on: 2024-03-04}", sign=False)
    ledger.commit("更正校对人", "2024-04-01T09:00:00+08:00")
    assert kinds(load_history(ledger.content), POLICY_KEY) == [("published", 1)]


def schedule_update(ledger, text: str, date: str, committed: str) -> None:
    ledger.replace(POLICY, "激发市场主体活力", text)
    ledger.set_field(POLICY, "date", date)
    ledger.set_field(POLICY, "change_note", "定时更新")
    ledger.commit("定时更新", committed)


def test_a_scheduled_version_replaced_before_its_date_was_never_public(ledger):
    """定时发布: a version dated after its commit goes public on its date only if it is still the file's version
    then; replaced before (here by a version dated earlier), it never was: not numbered, not on the site."""
    schedule_update(ledger, "定于六月公开的文字", "2024-06-01 09:00", "2024-04-01T09:00:00+08:00")
    ledger.replace(POLICY, "定于六月公开的文字", "五月即公开的文字")
    ledger.set_field(POLICY, "date", "2024-05-01 09:00")
    ledger.set_field(POLICY, "change_note", "改为五月公开")
    ledger.commit("改期", "2024-04-20T09:00:00+08:00")
    events = load_history(ledger.content).of(POLICY_KEY).events
    assert [(e.kind, e.number) for e in events] == [("published", 1), ("cancelled", 0), ("changed", 2)]
    assert events[1].label == "未到发布日期即被替换的版本" and not events[1].on_site and not events[1].irregular
    assert "2024-06-01 09:00" in events[1].note
    assert events[2].previous is events[0].version and events[2].effective == dt.datetime(2024, 5, 1, 9, 0)
    assert "body" in events[2].version.changed and "date" in events[2].version.changed


def test_a_change_of_sign_offs_only_keeps_the_scheduled_version(ledger):
    schedule_update(ledger, "定于六月公开的文字", "2024-06-01 09:00", "2024-04-01T09:00:00+08:00")
    text = ledger.path(POLICY).read_text("utf-8")
    ledger.path(POLICY).write_text(text.replace("second: {by: 周洁", "second: {by: 陈静", 1), "utf-8")
    ledger.commit("更正校对人", "2024-04-15T09:00:00+08:00")
    events = load_history(ledger.content).of(POLICY_KEY).events
    assert [(e.kind, e.number) for e in events] == [("published", 1), ("changed", 2)]
    assert events[1].effective == dt.datetime(2024, 6, 1, 9, 0)


@pytest.mark.parametrize("how", ["draft", "deleted"])
def test_a_scheduled_first_publication_taken_back_before_its_date_is_no_irregularity(ledger, how):
    """The release was committed on 2024-03-09 for 2024-03-10 16:00: set back to draft or deleted that morning,
    it was never public, so neither is an irregularity (and its title is nowhere on the site)."""
    if how == "draft":
        ledger.set_field(RELEASE, "status", "draft", sign=False)
    else:
        ledger.path(RELEASE).unlink()
    ledger.commit("撤下", "2024-03-10T09:00:00+08:00")
    assert kinds(load_history(ledger.content), "spring-meeting") == [("cancelled", 0)]


def test_a_rename_keeps_one_history(ledger):
    ledger.path("policy/2024").mkdir()
    ledger.git("mv", "content/" + POLICY, "content/policy/2024/cezhengfa-2024-12.md")
    ledger.commit("按年份整理", "2024-04-01T09:00:00+08:00")
    ledger.replace("policy/2024/cezhengfa-2024-12.md", "激发市场主体活力", "持续激发市场主体活力")
    ledger.commit("修订", "2024-04-02T09:00:00+08:00")
    history = load_history(ledger.content)
    doc = history.of(POLICY_KEY)
    assert kinds(history, POLICY_KEY) == [("published", 1), ("changed", 2)]
    assert [v.path for v in doc.versions] == [POLICY, "policy/2024/cezhengfa-2024-12.md",
                                              "policy/2024/cezhengfa-2024-12.md"]
    assert not history.irregular()


def test_renaming_a_document_without_index_number_is_a_change_of_its_url_not_of_an_index_number(ledger):
    ledger.git("mv", "content/release/spring-meeting.md", "content/release/spring-meeting-2024.md")
    ledger.commit("改文件名", "2024-04-01T09:00:00+08:00")
    event = load_history(ledger.content).of("spring-meeting-2024").events[-1]
    assert (event.kind, event.label, event.other_key) == ("rekeyed", "发布后更改网址标识", "spring-meeting")
    assert "索引号" not in event.note and "slug: spring-meeting" in event.note and "原网址标识 spring-meeting" in event.note
    assert event.public_note == "该文件的网址已更改，原网址已失效（原网址标识 spring-meeting）"


def test_a_merge_is_one_change_of_the_published_line(ledger):
    ledger.git("checkout", "-q", "-b", "edit")
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    ledger.commit("草拟修订", "2024-04-01T09:00:00+08:00", author="王志刚")
    ledger.replace(POLICY, "持续激发市场主体活力", "充分激发市场主体活力")
    ledger.commit("再改", "2024-04-02T09:00:00+08:00", author="王志刚")
    ledger.git("checkout", "-q", "main")
    ledger.replace(RELEASE, "研究部署春季重点工作。", "研究部署春季重点工作和安全生产。")
    ledger.commit("更新动态", "2024-04-03T09:00:00+08:00")
    ledger.git("merge", "-q", "--no-ff", "edit", "-m", "合并修订", when="2024-04-05T09:00:00+08:00", author="刘芳")
    merge = ledger.repo.head.commit
    history = load_history(ledger.content)
    events = history.of(POLICY_KEY).events
    assert [(e.kind, e.number) for e in events] == [("published", 1), ("changed", 2)]
    assert events[1].version.commit.sha == merge.hexsha and events[1].version.commit.is_merge
    assert events[1].version.commit.author == "刘芳" and events[1].when == dt.datetime(2024, 4, 5, 9, 0)
    assert [e.kind for e in history.of("spring-meeting").events] == ["published", "changed"]


def test_a_withdrawal_keeps_the_history(ledger):
    ledger.withdraw(RELEASE, "2024-06-01", "会议安排有变")
    ledger.commit("撤回", "2024-06-01T10:00:00+08:00")
    events = load_history(ledger.content).of("spring-meeting").events
    assert [(e.kind, e.label, e.number) for e in events] == [("published", "首次发布", 1), ("withdrawn", "撤回", 2)]
    assert events[1].note == "撤回原因：会议安排有变" and not events[1].irregular


def test_a_repeal_by_a_newer_policy(ledger):
    new = ledger.path(NEW_POLICY)
    text = ledger.path(POLICY).read_text("utf-8")
    text = (text.replace("2024-00012", "2025-00003").replace("测政发〔2024〕12号", "测政发〔2025〕3号")
            .replace("若干措施", "若干措施（2025年版）").replace("validity: 有效", "validity: 有效\nsupersedes: [" + POLICY_KEY + "]"))
    new.write_text(text, "utf-8")
    from tests.conftest import resign
    resign(new)
    ledger.set_field(POLICY, "validity", "废止")
    ledger.set_field(POLICY, "change_note", "已被测政发〔2025〕3号废止")
    commit = ledger.commit("发布新政策，废止旧政策", "2025-01-10T09:00:00+08:00")
    history = load_history(ledger.content)
    old = history.of(POLICY_KEY).events
    assert [(e.kind, e.label) for e in old] == [("published", "首次发布"), ("repealed", "废止")]
    assert old[1].major is True and old[1].version.commit.sha == commit and old[1].note == "已被测政发〔2025〕3号废止"
    assert kinds(history, NEW_KEY) == [("published", 1)]
    assert history.of(NEW_KEY).events[0].version.supersedes == (POLICY_KEY,)


def test_deleting_a_published_file_is_an_irregularity(ledger):
    ledger.path(RELEASE).unlink()
    commit = ledger.commit("删除", "2024-07-01T09:00:00+08:00", author="陈建国")
    history = load_history(ledger.content)
    doc = history.of("spring-meeting")
    assert doc.deleted and [e.kind for e in doc.events] == ["published", "deleted"]
    irregular = history.irregular()
    assert [(e.key, e.label, e.version.commit.sha, e.version.commit.author) for e in irregular] == [
        ("spring-meeting", "删除已发布文件", commit, "陈建国")]
    assert "应改为撤回" in irregular[0].note  # for editors and auditors
    assert irregular[0].public_note == "该文件的网页已被删除"  # on the public site: no instructions for editors


def test_deleting_a_draft_is_nothing(ledger):
    ledger.path("release/draft-note.md").write_text(
        ledger.path(RELEASE).read_text("utf-8").replace("status: published", "status: draft")
        .replace("title: 市政府", "slug: draft-note\ntitle: 草稿市政府"), "utf-8")
    ledger.commit("草稿", "2024-04-01T09:00:00+08:00")
    ledger.path("release/draft-note.md").unlink()
    ledger.commit("删掉草稿", "2024-04-02T09:00:00+08:00")
    history = load_history(ledger.content)
    assert history.of("draft-note").events == [] and not history.irregular()


def test_uncommitted_edits_are_versions_marked_uncommitted(ledger):
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    ledger.path(RELEASE).unlink()
    history = load_history(ledger.content)
    assert history.uncommitted == [POLICY, RELEASE]
    assert any("未提交" in note for note in history.notes)
    change = history.of(POLICY_KEY).events[-1]
    assert (change.kind, change.number, change.version.uncommitted, change.when) == ("changed", 2, True, None)
    assert [(e.kind, e.version.uncommitted) for e in history.of("spring-meeting").events] == [
        ("published", False), ("deleted", True)]
    assert load_history(ledger.content, uncommitted=False).uncommitted == []


def test_a_content_directory_outside_git_has_an_empty_history(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    history = load_history(content)
    assert history.docs == {} and history.head is None
    assert history.notes == [f"内容目录 {content} 不在 Git 仓库中：发布历史为空（把内容纳入 Git 仓库后才有发布历史）"]


def test_a_shallow_clone_is_refused_with_how_to_fetch_the_history(ledger, tmp_path):
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    ledger.commit("修订", "2024-04-01T09:00:00+08:00")
    clone = tmp_path / "clone"
    git.Repo.clone_from(f"file://{ledger.root}", clone, depth=1)
    with pytest.raises(ShallowCloneError) as raised:
        load_history(clone / "content")
    message = raised.value.format_message()
    assert message.startswith(f"{clone} 是浅克隆（shallow clone），只含部分提交，无法得出完整的发布历史。")
    assert "git fetch --unshallow" in message


def test_the_history_is_cached_by_head_and_extended_by_new_commits(ledger, tmp_path):
    cache = tmp_path / "cache"
    first = load_history(ledger.content, cache)
    assert first.stats["cached"] is False and first.stats["walked"] == 1
    again = load_history(ledger.content, cache)
    assert again.stats["cached"] is True and kinds(again, POLICY_KEY) == [("published", 1)]
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    ledger.commit("修订", "2024-04-01T09:00:00+08:00")
    extended = load_history(ledger.content, cache)
    assert {k: extended.stats[k] for k in ("head", "walked", "read", "cached")} == {
        "head": ledger.repo.head.commit.hexsha, "walked": 1, "read": 1, "cached": False}
    assert kinds(extended, POLICY_KEY) == [("published", 1), ("changed", 2)]
    # history rewritten: the cached state is not an ancestor any more, everything is walked again
    ledger.git("reset", "-q", "--hard", "HEAD~1")
    ledger.replace(RELEASE, "研究部署春季重点工作。", "研究部署春季重点工作和安全生产。")
    ledger.commit("另一修订", "2024-04-02T09:00:00+08:00")
    rewritten = load_history(ledger.content, cache)
    assert rewritten.stats["walked"] == 2 and kinds(rewritten, POLICY_KEY) == [("published", 1)]


@pytest.mark.parametrize("cached", [False, True])
def test_a_deleted_file_keeps_its_title_and_no_one_approved_the_deletion(ledger, tmp_path, cached):
    cache = tmp_path / "cache" if cached else None
    load_history(ledger.content, cache)
    ledger.path(POLICY).unlink()
    ledger.commit("删除", "2024-04-01T09:00:00+08:00")  # the only change: nothing to read
    deleted = load_history(ledger.content, cache).of(POLICY_KEY).events[-1]
    assert deleted.kind == "deleted" and deleted.version.title == "测试市人民政府关于进一步优化营商环境的若干措施"
    assert (deleted.version.final_by, deleted.version.approved) == ("", False)


def test_events_filtered_by_time_and_path(ledger):
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    ledger.commit("修订", "2024-04-01T09:00:00+08:00")
    history = load_history(ledger.content)
    assert len(history.events()) == 4
    # the release was committed on 2024-03-09 for publication at 2024-03-10 16:00 (定时发布): it counts from then
    assert [(e.key, e.number) for e in history.events(since=dt.datetime(2024, 3, 10))] == [
        ("spring-meeting", 1), (POLICY_KEY, 2)]
    assert [(e.key, e.number) for e in history.events(since=dt.datetime(2024, 3, 10, 16, 1))] == [(POLICY_KEY, 2)]
    assert [e.kind for e in history.events(path="policy/")] == ["published", "changed"]
    assert history.events(until=dt.datetime(2024, 3, 1)) == []


@given(st.from_regex(r"\A\d{4}-\d{2}-\d{2}(?:[ Tx]\d{2}:\d{2})?\Z") | st.text(max_size=20))
def test_published_at_reads_a_date_as_the_content_model_does(text):
    """The ledger reads YYYY-MM-DD[ HH:MM] quickly: the same datetime as the content model, None where it refuses."""
    from govportal.dates import DateProblem, parse_datetime
    from govportal.history.ledger import Version

    try:
        expected = parse_datetime(text) if text else None
    except DateProblem:
        expected = None
    assert Version(1, None, "a.md", date=text).published_at == expected


# ---- the roster and the word lists of each commit -------------------------------------------------------------

WORDLIST = "_data/wordlists/test.yml"
ROSTER = "_data/reviewers.yml"


def write(ledger, rel: str, text: str) -> None:
    ledger.path(rel).parent.mkdir(parents=True, exist_ok=True)
    ledger.path(rel).write_text(text, "utf-8")


def signed_by_newcomer(ledger) -> None:
    """The policy edited, its 初审 signed by 孙磊, who is not on the roster (the digest is right: the build refused it)."""
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    ledger.replace(POLICY, "review:\n  first: {by: 王敏,", "review:\n  first: {by: 孙磊,")


def summary(history) -> list[tuple]:
    return [(e.kind, e.label, e.number, e.version.approved) for e in history.of(POLICY_KEY).events]


def test_a_version_with_a_blocked_word_was_never_public(ledger):
    write(ledger, WORDLIST, "- {word: 攻府, category: 错别字, level: block, suggestion: 政府}\n")
    ledger.commit("词表", "2024-03-20T09:00:00+08:00")
    ledger.replace(POLICY, "现提出如下措施", "现由攻府提出如下措施")  # signed: the final reviewer missed it
    ledger.commit("修订", "2024-04-01T09:00:00+08:00")
    ledger.replace(POLICY, "现由攻府提出如下措施", "现由政府提出如下措施")
    ledger.commit("改正错别字", "2024-04-02T09:00:00+08:00")
    history = load_history(ledger.content)
    assert summary(history) == [("published", "首次发布", 1, True), ("unapproved", "未通过发布关口的版本", 0, False),
                                ("changed", "重大更新", 2, True)]
    refused = history.of(POLICY_KEY).events[1].version
    assert refused.refused == "正文中有错别字“攻府”（第 28 行）" and refused.refused_by_files
    assert "攻府" in history.of(POLICY_KEY).events[1].note


def test_a_waived_word_and_a_word_listed_later_refuse_nothing(ledger):
    write(ledger, WORDLIST, "- {word: 攻府, category: 错别字, level: block, suggestion: 政府}\n")
    ledger.commit("词表", "2024-03-20T09:00:00+08:00")
    ledger.replace(POLICY, "现提出如下措施", "现由攻府提出如下措施")
    ledger.set_field(POLICY, "waivers", "[{word: 攻府, reason: 引用原文, by: 赵刚}]")
    ledger.commit("保留原文用字", "2024-04-01T09:00:00+08:00")
    ledger.replace(POLICY, "激发市场主体活力", "激发市场主体的活力")
    ledger.commit("文字修改", "2024-04-05T09:00:00+08:00")
    write(ledger, WORDLIST, "- {word: 攻府, category: 错别字, level: block, suggestion: 政府}\n"
                            "- {word: 主体的活力, category: 固定表述, level: block, suggestion: 主体活力}\n")
    ledger.commit("词表增补", "2024-04-06T09:00:00+08:00")  # the version before was public under the lists of its day
    assert summary(load_history(ledger.content)) == [
        ("published", "首次发布", 1, True), ("changed", "重大更新", 2, True), ("changed", "重大更新", 3, True)]


def test_a_signer_not_on_the_roster_then_is_refused(ledger):
    signed_by_newcomer(ledger)
    ledger.commit("初审换人", "2024-04-01T09:00:00+08:00")
    history = load_history(ledger.content)
    assert summary(history) == [("published", "首次发布", 1, True), ("unapproved", "未通过发布关口的版本", 0, False)]
    assert history.of(POLICY_KEY).events[1].version.refused == "初审签署人“孙磊”不在审核人名册（_data/reviewers.yml）中"


@pytest.mark.parametrize("cached", [False, True])
def test_a_roster_mended_later_publishes_the_refused_version_from_then(ledger, tmp_path, cached):
    signed_by_newcomer(ledger)
    ledger.commit("初审换人", "2024-04-01T09:00:00+08:00")
    cache = tmp_path / "cache"
    if cached:  # the ledger cached while the version was refused, extended by the commits since
        assert summary(load_history(ledger.content, cache))[-1][1] == "未通过发布关口的版本"
    roster = ledger.path(ROSTER).read_text("utf-8")
    write(ledger, ROSTER, roster + "- {name: 孙磊, unit: 测试市人民政府办公室, steps: [review.first]}\n")
    ledger.commit("名册增补", "2024-04-02T09:00:00+08:00")
    ledger.set_field(POLICY, "keywords", "[营商环境, 市场主体, 一网通办]")
    ledger.commit("补充主题词", "2024-05-01T09:00:00+08:00")
    history = load_history(ledger.content, cache)
    assert history.stats["cached"] is False and (history.stats["walked"] == 2) == cached
    assert summary(history) == [("published", "首次发布", 1, True), ("changed", "重大更新", 2, True),
                                ("changed", "一般更新", 3, True)]


def test_a_version_refused_until_the_next_one_stays_refused_when_the_roster_is_mended_after_it(ledger):
    signed_by_newcomer(ledger)
    ledger.commit("初审换人", "2024-04-01T09:00:00+08:00")
    ledger.replace(POLICY, "review:\n  first: {by: 孙磊,", "review:\n  first: {by: 王敏,")
    ledger.set_field(POLICY, "keywords", "[营商环境, 市场主体, 一网通办]")
    ledger.commit("补充主题词", "2024-04-03T09:00:00+08:00")
    roster = ledger.path(ROSTER).read_text("utf-8")
    write(ledger, ROSTER, roster + "- {name: 孙磊, unit: 测试市人民政府办公室, steps: [review.first]}\n")
    ledger.commit("名册增补", "2024-04-05T09:00:00+08:00")
    assert [e.label for e in load_history(ledger.content).of(POLICY_KEY).events] == [
        "首次发布", "未通过发布关口的版本", "重大更新"]


def attach(ledger, data: bytes, recorded: bytes, when: str) -> None:
    """Commit attachments/a.doc holding ``data``, the final review recording the SHA-256 of ``recorded``."""
    ledger.path("attachments").mkdir(exist_ok=True)
    ledger.path("attachments/a.doc").write_bytes(data)
    ledger.set_field(POLICY, "attachments", f"[{{file: attachments/a.doc, title: 原文, sha256: {sha(recorded)}}}]")
    ledger.commit("附上原文", when)


def test_a_version_whose_attachment_is_not_the_file_the_final_review_recorded_was_never_public(ledger):
    attach(ledger, b"another file", b"the signed file", "2024-04-01T09:00:00+08:00")
    history = load_history(ledger.content)
    assert summary(history) == [("published", "首次发布", 1, True), ("unapproved", "未通过发布关口的版本", 0, False)]
    assert history.of(POLICY_KEY).events[1].version.refused == (
        f"附件“attachments/a.doc”不是终审时的文件（终审记录的 sha256 为 {sha(b'the signed file')[:12]}…，"
        f"提交中的文件是 {sha(b'another file')[:12]}…）")


@pytest.mark.parametrize("cached", [False, True])
def test_an_attachment_put_back_later_publishes_the_refused_version_from_then(ledger, tmp_path, cached):
    attach(ledger, b"another file", b"the signed file", "2024-04-01T09:00:00+08:00")
    cache = tmp_path / "cache"
    if cached:  # the ledger cached while the version was refused, extended by the commits since
        assert summary(load_history(ledger.content, cache))[-1][1] == "未通过发布关口的版本"
    ledger.path("attachments/a.doc").write_bytes(b"the signed file")
    ledger.commit("换回终审时的附件", "2024-04-02T09:00:00+08:00")
    history = load_history(ledger.content, cache)
    assert (history.stats["walked"] == 1) == cached
    assert summary(history) == [("published", "首次发布", 1, True), ("changed", "重大更新", 2, True)]


def test_a_version_put_back_only_after_the_next_one_stays_refused(ledger):
    attach(ledger, b"another file", b"the signed file", "2024-04-01T09:00:00+08:00")
    ledger.set_field(POLICY, "attachments", "[{file: attachments/a.doc, title: 原文}]")  # the next version: no hash
    ledger.commit("不记校验值", "2024-04-02T09:00:00+08:00")
    ledger.path("attachments/a.doc").write_bytes(b"the signed file")
    ledger.commit("换回附件", "2024-04-03T09:00:00+08:00")
    assert [e.label for e in load_history(ledger.content).of(POLICY_KEY).events] == [
        "首次发布", "未通过发布关口的版本", "重大更新"]


@pytest.mark.parametrize("order", [1, -1])
def test_a_file_renamed_away_and_another_renamed_onto_its_path_in_one_commit_is_there(order):
    """The ledger and audit verify follow attachment files alike (datarules.follow_files), whatever order Git
    lists the two renames in."""
    from govportal.history.datarules import blob_at, follow_files
    from govportal.history.gitsource import Change

    files = {"attachments/a.doc": [(1, "a1")], "attachments/b.doc": [(1, "b1")]}
    renames = [Change("R", "attachments/z.doc", "a1", "attachments/a.doc"),
               Change("R", "attachments/a.doc", "b1", "attachments/b.doc")][::order]
    assert follow_files(files, 2, renames, lambda path: True) == {
        "attachments/a.doc", "attachments/b.doc", "attachments/z.doc"}
    assert [blob_at(files[p], 2) for p in ("attachments/a.doc", "attachments/b.doc", "attachments/z.doc")] == [
        "b1", "", "a1"]
    assert blob_at(files["attachments/a.doc"], 1) == "a1"


@pytest.mark.parametrize("file, refused", [
    ("attachments/missing.doc", "附件“attachments/missing.doc”不存在"),
    ("other/a.doc", "附件路径“other/a.doc”不在 content/attachments/ 下：只有那里的文件会复制到网站上"),
    ("", "第 1 个附件缺少 file")])
def test_a_missing_attachment_or_one_the_site_cannot_publish_refuses_the_version(ledger, file, refused):
    write(ledger, "other/a.doc", "不在附件目录中的文件")
    ledger.set_field(POLICY, "attachments", f"[{{file: {file!r}, title: 原文}}]")
    ledger.commit("附上原文", "2024-04-01T09:00:00+08:00")
    history = load_history(ledger.content)
    assert summary(history)[1:] == [("unapproved", "未通过发布关口的版本", 0, False)]
    assert history.of(POLICY_KEY).events[1].version.refused == refused


PEOPLE = ["王敏", "李强", "赵刚", "陈静"]
DAYS = ["2024-03-01", "2024-03-02", "2024-03-03", "2024-13-01"]


ALL_STEPS = ("review.first", "review.second", "review.final", "proofread.first", "proofread.second",
             "proofread.third", "secrecy")


@given(st.fixed_dictionaries({name: st.tuples(
    st.sampled_from([set(ALL_STEPS)] * 3 + [set(ALL_STEPS) - {"review.final"}, {"secrecy"}]),
    st.sampled_from([None, None, "2024-03-02"])) for name in PEOPLE}),
    st.lists(st.tuples(st.sampled_from(PEOPLE * 3 + ["孙磊"]), st.sampled_from(DAYS)), min_size=7, max_size=7))
def test_the_quick_roster_check_passes_only_what_the_gate_passes(roster, signed):
    from govportal.gate import signers_on_roster
    from govportal.history.datarules import Rules
    from govportal.model import Document
    from govportal.vocab import STEPS, Reviewer, Vocab

    reviewers = {name: Reviewer(name, "", sorted(steps), dt.date.fromisoformat(left) if left else None)
                 for name, (steps, left) in roster.items()}
    rules = Rules(reviewers, None, None, True)
    meta = {}
    for step, (by, on) in zip(STEPS, signed):
        group, _, name = step.partition(".")
        if name:
            meta.setdefault(group, {})[name] = {"by": by, "on": on}
        else:
            meta[group] = {"by": by, "on": on, "result": "不涉密"}
    doc = Document("a.md", meta, "", 0, {}, status="published")
    if rules._may_sign(tuple(signed)):
        assert signers_on_roster(doc, Vocab({}, {}, {}, {}, reviewers), dt.datetime.max) == []
