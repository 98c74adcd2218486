"""Disclosure control of the published outputs (HTML report, Excel export, comparison report).

A reviewer showed that published figures let a reader recompute cells below the small-cell
threshold. Each test builds the case (temporary copies of the shipped sessions, small synthetic
sessions) and checks that the published views no longer allow it, with the exact masked
presentation:

- A1: follow-up situations — accounting totals exact, the detail of dynamic exits (durable /
  transition / positive) only when each is 0 or >= min_cell (report, xlsx, comparison);
- A2: reasons for dropping out (only from min_cell drop-outs, zeros hidden), profile breakdowns
  (zeros hidden), one marker for every hidden cell;
- A4: sensitive headline shares (RQTH, > 24 months unemployed, digital sector) and the founders'
  combined revenue;
- B4: the follow-up population is every enrolled learner.
"""

from __future__ import annotations

import csv
import html as htmllib
import itertools
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import REPO, make_project, remove_exit_answers
from html_tables import table_rows

from fac_eval import report
from fac_eval.analysis import comparison as compare
from fac_eval.analysis import indicators
from fac_eval.analysis import results as analysis
from fac_eval.data import cleaning, synth
from fac_eval.disclosure import privacy
from fac_eval.report.comparison import ComparisonReport
from fac_eval.run import pipeline
from fac_eval.run.pipeline import Paths, run_session

RAW = REPO / "data" / "raw"
MIN_CELL = 3
MASK_NOTE = "effectif masqué (règle des petits effectifs)"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def visible(html) -> str:
    """The text a reader sees (tags and inline images removed, no-break spaces as spaces)."""
    html = getattr(html, "data", html)
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'src="data:[^"]*"', "", html)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"[ \u00a0\u202f]+", " ", text)




def copy_session(tmp_path: Path, name: str, as_name: str | None = None) -> Path:
    dest = tmp_path / "raw" / (as_name or name)
    shutil.copytree(RAW / name, dest)
    return dest


def edit_rows(path: Path, changes: dict[str, dict], drop: tuple[str, ...] = ()) -> None:
    """Set columns of the rows whose first column is a key of ``changes``; drop rows."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        every = list(reader)
    known = {r[fields[0]] for r in every}
    assert set(changes) | set(drop) <= known, f"unknown ids {set(changes) | set(drop) - known}"
    rows = [r for r in every if r[fields[0]] not in drop]
    for r in rows:
        r.update(changes.get(r[fields[0]], {}))
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def xlsx(results, tmp_path: Path, lang: str = "fr") -> pd.DataFrame:
    (path,) = pipeline.write_exports(results, tmp_path, lang=lang)
    sheet = "Indicators" if lang == "en" else "Indicateurs"
    key = "Indicator (id)" if lang == "en" else "Indicateur (identifiant)"
    return pd.read_excel(path, sheet_name=sheet).set_index(key)


def assert_hidden_cells_not_recoverable(shown: list, total: int, min_cell: int = MIN_CELL):
    """What a reader can infer from a published breakdown and its known total: the hidden
    cells add up to ``total − shown``; a hidden cell is determined when it is the only hidden
    one. No cell in [1, min_cell − 1] may be determined, and no count is shown there."""
    hidden = [v for v in shown if not str(v).isdigit()]
    numbers = [int(v) for v in shown if str(v).isdigit()]
    assert all(v == 0 or v >= min_cell for v in numbers), shown
    rest = total - sum(numbers)
    assert rest >= 0
    if len(hidden) == 1:
        assert not 0 < rest < min_cell, (shown, total)
    if total < min_cell:  # the whole group is a small cell: nothing of it may be shown
        assert not numbers, (shown, total)
    elif hidden:  # the hidden remainder (total − shown) tells no one's category
        assert len(hidden) >= 2 and rest >= min_cell, (shown, total)
    # a category equal to its whole group discloses everyone in it
    assert not (total > 0 and total in numbers), (shown, total)
    assert len(set(hidden)) <= 1, f"one marker for every hidden cell: {shown}"


def sensitive_row(x: pd.DataFrame, indicator: str):
    return x.loc[indicator, ["Numérateur", "Dénominateur", "Valeur", "IC bas", "IC haut", "Note"]]


# --------------------------------------------------------------------------------------------
# A1 — follow-up situations
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def synth2024(shipped):
    return shipped["synth-2024"]


def test_followup_detail_not_published_when_a_category_is_small(synth2024):
    t = synth2024.indicators.set_index("indicator")
    # internally exact: durable 4, transition 1, positive 1 (processed data, not published)
    assert [int(t.loc[f"followup.{c}", "numerator"]) for c in ("durable", "transition", "positive")] \
        == [4, 1, 1]
    html = report.Report(synth2024).followup().data
    text = visible(html)
    assert table_rows(html) == [
        ["Situation", "Apprenants"],
        ["Sorties dynamiques (emploi durable, de transition, sortie positive)", "6"],
        # other 2 (small) and no news 4 (its complement: 14 − 6 − 2 leaves 6 hidden)
        ["Autre situation (recherche d'emploi, inactivité)", "masqué"],
        ["Sans nouvelles (non-répondants)", "masqué"],
        ["Sorties neutralisées", "2"],
        ["Apprenants comptés au suivi (tous les inscrits)", "14"],
    ]
    assert ("Le détail des sorties dynamiques (emploi durable, emploi de transition, sortie "
            "positive) n'est pas publié : au moins une de ces catégories compte moins de 3 "
            "personnes. Seul leur total est donné.") in text
    # no detail anywhere: no row, no chart, no "< 3" that a total would pin down
    for label in ("Emploi durable", "Emploi de transition", "Sortie positive"):
        assert label not in text
    assert "<figure" not in html and "< 3" not in text
    # the accounting totals and the headline rate stay exact
    assert "6 des 12 apprenants comptés au suivi hors sorties neutralisées (50 %" in text
    assert "6 sur 8 (75 %)" not in text
    # the rate among respondents (a second definition of the same result) is not in the report
    assert "parmi les répondants" not in text
    assert "14 apprenants comptés au suivi − 2 sorties neutralisées" in text
    # a neutralised exit's reason is never shown (moved away, long illness in the data): only
    # the definition lists the situations set aside, all six, whoever is in them
    definition = "selon la liste par défaut de l'outil : "
    assert text.count(definition) == 1
    listed, rest = text.split(definition)[1].split(")", 1)
    assert len(listed.split(", ")) == 6
    for reason in ("Déménagement", "déménagement", "maladie", "hospitalisation", "moved_away",
                   "long_illness"):
        assert reason not in text.split(definition)[0] and reason not in rest
    en = report.Report(synth2024, lang="en").followup().data
    assert table_rows(en)[1] == ["Positive exits (lasting, transitional employment, "
                                 "other positive outcome)", "6"]
    assert "The detail of positive exits" in visible(en) and "Lasting employment" not in visible(en)


def _dynamic_3_3_3(tmp_path, as_name="synth-a") -> Path:
    """synth-2024 with durable 3, transition 3, positive 3 (every non-respondent answered)."""
    s = copy_session(tmp_path, "synth-2024", as_name)
    date = {"response_date": "2024-10-05", "responded": "yes"}
    edit_rows(s / "followup.csv", {
        "A11": {"situation": "cdd_under_6m", "digital_sector": "no"},
        "A12": {"situation": "cdd_under_6m", "digital_sector": "no"},
        "A03": {"situation": "qualifying_training", "digital_sector": "no"},
        "A02": {**date, "situation": "qualifying_training", "digital_sector": "no"},
        "A13": {**date, "situation": "job_seeker"},
        "A14": {**date, "situation": "job_seeker"},
    })
    return s


def test_followup_detail_published_when_each_category_is_zero_or_large(tmp_path):
    s = copy_session(tmp_path, "synth-2024")
    edit_rows(s / "followup.csv", {  # durable 4, transition 0, positive 3
        "A06": {"situation": "qualifying_training"},
        "A03": {"situation": "qualifying_training", "digital_sector": "no"},
    })
    res = analysis.compute_session(s)
    html = report.Report(res).followup().data
    assert table_rows(html) == [
        ["Situation", "Apprenants"],
        ["Emploi durable", "4"],
        ["Emploi de transition", "0"],
        ["Sortie positive (formation, autre SIAE)", "3"],
        # other 1: hidden with no news (their sum, 5, is what the headline tells)
        ["Autre situation (recherche d'emploi, inactivité)", "masqué"],
        ["Sans nouvelles (non-répondants)", "masqué"],
        ["Sorties neutralisées", "2"],
        ["Apprenants comptés au suivi (tous les inscrits)", "14"],
    ]
    # no chart either: its bars would give the hidden counts
    assert "<figure" not in html and "n'est pas publié" not in visible(html)
    x = xlsx(res, tmp_path)
    assert [x.loc[f"followup.{c}", "Numérateur"] for c in ("durable", "transition", "positive")] \
        == [4, 0, 3]


def test_export_masks_the_followup_detail(synth2024, tmp_path):
    x = xlsx(synth2024, tmp_path)
    for c in ("durable", "transition", "positive"):
        row = sensitive_row(x, f"followup.{c}")
        assert row["Numérateur"] == "masqué"
        assert row[["Valeur", "IC bas", "IC haut"]].isna().all()
        assert row["Note"].startswith("Détail des sorties dynamiques non publié : une catégorie "
                                      "compte moins de 3 personnes")
    # exact: 6 dynamic of 12, 2 neutralised of 14; other (2) and no news (4) hidden together
    assert (x.loc["followup.sortie_dynamique", "Numérateur"],
            x.loc["followup.sortie_dynamique", "Dénominateur"]) == (6, 12)
    assert [x.loc[f"followup.{c}", "Numérateur"] for c in ("other", "non_respondents", "neutralised")] \
        == ["masqué", "masqué", 2]
    assert x.loc["followup.sortie_dynamique_respondents", "Numérateur"] == "masqué"
    (tmp_path / "en").mkdir()
    en = xlsx(synth2024, tmp_path / "en", lang="en")
    assert en.loc["followup.durable", "Numerator"] == "hidden"


def test_comparison_publishes_the_pooled_detail_only_when_every_session_does(tmp_path,
                                                                           monkeypatch):
    a = _dynamic_3_3_3(tmp_path)                      # detail 3 / 3 / 3: publishable
    b = copy_session(tmp_path, "synth-2024", "synth-b")  # detail 4 / 1 / 1: not publishable
    # two copies of synth-2024 (the same people, which a comparison refuses): the refusal is
    # set aside here, where only the follow-up's masking is looked at
    monkeypatch.setattr("fac_eval.analysis.shared_people.shared_people", lambda results: [])
    both = compare.compare_sessions([a, b])
    F = both.followup.set_index("indicator")["n"]
    # pooled 7 / 4 / 4 would pass the threshold, but b's 1 + 1 = a's pooled minus a's detail
    assert [F[i] for i in privacy.FOLLOWUP_DETAIL] == [7, 4, 4]
    html = ComparisonReport(both).followup_table()
    rows = table_rows(html)
    assert rows[1:] == [
        ["Sorties dynamiques (emploi durable, de transition, sortie positive)", "15"],
        # b's own other (2) is small: the pooled pair is hidden too (pooled − a's = b's)
        ["Autre situation (recherche d'emploi, inactivité)", "masqué"],
        ["Sans nouvelles (non-répondants)", "masqué"],
        ["Sorties neutralisées", "4"],
        ["Apprenants comptés au suivi (tous les inscrits)", "28"],
    ]
    assert "dans au moins une session, une de ses catégories compte moins de 3 personnes" \
        in visible(html)
    alone = compare.compare_sessions([a, RAW / "2022"])
    rows = table_rows(ComparisonReport(alone).followup_table())
    assert rows[1:4] == [["Emploi durable", "3"], ["Emploi de transition", "3"],
                         ["Sortie positive (formation, autre SIAE)", "3"]]
    assert rows[-1] == ["Apprenants comptés au suivi (tous les inscrits)", "14"]


# --------------------------------------------------------------------------------------------
# A2 — reasons for dropping out, profile breakdowns, one marker
# --------------------------------------------------------------------------------------------

def test_dropout_reasons_not_published_below_min_cell(tmp_path):
    s = copy_session(tmp_path, "synth-2024")
    edit_rows(s / "learners_profile.csv", {"A09": {"dropout_reason": "health"}})
    res = analysis.compute_session(s)
    html = report.Report(res).exclusions_table()
    text = visible(html)
    assert "Motifs d'abandon non publiés : moins de 3 abandons." in text
    assert "Santé" not in text and "Motif d'abandon" not in text
    assert len(re.findall("<table", html)) == 1  # the participation table only
    # participation counts stay exact: 1 drop-out of 14
    assert ["Abandon en cours de parcours", "1"] in table_rows(html)
    en = visible(report.Report(res, lang="en").exclusions_table())
    assert "Reasons for dropping out not published: fewer than 3 drop-outs." in en
    assert "Health" not in en


@pytest.mark.parametrize("dropouts, expected", [
    # health 1, employment 2 (3 drop-outs): every reason hidden, zeros included
    ({"A12": "employment", "A13": "employment"},
     [["Santé", "masqué"], ["Reprise d'emploi", "masqué"], ["Raisons personnelles", "masqué"],
      ["Autre", "masqué"], ["Total des abandons", "3"]]),
    # health 1, employment 3 (4 drop-outs): showing the 3 would leave a hidden remainder of 1
    # (4 - 3: "one drop-out left for another reason than a job"), below min_cell: hidden too
    ({"A12": "employment", "A13": "employment", "A14": "employment"},
     [["Santé", "masqué"], ["Reprise d'emploi", "masqué"], ["Raisons personnelles", "masqué"],
      ["Autre", "masqué"], ["Total des abandons", "4"]]),
    # health 1, employment 4 (5 drop-outs): still a remainder of 1, everything hidden
    ({"A12": "employment", "A13": "employment", "A14": "employment",
      "A11": "employment"},
     [["Santé", "masqué"], ["Reprise d'emploi", "masqué"], ["Raisons personnelles", "masqué"],
      ["Autre", "masqué"], ["Total des abandons", "5"]]),
])
def test_dropout_reasons_hide_zeros_from_min_cell_dropouts(tmp_path, dropouts, expected):
    s = copy_session(tmp_path, "synth-2024")
    changes = {"A09": {"dropout_reason": "health"}}
    changes.update({i: {"status": "dropped_out", "dropout_reason": r} for i, r in dropouts.items()})
    edit_rows(s / "learners_profile.csv", changes)
    remove_exit_answers(s, dropouts)  # a learner who dropped out has no exit answers
    html = report.Report(analysis.compute_session(s)).exclusions_table()
    reasons = table_rows(html.split("</table>", 1)[1])
    assert reasons[0] == ["Motif d'abandon", "Apprenants"]
    assert reasons[1:] == expected
    cells = [v for _, v in reasons[1:-1]]
    assert_hidden_cells_not_recoverable(cells, int(reasons[-1][1]))
    text = visible(html)
    assert "< 3" not in text and "« masqué » : case de moins de 3 personnes (zéro compris)" in text


def _profile_by_field(html) -> dict[str, list[str]]:
    by_field: dict[str, list[str]] = {}
    for row in table_rows(html)[1:]:
        by_field.setdefault(row[0], []).append(row[2])
    return by_field


@pytest.mark.parametrize("session, n", [("2022", 8), ("synth-2024", 14)])
def test_profile_breakdown_hides_zeros_and_uses_one_marker(session, n, tmp_path):
    res = analysis.compute_session(RAW / session)
    html = report.Report(res).profile_breakdown()
    by_field = _profile_by_field(html)
    assert set(by_field) == {"Genre", "Tranche d'âge", "Niveau de diplôme"}
    for cells in by_field.values():
        assert "0" not in cells and "< 3" not in cells
        assert_hidden_cells_not_recoverable(cells, n)
    if session == "2022":  # women 5, men 3, other 0: the 0 is hidden, so the 3 is too
        assert by_field["Genre"] == ["5", "masqué", "masqué"]
    # the Excel export applies the same rule
    x = xlsx(res, tmp_path)
    for field in indicators.BREAKDOWN_FIELDS:
        rows = x[x.index.str.startswith(f"learners.{field}.")]
        cells = [str(v) for v in rows["Numérateur"]]
        assert "0" not in cells and "< 3" not in cells
        # the number considered is hidden with a hidden non-response: the reader has the
        # enrolled count, which then holds the non-response too
        total = rows["Dénominateur"].iloc[0]
        assert_hidden_cells_not_recoverable(cells, n if total == "masqué" else int(total))
        assert rows.loc[rows["Numérateur"] == "masqué", "Valeur"].isna().all()


def test_complement_is_never_a_lone_zero_when_zeros_are_shown():
    for values in itertools.product(range(5), repeat=4):
        df = pd.DataFrame({"k": list(values)})
        safe = privacy.suppress_small_cells(df, ["k"])
        shown_zero_exists = any(v == 0 for v, m in zip(values, safe.mask["k"]) if not m)
        for (row, _col) in safe.table.attrs["suppression"]["complementary"]:
            if values[row] == 0:  # only when no non-zero cell was left: then every zero is hidden
                assert not shown_zero_exists, values
        # zeros hidden too: a reader knowing the total cannot locate a small cell
        safe0 = privacy.suppress_small_cells(df, ["k"], suppress_zeros=True, marker="masqué")
        cells = [str(v) for v in safe0.table["k"]]
        assert set(c for c in cells if not c.isdigit()) <= {"masqué"}
        assert_hidden_cells_not_recoverable(cells, sum(values))
        for (row, _col) in safe0.table.attrs["suppression"]["complementary"]:
            assert values[row] >= MIN_CELL  # the complement is never a zero


def test_single_marker_for_every_hidden_cell():
    df = pd.DataFrame({"k": [1, 3, 5]})
    # two markers tell which hidden cell is the small one (1 + 3 = 4, "< 3" ⇒ 1 and 3) …
    assert privacy.suppress_small_cells(df, ["k"]).table["k"].tolist() == ["< 3", "masqué", 5]
    # … one marker does not
    assert privacy.suppress_small_cells(df, ["k"], marker="masqué").table["k"].tolist() == [
        "masqué", "masqué", 5]
    assert privacy.HIDDEN_MARKER == {"fr": "masqué", "en": "hidden"}


# --------------------------------------------------------------------------------------------
# A4 — sensitive headline shares, founders' revenue
# --------------------------------------------------------------------------------------------

def test_share_is_disclosive_rule():
    d = privacy.share_is_disclosive
    assert d("learners.rqth", 6, 8) and d("learners.rqth", 1, 8)          # a side of 1 or 2
    assert d("learners.rqth", 4, 4) and d("learners.rqth", 0, 9)          # all / none: health
    assert not d("learners.rqth", 5, 8)
    assert not d("learners.unemployed_over_24m", 4, 4)                    # all: not health data
    assert d("learners.unemployed_over_24m", 12, 14)
    assert d("followup.digital_sector", 1, 6) and not d("followup.digital_sector", 0, 6)
    assert not d("learners.completed", 1, 8)                             # not a sensitive share
    assert not d("learners.rqth", float("nan"), float("nan")) and not d("learners.rqth", 0, 0)


def test_2022_report_still_shows_the_published_rqth_figure(tmp_path):
    res = analysis.compute_session(RAW / "2022")
    text = visible(report.Report(res).public())
    # in the publication's words, "en situation de handicap", its RQTH coding said (round 6)
    assert ("6 apprenants sur 8 (75 %, IC 95 % : 35–97 %) sont en situation de handicap, selon "
            "les mots du bilan publié (la reconstitution le code comme une RQTH). Chiffre déjà "
            "publié dans le bilan.") in text
    assert "4 apprenants sur 8 (50 %" in text  # 4 / 4: not disclosive, published too
    assert text.count("Chiffre déjà publié dans le bilan") == 2  # both figures of the bilan
    row = sensitive_row(xlsx(res, tmp_path), "learners.rqth")
    assert (row["Numérateur"], row["Dénominateur"], row["Valeur"]) == (6, 8, 0.75)
    # and the publication's own words for it (issue 12, R4)
    assert row["Note"] == ("Chiffre déjà publié dans le bilan. Le bilan publié dit : « 6 "
                           "personnes sur 8 en situation de handicap ».")
    en = visible(report.Report(res, lang="en").public())
    assert "Figure already published in the assessment." in en


def test_rqth_masked_when_not_a_published_claim(tmp_path):
    s = copy_session(tmp_path, "2022")
    (s / "claims.yml").unlink()
    res = analysis.compute_session(s)
    assert res.indicators.set_index("indicator").loc["learners.rqth", "numerator"] == 6  # internal
    text = visible(report.Report(res).public())
    assert "RQTH : effectif masqué (règle des petits effectifs)." in text
    assert "reconnus travailleurs handicapés" not in text and "75 %" not in text
    assert "4 apprenants sur 8 (50 %" in text  # the other share is safe as it is
    row = sensitive_row(xlsx(res, tmp_path), "learners.rqth")
    assert row["Numérateur"] == "masqué" and row["Dénominateur"] == 8
    assert row[["Valeur", "IC bas", "IC haut"]].isna().all()
    assert row["Note"] == "Effectif masqué (règle des petits effectifs)."
    assert "RQTH: count hidden (small-cell rule)." in visible(report.Report(res, lang="en").public())


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_rqth_all_or_none_is_masked(tmp_path, answer):
    tables, meta = synth.make_session("tiny", 4, 3, 7)
    tables["learners_profile"]["rqth"] = answer
    s = tmp_path / "tiny"
    synth.write_session(s, tables, meta)
    res = analysis.compute_session(s)
    text = visible(report.Report(res).public())
    assert "RQTH : effectif masqué (règle des petits effectifs)." in text
    assert "Les 4 apprenants (100 %" not in text and "travailleur" not in text
    assert sensitive_row(xlsx(res, tmp_path), "learners.rqth")["Numérateur"] == "masqué"


def test_long_term_unemployment_masked_when_a_side_is_small(tmp_path):
    s = copy_session(tmp_path, "synth-2024")
    edit_rows(s / "learners_profile.csv", {f"A{i:02d}": {"months_unemployed": "30"}
                                           for i in range(1, 13)})  # 12 of 14: 2 are not
    res = analysis.compute_session(s)
    text = visible(report.Report(res).public())
    assert ("Recherche d'emploi depuis plus de 24 mois à l'entrée : effectif masqué (règle des "
            "petits effectifs).") in text
    assert "12 apprenants sur 14" not in text
    row = sensitive_row(xlsx(res, tmp_path), "learners.unemployed_over_24m")
    assert row["Numérateur"] == "masqué" and pd.isna(row["Valeur"])


def test_digital_sector_masked_at_followup(synth2024, tmp_path):
    t = synth2024.indicators.set_index("indicator")
    assert (t.loc["followup.digital_sector", "numerator"],
            t.loc["followup.digital_sector", "denominator"]) == (1, 6)
    text = visible(report.Report(synth2024).followup())
    assert ("Emploi ou formation dans le numérique (parmi les sorties dynamiques) : effectif "
            "masqué (règle des petits effectifs).") in text
    assert "se forme dans le numérique" not in text and "se forment dans le numérique" not in text
    assert "1 apprenant sur 6" not in text
    row = sensitive_row(xlsx(synth2024, tmp_path), "followup.digital_sector")
    assert row["Numérateur"] == "masqué" and row[["Valeur", "IC bas", "IC haut"]].isna().all()


def test_founders_revenue_only_from_min_cell_founders(synth2024):
    text = visible(report.Report(analysis.compute_session(RAW / "2022")).founders())
    assert "Chiffre d'affaires annuel cumulé" not in text and "€" not in text
    assert "Chiffre d'affaires cumulé non publié : moins de 3 porteurs en développement." in text
    # synth-2024: 1 founder creating, 4 developing; the stage of one is not published (issue
    # 10), so neither is their revenue: given, it would tell that 3 or more develop one, hence
    # that the creating stage is the small one (reader round 10)
    text = visible(report.Report(synth2024).founders())
    assert "Chiffre d'affaires annuel cumulé" not in text and "€" not in text
    assert ("Chiffre d'affaires cumulé des porteurs en développement non publié : comme leur "
            "nombre, il relève de la règle des petits effectifs.") in text
    assert "des 4 porteurs en développement" not in text


# --------------------------------------------------------------------------------------------
# B4 — the follow-up population is every enrolled learner
# --------------------------------------------------------------------------------------------

def test_followup_population_is_every_enrolled_learner(synth2024, tmp_path):
    t = synth2024.indicators.set_index("indicator")
    # 14 enrolled: the drop-out A09 is not in followup.csv and counts as no news
    assert len(synth2024.clean.followup) == 13
    assert (t.loc["followup.sortie_dynamique", "numerator"],
            t.loc["followup.sortie_dynamique", "denominator"]) == (6, 12)
    assert (t.loc["followup.non_respondents", "numerator"],
            t.loc["followup.non_respondents", "denominator"]) == (4, 14)
    assert (t.loc["followup.sortie_dynamique_respondents", "numerator"],
            t.loc["followup.sortie_dynamique_respondents", "denominator"]) == (6, 8)
    note = t.loc["followup.sortie_dynamique", "note"]
    assert ("14 apprenants comptés au suivi − 2 sorties neutralisées ; les sans nouvelles (non-répondants "
            "et apprenants absents du fichier de suivi, abandons compris) sont comptés au "
            "dénominateur") in note
    assert "1 absent" not in note and "1 abandon" not in note  # published: no small detail
    # a completer missing from the file no longer shrinks the denominator
    s = copy_session(tmp_path, "synth-2024")
    edit_rows(s / "followup.csv", {}, drop=("A13",))
    t2 = analysis.compute_session(s).indicators.set_index("indicator")
    assert t2.loc["followup.sortie_dynamique", "denominator"] == 12
    assert t2.loc["followup.non_respondents", "numerator"] == 4
    assert t2.loc["followup.neutralised", "denominator"] == 14


def test_followup_indicators_take_the_learner_list_when_given():
    fu = pd.DataFrame({"learner_id": ["A", "B", "C"], "responded": [True, True, False],
                       "situation": ["cdi", "job_seeker", pd.NA], "digital_sector": [True, pd.NA, pd.NA]})
    fu["responded"] = fu["responded"].astype("boolean")
    fu["digital_sector"] = fu["digital_sector"].astype("boolean")
    fu = cleaning.classify_followup(fu)
    flow = pd.DataFrame({"learner_id": ["A", "B", "C", "D", "E"],
                         "status": ["completed", "completed", "completed", "dropped_out", "completed"]})
    bare = SimpleNamespace(name="x", meta={}, followup=fu)
    full = SimpleNamespace(name="x", meta={}, followup=fu, learner_flow=flow)
    rate = {r.indicator: r for r in indicators.followup_indicators(bare)}["followup.sortie_dynamique"]
    assert (rate.numerator, rate.denominator) == (1, 3)  # no learner list: the file's rows
    rows = {r.indicator: r for r in indicators.followup_indicators(full)}
    assert (rows["followup.sortie_dynamique"].numerator,
            rows["followup.sortie_dynamique"].denominator) == (1, 5)
    assert rows["followup.non_respondents"].numerator == 3
    assert "absents du fichier de suivi" in rows["followup.sortie_dynamique"].note


# --------------------------------------------------------------------------------------------
# One full run: the rendered report and the workbook
# --------------------------------------------------------------------------------------------

def test_full_run_of_a_session_with_a_health_dropout(tmp_path):
    root = make_project(tmp_path / "project", sessions=("synth-2024",))
    edit_rows(root / "data" / "raw" / "synth-2024" / "learners_profile.csv",
              {"A09": {"dropout_reason": "health"}})
    res = run_session("synth-2024", paths=Paths(root))
    text = visible(res.html.read_text(encoding="utf-8"))
    assert "Motifs d'abandon non publiés : moins de 3 abandons." in text and "Santé" not in text
    assert "Le détail des sorties dynamiques (emploi durable, emploi de transition" in text
    assert "Emploi durable" not in text and "< 3" not in text
    assert "Emploi ou formation dans le numérique (parmi les sorties dynamiques) : effectif masqué" in text
    assert "Tous les apprenants inscrits sont comptés au suivi" in text  # the methods text
    x = pd.read_excel(root / "reports" / "synth-2024" / "indicateurs_synth-2024.xlsx",
                      sheet_name="Indicateurs").set_index("Indicateur (identifiant)")
    assert x.loc["followup.transition", "Numérateur"] == "masqué"
    assert x.loc["followup.digital_sector", "Numérateur"] == "masqué"
    # the processed data keep the exact values (internal)
    processed = pd.read_csv(root / "data" / "processed" / "synth-2024" / "indicators.csv",
                            encoding="utf-8-sig").set_index("indicator")
    assert processed.loc["followup.transition", "numerator"] == 1
