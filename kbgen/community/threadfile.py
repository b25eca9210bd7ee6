"""Write a Thread back to Markdown in one canonical form, so import → load → write gives the same bytes.

The form is the one people write by hand (see content/community/): front-matter keys in schema
order, keys at their default left out, short text as plain YAML scalars, several lines as ``|``
blocks, quoting only where YAML needs it. Every value the loader reads is written back.
"""

from __future__ import annotations

from collections.abc import Iterable

from kbgen.content.yaml_text import INDENT, block_list, field_lines, flow_list, scalar, yaml_bool
from kbgen.frontmatter import FENCE
from kbgen.model import Comment, Post, Thread

__all__ = ["scalar", "thread_markdown"]  # the scalar writer is kbgen.content's; its tests read it beside the thread writer

def thread_markdown(thread: Thread) -> str:
    """The whole file for ``thread``: ``---``, front matter, ``---``, then the question body."""
    lines = [FENCE]
    lines += field_lines("title", thread.title)
    lines += field_lines("author", thread.author)
    if thread.author_url:
        lines += field_lines("author_url", thread.author_url)
    lines += field_lines("date", thread.date)
    if thread.tags:
        lines.append(f"tags: {flow_list(thread.tags)}")
    lines.append(f"votes: {thread.votes}")
    lines.append(f"solved: {yaml_bool(thread.solved)}")
    if thread.locked:
        lines.append("locked: true")
    for name in ("source", "source_id", "license"):
        if getattr(thread, name):
            lines += field_lines(name, getattr(thread, name))
    if thread.links.duplicates or thread.links.related:
        lines.append("links:")
        for name in ("duplicates", "related"):
            lines += block_list(name, getattr(thread.links, name), INDENT)
    summary = thread.summary
    if summary is not None and (summary.problem or summary.tried or summary.solution):
        lines.append("summary:")
        for name in ("problem", "tried", "solution"):
            if getattr(summary, name):
                lines += field_lines(name, getattr(summary, name), INDENT)
    for name in ("related", "unrelated"):
        lines += block_list(name, getattr(thread, name))
    lines += _comments(thread.comments, "")
    lines.append("answers:" if thread.answers else "answers: []")  # the empty list shows writers where answers go
    for answer in thread.answers:
        lines += _answer(answer)
    lines.append(FENCE)
    return "\n".join(lines) + "\n" + thread.body


def _answer(answer: Post) -> list[str]:
    item = INDENT * 2
    lines = field_lines("author", answer.author, INDENT + "- ")
    if answer.author_url:
        lines += field_lines("author_url", answer.author_url, item)
    lines += field_lines("date", answer.date, item)
    lines.append(f"{item}votes: {answer.votes}")
    if answer.accepted:
        lines.append(f"{item}accepted: true")
    if answer.source_id:
        lines += field_lines("source_id", answer.source_id, item)
    lines += field_lines("body", answer.body, item)
    lines += _comments(answer.comments, item)
    return lines


def _comments(comments: Iterable[Comment], indent: str) -> list[str]:
    comments = tuple(comments)
    if not comments:
        return []
    lines = [f"{indent}comments:"]
    for comment in comments:
        lines += field_lines("author", comment.author, f"{indent}{INDENT}- ")
        if comment.author_url:
            lines += field_lines("author_url", comment.author_url, indent + INDENT * 2)
        lines += field_lines("date", comment.date, indent + INDENT * 2)
        lines += field_lines("body", comment.body, indent + INDENT * 2)
    return lines
