"""Guarantee 3 (issue 10), second round: the small-cell rule holds in every published table.

An independent attacker wrote a ``claims.yml`` whose claim *matches* a small breakdown cell (1 to
``min_cell − 1`` people in a category): the concordance printed the statement, the stated figure
and the computed one as published. Decision: the one masking
(:func:`fac_eval.disclosure.tables.mask_indicators`) applies to the concordance like every other table:
a hidden cell is shown hidden ("masqué (règle des petits effectifs)") and the statement that
states it is not reproduced, while the row still says whether the claim agrees. The exemption
of sensitive headline shares whose very figure was published (RQTH "6 sur 8" in 2022) is
unchanged: it is not a breakdown cell.

Also here: the founders' stage counts (a stage of 1 to ``min_cell − 1`` founders is not
published, nor the outcomes counted within a stage, in the HTML and the Excel export), and the
upper bound of ``min_cell`` in the parameter schema (run -p, batch, the notebook's check).
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval import report
from fac_eval.analysis import results as analysis
from fac_eval.data import parameters as P
from fac_eval.disclosure import tables as disclosure
from fac_eval.report import export

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 1, 2, 3, 4)
HIDDEN = {"fr": "masqué (règle des petits effectifs)", "en": "hidden (small-cell rule)"}


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def concordance_rows(res, lang="fr", min_cell=3):
    html = report.Report(res, lang=lang, generated_at=FIXED, min_cell=min_cell).claims().data
    return [[words(td) for td in tr.find_all(["td", "th"])]
            for tr in BeautifulSoup(html, "html.parser").select("table tbody tr")]


def with_claims(tmp_path, session, claims: list[dict], keep=True):
    """A copy of ``session`` whose claims.yml has ``claims`` (after its own when ``keep``)."""
    import yaml

    folder = tmp_path / session
    shutil.copytree(RAW / session, folder)
    path = folder / "claims.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if keep and path.exists() else {
        "source": "test", "claims": []}
    data["claims"] = list(data["claims"]) + claims
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


@functools.cache
def base_of(session):
    return analysis.compute_session(RAW / session)


def figure(res, indicator):
    row = res.indicators.set_index("indicator").loc[indicator]
    return int(row["numerator"]), int(row["denominator"])


# (session, indicator, the claim's kind and figure from the data, statement)
SMALL_CELLS = [
    ("2022", "learners.age_band.18-25", "count", "1 apprenant avait entre 18 et 25 ans"),
    ("2022", "learners.education_level.bac", "fraction", "2 apprenants sur 8 ont le bac"),
    ("2022", "learners.gender.m", "count", "3 hommes ont suivi la formation"),  # complementary
    ("2022", "learners.age_band.56+", "percent", "13 % avaient plus de 56 ans"),
    ("2022", "testimonies.theme.time_saved", "count", "1 témoignage parle du temps gagné"),
    ("synth-2024", "learners.gender.x", "count", "1 personne se déclare d'un autre genre"),
]


def claim_for(res, indicator, kind, text):
    k, n = figure(res, indicator)
    value = {"count": k, "fraction": [k, n], "percent": int(round(100 * k / n + 1e-9))}[kind]
    return {"id": "attack", "text": text, "indicator": indicator, kind: value}


@pytest.mark.parametrize("session, indicator, kind, text, lang", [
    (*case, "fr") for case in SMALL_CELLS] + [(*SMALL_CELLS[0], "en"), (*SMALL_CELLS[-1], "en")])
def test_a_matching_claim_on_a_hidden_cell_is_shown_hidden(tmp_path, session, indicator, kind,
                                                             text, lang):
    base = base_of(session)
    decided = disclosure.mask_indicators(base.indicators, 3).set_index("indicator")
    assert decided.at[indicator, "masked"]  # the report hides this cell elsewhere
    k, n = figure(base, indicator)
    folder = with_claims(tmp_path, session, [claim_for(base, indicator, kind, text)])
    res = analysis.compute_session(folder)
    check = res.claims.set_index("id")
    assert bool(check.at["attack", "matches"])  # the claim agrees with the data
    rows = concordance_rows(res, lang)
    (row,) = [r for r in rows if "reproduced" in r[0] or "reproduit" in r[0]]
    statement, stated, computed, agrees = row
    assert stated == HIDDEN[lang] and computed == HIDDEN[lang]
    assert agrees == ("✓ concorde" if lang == "fr" else "✓ agrees")
    assert text not in " ".join(row)
    assert f"{k} sur {n}" not in " ".join(row) and f"{k} of {n}" not in " ".join(row)
    # the other rows are as before: the published RQTH share stays (its exemption is kept)
    if session == "2022":
        (rqth,) = [r for r in rows if "handicap" in r[0]]
        assert rqth[1:3] == (["6 sur 8", "6 sur 8 (75 %)"] if lang == "fr"
                             else ["6 of 8", "6 of 8 (75%)"])


@pytest.mark.parametrize("stated", [5, 2, 0])
def test_a_claim_that_does_not_match_a_hidden_cell_is_not_reproduced(tmp_path, stated):
    """A statement that does not match a hidden cell would rule out one value of it (found by an
    independent attack: "2 en création" marked as not agreeing gives the hidden 1): neither the
    statement nor its figure is printed, only the indicator's name and the agreement."""
    base = base_of("2022")
    folder = with_claims(tmp_path, "2022", [{"id": "attack",
                                             "text": f"{stated} jeunes de 18-25 ans",
                                             "indicator": "learners.age_band.18-25",
                                             "count": stated}])
    res = analysis.compute_session(folder)
    assert figure(base, "learners.age_band.18-25")[0] == 1
    rows = concordance_rows(res)
    assert not any(f"{stated} jeunes" in " ".join(r) for r in rows)
    (row,) = [r for r in rows if "18-25" in r[0] or "18 à 25" in r[0] or "published statement" in r[0]
              or "non reproduite" in r[0]]
    assert row[1:3] == [HIDDEN["fr"], HIDDEN["fr"]]
    assert row[3].endswith("ne concorde pas")


def test_2022_concordance_unchanged_with_its_own_claims():
    res = base_of("2022")
    rows = concordance_rows(res)
    assert len(rows) == len(res.claims) == 24
    assert not any(HIDDEN["fr"] in " ".join(r) for r in rows)
    assert all(r[3] == "✓ concorde" for r in rows)


def test_with_a_larger_min_cell_more_claims_are_hidden_in_the_concordance():
    res = base_of("2022")
    rows = concordance_rows(res, min_cell=5)
    # founders' stages 2 / 2 (creation / development): still published, the assessment states
    # these very figures; the 24 rows are all there and all agree
    assert len(rows) == 24 and all(r[3] == "✓ concorde" for r in rows)
    decided = disclosure.mask_indicators(res.indicators, 5, res.claims).set_index("indicator")
    hidden = set(decided.index[decided["masked"].astype(bool)])
    for r, ind in zip(rows, res.claims["indicator"]):
        assert (HIDDEN["fr"] in r[2]) == (ind in hidden), (ind, r)


# --------------------------------------------------------------------------------------------
# Founders' stages
# --------------------------------------------------------------------------------------------

def one_founder_creating(tmp_path, session="synth-2024", claims=False):
    """A copy of ``session`` whose founders all develop a business but one."""
    folder = tmp_path / f"{session}-stage"
    shutil.copytree(RAW / session, folder)
    if not claims and (folder / "claims.yml").exists():
        (folder / "claims.yml").unlink()
    path = folder / "founders_profile.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df["stage"] = "development"
    df.loc[0, "stage"] = "creation"
    df.to_csv(path, index=False)
    developing = set(df.loc[1:, "founder_id"])
    for name in ("founders_entry.csv", "founders_exit.csv"):  # a developing business exists
        answers = pd.read_csv(folder / name, dtype=str, keep_default_na=False,
                              encoding="utf-8-sig")
        answers.loc[answers["founder_id"].isin(developing), "business_created"] = "yes"
        answers.to_csv(folder / name, index=False)
    return folder


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_founders_stage_of_one_is_not_published(tmp_path, lang):
    folder = one_founder_creating(tmp_path)
    res = analysis.compute_session(folder)
    k, n = figure(res, "founders.stage_creation")
    assert k == 1 and n >= 3
    decided = disclosure.mask_indicators(res.indicators, 3).set_index("indicator")
    for ind in ("founders.stage_creation", "founders.business_created", "founders.revenue_up"):
        assert decided.at[ind, "masked"], ind
    html = report.Report(res, lang=lang, generated_at=FIXED).founders().data
    text = words(BeautifulSoup(html, "html.parser"))
    assert ("ne sont pas publiés" if lang == "fr" else "are not published") in text
    from fac_eval.report import narrative

    for ind in ("founders.stage_creation", "founders.business_created", "founders.revenue_up"):
        row = res.indicators.set_index("indicator").loc[ind].copy()
        row["indicator"] = ind
        sentence = narrative.share_sentence(row, lang, level=res.confidence)
        assert " ".join(sentence.split()) not in text, sentence
    assert "creation stage" not in text and "en création" not in text
    # neither the revenue sum nor why it is refused: either would tell which stage is small
    assert ("Chiffre d'affaires cumulé des porteurs en développement non publié" if lang == "fr"
            else "Combined revenue of the founders developing a business not published") in text
    assert "€" not in text
    # the Excel export hides them too, with the denominators that are stage counts
    path = tmp_path / "i.xlsx"
    export.indicators_xlsx(res.indicators, path, lang=lang, min_cell=3)
    sheet = pd.read_excel(path, sheet_name=0, dtype=str)
    marker = "masqué" if lang == "fr" else "hidden"
    by_id = sheet.set_index(sheet.columns[0])
    for ind in ("founders.stage_creation", "founders.business_created", "founders.revenue_up"):
        values = list(by_id.loc[ind].astype(str))
        assert marker in values, (ind, values)
    for ind in ("founders.business_created", "founders.revenue_up"):
        assert list(by_id.loc[ind].astype(str)).count(marker) == 2, ind


@pytest.mark.parametrize("creating, hidden", [(0, False), (1, True), (2, True), (3, False)])
def test_founders_stage_rule(creating, hidden):
    from fac_eval.disclosure.suppression import founders_stage_disclosive

    n = 5
    assert founders_stage_disclosive(creating, n, 3) == hidden or (n - creating in (1, 2))
    assert founders_stage_disclosive(creating, n, 3) == (
        0 < creating < 3 or 0 < n - creating < 3)


def test_2022_founders_stages_stay_published_as_the_assessment_states_them():
    res = base_of("2022")
    decided = disclosure.mask_indicators(res.indicators, 3, res.claims).set_index("indicator")
    for ind in ("founders.stage_creation", "founders.business_created", "founders.revenue_up"):
        assert not decided.at[ind, "masked"] and decided.at[ind, "published_exemption"], ind
    text = words(BeautifulSoup(report.Report(res, generated_at=FIXED).founders().data,
                               "html.parser"))
    assert "ne sont pas publiés : une étape" not in text


# --------------------------------------------------------------------------------------------
# min_cell has an upper bound
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["21", "50", "1000", 21])
def test_min_cell_above_the_maximum_is_refused_everywhere(value, tmp_path):
    with pytest.raises(P.ParameterError) as err:
        P.check({"min_cell": value})
    assert "un entier compris entre 3 et 20" in err.value.message("fr")
    assert "an integer between 3 and 20" in err.value.message("en")
    with pytest.raises(P.ParameterError):  # the notebook's own check
        P.check_report_parameters(session="2022", lang="fr", alpha=0.05, min_cell=value,
                                  confidence=0.95)
    for ok in (3, 10, 20, "20"):
        assert P.check({"min_cell": ok}) == {"min_cell": int(ok)}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_interim_report_does_not_publish_a_founders_stage_of_one(tmp_path, lang):
    folder = one_founder_creating(tmp_path)
    header = (folder / "founders_exit.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "founders_exit.csv").write_text(header + "\n", encoding="utf-8")
    res = analysis.compute_session(folder)
    assert "founders_exit" in res.pending
    text = words(BeautifulSoup(report.Report(res, lang=lang, generated_at=FIXED).founders().data,
                               "html.parser"))
    assert ("ne sont pas publiées : une étape compte moins de 3 porteurs" if lang == "fr" else
            "are not published: a stage holds fewer than 3 founders") in text
    assert "1 sur 5" not in text and "1 of 5" not in text
    # 3 creating and 2 developing among 5: the development stage is small, still hidden
    path = folder / "founders_profile.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(df) == 5
    df["stage"] = ["creation"] * 3 + ["development"] * 2
    df.to_csv(path, index=False)
    res = analysis.compute_session(folder)
    text = words(BeautifulSoup(report.Report(res, lang=lang, generated_at=FIXED).founders().data,
                               "html.parser"))
    assert "3 sur 5" not in text and "3 of 5" not in text
