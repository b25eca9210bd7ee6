"""Decide which published article answers each group, say why, and find its category and threads.

Coverage is nearest-article classification with an acceptance rule. Every wording of the group
(all those kept while tallying, weighted by how often each was asked) is compared with every
published article's question variants (title and ``questions:``) by cosine (TF-IDF words +
character n-grams, joined with sentence embeddings when an encoder is given); an article's score
is the weighted mean, over the wordings, of the cosine to its closest variant. The group goes to
the best-scoring article, and it is covered when that score reaches ``COVERAGE_THRESHOLD``,
leads the next article's by at least ``COVERAGE_MARGIN`` (a group that could as well be answered
by two articles is not answered by either), and no other group of the same log scores higher on
that article (mutual nearest: when a log holds both "how do I add to my shopping list" and "what
is on my shopping list", an article for one of them answers that one, not its sibling). The
decision is taken once per group (thirty paraphrases say more than one question) and holds for
each of its questions. The values were chosen by ``bench/mine_quality.py`` on CLINC150 val
(articles published for half of the intents, the val questions as the log) and checked on
CLINC150 test. Only the question variants count: an
answer that merely uses the same words ("Where do you work?" against "Create your account")
covers nothing. The evidence kept is the closest pair (customer wording, article variant), the
runner-up article and the group the article answers better, if any, so a lead can check each decision. Drafts never cover a group.

One more test keeps mine and ``kbgen check`` of one mind: a group the rule leaves uncovered only
because its closest article was not far enough ahead of the next (or not close enough), while check
would call the group's draft a likely duplicate of that very article (``kbgen.check.duplicate_relatedness``),
is covered by that article, with check's relatedness kept as the evidence. Mine never writes a draft
that check then reports as a copy of a published article, and the coverage figure counts that group
as answered, as a writer merging the draft would. A group the article answers worse than a sibling
group (``closer_group``) stays a gap: its draft is told apart instead (``kbgen.mine.drafts``). So does a
group whose draft is already in the tree and lists that article under ``unrelated:``: the writer has
said they answer different questions, and check would not warn either.

The category of a draft is the declared category whose published articles, threads and ``categories.yml``
description are closest to the group, among those whose words most of the group's questions use (at
least ``CATEGORY_WORD_SHARE`` of them, as often as each was asked); when no category qualifies, the draft
goes to ``UNCATEGORIZED``, which ``kbgen check`` accepts for drafts only (a writer picks the category before
publishing). Without that bar every draft of a log about another business landed in the first declared
category: a fresh ``kbgen init`` site mined with CLINC150 test put all 141 drafts under ``getting-started``,
visas and credit cards alike. Drafts do not count in a category's profile: else one run's choice would
steer the next. Solved community
threads for the draft's body come from the search index (``kbgen.index``), the one search call here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any, Protocol

import numpy as np
from scipy import sparse

from kbgen.mine.group import TextVectorizer, join_vectors
from kbgen.mine.records import ArticleMatch, QuestionGroup
from kbgen.model import UNCATEGORIZED, Article, Corpus
from kbgen.text import terms

log = logging.getLogger(__name__)

# The highest threshold, then margin, within 0.01 of the best F1 on CLINC150 val (bench/mine_quality.py):
# the safest rule that costs nothing measurable, so that a small help center still refuses unrelated groups.
COVERAGE_THRESHOLD = 0.15
COVERAGE_MARGIN = 0.03
# Embedding cosines run higher: the semantic rule has its own values, chosen on the same val set.
SEMANTIC_COVERAGE_THRESHOLD = 0.3
SEMANTIC_COVERAGE_MARGIN = 0.02
# Wordings of a group compared with an article: the title and the best paraphrases.
COMPARED_QUESTIONS = 5
FALLBACK_CATEGORY = "general"  # a content tree without categories.yml
# A category fits a group when at least this share of its questions (as often as asked) use one of the
# category's words: a majority, not a fitted value.
CATEGORY_WORD_SHARE = 0.5
THREADS_PER_DRAFT = 3
MAX_TAGS = 3  # tags on a draft


class Searcher(Protocol):
    def search(self, query: str, *, limit: int = 10, kind: str | None = "article", **options: Any) -> list[Any]: ...


def group_wordings(group: QuestionGroup) -> list[str]:
    return [group.title, *group.questions][:COMPARED_QUESTIONS]


def weighted_wordings(group: QuestionGroup) -> tuple[list[str], np.ndarray]:
    """The group's wordings and how often each was asked (title and paraphrases once each without tallies)."""
    if group.wordings:
        return [text for text, _ in group.wordings], np.array([count for _, count in group.wordings], dtype=np.float64)
    listed = list(dict.fromkeys([group.title, *group.questions]))
    return listed, np.ones(len(listed))


def site_tags(corpus_tags: Sequence[str], group: QuestionGroup) -> list[str]:
    """Up to MAX_TAGS of the site's existing tags whose words the group's questions use, most used first."""
    counts: dict[str, int] = {}
    wording_terms = [set(terms(wording)) for wording in [group.title, *group.questions]]
    for tag in sorted(set(corpus_tags)):
        tag_terms = set(terms(tag.replace("-", " ")))
        if not tag_terms:
            continue
        used = sum(1 for found in wording_terms if tag_terms <= found)
        if used:
            counts[tag] = used
    return sorted(counts, key=lambda tag: (-counts[tag], tag))[:MAX_TAGS]


def draft_article(group: QuestionGroup, tags: Sequence[str], path: str) -> Article:
    """What ``kbgen check`` will read of the group's draft: its title, questions and tags (no answer yet)."""
    return Article(path=path, category=group.category, slug=PurePosixPath(path).stem, title=group.title, body="", body_line=1,
                   tags=tuple(tags), questions=group.questions, status="draft")


def accepted(best: ArticleMatch | None, threshold: float, margin: float) -> bool:
    """The acceptance rule: the group the article answers best among all groups of the log (its own question,
    not a sibling's), and either close enough to the article and clearly closer to it than to any other, or
    a group whose draft ``kbgen check`` would call a likely duplicate of it."""
    if best is None or best.closer_group:
        return False
    return bool(best.duplicate) or (best.similarity >= threshold and best.margin >= margin)


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

    def __init__(
        self, corpus: Corpus, index: Searcher | None, threshold: float | None = None, encoder: Any = None, margin: float | None = None
    ) -> None:
        self.corpus = corpus
        self.index = index
        semantic = encoder is not None
        self.threshold = threshold if threshold is not None else SEMANTIC_COVERAGE_THRESHOLD if semantic else COVERAGE_THRESHOLD
        self.margin = margin if margin is not None else SEMANTIC_COVERAGE_MARGIN if semantic else COVERAGE_MARGIN
        self.encoder = encoder
        self.published: list[Article] = sorted(corpus.published_articles, key=lambda article: article.path)
        self.threads = {thread.path: thread for thread in corpus.threads}
        self.tags = sorted({tag for document in corpus.documents() for tag in document.tags})

    def match(self, groups: Sequence[QuestionGroup]) -> list[QuestionGroup]:
        """The groups with ``match``, ``covered`` and ``category`` filled in."""
        groups = list(groups)
        if not groups:
            return []
        variants = [(number, variant) for number, article in enumerate(self.published) for variant in article.question_variants]
        weighed = [weighted_wordings(group) for group in groups]
        wordings = [listed for listed, _ in weighed]
        profiles = self._category_profiles()
        profile_terms = [set(terms(text)) for _, text in profiles]
        flat = [wording for listed in wordings for wording in listed]
        texts = [variant for _, variant in variants] + flat + [profile for _, profile in profiles]
        vectorizer = TextVectorizer()
        vectors = vectorizer.fit_transform(texts)
        if self.encoder is not None:
            vectors = join_vectors(vectors, self.encoder.encode(texts))
        variant_vectors = vectors[: len(variants)]
        category_vectors = vectors[len(variants) + len(flat) :]
        owner = np.array([number for number, _ in variants], dtype=np.int64)
        variant_texts = [variant for _, variant in variants]
        question_rows, start = [], len(variants)
        for listed, _ in weighed:
            question_rows.append(vectors[start : start + len(listed)])
            start += len(listed)
        by_article = (
            np.stack([_article_scores(rows, weights, variant_vectors, owner) for rows, (_, weights) in zip(question_rows, weighed, strict=True)])
            if len(owner)
            else None
        )
        titles = [group.title for group in groups]
        bests = [
            self._best(number, listed, question_rows[number], by_article, titles, variant_texts, variant_vectors, owner)
            for number, (listed, _) in enumerate(weighed)
        ]
        bests = self._with_duplicates(groups, bests)
        matched = []
        for number, (group, best) in enumerate(zip(groups, bests, strict=True)):
            covered = self.accepts(best)
            category = best.category if covered and best is not None else self._category(weighed[number], question_rows[number], category_vectors, profiles, profile_terms)
            matched.append(replace(group, match=best, covered=covered, category=category))
        return matched

    def _with_duplicates(self, groups: list[QuestionGroup], bests: list[ArticleMatch | None]) -> list[ArticleMatch | None]:
        """Each best match with ``duplicate`` set when ``kbgen check`` would call the group's draft a likely duplicate of it."""
        # check owns what a likely duplicate is, and which pairs a writer told apart
        from kbgen.check import DUPLICATE_THRESHOLD, duplicate_relatedness, suppressed_pairs

        matched = [number for number, best in enumerate(bests) if best is not None and not best.closer_group]
        if not matched:
            return bests
        articles = sorted(self.corpus.articles, key=lambda article: article.path)
        column = {article.path: number for number, article in enumerate(articles)}
        drafts = [draft_article(groups[number], site_tags(self.tags, groups[number]), f"mined/{number}.md") for number in matched]
        relatedness = duplicate_relatedness(articles, drafts)
        existing_drafts = [number for number, article in enumerate(articles) if article.is_draft]
        told_apart = suppressed_pairs(articles)
        for row, number in enumerate(matched):
            best = bests[number]
            assert best is not None
            score = float(relatedness[row, column[best.path]])
            if score < DUPLICATE_THRESHOLD:
                continue
            # The group's draft is already in the tree (the one check would call its copy), and its writer
            # said with ``unrelated:`` that it answers another question than this article: that word stands.
            if existing_drafts:
                own = max(existing_drafts, key=lambda draft: (relatedness[row, draft], -draft))
                if relatedness[row, own] >= DUPLICATE_THRESHOLD and (articles[own].path, best.path) in told_apart:
                    continue
            bests[number] = replace(best, duplicate=round(score, 4))
        return bests

    def accepts(self, best: ArticleMatch | None) -> bool:
        """The acceptance rule at this matcher's threshold and margin (``accepted``)."""
        return accepted(best, self.threshold, self.margin)

    def _best(
        self,
        number: int,
        wordings: list[str],
        question_vectors: Any,
        by_article: np.ndarray | None,
        titles: list[str],
        variants: list[str],
        variant_vectors: Any,
        owner: np.ndarray,
    ) -> ArticleMatch | None:
        if by_article is None:
            return None
        row_scores = by_article[number]
        articles = np.arange(len(self.published))
        order = np.lexsort((articles, -row_scores))  # ties keep the first path in sorted order
        best_article, best_score = int(order[0]), float(row_scores[order[0]])
        second = float(row_scores[order[1]]) if len(order) > 1 else 0.0
        # The article answers another group better: that group is its question, this one a neighbour's.
        column = by_article[:, best_article]
        rival = int(np.lexsort((np.arange(len(column)), -column))[0])
        closer_group = titles[rival] if rival != number and column[rival] > best_score else ""
        columns = np.flatnonzero(owner == best_article)
        scores = _dense(question_vectors @ variant_vectors[columns].T)  # the evidence: wordings x this article's variants
        row, pick = np.unravel_index(int(np.argmax(scores)), scores.shape)
        article = self.published[best_article]
        return ArticleMatch(
            article.path,
            article.title,
            article.url,
            article.category,
            search_score=float(np.round(scores[row, pick], 4)),
            similarity=best_score,
            question=wordings[row],
            variant=variants[columns[pick]],
            margin=float(np.round(best_score - second, 4)),
            runner_up=self.published[int(order[1])].path if len(order) > 1 else "",
            closer_group=closer_group,
        )

    def _category_profiles(self) -> list[tuple[str, str]]:
        """(category, text) pairs: each declared category's description, published article and thread titles and questions."""
        profiles = []
        for slug, category in self.corpus.categories.items():
            parts = [category.title, category.description]
            parts += [" ".join(article.question_variants) for article in self.published if article.category == slug]
            parts += [thread.title for thread in self.corpus.threads if thread.category == slug]
            profiles.append((slug, " ".join(part for part in parts if part)))
        return profiles

    @staticmethod
    def _category(
        weighed: tuple[list[str], np.ndarray], question_vectors: Any, category_vectors: Any, profiles: list[tuple[str, str]], profile_terms: list[set[str]]
    ) -> str:
        """The closest declared category among those whose words most of the group's questions use, else UNCATEGORIZED."""
        if not profiles:
            return FALLBACK_CATEGORY
        wordings, weights = weighed
        wording_terms = [set(terms(wording)) for wording in wordings]
        shares = np.array([weights @ np.array([bool(found & words) for found in wording_terms], dtype=np.float64) for words in profile_terms])
        fitting = np.flatnonzero(shares >= CATEGORY_WORD_SHARE * weights.sum())
        if not len(fitting):
            return UNCATEGORIZED
        scores = _dense(question_vectors @ category_vectors.T).mean(axis=0)
        return profiles[int(fitting[np.argmax(scores[fitting])])][0]  # ties: the first declared category

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


def _article_scores(question_vectors: Any, weights: np.ndarray, variant_vectors: Any, owner: np.ndarray) -> np.ndarray:
    """Per article: the mean over a group's wordings, as often as each was asked, of the cosine to its closest variant.

    ``owner`` (the article of each variant) is sorted, so each article's variants are one run of columns."""
    scores = _dense(question_vectors @ variant_vectors.T)  # wordings x variants
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    return np.round(weights @ np.maximum.reduceat(scores, starts, axis=1) / weights.sum(), 4)


def _dense(matrix: Any) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)

