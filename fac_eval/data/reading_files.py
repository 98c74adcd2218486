"""Reading the raw files of a session: CSV and XLSX cells as typed, then typed tables.

- CSV separated by ``,`` ``;`` or tabs (the header line decides), encoded in UTF-8 with or without
  BOM, or cp1252 (Windows/Excel); an Excel ``sep=;`` first line is understood; XLSX through
  :mod:`fac_eval.data.xlsx_reader` (:func:`read_raw_table`);
- files, rows and cells over the limits (:mod:`fac_eval.data.limits`) are refused before being parsed;
- :func:`parse_table` types a raw table with the codebook (:mod:`fac_eval.data.reading_cells`) and
  :func:`read_table` reads, types and checks one file.

Re-exported by :mod:`fac_eval.data.io`.
"""

from __future__ import annotations

import csv
import difflib
import re
from pathlib import Path
from typing import Any

import pandas as pd

from fac_eval.core.i18n import N_, NP_, both_plural
from fac_eval.data import codebook as cb
from fac_eval.data import limits, raw_entries
from fac_eval.data.reading_cells import (
    IMPOSSIBLE_DATE_EXPECTED,
    SOURCE_ROW,
    CellError,
    _all_headers,
    _header_lookup,
    _typed_series,
    map_header,
    normalize_text,
    parse_cell,
)
from fac_eval.data.validation_identifiers import drop_shadowed, identifier_problems, protect_problems
from fac_eval.data.validation_problems import (
    Problem,
    ValidationError,
    both,
    expected_text,
    problem,
    sort_problems,
)
from fac_eval.data.validation_tables import table_problems

__all__ = ["read_raw_table", "parse_table", "read_table"]

# --------------------------------------------------------------------------------------------


class _FileError(Exception):
    """A file that cannot be read: its problem kind and what was expected (French, English)."""

    def __init__(self, kind: str, expected: tuple[str, str]):
        super().__init__(expected[1])
        self.kind, self.expected = kind, expected


#: What an empty file should hold.
_HEADER_AND_ROWS = N_("a header row and data rows")


#: A UTF-8 character of two to four bytes (an accented letter, a typographic quote…).
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|"
                             rb"[\xf0-\xf4][\x80-\xbf]{3}")


def _lines_not_utf8(data: bytes) -> list[int]:
    """The line numbers (1-based) that are not UTF-8 in a file that is not UTF-8 as a whole,
    when other lines hold UTF-8 characters of several bytes: a file written in two encodings
    (a line pasted from a Windows-1252 file). [] for a file in one 8-bit encoding."""
    lines = data.split(b"\n")
    bad, utf8 = [], False
    for n, line in enumerate(lines, start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(n)
            continue
        utf8 = utf8 or _UTF8_MULTIBYTE.search(line) is not None
    return bad if utf8 else []


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data and data.count(b"\x00") * 20 > len(data):
        # NUL bytes throughout (a binary file, UTF-16 without its BOM): not a CSV text file.
        # A few stray ones in a text file (a bad export, a paste) are read as characters and
        # named with their row, column and code point, like every invisible character
        raise _FileError(
            "unreadable_file",
            both(N_("a CSV text file (UTF-8 or Windows-1252) or an XLSX workbook")))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    mixed = _lines_not_utf8(data)
    if mixed:  # read as Windows-1252, its UTF-8 lines would be published garbled ("Ã©")
        shown = ", ".join(str(n) for n in mixed[:10]) + (" …" if len(mixed) > 10 else "")
        raise _FileError("mixed_encoding", both_plural(NP_(
            "one text encoding for the whole file: line %(lines)s is not UTF-8 while others "
            "hold UTF-8 accented letters; open the file in a spreadsheet and save it again as "
            "\"CSV UTF-8\", or retype that line",
            "one text encoding for the whole file: lines %(lines)s are not UTF-8 while others "
            "hold UTF-8 accented letters; open the file in a spreadsheet and save it again as "
            "\"CSV UTF-8\", or retype those lines"), len(mixed), lines=shown))
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
    """A cell over :data:`fac_eval.data.limits.MAX_CELL_CHARS`, cut, with its true ``length``."""

    length: int

    def __new__(cls, text: str, length: int):
        obj = super().__new__(cls, text)
        obj.length = length
        return obj


def _swallowed_cell(row: list[str], delimiter: str, width: int) -> int | None:
    """The index of the cell of ``row`` (read over several lines of the file) that holds whole
    lines reading as rows (most of them with as many delimiters as the header, ``width``
    fields): a quote not closed, or closed lines later (:func:`_quote_problems`). None for a
    text typed over several lines (a testimony), whose lines are no rows."""
    if width < 3:
        return None
    for j, cell in enumerate(row):
        lines = cell.splitlines()[1:]
        # the last line read ends where a quote closed the cell: a part of a row only
        rows = sum(line.count(delimiter) >= (width - 1 if k < len(lines) - 1 else 1)
                   for k, line in enumerate(lines))
        if lines and rows * 2 >= len(lines):
            return j
    return None


def _csv_rows(data: bytes, swallowed: list[tuple[int, int, int, int]] | None = None
              ) -> list[tuple[int, list[str]]]:
    """The rows of a CSV file, numbered as a spreadsheet shows them; ``swallowed`` gets
    ``(row, column index, first line, last line)`` for each cell that swallowed lines of the
    file (:func:`_swallowed_cell`)."""
    text = _decode(data)
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]  # no copy of the rest (a file may be large)
    m = re.fullmatch(r'"?sep=(.)"?\r?', first_line.strip("\r"))
    if m:  # Excel's "sep=;" hint: not a row of the spreadsheet
        text, delimiter = ("" if end < 0 else text[end + 1:]), m.group(1)
    else:
        delimiter = _sniff_delimiter(text)
        if delimiter is None:
            raise _FileError("empty_file", both(_HEADER_AND_ROWS))
    try:
        # lines as slices of the text (a StringIO would hold a second, 4-byte-per-character copy)
        lines = (m.group() for m in _LINE_RE.finditer(text) if m.group())
        reader = csv.reader(lines, delimiter=delimiter)
        out: list[tuple[int, list[str]]] = []
        last_line = 0
        for i, row in enumerate(reader, start=1):
            if reader.line_num > last_line + 1 and swallowed is not None:  # several lines
                j = _swallowed_cell(row, delimiter, len(out[0][1]) if out else 0)
                if j is not None:
                    swallowed.append((i, j, last_line + 1, reader.line_num))
            last_line = reader.line_num
            for j, cell in enumerate(row):
                if len(cell) > limits.MAX_CELL_CHARS:  # kept short: reported with its length
                    row[j] = _LongCell(cell[:limits.MAX_CELL_CHARS + 1], len(cell))
            out.append((i, row))
        return out
    except csv.Error as err:
        raise _FileError("unreadable_file",
                         both(N_("a valid CSV file (%(error)s)"), error=str(err))) from None


def _raw_rows(path: Path, instrument: str | None = None
              ) -> tuple[list[tuple[int, list[str]]], str | None, list[Problem]]:
    """``(rows, sheet, problems)`` of a CSV or XLSX file: refused over the size limits
    (:mod:`fac_eval.data.limits`) before being read; XLSX through :mod:`fac_eval.data.xlsx_reader`."""
    big = limits.file_size_problem(path)
    if big is not None:
        raise ValidationError([big])
    try:
        data = raw_entries.read_regular(path)
    except raw_entries.NotRegularFile as err:
        raise ValidationError([err.problem()]) from None
    except OSError as err:
        raise _FileError(
            "unreadable_file",
            both(N_("a readable file (%(error)s)"), error=err.strerror or type(err).__name__),
        ) from None
    if not data.strip():
        raise _FileError("empty_file", both(_HEADER_AND_ROWS))
    if data[:4] == b"PK\x03\x04":  # a zip container: XLSX, whatever its extension
        from fac_eval.data import xlsx_reader

        return xlsx_reader.read_workbook(data, path.name, instrument)
    if path.suffix.lower() == ".xlsx":
        raise _FileError("unreadable_file", both(N_("a valid Excel XLSX workbook")))
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if lines > limits.MAX_ROWS + 2:  # header, a "sep=" line
        raise ValidationError([limits.rows_problem(path.name, lines - 1)])
    swallowed: list[tuple[int, int, int, int]] = []
    rows = _csv_rows(data, swallowed)
    if len(rows) > limits.MAX_ROWS + 2:  # pragma: no cover - lines >= rows
        raise ValidationError([limits.rows_problem(path.name, len(rows) - 1)])
    widest = max((len(cells) for _, cells in rows), default=0)
    if widest > limits.MAX_COLUMNS:  # refused before the per-column checks (quadratic)
        raise ValidationError([limits.columns_problem(path.name, widest)])
    return rows, None, _quote_problems(path.name, rows, swallowed, instrument)


def _quote_problems(file: str, rows: list[tuple[int, list[str]]],
                    swallowed: list[tuple[int, int, int, int]], instrument: str | None
                    ) -> list[Problem]:
    """An ``unclosed_quote`` problem for each cell that swallowed lines of the file: its row
    and column, the lines read into it and how many rows are therefore missing. A free-text
    column (a testimony may be typed over lines full of commas) is left to the other checks."""
    from fac_eval.data.reading_cells import map_header

    inst = cb.INSTRUMENTS.get(instrument) if instrument else None
    header = next((cells for _, cells in rows if any(c.strip() for c in cells)), [])
    out = []
    for row, j, first, last in swallowed:
        column = header[j].strip() if j < len(header) else None
        name = map_header(column, inst) if inst is not None and column else None
        item = inst.item(name) if inst is not None and name is not None else None
        if item is not None and item.type == "text":
            continue
        out.append(problem(file, row, column, None, "unclosed_quote", both_plural(NP_(
            "a closing quote (\") for the one that opens this cell: lines %(first)s to "
            "%(last)s of the file are read as this one cell, so %(num)s row is missing from "
            "the table; close the quote where the cell ends, or remove it",
            "a closing quote (\") for the one that opens this cell: lines %(first)s to "
            "%(last)s of the file are read as this one cell, so %(num)s rows are missing from "
            "the table; close the quote where the cell ends, or remove it"),
            last - first, first=first, last=last)))
    return out


def _long_cells(df: pd.DataFrame, file: str, sheet: str | None) -> list[Problem]:
    """Cells longer than :data:`fac_eval.data.limits.MAX_CELL_CHARS`, reported with their row and
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
        raise _FileError("empty_file", both(_HEADER_AND_ROWS))
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
    :mod:`fac_eval.data.xlsx_reader`) and cells over the length limit; these do not stop the reading.
    ``instrument`` (by default the file's stem when it names one) tells which sheet of a workbook
    holds the data.

    Raises :class:`fac_eval.data.validation.ValidationError` (kinds ``unreadable_file``,
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
        raise ValidationError([problem(path.name, None, None, None, err.kind,
                                       err.expected)]) from None
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
    values = {"instrument": instrument.name, "example": instrument.items[-1].name}
    if other:
        return both(N_('a column of %(instrument)s (a name like "%(example)s" or the codebook\'s '
                       'French or English label); this column belongs to %(other)s'),
                    other=other, **values)
    if close:
        return both(N_('a column of %(instrument)s (a name like "%(example)s" or the codebook\'s '
                       'French or English label); did you mean "%(close)s"?'),
                    close=close, **values)
    return both(N_('a column of %(instrument)s (a name like "%(example)s" or the codebook\'s '
                   'French or English label)'), **values)


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
    nullability and uniqueness are checked by :func:`fac_eval.data.validation.table_problems`.
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
            for row, cell in zip(rows, col.tolist()):
                if str(cell).strip():
                    problems.append(problem(
                        file, row, "", str(cell), "unknown_column",
                        both(N_("no value outside the columns with a header (cell %(cell)s has "
                                "no header: check the delimiter, the quotes or a missing "
                                "header)"), cell=f"{letters[j]}{row}")))
            continue
        name = map_header(h, inst)
        if name is None:
            problems.append(problem(file, header_row, h, None, "unknown_column",
                                    _unknown_column_expected(h, inst)))
        elif name in positions:
            first = str(raw.columns[positions[name]]).strip()
            problems.append(problem(
                file, header_row, h, None, "duplicate_column",
                both(N_('a single "%(name)s" column (already present: "%(first)s", column '
                        '%(letter)s)'), name=name, first=first, letter=letters[positions[name]]),
                item=name))
        else:
            positions[name] = j

    columns: dict[str, pd.Series] = {}
    for item in inst.items:
        if item.name not in positions:
            if item.required:
                problems.append(problem(
                    file, header_row, item.name, None, "missing_column",
                    both(N_('a column "%(name)s" (or "%(label)s"): %(expected)s'), name=item.name,
                         label=lambda lang, it=item: it.label_en if lang == "en" else it.label_fr,
                         expected=lambda lang, it=item: expected_text(it, lang)),
                    item=item.name))
            columns[item.name] = _typed_series(item, [None] * len(rows))
            continue
        j = positions[item.name]
        header = str(raw.columns[j]).strip()
        cache: dict[str, Any] = {}
        values = []
        for row, cell in zip(rows, raw.iloc[:, j].tolist()):
            cell = str(cell)
            if cell not in cache:
                try:
                    cache[cell] = parse_cell(item, cell)
                except CellError as err:
                    cache[cell] = err
            v = cache[cell]
            if isinstance(v, CellError):
                expected = (both(IMPOSSIBLE_DATE_EXPECTED) if v.kind == "impossible_date"
                            else (expected_text(item, "fr"), expected_text(item, "en")))
                problems.append(problem(file, row, header, cell, v.kind, expected,
                                        item=item.name))
                v = None
            values.append(v)
        columns[item.name] = _typed_series(item, values)
    columns[SOURCE_ROW] = pd.Series(rows, dtype="int64")
    typed = pd.DataFrame(columns)
    problems = sort_problems(problems)
    if with_headers:
        return typed, problems, positions
    return typed, problems


def read_table(path: str | Path, instrument: cb.Instrument | str) -> pd.DataFrame:
    """Read, type and check one file of ``instrument`` (no cross-file checks).

    Raises :class:`fac_eval.data.validation.ValidationError` with every problem of the file.
    """
    inst = cb.INSTRUMENTS[instrument] if isinstance(instrument, str) else instrument
    path = Path(path)
    raw = read_raw_table(path, inst.name)
    typed, problems, headers = parse_table(raw, inst, path.name, with_headers=True)
    skip = {(p.row, p.item) for p in problems if p.item is not None}
    absent = {p.item for p in problems if p.kind == "missing_column"}
    problems += table_problems(typed, inst, path.name, raw, headers, skip, absent)
    problems += list(raw.attrs.get("problems") or [])
    identifiers = identifier_problems(raw, inst, path.name)
    problems = protect_problems(drop_shadowed(problems + identifiers),
                                           identifiers)
    if problems:
        raise ValidationError(sort_problems(problems))
    return typed
