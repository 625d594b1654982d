"""A small SQLite key-value store for build caches (rendered HTML, checked documents)."""
from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path
from typing import Any


class Store:
    """Values by key in one SQLite file; ``None`` path means no cache at all.

    Values are pickled unless ``raw`` (then they must be str). Only ever holds data
    derived from content, so deleting the file is always safe.
    """

    def __init__(self, path: Path | None, table: str, raw: bool = False):
        self.db, self.table, self.raw = None, table, raw
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path))
            kind = "TEXT" if raw else "BLOB"
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value {kind} NOT NULL)")

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.db is None:
            return found
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self.db.execute(
                f"SELECT key, value FROM {self.table} WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update(rows if self.raw else ((k, pickle.loads(v)) for k, v in rows))
        return found

    def put_many(self, items: dict[str, Any]) -> None:
        if self.db is None or not items:
            return
        rows = items.items() if self.raw else ((k, pickle.dumps(v, pickle.HIGHEST_PROTOCOL)) for k, v in items.items())
        with self.db:
            self.db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)", rows)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
