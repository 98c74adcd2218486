"""Amounts in euros as the evaluator wrote them in ``session.yml`` (``budget.total``,
``budget.funders[i].amount``): read only when their writing is unambiguous.

YAML and :class:`decimal.Decimal` accept far more than a French evaluator means: ``85.000`` is
the float 85.0 for YAML (a French reader means eighty-five thousand), ``85,000`` is 85 once the
comma is read as the decimal mark (an English reader means eighty-five thousand), ``8.5e4``,
``0x14C08`` and full-width ``８５０００`` are all 85,000. A published cost per participant a
thousand times too small is worse than no cost at all, so :func:`amount_problem` checks the
*literal* text of each amount (:func:`scalar_literals`, from the YAML nodes, before any
conversion) against the forms a French evaluator writes:

- digits, optionally grouped by threes with spaces (also no-break and narrow no-break spaces)
  or underscores: ``85000``, ``85 000``, ``1 234 567``;
- optionally a decimal part of one or two digits after a comma or a point: ``85000,50``,
  ``85 000.5``;
- thousands grouped by points with cents after a comma, or by commas with cents after a point:
  ``96.500,00``, ``96,500.00`` (two different marks: neither can be misread);
- optionally the euro sign or ``EUR`` at either end: ``85 000 €``, and a sign (a negative or
  zero amount is then refused by the schema's range, with its own message).

A text with no digit at all (``beaucoup``) is left to the schema's "amount in euros" message.

Refused, with the value and the expected writing: a comma or point followed by exactly three
digits (``85,000``, ``85.000``, ``1.234.567``: a thousands separator or three decimals, one
cannot tell), three or more decimals, an exponent, hexadecimal, octal or binary notation,
digits other than ASCII, and anything else.

Pure functions: text in, literals and reasons out.
"""

from __future__ import annotations

import re

import yaml

__all__ = ["amount_problem", "plain_amount", "scalar_literals"]

#: The spaces that may group digits by threes (space, no-break, narrow no-break, thin) and "_".
_GROUP = "[ \u00a0\u202f\u2009_]"
_CURRENCY = re.compile(r"^\s*(?:€|EUR)?\s*(.*?)\s*(?:€|EUR)?\s*$", re.IGNORECASE)
_PLAIN = re.compile(rf"^[-+]?(?:[0-9]+|[0-9]{{1,3}}(?:{_GROUP}[0-9]{{3}})+)(?:[.,][0-9]{{1,2}})?$")
_INFINITE = re.compile(r"^[-+]?\.?(?:inf|nan|infinity)$", re.IGNORECASE)
_THOUSANDS_MARK = re.compile(r"^[0-9]{1,3}(?:[.,][0-9]{3})+(?:[.,][0-9]+)?$")
#: Thousands grouped by one mark and cents after the other: ``96.500,00`` (the usual French
#: writing of accounts) or ``96,500.00``: the two marks differ, so neither is ambiguous.
_TWO_MARKS = re.compile(r"^[-+]?[0-9]{1,3}(?:(?P<g>[.,])[0-9]{3})(?:(?P=g)[0-9]{3})*"
                        r"(?!(?P=g))[.,][0-9]{1,2}$")


def scalar_literals(text: str) -> dict[tuple, str]:
    """The literal text of every scalar of a YAML document, by path (``("budget", "total")``,
    ``("budget", "funders", 0, "amount")``), as written (quotes removed); empty when the text
    is not YAML (the reader reports that)."""
    from fac_eval.data.safe_yaml import node_paths

    return {path: str(value.value) for path, _, value in node_paths(text)
            if isinstance(value, yaml.ScalarNode)}


def amount_problem(literal: str) -> str | None:
    """Why the amount written ``literal`` is refused (``"thousands_mark"``: ``85,000`` or
    ``85.000``, ambiguous; ``"not_an_amount"``: anything else outside the accepted forms), or
    None when it is read as written."""
    body = _CURRENCY.match(literal)
    value = body.group(1) if body else literal
    if _PLAIN.match(value) or _TWO_MARKS.match(value):
        return None
    if not any(ch.isdigit() for ch in value) and not _INFINITE.match(value):
        return None
    if _THOUSANDS_MARK.match(value):
        return "thousands_mark"
    return "not_an_amount"


def plain_amount(text: str) -> str:
    """An accepted amount's writing as plain digits with a decimal point, for
    :class:`decimal.Decimal`: ``"85 000,50 €"`` -> ``"85000.50"``, ``"96.500,00"`` ->
    ``"96500.00"`` (spaces, underscores and the euro sign removed; with two marks the first
    groups thousands)."""
    value = re.sub(r"[\s\u00a0\u202f\u2009€_]|EUR", "", text, flags=re.IGNORECASE)
    if _TWO_MARKS.match(value):
        value = value.replace(next(c for c in value if c in ".,"), "")  # the first: thousands
    return value.replace(",", ".")

