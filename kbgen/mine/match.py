"""Decide which published article answers each group, say why, and find its category and threads.

A group is covered when one published article is asked the same way: for each of the group's
best wordings, the cosine (TF-IDF words + character n-grams, joined with sentence embeddings when
an encoder is given) to the closest of the article's question variants (title and ``questions:``),
averaged over the wordings, reaches ``COVERAGE_THRESHOLD``. The threshold was calibrated by
``bench/mine_quality.py`` on CLINC150 val (articles published for half of the intents, the val
questions as the log) and checked on CLINC150 test and on the demo help center. Only the question
variants count: an answer that merely uses the same words ("Where do you work?" against "Create
your account") covers nothing. The evidence kept is the closest pair (customer wording, article
variant), so a lead can check each decision. Drafts never cover a group.

The category of a draft is the declared category whose articles, threads and ``categories.yml``
description are closest to the group (the first declared one on a tie, e.g. when nothing is alike). Solved community
threads for the draft's body come from the search index (``kbgen.index``), the one search call here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np
from scipy import sparse

from kbgen.mine.group import TextVectorizer, join_vectors
from kbgen.mine.records import ArticleMatch, QuestionGroup
from kbgen.model import Article, Corpus

log = logging.getLogger(__name__)

COVERAGE_THRESHOLD = 0.3
# Embedding cosines run higher: the semantic threshold has its own value, chosen on the same val set.
SEMANTIC_COVERAGE_THRESHOLD = 0.35
# Wordings of a group compared with an article: the title and the best paraphrases.
COMPARED_QUESTIONS = 5
FALLBACK_CATEGORY = "general"  # a content tree without categories.yml
THREADS_PER_DRAFT = 3


class Searcher(Protocol):
    def search(self, query: str, *, limit: int = 10, kind: str | None = "article", **options: Any) -> list[Any]: ...


def group_wordings(group: QuestionGroup) -> list[str]:
    return [group.title, *group.questions][:COMPARED_QUESTIONS]


def closeness(question_vectors: Any, variant_vectors: Any) -> float:
    """Mean over the questions of the cosine to the closest variant (rows are unit vectors)."""
    scores = question_vectors @ variant_vectors.T
    scores = scores.toarray() if sparse.issparse(scores) else np.asarray(scores)
    return float(np.round(scores.max(axis=1).mean(), 4))


@dataclass(frozen=True)
class RelatedThread:
    """A solved community thread that answers a group's question, for the draft's body."""

    title: str
    url: str
    path: str


class ArticleMatcher:
    """Find, for each group, the published article asked the same way and whether it covers the group."""

    def __init__(self, corpus: Corpus, index: Searcher | None, threshold: float | None = None, encoder: Any = None) -> None:
        self.corpus = corpus
        self.index = index
        self.threshold = threshold if threshold is not None else SEMANTIC_COVERAGE_THRESHOLD if encoder is not None else COVERAGE_THRESHOLD
        self.encoder = encoder
        self.published: list[Article] = sorted(corpus.published_articles, key=lambda article: article.path)
        self.threads = {thread.path: thread for thread in corpus.threads}

    def match(self, groups: Sequence[QuestionGroup]) -> list[QuestionGroup]:
        """The groups with ``match``, ``covered`` and ``category`` filled in."""
        groups = list(groups)
        if not groups:
            return []
        variants = [(number, variant) for number, article in enumerate(self.published) for variant in article.question_variants]
        wordings = [group_wordings(group) for group in groups]
        profiles = self._category_profiles()
        flat = [wording for listed in wordings for wording in listed]
        texts = [variant for _, variant in variants] + flat + [profile for _, profile in profiles]
        vectorizer = TextVectorizer()
        vectors = vectorizer.fit_transform(texts)
        if self.encoder is not None:
            vectors = join_vectors(vectors, self.encoder.encode(texts))
        variant_vectors = vectors[: len(variants)]
        category_vectors = vectors[len(variants) + len(flat) :]
        owner = np.array([number for number, _ in variants], dtype=np.int64)
        matched, start = [], len(variants)
        for group, listed in zip(groups, wordings, strict=True):
            question_vectors = vectors[start : start + len(listed)]
            start += len(listed)
            best = self._best(listed, question_vectors, variant_vectors, owner, [variant for _, variant in variants])
            covered = best is not None and best.similarity >= self.threshold
            category = best.category if covered and best is not None else self._category(question_vectors, category_vectors, profiles)
            matched.append(replace(group, match=best, covered=covered, category=category))
        return matched

    def _best(self, wordings: list[str], question_vectors: Any, variant_vectors: Any, owner: np.ndarray, variants: list[str]) -> ArticleMatch | None:
        if not len(owner):
            return None
        scores = _dense(question_vectors @ variant_vectors.T)  # wordings x variants
        best_score, best_article = -1.0, -1
        for number in np.unique(owner):
            columns = owner == number
            score = float(np.round(scores[:, columns].max(axis=1).mean(), 4))
            if score > best_score:  # ties keep the first path in sorted order
                best_score, best_article = score, int(number)
        columns = np.flatnonzero(owner == best_article)
        row, column = np.unravel_index(int(np.argmax(scores[:, columns])), (len(wordings), len(columns)))
        article = self.published[best_article]
        return ArticleMatch(
            article.path,
            article.title,
            article.url,
            article.category,
            search_score=float(np.round(scores[row, columns[column]], 4)),
            similarity=best_score,
            question=wordings[row],
            variant=variants[columns[column]],
        )

    def _category_profiles(self) -> list[tuple[str, str]]:
        """(category, text) pairs: each declared category's description, article and thread titles and questions."""
        profiles = []
        for slug, category in self.corpus.categories.items():
            parts = [category.title, category.description]
            parts += [" ".join(article.question_variants) for article in self.corpus.articles if article.category == slug]
            parts += [thread.title for thread in self.corpus.threads if thread.category == slug]
            profiles.append((slug, " ".join(part for part in parts if part)))
        return profiles

    def _category(self, question_vectors: Any, category_vectors: Any, profiles: list[tuple[str, str]]) -> str:
        if not profiles:
            return FALLBACK_CATEGORY
        scores = _dense(question_vectors @ category_vectors.T).mean(axis=0)
        return profiles[int(np.argmax(scores))][0]  # ties: the first declared category

    def solved_threads(self, group: QuestionGroup, limit: int = THREADS_PER_DRAFT) -> list[RelatedThread]:
        """The solved community threads the index finds for the group's title, best first."""
        if self.index is None or not self.threads:
            return []
        try:
            hits = self.index.search(group.title, limit=limit * 3, kind="thread")
        except Exception as error:  # noqa: BLE001 - a draft without thread links is still a draft
            log.debug("thread search failed for %r: %s", group.title, error)
            return []
        found = []
        for hit in hits:
            thread = self.threads.get(hit.path)
            if thread is not None and thread.solved:
                found.append(RelatedThread(thread.title, thread.url, thread.path))
        return found[:limit]


def _dense(matrix: Any) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)

