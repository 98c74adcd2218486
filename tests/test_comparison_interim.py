"""A comparison that includes an interim session (exit questionnaires not collected yet), issue
13: who contributes is decided once, in the analysis (fac_eval.analysis.comparison.Contributors,
the ``status`` and ``pending_reason`` of each session's figure), and every part of the report
reads it -- the synthèse counts exactly the people whose answers the results are and says the
interim session is pending, the charts say "en attente" for it (not "Aucune donnée"), the
pooled tests' caption names only the sessions whose pairs they use.

The interim session is built as in tests/test_interim.py (synth-2024 with its exit files
emptied or removed and no follow-up)."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import REPO
from test_interim import _interim_session, visible_text

from fac_eval.analysis import comparison as compare
from fac_eval.analysis import results as analysis
from fac_eval.report.comparison import ComparisonReport
from fac_eval.report.synthesis_words import SYNTHESIS_MAX_WORDS, count_words

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    """A raw folder with 2022, synth-2024, interim-2024 (exit files emptied) and
    interim-absent (exit files removed)."""
    root = tmp_path_factory.mktemp("cmp-interim")
    _interim_session(root)
    _interim_session(root / "b", name="interim-absent", absent=True)
    raw = root / "data" / "raw"
    shutil.move(str(root / "b" / "data" / "raw" / "interim-absent"), raw / "interim-absent")
    for s in ("2022", "synth-2024"):
        shutil.copytree(REPO / "data" / "raw" / s, raw / s)
    # only the learners' exit questionnaire awaited: its founders' answers are in
    shutil.copytree(REPO / "data" / "raw" / "synth-2024", raw / "interim-learners")
    (raw / "interim-learners" / "learners_exit.csv").unlink()
    (raw / "interim-learners" / "followup.csv").unlink()
    return raw


@pytest.fixture(scope="module")
def computed(raw):
    """Each session computed once."""
    return {p.name: analysis.compute_session(p) for p in raw.iterdir()}


def _compare(computed, *names):
    return compare.compare_sessions([computed[n] for n in names])


def _text(html: str) -> str:
    return visible_text(html).replace("\u202f", " ").replace(NBSP, " ")


@pytest.mark.parametrize("names, expected", [
    # (sessions, (contributing, pending, exit learners, pairs, founders, pending learners,
    #  pending founders))
    (("2022", "synth-2024", "interim-2024"),
     (("2022", "synth-2024"), ("interim-2024",), 8 + 13, 8 + 12, 4 + 5, 14, 5)),
    (("synth-2024", "interim-2024"), (("synth-2024",), ("interim-2024",), 13, 12, 5, 14, 5)),
    (("2022", "interim-absent"), (("2022",), ("interim-absent",), 8, 8, 4, 14, 5)),
    (("2022", "synth-2024"), (("2022", "synth-2024"), (), 21, 20, 9, 0, 0)),
    (("interim-2024", "interim-absent"), ((), ("interim-2024", "interim-absent"), 0, 0, 0,
                                          28, 10)),
    # the founders of a session awaiting only its learners' exit questionnaire contribute
    (("2022", "interim-learners"), (("2022", "interim-learners"), ("interim-learners",), 8, 8,
                                    4 + 5, 14, 0)),
])
def test_the_contributors_are_decided_once_in_the_analysis(computed, names, expected):
    """Who the pooled figures are the answers of: the sessions named in the pooled table and
    their learners who answered the exit questionnaire (pairs among them) and founders who
    answered theirs; the interim sessions are pending, their enrolled people counted apart."""
    comp = _compare(computed, *names)
    who = comp.contributors
    got = (who.sessions, who.pending, who.learners_exit, who.learners_paired,
           who.founders_exit, who.pending_learners, who.pending_founders)
    assert got == expected
    assert set(who.paired_sessions) == set(who.sessions) - {"interim-learners"}
    # the same sessions as the pooled table's, none more
    named = {x for cell in comp.pooled["sessions"] for x in str(cell).split(",") if x}
    assert set(who.sessions) == named
    learners = {x for cell in comp.pooled.loc[comp.pooled["population"] == "learners",
                                              "sessions"] for x in str(cell).split(",") if x}
    assert not set(who.pending) & learners


def test_a_session_awaiting_only_its_learners_exit_is_named_with_its_learners(computed):
    comp = _compare(computed, "2022", "interim-learners")
    text = _text(ComparisonReport(comp, lang="fr").synthesis().data)
    assert ("déclarés par 8 apprenants ayant répondu au questionnaire de sortie (dont 8 aux "
            "questionnaires d'entrée et de sortie) et 9 porteurs de projet ayant "
            "répondu au questionnaire de sortie, sur 2 sessions (2022, interim-learners)") in text
    assert "ses 14 apprenants inscrits ne comptent dans aucun de ces résultats." in text
    assert "0 porteur" not in text


def test_each_sessions_figure_says_whether_it_is_measured_or_pending_and_why(computed):
    comp = _compare(computed, "2022", "synth-2024", "interim-2024")
    P = comp.per_session.set_index(["session", "indicator"])
    for ind in compare.KEY_INDICATORS:
        reason = "followup" if ind.startswith("followup.") else "exit"
        assert (P.at[("interim-2024", ind), "status"],
                P.at[("interim-2024", ind), "pending_reason"]) == ("pending", reason), ind
        assert P.at[("synth-2024", ind), "status"] == "measured", ind
    # 2022: its exit questionnaires are in, its follow-up is not, and its planned date
    # (8 October 2022) is past: absent from these data (the interim session's is still to come)
    assert P.at[("2022", "learners.self_esteem.improved"), "status"] == "measured"
    assert (P.at[("2022", "followup.sortie_dynamique"), "status"],
            P.at[("2022", "followup.sortie_dynamique"), "pending_reason"]) == ("pending",
                                                                                "followup_absent")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_synthesis_counts_only_those_who_contribute(computed, lang):
    """The synthèse: "21 apprenants ayant répondu au questionnaire de sortie (dont 20 ...) et 9
    porteurs ... sur 2 sessions (2022, synth-2024)", the interim session said pending with its
    14 learners and 5 founders in none of the results, and it is not among the sessions "the
    pooled figures include"."""
    comp = _compare(computed, "2022", "synth-2024", "interim-2024")
    html = ComparisonReport(comp, lang=lang).synthesis().data
    text = _text(html)
    assert count_words(html) <= SYNTHESIS_MAX_WORDS
    if lang == "fr":
        assert ("Ces résultats sont déclarés par 21 apprenants ayant répondu au questionnaire de "
                "sortie (dont 20 aux questionnaires d'entrée et de sortie) et 9 porteurs de "
                "projet ayant répondu au questionnaire de sortie, sur 2 sessions "
                "(2022, synth-2024), sans groupe de comparaison") in text
        assert ("En attente : interim-2024, session intermédiaire dont les questionnaires de "
                "sortie ne sont pas encore collectés ; ses 14 apprenants et 5 porteurs de projet "
                "inscrits ne comptent dans aucun de ces résultats.") in text
        # the contributing sessions (interim-2024 is in none of the results)
        assert ("Aucune des sessions ne contient de réponses réelles (2022 [données "
                "reconstituées], synth-2024 [données synthétiques]) :") in text
        assert "22 apprenants" not in text and "comptés parmi les participants" not in text
    else:
        assert ("These results are self-reported by 21 learners who answered the exit "
                "questionnaire (20 of them answered both the entry and the exit questionnaires) "
                "and 9 founders who answered the exit questionnaire, over 2 sessions (2022, "
                "synth-2024), without a comparison group") in text
        assert ("Pending: interim-2024, an interim session whose exit questionnaires are not "
                "collected yet; its 14 learners and 5 founders enrolled are in none of these "
                "results.") in text
        assert ("None of the sessions holds real answers (2022 [reconstructed data], "
                "synth-2024 [synthetic data]):") in text
    for finding in re.findall(r"Sessions ?: ([^.]*)\.", text):
        assert "interim" not in finding, finding


def test_the_synthesis_in_singular_and_when_nothing_is_collected(computed):
    one = _text(ComparisonReport(_compare(computed, "synth-2024", "interim-2024"),
                                 lang="fr").synthesis().data)
    assert ("déclarés par 13 apprenants ayant répondu au questionnaire de sortie (dont 12 aux "
            "questionnaires d'entrée et de sortie) et 5 porteurs de projet ayant "
            "répondu au questionnaire de sortie, sur 1 session (synth-2024)") in one
    none = _text(ComparisonReport(_compare(computed, "interim-2024", "interim-absent"),
                                  lang="fr").synthesis().data)
    assert ("Aucune session comparée n'a encore ses questionnaires de sortie collectés : aucun "
            "résultat n'est donné.") in none
    assert ("En attente : interim-2024, interim-absent, sessions intermédiaires dont les "
            "questionnaires de sortie ne sont pas encore collectés ; leurs 28 apprenants et 10 "
            "porteurs de projet inscrits ne comptent dans aucun de ces résultats.") in none
    assert "déclarés par" not in none


@pytest.mark.parametrize("lang, pending, no_data", [("fr", "en attente", "Aucune donnée"),
                                                     ("en", "pending", "No data")])
def test_the_charts_say_pending_not_no_data(computed, lang, pending, no_data):
    """Figure 8 (the key indicators session by session): the interim session's seven panels say
    "en attente", 2022's follow-up panel "absent" (its planned date is past: the one follow-up
    status, as in the tables); no "Aucune donnée". The forest charts (Figures 1
    to 7) draw the interim session as a row saying "en attente", and their caption says what is
    awaited: the exit questionnaires, or the follow-up (2022 and interim-2024 for the dynamic
    exits)."""
    comp = _compare(computed, "2022", "synth-2024", "interim-2024")
    report = ComparisonReport(comp, lang=lang)
    trends = report.trends().data
    svg = re.search(r"<svg.*?</svg>", trends, flags=re.S).group(0)
    drawn = re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)
    assert drawn.count(pending) == len(compare.KEY_INDICATORS), drawn
    assert drawn.count("absent") == 1, drawn
    assert no_data not in drawn and no_data not in _text(trends)
    indicators = report.indicators().data
    figures = re.findall(r'<figure class="fac-figure">.*?</figure>', indicators, flags=re.S)
    assert len(figures) == len(compare.KEY_INDICATORS)
    for fig in figures:
        assert f"interim-2024 {pending}" in _text(fig), fig[-400:]
        assert no_data not in _text(fig)
    exit_note, follow_note = (
        ("En attente (questionnaires de sortie pas encore collectés) pour : interim-2024.",
         "En attente (suivi pas encore collecté) pour : interim-2024. Pas de données de suivi "
         "(date prévue passée) pour : 2022.") if lang == "fr"
        else ("Pending (exit questionnaires not collected yet) for: interim-2024.",
              "Pending (follow-up not collected yet) for: interim-2024. No follow-up data (its "
              "planned date has passed) for: 2022."))
    captions = [_text(re.search(r"<figcaption>(.*?)</figcaption>", f, flags=re.S).group(1))
                for f in figures]
    assert all(exit_note in c for c in captions[:-1]) and follow_note in captions[-1]
    assert exit_note not in captions[-1]  # 2022's exit questionnaires are collected


def test_the_pooled_tests_name_only_the_sessions_whose_pairs_they_use(computed):
    comp = _compare(computed, "2022", "synth-2024", "interim-2024")
    text = _text(ComparisonReport(comp, lang="fr").pooled().data)
    caption = re.search(r"Tableau \d+\. (illustratif )?Évolution des apprenants[^:]*",
                        text).group(0)
    assert "2022 [données reconstituées], synth-2024 [données synthétiques]" in caption
    assert "interim" not in caption
    assert comp.tests["self_esteem"].n == 20


def test_a_key_indicator_pending_in_every_session_says_so(computed):
    """2022 and an interim session: the dynamic exits are pending in both (no follow-up yet):
    "pas encore collecté", never "non mesuré"."""
    comp = _compare(computed, "2022", "interim-2024")
    text = _text(ComparisonReport(comp, lang="fr").indicators().data)
    assert ("Sortie dynamique (suivi) : aucun chiffre dans les sessions comparées. En "
            "attente (suivi pas encore collecté) pour : interim-2024. Pas de données de suivi "
            "(date prévue passée) pour : 2022.") in text
    assert "non mesuré" not in text
