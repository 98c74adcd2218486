"""Verdicts graded by the evidence (issue 12, §2): no report says "établi", "prouvé",
"established" or "proven"; a significant change is graded by its adjusted p-value and margin and
always followed by the attribution caveat; a p-value at the smallest value the exact test can
reach says so."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval import report
from fac_eval.analysis import comparison as compare
from fac_eval.report import narrative
from fac_eval.report.comparison import ComparisonReport

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 1, 2, 3, 4)
SESSION_SECTIONS = ("header", "toc", "key_figures", "public", "learners", "founders", "followup",
                    "testimonies", "claims", "methods", "provenance")
COMPARISON_SECTIONS = ("header", "toc", "sessions", "indicators", "trends", "pooled", "methods",
                       "provenance")
FORBIDDEN = re.compile(r"\b(établi(e|s|es)?|prouvée?s?|established|proven)\b", re.I)
CAVEAT = {"fr": "la part due au programme reste inconnue (pas de groupe de comparaison)",
          "en": "the share due to the programme is unknown (no comparison group)"}


@pytest.fixture(scope="module")
def sessions(shipped):
    return {s: shipped[s] for s in ("2022", "synth-2024")}


@pytest.fixture(scope="module")
def texts(sessions):
    """The visible text of every section of each report, both languages."""
    out = {}
    for name in sessions:
        for lang in ("fr", "en"):
            rep = report.Report(sessions[name], lang=lang, generated_at=FIXED)
            html = "".join(getattr(rep, s)().data for s in SESSION_SECTIONS)
            out[f"{name}_{lang}"] = BeautifulSoup(html, "html.parser").get_text(" ")
    comp = compare.compare_sessions(list(sessions.values()))
    for lang in ("fr", "en"):
        rep = ComparisonReport(comp, lang=lang, generated_at=FIXED)
        html = "".join(getattr(rep, s)().data for s in COMPARISON_SECTIONS)
        out[f"cmp_{lang}"] = BeautifulSoup(html, "html.parser").get_text(" ")
    return out


def test_no_report_claims_a_result_established_or_proven(texts):
    for name, text in texts.items():
        assert not FORBIDDEN.search(text), (name, FORBIDDEN.search(text))


def test_the_catalogs_have_no_forbidden_verdict_word():
    """Not only the rendered reports: no verdict message of either catalog uses them."""
    for key, words in {**narrative.VERDICT_READINGS,
                       **{str(k): v for k, v in narrative.VERDICT_SENTENCES.items()}}.items():
        for lang in ("fr", "en"):
            from fac_eval.report.i18n import messages
            assert not FORBIDDEN.search(messages(lang)._(words)), (key, lang)


def test_every_significant_verdict_carries_the_attribution_caveat(texts, sessions):
    for name in sessions:
        ind = sessions[name].indicators
        significant = int(ind["verdict"].isin(["significant_improvement",
                                               "significant_deterioration"]).sum())
        for lang in ("fr", "en"):
            text = re.sub(r"\s+", " ", texts[f"{name}_{lang}"])
            hardly = text.count("difficilement due au seul hasard" if lang == "fr"
                                else "unlikely to be due to chance alone")
            # at the floor of the test: its adjusted p-value is the smallest it can give,
            # in a sentence or a table cell
            poorly = text.count("au plus bas possible avec ces paires" if lang == "fr"
                                else "the smallest this test can give with these pairs")
            poorly += text.count("au plus bas que ce test permette" if lang == "fr"
                                 else "at the smallest this test can give)")
            # an exploratory (secondary) result: to be confirmed
            poorly += text.count("hausse à confirmer" if lang == "fr"
                                 else "rise to be confirmed")
            # each significant outcome: one reading in its table row, one sentence in the list
            assert hardly + poorly >= 2 * significant, (name, lang)
            # once per significant sentence, and once in the note of each table of tests
            tables = text.count("Lecture : à quel point" if lang == "fr"
                                else "Reading: how hard a change")
            assert tables >= 1, (name, lang)
            assert text.count(CAVEAT[lang]) == significant + tables, (name, lang)


def row(**values) -> pd.Series:
    base = dict(indicator="learners.confidence.improved", verdict="significant_improvement",
                p_value=0.002, p_adjusted=0.004, denominator=12, effect=1.5, effect_ci_low=1.0,
                effect_ci_high=2.0, confidence=0.95, note="", note_en="", family="f")
    base.update(values)
    return pd.Series(base)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_grading_follows_the_adjusted_p_and_the_margin(lang):
    clear = narrative.test_sentence(row(), lang, alpha=0.05)
    assert ("hausse nette" if lang == "fr" else "a clear rise") in clear
    # the threshold is reached, but not by far: hardly chance, not "clear" (round 6: never
    # "probable" / "likely", a p-value gives no probability that the change is real)
    plain = ("hausse difficilement due au seul hasard" if lang == "fr"
             else "a rise unlikely to be due to chance alone")
    likely = narrative.test_sentence(row(p_adjusted=0.03), lang, alpha=0.05)
    assert plain in likely
    # a tiny p but an interval of the typical change that touches zero: not "clear"
    touching = narrative.test_sentence(row(effect_ci_low=0.0), lang, alpha=0.05)
    assert plain in touching
    # a stricter threshold changes the grade: 0.004 is more than a fifth of 0.01
    assert plain in narrative.test_sentence(row(), lang, alpha=0.01)
    worse = narrative.test_sentence(row(verdict="significant_deterioration"), lang, alpha=0.05)
    assert ("baisse nette" if lang == "fr" else "a clear deterioration") in worse
    # at the smallest p-value the test can reach (12 pairs, family of 4: 4 * 2^-11): the
    # p-value's floor, said as such: never "only just past the threshold", never "the
    # strongest" (which reads as the largest rise)
    floor = narrative.test_sentence(row(p_value=2 ** -11, p_adjusted=4 * 2 ** -11), lang,
                                    alpha=0.05, family_size=4)
    assert ("hausse nette ; valeur p ajustée au plus bas possible avec ces paires"
            if lang == "fr" else "a clear rise; the adjusted p-value "
            "is the smallest this test can give with these pairs") in floor
    assert "plus forte" not in floor and "strongest" not in floor
    for s in (clear, likely, touching, worse):
        assert CAVEAT[lang] in s
    none = narrative.test_sentence(row(verdict="no_evidence", p_adjusted=0.4), lang, alpha=0.05)
    assert CAVEAT[lang] not in none and none


def smallest_two_sided_p(n: int) -> float:
    """By full enumeration of the 2^n sign patterns of n distinct non-zero differences: the
    two-sided p-value of the most extreme pattern (all positive), P(|R+ - E| >= max)."""
    ranks = range(1, n + 1)
    stats = [sum(r for r, s in zip(ranks, signs) if s) for signs in
             itertools.product((0, 1), repeat=n)]
    expected = n * (n + 1) / 4
    extreme = max(abs(t - expected) for t in stats)
    return sum(abs(t - expected) >= extreme for t in stats) / len(stats)


def test_a_p_value_at_the_test_floor_says_so():
    floor = smallest_two_sided_p(8)
    assert floor == pytest.approx(2 / 256)
    at = narrative.test_sentence(row(p_value=floor, p_adjusted=floor, denominator=8), "fr",
                                 family_size=1)
    assert "La valeur p est la plus petite que ce test puisse atteindre avec 8 paires." in at
    above = narrative.test_sentence(row(p_value=2 * floor, p_adjusted=2 * floor, denominator=8),
                                    "en", family_size=1)
    assert "smallest" not in above
    # Holm in a family of 6: the adjusted p can be no smaller than 6 times the floor
    fam = narrative.test_sentence(row(p_value=2 * floor, p_adjusted=6 * floor, denominator=8),
                                  "en", family_size=6)
    assert ("The adjusted p-value is the smallest this test can reach with 8 pairs in a family "
            "of 6 tests.") in fam


def test_2022_says_its_adjusted_p_values_sit_at_the_floor(texts, sessions):
    """2022: 8 pairs; the primary outcomes form the Holm family (m of them): m x 2/2^8 is the
    smallest adjusted p any of them can have, and each of them has it."""
    ind = sessions["2022"].indicators
    fam = ind.loc[(ind["family"] == "learners.outcomes") & ind["p_adjusted"].notna()]
    m = len(fam)
    assert m >= 2
    assert fam["p_adjusted"].tolist() == pytest.approx([m * smallest_two_sided_p(8)] * m)
    text = re.sub(r"\s+", " ", texts["2022_fr"])
    # said once under the list of outcomes, not once per outcome
    assert text.count(f"Pour ces {m} dimensions, la valeur p ajustée est la plus petite que ce "
                      f"test puisse atteindre avec 8 paires dans une famille de {m} tests") == 1
    assert "La valeur p ajustée est la plus petite" not in text


#: What follows a change's reading in the export's cell (issue 12, reader's R7).
ATTRIBUTION_TAIL = {
    "fr": " ; la part due au programme reste inconnue (pas de groupe de comparaison)",
    "en": "; the share due to the programme is unknown (no comparison group)"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_excel_exports_verdict_column_grades_like_the_report(sessions, lang):
    """The stakeholder table (the Excel export's sheet) said "Amélioration statistiquement
    établie": its verdict column is now graded like the report, for every code of the table."""
    from fac_eval.analysis.indicators import VERDICTS
    from fac_eval.report.export import stakeholder_table
    from fac_eval.report.i18n import messages

    for key, words in VERDICTS.items():
        assert not FORBIDDEN.search(messages(lang)._(words)), (key, lang)
    from fac_eval.report import narrative

    hardly = "difficilement due au seul hasard" if lang == "fr" else "unlikely to be due to chance"
    floor = "au plus bas" if lang == "fr" else "smallest this test can give"
    seen: set = set()
    seen_secondary = False
    for name, result in sessions.items():
        table = stakeholder_table(result.indicators, lang)
        column = table["verdict"].astype(str)
        assert not column.map(lambda t: bool(FORBIDDEN.search(t))).any(), name
        codes = result.indicators["verdict"]
        # every code is worded (no raw code such as "significant_improvement" left)
        assert not column.isin(list(VERDICTS) + ["pending_holm"]).any(), name
        significant = codes.isin(["significant_improvement", "significant_deterioration"])
        # a test's reading is the report table's own, graded the same way (never stronger)
        ind = result.indicators
        for idx in ind.index[codes.isin(["no_evidence", "not_testable"])]:
            assert column[idx] == narrative.table_reading(ind, ind.loc[idx], lang, result.alpha)
        # a change's reading carries the attribution caveat in its own cell
        for idx in ind.index[significant]:
            assert column[idx] == narrative.table_reading(ind, ind.loc[idx], lang, result.alpha) \
                + ATTRIBUTION_TAIL[lang]
        secondary = significant & ind["role"].eq("secondary")
        primary = significant & ~ind["role"].eq("secondary")
        confirm = "à confirmer (exploratoire)" if lang == "fr" else "to be confirmed (exploratory)"
        assert column[secondary].str.endswith(confirm + ATTRIBUTION_TAIL[lang]).all(), \
            (name, column[secondary])
        assert not column[secondary].str.contains(hardly).any(), name
        assert column[primary].map(lambda t: hardly in t or floor in t or "hasard" in t
                                   or "chance" in t).all(), (name, column[primary])
        seen |= set(codes)
        seen_secondary = seen_secondary or bool(secondary.any())
    assert {"significant_improvement", "descriptive"} <= seen
    assert seen_secondary  # 2022's autonomy and soft skills: secondary and below the threshold


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_tables_reading_is_graded_like_the_sentence_on_the_same_row(sessions, lang):
    """Table 4 read "amélioration, difficilement due au seul hasard" where the sentence on the
    same row said "amélioration probable, seuil atteint sans large marge" (an outside reader
    found it); and an exploratory result (raw p-value) read "nette", stronger than every
    primary one. Both now follow one grade, and an exploratory result is "to be confirmed"."""
    from fac_eval.report.i18n import messages

    seen = set()
    for name, result in sessions.items():
        rep = report.Report(result, lang=lang, generated_at=FIXED)
        html = rep.learners().data + rep.founders().data
        cells = [BeautifulSoup(c, "html.parser").get_text(" ").strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", html, flags=re.S)]
        ind = result.indicators
        for _, r in ind[ind["verdict"].isin(["significant_improvement",
                                             "significant_deterioration"])].iterrows():
            grade = narrative.verdict_grade(r, result.alpha, rep.family_size(r))
            if r["role"] == "secondary":  # likely at most, to be confirmed (issue #12)
                assert grade == "exploratory", r["indicator"]
            words = messages(lang)._(narrative.GRADED_READINGS[(r["verdict"], grade)])
            sentence = messages(lang)._(narrative.VERDICT_SENTENCES[(r["verdict"], grade)])
            text = BeautifulSoup(html, "html.parser").get_text(" ")
            assert any(c.startswith(words) for c in cells), (name, r["indicator"], words)
            assert sentence in " ".join(text.split()), (name, r["indicator"])
            seen.add(grade)
        # no ungraded reading is left in a table of tests
        ungraded = messages(lang)._(narrative.VERDICT_READINGS["significant_improvement"])
        assert ungraded not in cells, name
    assert {"floor", "exploratory"} <= seen  # 2022 at the floor, synth-2024 exploratory


def test_a_change_the_test_did_not_show_never_reads_as_evidence_of_no_change(texts, sessions):
    """"pas de preuve d'un changement" / "no evidence of change" read as evidence that nothing
    changed (reader's item 5 for #12): a test that did not show a change says so, and its
    sentence says that this does not mean there was none."""
    for name, text in texts.items():
        flat_text = re.sub(r"\s+", " ", text)
        for wrong in ("pas de preuve", "no evidence of", "no statistical evidence"):
            assert wrong not in flat_text, (name, wrong)
    quiet = {name for name, res in sessions.items()
             if (res.indicators["verdict"] == "no_evidence").any()}
    assert quiet  # synth-2024 has outcomes whose test shows no clear change
    for name in quiet:
        fr = re.sub(r"\s+", " ", texts[f"{name}_fr"])
        en = re.sub(r"\s+", " ", texts[f"{name}_en"])
        assert "évolution non mise en évidence" in fr
        assert "ce qui ne veut pas dire qu'il n'y en a pas eu" in fr
        assert "no clear change shown" in en and "which does not mean there was none" in en
