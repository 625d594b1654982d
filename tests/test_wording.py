"""错敏词: each category blocked (or warned) at its line and column, with the fix; waivers; speed."""
from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from govportal.issues import Severity
from govportal.model import Document
from govportal.repository import load_repository
from govportal.wording import Entry, Matcher, bench_wording, check_document, load_wordlists
from tests.conftest import ROOT

RELEASE = "release/spring-meeting.md"
NOW = dt.datetime(2024, 6, 1)
KEEP = "；确需保留的，由终审人在 waivers 中豁免并写明理由"
SHIFT = "，line 写 {}（行号不计 waivers 本身的 2 行）"  # below a waivers entry of two lines


@pytest.fixture
def site(site_dir: Path) -> Path:
    """The fixture site with the shipped word lists."""
    shutil.copytree(ROOT / "content" / "_data" / "wordlists", site_dir / "_data" / "wordlists")
    return site_dir


def with_body(site: Path, body: str, meta: str = "", name: str = RELEASE) -> None:
    """Replace the body (the first body line is line 19 of the release) and add metadata lines."""
    path = site / name
    text = path.read_text("utf-8")
    end = text.index("---\n", 4)
    path.write_text(text[:end] + meta + "---\n" + body, "utf-8")


def edit(site: Path, old: str, new: str) -> None:
    """Replace text in the release's metadata."""
    path = site / RELEASE
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")


def wording(site: Path, severity: Severity | None = None) -> list[str]:
    repo = load_repository(site, now=NOW)
    return [i.format() for i in repo.issues if (i.field.startswith("错敏词") or i.field == "waivers")
            and (severity is None or i.severity is severity)]


def test_shipped_word_lists_are_valid_and_cover_every_category():
    entries, issues = load_wordlists(ROOT / "content")
    assert issues == []
    assert len(entries) >= 40
    assert {"错别字", "固定表述", "禁用词"} <= {e.category for e in entries}
    assert {e.level for e in entries} == {"block", "warn"}


def test_wrong_character(site):
    with_body(site, "市人民政付召开会议。\n\n本办法由中华人民共合国有关部门解释。\n")
    assert wording(site) == [
        f"release/spring-meeting.md:19:2: 错敏词/错别字: 正文中有错别字“人民政付”（改为“人民政府”{KEEP}）",
        f"release/spring-meeting.md:21:5: 错敏词/错别字: 正文中有错别字“中华人民共合国”（改为“中华人民共和国”{KEEP}）"]


def test_wrong_fixed_expression_in_title(site):
    edit(site, "title: 市政府", "title: 市政府学习党十九大精神并")
    assert wording(site) == [
        f"release/spring-meeting.md:2:13: 错敏词/固定表述: 标题中有不规范的固定表述“党十九大”（改为“党的十九大”{KEEP}）"]


def test_forbidden_term_in_summary(site):
    with_body(site, "正文。\n", meta="summary: 会见南朝鲜代表团。\n")
    assert wording(site) == [
        f"release/spring-meeting.md:18:12: 错敏词/禁用词: 内容概述中有禁用词“南朝鲜”（改为“韩国”{KEEP}）"]


def test_keywords_and_the_change_note_are_checked_too(site):
    with_body(site, "正文。\n", meta="keywords:\n  - 春季工作\n  - 南朝鲜\n")
    edit(site, "change_note: 首次发布", "change_note: 更正人民政付的名称")
    assert wording(site) == [
        f"release/spring-meeting.md:8:16: 错敏词/错别字: 更新说明中有错别字“人民政付”（改为“人民政府”{KEEP}）",
        f"release/spring-meeting.md:20:5: 错敏词/禁用词: 主题词中有禁用词“南朝鲜”（改为“韩国”{KEEP}）"]


def test_every_public_text_of_the_metadata_is_checked(site):
    edit(site, "status: published", "status: withdrawn")
    with_body(site, "正文。\n", meta="withdrawal: {on: 2024-05-01, by: 赵刚, reason: 人民政付通知}\n"
                                     "attachments:\n  - {file: attachments/a.pdf, title: 南朝鲜来函}\n"
                                     "  - attachments/b.pdf\n")
    found = wording(site)
    assert [line.split(": ", 2)[2] for line in found][:2] == [f"撤回原因中有错别字“人民政付”（改为“人民政府”{KEEP}）",
                                                             f"附件标题中有禁用词“南朝鲜”（改为“韩国”{KEEP}）"]
    assert [line.split(":")[1] for line in found][:2] == ["18", "20"]


@pytest.mark.parametrize("written, fixed", [
    ("国办发[2017]47号", "国办发〔2017〕47号"),
    ("示政办发【2024】3号", "示政办发〔2024〕3号"),
    ("示政发(2023)8号", "示政发〔2023〕8号"),
    ("示政发（2023）8号", "示政发〔2023〕8号"),
    ("示政发〔2024〕第12号", "示政发〔2024〕12号"),
    ("示政发〔2024〕012号", "示政发〔2024〕12号"),
])
def test_wrong_doc_no_brackets_in_the_text(site, written, fixed):
    with_body(site, f"根据{written}文件要求，认真组织实施。\n")
    assert wording(site) == [
        f"release/spring-meeting.md:19:3: 错敏词/文号: 正文中有括号不规范的文号“{written}”（改为“{fixed}”{KEEP}）"]


def test_correct_doc_no_and_year_ranges_pass(site):
    with_body(site, "根据国办发〔2017〕47号文件，制定本市“十四五”（2021—2025年）规划（2021）。\n")
    assert wording(site) == []


def test_half_width_punctuation_between_chinese_is_a_warning(site):
    with_body(site, "会议指出,要做好工作;各部门(单位)要落实:确保实效!再接再厉。\n\n金额为1,000元，详见[链接](http://example.com/a,b)。\n")
    assert wording(site) == [
        "release/spring-meeting.md:19:5: 错敏词/标点: 正文中有夹在汉字之间的半角标点“,”（改为“，”） [警告]",
        "release/spring-meeting.md:19:11: 错敏词/标点: 正文中有夹在汉字之间的半角标点“;”（改为“；”） [警告]",
        "release/spring-meeting.md:19:15: 错敏词/标点: 正文中有夹在汉字之间的半角标点“(”（改为“（”） [警告]",
        "release/spring-meeting.md:19:18: 错敏词/标点: 正文中有夹在汉字之间的半角标点“)”（改为“）”） [警告]",
        "release/spring-meeting.md:19:22: 错敏词/标点: 正文中有夹在汉字之间的半角标点“:”（改为“：”） [警告]",
        "release/spring-meeting.md:19:27: 错敏词/标点: 正文中有夹在汉字之间的半角标点“!”（改为“！”） [警告]"]


def test_warn_level_entry_does_not_block(site):
    with_body(site, "请使用本人帐号登录。\n")
    assert wording(site) == ["release/spring-meeting.md:19:6: 错敏词/错别字: 正文中有错别字“帐号”（改为“账号”） [警告]"]


def test_blocking_hit_in_a_draft_is_only_a_warning(site):
    (site / "release" / "draft.md").write_text(
        "---\ntitle: 草稿\ntype: release\nissuer: 测试市人民政府办公室\ncolumn: 政务动态/通知公告\n"
        "status: draft\n---\n市攻府召开会议。\n", "utf-8")
    assert wording(site, Severity.ERROR) == []
    assert wording(site) == [f"release/draft.md:8:2: 错敏词/错别字: 正文中有错别字“攻府”（改为“政府”{KEEP}） [警告]"]


WAIVED_BODY = "引用原文：“北朝鲜代表团抵京”。\n\n今年北朝鲜代表团再次来访。\n"


def test_waiver_by_the_final_reviewer_with_a_reason(site):
    with_body(site, WAIVED_BODY)
    assert wording(site) == [f"release/spring-meeting.md:19:7: 错敏词/禁用词: 正文中有禁用词“北朝鲜”（改为“朝鲜”{KEEP}）",
                             f"release/spring-meeting.md:21:3: 错敏词/禁用词: 正文中有禁用词“北朝鲜”（改为“朝鲜”{KEEP}）"]
    # the line reported, although the waiver's two lines move the hit to line 21
    with_body(site, WAIVED_BODY, meta="waivers:\n  - {word: 北朝鲜, line: 19, reason: 引用1950年历史文献原文, by: 赵刚}\n")
    assert wording(site) == [
        f"release/spring-meeting.md:23:3: 错敏词/禁用词: 正文中有禁用词“北朝鲜”（改为“朝鲜”{KEEP}{SHIFT.format(21)}）"]
    repo = load_repository(site, now=NOW)
    [doc] = [d for d in repo.documents if d.source == RELEASE]
    [hit] = doc.waived
    assert (hit.line, hit.col, hit.word, hit.waived_by, hit.reason) == (21, 7, "北朝鲜", "赵刚", "引用1950年历史文献原文")


def test_waivers_name_hits_by_lines_that_adding_waivers_does_not_move(site):
    """Each waiver line moves the body down: the line a waiver names does not count the waivers, so the one
    make check reported before any waiver, or the one the fix names, stays right as waivers are added."""
    with_body(site, WAIVED_BODY, meta="waivers:\n  - {word: 北朝鲜, line: 19, reason: 引用原文, by: 赵刚}\n")
    [error] = wording(site)
    assert error.startswith("release/spring-meeting.md:23:3: ") and error.endswith(SHIFT.format(21) + "）")
    with_body(site, WAIVED_BODY, meta="  - {word: 北朝鲜, line: 21, reason: 引用原文, by: 赵刚}\n")  # a second waiver
    assert wording(site) == []
    [doc] = [d for d in load_repository(site, now=NOW).documents if d.source == RELEASE]
    assert [(hit.line, hit.col) for hit in doc.waived] == [(22, 7), (24, 3)]  # where they are in the file


@pytest.mark.parametrize("blank, at", [
    ("\n", "before the closing ---"),
    ("\n\n", "two, before the closing ---"),
    ("# 以下为正文\n", "a comment before the closing ---"),
])
def test_a_blank_line_below_the_waivers_is_not_one_of_theirs(site, blank, at):
    """Waivers written above a blank line that was there already (between two fields, or before the closing
    ---): the line a waiver names is still the one make check reported before it was written, and so is the
    line the error suggests (the blank line was counted as one of the waivers' lines: one too few)."""
    original = (site / RELEASE).read_text("utf-8")
    with_body(site, WAIVED_BODY, meta=blank)
    first, second = (19 + blank.count("\n"), 21 + blank.count("\n"))
    assert [e.split(":")[1] for e in wording(site)] == [str(first), str(second)], at
    (site / RELEASE).write_text(original, "utf-8")
    with_body(site, WAIVED_BODY, meta=f"waivers:\n  - {{word: 北朝鲜, line: {first}, reason: 引用原文, by: 赵刚}}\n{blank}")
    assert wording(site) == [f"release/spring-meeting.md:{second + 2}:3: 错敏词/禁用词: 正文中有禁用词“北朝鲜”"
                             f"（改为“朝鲜”{KEEP}{SHIFT.format(second)}）"], at


def test_a_blank_line_between_fields_below_the_waivers_is_not_one_of_theirs(site):
    path = site / RELEASE
    path.write_text(path.read_text("utf-8").replace("change_note: 首次发布\n", "change_note: 首次发布\n\n"), "utf-8")
    with_body(site, WAIVED_BODY)
    assert [e.split(":")[1] for e in wording(site)] == ["20", "22"]
    path.write_text(path.read_text("utf-8").replace(
        "change_note: 首次发布\n", "change_note: 首次发布\nwaivers:\n  - {word: 北朝鲜, line: 20, reason: 引用原文, by: 赵刚}\n"),
        "utf-8")
    assert wording(site) == [f"release/spring-meeting.md:24:3: 错敏词/禁用词: 正文中有禁用词“北朝鲜”"
                             f"（改为“朝鲜”{KEEP}{SHIFT.format(22)}）"]


@pytest.mark.parametrize("blank", ["\n", "\n\n", "  \n", "# 以下为正文\n", "\n# 以下为正文\n"])
@pytest.mark.parametrize("below", ["change_note: 首次发布\n", "---\n"])
def test_blank_lines_after_a_block_scalar_ending_the_waivers_are_not_theirs(site, blank, below):
    """A reason written as a block scalar (reason: |) at the end of the waivers: the blank lines below it, before
    the next field or the closing ---, are its line breaks to YAML (which drops them), not the waivers' lines;
    the line a waiver names and the line the error suggests do not count them (both were too few by them)."""
    path = site / RELEASE
    original = path.read_text("utf-8")
    at = original.index(below, 4)
    path.write_text(original[:at] + blank + original[at:], "utf-8")
    with_body(site, WAIVED_BODY)
    first, second = (int(e.split(":")[1]) for e in wording(site))
    text = path.read_text("utf-8")
    waiver = f"waivers:\n  - word: 北朝鲜\n    line: {first}\n    by: 赵刚\n    reason: |\n      引用原文\n"
    path.write_text(text[:at] + waiver + text[at:], "utf-8")
    assert wording(site) == [f"release/spring-meeting.md:{second + 6}:3: 错敏词/禁用词: 正文中有禁用词“北朝鲜”"
                             f"（改为“朝鲜”{KEEP}，line 写 {second}（行号不计 waivers 本身的 6 行））"]


def test_blank_lines_written_inside_the_waivers_are_theirs(site):
    """Between ``waivers:`` and its entries, or between two entries: the waivers' own lines, so adding or
    removing one there moves no waiver off its hit."""
    with_body(site, WAIVED_BODY, meta="waivers:\n\n  - {word: 北朝鲜, line: 19, reason: 引用原文, by: 赵刚}\n")
    assert wording(site) == [f"release/spring-meeting.md:24:3: 错敏词/禁用词: 正文中有禁用词“北朝鲜”"
                             f"（改为“朝鲜”{KEEP}，line 写 21（行号不计 waivers 本身的 3 行））"]
    with_body(site, WAIVED_BODY, meta="\n  - {word: 北朝鲜, line: 21, reason: 引用原文, by: 赵刚}\n")  # a second waiver
    assert wording(site) == []


def test_waiver_without_line_covers_every_hit_of_the_word(site):
    with_body(site, WAIVED_BODY, meta="waivers:\n  - {word: 北朝鲜, reason: 历史文献, by: 赵刚}\n")
    assert wording(site) == []


def test_waived_hits_are_shown_to_auditors_by_check(site, capsys):
    from govportal import check

    with_body(site, WAIVED_BODY, meta="waivers:\n  - {word: 北朝鲜, reason: 历史文献, by: 赵刚}\n")
    check.main([str(site), "--cache", "", "--now", "2024-06-01T00:00"])
    out = capsys.readouterr().out
    assert "release/spring-meeting.md:21:7: 错敏词/禁用词: 已豁免“北朝鲜”：历史文献（赵刚） [提示]" in out
    assert "release/spring-meeting.md:23:3: 错敏词/禁用词: 已豁免“北朝鲜”：历史文献（赵刚） [提示]" in out


def test_waiver_without_a_reason_is_an_error(site):
    with_body(site, WAIVED_BODY, meta="waivers:\n  - {word: 北朝鲜, by: 赵刚}\n")
    assert wording(site) == [
        "release/spring-meeting.md:19: waivers: 豁免“北朝鲜”没有写明理由（reason），不能生效"
        "（由终审人赵刚写明为何保留该表述：reason: …）",
        f"release/spring-meeting.md:21:7: 错敏词/禁用词: 正文中有禁用词“北朝鲜”（改为“朝鲜”{KEEP}{SHIFT.format(19)}）",
        f"release/spring-meeting.md:23:3: 错敏词/禁用词: 正文中有禁用词“北朝鲜”（改为“朝鲜”{KEEP}{SHIFT.format(21)}）"]


def test_waiver_by_someone_else_is_an_error(site):
    with_body(site, "北朝鲜。\n", meta="waivers:\n  - {word: 北朝鲜, reason: 历史文献, by: 王敏}\n")
    assert wording(site) == [
        "release/spring-meeting.md:19: waivers: 豁免“北朝鲜”由“王敏”签署，只有终审人（review.final.by：赵刚）可以豁免"
        "（写 by: 赵刚，由终审人确认）",
        f"release/spring-meeting.md:21:1: 错敏词/禁用词: 正文中有禁用词“北朝鲜”（改为“朝鲜”{KEEP}{SHIFT.format(19)}）"]


def test_unused_waiver_is_a_warning(site):
    with_body(site, "正文。\n", meta="waivers:\n  - {word: 北朝鲜, reason: 历史文献, by: 赵刚}\n")
    assert wording(site) == ["release/spring-meeting.md:19: waivers: 豁免“北朝鲜”没有对应的命中（文本已改正的，删除这条豁免） [警告]"]


def test_bad_word_list_entries_are_reported_with_file_and_line(site):
    (site / "_data" / "wordlists" / "local.yml").write_text(
        "- {word: 示例错词, category: 错别字, level: stop, suggestion: 示例}\n- {category: 禁用词, level: block}\n"
        "- {word: 攻府, category: 错别字, level: block, suggestion: 政府}\n", "utf-8")
    issues = [i.format() for i in load_repository(site, now=NOW).issues if i.path.startswith("_data/")]
    assert issues == [
        "_data/wordlists/local.yml:1: level: 词条“示例错词”的 level“stop”无效（可选：block | warn）",
        "_data/wordlists/local.yml:2: word: 词条缺少 word（写成 {word: 词, category: 类别, level: block, suggestion: 建议}）",
        "_data/wordlists/local.yml:3: word: 词条“攻府”重复（_data/wordlists/cuobiezi.yml:6 已有）（删除其中一个） [警告]"]


@pytest.mark.parametrize("text, line, message", [
    ("- {word: 攻府, category: 错别字, level: block\n- {word: 帐号, category: 错别字, level: warn}\n", 1,
     "花括号没有结束（缺少“}”，或项之间缺少逗号）（写成“{by: 姓名, on: 日期}”，在同一行内用“}”结束）"),
    ("- {word: 攻府, category: 错别字, level: block}\n\t- {word: 帐号, category: 错别字, level: warn}\n", 2,
     "这一行用了 Tab 缩进（YAML 只能用空格缩进：把 Tab 换成两个空格）"),
    ("- {word: 攻府, category: 错别字, level: block}\n- {word: !!int 帐号, category: 错别字, level: warn}\n", 2,
     "值以“!”开头，YAML 把它当成了类型标记（给整个值加引号，例如 title: \"!重要通知\"）"),
])
def test_a_word_list_that_is_not_yaml_is_said_in_chinese_at_its_line(site, text, line, message):
    (site / "_data" / "wordlists" / "local.yml").write_text(text, "utf-8")
    issues = [i.format() for i in load_repository(site, now=NOW).issues if i.path.startswith("_data/")]
    assert issues == [f"_data/wordlists/local.yml:{line}: YAML: 词表不是合法的 YAML：{message}"]


def test_every_hit_of_overlapping_words_is_found():
    matcher = Matcher([Entry("人民代表大常", "固定表述", "block", "人民代表大会"), Entry("代表大常委", "错别字", "block", "")])
    doc = Document(source="x.md", meta={}, body="全国人民代表大常委会", body_line=5, lines={}, status="published")
    issues, _ = check_document(doc, matcher)
    assert [(i.line, i.col, i.field) for i in issues] == [(5, 3, "错敏词/固定表述"), (5, 5, "错敏词/错别字")]


def test_thousands_of_patterns_stay_fast():
    result = bench_wording(300, patterns=5000, doc_chars=2500)
    assert result["patterns"] == 5000 and result["docs"] == 300
    assert result["issues"] == 2 * (300 // 50)  # 文号 and 标点; 攻府 is not among the random words
    # flat in the number of words (over Chinese text, pyahocorasick alone slows down several times)
    few = min(bench_wording(300, patterns=50)["check_s"] for _ in range(3))
    many = min(bench_wording(300, patterns=5000)["check_s"] for _ in range(3))
    assert many < 2.5 * few, (few, many)


# ---- the quick screen the publication history runs on every version ----------------------------------------------

SCREEN_ENTRIES = [Entry("攻府", "错别字", "block", "政府", "t"), Entry("北朝鲜", "禁用词", "block", "朝鲜", "t"),
                  Entry("其它", "错别字", "warn", "其他", "t")]
SCREEN_PIECES = ["攻府", "攻", "府", "北朝鲜", "朝鲜", "其它", "国办发", "测政发", "[", "]", "〔", "〕", "（", "）", "(",
                 ")", "2017", "2024", "20", "19", "47", "０", "0", "号", "第", "\n", "，", ",", " ", "的", "a", "é"]
screen_texts = st.lists(st.sampled_from(SCREEN_PIECES), max_size=30).map("".join)


@pytest.mark.parametrize("regex_max", [0, 300])  # the automaton, the regular expression
@given(text=screen_texts)
def test_the_screen_finds_a_blocking_hit_exactly_where_the_check_does(regex_max, text):
    from govportal.wording import Screen

    expected = any(hit[4] == "block" for hit in Matcher(SCREEN_ENTRIES).scan(text))
    assert Screen(SCREEN_ENTRIES, regex_max).finds(text) == expected


@given(screen_texts, screen_texts)
def test_screening_the_changed_lines_of_a_clean_text_finds_what_screening_all_of_it_finds(old, new):
    from govportal.history.datarules import changed_lines
    from govportal.wording import Screen

    screen = Screen(SCREEN_ENTRIES)
    assume(not screen.finds(old))
    part = changed_lines(old.encode(), new.encode()).decode("utf-8", "replace")
    assert screen.finds(part) == screen.finds(new)
