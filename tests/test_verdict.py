"""One verdict rule for the indicator table, stats.paired_summary and the pooled tests."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import REPO

from fac_eval.analysis import comparison as compare
from fac_eval.analysis import results as analysis
from fac_eval.analysis import stats
from fac_eval.analysis.verdict import verdict
from fac_eval.data import codebook as cb


@pytest.mark.parametrize("p, min_p, alpha, improved, expected", [
    (None, 0.01, 0.05, True, "no_data"),
    (math.nan, 0.01, 0.05, True, "no_data"),
    (0.0625, 0.0625, 0.05, True, "not_testable"),  # 5 pairs: 2/2^5 > 5 %
    (0.03125, 0.03125, 0.05, True, "significant_improvement"),  # 6 pairs all up
    (0.03125, 0.03125, 0.05, False, "significant_deterioration"),
    (0.05, 0.03125, 0.05, True, "significant_improvement"),  # p = alpha counts
    (0.0500001, 0.03125, 0.05, True, "no_evidence"),
    (0.01, 0.03125, 0.01, True, "not_testable"),  # the threshold is alpha's
    (0.001, 0.0001, 0.05, None, "no_evidence"),  # no direction: no claim
])
def test_verdict_rule(p, min_p, alpha, improved, expected):
    assert verdict(p, min_p, alpha, improved) == expected


def test_paired_summary_follows_the_rule():
    rng = np.random.default_rng(11)
    seen = set()
    for n in (3, 5, 6, 8, 12):
        for _ in range(15):
            pre = rng.integers(1, 6, n).astype(float)
            post = np.clip(pre + rng.integers(-2, 4, n), 1, 7)
            for hib in (True, False):
                rec = stats.paired_summary(pre, post, higher_is_better=hib)
                test = stats.signed_rank_test(post - pre, zero_method="pratt")
                went_up = test.statistic > test.r_minus
                assert rec.verdict == verdict(rec.p_value, rec.min_attainable_p, 0.05,
                                              went_up == hib), (pre, post, hib)
                seen.add(rec.verdict)
    assert {"not_testable", "significant_improvement", "significant_deterioration",
            "no_evidence"} <= seen


@pytest.mark.parametrize("session", ["2022", "synth-2024"])
def test_indicator_table_follows_the_rule(session):
    """Each learner outcome's verdict, recomputed from the pairs: the smallest attainable p from
    the non-zero differences, the direction from R+ against its expectation, the Holm-adjusted p
    where the outcome is in the family."""
    res = analysis.compute_session(REPO / "data" / "raw" / session)
    t = res.indicators.set_index("indicator")
    verdicts = set()
    for outcome in cb.LEARNER_OUTCOMES:
        row = t.loc[f"learners.{outcome}.improved"]
        d = compare.outcome_differences(res, outcome)  # oriented: > 0 is an improvement
        test = stats.signed_rank_test(d, zero_method="pratt")
        min_p = stats.min_attainable_p(int(np.count_nonzero(d)))
        improved = (None if test.statistic == test.expected_statistic
                    else bool(test.statistic > test.expected_statistic))
        p = row["p_adjusted"] if pd.notna(row["p_adjusted"]) else row["p_value"]
        assert row["verdict"] == verdict(p, min_p, 0.05, improved), outcome
        verdicts.add(row["verdict"])
    assert verdicts & {"significant_improvement", "no_evidence"}


def _smallest_pratt_p_by_enumeration(d: np.ndarray) -> float:
    """The smallest two-sided p-value the exact signed-rank test with Pratt's zeros can reach
    on differences of these magnitudes, by enumerating every sign of the non-zero ones: ranks
    of |d| with the zeros (mid-ranks), T+ the sum of the positive ranks, p = P(|T - E| >=
    |t - E|) under equally likely signs; the minimum over the observable t."""
    import itertools

    from scipy.stats import rankdata

    ranks = rankdata(np.abs(d))
    signed = ranks[d != 0]
    totals = np.array([sum(r for r, s in zip(signed, signs) if s)
                       for signs in itertools.product((0, 1), repeat=len(signed))])
    expected = signed.sum() / 2
    dev = np.abs(totals - expected)
    return float(min((dev >= x - 1e-9).mean() for x in dev))


@pytest.mark.parametrize("d", [
    [0, 0, 1, 2, 3, 4, 5, 6],  # 6 signed differences: 2/64 is within reach at 5 %
    [0, 0, 0, 1, 2, 3, 4, 5],  # 8 pairs but 5 signed: 1/16, out of reach
    [0, 1, 1, 2, 2, 3],        # ties among the signed ones
    [0, 0, 0, 0, 0, 0, 0, 0],  # nothing signed
])
def test_zero_differences_do_not_make_a_test_reachable(d):
    """stats.paired_summary and the indicator table agree on what the test can reach: the
    smallest p-value of the non-zero differences, checked by enumeration, not the number of
    pairs (a zero difference has no sign to flip)."""
    d = np.array(d, dtype=float)
    pre = np.full(d.size, 3.0)
    rec = stats.paired_summary(pre, pre + d, outcome="confidence")
    smallest = _smallest_pratt_p_by_enumeration(d) if np.count_nonzero(d) else 1.0
    assert rec.min_attainable_p == pytest.approx(smallest)
    assert rec.testable == (smallest <= 0.05)
    if smallest > 0.05:
        assert rec.verdict == "not_testable"
    # every signed difference is a rise: the shared rule with the direction "improved"
    assert rec.verdict == verdict(rec.p_value, rec.min_attainable_p, 0.05, True)
