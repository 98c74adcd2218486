"""Typographic French (and British English) formatting of the figures shown in reports.

Everything goes through Babel (CLDR data); nothing here builds a number by hand.

Locales
    ``lang="fr"`` uses ``fr_FR``; ``lang="en"`` uses ``en_GB`` (day-month-year dates such as
    "14 March 2022", "€12,500", the usage of British funders' reports). ``fr_FR``/``en_GB`` (or
    any ``fr*`` / ``en*`` tag) are accepted too; anything else raises ``ValueError``.

Spaces
    The strings keep the characters CLDR prescribes and the tests assert them exactly. With
    Babel 2.19, French uses U+202F NARROW NO-BREAK SPACE as the thousands separator
    ("12\u202f500") and U+00A0 NO-BREAK SPACE before ``%`` and ``€`` ("88\u00a0%",
    "12\u202f500\u00a0€"). Both are ordinary Unicode characters: they render in any UTF-8 HTML
    page (the report declares ``<meta charset="utf-8">``) and in DejaVu Sans, matplotlib's
    default font. Where a page might be re-encoded or shown with a font lacking U+202F, use
    :func:`html_text`, which escapes the text and writes both spaces as numeric character
    references (``&#160;`` and ``&#8239;``): same rendering, pure ASCII. Our own glue follows
    French typography: a no-break space before ``:`` ("IC 95 % : …") and around ``=``/``<`` in
    p-values, so that a value is never separated from its sign by a line break.

Rounding
    Published figures are rounded half up, as readers (and the 2022 assessment) expect:
    7/8 = 87.5 % is shown "88 %", 0.625 is "63 %", 0.125 is "13 %". Babel quantises with the
    current :mod:`decimal` context, whose default is banker's rounding (0.625 -> "62 %"), so each
    value is converted to :class:`~decimal.Decimal` through its shortest ``repr`` (0.285 is
    "0.285", not 0.28499999…) and quantised with ``ROUND_HALF_UP`` *before* Babel sees it; Babel
    then only inserts the separators. A value that rounds to zero is shown without a minus sign.

Minus sign
    A negative number carries the true minus sign U+2212 ("−0,5", "−1,200") in both languages:
    CLDR gives fr and en the hyphen-minus, which is a hyphen, not a sign.

Missing values (``None``, ``NaN``, ``pd.NA``, ``NaT``) are shown as an em dash "—" (the
p-value and date helpers use words, see there).
"""

from __future__ import annotations

import copy
import datetime as _dt
import html
import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from numbers import Real

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.numbers import NumberPattern, parse_pattern

from .i18n import N_, NC_

__all__ = [
    "lower_first",
    "PROPER_NOUNS",
    "LOCALES",
    "MISSING",
    "locale_for",
    "round_half_up",
    "fmt_percent",
    "share_decimals",
    "fmt_number",
    "fmt_money",
    "fmt_count",
    "fmt_ci",
    "fmt_pvalue",
    "fmt_date",
    "fmt_count_sentence",
    "html_text",
]

#: Babel locale used for each report language.
LOCALES: dict[str, str] = {"fr": "fr_FR", "en": "en_GB"}
#: Shown in place of a missing value.
MISSING = "—"
NBSP = "\u00a0"
NNBSP = "\u202f"
#: The minus sign of negative numbers (U+2212), in both languages: Babel gives a hyphen-minus.
MINUS = "\u2212"
EN_DASH = "\u2013"


def locale_for(lang: str) -> str:
    """Babel locale identifier for a report language (``"fr"`` -> ``"fr_FR"``)."""
    if not isinstance(lang, str):
        raise ValueError(f"unsupported language {lang!r}: use 'fr' or 'en'")
    key = lang.strip().lower().replace("-", "_")[:2]
    if key not in LOCALES:
        raise ValueError(f"unsupported language {lang!r}: use 'fr' or 'en'")
    return LOCALES[key]


def _is_en(lang: str) -> bool:
    return locale_for(lang) == LOCALES["en"]


def _words(lang: str, message: str | tuple[str, str], **values) -> str:
    """A catalog message (an id, or a ``(context, id)`` pair of :func:`fac_eval.core.i18n.NC_`)
    in the report language of ``lang`` (``"fr"``, ``"fr-FR"``, ``"en_GB"``…)."""
    from .i18n import messages  # the catalogs are read when first used

    words = messages("en" if _is_en(lang) else "fr")
    if isinstance(message, tuple):
        return words.pgettext(*message, **values)
    return words._(message, **values)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(locale_for(lang))


def _is_missing(x) -> bool:
    if x is None:
        return True
    try:
        import pandas as pd

        if x is pd.NA or x is pd.NaT:
            return True
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    if isinstance(x, float) and math.isnan(x):
        return True
    try:
        return bool(x != x)  # NaN of numpy scalar types
    except (TypeError, ValueError):
        return False


def _to_decimal(x) -> Decimal:
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        return Decimal(int(x))
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, Real):
        # repr gives the shortest string that round-trips: 0.285 -> "0.285"
        return Decimal(repr(float(x)))
    if isinstance(x, str):
        return Decimal(x.strip())
    # numpy integer types etc.
    try:
        return Decimal(repr(float(x))) if float(x) != int(x) else Decimal(int(x))
    except (TypeError, ValueError, OverflowError) as exc:
        raise TypeError(f"not a number: {x!r}") from exc


def round_half_up(x, decimals: int = 0) -> Decimal:
    """Round ``x`` half up (away from zero on ties) to ``decimals`` places, as a Decimal.

    >>> round_half_up(0.625, 2)
    Decimal('0.63')
    >>> round_half_up(87.5)
    Decimal('88')
    """
    d = _to_decimal(x)
    if not d.is_finite():
        return d
    q = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)  # no "-0"
    return q


@cache
def _pattern(lang: str, kind: str, min_frac: int, max_frac: int) -> NumberPattern:
    loc = _locale(lang)
    if kind == "percent":
        base = loc.percent_formats[None]
    elif kind == "currency":
        base = loc.currency_formats["standard"]
    else:
        base = loc.decimal_formats[None]
    pat = copy.copy(parse_pattern(base))
    pat.frac_prec = (min_frac, max_frac)
    return pat


def _apply(value: Decimal, lang: str, kind: str, min_frac: int, max_frac: int, **kw) -> str:
    pat = _pattern(lang, kind, min_frac, max_frac)
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        text = pat.apply(value, _locale(lang), decimal_quantization=True, **kw)
    # CLDR's minus sign for fr and en is the hyphen-minus: typeset the true minus sign
    return text.replace("-", MINUS)


def fmt_percent(value, lang: str = "fr", decimals: int = 0) -> str:
    """A proportion (0–1) as a percentage: ``0.875`` -> ``"88\u00a0%"`` / ``"88%"``.

    Rounded half up to ``decimals`` places (``fmt_percent(0.625)`` is ``"63\u00a0%"``).
    """
    if _is_missing(value):
        return MISSING
    pct = round_half_up(_to_decimal(value) * 100, decimals)
    if not pct.is_finite():
        return MISSING
    return _apply(pct.scaleb(-2), lang, "percent", decimals, decimals)


def share_decimals(parts, most: int = 1) -> tuple[int, bool]:
    """The fewest decimals (0 to ``most``) at which the percentages of ``parts`` (shares of a
    whole, summing to 1) add up to 100 once rounded half up, with no positive part shown as 0,
    and whether they then do: ``[0.6, 0.4]`` -> ``(0, True)``; ``[0.125, 0.875]`` -> ``(1,
    True)`` (12,5 % and 87,5 %, not 13 % and 88 %); ``[0.996, 0.004]`` -> ``(1, True)`` (0,4 %,
    not 0 %); ``[1/3, 1/3, 1/3]`` -> ``(1, False)`` (33,3 % three times: the table says that
    the rounded shares do not add up to 100 %)."""
    values = [_to_decimal(p) * 100 for p in parts]
    for decimals in range(most + 1):
        shown = [round_half_up(v, decimals) for v in values]
        if sum(shown) == 100 and all(s > 0 for s, v in zip(shown, values) if v > 0):
            return decimals, True
    return most, False


def _decimals_of(value) -> int | None:
    """How many decimals ``value`` has, written exactly (None when missing or not finite)."""
    if _is_missing(value):
        return None
    d = _to_decimal(value).normalize()
    if not d.is_finite():
        return None
    exponent = d.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def fmt_level(value, lang: str = "fr") -> str:
    """A level or threshold (``alpha``) as a percentage written exactly, with as many decimals
    as it has (any level in (0, 0.2] is accepted): ``0.05`` -> ``"5 %"``, ``0.025`` ->
    ``"2,5 %"``, ``1e-9`` -> ``"0,0000001 %"`` — never rounded to a "seuil de 0 %" that no test
    could reach."""
    decimals = _decimals_of(value)
    return MISSING if decimals is None else fmt_percent(value, lang, max(0, decimals - 2))


def fmt_exact(value, lang: str = "fr") -> str:
    """A number written with as many decimals as it has (a parameter as given: ``0.0001`` ->
    ``"0,0001"``, never rounded to ``"0"``)."""
    decimals = _decimals_of(value)
    return MISSING if decimals is None else fmt_number(value, lang, decimals)


def fmt_number(x, lang: str = "fr", decimals: int | None = None) -> str:
    """A number with the locale's separators: ``12500.5`` -> ``"12\u202f500,5"`` / ``"12,500.5"``.

    ``decimals=None``: integers (and integral floats) without decimals, other values with up to
    3 decimals (the CLDR default pattern), trailing zeros dropped. ``decimals=k``: exactly ``k``
    decimals. Always rounded half up.
    """
    if _is_missing(x):
        return MISSING
    d = _to_decimal(x)
    if not d.is_finite():
        return MISSING
    if decimals is None:
        d = round_half_up(d, 3)
        if d == d.to_integral_value():
            return _apply(round_half_up(d, 0), lang, "decimal", 0, 0)
        return _apply(d, lang, "decimal", 0, 3)
    return _apply(round_half_up(d, decimals), lang, "decimal", decimals, decimals)


def fmt_money(x, lang: str = "fr", currency: str = "EUR", cents: bool | None = None) -> str:
    """An amount of money: ``12500`` -> ``"12\u202f500\u00a0€"`` / ``"€12,500"``.

    ``cents=None`` shows cents only when the amount (rounded half up to the cent) is not whole;
    ``True`` always shows them, ``False`` rounds to the unit.
    """
    if _is_missing(x):
        return MISSING
    d = _to_decimal(x)
    if not d.is_finite():
        return MISSING
    cent = round_half_up(d, 2)
    if cents is None:
        cents = cent != cent.to_integral_value()
    if cents:
        value, n = cent, 2
    else:
        value, n = round_half_up(d, 0), 0
    return _apply(value, lang, "currency", n, n, currency=currency, currency_digits=False)


def fmt_count(k, n, lang: str = "fr", decimals: int = 0) -> str:
    """A count out of a total with its percentage: ``"7 sur 8 (88\u00a0%)"`` / ``"7 of 8 (88%)"``.

    With ``n == 0`` no percentage is given: ``"0 sur 0"``.
    """
    if _is_missing(k) or _is_missing(n):
        return MISSING
    text = _words(lang, N_("%(k)s of %(n)s"), k=fmt_number(k, lang), n=fmt_number(n, lang))
    if n == 0:
        return text
    return f"{text} ({fmt_percent(_to_decimal(k) / _to_decimal(n), lang, decimals)})"


def fmt_count_sentence(k, n, lang: str = "fr", decimals: int = 0) -> str:
    """``"7 personnes sur 8 (88\u00a0%)"`` / ``"7 people out of 8 (88%)"``: with a noun."""
    if _is_missing(k) or _is_missing(n):
        return MISSING
    from .i18n import messages

    text = messages("en" if _is_en(lang) else "fr").ngettext(
        "%(num)s person out of %(n)s", "%(num)s people out of %(n)s", k,
        num=fmt_number(k, lang), n=fmt_number(n, lang))
    if n == 0:
        return text
    return f"{text} ({fmt_percent(_to_decimal(k) / _to_decimal(n), lang, decimals)})"


def fmt_ci(
    low,
    high,
    lang: str = "fr",
    as_percent: bool = True,
    level: float = 0.95,
    decimals: int | None = None,
) -> str:
    """A confidence interval: ``"IC 95\u00a0%\u00a0: 47–100\u00a0%"`` / ``"95% CI: 47–100%"``.

    ``low``/``high`` are proportions when ``as_percent`` (then ``decimals`` defaults to 0), else
    plain numbers (``decimals=None`` as in :func:`fmt_number`). When a bound is negative the
    dash would read as a minus sign, so the bounds are joined with "à" / "to" instead.
    ``level`` is the confidence level (0.95 -> "95").
    """
    lvl = _to_decimal(level) * 100
    head = fmt_percent(level, lang, 0 if lvl == lvl.to_integral_value() else 1)
    head = _words(lang, N_("%(level)s CI:"), level=head)
    if _is_missing(low) or _is_missing(high):
        return f"{head} {MISSING}"
    if as_percent:
        d = 0 if decimals is None else decimals
        lo_val = round_half_up(_to_decimal(low) * 100, d)
        hi_val = round_half_up(_to_decimal(high) * 100, d)
        lo = fmt_number(lo_val, lang, d)
        hi = fmt_percent(_to_decimal(high), lang, d)
    else:
        lo_val, hi_val = _to_decimal(low), _to_decimal(high)
        lo = fmt_number(low, lang, decimals)
        hi = fmt_number(high, lang, decimals)
    if lo_val < 0 or hi_val < 0:  # "à" / "to": a dash would read as a minus sign
        return f"{head} " + _words(lang, NC_("interval", "%(low)s to %(high)s"), low=lo,
                                          high=hi)
    return f"{head} {lo}{EN_DASH}{hi}"


def fmt_pvalue(p, lang: str = "fr", decimals: int = 3) -> str:
    """A p-value: ``"p\u00a0=\u00a00,039"``, ``"p\u00a0<\u00a00,001"``, ``"p\u00a0=\u00a01"``.

    Shown with ``decimals`` (3) decimals, rounded half up; below ``10**-decimals`` as
    ``p < 0,001``; a value that rounds to 1 as ``p = 1``. No-break spaces (U+00A0) keep "p",
    the sign and the value on one line. A missing p-value reads "p non calculable" /
    "p not computable".
    """
    if _is_missing(p):
        return _words(lang, N_("p not computable"))
    d = _to_decimal(p)
    threshold = Decimal(1).scaleb(-decimals)
    if d < threshold:
        return f"p{NBSP}<{NBSP}{fmt_number(threshold, lang, decimals)}"
    r = round_half_up(d, decimals)
    if r >= 1:
        return f"p{NBSP}={NBSP}{fmt_number(1, lang)}"
    return f"p{NBSP}={NBSP}{fmt_number(r, lang, decimals)}"


def _to_date(d) -> _dt.date | None:
    if _is_missing(d):
        return None
    if isinstance(d, str):
        d = _dt.date.fromisoformat(d.strip()[:10])
    if hasattr(d, "to_pydatetime"):  # pandas Timestamp
        d = d.to_pydatetime()
    if isinstance(d, _dt.datetime):
        return d.date()
    if isinstance(d, _dt.date):
        return d
    raise TypeError(f"not a date: {d!r}")


def fmt_date(d, lang: str = "fr") -> str:
    """A date in long form: ``"14 mars 2022"`` / ``"14 March 2022"``.

    Accepts ``date``, ``datetime``, ``pandas.Timestamp`` or an ISO string. French uses the
    ordinal for the first day of the month, as French typography requires: ``"1er mars 2022"``.
    A missing date reads "date inconnue" / "unknown date".
    """
    day = _to_date(d)
    if day is None:
        return _words(lang, N_("unknown date"))
    if not _is_en(lang) and day.day == 1:
        return _babel_format_date(day, "d'er' MMMM y", locale=locale_for(lang))
    return _babel_format_date(day, "long", locale=locale_for(lang))


def fmt_month(d, lang: str = "fr") -> str:
    """"octobre 2022" / "October 2022": a month and its year (Babel, CLDR's "MMMM y")."""
    from babel.dates import format_date

    day = _to_date(d)
    return "" if day is None else format_date(day, "MMMM y", locale=locale_for(lang))


def html_text(text: str) -> str:
    """Escape ``text`` for HTML and write no-break spaces as character references.

    ``html_text("88\u00a0% <b>")`` -> ``"88&#160;% &lt;b&gt;"``; U+202F becomes ``&#8239;``.
    """
    return html.escape(str(text), quote=True).replace(NBSP, "&#160;").replace(NNBSP, "&#8239;")


def plural(n, singular: str, plural_form: str, lang: str = "fr") -> str:
    """``"2 paires"``, ``"1 paire"``, ``"0 paire"``: the count and the noun in the right number.

    French uses the singular for 0 and 1 (CLDR plural rule "one" covers 0 ≤ n < 2), English only
    for exactly 1. The number is formatted with :func:`fmt_number`.
    """
    n_val = _to_decimal(n)
    one = (0 <= n_val < 2) if not _is_en(lang) else (n_val == 1)
    return f"{fmt_number(n, lang)} {singular if one else plural_form}"


_SPACE_BEFORE = re.compile(r" ([:;!?])")
_AFTER_OPENING = re.compile("«[ \u00a0\u202f]*")
_BEFORE_CLOSING = re.compile("[ \u00a0\u202f]*»")
_DIGIT_PERCENT = re.compile(r"(\d) %")


def french_spacing(text: str) -> str:
    """French typographic spaces in running text (the convention of ``docs/style.md``): a
    no-break space (U+00A0) before ``:``, a narrow no-break space (U+202F) before ``;`` ``!``
    ``?`` and inside the guillemets ``« … »`` (added when missing, whatever space was there
    before), and a no-break space between a number and ``%``, so that lines never break inside
    them.

    Before ``:`` ``;`` ``!`` ``?`` only existing plain spaces are replaced, so that English text
    (no space before ``:``) is unchanged; guillemets appear only in French.
    """
    text = _DIGIT_PERCENT.sub("\\1" + NBSP + "%", str(text))
    text = _AFTER_OPENING.sub("«" + NNBSP, text)
    text = _BEFORE_CLOSING.sub(NNBSP + "»", text)
    return _SPACE_BEFORE.sub(lambda m: (NBSP if m.group(1) == ":" else NNBSP) + m.group(1), text)


#: Words a label may start with that keep their capital inside a sentence (after a colon): the
#: names of people, places, programmes and frameworks the reports cite. An acronym ("RQTH",
#: "EES-10", "RCI", "DigComp", "IC") is kept by :func:`lower_first` without being listed.
PROPER_NOUNS = frozenset({
    "Rosenberg", "Vallières", "Vallerand", "Jacobson", "Truax", "Hodges-Lehmann", "Holm",
    "Fisher", "Fisher-Freeman-Halton", "Wilcoxon", "Mann-Whitney", "Clopper-Pearson", "Gana",
    "Schmitt", "Form'Ain", "Ain", "Ambérieu-en-Bugey", "France", "Europe", "European",
    "Pôle", "Excel", "Jupyter", "JupyterLab", "Python",
})
_FIRST_WORD = re.compile(r"[^\s,;:.()«»“”\"]+")


def lower_first(text: str) -> str:
    """A label inside a sentence, after a colon: "communication interne", not "Communication
    interne" (French typography; English lists too). An acronym ("RQTH", "DigComp", "EES-10")
    and a proper noun of :data:`PROPER_NOUNS` ("Rosenberg", "Vallières & Vallerand") are kept."""
    first = _FIRST_WORD.match(text)
    word = first.group(0) if first else ""
    if any(word == name or word.startswith((name + "'", name + "’", name + "-"))
           for name in PROPER_NOUNS):
        return text
    if any(ch.isupper() or ch.isdigit() for ch in word[1:]):  # RQTH, DigComp, EES-10, B2
        return text
    if len(text) > 1 and text[0].isupper():
        return text[0].lower() + text[1:]
    return text
