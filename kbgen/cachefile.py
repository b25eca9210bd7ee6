"""Keyed JSON files in the cache folder: a value kept under a name until the key of what it was computed from changes.

Every file also carries the project's version stamps (kbgen.project.VersionStamps): a value
written by other kbgen code, or under another cache schema, is never read back.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from kbgen.content.atomic import atomic_writer
from kbgen.project import version_stamps

log = logging.getLogger(__name__)


def read_cached(cache_dir: Path | None, name: str, key: str) -> object | None:
    """What ``write_cached`` stored under ``name`` for ``key``; None if missing, damaged, for another key or other code."""
    if cache_dir is None:
        return None
    try:
        stored = json.loads((Path(cache_dir) / name).read_text(encoding="utf-8"))
        return stored["value"] if stored.get("key") == key and stored.get("stamp") == version_stamps().key else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def write_cached(cache_dir: Path | None, name: str, key: str, value: object) -> None:
    """Write beside the target then rename: a crash never leaves a half-written file."""
    if cache_dir is None:
        return
    try:
        with atomic_writer(Path(cache_dir) / name) as stream:
            json.dump({"stamp": version_stamps().key, "key": key, "value": value}, stream, ensure_ascii=False)
    except OSError as error:
        log.warning("cannot write the cache file %s in %s (%s)", name, cache_dir, error)
