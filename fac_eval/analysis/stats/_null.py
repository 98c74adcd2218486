"""Exact conditional null distribution of the signed-rank statistic (engines shared by the rank tests)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import reduce

import numpy as np
from scipy import fft as _sp_fft
from scipy import optimize as _sp_optimize
from scipy import special as _sp_special
from scipy import stats as _sp_stats

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
