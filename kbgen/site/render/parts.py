"""Pieces several pages share: breadcrumbs, related links, pagination, listing entries (templates in theme/kbgen/partials/)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Protocol

from kbgen.model import Document
from kbgen.site.render.html import Href
from kbgen.site.render.templates import SiteTemplates, default_templates
from kbgen.site.structure.help_center import Crumb, HelpCenter
from kbgen.site.structure.listing import ListingPage, listing_uri

PAGINATION_SPREAD = 2  # page links shown on each side of the current page


class RelatedLinkLike(Protocol):
    path: str
    title: str


class RelatedLike(Protocol):
    """What kbgen.link's ``Related`` offers: related articles and threads, best first."""

    articles: Sequence[RelatedLinkLike]
    threads: Sequence[RelatedLinkLike]


def breadcrumbs_html(trail: Sequence[Crumb], href: Href, templates: SiteTemplates | None = None) -> str:
    """Home › Category › Page; the last crumb is the current page (not a link). Template: kbgen/partials/breadcrumbs.html."""
    if len(trail) < 2:
        return ""
    return (templates or default_templates()).render("kbgen/partials/breadcrumbs.html", trail=trail, href=href)


def related_html(related: RelatedLike | None, href: Href, known: Collection[str], templates: SiteTemplates | None = None) -> str:
    """"Related articles" and "Community discussions" boxes; links to pages not in the site are left out.

    Template: kbgen/partials/related.html.
    """
    if related is None:
        return ""
    groups = [(key, shown) for key, links in (("articles", related.articles), ("threads", related.threads)) if (shown := [item for item in links if item.path in known])]
    if not groups:
        return ""
    return (templates or default_templates()).render("kbgen/partials/related.html", groups=groups, href=href)


def pagination_html(listing: ListingPage | None, href: Href, templates: SiteTemplates | None = None) -> str:
    """Previous / 1 … 4 5 [6] 7 8 … 20 / Next: a bounded number of links whatever the page count.

    Template: kbgen/partials/pagination.html.
    """
    if listing is None or listing.page_count < 2:
        return ""
    base, current, last = listing.base, listing.number, listing.page_count
    shown = sorted({1, last, *range(max(1, current - PAGINATION_SPREAD), min(last, current + PAGINATION_SPREAD) + 1)})
    pages: list[tuple[int | None, str]] = []
    previous_number = 0
    for number in shown:
        if number > previous_number + 1:
            pages.append((None, ""))
        pages.append((number, listing_uri(base, number)))
        previous_number = number
    return (templates or default_templates()).render(
        "kbgen/partials/pagination.html", href=href, pages=pages, current=current,
        previous=listing_uri(base, current - 1) if current > 1 else "", next=listing_uri(base, current + 1) if current < last else "",
    )


def entries_html(documents: Iterable[Document], href: Href, help_center: HelpCenter, show_category: bool = False,
                 templates: SiteTemplates | None = None) -> str:
    """A listing of articles and threads (title, an article's summary, a line of facts). Template: kbgen/partials/entries.html."""
    documents = list(documents)
    if not documents:
        return ""
    return (templates or default_templates()).render(
        "kbgen/partials/entries.html", documents=documents, href=href, help_center=help_center, show_category=show_category,
    )
