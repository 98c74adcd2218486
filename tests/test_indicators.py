"""Indicators and the published claims: every 2022 figure computed from the data."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
import yaml
from conftest import REPO

from fac_eval.analysis import claims, indicators
from fac_eval.analysis import results as analysis
from fac_eval.core.formatting import fmt_count
from fac_eval.data import cleaning
from fac_eval.run import cli


@pytest.fixture(scope="module")
def results_2022():
    return analysis.compute_session(REPO / "data" / "raw" / "2022")


def test_every_published_2022_figure_matches(results_2022):
    table = results_2022.claims
    seed = (REPO.parent / "shared" / "seeds" / "000_b96b6ab22750092d.txt")
    assert len(table) == 24
    assert table["matches"].all(), table[~table["matches"]]
    # the claims quote the published text
    if seed.exists():
        text = seed.read_text(encoding="utf-8")
        for quote in ("88% ont gagné en estime de soi", "6 personnes sur 8 en situation de handicap",
                      "75% des porteurs de projet déclarent avoir gagné du temps"):
            assert quote in text
            assert any(quote in c for c in table["text"])


def test_claims_command_prints_each_claim_and_exits_0(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path))
    assert cli.main(["claims", "2022"]) == 0
    out = capsys.readouterr().out
    assert "24/24 affirmations concordent." in out
    assert "88% ont gagné en estime de soi" in out and fmt_count(7, 8) in out


def test_claims_command_exits_1_on_a_mismatch(tmp_path, monkeypatch, capsys):
    import shutil

    shutil.copytree(REPO / "data" / "raw" / "2022", tmp_path / "2022")
    path = tmp_path / "2022" / "claims.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["claims"][6]["percent"] = 90  # self-esteem: 88 % published
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("FAC_EVAL_RAW", str(tmp_path))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "processed"))
    assert cli.main(["claims", "2022"]) == 1
    out = capsys.readouterr().out
    assert "[ÉCART] 88% ont gagné en estime de soi" in out
    assert "23/24" in out


@pytest.mark.parametrize("value, stated, ok", [
    ((7, 8), {"percent": 88}, True),      # 87.5 % published as 88 %
    ((7, 8), {"percent": 87}, False),
    ((5, 8), {"percent": 63}, True),      # half up, as published figures are rounded
    ((8, 8), {"all": True}, True),
    ((7, 8), {"all": True}, False),
    ((4, 8), {"share": 0.5}, True),
    ((2, 2), {"fraction": [2, 2]}, True),
    ((2, 3), {"fraction": [2, 2]}, False),
    ((1, 4), {"at_most_percent": 25}, True),
    ((2, 4), {"at_most_percent": 25}, False),
    ((8, 8), {"count": 8}, True),
])
def test_claim_matching_rules(value, stated, ok):
    k, n = value
    table = pd.DataFrame([{"indicator": "x", "numerator": k, "denominator": n, "value": k / n}])
    spec = {"claims": [{"id": "c", "text": "t", "indicator": "x", **stated}]}
    assert bool(claims.check_claims(table, spec)["matches"].iloc[0]) is ok


def test_a_claim_on_an_unknown_indicator_does_not_match():
    table = pd.DataFrame([{"indicator": "x", "numerator": 1, "denominator": 1, "value": 1.0}])
    out = claims.check_claims(table, {"claims": [{"id": "c", "text": "t", "indicator": "y", "all": True}]})
    assert not out["matches"].iloc[0] and out["computed"].iloc[0] == "indicateur absent"


def test_bad_claims_file_lists_every_problem(tmp_path):
    p = tmp_path / "claims.yml"
    p.write_text("claims:\n  - id: a\n    text: t\n  - id: a\n    text: u\n    indicator: x\n"
                 "    percent: 5\n    all: true\n", encoding="utf-8")
    with pytest.raises(claims.ClaimsFileError) as err:
        claims.load_claims(p)
    msg = str(err.value)
    # the questionnaires' format: file, line, key, value, expectation
    assert "claims.yml, ligne 2, clé « indicator » : valeur manquante" in msg
    assert "claims.yml, ligne 8, clé « all » : valeur non reconnue, valeur « true » — " \
           "attendu : un seul chiffre par affirmation" in msg
    assert "ligne 4, clé « id » : identifiant en double, valeur « a »" in msg


def test_2022_indicator_table(results_2022):
    t = results_2022.indicators.set_index("indicator")
    assert list(results_2022.indicators.columns[:13]) == [
        "session", "population", "section", "indicator", "label_fr", "label_en", "numerator",
        "denominator", "value", "ci_low", "ci_high", "test", "statistic"]
    for col in ("p_value", "p_adjusted", "note"):
        assert col in results_2022.indicators.columns
    se = t.loc["learners.self_esteem.improved"]
    assert (se.numerator, se.denominator) == (7, 8)
    assert se.ci_low == pytest.approx(0.4735, abs=1e-4) and se.ci_high == pytest.approx(0.9968, abs=1e-4)
    # exact signed-rank p for changes +4 +3 +8 -1 +6 +6 +2 +4: only the sign of rank 1 is negative
    # -> P(S- <= 1) = 2/256, two-sided 4/256
    assert se.p_value == pytest.approx(4 / 256)
    # Holm over the 4 primary learner outcomes declared in the codebook (confidence 2/256,
    # digital skills 2/256, self-esteem 4/256, projection 8/256): times 4, 3, 2, 1 and the
    # running maximum give 8/256 for each; secondary outcomes keep their raw p only
    for o in ("confidence", "digital_skills", "self_esteem", "projection"):
        assert t.loc[f"learners.{o}.improved"].p_adjusted == pytest.approx(8 / 256)
    assert pd.isna(t.loc["learners.autonomy.improved"].p_adjusted)
    assert se.verdict == "significant_improvement"
    # founders: n = 4, no test can reach 5 %: descriptive, no adjusted p
    lead = t.loc["founders.leadership_skills.improved"]
    assert lead.verdict == "not_testable" and pd.isna(lead.p_adjusted)
    assert "aucun test exact ne peut atteindre" in lead.note
    ceiling = t.loc["founders.digital_culture_gained"]
    assert (ceiling.numerator, ceiling.denominator) == (3, 4) and "plafond" in ceiling.note
    # one result, one definition: no "among those who could improve" (3 of 3) beside it
    assert "founders.digital_culture_gained_eligible" not in t.index


def test_followup_pending_when_not_collected(results_2022):
    t = results_2022.indicators
    fu = t[t["section"] == "followup"]
    assert len(fu) == 9
    assert (fu["verdict"] == "pending").all()
    assert fu["numerator"].isna().all() and fu["denominator"].isna().all()  # not zeros
    # its planned date (8 October 2022) is past: absent from these data (issue #12)
    assert fu["note"].str.contains("ses résultats ne figurent pas dans ces données").all()
    # without the planned date: the reconstruction invented the end date it is counted from
    assert fu["note_en"].eq("A 3-month follow-up was planned; its results are not in these "
                            "data.").all()


def _followup_clean(rows, neutralised=None):
    df = pd.DataFrame(rows, columns=["learner_id", "responded", "situation", "digital_sector"])
    df["responded"] = df["responded"].astype("boolean")
    df["digital_sector"] = df["digital_sector"].astype("boolean")
    kw = {} if neutralised is None else {"neutralised": neutralised}
    fu = cleaning.classify_followup(df, **kw)
    return SimpleNamespace(name="fixture", meta={"followup_months": 3}, followup=fu)


FIXTURE = [
    ("L1", True, "cdi", True),                     # durable
    ("L2", True, "cdd_6m_plus", False),            # durable
    ("L3", True, "cdd_under_6m", True),            # transition
    ("L4", True, "qualifying_training", True),     # positive
    ("L5", True, "job_seeker", pd.NA),             # other
    ("L6", True, "inactive", pd.NA),               # other
    ("L7", True, "moved_away", pd.NA),             # neutralised
    ("L8", True, "long_illness", pd.NA),           # neutralised
    ("L9", False, pd.NA, pd.NA),                   # no news
    ("L10", False, pd.NA, pd.NA),                  # no news
]


def test_sortie_dynamique_by_hand():
    rows = {r.indicator: r for r in indicators.followup_indicators(_followup_clean(FIXTURE))}
    # 10 followed up, 2 neutralised -> denominator 8; durable 2 + transition 1 + positive 1 = 4
    rate = rows["followup.sortie_dynamique"]
    assert (rate.numerator, rate.denominator, rate.value) == (4, 8, 0.5)
    # among respondents: 8 - 2 non-respondents = 6
    resp = rows["followup.sortie_dynamique_respondents"]
    assert (resp.numerator, resp.denominator) == (4, 6)
    assert (rows["followup.durable"].numerator, rows["followup.transition"].numerator,
            rows["followup.positive"].numerator, rows["followup.other"].numerator) == (2, 1, 1, 2)
    assert (rows["followup.neutralised"].numerator, rows["followup.neutralised"].denominator) == (2, 10)
    assert rows["followup.non_respondents"].numerator == 2
    dig = rows["followup.digital_sector"]
    assert (dig.numerator, dig.denominator) == (3, 4)
    assert "8 mois" not in rate.note and "10 apprenants comptés au suivi − 2" in rate.note


def test_sortie_dynamique_with_an_overridden_neutralised_list():
    rows = {r.indicator: r for r in indicators.followup_indicators(
        _followup_clean(FIXTURE, neutralised=["moved_away"]))}
    # long illness is now an "other" exit: denominator 9, dynamic still 4
    rate = rows["followup.sortie_dynamique"]
    assert (rate.numerator, rate.denominator) == (4, 9)
    assert rows["followup.other"].numerator == 3


def test_synthetic_session_followup_is_computed():
    res = analysis.compute_session(REPO / "data" / "raw" / "synth-2024")
    t = res.indicators.set_index("indicator")
    fu = res.clean.followup
    neutral = int((fu["category"] == "neutralised").sum())
    dyn = int(fu["category"].isin(["durable", "transition", "positive"]).sum())
    rate = t.loc["followup.sortie_dynamique"]
    # the population followed up is every enrolled learner: the drop-out absent from
    # followup.csv counts as no news (B4), so the denominator is 14 − neutralised, not 13 − …
    assert (rate.numerator, rate.denominator) == (dyn, len(res.clean.learners) - neutral)
    assert len(res.clean.learners) == len(fu) + 1
    assert rate.verdict == "descriptive"


def test_indicators_csv_written_with_the_processed_tables(results_2022, tmp_path):
    out = results_2022.write_processed(tmp_path / "2022")
    names = sorted(p.name for p in out.iterdir())
    assert "indicators.csv" in names and "claims_check.csv" in names
    assert "learner_outcomes.csv" in names and "learner_flow.csv" in names
    back = pd.read_csv(out / "indicators.csv", encoding="utf-8-sig")
    assert len(back) == len(results_2022.indicators)


def test_profile_breakdowns_are_exact_internally_and_masked_in_the_export(results_2022, tmp_path):
    from fac_eval.report import export

    t = results_2022.indicators.set_index("indicator")
    assert (t.loc["learners.gender.f"].numerator, t.loc["learners.gender.f"].denominator) == (5, 8)
    assert t.loc["learners.education_level.cap_bep"].numerator == 3
    path = export.indicators_xlsx(results_2022.indicators, tmp_path / "i.xlsx", min_cell=3,
                                  claims=results_2022.claims)
    x = pd.read_excel(path, sheet_name="Indicateurs").set_index("Indicateur (identifiant)")
    # zeros are hidden too in profile breakdowns (A2): "other" 0 is hidden, so the 3 men are the
    # complementary cell; one marker for every hidden cell
    assert x.loc["learners.gender.f", "Numérateur"] == 5
    assert x.loc["learners.gender.m", "Numérateur"] == "masqué"
    assert x.loc["learners.gender.x", "Numérateur"] == "masqué"
    age = x[x.index.str.startswith("learners.age_band.")]
    shown = age["Numérateur"].astype(str)
    # 2022 age bands are all below 3 people: every cell is masked, shares blanked
    assert set(shown) == {"masqué"}
    assert age["Valeur"].isna().all()
    # RQTH 6 of 8 is disclosive (2 without) but a published claim of 2022: shown, with a note
    assert x.loc["learners.rqth", "Numérateur"] == 6
    assert x.loc["learners.rqth", "Note"] == ("Chiffre déjà publié dans le bilan. Le bilan publié "
                                              "dit : « 6 personnes sur 8 en situation de "
                                              "handicap ».")
    assert x.loc["learners.unemployed_over_24m", "Numérateur"] == 4  # 4 / 4: not disclosive
    # without the claims, the RQTH share is masked in the export
    path = export.indicators_xlsx(results_2022.indicators, tmp_path / "j.xlsx", min_cell=3)
    x = pd.read_excel(path, sheet_name="Indicateurs").set_index("Indicateur (identifiant)")
    assert x.loc["learners.rqth", "Numérateur"] == "masqué"
