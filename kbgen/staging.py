"""Staging folders: made and held by one process, removed by the next run if that process was killed.

``kbgen build`` builds a site in a staging folder beside the site, ``kbgen import`` writes threads
to one inside the content folder. The process that makes a folder holds an exclusive ``flock`` on
it for as long as it runs; the kernel drops the lock when the process ends, however it ends. A
later run finds the folders nobody holds (``unheld_folders``) and removes them, while a running
build's or import's folder stays locked and untouched. Unlike a pid written in the name, a lock
cannot be mistaken for a new process that reuses the dead one's pid.

A folder just made is unlocked for an instant, so an unheld folder is only stale once it is
``GRACE_SECONDS`` old (by its modification time); a folder that is renamed is held before the
rename. Where ``flock`` does not exist (Windows), an unheld folder is stale after a day.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows: stale folders are recognized by age alone
    fcntl = None

log = logging.getLogger(__name__)

GRACE_SECONDS = 60  # covers the instant between making a folder and locking it
UNLOCKABLE_STALE_SECONDS = 24 * 3600  # without flock: what "surely abandoned" means
_held: dict[str, int] = {}  # folders this process holds: path -> descriptor carrying the lock


def claim_folder(parent: Path, prefix: str) -> Path:
    """A new folder in ``parent`` named ``prefix`` plus a random part, held by this process until ``release_folder``."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    hold_folder(folder)
    return folder


def hold_folder(folder: Path) -> None:
    """Hold an existing ``folder`` (this process's own) so that no other run takes it for stale; it stays held across renames."""
    if fcntl is None or str(folder) in _held:
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a file system without locks: the folder is then only removed by its own run, or once old
        log.debug("cannot lock %s", folder)
    _held[str(folder)] = handle


def rename_held(folder: Path, target: Path) -> None:
    """Rename a held ``folder``; the lock is on the folder itself, so it goes with it."""
    folder.rename(target)
    handle = _held.pop(str(folder), None)
    if handle is not None:
        _held[str(target)] = handle


def release_folder(folder: Path) -> None:
    """Stop holding ``folder`` (closing the descriptor drops the lock); removing it is the caller's business."""
    handle = _held.pop(str(folder), None)
    if handle is not None:
        os.close(handle)


def unheld_folders(parent: Path, matches: Callable[[str], bool], *, grace: float = GRACE_SECONDS) -> Iterator[Path]:
    """The folders in ``parent`` whose name ``matches`` that no process holds and that are older than ``grace`` seconds.

    Each is locked by this process while the caller deals with it (removes or restores it), so
    two runs cleaning up at once never both take the same folder.
    """
    try:
        with os.scandir(parent) as entries:
            candidates = sorted(entry.path for entry in entries if matches(entry.name) and entry.is_dir(follow_symlinks=False))
    except OSError:
        return
    for path in candidates:
        if path in _held:
            continue  # this process's own
        try:
            age = time.time() - os.stat(path).st_mtime
        except OSError:
            continue  # removed meanwhile
        if fcntl is None:
            if age > max(grace, UNLOCKABLE_STALE_SECONDS):
                yield Path(path)
            continue
        try:
            handle = os.open(path, os.O_RDONLY)
        except OSError:
            continue  # gone already, or not ours to open
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(handle)
            continue  # a running build or import holds it
        try:
            if age > grace:
                yield Path(path)
        finally:
            os.close(handle)
