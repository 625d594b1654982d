"""The build caches stay the size of what is built: entries unused for a month are dropped."""
from __future__ import annotations

import os
import sqlite3
import time

from govportal.store import KEEP_DAYS, Store, prune_files, touch
from tests.test_history_helpers import ledger  # noqa: F401 (a fixture)


def test_entries_unused_for_a_month_are_dropped_and_used_ones_kept(tmp_path):
    path = tmp_path / "cache.sqlite3"
    old = Store(path, "t", raw=True, day=1000)
    old.put_many({"read again": "a", "replaced": "b"})
    old.close()
    later = Store(path, "t", raw=True, day=1000 + KEEP_DAYS)  # a month later: nothing is old enough yet
    assert later.get_many(["read again"]) == {"read again": "a"}
    later.put_many({"new": "c"})
    later.close()
    Store(path, "t", raw=True, day=1001 + KEEP_DAYS).close()  # a build a day later
    assert keys(path) == ["new", "read again"]  # "replaced" was last used 31 days before


def keys(path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return sorted(k for k, in db.execute("SELECT key FROM t"))
    finally:
        db.close()


def test_a_cache_from_before_keeps_what_the_next_build_reads(tmp_path):
    path = tmp_path / "cache.sqlite3"
    db = sqlite3.connect(path)
    with db:
        db.execute("CREATE TABLE t (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.executemany("INSERT INTO t VALUES (?, ?)", [(f"k{i}", "x" * 2000) for i in range(500)])
    db.close()
    size = path.stat().st_size
    store = Store(path, "t", raw=True)
    assert store.get_many(["k1", "k2", "missing"]) == {"k1": "x" * 2000, "k2": "x" * 2000}
    store.close()
    assert keys(path) == ["k1", "k2"]
    assert path.stat().st_size < size / 4  # the space of what was dropped is given back


def test_cache_files_unused_for_a_month_are_deleted(tmp_path):
    month_ago = time.time() - (KEEP_DAYS + 1) * 86400
    for name in ("stale", "fresh"):
        (tmp_path / name).write_text(name)
        os.utime(tmp_path / name, (month_ago, month_ago))
    touch(tmp_path / "fresh")  # read by a build today
    assert prune_files(tmp_path, "*") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["fresh"]


def test_the_history_cache_drops_the_ledgers_of_repositories_gone_for_a_month(ledger, tmp_path):
    from govportal.history import load_history

    gone = tmp_path / "cache" / "history" / "0123456789abcdef.marshal"  # a repository not read for a month
    gone.parent.mkdir(parents=True)
    gone.write_bytes(b"")
    month_ago = time.time() - (KEEP_DAYS + 1) * 86400
    os.utime(gone, (month_ago, month_ago))
    load_history(ledger.content, tmp_path / "cache")
    [kept] = gone.parent.iterdir()
    os.utime(kept, (month_ago, month_ago))
    assert load_history(ledger.content, tmp_path / "cache").stats["cached"]  # read back, and so marked as used
    assert list(gone.parent.iterdir()) == [kept] and kept.stat().st_mtime > month_ago + 86400


def test_a_cache_another_build_is_using_is_pruned_next_time(tmp_path):
    path = tmp_path / "cache.sqlite3"
    old = Store(path, "t", raw=True, day=1000)
    old.put_many({"replaced": "b"})
    old.close()
    busy = Store(path, "t", raw=True, day=1000 + KEEP_DAYS + 1)
    busy.db.execute("PRAGMA busy_timeout = 0")
    other = sqlite3.connect(path, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another build writing
    busy.close()  # no error: the build that used the cache does not fail for want of pruning it
    other.rollback()
    other.close()
    assert keys(path) == ["replaced"]
    Store(path, "t", raw=True, day=1000 + KEEP_DAYS + 1).close()
    assert keys(path) == []
