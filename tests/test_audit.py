"""scripts/audit on real Git repositories: log, diff, show, verify (the gate replayed), verify-site."""
from __future__ import annotations

import json
import shutil

import pytest

from govportal.history import audit as audit_module
from govportal.history.audit import main
from tests.conftest import FIXTURE_SITE, resign, run_build
from tests.test_history_helpers import (INTERPRETATION, POLICY, POLICY_KEY, RELEASE, Ledger,  # noqa: F401 (ledger: a fixture)
                                         ledger)


def audit(capsys, ledger_or_dir, *argv: str) -> tuple[int, str, str]:
    content = ledger_or_dir.content if isinstance(ledger_or_dir, Ledger) else ledger_or_dir
    code = main(["--content", str(content), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def history(ledger) -> Ledger:
    """Published 2024-03-09; the policy changed 2024-05-10 (tag v2), the release withdrawn 2024-06-01 and
    the interpretation's file deleted 2024-07-01."""
    ledger.replace(POLICY, "办理时间压缩至1个工作日以内", "办理时间压缩至半个工作日以内")
    ledger.set_field(POLICY, "change_note", "压缩企业开办时间")
    ledger.commit("修订营商环境措施", "2024-05-10T09:00:00+08:00", author="王志刚")
    ledger.git("tag", "v2")
    ledger.withdraw(RELEASE, "2024-06-01", "会议安排有变")
    ledger.commit("撤回", "2024-06-01T10:00:00+08:00")
    (ledger.content / "interpretation/jiedu-2024-12.md").unlink()
    ledger.commit("删除解读", "2024-07-01T10:00:00+08:00", author="陈建国")
    return ledger


def test_log_lists_every_event(history, capsys):
    code, out, _ = audit(capsys, history, "log")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 7 and lines[-1] == "共 6 条发布记录，其中不合规 1 条"
    assert lines[3].startswith(f"2024-05-10 09:00  重大更新  第2版  {POLICY_KEY}  测试市人民政府关于进一步优化营商环境的若干措施  "
                               "提交 ")
    assert lines[3].endswith("（王志刚）  终审 赵刚  压缩企业开办时间")
    assert "  撤回  第2版  spring-meeting  " in lines[4] and lines[4].endswith("撤回原因：会议安排有变")
    assert lines[5].startswith("2024-07-01 10:00  【不合规】删除已发布文件  —  ")


def test_log_filters_and_json(history, capsys):
    code, out, _ = audit(capsys, history, "log", "--since", "2024-05-10", "--until", "2024-06-01", "--json")
    events = json.loads(out)
    assert code == 0 and [(e["kind"], e["key"], e["version"]) for e in events] == [
        ("changed", POLICY_KEY, 2), ("withdrawn", "spring-meeting", 2)]
    assert events[0]["major"] is True and events[0]["final_by"] == "赵刚" and events[0]["changed"] == ["change_note", "body"]
    assert events[0]["author"] == "王志刚" and len(events[0]["commit"]) == 40
    _, out, _ = audit(capsys, history, "log", "--path", "content/policy")
    assert [line.split("  ")[1] for line in out.splitlines()[:-1]] == ["首次发布", "重大更新"]
    _, out, _ = audit(capsys, history, "log", "--until", "2024-03-04")
    assert out == "共 0 条发布记录\n"
    _, same, _ = audit(capsys, history, "log", "--since", "2024年5月10日", "--until", "2024-6-1", "--json")
    assert json.loads(same) == events  # dates as people write them are taken on the command line


def test_diff_between_dates_lists_changes_with_text_diffs(history, capsys):
    code, out, _ = audit(capsys, history, "diff", "2024-05-01", "2024-07-31")
    assert code == 0
    assert out.startswith("从 2024-05-01（提交 ")
    assert f"[重大更新] {POLICY_KEY}  测试市人民政府关于进一步优化营商环境的若干措施  ({POLICY})" in out
    assert "  更新说明：首次发布 → 压缩企业开办时间" in out
    assert "  ~ （一）推行“一网通办”。企业开办全程网上办理，办理时间压缩至[-1-]{+半+}个工作日以内。" in out
    assert "[撤回] spring-meeting  市政府召开常务会议研究部署春季重点工作  (release/spring-meeting.md)" in out
    assert "  状态：已发布 → 已撤回" in out
    assert "  撤回信息：（无） → 撤回日期：" in out and "，决定人：" in out and "，撤回原因：" in out
    assert "[不合规·删除已发布文件] 11379900MB00000010/2024-00031" in out
    assert out.endswith("共 3 个文件有发布变化\n")


def test_diff_between_a_tag_and_a_commit_and_before_the_first(history, capsys):
    code, out, _ = audit(capsys, history, "diff", "v2", "HEAD")
    assert code == 0 and "重大更新" not in out and "[撤回]" in out and out.endswith("共 2 个文件有发布变化\n")
    _, out, _ = audit(capsys, history, "diff", "2024-01-01", "2024-03-09")
    assert "（当时还没有任何提交）" in out and out.count("[首次发布]") == 3
    # the release was committed on 2024-03-09 for publication at 2024-03-10 16:00 (定时发布)
    assert "spring-meeting" in out and "  定时发布：2024-03-10 16:00 起公开，到 TO 时还没有公开" in out
    _, out, _ = audit(capsys, history, "diff", "2024-03-10", "2024-03-10")
    assert "[首次发布] spring-meeting  市政府召开常务会议研究部署春季重点工作  (release/spring-meeting.md)\n" \
           "  定时发布：提交于 2024-03-09 18:00，2024-03-10 16:00 起公开" in out and out.endswith("共 1 个文件有发布变化\n")
    _, out, _ = audit(capsys, history, "diff", "2024-03-11", "2024-03-12")
    assert out.endswith("这段时间没有发布变化\n")
    code, _, err = audit(capsys, history, "diff", "去年", "HEAD")
    assert code == 2 and err.strip() == "FROM “去年”既不是提交、标签，也不是日期（YYYY-MM-DD）"


def test_show_prints_the_file_as_published_then(history, capsys):
    first = (FIXTURE_SITE / "policy/cezhengfa-2024-12.md").read_bytes()
    code, out, err = audit(capsys, history, "show", POLICY_KEY, "--at", "2024-05-09")
    assert code == 0 and out.encode("utf-8") == first
    assert err.startswith(f"{POLICY_KEY}：2024-05-09 23:59 时的版本，提交 ")
    assert err.rstrip().endswith("已发布，公开的第1版；终审 赵刚")
    code, out, _ = audit(capsys, history, "show", POLICY_KEY, "--at", "2024-05-10 09:00")
    assert code == 0 and "办理时间压缩至半个工作日以内" in out
    code, out, err = audit(capsys, history, "show", POLICY_KEY, "--at", "v2")
    assert code == 0 and "办理时间压缩至半个工作日以内" in out
    code, out, err = audit(capsys, history, "show", POLICY_KEY, "--at", "2024-01-01")
    assert code == 1 and out == "" and "时还没有这个文件（第一个版本提交于 2024-03-09 18:00）" in err
    code, _, err = audit(capsys, history, "show", "11379900MB00000010/2024-00031", "--at", "2024-08-01")
    assert code == 1 and err.rstrip().endswith("文件已被删除（不合规）")
    code, out, err = audit(capsys, history, "show", POLICY_KEY.lower(), "--at", "2024-05-09")  # typed in lower case
    assert code == 0 and out.encode("utf-8") == first and err.startswith(f"{POLICY_KEY}：2024-05-09 23:59 时的版本")
    code, _, err = audit(capsys, history, "show", "nothing", "--at", "2024-08-01")
    assert code == 2 and "没有索引号（或网址标识）为“nothing”的文件" in err


@pytest.fixture(params=["alone", "shared"])
def replay(request, monkeypatch):
    """verify replays the versions in this process alone, or shares them out with forked workers."""
    if request.param == "shared":
        monkeypatch.setattr(audit_module, "PARALLEL_VERIFY_MIN", 1)
        monkeypatch.setattr(audit_module.os, "cpu_count", lambda: 3)
    return request.param


def test_verify_finds_a_commit_that_changed_text_after_final_approval(ledger, capsys, replay):
    code, out, _ = audit(capsys, ledger, "verify")
    assert code == 0 and out == "检查了 1 个提交中的 3 个公开版本：全部通过三审三校\n"
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力", sign=False)  # a direct push, no new approval
    bad = ledger.commit("直接修改正文", "2024-04-01T09:00:00+08:00", author="王志刚")
    ledger.replace(RELEASE, "研究部署春季重点工作。", "研究部署春季重点工作和安全生产。")
    ledger.commit("正常修订", "2024-04-02T09:00:00+08:00")
    code, out, _ = audit(capsys, ledger, "verify")
    assert code == 1
    assert out.splitlines() == [
        f"提交 {bad[:8]} 2024-04-01 09:00 王志刚「直接修改正文」：",
        f"  {POLICY}（{POLICY_KEY}）：review.final：终审之后正文或元数据有改动（review.final.digest 与现在的文本不符），须重新终审",
        "检查了 3 个提交中的 5 个公开版本：1 个提交发布了未通过三审三校的内容"]
    code, out, _ = audit(capsys, ledger, "verify", "--since", bad)
    assert code == 0 and out == "检查了 1 个提交中的 1 个公开版本：全部通过三审三校\n"


def test_verify_uses_the_roster_of_the_time(ledger, capsys, replay):
    roster = ledger.path("_data/reviewers.yml")
    roster.write_text(roster.read_text("utf-8").replace("- {name: 赵刚, unit: 测试市人民政府办公室, steps: [review.final]}\n",
                                                         ""), "utf-8")
    ledger.commit("赵刚调离", "2024-04-01T09:00:00+08:00")
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    ledger.commit("修订", "2024-04-02T09:00:00+08:00")
    code, out, _ = audit(capsys, ledger, "verify")
    assert code == 1 and "终审签署人“赵刚”不在审核人名册（_data/reviewers.yml）中" in out
    assert out.count("提交 ") == 1  # the first publication was signed when 赵刚 was on the roster


def test_a_version_signed_for_a_later_day_is_public_from_its_date_and_verify_reports_the_presigning(ledger, capsys):
    """The build of the commit refused the sign-off dated after that day; the site lists the version from its
    发布日期, when no sign-off is in the future any more (they may not be later than 发布日期)."""
    from govportal.history import load_history

    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    ledger.replace(POLICY, "date: 2024-03-05 09:30", "date: 2024-04-10 09:00")
    ledger.replace(POLICY, "final: {by: 赵刚, on: 2024-03-04", "final: {by: 赵刚, on: 2024-04-05")
    ledger.commit("定时更新，预签终审", "2024-04-01T09:00:00+08:00")
    events = load_history(ledger.content).of(POLICY_KEY).events
    assert [(e.label, e.number, f"{e.effective:%Y-%m-%d %H:%M}") for e in events] == [
        ("首次发布", 1, "2024-03-09 18:00"), ("重大更新", 2, "2024-04-10 09:00")]
    code, out, _ = audit(capsys, ledger, "verify")
    assert code == 1 and "review.final：终审日期 2024-04-05 晚于今天（2024-04-01）" in out


def test_verify_uses_the_word_lists_of_the_time(ledger, capsys, replay):
    wordlist = ledger.path("_data/wordlists/test.yml")
    wordlist.parent.mkdir()
    wordlist.write_text("- {word: 攻府, category: 错别字, level: block, suggestion: 政府}\n", "utf-8")
    ledger.commit("词表", "2024-03-20T09:00:00+08:00")
    ledger.replace(POLICY, "激发市场主体活力", "由攻府激发市场主体的活力")  # signed: the final reviewer missed it
    bad = ledger.commit("修订", "2024-04-01T09:00:00+08:00")
    wordlist.write_text(wordlist.read_text("utf-8") + "- {word: 主体的活力, category: 固定表述, level: block}\n"
                        "- {word: 市场主体, category: 固定表述, level: warn}\n", "utf-8")
    ledger.replace(POLICY, "由攻府激发", "由政府激发")
    ledger.commit("改正", "2024-04-02T09:00:00+08:00")  # with a word listed since: its version is checked, not the one before
    code, out, _ = audit(capsys, ledger, "verify")
    assert code == 1
    assert out.splitlines() == [
        f"提交 {bad[:8]} 2024-04-01 09:00 张晓燕「修订」：",
        f"  {POLICY}（{POLICY_KEY}）：错敏词/错别字：正文中有错别字“攻府”",
        f"提交 {ledger.repo.head.commit.hexsha[:8]} 2024-04-02 09:00 张晓燕「改正」：",
        f"  {POLICY}（{POLICY_KEY}）：错敏词/固定表述：正文中有不规范的固定表述“主体的活力”",
        "检查了 4 个提交中的 5 个公开版本：2 个提交发布了未通过三审三校的内容"]


def test_verify_site_names_the_altered_file(ledger, capsys, tmp_path):
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", "2025-01-01T12:00:00")[0] == 0
    capsys.readouterr()
    deployed = tmp_path / "deployed"
    shutil.copytree(out, deployed)
    code, text, _ = audit(capsys, ledger, "verify-site", str(deployed))
    assert code == 0 and text.startswith(f"{deployed} 与清单一致：")
    page = deployed / "doc/spring-meeting/index.html"
    page.write_text(page.read_text("utf-8").replace("春季重点工作", "夏季重点工作"), "utf-8")
    (deployed / "extra.html").write_text("<p>多出来的</p>", "utf-8")
    (deployed / "robots.txt").unlink()
    code, text, _ = audit(capsys, ledger, "verify-site", str(deployed), "--manifest", str(out / "manifest.json"))
    lines = text.splitlines()
    assert code == 1
    assert lines[:2] == ["新增（清单中没有）：/extra.html", "缺失：/robots.txt"]
    assert lines[2].startswith("被改动：/doc/spring-meeting/index.html（清单 sha256 ")
    assert lines[3].startswith(f"{deployed} 与清单不符：新增 1 个，缺失 1 个，被改动 1 个，源提交 "
                               f"{ledger.repo.head.commit.hexsha}，构建于 2025-01-01T12:00:00+08:00")
    code, _, err = audit(capsys, ledger, "verify-site", str(tmp_path))
    assert code == 2 and f"读不到 {tmp_path / 'manifest.json'}（文件不存在）" in err
    code, _, err = audit(capsys, ledger, "verify-site", str(deployed), "--manifest", str(tmp_path / "kept.json"))
    assert code == 2 and f"读不到 {tmp_path / 'kept.json'}（文件不存在）：" in err
    # the copy on the server tampered with as well, and a file that cannot be read
    (deployed / "manifest.json").write_text((out / "manifest.json").read_text("utf-8").replace("\n", " \n", 1), "utf-8")
    (deployed / "index.html").unlink()
    (deployed / "index.html").symlink_to(deployed / "nowhere.html")
    code, text, _ = audit(capsys, ledger, "verify-site", str(deployed), "--manifest", str(out / "manifest.json"))
    lines = text.splitlines()
    assert code == 1 and lines[3].startswith("被改动：/manifest.json（清单 sha256 ")
    assert lines[4] == "无法读取：/index.html（文件不存在）"
    assert "与清单不符：新增 1 个，缺失 1 个，被改动 2 个，无法读取 1 个，源提交 " in lines[5]
    (deployed / "manifest.json").write_text('{"format": 1, "files": ', "utf-8")
    code, _, err = audit(capsys, ledger, "verify-site", str(deployed))
    assert code == 2 and err.strip() == f"{deployed / 'manifest.json'} 第 1 行不是有效的 JSON：清单已损坏，请用构建时留存的副本（--manifest）"
    (deployed / "manifest.json").write_text('{"files": {}}', "utf-8")
    code, _, err = audit(capsys, ledger, "verify-site", str(deployed))
    assert code == 2 and "不是本系统的发布清单" in err
    code, _, err = audit(capsys, ledger, "verify-site", str(tmp_path / "nowhere"), "--manifest", str(out / "manifest.json"))
    assert code == 2 and err.strip() == f"网站目录 {tmp_path / 'nowhere'} 不存在或不是目录：DIR 写部署的网站副本的根目录" \
                                        "（其中有 manifest.json），例如 /srv/www/portal"


def test_outside_git_the_auditor_is_told(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    code, _, err = audit(capsys, content, "verify")
    assert code == 2 and err.strip() == f"内容目录 {content} 不在 Git 仓库中，没有发布历史可查：用 --content 指定 Git 仓库中的" \
                                        "内容目录（例如项目的 content/），或先把内容提交到 Git 仓库（git init、git add、git commit）"


def test_log_and_show_share_the_ledger_cache_and_follow_new_commits(history, capsys, tmp_path):
    cache = tmp_path / "cache"

    def cached(*argv: str) -> tuple[int, str]:
        code = main(["--content", str(history.content), *argv], default_cache=cache)
        return code, capsys.readouterr().out

    fresh = audit(capsys, history, "log", "--json")[1]
    assert cached("log", "--json") == (0, fresh)
    [kept] = (cache / "history").iterdir()
    kept.write_bytes(kept.read_bytes()[:-1])  # a damaged cache is read again from Git, not trusted
    assert cached("log", "--json") == (0, fresh) and cached("log", "--json") == (0, fresh)
    assert cached("show", POLICY_KEY, "--at", "2024-05-10")[0] == 0
    history.set_field(POLICY, "change_note", "补充联系方式")
    history.replace(POLICY, "办理时间压缩至半个工作日以内", "办理时间压缩至半个工作日以内（咨询电话12345）")
    history.commit("补充联系方式", "2024-08-01T09:00:00+08:00")
    code, out = cached("log", "--since", "2024-08-01")
    assert code == 0 and "  重大更新  第3版  " in out and out.endswith("共 1 条发布记录\n")
    assert audit(capsys, history, "log", "--since", "2024-08-01")[1] == out
    before = kept.stat().st_mtime_ns
    assert main(["--content", str(history.content), "--no-cache", "log"], default_cache=cache) == 0
    assert kept.stat().st_mtime_ns == before  # --no-cache neither reads nor writes it


def test_verify_with_nothing_to_check_passes(ledger, capsys, tmp_path):
    code, out, err = audit(capsys, ledger, "verify", "--since", "HEAD")
    assert (code, out, err) == (0, "检查了 0 个提交中的 0 个公开版本：全部通过三审三校\n", "")
    ledger.path("_data/reviewers.yml").write_text(ledger.path("_data/reviewers.yml").read_text("utf-8") + "\n", "utf-8")
    ledger.commit("只改名册格式", "2024-04-01T09:00:00+08:00")
    code, out, _ = audit(capsys, ledger, "verify", "--since", "HEAD~1")  # a commit that changed no document
    assert (code, out) == (0, "检查了 1 个提交中的 0 个公开版本：全部通过三审三校\n")
    empty = tmp_path / "empty"
    shutil.copytree(FIXTURE_SITE, empty / "content")
    import git
    git.Repo.init(empty)  # a repository without a commit
    code, out, _ = audit(capsys, empty / "content", "verify")
    assert (code, out) == (0, "检查了 0 个提交中的 0 个公开版本：全部通过三审三校\n")


def test_a_changed_index_number_is_irregular_everywhere_and_the_old_number_still_found(history, capsys):
    new_key = "11379900MB0000000X/2024-00099"
    history.replace(POLICY, POLICY_KEY, new_key)
    history.replace(POLICY, "办理时间压缩至半个工作日以内", "办理时间压缩至2小时以内")
    changed = history.commit("改索引号", "2024-08-01T09:00:00+08:00")
    _, out, _ = audit(capsys, history, "diff", "HEAD~1", "HEAD")
    assert f"[不合规·发布后更改索引号、重大更新] {new_key}  " in out and f"（原索引号 {POLICY_KEY}）" in out
    _, out, _ = audit(capsys, history, "log", "--since", "2024-08-01")
    assert f"【不合规】发布后更改索引号  —  {new_key}" in out and f"原网址随之失效（原索引号 {POLICY_KEY}）" in out
    code, out, err = audit(capsys, history, "show", POLICY_KEY, "--at", "2024-05-09")
    assert code == 0 and "办理时间压缩至1个工作日以内" in out
    assert err.startswith(f"{POLICY_KEY} 是这个文件从前的索引号（或网址标识），现在是 {new_key}\n")
    code, out, _ = audit(capsys, history, "verify")  # the deletion and the new number are listed, not only the log
    assert code == 1 and f"提交 {changed[:8]} 2024-08-01 09:00 张晓燕「改索引号」：" in out
    assert "：删除已发布文件：已发布文件的源文件被删除" in out and "：发布后更改索引号：" in out
    assert out.endswith("：2 处不合规的删除、改回草稿或索引号更改（见 audit log）\n")


def test_a_scheduled_publication_counts_from_its_date(history, capsys):
    # the test site's release was committed 2024-03-09 18:00 for publication at 2024-03-10 16:00
    _, out, _ = audit(capsys, history, "log", "--since", "2024-03-10", "--until", "2024-03-10")
    assert out.startswith("2024-03-10 16:00（定时发布，提交于 2024-03-09 18:00）  首次发布  第1版  spring-meeting  ")
    assert out.endswith("共 1 条发布记录\n")
    [event] = json.loads(audit(capsys, history, "log", "--until", "2024-03-10", "--path", "release", "--json")[1])
    assert (event["when"], event["effective"]) == ("2024-03-09T18:00:00+08:00", "2024-03-10T16:00:00+08:00")


def test_a_scheduled_update_counts_from_its_date_in_log_show_and_diff(ledger, capsys):
    ledger.schedule_update()
    _, out, _ = audit(capsys, ledger, "log", "--since", "2024-04-01")
    assert out.startswith("2024-05-20 09:00（定时发布，提交于 2024-05-01 09:00）  重大更新  第2版  ")
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "2024-05-10")
    assert "尚未公开（定时发布：2024-05-20 09:00）" in err
    _, out, _ = audit(capsys, ledger, "diff", "2024-04-20", "2024-05-10")
    assert "[重大更新]" in out and "定时发布：2024-05-20 09:00 起公开，到 TO 时还没有公开" in out
    _, out, _ = audit(capsys, ledger, "diff", "2024-05-02", "2024-05-25")
    assert "定时发布：提交于 2024-05-01 09:00，2024-05-20 09:00 起公开" in out and "共 1 个文件有发布变化" in out


@pytest.mark.parametrize("argv, message", [
    (["log", "--since", "2024-06-01", "--until", "2024-05-01"], "--since 2024-06-01 晚于 --until 2024-05-01：请交换两者"),
    (["log", "--since", "上周"], "--since 的时间“上周”"),
    (["log", "--since", ""], "--since 的时间"),
    (["diff", "HEAD", "v2"], "FROM HEAD 晚于 TO v2：先写较早的时间点，例如 audit diff v2 HEAD"),
    (["diff", "2024-05-31", "2024-05-11"], "FROM 2024-05-31 晚于 TO 2024-05-11："),  # the same commit: 2024-05-10
    (["diff", "2024-05-10 09:30", "v2"], "FROM 2024-05-10 09:30 晚于 TO v2："),  # v2: committed 2024-05-10 09:00
    (["diff", "2024-02-30", "HEAD"], "（FROM 也可以是提交号或标签）"),
    (["show", POLICY_KEY, "--at", "昨天"], "（--at 也可以是提交号或标签）"),
])
def test_wrong_arguments_are_refused_with_what_is_wrong(history, capsys, argv, message):
    code, out, err = audit(capsys, history, *argv)
    assert code == 2 and out == "" and message in err


def test_the_content_directory_must_be_one(history, capsys, tmp_path):
    code, _, err = audit(capsys, history.root, "verify")  # the repository, not its content/
    assert code == 2 and err.startswith(f"{history.root} 不是内容目录：其中没有 _data/")
    for command in (["log"], ["show", POLICY_KEY, "--at", "HEAD"]):
        code, _, err = audit(capsys, tmp_path / "nowhere", *command)
        assert code == 2 and err.startswith(f"内容目录 {tmp_path / 'nowhere'} 不存在")
    import git
    clone = tmp_path / "clone"
    git.Repo.clone_from(f"file://{history.root}", clone, depth=1)
    code, _, err = audit(capsys, clone / "content", "log")
    assert code == 2 and "git fetch --unshallow" in err


def test_options_go_before_or_after_the_command_and_argparse_speaks_chinese(history, capsys, tmp_path):
    cache = tmp_path / "cache"
    assert main(["log", "--content", str(history.content), "--no-cache"], default_cache=cache) == 0
    assert capsys.readouterr().out.endswith("共 6 条发布记录，其中不合规 1 条\n") and not cache.exists()
    with pytest.raises(SystemExit) as stopped:
        main(["--content", str(history.content), "show", POLICY_KEY])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and err.splitlines() == [
        "用法：audit show [-h] --at DATE [--content CONTENT] [--no-cache] INDEX_NO", "audit show：错误：缺少必需的参数：--at"]
    with pytest.raises(SystemExit):
        main(["frob"])
    assert "audit：错误：参数 命令：没有“frob”这一项（可选：log, diff, show, verify, verify-site）" in capsys.readouterr().err


def test_show_says_when_the_named_final_reviewer_did_not_approve_that_version(ledger, capsys):
    code, _, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "HEAD")
    assert code == 0 and err.rstrip().endswith("已发布，公开的第1版；终审 赵刚")
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力", sign=False)  # a direct push, no new approval
    ledger.commit("直接修改正文", "2024-04-01T09:00:00+08:00")
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "HEAD")  # what the public saw: version 1
    assert code == 0 and "持续激发市场主体活力" not in out and "激发市场主体活力" in out
    assert "这一版没有有效的终审，发布关口拒绝了它，网站上没有公开" in err


def test_verify_finds_an_attachment_replaced_or_deleted_after_final_approval(ledger, capsys, replay):
    import hashlib

    def sha(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    attachment = ledger.path("attachments/yuanwen.doc")
    attachment.parent.mkdir()
    attachment.write_bytes(b"v1")
    ledger.set_field(POLICY, "attachments", f"[{{file: ./attachments/yuanwen.doc, title: 原文, sha256: {sha(b'v1')}}}]")
    attached = ledger.commit("附上原文", "2024-03-20T09:00:00+08:00")  # ./ as an editor may write it: the same file
    attachment.write_bytes(b"v2")
    swapped = ledger.commit("更换附件", "2024-04-01T09:00:00+08:00", author="王志刚")
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")  # approved, but not the new attachment
    stale = ledger.commit("修订正文", "2024-04-02T09:00:00+08:00")
    ledger.set_field(POLICY, "attachments", f"[{{file: attachments/yuanwen.doc, title: 原文, sha256: {sha(b'v2')}}}]")
    ledger.commit("重新终审", "2024-04-03T09:00:00+08:00")
    attachment.unlink()
    deleted = ledger.commit("删除附件", "2024-04-04T09:00:00+08:00", author="王志刚")
    where = f"  {POLICY}（{POLICY_KEY}）：attachments"
    expected = [
        f"提交 {swapped[:8]} 2024-04-01 09:00 王志刚「更换附件」：",
        f"{where}：附件“attachments/yuanwen.doc”在终审之后被更换（终审记录的 sha256 为 {sha(b'v1')[:12]}…，"
        f"换成了 {sha(b'v2')[:12]}…），已发布的文件没有重新终审",
        f"提交 {stale[:8]} 2024-04-02 09:00 张晓燕「修订正文」：",
        f"{where}.0.sha256：附件“attachments/yuanwen.doc”在终审之后被更换（终审记录的 sha256 为 {sha(b'v1')[:12]}…，"
        f"现在的文件是 {sha(b'v2')[:12]}…），须重新终审",
        f"提交 {deleted[:8]} 2024-04-04 09:00 王志刚「删除附件」：",
        f"{where}：附件“attachments/yuanwen.doc”被删除，已发布的文件没有随之修改和重新终审"]
    code, out, _ = audit(capsys, ledger, "verify")
    assert code == 1
    assert out.splitlines() == expected + [
        "检查了 6 个提交中的 6 个公开版本：1 个提交发布了未通过三审三校的内容；2 个提交更换或删除了已发布文件的附件，文件没有重新终审"]
    # from a later start, the documents published before it are followed too
    code, out, _ = audit(capsys, ledger, "verify", "--since", attached)
    assert code == 1 and out.splitlines()[:-1] == expected


def test_log_marks_a_version_the_gate_refused_and_does_not_credit_the_final_reviewer(ledger, capsys):
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力", sign=False)  # a direct push
    pushed = ledger.commit("直接推送", "2024-04-01T09:00:00+08:00", author="王志刚")
    code, out, _ = audit(capsys, ledger, "log", "--since", "2024-04-01")
    assert code == 0
    assert out.splitlines() == [
        f"2024-04-01 09:00  【不合规】未经终审的版本  —  {POLICY_KEY}  测试市人民政府关于进一步优化营商环境的若干措施  "
        f"提交 {pushed[:8]}（王志刚）  终审无效（记录的终审人 赵刚 没有批准这一版的文本）  "
        "这一版没有有效的终审（终审摘要与文本不符，或没有终审），发布关口拒绝发布它，网站上没有这一版；"
        "应由终审人审阅后重新签署（见 audit verify）",
        "共 1 条发布记录，其中不合规 1 条"]
    code, out, _ = audit(capsys, ledger, "log", "--json")
    assert [(e["kind"], e["approved"], e["version"]) for e in json.loads(out)][-2:] == [
        ("published", True, 1), ("unapproved", False, 0)]


def test_show_during_an_unapproved_version_prints_what_the_public_saw(ledger, capsys):
    ledger.replace(POLICY, "激发市场主体活力", "未经审核的文字", sign=False)
    pushed = ledger.commit("直接推送", "2024-04-01T09:00:00+08:00", author="王志刚")
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "2024-04-02")
    assert code == 0 and "激发市场主体活力" in out and "未经审核的文字" not in out
    assert err.startswith(f"{POLICY_KEY}：2024-04-02 23:59 时的版本，提交 {pushed[:8]}（2024-04-01 09:00，王志刚），"
                          f"文件 {POLICY}；这一版没有有效的终审，发布关口拒绝了它，网站上没有公开。"
                          "以下是公众当时看到的版本：提交 ")
    assert "；已发布，公开的第1版；终审 赵刚\n" in err


def test_a_version_refused_for_its_sign_offs_is_told_apart_from_a_wrong_final_review(ledger, capsys):
    ledger.replace(POLICY, "secrecy: {by: 李强, on: 2024-03-03, result: 不涉密}", "secrecy: {by: 李强, on: 2024-03-03}",
                   sign=False)  # outside the digest: the final review still matches the text
    pushed = ledger.commit("删去保密审查结论", "2024-04-01T09:00:00+08:00", author="王志刚")
    code, out, _ = audit(capsys, ledger, "log", "--since", "2024-04-01")
    assert code == 0 and out.splitlines()[0] == (
        f"2024-04-01 09:00  【不合规】未通过发布关口的版本  —  {POLICY_KEY}  测试市人民政府关于进一步优化营商环境的若干措施  "
        f"提交 {pushed[:8]}（王志刚）  终审 赵刚  终审摘要与文本相符，但发布关口拒绝发布这一版（保密审查缺少结论"
        "（secrecy.result）），网站上没有这一版；应补全或更正签署后重新发布（见 audit verify）")
    code, out, _ = audit(capsys, ledger, "log", "--json")
    assert [(e["kind"], e["approved"], e["refused"]) for e in json.loads(out)][-1] == (
        "unapproved", False, "保密审查缺少结论（secrecy.result）")
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "HEAD")
    assert code == 0 and "；发布关口拒绝了这一版（保密审查缺少结论（secrecy.result）），网站上没有公开。" \
                         "以下是公众当时看到的版本" in err and "result: 不涉密" in out


def test_diff_labels_a_hash_recorded_for_a_replaced_attachment_a_new_file(ledger, capsys):
    ledger.path("attachments").mkdir()
    ledger.path("attachments/a.doc").write_bytes(b"a")
    ledger.set_field(POLICY, "attachments", "[attachments/a.doc]")
    ledger.commit("附上原文", "2024-04-01T09:00:00+08:00")
    ledger.set_field(POLICY, "attachments", f"[{{file: attachments/a.doc, sha256: {'a' * 64}}}]")
    ledger.commit("补记附件校验值", "2024-04-02T09:00:00+08:00")
    _, out, _ = audit(capsys, ledger, "diff", "HEAD~1", "HEAD")
    assert f"[一般更新] {POLICY_KEY}" in out
    ledger.git("reset", "-q", "--hard", "HEAD~1")
    ledger.path("attachments/a.doc").write_bytes(b"a, replaced")
    ledger.set_field(POLICY, "attachments", f"[{{file: attachments/a.doc, sha256: {'a' * 64}}}]")
    ledger.commit("更换附件并补记校验值", "2024-04-02T09:00:00+08:00")
    _, out, _ = audit(capsys, ledger, "diff", "HEAD~1", "HEAD")
    assert f"[重大更新] {POLICY_KEY}" in out


def test_diff_names_a_document_whose_attachment_file_alone_was_swapped_or_deleted(ledger, capsys):
    ledger.path("attachments").mkdir()
    ledger.path("attachments/a.doc").write_bytes(b"a")
    ledger.set_field(POLICY, "attachments", "[{file: attachments/a.doc, title: 原文}]")
    ledger.commit("附上原文", "2024-04-01T09:00:00+08:00")
    ledger.path("attachments/a.doc").write_bytes(b"another file")
    ledger.commit("只换附件", "2024-04-02T09:00:00+08:00")
    _, out, _ = audit(capsys, ledger, "diff", "HEAD~1", "HEAD")
    assert f"[附件文件改动] {POLICY_KEY}  测试市人民政府关于进一步优化营商环境的若干措施  ({POLICY})\n" \
           "  附件 attachments/a.doc 被替换，文件本身没有改动，终审没有确认新的附件" in out
    assert out.endswith("共 1 个文件有发布变化\n")
    ledger.path("attachments/a.doc").unlink()
    ledger.commit("删去附件", "2024-04-03T09:00:00+08:00")
    _, out, _ = audit(capsys, ledger, "diff", "2024-04-03", "2024-04-03")
    assert "  附件 attachments/a.doc 被删除，" in out
    _, out, _ = audit(capsys, ledger, "diff", "2024-03-30", "2024-04-01")  # added with the document's change
    assert "[附件文件改动]" not in out and f"{POLICY_KEY}" in out


def number_given_to_a_new_document(ledger) -> str:
    """The policy's 索引号 changed on 2024-04-01 09:00 and given to a new document, 另一份新文件, committed on
    2024-05-01 09:00:30. Returns the policy's new number."""
    later = "11379900MB0000000X/2024-00013"
    ledger.set_field(POLICY, "index_no", later)
    ledger.commit("改索引号", "2024-04-01T09:00:00+08:00")
    newcomer = ledger.path("policy/another.md")  # a new document given the number the policy had
    newcomer.write_text(ledger.path(POLICY).read_text("utf-8").replace(later, POLICY_KEY).replace(
        "title: 测试市人民政府关于进一步优化营商环境的若干措施", "title: 另一份新文件"), "utf-8")
    resign(newcomer)
    ledger.commit("新文件沿用旧索引号", "2024-05-01T09:00:30+08:00")
    return later


def test_show_finds_the_document_that_had_the_index_number_at_that_time(ledger, capsys):
    later = number_given_to_a_new_document(ledger)
    first = (FIXTURE_SITE / POLICY).read_bytes()
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "2024-03-20")
    assert code == 0 and out.encode("utf-8") == first
    assert err.startswith(f"{POLICY_KEY} 是这个文件从前的索引号（或网址标识），现在是 {later}"
                          f"（现在用 {POLICY_KEY} 的是另一个文件：另一份新文件）\n")
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "2024-05-02")
    assert code == 0 and "title: 另一份新文件" in out and err.startswith(f"{POLICY_KEY}：2024-05-02 23:59 时的版本")
    code, out, err = audit(capsys, ledger, "show", later, "--at", "2024-03-20")  # the number came later
    assert code == 0 and out.encode("utf-8") == first
    assert err.startswith(f"{later}：2024-03-20 23:59 时没有文件用这个索引号（或网址标识）；以下是现在用它的文件当时的版本，"
                          f"当时它的索引号是 {POLICY_KEY}；这个文件 2024-04-01 09:00 起用 {later}\n")


def test_show_after_the_only_document_with_the_number_gave_it_up_says_until_when(ledger, capsys):
    later = "11379900MB0000000X/2024-00013"
    ledger.set_field(POLICY, "index_no", later)
    ledger.commit("改索引号", "2024-04-01T09:00:00+08:00")
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "2024-04-15")
    assert code == 0 and f"index_no: {later}\n" in out  # the file as it was then, under its number then
    gave_up = (f"{POLICY_KEY}：2024-04-15 23:59 时没有文件用这个索引号（或网址标识）；以下是从前用它的文件当时的版本，"
               f"当时它的索引号是 {later}；这个文件 2024-03-09 18:00 至 2024-04-01 09:00 用 {POLICY_KEY}")
    assert err.splitlines()[:3] == [f"{POLICY_KEY} 是这个文件从前的索引号（或网址标识），现在是 {later}", gave_up,
                                    f"{POLICY_KEY}：2024-04-15 23:59 时的版本，提交 {ledger.repo.head.commit.hexsha[:8]}"
                                    f"（2024-04-01 09:00，张晓燕），文件 {POLICY}；已发布，公开的第2版；终审 赵刚"]
    ledger.path(POLICY).unlink()
    ledger.commit("删除", "2024-06-01T09:00:00+08:00")
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "2024-07-01")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == f"{POLICY_KEY} 是这个文件从前的索引号（或网址标识）；这个文件已被删除，删除前的索引号是 {later}"
    assert lines[1] == gave_up.replace("2024-04-15", "2024-07-01") and lines[2].endswith("：文件已被删除（不合规）")


def test_show_between_a_number_given_up_and_given_to_a_new_document_names_both(ledger, capsys):
    later = number_given_to_a_new_document(ledger)
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "2024-04-15")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{POLICY_KEY}：2024-04-15 23:59 时没有文件用这个索引号（或网址标识），不显示任何文件。先后用过它的文件：",
        f"  此前：“测试市人民政府关于进一步优化营商环境的若干措施”2024-03-09 18:00 起用它，2024-04-01 09:00 改为 {later}"
        f"（这个文件现在的索引号）。查看它 2024-04-15 23:59 时的版本：scripts/audit show {later} --at 2024-04-15",
        f"  此后：“另一份新文件”2024-05-01 09:00 起用它。查看它用这个索引号时的版本："
        f"scripts/audit show {POLICY_KEY} --at '2024-05-01 09:00:30'"]
    code, out, _ = audit(capsys, ledger, "show", later, "--at", "2024-04-15")  # the commands given show each
    assert code == 0 and f"index_no: {later}\n" in out
    code, out, _ = audit(capsys, ledger, "show", POLICY_KEY, "--at", "2024-05-01 09:00:30")
    assert code == 0 and "title: 另一份新文件" in out
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY.lower(), "--at", "2024-01-01")  # before both
    assert code == 1 and out == "" and "还没有这个文件" not in err
    assert [line[:4] for line in err.splitlines()[1:]] == ["  此后", "  此后"]
    assert err.index("起用它，2024-04-01 09:00 改为") < err.index("“另一份新文件”2024-05-01 09:00 起用它")


def test_show_after_two_documents_swapped_index_numbers(ledger, capsys):
    other = "11379900MB00000010/2024-00031"
    ledger.set_field(POLICY, "index_no", other)
    ledger.set_field(INTERPRETATION, "index_no", POLICY_KEY)
    ledger.set_field(INTERPRETATION, "interprets", f"[{other}]")
    ledger.commit("互换索引号", "2024-04-01T09:00:00+08:00")
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "2024-03-20")
    assert code == 0 and out.encode("utf-8") == (FIXTURE_SITE / POLICY).read_bytes()
    assert err.startswith(f"{POLICY_KEY} 是这个文件从前的索引号（或网址标识），现在是 {other}"
                          f"（现在用 {POLICY_KEY} 的是另一个文件：《测试市人民政府关于进一步优化营商环境的若干措施》政策解读）\n")
    code, out, err = audit(capsys, ledger, "show", other.lower(), "--at", "2024-03-20")  # typed in lower case
    assert code == 0 and out.encode("utf-8") == (FIXTURE_SITE / INTERPRETATION).read_bytes()
    assert err.startswith(f"{other} 是这个文件从前的索引号（或网址标识），现在是 {POLICY_KEY}"
                          f"（现在用 {other} 的是另一个文件：测试市人民政府关于进一步优化营商环境的若干措施）\n{other}：2024-03-20 23:59 时的版本")
    code, out, err = audit(capsys, ledger, "show", POLICY_KEY, "--at", "2024-04-02")
    assert code == 0 and "title: 《测试市人民政府关于进一步优化营商环境的若干措施》政策解读" in out
    assert err.startswith(f"{POLICY_KEY}：2024-04-02 23:59 时的版本")
    _, out, _ = audit(capsys, ledger, "log", "--until", "2024-03-09")  # each named by its key then, and now
    assert f"  首次发布  第1版  {other}（现为 {POLICY_KEY}）  《测试市人民政府关于进一步优化营商环境的若干措施》政策解读  " in out
    assert f"  首次发布  第1版  {POLICY_KEY}（现为 {other}）  测试市人民政府关于进一步优化营商环境的若干措施  " in out


def test_diff_takes_a_file_moved_and_rewritten_in_one_commit_as_one_document(ledger, capsys):
    text = ledger.path(POLICY).read_text("utf-8")
    head, sep, _ = text[4:].partition("\n---\n")
    moved = ledger.path("policy/renamed.md")  # Git sees a deletion and an addition: too little text in common
    moved.write_text("---\n" + head.replace("change_note: 首次发布", "change_note: 全文重写") + sep +
                     "".join(f"第{i}条 全新的内容，与原文完全不同。\n" for i in range(30)), "utf-8")
    ledger.path(POLICY).unlink()
    resign(moved)
    ledger.commit("改名并重写", "2024-04-01T09:00:00+08:00")
    code, out, _ = audit(capsys, ledger, "diff", "2024-04-01", "2024-04-01")
    assert code == 0 and "删除已发布文件]" not in out and "[首次发布]" not in out
    assert f"\n[重大更新] {POLICY_KEY}  测试市人民政府关于进一步优化营商环境的若干措施  ({POLICY} → policy/renamed.md)\n" \
           "  全文重写\n" in out
    assert "  更新说明：首次发布 → 全文重写" in out and "第29条 全新的内容，与原文完全不同。" in out
    assert out.endswith("共 1 个文件有发布变化\n")
    _, out, _ = audit(capsys, ledger, "log", "--since", "2024-04-01")
    assert f"  重大更新  第2版  {POLICY_KEY}  " in out  # as the ledger has it


def test_diff_lists_the_events_that_cancel_out_between_the_two_states(ledger, capsys):
    ledger.withdraw(POLICY, "2024-04-01", "需要修改")
    withdrawn = ledger.commit("撤回政策", "2024-04-01T09:00:00+08:00")
    ledger.path(POLICY).write_bytes((FIXTURE_SITE / POLICY).read_bytes())
    ledger.commit("恢复政策", "2024-05-01T09:00:00+08:00")
    kept = ledger.path(RELEASE).read_bytes()
    ledger.path(RELEASE).unlink()
    deleted = ledger.commit("删除新闻", "2024-06-01T09:00:00+08:00", author="陈建国")
    ledger.path(RELEASE).write_bytes(kept)
    ledger.commit("重新加入新闻", "2024-07-01T09:00:00+08:00")
    code, out, _ = audit(capsys, ledger, "diff", "2024-03-31", "2024-07-31")
    assert code == 0 and "这段时间没有发布变化" not in out
    assert "\n这段时间里还有以下发布事件（两个时间点的比较中看不出，例如撤回后又恢复、中间的更新）：\n" in out
    assert f"\n[撤回、恢复发布] {POLICY_KEY}  测试市人民政府关于进一步优化营商环境的若干措施  ({POLICY})\n" \
           f"  2024-04-01 09:00  撤回  第2版  提交 {withdrawn[:8]}（张晓燕）  撤回原因：需要修改\n" \
           "  2024-05-01 09:00  恢复发布  第3版  提交 " in out
    assert "\n[不合规·删除已发布文件、重新发布] spring-meeting  市政府召开常务会议研究部署春季重点工作  " \
           f"({RELEASE})\n  2024-06-01 09:00  【不合规】删除已发布文件  —  提交 {deleted[:8]}（陈建国）  " \
           "已发布文件的源文件被删除，网页随之消失；应改为撤回（status: withdrawn），保留网址和历史\n" in out
    assert out.endswith("共 2 个文件有发布变化\n")
    code, out, _ = audit(capsys, ledger, "diff", "2024-03-31", "2024-04-30")  # the withdrawal shows in the states
    assert "[撤回] " in out and "看不出" not in out and out.endswith("共 1 个文件有发布变化\n")


def test_show_during_a_version_that_cannot_be_read_prints_what_the_public_saw(ledger, capsys):
    release = ledger.path(RELEASE)
    release.write_bytes(release.read_text("utf-8").replace("研究部署", "研究部署了").encode("gbk"))
    unreadable = ledger.commit("GBK 编码", "2024-04-03T09:00:00+08:00")
    code, out, err = audit(capsys, ledger, "show", "spring-meeting", "--at", "2024-04-03")
    assert code == 0 and out.encode("utf-8") == (FIXTURE_SITE / RELEASE).read_bytes()
    assert err.startswith(f"spring-meeting：2024-04-03 23:59 时的版本，提交 {unreadable[:8]}（2024-04-03 09:00，张晓燕），"
                          f"文件 {RELEASE}；这一版无法读取（文件不是 UTF-8 编码（看起来是 GBK/GB18030 编码），")
    assert "），构建时被拒绝，网站上没有公开。以下是公众当时看到的版本：提交 " in err and "草稿" not in err
    assert err.rstrip().endswith("；已发布，公开的第1版；终审 赵刚")


def test_show_during_a_version_that_cannot_be_read_says_the_key_the_public_version_had(ledger, capsys):
    """The version at that time cannot be read (nor its key): the public one shown had another key, which is said."""
    text = ledger.path(RELEASE).read_text("utf-8")
    ledger.path(RELEASE).unlink()
    renamed = ledger.path("release/spring-meeting-2.md")  # the key is the file name (no slug)
    renamed.write_text(text.replace("title: ", 'title: "', 1), "utf-8")  # a quote not closed: cannot be read
    ledger.commit("改名，引号未闭合", "2024-04-03T09:00:00+08:00")
    renamed.write_text(text, "utf-8")
    ledger.commit("改正", "2024-04-05T09:00:00+08:00")
    code, out, err = audit(capsys, ledger, "show", "spring-meeting-2", "--at", "2024-04-03")
    assert code == 0 and out.encode("utf-8") == (FIXTURE_SITE / RELEASE).read_bytes()
    assert "这一版无法读取（" in err and "，当时它的索引号（或网址标识）是 spring-meeting；已发布，公开的第1版；终审 赵刚" in err


def test_errors_say_how_to_put_them_right(history, capsys, tmp_path):
    code, _, err = audit(capsys, history, "verify", "--since", "nope")
    assert code == 2 and err.strip() == "--since “nope”不是提交或标签：写主线上的提交号（git log --first-parent 列出）" \
                                        "或标签，例如 --since HEAD~10"
    code, _, err = audit(capsys, history, "show", "11379900MB0000000X/2024-0012", "--at", "2024-05-01")
    assert code == 2 and err.startswith("发布历史中没有索引号（或网址标识）为“11379900MB0000000X/2024-0012”的文件："
                                        f"相近的有 {POLICY_KEY}、")  # the nearest first
    assert err.rstrip().endswith("；各文件的索引号见 audit log")
    code, _, err = audit(capsys, history, "show", "nosuch", "--at", "2024-05-01")
    assert code == 2 and err.strip().endswith("的文件：各文件的索引号（没有索引号的是网址标识）见 audit log")
    code, _, err = audit(capsys, history, "log", "--path", str(tmp_path))
    assert code == 2 and err.strip() == f"{tmp_path} 不在内容目录 {history.content} 中：--path 写内容目录中的文件或目录，" \
                                        "例如 --path policy/"
    kept = tmp_path / "kept.json"
    code, _, err = audit(capsys, history, "verify-site", str(tmp_path), "--manifest", str(kept))
    assert code == 2 and err.strip() == f"读不到 {kept}（文件不存在）：--manifest 应指向构建时留存的清单副本，请检查路径"
    kept.write_text('{"format": 1, "files": ', "utf-8")
    code, _, err = audit(capsys, history, "verify-site", str(tmp_path), "--manifest", str(kept))
    assert code == 2 and err.strip() == f"{kept} 第 1 行不是有效的 JSON：--manifest 指定的清单已损坏，请用另一份构建时留存的副本"


def test_diff_lists_a_scheduled_publication_of_a_document_listed_for_another_change(history, capsys):
    # the release, committed 2024-03-09 18:00 for 2024-03-10 16:00, became public after FROM and was withdrawn before TO
    code, out, _ = audit(capsys, history, "diff", "HEAD~3", "2024-06-30")
    assert code == 0 and "\n[撤回] spring-meeting  " in out
    assert "\n[首次发布] spring-meeting  市政府召开常务会议研究部署春季重点工作  (release/spring-meeting.md)\n" \
           "  2024-03-10 16:00  首次发布  第1版  提交 " in out
