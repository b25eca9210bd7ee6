"""The search results page (``search/?q=``) and what ends every article and thread page.

The results page is a generated ``search.md``; search-page.js asks Material's own search worker,
so its ranking is the header search's. ``PageEnding`` is what the theme's ``kb-page-end.html``
needs to ask "Was this helpful?" and to link "Still need help?" to the contact page.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from html import escape
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from kbgen.load import COMMUNITY_DIR, FAQ_DIR
from kbgen.model import Article, Document
from kbgen.site.contact import markdown_text
from kbgen.site.i18n import Translations
from kbgen.site.render.templates import default_templates

log = logging.getLogger(__name__)

SEARCH_PAGE = "search.md"


@dataclass(frozen=True)
class LoopSettings:
    """Site-wide settings of the widgets (``kbgen_loop`` in the templates): URLs are relative to the site root."""

    target_kind: str  # off | post | analytics
    target: str
    votes: bool
    searches: bool
    search_url: str  # "" without a search page
    contact_url: str  # "" without a contact page

    def script_config(self) -> dict[str, Any]:
        return {
            "kind": self.target_kind, "target": self.target, "votes": self.votes and self.target_kind != "off",
            "searches": self.searches and self.target_kind != "off",
        }


@dataclass(frozen=True)
class PageEnding:
    """The page an article's or thread's ending is about."""

    kind: str  # article | thread
    url: str  # relative to the site root
    title: str
    category: str


def page_ending(document: Document, url: str) -> PageEnding:
    return PageEnding("article" if isinstance(document, Article) else "thread", url, document.title, document.category)


def search_page_markdown(contact_href: str, records_searches: bool, translations: Translations | None = None) -> str:
    """The results page: a search form, the results list that search-page.js fills in, and a way to support."""
    tr = translations or default_templates().translations  # the build's language
    t = tr.text
    note = f'<p class="kb-field__hint">{t("search_page.recorded")}</p>' if records_searches else ""
    help_link = (
        f'<section class="kb-still" id="kb-search-help" aria-labelledby="kb-search-help-title" hidden>'
        f'<h2 id="kb-search-help-title">{t("search_page.help_title")}</h2><p>{t("search_page.help_text")}</p>'
        f'<a class="md-button" id="kb-search-help-link" href="{escape(contact_href, quote=True)}">{t("search_page.help_link")}</a></section>'
        if contact_href else ""
    )
    html = f"""\
<div id="kb-search-page" class="kb-search-page" data-articles="{FAQ_DIR}/" data-threads="{COMMUNITY_DIR}/">
<form class="kb-search-page__form" role="search" aria-label="{t("search_page.form_label")}" method="get" action="./">
<label class="kb-field__label" for="kb-search-page-query">{t("search_page.field")}</label>
<div class="kb-search-page__row">
<input id="kb-search-page-query" class="kb-search-page__input" type="search" name="q" autocomplete="off" spellcheck="false" aria-controls="kb-search-page-results">
<button class="md-button md-button--primary" type="submit">{t("search_page.button")}</button>
</div>
{note}
</form>
<noscript><p>{t("search_page.noscript")}</p></noscript>
<p class="kb-search-page__status" id="kb-search-page-status" role="status" aria-live="polite"></p>
<ol class="kb-search-results" id="kb-search-page-results" aria-label="{t("search_page.results")}"></ol>
<button type="button" class="md-button" id="kb-search-page-more" hidden>{t("search_page.more")}</button>
{help_link}
</div>"""
    title = json.dumps(tr.plain("search_page.title"), ensure_ascii=False)
    front_matter = f"---\ntitle: {title}\nkbgen_page: search\nhide: [navigation, toc]\nsearch:\n  exclude: true\n---\n"
    return f"{front_matter}# {markdown_text(tr.plain('search_page.heading'))}\n\n{html}\n"


def add_search_page(files: Files, config: MkDocsConfig, contact_uri: str | None, records_searches: bool, *, links_from: str | None = None,
                    translations: Translations | None = None) -> File | None:
    """Add the generated results page (unless the site has its own ``search.md``); returns its file.

    Its link to the contact page is relative to the page's URL, or to ``links_from`` (an engine that
    resolves links in a page from its source folder, as Zensical does).
    """
    existing = files.get_file_from_path(SEARCH_PAGE)
    if existing is not None:
        log.info("kbgen: %s exists in the docs folder; the generated search results page is not added", SEARCH_PAGE)
        return None
    placeholder = File.generated(config, SEARCH_PAGE, content="")
    contact = files.get_file_from_path(contact_uri) if contact_uri else None
    contact_href = get_relative_url(contact.url, placeholder.url if links_from is None else links_from) if contact is not None else ""
    file = File.generated(config, SEARCH_PAGE, content=search_page_markdown(contact_href, records_searches, translations), inclusion=InclusionLevel.NOT_IN_NAV)
    files.append(file)
    return file
