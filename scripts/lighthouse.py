#!/usr/bin/env python3
"""``make lighthouse``: Lighthouse (npm) in Debian's Chromium on the built portal, mobile emulation.

``scripts/lighthouse.py [--site output] [--min 95] [PATH ...]`` serves the site on 127.0.0.1, runs
Lighthouse on the home page, the newest policy and the catalogue (or the given paths) and prints the
four category scores. Exits 1 when a score is below ``--min``.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu "
                "--host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'")


def newest_policy(site: Path) -> str:
    """The first document of the home page's 政策文件 zone."""
    home = (site / "index.html").read_text("utf-8")
    zone = home.split('aria-labelledby="zone-policy"', 1)[-1]
    match = re.search(r'href="(/doc/[^"]+/)"', zone)
    return match.group(1) if match else "/"


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def lighthouse(url: str, report: Path) -> dict[str, int]:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    cmd = [str(ROOT / "node_modules" / ".bin" / "lighthouse"), url, f"--chrome-flags={CHROME_FLAGS}",
           "--only-categories=" + ",".join(CATEGORIES), "--output=json", f"--output-path={report}", "--quiet"]
    subprocess.run(cmd, env=env, check=True, timeout=300)
    data = json.loads(report.read_text("utf-8"))
    return {c: round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lighthouse", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="page paths (default: home, newest policy, catalogue)")
    parser.add_argument("--site", type=Path, default=ROOT / "output")
    parser.add_argument("--min", type=int, default=95, help="lowest acceptable score (default 95)")
    args = parser.parse_args(argv)
    paths = args.paths or ["/", newest_policy(args.site), "/catalogue/"]
    server = serve(args.site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    low = []
    print(f"{'页面':<48}" + "".join(f"{c:>16}" for c in CATEGORIES))
    with tempfile.TemporaryDirectory() as tmp:
        for i, path in enumerate(paths):
            scores = lighthouse(base + path, Path(tmp) / f"lh{i}.json")
            print(f"{path:<48}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES), flush=True)
            low += [(path, c, s) for c, s in scores.items() if s < args.min]
    server.shutdown()
    for path, category, score in low:
        print(f"低于 {args.min}：{path} {category} = {score}", file=sys.stderr)
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
