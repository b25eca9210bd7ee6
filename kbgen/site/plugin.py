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
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from kbgen.build import DRAFTS_ENV
from kbgen.check import check_tree
from kbgen.load import CATEGORIES_FILE, COMMUNITY_DIR, FAQ_DIR
from kbgen.model import Article, Corpus, Document, Thread
from kbgen.site import jsonld
from kbgen.site.config import KbgenConfig
from kbgen.site.contact import ContactTarget, add_contact_files
from kbgen.site.navigation import build_navigation, nav_entry_for
from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.render.documents import article_html, thread_html
from kbgen.site.render.html import Href
from kbgen.site.render.listings import category_html, community_html, home_html, tag_html, tags_index_html
from kbgen.site.render.parts import breadcrumbs_html, related_html
from kbgen.site.sanitize import html_to_text, sanitize_html
from kbgen.site.search_index import SEARCH_INDEX, add_question_variants
from kbgen.site.structure.help_center import HOME_URI, Crumb, GeneratedPage, HelpCenter, build_help_center, document_date
from kbgen.site.theme import icon_svg, theme_dir

try:  # the related-links stage; without it pages simply have no related section
    from kbgen.link import compute_links
except ImportError:  # pragma: no cover - exercised only in a checkout without kbgen.link
    compute_links = None

log = logging.getLogger("mkdocs.plugins.kbgen")

DESCRIPTION_LENGTH = 160


@dataclass(frozen=True)
class PageExtras:
    """What the theme's templates add around a page's content (``kbgen`` in the template context)."""

    head: str = ""  # JSON-LD scripts
    before: str = ""  # breadcrumbs
    after: str = ""  # related articles and discussions


class KbgenPlugin(BasePlugin[KbgenConfig]):
    """Build a help center from ``faq/`` articles and ``community/`` threads."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.corpus: Corpus | None = None
        self.documents: dict[str, Document] = {}
        self.help_center: HelpCenter | None = None
        self.related: dict[str, Any] = {}
        self.icons: dict[str, str] = {}
        self.files: Files | None = None
        self.generated: dict[str, GeneratedPage] = {}
        self.plain_pages: list[str] = []
        self.extras: dict[str, PageExtras] = {}
        self.highlighted: Page | None = None
        self.site_url = "/"
        self.community_markdown = CommunityMarkdown()

    @property
    def show_drafts(self) -> bool:
        return self.config.drafts or os.environ.get(DRAFTS_ENV) == "1"

    # -- configuration and files -------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        if self.config.per_page < 1:
            raise PluginError("kbgen: 'per_page' must be at least 1")
        docs_dir = Path(config.docs_dir)
        corpus, problems = check_tree(docs_dir)
        shown_root = os.path.relpath(docs_dir)
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
        self.corpus = corpus
        self.documents = {document.path: document for document in corpus.documents()}
        self.extras = {}
        extra = str(theme_dir())
        if extra not in (os.path.realpath(directory) for directory in config.theme.dirs):
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, extra)
        self.icons = self._load_icons(corpus, config)
        self.site_url = (config.site_url or "/").rstrip("/") + "/"
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(_newest_content_epoch(corpus)))
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.corpus is None:
            return None
        categories_file = files.get_file_from_path(CATEGORIES_FILE)
        if categories_file is not None:
            files.remove(categories_file)
        for article in self.corpus.articles:
            file = files.get_file_from_path(article.path)
            if article.is_draft and not self.show_drafts and file is not None:
                files.remove(file)
        add_contact_files(files, self.corpus, config, self.config.contact)
        self.help_center = build_help_center(self.corpus, show_drafts=self.show_drafts, per_page=self.config.per_page, top_questions=self.config.top_questions)
        self.generated = {}
        for src_uri, generated in self.help_center.pages.items():
            if files.get_file_from_path(src_uri) is not None:
                (log.info if src_uri == HOME_URI else log.warning)(f"kbgen: {src_uri} exists in the content, so kbgen does not generate its {generated.kind} page there")
                continue
            files.append(File.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
            self.generated[src_uri] = generated
        for path in self.documents:
            file = files.get_file_from_path(path)
            if file is not None:
                file.inclusion = InclusionLevel.NOT_IN_NAV
        self.plain_pages = sorted(
            file.src_uri for file in files.documentation_pages()
            if file.src_uri not in self.documents and file.src_uri not in self.generated and file.src_uri != HOME_URI
            and not file.src_uri.startswith((f"{FAQ_DIR}/", f"{COMMUNITY_DIR}/"))
        )
        self.files = files
        self.related = self._compute_related(config)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled or self.help_center is None or config.nav is not None:
            return None
        return build_navigation(self.help_center, files, self.plain_pages)

    # -- pages -----------------------------------------------------------------------------

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        src_uri = page.file.src_uri
        document = self.documents.get(src_uri)
        if isinstance(document, Article):
            page.meta = _meta(document.title, document.summary, search={"boost": self.config.article_search_boost})
            _set_update_date(page, document_date(document))
            return None  # the answer is rendered by MkDocs like any page; on_page_content frames it
        if isinstance(document, Thread):
            page.meta = _meta(document.title, "", hide=("toc",))
            _set_update_date(page, document_date(document))
            return ""  # untrusted text never goes through the site's Markdown: see on_page_content
        generated = self.generated.get(src_uri)
        if generated is not None:
            title = None if generated.kind == "home" else _numbered(generated)
            hide = ("navigation", "toc") if generated.kind == "home" else ("toc",)
            page.meta = _meta(title, generated.description, search={"exclude": True}, hide=hide)
            _set_update_date(page, generated.updated)
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
        return self._generated_html(generated, href, config)

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
        if self.help_center is None or self.files is None:
            return
        index = Path(config.site_dir) / SEARCH_INDEX
        variants = [
            (file.url, question)
            for listing in self.help_center.categories
            for article in listing.articles
            if (file := self.files.get_file_from_path(article.path)) is not None
            for question in article.questions
        ]
        add_question_variants(index, variants, boost=self.config.variant_search_boost)

    # -- helpers ---------------------------------------------------------------------------

    def _remember(self, page: Page, document: Document, main_entity: dict[str, Any] | None, href: Href) -> None:
        assert self.help_center is not None and self.files is not None
        trail = self.help_center.trail(document)
        self.extras[page.file.src_uri] = PageExtras(
            head=jsonld.script_tags(main_entity, jsonld.breadcrumb_list(trail, self._absolute)),
            before=breadcrumbs_html(trail, href),
            after=related_html(self.related.get(document.path), href, self.files),
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

    def _href(self, page: Page) -> Href:
        files, here = self.files, page.url

        def href(src_uri: str) -> str:
            file = files.get_file_from_path(src_uri) if files is not None else None
            target = file.url if file is not None else src_uri
            relative = get_relative_url(target, here)
            return relative + "/" if (target == "" or target.endswith("/")) and not relative.endswith("/") else relative

        return href

    def _absolute(self, src_uri: str) -> str:
        file = self.files.get_file_from_path(src_uri) if self.files is not None else None
        url = file.url if file is not None else src_uri
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

    def _compute_related(self, config: MkDocsConfig) -> dict[str, Any]:
        if not self.config.related or compute_links is None or self.corpus is None:
            return {}
        cache_dir = Path(config.config_file_path or ".").parent / self.config.cache_dir
        return compute_links(self.corpus, cache_dir=cache_dir)


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
