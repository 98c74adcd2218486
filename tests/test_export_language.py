"""The Excel export speaks its reader's language, its methods' names included."""

from __future__ import annotations

import pytest
from conftest import REPO

from fac_eval.analysis import results as analysis


@pytest.mark.parametrize("lang, signed_rank, rci", [
    ("fr", "Wilcoxon signé exact (rangs moyens, Pratt)",
     "Indice de changement fiable (Jacobson et Truax, 1991)"),
    ("en", "Exact Wilcoxon signed-rank test (mid-ranks, Pratt)",
     "Reliable Change Index (Jacobson and Truax, 1991)"),
])
def test_the_export_names_its_tests_in_its_language(lang, signed_rank, rci):
    """The Excel export's "test" column follows the export's language (the indicator table holds
    the methods' message ids, never French words for an English reader)."""
    from fac_eval.report.export import stakeholder_table

    res = analysis.compute_session(REPO / "data" / "raw" / "2022")
    tests = set(stakeholder_table(res.indicators, lang)["test"].dropna()) - {""}
    assert tests == {signed_rank, rci}
