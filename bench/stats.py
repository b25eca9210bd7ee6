"""How far a benchmark figure measured on a sample of queries can be trusted: bootstrap intervals.

A figure such as MAP over SemEval-2016's 50 dev queries is a mean over a sample; another sample
of the same kind of queries would give another mean. ``mean_interval`` is the percentile bootstrap
interval of that mean (Efron & Tibshirani, 1993), and ``paired_difference`` compares two rankings
measured on the same queries the way IR evaluation does (Sakai, 2006): the queries are resampled
together, so a difference shows through even when every query varies a lot. Resampling is seeded:
the same input prints the same interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ROUNDS = 10_000
CONFIDENCE = 0.95
SEED = 0


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.mean:.2f} [{self.low:.2f}, {self.high:.2f}]"


@dataclass(frozen=True)
class Difference(Interval):
    """Mean of (value - baseline) per query, its interval, and the share of resamples where it is above 0."""

    above: float

    def __str__(self) -> str:
        return f"{self.mean:+.2f} [{self.low:+.2f}, {self.high:+.2f}]"


def _resampled_means(values: np.ndarray, weights: np.ndarray, rounds: int, seed: int) -> np.ndarray:
    picks = np.random.default_rng(seed).integers(0, len(values), size=(rounds, len(values)))
    totals = weights[picks].sum(axis=1)
    return np.divide(values[picks].sum(axis=1), totals, out=np.zeros(rounds), where=totals > 0)


def _weights(values: np.ndarray, weights: Sequence[float] | None) -> np.ndarray:
    if weights is None:
        return np.ones_like(values)
    array = np.asarray(weights, dtype=np.float64)
    if array.shape != values.shape:
        raise ValueError(f"one weight per value is needed (got {len(array)} for {len(values)})")
    return array


def _bounds(means: np.ndarray, confidence: float) -> tuple[float, float]:
    tail = (1.0 - confidence) / 2
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return float(low), float(high)


def mean_interval(
    values: Sequence[float], weights: Sequence[float] | None = None, *, rounds: int = ROUNDS, confidence: float = CONFIDENCE, seed: int = SEED
) -> Interval:
    """The mean of ``values`` and its percentile bootstrap interval over the queries.

    With ``weights``, the figure is sum(values) / sum(weights) (e.g. linked pairs found / linked pairs,
    one value and weight per query page), and whole queries are resampled.
    """
    array = np.asarray(values, dtype=np.float64)
    if not len(array):
        raise ValueError("no values to take the mean of")
    weight = _weights(array, weights)
    return Interval(float(array.sum() / weight.sum()), *_bounds(_resampled_means(array, weight, rounds, seed), confidence))


def paired_difference(
    values: Sequence[float],
    baseline: Sequence[float],
    weights: Sequence[float] | None = None,
    *,
    rounds: int = ROUNDS,
    confidence: float = CONFIDENCE,
    seed: int = SEED,
) -> Difference:
    """How much ``values`` beat ``baseline`` on the same queries (one value of each per query), with its interval."""
    array, base = np.asarray(values, dtype=np.float64), np.asarray(baseline, dtype=np.float64)
    if array.shape != base.shape or not len(array):
        raise ValueError(f"paired values need one value of each per query (got {len(array)} and {len(base)})")
    weight = _weights(array, weights)
    means = _resampled_means(array - base, weight, rounds, seed)
    return Difference(float((array - base).sum() / weight.sum()), *_bounds(means, confidence), above=float((means > 0).mean()))
