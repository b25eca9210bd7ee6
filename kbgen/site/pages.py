"""What every page kbgen makes needs, whichever engine builds it: links between pages, page metadata,
category icons, the generated pages' HTML, and the contact and search pages with the widgets' settings.

The MkDocs plugin and the engine-neutral site stage (kbgen.site.stage) both call these, so both
engines get the same pages.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Callable, Collection, Mapping
from html import escape
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from kbgen.load import CATEGORIES_FILE
from kbgen.model import Corpus, Document
from kbgen.site.contact import CONTACT_PAGE, FeedbackTarget, add_contact_files
from kbgen.site.i18n import Translations
from kbgen.site.render.html import Href
from kbgen.site.render.listings import category_html, community_html, home_html, tag_html, tags_index_html
from kbgen.site.render.templates import SiteTemplates
from kbgen.site.search_page import SEARCH_PAGE, LoopSettings, add_search_page
from kbgen.site.structure.help_center import HOME_URI, GeneratedPage, HelpCenter
from kbgen.site.theme import icon_svg

log = logging.getLogger(__name__)

DESCRIPTION_LENGTH = 160


def published_files(files: Files, corpus: Corpus, *, show_drafts: bool) -> dict[str, File]:
    """Take ``categories.yml``, rejected drafts and (unless shown) draft articles out of ``files``; the files left, by source path."""
    categories_file = files.get_file_from_path(CATEGORIES_FILE)
    if categories_file is not None:
        files.remove(categories_file)
    by_uri = {file.src_uri: file for file in files}  # Files normalises every path it is asked for: look up once
    for article in (*corpus.articles, *corpus.rejected):
        file = by_uri.get(article.path)
        if (article.status == "rejected" or (article.is_draft and not show_drafts)) and file is not None:
            files.remove(file)
            del by_uri[article.path]
    return by_uri


def add_generated_files(files: Files, present: Collection[str], help_center: HelpCenter, new_file: Callable[[str], File]) -> dict[str, GeneratedPage]:
    """Add a file (``new_file(src_uri)``) for each page kbgen generates, except where the content already has that path."""
    generated = {}
    for src_uri, page in help_center.pages.items():
        if src_uri in present:
            (log.info if src_uri == HOME_URI else log.warning)(f"kbgen: {src_uri} exists in the content, so kbgen does not generate its {page.kind} page there")
            continue
        files.append(new_file(src_uri))
        generated[src_uri] = page
    return generated


def page_href(url_of: Callable[[str], str], here: str) -> Href:
    """Links from the page at URL ``here`` to the pages built from source paths (``url_of`` gives their site URLs)."""

    def href(src_uri: str) -> str:
        target = url_of(src_uri)
        relative = get_relative_url(target, here)
        return relative + "/" if (target == "" or target.endswith("/")) and not relative.endswith("/") else relative

    return href


def source_folder(src_uri: str) -> str:
    """The URL of the folder of a page's source file: where an engine that resolves a page's links like Markdown links (Zensical) starts from."""
    folder = posixpath.dirname(src_uri)
    return f"{folder}/" if folder else ""


def page_meta(title: str | None, description: str, *, search: dict[str, Any] | None = None, hide: tuple[str, ...] = ()) -> dict[str, Any]:
    """Page metadata for the theme. Material prints ``title`` and ``description`` unescaped, so they are escaped here.

    The title is ``Markup``: printed as is where Material prints it raw, and not escaped twice
    where it applies ``| e`` (the footer's prev/next labels).
    """
    meta: dict[str, Any] = {}
    if title is not None:
        meta["title"] = Markup(escape(title))
    if description:
        meta["description"] = escape(shorten(description, DESCRIPTION_LENGTH))
    if search:
        meta["search"] = search
    if hide:
        meta["hide"] = list(hide)
    return meta


def listing_meta(generated: GeneratedPage) -> dict[str, Any]:
    """A generated page's metadata, on both engines: listings stay out of the search (it finds the articles and threads instead)."""
    home = generated.kind == "home"
    return page_meta(None if home else numbered_title(generated), generated.description, search={"exclude": True}, hide=("navigation", "toc") if home else ("toc",))


def numbered_title(generated: GeneratedPage) -> str:
    """A listing page's title, with its number after the first page."""
    return generated.page_title or generated.title  # the numbered title comes with the page, in the site's language


def shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def category_icons(corpus: Corpus, theme_dirs: list[str]) -> dict[str, str]:
    """The inline SVG of every category's icon that the theme has, by category slug (others are warned about)."""
    icons = {}
    for category in corpus.categories.values():
        if not category.icon:
            continue
        svg = icon_svg(category.icon, theme_dirs)
        if svg:
            icons[category.slug] = svg
        else:
            log.warning(f"kbgen: {CATEGORIES_FILE}: icon '{category.icon}' of category '{category.slug}' is not a theme icon; the card shows none")
    return icons


def generated_html(
    generated: GeneratedPage, help_center: HelpCenter, href: Href, icons: Mapping[str, str], site_name: str, templates: SiteTemplates | None = None,
) -> str:
    """The content of a generated page (home, category, tag, tag index, community listing)."""
    if generated.kind == "home":
        return home_html(help_center, href, icons, site_name, templates)
    if generated.kind == "category":
        return category_html(generated, href, help_center, icons, templates)
    if generated.kind == "tag":
        return tag_html(generated, href, help_center, templates)
    if generated.kind == "tags":
        return tags_index_html(generated, href, templates)
    return community_html(generated, href, help_center, templates)


def add_loop_pages(
    files: Files, corpus: Corpus, config: MkDocsConfig, settings: Any, feedback_target: FeedbackTarget,
    summary_of: Callable[[Document], str], *, links_from_source: bool = False, translations: Translations | None = None,
) -> LoopSettings:
    """Add the contact page, the search results page and their data to ``files``; the settings of the widgets that link and report to them.

    ``settings`` is the plugin's config (kbgen.site.config.KbgenConfig). With ``links_from_source``,
    the pages link to each other from their source folder (kbgen.site.stage), else from their URL.
    """
    feedback = settings.feedback
    records_searches = feedback_target.kind != "off" and feedback.searches
    search_url = File.generated(config, SEARCH_PAGE, content="").url if settings.search_page else ""
    contact_url = File.generated(config, CONTACT_PAGE, content="").url if settings.contact.enabled else ""
    add_contact_files(
        files, corpus, config, settings.contact, summary_of, records_searches=records_searches,
        search_url=get_relative_url(search_url, source_folder(CONTACT_PAGE) if links_from_source else contact_url) if search_url and contact_url else "",
        translations=translations,
    )
    links_from = source_folder(SEARCH_PAGE) if links_from_source else None
    if search_url and add_search_page(files, config, CONTACT_PAGE if contact_url else None, records_searches, links_from=links_from, translations=translations) is None:
        search_url = files.get_file_from_path(SEARCH_PAGE).url
    return LoopSettings(
        feedback_target.kind, feedback_target.address, feedback.votes, feedback.searches, search_url,
        contact_url if settings.still_need_help else "",
    )
