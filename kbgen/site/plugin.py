"""The ``kbgen`` MkDocs plugin: turns a Corpus into a help center on top of Material.

It validates content, hides drafts, adds the generated pages (home, categories, tags,
community), replaces the every-page navigation by a bounded one, renders article and thread
pages (community text sanitized), and adds breadcrumbs, related links and JSON-LD.
Event handlers stay thin: loading and checking belong to ``kbgen.check``, the site's shape to
``kbgen.site.structure``, HTML to ``kbgen.site.render``, structured data to ``kbgen.site.jsonld``.
"""

from __future__ import annotations

import calendar
import logging
import os
import posixpath
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from kbgen.check import check_tree, iter_links
from kbgen.index import content_hash
from kbgen.load import CACHE_FILE, CATEGORIES_FILE, COMMUNITY_DIR, FAQ_DIR, LoadCache, read_load_cache, write_load_cache
from kbgen.model import Article, Corpus, Document, Thread
from kbgen.project import Project
from kbgen.site import cache, jsonld
from kbgen.site.cache import BuildState, GeneratedPageFile, StagedBuild, TextCache
from kbgen.site.config import DRAFTS_ENV, KbgenConfig
from kbgen.site.contact import CONTACT_PAGE, ContactTarget, FeedbackTarget, add_contact_files, document_summary
from kbgen.site.navigation import build_navigation, nav_entry_for
from kbgen.site.navigation_cache import NavigationCache
from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.render.documents import article_html, thread_html
from kbgen.site.render.html import Href
from kbgen.site.render.listings import category_html, community_html, home_html, tag_html, tags_index_html
from kbgen.site.render.parts import breadcrumbs_html, related_html
from kbgen.site.sanitize import html_to_text, sanitize_html
from kbgen.site.search_index import SEARCH_INDEX, document_entries, search_text, write_search_index
from kbgen.site.search_page import SEARCH_PAGE, LoopSettings, PageEnding, add_search_page, page_ending
from kbgen.site.structure.help_center import (
    HOME_TITLE,
    HOME_URI,
    Crumb,
    GeneratedPage,
    HelpCenter,
    build_help_center,
    document_date,
)
from kbgen.site.theme import icon_svg, theme_dir

try:  # the related-links stage; without it pages simply have no related section
    from kbgen.link import LiveLinks, compute_links
except ImportError:  # pragma: no cover - exercised only in a checkout without kbgen.link
    compute_links = LiveLinks = None

log = logging.getLogger("mkdocs.plugins.kbgen")

DESCRIPTION_LENGTH = 160
TEMPLATE_CACHE = "templates"  # compiled theme templates, under cache_dir
EMPTY_FRONT_MATTER = "---\n{}\n---\n"
BUILD_DATE_ENV = "SOURCE_DATE_EPOCH"  # MkDocs dates pages, the sitemap and its archive from it (reproducible builds)


@dataclass(frozen=True)
class PageExtras:
    """What the theme's templates add around a page's content (``kbgen`` in the template context)."""

    head: str = ""  # JSON-LD scripts
    before: str = ""  # breadcrumbs
    after: str = ""  # related articles and discussions
    ending: PageEnding | None = None  # "Was this helpful?" and "Still need help?" (theme/partials/kb-page-end.html)


class KbgenPlugin(BasePlugin[KbgenConfig]):
    """Build a help center from ``faq/`` articles and ``community/`` threads.

    Rebuilds render only the pages whose fingerprint changed (kbgen.site.cache): ``kbgen build``
    asks ``stage_build`` for the plan of a build that replaces the previous site (a
    ``StagedBuild``); ``kbgen serve`` and ``mkdocs build --dirty`` rebuild in place.
    """

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.corpus: Corpus | None = None
        self.documents: dict[str, Document] = {}
        self.help_center: HelpCenter | None = None
        self.related: dict[str, Any] = {}
        self.icons: dict[str, str] = {}
        self.files: Files | None = None
        self.urls: dict[str, str] = {}  # source path -> URL of every file (Files' own lookups normalise each path)
        self.generated: dict[str, GeneratedPage] = {}
        self.generated_html: dict[str, str] = {}
        self.plain_pages: list[str] = []
        self.extras: dict[str, PageExtras] = {}
        self.highlighted: Page | None = None
        self.navigation_cache: NavigationCache | None = None
        self.site_url = "/"
        self.feedback_target = FeedbackTarget("off")
        self.loop_settings: LoopSettings | None = None
        self.community_markdown = CommunityMarkdown()
        # Rebuilds: where the previous output is, where this one goes, and what each output was rendered from.
        self.project: Project | None = None
        self.build_date = ""  # SOURCE_DATE_EPOCH of this build: the user's, else the newest date in the content
        self.set_build_date = False  # this build set SOURCE_DATE_EPOCH, and removes it when it ends
        self.in_place = False  # MkDocs' dirty mode on the site folder itself (serve, mkdocs build --dirty)
        self.serving = False
        self.next_stage: StagedBuild | None = None  # set by ``stage_build`` for the next build only
        self.stage: StagedBuild | None = None  # this build's, when it is staged (kbgen build)
        self.previous_site: Path | None = None
        self.final_site: Path | None = None
        self.load_cache: LoadCache | None = None  # parsed content files, kept between builds
        self.live_links: Any = None  # kbgen serve: related links updated page by page (kbgen.link.LiveLinks)
        self.live_links_key: tuple[Any, ...] = ()
        self.text_cache: TextCache | None = None  # summaries and search text, by content hash
        self.text_cache_dir: Path | None = None
        self.content_hashes: dict[str, tuple[Document, str, str]] = {}  # path -> (record, category title, hash)
        self.link_targets: dict[str, tuple[Document, list[tuple[str, str]]]] = {}  # path -> (record, [(link, source path)])
        self.states: dict[str, BuildState] = {}  # kept in memory between the rebuilds of one process, by site folder
        self.fingerprints: dict[str, str] = {}
        self.rendered: list[str] = []  # outputs this build renders (the others are reused)

    @property
    def show_drafts(self) -> bool:
        return self.config.drafts or os.environ.get(DRAFTS_ENV) == "1"

    def stage_build(self, previous_site: Path) -> StagedBuild:
        """The plan of the next build, into a staging folder that replaces ``previous_site`` (kbgen.site.cache.RebuildsStaged).

        It reuses unchanged pages of ``previous_site`` if the plugin is on and incremental and the
        site exists; the build must then run in MkDocs' dirty mode, and the plan be committed once
        the staged site is in place.
        """
        self.in_place = False
        site = Path(previous_site).resolve()
        if not self.config.enabled:
            self.next_stage = None
            return StagedBuild(site)
        self.next_stage = StagedBuild(site, reuse=self.config.incremental and site.is_dir())
        return self.next_stage

    # -- configuration and files -------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance (and its caches) across the rebuilds of ``serve``.
        self.serving = command == "serve"
        self.in_place = dirty

    def on_shutdown(self) -> None:
        self.serving = self.in_place = False
        self._restore_build_date()

    def on_build_error(self, *, error: Exception) -> None:
        self._restore_build_date()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        if self.config.per_page < 1:
            raise PluginError("kbgen: 'per_page' must be at least 1")
        self.project = Project.of_mkdocs(config, self.config.cache_dir, self.config)
        docs_dir = Path(config.docs_dir)
        shown_root = os.path.relpath(docs_dir)
        # The check reports every link out of docs_dir (and device or pipe) as an error, so a build stops here:
        # before MkDocs walks docs_dir, following links and copying what they point to.
        corpus, problems = self._check(docs_dir, config)
        for problem in problems:
            (log.error if problem.is_error else log.warning)(f"{shown_root}/{problem.format()}")
        errors = sum(problem.is_error for problem in problems)
        if errors:
            raise PluginError(f"{errors} content error(s) in {shown_root}; fix them, then build again (kbgen check {shown_root} lists them)")
        if self.config.contact.enabled:
            try:
                ContactTarget.parse(self.config.contact.target, self.config.contact.encoding)
            except ValueError as error:
                raise PluginError(f"kbgen contact: {error}") from None
        try:
            self.feedback_target = FeedbackTarget.parse(self.config.feedback.target)
        except ValueError as error:
            raise PluginError(f"kbgen feedback: {error}") from None
        log.info(f"kbgen: {self.feedback_target.describe()}")
        if self.feedback_target.kind == "analytics" and not (config.extra or {}).get("analytics"):
            log.warning("kbgen: feedback target 'analytics' but extra.analytics is not set in mkdocs.yml: events go to window.dataLayer, which nothing reads")
        self.corpus = corpus
        self.documents = {document.path: document for document in corpus.documents()}
        self._hash_documents(corpus)
        cache_dir = self.project.cache_dir
        if self.text_cache is None or self.text_cache_dir != cache_dir:
            self.text_cache, self.text_cache_dir = TextCache.load(cache_dir / cache.TEXT_FILE), cache_dir
        self.text_cache.begin()
        self.extras = {}
        self.navigation_cache = None
        self.generated_html = {}
        self.fingerprints = {}
        self.rendered = []
        site_dir = Path(config.site_dir).resolve()
        self.stage, self.next_stage = self.next_stage, None
        if self.stage is not None:  # kbgen build: staged beside the site it replaces
            self.final_site = self.stage.previous_site
            self.previous_site = self.stage.previous_site if self.stage.reuse else None
        else:
            self.final_site = site_dir
            self.previous_site = site_dir if self.in_place and self.config.incremental else None
        extra = str(theme_dir())
        if extra not in (os.path.realpath(directory) for directory in config.theme.dirs):
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, extra)
        self.icons = self._load_icons(corpus, config)
        self.site_url = (config.site_url or "/").rstrip("/") + "/"
        self._set_build_date(corpus)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.corpus is None:
            return None
        categories_file = files.get_file_from_path(CATEGORIES_FILE)
        if categories_file is not None:
            files.remove(categories_file)
        by_uri = {file.src_uri: file for file in files}  # Files normalises every path it is asked for: look up once
        for article in self.corpus.articles:
            file = by_uri.get(article.path)
            if article.is_draft and not self.show_drafts and file is not None:
                files.remove(file)
                del by_uri[article.path]
        self._add_loop_pages(files, config)
        self.help_center = build_help_center(self.corpus, show_drafts=self.show_drafts, per_page=self.config.per_page, top_questions=self.config.top_questions)
        self.generated = {}
        for src_uri, generated in self.help_center.pages.items():
            if src_uri in by_uri:
                (log.info if src_uri == HOME_URI else log.warning)(f"kbgen: {src_uri} exists in the content, so kbgen does not generate its {generated.kind} page there")
                continue
            files.append(GeneratedPageFile.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
            self.generated[src_uri] = generated
        for path in self.documents:
            file = by_uri.get(path)
            if file is not None:
                file.inclusion = InclusionLevel.NOT_IN_NAV
        self.plain_pages = sorted(
            file.src_uri for file in files.documentation_pages()
            if file.src_uri not in self.documents and file.src_uri not in self.generated and file.src_uri != HOME_URI
            and not file.src_uri.startswith((f"{FAQ_DIR}/", f"{COMMUNITY_DIR}/")) and file.inclusion.is_in_nav()
        )
        self.files = files
        self.related = self._compute_related(config)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled or self.help_center is None:
            return None
        self.urls = {file.src_uri: file.url for file in files}
        self._set_page_facts(files)
        if config.nav is None:
            nav = build_navigation(self.help_center, files, self.plain_pages)
        self._plan_rebuild(nav, files, config)
        self.navigation_cache = NavigationCache(nav, lambda: self.highlighted.file.src_uri if self.highlighted is not None else None)
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if not self.config.enabled:
            return None
        # Compiled templates are kept between builds (Jinja checks each template's source before reusing it).
        folder = self.project.cache_path(TEMPLATE_CACHE)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        except OSError as error:
            log.debug(f"kbgen: templates are compiled without a cache ({error})")
        if self.navigation_cache is not None:
            self.navigation_cache.install(env)
        env.globals["kbgen_loop"] = self.loop_settings
        return None

    # -- pages -----------------------------------------------------------------------------

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        document = self.documents.get(page.file.src_uri)
        if document is None:
            return None
        # The loaded record's body: MkDocs need not read the file and parse its front matter again. The empty
        # front matter keeps MkDocs from reading "Key: value" lines at the top of the body as metadata.
        return EMPTY_FRONT_MATTER + (document.body if isinstance(document, Article) else "")

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        src_uri = page.file.src_uri
        document = self.documents.get(src_uri)
        if isinstance(document, Article):
            page.meta = self._page_meta(src_uri)
            return None  # the answer is rendered by MkDocs like any page; on_page_content frames it
        if isinstance(document, Thread):
            page.meta = self._page_meta(src_uri)
            return ""  # untrusted text never goes through the site's Markdown: see on_page_content
        if src_uri in self.generated:
            page.meta = self._page_meta(src_uri)
            return ""
        return None

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.help_center is None:
            return None
        src_uri = page.file.src_uri
        href = self._href(page)
        document = self.documents.get(src_uri)
        if isinstance(document, Article):
            if not page.toc.items:
                page.meta["hide"] = ["toc"]
            self._remember(page, document, jsonld.faq_page(document, html, self._absolute(src_uri)), href)
            return article_html(document, html, href, self.help_center)
        if isinstance(document, Thread):
            rendered = self.community_markdown.thread(document)
            description = html_to_text(rendered.summary.problem or rendered.question.html)
            page.meta["description"] = escape(_shorten(description, DESCRIPTION_LENGTH))
            self._remember(page, document, jsonld.qa_page(rendered, self._absolute(src_uri)), href)
            return sanitize_html(thread_html(rendered, href, self.help_center))
        generated = self.generated.get(src_uri)
        if generated is None:
            return None
        trail = generated.trail + ((Crumb(_numbered(generated), src_uri),) if generated.kind != "home" else ())
        self.extras[src_uri] = PageExtras(
            head=jsonld.script_tags(jsonld.breadcrumb_list(trail, self._absolute)),
            before=breadcrumbs_html(trail, href),
        )
        return self.generated_html.pop(src_uri, None) or self._generated_html(generated, href, config)

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any] | None:
        if self.help_center is None or self.files is None:
            return None
        src_uri = page.file.src_uri
        context["kbgen"] = self.extras.get(src_uri, PageExtras())
        document = self.documents.get(src_uri)
        entry = nav_entry_for(src_uri, self.help_center, document.category if document else None)
        file = self.files.get_file_from_path(entry) if entry else None
        if file is not None and file.page is not None and file.page is not page and not file.page.active:
            file.page.active = True  # highlight the category (or listing) this page belongs to
            self.highlighted = file.page
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.highlighted is not None:
            self.highlighted.active = False
            self.highlighted = None
        return None

    @event_priority(-100)  # after the search plugin wrote its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._restore_build_date()  # MkDocs wrote its last dated file (the sitemap) before this event
        if self.help_center is None or self.files is None:
            return
        pages = [file for file in self.files.documentation_pages() if file.page is not None]
        entries = [
            entry
            for file in pages
            if (document := self.documents.get(file.src_uri)) is not None
            for entry in document_entries(document, file.page.url, self._search_text(document), boost=self.config.article_search_boost, variant_boost=self.config.variant_search_boost)
        ]
        kept = [file.page.url for file in pages if file.src_uri not in self.documents]
        write_search_index(Path(config.site_dir) / SEARCH_INDEX, kept, entries)
        if self.text_cache is not None and not self.serving:
            self.text_cache.save(self.project.cache_path(cache.TEXT_FILE))
        state_file = self.project.cache_path(cache.STATE_FILE)
        if self.stage is not None:  # kbgen build records the state once the site is in place (StagedBuild.commit)
            self.stage.state_file, self.stage.fingerprints = state_file, dict(self.fingerprints)
            self.stage = None
            return
        # A served site is a temporary folder: its state lives only as long as the server.
        self._save_state(Path(config.site_dir), None if self.serving else state_file)

    def _set_build_date(self, corpus: Corpus) -> None:
        """Date this build from the content (unless the user set SOURCE_DATE_EPOCH), until it ends."""
        self._restore_build_date()  # a build that failed before any event could restore it
        user_date = os.environ.get(BUILD_DATE_ENV)
        self.build_date = user_date or str(_newest_content_epoch(corpus))
        if user_date is None:
            os.environ[BUILD_DATE_ENV] = self.build_date
            self.set_build_date = True

    def _restore_build_date(self) -> None:
        """Remove the SOURCE_DATE_EPOCH this build set, so the next build in the process dates itself from its own content."""
        if self.set_build_date:
            if os.environ.get(BUILD_DATE_ENV) == self.build_date:
                del os.environ[BUILD_DATE_ENV]
            self.set_build_date = False

    # -- rebuilds --------------------------------------------------------------------------

    def _set_page_facts(self, files: Files) -> None:
        """Title, metadata and sitemap date of every page kbgen makes, before any page is read.

        A rebuild reads and renders only changed pages; the others still need their title (in
        their neighbours' footer and the navigation) and their date (in the sitemap).
        """
        for file in files.documentation_pages():
            page = file.page
            if page is None or (file.src_uri not in self.documents and file.src_uri not in self.generated):
                continue
            page.meta = self._page_meta(file.src_uri)
            document = self.documents.get(file.src_uri)
            generated = self.generated.get(file.src_uri)
            if document is not None:
                page.title = page.meta["title"]
                _set_update_date(page, document_date(document))
            elif generated is not None:
                page.title = page.meta.get("title", HOME_TITLE)
                _set_update_date(page, generated.updated)

    def _page_meta(self, src_uri: str) -> dict[str, Any]:
        document = self.documents.get(src_uri)
        if isinstance(document, Article):
            return _meta(document.title, document.summary, search={"exclude": True})  # kbgen writes its search entries
        if isinstance(document, Thread):
            return _meta(document.title, "", search={"exclude": True}, hide=("toc",))
        generated = self.generated[src_uri]
        title = None if generated.kind == "home" else _numbered(generated)
        hide = ("navigation", "toc") if generated.kind == "home" else ("toc",)
        return _meta(title, generated.description, search={"exclude": True}, hide=hide)

    def _plan_rebuild(self, nav: Navigation, files: Files, config: MkDocsConfig) -> None:
        """Fingerprint every page kbgen makes; reuse the previous output of those that did not change."""
        assert self.help_center is not None
        site = cache.site_fingerprint(config, build_date=self.build_date, extra=[cache.navigation_signature(nav), self.show_drafts])
        pages = [file for file in files.documentation_pages() if file.page is not None]
        tag_uris: dict[str, str | None] = {}
        for file in pages:
            page_fingerprint = self._page_fingerprint(file, site, config, tag_uris)
            if page_fingerprint is not None:
                self.fingerprints[file.dest_uri] = page_fingerprint
        site_dir = Path(config.site_dir)
        reused: set[str] = set()
        state = self._previous_state(config)
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

    def _page_fingerprint(self, file: File, site: str, config: MkDocsConfig, tag_uris: dict[str, str | None]) -> str | None:
        """What the page's HTML is made of; None for pages rendered on every build (plain pages)."""
        assert self.help_center is not None and file.page is not None
        page = file.page
        document = self.documents.get(file.src_uri)
        common = [site, file.url, str(page.title), page.update_date, cache.neighbour_signature(page)]
        if document is not None:
            related = self.related.get(document.path)
            groups = (("articles", related.articles), ("threads", related.threads)) if related is not None else ()
            links = [[group, link.path, link.title, self.urls[link.path]] for group, group_links in groups for link in group_links if link.path in self.urls]
            tags = [tag_uris[tag] if tag in tag_uris else tag_uris.setdefault(tag, self.help_center.tag_uri(tag)) for tag in document.tags]
            # The breadcrumbs (Home › category › page) and the highlighted menu entry: the category's listing.
            listing = self.help_center.category(document.category)
            category = (listing.category.title, listing.src_uri) if listing is not None else None
            return cache.page_fingerprint(common, self.content_hashes[document.path][2], links, tags, category, self._link_targets(document))
        generated = self.generated.get(file.src_uri)
        if generated is None:
            return None
        html = self._generated_html(generated, self._href(page), config)
        self.generated_html[file.src_uri] = html
        trail = [[crumb.title, crumb.src_uri] for crumb in generated.trail]
        return cache.page_fingerprint(common, html, trail, nav_entry_for(file.src_uri, self.help_center, None), sorted(self._page_meta(file.src_uri).items()))

    def _link_targets(self, document: Document) -> list[Any]:
        """Where the links of an article's Markdown lead: MkDocs writes each as the target page's URL."""
        if not isinstance(document, Article):
            return []  # community text is never rewritten by MkDocs
        known = self.link_targets.get(document.path)
        if known is None or known[0] is not document:  # a record loaded unchanged keeps its links
            resolved = [
                (target, posixpath.normpath(posixpath.join(posixpath.dirname(document.path), target.split("#", 1)[0].split("?", 1)[0])))
                for target, _, _ in iter_links(document.body, 1)
            ]
            known = self.link_targets[document.path] = (document, resolved)
        return [[target, self.urls.get(path)] for target, path in known[1]]

    def _previous_state(self, config: MkDocsConfig) -> BuildState | None:
        if self.previous_site is None:
            return None
        key = str(self.previous_site)
        if key not in self.states:
            state = cache.load_state(self.project.cache_path(cache.STATE_FILE), self.previous_site)
            if state is None:
                return None
            self.states[key] = state
        return self.states[key]

    def _save_state(self, site: Path, state_file: Path | None) -> None:
        state = BuildState(str(self.final_site), cache.record_outputs(site, self.fingerprints))
        self.states = {state.site: state}
        if state_file is not None:
            cache.save_state(state_file, state)

    # -- derived text, kept between builds ---------------------------------------------------

    def _hash_documents(self, corpus: Corpus) -> None:
        """The content hash of every record; a record loaded unchanged from the load cache keeps its hash."""
        hashes = {}
        for document in corpus.documents():
            category = corpus.categories.get(document.category)
            title = category.title if category else ""
            known = self.content_hashes.get(document.path)
            hashes[document.path] = known if known is not None and known[0] is document and known[1] == title else (document, title, content_hash(document, corpus))
        self.content_hashes = hashes

    def _summary(self, document: Document) -> str:
        assert self.text_cache is not None
        return self.text_cache.get(f"summary:{self.content_hashes[document.path][2]}", lambda: document_summary(document))

    def _search_text(self, document: Document) -> list[str]:
        assert self.text_cache is not None
        words = self.config.search_words
        return self.text_cache.get(f"search:{words}:{self.content_hashes[document.path][2]}", lambda: search_text(document, words))

    # -- helpers ---------------------------------------------------------------------------

    def _remember(self, page: Page, document: Document, main_entity: dict[str, Any] | None, href: Href) -> None:
        assert self.help_center is not None and self.files is not None
        trail = self.help_center.trail(document)
        self.extras[page.file.src_uri] = PageExtras(
            head=jsonld.script_tags(main_entity, jsonld.breadcrumb_list(trail, self._absolute)),
            before=breadcrumbs_html(trail, href),
            after=related_html(self.related.get(document.path), href, self.urls.keys()),
            ending=page_ending(document, page.url) if self.loop_settings is not None else None,
        )

    def _add_loop_pages(self, files: Files, config: MkDocsConfig) -> None:
        """The contact page, the search results page and the settings of the widgets that link and report to them."""
        assert self.corpus is not None
        feedback = self.config.feedback
        records_searches = self.feedback_target.kind != "off" and feedback.searches
        search_url = File.generated(config, SEARCH_PAGE, content="").url if self.config.search_page else ""
        contact_url = File.generated(config, CONTACT_PAGE, content="").url if self.config.contact.enabled else ""
        add_contact_files(
            files, self.corpus, config, self.config.contact, self._summary, records_searches=records_searches,
            search_url=get_relative_url(search_url, contact_url) if search_url and contact_url else "",
        )
        if search_url and add_search_page(files, config, CONTACT_PAGE if contact_url else None, records_searches) is None:
            search_url = files.get_file_from_path(SEARCH_PAGE).url
        target = self.feedback_target
        self.loop_settings = LoopSettings(
            target.kind, target.address, feedback.votes, feedback.searches, search_url,
            contact_url if self.config.still_need_help else "",
        )

    def _generated_html(self, generated: GeneratedPage, href: Href, config: MkDocsConfig) -> str:
        assert self.help_center is not None
        if generated.kind == "home":
            return home_html(self.help_center, href, self.icons, config.site_name)
        if generated.kind == "category":
            return category_html(generated, href, self.help_center, self.icons)
        if generated.kind == "tag":
            return tag_html(generated, href, self.help_center)
        if generated.kind == "tags":
            return tags_index_html(generated, href)
        return community_html(generated, href, self.help_center)

    def _url(self, src_uri: str) -> str:
        url = self.urls.get(src_uri)
        if url is None:
            file = self.files.get_file_from_path(src_uri) if self.files is not None else None
            url = file.url if file is not None else src_uri
        return url

    def _href(self, page: Page) -> Href:
        here = page.url

        def href(src_uri: str) -> str:
            target = self._url(src_uri)
            relative = get_relative_url(target, here)
            return relative + "/" if (target == "" or target.endswith("/")) and not relative.endswith("/") else relative

        return href

    def _absolute(self, src_uri: str) -> str:
        url = self._url(src_uri)
        return self.site_url + ("" if url in (".", "./") else url)

    def _load_icons(self, corpus: Corpus, config: MkDocsConfig) -> dict[str, str]:
        icons = {}
        for category in corpus.categories.values():
            if not category.icon:
                continue
            svg = icon_svg(category.icon, config.theme.dirs)
            if svg:
                icons[category.slug] = svg
            else:
                log.warning(f"kbgen: {CATEGORIES_FILE}: icon '{category.icon}' of category '{category.slug}' is not a theme icon; the card shows none")
        return icons

    def _check(self, docs_dir: Path, config: MkDocsConfig) -> tuple[Corpus, list[Any]]:
        """Load and check the content, parsing again only the files that changed since the last build."""
        cache_dir = self.project.cache_dir
        if self.load_cache is None or self.load_cache.root != str(docs_dir.resolve()):
            self.load_cache = read_load_cache(cache_dir / CACHE_FILE)
        result = check_tree(docs_dir, cache=self.load_cache, cache_dir=cache_dir)
        if self.load_cache.changed and not self.serving:  # serve keeps it in memory; writing it costs every rebuild
            write_load_cache(cache_dir / CACHE_FILE, self.load_cache)
        return result

    def _compute_related(self, config: MkDocsConfig) -> dict[str, Any]:
        if not self.config.related or compute_links is None or self.corpus is None:
            return {}
        cache_dir = self.project.cache_dir
        if not self.serving:
            return compute_links(self.corpus, cache_dir=cache_dir)
        # Serving: learn the corpus once, then rescore only the pages an edit changed.
        key = (str(Path(config.docs_dir).resolve()), str(cache_dir))
        if self.live_links is None or self.live_links_key != key:
            self.live_links, self.live_links_key = LiveLinks(self.corpus, cache_dir=cache_dir), key
            return self.live_links.links
        return self.live_links.update(self.corpus, {path: known[2] for path, known in self.content_hashes.items()})


def _meta(title: str | None, description: str, *, search: dict[str, Any] | None = None, hide: tuple[str, ...] = ()) -> dict[str, Any]:
    """Page metadata for the theme. Material prints ``title`` and ``description`` unescaped, so they are escaped here.

    The title is ``Markup``: printed as is where Material prints it raw, and not escaped twice
    where it applies ``| e`` (the footer's prev/next labels).
    """
    meta: dict[str, Any] = {}
    if title is not None:
        meta["title"] = Markup(escape(title))
    if description:
        meta["description"] = escape(_shorten(description, DESCRIPTION_LENGTH))
    if search:
        meta["search"] = search
    if hide:
        meta["hide"] = list(hide)
    return meta


def _numbered(generated: GeneratedPage) -> str:
    listing = generated.listing
    return f"{generated.title} (page {listing.number})" if listing is not None and listing.number > 1 else generated.title


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def _set_update_date(page: Page, day: str) -> None:
    if day:
        page.update_date = day


def _newest_content_epoch(corpus: Corpus) -> int:
    """Build date for reproducible output: the newest date written in content, else 2000-01-01."""
    dates = [article.updated[:10] for article in corpus.articles if article.updated]
    dates += [thread.date[:10] for thread in corpus.threads if thread.date]
    newest = max(dates, default="2000-01-01")
    return calendar.timegm(datetime.strptime(newest, "%Y-%m-%d").timetuple())
