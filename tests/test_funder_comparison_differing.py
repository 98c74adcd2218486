"""Issue 13 (funder review, MEDIUM): the comparison's synthèse left out a result whose sessions
differ when it was not among its main findings (the confidence: 8 sur 8 in 2022, 6 sur 12 in
synth-2024, pooled as 14 sur 20). It now names them, with each session's count; under the
300-word limit they give way first (their counts, then the sentence), before the latest
session's recommendation."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval.analysis import comparison as compare
from fac_eval.report import comparison_funder
from fac_eval.report.comparison import ComparisonReport
from fac_eval.report.synthesis_words import count_tokens, count_words


def _length(html) -> int:
    return max(count_words(html.data), count_tokens(html.data))

#: (the sentence's head, the outcome named, its sessions' counts, the recommendation's verb)
WORDS = {
    "fr": ("Diffèrent aussi selon la session (section 5) :", "confiance en soi",
           "confiance en soi : 8 sur 8 (100 %) en 2022, 6 sur 12 (50 %) en synth-2024.",
           "recommande"),
    "en": ("Also differing between sessions (section 5):", "self-confidence",
           "self-confidence: 8 of 8 (100%) in 2022, 6 of 12 (50%) in synth-2024.", "recommends"),
}


@pytest.fixture(scope="module")
def both():
    return compare.compare_sessions("2022,synth-2024", raw_dir=REPO / "data" / "raw")


def _text(html) -> str:
    return " ".join(BeautifulSoup(html.data, "html.parser").get_text(" ").split()).replace(
        "\u202f", " ").replace("\u00a0", " ")


def _report(both, lang):
    return ComparisonReport(both, lang=lang, generated_at=dt.datetime(2026, 12, 6, 9, 0))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_synthesis_names_the_other_results_whose_sessions_differ(both, lang):
    # the independent facts: confidence differs between the sessions (exact test at most
    # alpha) and is not one of the synthèse's main findings
    row = both.pooled.set_index("indicator").loc["learners.confidence.improved"]
    assert bool(row["heterogeneous"]) and min(row["het_p"], row["interaction_p"]) <= both.alpha
    html = _report(both, lang).synthesis()
    text = _text(html)
    head, named, counts, recommends = WORDS[lang]
    assert f"{head} {named}" in text and recommends in text
    assert _length(html) <= 300


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_under_the_word_limit_they_give_way_before_the_recommendation(both, lang, monkeypatch):
    head, named, counts, recommends = WORDS[lang]
    monkeypatch.setattr(comparison_funder, "SYNTHESIS_MAX_WORDS", 1000)
    html = _report(both, lang).synthesis()
    assert f"{head} {counts}" in _text(html)  # room enough: each session's count
    monkeypatch.setattr(comparison_funder, "SYNTHESIS_MAX_WORDS", _length(html) - 1)
    html = _report(both, lang).synthesis()
    text = _text(html)
    assert f"{head} {named}." in text and counts not in text and recommends in text
    monkeypatch.setattr(comparison_funder, "SYNTHESIS_MAX_WORDS", _length(html) - 1)
    text = _text(_report(both, lang).synthesis())
    assert head not in text and recommends in text  # gone, the recommendation kept


def test_no_sentence_when_every_differing_result_is_already_a_finding(both):
    rep = _report(both, "fr")
    pooled = rep._pooled_rows()
    everything = set(pooled["indicator"])
    assert rep.other_differing(pooled, everything) == ""
