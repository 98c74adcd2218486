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
malformed YAML with its line). The file is read with :mod:`fac_eval.safe_yaml` (no aliases, size
cap).
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from . import safe_yaml
from .formatting import fmt_count, fmt_percent, round_half_up
from .validation import Problem, format_problems

KINDS = ("percent", "all", "share", "count", "fraction", "at_most_percent")
CLAIM_KEYS = ("id", "text", "indicator") + KINDS


class ClaimsFileError(ValueError):
    """The claims file is missing pieces or names an unknown indicator; ``.problems`` lists them
    (:class:`fac_eval.validation.Problem`)."""

    def __init__(self, problems: list[Problem], lang: str = "fr"):
        self.problems = list(problems)
        super().__init__(format_problems(self.problems, lang))

    def __reduce__(self):
        return (type(self), (self.problems,))


@lru_cache(maxsize=1)
def indicator_catalogue() -> frozenset[str]:
    """Every indicator id a session's indicator table holds.

    The ids do not depend on the data (one per codebook category, outcome, theme…): they are
    taken from the indicators of a small synthetic session built in memory (with follow-up and
    testimonies), computed once per process."""
    from . import cleaning, indicators, synth
    from . import codebook as cb
    from . import io as fio

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


def _lines(text: str) -> tuple[dict[str, int], list[int], list[dict[str, int]]]:
    """Lines of the top-level keys, of each claim and of each claim's keys."""
    node = safe_yaml.compose(text)
    top: dict[str, int] = {}
    claim_lines: list[int] = []
    key_lines: list[dict[str, int]] = []
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            top[str(k.value)] = k.start_mark.line + 1
            if str(k.value) == "claims" and isinstance(v, yaml.SequenceNode):
                for item in v.value:
                    claim_lines.append(item.start_mark.line + 1)
                    keys = {}
                    if isinstance(item, yaml.MappingNode):
                        keys = {str(ck.value): ck.start_mark.line + 1 for ck, _ in item.value}
                    key_lines.append(keys)
    return top, claim_lines, key_lines


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _value_problem(kind: str, v):
    """``(problem kind, expected fr, expected en)`` for a stated figure, or None when valid."""
    if kind in ("percent", "at_most_percent"):
        if not _is_number(v):
            return "wrong_type", "un pourcentage (nombre de 0 à 100)", "a percentage (number from 0 to 100)"
        if not 0 <= v <= 100:
            return "out_of_range", "un pourcentage de 0 à 100", "a percentage from 0 to 100"
    elif kind == "all":
        if v is not True:
            return "invalid_value", "true (« tous »)", 'true ("all")'
    elif kind == "share":
        if not _is_number(v):
            return "wrong_type", "une part entre 0 et 1 (ex. 0.5 pour « la moitié »)", \
                "a share from 0 to 1 (e.g. 0.5 for \"half\")"
        if not 0 <= v <= 1:
            return "out_of_range", "une part entre 0 et 1", "a share from 0 to 1"
    elif kind == "count":
        if not isinstance(v, int) or isinstance(v, bool):
            return "wrong_type", "un nombre entier de personnes", "a whole number of people"
        if v < 0:
            return "out_of_range", "un nombre entier positif ou nul", "a whole number, 0 or more"
    elif kind == "fraction":
        ok = (isinstance(v, list) and len(v) == 2
              and all(isinstance(x, int) and not isinstance(x, bool) for x in v))
        if not ok:
            return "wrong_type", "deux nombres entiers [K, N] (« K personnes sur N »)", \
                'two whole numbers [K, N] ("K people of N")'
        if not (0 <= v[0] <= v[1] and v[1] > 0):
            return "out_of_range", "[K, N] avec 0 ≤ K ≤ N et N > 0", "[K, N] with 0 ≤ K ≤ N and N > 0"
    return None


def _shown(v) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    return "" if v is None else str(v)


def claims_problems(path: str | Path, known: frozenset[str] | set[str] | None = None) -> list[Problem]:
    """Every problem of a claims file, in the project's problem format.

    ``known``: the indicator ids accepted (default :func:`indicator_catalogue`)."""
    path = Path(path)
    file = path.name
    data, text, problem = safe_yaml.load(path)
    if problem is not None:
        return [problem]
    if data is None:
        return [Problem(file, None, None, None,
                        "une clé « claims » : la liste des affirmations publiées", "empty_file",
                        'a "claims" key: the list of the published statements')]
    if not isinstance(data, dict):
        return [Problem(file, 1, None, None, "des lignes « clé: valeur » (source, claims)",
                        "unreadable_file", '"key: value" lines (source, claims)')]
    assert text is not None  # a file that parsed to a mapping has a text
    top, claim_lines, key_lines = _lines(text)
    out: list[Problem] = []
    claims = data.get("claims")
    if not isinstance(claims, list) or not claims:
        kind = "missing_value" if claims is None else "wrong_type"
        return [Problem(file, top.get("claims"), "claims", None if claims is None else _shown(claims),
                        "une liste non vide d'affirmations (lignes « - id: … »)", kind,
                        'a non-empty list of statements ("- id: …" lines)')]
    source = data.get("source")
    if source is not None and not isinstance(source, str):
        out.append(Problem(file, top.get("source"), "source", _shown(source), "un texte",
                           "wrong_type", "a text"))
    known = indicator_catalogue() if known is None else known
    seen: dict[str, int | None] = {}
    for i, c in enumerate(claims):
        line = claim_lines[i] if i < len(claim_lines) else None
        keys = key_lines[i] if i < len(key_lines) else {}
        if not isinstance(c, dict):
            out.append(Problem(file, line, None, _shown(c),
                               "une affirmation « id: …, text: …, indicator: … » et son chiffre",
                               "wrong_type", 'a statement "id: …, text: …, indicator: …" and its figure'))
            continue
        for key in c:
            if key not in CLAIM_KEYS:
                out.append(Problem(
                    file, keys.get(str(key), line), str(key), None,
                    "l'une des clés " + ", ".join(CLAIM_KEYS), "unknown_column",
                    "one of the keys " + ", ".join(CLAIM_KEYS)))
        for key in ("id", "text", "indicator"):
            v = c.get(key)
            if v is None or (isinstance(v, str) and not v.strip()):
                out.append(Problem(file, keys.get(key, line), key, None if v is None else "",
                                   f"une clé « {key} » renseignée", "missing_value",
                                   f'a "{key}" key with a value'))
            elif not isinstance(v, (str, int)) or isinstance(v, bool):
                out.append(Problem(file, keys.get(key, line), key, _shown(v), "un texte",
                                   "wrong_type", "a text"))
        cid = c.get("id")
        if isinstance(cid, (str, int)) and not isinstance(cid, bool) and str(cid).strip():
            if str(cid) in seen:
                out.append(Problem(file, keys.get("id", line), "id", str(cid),
                                   f"un identifiant unique (déjà utilisé ligne {seen[str(cid)]})",
                                   "duplicate_id",
                                   f"a unique id (already used on line {seen[str(cid)]})"))
            else:
                seen[str(cid)] = keys.get("id", line)
        ind = c.get("indicator")
        if isinstance(ind, str) and ind.strip() and ind not in known:
            close = difflib.get_close_matches(ind, sorted(known), n=1, cutoff=0.6)
            fr = "un identifiant d'indicateur du tableau des indicateurs (ex. learners.self_esteem.improved)"
            en = "an indicator id of the indicator table (e.g. learners.self_esteem.improved)"
            if close:
                fr += f" ; vouliez-vous dire « {close[0]} » ?"
                en += f'; did you mean "{close[0]}"?'
            out.append(Problem(file, keys.get("indicator", line), "indicator", ind, fr,
                               "unknown_indicator", en))
        kinds = [k for k in c if k in KINDS]  # in the order of the file
        if not kinds:
            out.append(Problem(file, line, None, None,
                               "un chiffre publié : l'une des clés " + ", ".join(KINDS),
                               "missing_value", "a published figure: one of the keys "
                               + ", ".join(KINDS)))
        elif len(kinds) > 1:
            out.append(Problem(file, keys.get(kinds[1], line), kinds[1], _shown(c[kinds[1]]),
                               f"un seul chiffre par affirmation (déjà : « {kinds[0]} »)",
                               "invalid_value",
                               f'a single figure per statement (already: "{kinds[0]}")'))
        for k in kinds:
            bad = _value_problem(k, c[k])
            if bad is not None:
                out.append(Problem(file, keys.get(k, line), k, _shown(c[k]), bad[1], bad[0], bad[2]))
    return out


def load_claims(path: str | Path, known: frozenset[str] | set[str] | None = None) -> dict:
    """Read and check a claims file; raises :class:`ClaimsFileError` listing every problem."""
    path = Path(path)
    problems = claims_problems(path, known)
    if problems:
        raise ClaimsFileError(problems)
    data, _, _ = safe_yaml.load(path)
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
    """One row per claim: ``id, text, indicator, stated, computed, matches, kind, pending``.

    ``computed`` is the indicator as the report shows it ("7 sur 8 (88 %)"). An indicator absent
    from the table is reported as not matching (never silently skipped). An indicator of an
    interim session whose questionnaire is not collected yet (verdict ``pending``,
    :func:`fac_eval.interim.mark_pending`) is ``pending``: neither agreeing nor not agreeing
    (``matches`` is False, so it exempts nothing from the small-cell rule).
    """
    rows = []
    for c in claims["claims"]:
        hit = indicators[indicators["indicator"] == c["indicator"]]
        pending = False
        if hit.empty:
            computed, ok = ("indicateur absent" if lang != "en" else "indicator missing"), False
        else:
            row = hit.iloc[0]
            ok = _matches(c, row)
            pending = str(row.get("verdict", "")) == "pending"
            if pending:
                computed, ok = ("pas encore collecté" if lang != "en" else "not collected yet"), False
            elif pd.isna(row["denominator"]) or row["denominator"] == 0:
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
            "pending": pending,
        })
    return pd.DataFrame(rows, columns=["id", "text", "indicator", "stated", "computed", "matches",
                                       "kind", "pending"])
