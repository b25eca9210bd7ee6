"""Render the theme's navigation menu once per folder instead of once per page.

On a page that is not itself in the navigation (an article, a thread, a listing's later page)
Material's menu depends only on the navigation, on which entry the page highlights and on the
page's folder (its links are relative). kbgen's navigation is bounded, but rendering it was
still a fifth of a large build; the menu is now rendered once per (folder, highlighted entry)
and reused, byte for byte, on every other page of that folder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
from mkdocs.structure.nav import Navigation, Section

log = logging.getLogger(__name__)

NAV_TEMPLATE = "partials/nav.html"

Key = tuple[str, int, str | None, str]


def _folder_parts(url: str) -> list[str]:
    """The path parts MkDocs computes relative links from (``mkdocs.utils.get_relative_url``)."""
    folder, _, name = url.rpartition("/")
    if "." in name:
        url = folder
    return [part for part in url.split("/") if part and part != "."]


class NavigationCache:
    """Reuses the rendered menu between pages that would render it identically."""

    def __init__(self, nav: Navigation, highlighted: Callable[[], str | None]) -> None:
        self.highlighted = highlighted
        self.in_navigation = {page.file.src_uri for page in nav.pages}
        targets = [item.url for item in _entries(nav.items) if not isinstance(item, Section)]
        if nav.homepage is not None:
            targets.append(nav.homepage.url)
        self.targets = [_folder_parts(target) for target in targets]
        self.rendered: dict[Key, str] = {}

    def key(self, context: Any) -> Key | None:
        """What the menu on this page depends on beyond the site itself; None to render it as usual."""
        page = context.get("page")
        if page is None or page.file.src_uri in self.in_navigation:
            return None  # the menu holds the page itself (and its table of contents)
        parts = _folder_parts(page.url)
        if any(target[: len(parts)] == parts for target in self.targets):
            return None  # an entry inside the page's own folder: its relative link depends on the whole path
        return "/".join(parts[:-1]), len(parts), self.highlighted(), str(context.get("base_url"))

    def install(self, env: jinja2.Environment) -> None:
        """Wrap the theme's menu template in ``env`` (its compiled render function, kept in the environment's cache)."""
        try:
            template = env.get_template(NAV_TEMPLATE)
        except jinja2.TemplateNotFound:
            return
        render_uncached = template.root_render_func

        def render(context: Any) -> Iterator[str]:
            key = self.key(context)
            if key is None:
                yield from render_uncached(context)
                return
            html = self.rendered.get(key)
            if html is None:
                html = self.rendered[key] = "".join(render_uncached(context))
            yield html

        template.root_render_func = render


def _entries(items: list) -> Iterator[Any]:
    for item in items:
        yield item
        if isinstance(item, Section):
            yield from _entries(item.children)

