"""Reading an XLSX workbook as the user sees it, and saying where it differs.

:func:`read_workbook` returns the cells of the data sheet as text, and the problems of a
workbook whose content is not what the user sees on screen, each naming the file, the sheet and
the cell (``learners_entry.xlsx, feuille « Données », cellule C7``):

- ``formula_without_value``: a formula whose result was never computed (a workbook written by a
  program, never opened and saved in Excel or LibreOffice): the cell would otherwise read as
  empty;
- ``merged_cells``: a merged range: only its first cell holds the value, the others would read
  as empty;
- ``hidden_row`` / ``hidden_column``: rows or columns holding data that are hidden (or filtered
  out): they would be read although the user does not see them;
- ``hidden_sheet``: a hidden sheet that looks like a data sheet (its header row holds the
  instrument's id column and other columns of it);
- ``several_sheets``: more than one visible sheet looks like a data sheet (the file is then not
  read: which one holds the data is the user's call);
- ``cell_comment``, ``cell_hyperlink``: comments and links of the data sheet
  (:mod:`fac_eval.data.xlsx_hidden`);
- ``invisible_text`` (a run of a rich text included), and ``hidden_sheet`` for a hidden sheet
  holding anything but the templates' drop-down lists, ``direct_identifier`` for personal data in
  the document properties: what nobody sees (:mod:`fac_eval.data.xlsx_unseen`);
- ``direct_identifier`` for personal data outside the data sheet's cells: other sheets, sheet
  names, formulas, page headers and footers, data validations, defined names and tables, charts
  and drawings, the document properties openpyxl does not read
  (:mod:`fac_eval.data.xlsx_outside`). A sheet whose name holds personal data is named masked
  by every problem.

A row lower than :data:`MIN_ROW_HEIGHT` points or a column narrower than
:data:`MIN_COLUMN_WIDTH` characters is a hidden one.

A data sheet is one whose header row (among its first non-blank rows) holds the participant-id
column of the instrument and at least one other of its columns (any instrument's when the
instrument is not known). The data-entry templates' guide sheet (one column per line) and their
hidden sheet of drop-down lists (no id column) are therefore never taken for data sheets.

The workbook is first checked by :mod:`fac_eval.data.xlsx_guard` (zip bombs, huge sheets).
"""

from __future__ import annotations

import datetime as dt
import io as _stdio
import warnings
from functools import cache
from typing import Any

from fac_eval.core.i18n import N_
from fac_eval.data import codebook as cb
from fac_eval.data import xlsx_guard, xlsx_hidden, xlsx_outside, xlsx_unseen
from fac_eval.data.validation_problems import Problem, ValidationError, both, problem, quote

__all__ = ["cell_text", "read_workbook", "is_data_header", "HEADER_SEARCH_ROWS"]

#: Non-blank rows of a sheet searched for its header row (title rows may come first).
HEADER_SEARCH_ROWS = 5
#: A row lower than this (points) or a column narrower than this (characters) is not seen.
MIN_ROW_HEIGHT = 3.0
MIN_COLUMN_WIDTH = 1.0


def cell_text(value: Any) -> str:
    """What the user sees in an XLSX cell, as text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _letter(j: int) -> str:
    s = ""
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


@cache
def _items_by_header(instrument: str) -> dict[str, str]:
    from fac_eval.data.reading_cells import _header_lookup

    return dict(_header_lookup(instrument))


def is_data_header(values: list[str], instrument: str | None) -> bool:
    """Whether a row is the header row of ``instrument`` (of any instrument when None)."""
    from fac_eval.data.reading_cells import normalize_text

    names = [instrument] if instrument else list(cb.INSTRUMENTS)
    keys = [normalize_text(v) for v in values if v.strip()]
    for name in names:
        lookup = _items_by_header(name)
        items = {lookup[k] for k in keys if k in lookup}
        if cb.INSTRUMENTS[name].key in items and len(items) >= 2:
            return True
    return False


def _sheet_grid(ws) -> dict[int, dict[int, Any]]:
    """The cells of a (fully loaded) sheet holding a value: ``{row: {column: value}}``.

    Read from the sheet's cell store rather than with ``iter_rows``, which would create a cell for
    every empty position up to the last formatted one."""
    grid: dict[int, dict[int, Any]] = {}
    cells = getattr(ws, "_cells", None)
    if cells is None:  # pragma: no cover - other openpyxl versions
        cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    for (r, c), cell in cells.items():
        v = cell.value
        if v is None or (isinstance(v, str) and not v.strip() and v == ""):
            continue
        grid.setdefault(r, {})[c] = v
    return grid


def _rows_of(grid: dict[int, dict[int, Any]]) -> list[tuple[int, list[str]]]:
    out = []
    for r in sorted(grid):
        row = grid[r]
        width = max(row)
        texts = [""] * width
        for c, v in row.items():
            texts[c - 1] = cell_text(v)
        out.append((r, texts))
    return out


def _header(rows: list[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    for r, cells in rows:
        if any(c.strip() for c in cells):
            return r, cells
    return 1, []


def _is_candidate(rows: list[tuple[int, list[str]]], instrument: str | None) -> bool:
    seen = 0
    for _, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if is_data_header(cells, instrument):
            return True
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return False


def _visible(ws) -> bool:
    return getattr(ws, "sheet_state", "visible") == "visible"


def read_workbook(data: bytes, file: str, instrument: str | None = None
                  ) -> tuple[list[tuple[int, list[str]]], str | None, list[Problem]]:
    """``(rows, sheet title, problems)`` of an XLSX workbook.

    ``rows`` are ``(row number, cell texts)`` of the data sheet (rows holding nothing are left
    out); ``problems`` the differences between what is read and what the user sees (see the
    module docstring), which do not stop the reading. Raises
    :class:`fac_eval.data.validation.ValidationError` when the workbook cannot be read at all
    (corrupt, over the limits, several data sheets).
    """
    import openpyxl

    scan = xlsx_guard.scan_workbook(data, file)
    if scan.problems:
        raise ValidationError(scan.problems)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(_stdio.BytesIO(data), read_only=False, data_only=True)
    except Exception as err:  # openpyxl raises many kinds of errors on a corrupt workbook
        raise ValidationError([problem(
            file, None, None, None, "unreadable_file",
            both(N_("a valid Excel XLSX workbook (%(error)s)"), error=type(err).__name__))
        ]) from None
    try:
        if not wb.worksheets:
            return [], None, []
        names = xlsx_hidden.listed_names()
        # a sheet named after a person is named masked by every problem
        labels = xlsx_outside.sheet_labels(wb.sheetnames, names)
        sheets = []
        for ws in wb.worksheets:
            grid = _sheet_grid(ws)
            rows = _rows_of(grid)
            sheets.append((ws, grid, rows, _is_candidate(rows, instrument)))
        problems: list[Problem] = []
        for ws, _, _rows, candidate in sheets:
            if candidate and not _visible(ws):
                problems.append(problem(
                    file, None, None, None, "hidden_sheet",
                    both(N_("no hidden data sheet: unhide it (right-click a tab > Unhide), then "
                            "delete it or move its rows to the data sheet")), sheet=ws.title,
                    note=(both(N_("very hidden sheet")) if ws.sheet_state == "veryHidden"
                          else ("", ""))))
        visible = [s for s in sheets if s[3] and _visible(s[0])]
        if len(visible) > 1:
            titles = [labels.get(s[0].title, s[0].title) for s in visible]
            raise ValidationError(xlsx_outside.relabel(problems, labels) + [problem(
                file, None, None, None, "several_sheets",
                both(N_("a single data sheet (found: %(names)s): delete the copies or gather the "
                        "rows in one sheet"),
                     names=lambda lang: ", ".join(quote(t, lang) for t in titles)))])
        if visible:
            chosen = visible[0]
        else:
            chosen = next((s for s in sheets if _visible(s[0])), sheets[0])
        ws, grid, rows, _ = chosen
        problems += _structure_problems(ws, grid, rows, file)
        header_row, header = _header(rows)
        problems += xlsx_hidden.hidden_content_problems(ws, header, header_row, file, _letter)

        def col_name(r: int, c: int) -> str | None:
            name = header[c - 1].strip() if c - 1 < len(header) else ""
            return name if r > header_row and name else None

        runs = xlsx_unseen.rich_cells(data, ws.title, grid) if scan.rich_text else {}
        problems += xlsx_unseen.unseen_problems(ws, grid, file, col_name, _letter, runs)
        problems += xlsx_unseen.hidden_sheet_problems(
            [(s[0], s[1], s[3]) for s in sheets], file)
        problems += xlsx_unseen.property_problems(wb, file, names)
        problems += xlsx_outside.outside_problems(
            wb, data, [(s[0], s[1]) for s in sheets], ws, file, names, _letter, scan.formulas)
        if scan.formulas:
            problems += _formula_problems(data, ws.title, grid, rows, file)
        return rows, labels.get(ws.title, ws.title), xlsx_outside.relabel(problems, labels)
    finally:
        wb.close()


def _structure_problems(ws, grid, rows, file: str) -> list[Problem]:
    header_row, header = _header(rows)
    sheet = ws.title

    def col_name(c: int) -> str | None:
        return header[c - 1].strip() if c - 1 < len(header) and header[c - 1].strip() else None

    out: list[Problem] = []
    for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        first = grid.get(rng.min_row, {}).get(rng.min_col)
        out.append(problem(
            file, rng.min_row, col_name(rng.min_col) if rng.min_row > header_row else None,
            None if first is None else cell_text(first), "merged_cells",
            both(N_("unmerged cells, one value in each cell (unmerge them and copy the value into "
                    "each one)")), sheet=sheet, cell=rng.coord))

    hidden_rows = sorted(r for r, dim in ws.row_dimensions.items()
                         if r in grid and (getattr(dim, "hidden", False) or (
                             dim.ht is not None and float(dim.ht) < MIN_ROW_HEIGHT)))
    groups: list[list[int]] = []
    for r in hidden_rows:
        if groups and r == groups[-1][-1] + 1:
            groups[-1].append(r)
        else:
            groups.append([r])
    for g in groups:
        c = min(grid[g[0]])
        span = (both(N_("row %(row)s"), row=g[0]) if len(g) == 1 else
                both(N_("rows %(first)s to %(last)s"), first=g[0], last=g[-1]))
        out.append(problem(
            file, g[0], None, None, "hidden_row",
            both(N_("no hidden or filtered-out row holding data: unhide it (or clear the filter) "
                    "and check it, or delete it")), sheet=sheet, cell=f"{_letter(c)}{g[0]}",
            note=span))

    used_cols = {c for row in grid.values() for c in row}
    hidden_cols: set[int] = set()
    for dim in ws.column_dimensions.values():
        narrow = bool(dim.customWidth) and dim.width is not None and \
            float(dim.width) < MIN_COLUMN_WIDTH
        if (getattr(dim, "hidden", False) or narrow) and dim.min and dim.max:
            hidden_cols |= {c for c in used_cols if dim.min <= c <= dim.max}
    for c in sorted(hidden_cols):
        r = min(r for r, row in grid.items() if c in row)
        out.append(problem(
            file, r, col_name(c), None, "hidden_column",
            both(N_("no hidden column holding data: unhide it and check it, or delete it")),
            sheet=sheet, cell=f"{_letter(c)}{r}",
            note=both(N_("column %(name)s"), name=_letter(c))))
    return out


def _formula_problems(data: bytes, title: str, grid, rows, file: str) -> list[Problem]:
    """Formulas of sheet ``title`` whose cached value is missing (read as empty otherwise)."""
    import openpyxl

    header_row, header = _header(rows)
    out: list[Problem] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(_stdio.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # pragma: no cover - it opened a moment ago
        return out
    try:
        ws = wb[title]
        for row in ws.iter_rows():
            for cell in row:
                v = getattr(cell, "value", None)
                if v is None:
                    continue
                text = v if isinstance(v, str) else getattr(v, "text", None)
                if not (isinstance(text, str) and text.startswith("=")) and \
                        type(v).__name__ not in ("ArrayFormula", "DataTableFormula"):
                    continue
                r, c = cell.row, cell.column
                if grid.get(r, {}).get(c) is not None:
                    continue  # the cached result is there: it is what the user sees
                col = header[c - 1].strip() if c - 1 < len(header) and r > header_row else None
                out.append(problem(
                    file, r, col or None, str(text or v), "formula_without_value",
                    both(N_("a value: the formula has no stored result (open the workbook in "
                            "Excel or LibreOffice and save it, or replace the formula by its "
                            "value)")), sheet=title, cell=f"{_letter(c)}{r}"))
    finally:
        wb.close()
    return out
