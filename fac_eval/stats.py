"""Statistical procedures for very small paired samples (cohorts of 4 to 30 people).

The style follows ``scipy.stats`` / ``pingouin``: one function per procedure,
plain numbers or array-likes in, a small frozen dataclass out.  Every function
is pure and deterministic (no random number is ever drawn).

Accepted inputs
---------------
Every data argument may be a list, a tuple, a 1-D numpy array or a pandas
Series (including nullable ``Int64`` / ``Float64`` / ``boolean`` dtypes).
Missing values (``None``, ``NaN``, ``pd.NA``, ``NaT``) are dropped and
*counted* (``n_missing``); infinite values and non-numeric values raise a
``ValueError``.  For paired inputs (``pre``/``post``) a pair is dropped as soon
as one of its two values is missing.  Two pandas Series are paired by position
and must share the same index (otherwise a ``ValueError`` asks the caller to
align them first).  An empty input (no value at all, before or after dropping
missing values) raises ``ValueError`` -- except in :func:`paired_summary`,
which reports ``verdict="no_data"`` for an outcome where every pair is missing
so that a whole report is not stopped by one empty item.

Ties and zeros are detected by *exact* equality.  Differences of decimal
scores computed in floating point may carry noise (``0.3 - 0.1 != 0.2``); use
:func:`paired_differences` (which rounds to 10 decimals) or round the
differences yourself before calling the tests.

Contents
--------
signed_rank_test      exact conditional Wilcoxon signed-rank test (ties, zeros)
hodges_lehmann        Hodges-Lehmann shift with its exact (Tukey) interval
rank_biserial         matched-pairs rank-biserial correlation (Kerby 2014)
sign_test             exact binomial sign test
mcnemar_exact         exact McNemar test for paired yes/no answers
proportion_ci         Clopper-Pearson and Wilson intervals for a proportion
reliable_change       Jacobson & Truax (1991) reliable change index per person
min_attainable_p      smallest p-value an exact test on n pairs can reach
holm                  Holm step-down adjusted p-values (NaN-aware)
paired_differences    post - pre with missing pairs dropped and counted
paired_summary        one report record per outcome combining the above
paired_summary_table  records -> DataFrame with raw and Holm-adjusted p-values
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import reduce
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import fft as _sp_fft
from scipy import optimize as _sp_optimize
from scipy import special as _sp_special
from scipy import stats as _sp_stats

__all__ = [
    "SignedRankResult",
    "HodgesLehmannResult",
    "RankBiserialResult",
    "SignTestResult",
    "McNemarResult",
    "ProportionCIResult",
    "ReliableChangeResult",
    "PairedSummary",
    "signed_rank_test",
    "hodges_lehmann",
    "rank_biserial",
    "sign_test",
    "mcnemar_exact",
    "proportion_ci",
    "reliable_change",
    "min_attainable_p",
    "holm",
    "paired_differences",
    "paired_summary",
    "paired_summary_table",
    "EXACT_COST_BUDGET",
    "VERDICTS",
]

_ALTERNATIVES = ("two-sided", "greater", "less")
_ZERO_METHODS = ("pratt", "wilcox")
_LN2 = math.log(2.0)

#: Largest estimated cost (in elementary array operations, ~0.5 ns each on a
#: current laptop) for which ``method="auto"`` computes an exact null
#: distribution.  Every data set with at most 1,500 pairs (zeros included,
#: any tie pattern) stays below it, so such data are always tested exactly.
EXACT_COST_BUDGET = 2.0e9

# Tail mass (Hoeffding bound) neglected by the FFT window of the exact engine.
_FFT_TAIL_EPS = 1e-30
# Up to this many non-zero pairs the DP counts are exact int64 (2**62 < 2**63).
_INT_DP_MAX_N = 62


# ---------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------


def _to_float_array(x: Any, name: str) -> np.ndarray:
    """Convert a 1-D array-like to float64, mapping every missing marker to NaN.

    Raises ``TypeError`` for scalars/strings/DataFrames and ``ValueError`` for
    non-numeric or infinite values or for inputs that are not 1-D.
    """
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a 1-D sequence of numbers, got {type(x).__name__}")
    if isinstance(x, pd.DataFrame):
        raise TypeError(f"{name} must be 1-D (a Series, list or array), got a DataFrame")
    if isinstance(x, pd.Series):
        series = x.astype(object)
    else:
        if isinstance(x, (set, frozenset, dict)):
            raise TypeError(f"{name} must be an ordered 1-D sequence, got {type(x).__name__}")
        if not isinstance(x, (np.ndarray, pd.Index, pd.api.extensions.ExtensionArray)):
            x = list(x) if isinstance(x, Iterable) else x
        ndim = np.ndim(x) if not isinstance(x, list) else np.asarray(x, dtype=object).ndim
        if ndim == 0:
            raise TypeError(f"{name} must be a 1-D sequence of numbers, got a scalar")
        if ndim != 1:
            raise ValueError(f"{name} must be 1-D, got an input with {ndim} dimensions")
        series = pd.Series(np.asarray(x, dtype=object), dtype=object)
    missing = series.isna().to_numpy(dtype=bool)
    series = series.where(~missing, np.nan)
    try:
        numeric = pd.to_numeric(series, errors="raise")
        values = np.asarray(numeric, dtype=float)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} contains a non-numeric value: {exc}") from None
    if values.ndim != 1:
        raise ValueError(f"{name} must be 1-D")
    if np.isinf(values).any():
        raise ValueError(f"{name} contains an infinite value")
    return values


def _clean_1d(x: Any, name: str) -> tuple[np.ndarray, int]:
    """Return (values without missing, number of missing) for a 1-D input."""
    values = _to_float_array(x, name)
    if values.size == 0:
        raise ValueError(f"{name} is empty: at least one value is required")
    keep = ~np.isnan(values)
    n_missing = int((~keep).sum())
    values = values[keep]
    if values.size == 0:
        raise ValueError(f"{name} has no non-missing value ({n_missing} missing)")
    return values, n_missing


def _paired_arrays(pre: Any, post: Any, names=("pre", "post")) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
    """Convert a pair of inputs; return (pre, post, complete-mask, index or None)."""
    if isinstance(pre, pd.Series) and isinstance(post, pd.Series) and not pre.index.equals(post.index):
        raise ValueError(
            f"{names[0]} and {names[1]} are pandas Series with different indexes; "
            "pairs are matched by position, align them first (e.g. with .align())"
        )
    a = _to_float_array(pre, names[0])
    b = _to_float_array(post, names[1])
    if a.size != b.size:
        raise ValueError(f"{names[0]} and {names[1]} must have the same length ({a.size} != {b.size})")
    if a.size == 0:
        raise ValueError(f"{names[0]} and {names[1]} are empty: at least one pair is required")
    index = pre.index if isinstance(pre, pd.Series) else (post.index if isinstance(post, pd.Series) else None)
    complete = ~(np.isnan(a) | np.isnan(b))
    return a, b, complete, index


def _check_alternative(alternative: str) -> None:
    if alternative not in _ALTERNATIVES:
        raise ValueError(f"alternative must be one of {_ALTERNATIVES}, got {alternative!r}")


def _check_zero_method(zero_method: str) -> None:
    if zero_method not in _ZERO_METHODS:
        raise ValueError(f"zero_method must be one of {_ZERO_METHODS}, got {zero_method!r}")


def _check_confidence(confidence: float) -> None:
    if not (isinstance(confidence, (int, float, np.floating)) and 0.0 < float(confidence) < 1.0):
        raise ValueError(f"confidence must be a number strictly between 0 and 1, got {confidence!r}")


# ---------------------------------------------------------------------------
# Exact null distribution of the signed-rank statistic
# ---------------------------------------------------------------------------
#
# Under H0 (differences symmetric about 0, conditionally on |d| and hence on
# the tie pattern) each non-zero difference is positive or negative with
# probability 1/2, independently.  Working with *doubled* midranks makes every
# rank an integer; the statistic S = sum of doubled ranks of the positive
# differences then has probability generating function
#
#       G(z) = prod_j ((1 + z**r_j) / 2) ** m_j
#
# where r_j are the distinct doubled ranks and m_j their multiplicities (a tie
# group of size m contributes a binomial polynomial).  All ranks are divided by
# their gcd g (S is a multiple of g).  The distribution is symmetric about
# T/2, T = sum_j m_j r_j, so a single lower tail P(S <= x) with x <= T/2 is
# all that is ever needed.  Two exact engines compute it:
#
# * "dp": subset-sum dynamic programming truncated at x, one vectorised
#   shift-and-add ``c[r:] += c[:-r]`` per non-zero pair.  Up to 62 pairs the
#   counts are exact 64-bit integers (p = count / 2**n, correctly rounded);
#   beyond, floats rescaled as they grow -- only additions of non-negative
#   numbers, so the result keeps full relative precision.
#   Cost ~ (number of pairs) * x.
# * "fft": exponentially tilted generating function evaluated on a grid and
#   inverted by one real FFT.  The tilt exp(lam*s) (saddlepoint choice: the
#   tilted mean equals x) moves the mass to the observed statistic, so even
#   tiny tail probabilities keep full *relative* precision; the grid only
#   spans the window where the tilted mass is not negligible (Hoeffding
#   bound, neglected mass < 1e-30).  Cost ~ (number of tie groups) * window.
#
# The cheapest engine is used; with ``method="auto"`` the tie-corrected normal
# approximation takes over when both engines exceed EXACT_COST_BUDGET.


@dataclass(frozen=True)
class _Null:
    ranks: np.ndarray  # distinct ranks divided by their gcd (int64, increasing)
    counts: np.ndarray  # multiplicities (int64)
    gcd: int
    total: int  # T = sum(counts * ranks), in reduced units

    @property
    def n(self) -> int:
        return int(self.counts.sum())


def _make_null(ranks: np.ndarray) -> _Null:
    ranks = np.asarray(ranks, dtype=np.int64)
    if ranks.size == 0:
        return _Null(np.zeros(0, np.int64), np.zeros(0, np.int64), 1, 0)
    uniq, counts = np.unique(ranks, return_counts=True)
    g = int(reduce(math.gcd, (int(v) for v in uniq)))
    uniq = uniq // g
    return _Null(uniq.astype(np.int64), counts.astype(np.int64), g, int((uniq * counts).sum()))


def _dp_cost(null: _Null, x: int) -> float:
    steps = int(null.counts[null.ranks <= x].sum())
    per_element = 1.0 if x < 2_000_000 else 3.5  # arrays beyond ~16 MB leave the CPU cache
    return per_element * steps * (x + 1) + 2000.0 * steps


def _fft_window(null: _Null, x: int) -> tuple[int, int]:
    """(base, length) of the FFT grid for a lower tail at x."""
    var_proxy = float((null.counts * null.ranks.astype(float) ** 2).sum())
    half = int(math.ceil(math.sqrt(var_proxy * math.log(2.0 / _FFT_TAIL_EPS) / 2.0))) + 1
    base = max(0, x - half)
    top = min(null.total, x + half)
    length = _sp_fft.next_fast_len(top - base + 1, real=True)
    return base, length


def _fft_cost(null: _Null, x: int) -> float:
    _, length = _fft_window(null, x)
    return 70.0 * null.ranks.size * (length // 2 + 1) + 60.0 * length


def _counts_dp_int(null: _Null, xmax: int) -> np.ndarray:
    """Exact integer counts of sign patterns with S = s, s = 0..xmax (needs n <= 62)."""
    c = np.zeros(xmax + 1, dtype=np.int64)
    c[0] = 1
    for r, m in zip(null.ranks.tolist(), null.counts.tolist()):
        if r > xmax:
            continue
        for _ in range(m):
            c[r:] += c[:-r]
    return c


def _cdf_dp(null: _Null, xmax: int) -> np.ndarray:
    """P(S <= s) for s = 0..xmax.

    Up to 62 non-zero pairs the counts are exact 64-bit integers, so the
    probabilities are count / 2**n correctly rounded (e.g. exactly 20/512);
    beyond, the floating-point DP of :func:`_pmf_dp` is used.
    """
    if null.n <= _INT_DP_MAX_N:
        cum = np.cumsum(_counts_dp_int(null, xmax))
        return np.ldexp(cum.astype(float), -null.n)
    c, log_scale = _pmf_dp(null, xmax)
    return np.exp(np.log(np.cumsum(c)) + log_scale)


def _pmf_dp(null: _Null, xmax: int) -> tuple[np.ndarray, float]:
    """Truncated subset-sum DP: returns (c, log_scale) with P(S = s) = c[s] * exp(log_scale)."""
    c = np.zeros(xmax + 1, dtype=float)
    c[0] = 1.0
    log_scale = 0.0
    for r, m in zip(null.ranks.tolist(), null.counts.tolist()):
        log_scale -= m * _LN2
        if r > xmax:  # the pair can only be negative if S is to stay <= xmax
            continue
        for i in range(m):
            c[r:] += c[:-r]  # multiply by (1 + z**r); numpy buffers the overlap
            if (i & 255) == 255:
                top = c.max()
                c /= top
                log_scale += math.log(top)
        top = c.max()
        c /= top
        log_scale += math.log(top)
    return c, log_scale


def _lower_tail_dp(null: _Null, x: int) -> float:
    if null.n <= _INT_DP_MAX_N:
        return math.ldexp(float(int(_counts_dp_int(null, x).sum())), -null.n)
    c, log_scale = _pmf_dp(null, x)
    return math.exp(math.log(c.sum()) + log_scale)


def _lower_tail_fft(null: _Null, x: int) -> float:
    """P(S <= x) by the tilted characteristic function (0 < x <= T/2)."""
    r = null.ranks.astype(float)
    m = null.counts.astype(float)
    total = null.total
    if 2 * x >= total:
        lam = 0.0
    else:
        def tilted_mean_minus_x(lam_: float) -> float:
            return float(np.dot(m * r, _sp_special.expit(lam_ * r))) - x

        lo = -40.0 / float(r.min())
        lam = _sp_optimize.brentq(tilted_mean_minus_x, lo, 0.0, xtol=1e-14, rtol=1e-12, maxiter=500)
    p = _sp_special.expit(lam * r)  # tilted probability that a pair is positive
    q = _sp_special.expit(-lam * r)
    base, length = _fft_window(null, x)
    k = np.arange(length // 2 + 1, dtype=np.int64)
    two_pi_over_l = 2.0 * math.pi / length
    log_mod = np.zeros(k.size)
    # exp(+i theta_k base) re-indexes the output so that y[j] = tilted pmf at base + j
    phase = ((k * base) % length).astype(float) * two_pi_over_l
    with np.errstate(divide="ignore"):
        for rj, mj, pj, qj in zip(null.ranks.tolist(), m.tolist(), p.tolist(), q.tolist()):
            if pj == 0.0:
                continue  # tilted factor is identically 1
            ang = ((k * rj) % length).astype(float) * two_pi_over_l
            cos_a = np.cos(ang)
            sin_a = np.sin(ang)
            # |q + p e^{-ia}|^2 = 1 - 2pq(1 - cos a)
            log_mod += (0.5 * mj) * np.log1p((-2.0 * pj * qj) * (1.0 - cos_a))
            phase += mj * np.arctan2(-pj * sin_a, qj + pj * cos_a)
    spectrum = np.exp(log_mod) * (np.cos(phase) + 1j * np.sin(phase))
    tilted = _sp_fft.irfft(spectrum, n=length)
    j_end = x - base
    offsets = np.arange(j_end, -1, -1, dtype=float)  # x - s' for s' = base .. x
    weighted = np.clip(tilted[: j_end + 1], 0.0, None) * np.exp(lam * offsets)
    tail = float(weighted.sum())
    log_mgf = float(np.dot(m, np.log1p(np.exp(lam * r)) - _LN2))
    if tail <= 0.0:
        return 0.0
    return math.exp(log_mgf - lam * x + math.log(tail))


def _lower_tail_normal(null: _Null, x: int) -> float:
    mean = null.total / 2.0
    var = float((null.counts * null.ranks.astype(float) ** 2).sum()) / 4.0
    return float(_sp_stats.norm.cdf((x + 0.5 - mean) / math.sqrt(var)))


def _lower_tail(null: _Null, x: int, method: str) -> tuple[float, str]:
    """P(S <= x) and the engine used ("dp", "fft", "normal", or "trivial")."""
    total = null.total
    if x < 0:
        return 0.0, "trivial"
    if x >= total:
        return 1.0, "trivial"
    if 2 * x > total:  # use the symmetry S -> T - S to stay in the lower half
        upper, engine = _lower_tail(null, total - x - 1, method)
        return 1.0 - upper, engine
    if x == 0:
        return math.ldexp(1.0, -null.n), "trivial"
    if method == "approx":
        return _lower_tail_normal(null, x), "normal"
    dp_cost = _dp_cost(null, x)
    fft_cost = _fft_cost(null, x)
    if method == "auto" and min(dp_cost, fft_cost) > EXACT_COST_BUDGET:
        return _lower_tail_normal(null, x), "normal"
    if dp_cost <= fft_cost:
        return _lower_tail_dp(null, x), "dp"
    return _lower_tail_fft(null, x), "fft"


def _tail_pvalue(null: _Null, s: int, alternative: str, method: str) -> tuple[float, str]:
    """p-value of S = s (reduced units) under the exact conditional null."""
    total = null.total
    if total == 0:
        return 1.0, "trivial"
    if alternative == "less":
        p, engine = _lower_tail(null, s, method)
    elif alternative == "greater":  # P(S >= s) = P(S <= T - s)
        p, engine = _lower_tail(null, total - s, method)
    else:
        p, engine = _lower_tail(null, min(s, total - s), method)
        p = 2.0 * p
    return min(1.0, max(0.0, p)), engine


_ENGINE_LABEL = {
    "dp": "exact conditional (tie-aware) signed-rank, dynamic programming",
    "fft": "exact conditional (tie-aware) signed-rank, tilted FFT generating function",
    "trivial": "exact conditional (tie-aware) signed-rank",
    "normal": "normal approximation (tie-corrected, continuity-corrected) signed-rank",
}


def _doubled_midranks(values: np.ndarray) -> np.ndarray:
    """Doubled average ranks (1-based) of ``values``: integers, exact for ties."""
    uniq, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    start = np.cumsum(counts) - counts  # number of strictly smaller values
    doubled = 2 * start + counts + 1  # (first rank + last rank) of the tie group
    return doubled.astype(np.int64)[inverse.reshape(-1)]


def _signed_doubled_ranks(d: np.ndarray, zero_method: str) -> tuple[np.ndarray, np.ndarray]:
    """(doubled ranks of the non-zero differences, boolean 'positive' mask)."""
    nonzero = d != 0
    if zero_method == "pratt":
        ranks = _doubled_midranks(np.abs(d))[nonzero]
    else:
        ranks = _doubled_midranks(np.abs(d[nonzero])) if nonzero.any() else np.zeros(0, np.int64)
    return ranks, d[nonzero] > 0


# ---------------------------------------------------------------------------
# Result classes
# ---------------------------------------------------------------------------


class _AsDict:
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class SignedRankResult(_AsDict):
    """Result of :func:`signed_rank_test`.

    statistic : sum of the ranks of the positive differences (R+, "V" in R).
    r_minus : sum of the ranks of the negative differences (R-).
    expected_statistic : E(R+) under H0, (R+ + R-) / 2.
    pvalue : p-value for ``alternative``.
    n : number of non-missing differences (zeros included).
    n_nonzero, n_zero, n_missing : counts.
    exact : False only when the normal approximation was used.
    """

    statistic: float
    r_minus: float
    expected_statistic: float
    pvalue: float
    n: int
    n_nonzero: int
    n_zero: int
    n_missing: int
    alternative: str
    zero_method: str
    exact: bool
    method: str


@dataclass(frozen=True)
class HodgesLehmannResult(_AsDict):
    """Result of :func:`hodges_lehmann` (interval ``[ci_low, ci_high]``, closed)."""

    estimate: float
    ci_low: float
    ci_high: float
    confidence: float
    achieved_confidence: float
    n: int
    n_missing: int
    k: int
    method: str


@dataclass(frozen=True)
class RankBiserialResult(_AsDict):
    """Result of :func:`rank_biserial`: ``estimate`` in [-1, 1] (+1: all differences positive)."""

    estimate: float
    r_plus: float
    r_minus: float
    n: int
    n_nonzero: int
    n_zero: int
    n_missing: int
    zero_method: str
    method: str


@dataclass(frozen=True)
class SignTestResult(_AsDict):
    """Result of :func:`sign_test` (counts of positive / zero / negative differences)."""

    n_improved: int
    n_unchanged: int
    n_worsened: int
    pvalue: float
    n: int
    n_missing: int
    alternative: str
    method: str


@dataclass(frozen=True)
class McNemarResult(_AsDict):
    """Result of :func:`mcnemar_exact`.

    n_gained : pairs answering no before and yes after (0 -> 1).
    n_lost : pairs answering yes before and no after (1 -> 0).
    n_yes_both, n_no_both : concordant pairs.
    """

    n_gained: int
    n_lost: int
    n_yes_both: int
    n_no_both: int
    pvalue: float
    n: int
    n_missing: int
    method: str


@dataclass(frozen=True)
class ProportionCIResult(_AsDict):
    """Result of :func:`proportion_ci`."""

    k: int
    n: int
    estimate: float
    ci_low: float
    ci_high: float
    confidence: float
    method: str


@dataclass(frozen=True)
class ReliableChangeResult:
    """Result of :func:`reliable_change`.

    table : one row per complete pair with columns pre, post, change, rci,
        category ("improved" / "unchanged" / "deteriorated"); the index is the
        index of the input Series (or 0..n-1), rows with a missing value are
        dropped.
    se_measurement : SE = sd_pre * sqrt(1 - reliability).
    s_diff : sqrt(2 * SE**2).
    threshold : smallest absolute change that counts as reliable,
        z_crit * s_diff (the change must be strictly larger).
    """

    table: pd.DataFrame = field(repr=False)
    n_improved: int
    n_unchanged: int
    n_deteriorated: int
    n: int
    n_missing: int
    se_measurement: float
    s_diff: float
    threshold: float
    z_crit: float
    higher_is_better: bool
    method: str

    def to_dict(self) -> dict[str, Any]:
        """Counts and constants (the per-person table is left out)."""
        return {k: v for k, v in asdict(self).items() if k != "table"}


# ---------------------------------------------------------------------------
# Public procedures
# ---------------------------------------------------------------------------


def signed_rank_test(
    diffs: Any,
    zero_method: str = "pratt",
    alternative: str = "two-sided",
    *,
    method: str = "auto",
) -> SignedRankResult:
    r"""Exact conditional Wilcoxon signed-rank test for paired differences.

    The absolute differences are ranked with average ranks (midranks) for
    ties.  The statistic is :math:`R^+ = \sum_{d_i > 0} \mathrm{rank}(|d_i|)`.
    Under :math:`H_0` the differences are symmetric about 0, so conditionally
    on the observed :math:`|d_i|` (hence on the tie pattern) every non-zero
    difference is positive or negative with probability 1/2 independently.
    The exact null distribution of :math:`2R^+` (doubled midranks are
    integers) is the coefficient sequence of

    .. math:: G(z) = \prod_j \left(\frac{1 + z^{r_j}}{2}\right)^{m_j}

    over the distinct doubled ranks :math:`r_j` with multiplicities
    :math:`m_j`.  It is computed exactly (up to floating-point rounding, with
    full relative precision even for tiny p-values) by a truncated subset-sum
    dynamic programme or, when cheaper, by a real FFT of the exponentially
    tilted generating function.  Both are exact for any n; with the default
    ``method="auto"`` the tie-corrected normal approximation (variance
    :math:`\sum_i \mathrm{rank}_i^2/4`, continuity correction) is used only
    if both exact engines would cost more than :data:`EXACT_COST_BUDGET`
    operations, which never happens with at most 1,500 pairs (zeros
    included).  ``method`` in the result says which computation was used.

    Zeros:

    * ``"pratt"`` (default, Pratt 1959): zeros are ranked together with the
      other differences, then their ranks are dropped from the statistic and
      from the null distribution.
    * ``"wilcox"``: zeros are discarded before ranking.

    p-values: ``"greater"`` (differences tend to be positive) is
    :math:`P(S \ge s)`, ``"less"`` is :math:`P(S \le s)` and ``"two-sided"``
    is :math:`\min(1, 2\min(P(S \ge s), P(S \le s)))`.

    Assumptions: pairs independent; under H0 the distribution of each
    difference is symmetric about 0.  The smallest attainable two-sided
    p-value is :math:`2^{1-n'}` with n' non-zero differences (see
    :func:`min_attainable_p`).

    Parameters
    ----------
    diffs : array-like of paired differences (post - pre); missing values are
        dropped and counted.
    zero_method : "pratt" or "wilcox".
    alternative : "two-sided", "greater" or "less".
    method : "auto" (default), "exact" (always exact, whatever the cost) or
        "approx" (normal approximation).

    Returns
    -------
    SignedRankResult. With no non-zero difference: statistic 0, p-value 1.
    p-values below ~1e-308 (possible only with hundreds of pairs) underflow
    to 0.0.

    Performance (exact engines, one core): n = 30 with ties ~0.1-0.5 ms;
    n = 3,000 differences in -3..3 ~0.3 s (FFT engine); untied n = 1,500
    ~1 s (DP engine, the worst case below the budget).

    References
    ----------
    Wilcoxon F. (1945) Individual comparisons by ranking methods. Biometrics
    Bulletin 1:80-83.  Pratt J.W. (1959) Remarks on zeros and ties in the
    Wilcoxon signed rank procedures. JASA 54:655-667.  Hollander M., Wolfe
    D.A., Chicken E. (2014) Nonparametric Statistical Methods, 3rd ed., ch. 3.
    """
    _check_zero_method(zero_method)
    _check_alternative(alternative)
    if method not in ("auto", "exact", "approx"):
        raise ValueError(f"method must be 'auto', 'exact' or 'approx', got {method!r}")
    d, n_missing = _clean_1d(diffs, "diffs")
    ranks2, positive = _signed_doubled_ranks(d, zero_method)
    null = _make_null(ranks2)
    s2 = int(ranks2[positive].sum())
    t2 = int(ranks2.sum())
    pvalue, engine = _tail_pvalue(null, s2 // null.gcd, alternative, method)
    n_nonzero = int(ranks2.size)
    return SignedRankResult(
        statistic=s2 / 2.0,
        r_minus=(t2 - s2) / 2.0,
        expected_statistic=t2 / 4.0,
        pvalue=float(pvalue),
        n=int(d.size),
        n_nonzero=n_nonzero,
        n_zero=int(d.size - n_nonzero),
        n_missing=n_missing,
        alternative=alternative,
        zero_method=zero_method,
        exact=engine != "normal",
        method=_ENGINE_LABEL[engine],
    )


def _walsh_averages(d: np.ndarray) -> np.ndarray:
    d = np.sort(d)
    return np.concatenate([(d[i] + d[i:]) / 2.0 for i in range(d.size)])


def hodges_lehmann(diffs: Any, confidence: float = 0.95) -> HodgesLehmannResult:
    r"""Hodges-Lehmann one-sample shift and its exact (Tukey) confidence interval.

    Estimate: the median of the :math:`N = n(n+1)/2` Walsh averages
    :math:`(d_i + d_j)/2,\ i \le j` (all non-missing differences, zeros
    included).

    Interval: inverting the signed-rank test gives
    :math:`[W_{(k)}, W_{(N+1-k)}]` (order statistics of the Walsh averages)
    where, as in R's ``wilcox.test``, k is the :math:`\alpha/2` quantile of
    the untied signed-rank distribution of size n, i.e. the smallest k with
    :math:`P(V \le k) \ge \alpha/2` (k = 1 if that quantile is 0).  The
    achieved confidence is :math:`1 - 2P(V \le k - 1)` and is reported: with
    very few pairs it is below the requested level (with n <= 5 the widest
    interval, [min d, max d], has confidence :math:`1 - 2^{1-n}` < 95 %).

    Assumptions: pairs independent, differences symmetric about the shift and
    continuous.  With tied differences the interval is still computed from
    the untied distribution (the closed interval is then in general
    conservative) -- unlike R, which switches to a normal approximation with
    ties and drops zero differences.  From n ~ 2,000 on, the quantile k comes from
    the normal approximation (``method`` says so).

    Reference: Hodges J.L., Lehmann E.L. (1963) Estimates of location based on
    rank tests. Ann. Math. Stat. 34:598-611; Hollander, Wolfe & Chicken (2014)
    section 3.2; R ``stats::wilcox.test`` (``conf.int = TRUE``).
    """
    _check_confidence(confidence)
    d, n_missing = _clean_1d(diffs, "diffs")
    n = int(d.size)
    walsh = _walsh_averages(d)
    n_walsh = walsh.size
    alpha = 1.0 - float(confidence)
    null = _make_null(np.arange(1, n + 1))  # untied ranks 1..n
    half = n * (n + 1) // 4
    if _dp_cost(null, half) <= EXACT_COST_BUDGET:
        cdf = _cdf_dp(null, half)
        # R's qsignrank: smallest q with P(V <= q) >= alpha/2 (tiny fuzz for float equality)
        q = int(np.searchsorted(cdf, alpha / 2.0 * (1 - 1e-12), side="left"))
        k = max(q, 1)
        achieved = 1.0 - 2.0 * float(cdf[k - 1])
        kind = "exact"
    else:
        mean = n * (n + 1) / 4.0
        sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0)
        z = _sp_stats.norm.ppf(alpha / 2.0)
        k = max(1, int(math.floor(mean + z * sd + 0.5)))
        achieved = 1.0 - 2.0 * float(_sp_stats.norm.cdf((k - 1 + 0.5 - mean) / sd))
        kind = "normal-approximation"
    k = min(k, (n_walsh + 1) // 2)
    part = np.partition(walsh, sorted({k - 1, n_walsh - k}))
    ci_low = float(part[k - 1])
    ci_high = float(part[n_walsh - k])
    return HodgesLehmannResult(
        estimate=float(np.median(walsh)),
        ci_low=ci_low,
        ci_high=ci_high,
        confidence=float(confidence),
        achieved_confidence=float(achieved),
        n=n,
        n_missing=n_missing,
        k=int(k),
        method=f"Hodges-Lehmann (median of Walsh averages), {kind} signed-rank (Tukey) interval",
    )


def rank_biserial(diffs: Any, zero_method: str = "pratt") -> RankBiserialResult:
    r"""Matched-pairs rank-biserial correlation (Kerby 2014, simple difference formula).

    .. math:: r = \frac{R^+ - R^-}{R^+ + R^-}

    with the same ranks as :func:`signed_rank_test` for the same
    ``zero_method``: with ``"pratt"`` (default) zeros are ranked with the
    others and their ranks left out of both :math:`R^+` and :math:`R^-`; with
    ``"wilcox"`` zeros are discarded before ranking.  Without zeros the
    denominator is n(n+1)/2.  +1: every non-zero difference is positive;
    -1: every one is negative.  If every difference is zero the estimate is
    0.0 (no change), not NaN.

    Reference: Kerby D.S. (2014) The simple difference formula: an approach to
    teaching nonparametric correlation. Comprehensive Psychology 3:11.IT.3.1.
    """
    _check_zero_method(zero_method)
    d, n_missing = _clean_1d(diffs, "diffs")
    ranks2, positive = _signed_doubled_ranks(d, zero_method)
    r_plus = float(ranks2[positive].sum()) / 2.0
    r_minus = float(ranks2[~positive].sum()) / 2.0
    total = r_plus + r_minus
    estimate = 0.0 if total == 0 else (r_plus - r_minus) / total
    return RankBiserialResult(
        estimate=float(estimate),
        r_plus=r_plus,
        r_minus=r_minus,
        n=int(d.size),
        n_nonzero=int(ranks2.size),
        n_zero=int(d.size - ranks2.size),
        n_missing=n_missing,
        zero_method=zero_method,
        method=f"matched-pairs rank-biserial (Kerby 2014), zero_method={zero_method}",
    )


def _binom_half_pvalue(k: int, n: int, alternative: str) -> float:
    """Exact binomial p-value for k successes in n trials with p = 1/2."""
    if n == 0:
        return 1.0
    if alternative == "greater":
        p = _sp_stats.binom.sf(k - 1, n, 0.5)
    elif alternative == "less":
        p = _sp_stats.binom.cdf(k, n, 0.5)
    else:  # symmetric null: double the smaller tail
        p = 2.0 * _sp_stats.binom.cdf(min(k, n - k), n, 0.5)
    return float(min(1.0, p))


def sign_test(diffs: Any, alternative: str = "two-sided") -> SignTestResult:
    r"""Exact binomial sign test.

    Zeros are set aside; with :math:`n^+` positive among :math:`n' = n^+ + n^-`
    non-zero differences, :math:`n^+ \sim \mathrm{Bin}(n', 1/2)` under
    :math:`H_0` (median difference 0).  Two-sided p-value:
    :math:`\min(1, 2 P(X \le \min(n^+, n^-)))`; ``"greater"``:
    :math:`P(X \ge n^+)`; ``"less"``: :math:`P(X \le n^+)`.  With no non-zero
    difference the p-value is 1.

    ``n_improved`` / ``n_worsened`` are the numbers of positive / negative
    differences (post - pre): swap them if lower scores are better.

    Assumptions: pairs independent.  Reference: Conover W.J. (1999) Practical
    Nonparametric Statistics, 3rd ed., section 3.4.
    """
    _check_alternative(alternative)
    d, n_missing = _clean_1d(diffs, "diffs")
    n_pos = int((d > 0).sum())
    n_neg = int((d < 0).sum())
    return SignTestResult(
        n_improved=n_pos,
        n_unchanged=int(d.size - n_pos - n_neg),
        n_worsened=n_neg,
        pvalue=_binom_half_pvalue(n_pos, n_pos + n_neg, alternative),
        n=int(d.size),
        n_missing=n_missing,
        alternative=alternative,
        method="exact binomial sign test (zeros excluded)",
    )


def _binary_array(x: Any, name: str) -> np.ndarray:
    values = _to_float_array(x, name)
    bad = ~np.isnan(values) & (values != 0) & (values != 1)
    if bad.any():
        raise ValueError(
            f"{name} must contain only yes/no answers (True/False or 1/0, or missing); "
            f"found {sorted(set(values[bad].tolist()))[:5]}"
        )
    return values


def mcnemar_exact(before: Any, after: Any) -> McNemarResult:
    r"""Exact McNemar test for paired yes/no answers.

    Answers are booleans or 1 (yes) / 0 (no); pairs with a missing answer are
    dropped and counted.  Discordant pairs: ``n_gained`` = no -> yes (0 -> 1),
    ``n_lost`` = yes -> no (1 -> 0).  Under :math:`H_0` (marginal
    homogeneity) :math:`n_{gained} \sim \mathrm{Bin}(n_{gained}+n_{lost}, 1/2)`;
    the two-sided p-value is
    :math:`\min(1, 2P(X \le \min(n_{gained}, n_{lost})))`, 1 without
    discordant pair.

    Assumptions: pairs independent.  Reference: McNemar Q. (1947) Note on the
    sampling error of the difference between correlated proportions or
    percentages. Psychometrika 12:153-157; Fagerland M.W., Lydersen S.,
    Laake P. (2013) The McNemar test for binary matched-pairs data: mid-p and
    asymptotic are better than exact conditional. BMC Med Res Methodol 13:91.
    """
    if isinstance(before, pd.Series) and isinstance(after, pd.Series) and not before.index.equals(after.index):
        raise ValueError("before and after are pandas Series with different indexes; align them first")
    a = _binary_array(before, "before")
    b = _binary_array(after, "after")
    if a.size != b.size:
        raise ValueError(f"before and after must have the same length ({a.size} != {b.size})")
    if a.size == 0:
        raise ValueError("before and after are empty: at least one pair is required")
    complete = ~(np.isnan(a) | np.isnan(b))
    n_missing = int((~complete).sum())
    if not complete.any():
        raise ValueError(f"no complete pair: all {a.size} pairs have a missing answer")
    a, b = a[complete], b[complete]
    gained = int(((a == 0) & (b == 1)).sum())
    lost = int(((a == 1) & (b == 0)).sum())
    return McNemarResult(
        n_gained=gained,
        n_lost=lost,
        n_yes_both=int(((a == 1) & (b == 1)).sum()),
        n_no_both=int(((a == 0) & (b == 0)).sum()),
        pvalue=_binom_half_pvalue(gained, gained + lost, "two-sided"),
        n=int(a.size),
        n_missing=n_missing,
        method="exact McNemar (binomial test on discordant pairs, two-sided)",
    )


def _as_count(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer count, got a boolean")
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an integer count, got {value!r}") from None
    if not math.isfinite(as_float) or as_float != int(as_float):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return int(as_float)


def proportion_ci(k: int, n: int, confidence: float = 0.95, method: str = "exact") -> ProportionCIResult:
    r"""Confidence interval for a binomial proportion k/n.

    * ``"exact"`` (Clopper-Pearson 1934): lower = Beta quantile
      :math:`B(\alpha/2; k, n-k+1)`, upper = :math:`B(1-\alpha/2; k+1, n-k)`;
      lower is exactly 0 when k = 0 and upper exactly 1 when k = n.
      Guaranteed coverage >= nominal (conservative).
    * ``"wilson"`` (Wilson 1927 score interval):
      :math:`\frac{\hat p + z^2/2n \pm z\sqrt{\hat p(1-\hat p)/n + z^2/4n^2}}{1 + z^2/n}`,
      :math:`z = \Phi^{-1}(1-\alpha/2)`; coverage close to nominal on average.

    Raises ``ValueError`` when n < 1 or k is outside 0..n.

    References: Clopper C.J., Pearson E.S. (1934) Biometrika 26:404-413;
    Wilson E.B. (1927) JASA 22:209-212; Brown L.D., Cai T.T., DasGupta A.
    (2001) Interval estimation for a binomial proportion. Stat. Sci. 16:101-133.
    """
    k = _as_count(k, "k")
    n = _as_count(n, "n")
    _check_confidence(confidence)
    if n < 1:
        raise ValueError(f"n must be at least 1 to estimate a proportion, got n={n}")
    if not 0 <= k <= n:
        raise ValueError(f"k must be between 0 and n={n}, got k={k}")
    alpha = 1.0 - float(confidence)
    p_hat = k / n
    if method == "exact":
        low = 0.0 if k == 0 else float(_sp_stats.beta.ppf(alpha / 2.0, k, n - k + 1))
        high = 1.0 if k == n else float(_sp_stats.beta.ppf(1.0 - alpha / 2.0, k + 1, n - k))
        label = "Clopper-Pearson exact"
    elif method == "wilson":
        z = float(_sp_stats.norm.ppf(1.0 - alpha / 2.0))
        denom = 1.0 + z * z / n
        centre = (p_hat + z * z / (2 * n)) / denom
        half = z * math.sqrt(p_hat * (1.0 - p_hat) / n + z * z / (4.0 * n * n)) / denom
        low = 0.0 if k == 0 else max(0.0, centre - half)
        high = 1.0 if k == n else min(1.0, centre + half)
        label = "Wilson score"
    else:
        raise ValueError(f"method must be 'exact' or 'wilson', got {method!r}")
    return ProportionCIResult(
        k=k, n=n, estimate=p_hat, ci_low=low, ci_high=high, confidence=float(confidence), method=label
    )


def reliable_change(
    pre: Any,
    post: Any,
    sd_pre: float,
    reliability: float,
    *,
    z_crit: float = 1.96,
    higher_is_better: bool = True,
) -> ReliableChangeResult:
    r"""Jacobson & Truax (1991) reliable change index (RCI), one value per person.

    .. math::

        SE = s_{pre}\sqrt{1 - r_{xx}}, \quad
        S_{diff} = \sqrt{2 SE^2}, \quad
        RCI = \frac{x_{post} - x_{pre}}{S_{diff}}

    A person changed reliably when :math:`|RCI| > z_{crit}` (1.96: a change
    this large would arise from measurement error alone in < 5 % of cases);
    the direction is "improved" if the change goes the good way
    (``higher_is_better``), "deteriorated" otherwise, and "unchanged" when
    :math:`|RCI| \le z_{crit}`.  ``threshold`` = :math:`z_{crit} S_{diff}` is
    the smallest absolute change counted as reliable (strictly exceeded).

    ``sd_pre`` is the standard deviation of the pre-test scores in a
    reference (norm) population and ``reliability`` a test-retest or
    internal-consistency coefficient (0 <= r < 1) taken from the instrument's
    manual -- not estimated from a cohort of 10 people.

    Pairs with a missing value are dropped and counted (``n_missing``).

    Reference: Jacobson N.S., Truax P. (1991) Clinical significance: a
    statistical approach to defining meaningful change in psychotherapy
    research. J. Consult. Clin. Psychol. 59:12-19.
    """
    try:
        sd_pre = float(sd_pre)
        reliability = float(reliability)
        z_crit = float(z_crit)
    except (TypeError, ValueError):
        raise TypeError("sd_pre, reliability and z_crit must be numbers") from None
    if not (math.isfinite(sd_pre) and sd_pre > 0):
        raise ValueError(f"sd_pre must be a positive finite number, got {sd_pre!r}")
    if not (math.isfinite(reliability) and 0.0 <= reliability < 1.0):
        raise ValueError(f"reliability must satisfy 0 <= reliability < 1, got {reliability!r}")
    if not (math.isfinite(z_crit) and z_crit > 0):
        raise ValueError(f"z_crit must be a positive number, got {z_crit!r}")
    a, b, complete, index = _paired_arrays(pre, post)
    n_missing = int((~complete).sum())
    if not complete.any():
        raise ValueError(f"no complete pair: all {a.size} pairs have a missing value")
    se = sd_pre * math.sqrt(1.0 - reliability)
    s_diff = math.sqrt(2.0 * se * se)
    change = b[complete] - a[complete]
    rci = change / s_diff
    good = rci if higher_is_better else -rci
    category = np.where(good > z_crit, "improved", np.where(good < -z_crit, "deteriorated", "unchanged"))
    idx = (index if index is not None else pd.RangeIndex(a.size))[complete]
    table = pd.DataFrame(
        {"pre": a[complete], "post": b[complete], "change": change, "rci": rci, "category": category},
        index=idx,
    )
    counts = pd.Series(category).value_counts()
    return ReliableChangeResult(
        table=table,
        n_improved=int(counts.get("improved", 0)),
        n_unchanged=int(counts.get("unchanged", 0)),
        n_deteriorated=int(counts.get("deteriorated", 0)),
        n=int(complete.sum()),
        n_missing=n_missing,
        se_measurement=se,
        s_diff=s_diff,
        threshold=z_crit * s_diff,
        z_crit=z_crit,
        higher_is_better=bool(higher_is_better),
        method="Jacobson-Truax (1991) reliable change index",
    )


def min_attainable_p(n: int, alternative: str = "two-sided") -> float:
    r"""Smallest p-value an exact sign or signed-rank test on n non-zero pairs can reach.

    The most extreme outcome (all n differences of the same sign) has
    probability :math:`2^{-n}` under :math:`H_0`, whatever the ties, so the
    minimum is :math:`2^{-n}` one-sided and :math:`\min(1, 2^{1-n})`
    two-sided.  Examples (two-sided): n = 5 -> 0.0625 (no test can reach
    5 %), n = 6 -> 0.03125.  n = 0 gives 1.
    """
    _check_alternative(alternative)
    n = _as_count(n, "n")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if alternative == "two-sided":
        return float(min(1.0, 2.0 ** (1 - n)))
    return float(2.0**-n)


def holm(pvalues: Any) -> np.ndarray:
    r"""Holm (1979) step-down adjusted p-values, NaN-aware.

    With the m non-missing p-values sorted :math:`p_{(1)} \le \dots \le p_{(m)}`:

    .. math:: \tilde p_{(i)} = \max_{j \le i} \min\{1, (m - j + 1) p_{(j)}\}

    NaN / missing entries stay NaN and do not count in the family size m.
    Returns a float array in the input order.  Controls the family-wise error
    rate under any dependence.

    Reference: Holm S. (1979) A simple sequentially rejective multiple test
    procedure. Scand. J. Statist. 6:65-70.
    """
    p = _to_float_array(pvalues, "pvalues")
    ok = ~np.isnan(p)
    if ((p[ok] < 0) | (p[ok] > 1)).any():
        raise ValueError("p-values must lie in [0, 1]")
    out = np.full(p.shape, np.nan)
    m = int(ok.sum())
    if m == 0:
        return out
    vals = p[ok]
    order = np.argsort(vals, kind="mergesort")
    factors = m - np.arange(m)
    adjusted_sorted = np.maximum.accumulate(np.minimum(1.0, factors * vals[order]))
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    out[ok] = adjusted
    return out


def paired_differences(pre: Any, post: Any, decimals: int | None = 10) -> tuple[np.ndarray, int]:
    """``post - pre`` over complete pairs, and the number of pairs dropped as missing.

    Differences are rounded to ``decimals`` places (default 10; ``None`` to
    disable) so that floating-point noise does not create spurious non-zero
    differences or break ties (``0.3 - 0.1`` vs ``0.2``).  Raises
    ``ValueError`` for empty or unequal-length inputs.
    """
    a, b, complete, _ = _paired_arrays(pre, post)
    d = b[complete] - a[complete]
    if decimals is not None:
        d = np.round(d, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return d, int((~complete).sum())


# ---------------------------------------------------------------------------
# Report record
# ---------------------------------------------------------------------------

VERDICTS = {
    "no_data": "no complete pair",
    "not_testable": "too few pairs: no exact test can reach the significance level",
    "significant_improvement": "significant change in the good direction",
    "significant_deterioration": "significant change in the bad direction",
    "no_evidence": "no evidence of change",
}


@dataclass(frozen=True)
class PairedSummary(_AsDict):
    """One outcome of a pre/post comparison, as produced by :func:`paired_summary`.

    Orientation: ``hl_*``, ``median_change`` and ``rank_biserial`` are on the
    raw scale (post - pre, positive = scores went up); ``n_improved`` /
    ``n_worsened`` and ``verdict`` take ``higher_is_better`` into account.
    Fields that cannot be computed (no complete pair, or no reliable-change
    parameters) are ``None``.  ``verdict`` is one of :data:`VERDICTS`.
    """

    outcome: str | None
    n_pairs: int
    n_excluded: int
    median_pre: float | None
    median_post: float | None
    median_change: float | None
    n_improved: int
    n_unchanged: int
    n_worsened: int
    hl_shift: float | None
    hl_ci_low: float | None
    hl_ci_high: float | None
    hl_confidence: float
    hl_achieved_confidence: float | None
    rank_biserial: float | None
    statistic: float | None
    p_value: float | None
    min_attainable_p: float
    alpha: float
    testable: bool
    higher_is_better: bool
    test_method: str | None
    rc_n_improved: int | None
    rc_n_unchanged: int | None
    rc_n_deteriorated: int | None
    rc_threshold: float | None
    verdict: str


def _verdict(testable: bool, p_value: float | None, alpha: float, went_up: bool, higher_is_better: bool) -> str:
    from .verdict import verdict  # the one rule, shared with the indicator table

    return verdict(p_value, 0.0 if testable else 1.0, alpha, went_up == higher_is_better)


def paired_summary(
    pre: Any,
    post: Any,
    alpha: float = 0.05,
    higher_is_better: bool = True,
    outcome: str | None = None,
    sd_pre: float | None = None,
    reliability: float | None = None,
) -> PairedSummary:
    """Summarise one pre/post outcome for the report.

    Steps: complete pairs only (``n_excluded`` counts pairs with a missing
    value); differences ``post - pre`` rounded to 10 decimals
    (:func:`paired_differences`); medians; counts improved / unchanged /
    worsened (direction from ``higher_is_better``); Hodges-Lehmann shift and
    its ``1 - alpha`` interval; rank-biserial correlation and two-sided exact
    signed-rank test (Pratt zeros); reliable-change counts if both ``sd_pre``
    and ``reliability`` are given.

    ``testable`` is ``min_attainable_p(n_pairs) <= alpha``: whether *any*
    exact test on this many pairs could reach ``alpha`` (with alpha = 0.05 at
    least 6 pairs are needed).  ``verdict``:

    * ``"no_data"`` -- no complete pair;
    * ``"not_testable"`` -- too few pairs, whatever the p-value;
    * ``"significant_improvement"`` / ``"significant_deterioration"`` --
      testable and signed-rank p <= alpha (direction from R+ vs R-);
    * ``"no_evidence"`` -- otherwise (including when every difference is 0).

    It never claims an effect when the test could not reach ``alpha``.  The
    p-value is *not* adjusted for multiplicity; use
    :func:`paired_summary_table` over the family of outcomes.
    """
    if not (isinstance(alpha, (int, float, np.floating)) and 0.0 < float(alpha) < 1.0):
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha!r}")
    if (sd_pre is None) != (reliability is None):
        raise ValueError("give both sd_pre and reliability (for reliable change) or neither")
    alpha = float(alpha)
    a, b, complete, _ = _paired_arrays(pre, post)
    d, n_excluded = paired_differences(pre, post)
    n_pairs = int(d.size)
    min_p = min_attainable_p(n_pairs)
    testable = bool(min_p <= alpha)
    base = dict(
        outcome=outcome,
        n_pairs=n_pairs,
        n_excluded=n_excluded,
        hl_confidence=1.0 - alpha,
        min_attainable_p=min_p,
        alpha=alpha,
        testable=testable,
        higher_is_better=bool(higher_is_better),
    )
    if n_pairs == 0:
        return PairedSummary(
            **base,
            median_pre=None, median_post=None, median_change=None,
            n_improved=0, n_unchanged=0, n_worsened=0,
            hl_shift=None, hl_ci_low=None, hl_ci_high=None, hl_achieved_confidence=None,
            rank_biserial=None, statistic=None, p_value=None, test_method=None,
            rc_n_improved=None, rc_n_unchanged=None, rc_n_deteriorated=None, rc_threshold=None,
            verdict="no_data",
        )  # fmt: skip
    test = signed_rank_test(d, zero_method="pratt", alternative="two-sided")
    hl = hodges_lehmann(d, confidence=1.0 - alpha)
    rb = rank_biserial(d, zero_method="pratt")
    n_up = int((d > 0).sum())
    n_down = int((d < 0).sum())
    rc_fields: dict[str, Any] = dict(rc_n_improved=None, rc_n_unchanged=None, rc_n_deteriorated=None, rc_threshold=None)
    if sd_pre is not None:
        rc = reliable_change(pre, post, sd_pre, reliability, higher_is_better=higher_is_better)  # type: ignore[arg-type]
        rc_fields = dict(
            rc_n_improved=rc.n_improved,
            rc_n_unchanged=rc.n_unchanged,
            rc_n_deteriorated=rc.n_deteriorated,
            rc_threshold=rc.threshold,
        )
    return PairedSummary(
        **base,
        median_pre=float(np.median(a[complete])),
        median_post=float(np.median(b[complete])),
        median_change=float(np.median(d)),
        n_improved=n_up if higher_is_better else n_down,
        n_unchanged=n_pairs - n_up - n_down,
        n_worsened=n_down if higher_is_better else n_up,
        hl_shift=hl.estimate,
        hl_ci_low=hl.ci_low,
        hl_ci_high=hl.ci_high,
        hl_achieved_confidence=hl.achieved_confidence,
        rank_biserial=rb.estimate,
        statistic=test.statistic,
        p_value=test.pvalue,
        test_method=test.method,
        **rc_fields,
        verdict=_verdict(testable, test.pvalue, alpha, test.statistic > test.r_minus, higher_is_better),
    )


def paired_summary_table(records: Sequence[PairedSummary], alpha: float | None = None) -> pd.DataFrame:
    """DataFrame of :func:`paired_summary` records with Holm-adjusted p-values.

    The family is every record with a p-value (``no_data`` records keep NaN
    and are not counted).  Adds ``p_value_holm`` and ``verdict_holm`` (same
    rules as ``verdict`` but with the adjusted p-value, compared with
    ``alpha`` if given, else with each record's own ``alpha``).  Raw
    ``p_value`` and ``verdict`` are kept.  Row order = record order.
    """
    records = list(records)
    if not records:
        raise ValueError("records is empty: at least one PairedSummary is required")
    if not all(isinstance(r, PairedSummary) for r in records):
        raise TypeError("records must be PairedSummary objects (from paired_summary)")
    frame = pd.DataFrame([r.to_dict() for r in records])
    raw = np.array([np.nan if r.p_value is None else r.p_value for r in records], dtype=float)
    adjusted = holm(raw)
    verdicts = []
    for rec, p_adj in zip(records, adjusted):
        level = rec.alpha if alpha is None else float(alpha)
        testable = rec.min_attainable_p <= level
        went_up = rec.statistic is not None and rec.rank_biserial is not None and rec.rank_biserial > 0
        verdicts.append(
            _verdict(testable, None if np.isnan(p_adj) else float(p_adj), level, went_up, rec.higher_is_better)
        )
    pos = list(frame.columns).index("p_value") + 1
    frame.insert(pos, "p_value_holm", adjusted)
    frame["verdict_holm"] = verdicts
    return frame


# ---------------------------------------------------------------------------
# Several sessions: stratified signed-rank test and pooled proportion
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StratifiedSignedRankResult(_AsDict):
    """Result of :func:`stratified_signed_rank_test`.

    statistic : sum over strata of each stratum's R+ (ranks computed within the stratum).
    r_minus : the same sum for the negative differences.
    expected_statistic : E(statistic) under H0, (statistic + r_minus) / 2.
    pvalue : p-value for ``alternative``.
    n : non-missing differences over all strata (zeros included).
    n_nonzero, n_zero, n_missing : counts over all strata.
    n_strata : strata holding at least one non-missing difference.
    strata_statistics, strata_n : R+ and number of non-missing differences of each stratum, in
        the order of ``strata`` (the labels given, or 0, 1, ... for a sequence).
    min_attainable_p : smallest p-value reachable with n_nonzero pairs (``min_attainable_p``).
    """

    statistic: float
    r_minus: float
    expected_statistic: float
    pvalue: float
    n: int
    n_nonzero: int
    n_zero: int
    n_missing: int
    n_strata: int
    strata: tuple
    strata_statistics: tuple
    strata_n: tuple
    min_attainable_p: float
    alternative: str
    zero_method: str
    exact: bool
    method: str


def _strata_items(diffs_by_stratum: Any) -> list[tuple[Any, Any]]:
    if isinstance(diffs_by_stratum, pd.DataFrame):
        raise TypeError(
            "diffs_by_stratum must be a mapping {stratum: differences} or a sequence of "
            "1-D sequences, got a DataFrame (e.g. {k: g.to_numpy() for k, g in "
            "df.groupby(key)[column]})"
        )
    if isinstance(diffs_by_stratum, dict) or hasattr(diffs_by_stratum, "items"):
        items = list(diffs_by_stratum.items())
    elif isinstance(diffs_by_stratum, (str, bytes)) or not isinstance(diffs_by_stratum, Iterable):
        raise TypeError("diffs_by_stratum must be a mapping or a sequence of 1-D sequences")
    else:
        items = list(enumerate(diffs_by_stratum))
    if not items:
        raise ValueError("diffs_by_stratum is empty: at least one stratum is required")
    return items


def stratified_signed_rank_test(
    diffs_by_stratum: Any,
    zero_method: str = "pratt",
    alternative: str = "two-sided",
    *,
    method: str = "auto",
) -> StratifiedSignedRankResult:
    r"""Exact stratified Wilcoxon signed-rank test (paired differences from several strata).

    Each stratum (e.g. one session of the programme) holds paired differences (post - pre).
    The absolute differences are ranked *within* their stratum (midranks for ties, zeros handled
    by ``zero_method`` as in :func:`signed_rank_test`), and the statistic is the plain sum over
    strata of the strata's positive-rank sums

    .. math:: S = \sum_{k=1}^{K} R_k^+, \qquad
              R_k^+ = \sum_{i \in k,\ d_{ki} > 0} \mathrm{rank}_k(|d_{ki}|).

    Under :math:`H_0` the differences of every stratum are symmetric about 0 (the strata may
    differ in spread, shape and size), so conditionally on each stratum's absolute differences
    -- hence on its own tie pattern -- every non-zero difference is positive or negative with
    probability 1/2, independently across pairs and strata.  The exact null distribution of S is
    therefore the convolution of the strata's exact conditional signed-rank distributions; with
    doubled midranks :math:`r_{ki}` (integers) its generating function is

    .. math:: G(z) = \prod_{k=1}^{K} \prod_{i} \frac{1 + z^{r_{ki}}}{2},

    the same product form as one signed-rank test over the multiset of within-stratum ranks, so
    the exact engines of :func:`signed_rank_test` (integer dynamic programming, or the tilted
    FFT when cheaper) compute it exactly for any number of strata and pairs, ties and zeros
    included.  ``method="auto"`` falls back to the normal approximation only beyond
    :data:`EXACT_COST_BUDGET` (never with at most 1,500 pairs in all).

    p-values: ``"greater"`` is :math:`P(S \ge s)`, ``"less"`` :math:`P(S \le s)`,
    ``"two-sided"`` :math:`\min(1, 2\min(P(S \ge s), P(S \le s)))`.  The smallest attainable
    two-sided p-value is :math:`2^{1-n'}` with n' non-zero differences over all strata.

    Ranking within strata removes differences in level and spread between strata (a session
    whose scale was used differently does not dominate the ranks); the unweighted sum gives each
    stratum a weight growing with its size, which is the natural choice when the effect is the
    same in every stratum.  van Elteren (1960) studied the analogous combination of two-sample
    Wilcoxon statistics (with weights :math:`1/(n_k + 1)` for that case); Lehmann (1975) gives
    the sum of within-block signed-rank statistics for combining several paired experiments.

    Assumptions: pairs independent within and across strata; under H0 each stratum's
    differences are symmetric about 0.  A stratum-by-treatment interaction (effects of opposite
    signs in different strata) lowers the power: look at each stratum's statistic too.

    Parameters
    ----------
    diffs_by_stratum : mapping ``{stratum label: differences}`` or a sequence of 1-D
        array-likes.  Missing values are dropped and counted; strata without any non-missing
        difference are ignored (not counted in ``n_strata``; they keep R+ = 0 and n = 0 in the
        per-stratum tuples).  At least one non-missing difference overall is required.
    zero_method : "pratt" (default) or "wilcox", applied within each stratum.
    alternative : "two-sided", "greater" or "less".
    method : "auto" (default), "exact" or "approx".

    References
    ----------
    van Elteren P.H. (1960) On the combination of independent two-sample tests of Wilcoxon.
    Bull. Int. Statist. Inst. 37:351-361.  Lehmann E.L. (1975, rev. 2006) Nonparametrics:
    Statistical Methods Based on Ranks, chapter 3 (paired comparisons; combining several
    experiments).  Pratt J.W. (1959) JASA 54:655-667.
    """
    _check_zero_method(zero_method)
    _check_alternative(alternative)
    if method not in ("auto", "exact", "approx"):
        raise ValueError(f"method must be 'auto', 'exact' or 'approx', got {method!r}")
    items = _strata_items(diffs_by_stratum)
    all_ranks: list[np.ndarray] = []
    labels, strata_stats, strata_n = [], [], []
    s2 = t2 = 0
    n = n_nonzero = n_missing = n_strata = 0
    for label, diffs in items:
        values = _to_float_array(diffs, f"stratum {label!r}")
        keep = ~np.isnan(values)
        n_missing += int((~keep).sum())
        d = values[keep]
        labels.append(label)
        if d.size == 0:
            strata_stats.append(0.0)
            strata_n.append(0)
            continue
        n_strata += 1
        ranks2, positive = _signed_doubled_ranks(d, zero_method)
        sk = int(ranks2[positive].sum())
        s2 += sk
        t2 += int(ranks2.sum())
        n += int(d.size)
        n_nonzero += int(ranks2.size)
        all_ranks.append(ranks2)
        strata_stats.append(sk / 2.0)
        strata_n.append(int(d.size))
    if n == 0:
        raise ValueError(f"no non-missing difference in any stratum ({n_missing} missing)")
    null = _make_null(np.concatenate(all_ranks) if all_ranks else np.zeros(0, np.int64))
    pvalue, engine = _tail_pvalue(null, s2 // null.gcd, alternative, method)
    label = _ENGINE_LABEL[engine].replace("signed-rank", "signed-rank stratified by "
                                          f"{n_strata} strata (within-stratum ranks)")
    return StratifiedSignedRankResult(
        statistic=s2 / 2.0,
        r_minus=(t2 - s2) / 2.0,
        expected_statistic=t2 / 4.0,
        pvalue=float(pvalue),
        n=n,
        n_nonzero=n_nonzero,
        n_zero=n - n_nonzero,
        n_missing=n_missing,
        n_strata=n_strata,
        strata=tuple(labels),
        strata_statistics=tuple(strata_stats),
        strata_n=tuple(strata_n),
        min_attainable_p=min_attainable_p(n_nonzero, alternative),
        alternative=alternative,
        zero_method=zero_method,
        exact=engine != "normal",
        method=label,
    )


def pooled_proportion(ks: Any, ns: Any, confidence: float = 0.95,
                      method: str = "exact") -> ProportionCIResult:
    r"""Pooled proportion over several groups: :math:`\sum_k k_j / \sum_k n_j` with its interval.

    The groups (e.g. sessions) are treated as one sample of :math:`\sum n_j` independent people
    with a common probability; the interval is :func:`proportion_ci` on the summed counts
    (Clopper-Pearson by default, ``method="wilson"`` as an option).  Groups with n = 0 (nothing
    measured, e.g. a follow-up not collected yet) add nothing.  This is a *pooled* estimate, not
    a random-effects meta-analysis: when the groups' true shares differ it estimates the share
    in the pooled population, and its interval does not include the between-group variation.

    Raises ``ValueError`` for unequal lengths, counts outside 0..n, or a total n of 0.
    """
    k_list = [_as_count(k, "ks") for k in (list(ks) if not isinstance(ks, (int, np.integer)) else [ks])]
    n_list = [_as_count(v, "ns") for v in (list(ns) if not isinstance(ns, (int, np.integer)) else [ns])]
    if len(k_list) != len(n_list):
        raise ValueError(f"ks and ns must have the same length ({len(k_list)} != {len(n_list)})")
    for k, v in zip(k_list, n_list):
        if v < 0 or not 0 <= k <= v:
            raise ValueError(f"each k must lie in 0..n, got k={k}, n={v}")
    total_n = sum(n_list)
    if total_n < 1:
        raise ValueError("the groups hold no observation (sum of ns is 0)")
    res = proportion_ci(sum(k_list), total_n, confidence=confidence, method=method)
    groups = sum(1 for v in n_list if v > 0)
    return ProportionCIResult(
        k=res.k, n=res.n, estimate=res.estimate, ci_low=res.ci_low, ci_high=res.ci_high,
        confidence=res.confidence, method=f"pooled over {groups} group(s), {res.method}",
    )


__all__ += [
    "StratifiedSignedRankResult",
    "stratified_signed_rank_test",
    "pooled_proportion",
]
