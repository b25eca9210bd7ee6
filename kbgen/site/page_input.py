"""What each page kbgen makes is rendered from: one frozen record per page, and the fingerprint of that record.

A page is rendered from its record alone (``kbgen.site.page_render``): its links resolve only
through the record's own URL table and its tag chips only through the record's tag pages, so a
renderer that needs a new input fails until the record carries it. The fingerprint a rebuild
compares is the hash of the record's ``repr``: every field of it and of the records nested in it,
by name (dataclasses write it), so no input can be left out of it.

The records are plain data (strings, tuples, ``kbgen.model`` records, ``Crumb``); they import
nothing from MkDocs, so a page can be rendered from its record outside a MkDocs build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kbgen.check import iter_links
from kbgen.model import Article, Document, Thread
from kbgen.site.pages import numbered_title, source_folder
from kbgen.site.structure.help_center import Crumb, GeneratedPage, HelpCenter

# Field metadata: this field is fingerprinted through the named field of the same record (a digest of it),
# and left out of the record's repr.
FINGERPRINTED_AS = "fingerprinted_as"


class MissingPageInput(LookupError):
    """A renderer asked for something its page's input record does not hold (the record lacks an input)."""


@dataclass(frozen=True)
class PageFrame:
    """What the theme prints around any page kbgen makes, and the URLs the page may link to."""

    site: str  # digest of the site-wide inputs: settings, theme, versions, navigation, build date (kbgen.site.cache.site_fingerprint)
    site_url: str  # the base of absolute URLs (JSON-LD), ending in "/"
    src_uri: str
    url: str
    content_base: str  # where the engine resolves relative links in the page's content from: the page's URL, or its source folder
    title: str
    update_date: str  # YYYY-MM-DD, as the sitemap and the footer show it
    neighbours: tuple[tuple[str, str] | None, ...]  # (title, URL) of the previous and next page: the footer's links
    nav_entry: str | None  # source path of the navigation entry highlighted on this page
    urls: tuple[tuple[str, str], ...]  # (source path, URL) of this page and of every page it links to, sorted

    def href(self, src_uri: str) -> str:
        """The URL of ``src_uri`` relative to this page, as MkDocs writes links (a folder URL keeps its slash).

        For what the theme prints around the content (breadcrumbs, related links): engines resolve those from the page's URL.
        """
        return _href(self._url_of(src_uri), self.url)

    def content_href(self, src_uri: str) -> str:
        """The URL of ``src_uri`` as a link in the page's content: relative to ``content_base``."""
        return _href(self._url_of(src_uri), self.content_base)

    def absolute(self, src_uri: str) -> str:
        """The absolute URL of ``src_uri`` on the published site."""
        url = self._url_of(src_uri)
        return self.site_url + ("" if url in (".", "./") else url)

    def known(self) -> frozenset[str]:
        """The source paths this page may link to."""
        return frozenset(src_uri for src_uri, _ in self.urls)

    def _url_of(self, src_uri: str) -> str:
        for known, url in self.urls:  # a handful of entries: no table worth building
            if known == src_uri:
                return url
        raise MissingPageInput(f"{self.src_uri}: the page links to {src_uri}, which its input record does not hold")


@dataclass(frozen=True)
class TagPages:
    """Where each tag of a page leads: what the tag chips need of the help center (its ``tag_uri``), and nothing else."""

    pages: tuple[tuple[str, str | None], ...] = ()  # (tag as written, source path of its page or None), in the page's order

    def tag_uri(self, tag: str) -> str | None:
        for known, src_uri in self.pages:
            if known == tag:
                return src_uri
        raise MissingPageInput(f"tag '{tag}' is not in the page's input record")


@dataclass(frozen=True)
class RelatedPage:
    """One related link shown on a page: the target's source path and title."""

    path: str
    title: str


@dataclass(frozen=True)
class RelatedPages:
    """The "Related articles" and "Community discussions" of a page, best first; only pages that are in the site."""

    articles: tuple[RelatedPage, ...] = ()
    threads: tuple[RelatedPage, ...] = ()

    def paths(self) -> Iterable[str]:
        return (link.path for link in (*self.articles, *self.threads))


@dataclass(frozen=True)
class DocumentPageInput:
    """An FAQ article's or a community thread's page: everything its HTML is made of."""

    frame: PageFrame
    document: Document = field(repr=False, metadata={FINGERPRINTED_AS: "content_hash"})
    content_hash: str  # digest of the record and its category's title (kbgen.index.content_hash)
    trail: tuple[Crumb, ...]  # Home › category (or Community) › the page
    tags: TagPages
    related: RelatedPages
    link_targets: tuple[tuple[str, str | None], ...]  # an article's Markdown links and the URL MkDocs writes for each
    page_ending: bool  # "Was this helpful?" and "Still need help?" below the page

    @property
    def is_article(self) -> bool:
        return isinstance(self.document, Article)

    @property
    def is_thread(self) -> bool:
        return isinstance(self.document, Thread)


@dataclass(frozen=True)
class GeneratedPageInput:
    """A page kbgen generates (home, category, tag, tag index, community filter).

    Its listing is rendered while the rebuild is planned (it shows many other pages); its HTML is
    the input the page is framed from, and is fingerprinted as it is.
    """

    frame: PageFrame
    kind: str  # home | category | tag | tags | community
    content_html: str
    trail: tuple[Crumb, ...]  # Home › … › the page (empty on the home page)
    meta: tuple[tuple[str, Any], ...]  # the page's metadata for the theme (title, description, what to hide), by key


PageInput = DocumentPageInput | GeneratedPageInput


def input_fingerprint(record: PageInput) -> str:
    """The digest of every field of ``record`` (nested records by field name, in order): what a rebuild compares.

    A record's ``repr`` is written by dataclasses from its fields, so a field added to a record
    is in it without being listed here; the fields are plain data (strings, numbers, tuples,
    records), whose ``repr`` is the same in every process (``plain_data_problems`` checks).
    """
    return hashlib.sha256(repr(record).encode("utf-8", "surrogatepass")).hexdigest()


def plain_data_problems(value: Any, where: str = "record") -> list[str]:
    """Where ``value`` holds something that is not plain data (its ``repr`` could differ between processes)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not type(value).__dataclass_params__.frozen:
            return [f"{where}: {type(value).__qualname__} is not frozen"]
        return [
            problem for item in dataclasses.fields(value) if item.repr
            for problem in plain_data_problems(getattr(value, item.name), f"{where}.{item.name}")
        ]
    if isinstance(value, tuple):
        return [problem for index, item in enumerate(value) for problem in plain_data_problems(item, f"{where}[{index}]")]
    if isinstance(value, Mapping):
        return [problem for key, item in value.items() for problem in plain_data_problems(item, f"{where}[{key!r}]")]
    if isinstance(value, list):
        return [problem for index, item in enumerate(value) for problem in plain_data_problems(item, f"{where}[{index}]")]
    return [f"{where}: {type(value).__qualname__} is not plain data"]


# -- making the records -------------------------------------------------------------------------


@dataclass(frozen=True)
class PageFacts:
    """What MkDocs knows of a page before rendering it: where it is, its title and date, its neighbours."""

    src_uri: str
    url: str
    title: str
    update_date: str
    neighbours: tuple[tuple[str, str] | None, ...] = (None, None)


@dataclass(frozen=True)
class PageInputs:
    """Makes the input record of each page from the site-wide pieces it picks from (one per build)."""

    help_center: HelpCenter
    site: str  # the site-wide digest every frame carries
    site_url: str
    url_of: Callable[[str], str | None]  # the URL of a source path in this site, None if it is not in the site
    related: Mapping[str, Any] = field(default_factory=dict)  # kbgen.link's Related of each document, by path
    page_endings: bool = False  # the site shows "Was this helpful?" below articles and threads
    # The engine resolves relative links in a page's content from the page's source folder, as Markdown links
    # (Zensical, building kbgen's staged tree), not from its URL (MkDocs, when the plugin hands it the HTML).
    links_from_source: bool = False

    def content_base(self, facts: PageFacts) -> str:
        """The URL relative links in the content of the page of ``facts`` start from (``PageFrame.content_base``)."""
        return source_folder(facts.src_uri) if self.links_from_source else facts.url

    def document(self, document: Document, facts: PageFacts, content_hash: str, links: Iterable[tuple[str, str]], nav_entry: str | None) -> DocumentPageInput:
        """The record of ``document``'s page; ``links`` are its Markdown links as (written target, source path)."""
        trail = self.help_center.trail(document)
        tags = TagPages(tuple((tag, self.help_center.tag_uri(tag)) for tag in document.tags))
        related = related_pages(self.related.get(document.path), lambda path: self.url_of(path) is not None)
        shown = [facts.src_uri, *(crumb.src_uri for crumb in trail), *(src_uri for _, src_uri in tags.pages), *related.paths()]
        return DocumentPageInput(
            self._frame(facts, nav_entry, shown), document, content_hash, trail, tags, related,
            tuple((target, self.url_of(path)) for target, path in links), self.page_endings,
        )

    def generated(self, page: GeneratedPage, facts: PageFacts, content_html: str, meta: Mapping[str, Any], nav_entry: str | None) -> GeneratedPageInput:
        """The record of a generated page whose listing rendered as ``content_html``."""
        trail = page.trail + ((Crumb(numbered_title(page), page.src_uri),) if page.kind != "home" else ())
        shown = [facts.src_uri, *(crumb.src_uri for crumb in trail)]
        return GeneratedPageInput(self._frame(facts, nav_entry, shown), page.kind, content_html, trail, tuple(sorted(meta.items())))

    def _frame(self, facts: PageFacts, nav_entry: str | None, shown: Iterable[str | None]) -> PageFrame:
        return PageFrame(
            self.site, self.site_url, facts.src_uri, facts.url, self.content_base(facts), facts.title, facts.update_date, facts.neighbours,
            nav_entry, page_urls(self.url_of, shown),
        )


def page_urls(url_of: Callable[[str], str | None], src_uris: Iterable[str | None]) -> tuple[tuple[str, str], ...]:
    """(source path, URL) of each of ``src_uris`` that is in the site, sorted, once each."""
    found = {}
    for src_uri in src_uris:
        if src_uri is not None and src_uri not in found:
            url = url_of(src_uri)
            if url is not None:
                found[src_uri] = url
    return tuple(sorted(found.items()))


def markdown_links(document: Document) -> list[tuple[str, str]]:
    """An article's Markdown links as (written target, source path it points to); a thread's text is never rewritten."""
    if not isinstance(document, Article):
        return []
    return [
        (target, posixpath.normpath(posixpath.join(posixpath.dirname(document.path), target.split("#", 1)[0].split("?", 1)[0])))
        for target, _, _ in iter_links(document.body, 1)
    ]


def related_pages(related: Any, in_site: Callable[[str], bool]) -> RelatedPages:
    """The links of kbgen.link's ``Related`` (or None) whose target is in the site."""
    if related is None:
        return RelatedPages()

    def kept(links: Iterable[Any]) -> tuple[RelatedPage, ...]:
        return tuple(RelatedPage(link.path, link.title) for link in links if in_site(link.path))

    return RelatedPages(kept(related.articles), kept(related.threads))


def _href(target: str, base: str) -> str:
    relative = _relative_url(target, base)
    return relative + "/" if (target == "" or target.endswith("/")) and not relative.endswith("/") else relative


def _relative_url(url: str, other: str) -> str:
    from mkdocs.utils import get_relative_url  # noqa: PLC0415 - MkDocs' own rule, so links are written exactly as it writes them

    return get_relative_url(url, other)
