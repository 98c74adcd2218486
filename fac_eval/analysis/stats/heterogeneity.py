"""Heterogeneity between groups (sessions) before pooling them: exact tests.

Two procedures, one per kind of figure a comparison pools:

* :func:`freeman_halton` -- a share per session (k_s of n_s): are the sessions' true shares
  equal? The Fisher-Freeman-Halton exact test on the sessions x (yes / no) table.
* :func:`interaction_permutation_test` -- paired entry/exit scores per session: is the change the
  same in every session? A permutation test of the session x time interaction, which for paired
  data is the comparison of the sessions' entry-to-exit differences.

Both return a :class:`HeterogeneityResult`. A small p-value says the sessions differ: a pooled
figure then describes the pooled population, not a common effect, and must be presented as such.
A large p-value does *not* show the sessions are alike (with a few small sessions the tests have
little power).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np
from scipy import special as _sp_special
from scipy import stats as _sp_stats

from ._inputs import _AsDict, _to_float_array
from .proportions import _as_count

#: Largest number of tables (Freeman-Halton) or of group assignments (permutation test) that
#: the exact enumeration visits; beyond, the documented fallback is used (``exact`` = False).
EXACT_TABLE_BUDGET = 5_000_000
#: Largest table of the two-group subset-sum programme (subset sizes x attainable sums).
EXACT_DP_CELLS = 20_000_000
#: Largest work of that programme (cells times differences, ~0.3 s).
EXACT_DP_WORK = 150_000_000
#: Largest number of assignments enumerated one by one for three groups or more.
EXACT_ASSIGNMENT_BUDGET = 200_000
#: Resamples of the Monte Carlo fallback of :func:`interaction_permutation_test` (fixed seed).
MONTE_CARLO_RESAMPLES = 20_000
#: Beyond this many differences the Monte Carlo fallback gives way to the F approximation.
MONTE_CARLO_MAX_N = 300
_MC_SEED = 20_120_601
# relative tolerance for "as extreme as observed" on floating-point statistics (as R, SciPy)
_REL_TOL = 1e-7


@dataclass(frozen=True)
class HeterogeneityResult(_AsDict):
    """Result of :func:`freeman_halton` and :func:`interaction_permutation_test`.

    statistic : the test statistic (see each function), on the observed data.
    pvalue : probability, under homogeneity, of a statistic at least as extreme.
    n_groups : groups holding at least one observation (the others are ignored).
    n : observations over those groups.
    estimate : the pooled value the test is about (pooled share k/n; mean change), for display.
    exact : False when the fallback (chi-square / Monte Carlo) was used.
    n_enumerated : tables or assignments visited by the exact enumeration (0 otherwise).
    method : plain description of what was computed.
    """

    statistic: float
    pvalue: float
    n_groups: int
    n: int
    estimate: float
    exact: bool
    n_enumerated: int
    method: str


def _counts(ks: Any, ns: Any) -> tuple[list[int], list[int]]:
    k_list = [_as_count(k, "ks") for k in ks]
    n_list = [_as_count(v, "ns") for v in ns]
    if len(k_list) != len(n_list):
        raise ValueError(f"ks and ns must have the same length ({len(k_list)} != {len(n_list)})")
    for k, v in zip(k_list, n_list):
        if v < 0 or not 0 <= k <= v:
            raise ValueError(f"each k must lie in 0..n, got k={k}, n={v}")
    pairs = [(k, v) for k, v in zip(k_list, n_list) if v > 0]
    if not pairs:
        raise ValueError("the groups hold no observation (every n is 0)")
    return [k for k, _ in pairs], [v for _, v in pairs]


def freeman_halton(ks: Any, ns: Any) -> HeterogeneityResult:
    r"""Fisher-Freeman-Halton exact test of equal shares in r groups (an r x 2 table).

    Group s has :math:`k_s` "yes" among :math:`n_s`; :math:`N = \sum n_s`, :math:`K = \sum k_s`.
    Conditionally on both margins, under :math:`H_0` (one common share) the table has the
    multivariate hypergeometric probability

    .. math:: P(k_1, \dots, k_r) = \prod_s \binom{n_s}{k_s} \Big/ \binom{N}{K}.

    The p-value is the total probability of the tables no more probable than the observed one
    (with a relative tolerance of 1e-7, as R's ``fisher.test``):
    :math:`p = \sum_{t: P(t) \le P(t_{obs})} P(t)`. For two groups it is Fisher's exact test
    (two-sided, as ``scipy.stats.fisher_exact``). Every table with the observed margins is
    enumerated (at most :data:`EXACT_TABLE_BUDGET`); beyond, Pearson's chi-square test with
    r - 1 degrees of freedom is used and ``exact`` is False. ``statistic`` is the observed
    table's probability; ``estimate`` the pooled share K / N. Groups with n = 0 are ignored.

    Assumptions: independent people; conditioning on the margins (the usual exact test).
    References: Freeman G.H., Halton J.H. (1951) Note on an exact treatment of contingency,
    goodness of fit and other problems of significance. Biometrika 38:141-149; Mehta C.R.,
    Patel N.R. (1983) JASA 78:427-434; Agresti A. (2002) Categorical Data Analysis, 2nd ed.,
    section 3.5.
    """
    k, n = _counts(ks, ns)
    big_n, big_k = sum(n), sum(k)
    r = len(n)
    log_choose = [_sp_special.gammaln(np.arange(v + 1) + 1.0) for v in n]  # log i!
    def lc(i: int, kk: np.ndarray) -> np.ndarray:  # log C(n_i, kk)
        return log_choose[i][n[i]] - log_choose[i][kk] - log_choose[i][n[i] - kk]
    obs = float(sum(lc(i, np.array([k[i]]))[0] for i in range(r)))
    if r == 1 or big_k in (0, big_n):
        return HeterogeneityResult(obs, 1.0, r, big_n, big_k / big_n, True, 1,
                                   "Fisher-Freeman-Halton exact test (one possible table)")
    # enumerate the partial tables row by row, pruned so that the total K stays reachable
    remaining = np.cumsum([0] + n[::-1])[::-1][1:]  # people in the rows after row i
    sums = np.zeros(1, dtype=np.int64)
    logw = np.zeros(1)
    visited = 0
    for i in range(r):
        if sums.size * (n[i] + 1) > EXACT_TABLE_BUDGET:
            return _chi_square_fallback(k, n)
        kk = np.arange(n[i] + 1, dtype=np.int64)
        s2 = (sums[:, None] + kk[None, :]).ravel()
        w2 = (logw[:, None] + lc(i, kk)[None, :]).ravel()
        keep = (s2 <= big_k) & (s2 + remaining[i] >= big_k)
        sums, logw = s2[keep], w2[keep]
        visited += int(sums.size)
    log_total = float(_sp_special.gammaln(big_n + 1) - _sp_special.gammaln(big_k + 1)
                      - _sp_special.gammaln(big_n - big_k + 1))
    extreme = logw <= obs + math.log1p(_REL_TOL)
    pvalue = float(np.exp(logw[extreme] - log_total).sum())
    return HeterogeneityResult(
        statistic=float(math.exp(obs - log_total)), pvalue=min(1.0, pvalue), n_groups=r,
        n=big_n, estimate=big_k / big_n, exact=True, n_enumerated=int(logw.size),
        method=f"Fisher-Freeman-Halton exact test ({r} x 2 table, {logw.size} tables enumerated)")


def _chi_square_fallback(k: list[int], n: list[int]) -> HeterogeneityResult:
    table = np.array([[a, b - a] for a, b in zip(k, n)], dtype=float)
    chi2, p, dof, _ = _sp_stats.chi2_contingency(table, correction=False)
    return HeterogeneityResult(
        statistic=float(chi2), pvalue=float(p), n_groups=len(n), n=int(sum(n)),
        estimate=sum(k) / sum(n), exact=False, n_enumerated=0,
        method=f"Pearson chi-square test ({len(n)} x 2 table, {dof} df): too many tables for the "
               "exact Fisher-Freeman-Halton enumeration")


def _groups(diffs_by_group: Any) -> list[tuple[Any, np.ndarray]]:
    items = list(diffs_by_group.items()) if isinstance(diffs_by_group, Mapping) else list(
        enumerate(diffs_by_group))
    out = []
    for label, values in items:
        v = _to_float_array(values, f"group {label!r}")
        v = v[~np.isnan(v)]
        if v.size:
            out.append((label, v))
    if not out:
        raise ValueError("no non-missing difference in any group")
    return out


def _integer_scale(values: np.ndarray) -> np.ndarray | None:
    """The values as exact integers (times 10**j, divided by their gcd), or None."""
    for j in range(0, 7):
        scaled = values * 10.0**j
        rounded = np.round(scaled)
        if np.all(np.abs(scaled - rounded) <= 1e-7 * np.maximum(1.0, np.abs(scaled))):
            ints = rounded.astype(np.int64)
            g = reduce(math.gcd, (abs(int(x)) for x in ints), 0) or 1
            return ints // g
    return None


def _ssb(sums: np.ndarray, sizes: np.ndarray, total: float, big_n: int) -> np.ndarray:
    """Between-group sum of squares from the group sums: sum S_g^2 / n_g - S^2 / N."""
    return (sums**2 / sizes).sum(axis=-1) - total**2 / big_n


def interaction_permutation_test(diffs_by_group: Mapping[Any, Any] | Sequence[Any]
                                 ) -> HeterogeneityResult:
    r"""Permutation test of the group x time interaction for paired scores (is the change the
    same in every group?).

    With paired entry/exit scores the group x time interaction of a two-way layout is the
    comparison of the groups' differences :math:`d = x_{exit} - x_{entry}`. Statistic: the
    between-group sum of squares of the differences

    .. math:: B = \sum_g n_g (\bar d_g - \bar d)^2 = \sum_g S_g^2 / n_g - S^2 / N

    (equivalent, under permutation, to the one-way F statistic). Under :math:`H_0` (the
    differences are exchangeable between groups: same distribution of change in every group)
    every assignment of the N observed differences to groups of the observed sizes is equally
    likely; :math:`p = P(B^* \ge B_{obs})`.

    Computation, exact where possible: for two groups B is a function of :math:`|N S_1 - n_1 S|`
    and the distribution of :math:`S_1` (sum of a random :math:`n_1`-subset) is obtained by an
    exact subset-sum dynamic programme on the differences as integers (scores with at most 6
    decimals) while its table stays within :data:`EXACT_DP_CELLS` (and its work within
    :data:`EXACT_DP_WORK`); for more groups every assignment is enumerated when there are at
    most :data:`EXACT_ASSIGNMENT_BUDGET`; otherwise :data:`MONTE_CARLO_RESAMPLES` random assignments
    with a fixed seed give :math:`(b + 1)/(m + 1)` (Phipson & Smyth 2010), and beyond
    :data:`MONTE_CARLO_MAX_N` differences the one-way F test (the large-sample form of the same
    statistic); in both cases ``exact`` is False. ``estimate`` is the mean difference over all
    groups. Ties are handled exactly.

    Assumptions: people independent; exchangeability of the differences under H0 (it tests the
    equality of the change distributions, sensitive to a shift in mean change).
    References: Pesarin F., Salmaso L. (2010) Permutation Tests for Complex Data, Wiley,
    chapter 6 (two-way designs); Good P. (2005) Permutation, Parametric and Bootstrap Tests of
    Hypotheses, 3rd ed., section 3.5; Phipson B., Smyth G.K. (2010) Stat. Appl. Genet. Mol.
    Biol. 9:39.
    """
    groups = _groups(diffs_by_group)
    values = np.concatenate([v for _, v in groups])
    sizes = np.array([v.size for _, v in groups], dtype=np.int64)
    big_n, r = int(values.size), len(groups)
    total = float(values.sum())
    obs_sums = np.array([v.sum() for _, v in groups])
    obs = float(_ssb(obs_sums, sizes.astype(float), total, big_n))
    mean = total / big_n
    if r == 1:
        return HeterogeneityResult(0.0, 1.0, 1, big_n, mean, True, 1,
                                   "permutation test of the group x time interaction (one group)")
    ints = _integer_scale(values)
    if r == 2 and ints is not None:
        # the smaller group first (the statistic is symmetric in the two groups)
        small = int(np.argmin(sizes))
        order = np.concatenate([groups[small][1], groups[1 - small][1]])
        ints = _integer_scale(order)
        n1 = int(sizes[small])
        width = int(np.abs(ints).sum()) + 1 if ints is not None else 0
        if ints is not None and (n1 + 1) * width <= EXACT_DP_CELLS and \
                (n1 + 1) * width * big_n <= EXACT_DP_WORK:
            return _two_groups_exact(ints, n1, obs, mean, big_n)
    n_assign = math.factorial(big_n) // math.prod(math.factorial(int(s)) for s in sizes)
    if n_assign <= EXACT_ASSIGNMENT_BUDGET:
        labels = _all_assignments(sizes)
        sums = np.stack([(values[None, :] * (labels == g)).sum(axis=1) for g in range(r)], axis=1)
        null = _ssb(sums, sizes.astype(float), total, big_n)
        tol = _REL_TOL * max(abs(obs), 1e-12)
        p = float(np.mean(null >= obs - tol))
        return HeterogeneityResult(
            obs, min(1.0, p), r, big_n, mean, True, int(n_assign),
            f"exact permutation test of the group x time interaction ({r} groups, "
            f"{n_assign} assignments enumerated)")
    if big_n > MONTE_CARLO_MAX_N:  # large groups: the permutation F distribution is ~ F
        f = _sp_stats.f_oneway(*(v for _, v in groups))
        p_f = float(f.pvalue) if np.isfinite(f.pvalue) else 1.0
        return HeterogeneityResult(
            obs, p_f, r, big_n, mean, False, 0,
            f"one-way F test on the changes (group x time interaction, {r} groups): too many "
            "people for an exact or Monte Carlo permutation test")
    rng = np.random.default_rng(_MC_SEED)
    bounds = np.cumsum(sizes)[:-1]
    hits = 0
    done = 0
    tol = _REL_TOL * max(abs(obs), 1e-12)
    while done < MONTE_CARLO_RESAMPLES:
        batch = min(20_000, MONTE_CARLO_RESAMPLES - done)
        perm = rng.permuted(np.tile(values, (batch, 1)), axis=1)
        sums = np.stack([part.sum(axis=1) for part in np.split(perm, bounds, axis=1)], axis=1)
        hits += int((_ssb(sums, sizes.astype(float), total, big_n) >= obs - tol).sum())
        done += batch
    return HeterogeneityResult(
        obs, (hits + 1) / (done + 1), r, big_n, mean, False, 0,
        f"Monte Carlo permutation test of the group x time interaction ({r} groups, {done} "
        "random assignments, fixed seed): too many assignments for an exact enumeration")


def _two_groups_exact(ints: np.ndarray, n1: int, obs: float, mean: float, big_n: int
                      ) -> HeterogeneityResult:
    """Exact distribution of S_1 (sum of n1 of the integers) by subset-sum DP; the between-group
    SS is a function of |N S_1 - n1 S|, compared in exact integers."""
    lo = int(np.minimum(ints, 0).sum())
    hi = int(np.maximum(ints, 0).sum())
    width = hi - lo + 1
    # counts[c, s - lo]: number of subsets of size c with sum s (floats: ratios stay exact
    # enough, every operation is an addition of non-negative numbers)
    counts = np.zeros((n1 + 1, width))
    counts[0, -lo] = 1.0
    for x in ints.tolist():
        if x >= 0:
            counts[1:, x:] += counts[:-1, : width - x].copy()
        else:
            counts[1:, : width + x] += counts[:-1, -x:].copy()
    dist = counts[n1]
    s_values = np.arange(lo, hi + 1, dtype=np.int64)
    total = int(ints.sum())
    obs_s1 = int(ints[:n1].sum())
    dev = np.abs(big_n * s_values - n1 * total)
    extreme = dev >= abs(big_n * obs_s1 - n1 * total)
    p = float(dist[extreme].sum() / dist.sum())
    n_assign = math.comb(big_n, n1)
    return HeterogeneityResult(
        obs, min(1.0, p), 2, big_n, mean, True, n_assign,
        f"exact permutation test of the group x time interaction (2 groups, all {n_assign} "
        "assignments, by subset-sum enumeration)")


def _all_assignments(sizes: np.ndarray) -> np.ndarray:
    """Every assignment of N positions to groups of the given sizes: an (M, N) label array."""
    from itertools import combinations

    big_n = int(sizes.sum())
    rows: list[np.ndarray] = [np.full(big_n, -1, dtype=np.int64)]
    for g, size in enumerate(sizes.tolist()[:-1]):
        new_rows = []
        for row in rows:
            free = np.nonzero(row < 0)[0]
            for chosen in combinations(free.tolist(), size):
                nr = row.copy()
                nr[list(chosen)] = g
                new_rows.append(nr)
        rows = new_rows
    out = np.stack(rows)
    out[out < 0] = len(sizes) - 1
    return out
