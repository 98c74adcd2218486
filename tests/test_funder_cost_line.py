"""Issue 13: a session's synthèse says at what cost (funder review, LOW: "no cost line in a
session's synthèse"): the total and the total divided by the participants enrolled, said to be a
gross ratio, pointing to the costs section; never without a budget (2022: the publication gives
none), and the synthèse stays within its 300 words.

The expected figures are computed here from ``session.yml`` and the raw participants' tables,
not read from the report's own cost table.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval import report
from fac_eval.analysis import results as analysis
from fac_eval.report.synthesis_words import SYNTHESIS_MAX_WORDS, count_words

FIXED = dt.datetime(2026, 12, 7, 9, 0)


def _flat(html: str) -> str:
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def _enrolled(session_dir) -> int:
    """Learners and founders enrolled: the rows of the two profile tables."""
    total = 0
    for name in ("learners_profile", "founders_profile"):
        with open(session_dir / f"{name}.csv", encoding="utf-8", newline="") as f:
            total += sum(1 for _ in csv.DictReader(f))
    return total


def _synthesis(results, lang):
    rep = report.Report(results, lang=lang, generated_at=FIXED)
    html = str(rep.synthesis().data)
    return html, _flat(html), rep.sections.index("costs") + 1 if "costs" in rep.sections else None


def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@pytest.mark.parametrize("total", [None, 1000, 250000])
def test_the_synthesis_gives_the_total_and_the_cost_per_participant(tmp_path, total):
    """synth-2024 as shipped (96 500 €), and with other totals: the same line, its figures
    from the total and the headcount."""
    src = REPO / "data" / "raw" / "synth-2024"
    session = tmp_path / "synth-2024"
    shutil.copytree(src, session)
    meta = yaml.safe_load((session / "session.yml").read_text(encoding="utf-8"))
    if total is not None:
        meta["budget"] = {"total": total}  # no funders: the line needs the total only
        (session / "session.yml").write_text(yaml.safe_dump(meta, allow_unicode=True),
                                             encoding="utf-8")
    amount = meta["budget"]["total"]
    n = _enrolled(session)
    assert n == 19  # 14 learners and 5 founders
    per = round(amount / n)
    results = analysis.compute_session(session)
    html, fr, num = _synthesis(results, "fr")
    assert (f"Coût : {_grouped(amount, ' ')} € pour {n} participants inscrits, soit "
            f"{_grouped(per, ' ')} € par participant (ratio brut) : section {num}.") in fr
    assert count_words(html) <= SYNTHESIS_MAX_WORDS
    html, en, _ = _synthesis(results, "en")
    assert (f"Cost: €{_grouped(amount, ',')} for {n} participants enrolled, "
            f"€{_grouped(per, ',')} per participant (a gross ratio): section {num}.") in en
    assert count_words(html) <= SYNTHESIS_MAX_WORDS
    # before the limits: "at what cost" comes with what changed
    assert fr.index("Coût :") < fr.index("Quelle confiance accorder")


def test_no_cost_line_without_a_budget(shipped):
    for lang, word in (("fr", "Coût"), ("en", "Cost")):
        _, text, num = _synthesis(shipped["2022"], lang)
        assert num is None and f"{word} :" not in text and f"{word}:" not in text


def test_an_interim_synthesis_gives_the_cost_per_participant_enrolled(tmp_path):
    """An interim session (exit questionnaires not collected: tests/test_interim.py) already
    knows its budget and who enrolled: its synthèse gives the same line (funder review 5)."""
    from test_interim import _interim_session

    folder = _interim_session(tmp_path)
    meta = yaml.safe_load((folder / "session.yml").read_text(encoding="utf-8"))
    amount, n = meta["budget"]["total"], _enrolled(folder)
    results = analysis.compute_session(folder)
    html, fr, num = _synthesis(results, "fr")
    assert "Ce qui est en attente" in fr  # an interim synthèse
    assert (f"Coût : {_grouped(amount, ' ')} € pour {n} participants inscrits, soit "
            f"{_grouped(round(amount / n), ' ')} € par participant") in fr
    assert f"section {num}." in fr[fr.index("Coût :"):]
    assert count_words(html) <= SYNTHESIS_MAX_WORDS
