"""Issue 13, funder review 5 (7 December), LOW findings checked on the rendered reports:

- the comparison's sessions table said the 2022 follow-up was "non collecté", though the
  publication only planned it and the 2022 report says "suivi non disponible": the cell now
  has the session's own follow-up word (its status: absent, pending, collected with a count).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval.analysis import comparison as compare
from fac_eval.report.comparison import ComparisonReport


@pytest.fixture(scope="module")
def both():
    return compare.compare_sessions("2022,synth-2024", raw_dir=REPO / "data" / "raw")


def _rows(results, lang):
    rep = ComparisonReport(results, lang=lang, generated_at=dt.datetime(2026, 12, 7, 9, 0))
    soup = BeautifulSoup(str(rep.sessions().data), "html.parser")
    table = soup.select_one("table.fac-table")  # the first: the sessions compared
    column = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")].index(
        "Suivi" if lang == "fr" else "Follow-up")
    return {re.sub(r"\s+", " ", tr.find("th").get_text(" ")).strip():
            re.sub(r"[\s\u00a0\u202f]+", " ",
                   tr.find_all(["th", "td"])[column].get_text(" ")).strip()
            for tr in table.select("tbody tr")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_sessions_table_gives_each_sessions_own_follow_up_word(both, lang):
    rows = _rows(both, lang)
    by_name = {s.name: s for s in both.sessions}
    word = by_name["2022"].followup.word(lang)
    assert rows["2022"] == word[:1].lower() + word[1:]
    assert rows["2022"] not in ("non collecté", "not collected")
    assert rows["synth-2024"] == ("14 comptés au suivi" if lang == "fr"
                                      else "14 counted at follow-up")


@pytest.mark.parametrize("lang, none_yet, reached", [
    ("fr", "Aucun n'est encore appliqué dans ce rapport", "est atteint ici"),
    ("en", "None is run in this report yet", "is reached here"),
])
def test_an_interim_reports_methods_say_no_test_is_run_yet(tmp_path, shipped, lang, none_yet,
                                                          reached):
    """An interim report (no exit answers) said of its intervals "Leur niveau nominal, 95 %,
    est atteint ici" though none was computed (funder review 5, LOW): it now says no test is
    run yet and that the methods describe what will be done; a full report keeps its level."""
    from test_interim import _interim_session

    from fac_eval import report
    from fac_eval.analysis import results as analysis

    def methods(results):
        rep = report.Report(results, lang=lang, generated_at=dt.datetime(2026, 12, 7, 9, 0))
        html = str(rep.methods().data)
        return re.sub(r"[\s\u00a0\u202f]+", " ", BeautifulSoup(html, "html.parser").get_text(" "))

    interim = methods(analysis.compute_session(_interim_session(tmp_path)))
    assert none_yet in interim and reached not in interim
    full = methods(shipped["synth-2024"])
    assert none_yet not in full
    # 2022: every interval reaches its level or says the level it achieves
    assert none_yet not in methods(shipped["2022"])


def _nested(text: str) -> list[str]:
    """The parenthesised passages of ``text`` that hold another parenthesis."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
            if depth == 1:
                start = i
            elif depth == 2:
                out.append(text[start:start + 120])
        elif ch == ")" and depth:
            depth -= 1
    return out


@pytest.mark.parametrize("lang, flag", [("fr", "2022 [données reconstituées]"),
                                        ("en", "2022 [reconstructed data]")])
def test_no_parenthesis_inside_another_in_the_comparison(both, lang, flag):
    """Review 5, LOW: "toutes sessions regroupées (2022 (données reconstituées), …)": a
    session's flag inside parentheses is now in brackets, as typography nests them; outside
    parentheses it keeps its own."""
    rep = ComparisonReport(both, lang=lang, generated_at=dt.datetime(2026, 12, 7, 9, 0))
    parts = [rep.synthesis(), rep.indicators(), rep.pooled(), rep.methods()]
    text = " ".join(re.sub(r"[\s\u00a0\u202f]+", " ", BeautifulSoup(
        str(p.data), "html.parser").get_text(" ")) for p in parts)
    assert _nested(text) == []
    assert flag in text  # the pooled tests' caption and the synthèse's limit
    assert flag.replace("[", "(").replace("]", ")") in text  # "Sessions : 2022 (…)"


@pytest.mark.parametrize("lang, words", [
    ("fr", "Les citations de la section {n}, écrites pour la démonstration, ne sont pas les "
           "témoignages recueillis par le programme et n'appuient aucune de ces conclusions."),
    ("en", "The quotes of section {n}, written for the demonstration, are not the testimonies "
           "the programme collected and support none of these conclusions.")])
def test_the_publications_conclusion_is_kept_apart_from_the_invented_quotes(shipped, lang, words):
    """Review 5, MEDIUM-2: 2022's invented quotes, all on coaching, came just before the
    publication's conclusion that "la mesure d'impact et les témoignages" show coaching to be
    the real value, as if they were those testimonies. The conclusions now say, right after
    their authors' caveat, that the quotes were written for the demonstration and support none
    of them, naming the quotes' section; a synthetic session, whose conclusions are made up
    too, and a reconstruction without quotes say nothing of the kind."""
    from fac_eval import report

    def perspectives(results, quoted=True):
        rep = report.Report(results, lang=lang, generated_at=dt.datetime(2026, 12, 7, 9, 0))
        if not quoted:  # as if no testimony had consented to be quoted
            rep.quotes = lambda: []
        soup = BeautifulSoup(str(rep.perspectives().data), "html.parser")
        return [re.sub(r"[\s\u00a0\u202f]+", " ", p.get_text(" ")).strip()
                for p in soup.find_all("p")], rep

    paras, rep = perspectives(shipped["2022"])
    expected = words.format(n=rep.sections.index("testimonies") + 1)
    caveat = next(p for p in paras if p.startswith(
        "Ces conclusions et recommandations" if lang == "fr" else "These conclusions"))
    assert caveat.endswith(" " + expected)  # the authors' caveat goes on with it
    synthetic, _ = perspectives(shipped["synth-2024"])
    assert not any(expected[:25] in p for p in synthetic)
    without, _ = perspectives(shipped["2022"], quoted=False)
    assert not any(p.startswith(expected[:20]) for p in without)
