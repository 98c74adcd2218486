"""Key figures led by "k sur n", a weak result among them, and the limits beside the figures
(issue 12, §2): never a bare percentage, never limits kept for the methods only, no number
written into a sentence by hand."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from scipy.stats import binomtest

from fac_eval import report
from fac_eval.analysis import results as analysis

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 1, 2, 3, 4)


@pytest.fixture(scope="module")
def sessions(shipped):
    return {s: shipped[s] for s in ("2022", "synth-2024")}


def soup(results, section, lang="fr"):
    html = getattr(report.Report(results, lang=lang, generated_at=FIXED), section)().data
    return BeautifulSoup(html, "html.parser")


def text(node) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", node.get_text(" ")).strip()


@pytest.mark.parametrize("lang, of", [("fr", "sur"), ("en", "of")])
def test_cards_lead_with_k_of_n_and_show_a_weak_result(sessions, lang, of):
    little = "Peu d'évolution" if lang == "fr" else "Little change"  # one word in both (round 6)
    cards = soup(sessions["2022"], "key_figures", lang).select("div.card")
    bigs = [text(c.select_one(".big")) for c in cards]
    for big in bigs:
        assert re.fullmatch(rf"\d+ {of} \d+|\d+ \+ \d+|En attente|Pending|—|"
                            f"Suivi non disponible|No follow-up data|{little}", big), big
        assert "%" not in big
    # 2022: the founders' internal communication and management changed little, as the
    # publication says without a figure: its words, never the reconstruction's 1 of 4 (funder
    # review 5, HIGH-2)
    weak = [c for c in cards if text(c.select_one(".big")) == little]
    assert len(weak) == 1
    said = text(weak[0].select_one(".what"))
    assert said == ("En communication interne et management, selon le bilan publié (qui n'en "
                    "donne pas de chiffre)." if lang == "fr" else "In internal communication and "
                    "management, according to the published assessment (it gives no figure).")
    assert not weak[0].select(".tag-illustrative") and f"1 {of} 4" not in bigs
    # synth-2024 (synthetic): the weak result's card leads with its count, then the percentage
    cards = soup(sessions["synth-2024"], "key_figures", lang).select("div.card")
    weak = [c for c in cards if text(c.select_one(".what")).startswith(little)]
    assert len(weak) == 1 and text(weak[0].select_one(".big")) == f"2 {of} 12"
    assert "17 %" in text(weak[0]) or "17%" in text(weak[0])


@pytest.mark.parametrize("session, kind_words, n, founders", [
    ("2022", "Données reconstituées", 8, 4), ("synth-2024", "Données synthétiques", 12, 5)])
def test_limits_box_at_the_key_figures_and_before_the_learners_results(sessions, session,
                                                                       kind_words, n, founders):
    """The weight of one person is that of the people the main findings count (synth-2024: 12
    learners with both questionnaires of 14 enrolled, 8,3 points, not 7,1), founders too."""
    from fac_eval.analysis import funder

    res = sessions[session]
    counts = funder.respondents(funder.main_findings(res.indicators))
    assert counts["learners"] == (n, n) and counts["founders"] == (founders, founders)
    step = f"{100 / n:.1f}".rstrip("0").rstrip(".").replace(".", ",")  # 12,5 for 8, 8,3 for 12
    fstep = f"{100 / founders:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    for section in ("key_figures", "learners"):
        s = soup(res, section)
        box = s.select_one("div.limits")
        assert box is not None, section
        words = text(box)
        for must in ("auto-déclaration", "désirabilité sociale", "Pas de groupe de comparaison",
                     "Régression vers la moyenne", kind_words,
                     f"Dans les principaux résultats, une personne pèse {step} points de "
                     f"pourcentage parmi {n} apprenants, {fstep} parmi {founders} porteurs de "
                     "projet."):
            assert must in words, (section, must)
        if section == "learners":  # before the first result of the section
            first_finding = s.select_one("ul.findings")
            assert box.sourceline < first_finding.sourceline or \
                str(s).index('class="limits') < str(s).index('class="findings')


def test_the_limits_box_is_printed_once_at_the_key_figures(sessions):
    """The same box stands at the key figures and before the learners' results (by design: the
    screen reader of either section has it beside the figures); on paper the second is the
    same box four pages on, so it is marked ``limits-again`` and the stylesheet hides it in
    print only (the printed check: tests/test_pdf.py)."""
    from test_report_markup import stylesheet

    for lang in ("fr", "en"):
        boxes = {section: soup(sessions["2022"], section, lang).select_one("div.limits")
                 for section in ("key_figures", "learners")}
        assert boxes["key_figures"]["class"] == ["limits"]
        assert boxes["learners"]["class"] == ["limits", "limits-again"]
        assert text(boxes["key_figures"]) == text(boxes["learners"])  # the same box
    screen, printed = stylesheet()
    assert "div.limits.limits-again { display: none; }" in printed
    assert "limits-again" not in screen  # on screen, both boxes are shown


def test_methods_width_of_intervals_from_the_session_not_by_hand(sessions):
    for session, n in (("2022", 8), ("synth-2024", 14)):
        words = text(soup(sessions[session], "methods"))
        assert "8 personnes" not in words or session == "2022"
        ci = binomtest(n // 2, n).proportion_ci(0.95, method="exact")  # Clopper-Pearson
        low, high = round(ci.low * 100), round(ci.high * 100)
        assert (f"Avec {n} apprenants, une part d'une moitié s'accompagne d'un IC 95 % : "
                f"{low}–{high} %") in words, session
    en = text(soup(sessions["synth-2024"], "methods", "en"))
    ci = binomtest(7, 14).proportion_ci(0.95, method="exact")
    assert (f"With 14 learners, a share of one half comes with 95% CI: {round(ci.low * 100)}–"
            f"{round(ci.high * 100)}%") in en


def test_founders_shares_name_the_part_of_the_founders_they_count(sessions):
    """'les 2 porteurs en création', not 'les 2 porteurs de projet' when there are 4 (§2)."""
    import csv

    with open(RAW / "2022" / "founders_profile.csv", encoding="utf-8") as f:
        stages = [row["stage"] for row in csv.DictReader(f)]
    creating, developing = stages.count("creation"), stages.count("development")
    assert (len(stages), creating, developing) == (4, 2, 2)
    fr = text(soup(sessions["2022"], "founders"))
    assert (f"Les {creating} porteurs de projet en création (100 %, IC 95 % : 16–100 %) ont "
            "créé leur entreprise pendant la session.") in fr
    assert f"Les {developing} porteurs de projet en développement (100 %" in fr
    en = text(soup(sessions["2022"], "founders", "en"))
    # never "All 2 founders" (reader round 8): "The 2 founders … all …"
    assert f"The {creating} founders who were starting a business (100%" in en  # round 6
    assert "all did so during the session" in en
    assert f"The {developing} founders growing a business (100%" in en
    assert "all increased their revenue" in en
    assert not re.search(r"\bAll \d+ (founders|learners)\b", en)


@pytest.mark.parametrize("alpha", [0.2, 0.05, 0.0625, 1e-30, 1e-300])
def test_methods_say_how_few_pairs_cannot_reach_any_declared_alpha(alpha):
    """Any alpha the schema accepts, however small, gives the methods' sentence (a tiny alpha
    once stopped the report); the count is checked with exact fractions."""
    from fractions import Fraction

    res = analysis.compute_session(RAW / "2022", alpha=alpha)
    words = text(soup(res, "methods"))
    n = 1
    while Fraction(2, 2**n) > Fraction(alpha):  # 2^(1-n): the smallest exact two-sided p
        n += 1
    assert f"Avec {n - 1} paires ou moins, aucun test bilatéral exact" in words.replace(
        "\u202f", " ")
