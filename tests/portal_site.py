"""The demo portal for the portal tests (test_portal.py, test_a11y.py): built once, as of a fixed time.

A fixed build time keeps the page types stable whatever the calendar says: the 2026 consultation
is open, the 2025 one closed, and 一月政策 runs to October 2026.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import ROOT, run_build, serve

NOW = "2026-11-23T12:00:00"

# One page of each type: path in the output -> what it is.
PAGE_TYPES = {
    "home": "index.html",
    "column": "column/zcwj/index.html",
    "subcolumn": "column/zcwj/szfwj/index.html",
    "interaction": "column/hdjl/index.html",
    "topic": "topic/zhzw-yshj/index.html",
    "issuer": "issuer/szf/index.html",
    "policy": "doc/11379900mb0000000x-2024-00012/index.html",
    "repealed policy": "doc/11379900mb0000000x-2023-00008/index.html",
    "amended policy": "doc/11379900mb0000000x-2023-00015/index.html",
    "interpretation": "doc/11379900mb0000101y-2024-00021/index.html",
    "release": "doc/news-2024-0308-yingshang-dahui/index.html",
    "withdrawn": "doc/notice-2025-0901-zhengwu-zhongxin/index.html",
    "gazette": "doc/gazette-2025-2/index.html",
    "open consultation": "doc/consultation-2026-yinfa-jingji/index.html",
    "closed consultation": "doc/11379900mb0000105c-2025-00001/index.html",
    "catalogue": "catalogue/index.html",
    "catalogue by type": "catalogue/type/policy/index.html",
    "monthly": "monthly/2024-03/index.html",
    "monthly index": "monthly/index.html",
    "sitemap": "sitemap/index.html",
    "update record": "history/index.html",
    "404": "404.html",
}
CONTENT_PAGES = {"policy", "repealed policy", "amended policy", "interpretation", "release", "withdrawn", "gazette",
                 "open consultation", "closed consultation", "monthly"}

_cache: dict[str, object] = {}


def portal_output(tmp_path_factory) -> Path:
    if "output" not in _cache:
        out = tmp_path_factory.mktemp("portal") / "output"
        code, _ = run_build(ROOT / "content", out, "--now", NOW)
        assert code == 0, "the demo content must build"
        _cache["output"] = out
    return _cache["output"]


def portal_server(tmp_path_factory) -> str:
    if "url" not in _cache:
        server = serve(portal_output(tmp_path_factory))
        _cache["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    return _cache["url"]


def url_of(path: str) -> str:
    """The URL path a visitor types for an output file."""
    return "/" + path[: -len("index.html")] if path.endswith("index.html") else "/" + path


# ---- a small DOM over html.parser, enough for the checks ---------------------------------------
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None" = None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list["Node"]:
        """Elements by tag and attributes; ``class_`` matches one class among several."""
        out = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            ok = True
            for key, want in attrs.items():
                if key == "class_":
                    ok = want in (node.attrs.get("class") or "").split()
                else:
                    ok = node.attrs.get(key.replace("_", "-")) == want
                if not ok:
                    break
            if ok:
                out.append(node)
        return out

    def find(self, tag: str | None = None, **attrs) -> "Node | None":
        found = self.find_all(tag, **attrs)
        return found[0] if found else None


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root
