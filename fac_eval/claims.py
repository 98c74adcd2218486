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
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from .formatting import fmt_count, fmt_percent, round_half_up

KINDS = ("percent", "all", "share", "count", "fraction", "at_most_percent")


class ClaimsFileError(ValueError):
    """The claims file is missing pieces or names an unknown indicator."""


def load_claims(path: str | Path) -> dict:
    """Read and check a claims file; raises :class:`ClaimsFileError` listing every problem."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ClaimsFileError(f"{path.name} : illisible ({err})") from err
    problems = []
    claims = data.get("claims")
    if not isinstance(claims, list) or not claims:
        problems.append(f"{path.name} : la clé « claims » doit être une liste non vide")
        claims = []
    seen = set()
    for i, c in enumerate(claims, start=1):
        where = f"{path.name}, affirmation {i}"
        if not isinstance(c, dict):
            problems.append(f"{where} : attendu un dictionnaire")
            continue
        for key in ("id", "text", "indicator"):
            if not c.get(key):
                problems.append(f"{where} : clé « {key} » manquante")
        kinds = [k for k in KINDS if k in c]
        if len(kinds) != 1:
            problems.append(f"{where} : exactement un chiffre attendu parmi {', '.join(KINDS)}")
        if c.get("id") in seen:
            problems.append(f"{where} : identifiant « {c.get('id')} » en double")
        seen.add(c.get("id"))
    if problems:
        raise ClaimsFileError("\n".join(problems))
    return data


def _stated_text(claim: dict, lang: str) -> str:
    if "percent" in claim:
        return fmt_percent(claim["percent"] / 100, lang)
    if "all" in claim:
        return "tous (100 %)" if lang != "en" else "all (100%)"
    if "share" in claim:
        return fmt_percent(claim["share"], lang, decimals=0)
    if "count" in claim:
        return str(claim["count"])
    if "fraction" in claim:
        k, n = claim["fraction"]
        return f"{k} sur {n}" if lang != "en" else f"{k} of {n}"
    if "at_most_percent" in claim:
        p = fmt_percent(claim["at_most_percent"] / 100, lang)
        return f"au plus {p}" if lang != "en" else f"at most {p}"
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
    """One row per claim: ``id, text, indicator, stated, computed, matches, kind``.

    ``computed`` is the indicator as the report shows it ("7 sur 8 (88 %)"). An indicator absent
    from the table is reported as not matching (never silently skipped).
    """
    rows = []
    for c in claims["claims"]:
        hit = indicators[indicators["indicator"] == c["indicator"]]
        if hit.empty:
            computed, ok = ("indicateur absent" if lang != "en" else "indicator missing"), False
        else:
            row = hit.iloc[0]
            ok = _matches(c, row)
            if pd.isna(row["denominator"]) or row["denominator"] == 0:
                computed = "non calculable" if lang != "en" else "not computable"
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
        })
    return pd.DataFrame(rows, columns=["id", "text", "indicator", "stated", "computed", "matches",
                                       "kind"])
