"""The one declared schema of the reports' parameters, and its checker.

Used identically by ``fac-eval run -p``, ``fac-eval batch -p``, :func:`fac_eval.run.pipeline.run_session`
(so a Dask worker checks too) and the notebooks themselves (their setup cell calls
:func:`check_report_parameters`, so papermill and JupyterLab runs are checked as well).

=============  ======  ==================  ===============================================
name           type    allowed             meaning
=============  ======  ==================  ===============================================
``session``    str     a session name      folder of the configured raw root
``lang``       str     ``fr``, ``en``      language of the report
``alpha``      float   0 < a <= 0.2        significance level of the tests
``confidence`` float   0.8 <= c <= 0.999   level of the confidence intervals
``min_cell``   int     3 <= m <= 20        smallest count published (INSEE frequency rule)
=============  ======  ==================  ===============================================

The data-quality notebook (:data:`QUALITY_SCHEMA`) has ``session``, ``lang``, ``confidence`` and
``floor_ceiling`` (float, 0 < share <= 0.5: the share of answers at the lowest / highest code
flagged as a floor / ceiling effect; above one half it would flag nothing meaningful).

``min_cell``: 3 is the floor of INSEE's frequency rule for a published report. The maximum,
:data:`MAX_MIN_CELL` (20), leaves room for the strictest thresholds in use (10, or 11 for health
data in France) on groups larger than one session (a batch, a comparison), while refusing a
typing slip such as ``min_cell=300`` that would mask every figure of a report of 8 learners.

Strings are converted (``"0,1"``, French decimal comma, is 0.1; numbers are written with the
digits 0–9 only: full-width ``３`` or Arabic-Indic ``٣`` digits are refused for every numeric
parameter, as other characters are); every problem is listed at once
and each refusal names the parameter, the value and the allowed values, in French or English.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from fac_eval.core.formatting import fmt_number
from fac_eval.core.i18n import N_, NP_, both, messages, tr
from fac_eval.core.invisible import shown as show_value


@dataclass(frozen=True)
class Parameter:
    name: str
    type: type
    default: Any
    #: What the parameter means (a catalog message, English id).
    meaning: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    choices: tuple = ()

    def allowed(self, lang: str = "fr") -> str:
        """The allowed values in words ("un nombre compris entre 0,8 et 0,999")."""
        if self.choices:
            from babel.lists import format_list

            return format_list([str(c) for c in self.choices], style="or", locale=lang)
        if self.name == "session":
            return tr(lang, N_("a session name (letters, digits, '.', '_', '-')"))
        bounds = {"low": _num(self.low, lang), "high": _num(self.high, lang)}
        if self.high is None:
            return tr(lang, N_("an integer of at least %(low)s"), **bounds)
        return tr(lang, RANGES[self.type is float, self.low_open], **bounds)


#: The allowed range in words, by (a number rather than an integer, the low bound excluded).
RANGES = {
    (True, True): N_("a number greater than %(low)s and at most %(high)s"),
    (False, True): N_("an integer greater than %(low)s and at most %(high)s"),
    (True, False): N_("a number between %(low)s and %(high)s"),
    (False, False): N_("an integer between %(low)s and %(high)s"),
}


def _num(x, lang: str) -> str:
    return "" if x is None else fmt_number(x, lang)


#: The largest ``min_cell`` accepted (see the module docstring).
MAX_MIN_CELL = 20

SCHEMA: dict[str, Parameter] = {p.name: p for p in (
    Parameter("session", str, "2022", N_("session (raw data folder)")),
    Parameter("lang", str, "fr", N_("language of the report"), choices=("fr", "en")),
    Parameter("alpha", float, 0.05, N_("significance level of the tests"), low=0.0,
              high=0.2, low_open=True),
    Parameter("confidence", float, 0.95, N_("level of the confidence intervals"), low=0.8,
              high=0.999),
    Parameter("min_cell", int, 3, N_("smallest count published, INSEE frequency rule"), low=3,
              high=MAX_MIN_CELL),
)}

COMPARISON_SCHEMA: dict[str, Parameter] = {
    **{k: v for k, v in SCHEMA.items() if k != "session"},
    "sessions": Parameter("sessions", str, "2022,synth-2024", N_("sessions compared")),
}


QUALITY_SCHEMA: dict[str, Parameter] = {
    **{k: v for k, v in SCHEMA.items() if k in ("session", "lang", "confidence")},
    "floor_ceiling": Parameter("floor_ceiling", float, 0.15,
                               N_("share of answers at the lowest (highest) code flagged as a "
                                  "floor (ceiling) effect"), low=0.0, high=0.5, low_open=True),
}


class ParameterError(ValueError):
    """One or more parameters refused; ``problems`` are (name, value, fr, en) tuples."""

    def __init__(self, problems: list[tuple[str, Any, str, str]], lang: str = "fr"):
        self.problems = problems
        self.lang = lang
        super().__init__(self.message(lang))

    def message(self, lang: str | None = None) -> str:
        lang = lang or self.lang
        lines = [p[3] if lang == "en" else p[2] for p in self.problems]
        if len(lines) == 1:
            return lines[0]
        head = messages(lang).nplural(NP_("%(num)s parameter refused:",
                                           "%(num)s parameters refused:"), len(lines))
        return "\n".join([head] + [f"- {ln}" for ln in lines])


_INT_RE = re.compile(r"[+-]?\d+")
#: A decimal number as people write it (``0.05``, ``,05`` read with its comma, ``.1``): no
#: exponent, so that what the report prints is what was typed.
_DECIMAL_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def _convert(p: Parameter, value: Any) -> Any:
    """``value`` as ``p.type``; raises ValueError when it cannot be read as one."""
    if p.type is str:
        # papermill's ``-p session 2022`` passes the number 2022: a session name made of digits
        if p.name in ("session", "sessions") and isinstance(value, int) \
                and not isinstance(value, bool) and value >= 0:
            return str(value)
        if not isinstance(value, str):
            raise ValueError(value)
        # a language code in any case ("FR"), as --lang takes it
        return value.strip().lower() if p.choices else value.strip()
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace("\u202f", "")
        if "_" in text:  # Python reads "0.1_0" as 0.1: no number is written so
            raise ValueError(value)
        if not text.isascii():
            # Python reads full-width "３" and Arabic-Indic "٣" as 3: a parameter is written with
            # the digits 0-9 only, whatever the parameter (what the report prints is what was typed)
            raise ValueError(value)
        if p.type is int:
            if not _INT_RE.fullmatch(text):
                raise ValueError(value)
            return int(text)
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # French decimal comma
        if not _DECIMAL_RE.fullmatch(text):  # "1e-300", "inf", "0x1p-4": no decimal number
            raise ValueError(value)
        out = float(text)
    elif p.type is int:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if not isinstance(value, int):
            raise ValueError(value)
        return value
    elif isinstance(value, (int, float)):
        out = float(value)
    else:
        raise ValueError(value)
    if not math.isfinite(out):
        raise ValueError(value)
    return out


def _in_range(p: Parameter, v: Any) -> bool:
    if p.choices:
        return v in p.choices
    if p.name in ("session", "sessions"):
        return True
    if p.low is not None and (v <= p.low if p.low_open else v < p.low):
        return False
    return not (p.high is not None and v > p.high)


#: A number written with an exponent ("1e-4", "5E-2"): refused, and said why.
_EXPONENT_RE = re.compile(r"\s*[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)[eE][+-]?\d+\s*")


#: A percentage ("5%", "5 %", "2,5 %"): a proportion is expected, and said so with its value.
_PERCENT_RE = re.compile(r"\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*%\s*")


def _problem(p: Parameter, value: Any):
    """``(name, value, French, English)``: the value refused, with what was expected (and,
    for a number written with an exponent, that it is the writing that is refused; for a
    percentage, the proportion it stands for)."""
    from decimal import Decimal

    from fac_eval.core.formatting import fmt_exact

    shown = show_value(value if not isinstance(value, str) else value.strip())
    text = value if p.type is float and isinstance(value, str) else ""
    exponent = _EXPONENT_RE.fullmatch(text)
    percent = _PERCENT_RE.fullmatch(text)

    def allowed(lang: str) -> str:
        if exponent:
            return tr(lang, N_("%(allowed)s, written with digits only (no exponent: 0.0001, "
                               "not 1e-4)"), allowed=p.allowed(lang))
        if percent:  # 5 % -> 0,05: the proportion, written as the report prints it
            share = Decimal(percent.group(1).replace(",", ".")) / 100
            return tr(lang, N_("%(allowed)s, as a proportion without the percent sign "
                               "(%(proportion)s for %(value)s)"), allowed=p.allowed(lang),
                      proportion=fmt_exact(float(share), lang), value=shown)
        return p.allowed(lang)
    fr, en = both(N_("Parameter '%(name)s' (%(meaning)s): value '%(value)s' refused; expected: "
                     "%(allowed)s."), name=p.name, value=shown,
                  meaning=lambda lang: tr(lang, p.meaning), allowed=allowed)
    return (p.name, value, fr, en)


def check(given: dict[str, Any], lang: str = "fr", schema: dict[str, Parameter] | None = None,
          extra: dict[str, Any] | None = None, known: list[str] | None = None) -> dict[str, Any]:
    """Convert and check ``given`` against the schema; return the converted values.

    ``extra``: other parameters a custom notebook declares (name -> converter) and that are not
    in the schema; ``known``: the names to list for an unknown parameter. Raises
    :class:`ParameterError` listing every problem.
    """
    from .session_paths import SessionNameError, check_name

    schema = SCHEMA if schema is None else schema
    extra = extra or {}
    problems = []
    out: dict[str, Any] = {}
    for name, value in given.items():
        if name in schema:
            p = schema[name]
            try:
                v = _convert(p, value)
            except (ValueError, TypeError, OverflowError):
                problems.append(_problem(p, value))
                continue
            if not _in_range(p, v):
                problems.append(_problem(p, value))
                continue
            if name in ("session", "sessions"):
                try:
                    for item in (v.split(",") if name == "sessions" else [v]):
                        check_name(item.strip())
                except SessionNameError:
                    problems.append(_problem(p, value))
                    continue
            out[name] = v
        elif name in extra:
            try:
                out[name] = extra[name](value)
            except (ValueError, SyntaxError, TypeError):
                problems.append((name, value, *both(
                    N_("Parameter '%(name)s': value '%(value)s' refused."), name=name,
                    value=show_value(value))))
        else:
            names = ", ".join(sorted(known or list(schema) + list(extra)))
            problems.append((name, value, *both(
                N_("Unknown parameter '%(name)s' (known parameters: %(known)s)."),
                name=show_value(name), known=names)))
    if problems:
        raise ParameterError(problems, lang)
    return out


def check_report_parameters(**given) -> dict[str, Any]:
    """The notebooks' check: every value of the parameters cell, as the CLI checks them
    (returned converted, in the order given; messages in the report's language if valid)."""
    lang = given.get("lang", "fr")
    msg_lang = lang if lang in ("fr", "en") else "fr"
    schema = (COMPARISON_SCHEMA if "sessions" in given
              else QUALITY_SCHEMA if "floor_ceiling" in given else SCHEMA)
    return check(given, msg_lang, schema)


def parse_assignments(items, lang: str = "fr") -> dict[str, str]:
    """``["alpha=0,1", "min_cell=5"]`` (``-p`` options) -> ``{"alpha": "0,1", "min_cell": "5"}``."""
    out: dict[str, str] = {}
    problems = []
    for item in items or []:
        if "=" not in item:
            problems.append((item, item, *both(N_("-p expects name=value, got '%(value)s'."),
                                               value=show_value(item))))
            continue
        k, v = item.split("=", 1)
        k = k.strip()
        if k in out and out[k] != v:
            problems.append((k, v, *both(
                N_("Parameter '%(name)s' given twice ('%(first)s' and '%(second)s')."),
                name=show_value(k), first=show_value(out[k]), second=show_value(v))))
        out[k] = v
    if problems:
        raise ParameterError(problems, lang)
    return out


def check_cli(items, session: str | None, lang: str = "fr", batch: bool = False,
              extra: dict | None = None, schema: dict[str, Parameter] | None = None,
              known: list[str] | None = None) -> dict[str, Any]:
    """The ``-p`` options of ``run`` / ``batch``: parsed, checked, and consistent with the
    positional session and ``--lang`` (a contradiction is refused, not silently overridden).
    ``schema``, ``extra``, ``known``: as for :func:`check` (a notebook's own parameters)."""
    given = parse_assignments(items, lang)
    problems = []
    if "session" in given:
        value = given["session"].strip()
        if batch:
            problems.append(("session", value, *both(
                N_("Parameter 'session': '%(value)s' refused; with batch, sessions are given as "
                   "arguments (fac-eval batch SESSION ...)."), value=value)))
        elif session is not None and value != session:
            problems.append(("session", value, *both(
                N_("Parameter 'session': '%(value)s' contradicts the session asked for "
                   "'%(session)s'; expected: the same session, or no -p session."),
                value=value, session=session)))
    asked_lang = given.get("lang", "").strip().lower()
    if asked_lang in ("fr", "en") and asked_lang != lang:
        v = asked_lang
        problems.append(("lang", v, *both(
            N_("Parameter 'lang': '%(value)s' contradicts --lang %(asked)s; expected: --lang "
               "%(value)s (without -p lang)."), value=v, asked=lang)))
    try:
        out = check({k: v for k, v in given.items()
                     if not (k == "session" and (batch or v.strip() != session))}, lang,
                    schema=schema, extra=extra, known=known)
    except ParameterError as err:
        problems.extend(err.problems)
        out = {}
    if problems:
        raise ParameterError(problems, lang)
    return out
