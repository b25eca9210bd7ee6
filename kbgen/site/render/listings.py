"""The content HTML of generated pages: home, category, tag, tag index and community listings.

The markup is in the theme's templates (kbgen/home.html, kbgen/category.html, kbgen/tag.html,
kbgen/tags.html, kbgen/community.html and their partials); this module gathers what each needs.
"""

from __future__ import annotations

from collections.abc import Mapping

from kbgen.site.render.html import Href
from kbgen.site.render.parts import pagination_html
from kbgen.site.render.templates import SiteTemplates, default_templates, safe
from kbgen.site.structure.help_center import CategoryListing, CommunityFilter, GeneratedPage, HelpCenter, TagListing

HOME_RECENT_THREADS = 5
SEARCH_INPUT_ID = "kb-hero-query"


def _counts(templates: SiteTemplates, articles: int, threads: int) -> str:
    translations = templates.translations
    return translations.plural("count.article", articles) + " · " + translations.plural("count.community_discussion", threads)


def category_html(page: GeneratedPage, href: Href, help_center: HelpCenter, icons: Mapping[str, str], templates: SiteTemplates | None = None) -> str:
    templates = templates or default_templates()
    listing = page.subject
    assert isinstance(listing, CategoryListing) and page.listing is not None
    category = listing.category
    return templates.render(
        "kbgen/category.html", page=page, category=category, listing=page.listing, href=href, help_center=help_center,
        counts=_counts(templates, len(listing.articles), len(listing.threads)), icon=safe(icons.get(category.slug, "")),
        pagination=safe(pagination_html(page.listing, href, templates)),
    )


def tag_html(page: GeneratedPage, href: Href, help_center: HelpCenter, templates: SiteTemplates | None = None) -> str:
    templates = templates or default_templates()
    tag = page.subject
    assert isinstance(tag, TagListing) and page.listing is not None
    return templates.render(
        "kbgen/tag.html", page=page, tag=tag, listing=page.listing, href=href, help_center=help_center,
        counts=_counts(templates, len(tag.articles), len(tag.threads)), pagination=safe(pagination_html(page.listing, href, templates)),
    )


def tags_index_html(page: GeneratedPage, href: Href, templates: SiteTemplates | None = None) -> str:
    templates = templates or default_templates()
    assert page.listing is not None
    return templates.render(
        "kbgen/tags.html", page=page, listing=page.listing, href=href, pagination=safe(pagination_html(page.listing, href, templates)),
    )


def community_html(page: GeneratedPage, href: Href, help_center: HelpCenter, templates: SiteTemplates | None = None) -> str:
    templates = templates or default_templates()
    community_filter = page.subject
    assert isinstance(community_filter, CommunityFilter) and page.listing is not None
    return templates.render(
        "kbgen/community.html", page=page, filter=community_filter, listing=page.listing, href=href, help_center=help_center,
        pagination=safe(pagination_html(page.listing, href, templates)),
    )


def home_html(help_center: HelpCenter, href: Href, icons: Mapping[str, str], site_name: str, templates: SiteTemplates | None = None) -> str:
    return (templates or default_templates()).render(
        "kbgen/home.html", help_center=help_center, href=href, icons={slug: safe(svg) for slug, svg in icons.items()}, site_name=site_name,
        article_count=sum(len(listing.articles) for listing in help_center.categories), thread_count=len(help_center.community[0].threads),
        recent_count=HOME_RECENT_THREADS,
    )
