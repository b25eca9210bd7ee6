"""One ranking for the whole product: how related two pages are, and how well a page answers a query.

Every signal scores on its own: ``lexical`` (TF-IDF cosine of question, body and answer text),
``questions`` (the best match of one page's title or question variant with the other page's
questions or with its whole text, so a single variant counts as a first-class text; with the
semantic extra, only for pairs where a page lists variants), ``topics`` (latent topics, LSA, on larger corpora without a sentence model)
and, with the ``kbgen[semantic]`` extra, ``semantic`` (sentence-embedding cosine of whole pages). Signals are
fused without weights fitted to any data set: page-to-page scores average each signal's cosine
above chance (0..1, symmetric, one threshold for every site); search fuses the ranks of BM25F,
the lexical signal's cosine with a written-out question, and embeddings by reciprocal rank
(``fuse_ranks``), a page whose question variant is the query first. Related links,
``kbgen related``, ``kbgen search``, duplicate warnings and (through ``rank_articles``) the
miner's article matching all rank here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import scipy.sparse as sparse

from kbgen.index import document_fields
from kbgen.model import Article, Document
from kbgen.semantic import SentenceEncoder, cached_embeddings, load_encoder
from kbgen.text import terms

# A word on more than this many pages (and more than 1/FREQUENT_WORD_SHARE of them) is scored densely.
FREQUENT_WORD_PAGES = 64
FREQUENT_WORD_SHARE = 50
# Reciprocal-rank fusion's constant (Cormack et al., 2009): the published default, not tuned here.
FUSION_RANK_CONSTANT = 60
# Pages sampled to estimate the question signal's chance level (deterministic: evenly spaced).
CHANCE_SAMPLE = 256
SIGNALS = ("lexical", "questions", "topics", "semantic")
# A query of at least this many distinct terms is a question written out, matched as related pages are; a few
# keywords stay BM25F's, whose boosted titles put the article the query names first (e.g. "refund").
POST_QUERY_TERMS = 8
# With embeddings, search's two word rankings (BM25F and the lexical cosine) share one half, the embeddings the other.
SEARCH_SHARES = {"bm25f": 0.5, "lexical": 0.5, "semantic": 1.0}


@dataclass(frozen=True)
class RankSettings:
    """What the ranking reads and which signals it uses; one set of values for every site and data set."""

    # Share of each view in the lexical signal (each view's TF-IDF vector is normalised first).
    question_weight: float = 0.5  # title, question variants, tags
    body_weight: float = 1.0  # summary and body
    answers_weight: float = 1.0  # answers and comments of threads
    questions: bool = True  # the question-variant signal (best title/variant pair)
    topics: bool = True  # latent topics learnt from the corpus (LSA); only on larger corpora
    topic_dimensions: int = 100
    topic_min_texts: int = 300  # fewer texts than this: too little to learn topics from
    topic_max_texts: int = 4000  # topics are learnt from at most this many texts (an even sample)
    semantic_model: str = ""  # sentence-transformers model folder or installed model package


VIEWS = ("question", "body", "answers")


def _document_views(document: Document) -> tuple[str, str, str]:
    """The question, body and answers text of a page (the same text the search index holds)."""
    text = document_fields(document)
    question = "\n".join((str(text["title"]), str(text["questions"]), str(text["tags"]).replace(",", " ").replace("-", " ")))
    body = "\n".join((str(text["summary"]), str(text["body"])))
    return question, body, str(text["answers"])


def _semantic_text(document: Document) -> str:
    """What the sentence model reads of a page: its questions, body and (a thread's) answers, in that order.

    A thread is embedded whole: on the cstheory meta PostLinks, recall@5 of the embeddings alone rose
    from 28.7 % (question only) to 30.8 %, and on SemEval-2016 dev MAP from 76.5 to 77.7
    (``SentenceEncoder`` reads the first ``MAX_CHARACTERS``, so a long answer list is cut, not the question).
    """
    return "\n".join(view.strip() for view in _document_views(document) if view.strip())


class RelatednessModel:
    """How related any two pages of a corpus are: ``fit`` learns from the pages, ``scores`` compares them.

    Scores are symmetric (``score(a, b) == score(b, a)``) and lie in 0..1.
    """

    def __init__(self, settings: RankSettings | None = None, encoder: SentenceEncoder | None = None, cache_dir: Path | None = None) -> None:
        self.settings = settings or RankSettings()
        self.encoder = encoder
        self.cache_dir = cache_dir

    def fit(self, documents: Sequence[Document]) -> RelatednessModel:
        self.paths_ = [document.path for document in documents]
        self.position_ = {path: index for index, path in enumerate(self.paths_)}
        views = self._views(documents)
        # Single precision: scores are rounded to 6 decimals anyway, and the products run a third faster.
        self.lexical_ = self._lexical_vectors(views).astype(np.float32)
        frequency = np.diff(self.lexical_.tocsc().indptr)
        self.frequent_words_ = frequency > max(FREQUENT_WORD_PAGES, len(documents) // FREQUENT_WORD_SHARE)
        self._split_lexical()
        # Latent topics stand in for meaning when there is no sentence model; with one, they only add noise.
        self.topics_ = self._topic_vectors(views) if self.encoder is None else None
        self.asks_ = _asks(documents)
        self.embeddings_ = None
        if self.encoder is not None and documents:
            self.embeddings_ = cached_embeddings(self.encoder, [_semantic_text(document) for document in documents], self.cache_dir)
        self.questions_ = QuestionUnits().fit(documents) if self.settings.questions else None
        # The same questions in the lexical signal's words and weights, to match them against whole pages.
        self.question_pages_ = QuestionUnits().fit(documents, self.vocabulary_, self.idf_) if self.settings.questions else None
        self.chance_ = {
            "lexical": _chance_similarity(self.lexical_),
            "topics": _chance_similarity(self.topics_),
            "semantic": _chance_similarity(self.embeddings_),
        }
        if self.questions_ is not None:
            self.chance_["questions"] = self.questions_.chance()
            self.chance_["question_pages"] = _sampled_chance(lambda sample: self.question_pages_.page_match_scores(sample, self.lexical_), len(documents))
        self.signals_ = tuple(name for name in SIGNALS if self._signal_in_use(name))
        return self

    def _signal_in_use(self, name: str) -> bool:
        if name == "lexical":
            return True
        return {"questions": self.questions_, "topics": self.topics_, "semantic": self.embeddings_}[name] is not None

    def update(self, changed: Sequence[Document], removed: Sequence[str] = ()) -> RelatednessModel:
        """Take in new or edited pages and drop removed ones without learning again.

        The changed pages are described with what ``fit`` learnt (vocabulary, word weights, topics),
        so scores are close to, not exactly, those of a new ``fit``: for live previews, where a
        fit of the whole corpus per edit would be too slow.
        """
        gone = set(removed) | {document.path for document in changed}
        kept = [index for index, path in enumerate(self.paths_) if path not in gone]
        views = self._views(changed)
        self.lexical_ = sparse.vstack([self.lexical_[kept], self._lexical_rows(views).astype(np.float32)], format="csr")
        self._split_lexical()
        if self.topics_ is not None:
            self.topics_ = np.vstack([self.topics_[kept], self._topic_rows(views)])
        if self.questions_ is not None:
            self.questions_.update(kept, changed)
            self.question_pages_.update(kept, changed)
        if self.embeddings_ is not None:
            fresh = cached_embeddings(self.encoder, [_semantic_text(document) for document in changed], self.cache_dir) if changed else self.embeddings_[:0]
            self.embeddings_ = np.vstack([self.embeddings_[kept], fresh])
        self.paths_ = [self.paths_[index] for index in kept] + [document.path for document in changed]
        self.position_ = {path: index for index, path in enumerate(self.paths_)}
        self.asks_ = np.concatenate([self.asks_[kept], _asks(changed)])
        return self

    def _split_lexical(self) -> None:
        """Words most pages share in a dense matrix, the others sparse.

        All pairs of pages share some frequent word, so the product of the sparse vectors is nearly
        dense: slow to build as a sparse matrix, quadratic in the number of pages. The frequent words'
        part is one dense matrix product instead; the rare words' part stays sparse and small.
        """
        self.lexical_rare_ = self.lexical_[:, ~self.frequent_words_].tocsr()
        self.lexical_rare_transposed_ = self.lexical_rare_.T.tocsr()
        self.lexical_frequent_ = self.lexical_[:, self.frequent_words_].toarray()

    def _views(self, documents: Sequence[Document]) -> list[list[list[str]]]:
        weights = (self.settings.question_weight, self.settings.body_weight, self.settings.answers_weight)
        # Topics read every view; without them, a view of weight 0 need not even be tokenized.
        needed = [bool(weight) or self.settings.topics for weight in weights]
        return [[terms(text) if needed[position] else [] for position, text in enumerate(_document_views(document))] for document in documents]

    def _lexical_vectors(self, views: list[list[list[str]]]) -> sparse.csr_matrix:
        """One TF-IDF vector per page: the weighted sum of its normalised question, body and answers vectors."""
        view_count = len(VIEWS)
        self.vocabulary_: dict[str, int] = {}
        counts = _count_matrix([view for page in views for view in page], self.vocabulary_)
        whole_pages = sum(counts[position::view_count] for position in range(view_count))
        self.idf_ = _inverse_document_frequency(whole_pages)
        return self._weighted_views(counts)

    def _lexical_rows(self, views: list[list[list[str]]]) -> sparse.csr_matrix:
        """``_lexical_vectors`` of more pages, in the vocabulary and word weights already learnt."""
        return self._weighted_views(_count_matrix([view for page in views for view in page], self.vocabulary_, grow=False))

    def _weighted_views(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        view_count = len(VIEWS)
        combined = sparse.csr_matrix((counts.shape[0] // view_count, counts.shape[1]), dtype=np.float64)
        view_weights = (self.settings.question_weight, self.settings.body_weight, self.settings.answers_weight)
        for position, weight in enumerate(view_weights):
            if weight:
                combined = combined + weight * _unit_rows(counts[position::view_count] @ self.idf_)
        return _unit_rows(combined).tocsr()

    def _topic_vectors(self, views: list[list[list[str]]]) -> np.ndarray | None:
        """Latent topics (LSA) learnt from each page's question and body and, separately, its answers."""
        pages = [[*question, *body] for question, body, _ in views]
        texts = pages + [answers for _, _, answers in views if answers]
        if not self.settings.topics or len(texts) < self.settings.topic_min_texts:
            return None
        vocabulary: dict[str, int] = {}
        counts = _count_matrix(texts, vocabulary)
        kept = np.flatnonzero(np.diff(counts.tocsc().indptr) >= 2)  # words of one text say nothing about topics
        counts = counts[:, kept]
        dimensions = min(self.settings.topic_dimensions, counts.shape[1] - 1, len(texts) // 3)
        if dimensions < 2:
            return None
        from sklearn.decomposition import TruncatedSVD  # imported here: scikit-learn takes a second to import

        terms_by_column = list(vocabulary)
        self.topic_vocabulary_ = {terms_by_column[column]: index for index, column in enumerate(kept)}
        self.topic_idf_ = _inverse_document_frequency(counts)
        weighted = self._topic_weights(counts)
        # Topics are learnt from an evenly spread sample: enough text, and linear time on large sites.
        sample = np.linspace(0, weighted.shape[0] - 1, min(weighted.shape[0], self.settings.topic_max_texts)).astype(int)
        self.svd_ = TruncatedSVD(dimensions, n_iter=3, random_state=0).fit(weighted[np.unique(sample)])
        return self._topics_of(weighted[: len(pages)])

    def _topic_rows(self, views: list[list[list[str]]]) -> np.ndarray:
        """``_topic_vectors`` of more pages, in the topics already learnt."""
        pages = [[*question, *body] for question, body, _ in views]
        return self._topics_of(self._topic_weights(_count_matrix(pages, self.topic_vocabulary_, grow=False)))

    def _topic_weights(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        weighted = counts.copy()
        weighted.data = 1.0 + np.log(weighted.data)
        return _unit_rows(weighted @ self.topic_idf_)

    def _topics_of(self, weighted: sparse.csr_matrix) -> np.ndarray:
        topics = self.svd_.transform(weighted)
        norms = np.linalg.norm(topics, axis=1, keepdims=True)
        return (topics / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    def signal_scores(self, rows: Sequence[int] | slice) -> dict[str, np.ndarray]:
        """Each signal's relatedness of the pages at ``rows`` to every page, as cosine above chance (0..1).

        Chance is the mean cosine of two pages of this corpus, so that one threshold means the same
        whichever signals are in use.
        """
        found = {}
        for name in self.signals_:
            if name == "lexical":
                cosines = (self.lexical_rare_[rows] @ self.lexical_rare_transposed_).toarray() + self.lexical_frequent_[rows] @ self.lexical_frequent_.T
            elif name == "questions":
                # A question matched to the other page's questions or to its whole text, whichever is closer.
                positions = _positions(rows, len(self.paths_))
                to_pages = self.question_pages_.page_match_scores(positions, self.lexical_)
                found[name] = np.maximum(
                    _above_chance(self.questions_.page_scores(positions), self.chance_[name]),
                    _above_chance(to_pages, self.chance_["question_pages"]),
                )
                continue
            elif name == "topics":
                cosines = self.topics_[rows] @ self.topics_.T
            else:
                cosines = self.embeddings_[rows] @ self.embeddings_.T
            found[name] = _above_chance(cosines, self.chance_[name])
        return found

    def scores(self, rows: Sequence[int] | slice) -> np.ndarray:
        """Relatedness of the pages at ``rows`` to every page, rounded: words and meaning count half each.

        The word signals (lexical, questions, topics) are averaged into one; with embeddings, that and
        the embedding signal are averaged again, so that pages sharing no word can still be related.
        Plain means: no weight is fitted to a data set, so what holds on one forum holds on another.
        With embeddings, topics are not learnt (the sentence model says what LSA guesses) and the
        question signal counts for a pair only when one of the two pages lists question variants: a
        thread's one question is its title, which its embedding already reads. Measured with the
        semantic extra, SemEval-2016 dev rose from 78.09 to 79.58 MAP and cstheory's recall@5 from 31.7
        to 33.0 %; without it, the title signal helps cstheory and stays (bench/related_semeval.py).
        """
        parts = self.signal_scores(rows)
        total = sum(score for name, score in parts.items() if name in ("lexical", "topics"))
        count = 1.0 + ("topics" in parts)
        if "questions" in parts:
            asked = True
            if "semantic" in parts:
                asked = self.asks_[_positions(rows, len(self.paths_))][:, None] | self.asks_[None, :]
            total = total + np.where(asked, parts["questions"], 0.0)
            count = count + asked
        result = total / count
        if "semantic" in parts:
            result = (result + parts["semantic"]) / 2
        # Rounded so that floating-point noise never reorders equal scores.
        return np.round(np.clip(result, 0.0, 1.0), 6)

    def text_vectors(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Typed texts (queries) as the lexical signal's unit vectors, each read as a page's question; unknown words are left out."""
        return self._lexical_rows([[terms(text), [], []] for text in texts]).astype(np.float32)

    def score_candidates(self, path: str, candidates: Sequence[str]) -> list[float]:
        """Relatedness of page ``path`` to each of ``candidates`` (all must be in the fitted pages)."""
        row = self.scores([self.position_[path]])[0]
        return [float(row[self.position_[candidate]]) for candidate in candidates]


def _count_matrix(texts: Sequence[list[str]], vocabulary: dict[str, int], grow: bool = True) -> sparse.csr_matrix:
    """Term counts, one row per text, one column per term of ``vocabulary``.

    New terms are added to ``vocabulary`` (in first-seen order), or left out when ``grow`` is False.
    """
    indices: list[int] = []
    counts: list[int] = []
    pointers = [0]
    for tokens in texts:
        if grow:
            row = Counter(vocabulary.setdefault(token, len(vocabulary)) for token in tokens)
        else:
            row = Counter(vocabulary[token] for token in tokens if token in vocabulary)
        indices.extend(row)
        counts.extend(row.values())
        pointers.append(len(indices))
    shape = (len(texts), max(len(vocabulary), 1))
    return sparse.csr_matrix((np.array(counts, dtype=np.float64), np.array(indices, dtype=np.int64), np.array(pointers, dtype=np.int64)), shape=shape)


def _inverse_document_frequency(counts: sparse.csr_matrix) -> sparse.dia_matrix:
    """Smoothed IDF, ln((1 + n) / (1 + df)) + 1, as a diagonal matrix to multiply counts by."""
    frequency = np.diff(counts.tocsc().indptr)
    return sparse.diags(np.log((1 + counts.shape[0]) / (1 + frequency)) + 1.0)


def _unit_rows(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    """Each row scaled to length 1 (empty rows stay empty)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ matrix)


def _chance_similarity(vectors: sparse.csr_matrix | np.ndarray | None) -> float:
    """Mean cosine between two different pages: the sum of all pairs' cosines is |sum of vectors|^2."""
    if vectors is None or vectors.shape[0] < 2:
        return 0.0
    total = np.asarray(vectors.sum(axis=0)).ravel()
    norms = np.asarray(vectors.multiply(vectors).sum(axis=1) if sparse.issparse(vectors) else (vectors * vectors).sum(axis=1)).ravel()
    count = vectors.shape[0]
    mean = (float(total @ total) - float(norms.sum())) / (count * (count - 1))
    return min(max(mean, 0.0), 0.9)


def _above_chance(cosines: np.ndarray, chance: float) -> np.ndarray:
    return np.clip((cosines - chance) / (1.0 - chance), 0.0, 1.0)



def _asks(documents: Sequence[Document]) -> np.ndarray:
    """Which pages list question variants of their own (articles with ``questions:``)."""
    return np.array([isinstance(document, Article) and bool(document.questions) for document in documents], dtype=bool)


def _positions(rows: Sequence[int] | slice, count: int) -> np.ndarray:
    return np.arange(count)[rows] if isinstance(rows, slice) else np.asarray(rows, dtype=np.int64)


def question_texts(document: Document) -> tuple[str, ...]:
    """The ways a page is asked: its title and, for an article, each question variant."""
    return (document.title, *document.questions) if isinstance(document, Article) else (document.title,)


class QuestionUnits:
    """Every title and question variant as its own short text, matched one to one.

    A page's question score against a text (or another page) is the best cosine between the text
    and any one of its questions: "Why was I charged twice?" finds the article that lists it as a
    variant even when the rest of the article is about something broader.
    """

    def fit(self, documents: Sequence[Document], vocabulary: dict[str, int] | None = None, idf: sparse.dia_matrix | None = None) -> QuestionUnits:
        """Learn the questions' words and weights, or take a vocabulary and IDF already learnt (words outside it are left out)."""
        texts, owners = self._units(documents, 0)
        self.vocabulary_ = vocabulary if vocabulary is not None else {}
        counts = _binary(_count_matrix(texts, self.vocabulary_, grow=vocabulary is None))
        self.idf_ = idf if idf is not None else _inverse_document_frequency(counts)
        self.units_ = _unit_rows(counts @ self.idf_).tocsr().astype(np.float32)
        self.owners_ = owners
        self.page_count_ = len(documents)
        return self

    def update(self, kept: Sequence[int], changed: Sequence[Document]) -> QuestionUnits:
        """Keep the units of the pages at ``kept`` (renumbered in that order), add those of ``changed`` after them."""
        new_position = np.full(self.page_count_, -1, dtype=np.int64)
        new_position[np.asarray(kept, dtype=np.int64)] = np.arange(len(kept))
        keep_units = np.flatnonzero(new_position[self.owners_] >= 0)
        texts, owners = self._units(changed, len(kept))
        fresh = _unit_rows(_binary(_count_matrix(texts, self.vocabulary_, grow=False)) @ self.idf_).astype(np.float32)
        self.units_ = sparse.vstack([self.units_[keep_units], fresh], format="csr")
        self.owners_ = np.concatenate([new_position[self.owners_[keep_units]], owners])
        self.page_count_ = len(kept) + len(changed)
        return self

    @staticmethod
    def _units(documents: Sequence[Document], first: int) -> tuple[list[list[str]], np.ndarray]:
        texts, owners = [], []
        for number, document in enumerate(documents, start=first):
            for text in question_texts(document):
                texts.append(terms(text))
                owners.append(number)
        return texts, np.asarray(owners, dtype=np.int64)

    def vectors(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Query texts in the units' vocabulary and word weights (unknown words are left out)."""
        return _unit_rows(_binary(_count_matrix([terms(text) for text in texts], self.vocabulary_, grow=False)) @ self.idf_).astype(np.float32)

    def text_scores(self, texts: Sequence[str]) -> np.ndarray:
        """For each text, every page's best cosine between the text and one of the page's questions."""
        return self._best_by_page(self.vectors(texts) @ self.units_.T, np.arange(len(texts)), len(texts))

    def page_scores(self, pages: np.ndarray) -> np.ndarray:
        """For each page in ``pages``, every page's best cosine between a question of each (symmetric)."""
        row_of_page = np.full(self.page_count_, -1, dtype=np.int64)
        row_of_page[pages] = np.arange(len(pages))
        chosen = np.flatnonzero(row_of_page[self.owners_] >= 0)
        return self._best_by_page(self.units_[chosen] @ self.units_.T, row_of_page[self.owners_[chosen]], len(pages))

    def page_match_scores(self, pages: np.ndarray, page_vectors: sparse.csr_matrix) -> np.ndarray:
        """For each page in ``pages``, every page's best cosine between a question of one and the whole other page (symmetric).

        ``page_vectors`` are all pages' unit-length vectors in this vocabulary, one row per page
        (``RelatednessModel.lexical_``): "Why was I charged twice?" finds the thread that tells the
        whole story of a double charge, whatever that thread is titled.
        """
        row_of_page = np.full(self.page_count_, -1, dtype=np.int64)
        row_of_page[pages] = np.arange(len(pages))
        chosen = np.flatnonzero(row_of_page[self.owners_] >= 0)
        best = np.zeros((len(pages), self.page_count_), dtype=np.float32)
        if len(chosen):  # these pages' questions against every page
            np.maximum.at(best, row_of_page[self.owners_[chosen]], (self.units_[chosen] @ page_vectors.T).toarray())
        # Every page's questions against these pages: units are in page order and every page has a title.
        starts = np.searchsorted(self.owners_, np.arange(self.page_count_))
        backward = np.maximum.reduceat((self.units_ @ page_vectors[pages].T).toarray(), starts, axis=0) if len(pages) else best.T
        return np.minimum(np.maximum(best, backward.T), 1.0)

    def _best_by_page(self, products: sparse.spmatrix, row_owner: np.ndarray, rows: int) -> np.ndarray:
        products = products.tocoo()
        best = np.zeros((rows, self.page_count_), dtype=np.float32)
        np.maximum.at(best, (row_owner[products.row], self.owners_[products.col]), np.minimum(products.data, 1.0))
        return best

    def chance(self) -> float:
        """The mean best-question cosine of two different pages, from an evenly spaced sample of pages."""
        return _sampled_chance(self.page_scores, self.page_count_)


def _sampled_chance(page_scores: Callable[[np.ndarray], np.ndarray], page_count: int) -> float:
    """The mean score of two different pages, from the rows of an evenly spaced sample of pages."""
    if page_count < 2:
        return 0.0
    sample = np.unique(np.linspace(0, page_count - 1, min(page_count, CHANCE_SAMPLE)).astype(np.int64))
    scores = page_scores(sample)
    total = float(scores.sum()) - float(scores[np.arange(len(sample)), sample].sum())
    return min(max(total / (len(sample) * (page_count - 1)), 0.0), 0.9)


def _binary(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Counts as presence: a question repeating a word does not mean it more."""
    counts = counts.copy()
    counts.data = np.ones_like(counts.data)
    return counts


def ranking_model(settings: RankSettings, cache_dir: Path | None = None) -> RelatednessModel:
    """The page-to-page model for these settings (the semantic model loaded if configured)."""
    return RelatednessModel(settings, load_encoder(settings.semantic_model), cache_dir)


@dataclass(frozen=True)
class RankedPage:
    """One page ranked for a query: its fused score and what each signal said (rank 1 = best; 0 = not found)."""

    path: str
    score: float
    ranks: dict[str, int]
    scores: dict[str, float]
    exact: bool = False  # the query is one of the page's questions
    hit: object | None = None  # the search index's hit (with its snippet) when BM25F found the page


def fuse_ranks(
    rankings: dict[str, list[tuple[str, float]]], exact: frozenset[str] = frozenset(), shares: dict[str, float] | None = None
) -> list[RankedPage]:
    """Reciprocal-rank fusion of several best-first rankings (each ``[(path, score), ...]``).

    Each signal adds 1 / (60 + rank) for the pages it found: robust to signals whose scores are on
    different scales, and with no weight to fit. ``shares`` scales a signal's part (1 when not given): a fixed
    split such as words and meaning half each, never a weight fitted to a data set. Pages in ``exact`` come
    first whatever the fusion says.
    """
    fused: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    scores: dict[str, dict[str, float]] = {}
    for name, ranking in rankings.items():
        for rank, (path, score) in enumerate(ranking, start=1):
            fused[path] = fused.get(path, 0.0) + (shares or {}).get(name, 1.0) / (FUSION_RANK_CONSTANT + rank)
            ranks.setdefault(path, {})[name] = rank
            scores.setdefault(path, {})[name] = round(float(score), 4)
    pages = [RankedPage(path, round(total, 6), ranks[path], scores[path], path in exact) for path, total in fused.items()]
    return sorted(pages, key=lambda page: (not page.exact, -page.score, page.path))


class PageSearch:
    """Ranks pages for a typed query: BM25F candidates (the Whoosh index, whose title and question
    fields are boosted), the query's cosine with each page in the related-links lexical signal (question,
    body and answers views, ``RelatednessModel``) and, with an encoder, embedding matches, fused by
    ``fuse_ranks``; a page that lists the query as one of its questions comes first.

    The lexical cosine is what related links rank by; fused with BM25F it lifted ``kbgen search`` on
    SemEval-2016 dev from 74.24 to 75.03 MAP and on the cstheory meta PostLinks from 22.5 to 28.4 %
    recall@5 (bench/related_semeval.py), whose queries are whole posts; it is used for queries of at
    least ``POST_QUERY_TERMS`` terms. With embeddings, the two word rankings share one half and the
    embeddings have the other (``SEARCH_SHARES``), as words and meaning do in related links.

    ``index`` is anything with ``search(query, limit=, kind=, include_drafts=)`` returning hits with
    ``path`` and ``score`` (``kbgen.index.SearchIndex``).
    """

    def __init__(self, documents: Sequence[Document], index: object, encoder: SentenceEncoder | None = None, cache_dir: Path | None = None, candidates: int = 100) -> None:
        self.documents = sorted(documents, key=lambda document: document.path)
        self.index = index
        self.encoder = encoder
        self.candidates = candidates
        self.questions = QuestionUnits().fit(self.documents)
        self.embeddings = None
        if encoder is not None and self.documents:
            self.embeddings = cached_embeddings(encoder, [_semantic_text(document) for document in self.documents], cache_dir)

    def rank(self, query: str, *, limit: int = 10, kind: str | None = None, include_drafts: bool = False) -> list[RankedPage]:
        allowed = np.array([(kind is None or document.kind == kind) and (include_drafts or not getattr(document, "is_draft", False)) for document in self.documents], dtype=bool)
        hits = self.index.search(query, limit=self.candidates, kind=kind, include_drafts=include_drafts)  # type: ignore[attr-defined]
        rankings = {"bm25f": [(hit.path, hit.score) for hit in hits]}
        # Question variants decide exact matches only: as a ranked signal of its own, the best single
        # title lost 2.6 MAP against BM25F on SemEval dev, whose queries are whole posts.
        question_scores = self.questions.text_scores([query])[0]
        exact = frozenset(self.documents[position].path for position in np.flatnonzero((question_scores >= 0.999) & allowed))
        if self.documents and len(set(terms(query))) >= POST_QUERY_TERMS:
            cosines = (self.lexical.text_vectors([query]) @ self.lexical.lexical_.T).toarray()[0]
            rankings["lexical"] = self._best(cosines, allowed, minimum=1e-6)  # pages sharing a word with the query
        shares = None
        if self.embeddings is not None and self.encoder is not None:
            rankings["semantic"] = self._best(self.embeddings @ self.encoder.encode([query])[0], allowed, minimum=-1.0)
            shares = SEARCH_SHARES
        by_path = {hit.path: hit for hit in hits}
        return [replace(page, hit=by_path.get(page.path)) for page in fuse_ranks(rankings, exact, shares)[:limit]]

    @cached_property
    def lexical(self) -> RelatednessModel:
        """The related-links lexical signal over the pages, fitted at the first written-out question (keywords never need it)."""
        return RelatednessModel(RankSettings(questions=False, topics=False)).fit(self.documents)

    def _best(self, scores: np.ndarray, allowed: np.ndarray, minimum: float) -> list[tuple[str, float]]:
        usable = np.flatnonzero(allowed & (scores >= minimum))
        best = usable[np.lexsort((usable, -scores[usable]))][: self.candidates]
        return [(self.documents[position].path, float(scores[position])) for position in best]


def rank_articles(search: PageSearch, question: str, limit: int = 10) -> list[RankedPage]:
    """The articles (drafts included) that best answer ``question``: for the miner's article matching."""
    return search.rank(question, limit=limit, kind="article", include_drafts=True)
