"""Where each figure comes from: the evidence class of every indicator.

A reconstructed session (``data_kind: reconstructed``) has individual answers built so that the
published aggregates come out exactly; everything else computed from those answers (tests,
intervals, distributions, breakdowns, themes) rests on details the reconstruction had to invent.
The indicator table therefore says, for every row, what its figure is worth:

``observed``
    computed from real, pseudonymised answers (``data_kind: real``);
``published``
    a reconstructed session's figure fixed by its ``claims.yml``: the claim states the figure
    exactly (a percentage, "tous", a share, a count, "k sur n") **and** the computed figure
    matches it. A claim that only bounds the figure ("peu évolué": at most a quarter) does not
    fix it;
``illustrative``
    any other figure of a reconstructed session;
``synthetic``
    a synthetic session's figure (generated to test the tool; describes no one).

Two columns are added: ``evidence`` (the class of the row's count and share, "k sur n", and of
the share's exact interval, which depends on its k and n alone: a published share's interval is
no more invented than its count) and ``evidence_inference`` (the class of its test: statistic,
p-values, typical change and its interval; empty when the row has none). A publication of
shares fixes no individual answers, so a test of a reconstructed session is always
``illustrative``. Each column thus holds one kind of figure: never an interval and a test of
different classes under one word.
Both are empty for a pending indicator (a follow-up not collected yet has no figure).
``data_kind`` is added too, so that a table read on its own says what data it describes.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import pandas as pd

__all__ = ["EVIDENCE", "COLUMNS", "EXACT_CLAIM_KINDS", "SAME_COUNT", "published_indicators",
           "add_evidence"]

EVIDENCE = ("observed", "published", "illustrative", "synthetic")
#: The columns :func:`add_evidence` appends to the indicator table.
COLUMNS = ("data_kind", "evidence", "evidence_inference")

#: Claim kinds that state a figure exactly (see :mod:`fac_eval.analysis.claims`).
EXACT_CLAIM_KINDS = ("percent", "all", "share", "count", "fraction")

#: Rows that count exactly what another row counts, by the same definition (row -> the row it
#: repeats): the founders' digital culture "improved" is the paired row of its entry and exit
#: levels, tested, and counts the founders whose exit level is above their entry level, as
#: ``founders.digital_culture_gained`` does. When the other row's figure is published and the
#: counts agree, the repeated count is published too (its test stays illustrative).
SAME_COUNT = {"founders.digital_culture.improved": "founders.digital_culture_gained"}

#: The columns of a row's test (the share's interval ``ci_low``/``ci_high`` goes with its count)
_INFERENCE_COLUMNS = ("statistic", "p_value", "p_adjusted", "effect", "effect_ci_low",
                      "effect_ci_high")


def published_indicators(claims: dict | None, checked: pd.DataFrame | None) -> set[str]:
    """Indicators whose figure a publication fixes: an exact claim that the data match."""
    if not claims or checked is None or checked.empty:
        return set()
    matches = dict(zip(checked["id"].astype(str), checked["matches"].astype(bool), strict=True))
    out = set()
    for c in claims.get("claims", []):
        if any(k in c for k in EXACT_CLAIM_KINDS) and matches.get(str(c.get("id")), False):
            out.add(str(c["indicator"]))
    return out


def add_evidence(indicators: pd.DataFrame, data_kind: str, published: AbstractSet[str] = frozenset()
                 ) -> pd.DataFrame:
    """The indicator table with ``data_kind``, ``evidence`` and ``evidence_inference`` added."""
    table = indicators.copy()
    if data_kind == "real":
        base = pd.Series("observed", index=table.index)
        inference = "observed"
    elif data_kind == "synthetic":
        base = pd.Series("synthetic", index=table.index)
        inference = "synthetic"
    elif data_kind == "reconstructed":
        is_published = table["indicator"].astype(str).isin(published | _repeated_counts(
            table, published))
        base = is_published.map({True: "published", False: "illustrative"})
        inference = "illustrative"
    else:
        raise ValueError(f"unknown data kind {data_kind!r}")
    cols = [c for c in _INFERENCE_COLUMNS if c in table.columns]
    has_inference = table[cols].notna().any(axis=1) if cols else pd.Series(False, index=table.index)
    pending = table["verdict"].astype(str).eq("pending") if "verdict" in table else False
    table["data_kind"] = data_kind
    table["evidence"] = base.where(~pending, "")
    table["evidence_inference"] = has_inference.map({True: inference, False: ""})
    return table


def _repeated_counts(table: pd.DataFrame, published: AbstractSet[str]) -> set[str]:
    """The rows of :data:`SAME_COUNT` whose repeated row is published, with the same count."""
    if not {"numerator", "denominator"} <= set(table.columns):
        return set()
    counts = {str(r["indicator"]): (r["numerator"], r["denominator"])
              for _, r in table.iterrows()}
    return {row for row, twin in SAME_COUNT.items()
            if twin in published and row in counts and twin in counts
            and counts[row] == counts[twin]}
