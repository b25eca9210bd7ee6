"""Match each group to the article that answers it, through the search index, and suggest categories.

The index proposes candidates: each of the group's best wordings is searched, and an article's
support is its search score relative to the top hit, averaged over the wordings (BM25 scores
are not comparable across queries; their order is). The best-supported article covers the group
when it *says what the customers ask about*: the IDF-weighted share of each wording's terms
(stemmed, stop words out) found in the article's title, question variants, summary and body,
averaged over the wordings, reaches ``COVERAGE_THRESHOLD`` (chosen by ``bench/mine_quality.py``
on held-out question variants of the demo help center against CLINC150 intents).
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

import numpy as np

from kbgen.mine.records import ArticleMatch, QuestionGroup
from kbgen.model import Article, Corpus
from kbgen.text import plain_text, terms

log = logging.getLogger(__name__)

COVERAGE_THRESHOLD = 0.55
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
        self.article_terms = {
            path: frozenset(terms(" ".join((article.title, *article.questions, article.summary, plain_text(article.body)))))
            for path, article in self.articles.items()
        }
        document_frequency: Counter[str] = Counter(term for article_terms in self.article_terms.values() for term in article_terms)
        count = len(self.article_terms)
        self.idf = {term: math.log((count + 1) / (frequency + 1)) + 1 for term, frequency in document_frequency.items()}
        self.unseen_idf = math.log(count + 1) + 1

    def match(self, groups: Sequence[QuestionGroup]) -> list[QuestionGroup]:
        """The groups with ``match``, ``covered`` and ``category`` filled in."""
        matched = []
        for group in groups:
            support = self._support(group)
            best = self._best(group, support)
            covered = best is not None and best.similarity >= self.threshold and not self.articles[best.path].is_draft
            matched.append(replace(group, match=best, covered=covered, category=self._category(support, best)))
        return matched

    def term_coverage(self, questions: Sequence[str], article_terms: frozenset[str]) -> float:
        """Mean over ``questions`` of the IDF-weighted share of their terms found in ``article_terms``."""
        shares = []
        for question in questions:
            question_terms = set(terms(question))
            if not question_terms:
                continue
            weights = {term: self.idf.get(term, self.unseen_idf) for term in question_terms}
            shares.append(sum(weight for term, weight in weights.items() if term in article_terms) / sum(weights.values()))
        return round(sum(shares) / len(shares), 4) if shares else 0.0

    def _support(self, group: QuestionGroup) -> dict[str, float]:
        """Article paths proposed by the index, with their mean search score relative to each query's top hit."""
        if self.index is None:
            return {}
        wordings = group_wordings(group)
        support: dict[str, float] = {}
        for wording in wordings:
            try:
                hits = self.index.search(wording, limit=CANDIDATES_PER_QUERY, kind="article", include_drafts=True)
            except TypeError:  # an index that knows no drafts
                hits = self.index.search(wording, limit=CANDIDATES_PER_QUERY, kind="article")
            hits = [hit for hit in hits if hit.path in self.articles]
            if not hits or hits[0].score <= 0:
                continue
            for hit in hits:
                support[hit.path] = support.get(hit.path, 0.0) + float(hit.score) / float(hits[0].score) / len(wordings)
        return support

    def _best(self, group: QuestionGroup, support: dict[str, float]) -> ArticleMatch | None:
        if not support:
            return None
        path = min(support, key=lambda candidate: (-round(support[candidate], 6), candidate))
        article = self.articles[path]
        coverage = self.term_coverage(group_wordings(group), self.article_terms[path])
        return ArticleMatch(path, article.title, article.url, article.category, round(support[path], 4), coverage)

    def _category(self, support: dict[str, float], best: ArticleMatch | None) -> str:
        """The matched article's category, else the one the index's candidates vote for, else the first."""
        if best is not None and best.similarity >= self.threshold:
            return best.category
        votes: Counter[str] = Counter()
        for path, score in support.items():
            votes[self.articles[path].category] += score
        if votes:
            return min(votes, key=lambda category: (-round(votes[category], 6), category))
        if self.corpus.categories:
            return next(iter(self.corpus.categories))
        return FALLBACK_CATEGORY
