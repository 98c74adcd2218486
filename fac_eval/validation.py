"""Validation of a session folder, driven by the codebook.

Every problem found in a session's raw files is a :class:`Problem` naming the file, the row *as the
user sees it in their spreadsheet* (header = row 1), the column, the value and what was expected.
All problems of all files are collected and reported together; nothing in the data ever produces a
raw traceback.

Three layers of checks:

1. reading and typing (:mod:`fac_eval.io`): missing / unreadable / empty files, unknown, missing
   or duplicated columns, values that cannot be read as their type (``wrong_type``) or that match
   no code or label of the item (``invalid_value``);
2. per-table checks with a pandera ``DataFrameSchema`` built from the codebook
   (:func:`build_schema`): allowed codes, ranges (``out_of_range``), nullability
   (``missing_value``), uniqueness of the participant id within a wave (``duplicate_id``);
3. cross-table checks in plain code (:func:`cross_table_problems`): ids unknown to the profile
   (``unknown_id``), testimonies attributed to the wrong population (``population_mismatch``),
   dates out of order (``date_order``) or outside the session (``date_out_of_session``).

What is read must be what the user sees and hostile files are refused before being parsed:
XLSX structure problems (``formula_without_value``, ``merged_cells``, ``hidden_row``,
``hidden_column``, ``hidden_sheet``, ``several_sheets``, named by sheet and cell, see
:mod:`fac_eval.xlsx_reader`), ``impossible_date``, ``too_large`` (:mod:`fac_eval.limits`,
:mod:`fac_eval.xlsx_guard`), and ``claims.yml`` checked like the questionnaires
(:func:`fac_eval.claims.claims_problems`, ``unknown_indicator``). Any value holding invisible
characters is shown with their code points. An optional file left empty (a follow-up not
collected yet) is a table with no rows, never a problem; an exit questionnaire absent or empty
(not collected yet) is a pending wave, listed in ``SessionData.pending`` (an interim session,
:mod:`fac_eval.interim`); an empty profile or entry file is refused.

Privacy (:func:`identifier_problems`, :func:`protect_problems`): raw files must hold
pseudonymous ids only. A column whose header announces a direct identifier (nom, prénom, e-mail,
téléphone, adresse…, see :func:`fac_eval.privacy.identifier_kind`) and any cell holding an e-mail
address or a phone number — in any column, free-text testimonies and ids included — is a
``direct_identifier`` problem. Its message names the file, row and column and *what* was found,
never the value (validation output may be pasted in a ticket); the values of an identifier
column are not shown at all, and any other message that would quote an e-mail or a phone number
has it masked.

Public entry points: :func:`validate_session` (list of problems), :func:`check_session`
(the data read so far and the problems), :func:`format_problems` and :func:`summary_line`.
Messages are in French by default (``lang="fr"``) or English (``lang="en"``).

This module imports :mod:`fac_eval.io` lazily (inside functions) because ``io`` imports
:class:`Problem` and :class:`ValidationError` from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from fac_eval import codebook as cb
from fac_eval.interim import PENDING_ALLOWED
from fac_eval.invisible import describe_invisible, invisible_characters, shown

if TYPE_CHECKING:  # pragma: no cover
    from fac_eval.io import SessionData

__all__ = [
    "Problem",
    "DIRECT_IDENTIFIER_EXPECTED",
    "identifier_problems",
    "meta_identifier_problems",
    "PSEUDONYM_EXPECTED",
    "protect_problems",
    "title_row_problem",
    "ValidationError",
    "KINDS",
    "invisible_characters",
    "describe_invisible",
    "format_problems",
    "expected_text",
    "build_schema",
    "table_problems",
    "cross_table_problems",
    "check_session",
    "sort_problems",
    "LoadedTable",
    "validate_session",
    "summary_line",
    "ENTRY_TOLERANCE_DAYS",
    "FOLLOWUP_GRACE_MONTHS",
]

#: Response dates may precede the session's start by this many days (entry questionnaires are
#: sometimes filled at recruitment).
ENTRY_TOLERANCE_DAYS = 31
#: Follow-up answers may come this many months after the planned follow-up date.
FOLLOWUP_GRACE_MONTHS = 3

#: Every kind of problem with its short French and English title.
KINDS: dict[str, tuple[str, str]] = {
    "missing_file": ("fichier manquant", "missing file"),
    "duplicate_file": ("fichier en double", "duplicate file"),
    "unreadable_file": ("fichier illisible", "unreadable file"),
    "empty_file": ("fichier vide", "empty file"),
    "unknown_column": ("colonne inconnue", "unknown column"),
    "missing_column": ("colonne manquante", "missing column"),
    "duplicate_column": ("colonne en double", "duplicate column"),
    "invalid_value": ("valeur non reconnue", "value not recognised"),
    "out_of_range": ("valeur hors limites", "value out of range"),
    "wrong_type": ("type de valeur incorrect", "wrong type of value"),
    "missing_value": ("valeur manquante", "missing value"),
    "duplicate_id": ("identifiant en double", "duplicate id"),
    "unknown_id": ("identifiant inconnu", "unknown id"),
    "population_mismatch": ("public incohérent", "population mismatch"),
    "date_order": ("dates dans le désordre", "dates out of order"),
    "date_out_of_session": ("date hors de la période de la session", "date outside the session"),
    "direct_identifier": ("donnée directement identifiante", "directly identifying data"),
    "not_pseudonym": ("identifiant non pseudonyme", "id is not a pseudonym"),
    "title_row": ("ligne de titre au-dessus de l'en-tête", "title row above the header"),
    "impossible_date": ("date ou heure impossible", "impossible date or time"),
    "too_large": ("fichier ou cellule trop grand", "file or cell too large"),
    "hidden_sheet": ("feuille masquée contenant des données", "hidden sheet holding data"),
    "several_sheets": ("plusieurs feuilles de données", "several data sheets"),
    "hidden_row": ("ligne masquée contenant des données", "hidden row holding data"),
    "hidden_column": ("colonne masquée contenant des données", "hidden column holding data"),
    "merged_cells": ("cellules fusionnées", "merged cells"),
    "formula_without_value": ("formule sans valeur calculée", "formula without a computed value"),
    "invisible_characters": ("caractères invisibles", "invisible characters"),
    "unknown_indicator": ("indicateur inconnu", "unknown indicator"),
}


# --------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem in a session's raw data.

    - ``file``: file name as in the session folder (``learners_entry.csv``, ``session.yml``);
      for a missing file, the expected name without extension;
    - ``row``: row number as the user sees it in the spreadsheet (header = 1; ``None`` for
      file-level problems); for ``session.yml``, the line number;
    - ``column``: the column header as typed in the file (or the canonical name of a missing
      column, or a key of ``session.yml``); ``None`` for file-level problems;
    - ``value``: the cell exactly as typed (``""`` for an empty cell, ``None`` when no value is
      concerned);
    - ``expected``: what was expected, in French; ``expected_en`` the same in English;
    - ``kind``: a short code, one of :data:`KINDS`;
    - ``item``: the canonical column name (codebook item) when known;
    - ``note`` / ``note_en``: what was found, shown after the title in parentheses (used by
      ``direct_identifier`` problems, whose ``value`` is masked: always None);
    - ``sheet``: the sheet of an XLSX workbook, when the problem is about a sheet or a cell;
    - ``cell``: the cell or range as Excel names it (``C7``, ``A7:F9``), for XLSX structure
      problems (shown instead of the row; the column header is still shown when known).

    A value holding invisible or unusual characters (zero-width space, BOM, non-breaking space,
    soft hyphen, directional marks…) is shown with their code points, so that two values that look
    the same on screen can be told apart (``valeur « A03 » (caractère invisible U+200B en position
    2)``).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    kind: str
    expected_en: str = ""
    item: str | None = None
    note: str = ""
    note_en: str = ""
    sheet: str | None = None
    cell: str | None = None

    def message(self, lang: str = "fr") -> str:
        """One human line describing the problem, in French (default) or English."""
        en = lang == "en"
        # every quoted text shows its invisible and look-alike characters (invisible.shown)
        q = (lambda s: f'"{shown(s)}"') if en else (lambda s: f"« {shown(s)} »")
        where = [self.file]
        if self.sheet is not None:
            where.append(f"{'sheet' if en else 'feuille'} {q(self.sheet)}")
        if self.cell is not None:
            where.append(f"{'cell' if en else 'cellule'} {self.cell}")
        elif self.row is not None:
            where.append(f"{'row' if en else 'ligne'} {self.row}")
        if self.column is not None:
            col = self.column if self.column != "" else ("(no header)" if en else "(sans en-tête)")
            where.append(f"{'column' if en else 'colonne'} {q(col) if self.column else col}")
        title = KINDS.get(self.kind, (self.kind, self.kind))[1 if en else 0]
        text = ", ".join(where) + (": " if en else " : ") + title
        note = (self.note_en or self.note) if en else self.note
        if note:
            text += f" ({note})"
        if self.value is not None:
            if self.value == "":
                text += ", empty cell" if en else ", cellule vide"
            else:
                text += f", {'value' if en else 'valeur'} {q(_short(self.value))}"
                hidden = invisible_characters(self.value)
                if hidden:
                    text += f" ({describe_invisible(hidden, lang)})"
        expected = (self.expected_en or self.expected) if en else self.expected
        if expected:
            text += f" — {'expected' if en else 'attendu'}{':' if en else ' :'} {expected}"
        return text

    def __str__(self) -> str:
        return self.message("fr")


def _short(value: str, limit: int = 80) -> str:
    value = str(value).replace("\r\n", " ").replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def format_problems(problems: Iterable[Problem], lang: str = "fr") -> str:
    """One human line per problem (joined with newlines), in French (default) or English."""
    return "\n".join(p.message(lang) for p in problems)


class ValidationError(Exception):
    """Raised when a session's data are invalid; ``.problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem], lang: str = "fr"):
        self.problems: list[Problem] = list(problems)
        self.lang = lang
        super().__init__(self.format(lang))

    def format(self, lang: str = "fr") -> str:
        n = len(self.problems)
        if lang == "en":
            head = f"{n} problem{'s' if n != 1 else ''} found in the data:"
        else:
            head = f"{n} problème{'s' if n != 1 else ''} dans les données :"
        return head + "\n" + format_problems(self.problems, lang)

    def __str__(self) -> str:
        return self.format(self.lang)

    def __reduce__(self):  # picklable (batch runs with multiprocessing or Dask)
        return (type(self), (self.problems, self.lang))


# --------------------------------------------------------------------------------------------
# What is expected of an item (French / English)
# --------------------------------------------------------------------------------------------


def fmt_number(x: float, lang: str = "fr") -> str:
    """A number as a person writes it (``1 000 000`` in French, ``1,000,000`` in English)."""
    if float(x).is_integer():
        s = f"{int(x):,}"
    else:
        s = f"{x:,.2f}".rstrip("0").rstrip(".")
    if lang == "en":
        return s
    return s.replace(",", "\u202f").replace(".", ",").replace("\u202f", " ")


def _quoted_list(values, lang: str) -> str:
    if lang == "en":
        return ", ".join(f'"{shown(v)}"' for v in values)
    return ", ".join(f"« {shown(v)} »" for v in values)


def _range_text(item: cb.Item, lang: str, integer: bool) -> str:
    en = lang == "en"
    noun = ("a whole number" if integer else "a number") if en else (
        "un nombre entier" if integer else "un nombre")
    lo, hi = item.minimum, item.maximum
    if lo is not None and hi is not None:
        rng = (f" from {fmt_number(lo, lang)} to {fmt_number(hi, lang)}" if en
               else f" entre {fmt_number(lo, lang)} et {fmt_number(hi, lang)}")
    elif lo is not None:
        rng = f" ≥ {fmt_number(lo, lang)}"
    elif hi is not None:
        rng = f" ≤ {fmt_number(hi, lang)}"
    else:
        rng = ""
    example = "" if integer else (" (e.g. 12500 or 12,500.50)" if en else " (ex. 12500 ou 12 500,50)")
    return noun + rng + example


def expected_text(item: cb.Item, lang: str = "fr") -> str:
    """What a cell of ``item`` may contain, for error messages."""
    en = lang == "en"
    t = item.type
    if t in ("ordinal", "category", "boolean") and item.choices:
        labels = [c.label_en if en else c.label_fr for c in item.choices]
        codes = [c.code for c in item.choices]
        if t == "ordinal" and all(isinstance(c, int) for c in codes):
            lo, hi = min(codes), max(codes)
            if en:
                return f"a code from {lo} to {hi} or one of the labels {_quoted_list(labels, lang)}"
            return f"un code entre {lo} et {hi} ou l'un des libellés {_quoted_list(labels, lang)}"
        if en:
            return (f"one of the codes {_quoted_list(codes, lang)} or of the labels "
                    f"{_quoted_list(labels, lang)}")
        return (f"l'un des codes {_quoted_list(codes, lang)} ou des libellés "
                f"{_quoted_list(labels, lang)}")
    if t == "integer":
        return _range_text(item, lang, integer=True)
    if t == "number":
        return _range_text(item, lang, integer=False)
    if t == "date":
        return "a date as YYYY-MM-DD or DD/MM/YYYY" if en else "une date au format AAAA-MM-JJ ou JJ/MM/AAAA"
    if t == "id":
        return "a participant id" if en else "un identifiant de participant"
    return "a text" if en else "un texte"


def _missing_expected(item: cb.Item, lang: str) -> str:
    if lang == "en":
        return f"a value (this column may not be left empty): {expected_text(item, 'en')}"
    return f"une valeur (cette colonne ne peut pas rester vide) : {expected_text(item, 'fr')}"


# --------------------------------------------------------------------------------------------
# Per-table checks (pandera)
# --------------------------------------------------------------------------------------------


def _unique_key(instrument: cb.Instrument) -> bool:
    """Whether the participant id must be unique in this file (one row per person and wave).

    Testimonies are the exception: a participant may give several testimonies.
    """
    return instrument.wave != "testimony"


@cache
def build_schema(instrument: cb.Instrument):
    """A pandera ``DataFrameSchema`` of the typed table of ``instrument``.

    Returns ``(schema, kinds)`` where ``kinds[(column, check_number)]`` gives the problem kind of
    each check (checks are numbered in the order they are listed for the column). The result is
    cached per instrument: do not modify it.
    """
    import pandera.pandas as pa

    from fac_eval import io as fio

    columns = {}
    kinds: dict[tuple[str, int], str] = {}
    for item in instrument.items:
        checks = []
        if item.type in ("ordinal", "category") and item.choices:
            checks.append(pa.Check.isin(list(item.codes)))
            kinds[(item.name, 0)] = "out_of_range" if item.type == "ordinal" else "invalid_value"
        elif item.type in ("integer", "number"):
            if item.minimum is not None:
                checks.append(pa.Check.ge(item.minimum))
                kinds[(item.name, len(checks) - 1)] = "out_of_range"
            if item.maximum is not None:
                checks.append(pa.Check.le(item.maximum))
                kinds[(item.name, len(checks) - 1)] = "out_of_range"
        is_key = item.name == instrument.key
        columns[item.name] = pa.Column(
            fio.DTYPES[item.type],
            checks=checks,
            nullable=item.nullable,
            unique=is_key and _unique_key(instrument),
            report_duplicates="exclude_first",
            required=True,
        )
    columns[fio.SOURCE_ROW] = pa.Column("int64", nullable=False, unique=True)
    schema = pa.DataFrameSchema(columns, strict=True, ordered=False, coerce=False,
                                name=instrument.name)
    return schema, kinds


def table_problems(
    typed: pd.DataFrame,
    instrument: cb.Instrument,
    file: str | None = None,
    raw: pd.DataFrame | None = None,
    headers: dict[str, int] | None = None,
    skip: set[tuple[int, str]] | None = None,
    skip_columns: set[str] | frozenset[str] = frozenset(),
) -> list[Problem]:
    """Per-table problems of a typed table (see :func:`fac_eval.io.parse_table`).

    ``raw`` and ``headers`` (canonical name -> position of the column in ``raw``) let messages
    show the cell exactly as typed; ``skip`` holds ``(row, item)`` pairs already reported while
    reading, which are not reported again; ``skip_columns`` the columns missing from the file
    (already reported as ``missing_column``: their empty cells are not reported one by one).
    """
    import pandera.pandas as pa

    from fac_eval import io as fio

    file = file or f"{instrument.name}"
    skip = skip or set()
    schema, kinds = build_schema(instrument)
    try:
        schema.validate(typed, lazy=True)
        return []
    except pa.errors.SchemaErrors as err:
        failures = err.failure_cases
    except pa.errors.SchemaError as err:  # pragma: no cover - lazy=True collects them all
        failures = err.failure_cases if err.failure_cases is not None else pd.DataFrame()

    rows = typed[fio.SOURCE_ROW].to_numpy() if fio.SOURCE_ROW in typed else None
    out: list[Problem] = []
    seen: set[tuple] = set()
    for rec in failures.to_dict("records"):
        name = rec.get("column")
        if name not in instrument.columns or name in skip_columns:
            continue
        item = instrument.item(name)
        idx = rec.get("index")
        row = None
        if idx is not None and not pd.isna(idx) and rows is not None:
            row = int(rows[int(idx)])
        if (row, name) in skip or (row, name) in seen:
            continue
        check = str(rec.get("check"))
        column = _display_column(raw, headers, name)
        value = _display_value(raw, headers, name, row, rec.get("failure_case"))
        if check == "not_nullable":
            kind = "missing_value"
            fr, en = _missing_expected(item, "fr"), _missing_expected(item, "en")
        elif check == "field_uniqueness":
            kind = "duplicate_id"
            first = _first_row(typed, name, rec.get("failure_case"), rows)
            fr = f"un identifiant unique dans le fichier (déjà présent ligne {first})"
            en = f"an id that is unique in the file (already on row {first})"
        elif check == "column_in_schema" or check == "column_in_dataframe":
            continue  # columns are always complete after parse_table
        else:
            num = rec.get("check_number")
            kind = kinds.get((name, int(num)) if num is not None and not pd.isna(num) else None,
                             "wrong_type")
            fr, en = expected_text(item, "fr"), expected_text(item, "en")
        seen.add((row, name))
        out.append(Problem(file, row, column, value, fr, kind, en, name))
    return out


def _display_column(raw, headers, name) -> str:
    if raw is not None and headers and name in headers:
        return str(raw.columns[headers[name]]).strip()
    return name


def _display_value(raw, headers, name, row, fallback) -> str:
    if raw is not None and headers and name in headers and row is not None:
        try:
            return str(raw.iloc[raw.index.get_loc(row), headers[name]])
        except (KeyError, IndexError, TypeError):
            pass
    if fallback is None or (not isinstance(fallback, str) and pd.isna(fallback)):
        return ""
    if isinstance(fallback, pd.Timestamp):
        return fallback.strftime("%Y-%m-%d")
    return str(fallback)


def _first_row(typed, name, value, rows) -> int | str:
    matches = (typed[name] == value).to_numpy().nonzero()[0]
    if len(matches) and rows is not None:
        return int(rows[matches[0]])
    return "?"


# --------------------------------------------------------------------------------------------
# A title row above the header (typical of Excel exports with a merged title)
# --------------------------------------------------------------------------------------------

_TITLE_SEARCH_ROWS = 5


def _header_score(values, instrument: cb.Instrument) -> int:
    from fac_eval import io as fio

    return sum(1 for v in values if str(v).strip() and fio.map_header(v, instrument) is not None)


def title_row_problem(
    raw: pd.DataFrame, instrument: cb.Instrument | str, file: str | None = None
) -> tuple[Problem, pd.DataFrame] | None:
    """A ``title_row`` problem when the column headers are not on the first row of the file but
    a few rows below (a title, often in merged cells, above the table), else None.

    Returns ``(problem, table)`` where ``table`` is ``raw`` re-read with the real header row (used
    to scan the data for direct identifiers all the same). Detected when one of the first rows
    below the first non-blank row holds more of the instrument's headers than that row, and at
    least two of them (and half of its required columns).
    """
    inst = cb.INSTRUMENTS[instrument] if isinstance(instrument, str) else instrument
    file = file or raw.attrs.get("file") or inst.name
    best_k, best = None, _header_score(raw.columns, inst)
    for k in range(min(_TITLE_SEARCH_ROWS, raw.shape[0])):
        score = _header_score(raw.iloc[k], inst)
        if score > best:
            best_k, best = k, score
    required = sum(1 for it in inst.items if it.required)
    if best_k is None or best < max(2, (required + 1) // 2):
        return None
    title_row = int(raw.attrs.get("header_row", 1))
    header_row = int(raw.index[best_k])
    title = " ".join(str(c).strip() for c in raw.columns if str(c).strip())
    table = raw.iloc[best_k + 1:].copy()
    table.columns = [str(c) for c in raw.iloc[best_k]]
    table.attrs = {**raw.attrs, "header_row": header_row}
    problem = Problem(
        file, title_row, None, title or None,
        f"les en-têtes de colonnes sur la première ligne du fichier (ils sont en ligne "
        f"{header_row}) : supprimez la ou les lignes de titre au-dessus, cellules fusionnées "
        "comprises",
        "title_row",
        f"the column headers on the first row of the file (they are on row {header_row}): "
        "delete the title row(s) above them, merged cells included")
    return problem, table


# --------------------------------------------------------------------------------------------
# Direct identifiers (names, e-mails, phone numbers...) in raw files
# --------------------------------------------------------------------------------------------

#: What is expected instead of a direct identifier (French, English).
DIRECT_IDENTIFIER_EXPECTED = (
    "pas de donnée directement identifiante : pseudonymisez le fichier avec "
    "`fac-eval pseudonymise`",
    "no directly identifying data: pseudonymise the file with `fac-eval pseudonymise`",
)
#: ... for an e-mail or phone number typed inside a cell of a known column (a testimony's text,
#: a number): `fac-eval pseudonymise` replaces name / e-mail columns, it does not edit a text.
CONTACT_IN_CELL_EXPECTED = (
    "pas de donnée directement identifiante dans le texte : modifiez le texte pour la retirer "
    "(fac-eval pseudonymise ne corrige pas les textes)",
    "no directly identifying data in the text: edit the text to remove it "
    "(fac-eval pseudonymise does not edit texts)",
)

#: Kind of identifier column (privacy.identifier_kind) -> what the column holds (fr, en).
_COLUMN_KINDS = {
    "name": ("colonne de noms ou prénoms", "column of names"),
    "email": ("colonne d'adresses e-mail", "column of e-mail addresses"),
    "phone": ("colonne de numéros de téléphone", "column of phone numbers"),
    "address": ("colonne d'adresses postales", "column of postal addresses"),
    "national_id": ("colonne de numéros de sécurité sociale", "column of social security numbers"),
    "birth_date": ("colonne de dates de naissance", "column of birth dates"),
}
#: Kind of value (privacy.contact_kind) -> what was found (fr, en).
_VALUE_KINDS = {
    "email": ("adresse e-mail", "e-mail address"),
    "phone": ("numéro de téléphone", "phone number"),
    "nir": ("numéro de sécurité sociale", "social security number"),
    "iban": ("IBAN", "IBAN"),
    "address": ("adresse postale", "postal address"),
    "birth_date": ("date de naissance", "date of birth"),
    "participant_id": ("identifiant de participant", "participant id"),
    "name": ("nom de la liste de noms", "name from the names file"),
}
#: What a participant id must look like (fr, en): see :func:`fac_eval.pii.is_pseudonym`.
PSEUDONYM_EXPECTED = (
    "un identifiant pseudonyme : une à trois lettres de code puis des chiffres (ex. A01 pour un "
    "apprenant, P01 pour un porteur de projet ; jamais un nom suivi de chiffres), ou "
    "l'identifiant calculé par `fac-eval pseudonymise`",
    "a pseudonymous id: one to three code letters then digits (e.g. A01 for a learner, P01 for a "
    "founder; never a name followed by digits), or the id computed by `fac-eval pseudonymise`",
)
#: Why an id is refused (pii.pseudonym_problem) -> what was found (fr, en).
_ID_PROBLEMS = {
    "numeric": ("uniquement des chiffres : un nombre ne se distingue pas des chiffres du rapport "
                "et échapperait au masquage", "digits only: a number cannot be told apart from "
                "the report's figures and would escape scrubbing"),
    "name": ("ressemble à un nom de personne, valeur masquée",
             "looks like a person's name, value masked"),
    "pii": ("contient une donnée personnelle, valeur masquée",
            "holds personal data, value masked"),
    "format": ("forme non reconnue", "unrecognised form"),
}
_MASKED = ("valeur masquée", "value masked")
_NOT_SHOWN = ("valeurs non affichées", "values not shown")


def identifier_problems(
    raw: pd.DataFrame, instrument: cb.Instrument | str, file: str | None = None
) -> list[Problem]:
    """``direct_identifier`` problems of one raw table (:func:`fac_eval.io.read_raw_table`).

    - a column whose header is not a codebook header and announces a direct identifier
      (:func:`fac_eval.privacy.direct_identifier_columns`): one problem naming the column (at the
      header row), its values are neither scanned nor shown;
    - every cell holding an e-mail address or a phone number: anywhere in the text for free-text
      and id columns and for columns the codebook does not know; only when the whole cell is
      one for typed columns (numbers, dates, codes), so that figures such as ``45200`` or dates
      are never taken for phone numbers (see :func:`fac_eval.privacy.contact_kind`). The
      problem names file, row and column and what was found; the value is masked.
    - a header cell that is itself an e-mail or a phone number (a file whose header row is
      missing): one problem at the header row, the header masked.
    """
    from fac_eval import io as fio
    from fac_eval import privacy

    inst = cb.INSTRUMENTS[instrument] if isinstance(instrument, str) else instrument
    file = file or raw.attrs.get("file") or inst.name
    header_row = int(raw.attrs.get("header_row", 1))
    rows = [int(i) for i in raw.index]
    exp_fr, exp_en = DIRECT_IDENTIFIER_EXPECTED
    out: list[Problem] = []
    for j, header in enumerate(raw.columns):
        h = str(header).strip()
        name = fio.map_header(h, inst) if h else None
        if name is None and h:
            found = privacy.contact_kind(h)
            if found is not None:
                fr, en = _VALUE_KINDS[found]
                out.append(Problem(
                    file, header_row, privacy.scrub_text(h), None, exp_fr, "direct_identifier",
                    exp_en, None, f"{fr} dans la ligne d'en-tête, {_MASKED[0]}",
                    f"{en} in the header row, {_MASKED[1]}"))
                continue
            kind = privacy.identifier_kind(h)
            if kind is not None:
                fr, en = _COLUMN_KINDS.get(kind, ("colonne identifiante", "identifying column"))
                out.append(Problem(
                    file, header_row, h, None, exp_fr, "direct_identifier", exp_en, None,
                    f"{fr} ; {_NOT_SHOWN[0]}", f"{en}; {_NOT_SHOWN[1]}"))
                continue
        item = inst.item(name) if name is not None else None
        whole = item is not None and item.type not in ("text", "id")
        is_id = item is not None and item.type == "id"
        cache: dict[str, list[str]] = {}
        for row, cell in zip(rows, raw.iloc[:, j]):
            cell = str(cell)
            if not cell.strip():
                continue
            if cell not in cache:
                cache[cell] = privacy.contact_kinds(cell, whole=whole)
            kinds = cache[cell]
            if not kinds:
                if is_id:
                    bad = _id_problem(file, row, h, name, cell)
                    if bad is not None:
                        out.append(bad)
                continue
            fr = " et ".join(_VALUE_KINDS[k][0] for k in kinds)
            en = " and ".join(_VALUE_KINDS[k][1] for k in kinds)
            cell_fr, cell_en = (CONTACT_IN_CELL_EXPECTED if item is not None and item.type != "id"
                                else (exp_fr, exp_en))
            out.append(Problem(
                file, row, h, _masked_findings(cell), cell_fr, "direct_identifier", cell_en, name,
                f"{fr}, {_MASKED[0]}", f"{en}, {_MASKED[1]}"))
    return out


#: Problems about a cell that make any other problem about the same cell redundant (the cell
#: reads as empty because its formula has no value, or it is cut because it is too long).
_SHADOWING = ("formula_without_value", "too_large")


def drop_shadowed(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` without those about a cell already reported as a formula without a value or
    as too long (an empty formula cell is not also a ``missing_value``)."""
    problems = list(problems)
    cells = {(p.file, p.row, p.column) for p in problems
             if p.kind in _SHADOWING and p.row is not None and p.column is not None}
    return [p for p in problems if p.kind in _SHADOWING or (p.file, p.row, p.column) not in cells]


def locate_in_sheet(problem: Problem, table: LoadedTable | None) -> Problem:
    """``problem`` with the sheet and the cell (``C7``) of an XLSX file filled in, when it is
    about a cell (a row and a column of the file read as ``table``)."""
    if table is None or table.path.name != problem.file or problem.sheet is not None:
        return problem
    sheet = table.raw.attrs.get("sheet")
    if sheet is None:
        return problem
    cell = None
    if problem.row is not None and problem.column is not None:
        letters = table.raw.attrs.get("column_letters") or []
        for j, header in enumerate(table.raw.columns):
            if str(header).strip() == problem.column and j < len(letters):
                cell = f"{letters[j]}{problem.row}"
                break
    return replace(problem, sheet=sheet, cell=cell)


def _masked_findings(text: str, participant_ids=(), names=()) -> str:
    """The personal data found in ``text``, masked (:func:`fac_eval.pii.mask`), for messages."""
    from fac_eval import pii

    found = pii.find_pii(text, participant_ids, names)
    return " ; ".join(dict.fromkeys(pii.mask(f.text) for f in found)) or pii.mask(text)


def _id_problem(file: str, row, column: str, item: str | None, cell: str) -> Problem | None:
    """A ``not_pseudonym`` problem when the id ``cell`` does not look like a pseudonym
    (:func:`fac_eval.pii.pseudonym_problem`): digits only, a name, anything else. A value that
    looks like a name is masked in the message."""
    from fac_eval import pii
    from fac_eval.invisible import clean_id

    why = pii.pseudonym_problem(clean_id(cell))  # invisible characters are removed on reading
    if why is None:
        return None
    fr, en = _ID_PROBLEMS[why]
    value = cell.strip() if why in ("numeric", "format") else pii.mask(cell.strip())
    return Problem(file, row, column, value, PSEUDONYM_EXPECTED[0], "not_pseudonym",
                   PSEUDONYM_EXPECTED[1], item, fr, en)


def _yaml_strings(node, path: str = ""):
    """(key path, line, text) of every string scalar of a composed YAML node."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = str(k.value)
            yield from _yaml_strings(v, f"{path}.{key}" if path else key)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value, start=1):
            yield from _yaml_strings(v, f"{path}[{i}]")
    elif isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value.strip():
        yield path, node.start_mark.line + 1, node.value


def meta_identifier_problems(session_dir: str | Path, participant_ids=(),
                             names=None) -> list[Problem]:
    """``direct_identifier`` problems of ``session.yml``: personal data in any of its texts
    (name, programme, territory, notes, objectives, context…, at any depth), found by the one
    detector (:func:`fac_eval.pii.find_pii`: e-mails however written, phone numbers, NIR, IBAN,
    postal addresses, dates of birth) plus the session's participant ids and the names of the
    names file (:func:`fac_eval.privacy.load_names`; ``names`` to give them). Each problem names
    the file, line and key (``objectives[2].text``) and shows the value masked. These texts are
    printed in the report: nothing personal may be in them. ``session_dir`` may also be a YAML
    file of the session (``claims.yml``, whose statements the concordance prints)."""

    from fac_eval import io as fio
    from fac_eval import pii, privacy

    session_dir = Path(session_dir)
    path = session_dir if session_dir.is_file() else session_dir / fio.META_FILE
    if not path.is_file() and (session_dir / "session.yaml").exists():
        path = session_dir / "session.yaml"
    from fac_eval import safe_yaml

    # the strict reader (size cap, no anchors or aliases): walking an aliased tree would expand
    # it; a file it refuses is reported by check_session_meta
    text, problem = safe_yaml.read_text(path) if path.is_file() else (None, True)
    if problem is not None or text is None:
        return []
    node = safe_yaml.compose(text)
    if node is None:
        return []
    if names is None:
        try:
            names = privacy.load_names()
        except privacy.KeyMissingError:
            names = []
    ids = [str(i) for i in participant_ids or () if pii.is_pseudonym(str(i))]
    exp_fr = f"aucune donnée personnelle dans les textes de {path.name} (ils sont publiés dans le rapport)"
    exp_en = f"no personal data in the texts of {path.name} (they are printed in the report)"
    out = []
    for key, line, value in _yaml_strings(node):
        found = pii.find_pii(value, ids, names)
        if not found:
            continue
        kinds = list(dict.fromkeys(f.kind for f in found))
        fr = " et ".join(_VALUE_KINDS[k][0] for k in kinds)
        en = " and ".join(_VALUE_KINDS[k][1] for k in kinds)
        out.append(Problem(path.name, line, key, _masked_findings(value, ids, names), exp_fr,
                           "direct_identifier", exp_en, None, f"{fr}, {_MASKED[0]}",
                           f"{en}, {_MASKED[1]}"))
    return out


def protect_problems(
    problems: Iterable[Problem], identifiers: Iterable[Problem] = ()
) -> list[Problem]:
    """``problems`` made safe to show, given the ``direct_identifier`` problems found.

    Other problems about a cell or a column already reported as a direct identifier are dropped
    (an identifier column is not also an ``unknown_column``; an e-mail typed in a code column is
    not also an ``invalid_value`` quoting it). Any e-mail address or phone number left in the
    column, value or expected text of a problem is replaced by a placeholder.
    """
    from fac_eval import privacy

    identifiers = [p for p in identifiers if p.kind in ("direct_identifier", "not_pseudonym")]
    cells = {(p.file, p.row, p.column) for p in identifiers}
    columns = {(p.file, p.column) for p in identifiers if p.item is None}
    out: list[Problem] = []
    for p in problems:
        if p.kind not in ("direct_identifier", "not_pseudonym"):
            if (p.file, p.row, p.column) in cells:
                continue
            if p.kind == "unknown_column" and (p.file, p.column) in columns:
                continue
        changes: dict[str, Any] = {}
        for attr in ("column", "value", "expected", "expected_en"):
            v = getattr(p, attr)
            if isinstance(v, str) and v and privacy.contact_kind(v) is not None:
                changes[attr] = privacy.scrub_text(v, lang="en" if attr == "expected_en" else "fr")
        if changes:
            p = replace(p, **changes)
        out.append(p)
    return out


# --------------------------------------------------------------------------------------------
# Cross-table checks
# --------------------------------------------------------------------------------------------


@dataclass
class LoadedTable:
    """One raw file read and typed, with what is needed to point at a cell in messages."""

    instrument: cb.Instrument
    path: Path
    raw: pd.DataFrame
    typed: pd.DataFrame
    headers: dict[str, int]  # canonical name -> column position in ``raw``

    @property
    def file(self) -> str:
        return self.path.name

    def column(self, name: str) -> str:
        return _display_column(self.raw, self.headers, name)

    def value(self, name: str, row: int) -> str:
        return _display_value(self.raw, self.headers, name, row, None)


def _fmt_date(d, lang: str = "fr") -> str:
    d = pd.Timestamp(d)
    return d.strftime("%Y-%m-%d") if lang == "en" else d.strftime("%d/%m/%Y")


def cross_table_problems(tables: dict[str, LoadedTable], meta: dict | None) -> list[Problem]:
    """Problems between files: unknown ids, population of testimonies, order of dates, dates
    outside the session (when ``meta`` is valid)."""
    from fac_eval import io as fio

    out: list[Problem] = []
    profiles = {"learners": tables.get("learners_profile"), "founders": tables.get("founders_profile")}
    ids = {
        pop: set(t.typed[t.instrument.key].dropna().astype(str)) if t is not None else None
        for pop, t in profiles.items()
    }
    pop_label = {"learners": ("apprenants", "learners"), "founders": ("porteurs de projet", "founders")}
    choice = {c.code: c for c in cb.POPULATION}

    # An id cannot be both a learner and a founder (testimonies would be ambiguous).
    if ids["learners"] is not None and ids["founders"] is not None:
        fp, lp = profiles["founders"], profiles["learners"]
        assert fp is not None and lp is not None  # ids are read exactly when the profile is
        key = fp.instrument.key
        for pid, row in zip(fp.typed[key], fp.typed[fio.SOURCE_ROW]):
            if isinstance(pid, str) and pid in ids["learners"]:
                out.append(Problem(
                    fp.file, int(row), fp.column(key), fp.value(key, int(row)),
                    f"un identifiant distinct de ceux des apprenants ({lp.file})",
                    "duplicate_id",
                    f"an id distinct from the learners' ids ({lp.file})", key))

    # Ids of waves must exist in the profile of their population.
    for t in tables.values():
        inst = t.instrument
        if inst.wave == "profile":
            continue
        key = inst.key
        for i, (pid, row) in enumerate(zip(t.typed[key], t.typed[fio.SOURCE_ROW])):
            if not isinstance(pid, str):
                continue
            row = int(row)
            if inst.wave == "testimony":
                pop = t.typed["population"].iloc[i] if "population" in t.typed else None
                pop = pop if isinstance(pop, str) else None
                known = {p for p, s in ids.items() if s is not None and pid in s}
                if any(s is None for s in ids.values()) and not known:
                    continue  # a profile could not be read: cannot tell
                if not known:
                    files = " ou ".join(p.file for p in profiles.values() if p is not None)
                    files_en = " or ".join(p.file for p in profiles.values() if p is not None)
                    out.append(Problem(
                        t.file, row, t.column(key), t.value(key, row),
                        f"un identifiant présent dans {files}", "unknown_id",
                        f"an id listed in {files_en}", key))
                elif pop is not None and pop not in known:
                    other = next(iter(known))
                    other_profile = profiles[other]
                    assert other_profile is not None  # ``known`` holds populations with ids
                    out.append(Problem(
                        t.file, row, t.column("population"), t.value("population", row),
                        f"« {other} » (« {choice[other].label_fr} ») : {pid} est dans "
                        f"{other_profile.file}, parmi les {pop_label[other][0]}",
                        "population_mismatch",
                        f'"{other}" ("{choice[other].label_en}"): {pid} is in '
                        f"{other_profile.file}, among the {pop_label[other][1]}",
                        "population"))
                continue
            known_ids = ids.get(inst.population)
            if known_ids is None or pid in known_ids:
                continue
            prof = profiles[inst.population]
            assert prof is not None  # its ids are known
            out.append(Problem(
                t.file, row, t.column(key), t.value(key, row),
                f"un identifiant présent dans {prof.file}", "unknown_id",
                f"an id listed in {prof.file}", key))

    # Order of dates per person: entry <= exit <= follow-up.
    def dates(name):
        t = tables.get(name)
        if t is None or "response_date" not in t.typed:
            return {}
        key = t.instrument.key
        d = {}
        for pid, date, row in zip(t.typed[key], t.typed["response_date"], t.typed[fio.SOURCE_ROW]):
            if isinstance(pid, str) and not pd.isna(date) and pid not in d:
                d[pid] = (pd.Timestamp(date), int(row))
        return d

    for pop in ("learners", "founders"):
        entry, exit_ = dates(f"{pop}_entry"), dates(f"{pop}_exit")
        t_exit = tables.get(f"{pop}_exit")
        for pid, (date, row) in exit_.items():
            if pid in entry and date < entry[pid][0]:
                assert t_exit is not None  # exit_ has dates only when the exit table is there
                ref, ref_row = entry[pid]
                ref_file = tables[f"{pop}_entry"].file
                out.append(Problem(
                    t_exit.file, row, t_exit.column("response_date"), t_exit.value("response_date", row),
                    f"une date égale ou postérieure à la réponse au questionnaire d'entrée "
                    f"({_fmt_date(ref)}, {ref_file} ligne {ref_row})", "date_order",
                    f"a date on or after the entry questionnaire's response "
                    f"({_fmt_date(ref, 'en')}, {ref_file} row {ref_row})", "response_date"))
    fu = tables.get("followup")
    if fu is not None:
        entry, exit_ = dates("learners_entry"), dates("learners_exit")
        for pid, (date, row) in dates("followup").items():
            if pid in exit_:
                ref, ref_row = exit_[pid]
                ref_file, what_fr, what_en = tables["learners_exit"].file, "de sortie", "exit"
            elif pid in entry:
                ref, ref_row = entry[pid]
                ref_file, what_fr, what_en = tables["learners_entry"].file, "d'entrée", "entry"
            else:
                continue
            if date < ref:
                out.append(Problem(
                    fu.file, row, fu.column("response_date"), fu.value("response_date", row),
                    f"une date égale ou postérieure à la réponse au questionnaire {what_fr} "
                    f"({_fmt_date(ref)}, {ref_file} ligne {ref_row})", "date_order",
                    f"a date on or after the {what_en} questionnaire's response "
                    f"({_fmt_date(ref, 'en')}, {ref_file} row {ref_row})", "response_date"))

    # Response dates within the session (needs valid dates in session.yml); a date already
    # reported as out of order is not reported again.
    ordered = {(p.file, p.row) for p in out if p.kind == "date_order"}
    if meta and isinstance(meta.get("start_date"), dt.date) and isinstance(meta.get("end_date"), dt.date):
        start = pd.Timestamp(meta["start_date"])
        end = pd.Timestamp(meta["end_date"])
        months = int(meta.get("followup_months") or 0)
        lo = start - pd.Timedelta(days=ENTRY_TOLERANCE_DAYS)
        hi = end + pd.DateOffset(months=months + FOLLOWUP_GRACE_MONTHS)
        for t in tables.values():
            if "response_date" not in t.typed:
                continue
            low = end if t.instrument.wave == "followup" else lo
            for date, row in zip(t.typed["response_date"], t.typed[fio.SOURCE_ROW]):
                row = int(row)
                if pd.isna(date) or low <= date <= hi or (t.file, row) in ordered:
                    continue
                out.append(Problem(
                    t.file, row, t.column("response_date"), t.value("response_date", row),
                    f"une date entre le {_fmt_date(low)} et le {_fmt_date(hi)} "
                    f"(session du {_fmt_date(start)} au {_fmt_date(end)}, suivi à {months} mois, "
                    "voir session.yml)",
                    "date_out_of_session",
                    f"a date from {_fmt_date(low, 'en')} to {_fmt_date(hi, 'en')} "
                    f"(session from {_fmt_date(start, 'en')} to {_fmt_date(end, 'en')}, "
                    f"{months}-month follow-up, see session.yml)",
                    "response_date"))
    return out


# --------------------------------------------------------------------------------------------
# A whole session
# --------------------------------------------------------------------------------------------


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: ``session.yml`` first, then the instruments' files in codebook
    order, then by row and by column (codebook order); file-level problems first in each file."""
    files = {"session": -1, **{n: i for i, n in enumerate(cb.INSTRUMENTS)}}

    def key(p: Problem):
        stem = p.file.rsplit(".", 1)[0] if p.file else ""
        inst = cb.INSTRUMENTS.get(stem)
        col = -1
        if inst is not None and p.item in inst.columns:
            col = inst.columns.index(p.item)
        return (files.get(stem, len(files)), p.row if p.row is not None else 0, col)

    return sorted(problems, key=key)


def check_session(session_dir: str | Path) -> tuple[SessionData, list[Problem]]:
    """Read and check a whole session folder.

    Returns ``(data, problems)``: ``data`` is a :class:`fac_eval.io.SessionData` with whatever
    could be read (tables may hold invalid values when there are problems); ``problems`` lists
    every problem of every file, sorted by file (``session.yml`` first, then the instruments in
    codebook order) and row.
    """
    from fac_eval import io as fio

    session_dir = Path(session_dir)
    problems: list[Problem] = []
    identifiers: list[Problem] = []
    meta, meta_problems = fio.check_session_meta(session_dir)
    problems += meta_problems

    loaded: dict[str, LoadedTable] = {}
    files: dict[str, Path] = {}
    pending: list[str] = []  # exit waves not collected yet (fac_eval.interim)
    if not session_dir.is_dir():
        problems.append(Problem(
            str(session_dir), None, None, None,
            "un dossier de session contenant session.yml et les fichiers des questionnaires",
            "missing_file",
            "a session folder holding session.yml and the questionnaires' files"))
    else:
        found, file_problems = fio.find_instrument_files(session_dir)
        problems += file_problems
        pending += [n for n in PENDING_ALLOWED if n not in found]  # absent: not collected yet
        for name, path in found.items():
            inst = cb.INSTRUMENTS[name]
            files[name] = path
            try:
                raw = fio.read_raw_table(path, name)
            except ValidationError as err:
                if [p.kind for p in err.problems] == ["empty_file"]:
                    if inst.optional:
                        # an optional file left empty (the follow-up not collected yet): no rows
                        loaded[name] = LoadedTable(inst, path, pd.DataFrame(),
                                                   fio.empty_table(inst), {})
                        continue
                    if name in PENDING_ALLOWED:  # an exit wave not collected yet: interim
                        pending.append(name)
                        continue
                    problems += [_empty_baseline(inst, path.name)]
                    continue
                problems += err.problems
                continue
            if raw.shape[0] == 0 and name in PENDING_ALLOWED and not raw.attrs.get("problems"):
                pending.append(name)  # the header row only: the exit wave not collected yet
                continue
            reading = list(raw.attrs.get("problems") or [])
            title = title_row_problem(raw, inst, path.name)
            if title is not None:  # one clear problem rather than one per misplaced cell
                problem, table = title
                header_row = int(table.attrs.get("header_row", 1))
                # the title's merged cells are part of the title-row problem
                problems += [p for p in reading
                             if not (p.kind == "merged_cells" and p.row is not None
                                     and p.row < header_row)]
                problems.append(problem)
                identifiers += identifier_problems(table, inst, path.name)
                continue
            problems += reading
            if raw.shape[0] == 0 and not inst.optional:
                problems.append(_empty_baseline(inst, path.name))
            typed, parse_problems, headers = fio.parse_table(raw, inst, path.name, with_headers=True)
            identifiers += identifier_problems(raw, inst, path.name)
            problems += parse_problems
            skip = {(p.row, p.item) for p in parse_problems if p.item is not None}
            absent = {p.item for p in parse_problems if p.kind == "missing_column"}
            problems += table_problems(typed, inst, path.name, raw, headers, skip, absent)
            loaded[name] = LoadedTable(inst, path, raw, typed, headers)
        problems += cross_table_problems(loaded, meta)
        ids = [str(v) for t in loaded.values() for it in t.instrument.items
               if it.type == "id" and it.name in t.typed.columns
               for v in t.typed[it.name].dropna().unique()]
        identifiers += meta_identifier_problems(session_dir, ids)
        if (session_dir / "claims.yml").is_file():
            from fac_eval import claims as claims_mod

            problems += claims_mod.claims_problems(session_dir / "claims.yml")
            # its statements are printed in the concordance: the same detector as session.yml
            identifiers += meta_identifier_problems(session_dir / "claims.yml", ids)

    problems = sort_problems(protect_problems(drop_shadowed(problems + identifiers),
                                              identifiers))
    problems = [locate_in_sheet(p, loaded.get(Path(p.file).stem)) for p in problems]
    tables = {n: t.typed for n, t in loaded.items()}
    for name in pending:  # a declared state: no rows, and the session says it is interim
        tables[name] = fio.empty_table(cb.INSTRUMENTS[name])
        files.pop(name, None)
    pending_waves = tuple(n for n in PENDING_ALLOWED if n in pending) if session_dir.is_dir() else ()
    data = fio.SessionData(
        name=session_dir.name,
        path=session_dir,
        meta=meta or {},
        tables=tables,
        files=files,
        pending=pending_waves,
    )
    return data, problems


def _empty_baseline(inst: cb.Instrument, file: str) -> Problem:
    """A profile or entry file with no data row: refused, with what it must hold (only the exit
    questionnaires may be left empty while the session is interim)."""
    return Problem(
        file, None, None, None,
        f"les réponses « {inst.label_fr} » : une ligne d'en-tête puis une ligne par participant "
        "(seuls les questionnaires de sortie peuvent rester vides tant qu'ils ne sont pas "
        "collectés : le rapport est alors intermédiaire)",
        "empty_file",
        f"the answers of '{inst.label_en}': a header row, then one row per participant (only "
        "the exit questionnaires may be left empty while they are not collected: the report is "
        "then an interim report)")


def validate_session(session_dir: str | Path) -> list[Problem]:
    """Every problem of a session folder (an empty list when the session is valid)."""
    return check_session(session_dir)[1]


def summary_line(session: SessionData | str | Path, lang: str = "fr") -> str:
    """One line saying that a session is valid and what it holds, e.g.
    ``Session 2022 valide : 8 apprenants, 4 porteurs de projet, 6 fichiers.``

    ``session`` is a :class:`fac_eval.io.SessionData` or a session folder; for a folder with
    problems the line says how many problems there are (it does not raise).
    """
    from fac_eval import io as fio

    problems: list[Problem]
    if isinstance(session, fio.SessionData):
        data, problems = session, []
    else:
        data, problems = check_session(session)
    en = lang == "en"
    if problems:
        n = len(problems)
        if en:
            return f"Session {data.name} is not valid: {n} problem{'s' if n != 1 else ''}."
        return f"Session {data.name} non valide : {n} problème{'s' if n != 1 else ''}."

    def count(name):
        t = data.tables.get(name)
        return 0 if t is None else int(t[cb.INSTRUMENTS[name].key].nunique())

    n_l, n_f, n_files = count("learners_profile"), count("founders_profile"), len(data.files)

    def plural(n, fr_one, fr_many, en_one, en_many):
        word = (en_one if n == 1 else en_many) if en else (fr_one if n <= 1 else fr_many)
        return f"{n} {word}"

    parts = [
        plural(n_l, "apprenant", "apprenants", "learner", "learners"),
        plural(n_f, "porteur de projet", "porteurs de projet", "founder", "founders"),
        plural(n_files, "fichier", "fichiers", "file", "files"),
    ]
    tail = ""
    if getattr(data, "pending", ()):
        from fac_eval import interim

        waiting = ", ".join(interim.label(p, lang) for p in data.pending)
        tail = (f" Interim report: not collected yet: {waiting}." if en
                else f" Rapport intermédiaire : pas encore collecté : {waiting}.")
    if en:
        return f"Session {data.name} is valid: {', '.join(parts)}.{tail}"
    return f"Session {data.name} valide : {', '.join(parts)}.{tail}"
