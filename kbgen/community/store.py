"""Write imported threads into ``community/<category>/``: idempotent, never half-written, edits respected.

A thread is known by its source URL: re-importing finds the file that holds it (wherever a writer
moved it) and rewrites it in place, or counts it unchanged when the bytes are the same. A file is
rewritten only while it still holds the bytes the importer wrote last (their SHA-256 is kept, by
source URL, in ``.kbgen-imported.json`` beside the category folders, so thread files stay as
writers see them): one a writer edited, or one of unknown origin, is kept and listed in the
report, and so is one marked ``locked: true``. New and changed files are first written to a
staging folder beside them and moved into place only once the whole export has been read, so a
bad export leaves the content tree exactly as it was; the staging folder of an import that was
killed is removed by the next import.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from kbgen.community.categories import CategoryChoice, NewCategory, categories_text_with, check_named, undeclared
from kbgen.community.records import ImportedItem, Skipped
from kbgen.community.threadfile import thread_markdown
from kbgen.frontmatter import FENCE
from kbgen.load import CATEGORIES_FILE, COMMUNITY_DIR
from kbgen.model import Thread
from kbgen.scaffold import slugify

log = logging.getLogger(__name__)

STAGING_PREFIX = ".kbgen-import-"
WRITTEN_FILE = ".kbgen-imported.json"  # source URL → SHA-256 of the thread file as the importer last wrote it
# A staging folder nobody holds (its import was killed) is removed once it is this old: the grace
# covers the instant between creating a folder and locking it.
STALE_STAGING_SECONDS = 60
KEPT_NAMES_SHOWN = 5

try:  # POSIX: a staging folder is locked by its import for as long as the import runs
    import fcntl
except ImportError:  # pragma: no cover - Windows: stale folders are recognized by age alone
    fcntl = None
_STALE_UNLOCKABLE_SECONDS = 24 * 3600
_TOP_LEVEL_KEY = re.compile(r"^(source|locked|title):(.*)$")


@dataclass(frozen=True)
class ImportOptions:
    category: str | None = None  # every thread goes here (a declared category); else mapped, else the forum's own
    category_map: tuple[tuple[str, str], ...] = ()  # (forum tag or category, declared category), first match wins
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
    kept: list[str] = field(default_factory=list)  # files a writer edited since the last import, left as they are
    categories_added: list[NewCategory] = field(default_factory=list)  # appended to categories.yml

    def summary_line(self) -> str:
        """``added N, updated N, unchanged N, skipped N (reasons)``, then the threads kept for their edits."""
        line = f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, skipped {sum(self.skipped.values())}"
        if self.skipped:
            reasons = sorted(self.skipped.items(), key=lambda item: (-item[1], item[0]))
            line += " (" + ", ".join(f"{count} {reason}" for reason, count in reasons) + ")"
        if self.kept:
            kept = sorted(self.kept)
            shown = ", ".join(kept[:KEPT_NAMES_SHOWN]) + (f" and {len(kept) - KEPT_NAMES_SHOWN} more" if len(kept) > KEPT_NAMES_SHOWN else "")
            line += f"; kept {len(kept)} thread{'' if len(kept) == 1 else 's'} edited since the last import: {shown}"
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


def category_choice(options: ImportOptions) -> CategoryChoice:
    return CategoryChoice(options.category, options.category_map)


def import_threads(items: Iterable[ImportedItem], into: Path, options: ImportOptions = ImportOptions()) -> ImportReport:
    """Write ``items`` under ``into`` (a ``community/`` folder); returns what was added, updated, skipped, kept."""
    into = Path(into)
    choice = category_choice(options)
    check_named(into.parent, choice)  # before anything is read or written
    into.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(into)
    existing = index_threads(into)
    written = read_written(into)
    # What the record will say: the previous entries of threads still there, updated as threads are staged.
    recorded = {source: digest for source, digest in written.items() if source in existing}
    report = ImportReport()
    categories_used: dict[str, NewCategory] = {}  # of threads placed by this import
    # Not a context manager: KbgenError is frozen, and contextlib's exit would try to set its traceback.
    staging, handle = claim_staging(into)
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
            _stage(item, into, staging, existing, written, recorded, choice, report, categories_used)
        _stage_record(staging, into, recorded)
        report.categories_added = undeclared(into.parent, categories_used)
        if report.categories_added:
            (staging / CATEGORIES_FILE).write_text(categories_text_with(into.parent, report.categories_added), encoding="utf-8")
        _move_into_place(staging, into)
    finally:
        release_staging(staging, handle)
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
    written: dict[str, str],
    recorded: dict[str, str],
    choice: CategoryChoice,
    report: ImportReport,
    categories_used: dict[str, NewCategory],
) -> None:
    known = existing.get(thread.source) if thread.source else None
    if known is not None and known.locked:
        report.skipped["locked"] += 1
        return
    if known is not None:
        relative = known.path.relative_to(into)
    else:
        placement = choice.place(thread)
        categories_used.setdefault(placement.slug, placement)
        relative = Path(placement.slug) / f"{thread_slug(thread)}.md"
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
    staged.parent.mkdir(parents=True, exist_ok=True)
    if known is not None:
        on_disk = known.path.read_bytes()
        if on_disk == text:
            report.unchanged += 1
            recorded[thread.source] = _digest(text)
            staged.write_bytes(b"")  # marks the thread as seen; nothing to move
            return
        if written.get(thread.source) != _digest(on_disk):
            report.kept.append(relative.as_posix())  # a writer's edit (or a file kbgen has no record of writing)
            log.debug("%s: edited since the last import, left as it is", known.path)
            staged.write_bytes(b"")
            return
    staged.write_bytes(text)
    if thread.source:
        recorded[thread.source] = _digest(text)
    if known is not None:
        report.updated += 1
    else:
        report.added += 1


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_written(into: Path) -> dict[str, str]:
    """Source URL → SHA-256 of the bytes the importer last wrote for it (empty if never recorded or unreadable)."""
    path = into / WRITTEN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        # Without the record every differing thread is kept, never overwritten: losing it costs updates, not edits.
        log.warning("%s cannot be read; threads that differ from the export are kept as they are", path)
        return {}
    threads = data.get("threads") if isinstance(data, dict) else None
    if not isinstance(threads, dict):
        return {}
    return {source: digest for source, digest in threads.items() if isinstance(source, str) and isinstance(digest, str)}


def _stage_record(staging: Path, into: Path, recorded: dict[str, str]) -> None:
    if not recorded and not (into / WRITTEN_FILE).exists():
        return  # nothing imported yet: no record to start
    record = {"about": "kbgen import: SHA-256 of each thread file as last imported, by source URL; do not edit", "threads": dict(sorted(recorded.items()))}
    (staging / WRITTEN_FILE).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _move_into_place(staging: Path, into: Path) -> None:
    # The categories first, so that no thread is ever in an undeclared folder; the record of the
    # threads' bytes last: a kill before it leaves files that match the export, which the next
    # import counts unchanged and records again.
    if (staging / CATEGORIES_FILE).exists():
        os.replace(staging / CATEGORIES_FILE, into.parent / CATEGORIES_FILE)
    for entry in _staged_files(staging):
        if entry.stat().st_size == 0:
            os.unlink(entry.path)  # an unchanged thread's marker; removing it now keeps the final cleanup small
            continue
        target = into / Path(entry.path).relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(entry.path, target)
    if (staging / WRITTEN_FILE).exists():
        os.replace(staging / WRITTEN_FILE, into / WRITTEN_FILE)


def _staged_files(folder: Path) -> Iterator[os.DirEntry[str]]:
    """The staged files, streamed one directory entry at a time (a listing of 100k names would not stay small)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _staged_files(Path(entry.path))
            elif entry.name.endswith(".md"):
                yield entry


def claim_staging(into: Path) -> tuple[Path, int | None]:
    """A fresh staging folder under ``into`` and the descriptor that locks it while the import runs."""
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=into))
    if fcntl is None:
        return staging, None
    handle = os.open(staging, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a file system without locks: the folder is then only ever removed by its own import
        log.debug("cannot lock %s", staging)
    return staging, handle


def release_staging(staging: Path, handle: int | None) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    if handle is not None:
        os.close(handle)  # closing releases the lock


def remove_stale_staging(into: Path) -> list[Path]:
    """Remove the staging folders of imports that were killed; a running import's folder is locked and kept."""
    removed: list[Path] = []
    now = time.time()
    with os.scandir(into) as entries:
        candidates = sorted(entry.path for entry in entries if entry.name.startswith(STAGING_PREFIX) and entry.is_dir(follow_symlinks=False))
    for path in map(Path, candidates):
        try:
            age = now - path.stat().st_mtime
        except OSError:
            continue  # removed meanwhile
        if fcntl is None:
            if age > _STALE_UNLOCKABLE_SECONDS:
                _remove_staging(path, removed)
            continue
        try:
            handle = os.open(path, os.O_RDONLY)
        except OSError:
            continue  # gone already, or not ours to open
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(handle)
            continue  # another import holds it
        try:
            if age > STALE_STAGING_SECONDS:
                _remove_staging(path, removed)
        finally:
            os.close(handle)
    return removed


def _remove_staging(path: Path, removed: list[Path]) -> None:
    shutil.rmtree(path, ignore_errors=True)
    removed.append(path)
    log.info("removed %s, left by an import that did not finish", path)


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
