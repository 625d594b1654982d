"""``manifest.json``: what a build published, file by file, and checking a deployed copy against it.

Every build writes ``manifest.json`` at the root of the output::

    {"format": 1, "built": "2026-11-23T15:30:00+08:00",
     "source_commit": "<commit of the content repository, null outside Git>",
     "source_uncommitted": ["policy/x.md", …],       # edits not in that commit (a local build)
     "files": {"/index.html": "<sha256 hex>", "/doc/…/index.html": "…", …}}

``files`` has every file of the site but the manifest itself, by its URL path (``/doc/x/``
is served from ``/doc/x/index.html``). An incremental build hashes only the files it
moved in and keeps the previous hashes of the others.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..issues import ConfigError, os_reason
from .gitsource import GitSource

MANIFEST = "manifest.json"
FORMAT = 1


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def hash_files(root: Path, rels: Iterable[str], hasher=sha256_file) -> dict[str, str]:
    """``/rel`` -> SHA-256 of ``root/rel``, read on a few threads (hashlib releases the GIL)."""
    rels = list(rels)
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return {"/" + rel: digest for rel, digest in zip(rels, pool.map(lambda r: hasher(root / r), rels, chunksize=64))}


def _sha256_or_why(path: Path) -> str:
    """The file's SHA-256, or why it cannot be read (prefixed with ``!``)."""
    try:
        return sha256_file(path)
    except OSError as exc:
        return "!" + os_reason(exc)


def site_files(root: Path) -> list[str]:
    """Every file under ``root`` (POSIX, relative) but the manifest."""
    found = []
    for dirpath, _dirs, files in os.walk(root):
        base = Path(dirpath).relative_to(root).as_posix()
        for name in files:
            rel = name if base == "." else f"{base}/{name}"
            if rel != MANIFEST:
                found.append(rel)
    return sorted(found)


def source_state(content_dir: Path) -> tuple[str | None, list[str]]:
    """(HEAD commit or None outside Git, content paths with uncommitted edits)."""
    source = GitSource.find(content_dir)
    if source is None:
        return None, []
    return source.head(), sorted({path for _, path, _ in source.status()})


def manifest(files: dict[str, str], commit: str | None, uncommitted: list[str], built: dt.datetime) -> dict:
    return {"format": FORMAT, "built": built.isoformat(timespec="seconds"), "source_commit": commit,
            "source_uncommitted": uncommitted, "files": dict(sorted(files.items()))}


def read_manifest(path: Path) -> dict | None:
    """The manifest at ``path``, None when it is missing, unreadable or not a manifest."""
    try:
        return load_manifest(path)
    except ManifestError:
        return None


class ManifestError(ConfigError):
    """A manifest that cannot be used to check a site."""


def load_manifest(path: Path, kept: bool = False) -> dict:
    """The manifest at ``path``; raises :class:`ManifestError` saying why it cannot be used and what to do
    (``kept``: the path is the copy kept at build time, given with ``--manifest``)."""
    damaged = "--manifest 指定的清单已损坏，请用另一份构建时留存的副本" if kept else \
        "清单已损坏，请用构建时留存的副本（--manifest）"
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        advice = "--manifest 应指向构建时留存的清单副本，请检查路径" if kept else \
            "每次构建把清单写在网站根目录；或用 --manifest 指定构建时留存的副本"
        raise ManifestError(f"读不到 {path}（{os_reason(exc)}）：{advice}") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path} 不是 UTF-8 文本：{damaged}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ManifestError(f"{path} 第 {getattr(exc, 'lineno', '?')} 行不是有效的 JSON：{damaged}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), dict) \
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in data["files"].items()):
        raise ManifestError(f"{path} 不是本系统的发布清单（应有 \"format\": {FORMAT} 和 files：网址路径 → SHA-256）")
    return data


def write_manifest(root: Path, data: dict) -> Path:
    """Write ``root/manifest.json`` atomically."""
    target = Path(root) / MANIFEST
    tmp = target.with_name(f".{MANIFEST}.{os.getpid()}")
    # one file a line, still with json's C encoder (an indent would make it the slow Python one)
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",\n", ":")) + "\n", "utf-8")
    os.replace(tmp, target)
    return target


def updated_files(previous: dict[str, str], root: Path, moved_in: dict[str, str], removed: Iterable[str],
                  static_dirs: Iterable[str]) -> dict[str, str]:
    """The files after an incremental update: the previous hashes, without the removed pages and the
    static files the build no longer produced (static files are all rebuilt, so all are in ``moved_in``),
    with the new hashes of the files moved in."""
    gone = {"/" + rel for rel in removed}
    static = tuple("/" + d.strip("/") + "/" for d in static_dirs)
    files = {url: digest for url, digest in previous.items() if url not in gone and not url.startswith(static)}
    files.update(moved_in)
    return files


@dataclass
class SiteCheck:
    """A deployed copy against its manifest."""

    added: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    altered: list[tuple[str, str, str]] = field(default_factory=list)  # (URL, expected, found)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (URL, why)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not (self.added or self.missing or self.altered or self.unreadable)

    def lines(self) -> list[str]:
        out = [f"新增（清单中没有）：{url}" for url in self.added]
        out += [f"缺失：{url}" for url in self.missing]
        out += [f"被改动：{url}（清单 sha256 {want[:16]}…，实际 {got[:16]}…）" for url, want, got in self.altered]
        out += [f"无法读取：{url}（{why}）" for url, why in self.unreadable]
        return out


def verify_site(site_dir: Path, manifest_data: dict) -> SiteCheck:
    """Every file added, missing or altered in ``site_dir`` compared with the manifest."""
    site_dir = Path(site_dir)
    expected: dict[str, str] = manifest_data["files"]
    present = {"/" + rel for rel in site_files(site_dir)}
    check = SiteCheck(added=sorted(present - set(expected)), missing=sorted(set(expected) - present))
    both = sorted(present & set(expected))
    found = hash_files(site_dir, [url[1:] for url in both], _sha256_or_why)
    check.unreadable = [(url, found[url][1:]) for url in both if found[url].startswith("!")]
    check.altered = [(url, expected[url], found[url]) for url in both
                     if found[url] != expected[url] and not found[url].startswith("!")]
    check.checked = len(both)
    return check


def refusal(content_dir: Path, uncommitted: list[str]) -> str | None:
    """Why a production build (``make publish``) must not run, or None: everything it publishes from a
    Git repository must be committed, so that the history is the complete record of what was published.
    (A content directory outside Git has no history to keep; it is not refused.)"""
    if not uncommitted:
        return None
    shown = "\n".join(f"  {path}" for path in uncommitted[:20])
    more = f"\n  ……等共 {len(uncommitted)} 个" if len(uncommitted) > 20 else ""
    return (f"发布被拒绝：内容目录有 {len(uncommitted)} 个未提交的改动，正式发布的每个版本都必须先提交到 Git"
            f"（发布历史以 Git 为准）：\n{shown}{more}\n请先提交（git add {content_dir} && git commit），"
            "或放弃这些改动后再发布。")


def record(root: Path, moved_in: dict[str, str], commit: str | None, uncommitted: list[str], built: dt.datetime,
           removed: list[str] | None = None, static_dirs: Iterable[str] = ()) -> Path:
    """Write ``root/manifest.json`` for the tree as it now is. ``moved_in``: the hashes of the files the
    build wrote; for an incremental build (``removed`` given) the other files keep their previous hashes
    (all are hashed again when there is no usable previous manifest)."""
    files = moved_in
    if removed is not None:
        previous = read_manifest(Path(root) / MANIFEST)
        if previous is not None and previous.get("format") == FORMAT:
            files = updated_files(previous["files"], Path(root), moved_in, removed, static_dirs)
        else:
            files = hash_files(Path(root), site_files(Path(root)))
    return write_manifest(root, manifest(files, commit, uncommitted, built))
