"""Build caches that do not grow for ever: a small SQLite key-value store (rendered HTML, checked
documents), and the pruning of cache files (the history ledger by repository, the render
manifests by output directory).

Every entry remembers the day it was last used; what no build has used for :data:`KEEP_DAYS`
days (a replaced version of a file, a vocabulary changed since, an output directory gone) is
dropped, so a build server rebuilding the portal every day for years keeps a cache the size
of what it builds, not of everything it ever built.
"""
from __future__ import annotations

import os
import pickle
import sqlite3
import time
from pathlib import Path
from typing import Any

KEEP_DAYS = 30  # a cache entry no build has used for this many days is dropped


def today() -> int:
    """Days since 1970-01-01 (UTC): the unit of "last used"."""
    return int(time.time() // 86400)


class Store:
    """Values by key in one SQLite file; ``None`` path means no cache at all.

    Values are pickled unless ``raw`` (then they must be str). Only ever holds data
    derived from content, so deleting the file is always safe. The day each key was last
    read or written is kept in a table of its own (updating it does not rewrite the value);
    :meth:`close` drops the values unused for ``keep_days``.
    """

    def __init__(self, path: Path | None, table: str, raw: bool = False, day: int | None = None,
                 keep_days: int = KEEP_DAYS):
        self.db, self.table, self.raw = None, table, raw
        self.day = today() if day is None else day
        self.keep_days = keep_days
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path))
            kind = "TEXT" if raw else "BLOB"
            with self.db:
                self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value {kind} NOT NULL)")
                # a key without a row here (a cache from before) counts as unused until a build reads it
                self.db.execute(f"CREATE TABLE IF NOT EXISTS {table}_used (key TEXT PRIMARY KEY, day INTEGER NOT NULL) "
                                "WITHOUT ROWID")

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.db is None:
            return found
        stale = []
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self.db.execute(
                f"SELECT v.key, v.value, u.day FROM {self.table} v LEFT JOIN {self.table}_used u USING (key) "
                f"WHERE v.key IN ({','.join('?' * len(chunk))})", chunk)
            for key, value, day in rows:
                found[key] = value if self.raw else pickle.loads(value)
                if day != self.day:
                    stale.append(key)
        if stale:  # once a day at most: a second build on the same day writes nothing here
            self.mark_used(stale)
        return found

    def put_many(self, items: dict[str, Any]) -> None:
        if self.db is None or not items:
            return
        rows = items.items() if self.raw else ((k, pickle.dumps(v, pickle.HIGHEST_PROTOCOL)) for k, v in items.items())
        with self.db:
            self.db.executemany(f"INSERT OR REPLACE INTO {self.table} (key, value) VALUES (?, ?)", rows)
        self.mark_used(list(items))

    def mark_used(self, keys: list[str]) -> None:
        """Mark ``keys`` as used today (kept by :meth:`prune`)."""
        if self.db is None or not keys:
            return
        with self.db:
            self.db.executemany(f"INSERT OR REPLACE INTO {self.table}_used (key, day) VALUES (?, ?)",
                                ((k, self.day) for k in keys))

    def prune(self) -> int:
        """Drop the values unused for ``keep_days``; returns how many. The file is compacted when
        more than half of it is free pages after that."""
        if self.db is None:
            return 0
        oldest = self.day - self.keep_days
        with self.db:
            dropped = self.db.execute(f"DELETE FROM {self.table} WHERE key NOT IN "
                                      f"(SELECT key FROM {self.table}_used WHERE day >= ?)", (oldest,)).rowcount
            self.db.execute(f"DELETE FROM {self.table}_used WHERE day < ?", (oldest,))
        if dropped:
            free, = self.db.execute("PRAGMA freelist_count").fetchone()
            pages, = self.db.execute("PRAGMA page_count").fetchone()
            if free * 2 > pages:
                self.db.execute("VACUUM")
        return dropped

    def close(self) -> None:
        if self.db is not None:
            try:
                self.prune()
            except sqlite3.OperationalError:  # another build holds the file: prune next time
                pass
            self.db.close()
            self.db = None


def touch(path: Path) -> None:
    """Mark a cache file as used today (its modification time), ignoring a file that is gone."""
    try:
        os.utime(path)
    except OSError:
        pass


def prune_files(directory: Path, pattern: str, keep_days: int = KEEP_DAYS) -> int:
    """Delete the files matching ``pattern`` in ``directory`` unused (unmodified, untouched) for
    ``keep_days``; returns how many."""
    limit = time.time() - keep_days * 86400
    dropped = 0
    for path in directory.glob(pattern):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                dropped += 1
        except OSError:
            pass
    return dropped
