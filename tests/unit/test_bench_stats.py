"""Bootstrap intervals the quality benchmarks print beside each figure (bench/stats.py)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.stats import mean_interval, paired_difference  # noqa: E402


def test_interval_holds_the_mean_and_narrows_with_more_queries():
    rng = random.Random(0)
    few = [100.0 * (rng.random() < 0.7) for _ in range(50)]
    many = [100.0 * (rng.random() < 0.7) for _ in range(2000)]
    small, large = mean_interval(few), mean_interval(many)
    assert small.low < small.mean < small.high and large.low < large.mean < large.high
    assert small.mean == pytest.approx(np.mean(few))
    assert (large.high - large.low) < (small.high - small.low) / 4  # ~ 1 / sqrt(n): 6.3 x narrower here
    assert 65 < large.low < 70 < large.high < 75


def test_same_input_gives_the_same_interval():
    values = [float(value) for value in range(40)]
    assert mean_interval(values) == mean_interval(values)
    assert mean_interval(values, seed=1) != mean_interval(values)


def test_a_small_difference_on_every_query_shows_when_paired():
    # Queries vary a lot (0..100) but the second ranking is 1 point better on each: the separate
    # intervals overlap almost entirely, the paired one is all above zero.
    rng = random.Random(1)
    baseline = [rng.uniform(0, 99) for _ in range(50)]
    better = [value + 1 for value in baseline]
    first, second = mean_interval(baseline), mean_interval(better)
    assert second.low < first.high
    difference = paired_difference(better, baseline)
    assert difference.mean == pytest.approx(1.0) and difference.low == pytest.approx(1.0) and difference.above == 1.0


def test_no_real_difference_straddles_zero():
    rng = random.Random(2)
    first = [rng.uniform(0, 100) for _ in range(200)]
    second = [rng.uniform(0, 100) for _ in range(200)]
    difference = paired_difference(first, second)
    assert difference.low < 0 < difference.high and 0.05 < difference.above < 0.95


def test_weights_give_a_ratio_of_sums():
    # recall@k: linked threads found per query page over linked threads per page, not a mean of ratios.
    found, linked = [100.0, 0.0, 300.0], [1.0, 1.0, 6.0]
    assert mean_interval(found, linked).mean == pytest.approx(400 / 8)
    assert paired_difference(found, [0.0, 0.0, 100.0], linked).mean == pytest.approx(300 / 8)


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="one value of each"):
        paired_difference([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="one weight per value"):
        mean_interval([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="no values"):
        mean_interval([])
