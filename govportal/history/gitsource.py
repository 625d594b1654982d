"""Reading the ledger: one ``git log`` walk over ``content/``, blobs through one ``cat-file`` process.

Everything Git is asked goes through GitPython's command wrapper, in a few calls for a
whole history (never one call per file):

* :meth:`GitSource.walk`: the published line (``git rev-list --first-parent``), then one
  ``git diff-tree --stdin -r -M -z`` over all of it (the ``git log --raw -M`` walk without
  ``git log``'s second diff per commit for the path limit): every commit that touched the
  content directory, oldest first, with each file's status (added, modified, deleted,
  renamed) and blob ids. A merge commit is compared with its first parent: a merged branch
  is one change of the published line, made by the merge. On several cores the line is cut
  into spans walked side by side, and each span's output is parsed while Git writes it;
* :class:`BlobReader`: ``git cat-file --batch`` fed by a thread, so requests and answers
  stream without a round trip per blob;
* :meth:`GitSource.status`: ``git status --porcelain -z`` for the uncommitted edits.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import threading
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator, NamedTuple
from zoneinfo import ZoneInfo

import git

from ..issues import PortalError

BEIJING = ZoneInfo("Asia/Shanghai")
RENAME_LIMIT = "-l5000"
SPAN_MIN = 2000  # commits per walked span when the walk is shared out
UNSHALLOW_HELP = "请先获取完整历史：git fetch --unshallow（CI 中把检出深度设为 0，例如 actions/checkout 的 fetch-depth: 0）"


class HistoryError(PortalError):
    """The Git history cannot be read as a complete ledger."""


class ShallowCloneError(HistoryError):
    def __init__(self, root: str):
        super().__init__(f"{root} 是浅克隆（shallow clone），只含部分提交，无法得出完整的发布历史。{UNSHALLOW_HELP}")


class Commit(NamedTuple):
    """A commit of the published line (a named tuple: tens of thousands are made and cached)."""

    sha: str
    parents: tuple[str, ...]
    when: dt.datetime  # committer date, Beijing time, naive
    author: str
    email: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


class Change(NamedTuple):
    """One file changed by a commit; paths relative to the content directory (a named tuple: one is
    made for every change of a walk)."""

    status: str  # A added, M modified, D deleted, R renamed (T type change counts as M)
    path: str  # the path after the commit (the deleted path for D)
    blob: str  # the blob after the commit (before, for D)
    old_path: str = ""
    old_blob: str = ""


def beijing(timestamp: int) -> dt.datetime:
    if timestamp >= _NO_DST_SINCE:  # UTC+8 all year since China's last summer time (faster than the zone)
        return _EPOCH_BEIJING + dt.timedelta(seconds=timestamp)
    return dt.datetime.fromtimestamp(timestamp, BEIJING).replace(tzinfo=None)


_EPOCH_BEIJING = dt.datetime(1970, 1, 1, 8)
_NO_DST_SINCE = int(dt.datetime(1992, 1, 1, tzinfo=dt.timezone.utc).timestamp())


class GitSource:
    """The Git repository holding a content directory."""

    def __init__(self, repo: git.Repo, prefix: str):
        self.repo = repo
        self.root = Path(repo.working_tree_dir)
        self.prefix = prefix  # content dir relative to the work tree, POSIX, "" for the root

    @classmethod
    def find(cls, content_dir: Path) -> "GitSource | None":
        """The repository containing ``content_dir``, or None when it is not inside one."""
        content_dir = Path(content_dir).resolve()
        try:
            repo = git.Repo(content_dir, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return None
        if repo.bare or repo.working_tree_dir is None:
            return None
        root = Path(repo.working_tree_dir).resolve()
        prefix = content_dir.relative_to(root).as_posix()
        return cls(repo, "" if prefix == "." else prefix)

    def git(self, *args: str, binary: bool = False):
        return self.repo.git.execute(["git", *args], stdout_as_string=not binary,
                                     strip_newline_in_stdout=not binary)

    def check_complete(self) -> None:
        if self.git("rev-parse", "--is-shallow-repository").strip() == "true":
            raise ShallowCloneError(str(self.root))

    def head(self) -> str | None:
        """The HEAD commit, or None in a repository without commits."""
        try:
            return self.git("rev-parse", "--verify", "-q", "HEAD^{commit}").strip() or None
        except git.GitCommandError:
            return None

    def resolve(self, rev: str) -> str | None:
        """A commit id for a commit, tag or branch name; None when it names none."""
        try:
            return self.git("rev-parse", "--verify", "-q", f"{rev}^{{commit}}").strip() or None
        except git.GitCommandError:
            return None

    def is_ancestor(self, older: str, newer: str) -> bool:
        """Whether commit ``older`` is an ancestor of (or is) commit ``newer``."""
        try:
            self.git("merge-base", "--is-ancestor", older, newer)
        except git.GitCommandError:
            return False
        return True

    def commit_at(self, when: dt.datetime, head: str = "HEAD") -> str | None:
        """The last commit of the published line committed at or before ``when`` (Beijing time)."""
        stamp = when.replace(tzinfo=BEIJING).isoformat()
        try:
            out = self.git("rev-list", "--first-parent", "-1", f"--before={stamp}", head).strip()
        except git.GitCommandError:
            return None
        return out or None

    def first_parent_line(self, since: str | None = None, head: str = "HEAD") -> list[tuple[str, ...]]:
        """(commit, its parents…) of the published line after ``since`` up to ``head``, oldest first."""
        span = f"{since}..{head}" if since else head
        out = self.git("rev-list", "--first-parent", "--parents", "--reverse", span)
        return [tuple(line.split()) for line in out.splitlines()]

    def walk(self, line: list[tuple[str, ...]], workers: int = 1) -> list[tuple[Commit, list[Change]]]:
        """Every commit of ``line`` that changed the content directory, in order, with its changes.

        One ``git diff-tree --stdin`` over the commits, each compared with its first parent
        (so a merge is the change it brought to the published line), with rename detection;
        with ``workers`` > 1 the line is cut into that many spans walked side by side. No path
        limit: Git's pathspec matching costs more than diffing the few other files of a commit,
        which :meth:`_parse_changes` drops."""
        if not line:
            return []
        workers = max(1, min(workers, len(line) // SPAN_MIN or 1))
        size = -(-len(line) // workers)
        spans = [line[i:i + size] for i in range(0, len(line), size)]
        parents = {c[0]: c[1:] for c in line}
        outputs: list[list[tuple[Commit, list[Change]]]] = [[] for _ in spans]
        errors: list[BaseException] = []

        def run(i: int) -> None:
            try:
                stdin = "".join(" ".join(c[:2]) + "\n" for c in spans[i]).encode()  # against the first parent
                outputs[i] = self._stream_log(stdin, parents)
            except BaseException as exc:  # re-raised by the calling thread
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(1, len(spans))]
        for t in threads:
            t.start()
        run(0)
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        return [entry for out in outputs for entry in out]

    def _stream_log(self, stdin: bytes, parents: dict[str, tuple[str, ...]]) -> list[tuple[Commit, list[Change]]]:
        """One ``diff-tree --stdin`` run, its output parsed while Git is still writing it (the
        parsing overlaps Git's work instead of following it)."""
        args = ["diff-tree", "--stdin", "--root", "-r", "-M", RENAME_LIMIT, "--no-abbrev", "-z",
                "--format=%x01%H%x00%P%x00%ct%x00%an%x00%ae%x00%s"]
        handle = self.repo.git.execute(["git", *args], as_process=True, istream=subprocess.PIPE)
        proc = handle.proc  # ``handle`` must live until the end: dropping it kills the process

        def feed() -> None:
            with contextlib.suppress(BrokenPipeError, ValueError):
                proc.stdin.write(stdin)
            with contextlib.suppress(OSError):
                proc.stdin.close()

        errors: list[bytes] = []  # drained by a thread: warnings (one per commit over the rename limit) must not block Git
        drain = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)
        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        drain.start()
        found: list[tuple[Commit, list[Change]]] = []
        rest = b""
        while True:
            # read, not read1: diff-tree --stdin flushes after each commit, and read1 returned each one alone
            block = proc.stdout.read(1 << 18)
            if not block:
                break
            records = (rest + block).split(b"\x01")
            rest = records.pop()  # the last record may be incomplete
            found.extend(self._parse_records(records, parents))
        found.extend(self._parse_records([rest], parents))
        writer.join()
        drain.join()
        if handle.proc.wait():
            raise HistoryError(f"git diff-tree 失败：{b''.join(errors).decode('utf-8', 'replace').strip()}")
        return found

    def _parse_records(self, records: list[bytes], parents: dict[str, tuple[str, ...]]
                       ) -> Iterator[tuple[Commit, list[Change]]]:
        """Commits with the changes they made to the content directory (commits that changed
        nothing there are left out); ``parents`` gives each commit's true parents (``diff-tree
        --stdin`` shows only the one it compared with)."""
        for record in records:
            fields = record.split(b"\0", 6)
            if len(fields) < 7:
                continue
            changes = list(self._parse_changes(fields[6].split(b"\0")))
            if not changes:
                continue
            header = record[:len(record) - len(fields[6]) - 1].decode("utf-8", "replace")
            sha, parent, stamp, author, email, subject = header.split("\0")
            yield Commit(sha, parents.get(sha) or tuple(parent.split()), beijing(int(stamp)), author, email,
                         subject), changes

    def _rel(self, path: str) -> str | None:
        if not self.prefix:
            return path
        if path.startswith(self.prefix + "/"):
            return path[len(self.prefix) + 1:]
        return None

    def diff(self, old: str, new: str) -> list[Change]:
        """Files changed in the content directory between two commits (with rename detection)."""
        out = self.git("diff", "--raw", "-M", RENAME_LIMIT, "--no-abbrev", "-z", old, new, "--",
                       self.prefix or ".", binary=True)
        return list(self._parse_changes(out.split(b"\0")))

    def _parse_changes(self, tokens: list[bytes]) -> Iterator[Change]:
        i = 0
        while i < len(tokens):
            token = tokens[i].lstrip(b"\n")
            i += 1
            if not token.startswith(b":"):
                continue
            _old_mode, _new_mode, old_blob, new_blob, status = token[1:].decode().split(" ")
            kind = status[0]
            if kind == "M":  # the common case first
                new = self._rel(tokens[i].decode("utf-8", "surrogateescape"))
                i += 1
                if new is not None:
                    yield Change("M", new, new_blob, new, old_blob)
                continue
            if kind in "RC":
                old, new = (self._rel(t.decode("utf-8", "surrogateescape")) for t in tokens[i:i + 2])
                i += 2
                if kind == "C":
                    old = None
            else:
                old = new = self._rel(tokens[i].decode("utf-8", "surrogateescape"))
                i += 1
            if kind in "RC" and (old is None or new is None):  # moved across the content dir's border
                if new is not None:
                    yield Change("A", new, new_blob)
                elif old is not None and kind == "R":
                    yield Change("D", old, old_blob)
                continue
            if new is None:
                continue
            if kind == "A":
                yield Change("A", new, new_blob)
            elif kind == "D":
                yield Change("D", old, old_blob)
            elif kind == "R":
                yield Change("R", new, new_blob, old, old_blob)
            else:  # M, T
                yield Change("M", new, new_blob, new, old_blob)

    def status(self) -> list[tuple[str, str, str]]:
        """Uncommitted edits in the content directory: (status A|M|D, path, old path) from the
        work tree against HEAD, untracked files included and ignored ones not."""
        out = self.git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--",
                       self.prefix or ".", binary=True)
        found = []
        for token in out.split(b"\0"):
            if len(token) < 4:
                continue
            code, path = token[:2].decode(), self._rel(token[3:].decode("utf-8", "surrogateescape"))
            if path is None:
                continue
            if "D" in code:
                found.append(("D", path, path))
            elif code == "??" or "A" in code:
                found.append(("A", path, ""))
            else:
                found.append(("M", path, path))
        return found

    def blob_at(self, commit: str, path: str) -> bytes | None:
        """One file as it was in ``commit`` (for the auditors' single look-ups)."""
        full = str(PurePosixPath(self.prefix) / path) if self.prefix else path
        try:
            return self.git("cat-file", "blob", f"{commit}:{full}", binary=True)
        except git.GitCommandError:
            return None

    def tree_files(self, commit: str, under: str) -> dict[str, str]:
        """path (relative to the content dir) -> blob id of every file below ``under`` in ``commit``."""
        full = "/".join(part for part in (self.prefix, under) if part) or "."
        out = self.git("ls-tree", "-r", "-z", commit, "--", full, binary=True)
        files = {}
        for entry in out.split(b"\0"):
            if not entry:
                continue
            info, _, path = entry.partition(b"\t")
            rel = self._rel(path.decode("utf-8", "surrogateescape"))
            if rel is not None and info.split()[1] == b"blob":
                files[rel] = info.split()[2].decode()
        return files

    def files_containing(self, commit: str, texts: Iterable[str]) -> list[str]:
        """The files of the content dir in ``commit`` whose text contains any of ``texts`` (``git grep``)."""
        texts = [t for t in texts if t]
        if not texts:
            return []
        patterns = [arg for text in texts for arg in ("-e", text)]
        try:
            out = self.git("grep", "-l", "-z", "-F", *patterns, commit, "--", self.prefix or ".", binary=True)
        except git.GitCommandError:  # exit 1: nothing found
            return []
        found = []
        for entry in out.split(b"\0"):
            rel = self._rel(entry.decode("utf-8", "surrogateescape").partition(":")[2]) if entry else None
            if rel is not None:
                found.append(rel)
        return found

    def blobs(self) -> "BlobReader":
        return BlobReader(self.repo)


class BlobReader:
    """Blob contents through one ``git cat-file --batch`` process: ``read(ids)`` yields (id, bytes)
    in the order asked, the ids written by a thread while the answers are read."""

    def __init__(self, repo: git.Repo):
        self.proc = repo.git.execute(["git", "cat-file", "--batch"], as_process=True, istream=subprocess.PIPE)

    def read(self, ids: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        ids = list(ids)
        stdin = self.proc.proc.stdin

        def feed():
            try:
                for start in range(0, len(ids), 512):
                    stdin.write("".join(f"{i}\n" for i in ids[start:start + 512]).encode())
                stdin.flush()
            except (BrokenPipeError, ValueError):
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        answered = 0
        try:
            for blob_id in ids:
                data = self._answer(blob_id)
                answered += 1
                yield blob_id, data
        finally:
            writer.join()
            for blob_id in ids[answered:]:  # left early: take the rest out of the pipe for the next request
                with contextlib.suppress(HistoryError):
                    self._answer(blob_id)

    def get(self, blob_id: str) -> bytes:
        """One blob, without the feeding thread of :meth:`read`."""
        stdin = self.proc.proc.stdin
        stdin.write(f"{blob_id}\n".encode())
        stdin.flush()
        return self._answer(blob_id)

    def _answer(self, blob_id: str) -> bytes:
        stdout = self.proc.proc.stdout
        header = stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            raise HistoryError(f"Git 对象 {blob_id} 不存在：仓库不完整。{UNSHALLOW_HELP}")
        return stdout.read(int(header[2]) + 1)[:-1]

    def close(self) -> None:
        try:
            self.proc.proc.stdin.close()
        except OSError:
            pass
        self.proc.proc.wait()

    def __enter__(self) -> "BlobReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

