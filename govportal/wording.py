"""错敏词: wrong, sensitive and mis-stated wording in title, summary and body.

Word lists are YAML files in ``content/_data/wordlists/*.yml``, each a list of entries::

    - {word: 攻府, category: 错别字, level: block, suggestion: 政府}

``level`` is ``block`` (stops publication unless waived) or ``warn``. Two rule checks
need no list: a 文号 with the wrong brackets in the text (``国办发[2017]47号`` →
``国办发〔2017〕47号``) and a half-width ``, ; : ? ! ( )`` between Chinese characters.

Every word and the trigger strings of the rule checks go into one Aho-Corasick
automaton (pyahocorasick), built once per build: one pass over each text finds every
hit whatever the number of patterns. A rule trigger is then confirmed by a small named
function looking at the characters around it; no regular expression is run per pattern.

A blocking hit may be waived in the document's metadata, for that exact hit, by the
final reviewer with a reason::

    waivers:
      - {word: 北朝鲜, line: 12, reason: 引用1950年的历史文献原文, by: 赵刚}

``line`` is the hit's line not counting the lines of ``waivers`` itself: the line the check
reported before any waiver was written. Writing waivers moves every line below them (the
body's always), and a waiver written for the reported line would no longer match.

Waived hits are not errors; they are kept on ``Document.waived`` for the auditors.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import ahocorasick
import yaml

from .frontmatter import StrictLoader, construct, decode, editor_line, yaml_problem
from .identifiers import normalise_doc_no
from .issues import Issue, Severity
from .model import Document
from .vocab import DATA_DIR

WORDLIST_DIR = "wordlists"
LEVELS = ("block", "warn")
# the public texts of the metadata that are checked, by dotted path: ``*`` is every item of a list (keywords
# item by item, each attachment's title); everything shown on a page that an editor writes
FIELDS = (("title", "标题"), ("summary", "内容概述"), ("keywords.*", "主题词"), ("change_note", "更新说明"),
          ("withdrawal.reason", "撤回原因"), ("attachments.*.title", "附件标题"), ("issue", "期号"),
          ("comment_method", "意见提交方式"), ("feedback", "意见采纳情况"))
LABELS = {name.replace(".*", ""): label for name, label in FIELDS}  # by Hit.field
DESCRIBE = {"错别字": "错别字", "固定表述": "不规范的固定表述", "禁用词": "禁用词",
            "文号": "括号不规范的文号", "标点": "夹在汉字之间的半角标点"}


@dataclass(frozen=True)
class Entry:
    word: str
    category: str
    level: str  # block | warn
    suggestion: str = ""
    source: str = ""  # _data/wordlists/x.yml:12


@dataclass(frozen=True)
class Hit:
    """One wording problem at one place of one document."""

    field: str  # a key of LABELS (a path in FIELDS without its ``*``), or body
    line: int
    col: int
    word: str  # the text as found
    category: str
    level: str
    suggestion: str = ""
    waived_by: str = ""
    reason: str = ""

    @property
    def rule(self) -> str:
        return f"错敏词/{self.category}"

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


# ---- the rule checks: confirm a trigger found by the automaton -----------------------------

def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def is_cjk(ch: str) -> bool:
    """A Chinese character or full-width punctuation."""
    return is_han(ch) or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e" or ch in "“”‘’…—·"


OPEN_BRACKETS = "[【(（［〖{〔"
CLOSE_BRACKETS = "]】)）］〗}〕"
PREFIX_STOP = set("的和及与据照见按在将对经由于为是")
FULLWIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def doc_no_brackets(text: str, start: int) -> tuple[int, int, str] | None:
    """``(start, end, suggestion)`` of a 文号 spelt with the wrong brackets, 第 or a leading zero."""
    year = text[start + 1:start + 5]
    close = start + 5
    if len(year) < 4 or not year.isdigit() or close >= len(text) or text[close] not in CLOSE_BRACKETS:
        return None
    end = close + 1
    if end < len(text) and text[end] == "第":
        end += 1
    digits = end
    while end < len(text) and text[end].isdigit() and end - digits < 6:
        end += 1
    if end == digits or end >= len(text) or text[end] != "号":
        return None
    if text[start] == "〔" and text[close] == "〕" and digits == close + 1 and text[digits] != "0":
        return None  # 〔2017〕47号: already right, whatever the prefix
    end += 1
    begin = start
    while begin > 0 and start - begin < 10 and is_han(text[begin - 1]) and text[begin - 1] not in PREFIX_STOP:
        begin -= 1
    if begin == start:
        return None
    found = text[begin:end]
    suggestion = normalise_doc_no(found)
    if suggestion is None or suggestion == found:
        return None
    return begin, end, suggestion


def halfwidth_punctuation(text: str, start: int) -> tuple[int, int, str] | None:
    """``(start, end, suggestion)`` of a half-width mark with Chinese on both sides."""
    if 0 < start < len(text) - 1 and is_cjk(text[start - 1]) and is_cjk(text[start + 1]) \
            and (is_han(text[start - 1]) or is_han(text[start + 1])):
        return start, start + 1, FULLWIDTH[text[start]]
    return None


@dataclass(frozen=True)
class RuleCheck:
    category: str
    level: str
    triggers: tuple[str, ...]
    confirm: Callable[[str, int], tuple[int, int, str] | None]


RULE_CHECKS: tuple[RuleCheck, ...] = (
    RuleCheck("文号", "block", tuple(b + y for b in OPEN_BRACKETS for y in ("19", "20")), doc_no_brackets),
    RuleCheck("标点", "warn", tuple(FULLWIDTH), halfwidth_punctuation),
)


# ---- the automaton -------------------------------------------------------------------------

def _bytes(text: str) -> str:
    """UTF-8 bytes as a str of code points 0-255: the automaton's alphabet (see :class:`Matcher`)."""
    return text.encode("utf-8").decode("latin-1")


class Matcher:
    """Every word and every rule trigger in one automaton; :meth:`scan` is one pass over a text.

    pyahocorasick finds the child of a trie node by a linear search, so a node with thousands of
    children (the root, for thousands of Chinese words) makes every character slow. The automaton
    therefore runs over UTF-8 bytes (as code points 0-255), where no node has more than 64
    children: matching speed stays flat however many words the lists hold. UTF-8 is
    self-synchronising, so a word's bytes only ever match at a character boundary.
    """

    def __init__(self, entries: list[Entry], rules: tuple[RuleCheck, ...] = RULE_CHECKS):
        self.entries = entries
        self.rules = rules
        self.automaton = ahocorasick.Automaton()
        for entry in entries:
            self.automaton.add_word(_bytes(entry.word), (len(_bytes(entry.word)), entry))
        for rule in rules:
            for trigger in rule.triggers:
                self.automaton.add_word(_bytes(trigger), (len(_bytes(trigger)), rule))
        if len(self.automaton):
            self.automaton.make_automaton()

    def scan(self, text: str) -> list[tuple[int, int, str, str, str, str]]:
        """``(start, end, found, category, level, suggestion)`` for every hit, in text order."""
        if not len(self.automaton) or not text:
            return []
        data = _bytes(text)
        raw = sorted(((last - size + 1, what) for last, (size, what) in self.automaton.iter(data)),
                     key=lambda hit: hit[0])
        hits, byte_at, char_at = [], 0, 0
        for byte_start, what in raw:  # byte offsets to character offsets, left to right
            if len(data) != len(text):
                char_at += len(data[byte_at:byte_start].encode("latin-1").decode("utf-8"))
                byte_at = byte_start
            else:
                char_at = byte_start
            if isinstance(what, Entry):
                hits.append((char_at, char_at + len(what.word), what.word, what.category, what.level,
                             what.suggestion))
            elif (found := what.confirm(text, char_at)) is not None:
                begin, end, suggestion = found
                hits.append((begin, end, text[begin:end], what.category, what.level, suggestion))
        return sorted(set(hits))


SCREEN_REGEX_MAX = 300  # blocking words a Screen looks for with one regular expression (beyond, with the automaton)


class Screen:
    """Whether a text has a blocking hit (what :meth:`Matcher.scan` finds at level ``block``), quickly:
    stops at the first hit and confirms a rule trigger only where one is; the publication history
    screens every version with it.

    Up to :data:`SCREEN_REGEX_MAX` blocking words, one regular expression of the words and the triggers
    (its scan skips to the characters that can start one: about three times faster than the automaton
    over UTF-8 bytes); more words make an alternation slow, and then the automaton runs."""

    def __init__(self, entries: list[Entry], regex_max: int = SCREEN_REGEX_MAX):
        words = sorted({e.word for e in entries if e.level == "block"})
        rules = tuple(r for r in RULE_CHECKS if r.level == "block")
        self.words = frozenset(words)
        self.triggers = {t: r for r in rules for t in r.triggers}
        self.pattern = re.compile("|".join(map(re.escape, words + sorted(self.triggers)))) \
            if len(words) <= regex_max else None
        self.matcher = Matcher([e for e in entries if e.level == "block"], rules) if self.pattern is None else None

    def finds(self, text: str) -> bool:
        if self.pattern is None:
            return has_blocking(self.matcher, text)
        pos = 0
        while (found := self.pattern.search(text, pos)) is not None:
            if found.group() in self.words or self.triggers[found.group()].confirm(text, found.start()) is not None:
                return True
            pos = found.start() + 1  # a word may start inside a trigger that was not a 文号
        return False


def has_blocking(matcher: Matcher, text: str) -> bool:
    """Whether :meth:`Matcher.scan` of ``matcher`` (blocking entries and rules only) finds a hit in ``text``."""
    if not len(matcher.automaton) or not text:
        return False
    data = _bytes(text)
    for last, (size, what) in matcher.automaton.iter(data):
        if isinstance(what, Entry):
            return True
        start = last - size + 1
        at = start if len(data) == len(text) else len(data[:start].encode("latin-1").decode("utf-8"))
        if what.confirm(text, at) is not None:
            return True
    return False


# ---- word lists ----------------------------------------------------------------------------

def load_wordlists(content_dir: Path) -> tuple[list[Entry], list[Issue]]:
    """Every entry of ``_data/wordlists/*.yml`` (none when the folder is absent) and every problem."""
    folder = Path(content_dir) / DATA_DIR / WORDLIST_DIR
    paths = sorted(folder.glob("*.yml")) if folder.is_dir() else []
    return wordlist_entries((f"{DATA_DIR}/{WORDLIST_DIR}/{path.name}", path.read_bytes()) for path in paths)


def is_wordlist(rel: str) -> bool:
    """Whether a path relative to the content directory is a word list (what :func:`load_wordlists` reads)."""
    folder, _, name = rel.rpartition("/")
    return folder == f"{DATA_DIR}/{WORDLIST_DIR}" and name.endswith(".yml")


def wordlist_entries(files: Iterable[tuple[str, bytes]]) -> tuple[list[Entry], list[Issue]]:
    """The entries of word list files given as (path relative to the content directory, bytes), in
    path order, and every problem: the lists of any commit, read from Git."""
    entries: dict[str, Entry] = {}
    issues: list[Issue] = []
    for rel, data in sorted(files):
        for entry, line, problem in _read_wordlist(rel, data):
            if problem is not None:
                issues.append(problem)
            elif entry.word in entries:
                issues.append(Issue(rel, line, "word", f"词条“{entry.word}”重复（{entries[entry.word].source} 已有）",
                                    "删除其中一个", Severity.WARNING))
            else:
                entries[entry.word] = entry
    return list(entries.values()), issues


def _read_wordlist(rel: str, data: bytes):
    text, problems = decode(rel, data)
    if text is None:
        yield from ((None, 0, p) for p in problems)
        return
    loader = None
    try:
        loader = StrictLoader(text)  # PyYAML's own reader refuses control characters here
        node = loader.get_single_node()
        items = construct(loader, node) if node is not None else []
    except yaml.YAMLError as exc:
        mark, message, fix = yaml_problem(exc, text)
        yield None, 0, Issue(rel, mark.line + 1 if mark else 1, "YAML", f"词表不是合法的 YAML：{message}", fix)
        return
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(items, list):
        yield None, 0, Issue(rel, 1, "词表", "词表应为词条列表", "每行一条：- {word: 攻府, category: 错别字, level: block, suggestion: 政府}")
        return
    line_of = editor_line(text)
    for item, item_node in zip(items, node.value):
        line = line_of(item_node.start_mark)
        if not isinstance(item, dict) or not str(item.get("word") or "").strip():
            yield None, line, Issue(rel, line, "word", "词条缺少 word", "写成 {word: 词, category: 类别, level: block, suggestion: 建议}")
            continue
        level, category = str(item.get("level") or ""), str(item.get("category") or "").strip()
        if level not in LEVELS:
            yield None, line, Issue(rel, line, "level", f"词条“{item['word']}”的 level“{level}”无效", "可选：block | warn")
        elif not category:
            yield None, line, Issue(rel, line, "category", f"词条“{item['word']}”缺少 category", "例如 错别字、固定表述、禁用词")
        else:
            yield Entry(str(item["word"]).strip(), category, level, str(item.get("suggestion") or "").strip(),
                        f"{rel}:{line}"), line, None


def load_matcher(content_dir: Path) -> tuple[Matcher, list[Issue]]:
    entries, issues = load_wordlists(content_dir)
    return Matcher(entries), issues


# ---- one document ----------------------------------------------------------------------------

def _position(text: str, offset: int) -> tuple[int, int]:
    """0-based line and 1-based column of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset), offset - line_start + 1


def find_hits(doc: Document, matcher: Matcher, raw_line: Callable[[int], str] | None = None) -> list[Hit]:
    """Every hit in the public metadata texts (:data:`FIELDS`) and the body, with its line and column in the file."""
    hits = []
    for name, _label in FIELDS:
        for place, text in _texts(doc.meta, name.split(".")):
            for start, end, found, category, level, suggestion in matcher.scan(text):
                line, col = _place_in_file(raw_line, doc.line(place), text, start, end, len(place.split(".")[-1]) + 2)
                hits.append(Hit(name.replace(".*", ""), line, col, found, category, level, suggestion))
    for start, _end, found, category, level, suggestion in matcher.scan(doc.body):
        row, col = _position(doc.body, start)
        hits.append(Hit("body", doc.body_line + row, col, found, category, level, suggestion))
    return hits


def _texts(value, path: list[str], at: str = ""):
    """(dotted place, text) of every text at ``path`` (``*``: each item of a list) under ``value``."""
    if not path:
        if isinstance(value, str):
            yield at, value
        return
    step, rest = path[0], path[1:]
    if step == "*":
        for i, item in enumerate(value if isinstance(value, list) else ()):
            yield from _texts(item, rest, f"{at}.{i}")
    elif isinstance(value, dict):
        yield from _texts(value.get(step), rest, f"{at}.{step}" if at else step)


def _place_in_file(raw_line: Callable[[int], str] | None, line: int, value: str, start: int, end: int,
                   indent: int) -> tuple[int, int]:
    """Line and column of a hit in a metadata value. The raw file is read only for hits (rare);
    without it, a plain one-line value after ``key: `` is assumed."""
    row, col = _position(value, start)
    if raw_line is not None:
        lines = range(line, line + 1) if "\n" not in value else range(line, line + 20)
        left = max(0, start - 4)
        for context, offset in ((value[left:end + 4], start - left), (value[start:end], 0)):
            for n in lines:
                at = raw_line(n).find(context)
                if at >= 0:
                    return n, at + offset + 1
    return line + row, col + (indent if row == 0 else 0)


@dataclass
class Waiver:
    word: str
    line: int | None
    reason: str
    by: str
    at: int  # line of the waiver in the file
    used: bool = False

    def covers(self, hit: Hit, line: int) -> bool:
        """Whether the waiver is for ``hit``, on ``line`` not counting the lines of the waivers."""
        return hit.word == self.word and (self.line is None or self.line == line)


def _waivers(doc: Document, issues: list[Issue], severity: Severity) -> list[Waiver]:
    """The valid waivers; an Issue for each invalid one."""
    raw = doc.meta.get("waivers")
    if raw in (None, [], ""):
        return []
    final = doc.meta.get("review", {}).get("final") if isinstance(doc.meta.get("review"), dict) else None
    final_by = str(final.get("by") or "").strip() if isinstance(final, dict) else ""
    if not isinstance(raw, list):
        issues.append(Issue(doc.source, doc.line("waivers"), "waivers", "豁免应为列表", _WAIVER_FORM, severity))
        return []
    valid = []
    for i, item in enumerate(raw):
        at = doc.line(f"waivers.{i}")
        if not isinstance(item, dict) or not str(item.get("word") or "").strip():
            issues.append(Issue(doc.source, at, "waivers", f"第 {i + 1} 条豁免缺少 word", _WAIVER_FORM, severity))
            continue
        word, by = str(item["word"]).strip(), str(item.get("by") or "").strip()
        reason = str(item.get("reason") or "").strip()
        line = item.get("line")
        if not reason:
            issues.append(Issue(doc.source, at, "waivers", f"豁免“{word}”没有写明理由（reason），不能生效",
                                f"由终审人{final_by or ''}写明为何保留该表述：reason: …", severity))
        elif not final_by or by != final_by:
            issues.append(Issue(doc.source, at, "waivers",
                                f"豁免“{word}”由“{by or '（未写）'}”签署，只有终审人（review.final.by：{final_by or '未签署'}）"
                                "可以豁免", f"写 by: {final_by}，由终审人确认" if final_by else "先完成终审", severity))
        elif line is not None and not (isinstance(line, int) and line > 0):
            issues.append(Issue(doc.source, at, "waivers", f"豁免“{word}”的行号“{line}”无效",
                                "line 写命中所在的行号（见 make check 的输出，不计 waivers 本身的行），"
                                "或删除 line 以豁免该词的所有命中", severity))
        else:
            valid.append(Waiver(word, line, reason, by, at))
    return valid


_WAIVER_FORM = "写成“waivers: [{word: 词, line: 行号, reason: 理由, by: 终审人}]”"


def _waivers_lines(doc: Document) -> tuple[int, int]:
    """(first line, number of lines) of the ``waivers`` entry in the file: from ``waivers:`` to the end of
    its last entry (blank lines and comments below it, before the next field or the closing ``---``, are
    not its own: they may have been there before the waivers were written); (0, 0) without one."""
    first = doc.lines.get("waivers")
    if first is None:
        return 0, 0
    if "waivers" in doc.ends:
        return first, doc.ends["waivers"] - first + 1
    later = [line for name, line in doc.lines.items() if "." not in name and line > first]
    return first, min(later, default=doc.body_line - 1) - first


def check_document(doc: Document, matcher: Matcher,
                   raw_line: Callable[[int], str] | None = None) -> tuple[list[Issue], list[Hit]]:
    """(issues, waived hits) of one document. Blocking hits are errors only on public documents."""
    block = Severity.ERROR if doc.is_public else Severity.WARNING
    issues: list[Issue] = []
    waivers = _waivers(doc, issues, block)
    first, count = _waivers_lines(doc)
    waived: list[Hit] = []
    for hit in find_hits(doc, matcher, raw_line):
        line = hit.line - count if first and hit.line > first else hit.line  # the line its waiver names
        waiver = next((w for w in waivers if w.covers(hit, line)), None)
        if waiver is not None:
            waiver.used = True
            waived.append(Hit(**{**hit.as_dict(), "waived_by": waiver.by, "reason": waiver.reason}))
            continue
        part = LABELS.get(hit.field, "正文")
        fix = f"改为“{hit.suggestion}”" if hit.suggestion else "删除或改写"
        if hit.level == "block":
            fix += "；确需保留的，由终审人在 waivers 中豁免并写明理由"
            if line != hit.line:
                fix += f"，line 写 {line}（行号不计 waivers 本身的 {count} 行）"
        issues.append(Issue(doc.source, hit.line, hit.rule,
                            f"{part}中有{DESCRIBE.get(hit.category, hit.category)}“{hit.word}”", fix,
                            block if hit.level == "block" else Severity.WARNING, hit.col))
    for w in waivers:
        if not w.used:
            issues.append(Issue(doc.source, w.at, "waivers", f"豁免“{w.word}”没有对应的命中",
                                "文本已改正的，删除这条豁免", Severity.WARNING))
    return issues, waived


def check_documents(docs: list[Document], matcher: Matcher, content_dir: Path | None = None) -> list[Issue]:
    """Every document; the waived hits are kept on ``doc.waived`` for the auditors."""
    issues = []
    for doc in docs:
        raw_line = _raw_lines(Path(content_dir) / doc.source) if content_dir else None
        found, doc.waived = check_document(doc, matcher, raw_line)
        issues += found
    return issues


def _raw_lines(path: Path) -> Callable[[int], str]:
    lines: list[str] = []

    def line(n: int) -> str:
        if not lines:
            text, _ = decode(str(path), path.read_bytes()) if path.exists() else ("", [])
            lines.extend((text or "").split("\n"))
        return lines[n - 1] if 0 < n <= len(lines) else ""
    return line


# ---- microbenchmark --------------------------------------------------------------------------

_BENCH_SENTENCES = (
    "为深入贯彻党的二十大精神，全面落实《优化营商环境条例》，进一步激发市场主体活力和社会创造力。",
    "各县（区）人民政府，市政府各部门，各直属机构要按照国办发〔2017〕47号文件要求，认真组织实施。",
    "推行“一网通办”，企业开办时间压缩至0.5个工作日以内，全程免费办理，2024年年底前完成。",
    "对住所（经营场所）实行申报承诺制，推行“一照多址”“一证多址”，便利经营主体扩大经营规模。",
    "市财政局、市发展改革委、市市场监管局按职责分工负责，确保各项措施落到实处、取得实效。",
)


def bench_wording(n_docs: int = 14000, patterns: int = 5000, doc_chars: int = 2500,
                  content_dir: Path | None = None) -> dict:
    """Time the wording checks on ``n_docs`` synthetic documents with ``patterns`` extra words.

    Returns seconds to build the automaton and to check every document, for ``scripts/bench.py``.
    """
    import random

    rng = random.Random(4)
    entries = load_wordlists(content_dir)[0] if content_dir else []
    han = [chr(c) for c in range(0x4e00, 0x4e00 + 3000)]
    entries += [Entry("".join(rng.choices(han, k=4)), "禁用词", "block", "") for _ in range(patterns)]
    t0 = time.perf_counter()
    matcher = Matcher(entries)
    built = time.perf_counter() - t0
    docs = []
    for i in range(n_docs):
        parts, size = [], 0
        while size < doc_chars:
            parts.append(rng.choice(_BENCH_SENTENCES))
            size += len(parts[-1])
        if i % 50 == 0:
            parts.append("根据国办发[2017]47号文件,攻府部门要党十九大精神。")
        docs.append(Document(source=f"bench/{i}.md", meta={"title": f"示例市关于第{i}项工作的通知", "summary": parts[0]},
                             body="\n\n".join(parts), body_line=20, lines={}, status="published"))
    t0 = time.perf_counter()
    issues = check_documents(docs, matcher)
    checked = time.perf_counter() - t0
    chars = sum(len(d.body) for d in docs)
    return {"docs": n_docs, "patterns": len(entries), "chars": chars, "build_s": round(built, 4),
            "check_s": round(checked, 4), "per_doc_ms": round(checked / max(n_docs, 1) * 1000, 4),
            "mchars_per_s": round(chars / checked / 1e6, 2) if checked else 0.0, "issues": len(issues)}
