#!/usr/bin/env python3
"""生成带发布历史的 Git 仓库：``scripts/gen_history_repo.py N REPO [--versions V] [--seed S] [--force]``

For the history benchmark (``scripts/bench_history.py``) and large-scale tests: a Git
repository whose ``content/`` holds N documents from ``scripts/gen_corpus.py``'s
:func:`generate`, each committed in V versions (default 3), one commit per version, in
the order of time (later versions spread over the time left before November 2026), with Beijing-time commit dates and an editor as author:

* version 1: the generated document (首次发布), committed on its publication date;
* version 2: a major change (重大更新): a paragraph added to the body, re-approved
  (``review.final`` signed again with the new digest, ``date`` moved to the change);
  1 % of the documents are also renamed (moved to an ``archive/`` folder);
* version 3: about 12 % of the policies repealed (有效性 有效 → 废止), about 5 % of the
  releases withdrawn, the others a minor change (一般更新: a new 主题词);
* further versions alternate major and minor changes.

Documents go to ``<type>/<year>/`` (``--layout flat`` keeps ``<type>/<n>.md``: Git then
diffs folders of 7,000 files on every commit, which makes any history walk several times
slower). The repository is written with ``git fast-import`` (one stream), packed again with
``git repack -a -d -f`` and given a commit-graph, as ``git gc`` leaves a repository, then checked out. :func:`generate_history_repo` is importable by the benchmark and tests.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [p for p in (str(ROOT), str(ROOT / "scripts")) if p not in sys.path]

import git  # noqa: E402

import gen_corpus  # noqa: E402
from govportal.digest import document_digest  # noqa: E402
from govportal.frontmatter import parse_file  # noqa: E402

EDITORS = (("张晓燕", "zhangxy"), ("王志刚", "wangzg"), ("刘芳", "liuf"), ("陈建国", "chenjg"), ("杨静", "yangj"))
LAST_DAY = dt.datetime(2026, 11, 1, 18, 0)
ADDED = ("本文件执行中遇到的问题，请及时向发文机关反映。", "各单位要结合实际抓好贯彻落实，重大问题及时报告。",
         "本文件由发文机关负责解释。")


@dataclass
class Doc:
    rel: str  # path under content/
    meta: dict
    body: str
    published: dt.datetime
    version: int = 1


@dataclass
class Stats:
    documents: int = 0
    commits: int = 0
    versions: int = 0
    renames: int = 0
    repeals: int = 0
    withdrawals: int = 0
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    def summary(self) -> str:
        return (f"generated a repository of {self.documents} documents, {self.versions} versions in "
                f"{self.commits} commits ({self.renames} renames, {self.repeals} repeals, "
                f"{self.withdrawals} withdrawals) in {self.seconds:.1f} s")


def render(doc: Doc) -> bytes:
    """The file text: gen_corpus's front matter, withdrawal as a flow mapping, then the body."""
    meta = dict(doc.meta)
    withdrawal = meta.pop("withdrawal", None)
    text = gen_corpus.front_matter(meta)
    if withdrawal:
        line = "withdrawal: {" + ", ".join(f"{k}: {v}" for k, v in withdrawal.items()) + "}\n"
        text = text[: -len("---\n")] + line + "---\n"
    return (text + doc.body).encode("utf-8")


def approve(doc: Doc, when: dt.datetime) -> None:
    """The final reviewer signs the changed text: final.on and date move to the change."""
    meta = doc.meta
    meta["date"] = when.strftime("%Y-%m-%d %H:%M")
    final = meta["review"]["final"]
    final["on"] = when.date().isoformat()
    final["digest"] = document_digest(meta, doc.body)


def next_version(doc: Doc, when: dt.datetime, rng: random.Random, stats: Stats) -> str:
    """Change ``doc`` into its next version; returns the commit message."""
    doc.version += 1
    meta = doc.meta
    if doc.version % 2 == 0:  # major: the body changes
        sentence = ADDED[rng.randrange(len(ADDED))]
        doc.body = doc.body.rstrip("\n") + f"\n\n{sentence}（第{doc.version}版修订）\n"
        meta["change_note"] = f"第{doc.version}版：补充执行要求"
        approve(doc, when)
        return f"修订 {meta['title']}"
    if meta["type"] == "policy" and meta.get("validity") == "有效" and rng.random() < 0.12:
        meta["validity"] = "废止"
        meta["change_note"] = "本文件已废止"
        approve(doc, when)
        stats.repeals += 1
        return f"废止 {meta['title']}"
    if meta["type"] == "release" and meta["status"] == "published" and rng.random() < 0.05:
        meta["status"] = "withdrawn"
        meta["withdrawal"] = {"on": when.date().isoformat(), "by": meta["review"]["final"]["by"],
                              "reason": "信息已过时效"}
        stats.withdrawals += 1
        return f"撤回 {meta['title']}"
    meta["keywords"] = list(meta.get("keywords") or []) + [f"更新{doc.version}"]
    meta["change_note"] = f"第{doc.version}版：更新主题词"
    approve(doc, when)
    return f"更新 {meta['title']}"


class FastImport:
    """A ``git fast-import`` stream: blobs and commits on refs/heads/main."""

    def __init__(self, repo_dir: Path):
        self.proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=repo_dir,
                                     stdin=subprocess.PIPE)
        self.out = self.proc.stdin
        self.mark = 0
        self.last_commit = 0

    def _data(self, data: bytes) -> None:
        self.out.write(b"data %d\n" % len(data) + data + b"\n")

    def blob(self, data: bytes) -> int:
        self.mark += 1
        self.out.write(b"blob\nmark :%d\n" % self.mark)
        self._data(data)
        return self.mark

    def commit(self, when: dt.datetime, author: tuple[str, str], message: str,
               changes: list[tuple[str, ...]]) -> None:
        """``changes``: ("M", blob mark, path) | ("R", old, new) | ("D", path)."""
        self.mark += 1
        stamp = int(when.replace(tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())
        person = f"{author[0]} <{author[1]}@shili.gov.cn> {stamp} +0800\n".encode()
        self.out.write(b"commit refs/heads/main\nmark :%d\nauthor " % self.mark + person + b"committer " + person)
        self._data(message.encode("utf-8"))
        if self.last_commit:
            self.out.write(b"from :%d\n" % self.last_commit)
        for change in changes:
            if change[0] == "M":
                self.out.write(f"M 100644 :{change[1]} {change[2]}\n".encode())
            elif change[0] == "R":
                self.out.write(f'R "{change[1]}" "{change[2]}"\n'.encode())
            else:
                self.out.write(f"D {change[1]}\n".encode())
        self.out.write(b"\n")
        self.last_commit = self.mark

    def close(self) -> None:
        self.out.write(b"done\n")
        self.out.close()
        if self.proc.wait() != 0:
            raise RuntimeError("git fast-import failed")


def generate_history_repo(n: int, repo_dir: Path | str, versions: int = 3, seed: int = 1,
                          data_dir: Path | str | None = None, layout: str = "year") -> Stats:
    """Create a Git repository in ``repo_dir`` (must not exist or be empty) with ``content/`` history.

    ``layout``: ``year`` puts each document in ``<type>/<year>/`` (a folder per year, as an
    archive grows), ``flat`` keeps gen_corpus's ``<type>/<nnnnn>.md``."""
    started = time.perf_counter()
    repo_dir = Path(repo_dir)
    stats = Stats()
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(dir=repo_dir.parent if repo_dir.parent.exists() else None) as tmp:
        corpus = Path(tmp) / "content"
        made = gen_corpus.generate(n, corpus, seed, data_dir)
        docs = []
        for rel in made.files:
            parsed, issues = parse_file(rel, (corpus / rel).read_bytes())
            if parsed is None:
                raise RuntimeError(f"{rel}: {issues}")
            published = dt.datetime.strptime(parsed.meta["date"], "%Y-%m-%d %H:%M")
            if layout == "year":
                kind, name = rel.split("/", 1)
                rel = f"{kind}/{published.year}/{name}"
            docs.append(Doc(rel, parsed.meta, parsed.body, published))
        repo = git.Repo.init(repo_dir, initial_branch="main")
        data_files = sorted(p for p in (corpus / "_data").rglob("*") if p.is_file())
        # every version's time: the first on the publication date, later ones spread until LAST_DAY
        events: list[tuple[dt.datetime, int, int]] = []
        for i, doc in enumerate(docs):
            when = doc.published
            for v in range(1, versions + 1):
                if v > 1:  # spread the later versions over the time left before LAST_DAY
                    left = (LAST_DAY - when) / (versions - v + 2)
                    when = when + max(dt.timedelta(minutes=1), left * rng.uniform(0.2, 1.0))
                events.append((when, i, v))
        events.sort()
        stream = FastImport(repo_dir)
        first = min(e[0] for e in events) - dt.timedelta(days=1)
        marks = [("M", stream.blob(p.read_bytes()), f"content/{p.relative_to(corpus).as_posix()}") for p in data_files]
        stream.commit(first, EDITORS[0], "受控词表", marks)
        stats.commits = 1
        for when, i, v in events:
            doc = docs[i]
            author = EDITORS[rng.randrange(len(EDITORS))]
            changes: list[tuple[str, ...]] = []
            if v == 1:
                message = f"发布 {doc.meta['title']}"
            else:
                message = next_version(doc, when, rng, stats)
                if v == 2 and rng.random() < 0.01:
                    folder, name = doc.rel.rsplit("/", 1)
                    new = f"{folder}/archive/{name}"
                    changes.append(("R", f"content/{doc.rel}", f"content/{new}"))
                    doc.rel = new
                    stats.renames += 1
            changes.append(("M", stream.blob(render(doc)), f"content/{doc.rel}"))
            stream.commit(when, author, message, changes)
            stats.commits += 1
            stats.versions += 1
        stream.close()
        # fast-import deltifies each blob against the one before it in the stream (another document):
        # pack again as `git gc` would, versions of the same file against each other
        repo.git.repack("-a", "-d", "-f", "-q")
        repo.git.execute(["git", "commit-graph", "write", "--reachable"])  # as `git gc` leaves it
        repo.git.checkout("-f", "main")
        repo.close()
    stats.documents = len(docs)
    stats.seconds = time.perf_counter() - started
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gen_history_repo", description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("repo", type=Path, help="directory of the new Git repository")
    parser.add_argument("--versions", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=None, help="_data directory (default: content/_data)")
    parser.add_argument("--layout", choices=("year", "flat"), default="year",
                        help="year: <type>/<year>/<n>.md (default); flat: <type>/<n>.md")
    parser.add_argument("--force", action="store_true", help="delete REPO first if it exists")
    args = parser.parse_args(argv)
    if args.n < 1 or args.versions < 1:
        parser.error("N and --versions must be at least 1")
    if args.repo.exists() and any(args.repo.iterdir()):
        if not args.force:
            print(f"gen_history_repo: {args.repo} 不是空目录（加 --force 先删除）", file=sys.stderr)
            return 2
        shutil.rmtree(args.repo)
    args.repo.mkdir(parents=True, exist_ok=True)
    print(generate_history_repo(args.n, args.repo, args.versions, args.seed, args.data, args.layout).summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
