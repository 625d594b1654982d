"""Every kind of bad input is reported as path:line: field: message (fix), in Chinese."""
from __future__ import annotations

import posixpath
from pathlib import Path

import pytest

from govportal.repository import load_repository

POLICY = Path(__file__).parent / "fixtures" / "site" / "policy" / "cezhengfa-2024-12.md"


def policy_text(**changes: str) -> str:
    """The valid fixture policy with some front matter lines replaced (key -> whole new line or '')."""
    lines = POLICY.read_text("utf-8").split("\n")
    out = []
    for line in lines:
        key = line.split(":", 1)[0]
        if key in changes and not line.startswith(" "):
            if changes[key]:
                out.append(changes[key])
            continue
        out.append(line)
    return "\n".join(out)


def problems(content: Path) -> list[str]:
    """The errors of the content model only: editing a fixture breaks its 终审 digest, which
    tests/test_gate.py checks; here the publishing gate is left out."""
    repo = load_repository(content, gate=False)
    return [i.format() for i in repo.errors]


def add(content: Path, name: str, data: str | bytes) -> None:
    path = content / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def add_draft(content: Path, lines: str) -> None:
    """policy/bad.md: a draft policy whose front matter has ``lines`` from its third line on."""
    add(content, "policy/bad.md", f"---\ntype: policy\n{lines}\nstatus: draft\n---\n正文\n")


def test_fixture_site_is_valid(site_dir):
    repo = load_repository(site_dir)
    assert repo.issues == []
    assert len(repo.documents) == 3


def test_malformed_yaml(site_dir):
    add(site_dir, "policy/bad.md", "---\ntitle: 测试\nkeywords: [营商环境, 市场主体\ntype: policy\n---\n正文\n")
    [msg] = problems(site_dir)
    assert msg == ("policy/bad.md:3: keywords: 元数据不是合法的 YAML：方括号列表没有结束（缺少“]”，或项之间缺少逗号）"
                   "（写成“[值1, 值2]”，在同一行内用“]”结束）")


@pytest.mark.parametrize("line, message", [
    ('title: "市政府召开常务会议', '3: title: 引号没有闭合：值以 " 开头，这一行没有结束的 "（在值的末尾补上 "）'),
    ("title:市政府召开常务会议", "3: title: 冒号后缺少空格（写成“title: …”）"),
    ("doc_no:示政发〔2024〕12号", "3: doc_no: 冒号后缺少空格（写成“doc_no: …”）"),
    ("review:\n  first:{by: 王敏, on: 2024-03-01}", "4: review.first: 冒号后缺少空格（写成“first: …”）"),
    ("review:\n  first: {by:王敏, on: 2024-03-01}", "4: review.first.by: 冒号后缺少空格（写成“by: …”）"),
    ("summary:\n  doc_no:示政发〔2024〕12号", "4: summary.doc_no: 冒号后缺少空格（写成“doc_no: …”）"),
    ("review:\n\u3000\u3000first: {by: 王敏, on: 2024-03-01}", "4: review.first: 缩进中有全角空格（改用半角空格）"),
    ("review:\n  first: {by: 王敏, on: 2024-03-01}\n \u3000second: {by: 李强, on: 2024-03-02}",
     "5: review.second: 缩进中有全角空格（改用半角空格）"),
    ("title: 关于: 通知", "3: title: 元数据不是合法的 YAML：值里有“冒号加空格”"),
    ("review:\n\tfirst: {by: 王敏, on: 2024-03-01}", "4: review: 元数据不是合法的 YAML：这一行用了 Tab 缩进"),
    ("review:\n  first: a\n second: b", "5: review: 元数据不是合法的 YAML：缩进不一致"),
    ("title: [转载]关于印发的通知", "3: title: “]”之后还有文字“关于印发的通知”：值以“[”开头，YAML 把括号中的部分读成了列表"
                              "（给整个值加引号，例如 title: \"[转载]关于印发的通知\"；或把括号改为全角的【】或（））"),
    ("keywords: [营商环境, 市场主体]]", "3: keywords: 多了一个“]”：前面没有与它成对的括号（删去多余的“]”）"),
    ("title: !!int 通知", "3: title: 元数据不是合法的 YAML：值以“!”开头，YAML 把它当成了类型标记"),
    ("title: 通知\n  - 甲", "4: title: 续行以“- ”开头，看起来像列表项，YAML 却把它接在上面的值后面，读成了一段文字“通知 - 甲”"
                          "（要写列表：字段名后不写值，下一行起每项一行、缩进两个空格写“- 值”，并检查缩进；“- ”是文字的一部分时，"
                          "给整个值加引号，例如 title: \"通知 - 甲\"）"),
    ("keywords: 营商环境\n  - 市场主体", "4: keywords: 续行以“- ”开头，看起来像列表项"),
])
def test_yaml_errors_in_chinese_at_the_line_to_change(site_dir, line, message):
    add_draft(site_dir, line)
    [msg] = problems(site_dir)
    assert msg.startswith(f"policy/bad.md:{message}")


@pytest.mark.parametrize("lines, line, field", [
    ("summary:\n\u3000\u3000从市场准入等方面提出措施。", 4, "summary"),
    ("summary: 从市场准入、政务服务等方面\n\u3000\u3000提出22条措施。", 4, "summary"),
    ("summary: 从市场准入、政务服务等方面\n  \u3000\u3000提出22条措施。", 4, "summary"),
    ("keywords: [营商环境,\n\u3000市场主体]", 4, "keywords"),
    ("review:\n  final: {by: 赵刚,\n  \u3000on: 2024-03-04}", 5, "review.final.on"),
    ("title: 通知\n\u3000\u3000\nsummary: 内容", 4, "YAML"),
])
def test_a_fullwidth_space_in_the_indentation_is_pointed_out_before_any_content(site_dir, lines, line, field):
    """YAML takes a full-width space for text, not indentation: before a continuation of a value it said the line
    was not “字段: 值”, or kept the full-width spaces in the middle of the value."""
    add_draft(site_dir, lines)
    [msg] = problems(site_dir)
    message = "这一行只有全角空格（删去这些全角空格）" if field == "YAML" else "缩进中有全角空格（改用半角空格）"
    assert msg == f"policy/bad.md:{line}: {field}: {message}"


@pytest.mark.parametrize("lines", [
    "summary: |\n  \u3000\u3000从市场准入等方面\n  \u3000\u3000提出22条措施。",
    'summary: "从市场准入等方面\n  \u3000\u3000提出22条措施。"',
    "summary: '从市场准入等方面\n\n  \u3000\u3000提出22条措施。'",
    'keywords: ["营商环境,\n  \u3000市场主体"]',
    "summary: \u3000\u3000从市场准入等方面提出22条措施。",
    "title: 关于\u3000印发\u3000通知",
    'summary: "第一段\n  note：见附件"',
])
def test_a_fullwidth_space_inside_a_value_is_the_value_s(site_dir, lines):
    add_draft(site_dir, lines)
    assert not [m for m in problems(site_dir) if "policy/bad.md:" in m and ("全角" in m or "YAML" in m)]


@pytest.mark.parametrize("old, new, line, field, quote", [
    ("title: 测试市", 'title: "测试市', 2, "title", '"'),
    ("summary: 从", "summary: '从", 12, "summary", "'"),
    ("keywords: [营商环境", 'keywords: ["营商环境', 11, "keywords", '"'),
    ("  second: {by: 李强", '  second: {by: "李强', 18, "review.second.by", '"'),
])
def test_an_unclosed_quote_is_reported_where_it_was_opened(site_dir, old, new, line, field, quote):
    """YAML reads on to the next quote of the kind (the digest's, lines below), taking the fields in between as
    the value, and gives up far from the line to change."""
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text().replace(old, new, 1))
    assert problems(site_dir) == [f"policy/cezhengfa-2024-12.md:{line}: {field}: 引号没有闭合：值以 {quote} 开头，"
                                  f"这一行没有结束的 {quote}（在值的末尾补上 {quote}）"]
    # a quoted value written over two lines on purpose is one value: a later mistake is reported at its own line
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(summary='summary: "从市场准入、政务服务等方面\n  提出22条措施。"',
                                                             validity="validity: 有效: 是"))
    [msg] = problems(site_dir)
    assert msg.startswith("policy/cezhengfa-2024-12.md:14: validity: 元数据不是合法的 YAML：值里有“冒号加空格”")


@pytest.mark.parametrize("line, message", [
    ('title: "关于"的通知', '3: title: 结束的引号 " 之后还有文字“的通知”：引号要括住整个值（值中的引号改用全角引号（“”或『』），'
                         "例如 title: “关于”的通知；或用单引号括住整个值，例如 title: '\"关于\"的通知'）"),
    ("title: '关于'的通知 # 注释", "3: title: 结束的引号 ' 之后还有文字“的通知”：引号要括住整个值（值中的引号改用全角引号（“”或『』），"
                             "例如 title: “关于”的通知；或用双引号括住整个值，例如 title: \"'关于'的通知\"）"),
    ('review:\n  final: {by: "王敏"x, on: 2024-03-05}', '4: review.final.by: 结束的引号 " 之后还有文字“x”：引号要括住整个值（值中的引号改用全角引号'
                                                   "（“”或『』），例如 by: “王敏”x；或用单引号括住整个值，例如 by: '\"王敏\"x'）"),
    ("summary: '从市场准入等方面'\n  提出22条措施。", "4: summary: 结束的引号 ' 之后，下一行还有文字“提出22条措施。”：引号要括住整个值"
                                                "（把结束的引号 ' 移到值的末尾）"),
])
def test_text_after_the_closing_quote_is_reported_at_its_line(site_dir, line, message):
    """YAML ends a quoted value at its second quote and gives up at the text after it, which it called an
    indentation problem."""
    add_draft(site_dir, line)
    assert problems(site_dir) == [f"policy/bad.md:{message}"]


@pytest.mark.parametrize("line", ["title: 测试市人民政府关于进一步优化营商环境的若干措施\t",
                                  "title: 测试市人民政府关于进一步优化营商环境的若干措施\t\t",
                                  "title:\t测试市人民政府关于进一步优化营商环境的若干措施"])
def test_a_tab_after_a_colon_or_a_value_is_pointed_out_at_its_line(site_dir, line):
    """libyaml reads such a Tab as a space; PyYAML's own parser, which reads where libyaml is not installed,
    refuses the file."""
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(title=line))
    assert [i.format() for i in load_repository(site_dir, gate=False).issues] == [
        "policy/cezhengfa-2024-12.md:2: title: 这一行含有制表符（Tab）（删除或换成空格） [警告]"]


def test_missing_closing_delimiter(site_dir):
    add(site_dir, "policy/bad.md", "---\ntitle: 测试\ntype: policy\n\n正文\n")
    assert problems(site_dir) == [
        "policy/bad.md:1: 元数据: YAML 元数据块缺少结束的“---”行（在最后一个字段之后、正文之前加一行“---”）"]


def test_gbk_file_is_refused_with_line(site_dir):
    add(site_dir, "policy/bad.md", "---\ntitle: 测试文件\n---\n正文\n".encode("gbk"))
    [msg] = problems(site_dir)
    assert msg.startswith("policy/bad.md:2: 编码: 文件不是 UTF-8 编码（看起来是 GBK/GB18030 编码）")
    assert "另存为 UTF-8" in msg


def test_utf8_bom_is_accepted(site_dir):
    path = site_dir / "policy" / "cezhengfa-2024-12.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    repo = load_repository(site_dir)
    assert repo.errors == []
    assert {d.title for d in repo.documents} >= {"测试市人民政府关于进一步优化营商环境的若干措施"}


@pytest.mark.parametrize("old, new, line, field", [
    ("title: 测试市", "title：测试市", 2, "title"),
    ("  final: {by: 赵刚", "  final：{by: 赵刚", 19, "review.final"),
    ("  final: {by: 赵刚", "  final: {by：赵刚", 19, "review.final.by"),
    ("2024-03-03, result: 不涉密}", "2024-03-03, result：不涉密}", 24, "secrecy.result"),
])
def test_fullwidth_colon_after_key(site_dir, old, new, line, field):
    """In a flow mapping YAML takes “by：赵刚” for a key without a value and says nothing."""
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text().replace(old, new, 1))
    key = field.rpartition(".")[2]
    assert problems(site_dir) == [
        f"policy/cezhengfa-2024-12.md:{line}: {field}: 字段名后使用了全角冒号“：”（改为半角冒号加空格：“{key}: ”）"]


@pytest.mark.parametrize("lines, line, field", [
    ("review:\n  final:\n    by：赵刚\n    on: 2024-03-04", 5, "review.final.by"),
    ("review:\n  final:\n    by: 赵刚\n    on:2024-03-04", 6, "review.final.on"),
    ("attachments:\n  - {file: attachments/a.pdf, title：原文}", 4, "attachments.0.title"),
    ("attachments:\n  - attachments/a.pdf\n  - {file: attachments/b.pdf, title：附表}", 5, "attachments.1.title"),
    ("attachments:\n- attachments/a.pdf\n- {file: attachments/b.pdf, title：附表}", 5, "attachments.1.title"),
    ("attachments:\n  - file: attachments/a.pdf\n    title：原文", 5, "attachments.0.title"),
    ("attachments:\n  -  file: attachments/a.pdf\n     title：原文", 5, "attachments.0.title"),
    ("review:\n  final: {by: 赵刚,\n          on：2024-03-04}", 5, "review.final.on"),
    ('review:\n  final: {by: "赵刚, on: 2024-03-04}', 4, "review.final.by"),
    ("keywords: [营商环境, {a：b}]", 3, "keywords.1.a"),
    ("attachments: [\n  {file: attachments/a.pdf, title: 原文},\n  {file: attachments/b.pdf, title：附表}]", 5,
     "attachments.1.title"),
    ("attachments: [{file: attachments/a.pdf,\n                title：原文}]", 4, "attachments.0.title"),
])
def test_a_slip_inside_nested_fields_names_the_dotted_path(site_dir, lines, line, field):
    """As the other errors name fields (review.final.by, attachments.0.file), not by the bare key."""
    add_draft(site_dir, lines)
    [msg] = problems(site_dir)
    assert msg.startswith(f"policy/bad.md:{line}: {field}: "), msg


@pytest.mark.parametrize("change, line, key", [
    ({"title": "title:测试市人民政府关于进一步优化营商环境的若干措施"}, 2, "title"),
    ({"doc_no": "doc_no:测政发〔2024〕12号"}, 5, "doc_no"),
    ({"status": "status:published"}, 14, "status"),
])
def test_a_missing_space_after_the_colon_is_reported_at_its_line(site_dir, change, line, key):
    """YAML reads “title:…” as a text, not a field, and said so lines later or with another message."""
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(**change))
    assert problems(site_dir) == [f"policy/cezhengfa-2024-12.md:{line}: {key}: 冒号后缺少空格（写成“{key}: …”）"]
    # a colon in a URL or in the text of a block scalar is not a key's
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(
        summary="summary: |\n  note:从市场准入等方面提出措施。\n  \u3000\u3000详见 https://www.gov.cn/zhengce/",
        change_note="change_note: 首次发布\n  https://www.gov.cn/zhengce/"))
    assert problems(site_dir) == []


def test_unknown_type(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(type="type: polcy"))
    assert problems(site_dir) == [
        "policy/cezhengfa-2024-12.md:3: type: 类型“polcy”无效（是否应为“policy”？"
        "可选：policy | interpretation | release | gazette | consultation）"]


def test_missing_required_field(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(issuer=""))
    assert problems(site_dir) == [
        "policy/cezhengfa-2024-12.md:1: issuer: 缺少必填字段发文机关（issuer）（添加“issuer: …”）"]


def test_impossible_date(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(written="written: 2024-02-30"))
    assert problems(site_dir) == [
        "policy/cezhengfa-2024-12.md:7: written: 成文日期“2024-02-30”不是真实存在的日期（2024年2月没有30日）"
        "（写成 YYYY-MM-DD，例如 2024-03-05）"]


@pytest.mark.parametrize("written, date, line, fixed", [
    ("written: 2024-3-1", None, 7, "2024-03-01"),
    ("written: ２０２４-03-01", None, 7, "2024-03-01"),
    ("written: 2024年3月1日", None, 7, "2024-03-01"),
    (None, "date: 2024/03/05 9:30", 8, "2024-03-05 09:30"),
])
def test_a_date_written_loosely_is_refused_with_its_standard_form(site_dir, written, date, line, fixed):
    """The metadata keeps dates as written, and auditors and the data read them as ISO: a loose form is
    refused, and the message gives the form to write."""
    add(site_dir, "policy/cezhengfa-2024-12.md",
        policy_text(**{k: v for k, v in (("written", written), ("date", date)) if v}))
    [msg] = problems(site_dir)
    name = "written" if written else "date"
    assert msg.startswith(f"policy/cezhengfa-2024-12.md:{line}: {name}: ") and f"，应写成 {fixed}（" in msg


def test_keywords_written_as_one_text_with_commas_are_refused_with_the_list_form(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(keywords="keywords: 营商环境，市场主体、 审批"))
    [msg] = problems(site_dir)
    assert msg.endswith(": keywords: 主题词“营商环境，市场主体、 审批”是一段文字，看起来是 3 项"
                        "（写成列表“keywords: [营商环境, 市场主体, 审批]”）")
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(keywords="keywords: 营商环境"))
    assert problems(site_dir) == []  # one keyword as a text is one keyword


def test_a_misspelt_step_or_key_in_the_sign_offs_is_pointed_out(site_dir):
    text = policy_text().replace("  first: {by: 王敏,", "  frist: {by: 王敏,").replace(", digest:", ", digets:") \
        .replace("result: 不涉密}", "reslut: 不涉密}")
    add(site_dir, "policy/cezhengfa-2024-12.md", text)
    warnings = [i.format() for i in load_repository(site_dir, gate=False).issues if i.severity.value == "warning"]
    assert warnings == [
        "policy/cezhengfa-2024-12.md:17: review.frist: review 中有未知的键“frist”（是否应为“first”？） [警告]",
        "policy/cezhengfa-2024-12.md:19: review.final.digets: review.final 中有未知的键“digets”（是否应为“digest”？） [警告]",
        "policy/cezhengfa-2024-12.md:24: secrecy.reslut: secrecy 中有未知的键“reslut”（是否应为“result”？） [警告]"]


def test_an_index_no_or_doc_no_of_another_issuer_is_pointed_out(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(index_no="index_no: 11379900MB00000010/2024-00012",
                                                             doc_no="doc_no: 测政办发〔2024〕12号"))
    warnings = [i.format() for i in load_repository(site_dir, gate=False).issues if i.severity.value == "warning"]
    assert warnings == [
        "policy/cezhengfa-2024-12.md:4: index_no: 索引号前段码“11379900MB00000010”不是发文机关“测试市人民政府”的代码 "
        "11379900MB0000000X（核对索引号或发文机关：测试市人民政府的索引号以“11379900MB0000000X/”开头） [警告]",
        "policy/cezhengfa-2024-12.md:5: doc_no: 发文字号的机关代字“测政办发”不是发文机关“测试市人民政府”的代字（测政发）"
        "（核对发文字号或发文机关；新启用的代字请登记在 _data/issuers.yml 该机关的 abbr 中） [警告]"]
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(issuer="issuer: 测试市人民政府办公室"))
    assert len([i for i in load_repository(site_dir, gate=False).issues if i.severity.value == "warning"]) == 2


def test_written_after_date(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(written="written: 2024-03-08"))
    assert problems(site_dir) == [
        "policy/cezhengfa-2024-12.md:7: written: 成文日期 2024-03-08 晚于发布日期 2024-03-05"
        "（成文日期不能晚于发布日期，请核对 written 和 date）"]


def test_a_withdrawal_dated_before_date_says_how_to_withdraw_a_pending_scheduled_update(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(
        status="status: withdrawn\nwithdrawal: {on: 2024-03-04, by: 赵刚, reason: 内容有误}"))
    assert problems(site_dir) == [
        "policy/cezhengfa-2024-12.md:15: withdrawal.on: 撤回日期 2024-03-04 早于发布日期 2024-03-05"
        "（核对 withdrawal.on。如果是要立即撤回一个定时更新还没到发布日期的文件："
        "先把文件恢复为正在公开的那一版（例如 git revert 那次定时更新的提交），再撤回）"]


def test_duplicate_index_no(site_dir):
    add(site_dir, "policy/copy.md", policy_text(doc_no="doc_no: 测政发〔2024〕13号"))
    assert problems(site_dir) == [
        "policy/copy.md:4: index_no: 索引号“11379900MB0000000X/2024-00012”与 policy/cezhengfa-2024-12.md:4 重复"
        "（索引号和发文字号必须唯一，请核对后改正其中一个）"]


def test_duplicate_doc_no(site_dir):
    add(site_dir, "policy/copy.md", policy_text(index_no="index_no: 11379900MB0000000X/2024-00013"))
    assert problems(site_dir) == [
        "policy/copy.md:5: doc_no: 发文字号“测政发〔2024〕12号”与 policy/cezhengfa-2024-12.md:5 重复"
        "（索引号和发文字号必须唯一，请核对后改正其中一个）"]


def test_doc_no_with_square_brackets_suggests_fix(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(doc_no="doc_no: 国办发[2017]47号"))
    assert problems(site_dir) == [
        "policy/cezhengfa-2024-12.md:5: doc_no: 发文字号“国办发[2017]47号”不规范"
        "（应写作“国办发〔2017〕47号”：年份用六角括号〔〕，不加“第”，序号不编虚位）"]


def test_interprets_missing_document(site_dir):
    path = site_dir / "interpretation" / "jiedu-2024-12.md"
    path.write_text(path.read_text("utf-8").replace("2024-00012]", "2024-00099]"), "utf-8")
    assert problems(site_dir) == [
        "interpretation/jiedu-2024-12.md:9: interprets: 解读的政策“11379900MB0000000X/2024-00099”不存在"
        "（填写已有文件的索引号（index_no），注意核对年份和序号）"]


def test_missing_attachment(site_dir):
    text = policy_text().replace("status: published",
                                 "attachments:\n  - {file: attachments/2024/nope.pdf, title: 原文}\nstatus: published")
    add(site_dir, "policy/cezhengfa-2024-12.md", text)
    assert problems(site_dir) == [
        "policy/cezhengfa-2024-12.md:15: attachments.0.file: 附件“attachments/2024/nope.pdf”不存在"
        "（把文件放到 content/ 下的这个位置，或改正 file 路径（区分大小写））"]


@pytest.mark.parametrize("file", ["release/spring-meeting.md", "../outside.pdf", "attachments/../_data/issuers.yml"])
def test_an_attachment_outside_content_attachments_is_refused(site_dir, file):
    text = policy_text().replace("status: published", f"attachments:\n  - {{file: {file}, title: 原文}}\nstatus: published")
    add(site_dir, "policy/cezhengfa-2024-12.md", text)
    assert problems(site_dir) == [
        f"policy/cezhengfa-2024-12.md:15: attachments.0.file: 附件路径“{posixpath.normpath(file)}”不在 content/attachments/ 下："
        "只有那里的文件会复制到网站上（把文件移到 content/attachments/ 下，file 写相对于 content/ 的路径，"
        "例如 attachments/2024/x.pdf）"]


def with_attachment(site_dir: Path, data: bytes) -> list[str]:
    add(site_dir, "attachments/2024/a.pdf", data)
    text = policy_text().replace("status: published",
                                 "attachments:\n  - {file: attachments/2024/a.pdf, title: 原文}\nstatus: published")
    add(site_dir, "policy/cezhengfa-2024-12.md", text)
    return problems(site_dir)


def test_corrupt_pdf(site_dir):
    [msg] = with_attachment(site_dir, b"%PDF-1.4\n%garbage that is not a pdf\n")
    assert msg.startswith("policy/cezhengfa-2024-12.md:15: attachments.0.file: 附件“attachments/2024/a.pdf”："
                          "PDF 文件已损坏，无法读取")
    assert msg.endswith("（请重新导出或重新上传该 PDF）")


def make_pdf(text: str, password: str | None = None) -> bytes:
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    kwargs = {}
    if password:
        from reportlab.lib import pdfencrypt
        kwargs["encrypt"] = pdfencrypt.StandardEncryption(password, canPrint=0)
    c = canvas.Canvas(buf, invariant=1, **kwargs)
    c.setFont("STSong-Light", 14)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_encrypted_pdf(site_dir):
    assert with_attachment(site_dir, make_pdf("加密文件", password="secret")) == [
        "policy/cezhengfa-2024-12.md:15: attachments.0.file: 附件“attachments/2024/a.pdf”：PDF 已加密，无法读取"
        "（请上传未加密、允许复制文字的 PDF）"]


def test_good_pdf_gives_pages_and_text(site_dir):
    assert with_attachment(site_dir, make_pdf("附表一 测试市重点项目清单")) == []
    repo = load_repository(site_dir)
    [att] = [a for d in repo.documents for a in d.attachments]
    assert att.pages == 1
    assert "重点项目清单" in att.text


def test_pdf_without_text_layer_is_a_warning(site_dir):
    assert with_attachment(site_dir, make_pdf("")) == []
    repo = load_repository(site_dir, gate=False)
    [warning] = [i.format() for i in repo.warnings]
    assert "没有文字层" in warning


def test_empty_body(site_dir):
    text = policy_text()
    add(site_dir, "policy/cezhengfa-2024-12.md", text[:text.index("---\n", 4) + 4] + "\n  \n")
    assert problems(site_dir) == [
        "policy/cezhengfa-2024-12.md:26: 正文: 正文为空（在结束的“---”之后写正文；撤回的文件也要保留原文）"]


def test_binary_file_named_md(site_dir):
    add(site_dir, "release/photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    [msg] = problems(site_dir)
    assert msg.startswith("release/photo.md:1: 文件: 这是二进制文件，不是 Markdown 文本")


def test_every_problem_is_reported_not_just_the_first(site_dir):
    add(site_dir, "policy/a.md", "---\ntitle：甲\n---\n正文\n")
    add(site_dir, "policy/b.md", policy_text(doc_no="doc_no: 国办发[2017]47号", written="written: 2024-02-30"))
    add(site_dir, "policy/c.md", "no front matter\n")
    found = problems(site_dir)
    assert [m.split(":")[0] + ":" + m.split(":")[2] for m in found] == [
        "policy/a.md: title", "policy/b.md: doc_no", "policy/b.md: written", "policy/c.md: 元数据",
        "policy/cezhengfa-2024-12.md: index_no"]


def test_duplicate_key_in_front_matter(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(summary="summary: 一\nsummary: 二"))
    assert problems(site_dir) == [
        "policy/cezhengfa-2024-12.md:13: summary: 字段重复出现（第 12 行已有）（删除其中一个，只保留正确的值）"]


@pytest.mark.parametrize("field, line", [("date", "date: 2024-13-01 09:30"), ("date", "date: 昨天")])
def test_bad_publication_date(site_dir, field, line):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(date=line))
    [msg] = problems(site_dir)
    assert msg.startswith("policy/cezhengfa-2024-12.md:8: date: 发布日期")


def test_unknown_field_is_a_warning_with_suggestion(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(summary="sumary: 从市场准入方面提出措施。"))
    repo = load_repository(site_dir, gate=False)
    assert repo.errors == []
    assert [i.format() for i in repo.warnings] == [
        "policy/cezhengfa-2024-12.md:12: sumary: 未知字段“sumary”（是否应为“summary”？） [警告]"]


def test_a_document_without_a_type_is_not_published(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(type="", title="", issuer=""))
    assert problems(site_dir) == [
        "policy/cezhengfa-2024-12.md:1: type: 缺少必填字段类型（type）（添加“type: 类型”，可选：policy（政策文件） | "
        "interpretation（政策解读） | release（政务动态） | gazette（政府公报） | consultation（意见征集））"]


def test_an_empty_required_field_is_reported_once_and_a_bad_list_item_by_its_place(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(title="title:", keywords='keywords: [营商环境, ""]'))
    errors = problems(site_dir)
    assert sorted(e.split(": ", 2)[1:] for e in errors) == [
        ["keywords", "主题词的第 2 项应为一段文字，当前为空（删去这一项，或写成“keywords: [值1, 值2]”）"],
        ["title", "缺少必填字段标题（title）（添加“title: …”）"]]


def test_a_file_that_is_not_markdown_is_named_not_skipped_silently(site_dir):
    add(site_dir, "release/会议纪要.md.txt", "---\ntitle: x\n---\n")
    add(site_dir, "attachments/2024/scan.pdf", b"%PDF-1.4")  # attachments are not documents
    add(site_dir, ".git-keep/x.txt", "")
    warnings = [i.format() for i in load_repository(site_dir, gate=False).issues if not i.is_error]
    assert warnings == ["release/会议纪要.md.txt: 文件: 不是 Markdown 文件（.md），不会发布"
                        "（文件改为以 .md 结尾；附件放在 attachments/ 下，由文件的 attachments 字段引用） [警告]"]


def test_html_the_page_would_not_keep_is_reported_by_line(site_dir):
    body = ("正文第一段。\n\n<script>alert(1)</script>\n<div onclick=\"x()\">文字</div>\n"
            "<table style=\"width:100%\"><tr><td>表</td></tr></table>\n<span class=\"x\">保留</span> <https://www.gov.cn>\n"
            "用 `<iframe>` 写代码不算。\n```\n<iframe src=\"a\"></iframe>\n```\n[链接](javascript:alert(1))\n")
    text = POLICY.read_text("utf-8")
    add(site_dir, "policy/cezhengfa-2024-12.md", text[:text.index("\n---\n", 4) + 5] + body)
    found = [i.format() for i in load_repository(site_dir, gate=False).issues]
    first = POLICY.read_text("utf-8")[:POLICY.read_text("utf-8").index("\n---\n", 4)].count("\n") + 3  # the body's first line
    assert found == [
        f"policy/cezhengfa-2024-12.md:{first + 2}: 正文: 正文中的 HTML 标签 <script> 不会发布，页面上这一部分将缺失"
        "（删去这个标签；表格、列表、链接请用 Markdown 写，视频等放在附件中）",
        f"policy/cezhengfa-2024-12.md:{first + 3}: 正文: 正文中 <div> 的属性 onclick 不会发布（删去这个属性（样式由网站统一设定）） [警告]",
        f"policy/cezhengfa-2024-12.md:{first + 4}: 正文: 正文中 <table> 的属性 style 不会发布（删去这个属性（样式由网站统一设定）） [警告]",
        f"policy/cezhengfa-2024-12.md:{first + 10}: 正文: 正文中的链接不是网址（javascript: 或 data:），链接不会发布"
        "（改为 https:// 开头的网址或站内路径） [警告]"]


def test_text_after_a_hash_that_yaml_drops_as_a_comment_is_pointed_out(site_dir):
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(summary="summary: 会议研究了三项工作 #第二项 见附件"))
    warnings = [i.format() for i in load_repository(site_dir, gate=False).issues if not i.is_error]
    line = next(n for n, text in enumerate(POLICY.read_text("utf-8").split("\n"), 1) if text.startswith("summary:"))
    assert warnings == [f"policy/cezhengfa-2024-12.md:{line}: summary: 这一行“ #”之后的文字被当作 YAML 注释，不会发布"
                        "（要保留这些文字，给整个值加引号，例如 summary: \"……#……\"） [警告]"]
    add(site_dir, "policy/cezhengfa-2024-12.md", policy_text(summary='summary: "会议研究了三项工作 #第二项"'))
    assert [i for i in load_repository(site_dir, gate=False).issues if not i.is_error] == []
