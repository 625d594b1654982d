"""The output directory is replaced whole, never left half-written."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def swap_in(staging: Path, final: Path, background_cleanup: bool = False) -> None:
    """Put a fully built ``staging`` tree in place of ``final``: two renames, then remove the old tree.

    With ``background_cleanup`` the old tree (already out of the way) is removed by a
    detached ``rm -rf``, so a large site's rebuild does not wait for it.
    """
    staging, final = Path(staging), Path(final)
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.rename(final, old)
    os.rename(staging, final)
    if not old.exists():
        return
    if background_cleanup and shutil.which("rm"):
        subprocess.Popen(["rm", "-rf", str(old)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        shutil.rmtree(old, ignore_errors=True)


def apply_changes(staging: Path, final: Path, removed: list[str], static_dirs: list[str]) -> int:
    """Incremental update of ``final``: move in every file built in ``staging``, delete removed pages.

    Called only after a build succeeded, so a failed build never touches ``final``.
    Each file is replaced atomically (``os.replace``). Files under ``static_dirs`` that
    the build no longer produced (a deleted attachment) are removed too. Returns the
    number of files moved in.
    """
    staging, final = Path(staging), Path(final)
    staged = []
    for dirpath, _dirs, files in os.walk(staging):
        for name in files:
            staged.append((Path(dirpath) / name).relative_to(staging).as_posix())
    present = set(staged)
    for top in static_dirs:
        for dirpath, _dirs, files in os.walk(final / top):
            for name in files:
                path = Path(dirpath) / name
                if path.relative_to(final).as_posix() not in present:
                    path.unlink()
    for rel in staged:
        target = final / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
    for rel in removed:
        target = final / rel
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != final and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    shutil.rmtree(staging, ignore_errors=True)
    return len(staged)
