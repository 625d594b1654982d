"""Work shared out between this process and forked ones, with nothing pickled on the way out.

The forked workers inherit the function and its data (the walk, the vocabularies, an open
repository); only their results are pickled back. Pools made with ``fork`` after the data is
in memory share it copy-on-write.
"""
from __future__ import annotations

import multiprocessing
from typing import Callable, Sequence, TypeVar

S = TypeVar("S")
R = TypeVar("R")
_STATE: tuple | None = None


def fork_shares(run: Callable[[S], R], shares: Sequence[S]) -> list[R]:
    """``[run(share) for share in shares]``: the first share in this process, each other one in a
    forked worker at the same time."""
    global _STATE
    if len(shares) < 2:
        return [run(share) for share in shares]
    _STATE = (run, shares)
    try:
        with multiprocessing.get_context("fork").Pool(len(shares) - 1) as pool:
            others = pool.map_async(_run_share, range(1, len(shares)))
            first = run(shares[0])
            return [first, *others.get()]
    finally:
        _STATE = None


def _run_share(number: int):
    run, shares = _STATE
    return run(shares[number])
