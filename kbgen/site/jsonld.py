"""schema.org structured data: ``FAQPage`` for articles, ``QAPage`` for threads, ``BreadcrumbList`` for trails.

Builds plain dicts (the properties Google documents for FAQ, Q&A and breadcrumb rich results)
and serializes them into ``<script type="application/ld+json">`` tags that no text can close.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urljoin

from kbgen.model import Article
from kbgen.site.render.community import RenderedPost, RenderedThread
from kbgen.site.sanitize import html_to_text, rich_result_html
from kbgen.site.structure.help_center import Crumb

CONTEXT = "https://schema.org"
AbsoluteUrl = Callable[[str], str]
"""Absolute URL of the page built from a source path."""

_HREF = re.compile(r'href="([^"]*)"')
# In a <script> element only "</script" and "<!--" are dangerous; escaping every <, > and & covers both.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _absolute_links(fragment: str, page_url: str) -> str:
    return _HREF.sub(lambda match: f'href="{html.escape(urljoin(page_url, html.unescape(match.group(1))))}"', fragment)


def faq_page(article: Article, answer_html: str, page_url: str) -> dict[str, Any]:
    """One ``Question`` (the article's title) with its ``acceptedAnswer`` (the article's answer)."""
    answer = _absolute_links(rich_result_html(answer_html), page_url) or html.escape(article.summary or article.title)
    return {
        "@context": CONTEXT,
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": article.title,
                "acceptedAnswer": {"@type": "Answer", "text": answer},
            }
        ],
    }


def _person(name: str, profile_url: str = "") -> dict[str, str]:
    """A ``Person``; ``url`` (their profile in the source forum) is already vetted as http(s) by the renderer."""
    person = {"@type": "Person", "name": name or "Anonymous"}
    if profile_url:
        person["url"] = profile_url
    return person


def _answer(post: RenderedPost, page_url: str) -> dict[str, Any]:
    return {
        "@type": "Answer",
        "text": html_to_text(post.html) or "(no text)",
        "upvoteCount": post.votes,
        "dateCreated": post.date,
        "datePublished": post.date,
        "author": _person(post.author, post.author_url),
        "url": f"{page_url}#{post.anchor}",
    }


def qa_page(rendered: RenderedThread, page_url: str) -> dict[str, Any] | None:
    """``QAPage`` of a thread; None when it has no answer (search engines want at least one)."""
    if not rendered.answers:
        return None
    thread = rendered.thread
    question: dict[str, Any] = {
        "@type": "Question",
        "name": thread.title,
        "text": html_to_text(rendered.question.html) or thread.title,
        "answerCount": len(rendered.answers),
        "upvoteCount": thread.votes,
        "dateCreated": thread.date,
        "datePublished": thread.date,
        "author": _person(thread.author, rendered.question.author_url),
    }
    accepted = [answer for answer in rendered.answers if answer.accepted]
    suggested = [answer for answer in rendered.answers if not answer.accepted]
    if accepted:
        question["acceptedAnswer"] = _answer(accepted[0], page_url)
    if suggested:
        question["suggestedAnswer"] = [_answer(answer, page_url) for answer in suggested]
    return {"@context": CONTEXT, "@type": "QAPage", "mainEntity": question}


def breadcrumb_list(trail: Sequence[Crumb], absolute_url: AbsoluteUrl) -> dict[str, Any] | None:
    if len(trail) < 2:
        return None
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": crumb.title, "item": absolute_url(crumb.src_uri)}
            for position, crumb in enumerate(trail, 1)
        ],
    }


def script_tags(*objects: dict[str, Any] | None) -> str:
    """One ``application/ld+json`` script per object (None skipped), safe to embed in HTML."""
    tags = []
    for data in objects:
        if data is None:
            continue
        serialized = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        for character, escaped in _SCRIPT_UNSAFE.items():
            serialized = serialized.replace(character, escaped)
        tags.append(f'<script type="application/ld+json">{serialized}</script>')
    return "\n".join(tags)
