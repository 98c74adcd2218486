"""Pseudonymising a raw export: the same file, with people known by a keyed id only.

``fac-eval pseudonymise INPUT OUTPUT`` (:func:`pseudonymise_file`) replaces the name and e-mail
columns of a CSV or XLSX export by one id column and removes every other direct identifier
(phone, address, social-security number, date of birth).

**The key is the person's name, always.** The id is :func:`fac_eval.disclosure.privacy.pseudonym` of the
row's full name: every name column of the row (first name(s) and last name(s), e.g. "Prénom" and
"Nom", or one "Nom complet" column) joined, then normalised by
:func:`fac_eval.disclosure.privacy.normalise_identifier` with ``kind="name"``: accents removed, lower case,
hyphens and apostrophes read as spaces, runs of spaces collapsed, and the words sorted. So
"Marie-Claire DUPONT", "dupont  marie claire" and "Dupont" + "Marie Claire" give the same id,
with the same key, in every file and every run. The e-mail is never part of the key (an export
may lack it, and one person may use several): e-mail columns are only removed. A file with no
name column is refused; a row without a name gets no id and is reported; two rows of one file
with the same name but different e-mails (two namesakes would share an id) are reported.

An XLSX workbook is edited in place with openpyxl: its data sheet keeps its headers (the id goes
into an existing empty id column under its own header, e.g. "Identifiant apprenant" of a workbook
made by ``new-session``), its drop-down lists and number checks (data validations, moved with the
columns), its column widths, frozen header and other sheets (guide, hidden lists).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from fac_eval.core.i18n import N_, NP_, both, both_plural, messages, tr
from fac_eval.disclosure.privacy import (
    PseudonymisationError,
    _is_blank,
    contact_kinds,
    identifier_kind,
    looks_like_phone,
    normalise_identifier,
    pseudonym,
)

__all__ = ["PseudonymisationSummary", "pseudonymise_file", "name_key"]

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")


def name_key(parts: Sequence[Any]) -> str:
    """The normalised full name hashed into the id: the non-blank ``parts`` (the row's name
    cells) joined, then :func:`fac_eval.disclosure.privacy.normalise_identifier` (``kind="name"``)."""
    text = " ".join(str(p) for p in parts if not _is_blank(p))
    return normalise_identifier(text, "name") if text.strip() else ""


# --------------------------------------------------------------------------------------------
# What was done, for the command line
# --------------------------------------------------------------------------------------------


def _rows_text(rows: Sequence[int], en: bool) -> str:
    shown = ", ".join(str(r) for r in rows[:10]) + ("…" if len(rows) > 10 else "")
    return messages("en" if en else "fr").ngettext("row %(rows)s", "rows %(rows)s", len(rows),
                                                   rows=shown)


@dataclass
class PseudonymisationSummary:
    """What :func:`pseudonymise_file` did (the CLI prints :meth:`describe`)."""

    input_path: Path
    output_path: Path
    id_column: str
    #: the id column's header as written (an existing header of the workbook is kept)
    id_header: str = ""
    name_columns: list[str] = field(default_factory=list)
    email_columns: list[str] = field(default_factory=list)
    #: every identifier column taken out of the file (names, e-mails, phones, addresses...)
    removed_columns: list[str] = field(default_factory=list)
    n_rows: int = 0
    #: spreadsheet row numbers (header = row 1) of rows with answers but no name: no id
    rows_without_name: list[int] = field(default_factory=list)
    #: pairs of row numbers with the same name and different e-mails (namesakes?)
    namesakes: list[tuple[int, int]] = field(default_factory=list)
    #: columns kept in the output with values that contain an e-mail or a phone number (e.g. a
    #: free-text comment): check them by hand.
    suspicious_columns: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    #: other sheets of a workbook, kept as they were (guide, lists)
    kept_sheets: list[str] = field(default_factory=list)

    @property
    def n_without_id(self) -> int:
        return len(self.rows_without_name)

    @property
    def dropped_columns(self) -> list[str]:
        """The identifier columns removed that are neither names nor e-mails."""
        return [c for c in self.removed_columns
                if c not in self.name_columns and c not in self.email_columns]

    def describe(self, lang: str = "fr") -> str:
        """A few sentences for the command line, in French or English."""
        m = messages("en" if str(lang).lower().startswith("en") else "fr")
        _ = m._
        cols = ", ".join(self.removed_columns)
        names = ", ".join(self.name_columns)
        header = self.id_header or self.id_column
        xlsx = self.output_path.suffix.lower() in XLSX_SUFFIXES
        where = _(N_(", sheet %(sheet)s"), sheet=_(N_("'%(name)s'"), name=self.sheets[0])) if (
            len(self.sheets) == 1 and xlsx) else ""
        lines = [m.ngettext("Written: %(path)s (%(num)s row%(where)s).",
                            "Written: %(path)s (%(num)s rows%(where)s).", self.n_rows,
                            path=self.output_path, num=self.n_rows, where=where),
                 _(N_("Column %(column)s: ids derived from the full name (%(names)s); the same "
                      "person gets the same id in every file pseudonymised with this key."),
                   column=_(N_("'%(name)s'"), name=header), names=names),
                 _(N_("Columns removed: %(columns)s."), columns=cols) if cols else
                 _(N_("No column was removed."))]
        if self.kept_sheets:
            lines.append(_(N_("Sheets kept as they were: %(sheets)s.") if xlsx else
                           N_("Other sheets, not in the CSV: %(sheets)s."),
                           sheets=", ".join(self.kept_sheets)))
        if self.rows_without_name:
            lines.append(_(N_("Warning: %(rows)s without a name, so without an id: fill in the "
                              "name and run again."),
                           rows=_rows_text(self.rows_without_name, m.lang == "en")))
        for a, b in self.namesakes:
            lines.append(_(N_("Warning: rows %(a)s and %(b)s have the same name but different "
                              "e-mails: two namesakes would share one id. Tell them apart in "
                              "every file (a second first name, for instance)."), a=a, b=b))
        if self.suspicious_columns:
            lines.append(_(N_("Check by hand, e-mails or phone numbers found in: %(columns)s."),
                           columns=", ".join(self.suspicious_columns)))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe("fr")


# --------------------------------------------------------------------------------------------
# One table: which columns, which ids (the same plan for a DataFrame and a worksheet)
# --------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    id_index: int  # 0-based column receiving the ids
    id_header: str  # its header (kept when the column exists)
    remove: list[int]  # 0-based identifier columns taken out (never id_index)
    ids: list[str | None]  # one per data row; None: blank row or no name


def _plan(headers: list, rows: list[list], columns, key: bytes, id_column: str, prefix,
          length: int, id_headers: Sequence[str], summary: PseudonymisationSummary,
          first_row: int = 2) -> _Plan | None:
    """The plan for one table (``headers``, ``rows`` of cell values), or None when it has no
    identifier column. ``first_row``: spreadsheet number of ``rows[0]``."""
    texts = ["" if h is None else str(h) for h in headers]
    if columns is None:
        cols = [i for i, h in enumerate(texts) if h and identifier_kind(h) is not None]
    else:
        missing = [c for c in columns if c not in texts]
        if missing:
            raise KeyError(f"columns not in the file: {missing}")
        cols = [texts.index(c) for c in columns]
    if not cols:
        return None
    kinds = {i: identifier_kind(texts[i]) or "name" for i in cols}
    name_cols = [i for i in cols if kinds[i] == "name"]
    email_cols = [i for i in cols if kinds[i] == "email"]
    if not name_cols:
        found = ", ".join(texts[i] for i in cols)
        raise PseudonymisationError(*both(
            N_("No name column among the identifier columns (%(found)s): the id is always "
               "derived from the full name (first and last name), never from the e-mail, so that "
               "a person has the same id in every file. Add the first-name and last-name columns "
               "to this export. Nothing was written."), found=found))
    aliases = {id_column.casefold(), *(str(h).strip().casefold() for h in id_headers)}
    present = [i for i, h in enumerate(texts) if h.strip().casefold() in aliases]
    if len(present) > 1 or (present and any(not _is_blank(r[present[0]]) for r in rows
                                            if present[0] < len(r))):
        raise PseudonymisationError(*both(
            N_("The file already has a filled %(column)s column: it seems already "
               "pseudonymised. Nothing was written."),
            column=lambda lang: tr(lang, N_("'%(name)s'"), name=texts[present[0]])))
    if present:  # an empty id column (a generated workbook's): filled at its place, header kept
        id_index, id_header, remove = present[0], texts[present[0]], cols
    else:  # the ids take the place of the first identifier column
        id_index, id_header, remove = cols[0], id_column, cols[1:]

    width = len(texts)
    rows = [list(r[:width]) + [None] * (width - len(r)) for r in rows]
    ids: list[str | None] = []
    seen: dict[str, tuple[int, set[str]]] = {}
    for offset, row in enumerate(rows):
        number = first_row + offset
        if all(_is_blank(v) for v in row):
            ids.append(None)  # spreadsheet padding
            continue
        summary.n_rows += 1
        norm = name_key([row[i] for i in name_cols])
        if not norm:
            ids.append(None)
            summary.rows_without_name.append(number)
            continue
        values = dict(zip(texts, row))
        row_prefix = prefix(values) if callable(prefix) else prefix
        ids.append(pseudonym(norm, key, row_prefix, length, "name"))
        emails = {normalise_identifier(row[i], "email") for i in email_cols
                  if not _is_blank(row[i])}
        if norm in seen:
            first, known = seen[norm]
            if emails and known and not emails & known:
                summary.namesakes.append((first, number))
            known |= emails
        else:
            seen[norm] = (number, set(emails))

    for i in name_cols:
        if texts[i] not in summary.name_columns:
            summary.name_columns.append(texts[i])
    for i in email_cols:
        if texts[i] not in summary.email_columns:
            summary.email_columns.append(texts[i])
    for i in cols:
        if texts[i] not in summary.removed_columns:
            summary.removed_columns.append(texts[i])
    summary.id_header = id_header
    kept = [i for i in range(len(texts)) if i not in remove and i != id_index]
    for i in kept:
        if any(_contains_contact(r[i]) for r in rows if i < len(r)) \
                and texts[i] not in summary.suspicious_columns:
            summary.suspicious_columns.append(texts[i])
    return _Plan(id_index, id_header, remove, ids)


def _contains_contact(value) -> bool:
    if _is_blank(value):
        return False
    if not isinstance(value, str):
        return looks_like_phone(value)
    return bool(contact_kinds(value))


def _apply_to_frame(df: pd.DataFrame, plan: _Plan) -> pd.DataFrame:
    """The DataFrame with the ids in place, identifier columns and blank rows removed."""
    out = df.copy()
    out.iloc[:, plan.id_index] = pd.Series(plan.ids, index=out.index, dtype=object)
    headers = list(out.columns)
    headers[plan.id_index] = plan.id_header
    out.columns = headers
    keep_rows = [not all(_is_blank(v) for v in row) for row in df.itertuples(index=False)]
    keep_cols = [i for i in range(out.shape[1]) if i not in plan.remove]
    return out.iloc[[i for i, k in enumerate(keep_rows) if k], keep_cols].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Worksheets edited in place (openpyxl)
# --------------------------------------------------------------------------------------------


def _shift_range(bounds: tuple[int, int, int, int], col: int) -> tuple[int, int, int, int] | None:
    """A range's (min_col, min_row, max_col, max_row) once column ``col`` (1-based) is deleted;
    None when the range lay inside that column only."""
    lo, r1, hi, r2 = bounds
    if lo == hi == col:
        return None
    if col < lo:
        return lo - 1, r1, hi - 1, r2
    if col <= hi:
        return lo, r1, hi - 1, r2
    return bounds


def _delete_column(ws, col: int) -> None:
    """Delete column ``col`` (1-based) of ``ws`` and move what openpyxl leaves behind: data
    validations (drop-downs, number checks), merged cells, column widths."""
    from openpyxl.utils import get_column_letter, range_boundaries
    from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

    widths = {}
    for letter, dim in list(ws.column_dimensions.items()):
        idx = dim.min or range_boundaries(f"{letter}1")[0]
        widths[idx] = (dim.width, dim.hidden)
    merged = [tuple(r.bounds) for r in ws.merged_cells.ranges]
    for r in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(r))
    ws.delete_cols(col)
    for dv in list(ws.data_validations.dataValidation):
        ranges = []
        for r in dv.sqref.ranges:
            moved = _shift_range(tuple(r.bounds), col)
            if moved is not None:
                ranges.append(CellRange(min_col=moved[0], min_row=moved[1], max_col=moved[2],
                                        max_row=moved[3]))
        if ranges:
            dv.sqref = MultiCellRange(ranges)
        else:
            ws.data_validations.dataValidation.remove(dv)
    for bounds in merged:
        moved = _shift_range(bounds, col)
        if moved is not None and (moved[0], moved[1]) != (moved[2], moved[3]):
            ws.merge_cells(start_column=moved[0], start_row=moved[1], end_column=moved[2],
                           end_row=moved[3])
    for letter in list(ws.column_dimensions):
        del ws.column_dimensions[letter]
    for idx, (width, hidden) in widths.items():
        if idx == col:
            continue
        new = idx - 1 if idx > col else idx
        dim = ws.column_dimensions[get_column_letter(new)]
        if width:
            dim.width = width
        dim.hidden = hidden


def _sheet_grid(ws) -> tuple[list, list[list]]:
    """Header row and data rows (values) of a worksheet."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    if not rows:
        return [], []
    return rows[0], rows[1:]


def _apply_to_sheet(ws, plan: _Plan) -> None:
    ws.cell(row=1, column=plan.id_index + 1, value=plan.id_header)
    for offset, pid in enumerate(plan.ids):
        if pid is not None or ws.cell(row=offset + 2, column=plan.id_index + 1).value is not None:
            ws.cell(row=offset + 2, column=plan.id_index + 1, value=pid)
    for i in sorted(plan.remove, reverse=True):
        _delete_column(ws, i + 1)


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = text.splitlines()[0] if text else ""
        counts = {d: header.count(d) for d in (";", ",", "\t")}
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] else ","


def _read_csv(path: Path) -> tuple[pd.DataFrame, str]:
    text = _decode(path.read_bytes())
    sep = _sniff_delimiter(text)
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False), sep


def _guard_workbook(src: Path) -> None:
    """Zip bombs and huge sheets refused before openpyxl opens the file."""
    from fac_eval.data import xlsx_guard

    from .validation import format_problems

    scan = xlsx_guard.scan_workbook(src.read_bytes(), src.name)
    if scan.problems:
        raise PseudonymisationError(format_problems(scan.problems, "fr"),
                                    format_problems(scan.problems, "en"))


def _write_atomic(dst: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file next to ``dst``, renamed at the end."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.stem}.", suffix=dst.suffix, dir=dst.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, dst)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _unsupported(suffix: str, output: bool = False) -> PseudonymisationError:
    message = N_("Unsupported output type %(suffix)s: use .csv or .xlsx. Nothing was written.") \
        if output else N_("Unsupported file type %(suffix)s: use .csv or .xlsx. Nothing was written.")
    return PseudonymisationError(*both(message, suffix=lambda lang: repr(suffix) if lang == "en"
                                       else suffix or tr(lang, N_("no extension"))))


def pseudonymise_file(
    input_path,
    output_path,
    key: bytes,
    columns: Sequence[str] | None = None,
    *,
    id_column: str = "participant_id",
    prefix="P",
    length: int = 10,
    data_sheets: Sequence[str] | None = None,
    id_headers: Sequence[str] = (),
) -> PseudonymisationSummary:
    """Write a copy of a CSV/XLSX file where people are known by a pseudonymous id only.

    Identifier columns are ``columns`` if given, else detected from the headers
    (:func:`fac_eval.disclosure.privacy.direct_identifier_columns`). The name columns give the id (see the
    module's docstring: the key is always the full name); every identifier column is removed.
    The ids go into an existing empty id column (``id_column`` or one of ``id_headers``, header
    kept), else into the place of the first identifier column, under ``id_column``. ``prefix``
    may be a function of the row (a mapping header -> value) giving each row's prefix.

    CSV input: delimiter sniffed among ``,`` ``;`` tab, UTF-8 (with or without BOM) else cp1252,
    every cell read as text (codes keep their leading zeros); entirely empty rows dropped. XLSX
    input: the workbook is edited in place (headers, drop-downs, widths and other sheets kept);
    only ``data_sheets`` if given (a generated workbook's data sheet, see
    :func:`fac_eval.data.entry_templates.pseudonymise_options`), else every sheet with identifier
    columns. Output format follows the output suffix (``.csv`` in UTF-8 with BOM with the
    input's delimiter, or ``.xlsx``); written atomically; it must differ from the input. Prints
    nothing; returns a :class:`PseudonymisationSummary`.
    """
    src, dst = Path(input_path), Path(output_path)
    if src.resolve() == dst.resolve():
        raise PseudonymisationError(*both(
            N_("write the pseudonymised file to another path than the input")))
    if dst.suffix.lower() not in (".csv", ".xlsx"):
        raise _unsupported(dst.suffix, output=True)
    summary = PseudonymisationSummary(src, dst, id_column)
    opts = dict(columns=columns, key=key, id_column=id_column, prefix=prefix, length=length,
                id_headers=id_headers, summary=summary)

    if src.suffix.lower() in CSV_SUFFIXES:
        df, sep = _read_csv(src)
        plan = _plan(list(df.columns), df.values.tolist(), **opts)
        if plan is None:
            raise _nothing_to_do(src)
        summary.sheets.append("data")
        out = _apply_to_frame(df, plan)
        if dst.suffix.lower() == ".csv":
            _write_atomic(dst, lambda p: out.to_csv(p, sep=sep, index=False,
                                                    encoding="utf-8-sig"))
        else:
            _write_atomic(dst, lambda p: out.to_excel(p, sheet_name="data", index=False,
                                                      engine="openpyxl"))
        return summary
    if src.suffix.lower() not in XLSX_SUFFIXES:
        raise _unsupported(src.suffix)

    from openpyxl import load_workbook

    _guard_workbook(src)
    wb = load_workbook(src)
    plans = {}
    for ws in wb.worksheets:
        if data_sheets is not None and ws.title not in data_sheets:
            summary.kept_sheets.append(ws.title)
            continue
        headers, rows = _sheet_grid(ws)
        plan = _plan(list(headers), rows, **opts) if headers else None
        if plan is None:
            summary.kept_sheets.append(ws.title)
            continue
        plans[ws.title] = (plan, headers, rows)
        summary.sheets.append(ws.title)
    if not plans:
        raise _nothing_to_do(src)
    if dst.suffix.lower() == ".xlsx":
        for title, (plan, _, _) in plans.items():
            _apply_to_sheet(wb[title], plan)
        if src.suffix.lower() == ".xlsm":
            wb.vba_archive = None  # an .xlsx holds no macros
        _write_atomic(dst, lambda p: wb.save(p))
        return summary
    # a workbook into a CSV: one data sheet only (a generated workbook's guide and lists stay out)
    if len(plans) > 1 or (data_sheets is None and summary.kept_sheets):
        n = len(wb.worksheets)
        raise PseudonymisationError(*both_plural(
            NP_("%(file)s has %(num)s sheet: write to .xlsx, or export one sheet",
                "%(file)s has %(num)s sheets: write to .xlsx, or export one sheet"), n,
            file=src.name))
    plan, headers, rows = next(iter(plans.values()))
    df = pd.DataFrame(rows, columns=[("" if h is None else str(h)) for h in headers], dtype=object)
    out = _apply_to_frame(df, plan)
    _write_atomic(dst, lambda p: out.to_csv(p, index=False, encoding="utf-8-sig"))
    return summary


def _nothing_to_do(src: Path) -> PseudonymisationError:
    return PseudonymisationError(*both(
        N_("no identifier column (name, e-mail…) found in %(file)s: nothing to pseudonymise"),
        file=src.name))
