"""Reading a session folder ``data/raw/<session>/``.

A session folder holds ``session.yml`` and one file per instrument of
:data:`fac_eval.codebook.INSTRUMENTS`, named ``<instrument>.csv`` or ``<instrument>.xlsx``
(optional instruments — follow-up, testimonies — may be absent).

What is accepted, so that evaluators can type their data the way they like:

- CSV separated by ``,`` ``;`` or tabs (the header line decides), encoded in UTF-8 with or without
  BOM, or cp1252 (Windows/Excel); an Excel ``sep=;`` first line is understood; XLSX (the data
  sheet: the one whose header row holds the instrument's id column, see
  :mod:`fac_eval.xlsx_reader`, which also reports formulas without a value, merged cells and
  hidden rows, columns or sheets rather than reading them as empty);
- column headers given as the canonical name (``ses_03``), the French label or the English label;
- answers given as the code (``3``, ``yes``, ``cdi``), the French label, the English label or an
  alias of the codebook;
- matching of headers and answers ignores case, accents, surrounding and repeated spaces,
  typographic vs straight apostrophes, dashes and the ``·`` of inclusive writing;
- numbers with a decimal comma, spaces / non-breaking spaces as thousands separators and a trailing
  ``€``; dates as ``2022-03-01`` or ``01/03/2022`` (a date or time that does not exist,
  ``31/02/2022`` or ``25:99``, is an ``impossible_date`` problem);
- ids without invisible characters (zero-width space / joiner, BOM, soft hyphen, directional
  marks, non-breaking spaces: :func:`clean_id`), codes matched without them.

Limits (:mod:`fac_eval.limits`): files over 50 MB, tables over 200,000 rows, cells over 32,767
characters, XLSX zip bombs (:mod:`fac_eval.xlsx_guard`) are refused before being parsed;
``session.yml`` is read by :mod:`fac_eval.safe_yaml` (no aliases, dates kept as text).

Typed tables (the contract, see :data:`DTYPES`): one column per codebook item in codebook order
(optional columns absent from the file are added, all missing), then ``source_row`` (int64), the row
number in the user's spreadsheet (header = 1). Types: ``id``/``category``/``text`` -> ``str``
(pandas' string dtype, missing = NaN; categories hold the codes), ``ordinal``/``integer`` ->
``Int64``, ``number`` -> ``float64``, ``boolean`` -> ``boolean``, ``date`` -> ``datetime64[us]``
(calendar dates, time of day dropped). Empty cells are missing values.

:func:`read_session` validates first (:mod:`fac_eval.validation`) and raises
:class:`fac_eval.validation.ValidationError` listing every problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fac_eval import codebook as cb
from fac_eval import limits, safe_yaml, validation
from fac_eval.interim import PENDING_ALLOWED
from fac_eval.invisible import clean_id, drop_format_chars
from fac_eval.validation import Problem, ValidationError, expected_text

__all__ = [
    "SOURCE_ROW",
    "DATE_DTYPE",
    "DTYPES",
    "FILE_EXTENSIONS",
    "MANDATORY_INSTRUMENTS",
    "DATA_KINDS",
    "SessionData",
    "normalize_text",
    "clean_id",
    "map_header",
    "match_choice",
    "parse_number",
    "parse_date",
    "parse_cell",
    "CellError",
    "read_raw_table",
    "parse_table",
    "empty_table",
    "read_table",
    "find_instrument_files",
    "read_session_meta",
    "check_session_meta",
    "read_session",
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
FILE_EXTENSIONS = (".csv", ".xlsx")
MANDATORY_INSTRUMENTS: tuple[str, ...] = tuple(n for n, i in cb.INSTRUMENTS.items() if not i.optional)
DATA_KINDS = ("real", "reconstructed", "synthetic")
META_FILE = "session.yml"
META_REQUIRED = ("name", "start_date", "end_date", "followup_months", "programme", "territory",
                 "data_kind")
MAX_FOLLOWUP_MONTHS = 60


@dataclass
class SessionData:
    """A session read by :func:`read_session`.

    ``tables`` maps each instrument present to its typed table (canonical columns then
    ``source_row``); absent optional instruments are simply not in it. ``files`` maps each
    instrument to the file it was read from. ``meta`` is :func:`read_session_meta`'s dict.
    """

    name: str
    path: Path
    meta: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    #: exit questionnaires not collected yet (absent or empty files; :mod:`fac_eval.interim`):
    #: their tables have no rows and the session's report is an interim report
    pending: tuple[str, ...] = ()

    @property
    def interim(self) -> bool:
        return bool(self.pending)

    @property
    def n_learners(self) -> int:
        t = self.tables.get("learners_profile")
        return 0 if t is None else int(t["learner_id"].nunique())

    @property
    def n_founders(self) -> int:
        t = self.tables.get("founders_profile")
        return 0 if t is None else int(t["founder_id"].nunique())


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


_TIME = r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_FR_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})" + _TIME)


#: What is expected instead of an impossible date (French, English).
IMPOSSIBLE_DATE_EXPECTED = (
    "une date qui existe au calendrier, au format AAAA-MM-JJ ou JJ/MM/AAAA (heure éventuelle "
    "entre 00:00 et 23:59)",
    "a date that exists in the calendar, as YYYY-MM-DD or DD/MM/YYYY (any time between 00:00 "
    "and 23:59)",
)


class ImpossibleDate(ValueError):
    """A date written in an accepted format that does not exist (``31/02/2022``,
    ``2022-02-30``, a time of ``25:99``)."""


def parse_date(text: Any) -> pd.Timestamp:
    """A calendar date typed as ``2022-03-01`` (ISO, optionally with a time, checked then dropped)
    or ``01/03/2022`` (French: day first; ``01/03/22`` means 2022).

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
        if len(m.group(3)) == 2:
            y += 2000
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


# --------------------------------------------------------------------------------------------
# Reading raw files
# --------------------------------------------------------------------------------------------


class _FileError(Exception):
    def __init__(self, kind: str, fr: str, en: str):
        super().__init__(en)
        self.kind, self.fr, self.en = kind, fr, en


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise _FileError(
            "unreadable_file",
            "un fichier texte CSV (UTF-8 ou Windows-1252) ou un classeur XLSX",
            "a CSV text file (UTF-8 or Windows-1252) or an XLSX workbook",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _sniff_delimiter(text: str) -> str | None:
    """The delimiter among ``,`` ``;`` and tab that best splits the header line (the first line
    that holds more than delimiters and spaces): most fields recognised as codebook headers, then
    most fields. None when there is no such line."""
    header = None
    for line in text.splitlines():
        if line.strip(" \t,;\"'"):
            header = line
            break
    if header is None:
        return None
    best, best_score = ",", (-1, -1)
    for d in (",", ";", "\t"):
        try:
            fields = next(csv.reader([header], delimiter=d))
        except (csv.Error, StopIteration):
            continue
        known = _all_headers()
        score = (sum(normalize_text(f) in known for f in fields), len(fields))
        if score > best_score:
            best, best_score = d, score
    return best


_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


class _LongCell(str):
    """A cell over :data:`fac_eval.limits.MAX_CELL_CHARS`, cut, with its true ``length``."""

    length: int

    def __new__(cls, text: str, length: int):
        obj = super().__new__(cls, text)
        obj.length = length
        return obj


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(data)
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]  # no copy of the rest (a file may be large)
    m = re.fullmatch(r'"?sep=(.)"?\r?', first_line.strip("\r"))
    if m:  # Excel's "sep=;" hint: not a row of the spreadsheet
        text, delimiter = ("" if end < 0 else text[end + 1:]), m.group(1)
    else:
        delimiter = _sniff_delimiter(text)
        if delimiter is None:
            raise _FileError("empty_file", "une ligne d'en-tête et des lignes de données",
                             "a header row and data rows")
    try:
        # lines as slices of the text (a StringIO would hold a second, 4-byte-per-character copy)
        lines = (m.group() for m in _LINE_RE.finditer(text) if m.group())
        reader = csv.reader(lines, delimiter=delimiter)
        out = []
        for i, row in enumerate(reader, start=1):
            for j, cell in enumerate(row):
                if len(cell) > limits.MAX_CELL_CHARS:  # kept short: reported with its length
                    row[j] = _LongCell(cell[:limits.MAX_CELL_CHARS + 1], len(cell))
            out.append((i, row))
        return out
    except csv.Error as err:
        raise _FileError(
            "unreadable_file",
            f"un fichier CSV valide ({err})",
            f"a valid CSV file ({err})",
        ) from None


def _raw_rows(path: Path, instrument: str | None = None
              ) -> tuple[list[tuple[int, list[str]]], str | None, list[Problem]]:
    """``(rows, sheet, problems)`` of a CSV or XLSX file: refused over the size limits
    (:mod:`fac_eval.limits`) before being read; XLSX through :mod:`fac_eval.xlsx_reader`."""
    big = limits.file_size_problem(path)
    if big is not None:
        raise ValidationError([big])
    try:
        data = path.read_bytes()
    except OSError as err:
        raise _FileError(
            "unreadable_file",
            f"un fichier lisible ({err.strerror or type(err).__name__})",
            f"a readable file ({err.strerror or type(err).__name__})",
        ) from None
    if not data.strip():
        raise _FileError("empty_file", "une ligne d'en-tête et des lignes de données",
                         "a header row and data rows")
    if data[:4] == b"PK\x03\x04":  # a zip container: XLSX, whatever its extension
        from fac_eval import xlsx_reader

        return xlsx_reader.read_workbook(data, path.name, instrument)
    if path.suffix.lower() == ".xlsx":
        raise _FileError("unreadable_file", "un classeur Excel XLSX valide",
                         "a valid Excel XLSX workbook")
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if lines > limits.MAX_ROWS + 2:  # header, a "sep=" line
        raise ValidationError([limits.rows_problem(path.name, lines - 1)])
    rows = _csv_rows(data)
    if len(rows) > limits.MAX_ROWS + 2:  # pragma: no cover - lines >= rows
        raise ValidationError([limits.rows_problem(path.name, len(rows) - 1)])
    return rows, None, []


def _long_cells(df: pd.DataFrame, file: str, sheet: str | None) -> list[Problem]:
    """Cells longer than :data:`fac_eval.limits.MAX_CELL_CHARS`, reported with their row and
    column and cut to that length (the file is refused anyway) so that later checks stay fast."""
    out: list[Problem] = []
    letters = df.attrs.get("column_letters") or []
    for j, col in enumerate(df.columns):
        lengths = df.iloc[:, j].str.len()
        long = lengths > limits.MAX_CELL_CHARS
        if not long.any():
            continue
        true_lengths = df.attrs.get("cell_lengths") or {}
        for row, n in zip(df.index[long.to_numpy()], lengths[long]):
            n = true_lengths.get((row, col), n)  # a CSV cell already cut on reading
            cell = f"{letters[j]}{int(row)}" if sheet is not None and j < len(letters) else None
            out.append(limits.long_cell_problem(file, int(row), str(col).strip(), int(n),
                                                sheet=sheet, cell=cell))
        df.iloc[long.to_numpy().nonzero()[0], j] = df.iloc[:, j][long].str.slice(0, limits.MAX_CELL_CHARS)
    for col in df.columns:
        if len(str(col)) > limits.MAX_CELL_CHARS:
            out.append(limits.long_cell_problem(file, int(df.attrs.get("header_row", 1)),
                                                str(col)[:40] + "…", len(str(col)), sheet=sheet))
    return out


def _raw_frame(rows: list[tuple[int, list[str]]]) -> pd.DataFrame:
    rows = [(i, r) for i, r in rows if any(c.strip() for c in r)]
    if not rows:
        raise _FileError("empty_file", "une ligne d'en-tête et des lignes de données",
                         "a header row and data rows")
    (header_row, header), data = rows[0], rows[1:]

    def last_filled(r):
        for j in range(len(r) - 1, -1, -1):
            if r[j].strip():
                return j + 1
        return 0

    width = max([last_filled(header)] + [last_filled(r) for _, r in data])
    header = (header + [""] * width)[:width]
    body = [(r + [""] * width)[:width] for _, r in data]
    keep = [j for j in range(width) if header[j].strip() or any(r[j].strip() for r in body)]
    df = pd.DataFrame(
        [[r[j] for j in keep] for r in body],
        columns=[header[j] for j in keep],
        index=pd.Index([i for i, _ in data], name=SOURCE_ROW, dtype="int64"),
        dtype="str",
    )
    df.attrs["header_row"] = header_row
    df.attrs["column_letters"] = [_column_letter(j) for j in keep]
    df.attrs["cell_lengths"] = {(i, header[j]): cell.length for i, r in data for j in keep
                                if j < len(r) and isinstance(cell := r[j], _LongCell)}
    return df


def _column_letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def read_raw_table(path: str | Path, instrument: str | None = None) -> pd.DataFrame:
    """The cells of a CSV or XLSX file as text, exactly as the user typed them.

    Blank cells are ``""`` (no conversion at all); fully blank rows are dropped; the index
    (named ``source_row``) gives each row's number in the spreadsheet (the header row is the first
    non-blank row, usually 1; the first data row is then 2). Column names are the headers as typed.
    ``df.attrs`` holds ``file``, ``header_row``, ``column_letters``, ``sheet`` (the XLSX sheet
    read, None for CSV) and ``problems``: what differs from what the user sees (XLSX formulas
    without a value, merged cells, hidden rows, columns or sheets, see
    :mod:`fac_eval.xlsx_reader`) and cells over the length limit; these do not stop the reading.
    ``instrument`` (by default the file's stem when it names one) tells which sheet of a workbook
    holds the data.

    Raises :class:`fac_eval.validation.ValidationError` (kinds ``unreadable_file``,
    ``empty_file``, ``too_large``, ``several_sheets``) when the file cannot be read.
    """
    path = Path(path)
    if instrument is None and path.stem in cb.INSTRUMENTS:
        instrument = path.stem
    field_limit = csv.field_size_limit()
    try:
        csv.field_size_limit(limits.MAX_FILE_BYTES + 1)
        rows, sheet, problems = _raw_rows(path, instrument)
        df = _raw_frame(rows)
    except _FileError as err:
        raise ValidationError([Problem(path.name, None, None, None, err.fr, err.kind, err.en)]) from None
    finally:
        csv.field_size_limit(field_limit)
    df.attrs["file"] = path.name
    df.attrs["sheet"] = sheet
    df.attrs["problems"] = list(problems) + _long_cells(df, path.name, sheet)
    return df


# --------------------------------------------------------------------------------------------
# From raw text to a typed table
# --------------------------------------------------------------------------------------------


def _close_header(header: str, instrument: cb.Instrument) -> tuple[str | None, str | None]:
    """(closest known header of this instrument, other instrument having this header)."""
    key = normalize_text(header)
    for other in cb.INSTRUMENTS.values():
        if other.name != instrument.name and key in _header_lookup(other.name):
            return None, other.name
    names = {}
    for item in instrument.items:
        for text in (item.name, item.label_fr, item.label_en):
            names[normalize_text(text)] = text
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.75)
    return (names[close[0]] if close else None), None


def _unknown_column_expected(header: str, instrument: cb.Instrument) -> tuple[str, str]:
    close, other = _close_header(header, instrument)
    fr = (f"une colonne de {instrument.name} (nom comme « {instrument.items[-1].name} » "
          "ou libellé français ou anglais du codebook)")
    en = (f"a column of {instrument.name} (a name like \"{instrument.items[-1].name}\" "
          "or the codebook's French or English label)")
    if other:
        fr += f" ; cette colonne appartient à {other}"
        en += f"; this column belongs to {other}"
    elif close:
        fr += f" ; vouliez-vous dire « {close} » ?"
        en += f"; did you mean \"{close}\"?"
    return fr, en


def parse_table(
    raw: pd.DataFrame,
    instrument: cb.Instrument | str,
    file: str | None = None,
    with_headers: bool = False,
):
    """Type a raw table (:func:`read_raw_table`) with the codebook.

    Returns ``(typed, problems)`` — or ``(typed, problems, headers)`` with ``with_headers=True``,
    ``headers`` mapping each canonical column to its position in ``raw``. Problems are the ones
    found while reading: ``unknown_column``, ``missing_column``, ``duplicate_column``,
    ``invalid_value``, ``wrong_type``; cells in error are missing in ``typed``. Range,
    nullability and uniqueness are checked by :func:`fac_eval.validation.table_problems`.
    """
    inst = cb.INSTRUMENTS[instrument] if isinstance(instrument, str) else instrument
    file = file or raw.attrs.get("file") or inst.name
    header_row = int(raw.attrs.get("header_row", 1))
    letters = raw.attrs.get("column_letters") or [_column_letter(j) for j in range(raw.shape[1])]
    rows = [int(i) for i in raw.index]
    problems: list[Problem] = []
    positions: dict[str, int] = {}

    for j, header in enumerate(raw.columns):
        h = str(header).strip()
        col = raw.iloc[:, j]
        if not h:
            for row, cell in zip(rows, col):
                if str(cell).strip():
                    problems.append(Problem(
                        file, row, "", str(cell),
                        f"aucune valeur hors des colonnes à en-tête (cellule {letters[j]}{row} sans "
                        "en-tête : vérifier le séparateur, les guillemets ou l'en-tête manquant)",
                        "unknown_column",
                        f"no value outside the columns with a header (cell {letters[j]}{row} has "
                        "no header: check the delimiter, the quotes or a missing header)"))
            continue
        name = map_header(h, inst)
        if name is None:
            fr, en = _unknown_column_expected(h, inst)
            problems.append(Problem(file, header_row, h, None, fr, "unknown_column", en))
        elif name in positions:
            first = str(raw.columns[positions[name]]).strip()
            problems.append(Problem(
                file, header_row, h, None,
                f"une seule colonne « {name} » (déjà présente : « {first} », colonne "
                f"{letters[positions[name]]})", "duplicate_column",
                f"a single \"{name}\" column (already present: \"{first}\", column "
                f"{letters[positions[name]]})", name))
        else:
            positions[name] = j

    columns: dict[str, pd.Series] = {}
    for item in inst.items:
        if item.name not in positions:
            if item.required:
                problems.append(Problem(
                    file, header_row, item.name, None,
                    f"une colonne « {item.name} » (ou « {item.label_fr} ») : {expected_text(item, 'fr')}",
                    "missing_column",
                    f"a column \"{item.name}\" (or \"{item.label_en}\"): {expected_text(item, 'en')}",
                    item.name))
            columns[item.name] = _typed_series(item, [None] * len(rows))
            continue
        j = positions[item.name]
        header = str(raw.columns[j]).strip()
        cache: dict[str, Any] = {}
        values = []
        for row, cell in zip(rows, raw.iloc[:, j]):
            cell = str(cell)
            if cell not in cache:
                try:
                    cache[cell] = parse_cell(item, cell)
                except CellError as err:
                    cache[cell] = err
            v = cache[cell]
            if isinstance(v, CellError):
                fr, en = expected_text(item, "fr"), expected_text(item, "en")
                if v.kind == "impossible_date":
                    fr, en = IMPOSSIBLE_DATE_EXPECTED
                problems.append(Problem(file, row, header, cell, fr, v.kind, en, item.name))
                v = None
            values.append(v)
        columns[item.name] = _typed_series(item, values)
    columns[SOURCE_ROW] = pd.Series(rows, dtype="int64")
    typed = pd.DataFrame(columns)
    problems = validation.sort_problems(problems)
    if with_headers:
        return typed, problems, positions
    return typed, problems


def read_table(path: str | Path, instrument: cb.Instrument | str) -> pd.DataFrame:
    """Read, type and check one file of ``instrument`` (no cross-file checks).

    Raises :class:`fac_eval.validation.ValidationError` with every problem of the file.
    """
    inst = cb.INSTRUMENTS[instrument] if isinstance(instrument, str) else instrument
    path = Path(path)
    raw = read_raw_table(path, inst.name)
    typed, problems, headers = parse_table(raw, inst, path.name, with_headers=True)
    skip = {(p.row, p.item) for p in problems if p.item is not None}
    absent = {p.item for p in problems if p.kind == "missing_column"}
    problems += validation.table_problems(typed, inst, path.name, raw, headers, skip, absent)
    problems += list(raw.attrs.get("problems") or [])
    identifiers = validation.identifier_problems(raw, inst, path.name)
    problems = validation.protect_problems(validation.drop_shadowed(problems + identifiers),
                                           identifiers)
    if problems:
        raise ValidationError(validation.sort_problems(problems))
    return typed


# --------------------------------------------------------------------------------------------
# A session folder
# --------------------------------------------------------------------------------------------


def find_instrument_files(session_dir: str | Path) -> tuple[dict[str, Path], list[Problem]]:
    """The file of each instrument in a session folder, and file-level problems: a mandatory
    instrument without file (``missing_file``), an instrument with both a CSV and an XLSX file
    (``duplicate_file``). Excel lock files (``~$...``) and hidden files are ignored; extensions
    are matched case-insensitively; other files are ignored."""
    session_dir = Path(session_dir)
    candidates: dict[str, list[Path]] = {}
    others: list[str] = []
    for p in sorted(session_dir.iterdir()):
        if not p.is_file() or p.name.startswith(("~$", ".")):
            continue
        if p.suffix.lower() in FILE_EXTENSIONS and p.stem in cb.INSTRUMENTS:
            candidates.setdefault(p.stem, []).append(p)
        elif p.suffix.lower() in FILE_EXTENSIONS + (".xls", ".ods", ".txt", ".tsv"):
            others.append(p.name)
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for name, inst in cb.INSTRUMENTS.items():
        paths = candidates.get(name, [])
        if len(paths) > 1:
            problems.append(Problem(
                paths[1].name, None, None, None,
                f"un seul fichier pour {name} (trouvés : {', '.join(p.name for p in paths)})",
                "duplicate_file",
                f"a single file for {name} (found: {', '.join(p.name for p in paths)})"))
            continue
        if paths:
            found[name] = paths[0]
        elif not inst.optional and name not in PENDING_ALLOWED:  # an absent exit: pending
            fr = f"un fichier {name}.csv ou {name}.xlsx ({inst.label_fr})"
            en = f"a file {name}.csv or {name}.xlsx ({inst.label_en})"
            close = difflib.get_close_matches(name, [Path(o).stem for o in others], n=1, cutoff=0.7)
            close += [o for o in others if Path(o).stem == name]  # e.g. learners_exit.xls
            if close:
                hit = next(o for o in others if Path(o).stem == close[0])
                fr += f" ; fichier approchant trouvé : {hit}"
                en += f"; similar file found: {hit}"
            problems.append(Problem(name, None, None, None, fr, "missing_file", en))
    return found, problems


_DATA_KIND_ALIASES = {
    "real": "real", "reel": "real", "reelle": "real", "reelles": "real",
    "reconstructed": "reconstructed", "reconstitue": "reconstructed",
    "reconstituee": "reconstructed", "reconstituees": "reconstructed",
    "synthetic": "synthetic", "synthetique": "synthetic", "synthetiques": "synthetic",
}


def check_session_meta(session_dir: str | Path) -> tuple[dict | None, list[Problem]]:
    """``(meta, problems)`` of a session's ``session.yml`` (``meta`` is None when invalid).

    See :func:`read_session_meta` for the keys.
    """
    session_dir = Path(session_dir)
    path = session_dir if session_dir.is_file() else session_dir / META_FILE
    if not path.exists() and (session_dir / "session.yaml").exists():
        path = session_dir / "session.yaml"
    file = path.name
    if not path.is_file():
        return None, [Problem(
            META_FILE, None, None, None,
            "un fichier session.yml décrivant la session (" + ", ".join(META_REQUIRED) + ")",
            "missing_file",
            "a session.yml file describing the session (" + ", ".join(META_REQUIRED) + ")")]
    data, text, problem = safe_yaml.load(path)
    if problem is not None:
        return None, [problem]
    if data is None:
        return None, [Problem(file, None, None, None,
                              "des lignes « clé: valeur » (" + ", ".join(META_REQUIRED) + ")",
                              "empty_file",
                              '"key: value" lines (' + ", ".join(META_REQUIRED) + ")")]
    if not isinstance(data, dict):
        return None, [Problem(file, 1, None, None, "des lignes « clé: valeur »",
                              "unreadable_file", '"key: value" lines')]
    assert text is not None  # a file that parsed to a mapping has a text

    lines = safe_yaml.key_lines(text)
    problems: list[Problem] = []
    meta: dict[str, Any] = {str(k): v for k, v in data.items()}

    def bad(key, kind, fr, en, value=None):
        v = meta.get(key) if value is None else value
        problems.append(Problem(file, lines.get(key), key, None if v is None else str(v),
                                fr, kind, en))

    for key in META_REQUIRED:
        if meta.get(key) is None or (isinstance(meta.get(key), str) and not meta[key].strip()):
            problems.append(Problem(file, lines.get(key), key, None if key not in meta else "",
                                    f"une clé « {key} » renseignée", "missing_value",
                                    f'a "{key}" key with a value'))
    for key in ("name", "programme", "territory"):
        v = meta.get(key)
        if v is not None and not isinstance(v, (str, int, float)):
            bad(key, "wrong_type", "un texte", "a text")
        elif v is not None:
            meta[key] = str(v).strip()
    for key in ("start_date", "end_date"):
        v = meta.get(key)
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if isinstance(v, dt.datetime):
            meta[key] = v.date()
        elif isinstance(v, dt.date):
            pass
        else:
            try:
                meta[key] = parse_date(v).date()
            except ImpossibleDate:
                bad(key, "impossible_date", *IMPOSSIBLE_DATE_EXPECTED)
            except ValueError:
                bad(key, "wrong_type", "une date au format AAAA-MM-JJ ou JJ/MM/AAAA",
                    "a date as YYYY-MM-DD or DD/MM/YYYY")
    if isinstance(meta.get("start_date"), dt.date) and isinstance(meta.get("end_date"), dt.date):
        if meta["end_date"] < meta["start_date"]:
            bad("end_date", "date_order",
                f"une date égale ou postérieure à start_date ({meta['start_date']:%d/%m/%Y})",
                f"a date on or after start_date ({meta['start_date']:%Y-%m-%d})")
    v = meta.get("followup_months")
    if v is not None and not (isinstance(v, str) and not v.strip()):
        try:
            if isinstance(v, bool):
                raise ValueError(v)
            n = parse_number(v)
            if not n.is_integer():
                raise ValueError(v)
            if not 0 <= n <= MAX_FOLLOWUP_MONTHS:
                bad("followup_months", "out_of_range",
                    f"un nombre entier de mois entre 0 et {MAX_FOLLOWUP_MONTHS}",
                    f"a whole number of months from 0 to {MAX_FOLLOWUP_MONTHS}")
            else:
                meta["followup_months"] = int(n)
        except ValueError:
            bad("followup_months", "wrong_type", "un nombre entier de mois (ex. 3)",
                "a whole number of months (e.g. 3)")
    v = meta.get("data_kind")
    if v is not None and not (isinstance(v, str) and not v.strip()):
        kind = _DATA_KIND_ALIASES.get(normalize_text(v))
        if kind is None:
            bad("data_kind", "invalid_value",
                "l'une des valeurs « real » (réelles), « reconstructed » (reconstituées), "
                "« synthetic » (synthétiques)",
                'one of "real", "reconstructed", "synthetic"')
        else:
            meta["data_kind"] = kind
    v = meta.get("neutralised_situations")
    if v is None:
        meta["neutralised_situations"] = list(cb.DEFAULT_NEUTRALISED)
    else:
        situation = cb.FOLLOWUP.item("situation")
        codes = []
        values = v if isinstance(v, (list, tuple)) else [v]
        for s in values:
            code = match_choice(situation, s)
            if code is None:
                bad("neutralised_situations", "invalid_value",
                    "une liste de codes de situation parmi "
                    + ", ".join(f"« {c} »" for c in situation.codes),
                    "a list of situation codes among "
                    + ", ".join(f'"{c}"' for c in situation.codes), value=s)
            else:
                codes.append(code)
        meta["neutralised_situations"] = codes
    notes = meta.get("notes")
    meta["notes"] = "" if notes is None else str(notes).strip()
    # the optional sections a funder reads (objectives, context, activities, budget, ...)
    from fac_eval import programme

    problems += programme.parse_programme(meta, text or "", file)[1]
    return (None if problems else meta), problems


def read_session_meta(session_dir: str | Path) -> dict:
    """The metadata of a session (its ``session.yml``; ``session_dir`` may be the file itself).

    Keys: ``name`` (str), ``start_date`` and ``end_date`` (:class:`datetime.date`),
    ``followup_months`` (int, 0–60), ``programme``, ``territory`` (str), ``data_kind`` (one of
    :data:`DATA_KINDS`; French spellings accepted), ``neutralised_situations`` (list of situation
    codes; the codebook default when absent), ``notes`` (str, ``""`` when absent); other keys are
    kept as they are. Raises :class:`fac_eval.validation.ValidationError` when the file is missing
    or invalid.
    """
    meta, problems = check_session_meta(session_dir)
    if problems:
        raise ValidationError(problems)
    assert meta is not None  # no problem: a valid mapping
    return meta


def read_session(session_dir: str | Path) -> SessionData:
    """Read and validate a session folder.

    Raises :class:`fac_eval.validation.ValidationError` listing every problem of every file when
    the data are not valid; otherwise returns the :class:`SessionData` with its typed tables.
    """
    data, problems = validation.check_session(session_dir)
    if problems:
        raise ValidationError(problems)
    return data
