"""How well ``kbgen mine`` groups paraphrases and decides coverage, against baselines in the same run.

Grouping (CLINC150, ../shared/data/clinc150): settings are chosen on ``val`` only (slices of 10,
30 and 150 intents, so that small logs count too), then kbgen's grouping is scored on ``test``
(4,500 questions, and again with the 1,000 out-of-scope ``oos_test`` questions added) without
being told the number of groups. NMI, ARI and ACC (Hungarian matching) x100; questions left as
noise count as singletons. Baseline: TF-IDF + K-means given the true K (random_state 0).

Coverage: the demo help center's articles are split (half of each article's question variants
become a group of "customer questions", the rest stay in the article); CLINC150 intents (5
questions each, a different product) are groups that no article covers. The coverage threshold
is the similarity with the best F1 for "covered by the right article".

Run: /work/venv/bin/python bench/mine_quality.py [--quick]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from kbgen.index import open_index
from kbgen.load import load_corpus
from kbgen.mine.group import QuestionGrouper
from kbgen.mine.match import COVERAGE_THRESHOLD, ArticleMatcher
from kbgen.mine.records import QuestionGroup

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "clinc150" / "data_full.json.gz"
CONTENT = ROOT / "content"


def load_clinc() -> dict[str, list[list[str]]]:
    with gzip.open(DATA, "rt", encoding="utf-8") as stream:
        return json.load(stream)


def as_singletons(labels: np.ndarray) -> np.ndarray:
    """Noise (-1) becomes one group per question, as the intent-discovery protocol counts it."""
    labels = np.asarray(labels).copy()
    next_label = labels.max() + 1 if len(labels) else 0
    for index in np.flatnonzero(labels < 0):
        labels[index] = next_label
        next_label += 1
    return labels


def hungarian_accuracy(truth: list[str], predicted: np.ndarray) -> float:
    _, truth_index = np.unique(truth, return_inverse=True)
    _, predicted_index = np.unique(predicted, return_inverse=True)
    counts = np.zeros((predicted_index.max() + 1, truth_index.max() + 1))
    np.add.at(counts, (predicted_index, truth_index), 1)
    rows, columns = linear_sum_assignment(-counts)
    return counts[rows, columns].sum() / len(truth)


def scores(truth: list[str], labels: np.ndarray) -> dict[str, float]:
    predicted = as_singletons(labels)
    return {
        "NMI": 100 * normalized_mutual_info_score(truth, predicted),
        "ARI": 100 * adjusted_rand_score(truth, predicted),
        "ACC": 100 * hungarian_accuracy(truth, predicted),
        "groups": float(len(set(int(label) for label in labels if label >= 0))),
        "noise": float(int((np.asarray(labels) < 0).sum())),
    }


def kmeans_baseline(texts: list[str], k: int) -> np.ndarray:
    vectors = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    return KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(vectors)


def val_slices(rows: list[list[str]]) -> list[tuple[str, list[str], list[str]]]:
    """Slices of val with few and many intents, small and large groups (seeded)."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, intent in rows:
        by_intent[intent].append(text)
    intents = sorted(by_intent)
    chooser = random.Random(0)
    slices = []
    for count, per_intent in ((10, 5), (30, 10), (150, 20)):
        chosen = sorted(chooser.sample(intents, count))
        texts = [text for intent in chosen for text in by_intent[intent][:per_intent]]
        truth = [intent for intent in chosen for _ in by_intent[intent][:per_intent]]
        slices.append((f"{count}x{per_intent}", texts, truth))
    return slices


def choose_settings(data: dict, quick: bool) -> dict[str, float]:
    print("== Grouping settings, chosen on CLINC150 val only ==")
    slices = val_slices(data["val"])
    grid = [(resolution, edge) for resolution in (6.0, 9.0, 12.0) for edge in (0.1, 0.2, 0.3)]
    if quick:
        grid = [(9.0, 0.2), (12.0, 0.2)]
    best, best_value = None, -1.0
    print(f"{'resolution':>10} {'edge':>5}  " + "  ".join(f"{name:>16}" for name, _, _ in slices) + "   mean (NMI+ARI)/2")
    for resolution, edge in grid:
        values = []
        cells = []
        for _, texts, truth in slices:
            labels = QuestionGrouper(resolution=resolution, min_edge_similarity=edge, min_group_size=2).fit_predict(texts)
            result = scores(truth, labels)
            values.append((result["NMI"] + result["ARI"]) / 2)
            cells.append(f"NMI {result['NMI']:4.1f} ARI {result['ARI']:4.1f}")
        mean = float(np.mean(values))
        print(f"{resolution:>10} {edge:>5}  " + "  ".join(f"{cell:>16}" for cell in cells) + f"   {mean:5.1f}")
        if mean > best_value:
            best, best_value = (resolution, edge), mean
    assert best is not None
    defaults = QuestionGrouper()
    print(f"chosen on val: resolution={best[0]}, min_edge_similarity={best[1]} (kbgen's defaults: {defaults.resolution}, {defaults.min_edge_similarity})")
    return {"resolution": best[0], "min_edge_similarity": best[1]}


def report_test(data: dict, settings: dict[str, float]) -> None:
    print("\n== Grouping on CLINC150 test (not seen while choosing) ==")
    header = f"{'run':<44} {'NMI':>5} {'ARI':>5} {'ACC':>5} {'groups':>7} {'noise':>6} {'seconds':>8}"
    for name, rows, true_k in (("test (4,500, 150 intents)", data["test"], 150), ("test + oos_test (5,500)", data["test"] + data["oos_test"], 151)):
        texts = [text for text, _ in rows]
        truth = [intent for _, intent in rows]
        print(f"\n{name}\n{header}")
        started = time.perf_counter()
        ours = scores(truth, QuestionGrouper(min_group_size=2, **settings).fit_predict(texts))
        ours_seconds = time.perf_counter() - started
        started = time.perf_counter()
        baseline = scores(truth, kmeans_baseline(texts, true_k))
        baseline_seconds = time.perf_counter() - started
        for label, result, seconds in (
            ("kbgen (k-NN graph + Louvain, K not given)", ours, ours_seconds),
            (f"baseline TF-IDF + K-means (true K={true_k})", baseline, baseline_seconds),
        ):
            print(
                f"{label:<44} {result['NMI']:5.1f} {result['ARI']:5.1f} {result['ACC']:5.1f} {int(result['groups']):>7} {int(result['noise']):>6} {seconds:8.1f}"
            )
        ratios = "  ".join(f"{metric} {ours[metric] / baseline[metric]:.2f}x" for metric in ("NMI", "ARI", "ACC"))
        print(f"{'ratio kbgen / baseline':<44} {ratios}")


def coverage_cases(data: dict) -> tuple[object, list[tuple[QuestionGroup, str]]]:
    """(corpus with half of each article's variants, groups with the article that should cover them or "")."""
    corpus, _ = load_corpus(CONTENT)
    groups: list[tuple[QuestionGroup, str]] = []
    trimmed = []
    for article in corpus.articles:
        questions = list(article.questions)
        if article.is_draft or len(questions) < 2:
            trimmed.append(article)
            continue
        held_out, kept = questions[::2], questions[1::2]
        trimmed.append(replace(article, questions=tuple(kept)))
        groups.append((QuestionGroup(len(groups), held_out[0], tuple(held_out[1:]), asked=len(held_out)), article.path))
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, intent in data["test"]:
        by_intent[intent].append(text)
    for intent in sorted(by_intent):
        texts = by_intent[intent][:5]
        groups.append((QuestionGroup(len(groups), texts[0], tuple(texts[1:]), asked=5), ""))
    return replace(corpus, articles=tuple(trimmed)), groups


def report_coverage(data: dict) -> None:
    print("\n== Coverage threshold (demo help center, held-out question variants vs CLINC150 intents) ==")
    corpus, cases = coverage_cases(data)
    matcher = ArticleMatcher(corpus, open_index(corpus), threshold=2.0)  # each threshold is applied below
    matched = matcher.match([group for group, _ in cases])
    positives = sum(1 for _, expected in cases if expected)
    print(f"{positives} groups an article should cover, {len(cases) - positives} it should not")
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6}")
    best, best_f1 = 0.0, -1.0
    for threshold in np.arange(0.25, 0.80, 0.05):
        true_positive = false_positive = 0
        for group, (_, expected) in zip(matched, cases, strict=True):
            if group.match is None or group.match.similarity < threshold:
                continue
            if expected and group.match.path == expected:
                true_positive += 1
            else:
                false_positive += 1
        precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 1.0
        recall = true_positive / positives
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{threshold:9.2f} {precision:9.2f} {recall:7.2f} {f1:6.2f}")
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(threshold), f1
    print(f"best F1 {best_f1:.2f} at similarity {best:.2f}; kbgen's COVERAGE_THRESHOLD = {COVERAGE_THRESHOLD}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller settings grid")
    arguments = parser.parse_args()
    data = load_clinc()
    settings = choose_settings(data, arguments.quick)
    report_test(data, settings)
    report_coverage(data)


if __name__ == "__main__":
    main()
