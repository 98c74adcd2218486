"""Reading cells: matching headers and answers with the codebook, parsing numbers and dates,
typed columns.

- headers given as the canonical name (``ses_03``), the French label or the English label, and
  answers given as the code, a label or an alias, matched ignoring case, accents, surrounding and
  repeated spaces, typographic apostrophes, dashes and the ``·`` of inclusive writing
  (:func:`normalize_text`, :func:`map_header`, :func:`match_choice`);
- numbers with a decimal comma, spaces as thousands separators and a trailing ``€``
  (:func:`parse_number`); dates as ``2022-03-01`` or ``01/03/2022`` only (:func:`parse_date`; a date
  that does not exist is :class:`ImpossibleDate`);
- the typed value of a cell (:func:`parse_cell`) and the typed columns (:data:`DTYPES`,
  :func:`empty_table`).

Re-exported by :mod:`fac_eval.data.io`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from fac_eval.core.i18n import N_
from fac_eval.core.invisible import clean_id, drop_format_chars
from fac_eval.data import codebook as cb

__all__ = [
    "SOURCE_ROW",
    "DATE_DTYPE",
    "DTYPES",
    "normalize_text",
    "map_header",
    "match_choice",
    "CellError",
    "parse_number",
    "IMPOSSIBLE_DATE_EXPECTED",
    "ImpossibleDate",
    "parse_date",
    "parse_cell",
    "empty_table",
]

#: Name of the column giving each row's number in the user's spreadsheet (header = row 1).
SOURCE_ROW = "source_row"
DATE_DTYPE = "datetime64[us]"
#: dtype of a typed column for each codebook item type.
DTYPES: dict[str, str] = {
    "id": "str",
    "category": "str",
    "text": "str",
    "ordinal": "Int64",
    "integer": "Int64",
    "number": "float64",
    "boolean": "boolean",
    "date": DATE_DTYPE,
}

# --------------------------------------------------------------------------------------------
# Matching headers and answers
# --------------------------------------------------------------------------------------------

_TRANSLATE = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00b7": None, "\u22c5": None, "\u2022": None, "\u2027": None, "\u2219": None,
    "\ufeff": None, "\u200b": None,
})


def normalize_text(value: Any) -> str:
    """The matching key of a header or an answer: case-folded, without accents, with straight
    apostrophes and hyphens, without the inclusive-writing dot ``·`` or invisible format
    characters (zero-width space, BOM, soft hyphen, directional marks), spaces (non-breaking
    ones included) collapsed and stripped."""
    s = drop_format_chars(str(value).translate(_TRANSLATE))
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(s.split()).casefold()


@cache
def _header_lookup(instrument_name: str) -> dict[str, str]:
    inst = cb.INSTRUMENTS[instrument_name]
    out: dict[str, str] = {}
    for item in inst.items:
        for text in (item.name, item.label_fr, item.label_en, *item.former_labels):
            out.setdefault(normalize_text(text), item.name)
    return out


@cache
def _all_headers() -> frozenset[str]:
    return frozenset(k for name in cb.INSTRUMENTS for k in _header_lookup(name))


def map_header(header: Any, instrument: cb.Instrument | str) -> str | None:
    """Canonical column name of a header (canonical name, French or English label), or None."""
    name = instrument if isinstance(instrument, str) else instrument.name
    return _header_lookup(name).get(normalize_text(header))


@cache
def _choice_lookup(item: cb.Item) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in item.choices:
        for text in (str(c.code), c.label_fr, c.label_en, *c.aliases):
            out.setdefault(normalize_text(text), c.code)
    return out


def match_choice(item: cb.Item, value: Any) -> Any | None:
    """The code of an answer given as code, French or English label or alias; None if none.

    Unusual spaces (non-breaking, narrow, thin…) count as spaces between words (``Emploi
    durable``) or, when that matches nothing, as invisible (``y<NBSP>es`` is ``yes``)."""
    lookup = _choice_lookup(item)
    code = lookup.get(normalize_text(value))
    if code is None and not str(value).isascii():
        squeezed = "".join(ch for ch in str(value)
                           if not (ch != " " and unicodedata.category(ch) == "Zs"))
        code = lookup.get(normalize_text(squeezed))
    return code


# --------------------------------------------------------------------------------------------
# Parsing cells
# --------------------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read as its item's type; ``kind`` is a problem kind."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_CURRENCY = re.compile(r"^(?:€|eur)\s*|\s*(?:€|eur|euros?)$", re.IGNORECASE)
_FLOAT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


def parse_number(text: Any) -> float:
    """A number as typed by a person: ``12500``, ``12 500,50``, ``12.500,50``, ``12,500.50``,
    ``4 800 €``. Raises ValueError when ``text`` is not a number."""
    s = str(text).strip()
    s = _CURRENCY.sub("", s).strip()
    s = _SPACES.sub("", s)
    if not s:
        raise ValueError(text)
    sign = ""
    if s[0] in "+-":
        sign, s = s[0], s[1:]
    has_dot, has_comma = "." in s, "," in s
    if has_dot and has_comma:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if dec == "." else "."
        s = s.replace(thousands, "").replace(dec, ".")
    elif has_comma:
        s = s.replace(",", "") if s.count(",") > 1 and _THOUSANDS.fullmatch(s) else s.replace(",", ".")
    elif has_dot and s.count(".") > 1 and _THOUSANDS.fullmatch(s):
        s = s.replace(".", "")
    s = sign + s
    if not _FLOAT.fullmatch(s):
        raise ValueError(text)
    value = float(s)
    if not np.isfinite(value):
        raise ValueError(text)
    return value


# The documented formats only (README, the entry workbooks' guide, the messages): YYYY-MM-DD or
# DD/MM/YYYY, two-digit day and month, four-digit year, optionally followed by a time (as an Excel
# date cell or an export writes it). Anything else ("2022-3-2", "02.03.2022", "22-03-02",
# "2 mars 2022", an Excel serial number typed as text) is refused, not reinterpreted.
_TIME = r"(?:(?:T| +)(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?"
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})" + _TIME)
_FR_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})" + _TIME)


#: What is expected instead of an impossible date (an English message id).
IMPOSSIBLE_DATE_EXPECTED = N_(
    "a date that exists in the calendar, as YYYY-MM-DD or DD/MM/YYYY (any time between 00:00 "
    "and 23:59)")


class ImpossibleDate(ValueError):
    """A date written in an accepted format that does not exist (``31/02/2022``,
    ``2022-02-30``, a time of ``25:99``)."""


def parse_date(text: Any) -> pd.Timestamp:
    """A calendar date typed as ``2022-03-01`` (ISO) or ``01/03/2022`` (French: day first), the
    two documented formats, optionally with a time (checked, then dropped); nothing else.

    Raises :class:`ImpossibleDate` (a ValueError) for a date or time that does not exist
    (``31/02/2022``, ``2022-03-14 25:99``), ValueError for text that is not a date."""
    if isinstance(text, (dt.date, pd.Timestamp)):
        return pd.Timestamp(text).normalize()
    s = str(text).strip()
    m = _ISO_DATE.fullmatch(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _FR_DATE.fullmatch(s)
        if not m:
            raise ValueError(text)
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    hh, mm, ss = m.group(4), m.group(5), m.group(6)
    if hh is not None and (int(hh) > 23 or int(mm) > 59 or (ss is not None and int(ss) > 59)):
        raise ImpossibleDate(text)
    try:
        return pd.Timestamp(dt.date(y, mo, d))
    except (ValueError, OverflowError):
        raise ImpossibleDate(text) from None


def parse_cell(item: cb.Item, text: Any) -> Any:
    """The typed value of one cell of ``item`` (None when the cell is empty).

    Raises :class:`CellError` with kind ``invalid_value`` (an answer matching no code or label) or
    ``wrong_type`` (text in a number or date column, a decimal in a whole-number column). Values of
    the right type but out of the allowed range (an ordinal code 7 on a 1–4 scale, a negative
    revenue) are returned as such: the schema checks report them (``out_of_range``).
    """
    s = "" if text is None else str(text)
    if not s.strip():
        return None
    t = item.type
    if t == "id":
        return clean_id(s) or None
    if t == "text":
        return s.strip()
    if t in ("category", "ordinal", "boolean") and item.choices:
        code = match_choice(item, s)
        if code is not None:
            return (code == "yes") if t == "boolean" else code
        if t == "ordinal":
            try:
                x = parse_number(s)
            except ValueError:
                raise CellError("invalid_value") from None
            if x.is_integer():
                return int(x)
        raise CellError("invalid_value")
    if t in ("integer", "ordinal"):
        try:
            x = parse_number(s)
        except ValueError:
            raise CellError("wrong_type") from None
        if not x.is_integer():
            raise CellError("wrong_type")
        return int(x)
    if t == "number":
        try:
            return parse_number(s)
        except ValueError:
            raise CellError("wrong_type") from None
    if t == "boolean":
        k = normalize_text(s)
        if k in ("yes", "oui", "true", "vrai", "1"):
            return True
        if k in ("no", "non", "false", "faux", "0"):
            return False
        raise CellError("invalid_value")
    if t == "date":
        try:
            return parse_date(s)
        except ImpossibleDate:
            raise CellError("impossible_date") from None
        except ValueError:
            raise CellError("wrong_type") from None
    return s.strip()  # pragma: no cover - every type is handled above


def _typed_series(item: cb.Item, values: list) -> pd.Series:
    dtype = DTYPES[item.type]
    if item.type == "date":
        return pd.Series([pd.NaT if v is None else v for v in values], dtype=DATE_DTYPE)
    if item.type == "number":
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    if dtype == "str":
        return pd.Series([np.nan if v is None else v for v in values], dtype="str")
    return pd.Series(pd.array(values, dtype=dtype))


def empty_table(instrument: cb.Instrument) -> pd.DataFrame:
    """A typed table of ``instrument`` with no rows."""
    cols = {it.name: _typed_series(it, []) for it in instrument.items}
    cols[SOURCE_ROW] = pd.Series([], dtype="int64")
    return pd.DataFrame(cols)
