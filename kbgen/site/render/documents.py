"""The content HTML of an FAQ article page and of a community thread page.

Article: title, facts (updated, tags), the one-line summary, "Also asked as" (the question
variants, placed before the answer so the search index files them with the page itself), then
the answer. Thread: title, facts, the summary box, the question with its comments, then the
answers (accepted first, marked), and the source and license of imported text. The markup is in
the theme's templates (kbgen/article.html, kbgen/thread.html and their partials).
"""

from __future__ import annotations

import re

from kbgen.model import Article
from kbgen.site.render.community import RenderedPost, RenderedThread
from kbgen.site.render.html import Href
from kbgen.site.render.templates import SiteTemplates, default_templates, safe
from kbgen.site.structure.help_center import HelpCenter

TITLE_ID = "kb-title"
_CREATIVE_COMMONS = re.compile(r"^CC[ -]?(BY(?:-(?:NC|SA|ND)){0,2})[ -]?(\d\.\d)$", re.IGNORECASE)


def article_html(article: Article, body_html: str, href: Href, help_center: HelpCenter, templates: SiteTemplates | None = None) -> str:
    """``body_html`` is MkDocs' HTML of the article's (trusted) Markdown. ``help_center``: anything with ``tag_uri(tag)``."""
    return (templates or default_templates()).render(
        "kbgen/article.html", article=article, body=safe(body_html), href=href, help_center=help_center,
    )


def license_url(license_name: str) -> str:
    """The Creative Commons deed of a license written like "CC BY-SA 4.0", else ""."""
    match = _CREATIVE_COMMONS.match(license_name.strip())
    return f"https://creativecommons.org/licenses/{match.group(1).lower()}/{match.group(2)}/" if match else ""


def _marked(post: RenderedPost) -> RenderedPost:
    """The post with its sanitized HTML (and its comments') marked safe for the templates."""
    comments = tuple(type(comment)(comment.comment, safe(comment.html), comment.author_url) for comment in post.comments)
    return RenderedPost(post.anchor, post.author, post.date, post.votes, post.accepted, safe(post.html), comments, post.author_url)


def thread_html(rendered: RenderedThread, href: Href, help_center: HelpCenter, templates: SiteTemplates | None = None) -> str:
    """The thread's page; the text of its posts was sanitized by ``CommunityMarkdown`` and is printed as it is."""
    thread = rendered.thread
    answers = tuple(_marked(answer) for answer in rendered.answers)
    best = answers[0].anchor if answers and (answers[0].accepted or answers[0].votes > 0) else None
    summary = type(rendered.summary)(*(safe(part) for part in (rendered.summary.problem, rendered.summary.tried, rendered.summary.solution)))
    marked = RenderedThread(thread, _marked(rendered.question), answers, summary)
    authors = sorted({post.author for post in (rendered.question, *rendered.answers) if post.author})
    return (templates or default_templates()).render(
        "kbgen/thread.html", rendered=marked, thread=thread, href=href, help_center=help_center, answer_anchor=best,
        authors=authors, source_url=thread.source if thread.source.startswith(("https://", "http://")) else "",
        license_url=license_url(thread.license) if thread.license else "",
    )
