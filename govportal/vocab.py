"""Controlled vocabularies in ``content/_data/``: site identity, columns, topics, issuers, reviewers."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import dates
from .frontmatter import StrictLoader, construct, decode, editor_line, yaml_problem
from .issues import Issue

import yaml

DATA_DIR = "_data"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
STEPS = ("review.first", "review.second", "review.final",
         "proofread.first", "proofread.second", "proofread.third", "secrecy")
COLUMN_TYPES = ("首页", "概况信息", "机构职能", "负责人信息", "工作动态", "政策文件", "信息公开指南",
                "信息公开目录", "信息公开年报", "依法申请公开", "数据发布", "数据开放", "政策解读",
                "回应关切", "办事服务", "咨询投诉", "征集调查", "在线访谈")


@dataclass
class Column:
    name: str
    slug: str
    path: str  # 政策文件/市政府文件
    url_path: str  # column/zcwj/szfwj/
    column_type: str
    description: str
    keywords: list[str]
    parent: "Column | None" = None
    children: list["Column"] = field(default_factory=list)

    @property
    def ancestors(self) -> list["Column"]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


@dataclass
class Topic:
    path: str  # 综合政务/营商环境
    name: str
    slug: str
    parent: str = ""


@dataclass
class Issuer:
    name: str
    slug: str
    code: str = ""
    abbr: list[str] = field(default_factory=list)


@dataclass
class Reviewer:
    name: str
    unit: str
    steps: list[str]
    left: dt.date | None = None  # 离任日期: sign-offs dated after it are not valid, those before it stay valid


@dataclass
class Vocab:
    site: dict
    columns: dict[str, Column]  # by path
    topics: dict[str, Topic]    # by path
    issuers: dict[str, Issuer]  # by name
    reviewers: dict[str, Reviewer]  # by name
    wordlists: dict[str, list] = field(default_factory=dict)

    @property
    def root_columns(self) -> list[Column]:
        return [c for c in self.columns.values() if c.parent is None]


SITE_REQUIRED = {
    "name": "网站名称", "domain": "网站域名", "site_id_code": "网站标识码", "host_unit": "主办单位",
    "icp": "ICP备案号", "psb": "公安机关备案号", "contact": "联系方式",
}


class _Entry(dict):
    """A mapping read from a vocabulary file, with the line it starts on (for the messages)."""

    line = 0


class _VocabLoader(StrictLoader):
    """The content's YAML rules, every mapping an :class:`_Entry` that knows its line (as the editor counts)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.line_of = editor_line(text)


def _entry(loader: _VocabLoader, node: yaml.MappingNode) -> _Entry:
    entry = _Entry(loader.construct_mapping(node, deep=True))
    entry.line = loader.line_of(node.start_mark)
    return entry


_VocabLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _entry)


REVIEWER_KEYS = ("name", "unit", "steps", "left")  # an entry of reviewers.yml


def _unique(issues: list[Issue], file: str, node, field: str, key: str, name: str, seen: dict[str, str]) -> None:
    """An Issue when ``key`` (a name, or the page address a slug makes) is in ``seen`` already,
    which maps each to the entry that has it; else records it."""
    if key in seen:
        what = "名称" if field == "name" else f"网址标识（{key}/）"
        issues.append(Issue(file, _line(node), field, f"“{name}”与“{seen[key]}”的{what}相同",
                            "每项的 name 和 slug 都不能重复：改正其中一项"))
    else:
        seen[key] = name


def _line(node) -> int:
    return node.line if isinstance(node, _Entry) else 0


def _load_yaml(path: Path, rel: str) -> tuple[object, list[Issue]]:
    return _parse_yaml(path.read_bytes() if path.exists() else None, rel)


def _parse_yaml(data: bytes | None, rel: str) -> tuple[object, list[Issue]]:
    """A vocabulary file's YAML from its bytes (None: the file is missing)."""
    if data is None:
        return None, [Issue(rel, 0, "文件", "缺少受控词表文件", f"请创建 {rel}（格式见 README）")]
    text, issues = decode(rel, data)
    if text is None:
        return None, issues
    loader = None
    try:
        loader = _VocabLoader(text)  # PyYAML's own reader refuses control characters here
        node = loader.get_single_node()
        return (construct(loader, node) if node is not None else None), []
    except yaml.YAMLError as exc:
        mark, message, fix = yaml_problem(exc, text)
        return None, [Issue(rel, mark.line + 1 if mark else 0, "YAML", f"不是合法的 YAML：{message}", fix)]
    finally:
        if loader is not None:
            loader.dispose()


def load_vocab(content_dir: Path) -> tuple[Vocab, list[Issue]]:
    """Read every vocabulary file; return what could be read and every problem."""
    data = Path(content_dir) / DATA_DIR
    issues: list[Issue] = []

    def rel(name: str) -> str:
        return f"{DATA_DIR}/{name}"

    site, found = _load_yaml(data / "site.yml", rel("site.yml"))
    issues += found
    site = site if isinstance(site, dict) else {}
    for key, label in SITE_REQUIRED.items():
        if not site.get(key) and not found:
            issues.append(Issue(rel("site.yml"), 0, key, f"缺少{label}", f"在 site.yml 中填写 {key}"))

    raw_columns, found = _load_yaml(data / "columns.yml", rel("columns.yml"))
    issues += found
    columns: dict[str, Column] = {}

    def add_columns(nodes, parent: Column | None, depth: int):
        if not isinstance(nodes, list):
            return
        for node in nodes:
            if not isinstance(node, dict) or not node.get("name") or not node.get("slug"):
                issues.append(Issue(rel("columns.yml"), _line(node), "name", f"栏目缺少 name 或 slug：{node!r}",
                                    "每个栏目写成 {name: 名称, slug: ascii, column_type: 类型}"))
                continue
            name, slug = str(node["name"]), str(node["slug"])
            if not SLUG.match(slug):
                issues.append(Issue(rel("columns.yml"), _line(node), "slug", f"栏目“{name}”的 slug“{slug}”不是小写 ASCII",
                                    "只用小写字母、数字和连字符"))
            ctype = str(node.get("column_type") or (parent.column_type if parent else "工作动态"))
            if ctype not in COLUMN_TYPES:
                issues.append(Issue(rel("columns.yml"), _line(node), "column_type", f"栏目“{name}”的类型“{ctype}”不在规范列表中",
                                    "可选：" + "、".join(COLUMN_TYPES)))
            path = f"{parent.path}/{name}" if parent else name
            col = Column(name=name, slug=slug, path=path,
                         url_path=(parent.url_path if parent else "column/") + slug + "/",
                         column_type=ctype, description=str(node.get("description") or name),
                         keywords=[str(k) for k in node.get("keywords") or [name]], parent=parent)
            if path in columns:
                issues.append(Issue(rel("columns.yml"), _line(node), "name", f"栏目“{path}”重复", "删除重复的栏目"))
            else:
                _unique(issues, rel("columns.yml"), node, "slug", col.url_path.rstrip("/"), path, seen_urls)
            columns[path] = col
            if parent:
                parent.children.append(col)
            if depth >= 3 and node.get("children"):
                issues.append(Issue(rel("columns.yml"), _line(node), "children", f"栏目“{path}”超过三级", "栏目树最多三级"))
            add_columns(node.get("children") or [], col, depth + 1)

    seen_urls: dict[str, str] = {}  # page address -> the column, topic or issuer that has it
    add_columns(raw_columns, None, 1)

    raw_topics, found = _load_yaml(data / "topics.yml", rel("topics.yml"))
    issues += found
    topics: dict[str, Topic] = {}
    names: dict[str, str] = {}  # of the topics, then of the issuers
    for node in raw_topics or []:
        if not isinstance(node, dict) or "name" not in node or "slug" not in node:
            issues.append(Issue(rel("topics.yml"), _line(node), "name", f"主题分类缺少 name 或 slug：{node!r}",
                                "写成 {name: 综合政务, slug: zhzw, children: [{name: 营商环境, slug: yshj}]}"))
            continue
        top = Topic(path=str(node["name"]), name=str(node["name"]), slug=str(node["slug"]))
        _unique(issues, rel("topics.yml"), node, "name", top.path, top.path, names)
        _unique(issues, rel("topics.yml"), node, "slug", f"topic/{top.slug}", top.path, seen_urls)
        topics[top.path] = top
        for child in node.get("children") or []:
            if isinstance(child, dict) and "name" in child and "slug" in child:
                t = Topic(path=f"{top.name}/{child['name']}", name=str(child["name"]),
                          slug=f"{top.slug}-{child['slug']}", parent=top.path)
                _unique(issues, rel("topics.yml"), child, "name", t.path, t.path, names)
                _unique(issues, rel("topics.yml"), child, "slug", f"topic/{t.slug}", t.path, seen_urls)
                topics[t.path] = t
            else:
                issues.append(Issue(rel("topics.yml"), _line(child) or _line(node), "children", f"子类缺少 name 或 slug：{child!r}",
                                    "写成 {name: 营商环境, slug: yshj}"))

    raw_issuers, found = _load_yaml(data / "issuers.yml", rel("issuers.yml"))
    issues += found
    issuers: dict[str, Issuer] = {}
    names = {}
    for node in raw_issuers or []:
        if not isinstance(node, dict) or "name" not in node or "slug" not in node:
            issues.append(Issue(rel("issuers.yml"), _line(node), "name", f"发文机关缺少 name 或 slug：{node!r}",
                                "写成 {name: 示例市人民政府, slug: szf, code: 统一社会信用代码, abbr: [示政发]}"))
            continue
        _unique(issues, rel("issuers.yml"), node, "name", str(node["name"]), str(node["name"]), names)
        _unique(issues, rel("issuers.yml"), node, "slug", f"issuer/{node['slug']}", str(node["name"]), seen_urls)
        issuers[str(node["name"])] = Issuer(str(node["name"]), str(node["slug"]), str(node.get("code") or ""),
                                            [str(a) for a in node.get("abbr") or []])

    path = data / "reviewers.yml"
    reviewers, found = read_reviewers(path.read_bytes() if path.exists() else None)
    issues += found

    return Vocab(site=site, columns=columns, topics=topics, issuers=issuers, reviewers=reviewers), issues


REVIEWERS_FILE = f"{DATA_DIR}/reviewers.yml"


def read_reviewers(data: bytes | None) -> tuple[dict[str, Reviewer], list[Issue]]:
    """The reviewer roster from the bytes of ``_data/reviewers.yml`` (None: the file is missing), and
    every problem: the roster of any commit, read from Git."""
    raw_reviewers, issues = _parse_yaml(data, REVIEWERS_FILE)
    reviewers: dict[str, Reviewer] = {}
    for node in raw_reviewers or []:
        if not isinstance(node, dict) or "name" not in node:
            issues.append(Issue(REVIEWERS_FILE, _line(node), "name", f"审核人缺少 name：{node!r}",
                                "写成 {name: 姓名, unit: 单位, steps: [review.first, proofread.first]}"))
            continue
        for key in node:
            if key not in REVIEWER_KEYS:  # a misspelt left: would let someone who has left go on signing
                close = difflib.get_close_matches(str(key), REVIEWER_KEYS, 1)
                issues.append(Issue(REVIEWERS_FILE, _line(node), str(key), f"“{node['name']}”的字段“{key}”无法识别",
                                    f"是否应为“{close[0]}”？" if close else "可用的字段：" + "、".join(REVIEWER_KEYS)))
        steps = [str(s) for s in node.get("steps") or []]
        for step in steps:
            if step not in STEPS:
                issues.append(Issue(REVIEWERS_FILE, _line(node), "steps", f"“{node['name']}”的步骤“{step}”无效",
                                    "可选：" + "、".join(STEPS)))
        left = None
        if node.get("left") is not None:
            try:
                left = dates.parse_date(node["left"])
            except dates.DateProblem as exc:
                issues.append(Issue(REVIEWERS_FILE, _line(node), "left", f"“{node['name']}”的离任日期{exc}",
                                    "写成 YYYY-MM-DD，例如 left: 2024-03-31"))
        if str(node["name"]) in reviewers:
            issues.append(Issue(REVIEWERS_FILE, _line(node), "name", f"审核人“{node['name']}”在名册中出现了不止一次",
                                "合并为一条，steps 中写全此人可签署的环节"))
            continue
        reviewers[str(node["name"])] = Reviewer(str(node["name"]), str(node.get("unit") or ""), steps, left)
    return reviewers, issues
