"""Issue 12, an outside reader's ninth round, checked on the rendered reports of 2022
(reconstructed), synth-2024 (synthetic) and their comparison, and on the Excel export:

1. every figure the reconstruction invented carries its marker where it is said (the founders'
   little change, the data's pointers, the reliable change's detail, the concordance's computed
   figure of a worded claim, a comparison finding giving 2022's own count);
2. the concordance never shows a figure the publication does not give ("peu évolué" has no
   figure), and the banner counts the figures it fixes apart from the statements it only words,
   as claims.yml says;
3. the export reads each test as the report's tables do (an exploratory rise is "à confirmer",
   never "difficilement due au seul hasard"), and its read-me says what its columns hold;
4. a pooled test of unlike sessions reads as a figure of the whole, not a common effect;
5. "suivis" never names everyone enrolled.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO
from openpyxl import load_workbook

from fac_eval import report
from fac_eval.analysis import comparison as compare
from fac_eval.report import export, narrative
from fac_eval.report.comparison import ComparisonReport

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 12, 3, 9, 0)
LANGS = ("fr", "en")
TAG = {"fr": "illustratif", "en": "illustrative"}


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def tagged_text(html: str) -> str:
    """The text, each marker written [TAG] (so that a test sees where it stands)."""
    soup = BeautifulSoup(html, "html.parser")
    for t in soup(["style", "script"]):
        t.decompose()
    for t in soup.select(".tag-illustrative"):
        t.string = "[TAG]"
    return flat(soup.get_text(" "))


@pytest.fixture(scope="module")
def reports(shipped):
    out = {}
    for lang in LANGS:
        rep = report.Report(shipped["2022"], lang=lang, generated_at=FIXED)
        out["2022", lang] = {c: tagged_text(str(getattr(rep, c)().data))
                             for c in ("header", "learners", "founders", "perspectives",
                                       "claims")}
        rep = report.Report(shipped["synth-2024"], lang=lang, generated_at=FIXED)
        out["synth-2024", lang] = {c: tagged_text(str(getattr(rep, c)().data))
                                   for c in ("synthesis", "followup", "methods", "objectives")}
    both = compare.compare_sessions("2022,synth-2024", raw_dir=RAW)
    for lang in LANGS:
        rep = ComparisonReport(both, lang=lang, generated_at=FIXED)
        out["comparison", lang] = {c: tagged_text(str(getattr(rep, c)().data))
                                   for c in ("synthesis", "sessions", "pooled", "methods")}
    return out


# ---- 1. invented figures marked where they are said -----------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_founders_little_change_and_the_datas_pointers_are_marked(reports, lang):
    founders = reports["2022", lang]["founders"]
    said = ("management ont peu évolué (porteurs de projet en progrès : 1 sur 4 (25 %) en "
            "communication interne, 1 sur 4 (25 %) en management). [TAG]") if lang == "fr" else (
            "management changed little (founders who improved: 1 of 4 (25%) in internal "
            "communication, 1 of 4 (25%) in management). [TAG]")
    assert said in founders
    pointers = reports["2022", lang]["perspectives"]
    said = ("communication interne (1 sur 4), management (1 sur 4). [TAG]" if lang == "fr"
            else "internal communication (1 of 4), management (1 of 4). [TAG]")
    assert said in pointers


@pytest.mark.parametrize("lang", LANGS)
def test_the_reliable_changes_detail_is_marked(reports, lang):
    learners = reports["2022", lang]["learners"]
    end = ("5 sans changement fiable, aucune baisse fiable. [TAG]" if lang == "fr"
           else "5 without reliable change, no reliable decline. [TAG]")
    assert end in learners


@pytest.mark.parametrize("lang", LANGS)
def test_a_comparison_finding_giving_2022s_invented_count_is_marked(reports, lang):
    synthesis = reports["comparison", lang]["synthesis"]
    # 2022's projection count (6 of 8) is invented: the finding that gives it is marked
    found = re.search(r"6 (sur|of) 8 \(75 ?%\)[^.]*\.[^[]{0,5}\[TAG\]", synthesis)
    assert found, synthesis


def test_the_marker_follows_the_session_tables_evidence(shipped):
    """Independently of the report: the comparison marks a finding exactly when a session's
    own figure is illustrative in its indicator table."""
    both = compare.compare_sessions("2022,synth-2024", raw_dir=RAW)
    rep = ComparisonReport(both, lang="fr", generated_at=FIXED)
    table = shipped["2022"].indicators.set_index("indicator")["evidence"]
    for indicator in ("learners.projection.improved", "learners.self_esteem.improved",
                      "founders.developed"):
        expected = "illustratif" if table[indicator] == "illustrative" else ""
        assert rep.invented_tag(indicator) == expected, indicator
    assert table["founders.developed"] == "published"  # a published one stays unmarked


# ---- 2. the concordance and the banner ------------------------------------------------------

def _claims_2022():
    return yaml.safe_load((RAW / "2022" / "claims.yml").read_text(encoding="utf-8"))["claims"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_concordance_gives_no_figure_for_a_worded_statement(reports, lang):
    claims = reports["2022", lang]["claims"]
    worded = [c for c in _claims_2022() if "at_most_percent" in c]
    assert len(worded) == 2
    no_figure = "aucun chiffre ; lu comme au plus 25 %" if lang == "fr" else \
        "no figure; read as at most 25%"
    assert claims.count(no_figure) == len(worded)
    assert "au plus 25 %" not in claims.replace(no_figure, "")
    # the computed figure of a worded statement is the reconstruction's: marked
    computed = "1 sur 4 (25 %) [TAG]" if lang == "fr" else "1 of 4 (25%) [TAG]"
    assert claims.count(computed) == len(worded)


@pytest.mark.parametrize("lang", LANGS)
def test_the_banner_counts_figures_apart_from_worded_statements(reports, lang):
    claims = _claims_2022()
    exact = sum(1 for c in claims if "at_most_percent" not in c)
    worded = len(claims) - exact
    header = reports["2022", lang]["header"]
    if lang == "fr":
        assert (f"Le bilan publié fixe {exact} chiffres (ses effectifs et ses parts, vérifiés "
                f"dans la section de concordance) et en énonce {worded} autres par des mots "
                "seulement") in header
        assert "les intervalles des chiffres publiés sont calculés à partir d'eux seuls" in header
    else:
        assert (f"The published assessment fixes {exact} figures (its counts and shares, checked "
                f"in the concordance section) and states {worded} more in words only") in header
        assert "the intervals of published figures are computed from them alone" in header
    assert exact == 22


# ---- 3. the export --------------------------------------------------------------------------

#: What follows a change's reading in the export's cell (issue 12, reader's R7).
ATTRIBUTION_TAIL = {
    "fr": " ; la part due au programme reste inconnue (pas de groupe de comparaison)",
    "en": "; the share due to the programme is unknown (no comparison group)"}


@pytest.mark.parametrize("lang", LANGS)
def test_the_export_reads_each_test_as_the_reports_table(shipped, tmp_path, lang):
    res = shipped["2022"]
    path = export.indicators_xlsx(res.indicators, tmp_path / "x.xlsx", lang=lang,
                                  min_cell=res.min_cell, claims=res.claims, alpha=res.alpha)
    wb = load_workbook(path)
    sheet = wb.worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    ids = [r[0] for r in rows]
    reading = [r[header.index(export.header("verdict", lang))] for r in rows]
    by_id = dict(zip(ids, reading, strict=True))
    ind = res.indicators.set_index("indicator", drop=False)
    confirm = "hausse à confirmer (exploratoire)" if lang == "fr" else \
        "rise to be confirmed (exploratory)"
    hardly = "seul hasard" if lang == "fr" else "chance alone"
    for name in ("learners.autonomy.improved", "learners.soft_skills.improved"):
        assert ind.at[name, "role"] == "secondary"
        assert ind.at[name, "verdict"] == "significant_improvement"
        assert by_id[name] == confirm + ATTRIBUTION_TAIL[lang] and hardly not in by_id[name]
    for name in ("learners.self_esteem.improved", "learners.digital_skills.improved"):
        assert by_id[name] == narrative.table_reading(res.indicators, ind.loc[name], lang,
                                                      res.alpha) + ATTRIBUTION_TAIL[lang]
    readme = " ".join(str(c.value) for row in wb.worksheets[-1].iter_rows() for c in row
                      if c.value)
    if lang == "fr":
        assert "son intervalle exact (qui ne dépend que de k et de n)" in readme
        assert "Un test d'une reconstruction n'est jamais publié" in readme
        assert "jamais la part due au programme (pas de groupe de comparaison)" in readme
        assert "résultats principaux désignés dans le dictionnaire des données" in readme
    else:
        assert "its exact interval are worth (the interval depends on k and n alone)" in readme
        assert "A test of a reconstruction is never published" in readme
        assert "never how much of it is due to the programme" in readme
        assert "primary outcomes designated in the codebook" in readme


# ---- 4. a pooled test of unlike sessions ----------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_a_pooled_test_of_unlike_sessions_reads_as_a_figure_of_the_whole(reports, lang):
    both = compare.compare_sessions("2022,synth-2024", raw_dir=RAW)
    pooled = reports["comparison", lang]["pooled"]
    words = ("sessions différentes : chiffre de l'ensemble, pas un effet commun" if lang == "fr"
             else "the sessions differ: a figure of the whole, not a common effect")
    unlike = [o for o in ("self_esteem", "confidence", "autonomy", "digital_skills",
                          "soft_skills", "projection")
              if bool(both.pooled_row(f"learners.{o}.improved")["heterogeneous"])]
    assert unlike  # confidence and projection differ between these sessions
    assert pooled.count(words) == len(unlike)


# ---- 5. "suivis" ----------------------------------------------------------------------------

def test_suivis_never_names_everyone_enrolled(reports):
    for key in (("synth-2024", "fr"), ("comparison", "fr")):
        for name, said in reports[key].items():
            assert not re.search(r"\bsuivis\b", said), (key, name)
    assert "apprenants comptés au suivi" in " ".join(reports["synth-2024", "fr"].values())


# ---- 6. testimonies: a hidden theme is never named on a quote; time saved in other words ----

def test_no_quote_names_a_theme_whose_count_is_hidden(shipped):
    res = shipped["2022"]
    ind = res.indicators
    themes = ind[ind["indicator"].str.startswith("testimonies.theme.")]
    hidden = themes[(themes["numerator"] > 0) & (themes["numerator"] < res.min_cell)]
    assert len(hidden)  # 2022: time saved and teamwork are raised by fewer than 3
    html = str(report.Report(res, lang="en", generated_at=FIXED).testimonies().data)
    soup = BeautifulSoup(html, "html.parser")
    glosses = [flat(g.get_text(" ")) for g in soup.select(".gloss, .quote-gloss")] or [
        flat(q.get_text(" ")) for q in soup.select("blockquote, figure")]
    assert glosses
    for label in hidden["label_en"]:
        name = label.split(": ")[-1].lower()
        assert not any(name in g.lower() for g in glosses), (name, glosses)


@pytest.mark.parametrize("text, expected", [
    ("Je gagne plusieurs heures par semaine grâce au planning partagé.", True),
    ("On économise une demi-journée chaque lundi.", True),
    ("Tout va plus vite depuis la formation.", True),
    ("J'ai gagné en confiance.", False),
])
def test_time_saved_is_read_in_other_words(text, expected):
    from fac_eval.analysis.themes import themes_of

    assert ("Time saved" in themes_of(text, "en")) is expected
    assert themes_of(text, "en", leave_out={"time_saved"}).count("Time saved") == 0


# ---- 7. the comparison's published tables ---------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_comparison_tables_carry_evidence_and_the_reports_reading(lang):
    from fac_eval.run.compare_run import _published_tables

    both = compare.compare_sessions("2022,synth-2024", raw_dir=RAW)
    per, pooled = _published_tables(both, lang)
    order = ["synthetic", "illustrative", "published", "observed"]  # weakest first
    for _, row in pooled.iterrows():
        mine = per[(per["indicator"] == row["indicator"]) & (per["status"] == "measured")]
        if mine.empty:
            continue
        expected = min(mine["evidence"], key=order.index)
        assert row["evidence"] == expected, row["indicator"]
        # a pooled figure with synthetic data is never classed stronger than synthetic
        assert row["evidence"] == "synthetic"
    confirm = "à confirmer (exploratoire)" if lang == "fr" else "to be confirmed (exploratory)"
    differ = "sessions différentes" if lang == "fr" else "the sessions differ"
    for _, row in pooled.iterrows():
        if row["role"] == "secondary" and row["verdict"] == "significant_improvement":
            assert row["reading"].endswith(confirm) or differ in row["reading"]
        assert (differ in row["reading"]) is (bool(row["heterogeneous"])
                                              and pd.notna(row["p_value"]))
    sec = per[(per["session"] == "2022") & (per["indicator"] == "learners.autonomy.improved")]
    assert sec["verdict"].iloc[0] == "significant_improvement"
    assert sec["reading"].iloc[0] == ("hausse à confirmer (exploratoire)" if lang == "fr"
                                      else "rise to be confirmed (exploratory)")
    assert set(per["evidence_inference"]) <= {"synthetic", "illustrative", "published", ""}


def test_the_english_report_names_the_course_one_way(shipped):
    """The title block (session.yml's programme_en) and the public section gave two English
    names; the French name is given as such, marked French."""
    rep = report.Report(shipped["2022"], lang="en", generated_at=FIXED)
    header, public = str(rep.header().data), str(rep.public().data)
    assert "In-house digital support course" in header
    assert "Digital referent in business" not in public
    assert "in-house digital support course for job seekers" in public
    assert '<span lang="fr">Référent numérique en entreprise</span>' in public


def test_the_flow_chart_says_the_followup_is_absent_as_the_text_does(shipped):
    """2022: the follow-up's date is past and it is not in the data; the flow chart's stage
    says "absent de ces données" like the text, not "non collecté" (issue 13)."""
    html = str(report.Report(shipped["2022"], lang="fr", generated_at=FIXED).public().data)
    assert "absent de ces données" in flat(html)
    assert "non collecté" not in flat(html)


def test_the_objectives_table_gives_no_invented_result(shipped):
    """Most of 2022's objectives table is published (4 sur 4, 3 sur 4…): a marker on the
    caption said every figure was invented; each invented result carried its own. Since funder
    review 5 (HIGH-2) an invented result is not given at all: the publication's words where
    it words it without a figure, else "non chiffré dans le bilan publié"; no marker is left."""
    res = shipped["2022"]
    html = str(report.Report(res, lang="fr", generated_at=FIXED).objectives().data)
    soup = BeautifulSoup(html, "html.parser")
    caption = soup.select_one(".table-caption")
    assert caption is not None and not caption.select(".tag-illustrative")
    evidence = res.indicators.set_index("indicator")["evidence"]
    wanted = [i for o in res.programme.objectives for i in o.indicators
              if i in evidence.index and evidence[i] == "illustrative"]
    assert len(wanted) == 3 and not soup.select("table .tag-illustrative")
    text = " ".join(soup.get_text(" ").split())
    assert text.count("non chiffré dans le bilan publié") + text.count(
        "peu d'évolution, selon le bilan publié") == len(wanted)


def test_a_headcount_is_shown_as_a_count_in_the_concordance(shipped):
    """« Notre projet concerne un groupe de 8 apprenants » is a headcount: "8", never
    "8 sur 8 (100 %)", which reads as "all 8 of 8 did something" (reader round 9 N15)."""
    claims = shipped["2022"].claims.set_index("indicator")
    for indicator, n in (("learners.enrolled", 8), ("founders.enrolled", 4)):
        assert claims.loc[indicator, "computed"] == str(n)
        assert bool(claims.loc[indicator, "matches"])
    assert claims.loc["learners.self_esteem.improved", "computed"] == "7 sur 8 (88\u00a0%)"


@pytest.mark.parametrize("lang", LANGS)
def test_a_reconstructions_dates_are_marked(shipped, lang):
    """The publication gives no dates: 2022's were chosen by the reconstruction, marked beside
    them and named among what was invented (reader round 10); synth-2024's go unmarked."""
    soup = BeautifulSoup(str(report.Report(shipped["2022"], lang=lang,
                                           generated_at=FIXED).header().data), "html.parser")
    subtitle = soup.select_one(".subtitle")
    assert subtitle is not None and subtitle.select(".tag-illustrative")
    assert "2022" in subtitle.get_text()
    note = flat(soup.select_one(".evidence-note").get_text(" "))
    assert ("les dates, tests" if lang == "fr"
            else "the dates, tests") in note
    other = BeautifulSoup(str(report.Report(shipped["synth-2024"], lang=lang,
                                            generated_at=FIXED).header().data), "html.parser")
    assert not other.select(".subtitle .tag-illustrative")


def test_no_report_assumes_the_programme_has_a_share(reports):
    """"Cannot be attributed to the programme alone" takes a share for granted; the reports
    say the data do not tell how much is due to it (reader round 10)."""
    for key, cells in reports.items():
        for name, said in cells.items():
            assert "au seul programme" not in said and "programme alone" not in said, (key, name)
    assert "ne disent pas quelle part en revient au programme" in reports[
        "synth-2024", "fr"]["synthesis"]
    assert "do not tell how much of it is due to the programme" in reports[
        "comparison", "en"]["synthesis"]


def test_the_key_figure_card_says_the_norm_could_not_be_consulted(shipped):
    """The methods say the French validations' tables could not be consulted; the card said
    no norm "was found" (reader round 10)."""
    text = flat(BeautifulSoup(str(report.Report(shipped["2022"], lang="fr",
                                                generated_at=FIXED).key_figures().data),
                              "html.parser").get_text(" "))
    assert "faute d'une norme française consultable" in text
    assert "n'a été trouvée" not in text
