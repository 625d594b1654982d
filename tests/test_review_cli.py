"""scripts/review: records sign-offs without touching anything else, refuses who may not sign, reports needs."""
from __future__ import annotations

import datetime as dt
import difflib
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govportal.frontmatter import split
from govportal.gate import step_value
from govportal.repository import load_repository
from govportal.signoff import SignError, main, set_signoff, sign_text
from govportal.vocab import STEPS
from tests.conftest import ROOT

POLICY = "policy/cezhengfa-2024-12.md"
RELEASE = "release/spring-meeting.md"


def run(capsys, content, *args: str) -> tuple[int, str]:
    code = main(["--content", str(content), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_sign_changes_only_the_signoff_line(site_dir, capsys):
    path = site_dir / POLICY
    before = path.read_text("utf-8")
    code, out = run(capsys, site_dir, "sign", str(path), "--step", "review.second", "--by", "李强", "--on", "2024-03-04")
    assert code == 0
    assert out == "policy/cezhengfa-2024-12.md：已记录复审（review.second）李强 2024-03-04\n"
    assert changed_lines(before, path.read_text("utf-8")) == [
        "-  second: {by: 李强, on: 2024-03-03}", "+  second: {by: 李强, on: 2024-03-04}"]


def test_final_review_writes_the_digest_and_the_document_passes(site_dir, capsys):
    path = site_dir / POLICY
    path.write_text(path.read_text("utf-8").replace("1个工作日", "半个工作日"), "utf-8")
    assert [i.field for i in load_repository(site_dir).errors] == ["review.final"]
    code, out = run(capsys, site_dir, "sign", POLICY, "--step", "review.final", "--by", "赵刚", "--on", "2024-03-04")
    assert (code, out) == (0, "policy/cezhengfa-2024-12.md：已记录终审（review.final）赵刚 2024-03-04，并写入终审摘要\n")
    [line] = [line for line in path.read_text("utf-8").split("\n") if line.startswith("  final:")]
    assert line.startswith('  final: {by: 赵刚, on: 2024-03-04, digest: "sha256:') and line.endswith('"}')
    assert load_repository(site_dir).issues == []


def test_refuses_a_signer_not_on_the_roster(site_dir, capsys):
    path = site_dir / POLICY
    before = path.read_bytes()
    code, out = run(capsys, site_dir, "sign", str(path), "--step", "review.final", "--by", "张三")
    assert code == 1
    assert out == (f"{path}：“张三”不在审核人名册（_data/reviewers.yml）中，不能签署终审（review.final）；可签署的人：赵刚\n")
    assert path.read_bytes() == before


def test_refuses_a_signer_without_the_step(site_dir, capsys):
    code, out = run(capsys, site_dir, "sign", str(site_dir / POLICY), "--step", "review.final", "--by", "王敏")
    assert code == 1
    assert out.endswith("“王敏”无权签署终审（review.final）；可签署的人：赵刚\n")


def test_inserts_a_missing_step_in_its_place(site_dir, capsys):
    path = site_dir / POLICY
    path.write_text(path.read_text("utf-8").replace("  second: {by: 周洁, on: 2024-03-03}\n", ""), "utf-8")
    before = path.read_text("utf-8")
    assert run(capsys, site_dir, "sign", str(path), "--step", "proofread.second", "--by", "周洁",
               "--on", "2024-03-03")[0] == 0
    after = path.read_text("utf-8")
    assert changed_lines(before, after) == ["+  second: {by: 周洁, on: 2024-03-03}"]
    assert after.index("  first: {by: 陈静") < after.index("  second: {by: 周洁") < after.index("  third: {by: 王敏")


def test_signing_a_step_before_the_earlier_ones_records_it_and_warns(site_dir, capsys):
    path = site_dir / POLICY
    path.write_text(path.read_text("utf-8").replace("  first: {by: 王敏, on: 2024-03-02}\n", "")
                    .replace("  second: {by: 李强, on: 2024-03-03}\n", ""), "utf-8")
    code, out = run(capsys, site_dir, "sign", POLICY, "--step", "review.final", "--by", "赵刚", "--on", "2024-03-04")
    assert code == 0 and out.endswith(
        "policy/cezhengfa-2024-12.md：注意：终审之前的初审、复审还没有签署；三审须依次进行，请先完成前面的环节\n")
    code, out = run(capsys, site_dir, "sign", POLICY, "--step", "review.first", "--by", "王敏", "--on", "2024-03-02")
    assert code == 0 and "注意" not in out
    code, out = run(capsys, site_dir, "sign", POLICY, "--step", "proofread.third", "--by", "王敏", "--on", "2024-03-04")
    assert code == 0 and "注意" not in out  # 三校 signed in order


def test_secrecy_needs_a_result_when_there_is_none(site_dir, capsys):
    path = site_dir / POLICY
    path.write_text(path.read_text("utf-8").replace(", result: 不涉密}", "}"), "utf-8")
    code, out = run(capsys, site_dir, "sign", str(path), "--step", "secrecy", "--by", "李强")
    assert code == 1 and "保密审查须写明结论：加上 --result 不涉密" in out
    code, _ = run(capsys, site_dir, "sign", str(path), "--step", "secrecy", "--by", "李强", "--on", "2024-03-03",
                  "--result", "不涉密")
    assert code == 0
    assert "secrecy: {by: 李强, on: 2024-03-03, result: 不涉密}\n" in path.read_text("utf-8")


def test_secrecy_keeps_a_result_only_for_the_signer_who_concluded_it(site_dir):
    text = (site_dir / POLICY).read_text("utf-8")  # secrecy: {by: 李强, …, result: 不涉密}
    again = sign_text(POLICY, text, "secrecy", "李强", dt.date(2024, 3, 4), None)
    assert "secrecy: {by: 李强, on: 2024-03-04, result: 不涉密}\n" in again
    with pytest.raises(SignError, match="保密审查须写明结论"):  # not 李强's conclusion for another signer
        sign_text(POLICY, text, "secrecy", "刘洋", dt.date(2024, 3, 4), None)


def test_keeps_bom_and_crlf(site_dir, capsys):
    path = site_dir / POLICY
    original = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    assert run(capsys, site_dir, "sign", str(path), "--step", "review.first", "--by", "王敏", "--on", "2024-03-01")[0] == 0
    assert path.read_bytes() == original.replace(b"on: 2024-03-02}\r\n  second: {by: \xe6\x9d\x8e",
                                                 b"on: 2024-03-01}\r\n  second: {by: \xe6\x9d\x8e")


def with_ends(text: str, crlf: set[int]) -> bytes:
    """The text with the lines numbered in ``crlf`` (1-based) ending CRLF and the others LF."""
    lines = text.split("\n")
    return "".join(line + ("\r\n" if n in crlf else "\n") for n, line in enumerate(lines[:-1], 1)).encode() \
        + lines[-1].encode()


@pytest.mark.parametrize("crlf", [{2, 5, 17, 18, 30}, set(range(1, 40)) - {3, 18, 28}])
def test_a_file_with_mixed_line_ends_keeps_every_other_byte(site_dir, capsys, crlf):
    """Only the signed line changes (keeping its own line end): an editor's file with some CRLF lines was
    written back all CRLF, and every line of it showed as changed."""
    path = site_dir / POLICY
    text = path.read_text("utf-8")
    original = with_ends(text, crlf)
    path.write_bytes(original)
    assert run(capsys, site_dir, "sign", str(path), "--step", "review.second", "--by", "李强", "--on", "2024-03-04")[0] == 0
    assert path.read_bytes() == original.replace("  second: {by: 李强, on: 2024-03-03}".encode(),
                                                 "  second: {by: 李强, on: 2024-03-04}".encode())


@pytest.mark.parametrize("crlf, end", [({2, 5, 30}, "\n"), (set(range(1, 40)) - {3, 28}, "\r\n")])
def test_a_line_added_to_a_file_with_mixed_line_ends_takes_the_commoner_end(site_dir, capsys, crlf, end):
    path = site_dir / POLICY
    text = path.read_text("utf-8").replace("  second: {by: 周洁, on: 2024-03-03}\n", "")
    original = with_ends(text, crlf)
    path.write_bytes(original)
    assert run(capsys, site_dir, "sign", str(path), "--step", "proofread.second", "--by", "周洁",
               "--on", "2024-03-03")[0] == 0
    third = original.index("  third: {by: 王敏".encode())
    assert path.read_bytes() == original[:third] + f"  second: {{by: 周洁, on: 2024-03-03}}{end}".encode() \
        + original[third:]


def test_status_shows_what_each_document_still_needs(site_dir, capsys):
    path = site_dir / RELEASE
    text = path.read_text("utf-8")
    path.write_text(text.replace("  second: {by: 李强, on: 2024-03-09}\n", ""), "utf-8")
    code, out = run(capsys, site_dir, "status", str(site_dir / POLICY), str(path))
    assert code == 1
    assert out.split("\n") == [
        "policy/cezhengfa-2024-12.md（已发布）",
        "  ✓ 初审   review.first     王敏 2024-03-02",
        "  ✓ 复审   review.second    李强 2024-03-03",
        "  ✓ 终审   review.final     赵刚 2024-03-04",
        "  ✓ 一校   proofread.first  陈静 2024-03-02",
        "  ✓ 二校   proofread.second 周洁 2024-03-03",
        "  ✓ 三校   proofread.third  王敏 2024-03-04",
        "  ✓ 保密审查 secrecy          李强 2024-03-03",
        "  → 可以发布",
        "release/spring-meeting.md（已发布）",
        "  ✓ 初审   review.first     王敏 2024-03-08",
        "  ✗ 复审   review.second    未签署",
        "  ✓ 终审   review.final     赵刚 2024-03-09",
        "  ✓ 一校   proofread.first  陈静 2024-03-08",
        "  ✓ 二校   proofread.second 周洁 2024-03-09",
        "  ✓ 三校   proofread.third  王敏 2024-03-09",
        "  ✓ 保密审查 secrecy          李强 2024-03-09",
        "  - release/spring-meeting.md:9: review.second: 缺少复审（review.second），已发布的文件必须完成三审三校和保密审查"
        "（签署：scripts/review sign release/spring-meeting.md --step review.second --by 姓名（名册中可签署复审的人：李强））",
        "  → 还需处理 1 项",
        ""]


def test_status_of_a_draft_lists_every_step_and_blocking_wording(site_dir, capsys):
    (site_dir / "_data" / "wordlists").mkdir()
    (site_dir / "_data" / "wordlists" / "a.yml").write_text("- {word: 攻府, category: 错别字, level: block, suggestion: 政府}\n",
                                                           "utf-8")
    path = site_dir / "release" / "draft.md"
    path.write_text("---\ntitle: 草稿\ntype: release\nissuer: 测试市人民政府办公室\ncolumn: 政务动态/通知公告\n"
                    "status: draft\n---\n市攻府召开会议。\n", "utf-8")
    code, out = run(capsys, site_dir, "status", str(path))
    assert code == 1
    assert out.count("未签署") == 7
    assert "  - release/draft.md:8:2: 错敏词/错别字: 正文中有错别字“攻府”" in out
    assert out.endswith("  → 还需处理 8 项\n")


def test_the_script_runs_from_the_repository_root(tmp_path):
    site = tmp_path / "content"
    import shutil

    shutil.copytree(ROOT / "tests" / "fixtures" / "site", site)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "review"), "status", POLICY],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("  → 可以发布\n")


# ---- the writer never changes any other line ----------------------------------------------------

KEYS = st.sampled_from(["title", "summary", "issuer", "note", "keywords", "extra_field", "x_1", "column"])
PLAIN = st.text(alphabet="示例市人民政府关于通知abcXYZ0123456789", min_size=1, max_size=12)
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=15)
NAME = st.sampled_from(["王敏", "李强", "赵刚"])
DAY = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)


@st.composite
def field_lines(draw) -> list[str]:
    key = draw(KEYS)
    kind = draw(st.sampled_from(["plain", "quoted", "flow", "block", "comment", "blank", "nested"]))
    if kind == "plain":
        return [f"{key}:{' ' * draw(st.integers(1, 3))}{draw(PLAIN)}" + draw(st.sampled_from(["", "  # 注释"]))]
    if kind == "quoted":
        return [f"{key}: {json.dumps(draw(ANY_TEXT), ensure_ascii=draw(st.booleans()))}"]
    if kind == "flow":
        return [f"{key}: [{', '.join(draw(st.lists(PLAIN, max_size=3)))}]"]
    if kind == "block":
        return [f"{key}:"] + [f"  - {v}" for v in draw(st.lists(PLAIN, min_size=1, max_size=3))]
    if kind == "nested":
        return [f"{key}:", f"  a: {draw(PLAIN)}", f"  b: {{x: {draw(PLAIN)}}}"]
    if kind == "comment":
        return [f"# {draw(PLAIN)}"]
    return [""]


@st.composite
def signoff_block(draw, parent: str, children: tuple[str, ...]) -> tuple[list[str], dict[str, list[int]]]:
    """The lines of one sign-off parent in a random style, and which of its lines belong to each child."""
    style = draw(st.sampled_from(["absent", "null", "flow", "block-flow", "block-block"]))
    present = [c for c in children if draw(st.booleans())]
    def sig() -> str:
        return f"{{by: {draw(NAME)},{' ' * draw(st.integers(1, 2))}on: {draw(DAY)}}}"
    if style == "absent":
        return [], {}
    if style == "null":
        return [f"{parent}:"], {}
    if style == "flow":
        inner = ", ".join(f"{c}: {sig()}" for c in present)
        return [f"{parent}: {{{inner}}}"], {c: [0] for c in children}  # any child edit rewrites this one line
    lines, owner = [f"{parent}:{draw(st.sampled_from(['', '  # 三审']))}"], {}
    for c in present:
        if style == "block-flow":
            owner[c] = [len(lines)]
            lines.append(f"  {c}:{' ' * draw(st.integers(1, 2))}{sig()}")
        else:
            owner[c] = [len(lines), len(lines) + 1, len(lines) + 2]
            lines += [f"  {c}:", f"    by: {draw(NAME)}", f"    on: {draw(DAY)}"]
    return lines, owner


@st.composite
def documents(draw):
    step = draw(st.sampled_from(STEPS))
    parent = step.split(".")[0]
    fields = draw(st.lists(field_lines(), max_size=6))
    keys, unique = set(), []
    for lines in fields:  # YAML keys must be unique
        key = lines[0].split(":")[0]
        if ":" in lines[0] and not lines[0].startswith("#"):
            if key in keys:
                continue
            keys.add(key)
        unique.append(lines)
    if parent == "secrecy":
        block, owner = draw(st.sampled_from([
            ([], {}), (["secrecy: {by: 李强, on: 2024-03-03, result: 不涉密}"], {"": [0]}),
            (["secrecy:", "  by: 李强", "  on: 2024-03-03", "  result: 不涉密"], {"": [1, 2, 3]})]))
    else:
        children = ("first", "second", "final") if parent == "review" else ("first", "second", "third")
        block, owner = draw(signoff_block(parent, children))
    at = draw(st.integers(0, len(unique)))
    before = [line for lines in unique[:at] for line in lines]
    after = [line for lines in unique[at:] for line in lines]
    leaf = step.split(".")[-1] if "." in step else ""
    mine = {len(before) + i + 1 for i in owner.get(leaf, [])}  # +1: the opening ---
    text = "\n".join(["---", *before, *block, *after, "---", "正文第一段。", "", "正文第二段。", ""])
    return text, step, mine


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), NAME, DAY)
def test_signing_never_changes_any_other_line(doc, by, on):
    text, step, editable = doc
    before, _ = split("x.md", text)
    if before is None:
        return  # hypothesis wrote YAML that does not parse; nothing to sign
    try:
        new = sign_text("x.md", text, step, by, dt.date.fromisoformat(on), "不涉密" if step == "secrecy" else None)
    except SignError as exc:  # only when a parent is not a mapping
        assert "不是" in str(exc)
        return
    after, _ = split("x.md", new)
    signed = step_value(after.meta, step)
    assert signed["by"] == by and signed["on"] == on
    old_lines, new_lines = text.split("\n"), new.split("\n")
    kept = [line for i, line in enumerate(old_lines) if i not in editable]
    it = iter(new_lines)
    assert all(line in it for line in kept), "an untouched line changed or moved"
    assert len(new_lines) - len(old_lines) <= 3
    assert new[new.index("\n---\n", 3):] == text[text.index("\n---\n", 3):]  # the body is the same bytes


def test_set_signoff_in_a_flow_parent_and_a_null_parent():
    text = "---\ntitle: 甲\nreview: {first: {by: 王敏, on: 2024-03-02}}  # 三审\nproofread:\n---\n正文\n"
    text = set_signoff(text, "review.final", {"by": "赵刚", "on": "2024-03-04"})
    text = set_signoff(text, "proofread.first", {"by": "陈静", "on": "2024-03-02"})
    assert text == ("---\ntitle: 甲\nreview: {first: {by: 王敏, on: 2024-03-02}, final: {by: 赵刚, on: 2024-03-04}}"
                    "  # 三审\nproofread:\n  first: {by: 陈静, on: 2024-03-02}\n---\n正文\n")


def test_refuses_a_sign_off_dated_in_the_future_or_a_result_for_another_step(site_dir, capsys):
    path = site_dir / POLICY
    before = path.read_bytes()
    from govportal.gate import beijing_now

    tomorrow = beijing_now().date() + dt.timedelta(days=1)
    code, out = run(capsys, site_dir, "sign", str(path), "--step", "review.final", "--by", "赵刚", "--on", str(tomorrow))
    assert code == 2 and out.startswith(f"签署日期 {tomorrow} 晚于今天（北京时间 ") and out.endswith("不能预签\n")
    code, out = run(capsys, site_dir, "sign", str(path), "--step", "review.first", "--by", "王敏", "--result", "不涉密")
    assert code == 2 and out == "--result 只用于保密审查（--step secrecy），review.first 没有结论可写\n"
    assert path.read_bytes() == before


def with_attachments(site_dir, items: str) -> None:
    """The fixture policy with these attachments (files written under content/attachments/)."""
    (site_dir / "attachments").mkdir(exist_ok=True)
    (site_dir / "attachments" / "a.doc").write_bytes(b"doc")
    (site_dir / "attachments" / "b.ofd").write_bytes(b"ofd")
    path = site_dir / POLICY
    path.write_text(path.read_text("utf-8").replace("status: published", f"attachments:{items}\nstatus: published"), "utf-8")


def sha256(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


def test_final_review_records_each_attachments_sha256_and_the_digest_covers_it(site_dir, capsys):
    with_attachments(site_dir, "\n  - {file: attachments/b.ofd, title: 原文}\n  - attachments/a.doc  # 附件二")
    before = (site_dir / POLICY).read_text("utf-8")
    code, out = run(capsys, site_dir, "sign", POLICY, "--step", "review.final", "--by", "赵刚", "--on", "2024-03-04")
    assert (code, out) == (0, "policy/cezhengfa-2024-12.md：已记录终审（review.final）赵刚 2024-03-04，"
                              "并写入终审摘要和 2 个附件的 sha256\n")
    after = (site_dir / POLICY).read_text("utf-8")
    ofd, pdf = sha256(b"ofd"), sha256(b"doc")
    assert [line for line in changed_lines(before, after) if not line[1:].startswith("  final:")] == [
        "-  - {file: attachments/b.ofd, title: 原文}", "-  - attachments/a.doc  # 附件二",
        f"+  - {{file: attachments/b.ofd, title: 原文, sha256: {ofd}}}",
        f"+  - {{file: attachments/a.doc, sha256: {pdf}}}  # 附件二"]
    parsed, _ = split(POLICY, after)
    from govportal.digest import document_digest
    assert step_value(parsed.meta, "review.final")["digest"] == document_digest(parsed.meta, parsed.body)
    assert [i for i in load_repository(site_dir).issues if i.is_error] == []

    # replacing a file after the final review stops publication, in check and in review status
    (site_dir / "attachments" / "b.ofd").write_bytes(b"ofd, replaced")
    [error] = load_repository(site_dir).errors
    assert (error.field, error.line) == ("attachments.0.sha256", 15)
    assert error.message == (f"附件“attachments/b.ofd”在终审之后被更换（终审记录的 sha256 为 {ofd[:12]}…，"
                             f"现在的文件是 {sha256(b'ofd, replaced')[:12]}…），须重新终审")
    code, out = run(capsys, site_dir, "status", POLICY)
    assert code == 1 and "  ✗ 终审   review.final     赵刚 2024-03-04" in out and "在终审之后被更换" in out
    # and editing the recorded value by hand breaks the digest instead
    path = site_dir / POLICY
    path.write_text(after.replace(ofd, sha256(b"ofd, replaced")), "utf-8")
    assert [e.field for e in load_repository(site_dir).errors] == ["review.final"]
    # the final reviewer approves the new file: both pass again
    assert run(capsys, site_dir, "sign", POLICY, "--step", "review.final", "--by", "赵刚", "--on", "2024-03-04")[0] == 0
    assert [i for i in load_repository(site_dir).issues if i.is_error] == []


def test_a_final_review_without_the_attachments_sha256_is_a_warning(site_dir, capsys):
    with_attachments(site_dir, "\n  - {file: attachments/a.doc, title: 原文}")
    path = site_dir / POLICY
    parsed, _ = split(POLICY, path.read_text("utf-8"))
    from govportal.digest import document_digest
    path.write_text(path.read_text("utf-8").replace(step_value(parsed.meta, "review.final")["digest"],
                                                    document_digest(parsed.meta, parsed.body)), "utf-8")
    repo = load_repository(site_dir)
    assert repo.errors == []
    [warning] = [i for i in repo.warnings if i.field == "attachments.0.sha256"]
    assert warning.message == "终审没有记录附件“attachments/a.doc”的 sha256：附件被更换时无法发现"
    assert warning.fix == f"重新终审时自动记录：scripts/review sign {POLICY} --step review.final --by 赵刚"


def test_final_review_refuses_a_missing_attachment_and_the_model_a_malformed_sha256(site_dir, capsys):
    with_attachments(site_dir, "\n  - {file: attachments/none.pdf, title: 原文}")
    before = (site_dir / POLICY).read_bytes()
    code, out = run(capsys, site_dir, "sign", POLICY, "--step", "review.final", "--by", "赵刚", "--on", "2024-03-04")
    assert code == 1 and "附件“attachments/none.pdf”不存在" in out and "终审同时批准附件" in out
    assert (site_dir / POLICY).read_bytes() == before
    (site_dir / POLICY).write_bytes(before.replace(b"attachments/none.pdf", b"release/spring-meeting.md"))
    code, out = run(capsys, site_dir, "sign", POLICY, "--step", "review.final", "--by", "赵刚", "--on", "2024-03-04")
    assert code == 1 and "附件路径“release/spring-meeting.md”不在 content/attachments/ 下" in out
    (site_dir / POLICY).write_bytes(before)
    (site_dir / POLICY).write_bytes(before.replace(b"none.pdf, title:", b"a.doc, sha256: 12ab, title:"))
    problems = [i.format() for i in load_repository(site_dir, gate=False).errors]
    assert problems == ["policy/cezhengfa-2024-12.md:15: attachments.0: 第 1 个附件的 sha256“12ab”不是 64 位十六进制数"
                        "（sha256 由终审签署自动记录，不要手工填写：删除这一项后重新终审"
                        "（scripts/review sign 文件 --step review.final --by 终审人））"]


def test_plain_attachment_paths_that_need_quotes_in_a_flow_mapping_get_them():
    from govportal.signoff import set_attachment_hashes
    text = "---\ntitle: x\nattachments:\n  - attachments/x,y.pdf\n  - attachments/x[1].pdf  # 附件\n  - attachments/ok.pdf\n---\n正文\n"
    signed = set_attachment_hashes(text, {0: "a" * 64, 1: "b" * 64, 2: "c" * 64})
    parsed, _ = split("x.md", signed)
    assert parsed.meta["attachments"] == [{"file": "attachments/x,y.pdf", "sha256": "a" * 64},
                                          {"file": "attachments/x[1].pdf", "sha256": "b" * 64},
                                          {"file": "attachments/ok.pdf", "sha256": "c" * 64}]
    assert "  - {file: attachments/ok.pdf, sha256: " in signed and "}  # 附件\n" in signed
