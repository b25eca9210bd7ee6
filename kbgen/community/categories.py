"""Which declared category an imported thread goes to, and the entries an import adds to ``categories.yml``.

An import must never leave ``kbgen check`` failing. A category a thread goes to that
``categories.yml`` does not declare (the forum's own category, one named after the forum, or one
the user named with ``--category`` / ``--category-map``) is appended to the file as a plain entry
a writer can edit, after the file's own lines, so its comments and order stay as they were. A
named category one edit away from a declared one is taken for a typo: the import stops before
reading the export, and says which one was meant.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from kbgen.content import slugify
from kbgen.content.yaml_text import scalar
from kbgen.errors import KbgenError
from kbgen.load import CATEGORIES_FILE, SLUG_PATTERN, load_categories
from kbgen.model import Thread

DEFAULT_CATEGORY = "general"
_STACK_EXCHANGE = ".stackexchange.com"
# The forum's part of a thread URL: its host, and on GitHub the owner/repo (only there does the path name the forum).
_FORUM_PART = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?:(?:www\.)?github\.com(?=[/?#]|$)(?:/[^/?#]*){0,2}|[^/?#]*)", re.IGNORECASE)
_HOST_PREFIXES = ("www.", "forum.", "forums.", "discuss.", "discourse.", "community.", "talk.")


@dataclass(frozen=True)
class NewCategory:
    """A category the import adds to ``categories.yml``."""

    slug: str
    title: str
    description: str


@dataclass(frozen=True)
class CategoryChoice:
    """Where threads go: one category for all, forum categories and tags mapped to declared ones, else the forum's."""

    category: str | None = None  # every thread goes here
    category_map: tuple[tuple[str, str], ...] = ()  # (forum category or tag, declared category), first match wins

    def place(self, thread: Thread) -> NewCategory:
        """The category of ``thread``: with the title and description it gets if it has to be added."""
        if self.category:
            return _named(self.category, thread)
        mapped = dict(self.category_map)
        for key in (thread.category, *thread.tags):
            target = mapped.get(key.lower()) if key else None
            if target:
                return _named(target, thread)
        if thread.category and re.search(r"[^\W\d_]", thread.category):  # a name; Discourse's ids are numbers
            slug = slugify(thread.category, max_words=4)
            if slug:
                return NewCategory(slug, thread.category, f"Discussions from the forum category “{thread.category}”.")
        return forum_category(thread.source)


def _named(slug: str, thread: Thread) -> NewCategory:
    """A category the user named: titled from its slug, described by the forum it is filled from."""
    forum = forum_category(thread.source)
    return NewCategory(slug, slug.replace("-", " ").capitalize(), forum.description)


def forum_category(source_url: str) -> NewCategory:
    """A category named after the forum a thread comes from: ``coffee`` / "Coffee Stack Exchange"."""
    match = _FORUM_PART.match(source_url)  # every thread of an export shares it: parse each forum once
    return _forum_category(match.group(0) if match else source_url)


@functools.lru_cache(maxsize=64)
def _forum_category(forum_url: str) -> NewCategory:
    parts = urlsplit(forum_url)
    host = (parts.hostname or "").lower()
    if not host:
        return NewCategory(DEFAULT_CATEGORY, "General", "Community discussions.")
    if host.endswith(_STACK_EXCHANGE) and host != _STACK_EXCHANGE[1:]:
        words = host[: -len(_STACK_EXCHANGE)].split(".")  # "coffee", or "cstheory.meta" for a meta site
        title = " ".join(word.capitalize() for word in words) + " Stack Exchange"
        name = "-".join(words)
    elif host == "github.com" and len(parts.path.strip("/").split("/")) >= 2:
        name = parts.path.strip("/").split("/")[1]
        title = f"{name} discussions"
    else:
        trimmed = next((host[len(prefix) :] for prefix in _HOST_PREFIXES if host.startswith(prefix)), host)
        name = trimmed.split(".")[0]
        title = f"{name.capitalize()} forum"
    slug = slugify(name, max_words=4) or DEFAULT_CATEGORY
    return NewCategory(slug, title, f"Questions and answers imported from {host}.")


def parse_category_map(entries: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``FORUM=CATEGORY`` pairs (a forum tag, a Discourse category id or a GitHub category name)."""
    pairs = []
    for entry in entries:
        key, separator, target = entry.partition("=")
        if not separator or not key.strip() or not target.strip():
            raise KbgenError("--category-map", f"'{entry}' is not FORUM=CATEGORY", hint="e.g. --category-map espresso=brewing --category-map 13=billing")
        pairs.append((key.strip().lower(), target.strip()))
    return tuple(pairs)


def check_named(content_root: Path, choice: CategoryChoice) -> None:
    """Stop before anything is read or written when a category the user named looks like a typo.

    A named category that is not declared is added like any other, unless it is one edit away
    from a declared one ('biling' when 'billing' exists): then the import refuses, with the fix.
    """
    named = [choice.category] if choice.category else []
    named += [target for _, target in choice.category_map]
    if not named:
        return
    declared = declared_categories(content_root)
    for slug in named:
        if not SLUG_PATTERN.fullmatch(slug):
            raise KbgenError(slug, f"category '{slug}' is not a slug", hint="use lower-case words joined by hyphens, e.g. 'billing'")
        close = difflib.get_close_matches(slug, list(declared), n=1, cutoff=0.8) if slug not in declared else []
        if close:
            raise KbgenError(
                str(content_root / CATEGORIES_FILE),
                f"category '{slug}' is not declared; did you mean '{close[0]}'?",
                hint=f"import with --category {close[0]}, or add '{slug}:' with a title to {CATEGORIES_FILE} first",
            )


def declared_categories(content_root: Path) -> dict[str, object]:
    if not (content_root / CATEGORIES_FILE).is_file():
        return {}
    problems: list[KbgenError] = []
    categories = load_categories(content_root, problems)
    if problems and not categories:
        raise problems[0]
    return categories


def undeclared(content_root: Path, used: Mapping[str, NewCategory]) -> list[NewCategory]:
    """The categories in ``used`` that ``categories.yml`` does not declare yet, by slug."""
    declared = declared_categories(content_root)
    return [used[slug] for slug in sorted(used) if slug not in declared]


def categories_text_with(content_root: Path, missing: Iterable[NewCategory]) -> str:
    """The text of ``categories.yml`` with an entry appended for each of ``missing``."""
    path = content_root / CATEGORIES_FILE
    existing = path.read_text(encoding="utf-8") if path.is_file() else "# One entry per folder under faq/ and community/, in display order.\n"
    _require_block_mapping(path, existing)
    lines = [existing.rstrip("\n") + "\n"] if existing.strip() else []
    for category in missing:
        lines.append(f"\n# Added by kbgen import: edit the title and description as you like.\n{category.slug}:\n")
        lines.append(f"  title: {scalar(category.title)}\n")
        if category.description:
            lines.append(f"  description: {scalar(category.description)}\n")
    return "".join(lines)


def _require_block_mapping(path: Path, text: str) -> None:
    """Appending ``slug:`` lines is only right after a block mapping (or a file of comments)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise KbgenError(str(path), f"cannot add the imported categories: the file is not valid YAML ({getattr(error, 'problem', error)})", mark.line + 1 if mark else 1) from None
    if node is not None and not (isinstance(node, yaml.MappingNode) and not node.flow_style):
        raise KbgenError(str(path), "cannot add the imported categories: the file is not a block mapping of 'slug:' entries", 1, hint="write one 'slug:' entry per line, or import with --category")
