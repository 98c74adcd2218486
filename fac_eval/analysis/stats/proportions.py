"""Binomial family: sign test, exact McNemar, proportion intervals, pooled proportion, smallest attainable p."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _sp_stats

from ._inputs import _AsDict, _check_alternative, _check_confidence, _clean_1d, _to_float_array


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
    """Result of :func:`proportion_ci`.

    achieved_confidence : the coverage the method *guarantees* for every true proportion. For
        Clopper-Pearson it is the nominal ``confidence``: the exact interval is conservative,
        its coverage is at least that level whatever p (often more with small n), so printing
        the nominal level never overstates it. For Wilson it is ``None``: the coverage is close
        to nominal on average but dips below it for some p, so no level is guaranteed.
    """

    k: int
    n: int
    estimate: float
    ci_low: float
    ci_high: float
    confidence: float
    method: str
    achieved_confidence: float | None = None


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
      Guaranteed coverage >= nominal (conservative); ``achieved_confidence`` is therefore the
      nominal level: a lower bound of the coverage for every p (Hodges-Lehmann, by contrast,
      reports the exact level its interval reaches, which with few pairs is below nominal).
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
        k=k, n=n, estimate=p_hat, ci_low=low, ci_high=high, confidence=float(confidence), method=label,
        achieved_confidence=float(confidence) if method == "exact" else None,
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
        achieved_confidence=res.achieved_confidence,
    )
