"""The site stage: a complete, engine-neutral docs tree of the help center that MkDocs or Zensical builds without kbgen's plugin.

``stage_site`` writes into a staging folder: every page as Markdown with its metadata in front matter
(title, description, what to hide, and under ``kbgen`` the JSON-LD, breadcrumbs, related links and
page ending the theme prints); generated and thread pages as raw HTML blocks (thread text sanitized,
so untrusted text is never read as Markdown); the contact page and its suggestion index; kbgen's theme
overrides with the team's ``custom_dir`` on top; and an ``mkdocs.yml`` that inherits the team's and
sets a bounded navigation (an automatic one makes every page list every page: quadratic on both engines).
Each page kbgen makes is the input record the MkDocs plugin makes for it (kbgen.site.page_input, its
content linked from the page's source folder, where Zensical resolves links from) rendered by
kbgen.site.page_render, as on MkDocs; a page whose record did not change since the previous stage is
not rendered again (``StagedPages``).
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
import yaml
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.structure.files import File, Files, get_files

from kbgen.check import check_tree
from kbgen.errors import KbgenError
from kbgen.index import content_hash
from kbgen.load import CACHE_FILE, COMMUNITY_DIR, FAQ_DIR, read_load_cache, write_load_cache
from kbgen.model import Article, Corpus, Document
from kbgen.project import PLUGIN_NAME, Project, tree_signature
from kbgen.site import cache
from kbgen.site.config import DRAFTS_ENV, KbgenConfig
from kbgen.site.contact import ContactTarget, FeedbackTarget, document_summary
from kbgen.site.page_input import (
    DocumentPageInput,
    GeneratedPageInput,
    PageFacts,
    PageInput,
    PageInputs,
    input_fingerprint,
    markdown_links,
)
from kbgen.site.page_render import article_page, generated_page, thread_page
from kbgen.site.pages import (
    add_generated_files,
    add_loop_pages,
    category_icons,
    generated_html,
    listing_meta,
    numbered_title,
    page_href,
    page_meta,
    published_files,
)
from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.render.html import Href
from kbgen.site.render.templates import SiteTemplates, activated
from kbgen.site.search_page import LoopSettings
from kbgen.site.structure.help_center import HOME_URI, GeneratedPage, HelpCenter, build_help_center, document_date
from kbgen.site.structure.listing import listing_uri
from kbgen.site.theme import theme_dir

try:  # the related-links stage; without it pages simply have no related section
    from kbgen.link import compute_links
except ImportError:  # pragma: no cover - exercised only in a checkout without kbgen.link
    compute_links = None

log = logging.getLogger(__name__)

STAGE_CONFIG = "mkdocs.yml"
STAGE_DOCS = "docs"
STAGE_THEME = "overrides"
STAGE_SITE = "site"  # Zensical builds only into a folder inside the project, so the site is built here, then moved
MAIN_TEMPLATE = "main.html"
ENGINE_SEARCH_INDEX = "zensical"  # the engine that builds the stage writes the search index its header search reads
ANSWER_MARK = "<!--kbgen:answer-->"  # where an article's answer goes in its page HTML: the engine renders that Markdown
# The theme reads ``kbgen`` (the page's extras) and ``kbgen_loop`` (the widgets' settings) from the template context,
# where the plugin puts them; without the plugin they come from the page's front matter and ``extra``.
THEME_ADAPTER = (
    "{#- kbgen site stage: the page's extras from its front matter, the widgets' settings and strings from extra (no plugin sets them) -#}\n"
    "{%- set kbgen = kbgen or (page.meta.kbgen if page and page.meta and page.meta.kbgen else none) %}\n"
    "{%- set kbgen_loop = kbgen_loop or config.extra.kbgen_loop %}\n"
    "{%- set kbgen_strings = kbgen_strings or config.extra.kbgen_strings %}\n"
)
_OPENING_TAG = re.compile(r"<(?P<tag>[a-z][a-z0-9]*)(?P<attributes>[^>]*)>\s*$")
_HEADING = re.compile(r"<h[2-6][\s>]")
_HREF = re.compile(r'href="(?P<target>[^"]*)"')


@dataclass(frozen=True)
class StagedSite:
    """A staged docs tree: build it with ``config_file``; the engine writes the site into ``site_dir``."""

    root: Path
    config_file: Path
    docs_dir: Path
    site_dir: Path
    pages: tuple[str, ...]  # source path of every page, sorted


@dataclass
class StagedPages:
    """Each page kbgen staged, by source path: the fingerprint of its input record and the text written for it.

    A stage given the ``StagedPages`` of the previous stage of the same site (``kbgen serve`` stages
    again on every edit) writes again the text of each page whose record did not change, without
    rendering it; ``rendered`` counts the pages the last stage did render.
    """

    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    rendered: int = 0


def stage_site(config_file: Path, root: Path, *, drafts: bool = False, previous: StagedPages | None = None) -> StagedSite:
    """Write the docs tree of the project of ``config_file`` into the empty folder ``root``.

    ``previous`` (updated in place) holds the pages of the last stage: those whose record did not
    change are not rendered again. Raises a KbgenError for content errors (each one logged) and
    settings the engine could not use.
    """
    config_file = Path(config_file).resolve()
    try:
        config = load_config(str(config_file))
    except ConfigurationError as error:
        raise KbgenError(str(config_file), f"MkDocs rejects the config: {error}") from None
    config.plugins._current_plugin = PLUGIN_NAME  # the files made here are kbgen's (MkDocs sets it only while running events)
    settings = _settings(config)
    project = Project.of_mkdocs(config, settings.cache_dir, settings)
    root = Path(root)
    docs = root / STAGE_DOCS
    docs.mkdir(parents=True, exist_ok=True)
    files = get_files(config)
    if not settings.enabled:  # the team turned kbgen off: the engine builds their docs as they are
        pages = _copy_files(files, docs, {})
        return _write_config(config_file, config, root, pages, nav=None, extra={})
    corpus = _checked_corpus(project, config_file)
    feedback_target = _feedback_target(settings, config_file)
    show_drafts = drafts or settings.drafts or os.environ.get(DRAFTS_ENV) == "1"
    published = published_files(files, corpus, show_drafts=show_drafts)
    documents = {document.path: document for document in corpus.documents() if document.path in published}
    templates = SiteTemplates.of_theme(config.theme)  # the site's language; the team's overrides from custom_dir
    loop = add_loop_pages(files, corpus, config, settings, feedback_target, document_summary, links_from_source=True, translations=templates.translations)
    help_center = build_help_center(corpus, show_drafts=show_drafts, per_page=settings.per_page, top_questions=settings.top_questions,
                                    titles=templates.titles)
    generated = add_generated_files(files, {file.src_uri for file in files}, help_center, lambda src_uri: File.generated(config, src_uri, content=""))
    plain_pages = sorted(
        file.src_uri for file in files.documentation_pages()
        if file.src_uri not in documents and file.src_uri not in generated and file.src_uri != HOME_URI
        and not file.src_uri.startswith((f"{FAQ_DIR}/", f"{COMMUNITY_DIR}/")) and file.inclusion.is_in_nav()
    )
    related = compute_links(corpus, cache_dir=project.cache_dir) if settings.related and compute_links is not None else {}
    nav = _navigation(help_center, set(generated), plain_pages) if config.nav is None else None
    urls = {file.src_uri: file.url for file in files}
    site = cache.site_fingerprint(config, project.stamps, extra=[nav, show_drafts, tree_signature(theme_dir())])
    # The same records the plugin makes, except that links in a page's content start from its source folder.
    inputs = PageInputs(help_center, site, (config.site_url or "/").rstrip("/") + "/", urls.get, related, page_endings=loop is not None, links_from_source=True)
    with activated(templates):  # the site's language and the team's overrides, for every renderer
        writer = _PageWriter(config, inputs, urls, corpus, category_icons(corpus, config.theme.dirs), previous or StagedPages())
        contents = {path: writer.document(document) for path, document in documents.items()}
        contents.update((src_uri, writer.generated(page)) for src_uri, page in generated.items())
    if previous is not None:
        previous.pages, previous.rendered = writer.staged, writer.rendered
    pages = _copy_files(files, docs, contents)
    extra = {"kbgen_loop": _loop_extra(loop), "kbgen_strings": templates.translations.theme_strings()}
    return _write_config(config_file, config, root, pages, nav=nav, extra=extra)


class _PageWriter:
    """Each page kbgen makes as Markdown with front matter: its input record (kbgen.site.page_input), rendered by kbgen.site.page_render.

    What is left to the stage is how the rendered parts go into the page: the metadata and the
    extras in front matter, the content as a raw HTML block, and an article's answer kept Markdown.
    """

    def __init__(self, config: MkDocsConfig, inputs: PageInputs, urls: dict[str, str], corpus: Corpus, icons: dict[str, str], previous: StagedPages) -> None:
        self.config = config
        self.inputs = inputs
        self.urls = urls
        self.corpus = corpus
        self.icons = icons
        self.previous = previous.pages
        self.staged: dict[str, tuple[str, str]] = {}  # what this stage wrote: the next one's ``previous``
        self.rendered = 0
        self.community_markdown = CommunityMarkdown()
        # The team's Markdown, as the engine renders it: for the answer in the article's FAQPage JSON-LD.
        self.article_markdown = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {})

    def url(self, src_uri: str) -> str:
        return self.urls.get(src_uri, src_uri)

    def document(self, document: Document) -> str:
        facts = PageFacts(document.path, self.url(document.path), document.title, document_date(document))
        return self._staged(self.inputs.document(document, facts, content_hash(document, self.corpus), markdown_links(document), None))

    def generated(self, page: GeneratedPage) -> str:
        facts = PageFacts(page.src_uri, self.url(page.src_uri), numbered_title(page), page.updated)
        listing = generated_html(page, self.inputs.help_center, page_href(self.url, self.inputs.content_base(facts)), self.icons, self.config.site_name)
        return self._staged(self.inputs.generated(page, facts, listing, listing_meta(page), None))

    def _staged(self, record: PageInput) -> str:
        """The page of ``record``: the previous stage's text if it was written from the same record, else rendered now."""
        fingerprint = input_fingerprint(record)
        known = self.previous.get(record.frame.src_uri)
        if known is not None and known[0] == fingerprint:
            text = known[1]
        else:
            text = self._generated_page(record) if isinstance(record, GeneratedPageInput) else self._document_page(record)
            self.rendered += 1
        self.staged[record.frame.src_uri] = (fingerprint, text)
        return text

    def _document_page(self, record: DocumentPageInput) -> str:
        document = record.document
        if isinstance(document, Article):
            self.article_markdown.reset()
            answer_html = self._page_links(self.article_markdown.convert(document.body), document.path, page_href(self.url, record.frame.url))
            rendered = article_page(record, answer_html, answer_placeholder=ANSWER_MARK)
            meta = page_meta(document.title, document.summary, hide=() if _HEADING.search(answer_html) else ("toc",))
            body = _article_markdown(rendered.content, document.body)
        else:
            rendered = thread_page(record, self.community_markdown)
            meta = page_meta(document.title, "", hide=("toc",))
            meta["description"] = rendered.description
            body = rendered.content  # a raw HTML block: never read as Markdown
        meta["kbgen"] = asdict(rendered.extras)
        return _page(meta, body)

    def _generated_page(self, record: GeneratedPageInput) -> str:
        rendered = generated_page(record)
        return _page({**dict(record.meta), "kbgen": asdict(rendered.extras)}, rendered.content)

    def _page_links(self, html: str, src_uri: str, href: Href) -> str:
        """``html`` with its links to the site's source files (``faq/x.md#part``) written as links to their pages, as MkDocs writes them."""

        def page_link(match: re.Match[str]) -> str:
            target, hash_mark, fragment = match["target"].partition("#")
            path = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), target))
            if not target or urlsplit(target).scheme or path not in self.urls:
                return match[0]
            return f'href="{href(path)}{hash_mark}{fragment}"'

        return _HREF.sub(page_link, html)


def _settings(config: MkDocsConfig) -> KbgenConfig:
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is not None:
        return plugin.config
    settings = KbgenConfig()
    settings.load_dict({})
    settings.validate()
    return settings


def _checked_corpus(project: Project, config_file: Path) -> Corpus:
    """The content, checked as the plugin checks it: warnings logged, errors logged and the last raised."""
    load_cache = read_load_cache(project.cache_path(CACHE_FILE))
    corpus, problems = check_tree(project.docs_dir, cache=load_cache, cache_dir=project.cache_dir)
    if load_cache.changed:  # the next stage (kbgen serve stages again on every edit) parses only the files that changed
        write_load_cache(project.cache_path(CACHE_FILE), load_cache)
    shown_root = os.path.relpath(project.docs_dir)
    errors = [problem for problem in problems if problem.is_error]
    for problem in problems:
        if not problem.is_error:
            log.warning(f"{shown_root}/{problem.format()}")
    for problem in errors[:-1]:
        log.error(f"{shown_root}/{problem.format()}")
    if errors:
        last = errors[-1]
        raise KbgenError(f"{shown_root}/{last.path}", last.message, last.line, last.column, hint=last.hint or f"{len(errors)} content error(s): kbgen check lists them")
    return corpus


def _feedback_target(settings: KbgenConfig, config_file: Path) -> FeedbackTarget:
    try:
        if settings.contact.enabled:
            ContactTarget.parse(settings.contact.target, settings.contact.encoding)
        return FeedbackTarget.parse(settings.feedback.target)
    except ValueError as error:
        raise KbgenError(str(config_file), f"kbgen plugin: {error}") from None


def _article_markdown(page_html: str, answer: str) -> str:
    """An article page: kbgen's HTML around the team's answer, which stays Markdown (md_in_html reads it inside its wrapper)."""
    before, _, after = page_html.partition(ANSWER_MARK)
    wrapper = _OPENING_TAG.search(before)
    if wrapper is not None:  # <div class="kb-answer-body"> → <div class="kb-answer-body" markdown="1">
        before = before[: wrapper.start()] + f'<{wrapper["tag"]}{wrapper["attributes"]} markdown="1">'
    return f"{before}\n\n{answer.strip()}\n\n{after.lstrip()}"


def _page(meta: dict[str, Any], body: str) -> str:
    plain = {key: str(value) if isinstance(value, str) else value for key, value in meta.items()}  # Markup is a str YAML cannot write
    return f"---\n{_yaml(plain)}---\n\n{body}\n"


def _yaml(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's when PyYAML has it: ten times faster on thousands of pages
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=2**31 - 1)


def _copy_files(files: Files, docs: Path, contents: dict[str, str]) -> tuple[str, ...]:
    """Write ``contents`` and the generated files, link the others from the docs folder; the source paths of the pages."""
    for file in sorted(files, key=lambda file: file.src_uri):
        target = docs / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.src_uri in contents:
            target.write_text(contents[file.src_uri], encoding="utf-8")
        elif file.abs_src_path is None:
            target.write_bytes(file.content_bytes)
        else:
            try:
                os.link(file.abs_src_path, target)  # the team's files as they are: a link costs nothing
            except OSError:
                shutil.copyfile(file.abs_src_path, target)
    return tuple(sorted(file.src_uri for file in files.documentation_pages()))


def _navigation(help_center: HelpCenter, generated: set[str], plain_pages: list[str]) -> list[Any]:
    """The bounded navigation of kbgen.site.navigation, as mkdocs.yml's ``nav``: Home, topics, community, tags, plain pages."""
    titles = help_center.titles  # in the site's language
    nav: list[Any] = [{titles.home: HOME_URI}]
    topics = [{listing.category.title: listing.src_uri} for listing in help_center.categories if listing.src_uri in generated]
    if topics:
        nav.append({titles.help_topics: topics})
    community = [
        {community_filter.title: community_filter.src_uri}
        for community_filter in help_center.community if community_filter.src_uri in generated
    ]
    if community:
        nav.append({titles.community: community})
    if listing_uri("tags") in generated:
        nav.append({titles.tags: listing_uri("tags")})
    return nav + plain_pages


def _loop_extra(loop: LoopSettings) -> dict[str, Any]:
    """The widgets' settings as the theme reads them: their fields, and ``script`` for ``script_config()`` (no method calls from YAML).

    ``index`` tells search-page.js that the search index is Zensical's (``search.json``), not Material's.
    """
    return {**asdict(loop), "script": {**loop.script_config(), "index": ENGINE_SEARCH_INDEX}}


def _write_config(config_file: Path, config: MkDocsConfig, root: Path, pages: tuple[str, ...], *, nav: list[Any] | None, extra: dict[str, Any]) -> StagedSite:
    """kbgen's theme with the team's ``custom_dir`` over it, and an mkdocs.yml that inherits the team's."""
    theme = root / STAGE_THEME
    shutil.copytree(theme_dir(), theme, dirs_exist_ok=True)
    custom_dir = config.theme.custom_dir
    if custom_dir and Path(custom_dir).resolve() != theme_dir().resolve():
        shutil.copytree(custom_dir, theme, dirs_exist_ok=True)
    main = theme / MAIN_TEMPLATE
    if main.is_file():
        main.write_text(THEME_ADAPTER + main.read_text(encoding="utf-8"), encoding="utf-8")
    staged: dict[str, Any] = {
        "INHERIT": str(config_file),  # the team's settings, read by the engine itself
        "docs_dir": STAGE_DOCS,
        "site_dir": STAGE_SITE,
        "theme": {"custom_dir": STAGE_THEME},
    }
    if "md_in_html" not in config.markdown_extensions:
        staged["markdown_extensions"] = ["md_in_html"]  # the engine reads an article's answer inside kbgen's HTML
    if extra:
        staged["extra"] = extra
    if nav is not None:
        staged["nav"] = nav
    staged_config = root / STAGE_CONFIG
    staged_config.write_text(_yaml(staged), encoding="utf-8")
    return StagedSite(root, staged_config, root / STAGE_DOCS, root / STAGE_SITE, pages)
