"""Size limits on what a session folder may hold, checked before anything is parsed.

A hostile or broken file (a 2 GB export, a CSV of millions of lines, an XLSX "zip bomb", a YAML
"billion laughs") must be refused in a few seconds and a few hundred megabytes, with a message
naming the file and the limit, never by running out of memory. The limits are far above what
any real session needs (a session has 4 to 30 participants; benchmarks use a few thousand):

- :data:`MAX_FILE_BYTES`: 50 MB for any file of the session folder;
- :data:`MAX_ROWS`: 200,000 rows in a table (CSV or XLSX sheet);
- :data:`MAX_COLUMNS`: 500 columns in a table (the widest questionnaire has a few dozen; the
  checks of unknown columns grow with their square, 100,000 columns took minutes);
- :data:`MAX_XLSX_CELLS`: 500,000 cells in a workbook (all sheets), about 270 MB once loaded by
  openpyxl; a larger table goes in a CSV file;
- :data:`MAX_XLSX_GRID`: 2,000,000 cells between A1 and the last filled cell of a sheet (one value
  in ``XFD1048576`` would make a reader walk seventeen billion empty cells);
- :data:`MAX_XLSX_UNCOMPRESSED`: 100 MB of XML once a workbook is unzipped, read from the zip
  directory (:mod:`fac_eval.data.xlsx_guard` checks it before openpyxl opens the file);
- :data:`MAX_CELL_CHARS`: 32,767 characters in a cell, the limit of an Excel cell (a one-megabyte
  testimony is refused with its row and column, rather than printed in a report);
- :data:`MAX_YAML_BYTES`: 1 MB for ``session.yml`` and ``claims.yml`` (which also refuse YAML
  aliases, see :mod:`fac_eval.data.safe_yaml`).

Every check returns :class:`fac_eval.data.validation.Problem` objects (kind ``too_large``) in the
project's message format, French and English.
"""

from __future__ import annotations

from pathlib import Path

from fac_eval.core.i18n import N_, NP_
from fac_eval.data.validation_problems import Problem, both, both_plural, fmt_number, problem

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_COLUMNS",
    "columns_problem",
    "MAX_XLSX_CELLS",
    "MAX_XLSX_UNCOMPRESSED",
    "MAX_XLSX_GRID",
    "MAX_XLSX_MEMBERS",
    "MAX_CELL_CHARS",
    "MAX_YAML_BYTES",
    "fmt_bytes",
    "file_size_problem",
    "too_large",
    "rows_problem",
    "long_cell_problem",
]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 500
MAX_XLSX_CELLS = 500_000
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_XLSX_GRID = 2_000_000
MAX_XLSX_MEMBERS = 2_000
MAX_CELL_CHARS = 32_767
MAX_YAML_BYTES = 1024 * 1024


#: The CLDR units of a size (Babel names them in each language: ``Mo`` / ``MB``); the multiples
#: are binary (1 Mo = 1,024 Ko), as file managers count.
_BYTE_UNITS = ("digital-byte", "digital-kilobyte", "digital-megabyte", "digital-gigabyte",
               "digital-terabyte")


def fmt_bytes(n: int, lang: str = "fr") -> str:
    """A size as people read it: ``50 Mo`` / ``50 MB`` (binary multiples, one decimal; a size
    under 1 Ko in words: ``512 octets`` / ``512 bytes``), named by Babel's units."""
    from babel.units import format_unit

    from fac_eval.core.formatting import locale_for

    x, i = float(n), 0
    while x >= 1024 and i < len(_BYTE_UNITS) - 1:
        x, i = x / 1024, i + 1
    x = round(x, 1)
    return format_unit(int(x) if x == int(x) else x, _BYTE_UNITS[i],
                       length="long" if i == 0 else "short", locale=locale_for(lang))


def too_large(file: str, expected: tuple[str, str], row: int | None = None,
              column: str | None = None, note: tuple[str, str] = ("", "")) -> Problem:
    """A ``too_large`` problem (file-level unless ``row`` / ``column`` are given); ``expected``
    and ``note`` are ``(French, English)`` pairs (:func:`fac_eval.data.validation_problems.both`)."""
    return problem(file, row, column, None, "too_large", expected, note=note)


def _number(x):
    return lambda lang: fmt_number(x, lang)


def _bytes(n):
    return lambda lang: fmt_bytes(n, lang)


def file_size_problem(path: Path, limit: int = MAX_FILE_BYTES) -> Problem | None:
    """A problem when ``path`` is larger than ``limit`` bytes (checked with ``stat``, before any
    byte is read); None otherwise (or when the file cannot be stat'ed: reading reports it)."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return None
    if size <= limit:
        return None
    return too_large(
        Path(path).name, both(N_("a file of at most %(max)s"), max=_bytes(limit)),
        note=(fmt_bytes(size, "fr"), fmt_bytes(size, "en")))


def rows_problem(file: str, n_rows: int, limit: int = MAX_ROWS, sheet: str | None = None,
                 at_least: bool = False) -> Problem:
    """A problem for a table of ``n_rows`` rows (more than ``limit``); ``at_least`` when counting
    stopped at the limit."""
    found = (NP_("more than %(num)s row", "more than %(num)s rows") if at_least
             else NP_("%(num)s row", "%(num)s rows"))
    return problem(
        file, None, None, None, "too_large",
        both(N_("a table of at most %(max)s rows"), max=_number(limit)),
        note=both_plural(found, n_rows, num=_number(n_rows)), sheet=sheet)


def columns_problem(file: str, n_columns: int, limit: int = MAX_COLUMNS,
                    sheet: str | None = None) -> Problem:
    """A problem for a table of ``n_columns`` columns (more than ``limit``)."""
    return problem(
        file, None, None, None, "too_large",
        both(N_("a table of at most %(max)s columns"), max=_number(limit)),
        note=both_plural(NP_("%(num)s column", "%(num)s columns"), n_columns,
                         num=_number(n_columns)), sheet=sheet)


def long_cell_problem(file: str, row: int, column: str, length: int,
                      limit: int = MAX_CELL_CHARS, sheet: str | None = None,
                      cell: str | None = None) -> Problem:
    """A problem for a cell of ``length`` characters (more than ``limit``)."""
    return problem(
        file, row, column, None, "too_large",
        both(N_("a text of at most %(max)s characters (the limit of an Excel cell): shorten or "
                "split the text"), max=_number(limit)),
        note=both_plural(NP_("a cell of %(num)s character", "a cell of %(num)s characters"), length,
                         num=_number(length)),
        sheet=sheet, cell=cell)
