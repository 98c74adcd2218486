"""Hodges-Lehmann by selection over the Walsh averages (fac_eval.analysis.stats.walsh).

The reference is always the full materialisation: every (d_i + d_j) / 2,
i <= j, built with numpy.triu_indices and sorted with numpy.sort.  Equality
is exact (==), not approximate: the selection must return the very floating-
point values the sort holds at those ranks.
"""

from __future__ import annotations

import numpy as np
import pytest

from fac_eval.analysis import stats as S
from fac_eval.analysis.stats import walsh as W


def sorted_walsh(d) -> np.ndarray:
    d = np.asarray(d, dtype=float)
    i, j = np.triu_indices(d.size)
    return np.sort((d[i] + d[j]) / 2.0)


def draw(rng: np.random.Generator, n: int, kind: int) -> np.ndarray:
    """Continuous, tied, zero-heavy, duplicated and badly-rounded differences."""
    if kind == 0:
        return rng.normal(size=n)
    if kind == 1:  # Likert-like differences: many ties and zeros
        return rng.integers(-3, 4, size=n).astype(float)
    if kind == 2:  # decimal scores: rounding noise in the sums
        return np.round(rng.normal(size=n), 1) * 0.1 + 0.3
    if kind == 3:  # every difference zero
        return np.zeros(n)
    if kind == 4:  # a few distinct values, heavily duplicated, odd spacing
        return rng.choice(np.array([-1e-9, 0.0, 1 / 3, 2 / 3, 7.25]), size=n)
    if kind == 5:  # wide dynamic range
        return rng.normal(size=n) * 10.0 ** rng.integers(-8, 9, size=n)
    return np.repeat(rng.normal(size=max(1, n // 3)), 3)[:n]  # exact duplicates


def check_hl_against_sort(d, confidence=0.95):
    res = S.hodges_lehmann(d, confidence=confidence)
    w = sorted_walsh(d)
    n_walsh = w.size
    assert res.n == len(d)
    assert res.estimate == float(np.median(w))
    assert 1 <= res.k <= (n_walsh + 1) // 2
    assert res.ci_low == w[res.k - 1]
    assert res.ci_high == w[n_walsh - res.k]
    return res


@pytest.mark.parametrize("kind", range(7))
def test_hodges_lehmann_equals_full_sort_for_every_n_up_to_300(kind):
    rng = np.random.default_rng(1000 + kind)
    for n in list(range(1, 41)) + sorted(set(rng.integers(41, 301, size=12).tolist()) | {299, 300}):
        check_hl_against_sort(draw(rng, n, kind), confidence=(0.95, 0.9, 0.99)[n % 3])


def test_hodges_lehmann_published_example_r_wilcox_test():
    # R's ?wilcox.test (Hollander & Wolfe depression data): (pseudo)median 0.46, 95 % CI 0.010 0.786
    x = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
    y = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])
    res = check_hl_against_sort(x - y)
    assert res.estimate == pytest.approx(0.46, abs=1e-12)
    assert (res.ci_low, res.ci_high) == (pytest.approx(0.010, abs=1e-12), pytest.approx(0.786, abs=1e-12))
    assert res.k == 6  # qsignrank(0.025, 9) = 6


def test_hodges_lehmann_hand_computed_small_cases():
    # n = 2: Walsh averages 1, 2, 3 -> median 2; n = 1: the value itself
    assert S.hodges_lehmann([1.0, 3.0]).estimate == 2.0
    assert S.hodges_lehmann([-4.0]).estimate == -4.0
    # n = 4 (even N = 10): averages of 0, 0, 1, 5 -> 0 0 0 .5 .5 1 2.5 2.5 3 5, median (.5 + 1) / 2
    res = S.hodges_lehmann([0.0, 5.0, 1.0, 0.0])
    assert res.estimate == 0.75 and (res.ci_low, res.ci_high) == (0.0, 5.0)


@pytest.mark.parametrize("kind", range(7))
def test_selection_rounds_equal_full_sort_at_every_rank(kind, monkeypatch):
    # force the pivot rounds (no early materialisation, tiny samples) on small inputs
    monkeypatch.setattr(W, "_MATERIALISE_PER_ROW", 0)
    monkeypatch.setattr(W, "_MATERIALISE_MIN", 4)
    monkeypatch.setattr(W, "_SAMPLE_SIZE", 8)
    rng = np.random.default_rng(2000 + kind)
    for n in (1, 2, 3, 7, 8, 20, 33, 64, 121):
        d = np.sort(draw(rng, n, kind))
        w = sorted_walsh(d)
        for rank in sorted({1, 2, w.size, w.size - 1, (w.size + 1) // 2, *rng.integers(1, w.size + 1, size=10)}):
            if 1 <= rank <= w.size:
                assert W.walsh_order_statistic(d, int(rank)) == w[rank - 1], (n, kind, rank)
        check_hl_against_sort(d)


@pytest.mark.parametrize("kind", [0, 1, 2, 5])
def test_selection_equals_full_sort_beyond_the_materialisation_threshold(kind):
    # n = 1,500: N = 1,125,750 Walsh averages, far above the 65,536 materialised at once
    rng = np.random.default_rng(3000 + kind)
    d = np.sort(draw(rng, 1500, kind))
    w = sorted_walsh(d)
    for rank in (1, 17, 281_000, w.size // 2, w.size // 2 + 1, 844_000, w.size):
        assert W.walsh_order_statistic(d, rank) == w[rank - 1]
    check_hl_against_sort(d)


def test_order_statistic_rejects_out_of_range_rank():
    with pytest.raises(ValueError, match="rank must lie in 1..3"):
        W.walsh_order_statistic(np.array([1.0, 2.0]), 4)
    with pytest.raises(ValueError, match="rank must lie"):
        W.walsh_order_statistics(np.array([1.0, 2.0]), [0])


def exact_untied_counts(n: int) -> list[int]:
    """Number of subsets of {1..n} with each sum (Python integers, no rounding)."""
    c = [1] + [0] * (n * (n + 1) // 2)
    for r in range(1, n + 1):
        for s in range(len(c) - 1, r - 1, -1):
            c[s] += c[s - r]
    return c


@pytest.mark.parametrize("n", [9, 62, 63, 64, 97, 160])
def test_interval_ranks_from_the_exact_untied_distribution(n):
    counts = exact_untied_counts(n)
    total = 2**n
    cum, acc = [], 0
    for c in counts:
        acc += c
        cum.append(acc)
    d = np.random.default_rng(n).normal(size=n)
    for confidence in (0.95, 0.9, 0.99):
        alpha = 1 - confidence
        # R's qsignrank: smallest q with P(V <= q) >= alpha / 2
        q = next(q for q, c in enumerate(cum) if c / total >= alpha / 2 * (1 - 1e-12))
        k = max(q, 1)
        res = S.hodges_lehmann(d, confidence=confidence)
        assert res.k == k and "exact" in res.method
        assert res.achieved_confidence == pytest.approx(1 - 2 * cum[k - 1] / total, rel=1e-12)
