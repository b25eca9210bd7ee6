"""Choosing a page's related links from its scored candidates: threshold, stable order, links owed back, pins and suppressions."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from kbgen.check import suppressed_pairs
from kbgen.link.model import LinkSettings, Related, RelatedLink
from kbgen.model import Document, Thread
from kbgen.rank import RelatednessModel

# A Markdown link to another content page: ``[text](../billing/request-a-refund.md#anchor)``.
_PAGE_LINK = re.compile(r"\]\(\s*<?([^)\s>#]+\.md)(?:#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)")

# Rows of the similarity matrix computed at once: bounds memory at BLOCK_ROWS x pages floats.
BLOCK_ROWS = 512


@dataclass(frozen=True)
class LinkContext:
    """What choosing a page's links needs beyond its candidates: the pages, pins, suppressions, links owed back."""

    by_path: dict[str, Document]
    urls: dict[str, str]
    linkable: set[str]
    suppressed: set[tuple[str, str]]
    pins: dict[str, list[str]]
    wanted_back: dict[str, dict[str, float]]
    options: LinkSettings

    @classmethod
    def of(cls, documents: Sequence[Document], candidates: dict[str, list[tuple[float, str]]], options: LinkSettings) -> LinkContext:
        by_path = {document.path: document for document in documents}
        linkable = {path for path, document in by_path.items() if options.include_drafts or not getattr(document, "is_draft", False)}
        suppressed = suppressed_pairs(documents)
        pins = pinned_pages(documents)
        wanted_back = _wanted_back(documents, candidates, pins, suppressed, linkable, options)
        return cls(by_path, {path: document.url for path, document in by_path.items()}, linkable, suppressed, pins, wanted_back, options)

    def choose(self, document: Document, candidates: dict[str, list[tuple[float, str]]]) -> Related:
        return _choose(
            document, candidates[document.path], self.pins[document.path], self.wanted_back.get(document.path, {}),
            self.by_path, self.urls, self.linkable, self.suppressed, self.options,
        )

    def differences(self, other: LinkContext) -> set[str]:
        """Pages whose links may differ between the two contexts for the same candidates."""
        changed = {path for path in self.wanted_back.keys() | other.wanted_back.keys() if self.wanted_back.get(path) != other.wanted_back.get(path)}
        changed |= {path for pair in self.suppressed ^ other.suppressed for path in pair}
        changed |= {path for path in self.pins if self.pins[path] != other.pins.get(path)}
        return changed | (self.linkable ^ other.linkable)


def by_score(candidate: tuple[float, str]) -> tuple[float, str]:
    """Best first, ties by path: the order ``ranked_candidates`` gives."""
    return -candidate[0], candidate[1]


def candidates_kept(options: LinkSettings) -> int:
    """Candidates kept per page: enough to fill both lists after pins, suppressions and drafts."""
    return (options.max_articles + options.max_threads) * 3 + 10


def ranked_candidates(model: RelatednessModel, documents: Sequence[Document], options: LinkSettings) -> Iterator[tuple[str, list[tuple[float, str]]]]:
    """For each page, the pages scoring at least the threshold, best first, ties by path."""
    keep = candidates_kept(options)
    count = len(documents)
    threshold = options.threshold_for(model)
    for start in range(0, count, BLOCK_ROWS):
        block = model.scores(slice(start, min(start + BLOCK_ROWS, count)))
        for offset, row in enumerate(block):
            own = start + offset
            row[own] = -1.0
            above = np.flatnonzero(row >= threshold)
            # Documents are sorted by path, so a stable sort on the score breaks ties by path.
            best = above[np.argsort(-row[above], kind="stable")][:keep]
            yield documents[own].path, [(float(row[index]), documents[index].path) for index in best]


def pinned_pages(documents: Sequence[Document]) -> dict[str, list[str]]:
    """Pages each page must link to: the writer's ``related:``, then threads its source forum linked."""
    source_to_path = {document.source: document.path for document in documents if isinstance(document, Thread) and document.source}
    pins = {}
    for document in documents:
        pinned = list(document.related)
        if isinstance(document, Thread):
            pinned += [source_to_path[url] for url in (*document.links.duplicates, *document.links.related) if url in source_to_path]
        pins[document.path] = list(dict.fromkeys(pinned))
    return pins


def _wanted_back(
    documents: Sequence[Document],
    candidates: dict[str, list[tuple[float, str]]],
    pins: dict[str, list[str]],
    suppressed: set[tuple[str, str]],
    linkable: set[str],
    options: LinkSettings,
) -> dict[str, dict[str, float]]:
    """Pages that should link back: B lists A strongly (A in B's top few, or pinned by B) => A lists B."""
    by_path = {document.path: document for document in documents}
    wanted: dict[str, dict[str, float]] = {}
    for document in documents:
        if document.path not in linkable:
            continue
        scores = dict((path, score) for score, path in candidates[document.path])
        for kind in ("article", "thread"):
            top = [path for _, path in candidates[document.path] if by_path[path].kind == kind and (document.path, path) not in suppressed]
            for path in top[: options.reciprocal_rank]:
                wanted.setdefault(path, {})[document.path] = scores[path]
        for path in pins[document.path]:
            wanted.setdefault(path, {})[document.path] = scores.get(path, 0.0)
    return wanted


def _choose(
    document: Document,
    ranked: list[tuple[float, str]],
    pins: list[str],
    wanted_back: dict[str, float],
    by_path: dict[str, Document],
    urls: dict[str, str],
    linkable: set[str],
    suppressed: set[tuple[str, str]],
    options: LinkSettings,
) -> Related:
    """Pinned pages first (in the writer's order), then the best others up to the limit, then the pages owed a
    link back that did not make it (up to as many again): a link back never pushes out one of the page's own best,
    so the list's first places stay its best, and a strong link is still two-way."""

    in_text = linked_in_text(document)

    def allowed(path: str) -> bool:
        return path != document.path and path in by_path and path in linkable and (document.path, path) not in suppressed

    def suggested(path: str) -> bool:
        # A page the text already links to is one click away, often behind a "this page is not about
        # that" note: the related list adds pages the writer did not link (like Wikipedia's "See also").
        return allowed(path) and path not in in_text

    scores = {path: score for score, path in ranked}
    scores.update((path, score) for path, score in wanted_back.items() if path not in scores)
    pinned = [path for path in pins if allowed(path)]
    owed = sorted((path for path in wanted_back if suggested(path) and path not in pinned), key=lambda path: (-scores[path], path))
    others = [path for _, path in ranked if suggested(path) and path not in pinned and path not in wanted_back]
    best_first = sorted((*owed, *others), key=lambda path: (-scores[path], path))

    def listing(kind: str, limit: int) -> tuple[RelatedLink, ...]:
        fixed = [path for path in pinned if by_path[path].kind == kind][:limit]
        best = [path for path in best_first if by_path[path].kind == kind][: limit - len(fixed)]
        back = [path for path in owed if by_path[path].kind == kind and path not in best][:limit]
        ranked_rest = sorted((*best, *back), key=lambda path: (-scores[path], path))
        return tuple(RelatedLink(path, by_path[path].title, urls[path], kind, round(scores.get(path, 0.0), 4)) for path in (*fixed, *ranked_rest))

    return Related(articles=listing("article", options.max_articles), threads=listing("thread", options.max_threads))


def linked_in_text(document: Document) -> frozenset[str]:
    """Content paths of the pages ``document``'s Markdown body links to (relative links to ``.md`` files)."""
    folder = posixpath.dirname(document.path)
    found = set()
    for target in _PAGE_LINK.findall(document.body):
        if "://" in target or target.startswith("/"):
            continue
        found.add(posixpath.normpath(posixpath.join(folder, target)))
    return frozenset(found)
