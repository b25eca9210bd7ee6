"""Community text (untrusted) to sanitized HTML: each question, answer, comment and summary part on its own.

A post is rendered by a Markdown instance of its own with a fixed, harmless set of extensions
(never the site's: an extension such as snippets would let a post include files from disk),
then cleaned with the strict community policy. Rendering post by post means a post cannot
close kbgen's markup around it or pass for part of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import markdown

from kbgen.model import Comment, Post, Thread, ThreadSummary, linkable_url
from kbgen.site.sanitize import sanitize_community_html

COMMUNITY_EXTENSIONS = ("tables", "fenced_code", "sane_lists")

try:  # the summary stage may not be installed in every checkout
    from kbgen.community.summary import summarize_thread
except ImportError:  # pragma: no cover - exercised only without kbgen.community
    summarize_thread = None


@dataclass(frozen=True)
class RenderedComment:
    comment: Comment
    html: str
    author_url: str = ""  # the comment's author_url when a page may link to it, else ""


@dataclass(frozen=True)
class RenderedPost:
    """A question or an answer with its sanitized HTML, in display order."""

    anchor: str  # element id: "question", "answer-1", ...
    author: str
    date: str
    votes: int
    accepted: bool
    html: str
    comments: tuple[RenderedComment, ...]
    author_url: str = ""  # the author's profile when a page may link to it (http or https), else ""


@dataclass(frozen=True)
class RenderedSummary:
    problem: str = ""
    tried: str = ""
    solution: str = ""

    def __bool__(self) -> bool:
        return bool(self.problem or self.tried or self.solution)


@dataclass(frozen=True)
class RenderedThread:
    thread: Thread
    question: RenderedPost
    answers: tuple[RenderedPost, ...]  # accepted first, then by votes
    summary: RenderedSummary


class CommunityMarkdown:
    """Reusable renderer of untrusted Markdown; one per build (Markdown instances are not thread-safe)."""

    def __init__(self) -> None:
        self._markdown = markdown.Markdown(extensions=list(COMMUNITY_EXTENSIONS), output_format="html")

    def html(self, source: str) -> str:
        self._markdown.reset()
        return sanitize_community_html(self._markdown.convert(source))

    def thread(self, thread: Thread) -> RenderedThread:
        question = RenderedPost("question", thread.author, thread.date, thread.votes, False, self.html(thread.body), self._comments(thread.comments), linkable_url(thread.author_url))
        answers = tuple(self._answer(index, answer) for index, answer in enumerate(thread.answers_best_first, 1))
        summary = thread_summary(thread)
        rendered_summary = RenderedSummary(*(self.html(part) if part.strip() else "" for part in (summary.problem, summary.tried, summary.solution)))
        return RenderedThread(thread, question, answers, rendered_summary)

    def _answer(self, index: int, answer: Post) -> RenderedPost:
        return RenderedPost(f"answer-{index}", answer.author, answer.date, answer.votes, answer.accepted, self.html(answer.body), self._comments(answer.comments), linkable_url(answer.author_url))

    def _comments(self, comments: tuple[Comment, ...]) -> tuple[RenderedComment, ...]:
        return tuple(RenderedComment(comment, self.html(comment.body), linkable_url(comment.author_url)) for comment in comments)


def thread_summary(thread: Thread) -> ThreadSummary:
    """The summary box: the summary stage's (front matter parts win there), else the front matter alone."""
    if summarize_thread is not None:
        return summarize_thread(thread)
    return thread.summary or ThreadSummary()
