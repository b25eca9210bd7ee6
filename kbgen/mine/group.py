"""Group paraphrases of the same need without being told how many needs there are.

The default is lexical and offline: TF-IDF over words (1-2 grams) and character n-grams (2-5,
inside words), a k-nearest-neighbour graph on cosine similarity, and Louvain communities of that
graph (networkx), linking only neighbours at least ``min_edge_similarity`` alike. The resolution is
found from the data: modularity can only tell apart about as many groups as its resolution allows,
so the resolution is set to ``resolution`` x the number of groups found, and Louvain runs again
until that number settles (a fixed point, whatever the size of the log). The number of neighbours
settles the same way, at ``NEIGHBOURS_PER_GROUP_SIZE`` (``SEMANTIC_NEIGHBOURS_PER_GROUP_SIZE`` with
embeddings) x the mean group size, so that a need asked fifty times is not cut in two where one
asked ten times is kept whole. The groups are then
refined like k-means (each question moves to its closest group centre). A question far from its
group's centre, and a group asked fewer than ``min_group_size`` times, is noise (label -1).
Settings were chosen on CLINC150 ``val`` by ``bench/mine_quality.py``, which also compares them
with TF-IDF + K-means given the true K.

With a sentence encoder (``kbgen[semantic]``, see ``kbgen.semantic``) the graph and the group
centres use its embeddings joined with the TF-IDF vectors (``semantic_weight`` of the cosine from
the embeddings) and their own resolution and share of neighbours; everything else is the same.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

from kbgen.mine.clean import question_key

log = logging.getLogger(__name__)

NOISE = -1
# Resolution per group found, chosen on CLINC150 val (bench/mine_quality.py) for each representation.
LEXICAL_RESOLUTION = 0.1
SEMANTIC_RESOLUTION = 0.14
# Louvain runs until the number of groups moves by less than this share (or MAX_RESOLUTION_ROUNDS).
RESOLUTION_TOLERANCE = 0.05
MAX_RESOLUTION_ROUNDS = 8
REFINE_ROUNDS = 10
# Lexical neighbours per question as a share of the mean group size found (chosen on CLINC150 val and
# train by bench/mine_quality.py): a fixed count links a question to most of a small group but to a few of
# a large one, so a log where each need is asked more often fell apart into more groups.
NEIGHBOURS_PER_GROUP_SIZE = 0.6
# With embeddings a smaller share, chosen with the semantic resolution on the same dev logs: more neighbours
# reach into other needs sooner there, so at 0.5 and above groups merge (-18 % on train 150 x 50), and at
# ten always a need asked fifty times fell apart (+68 %; 0.4: +1 %).
SEMANTIC_NEIGHBOURS_PER_GROUP_SIZE = 0.4
MAX_NEIGHBOURS = 40
MAX_NEIGHBOUR_ROUNDS = 6
# A question links to at most one neighbour per this many questions (small logs).
SMALL_GRAPH_FACTOR = 10
# Masks put in by cleaning are not words customers chose.
_MASK_WORDS = frozenset({"email", "phone", "card", "link", "number"})


class TextVectorizer:
    """Word 1-2 grams plus character 2-5 grams, TF-IDF weighted, joined and unit-normalised."""

    def __init__(self, char_weight: float = 1.0) -> None:
        self.char_weight = char_weight
        self.words: TfidfVectorizer | None = None
        self.characters: TfidfVectorizer | None = None

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        # Character n-grams seen once carry no evidence of similarity; on tiny inputs keep them all.
        self.words = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), dtype=np.float32)
        self.characters = TfidfVectorizer(
            sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 5), min_df=2 if len(texts) >= 50 else 1, dtype=np.float32
        )
        try:
            words = self.words.fit_transform(texts)
        except ValueError:  # no word of two characters anywhere (a log of "0", "?!"): count single characters as words
            self.words = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b", dtype=np.float32)
            words = self.words.fit_transform(texts)
        return self._join(words, self.characters.fit_transform(texts))

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if self.words is None or self.characters is None:
            raise RuntimeError("TextVectorizer is not fitted")
        return self._join(self.words.transform(texts), self.characters.transform(texts))

    def _join(self, words: sparse.spmatrix, characters: sparse.spmatrix) -> sparse.csr_matrix:
        return normalize(sparse.hstack([words, characters * self.char_weight], format="csr"))

    def word_count(self) -> int:
        return len(self.words.vocabulary_) if self.words is not None else 0

    def word_names(self) -> np.ndarray:
        return self.words.get_feature_names_out() if self.words is not None else np.array([])


def join_vectors(lexical: sparse.csr_matrix, embeddings: Any, semantic_weight: float = 0.75) -> sparse.csr_matrix:
    """Unit rows whose dot product is ``semantic_weight`` x embedding cosine + the rest x TF-IDF cosine."""
    weight = min(max(semantic_weight, 0.0), 1.0)
    dense = normalize(np.asarray(embeddings, dtype=np.float32))
    return sparse.hstack([sparse.csr_matrix(dense * math.sqrt(weight)), lexical * math.sqrt(1.0 - weight)], format="csr")


class QuestionGrouper(ClusterMixin, BaseEstimator):
    """Cluster questions into groups of paraphrases; the number of groups is found, not given.

    Parameters
    ----------
    n_neighbors: edges per question in the similarity graph (the first search, with ``neighbours_per_group_size``).
    neighbours_per_group_size: edges per question as a share of the mean size of the groups found (None:
        always ``n_neighbors``; "auto": the value chosen for the representation in use); the graph is
        searched again with that many until the count settles.
    resolution: Louvain resolution per group found (None: the value chosen on CLINC150 val for the
        representation in use); higher finds more, smaller groups. Modularity merges two halves of
        one need when the edges between them exceed about 2 x resolution / groups of all edges, so
        a resolution proportional to the number of groups applies the same test to any log size.
    min_edge_similarity: neighbours less similar than this are not linked at all (None: 0.1 lexical, 0.2 semantic).
    min_similarity: a question less similar than this to its group's centre is noise.
    min_group_size: a group asked fewer times than this is noise.
    char_weight: weight of character n-grams against words.
    encoder: optional sentence encoder (``kbgen.semantic.SentenceEncoder`` or anything with ``encode``).
    semantic_weight: with an encoder, the share of the similarity that comes from its embeddings.
    random_state: seed of the community search.
    progress: a callable wrapping an iterable in a progress bar (the pipeline passes tqdm's), or None.

    After ``fit``: ``labels_`` (one per input text, -1 = noise), ``similarities_`` (to the group
    centre), ``n_groups_``, ``centroids_`` and ``keywords_`` (a few words per group).
    """

    def __init__(
        self,
        n_neighbors: int = 10,
        neighbours_per_group_size: float | str | None = "auto",
        resolution: float | None = None,
        min_similarity: float = 0.2,
        min_group_size: int = 3,
        min_edge_similarity: float | None = None,
        char_weight: float = 1.0,
        encoder: Any = None,
        semantic_weight: float = 0.75,
        random_state: int | None = 0,
        progress: Any = None,
    ) -> None:
        self.n_neighbors = n_neighbors
        self.neighbours_per_group_size = neighbours_per_group_size
        self.resolution = resolution
        self.min_similarity = min_similarity
        self.min_group_size = min_group_size
        self.min_edge_similarity = min_edge_similarity
        self.char_weight = char_weight
        self.encoder = encoder
        self.semantic_weight = semantic_weight
        self.random_state = random_state
        self.progress = progress

    def fit(self, texts: Sequence[str], y: Any = None, sample_weight: Sequence[int] | None = None) -> QuestionGrouper:
        """Group ``texts``; ``sample_weight`` counts how often each text was asked (default 1)."""
        texts = [str(text) for text in texts]
        weights = np.ones(len(texts), dtype=np.int64) if sample_weight is None else np.asarray(sample_weight, dtype=np.int64)
        keys = [question_key(text) for text in texts]
        unique_index: dict[str, int] = {}
        unique_texts: list[str] = []
        position = np.empty(len(texts), dtype=np.int64)
        for row, key in enumerate(keys):
            if key not in unique_index:
                unique_index[key] = len(unique_texts)
                unique_texts.append(texts[row])
            position[row] = unique_index[key]
        counts = np.bincount(position, weights=weights, minlength=len(unique_texts)).astype(np.int64) if texts else np.zeros(0, np.int64)
        empty = np.array([not key for key in unique_index], dtype=bool)

        self.vectorizer_ = TextVectorizer(self.char_weight)
        self.labels_ = np.full(len(texts), NOISE, dtype=np.int64)
        self.similarities_ = np.zeros(len(texts), dtype=np.float32)
        self.n_groups_ = 0
        self.keywords_: list[tuple[str, ...]] = []
        usable = np.flatnonzero(~empty)
        if len(usable) < 2:
            self.centroids_ = sparse.csr_matrix((0, 0), dtype=np.float32)
            return self
        lexical = self.vectorizer_.fit_transform([unique_texts[index] for index in usable])
        vectors = self._embed([unique_texts[index] for index in usable], lexical)
        communities = self._refine(vectors, self._communities(vectors))
        unique_labels = np.full(len(unique_texts), NOISE, dtype=np.int64)
        unique_labels[usable] = communities
        unique_labels, unique_similarities, centroids, lexical_centroids = self._finish(unique_labels, usable, vectors, lexical, counts)
        self.labels_ = unique_labels[position]
        self.similarities_ = unique_similarities[position]
        self.centroids_ = centroids
        self.n_groups_ = centroids.shape[0]
        self.keywords_ = self._keywords(lexical_centroids)
        return self

    def fit_predict(self, texts: Sequence[str], y: Any = None, **kwargs: Any) -> np.ndarray:
        return self.fit(texts, **kwargs).labels_

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.assign(texts)[0]

    def assign(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The nearest group of each text (or -1) and its similarity to that group's centre."""
        labels = np.full(len(texts), NOISE, dtype=np.int64)
        similarities = np.zeros(len(texts), dtype=np.float32)
        if not self.n_groups_ or not len(texts):
            return labels, similarities
        texts = [str(text) for text in texts]
        lexical = self.vectorizer_.transform(texts)
        vectors = self._embed(texts, lexical)
        scores = _dense(vectors @ self.centroids_.T)
        best = scores.argmax(axis=1)
        best_scores = scores[np.arange(len(texts)), best]
        close = best_scores >= self.min_similarity
        labels[close] = best[close]
        similarities[:] = best_scores
        return labels, similarities

    def _embed(self, texts: list[str], lexical: sparse.csr_matrix) -> Any:
        """TF-IDF rows, or embeddings joined with them so that a dot product mixes both cosines."""
        if self.encoder is None:
            return lexical
        return join_vectors(lexical, self.encoder.encode(texts), self.semantic_weight)

    def _settings(self) -> tuple[float, float, float | None]:
        """(resolution per group, min edge similarity, neighbours per group size) for the representation in use."""
        semantic = self.encoder is not None
        resolution = self.resolution if self.resolution is not None else SEMANTIC_RESOLUTION if semantic else LEXICAL_RESOLUTION
        edge = self.min_edge_similarity if self.min_edge_similarity is not None else 0.2 if semantic else 0.1
        ratio = self.neighbours_per_group_size
        if ratio == "auto":
            ratio = SEMANTIC_NEIGHBOURS_PER_GROUP_SIZE if semantic else NEIGHBOURS_PER_GROUP_SIZE
        return resolution, edge, ratio  # type: ignore[return-value]

    def _steps(self, count: int, description: str) -> Any:
        return self.progress(range(count), description) if self.progress is not None else range(count)

    def _communities(self, vectors: Any) -> np.ndarray:
        """Louvain communities of the k-nearest-neighbour graph at a resolution proportional to their number.

        With a share of neighbours per group size the number of neighbours follows the groups found too:
        it is set to that share of their mean size and the graph is searched again, until it settles."""
        count = vectors.shape[0]
        resolution_per_group, min_edge, ratio = self._settings()
        # In a small log ten neighbours reach into other groups: link fewer.
        ceiling = max(3, count // SMALL_GRAPH_FACTOR)
        neighbours = min(self.n_neighbors, ceiling, count - 1)
        adaptive = ratio is not None
        searched = min(max(MAX_NEIGHBOURS, neighbours) if adaptive else neighbours, count - 1) + 1
        distances, indexes = NearestNeighbors(n_neighbors=searched, metric="cosine", algorithm="brute").fit(vectors).kneighbors(vectors)
        resolution, communities, tried = 1.0, [set(range(count))], {neighbours}
        for _ in range(MAX_NEIGHBOUR_ROUNDS if adaptive else 1):
            graph = _neighbour_graph(distances[:, : neighbours + 1], indexes[:, : neighbours + 1], min_edge)
            if graph.number_of_edges() == 0:
                return np.arange(count)
            resolution, communities = self._louvain(graph, resolution_per_group)
            grouped = [len(members) for members in communities if len(members) >= 2]
            if not adaptive or not grouped:
                break
            mean_size = sum(grouped) / len(grouped)
            following = int(min(max(3, round(ratio * mean_size)), ceiling, searched - 1))
            if following in tried:  # settled, or swinging between two counts
                break
            tried.add(following)
            neighbours = following
        self.resolution_, self.neighbours_ = resolution, neighbours
        labels = np.empty(count, dtype=np.int64)
        for number, members in enumerate(sorted(communities, key=min)):
            labels[list(members)] = number
        return labels

    def _louvain(self, graph: nx.Graph, resolution_per_group: float) -> tuple[float, list[set[int]]]:
        """Louvain from plain modularity up to the resolution that is ``resolution_per_group`` x the groups it finds."""
        resolution = 1.0
        communities: list[set[int]] = []
        for _ in self._steps(MAX_RESOLUTION_ROUNDS, "grouping"):
            communities = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=self.random_state)
            found = sum(1 for members in communities if len(members) >= 2)
            following = max(1.0, resolution_per_group * found)  # never below plain modularity
            if abs(following - resolution) <= RESOLUTION_TOLERANCE * resolution:
                break
            resolution = following
        return resolution, communities

    def _refine(self, vectors: Any, labels: np.ndarray) -> np.ndarray:
        """Move each question to its closest group centre until nothing moves (k-means from Louvain's groups).

        A question Louvain left alone stays out (noise): nothing in the graph was like it.
        """
        sizes = np.bincount(labels)
        grouped = sizes[labels] >= 2
        groups = np.flatnonzero(sizes >= 2)
        labels = np.where(grouped, labels, NOISE)
        if not len(groups):
            return labels
        rows = np.flatnonzero(grouped)
        for _ in range(REFINE_ROUNDS):
            centres = _stack([_centre(vectors[labels == group]) for group in groups])
            moved = labels.copy()
            moved[rows] = groups[_dense(vectors[rows] @ centres.T).argmax(axis=1)]
            if np.array_equal(moved, labels):
                break
            labels = moved
            groups = np.unique(labels[rows])
        return labels

    def _finish(
        self, labels: np.ndarray, usable: np.ndarray, vectors: Any, lexical: sparse.csr_matrix, counts: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, Any, sparse.csr_matrix]:
        """Drop far members and small groups, number groups by volume, compute their centres."""
        similarities = np.zeros(len(labels), dtype=np.float32)
        row_of = {int(unique): row for row, unique in enumerate(usable)}
        members_by_label: dict[int, list[int]] = {}
        for unique in usable:
            if labels[unique] != NOISE:
                members_by_label.setdefault(int(labels[unique]), []).append(int(unique))
        kept: list[tuple[int, int, list[int]]] = []
        for members in members_by_label.values():
            rows = [row_of[member] for member in members]
            centre = _centre(vectors[rows])
            member_similarities = _dense(vectors[rows] @ centre.T).ravel()
            close = [member for member, similarity in zip(members, member_similarities, strict=True) if similarity >= self.min_similarity]
            similarities[members] = member_similarities
            volume = int(counts[close].sum()) if close else 0
            if len(close) >= 2 and volume >= self.min_group_size:
                kept.append((-volume, min(close), close))
        kept.sort()
        final = np.full(len(labels), NOISE, dtype=np.int64)
        centres, lexical_centres = [], []
        for number, (_, _, members) in enumerate(kept):
            final[members] = number
            rows = [row_of[member] for member in members]
            centres.append(_centre(vectors[rows]))
            lexical_centres.append(_centre(lexical[rows]))
        if not centres:
            empty = sparse.csr_matrix((0, vectors.shape[1]), dtype=np.float32)
            return final, similarities, empty, empty
        centroids = _stack(centres)
        # Similarity to the final centre (the one new questions are assigned by).
        for number, (_, _, members) in enumerate(kept):
            rows = [row_of[member] for member in members]
            similarities[members] = _dense(vectors[rows] @ centroids[number].T).ravel()
        return final, similarities, centroids, sparse.vstack(lexical_centres).tocsr()

    def _keywords(self, lexical_centroids: sparse.csr_matrix, per_group: int = 4) -> list[tuple[str, ...]]:
        """The heaviest single words of each group's centre (stop words and masks left out)."""
        names = self.vectorizer_.word_names()
        word_count = self.vectorizer_.word_count()
        keywords: list[tuple[str, ...]] = []
        for number in range(lexical_centroids.shape[0]):
            row = lexical_centroids[number, :word_count].toarray().ravel()
            chosen: list[str] = []
            for index in np.argsort(-row, kind="stable"):
                if row[index] <= 0 or len(chosen) == per_group:
                    break
                word = str(names[index])
                if " " in word or word in ENGLISH_STOP_WORDS or word in _MASK_WORDS or len(word) < 3 or word.isdigit():
                    continue
                chosen.append(word)
            keywords.append(tuple(chosen))
        return keywords


def _neighbour_graph(distances: np.ndarray, indexes: np.ndarray, min_edge: float) -> nx.Graph:
    """Each question linked to its nearest neighbours (rows of ``indexes``) at least ``min_edge`` alike."""
    count, width = indexes.shape
    sources = np.repeat(np.arange(count), width)
    targets = indexes.ravel()
    weights = 1.0 - distances.ravel()
    keep = (sources != targets) & (weights > max(min_edge, 0.0))
    graph = nx.Graph()
    graph.add_nodes_from(range(count))
    graph.add_weighted_edges_from(sorted(zip(sources[keep].tolist(), targets[keep].tolist(), np.round(weights[keep], 6).tolist(), strict=True)))
    return graph


def _centre(vectors: Any) -> Any:
    """The unit-length mean of some rows (a 1 x d row, sparse when they are)."""
    mean = vectors.mean(axis=0)
    if sparse.issparse(vectors):
        return sparse.csr_matrix(normalize(np.asarray(mean)), dtype=np.float32)
    return normalize(np.asarray(mean).reshape(1, -1)).astype(np.float32)


def _stack(rows: list[Any]) -> Any:
    return sparse.vstack(rows).tocsr() if sparse.issparse(rows[0]) else np.vstack(rows)


def _dense(matrix: Any) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)
