"""Run MkDocs on a project: build into a temporary directory and swap it in only on success.

With the kbgen plugin, a build that has a previous site reuses its unchanged pages (see
kbgen.site.cache): MkDocs runs in its dirty mode and renders only the pages that changed; the
staging folder then gets the other outputs as hard links to the previous site's files before the
swap. A rebuild whose outputs are all identical to the site leaves the site as it is.

Before MkDocs walks the docs folder, a symlink that leaves it (or a device, pipe or socket) stops
the build: MkDocs would otherwise follow it and publish what it points to. The staging and retired
folders are held (locked) by the build that made them (kbgen.staging), so the next build removes
those a killed one left and never a running one's.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from kbgen.project import PLUGIN_NAME, find_config, unsafe_content
from kbgen.site.cache import RebuildsStaged, StagedBuild, reuse_outputs, same_site
from kbgen.site.config import DRAFTS_ENV
from kbgen.staging import claim_folder, hold_folder, release_folder, rename_held, unheld_folders

log = logging.getLogger(__name__)

_DIRTY_WARNING = "A 'dirty' build is being performed"
_STAGING = "building"  # .<site>.building-<pid>-<random>: the site being built (the pid only tells a person whose it is)
_RETIRED = "previous"  # .<site>.previous-<pid>: the site being replaced, during the swap


class _KnownDirtyBuild(logging.Filter):
    """Drop MkDocs' warning that a dirty build may be inaccurate: kbgen's rebuild plan makes it exact."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


@contextmanager
def exact_dirty_builds() -> Iterator[None]:
    """While active, MkDocs' dirty builds do not warn (nor fail ``--strict``) about being inaccurate."""
    logger = logging.getLogger("mkdocs.commands.build")
    known = _KnownDirtyBuild()
    logger.addFilter(known)
    try:
        yield
    finally:
        logger.removeFilter(known)


@contextmanager
def drafts_shown(enabled: bool) -> Iterator[None]:
    """Tell the kbgen plugin to include drafts (an environment flag, so ``serve`` rebuilds see it)."""
    previous = os.environ.get(DRAFTS_ENV)
    if enabled:
        os.environ[DRAFTS_ENV] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(DRAFTS_ENV, None)
        else:
            os.environ[DRAFTS_ENV] = previous


def refuse_unsafe_content(docs_dir: Path) -> None:
    """Stop before MkDocs walks ``docs_dir`` if it holds anything ``unsafe_content`` names: the last is raised, the others logged."""
    problems = unsafe_content(docs_dir)
    for problem in problems[:-1]:
        log.error(problem.format())
    if problems:
        raise problems[-1]


def remove_stale_staging(target: Path) -> None:
    """Remove what killed builds left beside ``target``: staging folders, and retired sites, that no running build holds.

    A concurrent build's folders stay. A retired site left where the swap was interrupted is
    put back as ``target`` if there is no site, so a killed swap never loses the last good site.
    """
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?P<kind>{_STAGING}|{_RETIRED})-\d+(?:-.+)?")
    for entry in unheld_folders(target.parent, lambda name: pattern.fullmatch(name) is not None):
        if pattern.fullmatch(entry.name)["kind"] == _RETIRED and not target.exists():
            with suppress(OSError):  # another build restored it first, or made a new site
                entry.rename(target)
                log.warning(f"kbgen: a build was killed while replacing {target}; the previous site is restored")
            continue
        log.info(f"kbgen: removing {entry.name}, left by a build that was killed")
        shutil.rmtree(entry, ignore_errors=True)


def build_site(config_file: Path | None = None, *, site_dir: Path | None = None, drafts: bool = False, strict: bool = False) -> Path:
    """Build the site; the previous ``site_dir`` stays untouched unless the new build succeeds.

    Returns the site directory. MkDocs' own exceptions propagate to the caller.
    """
    config_path = find_config(config_file)
    base = load_config(str(config_path), site_dir=str(site_dir) if site_dir else None)
    refuse_unsafe_content(Path(base.docs_dir))
    target = Path(base.site_dir)
    staging = new_staging_folder(target)
    try:
        with drafts_shown(drafts), exact_dirty_builds():
            config = load_config(str(config_path), site_dir=str(staging), strict=strict or None)
            stage = staged_build(config, target)
            mkdocs_build(config, dirty=stage.reuse)
        if stage.reuse and same_site(staging, target, stage.reused_outputs):
            log.info("kbgen: the site did not change")
        else:
            if stage.reuse:
                reuse_outputs(target, staging, stage.reused_outputs)
            _swap_in(staging, target)
        stage.commit(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        release_folder(staging)
        release_folder(target)  # the staging folder's hold moved with it when it was swapped in
    return target


def new_staging_folder(target: Path) -> Path:
    """A fresh folder beside ``target`` to build its replacement in (the next build removes it if this one is killed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target)
    staging = claim_folder(target.parent, f".{target.name}.{_STAGING}-{os.getpid()}-")
    staging.chmod(0o777 & ~_umask())  # mkdtemp's folder is private; a site is for a web server to read
    return staging


def swap_in(site: Path, target: Path) -> None:
    """Replace ``target`` with the built ``site`` (a folder on the same filesystem), atomically for readers."""
    _swap_in(site, target)


def staged_build(config: MkDocsConfig, previous_site: Path) -> StagedBuild:
    """The plan of a build into a staging folder that replaces ``previous_site``: from the kbgen plugin if it is on, else "render everything"."""
    plugin = config.plugins.get(PLUGIN_NAME)
    if isinstance(plugin, RebuildsStaged):
        return plugin.stage_build(previous_site)
    return StagedBuild(previous_site)


def serve_site(config_file: Path | None = None, *, dev_addr: str | None = None, drafts: bool = False) -> None:
    """Serve the site and rebuild it on every change; with kbgen's rebuild plan, only changed pages are rendered again."""
    config_path = find_config(config_file)
    base = load_config(str(config_path))
    refuse_unsafe_content(Path(base.docs_dir))
    plugin = base.plugins.get(PLUGIN_NAME)
    incremental = isinstance(plugin, RebuildsStaged) and plugin.config.enabled and plugin.config.incremental
    options = {"dev_addr": dev_addr} if dev_addr else {}
    with drafts_shown(drafts), exact_dirty_builds():
        serve(config_file=str(config_path), build_type="dirty" if incremental else None, **options)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging``: two renames on one filesystem, the old tree removed last."""
    retired = None
    if target.exists():
        retired = target.with_name(f".{target.name}.{_RETIRED}-{os.getpid()}")
        shutil.rmtree(retired, ignore_errors=True)
        hold_folder(target)  # held while retired: a build running meanwhile must not take it for a killed one's
        rename_held(target, retired)
    try:
        rename_held(staging, target)
    except OSError:
        if retired is not None:
            rename_held(retired, target)
        raise
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
        release_folder(retired)
