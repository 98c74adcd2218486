"""Issue 12, section 6: the comparison pools honestly. Heterogeneity tests between sessions,
checked against full enumeration, SciPy's exact machinery and published examples; the
comparison report shows them beside every pooled figure, flags reconstructed and synthetic
sessions, names its counts and draws no trend with fewer than three sessions."""

from __future__ import annotations

import html as htmlmod
import itertools
import math
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as sps

from fac_eval.analysis import comparison as compare
from fac_eval.analysis import stats
from fac_eval.report.comparison import ComparisonReport

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def _ffh_by_enumeration(ks, ns) -> Fraction:
    """Fisher-Freeman-Halton p-value as an exact fraction: every r x 2 table with the observed
    margins, its hypergeometric probability from binomial coefficients."""
    big_n, big_k = sum(ns), sum(ks)
    denom = math.comb(big_n, big_k)

    def prob(t):
        return Fraction(math.prod(math.comb(v, x) for v, x in zip(ns, t)), denom)

    p_obs = prob(ks)
    return sum((prob(t) for t in itertools.product(*(range(v + 1) for v in ns))
                if sum(t) == big_k and prob(t) <= p_obs), Fraction(0))


@pytest.mark.parametrize("ks, ns", [
    ([1, 3, 3], [4, 4, 3]),
    ([0, 2, 5, 1], [3, 4, 5, 2]),
    ([8, 6], [8, 12]),
    ([7, 8, 2], [8, 12, 5]),
    ([2, 2, 2], [4, 4, 4]),  # every row alike: p = 1
])
def test_freeman_halton_equals_full_enumeration(ks, ns):
    res = stats.freeman_halton(ks, ns)
    assert res.exact
    assert res.pvalue == pytest.approx(float(_ffh_by_enumeration(ks, ns)), rel=1e-12)
    assert res.estimate == sum(ks) / sum(ns)


def test_freeman_halton_two_groups_is_fishers_exact_test():
    # published: Fisher's tea-tasting (Agresti 2002, table 3.8; R ?fisher.test): p = 0.4857
    assert stats.freeman_halton([3, 1], [4, 4]).pvalue == pytest.approx(0.4857, abs=5e-5)
    # R ?fisher.test, Fisher's twin convictions (2 of 12 vs 10 of 13 convicted): p = 0.0005367
    assert stats.freeman_halton([2, 10], [17, 13]).pvalue == pytest.approx(0.0005367, abs=5e-7)
    for a, b, c, d in [(8, 0, 6, 6), (1, 9, 11, 3), (0, 5, 5, 0), (3, 3, 3, 3)]:
        expected = sps.fisher_exact([[a, b], [c, d]]).pvalue
        assert stats.freeman_halton([a, c], [a + b, c + d]).pvalue == pytest.approx(expected)


def test_freeman_halton_input_rules():
    assert stats.freeman_halton([3, 0], [3, 0]).n_groups == 1  # an empty session is ignored
    with pytest.raises(ValueError):
        stats.freeman_halton([5], [4])
    with pytest.raises(ValueError):
        stats.freeman_halton([1, 2], [3])


def _f(*groups, axis=-1):
    return sps.f_oneway(*groups, axis=axis).statistic


def _interaction_by_enumeration(groups) -> float:
    """Share of all assignments of the pooled differences to groups of the observed sizes whose
    between-group sum of squares reaches the observed one (brute force)."""
    values = [x for g in groups for x in g]
    sizes = [len(g) for g in groups]

    def ssb(parts):
        grand = sum(values) / len(values)
        return sum(len(p) * (sum(p) / len(p) - grand) ** 2 for p in parts)

    obs = ssb(groups)
    hits = total = 0
    idx = range(len(values))
    for first in itertools.combinations(idx, sizes[0]):
        rest = [i for i in idx if i not in first]
        seconds = itertools.combinations(rest, sizes[1]) if len(sizes) > 2 else [tuple(rest)]
        for second in seconds:
            third = [i for i in rest if i not in second]
            parts = [[values[i] for i in first], [values[i] for i in second]]
            if len(sizes) > 2:
                parts.append([values[i] for i in third])
            total += 1
            hits += ssb(parts) >= obs - 1e-9
    return hits / total


@pytest.mark.parametrize("groups", [
    ([1, 2, 3, -1, 4.5], [0, 0, 1, -2, 0.5, 1]),
    ([4, 3, 8, -1, 6, 6, 2, 4], [2, 0, 1, -1, 3, 2, 0, 1, 1, -2]),  # ties, zeros
    ([2.78, 3.33, 0.0], [1.11, -0.56, 0.0, 2.22]),  # prorated scores (2 decimals)
])
def test_interaction_test_two_sessions_equals_enumeration_and_scipy(groups):
    res = stats.interaction_permutation_test({"a": groups[0], "b": groups[1]})
    assert res.exact and res.n_enumerated == math.comb(sum(map(len, groups)), len(groups[0]))
    assert res.pvalue == pytest.approx(_interaction_by_enumeration(groups), abs=1e-12)
    ref = sps.permutation_test(groups, _f, permutation_type="independent", vectorized=True,
                               n_resamples=np.inf, alternative="greater")
    assert res.pvalue == pytest.approx(ref.pvalue, abs=1e-12)


def test_interaction_test_three_sessions_exact_and_monte_carlo():
    groups = ([1, 2, 3], [0, 0, 1.5], [-1, 2])
    res = stats.interaction_permutation_test(groups)
    assert res.exact and res.n_enumerated == math.factorial(8) // (6 * 6 * 2)
    assert res.pvalue == pytest.approx(_interaction_by_enumeration(list(groups)), abs=1e-12)
    ref = sps.permutation_test(groups, _f, permutation_type="independent", vectorized=True,
                               n_resamples=np.inf, alternative="greater")
    assert res.pvalue == pytest.approx(ref.pvalue, abs=1e-12)
    # too many assignments: a fixed-seed Monte Carlo, said to be approximate, close to exact
    big = ([1, 2, 3, -1, 4.5], [0, 0, 1, -2, 0.5, 1], [2, 2, 0, 1])
    mc = stats.interaction_permutation_test(big)
    assert not mc.exact and "Monte Carlo" in mc.method
    ref = sps.permutation_test(big, _f, permutation_type="independent", vectorized=True,
                               n_resamples=np.inf, alternative="greater")
    assert mc.pvalue == pytest.approx(ref.pvalue, abs=0.005)
    assert stats.interaction_permutation_test(big).pvalue == mc.pvalue  # deterministic


# --------------------------------------------------------------------------------------------
# The comparison report
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def comp():
    return compare.compare_sessions("2022,synth-2024", raw_dir=RAW)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", htmlmod.unescape(html)))


def test_pooled_table_carries_heterogeneity_tests(comp):
    conf = comp.pooled_row("learners.confidence.improved")
    per = comp.per_session[comp.per_session["indicator"] == "learners.confidence.improved"]
    k = per["numerator"].astype(int).tolist()
    n = per["denominator"].astype(int).tolist()
    assert (k, n) == ([8, 6], [8, 12])
    table = [[k[0], n[0] - k[0]], [k[1], n[1] - k[1]]]
    assert conf["het_p"] == pytest.approx(sps.fisher_exact(table).pvalue)
    assert conf["heterogeneous"]  # p = 0.04: the sessions differ
    d = {s.name: compare.outcome_differences(s, "confidence") for s in comp.sessions}
    ref = sps.permutation_test(list(d.values()), _f, permutation_type="independent",
                               vectorized=True, n_resamples=np.inf, alternative="greater")
    assert conf["interaction_p"] == pytest.approx(ref.pvalue, abs=1e-12)
    assert conf["flagged_sessions"] == "2022:reconstructed,synth-2024:synthetic"
    # the pooled Holm family is the codebook's primary outcomes; secondary ones stay raw
    assert np.isnan(comp.pooled_row("learners.autonomy.improved")["p_holm"])


def test_comparison_report_pools_honestly(comp):
    fr = ComparisonReport(comp)
    pooled = _text(fr.pooled().data)
    assert "Entre sessions (p)" in pooled and "Session × évolution (p)" in pooled
    assert "0,042 : écart entre sessions" in pooled  # a gap, not "les sessions diffèrent"
    # both tests together (round 6): the share and the change in scores, for confidence
    assert ("part en progrès : p = 0,042 (test exact de Fisher-Freeman-Halton) ; évolution des "
            "scores : p = 0,139") in pooled
    assert "Ce chiffre regroupé décrit leurs participants pris ensemble" in pooled
    # reconstructed and synthetic sessions flagged beside every pooled figure
    n_findings = len(re.findall(r"Sessions : (?:2022|synth)", pooled))
    assert n_findings == len([i for i in compare.POOLED_INDICATORS
                              if not np.isnan(comp.pooled_row(i)["denominator"])])
    # (in brackets inside a parenthesis: the pooled tests' caption)
    assert (pooled.count("2022 (données reconstituées)")
            + pooled.count("2022 [données reconstituées]")) >= 2 * n_findings - 1
    assert "synth-2024 (données synthétiques)" in pooled
    # counts named exactly
    assert "15 sur 20 apprenants ayant répondu aux deux questionnaires (75 %)" in pooled
    assert "6 sur 12 apprenants comptés au suivi, sorties neutralisées exclues (50 %)" in pooled
    # two sessions: no trend
    trends = _text(fr.trends().data)
    assert "Sessions côte à côte" in trends and "tendance n'est lue" in trends
    assert fr.section_title_text("trends") == "Sessions côte à côte"
    methods = _text(fr.methods().data)
    assert "van Elteren" not in methods and "Fisher-Freeman-Halton" in methods
    indicators = _text(fr.indicators().data)
    assert "se chevauchent largement" not in indicators
    assert "test exact de Fisher-Freeman-Halton" in indicators
    en = _text(ComparisonReport(comp, lang="en").pooled().data)
    assert "0.042: gap between sessions" in en and "2022 (reconstructed data)" in en
    assert "15 of 20 learners with both questionnaires (75%)" in en


def test_trend_chart_draws_no_line_through_two_sessions(comp):
    from fac_eval.report.comparison import trend_chart

    fig = trend_chart(comp.per_session, lang="fr")
    mpl = getattr(fig, "figure", fig)
    lines = [ln for ax in mpl.axes for ln in ax.get_lines()
             if len(ln.get_xdata()) > 1 and ln.get_linestyle() not in ("None", "none", "")]
    assert lines == []
