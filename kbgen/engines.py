"""Which program builds the site: MkDocs with the kbgen plugin (the default), or Zensical on kbgen's staged docs tree.

Zensical has no plugin API (it skips plugins it does not know), so for it kbgen first writes the
whole site as plain pages (kbgen.site.stage), then runs ``zensical build`` on that tree. The build
goes into a staging folder beside the site and replaces it only if it succeeds, as MkDocs builds do
(kbgen.build). ``serve`` stages once, runs ``zensical serve`` on the staged tree and stages again
whenever the content changes, rendering only the pages whose input record changed and writing only
the files that differ; Zensical then rebuilds what changed.
"""

from __future__ import annotations

import filecmp
import importlib.util
import logging
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from kbgen.build import build_site, new_staging_folder, refuse_unsafe_content, serve_site, swap_in
from kbgen.content.atomic import atomic_writer
from kbgen.errors import KbgenError
from kbgen.project import Project, find_config, read_config
from kbgen.site.stage import STAGE_DOCS, StagedPages, StagedSite, stage_site

log = logging.getLogger(__name__)

ENGINES = ("mkdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"
ZENSICAL_INSTALL = "pip install 'kbgen[zensical]'"
DEFAULT_SITE_DIR = "site"  # MkDocs' and Zensical's site_dir default
WATCH_INTERVAL = 1.0  # seconds between two looks at the content while serving


def check_engine(engine: str) -> str:
    """``engine`` if kbgen can build with it here; else a KbgenError that says what to choose or install."""
    if engine not in ENGINES:
        raise KbgenError("--engine", f"unknown engine {engine!r}", hint=f"choose one of: {', '.join(ENGINES)}")
    if engine == "zensical" and importlib.util.find_spec("zensical") is None:
        raise KbgenError("--engine", "Zensical is not installed", hint=f"install it with {ZENSICAL_INSTALL}, or build with --engine mkdocs")
    return engine


def build(config_file: Path | None = None, *, engine: str = DEFAULT_ENGINE, site_dir: Path | None = None, drafts: bool = False, strict: bool = False) -> Path:
    """Build the site with ``engine``; the previous site stays untouched unless the build succeeds. Returns the site folder."""
    if check_engine(engine) == "mkdocs":
        return build_site(config_file, site_dir=site_dir, drafts=drafts, strict=strict)
    return build_zensical(config_file, site_dir=site_dir, drafts=drafts, strict=strict)


def serve(config_file: Path | None = None, *, engine: str = DEFAULT_ENGINE, dev_addr: str | None = None, drafts: bool = False) -> None:
    """Serve the site with ``engine`` and rebuild it when the content changes."""
    if check_engine(engine) == "mkdocs":
        serve_site(config_file, dev_addr=dev_addr, drafts=drafts)
        return
    serve_zensical(config_file, dev_addr=dev_addr, drafts=drafts)


def build_zensical(config_file: Path | None = None, *, site_dir: Path | None = None, drafts: bool = False, strict: bool = False) -> Path:
    """Stage the site, build the staged tree with Zensical and swap the result in."""
    config_path = find_config(config_file)
    project = Project.load(config_path)
    refuse_unsafe_content(project.docs_dir)
    target = Path(site_dir) if site_dir else project.root / str(read_config(config_path).get("site_dir") or DEFAULT_SITE_DIR)
    staging = new_staging_folder(target)
    try:
        staged = stage_site(config_path, staging / "stage", drafts=drafts)
        _run_zensical("build", staged, *(["--strict"] if strict else []))
        swap_in(staged.site_dir, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def serve_zensical(config_file: Path | None = None, *, dev_addr: str | None = None, drafts: bool = False) -> None:
    """Stage the site into a temporary folder, serve it with ``zensical serve``, and stage again on every content change."""
    config_path = find_config(config_file)
    project = Project.load(config_path)
    refuse_unsafe_content(project.docs_dir)
    with tempfile.TemporaryDirectory(prefix="kbgen-serve-") as folder:
        staged_pages = StagedPages()  # each stage renders only the pages whose record changed since the last one
        live = stage_site(config_path, Path(folder) / "stage", drafts=drafts, previous=staged_pages)
        stop = threading.Event()
        watcher = threading.Thread(target=_restage_on_change, args=(config_path, project, live, drafts, staged_pages, stop), daemon=True)
        watcher.start()
        try:
            _run_zensical("serve", live, *(["--dev-addr", dev_addr] if dev_addr else []))
        finally:
            stop.set()
            watcher.join(timeout=5)


def _run_zensical(command: str, staged: StagedSite, *options: str) -> None:
    """``zensical build|serve`` on the staged config, in its own process (its runtime keeps the config it loaded first)."""
    arguments = [sys.executable, "-m", "zensical", command, "--config-file", str(staged.config_file), *options]
    log.info("kbgen: %s", " ".join(arguments[2:]))
    result = subprocess.run(arguments, cwd=staged.root, check=False, stdin=subprocess.DEVNULL)  # noqa: S603 - our own interpreter
    if result.returncode != 0:
        raise KbgenError(str(staged.config_file), f"zensical {command} failed (exit status {result.returncode})", hint="its messages above say why")


def _content_state(docs_dir: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``docs_dir``: what tells that the content changed."""
    state = {}
    for path in docs_dir.rglob("*"):
        if path.is_file():
            stat = path.stat()
            state[path.relative_to(docs_dir).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return state


def _restage_on_change(config_path: Path, project: Project, live: StagedSite, drafts: bool, staged_pages: StagedPages, stop: threading.Event) -> None:
    known = _content_state(project.docs_dir)
    while not stop.wait(WATCH_INTERVAL):
        state = _content_state(project.docs_dir)
        if state == known:
            continue
        known = state
        with tempfile.TemporaryDirectory(prefix="kbgen-restage-") as folder:
            try:
                fresh = stage_site(config_path, Path(folder) / "stage", drafts=drafts, previous=staged_pages)
            except KbgenError as error:  # the writer sees the problem and fixes it; the served site stays as it was
                log.error(error.format())
                continue
            changed = sync_tree(fresh.docs_dir, live.root / STAGE_DOCS)
            log.info("kbgen: %d staged file(s) changed, %d page(s) rendered again", changed, staged_pages.rendered)


def sync_tree(source: Path, target: Path) -> int:
    """Make ``target`` hold what ``source`` holds, writing only files that differ (so a watching engine rebuilds only those)."""
    changed = 0
    wanted = {path.relative_to(source) for path in source.rglob("*") if path.is_file()}
    for relative in sorted(wanted):
        new, old = source / relative, target / relative
        if old.is_file() and filecmp.cmp(new, old, shallow=False):
            continue
        with atomic_writer(old, binary=True) as stream, new.open("rb") as staged:
            shutil.copyfileobj(staged, stream)
        changed += 1
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target)
        if path.is_file() and relative not in wanted:
            path.unlink()
            changed += 1
    return changed
