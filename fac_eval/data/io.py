"""Reading a session folder ``data/raw/<session>/``.

A session folder holds ``session.yml`` and one file per instrument of
:data:`fac_eval.data.codebook.INSTRUMENTS`, named ``<instrument>.csv`` or ``<instrument>.xlsx``
(optional instruments — follow-up, testimonies — may be absent).

What is accepted, so that evaluators can type their data the way they like:

- CSV separated by ``,`` ``;`` or tabs (the header line decides), encoded in UTF-8 with or without
  BOM, or cp1252 (Windows/Excel); an Excel ``sep=;`` first line is understood; XLSX (the data
  sheet: the one whose header row holds the instrument's id column, see
  :mod:`fac_eval.data.xlsx_reader`, which also reports formulas without a value, merged cells and
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

Limits (:mod:`fac_eval.data.limits`): files over 50 MB, tables over 200,000 rows, cells over 32,767
characters, XLSX zip bombs (:mod:`fac_eval.data.xlsx_guard`) are refused before being parsed;
``session.yml`` is read by :mod:`fac_eval.data.safe_yaml` (no aliases, dates kept as text).

Typed tables (the contract, see :data:`DTYPES`): one column per codebook item in codebook order
(optional columns absent from the file are added, all missing), then ``source_row`` (int64), the row
number in the user's spreadsheet (header = 1). Types: ``id``/``category``/``text`` -> ``str``
(pandas' string dtype, missing = NaN; categories hold the codes), ``ordinal``/``integer`` ->
``Int64``, ``number`` -> ``float64``, ``boolean`` -> ``boolean``, ``date`` -> ``datetime64[us]``
(calendar dates, time of day dropped). Empty cells are missing values.

:func:`read_session` validates first (:mod:`fac_eval.data.validation`) and raises
:class:`fac_eval.data.validation.ValidationError` listing every problem.

The readers live in modules by concern, re-exported here: :mod:`fac_eval.data.reading_cells`
(matching headers and answers, parsing cells, typed columns), :mod:`fac_eval.data.reading_files`
(CSV and XLSX files, typed tables) and :mod:`fac_eval.data.reading_session` (a session folder and its
``session.yml``). They import the problems of :mod:`fac_eval.data.validation_problems`, never
:mod:`fac_eval.data.validation`: this module is the only one to import both.
"""

from __future__ import annotations

from pathlib import Path

from fac_eval.data import validation
from fac_eval.data.reading_cells import (
    DATE_DTYPE,
    DTYPES,
    IMPOSSIBLE_DATE_EXPECTED,
    SOURCE_ROW,
    CellError,
    ImpossibleDate,
    clean_id,
    empty_table,
    map_header,
    match_choice,
    normalize_text,
    parse_cell,
    parse_date,
    parse_number,
)
from fac_eval.data.reading_cells import (
    _header_lookup as _header_lookup,
)
from fac_eval.data.reading_files import _column_letter as _column_letter
from fac_eval.data.reading_files import parse_table, read_raw_table, read_table
from fac_eval.data.reading_session import (
    DATA_KINDS,
    FILE_EXTENSIONS,
    MANDATORY_INSTRUMENTS,
    MAX_FOLLOWUP_MONTHS,
    META_FILE,
    META_GENERATED,
    META_OPTIONAL,
    META_REQUIRED,
    SessionData,
    check_session_meta,
    find_instrument_files,
    meta_keys,
    read_session_meta,
)
from fac_eval.data.validation_problems import ValidationError

__all__ = [
    "SOURCE_ROW",
    "DATE_DTYPE",
    "DTYPES",
    "FILE_EXTENSIONS",
    "MANDATORY_INSTRUMENTS",
    "DATA_KINDS",
    "META_FILE",
    "META_OPTIONAL",
    "META_GENERATED",
    "META_REQUIRED",
    "meta_keys",
    "MAX_FOLLOWUP_MONTHS",
    "IMPOSSIBLE_DATE_EXPECTED",
    "ImpossibleDate",
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


def read_session(session_dir: str | Path) -> SessionData:
    """Read and validate a session folder.

    Raises :class:`fac_eval.data.validation.ValidationError` listing every problem of every file when
    the data are not valid; otherwise returns the :class:`SessionData` with its typed tables.
    """
    data, problems = validation.check_session(session_dir)
    if problems:
        raise ValidationError(problems)
    return data
