"""What an outside reader of the 2022 and synth-2024 reports found (issue 12, §2 and §7), fixed
at the sentence's source and checked on the rendered sections, in both languages."""

from __future__ import annotations

import html as htmlmod
import re

import pytest
from conftest import REPO

from fac_eval.analysis import results as analysis
from fac_eval.core.formatting import fmt_count
from fac_eval.report.i18n import messages
from fac_eval.report.session import Report


def _text(html: str) -> str:
    text = " ".join(htmlmod.unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def sessions():
    return {s: analysis.compute_session(REPO / "data" / "raw" / s) for s in ("2022", "synth-2024")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_little_change_gives_each_dimension_its_own_denominator(sessions, lang):
    """synth-2024 said "au plus 1 porteur de projet sur 5 a progressé sur l'un ou l'autre"
    while internal communication was 0 of 4: each dimension now has its own count."""
    for name, res in sessions.items():
        text = _text(Report(res, lang=lang).founders().data)
        ind = res.indicators.set_index("indicator")
        for outcome in ("internal_communication", "management"):
            row = ind.loc[f"founders.{outcome}.improved"]
            count = fmt_count(int(row["numerator"]), int(row["denominator"]), lang)
            count = count.replace("\u00a0", " ").replace("\u202f", " ")
            assert count in text, (name, outcome, count)
        assert "au plus" not in text and "at most" not in text
    denominators = {int(sessions["synth-2024"].indicators.set_index("indicator").loc[
        f"founders.{o}.improved", "denominator"]) for o in ("internal_communication", "management")}
    assert denominators == {4, 5}  # the case the reader found: two different denominators


def test_the_english_glossary_line_on_the_iae_reads_as_english(sessions):
    text = _text(Report(sessions["2022"], lang="en").key_figures().data)
    assert "a other" not in text
    assert "whose definitions the follow-up uses" in text


@pytest.mark.parametrize("lang, words", [
    ("fr", ("pas de preuve d'effet", "de toute part", "quelles que soient les données")),
    ("en", ("founders accompanied", "Public and needs identified", "a good digital literacy",
            "whatever the data")),
])
def test_the_readers_phrasings_are_gone_from_the_catalog_and_the_reports(sessions, lang, words):
    from babel.messages.pofile import read_po

    from fac_eval.core.i18n import po_path

    with po_path(lang).open("rb") as f:
        strings = " ".join(s for m in read_po(f) for s in
                           (m.string if isinstance(m.string, tuple) else (m.string,)))
    for name, res in sessions.items():
        rep = Report(res, lang=lang)
        text = _text("".join(getattr(rep, s)().data for s in
                             ("synthesis", "key_figures", "learners", "founders", "methods")))
        for w in words:
            assert w not in strings, w
            assert w not in text, (name, w)
    assert messages(lang)._("no clear change shown") != "pas de preuve d'effet"
