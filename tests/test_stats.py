"""Tests for fac_eval.analysis.stats.

Every expected value comes from an independent computation: brute-force
enumeration of the 2**n sign flips (ranks from scipy.stats.rankdata),
scipy.stats.permutation_test, scipy.stats.binomtest, an exact integer
(arbitrary precision) subset-sum count, statsmodels, hand computations and
R's documented wilcox.test example.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as ss
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from fac_eval.analysis import stats as S

# ---------------------------------------------------------------------------
# Independent reference implementations
# ---------------------------------------------------------------------------


def _ranks_for(d, zero_method):
    """Ranks (scipy.stats.rankdata, average ties) of the non-zero |d| and their signs."""
    d = np.asarray(d, dtype=float)
    nz = d != 0
    if zero_method == "pratt":
        ranks = ss.rankdata(np.abs(d))[nz]
    else:
        ranks = ss.rankdata(np.abs(d[nz])) if nz.any() else np.zeros(0)
    return ranks, d[nz] > 0


def enumerate_signed_rank(d, zero_method="pratt"):
    """(observed R+, p_greater, p_less, p_two_sided) by enumerating all sign flips."""
    ranks, positive = _ranks_for(d, zero_method)
    observed = float(ranks[positive].sum())
    n = ranks.size
    if n == 0:
        return 0.0, 1.0, 1.0, 1.0
    stats_ = np.array(
        [sum(r for r, s in zip(ranks, signs) if s) for signs in itertools.product((False, True), repeat=n)]
    )
    eps = 1e-9
    p_greater = float(np.mean(stats_ >= observed - eps))
    p_less = float(np.mean(stats_ <= observed + eps))
    return observed, p_greater, p_less, min(1.0, 2 * min(p_greater, p_less))


def exact_counts(doubled_ranks):
    """Exact integer counts of subsets per sum of doubled ranks (Python ints)."""
    total = int(sum(doubled_ranks))
    counts = np.zeros(total + 1, dtype=object)
    counts[:] = 0
    counts[0] = 1
    for r in doubled_ranks:
        r = int(r)
        shifted = counts[:-r].copy()
        counts[r:] = counts[r:] + shifted
    return counts


def exact_lower_tail(doubled_ranks, x):
    counts = exact_counts(doubled_ranks)
    return Fraction(int(sum(counts[: x + 1])), 2 ** len(doubled_ranks))


# ---------------------------------------------------------------------------
# Signed-rank test
# ---------------------------------------------------------------------------

R_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
R_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


def test_r_wilcox_test_documentation_example():
    # R: wilcox.test(x, y, paired = TRUE, conf.int = TRUE)
    # V = 40, p-value = 0.03906, 95 % CI 0.0100 0.7860, (pseudo)median 0.46
    d = np.array(R_X) - np.array(R_Y)
    res = S.signed_rank_test(d)
    assert res.statistic == 40.0
    assert res.pvalue == 0.0390625  # = 20/512, exact integer counts
    assert res.n == 9 and res.n_zero == 0 and res.n_missing == 0
    assert res.exact
    hl = S.hodges_lehmann(d)
    assert hl.estimate == pytest.approx(0.46, abs=1e-9)
    assert hl.ci_low == pytest.approx(0.010, abs=1e-9)
    assert hl.ci_high == pytest.approx(0.786, abs=1e-9)
    assert hl.achieved_confidence == pytest.approx(1 - 2 * 10 / 512, abs=1e-12)
    assert hl.confidence == 0.95


CASES = [
    [1, 2, 2, -3, 0, 4, 4, 4, -1, 0],  # ties and zeros
    [0.5, -0.5, 1.5, 1.5, 2.0, -2.0, 0.0],
    [3, 3, 3, 3, -3, 0, 0, 1],
    [-1, -2, -2, -5, 0, 1],
    [1, 1, 1, 1, 1, 1, 1],  # all tied
    [2.5, -1.0, 7.0, 3.0, 3.0, -0.5, 4.0, 6.0, 1.0, 0.0, 0.0, 2.0],
]


@pytest.mark.parametrize("d", CASES)
@pytest.mark.parametrize("zero_method", ["pratt", "wilcox"])
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_signed_rank_equals_full_enumeration(d, zero_method, alternative):
    observed, p_g, p_l, p_2 = enumerate_signed_rank(d, zero_method)
    res = S.signed_rank_test(d, zero_method=zero_method, alternative=alternative)
    expected = {"greater": p_g, "less": p_l, "two-sided": p_2}[alternative]
    assert res.statistic == pytest.approx(observed, abs=1e-12)
    assert res.pvalue == pytest.approx(expected, rel=1e-10, abs=1e-15)
    assert res.n_zero == sum(1 for v in d if v == 0)
    assert res.alternative == alternative and res.zero_method == zero_method


@settings(max_examples=150, deadline=None)
@given(
    d=st.lists(st.integers(min_value=-4, max_value=4), min_size=1, max_size=12),
    zero_method=st.sampled_from(["pratt", "wilcox"]),
    alternative=st.sampled_from(["two-sided", "greater", "less"]),
)
def test_property_dp_equals_enumeration(d, zero_method, alternative):
    observed, p_g, p_l, p_2 = enumerate_signed_rank(d, zero_method)
    res = S.signed_rank_test(d, zero_method=zero_method, alternative=alternative)
    expected = {"greater": p_g, "less": p_l, "two-sided": p_2}[alternative]
    assert res.statistic == pytest.approx(observed, abs=1e-12)
    assert res.pvalue == pytest.approx(expected, rel=1e-10, abs=1e-15)
    assert 0.0 <= res.pvalue <= 1.0


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_signed_rank_against_scipy_permutation_test(alternative):
    pre = np.array([10, 12, 9, 14, 11, 10, 13, 8, 12, 11], dtype=float)
    post = np.array([12, 12, 11, 15, 10, 13, 13, 11, 14, 12], dtype=float)  # ties and zeros

    def r_plus(x, y):
        d = x - y
        nz = d != 0
        ranks = ss.rankdata(np.abs(d))[nz]  # Pratt
        return ranks[d[nz] > 0].sum()

    perm = ss.permutation_test(
        (post, pre), r_plus, permutation_type="samples", alternative=alternative, n_resamples=np.inf
    )
    res = S.signed_rank_test(post - pre, zero_method="pratt", alternative=alternative)
    assert res.statistic == pytest.approx(perm.statistic)
    assert res.pvalue == pytest.approx(perm.pvalue, rel=1e-9)


def test_untied_matches_scipy_wilcoxon_exact():
    d = np.array([1.5, -0.2, 3.1, 2.2, -1.1, 0.7, 4.4, 2.9])
    for alternative in ("two-sided", "greater", "less"):
        ref = ss.wilcoxon(d, alternative=alternative, method="exact")
        assert S.signed_rank_test(d, alternative=alternative).pvalue == pytest.approx(ref.pvalue, rel=1e-12)


def test_exact_engines_against_arbitrary_precision_counts():
    # n = 60 with ties and zeros: exact integer counts (Python ints) as reference,
    # including far tails (p ~ 1e-18) where relative precision matters.
    rng = np.random.default_rng(12345)
    d = rng.integers(-3, 4, size=60).astype(float)
    d[:5] = [0, 0, 1, 1, 2]
    ranks = ss.rankdata(np.abs(d))[d != 0]
    doubled = (2 * ranks).astype(int)
    null = S._make_null(doubled)
    counts = exact_counts(doubled)
    total2 = int(doubled.sum())
    cum = np.cumsum(counts)
    denom = 2 ** len(doubled)
    g = null.gcd
    for x2 in sorted({0, g, 5 * g, total2 // 8, total2 // 3, total2 // 2 - 1, total2 // 2}):
        x2 -= x2 % g
        x = x2 // g
        ref = float(Fraction(int(cum[x2]), denom))
        assert S._lower_tail_dp(null, x) == pytest.approx(ref, rel=1e-11)
        if x > 0:
            assert S._lower_tail_fft(null, x) == pytest.approx(ref, rel=1e-9)


def test_float_dp_engine_against_arbitrary_precision_counts():
    # n = 90 > 62: the DP runs in rescaled floating point
    rng = np.random.default_rng(99)
    d = rng.integers(-4, 5, size=90).astype(float)
    ranks = ss.rankdata(np.abs(d))[d != 0]
    doubled = (2 * ranks).astype(int)
    null = S._make_null(doubled)
    assert null.n > S._INT_DP_MAX_N
    cum = np.cumsum(exact_counts(doubled))
    denom = 2 ** len(doubled)
    g = null.gcd
    for x2 in (g, int(doubled.sum()) // 5, int(doubled.sum()) // 2 - 3):
        x2 -= x2 % g
        assert S._lower_tail_dp(null, x2 // g) == pytest.approx(float(Fraction(int(cum[x2]), denom)), rel=1e-11)


def test_fft_engine_agrees_with_dp_at_moderate_n():
    rng = np.random.default_rng(7)
    d = rng.integers(-3, 4, size=400).astype(float)
    ranks = ss.rankdata(np.abs(d))[d != 0]
    null = S._make_null((2 * ranks).astype(int))
    for frac in (0.05, 0.3, 0.45, 0.5):
        x = int(null.total * frac)
        assert S._lower_tail_fft(null, x) == pytest.approx(S._lower_tail_dp(null, x), rel=1e-8)


def test_normal_approximation_matches_textbook_tie_correction():
    d = np.array([1, 2, 2, -3, 4, 4, 4, -1, 5, 6, -2, 7], dtype=float)
    res = S.signed_rank_test(d, zero_method="wilcox", alternative="greater", method="approx")
    ranks = ss.rankdata(np.abs(d))
    n = d.size
    _, tie_sizes = np.unique(np.abs(d), return_counts=True)
    var = n * (n + 1) * (2 * n + 1) / 24 - np.sum(tie_sizes**3 - tie_sizes) / 48
    r_plus = ranks[d > 0].sum()
    # continuity correction of half a lattice step: ties at .5 ranks give step 0.5
    z = (r_plus - 0.25 - n * (n + 1) / 4) / math.sqrt(var)
    assert not res.exact and "normal" in res.method
    assert res.pvalue == pytest.approx(ss.norm.sf(z), rel=1e-10)


def test_switch_to_normal_when_over_budget(monkeypatch):
    monkeypatch.setattr(S._null, "EXACT_COST_BUDGET", 10.0)  # the engines read it from there
    res = S.signed_rank_test([1, 2, 3, -4, 5, 6, 7, 8, -9, 10])
    assert not res.exact and res.method.startswith("normal approximation")
    res_exact = S.signed_rank_test([1, 2, 3, -4, 5, 6, 7, 8, -9, 10], method="exact")
    assert res_exact.exact


def test_large_tied_sample_is_exact_and_fast():
    rng = np.random.default_rng(2024)
    d = rng.integers(-3, 4, size=3000)
    res = S.signed_rank_test(d)
    approx = S.signed_rank_test(d, method="approx")
    assert res.exact
    assert res.pvalue == pytest.approx(approx.pvalue, abs=5e-3)


def test_signed_rank_degenerate_inputs():
    res = S.signed_rank_test([0, 0, 0, 0])
    assert (res.pvalue, res.statistic, res.n, res.n_zero, res.n_nonzero) == (1.0, 0.0, 4, 4, 0)
    one = S.signed_rank_test([2.0])
    assert one.pvalue == 1.0 and one.n == 1
    assert S.signed_rank_test([2.0], alternative="greater").pvalue == 0.5
    with pytest.raises(ValueError, match="empty"):
        S.signed_rank_test([])
    with pytest.raises(ValueError, match="no non-missing"):
        S.signed_rank_test([np.nan, None])
    with pytest.raises(ValueError, match="alternative"):
        S.signed_rank_test([1, 2], alternative="bigger")
    with pytest.raises(ValueError, match="zero_method"):
        S.signed_rank_test([1, 2], zero_method="zsplit")


@pytest.mark.parametrize(
    "data",
    [
        [1, None, 2, -3, 4, 5],
        np.array([1, np.nan, 2, -3, 4, 5]),
        pd.Series([1, pd.NA, 2, -3, 4, 5], dtype="Int64"),
        pd.Series([1.0, pd.NA, 2.0, -3.0, 4.0, 5.0], dtype="Float64"),
        pd.Series([1, pd.NA, 2, -3, 4, 5], dtype=object),
        [1, pd.NA, 2, -3, 4, 5],
    ],
)
def test_missing_values_dropped_and_counted(data):
    res = S.signed_rank_test(data)
    ref = S.signed_rank_test([1, 2, -3, 4, 5])
    assert res.n == 5 and res.n_missing == 1
    assert res.pvalue == ref.pvalue and res.statistic == ref.statistic


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="non-numeric"):
        S.signed_rank_test(["a", "b"])
    with pytest.raises(ValueError, match="infinite"):
        S.signed_rank_test([1.0, np.inf])
    with pytest.raises(ValueError, match="1-D"):
        S.signed_rank_test([[1, 2], [3, 4]])
    with pytest.raises(TypeError):
        S.signed_rank_test(3.0)


# ---------------------------------------------------------------------------
# Hodges-Lehmann, rank-biserial
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "d", [[0.3, -1.2, 2.5, 1.1, 0.8, 3.3, -0.4, 1.9], [1.0, 2.0, 4.0, 7.0, 11.0, -2.0, 5.5], [2.0, -1.0, 0.5]]
)
@pytest.mark.parametrize("confidence", [0.95, 0.90])
def test_hodges_lehmann_against_enumeration(d, confidence):
    n = len(d)
    walsh = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
    # untied signed-rank distribution by enumeration
    vs = sorted(sum(r for r, s in zip(range(1, n + 1), signs) if s) for signs in itertools.product((0, 1), repeat=n))
    cdf = lambda q: sum(v <= q for v in vs) / 2**n  # noqa: E731
    alpha = 1 - confidence
    q = next(q for q in range(n * (n + 1) // 2 + 1) if cdf(q) >= alpha / 2)
    k = max(q, 1)
    res = S.hodges_lehmann(d, confidence=confidence)
    assert res.estimate == pytest.approx(float(np.median(walsh)))
    assert res.ci_low == pytest.approx(walsh[k - 1])
    assert res.ci_high == pytest.approx(walsh[len(walsh) - k])
    assert res.achieved_confidence == pytest.approx(1 - 2 * cdf(k - 1))
    assert res.n == n


def test_hodges_lehmann_small_n_reports_unreachable_confidence():
    res = S.hodges_lehmann([1.0, 2.0, 3.0, 4.0, 5.0])
    assert (res.ci_low, res.ci_high) == (1.0, 5.0)
    assert res.achieved_confidence == pytest.approx(1 - 2 / 32)  # 0.9375 < 0.95
    single = S.hodges_lehmann([2.0, None])
    assert (single.estimate, single.ci_low, single.ci_high, single.n, single.n_missing) == (2.0, 2.0, 2.0, 1, 1)
    assert single.achieved_confidence == 0.0
    with pytest.raises(ValueError):
        S.hodges_lehmann([1.0, 2.0], confidence=1.5)


def test_rank_biserial_hand_computation():
    d = [1, 2, -3, 0]
    # Pratt: ranks of |d| = 0->1, 1->2, 2->3, 3->4; R+ = 5, R- = 4
    pratt = S.rank_biserial(d)
    assert (pratt.r_plus, pratt.r_minus) == (5.0, 4.0)
    assert pratt.estimate == pytest.approx(1 / 9)
    # Wilcox: ranks among non-zero: 1, 2, 3; R+ = 3, R- = 3
    assert S.rank_biserial(d, zero_method="wilcox").estimate == 0.0
    # Kerby: without zeros, (R+ - R-) / (n(n+1)/2)
    d2 = [4.0, 1.0, -2.0, 3.0, 5.0]
    ranks = ss.rankdata(np.abs(d2))
    rp, rm = ranks[np.array(d2) > 0].sum(), ranks[np.array(d2) < 0].sum()
    assert S.rank_biserial(d2).estimate == pytest.approx((rp - rm) / 15)
    assert S.rank_biserial([3, 1, 2]).estimate == 1.0
    zero = S.rank_biserial([0, 0])
    assert zero.estimate == 0.0 and zero.n_zero == 2


# ---------------------------------------------------------------------------
# Sign test, McNemar, proportions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("d", [[1, 2, 3, -1, 0, 4, 5, 0, 2], [-1, -2, -3, 0], [1, -1], [0, 0, 0], [3] * 9])
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_sign_test_against_binomtest(d, alternative):
    res = S.sign_test(d, alternative=alternative)
    pos, neg = sum(v > 0 for v in d), sum(v < 0 for v in d)
    expected = 1.0 if pos + neg == 0 else ss.binomtest(pos, pos + neg, 0.5, alternative=alternative).pvalue
    assert res.pvalue == pytest.approx(expected, rel=1e-12)
    assert (res.n_improved, res.n_worsened, res.n_unchanged, res.n) == (pos, neg, len(d) - pos - neg, len(d))


def test_mcnemar_against_binomtest_and_counts():
    before = [0, 0, 0, 0, 0, 1, 1, 0, 1, 0, None]
    after = [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1]
    res = S.mcnemar_exact(before, after)
    assert (res.n_gained, res.n_lost, res.n_yes_both, res.n_no_both) == (6, 1, 2, 1)
    assert res.n == 10 and res.n_missing == 1
    assert res.pvalue == pytest.approx(ss.binomtest(6, 7, 0.5).pvalue, rel=1e-12)


def test_mcnemar_accepts_booleans_and_nullable():
    before = pd.Series([False, False, True, pd.NA, False], dtype="boolean")
    after = pd.Series([True, True, True, True, False], dtype="boolean")
    res = S.mcnemar_exact(before, after)
    assert (res.n_gained, res.n_lost, res.n, res.n_missing) == (2, 0, 4, 1)
    assert res.pvalue == pytest.approx(ss.binomtest(2, 2, 0.5).pvalue)
    none = S.mcnemar_exact([1, 0], [1, 0])
    assert none.pvalue == 1.0
    with pytest.raises(ValueError, match="yes/no"):
        S.mcnemar_exact([0, 2], [1, 1])
    with pytest.raises(ValueError, match="same length"):
        S.mcnemar_exact([0, 1], [1])


def test_proportion_ci_clopper_pearson_7_of_8():
    res = S.proportion_ci(7, 8)
    assert res.ci_low == pytest.approx(0.4735, abs=5e-5)
    assert res.ci_high == pytest.approx(0.9968, abs=5e-5)
    assert res.estimate == 0.875 and (res.k, res.n) == (7, 8)


@pytest.mark.parametrize("k,n", [(0, 5), (5, 5), (3, 10), (1, 4), (12, 30)])
@pytest.mark.parametrize("method,sm_method", [("exact", "beta"), ("wilson", "wilson")])
def test_proportion_ci_against_statsmodels(k, n, method, sm_method):
    low, high = proportion_confint(k, n, alpha=0.05, method=sm_method)
    res = S.proportion_ci(k, n, method=method)
    assert res.ci_low == pytest.approx(low, abs=1e-10)
    assert res.ci_high == pytest.approx(high, abs=1e-10)
    if k == 0:
        assert res.ci_low == 0.0
    if k == n:
        assert res.ci_high == 1.0


def test_proportion_ci_errors():
    with pytest.raises(ValueError, match="n must be at least 1"):
        S.proportion_ci(0, 0)
    with pytest.raises(ValueError, match="between 0 and n"):
        S.proportion_ci(5, 4)
    with pytest.raises(ValueError, match="method"):
        S.proportion_ci(1, 4, method="wald")


# ---------------------------------------------------------------------------
# Reliable change
# ---------------------------------------------------------------------------


def test_reliable_change_hand_computation():
    # sd_pre = 10, r = 0.84: SE = 10 * 0.4 = 4, Sdiff = sqrt(2 * 16) = 5.656854...,
    # threshold = 1.96 * 5.656854 = 11.08743...
    pre = pd.Series([50, 50, 50, 50, np.nan, 40], index=list("abcdef"))
    post = pd.Series([62, 40, 55, 38.9, 60, 40], index=list("abcdef"))
    res = S.reliable_change(pre, post, sd_pre=10, reliability=0.84)
    assert res.se_measurement == pytest.approx(4.0)
    assert res.s_diff == pytest.approx(math.sqrt(32))
    assert res.threshold == pytest.approx(1.96 * math.sqrt(32))
    assert list(res.table.index) == ["a", "b", "c", "d", "f"]
    assert res.table["rci"].tolist() == pytest.approx([12 / math.sqrt(32), -10 / math.sqrt(32), 5 / math.sqrt(32),
                                                       -11.1 / math.sqrt(32), 0.0])  # fmt: skip
    assert res.table["category"].tolist() == ["improved", "unchanged", "unchanged", "deteriorated", "unchanged"]
    assert (res.n_improved, res.n_unchanged, res.n_deteriorated, res.n, res.n_missing) == (1, 3, 1, 5, 1)
    flipped = S.reliable_change(pre, post, sd_pre=10, reliability=0.84, higher_is_better=False)
    assert (flipped.n_improved, flipped.n_deteriorated) == (1, 1)
    assert flipped.table["category"].tolist()[:4] == ["deteriorated", "unchanged", "unchanged", "improved"]


def test_reliable_change_validation():
    with pytest.raises(ValueError, match="reliability"):
        S.reliable_change([1], [2], sd_pre=1, reliability=1.0)
    with pytest.raises(ValueError, match="reliability"):
        S.reliable_change([1], [2], sd_pre=1, reliability=-0.1)
    with pytest.raises(ValueError, match="sd_pre"):
        S.reliable_change([1], [2], sd_pre=0, reliability=0.8)
    with pytest.raises(ValueError, match="same length"):
        S.reliable_change([1, 2], [2], sd_pre=1, reliability=0.8)
    with pytest.raises(ValueError, match="no complete pair"):
        S.reliable_change([1, None], [None, 2], sd_pre=1, reliability=0.8)
    with pytest.raises(ValueError, match="different indexes"):
        S.reliable_change(pd.Series([1, 2], index=[0, 1]), pd.Series([1, 2], index=[1, 2]), 1, 0.8)


# ---------------------------------------------------------------------------
# Minimum attainable p, Holm
# ---------------------------------------------------------------------------


def test_min_attainable_p():
    assert S.min_attainable_p(5) == 0.0625
    assert S.min_attainable_p(6) == 0.03125
    assert S.min_attainable_p(5, alternative="greater") == 1 / 32
    assert S.min_attainable_p(0) == 1.0 and S.min_attainable_p(1) == 1.0
    # attained by the exact tests (all differences positive)
    for n in range(1, 9):
        assert S.signed_rank_test(list(range(1, n + 1))).pvalue == S.min_attainable_p(n)
        assert ss.binomtest(n, n, 0.5).pvalue == pytest.approx(S.min_attainable_p(n))


def test_holm_hand_example_with_nan():
    # sorted: 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> max so far 0.06
    out = S.holm([0.01, 0.04, np.nan, 0.03])
    assert out[0] == pytest.approx(0.03)
    assert out[1] == pytest.approx(0.06)
    assert np.isnan(out[2])
    assert out[3] == pytest.approx(0.06)
    assert S.holm([0.5, 0.9]).tolist() == [1.0, 1.0]
    assert np.isnan(S.holm([np.nan])).all()
    with pytest.raises(ValueError):
        S.holm([1.2])


def test_holm_against_statsmodels():
    p = np.array([0.001, 0.2, 0.04, 0.013, 0.5, 0.04, 0.9])
    assert S.holm(p) == pytest.approx(multipletests(p, method="holm")[1])


# ---------------------------------------------------------------------------
# paired_summary / table
# ---------------------------------------------------------------------------


def test_paired_summary_all_zero_changes():
    rec = S.paired_summary([3, 4, 5, 3, 4, 5, 2, 1], [3, 4, 5, 3, 4, 5, 2, 1], outcome="confidence")
    # no signed difference: no test can reach alpha (the indicator table's rule, not_testable)
    assert rec.p_value == 1.0 and rec.verdict == "not_testable" and not rec.testable
    assert rec.min_attainable_p == 1.0
    assert (rec.n_improved, rec.n_unchanged, rec.n_worsened) == (0, 8, 0)
    assert rec.hl_shift == 0.0 and rec.rank_biserial == 0.0 and rec.statistic == 0.0


def test_paired_summary_not_testable_never_claims_effect():
    rec = S.paired_summary([1, 2, 3, 4, 5], [5, 6, 7, 8, 9])
    assert rec.min_attainable_p == 0.0625 and not rec.testable
    assert rec.verdict == "not_testable"
    rec6 = S.paired_summary([1, 2, 3, 4, 5, 6], [5, 7, 9, 11, 13, 15], alpha=0.01)
    assert rec6.verdict == "not_testable"


def test_paired_summary_direction_and_missing():
    pre = [10, 12, 9, 14, 11, 10, 13, 8, None, 12]
    post = [14, 15, 13, 17, 15, 12, 18, 13, 9, np.nan]
    rec = S.paired_summary(pre, post, outcome="score")
    d = np.array([4, 3, 4, 3, 4, 2, 5, 5], dtype=float)
    _, _, _, p_ref = enumerate_signed_rank(d)
    assert rec.n_pairs == 8 and rec.n_excluded == 2
    assert rec.p_value == pytest.approx(p_ref)
    assert rec.verdict == "significant_improvement"
    assert (rec.n_improved, rec.n_worsened) == (8, 0)
    assert rec.median_pre == float(np.median([10, 12, 9, 14, 11, 10, 13, 8]))
    lower_better = S.paired_summary(pre, post, higher_is_better=False)
    assert lower_better.verdict == "significant_deterioration"
    assert (lower_better.n_improved, lower_better.n_worsened) == (0, 8)
    assert lower_better.hl_shift == rec.hl_shift > 0


def test_paired_summary_float_noise_and_rc_and_no_data():
    rec = S.paired_summary([0.3, 0.5, 0.7, 1.0, 1.2, 0.2], [0.1 + 0.2, 0.5, 0.7, 1.0, 1.2, 0.2])
    assert rec.n_unchanged == 6 and rec.p_value == 1.0
    rc = S.paired_summary([50, 50, 50, 50, 50, 50], [62, 40, 55, 50, 51, 49], sd_pre=10, reliability=0.84)
    assert (rc.rc_n_improved, rc.rc_n_unchanged, rc.rc_n_deteriorated) == (1, 5, 0)
    assert rc.rc_threshold == pytest.approx(1.96 * math.sqrt(32))
    empty = S.paired_summary([None, 1], [2, None])
    assert empty.verdict == "no_data" and empty.n_pairs == 0 and empty.p_value is None
    with pytest.raises(ValueError, match="both sd_pre and reliability"):
        S.paired_summary([1, 2], [2, 3], sd_pre=1.0)
    assert set(rec.to_dict()) >= {"outcome", "n_pairs", "p_value", "verdict", "hl_ci_low", "testable"}


def test_paired_summary_table_holm():
    pre = [10, 12, 9, 14, 11, 10, 13, 8]
    recs = [
        S.paired_summary(pre, [14, 15, 13, 17, 15, 12, 18, 13], outcome="a"),
        S.paired_summary(pre, [11, 11, 10, 15, 11, 11, 13, 9], outcome="b"),
        S.paired_summary(pre, [9, 13, 9, 13, 12, 10, 12, 9], outcome="c"),
        S.paired_summary([None], [None], outcome="d"),
    ]
    table = S.paired_summary_table(recs)
    raw = [r.p_value for r in recs[:3]]
    order = np.argsort(raw)
    m = 3
    expected = np.empty(3)
    running = 0.0
    for i, j in enumerate(order):
        running = max(running, min(1.0, (m - i) * raw[j]))
        expected[j] = running
    assert table["p_value_holm"].iloc[:3].tolist() == pytest.approx(expected.tolist())
    assert np.isnan(table["p_value_holm"].iloc[3])
    assert table["outcome"].tolist() == ["a", "b", "c", "d"]
    assert table["verdict_holm"].iloc[3] == "no_data"
    for _, row in table.iloc[:3].iterrows():
        significant = row["p_value_holm"] <= 0.05
        assert row["verdict_holm"] == ("significant_improvement" if significant else "no_evidence")
    with pytest.raises(ValueError):
        S.paired_summary_table([])
