"""Related pages: for every article and thread, the articles and threads that answer the same problem.

Links are scored, thresholded (an unrelated page gets no links rather than bad ones), ordered
with stable tie-breaking, and adjusted by the writer's ``related:`` and ``unrelated:`` front matter.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from whoosh.query import And, Not, Term
from whoosh.scoring import BM25F

from kbgen.index import build_query, open_index
from kbgen.model import Corpus, Document
from kbgen.text import unique_terms

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RelatedLink:
    path: str
    title: str
    url: str
    kind: str  # "article" | "thread"
    score: float


@dataclass(frozen=True)
class Related:
    articles: tuple[RelatedLink, ...] = ()
    threads: tuple[RelatedLink, ...] = ()


@dataclass(frozen=True)
class LinkSettings:
    max_articles: int = 5  # related articles listed per page
    max_threads: int = 5  # community discussions listed per page
    threshold: float = 0.2  # minimum relatedness (0..1) for a link


def compute_links(corpus: Corpus, cache_dir: Path | None = None, **settings: object) -> dict[str, Related]:
    """Related articles and threads of every article and thread (drafts are never linked to)."""
    options = LinkSettings(**settings)  # type: ignore[arg-type]
    index = open_index(corpus, cache_dir)
    documents = corpus.by_path()
    linkable = {path for path, document in documents.items() if not getattr(document, "is_draft", False)}
    links: dict[str, Related] = {}
    with index.index.searcher(weighting=BM25F()) as searcher:
        for path, document in sorted(documents.items()):
            query = build_query(unique_terms(_query_texts(document)))
            scores: dict[str, float] = {}
            if query is not None:
                results = searcher.search(And([query, Term("draft", False), Not(Term("path", path))]), limit=50)
                top = results[0].score if len(results) else 0.0
                self_score = top or 1.0
                scores = {hit["path"]: float(hit.score) / self_score for hit in results}
            links[path] = _related(document, scores, documents, linkable, options)
    return links


def _query_texts(document: Document) -> list[str]:
    return [document.title, *getattr(document, "questions", ())]


def _related(
    document: Document,
    scores: dict[str, float],
    documents: dict[str, Document],
    linkable: set[str],
    options: LinkSettings,
) -> Related:
    suppressed = set(document.unrelated) | {document.path}
    pinned = [path for path in document.related if path in linkable and path not in suppressed]
    ranked = sorted(
        ((score, path) for path, score in scores.items() if path in linkable and path not in suppressed and score >= options.threshold),
        key=lambda item: (-item[0], item[1]),
    )
    chosen = [(1.0, path) for path in pinned] + [(score, path) for score, path in ranked if path not in pinned]

    def listing(kind: str, limit: int) -> tuple[RelatedLink, ...]:
        picked = [(score, path) for score, path in chosen if documents[path].kind == kind][:limit]
        return tuple(
            RelatedLink(path, documents[path].title, documents[path].url, kind, round(score, 4)) for score, path in picked
        )

    return Related(articles=listing("article", options.max_articles), threads=listing("thread", options.max_threads))
