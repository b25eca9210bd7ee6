"""The content HTML of an FAQ article page and of a community thread page.

Article: title, facts (updated, tags), the one-line summary, "Also asked as" (the question
variants, placed before the answer so the search index files them with the page itself), then
the answer. Thread: title, facts, the summary box, the question with its comments, then the
answers (accepted first, marked), and the source and license of imported text.
"""

from __future__ import annotations

import re

from kbgen.model import Article
from kbgen.site.render.community import RenderedComment, RenderedPost, RenderedSummary, RenderedThread
from kbgen.site.render.html import Href, plural, text, time_element
from kbgen.site.render.parts import badge, tags_html, thread_status_badge
from kbgen.site.structure.help_center import HelpCenter

TITLE_ID = "kb-title"
_CREATIVE_COMMONS = re.compile(r"^CC[ -]?(BY(?:-(?:NC|SA|ND)){0,2})[ -]?(\d\.\d)$", re.IGNORECASE)


def _facts(*parts: str) -> str:
    shown = [part for part in parts if part]
    return f'<p class="kb-doc-meta" data-search-exclude="1">{" · ".join(shown)}</p>' if shown else ""


def article_html(article: Article, body_html: str, href: Href, help_center: HelpCenter) -> str:
    parts = [
        f'<h1 id="{TITLE_ID}">{text(article.title)}</h1>',
        _facts(
            badge("Draft: not published yet", "draft") if article.is_draft else "",
            f"Updated {time_element(article.updated)}" if article.updated else "",
            tags_html(article.tags, help_center, href),
        ),
    ]
    if article.summary:
        parts.append(f'<p class="kb-lead">{text(article.summary)}</p>')
    if article.questions:
        variants = "".join(f"<li>{text(question)}</li>" for question in article.questions)
        parts.append(f'<div class="kb-also-asked"><p class="kb-also-asked__label">Also asked as</p><ul class="kb-also-asked__list">{variants}</ul></div>')
    parts.append(f'<div class="kb-answer-body">{body_html}</div>')
    return "\n".join(part for part in parts if part)


def _votes(votes: int, accepted: bool = False) -> str:
    mark = '<span class="kb-post__check" title="Accepted answer">✓</span>' if accepted else ""
    return f'<div class="kb-post__votes" aria-label="{text(plural(votes, "vote"))}"><span class="kb-post__score">{votes}</span><span class="kb-post__unit">{"vote" if abs(votes) == 1 else "votes"}</span>{mark}</div>'


def author_html(name: str, profile_url: str) -> str:
    """The author's name, linked to their profile in the source forum when there is one (a vetted http(s) URL)."""
    if not profile_url:
        return f'<span class="kb-author">{text(name)}</span>'
    # Community links: not endorsed (nofollow ugc), and the forum's page gets no handle on this one (noopener).
    return f'<a class="kb-author" href="{text(profile_url)}" rel="nofollow ugc noopener">{text(name)}</a>'


def _comments(comments: tuple[RenderedComment, ...]) -> str:
    if not comments:
        return ""
    items = "".join(
        f'<li class="kb-comment"><div class="kb-comment__body">{comment.html}</div>'
        f'<p class="kb-comment__meta">— {author_html(comment.comment.author, comment.author_url)}, {time_element(comment.comment.date)}</p></li>'
        for comment in comments
    )
    return f'<ul class="kb-comments" aria-label="{text(plural(len(comments), "comment"))}">{items}</ul>'


def _post(post: RenderedPost, verb: str) -> str:
    accepted = post.accepted
    classes = "kb-post " + ("kb-question" if post.anchor == "question" else "kb-answer") + (" kb-answer--accepted" if accepted else "")
    flag = f'<p class="kb-post__flag">{badge("✓ Accepted answer", "accepted")}</p>' if accepted else ""
    return (
        f'<section class="{classes}" id="{post.anchor}" aria-label="{text(("Accepted answer" if accepted else verb.capitalize()) + " by " + post.author)}">'
        f"{_votes(post.votes, accepted)}"
        f'<div class="kb-post__main">{flag}<div class="kb-post__body">{post.html}</div>'
        f'<p class="kb-post__meta">{verb} by {author_html(post.author, post.author_url)} on {time_element(post.date)}</p>'
        f"{_comments(post.comments)}</div></section>"
    )


def _summary_box(summary: RenderedSummary, answer_anchor: str | None) -> str:
    if not summary:
        return ""
    rows = []
    for label, html in (("Problem", summary.problem), ("Already tried", summary.tried), ("Solution", summary.solution)):
        if html:
            jump = f' <a class="kb-summary__jump" href="#{answer_anchor}">Read the answer ↓</a>' if label == "Solution" and answer_anchor else ""
            rows.append(f'<div class="kb-summary__part"><dt>{label}</dt><dd>{html}{jump}</dd></div>')
    return (
        '<section class="kb-summary" aria-labelledby="kb-summary-title">'
        f'<h2 class="kb-summary__title" id="kb-summary-title">In short</h2><dl class="kb-summary__parts">{"".join(rows)}</dl></section>'
    )


def license_url(license_name: str) -> str:
    """The Creative Commons deed of a license written like "CC BY-SA 4.0", else ""."""
    match = _CREATIVE_COMMONS.match(license_name.strip())
    return f"https://creativecommons.org/licenses/{match.group(1).lower()}/{match.group(2)}/" if match else ""


def _attribution(rendered: RenderedThread) -> str:
    thread = rendered.thread
    if not thread.source and not thread.license:
        return ""
    authors = sorted({post.author for post in (rendered.question, *rendered.answers) if post.author})
    parts = []
    if thread.source.startswith(("https://", "http://")):
        parts.append(f'Originally posted at <a class="kb-attribution__source" href="{text(thread.source)}" rel="nofollow noopener">{text(thread.source)}</a>.')
    if thread.license:
        deed = license_url(thread.license)
        name = f'<a href="{text(deed)}" rel="license noopener">{text(thread.license)}</a>' if deed else text(thread.license)
        parts.append(f"Text by {text(', '.join(authors))}, licensed under {name}.")
    return f'<footer class="kb-attribution" data-search-exclude="1"><p>{" ".join(parts)}</p></footer>'


def thread_html(rendered: RenderedThread, href: Href, help_center: HelpCenter) -> str:
    thread = rendered.thread
    best = rendered.answers[0].anchor if rendered.answers and (rendered.answers[0].accepted or rendered.answers[0].votes > 0) else None
    answers_heading = plural(len(rendered.answers), "answer")
    parts = [
        f'<h1 id="{TITLE_ID}">{text(thread.title)}</h1>',
        _facts(
            thread_status_badge(thread),
            f"Asked by {author_html(thread.author, rendered.question.author_url)} on {time_element(thread.date)}",
            answers_heading,
            tags_html(thread.tags, help_center, href),
        ),
        _summary_box(rendered.summary, best),
        _post(rendered.question, "asked"),
        f'<h2 class="kb-answers-title" id="answers">{answers_heading}</h2>',
    ]
    if rendered.answers:
        parts += [_post(answer, "answered") for answer in rendered.answers]
    else:
        parts.append('<p class="kb-no-answers">No answers yet.</p>')
    parts.append(_attribution(rendered))
    return "\n".join(part for part in parts if part)
