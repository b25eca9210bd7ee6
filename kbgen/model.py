"""Typed records of a help center: categories, FAQ articles, community threads and the corpus.

Records are plain frozen dataclasses; dates are ISO 8601 strings exactly as written in content
(validated by the loader) so that files round-trip without reformatting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# published: on the site; draft: left out until published (shown with --drafts); rejected: a draft a writer
# decided not to publish, kept so that kbgen mine does not write it again: never built, searched or linked.
ARTICLE_STATUSES = ("published", "draft", "rejected")
# The category folder of mined drafts that no declared category fits (faq/uncategorized/): accepted for
# drafts without a categories.yml entry; a writer moves the article to a real category before publishing.
UNCATEGORIZED = "uncategorized"
# Spaces, quotes, angle brackets, backslashes and control characters have no place in a profile URL.
_NOT_IN_LINK = re.compile(r"[\s\x00-\x1f\x7f-\x9f\"'<>\\`]")


def linkable_url(url: str) -> str:
    """``url`` when a page may link to it (http or https, with a host, nothing that could end an attribute), else ""."""
    if not url or len(url) > 2048 or _NOT_IN_LINK.search(url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return ""
    return url if parts.scheme in ("http", "https") and parts.hostname else ""


@dataclass(frozen=True)
class SupportField:
    """One extra field the contact form asks for in a category (e.g. an invoice number)."""

    id: str
    label: str
    type: str = "text"
    required: bool = False
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    slug: str
    title: str
    description: str = ""
    icon: str = ""
    support_include: str = ""
    support_fields: tuple[SupportField, ...] = ()


@dataclass(frozen=True)
class Comment:
    author: str
    date: str
    body: str
    author_url: str = ""  # the author's profile in the source forum, when imported


@dataclass(frozen=True)
class Post:
    """An answer in a community thread."""

    author: str
    date: str
    body: str
    votes: int = 0
    accepted: bool = False
    comments: tuple[Comment, ...] = ()
    source_id: str = ""
    line: int = 1
    author_url: str = ""  # the author's profile in the source forum, when imported


@dataclass(frozen=True)
class ThreadSummary:
    """The box a thread page opens with: the problem, what was tried, the answer."""

    problem: str = ""
    tried: str = ""
    solution: str = ""


@dataclass(frozen=True)
class ThreadLinks:
    """Threads the source forum linked to this one (their URLs): hints for the related-links stage."""

    duplicates: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """What articles and threads share: where the file is and what it says."""

    path: str  # relative to the content root, POSIX separators
    category: str
    slug: str
    title: str
    body: str
    body_line: int
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # writer-pinned related pages (content paths)
    unrelated: tuple[str, ...] = ()  # writer-suppressed related pages (content paths)

    @property
    def url(self) -> str:
        """Site URL relative to the site root (MkDocs directory URLs)."""
        return str(Path(self.path).with_suffix("").as_posix()) + "/"


@dataclass(frozen=True)
class Article(Document):
    questions: tuple[str, ...] = ()
    asked: int = 0
    status: str = "published"
    updated: str = ""
    summary: str = ""

    kind = "article"

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def question_variants(self) -> tuple[str, ...]:
        """The title and every other way customers ask it."""
        return (self.title, *self.questions)


@dataclass(frozen=True)
class Thread(Document):
    author: str = ""
    author_url: str = ""  # the asker's profile in the source forum, when imported
    date: str = ""
    votes: int = 0
    solved: bool = False
    comments: tuple[Comment, ...] = ()
    answers: tuple[Post, ...] = ()
    source: str = ""  # URL of the original post when imported
    source_id: str = ""
    license: str = ""
    locked: bool = False  # a writer edited it: importers must not overwrite it
    summary: ThreadSummary | None = None
    links: ThreadLinks = ThreadLinks()

    kind = "thread"

    @property
    def accepted_answer(self) -> Post | None:
        return next((answer for answer in self.answers if answer.accepted), None)

    @property
    def answers_best_first(self) -> tuple[Post, ...]:
        """Accepted answer first, then by votes (highest first), then oldest first."""
        return tuple(
            sorted(self.answers, key=lambda answer: (not answer.accepted, -answer.votes, answer.date))
        )


@dataclass(frozen=True)
class Page:
    """A plain Markdown page (not an article or a thread), kept for link checking."""

    path: str
    title: str
    body: str
    body_line: int


@dataclass(frozen=True)
class Corpus:
    root: Path
    categories: dict[str, Category] = field(default_factory=dict)
    articles: tuple[Article, ...] = ()
    threads: tuple[Thread, ...] = ()
    pages: tuple[Page, ...] = ()
    # Articles with ``status: rejected``: not part of the help center (no page, search entry, link or
    # duplicate check), kept apart so that the site leaves their files out and check can name them.
    rejected: tuple[Article, ...] = ()

    @property
    def published_articles(self) -> tuple[Article, ...]:
        return tuple(article for article in self.articles if not article.is_draft)

    def documents(self) -> tuple[Document, ...]:
        return (*self.articles, *self.threads)

    def by_path(self) -> dict[str, Document]:
        return {document.path: document for document in self.documents()}
