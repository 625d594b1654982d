"""The generated history repository and the history benchmark, at a small size."""
from __future__ import annotations

import sys

from govportal.history import load_history
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))


def test_a_generated_repository_has_every_version_as_a_commit(tmp_path):
    from gen_history_repo import generate_history_repo

    stats = generate_history_repo(40, tmp_path / "repo", versions=3, seed=3)
    assert (stats.documents, stats.versions, stats.commits) == (40, 120, 121)
    history = load_history(tmp_path / "repo" / "content")
    assert len(history.docs) == 40 and history.uncommitted == [] and not history.irregular()
    kinds = [e.kind for d in history.docs.values() for e in d.events]
    assert kinds.count("published") == 40 and len(kinds) == 120
    assert kinds.count("repealed") == stats.repeals and kinds.count("withdrawn") == stats.withdrawals
    majors = [e.major for d in history.docs.values() for e in d.events if e.number == 2]
    assert majors == [True] * 40  # version 2 changes the body
    assert all("/" in d.versions[0].path.split("/", 1)[1] for d in history.docs.values())  # <type>/<year>/


def test_the_benchmark_prints_its_figures(tmp_path, capsys):
    import bench_history

    assert bench_history.main(["--docs", "12", "--versions", "2", "--workdir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-5].startswith("history: 12 documents, 24 versions in 25 commits, 24 events")
    assert [line.split()[0] for line in lines[-4:]] == ["cold", "CPU", "same", "one"]
    assert float(lines[-3].split()[4]) > 0  # CPU seconds of every process
    assert bench_history.main(["--docs", "12", "--versions", "2", "--workdir", str(tmp_path)]) == 0
    assert "generating" not in capsys.readouterr().out  # the repository is made once


def test_shared_out_walk_and_read_give_the_same_history(tmp_path, monkeypatch):
    from gen_history_repo import generate_history_repo

    from govportal.history import gitsource, ledger

    generate_history_repo(30, tmp_path / "repo", versions=3, seed=5)
    alone = load_history(tmp_path / "repo" / "content", workers=1)
    monkeypatch.setattr(gitsource, "SPAN_MIN", 10)  # 91 commits: walked in 3 spans
    monkeypatch.setattr(ledger, "PARALLEL_READ_MIN", 10)  # read by this process and 2 forked workers
    shared = load_history(tmp_path / "repo" / "content", workers=3)
    assert shared.stats["walked"] == alone.stats["walked"] == 91
    assert [e.as_dict() for e in shared.events()] == [e.as_dict() for e in alone.events()]
    versions = {k: [(v.seq, v.commit.sha, v.blob, v.key, v.changed, v.final_by) for v in d.versions]
                for k, d in alone.docs.items()}
    assert {k: [(v.seq, v.commit.sha, v.blob, v.key, v.changed, v.final_by) for v in d.versions]
            for k, d in shared.docs.items()} == versions


def test_versions_read_against_the_one_before_are_filled_as_when_read_whole(tmp_path, monkeypatch):
    """The quick path (only the changed entries worked out again) gives every field the whole read gives."""
    from gen_history_repo import generate_history_repo

    from govportal.history import fastmeta, ledger

    generate_history_repo(30, tmp_path / "repo", versions=3, seed=11)
    quick = load_history(tmp_path / "repo" / "content", workers=1)
    monkeypatch.setattr(ledger, "read_next", lambda path, data, previous: fastmeta.read(path, data))
    whole = load_history(tmp_path / "repo" / "content", workers=1)
    rows = {k: [(v.seq,) + ledger._version_fields(v) for v in d.versions] for k, d in whole.docs.items()}
    assert {k: [(v.seq,) + ledger._version_fields(v) for v in d.versions] for k, d in quick.docs.items()} == rows
    assert sum(1 for d in whole.docs.values() for v in d.versions if v.compared) == 60
