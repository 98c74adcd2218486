"""Comparing sessions: the stratified exact test, pooled proportions and the comparison report.

Expected values come from independent computations: full enumeration of the sign flips of every
pair across all strata (ranks from ``scipy.stats.rankdata`` within each stratum), hand
computations with exact fractions, ``scipy.stats.beta`` (Clopper-Pearson) and statsmodels' Holm.
The report is rendered once (module fixture) in a temporary project: nothing is written to the
repository's ``reports/``.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as ss
from statsmodels.stats.multitest import multipletests

from fac_eval.analysis import comparison as compare
from fac_eval.analysis import stats as S
from fac_eval.core.formatting import fmt_count
from fac_eval.data import codebook as cb
from fac_eval.disclosure import privacy
from fac_eval.report.comparison import TITLES as _COMPARISON_TITLES
from fac_eval.report.comparison import ComparisonReport
from fac_eval.report.i18n import messages as _messages
from fac_eval.run import cli, compare_run, outputs
from fac_eval.run.pipeline import Paths

ROOT = Path(__file__).resolve().parents[1]


def comparison_titles(lang):
    """The comparison's section titles in ``lang``."""
    return [_messages(lang)._(t) for t in _COMPARISON_TITLES.values()]

# ---------------------------------------------------------------------------
# Reference: full enumeration of the sign flips across strata
# ---------------------------------------------------------------------------


def _stratum_ranks(d, zero_method):
    d = np.asarray(d, dtype=float)
    d = d[~np.isnan(d)]
    nz = d != 0
    if zero_method == "pratt":
        ranks = ss.rankdata(np.abs(d))[nz] if d.size else np.zeros(0)
    else:
        ranks = ss.rankdata(np.abs(d[nz])) if nz.any() else np.zeros(0)
    return ranks, d[nz] > 0


def enumerate_stratified(strata, zero_method="pratt"):
    """(observed statistic, p_greater, p_less, p_two_sided) over all 2**n sign patterns."""
    ranks, signs = [], []
    for d in strata:
        r, s = _stratum_ranks(d, zero_method)
        ranks.append(r)
        signs.append(s)
    ranks = np.concatenate(ranks) if ranks else np.zeros(0)
    positive = np.concatenate(signs) if signs else np.zeros(0, bool)
    observed = float(ranks[positive].sum())
    n = ranks.size
    if n == 0:
        return observed, 1.0, 1.0, 1.0
    patterns = (np.arange(2**n)[:, None] >> np.arange(n)) & 1
    sums = patterns @ ranks
    eps = 1e-9
    p_greater = float(np.mean(sums >= observed - eps))
    p_less = float(np.mean(sums <= observed + eps))
    return observed, p_greater, p_less, min(1.0, 2 * min(p_greater, p_less))


# ---------------------------------------------------------------------------
# stratified_signed_rank_test
# ---------------------------------------------------------------------------


def test_stratified_hand_computation():
    # stratum 1: -1, 2, 3 -> ranks 1, 2, 3, R+ = 5; stratum 2: 5, -4 -> ranks 2, 1, R+ = 2.
    # S = 7 of T = 9; P(S >= 7) = P(complement sum <= 2) over the multiset {1, 2, 3, 1, 2}:
    # {}, {1}, {1'}, {2}, {2'}, {1, 1'} -> 6 of 32 patterns; two-sided 2 * 6/32 = 3/8.
    res = S.stratified_signed_rank_test({"A": [-1, 2, 3], "B": [5, -4]})
    assert res.statistic == 7.0 and res.r_minus == 2.0 and res.expected_statistic == 4.5
    assert res.pvalue == pytest.approx(3 / 8, abs=1e-12)
    assert res.n == 5 and res.n_nonzero == 5 and res.n_strata == 2
    assert res.strata == ("A", "B") and res.strata_statistics == (5.0, 2.0)
    assert res.strata_n == (3, 2)
    assert S.stratified_signed_rank_test({"A": [-1, 2, 3], "B": [5, -4]},
                                         alternative="greater").pvalue == pytest.approx(6 / 32)
    # all positive: the most extreme pattern, 1/32 one-sided
    res = S.stratified_signed_rank_test([[1, 2, 3], [4, 5]])
    assert res.pvalue == pytest.approx(2 / 32, abs=1e-12)
    assert res.min_attainable_p == pytest.approx(2 / 32)


def test_ranks_are_within_strata():
    # ranked together, 10 and 20 would dominate; within strata each stratum's ranks are 1..n
    res = S.stratified_signed_rank_test({"a": [1, -2, 3], "b": [-10, 20, 30]})
    assert res.strata_statistics == (4.0, 5.0)
    assert res.statistic == 9.0
    pooled = S.signed_rank_test([1, -2, 3, -10, 20, 30])
    assert pooled.statistic != res.statistic


@pytest.mark.parametrize("zero_method", ["pratt", "wilcox"])
@pytest.mark.parametrize("seed", range(12))
def test_matches_enumeration_across_strata(seed, zero_method):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 5))
    strata = [rng.integers(-3, 4, size=int(rng.integers(1, 6))).astype(float) for _ in range(k)]
    if sum(int(np.count_nonzero(d)) for d in strata) > 16:
        strata = strata[:2]
    observed, p_g, p_l, p_2 = enumerate_stratified(strata, zero_method)
    for alt, expected in (("greater", p_g), ("less", p_l), ("two-sided", p_2)):
        if not any(np.count_nonzero(d) for d in strata):
            continue
        res = S.stratified_signed_rank_test(strata, zero_method=zero_method, alternative=alt)
        assert res.statistic == pytest.approx(observed)
        assert res.pvalue == pytest.approx(expected, rel=1e-9, abs=1e-15)
        assert res.exact


def test_ties_and_zeros_within_each_stratum():
    strata = {"s1": [0, 1, 1, -1, 2, 2, 2], "s2": [0, 0, 3, 3, -1.5], "s3": [2.5]}
    observed, p_g, p_l, p_2 = enumerate_stratified(list(strata.values()))
    res = S.stratified_signed_rank_test(strata)
    assert res.statistic == pytest.approx(observed)
    assert res.pvalue == pytest.approx(p_2, rel=1e-9)
    assert res.n_zero == 3 and res.n == 13


def test_one_stratum_is_the_signed_rank_test():
    d = [0, 1, 1, -1, 2, 2, 2, 3, -0.5, 4]
    one = S.stratified_signed_rank_test({"only": d})
    ref = S.signed_rank_test(d)
    assert one.statistic == ref.statistic and one.r_minus == ref.r_minus
    assert one.pvalue == ref.pvalue


def test_missing_values_and_empty_strata():
    res = S.stratified_signed_rank_test({"a": [1.0, np.nan, 2.0], "b": [np.nan], "c": []})
    assert res.n_missing == 2 and res.n_strata == 1 and res.strata_n == (2, 0, 0)
    with pytest.raises(ValueError):
        S.stratified_signed_rank_test({"a": [np.nan]})
    with pytest.raises(ValueError):
        S.stratified_signed_rank_test({})
    with pytest.raises(TypeError):
        S.stratified_signed_rank_test(pd.DataFrame({"a": [1, 2]}))
    with pytest.raises(ValueError):
        S.stratified_signed_rank_test([[1, 2]], alternative="bigger")
    all_zero = S.stratified_signed_rank_test([[0, 0], [0]])
    assert all_zero.pvalue == 1.0 and all_zero.statistic == 0.0


def test_many_strata_stay_exact_and_fast():
    rng = np.random.default_rng(3)
    strata = {f"s{i}": rng.integers(-2, 5, size=12) for i in range(50)}
    res = S.stratified_signed_rank_test(strata)
    assert res.exact and res.n == 600 and 0 <= res.pvalue < 1e-6


# ---------------------------------------------------------------------------
# pooled_proportion
# ---------------------------------------------------------------------------


def test_pooled_proportion_by_hand():
    res = S.pooled_proportion([6, 9, 0], [8, 12, 0])
    assert (res.k, res.n) == (15, 20) and res.estimate == 0.75
    assert res.ci_low == pytest.approx(ss.beta.ppf(0.025, 15, 6))
    assert res.ci_high == pytest.approx(ss.beta.ppf(0.975, 16, 5))
    assert "2 group" in res.method
    wilson = S.pooled_proportion([6, 9], [8, 12], method="wilson")
    assert wilson.ci_low == S.proportion_ci(15, 20, method="wilson").ci_low
    with pytest.raises(ValueError):
        S.pooled_proportion([1], [1, 2])
    with pytest.raises(ValueError):
        S.pooled_proportion([3], [2])
    with pytest.raises(ValueError):
        S.pooled_proportion([0, 0], [0, 0])


# ---------------------------------------------------------------------------
# The comparison report, in a temporary project
# ---------------------------------------------------------------------------

SYNTH = {  # name: (learners, founders, seed, follow-up)
    "s-a": (6, 3, 11, True),
    "s-b": (6, 2, 12, False),
}
SESSIONS = ["2022", "s-a", "s-b"]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("fac_compare")
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "raw" / "2022", raw / "2022")
    for name, (n, m, seed, fu) in SYNTH.items():
        args = ["synth", name, "--learners", str(n), "--founders", str(m), "--seed", str(seed),
                "--out", str(raw / name)] + (["--followup"] if fu else [])
        assert cli.main(args) == 0
    (root / "notebooks").symlink_to(ROOT / "notebooks", target_is_directory=True)
    return root


@pytest.fixture(scope="module")
def rendered(project):
    """One render of the comparison report (the only kernel run of this module)."""
    paths = Paths(project)
    html_path = compare_run.run_comparison(SESSIONS, name="test-cmp", paths=paths)
    raw = html_path.read_text(encoding="utf-8")
    return html_path, html_lib.unescape(raw), raw


@pytest.fixture(scope="module")
def computed(project):
    return compare.compare_sessions(",".join(SESSIONS), raw_dir=project / "data" / "raw")


def test_report_written_where_expected(project, rendered):
    html_path, html, _ = rendered
    out = project / "reports" / "comparaisons" / "test-cmp"
    assert html_path == out / "comparaison_test-cmp.html"
    assert sorted(p.name for p in out.iterdir()) == [
        "comparaison_test-cmp.html",
        "comparaison_test-cmp_ensemble.csv", "comparaison_test-cmp_sessions.csv"]
    # the executed notebook is the evaluator's working file, never in reports/
    assert (project / "data" / "processed" / "comparaisons" / "test-cmp"
            / "comparaison_test-cmp.ipynb").is_file()
    assert not list(out.parent.glob(".test-cmp.*"))  # no temporary folder left behind
    assert not (ROOT / "reports" / "comparaisons" / "test-cmp").exists()


def test_report_is_self_contained_and_complete(rendered):
    _, html, _ = rendered
    assert '<span class="timestamp">' in html
    assert "<title>Comparaison de sessions (2022, s-b, s-a)" in html
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', html)
    assert "def " not in html and "compare.compare_sessions" not in html  # no code
    for title in comparison_titles("fr"):
        assert title in html
    # banner: one reconstructed and two synthetic sessions
    assert "banner-synthetic" in html
    text = html_lib.unescape(html)  # French typography: no-break space before ":"
    assert "session 2022\u00a0: données reconstituées" in text
    assert "sessions s-b, s-a\u00a0: données synthétiques" in text
    # one forest chart per key indicator + the trend chart, numbered
    n_figures = len(re.findall(r"<strong>Figure \d+\.</strong>", html))
    assert n_figures == len(compare.KEY_INDICATORS) + 1
    assert len(re.findall(r'<svg [^>]*role="img"', html)) == n_figures


def test_report_privacy(computed, rendered):
    _, html, raw = rendered
    assert computed.participant_ids  # every session's learners and founders
    assert privacy.find_leaks(raw, participant_ids=computed.participant_ids) == []
    # the scan would catch an id: plant one in a copy
    planted = raw.replace("</main>", f"<p>{computed.participant_ids[0]}</p></main>")
    assert privacy.find_leaks(planted, participant_ids=computed.participant_ids)
    # the one breakdown (pooled follow-up situations) applies the follow-up rule: the detail
    # of dynamic exits only when every session's own detail is publishable, else its total
    F = computed.followup
    assert F.attrs["detail_publishable"] == all(
        privacy.followup_detail_publishable(
            [int(s.indicators.set_index("indicator").loc[i, "numerator"])
             for i in privacy.FOLLOWUP_DETAIL]) for s in computed.sessions
        if s.clean.followup is not None)
    if not F.attrs["detail_publishable"]:
        assert "Le détail des sorties dynamiques n'est pas publié" in html
        assert "Emploi de transition" not in html


def _hand_pooled(sessions_results, indicator):
    ks, ns = [], []
    for r in sessions_results:
        row = r.indicators.set_index("indicator").loc[indicator]
        if pd.notna(row["denominator"]) and row["denominator"] > 0:
            ks.append(int(row["numerator"]))
            ns.append(int(row["denominator"]))
    k, n = sum(ks), sum(ns)
    low = 0.0 if k == 0 else ss.beta.ppf(0.025, k, n - k + 1)
    high = 1.0 if k == n else ss.beta.ppf(0.975, k + 1, n - k)
    return k, n, low, high, len(ns)


def test_pooled_figures_match_hand_computation(computed, rendered, project):
    _, html, _ = rendered
    assert computed.names == ["2022", "s-b", "s-a"]  # start-date order, not name order
    pooled_csv = pd.read_csv(project / "reports" / "comparaisons" / "test-cmp"
                             / "comparaison_test-cmp_ensemble.csv", encoding="utf-8-sig")
    for ind in compare.POOLED_INDICATORS:
        k, n, low, high, n_sessions = _hand_pooled(computed.sessions, ind)
        row = computed.pooled_row(ind)
        assert (row["numerator"], row["denominator"], row["n_sessions"]) == (k, n, n_sessions)
        assert row["ci_low"] == pytest.approx(low) and row["ci_high"] == pytest.approx(high)
        csv_row = pooled_csv[pooled_csv["indicator"] == ind].iloc[0]
        assert (csv_row["numerator"], csv_row["denominator"]) == (k, n)
        # shown as "k sur n <what is counted> (p %)" (counts named exactly, issue 12)
        shown = re.sub(r"\s+", " ", html_lib.unescape(html))
        pct = re.sub(r"\s+", " ", fmt_count(k, n).split("(")[-1])
        assert re.search(rf"\b{k} sur {n} [^<(]*\({re.escape(pct)}", shown), ind
    # sortie dynamique: only s-a has a follow-up
    assert computed.pooled_row("followup.sortie_dynamique")["n_sessions"] == 1

    # stratified exact tests: full enumeration of sign flips within sessions, then Holm
    p_raw, testable = {}, {}
    for outcome in cb.LEARNER_OUTCOMES:
        strata = []
        for r in computed.sessions:
            P = r.clean.learner_pairs
            sub = P[P["outcome"] == outcome].dropna(subset=["entry", "exit"])
            strata.append(np.round((sub["exit"] - sub["entry"]).to_numpy(float), 10))
        observed, _, _, p2 = enumerate_stratified(strata)
        row = computed.pooled_row(f"learners.{outcome}.improved")
        assert row["statistic"] == pytest.approx(observed)
        assert row["p_value"] == pytest.approx(p2, rel=1e-9)
        assert row["n_pairs"] == sum(len(d) for d in strata)
        n_nonzero = sum(int(np.count_nonzero(d)) for d in strata)
        p_raw[outcome] = p2
        testable[outcome] = 2.0 ** (1 - n_nonzero) <= 0.05
    # the Holm family: the primary outcomes declared in the codebook (issue 12), whatever their
    # testability; the secondary ones keep their raw p-value
    family = [o for o in cb.LEARNER_OUTCOMES if o in cb.PRIMARY_OUTCOMES]
    holm = multipletests([p_raw[o] for o in family], method="holm")[1]
    for o in cb.LEARNER_OUTCOMES:
        if o not in family:
            assert np.isnan(computed.pooled_row(f"learners.{o}.improved")["p_holm"])
    for o, p_adj in zip(family, holm):
        row = computed.pooled_row(f"learners.{o}.improved")
        assert row["p_holm"] == pytest.approx(p_adj, rel=1e-9)
        if not testable[o]:
            assert row["verdict"] == "not_testable"
            continue
        assert row["verdict"] in ("significant_improvement", "significant_deterioration",
                                  "no_evidence")
        assert (row["verdict"] != "no_evidence") == (p_adj <= 0.05)


def test_per_session_rows_are_the_sessions_own_figures(computed):
    for r in computed.sessions:
        own = r.indicators.set_index("indicator")
        mine = computed.per_session[computed.per_session["session"] == r.name].set_index("indicator")
        for ind in compare.KEY_INDICATORS:
            assert mine.loc[ind, "numerator"] == own.loc[ind, "numerator"] or (
                pd.isna(mine.loc[ind, "numerator"]) and pd.isna(own.loc[ind, "numerator"]))


def test_english_sections_render_in_process(computed):
    rep = ComparisonReport(computed, lang="en")
    html = "".join(html_lib.unescape(getattr(rep, s)().data) for s in ("header", "toc", "sessions", "indicators",
                                                     "trends", "pooled", "methods", "provenance"))
    assert "Estimates over all sessions" in html and "Overall (3 sessions)" in html  # alt text
    assert "stratified p" in html and "Reconstructed or synthetic data" in html
    assert " sur " not in re.sub(r"<[^>]+>", " ", html.split("Provenance")[0])


def test_cli_compare_refuses_bad_input(project, monkeypatch, capsys):
    monkeypatch.setenv("FAC_EVAL_RAW", str(project / "data" / "raw"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(project / "reports-cli"))
    with pytest.raises(SystemExit) as usage:  # one session: a usage error, exit code 2
        cli.main(["compare", "s-a"])
    assert usage.value.code == 2 and "au moins deux sessions" in capsys.readouterr().err
    assert cli.main(["compare", "s-a", "nope"]) == 1
    assert "introuvable" in capsys.readouterr().err
    # a path for a name is a usage error (exit 2), refused before any work
    assert cli.main(["compare", "s-a", "s-b", "--name", "../evil"]) == 2
    assert not (project / "reports-cli").exists() or not any((project / "reports-cli").rglob("*.html"))


def test_notebook_is_thin_and_clean():
    nb = json.loads((ROOT / "notebooks" / compare.NOTEBOOK).read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "fac-eval"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    src = "\n".join("".join(c["source"]) for c in code)
    assert not re.search(r"^\s*(def|class)\s", src, flags=re.M)
    params = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    for name in ("sessions: str", "lang: str", "alpha: float", "confidence: float",
                 "min_cell: int"):
        assert name in "".join(params[0]["source"])


def test_each_language_of_the_comparison_is_its_own_file(project):
    """French then English: comparaison_<n>.html and comparison_<n>_en.html side by side, the
    French file untouched by the English run."""
    paths = Paths(project)
    fr = compare_run.run_comparison(SESSIONS[:2], name="langs", paths=paths)
    before = fr.read_bytes()
    res = compare_run.run_comparison_report(SESSIONS[:2], name="langs", lang="en", paths=paths)
    out = project / "reports" / "comparaisons" / "langs"
    assert res.html == out / "comparison_langs_en.html" and res.pdf is None
    assert fr == out / "comparaison_langs.html" and fr.read_bytes() == before
    assert '<html lang="en"' in res.html.read_text(encoding="utf-8")
    assert '<html lang="fr"' in fr.read_text(encoding="utf-8")
    work = project / "data" / "processed" / "comparaisons" / "langs"
    assert sorted(p.name for p in work.glob("*.ipynb")) == ["comparaison_langs.ipynb",
                                                            "comparison_langs_en.ipynb"]
    # each language's CSV tables under its own names, the French ones kept by the English run
    assert sorted(p.name for p in out.glob("*.csv")) == [
        "comparaison_langs_ensemble.csv", "comparaison_langs_sessions.csv",
        "comparison_langs_pooled_en.csv", "comparison_langs_sessions_en.csv"]
    fr_pooled = pd.read_csv(out / "comparaison_langs_ensemble.csv", encoding="utf-8-sig")
    en_pooled = pd.read_csv(out / "comparison_langs_pooled_en.csv", encoding="utf-8-sig")
    assert list(en_pooled["indicator"]) == list(fr_pooled["indicator"])
    # each row says what it is worth and reads as the report's tables (issue 12)
    for table in (fr_pooled, en_pooled):
        assert {"evidence", "evidence_inference", "reading"} <= set(table.columns)
        assert table["evidence"].isin(["synthetic", "illustrative", "published",
                                       "observed"]).all()
    assert fr_pooled["reading"].str.contains("exploratoire").any()
    assert en_pooled["reading"].str.contains("exploratory").any()
    assert list(en_pooled["numerator"]) == list(fr_pooled["numerator"])
    assert outputs.comparison_tables("x", "en") == ("comparison_x_sessions_en.csv",
                                                    "comparison_x_pooled_en.csv")
    # French again with another threshold: the English files say other things, so they go
    again = compare_run.run_comparison_report(SESSIONS[:2], name="langs", lang="fr", paths=paths,
                                              parameters={"alpha": 0.1})
    english = ["comparison_langs_en.html", "comparison_langs_en.ipynb",
               "comparison_langs_sessions_en.csv", "comparison_langs_pooled_en.csv"]
    assert sorted(again.dropped) == sorted(english)
    assert not [n for n in english if (out / n).exists() or (work / n).exists()]
    assert (out / "comparaison_langs.html").read_bytes() != before
