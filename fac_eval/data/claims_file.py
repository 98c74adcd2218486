"""The claims file of a reconstructed session (``claims.yml``): read and checked like the
questionnaires (:func:`claims_problems`: file, line, key, value and what was expected). What a
claim is and how it is compared with the data: :mod:`fac_eval.analysis.claims`."""

from __future__ import annotations

import difflib
from collections.abc import Set as AbstractSet
from pathlib import Path

import yaml

from fac_eval.core.i18n import N_, both
from fac_eval.data import safe_yaml

from .validation_problems import Problem, format_problems, problem

#: Every indicator id a session's indicator table holds (they do not depend on the data: one
#: per codebook category, outcome, theme...). ``tests/test_stages.py`` checks that this list is
#: exactly the ids :func:`fac_eval.analysis.claims.indicator_catalogue` computes.
KNOWN_INDICATORS: frozenset[str] = frozenset({
    "followup.digital_sector",
    "followup.durable",
    "followup.neutralised",
    "followup.non_respondents",
    "followup.other",
    "followup.positive",
    "followup.sortie_dynamique",
    "followup.sortie_dynamique_respondents",
    "followup.transition",
    "founders.business_created",
    "founders.developed",
    "founders.digital_culture.improved",
    "founders.digital_culture_ceiling",
    "founders.digital_culture_gained",
    "founders.enrolled",
    "founders.internal_communication.improved",
    "founders.leadership_skills.improved",
    "founders.management.improved",
    "founders.revenue_up",
    "founders.stage_creation",
    "founders.time_saved",
    "learners.age_band.18-25",
    "learners.age_band.26-35",
    "learners.age_band.36-45",
    "learners.age_band.46-55",
    "learners.age_band.56+",
    "learners.aspirations.agree",
    "learners.autonomy.improved",
    "learners.aware_skills_value.agree",
    "learners.completed",
    "learners.confidence.improved",
    "learners.digital_skills.improved",
    "learners.education_level.bac",
    "learners.education_level.bac2",
    "learners.education_level.bac3plus",
    "learners.education_level.cap_bep",
    "learners.education_level.none",
    "learners.enrolled",
    "learners.gender.f",
    "learners.gender.m",
    "learners.gender.x",
    "learners.motivation.agree",
    "learners.projection.improved",
    "learners.rqth",
    "learners.self_esteem.improved",
    "learners.self_esteem.reliable_improvement",
    "learners.soft_skills.improved",
    "learners.step_back.agree",
    "learners.unemployed_over_24m",
    "learners.value_skills.agree",
    "testimonies.count",
    "testimonies.quotable",
    "testimonies.theme.coaching",
    "testimonies.theme.digital_skills",
    "testimonies.theme.employment",
    "testimonies.theme.motivation",
    "testimonies.theme.professional_network",
    "testimonies.theme.self_confidence",
    "testimonies.theme.teamwork",
    "testimonies.theme.time_saved",
})

#: How close (difflib ratio) the part after the family must be for an id to be suggested.
CLOSE_CUTOFF = 0.8


def close_indicators(ind: str, known: AbstractSet[str] | None = None,
                     n: int = 3) -> list[str]:
    """The known indicator ids spelled close to ``ind``, closest first (at most ``n``).

    Only ids of the same family (the part before the first dot: ``learners``, ``founders``,
    ``followup``, ``testimonies``) are proposed, the family itself corrected first when it is
    misspelt (``lerners.completed``); within the family, the rest of the id must be a close
    spelling (:data:`CLOSE_CUTOFF`). ``learners.time_saved`` proposes nothing (the founders'
    ``founders.time_saved`` is another population's indicator), an unrelated id neither."""
    known = KNOWN_INDICATORS if known is None else known
    # ids are lower-case: "Learners.Completed" or "LEARNERS.COMPLETED" mean learners.completed
    family, _, rest = str(ind).strip().casefold().partition(".")
    families = sorted({k.split(".", 1)[0] for k in known})
    if family not in families:
        fixed = difflib.get_close_matches(family, families, n=1, cutoff=0.75)
        if not fixed:
            return []
        family = fixed[0]
    rests = sorted(k.split(".", 1)[1] for k in known if k.split(".", 1)[0] == family and "." in k)
    return [f"{family}.{r}" for r in difflib.get_close_matches(rest, rests, n=n,
                                                               cutoff=CLOSE_CUTOFF)]


KINDS = ("percent", "all", "share", "count", "fraction", "at_most_percent")
CLAIM_KEYS = ("id", "text", "indicator") + KINDS


class ClaimsFileError(ValueError):
    """The claims file is missing pieces or names an unknown indicator; ``.problems`` lists them
    (:class:`fac_eval.data.validation.Problem`)."""

    def __init__(self, problems: list[Problem], lang: str = "fr"):
        self.problems = list(problems)
        super().__init__(format_problems(self.problems, lang))

    def __reduce__(self):
        return (type(self), (self.problems,))


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


def _value_problem(kind: str, v) -> tuple[str, tuple[str, str]] | None:
    """``(problem kind, expected (French, English))`` for a stated figure, or None when valid."""
    if kind in ("percent", "at_most_percent"):
        if not _is_number(v):
            return "wrong_type", both(N_("a percentage (number from 0 to 100)"))
        if not 0 <= v <= 100:
            return "out_of_range", both(N_("a percentage from 0 to 100"))
    elif kind == "all":
        if v is not True:
            return "invalid_value", both(N_('true ("all")'))
    elif kind == "share":
        if not _is_number(v):
            return "wrong_type", both(N_('a share from 0 to 1 (e.g. 0.5 for "half")'))
        if not 0 <= v <= 1:
            return "out_of_range", both(N_("a share from 0 to 1"))
    elif kind == "count":
        if not isinstance(v, int) or isinstance(v, bool):
            return "wrong_type", both(N_("a whole number of people"))
        if v < 0:
            return "out_of_range", both(N_("a whole number, 0 or more"))
    elif kind == "fraction":
        ok = (isinstance(v, list) and len(v) == 2
              and all(isinstance(x, int) and not isinstance(x, bool) for x in v))
        if not ok:
            return "wrong_type", both(N_('two whole numbers [K, N] ("K people of N")'))
        if not (0 <= v[0] <= v[1] and v[1] > 0):
            return "out_of_range", both(N_("[K, N] with 0 ≤ K ≤ N and N > 0"))
    return None


def _shown(v) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    return "" if v is None else str(v)


def claims_problems(path: str | Path, known: frozenset[str] | set[str] | None = None) -> list[Problem]:
    """Every problem of a claims file, in the project's problem format.

    ``known``: the indicator ids accepted (default :data:`KNOWN_INDICATORS`)."""
    path = Path(path)
    file = path.name
    data, text, unreadable = safe_yaml.load(path)
    if unreadable is not None:
        return [unreadable]
    if data is None:
        return [problem(file, None, None, None, "empty_file",
                        both(N_('a "claims" key: the list of the published statements')))]
    if not isinstance(data, dict):
        return [problem(file, 1, None, None, "unreadable_file",
                        both(N_('"key: value" lines (source, claims)')))]
    assert text is not None  # a file that parsed to a mapping has a text
    top, claim_lines, key_lines = _lines(text)
    out: list[Problem] = []
    claims = data.get("claims")
    if not isinstance(claims, list) or not claims:
        kind = "missing_value" if claims is None else "wrong_type"
        return [problem(file, top.get("claims"), "claims",
                        None if claims is None else _shown(claims), kind,
                        both(N_('a non-empty list of statements ("- id: …" lines)')))]
    source = data.get("source")
    if source is not None and not isinstance(source, str):
        out.append(problem(file, top.get("source"), "source", _shown(source), "wrong_type",
                           both(N_("a text"))))
    known = KNOWN_INDICATORS if known is None else known
    seen: dict[str, int | None] = {}
    for i, c in enumerate(claims):
        line = claim_lines[i] if i < len(claim_lines) else None
        keys = key_lines[i] if i < len(key_lines) else {}
        if not isinstance(c, dict):
            out.append(problem(file, line, None, _shown(c), "wrong_type", both(N_(
                'a statement "id: …, text: …, indicator: …" and its figure'))))
            continue
        for key in c:
            if key not in CLAIM_KEYS:
                out.append(problem(
                    file, keys.get(str(key), line), str(key), None, "unknown_column",
                    both(N_("one of the keys %(keys)s"), keys=", ".join(CLAIM_KEYS))))
        for key in ("id", "text", "indicator"):
            v = c.get(key)
            if v is None or (isinstance(v, str) and not v.strip()):
                out.append(problem(file, keys.get(key, line), key, None if v is None else "",
                                   "missing_value", both(N_('a "%(key)s" key with a value'),
                                                         key=key)))
            elif not isinstance(v, (str, int)) or isinstance(v, bool):
                out.append(problem(file, keys.get(key, line), key, _shown(v), "wrong_type",
                                   both(N_("a text"))))
        cid = c.get("id")
        if isinstance(cid, (str, int)) and not isinstance(cid, bool) and str(cid).strip():
            if str(cid) in seen:
                out.append(problem(file, keys.get("id", line), "id", str(cid), "duplicate_id",
                                   both(N_("a unique id (already used on line %(line)s)"),
                                        line=seen[str(cid)])))
            else:
                seen[str(cid)] = keys.get("id", line)
        ind = c.get("indicator")
        if isinstance(ind, str) and ind.strip() and ind not in known:
            close = close_indicators(ind, known, n=1)
            expected = both(N_("an indicator id of the indicator table (e.g. %(example)s)"),
                            example="learners.self_esteem.improved")
            if close:
                expected = both(N_("an indicator id of the indicator table (e.g. %(example)s); "
                                   'did you mean "%(close)s"?'),
                                example="learners.self_esteem.improved", close=close[0])
            out.append(problem(file, keys.get("indicator", line), "indicator", ind,
                               "unknown_indicator", expected))
        kinds = [k for k in c if k in KINDS]  # in the order of the file
        if not kinds:
            out.append(problem(file, line, None, None, "missing_value",
                               both(N_("a published figure: one of the keys %(keys)s"),
                                    keys=", ".join(KINDS))))
        elif len(kinds) > 1:
            out.append(problem(file, keys.get(kinds[1], line), kinds[1], _shown(c[kinds[1]]),
                               "invalid_value",
                               both(N_('a single figure per statement (already: "%(first)s")'),
                                    first=kinds[0])))
        for k in kinds:
            bad = _value_problem(k, c[k])
            if bad is not None:
                out.append(problem(file, keys.get(k, line), k, _shown(c[k]), bad[0], bad[1]))
    return out


def load_claims(path: str | Path, known: frozenset[str] | set[str] | None = None) -> dict:
    """Read and check a claims file; raises :class:`ClaimsFileError` listing every problem."""
    path = Path(path)
    problems = claims_problems(path, known)
    if problems:
        raise ClaimsFileError(problems)
    data, _, _ = safe_yaml.load(path)
    return data


