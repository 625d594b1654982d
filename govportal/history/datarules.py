"""The gate's rules that read other files of the repository, replayed on every committed version.

Whether the build let a version through depends, besides its own sign-offs, on other files of
the commit: the reviewer roster (``_data/reviewers.yml``: every signer on it, with that step,
not signing after leaving), the word lists (``_data/wordlists/*.yml``: no blocking 错敏词
that the final reviewer did not waive) and the version's attachment files (each one there,
under ``attachments/``, and the file whose SHA-256 the final review recorded). A version
refused by them was never public, so its text must not come back as a history page.

A version is refused when the rules refuse it under the files of its own commit *and* under
every later state of them until the file's next version: a roster or word list mended, or an
attachment file put back, by a later commit let the build publish the same text from that
commit on.

Speed: the roster is a dictionary lookup per sign-off. The word lists would cost a scan of
every version's text (about 10 CPU s for 42,000 versions of 3,300 characters), so a version
is screened by :class:`~govportal.wording.Screen` (the blocking entries only, stopping at
the first hit), and only over the lines and entries that changed since the version before
when that one was screened clean under the same lists. A screened hit is confirmed by the
build's own check (:func:`~govportal.wording.check_document`, waivers included).
"""
from __future__ import annotations

import bisect
import hashlib
import operator
import unicodedata
from dataclasses import dataclass

from ..attachments import ATTACHMENTS_DIR, OUTSIDE
from ..frontmatter import parse_file
from ..gate import own_refusal, signers_on_roster
from ..model import Document, attachment_file, read_attachments
from ..text import common_end, common_start
from ..vocab import REVIEWERS_FILE, STEPS, Reviewer, Vocab, read_reviewers
from ..wording import FIELDS, Matcher, Screen, check_document, is_wordlist, wordlist_entries
from .fastmeta import Front, signoff_table

SIGNED = frozenset(("review", "proofread", "secrecy"))  # the entries the gate's sign-off rules read (and date)
SCREENED = frozenset(name.split(".")[0] for name, _ in FIELDS)  # the entries whose texts the word lists check


def is_rule_data(path: str) -> bool:
    """Whether a content file (relative to the content directory) is one these rules read."""
    return path == REVIEWERS_FILE or is_wordlist(path)


@dataclass
class Rules:
    """The roster and the word lists as of one commit."""

    reviewers: dict[str, Reviewer]
    screen: Screen  # blocking entries and rules only
    matcher: Matcher  # every entry, as the build checks
    by_lines: bool  # no entry spans a line end: a version may be screened over its changed lines only

    @classmethod
    def from_files(cls, roster: bytes | None, wordlists: list[tuple[str, bytes]]) -> "Rules":
        reviewers, _ = read_reviewers(roster)  # a roster with problems stopped every build: see audit verify
        entries, _ = wordlist_entries(wordlists)
        return cls(reviewers, Screen(entries), Matcher(entries), not any("\n" in e.word for e in entries))

    def __post_init__(self):
        self.vocab = Vocab({}, {}, {}, {}, self.reviewers)  # what the gate's roster rule looks up
        self._left = {r.name: r.left.isoformat() for r in self.reviewers.values() if r.left}  # 离任日期
        self._signers: dict[tuple[str, ...], bool] = {}  # signers in the order of STEPS -> each may sign that step

    def roster_refusal(self, front: Front, path: str) -> str:
        """Why the roster refuses the version's sign-offs ("" when it does not)."""
        table = signoff_table(front)
        if table is not None and self._may_sign(table[0]):
            return ""
        return own_refusal(path, {name: front.value(name) for name in SIGNED}, None, (signers_on_roster,), self.vocab)

    def _may_sign(self, signed: tuple[tuple[str, str], ...]) -> bool:
        """Whether the roster lets each signer of ``signed`` ((by, on) of every step) sign that step on that day."""
        signers = tuple(map(_FIRST, signed))
        allowed = self._signers.get(signers)
        if allowed is None:
            allowed = self._signers[signers] = all(
                by in self.reviewers and step in self.reviewers[by].steps for by, step in zip(signers, STEPS))
        return allowed and not (self._left and any(on > self._left.get(by, on) for by, on in signed))

    def screened_clean(self, front: Front, since: Front | None) -> bool:
        """Whether the screen finds no blocking hit in the version's public texts; with ``since``
        (the version before, screened clean under these rules), only in what changed since it."""
        names = SCREENED if since is None or front.since is None or not self.by_lines else \
            SCREENED.intersection(front.since)
        raw = [front.entries.get(name, "") for name in names]
        if any("\\" in text for text in raw):
            return False  # an escape in a quoted value may spell a word: the check reads the parsed value
        body = front.body if since is None or not self.by_lines else changed_lines(since.body, front.body)
        texts = [*raw, _text(body)]
        return not any(self.screen.finds(text) for text in texts if text)

    def wording_refusal(self, path: str, blob: bytes, status: str) -> str:
        """The build's wording check on the whole version: its first error ("" when none)."""
        parsed, _ = parse_file(path, blob)
        if parsed is None:
            return ""
        doc = Document(parsed.path, parsed.meta, parsed.body, parsed.body_line, parsed.lines, parsed.ends,
                       status=status)
        issues, _ = check_document(doc, self.matcher)
        errors = [i for i in issues if i.is_error]
        return f"{errors[0].message}（第 {errors[0].line} 行）" if errors else ""


_FIRST = operator.itemgetter(0)


def _text(body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def changed_lines(old: bytes, new: bytes) -> bytes:
    """The whole lines of ``new`` between the lines it has in common with ``old`` at the start and at the end."""
    size = min(len(old), len(new))
    start = new.rfind(b"\n", 0, common_start(old, new, size)) + 1
    end = common_end(old, new, size - start)  # not into the lines in common at the start
    stop = new.find(b"\n", len(new) - end) if end else len(new)  # the line where the common end begins too
    return new[start:len(new) if stop < 0 else stop]


class DataRules:
    """The :class:`Rules` in force at each commit of a ledger, made once for each state of the files.

    ``files``: each content file's changes as ``(commit number, blob)``, ``""`` for a deletion
    (:attr:`~.ledger.LedgerState.files`; only the data files are read); ``get(blob)`` reads a blob (every state is read at once:
    the blob reader may be busy streaming the versions afterwards)."""

    def __init__(self, files: dict[str, list[tuple[int, str]]], get):
        changes = {path: found for path, found in files.items() if is_rule_data(path)}
        self.bounds = sorted({seq for found in changes.values() for seq, _ in found})
        by_files: dict[tuple, Rules] = {}
        self.states: list[Rules] = []  # after the first 0, 1, … bounds
        for seq in [-1, *self.bounds]:
            files = tuple(sorted((path, blob) for path, found in changes.items() if (blob := blob_at(found, seq))))
            if files not in by_files:
                read = {path: get(blob) for path, blob in files}
                by_files[files] = Rules.from_files(read.get(REVIEWERS_FILE),
                                                   [(p, b) for p, b in read.items() if p != REVIEWERS_FILE])
            self.states.append(by_files[files])

    def at(self, seq: int) -> Rules:
        """The rules the build of the ``seq``-th commit applied."""
        return self.states[bisect.bisect_right(self.bounds, seq)]

    def changes(self, seq: int, until: int | None) -> list[int]:
        """The commits after the ``seq``-th one, before the ``until``-th (None: any), that changed the files."""
        first = bisect.bisect_right(self.bounds, seq)
        last = len(self.bounds) if until is None else bisect.bisect_left(self.bounds, until)
        return self.bounds[first:last]


def follow_files(files: dict[str, list[tuple[int, str]]], seq: int, changes, holds) -> set[str]:
    """Add to ``files`` what the ``seq``-th commit (its ``changes``) did to the paths ``holds`` accepts:
    ``(seq, blob)`` for a write, ``(seq, "")`` for a deletion or a rename's old path, unless the same
    commit wrote that path too (a rename onto it), in whatever order the changes come. Returns the paths."""
    touched = set()
    for change in changes:
        gone = change.path if change.status == "D" else change.old_path if change.status == "R" else ""
        if gone and holds(gone):
            found = files.setdefault(gone, [])
            if not found or found[-1][0] != seq:
                found.append((seq, ""))
            touched.add(gone)
        if change.status != "D" and holds(change.path):
            files.setdefault(change.path, []).append((seq, change.blob))
            touched.add(change.path)
    return touched


def blob_at(changes: list[tuple[int, str]], seq: int) -> str:
    """A file's blob after the ``seq``-th commit, from its changes ``(commit number, blob)`` in order ("" when
    there was no such file)."""
    i = bisect.bisect_right(changes, seq, key=_FIRST)
    return changes[i - 1][1] if i else ""


class CommittedFiles:
    """The content files (attachments) of a ledger after each commit, and their SHA-256, each blob read once.

    ``files``: :attr:`~.ledger.LedgerState.files`; ``open_reader()`` opens a
    :class:`~.gitsource.BlobReader`, the first time a file is hashed (the reader of the versions may be
    busy streaming them). Audit's verify uses :meth:`sha256` alone (with empty ``files``)."""

    def __init__(self, files: dict[str, list[tuple[int, str]]], open_reader):
        self.files, self._open, self._reader, self._known = files, open_reader, None, {"": ""}

    def blob(self, path: str, seq: int) -> str:
        """The file's blob after the ``seq``-th commit, "" when there was none."""
        return blob_at(self.files.get(path, ()), seq)

    def changes(self, paths, after: int, until: int | None) -> list[int]:
        """The commits after the ``after``-th one, before the ``until``-th, that wrote or deleted one of ``paths``."""
        return sorted({seq for path in paths for seq, _ in self.files.get(path, ())
                       if after < seq and (until is None or seq < until)})

    def sha256(self, blob: str) -> str:
        """The SHA-256 (hex) of a blob's bytes, "" for no blob."""
        if blob not in self._known:
            if self._reader is None:
                self._reader = self._open()
            self._known[blob] = hashlib.sha256(self._reader.get(blob)).hexdigest()
        return self._known[blob]

    def __enter__(self) -> "CommittedFiles":
        return self

    def __exit__(self, *exc) -> None:
        if self._reader is not None:
            self._reader.close()


def attachment_paths(value) -> list[str]:
    """The files an ``attachments`` entry (as parsed) names, as Git paths under the content directory."""
    items = value if isinstance(value, list) else []
    files = (item if isinstance(item, str) else item.get("file") if isinstance(item, dict) else None for item in items)
    return [attachment_file(file) for file in files if isinstance(file, str) and file.strip()]


def attachment_refusal(path: str, value, files: CommittedFiles, seq: int) -> str:
    """Why the build of the ``seq``-th commit refused a version for its attachments (``value``, the
    ``attachments`` entry as parsed): an entry the content model refuses, a file outside
    ``attachments/`` or not there, or one that is not the file the final review recorded. "" when none."""
    if value is None or value == "":
        return ""
    issues = []
    found = read_attachments(Document(path, {}, "", 0, {}), value, issues)
    if issues:
        return issues[0].message
    for att in found:
        if not att.file.startswith(ATTACHMENTS_DIR + "/"):
            return OUTSIDE[0].format(file=att.file)
        blob = files.blob(att.file, seq)
        if not blob:
            return f"附件“{att.file}”不存在"
        if att.sha256 and files.sha256(blob) != att.sha256:
            return (f"附件“{att.file}”不是终审时的文件（终审记录的 sha256 为 {att.sha256[:12]}…，"
                    f"提交中的文件是 {files.sha256(blob)[:12]}…）")
    return ""
