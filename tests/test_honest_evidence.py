"""Issue 12, sections 1, 3, 4 and 5: the export says where each figure comes from; intervals say
the level they achieve; reliable change on a fixed yardstick; primary outcomes declared in advance.

Every statistical value is checked against an independent computation (full enumeration of the
sign patterns, binomial sums, Holm by hand), never against the code itself.
"""

from __future__ import annotations

import html as htmlmod
import itertools
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats as sps

from fac_eval import report
from fac_eval.analysis import indicators, stats
from fac_eval.analysis import results as analysis
from fac_eval.data import codebook as cb
from fac_eval.data.codebook_model import wording
from fac_eval.data.validation import ValidationError
from fac_eval.report import export

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def r2022(shipped):
    return shipped["2022"]


@pytest.fixture(scope="module")
def rsynth(shipped):
    return shipped["synth-2024"]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", htmlmod.unescape(html)))


# --------------------------------------------------------------------------------------------
# 1. The Excel export carries the data kind and the evidence classes
# --------------------------------------------------------------------------------------------

def test_export_carries_data_kind_and_evidence_in_each_language(r2022, tmp_path):
    from openpyxl import load_workbook

    t = r2022.indicators
    for lang, kind, published, illustrative, headers in (
        ("fr", "reconstituées", "publié", "illustratif",
         ("Nature des données", "Statut du chiffre (k sur n et son intervalle)", "Statut du test")),
        ("en", "reconstructed", "published", "illustrative",
         ("Kind of data", "Evidence class (k of n and its interval)", "Evidence class (test)")),
    ):
        path = export.indicators_xlsx(t, tmp_path / f"x_{lang}.xlsx", lang=lang)
        wb = load_workbook(path)
        ws = wb.worksheets[0]
        head = [c.value for c in ws[1]]
        for h in headers:
            assert h in head, (lang, h)
        rows = {r[head.index(export.header("indicator", lang))]: r
                for r in ws.iter_rows(min_row=2, values_only=True)}
        col = {h: head.index(h) for h in headers}
        conf = rows["learners.confidence.improved"]
        assert conf[col[headers[0]]] == kind
        assert conf[col[headers[1]]] == published  # "tous ont bien plus confiance": fixed
        assert conf[col[headers[2]]] == illustrative  # its test: invented by the reconstruction
        assert rows["learners.projection.improved"][col[headers[1]]] == illustrative
        # the read-me sheet explains the new columns
        about = [r for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True)]
        meaning = dict(about)
        assert all(meaning[h] for h in headers)


# --------------------------------------------------------------------------------------------
# 3. Achieved confidence
# --------------------------------------------------------------------------------------------

def _coverage_by_enumeration(n: int, confidence: float = 0.95) -> float:
    """Share of the 2**n equally likely sign patterns (shift 0, continuous symmetric
    differences) whose Hodges-Lehmann interval contains the true shift 0: the exact coverage,
    found by computing every interval, not from the signed-rank distribution."""
    magnitudes = np.sqrt(np.array([2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43])[:n])
    covered = 0
    for signs in itertools.product((-1.0, 1.0), repeat=n):
        d = magnitudes * np.array(signs)
        res = stats.hodges_lehmann(d, confidence=confidence)
        covered += res.ci_low <= 0.0 <= res.ci_high
    return covered / 2**n


def _walsh_interval_level(n: int, confidence: float = 0.95) -> float:
    """The level by the signed-rank distribution, enumerated: R's rule for the rank k of the
    interval [W_(k), W_(N+1-k)], then 1 - 2 P(V <= k - 1)."""
    counts = np.zeros(n * (n + 1) // 2 + 1)
    for signs in itertools.product((0, 1), repeat=n):
        counts[sum(r for r, s in zip(range(1, n + 1), signs) if s)] += 1
    cdf = np.cumsum(counts) / 2**n
    q = int(np.searchsorted(cdf, (1 - confidence) / 2 * (1 - 1e-12), side="left"))
    k = max(q, 1)
    return 1 - 2 * cdf[k - 1]


def test_four_pairs_achieve_87_5_percent_not_95():
    assert _coverage_by_enumeration(4) == 0.875  # 14 of the 16 sign patterns
    assert _walsh_interval_level(4) == 0.875
    res = stats.hodges_lehmann([1.0, -2.0, 3.0, 4.0])
    assert res.confidence == 0.95 and res.achieved_confidence == 0.875


@pytest.mark.parametrize("n", [8, 12])
def test_achieved_level_for_8_and_12_pairs_matches_enumeration(n):
    achieved = stats.hodges_lehmann(np.arange(1.0, n + 1)).achieved_confidence
    assert achieved == pytest.approx(_coverage_by_enumeration(n), abs=1e-12)
    assert achieved == pytest.approx(_walsh_interval_level(n), abs=1e-12)
    # published critical values (Wilcoxon signed-rank tables, two-sided 5 %): T = 3 for n = 8,
    # T = 13 for n = 12, i.e. k = T + 1 and a level 1 - 2 P(V <= T)
    t_crit = {8: 3, 12: 13}[n]
    p_tail = sum(1 for s in itertools.product((0, 1), repeat=n)
                 if sum(r for r, b in zip(range(1, n + 1), s) if b) <= t_crit) / 2**n
    assert achieved == pytest.approx(1 - 2 * p_tail)


def test_clopper_pearson_guarantees_its_nominal_level():
    # the achieved (guaranteed) level of an exact binomial interval is the nominal one: the
    # coverage, summed over k by the binomial law, never falls below it on a fine grid of p
    for n in (4, 8, 14):
        ints = [stats.proportion_ci(k, n) for k in range(n + 1)]
        assert {c.achieved_confidence for c in ints} == {0.95}
        grid = np.linspace(0.0005, 0.9995, 1999)
        cover = [sum(sps.binom.pmf(k, n, p) for k, c in enumerate(ints)
                     if c.ci_low <= p <= c.ci_high) for p in grid]
        assert min(cover) >= 0.95 - 1e-9
    assert stats.proportion_ci(3, 8, method="wilson").achieved_confidence is None


def test_indicator_table_and_report_print_the_achieved_level(r2022):
    t = r2022.indicators.set_index("indicator")
    founders = t.loc["founders.digital_culture.improved"]
    assert founders["denominator"] == 4 and founders["effect_confidence"] == 0.875
    assert founders["confidence"] == 0.95
    fr = _text(report.Report(r2022).founders().data)
    en = _text(report.Report(r2022, lang="en").founders().data)
    assert "(IC à 87,5 %)" in fr and "(87.5% CI)" in en
    # the 8 learners' intervals reach 1 - 10/256 = 96.1 %, printed as such, never "95 %" for them
    learners = _text(report.Report(r2022).learners().data)
    assert t.loc["learners.self_esteem.improved", "effect_confidence"] == pytest.approx(1 - 10 / 256)
    assert "(IC à 96,1 %)" in learners


# --------------------------------------------------------------------------------------------
# 4. Reliable change on a fixed yardstick
# --------------------------------------------------------------------------------------------

def test_rci_threshold_is_the_same_in_two_sessions_and_computed_from_the_codebook(r2022, rsynth):
    scale = cb.SCALES["self_esteem"]
    sd, r = scale.norm_sd, scale.reliability
    assert sd == 5.0 and r == 0.84 and wording(scale.norm_sd_source, "en") and wording(scale.norm_sd_source, "fr")
    by_hand = 1.96 * sd * math.sqrt(2 * (1 - r))
    thresholds = []
    for res in (r2022, rsynth):
        row = res.indicators.set_index("indicator").loc["learners.self_esteem.reliable_improvement"]
        thresholds.append(row["threshold"])
        # and the per-person categories follow that threshold, recomputed by hand
        P = res.clean.learner_pairs
        pairs = P[P["outcome"] == "self_esteem"].dropna(subset=["entry", "exit"])
        change = pairs["exit"].to_numpy(float) - pairs["entry"].to_numpy(float)
        assert row["numerator"] == int((change > by_hand).sum())
        assert row["denominator"] == len(pairs)
    assert thresholds[0] == thresholds[1] == pytest.approx(by_hand)
    # the cohorts' own entry SDs differ: the threshold does not follow them
    sds = [res.clean.learner_pairs.query("outcome == 'self_esteem'")["entry"].std()
           for res in (r2022, rsynth)]
    assert abs(sds[0] - sds[1]) > 0.1


def test_methods_cite_the_yardstick_and_its_provenance(r2022):
    fr = _text(report.Report(r2022).methods().data)
    en = _text(report.Report(r2022, lang="en").methods().data)
    assert "Vallières et Vallerand (1990)" in fr and "Vallières & Vallerand (1990)" in en
    assert "Écart-type de référence : aucun écart-type normatif n'a pu être sourcé" in fr
    assert "standard deviation: no normative SD could be sourced" in en
    assert "5,5 points" in fr and "5.5 points" in en  # 1.96 * 5 * sqrt(0.32) = 5.54
    assert "écart-type des scores d'entrée du groupe" not in _text(
        report.Report(r2022).learners().data)


def test_home_made_scales_have_no_invented_yardstick():
    for name in ("digital_skills", "soft_skills"):
        s = cb.SCALES[name]
        assert s.reliability is None and s.norm_sd is None and "no published norm" in wording(s.norm_sd_source, "en")


# --------------------------------------------------------------------------------------------
# 5. Primary outcomes declared in advance
# --------------------------------------------------------------------------------------------

def _row(outcome: str, p: float, role: str) -> indicators.Indicator:
    return indicators.Indicator("s", "learners", "outcomes", f"learners.{outcome}.improved", "", "",
                                6, 8, 0.75, p_value=p, family="learners.outcomes",
                                verdict="pending_holm", test_direction="improvement",
                                min_attainable_p=2 ** -7, role=role)


def _holm_by_hand(ps: list[float]) -> list[float]:
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    m, out, running = len(ps), [0.0] * len(ps), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        out[i] = running
    return out


def test_adding_a_secondary_outcome_never_changes_a_primary_result():
    primary_p = [0.012, 0.03, 0.04]
    expected = _holm_by_hand(primary_p)  # 0.036, 0.06, 0.06
    assert expected == pytest.approx([0.036, 0.06, 0.06])
    for extra in ([], [0.0001], [0.0001, 0.2, 0.9]):
        rows = [_row(f"o{i}", p, "primary") for i, p in enumerate(primary_p)]
        rows += [_row(f"x{i}", p, "secondary") for i, p in enumerate(extra)]
        indicators.apply_holm(rows, 0.05)
        assert [r.p_adjusted for r in rows[:3]] == pytest.approx(expected)
        assert [r.verdict for r in rows[:3]] == ["significant_improvement", "no_evidence",
                                                 "no_evidence"]
        assert all(r.p_adjusted is None for r in rows[3:])  # raw p only, exploratory
    # a tiny secondary p-value keeps its raw reading, outside the family
    assert rows[3].verdict == "significant_improvement" and rows[3].p_value == 0.0001


def test_session_yml_declares_its_own_primary_outcomes(tmp_path, r2022):
    session = tmp_path / "2022"
    shutil.copytree(RAW / "2022", session)
    meta_path = session / "session.yml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["primary_outcomes"] = ["self_esteem", "autonomy"]
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    t = analysis.compute_session(session).indicators.set_index("indicator")
    raw = t.loc[["learners.self_esteem.improved", "learners.autonomy.improved"], "p_value"].tolist()
    assert t.loc[["learners.self_esteem.improved", "learners.autonomy.improved"],
                 "p_adjusted"].tolist() == pytest.approx(_holm_by_hand(raw))
    assert t.loc["learners.confidence.improved", "role"] == "secondary"
    assert pd.isna(t.loc["learners.confidence.improved", "p_adjusted"])
    fr = _text(report.Report(analysis.compute_session(session)).methods().data)
    # a reconstructed session: designated knowing the published results (round 6)
    assert "désignés dans la description de la session" in fr and "session.yml" not in fr
    # the default family (codebook): its primary outcomes and Holm over them, by hand
    d = r2022.indicators.set_index("indicator")
    prim = [f"learners.{o}.improved" for o in cb.PRIMARY_OUTCOMES if o in cb.LEARNER_OUTCOMES]
    assert d.loc[prim, "p_adjusted"].tolist() == pytest.approx(
        _holm_by_hand(d.loc[prim, "p_value"].tolist()))


@pytest.mark.parametrize("value, expected", [
    (["self_esteem", "bogus"], "primary_outcomes[2]"),
    (["confidence", "confidence"], "primary_outcomes[2]"),
])
def test_invalid_primary_outcomes_are_located(tmp_path, value, expected):
    session = tmp_path / "2022"
    shutil.copytree(RAW / "2022", session)
    meta_path = session / "session.yml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["primary_outcomes"] = value
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        analysis.compute_session(session)
    messages = " ".join(p.message("fr") for p in err.value.problems)
    assert expected in messages
