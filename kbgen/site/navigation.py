"""A bounded MkDocs navigation: Home, Help topics (one entry per category), Community, Tags, plain pages.

Articles and threads are not in the navigation: they are reached through their category page,
breadcrumbs and prev/next, so a page's HTML does not grow with the number of pages. Every page
still gets its prev/next within its category (or listing) and a nav entry to highlight.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from kbgen.site.structure.help_center import COMMUNITY_BASE, HOME_URI, HelpCenter
from kbgen.site.structure.listing import listing_uri


def _page(files: Files, src_uri: str, title: str | None = None) -> Page | None:
    file = files.get_file_from_path(src_uri)
    if file is None or file.page is None:
        return None
    if title is not None:
        file.page.title = Markup(escape(title))  # the nav label, printed by Material as HTML; <title> comes from meta
    return file.page


def build_navigation(help_center: HelpCenter, files: Files, plain_pages: list[str]) -> Navigation:
    """The site navigation, from pages that already exist as ``file.page`` (MkDocs made them)."""
    for file in files.documentation_pages():
        if file.page is not None:
            file.page.parent = None
            file.page.previous_page = file.page.next_page = None
    items: list = []
    home = _page(files, HOME_URI)
    if home is not None:
        items.append(home)
    topics = [page for listing in help_center.categories if (page := _page(files, listing.src_uri, listing.category.title))]
    if topics:
        items.append(Section(help_center.titles.help_topics, topics))
    community = [
        page for community_filter in help_center.community
        if (page := _page(files, community_filter.src_uri, community_filter.title))
    ]
    if community:
        items.append(Section(help_center.titles.community, community))
    tags = _page(files, listing_uri("tags"), help_center.titles.tags)
    if tags is not None:
        items.append(tags)
    items += [page for src_uri in plain_pages if (page := _page(files, src_uri))]
    pages: list[Page] = []
    for item in items:
        if isinstance(item, Section):
            for child in item.children:
                child.parent = item
            pages += item.children
        else:
            pages.append(item)
    link_neighbours(help_center, files)
    return Navigation(items, pages)


def link_neighbours(help_center: HelpCenter, files: Files) -> None:
    """Prev/next within a category (articles, then threads) and between pages of a listing."""
    pages = {file.src_uri: file.page for file in files.documentation_pages()}  # one lookup table: Files normalises every path it is asked for
    for src_uri, neighbours in help_center.neighbours.items():
        page = pages.get(src_uri)
        if page is None:
            continue
        page.previous_page = pages.get(neighbours.previous) if neighbours.previous else None
        page.next_page = pages.get(neighbours.next) if neighbours.next else None


def nav_entry_for(src_uri: str, help_center: HelpCenter, category: str | None) -> str | None:
    """The source path of the nav entry to highlight on a page that is not itself in the navigation."""
    if category is not None and src_uri.startswith(f"{COMMUNITY_BASE}/"):
        return help_center.community_uri()  # a thread: the Community tab, not its category's Help topics entry
    if category is not None:
        listing = help_center.category(category)
        return listing.src_uri if listing else None
    page = help_center.pages.get(src_uri)
    if page is None or page.listing is None:
        return None
    if page.kind in ("tag", "tags"):
        return listing_uri("tags")
    return listing_uri(page.listing.base)
