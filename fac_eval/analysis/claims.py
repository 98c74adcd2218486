"""Published claims checked against the data ("Concordance avec le bilan publié").

A claims file (``data/raw/<session>/claims.yml``) lists each quantitative statement of a published
text, the indicator it refers to and the figure as published::

    source: "Bilan d'impact de la session 2022"
    claims:
      - id: self_esteem
        text: "88% ont gagné en estime de soi"
        indicator: learners.self_esteem.improved
        percent: 88            # published as a rounded percentage

Accepted kinds of stated figure (one per claim):

- ``percent: P``: the share, rounded half up to a whole percent as published, equals P
  ("88 %" matches 7/8 = 87.5 %);
- ``all: true``: everyone ("tous", "la totalité", "100 %"): the share is exactly 1 (and n > 0);
- ``share: S``: an exact share stated in words ("la moitié" = 0.5);
- ``count: K``: the numerator equals K ("création de deux activités");
- ``fraction: [K, N]``: numerator K and denominator N ("6 personnes sur 8");
- ``at_most_percent: P``: the share is at most P % ("peu évolué": at most a quarter improved).

:func:`check_claims` returns one row per claim with the computed figure and whether it matches.

Checked by ``fac-eval validate`` like the questionnaires (:func:`claims_problems`): every
problem names ``claims.yml``, the line, the key, the value and what was expected (unknown
indicator ids with the closest known one, wrong types, out-of-range figures, duplicate ids,
malformed YAML with its line). The file is read with :mod:`fac_eval.data.safe_yaml` (no aliases, size
cap).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from fac_eval.core.formatting import fmt_count, fmt_number, fmt_percent, round_half_up
from fac_eval.core.i18n import N_, messages
from fac_eval.data.claims_file import (  # noqa: F401  (the claims file's names, kept here)
    CLAIM_KEYS,
    KINDS,
    KNOWN_INDICATORS,
    ClaimsFileError,
    _is_number,
    _lines,
    _shown,
    _value_problem,
    claims_problems,
    load_claims,
)


@lru_cache(maxsize=1)
def indicator_catalogue() -> frozenset[str]:
    """Every indicator id a session's indicator table holds.

    The ids do not depend on the data (one per codebook category, outcome, theme…): they are
    taken from the indicators of a small synthetic session built in memory (with follow-up and
    testimonies), computed once per process."""
    from fac_eval.analysis import indicators
    from fac_eval.data import cleaning, synth
    from fac_eval.data import codebook as cb
    from fac_eval.data import io as fio

    tables, meta = synth.make_session("catalogue", 12, 4, seed=1, followup=True)
    typed = {}
    for name, df in tables.items():
        raw = df.astype("string").fillna("").astype(str)
        raw.index = pd.Index(range(2, len(raw) + 2), name=fio.SOURCE_ROW, dtype="int64")
        typed[name], _ = fio.parse_table(raw, cb.INSTRUMENTS[name], name)
    meta = {**meta, "followup_months": int(meta.get("followup_months") or 3),
            "neutralised_situations": list(cb.DEFAULT_NEUTRALISED)}
    data = fio.SessionData(name="catalogue", path=Path("."), meta=meta, tables=typed)
    table = indicators.session_indicators(cleaning.clean_session(data))
    return frozenset(table["indicator"].astype(str))


def _stated_text(claim: dict, lang: str) -> str:
    words = messages("en" if lang == "en" else "fr")
    if "percent" in claim:
        return fmt_percent(claim["percent"] / 100, lang)
    if "all" in claim:
        return words._(N_("all (%(percent)s)"), percent=fmt_percent(1, lang))
    if "share" in claim:
        return fmt_percent(claim["share"], lang, decimals=0)
    if "count" in claim:
        return str(claim["count"])
    if "fraction" in claim:
        k, n = claim["fraction"]
        return words._(N_("%(k)s of %(n)s"), k=k, n=n)
    if "at_most_percent" in claim:
        # the publication gives words ("peu évolué"), not a figure: the bound is our reading
        return words._(N_("no figure; read as at most %(percent)s"),
                       percent=fmt_percent(claim["at_most_percent"] / 100, lang))
    return ""


def _matches(claim: dict, row: pd.Series) -> bool:
    k, n, v = row["numerator"], row["denominator"], row["value"]
    if pd.isna(v) or pd.isna(n) or n == 0:
        return False
    if "percent" in claim:
        return int(round_half_up(v * 100, 0)) == int(claim["percent"])
    if "all" in claim:
        return bool(claim["all"]) and k == n
    if "share" in claim:
        return abs(v - float(claim["share"])) < 1e-12
    if "count" in claim:
        return k == claim["count"]
    if "fraction" in claim:
        return [k, n] == list(claim["fraction"])
    if "at_most_percent" in claim:
        return v * 100 <= claim["at_most_percent"] + 1e-9
    return False


def check_claims(indicators: pd.DataFrame, claims: dict, lang: str = "fr") -> pd.DataFrame:
    """One row per claim: ``id, text, indicator, stated, computed, matches, kind, pending``.

    ``computed`` is the indicator as the report shows it ("7 sur 8 (88 %)"). An indicator absent
    from the table is reported as not matching (never silently skipped). An indicator of an
    interim session whose questionnaire is not collected yet (verdict ``pending``,
    :func:`fac_eval.data.interim.mark_pending`) is ``pending``: neither agreeing nor not agreeing
    (``matches`` is False, so it exempts nothing from the small-cell rule).
    """
    words = messages("en" if lang == "en" else "fr")
    rows = []
    for c in claims["claims"]:
        hit = indicators[indicators["indicator"] == c["indicator"]]
        pending = False
        if hit.empty:
            computed, ok = words._(N_("indicator missing")), False
        else:
            row = hit.iloc[0]
            ok = _matches(c, row)
            pending = str(row.get("verdict", "")) == "pending"
            if pending:
                computed, ok = words._(N_("not collected yet")), False
            elif pd.isna(row["denominator"]) or row["denominator"] == 0:
                computed = words._(N_("not computable"))
            elif str(c["indicator"]).endswith(".enrolled"):  # a headcount, not a share
                computed = fmt_number(int(row["numerator"]), lang)
            else:
                computed = fmt_count(int(row["numerator"]), int(row["denominator"]), lang)
        rows.append({
            "id": c["id"],
            "text": c["text"],
            "indicator": c["indicator"],
            "stated": _stated_text(c, lang),
            "computed": computed,
            "matches": bool(ok),
            "kind": next((k for k in KINDS if k in c), ""),
            "pending": pending,
        })
    return pd.DataFrame(rows, columns=["id", "text", "indicator", "stated", "computed", "matches",
                                       "kind", "pending"])
