"""Import GitHub Discussions from GraphQL API JSON.

Follows GitHub's schema: a ``Discussion`` (``number``, ``title``, ``body``/``bodyHTML``, ``url``,
``createdAt``, ``author.login``, ``category``, ``upvoteCount``, ``answer``, ``labels``) whose
top-level ``comments`` are the answers and whose comments' ``replies`` are comments on them.
A file may hold one discussion, a list of them, or a whole GraphQL response
(``data.repository.discussions.nodes`` or ``.edges[].node``, or ``data.repository.discussion``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kbgen.community.html import absolute_url, html_to_markdown, markdown_to_markdown
from kbgen.community.records import ImportedItem, RecordReader, clean_tags, json_files, one_line, read_json, unplaced_thread
from kbgen.errors import KbgenError
from kbgen.model import Comment, Post, linkable_url

GHOST = "ghost"  # how GitHub shows a deleted account


def read_github_discussions(source: Path, site_url: str | None = None) -> Iterator[ImportedItem]:
    """Every discussion in ``source`` (a JSON file or a folder of them) as a Thread, in file order."""
    for path in json_files(Path(source)):
        discussions, repository_url = _discussions(path, read_json(path))
        base = (site_url or repository_url or "").rstrip("/")
        for where, record in discussions:
            yield _thread(RecordReader(path, record, where), base)


def _discussions(path: Path, data: Any) -> tuple[list[tuple[str, Any]], str]:
    """The discussion records of a file, each with where it sits, and the repository's URL if given."""
    if isinstance(data, list):
        return [(f"discussion {index + 1}", item) for index, item in enumerate(data)], ""
    if not isinstance(data, dict):
        raise _wrong_shape(path)
    if "errors" in data and not data.get("data"):
        raise KbgenError(str(path), f"the file is a GraphQL error response: {str(data['errors'])[:200]}", hint="run the query again and save a successful response")
    if "number" in data and "title" in data:
        return [("discussion", data)], ""
    repository = (data.get("data") or {}).get("repository") if isinstance(data.get("data"), dict) else None
    if not isinstance(repository, dict):
        raise _wrong_shape(path)
    url = repository.get("url") if isinstance(repository.get("url"), str) else ""
    if isinstance(repository.get("discussion"), dict):
        return [("data.repository.discussion", repository["discussion"])], url
    connection = repository.get("discussions")
    if isinstance(connection, dict) and isinstance(connection.get("nodes"), list):
        return [(f"data.repository.discussions.nodes[{index}]", node) for index, node in enumerate(connection["nodes"])], url
    if isinstance(connection, dict) and isinstance(connection.get("edges"), list):
        edges = connection["edges"]
        return [(f"data.repository.discussions.edges[{index}].node", (edge or {}).get("node") if isinstance(edge, dict) else edge) for index, edge in enumerate(edges)], url
    raise _wrong_shape(path)


def _wrong_shape(path: Path) -> KbgenError:
    return KbgenError(
        str(path),
        "not GitHub Discussions JSON: expected a discussion, a list of them, or data.repository.discussions.nodes",
        hint="save the response of a GraphQL query over repository.discussions (number, title, body, author, createdAt, comments)",
    )


def _body(record: RecordReader, base: str) -> str:
    html = record.get("bodyHTML", str, required=False)
    if html is not None:
        return html_to_markdown(html, base)
    return markdown_to_markdown(record.get("body", str), base)


def _author(record: RecordReader) -> str:
    author = record.get("author", dict, required=False) or {}
    return one_line(author.get("login")) or GHOST


def _author_url(record: RecordReader) -> str:
    """``author.url`` from the query, when it is a web address (a deleted account has no author)."""
    url = (record.get("author", dict, required=False) or {}).get("url")
    return linkable_url(url) if isinstance(url, str) else ""


def _is_gone(record: RecordReader) -> bool:
    return bool(record.record.get("deletedAt") or record.record.get("isMinimized"))


def _connection_nodes(record: RecordReader, name: str) -> list[tuple[str, Any]]:
    connection = record.get(name, dict, required=False) or {}
    if isinstance(connection.get("nodes"), list):
        return [(f"{record.where}.{name}.nodes[{index}]", node) for index, node in enumerate(connection["nodes"])]
    if isinstance(connection.get("edges"), list):
        return [(f"{record.where}.{name}.edges[{index}].node", edge.get("node") if isinstance(edge, dict) else edge) for index, edge in enumerate(connection["edges"])]
    return []


def _thread(discussion: RecordReader, base: str) -> ImportedItem:
    number = discussion.get("number", int)
    title = one_line(discussion.get("title", str))
    if not title:
        raise discussion.fail("the discussion has an empty title")
    url = discussion.get("url", str, required=False) or (absolute_url(base, f"discussions/{number}") if base else "")
    if not url:
        raise discussion.fail("no 'url' to link back to", "add 'url' to the query, or pass --site-url https://github.com/OWNER/REPO")
    answer = discussion.get("answer", dict, required=False) or {}
    answers = []
    for where, node in _connection_nodes(discussion, "comments"):
        comment = RecordReader(discussion.path, node, where)
        if _is_gone(comment):
            continue
        body = _body(comment, base)
        if not body:
            continue
        accepted = comment.get("isAnswer", bool, required=False, default=False) or (bool(answer.get("id")) and answer.get("id") == comment.record.get("id"))
        accepted = accepted and not any(post.accepted for post in answers)  # GitHub marks one answer; a damaged export may mark more
        answers.append(Post(
            author=_author(comment), author_url=_author_url(comment), date=comment.date("createdAt"), body=body,
            votes=comment.get("upvoteCount", int, required=False, default=0), accepted=accepted,
            comments=_replies(comment, base), source_id=one_line(comment.record.get("databaseId") or comment.record.get("id") or ""),
        ))  # fmt: skip
    category = discussion.get("category", dict, required=False) or {}
    labels = [RecordReader(discussion.path, node, where).get("name", str) for where, node in _connection_nodes(discussion, "labels")]
    return unplaced_thread(
        title=title,
        body=_body(discussion, base) or f"{title}\n",
        author=_author(discussion),
        author_url=_author_url(discussion),
        date=discussion.date("createdAt"),
        tags=clean_tags(labels),
        votes=discussion.get("upvoteCount", int, required=False, default=0),
        solved=any(post.accepted for post in answers),
        answers=tuple(answers),
        source=url,
        source_id=str(number),
        category=one_line(category.get("name") or category.get("slug") or ""),  # the name titles the category if it is added
    )


def _replies(comment: RecordReader, base: str) -> tuple[Comment, ...]:
    replies = []
    for where, node in _connection_nodes(comment, "replies"):
        reply = RecordReader(comment.path, node, where)
        if _is_gone(reply):
            continue
        body = _body(reply, base).strip()
        if body:
            replies.append(Comment(author=_author(reply), date=reply.date("createdAt"), body=body, author_url=_author_url(reply)))
    return tuple(replies)
