"""The content HTML of generated pages: home, category, tag, tag index and community listings."""

from __future__ import annotations

from collections.abc import Mapping

from kbgen.model import Article, Thread
from kbgen.site.render.html import Href, link, plural, text
from kbgen.site.render.parts import entries_html, pagination_html
from kbgen.site.structure.help_center import (
    CategoryListing,
    CommunityFilter,
    GeneratedPage,
    HelpCenter,
    TagListing,
)
from kbgen.site.structure.listing import ListingPage

HOME_RECENT_THREADS = 5
SEARCH_INPUT_ID = "kb-hero-query"


def _range_note(listing: ListingPage | None) -> str:
    if listing is None or listing.page_count < 2:
        return ""
    first = listing.offset + 1
    last = listing.offset + len(listing.entries)
    return f'<p class="kb-listing-range">Showing {first}–{last} of {listing.entry_count} · page {listing.number} of {listing.page_count}</p>'


def _header(title: str, description: str, counts: str, icon: str = "") -> str:
    icon_html = f'<span class="kb-listing-header__icon" aria-hidden="true">{icon}</span>' if icon else ""
    description_html = f'<p class="kb-listing-header__description">{text(description)}</p>' if description else ""
    counts_html = f'<p class="kb-listing-header__counts">{counts}</p>' if counts else ""
    return f'<header class="kb-listing-header">{icon_html}<div><h1 id="kb-title">{text(title)}</h1>{description_html}{counts_html}</div></header>'


def _grouped_entries(listing: ListingPage, href: Href, help_center: HelpCenter, show_category: bool) -> str:
    """A page of a mixed listing: its articles under "Articles", its threads under "Community discussions"."""
    articles = [entry for entry in listing.entries if isinstance(entry, Article)]
    threads = [entry for entry in listing.entries if isinstance(entry, Thread)]
    parts = []
    if articles:
        parts.append(f'<h2 id="articles">Articles</h2>{entries_html(articles, href, help_center, show_category)}')
    if threads:
        parts.append(f'<h2 id="community">Community discussions</h2>{entries_html(threads, href, help_center, show_category)}')
    return "".join(parts) or '<p class="kb-empty">Nothing here yet.</p>'


def _counts(articles: int, threads: int) -> str:
    return f"{plural(articles, 'article')} · {plural(threads, 'community discussion')}"


def category_html(page: GeneratedPage, href: Href, help_center: HelpCenter, icons: Mapping[str, str]) -> str:
    listing = page.subject
    assert isinstance(listing, CategoryListing) and page.listing is not None
    category = listing.category
    return (
        _header(category.title, category.description, _counts(len(listing.articles), len(listing.threads)), icons.get(category.slug, ""))
        + _range_note(page.listing)
        + _grouped_entries(page.listing, href, help_center, show_category=False)
        + pagination_html(page.listing, href)
    )


def tag_html(page: GeneratedPage, href: Href, help_center: HelpCenter) -> str:
    tag = page.subject
    assert isinstance(tag, TagListing) and page.listing is not None
    return (
        _header(page.title, "", _counts(len(tag.articles), len(tag.threads)))
        + _range_note(page.listing)
        + _grouped_entries(page.listing, href, help_center, show_category=True)
        + pagination_html(page.listing, href)
    )


def tags_index_html(page: GeneratedPage, href: Href) -> str:
    assert page.listing is not None
    chips = "".join(
        f'<li><a class="kb-tag kb-tag--large" href="{text(href(tag.src_uri))}">{text(tag.name)}'
        f' <span class="kb-tag__count" aria-label="{text(plural(tag.count, "page"))}">{tag.count}</span></a></li>'
        for tag in page.listing.entries
    )
    body = f'<ul class="kb-tag-cloud">{chips}</ul>' if chips else '<p class="kb-empty">No tags yet.</p>'
    return _header(page.title, page.description, plural(page.listing.entry_count, "tag")) + _range_note(page.listing) + body + pagination_html(page.listing, href)


def _community_tabs(current: CommunityFilter, help_center: HelpCenter, href: Href) -> str:
    tabs = []
    for community_filter in help_center.community:
        label = f"{community_filter.title} ({len(community_filter.threads)})"
        if community_filter is current:
            tabs.append(f'<li><a class="kb-filter kb-filter--current" href="{text(href(community_filter.src_uri))}" aria-current="page">{text(label)}</a></li>')
        else:
            tabs.append(f"<li>{link(href(community_filter.src_uri), label, 'kb-filter')}</li>")
    return f'<nav class="kb-filters" aria-label="Filter discussions"><ul class="kb-filters__list">{"".join(tabs)}</ul></nav>'


def community_html(page: GeneratedPage, href: Href, help_center: HelpCenter) -> str:
    community_filter = page.subject
    assert isinstance(community_filter, CommunityFilter) and page.listing is not None
    entries = entries_html(page.listing.entries, href, help_center, show_category=True) or '<p class="kb-empty">No discussions here yet.</p>'
    counts = plural(len(help_center.community[0].threads), "discussion")
    return (
        _header(page.title, community_filter.description, counts)
        + _community_tabs(community_filter, help_center, href)
        + _range_note(page.listing)
        + entries
        + pagination_html(page.listing, href)
    )


def home_html(help_center: HelpCenter, href: Href, icons: Mapping[str, str], site_name: str) -> str:
    articles = sum(len(listing.articles) for listing in help_center.categories)
    threads = len(help_center.community[0].threads)
    hero = (
        '<section class="kb-hero" aria-labelledby="kb-title">'
        '<h1 class="kb-hero__title" id="kb-title">How can we help?</h1>'
        f'<p class="kb-hero__lead">Search {plural(articles, "answer")} and {plural(threads, "community discussion")}, or pick a topic below.</p>'
        f'<form class="kb-hero__search" role="search" aria-label="Search the help center" action="{text(href("index.md"))}" method="get" data-kb-search>'
        f'<label class="kb-visually-hidden" for="{SEARCH_INPUT_ID}">Search {text(site_name)}</label>'
        f'<input class="kb-hero__input" id="{SEARCH_INPUT_ID}" type="search" name="q" autocomplete="off" spellcheck="false"'
        ' placeholder="Search, e.g. “I forgot my password”">'
        '<button class="kb-hero__button" type="submit">Search</button></form></section>'
    )
    sections = [hero]
    if help_center.top_questions:
        items = "".join(f"<li>{link(href(article.path), article.title)}</li>" for article in help_center.top_questions)
        sections.append(f'<section class="kb-section" aria-labelledby="kb-top-questions"><h2 id="kb-top-questions">Top questions</h2><ol class="kb-top-questions">{items}</ol></section>')
    cards = []
    for listing in help_center.categories:
        category = listing.category
        icon = icons.get(category.slug, "")
        cards.append(
            '<li class="kb-card">'
            + (f'<span class="kb-card__icon" aria-hidden="true">{icon}</span>' if icon else "")
            + f'<h3 class="kb-card__title">{link(href(listing.src_uri), category.title, "kb-card__link")}</h3>'
            + (f'<p class="kb-card__description">{text(category.description)}</p>' if category.description else "")
            + f'<p class="kb-card__counts">{_counts(len(listing.articles), len(listing.threads))}</p></li>'
        )
    if cards:
        sections.append(f'<section class="kb-section" aria-labelledby="kb-topics"><h2 id="kb-topics">Browse by topic</h2><ul class="kb-cards">{"".join(cards)}</ul></section>')
    recent = help_center.community[0]
    if recent.threads:
        sections.append(
            '<section class="kb-section" aria-labelledby="kb-from-community"><h2 id="kb-from-community">From the community</h2>'
            + entries_html(recent.threads[:HOME_RECENT_THREADS], href, help_center, show_category=True)
            + f'<p class="kb-more">{link(href(recent.src_uri), "See all community discussions →", "kb-button")}</p></section>'
        )
    return "\n".join(sections)
