"""Validation of a session folder, driven by the codebook.

Every problem found in a session's raw files is a :class:`Problem` naming the file, the row *as the
user sees it in their spreadsheet* (header = row 1), the column, the value and what was expected.
All problems of all files are collected and reported together; nothing in the data ever produces a
raw traceback.

Three layers of checks:

1. reading and typing (:mod:`fac_eval.data.io`): missing / unreadable / empty files, unknown, missing
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
:mod:`fac_eval.data.xlsx_reader`), ``impossible_date``, ``too_large`` (:mod:`fac_eval.data.limits`,
:mod:`fac_eval.data.xlsx_guard`), and ``claims.yml`` checked like the questionnaires
(:func:`fac_eval.data.claims_file.claims_problems`, ``unknown_indicator``). Any value holding invisible
characters is shown with their code points. An optional file left empty (a follow-up not
collected yet) is a table with no rows, never a problem; an exit questionnaire absent or empty
(not collected yet) is a pending wave, listed in ``SessionData.pending`` (an interim session,
:mod:`fac_eval.data.interim`); an empty profile or entry file is refused.

Privacy (:func:`identifier_problems`, :func:`protect_problems`): raw files must hold
pseudonymous ids only. A column whose header announces a direct identifier (nom, prénom, e-mail,
téléphone, adresse…, see :func:`fac_eval.disclosure.privacy.identifier_kind`) and any cell holding an e-mail
address or a phone number — in any column, free-text testimonies and ids included — is a
``direct_identifier`` problem. Its message names the file, row and column and *what* was found,
never the value (validation output may be pasted in a ticket); the values of an identifier
column are not shown at all, and any other message that would quote an e-mail or a phone number
has it masked.

Public entry points: :func:`validate_session` (list of problems), :func:`check_session`
(the data read so far and the problems), :func:`format_problems` and :func:`summary_line`.
Messages are in French by default (``lang="fr"``) or English (``lang="en"``), from the gettext
catalogs (:mod:`fac_eval.core.i18n`).

The checks live in modules by concern, re-exported here: :mod:`fac_eval.data.validation_problems`
(:class:`Problem`, :class:`ValidationError`, the kinds and what is expected of an item),
:mod:`fac_eval.data.validation_tables` (per-table and cross-table checks),
:mod:`fac_eval.data.validation_identifiers` (direct identifiers and pseudonyms). They import the
readers (:mod:`fac_eval.data.reading_cells`, :mod:`fac_eval.data.reading_files`,
:mod:`fac_eval.data.reading_session`), never :mod:`fac_eval.data.io`, which imports this module: no cycle.
"""


from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from fac_eval.core.i18n import N_, NP_, messages
from fac_eval.core.invisible import describe_invisible, invisible_characters
from fac_eval.data import codebook as cb
from fac_eval.data import raw_entries, reading_cells, reading_files, reading_session
from fac_eval.data.interim import PENDING_ALLOWED
from fac_eval.data.reading_session import SessionData
from fac_eval.data.validation_identifiers import (
    CONTACT_IN_CELL_EXPECTED,
    DIRECT_IDENTIFIER_EXPECTED,
    PSEUDONYM_EXPECTED,
    drop_shadowed,
    identifier_problems,
    locate_in_sheet,
    meta_identifier_problems,
    protect_problems,
    session_name_problems,
)
from fac_eval.data.validation_problems import (
    KINDS,
    Problem,
    ValidationError,
    both,
    expected_text,
    fmt_number,
    format_problems,
    kind_title,
    problem,
    sort_problems,
)
from fac_eval.data.validation_rows import row_problems
from fac_eval.data.validation_tables import (
    ENTRY_TOLERANCE_DAYS,
    FOLLOWUP_GRACE_MONTHS,
    LoadedTable,
    build_schema,
    cross_table_problems,
    table_problems,
    title_row_problem,
)
from fac_eval.data.validation_text import bidi_problems, control_problems, name_warnings

__all__ = [
    "Problem",
    "DIRECT_IDENTIFIER_EXPECTED",
    "CONTACT_IN_CELL_EXPECTED",
    "identifier_problems",
    "meta_identifier_problems",
    "session_name_problems",
    "PSEUDONYM_EXPECTED",
    "protect_problems",
    "drop_shadowed",
    "locate_in_sheet",
    "title_row_problem",
    "ValidationError",
    "KINDS",
    "kind_title",
    "invisible_characters",
    "describe_invisible",
    "format_problems",
    "expected_text",
    "fmt_number",
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


# --------------------------------------------------------------------------------------------
# A whole session
# --------------------------------------------------------------------------------------------


def check_session(session_dir: str | Path) -> tuple[SessionData, list[Problem]]:
    """Read and check a whole session folder.

    Returns ``(data, problems)``: ``data`` is a :class:`fac_eval.data.io.SessionData` with whatever
    could be read (tables may hold invalid values when there are problems); ``problems`` lists
    every problem of every file, sorted by file (``session.yml`` first, then the instruments in
    codebook order) and row.
    """
    session_dir = Path(session_dir)
    problems: list[Problem] = []
    identifiers: list[Problem] = []
    read, meta_problems = reading_session.check_session_meta(session_dir, partial=True)
    meta = None if meta_problems else read
    problems += meta_problems

    loaded: dict[str, LoadedTable] = {}
    files: dict[str, Path] = {}
    pending: list[str] = []  # exit waves not collected yet (fac_eval.data.interim)
    if not session_dir.is_dir():
        problems.append(problem(
            str(session_dir), None, None, None, "missing_file",
            both(N_("a session folder holding session.yml and the questionnaires' files"))))
    else:
        found, file_problems = reading_session.find_instrument_files(session_dir)
        problems += file_problems
        pending += [n for n in PENDING_ALLOWED if n not in found]  # absent: not collected yet
        for name, path in found.items():
            inst = cb.INSTRUMENTS[name]
            files[name] = path
            try:
                raw = reading_files.read_raw_table(path, name)
            except ValidationError as err:
                if [p.kind for p in err.problems] == ["empty_file"]:
                    if inst.optional:
                        # an optional file left empty (the follow-up not collected yet): no rows
                        loaded[name] = LoadedTable(inst, path, pd.DataFrame(),
                                                   reading_cells.empty_table(inst), {})
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
                title_problem, table = title
                header_row = int(table.attrs.get("header_row", 1))
                # the title's merged cells are part of the title-row problem
                problems += [p for p in reading
                             if not (p.kind == "merged_cells" and p.row is not None
                                     and p.row < header_row)]
                problems.append(title_problem)
                identifiers += identifier_problems(table, inst, path.name)
                identifiers += bidi_problems(table, inst, path.name)
                identifiers += control_problems(table, inst, path.name)
                continue
            problems += reading
            if raw.shape[0] == 0 and not inst.optional:
                problems.append(_empty_baseline(inst, path.name))
            typed, parse_problems, headers = reading_files.parse_table(raw, inst, path.name, with_headers=True)
            identifiers += identifier_problems(raw, inst, path.name)
            identifiers += bidi_problems(raw, inst, path.name)
            identifiers += control_problems(raw, inst, path.name)
            problems += parse_problems
            skip = {(p.row, p.item) for p in parse_problems if p.item is not None}
            absent = {p.item for p in parse_problems if p.kind == "missing_column"}
            problems += table_problems(typed, inst, path.name, raw, headers, skip, absent)
            loaded[name] = LoadedTable(inst, path, raw, typed, headers)
        # the answers' dates are checked against the session's dates whenever these are valid,
        # whatever else session.yml gets wrong (all problems in one run)
        problems += cross_table_problems(loaded, meta if meta is not None else _dates(read))
        problems += row_problems(loaded)
        ids = [str(v) for t in loaded.values() for it in t.instrument.items
               if it.type == "id" and it.name in t.typed.columns
               for v in t.typed[it.name].dropna().unique()]
        identifiers += meta_identifier_problems(session_dir, ids)
        identifiers += session_name_problems(session_dir, ids, _names())
        claims_refused = raw_entries.entry_problem(session_dir / "claims.yml")
        if claims_refused is not None:
            problems.append(claims_refused)
        elif (session_dir / "claims.yml").is_file():
            from fac_eval.data.claims_file import claims_problems

            problems += claims_problems(session_dir / "claims.yml")
            # its statements are printed in the concordance: the same detector as session.yml
            identifiers += meta_identifier_problems(session_dir / "claims.yml", ids)

    problems = sort_problems(protect_problems(drop_shadowed(problems + identifiers),
                                              identifiers))
    problems = [locate_in_sheet(p, loaded.get(Path(p.file).stem)) for p in problems]
    tables = {n: t.typed for n, t in loaded.items()}
    for name in pending:  # a declared state: no rows, and the session says it is interim
        tables[name] = reading_cells.empty_table(cb.INSTRUMENTS[name])
        files.pop(name, None)
    pending_waves = tuple(n for n in PENDING_ALLOWED if n in pending) if session_dir.is_dir() else ()
    data = SessionData(
        name=session_dir.name,
        path=session_dir,
        meta=meta or {},
        tables=tables,
        files=files,
        pending=pending_waves,
        warnings=tuple(name_warnings(loaded.values(), _names())),
    )
    return data, problems


def _names() -> list[str]:
    """The names of the names file (none when it is unset or unusable: the commands report an
    unusable names file themselves)."""
    from fac_eval.disclosure import privacy

    try:
        return privacy.load_names()
    except privacy.KeyMissingError:
        return []


def _dates(meta: dict | None) -> dict | None:
    """The session's dates and follow-up delay from a ``session.yml`` that has problems, when
    these three keys are valid (None otherwise)."""
    if not meta:
        return None
    start, end, months = (meta.get(k) for k in ("start_date", "end_date", "followup_months"))
    if (isinstance(start, dt.date) and isinstance(end, dt.date) and start <= end
            and isinstance(months, int) and not isinstance(months, bool)):
        return {"start_date": start, "end_date": end, "followup_months": months}
    return None


def _empty_baseline(inst: cb.Instrument, file: str) -> Problem:
    """A profile or entry file with no data row: refused, with what it must hold (only the exit
    questionnaires may be left empty while the session is interim)."""
    return problem(
        file, None, None, None, "empty_file",
        both(N_("the answers of '%(label)s': a header row, then one row per participant (only "
                "the exit questionnaires may be left empty while they are not collected: the "
                "report is then an interim report)"),
             label=lambda lang: inst.label_en if lang == "en" else inst.label_fr))


def validate_session(session_dir: str | Path) -> list[Problem]:
    """Every problem of a session folder (an empty list when the session is valid)."""
    return check_session(session_dir)[1]


def summary_line(session: SessionData | str | Path, lang: str = "fr") -> str:
    """One line saying that a session is valid and what it holds, e.g.
    ``Session 2022 valide : 8 apprenants, 4 porteurs de projet, 6 fichiers.``

    ``session`` is a :class:`fac_eval.data.io.SessionData` or a session folder; for a folder with
    problems the line says how many problems there are (it does not raise).
    """
    problems: list[Problem]
    if isinstance(session, SessionData):
        data, problems = session, []
    else:
        data, problems = check_session(session)
    m = messages(lang)
    if problems:
        return m.ngettext("Session %(name)s is not valid: %(num)s problem.",
                          "Session %(name)s is not valid: %(num)s problems.", len(problems),
                          name=data.name, num=str(len(problems)))

    def count(name):
        t = data.tables.get(name)
        return 0 if t is None else int(t[cb.INSTRUMENTS[name].key].nunique())

    counts = (count("learners_profile"), count("founders_profile"), len(data.files))
    parts = [m.nplural(pair, n, num=str(n)) for pair, n in zip(_COUNTED, counts)]
    tail = ""
    if getattr(data, "pending", ()):
        from fac_eval.data import interim

        waiting = ", ".join(interim.label(p, lang) for p in data.pending)
        tail = " " + m._("Interim report: not collected yet: %(waiting)s.", waiting=waiting)
    return m._("Session %(name)s is valid: %(parts)s.", name=data.name,
               parts=", ".join(parts)) + tail


#: What the line of a valid session counts: learners, founders, files.
_COUNTED = (NP_("%(num)s learner", "%(num)s learners"),
            NP_("%(num)s founder", "%(num)s founders"),
            NP_("%(num)s file", "%(num)s files"))
