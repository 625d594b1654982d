"""scripts/gen_corpus.py: the synthetic corpus is valid, approved, deterministic and realistically sized."""
from __future__ import annotations

import datetime as dt
import importlib.util
import statistics
import sys
from pathlib import Path

import pytest

from govportal.digest import document_digest
from govportal.frontmatter import parse_file
from govportal.identifiers import check_doc_no, normalise_doc_no
from govportal.repository import load_repository
from govportal.vocab import STEPS

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "site" / "_data"


def _load_module():
    spec = importlib.util.spec_from_file_location("gen_corpus", ROOT / "scripts" / "gen_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_corpus", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


gen_corpus = _load_module()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus") / "content"
    stats = gen_corpus.generate(60, out, seed=7)
    return out, stats


@pytest.fixture(scope="module")
def repo(corpus):
    return load_repository(corpus[0], None)


def test_repository_accepts_the_corpus_with_no_errors(corpus, repo):
    out, stats = corpus
    assert [i.format() for i in repo.errors] == []
    assert [i.format() for i in repo.warnings] == []
    assert len(repo.documents) == 60 == len(stats.files)
    assert all(d.status == "published" for d in repo.documents)
    assert {d.type for d in repo.documents} == {"policy", "interpretation", "release"}
    for doc in repo.documents:
        assert doc.source == f"{doc.type}/{Path(doc.source).name}"


def test_every_published_digest_matches(repo):
    for doc in repo.public():
        assert doc.meta["review"]["final"]["digest"] == document_digest(doc.meta, doc.body), doc.source


def test_signoffs_follow_the_roster_and_the_calendar(repo):
    roster = repo.vocab.reviewers
    for doc in repo.documents:
        meta = doc.meta
        signs = {f"review.{k}": meta["review"][k] for k in ("first", "second", "final")}
        signs |= {f"proofread.{k}": meta["proofread"][k] for k in ("first", "second", "third")}
        signs["secrecy"] = meta["secrecy"]
        assert set(signs) == set(STEPS)
        for step, sign in signs.items():
            assert step in roster[sign["by"]].steps, (doc.source, step, sign["by"])
        assert len({meta["review"][k]["by"] for k in ("first", "second", "final")}) == 3, doc.source
        assert meta["secrecy"]["result"] == "不涉密"
        day = doc.date.date()
        for chain in (("review.first", "review.second", "review.final"),
                      ("proofread.first", "proofread.second", "proofread.third"), ("secrecy",)):
            days = [dt.date.fromisoformat(signs[s]["on"]) for s in chain]
            assert days == sorted(days) and days[-1] <= day, (doc.source, chain)
        if doc.type == "policy":
            assert doc.written <= day


def test_identifiers_unique_and_interpretations_point_back(repo):
    docs = repo.documents
    assert len({d.index_no for d in docs}) == len(docs)
    assert len({d.title for d in docs}) == len(docs)
    policies = [d for d in docs if d.type == "policy"]
    assert len({normalise_doc_no(d.doc_no) for d in policies}) == len(policies)
    for doc in docs:
        assert dt.datetime(2015, 1, 1) <= doc.date <= dt.datetime(2026, 10, 31, 23, 59)
        assert doc.keywords and doc.summary and doc.change_note == "首次发布"
        if doc.type == "interpretation":
            target = repo.get(doc.interprets[0])
            assert target.type == "policy" and target.date <= doc.date
            assert doc.column.startswith("政策解读")
        elif doc.type == "policy":
            assert doc.column.startswith("政策文件/") and doc.validity in ("有效", "失效", "废止", "已修订")
        else:
            assert doc.column.startswith("政务动态/")


def test_front_matter_round_trips(corpus):
    """The YAML written loads back (govportal's loader) as the dict the digest was made from."""
    out, stats = corpus
    for rel in stats.files[:20]:
        parsed, issues = parse_file(rel, (out / rel).read_bytes())
        assert parsed is not None and not issues
        assert all(isinstance(v, (str, list, dict)) for v in parsed.meta.values())
    assert gen_corpus.verify(out, stats.files) == []


def test_deterministic_for_a_seed(tmp_path):
    def tree(path):
        return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*.md"))}
    a, b, c = (tmp_path / x for x in "abc")
    gen_corpus.generate(25, a, seed=3, data_dir=FIXTURE_DATA)
    gen_corpus.generate(25, b, seed=3, data_dir=FIXTURE_DATA)
    gen_corpus.generate(25, c, seed=4, data_dir=FIXTURE_DATA)
    assert tree(a) == tree(b)
    assert tree(a) != tree(c)


def test_fixture_vocabularies_also_give_a_valid_tree(tmp_path):
    gen_corpus.generate(30, tmp_path / "c", seed=5, data_dir=FIXTURE_DATA)
    repo = load_repository(tmp_path / "c", None)
    assert [i.format() for i in repo.errors] == []
    assert all(d.issuer.startswith("测试市") for d in repo.documents)


def test_size_spread(tmp_path):
    stats = gen_corpus.generate(400, tmp_path / "c", seed=11)
    median = statistics.median(stats.sizes)
    assert 3 * 1024 <= median <= 8 * 1024
    assert stats.percentile(0.9) > 2.5 * median  # a long tail, not a bell
    assert max(stats.sizes) <= 300 * 1024 and min(stats.sizes) >= 300
    shares = {k: v / 400 for k, v in stats.counts.items()}
    assert 0.4 < shares["policy"] < 0.6 and 0.2 < shares["interpretation"] < 0.4 and 0.1 < shares["release"] < 0.3


def test_chinese_policy_text(corpus):
    out, stats = corpus
    policy = next(out / rel for rel in stats.files if rel.startswith("policy/"))
    parsed, _ = parse_file("p.md", policy.read_bytes())
    body = parsed.body
    assert body.startswith(("各区人民政府", "各区相关部门", "各区主管部门"))
    assert "## 第一章　总则" in body or "## 一、总体要求" in body
    assert "施行" in body and "（此件公开发布）" in body
    assert "," not in body.replace("| --- |", "")  # full-width punctuation in the text
    assert check_doc_no(parsed.meta["doc_no"]) == (True, None)
    assert parsed.meta["issuer"] in body.rsplit("施行", 1)[1]  # the signature block after the closing


def test_refresh_digest_after_an_edit(tmp_path):
    gen_corpus.generate(3, tmp_path / "c", seed=2, data_dir=FIXTURE_DATA)
    path = next((tmp_path / "c").rglob("*.md"))
    path.write_text(path.read_text("utf-8") + "\n新增一句。\n", encoding="utf-8")
    written, actual = gen_corpus.file_digest(path)
    assert written != actual
    gen_corpus.refresh_digest(path)
    written, actual = gen_corpus.file_digest(path)
    assert written == actual


def test_cli_refuses_a_non_empty_outdir_unless_forced(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    assert gen_corpus.main(["5", str(out), "--data", str(FIXTURE_DATA)]) == 2
    assert (out / "keep.txt").exists()
    assert gen_corpus.main(["5", str(out), "--data", str(FIXTURE_DATA), "--force", "--verify"]) == 0
    assert not (out / "keep.txt").exists()
    printed = capsys.readouterr().out
    assert "median" in printed and "p90" in printed and "max" in printed and "0 wrong" in printed
