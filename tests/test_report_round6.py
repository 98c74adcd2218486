"""Issues 12 and 13, round 6: the comparison's trend chart reads the one follow-up status, and a
typical change's interval that ends at the limit of its scale, or collapses on one value, gets a
note where it is printed.

Real values throughout: 2022's follow-up was planned for 8 October 2022 (its end date, 8 July
2022, plus three calendar months), a date past, so it is "absent" from these data in the charts
as in the tables; the Hodges-Lehmann intervals are recomputed here from the paired answers by
enumerating the 2^n signs of the signed-rank statistic and sorting the Walsh averages, not with
the package's statistics.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval import report
from fac_eval.report import interval_notes
from fac_eval.report.comparison_charts import trend_chart

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 1, 2, 3, 4)


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def svg_texts(svg: str) -> list[str]:
    """The words a matplotlib SVG draws, one per <text> element (its lines joined)."""
    out = []
    for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S):
        out.append(flat(re.sub(r"<[^>]+>", " ", t)))
    return out


# --------------------------------------------------------------------------------------------
# 1. the trend chart (small multiples) says "absent" for 2022's follow-up, as the tables do
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """``fac-eval compare 2022 synth-2024`` then ``--lang en``, as a user runs them: the two
    HTML files."""
    out = tmp_path_factory.mktemp("round6-compare")
    mp = pytest.MonkeyPatch()
    mp.setenv("FAC_EVAL_RAW", str(RAW))
    mp.setenv("FAC_EVAL_PROCESSED", str(out / "p"))
    mp.setenv("FAC_EVAL_REPORTS", str(out / "r"))
    try:
        for extra in ([], ["--lang", "en"]):
            code, said = run_cli("compare", "2022", "synth-2024", *extra)
            assert code == 0, said
    finally:
        mp.undo()
    folder = out / "r" / "comparaisons" / "2022_synth-2024"
    return {"fr": (folder / "comparaison_2022_synth-2024.html").read_text(encoding="utf-8"),
            "en": (folder / "comparison_2022_synth-2024_en.html").read_text(encoding="utf-8")}


def run_cli(*argv: str) -> tuple[int, str]:
    """``fac-eval ARGV`` in this process (a module fixture has no capsys): exit code and what
    it printed."""
    import contextlib
    import io

    from fac_eval.run import cli

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        try:
            code = cli.main(list(argv))
        except SystemExit as done:
            code = done.code
    return code, " ".join(buf.getvalue().split())


def _trend_svg(html: str) -> str:
    """The one chart that draws a panel per key indicator (the trends section's figure)."""
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find("h2", id="tendances")
    assert heading is not None
    figure = heading.find_next("figure")
    return str(figure.find("svg"))


@pytest.mark.parametrize("lang, absent, pending, table_row", [
    ("fr", "absent", "en attente", "Sortie dynamique (suivi) absent 6 sur 12 (50 %)"),
    ("en", "absent", "pending", "Positive exit (follow-up) absent 6 of 12 (50%)"),
])
def test_the_trend_chart_says_absent_for_2022_s_follow_up(compared, lang, absent, pending,
                                                         table_row):
    html = compared[lang]
    drawn = svg_texts(_trend_svg(html))
    # the chart draws one word for the one session figure it lacks: 2022's dynamic exits
    assert drawn.count(absent) == 1, drawn
    assert pending not in drawn, drawn
    # the table under the chart and the forest chart's row say the same word
    soup = BeautifulSoup(html, "html.parser")
    rows = [flat(tr.get_text(" ")) for tr in soup.select("table tr")]
    assert flat(table_row) in rows
    forest = [svg_texts(str(s)) for s in soup.select("figure svg")]
    follow = [t for t in forest if any("2022" == w for w in t) and absent in t]
    assert len(follow) == 2, "forest chart of the dynamic exits and the trend chart"
    # no "en attente" / "pending" anywhere in the report's drawn text for that panel
    assert not any(pending in w for t in forest for w in t)


def test_the_planned_date_of_2022_s_follow_up_is_past():
    """The status the chart reads: 8 July 2022 + 3 months = 8 October 2022, before today."""
    import yaml

    meta = yaml.safe_load((RAW / "2022" / "session.yml").read_text(encoding="utf-8"))
    assert meta["end_date"] == dt.date(2022, 7, 8) and int(meta.get("followup_months", 3)) == 3
    assert dt.date(2022, 10, 8) < dt.date.today()


def _per_session(reasons: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """A per-session table of the dynamic-exit indicator: session -> (status, pending_reason);
    a measured session gets 6 of 12."""
    rows = []
    for order, (session, (status, why)) in enumerate(reasons.items()):
        measured = status == "measured"
        rows.append({"session": session, "order": order, "indicator": "followup.sortie_dynamique",
                     "value": 0.5 if measured else np.nan,
                     "ci_low": 0.21 if measured else np.nan,
                     "ci_high": 0.79 if measured else np.nan,
                     "status": status, "pending_reason": why})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("lang, words", [
    ("fr", {"absent": "absent", "pending": "en attente", "none": "Aucune donnée"}),
    ("en", {"absent": "absent", "pending": "pending", "none": "No data"}),
])
def test_each_reason_draws_its_own_word(lang, words):
    """One panel, four sessions: follow-up absent (date past), follow-up still to come, exit
    questionnaires still to come (interim), collected with nobody to count."""
    table = _per_session({"a": ("pending", "followup_absent"), "b": ("pending", "followup"),
                          "c": ("pending", "exit"), "d": ("not_measured", ""),
                          "e": ("measured", "")})
    fig = trend_chart(table, ["followup.sortie_dynamique"], lang=lang)
    drawn = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert drawn == [words["absent"], words["pending"], words["pending"], words["none"]]


def test_a_table_without_reasons_still_says_pending():
    """An older per-session table (status only): a pending figure is "en attente"."""
    table = _per_session({"a": ("pending", ""), "b": ("measured", "")}).drop(
        columns="pending_reason")
    fig = trend_chart(table, ["followup.sortie_dynamique"], lang="fr")
    assert [t.get_text() for ax in fig.axes for t in ax.texts] == ["en attente"]


# --------------------------------------------------------------------------------------------
# 2. a typical change's interval at the scale's limit, or on one value
# --------------------------------------------------------------------------------------------

def exact_hl_interval(diffs) -> tuple[float, float, float, float]:
    """(estimate, low, high, achieved level) of the exact Hodges-Lehmann interval at 95 %,
    by hand: the Walsh averages sorted; the signed-rank statistic's null distribution by
    enumerating every sign of the ranks 1..n (no ties in ranks: the classical interval); the
    largest k with P(T <= k - 1) <= 2.5 %; the interval [W(k), W(N + 1 - k)]."""
    d = np.asarray(diffs, float)
    n = len(d)
    walsh = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
    big_n = len(walsh)
    sums = [sum(r for r, s in zip(range(1, n + 1), signs) if s)
            for signs in itertools.product((0, 1), repeat=n)]
    cdf = np.array([sum(x <= t for x in sums) for t in range(big_n + 1)]) / 2 ** n
    k = max([t + 1 for t in range(big_n) if cdf[t] <= 0.025], default=1)
    achieved = 1 - 2 * cdf[k - 1]
    return float(np.median(walsh)), walsh[k - 1], walsh[big_n - k], float(achieved)


def _pairs(results, population: str, outcome: str) -> np.ndarray:
    frame = (results.clean.learner_pairs if population == "learners"
             else results.clean.founder_pairs)
    sub = frame[frame["outcome"] == outcome].dropna(subset=["entry", "exit"])
    return (sub["exit"] - sub["entry"]).to_numpy(float)


def test_the_hand_computation_on_a_textbook_case():
    """Four differences 3, 3, 3, 2: ten Walsh averages 2, 2.5 x 3, 3 x 6; with 4 pairs the
    exact interval is [W(1), W(10)] at 1 - 2/16 = 87.5 %."""
    assert exact_hl_interval([3, 3, 3, 2]) == (3.0, 2.0, 3.0, 0.875)


@pytest.fixture(scope="module")
def synth(shipped):
    return shipped["synth-2024"]


def test_synth_2024_autonomy_interval_collapses_on_one_value(synth):
    est, low, high, level = exact_hl_interval(_pairs(synth, "learners", "autonomy"))
    assert (est, low, high) == (1.0, 1.0, 1.0) and round(level, 4) == 0.9575
    row = synth.indicators.set_index("indicator").loc["learners.autonomy.improved"]
    assert (row["effect_ci_low"], row["effect_ci_high"]) == (low, high)
    assert abs(row["effect_confidence"] - level) < 1e-9


@pytest.mark.parametrize("lang, named, sentence", [
    ("fr", "Autonomie, IC 95,8 % : 1,0–1,0",
     "Un intervalle dont les deux bornes sont égales (Autonomie, IC 95,8 % : 1,0–1,0) ne "
     "signifie pas que l'évolution est connue exactement"),
    ("en", "Autonomy, 95.8% CI: 1.0–1.0",
     "An interval whose two bounds are equal (Autonomy, 95.8% CI: 1.0–1.0) does not mean the "
     "change is known exactly"),
])
def test_the_learners_section_says_it_once_beside_the_results(synth, lang, named, sentence):
    rep = report.Report(synth, lang=lang, generated_at=FIXED)
    soup = BeautifulSoup(rep.learners().data, "html.parser")
    notes = [flat(p.get_text(" ")) for p in soup.select("p.findings-note")]
    table_notes = [flat(p.get_text(" ")) for p in soup.select("p.table-note")]
    assert sum(flat(sentence) in n for n in notes) == 1, notes
    assert not any(flat(named) in n for n in table_notes)  # once in the section
    # only the collapsed interval: none of the learners' intervals reaches its scale's limit
    assert "largest rise" not in " ".join(notes) and "plus forte hausse" not in " ".join(notes)
    # the interval it names is the one printed in the test line
    assert flat("IC 95,8 % : 1,0–1,0" if lang == "fr" else "95.8% CI: 1.0–1.0") in flat(
        soup.get_text(" "))


def test_the_founders_table_names_each_collapsed_interval_with_its_level(synth):
    for outcome, level in (("internal_communication", 0.875), ("leadership_skills", 0.9375)):
        est, low, high, achieved = exact_hl_interval(_pairs(synth, "founders", outcome))
        assert low == high and abs(achieved - level) < 1e-12, outcome
    rep = report.Report(synth, lang="fr", generated_at=FIXED)
    soup = BeautifulSoup(rep.founders().data, "html.parser")
    (note,) = [flat(p.get_text(" ")) for p in soup.select("p.table-note")]
    assert flat("(Communication interne, IC 87,5 % : 0,0–0,0 ; Compétences de direction "
                "d'entreprise, IC 93,8 % : 1,0–1,0)") in note
    # digital culture 0,0-1,0 on a 1-4 scale: neither collapsed nor at the limit (3 points)
    assert "Culture numérique" not in note and "plus forte hausse" not in note


def test_2022_intervals_need_no_such_note(shipped):
    """2022: no interval collapses (the closest, autonomy 0,5–1,0) and none reaches its
    scale's limit (confidence 1,0–2,0 of 4 points at most)."""
    r = shipped["2022"]
    rows = [r.indicators.set_index("indicator").loc[i].to_dict() | {"indicator": i}
            for i in r.indicators["indicator"] if str(i).endswith(".improved")]
    assert interval_notes.change_edges(rows) == {}
    rep = report.Report(r, lang="fr", generated_at=FIXED)
    text = flat(BeautifulSoup(rep.learners().data + rep.founders().data, "html.parser")
                .get_text(" "))
    assert "bornes sont égales" not in text and "plus forte hausse" not in text


def test_max_change_is_the_scale_range():
    assert interval_notes.max_change("learners.self_esteem.improved") == 30.0  # 10 to 40
    assert interval_notes.max_change("founders.digital_culture.improved") == 3.0  # 1 to 4
    assert interval_notes.max_change("learners.soft_skills.improved") == 20.0  # 5 x (1 to 5)
    assert interval_notes.max_change("founders.developed") is None


def test_a_fall_to_the_scale_s_limit_is_said_too():
    row = {"indicator": "founders.digital_culture.improved", "effect_ci_low": -3.0,
           "effect_ci_high": -2.0, "effect_confidence": 0.875}
    note = interval_notes.change_edge_note([row], lambda r: "Culture numérique", "fr")
    assert note.startswith("Quand l'intervalle d'une évolution typique atteint la plus forte "
                           "baisse que son échelle permet, du score le plus haut au plus bas (Culture numérique : "
                           "−3,0 points)")
    assert "aucune évolution ne peut être plus basse" in note
    assert interval_notes.change_edges([row]) == {"low": [row]}


@pytest.fixture(scope="module")
def at_the_limit(tmp_path_factory):
    """synth-2024 with its founders' digital culture from 1 at entry to 4 at exit, except one
    founder to 3: differences 3, 3, 3, 3, 2 on a 1-4 scale (3 points at most); run by
    ``fac-eval run`` (French and English)."""
    root = tmp_path_factory.mktemp("round6-limit")
    raw = root / "raw"
    shutil.copytree(RAW / "synth-2024", raw / "limit-2024")
    for name, values in (("founders_entry.csv", [1, 1, 1, 1, 1]),
                         ("founders_exit.csv", [4, 4, 4, 4, 3])):
        path = raw / "limit-2024" / name
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        table["digital_culture"] = [str(x) for x in values]
        table.to_csv(path, index=False)
    mp = pytest.MonkeyPatch()
    mp.setenv("FAC_EVAL_RAW", str(raw))
    mp.setenv("FAC_EVAL_PROCESSED", str(root / "p"))
    mp.setenv("FAC_EVAL_REPORTS", str(root / "r"))
    try:
        for extra in ([], ["--lang", "en"]):
            code, said = run_cli("run", "limit-2024", *extra)
            assert code == 0, said
    finally:
        mp.undo()
    out = root / "r" / "limit-2024"
    return (raw / "limit-2024",
            {"fr": (out / "rapport_limit-2024.html").read_text(encoding="utf-8"),
             "en": (out / "report_limit-2024_en.html").read_text(encoding="utf-8")})


@pytest.mark.parametrize("lang, printed, sentence", [
    ("fr", "3,0 [2,0 ; 3,0] (IC à 93,8 %)",
     "Quand l'intervalle d'une évolution typique atteint la plus forte hausse que son échelle "
     "permet, du score le plus bas au plus haut (Culture numérique : 3,0 points), cette borne "
     "est la limite de l'échelle et non une estimation : aucune évolution ne peut être plus "
     "grande ; seule l'autre borne est estimée."),
    ("en", "3.0 [2.0, 3.0] (93.8% CI)",
     "Where the interval of a typical change reaches the largest rise its scale allows, from the "
     "lowest score to the highest (Digital literacy: 3.0 points), that bound is the limit of "
     "the scale, not an estimate: no change can be larger; only the other bound is estimated."),
])
def test_an_interval_reaching_the_largest_possible_rise_is_said_so(at_the_limit, lang, printed,
                                                                   sentence):
    folder, html = at_the_limit
    entry = pd.read_csv(folder / "founders_entry.csv").set_index("founder_id")
    exit_ = pd.read_csv(folder / "founders_exit.csv").set_index("founder_id")
    diffs = (exit_["digital_culture"] - entry["digital_culture"]).to_numpy(float)
    assert sorted(diffs) == [2, 3, 3, 3, 3]
    est, low, high, level = exact_hl_interval(diffs)
    assert (est, low, high, level) == (3.0, 2.0, 3.0, 0.9375)
    assert high == 4 - 1  # the largest rise a 1-4 item allows
    soup = BeautifulSoup(html[lang], "html.parser")
    founders = soup.find("h2", id="porteurs")
    section_text = []
    for el in founders.find_all_next():
        if el.name == "h2":
            break
        if el.name in ("p", "td", "th"):
            section_text.append(flat(el.get_text(" ")))
    text = " ".join(section_text)
    assert flat(printed) in text
    notes = [flat(p.get_text(" ")) for p in founders.find_all_next("p", class_="table-note")]
    assert any(flat(sentence) in n for n in notes[:2]), notes[:2]
    assert text.count(flat(sentence)) == 1
