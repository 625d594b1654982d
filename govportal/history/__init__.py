"""Publication history for auditors, read from Git: every version, every change, who approved it.

The Git repository holding ``content/`` is the ledger of what was published. This package
reads it in one pass (:mod:`.gitsource`), follows every document through renames and turns
its versions into publication events (:mod:`.ledger`), caches the result by HEAD
(:mod:`.load`), and serves the site (:mod:`.pages`), the build manifest (:mod:`.manifest`)
and ``scripts/audit`` (:mod:`.audit`). No Pelican here.
"""
from .gitsource import HistoryError, ShallowCloneError
from .ledger import KIND_LABELS, DocHistory, Event, Version
from .load import History, load_history

__all__ = ["DocHistory", "Event", "History", "HistoryError", "KIND_LABELS", "ShallowCloneError", "Version",
           "load_history"]
