"""Shared fixtures: a copy of the small test site, builds into temporary directories, a local server."""
from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/site: 3 valid documents and the vocabularies."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, target)
    return target


def files_containing(output: Path, marker: str) -> list[str]:
    """The files of a built site (relative paths) that contain ``marker``, in any letter case (the search
    shards store their terms lower-cased)."""
    needle = marker.lower().encode("utf-8")
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*")
                  if p.is_file() and needle in p.read_bytes().lower())


def run_build(content: Path, output: Path, *extra: str, capsys=None) -> tuple[int, str]:
    from portal.build import main

    # the build's cache beside its output, not in the project's .cache/: each test starts from what it builds
    code = main(["-q", "-s", str(ROOT / "pelicanconf.py"), "--content", str(content), "-o", str(output),
                 "--cache", str(output.parent / f".cache-{output.name}"), *extra])
    out = ""
    if capsys is not None:
        captured = capsys.readouterr()
        out = captured.out + captured.err
    return code, out


@pytest.fixture
def build(tmp_path, capsys):
    """build(content) -> (exit code, printed text); output goes to tmp_path/'output'."""
    def _build(content: Path, *extra: str, output: Path | None = None):
        return run_build(content, output or tmp_path / "output", *extra, capsys=capsys)
    return _build


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo portal of 示例市 built once from content/."""
    out = tmp_path_factory.mktemp("demo") / "output"
    code, _ = run_build(ROOT / "content", out)
    assert code == 0, "the demo content must build"
    return out


@pytest.fixture(scope="session")
def demo_url(demo_site):
    server = serve(demo_site)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]}


def resign(path: Path) -> None:
    """Re-approve an edited document: recompute its review.final digest in place (as the final reviewer would)."""
    import re

    from govportal.digest import document_digest
    from govportal.frontmatter import parse_file

    parsed, issues = parse_file(path.name, path.read_bytes())
    assert parsed is not None, issues
    digest = document_digest(parsed.meta, parsed.body)
    text = path.read_text("utf-8")
    new = re.sub(r'digest: "?sha256:[^",}\s]*"?', f'digest: "{digest}"', text, count=1)
    assert new != text or digest in text
    path.write_text(new, "utf-8")
