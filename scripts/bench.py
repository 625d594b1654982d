#!/usr/bin/env python3
"""性能基准：``scripts/bench.py [--sizes 3500,14000] [--repeat R] [--workdir bench-work] [--seed S]``

For each size N, on a synthetic corpus from ``scripts/gen_corpus.py`` (made once, reused):

* ours cold       ``scripts/build`` with an empty cache directory and an empty output directory;
* ours rebuild    one sentence appended to one document (its digest re-approved), same warm cache;
* vanilla cold    Pelican 4.12 on the same texts in Pelican's own Markdown metadata, default
                  theme, no plugins, ``CACHE_CONTENT = False``;
* vanilla rebuild the same with ``CACHE_CONTENT = LOAD_CONTENT_CACHE = True`` after one file is touched.

Each build runs as a child process: wall time around it, its CPU time and peak RSS from ``os.wait4``
(the largest single process: the child or any process it waited for) plus the peak of the
summed PSS of the whole process tree, sampled every 0.1 s (the pipeline renders in a pool).
With ``--repeat R`` every figure is the median of R runs. Prints figures, never asserts
timing; exits non-zero only if a build fails (with the tail of its output).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import gen_corpus  # noqa: E402
from govportal.frontmatter import parse_file  # noqa: E402
from govportal.identifiers import parse_index_no  # noqa: E402
from govportal.repository import content_files  # noqa: E402

VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
PELICAN = str(VENV_BIN / "pelican") if (VENV_BIN / "pelican").exists() else shutil.which("pelican") or "pelican"
EDIT_SENTENCE = "本文件执行中遇到的问题，请及时向发文机关反映。"

OURS_SETTINGS = f'''"""Benchmark settings: the project's pelicanconf.py with the cache directory from the environment."""
import os
import sys

sys.path.insert(0, {str(ROOT)!r})
from pelicanconf import *  # noqa: E402,F401,F403

THEME = os.path.join({str(ROOT)!r}, "themes", "portal")
PLUGIN_PATHS = [os.path.join({str(ROOT)!r}, "plugins")]
PORTAL_CACHE_PATH = os.environ["BENCH_PORTAL_CACHE"]
'''

VANILLA_SETTINGS = '''"""Benchmark settings: vanilla Pelican, default theme, no plugins, default Markdown settings."""
import os

AUTHOR = "bench"
SITENAME = "Vanilla Pelican"
SITEURL = ""
TIMEZONE = "Asia/Shanghai"
DEFAULT_PAGINATION = 10
CACHE_CONTENT = {cache}
LOAD_CONTENT_CACHE = {cache}
CACHE_PATH = os.environ.get("BENCH_VANILLA_CACHE", "cache")
'''


class BuildFailed(Exception):
    pass


@dataclass
class Run:
    wall: float
    cpu: float  # user + system seconds of the child and the processes it waited for (its pool workers)
    peak_kb: int  # ru_maxrss from wait4
    tree_kb: int  # sampled peak of the summed PSS of the process tree (0 if /proc is not readable)
    load: float  # the machine's 1-minute load average just before the run


@dataclass
class Row:
    name: str
    runs: list[Run]

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return statistics.median(r.peak_kb for r in self.runs) / 1024

    @property
    def tree_mb(self) -> float:
        return statistics.median(r.tree_kb for r in self.runs) / 1024

    @property
    def load(self) -> float:
        return max(r.load for r in self.runs)


# ---- measuring a child process ---------------------------------------------------------


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure(cmd: list[str], log: Path, env: dict | None = None, cwd: Path = ROOT) -> Run:
    """Run cmd to completion; wall time, wait4's ru_maxrss, sampled tree PSS. Raises BuildFailed."""
    log.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0]
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})}, cwd=cwd)
        peak_tree = 0
        done = threading.Event()

        def sample():
            nonlocal peak_tree
            while not done.wait(0.1):
                peak_tree = max(peak_tree, sum(_pss_kb(p) for p in _tree(proc.pid)))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        lines = log.read_text("utf-8", "replace").splitlines()
        tail = "\n".join(lines[-30:])
        raise BuildFailed(f"build failed (exit {proc.returncode}): {' '.join(cmd)}\n--- last lines of {log} ---\n{tail}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, peak_tree, load)


def pipeline_fingerprint() -> str:
    """Names, sizes and mtimes of the pipeline's sources: a change between the cold build and the rebuild
    invalidates the incremental state and turns the rebuild into a full one."""
    h = hashlib.sha256()
    for base in ("govportal", "plugins", "themes", "pelicanconf.py"):
        root = ROOT / base
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                st = path.stat()
                h.update(f"{path.relative_to(ROOT)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


# ---- corpora ---------------------------------------------------------------------------


def _stamp(n: int, seed: int) -> dict:
    source = (ROOT / "scripts" / "gen_corpus.py").read_bytes()
    return {"n": n, "seed": seed, "generator": hashlib.sha256(source).hexdigest()[:16]}


def ensure_corpus(workdir: Path, n: int, seed: int) -> Path:
    corpus = workdir / f"corpus-{n}"
    stamp_file = workdir / f"corpus-{n}.json"
    stamp = _stamp(n, seed)
    if corpus.is_dir() and stamp_file.exists() and json.loads(stamp_file.read_text()) == stamp:
        print(f"reusing {corpus} ({n} documents, seed {seed})", flush=True)
        return corpus
    stamp_file.unlink(missing_ok=True)
    shutil.rmtree(corpus, ignore_errors=True)
    stats = gen_corpus.generate(n, corpus, seed)
    print(f"{corpus}: {stats.summary()}", flush=True)
    stamp_file.write_text(json.dumps(stamp))
    return corpus


def vanilla_text(meta: dict, body: str, stem: str) -> str:
    ino = parse_index_no(meta.get("index_no"))
    slug = ino.slug if ino else stem
    one_line = lambda v: " ".join(str(v).split())  # noqa: E731
    head = [f"Title: {one_line(meta['title'])}", f"Date: {meta['date']}", f"Category: {meta['type']}"]
    if meta.get("keywords"):
        head.append("Tags: " + ", ".join(one_line(k) for k in meta["keywords"]))
    head.append(f"Slug: {slug}")
    if meta.get("summary"):
        head.append(f"Summary: {one_line(meta['summary'])}")
    return "\n".join(head) + "\n\n" + body


def ensure_vanilla(workdir: Path, corpus: Path, n: int, seed: int) -> Path:
    """The corpus in Pelican's native Markdown metadata (Title:, Date:, …), same bodies."""
    target = workdir / f"vanilla-{n}"
    stamp_file = workdir / f"vanilla-{n}.json"
    stamp = _stamp(n, seed)
    if target.is_dir() and stamp_file.exists() and json.loads(stamp_file.read_text()) == stamp:
        return target
    stamp_file.unlink(missing_ok=True)
    shutil.rmtree(target, ignore_errors=True)
    for path in content_files(corpus):
        rel = path.relative_to(corpus)
        parsed, issues = parse_file(rel.as_posix(), path.read_bytes())
        if parsed is None:
            raise BuildFailed(f"{path} does not parse: " + "; ".join(i.format() for i in issues))
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(vanilla_text(parsed.meta, parsed.body, path.stem), encoding="utf-8")
    stamp_file.write_text(json.dumps(stamp))
    return target


def pick_document(corpus: Path) -> Path:
    """A policy of typical size: the median by body size among the policies (stable choice)."""
    policies = sorted((corpus / "policy").glob("*.md"))
    sized = sorted(policies, key=lambda p: (p.stat().st_size, p.name))
    return sized[len(sized) // 2]


# ---- the benchmark ---------------------------------------------------------------------


def bench_size(workdir: Path, n: int, seed: int, repeat: int) -> list[Row]:
    corpus = ensure_corpus(workdir, n, seed)
    vanilla = ensure_vanilla(workdir, corpus, n, seed)
    logs = workdir / "logs"
    ours_settings = workdir / "ours-settings.py"
    ours_settings.write_text(OURS_SETTINGS, encoding="utf-8")
    out_ours = workdir / f"out-ours-{n}"
    ours_cmd = [PYTHON, str(ROOT / "scripts" / "build"), "-s", str(ours_settings), "--content", str(corpus),
                "-o", str(out_ours), "-q"]
    doc = pick_document(corpus)
    original = doc.read_bytes()
    source = pipeline_fingerprint()
    cold, warm = [], []
    for r in range(repeat):
        shutil.rmtree(out_ours, ignore_errors=True)
        cache = Path(tempfile.mkdtemp(prefix=f"cache-ours-{n}-", dir=workdir))
        env = {"BENCH_PORTAL_CACHE": str(cache)}
        try:
            print(f"  ours cold #{r + 1} …", flush=True)
            cold.append(measure(ours_cmd, logs / f"ours-cold-{n}-{r + 1}.log", env))
            text = original.decode("utf-8")
            doc.write_text(text.rstrip("\n") + "\n\n" + EDIT_SENTENCE + "\n", encoding="utf-8")
            gen_corpus.refresh_digest(doc)
            print(f"  ours rebuild #{r + 1} (edited {doc.relative_to(corpus)}) …", flush=True)
            warm.append(measure(ours_cmd, logs / f"ours-rebuild-{n}-{r + 1}.log", env))
            if pipeline_fingerprint() != source:
                print("  warning: the pipeline's sources (govportal/, plugins/, themes/, pelicanconf.py) changed "
                      "during the measurement: the rebuild may have been a full one", flush=True)
                source = pipeline_fingerprint()
        finally:
            doc.write_bytes(original)
            shutil.rmtree(cache, ignore_errors=True)

    cold_settings = workdir / "vanilla-settings.py"
    cold_settings.write_text(VANILLA_SETTINGS.format(cache=False), encoding="utf-8")
    cache_settings = workdir / "vanilla-cache-settings.py"
    cache_settings.write_text(VANILLA_SETTINGS.format(cache=True), encoding="utf-8")
    out_vanilla = workdir / f"out-vanilla-{n}"
    vcache = workdir / f"cache-vanilla-{n}"
    venv = {"BENCH_VANILLA_CACHE": str(vcache)}
    v_cold, v_warm = [], []
    for r in range(repeat):
        shutil.rmtree(out_vanilla, ignore_errors=True)
        print(f"  vanilla cold #{r + 1} …", flush=True)
        v_cold.append(measure([PELICAN, str(vanilla), "-o", str(out_vanilla), "-s", str(cold_settings)],
                              logs / f"vanilla-cold-{n}-{r + 1}.log", venv))
    shutil.rmtree(out_vanilla, ignore_errors=True)
    shutil.rmtree(vcache, ignore_errors=True)
    vanilla_cmd = [PELICAN, str(vanilla), "-o", str(out_vanilla), "-s", str(cache_settings)]
    print("  vanilla filling its cache …", flush=True)
    measure(vanilla_cmd, logs / f"vanilla-fill-{n}.log", venv)
    touched = vanilla / doc.relative_to(corpus)
    for r in range(repeat):
        touched.touch()
        print(f"  vanilla rebuild #{r + 1} (touched {touched.relative_to(vanilla)}) …", flush=True)
        v_warm.append(measure(vanilla_cmd, logs / f"vanilla-rebuild-{n}-{r + 1}.log", venv))
    return [Row("ours cold", cold), Row("ours rebuild", warm), Row("vanilla cold", v_cold),
            Row("vanilla rebuild", v_warm)]


def corpus_mb(corpus: Path) -> float:
    return sum(p.stat().st_size for p in content_files(corpus)) / 1024 / 1024


def table(n: int, rows: list[Row], corpus: Path, repeat: int) -> str:
    lines = [f"N = {n} documents ({corpus_mb(corpus):.1f} MB of Markdown), nproc = {nproc()}, "
             f"median of {repeat} run{'s' if repeat > 1 else ''}",
             f"{'':<17}{'wall s':>9}{'docs/s':>9}{'cpu s':>9}{'peak MB':>9}{'tree MB':>9}{'load':>6}"]
    for row in rows:
        lines.append(f"{row.name:<17}{row.wall:>9.2f}{n / row.wall:>9.0f}{row.cpu:>9.2f}{row.peak_mb:>9.0f}"
                     f"{row.tree_mb:>9.0f}{row.load:>6.1f}")
    by = {r.name: r for r in rows}
    lines.append(f"ours/vanilla cold: wall {by['ours cold'].wall / by['vanilla cold'].wall:.2f}x, "
                 f"cpu {by['ours cold'].cpu / by['vanilla cold'].cpu:.2f}x, "
                 f"peak RSS {by['ours cold'].peak_mb / by['vanilla cold'].peak_mb:.2f}x")
    lines.append("cpu s: user+system time of the build and its worker processes; peak MB: largest single process "
                 "(wait4 ru_maxrss); tree MB: peak of the summed PSS of the build's process tree, sampled every "
                 "0.1 s; load: highest 1-minute load average before a run")
    busiest = max(r.load for r in rows)
    if busiest > nproc() / 2:
        lines.append(f"note: the machine was busy (load {busiest:.1f} on {nproc()} cores): wall times are inflated, "
                     "cpu times much less so")
    return "\n".join(lines)


def nproc() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3500,14000", help="comma-separated corpus sizes (default 3500,14000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the median is reported")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench-work")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes numbers, e.g. 3500,14000")
    if not sizes or min(sizes) < 1 or args.repeat < 1:
        parser.error("sizes and --repeat must be positive")
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"nproc = {nproc()}; python {sys.version.split()[0]}; workdir {workdir}", flush=True)
    tables = []
    for n in sizes:
        print(f"== N = {n} ==", flush=True)
        try:
            rows = bench_size(workdir, n, args.seed, args.repeat)
        except BuildFailed as exc:
            print(str(exc), file=sys.stderr)
            return 1
        tables.append(table(n, rows, workdir / f"corpus-{n}", args.repeat))
        print("\n" + tables[-1] + "\n", flush=True)
    for n in sizes:
        print(gate_share(workdir / f"corpus-{n}", n, args.repeat), flush=True)
    print(history_figures(workdir, max(sizes), args.repeat), flush=True)
    if len(tables) > 1:
        print("\n\n".join(tables))
    return 0


def gate_share(corpus: Path, n: int, repeat: int) -> str:
    """The 三审三校 gate and 错敏词 checks: the cold check of the corpus with them and without (no cache)."""
    from govportal.repository import load_repository

    with_gate, without = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        load_repository(corpus, None, gate=False)
        without.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        load_repository(corpus, None, gate=True)
        with_gate.append(time.perf_counter() - t0)
    gate = statistics.median(with_gate) - statistics.median(without)
    return (f"gate at N = {n}: reading and checking {statistics.median(without):.2f} s, with the 三审三校 gate and "
            f"错敏词 checks {statistics.median(with_gate):.2f} s: the gate adds {gate:.2f} s wall (cold, both cores; "
            f"cached per file on rebuilds); compare with 'ours cold' above")


def history_figures(workdir: Path, n: int, repeat: int) -> str:
    """Publication history (issue 6): a generated repository of N documents with three versions each."""
    try:
        sys.path.insert(0, str(ROOT / "scripts"))
        import bench_history
    except ImportError:
        return "history: scripts/bench_history.py not found"
    result = bench_history.run(docs=n, versions=3, workdir=workdir, repeat=repeat)
    return (f"history at N = {n} x 3 versions: cold {result['cold']:.2f} s ({result['cold CPU']:.1f} CPU s in all processes), same HEAD {result['same HEAD']:.2f} s, "
            f"after one new commit {result['one new commit']:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
