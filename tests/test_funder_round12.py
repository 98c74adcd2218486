"""Issue 13, the funder's review F5: the synthèse's "what comes next" quoted the first
perspective, a retrospective conclusion ("the real value lies in the coaching"); the
publication's forward recommendation (developing the learners' professional network) was only in
the Perspectives section.

A perspective now says whether it is a conclusion (the default) or a recommendation
(``kind: recommendation``); the synthèse quotes the first recommendation under what comes next,
the first conclusion only when no recommendation is given, and the Perspectives section gives
both, each under its own heading.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval import report
from fac_eval.data import programme

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 12, 3, 9, 0)
SEED = REPO.parent / "shared" / "seeds" / "000_b96b6ab22750092d.txt"
NETWORK = {"fr": "développement de leur réseau professionnel", "en": "professional network"}
COACHING = {"fr": "la vraie valeur réside dans l'accompagnement",
            "en": "its real value lies in the coaching"}


def flat(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def what_comes_next(html: str) -> str:
    """The synthèse's last part: after its heading "Conclusions and what comes next"."""
    soup = BeautifulSoup(html, "html.parser")
    heading = [h for h in soup.find_all(["h3", "h4", "p", "strong"])
               if flat(h.get_text()) in ("Conclusions et suites", "Conclusions and what comes next")]
    assert len(heading) == 1
    return flat(" ".join(e.get_text(" ") for e in heading[0].find_all_next("p")))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_2022_synthesis_says_the_published_recommendation_as_what_comes_next(shipped, lang):
    rep = report.Report(shipped["2022"], lang=lang, generated_at=FIXED)
    after = what_comes_next(rep.synthesis().data)
    assert NETWORK[lang] in after
    assert COACHING[lang] not in after  # a retrospective conclusion: in section 10
    perspectives = flat(BeautifulSoup(rep.perspectives().data, "html.parser").get_text(" "))
    assert COACHING[lang] in perspectives and NETWORK[lang] in perspectives


def test_the_2022_recommendation_is_the_publications_own_words():
    """The paragraph marked as a recommendation is quoted verbatim from the publication, and
    the publication words it as one ("pourrait être orienté")."""
    meta = yaml.safe_load((RAW / "2022" / "session.yml").read_text(encoding="utf-8"))
    advice = [p for p in meta["perspectives"] if isinstance(p, dict)
              and p.get("kind") == "recommendation"]
    assert len(advice) == 1
    assert advice[0]["fr"] in SEED.read_text(encoding="utf-8")
    assert "pourrait être orienté" in advice[0]["fr"]


@pytest.mark.parametrize("session, conclusions, recommendations", [
    ("2022", "Conclusions du bilan publié (texte de la structure)",
     "Recommandations du bilan publié (texte de la structure)"),
    ("synth-2024", "Les conclusions de l'évaluation", "Les recommandations de l'évaluation"),
])
def test_the_perspectives_section_gives_conclusions_then_recommendations(
        shipped, session, conclusions, recommendations):
    soup = BeautifulSoup(report.Report(shipped[session], lang="fr", generated_at=FIXED)
                         .perspectives().data, "html.parser")
    headings = [flat(h.get_text()) for h in soup.find_all(["h3", "h4"])]
    assert headings.index(conclusions) < headings.index(recommendations)
    heading = next(h for h in soup.find_all(["h3", "h4"])
                   if flat(h.get_text()) == recommendations)
    after = flat(heading.find_next("p").get_text())
    advice = shipped[session].programme.perspectives_of("recommendation")[0]
    assert flat(advice.fr) in after


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_evaluators_recommendation_is_quoted_with_who_recommends(shipped, lang):
    """A French-only recommendation in the English report keeps its French under lang="fr";
    the lead says it is the evaluator's reading, not a result of the data; no conclusion
    caveat is said without a quoted conclusion."""
    res = copy.deepcopy(shipped["synth-2024"])
    text = "Ouvrir une deuxième session à l'automne avec les mêmes partenaires."
    res.programme = res.programme.model_copy(update={"perspectives": [
        programme.Perspective(fr="Le groupe a beaucoup progressé."),
        programme.Perspective(fr=text, kind="recommendation")]})
    soup = BeautifulSoup(report.Report(res, lang=lang, generated_at=FIXED).synthesis().data,
                         "html.parser")
    paras = soup.select("p")
    said = [flat(p.get_text()) for p in paras]
    i = said.index(f"« {text} »")
    assert said[i - 1] == ("L'équipe d'évaluation recommande (une lecture, non un résultat de ces "
                           "données) :" if lang == "fr" else
                           "The evaluator recommends (a reading, not a result of these data):")
    assert paras[i].get("lang") == ("fr" if lang == "en" else None)
    assert not any("Le groupe a beaucoup progressé" in t for t in said)
    assert not any(t.startswith(("Ce sont les conclusions", "These are the evaluator's"))
                   for t in said)


@pytest.mark.parametrize("typed", ["advice", "Recommandation", "1", "[recommendation]"])
def test_an_unknown_kind_of_perspective_is_refused_with_its_line(typed):
    text = ("perspectives:\n"
            "  - Le groupe a beaucoup progressé.\n"
            f"  - fr: Ouvrir une deuxième session.\n    kind: {typed}\n")
    prog, probs = programme.parse_programme(yaml.safe_load(text), text)
    assert prog is None and len(probs) == 1
    p = probs[0]
    assert (p.file, p.row, p.column) == ("session.yml", 4, "perspectives[2].kind")
    assert p.expected == "l'une des valeurs « conclusion », « recommendation »"
    assert p.expected_en == 'one of "conclusion", "recommendation"'
    assert p.value == (None if typed.startswith("[") else typed)


def test_a_single_recommendation_may_be_written_as_one_mapping():
    text = "perspectives:\n  fr: Ouvrir une deuxième session.\n  kind: recommendation\n"
    prog, probs = programme.parse_programme(yaml.safe_load(text), text)
    assert probs == [] and prog is not None
    assert [p.kind for p in prog.perspectives] == ["recommendation"]
    assert prog.perspectives_of("conclusion") == []
