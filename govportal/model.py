"""The content model: one :class:`Document` per Markdown file, validated field by field.

The schema is declarative: a table of :class:`FieldSpec` (what each field is,
which types require it) and small named checks. :func:`build_document` never
raises; it returns the document (or None) and every issue it found.
"""
from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from dataclasses import dataclass, field
from typing import Callable

from . import dates
from .frontmatter import Parsed
from .identifiers import CANONICAL_DOC_NO, IndexNo, check_doc_no, parse_index_no, suggest_index_no
from .issues import Issue, Severity
from .render import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from .vocab import SLUG, Vocab

TYPES = {
    "policy": "政策文件",
    "interpretation": "政策解读",
    "release": "政务动态",
    "gazette": "政府公报",
    "consultation": "意见征集",
}
STATUSES = {"draft": "草稿", "published": "已发布", "withdrawn": "已撤回"}
VALIDITIES = ("有效", "失效", "废止", "已修订")
ALL_TYPES = tuple(TYPES)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str  # what an editor calls it
    kind: str  # text | texts | refs | ref | date | datetime | enum | mapping | attachments
    required_for: tuple[str, ...] = ()
    allowed_for: tuple[str, ...] = ALL_TYPES
    choices: tuple[str, ...] = ()


SCHEMA: tuple[FieldSpec, ...] = (
    FieldSpec("title", "标题", "text", ALL_TYPES),
    FieldSpec("type", "类型", "enum", ALL_TYPES, choices=tuple(TYPES)),
    FieldSpec("status", "状态", "enum", ALL_TYPES, choices=tuple(STATUSES)),
    FieldSpec("index_no", "索引号", "text", ("policy", "interpretation")),
    FieldSpec("slug", "网址标识", "text"),
    FieldSpec("doc_no", "发文字号", "text", ("policy",)),
    FieldSpec("issuer", "发文机关", "text", ALL_TYPES),
    FieldSpec("written", "成文日期", "date", ("policy",)),
    FieldSpec("date", "发布日期", "datetime"),
    FieldSpec("topic", "主题分类", "text", ("policy", "interpretation")),
    FieldSpec("column", "栏目", "text", ALL_TYPES),
    FieldSpec("keywords", "主题词", "texts"),
    FieldSpec("summary", "内容概述", "text"),
    FieldSpec("validity", "有效性", "enum", ("policy",), ("policy",), VALIDITIES),
    FieldSpec("effective", "施行日期", "date"),
    FieldSpec("expires", "有效期至", "date"),
    FieldSpec("supersedes", "废止或修订的文件", "refs"),
    FieldSpec("interprets", "解读的政策", "refs", ("interpretation",), ("interpretation",)),
    FieldSpec("related", "配套文件", "refs"),
    FieldSpec("attachments", "附件", "attachments"),
    FieldSpec("withdrawal", "撤回信息", "mapping"),
    FieldSpec("change_note", "更新说明", "text"),
    FieldSpec("review", "三审", "mapping"),
    FieldSpec("proofread", "三校", "mapping"),
    FieldSpec("secrecy", "保密审查", "mapping"),
    FieldSpec("waivers", "错敏词豁免", "any"),
    FieldSpec("issue", "期号", "text", ("gazette",), ("gazette",)),
    FieldSpec("contents", "本期目录", "refs", ("gazette",), ("gazette",)),
    FieldSpec("opens", "征集开始日期", "date", ("consultation",), ("consultation",)),
    FieldSpec("closes", "征集截止日期", "date", ("consultation",), ("consultation",)),
    FieldSpec("comment_method", "意见提交方式", "text", (), ("consultation",)),
    FieldSpec("feedback", "意见采纳情况", "text", (), ("consultation",)),
    FieldSpec("outcome", "征集结果文件", "ref", (), ("consultation",)),
)
FIELDS = {f.name: f for f in SCHEMA}


@dataclass
class Attachment:
    file: str  # relative to content/, POSIX
    title: str
    line: int
    sha256: str = ""  # as the final review recorded it (lowercase hex), "" when not recorded
    file_sha256: str | None = None  # of the file as it is: None until read, "" when there is no file
    size: int = 0
    pages: int | None = None
    text: str = ""
    media: str = ""
    href: str = ""  # where the page links it when not /file: a historical version's copy ("-": no file to link)


@dataclass
class Document:
    """One content file, its metadata typed and checked."""

    source: str  # path relative to content/, POSIX
    meta: dict  # as written (for the digest and the auditors)
    body: str
    body_line: int
    lines: dict[str, int]
    ends: dict[str, int] = field(default_factory=dict)  # last line of a top-level list or mapping (Parsed.ends)
    title: str = ""
    type: str = ""
    status: str = "draft"
    issuer: str = ""
    column: str = ""
    topic: str = ""
    index_no: str = ""
    doc_no: str = ""
    slug: str = ""
    date: dt.datetime | None = None
    written: dt.date | None = None
    effective: dt.date | None = None
    expires: dt.date | None = None
    opens: dt.date | None = None
    closes: dt.date | None = None
    keywords: list[str] = field(default_factory=list)
    summary: str = ""
    validity: str = ""
    supersedes: list[str] = field(default_factory=list)
    interprets: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)
    outcome: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    withdrawal: dict = field(default_factory=dict)
    change_note: str = ""
    issue: str = ""
    comment_method: str = ""
    feedback: str = ""
    content_key: str = ""  # hash of the file as read (path, bytes, code, vocabularies): changes with any edit
    _url: str = field(default="", repr=False, compare=False)
    _url_for: tuple = field(default=(), repr=False, compare=False)

    @property
    def type_label(self) -> str:
        return TYPES.get(self.type, self.type)

    @property
    def key(self) -> str:
        """The stable identifier: 索引号 where there is one, else the slug."""
        return self.index_no or self.slug

    @property
    def url(self) -> str:
        """Site-relative URL, ASCII, derived from the stable identifier only (memoised: lists ask often)."""
        key = (self.index_no, self.slug)
        if self._url_for != key:
            ino = parse_index_no(self.index_no) if self.index_no else None
            self._url, self._url_for = f"doc/{ino.slug if ino else self.slug}/", key
        return self._url

    @property
    def is_public(self) -> bool:
        return self.status in ("published", "withdrawn")

    @property
    def public_summary(self) -> str:
        """内容概述 where the site shows it (the page's description, feeds, search): none for a withdrawn
        document, whose page says 原文已不再提供 (the summary retells the text)."""
        return "" if self.status == "withdrawn" else self.summary

    @property
    def public_attachments(self) -> list[Attachment]:
        """The attachments whose titles the site lists and the search finds: none for a withdrawn document
        (its files are no longer provided either)."""
        return [] if self.status == "withdrawn" else self.attachments

    def line(self, name: str) -> int:
        while name:
            if name in self.lines:
                return self.lines[name]
            name = name.rpartition(".")[0]
        return 1


Check = Callable[[Document, Vocab], list[Issue]]


def _issue(doc: Document, name: str, message: str, fix: str = "", warn: bool = False) -> Issue:
    return Issue(doc.source, doc.line(name), name, message, fix,
                 Severity.WARNING if warn else Severity.ERROR)


_LIST_SEPARATORS = re.compile(r"[，,、；;]")


def _coerce(doc: Document, spec: FieldSpec, value, issues: list[Issue]):
    """Turn a YAML value into the field's Python value, or report why it can't."""
    name, label = spec.name, spec.label
    if spec.kind in ("text", "enum"):
        if value is None or (not isinstance(value, (dict, list)) and str(value).strip() == ""):
            return None  # empty is absent: check_required says so when the field is required
        if isinstance(value, (dict, list)):
            issues.append(_issue(doc, name, f"{label}应为一段文字，当前为{_describe(value)}", f"写成“{name}: 内容”"))
            return None
        text = str(value).strip()
        if spec.kind == "enum" and text not in spec.choices:
            close = difflib.get_close_matches(text, spec.choices, 1)
            hint = f"是否应为“{close[0]}”？" if close else ""
            issues.append(_issue(doc, name, f"{label}“{text}”无效", f"{hint}可选：{' | '.join(spec.choices)}"))
            return None
        return text
    if spec.kind in ("texts", "refs"):
        if isinstance(value, str):
            parts = [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()]
            if len(parts) > 1:  # 营商环境，市场主体: several items written as one text
                issues.append(_issue(doc, name, f"{label}“{value.strip()}”是一段文字，看起来是 {len(parts)} 项",
                                     f"写成列表“{name}: [{', '.join(parts)}]”"))
                return None
            value = [value]
        if not isinstance(value, list):
            issues.append(_issue(doc, name, f"{label}应为列表，当前为{_describe(value)}", f"写成“{name}: [值1, 值2]”"))
            return None
        bad = next((i for i, v in enumerate(value, 1) if not (isinstance(v, (str, int)) and str(v).strip())), None)
        if bad is not None:
            issues.append(_issue(doc, name, f"{label}的第 {bad} 项应为一段文字，当前为{_describe(value[bad - 1])}",
                                 f"删去这一项，或写成“{name}: [值1, 值2]”"))
            return None
        return [str(v).strip() for v in value]
    if spec.kind == "ref":
        if not isinstance(value, str) or not value.strip():
            issues.append(_issue(doc, name, f"{label}应为一个索引号", f"写成“{name}: 索引号”"))
            return None
        return value.strip()
    if spec.kind == "date":
        try:
            return dates.parse_date(value)
        except dates.DateProblem as exc:
            issues.append(_issue(doc, name, f"{label}{exc}", "写成 YYYY-MM-DD，例如 2024-03-05"))
            return None
    if spec.kind == "datetime":
        try:
            return dates.parse_datetime(value)
        except dates.DateProblem as exc:
            issues.append(_issue(doc, name, f"{label}{exc}", "写成 YYYY-MM-DD HH:MM，例如 2024-03-05 09:30"))
            return None
    if spec.kind == "mapping":
        if not isinstance(value, dict):
            issues.append(_issue(doc, name, f"{label}应为“键: 值”的映射，当前为{_describe(value)}", ""))
            return None
        return value
    if spec.kind == "attachments":
        return read_attachments(doc, value, issues)
    return value


def _describe(value) -> str:
    if value is None or value == "":
        return "空"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return f"“{value}”"


def read_attachments(doc: Document, value, issues: list[Issue]) -> list[Attachment] | None:
    """The ``attachments`` entry as :class:`Attachment` objects (None when it is no list); what is wrong, in ``issues``."""
    if not isinstance(value, list):
        issues.append(_issue(doc, "attachments", "附件应为列表", "写成“attachments: [{file: attachments/…/x.pdf, title: 名称}]”"))
        return None
    result = []
    for i, item in enumerate(value):
        name = f"attachments.{i}"
        if isinstance(item, str):
            item = {"file": item}
        if not isinstance(item, dict) or not isinstance(item.get("file"), str) or not item["file"].strip():
            issues.append(_issue(doc, name, f"第 {i + 1} 个附件缺少 file", "写成“{file: attachments/…/x.pdf, title: 名称}”"))
            continue
        file = attachment_file(item["file"])
        title = str(item.get("title") or file.rsplit("/", 1)[-1])
        sha256 = item.get("sha256")
        sha256 = "" if sha256 is None else str(sha256).strip().lower()
        if sha256 and not SHA256_HEX.fullmatch(sha256):
            issues.append(_issue(doc, name, f"第 {i + 1} 个附件的 sha256“{item.get('sha256')}”不是 64 位十六进制数",
                                 "sha256 由终审签署自动记录，不要手工填写：删除这一项后重新终审"
                                 "（scripts/review sign 文件 --step review.final --by 终审人）"))
            sha256 = ""
        result.append(Attachment(file=file, title=title, line=doc.line(name), sha256=sha256))
    return result


SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def attachment_file(written: str) -> str:
    """An attachment's ``file`` as a path relative to content/, the way Git names it (./a/x.pdf is a/x.pdf)."""
    return posixpath.normpath(written.strip().lstrip("/"))


# ---- named checks over one document (cross-field rules) ------------------------------


def check_unknown_fields(doc: Document, vocab: Vocab) -> list[Issue]:
    out = []
    for name in doc.meta:
        if name not in FIELDS:
            close = difflib.get_close_matches(str(name), FIELDS, 1)
            fix = f"是否应为“{close[0]}”？" if close else "请核对字段名（见 README 的内容模型）"
            out.append(_issue(doc, str(name), f"未知字段“{name}”", fix, warn=True))
    return out


# the keys of the sign-off mappings (review sign writes them): the steps, and what each step records
SIGNOFF_KEYS = {"review": ("first", "second", "final"), "proofread": ("first", "second", "third")}
STEP_KEYS = {"review.final": ("by", "on", "digest"), "secrecy": ("by", "on", "result")}


def check_signoff_keys(doc: Document, vocab: Vocab) -> list[Issue]:
    """A misspelt step or key in 三审三校 (``fianl:``, ``digets:``) is pointed out: the gate would
    only find the step missing."""
    out = []

    def unknown(where: str, mapping: dict, known: tuple[str, ...]) -> None:
        for key in mapping:
            if str(key) not in known:
                close = difflib.get_close_matches(str(key), known, 1)
                fix = f"是否应为“{close[0]}”？" if close else f"可用的键：{'、'.join(known)}"
                out.append(_issue(doc, f"{where}.{key}", f"{where} 中有未知的键“{key}”", fix, warn=True))

    for name in ("review", "proofread", "secrecy"):
        value = doc.meta.get(name)
        if not isinstance(value, dict):
            continue
        steps = {name: value} if name == "secrecy" else value
        if name != "secrecy":
            unknown(name, value, SIGNOFF_KEYS[name])
        for step, signed in steps.items():
            where = name if name == "secrecy" else f"{name}.{step}"
            if isinstance(signed, dict) and (name == "secrecy" or str(step) in SIGNOFF_KEYS[name]):
                unknown(where, signed, STEP_KEYS.get(where, ("by", "on")))
    return out


def check_required(doc: Document, vocab: Vocab) -> list[Issue]:
    out = []
    if doc.meta.get("type") in (None, ""):  # without a type no other field is known to be required
        out.append(_issue(doc, "type", "缺少必填字段类型（type）",
                          "添加“type: 类型”，可选：" + " | ".join(f"{t}（{label}）" for t, label in TYPES.items())))
    for spec in SCHEMA:
        present = doc.meta.get(spec.name) not in (None, "", [], {})
        if not present and doc.type in spec.required_for:
            example = {"date": "2024-03-05 09:30", "written": "2024-03-01", "index_no": "11379900MB0000000X/2024-00012",
                       "doc_no": "示政发〔2024〕12号"}.get(spec.name, "…")
            out.append(_issue(doc, spec.name, f"缺少必填字段{spec.label}（{spec.name}）",
                              f"添加“{spec.name}: {example}”"))
        elif present and doc.type and doc.type not in spec.allowed_for:
            allowed = "、".join(TYPES[t] for t in spec.allowed_for)
            out.append(_issue(doc, spec.name, f"{spec.label}只用于{allowed}，不适用于{doc.type_label}", "删除该字段",
                              warn=True))
    if doc.is_public and "date" not in doc.meta:
        out.append(_issue(doc, "date", "已发布的文件缺少发布日期（date）", "添加“date: YYYY-MM-DD HH:MM”"))
    if doc.status == "withdrawn":
        w = doc.meta.get("withdrawal")
        if not isinstance(w, dict):
            out.append(_issue(doc, "withdrawal", "已撤回的文件缺少撤回信息", "添加“withdrawal: {on: 日期, by: 姓名, reason: 原因}”"))
        else:
            for key, label in (("on", "撤回日期"), ("by", "撤回人"), ("reason", "撤回原因")):
                if not w.get(key):
                    out.append(_issue(doc, f"withdrawal.{key}", f"撤回信息缺少{label}", f"添加 {key}"))
            if w.get("on"):
                try:
                    on = dates.parse_date(w["on"])
                    if doc.date and on < doc.date.date():
                        out.append(_issue(doc, "withdrawal.on", f"撤回日期 {on} 早于发布日期 {doc.date.date()}",
                                          "核对 withdrawal.on。如果是要立即撤回一个定时更新还没到发布日期的文件："
                                          "先把文件恢复为正在公开的那一版（例如 git revert 那次定时更新的提交），再撤回"))
                except dates.DateProblem as exc:
                    out.append(_issue(doc, "withdrawal.on", f"撤回日期{exc}", "写成 YYYY-MM-DD"))
    elif "withdrawal" in doc.meta:
        out.append(_issue(doc, "withdrawal", "只有 status: withdrawn 的文件才有撤回信息", "删除 withdrawal 或把 status 改为 withdrawn"))
    return out


def check_identifiers(doc: Document, vocab: Vocab) -> list[Issue]:
    out = []
    if doc.index_no and not parse_index_no(doc.index_no):
        fix = suggest_index_no(doc.index_no)
        out.append(_issue(doc, "index_no", f"索引号“{doc.index_no}”格式不对",
                          f"应为“{fix}”" if fix else "格式为“机构代码/年份-五位序号”，例如 000014349/2018-00222"))
        doc.index_no = ""
    if doc.slug and not SLUG.match(doc.slug):
        out.append(_issue(doc, "slug", f"网址标识“{doc.slug}”不是小写 ASCII", "只用小写字母、数字和连字符，例如 2024-spring-meeting"))
        doc.slug = ""
    if not doc.index_no and not doc.slug and "index_no" not in doc.meta and "slug" not in doc.meta:
        stem = doc.source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if SLUG.match(stem):
            doc.slug = stem
        else:
            out.append(_issue(doc, "slug", "文件没有索引号，文件名也不能用作网址", "添加 index_no，或添加小写 ASCII 的“slug: …”"))
    if "doc_no" in doc.meta and doc.doc_no:
        ok, suggestion = check_doc_no(doc.doc_no)
        if not ok:
            fix = (f"应写作“{suggestion}”：年份用六角括号〔〕，不加“第”，序号不编虚位"
                   if suggestion else "格式为“机关代字〔年份〕序号号”，例如 示政发〔2024〕12号")
            out.append(_issue(doc, "doc_no", f"发文字号“{doc.doc_no}”不规范", fix))
    return out


def _check_issuer_codes(doc: Document, issuer) -> list[Issue]:
    """The 索引号's 前段码 is the issuer's code, the 发文字号's 代字 one of its abbreviations (warnings:
    a document issued jointly may carry another organ's number)."""
    out = []
    ino = parse_index_no(doc.index_no) if doc.index_no else None
    if ino and issuer.code and ino.org.split("-")[0] != issuer.code:
        out.append(_issue(doc, "index_no", f"索引号前段码“{ino.org}”不是发文机关“{issuer.name}”的代码 {issuer.code}",
                          f"核对索引号或发文机关：{issuer.name}的索引号以“{issuer.code}/”开头", warn=True))
    m = CANONICAL_DOC_NO.match(doc.doc_no or "")
    if m and issuer.abbr and m.group("prefix") not in issuer.abbr:
        out.append(_issue(doc, "doc_no", f"发文字号的机关代字“{m.group('prefix')}”不是发文机关“{issuer.name}”的代字"
                                         f"（{'、'.join(issuer.abbr)}）",
                          "核对发文字号或发文机关；新启用的代字请登记在 _data/issuers.yml 该机关的 abbr 中", warn=True))
    return out


def check_vocabulary(doc: Document, vocab: Vocab) -> list[Issue]:
    out = []
    if doc.issuer and doc.issuer not in vocab.issuers:
        close = difflib.get_close_matches(doc.issuer, vocab.issuers, 1)
        out.append(_issue(doc, "issuer", f"发文机关“{doc.issuer}”不在 _data/issuers.yml 中",
                          f"是否应为“{close[0]}”？" if close else "先在 _data/issuers.yml 中登记该机关"))
    elif doc.issuer:
        out += _check_issuer_codes(doc, vocab.issuers[doc.issuer])
    if doc.column and doc.column not in vocab.columns:
        close = difflib.get_close_matches(doc.column, vocab.columns, 1)
        out.append(_issue(doc, "column", f"栏目“{doc.column}”不在 _data/columns.yml 中",
                          f"是否应为“{close[0]}”？" if close else "栏目写成从顶级开始的路径，例如 政策文件/市政府文件"))
    if doc.topic and doc.topic not in vocab.topics:
        close = difflib.get_close_matches(doc.topic, vocab.topics, 1)
        out.append(_issue(doc, "topic", f"主题分类“{doc.topic}”不在 _data/topics.yml 中",
                          f"是否应为“{close[0]}”？" if close else "写成“大类/小类”，例如 综合政务/营商环境"))
    return out


def check_dates(doc: Document, vocab: Vocab) -> list[Issue]:
    out = []
    if doc.written and doc.date and doc.written > doc.date.date():
        out.append(_issue(doc, "written", f"成文日期 {doc.written} 晚于发布日期 {doc.date.date()}",
                          "成文日期不能晚于发布日期，请核对 written 和 date"))
    if doc.effective and doc.expires and doc.expires < doc.effective:
        out.append(_issue(doc, "expires", "有效期至早于施行日期", "核对 effective 和 expires"))
    if doc.opens and doc.closes and doc.closes < doc.opens:
        out.append(_issue(doc, "closes", "征集截止日期早于开始日期", "核对 opens 和 closes"))
    return out


def check_body(doc: Document, vocab: Vocab) -> list[Issue]:
    if not doc.body.strip():
        return [Issue(doc.source, doc.body_line, "正文", "正文为空", "在结束的“---”之后写正文；撤回的文件也要保留原文")]
    return []


_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>])([^<>]*)>")
_HTML_ATTRIBUTE = re.compile(r"([A-Za-z_:][-A-Za-z0-9_:.]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_SCRIPT_LINK = re.compile(r"\]\(\s*<?\s*(?:javascript|data):", re.I)
_FENCE = re.compile(r"^\s*(```|~~~)")
_LOST_WITH_CONTENT = frozenset(("script", "style", "iframe", "object", "embed", "form", "input", "button", "select",
                                "textarea", "video", "audio", "frame", "frameset", "applet"))


def check_raw_html(doc: Document, vocab: Vocab) -> list[Issue]:
    """HTML written in the body that the published page would not keep (the sanitiser drops it, see
    :mod:`.render`): an error for what takes content or function with it (script, iframe, form…), a
    warning for other tags, attributes (style, onclick…) and javascript: links. Code is not looked at."""
    out, fenced = [], False
    for offset, line in enumerate(doc.body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")) or ("<" not in line and "](" not in line):
            continue
        line = _CODE_SPAN.sub("", line)
        if _SCRIPT_LINK.search(line):
            out.append(Issue(doc.source, doc.body_line + offset, "正文", "正文中的链接不是网址（javascript: 或 data:），链接不会发布",
                             "改为 https:// 开头的网址或站内路径", Severity.WARNING))
        for m in _HTML_TAG.finditer(line):
            closing, tag, attributes = m.group(1), m.group(2).lower(), m.group(3)
            where = doc.body_line + offset
            if tag not in ALLOWED_TAGS:
                if closing:
                    continue
                lost = tag in _LOST_WITH_CONTENT
                out.append(Issue(doc.source, where, "正文", f"正文中的 HTML 标签 <{tag}> 不会发布"
                                 + ("，页面上这一部分将缺失" if lost else "（只保留其中的文字）"),
                                 "删去这个标签；表格、列表、链接请用 Markdown 写，视频等放在附件中",
                                 Severity.ERROR if lost else Severity.WARNING))
                continue
            allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
            for attribute, value in _HTML_ATTRIBUTE.findall(attributes.rstrip("/")):
                name = attribute.lower()
                if name not in allowed:
                    out.append(Issue(doc.source, where, "正文", f"正文中 <{tag}> 的属性 {name} 不会发布",
                                     "删去这个属性（样式由网站统一设定）", Severity.WARNING))
                elif name in ("href", "src") and value.strip("\"'").strip().lower().startswith(("javascript:", "data:")):
                    out.append(Issue(doc.source, where, "正文", f"正文中 <{tag}> 的 {name} 不是网址，链接不会发布",
                                     "改为 https:// 开头的网址或站内路径", Severity.WARNING))
                elif tag == "img" and name == "src" and "//" in value:
                    out.append(Issue(doc.source, where, "正文", "正文中 <img> 的图片来自其他网站，不会显示（网站不加载外部资源）",
                                     "把图片放在 attachments/ 下，用站内路径引用", Severity.WARNING))
    return out


DOCUMENT_CHECKS: tuple[Check, ...] = (
    check_unknown_fields, check_signoff_keys, check_required, check_identifiers, check_vocabulary, check_dates,
    check_body, check_raw_html,
)


def build_document(parsed: Parsed, vocab: Vocab) -> tuple[Document, list[Issue]]:
    """Type every field of a parsed file and run the document checks."""
    doc = Document(source=parsed.path, meta=parsed.meta, body=parsed.body,
                   body_line=parsed.body_line, lines=parsed.lines, ends=parsed.ends)
    issues: list[Issue] = []
    for spec in SCHEMA:
        if spec.name not in parsed.meta:
            continue
        value = _coerce(doc, spec, parsed.meta[spec.name], issues)
        if value is not None and spec.kind != "mapping" and spec.kind != "any":
            setattr(doc, spec.name, value)
        elif value is not None and spec.name == "withdrawal":
            doc.withdrawal = value
    if "type" not in parsed.meta or not doc.type:
        doc.type = doc.type if doc.type in TYPES else ""
    for check in DOCUMENT_CHECKS:
        issues.extend(check(doc, vocab))
    return doc, issues
