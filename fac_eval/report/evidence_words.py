"""What a reconstructed session's report says of its evidence: which figures the publication
fixes, which it only words, which the reconstruction had to invent (the banner's note)."""

from __future__ import annotations

from typing import Protocol

import pandas as pd


class _Words(Protocol):
    def ngettext(self, singular: str, plural: str, count, **values) -> str: ...


def evidence_note(words: _Words, claims: pd.DataFrame | None, tag: str) -> str:
    """The banner's note of a reconstructed session, from its checked claims
    (:func:`fac_eval.analysis.claims.check_claims`): the published figures, counted; the
    statements the publication words without a figure ("peu évolué", ``at_most_percent``),
    counted apart because their bound is the reconstruction's reading; the intervals of
    published figures, computed from them alone; the rest, invented and marked ``tag``."""
    n = len(claims) if claims is not None else 0
    worded = (int((claims["kind"] == "at_most_percent").sum())
              if claims is not None and n and "kind" in claims else 0)
    if worded:
        return words.ngettext(
            "The published assessment fixes %(num)s figure (its counts and shares, checked in "
            "the concordance section) and states %(worded)s more in words only (read there "
            "as an upper bound); the intervals of published figures are computed from them "
            "alone; everything else (the dates, tests, distributions, the profile, the themes "
            "of the testimonies and the quotes) had to be invented by the reconstruction to match "
            "them, and is marked \"%(tag)s\".",
            "The published assessment fixes %(num)s figures (its counts and shares, checked in "
            "the concordance section) and states %(worded)s more in words only (read there "
            "as an upper bound); the intervals of published figures are computed from them "
            "alone; everything else (the dates, tests, distributions, the profile, the themes "
            "of the testimonies and the quotes) had to be invented by the reconstruction to match "
            "them, and is marked \"%(tag)s\".", n - worded, worded=worded, tag=tag)
    return words.ngettext(
        "The published assessment fixes %(num)s figure (its counts and shares, checked in "
        "the concordance section); the intervals of published figures are computed from them "
        "alone; everything else (the dates, tests, distributions, the profile, the themes "
        "of the testimonies and the quotes) had to be invented by the reconstruction to match it, "
        "and is marked \"%(tag)s\".",
        "The published assessment fixes %(num)s figures (its counts and shares, checked in "
        "the concordance section); the intervals of published figures are computed from them "
        "alone; everything else (the dates, tests, distributions, the profile, the themes "
        "of the testimonies and the quotes) had to be invented by the reconstruction to match them, "
        "and is marked \"%(tag)s\".", n, tag=tag)
