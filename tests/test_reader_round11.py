"""Issue 12, the remaining points of an outside reader's rounds 8 to 10:

1. a row that counts exactly what a published row counts (the founders' digital culture
   "improved", the paired row of its test) is published too, not "illustratif" beside it;
2. a reconstructed session's planned follow-up date, counted from the end date the
   reconstruction invented, is never said (report, indicators.csv, comparison); a session
   with real dates still says it;
3. the comparison's charts and pooled findings carry the marker when a session's count or the
   session × change test (which reads individual scores) was invented;
4. the evidence classes hold one kind of figure each: ``evidence`` the count and its exact
   interval (which depends on k and n alone), ``evidence_inference`` the test only.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from scipy.stats import beta

from fac_eval.analysis import comparison as compare
from fac_eval.analysis import evidence
from fac_eval.data import interim
from fac_eval.report.comparison import ComparisonReport

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 12, 3, 9, 0)
TAG = {"fr": "illustratif", "en": "illustrative"}


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


# ---- 1. one count, one class ------------------------------------------------------------------

def _rows(k_repeat: int) -> pd.DataFrame:
    return pd.DataFrame([
        {"indicator": "founders.digital_culture_gained", "numerator": 3, "denominator": 4,
         "ci_low": 0.19, "ci_high": 0.99, "p_value": None, "verdict": "descriptive"},
        {"indicator": "founders.digital_culture.improved", "numerator": k_repeat,
         "denominator": 4, "ci_low": 0.19, "ci_high": 0.99, "p_value": 0.25,
         "verdict": "not_testable"},
    ])


def test_a_row_counting_a_published_figure_again_is_published():
    table = evidence.add_evidence(_rows(3), "reconstructed",
                                  {"founders.digital_culture_gained"}).set_index("indicator")
    assert list(table["evidence"]) == ["published", "published"]
    # its test reads the invented individual levels: never published
    assert table.at["founders.digital_culture.improved", "evidence_inference"] == "illustrative"
    # a count that differs is not the published figure, whatever its name
    other = evidence.add_evidence(_rows(2), "reconstructed", {"founders.digital_culture_gained"})
    assert list(other["evidence"]) == ["published", "illustrative"]
    # the repeated row alone is never published by itself
    alone = evidence.add_evidence(_rows(3), "reconstructed", set())
    assert set(alone["evidence"]) == {"illustrative"}


def test_2022s_two_digital_culture_rows_have_one_class(shipped):
    ind = shipped["2022"].indicators.set_index("indicator")
    gained, improved = (ind.loc[i] for i in ("founders.digital_culture_gained",
                                             "founders.digital_culture.improved"))
    assert (gained["numerator"], gained["denominator"]) == (3, 4)
    assert (improved["numerator"], improved["denominator"]) == (3, 4)
    assert gained["evidence"] == improved["evidence"] == "published"
    assert improved["evidence_inference"] == "illustrative"


# ---- 2. no invented date said ---------------------------------------------------------------

@pytest.mark.parametrize("kind, dated", [("real", True), ("synthetic", True),
                                         ("reconstructed", False)])
def test_the_planned_date_is_said_only_when_the_dates_are_not_invented(kind, dated):
    meta = {"end_date": dt.date(2023, 1, 31), "followup_months": 3, "data_kind": kind}
    absent = interim.followup_status(meta, False, dt.date(2024, 1, 1))
    pending = interim.followup_status(meta, False, dt.date(2023, 2, 1))
    assert absent.code == "absent" and pending.code == "pending"
    assert absent.due == pending.due == dt.date(2023, 4, 30)  # still used to choose the code
    for lang, date in (("fr", "30 avril 2023"), ("en", "30 April 2023")):
        for status in (absent, pending):
            assert (date in flat(status.sentence(lang))) is dated, (kind, lang, status.code)
    assert flat(absent.sentence("fr")) == (
        "Un suivi à 3 mois était prévu (vers le 30 avril 2023) ; ses résultats ne figurent pas "
        "dans ces données." if dated else
        "Un suivi à 3 mois était prévu ; ses résultats ne figurent pas dans ces données.")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_2022s_report_and_table_never_say_the_invented_follow_up_date(shipped, lang):
    from fac_eval import report

    r = shipped["2022"]
    assert r.followup.code == "absent" and r.followup.due == dt.date(2022, 10, 8)
    rep = report.Report(r, lang=lang, generated_at=FIXED)
    for cell in ("synthesis", "key_figures", "followup", "perspectives"):
        text = flat(BeautifulSoup(str(getattr(rep, cell)().data), "html.parser").get_text(" "))
        assert ("octobre 2022" if lang == "fr" else "October 2022") not in text, cell
    notes = r.indicators.loc[r.indicators["section"] == "followup",
                             "note_en" if lang == "en" else "note"]
    assert not notes.str.contains("2022").any()


# ---- 3. the comparison's charts and pooled findings ------------------------------------------

@pytest.fixture(scope="module")
def comparison_html():
    both = compare.compare_sessions("2022,synth-2024", raw_dir=RAW)
    out = {}
    for lang in ("fr", "en"):
        rep = ComparisonReport(both, lang=lang, generated_at=FIXED)
        out[lang] = (str(rep.indicators().data), str(rep.pooled().data))
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_chart_whose_test_reads_2022s_scores_is_marked(comparison_html, lang):
    soup = BeautifulSoup(comparison_html[lang][0], "html.parser")
    captions = soup.select("figcaption")
    assert len(captions) >= 5
    for cap in captions:
        text = flat(cap.get_text(" "))
        change_test = "permutation" in text
        marked = cap.select_one(".tag-illustrative") is not None
        if change_test:  # the session × change test reads 2022's invented individual scores
            assert marked, text
    # the four learners' changes named by the reader (self-esteem, confidence, autonomy,
    # digital skills) all have the change test and the marker
    assert sum("permutation" in flat(c.get_text(" ")) and c.select_one(".tag-illustrative")
               is not None for c in captions) >= 4


def test_only_a_change_test_over_a_reconstructed_session_is_marked():
    both = compare.compare_sessions("2022,synth-2024", raw_dir=RAW)
    rep = ComparisonReport(both, lang="fr", generated_at=FIXED)
    row = {"interaction_p": 0.2, "sessions": "synth-2024,synth-2025"}
    assert rep.change_test_tag(row) == ""
    assert rep.change_test_tag({"interaction_p": float("nan"), "sessions": "2022"}) == ""
    assert rep.change_test_tag({"interaction_p": 0.2, "sessions": "2022,synth-2024"}) == TAG["fr"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_pooled_figure_holding_an_invented_count_is_marked(comparison_html, lang):
    soup = BeautifulSoup(comparison_html[lang][1], "html.parser")
    items = soup.select("ul.findings li")
    said = "8 apprenants sur 20 (40" if lang == "fr" else "8 learners out of 20 (40"
    projection = [li for li in items if said in flat(li.get_text(" "))]
    assert projection, [li.get_text() for li in items]
    # 2022's projection count (6 of 8) is invented: its pooled 8 of 20 holds it
    assert len(projection) == 1 and projection[0].select_one(".tag-illustrative") is not None
    # the digital skills' 20 of 20 holds 2022's published 8 of 8: no marker for its count
    skills = [li for li in items if ("compétences numériques" if lang == "fr"
                                     else "digital skills") in flat(li.get_text(" "))]
    assert len(skills) == 1 and skills[0].select_one(".tag-illustrative") is None


# ---- 4. one kind of figure per class ----------------------------------------------------------

def test_the_interval_goes_with_the_count_and_the_test_has_its_own_class(shipped):
    ind = shipped["2022"].indicators
    with_ci = ind[ind["ci_low"].notna()]
    assert len(with_ci) >= 20
    for _, r in with_ci.iterrows():
        # the exact interval depends on k and n alone (Clopper-Pearson, computed here)
        k, n, level = int(r["numerator"]), int(r["denominator"]), float(r["confidence"])
        low = 0.0 if k == 0 else beta.ppf((1 - level) / 2, k, n - k + 1)
        high = 1.0 if k == n else beta.ppf(1 - (1 - level) / 2, k + 1, n - k)
        assert r["ci_low"] == pytest.approx(low, abs=1e-9), r["indicator"]
        assert r["ci_high"] == pytest.approx(high, abs=1e-9), r["indicator"]
        tested = pd.notna(r["p_value"]) or pd.notna(r["effect"])
        assert (r["evidence_inference"] == "illustrative") is tested, r["indicator"]
        assert tested or r["evidence_inference"] == "", r["indicator"]


# ---- 5. the reconstruction's design and dates, said as invented -----------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_questionnaires_design_is_listed_among_what_was_invented(shipped, lang):
    from fac_eval import report

    rep = report.Report(shipped["2022"], lang=lang, generated_at=FIXED)
    header = flat(BeautifulSoup(str(rep.header().data), "html.parser").get_text(" "))
    assert ("les échelles des questionnaires et leur passation à l'entrée et à la sortie, les "
            "dates" if lang == "fr" else "the questionnaires' scales and their entry and exit "
            "design, the dates") in header
    soup = BeautifulSoup(str(rep.learners().data), "html.parser")
    first = soup.select("p")[0]
    assert ("même questionnaire" in first.get_text() or "same questionnaire" in first.get_text())
    assert first.select_one(".tag-illustrative").get_text() == TAG[lang]
    # a synthetic session's design is its own: no marker
    synth = report.Report(shipped["synth-2024"], lang=lang, generated_at=FIXED)
    assert BeautifulSoup(str(synth.learners().data), "html.parser").select("p")[0].select_one(
        ".tag-illustrative") is None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_comparison_marks_a_reconstructions_dates(lang):
    both = compare.compare_sessions("2022,synth-2024", raw_dir=RAW)
    rep = ComparisonReport(both, lang=lang, generated_at=FIXED)
    header = BeautifulSoup(str(rep.header().data), "html.parser")
    assert header.select_one(".subtitle .tag-illustrative").get_text() == TAG[lang]
    table = BeautifulSoup(str(rep.sessions().data), "html.parser")
    rows = {r.select_one("th").get_text(strip=True): r for r in table.select("tbody tr")}
    assert rows["2022"].select_one(".tag-illustrative").get_text() == TAG[lang]
    assert rows["synth-2024"].select_one(".tag-illustrative") is None


def test_the_key_figures_lead_gives_no_other_sessions_count(shipped):
    from fac_eval import report

    for session in ("2022", "synth-2024"):
        for lang, said in (("fr", "« k sur n »"), ("en", '"k of n"')):
            html = str(report.Report(shipped[session], lang=lang,
                                     generated_at=FIXED).key_figures().data)
            text = flat(BeautifulSoup(html, "html.parser").get_text(" "))
            assert said in text and "7 sur 8 »" not in text and '"7 of 8"' not in text
