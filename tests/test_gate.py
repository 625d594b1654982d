"""The publishing gate (三审三校): every failure names the file, the step and the fix."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from govportal import check
from govportal.gate import RULES, Gate
from govportal.repository import load_repository
from govportal.signoff import main as review
from tests.conftest import ROOT

POLICY = "policy/cezhengfa-2024-12.md"
NOW = dt.datetime(2024, 6, 1, 12, 0)


def edit(content: Path, name: str, old: str, new: str) -> None:
    path = content / name
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def gate_errors(content: Path, now: dt.datetime = NOW) -> list[str]:
    return [i.format() for i in load_repository(content, now=now).errors]


def sign(content: Path, name: str, step: str, by: str, on: str) -> None:
    assert review(["--content", str(content), "sign", str(content / name), "--step", step, "--by", by,
                   "--on", on]) == 0


def test_the_gate_is_a_pipeline_of_named_rules():
    assert Gate().names == [
        "signoffs_complete", "signers_on_roster", "three_different_reviewers", "reviews_in_order",
        "proofreads_in_order", "signed_before_publication", "no_backdating", "not_signed_in_future",
        "secrecy_result", "final_digest_matches", "attachments_approved"]
    assert Gate(rules=RULES[:1]).names == ["signoffs_complete"]


def test_fixture_site_passes_the_gate(site_dir):
    assert load_repository(site_dir, now=NOW).issues == []


SIGN = "scripts/review sign policy/cezhengfa-2024-12.md"
# (case, line replaced in the fixture policy, replacement, the one error expected)
BLOCKED = [
    ("missing step", "  second: {by: 李强, on: 2024-03-03}\n", "",
     "policy/cezhengfa-2024-12.md:16: review.second: 缺少复审（review.second），已发布的文件必须完成三审三校和保密审查"
     f"（签署：{SIGN} --step review.second --by 姓名（名册中可签署复审的人：李强））"),
    ("missing signer", "secrecy: {by: 李强, on:", "secrecy: {on:",
     "policy/cezhengfa-2024-12.md:24: secrecy: 保密审查（secrecy）缺少签署人 by"
     f"（签署：{SIGN} --step secrecy --by 姓名（名册中可签署保密审查的人：李强））"),
    ("signer not on the roster", "second: {by: 李强", "second: {by: 张三",
     "policy/cezhengfa-2024-12.md:18: review.second: 复审签署人“张三”不在审核人名册（_data/reviewers.yml）中"
     "（由名册中的人签署（名册中可签署复审的人：李强））"),
    ("signer without that step", "first: {by: 陈静", "first: {by: 李强",
     "policy/cezhengfa-2024-12.md:21: proofread.first: “李强”无权签署一校（proofread.first），名册中其可签署：复审、保密审查"
     "（改由有权限的人签署（名册中可签署一校的人：王敏、陈静））"),
    ("reviews out of order", "second: {by: 李强, on: 2024-03-03}", "second: {by: 李强, on: 2024-03-01}",
     "policy/cezhengfa-2024-12.md:18: review.second: 复审日期 2024-03-01 早于初审日期 2024-03-02"
     "（三审须依次进行（初审、复审、终审），请核对签署日期）"),
    ("proofreads out of order", "third: {by: 王敏, on: 2024-03-04}", "third: {by: 王敏, on: 2024-03-02}",
     "policy/cezhengfa-2024-12.md:23: proofread.third: 三校日期 2024-03-02 早于二校日期 2024-03-03"
     "（三校须依次进行（一校、二校、三校），请核对签署日期）"),
    ("signed after publication", "secrecy: {by: 李强, on: 2024-03-03", "secrecy: {by: 李强, on: 2024-03-06",
     "policy/cezhengfa-2024-12.md:24: secrecy: 保密审查日期 2024-03-06 晚于发布日期 2024-03-05"
     "（先审后发：签署日期不能晚于发布日期，请核对签署日期和 date）"),
    ("impossible date", "first: {by: 王敏, on: 2024-03-02}", "first: {by: 王敏, on: 2024-02-30}",
     "policy/cezhengfa-2024-12.md:17: review.first: 初审日期“2024-02-30”不是真实存在的日期（2024年2月没有30日）"
     "（写成 YYYY-MM-DD，例如 2024-03-05）"),
    ("text changed after final approval", "办理时间压缩至1个工作日以内", "办理时间压缩至2个工作日以内",
     "policy/cezhengfa-2024-12.md:19: review.final: 终审之后正文或元数据有改动（review.final.digest 与现在的文本不符），"
     f"须重新终审（终审人审阅现在的文本后重新签署：{SIGN} --step review.final --by 赵刚）"),
    ("no secrecy result", ", result: 不涉密}", "}",
     "policy/cezhengfa-2024-12.md:24: secrecy: 保密审查缺少结论（secrecy.result）（添加“result: 不涉密”）"),
    ("secrecy result forbids publication", ", result: 不涉密}", ", result: 涉密}",
     "policy/cezhengfa-2024-12.md:24: secrecy: 保密审查结论为“涉密”，不能公开发布"
     "（只有结论为“不涉密”的文件才能发布；否则把 status 改回 draft）"),
]


@pytest.mark.parametrize("old, new, message", [case[1:] for case in BLOCKED], ids=[case[0] for case in BLOCKED])
def test_blocked_with_the_file_the_step_and_the_fix(site_dir, old, new, message):
    edit(site_dir, POLICY, old, new)
    assert gate_errors(site_dir) == [message]


def test_same_person_as_first_and_final_review(site_dir):
    roster = site_dir / "_data" / "reviewers.yml"
    roster.write_text(roster.read_text("utf-8").replace("steps: [review.final]", "steps: [review.first, review.final]"),
                      "utf-8")
    edit(site_dir, POLICY, "first: {by: 王敏, on: 2024-03-02}", "first: {by: 赵刚, on: 2024-03-02}")
    assert gate_errors(site_dir) == [
        "policy/cezhengfa-2024-12.md:19: review.final: 初审和终审是同一人（赵刚），三审须由三个不同的人完成"
        f"（由另一位有权限的人重新签署终审：{SIGN} --step review.final --by 姓名）"]


def test_backdated_publication_is_refused(site_dir):
    edit(site_dir, POLICY, "date: 2024-03-05 09:30", "date: 2024-03-03 09:30")
    sign(site_dir, POLICY, "review.final", "赵刚", "2024-03-04")  # the new date is approved, yet earlier
    found = gate_errors(site_dir)
    assert ("policy/cezhengfa-2024-12.md:8: date: 发布日期 2024-03-03 早于终审日期 2024-03-04，不能倒签发布日期"
            "（date 写终审之后的实际发布时间；如需定时发布，写将来的时间）") in found
    assert all("review.final" not in m.split(": ")[1] for m in found)


def test_signoff_dated_in_the_future(site_dir):
    errors = [m for m in gate_errors(site_dir, now=dt.datetime(2024, 3, 3, 18, 0)) if m.startswith("policy/")]
    assert errors == [
        "policy/cezhengfa-2024-12.md:19: review.final: 终审日期 2024-03-04 晚于今天（2024-03-03）（签署日期写实际签署的日期）",
        "policy/cezhengfa-2024-12.md:23: proofread.third: 三校日期 2024-03-04 晚于今天（2024-03-03）（签署日期写实际签署的日期）"]


def test_metadata_changed_after_final_approval(site_dir):
    edit(site_dir, POLICY, "summary: 从市场准入", "summary: 从市场准入和")
    [msg] = gate_errors(site_dir)
    assert "review.final: 终审之后正文或元数据有改动" in msg


def test_re_signed_after_a_change_passes(site_dir):
    edit(site_dir, POLICY, "办理时间压缩至1个工作日以内", "办理时间压缩至2个工作日以内")
    sign(site_dir, POLICY, "review.final", "赵刚", "2024-03-04")
    assert load_repository(site_dir, now=NOW).issues == []


def test_harmless_resave_keeps_the_approval(site_dir):
    path = site_dir / POLICY
    text = path.read_text("utf-8")
    path.write_bytes(text.replace("\n", "  \r\n").encode("utf-8"))  # CRLF and trailing spaces
    assert gate_errors(site_dir) == []


def test_pending_digest(site_dir):
    path = site_dir / POLICY
    text = path.read_text("utf-8")
    start = text.index('digest: "') + len('digest: "')
    path.write_text(text[:start] + "sha256:pending" + text[text.index('"', start):], "utf-8")
    assert gate_errors(site_dir) == [
        "policy/cezhengfa-2024-12.md:19: review.final: 终审没有绑定文本摘要（review.final.digest 为空或尚未生成）"
        "（终审人审阅现在的文本后重新签署：scripts/review sign policy/cezhengfa-2024-12.md --step review.final --by 赵刚）"]


def test_withdrawn_document_still_needs_its_signoffs(site_dir):
    edit(site_dir, POLICY, "status: published", "status: withdrawn\nwithdrawal: {on: 2024-05-01, by: 赵刚, reason: 已废止}")
    assert gate_errors(site_dir) == []  # the digest leaves out status and withdrawal
    edit(site_dir, POLICY, "  third: {by: 王敏, on: 2024-03-04}\n", "")
    [msg] = gate_errors(site_dir)
    assert msg.startswith("policy/cezhengfa-2024-12.md:21: proofread.third: 缺少三校（proofread.third）")


def test_drafts_are_not_gated(site_dir):
    path = site_dir / "release" / "spring-meeting.md"
    text = path.read_text("utf-8")
    path.write_text(text[:text.index("review:")].replace("status: published", "status: draft")
                    + text[text.index("---", 4):], "utf-8")
    assert gate_errors(site_dir) == []


def test_gate_can_be_left_out(site_dir):
    edit(site_dir, POLICY, "办理时间压缩至1个工作日以内", "办理时间压缩至2个工作日以内")
    assert load_repository(site_dir, gate=False).errors == []


# ---- make check ------------------------------------------------------------------------------


def run_check(capsys, *args: str) -> tuple[int, str]:
    code = check.main([*args, "--cache", ""])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_check_prints_path_line_col_rule_message_fix(site_dir, capsys):
    edit(site_dir, POLICY, "second: {by: 李强, on: 2024-03-03}", "second: {by: 张三, on: 2024-03-03}")
    code, out = run_check(capsys, str(site_dir), "--now", "2024-06-01T12:00")
    assert code == 1
    assert out.splitlines() == [
        "policy/cezhengfa-2024-12.md:18:1: review.second: 复审签署人“张三”不在审核人名册（_data/reviewers.yml）中"
        " (建议: 由名册中的人签署（名册中可签署复审的人：李强）)",
        "检查了 3 个文件：1 个错误，0 个警告；有错误的文件不能发布。"]


def test_check_json(site_dir, capsys):
    edit(site_dir, POLICY, "second: {by: 李强, on: 2024-03-03}", "second: {by: 张三, on: 2024-03-03}")
    code, out = run_check(capsys, str(site_dir), "--json", "--now", "2024-06-01T12:00")
    assert code == 1
    [item] = json.loads(out)
    assert item == {"path": POLICY, "line": 18, "col": 0, "field": "review.second", "severity": "error",
                    "message": "复审签署人“张三”不在审核人名册（_data/reviewers.yml）中",
                    "fix": "由名册中的人签署（名册中可签署复审的人：李强）"}


def test_scheduled_document_is_information_not_an_error(site_dir, capsys, build, tmp_path):
    code, out = run_check(capsys, str(site_dir), "--now", "2024-03-09T18:00")
    assert code == 0
    assert out.splitlines() == [
        "release/spring-meeting.md:5:1: date: 定时发布：2024-03-10 16:00 起公开，此前的构建不包含该文件 [提示]",
        "检查了 3 个文件：0 个错误，0 个警告。"]
    code, _ = build(site_dir, "--now", "2024-03-09T18:00")
    assert code == 0
    assert (tmp_path / "output" / "doc" / "11379900mb0000000x-2024-00012" / "index.html").exists()
    assert not (tmp_path / "output" / "doc" / "spring-meeting").exists()


# ---- the build -------------------------------------------------------------------------------


def test_build_refuses_while_a_published_document_fails_and_lists_every_failure(site_dir, build):
    shutil.copytree(ROOT / "content" / "_data" / "wordlists", site_dir / "_data" / "wordlists")
    edit(site_dir, POLICY, "second: {by: 李强, on: 2024-03-03}", "second: {by: 张三, on: 2024-03-03}")
    edit(site_dir, "release/spring-meeting.md", "市政府召开常务会议，", "市攻府召开常务会议，")
    code, out = build(site_dir)
    assert code == 1
    assert "policy/cezhengfa-2024-12.md:18: review.second: 复审签署人“张三”不在审核人名册" in out
    assert "release/spring-meeting.md:12: review.final: 终审之后正文或元数据有改动" in out
    assert "release/spring-meeting.md:19:13: 错敏词/错别字: 正文中有错别字“攻府”" in out
    assert "共 3 个错误" in out


DRAFT = ("---\ntitle: 内部草稿通知\ntype: release\nslug: draft-notice\nissuer: 测试市人民政府办公室\n"
         "column: 政务动态/通知公告\nstatus: draft\n---\n尚未审核的草稿。\n")


def test_drafts_show_only_in_a_draft_preview_and_never_in_publish(site_dir, build, tmp_path, monkeypatch):
    (site_dir / "release" / "draft-notice.md").write_text(DRAFT, "utf-8")
    monkeypatch.setenv("DRAFTS", "1")  # DRAFTS=1 make serve
    code, out = build(site_dir, output=tmp_path / "preview")
    assert code == 0, out
    page = (tmp_path / "preview" / "doc" / "draft-notice" / "index.html").read_text("utf-8")
    assert "草稿：本页仅供内部预览，尚未发布。" in page
    code, out = build(site_dir, "-s", str(ROOT / "publishconf.py"), output=tmp_path / "public")  # make publish
    assert code == 0, out
    assert not (tmp_path / "public" / "doc" / "draft-notice").exists()
    assert not any("内部草稿通知" in p.read_text("utf-8") for p in (tmp_path / "public").rglob("*.html"))


def test_a_reviewer_who_left_keeps_the_sign_offs_made_before(site_dir, capsys):
    edit(site_dir, "_data/reviewers.yml", "- {name: 赵刚, unit: 测试市人民政府办公室, steps: [review.final]}",
         "- {name: 赵刚, unit: 测试市人民政府办公室, steps: [review.final], left: 2024-04-30}")
    assert gate_errors(site_dir) == []  # 赵刚 signed the final reviews before he left
    edit(site_dir, POLICY, "激发市场主体活力", "持续激发市场主体活力")
    assert review(["--content", str(site_dir), "sign", str(site_dir / POLICY), "--step", "review.final",
                   "--by", "赵刚", "--on", "2024-05-02"]) == 1
    assert "“赵刚”已于 2024-04-30 离任（名册中的 left），不能在 2024-05-02 签署" in capsys.readouterr().err
    text = (site_dir / POLICY).read_text("utf-8")
    (site_dir / POLICY).write_text(re.sub(r"final: \{by: 赵刚, on: [0-9-]+", "final: {by: 赵刚, on: 2024-05-02", text), "utf-8")
    assert any("终审签署人“赵刚”已于 2024-04-30 离任（名册中的 left），2024-05-02 的签署无效" in e
               for e in gate_errors(site_dir))
    edit(site_dir, "_data/reviewers.yml", "left: 2024-04-30", "left: 2024-04-31")
    assert any("reviewers.yml" in e and "left" in e and "离任日期" in e for e in
               [i.format() for i in load_repository(site_dir, now=NOW).issues])


def test_a_wrong_roster_is_reported_not_a_crash(site_dir):
    edit(site_dir, "_data/reviewers.yml", "steps: [review.final]}", "steps: [review.finale]}")
    issues = [i.format() for i in load_repository(site_dir, now=NOW).issues]
    assert "_data/reviewers.yml:1: steps: “赵刚”的步骤“review.finale”无效（可选：review.first、review.second、review.final、" \
           "proofread.first、proofread.second、proofread.third、secrecy）" in issues
    assert any("“赵刚”无权签署终审（review.final），名册中其可签署：review.finale" in i for i in issues)
    roster = site_dir / "_data/reviewers.yml"
    roster.write_text(roster.read_text("utf-8").replace("review.finale", "review.final")
                      + "- {name: 赵刚, unit: 测试市人民政府办公室, steps: [review.first]}\n", "utf-8")
    issues = [i.format() for i in load_repository(site_dir, now=NOW).issues]
    assert issues == ["_data/reviewers.yml:6: name: 审核人“赵刚”在名册中出现了不止一次（合并为一条，steps 中写全此人可签署的环节）"]
    roster.write_text(roster.read_text("utf-8").replace(", steps: [review.first]}", ", steps: [review.first], lef: 2024-01-01}"),
                      "utf-8")
    issues = [i.format() for i in load_repository(site_dir, now=NOW).issues]
    assert "_data/reviewers.yml:6: lef: “赵刚”的字段“lef”无法识别（是否应为“left”？）" in issues
    roster.write_text(roster.read_text("utf-8") + "- name: 钱七\n  unit: 测试市\n  steps: [review.first\n", "utf-8")
    issues = [i.format() for i in load_repository(site_dir, now=NOW).issues]
    assert "_data/reviewers.yml:9: YAML: 不是合法的 YAML：方括号列表没有结束（缺少“]”，或项之间缺少逗号）" \
           "（写成“[值1, 值2]”，在同一行内用“]”结束）" in issues
    roster.write_text(roster.read_text("utf-8").replace("  steps: [review.first\n", "  steps: [review.first]\n")
                      + "- {name: !!float 孙九, unit: 测试市, steps: [review.first]}\n", "utf-8")
    issues = [i.format() for i in load_repository(site_dir, now=NOW).issues]  # (a Python error out of the reader)
    assert "_data/reviewers.yml:10: YAML: 不是合法的 YAML：值以“!”开头，YAML 把它当成了类型标记" \
           "（给整个值加引号，例如 title: \"!重要通知\"）" in issues


def test_a_name_or_page_address_twice_in_the_vocabularies_is_reported_at_its_line(site_dir):
    edit(site_dir, "_data/issuers.yml", "slug: szfb,", "slug: szf,")
    topics = site_dir / "_data/topics.yml"
    topics.write_text(topics.read_text("utf-8") + "- {name: 综合政务, slug: qita}\n- {name: 其他, slug: zhzw}\n", "utf-8")
    issues = [i.format() for i in load_repository(site_dir, now=NOW).issues]
    lines = len(topics.read_text("utf-8").splitlines())
    assert [i for i in issues if i.startswith("_data/")] == [
        "_data/issuers.yml:2: slug: “测试市人民政府办公室”与“测试市人民政府”的网址标识（issuer/szf/）相同"
        "（每项的 name 和 slug 都不能重复：改正其中一项）",
        f"_data/topics.yml:{lines - 1}: name: “综合政务”与“综合政务”的名称相同（每项的 name 和 slug 都不能重复：改正其中一项）",
        f"_data/topics.yml:{lines}: slug: “其他”与“综合政务”的网址标识（topic/zhzw/）相同（每项的 name 和 slug 都不能重复：改正其中一项）"]


def test_check_refuses_a_wrong_now_or_directory(site_dir, capsys, tmp_path):
    with pytest.raises(SystemExit) as stopped:
        check.main([str(site_dir), "--now", "tomorrow"])
    assert stopped.value.code == 2 and "check：错误：参数 --now：时间“tomorrow”不是 ISO 格式的时间" in capsys.readouterr().err
    code, out = run_check(capsys, str(site_dir), "--now", "2024-06-01T12:00+08:00")  # an offset is Beijing time
    assert code == 0 and out.endswith("0 个错误，0 个警告。\n")
    code, out = run_check(capsys, str(tmp_path / "nowhere"))
    assert code == 2 and out == f"内容目录 {tmp_path / 'nowhere'} 不存在（在项目根目录运行，或写出内容目录的路径）\n"


def test_the_pre_commit_check_sees_every_error_the_staged_change_causes(site_dir, capsys, tmp_path, monkeypatch):
    import git

    root = tmp_path / "repo"
    shutil.copytree(site_dir, root / "content")
    repo = git.Repo.init(root)
    repo.git.add("-A")
    repo.git.commit("-q", "-m", "初始", env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                                             "GIT_COMMITTER_EMAIL": "t@t"})
    monkeypatch.chdir(root)
    staged = lambda: run_check(capsys, "content", "--staged", "--now", "2024-06-01T12:00")  # noqa: E731
    assert staged() == (0, "")  # nothing staged
    broken = root / "content/release/常务会议 2.md"  # a file name Git quotes unless -z
    broken.write_text("---\ntitle: \"市政府召开常务会议\ntype: release\n---\n正文\n", "utf-8")
    repo.git.add("-A")
    code, out = staged()
    assert code == 1 and "release/常务会议 2.md:" in out
    repo.git.rm("-q", "--cached", str(broken))
    broken.unlink()
    repo.git.rm("-q", f"content/{POLICY}")  # deleting a document another one interprets
    code, out = staged()
    assert code == 1 and out.startswith("interpretation/jiedu-2024-12.md:9:1: interprets: 解读的政策“11379900MB0000000X/2024-00012”不存在")
    monkeypatch.chdir(tmp_path)  # from outside the repository, with the content directory's path
    code, out = run_check(capsys, str(root / "content"), "--staged", "--now", "2024-06-01T12:00")
    assert code == 1 and out.startswith("interpretation/jiedu-2024-12.md:9:1: interprets: 解读的政策“11379900MB0000000X/2024-00012”不存在")


# ---- the quick check the history uses on every version ---------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from govportal.gate import own_refusal, plainly_passes  # noqa: E402
from govportal.vocab import STEPS  # noqa: E402

DAYS = st.sampled_from(["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-05", "2024-02-30", "2024-13-01", ""])


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["王敏", "李强", "赵刚", ""]), DAYS), min_size=7, max_size=7),
       st.sampled_from(["不涉密", "涉密", ""]), st.sampled_from([dt.datetime(2024, 3, 3, 9, 30), dt.datetime(2024, 3, 5)]))
def test_what_passes_the_quick_check_passes_the_rules(signed, result, date):
    """``plainly_passes`` is a sufficient condition: never true where ``OWN_RULES`` refuse."""
    meta: dict = {}
    for step, (by, on) in zip(STEPS, signed):
        group, _, child = step.partition(".")
        value = {"by": by, "on": on, **({"result": result} if step == "secrecy" else {})}
        if child:
            meta.setdefault(group, {})[child] = value
        else:
            meta[group] = value
    refusal = own_refusal("x.md", meta, date)
    if plainly_passes(tuple(signed), result, date):
        assert refusal == ""


def test_the_quick_check_passes_plain_sign_offs_and_the_rules_agree():
    signed = (("王敏", "2024-03-02"), ("李强", "2024-03-03"), ("赵刚", "2024-03-04"), ("陈静", "2024-03-02"),
              ("周洁", "2024-03-03"), ("王敏", "2024-03-04"), ("李强", "2024-03-03"))
    date = dt.datetime(2024, 3, 5, 9, 30)
    assert plainly_passes(signed, "不涉密", date)
    backdated = signed[:2] + (("赵刚", "2024-03-06"),) + signed[3:]
    assert not plainly_passes(backdated, "不涉密", date)
    meta = {"review": {"first": {"by": "王敏", "on": "2024-03-02"}, "second": {"by": "李强", "on": "2024-03-03"},
                       "final": {"by": "赵刚", "on": "2024-03-06"}},
            "proofread": {"first": {"by": "陈静", "on": "2024-03-02"}, "second": {"by": "周洁", "on": "2024-03-03"},
                          "third": {"by": "王敏", "on": "2024-03-04"}},
            "secrecy": {"by": "李强", "on": "2024-03-03", "result": "不涉密"}}
    assert own_refusal("x.md", meta, date) == "发布日期 2024-03-05 早于终审日期 2024-03-06，不能倒签发布日期"
    meta["review"]["final"]["on"] = "2024-03-04"
    assert own_refusal("x.md", meta, date) == ""
