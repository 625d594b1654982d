#!/usr/bin/env python3
"""发布历史基准：``scripts/bench_history.py [--docs 14000] [--versions 3] [--workdir bench-work] [--workers N]``

Reads the publication history of a generated repository (``scripts/gen_history_repo.py``: N
documents, V versions each, one commit per version; made once in the work directory and
reused) and prints how long it takes:

* cold            no cache: the one walk over every commit, every version's blob read;
* same HEAD       the ledger cached by HEAD read back (a rebuild without new commits);
* one new commit  the cache extended by one commit (a rebuild after publishing one change;
                  the commit is undone afterwards).

Each figure is the median of ``--repeat`` runs. Prints figures, never asserts timing.
``scripts/bench.py`` may import :func:`run` for its report.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [p for p in (str(ROOT), str(ROOT / "scripts")) if p not in sys.path]

from gen_history_repo import generate_history_repo  # noqa: E402
from govportal.history import load_history  # noqa: E402

EDIT = "本文件执行中遇到的问题，请及时向发文机关反映。（基准测试的修订）"


def repository(workdir: Path, docs: int, versions: int, seed: int) -> Path:
    """The generated repository for these parameters, made on first use."""
    repo = workdir / f"history-{docs}-{versions}"
    stamp = repo / ".git" / "bench-history.json"
    params = {"docs": docs, "versions": versions, "seed": seed, "layout": "year"}
    if stamp.exists() and json.loads(stamp.read_text()) == params:
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    print(f"generating {docs} documents × {versions} versions in {repo} (once) …", flush=True)
    print(generate_history_repo(docs, repo, versions, seed).summary(), flush=True)
    stamp.write_text(json.dumps(params))
    return repo


def calibration() -> float:
    """Seconds of CPU for ten million additions in a Python loop: how fast this machine runs Python."""
    started, total = time.process_time(), 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - started


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children (Git, forked readers)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def one_commit(repo: Path):
    """Commit one more version of one document (re-approved), and a function that undoes it."""
    import git

    from govportal.digest import document_digest
    from govportal.frontmatter import parse_file

    r = git.Repo(repo)
    path = next(p for p in sorted((repo / "content" / "policy").rglob("*.md")))
    text = path.read_text("utf-8")
    parsed, _ = parse_file(path.name, text.encode())
    new_body = parsed.body.rstrip("\n") + "\n\n" + EDIT + "\n"
    meta = dict(parsed.meta, change_note="基准测试的修订")
    digest = document_digest(meta, new_body)
    head = text[: len(text) - len(parsed.body)]
    head = head.replace(parsed.meta["review"]["final"]["digest"], digest)
    head = head.replace(f"change_note: {parsed.meta['change_note']}", "change_note: 基准测试的修订")
    path.write_text(head + new_body, "utf-8")
    r.git.add(str(path))
    r.git.commit("-q", "-m", "基准测试的修订")
    return lambda: r.git.reset("-q", "--hard", "HEAD~1")


def run(docs: int = 14000, versions: int = 3, workdir: Path = ROOT / "bench-work", seed: int = 1,
        repeat: int = 1, workers: int = 0) -> dict:
    repo = repository(workdir, docs, versions, seed)
    content = repo / "content"
    figures: dict[str, list[float]] = {"cold": [], "cold CPU": [], "walk": [], "read": [], "same HEAD": [],
                                       "one new commit": []}
    detail = {}
    for _ in range(repeat):
        cpu = cpu_seconds()
        seconds, history = timed(lambda: load_history(content, None, workers=workers))
        figures["cold"].append(seconds)
        figures["cold CPU"].append(cpu_seconds() - cpu)
        figures["walk"].append(history.stats["walk_seconds"])
        figures["read"].append(history.stats["read_seconds"])
        detail = dict(history.stats, documents=len(history.docs),
                      events=sum(len(d.events) for d in history.docs.values()))
        with tempfile.TemporaryDirectory() as cache:
            load_history(content, Path(cache), workers=workers)
            figures["same HEAD"].append(timed(lambda: load_history(content, Path(cache), workers=workers))[0])
            undo = one_commit(repo)
            try:
                figures["one new commit"].append(timed(lambda: load_history(content, Path(cache), workers=workers))[0])
            finally:
                undo()
    result = {name: statistics.median(values) for name, values in figures.items()}
    result["detail"] = detail
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_history", description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=14000)
    parser.add_argument("--versions", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench-work")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workers", type=int, default=0, help="processes for the walk and the reading (default: cores, at most 4)")
    args = parser.parse_args(argv)
    result = run(args.docs, args.versions, args.workdir, args.seed, args.repeat, args.workers)
    d = result["detail"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"history: {d['documents']:,} documents, {d['read']:,} versions in {d['walked']:,} commits, "
          f"{d['events']:,} events ({os.cpu_count()} cores, load {load:.1f}, "
          f"10M-step Python loop {calibration():.2f} s CPU)")
    print(f"  cold (one walk, no cache)  {result['cold']:6.2f} s   walk {result['walk']:.2f} s, "
          f"read {result['read']:.2f} s (medians of each)")
    print(f"    CPU in all processes     {result['cold CPU']:6.2f} s   (Python and Git; with every core busy the cold "
          f"time is about this divided by the cores)")
    print(f"  same HEAD (cache)          {result['same HEAD']:6.2f} s")
    print(f"  one new commit             {result['one new commit']:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
