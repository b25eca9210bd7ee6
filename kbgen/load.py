"""Read a content tree (``faq/``, ``community/``, plain pages, ``categories.yml``) into a Corpus.

Every file is validated against the schema as it is read; problems are collected, located at
their file and line, never raised, so one run reports all of them. A ``LoadCache`` keeps what
each file gave between loads of the same tree, so only files that changed are parsed again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any

from kbgen import schema
from kbgen.content.atomic import atomic_writer
from kbgen.errors import KbgenError, sorted_problems
from kbgen.frontmatter import BYTE_ORDER_MARK, MAX_FILE_BYTES, FrontMatter, check_characters, parse_yaml, read_front_matter
from kbgen.model import (
    UNCATEGORIZED,
    Article,
    Category,
    Comment,
    Corpus,
    Page,
    Post,
    SupportField,
    Thread,
    ThreadLinks,
    ThreadSummary,
    linkable_url,
)
from kbgen.project import version_stamps
from kbgen.safepath import unsafe_files, unsafe_reason

log = logging.getLogger(__name__)

CATEGORIES_FILE = "categories.yml"
FAQ_DIR = "faq"
COMMUNITY_DIR = "community"
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_HEADING = re.compile(r"^#\s+(.+)$", re.MULTILINE)  # closing '#'s are stripped apart: a regex for them is quadratic


Loaded = Article | Thread | Page | None
# Bump when what a file loads into changes; the code's own files are hashed as well.
CACHE_VERSION = 1
CACHE_FILE = "parsed-content.pickle"
_RECORD_MODULES = ("load.py", "model.py", "schema.py", "frontmatter.py", "errors.py")


@dataclass
class LoadCache:
    """What each file of one content tree loaded into, by path, with the size and modification time it had.

    ``load_corpus`` parses again only files whose size or time changed (or all of them when the
    categories did). Kept in memory between the rebuilds of ``kbgen serve``, and on disk
    (``read_load_cache`` / ``write_load_cache``) between builds.
    """

    root: str = ""
    categories: tuple[str, ...] = ()
    files: dict[str, tuple[int, int, Loaded, tuple[tuple[Any, ...], ...]]] = field(default_factory=dict)
    changed: bool = False  # something was parsed (or dropped) since the cache was read

    def lookup(self, relative: str, stat: os.stat_result) -> tuple[Loaded, list[KbgenError]] | None:
        entry = self.files.get(relative)
        if entry is None or entry[:2] != (stat.st_mtime_ns, stat.st_size):
            return None
        return entry[2], [KbgenError(*problem) for problem in entry[3]]

    def store(self, relative: str, stat: os.stat_result, loaded: Loaded, problems: list[KbgenError]) -> None:
        self.files[relative] = (stat.st_mtime_ns, stat.st_size, loaded, tuple(astuple(problem) for problem in problems))
        self.changed = True


def load_corpus(root: Path, cache: LoadCache | None = None) -> tuple[Corpus, list[KbgenError]]:
    """Load every file under ``root``. Returns the corpus of readable documents and all problems.

    With a ``cache`` (of any tree: it is reset when ``root`` differs), unchanged files are not parsed again.
    """
    root = Path(root)
    problems: list[KbgenError] = []
    if not root.is_dir():
        problems.append(KbgenError(str(root), "content directory not found", hint="run 'kbgen init' or pass the directory that holds faq/ and community/"))
        return Corpus(root=root), problems
    categories = load_categories(root, problems)
    cache = cache if cache is not None else LoadCache()
    if cache.root != str(root.resolve()) or cache.categories != tuple(categories):
        cache.root, cache.categories, cache.files, cache.changed = str(root.resolve()), tuple(categories), {}, True
    articles: list[Article] = []
    rejected: list[Article] = []
    threads: list[Thread] = []
    pages: list[Page] = []
    seen = set()
    problems.extend(unsafe_files(root))
    for relative in content_files(root):
        file = root / relative
        seen.add(relative)
        try:
            stat = file.stat()
        except OSError:
            stat = None
        cached = cache.lookup(relative, stat) if stat is not None else None
        if cached is None:
            loaded, found = _load_file(root, relative, categories)
            if stat is not None:
                cache.store(relative, stat, loaded, found)
        else:
            loaded, found = cached
        problems.extend(found)
        if isinstance(loaded, Article):
            (rejected if loaded.status == "rejected" else articles).append(loaded)
        elif isinstance(loaded, Thread):
            threads.append(loaded)
        elif isinstance(loaded, Page):
            pages.append(loaded)
    for gone in set(cache.files) - seen:
        del cache.files[gone]
        cache.changed = True
    corpus = Corpus(root=root, categories=categories, articles=tuple(articles), threads=tuple(threads), pages=tuple(pages), rejected=tuple(rejected))
    return corpus, sorted_problems(problems)


def content_files(root: Path) -> list[str]:
    """Paths (relative, with '/') of the Markdown files under ``root`` that may be read, in path order.

    Hidden files and folders are left out, and so is anything ``safepath`` refuses (a link that
    leaves ``root``, a device or pipe); ``unsafe_files`` reports those. A folder link that stays
    inside ``root`` is followed, unless it leads back to a folder on the way to it.
    """
    root = Path(root)
    found: list[str] = []
    folders = [("", os.fspath(root))]
    while folders:
        relative_folder, folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # unreadable: unsafe_files reports it
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = relative_folder + entry.name
            try:
                if entry.is_symlink() and (unsafe_reason(root, Path(entry.path)) is not None or _loops_back(folder, entry.path)):
                    continue
                if entry.is_dir():
                    folders.append((relative + "/", entry.path))
                elif entry.name.endswith(".md") and entry.is_file():
                    found.append(relative)
            except OSError:
                continue
    return sorted(found, key=lambda relative: relative.split("/"))


def _loops_back(folder: str, link: str) -> bool:
    """Whether ``link`` (in ``folder``) leads to ``folder`` or to a folder holding it, so following it never ends."""
    target = Path(link).resolve()
    return target.is_dir() and Path(folder).resolve().is_relative_to(target)


def _load_file(root: Path, relative: str, categories: dict[str, Category]) -> tuple[Loaded, list[KbgenError]]:
    """What one content file loads into (an article, a thread, a plain page or nothing) and its problems."""
    problems: list[KbgenError] = []
    kind = relative.split("/", 1)[0] if "/" in relative else ""
    if kind == FAQ_DIR:
        record = _load_document(root, relative, schema.ARTICLE, categories, problems)
        return (_article(*record) if record is not None else None), problems
    if kind == COMMUNITY_DIR:
        record = _load_document(root, relative, schema.THREAD, categories, problems)
        return (_thread(*record, problems) if record is not None else None), problems
    return _load_page(root, relative, problems), problems


def _cache_stamp() -> str:
    """Changes when the code that turns a file into a record changes."""
    digest = hashlib.sha256(f"{CACHE_VERSION}\n{version_stamps().key}".encode())
    here = Path(__file__).resolve().parent
    for name in _RECORD_MODULES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def read_load_cache(path: Path) -> LoadCache:
    """The cache saved at ``path``; an empty one if it is missing, damaged or from other code."""
    try:
        with open(path, "rb") as stream:
            stamp, cache = pickle.load(stream)
        if stamp == _cache_stamp() and isinstance(cache, LoadCache):
            cache.changed = False
            return cache
    except Exception:  # noqa: BLE001 - a cache that cannot be read is simply rebuilt
        pass
    return LoadCache()


def write_load_cache(path: Path, cache: LoadCache) -> None:
    """Save ``cache`` (beside the target, then renamed); a cache that cannot be written only costs time."""
    try:
        with atomic_writer(path, binary=True) as stream:
            pickle.dump((_cache_stamp(), cache), stream, protocol=pickle.HIGHEST_PROTOCOL)
        cache.changed = False
    except OSError as error:
        log.warning("cannot write the content cache %s (%s)", path, error)


def load_thread(root: Path, relative: str) -> tuple[Thread | None, list[KbgenError]]:
    """Read one thread file (``community/<category>/<slug>.md``) without reading the rest of the tree."""
    try:
        _refuse_unsafe(Path(root), relative)
    except KbgenError as problem:
        return None, [problem]
    problems: list[KbgenError] = []
    record = _load_document(Path(root), relative, schema.THREAD, {}, problems)
    return (_thread(*record, problems) if record is not None else None), sorted_problems(problems)


def read_text(root: Path, relative: str) -> str:
    """Read a content file as UTF-8 (a byte order mark dropped). Raises KbgenError if it cannot or may not be read.

    Refused: a file that ``safepath`` refuses (a link out of ``root``, a device), one over
    ``MAX_FILE_BYTES``, one that is not UTF-8 or that holds a forbidden control character.
    """
    _refuse_unsafe(root, relative)
    return _read_file(root, relative)


def _refuse_unsafe(root: Path, relative: str) -> None:
    reason = unsafe_reason(root, root / relative)
    if reason is not None:
        raise KbgenError(relative, f"file {reason}", hint="content is read only from regular files inside the docs folder: replace the link by a copy of the file")


def _read_file(root: Path, relative: str) -> str:
    """``read_text`` of a file already known to be safe to read (listed by ``content_files``)."""
    try:
        with open(root / relative, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise KbgenError(relative, f"cannot read file: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise KbgenError(relative, f"file is larger than {MAX_FILE_BYTES:,} bytes", hint="split it into several pages; a help article is rarely over 20 KB")
    try:
        text = data.decode("utf-8").removeprefix(BYTE_ORDER_MARK)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KbgenError(relative, "file is not valid UTF-8", line, hint="save it with UTF-8 encoding") from None
    check_characters(text, relative)
    return text


def load_categories(root: Path, problems: list[KbgenError]) -> dict[str, Category]:
    """Read ``categories.yml``: an ordered mapping of category folder name to its metadata."""
    relative = CATEGORIES_FILE
    if not (root / relative).is_file():
        problems.append(KbgenError(relative, "categories file not found", hint="create it with one 'slug: {title: ...}' entry per folder under faq/ and community/"))
        return {}
    try:
        data, locations, _ = parse_yaml(read_text(root, relative), relative)
    except KbgenError as problem:
        problems.append(problem)
        return {}
    if not isinstance(data, dict) or not data:
        problems.append(KbgenError(relative, "categories file must map each category slug to its settings", hint="e.g. 'billing: {title: Plans & billing}'"))
        return {}

    def locate(*key_path: Any) -> tuple[int, int]:
        path = tuple(key_path)
        while path and path not in locations:
            path = path[:-1]
        return locations.get(path, (1, 1))

    categories: dict[str, Category] = {}
    for slug, settings in data.items():
        line, column = locate(slug)
        if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
            problems.append(KbgenError(relative, f"category slug {slug!r} must be lower-case words joined by hyphens", line, column, "it is also the folder name, e.g. 'getting-started'"))
            continue
        if not isinstance(settings, dict):
            problems.append(KbgenError(relative, f"category '{slug}' must be a mapping with at least 'title'", line, column))
            continue
        clean, found = schema.validate(settings, schema.CATEGORY, relative, locate, (slug,))
        problems.extend(found)
        support = clean["support"] or {"include": "", "fields": ()}
        categories[slug] = Category(
            slug=slug,
            title=clean["title"] or slug,
            description=clean["description"],
            icon=clean["icon"],
            support_include=support["include"],
            support_fields=tuple(
                SupportField(item["id"] or "", item["label"] or "", item["type"], item["required"], tuple(item["options"]))
                for item in support["fields"]
            ),
        )
    return categories


def _load_document(
    root: Path,
    relative: str,
    document_schema: schema.Schema,
    categories: dict[str, Category],
    problems: list[KbgenError],
) -> tuple[str, str, str, FrontMatter, dict[str, Any]] | None:
    parts = relative.split("/")
    kind = parts[0]
    if len(parts) != 3:
        problems.append(KbgenError(relative, f"{document_schema.name} is not in a category folder", hint=f"move it to {kind}/<category>/{parts[-1]}"))
        return None
    category, slug = parts[1], Path(parts[2]).stem
    try:
        front_matter = read_front_matter(_read_file(root, relative), relative)
    except KbgenError as problem:
        problems.append(problem)
        return None
    for key_path, (line, column) in front_matter.duplicate_keys:
        problems.append(KbgenError(relative, f"key '{key_path[-1]}' appears twice; only the last one counts", line, column, "remove one of them"))
    clean, found = schema.validate(front_matter.data, document_schema, relative, front_matter.location)
    problems.extend(found)
    if categories and category not in categories:
        if category == UNCATEGORIZED and kind == FAQ_DIR:
            # Where kbgen mine puts a draft no declared category fits: fine for a draft, not for a published page.
            if clean.get("status") == "published":
                folders = ", ".join(f"{FAQ_DIR}/{slug}/" for slug in categories)
                problems.append(KbgenError(relative, f"a published article cannot stay in '{UNCATEGORIZED}'", *front_matter.location("status"),
                                           hint=f"move it to one of: {folders} (or keep 'status: draft' until you do)"))
        else:
            problems.append(KbgenError(relative, f"unknown category '{category}'", hint=schema.did_you_mean(category, list(categories)) or f"add '{category}:' to {CATEGORIES_FILE} or move the file to one of: {', '.join(categories)}"))
    if not SLUG_PATTERN.fullmatch(slug):
        problems.append(KbgenError(relative, f"file name '{parts[2]}' is not a clean slug", severity="warning", hint="use lower-case words joined by hyphens; the file name becomes the page URL"))
    if not front_matter.body.strip():
        what = "the answer" if kind == FAQ_DIR else "the question"
        problems.append(KbgenError(relative, "body is empty", front_matter.body_line, hint=f"write {what} in Markdown after the closing '---'"))
    if clean["title"] is None:
        return None
    return relative, category, slug, front_matter, clean


def _common(relative: str, category: str, slug: str, front_matter: FrontMatter, clean: dict[str, Any]) -> dict[str, Any]:
    return {
        "path": relative,
        "category": category,
        "slug": slug,
        "title": clean["title"].strip(),
        "body": front_matter.body,
        "body_line": front_matter.body_line,
        "tags": tuple(clean["tags"]),
        "related": tuple(clean["related"]),
        "unrelated": tuple(clean["unrelated"]),
    }


def _article(relative: str, category: str, slug: str, front_matter: FrontMatter, clean: dict[str, Any]) -> Article:
    return Article(
        **_common(relative, category, slug, front_matter, clean),
        questions=tuple(clean["questions"]),
        asked=clean["asked"],
        status=clean["status"],
        updated=clean["updated"],
        summary=clean["summary"].strip(),
    )


def _comments(records: Any) -> tuple[Comment, ...]:
    return tuple(Comment(record["author"] or "", record["date"] or "", record["body"] or "", record["author_url"]) for record in records)


def _thread(relative: str, category: str, slug: str, front_matter: FrontMatter, clean: dict[str, Any], problems: list[KbgenError]) -> Thread:
    answers = tuple(
        Post(
            author=record["author"] or "",
            date=record["date"] or "",
            body=record["body"] or "",
            votes=record["votes"],
            accepted=record["accepted"],
            comments=_comments(record["comments"]),
            source_id=record["source_id"],
            line=record["_line"],
            author_url=record["author_url"],
        )
        for record in clean["answers"]
    )
    _check_author_urls(relative, front_matter, clean, problems)
    accepted = [index for index, answer in enumerate(answers) if answer.accepted]
    for index in accepted[1:]:
        line, column = front_matter.location("answers", index, "accepted")
        problems.append(KbgenError(relative, "more than one answer has 'accepted: true'", line, column, f"keep it only on the answer that solved the problem (first one is on line {front_matter.location('answers', accepted[0], 'accepted')[0]})"))
    line, column = front_matter.location("solved")
    if clean["solved"] and not accepted and answers:
        problems.append(KbgenError(relative, "thread is 'solved: true' but no answer is accepted", line, column, "mark the answer that solved it with 'accepted: true'", severity="warning"))
    if accepted and not clean["solved"]:
        problems.append(KbgenError(relative, "an answer is accepted but the thread is not 'solved: true'", line, column, "set 'solved: true'", severity="warning"))
    summary = clean["summary"]
    return Thread(
        **_common(relative, category, slug, front_matter, clean),
        author=clean["author"] or "",
        author_url=clean["author_url"],
        date=clean["date"] or "",
        votes=clean["votes"],
        solved=clean["solved"],
        comments=_comments(clean["comments"]),
        answers=answers,
        source=clean["source"],
        source_id=clean["source_id"],
        license=clean["license"],
        locked=clean["locked"],
        summary=ThreadSummary(**summary) if summary else None,
        links=ThreadLinks(tuple(clean["links"]["duplicates"]), tuple(clean["links"]["related"])) if clean["links"] else ThreadLinks(),
    )


def _check_author_urls(relative: str, front_matter: FrontMatter, clean: dict[str, Any], problems: list[KbgenError]) -> None:
    """Warn of an ``author_url`` the site will not link to (it shows the name alone)."""
    records = [clean, *clean["comments"]]
    for answer in clean["answers"]:
        records += [answer, *answer["comments"]]
    for record in records:
        url = record["author_url"]
        if url and not linkable_url(url):
            line = record["_line"] if "_line" in record else front_matter.location("author_url")[0]
            problems.append(KbgenError(relative, f"author_url {url[:80]!r} is not an http(s) URL; the page shows the name without a link", line, hint="write the profile's full address, e.g. https://forum.example.com/u/dana", severity="warning"))


def _load_page(root: Path, relative: str, problems: list[KbgenError]) -> Page | None:
    try:
        text = _read_file(root, relative)
    except KbgenError as problem:
        problems.append(problem)
        return None
    title, body, body_line = "", text, 1
    if text.startswith("---"):
        try:
            front_matter = read_front_matter(text, relative)
        except KbgenError as problem:
            problems.append(problem)
            return None
        body, body_line = front_matter.body, front_matter.body_line
        title = str(front_matter.data.get("title") or "")
    if not title:
        heading = _HEADING.search(body)
        title = _heading_text(heading.group(1)) if heading else Path(relative).stem.replace("-", " ").capitalize()
    return Page(relative, title, body, body_line)


def _heading_text(line: str) -> str:
    """An ATX heading's text without its closing '#'s and spaces (a lone '#' stays: the heading is about '#')."""
    return line.rstrip().rstrip("#").rstrip() or line[:1]
