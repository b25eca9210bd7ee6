"""Render a page kbgen makes from its input record (kbgen.site.page_input), and nothing else.

Each function takes the page's record (plus, for an article, the answer's HTML as MkDocs
rendered the record's body) and returns the page's content HTML and what the theme adds around
it (``PageExtras``). Links go through ``record.frame`` (in the content from its ``content_base``, around
it from the page's URL), tag chips through ``record.tags``: a renderer that reaches for anything else
raises ``MissingPageInput``. The MkDocs plugin and the engine-neutral site stage (kbgen.site.stage)
both render every page kbgen makes through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from kbgen.model import Article, Thread
from kbgen.site import jsonld
from kbgen.site.page_input import DocumentPageInput, GeneratedPageInput
from kbgen.site.pages import DESCRIPTION_LENGTH, shorten
from kbgen.site.render.community import CommunityMarkdown
from kbgen.site.render.documents import article_html, thread_html
from kbgen.site.render.parts import breadcrumbs_html, related_html
from kbgen.site.sanitize import html_to_text, sanitize_html
from kbgen.site.search_page import PageEnding, page_ending


@dataclass(frozen=True)
class PageExtras:
    """What the theme's templates add around a page's content (``kbgen`` in the template context)."""

    head: str = ""  # JSON-LD scripts
    before: str = ""  # breadcrumbs
    after: str = ""  # related articles and discussions
    ending: PageEnding | None = None  # "Was this helpful?" and "Still need help?" (theme/partials/kb-page-end.html)


@dataclass(frozen=True)
class RenderedPage:
    content: str  # the page's content HTML
    extras: PageExtras
    description: str = ""  # the page's meta description, when the content decides it (threads); else ""


def article_page(record: DocumentPageInput, answer_html: str, *, answer_placeholder: str | None = None) -> RenderedPage:
    """An FAQ article's page; ``answer_html`` is the engine's HTML of the article's body (its links written from the page's URL).

    ``answer_placeholder`` stands where the answer goes in the content instead of ``answer_html``, for an
    engine that renders the answer's Markdown itself (the site stage keeps it Markdown); the JSON-LD still
    carries ``answer_html``.
    """
    article = record.document
    assert isinstance(article, Article)
    frame = record.frame
    main_entity = jsonld.faq_page(article, answer_html, frame.absolute(frame.src_uri))
    body = answer_html if answer_placeholder is None else answer_placeholder
    return RenderedPage(article_html(article, body, frame.content_href, record.tags), _document_extras(record, main_entity))


def thread_page(record: DocumentPageInput, community_markdown: CommunityMarkdown) -> RenderedPage:
    """A community thread's page: its untrusted text rendered by ``community_markdown`` and sanitized."""
    thread = record.document
    assert isinstance(thread, Thread)
    frame = record.frame
    rendered = community_markdown.thread(thread)
    description = escape(shorten(html_to_text(rendered.summary.problem or rendered.question.html), DESCRIPTION_LENGTH))
    content = sanitize_html(thread_html(rendered, frame.content_href, record.tags))
    return RenderedPage(content, _document_extras(record, jsonld.qa_page(rendered, frame.absolute(frame.src_uri))), description)


def generated_page(record: GeneratedPageInput) -> RenderedPage:
    """A generated listing page: its content as planned, framed by its breadcrumbs."""
    frame = record.frame
    extras = PageExtras(head=jsonld.script_tags(jsonld.breadcrumb_list(record.trail, frame.absolute)), before=breadcrumbs_html(record.trail, frame.href))
    return RenderedPage(record.content_html, extras)


def _document_extras(record: DocumentPageInput, main_entity: dict | None) -> PageExtras:
    frame = record.frame
    return PageExtras(
        head=jsonld.script_tags(main_entity, jsonld.breadcrumb_list(record.trail, frame.absolute)),
        before=breadcrumbs_html(record.trail, frame.href),
        after=related_html(record.related, frame.href, frame.known()),
        ending=page_ending(record.document, frame.url) if record.page_ending else None,
    )
