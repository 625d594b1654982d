"""Real Git repositories for the history and audit tests: the test site in ``content/``, commits at set times.

Only helpers and fixtures live here (no tests): ``ledger`` gives a :class:`Ledger` with the
three documents of tests/fixtures/site published in a first commit on 2024-03-09, after their last sign-off.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import git
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import FIXTURE_SITE, resign

POLICY = "policy/cezhengfa-2024-12.md"
RELEASE = "release/spring-meeting.md"
INTERPRETATION = "interpretation/jiedu-2024-12.md"
POLICY_KEY = "11379900MB0000000X/2024-00012"
FIRST = "2024-03-09T18:00:00+08:00"


class Ledger:
    """A Git repository whose ``content/`` starts as a copy of the test site."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        shutil.copytree(FIXTURE_SITE, self.content)
        self.repo = git.Repo.init(root, initial_branch="main")
        with self.repo.config_writer() as config:
            config.set_value("user", "name", "测试")
            config.set_value("user", "email", "test@shili.gov.cn")

    def path(self, rel: str) -> Path:
        return self.content / rel

    def commit(self, message: str, when: str, author: str = "张晓燕") -> str:
        """Commit everything in the work tree at ``when`` (ISO time with offset); returns the commit id."""
        self.repo.git.add("-A")
        env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": author,
               "GIT_COMMITTER_NAME": author}
        self.repo.git.commit("-q", "--allow-empty", "-m", message, env=env)
        return self.repo.head.commit.hexsha

    def git(self, *args: str, when: str | None = None, author: str = "张晓燕") -> str:
        env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": author,
               "GIT_COMMITTER_NAME": author} if when else None
        return self.repo.git.execute(["git", *args], env=env)

    def replace(self, rel: str, old: str, new: str, sign: bool = True) -> None:
        """Change text in a file (and re-approve it: the final reviewer's digest follows the text)."""
        path = self.path(rel)
        text = path.read_text("utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), "utf-8")
        if sign:
            resign(path)

    def set_field(self, rel: str, name: str, value: str, sign: bool = True) -> None:
        """Set a top-level front matter field (added before the closing ``---`` when absent)."""
        path = self.path(rel)
        text = path.read_text("utf-8")
        line = f"{name}: {value}"
        new, count = re.subn(rf"^{name}:.*$", line, text, count=1, flags=re.M)
        if not count:
            head, sep, body = text[4:].partition("\n---\n")
            new = "---\n" + head + "\n" + line + sep + body
        path.write_text(new, "utf-8")
        if sign:
            resign(path)

    def schedule_update(self, text: str = "定时公开的新文字") -> str:
        """Commit a 定时更新 of the policy on 2024-05-01: ``text`` in its body, public from 2024-05-20 09:00."""
        self.replace(POLICY, "激发市场主体活力", text)
        self.set_field(POLICY, "date", "2024-05-20 09:00")
        self.set_field(POLICY, "change_note", "定时更新")
        return self.commit("定时更新", "2024-05-01T09:00:00+08:00")

    def withdraw(self, rel: str, on: str, reason: str) -> None:
        self.set_field(rel, "status", "withdrawn", sign=False)
        self.set_field(rel, "withdrawal", f"{{on: {on}, by: 赵刚, reason: {reason}}}", sign=False)


@pytest.fixture
def ledger(tmp_path) -> Ledger:
    """The test site committed once, on 2024-03-09 (every document 首次发布)."""
    found = Ledger(tmp_path / "repo")
    found.commit("发布测试站点", FIRST)
    return found


@given(st.lists(st.sampled_from(["_data", ".git", ".x", "a", "policy", "2020", "_datax", "b.md", "C.MD", ".md",
                                 "x.markdown", "y.txt", "d.md.txt"]), min_size=1, max_size=4))
def test_is_document_is_the_content_model_s_rule_for_git_paths(parts):
    from pathlib import PurePosixPath

    from govportal.history.ledger import is_document
    from govportal.repository import CONTENT_SUFFIXES
    from govportal.vocab import DATA_DIR

    path = "/".join(parts)
    split = PurePosixPath(path).parts
    expected = (path.lower().endswith(CONTENT_SUFFIXES) and split[0] != DATA_DIR
                and not any(p.startswith(".") for p in split))
    assert is_document(path) == expected
