"""``python -m govportal.check [CONTENT_DIR] [--json]``: check every document, print every problem."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .repository import load_repository


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check", description="检查 content/ 下的全部文件，列出全部问题。")
    parser.add_argument("content", nargs="?", default="content", help="内容目录（默认 content）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出，供程序读取")
    parser.add_argument("--cache", default=".cache", help="缓存目录（默认 .cache）")
    args = parser.parse_args(argv)
    repo = load_repository(Path(args.content), Path(args.cache) if args.cache else None)
    if args.json:
        json.dump([i.as_dict() for i in repo.issues], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for issue in repo.issues:
            print(issue.format(), file=sys.stderr if issue.is_error else sys.stdout)
        print(f"检查了 {len(repo.documents)} 个文件：{len(repo.errors)} 个错误，{len(repo.warnings)} 个警告。")
    return 1 if repo.errors else 0


if __name__ == "__main__":
    sys.exit(main())
