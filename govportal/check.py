"""``python -m govportal.check [CONTENT_DIR] [--json] [--now T] [--staged]``: check every document.

Prints every problem as ``path:line:col: rule: message (建议: …)``, including the publishing
gate (三审三校) and the wording checks (错敏词); scheduled documents (定时发布) and waived
wording hits are listed as information. Exits 1 when anything blocks publication.
``--staged`` checks the content as staged in Git (the pre-commit hook of ``make hooks``): every
error of the staged content (a staged change can break another file, e.g. a deleted file that
others refer to), and the warnings of the staged files only.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .cli import ArgumentParser
from .dates import now_argument
from .gate import beijing_now, scheduled
from .issues import Issue, Severity, sort_issues
from .repository import Repository, load_repository


def waived(repo: Repository) -> list[Issue]:
    """Waived wording hits, shown to auditors."""
    return [Issue(doc.source, hit.line, hit.rule, f"已豁免“{hit.word}”：{hit.reason}（{hit.waived_by}）", "",
                  Severity.INFO, hit.col)
            for doc in repo.documents for hit in getattr(doc, "waived", [])]


def report(repo: Repository, now: dt.datetime, only: set[str] | None = None) -> list[Issue]:
    """Every issue; with ``only``, the errors and the other issues of those files."""
    issues = sort_issues(repo.issues + scheduled(repo.documents, now) + waived(repo))
    return [i for i in issues if only is None or i.path in only or i.is_error]


def staged_content(content: str, target: Path) -> tuple[Path, set[str]]:
    """Copy the staged (index) version of the content directory into ``target``: where it is there,
    and the staged paths (deleted ones included), relative to it. Git runs in the repository that
    holds the content directory, wherever the command is run from."""
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=content, capture_output=True, check=True,
                         text=True).stdout.strip()
    rel = Path(content).resolve().relative_to(Path(top).resolve()).as_posix()
    prefix = "" if rel == "." else rel + "/"
    names = subprocess.run(["git", "diff", "--cached", "--name-only", "-z", "--diff-filter=ACDMR", "--", prefix or "."],
                           cwd=top, capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape").split("\0")
    listed = subprocess.run(["git", "ls-files", "-z", "--", prefix or "."], cwd=top, capture_output=True, check=True).stdout
    subprocess.run(["git", "checkout-index", "-z", "--stdin", f"--prefix={target}/"], cwd=top, input=listed, check=True)
    return target / rel, {n[len(prefix):] for n in names if n and n.startswith(prefix)}


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="check", description="检查 content/ 下的全部文件，列出全部问题。")
    parser.add_argument("content", nargs="?", default="content", help="内容目录（默认 content）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出，供程序读取")
    parser.add_argument("--cache", default=".cache", help="缓存目录（默认 .cache）")
    parser.add_argument("--now", type=now_argument, help="按此时间检查（ISO 格式，默认北京时间现在），用于定时发布")
    parser.add_argument("--staged", action="store_true", help="检查 Git 暂存区中的内容（提交前钩子使用）")
    args = parser.parse_args(argv)
    now = dt.datetime.fromisoformat(args.now) if args.now else beijing_now()
    if not Path(args.content).is_dir():
        print(f"内容目录 {args.content} 不存在（在项目根目录运行，或写出内容目录的路径）", file=sys.stderr)
        return 2
    cache = Path(args.cache) if args.cache else None
    if args.staged:
        with tempfile.TemporaryDirectory() as tmp:
            staged, only = staged_content(args.content, Path(tmp))
            if not only:
                return 0
            repo = load_repository(staged, cache, now=now)
            vocab_changed = any(p.startswith("_data/") for p in only)  # affects every document
            issues = report(repo, now, None if vocab_changed else only)
    else:
        repo = load_repository(Path(args.content), cache, now=now)
        issues = report(repo, now)
    blocking = [i for i in issues if i.is_error]
    if args.json:
        json.dump([i.as_dict() for i in issues], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for issue in issues:
            print(issue.format_check())
        n_warn = sum(i.severity is Severity.WARNING for i in issues)
        print(f"检查了 {len(repo.documents)} 个文件：{len(blocking)} 个错误，{n_warn} 个警告"
              + ("；有错误的文件不能发布。" if blocking else "。"))
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main())
