"""Import a Stack Exchange data dump: ``Posts.xml`` (+ ``Comments.xml``, ``PostLinks.xml``, ``Users.xml``).

Rows are streamed into a throw-away SQLite file (so memory stays flat whatever the dump's size,
and answers find their question wherever they sit in the file), then read back one question at a
time with its answers, comments and links. Attribution follows Stack Exchange's terms: author,
a link to the post, and CC BY-SA 3.0 for posts before 2018-05-02, 4.0 from then on.
"""

from __future__ import annotations

import functools
import logging
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kbgen.community.html import html_to_markdown, plain_to_markdown
from kbgen.community.records import MAX_INTEGER, ImportedItem, clean_tags, forum_date, one_line, unplaced_thread
from kbgen.community.xmlrows import Row, iter_rows
from kbgen.errors import KbgenError
from kbgen.model import Comment, Post, ThreadLinks, linkable_url

log = logging.getLogger(__name__)

QUESTION, ANSWER = 1, 2
RELATED_LINK, DUPLICATE_LINK = 1, 3
LICENSE_4_FROM = "2018-05-02"
_INTEGER = re.compile(r"\s*[+-]?\d+\s*", re.ASCII)
_DUMP_FOLDER = re.compile(r"^stackexchange[_-](?P<site>[a-z0-9]+?)(?P<meta>[_-]meta)?(?:[_-]\d{4})?$")

_SCHEMA = """
CREATE TABLE posts (id INTEGER PRIMARY KEY, type INTEGER, parent INTEGER, accepted INTEGER, date TEXT,
                    score INTEGER, body TEXT, owner_id TEXT, owner_name TEXT, title TEXT, tags TEXT);
CREATE TABLE comments (id INTEGER, post INTEGER, date TEXT, text TEXT, user_id TEXT, user_name TEXT);
CREATE TABLE links (post INTEGER, related INTEGER, type INTEGER);
CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT);
"""
_INDEXES = """
CREATE INDEX posts_parent ON posts (parent, id);
CREATE INDEX comments_post ON comments (post, date, id);
CREATE INDEX links_post ON links (post);
CREATE INDEX links_related ON links (related);
"""


def find_posts_file(source: Path) -> Path:
    """``Posts.xml`` or ``Posts.xml.gz`` itself, or inside the folder ``source``."""
    if source.is_file():
        return source
    for name in ("Posts.xml", "Posts.xml.gz"):
        if (source / name).is_file():
            return source / name
    raise KbgenError(str(source), "no Posts.xml or Posts.xml.gz here", hint="pass the folder of an extracted Stack Exchange data dump, or its Posts.xml")


def sibling_file(posts_file: Path, name: str) -> Path | None:
    for candidate in (posts_file.parent / f"{name}.xml", posts_file.parent / f"{name}.xml.gz"):
        if candidate.is_file():
            return candidate
    return None


def default_site_url(posts_file: Path) -> str:
    """The site's address guessed from the dump's folder: ``coffee.stackexchange.com`` or ``stackexchange_coffee_2015``."""
    folder = posts_file.resolve().parent.name.lower()
    if "." in folder and re.fullmatch(r"[a-z0-9.-]+", folder):
        return f"https://{folder}"
    match = _DUMP_FOLDER.match(folder)
    if match:
        meta = "meta." if match.group("meta") else ""
        return f"https://{match.group('site')}.{meta}stackexchange.com"
    raise KbgenError(str(posts_file), f"cannot tell the site's address from the folder name '{folder}'", hint="pass --site-url, e.g. --site-url https://coffee.stackexchange.com")


def license_for(date: str) -> str:
    return "CC BY-SA 4.0" if date[:10] >= LICENSE_4_FROM else "CC BY-SA 3.0"


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags as ``<a><b>`` (older dumps) or ``|a|b|`` (newer ones)."""
    if text.startswith("<"):
        return clean_tags(re.findall(r"<([^<>]+)>", text))
    return clean_tags(text.split("|"))


def read_stackexchange(source: Path, site_url: str | None = None) -> Iterator[ImportedItem]:
    """Every question of the dump as a Thread, oldest first, with its answers and comments."""
    posts_file = find_posts_file(Path(source))
    site = (site_url or default_site_url(posts_file)).rstrip("/")
    with tempfile.TemporaryDirectory(prefix="kbgen-stackexchange-") as staging:
        database = sqlite3.connect(Path(staging) / "dump.sqlite")
        try:
            database.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
            staged = _stage(database, posts_file)
            database.executescript(_INDEXES)
            yield from _threads(database, site, has_comments="comments" in staged, has_links="links" in staged)
        finally:
            database.close()


def _stage(database: sqlite3.Connection, posts_file: Path) -> set[str]:
    """Stream the dump's files into ``database``; returns the optional tables that got rows."""
    staged: set[str] = set()
    with database:
        try:
            database.executemany("INSERT INTO posts VALUES (?,?,?,?,?,?,?,?,?,?,?)", _post_records(posts_file))
        except sqlite3.IntegrityError:  # the only constraint is the posts' primary key
            raise _duplicate_post(posts_file) from None
        optional = (
            ("Comments", "comments", "comments", "INSERT INTO comments VALUES (?,?,?,?,?,?)", _comment_record),
            ("PostLinks", "postlinks", "links", "INSERT INTO links VALUES (?,?,?)", _link_record),
            ("Users", "users", "users", "INSERT OR REPLACE INTO users VALUES (?,?)", _user_record),
        )
        for name, root_tag, table, statement, to_record in optional:
            path = sibling_file(posts_file, name)
            if path is not None:
                log.debug("reading %s", path)
                database.executemany(statement, (to_record(path, row) for row in iter_rows(path, root_tag)))
                staged.add(table)
    return staged


class _RowReader:
    """Typed attribute access that reports a bad value at the row's line."""

    def __init__(self, path: Path, row: Row) -> None:
        self.path, self.row = path, row

    def fail(self, message: str, hint: str = "") -> KbgenError:
        record = self.row.attributes.get("Id", "?")[:40]
        return KbgenError(str(self.path), f"row Id={record}: {message}", self.row.line, hint=hint)

    def text(self, name: str, required: bool = False) -> str:
        value = self.row.attributes.get(name)
        if value is None and required:
            raise self.fail(f"missing attribute {name}", "the file is not a complete Stack Exchange data dump")
        return value or ""

    def integer(self, name: str, required: bool = False, positive: bool = False) -> int | None:
        """A whole number that SQLite stores (64-bit); ``positive`` for the ids of posts and comments."""
        value = self.text(name, required)
        if not value:
            return None
        shown = value if len(value) <= 40 else f"{value[:40]}…"
        if not _INTEGER.fullmatch(value):
            raise self.fail(f"{name} must be a whole number, not {shown!r}")
        number = int(value) if len(value) <= 40 else MAX_INTEGER + 1  # Python refuses over 4,300 digits
        if abs(number) > MAX_INTEGER:
            raise self.fail(f"{name} {shown} is too large for an id or a count", f"numbers in a data dump are at most {MAX_INTEGER}")
        if positive and number < 1:
            raise self.fail(f"{name} must be a positive id, not {number}", "ids in a data dump start at 1")
        return number

    def date(self, name: str) -> str:
        value = self.text(name, required=True)
        try:
            return forum_date(value)
        except ValueError:
            raise self.fail(f"{name} is not an ISO date-time: {value!r}") from None


def _post_records(path: Path) -> Iterator[tuple]:
    for row in iter_rows(path, "posts"):
        reader = _RowReader(path, row)
        kind = reader.integer("PostTypeId", required=True)
        if kind not in (QUESTION, ANSWER):
            continue  # tag wikis, moderator nominations…
        post_id = reader.integer("Id", required=True, positive=True)
        parent = reader.integer("ParentId", required=kind == ANSWER, positive=True)
        title = one_line(reader.text("Title", required=kind == QUESTION))
        if kind == QUESTION and not title:
            raise reader.fail("the question has an empty Title")
        yield (
            post_id, kind, parent, reader.integer("AcceptedAnswerId", positive=True), reader.date("CreationDate"),
            reader.integer("Score") or 0, reader.text("Body"), reader.text("OwnerUserId"),
            reader.text("OwnerDisplayName"), title, reader.text("Tags"),
        )  # fmt: skip


def _comment_record(path: Path, row: Row) -> tuple:
    reader = _RowReader(path, row)
    return (
        reader.integer("Id", required=True, positive=True), reader.integer("PostId", required=True, positive=True), reader.date("CreationDate"),
        reader.text("Text"), reader.text("UserId"), reader.text("UserDisplayName"),
    )  # fmt: skip


def _link_record(path: Path, row: Row) -> tuple:
    reader = _RowReader(path, row)
    return (
        reader.integer("PostId", required=True, positive=True), reader.integer("RelatedPostId", required=True, positive=True),
        reader.integer("LinkTypeId", required=True),
    )  # fmt: skip


def _duplicate_post(path: Path) -> KbgenError:
    """The error for two posts with one Id, found by reading the file again (only once SQLite refused it)."""
    first_lines: dict[int, int] = {}
    for row in iter_rows(path, "posts"):
        reader = _RowReader(path, row)
        if reader.integer("PostTypeId", required=True) not in (QUESTION, ANSWER):
            continue
        post_id = reader.integer("Id", required=True, positive=True)
        if post_id in first_lines:
            return reader.fail(f"a second post with this Id (the first is on line {first_lines[post_id]})", "each post appears once in a data dump: extract the dump again")
        first_lines[post_id] = row.line
    return KbgenError(str(path), "two posts share an Id", hint="each post appears once in a data dump: extract the dump again")


def _user_record(path: Path, row: Row) -> tuple:
    reader = _RowReader(path, row)
    return (reader.text("Id", required=True), one_line(reader.text("DisplayName")))


_POST_COLUMNS = "p.id, p.date, p.score, p.body, coalesce(nullif(u.name, ''), nullif(p.owner_name, ''), CASE WHEN p.owner_id != '' THEN 'user' || p.owner_id END, 'anonymous'), p.owner_id"
_COMMENT_COLUMNS = "c.post, c.date, c.text, coalesce(nullif(u.name, ''), nullif(c.user_name, ''), CASE WHEN c.user_id != '' THEN 'user' || c.user_id END, 'anonymous'), c.user_id"
_USER_ID = re.compile(r"-?\d{1,19}", re.ASCII)  # -1 is the site's "Community" user, which has a profile too


def profile_url(site: str, user_id: str) -> str:
    """The user's page on the site, when the dump names the user by id (deleted users have none)."""
    return f"{site}/users/{user_id.strip()}" if _USER_ID.fullmatch(user_id.strip()) and _linkable_site(site) else ""


@functools.lru_cache(maxsize=16)  # one site per dump; a digit id cannot make its address unlinkable
def _linkable_site(site: str) -> bool:
    return bool(linkable_url(f"{site}/users/1"))


def _threads(database: sqlite3.Connection, site: str, has_comments: bool, has_links: bool) -> Iterator[ImportedItem]:
    """One thread per question; the comment and link tables are only asked when the dump had those files."""
    questions = database.execute(
        f"SELECT {_POST_COLUMNS}, p.title, p.tags, p.accepted FROM posts p LEFT JOIN users u ON u.id = p.owner_id WHERE p.type = ? ORDER BY p.id",
        (QUESTION,),
    )
    for question_id, date, score, body, author, owner_id, title, tags, accepted_id in questions:
        answer_rows = database.execute(
            f"SELECT {_POST_COLUMNS} FROM posts p LEFT JOIN users u ON u.id = p.owner_id WHERE p.parent = ? AND p.type = ? ORDER BY p.id",
            (question_id, ANSWER),
        ).fetchall()
        comments = _comments(database, [question_id, *(row[0] for row in answer_rows)], site) if has_comments else {}
        answers = []
        for answer_id, answer_date, answer_score, answer_body, answer_author, answer_owner_id in answer_rows:
            markdown = html_to_markdown(answer_body, site)
            if markdown:
                answers.append(Post(
                    author=answer_author, date=answer_date, body=markdown, votes=answer_score,
                    accepted=answer_id == accepted_id, comments=comments.get(answer_id, ()), source_id=str(answer_id),
                    author_url=profile_url(site, answer_owner_id),
                ))  # fmt: skip
        dates = [date, *(answer.date for answer in answers)]
        licenses = dict.fromkeys(license_for(when) for when in dates)
        yield unplaced_thread(
            title=title,
            body=html_to_markdown(body, site) or f"{title}\n",
            author=author,
            author_url=profile_url(site, owner_id),
            date=date,
            tags=parse_tags(tags),
            votes=score,
            solved=any(answer.accepted for answer in answers),
            comments=comments.get(question_id, ()),
            answers=tuple(answers),
            source=f"{site}/questions/{question_id}",
            source_id=str(question_id),
            license=", ".join(licenses),
            links=_links(database, question_id, site) if has_links else ThreadLinks(),
        )


def _comments(database: sqlite3.Connection, post_ids: list[int], site: str) -> dict[int, tuple[Comment, ...]]:
    found: dict[int, list[Comment]] = {}
    placeholders = ",".join("?" * len(post_ids))
    rows = database.execute(
        f"SELECT {_COMMENT_COLUMNS} FROM comments c LEFT JOIN users u ON u.id = c.user_id WHERE c.post IN ({placeholders}) ORDER BY c.post, c.date, c.id",
        post_ids,
    )
    for post_id, date, text, author, user_id in rows:
        body = plain_to_markdown(text, site).strip()
        if body:
            found.setdefault(post_id, []).append(Comment(author=author, date=date, body=body, author_url=profile_url(site, user_id)))
    return {post_id: tuple(comments) for post_id, comments in found.items()}


def _links(database: sqlite3.Connection, question_id: int, site: str) -> ThreadLinks:
    """Links in both directions: a duplicate of this question, or this one a duplicate of another."""
    rows = database.execute(
        "SELECT related, type FROM links WHERE post = ?1 UNION SELECT post, type FROM links WHERE related = ?1 ORDER BY 1",
        (question_id,),
    ).fetchall()
    duplicates = tuple(f"{site}/questions/{other}" for other, kind in rows if kind == DUPLICATE_LINK and other != question_id)
    related = tuple(f"{site}/questions/{other}" for other, kind in rows if kind == RELATED_LINK and other != question_id)
    return ThreadLinks(duplicates=duplicates, related=tuple(url for url in dict.fromkeys(related) if url not in duplicates))
