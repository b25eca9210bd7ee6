"""Import Discourse topics from the JSON its API serves (``/t/<id>.json`` or ``/t/<id>/posts.json``).

The first post is the question and later regular posts are the answers; likes count as votes;
the Solved plugin's ``accepted_answer`` marks the accepted one. Discourse sends long topics in
pages, so several files (or a folder of them) are merged by topic id.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kbgen.community.html import absolute_url, html_to_markdown
from kbgen.community.records import (
    ImportedItem,
    RecordReader,
    Skipped,
    clean_tags,
    forum_date,
    json_files,
    one_line,
    read_json,
    unplaced_thread,
)
from kbgen.errors import KbgenError
from kbgen.model import Post, linkable_url

REGULAR_POST = 1
LIKE_ACTION = 2
_AVATAR_HOST = re.compile(r"^/user_avatar/([a-z0-9.-]+\.[a-z]{2,})/", re.IGNORECASE)


@dataclass
class _Topic:
    """One topic gathered from one or more files."""

    topic_id: int
    path: Path
    title: str = ""
    slug: str = ""
    tags: tuple[str, ...] = ()
    category_id: int | None = None  # for --category-map; the topic JSON names no category
    accepted_post_number: int | None = None
    posts: dict[int, dict[str, Any]] = field(default_factory=dict)  # by post number


def read_discourse(source: Path, site_url: str | None = None) -> Iterator[ImportedItem]:
    """Every topic in ``source`` (a JSON file or a folder of them) as a Thread, by topic id."""
    topics: dict[int, _Topic] = {}
    hosts: set[str] = set()
    for path in json_files(Path(source)):
        data = read_json(path)
        for index, topic_data in enumerate(data if isinstance(data, list) else [data]):
            _merge(topics, path, topic_data, f"topic {index + 1}" if isinstance(data, list) else "topic", hosts)
    site = (site_url or _site_from_avatars(hosts, source)).rstrip("/")
    for topic_id in sorted(topics):
        yield _thread(topics[topic_id], site)


def _merge(topics: dict[int, _Topic], path: Path, data: Any, where: str, hosts: set[str]) -> None:
    topic = RecordReader(path, data, where)
    stream = topic.record.get("post_stream")
    if not isinstance(stream, dict) or not isinstance(stream.get("posts"), list):
        raise topic.fail(
            "not a Discourse topic: no 'post_stream.posts' list",
            "save the JSON of /t/<id>.json or /t/<id>/posts.json from the forum's API",
        )
    posts = [RecordReader(path, post, f"{where}, post_stream.posts[{index}]") for index, post in enumerate(stream["posts"])]
    topic_id = topic.get("id", int, required=not posts)
    if topic_id is None:
        topic_id = posts[0].get("topic_id", int)
    gathered = topics.setdefault(topic_id, _Topic(topic_id, path))
    gathered.title = one_line(topic.get("title", str, required=False, default="")) or gathered.title
    gathered.slug = topic.get("slug", str, required=False, default="") or gathered.slug
    tags = topic.get("tags", list, required=False, default=[])
    gathered.tags = clean_tags([tag.get("name", "") if isinstance(tag, dict) else str(tag) for tag in tags]) or gathered.tags
    gathered.category_id = topic.get("category_id", int, required=False) or gathered.category_id
    accepted = topic.get("accepted_answer", dict, required=False)
    if accepted and isinstance(accepted.get("post_number"), int):
        gathered.accepted_post_number = accepted["post_number"]
    for post in posts:
        if post.get("topic_id", int, required=False, default=topic_id) != topic_id:
            raise post.fail(f"belongs to topic {post.record['topic_id']}, not {topic_id}")
        number = post.get("post_number", int)
        for name, kind in (("id", int), ("username", str), ("cooked", str)):
            post.get(name, kind)
        post.date("created_at")
        gathered.slug = gathered.slug or post.get("topic_slug", str, required=False, default="")
        match = _AVATAR_HOST.match(post.get("avatar_template", str, required=False, default=""))
        if match:
            hosts.add(match.group(1).lower())
        gathered.posts[number] = post.record


def _site_from_avatars(hosts: set[str], source: Path) -> str:
    """Discourse's avatar paths name the forum's host; without --site-url that is the address used."""
    if len(hosts) == 1:
        return f"https://{next(iter(hosts))}"
    raise KbgenError(str(source), "cannot tell the forum's address from the export", hint="pass --site-url, e.g. --site-url https://forum.example.com")


def profile_url(site: str, username: str) -> str:
    """The user's page on the forum: ``/u/<username>`` (quoted, so no name can make the address unlinkable)."""
    name = one_line(username)
    return f"{site}/u/{quote(name, safe='')}" if name and _linkable_site(site) else ""


@functools.lru_cache(maxsize=16)
def _linkable_site(site: str) -> bool:
    return bool(linkable_url(f"{site}/u/x"))


def _likes(post: dict[str, Any]) -> int:
    for action in post.get("actions_summary") or []:
        if isinstance(action, dict) and action.get("id") == LIKE_ACTION and isinstance(action.get("count"), int):
            return action["count"]
    count = post.get("like_count")
    return count if isinstance(count, int) else 0


def _visible(post: dict[str, Any]) -> bool:
    return post.get("post_type", REGULAR_POST) == REGULAR_POST and not post.get("hidden") and not post.get("deleted_at") and not post.get("user_deleted")


def _thread(topic: _Topic, site: str) -> ImportedItem:
    first = topic.posts.get(1)
    if first is None:
        return Skipped(str(topic.topic_id), "first post not in the export")
    slug = one_line(topic.slug) or f"topic-{topic.topic_id}"  # the forum's text: no control character reaches the source URL
    title = topic.title or slug.replace("-", " ").capitalize()
    answers = []
    for number in sorted(topic.posts):
        post = topic.posts[number]
        if number == 1 or not _visible(post):
            continue
        body = html_to_markdown(post["cooked"], site)
        if body:
            accepted = post.get("accepted_answer") is True or number == topic.accepted_post_number
            accepted = accepted and not any(answer.accepted for answer in answers)  # one accepted answer, even if the export marks more
            answers.append(Post(
                author=one_line(post["username"]), date=forum_date(post["created_at"]), body=body, votes=_likes(post),
                accepted=accepted, source_id=str(post["id"]), author_url=profile_url(site, post["username"]),
            ))  # fmt: skip
    return unplaced_thread(
        title=title,
        body=html_to_markdown(first["cooked"], site) or f"{title}\n",
        author=one_line(first["username"]),
        author_url=profile_url(site, first["username"]),
        date=forum_date(first["created_at"]),
        tags=topic.tags,
        category=str(topic.category_id) if topic.category_id is not None else "",
        votes=_likes(first),
        solved=any(answer.accepted for answer in answers),
        answers=tuple(answers),
        source=absolute_url(site, f"t/{quote(slug, safe='-._~%')}/{topic.topic_id}"),
        source_id=str(topic.topic_id),
    )
