"""Match each group to the article that answers it, through the search index, and suggest categories.

The index proposes candidates (its BM25 scores are not comparable across queries); the decision is
a lexical similarity between the group's questions and each candidate's question variants (title
and ``questions``): the mean, over the group's best wordings, of the closest variant's cosine.
A group is covered when a published article reaches ``COVERAGE_THRESHOLD`` (chosen by
``bench/mine_quality.py`` on held-out question variants of the demo help center).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

import numpy as np

from kbgen.mine.group import TextVectorizer
from kbgen.mine.records import ArticleMatch, QuestionGroup
from kbgen.model import Article, Corpus

log = logging.getLogger(__name__)

COVERAGE_THRESHOLD = 0.5
# Wordings of a group compared with an article: the title and the best paraphrases.
COMPARED_QUESTIONS = 5
CANDIDATES_PER_QUERY = 5
FALLBACK_CATEGORY = "general"


class Searcher(Protocol):
    def search(self, query: str, *, limit: int = 10, kind: str | None = "article", **options: Any) -> list[Any]: ...


def group_wordings(group: QuestionGroup) -> list[str]:
    return [group.title, *group.questions][:COMPARED_QUESTIONS]


def closeness(question_vectors: Any, variant_vectors: Any) -> float:
    """Mean over the questions of the cosine to the closest variant (rows are unit vectors)."""
    scores = (question_vectors @ variant_vectors.T).toarray()
    return float(np.round(scores.max(axis=1).mean(), 4))


class ArticleMatcher:
    """Find, for each group, the closest article and whether it covers the group."""

    def __init__(self, corpus: Corpus, index: Searcher | None, threshold: float = COVERAGE_THRESHOLD) -> None:
        self.corpus = corpus
        self.index = index
        self.threshold = threshold
        self.articles: dict[str, Article] = {article.path: article for article in corpus.articles}

    def match(self, groups: Sequence[QuestionGroup]) -> list[QuestionGroup]:
        """The groups with ``match``, ``covered`` and ``category`` filled in."""
        vectorizer = self._vectorizer(groups)
        matched = []
        for group in groups:
            candidates = self._candidates(group)
            best = self._best(group, candidates, vectorizer)
            covered = best is not None and best.similarity >= self.threshold and not self.articles[best.path].is_draft
            matched.append(replace(group, match=best, covered=covered, category=self._category(group, candidates, best)))
        return matched

    def similarity(self, questions: Sequence[str], variants: Sequence[str], vectorizer: TextVectorizer | None = None) -> float:
        """Mean over ``questions`` of the cosine to the closest of ``variants`` (0 when either is empty)."""
        if not questions or not variants:
            return 0.0
        if vectorizer is None:
            vectorizer = TextVectorizer()
            vectorizer.fit_transform([*questions, *variants])
        return closeness(vectorizer.transform(list(questions)), vectorizer.transform(list(variants)))

    def _vectorizer(self, groups: Sequence[QuestionGroup]) -> TextVectorizer:
        texts = [variant for article in self.articles.values() for variant in article.question_variants]
        texts += [wording for group in groups for wording in group_wordings(group)]
        vectorizer = TextVectorizer()
        vectorizer.fit_transform(texts or ["question"])
        return vectorizer

    def _candidates(self, group: QuestionGroup) -> dict[str, float]:
        """Article paths proposed by the index for the group's wordings, with their best search score."""
        if self.index is None:
            return {}
        found: dict[str, float] = {}
        for wording in group_wordings(group)[:3]:
            try:
                hits = self.index.search(wording, limit=CANDIDATES_PER_QUERY, kind="article", include_drafts=True)
            except TypeError:  # an index without drafts
                hits = self.index.search(wording, limit=CANDIDATES_PER_QUERY, kind="article")
            for hit in hits:
                if hit.path in self.articles:
                    found[hit.path] = max(found.get(hit.path, 0.0), float(hit.score))
        return found

    def _best(self, group: QuestionGroup, candidates: dict[str, float], vectorizer: TextVectorizer) -> ArticleMatch | None:
        best: ArticleMatch | None = None
        wordings = group_wordings(group)
        for path in sorted(candidates):
            article = self.articles[path]
            similarity = self.similarity(wordings, article.question_variants, vectorizer)
            candidate = ArticleMatch(path, article.title, article.url, article.category, round(candidates[path], 4), similarity)
            if best is None or (candidate.similarity, candidate.search_score) > (best.similarity, best.search_score):
                best = candidate
        return best

    def _category(self, group: QuestionGroup, candidates: dict[str, float], best: ArticleMatch | None) -> str:
        """The matched article's category, else the one the index's candidates vote for, else the first."""
        if best is not None and best.similarity >= self.threshold:
            return best.category
        votes: Counter[str] = Counter()
        for path, score in candidates.items():
            votes[self.articles[path].category] += score
        if votes:
            return min(votes, key=lambda category: (-votes[category], category))
        if self.corpus.categories:
            return next(iter(self.corpus.categories))
        return FALLBACK_CATEGORY
