"""manifest.json after full and incremental builds, a deployed copy checked against it, publish refusing uncommitted edits."""
from __future__ import annotations

import hashlib
import json
import shutil

from govportal.history.manifest import MANIFEST, read_manifest, verify_site
from tests.conftest import ROOT, resign, run_build
from tests.test_history_helpers import POLICY, RELEASE, ledger  # noqa: F401 (ledger: a fixture)

NOW = "2025-01-01T12:00:00"
POLICY_PAGE = "/doc/11379900mb0000000x-2024-00012/index.html"


def actual(out) -> dict[str, str]:
    return {"/" + p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != MANIFEST}


def test_a_build_describes_every_file_with_its_hash_commit_and_time(ledger, tmp_path):
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", NOW)[0] == 0
    data = json.loads((out / MANIFEST).read_text("utf-8"))
    assert data["source_commit"] == ledger.repo.head.commit.hexsha and data["source_uncommitted"] == []
    assert data["built"] == "2025-01-01T12:00:00+08:00" and data["format"] == 1
    assert data["files"] == actual(out)
    assert {POLICY_PAGE, "/index.html", "/history/index.html", "/theme/css/site.css"} <= set(data["files"])


def test_an_incremental_build_hashes_what_it_wrote_and_keeps_the_rest(ledger, tmp_path):
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", NOW)[0] == 0
    before = read_manifest(out / MANIFEST)["files"]
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    ledger.path(RELEASE).unlink()
    assert run_build(ledger.content, out, "--now", NOW)[0] == 0
    after = read_manifest(out / MANIFEST)
    assert after["files"] == actual(out)
    assert after["files"][POLICY_PAGE] != before[POLICY_PAGE]
    assert "/doc/spring-meeting/index.html" in before and "/doc/spring-meeting/index.html" not in after["files"]
    assert after["source_uncommitted"] == [POLICY, RELEASE]


def test_a_deployed_copy_with_one_altered_file(ledger, tmp_path):
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "--now", NOW)[0] == 0
    deployed = tmp_path / "deployed"
    shutil.copytree(out, deployed)
    assert verify_site(deployed, read_manifest(deployed / MANIFEST)).ok
    page = deployed / POLICY_PAGE.lstrip("/")
    page.write_text(page.read_text("utf-8").replace("若干措施", "若干举措"), "utf-8")
    check = verify_site(deployed, read_manifest(deployed / MANIFEST))
    assert [url for url, _, _ in check.altered] == [POLICY_PAGE] and not check.added and not check.missing
    assert check.lines() == [f"被改动：{POLICY_PAGE}（清单 sha256 {check.altered[0][1][:16]}…，实际 "
                             f"{hashlib.sha256(page.read_bytes()).hexdigest()[:16]}…）"]


def test_publish_refuses_uncommitted_content(ledger, tmp_path):
    settings = tmp_path / "publishconf.py"
    settings.write_text((ROOT / "publishconf.py").read_text("utf-8").replace(
        "os.path.dirname(os.path.abspath(__file__))", repr(str(ROOT))), "utf-8")
    out = tmp_path / "output"
    assert run_build(ledger.content, out, "-s", str(settings), "--now", NOW)[0] == 0
    page = out / POLICY_PAGE.lstrip("/")
    before = page.read_bytes()
    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    from portal.build import main

    code = main(["-q", "-s", str(settings), "--content", str(ledger.content), "-o", str(out), "--now", NOW])
    assert code == 1 and page.read_bytes() == before
    ledger.commit("修订", "2024-04-01T09:00:00+08:00")
    assert run_build(ledger.content, out, "-s", str(settings), "--now", NOW)[0] == 0
    assert "持续激发市场主体活力" in page.read_text("utf-8")


def test_publish_refusal_names_the_files(ledger, tmp_path, capsys):
    from govportal.history.manifest import refusal, source_state

    ledger.replace(POLICY, "激发市场主体活力", "持续激发市场主体活力")
    resign(ledger.path(POLICY))
    commit, uncommitted = source_state(ledger.content)
    assert commit == ledger.repo.head.commit.hexsha
    assert refusal(ledger.content, uncommitted) == (
        f"发布被拒绝：内容目录有 1 个未提交的改动，正式发布的每个版本都必须先提交到 Git（发布历史以 Git 为准）：\n"
        f"  {POLICY}\n请先提交（git add {ledger.content} && git commit），或放弃这些改动后再发布。")
    assert refusal(ledger.content, []) is None
