"""``scripts/build``: run Pelican into a temporary directory; only on success change ``output/``.

A full build replaces ``output/`` whole (two renames). An incremental build
(theme, code, vocabularies and settings unchanged since the build that made
``output/``) renders only the pages whose inputs changed into the temporary
directory and, once everything succeeded, moves them in one by one and deletes
removed pages. Either way a failed build leaves the last good ``output/`` as it was.
"""
from __future__ import annotations

import contextlib
import gc
import io
import json
import logging
import os
import shutil
import sys
from pathlib import Path

from govportal.cli import ArgumentParser
from govportal.dates import now_argument
from govportal.history import manifest as site_manifest
from govportal.issues import PortalError
from govportal.output import apply_changes, swap_in
from govportal.store import prune_files

from .generator import BEIJING, build_now, manifest_path


def build(settings_file: str, content: str | None = None, output: str | None = None,
          drafts: bool = False, now: str | None = None, quiet: bool = False,
          background_cleanup: bool = True, cache: str | None = None) -> int:
    from pelican.settings import read_settings

    override = {}
    if content and not os.path.isdir(content):
        print(f"内容目录 {content} 不存在（--content 写内容目录的路径，例如 content）", file=sys.stderr)
        return 2
    if content:
        override["PATH"] = os.path.abspath(content)
    if output:
        override["OUTPUT_PATH"] = os.path.abspath(output)
    if drafts:
        override["SHOW_DRAFTS"] = True
    if now:
        override["BUILD_NOW"] = now
    if cache:
        override["PORTAL_CACHE_PATH"] = os.path.abspath(cache)
    try:
        settings = read_settings(settings_file, override=override)
    except (OSError, ValueError, SyntaxError) as exc:
        print(f"{settings_file}: 设置文件无法读取：{exc}（检查 PATH、THEME、PLUGIN_PATHS 等路径是否存在）", file=sys.stderr)
        return 2
    # A build holds every document in memory: with the default thresholds the cyclic
    # collector walks all of them again and again (a third of a rebuild's time at 14,000).
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        return _build(settings, background_cleanup, quiet)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def _build(settings: dict, background_cleanup: bool, quiet: bool) -> int:
    from pelican import Pelican

    final = Path(settings["OUTPUT_PATH"])
    staging = final.parent / f".{final.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    settings["OUTPUT_PATH"] = str(staging)
    settings["PORTAL_FINAL_OUTPUT"] = str(final)
    settings["DELETE_OUTPUT_DIRECTORY"] = False
    manifest = manifest_path(Path(settings.get("PORTAL_CACHE_PATH") or ".cache"), str(final))
    pending = manifest.with_suffix(".pending")
    commit, uncommitted = site_manifest.source_state(Path(settings["PATH"]))
    refused = site_manifest.refusal(Path(settings["PATH"]), uncommitted)
    if settings.get("PORTAL_REQUIRE_COMMITTED") and refused:  # make publish: only what Git records
        print(refused, file=sys.stderr)
        return 1
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Pelican's own summary counts "0 articles"
            Pelican(settings).run()
    except PortalError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        pending.unlink(missing_ok=True)
        print(exc.format_message(), file=sys.stderr)
        print(f"构建失败：{final} 保持上一次成功构建的内容。", file=sys.stderr)
        return exc.exit_code
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        pending.unlink(missing_ok=True)
        raise
    plan = json.loads(pending.read_text("utf-8")) if pending.exists() else {}
    manifest.unlink(missing_ok=True)  # the tree is about to change: its manifest goes first
    built = build_now(settings).replace(tzinfo=BEIJING)
    written = site_manifest.hash_files(staging, site_manifest.site_files(staging))
    if plan.get("mode") == "incremental" and final.is_dir():
        static_dirs = [d for d in [*settings.get("STATIC_PATHS", []), settings.get("THEME_STATIC_DIR", "theme")] if d]
        apply_changes(staging, final, plan.get("removed", []), static_dirs)
        site_manifest.record(final, written, commit, uncommitted, built, plan.get("removed", []), static_dirs)
    else:
        site_manifest.record(staging, written, commit, uncommitted, built)
        swap_in(staging, final, background_cleanup=background_cleanup)
    if pending.exists():
        pending.replace(manifest)
    prune_files(manifest.parent, "*")  # the manifests of output directories not built for a month
    if not quiet:
        print(f"构建完成：{final}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="build", description="构建门户网站（失败时保留上一次的网站）。")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("--content", help="内容目录（默认取设置中的 PATH）")
    parser.add_argument("-o", "--output", help="输出目录（默认取设置中的 OUTPUT_PATH）")
    parser.add_argument("--drafts", action="store_true", help="同时显示草稿（仅本地预览）")
    parser.add_argument("--now", type=now_argument, help="按此时间构建（ISO 格式），用于测试定时发布")
    parser.add_argument("--cache", help="缓存目录（默认取设置中的 PORTAL_CACHE_PATH，即项目的 .cache/）")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s %(message)s")
    return build(args.settings, args.content, args.output, args.drafts, args.now, args.quiet, cache=args.cache)
