"""The output directory is replaced whole, never left half-written."""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def swap_in(staging: Path, final: Path) -> None:
    """Put a fully built ``staging`` tree in place of ``final``: two renames, then clean up."""
    staging, final = Path(staging), Path(final)
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        os.rename(final, old)
    os.rename(staging, final)
    shutil.rmtree(old, ignore_errors=True)
