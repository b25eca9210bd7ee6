"""Write imported threads into ``community/<category>/``: idempotent, never half-written, edits respected.

A thread is known by its source URL: re-importing finds the file that holds it (wherever a writer
moved it) and rewrites it in place, or counts it unchanged when the bytes are the same. A file is
rewritten only while it still holds the bytes the importer wrote last (their SHA-256 is kept, by
source URL, in ``.kbgen-imported.json`` beside the category folders, so thread files stay as
writers see them): one a writer edited, or one of unknown origin, is kept and listed in the
report, and so is one marked ``locked: true``. New and changed files are first written to a
staging folder beside them and moved into place only once the whole export has been read, so a
bad export leaves the content tree exactly as it was; the staging folder of an import that was
killed is removed by the next import (kbgen.staging: a running import holds its folder).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import shutil
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kbgen.community.categories import CategoryChoice, NewCategory, categories_text_with, check_named, undeclared
from kbgen.community.records import ImportedItem, Skipped
from kbgen.community.threadfile import thread_markdown
from kbgen.content import slugify, top_level_keys
from kbgen.load import CATEGORIES_FILE
from kbgen.model import Thread
from kbgen.staging import claim_folder, release_folder, unheld_folders

log = logging.getLogger(__name__)

STAGING_PREFIX = ".kbgen-import-"
WRITTEN_FILE = ".kbgen-imported.json"  # source URL → SHA-256 of the thread file as the importer last wrote it
_RECORD_ABOUT = "kbgen import: SHA-256 of each thread file as last imported, by source URL; do not edit"
_STAGED_RECORD = ".record.sqlite"  # in the staging folder: the record being made, on disk so memory stays flat
_FILES_IN_FLIGHT = 64  # staged files handed to the writer thread and not written yet
KEPT_NAMES_SHOWN = 5


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
    source_id = slugify(thread.source_id, max_words=None, fallback="")
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
    report = ImportReport()
    # Not a context manager: KbgenError is frozen, and contextlib's exit would try to set its traceback.
    staging = claim_staging(into)
    recorded: _Record | None = None
    writer = _BackgroundWriter()
    try:
        # What the record will say: the previous entries of threads still there, updated as threads are staged.
        recorded = _Record(staging / _STAGED_RECORD, {source: digest for source, digest in written.items() if source in existing})
        stage = _Staging(into, staging, existing, written, recorded, choice, report, writer)
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
            stage.thread(item)
        writer.close()  # every staged file written, or the error that stopped it raised
        if not recorded.empty or (into / WRITTEN_FILE).exists():  # nothing imported yet: no record to start
            recorded.write(staging / WRITTEN_FILE)
        report.categories_added = undeclared(into.parent, stage.categories_used)
        if report.categories_added:
            (staging / CATEGORIES_FILE).write_text(categories_text_with(into.parent, report.categories_added), encoding="utf-8")
        _move_into_place(staging, into)
    finally:
        writer.stop()
        if recorded is not None:
            recorded.close()
        release_staging(staging)
    return report


def _filtered_out(thread: Thread, options: ImportOptions) -> str:
    if options.min_score is not None and thread.votes < options.min_score:
        return "below --min-score"
    if not thread.answers and not options.include_unanswered:
        return "unanswered"
    if options.solved_only and not thread.solved:
        return "not solved"
    return ""


class _Staging:
    """Writes each thread of one import to the staging folder, and counts what happened to it."""

    def __init__(
        self,
        into: Path,
        staging: Path,
        existing: Mapping[str, IndexedThread],
        written: Mapping[str, str],
        recorded: _Record,
        choice: CategoryChoice,
        report: ImportReport,
        writer: _BackgroundWriter,
    ) -> None:
        self.into, self.existing, self.written, self.recorded = into, existing, written, recorded
        self.choice, self.report, self.writer = choice, report, writer
        self.categories_used: dict[str, NewCategory] = {}  # of threads placed by this import
        # Paths as text below: pathlib's parsing cost more than writing a thread's file.
        self._into, self._staging = str(into), str(staging)

    def thread(self, thread: Thread) -> None:
        report = self.report
        known = self.existing.get(thread.source) if thread.source else None
        if known is not None and known.locked:
            report.skipped["locked"] += 1
            return
        if known is not None:
            relative = known.path.relative_to(self.into).as_posix()
        else:
            placement = self.choice.place(thread)
            self.categories_used.setdefault(placement.slug, placement)
            relative = f"{placement.slug}/{thread_slug(thread)}.md"
            if os.path.lexists(os.path.join(self._into, relative)):
                report.skipped["file name taken by another thread"] += 1
                log.warning("%s already holds another thread; not importing %s", self.into / relative, thread.source)
                return
        if not self.recorded.claim(relative):
            report.skipped["repeated in the export"] += 1
            return
        text = thread_markdown(thread).encode("utf-8")  # the file holds no placement: the thread as read
        if known is not None:
            on_disk = known.path.read_bytes()
            if on_disk == text:
                report.unchanged += 1
                self.recorded.set(thread.source, _digest(text))
                return
            if self.written.get(thread.source) != _digest(on_disk):
                report.kept.append(relative)  # a writer's edit (or a file kbgen has no record of writing)
                log.debug("%s: edited since the last import, left as it is", known.path)
                return
        self.writer.write(os.path.join(self._staging, relative), text)
        if thread.source:
            self.recorded.set(thread.source, _digest(text))
        if known is not None:
            report.updated += 1
        else:
            report.added += 1



class _BackgroundWriter:
    """Writes staged files on a second thread: creating a file costs the kernel about as much as making its text.

    At most ``_FILES_IN_FLIGHT`` files wait (memory stays flat); the first error stops the writing
    and is raised in the import's thread.
    """

    def __init__(self) -> None:
        self._pending: queue.Queue[tuple[str, bytes] | None] = queue.Queue(maxsize=_FILES_IN_FLIGHT)
        self._error: OSError | None = None
        self._folders: set[str] = set()  # made so far (one per category)
        self._thread = threading.Thread(target=self._run, name="kbgen-import-writer", daemon=True)
        self._thread.start()

    def write(self, path: str, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._pending.put((path, data))

    def _run(self) -> None:
        while (item := self._pending.get()) is not None:
            if self._error is not None:
                continue  # keep taking files so that the import's thread never waits on a full queue
            path, data = item
            try:
                folder = os.path.dirname(path)
                if folder not in self._folders:
                    os.makedirs(folder, exist_ok=True)
                    self._folders.add(folder)
                with open(path, "xb") as stream:
                    stream.write(data)
            except OSError as error:
                self._error = error

    def stop(self) -> None:
        """Write what waits and end the thread (safe to call twice)."""
        if self._thread.is_alive():
            self._pending.put(None)
            self._thread.join()

    def close(self) -> None:
        self.stop()
        if self._error is not None:
            raise self._error


class _Record:
    """What ``.kbgen-imported.json`` will say, and which files this import staged, in a SQLite file (flat memory)."""

    def __init__(self, path: Path, previous: Mapping[str, str]) -> None:
        self.database = sqlite3.connect(path)
        self.database.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE TABLE record (source TEXT PRIMARY KEY, digest TEXT) WITHOUT ROWID;"
            "CREATE TABLE staged (path TEXT PRIMARY KEY) WITHOUT ROWID;"
        )
        self.database.executemany("INSERT INTO record VALUES (?, ?)", previous.items())
        self.empty = not previous

    def claim(self, relative: str) -> bool:
        """False when this import has placed a thread at ``relative`` already (the export repeats it)."""
        return self.database.execute("INSERT OR IGNORE INTO staged VALUES (?)", (relative,)).rowcount == 1

    def set(self, source: str, digest: str) -> None:
        self.database.execute("INSERT OR REPLACE INTO record VALUES (?, ?)", (source, digest))
        self.empty = False

    def write(self, path: Path) -> None:
        """The record as JSON, sorted by source URL (SQLite compares UTF-8 bytes: the order of code points)."""
        rows = self.database.execute("SELECT source, digest FROM record ORDER BY source")
        with path.open("w", encoding="utf-8") as stream:
            stream.write('{\n "about": ' + json.dumps(_RECORD_ABOUT) + ',\n "threads": {')
            separator = "\n"
            for source, digest in rows:
                stream.write(f"{separator}  {json.dumps(source, ensure_ascii=False)}: {json.dumps(digest)}")
                separator = ",\n"
            stream.write("\n }\n}\n" if separator != "\n" else "}\n}\n")

    def close(self) -> None:
        self.database.close()


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


def _move_into_place(staging: Path, into: Path) -> None:
    # The categories first, so that no thread is ever in an undeclared folder; the record of the
    # threads' bytes last: a kill before it leaves files that match the export, which the next
    # import counts unchanged and records again.
    if (staging / CATEGORIES_FILE).exists():
        os.replace(staging / CATEGORIES_FILE, into.parent / CATEGORIES_FILE)
    folders: set[Path] = set()
    for entry in _staged_files(staging):
        target = into / Path(entry.path).relative_to(staging)
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
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


def claim_staging(into: Path) -> Path:
    """A fresh staging folder under ``into``, held by this import while it runs."""
    return claim_folder(into, f"{STAGING_PREFIX}{os.getpid()}-")


def release_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    release_folder(staging)


def remove_stale_staging(into: Path) -> list[Path]:
    """Remove the staging folders of imports that were killed; a running import's folder is held and kept."""
    removed = []
    for path in unheld_folders(into, lambda name: name.startswith(STAGING_PREFIX)):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
        log.info("removed %s, left by an import that did not finish", path)
    return removed


def index_threads(into: Path) -> dict[str, IndexedThread]:
    """Source URL → file, for every thread already under ``into`` (top-level front-matter lines only)."""
    found: dict[str, IndexedThread] = {}
    for path in sorted(into.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(into).parts):
            continue
        keys = top_level_keys(path, ("source", "locked", "title"))
        source = keys.get("source")
        if isinstance(source, str) and source:
            found[source] = IndexedThread(path, str(keys.get("title") or ""), keys.get("locked") is True)
    return found
