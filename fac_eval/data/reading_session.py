"""A session folder: its instruments' files and its ``session.yml``.

:func:`find_instrument_files` finds each instrument's file (``<instrument>.csv`` or
``<instrument>.xlsx``; optional instruments may be absent), :func:`check_session_meta` and
:func:`read_session_meta` read and check ``session.yml`` (through :mod:`fac_eval.data.safe_yaml`: no
aliases, dates kept as text), and :class:`SessionData` is a session read.

Re-exported by :mod:`fac_eval.data.io`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from fac_eval.core.i18n import N_
from fac_eval.data import codebook as cb
from fac_eval.data import raw_entries, safe_yaml
from fac_eval.data.interim import PENDING_ALLOWED
from fac_eval.data.reading_cells import (
    IMPOSSIBLE_DATE_EXPECTED,
    ImpossibleDate,
    match_choice,
    normalize_text,
    parse_date,
    parse_number,
)
from fac_eval.data.validation_problems import Problem, ValidationError, both, problem, quote

__all__ = [
    "FILE_EXTENSIONS",
    "MANDATORY_INSTRUMENTS",
    "DATA_KINDS",
    "META_FILE",
    "META_REQUIRED",
    "META_OPTIONAL",
    "META_GENERATED",
    "meta_keys",
    "MAX_FOLLOWUP_MONTHS",
    "SessionData",
    "find_instrument_files",
    "check_session_meta",
    "read_session_meta",
]

FILE_EXTENSIONS = (".csv", ".xlsx")
MANDATORY_INSTRUMENTS: tuple[str, ...] = tuple(n for n, i in cb.INSTRUMENTS.items() if not i.optional)
DATA_KINDS = ("real", "reconstructed", "synthetic")
META_FILE = "session.yml"
META_REQUIRED = ("name", "start_date", "end_date", "followup_months", "programme", "territory",
                 "data_kind")
#: The optional keys :func:`check_session_meta` reads itself (the funder's sections are
#: :data:`fac_eval.data.programme.SECTIONS`): ``name_en`` and ``programme_en`` are the English
#: report's title and programme.
META_OPTIONAL = ("name_en", "programme_en", "neutralised_situations", "notes")
#: The keys :mod:`fac_eval.data.synth` writes in a synthetic session's ``session.yml`` (its
#: generator and seed, never entered by hand).
META_GENERATED = ("generator", "seed")
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
    #: exit questionnaires not collected yet (absent or empty files; :mod:`fac_eval.data.interim`):
    #: their tables have no rows and the session's report is an interim report
    pending: tuple[str, ...] = ()
    #: what validation found that does not make the session invalid, in the problems' format
    #: (a name of the names file in a testimony: :func:`fac_eval.data.validation_text.name_warnings`)
    warnings: tuple = ()

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
# A session folder
# --------------------------------------------------------------------------------------------


def find_instrument_files(session_dir: str | Path) -> tuple[dict[str, Path], list[Problem]]:
    """The file of each instrument in a session folder, and file-level problems: a mandatory
    instrument without file (``missing_file``), an instrument with both a CSV and an XLSX file
    (``duplicate_file``), an instrument's name given to something that is not a regular file
    (a folder, a pipe, a device) or to a link outside the raw data
    (:func:`fac_eval.data.raw_entries.entry_problem`). Excel lock files (``~$...``) and hidden
    files are ignored; extensions are matched case-insensitively; other files are ignored."""
    session_dir = Path(session_dir)
    candidates: dict[str, list[Path]] = {}
    others: list[str] = []
    refused: list[Problem] = []
    for p in sorted(session_dir.iterdir()):
        if p.name.startswith(("~$", ".")):
            continue
        if p.suffix.lower() in FILE_EXTENSIONS and p.stem in cb.INSTRUMENTS:
            bad = raw_entries.entry_problem(p)
            if bad is not None:  # named as a questionnaire's file: never skipped in silence
                refused.append(bad)
                candidates.setdefault(p.stem, [])
                continue
            candidates.setdefault(p.stem, []).append(p)
        elif not p.is_file():
            continue
        elif p.suffix.lower() in FILE_EXTENSIONS + (".xls", ".ods", ".txt", ".tsv"):
            others.append(p.name)
    found: dict[str, Path] = {}
    problems: list[Problem] = list(refused)
    for name, inst in cb.INSTRUMENTS.items():
        paths = candidates.get(name, [])
        if not paths and name in candidates:
            continue  # its file was refused above
        if len(paths) > 1:
            problems.append(problem(
                paths[1].name, None, None, None, "duplicate_file",
                both(N_("a single file for %(name)s (found: %(files)s)"), name=name,
                     files=", ".join(p.name for p in paths))))
            continue
        if paths:
            found[name] = paths[0]
        elif not inst.optional and name not in PENDING_ALLOWED:  # an absent exit: pending
            values = {"name": name,
                      "label": lambda lang, i=inst: i.label_en if lang == "en" else i.label_fr}
            close = difflib.get_close_matches(name, [Path(o).stem for o in others], n=1, cutoff=0.7)
            close += [o for o in others if Path(o).stem == name]  # e.g. learners_exit.xls
            if close:
                hit = next(o for o in others if Path(o).stem == close[0])
                expected = both(N_("a file %(name)s.csv or %(name)s.xlsx (%(label)s); similar "
                                   "file found: %(hit)s"), hit=hit, **values)
            else:
                expected = both(N_("a file %(name)s.csv or %(name)s.xlsx (%(label)s)"), **values)
            problems.append(problem(name, None, None, None, "missing_file", expected))
    problems += _misnamed(others, found, candidates)
    named = {p.file for p in problems}
    problems += _unread_tables(session_dir, [o for o in others if o not in named], found,
                               candidates)
    return found, problems


def _plain_stem(file_name: str) -> str:
    """``followup (1).csv``, ``Followup .CSV``, ``followup.csv.csv`` -> ``followup``: the name
    a copy, a case or a doubled extension hides."""
    stem = file_name.strip().lower()
    while Path(stem).suffix in FILE_EXTENSIONS + (".xls", ".ods", ".txt", ".tsv"):
        stem = Path(stem).stem.strip()
    return re.sub(r"\s*[\(\[]\d+[\)\]]$|\s*-\s*(?:copie|copy)(?:\s*\d+)?$", "", stem).strip()


def _misnamed(others: list[str], found: dict[str, Path], candidates: dict[str, list[Path]]
              ) -> list[Problem]:
    """A file whose name is close to an optional or pending questionnaire's that has no file
    (``followup (1).csv``, ``Followup.csv``, ``folowup.csv``, ``learners_exit.txt``): never
    left unread in silence, or the report would say that questionnaire is not collected."""
    out = []
    for other in others:
        close = difflib.get_close_matches(_plain_stem(other), list(cb.INSTRUMENTS), n=1,
                                          cutoff=0.75)
        if not close or close[0] in found or close[0] in candidates:
            continue
        inst = cb.INSTRUMENTS[close[0]]
        if not (inst.optional or close[0] in PENDING_ALLOWED):
            continue  # a required file: its missing_file problem names this one
        out.append(problem(other, None, None, None, "misnamed_file", both(N_(
            "%(name)s.csv or %(name)s.xlsx (%(label)s), or no such file in the session folder: "
            "this one is not read; rename it %(name)s.csv (or .xlsx), or move it out"),
            name=close[0], label=lambda lang, i=inst: i.label_en if lang == "en" else i.label_fr)))
    return out


#: The sub-folder where ``fac-eval new-session`` leaves the follow-up's template.
TEMPLATES_FOLDER = "modeles"


def _unread_tables(session_dir: Path, others: list[str], found: dict[str, Path],
                   candidates: dict[str, list[Path]]) -> list[Problem]:
    """A file of the session folder under another name (``suivi.csv``, ``export.xlsx``), or a
    filled template left in ``modeles/``, whose header and rows are those of an optional or
    pending questionnaire that has no file: named, never left unread while the report says
    that questionnaire is not collected. Read through the guarded reader (size limits, XLSX
    checks); a file it cannot read is left to the user, as any file that is not a table."""
    from fac_eval.data.reading_files import read_raw_table
    from fac_eval.data.validation_problems import ValidationError
    from fac_eval.data.xlsx_reader import is_data_header

    wanted = [n for n, inst in cb.INSTRUMENTS.items()
              if (inst.optional or n in PENDING_ALLOWED) and n not in found and n not in candidates]
    templates = session_dir / TEMPLATES_FOLDER
    paths = [session_dir / o for o in others]
    if templates.is_dir() and not templates.is_symlink():
        paths += [p for p in sorted(templates.iterdir()) if p.is_file() and not p.is_symlink()
                  and not p.name.startswith(("~$", ".")) and p.suffix.lower() in FILE_EXTENSIONS]
    out = []
    for path in paths if wanted else []:
        try:
            df = read_raw_table(path)
        except (ValidationError, OSError, ValueError):
            continue
        if df.empty:
            continue  # a template not filled in: nothing unread
        name = next((n for n in wanted if is_data_header([str(c) for c in df.columns], n)), None)
        if name is None:
            continue
        inst = cb.INSTRUMENTS[name]
        label = lambda lang, i=inst: i.label_en if lang == "en" else i.label_fr  # noqa: E731
        if path.parent == templates:
            out.append(problem(f"{TEMPLATES_FOLDER}/{path.name}", None, None, None,
                               "misnamed_file", both(N_(
                                   "%(name)s.csv or %(name)s.xlsx (%(label)s) in the session "
                                   "folder: this filled template in %(folder)s/ is not read "
                                   "(%(rows)s rows); move it next to the other files"),
                                   name=name, label=label, folder=TEMPLATES_FOLDER,
                                   rows=len(df))))
        else:
            out.append(problem(path.name, None, None, None, "misnamed_file", both(N_(
                "%(name)s.csv or %(name)s.xlsx (%(label)s): this file holds its columns and "
                "%(rows)s rows but is not read under this name; rename it %(name)s.csv (or "
                ".xlsx), or move it out of the session folder"),
                name=name, label=label, rows=len(df))))
    return out


#: How the messages write a date in each language (the user's spreadsheet convention).
_DATE_FORMATS = {"fr": "%d/%m/%Y", "en": "%Y-%m-%d"}

_DATA_KIND_ALIASES = {
    "real": "real", "reel": "real", "reelle": "real", "reelles": "real",
    "reconstructed": "reconstructed", "reconstitue": "reconstructed",
    "reconstituee": "reconstructed", "reconstituees": "reconstructed",
    "synthetic": "synthetic", "synthetique": "synthetic", "synthetiques": "synthetic",
}


#: The dates ``fac-eval new-session`` writes in session.yml, one per language: a session is
#: refused until they are replaced by the real dates (a plausible date would pass unseen).
#: Fixed values, not catalog messages: files written by an earlier version are recognised by
#: them, whatever the translation says today.
DATE_PLACEHOLDERS = {"fr": "AAAA-MM-JJ", "en": "YYYY-MM-DD"}


def is_date_placeholder(text: str) -> bool:
    """True for a date left as new-session wrote it (``AAAA-MM-JJ``, ``YYYY-MM-DD``, any case,
    or the ``JJ/MM/AAAA`` forms)."""
    t = str(text).strip().upper()
    return t in {"AAAA-MM-JJ", "YYYY-MM-DD", "JJ/MM/AAAA", "DD/MM/YYYY"}


def meta_keys() -> tuple[str, ...]:
    """Every top-level key ``session.yml`` may hold; any other key is refused (a misspelt key
    would otherwise be silently ignored)."""
    from fac_eval.data.programme import SECTIONS

    return META_REQUIRED + META_OPTIONAL + SECTIONS + META_GENERATED


def check_session_meta(session_dir: str | Path, partial: bool = False
                       ) -> tuple[dict | None, list[Problem]]:
    """``(meta, problems)`` of a session's ``session.yml`` (``meta`` is None when invalid).

    See :func:`read_session_meta` for the keys. With ``partial``, ``meta`` is what could be read
    even when there are problems (the keys checked without problem are typed; None when the file
    is not a mapping), so that the data are still checked against the session's valid dates.
    """
    session_dir = Path(session_dir)
    path = session_dir if session_dir.is_file() else session_dir / META_FILE
    if not path.exists() and (session_dir / "session.yaml").exists():
        path = session_dir / "session.yaml"
    file = path.name
    refused = raw_entries.entry_problem(path) if path != session_dir else None
    if refused is not None:
        return None, [refused]
    if not path.is_file():
        return None, [problem(
            META_FILE, None, None, None, "missing_file",
            both(N_("a session.yml file describing the session (%(keys)s)"),
                 keys=", ".join(META_REQUIRED)))]
    data, text, refused = safe_yaml.load(path)
    if refused is not None:
        return None, [refused]
    if data is None:
        return None, [problem(file, None, None, None, "empty_file",
                              both(N_('"key: value" lines (%(keys)s)'),
                                   keys=", ".join(META_REQUIRED)))]
    if not isinstance(data, dict):
        return None, [problem(file, 1, None, None, "unreadable_file",
                              both(N_('"key: value" lines')))]
    assert text is not None  # a file that parsed to a mapping has a text

    from fac_eval.data import programme

    lines = safe_yaml.key_lines(text)
    problems: list[Problem] = []
    meta: dict[str, Any] = {str(k): v for k, v in data.items()}

    def bad(key, kind, expected: tuple[str, str], value=None):
        v = meta.get(key) if value is None else value
        problems.append(problem(file, lines.get(key), key, None if v is None else str(v), kind,
                                expected))

    for key in META_REQUIRED:
        if meta.get(key) is None or (isinstance(meta.get(key), str) and not meta[key].strip()):
            problems.append(problem(file, lines.get(key), key, None if key not in meta else "",
                                    "missing_value", both(N_('a "%(key)s" key with a value'),
                                                          key=key)))
    problems += programme.unknown_key_problems(meta, lines, file, meta_keys())
    for key in ("name", "programme", "territory", "name_en", "programme_en"):
        v = meta.get(key)
        if v is not None and not isinstance(v, (str, int, float)):
            bad(key, "wrong_type", both(N_("a text")))
        elif v is not None:
            meta[key] = str(v).strip()
    for key in ("start_date", "end_date"):
        v = meta.get(key)
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if isinstance(v, str) and is_date_placeholder(v):  # new-session's, never filled in
            bad(key, "placeholder", both(N_("the session's first day as YYYY-MM-DD (e.g. "
                                            "2026-03-02) in place of the placeholder of "
                                            "fac-eval new-session") if key == "start_date" else
                                         N_("the session's last day as YYYY-MM-DD (e.g. "
                                            "2026-06-26) in place of the placeholder of "
                                            "fac-eval new-session")))
            continue
        if isinstance(v, dt.datetime):
            meta[key] = v.date()
        elif isinstance(v, dt.date):
            pass
        else:
            try:
                meta[key] = parse_date(v).date()
            except ImpossibleDate:
                bad(key, "impossible_date", both(IMPOSSIBLE_DATE_EXPECTED))
            except ValueError:
                bad(key, "wrong_type", both(N_("a date as YYYY-MM-DD or DD/MM/YYYY")))
    if isinstance(meta.get("start_date"), dt.date) and isinstance(meta.get("end_date"), dt.date):
        if meta["end_date"] < meta["start_date"]:
            start = meta["start_date"]
            bad("end_date", "date_order",
                both(N_("a date on or after start_date (%(date)s)"),
                     date=lambda lang: start.strftime(_DATE_FORMATS[lang])))
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
                    both(N_("a whole number of months from 0 to %(max)s"),
                         max=MAX_FOLLOWUP_MONTHS))
            else:
                meta["followup_months"] = int(n)
        except ValueError:
            bad("followup_months", "wrong_type", both(N_("a whole number of months (e.g. 3)")))
    v = meta.get("data_kind")
    if v is not None and not (isinstance(v, str) and not v.strip()):
        kind = _DATA_KIND_ALIASES.get(normalize_text(v))
        if kind is None:
            bad("data_kind", "invalid_value",
                both(N_('one of "real", "reconstructed", "synthetic"')))
        else:
            meta["data_kind"] = kind
            if kind != "synthetic":
                problems += _generated_key_problems(meta, lines, file, kind)
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
                    both(N_("a list of situation codes among %(codes)s"),
                         codes=lambda lang: ", ".join(quote(c, lang) for c in situation.codes)),
                    value=s)
            else:
                codes.append(code)
        meta["neutralised_situations"] = codes
    notes = meta.get("notes")
    meta["notes"] = "" if notes is None else str(notes).strip()
    # the optional sections a funder reads (objectives, context, activities, budget, ...)
    problems += programme.parse_programme(meta, text or "", file)[1]
    return (None if problems and not partial else meta), problems


def _generated_key_problems(meta: dict, lines: dict, file: str, kind: str) -> list[Problem]:
    """``generator`` and ``seed`` in a session that does not say ``data_kind: synthetic``: a
    generated session relabelled real or reconstructed would be published as such (its badge
    and provenance say what the data are), so each key is refused with its line."""
    kind_line = lines.get("data_kind")
    out = []
    for key in META_GENERATED:
        if key not in meta:
            continue
        v = meta[key]
        out.append(problem(file, lines.get(key), key, None if v is None else str(v),
                           "generated_key", both(N_(
                               "no %(key)s key: only fac-eval synth writes it, in a synthetic "
                               "session, and this one says data_kind: %(kind)s (line "
                               "%(line)s); if its data were generated, write data_kind: "
                               "synthetic, else remove the %(key)s line"),
                               key=key, kind=kind, line=kind_line if kind_line else "?")))
    return out


def read_session_meta(session_dir: str | Path) -> dict:
    """The metadata of a session (its ``session.yml``; ``session_dir`` may be the file itself).

    Keys: ``name`` (str), ``start_date`` and ``end_date`` (:class:`datetime.date`),
    ``followup_months`` (int, 0–60), ``programme``, ``territory`` (str), ``data_kind`` (one of
    :data:`DATA_KINDS`; French spellings accepted), ``neutralised_situations`` (list of situation
    codes; the codebook default when absent), ``notes`` (str, ``""`` when absent), ``name_en`` and
    ``programme_en`` (str, when given), the funder's sections as typed in the file (read by
    :mod:`fac_eval.data.programme`); any other key is refused (:func:`meta_keys`). Raises
    :class:`fac_eval.data.validation.ValidationError` when the file is missing or invalid.
    """
    meta, problems = check_session_meta(session_dir)
    if problems:
        raise ValidationError(problems)
    assert meta is not None  # no problem: a valid mapping
    return meta
