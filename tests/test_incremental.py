"""A rebuild renders only what a change affects; everything else is carried over unchanged."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import resign

POLICY_PAGE = "doc/11379900mb0000000x-2024-00012/index.html"
RELEASE_PAGE = "doc/spring-meeting/index.html"
INTERPRETATION_PAGE = "doc/11379900mb00000010-2024-00031/index.html"


def inode(output: Path, page: str) -> int:
    return (output / page).stat().st_ino


def test_editing_one_document_rerenders_it_and_its_neighbours_only(site_dir, build, tmp_path):
    output = tmp_path / "output"
    assert build(site_dir)[0] == 0
    before = {p: inode(output, p) for p in (POLICY_PAGE, RELEASE_PAGE, INTERPRETATION_PAGE, "index.html",
                                            "column/zwdt/tzgg/index.html", "column/zcwj/index.html")}
    policy = site_dir / "policy" / "cezhengfa-2024-12.md"
    policy.write_text(policy.read_text("utf-8").replace("若干措施\n", "若干措施（修订）\n", 1), "utf-8")
    resign(policy)
    assert build(site_dir)[0] == 0
    after = {p: inode(output, p) for p in before}
    # changed: the page itself, the interpretation linking to it, the lists showing its title
    for page in (POLICY_PAGE, INTERPRETATION_PAGE, "index.html", "column/zcwj/index.html"):
        assert after[page] != before[page], page
    assert "若干措施（修订）" in (output / INTERPRETATION_PAGE).read_text("utf-8")
    # unchanged: pages that do not show the policy
    for page in (RELEASE_PAGE, "column/zwdt/tzgg/index.html"):
        assert after[page] == before[page], page


def test_a_change_to_the_vocabularies_rerenders_everything(site_dir, build, tmp_path):
    output = tmp_path / "output"
    assert build(site_dir)[0] == 0
    site_yml = site_dir / "_data" / "site.yml"
    site_yml.write_text(site_yml.read_text("utf-8").replace("name: 测试市人民政府门户网站", "name: 测试市政府网"), "utf-8")
    assert build(site_dir)[0] == 0
    for page in (POLICY_PAGE, RELEASE_PAGE, "index.html", "404.html"):
        assert "测试市政府网" in (output / page).read_text("utf-8"), page


def test_removed_document_disappears(site_dir, build, tmp_path):
    output = tmp_path / "output"
    assert build(site_dir)[0] == 0
    (site_dir / "release" / "spring-meeting.md").unlink()
    assert build(site_dir)[0] == 0
    assert not (output / RELEASE_PAGE).exists()
    assert "spring-meeting" not in (output / "index.html").read_text("utf-8")


def test_failed_rebuild_then_good_rebuild_is_complete(site_dir, build, tmp_path):
    output = tmp_path / "output"
    assert build(site_dir)[0] == 0
    bad = site_dir / "release" / "bad.md"
    bad.write_text("---\ntitle：坏\n---\n正文\n", "utf-8")
    assert build(site_dir)[0] == 1
    bad.unlink()
    assert build(site_dir)[0] == 0
    assert (output / POLICY_PAGE).is_file() and (output / RELEASE_PAGE).is_file()
