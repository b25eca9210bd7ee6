"""The help center's shape as plain data: which generated pages exist, what each lists, breadcrumbs, prev/next.

Built once per build from the Corpus. Every listing is paginated, so no page's size depends on
how many articles or threads the site has; every document is reachable from home through its
category page, and steps to its neighbours within the category.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kbgen.content import slugify as content_slugify
from kbgen.model import Article, Category, Corpus, Document, Thread
from kbgen.site.structure.listing import ListingPage, listing_uri, paginate

HOME_URI = "index.md"
TAGS_BASE = "tags"
COMMUNITY_BASE = "community"
HOME_TITLE = "Home"
TAGS_TITLE = "Tags"
COMMUNITY_TITLE = "Community"


@dataclass(frozen=True)
class SiteTitles:
    """The titles and descriptions of the pages kbgen generates, in the site's language (English by default)."""

    home: str = HOME_TITLE
    tags: str = TAGS_TITLE
    tags_description: str = "Every topic people ask about."
    tagged: str = "Tagged “{tag}”"
    tagged_description: str = "Articles and discussions tagged {tag}."
    community: str = COMMUNITY_TITLE
    recent: str = "Recent"
    recent_description: str = "The newest questions and answers from the community."
    unanswered: str = "Unanswered"
    unanswered_description: str = "Questions still waiting for an answer: can you help?"
    solved: str = "Solved"
    solved_description: str = "Questions with an accepted answer."
    unanswered_page: str = "Unanswered questions"
    solved_page: str = "Solved questions"
    help_topics: str = "Help topics"
    numbered_title: str = "{title} (page {number})"

    @classmethod
    def of(cls, lookup: Callable[[str], str]) -> SiteTitles:
        """The titles from a string table: ``lookup("site.home")`` (kbgen.site.i18n.Translations.plain)."""
        return cls(**{name: lookup(f"site.{name}") for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Crumb:
    """One step of a breadcrumb trail: a page title and the source path of that page."""

    title: str
    src_uri: str


@dataclass(frozen=True)
class CategoryListing:
    category: Category
    articles: tuple[Article, ...]  # most asked first
    threads: tuple[Thread, ...]  # most voted first
    pages: tuple[ListingPage[Document], ...]

    @property
    def src_uri(self) -> str:
        return self.pages[0].src_uri


@dataclass(frozen=True)
class TagListing:
    slug: str
    name: str
    articles: tuple[Article, ...]
    threads: tuple[Thread, ...]
    pages: tuple[ListingPage[Document], ...]

    @property
    def src_uri(self) -> str:
        return self.pages[0].src_uri

    @property
    def count(self) -> int:
        return len(self.articles) + len(self.threads)


@dataclass(frozen=True)
class CommunityFilter:
    """One static filter of the community index: recent, unanswered or solved threads."""

    slug: str
    title: str
    description: str
    threads: tuple[Thread, ...]
    pages: tuple[ListingPage[Thread], ...]

    @property
    def src_uri(self) -> str:
        return self.pages[0].src_uri


Subject = CategoryListing | TagListing | CommunityFilter | None


@dataclass(frozen=True)
class GeneratedPage:
    """A page kbgen adds to the site (home, category, tag, tag index, community filter), one per listing page."""

    src_uri: str
    kind: str  # home | category | tag | tags | community
    title: str
    description: str
    trail: tuple[Crumb, ...]
    listing: ListingPage | None = None
    subject: Subject = None
    updated: str = ""  # YYYY-MM-DD of the newest thing the page lists; "" when it lists nothing
    page_title: str = ""  # after a listing's first page, its title with the number ("Tags (page 2)"), in the site's language


@dataclass(frozen=True)
class Neighbours:
    previous: str | None = None  # source path of the previous page, None at the start
    next: str | None = None


@dataclass(frozen=True)
class HelpCenter:
    categories: tuple[CategoryListing, ...]
    tags: tuple[TagListing, ...]
    tag_pages: tuple[ListingPage[TagListing], ...]
    community: tuple[CommunityFilter, ...]
    top_questions: tuple[Article, ...]
    pages: dict[str, GeneratedPage]  # by source path, in a stable order
    neighbours: dict[str, Neighbours]  # documents and listing pages, by source path
    tag_slugs: dict[str, str] = field(default_factory=dict)  # tag as written -> slug of its page
    titles: SiteTitles = SiteTitles()

    def category(self, slug: str) -> CategoryListing | None:
        return next((listing for listing in self.categories if listing.category.slug == slug), None)

    def trail(self, document: Document) -> tuple[Crumb, ...]:
        """Home › Category › the article, or Home › Community › the thread."""
        if isinstance(document, Thread) and self.community:
            middle = (Crumb(self.titles.community, self.community[0].src_uri),)
        else:
            listing = self.category(document.category)
            middle = (Crumb(listing.category.title, listing.src_uri),) if listing else ()
        return (Crumb(self.titles.home, HOME_URI), *middle, Crumb(document.title, document.path))

    def community_uri(self) -> str | None:
        """The community index (its first page), where every thread belongs in the navigation."""
        return self.community[0].src_uri if self.community else None

    def tag_uri(self, tag: str) -> str | None:
        slug = self.tag_slugs.get(tag)
        return listing_uri(f"{TAGS_BASE}/{slug}") if slug else None


def last_activity(thread: Thread) -> str:
    """The newest date in a thread: the question, an answer or a comment (ISO text, as written)."""
    dates = [thread.date, *(answer.date for answer in thread.answers)]
    dates += [comment.date for comment in thread.comments]
    dates += [comment.date for answer in thread.answers for comment in answer.comments]
    return max((date for date in dates if date), default="")


def document_date(document: Document) -> str:
    """YYYY-MM-DD a document last changed: an article's ``updated``, a thread's last activity."""
    if isinstance(document, Thread):
        return last_activity(document)[:10]
    return getattr(document, "updated", "")[:10]


def tag_slug(text: str) -> str:
    """A tag's page name: its words, Unicode kept (``ünïcode-more``), as URLs carry them."""
    return content_slugify(text, max_words=None, keep_unicode=True, fallback="")


def most_asked(articles: Iterable[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda article: (-article.asked, article.title.lower(), article.path)))


def most_voted(threads: Iterable[Thread]) -> tuple[Thread, ...]:
    newest_first = sorted(sorted(threads, key=lambda thread: thread.path), key=last_activity, reverse=True)
    return tuple(sorted(newest_first, key=lambda thread: -thread.votes))


def most_recent(threads: Iterable[Thread]) -> tuple[Thread, ...]:
    return tuple(sorted(sorted(threads, key=lambda thread: thread.path), key=last_activity, reverse=True))


def _newest(documents: Iterable[Document]) -> str:
    return max((document_date(document) for document in documents), default="")


def build_help_center(
    corpus: Corpus, *, show_drafts: bool = False, per_page: int = 50, top_questions: int = 10, titles: SiteTitles | None = None,
) -> HelpCenter:
    """Every generated page of ``corpus``'s site with what it lists; drafts only when ``show_drafts``."""
    titles = titles or SiteTitles()
    articles = corpus.articles if show_drafts else corpus.published_articles
    home = Crumb(titles.home, HOME_URI)
    pages: dict[str, GeneratedPage] = {}
    neighbours: dict[str, Neighbours] = {}

    categories = []
    for category in corpus.categories.values():
        ranked_articles = most_asked(article for article in articles if article.category == category.slug)
        ranked_threads = most_voted(thread for thread in corpus.threads if thread.category == category.slug)
        sequence: tuple[Document, ...] = (*ranked_articles, *ranked_threads)
        listing = CategoryListing(category, ranked_articles, ranked_threads, paginate(f"faq/{category.slug}", sequence, per_page))
        categories.append(listing)
        neighbours.update(_chain(document.path for document in sequence))
        _add_listing(pages, neighbours, listing.pages, kind="category", title=category.title, description=category.description,
                     trail=(home,), subject=listing, titles=titles)

    tags, tag_slugs = _tag_listings(articles, corpus.threads, per_page)
    tags_crumb = Crumb(titles.tags, listing_uri(TAGS_BASE))
    tag_pages = paginate(TAGS_BASE, tags, per_page)
    for tag_page in tag_pages:
        newest = max((_newest((*tag.articles, *tag.threads)) for tag in tag_page.entries), default="")
        pages[tag_page.src_uri] = GeneratedPage(
            tag_page.src_uri, "tags", titles.tags, titles.tags_description, (home,), tag_page, None, newest, _numbered(titles, titles.tags, tag_page),
        )
    neighbours.update(_chain(tag_page.src_uri for tag_page in tag_pages))
    for tag in tags:
        _add_listing(pages, neighbours, tag.pages, kind="tag", title=titles.tagged.format(tag=tag.name), description=titles.tagged_description.format(tag=tag.name),
                     trail=(home, tags_crumb), subject=tag, titles=titles)

    community = _community_filters(corpus.threads, per_page, titles)
    community_crumb = Crumb(titles.community, community[0].src_uri)
    for community_filter in community:
        trail = (home,) if community_filter.slug == "recent" else (home, community_crumb)
        title = {"recent": titles.community, "unanswered": titles.unanswered_page, "solved": titles.solved_page}[community_filter.slug]
        _add_listing(pages, neighbours, community_filter.pages, kind="community", title=title, description=community_filter.description,
                     trail=trail, subject=community_filter, titles=titles)

    everything: tuple[Document, ...] = (*articles, *corpus.threads)
    pages = {HOME_URI: GeneratedPage(HOME_URI, "home", titles.home, "", (), None, None, _newest(everything)), **pages}
    return HelpCenter(
        categories=tuple(categories),
        tags=tags,
        tag_pages=tag_pages,
        community=community,
        top_questions=most_asked(corpus.published_articles)[:top_questions],
        pages=pages,
        neighbours=neighbours,
        tag_slugs=tag_slugs,
        titles=titles,
    )


def _add_listing(
    pages: dict[str, GeneratedPage],
    neighbours: dict[str, Neighbours],
    listing_pages: tuple[ListingPage, ...],
    *,
    kind: str,
    title: str,
    description: str,
    trail: tuple[Crumb, ...],
    subject: Subject,
    titles: SiteTitles,
) -> None:
    for listing_page in listing_pages:
        newest = _newest(listing_page.entries)
        pages[listing_page.src_uri] = GeneratedPage(
            listing_page.src_uri, kind, title, description, trail, listing_page, subject, newest, _numbered(titles, title, listing_page),
        )
    neighbours.update(_chain(listing_page.src_uri for listing_page in listing_pages))


def _numbered(titles: SiteTitles, title: str, listing_page: ListingPage) -> str:
    return titles.numbered_title.format(title=title, number=listing_page.number) if listing_page.number > 1 else ""


def _chain(src_uris: Iterable[str]) -> dict[str, Neighbours]:
    ordered = list(src_uris)
    return {
        src_uri: Neighbours(ordered[index - 1] if index else None, ordered[index + 1] if index + 1 < len(ordered) else None)
        for index, src_uri in enumerate(ordered)
    }


def _tag_listings(articles: tuple[Article, ...], threads: tuple[Thread, ...], per_page: int) -> tuple[tuple[TagListing, ...], dict[str, str]]:
    """One listing per tag slug (tags that slugify alike, "sign in" and "sign-in", share one page), and each tag's slug."""
    names: dict[str, set[str]] = {}
    tagged: dict[str, dict[str, Document]] = {}
    for document in (*articles, *threads):
        for tag in document.tags:
            slug = tag_slug(tag)
            if slug:
                names.setdefault(slug, set()).add(tag)
                tagged.setdefault(slug, {})[document.path] = document
    listings = []
    for slug in sorted(names):
        documents = tagged[slug].values()
        tag_articles = most_asked(document for document in documents if isinstance(document, Article))
        tag_threads = most_voted(document for document in documents if isinstance(document, Thread))
        sequence: tuple[Document, ...] = (*tag_articles, *tag_threads)
        listings.append(TagListing(slug, sorted(names[slug])[0], tag_articles, tag_threads, paginate(f"{TAGS_BASE}/{slug}", sequence, per_page)))
    return tuple(listings), {name: slug for slug, spellings in names.items() for name in spellings}


def _community_filters(threads: tuple[Thread, ...], per_page: int, titles: SiteTitles) -> tuple[CommunityFilter, ...]:
    recent = most_recent(threads)
    specs = (
        ("recent", titles.recent, titles.recent_description, recent, COMMUNITY_BASE),
        ("unanswered", titles.unanswered, titles.unanswered_description, tuple(thread for thread in recent if not thread.answers), f"{COMMUNITY_BASE}/unanswered"),
        ("solved", titles.solved, titles.solved_description, tuple(thread for thread in recent if thread.solved), f"{COMMUNITY_BASE}/solved"),
    )
    return tuple(CommunityFilter(slug, title, description, selected, paginate(base, selected, per_page)) for slug, title, description, selected, base in specs)
