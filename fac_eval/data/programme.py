"""What the evaluator knows beyond the questionnaires: the optional sections of ``session.yml``.

A funder reads an evaluation to learn what was aimed at, what was done, for whom, at what cost,
and what comes next. Those facts are not in the questionnaires: the evaluator enters them in the
session's ``session.yml``, and they are validated like the questionnaires (every problem listed
with the file, the line, the key and what was expected). Nothing here is ever invented for a
reconstructed session: a section that the source does not give is simply absent, and the report
leaves out what depends on it (no budget, no cost section).

The sections, all optional::

    objectives:            # the programme's stated objectives, each with the indicators measuring it
      - text: "Relancer les apprenants dans une dynamique professionnelle proactive et positive"
        indicators: [learners.confidence.improved, learners.motivation.agree]
        kind: objective    # or "bridge" (an aim linking learners and founders)
        caveat: "..."      # optional: how its results are to be read (the evaluator's words)
    context:
      territory: "..."     # territory and labour market
      public: "..."        # the public and the needs identified
      partners: "..."
    activities:
      training_hours: 400
      collective_sessions: 20
      individual_sessions: 60
      founders_accompanied: 5
      missions: "..."      # the learners' missions with the founders
    budget:
      total: 85000         # euros
      funders:
        - {name: "Région", amount: 50000}
    data_collection:
      administered_by: "..."
      when: "..."
      anonymity: "..."
    perspectives:          # the evaluator's conclusions and recommendations, short paragraphs
      - "..."              # a conclusion
      - {fr: "...", kind: recommendation}   # what comes next (quoted by the synthèse)
    followup_plan: "..."   # when the follow-up will be collected
    primary_outcomes: [self_esteem, confidence]   # the Holm family (paired outcomes)

Every text may be given in French only (a string) or in both languages
(``{fr: "...", en: "..."}``); the English report falls back to the French text, marked as French.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from fac_eval.core.i18n import N_, both, tr

from .programme_keys import close_key, unknown_key, unknown_key_problems
from .validation import Problem, problem
from .validation_problems import join_words, quote

__all__ = [
    "SECTIONS",
    "LocalText",
    "Perspective",
    "Objective",
    "Context",
    "Activities",
    "Funder",
    "Budget",
    "DataCollection",
    "Programme",
    "parse_programme",
    "indicator_problems",
    "unknown_key_problems",
    "close_key",
    "yaml_paths",
]

#: The optional keys of session.yml that this module reads.
SECTIONS = ("objectives", "context", "activities", "budget", "data_collection", "perspectives",
            "followup_plan", "primary_outcomes")

#: Longest text accepted in one field (a paragraph, not a document).
MAX_TEXT = 3000
_INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_+\-]+)+$")
_OUTCOME_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class LocalText(_Model):
    """A text in French, optionally with its English version."""

    fr: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    en: Annotated[str | None, Field(default=None, max_length=MAX_TEXT)] = None

    def get(self, lang: str = "fr") -> str:
        """The text in ``lang``; the French text when no English one is given."""
        return self.en if lang == "en" and self.en else self.fr

    def lang_of(self, lang: str = "fr") -> str:
        """The language the text is actually written in for a report in ``lang``."""
        return "en" if lang == "en" and self.en else "fr"


def _as_text(value: Any) -> Any:
    """A plain string is the French text; a number, a yes/no or a list is not a text."""
    if isinstance(value, str):
        return {"fr": value}
    if not isinstance(value, dict):
        raise ValueError("not a text")
    return value


Text = Annotated[LocalText, BeforeValidator(_as_text)]


class Perspective(LocalText):
    """A paragraph of the perspectives: a conclusion drawn from the session (the default), or
    a recommendation for what comes next (``kind: recommendation``), which the synthèse quotes
    under what comes next."""

    kind: Literal["conclusion", "recommendation"] = "conclusion"


class Objective(_Model):
    text: Text
    indicators: list[Annotated[str, Field(pattern=_INDICATOR_ID.pattern)]] = Field(min_length=1)
    kind: Literal["objective", "bridge"] = "objective"
    #: what the evaluator (or the publication) says a result needs to be read with ("this was
    #: not one of the founders' aims"), shown beside the generated caveats
    caveat: Text | None = None



class Context(_Model):
    territory: Text | None = None
    public: Text | None = None
    partners: Text | None = None



class Activities(_Model):
    training_hours: Hours | None = None
    collective_sessions: Annotated[Count, Field(ge=0, le=10_000)] | None = None
    individual_sessions: Annotated[Count, Field(ge=0, le=100_000)] | None = None
    founders_accompanied: Annotated[Count, Field(ge=0, le=10_000)] | None = None
    missions: Text | None = None



def _euros(value: Any) -> Any:
    """Amounts as typed by a French user: ``85 000``, ``85000,50``, ``85 000 €``, ``EUR 85000``
    (their writing is checked first: :mod:`fac_eval.data.amounts`)."""
    if isinstance(value, bool):
        raise ValueError("not an amount")
    if isinstance(value, str):
        from .amounts import plain_amount

        value = plain_amount(value)
    return value


def _whole(value: Any) -> Any:
    """A count as written: an integer, or digits in a text (``0420``: 420; ``1 200``: grouped by
    threes); ``0x18``, ``420_0``, ``1e3`` or other digits are not a count."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, str):
        digits = value.strip()
        if not re.fullmatch(r"[0-9]+|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+", digits):
            raise ValueError("not a whole number in plain digits")
        return int(re.sub(r"[ \u00a0\u202f]", "", digits))
    return value


def _hours(value: Any) -> Any:
    """Hours as written: a count (:func:`_whole`), or a number with decimals (``37.5``, French
    ``37,5``: half an hour is common in training plans)."""
    if isinstance(value, bool):
        raise ValueError("not a number of hours")
    if isinstance(value, str) and re.fullmatch(r"[0-9]+[.,][0-9]+", value.strip()):
        return value.strip().replace(",", ".")
    if isinstance(value, float):
        return str(value)
    return _whole(value)


Euros = Annotated[Decimal, BeforeValidator(_euros)]
Count = Annotated[int, BeforeValidator(_whole)]
#: Hours, to the quarter of an hour at most (two decimals).
Hours = Annotated[Decimal, BeforeValidator(_hours), Field(ge=0, le=10_000, decimal_places=2)]


class Funder(_Model):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    amount: Annotated[Euros, Field(ge=0, le=100_000_000, decimal_places=2)]


class Budget(_Model):
    """The session's total cost in euros and who paid for it."""

    total: Annotated[Euros, Field(gt=0, le=100_000_000, decimal_places=2)]
    funders: list[Funder] = Field(default_factory=list)


class DataCollection(_Model):
    administered_by: Text | None = None
    when: Text | None = None
    anonymity: Text | None = None



class Programme(_Model):
    """The optional sections of ``session.yml`` (see the module docstring)."""

    objectives: list[Objective] = Field(default_factory=list)
    context: Context | None = None
    activities: Activities | None = None
    budget: Budget | None = None
    data_collection: DataCollection | None = None
    perspectives: list[Perspective] = Field(default_factory=list)
    followup_plan: Text | None = None
    primary_outcomes: list[Annotated[str, Field(pattern=_OUTCOME_ID.pattern)]] | None = None

    @field_validator("perspectives", mode="before")
    @classmethod
    def _paragraphs(cls, value: Any) -> Any:
        if isinstance(value, (str, dict)):
            value = [value]
        return [_as_text(v) for v in value] if isinstance(value, list) else value

    def perspectives_of(self, kind: str) -> list[Perspective]:
        """The perspectives' paragraphs of one ``kind`` (conclusion, recommendation), in order."""
        return [p for p in self.perspectives if p.kind == kind]

    @property
    def indicator_ids(self) -> list[str]:
        """Every indicator id named by an objective, in order, without repeats."""
        return list(dict.fromkeys(i for o in self.objectives for i in o.indicators))


# --------------------------------------------------------------------------------------------
# Validation messages
# --------------------------------------------------------------------------------------------

#: What was expected, for each kind of pydantic error (catalog messages).
_EXPECTED = {
    "missing": N_("a value for this key"),
    "int_type": N_("a whole number"),
    "decimal_type": N_("an amount in euros (e.g. 85000 or 85000.50)"),
    "decimal_max_places": N_("an amount to the cent (at most 2 decimals)"),
    "string_too_short": N_("a non-empty text"),
    "too_short": N_("a list of at least one item"),
    "list_type": N_('a list (lines starting with "- ")'),
    "model_type": N_('a section of "key: value" lines'),
    "string_type": N_("a text"),
}
_SAME_AS = {"int_parsing": "int_type", "int_from_float": "int_type",
            "decimal_parsing": "decimal_type", "float_parsing": "decimal_type",
            "float_type": "decimal_type", "model_attributes_type": "model_type",
            "dict_type": "model_type"}


def _expectation(err: Any) -> tuple[str, str]:
    """What was expected, in French and English, for one pydantic error."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if err.get("loc", ())[-1:] == ("training_hours",) and kind in (
            "value_error", "decimal_type", "decimal_parsing", "float_parsing", "int_type",
            "decimal_max_places", "float_type"):
        return both(N_("a number of hours (e.g. 420 or 37.5; at most 2 decimals)"))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sym = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤",
               "less_than": "<"}[kind]
        limit = next(iter(ctx.values()), "")
        return both(N_("a number %(sign)s %(limit)s"), sign=sym, limit=limit)
    if kind == "string_too_long":
        return both(N_("a text of at most %(max)s characters"), max=MAX_TEXT)
    if kind == "string_pattern_mismatch":
        if "\\." in str(ctx.get("pattern", "")):
            from .claims_file import close_indicators

            typed = err.get("input")
            close = close_indicators(typed) if isinstance(typed, str) else []
            if close:  # "Learners.Completed": ids are lower-case
                return both(N_("an indicator id of the indicator table (did you mean "
                               "%(close)s?)"), close=lambda lang: join_words(
                                   (quote(c, lang) for c in close), lang, "or"))
            return both(N_("an indicator id (e.g. learners.self_esteem.improved)"))
        return both(N_("an outcome name (e.g. self_esteem)"))
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return both(N_("one of %(values)s"), values=lambda lang: ", ".join(
            tr(lang, N_('"%(text)s"'), text=a) for a in allowed))
    if kind == "value_error":  # raised by the readers of texts, counts and amounts
        said = str(ctx.get("error", ""))
        if "not a text" in said:
            return both(N_('a text ("…"), or its French and English versions '
                           '({fr: "…", en: "…"})'))
        kind = "decimal_type" if "amount" in said else "int_type"
    kind = _SAME_AS.get(kind, kind)
    return both(_EXPECTED[kind]) if kind in _EXPECTED else both(N_("a valid value"))


def yaml_paths(text: str) -> dict[tuple, int]:
    """Line (1-based) of every key and list item of a YAML mapping, by path ``("a", 0, "b")``."""
    from fac_eval.data.safe_yaml import node_paths

    return {path: where.start_mark.line + 1 for path, where, _ in node_paths(text)}


def _line(lines: dict[tuple, int], path: tuple) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


def _value_at(meta: dict, path: tuple) -> Any:
    value: Any = meta
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def parse_programme(meta: dict, text: str = "", file: str = "session.yml"
                    ) -> tuple[Programme | None, list[Problem]]:
    """``(programme, problems)`` from a parsed ``session.yml`` mapping.

    ``text`` is the file's text, used to give each problem its line. Problems use the
    questionnaires' format (file, line, key path, value, expectation in French and English).
    """
    data = {k: meta[k] for k in SECTIONS if k in meta and meta[k] is not None}
    lines = yaml_paths(text) if text else {}
    programme: Programme | None = None
    try:
        programme = Programme.model_validate(data)
        problems = []
    except ValidationError as err:
        problems = _model_problems(err, meta, lines, file, text)
    # the checks across a section's keys run on each section that is valid by itself, whatever
    # the other sections hold: every problem of the file is listed in one run
    problems = _amount_problems(meta, text, lines, file, problems)
    if not any(str(p.column or "").startswith("budget.") for p in problems):
        # the sum is checked on amounts read as written: after a refused amount ("85.000", read
        # by YAML as 85), no second problem blames the others on a misread one
        problems += _budget_problems(data.get("budget"), lines, file)
    outcomes = data.get("primary_outcomes")
    if isinstance(outcomes, list):
        problems += _primary_outcome_problems(outcomes, lines, file)
    # objectives name indicators a session computes (the same problems `run` reports)
    problems += _raw_indicator_problems(meta, text, file)
    return (None if problems else programme), problems


def _model_problems(err: ValidationError, meta: dict, lines: dict[tuple, int], file: str,
                    text: str = "") -> list[Problem]:
    """One problem per location of the schema's errors (every section's, all at once), each
    value shown as written (``yes``, not Python's ``True``)."""
    from fac_eval.data.amounts import scalar_literals

    written = scalar_literals(text) if text else {}
    problems = []
    seen = set()
    for e in err.errors():
        # the "before" validators turn a string into {"fr": ...}: report at the field itself
        loc = tuple(p for p in e["loc"] if p not in ("fr",) or e["type"] != "string_too_short")
        if loc in seen:
            continue
        seen.add(loc)
        column = ".".join(str(p) if isinstance(p, str) else f"[{p + 1}]" for p in loc)
        column = column.replace(".[", "[")
        if e["type"] == "extra_forbidden":  # a misspelt key: named, with the closest one
            problems.append(unknown_key(file, _line(lines, loc), column, str(loc[-1]),
                                         _fields_at(loc), _section_name(loc)))
            continue
        expected = _expectation(e)
        value = _value_at(meta, loc)
        shown = None if value is None or isinstance(value, (dict, list)) else written.get(
            loc, str(value).lower() if isinstance(value, bool) else str(value))
        kind = "missing_value" if e["type"] in ("missing", "string_too_short") else (
            "out_of_range" if e["type"] in ("greater_than_equal", "greater_than",
                                            "less_than_equal", "less_than", "too_short",
                                            "string_too_long", "decimal_max_places")
            else "invalid_value" if e["type"] in ("literal_error", "string_pattern_mismatch")
            else "wrong_type")
        problems.append(problem(file, _line(lines, loc), column, shown, kind, expected))
    return problems


#: Why an amount's writing is refused (:func:`fac_eval.data.amounts.amount_problem`).
_AMOUNT_EXPECTED = {
    "thousands_mark": N_("an amount in euros written without ambiguity, such as 85000, 85 000 or "
                         "85 000,50: a comma or a point followed by three digits may separate "
                         "thousands or give three decimals (an amount stops at the cent)"),
    "not_an_amount": N_("an amount in euros in plain digits, such as 85000, 85 000 or 85 000,50 € "
                        "(to the cent; no exponent, hexadecimal or other digits)"),
}


def _amount_problems(meta: dict, text: str, lines: dict[tuple, int], file: str,
                     problems: list[Problem]) -> list[Problem]:
    """``problems`` with each amount of ``budget`` whose writing is ambiguous or not an amount
    (:mod:`fac_eval.data.amounts`) refused as written, in place of the schema's problem on it."""
    from fac_eval.data import amounts

    budget = meta.get("budget")
    if not text or not isinstance(budget, dict):
        return problems
    literals = amounts.scalar_literals(text)
    funders = budget.get("funders")
    paths = [("budget", "total")] + [("budget", "funders", i, "amount") for i in range(
        len(funders) if isinstance(funders, list) else 0)]
    refused: list[Problem] = []
    for path in paths:
        literal = literals.get(path)
        reason = amounts.amount_problem(literal) if literal is not None else None
        if reason is None:
            continue
        column = "budget." + ".".join(
            str(p) if isinstance(p, str) else f"[{p + 1}]" for p in path[1:]).replace(".[", "[")
        refused.append(problem(file, _line(lines, path), column, literal, "invalid_value",
                               both(_AMOUNT_EXPECTED[reason])))
    said = {p.column for p in refused}
    return [p for p in problems if p.column not in said] + refused


def _budget_problems(raw: Any, lines: dict[tuple, int], file: str) -> list[Problem]:
    """Funding that adds up to more than the total cost, when the budget section is valid by
    itself (its own problems are the schema's)."""
    from fac_eval.core.formatting import fmt_money

    try:
        budget = Budget.model_validate(raw) if raw is not None else None
    except ValidationError:
        return []
    if budget is None or not budget.funders:
        return []
    paid = sum(f.amount for f in budget.funders)
    if paid <= budget.total:
        return []
    return [problem(
        file, _line(lines, ("budget", "funders")), "budget.funders", str(paid), "out_of_range",
        both(N_("funding that adds up to no more than the total cost (%(total)s)"),
             total=lambda lang: fmt_money(budget.total, lang)))]


def _primary_outcome_problems(names: list, lines: dict[tuple, int], file: str) -> list[Problem]:
    """Primary outcomes that are not paired outcomes of the codebook, or are given twice (values
    that are not an outcome name at all are left to the schema's problems)."""
    from .codebook import PAIRED_OUTCOMES

    known = ", ".join(PAIRED_OUTCOMES)
    out, seen = [], set()
    for i, name in enumerate(names):
        if not isinstance(name, str) or not _OUTCOME_ID.match(name):
            continue
        where = _line(lines, ("primary_outcomes", i))
        if name not in PAIRED_OUTCOMES:
            out.append(problem(
                file, where, f"primary_outcomes[{i + 1}]", name, "invalid_value",
                both(N_("an outcome compared between entry and exit (%(known)s)"), known=known)))
        elif name in seen:
            out.append(problem(file, where, f"primary_outcomes[{i + 1}]", name, "invalid_value",
                               both(N_("each outcome once"))))
        seen.add(name)
    return out


def indicator_problems(programme: Programme, known: AbstractSet[str] | None = None,
                       text: str = "", file: str = "session.yml") -> list[Problem]:
    """Objectives that name an indicator the indicator table does not have (``known``: the
    session's computed ids; by default every id a session computes,
    :data:`fac_eval.data.claims_file.KNOWN_INDICATORS`, as ``fac-eval validate`` checks it).
    Each problem names the key, the value, what was expected and the close spellings of the
    same family (:func:`fac_eval.data.claims_file.close_indicators`), if any."""
    named = ((i, j, ind) for i, objective in enumerate(programme.objectives)
             for j, ind in enumerate(objective.indicators))
    return _unknown_indicators(named, known, text, file)


def _raw_indicator_problems(meta: dict, text: str, file: str) -> list[Problem]:
    """:func:`indicator_problems` on the file as read, before (or despite) its validation: the
    unknown ids are listed with the file's other problems, all at once. Values that are not a
    well-formed id are left to the model's own problems."""
    objectives = meta.get("objectives")
    if not isinstance(objectives, list):
        return []
    named = []
    for i, objective in enumerate(objectives):
        inds = objective.get("indicators") if isinstance(objective, dict) else None
        if isinstance(inds, list):
            named += [(i, j, ind) for j, ind in enumerate(inds)
                      if isinstance(ind, str) and _INDICATOR_ID.match(ind)]
    return _unknown_indicators(named, None, text, file)


def _unknown_indicators(named: Iterable[tuple[int, int, str]], known: AbstractSet[str] | None,
                        text: str, file: str) -> list[Problem]:
    from .claims_file import KNOWN_INDICATORS, close_indicators

    known = KNOWN_INDICATORS if known is None else known
    lines = yaml_paths(text) if text else {}
    out = []
    for i, j, ind in named:
        if ind in known:
            continue
        close = close_indicators(ind, known)
        expected = both(
            N_("an indicator id of the indicator table (did you mean %(close)s?)"),
            close=lambda lang, close=close: join_words(
                (quote(c, lang) for c in close), lang, "or")) if close else both(
            N_("an indicator id of the indicator table (e.g. %(example)s)"),
            example="learners.self_esteem.improved")
        out.append(problem(
            file, _line(lines, ("objectives", i, "indicators", j)),
            f"objectives[{i + 1}].indicators[{j + 1}]", ind, "invalid_value", expected))
    return out


def _models(annotation: Any) -> Iterable[type[BaseModel]]:
    """The pydantic models an annotation holds (``Text | None``, ``list[Objective]``...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models(arg)


def _fields_at(loc: tuple) -> list[str]:
    """The keys known where the last key of ``loc`` is written (a pydantic error's location)."""
    model: type[BaseModel] = Programme
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        inner = next(iter(_models(field.annotation)), None) if field is not None else None
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _section_name(loc: tuple) -> str:
    """The key path of the section holding ``loc``'s last key (``activities``,
    ``budget.funders[1]``)."""
    parent = ".".join(str(p) if isinstance(p, str) else f"[{p + 1}]" for p in loc[:-1])
    return parent.replace(".[", "[")
