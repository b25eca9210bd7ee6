"""What a rebuild may reuse: a fingerprint of everything rendered into each page, kept between builds.

A page's fingerprint hashes what its HTML is made of (its source record, title, breadcrumbs,
neighbours, related links, the navigation, the site's configuration, theme and kbgen's own
code). The build state records, per output file, that fingerprint and the file's size and
modification time as written. A later build reuses an output only when its fingerprint is the
same and the file is still the one recorded; every other page is rendered again. MkDocs' dirty
mode then skips the pages whose output is present.

A staged build (``kbgen build``) points MkDocs' dirty test at the previous site's copy of each
reused output (MkDocs finds it up to date and never writes it); if anything changed, the staged
site then gets the reused outputs as hard links to the previous site's files (copies where links
are impossible) before it is swapped in, and if nothing changed the site is left as it is. An
in-place build (``kbgen serve``) removes the outputs it must render again.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import logging
import os
import posixpath
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from kbgen.content import write_text_atomically
from kbgen.project import VersionStamps, tree_signature

log = logging.getLogger(__name__)

# Bump when what a fingerprint covers changes: every page of an older state is rendered again.
STATE_VERSION = 1
STATE_FILE = "build-state.json"
TEXT_FILE = "page-text.json"
# Site-wide settings that are not about the output (the staging folder changes every build).
IGNORED_SETTINGS = frozenset({"site_dir", "watch", "dev_addr", "config_file_path", "plugins", "theme"})


@dataclass(frozen=True)
class OutputRecord:
    """One output file as the build that wrote it left it."""

    fingerprint: str
    size: int
    mtime_ns: int


@dataclass
class BuildState:
    """The outputs of one built site (by path relative to it) and where that site is."""

    site: str
    outputs: dict[str, OutputRecord] = field(default_factory=dict)

    def reusable(self, dest_uri: str, fingerprint: str, site_dir: Path) -> bool:
        """True if ``site_dir`` still holds the output recorded for ``dest_uri`` and it was rendered from ``fingerprint``."""
        record = self.outputs.get(dest_uri)
        if record is None or record.fingerprint != fingerprint:
            return False
        try:
            stat = os.stat(site_dir / dest_uri)
        except OSError:
            return False
        return stat.st_size == record.size and stat.st_mtime_ns == record.mtime_ns


def fingerprint(*parts: object) -> str:
    """A digest of JSON-able ``parts`` (tuples as lists, dictionaries by sorted key)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_stable)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_fingerprint(*parts: object) -> str:
    """A digest of ``parts`` made of strings, numbers, None, lists and tuples (their ``repr`` is stable, and quick to make)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _stable(value: Any) -> Any:
    """A JSON-able stand-in for a configuration value, without object addresses."""
    if isinstance(value, Mapping):
        return {str(key): item for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    if isinstance(value, Path):
        return str(value)
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return type(value).__qualname__


def site_fingerprint(config: Any, stamps: VersionStamps, *, build_date: str = "", extra: object = None) -> str:
    """What every page depends on: MkDocs' settings, plugin settings, theme, templates, the project's version stamps and the build date.

    Template folders outside installed packages are hashed by file name, size and modification
    time; installed packages (mkdocs, mkdocs-material, pymdown-extensions, ...) by version.
    """
    settings = {key: value for key, value in config.items() if key not in IGNORED_SETTINGS}
    plugins = {name: dict(plugin.config) for name, plugin in config.plugins.items()}
    theme = {"name": config.theme.name, "settings": dict(config.theme), "dirs": list(config.theme.dirs)}
    package_dirs = [directory for directory in config.theme.dirs if not _inside_installed_package(directory)]
    files = [tree_signature(Path(directory)) for directory in package_dirs]
    return fingerprint(STATE_VERSION, settings, plugins, theme, stamps.site_packages(), files, stamps.key, build_date, extra)


def _inside_installed_package(directory: str) -> bool:
    """Theme folders of installed packages change only with the package version (already hashed)."""
    return "site-packages" in Path(directory).parts or "dist-packages" in Path(directory).parts


def navigation_signature(nav: Navigation) -> list[Any]:
    """Titles and URLs of every navigation entry: what each page's menu and tabs show."""

    def entry(item: Page | Section | Link) -> Any:
        if isinstance(item, Section):
            return ["section", str(item.title), [entry(child) for child in item.children]]
        if isinstance(item, Link):
            return ["link", str(item.title), item.url]
        return ["page", str(item.title), item.url]

    return [entry(item) for item in nav.items]


def neighbour_signature(page: Page) -> list[Any]:
    """Title and URL of the previous and next page (the footer's links)."""
    return [[str(other.title), other.url] if other is not None else None for other in (page.previous_page, page.next_page)]


@dataclass
class StagedBuild:
    """One build into a staging folder that replaces ``previous_site`` (``kbgen build``): what the builder and the plugin share.

    The builder asks the plugin for one (``RebuildsStaged.stage_build``) before MkDocs runs, runs
    MkDocs dirty if ``reuse``, then puts the ``reused_outputs`` of the previous site into the
    staging folder (or keeps the site if nothing changed) and calls ``commit`` with the site in place.
    The plugin fills ``reused_outputs`` while it plans the rebuild and ``fingerprints`` once the build succeeded.
    """

    previous_site: Path
    reuse: bool = False  # MkDocs must run in its dirty mode: unchanged outputs stay in ``previous_site``
    state_file: Path | None = None  # where the state of the built site is recorded
    reused_outputs: list[str] = field(default_factory=list)  # outputs taken as they are from ``previous_site``
    fingerprints: dict[str, str] | None = None  # what each output was rendered from; None until the build succeeded

    def commit(self, site: Path) -> BuildState | None:
        """Record the outputs ``site`` now holds (after the swap); None (nothing recorded) if the build did not finish."""
        if self.fingerprints is None:
            return None
        state = BuildState(str(self.previous_site), record_outputs(site, self.fingerprints))
        if self.state_file is not None:
            save_state(self.state_file, state)
        return state


@runtime_checkable
class RebuildsStaged(Protocol):
    """A plugin that can reuse the unchanged outputs of the site a staged build replaces (the kbgen plugin)."""

    def stage_build(self, previous_site: Path) -> StagedBuild:
        """Prepare the next build (into a staging folder) to replace ``previous_site``."""
        ...


def load_state(path: Path, site: Path) -> BuildState | None:
    """The state of ``site`` saved at ``path``; None if missing, unreadable, of another version or of another site."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != STATE_VERSION or data.get("site") != str(site):
            return None
        return BuildState(data["site"], {dest: OutputRecord(*record) for dest, record in data["outputs"].items()})
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def save_state(path: Path, state: BuildState) -> None:
    """Write beside the target then rename; a cache that cannot be written only costs the next build time."""
    data = {"version": STATE_VERSION, "site": state.site, "outputs": {dest: [record.fingerprint, record.size, record.mtime_ns] for dest, record in sorted(state.outputs.items())}}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, json.dumps(data, separators=(",", ":")))
    except OSError as error:
        log.warning("kbgen: cannot write the build state %s (%s); the next build renders every page", path, error)


def record_outputs(site_dir: Path, fingerprints: Mapping[str, str]) -> dict[str, OutputRecord]:
    """The state of each fingerprinted output just written under ``site_dir`` (outputs not written are left out)."""
    records = {}
    for dest_uri, page_fingerprint in fingerprints.items():
        try:
            stat = os.stat(site_dir / dest_uri)
        except OSError:
            continue
        records[dest_uri] = OutputRecord(page_fingerprint, stat.st_size, stat.st_mtime_ns)
    return records


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` as ``target``; copy it (modification time kept) where links are impossible."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def reuse_outputs(previous_site: Path, site_dir: Path, dest_uris: Iterable[str]) -> int:
    """Put the previous build's outputs ``dest_uris`` into a staged ``site_dir``; returns how many."""
    count = 0
    folders: set[str] = set()
    for dest_uri in dest_uris:
        folder = posixpath.dirname(dest_uri)
        if folder not in folders:
            (site_dir / folder).mkdir(parents=True, exist_ok=True)
            folders.add(folder)
        link_or_copy(previous_site / dest_uri, site_dir / dest_uri)
        count += 1
    return count


def files_under(root: Path) -> set[str]:
    """Every file below ``root``, as a path relative to it."""
    found = set()
    for directory, _, names in os.walk(root):
        relative = os.path.relpath(directory, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in names)
    return found


def same_site(staging: Path, site: Path, reused: Iterable[str]) -> bool:
    """True if the staged outputs plus the ``reused`` outputs of ``site`` are exactly ``site`` as it is.

    Then a rebuild changed nothing: ``site`` can stay as it is and the staging folder be dropped.
    """
    staged = files_under(staging)
    if files_under(site) != staged | set(reused):
        return False
    return all(filecmp.cmp(staging / relative, site / relative, shallow=False) for relative in sorted(staged))


def discard_outputs(site_dir: Path, dest_uris: Iterable[str]) -> None:
    """Remove outputs an in-place build must render again (MkDocs' dirty mode renders what is missing)."""
    for dest_uri in dest_uris:
        (site_dir / dest_uri).unlink(missing_ok=True)


def unchanged_static_files(files: Files, previous_site: Path) -> list[str]:
    """Copied files (theme assets, images) whose previous copy MkDocs' dirty mode would keep as it is.

    Only files backed by a source file: generated content is written anew by every build.
    """
    unchanged = []
    for file in files:
        if file.is_documentation_page() or not file.inclusion.is_included() or file.abs_src_path is None or file.generated_by is not None:
            continue
        if _same_copy(Path(file.abs_src_path), previous_site / file.dest_uri):
            unchanged.append(file.dest_uri)
    return unchanged


def _same_copy(source: Path, copy: Path) -> bool:
    try:
        source_stat, copy_stat = source.stat(), copy.stat()
    except OSError:
        return False
    return source_stat.st_size == copy_stat.st_size and copy_stat.st_mtime >= source_stat.st_mtime


def source_is_older(file: File, previous_site: Path) -> bool:
    """MkDocs' own dirty test, against the previous output: True if the source did not change after it was written."""
    if file.abs_src_path is None:
        return True
    try:
        return os.path.getmtime(previous_site / file.dest_uri) >= os.path.getmtime(file.abs_src_path)
    except OSError:
        return False


class TextCache:
    """Text derived from each page's record (its contact-page summary, its search paragraphs), by a key
    that includes the record's content hash; saved between builds beside the build state."""

    def __init__(self, stamp: str, entries: dict[str, Any] | None = None) -> None:
        self.stamp = stamp  # the version stamps' key (kbgen.project.VersionStamps): text made by other code is not reused
        self.entries = entries or {}
        self.used: dict[str, Any] = {}
        self.computed = 0

    def begin(self) -> None:
        """Start a build: what it uses is what ``save`` keeps."""
        self.used, self.computed = {}, 0

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        value = self.entries.get(key)
        if value is None:
            value = self.entries[key] = compute()
            self.computed += 1
        self.used[key] = value
        return value

    @classmethod
    def load(cls, path: Path, stamp: str) -> TextCache:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("stamp") == stamp and isinstance(data.get("entries"), dict):
                return cls(stamp, data["entries"])
        except (OSError, ValueError, AttributeError):
            pass
        return cls(stamp)

    def save(self, path: Path) -> None:
        """Keep what this build used (text of deleted or changed pages is dropped); nothing to do if nothing was new."""
        if not self.computed and len(self.used) == len(self.entries):
            self.used = {}
            return
        self.entries, self.used, self.computed = self.used, {}, 0
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(path, json.dumps({"stamp": self.stamp, "entries": self.entries}, ensure_ascii=False, separators=(",", ":")))
        except OSError as error:
            log.warning("kbgen: cannot write %s (%s)", path, error)


class GeneratedPageFile(File):
    """A page kbgen generates in memory. MkDocs' dirty test always renders in-memory files; this one
    is rendered again only when the rebuild plan says so (``rebuild``) or its output is missing."""

    rebuild = True

    def is_modified(self) -> bool:
        return self.rebuild or not os.path.isfile(self.abs_dest_path)
