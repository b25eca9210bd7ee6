"""The related-links cache: links kept in the cache folder until a page, category title or setting changes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from kbgen.cachefile import read_cached, write_cached
from kbgen.index import content_hash
from kbgen.link.model import LinkSettings, Related, RelatedLink
from kbgen.model import Corpus, Document

# Bump when scoring changes: cached links of another version are recomputed.
LINKS_VERSION = 7
LINKS_FILE = "related-links.json"


def links_key(corpus: Corpus, documents: Sequence[Document], options: LinkSettings) -> str:
    """Changes when any page, category title or setting changes (scores depend on the whole corpus)."""
    digest = hashlib.sha256(f"{LINKS_VERSION}\n{options!r}".encode())
    for document in documents:
        digest.update(content_hash(document, corpus).encode())
    return digest.hexdigest()


def read_links(cache_dir: Path | None, key: str) -> dict[str, Related] | None:
    stored = read_cached(cache_dir, LINKS_FILE, key)
    if stored is None:
        return None
    try:
        return {
            path: Related(*(tuple(RelatedLink(*link) for link in related[group]) for group in ("articles", "threads")))
            for path, related in stored.items()
        }
    except (TypeError, KeyError, AttributeError):
        return None


def write_links(cache_dir: Path | None, key: str, links: dict[str, Related]) -> None:
    def rows(group: tuple[RelatedLink, ...]) -> list[tuple[str, str, str, str, float]]:
        return [(link.path, link.title, link.url, link.kind, link.score) for link in group]

    write_cached(cache_dir, LINKS_FILE, key, {path: {"articles": rows(related.articles), "threads": rows(related.threads)} for path, related in links.items()})
