"""Which files under a docs folder may be read or published: regular files that stay inside it.

A symlink committed under ``content/`` could otherwise publish anything the build can read (its
environment through ``/proc/self/environ``, ``/etc/passwd``, a whole folder tree). The loader,
``kbgen check`` and the build all ask this module, so they agree on what is refused.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from kbgen.errors import KbgenError

_HINT = "content is read only from regular files inside the docs folder: replace the link by a copy of the file, or delete it"


def unsafe_reason(root: Path, path: Path) -> str | None:
    """Why ``path`` (under ``root``) must not be read as content, or None when it is a regular file inside ``root``.

    A symlink is allowed only when it and every link on its way resolve inside ``root``.
    """
    root, path = Path(root), Path(path)
    try:
        relative = path.relative_to(root)
    except ValueError:
        return "is outside the docs folder"
    resolved_root = root.resolve()
    current = root
    for part in relative.parts:
        current = current / part
        reason = _entry_reason(current, resolved_root)
        if reason is not None:
            return reason
    return None


def unsafe_files(root: Path) -> Iterator[KbgenError]:
    """An error for every symlink (file or folder) under ``root`` that leaves it, and for every non-regular file.

    Folders reached through a refused link are not walked, so a link to ``/`` costs nothing.
    """
    root = Path(root)
    resolved_root = root.resolve()
    for directory, folders, files in os.walk(root, followlinks=False):
        base = Path(directory)
        for name in sorted([*folders, *files]):
            path = base / name
            reason = _entry_reason(path, resolved_root)
            if reason is not None:
                yield KbgenError(path.relative_to(root).as_posix(), f"{'folder' if name in folders else 'file'} {reason}", hint=_HINT)
        folders.sort()


def _entry_reason(path: Path, resolved_root: Path) -> str | None:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "cannot be read"
    if stat.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "is a symbolic link to nothing (or to itself)"
        if not target.is_relative_to(resolved_root):
            return f"is a symbolic link that leaves the docs folder (to {target})"
        return None
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return "is not a regular file (a device, pipe or socket)"
    return None
