"""An interim session (exit questionnaires not collected) is not over (issue 13): its report
never says how many learners "completed" the course -- the profile's status is only the status
so far. The synthèse, the programme section (its sentences and the participant flow chart) and
the cost table say what the data tell: how many left the course so far, the others still in it.
The interim session is built as in tests/test_interim.py."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from test_interim import _interim_session, visible_text

from fac_eval.analysis import results as analysis
from fac_eval.data.cleaning import STILL_ENROLLED, flow_counts
from fac_eval.report.session import Report

NBSP = "\u00a0"


def _text(html: str) -> str:
    return visible_text(html).replace("\u202f", " ").replace(NBSP, " ")


@pytest.fixture(scope="module")
def interim(tmp_path_factory):
    folder = _interim_session(tmp_path_factory.mktemp("interim-wording"))
    profile = pd.read_csv(folder / "learners_profile.csv", dtype=str)
    # read during the session (it ends on 5 July 2024): it is not over
    return analysis.compute_session(folder, as_of=dt.date(2024, 6, 1)), profile


SO_FAR = {
    "fr": "La session n'est pas terminée : {left} apprenant sur {n} a quitté le parcours à ce "
          "jour ; les autres le suivent encore.",
    "en": "The session is not over: {left} learner out of {n} has left the course so far; the "
          "others are still in it.",
}
COMPLETED = {"fr": "terminé le parcours", "en": "completed the course"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_synthesis_says_who_left_so_far_not_who_completed(interim, lang):
    res, profile = interim
    n, left = len(profile), int((profile["status"] == "dropped_out").sum())
    assert (n, left) == (14, 1)
    text = _text(Report(res, lang=lang).synthesis().data)
    assert SO_FAR[lang].format(left=left, n=n) in text
    assert COMPLETED[lang] not in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_programme_section_and_its_flow_chart_say_still_in_the_course(interim, lang):
    res, profile = interim
    n, left = len(profile), int((profile["status"] == "dropped_out").sum())
    html = Report(res, lang=lang).public().data
    text = _text(html)
    assert SO_FAR[lang].format(left=left, n=n) in text
    assert COMPLETED[lang] not in text
    # the flow chart and its alt text: the third stage is "still in the course", not completed
    still = {"fr": "Toujours en parcours (pas d'abandon à ce jour)",
             "en": "Still in the course (no drop-out so far)"}[lang]
    assert f"{still[0].lower()}{still[1:]} {n - left}" in text  # the alt text
    assert ("Parcours terminé" if lang == "fr" else "Completed the course") not in html
    counts = flow_counts(res.clean.learner_flow).set_index("stage")["n"]
    assert STILL_ENROLLED in counts.index and "completed" not in counts.index
    assert counts[STILL_ENROLLED] == n - left


def test_the_cost_per_completed_learner_is_pending(interim):
    res, _ = interim
    rep = Report(res, lang="fr")
    if not rep.has_section("costs"):
        pytest.skip("no budget")
    text = _text(rep.costs().data)
    assert "Par apprenant ayant terminé le parcours — en attente : la session n'est pas terminée" \
        in text


def test_a_complete_session_still_counts_its_completions():
    from conftest import REPO

    res = analysis.compute_session(REPO / "data" / "raw" / "synth-2024")
    text = _text(Report(res, lang="fr").public().data)
    assert "13 apprenants sur 14" in text and "ont terminé le parcours" in text
    assert "n'est pas terminée" not in text
    counts = flow_counts(res.clean.learner_flow).set_index("stage")["n"]
    assert counts["completed"] == 13 and STILL_ENROLLED not in counts.index


def test_the_comparison_gives_no_cost_per_completed_learner_of_an_interim_session(interim):
    """The comparison's cost table: the interim session's cost per learner who completed is
    "en attente" (it was 96 500 € / 13 = 7 423 €), synth-2024's is still computed."""
    from conftest import REPO

    from fac_eval.analysis import comparison as compare
    from fac_eval.analysis.funder import cost_table
    from fac_eval.report.comparison import ComparisonReport

    res, _ = interim
    full = analysis.compute_session(REPO / "data" / "raw" / "synth-2024")
    rows = {r[0]: r for r in ComparisonReport(compare.compare_sessions([full, res]),
                                              lang="fr").cost_rows()}
    assert rows["interim-2024"][3] == "en attente"
    assert rows["synth-2024"][3].replace("\u202f", " ").replace(NBSP, " ") == "7 423 €"
    table = cost_table(res.programme.budget.total, res.indicators,
                       course_ongoing=True).set_index("basis")
    assert not table.at["learner_completed", "available"]
    assert table.at["learner_completed", "reason"] == "pending"
    assert table.at["participant", "count"] == 19  # 14 learners and 5 founders
