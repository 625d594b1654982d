"""``scripts/audit``: the publication history for auditors, from the Git repository of ``content/``.

    audit log [--since DATE] [--until DATE] [--path P] [--json]   publication events
    audit diff FROM TO                 documents published, changed, withdrawn or deleted between two
                                       states (commits, tags or dates), with their text diffs
    audit show INDEX_NO --at DATE      the file exactly as it stood then (stdout), what it was (stderr)
    audit verify [--since REV]         the 三审三校 gate replayed on every commit that changed public content,
                                       and the irregular events (deletions, drafts, changed 索引号) listed
    audit verify-site DIR              a deployed copy of the site against its manifest.json

Dates are ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` in Beijing time; a bare date means the whole
day (``--since``/FROM from its start, ``--until``/TO/``--at`` to its end). ``verify`` and
``verify-site`` exit 1 when they find a problem; a wrong argument, or a content directory that
is not one, not in Git or in a shallow clone, exits 2.

``log`` and ``show`` share the build's ledger cache (``.cache/history/``, by HEAD): a query at a
HEAD already read takes well under a second instead of a walk of the whole history, and a
query after new commits reads only those. ``--no-cache`` reads everything from Git afresh.
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import itertools
import json
import os
import re
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Callable

from ..attachments import ATTACHMENTS_DIR
from ..cli import ArgumentParser
from ..dates import DateProblem, parse_datetime, standard_form
from ..frontmatter import parse_file
from ..gate import GATED, Gate, beijing_now
from ..issues import ConfigError, PortalError
from ..model import Document, build_document
from ..vocab import DATA_DIR, load_vocab
from ..wording import Matcher, check_document, is_wordlist, wordlist_entries
from .datarules import CommittedFiles, blob_at, follow_files
from .diff import as_text, meta_changes, text_diff
from .forked import fork_shares
from .fastmeta import read
from .gitsource import Change, GitSource, ShallowCloneError, beijing
from .ledger import DELETED, PUBLIC, Event, Version, events_of, fill, is_document, key_of
from .load import History, load_history
from .manifest import MANIFEST, load_manifest, sha256_file, verify_site

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
END_OF_DAY = dt.timedelta(days=1, seconds=-1)
PARALLEL_VERIFY_MIN = 200  # fewer versions are replayed faster by this process alone than with a fork


class AuditError(ConfigError):
    """A wrong argument or a repository the auditor cannot use (exit 2)."""


def when_arg(text: str, end_of_day: bool, option: str) -> dt.datetime:
    """A DATE or DATETIME argument (of ``option``, named in the error); a bare date is its start, or its
    last second with ``end_of_day``."""
    text = standard_form(text) or text  # 2024-3-5 and 2024年3月5日 are clear enough on a command line
    try:
        when = parse_datetime(text)
    except DateProblem as exc:
        raise AuditError(f"{option} 的时间{exc}") from None
    return when + END_OF_DAY if end_of_day and len(text.strip()) <= 10 else when


def source_of(content: Path) -> GitSource:
    """The Git repository of a content directory, checked to be one the auditor can use."""
    if not content.is_dir():
        raise AuditError(f"内容目录 {content} 不存在：用 --content 指定内容目录（含 {DATA_DIR}/ 的那个目录）")
    if not (content / DATA_DIR).is_dir():
        raise AuditError(f"{content} 不是内容目录：其中没有 {DATA_DIR}/（词表和审核人名册）。"
                         f"用 --content 指定内容目录，例如 --content content")
    source = GitSource.find(content)
    if source is None:
        raise AuditError(f"内容目录 {content} 不在 Git 仓库中，没有发布历史可查：用 --content 指定 Git 仓库中的内容目录"
                         "（例如项目的 content/），或先把内容提交到 Git 仓库（git init、git add、git commit）")
    try:
        source.check_complete()
    except ShallowCloneError as exc:
        raise AuditError(str(exc)) from None
    return source


def describe(event: Event) -> str:
    v = event.version
    when = f"{event.effective:%Y-%m-%d %H:%M}" if v.when else "（未提交）"
    if v.when and event.effective != v.when:
        when += f"（定时发布，提交于 {v.when:%Y-%m-%d %H:%M}）"
    label = ("【不合规】" if event.irregular else "") + event.label
    number = f"第{event.number}版" if event.number else "—"
    commit = f"提交 {v.commit.short}（{v.commit.author}{'，合并' if v.commit.is_merge else ''}）" if v.commit else "未提交"
    final = f"终审 {v.final_by}" if v.final_by else "无终审"
    if event.kind == "unapproved" and v.final_by and not v.refused:
        final = f"终审无效（记录的终审人 {v.final_by} 没有批准这一版的文本）"
    key = f"{v.key}（现为 {event.key}）" if v.key and v.key != event.key else event.key  # a key changed or swapped since
    return f"{when}  {label}  {number}  {key}  {v.title}  {commit}  {final}  {event.note}"


# ---- the commands ------------------------------------------------------------------------------


def cmd_log(args, content: Path) -> int:
    since = when_arg(args.since, False, "--since") if args.since is not None else None
    until = when_arg(args.until, True, "--until") if args.until is not None else None
    if since and until and since > until:
        raise AuditError(f"--since {args.since} 晚于 --until {args.until}：请交换两者")
    history = load_history(content, args.cache, uncommitted=True)
    for note in history.notes:
        print(note, file=sys.stderr)
    path = _content_path(args.path, content, history.prefix) if args.path else ""
    events = history.events(since, until, path, now=beijing_now())
    if args.json:
        print(json.dumps([e.as_dict() for e in events], ensure_ascii=False, indent=1))
        return 0
    for event in events:
        print(describe(event))
    irregular = sum(e.irregular for e in events)
    print(f"共 {len(events)} 条发布记录" + (f"，其中不合规 {irregular} 条" if irregular else ""))
    return 0


def _content_path(path: str, content: Path, prefix: str) -> str:
    """A path as given (absolute, from the repository root or from the content directory) relative to content/."""
    given = Path(path)
    if given.is_absolute():
        try:
            return given.resolve().relative_to(content.resolve()).as_posix()
        except ValueError:
            raise AuditError(f"{path} 不在内容目录 {content} 中：--path 写内容目录中的文件或目录，例如 --path policy/") from None
    text = given.as_posix()
    if prefix and (text == prefix or text.startswith(prefix + "/")):
        text = text[len(prefix):].lstrip("/")
    return text


def state_at(source: GitSource, text: str, end_of_day: bool, name: str) -> tuple[str, str, dt.datetime]:
    """(commit or the empty tree, how to call it, the time it stands for) for a commit, tag or date (the
    argument ``name``). The time of a date is its start (FROM) or its end (TO, ``end_of_day``); of a commit,
    its commit time."""
    commit = source.resolve(text)
    if commit is None:
        try:
            when = when_arg(text, end_of_day, name)
        except AuditError as exc:
            if _DATE_LIKE.match(text):  # meant as a date: say what is wrong with it
                raise AuditError(f"{exc}（{name} 也可以是提交号或标签）") from None
            raise AuditError(f"{name} “{text}”既不是提交、标签，也不是日期（YYYY-MM-DD）") from None
        commit = source.commit_at(when if end_of_day else when - dt.timedelta(seconds=1))
        if commit is None:
            return EMPTY_TREE, f"{text}（当时还没有任何提交）", when
        return commit, f"{text}（提交 {commit[:8]}）", when
    when = _commit_time(source, commit)
    return commit, f"{text}（提交 {commit[:8]}）" if not commit.startswith(text) else f"提交 {commit[:8]}", when


_DATE_LIKE = re.compile(r"\d{4}[-年/]")


def cmd_diff(args, content: Path) -> int:
    source = args.source
    old, old_name, since = state_at(source, args.frm, False, "FROM")
    new, new_name, until = state_at(source, args.to, True, "TO")
    if since > until or (old != new and (new == EMPTY_TREE or (old != EMPTY_TREE and source.is_ancestor(new, old)))):
        raise AuditError(f"FROM {args.frm} 晚于 TO {args.to}：先写较早的时间点，例如 audit diff {args.to} {args.frm}")
    if source.resolve(args.frm):  # the range starts after a FROM commit: its changes are in the FROM state
        since += dt.timedelta(seconds=1)
    changes = source.diff(old, new)
    files = {c.path for c in changes if c.status != "D" and not is_document(c.path)}  # attachments written
    swapped = {path: "被删除" if c.status == "D" or path != c.path else "被替换" for c in changes
               for path in (c.old_path or c.path,) if c.status in "MDR" and path.startswith(ATTACHMENTS_DIR + "/")}
    changes = [c for c in changes if is_document(c.path) or (c.old_path and is_document(c.old_path))]
    print(f"从 {old_name} 到 {new_name}：")
    found, listed = 0, {}  # the keys listed -> the kinds of event listed for them
    with source.blobs() as reader:
        for change in _moves(changes, reader):
            old_data = reader.get(change.blob if change.status == "D" else change.old_blob) \
                if change.status in "MRD" else None  # a Change("D") names the deleted blob in ``blob``
            new_data = reader.get(change.blob) if change.status != "D" else None
            events = _classify(change.old_path or change.path, old_data, change.path, new_data, files.__contains__)
            if not events:
                continue
            found += 1
            where = change.path if change.status != "R" else f"{change.old_path} → {change.path}"
            labels = "、".join(("不合规·" if e.irregular else "") + e.label for e in events)
            event = events[-1]
            listed.setdefault(event.key, set()).update(e.kind for e in events)
            print(f"\n[{labels}] {event.key}  {event.version.title}  ({where})")
            for note in dict.fromkeys(e.note for e in events if e.note):
                print(f"  {note}")
            public_from = event.version.published_at
            if event.number and public_from and public_from > until:  # 定时发布 (a first publication or an update), after TO
                print(f"  定时发布：{public_from:%Y-%m-%d %H:%M} 起公开，到 TO 时还没有公开")
            if old_data is not None and new_data is not None:
                print("\n".join(_diff_lines(change.path, old_data, new_data)))
    found += _swapped_attachments_of(source, new, swapped, listed)
    # scheduled publications committed before FROM that became public in between: not a change of the tree
    history = load_history(content, args.cache, uncommitted=False)
    events = history.events(since, until)
    for event in events:
        if event.number and event.key not in listed and event.version.when < since <= event.effective:
            found += 1
            listed[event.key] = {event.kind}
            print(f"\n[{event.label}] {event.key}  {event.version.title}  ({event.version.path})")
            print(f"  定时发布：提交于 {event.version.when:%Y-%m-%d %H:%M}，{event.effective:%Y-%m-%d %H:%M} 起公开")
    found += _hidden_events(history, events, listed)
    print(f"\n共 {found} 个文件有发布变化" if found else "\n这段时间没有发布变化")
    return 0


def _hidden_events(history: History, events: list[Event], listed: dict[str, set[str]]) -> int:
    """Print, by document, the events of the range that the comparison of its two states does not show
    (``listed``: the kinds of event it showed by key), e.g. a withdrawal undone or a published file deleted
    and added again. Returns how many documents only these show."""
    hidden: dict[str, list[Event]] = {}
    keys: dict[str, set[str]] = {}  # every key a document had: the comparison names it by its key at TO
    for event in events:
        if event.key not in keys:
            keys[event.key] = {event.key, *(v.key for v in history.of(event.key).versions)}
        if event.kind not in set().union(*(listed.get(k, ()) for k in keys[event.key])):
            hidden.setdefault(event.key, []).append(event)
    if hidden:
        print("\n这段时间里还有以下发布事件（两个时间点的比较中看不出，例如撤回后又恢复、中间的更新）：")
    for key, found in hidden.items():
        labels = "、".join(dict.fromkeys(("不合规·" if e.irregular else "") + e.label for e in found))
        print(f"\n[{labels}] {key}  {found[-1].version.title}  ({found[-1].version.path})")
        for event in found:
            print(f"  {_event_line(event)}")
    return sum(not keys[key] & listed.keys() for key in hidden)


def _event_line(event: Event) -> str:
    """One event of a document in a line: when, what, the public version it made, the commit, the note."""
    v = event.version
    label = ("【不合规】" if event.irregular else "") + event.label
    number = f"第{event.number}版" if event.number else "—"
    return f"{event.effective:%Y-%m-%d %H:%M}  {label}  {number}  提交 {v.commit.short}（{v.commit.author}）  " \
           f"{event.note}".rstrip()


def _moves(changes: list[Change], reader) -> list[Change]:
    """``changes`` with a document deleted and one with the same key added taken as one document moved (a
    rename), as the ledger takes them (``_merge_moves``): Git sees no rename when the text changed too much."""
    if not any(c.status == "D" and is_document(c.path) for c in changes):
        return changes  # nothing deleted: no added file to read
    added: dict[str, Change] = {}
    for change in changes:
        if change.status == "A" and is_document(change.path):
            added.setdefault(_key_in(change.path, reader.get(change.blob)), change)
    moved: dict[str, Change] = {}  # the added path -> the rename
    for change in changes:
        if change.status == "D" and is_document(change.path):
            into = added.pop(_key_in(change.path, reader.get(change.blob)), None)
            if into is not None:
                moved[into.path] = Change("R", into.path, into.blob, change.path, change.blob)
    gone = {m.old_path for m in moved.values()}
    return [moved.get(c.path, c) if c.status == "A" else c for c in changes
            if not (c.status == "D" and c.path in gone)]


def _key_in(path: str, data: bytes) -> str:
    """The key of a document version ("" when it cannot be read: never taken for a move)."""
    front = read(path, data)
    return "" if front.problem else key_of(front, path) or ""


def _swapped_attachments_of(source: GitSource, commit: str, swapped: dict[str, str],
                            listed: dict[str, set[str]]) -> int:
    """Print the public documents (not listed already) whose attachment file was replaced or deleted without
    the document changing: the public sees another file, or none, under the approved text. Returns how many."""
    if not swapped or commit == EMPTY_TREE:
        return 0
    count = 0
    for path, doc in _public_holding(source, commit, swapped, source.tree_files(commit, DATA_DIR)):
        files = [file for file in swapped if file in {a.file for a in doc.attachments}]
        if doc.key in listed or not files:
            continue
        count += 1
        listed.setdefault(doc.key, set())
        print(f"\n[附件文件改动] {doc.key}  {doc.title}  ({path})")
        for file in files:
            print(f"  附件 {file} {swapped[file]}，文件本身没有改动，终审没有确认新的附件（终审记录了 sha256 的，发布关口会拒绝）")
    return count


def _classify(old_path: str, old_data: bytes | None, new_path: str, new_data: bytes | None,
              replaced: Callable[[str], bool] | None = None) -> list[Event]:
    """The publication events from one state of a file to another (none: no public change; two when an
    irregularity came with a change, e.g. a changed 索引号 with a changed text). ``replaced(path)``:
    whether an attachment file was written in between."""
    old_front = read(old_path, old_data) if old_data is not None else None
    versions = []
    if old_front is not None:
        versions.append(fill(Version(1, None, old_path), old_front, None))
    if new_data is not None:
        versions.append(fill(Version(2, None, new_path), read(new_path, new_data), old_front, replaced=replaced))
    else:
        last = versions[-1]
        versions.append(Version(2, None, old_path, key=last.key, title=last.title, status=DELETED))
    return [e for e in events_of(versions[-1].key or versions[0].key, versions) if e.version is versions[-1]]


def _diff_lines(path: str, old: bytes, new: bytes) -> list[str]:
    a, _ = parse_file(path, old)
    b, _ = parse_file(path, new)
    if a is None or b is None:
        return ["  （有一个版本无法读取，不能比较）"]
    return as_text(meta_changes(a.meta, b.meta), text_diff(a.body, b.body))


def cmd_show(args, content: Path) -> int:
    source = args.source
    commit = source.resolve(args.at)
    try:
        at = _commit_time(source, commit) if commit else when_arg(args.at, True, "--at")
    except AuditError as exc:
        raise AuditError(f"{exc}（--at 也可以是提交号或标签）") from None
    history = load_history(content, args.cache, uncommitted=False)
    doc, key = history.find_at(args.key, at)
    if doc is None:
        raise AuditError(f"发布历史中没有索引号（或网址标识）为“{args.key}”的文件：{_near_keys(history, args.key)}")
    version = doc.at(at)
    then = version.key if version is not None else ""
    typed = args.key
    for written in (then, key):  # typed in other case: named as written in the file
        if written.casefold() == args.key.casefold():
            args.key = written
            break
    # no file had the key then: every time a document had it (find_at gave the one it had now or before)
    spans = history.holders(typed) if version is None or (then and then != args.key) else []
    if len({id(had) for _, _, had, _ in spans}) > 1:  # several did: none of them is the one asked for
        print(_holders_then(args.key, at, args.at, spans), file=sys.stderr)
        return 1
    if key != args.key:
        holder, its_key = history.find(args.key)
        other = f"（现在用 {args.key} 的是另一个文件：{holder.versions[-1].title}）" \
            if holder not in (None, doc) and its_key == args.key else ""
        where = f"；这个文件已被删除，删除前的索引号是 {key}" if doc.deleted else f"，现在是 {key}"
        print(f"{args.key} 是这个文件从前的索引号（或网址标识）{where}{other}", file=sys.stderr)
    if then and then != args.key:
        whose = "现在" if key == args.key else "后来" if spans and all(s[0].when > at for s in spans) else "从前"
        held = "、".join(_tenure(since, until) for since, until, _, _ in spans)
        print(f"{args.key}：{at:%Y-%m-%d %H:%M} 时没有文件用这个索引号（或网址标识）；以下是{whose}用它的文件当时的版本，"
              f"当时它的索引号是 {then}" + (f"；这个文件 {held}用 {args.key}" if held else ""), file=sys.stderr)
    if version is None:
        first = doc.versions[0].when
        print(f"{args.key}：{at:%Y-%m-%d %H:%M} 时还没有这个文件（第一个版本提交于 {first:%Y-%m-%d %H:%M}）", file=sys.stderr)
        return 1
    said = f"{args.key}：{at:%Y-%m-%d %H:%M} 时的版本，提交 {version.commit.short}（{version.commit.when:%Y-%m-%d %H:%M}，" \
           f"{version.commit.author}），文件 {version.path}"
    if version.status == DELETED:
        print(f"{said}：文件已被删除（不合规）", file=sys.stderr)
        return 1
    if version.problem or (version.status in PUBLIC and not version.approved):
        seen = doc.seen(version)
        said += f"；这一版无法读取（{version.problem}），构建时被拒绝，网站上没有公开" if version.problem else \
            f"；发布关口拒绝了这一版（{version.refused}），网站上没有公开" if version.refused else \
            "；这一版没有有效的终审，发布关口拒绝了它，网站上没有公开"
        if seen is None:
            print(f"{said}；当时网站上没有这个文件", file=sys.stderr)
            return 1
        said += f"。以下是公众当时看到的版本：提交 {seen.commit.short}（{seen.commit.when:%Y-%m-%d %H:%M}，{seen.commit.author}）"
        if seen.key and seen.key != args.key and seen.key != then:  # (a key said above is not said again)
            said += f"，当时它的索引号（或网址标识）是 {seen.key}"
        version = seen
    number = next((e.number for e in reversed(doc.events) if e.number and e.version.seq <= version.seq), 0)
    public_from = version.published_at
    if version.status not in PUBLIC:
        state = "草稿，未公开"
    elif public_from and public_from > at:
        state = f"尚未公开（定时发布：{public_from:%Y-%m-%d %H:%M}）"
    else:
        state = ("已撤回（公众看到撤回说明）" if version.status == "withdrawn" else "已发布") + \
                (f"，公开的第{number}版" if number else "")
    with source.blobs() as reader:
        data = reader.get(version.blob)
    print(f"{said}；{state}；终审 {version.final_by or '无'}", file=sys.stderr)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0 if version.status in PUBLIC and not (public_from and public_from > at) else 1


def _tenure(since: Version, until: Version | None) -> str:
    """When a document had a key: from its version ``since`` until the version ``until`` that gave it up."""
    return f"{since.when:%Y-%m-%d %H:%M} 至 {until.when:%Y-%m-%d %H:%M} " if until is not None \
        else f"{since.when:%Y-%m-%d %H:%M} 起"


def _holders_then(key: str, at: dt.datetime, at_arg: str, spans: list) -> str:
    """What ``show`` says when no file had ``key`` at ``at`` but several documents had it at other times
    (``spans``: :meth:`History.holders`): which had it before and after, until and from when, and the
    command that shows each (``at_arg``: --at as given)."""
    lines = [f"{key}：{at:%Y-%m-%d %H:%M} 时没有文件用这个索引号（或网址标识），不显示任何文件。先后用过它的文件："]
    for since, until, doc, now in spans:
        said = f"“{since.title}”{since.when:%Y-%m-%d %H:%M} 起用它"
        if until is not None:
            said += f"，{until.when:%Y-%m-%d %H:%M} " + ("文件被删除" if until.status == DELETED else f"改为 {until.key}")
        if doc.deleted and until is not doc.versions[-1]:
            said += f"；这个文件后来被删除，删除前的索引号是 {now}"
        elif not doc.deleted and now != key:
            said += "（这个文件现在的索引号）" if until is not None and until.key == now else f"；这个文件现在的索引号是 {now}"
        first = _at_text(since.when)
        if until is not None and until.when <= at and now != key:
            lines.append(f"  此前：{said}。查看它 {at:%Y-%m-%d %H:%M} 时的版本："
                         f"scripts/audit show {shlex.quote(now)} --at {shlex.quote(at_arg)}")
        else:
            lines.append(f"  {'此后' if since.when > at else '此前'}：{said}。查看它用这个索引号时的版本："
                         f"scripts/audit show {shlex.quote(key)} --at {shlex.quote(first)}")
    return "\n".join(lines)


def _at_text(when: dt.datetime) -> str:
    """A time as --at takes it (seconds only when it has them: a commit at 09:00:30 is not yet there at 09:00)."""
    return f"{when:%Y-%m-%d %H:%M}" + (f":{when:%S}" if when.second else "")


def _near_keys(history: History, key: str) -> str:
    """Where to look for a key not found: the keys (now or before) most like it, and ``audit log``."""
    keys = {k.casefold(): k for doc in history.docs.values() for k in (doc.key, *(v.key for v in doc.versions)) if k}
    near = [keys[k] for k in difflib.get_close_matches(key.casefold(), keys, n=3, cutoff=0.8)]
    if near:
        return f"相近的有 {'、'.join(near)}；各文件的索引号见 audit log"
    return "各文件的索引号（没有索引号的是网址标识）见 audit log"


def _commit_time(source: GitSource, commit: str) -> dt.datetime:
    return beijing(int(source.git("show", "-s", "--format=%ct", commit).strip()))


def cmd_verify(args, content: Path) -> int:
    source = args.source
    since = None
    if args.since:
        since = source.resolve(args.since)
        if since is None:
            raise AuditError(f"--since “{args.since}”不是提交或标签：写主线上的提交号（git log --first-parent 列出）"
                             "或标签，例如 --since HEAD~10")
    walked = source.walk(source.first_parent_line(since)) if source.head() else []
    at_since = source.tree_files(since, "") if since else {}
    data = {p: b for p, b in at_since.items() if p.startswith(DATA_DIR + "/")}  # the vocabularies as the walk goes
    files = AttachedFiles({p: b for p, b in at_since.items() if AttachedFiles.holds(p)})
    versions = []  # (commit number, path, blob, the vocabularies' files then) of every document version
    for number, (_, changes) in enumerate(walked):
        _follow_data(data, changes)
        files.follow(number, changes)
        vocab_files = tuple(sorted(data.items()))
        versions += [(number, c.path, c.blob, vocab_files) for c in changes if c.status != "D" and is_document(c.path)]
    before = _public_at(source, since, files.changed(), data) if since else []
    with source.blobs() as reader, tempfile.TemporaryDirectory() as tmp:
        states = {v[3] for v in versions}  # the data files of each commit
        vocabs = {f: _vocab(f, reader, Path(tmp) / str(i)) for i, f in enumerate(states)}
        matchers = {f: Matcher(wordlist_entries((p, reader.get(b)) for p, b in f if is_wordlist(p))[0])
                    for f in states}  # the word lists of each commit (错敏词)
    whens = [commit.when for commit, _ in walked]
    workers = min(os.cpu_count() or 1, 4) if len(versions) >= PARALLEL_VERIFY_MIN else 1

    def run(share: list) -> list[tuple[int, str, str, list[str] | None, tuple]]:
        """(commit number, path, key, the gate's problems or None when not public, the attachments as
        (file, recorded sha256)) of each version of the share."""
        gate, out = Gate(), []
        with source.blobs() as reader, CommittedFiles({}, source.blobs) as hashes:
            for (number, path, _, vocab_files), (_, blob) in zip(share, reader.read([v[2] for v in share])):
                parsed, _ = parse_file(path, blob)
                if parsed is None:
                    out.append((number, path, "", None, ()))  # the build refused it: nothing was published
                    continue
                doc, _ = build_document(parsed, vocabs[vocab_files])
                if doc.status not in GATED:
                    out.append((number, path, doc.key, None, ()))
                    continue
                lines = []
                for att in doc.attachments:
                    att.file_sha256 = hashes.sha256(files.at(att.file, number))
                    if not att.file_sha256:
                        lines.append(f"  {path}（{doc.key}）：attachments：附件“{att.file}”不存在")
                wording, _ = check_document(doc, matchers[vocab_files])
                lines += [f"  {path}（{doc.key}）：{i.field}：{i.message}"
                          for i in gate.check(doc, vocabs[vocab_files], whens[number]) + [w for w in wording if w.is_error]]
                out.append((number, path, doc.key, lines, tuple((a.file, a.sha256) for a in doc.attachments)))
        return out

    size = max(1, -(-len(versions) // workers))  # each worker a run of consecutive commits
    replayed = sorted((r for part in fork_shares(run, [versions[i:i + size] for i in range(0, len(versions), size)])
                       for r in part), key=lambda r: r[0])
    checked = [(number, lines) for number, _, _, lines, _ in replayed if lines is not None]
    with CommittedFiles({}, source.blobs) as hashes:
        swapped = _swapped_attachments(walked, before + replayed, files, hashes)
    irregular = _irregular_by_commit(content, args.cache, {c.sha: n for n, (c, _) in enumerate(walked)})
    gate_commits = len({number for number, lines in checked if lines})
    bad_commits = 0
    for number, problems in itertools.groupby(sorted(checked + swapped + irregular, key=lambda r: r[0]),
                                              key=lambda r: r[0]):
        found = [line for _, lines in problems for line in lines]
        if found:
            commit = walked[number][0]
            bad_commits += 1
            print(f"提交 {commit.short} {commit.when:%Y-%m-%d %H:%M} {commit.author}「{commit.subject}」：")
            print("\n".join(found))
    found = [f"{gate_commits} 个提交发布了未通过三审三校的内容"] if gate_commits else []
    if swapped:
        found.append(f"{len({n for n, _ in swapped})} 个提交更换或删除了已发布文件的附件，文件没有重新终审")
    if irregular:
        found.append(f"{len(irregular)} 处不合规的删除、改回草稿或索引号更改（见 audit log）")
    print(f"检查了 {len(walked)} 个提交中的 {len(checked)} 个公开版本：" + ("；".join(found) or "全部通过三审三校"))
    return 1 if bad_commits else 0


class AttachedFiles:
    """The content directory's other files (attachments) as the walk goes: each path's blob from
    commit to commit, looked up by commit number."""

    def __init__(self, start: dict[str, str]):
        self.blobs: dict[str, list[tuple[int, str]]] = {path: [(-1, blob)] for path, blob in start.items()}
        self.by_commit: dict[int, set[str]] = {}

    @staticmethod
    def holds(path: str) -> bool:
        return not is_document(path) and not path.startswith(DATA_DIR + "/")

    def follow(self, number: int, changes) -> None:
        touched = follow_files(self.blobs, number, changes, self.holds)
        if touched:
            self.by_commit[number] = touched

    def at(self, path: str, number: int) -> str:
        """The blob of ``path`` after commit ``number``, "" when there was no such file."""
        return blob_at(self.blobs.get(path, ()), number)

    def changed(self) -> set[str]:
        return set().union(*self.by_commit.values())


def _public_at(source: GitSource, commit: str, files: set[str], data: dict[str, str]) -> list[tuple]:
    """The public documents in ``commit`` that have one of ``files`` as an attachment, as
    :func:`cmd_verify`'s replayed versions before its first commit (number -1)."""
    return [(-1, path, doc.key, [], tuple((a.file, a.sha256) for a in doc.attachments))
            for path, doc in _public_holding(source, commit, files, data)]


def _public_holding(source: GitSource, commit: str, files, data: dict[str, str]) -> list[tuple[str, Document]]:
    """(path, document) of each public document in ``commit`` whose text names one of ``files``, read
    with the vocabularies whose files ``data`` gives (path -> blob)."""
    paths = [p for p in source.files_containing(commit, sorted(files)) if is_document(p)]
    if not paths:
        return []
    with source.blobs() as reader, tempfile.TemporaryDirectory() as tmp:
        vocab = _vocab(tuple(sorted(data.items())), reader, Path(tmp))
        found = []
        for path in paths:
            parsed, _ = parse_file(path, source.blob_at(commit, path) or b"")
            doc = build_document(parsed, vocab)[0] if parsed is not None else None
            if doc is not None and doc.status in GATED:
                found.append((path, doc))
    return found


def _swapped_attachments(walked, replayed: list[tuple], files: AttachedFiles,
                         hashes: CommittedFiles) -> list[tuple[int, list[str]]]:
    """(commit number, its lines) of each commit that replaced or deleted an attachment of a public
    document without a new version of the document (a new version is replayed through the gate)."""
    public: dict[str, tuple[str, tuple]] = {}  # document path -> (key, its attachments), as the walk goes
    by_number: dict[int, list[tuple]] = {}
    for row in replayed:
        if row[0] < 0:
            public[row[1]] = (row[2], row[4])
        else:
            by_number.setdefault(row[0], []).append(row)
    found = []
    for number, (_, changes) in enumerate(walked):
        for change in changes:
            if change.status in "DR" and is_document(change.old_path or change.path):
                public.pop(change.old_path or change.path, None)
        versions = by_number.get(number, [])
        for _, path, key, lines, attachments in versions:
            if lines is None:
                public.pop(path, None)
            else:
                public[path] = (key, attachments)
        swapped = files.by_commit.get(number)
        if not swapped:
            continue
        renewed = {row[1] for row in versions}
        lines = []
        for path, (key, attachments) in public.items():
            for file, recorded in attachments:
                if path in renewed or file not in swapped:
                    continue
                now = hashes.sha256(files.at(file, number))
                if not now:
                    lines.append(f"  {path}（{key}）：attachments：附件“{file}”被删除，已发布的文件没有随之修改和重新终审")
                elif not recorded:
                    lines.append(f"  {path}（{key}）：attachments：附件“{file}”被更换，已发布的文件没有重新终审"
                                 "（终审也没有记录附件的 sha256）")
                elif now != recorded:
                    lines.append(f"  {path}（{key}）：attachments：附件“{file}”在终审之后被更换（终审记录的 sha256 为 "
                                 f"{recorded[:12]}…，换成了 {now[:12]}…），已发布的文件没有重新终审")
        if lines:
            found.append((number, lines))
    return found


def _irregular_by_commit(content: Path, cache: Path | None, numbers: dict[str, int]) -> list[tuple[int, list[str]]]:
    """(commit number, its lines) of each irregular event (a published file deleted or set back to draft,
    a 索引号 changed after publication) in the commits numbered by ``numbers``."""
    if not numbers:
        return []
    found = []
    for event in load_history(content, cache, uncommitted=False).irregular():
        if event.kind == "unapproved":
            continue  # the gate's replay says what is wrong with it
        number = numbers.get(event.version.commit.sha) if event.version.commit else None
        if number is not None:
            found.append((number, [f"  {event.version.path}（{event.key}）：{event.label}：{event.note}"]))
    return found


def _follow_data(data: dict[str, str], changes) -> None:
    """Apply a commit's changes under _data/ to the path -> blob map of the vocabulary files."""
    prefix = DATA_DIR + "/"
    for change in changes:
        if change.status in "DR" and (change.old_path or change.path).startswith(prefix):
            data.pop(change.old_path or change.path, None)
        if change.status != "D" and change.path.startswith(prefix):
            data[change.path] = change.blob


def _vocab(files: tuple[tuple[str, str], ...], reader, root: Path):
    """The vocabularies (reviewer roster included) from the blobs of their files, written out under ``root``."""
    for rel, blob in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(reader.get(blob))
    root.mkdir(parents=True, exist_ok=True)
    return load_vocab(root)[0]


def cmd_verify_site(args, content: Path) -> int:
    site = Path(args.dir)
    if not site.is_dir():
        raise AuditError(f"网站目录 {site} 不存在或不是目录：DIR 写部署的网站副本的根目录（其中有 {MANIFEST}），"
                         "例如 /srv/www/portal")
    manifest_file = Path(args.manifest) if args.manifest else site / MANIFEST
    data = load_manifest(manifest_file, kept=bool(args.manifest))
    check = verify_site(site, data)
    if args.manifest:  # the copy on the server is checked against the one kept at build time
        served = site / MANIFEST
        if not served.is_file():
            check.missing.append("/" + MANIFEST)
        elif (kept := sha256_file(manifest_file)) != (found := sha256_file(served)):
            check.altered.append(("/" + MANIFEST, kept, found))
    for line in check.lines():
        print(line)
    source = f"，源提交 {data.get('source_commit') or '（无）'}，构建于 {data.get('built') or '（未记录）'}"
    if check.ok:
        print(f"{site} 与清单一致：{check.checked} 个文件{source}")
        return 0
    unreadable = f"，无法读取 {len(check.unreadable)} 个" if check.unreadable else ""
    print(f"{site} 与清单不符：新增 {len(check.added)} 个，缺失 {len(check.missing)} 个，被改动 {len(check.altered)} 个"
          f"{unreadable}{source}")
    return 1


def _common(parser: ArgumentParser, default) -> None:
    """The options every sub-command takes, before or after its name (``default``: SUPPRESS after it, so
    that an option given before the name is not overwritten)."""
    parser.add_argument("--content", type=Path, default=default,
                        help="内容目录（默认当前目录下的 content/，没有时用项目的 content/）")
    parser.add_argument("--no-cache", action="store_true", default=default,
                        help="不用构建缓存中的发布历史（.cache/history/），直接从 Git 重新读取全部提交")


def parser() -> ArgumentParser:
    top = ArgumentParser(prog="audit", description="发布历史审计：从 Git 记录查看每个版本、每次改动和审核人。")
    _common(top, None)
    sub = top.add_subparsers(dest="command", required=True, metavar="命令")
    log = sub.add_parser("log", help="发布记录：首次发布、更新、撤回、废止和不合规的删除")
    log.add_argument("--since", metavar="DATE", help="从这一天（或时刻）起：YYYY-MM-DD 或 “YYYY-MM-DD HH:MM”，北京时间")
    log.add_argument("--until", metavar="DATE", help="到这一天（含当天）或这一时刻为止")
    log.add_argument("--path", metavar="P", help="只看这个文件或目录")
    log.add_argument("--json", action="store_true", help="输出 JSON")
    diff = sub.add_parser("diff", help="两个时间点（提交、标签或日期）之间的发布变化和文字差异")
    diff.add_argument("frm", metavar="FROM", help="较早的时间点：提交号、标签或日期（日期从当天开始算）")
    diff.add_argument("to", metavar="TO", help="较晚的时间点：提交号、标签或日期（日期算到当天结束）")
    show = sub.add_parser("show", help="某一时刻发布的文件原文")
    show.add_argument("key", metavar="INDEX_NO", help="索引号（没有索引号的文件用网址标识 slug）")
    show.add_argument("--at", required=True, metavar="DATE", help="日期、时间、提交或标签")
    verify = sub.add_parser("verify", help="对每个改动公开内容的提交重放三审三校检查")
    verify.add_argument("--since", metavar="REV", help="只检查这个提交之后的提交")
    site = sub.add_parser("verify-site", help="按 manifest.json 核对部署的网站副本")
    site.add_argument("dir", metavar="DIR", help="部署的网站副本所在目录")
    site.add_argument("--manifest", metavar="FILE", help="清单文件（默认 DIR/manifest.json）")
    for command in (log, diff, show, verify, site):
        _common(command, argparse.SUPPRESS)
    return top


COMMANDS = {"log": cmd_log, "diff": cmd_diff, "show": cmd_show, "verify": cmd_verify, "verify-site": cmd_verify_site}


def main(argv: list[str] | None = None, default_content: Path | None = None, default_cache: Path | None = None) -> int:
    """``default_cache``: where the ledger is cached by HEAD (the build's cache directory; None: no cache)."""
    args = parser().parse_args(argv)
    args.cache = None if args.no_cache else default_cache
    content = args.content or (Path("content") if Path("content").is_dir() else default_content or Path("content"))
    try:
        # every command but verify-site reads a content directory in a complete Git repository (or says why not)
        args.source = source_of(content) if args.command != "verify-site" else None
        return COMMANDS[args.command](args, content)
    except PortalError as exc:
        print(exc.format_message(), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the output went to `head` and the like
        sys.stdout = open(os.devnull, "w")
        return 0
