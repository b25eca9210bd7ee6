"""The ``kbgen`` MkDocs plugin: turns a Corpus into a help center on top of Material.

It validates content, hides drafts, adds the generated pages (home, categories, tags,
community), replaces the every-page navigation by a bounded one, renders article and thread
pages (community text sanitized), and adds breadcrumbs, related links and JSON-LD.
Event handlers stay thin: loading and checking belong to ``kbgen.check``, the site's shape to
``kbgen.site.structure``, each page's input record to ``kbgen.site.page_input``, rendering a page
from its record to ``kbgen.site.page_render``, and what rebuilds keep to ``kbgen.site.rebuild``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from kbgen.check import check_tree
from kbgen.load import CACHE_FILE, COMMUNITY_DIR, FAQ_DIR, read_load_cache, write_load_cache
from kbgen.model import Article, Corpus, Document, Thread
from kbgen.project import Project
from kbgen.site import cache
from kbgen.site.cache import GeneratedPageFile, StagedBuild
from kbgen.site.config import DRAFTS_ENV, KbgenConfig
from kbgen.site.contact import ContactTarget, FeedbackTarget, document_summary
from kbgen.site.navigation import build_navigation, nav_entry_for
from kbgen.site.navigation_cache import NavigationCache
from kbgen.site.page_input import DocumentPageInput, GeneratedPageInput, PageFacts, PageInputs
from kbgen.site.page_render import PageExtras, article_page, generated_page, thread_page
from kbgen.site.pages import (
    add_generated_files,
    add_loop_pages,
    category_icons,
    generated_html,
    listing_meta,
    page_href,
    page_meta,
    published_files,
)
from kbgen.site.rebuild import DerivedCaches, Rebuild
from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.render.templates import SiteTemplates, activate
from kbgen.site.search_index import SEARCH_INDEX, document_entries, search_text, write_search_index
from kbgen.site.search_page import LoopSettings
from kbgen.site.structure.help_center import HOME_URI, GeneratedPage, HelpCenter, build_help_center, document_date
from kbgen.site.theme import theme_dir

try:  # the related-links stage; without it pages simply have no related section
    from kbgen.link import LiveLinks, compute_links
except ImportError:  # pragma: no cover - exercised only in a checkout without kbgen.link
    compute_links = LiveLinks = None

log = logging.getLogger("mkdocs.plugins.kbgen")

TEMPLATE_CACHE = "templates"  # compiled theme templates, under cache_dir
EMPTY_FRONT_MATTER = "---\n{}\n---\n"


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
        self.plain_pages: list[str] = []
        self.extras: dict[str, PageExtras] = {}
        self.highlighted: Page | None = None
        self.navigation_cache: NavigationCache | None = None
        self.site_url = "/"
        self.feedback_target = FeedbackTarget("off")
        self.loop_settings: LoopSettings | None = None
        self.community_markdown = CommunityMarkdown()
        self.project: Project | None = None
        self.rebuild = Rebuild()  # where the previous output is, where this one goes, what each page is rendered from
        self.derived = DerivedCaches()  # parsed files, content hashes, summaries and search text, kept between builds

    @property
    def show_drafts(self) -> bool:
        return self.config.drafts or os.environ.get(DRAFTS_ENV) == "1"

    def stage_build(self, previous_site: Path) -> StagedBuild:
        """The plan of the next build, into a staging folder that replaces ``previous_site`` (kbgen.site.cache.RebuildsStaged).

        It reuses unchanged pages of ``previous_site`` if the plugin is on and incremental and the
        site exists; the build must then run in MkDocs' dirty mode, and the plan be committed once
        the staged site is in place.
        """
        if not self.config.enabled:
            self.rebuild.in_place, self.rebuild.next_stage = False, None
            return StagedBuild(Path(previous_site).resolve())
        return self.rebuild.stage_build(previous_site, reuse=self.config.incremental)

    # -- configuration and files -------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance (and its caches) across the rebuilds of ``serve``.
        self.rebuild.serving = command == "serve"
        self.rebuild.in_place = dirty

    def on_shutdown(self) -> None:
        self.rebuild.serving = self.rebuild.in_place = False
        self.rebuild.build_date.restore()

    def on_build_error(self, *, error: Exception) -> None:
        self.rebuild.build_date.restore()
        activate(None)

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
        self.derived.begin(corpus, self.project.cache_path(cache.TEXT_FILE), self.project.stamps.key)
        self.extras = {}
        self.navigation_cache = None
        self.rebuild.begin(Path(config.site_dir).resolve(), incremental=self.config.incremental)
        extra = str(theme_dir())
        if extra not in (os.path.realpath(directory) for directory in config.theme.dirs):
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, extra)
        self.icons = category_icons(corpus, config.theme.dirs)
        # kbgen's page templates and strings: theme.language, and the team's custom_dir over kbgen's theme.
        self.templates = SiteTemplates.of_theme(config.theme)
        activate(self.templates)
        for name in self.templates.overridden():
            log.info(f"kbgen: {name} from theme.custom_dir replaces kbgen's")
        self.site_url = (config.site_url or "/").rstrip("/") + "/"
        self.rebuild.build_date.set(corpus)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.corpus is None:
            return None
        by_uri = published_files(files, self.corpus, show_drafts=self.show_drafts)
        self.loop_settings = add_loop_pages(files, self.corpus, config, self.config, self.feedback_target, self._summary)
        self.help_center = build_help_center(self.corpus, show_drafts=self.show_drafts, per_page=self.config.per_page, top_questions=self.config.top_questions,
                                              titles=self.templates.titles)
        self.generated = add_generated_files(
            files, by_uri, self.help_center,
            lambda src_uri: GeneratedPageFile.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV),
        )
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
        env.globals["kbgen_strings"] = self.templates.translations.theme_strings()
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
        src_uri = page.file.src_uri
        record = self.rebuild.inputs.get(src_uri)
        if record is None:
            return None  # a plain page: MkDocs' HTML as it is
        if isinstance(record, GeneratedPageInput):
            rendered = generated_page(record)
        elif record.is_article:
            if not page.toc.items:
                page.meta["hide"] = ["toc"]
            rendered = article_page(record, html)
        else:
            rendered = thread_page(record, self.community_markdown)
            page.meta["description"] = rendered.description
        self.extras[src_uri] = rendered.extras
        return rendered.content

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any] | None:
        if self.help_center is None or self.files is None:
            return None
        src_uri = page.file.src_uri
        context["kbgen"] = self.extras.get(src_uri, PageExtras())
        record = self.rebuild.inputs.get(src_uri)
        entry = record.frame.nav_entry if record is not None else None
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
        self.rebuild.build_date.restore()  # MkDocs wrote its last dated file (the sitemap) before this event
        activate(None)  # every page is written: the next build in this process starts from kbgen's own templates
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
        if not self.rebuild.serving:  # serve keeps it in memory; writing it costs every rebuild
            self.derived.save_text()
        self.rebuild.finish(Path(config.site_dir), self.project.cache_path(cache.STATE_FILE))

    # -- what each page is rendered from ------------------------------------------------------

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
                page.title = page.meta.get("title", generated.title)  # the home page: its title in the site's language
                _set_update_date(page, generated.updated)

    def _page_meta(self, src_uri: str) -> dict[str, Any]:
        document = self.documents.get(src_uri)
        if isinstance(document, Article):
            return page_meta(document.title, document.summary, search={"exclude": True})  # kbgen writes its search entries
        if isinstance(document, Thread):
            return page_meta(document.title, "", search={"exclude": True}, hide=("toc",))
        return listing_meta(self.generated[src_uri])

    def _plan_rebuild(self, nav: Navigation, files: Files, config: MkDocsConfig) -> None:
        """Make the input record of every page kbgen makes; reuse the previous output of those whose record did not change."""
        assert self.help_center is not None
        site = cache.site_fingerprint(config, self.project.stamps, build_date=self.rebuild.build_date.value, extra=[cache.navigation_signature(nav), self.show_drafts])
        inputs = PageInputs(self.help_center, site, self.site_url, self.urls.get, self.related, page_endings=self.loop_settings is not None)
        for file in files.documentation_pages():
            record = self._page_input(file, inputs, config)
            if record is not None:
                self.rebuild.add(file.dest_uri, record)
        self.rebuild.plan(files, Path(config.site_dir), self.project.cache_path(cache.STATE_FILE))

    def _page_input(self, file: File, inputs: PageInputs, config: MkDocsConfig) -> DocumentPageInput | GeneratedPageInput | None:
        """What the page's HTML is made of; None for pages MkDocs renders as they are (plain pages)."""
        assert self.help_center is not None
        page = file.page
        document = self.documents.get(file.src_uri)
        generated = self.generated.get(file.src_uri)
        if page is None or (document is None and generated is None):
            return None
        facts = PageFacts(file.src_uri, file.url, str(page.title), page.update_date, tuple(cache.neighbour_signature(page)))
        if document is not None:
            nav_entry = nav_entry_for(file.src_uri, self.help_center, document.category)
            return inputs.document(document, facts, self.derived.content_hash(document), self.derived.links(document), nav_entry)
        html = generated_html(generated, self.help_center, page_href(self._url, inputs.content_base(facts)), self.icons, config.site_name)
        return inputs.generated(generated, facts, html, self._page_meta(file.src_uri), nav_entry_for(file.src_uri, self.help_center, None))

    def _summary(self, document: Document) -> str:
        return self.derived.text("summary", document, lambda: document_summary(document))

    def _search_text(self, document: Document) -> list[str]:
        words = self.config.search_words
        return self.derived.text(f"search:{words}", document, lambda: search_text(document, words))

    # -- helpers ---------------------------------------------------------------------------

    def _url(self, src_uri: str) -> str:
        url = self.urls.get(src_uri)
        if url is None:
            file = self.files.get_file_from_path(src_uri) if self.files is not None else None
            url = file.url if file is not None else src_uri
        return url

    def _check(self, docs_dir: Path, config: MkDocsConfig) -> tuple[Corpus, list[Any]]:
        """Load and check the content, parsing again only the files that changed since the last build."""
        cache_dir, derived = self.project.cache_dir, self.derived
        if derived.load_cache is None or derived.load_cache.root != str(docs_dir.resolve()):
            derived.load_cache = read_load_cache(cache_dir / CACHE_FILE)
        result = check_tree(docs_dir, cache=derived.load_cache, cache_dir=cache_dir)
        if derived.load_cache.changed and not self.rebuild.serving:  # serve keeps it in memory; writing it costs every rebuild
            write_load_cache(cache_dir / CACHE_FILE, derived.load_cache)
        return result

    def _compute_related(self, config: MkDocsConfig) -> dict[str, Any]:
        if not self.config.related or compute_links is None or self.corpus is None:
            return {}
        cache_dir, derived = self.project.cache_dir, self.derived
        if not self.rebuild.serving:
            return compute_links(self.corpus, cache_dir=cache_dir)
        # Serving: learn the corpus once, then rescore only the pages an edit changed.
        key = (str(Path(config.docs_dir).resolve()), str(cache_dir))
        if derived.live_links is None or derived.live_links_key != key:
            derived.live_links, derived.live_links_key = LiveLinks(self.corpus, cache_dir=cache_dir), key
            return derived.live_links.links
        return derived.live_links.update(self.corpus, derived.hashes())


def _set_update_date(page: Page, day: str) -> None:
    if day:
        page.update_date = day
