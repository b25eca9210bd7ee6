"""Pieces several pages share: breadcrumbs, related links, pagination, tag chips, badges, listing entries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from kbgen.model import Article, Document, Thread
from kbgen.site.render.html import Href, link, plural, text, time_element
from kbgen.site.structure.help_center import Crumb, HelpCenter, last_activity
from kbgen.site.structure.listing import ListingPage, listing_uri

PAGINATION_SPREAD = 2  # page links shown on each side of the current page


class RelatedLinkLike(Protocol):
    path: str
    title: str


class RelatedLike(Protocol):
    """What kbgen.link's ``Related`` offers: related articles and threads, best first."""

    articles: Sequence[RelatedLinkLike]
    threads: Sequence[RelatedLinkLike]


def breadcrumbs_html(trail: Sequence[Crumb], href: Href) -> str:
    """Home › Category › Page; the last crumb is the current page (not a link)."""
    if len(trail) < 2:
        return ""
    items = [f'<li class="kb-breadcrumbs__item">{link(href(crumb.src_uri), crumb.title)}</li>' for crumb in trail[:-1]]
    items.append(f'<li class="kb-breadcrumbs__item" aria-current="page">{text(trail[-1].title)}</li>')
    return f'<nav class="kb-breadcrumbs" aria-label="Breadcrumb"><ol class="kb-breadcrumbs__list">{"".join(items)}</ol></nav>'


def related_html(related: RelatedLike | None, href: Href, known: set[str] | frozenset[str]) -> str:
    """"Related articles" and "Community discussions" boxes; links to pages not in the site are left out."""
    if related is None:
        return ""
    groups = []
    for key, title, links in (("articles", "Related articles", related.articles), ("threads", "Community discussions", related.threads)):
        items = [f"<li>{link(href(item.path), item.title)}</li>" for item in links if item.path in known]
        if items:
            groups.append(
                f'<section class="kb-related__group" aria-labelledby="kb-related-{key}">'
                f'<h2 class="kb-related__title" id="kb-related-{key}">{title}</h2><ul class="kb-related__list">{"".join(items)}</ul></section>'
            )
    return f'<div class="kb-related">{"".join(groups)}</div>' if groups else ""


def pagination_html(listing: ListingPage | None, href: Href) -> str:
    """Previous / 1 … 4 5 [6] 7 8 … 20 / Next: a bounded number of links whatever the page count."""
    if listing is None or listing.page_count < 2:
        return ""
    base, current, last = listing.base, listing.number, listing.page_count
    shown = sorted({1, last, *range(max(1, current - PAGINATION_SPREAD), min(last, current + PAGINATION_SPREAD) + 1)})
    items, previous_number = [], 0
    if current > 1:
        items.append(f'<li>{link(href(listing_uri(base, current - 1)), "← Previous", "kb-pagination__step", rel="prev")}</li>')
    for number in shown:
        if number > previous_number + 1:
            items.append('<li class="kb-pagination__gap" aria-hidden="true">…</li>')
        if number == current:
            items.append(f'<li><span class="kb-pagination__current" aria-current="page">{number}</span></li>')
        else:
            items.append(f'<li>{link(href(listing_uri(base, number)), str(number), "kb-pagination__page", aria_label=f"Page {number}")}</li>')
        previous_number = number
    if current < last:
        items.append(f'<li>{link(href(listing_uri(base, current + 1)), "Next →", "kb-pagination__step", rel="next")}</li>')
    return f'<nav class="kb-pagination" aria-label="Pages"><ul class="kb-pagination__list">{"".join(items)}</ul></nav>'


def tags_html(tags: Iterable[str], help_center: HelpCenter, href: Href) -> str:
    chips = []
    for tag in tags:
        target = help_center.tag_uri(tag)
        chips.append(link(href(target), tag, "kb-tag") if target else f'<span class="kb-tag">{text(tag)}</span>')
    return f'<span class="kb-tags">{"".join(chips)}</span>' if chips else ""


def badge(label: str, variant: str = "") -> str:
    modifier = f" kb-badge--{variant}" if variant else ""
    return f'<span class="kb-badge{modifier}">{text(label)}</span>'


def thread_status_badge(thread: Thread) -> str:
    if thread.solved:
        return badge("Solved", "solved")
    return badge("Unanswered", "open") if not thread.answers else badge("Open", "open")


def entry_html(document: Document, href: Href, help_center: HelpCenter, show_category: bool = False) -> str:
    """One item of a listing: title link, the article's summary, and a line of facts."""
    facts: list[str] = []
    if show_category:
        listing = help_center.category(document.category)
        if listing is not None:
            facts.append(text(listing.category.title))
    summary = ""
    if isinstance(document, Article):
        kind = "article"
        if document.is_draft:
            facts.insert(0, badge("Draft", "draft"))
        if document.updated:
            facts.append(f"Updated {time_element(document.updated)}")
        if document.summary:
            summary = f'<p class="kb-entry__summary">{text(document.summary)}</p>'
    else:
        assert isinstance(document, Thread)
        kind = "thread"
        facts.insert(0, thread_status_badge(document))
        facts.append(plural(len(document.answers), "answer"))
        facts.append(plural(document.votes, "vote"))
        facts.append(f"Active {time_element(last_activity(document))}")
    return (
        f'<li class="kb-entry kb-entry--{kind}">{link(href(document.path), document.title, "kb-entry__title")}'
        f'{summary}<p class="kb-entry__meta">{" · ".join(facts)}</p></li>'
    )


def entries_html(documents: Iterable[Document], href: Href, help_center: HelpCenter, show_category: bool = False) -> str:
    items = "".join(entry_html(document, href, help_center, show_category) for document in documents)
    return f'<ul class="kb-entries">{items}</ul>' if items else ""
