"""Related pages: for every article and thread, the articles and threads that answer the same problem.

``RelatednessModel`` scores how related two pages are (0..1, symmetric): a cosine of TF-IDF
vectors over question, body and answer text; on larger corpora a latent topic (LSA) cosine learnt
from the corpus itself; and, with the ``kbgen[semantic]`` extra, a sentence-embedding cosine.
``compute_links`` thresholds those scores (an unrelated page gets no links rather than bad ones),
orders them with stable tie-breaking, makes strong links two-way, and applies the writer's
``related:`` (pin) and ``unrelated:`` (suppress) front matter. ``likely_duplicates`` warns about
two articles that answer the same question.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sparse

from kbgen.errors import KbgenError
from kbgen.frontmatter import read_front_matter
from kbgen.index import content_hash, document_fields
from kbgen.load import read_text
from kbgen.model import Article, Corpus, Document, Thread
from kbgen.semantic import SentenceEncoder, cached_embeddings, load_encoder
from kbgen.text import terms

log = logging.getLogger(__name__)

# Bump when scoring changes: cached links of another version are recomputed.
LINKS_VERSION = 2
LINKS_FILE = "related-links.json"
DUPLICATES_FILE = "likely-duplicates.json"
# Rows of the similarity matrix computed at once: bounds memory at BLOCK_ROWS x pages floats.
BLOCK_ROWS = 512
# A word on more than this many pages (and more than 1/FREQUENT_WORD_SHARE of them) is scored densely.
FREQUENT_WORD_PAGES = 64
FREQUENT_WORD_SHARE = 50


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
    """How related pages are scored and chosen (``compute_links(**settings)`` overrides any of them)."""

    max_articles: int = 5  # related articles listed per page
    max_threads: int = 5  # community discussions listed per page
    threshold: float = 0.2  # minimum relatedness (0..1) for a link that no writer pinned
    reciprocal_rank: int = 2  # a page in another page's top N links back to it, even past its own top N
    include_drafts: bool = False  # drafts are never linked to on the public site
    # Weights below were chosen by 2-fold cross-validation on SemEval-2016 (bench/related_semeval.py).
    # Share of each view in the lexical score (each view's TF-IDF vector is normalised first).
    question_weight: float = 0.5  # title, question variants, tags
    body_weight: float = 1.0  # summary and body
    answers_weight: float = 0.2  # answers and comments of threads
    # How the parts of the score mix (normalised over the parts in use).
    lexical_weight: float = 1.0
    topic_weight: float = 0.25  # latent topics learnt from the corpus (LSA); only on larger corpora
    topic_dimensions: int = 100
    topic_min_texts: int = 300  # fewer texts than this: too little to learn topics from
    topic_max_texts: int = 4000  # topics are learnt from at most this many texts (an even sample)
    semantic_model: str = ""  # sentence-transformers model folder or installed model package
    semantic_weight: float = 2.0
    duplicate_threshold: float = 0.75  # ``likely_duplicates``: lexical relatedness of two articles' questions


VIEWS = ("question", "body", "answers")


def _document_views(document: Document) -> tuple[str, str, str]:
    """The question, body and answers text of a page (the same text the search index holds)."""
    text = document_fields(document)
    question = "\n".join((str(text["title"]), str(text["questions"]), str(text["tags"]).replace(",", " ").replace("-", " ")))
    body = "\n".join((str(text["summary"]), str(text["body"])))
    return question, body, str(text["answers"])


def _semantic_text(document: Document) -> str:
    question, body, _ = _document_views(document)
    return f"{question.strip()}\n{body.strip()}"


class RelatednessModel:
    """How related any two pages of a corpus are: ``fit`` learns from the pages, ``scores`` compares them.

    Scores are symmetric (``score(a, b) == score(b, a)``) and lie in 0..1.
    """

    def __init__(self, settings: LinkSettings | None = None, encoder: SentenceEncoder | None = None, cache_dir: Path | None = None) -> None:
        self.settings = settings or LinkSettings()
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
        self.topics_ = self._topic_vectors(views)
        self.embeddings_ = None
        if self.encoder is not None and documents:
            self.embeddings_ = cached_embeddings(self.encoder, [_semantic_text(document) for document in documents], self.cache_dir)
        parts = [
            (self.settings.lexical_weight, True),
            (self.settings.topic_weight, self.topics_ is not None),
            (self.settings.semantic_weight, self.embeddings_ is not None),
        ]
        total = sum(weight for weight, used in parts if used) or 1.0
        self.weights_ = tuple(weight / total if used else 0.0 for weight, used in parts)
        self.chance_ = tuple(_chance_similarity(vectors) for vectors in (self.lexical_, self.topics_, self.embeddings_))
        return self

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
        if self.embeddings_ is not None:
            fresh = cached_embeddings(self.encoder, [_semantic_text(document) for document in changed], self.cache_dir) if changed else self.embeddings_[:0]
            self.embeddings_ = np.vstack([self.embeddings_[kept], fresh])
        self.paths_ = [self.paths_[index] for index in kept] + [document.path for document in changed]
        self.position_ = {path: index for index, path in enumerate(self.paths_)}
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
        needed = [bool(weight) or bool(self.settings.topic_weight) for weight in weights]
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
        if not self.settings.topic_weight or len(texts) < self.settings.topic_min_texts:
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

    def scores(self, rows: Sequence[int] | slice) -> np.ndarray:
        """Relatedness of the pages at ``rows`` to every page (one row per page in ``rows``).

        Each part's cosine is measured above chance (the mean cosine of two pages of this corpus),
        so that one threshold means the same with or without topics and embeddings.
        """
        lexical_weight, topic_weight, semantic_weight = self.weights_
        lexical_chance, topic_chance, semantic_chance = self.chance_
        cosines = (self.lexical_rare_[rows] @ self.lexical_rare_transposed_).toarray() + self.lexical_frequent_[rows] @ self.lexical_frequent_.T
        result = lexical_weight * _above_chance(cosines, lexical_chance)
        if self.topics_ is not None:
            result += topic_weight * _above_chance(self.topics_[rows] @ self.topics_.T, topic_chance)
        if self.embeddings_ is not None:
            result += semantic_weight * _above_chance(self.embeddings_[rows] @ self.embeddings_.T, semantic_chance)
        # Rounded so that floating-point noise never reorders equal scores.
        return np.round(np.clip(result, 0.0, 1.0), 6)

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


def ranking_model(settings: LinkSettings, cache_dir: Path | None = None) -> RelatednessModel:
    """The model ``compute_links`` uses for these settings (the semantic model loaded if configured)."""
    return RelatednessModel(settings, load_encoder(settings.semantic_model), cache_dir)


def compute_links(corpus: Corpus, cache_dir: Path | None = None, **settings: object) -> dict[str, Related]:
    """Related articles and threads of every article and thread, keyed by content path."""
    options = replace(LinkSettings(), **settings)  # type: ignore[arg-type]
    documents = sorted(corpus.documents(), key=lambda document: document.path)
    if not documents:
        return {}
    key = _links_key(corpus, documents, options)
    cached = _read_links(cache_dir, key)
    if cached is not None:
        log.debug("related links unchanged since the last build: read from %s", cache_dir)
        return cached
    return LiveLinks(corpus, cache_dir, **settings).links


class LiveLinks:
    """Related links kept up to date while pages change (``kbgen serve``), without learning the corpus again per edit.

    Built like ``compute_links`` (and saved to its cache); ``update`` then scores only the pages
    that changed against the others, with the model learnt at the start (``RelatednessModel.update``),
    and chooses again the links of the pages whose candidates, owed links or linked pages changed.
    A change to many pages is learnt afresh.
    """

    def __init__(self, corpus: Corpus, cache_dir: Path | None = None, **settings: object) -> None:
        self.options = replace(LinkSettings(), **settings)  # type: ignore[arg-type]
        self.cache_dir = cache_dir
        self._learn(corpus)

    def _learn(self, corpus: Corpus) -> None:
        documents = sorted(corpus.documents(), key=lambda document: document.path)
        self.hashes = {document.path: content_hash(document, corpus) for document in documents}
        self.model = ranking_model(self.options, self.cache_dir).fit(documents) if documents else None
        self.candidates = dict(_ranked_candidates(self.model, documents, self.options)) if self.model is not None else {}
        self.context = _LinkContext.of(documents, self.candidates, self.options)
        self.links = {document.path: self.context.choose(document, self.candidates) for document in documents}
        log.debug("related links computed for %d pages", len(self.links))
        _write_links(self.cache_dir, _links_key(corpus, documents, self.options), self.links)

    def update(self, corpus: Corpus, hashes: Mapping[str, str] | None = None) -> dict[str, Related]:
        """The links of ``corpus``, a later state of the corpus this was built from (``hashes``: its ``content_hash`` by path, if known)."""
        documents = sorted(corpus.documents(), key=lambda document: document.path)
        hashes = hashes if hashes is not None else {document.path: content_hash(document, corpus) for document in documents}
        changed = [document for document in documents if self.hashes.get(document.path) != hashes[document.path]]
        removed = [path for path in self.hashes if path not in hashes]
        if not changed and not removed:
            return self.links
        if self.model is None or len(changed) + len(removed) > max(20, len(documents) // 20):
            self._learn(corpus)
            return self.links
        self.model.update(changed, removed)
        self.hashes = dict(hashes)
        gone = set(removed) | {document.path for document in changed}
        recheck = self._rescore(changed, set(removed))
        context = _LinkContext.of(documents, self.candidates, self.options)
        recheck |= context.differences(self.context)
        # Pages that list a changed page show its title: choose again too.
        recheck |= {path for path, related in self.links.items() if any(link.path in gone for link in (*related.articles, *related.threads))}
        self.context = context
        self.links = {path: related for path, related in self.links.items() if path in context.by_path}
        for path in sorted(recheck & context.by_path.keys()):
            self.links[path] = context.choose(context.by_path[path], self.candidates)
        return self.links

    def _rescore(self, changed: Sequence[Document], removed: set[str]) -> set[str]:
        """New candidates of the changed pages; the changed pages' place in every other page's candidates.

        Returns the pages whose candidates changed.
        """
        model, options = self.model, self.options
        assert model is not None
        keep = _candidates_kept(options)
        gone = removed | {document.path for document in changed}
        touched = set()
        for path in list(self.candidates):
            if path in removed:
                del self.candidates[path]
            elif any(candidate in gone for _, candidate in self.candidates[path]):
                self.candidates[path] = [(score, candidate) for score, candidate in self.candidates[path] if candidate not in gone]
                touched.add(path)
        rows = model.scores([model.position_[document.path] for document in changed]) if changed else []
        changed_paths = {document.path for document in changed}
        for document, row in zip(changed, rows, strict=True):
            row[model.position_[document.path]] = -1.0
            above = np.flatnonzero(row >= options.threshold)
            found = [(float(row[index]), model.paths_[index]) for index in above]
            self.candidates[document.path] = sorted(found, key=_by_score)[:keep]
            for score, other in found:
                if other not in changed_paths:  # scores are symmetric: the other page gains this one
                    self.candidates[other].append((score, document.path))
                    touched.add(other)
        for path in touched:
            self.candidates[path] = sorted(self.candidates[path], key=_by_score)[:keep]
        return touched | changed_paths


@dataclass(frozen=True)
class _LinkContext:
    """What choosing a page's links needs beyond its candidates: the pages, pins, suppressions, links owed back."""

    by_path: dict[str, Document]
    urls: dict[str, str]
    linkable: set[str]
    suppressed: set[tuple[str, str]]
    pins: dict[str, list[str]]
    wanted_back: dict[str, dict[str, float]]
    options: LinkSettings

    @classmethod
    def of(cls, documents: Sequence[Document], candidates: dict[str, list[tuple[float, str]]], options: LinkSettings) -> _LinkContext:
        by_path = {document.path: document for document in documents}
        linkable = {path for path, document in by_path.items() if options.include_drafts or not getattr(document, "is_draft", False)}
        suppressed = _suppressed_pairs(documents)
        pins = _pins(documents)
        wanted_back = _wanted_back(documents, candidates, pins, suppressed, linkable, options)
        return cls(by_path, {path: document.url for path, document in by_path.items()}, linkable, suppressed, pins, wanted_back, options)

    def choose(self, document: Document, candidates: dict[str, list[tuple[float, str]]]) -> Related:
        return _choose(
            document, candidates[document.path], self.pins[document.path], self.wanted_back.get(document.path, {}),
            self.by_path, self.urls, self.linkable, self.suppressed, self.options,
        )

    def differences(self, other: _LinkContext) -> set[str]:
        """Pages whose links may differ between the two contexts for the same candidates."""
        changed = {path for path in self.wanted_back.keys() | other.wanted_back.keys() if self.wanted_back.get(path) != other.wanted_back.get(path)}
        changed |= {path for pair in self.suppressed ^ other.suppressed for path in pair}
        changed |= {path for path in self.pins if self.pins[path] != other.pins.get(path)}
        return changed | (self.linkable ^ other.linkable)


def _by_score(candidate: tuple[float, str]) -> tuple[float, str]:
    """Best first, ties by path: the order ``_ranked_candidates`` gives."""
    return -candidate[0], candidate[1]


def _candidates_kept(options: LinkSettings) -> int:
    """Candidates kept per page: enough to fill both lists after pins, suppressions and drafts."""
    return (options.max_articles + options.max_threads) * 3 + 10


def _links_key(corpus: Corpus, documents: Sequence[Document], options: LinkSettings) -> str:
    """Changes when any page, category title or setting changes (scores depend on the whole corpus)."""
    digest = hashlib.sha256(f"{LINKS_VERSION}\n{options!r}".encode())
    for document in documents:
        digest.update(content_hash(document, corpus).encode())
    return digest.hexdigest()


def _read_links(cache_dir: Path | None, key: str) -> dict[str, Related] | None:
    stored = _read_cached(cache_dir, LINKS_FILE, key)
    if stored is None:
        return None
    try:
        return {
            path: Related(*(tuple(RelatedLink(*link) for link in related[group]) for group in ("articles", "threads")))
            for path, related in stored.items()
        }
    except (TypeError, KeyError, AttributeError):
        return None


def _write_links(cache_dir: Path | None, key: str, links: dict[str, Related]) -> None:
    def rows(group: tuple[RelatedLink, ...]) -> list[tuple[str, str, str, str, float]]:
        return [(link.path, link.title, link.url, link.kind, link.score) for link in group]

    _write_cached(cache_dir, LINKS_FILE, key, {path: {"articles": rows(related.articles), "threads": rows(related.threads)} for path, related in links.items()})


def _read_cached(cache_dir: Path | None, name: str, key: str) -> object | None:
    """What ``_write_cached`` stored under ``name`` for ``key``; None if missing, damaged or for another key."""
    if cache_dir is None:
        return None
    try:
        stored = json.loads((Path(cache_dir) / name).read_text(encoding="utf-8"))
        return stored["value"] if stored.get("key") == key else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _write_cached(cache_dir: Path | None, name: str, key: str, value: object) -> None:
    """Write beside the target then rename: a crash never leaves a half-written file."""
    if cache_dir is None:
        return
    try:
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=cache_dir)
    except OSError as error:
        log.warning("cannot write the cache file %s in %s (%s)", name, cache_dir, error)
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"key": key, "value": value}, stream, ensure_ascii=False)
        os.replace(temporary, Path(cache_dir) / name)
    except OSError as error:
        log.warning("cannot write the cache file %s in %s (%s)", name, cache_dir, error)
        Path(temporary).unlink(missing_ok=True)


def _ranked_candidates(model: RelatednessModel, documents: Sequence[Document], options: LinkSettings) -> Iterator[tuple[str, list[tuple[float, str]]]]:
    """For each page, the pages scoring at least the threshold, best first, ties by path."""
    keep = _candidates_kept(options)
    count = len(documents)
    for start in range(0, count, BLOCK_ROWS):
        block = model.scores(slice(start, min(start + BLOCK_ROWS, count)))
        for offset, row in enumerate(block):
            own = start + offset
            row[own] = -1.0
            above = np.flatnonzero(row >= options.threshold)
            # Documents are sorted by path, so a stable sort on the score breaks ties by path.
            best = above[np.argsort(-row[above], kind="stable")][:keep]
            yield documents[own].path, [(float(row[index]), documents[index].path) for index in best]


def _suppressed_pairs(documents: Sequence[Document]) -> set[tuple[str, str]]:
    """Pairs never linked: a writer's ``unrelated:`` on either page suppresses both directions."""
    pairs = set()
    for document in documents:
        for other in document.unrelated:
            pairs.add((document.path, other))
            pairs.add((other, document.path))
    return pairs


def _pins(documents: Sequence[Document]) -> dict[str, list[str]]:
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
    """Pinned pages first (in the writer's order), then pages owed a link back, then the best others."""

    def allowed(path: str) -> bool:
        return path != document.path and path in by_path and path in linkable and (document.path, path) not in suppressed

    scores = {path: score for score, path in ranked}
    scores.update((path, score) for path, score in wanted_back.items() if path not in scores)
    pinned = [path for path in pins if allowed(path)]
    owed = sorted((path for path in wanted_back if allowed(path) and path not in pinned), key=lambda path: (-scores[path], path))
    others = [path for _, path in ranked if allowed(path) and path not in pinned and path not in wanted_back]

    def listing(kind: str, limit: int) -> tuple[RelatedLink, ...]:
        chosen = [path for path in (*pinned, *owed, *others) if by_path[path].kind == kind][:limit]
        fixed = [path for path in chosen if path in pinned]
        ranked_rest = sorted((path for path in chosen if path not in pinned), key=lambda path: (-scores[path], path))
        return tuple(RelatedLink(path, by_path[path].title, urls[path], kind, round(scores.get(path, 0.0), 4)) for path in (*fixed, *ranked_rest))

    return Related(articles=listing("article", options.max_articles), threads=listing("thread", options.max_threads))


def likely_duplicates(corpus: Corpus, cache_dir: Path | None = None, **settings: object) -> list[KbgenError]:
    """Warnings for pairs of articles that probably answer the same question, at one's title line.

    The warning goes on the draft of the pair if there is one, else on the later path.
    Lexical scores of the questions only (fast enough for every ``kbgen check``); a pair that a
    writer marked ``unrelated:`` is not reported. With ``cache_dir``, the warnings are kept there
    until an article's questions (or where its front matter ends) change.
    """
    options = replace(LinkSettings(), **settings)  # type: ignore[arg-type]
    articles = sorted(corpus.articles, key=lambda article: article.path)
    if len(articles) < 2:
        return []
    digest = hashlib.sha256(f"{LINKS_VERSION}\n{options!r}".encode())
    for article in articles:
        digest.update(repr((article.path, article.title, article.questions, article.tags, article.status, article.unrelated, article.body_line)).encode())
    key = digest.hexdigest()
    cached = _read_cached(cache_dir, DUPLICATES_FILE, key)
    if isinstance(cached, list):
        return [KbgenError(*warning) for warning in cached]
    warnings = _likely_duplicates(corpus, articles, options)
    _write_cached(cache_dir, DUPLICATES_FILE, key, [astuple(warning) for warning in warnings])
    return warnings


def _likely_duplicates(corpus: Corpus, articles: list[Article], options: LinkSettings) -> list[KbgenError]:
    # Compared on their questions (title, variants, tags) only: a draft from ``kbgen mine`` has no answer yet.
    lexical = replace(options, question_weight=1.0, body_weight=0.0, answers_weight=0.0, topic_weight=0.0, semantic_model="")
    model = RelatednessModel(lexical).fit(articles)
    suppressed = _suppressed_pairs(articles)
    warnings = []
    for start in range(0, len(articles), BLOCK_ROWS):
        block = model.scores(slice(start, min(start + BLOCK_ROWS, len(articles))))
        for offset, row in enumerate(block):
            later = start + offset
            earlier_matches = np.flatnonzero(row[:later] >= options.duplicate_threshold)
            if not len(earlier_matches):
                continue
            best = int(earlier_matches[np.argmax(row[earlier_matches])])
            article, first = articles[later], articles[best]
            if (article.path, first.path) in suppressed:
                continue
            if first.is_draft and not article.is_draft:
                # Warn on the draft: it is the newcomer that should be merged into the published one.
                article, first = first, article
            line, column = _title_location(corpus, article)
            warnings.append(
                KbgenError(
                    article.path,
                    f"likely duplicate of {first.path} ('{first.title}'), relatedness {row[best]:.2f}",
                    line,
                    column,
                    f"merge the two articles (keep this title as one of 'questions:'), or add 'unrelated: [{first.path}]' if they answer different questions",
                    severity="warning",
                )
            )
    return warnings


def _title_location(corpus: Corpus, document: Document) -> tuple[int, int]:
    try:
        return read_front_matter(read_text(corpus.root, document.path), document.path).location("title")
    except KbgenError:
        return (1, 1)

