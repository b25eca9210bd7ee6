"""The rebuild engine of the kbgen plugin: what one plugin instance keeps between the builds of a process.

``Rebuild`` owns where the previous site is and where this build goes (a ``StagedBuild`` of
``kbgen build``, or MkDocs' dirty mode in place for ``kbgen serve``), each page's input record
and fingerprint (kbgen.site.page_input), which outputs are reused, the build state saved between
builds, and the build date. ``DerivedCaches`` keeps what is derived from content records (their
hashes, their links, their summaries and search text) so that unchanged records cost nothing.
The plugin's event handlers hand these pieces their MkDocs objects and nothing else.
"""

from __future__ import annotations

import calendar
import logging
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files

from kbgen.index import content_hash
from kbgen.load import LoadCache
from kbgen.model import Article, Corpus, Document
from kbgen.site import cache
from kbgen.site.cache import BuildState, GeneratedPageFile, StagedBuild, TextCache
from kbgen.site.page_input import PageInput, input_fingerprint, markdown_links

log = logging.getLogger("mkdocs.plugins.kbgen")

BUILD_DATE_ENV = "SOURCE_DATE_EPOCH"  # MkDocs dates pages, the sitemap and its archive from it (reproducible builds)


class BuildDate:
    """SOURCE_DATE_EPOCH for one build: the user's if set, else the newest date in the content, removed when the build ends."""

    def __init__(self) -> None:
        self.value = ""
        self._set_here = False  # this build set the variable, and removes it when it ends

    def set(self, corpus: Corpus) -> str:
        self.restore()  # a build that failed before any event could restore it
        user_date = os.environ.get(BUILD_DATE_ENV)
        self.value = user_date or str(newest_content_epoch(corpus))
        if user_date is None:
            os.environ[BUILD_DATE_ENV] = self.value
            self._set_here = True
        return self.value

    def restore(self) -> None:
        """Remove the SOURCE_DATE_EPOCH this build set, so the next build in the process dates itself from its own content."""
        if self._set_here:
            if os.environ.get(BUILD_DATE_ENV) == self.value:
                del os.environ[BUILD_DATE_ENV]
            self._set_here = False


def newest_content_epoch(corpus: Corpus) -> int:
    """Build date for reproducible output: the newest date written in content, else 2000-01-01."""
    dates = [article.updated[:10] for article in corpus.articles if article.updated]
    dates += [thread.date[:10] for thread in corpus.threads if thread.date]
    newest = max(dates, default="2000-01-01")
    return calendar.timegm(datetime.strptime(newest, "%Y-%m-%d").timetuple())


class Rebuild:
    """Where this build's site comes from and goes, what each page is rendered from, and what is reused."""

    def __init__(self) -> None:
        self.serving = False  # kbgen serve: the site is a temporary folder, its state lives in memory only
        self.in_place = False  # MkDocs' dirty mode on the site folder itself (serve, mkdocs build --dirty)
        self.next_stage: StagedBuild | None = None  # set by ``stage_build`` for the next build only
        self.stage: StagedBuild | None = None  # this build's, when it is staged (kbgen build)
        self.previous_site: Path | None = None  # the site whose unchanged outputs this build may reuse
        self.final_site: Path | None = None  # where this build's site ends up
        self.states: dict[str, BuildState] = {}  # kept in memory between the builds of one process, by site folder
        self.inputs: dict[str, PageInput] = {}  # each page kbgen makes, by source path: what it is rendered from
        self.fingerprints: dict[str, str] = {}  # by output path: the digest of the page's input record
        self.rendered: list[str] = []  # outputs this build renders (the others are reused)
        self.build_date = BuildDate()

    def stage_build(self, previous_site: Path, *, reuse: bool) -> StagedBuild:
        """The plan of the next build, into a staging folder that replaces ``previous_site``."""
        self.in_place = False
        site = Path(previous_site).resolve()
        self.next_stage = StagedBuild(site, reuse=reuse and site.is_dir())
        return self.next_stage

    def begin(self, site_dir: Path, *, incremental: bool) -> None:
        """Start a build into ``site_dir``: staged if ``stage_build`` was asked for it, else in place."""
        self.inputs, self.fingerprints, self.rendered = {}, {}, []
        self.stage, self.next_stage = self.next_stage, None
        if self.stage is not None:  # kbgen build: staged beside the site it replaces
            self.final_site = self.stage.previous_site
            self.previous_site = self.stage.previous_site if self.stage.reuse else None
        else:
            self.final_site = site_dir
            self.previous_site = site_dir if self.in_place and incremental else None

    def add(self, dest_uri: str, record: PageInput) -> None:
        """Record what the page written to ``dest_uri`` is rendered from; its fingerprint is the record's."""
        self.inputs[record.frame.src_uri] = record
        self.fingerprints[dest_uri] = input_fingerprint(record)

    def plan(self, files: Files, site_dir: Path, state_file: Path) -> None:
        """Reuse the previous output of every page whose fingerprint did not change; mark the others to render."""
        pages = [file for file in files.documentation_pages() if file.page is not None]
        reused: set[str] = set()
        state = self._previous_state(state_file)
        if state is not None and self.previous_site is not None:
            reused = {
                file.dest_uri for file in pages
                if file.dest_uri in self.fingerprints
                and state.reusable(file.dest_uri, self.fingerprints[file.dest_uri], self.previous_site)
                and cache.source_is_older(file, self.previous_site)
            }
        for file in pages:
            if isinstance(file, GeneratedPageFile):
                file.rebuild = file.dest_uri not in reused
        self.rendered = [file.dest_uri for file in pages if file.dest_uri not in reused]
        if self.previous_site is None:
            return
        if self.in_place:
            cache.discard_outputs(site_dir, self.rendered)
        else:
            # MkDocs' dirty test looks at a file's output where it is: for reused files, in the previous site.
            # Only files that test finds up to date are pointed there, so MkDocs never writes to the previous site.
            statics = set(cache.unchanged_static_files(files, self.previous_site))
            for file in files:
                if file.dest_uri in reused or file.dest_uri in statics:
                    file.abs_dest_path = str(self.previous_site / file.dest_uri)
            if self.stage is not None:
                self.stage.reused_outputs = sorted(reused | statics)
        log.info(f"kbgen: {len(reused)} unchanged pages reused, {len(self.rendered)} rendered")

    def finish(self, site_dir: Path, state_file: Path) -> None:
        """The build succeeded: a staged build hands its fingerprints to ``StagedBuild.commit``; an in-place one records them."""
        if self.stage is not None:  # kbgen build records the state once the site is in place
            self.stage.state_file, self.stage.fingerprints = state_file, dict(self.fingerprints)
            self.stage = None
            return
        state = BuildState(str(self.final_site), cache.record_outputs(site_dir, self.fingerprints))
        self.states = {state.site: state}
        if not self.serving:  # a served site is a temporary folder: its state lives only as long as the server
            cache.save_state(state_file, state)

    def _previous_state(self, state_file: Path) -> BuildState | None:
        if self.previous_site is None:
            return None
        key = str(self.previous_site)
        if key not in self.states:
            state = cache.load_state(state_file, self.previous_site)
            if state is None:
                return None
            self.states[key] = state
        return self.states[key]


class DerivedCaches:
    """What is derived from content records and kept between builds: a record loaded unchanged costs nothing again."""

    def __init__(self) -> None:
        self.load_cache: LoadCache | None = None  # parsed content files
        self.text_cache: TextCache | None = None  # summaries and search text, by content hash
        self.text_cache_file: Path | None = None
        self.content_hashes: dict[str, tuple[Document, str, str]] = {}  # path -> (record, category title, hash)
        self.link_targets: dict[str, tuple[Document, list[tuple[str, str]]]] = {}  # path -> (record, [(link, source path)])
        self.live_links: Any = None  # kbgen serve: related links updated page by page (kbgen.link.LiveLinks)
        self.live_links_key: tuple[Any, ...] = ()

    def begin(self, corpus: Corpus, text_cache_file: Path, stamp: str) -> None:
        """Start a build of ``corpus``: hash its records (reusing the hash of each unchanged one), open the text cache."""
        hashes = {}
        for document in corpus.documents():
            category = corpus.categories.get(document.category)
            title = category.title if category else ""
            known = self.content_hashes.get(document.path)
            hashes[document.path] = known if known is not None and known[0] is document and known[1] == title else (document, title, content_hash(document, corpus))
        self.content_hashes = hashes
        if self.text_cache is None or self.text_cache_file != text_cache_file or self.text_cache.stamp != stamp:
            self.text_cache, self.text_cache_file = TextCache.load(text_cache_file, stamp), text_cache_file
        self.text_cache.begin()

    def content_hash(self, document: Document) -> str:
        return self.content_hashes[document.path][2]

    def hashes(self) -> dict[str, str]:
        return {path: known[2] for path, known in self.content_hashes.items()}

    def text(self, kind: str, document: Document, compute: Callable[[], Any]) -> Any:
        """Text of ``kind`` derived from ``document`` (its summary, its search text), computed once per content."""
        assert self.text_cache is not None
        return self.text_cache.get(f"{kind}:{self.content_hash(document)}", compute)

    def save_text(self) -> None:
        if self.text_cache is not None and self.text_cache_file is not None:
            self.text_cache.save(self.text_cache_file)

    def links(self, document: Document) -> Iterable[tuple[str, str]]:
        """An article's Markdown links as (written target, source path it points to); a thread's text is never rewritten."""
        if not isinstance(document, Article):
            return ()
        known = self.link_targets.get(document.path)
        if known is None or known[0] is not document:  # a record loaded unchanged keeps its links
            known = self.link_targets[document.path] = (document, markdown_links(document))
        return known[1]
