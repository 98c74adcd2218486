"""Statistical correctness of the indicator table: exact differences, direction of significant
tests, the confidence level everywhere, and the Holm family named in the report."""

from __future__ import annotations

import html as htmlmod
import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, make_project
from scipy.stats import beta

from fac_eval import report
from fac_eval.analysis import evidence, indicators, stats
from fac_eval.analysis import results as analysis
from fac_eval.report import export, narrative
from fac_eval.run import pipeline
from fac_eval.run.pipeline import Paths

NBSP = "\u00a0"


def _pairs(entry, exit_, outcome):
    """A pairs table as ``cleaning.pair_waves`` makes it (direction from the raw difference)."""
    entry = np.asarray(entry, dtype=float)
    exit_ = np.asarray(exit_, dtype=float)
    sign = np.sign(exit_ - entry)
    return pd.DataFrame({
        "learner_id": [f"L{i:02d}" for i in range(len(entry))],
        "outcome": outcome, "entry": entry, "exit": exit_, "change": exit_ - entry,
        "direction": np.select([sign > 0, sign == 0, sign < 0],
                               ["improved", "unchanged", "worsened"], "missing"),
    })


def _outcome_row(pairs, outcome, alpha=0.05, confidence=0.95):
    rows = indicators._paired_outcome_rows("t", "learners", "outcomes", "learners", outcome,
                                           pairs, alpha, confidence)
    indicators.apply_holm(rows, alpha)
    return rows[0]


# ---------------------------------------------------------------------------------------------
# B1: differences of prorated scores are compared exactly
# ---------------------------------------------------------------------------------------------

# Prorated self-esteem scores (rounded to 2 decimals). In exact arithmetic the differences are
# 0.5, 1, 1.5, 2, -2.22, 2.22, 2.22, 4, 5; in floating point 30.0 - 32.22 = -2.219999999999999
# while 27.78 - 25.56 = 2.2200000000000024, which breaks the tie of rank 5-7.
ENTRY = [20.0, 20.0, 20.0, 20.0, 32.22, 25.56, 25.56, 20.0, 20.0]
EXIT = [20.5, 21.0, 21.5, 22.0, 30.0, 27.78, 27.78, 24.0, 25.0]


def test_prorated_noise_does_not_break_ties():
    exact = [float(Decimal(str(b)) - Decimal(str(a))) for a, b in zip(ENTRY, EXIT)]
    assert exact[4] == -exact[5]  # tied in exact arithmetic
    noisy = np.array(EXIT) - np.array(ENTRY)
    assert abs(noisy[4]) != abs(noisy[5])  # ... not in floating point
    assert stats.signed_rank_test(noisy).pvalue == pytest.approx(20 / 512)  # spuriously < 5 %
    expected = stats.signed_rank_test(exact)
    assert expected.pvalue == pytest.approx(28 / 512)

    row = _outcome_row(_pairs(ENTRY, EXIT, "self_esteem"), "self_esteem")
    assert row.p_value == pytest.approx(expected.pvalue, rel=1e-12)
    assert row.statistic == expected.statistic
    assert row.verdict == "no_evidence"
    hl = stats.hodges_lehmann(exact, confidence=0.95)
    assert (row.effect, row.effect_ci_low, row.effect_ci_high) == pytest.approx(
        (hl.estimate, hl.ci_low, hl.ci_high), abs=1e-12)
    assert row.effect_ci_low == 0.0  # not 1.8e-15
    assert (row.numerator, row.denominator) == (8, 9)


def test_improved_count_uses_the_same_exact_differences():
    # an exact zero that floating point turns into +5.6e-17 is "unchanged", as in the test
    entry = [0.3, 2.0, 2.0, 3.0]
    exit_ = [0.1 + 0.2, 3.0, 1.0, 3.0]
    assert exit_[0] - entry[0] > 0
    row = _outcome_row(_pairs(entry, exit_, "confidence"), "confidence")
    diffs, _ = stats.paired_differences(entry, exit_)
    assert (row.numerator, row.denominator) == (int((diffs > 0).sum()), 4) == (1, 4)
    assert row.note.startswith("Avec 2 paires non nulles")  # the noise is not a non-zero pair


# ---------------------------------------------------------------------------------------------
# B2: the direction of a significant result comes from the test
# ---------------------------------------------------------------------------------------------

def test_many_ties_significant_improvement_not_deterioration():
    # 21 learners on a 1-4 item: 15 unchanged, 6 up by one point, nobody worse
    entry = [2.0] * 15 + [2.0] * 6
    exit_ = [2.0] * 15 + [3.0] * 6
    row = _outcome_row(_pairs(entry, exit_, "projection"), "projection")
    assert row.effect == 0.0  # Hodges-Lehmann: most Walsh averages are 0
    assert row.p_value == pytest.approx(2 / 64)
    assert row.p_adjusted == pytest.approx(2 / 64)
    assert row.verdict == "significant_improvement"


def test_many_ties_significant_deterioration():
    entry = [3.0] * 21
    exit_ = [3.0] * 15 + [2.0] * 6
    row = _outcome_row(_pairs(entry, exit_, "projection"), "projection")
    assert row.effect == 0.0
    assert row.verdict == "significant_deterioration"


def test_direction_takes_higher_is_better_into_account(monkeypatch):
    monkeypatch.setattr(indicators, "_higher_is_better", lambda outcome: False)
    entry = [2.0] * 21
    exit_ = [2.0] * 15 + [3.0] * 6  # scores went up: worse when lower is better
    row = _outcome_row(_pairs(entry, exit_, "projection"), "projection")
    assert row.verdict == "significant_deterioration"
    assert row.numerator == 0  # nobody improved
    down = _outcome_row(_pairs(exit_, entry, "projection"), "projection")
    assert down.verdict == "significant_improvement" and down.numerator == 6


# ---------------------------------------------------------------------------------------------
# B3: the confidence level flows everywhere
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def results_90():
    return analysis.compute_session(REPO / "data" / "raw" / "2022", confidence=0.9)


def _clopper_pearson(k, n, level):
    a = 1 - level
    lo = 0.0 if k == 0 else beta.ppf(a / 2, k, n - k + 1)
    hi = 1.0 if k == n else beta.ppf(1 - a / 2, k + 1, n - k)
    return lo, hi


def test_every_interval_is_at_the_requested_level(results_90):
    t = results_90.indicators
    # the indicator columns, then where each figure comes from (issue: honest evidence)
    assert list(t.columns) == indicators.COLUMNS + list(evidence.COLUMNS)
    with_ci = t[t["ci_low"].notna()]
    for must in ("learners.rqth", "learners.unemployed_over_24m", "learners.completed",
                 "founders.stage_creation", "learners.self_esteem.improved"):
        assert must in set(with_ci["indicator"])
    assert (with_ci["section"] == "profile_breakdown").any()
    for _, r in with_ci.iterrows():
        lo, hi = _clopper_pearson(int(r["numerator"]), int(r["denominator"]), 0.9)
        assert (r["ci_low"], r["ci_high"]) == pytest.approx((lo, hi), abs=1e-9), r["indicator"]
        assert r["confidence"] == 0.9, r["indicator"]
    # the Hodges-Lehmann intervals too
    P = results_90.clean.learner_pairs
    se = P[P["outcome"] == "self_esteem"].dropna(subset=["entry", "exit"])
    hl = stats.hodges_lehmann(stats.paired_differences(se["entry"], se["exit"])[0], confidence=0.9)
    row = indicators.lookup(t, "learners.self_esteem.improved")
    assert (row["effect_ci_low"], row["effect_ci_high"]) == pytest.approx((hl.ci_low, hl.ci_high))


def _text(block) -> str:
    return htmlmod.unescape(re.sub(r'src="data:[^"]*"', "", block.data))


# a 95 % level anywhere (not a bound such as "40–95 %")
BANNED_95 = r"IC\s95|95%\sCI|à\s95\s*%|exact\s95%|95%\sconfidence|95\s*%\sdes"


@pytest.mark.parametrize("lang, want, banned", [
    ("fr", f"IC 90{NBSP}%", BANNED_95),
    ("en", "90% CI", BANNED_95),
])
def test_report_sections_show_the_requested_level(results_90, lang, want, banned):
    rep = report.Report(results_90, lang=lang)
    texts = {name: _text(getattr(rep, name)()) for name in ("public", "learners", "founders",
                                                            "methods")}
    for name in ("public", "learners", "founders"):
        assert want in texts[name], name
    # the one-sided bound of an interval ending at 0 % or 100 % is at (1 + level) / 2, 95 %
    # for a 90 % interval: said as such, it claims no 95 % interval
    one_sided = r"unilatérale à 95\s*%|one-sided 95% confidence"
    for name, text in texts.items():
        text = re.sub(one_sided, "", text)
        assert not re.search(banned, text), (name, re.search(f".{{60}}{banned}.{{20}}", text))
    level = "90" + (NBSP if lang == "fr" else "") + "%"
    assert f"{'exact à ' if lang == 'fr' else 'exact '}{level}" in texts["founders"]  # chart caption
    assert level in texts["methods"]
    # the tests table's header and the Hodges-Lehmann interval of the test sentences
    assert re.search(r"<th[^>]*>" + re.escape(want) + "</th>",
                     htmlmod.unescape(rep.tests_table(["learners.self_esteem.improved"], "c")))


def test_test_sentence_labels_the_interval_at_its_level(results_90):
    row = indicators.lookup(results_90.indicators, "learners.self_esteem.improved")
    # 8 pairs at a nominal 90 %: the exact interval's rank is k = 6 (P(V <= 5) = 10/256 < 0.05
    # <= P(V <= 6) = 14/256), so it achieves 1 - 20/256 = 92.2 %, and says so
    assert row["effect_confidence"] == pytest.approx(1 - 20 / 256)
    assert f"IC 92,2{NBSP}%" in narrative.test_sentence(row, "fr")
    assert "90% CI" in narrative.test_sentence(row, "en", level=0.9)
    assert "IC 95" not in narrative.test_sentence(row, "fr")
    assert "IC 90" not in narrative.test_sentence(row, "fr")


def test_pipeline_passes_confidence_to_the_indicators(tmp_path, monkeypatch):
    paths = Paths(make_project(tmp_path, sessions=("2022",)))
    seen = {}

    class Stop(Exception):
        pass

    def fake_prepare(session, paths, lang="fr", **options):
        seen.update(options)
        raise Stop

    monkeypatch.setattr(pipeline, "prepare_session", fake_prepare)
    with pytest.raises(Stop):
        pipeline.run_session("2022", parameters={"confidence": "0.9"}, paths=paths)
    assert seen.get("confidence") == 0.9


def test_processed_table_and_export_at_the_requested_level(tmp_path):
    paths = Paths(make_project(tmp_path, sessions=("2022",)))
    results = pipeline.prepare_session("2022", paths, confidence=0.9)
    csv = pd.read_csv(paths.processed / "2022" / "indicators.csv")
    row = csv[csv["indicator"] == "learners.rqth"].iloc[0]
    lo, hi = _clopper_pearson(int(row["numerator"]), int(row["denominator"]), 0.9)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi), abs=1e-9)
    assert row["confidence"] == 0.9
    [xlsx] = pipeline.write_exports(results, tmp_path)
    about = pd.read_excel(xlsx, sheet_name="Lisez-moi")
    meaning = " ".join(about.iloc[:, 1].astype(str))
    assert f"exact à 90{NBSP}%" in meaning and "95" not in meaning
    assert export._confidence_level(results.indicators) == 0.9


# ---------------------------------------------------------------------------------------------
# B5: the report says which outcomes form the Holm family
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def results_2022():
    return analysis.compute_session(REPO / "data" / "raw" / "2022")


def _table_block(html: str, marker: str) -> str:
    tables = re.findall(r'<div class="table-wrap[^"]*">.*?</div>', htmlmod.unescape(html), flags=re.S)
    return next(t for t in tables if marker in t)


def test_holm_caption_counts_the_primary_outcomes(results_2022):
    t = results_2022.indicators
    inds = [f"learners.{o}.improved" for o in indicators.cb.LEARNER_OUTCOMES]
    shown = t[t["indicator"].isin(inds)]
    n_primary = int((shown["role"] == "primary").sum())
    assert n_primary == len(set(indicators.cb.PRIMARY_OUTCOMES) & set(indicators.cb.LEARNER_OUTCOMES))
    assert shown.loc[shown["role"] == "primary", "p_adjusted"].notna().all()
    assert shown.loc[shown["role"] == "secondary", "p_adjusted"].isna().all()
    # 2022 is reconstructed: its answers were built after the assessment was published, so
    # its primary outcomes are not "declared in advance" (the methods say so; a reader found
    # the table note saying the opposite)
    block = _table_block(report.Report(results_2022).learners().data, "Wilcoxon")
    assert f"ajustée (Holm) sur les {n_primary} résultats principaux désignés dans le " \
           "dictionnaire des données" in block
    assert "déclarés à l'avance" not in block
    block_en = _table_block(report.Report(results_2022, lang="en").learners().data, "Wilcoxon")
    assert f"Holm-adjusted over the {n_primary} primary outcomes designated in the codebook" \
        in block_en
    assert "after the assessment was published" in block_en and "in advance" not in block_en
    # a synthetic (or real) session's codebook precedes its data: declared in advance
    synth = analysis.compute_session(REPO / "data" / "raw" / "synth-2024")
    block = _table_block(report.Report(synth).learners().data, "Wilcoxon")
    assert "résultats principaux déclarés à l'avance" in block
    assert "Résultats principaux, déclarés à l'avance" in block


def test_holm_note_names_primary_secondary_and_descriptive_outcomes(results_2022):
    # an outcome whose test cannot reach alpha is named as descriptive; secondary ones exploratory
    table = results_2022.indicators.copy()
    hit = table["indicator"] == "learners.projection.improved"
    table.loc[hit, ["verdict"]] = ["not_testable"]
    from dataclasses import replace

    rep = report.Report(replace(results_2022, indicators=table))
    block = _table_block(rep.learners().data, "Wilcoxon")
    note = re.search(r'<p class="table-note">(.*?)</p>', block).group(1)
    family, rest = note.split("Résultats secondaires")
    secondary, outside = rest.split("Descriptifs avec ces données")
    # lists after a colon go on in lower case (French typography)
    assert "estime de soi" in family and "capacité à me projeter" in family
    assert "autonomie" in secondary and "autonomie" not in family
    assert "capacité à me projeter" in outside
    assert "(exploratoire)" in block
    # founders (n = 4): the one primary outcome is a family of one, not testable
    founders = _table_block(rep.founders().data, "sur chaque dimension")
    assert "(famille de 1 test, correction de Holm)" in founders and "culture numérique" in founders
