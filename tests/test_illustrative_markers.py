"""Every figure knows where it comes from (issue 12, §1): in a reconstructed session's report
every figure the publication does not fix carries "illustratif" in place, a sentence at the top
says which figures are fixed, the quotes are said to be written for the demonstration and the
concordance says what it checks; a synthetic session's report carries no "illustratif" marker
(it is synthetic throughout, said by its banner) but its quotes are captioned too."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval import report
from fac_eval.analysis import results as analysis

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 1, 2, 3, 4)
SECTIONS = ("header", "synthesis", "key_figures", "public", "learners", "founders", "followup",
            "testimonies", "claims", "methods", "provenance")
TAG = {"fr": "illustratif", "en": "illustrative"}


@pytest.fixture(scope="module")
def sessions(shipped):
    return {s: shipped[s] for s in ("2022", "synth-2024")}


@pytest.fixture(scope="module")
def rendered(sessions):
    out = {}
    for name, res in sessions.items():
        for lang in ("fr", "en"):
            rep = report.Report(res, lang=lang, generated_at=FIXED)
            out[name, lang] = {s: BeautifulSoup(getattr(rep, s)().data, "html.parser")
                               for s in SECTIONS}
    return out


def words(node) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", node.get_text(" ")).strip()


def tagged(node, lang) -> bool:
    return any(words(t) == TAG[lang] for t in node.select(".tag-illustrative"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_top_of_a_reconstructed_report_says_what_the_publication_fixes(rendered, lang):
    claims = yaml.safe_load((RAW / "2022" / "claims.yml").read_text("utf-8"))["claims"]
    # the figures it fixes; "peu évolué" (at_most_percent) words others without a figure
    n_claims = sum("at_most_percent" not in c for c in claims)
    note = rendered["2022", lang]["header"].select_one(".evidence-note")
    assert note is not None
    want = (f"Le bilan publié fixe {n_claims} chiffres" if lang == "fr"
            else f"The published assessment fixes {n_claims} figures")
    assert want in words(note)
    assert TAG[lang] in words(note)
    assert rendered["synth-2024", lang]["header"].select_one(".evidence-note") is None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_illustrative_figure_is_marked_in_place(rendered, sessions, lang):
    doc = rendered["2022", lang]
    ind = sessions["2022"].indicators.set_index("indicator")
    # every learners' result with a test: the test comes from invented answers, one marker at
    # the end of its test line; a declaration alone ("8 of 8 ... prendre du recul", published)
    # is marked only when the publication does not fix it
    items = doc["learners"].select("ul.findings li")
    assert items
    tests = [li for li in items if li.select_one("span.test")]
    assert len(tests) == 6
    for li in tests:
        assert len(li.select(".tag-illustrative")) == 1, words(li)
        assert tagged(li.select_one("span.test"), lang), words(li)
    assert ind.loc["learners.step_back.agree", "evidence"] == "published"
    alone = {words(li): tagged(li, lang) for li in items if not li.select_one("span.test")}
    recul = [t for t in alone if "recul" in t or "step back" in t]
    assert len(recul) == 1 and alone[recul[0]] is False, alone
    reliable = [t for t in alone if "fiable" in t or "reliabl" in t]
    assert len(reliable) == 1 and alone[reliable[0]] is True, alone  # never published
    assert (ind.loc[[i for i in ind.index if i.startswith("learners.")
                     and i.endswith(".improved")], "evidence_inference"]
            == "illustrative").all()
    # the profile's shares not fixed by the publication (all 8 completed) are marked; the
    # published ones (24 months, RQTH) are not: their exact interval depends on k and n only
    public = {words(li): tagged(li, lang) for li in doc["public"].select("ul.findings li")}
    assert public and all(mark == ("24" not in li and "RQTH" not in li)
                          for li, mark in public.items()), public
    # the key-figure card of the founders' internal communication (1 of 4, not published) now
    # gives the publication's words, no invented count, hence no marker (funder review 5)
    cards = {words(c.select_one(".big")): tagged(c, lang) for c in
             doc["key_figures"].select("div.card")}
    assert f"1 {'sur' if lang == 'fr' else 'of'} 4" not in cards
    assert cards["Peu d'évolution" if lang == "fr" else "Little change"] is False
    assert ind.loc["founders.internal_communication.improved", "evidence"] == "illustrative"
    assert ind.loc["learners.confidence.improved", "evidence"] == "published"
    confidence = [c for c in doc["key_figures"].select("div.card")
                  if "confi" in words(c).lower()]
    assert confidence and not tagged(confidence[0], lang)  # "tous ont bien plus confiance"
    # charts and tables of invented data: marked in their captions
    for section in ("learners", "founders", "testimonies"):
        for cap in doc[section].select("figcaption"):
            assert tagged(cap, lang), (section, words(cap))
    profile = [c for c in doc["public"].select("p.table-caption")
               if "profil" in words(c).lower() or "profile" in words(c).lower()]
    assert profile and all(tagged(c, lang) for c in profile)
    # the provenance goes without; the concordance marks only the computed figure of a
    # statement the publication words without a figure ("peu évolué": the reconstruction's)
    assert not doc["provenance"].select(".tag-illustrative")
    claims = yaml.safe_load((RAW / "2022" / "claims.yml").read_text("utf-8"))["claims"]
    worded = sum("at_most_percent" in c for c in claims)
    assert len(doc["claims"].select(".tag-illustrative")) == worded == 2
    # the flow: 8 enrolled is published, but not that all 8 completed (illustrative)
    assert ind.loc["learners.enrolled", "evidence"] == "published"
    assert ind.loc["learners.completed", "evidence"] == "illustrative"
    flow = doc["public"].select("figcaption")[0]
    assert tagged(flow, lang), words(flow)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_synthesis_marks_its_invented_findings_and_only_those(rendered, sessions, lang):
    """The synthèse's findings: a published share goes unmarked, and nothing else is there (the
    funder's review for #13, F2): the null result the publication words without a figure
    (internal communication) is said as it says it, without the reconstruction's 1 of 4, so it
    needs no marker; a learner's fall, read from the invented scores, is not a finding."""
    ind = sessions["2022"].indicators.set_index("indicator")
    items = {words(li): tagged(li, lang)
             for li in rendered["2022", lang]["synthesis"].select("ul.findings li")}
    assert len(items) >= 4, items
    for text, marked in items.items():
        assert not marked, text
        assert "plus bas" not in text and "lower" not in text
        if "communication" in text:  # its count is invented: not given
            assert ind.loc["founders.internal_communication.improved", "evidence"] == \
                "illustrative"
            assert "1 sur 4" not in text and "1 of 4" not in text and "1 out of 4" not in text
    assert sum(items.values()) == 0, items
    assert not rendered["synth-2024", lang]["synthesis"].select(".tag-illustrative")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_marker_in_a_synthetic_report(rendered, lang):
    for section, soup in rendered["synth-2024", lang].items():
        assert not soup.select(".tag-illustrative"), section


@pytest.mark.parametrize("session", ["2022", "synth-2024"])
def test_quotes_are_said_to_be_written_for_the_demonstration(rendered, session):
    fr = words(rendered[session, "fr"]["testimonies"])
    en = words(rendered[session, "en"]["testimonies"])
    assert "Ces citations ont été écrites pour la démonstration" in fr
    assert "personne ne les a prononcées" in fr
    assert "These quotes were written for the demonstration" in en


def test_the_concordance_says_what_it_checks(rendered):
    fr = words(rendered["2022", "fr"]["claims"])
    assert "que le code retrouve les chiffres publiés à partir de ces données, construites pour " \
           "leur correspondre" in fr
    assert "Ce n'est pas une vérification du bilan lui-même" in fr
    en = words(rendered["2022", "en"]["claims"])
    assert "It is not a check of the publication itself" in en


def test_a_claim_that_does_not_match_never_unmasks_a_hidden_cell(tmp_path):
    """A claims.yml naming a cell the report hides (gender "x": 1 in synth-2024) must not make
    the concordance print it when the claim does not match (found by an independent attack)."""
    import shutil

    s = tmp_path / "synth-2024"
    shutil.copytree(RAW / "synth-2024", s)
    (s / "claims.yml").write_text(
        'source: "test"\nclaims:\n'
        '  - id: other_gender\n    text: "5 personnes se déclarent autre genre"\n'
        '    indicator: learners.gender.x\n    count: 5\n', encoding="utf-8")
    res = analysis.compute_session(s)
    assert int(res.indicators.set_index("indicator").loc["learners.gender.x", "numerator"]) == 1
    html = report.Report(res, generated_at=FIXED).claims().data
    rows = [[words(td) for td in tr.find_all(["td", "th"])]
            for tr in BeautifulSoup(html, "html.parser").select("table tbody tr")]
    assert not any("autre genre" in r[0] for r in rows)  # the statement is not reproduced
    (row,) = [r for r in rows if "non reproduit" in r[0]]
    assert row[1] == row[2] == "masqué (règle des petits effectifs)"
    assert "1 sur 14" not in " ".join(row) and "5" not in row[1]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kinds, expected", [
    (("reconstructed", "synthetic"), "none"),
    (("real", "synthetic"), "some"),
    (("real", "real"), "")])
def test_the_pooled_score_tests_say_when_their_scores_are_not_real(sessions, lang, kinds,
                                                                    expected):
    """The stratified tests of the comparison run on the sessions' scores: on reconstructed or
    synthetic scores their verdicts are marked "illustratif" in the caption and the note says
    so first, naming the sessions (reader's item 4 for #12); on real scores, no marker."""
    import copy
    from dataclasses import replace

    from fac_eval.analysis import comparison
    from fac_eval.report.comparison import ComparisonReport

    pair = []
    for name, kind in zip(("2022", "synth-2024"), kinds):
        s = copy.deepcopy(sessions[name])
        pair.append(s if kind != "real" else replace(s, meta={**s.meta, "data_kind": "real"}))
    comp = comparison.compare_sessions(pair)
    view = ComparisonReport(comp, lang=lang, generated_at=FIXED).score_tests_table()
    note = re.sub(r"[\s\u00a0\u202f]+", " ", view.note)
    if expected == "":
        assert view.tag == ""
        assert "illustr" not in note
        return
    assert view.tag == TAG[lang]
    lead = {("none", "fr"): "Aucune de ces sessions ne contient de scores réels (2022 [données "
            "reconstituées], synth-2024 [données synthétiques]) : ces verdicts illustrent la "
            "méthode",
            ("none", "en"): "None of these sessions holds real scores (2022 [reconstructed "
            "data], synth-2024 [synthetic data]): these verdicts illustrate the method",
            ("some", "fr"): "Les scores de synth-2024 (données synthétiques) sont reconstitués "
            "ou synthétiques : les verdicts qui les incluent illustrent la méthode",
            ("some", "en"): "The scores of synth-2024 (synthetic data) are reconstructed or "
            "synthetic: the verdicts that include them illustrate the method"}[expected, lang]
    assert note.startswith(lead), note[:200]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_fall_read_from_invented_scores_is_marked_on_its_card(rendered, sessions, lang):
    """2022's self-esteem card: 7 of 8 is published (no marker); "1 a un score plus bas" comes
    from the invented scores: it sits in the card's detail, before its marker (reader's round
    8 for #12)."""
    ind = sessions["2022"].indicators.set_index("indicator").loc["learners.self_esteem.improved"]
    assert ind["evidence"] == "published" and ind["evidence_inference"] == "illustrative"
    assert int(ind["n_worse"]) == 1
    fall = "1 a un score plus bas" if lang == "fr" else "1 scored lower"
    cards = [c for c in rendered["2022", lang]["key_figures"].select("div.card")
             if fall in words(c)]
    assert len(cards) == 1
    what = cards[0].select_one(".what")
    detail = what.select_one(".card-detail")
    assert fall in words(detail) and tagged(detail, lang)
    lead = words(what).split(words(detail))[0]
    assert fall not in lead and ("7" in lead)
    assert len(what.select(".tag-illustrative")) == 1  # the published share stays unmarked
