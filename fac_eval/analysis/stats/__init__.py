"""Statistical procedures for very small paired samples (cohorts of 4 to 30 people).

The style follows ``scipy.stats`` / ``pingouin``: one function per procedure,
plain numbers or array-likes in, a small frozen dataclass out.  Every function
is pure and deterministic (see the last paragraph of the contents for the one exception).

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
freeman_halton        Fisher-Freeman-Halton exact test of equal shares in r groups (r x 2)
interaction_permutation_test  permutation test of the group x time interaction (paired scores)

Every function draws no random number, except the documented Monte Carlo fallback of
:func:`interaction_permutation_test` (fixed seed, so still deterministic) when the
assignments are too many to enumerate.
"""

from __future__ import annotations

from ._inputs import (  # noqa: F401  (private helpers kept reachable as fac_eval.analysis.stats._...)
    _ALTERNATIVES,
    _ZERO_METHODS,
    _AsDict,
    _check_alternative,
    _check_confidence,
    _check_zero_method,
    _clean_1d,
    _paired_arrays,
    _to_float_array,
)
from ._null import (  # noqa: F401
    _ENGINE_LABEL,
    _FFT_TAIL_EPS,
    _INT_DP_MAX_N,
    EXACT_COST_BUDGET,
    _cdf_dp,
    _counts_dp_int,
    _doubled_midranks,
    _dp_cost,
    _fft_cost,
    _fft_window,
    _lower_tail,
    _lower_tail_dp,
    _lower_tail_fft,
    _lower_tail_normal,
    _make_null,
    _Null,
    _pmf_dp,
    _signed_doubled_ranks,
    _tail_pvalue,
)
from .change import (  # noqa: F401
    VERDICTS,
    PairedSummary,
    ReliableChangeResult,
    _verdict,
    paired_differences,
    paired_summary,
    paired_summary_table,
    reliable_change,
)
from .location import HodgesLehmannResult, hodges_lehmann
from .multiplicity import holm
from .proportions import (  # noqa: F401
    McNemarResult,
    ProportionCIResult,
    SignTestResult,
    _as_count,
    _binary_array,
    _binom_half_pvalue,
    mcnemar_exact,
    min_attainable_p,
    pooled_proportion,
    proportion_ci,
    sign_test,
)
from .ranks import (  # noqa: F401
    RankBiserialResult,
    SignedRankResult,
    StratifiedSignedRankResult,
    _strata_items,
    rank_biserial,
    signed_rank_test,
    stratified_signed_rank_test,
)

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

__all__ += [
    "StratifiedSignedRankResult",
    "stratified_signed_rank_test",
    "pooled_proportion",
]

from .heterogeneity import (  # noqa: E402
    HeterogeneityResult,
    freeman_halton,
    interaction_permutation_test,
)

__all__ += ["HeterogeneityResult", "freeman_halton", "interaction_permutation_test"]
