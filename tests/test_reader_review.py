"""A bilingual reader's review of the 2022 (French, English) and synth-2024 reports (issue 12):
interval levels as achieved, no "illustratif" on a published figure, honest headlines, the
reliable change counted, methods that claim no more than they can, no developer's words in a
funder's report, French and English that read as written.

Every section of both sessions is rendered once per module in both languages (no notebook run);
values are checked against independent computations from the raw data."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from fac_eval import report

RAW = REPO / "data" / "raw"
FIXED = dt.datetime(2026, 1, 2, 3, 4)
CELLS = ("header", "toc", "synthesis", "key_figures", "objectives", "context", "public",
         "learners", "founders", "followup", "costs", "testimonies", "perspectives", "claims",
         "methods", "provenance")


@pytest.fixture(scope="module")
def sessions(shipped):
    return {s: shipped[s] for s in ("2022", "synth-2024")}


@pytest.fixture(scope="module")
def rendered(sessions):
    """{(session, lang): {section: BeautifulSoup}} for 2022 and synth-2024, fr and en."""
    out = {}
    for name, res in sessions.items():
        for lang in ("fr", "en"):
            rep = report.Report(res, lang=lang, generated_at=FIXED)
            out[name, lang] = {c: BeautifulSoup(getattr(rep, c)().data, "html.parser")
                               for c in CELLS}
    return out


def words(node) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", node.get_text(" ")).strip()


def pct(x: float, lang: str, d: int = 1) -> str:
    s = f"{x * 100:.{d}f}"
    return f"{s.replace('.', ',')} %" if lang == "fr" else f"{s}%"


def hl_level(n: int, confidence: float = 0.95) -> float:
    """The level of the exact Hodges-Lehmann interval on n pairs, from the signed-rank
    distribution enumerated over the 2**n sign patterns (R's rule for the rank k)."""
    counts = [0] * (n * (n + 1) // 2 + 1)
    for signs in itertools.product((0, 1), repeat=n):
        counts[sum(r for r, s in zip(range(1, n + 1), signs) if s)] += 1
    cdf = list(itertools.accumulate(c / 2**n for c in counts))
    k = max(1, next(i for i, c in enumerate(cdf) if c >= (1 - confidence) / 2 * (1 - 1e-12)))
    return 1 - 2 * cdf[k - 1]


# --------------------------------------------------------------------------------------------
# 1. Interval levels: the achieved one where it differs from the nominal one
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("session, lang", [("2022", "fr"), ("2022", "en"), ("synth-2024", "en"),
                                           ("synth-2024", "fr")])
def test_every_typical_change_prints_the_level_its_interval_achieves(rendered, session, lang):
    doc = rendered[session, lang]
    text = words(doc["learners"])
    n = 8 if session == "2022" else 12
    achieved = pct(hl_level(n), lang)
    assert hl_level(8) == pytest.approx(1 - 10 / 256) and hl_level(4) == 0.875
    head = "IC " if lang == "fr" else ""
    shifts = re.findall(r"(?:évolution typique de|typical change) [\d,.]+ points? \(([^)]*)\)",
                        text)
    assert shifts, text[:300]
    for ci in shifts:  # the test lines: the achieved level, never a bare nominal 95 %
        assert ci.startswith(f"{head}{achieved}" if lang == "fr" else f"{achieved} CI"), ci
    # Table 4's note says what happens here, from the data: above the nominal level
    above = ("au-dessus du niveau nominal de 95 %" if lang == "fr"
             else "above the nominal 95%")
    assert above in text and achieved in text
    for wrong in ("passe sous", "falls below", "en dessous du niveau nominal",
                  "below the nominal"):
        assert wrong not in text, wrong
    if session == "2022":  # the founders' 4 pairs cannot reach 95 %: below, 87,5 %
        founders = words(doc["founders"])
        assert (("avec 4 paires, 87,5 %, en dessous du niveau nominal de 95 %" if lang == "fr"
                 else "with 4 pairs, 87.5%, below the nominal 95%") in founders)
        assert "au-dessus" not in founders and "above the nominal" not in founders
    methods = words(doc["methods"])
    assert ("de niveau nominal 95 %" if lang == "fr" else "at the nominal 95% level") in methods
    assert achieved in methods
    assert ("intervalle de confiance exact à 95 %" not in methods
            and "exact 95% confidence interval" not in methods)
