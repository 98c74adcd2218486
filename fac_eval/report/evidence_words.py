"""What a reconstructed session's report says of its evidence: which figures the publication
fixes, which it only words, which the reconstruction had to invent (the banner's note)."""

from __future__ import annotations

from typing import Protocol

import pandas as pd


class _Words(Protocol):
    def ngettext(self, singular: str, plural: str, count, **values) -> str: ...

    def _(self, message: str, **values) -> str: ...


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
            "alone; everything else (the questionnaires' scales and their entry and exit "
            "design, the dates, tests, distributions, the profile, the themes "
            "of the testimonies and the quotes) had to be invented by the reconstruction to match "
            "them, and is marked \"%(tag)s\".",
            "The published assessment fixes %(num)s figures (its counts and shares, checked in "
            "the concordance section) and states %(worded)s more in words only (read there "
            "as an upper bound); the intervals of published figures are computed from them "
            "alone; everything else (the questionnaires' scales and their entry and exit "
            "design, the dates, tests, distributions, the profile, the themes "
            "of the testimonies and the quotes) had to be invented by the reconstruction to match "
            "them, and is marked \"%(tag)s\".", n - worded, worded=worded, tag=tag)
    return words.ngettext(
        "The published assessment fixes %(num)s figure (its counts and shares, checked in "
        "the concordance section); the intervals of published figures are computed from them "
        "alone; everything else (the questionnaires' scales and their entry and exit "
            "design, the dates, tests, distributions, the profile, the themes "
        "of the testimonies and the quotes) had to be invented by the reconstruction to match it, "
        "and is marked \"%(tag)s\".",
        "The published assessment fixes %(num)s figures (its counts and shares, checked in "
        "the concordance section); the intervals of published figures are computed from them "
        "alone; everything else (the questionnaires' scales and their entry and exit "
            "design, the dates, tests, distributions, the profile, the themes "
        "of the testimonies and the quotes) had to be invented by the reconstruction to match them, "
        "and is marked \"%(tag)s\".", n, tag=tag)


def concordance_lead(words: _Words, table: pd.DataFrame, pending: pd.Series, lang: str) -> str:
    """The concordance's first sentence: how many of the publication's figures the data give
    back; the statements it words without a figure ("peu évolué", ``at_most_percent``) counted
    apart, since they agree with a reading the reconstruction chose; and that only figures are
    checked, never the causes a statement gives them ("grâce au dispositif")."""
    from fac_eval.core.formatting import fmt_count

    done = ~pending
    worded = (table["kind"].eq("at_most_percent") & done) if "kind" in table.columns \
        else pd.Series(False, index=table.index)
    if worded.any():
        exact = ~worded & done
        return words.ngettext(
            "Every figure of the published assessment is recomputed from the data: %(figures)s "
            "agree; %(num)s statement in words only (\"changed little\") agrees with the "
            "reading the reconstruction gave it. Only the figures are checked, never the causes "
            "a statement gives them.",
            "Every figure of the published assessment is recomputed from the data: %(figures)s "
            "agree; %(num)s statements in words only (\"changed little\") agree with the "
            "reading the reconstruction gave them. Only the figures are checked, never the "
            "causes a statement gives them.", int(worded.sum()),
            figures=fmt_count(int(table.loc[exact, "matches"].sum()), int(exact.sum()), lang))
    return words._(
        "Every quantitative statement of the published assessment is recomputed from the "
        "data: %(count)s agree.",
        count=fmt_count(int(table.loc[done, "matches"].sum()), int(done.sum()), lang))
