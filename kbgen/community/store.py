"""Write imported threads into ``community/<category>/``: idempotent, never half-written, edits respected.

A thread is known by its source URL: re-importing finds the file that holds it (wherever a writer
moved it) and rewrites it in place, or counts it unchanged when the bytes are the same. Files a
writer marked ``locked: true`` are left alone. New and changed files are first written to a
staging folder beside them and moved into place only once the whole export has been read, so a
bad export leaves the content tree exactly as it was.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from kbgen.community.records import ImportedItem, Skipped
from kbgen.community.threadfile import thread_markdown
from kbgen.errors import KbgenError
from kbgen.frontmatter import FENCE
from kbgen.load import CATEGORIES_FILE, COMMUNITY_DIR, SLUG_PATTERN, load_categories
from kbgen.model import Thread
from kbgen.scaffold import slugify

log = logging.getLogger(__name__)

DEFAULT_CATEGORY = "general"
STAGING_PREFIX = ".kbgen-import-"
_TOP_LEVEL_KEY = re.compile(r"^(source|locked|title):(.*)$")


@dataclass(frozen=True)
class ImportOptions:
    category: str | None = None  # every thread goes here; else the forum's own category, else 'general'
    min_score: int | None = None  # skip questions with fewer votes
    solved_only: bool = False  # skip threads without an accepted answer
    include_unanswered: bool = False  # import questions nobody answered too
    limit: int | None = None  # stop after this many threads


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def summary_line(self) -> str:
        """``added N, updated N, unchanged N, skipped N (reasons)``."""
        line = f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, skipped {sum(self.skipped.values())}"
        if self.skipped:
            reasons = sorted(self.skipped.items(), key=lambda item: (-item[1], item[0]))
            line += " (" + ", ".join(f"{count} {reason}" for reason, count in reasons) + ")"
        return line


@dataclass(frozen=True)
class IndexedThread:
    """What re-import and promote need to know of a thread file without parsing all of it."""

    path: Path
    title: str
    locked: bool


def thread_slug(thread: Thread) -> str:
    """The file name of an imported thread: its title's first words and its id in the forum."""
    source_id = re.sub(r"[^a-z0-9]+", "-", thread.source_id.lower()).strip("-")
    base = slugify(thread.title)
    return f"{base}-{source_id}" if source_id else base


def thread_category(thread: Thread, options: ImportOptions) -> str:
    if options.category:
        return options.category
    return slugify(thread.category, max_words=4) if thread.category else DEFAULT_CATEGORY


def import_threads(items: Iterable[ImportedItem], into: Path, options: ImportOptions = ImportOptions()) -> ImportReport:
    """Write ``items`` under ``into`` (a ``community/`` folder); returns what was added, updated, skipped."""
    into = Path(into)
    if options.category is not None and not SLUG_PATTERN.fullmatch(options.category):
        raise KbgenError(options.category, f"category '{options.category}' is not a slug", hint="use lower-case words joined by hyphens, e.g. 'billing'")
    into.mkdir(parents=True, exist_ok=True)
    existing = index_threads(into)
    report = ImportReport()
    categories_used: set[str] = set()
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=into))
    try:
        selected = 0
        for item in items:
            if options.limit is not None and selected >= options.limit:
                break
            reason = item.reason if isinstance(item, Skipped) else _filtered_out(item, options)
            if reason:
                report.skipped[reason] += 1
                continue
            selected += 1
            assert isinstance(item, Thread)
            _stage(item, into, staging, existing, options, report, categories_used)
        _move_into_place(staging, into)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report.warnings.extend(_unknown_categories(into, categories_used))
    return report


def _filtered_out(thread: Thread, options: ImportOptions) -> str:
    if options.min_score is not None and thread.votes < options.min_score:
        return "below --min-score"
    if not thread.answers and not options.include_unanswered:
        return "unanswered"
    if options.solved_only and not thread.solved:
        return "not solved"
    return ""


def _stage(
    thread: Thread,
    into: Path,
    staging: Path,
    existing: dict[str, IndexedThread],
    options: ImportOptions,
    report: ImportReport,
    categories_used: set[str],
) -> None:
    known = existing.get(thread.source) if thread.source else None
    if known is not None and known.locked:
        report.skipped["locked"] += 1
        return
    if known is not None:
        relative = known.path.relative_to(into)
    else:
        relative = Path(thread_category(thread, options)) / f"{thread_slug(thread)}.md"
        if (into / relative).exists():
            report.skipped["file name taken by another thread"] += 1
            log.warning("%s already holds another thread; not importing %s", into / relative, thread.source)
            return
    staged = staging / relative
    if staged.exists():
        report.skipped["repeated in the export"] += 1
        return
    category, slug = relative.parent.as_posix(), relative.stem
    placed = replace(thread, category=category, slug=slug, path=f"{COMMUNITY_DIR}/{category}/{slug}.md")
    text = thread_markdown(placed).encode("utf-8")
    categories_used.add(category)
    staged.parent.mkdir(parents=True, exist_ok=True)
    if known is not None and known.path.read_bytes() == text:
        report.unchanged += 1
        staged.write_bytes(b"")  # marks the thread as seen; nothing to move
        return
    staged.write_bytes(text)
    if known is not None:
        report.updated += 1
    else:
        report.added += 1


def _move_into_place(staging: Path, into: Path) -> None:
    for entry in _staged_files(staging):
        if entry.stat().st_size == 0:
            os.unlink(entry.path)  # an unchanged thread's marker; removing it now keeps the final cleanup small
            continue
        target = into / Path(entry.path).relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(entry.path, target)


def _staged_files(folder: Path) -> Iterator[os.DirEntry[str]]:
    """The staged files, streamed one directory entry at a time (a listing of 100k names would not stay small)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _staged_files(Path(entry.path))
            elif entry.name.endswith(".md"):
                yield entry


def index_threads(into: Path) -> dict[str, IndexedThread]:
    """Source URL → file, for every thread already under ``into`` (top-level front-matter lines only)."""
    found: dict[str, IndexedThread] = {}
    for path in sorted(into.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(into).parts):
            continue
        keys = _top_level_keys(path)
        source = keys.get("source")
        if isinstance(source, str) and source:
            found[source] = IndexedThread(path, str(keys.get("title") or ""), keys.get("locked") is True)
    return found


def _top_level_keys(path: Path) -> dict[str, object]:
    """``source``, ``locked`` and ``title`` from a thread's front matter, without parsing its (long) answers."""
    keys: dict[str, object] = {}
    with path.open(encoding="utf-8", errors="replace") as stream:
        if stream.readline().rstrip() != FENCE:
            return keys
        for line in stream:
            if line.rstrip() in (FENCE, "..."):
                break
            match = _TOP_LEVEL_KEY.match(line)
            if match:
                try:
                    keys[match.group(1)] = yaml.safe_load(match.group(2))
                except yaml.YAMLError:
                    continue
    return keys


def _unknown_categories(into: Path, used: set[str]) -> list[str]:
    root = into.parent
    if not (root / CATEGORIES_FILE).is_file():
        return []
    known = load_categories(root, [])
    return [
        f"category '{category}' is not in {root / CATEGORIES_FILE}: add it there, or import with --category"
        for category in sorted(used)
        if category not in known
    ]
